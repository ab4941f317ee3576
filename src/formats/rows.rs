//! What the CSV importers (ACLED, UCDP GED, generic tables) share: reading records with the line
//! each starts on — in parallel, in parts cut at record boundaries — skipping an HXL hashtag row,
//! reporting bad rows, the claimant registry, columns kept as incident properties, and the dataset
//! they add up to.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, OnceLock};

use crate::formats::native::Parsed;
use crate::formats::progress;
use crate::formats::records::{Record, Records, quote_fits};
use crate::formats::report::LoadReport;
use crate::formats::stream::{Block, Sizes, TableFile};
use crate::model::{
    Category, Claimant, ClaimantId, DatasetMeta, FxHasher, FxMap, Incident, Interner, PlaceRef,
    Properties, Rgb, RowColumns, RowPacker, RowValues, Side, SideId, Sym,
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

/// Below this many bytes of records a table is read on one thread: threads cost more than they
/// save on small files.
const PARALLEL_MIN_BYTES: usize = 1 << 20;

/// How a table is read: the defaults for every load; tests choose other cuts and sizes to compare
/// a read in parts, or streamed in small blocks, with a whole one.
#[derive(Copy, Clone, Debug, Default)]
pub(crate) struct ReadOptions {
    /// Read the text in this many parts, whatever its size (`None`: one part a core, for tables
    /// of [`PARALLEL_MIN_BYTES`] or more).
    pub parts: Option<usize>,
    /// The sizes a file is streamed with.
    pub sizes: Sizes,
}

/// Where a table's text comes from.
pub(crate) enum Input<'a> {
    /// All of it, decoded.
    Text(&'a str),
    /// A large UTF-8 file: its first bytes, read to find its format, with the header in them; the
    /// reader of the rest; and where the SHA-256 of it all goes once read.
    File {
        head: &'a [u8],
        rest: Box<dyn std::io::Read + Send>,
        len: u64,
        digest: Arc<OnceLock<String>>,
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
                digest,
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
                    digest,
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
    /// its file is parsed block by block as it is read.
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

/// Reads parts of one table's body.
struct PartReader<'f, F> {
    delimiter: u8,
    width: usize,
    row: &'f F,
    options: ReadOptions,
}

/// What reading one part gave.
struct PartRead {
    builder: Builder,
    report: LoadReport,
    /// The first line with bytes that are not UTF-8, when the part was read as Windows-1252.
    not_utf8: Option<usize>,
    /// Its length in the file.
    bytes: usize,
}

impl<F> PartReader<'_, F>
where
    F: Fn(&Row<'_>, &mut Builder, &mut LoadReport) -> Result<(), String> + Sync,
{
    fn read_text(&self, body: &str, line: usize, report: &mut LoadReport, builder: &mut Builder) {
        let (threads, min_bytes) = match self.options.parts {
            Some(parts) => (parts, 0),
            None => (
                std::thread::available_parallelism().map_or(1, |n| n.get()),
                PARALLEL_MIN_BYTES,
            ),
        };
        let cuts = if threads > 1 && body.len() >= min_bytes {
            split_points(body.as_bytes(), self.delimiter, threads)
        } else {
            None
        };
        let Some(cuts) = cuts.filter(|c| !c.is_empty()) else {
            self.read_part(body, line, true, report, builder);
            return;
        };
        let mut parts = Vec::with_capacity(cuts.len() + 1);
        let mut from = 0;
        let mut from_line = line;
        for &cut in cuts.iter().chain(std::iter::once(&body.len())) {
            let part = body.get(from..cut).unwrap_or("");
            parts.push((part, from_line));
            from_line += memchr::memchr_iter(b'\n', part.as_bytes()).count();
            from = cut;
        }
        let control = progress::current();
        let results: Vec<PartRead> = std::thread::scope(|scope| {
            let handles: Vec<_> = parts
                .iter()
                .enumerate()
                .map(|(i, &(part, first_line))| {
                    let (base, control) = (&*builder, control.clone());
                    let path = report.path.clone();
                    let format = report.format;
                    scope.spawn(move || {
                        let mut read = PartRead {
                            builder: base.empty_like(),
                            report: LoadReport::new(path, format),
                            not_utf8: None,
                            bytes: part.len(),
                        };
                        progress::maybe_with_control(control.as_ref(), || {
                            self.read_part(
                                part,
                                first_line,
                                i == 0,
                                &mut read.report,
                                &mut read.builder,
                            );
                        });
                        read.builder.seal();
                        read
                    })
                })
                .collect();
            handles.into_iter().filter_map(|h| h.join().ok()).collect()
        });
        debug_assert_eq!(results.len(), parts.len(), "a part's thread panicked");
        for part in results {
            report.absorb(part.report);
            builder.absorb(part.builder);
        }
    }

    /// Reads a table from its file: this thread reads and hashes blocks, the others parse them
    /// as they come, and the parts are joined in file order as they are done.
    fn read_file(&self, mut file: TableFile, report: &mut LoadReport, builder: &mut Builder) {
        use std::collections::BTreeMap;
        use std::sync::mpsc;
        let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
        let block_bytes = self.options.sizes.block;
        let file_len = file.len;
        let control = progress::current();
        let (blocks, queue) = mpsc::sync_channel::<(usize, Block)>(workers);
        let queue = Mutex::new(queue);
        let (done, results) = mpsc::channel::<(usize, PartRead)>();
        let mut waiting: BTreeMap<usize, PartRead> = BTreeMap::new();
        let mut next = 0;
        let mut not_utf8: Option<usize> = None;
        // The parts start from the builder as it is now; `builder` then takes them in.
        let base = builder.empty_like();
        let mut join_ready = |waiting: &mut BTreeMap<usize, PartRead>,
                              report: &mut LoadReport,
                              builder: &mut Builder| {
            while let Some(part) = waiting.remove(&next) {
                if next == 0 {
                    // Rows in the file, judged from the first block's (the rest of the room,
                    // if unused, is never touched, so it costs no memory).
                    let rows = part.builder.incidents.len().max(1);
                    let estimate =
                        (file_len as f64 / part.bytes.max(1) as f64 * rows as f64 * 1.25) as usize;
                    builder.reserve(estimate.min(file_len as usize / 16));
                }
                not_utf8 = not_utf8.or(part.not_utf8);
                report.absorb(part.report);
                builder.absorb(part.builder);
                next += 1;
            }
        };
        std::thread::scope(|scope| {
            for _ in 0..workers {
                let (queue, done, control) = (&queue, done.clone(), control.clone());
                let (base, path, format) = (&base, report.path.clone(), report.format);
                scope.spawn(move || {
                    loop {
                        let next = match queue.lock() {
                            Ok(queue) => queue.recv(),
                            Err(_) => break,
                        };
                        let Ok((index, block)) = next else { break };
                        let mut read = PartRead {
                            builder: base.empty_like(),
                            report: LoadReport::new(path.clone(), format),
                            not_utf8: None,
                            bytes: block.bytes.len(),
                        };
                        let text = match String::from_utf8(block.bytes) {
                            Ok(text) => text,
                            Err(e) => {
                                let bytes = e.into_bytes();
                                read.not_utf8 = Some(
                                    block.first_line + super::text::first_invalid_line(&bytes) - 1,
                                );
                                encoding_rs::WINDOWS_1252
                                    .decode_without_bom_handling(&bytes)
                                    .0
                                    .into_owned()
                            }
                        };
                        progress::maybe_with_control(control.as_ref(), || {
                            self.read_part(
                                &text,
                                block.first_line,
                                index == 0,
                                &mut read.report,
                                &mut read.builder,
                            );
                        });
                        read.builder.seal();
                        if done.send((index, read)).is_err() {
                            break;
                        }
                    }
                });
            }
            drop(done);
            let mut index = 0;
            loop {
                if control.as_ref().is_some_and(|c| c.is_cancelled()) {
                    break;
                }
                match file.next_block(block_bytes) {
                    Ok(Some(block)) => {
                        if blocks.send((index, block)).is_err() {
                            break;
                        }
                        index += 1;
                    }
                    Ok(None) => break,
                    Err(e) => {
                        report.error(
                            0,
                            format!(
                                "reading stopped after {} bytes: {e}; the rows before are loaded",
                                file.read
                            ),
                        );
                        break;
                    }
                }
                for (i, part) in results.try_iter() {
                    waiting.insert(i, part);
                }
                join_ready(&mut waiting, report, builder);
            }
            drop(blocks);
            for (i, part) in results.iter() {
                waiting.insert(i, part);
                join_ready(&mut waiting, report, builder);
            }
        });
        if let Some(line) = not_utf8 {
            report.warning(0, super::text::not_utf8_warning(line));
        }
    }

    /// Reads the records of one part of a table's body; `first_line` is the file line it starts on.
    fn read_part(
        &self,
        part: &str,
        first_line: usize,
        may_have_hxl: bool,
        report: &mut LoadReport,
        builder: &mut Builder,
    ) {
        let width = self.width;
        let mut records = Records::new(part, self.delimiter, first_line);
        let mut record = Record::default();
        let mut first = may_have_hxl;
        let mut ticked = (0u64, 0u64);
        while records.next_into(&mut record) {
            if (report.rows as u64).is_multiple_of(progress::TICK_EVERY) {
                let byte = records.position() as u64;
                let rows = report.rows as u64;
                if !progress::tick_add(byte - ticked.0, rows - ticked.1) {
                    break;
                }
                ticked = (byte, rows);
            }
            if std::mem::take(&mut first) && is_hxl(&record, part) {
                continue;
            }
            report.rows += 1;
            let fields = record.len();
            let line = record.line;
            let result = if fields < width {
                Err(format!(
                    "the row has {fields} fields, the header {width} (a missing delimiter, or a quote left open?)"
                ))
            } else if fields > width && record.iter(part).skip(width).any(|f| !f.is_empty()) {
                Err(format!(
                    "the row has {fields} fields, the header {width} (an unquoted delimiter inside a field?)"
                ))
            } else {
                (self.row)(
                    &Row {
                        record: &record,
                        text: part,
                        line,
                    },
                    builder,
                    report,
                )
            };
            if let Err(message) = result {
                report.skipped += 1;
                report.error(line, message);
            }
        }
        progress::tick_add(
            (part.len() as u64).saturating_sub(ticked.0),
            (report.rows as u64).saturating_sub(ticked.1),
        );
    }
}

/// Offsets in `body` (records, no header) where about `parts` equal parts begin: each just after
/// a line break outside quotes, found by counting quotes from the body's start. `None` when some
/// quote is not where RFC 4180 puts quotes (opening a field, closing it, or doubled inside it), as
/// in `ab"c` or `"a"b`: the CSV reader reads those quotes as text, counting them would misjudge
/// what is quoted, and such a file is read in one part.
pub(crate) fn split_points(body: &[u8], delimiter: u8, parts: usize) -> Option<Vec<usize>> {
    let mut cuts = Vec::with_capacity(parts.saturating_sub(1));
    let mut quoted = false;
    let mut next_target = 1;
    let target = |k: usize| body.len() / parts * k;
    let mut at = 0;
    while let Some(found) = memchr::memchr(b'"', &body[at..]) {
        let q = at + found;
        // Before this quote, outside quotes: cut at the first line break after each target.
        while next_target < parts && !quoted && target(next_target) < q {
            let from = target(next_target).max(at);
            let Some(nl) = memchr::memchr(b'\n', &body[from..q]) else {
                // No line break before the quote: look again after it.
                break;
            };
            let cut = record_start(body, from + nl);
            if cut > 0 && cuts.last().is_none_or(|&last| cut > last) {
                cuts.push(cut);
            }
            next_target += 1;
        }
        if !quote_fits(body, q, quoted, delimiter) {
            return None;
        }
        quoted = !quoted;
        at = q + 1;
    }
    if !quoted {
        while next_target < parts {
            let from = target(next_target).max(at);
            if let Some(nl) = memchr::memchr(b'\n', &body[from.min(body.len())..]) {
                let cut = record_start(body, from + nl);
                if cut > 0 && cut < body.len() && cuts.last().is_none_or(|&last| cut > last) {
                    cuts.push(cut);
                }
            }
            next_target += 1;
        }
    }
    cuts.retain(|&c| c < body.len());
    debug_assert!(cuts.windows(2).all(|w| w[0] < w[1]));
    Some(cuts)
}

/// Where a part starts for a line break at `nl` outside quotes: just after it (0 when nothing
/// but line breaks precedes it: no cut there). Records skip the blank lines and the `\n` of a
/// CRLF that may follow, and count them.
fn record_start(body: &[u8], nl: usize) -> usize {
    debug_assert_eq!(body.get(nl), Some(&b'\n'));
    if body[..nl].iter().all(|&b| matches!(b, b'\r' | b'\n')) {
        0
    } else {
        nl + 1
    }
}

/// Whether a record is an HXL hashtag row: every non-empty field starts with `#`.
fn is_hxl(record: &Record, text: &str) -> bool {
    let mut any = false;
    for field in record.iter(text) {
        let field = field.trim();
        if field.is_empty() {
            continue;
        }
        if !field.starts_with('#') {
            return false;
        }
        any = true;
    }
    any
}

/// One data record and the line it starts on.
pub(crate) struct Row<'r> {
    pub record: &'r Record,
    /// The text the record was read from.
    pub text: &'r str,
    pub line: usize,
}

impl Row<'_> {
    /// The trimmed text of a column; empty when the column is absent.
    pub fn get(&self, column: Option<usize>) -> &str {
        column
            .and_then(|i| self.record.get(self.text, i))
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

/// At most this many texts are kept for sharing per part.
const SHARED_MAX: usize = 1 << 14;

/// Colours of the claimant sides importers create.
pub(crate) const SOURCE_GREY: Rgb = Rgb([0x5f, 0x6b, 0x7a]);

/// Sides, claimants and incidents as rows add them.
pub(crate) struct Builder {
    pub strings: Interner,
    sides: Vec<Side>,
    claimants: Vec<Claimant>,
    claimant_ids: HashMap<Box<str>, ClaimantId>,
    /// Source names as files write them, and the registry's claimant each names (`None`: the
    /// registry does not know it), so a name is looked up once per part, not once per row.
    named: HashMap<Box<str>, Option<ClaimantId>>,
    incidents: Vec<Incident>,
    /// The line of each incident's row (a table of 2^32 lines is past any spreadsheet's).
    lines: Vec<u32>,
    /// Packs the rows' unmodelled columns; `packed[i]` is incident `i`'s until [`Builder::seal`].
    packer: Option<RowPacker>,
    packed: Vec<Box<[u8]>>,
    /// Texts many rows repeat (titles, worded counts), shared rather than copied per row.
    shared: FxMap<Box<str>, Arc<str>>,
}

impl Builder {
    pub fn new() -> Builder {
        Builder {
            strings: Interner::default(),
            sides: Vec::new(),
            claimants: Vec::new(),
            claimant_ids: HashMap::new(),
            named: HashMap::new(),
            incidents: Vec::new(),
            lines: Vec::new(),
            packer: None,
            packed: Vec::new(),
            shared: FxMap::default(),
        }
    }

    /// `text`, shared with the rows of this part that had the same.
    pub fn shared(&mut self, text: &str) -> Arc<str> {
        if let Some(found) = self.shared.get(text) {
            return found.clone();
        }
        let new: Arc<str> = text.into();
        // A part that keeps finding new texts (unique titles) stops keeping them.
        if self.shared.len() < SHARED_MAX {
            self.shared.insert(text.into(), new.clone());
        }
        new
    }

    fn with_packer(packer: RowPacker) -> Builder {
        Builder {
            packer: Some(packer),
            ..Builder::new()
        }
    }

    /// A builder for a part of the same table: the same sides and columns, nothing else yet.
    fn empty_like(&self) -> Builder {
        Builder {
            strings: self.strings.clone(),
            sides: self.sides.clone(),
            claimants: self.claimants.clone(),
            claimant_ids: self.claimant_ids.clone(),
            named: self.named.clone(),
            packer: self.packer.as_ref().map(RowPacker::empty_like),
            ..Builder::new()
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

    /// The side with `side`'s id, added as `side` is the first time.
    pub fn side(&mut self, side: &Side) -> SideId {
        if let Some(i) = self.sides.iter().position(|s| s.id == side.id) {
            return SideId(i as u32);
        }
        self.sides.push(side.clone());
        SideId(self.sides.len() as u32 - 1)
    }

    /// The claimant of the claimant registry a source name refers to, added with its registry
    /// id, name and side the first time; `None` when the registry does not know the name.
    pub fn registered(&mut self, name: &str) -> Option<ClaimantId> {
        if let Some(&found) = self.named.get(name) {
            return found;
        }
        let registry = crate::model::registry::registry();
        let found = registry.find(name).map(|entry| {
            let side = self.side(registry.side_of(entry));
            self.add_claimant(Claimant {
                id: entry.id.as_str().into(),
                name: entry.name.as_str().into(),
                side,
                kind: Some(entry.kind.as_str().into()),
                colour: None,
                implicit: false,
                extra: None,
            })
        });
        self.named.insert(name.into(), found);
        found
    }

    /// The claimant a source name refers to: the registry's, or else one by that name on
    /// `unknown_side`.
    pub fn source_claimant(&mut self, name: &str, unknown_side: SideId, kind: &str) -> ClaimantId {
        match self.registered(name) {
            Some(found) => found,
            None => self.claimant(name, unknown_side, kind),
        }
    }

    /// The side a claimant is on.
    pub fn claimant_side(&self, claimant: ClaimantId) -> SideId {
        self.claimants[claimant.0 as usize].side
    }

    /// Joins the incidents that share an id into the first of them: a claims sheet's rows, one
    /// claim each, become incidents with all their claims. A later row whose date, place,
    /// category or title differs from the first's is warned about; the first row's are kept.
    pub fn group_by_id(&mut self, report: &mut LoadReport) {
        self.seal();
        let mut first: HashMap<Box<str>, usize> = HashMap::new();
        let mut into: Vec<Option<usize>> = vec![None; self.incidents.len()];
        for (i, incident) in self.incidents.iter().enumerate() {
            match first.get(&incident.id) {
                Some(&f) => into[i] = Some(f),
                None => {
                    first.insert(incident.id.clone(), i);
                }
            }
        }
        #[allow(clippy::needless_range_loop)]
        for i in 0..self.incidents.len() {
            let Some(f) = into[i] else { continue };
            let (head, tail) = self.incidents.split_at_mut(i);
            let (kept, row) = (&mut head[f], &mut tail[0]);
            let place = |i: &Incident| {
                i.location
                    .place
                    .as_ref()
                    .map(|p| self.strings.resolve(p.text))
            };
            let mut differs = Vec::new();
            if kept.date != row.date {
                differs.push("date");
            }
            if place(kept) != place(row) || kept.point != row.point {
                differs.push("place");
            }
            if kept.category != row.category {
                differs.push("category");
            }
            if kept.title != row.title {
                differs.push("title");
            }
            if !differs.is_empty() {
                report.warning(
                    self.lines[i] as usize,
                    format!(
                        "incident \"{}\": this row's {} differs from line {}'s; the first row's is kept",
                        row.id,
                        differs.join(", "),
                        self.lines[f]
                    ),
                );
            }
            let mut claims = std::mem::take(&mut kept.claims).into_vec();
            claims.extend(std::mem::take(&mut row.claims).into_vec());
            kept.claims = claims.into_boxed_slice();
        }
        let mut index = 0;
        self.incidents.retain(|_| {
            index += 1;
            into[index - 1].is_none()
        });
        let mut index = 0;
        self.lines.retain(|_| {
            index += 1;
            into[index - 1].is_none()
        });
    }

    /// The names of the claimants on `side`, in the order they were added.
    pub fn claimants_on(&self, side: &str) -> Vec<String> {
        self.claimants
            .iter()
            .filter(|c| *self.sides[c.side.0 as usize].id == *side)
            .map(|c| c.name.to_string())
            .collect()
    }

    /// The claimant with `claimant`'s id, added as it is the first time.
    fn add_claimant(&mut self, claimant: Claimant) -> ClaimantId {
        if let Some(&found) = self.claimant_ids.get(&claimant.id) {
            return found;
        }
        let new = ClaimantId(self.claimants.len() as u32);
        self.claimant_ids.insert(claimant.id.clone(), new);
        self.claimants.push(claimant);
        new
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
        self.lines.push(line as u32);
        if self.packer.is_some() {
            self.packed.push(Box::default());
        }
    }

    /// Adds an incident with the values of its table row's unmodelled columns (see
    /// [`ExtraColumns::values`]).
    pub fn push_row<'v>(
        &mut self,
        incident: Incident,
        line: usize,
        values: impl IntoIterator<Item = &'v str>,
    ) {
        self.incidents.push(incident);
        self.lines.push(line as u32);
        if let Some(packer) = &mut self.packer {
            self.packed.push(packer.pack(values));
        }
    }

    /// Gives each incident so far its packed properties, readable from now on.
    fn seal(&mut self) {
        let Some(packer) = self.packer.take() else {
            return;
        };
        let fresh = packer.empty_like();
        let columns: Arc<RowColumns> = packer.finish();
        debug_assert!(self.packed.len() <= self.incidents.len());
        let start = self.incidents.len() - self.packed.len();
        for (incident, packed) in self.incidents[start..]
            .iter_mut()
            .zip(self.packed.drain(..))
        {
            incident.extra = Properties::Row(RowValues::new(columns.clone(), packed));
        }
        self.packer = Some(fresh);
    }

    /// Appends what a builder read from the next part of the same table: its strings, claimants
    /// and incidents, renumbered into this builder's.
    /// Makes room for `rows` more incidents at once: growing a vector of a million incidents by
    /// doubling would hold the old and the new copy together, a third more memory at the peak.
    fn reserve(&mut self, rows: usize) {
        self.incidents.reserve(rows);
        self.lines.reserve(rows);
    }

    fn absorb(&mut self, part: Builder) {
        self.seal();
        let Builder {
            strings,
            sides,
            claimants,
            incidents,
            lines,
            ..
        } = part;
        let syms: Vec<Sym> = (0..strings.len())
            .map(|i| self.strings.intern(strings.resolve(Sym::from_index(i))))
            .collect();
        let sym = |s: Sym| syms[s.index()];
        let claimant_ids: Vec<ClaimantId> = claimants
            .iter()
            .map(|c| {
                let side = self.side(&sides[c.side.0 as usize]);
                self.add_claimant(Claimant { side, ..c.clone() })
            })
            .collect();
        for (mut incident, line) in incidents.into_iter().zip(lines) {
            renumber(&mut incident, &sym, &claimant_ids);
            self.incidents.push(incident);
            self.lines.push(line);
        }
    }

    /// The dataset so far; a repeated incident id is reported and only its first row kept.
    pub fn finish(mut self, meta: DatasetMeta, report: &mut LoadReport) -> Parsed {
        self.seal();
        let Builder {
            strings,
            sides,
            claimants,
            mut incidents,
            mut lines,
            ..
        } = self;
        let duplicates = repeated_ids(&incidents);
        if !duplicates.is_empty() {
            for &i in &duplicates {
                report.skipped += 1;
                report.error(
                    lines[i] as usize,
                    format!(
                        "duplicate incident id \"{}\"; the first is kept",
                        incidents[i].id
                    ),
                );
            }
            let mut index = 0;
            let mut next_dup = duplicates.iter().peekable();
            let mut kept = Vec::with_capacity(lines.len());
            incidents.retain(|_| {
                let drop = next_dup.peek().is_some_and(|&&d| d == index);
                if drop {
                    next_dup.next();
                } else {
                    kept.push(lines[index]);
                }
                index += 1;
                !drop
            });
            lines = kept;
        }
        Parsed {
            meta,
            sides,
            claimants,
            incidents,
            strings,
            is_native: false,
            refused: None,
            lines,
        }
    }
}

/// The indices of incidents whose id an earlier incident has, in order. Hashes of the ids are
/// sorted with their indices, so equal ids sit together: 8 bytes a row, where a set of the ids
/// would hold four times that at the peak of a load.
fn repeated_ids(incidents: &[Incident]) -> Vec<usize> {
    use std::hash::Hasher;
    // 32 bits of hash: a few ids of a million share one, and are told apart by the comparison.
    let hash = |id: &str| {
        let mut hasher = FxHasher::default();
        hasher.write(id.as_bytes());
        (hasher.finish() >> 32) as u32
    };
    let mut keys: Vec<(u32, u32)> = incidents
        .iter()
        .enumerate()
        .map(|(i, incident)| (hash(&incident.id), i as u32))
        .collect();
    keys.sort_unstable();
    let mut repeated = Vec::new();
    for run in keys.chunk_by(|a, b| a.0 == b.0).filter(|run| run.len() > 1) {
        // One hash, maybe several ids: a later index repeats an earlier one only if the ids match.
        for (k, &(_, i)) in run.iter().enumerate() {
            let id = &incidents[i as usize].id;
            if run[..k]
                .iter()
                .any(|&(_, j)| incidents[j as usize].id == *id)
            {
                repeated.push(i as usize);
            }
        }
    }
    repeated.sort_unstable();
    repeated
}

/// Moves an incident built against one builder's strings and claimants onto another's.
fn renumber(incident: &mut Incident, sym: &impl Fn(Sym) -> Sym, claimants: &[ClaimantId]) {
    let place = |p: &mut PlaceRef| {
        p.text = sym(p.text);
        p.pinned = p.pinned.map(sym);
    };
    if let Category::Unknown(s) = &mut incident.category {
        *s = sym(*s);
    }
    if let Some(p) = &mut incident.location.place {
        place(p);
    }
    for claim in &mut incident.claims {
        claim.claimant = claimants[claim.claimant.0 as usize];
        claim
            .from
            .iter_mut()
            .chain(claim.to.iter_mut())
            .for_each(place);
        for w in &mut claim.weapons {
            *w = sym(*w);
        }
        claim.source.outlet = claim.source.outlet.map(sym);
        claim.source.document = claim.source.document.map(sym);
    }
}

/// The file name of a path, for dataset titles and claimant names.
pub(crate) fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

/// Warns of a row whose point lies outside the country it states — by ISO 3166 numeric code
/// (ACLED's `iso`) or else by name — usually latitude and longitude swapped. The row is kept as
/// written; a country the embedded outlines do not know is not checked.
pub(crate) fn check_country(
    report: &mut LoadReport,
    line: usize,
    iso: &str,
    name: &str,
    point: Option<geo::Point<f64>>,
) {
    let Some(point) = point else { return };
    let countries = crate::basemap::Countries::embedded();
    let Some(country) = countries.by_iso(iso).or_else(|| countries.by_name(name)) else {
        return;
    };
    let (lon, lat) = (point.x(), point.y());
    if country.holds(lon, lat) {
        return;
    }
    let swapped = if country.holds(lat, lon) {
        ", and in it with latitude and longitude swapped"
    } else {
        ""
    };
    report.warning(
        line,
        format!(
            "the point (latitude {lat}, longitude {lon}) lies outside {}, the row's country{swapped}; kept as written",
            country.name
        ),
    );
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
        let mut table = Table::open(Input::Text(text), b',', ReadOptions::default());
        let mut report = LoadReport::new("t", Format::Csv);
        let seen = std::sync::Mutex::new(Vec::new());
        table.for_each_row(&mut report, &mut Builder::new(), |row, _, _| {
            if let Ok(mut seen) = seen.lock() {
                seen.push((row.line, row.get(Some(0)).to_owned()));
            }
            Ok(())
        });
        let seen = seen.into_inner().unwrap_or_default();
        assert_eq!(
            seen,
            [(3, "1".into()), (4, "multi\nline".into()), (8, "8".into())]
        );
        assert_eq!((report.rows, report.skipped), (5, 2));
        let lines: Vec<usize> = report.errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, [6, 7]);
    }

    /// Every record of `text` as (line, fields), and the report, read in `parts` parts.
    fn read_in_parts(text: &str, parts: usize) -> (Vec<(usize, Vec<String>)>, LoadReport) {
        let options = ReadOptions {
            parts: Some(parts),
            ..ReadOptions::default()
        };
        let mut table = Table::open(Input::Text(text), b',', options);
        let mut report = LoadReport::new("t", Format::Csv);
        let mut builder = Builder::new();
        table.for_each_row(&mut report, &mut builder, |row, builder, _| {
            let fields: Vec<&str> = row.record.iter(row.text).collect();
            builder
                .strings
                .intern(&format!("{}\u{1}{}", row.line, fields.join("\u{2}")));
            if fields.first() == Some(&"bad") {
                return Err("bad".into());
            }
            Ok(())
        });
        let seen = (0..builder.strings.len())
            .map(|i| {
                let text = builder.strings.resolve(Sym::from_index(i));
                let (line, fields) = text.split_once('\u{1}').unwrap_or(("0", ""));
                (
                    line.parse().unwrap_or(0),
                    fields.split('\u{2}').map(str::to_owned).collect(),
                )
            })
            .collect();
        (seen, report)
    }

    #[test]
    fn parts_cut_at_record_boundaries_read_like_one() {
        let text =
            "a,b\n#x,#y\n1,2\n\"multi\nline\",3\n\n4\nbad,1\n5,6,7\n\"q\"\"\n,\",x\r\n8,9,\n";
        let one = read_in_parts(text, 1);
        for parts in 2..8 {
            assert_eq!(read_in_parts(text, parts), one, "{parts} parts");
        }
        assert!(
            split_points(b"1,2\nab\"c,d\n", b',', 2).is_none(),
            "a quote inside a field"
        );
        assert!(
            split_points(b"1,\"2\"x\n3,4\n", b',', 2).is_none(),
            "text after a closing quote"
        );
        let cuts = split_points(b"1,\"a\nb\"\n2,3\n4,5\n", b',', 3).unwrap_or_default();
        assert!(
            cuts.iter().all(|&c| c >= 8),
            "never inside the quoted field: {cuts:?}"
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]
        #[test]
        fn any_text_reads_the_same_in_parts(
            cells in proptest::collection::vec("[a#,\"\n\r ]{0,6}", 0..40),
            parts in 2usize..6,
        ) {
            let text = format!("h1,h2\n{}", cells.concat());
            proptest::prop_assert_eq!(read_in_parts(&text, parts), read_in_parts(&text, 1));
        }
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
