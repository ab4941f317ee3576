//! String interning: a dataset of a million incidents names the same claimants, places, outlets
//! and weapons over and over, so each distinct string is stored once and referred to by a `Sym`.

use crate::fxhash::FxMap;

/// An interned string; resolve it with the [`Interner`] that made it.
#[derive(Copy, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct Sym(u32);

impl Sym {
    /// The symbol of the `index`-th string an interner holds.
    pub(crate) fn from_index(index: usize) -> Sym {
        debug_assert!(u32::try_from(index).is_ok());
        Sym(index as u32)
    }

    pub(crate) fn index(self) -> usize {
        self.0 as usize
    }
}

#[derive(Default, Clone, Debug)]
pub struct Interner {
    lookup: FxMap<Box<str>, Sym>,
    strings: Vec<Box<str>>,
}

impl Interner {
    pub fn intern(&mut self, text: &str) -> Sym {
        if let Some(&sym) = self.lookup.get(text) {
            return sym;
        }
        let sym = Sym(u32::try_from(self.strings.len()).expect("fewer than 2^32 distinct strings"));
        self.strings.push(text.into());
        self.lookup.insert(text.into(), sym);
        sym
    }

    pub fn resolve(&self, sym: Sym) -> &str {
        &self.strings[sym.0 as usize]
    }

    pub fn len(&self) -> usize {
        self.strings.len()
    }

    pub fn is_empty(&self) -> bool {
        self.strings.is_empty()
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
    }
}
