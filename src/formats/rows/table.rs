//! A CSV/TSV table with its header read: its columns by name, the columns an importer keeps as
//! properties, and [`Table::for_each_row`], which hands each data record after the header (from
//! text in memory or streamed from the file) to an importer's row function with its line.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use super::builder::Builder;
use super::fields::normalise;
use super::parts::{PartReader, ReadOptions, Row};
use crate::formats::records::{Record, Records};
use crate::formats::report::LoadReport;
use crate::formats::stream::TableFile;
use crate::model::{Incident, RecordSpan, RowColumns, RowPacker, SplitRecord};

/// A file whose header lacks columns its format needs.
#[derive(Clone, PartialEq, Eq, Debug)]
pub(crate) struct MissingColumns {
    pub missing: Vec<String>,
    pub header: Vec<String>,
}
/// Where a table's text comes from.
pub(crate) enum Input<'a> {
    /// All of it, decoded.
    Text(&'a str),
    /// A large UTF-8 file: its first bytes, read to find its format, with the header in them, and
    /// the reader of the rest.
    File {
        head: &'a [u8],
        rest: Box<dyn std::io::Read + Send>,
        len: u64,
        /// The file again, for texts kept as spans of it; `None` copies every text.
        texts: Option<std::sync::Arc<crate::model::TextFile>>,
    },
}

/// The records after the header.
enum Body<'a> {
    Text {
        text: &'a str,
        line: usize,
    },
    File(TableFile),
    /// Already read.
    Done,
}

/// A CSV/TSV table with its header read.
pub(crate) struct Table<'a> {
    body: Body<'a>,
    delimiter: u8,
    /// Header names as written (trimmed).
    pub headers: Vec<String>,
    /// Header names as matched ([`normalise`]).
    pub keys: Vec<String>,
    /// The line the header is on (after any blank lines).
    header_line: usize,
    options: ReadOptions,
}

/// The text of a file's first bytes up to the last line break in them, without a byte-order mark.
pub(crate) fn head_text(head: &[u8]) -> Option<&str> {
    let bom = if head.starts_with(b"\xef\xbb\xbf") {
        3
    } else {
        0
    };
    let end = memchr::memrchr(b'\n', head)? + 1;
    std::str::from_utf8(head.get(bom..end)?).ok()
}

impl<'a> Table<'a> {
    pub fn open(input: Input<'a>, delimiter: u8, options: ReadOptions) -> Table<'a> {
        let text = match &input {
            Input::Text(text) => *text,
            Input::File { head, .. } => head_text(head).unwrap_or(""),
        };
        let mut records = Records::new(text, delimiter, 1);
        let mut header = Record::default();
        let headers: Vec<String> = if records.next_into(&mut header) {
            header
                .iter(text)
                .map(|f| f.trim_start_matches('\u{feff}').trim().to_owned())
                .collect()
        } else {
            Vec::new()
        };
        let keys = headers.iter().map(|h| normalise(h)).collect();
        let header_line = header.line;
        let (start, line) = (records.position(), records.line());
        let body = match input {
            Input::Text(text) => Body::Text {
                text: text.get(start..).unwrap_or(""),
                line,
            },
            Input::File {
                head,
                rest,
                len,
                texts,
            } => {
                // Offsets in `text` are offsets in `head` after the byte-order mark.
                let bom = head.len() - head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head).len();
                Body::File(TableFile::new(
                    head,
                    bom + start,
                    line,
                    delimiter,
                    rest,
                    len,
                    texts,
                ))
            }
        };
        Table {
            body,
            delimiter,
            headers,
            keys,
            header_line,
            options,
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

    /// Names (as matched: normalised) the header gives to more than one column, with those
    /// columns counted from 1, in header order. A file with two `latitude` columns is read from
    /// the first; the user is told rather than left to guess.
    fn duplicate_names(&self) -> Vec<(String, Vec<usize>)> {
        let mut columns: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, key) in self.keys.iter().enumerate() {
            if !key.is_empty() {
                columns.entry(key.as_str()).or_default().push(i + 1);
            }
        }
        let mut duplicates: Vec<(String, Vec<usize>)> = columns
            .into_iter()
            .filter(|(_, c)| c.len() > 1)
            .map(|(_, c)| (self.headers[c[0] - 1].clone(), c))
            .collect();
        duplicates.sort_by_key(|(_, c)| c[0]);
        duplicates
    }

    /// Calls `row` on each data record; an `Err` is reported with the record's line and the row
    /// counted as skipped. Records with fewer fields than the header (or more, not all empty) are
    /// reported without calling `row`. A first record of HXL hashtags (`#date`, `#geo+lat`…) is
    /// skipped and not counted.
    ///
    /// Large tables are cut into parts at record boundaries and read on every core, each part into
    /// its own builder and report, which are then joined in file order: lines, errors, ids and the
    /// order of claimants and strings are those of a reading from start to end. A table read from
    /// its file is parsed block by block as it is read. A part whose reading fails (its thread
    /// panics) is an error of the report naming its lines, whose rows are then not loaded.
    pub fn for_each_row<F>(&mut self, report: &mut LoadReport, builder: &mut Builder, row: F)
    where
        F: Fn(&Row<'_>, &mut Builder, &mut LoadReport) -> Result<(), String> + Sync,
    {
        for (name, columns) in self.duplicate_names() {
            let columns: Vec<String> = columns.iter().map(|c| c.to_string()).collect();
            report.warning(
                self.header_line,
                format!(
                    "the header names {} columns \"{name}\" (columns {}); where claimmap reads one, it reads the first",
                    columns.len(),
                    columns.join(", ")
                ),
            );
        }
        let reader = PartReader {
            delimiter: self.delimiter,
            width: self.headers.len(),
            row: &row,
            options: self.options,
        };
        match std::mem::replace(&mut self.body, Body::Done) {
            Body::Text { text, line } => reader.read_text(text, line, report, builder),
            Body::File(file) => reader.read_file(file, report, builder),
            Body::Done => {}
        }
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
    columns: Vec<usize>,
    keys: Vec<Box<str>>,
    /// A last key whose value the loader gives per row (not a column of the file).
    trailing: bool,
}

impl ExtraColumns {
    /// Every column of `table` not in `used`.
    pub fn all_but(table: &Table<'_>, used: &[Option<usize>]) -> ExtraColumns {
        let mut seen = HashSet::new();
        let (columns, keys) = table
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
                (i, key.into_boxed_str())
            })
            .unzip();
        ExtraColumns {
            columns,
            keys,
            trailing: false,
        }
    }

    /// Adds a key after the columns whose value each row gives to [`ExtraColumns::values`]; an
    /// empty value leaves it out, and a key already among the columns takes the value in place.
    pub fn with_trailing(mut self, key: String) -> ExtraColumns {
        self.keys.push(key.into());
        self.trailing = true;
        self
    }

    /// A builder of incidents whose properties are these columns.
    pub fn builder(&self) -> Builder {
        Builder::with_packer(RowPacker::new(self.keys.clone()))
    }

    /// Adds `incident` of `row` to `builder` with the row's values of these columns: where the
    /// row is the bytes of a file, as where its record is, to be read back and split again when
    /// asked for; otherwise packed.
    pub fn push(&self, builder: &mut Builder, incident: Incident, row: &Row<'_>, trailing: &str) {
        let in_file = row.in_file.filter(|_| !self.trailing);
        let span = in_file.and_then(|in_file| {
            RecordSpan::new(
                in_file.offset + row.record.bytes.start as u64,
                row.record.bytes.len(),
            )
        });
        let (Some(in_file), Some(span)) = (in_file, span) else {
            builder.push_row(incident, row.line, self.values(row, trailing));
            return;
        };
        let split = || SplitColumns {
            columns: self.columns.clone().into(),
            delimiter: row.delimiter,
        };
        debug_assert_eq!(
            split().values(row.text.get(row.record.bytes.clone()).unwrap_or("")),
            self.values(row, "").collect::<Vec<_>>(),
            "line {}: a record splits again as it was read",
            row.line
        );
        builder.push_in_file(incident, row.line, span, || {
            RowColumns::of_records(self.keys.clone(), in_file.file.clone(), Arc::new(split()))
        });
    }

    /// The row's values of these columns, as written, then the trailing value.
    pub fn values<'r>(
        &'r self,
        row: &'r Row<'_>,
        trailing: &'r str,
    ) -> impl Iterator<Item = &'r str> + 'r {
        self.columns
            .iter()
            .map(move |&i| row.get(Some(i)))
            .chain(self.trailing.then_some(trailing))
    }
}

/// Splits a record read back from its file into the values of a table's unmodelled columns, as
/// [`ExtraColumns::values`] read them at the load.
#[derive(Debug)]
struct SplitColumns {
    columns: Box<[usize]>,
    delimiter: u8,
}

impl SplitColumns {
    /// What `read` makes of `record`'s fields, split into a record each thread keeps: "colour by"
    /// splits a million of them.
    /// Only the record's first `count` fields are split.
    fn with_fields<T>(&self, record: &str, count: usize, read: impl FnOnce(&Record) -> T) -> T {
        thread_local! {
            static FIELDS: std::cell::RefCell<Record> = std::cell::RefCell::default();
        }
        FIELDS.with_borrow_mut(|fields| {
            if !Records::new(record, self.delimiter, 1).first_fields_into(fields, count) {
                *fields = Record::default();
            }
            read(fields)
        })
    }
}

impl SplitRecord for SplitColumns {
    // As `Row::get`: the trimmed field, empty when the record has no such field.
    fn values(&self, record: &str) -> Vec<String> {
        let count = self.columns.iter().max().map_or(0, |&i| i + 1);
        self.with_fields(record, count, |fields| {
            self.columns
                .iter()
                .map(|&i| fields.get(record, i).map_or("", str::trim).to_owned())
                .collect()
        })
    }

    fn value(&self, record: &str, n: usize) -> String {
        let Some(&column) = self.columns.get(n) else {
            return String::new();
        };
        self.with_fields(record, column + 1, |fields| {
            let field = fields.get(record, column);
            field.map_or("", str::trim).to_owned()
        })
    }
}
