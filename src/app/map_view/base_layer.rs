//! The embedded vector basemap and the rayon/marz outlines, painted under everything else.

use egui::epaint::{Mesh, Vertex, WHITE_UV};
use egui::{Color32, Rect, Shape, Stroke};

use crate::basemap::{Basemap, Fill, LayerKind, World};
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

fn dashed(points: &[World], transform: &ScreenTransform, stroke: Stroke, out: &mut Vec<Shape>) {
    let points: Vec<_> = points.iter().map(|w| transform.to_screen(*w)).collect();
    out.extend(Shape::dashed_line(&points, stroke, 8.0, 5.0));
}

/// West, south, east, north: the box `tools/build_basemap.py`'s sources were clipped to.
const DATA_BOUNDS: (f64, f64, f64, f64) = (43.0, 37.0, 51.0, 43.0);

/// What to draw of the basemap.
#[derive(Copy, Clone, Debug)]
pub struct BaseOptions {
    pub historical: bool,
    pub districts: bool,
}

/// The basemap's shapes for one frame: water, land, lakes, rivers, borders, outlines.
pub fn shapes(
    basemap: &Basemap,
    transform: &ScreenTransform,
    rect: Rect,
    options: BaseOptions,
) -> Vec<Shape> {
    // Outside the area the basemap data covers nothing is known: neutral grey, not sea. Inside it,
    // whatever is not land is water (Natural Earth models the Caspian as ocean).
    let covered = Rect::from_two_pos(
        transform.lon_lat(DATA_BOUNDS.0, DATA_BOUNDS.3),
        transform.lon_lat(DATA_BOUNDS.2, DATA_BOUNDS.1),
    );
    let mut out = vec![
        Shape::rect_filled(rect, 0.0, style::NO_DATA),
        Shape::rect_filled(covered.intersect(rect), 0.0, style::WATER),
    ];
    let mut fills = Mesh::default();
    for layer in &basemap.layers {
        if layer.historical && !options.historical {
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
                        out.push(line(l, transform, Stroke::new(1.4, style::RIVER)));
                    }
                }
                (LayerKind::Line, "ceasefire_1994") => {
                    for l in &feature.lines {
                        dashed(
                            l,
                            transform,
                            Stroke::new(2.0, style::CEASEFIRE_1994),
                            &mut out,
                        );
                    }
                }
                (LayerKind::Line, "nkao_1991") => {
                    for l in &feature.lines {
                        dashed(l, transform, Stroke::new(1.6, style::NKAO_1991), &mut out);
                    }
                }
                (LayerKind::Line, "coastline") => {
                    for l in &feature.lines {
                        out.push(line(l, transform, Stroke::new(0.8, style::RIVER)));
                    }
                }
                (LayerKind::Line, _) => {}
            }
        }
    }
    // Fills go first (land, then lakes on it), lines over them.
    out.insert(2, Shape::mesh(fills));
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
                out.push(line(l, transform, stroke));
            }
        }
    }
    out
}
