//! Incidents on the map: the area an imprecise location covers, each claim's arrow from where its
//! claimant says fire came from to where it went, and a marker per incident.

use std::collections::HashMap;

use egui::{Color32, Pos2, Rect, Shape, Stroke};

use crate::view::spatial::CellSet;

use crate::basemap::{Fill, triangulate};
use crate::gazetteer::PlaceId;
use crate::model::{LocationPrecision, Placement};

use super::super::scene::{IncidentRef, Scene, colour};
use super::clusters;
use super::markers::{self, MarkerStyle};
use super::style;
use super::transform::ScreenTransform;

/// A marker as drawn this frame, for hit-testing and the "in view" list.
#[derive(Copy, Clone, Debug)]
pub struct Placed {
    pub incident: IncidentRef,
    pub pos: Pos2,
}

/// Walking the visible incidents beats walking grid cells while there are at most this many
/// per incident in view (each grid member costs a binary search, each visible one a projection).
const SCAN_FACTOR: usize = 4;
/// Below this many visible incidents, walking them all is cheaper than any cell arithmetic.
const SCAN_FLOOR: usize = 256;

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

/// Where the visible incidents whose markers fall in `view` (screen) go, in visible order.
///
/// Per layer, the cheaper of two walks that find the same markers: the visible incidents, when
/// there are few more of them than `in_view` (the visible count of the cells meeting the view);
/// or the grid cells meeting the view, each narrowed to the window's candidates by binary search.
pub fn place(
    scene: &Scene<'_>,
    transform: &ScreenTransform,
    view: Rect,
    in_view: usize,
) -> Vec<Placed> {
    let mut placed = Vec::new();
    let mut push = |layer: usize, index: usize| {
        let r = IncidentRef {
            dataset: layer,
            index,
        };
        if let Some(point) = scene.incident(r).point {
            let pos = transform.point(point);
            if view.contains(pos) {
                placed.push(Placed { incident: r, pos });
            }
        }
    };
    // A cell's worth of margin, so rounding between world and screen loses no marker.
    let world = clusters::world_rect(transform, view.expand(2.0));
    for part in &scene.visible.parts {
        if part.indices.len() <= SCAN_FACTOR * in_view + SCAN_FLOOR {
            for &i in &part.indices {
                push(part.layer, i as usize);
            }
            continue;
        }
        let grid = &part.index.grid;
        let mut found: Vec<u32> = Vec::new();
        grid.visit_cells(CellSet::Ranks(&part.tallies.ranks), &world, |_, rank| {
            found.extend(
                grid.members_in(rank, &part.candidates)
                    .iter()
                    .filter(|i| part.indices.binary_search(i).is_ok()),
            );
        });
        found.sort_unstable();
        for i in found {
            push(part.layer, i as usize);
        }
    }
    placed
}

/// Paints the incidents whose markers are `placed`.
pub fn paint(
    scene: &Scene<'_>,
    areas: &mut AreaCache,
    transform: &ScreenTransform,
    placed: &[Placed],
    hovered: Option<IncidentRef>,
    out: &mut Vec<Shape>,
) {
    // Areas first, under everything: each district or province an incident is placed in (once),
    // and the halo of the selected or hovered incident placed only to a wider region.
    let mut drawn_areas = std::collections::HashSet::new();
    for p in placed {
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
        for p in placed {
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
