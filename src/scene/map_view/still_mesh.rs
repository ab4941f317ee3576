//! What only the view decides — the basemap, the rayon and marz outlines — tessellated once and
//! handed to egui as one mesh while the view stays put, so scrubbing the dates repaints the
//! incidents and labels, not the thousands of coast, river and border points under them.
//!
//! The mesh is egui's own tessellation of the same shapes (its [`Tessellator`], the frame's
//! pixels per point, options and clip rectangle), and egui appends a mesh as it is: the frame's
//! triangles are the ones the shapes would have given, vertex for vertex. Shapes are tessellated
//! here only once the same view has been drawn twice in a row, so a pan or a zoom, which changes
//! it every frame, costs what it did.

use std::sync::Arc;

use egui::epaint::{Mesh, Shape, TessellationOptions, Tessellator};
use egui::{Painter, Rect};

use super::transform::ScreenTransform;

/// Everything the shapes' tessellation depends on, besides what the caller's `C` says about the
/// shapes themselves.
#[derive(Clone, Debug, PartialEq)]
pub struct StillKey<C> {
    transform: ScreenTransform,
    clip_rect: Rect,
    pixels_per_point: f32,
    options: TessellationOptions,
    font_image_size: [usize; 2],
    content: C,
}

impl<C> StillKey<C> {
    /// The key for shapes drawn with `painter` under `transform`, whose content `content` decides.
    pub fn new(painter: &Painter, transform: ScreenTransform, content: C) -> StillKey<C> {
        let ctx = painter.ctx();
        StillKey {
            transform,
            clip_rect: painter.clip_rect(),
            pixels_per_point: ctx.pixels_per_point(),
            options: ctx.tessellation_options(|o| *o),
            font_image_size: ctx.fonts(|f| f.font_image_size()),
            content,
        }
    }
}

/// One group of shapes, tessellated for the last view it was drawn twice in a row.
pub struct StillMesh<C> {
    /// The view of the last frame that drew the shapes.
    seen: Option<StillKey<C>>,
    /// The tessellated shapes, and the view they are for.
    cached: Option<(StillKey<C>, Arc<Mesh>)>,
}

impl<C> Default for StillMesh<C> {
    fn default() -> Self {
        StillMesh {
            seen: None,
            cached: None,
        }
    }
}

impl<C: Clone + PartialEq> StillMesh<C> {
    /// The shapes `build` makes for `key`, as this frame should paint them: the cached mesh when
    /// the view is the one tessellated, else the shapes (tessellated here when the view has not
    /// moved since the last frame). `exact` is false when the painter alters colours (a disabled
    /// or faded ui), which egui applies to shapes and meshes differently: then the shapes go
    /// through as they are.
    pub fn shape(
        &mut self,
        key: StillKey<C>,
        exact: bool,
        build: impl FnOnce() -> Vec<Shape>,
    ) -> Shape {
        if !exact {
            return Shape::Vec(build());
        }
        if let Some((cached, mesh)) = &self.cached
            && *cached == key
        {
            return Shape::Mesh(Arc::clone(mesh));
        }
        if self.seen.as_ref() != Some(&key) {
            self.seen = Some(key);
            return Shape::Vec(build());
        }
        let mesh = Arc::new(tessellate(&key, build()));
        self.cached = Some((key, Arc::clone(&mesh)));
        Shape::Mesh(mesh)
    }
}

/// The shapes as egui's tessellator makes them for a frame with `key`'s settings, in one mesh.
fn tessellate<C>(key: &StillKey<C>, shapes: Vec<Shape>) -> Mesh {
    debug_assert!(
        shapes.iter().all(no_filled_circle),
        "egui draws filled circles from its atlas's discs, which it does not share"
    );
    let mut tessellator = Tessellator::new(
        key.pixels_per_point,
        key.options,
        key.font_image_size,
        Vec::new(),
    );
    tessellator.set_clip_rect(key.clip_rect);
    let mut mesh = Mesh::default();
    for shape in shapes {
        tessellator.tessellate_shape(shape, &mut mesh);
    }
    mesh
}

fn no_filled_circle(shape: &Shape) -> bool {
    match shape {
        Shape::Vec(shapes) => shapes.iter().all(no_filled_circle),
        Shape::Circle(circle) => circle.fill == egui::Color32::TRANSPARENT,
        _ => true,
    }
}

/// Whether a mesh tessellated here paints what the shapes would with this painter: not when the
/// painter fades or thins colours (a disabled ui), which egui applies to a shape's colours before
/// tessellation but to a mesh's vertices after, nor when the layer is transformed.
pub fn is_exact(ui: &egui::Ui, painter: &Painter) -> bool {
    let transform = painter.ctx().layer_transform_to_global(painter.layer_id());
    ui.is_enabled()
        && painter.opacity() >= 1.0
        && transform.is_none_or(|t| t == egui::emath::TSTransform::IDENTITY)
}

#[cfg(test)]
mod tests {
    use egui::epaint::{ClippedPrimitive, Primitive};
    use egui::{Context, Pos2, RawInput};

    use super::super::base_layer::{self, AdminOutlines, BaseOptions};
    use super::*;
    use crate::basemap::{Basemap, World};
    use crate::gazetteer::Gazetteer;

    const SCREEN: Rect = Rect::from_min_max(Pos2::ZERO, egui::pos2(1600.0, 950.0));

    /// The map at country zoom over the border, as the window draws it: basemap and outlines.
    fn transform(lon: f64) -> ScreenTransform {
        ScreenTransform::centred(World::from_lon_lat(lon, 40.05), SCREEN.center(), 7.0)
    }

    fn basemap_shapes(transform: ScreenTransform) -> Vec<Shape> {
        let options = BaseOptions {
            historical: true,
            districts: true,
        };
        let outlines = AdminOutlines::new(Gazetteer::embedded());
        let mut shapes = base_layer::shapes(Basemap::embedded(), &transform, SCREEN, options);
        shapes.extend(base_layer::overlay_shapes(
            Basemap::embedded(),
            &outlines,
            &transform,
            options,
        ));
        shapes
    }

    /// One headless frame whose map painter (clipped a little inside the screen, as the map
    /// panel is) gets what `paint` returns; the frame's tessellation.
    fn frame(
        ctx: &Context,
        paint: &mut dyn FnMut(&Painter) -> Shape,
    ) -> (Vec<ClippedPrimitive>, bool) {
        let mut was_mesh = false;
        let input = RawInput {
            screen_rect: Some(SCREEN),
            ..Default::default()
        };
        let mut output = ctx.run_ui(input, |ui| {
            let painter = ui.painter().with_clip_rect(SCREEN.shrink(20.0));
            let shape = paint(&painter);
            was_mesh = matches!(shape, Shape::Mesh(_));
            painter.add(shape);
        });
        // No GPU takes the font atlas here; egui asserts that a frame's textures were handled.
        output.textures_delta.clear();
        (
            ctx.tessellate(output.shapes, output.pixels_per_point),
            was_mesh,
        )
    }

    fn meshes(primitives: &[ClippedPrimitive]) -> Vec<(Rect, &Mesh)> {
        primitives
            .iter()
            .filter_map(|p| match &p.primitive {
                Primitive::Mesh(mesh) => Some((p.clip_rect, mesh)),
                Primitive::Callback(_) => None,
            })
            .collect()
    }

    /// The frame's triangles, vertex for vertex, are the ones the shapes give — at one and two
    /// pixels per point — once the view has held for two frames; until then the shapes go out.
    #[test]
    fn the_mesh_is_the_shapes_tessellation() {
        for pixels_per_point in [1.0, 2.0] {
            let ctx = Context::default();
            ctx.set_pixels_per_point(pixels_per_point);
            let transform = transform(46.0);
            // Settle the context's first-frame state before comparing frames.
            frame(&ctx, &mut |_| Shape::Noop);
            let (direct, _) = frame(&ctx, &mut |_| Shape::Vec(basemap_shapes(transform)));
            let vertices: usize = meshes(&direct).iter().map(|(_, m)| m.vertices.len()).sum();
            assert!(
                vertices > 10_000,
                "the fixture draws the basemap: {vertices}"
            );
            let mut still = StillMesh::default();
            let mut built = 0;
            for n in 0..4 {
                let (cached, was_mesh) = frame(&ctx, &mut |painter| {
                    let key = StillKey::new(painter, transform, 1u8);
                    still.shape(key, true, || {
                        built += 1;
                        basemap_shapes(transform)
                    })
                });
                assert_eq!(was_mesh, n > 0, "frame {n} at {pixels_per_point} px/pt");
                assert_eq!(meshes(&cached), meshes(&direct), "frame {n}");
            }
            assert_eq!(
                built, 2,
                "shapes built for the first frame and the tessellation"
            );
        }
    }

    /// A moved view, other content or a faded painter never gets a stale mesh.
    #[test]
    fn a_change_draws_the_shapes_again() {
        let ctx = Context::default();
        let mut still = StillMesh::default();
        let mut draw = |lon: f64, content: u8, exact: bool| {
            frame(&ctx, &mut |painter| {
                let key = StillKey::new(painter, transform(lon), content);
                still.shape(key, exact, || basemap_shapes(transform(lon)))
            })
        };
        assert!(!draw(46.0, 0, true).1);
        assert!(draw(46.0, 0, true).1);
        let (moved, was_mesh) = draw(46.1, 0, true);
        assert!(!was_mesh, "a pan draws shapes");
        let (direct, _) = frame(&ctx, &mut |_| Shape::Vec(basemap_shapes(transform(46.1))));
        assert_eq!(meshes(&moved), meshes(&direct));
        assert!(draw(46.1, 0, true).1, "the view held: tessellated");
        assert!(!draw(46.1, 1, true).1, "other content: shapes");
        assert!(!draw(46.1, 1, false).1, "faded: shapes");
        assert!(
            !draw(46.1, 1, false).1,
            "faded: shapes, however long it holds"
        );
    }
}
