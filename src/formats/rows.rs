//! What the CSV importers (ACLED, UCDP GED, generic tables) share: reading records with the line
//! each starts on, skipping an HXL hashtag row, reporting bad rows, the claimant registry, columns
//! kept as incident properties, and the dataset they add up to.

use std::collections::{HashMap, HashSet};

use csv::ByteRecord;
use serde_json::{Map, Value};

use crate::formats::native::Parsed;
use crate::formats::report::LoadReport;
use crate::model::{
    Claimant, ClaimantId, DatasetMeta, Extra, Incident, Interner, Rgb, Side, SideId,
};

/// A header name as columns are matched: trimmed, lower case, spaces, dashes and dots as `_`.
pub(crate) fn normalise(name: &str) -> String {
    name.trim()
        .trim_start_matches('\u{feff}')
        .trim()
        .chars()
        .map(|c| match c {
            ' ' | '-' | '.' => '_',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

/// The delimiter of a header line: the most frequent of comma, tab, semicolon and bar outside
/// quotes; `None` when there is none.
pub(crate) fn sniff_delimiter(header_line: &str) -> Option<u8> {
    let mut counts = [0usize; 4];
    let mut quoted = false;
    for b in header_line.bytes() {
        match b {
            b'"' => quoted = !quoted,
            b',' if !quoted => counts[0] += 1,
            b'\t' if !quoted => counts[1] += 1,
            b';' if !quoted => counts[2] += 1,
            b'|' if !quoted => counts[3] += 1,
            _ => {}
        }
    }
    let (best, &n) = counts
        .iter()
        .enumerate()
        .max_by_key(|&(i, n)| (*n, std::cmp::Reverse(i)))?;
    (n > 0).then_some([b',', b'\t', b';', b'|'][best])
}

/// The first line that is not blank.
pub(crate) fn first_line(text: &str) -> &str {
    text.lines().find(|l| !l.trim().is_empty()).unwrap_or("")
}

/// A file whose header lacks columns its format needs.
#[derive(Clone, PartialEq, Eq, Debug)]
pub(crate) struct MissingColumns {
    pub missing: Vec<String>,
    pub header: Vec<String>,
}

/// A CSV/TSV text with its header read.
pub(crate) struct Table<'a> {
    reader: csv::Reader<&'a [u8]>,
    /// Header names as written (trimmed).
    pub headers: Vec<String>,
    /// Header names as matched ([`normalise`]).
    pub keys: Vec<String>,
}

impl<'a> Table<'a> {
    pub fn open(text: &'a str, delimiter: u8) -> Table<'a> {
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(true)
            .flexible(true)
            .from_reader(text.as_bytes());
        let headers: Vec<String> = reader
            .byte_headers()
            .map(|h| {
                h.iter()
                    .map(|f| {
                        String::from_utf8_lossy(f)
                            .trim_start_matches('\u{feff}')
                            .trim()
                            .to_owned()
                    })
                    .collect()
            })
            .unwrap_or_default();
        let keys = headers.iter().map(|h| normalise(h)).collect();
        Table {
            reader,
            headers,
            keys,
        }
    }

    /// The names in `required` (normalised) that the header lacks.
    pub fn missing(&self, required: &[(&str, Option<usize>)]) -> Result<(), MissingColumns> {
        let missing: Vec<String> = required
            .iter()
            .filter(|(_, c)| c.is_none())
            .map(|(n, _)| (*n).to_owned())
            .collect();
        if missing.is_empty() {
            Ok(())
        } else {
            Err(MissingColumns {
                missing,
                header: self.headers.clone(),
            })
        }
    }

    /// The first column whose normalised name is one of `names`, in the order of `names`.
    pub fn column(&self, names: &[&str]) -> Option<usize> {
        names
            .iter()
            .find_map(|n| self.keys.iter().position(|k| k == n))
    }

    /// Calls `row` on each data record; an `Err` is reported with the record's line and the row
    /// counted as skipped. Records with fewer fields than the header (or more, not all empty) are
    /// reported without calling `row`. A first record of HXL hashtags (`#date`, `#geo+lat`…) is
    /// skipped and not counted.
    pub fn for_each_row(
        &mut self,
        report: &mut LoadReport,
        mut row: impl FnMut(&Row<'_>, &mut LoadReport) -> Result<(), String>,
    ) {
        let width = self.headers.len();
        let mut record = ByteRecord::new();
        let mut first = true;
        loop {
            match self.reader.read_byte_record(&mut record) {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => {
                    let line = e.position().map_or(0, |p| p.line() as usize);
                    report.rows += 1;
                    report.skipped += 1;
                    report.error(line, format!("unreadable record: {e}"));
                    if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                        break;
                    }
                    continue;
                }
            }
            let line = record.position().map_or(0, |p| p.line() as usize);
            if (report.rows as u64).is_multiple_of(super::progress::TICK_EVERY) {
                let byte = record.position().map_or(0, |p| p.byte());
                if !super::progress::tick(byte, report.rows as u64) {
                    break;
                }
            }
            if std::mem::take(&mut first) && is_hxl(&record) {
                continue;
            }
            report.rows += 1;
            let fields = record.len();
            let result = if fields < width {
                Err(format!(
                    "the row has {fields} fields, the header {width} (a missing delimiter, or a quote left open?)"
                ))
            } else if fields > width && record.iter().skip(width).any(|f| !f.is_empty()) {
                Err(format!(
                    "the row has {fields} fields, the header {width} (an unquoted delimiter inside a field?)"
                ))
            } else {
                row(
                    &Row {
                        record: &record,
                        line,
                    },
                    report,
                )
            };
            if let Err(message) = result {
                report.skipped += 1;
                report.error(line, message);
            }
        }
    }
}

/// Whether a record is an HXL hashtag row: every non-empty field starts with `#`.
fn is_hxl(record: &ByteRecord) -> bool {
    let mut any = false;
    for field in record {
        let field = field.trim_ascii();
        if field.is_empty() {
            continue;
        }
        if field[0] != b'#' {
            return false;
        }
        any = true;
    }
    any
}

/// One data record and the line it starts on.
pub(crate) struct Row<'r> {
    pub record: &'r ByteRecord,
    pub line: usize,
}

impl Row<'_> {
    /// The trimmed text of a column; empty when the column is absent.
    pub fn get(&self, column: Option<usize>) -> &str {
        column
            .and_then(|i| self.record.get(i))
            .and_then(|f| std::str::from_utf8(f).ok())
            .map_or("", str::trim)
    }
}

/// Members of an incident's `properties` that the native format reads itself: a column with one of
/// these names is kept under `column_<name>` so it survives a save and a reload.
const RESERVED: [&str; 6] = ["title", "category", "date", "location", "claims", "notes"];

/// The property name a column is kept under.
pub(crate) fn extra_key(name: &str) -> String {
    if name.is_empty() {
        "column".into()
    } else if RESERVED.contains(&name.to_ascii_lowercase().as_str()) {
        format!("column_{name}")
    } else {
        name.to_owned()
    }
}

/// The columns a loader keeps as properties of each incident, under their header names.
pub(crate) struct ExtraColumns {
    columns: Vec<(usize, String)>,
}

impl ExtraColumns {
    /// Every column of `table` not in `used`.
    pub fn all_but(table: &Table<'_>, used: &[Option<usize>]) -> ExtraColumns {
        let mut seen = HashSet::new();
        let columns = table
            .headers
            .iter()
            .enumerate()
            .filter(|(i, _)| !used.contains(&Some(*i)))
            .map(|(i, name)| {
                let mut key = extra_key(name);
                // Two columns with one name: the second gets its position.
                if !seen.insert(key.clone()) {
                    key = format!("{key}_{}", i + 1);
                }
                (i, key)
            })
            .collect();
        ExtraColumns { columns }
    }

    /// The row's non-empty values of these columns, as written.
    pub fn of(&self, row: &Row<'_>) -> Extra {
        let mut map = Map::with_capacity(self.columns.len());
        for (i, key) in &self.columns {
            let value = row.get(Some(*i));
            if !value.is_empty() {
                map.insert(key.clone(), Value::String(value.to_owned()));
            }
        }
        (!map.is_empty()).then(|| Box::new(map))
    }
}

/// Colours of the claimant sides importers create.
pub(crate) const SOURCE_GREY: Rgb = Rgb([0x5f, 0x6b, 0x7a]);

/// Sides, claimants and incidents as rows add them.
pub(crate) struct Builder {
    pub strings: Interner,
    sides: Vec<Side>,
    claimants: Vec<Claimant>,
    claimant_ids: HashMap<Box<str>, ClaimantId>,
    incidents: Vec<Incident>,
    lines: Vec<usize>,
}

impl Builder {
    pub fn new() -> Builder {
        Builder {
            strings: Interner::default(),
            sides: Vec::new(),
            claimants: Vec::new(),
            claimant_ids: HashMap::new(),
            incidents: Vec::new(),
            lines: Vec::new(),
        }
    }

    /// Adds a side that is not a party to the conflict (reporters, coders, outlets).
    pub fn non_party_side(&mut self, id: &str, name: &str) -> SideId {
        if let Some(i) = self.sides.iter().position(|s| &*s.id == id) {
            return SideId(i as u32);
        }
        self.sides.push(Side {
            id: id.into(),
            name: name.into(),
            colour: SOURCE_GREY,
            party: false,
            extra: None,
        });
        SideId(self.sides.len() as u32 - 1)
    }

    /// The claimant with this id (also its name), added on `side` the first time.
    pub fn claimant(&mut self, id: &str, side: SideId, kind: &str) -> ClaimantId {
        if let Some(&found) = self.claimant_ids.get(id) {
            return found;
        }
        let new = ClaimantId(self.claimants.len() as u32);
        self.claimants.push(Claimant {
            id: id.into(),
            name: id.into(),
            side,
            kind: Some(kind.into()),
            colour: None,
            implicit: false,
            extra: None,
        });
        self.claimant_ids.insert(id.into(), new);
        new
    }

    pub fn push(&mut self, incident: Incident, line: usize) {
        self.incidents.push(incident);
        self.lines.push(line);
    }

    /// The dataset so far; a repeated incident id is reported and only its first row kept.
    pub fn finish(self, meta: DatasetMeta, report: &mut LoadReport) -> Parsed {
        let Builder {
            strings,
            sides,
            claimants,
            mut incidents,
            lines,
            ..
        } = self;
        let mut duplicates = Vec::new();
        {
            let mut seen: HashSet<&str> = HashSet::with_capacity(incidents.len());
            for (i, incident) in incidents.iter().enumerate() {
                if !seen.insert(&incident.id) {
                    duplicates.push(i);
                }
            }
        }
        if !duplicates.is_empty() {
            for &i in &duplicates {
                report.skipped += 1;
                report.error(
                    lines[i],
                    format!(
                        "duplicate incident id \"{}\"; the first is kept",
                        incidents[i].id
                    ),
                );
            }
            let mut index = 0;
            let mut next_dup = duplicates.iter().peekable();
            incidents.retain(|_| {
                let drop = next_dup.peek().is_some_and(|&&d| d == index);
                if drop {
                    next_dup.next();
                }
                index += 1;
                !drop
            });
        }
        Parsed {
            meta,
            sides,
            claimants,
            incidents,
            strings,
            is_native: false,
        }
    }
}

/// The file name of a path, for dataset titles and claimant names.
pub(crate) fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

/// A latitude and longitude from two texts; `Ok(None)` when both are empty.
pub(crate) fn lat_lon(lat: &str, lon: &str) -> Result<Option<geo::Point<f64>>, String> {
    if lat.is_empty() && lon.is_empty() {
        return Ok(None);
    }
    let parse = |text: &str, what: &str| {
        text.parse::<f64>()
            .ok()
            .or_else(|| {
                // A decimal comma ("40,1098"), as European spreadsheets write numbers.
                let (whole, fraction) = text.split_once(',')?;
                let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
                let whole_digits = whole.strip_prefix('-').unwrap_or(whole);
                (digits(whole_digits) && digits(fraction))
                    .then(|| format!("{whole}.{fraction}").parse().ok())
                    .flatten()
            })
            .filter(|v| v.is_finite())
            .ok_or_else(|| format!("{what} \"{text}\" is not a number"))
    };
    let (lat, lon) = (parse(lat, "latitude")?, parse(lon, "longitude")?);
    if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
        return Err(format!(
            "coordinates out of range: latitude {lat}, longitude {lon} (latitude must be within ±90, longitude within ±180)"
        ));
    }
    Ok(Some(geo::Point::new(lon, lat)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Format;

    #[test]
    fn delimiters() {
        assert_eq!(sniff_delimiter("a,b,c"), Some(b','));
        assert_eq!(sniff_delimiter("a\tb\tc,d"), Some(b'\t'));
        assert_eq!(sniff_delimiter("a;b;\"c,d,e\""), Some(b';'));
        assert_eq!(sniff_delimiter("just words"), None);
    }

    #[test]
    fn rows_with_lines_hxl_and_bad_widths() {
        let text = "a,b\n#x,#y\n1,2\n\"multi\nline\",3\n4\n5,6,7\n8,9,\n";
        let mut table = Table::open(text, b',');
        let mut report = LoadReport::new("t", Format::Csv);
        let mut seen = Vec::new();
        table.for_each_row(&mut report, |row, _| {
            seen.push((row.line, row.get(Some(0)).to_owned()));
            Ok(())
        });
        assert_eq!(
            seen,
            [(3, "1".into()), (4, "multi\nline".into()), (8, "8".into())]
        );
        assert_eq!((report.rows, report.skipped), (5, 2));
        let lines: Vec<usize> = report.errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, [6, 7]);
    }

    #[test]
    fn coordinates() {
        assert!(lat_lon("", "").is_ok_and(|p| p.is_none()));
        assert!(lat_lon("40.1", "46.0").is_ok_and(|p| p.is_some()));
        assert!(lat_lon("91", "46").is_err());
        assert!(lat_lon("NaN", "46").is_err());
        assert!(lat_lon("40", "").is_err());
        assert!(lat_lon("40,5", "-46,25").is_ok_and(|p| p == Some(geo::Point::new(-46.25, 40.5))));
        assert!(lat_lon("40,5,1", "46").is_err());
    }
}
