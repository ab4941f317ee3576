//! Linked records in the window (issue 16, item 3): a selected incident lists the record of
//! another layer that reports the same event, with its account quoted; the user confirms or
//! rejects it; the decision is saved beside the datasets (`*.links.json`) and comes back when
//! they are opened together again. The datasets themselves are never written.

mod common;

use common::fixture;
use common::window::{build, offline};

use std::path::{Path, PathBuf};

use claimmap::testing::{BasemapChoice, IncidentRef};
use claimmap::{Gazetteer, LinkOptions, Linker, RecordRef, ViewerApp, find_links, load_path};
use egui_kittest::kittest::Queryable;

/// Real UCDP rows, and a monitor's table re-reporting one of them (the Syrian event 300380 of
/// 3 January 2013) a day later, 1 km away, in other words; plus a decoy the same day 200 km away.
fn two_files(dir: &Path) -> (PathBuf, PathBuf) {
    let ucdp = dir.join("ged.csv");
    std::fs::copy(fixture("ucdp_ged231_rows.csv"), &ucdp).expect("copy");
    let monitor = dir.join("monitor.csv");
    std::fs::write(
        &monitor,
        "id,date,latitude,longitude,title,description,source,category\n\
         mon-1,2013-01-04,35.77236,36.55897,Shelling reported,\"Government shelling around the town; 2 dead according to local monitors.\",Local monitor,battles\n\
         mon-2,2013-01-03,34.0,38.5,Clashes far away,\"Clashes in the desert.\",Local monitor,battles\n",
    )
    .expect("write");
    (ucdp, monitor)
}

fn window(ucdp: &Path, monitor: &Path) -> egui_kittest::Harness<'static, ViewerApp> {
    let gazetteer = Gazetteer::embedded();
    let app = ViewerApp::from_loaded(
        vec![
            load_path(ucdp, gazetteer).expect("UCDP"),
            load_path(monitor, gazetteer).expect("monitor"),
        ],
        Vec::new(),
        offline(BasemapChoice::VectorOnly),
    );
    let mut harness = build(app, egui::vec2(1500.0, 950.0));
    harness.run();
    harness
}

fn select(harness: &mut egui_kittest::Harness<'static, ViewerApp>, layer: usize, id: &str) {
    let index = harness.state().layers()[layer]
        .loaded
        .dataset
        .incidents()
        .iter()
        .position(|i| &*i.id == id || i.id.strip_prefix("ucdp:") == Some(id))
        .expect("the record");
    harness.state_mut().select(Some(IncidentRef {
        dataset: layer,
        index,
    }));
    harness.run();
}

#[test]
fn the_window_lists_the_same_event_in_another_layer_and_keeps_the_decision() {
    let dir = tempfile::tempdir().expect("dir");
    let (ucdp, monitor) = two_files(dir.path());
    let inputs_before = (
        std::fs::read(&ucdp).expect("read"),
        std::fs::read(&monitor).expect("read"),
    );
    let mut harness = window(&ucdp, &monitor);
    select(&mut harness, 0, "300380");
    harness.get_by_label("Same event in other layers: 1 record");
    // The monitor's account is quoted under the UCDP event's, with the evidence.
    harness.get_by_label_contains("1 day apart");
    harness.get_by_label_contains("Government shelling around the town");
    harness.get_by_label("Confirm").click();
    harness.run();
    harness.get_by_label_contains("confirmed by you");
    let saved = dir.path().join("ged.links.json");
    let text = std::fs::read_to_string(&saved).expect("the decision is saved beside the dataset");
    let json: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    let link = &json["links"][0];
    assert_eq!(link["a_file"], "ged.csv");
    assert_eq!(link["a"], "300380");
    assert_eq!(link["b_file"], "monitor.csv");
    assert_eq!(link["b"], "mon-1");
    assert_eq!(link["decision"], "confirmed");
    // Reopened, seen from the other side: the decision is there.
    drop(harness);
    let mut harness = window(&ucdp, &monitor);
    select(&mut harness, 1, "mon-1");
    harness.get_by_label_contains("confirmed by you");
    // Rejected: folded, its account no longer quoted, and saved so.
    harness.get_by_label("Reject").click();
    harness.run();
    harness.get_by_label_contains("rejected by you");
    assert_eq!(
        harness
            .query_all_by_label_contains("Government shelling")
            .count(),
        1,
        "only the selected record's own account is quoted, the rejected one's folded"
    );
    let text = std::fs::read_to_string(&saved).expect("saved");
    assert!(text.contains("\"rejected\""), "{text}");
    assert!(
        !text.contains("\"confirmed\""),
        "one decision per pair: {text}"
    );
    drop(harness);
    let mut harness = window(&ucdp, &monitor);
    select(&mut harness, 0, "300380");
    harness.get_by_label_contains("rejected by you");
    // The decoy far away is never proposed.
    select(&mut harness, 1, "mon-2");
    harness.get_by_label("Same event in other layers: none found");
    assert_eq!(
        (
            std::fs::read(&ucdp).expect("read"),
            std::fs::read(&monitor).expect("read")
        ),
        inputs_before,
        "the datasets are never written"
    );
}

#[test]
fn a_broken_links_file_is_reported_and_nothing_is_lost() {
    let dir = tempfile::tempdir().expect("dir");
    let (ucdp, monitor) = two_files(dir.path());
    let broken = dir.path().join("ged.links.json");
    std::fs::write(&broken, "{ not json").expect("write");
    let mut harness = window(&ucdp, &monitor);
    select(&mut harness, 0, "300380");
    harness.get_by_label_contains("not a claimmap links file");
    // Still proposed; the broken file is left as it was.
    harness.get_by_label("Same event in other layers: 1 record");
    assert_eq!(
        std::fs::read_to_string(&broken).expect("read"),
        "{ not json"
    );
    // A decision then keeps it aside rather than writing over it.
    harness.get_by_label("Confirm").click();
    harness.run();
    assert_eq!(
        std::fs::read_to_string(dir.path().join("ged.links.json.bak")).expect("kept"),
        "{ not json"
    );
    assert!(
        std::fs::read_to_string(&broken)
            .expect("written")
            .contains("confirmed")
    );
}

#[test]
fn one_incident_at_a_time_finds_what_the_whole_run_finds() {
    let gazetteer = Gazetteer::embedded();
    let ucdp = load_path(&fixture("ucdp_ged231_sample300.csv"), gazetteer).expect("UCDP");
    // The same rows, read as a second layer: every event's best match is itself.
    let again = load_path(&fixture("ucdp_ged231_sample300.csv"), gazetteer).expect("UCDP");
    let datasets = [&ucdp.dataset, &again.dataset];
    let options = LinkOptions::default();
    let (links, _) = find_links(&datasets, gazetteer, &options);
    let linker = Linker::new(&datasets, gazetteer);
    let mut agree = 0;
    for link in &links {
        let one = linker.links_of(&datasets, link.a, gazetteer, &options);
        assert_eq!(one.len(), 1, "one best record per other layer");
        assert!(one[0].evidence.score >= link.evidence.score - 1e-9);
        if one[0].b == link.b {
            agree += 1;
        }
        assert_eq!(one[0].a, link.a);
    }
    assert!(links.len() > 250, "{} links", links.len());
    assert!(
        agree * 100 >= links.len() * 95,
        "{agree} of {}",
        links.len()
    );
    // Asked about a record of the second layer, it looks into the first.
    let back = linker.links_of(
        &datasets,
        RecordRef {
            dataset: 1,
            index: 0,
        },
        gazetteer,
        &options,
    );
    assert!(back.iter().all(|l| l.b.dataset == 0));
}

#[test]
fn the_claims_table_lists_the_confirmed_records_accounts_with_the_incidents_own() {
    let dir = tempfile::tempdir().expect("dir");
    let (ucdp, monitor) = two_files(dir.path());
    let mut harness = window(&ucdp, &monitor);
    select(&mut harness, 0, "300380");
    harness.get_by_label("Confirm").click();
    harness.run();
    drop(harness);
    let table = dir.path().join("claims.md");
    export_table(&ucdp, &monitor, &table);
    let text = std::fs::read_to_string(&table).expect("written");
    let row = text
        .lines()
        .find(|l| l.contains("same event, confirmed: monitor.csv, mon-1"))
        .unwrap_or_else(|| panic!("the monitor's account under the UCDP event:\n{text}"));
    assert!(row.contains("Government shelling around the town"), "{row}");
    // The decoy, not confirmed, is listed only as itself.
    assert!(
        !text.contains("same event, confirmed: monitor.csv, mon-2"),
        "{text}"
    );
    // The claims CSV names the incident a linked record's claims are about, by its file's id.
    let csv_path = dir.path().join("claims.csv");
    export_table(&ucdp, &monitor, &csv_path);
    let mut reader = csv::Reader::from_path(&csv_path).expect("csv");
    let headers = reader.headers().expect("header").clone();
    let column = |name: &str| headers.iter().position(|h| h == name).expect(name);
    let (id, same) = (column("incident_id"), column("same_event_as"));
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert!(
        rows.iter()
            .any(|r| &r[id] == "mon-1" && &r[same] == "300380"),
        "the monitor's claim listed as the UCDP event's"
    );
}

/// Exports the January 2013 tables of the two files to `out`.
fn export_table(ucdp: &Path, monitor: &Path, out: &Path) {
    common::claimmap()
        .args([
            "export",
            "--offline",
            "--from",
            "2013-01-01",
            "--to",
            "2013-01-31",
        ])
        .arg(ucdp)
        .arg(monitor)
        .arg("--out")
        .arg(out)
        .assert()
        .success();
}

#[test]
fn merged_records_count_and_draw_once_in_the_window_and_in_figures() {
    let dir = tempfile::tempdir().expect("dir");
    let (ucdp, monitor) = two_files(dir.path());
    let mut harness = window(&ucdp, &monitor);
    select(&mut harness, 0, "300380");
    harness.get_by_label("Confirm").click();
    harness.run();
    let before = common::window::shown_counts(&harness);
    assert_eq!(before.len(), 1, "{before:?}");
    let (shown, total, _) = before[0];
    harness
        .get_by_label("Merge records confirmed as one event")
        .click();
    harness.run();
    let after = common::window::shown_counts(&harness);
    assert_eq!(after[0].0, shown - 1, "the monitor's record stands down");
    assert_eq!(after[0].1, total, "nothing is unloaded");
    // The UCDP event stays selected and keeps the monitor's account beside its own.
    harness.get_by_label_contains("confirmed by you");
    assert!(harness.state().settings_to_save().scene.merge_linked);
    drop(harness);
    // A figure counts the same; the recorded command keeps the switch.
    let gazetteer = Gazetteer::embedded();
    let layers: Vec<_> = [&ucdp, &monitor]
        .iter()
        .map(|p| claimmap::testing::DatasetLayer::new(load_path(p, gazetteer).expect("loads")))
        .collect();
    let mut settings = claimmap::testing::SceneSettings::default();
    let window = claimmap::DateWindow {
        from: claimmap::Day(i32::MIN / 2),
        to: claimmap::Day(i32::MAX / 2),
    };
    let apart = claimmap::testing::Scene::new(&layers, &settings, window, gazetteer, None)
        .visible
        .len();
    settings.merge_linked = true;
    let merged = claimmap::testing::Scene::new(&layers, &settings, window, gazetteer, None)
        .visible
        .len();
    assert_eq!(merged, apart - 1);
    let out = dir.path().join("merged.png");
    common::claimmap()
        .args(["export", "--offline", "--merge-linked", "--size", "600x400"])
        .arg(&ucdp)
        .arg(&monitor)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let png = std::fs::read(&out).expect("written");
    let command = claimmap::testing::png_file::read_text(&png)
        .expect("chunks")
        .into_iter()
        .find(|(k, _)| k == "claimmap:command")
        .map(|(_, v)| v)
        .expect("command");
    assert!(command.contains("--merge-linked"), "{command}");
}
