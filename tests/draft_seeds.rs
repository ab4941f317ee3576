//! `claimmap draft` on the five reference reports, scored against the reference dataset made by
//! hand from them (data/reference-reports.geojson): the README's table, kept with floors that
//! only go up. See `claimmap::draft::measure` for what "found" and "wrong" mean.
//!
//! The reports are copied into tests/fixtures/seeds (see its README). Reports 000 and 001 carry
//! a dateline; the three undated ones are drafted with the publication date the reference
//! dataset worked out for them, as a user would pass it with --published.

use std::path::Path;

use claimmap::draft::measure::{Score, score};
use claimmap::draft::{self, Options, report};
use claimmap::model::registry::registry;
use claimmap::model::{Dataset, Day};
use claimmap::{Gazetteer, load_reference};

const SEEDS: [(&str, Option<&str>); 5] = [
    ("000_54dd6da1b2ec69f7.txt", None),
    ("001_14f9c4487c5f8c14.txt", None),
    ("002_86f3732668cc4263.txt", Some("2021-11-15")),
    ("003_b4d19b28b6afb23b.txt", Some("2022-08-08")),
    ("004_3069833e1fb5a7fd.txt", Some("2021-06-11")),
];

/// Floors, in per cent: raise them when the drafter improves, never lower them.
const RECALL_FLOOR: f64 = 0.0;
const WRONG_CEILING: f64 = 100.0;

fn draft_seed(name: &str, published: Option<&str>) -> Dataset {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/seeds")
        .join(name);
    let bytes = std::fs::read(&path).expect("seed");
    let r = report::read(&path, &bytes);
    let options = Options {
        published: published.map(|p| Day::parse_iso(p).expect("date")),
        document: format!("seeds/{name}"),
        ..Options::default()
    };
    draft::draft_dataset(&r, &options, Gazetteer::embedded(), registry())
        .expect("drafted")
        .dataset
}

#[test]
fn drafts_of_the_seeds_against_the_reference() {
    let reference = load_reference(Gazetteer::embedded()).dataset;
    let mut total = Score::default();
    println!("| report | reference claims | found | attributed | drafted claims | wrong |");
    println!("|---|---:|---:|---:|---:|---:|");
    for (name, published) in SEEDS {
        let drafted = draft_seed(name, published);
        let s = score(registry(), &reference, &format!("seeds/{name}"), &drafted);
        println!(
            "| {name} | {} | {} | {} | {} | {} |",
            s.reference_claims, s.found, s.attributed, s.drafted_claims, s.wrong
        );
        total.add(&s);
    }
    println!(
        "| **all five** | {} | {} ({:.0} %) | {} | {} | {} ({:.0} %) |",
        total.reference_claims,
        total.found,
        100.0 * total.recall(),
        total.attributed,
        total.drafted_claims,
        total.wrong,
        100.0 * total.wrong_share()
    );
    assert!(total.reference_claims >= 40, "{total:?}");
    assert!(100.0 * total.recall() >= RECALL_FLOOR, "{total:?}");
    assert!(100.0 * total.wrong_share() <= WRONG_CEILING, "{total:?}");
}
