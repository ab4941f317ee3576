//! The command line on imported formats: `check --json` on real UCDP rows, and `convert` of an
//! ACLED export to the native format keeping every column.

mod common;

use common::{claimmap, fixture};

use std::path::Path;

use serde_json::Value;

fn check_json(path: &Path) -> (Value, i32) {
    let out = claimmap()
        .args(["check", "--json"])
        .arg(path)
        .output()
        .expect("runs");
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert_eq!(text.trim().lines().count(), 1, "one JSON line: {text}");
    (
        serde_json::from_str(&text).expect("JSON"),
        out.status.code().unwrap_or(-1),
    )
}

#[test]
fn check_json_on_real_ucdp_rows() {
    let (v, code) = check_json(&fixture("ucdp_ged231_rows.csv"));
    assert_eq!(code, 0);
    let file = &v["files"][0];
    assert_eq!(file["format"], "ucdp");
    assert_eq!(file["rows"], 9);
    assert_eq!(file["loaded"], 9);
    assert_eq!(file["skipped"], 0);
    assert_eq!(file["error_count"], 0);
    assert_eq!(file["unlocated"], 0);
    assert_eq!(v["incidents"], 9);
    assert_eq!(v["claims"], 9);
    assert_eq!(
        v["claimants"],
        serde_json::json!([{"name": "UCDP GED", "side": "ucdp", "claims": 9}])
    );
    assert_eq!(file["unregistered_claimants"], serde_json::json!([]));
    assert_eq!(v["contested"], 0, "UCDP's coding is not a party's claim");
    assert_eq!(v["date_min"], "1989-05-10");
    assert_eq!(v["date_max"], "2022-03-01");
    // The window counts the three Azerbaijani rows' years only.
    let out = claimmap()
        .args([
            "check",
            "--json",
            "--from",
            "1992-01-01",
            "--to",
            "1994-12-31",
        ])
        .arg(fixture("ucdp_ged231_rows.csv"))
        .output()
        .expect("runs");
    let v: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(v["incidents"], 3, "{v}");
}

/// ACLED's joined sources become sided claimants: `check --json` names them with their sides
/// and claims, counts the incident both ministries speak about as contested, and lists the
/// outlets the registry does not know.
#[test]
fn check_json_on_acled_sides_the_sources() {
    let (v, code) = check_json(&fixture("acled_sided.csv"));
    assert_eq!(code, 0);
    assert_eq!(v["incidents"], 6);
    assert_eq!(v["claims"], 11);
    assert_eq!(v["contested"], 1);
    let claimants = v["claimants"].as_array().expect("array");
    let side_of = |name: &str| {
        claimants
            .iter()
            .find(|c| c["name"] == name)
            .map(|c| (c["side"].clone(), c["claims"].clone()))
    };
    assert_eq!(
        side_of("Ministry of Defence of Azerbaijan"),
        Some((Value::from("az"), Value::from(2)))
    );
    assert_eq!(
        side_of("Ministry of Defence of Armenia"),
        Some((Value::from("am"), Value::from(2)))
    );
    assert_eq!(
        side_of("Sumgait Reporter"),
        Some((Value::from("acled-source"), Value::from(1)))
    );
    assert!(side_of("Azerbaijan Ministry of Defence; Armenia Ministry of Defence").is_none());
    assert_eq!(
        v["files"][0]["unregistered_claimants"],
        serde_json::json!(["Sumgait Reporter", "Vardenis Local Blog"])
    );
}

#[test]
fn check_lists_bad_rows_with_lines_and_counts() {
    let (v, code) = check_json(&fixture("acled_malformed.csv"));
    assert_eq!(code, 0, "readable, with bad rows");
    let file = &v["files"][0];
    assert_eq!(file["format"], "acled");
    assert_eq!(file["rows"], 11);
    assert_eq!(file["loaded"], 4);
    assert_eq!(file["skipped"], 7);
    assert_eq!(file["error_count"], 7);
    let lines: Vec<u64> = file["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .filter_map(|e| e["line"].as_u64())
        .collect();
    for line in [3, 4, 5, 8, 9, 10, 12] {
        assert!(lines.contains(&line), "{line}: {lines:?}");
    }
    let out = claimmap()
        .arg("check")
        .arg(fixture("acled_malformed.csv"))
        .output()
        .expect("runs");
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert!(text.contains("[acled]"), "{text}");
    assert!(text.contains("line 12: the row has 4 fields"), "{text}");
}

#[test]
fn check_formats_of_every_importer() {
    for (name, format) in [
        ("acled_current.csv", "acled"),
        ("acled_hdx.csv", "acled"),
        ("acled_oldest.tsv", "acled"),
        ("osint_geolocations.csv", "csv"),
        ("windows1252.csv", "csv"),
        ("plain.geojson", "geojson"),
    ] {
        let (v, code) = check_json(&fixture(name));
        assert_eq!(code, 0, "{name}");
        assert_eq!(v["files"][0]["format"], format, "{name}");
    }
    let (v, code) = check_json(&fixture("osint_geolocations.csv"));
    assert_eq!(code, 0);
    assert_eq!(v["unlocated"], 2);
    assert_eq!(v["files"][0]["unlocated"], 2);
}

#[test]
fn convert_acled_keeps_every_column() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("acled.csv");
    std::fs::copy(fixture("acled_current.csv"), &input).expect("copy");
    let before = std::fs::read(&input).expect("read");
    let out = dir.path().join("acled.geojson");
    claimmap()
        .arg("convert")
        .arg(&input)
        .arg(&out)
        .assert()
        .success();
    assert_eq!(
        std::fs::read(&input).expect("read"),
        before,
        "input untouched"
    );
    let saved: Value =
        serde_json::from_str(&std::fs::read_to_string(&out).expect("output")).expect("JSON");
    let feature = saved["features"]
        .as_array()
        .expect("features")
        .iter()
        .find(|f| f["id"] == "AZE9001")
        .expect("AZE9001");
    let props = &feature["properties"];
    assert_eq!(props["title"], "Armed clash: Kalbajar");
    assert_eq!(props["category"], "exchange_of_fire");
    assert_eq!(props["date"], "2021-05-26");
    assert_eq!(props["location"]["place"], "Kalbajar");
    // The joined source: one claim per claimant, the whole source text kept as the outlet.
    assert_eq!(props["claims"][0]["claimant"], "az-mod");
    assert_eq!(props["claims"][1]["claimant"], "trend");
    assert_eq!(
        props["claims"][1]["source"]["outlet"],
        "Azerbaijan Ministry of Defence; Trend"
    );
    let sides: Vec<&str> = saved["claimmap"]["sides"]
        .as_array()
        .expect("sides")
        .iter()
        .filter_map(|s| s["id"].as_str())
        .collect();
    assert!(sides.contains(&"az") && sides.contains(&"am"), "{sides:?}");
    for column in [
        "actor1",
        "actor2",
        "event_type",
        "sub_event_type",
        "admin1",
        "fatalities",
        "iso",
        "region",
        "country",
        "source_scale",
        "timestamp",
        "interaction",
        "event_date",
        "time_precision",
        "geo_precision",
    ] {
        assert!(props.get(column).is_some(), "{column} kept: {props}");
    }
    assert_eq!(
        feature["geometry"]["coordinates"],
        serde_json::json!([46.0389, 40.1098])
    );
    let claimmap_member = &saved["claimmap"];
    assert_eq!(claimmap_member["sides"][0]["id"], "acled-source");
    assert_eq!(claimmap_member["sides"][0]["party"], false);
    // The converted file reads back as the native format, with the same counts.
    let (v, code) = check_json(&out);
    assert_eq!(code, 0);
    assert_eq!(v["files"][0]["format"], "claimmap");
    assert_eq!(v["incidents"], 6);
    assert_eq!(v["files"][0]["error_count"], 0);
}
