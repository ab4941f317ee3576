//! Place names on the map under the chosen naming convention: rayon and marz names where they fit,
//! settlements as dots with labels placed greedily without overlaps — places the incidents in view
//! name first (their location, and where claims say fire came from and went to: villages, towns,
//! districts and provinces alike), then by population. A named place's label avoids markers when
//! it can and otherwise sits over them on its halo, so a marker never hides it; a district's or
//! province's label stays inside its outline.

use std::collections::HashSet;

use egui::{Align2, FontId, Painter, Pos2, Rect, Shape, Stroke, Vec2, vec2};
use geo::Contains;

use crate::basemap::World;
use crate::gazetteer::{Gazetteer, Naming, PlaceId, PlaceKind};

use super::occupied::Occupied;
use super::style;
use super::transform::ScreenTransform;

/// Distance from a dot to its label: clears an incident marker drawn on the same place.
const LABEL_GAP: f32 = style::MARKER_RADIUS + 4.0;

/// Settlements by population, largest first, with their world positions: sorted once.
pub struct Settlements {
    entries: Vec<(PlaceId, World, u64)>,
    areas: Vec<(PlaceId, World, PlaceKind)>,
}

impl Settlements {
    pub fn new(gazetteer: &Gazetteer) -> Settlements {
        let mut entries: Vec<_> = gazetteer
            .places()
            .filter(|(_, p)| p.kind.is_settlement())
            .map(|(id, p)| {
                (
                    id,
                    World::from_lon_lat(p.point.x(), p.point.y()),
                    p.population,
                )
            })
            .collect();
        entries.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
        let areas = gazetteer
            .places()
            .filter(|(_, p)| {
                (p.id.starts_with("ne1:AZ-") || p.id.starts_with("ne1:AM-")) && p.kind.is_area()
            })
            .map(|(id, p)| (id, World::from_lon_lat(p.point.x(), p.point.y()), p.kind))
            .collect();
        Settlements { entries, areas }
    }
}

/// The smallest population labelled at a zoom: more detail as the user zooms in.
fn population_floor(zoom: f64) -> u64 {
    match zoom {
        z if z < 6.5 => 200_000,
        z if z < 7.5 => 40_000,
        z if z < 8.5 => 12_000,
        z if z < 9.5 => 4_000,
        z if z < 10.5 => 1_500,
        _ => 0,
    }
}

/// Where a label may go beside a place's dot, in order of preference: right, left, above, below.
fn beside_dot(pos: Pos2, size: Vec2) -> [Rect; 4] {
    [
        Align2::LEFT_CENTER.anchor_size(pos + vec2(LABEL_GAP, 0.0), size),
        Align2::RIGHT_CENTER.anchor_size(pos - vec2(LABEL_GAP, 0.0), size),
        Align2::CENTER_BOTTOM.anchor_size(pos - vec2(0.0, LABEL_GAP), size),
        Align2::CENTER_TOP.anchor_size(pos + vec2(0.0, LABEL_GAP), size),
    ]
}

/// Places a label beside a dot (or centred on its point) where it overlaps nothing already
/// placed; returns whether it found room.
#[allow(clippy::too_many_arguments)]
pub(super) fn try_label(
    painter: &Painter,
    rect: Rect,
    occupied: &mut Occupied,
    pos: Pos2,
    text: String,
    font: FontId,
    colour: egui::Color32,
    dot: bool,
    out: &mut Vec<Shape>,
) -> bool {
    let galley = painter.layout_no_wrap(text, font, colour);
    let size = galley.size();
    let candidates = if dot {
        beside_dot(pos, size).to_vec()
    } else {
        vec![Align2::CENTER_CENTER.anchor_size(pos, size)]
    };
    for candidate in candidates {
        if rect.contains_rect(candidate) && !occupied.overlaps(candidate.expand(1.0)) {
            out.push(Shape::rect_filled(
                candidate.expand(1.5),
                3.0,
                style::LABEL_HALO,
            ));
            out.push(Shape::galley(candidate.min, galley, colour));
            occupied.push(candidate);
            return true;
        }
    }
    false
}

/// The order named places are labelled in: settlements, then districts, then wider areas.
fn named_order(kind: PlaceKind) -> u8 {
    match kind {
        k if k.is_settlement() => 0,
        PlaceKind::District => 1,
        _ => 2,
    }
}

/// Offsets a named place's label may take, in multiples of its height: on the point, then
/// around it (a district label moves within its outline; a dot's label beside its dot).
const AREA_OFFSETS: [(f32, f32); 9] = [
    (0.0, 0.0),
    (0.0, 1.6),
    (0.0, -1.6),
    (1.5, 0.0),
    (-1.5, 0.0),
    (0.0, 3.2),
    (0.0, -3.2),
    (1.5, 1.6),
    (-1.5, -1.6),
];

/// Labels a place the incidents name: where it overlaps nothing if it can, else where it
/// overlaps no other label (over markers, on its halo). `fits` keeps an area's label inside its
/// outline; without it the label is a settlement's, beside its dot. Returns whether it was placed.
#[allow(clippy::too_many_arguments)]
fn place_named_label(
    painter: &Painter,
    rect: Rect,
    occupied: &mut Occupied,
    markers: usize,
    pos: Pos2,
    text: String,
    font: FontId,
    colour: egui::Color32,
    fits: Option<&dyn Fn(Rect) -> bool>,
    out: &mut Vec<Shape>,
) -> bool {
    let galley = painter.layout_no_wrap(text, font, colour);
    let size = galley.size();
    // A settlement's label goes beside its dot; an area's (with `fits`) around its label point.
    let dot = fits.is_none();
    let candidates: Vec<Rect> = if dot {
        beside_dot(pos, size).to_vec()
    } else {
        AREA_OFFSETS
            .iter()
            .map(|(dx, dy)| {
                Align2::CENTER_CENTER.anchor_size(pos + vec2(dx * size.y * 2.0, dy * size.y), size)
            })
            .collect()
    };
    let usable = |r: &Rect| rect.contains_rect(*r) && fits.is_none_or(|f| f(*r));
    let chosen = candidates
        .iter()
        .find(|c| usable(c) && !occupied.overlaps(c.expand(1.0)))
        .or_else(|| {
            candidates
                .iter()
                .find(|c| usable(c) && !occupied.overlaps_from(markers, c.expand(1.0)))
        })
        .copied();
    let Some(at) = chosen else {
        return false;
    };
    out.push(Shape::rect_filled(at.expand(1.5), 3.0, style::LABEL_HALO));
    out.push(Shape::galley(at.min, galley, colour));
    occupied.push(at);
    true
}

/// Paints names; `occupied` holds the screen areas already taken (markers), and grows.
#[allow(clippy::too_many_arguments)]
pub fn paint(
    painter: &Painter,
    gazetteer: &Gazetteer,
    settlements: &Settlements,
    referenced: &[PlaceId],
    unresolved: &[(Pos2, &str)],
    naming: Naming,
    transform: &ScreenTransform,
    rect: Rect,
    zoom: f64,
    districts: bool,
    occupied: &mut Occupied,
    out: &mut Vec<Shape>,
) {
    let referenced_set: HashSet<PlaceId> = referenced.iter().copied().collect();
    let floor = population_floor(zoom);
    let label_font = FontId::proportional(12.5);
    let strong_font = FontId::proportional(13.5);
    let mut labels = 0;

    // Places the incidents name: always labelled, settlements first, then districts, then
    // provinces and regions (a district label has more room to move than a town's).
    let markers = occupied.len();
    let mut named: Vec<PlaceId> = referenced
        .iter()
        .copied()
        .filter(|&id| {
            let kind = gazetteer.place(id).kind;
            kind.is_settlement()
                || matches!(
                    kind,
                    PlaceKind::District | PlaceKind::Province | PlaceKind::Region
                )
        })
        .collect();
    named.sort_by_key(|&id| named_order(gazetteer.place(id).kind));
    for id in named {
        let place = gazetteer.place(id);
        let pos = transform.point(place.point);
        if !rect.contains(pos) {
            continue;
        }
        let text = place.label(naming);
        if place.kind.is_area() {
            let inside = |candidate: Rect| {
                place.polygon.as_ref().is_none_or(|polygon| {
                    let (lon, lat) = transform.to_world(candidate.center()).to_lon_lat();
                    polygon.contains(&geo::Point::new(lon, lat))
                })
            };
            if place_named_label(
                painter,
                rect,
                occupied,
                markers,
                pos,
                text.to_uppercase(),
                FontId::proportional(12.5),
                style::DISTRICT_LABEL,
                Some(&inside),
                out,
            ) {
                labels += 1;
            }
            continue;
        }
        out.push(Shape::circle_filled(pos, 3.5, style::PLACE_DOT));
        out.push(Shape::circle_stroke(
            pos,
            3.5,
            Stroke::new(1.0, style::LAND),
        ));
        occupied.push(Rect::from_center_size(pos, vec2(7.0, 7.0)));
        if place_named_label(
            painter,
            rect,
            occupied,
            markers,
            pos,
            text,
            strong_font.clone(),
            style::LABEL,
            None,
            out,
        ) {
            labels += 1;
        }
    }

    // Rows whose place the gazetteer does not know: the file's own name, at the marker.
    let mut seen = HashSet::new();
    for &(pos, text) in unresolved {
        if !seen.insert(text) {
            continue;
        }
        if place_named_label(
            painter,
            rect,
            occupied,
            markers,
            pos,
            text.to_owned(),
            strong_font.clone(),
            style::LABEL,
            None,
            out,
        ) {
            labels += 1;
        }
    }

    // Rayon and marz names, at the zooms where they fit inside their outline.
    if districts {
        for &(id, world, kind) in &settlements.areas {
            if referenced_set.contains(&id) {
                continue;
            }
            let min_zoom = if kind == PlaceKind::Province {
                6.5
            } else {
                7.6
            };
            if zoom < min_zoom {
                continue;
            }
            let pos = transform.to_screen(world);
            if !rect.contains(pos) {
                continue;
            }
            let place = gazetteer.place(id);
            let name = place.label(naming).to_uppercase();
            try_label(
                painter,
                rect,
                occupied,
                pos,
                name,
                FontId::proportional(11.0),
                style::DISTRICT_LABEL,
                false,
                out,
            );
        }
    }

    // Settlements by population, down to the zoom's floor.
    for &(id, world, population) in &settlements.entries {
        if labels >= style::MAX_PLACE_LABELS || population < floor {
            break;
        }
        if referenced_set.contains(&id) {
            continue;
        }
        let pos = transform.to_screen(world);
        if !rect.contains(pos) {
            continue;
        }
        let dot = Rect::from_center_size(pos, vec2(5.0, 5.0));
        if occupied.overlaps(dot) {
            continue;
        }
        if try_label(
            painter,
            rect,
            occupied,
            pos,
            gazetteer.place(id).label(naming),
            label_font.clone(),
            style::LABEL,
            true,
            out,
        ) {
            out.push(Shape::circle_filled(pos, 2.5, style::PLACE_DOT));
            occupied.push(dot);
            labels += 1;
        }
    }
}
