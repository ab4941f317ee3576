//! The embedded vector basemap and the rayon/marz outlines, painted under everything else: the
//! world at the scale the zoom calls for, and the detailed Caucasus over it.

use egui::epaint::{Mesh, Vertex, WHITE_UV};
use egui::{Color32, Pos2, Rect, Shape, Stroke};

use crate::basemap::{Basemap, Bounds, Fill, LayerKind, World};
use crate::gazetteer::{Gazetteer, PlaceId};

use super::style;
use super::transform::ScreenTransform;

/// Rayon and marz outlines in world coordinates, converted once.
pub struct AdminOutlines {
    pub rings: Vec<(PlaceId, Vec<Vec<World>>)>,
}

impl AdminOutlines {
    pub fn new(gazetteer: &Gazetteer) -> AdminOutlines {
        let rings = gazetteer
            .places()
            .filter(|(_, p)| p.id.starts_with("ne1:AZ-") || p.id.starts_with("ne1:AM-"))
            .filter_map(|(id, p)| {
                let polygon = p.polygon.as_ref()?;
                let rings = polygon
                    .iter()
                    .flat_map(|poly| std::iter::once(poly.exterior()).chain(poly.interiors()))
                    .map(|ring| {
                        ring.coords()
                            .map(|c| World::from_lon_lat(c.x, c.y))
                            .collect()
                    })
                    .collect();
                Some((id, rings))
            })
            .collect();
        AdminOutlines { rings }
    }
}

fn fill_mesh(fill: &Fill, transform: &ScreenTransform, colour: Color32, mesh: &mut Mesh) {
    let base = mesh.vertices.len() as u32;
    mesh.vertices.extend(fill.vertices.iter().map(|w| Vertex {
        pos: transform.to_screen(*w),
        uv: WHITE_UV,
        color: colour,
    }));
    mesh.indices.extend(fill.triangles.iter().map(|i| base + i));
}

fn line(points: &[World], transform: &ScreenTransform, stroke: Stroke) -> Shape {
    Shape::line(
        points.iter().map(|w| transform.to_screen(*w)).collect(),
        stroke,
    )
}

/// Closer than this to the last point kept, a point adds nothing a viewer could see.
const MIN_STEP_PX: f32 = 0.75;

/// A long line as the screen shows it: points closer than [`MIN_STEP_PX`] to the last one kept are
/// dropped, so a coast costs what its pixels do, not what its data does at 1:50m; segments lying
/// on the world's edge (the antimeridian cut, the clamped pole) are left out — no coast runs there.
fn screen_lines(
    points: &[World],
    transform: &ScreenTransform,
    stroke: Stroke,
    out: &mut Vec<Shape>,
) {
    let on_edge = |a: World, b: World| {
        (a.x == b.x && (a.x <= 0.0 || a.x >= 1.0))
            || (a.y == b.y && (a.y <= 1e-6 || a.y >= 1.0 - 1e-6))
    };
    let mut run: Vec<Pos2> = Vec::new();
    let mut flush = |run: &mut Vec<Pos2>| {
        if run.len() >= 2 {
            out.push(Shape::line(std::mem::take(run), stroke));
        }
        run.clear();
    };
    for (i, w) in points.iter().enumerate() {
        if i > 0 && on_edge(points[i - 1], *w) {
            flush(&mut run);
        }
        let p = transform.to_screen(*w);
        let last = i + 1 == points.len();
        match run.last() {
            Some(q) if !last && q.distance(p) < MIN_STEP_PX => {}
            _ => run.push(p),
        }
    }
    flush(&mut run);
}

fn dashed(points: &[World], transform: &ScreenTransform, stroke: Stroke, out: &mut Vec<Shape>) {
    let points: Vec<_> = points.iter().map(|w| transform.to_screen(*w)).collect();
    out.extend(Shape::dashed_line(&points, stroke, 8.0, 5.0));
}

/// What to draw of the basemap.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct BaseOptions {
    pub historical: bool,
    pub districts: bool,
}

/// The zoom a transform draws at (walkers' world is 256 px wide at zoom 0).
fn zoom(transform: &ScreenTransform) -> f64 {
    (transform.scale() / 256.0).log2()
}

/// The world layers at this zoom: sea, land with its coast, country borders — all of it skipped
/// where it lies out of view.
fn world_shapes(
    basemap: &Basemap,
    transform: &ScreenTransform,
    view: &Bounds,
    zoom: f64,
    out: &mut Vec<Shape>,
) {
    let mut land = Mesh::default();
    let mut lines = Vec::new();
    for layer in basemap
        .layers
        .iter()
        .filter(|l| l.is_world() && l.drawn_at(zoom))
    {
        for feature in &layer.features {
            for fill in feature.fills.iter().filter(|f| f.bounds.intersects(view)) {
                fill_mesh(fill, transform, style::LAND, &mut land);
                for ring in &fill.rings {
                    screen_lines(ring, transform, Stroke::new(0.7, style::RIVER), &mut lines);
                }
            }
            for l in feature.lines.iter().filter(|l| l.bounds.intersects(view)) {
                screen_lines(
                    &l.points,
                    transform,
                    Stroke::new(0.8, style::WORLD_BORDER),
                    &mut lines,
                );
            }
        }
    }
    out.push(Shape::mesh(land));
    out.extend(lines);
}

/// The basemap's shapes for one frame: the world's sea, land and borders, then over the box the
/// detailed layers cover, their water, land, lakes, rivers, borders, outlines.
pub fn shapes(
    basemap: &Basemap,
    transform: &ScreenTransform,
    rect: Rect,
    options: BaseOptions,
) -> Vec<Shape> {
    let view = Bounds::of(&[transform.to_world(rect.min), transform.to_world(rect.max)]);
    let zoom = zoom(transform);
    let mut out = vec![Shape::rect_filled(rect, 0.0, style::WATER)];
    world_shapes(basemap, transform, &view, zoom, &mut out);
    // Inside the detailed box the world layers are painted over, so the two scales never show at
    // once: whatever is not detailed land there is water (Natural Earth models the Caspian as ocean).
    let detail = basemap.detail_bounds;
    let covered = Rect::from_two_pos(
        transform.to_screen(detail.min),
        transform.to_screen(detail.max),
    );
    out.push(Shape::rect_filled(
        covered.intersect(rect),
        0.0,
        style::WATER,
    ));
    let fills_at = out.len();
    let mut fills = Mesh::default();
    for layer in &basemap.layers {
        if (layer.historical && !options.historical) || layer.is_world() || !layer.drawn_at(zoom) {
            continue;
        }
        for feature in &layer.features {
            match (layer.kind, layer.id.as_str()) {
                (LayerKind::Fill, id) => {
                    let colour = if id == "lakes" {
                        style::LAKE
                    } else {
                        style::LAND
                    };
                    for fill in &feature.fills {
                        fill_mesh(fill, transform, colour, &mut fills);
                    }
                }
                (LayerKind::Line, "rivers") => {
                    for l in &feature.lines {
                        out.push(line(&l.points, transform, Stroke::new(1.4, style::RIVER)));
                    }
                }
                (LayerKind::Line, "ceasefire_1994") => {
                    for l in &feature.lines {
                        dashed(
                            &l.points,
                            transform,
                            Stroke::new(2.0, style::CEASEFIRE_1994),
                            &mut out,
                        );
                    }
                }
                (LayerKind::Line, "nkao_1991") => {
                    for l in &feature.lines {
                        dashed(
                            &l.points,
                            transform,
                            Stroke::new(1.6, style::NKAO_1991),
                            &mut out,
                        );
                    }
                }
                (LayerKind::Line, "coastline") => {
                    for l in &feature.lines {
                        out.push(line(&l.points, transform, Stroke::new(0.8, style::RIVER)));
                    }
                }
                (LayerKind::Line, _) => {}
            }
        }
    }
    // Fills go first (land, then lakes on it), lines over them.
    out.insert(fills_at, Shape::mesh(fills));
    out
}

/// Borders drawn over any raster tiles too, so districts read the same on every basemap.
pub fn overlay_shapes(
    basemap: &Basemap,
    outlines: &AdminOutlines,
    transform: &ScreenTransform,
    options: BaseOptions,
) -> Vec<Shape> {
    let mut out = Vec::new();
    if options.districts {
        let stroke = Stroke::new(0.9, style::DISTRICT_BORDER);
        for (_, rings) in &outlines.rings {
            for ring in rings {
                out.push(line(ring, transform, stroke));
            }
        }
    }
    if let Some(borders) = basemap.layer("borders") {
        let stroke = Stroke::new(1.8, style::COUNTRY_BORDER);
        for feature in &borders.features {
            for l in &feature.lines {
                out.push(line(&l.points, transform, stroke));
            }
        }
    }
    out
}
