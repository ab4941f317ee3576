//! A claim: who said it, their words, and what they cite, kept inline; everything a claim of a
//! large import rarely has (a summary, places, weapons, a link, a statement date) behind one
//! pointer that is null when there is none of it.
//!
//! A million-row ACLED file holds a million or more claims that are each a claimant, a span of
//! the file's notes, a shared count of losses and an outlet. Ten more fields inline, each empty,
//! would cost 64 bytes a claim; behind one pointer they cost 8.

use std::sync::Arc;

use super::sparse::{Rare, Sparse};
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
    pub details: Sparse<ClaimDetails>,
}

impl Claim {
    /// A claim with only its claimant and quote; the other fields are left for the caller.
    pub fn quoting(claimant: ClaimantId, quote: impl Into<Text>) -> Claim {
        Claim {
            claimant,
            quote: quote.into(),
            losses: None,
            source: Source::default(),
            details: Sparse::NONE,
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

impl Rare for ClaimDetails {
    const NONE: &'static ClaimDetails = &ClaimDetails {
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
        let empty: Sparse<ClaimDetails> = ClaimDetails::default().into();
        assert!(!empty.is_allocated(), "empty details take no allocation");
    }
}
