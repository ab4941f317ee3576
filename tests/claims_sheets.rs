//! Claims sheets: one row per claim, as CSV or TSV, grouped into incidents; bad rows reported
//! with their lines;
//! `claimmap template`, `convert` to a sheet, and sheet → native → sheet without loss.

mod common;

use common::{claimmap, fixture};

use std::path::Path;

use claimmap::ClaimColumns;
use claimmap::Format;
use claimmap::Gazetteer;
use claimmap::Incident;
use claimmap::Loaded;
use claimmap::detect_columns;

fn load(path: &Path) -> Loaded {
    claimmap::load_path(path, Gazetteer::embedded())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn incident<'a>(loaded: &'a Loaded, id: &str) -> &'a Incident {
    loaded
        .dataset
        .incident(id)
        .unwrap_or_else(|| panic!("no incident {id}"))
}

/// (claimant name, side id) of each claim of an incident.
fn who(loaded: &Loaded, id: &str) -> Vec<(String, String)> {
    let d = &loaded.dataset;
    incident(loaded, id)
        .claims
        .iter()
        .map(|c| {
            (
                d.claimant(c.claimant).name.to_string(),
                d.claimant_side(c.claimant).id.to_string(),
            )
        })
        .collect()
}

fn pair(a: &str, b: &str) -> (String, String) {
    (a.to_owned(), b.to_owned())
}

#[test]
fn claim_columns_are_recognised_by_name() {
    let header: Vec<String> = "Incident,When,Village,Said by,Party,Statement date,Statement,Origin,Target,Casualties,Source,Link"
        .split(',')
        .map(str::to_owned)
        .collect();
    let m = detect_columns(&header);
    assert!(m.is_claims_sheet());
    assert_eq!((m.id, m.date, m.place), (Some(0), Some(1), Some(2)));
    assert_eq!(
        m.claims,
        ClaimColumns {
            claimant: Some(3),
            side: Some(4),
            said_on: Some(5),
            quote: Some(6),
            from: Some(7),
            to: Some(8),
            losses: Some(9),
            outlet: Some(10),
            ..ClaimColumns::default()
        }
    );
    assert_eq!(m.url, Some(11));
    assert_eq!(m.source, None, "a claims sheet's source is its outlet");
    assert!(
        m.missing().is_empty(),
        "a claims sheet may leave places out"
    );
    // A table without a claimant column is read as before.
    let osint: Vec<String> = "id,date,lat,lon,place_desc,title,description,source,links"
        .split(',')
        .map(str::to_owned)
        .collect();
    let m = detect_columns(&osint);
    assert!(!m.is_claims_sheet());
    assert_eq!(m.source, Some(7));
}

#[test]
fn a_claims_csv_groups_claims_into_incidents() {
    let loaded = load(&fixture("claims.csv"));
    let r = &loaded.report;
    assert_eq!(r.format, Format::Claims);
    assert_eq!((r.rows, r.loaded, r.skipped), (8, 3, 2), "{:?}", r.errors);
    let errors: Vec<(usize, &str)> = r
        .errors
        .iter()
        .map(|e| (e.line, e.message.as_str()))
        .collect();
    assert_eq!(errors.len(), 2);
    assert_eq!(errors[0].0, 9);
    assert!(errors[0].1.contains("no claimant"), "{errors:?}");
    assert_eq!(errors[1].0, 10);
    assert!(errors[1].1.contains("unparseable date"), "{errors:?}");
    // Only the gazetteer's word on an ambiguous name: the rows of each incident agree.
    assert!(
        r.warnings.iter().all(|w| !w.message.contains("differs")),
        "{:?}",
        r.warnings
    );

    let d = &loaded.dataset;
    // Three rows with one id: one incident, three claims, both parties and a non-party.
    assert_eq!(
        who(&loaded, "2021-11-16-sotk"),
        [
            pair("Ministry of Defence of Armenia", "am"),
            pair("Ministry of Defence of Azerbaijan", "az"),
            pair("Foreign Ministry of Russia", "ru"),
        ]
    );
    let sotk = incident(&loaded, "2021-11-16-sotk");
    assert!(d.is_contested(sotk));
    let first = &sotk.claims[0];
    assert_eq!(
        first.quote.read(),
        "Azerbaijani units attacked Armenian positions near Sotk, using artillery."
    );
    let names =
        |places: &[claimmap::PlaceRef]| places.iter().map(|p| d.text(p.text)).collect::<Vec<_>>();
    assert_eq!(names(&first.details.from), ["Kalbajar"]);
    assert_eq!(names(&first.details.to), ["Sotk"]);
    assert_eq!(
        first.losses.as_ref().map(|l| &*l.text),
        Some("15 killed, 12 captured")
    );
    assert_eq!(first.source.outlet.map(|o| d.text(o)), Some("Armenpress"));
    assert_eq!(
        first.details.url.as_deref(),
        Some("https://example.org/am-1")
    );
    assert_eq!(
        first
            .details
            .statement_date
            .as_ref()
            .map(|s| s.start().to_string()),
        Some("2021-11-16".to_owned())
    );
    assert_eq!(
        sotk.extra.get_str("Analyst note").as_deref(),
        Some("checked twice")
    );
    assert!(
        sotk.point().is_some(),
        "Sotk is placed through the gazetteer"
    );

    // Rows without an id meet by date and place, whatever the date's spelling; sides come from
    // the claimant registry when the side column is empty; a quote keeps its line break.
    assert_eq!(
        who(&loaded, "2021-05-26-kalbajar"),
        [
            pair("Azerbaijani MoD", "az"),
            pair("Armenian Defence Ministry", "am")
        ]
    );
    let kalbajar = incident(&loaded, "2021-05-26-kalbajar");
    assert!(
        kalbajar.claims[1]
            .quote
            .read()
            .contains("disinformation;\nno shots")
    );
    // A side claimmap does not know is a party of its own.
    assert_eq!(
        who(&loaded, "2022-02-10-zeylik"),
        [pair("Local council", "village-council-of-zeylik")]
    );
    let contested = d.incidents().iter().filter(|i| d.is_contested(i)).count();
    assert_eq!(contested, 2);
}

#[test]
fn rows_of_one_incident_that_disagree_are_warned_about() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("claims.csv");
    std::fs::write(
        &path,
        "incident_id,date,place,claimant,side,quote\n\
         x,2021-05-26,Kalbajar,A,Azerbaijan,one\n\
         x,2021-05-27,Kalbajar,B,Armenia,two\n",
    )
    .expect("write");
    let loaded = load(&path);
    assert_eq!(loaded.report.loaded, 1);
    assert_eq!(incident(&loaded, "x").claims.len(), 2);
    assert_eq!(
        incident(&loaded, "x").date.start().to_string(),
        "2021-05-26",
        "the first row's date is kept"
    );
    let warning = &loaded.report.warnings[0];
    assert_eq!(warning.line, 3);
    assert!(
        warning.message.contains("date differs from line 2"),
        "{}",
        warning.message
    );
}

#[test]
fn template_writes_an_empty_sheet_that_loads() {
    let dir = tempfile::tempdir().expect("tempdir");
    for name in ["claims.csv", "claims.tsv"] {
        let path = dir.path().join(name);
        claimmap().arg("template").arg(&path).assert().success();
        let loaded = load(&path);
        assert_eq!(loaded.report.format, Format::Claims, "{name}");
        assert_eq!(
            loaded.report.loaded, 1,
            "{name}: {:?}",
            loaded.report.errors
        );
        let example = &loaded.dataset.incidents()[0];
        assert_eq!(example.claims.len(), 1);
        assert_eq!(
            loaded
                .dataset
                .claimant_side(example.claims[0].claimant)
                .id
                .as_ref(),
            "am"
        );
        // Never over an existing file.
        claimmap().arg("template").arg(&path).assert().code(2);
    }
    let header = std::fs::read_to_string(dir.path().join("claims.csv")).expect("read");
    assert_eq!(
        header.lines().next(),
        Some(claimmap::CLAIMS_HEADER.join(",").as_str())
    );
    claimmap()
        .arg("template")
        .arg(dir.path().join("claims.txt"))
        .assert()
        .code(2);
}

/// Converts with the command line and returns the output's bytes.
fn convert(input: &Path, output: &Path) -> Vec<u8> {
    claimmap()
        .arg("convert")
        .arg(input)
        .arg(output)
        .assert()
        .success();
    std::fs::read(output).expect("output")
}

#[test]
fn sheet_to_native_to_sheet_round_trips() {
    let dir = tempfile::tempdir().expect("tempdir");
    let at = |name: &str| dir.path().join(name);
    // The fixture in claimmap's own columns, then through the native format and back.
    let sheet = convert(&fixture("claims.csv"), &at("sheet.csv"));
    convert(&at("sheet.csv"), &at("native.geojson"));
    let again = convert(&at("native.geojson"), &at("again.csv"));
    assert_eq!(
        String::from_utf8_lossy(&again),
        String::from_utf8_lossy(&sheet)
    );
}

#[test]
fn any_dataset_converts_to_a_claims_sheet() {
    let dir = tempfile::tempdir().expect("tempdir");
    let reference = claimmap::load_reference(Gazetteer::embedded());
    let native = dir.path().join("reference.geojson");
    claimmap::save_native(&reference.dataset, &native).expect("save");
    let out = dir.path().join("reference-claims.csv");
    convert(&native, &out);
    let sheet = load(&out);
    let (a, b) = (&reference.dataset, &sheet.dataset);
    assert_eq!(sheet.report.error_count, 0, "{:?}", sheet.report.errors);
    assert_eq!(b.incidents().len(), a.incidents().len());
    let claims =
        |d: &claimmap::Dataset| d.incidents().iter().map(|i| i.claims.len()).sum::<usize>();
    assert_eq!(claims(b), claims(a));
    let contested =
        |d: &claimmap::Dataset| d.incidents().iter().filter(|i| d.is_contested(i)).count();
    assert_eq!(contested(b), contested(a));
    for incident in a.incidents() {
        let copy = b.incident(&incident.id).expect("same ids");
        assert_eq!(copy.date, incident.date, "{}", incident.id);
        assert_eq!(b.title(copy), a.title(incident));
        let quotes = |i: &Incident| {
            i.claims
                .iter()
                .map(|c| c.quote.to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(quotes(copy), quotes(incident));
    }
    // An ACLED export too: a row per claim, the joined source split.
    let acled = dir.path().join("acled-claims.csv");
    convert(&fixture("acled_sided.csv"), &acled);
    let text = std::fs::read_to_string(&acled).expect("read");
    let rows = csv::Reader::from_reader(text.as_bytes()).records().count();
    assert_eq!(rows, 11);
}
