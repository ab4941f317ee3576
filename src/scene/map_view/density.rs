//! Density views, for when markers are too many to read: count the visible incidents in view per
//! hexagon, or splat them on a grid and blur it into a heat surface; then colour by count.
//!
//! Both start from the visible set's per-cell tallies (one weighted point per occupied grid cell)
//! while a cell is smaller than a few pixels, and from the incidents themselves closer in, so a
//! frame costs the cells in view, not the rows loaded. Hexagons have a fixed size per power-of-two
//! zoom level and are anchored to the world, so panning never reshuffles them; their counts are
//! classed by fixed breaks, the same in every view and figure. The heat surface is relative: its
//! darkest colour is the densest spot in view, which its legend says.

use egui::epaint::{Mesh, Vertex, WHITE_UV};
use egui::{Color32, Pos2, Rect, Shape, Stroke, pos2};

use crate::basemap::World;
use crate::view::WorldRect;
use crate::view::spatial::{CellSet, GRID_LEVEL};

use super::super::Scene;
use super::super::styling::{self, DensityView};
use super::clusters;
use super::transform::ScreenTransform;

/// Up to this many pixels a grid cell is, its tally stands for its incidents: the error is below
/// what a hexagon or the heat kernel can show.
const EXACT_CELL_PX: f64 = 3.0;
/// A hexagon's radius (centre to corner) on screen is between this and twice this.
const HEX_PX: f64 = 14.0;
/// Heat grid spacing: fine enough for a smooth surface, coarse enough to blur every frame.
const HEAT_STEP: f32 = 5.0;
/// The heat kernel's standard deviation in grid steps (here 15 px on screen).
const HEAT_SIGMA: f32 = 3.0;
/// Below this share of the peak the surface is left clear, so the basemap shows around it.
const HEAT_FLOOR: f32 = 0.02;
/// Hexagons are nearly opaque: their colour is the message, the basemap only orients.
const HEX_ALPHA: f32 = 0.85;

/// What a legend needs to explain the density drawn.
#[derive(Clone, Copy, PartialEq, Debug)]
pub struct DensityDrawn {
    pub view: DensityView,
    /// The most incidents in one hexagon, or under the heat surface's peak.
    pub max: f32,
    /// Hexagons: their radius on screen in points.
    pub hex_radius: f32,
}

/// One hexagon of the grid with its count.
#[derive(Clone, Debug)]
pub struct Hexagon {
    pub centre: Pos2,
    pub radius: f32,
    pub count: f32,
    /// What a click zooms to.
    pub bounds: WorldRect,
}

/// The visible incidents in `view` as weighted screen points.
fn points(scene: &Scene<'_>, transform: &ScreenTransform, view: Rect) -> Vec<(Pos2, f32)> {
    let world = clusters::world_rect(transform, view);
    let exact = transform.scale() / f64::from(1u32 << GRID_LEVEL) > EXACT_CELL_PX;
    let mut out = Vec::new();
    for part in &scene.visible.parts {
        let grid = &part.index.grid;
        let tallies = &part.tallies;
        let columns = &part.index.columns;
        grid.visit_cells(CellSet::Ranks(&tallies.ranks), &world, |at, rank| {
            if exact {
                for &i in grid.members_in(rank, &part.candidates) {
                    if part.indices.binary_search(&i).is_ok()
                        && let Some(p) = columns.point(i as usize)
                    {
                        let w = World::from_lon_lat(p.x(), p.y());
                        out.push((transform.to_screen(w), 1.0));
                    }
                }
            } else {
                out.push((
                    transform.to_screen(grid.centre(rank)),
                    tallies.counts[at] as f32,
                ));
            }
        });
    }
    out
}

/// The colour of a hexagon holding `count` incidents: its class of the fixed count breaks.
pub fn hex_colour(count: f32) -> Color32 {
    hex_colour_of(styling::count_colour(f64::from(count)))
}

/// A count class's colour as a hexagon wears it.
pub fn hex_colour_of(class: Color32) -> Color32 {
    class.gamma_multiply(HEX_ALPHA)
}

/// Counts the visible incidents in view per hexagon.
pub fn hexagons(scene: &Scene<'_>, transform: &ScreenTransform, view: Rect) -> Vec<Hexagon> {
    // The world size of a hexagon: a power of two, so it holds still while zooming within a level.
    let level = (transform.scale() / HEX_PX).log2().floor().max(0.0);
    let size_world = 1.0 / 2f64.powf(level);
    let radius = (size_world * transform.scale()) as f32;
    let sqrt3 = 3f64.sqrt();
    let mut counts: std::collections::HashMap<(i64, i64), f32> = Default::default();
    for (p, weight) in points(scene, transform, view) {
        let w = transform.to_world(p);
        let (x, y) = (w.x / size_world, w.y / size_world);
        let q = sqrt3 / 3.0 * x - y / 3.0;
        let r = 2.0 / 3.0 * y;
        *counts.entry(hex_round(q, r)).or_default() += weight;
    }
    let mut out: Vec<Hexagon> = counts
        .into_iter()
        .map(|((q, r), count)| {
            let (q, r) = (q as f64, r as f64);
            let centre = World {
                x: sqrt3 * (q + r / 2.0) * size_world,
                y: 1.5 * r * size_world,
            };
            let half = World {
                x: size_world,
                y: size_world,
            };
            Hexagon {
                centre: transform.to_screen(centre),
                radius,
                count,
                bounds: WorldRect {
                    min: World {
                        x: centre.x - half.x,
                        y: centre.y - half.y,
                    },
                    max: World {
                        x: centre.x + half.x,
                        y: centre.y + half.y,
                    },
                },
            }
        })
        .collect();
    // A stable order, so two frames of the same view paint the same.
    out.sort_by(|a, b| {
        (a.centre.y, a.centre.x)
            .partial_cmp(&(b.centre.y, b.centre.x))
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    out
}

/// The axial hexagon holding fractional axial coordinates (q, r), by cube rounding.
fn hex_round(q: f64, r: f64) -> (i64, i64) {
    let s = -q - r;
    let (mut rq, mut rr, rs) = (q.round(), r.round(), s.round());
    let (dq, dr, ds) = ((rq - q).abs(), (rr - r).abs(), (rs - s).abs());
    if dq > dr && dq > ds {
        rq = -rr - rs;
    } else if dr > ds {
        rr = -rq - rs;
    }
    (rq as i64, rr as i64)
}

fn hexagon_corners(centre: Pos2, radius: f32) -> Vec<Pos2> {
    (0..6)
        .map(|i| {
            let a = std::f32::consts::FRAC_PI_6 + i as f32 * std::f32::consts::FRAC_PI_3;
            centre + egui::vec2(a.cos(), a.sin()) * radius
        })
        .collect()
}

pub fn paint_hexagons(hexagons: &[Hexagon], hovered: Option<usize>, out: &mut Vec<Shape>) {
    for (n, h) in hexagons.iter().enumerate() {
        let stroke = if hovered == Some(n) {
            Stroke::new(2.0, super::style::MARKER_OUTLINE)
        } else {
            Stroke::new(0.6, Color32::WHITE)
        };
        out.push(Shape::convex_polygon(
            hexagon_corners(h.centre, h.radius),
            hex_colour(h.count),
            stroke,
        ));
    }
}

/// What a hovered hexagon's tooltip says.
pub fn describe(hexagon: &Hexagon) -> String {
    let count = hexagon.count.round() as u64;
    let noun = if count == 1 { "incident" } else { "incidents" };
    format!(
        "{} {noun} in this hexagon. Click to zoom in.",
        super::super::text::thousands(count)
    )
}

/// The hexagon under the pointer.
pub fn hit(hexagons: &[Hexagon], pointer: Pos2) -> Option<usize> {
    hexagons
        .iter()
        .enumerate()
        .filter(|(_, h)| h.centre.distance(pointer) <= h.radius * 0.95)
        .min_by(|a, b| {
            a.1.centre
                .distance(pointer)
                .total_cmp(&b.1.centre.distance(pointer))
        })
        .map(|(n, _)| n)
}

/// A heat surface over `view`: the incidents splatted on a grid, blurred, coloured by their
/// share of the peak. Returns the mesh and the peak (incidents per grid step, before blurring
/// weights are normalised: a relative scale).
pub fn heat(scene: &Scene<'_>, transform: &ScreenTransform, view: Rect) -> (Shape, f32) {
    let columns = (view.width() / HEAT_STEP).ceil() as usize + 2;
    let rows = (view.height() / HEAT_STEP).ceil() as usize + 2;
    let mut grid = vec![0.0f32; columns * rows];
    let mut total = 0.0;
    for (p, weight) in points(scene, transform, view) {
        let (x, y) = (
            (p.x - view.min.x) / HEAT_STEP,
            (p.y - view.min.y) / HEAT_STEP,
        );
        let (cx, cy) = (x.round(), y.round());
        if cx >= 0.0 && cy >= 0.0 && (cx as usize) < columns && (cy as usize) < rows {
            grid[cy as usize * columns + cx as usize] += weight;
            total += weight;
        }
    }
    if total == 0.0 {
        return (Shape::Noop, 0.0);
    }
    blur(&mut grid, columns, rows);
    let peak = grid.iter().copied().fold(0.0f32, f32::max);
    let mut mesh = Mesh::default();
    let colours: Vec<Color32> = grid.iter().map(|&v| heat_colour(v / peak)).collect();
    for y in 0..rows {
        for x in 0..columns {
            mesh.vertices.push(Vertex {
                pos: pos2(
                    view.min.x + x as f32 * HEAT_STEP,
                    view.min.y + y as f32 * HEAT_STEP,
                ),
                uv: WHITE_UV,
                color: colours[y * columns + x],
            });
        }
    }
    for y in 0..rows - 1 {
        for x in 0..columns - 1 {
            let at = |dx: usize, dy: usize| ((y + dy) * columns + x + dx) as u32;
            let corners = [at(0, 0), at(1, 0), at(0, 1), at(1, 1)];
            if corners
                .iter()
                .all(|&c| colours[c as usize] == Color32::TRANSPARENT)
            {
                continue;
            }
            mesh.add_triangle(corners[0], corners[1], corners[2]);
            mesh.add_triangle(corners[1], corners[3], corners[2]);
        }
    }
    (Shape::mesh(mesh), peak)
}

/// A separable Gaussian blur of the grid, in place.
fn blur(grid: &mut [f32], columns: usize, rows: usize) {
    let reach = (HEAT_SIGMA * 3.0).ceil() as isize;
    let kernel: Vec<f32> = (-reach..=reach)
        .map(|d| (-(d * d) as f32 / (2.0 * HEAT_SIGMA * HEAT_SIGMA)).exp())
        .collect();
    let mut line = Vec::new();
    let mut pass =
        |grid: &mut [f32], len: usize, count: usize, at: &dyn Fn(usize, usize) -> usize| {
            for n in 0..count {
                line.clear();
                line.extend((0..len).map(|i| grid[at(n, i)]));
                if line.iter().all(|&v| v == 0.0) {
                    continue;
                }
                for i in 0..len {
                    let mut sum = 0.0;
                    for (k, weight) in kernel.iter().enumerate() {
                        let j = i as isize + k as isize - reach;
                        if j >= 0 && (j as usize) < len {
                            sum += line[j as usize] * weight;
                        }
                    }
                    grid[at(n, i)] = sum;
                }
            }
        };
    pass(grid, columns, rows, &|row, i| row * columns + i);
    pass(grid, rows, columns, &|column, i| i * columns + column);
}

/// The heat surface's colour at `share` of the peak: clear below [`HEAT_FLOOR`], then the
/// count palette from light to dark, more opaque as it rises.
pub fn heat_colour(share: f32) -> Color32 {
    if share < HEAT_FLOOR {
        return Color32::TRANSPARENT;
    }
    let share = share.clamp(0.0, 1.0);
    let ramp = styling::sequential_ramp(share);
    let alpha = 0.35 + 0.5 * share.sqrt();
    ramp.gamma_multiply(alpha)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_round_to_the_hexagon_they_fall_in() {
        // The centre of axial (2, -1) and points near it.
        let sqrt3 = 3f64.sqrt();
        let (cx, cy) = (sqrt3 * (2.0 - 0.5), -1.5);
        for (dx, dy) in [(0.0, 0.0), (0.4, 0.3), (-0.5, -0.2), (0.1, 0.8)] {
            let (x, y) = (cx + dx, cy + dy);
            let q = sqrt3 / 3.0 * x - y / 3.0;
            let r = 2.0 / 3.0 * y;
            assert_eq!(hex_round(q, r), (2, -1), "offset ({dx}, {dy})");
        }
    }

    #[test]
    fn blurring_keeps_the_peak_where_the_points_are_and_spreads_it() {
        let (columns, rows) = (31, 31);
        let mut grid = vec![0.0; columns * rows];
        grid[15 * columns + 15] = 10.0;
        blur(&mut grid, columns, rows);
        let peak = (0..grid.len()).max_by(|&a, &b| grid[a].total_cmp(&grid[b]));
        assert_eq!(peak, Some(15 * columns + 15));
        assert!(grid[15 * columns + 18] > 0.0, "spread to its neighbours");
        assert_eq!(grid[0], 0.0, "but not across the grid");
    }

    #[test]
    fn the_surface_is_clear_where_nothing_is() {
        assert_eq!(heat_colour(0.0), Color32::TRANSPARENT);
        assert!(heat_colour(1.0).a() > heat_colour(0.2).a());
    }
}
