//! Place names on the map under the chosen naming convention: rayon and marz names where they fit,
//! settlements as dots with labels placed greedily without overlaps — places the claims name
//! first, then by population.

use std::collections::HashSet;

use egui::{Align2, FontId, Painter, Pos2, Rect, Shape, Stroke, vec2};

use crate::basemap::World;
use crate::gazetteer::{Gazetteer, Naming, PlaceId, PlaceKind};

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

fn overlaps(placed: &[Rect], rect: Rect) -> bool {
    placed.iter().any(|r| r.intersects(rect))
}

/// Places a label beside a dot (or centred on its point) where it overlaps nothing already
/// placed; returns whether it found room.
#[allow(clippy::too_many_arguments)]
fn try_label(
    painter: &Painter,
    rect: Rect,
    occupied: &mut Vec<Rect>,
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
        vec![
            Align2::LEFT_CENTER.anchor_size(pos + vec2(LABEL_GAP, 0.0), size),
            Align2::RIGHT_CENTER.anchor_size(pos - vec2(LABEL_GAP, 0.0), size),
            Align2::CENTER_BOTTOM.anchor_size(pos - vec2(0.0, LABEL_GAP), size),
            Align2::CENTER_TOP.anchor_size(pos + vec2(0.0, LABEL_GAP), size),
        ]
    } else {
        vec![Align2::CENTER_CENTER.anchor_size(pos, size)]
    };
    for candidate in candidates {
        if rect.contains_rect(candidate) && !overlaps(occupied, candidate.expand(1.0)) {
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

/// Paints names; `occupied` holds the screen areas already taken (markers), and grows.
#[allow(clippy::too_many_arguments)]
pub fn paint(
    painter: &Painter,
    gazetteer: &Gazetteer,
    settlements: &Settlements,
    referenced: &[PlaceId],
    naming: Naming,
    transform: &ScreenTransform,
    rect: Rect,
    zoom: f64,
    districts: bool,
    occupied: &mut Vec<Rect>,
    out: &mut Vec<Shape>,
) {
    let referenced_set: HashSet<PlaceId> = referenced.iter().copied().collect();
    let floor = population_floor(zoom);
    let label_font = FontId::proportional(12.5);
    let strong_font = FontId::proportional(13.5);
    let mut labels = 0;

    // Places the claims name: always labelled when there is room.
    for &id in referenced {
        let place = gazetteer.place(id);
        if !place.kind.is_settlement() && place.kind != PlaceKind::Village {
            continue;
        }
        let pos = transform.point(place.point);
        if !rect.contains(pos) {
            continue;
        }
        out.push(Shape::circle_filled(pos, 3.5, style::PLACE_DOT));
        out.push(Shape::circle_stroke(
            pos,
            3.5,
            Stroke::new(1.0, style::LAND),
        ));
        occupied.push(Rect::from_center_size(pos, vec2(7.0, 7.0)));
        if try_label(
            painter,
            rect,
            occupied,
            pos,
            place.label(naming),
            strong_font.clone(),
            style::LABEL,
            true,
            out,
        ) {
            labels += 1;
        }
    }

    // Rayon and marz names, at the zooms where they fit inside their outline.
    if districts {
        for &(id, world, kind) in &settlements.areas {
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
        if overlaps(occupied, dot) {
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
