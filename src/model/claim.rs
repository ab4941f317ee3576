//! A claim: who said it, their words, and what they cite, kept inline; everything a claim of a
//! large import rarely has (a summary, places, weapons, a link, a statement date) behind one
//! pointer that is null when there is none of it.
//!
//! A million-row ACLED file holds a million or more claims that are each a claimant, a span of
//! the file's notes, a shared count of losses and an outlet. Ten more fields inline, each empty,
//! would cost 64 bytes a claim; behind one pointer they cost 8.

use std::fmt;
use std::ops::{Deref, DerefMut};
use std::sync::Arc;

use super::{ClaimantId, DateInterval, Extra, PlaceRef, Sym, Text, ThinOptStr, ThinSlice, ThinStr};

/// Losses as claimed: the words, and the numbers where the claimant gives them.
#[derive(Clone, PartialEq, Debug, Default)]
pub struct Losses {
    /// Shared: an importer words the same count the same way on thousands of rows.
    pub text: Arc<str>,
    pub killed: Option<u32>,
    pub wounded: Option<u32>,
    pub detained: Option<u32>,
    pub extra: Extra,
}

/// What a claim cites, as most rows of an import name it: the outlet and the document. Its link,
/// publication date and unknown members are in [`ClaimDetails`], as few rows have them.
#[derive(Copy, Clone, PartialEq, Eq, Debug, Default)]
pub struct Source {
    pub outlet: Option<Sym>,
    pub document: Option<Sym>,
}

/// One claimant's account of an incident, quoted.
#[derive(Clone, PartialEq, Debug)]
pub struct Claim {
    pub claimant: ClaimantId,
    /// The claimant's words exactly as the source reports them. In a large table, a span of the
    /// file read when needed; an ACLED row citing two sources gives each its claim on the same
    /// notes.
    pub quote: Text,
    /// Shared: an importer gives the same count to every claim of a row and to thousands of rows
    /// (8 bytes a claim instead of 48).
    pub losses: Option<Arc<Losses>>,
    pub source: Source,
    /// The rest of the claim; reads as empty when it has none.
    pub details: Details,
}

impl Claim {
    /// A claim with only its claimant and quote; the other fields are left for the caller.
    pub fn quoting(claimant: ClaimantId, quote: impl Into<Text>) -> Claim {
        Claim {
            claimant,
            quote: quote.into(),
            losses: None,
            source: Source::default(),
            details: Details::NONE,
        }
    }
}

/// What a claim of a large import rarely has. Thin fields, as before they were boxed together:
/// a claim that has a summary but no places pays 8 bytes for each missing list, not 16.
#[derive(Clone, PartialEq, Debug, Default)]
pub struct ClaimDetails {
    /// When the claimant said it, where the file gives a date apart from the incident's.
    pub statement_date: Option<DateInterval>,
    /// The dataset author's paraphrase.
    pub summary: ThinStr,
    /// Where the claimant says the fire came from, and what it hit.
    pub from: ThinSlice<PlaceRef>,
    pub to: ThinSlice<PlaceRef>,
    pub weapons: ThinSlice<Sym>,
    pub retaliation: Option<bool>,
    /// The source's link and publication date, and the source object's unknown members.
    pub url: ThinOptStr,
    pub published: Option<DateInterval>,
    pub source_extra: Extra,
    /// The claim's own unknown members.
    pub extra: Extra,
}

impl ClaimDetails {
    /// None of anything: what a claim without details reads as.
    pub const NONE: ClaimDetails = ClaimDetails {
        statement_date: None,
        summary: ThinStr::EMPTY,
        from: ThinSlice::EMPTY,
        to: ThinSlice::EMPTY,
        weapons: ThinSlice::EMPTY,
        retaliation: None,
        url: ThinOptStr::NONE,
        published: None,
        source_extra: None,
        extra: None,
    };

    pub fn is_empty(&self) -> bool {
        *self == ClaimDetails::NONE
    }
}

/// A claim's [`ClaimDetails`] behind one pointer: null when it has none, which reads as
/// [`ClaimDetails::NONE`]. Writing through it allocates them.
///
/// Equality compares what is read, so a claim whose details were written empty equals one that
/// never had any.
#[derive(Clone, Default)]
pub struct Details(Option<Box<ClaimDetails>>);

/// What a [`Details`] without any reads as; a static, so reading lends it for as long as the claim.
static NO_DETAILS: ClaimDetails = ClaimDetails::NONE;

impl Details {
    pub const NONE: Details = Details(None);

    /// Whether the claim has any details allocated (an allocation may still hold none of them).
    pub fn is_allocated(&self) -> bool {
        self.0.is_some()
    }

    /// The details to change in place, if the claim has any: what renumbers or resolves every
    /// claim's places must not allocate details for the claims without.
    pub fn get_mut(&mut self) -> Option<&mut ClaimDetails> {
        self.0.as_deref_mut()
    }

    /// Frees an allocation that holds none: writing through a claim's details allocates them,
    /// even to write "none".
    pub fn tidy(&mut self) {
        if self.0.as_deref().is_some_and(ClaimDetails::is_empty) {
            self.0 = None;
        }
    }
}

impl From<ClaimDetails> for Details {
    /// Empty details take no allocation.
    fn from(details: ClaimDetails) -> Details {
        Details((!details.is_empty()).then(|| Box::new(details)))
    }
}

impl Deref for Details {
    type Target = ClaimDetails;
    fn deref(&self) -> &ClaimDetails {
        self.0.as_deref().unwrap_or(&NO_DETAILS)
    }
}

impl DerefMut for Details {
    fn deref_mut(&mut self) -> &mut ClaimDetails {
        self.0.get_or_insert_with(Box::default)
    }
}

impl PartialEq for Details {
    fn eq(&self, other: &Details) -> bool {
        **self == **other
    }
}

impl fmt::Debug for Details {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (**self).fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn details_read_empty_until_written() {
        let mut claim = Claim::quoting(ClaimantId(0), "words");
        assert!(!claim.details.is_allocated());
        assert!(
            claim.details.get_mut().is_none(),
            "changing in place allocates nothing"
        );
        assert!(claim.details.summary.is_empty() && claim.details.url.is_none());
        claim.details.summary = "a paraphrase".into();
        assert!(claim.details.is_allocated());
        assert_eq!(&*claim.details.summary, "a paraphrase");
    }

    #[test]
    fn details_written_empty_equal_none() {
        let plain = Claim::quoting(ClaimantId(0), "words");
        let mut written = plain.clone();
        written.details.retaliation = None;
        assert!(written.details.is_allocated());
        assert_eq!(plain, written);
        written.details.tidy();
        assert!(!written.details.is_allocated());
        let empty: Details = ClaimDetails::default().into();
        assert!(!empty.is_allocated(), "empty details take no allocation");
    }
}
