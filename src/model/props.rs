//! The properties of an incident that claimmap does not model, stored so a million table rows stay
//! small: the column names once per part of a load, and per row its values packed into bytes the
//! part's rows share (no allocation a row), each value repeated down a column (an actor, a country,
//! a date) stored once and referred to by a number; they become a JSON map only when written out
//! or looked at. A native file's features whose unknown members are all strings (a converted
//! table's columns) are packed the same way, each member with its key's number, as features need
//! not share their keys or their order.
//!
//! A large table read from its file packs nothing: a row keeps where its record is in the file,
//! and its values are read back and split again when asked for, as its long quotes are
//! (`text.rs`). Packing them was a sixth of a million-row load's time and 30 MB of its memory,
//! for values only "colour by" and a convert ever read.

use std::borrow::Cow;
use std::sync::Arc;

use serde_json::{Map, Value};

use super::text::TextFile;
use crate::fxhash::FxMap;

/// Unknown members of an incident's `properties`, in the order the file had them.
#[derive(Clone, Debug)]
pub enum Properties {
    /// From a JSON file: any JSON values, kept as read; `None` when there are none. (Two variants,
    /// not three: the one niche of the row's pointer then holds which, and a row takes 16 bytes.)
    Json(Option<Box<Map<String, Value>>>),
    /// From a table row, or a JSON object of string members: text values under names its load
    /// shares.
    Row(RowValues),
}

impl Default for Properties {
    fn default() -> Properties {
        Properties::NONE
    }
}

/// One row's values of a table's unmodelled columns.
#[derive(Clone, Debug)]
pub struct RowValues {
    /// Where the row's values are: by its columns' layout, a [`PackedSpan`] of `columns.packed`,
    /// or a [`RecordSpan`] of the file.
    at: u64,
    columns: Arc<RowColumns>,
}

/// Where a row's record is in its file: the offset in the high 40 bits (a terabyte), the length
/// in the low 24 (16 MB; a longer record is packed).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct RecordSpan(u64);

impl RecordSpan {
    const LEN_BITS: u32 = 24;

    /// The record at `at..at + len`, when it can be told in 64 bits.
    pub fn new(at: u64, len: usize) -> Option<RecordSpan> {
        let fits = at < 1 << (64 - Self::LEN_BITS) && len < 1 << Self::LEN_BITS;
        fits.then_some(RecordSpan((at << Self::LEN_BITS) | len as u64))
    }

    fn at(self) -> u64 {
        self.0 >> Self::LEN_BITS
    }

    fn len(self) -> u32 {
        (self.0 & ((1 << Self::LEN_BITS) - 1)) as u32
    }
}

/// Where a row's values are in the bytes its part shares: 8 bytes, where a boxed slice of its own
/// took 16 inline and an allocation.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct PackedSpan {
    at: u32,
    len: u32,
}

impl PackedSpan {
    /// The span in the 64 bits a [`RowValues`] keeps it in: `at` high, `len` low.
    fn bits(self) -> u64 {
        (u64::from(self.at) << 32) | u64::from(self.len)
    }

    fn from_bits(bits: u64) -> PackedSpan {
        PackedSpan {
            at: (bits >> 32) as u32,
            len: bits as u32,
        }
    }
}

/// What the rows of one part of a load share: the column names, each column's repeated values,
/// and the rows' packed values.
#[derive(Debug, Default)]
pub struct RowColumns {
    keys: Vec<Box<str>>,
    values: Vec<Vec<Box<str>>>,
    /// Row after row, per column (see [`Layout`]) a varint `v`: `v` even is value number `v / 2`
    /// of the column's table; `v` odd is a value of `v / 2` bytes written inline after it.
    packed: Box<[u8]>,
    layout: Layout,
    /// In [`Layout::Records`], the file and how its records are split.
    records: Option<FileRecords>,
}

/// A table's rows read back from the file they were loaded from.
#[derive(Debug)]
struct FileRecords {
    file: Arc<TextFile>,
    split: Arc<dyn SplitRecord>,
}

/// How a record of a table, read back from its file, gives the values of its unmodelled columns:
/// the loader's own CSV reading, so a value reads back exactly as the load would have packed it.
pub trait SplitRecord: Send + Sync + std::fmt::Debug {
    /// The values of `record` (the text of one whole record) in the columns' order.
    fn values(&self, record: &str) -> Vec<String>;

    /// The value of the `n`-th column alone ("colour by" reads one column of every row).
    fn value(&self, record: &str, n: usize) -> String;
}

/// Which columns a packed row has values for.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
enum Layout {
    /// A table's rows: a value for every column in order, an empty one no member (an empty cell
    /// is no value).
    #[default]
    Columns,
    /// A table's rows, each read from its record in the file when asked for; no value is packed.
    Records,
    /// JSON objects: per member its column's number (a varint), then its value; an empty string
    /// is a member as any other, as the file had it.
    Members,
}

impl Properties {
    /// No members.
    pub const NONE: Properties = Properties::Json(None);

    /// A JSON map's members; `None` when there are none.
    pub fn from_map(map: Map<String, Value>) -> Properties {
        if map.is_empty() {
            Properties::NONE
        } else {
            Properties::Json(Some(Box::new(map)))
        }
    }

    /// Whether there are no members to write.
    pub fn is_empty(&self) -> bool {
        match self {
            Properties::Json(None) => true,
            Properties::Json(Some(map)) => map.is_empty(),
            Properties::Row(row) => row.entries().next().is_none(),
        }
    }

    /// The members in order, each once (a later column of the same name replaces the value in the
    /// first one's place, as a JSON object would).
    pub fn to_map(&self) -> Map<String, Value> {
        match self {
            Properties::Json(None) => Map::new(),
            Properties::Json(Some(map)) => (**map).clone(),
            Properties::Row(row) => {
                let mut map = Map::new();
                for (key, value) in row.entries() {
                    map.insert(key.to_owned(), Value::String(value.into_owned()));
                }
                map
            }
        }
    }

    /// The value of a member as JSON, if there is one.
    pub fn get(&self, key: &str) -> Option<Value> {
        match self {
            Properties::Json(None) => None,
            Properties::Json(Some(map)) => map.get(key).cloned(),
            Properties::Row(row) => row.get(key).map(|v| Value::String(v.into_owned())),
        }
    }

    /// Whether the members are read from the file the load read them from, when asked for.
    pub fn is_in_file(&self) -> bool {
        self.file_offset().is_some()
    }

    /// Where the row's record starts in its file, when its members are read from there: readers
    /// of many rows read them in this order, each block of the file once.
    pub fn file_offset(&self) -> Option<u64> {
        match self {
            Properties::Row(row) if row.columns.records.is_some() => Some(RecordSpan(row.at).at()),
            _ => None,
        }
    }

    /// The text of a member: a string as it is, any other JSON value as JSON; `None` when it is
    /// absent or null.
    pub fn get_text(&self, key: &str) -> Option<Cow<'_, str>> {
        match self {
            Properties::Json(None) => None,
            Properties::Json(Some(map)) => match map.get(key)? {
                Value::String(text) => Some(Cow::Borrowed(text)),
                Value::Null => None,
                other => Some(Cow::Owned(other.to_string())),
            },
            Properties::Row(row) => row.get(key),
        }
    }

    /// The row's record in its file, when its members are read from there.
    fn record(&self) -> Option<(&FileRecords, &RowColumns, RecordSpan)> {
        match self {
            Properties::Row(row) => {
                let records = row.columns.records.as_ref()?;
                Some((records, &*row.columns, RecordSpan(row.at)))
            }
            Properties::Json(_) => None,
        }
    }

    /// The text of a member whose value is a string.
    pub fn get_str(&self, key: &str) -> Option<Cow<'_, str>> {
        match self {
            Properties::Json(None) => None,
            Properties::Json(Some(map)) => map.get(key)?.as_str().map(Cow::Borrowed),
            Properties::Row(row) => row.get(key),
        }
    }
}

/// Member `key` of each of `rows`, as [`Properties::get_text`] reads it. Rows read from their
/// file are read a run at a time: records within two megabytes of each other take one read of
/// the file, where one each (through its cache's lock, from two threads) took twice as long.
/// Given in the order of the file ([`Properties::file_offset`]), or in stretches of it shorter
/// than that, each byte of it is read once.
pub fn texts_of<'p>(rows: &[&'p Properties], key: &str) -> Vec<Option<Cow<'p, str>>> {
    /// Bytes read at once: a few hundred records, and no more memory than a block of the load.
    const RUN_BYTES: u64 = 2 << 20;
    let mut texts = Vec::with_capacity(rows.len());
    let mut rest = rows;
    while let Some((first, _)) = rest.split_first() {
        let Some((records, _, span)) = first.record() else {
            texts.push(first.get_text(key));
            rest = &rest[1..];
            continue;
        };
        // The run: the rows after it whose records are in the same file, all within RUN_BYTES
        // (in any order).
        let (mut start, mut end) = (span.at(), span.at() + u64::from(span.len()));
        let mut n = 1;
        while let Some((next, _, span)) = rest.get(n).and_then(|row| row.record()) {
            let from = start.min(span.at());
            let to = end.max(span.at() + u64::from(span.len()));
            if !Arc::ptr_eq(&next.file, &records.file) || to - from > RUN_BYTES.max(end - start) {
                break;
            }
            (start, end) = (from, to);
            n += 1;
        }
        let (run, after) = rest.split_at(n);
        rest = after;
        let Ok(text) = records.file.read_run(start, end - start) else {
            // The file says why (see `TextFile::failure`); the rows have no members, as one.
            texts.extend(run.iter().map(|_| None));
            continue;
        };
        for row in run {
            let Some((_, columns, span)) = row.record() else {
                continue;
            };
            let from = (span.at() - start) as usize;
            let value = text
                .get(from..from + span.len() as usize)
                .and_then(|record| columns.value_in_record(record, key));
            texts.push(value.map(Cow::Owned));
        }
    }
    debug_assert_eq!(texts.len(), rows.len());
    texts
}

/// Equal when they hold the same members in the same order, however they are stored.
impl PartialEq for Properties {
    fn eq(&self, other: &Properties) -> bool {
        match (self, other) {
            (Properties::Json(Some(a)), Properties::Json(Some(b))) => a == b,
            _ => self.to_map() == other.to_map(),
        }
    }
}

impl RowValues {
    /// The members with their names in order: a table row's non-empty values in column order, an
    /// object's members as it had them.
    ///
    /// A row of a file reads its record: when that fails (the file changed), it has no members
    /// here, and its file says why (see [`TextFile::failure`]), which makes every writer fail.
    pub fn entries(&self) -> Entries<'_> {
        let columns = &*self.columns;
        let values = match &columns.records {
            Some(records) => {
                let values = self.read_record(records, |record| records.split.values(record));
                Values::Read(values.unwrap_or_default().into_iter())
            }
            None => {
                let span = PackedSpan::from_bits(self.at);
                let (from, len) = (span.at as usize, span.len as usize);
                Values::Packed {
                    packed: columns.packed.get(from..from + len).unwrap_or_default(),
                    at: 0,
                }
            }
        };
        Entries {
            columns,
            values,
            next_column: 0,
        }
    }

    /// What `read` makes of the row's record read from its file; `None` when it cannot be read
    /// (the file then says why).
    fn read_record<T>(&self, records: &FileRecords, read: impl FnOnce(&str) -> T) -> Option<T> {
        let span = RecordSpan(self.at);
        let record = records.file.read_text(span.at(), span.len()).ok()?;
        Some(read(&record))
    }

    /// The shared columns it is read with (tests: which rows share them).
    #[cfg(test)]
    pub(crate) fn columns_ptr(&self) -> *const RowColumns {
        Arc::as_ptr(&self.columns)
    }

    /// The value of the last column named `key`, when not empty.
    pub fn get(&self, key: &str) -> Option<Cow<'_, str>> {
        if let Some(records) = &self.columns.records {
            let value =
                self.read_record(records, |record| self.columns.value_in_record(record, key))?;
            return value.map(Cow::Owned);
        }
        self.entries()
            .filter(|(k, _)| *k == key)
            .last()
            .map(|e| e.1)
    }
}

/// The members of one row (see [`RowValues::entries`]).
pub struct Entries<'a> {
    columns: &'a RowColumns,
    values: Values<'a>,
    /// The column whose value comes next, in [`Layout::Columns`] and [`Layout::Records`].
    next_column: usize,
}

/// Where a row's values come from as they are read.
enum Values<'a> {
    Packed { packed: &'a [u8], at: usize },
    Read(std::vec::IntoIter<String>),
}

impl<'a> Iterator for Entries<'a> {
    type Item = (&'a str, Cow<'a, str>);

    fn next(&mut self) -> Option<(&'a str, Cow<'a, str>)> {
        let columns = self.columns;
        loop {
            let column = match columns.layout {
                Layout::Columns | Layout::Records => {
                    self.next_column += 1;
                    self.next_column - 1
                }
                Layout::Members => match &mut self.values {
                    Values::Packed { packed, at } => read_varint(packed, at)? as usize,
                    Values::Read(_) => return None,
                },
            };
            let key = columns.keys.get(column)?;
            let value = match &mut self.values {
                Values::Packed { packed, at } => Cow::Borrowed(columns.value(column, packed, at)?),
                Values::Read(values) => Cow::Owned(values.next()?),
            };
            if columns.layout == Layout::Members || !value.is_empty() {
                return Some((&**key, value));
            }
        }
    }
}

impl RowColumns {
    /// The value of column `key` in `record`, a record of the file these columns are read back
    /// from, when not empty.
    fn value_in_record(&self, record: &str, key: &str) -> Option<String> {
        // A table's columns have one name each (`ExtraColumns` numbers a repeated one).
        let n = self.keys.iter().position(|k| **k == *key)?;
        let value = self.records.as_ref()?.split.value(record, n);
        (!value.is_empty()).then_some(value)
    }

    /// Decodes column `column`'s value at `*at` of `packed`, and moves `*at` past it.
    fn value<'a>(&'a self, column: usize, packed: &'a [u8], at: &mut usize) -> Option<&'a str> {
        let v = read_varint(packed, at)?;
        let n = (v >> 1) as usize;
        if v & 1 == 0 {
            self.values.get(column)?.get(n).map(|s| &**s)
        } else {
            let bytes = packed.get(*at..*at + n)?;
            *at += n;
            // Packed from `&str`s by `RowPacker`; never invalid, but never panic either.
            std::str::from_utf8(bytes).ok()
        }
    }
}

fn read_varint(bytes: &[u8], at: &mut usize) -> Option<u64> {
    let mut value = 0u64;
    let mut shift = 0;
    loop {
        let b = *bytes.get(*at)?;
        *at += 1;
        value |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return Some(value);
        }
        shift += 7;
        if shift > 63 {
            return None;
        }
    }
}

fn write_varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

/// Values longer than this are stored inline: long texts rarely repeat, and hashing them costs.
const INTERN_MAX_LEN: usize = 96;
/// A column with this many distinct values stops gaining any: its new values are stored inline.
const INTERN_MAX_DISTINCT: usize = 1 << 16;

/// Packs rows of one table (one part of it, when parts are read in parallel), or the string members
/// of a native file's features ([`RowPacker::for_members`]).
#[derive(Debug)]
pub struct RowPacker {
    keys: Vec<Box<str>>,
    /// Each key's column, in [`Layout::Members`].
    key_columns: FxMap<Box<str>, u32>,
    layout: Layout,
    values: Vec<Vec<Box<str>>>,
    lookup: Vec<FxMap<Box<str>, u32>>,
    /// The previous row's value number per column: most columns repeat row after row.
    last: Vec<Option<u32>>,
    /// The rows packed so far, one after the other.
    packed: Vec<u8>,
}

impl RowPacker {
    pub fn new(keys: Vec<Box<str>>) -> RowPacker {
        let n = keys.len();
        RowPacker {
            keys,
            key_columns: FxMap::default(),
            layout: Layout::Columns,
            values: vec![Vec::new(); n],
            lookup: vec![FxMap::default(); n],
            last: vec![None; n],
            packed: Vec::new(),
        }
    }

    /// Bytes packed so far: a packer is finished before they reach 4 GiB (spans count in 32 bits).
    pub fn packed_len(&self) -> usize {
        self.packed.len()
    }

    /// Packs one row's values, one per column in order; the span needs [`RowPacker::finish`]'s
    /// columns to be read.
    pub fn pack<'a>(&mut self, values: impl IntoIterator<Item = &'a str>) -> PackedSpan {
        debug_assert_eq!(self.layout, Layout::Columns);
        let start = self.packed.len();
        let mut n = 0;
        for (column, value) in values.into_iter().enumerate().take(self.keys.len()) {
            n += 1;
            self.push_value(column, value);
        }
        // Fewer values than columns: the rest are empty.
        for _ in n..self.keys.len() {
            write_varint(&mut self.packed, 1);
        }
        self.span_from(start)
    }

    /// A packer for JSON objects' string members, whose keys it learns as they come.
    pub fn for_members() -> RowPacker {
        RowPacker {
            layout: Layout::Members,
            ..RowPacker::new(Vec::new())
        }
    }

    /// Packs one object's members in order, with a packer from [`RowPacker::for_members`]; the
    /// span needs [`RowPacker::finish`]'s columns to be read.
    pub fn pack_members<'a>(
        &mut self,
        members: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> PackedSpan {
        debug_assert_eq!(self.layout, Layout::Members);
        let start = self.packed.len();
        for (key, value) in members {
            let column = match self.key_columns.get(key) {
                Some(&column) => column as usize,
                None => {
                    let column = self.keys.len();
                    self.keys.push(key.into());
                    self.key_columns.insert(key.into(), column as u32);
                    self.values.push(Vec::new());
                    self.lookup.push(FxMap::default());
                    self.last.push(None);
                    column
                }
            };
            write_varint(&mut self.packed, column as u64);
            self.push_value(column, value);
        }
        self.span_from(start)
    }

    /// Packs `value` of `column`: by its number in the column's table when it repeats.
    fn push_value(&mut self, column: usize, value: &str) {
        let out = &mut self.packed;
        if value.is_empty() || value.len() > INTERN_MAX_LEN {
            write_varint(out, ((value.len() as u64) << 1) | 1);
            out.extend_from_slice(value.as_bytes());
            return;
        }
        if let Some(last) = self.last[column]
            && *self.values[column][last as usize] == *value
        {
            write_varint(out, u64::from(last) << 1);
            return;
        }
        let id = match self.lookup[column].get(value) {
            Some(&id) => Some(id),
            None if self.values[column].len() < INTERN_MAX_DISTINCT => {
                let id = self.values[column].len() as u32;
                self.values[column].push(value.into());
                self.lookup[column].insert(value.into(), id);
                Some(id)
            }
            None => None,
        };
        match id {
            Some(id) => {
                self.last[column] = Some(id);
                write_varint(out, u64::from(id) << 1);
            }
            None => {
                write_varint(out, ((value.len() as u64) << 1) | 1);
                out.extend_from_slice(value.as_bytes());
            }
        }
    }

    /// The span of the bytes packed since `start`.
    fn span_from(&self, start: usize) -> PackedSpan {
        debug_assert!(
            self.packed.len() <= u32::MAX as usize,
            "finished before 4 GiB"
        );
        PackedSpan {
            at: start as u32,
            len: (self.packed.len() - start) as u32,
        }
    }

    /// A packer for more rows of the same columns, with nothing interned yet.
    pub fn empty_like(&self) -> RowPacker {
        RowPacker {
            layout: self.layout,
            key_columns: self.key_columns.clone(),
            ..RowPacker::new(self.keys.clone())
        }
    }

    /// The shared columns for the rows packed so far.
    pub fn finish(self) -> Arc<RowColumns> {
        // Grown by doubling, the bytes may have up to twice the room they use, and a shrink in
        // place keeps it (mimalloc keeps a block that shrinks by less than half): they are
        // copied into a block of their size, and the room is left to the next part's rows.
        let packed: Box<[u8]> =
            if self.packed.capacity() - self.packed.len() > self.packed.len() / 8 {
                self.packed.as_slice().into()
            } else {
                self.packed.into_boxed_slice()
            };
        Arc::new(RowColumns {
            keys: self.keys,
            values: self.values,
            packed,
            layout: self.layout,
            records: None,
        })
    }
}

impl RowColumns {
    /// The columns `keys` of a table's rows read back from `file`, each record split by `split`.
    pub fn of_records(
        keys: Vec<Box<str>>,
        file: Arc<TextFile>,
        split: Arc<dyn SplitRecord>,
    ) -> Arc<RowColumns> {
        Arc::new(RowColumns {
            keys,
            layout: Layout::Records,
            records: Some(FileRecords { file, split }),
            ..RowColumns::default()
        })
    }
}

impl RowValues {
    /// A row packed by the [`RowPacker`] whose `finish` gave `columns`.
    pub fn new(columns: Arc<RowColumns>, span: PackedSpan) -> RowValues {
        debug_assert!(span.at as usize + span.len as usize <= columns.packed.len());
        debug_assert!(columns.records.is_none());
        RowValues {
            at: span.bits(),
            columns,
        }
    }

    /// The row whose record is `span` of the file of `columns` (from [`RowColumns::of_records`]).
    pub fn in_file(columns: Arc<RowColumns>, span: RecordSpan) -> RowValues {
        debug_assert_eq!(columns.layout, Layout::Records);
        RowValues {
            at: span.0,
            columns,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_pack_and_read_back_as_a_map_would() {
        let keys = ["actor1", "country", "links", "event_date", "country"];
        let mut packer = RowPacker::new(keys.iter().map(|k| (*k).into()).collect());
        let long = "x".repeat(INTERN_MAX_LEN + 1);
        let a = packer.pack([
            "Military Forces of Armenia",
            "Armenia",
            "",
            "2021-05-26",
            "",
        ]);
        let b = packer.pack(["Military Forces of Armenia", "Azerbaijan", &long, "é", "AZ"]);
        let c = packer.pack(["Military Forces of Armenia"]);
        let columns = packer.finish();
        let a = Properties::Row(RowValues::new(columns.clone(), a));
        let b = Properties::Row(RowValues::new(columns.clone(), b));
        let c = Properties::Row(RowValues::new(columns, c));
        assert_eq!(a.get_str("country").as_deref(), Some("Armenia"));
        assert_eq!(
            a.get_str("links").as_deref(),
            None,
            "empty values are not members"
        );
        assert_eq!(b.get_str("links").as_deref(), Some(long.as_str()));
        assert_eq!(b.get_str("event_date").as_deref(), Some("é"));
        let map = b.to_map();
        let keys: Vec<&str> = map.keys().map(|k| k.as_str()).collect();
        assert_eq!(keys, ["actor1", "country", "links", "event_date"]);
        assert_eq!(map["country"], "AZ", "a repeated column replaces in place");
        assert_eq!(c.to_map().len(), 1);
        let json = Properties::from_map(a.to_map());
        assert_eq!(json, a);
        assert_ne!(json, b);
        assert!(Properties::NONE.is_empty() && !a.is_empty());
    }

    #[test]
    fn a_record_span_keeps_its_offset_and_length_or_is_refused() {
        for (at, len) in [
            (0, 0),
            (7_000_000_000, 4096),
            ((1 << 40) - 1, (1 << 24) - 1),
        ] {
            let span = RecordSpan::new(at, len).expect("fits");
            assert_eq!((span.at(), span.len() as usize), (at, len));
        }
        assert_eq!(RecordSpan::new(1 << 40, 1), None, "past a terabyte");
        assert_eq!(
            RecordSpan::new(0, 1 << 24),
            None,
            "a record of 16 MB is packed"
        );
    }

    /// A record read back from its file splits by the loader's [`SplitRecord`]; an empty value is
    /// no member, as in a packed row.
    #[test]
    fn rows_read_back_from_their_file() {
        #[derive(Debug)]
        struct Commas;
        impl SplitRecord for Commas {
            fn values(&self, record: &str) -> Vec<String> {
                record.split(',').map(str::to_owned).collect()
            }
            fn value(&self, record: &str, n: usize) -> String {
                self.values(record).swap_remove(n)
            }
        }
        let dir = tempfile::tempdir().expect("temporary directory");
        let path = dir.path().join("t.csv");
        std::fs::write(&path, "Armenia,,Şuşa\nAzerbaijan,Tavush,\n").expect("write");
        let file = std::fs::File::open(&path).expect("open");
        let file = Arc::new(TextFile::new(file, "t.csv").expect("file"));
        let keys = ["country", "admin1", "place"].map(Box::from).to_vec();
        let columns = RowColumns::of_records(keys, file.clone(), Arc::new(Commas));
        let row = |at, len| {
            let span = RecordSpan::new(at, len).expect("fits");
            Properties::Row(RowValues::in_file(columns.clone(), span))
        };
        let (a, b) = (row(0, 15), row(16, 18));
        assert!(a.is_in_file());
        let keys = |p: &Properties| p.to_map().keys().cloned().collect::<Vec<_>>();
        assert_eq!(keys(&a), ["country", "place"]);
        assert_eq!(a.get_str("place").as_deref(), Some("Şuşa"));
        assert_eq!(b.get_str("admin1").as_deref(), Some("Tavush"));
        assert_eq!(b.get_str("place"), None);
        let mut packer = RowPacker::new(["country", "admin1", "place"].map(Box::from).to_vec());
        let packed = packer.pack(["Azerbaijan", "Tavush", ""]);
        let packed = Properties::Row(RowValues::new(packer.finish(), packed));
        assert!(!packed.is_in_file());
        assert_eq!(b, packed, "the same members however they are kept");
        assert!(file.failure().is_none());
        // A span past the end: no members, and the file says why.
        assert!(row(30, 40).is_empty());
        assert!(
            file.failure()
                .is_some_and(|f| f.0.contains("past the file's end"))
        );
    }

    #[test]
    fn members_pack_with_each_objects_keys_in_its_order() {
        let mut packer = RowPacker::for_members();
        let a = packer.pack_members([("actor1", "Armenia"), ("admin1", ""), ("note", "x")]);
        let b = packer.pack_members([("note", "Şuşa"), ("actor1", "Armenia")]);
        let c = packer.pack_members(std::iter::empty());
        let columns = packer.finish();
        let a = Properties::Row(RowValues::new(columns.clone(), a));
        let b = Properties::Row(RowValues::new(columns.clone(), b));
        let c = Properties::Row(RowValues::new(columns, c));
        let keys = |p: &Properties| p.to_map().keys().cloned().collect::<Vec<_>>();
        assert_eq!(keys(&a), ["actor1", "admin1", "note"]);
        assert_eq!(keys(&b), ["note", "actor1"]);
        assert_eq!(
            a.get_str("admin1").as_deref(),
            Some(""),
            "an empty string is a member"
        );
        assert_eq!(b.get_str("note").as_deref(), Some("Şuşa"));
        assert_eq!(b.get_str("admin1").as_deref(), None);
        assert!(c.is_empty() && !a.is_empty());
        let json: Map<String, Value> =
            serde_json::from_str(r#"{"actor1": "Armenia", "admin1": "", "note": "x"}"#)
                .expect("json");
        assert_eq!(a, Properties::from_map(json));
    }
}
