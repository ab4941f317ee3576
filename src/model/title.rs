//! What an incident is called: its own words, or two texts of its dataset joined as "what: where".
//!
//! An ACLED row is titled by its event type and its location ("Armed clash: Talish"). Written out
//! per row, a million titles were shared by looking each one up among the tens of thousands
//! already made: a memory read far away for every row, a sixth of the load's time. Kept as the
//! two texts the load interns anyway, a title costs a row two numbers, and is written out only
//! when it is shown, searched or saved.

use std::borrow::Cow;
use std::sync::Arc;

use super::{Interner, Sym};

/// An incident's title (see the module documentation).
#[derive(Clone, Debug)]
pub enum Title {
    Text(Arc<str>),
    /// "{what}: {place}", both texts of the incident's dataset.
    WhatAt {
        what: Sym,
        place: Sym,
    },
}

/// What joins the two parts of a [`Title::WhatAt`].
const JOIN: &str = ": ";

impl Title {
    /// The title's words, the dataset's `strings` supplying those it keeps as symbols.
    pub fn text<'a>(&'a self, strings: &'a Interner) -> Cow<'a, str> {
        match self {
            Title::Text(text) => Cow::Borrowed(text),
            Title::WhatAt { what, place } => {
                let (what, place) = (strings.resolve(*what), strings.resolve(*place));
                let mut text = String::with_capacity(what.len() + JOIN.len() + place.len());
                text.push_str(what);
                text.push_str(JOIN);
                text.push_str(place);
                Cow::Owned(text)
            }
        }
    }

    /// The symbols it holds, renumbered by `sym` (a part's symbols becoming its load's).
    pub(crate) fn renumber(&mut self, sym: impl Fn(Sym) -> Sym) {
        if let Title::WhatAt { what, place } = self {
            *what = sym(*what);
            *place = sym(*place);
        }
    }
}

/// Equal when they are the same words, or the same two symbols of one dataset; a title of words
/// and one of symbols are never equal (the symbols' words are not at hand), which no loader makes
/// of one row: it titles a row the same way whichever way it reads it.
impl PartialEq for Title {
    fn eq(&self, other: &Title) -> bool {
        match (self, other) {
            (Title::Text(a), Title::Text(b)) => a == b,
            (
                Title::WhatAt { what, place },
                Title::WhatAt {
                    what: what_b,
                    place: place_b,
                },
            ) => what == what_b && place == place_b,
            _ => false,
        }
    }
}

impl Default for Title {
    fn default() -> Title {
        Title::Text(Arc::from(""))
    }
}

impl From<Arc<str>> for Title {
    fn from(text: Arc<str>) -> Title {
        Title::Text(text)
    }
}

impl From<&str> for Title {
    fn from(text: &str) -> Title {
        Title::Text(text.into())
    }
}

impl From<String> for Title {
    fn from(text: String) -> Title {
        Title::Text(text.into())
    }
}

impl From<Box<str>> for Title {
    fn from(text: Box<str>) -> Title {
        Title::Text(text.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_title_of_two_texts_reads_as_what_at_where() {
        let mut strings = Interner::default();
        let (what, place) = (strings.intern("Armed clash"), strings.intern("Talish"));
        let joined = Title::WhatAt { what, place };
        assert_eq!(joined.text(&strings), "Armed clash: Talish");
        assert_eq!(Title::from("Night fire").text(&strings), "Night fire");
        assert_eq!(joined, Title::WhatAt { what, place });
        assert_ne!(
            joined,
            Title::WhatAt {
                what: place,
                place: what
            }
        );
        assert_ne!(joined, Title::from("Armed clash: Talish"));
        // As small as the shared text it replaces.
        assert_eq!(std::mem::size_of::<Title>(), 16);
    }
}
