//! The native format: round trips, members claimmap does not model, and bad input.

mod common;

use common::fixture;

use std::path::Path;

use claimmap::Category;
use claimmap::DatePrecision;
use claimmap::Day;
use claimmap::Gazetteer;
use claimmap::LoadError;
use claimmap::Placement;
use claimmap::testing::native;

fn load(name: &str) -> claimmap::Loaded {
    claimmap::load_path(&fixture(name), Gazetteer::embedded())
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn load_text(text: &str) -> claimmap::Loaded {
    claimmap::load_bytes(text.as_bytes(), "memory.geojson", Gazetteer::embedded()).expect("loads")
}

#[test]
fn reference_dataset_round_trips_exactly() {
    // The shipped file is in the writer's canonical form: load → save gives the same bytes.
    let loaded = claimmap::load_reference(Gazetteer::embedded());
    assert_eq!(
        native::to_string(&loaded.dataset),
        claimmap::REFERENCE_DATASET
    );
    let again = load_text(&native::to_string(&loaded.dataset));
    assert_eq!(
        native::to_value(&again.dataset),
        native::to_value(&loaded.dataset)
    );
    assert_eq!(again.report.loaded, loaded.report.loaded);
}

#[test]
fn unknown_members_survive_a_round_trip() {
    let original: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(fixture("unknown_members.geojson")).expect("fixture"),
    )
    .expect("json");
    let loaded = load("unknown_members.geojson");
    let saved = native::to_value(&loaded.dataset);
    let text = saved.to_string();
    for member in [
        "crs_note",
        "project",
        "analyst",
        "flag",
        "twitter",
        "grid",
        "confidence",
        "paywall",
        "reliability",
        "media",
        "bbox",
    ] {
        assert!(
            text.contains(&format!("\"{member}\"")),
            "{member} was dropped"
        );
    }
    // Values, not only names, come back: compare each feature with the original by id.
    let by_id = |v: &serde_json::Value, id: &str| {
        v["features"]
            .as_array()
            .and_then(|f| f.iter().find(|f| f["id"] == id).cloned())
            .expect("feature")
    };
    let b_orig = by_id(&original, "b-second");
    let b_saved = by_id(&saved, "b-second");
    assert_eq!(b_saved["bbox"], b_orig["bbox"]);
    assert_eq!(
        b_saved["properties"]["media"],
        b_orig["properties"]["media"]
    );
    assert_eq!(b_saved["properties"]["location"]["grid"], "38T");
    assert_eq!(
        b_saved["properties"]["claims"][0],
        b_orig["properties"]["claims"][0]
    );
    assert_eq!(b_saved["properties"]["date"], b_orig["properties"]["date"]);
    assert_eq!(
        saved["claimmap"]["project"],
        original["claimmap"]["project"]
    );
    // The unknown category is written back as it was, and shown as "other".
    let a = loaded.dataset.incident("a-first").expect("a-first");
    assert!(matches!(a.category, Category::Unknown(_)));
    assert_eq!(a.category.label(), "Other");
    assert_eq!(
        by_id(&saved, "a-first")["properties"]["category"],
        "ceasefire_statement"
    );
    // And a second round trip changes nothing.
    let again = load_text(&native::to_string(&loaded.dataset));
    assert_eq!(native::to_value(&again.dataset), saved);
}

#[test]
fn incidents_are_sorted_by_date_and_placed() {
    let loaded = load("unknown_members.geojson");
    let ids: Vec<&str> = loaded.dataset.incidents().iter().map(|i| &*i.id).collect();
    assert_eq!(ids, ["a-first", "b-second"]);
    let b = loaded.dataset.incident("b-second").expect("b");
    assert!(matches!(b.placement, Placement::Geometry(_)));
    assert_eq!(b.date.precision, DatePrecision::Range);
    assert!(b.date.inferred && b.date.reason.is_some());
    let pinned = b.location.place.as_ref().expect("place");
    assert_eq!(
        Gazetteer::embedded()
            .place(pinned.resolved.expect("resolved"))
            .id
            .as_ref(),
        "gn:616085",
        "a pinned id of a hand-added place a sourced record replaced still resolves, to that record"
    );
    let a = loaded.dataset.incident("a-first").expect("a");
    assert!(
        matches!(a.placement, Placement::Gazetteer(_)),
        "placed through the gazetteer: Nagorno-Karabakh"
    );
    assert!(
        loaded.dataset.is_contested(b),
        "Azerbaijan's and Armenia's ministries disagree"
    );
    assert!(!loaded.dataset.is_contested(a));
}

#[test]
fn a_claimant_missing_from_the_registry_loads_with_a_warning() {
    let loaded = load("unknown_members.geojson");
    let warning = loaded
        .report
        .warnings
        .iter()
        .find(|w| w.message.contains("media-desk"))
        .expect("a warning");
    assert!(
        warning.line > 1,
        "the warning points into the file: {warning:?}"
    );
    let claimant = loaded
        .dataset
        .claimants
        .iter()
        .find(|c| &*c.id == "media-desk")
        .expect("added");
    assert!(claimant.implicit);
    assert_eq!(&*loaded.dataset.side(claimant.side).id, "unknown");
}

#[test]
fn a_syntax_error_costs_one_feature_with_its_line() {
    let loaded = load("broken_syntax.geojson");
    let ids: Vec<&str> = loaded.dataset.incidents().iter().map(|i| &*i.id).collect();
    assert_eq!(ids, ["ok-1", "ok-3"]);
    assert_eq!(loaded.report.rows, 3);
    assert_eq!(loaded.report.loaded, 2);
    assert_eq!(loaded.report.skipped, 1);
    let error = &loaded.report.errors[0];
    assert_eq!(error.line, 6, "{error:?}");
    assert!(
        error.column.is_some_and(|c| c > 60),
        "points at the missing comma: {error:?}"
    );
    assert!(error.message.contains("JSON syntax"), "{error:?}");
}

#[test]
fn bad_values_are_reported_and_the_rest_loads() {
    let loaded = load("bad_values.geojson");
    let ids: Vec<&str> = loaded.dataset.incidents().iter().map(|i| &*i.id).collect();
    assert_eq!(
        ids,
        ["good", "unknown-claimant"],
        "only the valid features load"
    );
    let report = &loaded.report;
    assert_eq!(report.rows, 9);
    assert_eq!(report.skipped, 7);
    let expect = [
        ("bad-date", "'2021-02-30' is not a date", 6),
        ("reversed", "ends (2021-06-01) before it starts", 7),
        ("off-the-globe", "coordinate out of range", 8),
        ("circle", "unsupported geometry type 'Circle'", 9),
        ("no-claims", "no claims", 10),
        ("uninferred", "inferred but gives no \"reason\"", 11),
        ("good", "duplicate incident id", 13),
    ];
    for (id, text, line) in expect {
        let error = report
            .errors
            .iter()
            .find(|e| e.message.contains(text))
            .unwrap_or_else(|| panic!("no error about {id}: {:?}", report.errors));
        assert_eq!(error.line, line, "{id}: {error:?}");
    }
    assert_eq!(report.unresolved_places, ["Nowhere-in-particular-ville"]);
    assert_eq!(report.unlocated, 1);
}

#[test]
fn input_files_are_never_written() {
    let path = fixture("bad_values.geojson");
    let before = std::fs::read(&path).expect("fixture");
    let modified = std::fs::metadata(&path)
        .and_then(|m| m.modified())
        .expect("mtime");
    let loaded = load("bad_values.geojson");
    assert_eq!(
        loaded.dataset.provenance.sha256.hex(),
        claimmap::testing::sha256_hex(&before)
    );
    assert_eq!(std::fs::read(&path).expect("fixture"), before);
    assert_eq!(
        std::fs::metadata(&path)
            .and_then(|m| m.modified())
            .expect("mtime"),
        modified
    );
}

#[test]
fn saving_is_atomic_and_leaves_no_temporary_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out.geojson");
    std::fs::write(&out, "old contents").expect("write");
    let loaded = claimmap::load_reference(Gazetteer::embedded());
    claimmap::save_native(&loaded.dataset, &out).expect("save");
    assert_eq!(
        std::fs::read_to_string(&out).expect("read"),
        claimmap::REFERENCE_DATASET
    );
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .expect("dir")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(names.len(), 1, "no temporary file left: {names:?}");
    // An unwritable destination fails cleanly and leaves nothing behind.
    let missing = dir.path().join("no/such/dir/out.geojson");
    assert!(claimmap::save_native(&loaded.dataset, &missing).is_err());
}

#[test]
fn files_that_are_not_datasets_are_refused_clearly() {
    let g = Gazetteer::embedded();
    match claimmap::load_path(&fixture("notes.txt"), g) {
        Err(LoadError::UnknownFormat { path, .. }) => assert!(path.ends_with("notes.txt")),
        other => panic!("{other:?}"),
    }
    // An ACLED header without coordinates: the error names what is missing.
    match claimmap::load_path(&fixture("acled_header.csv"), g) {
        Err(LoadError::Columns { missing, .. }) => {
            assert_eq!(missing, ["latitude", "longitude"])
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        claimmap::load_path(&fixture("no-such-file.geojson"), g),
        Err(LoadError::Io { .. })
    ));
    // Not UTF-8 (here a UTF-16 byte-order mark and one character): read, and still no dataset.
    assert!(matches!(
        claimmap::load_bytes(b"\xff\xfe{}", "latin.geojson", g),
        Err(LoadError::UnknownFormat { .. })
    ));
    // Plain GeoJSON loads as an import; a feature without a date is a reported bad row.
    let plain = r#"{"type": "FeatureCollection", "features": [{"type": "Feature", "id": 1, "geometry": null, "properties": {}}]}"#;
    let loaded = claimmap::load_bytes(plain.as_bytes(), "plain.geojson", g).expect("plain GeoJSON");
    assert_eq!(loaded.report.format.as_str(), "geojson");
    assert_eq!((loaded.report.rows, loaded.report.skipped), (1, 1));
    assert!(loaded.report.errors[0].message.contains("no date"));
    match claimmap::load_bytes(
        b"{\"type\": \"FeatureCollection\", \"claimmap\": {",
        "cut.geojson",
        g,
    ) {
        Err(LoadError::Unreadable { line, .. }) => assert_eq!(line, 1),
        Ok(l) => assert!(!l.report.errors.is_empty(), "a truncated file is reported"),
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn dates_parse_in_both_forms() {
    let text = r#"{"type": "FeatureCollection", "claimmap": {"format_version": 1, "title": "t"},
      "features": [{"type": "Feature", "id": "x", "geometry": null,
        "properties": {"title": "t", "category": "political", "date": {"start": "2021-11-01", "end": "2021-11-30", "precision": "month"},
        "location": {"place": "Yerevan", "precision": "near"},
        "claims": [{"claimant": "c", "statement_date": "2021-12-01", "quote": "q"}]}}]}"#;
    let loaded = load_text(text);
    let x = loaded.dataset.incident("x").expect("x");
    assert_eq!(x.date.start(), Day::parse_iso("2021-11-01").expect("day"));
    assert_eq!(x.date.end(), Day::parse_iso("2021-11-30").expect("day"));
    assert_eq!(x.date.precision, DatePrecision::Month);
    assert!(
        x.claims[0]
            .details
            .statement_date
            .as_ref()
            .is_some_and(|d| d.is_exact())
    );
}

#[test]
fn a_format_version_other_than_the_integer_one_is_refused() {
    // docs/FORMAT.md: a newer version is refused; anything but the integer is not a version.
    for (version, says) in [
        ("2", "newer than this claimmap reads (1)"),
        ("99", "newer"),
        ("\"1\"", "must be the integer 1, not \"1\""),
        ("1e20", "must be the integer 1, not 1e+20"),
        ("1.0", "must be the integer 1"),
        ("-1", "must be the integer 1, not -1"),
        ("0", "must be the integer 1, not 0"),
        ("null", "must be the integer 1, not null"),
    ] {
        let text = format!(
            "{{\"type\": \"FeatureCollection\",\n \"claimmap\": {{\"title\": \"t\", \"format_version\": {version}}},\n \"features\": []}}"
        );
        match claimmap::load_bytes(text.as_bytes(), "memory.geojson", Gazetteer::embedded()) {
            Err(LoadError::Unreadable {
                line,
                column,
                message,
                ..
            }) => {
                assert!(message.contains(says), "{version}: {message}");
                // At the member itself: line 2, where `"format_version"` starts.
                assert_eq!((line, column), (2, 29), "{version}");
            }
            other => panic!("{version}: {:?}", other.map(|l| l.report)),
        }
    }
    // Version 1, and a file that does not say (written before the member was required), load.
    for member in ["\"format_version\": 1, ", ""] {
        let text = format!(
            "{{\"type\": \"FeatureCollection\", \"claimmap\": {{{member}\"title\": \"t\"}}, \"features\": []}}"
        );
        assert!(load_text(&text).report.errors.is_empty(), "{text}");
    }
}

#[test]
fn the_format_documents_example_loads_cleanly() {
    let doc = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/FORMAT.md"))
        .expect("FORMAT.md");
    // The example of the section that shows a whole file (others show parts, or other files).
    let section = doc
        .find("## Complete example")
        .expect("the complete example's section");
    let start =
        section + doc[section..].find("```json\n").expect("a json example") + "```json\n".len();
    let end = start + doc[start..].find("```").expect("closed");
    let loaded = load_text(&doc[start..end]);
    assert!(
        loaded.report.errors.is_empty() && loaded.report.warnings.is_empty(),
        "{:?}",
        loaded.report
    );
    assert_eq!(loaded.report.loaded, 1);
    assert!(loaded.dataset.is_contested(&loaded.dataset.incidents()[0]));
}

/// Properties of a valid native incident, with a non-ASCII title (columns count characters).
const VALID_PROPERTIES: &str = r#"{"title": "Şuşa", "category": "political", "date": "2021-05-26", "claims": [{"claimant": "c", "statement_date": "2021-05-26", "quote": "q"}]}"#;

/// Issue 19: each problem's line and column were counted from the file's start, so a file of many
/// bad features took minutes. They are now found from a line index built once
/// (`claimmap::testing::LineIndex`, whose look-up cost is bounded in its unit tests); these hold the
/// numbers it gives to what a reader of the file sees.
#[test]
fn many_bad_features_are_counted_and_the_listed_ones_placed_exactly() {
    let features = 5_000;
    let mut text = String::from(
        "{\"type\": \"FeatureCollection\",\n \"claimmap\": {\"format_version\": 1, \"title\": \"t\"},\n \"features\": [\n",
    );
    for n in 0..features {
        // Every feature is on its own line (line n + 4), with the same id: all but the first
        // are duplicates; the id's column moves with a padding of n % 7 spaces and a non-ASCII
        // title before it, so columns count characters, not bytes.
        let pad = " ".repeat(n % 7);
        text.push_str(&format!(
            "{{\"type\": \"Feature\", \"properties\": {VALID_PROPERTIES},{pad} \"id\": \"same\", \"geometry\": null}}{}\n",
            if n + 1 < features { "," } else { "" }
        ));
    }
    text.push_str("]}\n");
    let loaded = load_text(&text);
    let report = &loaded.report;
    assert_eq!(
        report.error_count,
        features - 1,
        "every duplicate is counted: {:?}",
        &report.errors[..3]
    );
    assert_eq!(report.errors.len(), claimmap::LISTED_ISSUES);
    for (k, issue) in report.errors.iter().enumerate() {
        let n = k + 1;
        assert!(issue.message.contains("duplicate incident id"), "{issue}");
        assert_eq!(issue.line, n + 4, "{issue}");
        let line = text.lines().nth(n + 3).expect("the feature's line");
        let id_column = line[..line.find("\"id\"").expect("id")].chars().count() + 1;
        assert_eq!(issue.column, Some(id_column), "{issue}");
    }
}

#[test]
fn syntax_errors_on_one_long_line_are_placed_by_character() {
    // A minified file: one line. Each broken feature costs itself; its column is exact.
    let good = format!(r#"{{"type": "Feature", "id": "a", "properties": {VALID_PROPERTIES}}}"#);
    let bad = r#"{"type": "Feature", "id": "b" "oops": 1}"#;
    let mut text = String::from(
        r#"{"type": "FeatureCollection", "claimmap": {"format_version": 1}, "features": ["#,
    );
    let mut expected = Vec::new();
    for n in 0..300 {
        if n > 0 {
            text.push(',');
        }
        if n % 3 == 1 {
            // serde_json stops at the stray string after the id.
            let at = text.len() + bad.find("\"oops\"").expect("in bad");
            text.push_str(bad);
            expected.push(text[..at].chars().count() + 1);
        } else {
            text.push_str(&good.replace("\"a\"", &format!("\"a{n}\"")));
        }
    }
    text.push_str("]}");
    let loaded = load_text(&text);
    let syntax: Vec<_> = loaded
        .report
        .errors
        .iter()
        .filter(|e| e.message.starts_with("JSON syntax"))
        .collect();
    assert_eq!(
        syntax.len(),
        expected.len().min(claimmap::LISTED_ISSUES),
        "{:?}",
        &loaded.report.errors[..3]
    );
    for (issue, column) in syntax.iter().zip(&expected) {
        assert_eq!((issue.line, issue.column), (1, Some(*column)), "{issue}");
    }
    assert_eq!(loaded.report.error_count, expected.len());
    assert_eq!(loaded.report.skipped, expected.len());
    assert_eq!(loaded.report.loaded, 300 - expected.len());
}
