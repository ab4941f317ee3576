//! What claimmap says about bad input (issue 19): text from a file never commands the terminal,
//! a header that names a column twice is pointed out, and long lists are cut with a count.

mod common;

use common::claimmap;

use claimmap::Gazetteer;
use claimmap::LoadError;

/// Escape sequences that would set the window title, clear the screen, write the clipboard
/// (OSC 52) and ring the bell.
const ATTACK: &str = "\u{1b}]0;owned\u{7}\u{1b}[2J\u{1b}]52;c;ZXZpbA==\u{7}";

#[test]
fn check_and_convert_print_control_characters_escaped() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("hostile.csv");
    std::fs::write(
        &input,
        format!(
            "id,date,lat,lon,place_desc,title\n\
             a,2022-09-13,,,Nowhere{ATTACK}ville,unknown place\n\
             b,13 Smarch{ATTACK} 2022,40.2,45.6,Jermuk,bad date\n"
        ),
    )
    .expect("input");
    // A native file naming a place the gazetteer does not know: `check` lists it as unresolved.
    let native = dir.path().join("hostile.geojson");
    let escaped_attack = serde_json::to_string(&format!("Nowhere{ATTACK}ville")).expect("json");
    std::fs::write(
        &native,
        format!(
            r#"{{"type": "FeatureCollection", "claimmap": {{"format_version": 1, "title": "t"}}, "features": [
            {{"type": "Feature", "id": "x", "geometry": null, "properties": {{"title": "t", "category": "political",
            "date": "2021-05-26", "location": {{"place": {escaped_attack}, "precision": "near"}},
            "claims": [{{"claimant": "c", "statement_date": "2021-05-26", "quote": "q"}}]}}}}]}}"#
        ),
    )
    .expect("native input");
    let check = claimmap()
        .arg("check")
        .arg(&input)
        .arg(&native)
        .output()
        .expect("runs");
    let convert = claimmap()
        .arg("convert")
        .arg(&input)
        .arg(dir.path().join("out.geojson"))
        .output()
        .expect("runs");
    for (what, bytes) in [
        ("check stdout", &check.stdout),
        ("check stderr", &check.stderr),
        ("convert stderr", &convert.stderr),
    ] {
        let text = String::from_utf8_lossy(bytes);
        assert!(
            !bytes.iter().any(|&b| b == 0x1b || b == 0x07),
            "{what}: {text:?}"
        );
        assert!(
            text.contains("\\u{1b}]0;owned\\u{7}") || text.is_empty(),
            "{what}: {text}"
        );
    }
    // The quoted names are still there to read.
    let stdout = String::from_utf8_lossy(&check.stdout);
    let unresolved = stdout
        .lines()
        .find(|l| l.starts_with("unresolved places"))
        .unwrap_or_default();
    assert!(unresolved.contains("Nowhere\\u{1b}]0;owned"), "{stdout}");
    assert!(stdout.contains("Smarch\\u{1b}"), "{stdout}");
}

#[test]
fn a_header_naming_a_column_twice_is_warned_about() {
    let text = "id,date,latitude,longitude,Latitude,title\n\
                a,2022-09-13,40.2,45.6,39.0,first latitude is read\n";
    let loaded =
        claimmap::load_bytes(text.as_bytes(), "twice.csv", Gazetteer::embedded()).expect("loads");
    let warning = loaded
        .report
        .warnings
        .iter()
        .find(|w| w.message.contains("names 2 columns"))
        .unwrap_or_else(|| panic!("{:?}", loaded.report.warnings));
    assert_eq!(warning.line, 1);
    assert!(
        warning.message.contains("\"latitude\" (columns 3, 5)")
            && warning.message.contains("the first"),
        "{warning}"
    );
    let point = loaded.dataset.incidents()[0].point().expect("a position");
    assert!(
        (point.y() - 40.2).abs() < 1e-9,
        "the first latitude column is read"
    );
}

#[test]
fn a_header_of_a_hundred_thousand_columns_is_listed_short() {
    // No date and no position among them: the error lists the columns it found.
    let header: Vec<String> = (0..100_000).map(|i| format!("column_{i}")).collect();
    let text = format!("{}\n{}\n", header.join(","), vec!["x"; 100_000].join(","));
    match claimmap::load_bytes(text.as_bytes(), "wide.csv", Gazetteer::embedded()) {
        Err(e @ LoadError::Columns { .. }) => {
            let message = e.to_string();
            assert!(message.len() < 2_000, "{} bytes", message.len());
            assert!(message.contains("column_0, column_1"), "{message}");
            assert!(message.contains("… and 99960 more"), "{message}");
        }
        other => panic!("{:?}", other.map(|l| l.report)),
    }
}

#[test]
fn export_says_how_many_errors_it_did_not_list() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("bad_dates.csv");
    let mut text = String::from("id,date,lat,lon,title\n");
    for n in 0..12 {
        text.push_str(&format!("bad{n},not a date,40.2,45.6,t\n"));
    }
    text.push_str("good,2022-09-13,40.2,45.6,t\n");
    std::fs::write(&input, text).expect("input");
    let out = claimmap()
        .args(["export", "--offline", "--size", "320x240", "--out"])
        .arg(dir.path().join("map.png"))
        .arg(&input)
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.matches("(not drawn)").count(), 5, "{stderr}");
    assert!(
        stderr.contains("… and 7 more errors (12 rows not drawn)"),
        "{stderr}"
    );
}
