//! The fields the window query, the filters and every frame read, pulled out of a dataset's
//! incident rows into flat arrays: one row index per incident, the same index as
//! [`Dataset::incidents`].
//!
//! A frame tests tens of thousands of incidents against a date window; read through the rows,
//! each test touches a few-hundred-byte [`crate::model::Incident`] and chases its claims to
//! another allocation, so the loop runs at the speed of cache misses. Here the same test reads
//! two `i32` arrays, and "does any visible claimant speak" reads a run of a `u32` array.
//!
//! Derived, never edited: built from a [`Dataset`] in one pass and thrown away with whatever
//! was derived from the same dataset (a layer's edit or side change gives it a new id, and its
//! index is built again). The rows stay the model; these columns only answer the hot questions
//! faster, and a test holds them equal to the rows on every fixture.

use std::ops::Range;

use crate::model::{
    Category, ClaimantId, Dataset, DatePrecision, DateWindow, Day, LocationPrecision, SideId,
};

/// Bits of [`IncidentColumns::flags`].
mod flag {
    /// [`crate::model::DateInterval::is_exact`].
    pub const EXACT_DATE: u8 = 1;
    /// [`crate::model::DateInterval::inferred`].
    pub const INFERRED_DATE: u8 = 1 << 1;
    /// [`crate::model::Dataset::is_contested`].
    pub const CONTESTED: u8 = 1 << 2;
    /// The incident has a map position ([`crate::model::Incident::point`]).
    pub const LOCATED: u8 = 1 << 3;
}

/// Index of a category in [`IncidentColumns::categories`]: few distinct ones per dataset.
pub type CategoryCode = u16;

/// One dataset's hot incident fields, column by column.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct IncidentColumns {
    start: Vec<Day>,
    end: Vec<Day>,
    /// `end_reach[i]` is the latest end among incidents `..=i` (see
    /// [`IncidentColumns::window_candidates`]).
    end_reach: Vec<Day>,
    date_precision: Vec<DatePrecision>,
    flags: Vec<u8>,
    location_precision: Vec<LocationPrecision>,
    category: Vec<CategoryCode>,
    /// The distinct categories, in order of first use (unknown ones keep their own text).
    categories: Vec<Category>,
    /// `[lon, lat]`; meaningful only where the incident is located.
    point: Vec<[f64; 2]>,
    /// Incident `i`'s claims' claimants are `claimants[claim_starts[i]..claim_starts[i + 1]]`,
    /// in the order of its claims.
    claim_starts: Vec<u32>,
    claimants: Vec<ClaimantId>,
    /// Per claimant of the dataset, its side (as the dataset gave it when the columns were built).
    claimant_side: Vec<SideId>,
    /// Per side of the dataset, whether it is a party to the conflict.
    side_party: Vec<bool>,
}

impl IncidentColumns {
    /// One pass over the rows.
    pub fn new(dataset: &Dataset) -> IncidentColumns {
        let incidents = dataset.incidents();
        let n = incidents.len();
        debug_assert!(u32::try_from(n).is_ok(), "incident indices fit in u32");
        let claim_count: usize = incidents.iter().map(|i| i.claims.len()).sum();
        let mut columns = IncidentColumns {
            start: Vec::with_capacity(n),
            end: Vec::with_capacity(n),
            end_reach: Vec::with_capacity(n),
            date_precision: Vec::with_capacity(n),
            flags: Vec::with_capacity(n),
            location_precision: Vec::with_capacity(n),
            category: Vec::with_capacity(n),
            categories: Vec::new(),
            point: Vec::with_capacity(n),
            claim_starts: Vec::with_capacity(n + 1),
            claimants: Vec::with_capacity(claim_count),
            claimant_side: dataset.claimants.iter().map(|c| c.side).collect(),
            side_party: dataset.sides.iter().map(|s| s.party).collect(),
        };
        let mut reach = Day(i32::MIN);
        columns.claim_starts.push(0);
        for incident in incidents {
            let date = &incident.date;
            columns.start.push(date.start());
            columns.end.push(date.end());
            reach = reach.max(date.end());
            columns.end_reach.push(reach);
            columns.date_precision.push(date.precision);
            let mut flags = 0;
            if date.is_exact() {
                flags |= flag::EXACT_DATE;
            }
            if date.inferred {
                flags |= flag::INFERRED_DATE;
            }
            if dataset.is_contested(incident) {
                flags |= flag::CONTESTED;
            }
            if incident.point().is_some() {
                flags |= flag::LOCATED;
            }
            columns.flags.push(flags);
            columns.location_precision.push(incident.location.precision);
            let code = match columns
                .categories
                .iter()
                .position(|c| *c == incident.category)
            {
                Some(code) => code,
                None => {
                    columns.categories.push(incident.category.clone());
                    columns.categories.len() - 1
                }
            };
            columns
                .category
                .push(CategoryCode::try_from(code).unwrap_or(CategoryCode::MAX));
            columns
                .point
                .push(incident.point().map_or([f64::NAN; 2], |p| [p.x(), p.y()]));
            columns
                .claimants
                .extend(incident.claims.iter().map(|c| c.claimant));
            columns.claim_starts.push(columns.claimants.len() as u32);
        }
        debug_assert!(
            columns.start.windows(2).all(|w| w[0] <= w[1]),
            "a dataset's incidents are sorted by start"
        );
        columns
    }

    pub fn len(&self) -> usize {
        self.start.len()
    }

    pub fn is_empty(&self) -> bool {
        self.start.is_empty()
    }

    pub fn start(&self, i: usize) -> Day {
        self.start[i]
    }

    pub fn end(&self, i: usize) -> Day {
        self.end[i]
    }

    /// As [`crate::model::DateInterval::meets`].
    pub fn meets(&self, i: usize, window: &DateWindow) -> bool {
        self.start[i] <= window.to && self.end[i] >= window.from
    }

    pub fn date_precision(&self, i: usize) -> DatePrecision {
        self.date_precision[i]
    }

    /// As [`crate::model::DateInterval::is_exact`].
    pub fn is_exact(&self, i: usize) -> bool {
        self.flags[i] & flag::EXACT_DATE != 0
    }

    pub fn date_inferred(&self, i: usize) -> bool {
        self.flags[i] & flag::INFERRED_DATE != 0
    }

    /// As [`Dataset::is_contested`]: claims from two or more parties.
    pub fn is_contested(&self, i: usize) -> bool {
        self.flags[i] & flag::CONTESTED != 0
    }

    pub fn location_precision(&self, i: usize) -> LocationPrecision {
        self.location_precision[i]
    }

    pub fn category_code(&self, i: usize) -> CategoryCode {
        self.category[i]
    }

    pub fn category(&self, i: usize) -> &Category {
        &self.categories[usize::from(self.category[i])]
    }

    /// The distinct categories the codes index.
    pub fn categories(&self) -> &[Category] {
        &self.categories
    }

    /// Where the incident is drawn, as lon/lat ([`crate::model::Incident::point`]).
    pub fn point(&self, i: usize) -> Option<geo::Point<f64>> {
        (self.flags[i] & flag::LOCATED != 0).then(|| {
            let [x, y] = self.point[i];
            geo::Point::new(x, y)
        })
    }

    /// The claimants of the incident's claims, in the order of its claims.
    pub fn claimants(&self, i: usize) -> &[ClaimantId] {
        &self.claimants[self.claim_starts[i] as usize..self.claim_starts[i + 1] as usize]
    }

    pub fn claim_count(&self, i: usize) -> usize {
        (self.claim_starts[i + 1] - self.claim_starts[i]) as usize
    }

    /// Claims of the incidents in `indices`, counted without walking them.
    pub fn claims_of(&self, indices: impl Iterator<Item = usize>) -> usize {
        indices.map(|i| self.claim_count(i)).sum()
    }

    /// A claimant's side, as the dataset gave it when these columns were built.
    pub fn side_of(&self, claimant: ClaimantId) -> SideId {
        self.claimant_side[claimant.0 as usize]
    }

    pub fn is_party(&self, side: SideId) -> bool {
        self.side_party[side.0 as usize]
    }

    /// As [`Dataset::window_candidates`]: the index range outside which no incident meets the
    /// window. Starts are sorted, and the running latest end is non-decreasing, so both ends are
    /// binary searches.
    pub fn window_candidates(&self, window: &DateWindow) -> Range<usize> {
        let end = self.start.partition_point(|&s| s <= window.to);
        let start = self.end_reach[..end].partition_point(|&reach| reach < window.from);
        start..end
    }

    /// The incidents whose dates meet the window, ascending.
    pub fn in_window<'a>(&'a self, window: &'a DateWindow) -> impl Iterator<Item = usize> + 'a {
        let range = self.window_candidates(window);
        let (start, end) = (&self.start[range.clone()], &self.end[range.clone()]);
        range
            .zip(start.iter().zip(end))
            .filter(move |(_, (s, e))| **s <= window.to && **e >= window.from)
            .map(|(i, _)| i)
    }
}
