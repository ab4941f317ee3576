//! Incidents on the map: the area an imprecise location covers, each claim's arrow from where its
//! claimant says fire came from to where it went, and a marker per incident.

use std::collections::HashMap;

use egui::{Color32, Pos2, Rect, Shape, Stroke};

use crate::view::spatial::CellSet;

use crate::basemap::{Fill, triangulate};
use crate::gazetteer::PlaceId;
use crate::model::{LocationPrecision, Placement};

use super::super::derived::VisiblePart;
use super::super::styling;
use super::super::{IncidentRef, Scene, colour};
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

/// Radius drawn around an incident placed only to an area the gazetteer has no outline for: the
/// precision's uncertainty, the same the exporter frames by; none for an exact point.
fn halo_metres(precision: LocationPrecision) -> Option<f32> {
    (precision != LocationPrecision::Exact).then(|| precision.uncertainty_metres() as f32)
}

/// The radius, in points, of the disc drawn for a precision that has no outline to show.
fn disc_radius(transform: &ScreenTransform, precision: LocationPrecision, lat: f64) -> f32 {
    let metres = halo_metres(precision).unwrap_or_default();
    (metres * transform.pixels_per_metre(lat)).max(style::MARKER_RADIUS * 2.0)
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
    fill: Color32,
    outline: Option<Color32>,
    out: &mut Vec<Shape>,
) {
    let mut mesh = egui::epaint::Mesh::default();
    for f in fills {
        let base = mesh.vertices.len() as u32;
        mesh.vertices
            .extend(f.vertices.iter().map(|w| egui::epaint::Vertex {
                pos: transform.to_screen(*w),
                uv: egui::epaint::WHITE_UV,
                color: fill,
            }));
        mesh.indices.extend(f.triangles.iter().map(|i| base + i));
    }
    out.push(Shape::mesh(mesh));
    let Some(colour) = outline else {
        return;
    };
    for f in fills {
        for ring in &f.rings {
            let points: Vec<Pos2> = ring.iter().map(|w| transform.to_screen(*w)).collect();
            out.extend(Shape::dashed_line(
                &points,
                Stroke::new(1.5, colour),
                6.0,
                4.0,
            ));
        }
    }
}

/// Where an imprecise incident's area is drawn: the outline the gazetteer has for the district or
/// province it is placed in, or else a disc of its precision's radius around its marker.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub enum AreaKey {
    Outline(PlaceId),
    /// A square of the map as wide as the disc (so discs of neighbouring squares barely
    /// overlap, and a hundred nearby incidents make one area, not a haze), and the precision.
    Disc([i32; 2], LocationPrecision),
}

/// One shaded area and the incidents located only to it.
#[derive(Clone, Debug)]
pub struct ShadedArea {
    pub key: AreaKey,
    /// The middle of its markers.
    pub pos: Pos2,
    lat: f64,
    /// Incidents located only to this area.
    pub count: usize,
    /// One of them is hovered or selected: the area is outlined in its colour.
    pub focused: bool,
    tint: Color32,
}

/// The areas the placed imprecise incidents are located to, each once, in the order first met.
/// Areas wider than a province (a region, a country) are shaded only while focused: shaded
/// always, they would cover the map.
pub fn shaded_areas(
    scene: &Scene<'_>,
    transform: &ScreenTransform,
    placed: &[Placed],
    hovered: Option<IncidentRef>,
) -> Vec<ShadedArea> {
    let mut index: HashMap<AreaKey, usize> = HashMap::new();
    let mut out: Vec<ShadedArea> = Vec::new();
    for p in placed {
        let incident = scene.incident(p.incident);
        let precision = incident.location.precision;
        if halo_metres(precision).is_none() {
            continue;
        }
        let focused = Some(p.incident) == scene.selected || Some(p.incident) == hovered;
        let wide = matches!(
            precision,
            LocationPrecision::Region | LocationPrecision::Country
        );
        if wide && !focused {
            continue;
        }
        let outline = incident
            .location
            .place
            .as_ref()
            .and_then(|pl| pl.resolved)
            .filter(|_| matches!(incident.placement, Placement::Gazetteer(_)))
            .filter(|_| {
                matches!(
                    precision,
                    LocationPrecision::District | LocationPrecision::Province
                )
            })
            .filter(|id| scene.gazetteer.place(*id).polygon.is_some());
        let key = match outline {
            Some(place) => AreaKey::Outline(place),
            None => {
                let cell = 2.0 * disc_radius(transform, precision, point_lat(scene, p.incident));
                AreaKey::Disc(
                    [
                        (p.pos.x / cell).floor() as i32,
                        (p.pos.y / cell).floor() as i32,
                    ],
                    precision,
                )
            }
        };
        let tint = || {
            scene
                .colours(p.incident)
                .first()
                .copied()
                .unwrap_or(Color32::GRAY)
        };
        match index.get(&key) {
            Some(&n) => {
                let area = &mut out[n];
                area.count += 1;
                // A running mean of the markers' positions.
                area.pos += (p.pos - area.pos) / area.count as f32;
                if focused && !area.focused {
                    area.focused = true;
                    area.tint = tint();
                }
            }
            None => {
                index.insert(key, out.len());
                out.push(ShadedArea {
                    key,
                    pos: p.pos,
                    lat: point_lat(scene, p.incident),
                    count: 1,
                    focused,
                    tint: if focused { tint() } else { Color32::GRAY },
                });
            }
        }
    }
    out
}

/// The count of each stack, on a dark tab at the marker's upper right, over everything else.
pub fn paint_stack_counts(painter: &egui::Painter, stacks: &[(Pos2, usize)], out: &mut Vec<Shape>) {
    for &(pos, count) in stacks {
        let galley = painter.layout_no_wrap(
            count.to_string(),
            egui::FontId::proportional(10.0),
            Color32::WHITE,
        );
        let corner = pos + egui::vec2(style::MARKER_RADIUS * 0.6, -style::MARKER_RADIUS * 0.6);
        let rect = Rect::from_min_size(corner - egui::vec2(0.0, galley.size().y), galley.size())
            .expand2(egui::vec2(3.0, 1.0));
        out.push(Shape::rect_filled(rect, 4.0, style::STACK_COUNT));
        out.push(Shape::galley(
            rect.min + egui::vec2(3.0, 1.0),
            galley,
            Color32::WHITE,
        ));
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
    // The position from the layer's columns: the visible incidents may be tens of thousands.
    let mut push = |part: &VisiblePart, index: usize| {
        if let Some(point) = part.index.columns.point(index) {
            let pos = transform.point(point);
            if view.contains(pos) {
                let incident = IncidentRef {
                    dataset: part.layer,
                    index,
                };
                placed.push(Placed { incident, pos });
            }
        }
    };
    // A cell's worth of margin, so rounding between world and screen loses no marker.
    let world = clusters::world_rect(transform, view.expand(2.0));
    for part in &scene.visible.parts {
        if part.indices.len() <= SCAN_FACTOR * in_view + SCAN_FLOOR {
            for &i in part.indices.iter() {
                push(part, i as usize);
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
            push(part, i as usize);
        }
    }
    placed
}

/// Paints the incidents whose markers are `placed`, but for the markers of those `skip` keeps
/// (a spread draws them over everything); returns the areas shaded and their counts.
pub fn paint(
    scene: &Scene<'_>,
    areas: &mut AreaCache,
    transform: &ScreenTransform,
    placed: &[Placed],
    hovered: Option<IncidentRef>,
    skip: impl Fn(IncidentRef) -> bool,
    out: &mut Vec<Shape>,
) -> Vec<(AreaKey, usize)> {
    // Areas first, under everything: one per place however many incidents share it, quiet until
    // one of its incidents is hovered or selected.
    let shaded = shaded_areas(scene, transform, placed, hovered);
    for area in &shaded {
        let (fill, outline) = if area.focused {
            (with_alpha(area.tint, 64), Some(with_alpha(area.tint, 210)))
        } else {
            (style::AREA, None)
        };
        match area.key {
            AreaKey::Outline(place) => {
                let fills = areas.fills(scene, place).to_vec();
                area_shapes(&fills, transform, fill, outline, out);
            }
            AreaKey::Disc(_, precision) => {
                let metres = halo_metres(precision).unwrap_or_default();
                let radius =
                    (metres * transform.pixels_per_metre(area.lat)).max(style::MARKER_RADIUS * 2.0);
                out.push(Shape::circle_filled(area.pos, radius, fill));
                if let Some(colour) = outline {
                    let ring: Vec<Pos2> = (0..=48)
                        .map(|i| {
                            let a = i as f32 / 48.0 * std::f32::consts::TAU;
                            area.pos + egui::vec2(a.cos(), a.sin()) * radius
                        })
                        .collect();
                    out.extend(Shape::dashed_line(
                        &ring,
                        Stroke::new(1.5, colour),
                        6.0,
                        4.0,
                    ));
                }
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
                    .details
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
                for from in claim.details.from.iter().filter_map(|f| f.resolved) {
                    let start = transform.point(scene.gazetteer.place(from).point);
                    for &end in &targets {
                        markers::arrow(start, end, bend, tint, out);
                    }
                }
            }
        }
    }

    // Selected last, so it is never hidden under a neighbour; sized by their dead, the large
    // ones first, so a small one beside them stays in sight.
    let mut order: Vec<&Placed> = placed.iter().filter(|p| !skip(p.incident)).collect();
    if scene.settings.styling.size_by_fatalities {
        order.sort_by(|a, b| {
            let size =
                |p: &Placed| styling::size_factor(styling::fatalities(scene.incident(p.incident)));
            size(b).total_cmp(&size(a))
        });
    }
    order.sort_by_key(|p| Some(p.incident) == scene.selected);
    for p in order {
        paint_marker(scene, p, hovered, out);
    }
    shaded.iter().map(|a| (a.key, a.count)).collect()
}

/// One incident's marker: its category's shape in its sides' colours, faded when dated only to
/// a range, ringed when its date is inferred, hollow when located only to an area.
pub fn paint_marker(
    scene: &Scene<'_>,
    p: &Placed,
    hovered: Option<IncidentRef>,
    out: &mut Vec<Shape>,
) {
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
    let plain = if scene.settings.styling.size_by_fatalities {
        style::MARKER_RADIUS * styling::size_factor(styling::fatalities(incident))
    } else {
        style::MARKER_RADIUS
    };
    let radius = if selected { plain + 1.5 } else { plain };
    markers::marker(p.pos, radius, &incident.category, &style, out);
}

fn point_lat(scene: &Scene<'_>, r: IncidentRef) -> f64 {
    scene.incident(r).point().map_or(40.0, |p| p.y())
}

/// The marker under the pointer, nearest first.
pub fn hit(placed: &[Placed], pointer: Pos2) -> Option<IncidentRef> {
    hit_among(placed, pointer, |_| true)
}

/// [`hit`] among the markers `eligible` accepts.
pub fn hit_among(
    placed: &[Placed],
    pointer: Pos2,
    eligible: impl Fn(IncidentRef) -> bool,
) -> Option<IncidentRef> {
    let reach = style::MARKER_RADIUS + style::HIT_SLOP;
    placed
        .iter()
        .filter(|p| eligible(p.incident))
        .map(|p| (p.pos.distance(pointer), p.incident))
        .filter(|(d, _)| *d <= reach)
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, r)| r)
}
