//! A name map frozen into one byte buffer: the keys sorted and found by binary search, each with
//! the places it names. The embedded gazetteer's maps are built by `build.rs` when the crate is
//! compiled, so start-up reads them where they lie instead of hashing sixty thousand names.
//!
//! Only `std` here: `build.rs` compiles this file too.
//!
//! Layout, all integers u32 little-endian: the key count `n`; `n + 1` key offsets into the text;
//! `n + 1` posting offsets; the postings (a place's index shifted left 8 bits, or'd with the
//! rank); the keys' text, one after another.

use std::borrow::Cow;
use std::collections::HashMap;

/// Place indexes take the upper 24 bits of a posting.
const MAX_PLACES: u32 = 1 << 24;

/// A frozen map from a key to its postings: (place index, rank), in the order they were added.
pub struct NameIndex {
    bytes: Cow<'static, [u8]>,
    len: usize,
    /// Where the postings start.
    postings_at: usize,
    /// Where the keys' text starts.
    text_at: usize,
}

/// A key's postings.
#[derive(Clone)]
pub struct Postings<'a> {
    bytes: &'a [u8],
}

impl Iterator for Postings<'_> {
    type Item = (u32, u8);

    fn next(&mut self) -> Option<(u32, u8)> {
        let (word, rest) = self.bytes.split_first_chunk::<4>()?;
        self.bytes = rest;
        let posting = u32::from_le_bytes(*word);
        Some((posting >> 8, (posting & 0xff) as u8))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.bytes.len() / 4;
        (n, Some(n))
    }
}

impl ExactSizeIterator for Postings<'_> {}

fn word(bytes: &[u8], at: usize) -> usize {
    let mut w = [0u8; 4];
    w.copy_from_slice(&bytes[at..at + 4]);
    u32::from_le_bytes(w) as usize
}

/// Whether a table of `len + 1` offsets starts at 0 and never goes back.
fn ascending(bytes: &[u8], table: usize, len: usize) -> bool {
    let mut previous = 0;
    (0..=len).all(|i| {
        let offset = word(bytes, table + 4 * i);
        let fine = if i == 0 {
            offset == 0
        } else {
            offset >= previous
        };
        previous = offset;
        fine
    })
}

impl NameIndex {
    /// An index over bytes [`NameIndexBuilder::finish`] wrote; `None` if they are not such.
    pub fn new(bytes: Cow<'static, [u8]>) -> Option<NameIndex> {
        let len = u32::from_le_bytes(*bytes.first_chunk::<4>()?) as usize;
        let postings_at = 4 + 8 * (len + 1);
        if bytes.len() < postings_at {
            return None;
        }
        let (keys_table, postings_table) = (4, 4 + 4 * (len + 1));
        if !ascending(&bytes, keys_table, len) || !ascending(&bytes, postings_table, len) {
            return None;
        }
        let text_at = postings_at + 4 * word(&bytes, postings_table + 4 * len);
        let text_len = word(&bytes, keys_table + 4 * len);
        if bytes.len() != text_at + text_len {
            return None;
        }
        // Checked once here, so a key is cut from valid text at the offsets written with it.
        std::str::from_utf8(&bytes[text_at..]).ok()?;
        let index = NameIndex {
            bytes,
            len,
            postings_at,
            text_at,
        };
        let sorted = (1..len).all(|i| index.key(i - 1) < index.key(i));
        sorted.then_some(index)
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.len
    }

    #[cfg(test)]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The bytes, as [`NameIndexBuilder::finish`] wrote them.
    #[cfg(test)]
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    fn key(&self, i: usize) -> &str {
        let (start, end) = (word(&self.bytes, 4 + 4 * i), word(&self.bytes, 8 + 4 * i));
        let text = &self.bytes[self.text_at + start..self.text_at + end];
        // Valid: `new` checked the whole text, and keys are cut at the offsets written with them.
        std::str::from_utf8(text).unwrap_or_default()
    }

    fn postings(&self, i: usize) -> Postings<'_> {
        let base = 4 + 4 * (self.len + 1);
        let (start, end) = (
            word(&self.bytes, base + 4 * i),
            word(&self.bytes, base + 4 + 4 * i),
        );
        Postings {
            bytes: &self.bytes[self.postings_at + 4 * start..self.postings_at + 4 * end],
        }
    }

    fn find(&self, key: &str) -> Result<usize, usize> {
        let (mut low, mut high) = (0, self.len);
        while low < high {
            let mid = (low + high) / 2;
            match self.key(mid).cmp(key) {
                std::cmp::Ordering::Less => low = mid + 1,
                std::cmp::Ordering::Greater => high = mid,
                std::cmp::Ordering::Equal => return Ok(mid),
            }
        }
        Err(low)
    }

    pub fn get(&self, key: &str) -> Option<Postings<'_>> {
        self.find(key).ok().map(|i| self.postings(i))
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.find(key).is_ok()
    }

    /// Every key with its postings, in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, Postings<'_>)> {
        (0..self.len).map(|i| (self.key(i), self.postings(i)))
    }

    /// The keys that start with `prefix`, in key order: they sort next to each other.
    pub fn with_prefix<'a>(
        &'a self,
        prefix: &'a str,
    ) -> impl Iterator<Item = (&'a str, Postings<'a>)> {
        let first = self.find(prefix).unwrap_or_else(|at| at);
        (first..self.len)
            .map(|i| (self.key(i), self.postings(i)))
            .take_while(move |(key, _)| key.starts_with(prefix))
    }
}

/// Collects keys and their postings, then freezes them.
#[derive(Default)]
pub struct NameIndexBuilder {
    postings: HashMap<String, Vec<(u32, u8)>>,
}

impl NameIndexBuilder {
    /// Adds a place under a key; a place added again under one key keeps its highest rank.
    pub fn add(&mut self, key: String, place: u32, rank: u8) {
        debug_assert!(place < MAX_PLACES, "place indexes fit in 24 bits");
        let entries = self.postings.entry(key).or_default();
        match entries.iter_mut().find(|(p, _)| *p == place) {
            Some(entry) => entry.1 = entry.1.max(rank),
            None => entries.push((place, rank)),
        }
    }

    pub fn finish(self) -> Vec<u8> {
        let mut keys: Vec<(String, Vec<(u32, u8)>)> = self.postings.into_iter().collect();
        keys.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let push = |out: &mut Vec<u8>, n: usize| out.extend_from_slice(&(n as u32).to_le_bytes());
        let mut out = Vec::new();
        push(&mut out, keys.len());
        let mut at = 0;
        push(&mut out, at);
        for (key, _) in &keys {
            at += key.len();
            push(&mut out, at);
        }
        let mut at = 0;
        push(&mut out, at);
        for (_, postings) in &keys {
            at += postings.len();
            push(&mut out, at);
        }
        for (_, postings) in &keys {
            for &(place, rank) in postings {
                out.extend_from_slice(&((place << 8) | u32::from(rank)).to_le_bytes());
            }
        }
        for (key, _) in &keys {
            out.extend_from_slice(key.as_bytes());
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(entries: &[(&str, u32, u8)]) -> NameIndex {
        let mut builder = NameIndexBuilder::default();
        for &(key, place, rank) in entries {
            builder.add(key.to_owned(), place, rank);
        }
        NameIndex::new(Cow::Owned(builder.finish())).expect("a valid index")
    }

    #[test]
    fn finds_every_key_and_no_other() {
        let names = index(&[
            ("kalbajar", 3, 30),
            ("kelbecer", 3, 25),
            ("lachin", 7, 30),
            ("kalbajar", 9, 20),
            ("kalbajar", 3, 20),
            ("քարվաճառ", 3, 25),
        ]);
        assert_eq!(names.len(), 4);
        let postings: Vec<_> = names.get("kalbajar").expect("present").collect();
        assert_eq!(
            postings,
            [(3, 30), (9, 20)],
            "highest rank kept, order of adding"
        );
        assert_eq!(
            names.get("քարվաճառ").expect("present").collect::<Vec<_>>(),
            [(3, 25)]
        );
        for absent in ["", "k", "kalbajarr", "lachim", "zzz"] {
            assert!(names.get(absent).is_none(), "{absent}");
            assert!(!names.contains_key(absent), "{absent}");
        }
        let keys: Vec<&str> = names.iter().map(|(k, _)| k).collect();
        assert_eq!(keys, ["kalbajar", "kelbecer", "lachin", "քարվաճառ"]);
        let prefixed: Vec<&str> = names.with_prefix("k").map(|(k, _)| k).collect();
        assert_eq!(prefixed, ["kalbajar", "kelbecer"]);
        assert_eq!(names.with_prefix("m").count(), 0);
    }

    #[test]
    fn an_empty_index_and_bad_bytes() {
        let empty = index(&[]);
        assert!(empty.is_empty() && empty.get("a").is_none());
        let good = index(&[("a", 1, 1), ("b", 2, 2)]).as_bytes().to_vec();
        for cut in 0..good.len() {
            assert!(
                NameIndex::new(Cow::Owned(good[..cut].to_vec())).is_none(),
                "{cut}"
            );
        }
        let mut unsorted = good.clone();
        let text = unsorted.len() - 2;
        unsorted.swap(text, text + 1);
        assert!(NameIndex::new(Cow::Owned(unsorted)).is_none());
    }
}
