//! Claims sheets kept in workbooks: an Excel (.xlsx) workbook written here with date cells, text
//! dates, a title row above the header and a first sheet that is only a note; the OpenDocument
//! fixture `claims.ods` (made by `tools/make_claims_ods.py` with odfpy) holding the same rows.
//! Both load into the incidents, claims and contested count a CSV of those rows gives, bad rows
//! reported by sheet and row; `template` and `convert` write .xlsx that loads back unchanged.

mod common;

use std::path::Path;

use common::{claimmap, fixture};

use claimmap::{Format, Gazetteer, Loaded};
use rust_xlsxwriter::{ExcelDateTime, Format as CellFormat, Workbook};

fn load(path: &Path) -> Loaded {
    claimmap::load_path(path, Gazetteer::embedded())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A cell of the test sheet: text, a date cell, or nothing.
enum C {
    T(&'static str),
    D(u16, u8, u8),
    E,
}
use C::{D, E, T};

/// The rows of the sheet "Claims", from row 1 — the same as `tools/make_claims_ods.py` writes.
fn claim_rows() -> Vec<Vec<C>> {
    vec![
        vec![T(
            "Border incidents, November 2021 and February 2022 (test fixture)",
        )],
        vec![],
        vec![
            T("Incident"),
            T("Date"),
            T("Place"),
            T("Claimant"),
            T("Side"),
            T("Said on"),
            T("Quote"),
            T("Outlet"),
        ],
        vec![
            T("sotk"),
            D(2021, 11, 16),
            T("Sotk"),
            T("Ministry of Defence of Armenia"),
            T("Armenia"),
            D(2021, 11, 16),
            T("Azerbaijani units attacked Armenian positions near Sotk."),
            T("Armenpress"),
        ],
        vec![
            T("sotk"),
            D(2021, 11, 16),
            T("Sotk"),
            T("Ministry of Defence of Azerbaijan"),
            T("Azerbaijan"),
            D(2021, 11, 16),
            T(
                "Armenian armed forces committed a provocation\nin the direction of the Kalbajar region.",
            ),
            T("AZERTAC"),
        ],
        vec![
            T("zeylik"),
            T("10 February 2022"),
            T("Zeylik"),
            T("Ministry of Defence of Azerbaijan"),
            T("Azerbaijan"),
            T("2022-02-10"),
            T("Positions in Zeylik came under fire."),
            T("Trend"),
        ],
        vec![
            T("zeylik"),
            T("2022-02-10"),
            T("Zeylik"),
            T("Ministry of Defence of Armenia"),
            T("Armenia"),
            D(2022, 2, 10),
            T("The Azerbaijani statement is disinformation."),
            T("news.am"),
        ],
        vec![],
        vec![
            T("verin-shorzha"),
            D(2021, 5, 26),
            T("Verin Shorzha"),
            T("Foreign Ministry of Russia"),
            T("Russia (not a party)"),
            E,
            T("We call on both sides to show restraint."),
            T("TASS"),
        ],
        vec![
            T("bad"),
            T("sometime"),
            T("Sotk"),
            T("Ministry of Defence of Armenia"),
            T("Armenia"),
            E,
            T("A claim with a bad date."),
            E,
        ],
    ]
}

/// Writes the test workbook: a sheet "Read me" with a note, then "Claims".
fn write_workbook(path: &Path) {
    let mut workbook = Workbook::new();
    let date = CellFormat::new().set_num_format("dd/mm/yyyy");
    let note = workbook.add_worksheet();
    note.set_name("Read me").expect("name");
    note.write_string(
        0,
        0,
        "Claims kept for the border incidents; the sheet Claims holds them.",
    )
    .expect("note");
    let sheet = workbook.add_worksheet();
    sheet.set_name("Claims").expect("name");
    for (r, cells) in claim_rows().iter().enumerate() {
        for (c, cell) in cells.iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            match cell {
                T(text) => {
                    sheet.write_string(r, c, *text).expect("text");
                }
                D(y, m, d) => {
                    let when = ExcelDateTime::from_ymd(*y, *m, *d).expect("date");
                    sheet
                        .write_datetime_with_format(r, c, &when, &date)
                        .expect("date");
                }
                E => {}
            }
        }
    }
    workbook.save(path).expect("save");
}

/// What both workbooks must load as.
fn assert_claims_loaded(loaded: &Loaded, what: &str) {
    let r = &loaded.report;
    assert_eq!(r.format, Format::Claims, "{what}");
    assert_eq!(
        (r.rows, r.loaded, r.skipped),
        (6, 3, 1),
        "{what}: {:?}",
        r.errors
    );
    assert_eq!(r.errors.len(), 1, "{what}");
    let error = &r.errors[0];
    assert_eq!(error.sheet.as_deref(), Some("Claims"), "{what}");
    assert_eq!(
        error.line, 10,
        "{what}: the row the spreadsheet shows: {error}"
    );
    assert!(
        error.message.contains("unparseable date"),
        "{what}: {error}"
    );
    assert!(
        error.to_string().starts_with("sheet \"Claims\", row 10: "),
        "{what}: {error}"
    );
    assert!(
        r.warnings
            .iter()
            .any(|w| w.line == 0 && w.message.contains("\"Read me\"")),
        "{what}: the sheet not read is named: {:?}",
        r.warnings
    );

    let d = &loaded.dataset;
    let claims: usize = d.incidents().iter().map(|i| i.claims.len()).sum();
    assert_eq!(claims, 5, "{what}");
    let contested: Vec<&str> = d
        .incidents()
        .iter()
        .filter(|i| d.is_contested(i))
        .map(|i| &*i.id)
        .collect();
    assert_eq!(contested, ["sotk", "zeylik"], "{what}");
    let sotk = d.incident("sotk").expect("sotk");
    assert_eq!(sotk.date.start().to_string(), "2021-11-16", "{what}");
    let sides: Vec<&str> = sotk
        .claims
        .iter()
        .map(|c| &*d.claimant_side(c.claimant).id)
        .collect();
    assert_eq!(sides, ["am", "az"], "{what}");
    assert_eq!(
        sotk.claims[1].quote.read(),
        "Armenian armed forces committed a provocation\nin the direction of the Kalbajar region.",
        "{what}: a cell's line break is kept"
    );
    assert_eq!(
        sotk.claims[0]
            .details
            .statement_date
            .as_ref()
            .map(|s| s.start().to_string()),
        Some("2021-11-16".into()),
        "{what}"
    );
    assert_eq!(
        sotk.claims[1].source.outlet.map(|o| d.text(o)),
        Some("AZERTAC"),
        "{what}"
    );
    // A text date in one row and a date cell in the other meet as one incident.
    let zeylik = d.incident("zeylik").expect("zeylik");
    assert_eq!(zeylik.date.start().to_string(), "2022-02-10", "{what}");
    assert_eq!(zeylik.claims.len(), 2, "{what}");
    let shorzha = d.incident("verin-shorzha").expect("verin-shorzha");
    assert_eq!(shorzha.date.start().to_string(), "2021-05-26", "{what}");
    assert!(
        !d.is_contested(shorzha),
        "{what}: one claim, from a non-party"
    );
}

#[test]
fn an_xlsx_with_date_cells_groups_claims_into_incidents() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("claims.xlsx");
    write_workbook(&path);
    assert_claims_loaded(&load(&path), "xlsx");
}

#[test]
fn an_ods_fixture_loads_the_same() {
    assert_claims_loaded(&load(&fixture("claims.ods")), "ods");
}

#[test]
fn check_names_the_sheet_and_row_of_a_bad_row() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("claims.xlsx");
    write_workbook(&path);
    let out = claimmap().arg("check").arg(&path).output().expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(
        text.contains("error: sheet \"Claims\", row 10: unparseable date \"sometime\""),
        "{text}"
    );
    assert!(
        text.contains("3 incidents (2 contested), 5 claims"),
        "{text}"
    );
    let json = claimmap()
        .args(["check", "--json"])
        .arg(&path)
        .output()
        .expect("run");
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).expect("json");
    let error = &value["files"][0]["errors"][0];
    assert_eq!(error["sheet"], "Claims", "{value}");
    assert_eq!(error["line"], 10, "{value}");
}

#[test]
fn template_xlsx_loads_back() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("claims.xlsx");
    claimmap().arg("template").arg(&path).assert().success();
    let loaded = load(&path);
    assert_eq!(loaded.report.format, Format::Claims);
    assert_eq!(loaded.report.loaded, 1, "{:?}", loaded.report.errors);
    assert_eq!(loaded.report.error_count, 0, "{:?}", loaded.report.errors);
    let example = &loaded.dataset.incidents()[0];
    assert_eq!(example.id.as_ref(), "2021-11-16-border-clash");
    assert_eq!(example.date.start().to_string(), "2021-11-16");
    assert_eq!(
        loaded
            .dataset
            .claimant_side(example.claims[0].claimant)
            .id
            .as_ref(),
        "am"
    );
    // The header is claimmap's columns, and the dates are date cells, not text.
    use calamine::Reader;
    let mut workbook = calamine::open_workbook_auto(&path).expect("open");
    let range = workbook.worksheet_range("Claims").expect("sheet");
    let header: Vec<String> = range
        .rows()
        .next()
        .expect("header")
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(header, claimmap::CLAIMS_HEADER);
    let date = range.get((1, 3)).expect("date cell");
    assert!(
        matches!(date, calamine::Data::DateTime(_)),
        "a date cell: {date:?}"
    );
    claimmap().arg("template").arg(&path).assert().code(2);
}

#[test]
fn sheet_to_xlsx_to_native_to_xlsx_round_trips() {
    let dir = tempfile::tempdir().expect("tempdir");
    let at = |name: &str| dir.path().join(name);
    let convert = |input: &Path, output: &Path| {
        claimmap()
            .arg("convert")
            .arg(input)
            .arg(output)
            .assert()
            .success();
    };
    convert(&fixture("claims.csv"), &at("claims.xlsx"));
    convert(&at("claims.xlsx"), &at("native.geojson"));
    convert(&at("native.geojson"), &at("again.xlsx"));
    convert(&at("again.xlsx"), &at("again.csv"));
    convert(&fixture("claims.csv"), &at("direct.csv"));
    assert_eq!(
        std::fs::read_to_string(at("again.csv")).expect("read"),
        std::fs::read_to_string(at("direct.csv")).expect("read"),
        "csv → xlsx → native → xlsx → csv is the csv's own sheet"
    );
    let (a, b) = (load(&fixture("claims.csv")), load(&at("again.xlsx")));
    let contested =
        |d: &claimmap::Dataset| d.incidents().iter().filter(|i| d.is_contested(i)).count();
    assert_eq!(contested(&b.dataset), contested(&a.dataset));
    assert_eq!(b.dataset.incidents().len(), a.dataset.incidents().len());
}

#[test]
fn a_workbook_without_a_claims_header_asks_for_columns_and_xls_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("notes.xlsx");
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    for (c, name) in ["Village", "Remark"].iter().enumerate() {
        sheet.write_string(0, c as u16, *name).expect("write");
    }
    sheet.write_string(1, 0, "Sotk").expect("write");
    workbook.save(&path).expect("save");
    match claimmap::load_path(&path, Gazetteer::embedded()) {
        Err(claimmap::LoadError::Columns {
            message, mapping, ..
        }) => {
            assert!(message.contains("the sheet \"Sheet1\""), "{message}");
            assert!(mapping.is_some(), "the column dialog can complete it");
        }
        other => panic!("not refused for its columns: {other:?}"),
    }
    let xls = dir.path().join("old.xls");
    std::fs::write(&xls, b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 and the rest").expect("write");
    let error = claimmap::load_path(&xls, Gazetteer::embedded()).expect_err("refused");
    assert!(error.to_string().contains("save it as .xlsx"), "{error}");
    let zip = dir.path().join("not-a-workbook.xlsx");
    std::fs::write(&zip, b"PK\x03\x04 broken").expect("write");
    let error = claimmap::load_path(&zip, Gazetteer::embedded()).expect_err("refused");
    assert!(error.to_string().contains("workbook"), "{error}");
}

#[test]
fn the_claims_sheet_of_ucdp_and_acled_rows_reads_back() {
    let dir = tempfile::tempdir().expect("tempdir");
    for source in ["ucdp_ged231_rows.csv", "acled_sided.csv"] {
        let original = load(&fixture(source));
        for sheet in ["claims.csv", "claims.xlsx"] {
            let out = dir.path().join(format!("{source}-{sheet}"));
            claimmap()
                .arg("convert")
                .arg(fixture(source))
                .arg(&out)
                .assert()
                .success();
            // The source's own columns come along, but the sheet is read as a claims sheet.
            let again = load(&out);
            assert_eq!(again.report.format, Format::Claims, "{source} as {sheet}");
            assert_eq!(
                again.dataset.incidents().len(),
                original.dataset.incidents().len(),
                "{source} as {sheet}: {:?}",
                again.report.errors
            );
            let claims =
                |d: &claimmap::Dataset| d.incidents().iter().map(|i| i.claims.len()).sum::<usize>();
            assert_eq!(claims(&again.dataset), claims(&original.dataset));
        }
    }
}
