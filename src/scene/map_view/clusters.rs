//! When more incidents are in view than markers can be told apart, one disc per occupied square
//! of a screen-sized grid: area by the logarithm of the count, a ring split by side share in the
//! side colours, the count in the middle — so the shapes per frame stay bounded by the screen,
//! not the data.
//!
//! The squares are cells of a power-of-two world grid chosen per zoom (40–80 px on screen), so
//! they are exact unions of the spatial grid's cells: clustering adds up per-cell tallies and
//! never looks at an incident, and a pan does not reshuffle which incidents share a disc.

use egui::{Align2, Color32, FontId, Painter, Pos2, Rect, Shape, Stroke, vec2};

use crate::basemap::World;
use crate::view::WorldRect;
use crate::view::spatial::{CellSet, GRID_LEVEL};

use super::super::Scene;
use super::super::styling::ClassSlot;
use super::style;
use super::transform::ScreenTransform;

/// Past this many incidents in view, markers, arrows and labels would be an unreadable heap:
/// the map draws clusters instead.
pub const MARKER_LIMIT: usize = 1_000;
/// The smallest side of a cluster square on screen: a disc with a four-digit count fits in it.
const CLUSTER_PX: f64 = 40.0;
/// Discs grow with the logarithm of the count up to this, so a dense square never swallows its
/// neighbours.
const MAX_RADIUS: f32 = 26.0;
const COUNT_FONT: f32 = 11.5;
/// A disc's radius is at most this share of its square's side.
const NEIGHBOUR_ROOM: f64 = 0.4;
/// Behind the count, so it reads over any ring colour and in greyscale print.
const DISC_FILL: Color32 = Color32::WHITE;

/// One disc: the visible incidents of one square.
#[derive(Clone, Debug)]
pub struct Cluster {
    /// Where the disc is drawn: the mean position of its incidents.
    pub pos: Pos2,
    pub radius: f32,
    pub count: u32,
    /// Per [`ClassSlot`], the incidents' weight (a contested incident is half each side's).
    pub shares: Vec<f32>,
    /// The extent of its incidents' cells, what a click zooms to.
    pub bounds: WorldRect,
    /// Its square of the grid: every one of its incidents is in it, and no other's.
    pub square: WorldRect,
}

/// The world rectangle under a screen rectangle.
pub fn world_rect(transform: &ScreenTransform, screen: Rect) -> WorldRect {
    WorldRect {
        min: transform.to_world(screen.min),
        max: transform.to_world(screen.max),
    }
}

/// Visible incidents in the cells that meet `view`: at most one cell's worth over the exact
/// number in view, enough to choose between markers and clusters without looking at incidents.
pub fn in_view(scene: &Scene<'_>, view: &WorldRect) -> usize {
    let mut total = 0;
    for part in &scene.visible.parts {
        let tallies = &part.tallies;
        part.index
            .grid
            .visit_cells(CellSet::Ranks(&tallies.ranks), view, |at, _| {
                total += tallies.counts[at] as usize;
            });
    }
    total
}

/// Grid level whose cells are at least [`CLUSTER_PX`] on screen at this scale (px per world).
fn level_for(scale: f64) -> u32 {
    let level = (scale / CLUSTER_PX).log2().floor();
    (level.max(0.0) as u32).min(GRID_LEVEL)
}

/// Adds up the tallies of the cells in `screen` into one cluster per square of the zoom's grid.
pub fn build(scene: &Scene<'_>, transform: &ScreenTransform, screen: Rect) -> Vec<Cluster> {
    let view = world_rect(transform, screen);
    let level = level_for(transform.scale());
    let shift = GRID_LEVEL - level;
    // Neighbouring discs may sit closer than a square apart (they are drawn at their incidents'
    // mean position): keep them small enough that their counts stay readable.
    let max_radius = (transform.scale() / f64::from(1u32 << level) * NEIGHBOUR_ROOM) as f32;
    let low = crate::view::spatial::Cell::of(view.min);
    let high = crate::view::spatial::Cell::of(view.max);
    let (x0, y0) = (low.x >> shift, low.y >> shift);
    let columns = ((high.x >> shift) - x0 + 1) as usize;
    let rows = ((high.y >> shift) - y0 + 1) as usize;
    debug_assert!(columns * rows < 1 << 20, "squares are screen-sized");
    let slots = scene.visible.slots.len();
    // Dense over the screen's squares: a few thousand at most.
    let mut counts = vec![0u32; columns * rows];
    let mut sums = vec![(0.0f64, 0.0f64); columns * rows];
    let mut shares = vec![0.0f32; columns * rows * slots];
    let mut bounds: Vec<Option<WorldRect>> = vec![None; columns * rows];
    for part in &scene.visible.parts {
        let grid = &part.index.grid;
        let tallies = &part.tallies;
        grid.visit_cells(CellSet::Ranks(&tallies.ranks), &view, |at, rank| {
            let cell = grid.cell(rank);
            let (cx, cy) = ((cell.x >> shift) - x0, (cell.y >> shift) - y0);
            if cx as usize >= columns || cy as usize >= rows {
                return;
            }
            let square = cy as usize * columns + cx as usize;
            let count = tallies.counts[at];
            let centre = grid.centre(rank);
            counts[square] += count;
            let weight = f64::from(count);
            sums[square].0 += centre.x * weight;
            sums[square].1 += centre.y * weight;
            for s in 0..slots {
                shares[square * slots + s] += tallies.shares[at * slots + s];
            }
            let b = bounds[square].get_or_insert(WorldRect {
                min: centre,
                max: centre,
            });
            b.min = World {
                x: b.min.x.min(centre.x),
                y: b.min.y.min(centre.y),
            };
            b.max = World {
                x: b.max.x.max(centre.x),
                y: b.max.y.max(centre.y),
            };
        });
    }
    (0..columns * rows)
        .filter(|&square| counts[square] > 0)
        .filter_map(|square| {
            let count = counts[square];
            let n = f64::from(count);
            let pos = transform.to_screen(World {
                x: sums[square].0 / n,
                y: sums[square].1 / n,
            });
            let cells = f64::from(1u32 << GRID_LEVEL);
            let corner = |dx: u32, dy: u32| World {
                x: f64::from((x0 + (square % columns) as u32 + dx) << shift) / cells,
                y: f64::from((y0 + (square / columns) as u32 + dy) << shift) / cells,
            };
            Some(Cluster {
                pos,
                square: WorldRect {
                    min: corner(0, 0),
                    max: corner(1, 1),
                },
                radius: radius(count).min(max_radius.max(style::MARKER_RADIUS * 1.5)),
                count,
                shares: shares[square * slots..(square + 1) * slots].to_vec(),
                bounds: bounds[square]?,
            })
        })
        .collect()
}

/// Disc radius: grows by a fixed step per tenfold count, from a marker-and-a-half.
fn radius(count: u32) -> f32 {
    (style::MARKER_RADIUS * 1.5 + 4.0 * (count.max(1) as f32).log10()).min(MAX_RADIUS)
}

/// The count as printed on a disc: exact below ten thousand, then "12k", "1.2M".
pub fn count_label(count: u32) -> String {
    match count {
        0..10_000 => crate::scene::text::thousands(u64::from(count)),
        10_000..1_000_000 => format!("{}k", count / 1000),
        _ => format!("{:.1}M", f64::from(count) / 1e6),
    }
}

/// The wedges of a ring from `inner` to `outer`, `a0..a1` radians clockwise from north, as
/// convex pieces of at most a quarter turn.
fn wedge(
    centre: Pos2,
    inner: f32,
    outer: f32,
    a0: f32,
    a1: f32,
    fill: Color32,
    out: &mut Vec<Shape>,
) {
    let quarter = std::f32::consts::FRAC_PI_2;
    let at = |a: f32, r: f32| centre + vec2(a.sin(), -a.cos()) * r;
    let mut start = a0;
    while start < a1 - 1e-4 {
        let end = (start + quarter).min(a1);
        let steps = ((end - start) / 0.15).ceil().max(1.0) as usize;
        let mut points: Vec<Pos2> = (0..=steps)
            .map(|k| at(start + (end - start) * k as f32 / steps as f32, outer))
            .collect();
        points.extend(
            (0..=steps)
                .rev()
                .map(|k| at(start + (end - start) * k as f32 / steps as f32, inner)),
        );
        out.push(Shape::convex_polygon(points, fill, Stroke::NONE));
        start = end;
    }
}

/// Draws the discs, largest first so small ones stay on top and visible.
pub fn paint(
    painter: &Painter,
    clusters: &[Cluster],
    sides: &[ClassSlot],
    hovered: Option<usize>,
    out: &mut Vec<Shape>,
) {
    let mut order: Vec<usize> = (0..clusters.len()).collect();
    order.sort_by(|&a, &b| clusters[b].count.cmp(&clusters[a].count));
    let tau = std::f32::consts::TAU;
    for n in order {
        let c = &clusters[n];
        let inner = c.radius - (c.radius * 0.32).max(4.0);
        out.push(Shape::circle_filled(
            c.pos,
            c.radius + 1.5,
            style::LABEL_HALO,
        ));
        let mut angle = 0.0;
        let total = c.count as f32;
        let mut seams = Vec::new();
        for (s, share) in c.shares.iter().enumerate() {
            if *share <= 0.0 {
                continue;
            }
            let sweep = tau * (share / total).min(1.0);
            let fill = sides.get(s).map_or(Color32::GRAY, |side| side.colour);
            wedge(c.pos, inner, c.radius, angle, angle + sweep, fill, out);
            seams.push(angle);
            angle += sweep;
        }
        // Incidents no side speaks for, in grey.
        if angle < tau - 1e-3 {
            wedge(c.pos, inner, c.radius, angle, tau, Color32::GRAY, out);
            seams.push(angle);
        }
        if seams.len() > 1 {
            for a in seams {
                let d = vec2(a.sin(), -a.cos());
                out.push(Shape::line_segment(
                    [c.pos + d * inner, c.pos + d * c.radius],
                    Stroke::new(1.0, Color32::WHITE),
                ));
            }
        }
        out.push(Shape::circle_filled(c.pos, inner, DISC_FILL));
        let width = if hovered == Some(n) { 2.0 } else { 1.2 };
        out.push(Shape::circle_stroke(
            c.pos,
            c.radius,
            Stroke::new(width, style::MARKER_OUTLINE),
        ));
        let galley = painter.layout_no_wrap(
            count_label(c.count),
            FontId::proportional(COUNT_FONT),
            style::LABEL,
        );
        let at = Align2::CENTER_CENTER.anchor_size(c.pos, galley.size());
        out.push(Shape::galley(at.min, galley, style::LABEL));
    }
}

/// The disc under the pointer, nearest centre first.
pub fn hit(clusters: &[Cluster], pointer: Pos2) -> Option<usize> {
    clusters
        .iter()
        .enumerate()
        .map(|(n, c)| (c.pos.distance(pointer) - c.radius, n))
        .filter(|(d, _)| *d <= style::HIT_SLOP)
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, n)| n)
}

/// What a hovered disc's tooltip says: the count and each side's share.
pub fn describe(cluster: &Cluster, sides: &[ClassSlot]) -> String {
    let total = cluster.count as f32;
    let parts: Vec<String> = cluster
        .shares
        .iter()
        .zip(sides)
        .filter(|(share, _)| **share > 0.0)
        .map(|(share, side)| format!("{} {:.0}%", side.name, share / total * 100.0))
        .collect();
    let noun = if cluster.count == 1 {
        "incident"
    } else {
        "incidents"
    };
    format!(
        "{} {noun}: {}. Click to zoom in.",
        count_label(cluster.count),
        parts.join(", ")
    )
}
