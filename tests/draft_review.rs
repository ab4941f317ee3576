//! File → New from report… (issue 15, item 3): a pasted report is drafted into a layer of
//! proposals, each claim reviewed in the window — accepted or rejected — and only the accepted
//! ones kept, as a layer and as a saved native dataset whose quotes are spans of the report.

mod common;

use common::fixture;
use common::window::{build, offline};

use claimmap::testing::BasemapChoice;
use claimmap::{Gazetteer, ViewerApp, load_path, load_reference};
use egui_kittest::kittest::Queryable;

fn claims(app: &ViewerApp, layer: usize) -> Vec<String> {
    app.layers()[layer]
        .loaded
        .dataset
        .incidents()
        .iter()
        .flat_map(|i| i.claims.iter().map(|c| c.quote.to_string()))
        .collect()
}

#[test]
fn a_pasted_report_is_drafted_reviewed_and_only_what_is_accepted_is_kept() {
    let report = std::fs::read_to_string(fixture("seeds/002_86f3732668cc4263.txt")).expect("seed");
    let app = ViewerApp::from_loaded(
        vec![load_reference(Gazetteer::embedded())],
        Vec::new(),
        offline(BasemapChoice::VectorOnly),
    );
    let mut harness = build(app, egui::vec2(1500.0, 1000.0));
    harness.run();
    harness.state_mut().open_draft_review();
    {
        let review = harness.state_mut().draft_review().expect("open");
        review.text = report.clone();
        review.published = "2021-11-15".into();
    }
    harness.run();
    harness.get_by_label("Draft").click();
    harness.run();
    assert_eq!(
        harness.state().layer_count(),
        2,
        "the proposals are a layer"
    );
    let proposed = claims(harness.state(), 1);
    assert!(proposed.len() >= 2, "{proposed:?}");
    harness.get_by_label_contains("claims drafted from pasted report");
    // Every quote is shown in the report's words, and is a span of the report.
    for quote in &proposed {
        assert!(report.contains(quote.as_str()), "not verbatim: {quote}");
    }
    // Accept the first claim, reject the second, leave the rest undecided.
    harness
        .get_all_by_label("Accept")
        .next()
        .expect("a claim")
        .click();
    harness.run();
    harness
        .get_all_by_label("Reject")
        .nth(1)
        .expect("a second claim")
        .click();
    harness.run();
    harness
        .get_by_label("Keep the 1 accepted claims as a layer")
        .click();
    harness.run();
    assert_eq!(
        harness.state().layer_count(),
        2,
        "the proposals were replaced"
    );
    let kept = claims(harness.state(), 1);
    assert_eq!(kept, vec![proposed[0].clone()]);
    // Saved as a native dataset that reads back with that claim.
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("reviewed.geojson");
    harness.state_mut().draft_review().expect("open").save_path = path.display().to_string();
    harness.run();
    harness.get_by_label("Save the kept claims").click();
    harness.run();
    let saved = load_path(&path, Gazetteer::embedded()).expect("saved and readable");
    let quotes: Vec<String> = saved
        .dataset
        .incidents()
        .iter()
        .flat_map(|i| i.claims.iter().map(|c| c.quote.to_string()))
        .collect();
    assert_eq!(quotes, kept);
    // Discarding the draft takes its layer away.
    harness.get_by_label("Discard the draft").click();
    harness.run();
    assert_eq!(harness.state().layer_count(), 1);
}

#[test]
fn a_report_without_a_date_is_refused_with_the_reason() {
    let app = ViewerApp::from_loaded(
        vec![load_reference(Gazetteer::embedded())],
        Vec::new(),
        offline(BasemapChoice::VectorOnly),
    );
    let mut harness = build(app, egui::vec2(1400.0, 900.0));
    harness.run();
    harness.state_mut().open_draft_review();
    harness.state_mut().draft_review().expect("open").text =
        "The ministry said its positions came under fire on Thursday.".into();
    harness.run();
    harness.get_by_label("Draft").click();
    harness.run();
    assert_eq!(harness.state().layer_count(), 1, "nothing drafted");
    harness.get_by_label_contains("no publication date");
}
