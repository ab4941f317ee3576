//! CPU time of window frames, headless (the whole egui frame — panels, map, slider — and its
//! tessellation, without a GPU), in the three scenarios of [`claimmap::testing::frames`].
//!
//!     cargo run --release --example frame_time -- [DATASET | --synthetic N] [--frames N]
//!
//! Without a dataset, the embedded reference dataset; `--synthetic N` builds N incidents in
//! memory ([`claimmap::testing::border_incidents`]). Prints one JSON line.

use std::time::Instant;

use claimmap::Gazetteer;
use claimmap::load_path;
use claimmap::load_reference;
use claimmap::testing::frames;

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .and_then(|n| n.parse::<usize>().ok())
    };
    let frames = value("--frames").unwrap_or(200);
    let synthetic = value("--synthetic");
    let path = args
        .iter()
        .find(|a| !a.starts_with("--") && a.parse::<usize>().is_err());
    let started = Instant::now();
    let loaded = match (synthetic, path) {
        (Some(n), _) => claimmap::testing::border_incidents::border_incidents(n, 7),
        (None, Some(p)) => {
            load_path(std::path::Path::new(p), Gazetteer::embedded()).map_err(|e| e.to_string())?
        }
        (None, None) => load_reference(Gazetteer::embedded()),
    };
    let load_s = started.elapsed().as_secs_f64();
    let bench = frames::measure(vec![loaded], frames);
    let json = bench.to_json();
    println!("{{\"load_s\": {load_s:.3}, {}", &json[1..]);
    Ok(())
}
