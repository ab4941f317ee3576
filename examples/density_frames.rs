//! CPU time of whole window frames drawn as markers, a heat map and hexagons, over a generated
//! ACLED file, with the map still and while it pans (each frame a new view, as a drag gives):
//! `cargo run --release --example density_frames -- ROWS FRAMES`.
//!
//! The frame benchmark of `claimmap-bench` draws markers and clusters only; this measures what
//! the density views add (their grids are computed for the view each frame they are drawn).

use std::time::Instant;

use claimmap::testing::{BasemapChoice, SceneSettings, Settings, View, acled_file, install_fonts};
use claimmap::{DateWindow, DensityView, Gazetteer, Styling, ViewerApp, load_bytes};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// A laptop screen, as `claimmap-bench`'s frames.
const SCREEN: egui::Vec2 = egui::vec2(1600.0, 950.0);

fn percentile(times: &mut [f64], p: f64) -> f64 {
    times.sort_by(f64::total_cmp);
    times[((times.len() - 1) as f64 * p).round() as usize]
}

fn main() {
    let mut args = std::env::args().skip(1);
    let rows: usize = args
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1_000_000);
    let frames: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(60);
    let bytes = acled_file::acled_bytes(rows, 1);
    let ctx = egui::Context::default();
    install_fonts(&ctx);
    for density in DensityView::ALL {
        let settings = Settings {
            scene: SceneSettings {
                offline: true,
                basemap: BasemapChoice::VectorOnly,
                styling: Styling {
                    density,
                    ..Styling::default()
                },
                ..SceneSettings::default()
            },
            ..Settings::default()
        };
        let loaded = load_bytes(&bytes, "acled.csv", Gazetteer::embedded()).expect("loads");
        let mut app = ViewerApp::from_loaded(vec![loaded], Vec::new(), settings);
        app.set_window(DateWindow::everything());
        let mut time = 0.0;
        let mut frame = |app: &mut ViewerApp| {
            time += 1.0 / 60.0;
            let input = egui::RawInput {
                screen_rect: Some(egui::Rect::from_min_size(egui::Pos2::ZERO, SCREEN)),
                time: Some(time),
                ..Default::default()
            };
            let started = Instant::now();
            let mut output = ctx.run_ui(input, |ui| app.show(ui));
            output.textures_delta.clear();
            let _ = ctx.tessellate(output.shapes, output.pixels_per_point);
            started.elapsed().as_secs_f64() * 1000.0
        };
        for (label, panning) in [("still", false), ("panning", true)] {
            let mut times = Vec::with_capacity(frames);
            for f in 0..frames + 3 {
                let lon = if panning {
                    46.0 + f as f64 * 0.01
                } else {
                    46.0
                };
                app.set_view(View {
                    lon,
                    lat: 40.05,
                    zoom: 7.0,
                });
                let ms = frame(&mut app);
                // The first frames build the caches (load cost, not frame cost).
                if f >= 3 {
                    times.push(ms);
                }
            }
            println!(
                "{rows} rows, {:<9} {label:<8} p50 {:>6.1} ms  p95 {:>6.1} ms",
                density.label(),
                percentile(&mut times, 0.5),
                percentile(&mut times, 0.95)
            );
        }
    }
}
