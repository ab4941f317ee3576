//! The scale benchmark: a synthetic ACLED file of N rows, then the load, its peak memory and the
//! one-month window query timed on it, then a 1920×1080 export and the headless window frames,
//! reported as one JSON line (`claimmap-bench`).
//!
//! The measuring process must only load: peak memory (VmHWM) cannot be reset, so the binary
//! writes the file, then runs itself again on it (see `src/bin/claimmap-bench.rs`).

pub mod acled_file;
pub mod border_incidents;
pub mod frames;

use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use serde::Serialize;

use crate::export::{ExportSpec, Picture};
use crate::formats::progress::LoadControl;
use crate::gazetteer::Gazetteer;
use crate::model::{Dataset, DateWindow, Day};
use crate::scene::DatasetLayer;
use crate::scene::settings::SceneSettings;
use crate::view::query::visible_indexed;
use crate::view::{Filters, IncidentColumns};

/// One benchmark run. Fields measured by code other modules own (the frame and the export) stay
/// `None` (JSON `null`) until a measuring function is plugged in [`measure`].
#[derive(Clone, Debug, Default, Serialize)]
pub struct BenchReport {
    pub rows: usize,
    /// File size in MB (10^6 bytes).
    pub file_mb: f64,
    /// Wall time of [`crate::formats::load_path_controlled`], the loader `claimmap check` and the
    /// window use.
    pub load_s: f64,
    /// Wall time from the start of the load until the file's SHA-256, computed on its own thread
    /// once the load is over, is ready (what an export of the file waits for at the earliest).
    pub sha256_ready_s: f64,
    /// The process's peak resident set (VmHWM) in MB (10^6 bytes) over the whole run: the
    /// load, the layer's index, the export when made, and the frames.
    pub peak_rss_mb: Option<f64>,
    /// The same, read when the load is over: what `peak_rss_mb` was until it covered the rest.
    pub load_peak_rss_mb: Option<f64>,
    pub window_query_us_p50: f64,
    pub window_query_us_p95: f64,
    /// What the window's loading thread adds to the load: the layer's index (columns, spatial
    /// grid, marker tones), in seconds.
    pub layer_index_s: Option<f64>,
    /// The frame a finished load arrives in: the window takes the layer and draws it
    /// ([`frames::FrameBench::arrival_ms`]).
    pub first_frame_ms: Option<f64>,
    /// The frame after that, a one-month window just set ([`frames::FrameTimes::first_ms`] of
    /// the sliding window at country zoom; what `first_frame_ms` was until the arrival frame
    /// was timed, which left out the layer's arrival).
    pub first_month_frame_ms: Option<f64>,
    pub frame_ms_p50: Option<f64>,
    pub frame_ms_p95: Option<f64>,
    pub frame_all_visible_ms_p95: Option<f64>,
    pub export_1080p_s: Option<f64>,
    /// Classing every incident by one of the table's unmodelled columns (admin1 where the file
    /// has it), the first time: what the window takes when "colour by" a column is chosen. A
    /// large table reads those values back from its file.
    pub colour_by_column_s: Option<f64>,
}

/// Seconds [`BenchReport::colour_by_column_s`] measures; `None` for a dataset of no such columns.
pub fn colour_by_column_s(dataset: &Dataset) -> Option<f64> {
    use crate::scene::styling::{ColourBy, classify, column_names};
    let names = column_names(dataset);
    let name = names.iter().find(|n| *n == "admin1").or(names.first())?;
    let started = Instant::now();
    let classes = classify(dataset, &ColourBy::Column(name.clone()), "");
    std::hint::black_box(classes);
    Some(started.elapsed().as_secs_f64())
}

/// The peak resident set of this process so far, in MB; `None` where /proc is not there.
pub fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line
        .trim_start_matches("VmHWM:")
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kib * 1024.0 / 1e6)
}

/// The value at fraction `p` of sorted samples (nearest rank); 0 for none.
pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

/// Times the window's query ([`visible_indexed`]: the filters prepared and tested, the window
/// applied) with default filters over one-month windows whose start steps a week at a time
/// across the dataset's dates; returns (p50, p95) in microseconds and the total count. The
/// dataset's [`IncidentColumns`] are built first and not timed: the window builds them once per
/// layer, with its other derived indexes.
pub fn window_query_us(dataset: &Dataset) -> (f64, f64, usize) {
    let incidents = dataset.incidents();
    let (Some(first), Some(last)) = (
        incidents.first().map(|i| i.date.start()),
        incidents.iter().map(|i| i.date.end()).max(),
    ) else {
        return (0.0, 0.0, 0);
    };
    let columns = IncidentColumns::new(dataset);
    let filters = Filters::default();
    let mut samples = Vec::new();
    let mut total = 0;
    let mut from = first;
    while from <= last {
        let window = DateWindow {
            from,
            to: Day(from.0 + 30),
        };
        let started = Instant::now();
        let shown = visible_indexed(&[(dataset, &columns)], &window, &filters);
        samples.push(started.elapsed().as_secs_f64() * 1e6);
        // Counted so the query cannot be optimised away.
        total += std::hint::black_box(shown.len());
        from = Day(from.0 + 7);
    }
    samples.sort_by(f64::total_cmp);
    (percentile(&samples, 0.5), percentile(&samples, 0.95), total)
}

/// Loads `csv` as the window does and measures it. `None` for the fields other modules measure,
/// and for the export when `export` is false (it takes 18–22 s of a ten-million-row run).
pub fn measure(csv: &Path, export: bool) -> Result<BenchReport, String> {
    let bytes = std::fs::metadata(csv)
        .map_err(|e| format!("{}: {e}", csv.display()))?
        .len();
    // The embedded gazetteer is parsed once per process, before any load, as in the window.
    Gazetteer::embedded();
    let control = Arc::new(LoadControl::default());
    let started = Instant::now();
    let loaded = crate::formats::load_path_controlled(csv, Gazetteer::embedded(), &control, None)
        .map_err(|e| e.to_string())?;
    let load_s = started.elapsed().as_secs_f64();
    let load_peak = peak_rss_mb();
    // Waits for the digest when it is not ready yet.
    let hashed = !loaded.dataset.provenance.sha256.hex().is_empty();
    let sha256_ready_s = started.elapsed().as_secs_f64();
    if !hashed {
        return Err(format!("{}: the file could not be hashed", csv.display()));
    }
    let (p50, p95, _) = window_query_us(&loaded.dataset);
    let colour_by_column_s = colour_by_column_s(&loaded.dataset);
    let rows = loaded.report.rows;
    let layers = vec![DatasetLayer::new(loaded)];
    let export = if export {
        export_1080p_s(&layers)
    } else {
        None
    };
    let frames =
        crate::bench::frames::measure(layers.into_iter().map(|l| l.loaded).collect(), BENCH_FRAMES);
    let peak = peak_rss_mb();
    Ok(BenchReport {
        rows,
        file_mb: bytes as f64 / 1e6,
        load_s,
        sha256_ready_s,
        peak_rss_mb: peak,
        load_peak_rss_mb: load_peak,
        window_query_us_p50: p50,
        window_query_us_p95: p95,
        layer_index_s: Some(frames.index_ms / 1000.0),
        first_frame_ms: Some(frames.arrival_ms),
        first_month_frame_ms: Some(frames.sliding_country.first_ms),
        // The worse of the two zooms: the target holds for both.
        frame_ms_p50: Some(
            frames
                .sliding_country
                .p50_ms
                .max(frames.sliding_district.p50_ms),
        ),
        frame_ms_p95: Some(
            frames
                .sliding_country
                .p95_ms
                .max(frames.sliding_district.p95_ms),
        ),
        frame_all_visible_ms_p95: Some(frames.all_visible.p95_ms),
        export_1080p_s: export,
        colour_by_column_s,
    })
}

/// Frames timed per scenario: enough for a stable 95th percentile, few enough for 10⁷ rows.
const BENCH_FRAMES: usize = 100;

/// Seconds to render a 1920×1080 figure of everything loaded (framed, all dates, offline), as
/// `claimmap export --offline --out figure.png` does before encoding the PNG.
pub fn export_1080p_s(layers: &[DatasetLayer]) -> Option<f64> {
    let settings = SceneSettings {
        offline: true,
        ..SceneSettings::default()
    };
    let datasets: Vec<&Dataset> = layers.iter().map(|l| &l.loaded.dataset).collect();
    let (from, to) = crate::view::query::extent(&datasets)?;
    let picture = Picture {
        layers,
        settings: &settings,
        window: DateWindow { from, to },
        selected: Vec::new(),
        view: None,
    };
    let spec = ExportSpec {
        tile_wait: std::time::Duration::ZERO,
        ..ExportSpec::default()
    };
    let started = Instant::now();
    let rendered = crate::export::render(&picture, &spec).ok()?;
    let seconds = started.elapsed().as_secs_f64();
    debug_assert_eq!(rendered.image.dimensions(), (1920, 1080));
    Some(seconds)
}
