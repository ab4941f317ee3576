//! Fields most rows of a large import lack, behind one pointer that is null when they have none:
//! a million rows pay 8 bytes each for them, not the size of every empty field.

use std::fmt;
use std::ops::{Deref, DerefMut};

/// A group of fields a row rarely has, and what it reads as when it has none of them.
pub trait Rare: Default + PartialEq + 'static {
    /// None of the fields: what an unallocated [`Sparse`] lends.
    const NONE: &'static Self;

    fn is_none(&self) -> bool {
        self == Self::NONE
    }
}

/// A [`Rare`] group behind one pointer: null when the row has none, which reads as
/// [`Rare::NONE`]. Writing through it allocates the group.
///
/// Equality compares what is read, so a group written empty equals one that never was.
#[derive(Clone)]
pub struct Sparse<T: Rare>(Option<Box<T>>);

impl<T: Rare> Sparse<T> {
    pub const NONE: Sparse<T> = Sparse(None);

    /// Whether the group is allocated (an allocation may still hold none of it).
    pub fn is_allocated(&self) -> bool {
        self.0.is_some()
    }

    /// The group to change in place, if the row has it: what renumbers or resolves every row
    /// must not allocate the group for the rows without.
    pub fn get_mut(&mut self) -> Option<&mut T> {
        self.0.as_deref_mut()
    }

    /// Frees an allocation that holds none: writing through a [`Sparse`] allocates the group,
    /// even to write "none".
    pub fn tidy(&mut self) {
        if self.0.as_deref().is_some_and(T::is_none) {
            self.0 = None;
        }
    }
}

impl<T: Rare> Default for Sparse<T> {
    fn default() -> Sparse<T> {
        Sparse(None)
    }
}

impl<T: Rare> From<T> for Sparse<T> {
    /// A group holding none takes no allocation.
    fn from(group: T) -> Sparse<T> {
        Sparse((!group.is_none()).then(|| Box::new(group)))
    }
}

impl<T: Rare> Deref for Sparse<T> {
    type Target = T;
    fn deref(&self) -> &T {
        self.0.as_deref().unwrap_or(T::NONE)
    }
}

impl<T: Rare> DerefMut for Sparse<T> {
    fn deref_mut(&mut self) -> &mut T {
        self.0.get_or_insert_with(Box::default)
    }
}

impl<T: Rare> PartialEq for Sparse<T> {
    fn eq(&self, other: &Sparse<T>) -> bool {
        **self == **other
    }
}

impl<T: Rare + fmt::Debug> fmt::Debug for Sparse<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (**self).fmt(f)
    }
}
