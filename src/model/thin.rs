//! A boxed slice or string in one word instead of two, and empty without allocating: most claims
//! of a large import name no places or weapons and have no summary, and 8 bytes on each of a
//! million claims count. What is there costs one more pointer to follow, only when read.

use std::fmt;
use std::ops::{Deref, DerefMut};

/// A boxed slice in 8 bytes; `None` exactly when empty, so equal slices compare equal.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct ThinSlice<T>(Option<Box<Box<[T]>>>);

impl<T> ThinSlice<T> {
    pub const EMPTY: ThinSlice<T> = ThinSlice(None);

    pub fn new(items: Box<[T]>) -> ThinSlice<T> {
        ThinSlice((!items.is_empty()).then(|| Box::new(items)))
    }
}

impl<T> Default for ThinSlice<T> {
    fn default() -> ThinSlice<T> {
        ThinSlice(None)
    }
}

impl<T> Deref for ThinSlice<T> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        self.0.as_deref().map_or(&[], |b| &**b)
    }
}

impl<T> DerefMut for ThinSlice<T> {
    fn deref_mut(&mut self) -> &mut [T] {
        self.0.as_deref_mut().map_or(&mut [], |b| &mut **b)
    }
}

impl<T> AsRef<[T]> for ThinSlice<T> {
    fn as_ref(&self) -> &[T] {
        self
    }
}

impl<T: fmt::Debug> fmt::Debug for ThinSlice<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (**self).fmt(f)
    }
}

impl<T> From<Vec<T>> for ThinSlice<T> {
    fn from(items: Vec<T>) -> ThinSlice<T> {
        ThinSlice::new(items.into_boxed_slice())
    }
}

impl<T> From<Box<[T]>> for ThinSlice<T> {
    fn from(items: Box<[T]>) -> ThinSlice<T> {
        ThinSlice::new(items)
    }
}

impl<T> FromIterator<T> for ThinSlice<T> {
    fn from_iter<I: IntoIterator<Item = T>>(items: I) -> ThinSlice<T> {
        ThinSlice::from(items.into_iter().collect::<Vec<T>>())
    }
}

impl<'a, T> IntoIterator for &'a ThinSlice<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

/// A boxed string in 8 bytes; `None` exactly when empty.
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct ThinStr(Option<Box<Box<str>>>);

impl ThinStr {
    pub const EMPTY: ThinStr = ThinStr(None);

    pub fn new(text: Box<str>) -> ThinStr {
        ThinStr((!text.is_empty()).then(|| Box::new(text)))
    }
}

impl Deref for ThinStr {
    type Target = str;
    fn deref(&self) -> &str {
        self.0.as_deref().map_or("", |b| &**b)
    }
}

impl AsRef<str> for ThinStr {
    fn as_ref(&self) -> &str {
        self
    }
}

impl fmt::Debug for ThinStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (**self).fmt(f)
    }
}

impl fmt::Display for ThinStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (**self).fmt(f)
    }
}

impl From<&str> for ThinStr {
    fn from(text: &str) -> ThinStr {
        ThinStr::new(text.into())
    }
}

impl From<String> for ThinStr {
    fn from(text: String) -> ThinStr {
        ThinStr::new(text.into_boxed_str())
    }
}

impl From<Box<str>> for ThinStr {
    fn from(text: Box<str>) -> ThinStr {
        ThinStr::new(text)
    }
}

impl PartialEq<str> for ThinStr {
    fn eq(&self, other: &str) -> bool {
        **self == *other
    }
}

impl PartialEq<&str> for ThinStr {
    fn eq(&self, other: &&str) -> bool {
        **self == **other
    }
}

/// An optional boxed string in 8 bytes (an `Option<Box<str>>` takes 16); an empty string and
/// none stay apart, as a file can write either.
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct ThinOptStr(Option<Box<Box<str>>>);

impl ThinOptStr {
    pub const NONE: ThinOptStr = ThinOptStr(None);

    pub fn as_deref(&self) -> Option<&str> {
        self.0.as_deref().map(|b| &**b)
    }

    pub fn is_some(&self) -> bool {
        self.0.is_some()
    }

    pub fn is_none(&self) -> bool {
        self.0.is_none()
    }
}

impl fmt::Debug for ThinOptStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.as_deref().fmt(f)
    }
}

impl From<Option<Box<str>>> for ThinOptStr {
    fn from(text: Option<Box<str>>) -> ThinOptStr {
        ThinOptStr(text.map(Box::new))
    }
}

impl From<Option<String>> for ThinOptStr {
    fn from(text: Option<String>) -> ThinOptStr {
        ThinOptStr::from(text.map(String::into_boxed_str))
    }
}

impl From<Option<&str>> for ThinOptStr {
    fn from(text: Option<&str>) -> ThinOptStr {
        ThinOptStr::from(text.map(Box::<str>::from))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_is_one_word_and_allocates_nothing() {
        assert_eq!(std::mem::size_of::<ThinSlice<u32>>(), 8);
        assert_eq!(std::mem::size_of::<ThinStr>(), 8);
        assert_eq!(std::mem::size_of::<ThinOptStr>(), 8);
        assert!(ThinSlice::<u32>::from(Vec::new()).0.is_none());
        assert!(ThinStr::from("").0.is_none());
        assert_eq!(ThinSlice::<u32>::default(), ThinSlice::from(Vec::new()));
    }

    #[test]
    fn reads_as_what_it_was_given() {
        let mut places: ThinSlice<u32> = vec![3, 1, 2].into();
        assert_eq!(&*places, &[3, 1, 2]);
        places.sort_unstable();
        assert_eq!(places.iter().copied().collect::<Vec<_>>(), [1, 2, 3]);
        assert_eq!(places, (1..=3).collect());
        assert_ne!(places, ThinSlice::default());
        let summary = ThinStr::from("shelled from the heights");
        assert_eq!(summary, "shelled from the heights");
        assert_eq!(
            format!("{summary} / {summary:?}"),
            "shelled from the heights / \"shelled from the heights\""
        );
        assert_eq!(&*ThinStr::default(), "");
        // Written empty and not written at all are two things a file can say.
        let empty = ThinOptStr::from(Some(""));
        assert_eq!(empty.as_deref(), Some(""));
        assert!(empty.is_some() && ThinOptStr::NONE.is_none());
        assert_ne!(empty, ThinOptStr::NONE);
        assert_eq!(ThinOptStr::from(None::<String>), ThinOptStr::default());
        let url = ThinOptStr::from(Some("https://example.org/a".to_owned()));
        assert_eq!(url.as_deref(), Some("https://example.org/a"));
        assert_eq!(format!("{url:?}"), "Some(\"https://example.org/a\")");
    }
}
