//! Times the CPU rasterizer on a busy 3840×2160 export (tile-like textures, markers, outlines,
//! labels) and prints one JSON line. `cargo run --release --example raster_time [-- out.png]`
//! also writes the render, to look at.

use std::time::Instant;

use claimmap::testing::raster::TextureStore;
use claimmap::testing::raster::rasterize;
use egui::{
    Color32, ColorImage, Pos2, RawInput, Rect, Shape, Stroke, TextureOptions, ViewportId, pos2,
    vec2,
};

/// Export size in points; at two pixels per point this is a 3840×2160 image.
const POINTS: [f32; 2] = [1920.0, 1080.0];
const PIXELS_PER_POINT: f32 = 2.0;
/// Side of the stand-in map tiles in points, as walkers shows 256-pixel tiles.
const TILE: f32 = 256.0;

fn main() {
    let ctx = egui::Context::default();
    let mut input = RawInput {
        screen_rect: Some(Rect::from_min_size(Pos2::ZERO, POINTS.into())),
        ..Default::default()
    };
    input
        .viewports
        .entry(ViewportId::ROOT)
        .or_default()
        .native_pixels_per_point = Some(PIXELS_PER_POINT);

    let tiles: Vec<_> = (0..4)
        .map(|k| {
            let pixels = (0..256 * 256)
                .map(|i| {
                    let (x, y) = (i % 256, i / 256);
                    let v = ((x ^ y) & 0x3f) as u8;
                    Color32::from_rgb(180 + v / 2, 200 - v, 170 + (k * 20) as u8)
                })
                .collect();
            ctx.load_texture(
                format!("tile{k}"),
                ColorImage::new([256, 256], pixels),
                TextureOptions::LINEAR,
            )
        })
        .collect();

    let mut output = ctx.run_ui(input, |ui| {
        let painter = ui.painter();
        let uv = Rect::from_min_max(Pos2::ZERO, pos2(1.0, 1.0));
        for ty in 0..(POINTS[1] / TILE).ceil() as usize {
            for tx in 0..(POINTS[0] / TILE).ceil() as usize {
                let min = pos2(tx as f32 * TILE - 40.0, ty as f32 * TILE - 70.0);
                let rect = Rect::from_min_size(min, vec2(TILE, TILE));
                painter.image(tiles[(tx + ty) % 4].id(), rect, uv, Color32::WHITE);
            }
        }
        // Incident markers with outlines, scattered deterministically.
        let mut seed = 12345u32;
        let mut next = move || {
            seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            (seed >> 8) as f32 / (1u32 << 24) as f32
        };
        for _ in 0..1500 {
            let c = pos2(next() * POINTS[0], next() * POINTS[1]);
            let fill = Color32::from_rgba_unmultiplied(200, 40, 40, 180);
            painter.circle(
                c,
                3.0 + 4.0 * next(),
                fill,
                Stroke::new(1.0, Color32::BLACK),
            );
        }
        // Front lines.
        for _ in 0..40 {
            let start = pos2(next() * POINTS[0], next() * POINTS[1]);
            let points: Vec<Pos2> = (0..40)
                .map(|i| start + vec2(i as f32 * 12.0, 30.0 * (i as f32 * 0.4).sin()))
                .collect();
            painter.add(Shape::line(
                points,
                Stroke::new(2.5, Color32::from_rgb(30, 60, 160)),
            ));
        }
        for i in 0..800 {
            let at = pos2(next() * POINTS[0], next() * POINTS[1]);
            painter.text(
                at,
                egui::Align2::LEFT_TOP,
                format!("Incident {i}: shelling reported"),
                egui::FontId::proportional(12.0),
                Color32::from_gray(20),
            );
        }
    });

    let mut store = TextureStore::new();
    store.apply_and_clear(&mut output.textures_delta);
    let primitives = ctx.tessellate(output.shapes, output.pixels_per_point);
    let triangles: usize = primitives
        .iter()
        .map(|p| match &p.primitive {
            egui::epaint::Primitive::Mesh(mesh) => mesh.indices.len() / 3,
            egui::epaint::Primitive::Callback(_) => 0,
        })
        .sum();
    let size = [
        (POINTS[0] * PIXELS_PER_POINT) as u32,
        (POINTS[1] * PIXELS_PER_POINT) as u32,
    ];

    let runs = 5;
    let mut times = Vec::new();
    let mut image = None;
    for _ in 0..runs {
        let start = Instant::now();
        image = Some(rasterize(
            &primitives,
            &store,
            PIXELS_PER_POINT,
            size,
            Color32::WHITE,
        ));
        times.push(start.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    println!(
        "{{\"width\":{},\"height\":{},\"triangles\":{triangles},\"threads\":{},\"median_ms\":{:.1},\"min_ms\":{:.1}}}",
        size[0],
        size[1],
        std::thread::available_parallelism().map_or(1, |n| n.get()),
        times[runs / 2],
        times[0],
    );
    if let (Some(path), Some(image)) = (std::env::args().nth(1), image) {
        image.save(&path).expect("the PNG can be written");
    }
}
