//! Table parts: the body of a large table cut at record boundaries and read on every core, or
//! streamed from its file in blocks parsed as they are read; each part into its own builder and
//! report, joined in file order, so lines, errors, ids and the order of claimants and strings are
//! those of a reading from start to end. A part whose reading fails is an error of the report.

use std::sync::atomic::{AtomicUsize, Ordering};

use super::builder::{Builder, Repeated};
use crate::formats::progress;
use crate::formats::records::{Record, Records, quote_fits};
use crate::formats::report::LoadReport;
use crate::formats::stream::{Block, Sizes, TableFile};
use crate::model::{Text, TextFile};
use crate::parallel::{self, PartFailed};

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

/// Reads parts of one table's body.
pub(super) struct PartReader<'f, F> {
    pub delimiter: u8,
    pub width: usize,
    pub row: &'f F,
    pub options: ReadOptions,
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
    pub fn read_text(
        &self,
        body: &str,
        line: usize,
        report: &mut LoadReport,
        builder: &mut Builder,
    ) {
        let (threads, min_bytes) = match self.options.parts {
            Some(parts) => (parts, 0),
            None => (parallel::cores(), PARALLEL_MIN_BYTES),
        };
        let cuts = if threads > 1 && body.len() >= min_bytes {
            split_points(body.as_bytes(), self.delimiter, threads)
        } else {
            None
        };
        let Some(cuts) = cuts.filter(|c| !c.is_empty()) else {
            self.read_part(body, line, None, true, report, builder);
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
        // Each part's first and last line, to name a part that fails.
        let spans: Vec<(usize, usize)> = parts
            .iter()
            .zip(
                parts
                    .iter()
                    .skip(1)
                    .map(|p| p.1)
                    .chain([from_line + usize::from(!body.ends_with('\n'))]),
            )
            .map(|(&(_, first), next)| (first, next.saturating_sub(1).max(first)))
            .collect();
        let (base, path, format) = (&*builder, report.path.clone(), report.format);
        let results = parallel::map(parts, threads, |i, (part, first_line)| {
            let mut read = PartRead {
                builder: base.empty_like(),
                report: LoadReport::new(path.clone(), format),
                not_utf8: None,
                bytes: part.len(),
            };
            progress::maybe_with_control(control.as_ref(), || {
                self.read_part(
                    part,
                    first_line,
                    None,
                    i == 0,
                    &mut read.report,
                    &mut read.builder,
                );
            });
            read.builder.seal();
            read
        });
        for (result, span) in results.into_iter().zip(spans) {
            match result {
                Ok(part) => {
                    report.absorb(part.report);
                    builder.absorb(part.builder);
                }
                Err(failed) => part_failed(report, span, &failed),
            }
        }
    }

    /// Reads a table from its file: this thread reads blocks, the others parse them as they come,
    /// and the parts are joined in file order as they are done.
    pub fn read_file(&self, mut file: TableFile, report: &mut LoadReport, builder: &mut Builder) {
        let block_bytes = self.options.sizes.block;
        let file_len = file.len;
        let texts = file.texts.clone();
        let buffers = file.buffers.clone();
        let control = progress::current();
        // Each block's first and last line, to name a part that fails.
        let spans = std::cell::RefCell::new(Vec::<(usize, usize)>::new());
        let mut stopped: Option<String> = None;
        let mut not_utf8: Option<usize> = None;
        // The parts start from the builder as it is now; `builder` then takes them in.
        let base = builder.empty_like();
        let (path, format) = (report.path.clone(), report.format);
        let next_block = || {
            if control.as_ref().is_some_and(|c| c.is_cancelled()) {
                return None;
            }
            match file.next_block(block_bytes) {
                Ok(Some(block)) => {
                    let last = file.next_line().saturating_sub(1).max(block.first_line);
                    spans.borrow_mut().push((block.first_line, last));
                    Some(block)
                }
                Ok(None) => None,
                Err(e) => {
                    stopped = Some(format!(
                        "reading stopped after {} bytes: {e}; the rows before are loaded",
                        file.read
                    ));
                    None
                }
            }
        };
        // Bytes a row of the first block took (0: not known yet), to make room for the rows of
        // the next blocks at once.
        let row_bytes = AtomicUsize::new(0);
        // Each thread keeps what its parts' rows repeat (titles, worded losses) for its next.
        let parse = |repeated: &mut Repeated, index: usize, block: Block| {
            let mut read = PartRead {
                builder: base.empty_like(),
                report: LoadReport::new(path.clone(), format),
                not_utf8: None,
                bytes: block.bytes.len(),
            };
            read.builder.swap_repeated(repeated);
            // A tenth more than judged: a block of shorter rows than the first's rarely grows
            // its vectors. Nothing judged yet (the first block) reserves nothing.
            if let Some(rows) = block
                .bytes
                .len()
                .checked_div(row_bytes.load(Ordering::Relaxed))
            {
                read.builder.reserve_part(rows * 11 / 10 + 16);
            }
            let offset = block.offset;
            // Texts are spans of the file only where the part's text is the file's bytes.
            let mut in_file = texts.as_ref().map(|file| InFile { file, offset });
            let text = match String::from_utf8(block.bytes) {
                Ok(text) => text,
                Err(e) => {
                    in_file = None;
                    let bytes = e.into_bytes();
                    read.not_utf8 =
                        Some(block.first_line + super::super::text::first_invalid_line(&bytes) - 1);
                    let text = encoding_rs::WINDOWS_1252
                        .decode_without_bom_handling(&bytes)
                        .0
                        .into_owned();
                    buffers.give(bytes);
                    text
                }
            };
            progress::maybe_with_control(control.as_ref(), || {
                self.read_part(
                    &text,
                    block.first_line,
                    in_file,
                    index == 0,
                    &mut read.report,
                    &mut read.builder,
                );
            });
            buffers.give(text.into_bytes());
            read.builder.seal();
            read.builder.swap_repeated(repeated);
            read
        };
        let take = |index: usize, result: Result<PartRead, PartFailed>| match result {
            Ok(part) => {
                if index == 0 {
                    // Rows in the file, judged from the first block's (the rest of the room,
                    // if unused, is never touched, so it costs no memory).
                    let rows = part.builder.len().max(1);
                    row_bytes.store((part.bytes / rows).max(1), Ordering::Relaxed);
                    let estimate =
                        (file_len as f64 / part.bytes.max(1) as f64 * rows as f64 * 1.25) as usize;
                    builder.reserve(estimate.min(file_len as usize / 16));
                }
                not_utf8 = not_utf8.or(part.not_utf8);
                report.absorb(part.report);
                builder.absorb(part.builder);
            }
            Err(failed) => {
                let span = spans.borrow().get(index).copied().unwrap_or((0, 0));
                part_failed(report, span, &failed);
            }
        };
        parallel::pipeline(
            parallel::cores(),
            next_block,
            Repeated::default,
            parse,
            take,
        );
        if let Some(message) = stopped {
            report.error(0, message);
        }
        if let Some(line) = not_utf8 {
            report.warning(0, super::super::text::not_utf8_warning(line));
        }
    }

    /// Reads the records of one part of a table's body; `first_line` is the file line it starts on.
    fn read_part(
        &self,
        part: &str,
        first_line: usize,
        in_file: Option<InFile<'_>>,
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
                        delimiter: self.delimiter,
                        line,
                        in_file,
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

/// Reports a part whose reading failed (its thread panicked): its rows are not loaded, and the
/// report says which lines they were on rather than leaving them silently missing.
fn part_failed(report: &mut LoadReport, (first, last): (usize, usize), failed: &PartFailed) {
    report.error(
        first,
        format!(
            "lines {first}–{last} were not read: reading them failed ({}); their rows are not loaded",
            failed.message
        ),
    );
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
    pub delimiter: u8,
    pub line: usize,
    /// Where `text` is in its file, when it is the file's bytes as they are there.
    pub in_file: Option<InFile<'r>>,
}

/// Where a part's text is in the file it was read from.
#[derive(Copy, Clone)]
pub(crate) struct InFile<'r> {
    pub file: &'r std::sync::Arc<TextFile>,
    pub offset: u64,
}

/// Texts shorter than this are copied even when they could stay in the file: reading them back
/// costs more than the few bytes they take.
const IN_FILE_MIN_BYTES: usize = 48;

impl Row<'_> {
    /// The trimmed text of a column; empty when the column is absent.
    pub fn get(&self, column: Option<usize>) -> &str {
        column
            .and_then(|i| self.record.get(self.text, i))
            .map_or("", str::trim)
    }

    /// The trimmed text of a column as a [`Text`]: a span of the file for a long text of a table
    /// read from its file, else a copy. Reads back exactly as [`Row::get`].
    pub fn text(&self, column: Option<usize>) -> Text {
        let copied = || Text::from(self.get(column));
        let (Some(in_file), Some(i)) = (self.in_file, column) else {
            return copied();
        };
        let Some((range, doubled_quotes)) = self.record.raw(i) else {
            return copied();
        };
        let raw = self.text.get(range.clone()).unwrap_or("");
        // Whitespace is never a quote: trimming before or after undoing quotes is the same.
        let trimmed = raw.trim();
        if trimmed.len() < IN_FILE_MIN_BYTES || u32::try_from(trimmed.len()).is_err() {
            return copied();
        }
        let start = range.start + (trimmed.as_ptr() as usize - raw.as_ptr() as usize);
        let text = Text::in_file(
            in_file.file,
            in_file.offset + start as u64,
            trimmed.len() as u32,
            doubled_quotes,
        );
        debug_assert!(text == *self.get(column), "a span reads back as its field");
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::rows::{Input, Table};
    use crate::model::{Format, Sym};

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

    /// The lines of the rows read, and the report, when the row "boom" makes the thread reading
    /// its part fail: read in three parts from memory, or streamed from a file in small blocks.
    fn read_with_a_failing_part(text: &str, streamed: bool) -> (Vec<usize>, LoadReport) {
        let options = ReadOptions {
            parts: Some(3),
            sizes: Sizes {
                stream_min: 0,
                head: 4,
                block: 10,
            },
        };
        let header = text.find('\n').map_or(text.len(), |n| n + 1);
        let input = if streamed {
            let rest = text.as_bytes()[header..].to_vec();
            Input::File {
                head: &text.as_bytes()[..header],
                rest: Box::new(std::io::Cursor::new(rest)),
                len: text.len() as u64,
                texts: None,
            }
        } else {
            Input::Text(text)
        };
        let mut table = Table::open(input, b',', options);
        let mut report = LoadReport::new("t", Format::Csv);
        let mut builder = Builder::new();
        table.for_each_row(&mut report, &mut builder, |row, builder, _| {
            assert_ne!(row.get(Some(0)), "boom", "a row no reader survives");
            builder.strings.intern(&row.line.to_string());
            Ok(())
        });
        let mut seen: Vec<usize> = (0..builder.strings.len())
            .filter_map(|i| builder.strings.resolve(Sym::from_index(i)).parse().ok())
            .collect();
        seen.sort_unstable();
        (seen, report)
    }

    #[test]
    fn a_part_whose_thread_fails_is_an_error_naming_its_lines() {
        let mut text = String::from("a,b\n");
        for i in 0..40 {
            text.push_str(if i == 20 { "boom,x\n" } else { "1,x\n" });
        }
        // The header is line 1, "boom" line 22.
        for streamed in [false, true] {
            let (seen, report) = read_with_a_failing_part(&text, streamed);
            assert_eq!(
                report.errors.len(),
                1,
                "streamed: {streamed}: {:?}",
                report.errors
            );
            let error = &report.errors[0];
            assert!(
                error.message.contains("were not read")
                    && error.message.contains("a row no reader survives"),
                "{}",
                error.message
            );
            // "lines A–B were not read": the rows missing are exactly those lines.
            let span = error
                .message
                .strip_prefix("lines ")
                .and_then(|m| m.split_once(' '))
                .and_then(|(span, _)| span.split_once('–'))
                .and_then(|(a, b)| Some((a.parse::<usize>().ok()?, b.parse::<usize>().ok()?)));
            let Some((first, last)) = span else {
                panic!("no line span in {}", error.message);
            };
            assert_eq!(error.line, first);
            assert!(first <= 22 && 22 <= last, "{first}–{last}");
            let missing: Vec<usize> = (2..=41).filter(|l| !seen.contains(l)).collect();
            assert_eq!(
                missing,
                (first..=last).collect::<Vec<_>>(),
                "streamed: {streamed}"
            );
            assert!(last - first < 39, "only the failed part is missing");
        }
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
}
