//! The benchmark's synthetic ACLED generator: the same seed writes the same bytes, and what it
//! writes loads as ACLED with no error and one incident per row.

use claimmap::Format;
use claimmap::Gazetteer;
use claimmap::testing::acled_file::ACLED_HEADER;
use claimmap::testing::acled_file::acled_bytes;

#[test]
fn the_generator_is_deterministic_and_its_output_loads_clean() {
    let rows = 2_000;
    let a = acled_bytes(rows, 42);
    assert_eq!(a, acled_bytes(rows, 42), "same seed, same bytes");
    assert_ne!(a, acled_bytes(rows, 43), "another seed, another file");
    let text = std::str::from_utf8(&a).expect("UTF-8");
    assert_eq!(text.lines().next(), Some(ACLED_HEADER.join(",").as_str()));
    let per_row = a.len() / rows;
    assert!((450..=850).contains(&per_row), "{per_row} bytes a row");

    let loaded =
        claimmap::load_bytes(&a, "synthetic.csv", Gazetteer::embedded()).expect("an ACLED file");
    let r = &loaded.report;
    assert_eq!(r.format, Format::Acled);
    assert_eq!(
        (r.rows, r.loaded, r.skipped, r.error_count),
        (rows, rows, 0, 0),
        "{:?}",
        r.errors
    );
    assert_eq!(r.unlocated, 0);
    let d = &loaded.dataset;
    assert!(d.incidents().iter().all(|i| i.point().is_some()));
    let first = &d.incidents()[0];
    assert!(first.extra.get_str("actor1").is_some());
    assert_eq!(
        first.extra.get_str("region").as_deref(),
        Some("Caucasus and Central Asia")
    );
    let years: Vec<i32> = d
        .incidents()
        .iter()
        .map(|i| chrono::Datelike::year(&i.date.start().to_naive()))
        .collect();
    assert!(years.iter().all(|y| (2018..=2024).contains(y)));
    let (p50, p95, shown) = claimmap::testing::window_query_us(d);
    assert!(shown >= rows && p50 <= p95);
}

/// The benchmark binary's whole run on a small file, in the test build: its headless frames must
/// handle what egui asks of a frame (a debug build asserts its textures were taken).
#[test]
fn the_benchmark_runs_end_to_end() {
    let dir = tempfile::tempdir().expect("temp dir");
    let kept = dir.path().join("small.csv");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_claimmap-bench"))
        .args(["--rows", "300", "--keep"])
        .arg(&kept)
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let line = String::from_utf8_lossy(&output.stdout);
    let report: serde_json::Value = serde_json::from_str(line.trim()).expect("one JSON line");
    assert_eq!(report["rows"], 300);
    assert!(
        report["frame_ms_p50"].as_f64().is_some_and(|ms| ms > 0.0),
        "{report}"
    );
    // The whole run's peak, read after the frames, holds the load's.
    let mb = |key: &str| {
        report[key]
            .as_f64()
            .unwrap_or_else(|| panic!("{key}: {report}"))
    };
    assert!(mb("peak_rss_mb") >= mb("load_peak_rss_mb"), "{report}");
    assert!(kept.exists());
}
