//! What a scrubbing frame computes on 100,000 synthetic incidents, checked for what it gives and
//! timed for the reader: `cargo test --release --test timeline_speed -- --nocapture` prints the
//! figures. Times are printed, never asserted: on a shared machine a budget fails for reasons that
//! are not the code's, and speed is measured by the benchmarks (README, "Performance").

mod common;

use common::builders;

use std::time::{Duration, Instant};

use claimmap::BinSize;
use claimmap::Category;
use claimmap::Claim;
use claimmap::ClaimantId;
use claimmap::Dataset;
use claimmap::DateInterval;
use claimmap::DatePrecision;
use claimmap::DateWindow;
use claimmap::Day;
use claimmap::Density;
use claimmap::DensitySpans;
use claimmap::FilterPass;
use claimmap::Filters;
use claimmap::Incident;
use claimmap::Location;
use claimmap::Placement;
use claimmap::SearchText;
use claimmap::testing::query;

const INCIDENTS: usize = 100_000;

/// A deterministic mix like an ACLED export: mostly exact days over 25 years, some weeks, months
/// and ranges; one, two or three claimants.
fn synthetic() -> Dataset {
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let first = Day::from_ymd(2000, 1, 1).expect("date").0;
    let claim = |who: u32, text: &str| {
        let mut claim = Claim::quoting(
            ClaimantId(who),
            format!("Positions near {text} came under fire from the other side"),
        );
        claim.details.summary = format!("Fire near {text}").into();
        claim
    };
    let places = ["Kəlbəcər", "Laçın", "Shusha", "Yukhari Shorzha", "Sotk"];
    let incidents = (0..INCIDENTS)
        .map(|n| {
            let start = Day(first + (next() % 9131) as i32);
            let (length, precision) = match next() % 100 {
                0..80 => (0, DatePrecision::Day),
                80..90 => (6, DatePrecision::Week),
                90..97 => (29, DatePrecision::Month),
                _ => ((next() % 60) as i32, DatePrecision::Range),
            };
            let date =
                DateInterval::new(start, start.add_days(length), precision).expect("interval");
            let place = places[n % places.len()];
            let claims = match next() % 3 {
                0 => vec![claim(0, place)],
                1 => vec![claim(0, place), claim(1, place)],
                _ => vec![claim(2, place), claim(1, place), claim(0, place)],
            };
            Incident {
                id: format!("s{n}").into(),
                title: format!("Exchange of fire near {place}").into(),
                category: Category::ExchangeOfFire,
                date,
                geometry: None,
                location: Location::default(),
                claims: claims.into(),
                details: Default::default(),
                placement: Placement::Unlocated,
                extra: Default::default(),
            }
        })
        .collect();
    builders::dataset(builders::parties_and_narrator(), incidents, "synthetic")
}

/// The best of a few runs, so a busy machine does not make the figure.
fn best<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut best = Duration::MAX;
    let mut out = None;
    for _ in 0..runs {
        let t = Instant::now();
        let value = f();
        best = best.min(t.elapsed());
        out = Some(value);
    }
    (best, out.expect("at least one run"))
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

#[test]
fn a_scrubbing_frame_on_100k_incidents_gives_what_the_plain_queries_give() {
    let dataset = synthetic();
    let datasets = [&dataset];
    let filters = Filters::default();
    let (extent_from, extent_to) = query::extent(&datasets).expect("extent");
    let release = !cfg!(debug_assertions);
    let mut report = Vec::new();

    let (t_pass, pass) = best(3, || FilterPass::new(&datasets, &filters));
    report.push(format!(
        "FilterPass::new (default filters): {:.2} ms",
        ms(t_pass)
    ));
    let (t_spans, spans) = best(3, || DensitySpans::new(&datasets, &filters, &pass));
    report.push(format!("DensitySpans::new: {:.2} ms", ms(t_spans)));
    assert_eq!(spans.incidents(), INCIDENTS);

    let span_days = i64::from(extent_to.0 - extent_from.0) + 1;
    for (label, from, to, width) in [
        ("whole extent, 1200 px", extent_from, extent_to, 1200.0),
        ("whole extent, 4000 px", extent_from, extent_to, 4000.0),
        (
            "one year, 1200 px",
            Day::from_ymd(2010, 1, 1).expect("date"),
            Day::from_ymd(2010, 12, 31).expect("date"),
            1200.0,
        ),
    ] {
        let span = i64::from(to.0 - from.0) + 1;
        let bin = BinSize::for_view(span, width);
        // The first build at a size also works out every span's bins at that size.
        let first = Instant::now();
        let _ = Density::build(&spans, from, to, bin);
        let first = first.elapsed();
        let (t, density) = best(5, || Density::build(&spans, from, to, bin));
        report.push(format!(
            "Density::build {label} ({bin:?} bins, {}): {:.2} ms (first at this size {:.2} ms)",
            density.len(),
            ms(t),
            ms(first)
        ));
        if span == span_days {
            assert!(
                (density.sum() - INCIDENTS as f64).abs() < 0.5,
                "{}",
                density.sum()
            );
        }
    }
    // Day bins over the whole extent: the worst case (9,000+ bins) a caller could ask for.
    let (t, density) = best(3, || {
        Density::build(&spans, extent_from, extent_to, BinSize::Day)
    });
    report.push(format!(
        "Density::build whole extent, Day bins ({}): {:.2} ms",
        density.len(),
        ms(t)
    ));

    let month = DateWindow {
        from: Day::from_ymd(2012, 5, 1).expect("date"),
        to: Day::from_ymd(2012, 5, 31).expect("date"),
    };
    let (t_frame, shown) = best(5, || query::visible_passing(&datasets, &month, &pass));
    report.push(format!(
        "query::visible_passing, a month ({} incidents): {:.3} ms",
        shown.len(),
        ms(t_frame)
    ));
    let (t_all, all) = best(3, || {
        query::visible_passing(&datasets, &DateWindow::everything(), &pass)
    });
    report.push(format!(
        "query::visible_passing, everything ({}): {:.2} ms",
        all.len(),
        ms(t_all)
    ));
    let (t_visible, again) = best(3, || query::visible(&datasets, &month, &filters));
    assert_eq!(again, shown);
    report.push(format!(
        "query::visible (filters tested in the window only), a month: {:.3} ms",
        ms(t_visible)
    ));

    // Folding 100,000 quotes takes seconds unoptimised: the text figures come from release only.
    if release {
        let text = Filters {
            text: "kelbecer".into(),
            ..Filters::default()
        };
        let (t_plain, plain) = best(1, || FilterPass::new(&datasets, &text));
        let (t_index, index) = best(1, || SearchText::new(&dataset));
        let (t, searched) = best(3, || {
            FilterPass::with_search_text(&datasets, &text, &[&index])
        });
        assert_eq!(plain, searched);
        report.push(format!(
            "text query: folding on the fly {:.1} ms; SearchText::new once {:.1} ms, then {:.2} ms per query ({} match)",
            ms(t_plain),
            ms(t_index),
            ms(t),
            searched.count()
        ));
    }

    println!(
        "{} build, {INCIDENTS} incidents:\n  {}",
        if release { "release" } else { "debug" },
        report.join("\n  ")
    );
}
