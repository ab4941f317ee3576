//! Markers on one spot, or so near one another that they cover each other: a stack. It carries
//! its count, lists its incidents on hover, and when clicked spreads out — its markers fanned
//! around the spot on leader lines, each one hit-tested and selectable like any marker — until
//! the map is zoomed or empty map is clicked.
//!
//! A stack is a set of incidents, not a place: a spread names its incidents and follows its spot
//! as the map pans, and closes when none of them is drawn any more.

use std::collections::HashMap;

use egui::{Color32, Pos2, Shape, Stroke, Vec2, vec2};

use crate::basemap::World;

use super::super::IncidentRef;
use super::incidents_layer::Placed;
use super::style;
use super::transform::ScreenTransform;

/// Markers whose centres are closer than this cover more than half of each other: the one
/// underneath cannot be pointed at, so they are one stack.
pub const STACK_PX: f32 = style::MARKER_RADIUS;
/// At most this many markers are fanned out (a spiral of 200 is ~320 px across); the rest of a
/// larger stack is reached through the claims panel's list of it.
pub const SPREAD_LIMIT: usize = 200;
/// Centre-to-centre distance of fanned markers: a marker's width and a gap to click between.
const FAN_SPACING: f32 = 2.0 * style::MARKER_RADIUS + 6.0;
/// Up to this many, the fan is one ring; more wind into a spiral.
const RING_MAX: usize = 9;
/// Behind a spread: dims the map under it so the fan reads as one thing.
const SPREAD_BACKDROP: Color32 = Color32::from_rgba_premultiplied(0xf4, 0xf4, 0xf4, 0xc8);
const LEADER: Color32 = Color32::from_rgb(0x50, 0x50, 0x58);

/// Incidents drawn on (nearly) one spot this frame.
#[derive(Clone, Debug)]
pub struct Stack {
    /// Where the first of them is drawn: the spot the count and a spread hang from.
    pub pos: Pos2,
    /// Its incidents, in the order the map placed them (per layer, by date).
    pub incidents: Vec<IncidentRef>,
}

/// Groups `placed` into stacks of two or more: each marker joins the nearest stack whose spot is
/// within [`STACK_PX`], else starts its own. Linear in the markers (a hash grid of the spots).
pub fn group(placed: &[Placed]) -> Vec<Stack> {
    let cell_of = |p: Pos2| {
        [
            (p.x / STACK_PX).floor() as i32,
            (p.y / STACK_PX).floor() as i32,
        ]
    };
    let mut grid: HashMap<[i32; 2], Vec<usize>> = HashMap::new();
    let mut stacks: Vec<Stack> = Vec::new();
    for p in placed {
        let [cx, cy] = cell_of(p.pos);
        let mut nearest: Option<(f32, usize)> = None;
        for dx in -1..=1 {
            for dy in -1..=1 {
                for &n in grid.get(&[cx + dx, cy + dy]).into_iter().flatten() {
                    let d = stacks[n].pos.distance(p.pos);
                    if d < STACK_PX && nearest.is_none_or(|(best, _)| d < best) {
                        nearest = Some((d, n));
                    }
                }
            }
        }
        match nearest {
            Some((_, n)) => stacks[n].incidents.push(p.incident),
            None => {
                grid.entry([cx, cy]).or_default().push(stacks.len());
                stacks.push(Stack {
                    pos: p.pos,
                    incidents: vec![p.incident],
                });
            }
        }
    }
    stacks.retain(|s| s.incidents.len() > 1);
    stacks
}

/// The stack a marker belongs to, if it is stacked.
pub fn containing(stacks: &[Stack], incident: IncidentRef) -> Option<&Stack> {
    stacks.iter().find(|s| s.incidents.contains(&incident))
}

/// Offsets of `n` fanned markers from their spot: one ring for a few, else a sunflower spiral
/// (Vogel's), which packs any number evenly with no marker on the spot itself.
pub fn fan(n: usize) -> Vec<Vec2> {
    if n <= RING_MAX {
        let radius = (n as f32 * FAN_SPACING / std::f32::consts::TAU).max(FAN_SPACING * 1.3);
        return (0..n)
            .map(|i| {
                // From twelve o'clock, clockwise: the first incident on top.
                let a = i as f32 / n as f32 * std::f32::consts::TAU;
                vec2(a.sin(), -a.cos()) * radius
            })
            .collect();
    }
    // Vogel: point i at radius c·√(i + hole), turned by the golden angle; neighbours sit about
    // 1.9·c apart.
    let golden = std::f32::consts::PI * (3.0 - 5f32.sqrt());
    let c = FAN_SPACING / 1.9;
    let hole = 3.0;
    (0..n)
        .map(|i| {
            let r = c * (i as f32 + hole).sqrt();
            let a = i as f32 * golden;
            vec2(a.sin(), -a.cos()) * r
        })
        .collect()
}

/// A stack spread out: which incidents, around which spot, at which zoom.
#[derive(Clone, Debug)]
pub struct Spread {
    /// The spot, in world coordinates, so the fan follows it as the map pans.
    pub anchor: World,
    /// The incidents fanned out (at most [`SPREAD_LIMIT`]).
    pub incidents: Vec<IncidentRef>,
    /// How many the stack held: more than are fanned when past the limit.
    pub stacked: usize,
    zoom: f64,
}

impl Spread {
    pub fn new(stack: &Stack, transform: &ScreenTransform, zoom: f64) -> Spread {
        Spread {
            anchor: transform.to_world(stack.pos),
            incidents: stack.incidents.iter().copied().take(SPREAD_LIMIT).collect(),
            stacked: stack.incidents.len(),
            zoom,
        }
    }

    /// A zoom moves the markers apart or together: the stack it spread is no longer what the
    /// map shows.
    pub fn outlived_by(&self, zoom: f64) -> bool {
        (self.zoom - zoom).abs() > 1e-6
    }

    /// Where the fanned incidents among `placed` go: the spot on screen and, per fanned marker,
    /// its index in `placed` and its place in the fan; `None` when none of its incidents is
    /// drawn any more.
    pub fn lay_out(
        &self,
        placed: &[Placed],
        transform: &ScreenTransform,
    ) -> Option<(Pos2, Vec<(usize, Pos2)>)> {
        let spot = transform.to_screen(self.anchor);
        let slots: HashMap<IncidentRef, usize> = self
            .incidents
            .iter()
            .enumerate()
            .map(|(slot, &r)| (r, slot))
            .collect();
        let offsets = fan(self.incidents.len());
        let fanned: Vec<(usize, Pos2)> = placed
            .iter()
            .enumerate()
            .filter_map(|(n, p)| Some((n, spot + offsets[*slots.get(&p.incident)?])))
            .collect();
        (!fanned.is_empty()).then_some((spot, fanned))
    }

    pub fn contains(&self, incident: IncidentRef) -> bool {
        self.incidents.contains(&incident)
    }
}

/// What goes under a spread's markers: a pale disc over the map, a leader line from the spot to
/// each marker, and the spot itself.
/// Paints the fan's backdrop and leader lines; returns the backdrop's radius.
pub fn paint_under(spot: Pos2, fanned: &[Pos2], out: &mut Vec<Shape>) -> f32 {
    let reach = fanned
        .iter()
        .map(|p| p.distance(spot))
        .fold(0.0f32, f32::max)
        + style::MARKER_RADIUS
        + 6.0;
    out.push(Shape::circle_filled(spot, reach, SPREAD_BACKDROP));
    out.push(Shape::circle_stroke(
        spot,
        reach,
        Stroke::new(1.0, Color32::from_gray(150)),
    ));
    for &p in fanned {
        out.push(Shape::line_segment([spot, p], Stroke::new(1.0, LEADER)));
    }
    out.push(Shape::circle_filled(spot, 3.0, LEADER));
    reach
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(index: usize, x: f32, y: f32) -> Placed {
        Placed {
            incident: IncidentRef { dataset: 0, index },
            pos: Pos2::new(x, y),
        }
    }

    #[test]
    fn markers_on_one_spot_or_nearly_stack_and_apart_do_not() {
        let placed = [
            at(0, 100.0, 100.0),
            at(1, 100.0, 100.0),
            at(2, 103.0, 102.0),
            at(3, 100.0 + STACK_PX + 1.0, 100.0),
            at(4, 300.0, 300.0),
        ];
        let stacks = group(&placed);
        assert_eq!(stacks.len(), 1, "{stacks:?}");
        let indices: Vec<usize> = stacks[0].incidents.iter().map(|r| r.index).collect();
        assert_eq!(indices, vec![0, 1, 2]);
        assert_eq!(stacks[0].pos, Pos2::new(100.0, 100.0));
    }

    #[test]
    fn a_fan_keeps_its_markers_apart_and_off_the_spot() {
        for n in [2, 3, 8, 9, 10, 50, SPREAD_LIMIT] {
            let offsets = fan(n);
            assert_eq!(offsets.len(), n);
            for (i, a) in offsets.iter().enumerate() {
                assert!(
                    a.length() >= 2.0 * style::MARKER_RADIUS,
                    "n={n}: marker {i} on the spot"
                );
                for b in &offsets[i + 1..] {
                    assert!(
                        (*a - *b).length() >= 2.0 * style::MARKER_RADIUS,
                        "n={n}: markers {a:?} and {b:?} overlap"
                    );
                }
            }
        }
    }
}
