//! String interning: a dataset of a million incidents names the same claimants, places, outlets
//! and weapons over and over, so each distinct string is stored once and referred to by a `Sym`.

use std::hash::Hasher;
use std::num::NonZeroU32;

use crate::fxhash::FxHasher;

/// An interned string; resolve it with the [`Interner`] that made it.
#[derive(Copy, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct Sym(NonZeroU32);

impl Sym {
    /// The symbol of the `index`-th string an interner holds.
    pub(crate) fn from_index(index: usize) -> Sym {
        // Stored as index + 1, so an `Option<Sym>` is 4 bytes: a claim's outlet and document and
        // a place's pinned id are optional on a million rows.
        Sym(u32::try_from(index + 1)
            .ok()
            .and_then(NonZeroU32::new)
            .expect("fewer than 2^32 - 1 distinct strings"))
    }

    pub(crate) fn index(self) -> usize {
        self.0.get() as usize - 1
    }
}

/// Each distinct string once, in one buffer: a load of a million rows with mostly distinct
/// source texts interns a million of them, and a string kept twice (as the map's key and as the
/// value a symbol resolves to), each in its own allocation, was a tenth of such a load's memory.
#[derive(Clone, Debug)]
pub struct Interner {
    /// The symbols, found by the hash of their text.
    table: hashbrown::HashTable<Sym>,
    /// Every string, one after another.
    text: String,
    /// String `i` is `text[ends[i - 1]..ends[i]]` (from 0 for the first).
    ends: Vec<usize>,
}

impl Default for Interner {
    fn default() -> Interner {
        Interner {
            table: hashbrown::HashTable::new(),
            text: String::new(),
            ends: Vec::new(),
        }
    }
}

fn hash(text: &str) -> u64 {
    let mut hasher = FxHasher::default();
    hasher.write(text.as_bytes());
    hasher.finish()
}

/// String `index` of `text` cut at `ends`.
fn nth<'a>(text: &'a str, ends: &[usize], index: usize) -> &'a str {
    let start = if index == 0 { 0 } else { ends[index - 1] };
    // Cut only where whole strings were appended: always char boundaries.
    text.get(start..ends[index]).unwrap_or("")
}

impl Interner {
    pub fn intern(&mut self, text: &str) -> Sym {
        let Interner {
            table,
            text: all,
            ends,
        } = self;
        let h = hash(text);
        if let Some(&sym) = table.find(h, |&sym| nth(all, ends, sym.index()) == text) {
            return sym;
        }
        let sym = Sym::from_index(ends.len());
        all.push_str(text);
        ends.push(all.len());
        table.insert_unique(h, sym, |&sym| hash(nth(all, ends, sym.index())));
        sym
    }

    pub fn resolve(&self, sym: Sym) -> &str {
        nth(&self.text, &self.ends, sym.index())
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_text_same_symbol() {
        let mut interner = Interner::default();
        let a = interner.intern("Kalbajar region");
        let b = interner.intern("Lachin region");
        assert_eq!(interner.intern("Kalbajar region"), a);
        assert_ne!(a, b);
        assert_eq!(interner.resolve(b), "Lachin region");
        assert_eq!(interner.len(), 2);
        let empty = interner.intern("");
        assert_eq!(interner.resolve(empty), "");
        assert_eq!(
            interner.intern("Kalbajar regio"),
            Sym::from_index(3),
            "a prefix is a string of its own"
        );
        let many: Vec<Sym> = (0..10_000)
            .map(|n| interner.intern(&format!("place {n}")))
            .collect();
        for (n, sym) in many.iter().enumerate() {
            assert_eq!(interner.resolve(*sym), format!("place {n}"));
            assert_eq!(interner.intern(&format!("place {n}")), *sym);
        }
        assert_eq!(interner.resolve(a), "Kalbajar region");
    }
}
