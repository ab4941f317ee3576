//! Records of a CSV text, read the way RFC 4180 and the `csv` crate read them — quoted fields with
//! doubled quotes, `\n`, `\r\n` or `\r` between records, blank lines skipped — but straight from
//! the text: a field is a slice of it unless it had quotes to undo, and each record knows the line
//! its first byte is on (blank lines and CRLF endings counted).
//! Here too is what both the cutting of a table into parts and its streaming in blocks count
//! quotes by: whether a quote is where RFC 4180 puts one ([`quote_fits`]).
//!
//! The `csv` crate copies every field into its own buffer and dates a record from the end of the
//! previous one, before the blank lines and the `\n` of a CRLF it skips; reading a million rows,
//! the copy was the largest single cost of a load, and the dating put errors a line or more early.

use std::ops::Range;

/// Where a field's text is: in the record's source text, or in its scratch buffer (a quoted field
/// whose doubled quotes were undone, or text after a closing quote).
#[derive(Copy, Clone, Debug)]
enum Span {
    Source(u32, u32),
    Scratch(u32, u32),
    /// A quoted field whose only change was undoing doubled quotes: its text in the scratch
    /// buffer, and its content as written in the source.
    Undoubled {
        scratch: (u32, u32),
        source: (u32, u32),
    },
}

/// One record: its fields and the line it starts on.
#[derive(Debug, Default)]
pub(crate) struct Record {
    spans: Vec<Span>,
    scratch: String,
    /// The line (from 1) of the record's first byte.
    pub line: usize,
    /// The byte range of the record in its source text, terminator excluded.
    pub bytes: Range<usize>,
}

impl Record {
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    /// Field `i`, as written (untrimmed); `None` past the last field.
    pub fn get<'s>(&'s self, source: &'s str, i: usize) -> Option<&'s str> {
        let (text, a, b) = match *self.spans.get(i)? {
            Span::Source(a, b) => (source, a, b),
            Span::Scratch(a, b)
            | Span::Undoubled {
                scratch: (a, b), ..
            } => (self.scratch.as_str(), a, b),
        };
        // Spans end at ASCII bytes or the text's end: always char boundaries.
        text.get(a as usize..b as usize)
    }

    /// Where field `i` is written in the source text, when its text is that range as written, or
    /// that range with doubled quotes undone (the `bool`); `None` for a field with text after its
    /// closing quote, or past the last field.
    pub fn raw(&self, i: usize) -> Option<(Range<usize>, bool)> {
        match *self.spans.get(i)? {
            Span::Source(a, b) => Some((a as usize..b as usize, false)),
            Span::Undoubled { source: (a, b), .. } => Some((a as usize..b as usize, true)),
            Span::Scratch(..) => None,
        }
    }

    pub fn iter<'s>(&'s self, source: &'s str) -> impl Iterator<Item = &'s str> + 's {
        (0..self.len()).map(move |i| self.get(source, i).unwrap_or(""))
    }
}

/// Reads records from a text, one after another.
pub(crate) struct Records<'t> {
    text: &'t str,
    delimiter: u8,
    at: usize,
    line: usize,
}

/// What may end an unquoted field.
fn ends_unquoted(b: u8, delimiter: u8) -> bool {
    b == delimiter || b == b'\n' || b == b'\r'
}

impl<'t> Records<'t> {
    /// Records of `text`, whose first byte is on line `first_line`. A delimiter that is not ASCII
    /// (a mapping can name any byte) cuts characters apart; the fields it leaves cut read empty,
    /// as the `csv` crate's fields that were not UTF-8 did.
    pub fn new(text: &'t str, delimiter: u8, first_line: usize) -> Records<'t> {
        Records {
            text,
            delimiter,
            at: 0,
            line: first_line,
        }
    }

    /// Bytes read so far.
    pub fn position(&self) -> usize {
        self.at
    }

    /// The line the next byte is on.
    pub fn line(&self) -> usize {
        self.line
    }

    /// Reads the next record into `record`; `false` at the end of the text.
    pub fn next_into(&mut self, record: &mut Record) -> bool {
        self.first_fields_into(record, usize::MAX)
    }

    /// Reads the first `fields` fields of the next record into `record`, and no further: one
    /// value of a record read back from its file needs the fields up to it, not its long notes.
    /// Unless `fields` reaches the record's end, the records after it are not to be read.
    #[inline(always)]
    pub fn first_fields_into(&mut self, record: &mut Record, fields: usize) -> bool {
        let bytes = self.text.as_bytes();
        let n = bytes.len();
        // Blank lines and the rest of a CRLF belong to no record.
        while self.at < n && matches!(bytes[self.at], b'\n' | b'\r') {
            self.line += usize::from(bytes[self.at] == b'\n');
            self.at += 1;
        }
        if self.at >= n {
            return false;
        }
        record.spans.clear();
        record.scratch.clear();
        record.line = self.line;
        let start = self.at;
        let mut i = self.at;
        loop {
            // At the start of a field.
            if bytes.get(i) == Some(&b'"') {
                let (span, end, lines) = self.quoted(i + 1, record);
                record.spans.push(span);
                self.line += lines;
                i = end;
            } else {
                let from = i;
                while i < n && !ends_unquoted(bytes[i], self.delimiter) {
                    i += 1;
                }
                record.spans.push(Span::Source(from as u32, i as u32));
            }
            match bytes.get(i) {
                Some(&b) if b == self.delimiter && record.spans.len() < fields => i += 1,
                _ => break,
            }
        }
        record.bytes = start..i;
        // The first terminator byte ends the record; the next call skips the rest.
        if let Some(&b) = bytes.get(i) {
            self.line += usize::from(b == b'\n');
            i += 1;
        }
        self.at = i;
        true
    }

    /// Reads a quoted field whose text starts at `from` (just after the opening quote): its span,
    /// the byte just after it (a delimiter, a terminator or the end) and the line breaks inside.
    fn quoted(&self, from: usize, record: &mut Record) -> (Span, usize, usize) {
        let bytes = self.text.as_bytes();
        let n = bytes.len();
        let begin = record.scratch.len();
        let mut segment = from;
        let mut owned = false;
        let mut at = from;
        let (content_end, mut i) = loop {
            match memchr::memchr(b'"', &bytes[at.min(n)..]) {
                // A quote left open: the field runs to the end of the text.
                None => break (n, n),
                Some(q) => {
                    let q = at + q;
                    if bytes.get(q + 1) == Some(&b'"') {
                        // A doubled quote is one quote of text.
                        owned = true;
                        record.scratch.push_str(self.slice(segment, q + 1));
                        segment = q + 2;
                        at = q + 2;
                    } else {
                        break (q, q + 1);
                    }
                }
            }
        };
        let lines = memchr::memchr_iter(b'\n', &bytes[from.min(n)..i.min(n)]).count();
        // Text after the closing quote is kept as written, up to the field's end.
        let rest = i;
        while i < n && !ends_unquoted(bytes[i], self.delimiter) {
            i += 1;
        }
        if !owned && rest == i {
            return (Span::Source(from as u32, content_end as u32), i, lines);
        }
        if owned && rest == i {
            record.scratch.push_str(self.slice(segment, content_end));
            let scratch = (begin as u32, record.scratch.len() as u32);
            let source = (from as u32, content_end as u32);
            return (Span::Undoubled { scratch, source }, i, lines);
        }
        if owned {
            record.scratch.push_str(self.slice(segment, content_end));
        } else {
            record.scratch.push_str(self.slice(from, content_end));
        }
        record.scratch.push_str(self.slice(rest, i));
        (
            Span::Scratch(begin as u32, record.scratch.len() as u32),
            i,
            lines,
        )
    }

    fn slice(&self, a: usize, b: usize) -> &'t str {
        self.text.get(a..b).unwrap_or("")
    }
}

/// Whether the quote at `q` is where RFC 4180 puts quotes: inside a quoted field (`quoted`), it
/// closes the field or doubles the next quote, so the byte after it ends a field, or there is none
/// yet; outside, it opens a field, so it is first or follows a field's end. Counting quotes to
/// tell what is quoted is only right while every quote fits.
pub(crate) fn quote_fits(bytes: &[u8], q: usize, quoted: bool, delimiter: u8) -> bool {
    let ends_field = |b: u8| b == delimiter || matches!(b, b'\n' | b'\r' | b'"');
    if quoted {
        bytes.get(q + 1).is_none_or(|&b| ends_field(b))
    } else {
        q == 0 || ends_field(bytes[q - 1])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every record as (line, fields).
    fn read(text: &str) -> Vec<(usize, Vec<String>)> {
        let mut records = Records::new(text, b',', 1);
        let mut record = Record::default();
        let mut out = Vec::new();
        while records.next_into(&mut record) {
            out.push((record.line, record.iter(text).map(str::to_owned).collect()));
        }
        out
    }

    fn csv_crate(text: &str) -> Vec<Vec<String>> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        reader
            .byte_records()
            .filter_map(Result::ok)
            .map(|r| {
                r.iter()
                    .map(|f| String::from_utf8_lossy(f).into_owned())
                    .collect()
            })
            .collect()
    }

    #[test]
    fn fields_lines_and_quotes() {
        let text = "a,b\r\n\r\n\"x,\"\"y\"\"\nz\",2\n\"q\"tail,\"open\n";
        let records = read(text);
        assert_eq!(
            records,
            [
                (1, vec!["a".into(), "b".into()]),
                (3, vec!["x,\"y\"\nz".into(), "2".into()]),
                (5, vec!["qtail".into(), "open\n".into()]),
            ]
        );
    }

    #[test]
    fn raw_ranges_give_back_each_field_as_read() {
        let text = "plain,\"q,\"\"d\"\"\",\"x\"tail,\"\"\n";
        let mut records = Records::new(text, b',', 1);
        let mut record = Record::default();
        assert!(records.next_into(&mut record));
        let undo = |i: usize| {
            let (range, doubled) = record.raw(i)?;
            let raw = &text[range];
            Some(if doubled {
                raw.replace("\"\"", "\"")
            } else {
                raw.to_owned()
            })
        };
        for i in [0, 1, 3] {
            assert_eq!(undo(i).as_deref(), record.get(text, i), "field {i}");
        }
        assert_eq!(record.get(text, 1), Some("q,\"d\""));
        assert_eq!(
            record.raw(2),
            None,
            "text after a closing quote is not one range"
        );
        assert_eq!(record.raw(4), None);
    }

    #[test]
    fn blank_lines_count_towards_the_line_a_record_is_on() {
        let lines: Vec<usize> = read("h\n1\n\n3\r\n4\r\n\r\n\r\n7\r8")
            .iter()
            .map(|r| r.0)
            .collect();
        // A lone `\r` ends a record but starts no line, as editors that count `\n` see it.
        assert_eq!(lines, [1, 2, 4, 5, 8, 8]);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(500))]
        #[test]
        fn reads_the_fields_the_csv_crate_reads(text in "[ab,\"\n\r é]{0,40}") {
            let ours: Vec<Vec<String>> = read(&text).into_iter().map(|r| r.1).collect();
            proptest::prop_assert_eq!(ours, csv_crate(&text));
        }
    }
}
