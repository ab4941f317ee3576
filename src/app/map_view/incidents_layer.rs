//! Incidents on the map: the area an imprecise location covers, each claim's arrow from where its
//! claimant says fire came from to where it went, and a marker per incident.

use std::collections::HashMap;

use egui::{Color32, Pos2, Rect, Shape, Stroke};

use crate::basemap::{Fill, triangulate};
use crate::gazetteer::PlaceId;
use crate::model::{LocationPrecision, Placement};

use super::super::scene::{IncidentRef, Scene, colour};
use super::markers::{self, MarkerStyle};
use super::style;
use super::transform::ScreenTransform;

/// A marker as drawn this frame, for hit-testing and the "in view" list.
#[derive(Copy, Clone, Debug)]
pub struct Placed {
    pub incident: IncidentRef,
    pub pos: Pos2,
}

/// Radius drawn around an incident placed only to an area the gazetteer has no outline for.
fn halo_metres(precision: LocationPrecision) -> Option<f32> {
    match precision {
        LocationPrecision::Exact => None,
        LocationPrecision::Near => Some(5_000.0),
        LocationPrecision::District => Some(15_000.0),
        LocationPrecision::Province => Some(35_000.0),
        LocationPrecision::Region => Some(50_000.0),
        LocationPrecision::Country => Some(120_000.0),
    }
}

/// Area outlines triangulated once per place.
#[derive(Default)]
pub struct AreaCache {
    fills: HashMap<PlaceId, Vec<Fill>>,
}

impl AreaCache {
    fn fills(&mut self, scene: &Scene<'_>, place: PlaceId) -> &[Fill] {
        self.fills.entry(place).or_insert_with(|| {
            scene
                .gazetteer
                .place(place)
                .polygon
                .iter()
                .flat_map(|mp| mp.iter())
                .map(|poly| {
                    let rings: Vec<Vec<[f64; 2]>> = std::iter::once(poly.exterior())
                        .chain(poly.interiors())
                        .map(|r| r.coords().map(|c| [c.x, c.y]).collect())
                        .collect();
                    triangulate(&rings)
                })
                .collect()
        })
    }
}

fn with_alpha(c: Color32, alpha: u8) -> Color32 {
    Color32::from_rgba_unmultiplied(c.r(), c.g(), c.b(), alpha)
}

fn area_shapes(
    fills: &[Fill],
    transform: &ScreenTransform,
    tint: Color32,
    alpha: u8,
    out: &mut Vec<Shape>,
) {
    let mut mesh = egui::epaint::Mesh::default();
    for fill in fills {
        let base = mesh.vertices.len() as u32;
        mesh.vertices
            .extend(fill.vertices.iter().map(|w| egui::epaint::Vertex {
                pos: transform.to_screen(*w),
                uv: egui::epaint::WHITE_UV,
                color: with_alpha(tint, alpha),
            }));
        mesh.indices.extend(fill.triangles.iter().map(|i| base + i));
    }
    out.push(Shape::mesh(mesh));
    for fill in fills {
        for ring in &fill.rings {
            let points: Vec<Pos2> = ring.iter().map(|w| transform.to_screen(*w)).collect();
            out.extend(Shape::dashed_line(
                &points,
                Stroke::new(1.5, with_alpha(tint, 200)),
                6.0,
                4.0,
            ));
        }
    }
}

/// Paints the incidents and returns where their markers are.
pub fn paint(
    scene: &Scene<'_>,
    areas: &mut AreaCache,
    transform: &ScreenTransform,
    rect: Rect,
    hovered: Option<IncidentRef>,
    out: &mut Vec<Shape>,
) -> Vec<Placed> {
    let view = rect.expand(40.0);
    let mut placed = Vec::new();
    for &r in &scene.visible {
        let incident = scene.incident(r);
        let Some(point) = incident.point else {
            continue;
        };
        let pos = transform.point(point);
        if view.contains(pos) {
            placed.push(Placed { incident: r, pos });
        }
    }

    // Areas first, under everything: each district or province an incident is placed in (once),
    // and the halo of the selected or hovered incident placed only to a wider region.
    let mut drawn_areas = std::collections::HashSet::new();
    for p in &placed {
        let incident = scene.incident(p.incident);
        let Some(metres) = halo_metres(incident.location.precision) else {
            continue;
        };
        let focused = Some(p.incident) == scene.selected || Some(p.incident) == hovered;
        let wide = matches!(
            incident.location.precision,
            LocationPrecision::Region | LocationPrecision::Country
        );
        if wide && !focused {
            continue;
        }
        let tint = scene
            .colours(p.incident)
            .first()
            .copied()
            .unwrap_or(Color32::GRAY);
        let area = incident
            .location
            .place
            .as_ref()
            .and_then(|pl| pl.resolved)
            .filter(|_| incident.placement == Placement::Gazetteer)
            .filter(|id| scene.gazetteer.place(*id).polygon.is_some());
        match area {
            Some(place)
                if matches!(
                    incident.location.precision,
                    LocationPrecision::District | LocationPrecision::Province
                ) =>
            {
                if drawn_areas.insert(place) || focused {
                    let fills = areas.fills(scene, place).to_vec();
                    area_shapes(&fills, transform, tint, if focused { 70 } else { 28 }, out);
                }
            }
            _ => {
                let radius = (metres * transform.pixels_per_metre(point_lat(scene, p.incident)))
                    .max(style::MARKER_RADIUS * 2.0);
                out.push(Shape::circle_filled(p.pos, radius, with_alpha(tint, 35)));
                out.push(Shape::circle_stroke(
                    p.pos,
                    radius,
                    Stroke::new(1.2, with_alpha(tint, 160)),
                ));
            }
        }
    }

    if scene.settings.show_arrows {
        for p in &placed {
            let dataset = scene.dataset(p.incident);
            let incident = scene.incident(p.incident);
            let claims: Vec<_> = incident
                .claims
                .iter()
                .filter(|c| scene.settings.filters.claim_visible(dataset, c))
                .collect();
            for (i, claim) in claims.iter().enumerate() {
                let tint = colour(dataset.claimant_colour(claim.claimant));
                // Bow each claimant's arrows to its own side, so two accounts never overlap.
                let bend = 18.0 + 14.0 * i as f32;
                let targets: Vec<Pos2> = match claim
                    .to
                    .iter()
                    .filter_map(|t| t.resolved)
                    .collect::<Vec<_>>()
                {
                    t if t.is_empty() => vec![p.pos],
                    t => t
                        .into_iter()
                        .map(|id| transform.point(scene.gazetteer.place(id).point))
                        .collect(),
                };
                for from in claim.from.iter().filter_map(|f| f.resolved) {
                    let start = transform.point(scene.gazetteer.place(from).point);
                    for &end in &targets {
                        markers::arrow(start, end, bend, tint, out);
                    }
                }
            }
        }
    }

    // Selected last, so it is never hidden under a neighbour.
    let mut order: Vec<&Placed> = placed.iter().collect();
    order.sort_by_key(|p| Some(p.incident) == scene.selected);
    for p in order {
        let incident = scene.incident(p.incident);
        let colours = scene.colours(p.incident);
        let selected = Some(p.incident) == scene.selected;
        // Dated only to a range, a week or a month: faded, so it never reads as a dated point.
        let colours: Vec<Color32> = if incident.date.start() == incident.date.end() {
            colours
        } else {
            colours.iter().map(|c| c.gamma_multiply(0.5)).collect()
        };
        if incident.date.inferred {
            // Inferred dates carry a dotted ring.
            let ring: Vec<Pos2> = (0..=24)
                .map(|i| {
                    let a = i as f32 / 24.0 * std::f32::consts::TAU;
                    p.pos + egui::vec2(a.cos(), a.sin()) * (style::MARKER_RADIUS + 4.0)
                })
                .collect();
            out.extend(Shape::dotted_line(&ring, Color32::from_gray(60), 3.0, 0.9));
        }
        let style = MarkerStyle {
            colours: &colours,
            hollow: halo_metres(incident.location.precision).is_some(),
            selected,
            hovered: Some(p.incident) == hovered,
        };
        let radius = if selected {
            style::MARKER_RADIUS + 1.5
        } else {
            style::MARKER_RADIUS
        };
        markers::marker(p.pos, radius, &incident.category, &style, out);
    }
    placed
}

fn point_lat(scene: &Scene<'_>, r: IncidentRef) -> f64 {
    scene.incident(r).point.map_or(40.0, |p| p.y())
}

/// The marker under the pointer, nearest first.
pub fn hit(placed: &[Placed], pointer: Pos2) -> Option<IncidentRef> {
    let reach = style::MARKER_RADIUS + style::HIT_SLOP;
    placed
        .iter()
        .map(|p| (p.pos.distance(pointer), p.incident))
        .filter(|(d, _)| *d <= reach)
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, r)| r)
}
