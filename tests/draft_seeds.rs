//! `claimmap draft` on the five reference reports, scored against the reference dataset made by
//! hand from them (data/reference-reports.geojson): the README's table, kept with floors that
//! only go up. See `claimmap::testing::draft_measure` for what "found" and "wrong" mean.
//!
//! The reports are copied into tests/fixtures/seeds (see its README). Reports 000 and 001 carry
//! a dateline; the three undated ones are drafted with the publication date the reference
//! dataset worked out for them, as a user would pass it with --published.

use std::path::Path;

use claimmap::Dataset;
use claimmap::Day;
use claimmap::DraftOptions as Options;
use claimmap::Gazetteer;
use claimmap::load_reference;
use claimmap::testing::draft_measure::Score;
use claimmap::testing::draft_measure::find_claim;
use claimmap::testing::draft_measure::score;
use claimmap::testing::draft_report as report;
use claimmap::testing::registry;

const SEEDS: [(&str, Option<&str>); 5] = [
    ("000_54dd6da1b2ec69f7.txt", None),
    ("001_14f9c4487c5f8c14.txt", None),
    ("002_86f3732668cc4263.txt", Some("2021-11-15")),
    ("003_b4d19b28b6afb23b.txt", Some("2022-08-08")),
    ("004_3069833e1fb5a7fd.txt", Some("2021-06-11")),
];

/// Floors: raise them when the drafter improves, never lower them. Reference claims found in full
/// (of 52) and drafted claims that are wrong.
const FOUND_FLOOR: usize = 45;
const WRONG_CEILING: usize = 6;

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
    claimmap::draft_dataset(&r, &options, Gazetteer::embedded(), registry())
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
    for m in &total.missed {
        println!("missed: {m}");
    }
    for w in &total.wrong_claims {
        println!("wrong:  {w}");
    }
    assert!(total.reference_claims >= 40, "{total:?}");
    assert!(total.found >= FOUND_FLOOR, "{total:?}");
    assert!(total.wrong <= WRONG_CEILING, "{total:?}");
}

/// The incident each report is about, and the party statement that reports it.
const OF_THE_DAY: [(&str, &str, &str); 5] = [
    (
        "000_54dd6da1b2ec69f7.txt",
        "2021-05-24-kalbajar-gadabay-fire",
        "az-mod",
    ),
    (
        "001_14f9c4487c5f8c14.txt",
        "2022-02-09-zeylik-yukhari-shorzha-fire",
        "az-mod",
    ),
    (
        "002_86f3732668cc4263.txt",
        "2021-11-13-border-clash-kalbajar",
        "am-mod",
    ),
    (
        "003_b4d19b28b6afb23b.txt",
        "2022-08-07-basarkechar-garakilsa-gorus-fire",
        "az-mod",
    ),
    (
        "004_3069833e1fb5a7fd.txt",
        "2021-06-11-kalbajar-yukhari-shorzha-fire",
        "az-mod",
    ),
];

#[test]
fn each_seed_gives_the_incident_of_the_day() {
    let reference = load_reference(Gazetteer::embedded()).dataset;
    for (name, incident, claimant) in OF_THE_DAY {
        let published = SEEDS.iter().find(|s| s.0 == name).and_then(|s| s.1);
        let drafted = draft_seed(name, published);
        let (i, claim) = find_claim(registry(), &reference, incident, claimant, &drafted)
            .unwrap_or_else(|| panic!("{name}: {claimant}'s claim on {incident} not drafted"));
        // Date, claimant and side, a verbatim quote, places resolved.
        let r = reference.incident(incident).expect("reference incident");
        assert!(
            i.date.start() <= r.date.end() && r.date.start() <= i.date.end(),
            "{name}"
        );
        let side = &drafted.side(drafted.claimant(claim.claimant).side).id;
        assert!(
            side.as_ref() == "az" || side.as_ref() == "am",
            "{name}: {side}"
        );
        let text = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/seeds")
                .join(name),
        )
        .expect("seed");
        assert!(
            text.contains(&*claim.quote.read()),
            "{name}: not verbatim: {}",
            claim.quote
        );
        assert!(!claim.details.to.is_empty(), "{name}: no target");
        for p in claim.details.from.iter().chain(claim.details.to.iter()) {
            assert!(
                p.resolved.is_some(),
                "{name}: {} unresolved",
                drafted.text(p.text)
            );
        }
    }
}
