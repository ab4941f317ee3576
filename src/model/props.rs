//! The properties of an incident that claimmap does not model, stored so a million table rows stay
//! small: the column names once per part of a load, and per row its values packed into bytes the
//! part's rows share (no allocation a row), each value repeated down a column (an actor, a country,
//! a date) stored once and referred to by a number; they become a JSON map only when written out
//! or looked at. A native file's features whose unknown members are all strings (a converted
//! table's columns) are packed the same way, each member with its key's number, as features need
//! not share their keys or their order.

use std::sync::Arc;

use serde_json::{Map, Value};

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
    /// Where the row's values are in `columns.packed`.
    span: PackedSpan,
    columns: Arc<RowColumns>,
}

/// Where a row's values are in the bytes its part shares: 8 bytes, where a boxed slice of its own
/// took 16 inline and an allocation.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct PackedSpan {
    at: u32,
    len: u32,
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
}

/// Which columns a packed row has values for.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
enum Layout {
    /// A table's rows: a value for every column in order, an empty one no member (an empty cell
    /// is no value).
    #[default]
    Columns,
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
                    map.insert(key.to_owned(), Value::String(value.to_owned()));
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
            Properties::Row(row) => row.get(key).map(|v| Value::String(v.to_owned())),
        }
    }

    /// The text of a member whose value is a string.
    pub fn get_str(&self, key: &str) -> Option<&str> {
        match self {
            Properties::Json(None) => None,
            Properties::Json(Some(map)) => map.get(key)?.as_str(),
            Properties::Row(row) => row.get(key),
        }
    }
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
    pub fn entries(&self) -> Entries<'_> {
        let (from, len) = (self.span.at as usize, self.span.len as usize);
        Entries {
            columns: &self.columns,
            packed: self
                .columns
                .packed
                .get(from..from + len)
                .unwrap_or_default(),
            at: 0,
            next_column: 0,
        }
    }

    /// The shared columns it is read with (tests: which rows share them).
    #[cfg(test)]
    pub(crate) fn columns_ptr(&self) -> *const RowColumns {
        Arc::as_ptr(&self.columns)
    }

    /// The value of the last column named `key`, when not empty.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.entries()
            .filter(|(k, _)| *k == key)
            .last()
            .map(|e| e.1)
    }
}

/// The members of one packed row (see [`RowValues::entries`]).
pub struct Entries<'a> {
    columns: &'a RowColumns,
    packed: &'a [u8],
    at: usize,
    /// The column whose value comes next, in [`Layout::Columns`].
    next_column: usize,
}

impl<'a> Iterator for Entries<'a> {
    type Item = (&'a str, &'a str);

    fn next(&mut self) -> Option<(&'a str, &'a str)> {
        let columns = self.columns;
        loop {
            let column = match columns.layout {
                Layout::Columns => {
                    self.next_column += 1;
                    self.next_column - 1
                }
                Layout::Members => read_varint(self.packed, &mut self.at)? as usize,
            };
            let key = columns.keys.get(column)?;
            let value = columns.value(column, self.packed, &mut self.at)?;
            if columns.layout == Layout::Members || !value.is_empty() {
                return Some((&**key, value));
            }
        }
    }
}

impl RowColumns {
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
        })
    }
}

impl RowValues {
    /// A row packed by the [`RowPacker`] whose `finish` gave `columns`.
    pub fn new(columns: Arc<RowColumns>, span: PackedSpan) -> RowValues {
        debug_assert!(span.at as usize + span.len as usize <= columns.packed.len());
        RowValues { span, columns }
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
        assert_eq!(a.get_str("country"), Some("Armenia"));
        assert_eq!(a.get_str("links"), None, "empty values are not members");
        assert_eq!(b.get_str("links"), Some(long.as_str()));
        assert_eq!(b.get_str("event_date"), Some("é"));
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
        assert_eq!(a.get_str("admin1"), Some(""), "an empty string is a member");
        assert_eq!(b.get_str("note"), Some("Şuşa"));
        assert_eq!(b.get_str("admin1"), None);
        assert!(c.is_empty() && !a.is_empty());
        let json: Map<String, Value> =
            serde_json::from_str(r#"{"actor1": "Armenia", "admin1": "", "note": "x"}"#)
                .expect("json");
        assert_eq!(a, Properties::from_map(json));
    }
}
