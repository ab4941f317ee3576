//! The keys a place is found by: each of its names folded, without spaces, and as a skeleton,
//! each with the rank of the name it came from. One definition for the index the crate builds
//! from any gazetteer file and the one `build.rs` freezes for the embedded gazetteer.

use super::fold::{compact, fold, skeleton_of_folded};
use super::name_index::NameIndexBuilder;

/// A name in English, the convention most reports are written in.
pub const ENGLISH: u8 = 30;
/// A name in one of the other naming conventions.
pub const CONVENTION: u8 = 25;
/// An alias: a former name, an abbreviation, a spelling in no convention.
pub const ALIAS: u8 = 20;

/// The three name maps of a gazetteer while they are filled.
#[derive(Default)]
pub struct PlaceKeys {
    pub by_name: NameIndexBuilder,
    pub by_compact_name: NameIndexBuilder,
    pub by_skeleton: NameIndexBuilder,
}

impl PlaceKeys {
    /// Adds the place at index `place` under each of its names: English, the other conventions,
    /// then the aliases.
    pub fn add_place<'a>(
        &mut self,
        place: u32,
        english: Option<&'a str>,
        conventions: impl IntoIterator<Item = &'a str>,
        aliases: impl IntoIterator<Item = &'a str>,
    ) {
        let names = english.map(|n| (n, ENGLISH)).into_iter();
        let names = names.chain(conventions.into_iter().map(|n| (n, CONVENTION)));
        for (name, rank) in names.chain(aliases.into_iter().map(|n| (n, ALIAS))) {
            let key = fold(name);
            if key.is_empty() {
                continue;
            }
            self.by_skeleton.add(skeleton_of_folded(&key), place, rank);
            self.by_compact_name.add(compact(&key), place, rank);
            self.by_name.add(key, place, rank);
        }
    }

    /// The three maps frozen: by name, by compact name, by skeleton, each with its length first
    /// (u32 little-endian), as the embedded gazetteer's file holds them.
    pub fn finish(self) -> Vec<u8> {
        let mut out = Vec::new();
        for index in [self.by_name, self.by_compact_name, self.by_skeleton] {
            let bytes = index.finish();
            out.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
            out.extend_from_slice(&bytes);
        }
        out
    }
}
