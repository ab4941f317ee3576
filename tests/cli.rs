//! The command line as a user runs it: exit codes, `--json` shapes, and files left untouched.

mod common;

use common::{claimmap, fixture};

use assert_cmd::Command;
use serde_json::Value;

fn json_of(cmd: &mut Command) -> (Value, i32) {
    let out = cmd.output().expect("runs");
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert_eq!(
        text.trim().lines().count(),
        1,
        "exactly one JSON line: {text}"
    );
    (
        serde_json::from_str(&text).expect("JSON"),
        out.status.code().unwrap_or(-1),
    )
}

#[test]
fn check_json_on_the_embedded_dataset() {
    let (v, code) = json_of(claimmap().args(["check", "--json"]));
    assert_eq!(code, 0);
    assert_eq!(v["incidents"], 30);
    assert!(v["claims"].as_u64().is_some_and(|n| n >= 40));
    assert!(v["contested"].as_u64().is_some_and(|n| n >= 2));
    assert_eq!(v["unlocated"], 0);
    assert_eq!(v["unresolved_places"], serde_json::json!([]));
    assert_eq!(v["date_min"], "1991-01-01");
    assert_eq!(v["date_max"], "2022-08-08");
    // Each claimant an object: its name, its side's id, its claims in the window.
    let claimants = v["claimants"].as_array().expect("array");
    let find = |name: &str| {
        claimants
            .iter()
            .find(|c| c["name"] == name)
            .unwrap_or_else(|| panic!("no claimant {name}"))
    };
    assert_eq!(find("Ministry of Defence of Azerbaijan")["side"], "az");
    assert_eq!(find("Ministry of Defence of Armenia")["side"], "am");
    assert!(
        find("Ministry of Defence of Azerbaijan")["claims"]
            .as_u64()
            .is_some_and(|n| n >= 5)
    );
    let total: u64 = claimants.iter().filter_map(|c| c["claims"].as_u64()).sum();
    assert_eq!(Some(total), v["claims"].as_u64());
    let file = &v["files"][0];
    assert_eq!(file["format"], "claimmap");
    assert_eq!(file["rows"], 30);
    assert_eq!(file["loaded"], 30);
    assert_eq!(file["skipped"], 0);
}

#[test]
fn check_counts_only_the_window_both_days_included() {
    // 24–26 May 2021 touches the fire of 24–26 May and the shots near Shusha; 27 May starts the next day.
    let (v, _) = json_of(claimmap().args([
        "check",
        "--json",
        "--from",
        "2021-05-26",
        "--to",
        "2021-05-26",
    ]));
    // The two incidents of 24–26 May, and two spans running through it: the mine-casualty tally
    // (10 Nov 2020 – 11 Jun 2021) and the truce monitoring (10 Nov 2020 – 15 Nov 2021).
    assert_eq!(v["incidents"], 4, "{v}");
    let (v, _) = json_of(claimmap().args([
        "check",
        "--json",
        "--from",
        "2021-05-27",
        "--to",
        "2021-05-27",
    ]));
    assert_eq!(
        v["incidents"], 3,
        "the next day loses both 24–26 May incidents and gains the detention: {v}"
    );
    let (v, _) = json_of(claimmap().args([
        "check",
        "--json",
        "--from",
        "2021-11-13",
        "--to",
        "2021-11-13",
    ]));
    let (w, _) = json_of(claimmap().args([
        "check",
        "--json",
        "--from",
        "2021-11-14",
        "--to",
        "2021-11-14",
    ]));
    assert_eq!(
        v["contested"], 1,
        "the clash of 13–14 Nov meets a window on either day"
    );
    assert_eq!(w["contested"], 1);
    let (none, code) = json_of(claimmap().args(["check", "--json", "--from", "2030-01-01"]));
    assert_eq!(code, 0);
    assert_eq!(none["incidents"], 0);
    assert_eq!(none["date_min"], Value::Null);
}

#[test]
fn check_reports_bad_rows_with_lines_and_exits_zero() {
    let (v, code) = json_of(
        claimmap()
            .args(["check", "--json"])
            .arg(fixture("bad_values.geojson")),
    );
    assert_eq!(code, 0, "the file could be read, even with bad rows");
    let file = &v["files"][0];
    assert_eq!(file["rows"], 9);
    assert_eq!(file["loaded"], 2);
    assert_eq!(file["skipped"], 7);
    let lines: Vec<u64> = file["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .filter_map(|e| e["line"].as_u64())
        .collect();
    assert!(lines.contains(&6) && lines.contains(&8), "{lines:?}");
    assert_eq!(
        v["unresolved_places"],
        serde_json::json!(["Nowhere-in-particular-ville"])
    );
}

#[test]
fn check_exits_two_on_unreadable_or_unknown_files() {
    for name in ["notes.txt", "acled_header.csv", "missing.geojson"] {
        let (v, code) = json_of(claimmap().args(["check", "--json"]).arg(fixture(name)));
        assert_eq!(code, 2, "{name}");
        assert!(
            v["files"][0]["errors"][0]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty()),
            "{name}: {v}"
        );
    }
    // One good file and one bad: the good one still counts.
    let (v, code) = json_of(
        claimmap()
            .args(["check", "--json"])
            .arg(fixture("broken_syntax.geojson"))
            .arg(fixture("notes.txt")),
    );
    assert_eq!(code, 2);
    assert_eq!(v["incidents"], 2);
    claimmap()
        .args(["check", "--from", "yesterday"])
        .assert()
        .failure();
}

#[test]
fn check_human_summary() {
    let out = claimmap().arg("check").output().expect("runs");
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert!(out.status.success());
    assert!(text.contains("30 incidents"), "{text}");
    assert!(text.contains("unresolved places: none"), "{text}");
}

fn places(query: &str) -> Vec<Value> {
    let out = claimmap()
        .args(["places", query, "--json"])
        .output()
        .expect("runs");
    assert!(out.status.success(), "{query}");
    let v: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    v.as_array().expect("array").clone()
}

#[test]
fn places_finds_each_sides_names() {
    let cases = [
        ("Basarkechar", "Vardenis", "AM"),
        ("Karvachar", "Kalbajar", "AZ"),
        ("Yukhari Shorzha", "Verin Shorzha", "AM"),
        ("Berdzor", "Lachin", "AZ"),
        ("Шуша", "Shusha", "AZ"),
    ];
    for (query, name, country) in cases {
        let matches = places(query);
        let best = &matches[0];
        assert_eq!(best["name"], name, "{query}");
        assert_eq!(best["country"], country, "{query}");
        for key in ["names", "aliases", "kind", "admin1", "lat", "lon", "source"] {
            assert!(best.get(key).is_some(), "{query}: {key} missing");
        }
        assert!(
            best["names"]["hy"].as_str().is_some_and(|n| !n.is_empty()),
            "{query}: Armenian name"
        );
    }
    let verin = &places("Yukhari Shorzha")[0];
    assert_eq!(verin["admin1"], "Gegharkunik");
    assert!(
        verin["source"]
            .as_str()
            .is_some_and(|s| s.contains("Who's On First")),
        "the coordinates' source: {}",
        verin["source"]
    );
    assert!(
        verin["names_from"]
            .as_str()
            .is_some_and(|s| s.contains("GeoNames") || s.contains("Who's On First")),
        "where the names come from: {}",
        verin["names_from"]
    );
}

#[test]
fn places_exits_one_when_nothing_matches() {
    claimmap()
        .args(["places", "Nowhere-in-particular-ville"])
        .assert()
        .code(1);
    let out = claimmap()
        .args(["places", "Nowhere-in-particular-ville", "--json"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "[]");
}

#[test]
fn convert_writes_a_new_file_and_never_its_input() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("in.geojson");
    std::fs::copy(fixture("unknown_members.geojson"), &input).expect("copy");
    let before = std::fs::read(&input).expect("read");
    let out = dir.path().join("out.geojson");
    claimmap()
        .arg("convert")
        .arg(&input)
        .arg(&out)
        .assert()
        .success();
    assert_eq!(std::fs::read(&input).expect("read"), before);
    let (v, code) = json_of(claimmap().args(["check", "--json"]).arg(&out));
    assert_eq!(code, 0);
    assert_eq!(v["incidents"], 2);
    // The output may not be the input.
    claimmap()
        .arg("convert")
        .arg(&input)
        .arg(&input)
        .assert()
        .code(2);
    assert_eq!(std::fs::read(&input).expect("read"), before);
    // An unreadable input writes nothing.
    let nothing = dir.path().join("nothing.geojson");
    claimmap()
        .arg("convert")
        .arg(fixture("notes.txt"))
        .arg(&nothing)
        .assert()
        .code(2);
    assert!(!nothing.exists());
}

#[test]
fn help_on_every_command() {
    for args in [
        vec!["--help"],
        vec!["check", "--help"],
        vec!["places", "--help"],
        vec!["convert", "--help"],
    ] {
        claimmap().args(&args).assert().success();
    }
}
