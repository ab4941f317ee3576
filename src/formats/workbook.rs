//! Workbooks — Excel (.xlsx) and OpenDocument (.ods) — read as the tables they hold: the first
//! sheet whose header claimmap recognises is turned into CSV text, cell by cell, and read by the
//! same importers as a CSV file (a claims sheet, ACLED, UCDP GED or a generic table), so a
//! workbook's rows group into incidents exactly as a CSV's do. Date cells become ISO days; the
//! line each record starts on in that text is remembered, so the load report names the sheet and
//! the row a spreadsheet shows instead of a line of text the user never sees. (Claims sheets are
//! written as workbooks by `claims_sheet`.)

use calamine::{Data, Reader};

use crate::formats::detect::{self, Detected};
use crate::formats::report::{Issue, LoadReport};
use crate::formats::table::detect_columns;

/// Zip files (xlsx, ods) start with a local file header.
const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
/// Excel 97–2003 workbooks are OLE compound files.
const OLE_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

/// Rows of a sheet looked at for its header: a title or a note may sit above it.
const HEADER_SEARCH_ROWS: usize = 10;

/// What a file's first bytes say it is, among workbooks.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub(crate) enum Magic {
    /// A zip archive: an .xlsx or .ods workbook, if anything claimmap reads.
    Zip,
    /// An Excel 97–2003 (.xls) workbook.
    Ole,
}

pub(crate) fn magic(bytes: &[u8]) -> Option<Magic> {
    if bytes.starts_with(ZIP_MAGIC) {
        Some(Magic::Zip)
    } else if bytes.starts_with(OLE_MAGIC) {
        Some(Magic::Ole)
    } else {
        None
    }
}

/// One sheet of a workbook as CSV text, with where its records came from.
#[derive(Debug)]
pub(crate) struct SheetText {
    /// The header row and the non-empty rows below it, comma-separated.
    pub text: String,
    /// The sheet's name as the workbook gives it.
    pub sheet: String,
    /// The workbook's other sheets, in workbook order.
    pub others: Vec<String>,
    /// For each record of `text`, in order: the line of `text` it starts on and its row in the
    /// sheet (from 1, as spreadsheets number rows).
    starts: Vec<(usize, u32)>,
}

impl SheetText {
    /// The sheet row of the record that starts on `line` of the text, or covers it.
    pub fn row_of_line(&self, line: usize) -> u32 {
        let i = self.starts.partition_point(|&(l, _)| l <= line);
        match i.checked_sub(1) {
            Some(record) => self.starts[record].1,
            // Before the header: no row.
            None => 0,
        }
    }

    /// Puts the sheet and its rows into a report of the text's load: every issue at a line gets
    /// the sheet's name and the row; the sheets not read are named.
    pub fn relabel(&self, report: &mut LoadReport) {
        let sheet: std::sync::Arc<str> = self.sheet.as_str().into();
        let relabel = |issue: &mut Issue| {
            if issue.line > 0 {
                issue.line = self.row_of_line(issue.line) as usize;
                issue.column = None;
                issue.sheet = Some(sheet.clone());
            }
        };
        report.errors.iter_mut().for_each(relabel);
        report.warnings.iter_mut().for_each(relabel);
        if !self.others.is_empty() {
            let names: Vec<String> = self.others.iter().map(|s| format!("\"{s}\"")).collect();
            report.warning(
                0,
                format!(
                    "read the sheet \"{}\"; the workbook's other sheets are not read: {}",
                    self.sheet,
                    names.join(", ")
                ),
            );
        }
    }
}

/// The text of one cell as the importers read it: a date cell as an ISO day (with its time when
/// it has one), a number as the shortest text that reads back as it, an error as Excel shows it.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.into(),
        Data::DateTime(dt) if dt.is_datetime() => {
            let (y, mo, d, h, mi, s, _) = dt.to_ymd_hms_milli();
            if dt.as_f64() < 1.0 {
                // A time of day with no date.
                format!("{h:02}:{mi:02}:{s:02}")
            } else if (h, mi, s) == (0, 0, 0) {
                format!("{y:04}-{mo:02}-{d:02}")
            } else {
                format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}")
            }
        }
        Data::DateTime(dt) => dt.as_f64().to_string(),
        // OpenDocument dates: "2021-11-16" or "2021-11-16T13:45:00".
        Data::DateTimeIso(s) => s.replacen('T', " ", 1),
        Data::DurationIso(s) => s.clone(),
        Data::Error(e) => e.to_string(),
    }
}

/// A header row claimmap reads without asking: ACLED, UCDP GED, or a table whose mapping has
/// every column it needs.
fn recognised(header_csv: &str) -> bool {
    match detect::detect(header_csv) {
        Ok(Detected::Acled { .. } | Detected::Ucdp { .. }) => true,
        Ok(Detected::Table { header, .. }) => detect_columns(&header).missing().is_empty(),
        _ => false,
    }
}

/// One record of CSV: the fields quoted where they must be.
fn csv_record(fields: &[String]) -> String {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    // Writing into memory cannot fail.
    let _ = writer.write_record(fields);
    let bytes = writer.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

/// The cells of a sheet as text, each row with its number in the sheet (from 1); rows with no
/// text at all are left out, as a blank line of CSV would be.
fn sheet_rows(range: &calamine::Range<Data>) -> SheetRows {
    let (first_row, first_column) = range.start().unwrap_or((0, 0));
    range
        .rows()
        .enumerate()
        .filter_map(|(i, cells)| {
            let mut fields: Vec<String> = std::iter::repeat_n(String::new(), first_column as usize)
                .chain(cells.iter().map(cell_text))
                .collect();
            while fields.last().is_some_and(|f| f.trim().is_empty()) {
                fields.pop();
            }
            (!fields.is_empty()).then(|| (first_row + i as u32 + 1, fields))
        })
        .collect()
}

/// A sheet's non-empty rows, each with its number in the sheet.
type SheetRows = Vec<(u32, Vec<String>)>;

/// A sheet to read: its index in the workbook, its rows, and which of them is the header.
type Candidate = (usize, SheetRows, usize);

/// Where a sheet's header is: the first of its first rows that is recognised, or else (`None`).
fn header_index(rows: &[(u32, Vec<String>)]) -> Option<usize> {
    rows.iter()
        .take(HEADER_SEARCH_ROWS)
        .position(|(_, fields)| recognised(&csv_record(fields)))
}

/// The sheet claimmap reads from a workbook's bytes: the first whose header (one of its first
/// rows) is recognised, or else the first with a row of two named columns, for the column-mapping
/// dialog to complete. `Err` says why there is none.
pub(crate) fn read_sheet(bytes: &[u8]) -> Result<SheetText, String> {
    let cursor = std::io::Cursor::new(bytes);
    let mut workbook = calamine::open_workbook_auto_from_rs(cursor).map_err(|e| {
        format!("a zip file, but not an Excel (.xlsx) or OpenDocument (.ods) workbook claimmap can read: {e}")
    })?;
    let names = workbook.sheet_names();
    let mut fallback: Option<Candidate> = None;
    let mut chosen: Option<Candidate> = None;
    let mut unreadable = Vec::new();
    for (index, name) in names.iter().enumerate() {
        let range = match workbook.worksheet_range(name) {
            Ok(range) => range,
            Err(e) => {
                unreadable.push(format!("\"{name}\": {e}"));
                continue;
            }
        };
        let rows = sheet_rows(&range);
        if let Some(header) = header_index(&rows) {
            chosen = Some((index, rows, header));
            break;
        }
        if fallback.is_none()
            && let Some(header) = rows
                .iter()
                .take(HEADER_SEARCH_ROWS)
                .position(|(_, f)| f.iter().filter(|c| !c.trim().is_empty()).count() >= 2)
        {
            fallback = Some((index, rows, header));
        }
    }
    let Some((index, mut rows, header)) = chosen.or(fallback) else {
        let mut reason = format!(
            "a workbook, but none of its {} sheet(s) ({}) has a header row",
            names.len(),
            names
                .iter()
                .map(|n| format!("\"{n}\""))
                .collect::<Vec<_>>()
                .join(", ")
        );
        if !unreadable.is_empty() {
            reason.push_str(&format!("; unreadable: {}", unreadable.join("; ")));
        }
        return Err(reason);
    };
    let mut text = String::new();
    let mut starts = Vec::with_capacity(rows.len() - header);
    let mut line = 1;
    // Trailing empty cells were left off each row: a row is as wide as the header again, as a
    // CSV file's rows are (a row wider than it, with text past its end, is reported as such).
    let width = rows[header].1.len();
    for (row, fields) in &mut rows[header..] {
        if fields.len() < width {
            fields.resize(width, String::new());
        }
        let record = csv_record(fields);
        starts.push((line, *row));
        line += memchr::memchr_iter(b'\n', record.as_bytes()).count();
        text.push_str(&record);
    }
    debug_assert!(starts.windows(2).all(|w| w[0] < w[1]));
    let sheet = names[index].clone();
    let others = names.into_iter().filter(|n| *n != sheet).collect();
    Ok(SheetText {
        text,
        sheet,
        others,
        starts,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_of_lines_follow_records_that_span_lines() {
        let sheet = SheetText {
            text: String::new(),
            sheet: "S".into(),
            others: vec![],
            starts: vec![(1, 3), (2, 4), (5, 6), (6, 9)],
        };
        assert_eq!(sheet.row_of_line(1), 3);
        assert_eq!(sheet.row_of_line(2), 4);
        assert_eq!(sheet.row_of_line(4), 4, "inside a cell of several lines");
        assert_eq!(sheet.row_of_line(5), 6);
        assert_eq!(sheet.row_of_line(7), 9);
        assert_eq!(sheet.row_of_line(0), 0);
    }

    #[test]
    fn cells_as_text() {
        use calamine::{ExcelDateTime, ExcelDateTimeType};
        let day = |v| Data::DateTime(ExcelDateTime::new(v, ExcelDateTimeType::DateTime, false));
        assert_eq!(cell_text(&day(44516.0)), "2021-11-16");
        assert_eq!(cell_text(&day(44516.5)), "2021-11-16 12:00:00");
        assert_eq!(cell_text(&day(0.25)), "06:00:00");
        assert_eq!(
            cell_text(&Data::DateTime(ExcelDateTime::new(
                43054.0,
                ExcelDateTimeType::DateTime,
                true
            ))),
            "2021-11-16",
            "the 1904 epoch"
        );
        assert_eq!(
            cell_text(&Data::DateTimeIso("2021-11-16T13:45:00".into())),
            "2021-11-16 13:45:00"
        );
        assert_eq!(cell_text(&Data::Float(40.1098)), "40.1098");
        assert_eq!(cell_text(&Data::Float(12.0)), "12");
        assert_eq!(cell_text(&Data::Int(7)), "7");
        assert_eq!(cell_text(&Data::Empty), "");
    }

    #[test]
    fn magic_numbers() {
        assert_eq!(magic(b"PK\x03\x04rest"), Some(Magic::Zip));
        assert_eq!(magic(OLE_MAGIC), Some(Magic::Ole));
        assert_eq!(magic(b"id,date\n"), None);
    }
}
