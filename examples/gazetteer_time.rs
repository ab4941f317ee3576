//! Start-up and lookup time of the gazetteer: reading the embedded one as the app does at start
//! (its name maps frozen at build time), parsing and indexing a gazetteer file (the embedded
//! one's JSON, or any other, to compare with an older one), and `resolve` over the border-places
//! check's queries plus names that are not there (the fuzzy fallback's worst case).
//!
//!     cargo run --release --example gazetteer_time -- [GAZETTEER.json] [--rounds N]
//!
//! Prints one JSON line: the embedded gazetteer's start-up (ms), parse times (ms) and query
//! percentiles (µs).

use std::time::Instant;

use claimmap::Gazetteer;

/// The allocator the app runs with (see `src/main.rs`): building the index is mostly allocation,
/// so glibc's would measure a different program.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn main() -> Result<(), String> {
    // First, before anything warms the allocator: the app's start-up cost.
    let started = Instant::now();
    std::hint::black_box(Gazetteer::embedded());
    let embedded_ms = started.elapsed().as_secs_f64() * 1000.0;
    let args: Vec<String> = std::env::args().skip(1).collect();
    let rounds = args
        .iter()
        .position(|a| a == "--rounds")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse::<usize>().ok())
        .unwrap_or(20);
    let path = args
        .iter()
        .find(|a| a.ends_with(".json"))
        .cloned()
        .unwrap_or_else(|| "data/gazetteer.json".into());
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?;
    let mut parse_ms = Vec::new();
    let mut gazetteer = None;
    for _ in 0..5 {
        let started = Instant::now();
        let g = Gazetteer::from_json(&text)?;
        parse_ms.push(started.elapsed().as_secs_f64() * 1000.0);
        gazetteer = Some(g);
    }
    let g = gazetteer.expect("parsed");
    parse_ms.sort_by(f64::total_cmp);

    let fixture = include_str!("../tests/fixtures/border_places.csv");
    let mut queries: Vec<String> = fixture
        .lines()
        .skip(1)
        .filter_map(|line| {
            let line = line.strip_prefix('"').unwrap_or(line);
            line.split([',', '"']).next().map(str::to_owned)
        })
        .collect();
    queries.extend(
        [
            "Kalbajarr",
            "Nowhere-in-particular",
            "Yukhari Shorzha settlement of the Basarkechar region",
            "in the direction of the Lachin region",
            "Istisu, Kalbajar",
        ]
        .map(str::to_owned),
    );
    let mut micros = Vec::new();
    for _ in 0..rounds {
        for q in &queries {
            let started = Instant::now();
            std::hint::black_box(g.resolve(q));
            micros.push(started.elapsed().as_secs_f64() * 1e6);
        }
    }
    micros.sort_by(f64::total_cmp);
    println!(
        "{{\"embedded_ms\":{:.1},\"file\":{:?},\"bytes\":{},\"places\":{},\"parse_ms_min\":{:.1},\"parse_ms_median\":{:.1},\"queries\":{},\"query_us_p50\":{:.1},\"query_us_p95\":{:.1},\"query_us_max\":{:.1}}}",
        embedded_ms,
        path,
        text.len(),
        g.len(),
        parse_ms[0],
        parse_ms[parse_ms.len() / 2],
        micros.len(),
        percentile(&micros, 0.5),
        percentile(&micros, 0.95),
        micros[micros.len() - 1]
    );
    Ok(())
}
