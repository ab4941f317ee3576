//! CPU time of a window frame while the date window slides, headless (egui_kittest: the whole
//! egui frame — panels, map, slider — without a GPU).
//!
//!     cargo run --release --example frame_time -- [DATASET] [--frames N]
//!
//! Without a dataset, the embedded reference dataset. Prints one JSON line.

use std::time::Instant;

use claimmap::app::ViewerApp;
use claimmap::app::settings::{BasemapChoice, Settings};
use claimmap::model::DateWindow;
use claimmap::{Gazetteer, load_path, load_reference};
use egui_kittest::Harness;

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let frames: usize = args
        .iter()
        .position(|a| a == "--frames")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(200);
    let path = args
        .iter()
        .find(|a| !a.starts_with("--") && a.parse::<usize>().is_err());
    let started = Instant::now();
    let loaded = match path {
        Some(p) => {
            load_path(std::path::Path::new(p), Gazetteer::embedded()).map_err(|e| e.to_string())?
        }
        None => load_reference(Gazetteer::embedded()),
    };
    let load_s = started.elapsed().as_secs_f64();
    let incidents = loaded.dataset.incidents().len();
    let (first, last) = (
        loaded
            .dataset
            .incidents()
            .first()
            .map(|i| i.date.start())
            .ok_or("empty dataset")?,
        loaded
            .dataset
            .incidents()
            .iter()
            .map(|i| i.date.end())
            .max()
            .ok_or("empty dataset")?,
    );
    let settings = Settings {
        offline: true,
        basemap: BasemapChoice::VectorOnly,
        ..Settings::default()
    };
    let app = ViewerApp::from_loaded(vec![loaded], Vec::new(), settings);
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1600.0, 950.0))
        .build_ui_state(
            |ui, app: &mut ViewerApp| {
                claimmap::app::install_fonts(ui.ctx());
                app.show(ui);
            },
            app,
        );
    harness.run();
    let span = (last.0 - first.0).max(1);
    let mut times = Vec::with_capacity(frames);
    for f in 0..frames {
        // A one-month window sliding across the whole extent.
        let from = first.add_days((span as i64 * f as i64 / frames as i64) as i32);
        harness.state_mut().set_window(DateWindow {
            from,
            to: from.add_days(30),
        });
        let t = Instant::now();
        harness.step();
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    println!(
        "{{\"incidents\": {incidents}, \"load_s\": {load_s:.3}, \"frames\": {frames}, \"frame_ms_p50\": {:.2}, \"frame_ms_p95\": {:.2}, \"frame_ms_max\": {:.2}}}",
        percentile(&times, 0.5),
        percentile(&times, 0.95),
        percentile(&times, 1.0)
    );
    Ok(())
}
