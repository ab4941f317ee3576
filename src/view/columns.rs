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

/// Fewer rows than this are indexed on one thread: starting threads would cost more.
const PARALLEL_MIN_ROWS: usize = 1 << 16;
/// Several runs a thread, so a thread slowed by another process leaves its last ones to the
/// others.
const CHUNKS_PER_THREAD: usize = 4;

/// A run of rows and its rows of the fixed-width columns, which [`Run::fill`] writes.
struct Run<'a> {
    incidents: &'a [crate::model::Incident],
    start: &'a mut [Day],
    end: &'a mut [Day],
    end_reach: &'a mut [Day],
    date_precision: &'a mut [DatePrecision],
    flags: &'a mut [u8],
    location_precision: &'a mut [LocationPrecision],
    /// Codes into [`Filled::categories`], made the columns' own when the runs are joined.
    category: &'a mut [CategoryCode],
    point: &'a mut [[f64; 2]],
    /// Where each row's claims end in [`Filled::claimants`].
    claim_ends: &'a mut [u32],
}

/// What a run gives that is not a fixed width a row.
struct Filled {
    rows: usize,
    /// The run's categories in order of first use.
    categories: Vec<Category>,
    claimants: Vec<ClaimantId>,
}

/// `category`'s code in `categories` (in order of first use), added if new.
fn code_of(categories: &mut Vec<Category>, category: &Category) -> CategoryCode {
    let code = match categories.iter().position(|c| c == category) {
        Some(code) => code,
        None => {
            categories.push(category.clone());
            categories.len() - 1
        }
    };
    CategoryCode::try_from(code).unwrap_or(CategoryCode::MAX)
}

impl Run<'_> {
    fn fill(self, dataset: &Dataset) -> Filled {
        let mut filled = Filled {
            rows: self.incidents.len(),
            categories: Vec::new(),
            claimants: Vec::new(),
        };
        let mut reach = Day(i32::MIN);
        for (i, incident) in self.incidents.iter().enumerate() {
            let date = &incident.date;
            self.start[i] = date.start();
            self.end[i] = date.end();
            reach = reach.max(date.end());
            self.end_reach[i] = reach;
            self.date_precision[i] = date.precision;
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
            if let Some(p) = incident.point() {
                flags |= flag::LOCATED;
                self.point[i] = [p.x(), p.y()];
            }
            self.flags[i] = flags;
            self.location_precision[i] = incident.location.precision;
            self.category[i] = code_of(&mut filled.categories, &incident.category);
            filled
                .claimants
                .extend(incident.claims.iter().map(|c| c.claimant));
            self.claim_ends[i] = filled.claimants.len() as u32;
        }
        filled
    }
}

impl IncidentColumns {
    /// One pass over the rows, on every core for a large dataset: each row read is a few cache
    /// misses (the row, its claims), and ten million of them took 1.9 s on one thread.
    pub fn new(dataset: &Dataset) -> IncidentColumns {
        let threads = crate::parallel::threads_for(dataset.incidents().len(), PARALLEL_MIN_ROWS);
        IncidentColumns::in_chunks(dataset, threads, threads * CHUNKS_PER_THREAD)
    }

    /// [`IncidentColumns::new`] with the rows cut into `chunks` runs, filled on `threads` threads
    /// straight into the columns, then joined: the running latest end, the claims' offsets and
    /// the category codes carried over from the runs before.
    fn in_chunks(dataset: &Dataset, threads: usize, chunks: usize) -> IncidentColumns {
        let incidents = dataset.incidents();
        let n = incidents.len();
        debug_assert!(u32::try_from(n).is_ok(), "incident indices fit in u32");
        let mut columns = IncidentColumns {
            start: vec![Day(0); n],
            end: vec![Day(0); n],
            end_reach: vec![Day(0); n],
            date_precision: vec![DatePrecision::Day; n],
            flags: vec![0; n],
            location_precision: vec![LocationPrecision::Exact; n],
            category: vec![0; n],
            categories: Vec::new(),
            point: vec![[f64::NAN; 2]; n],
            claim_starts: vec![0; n + 1],
            claimants: Vec::new(),
            claimant_side: dataset.claimants.iter().map(|c| c.side).collect(),
            side_party: dataset.sides.iter().map(|s| s.party).collect(),
        };
        let rows = n.div_ceil(chunks.max(1)).max(1);
        let runs: Vec<Run<'_>> = incidents
            .chunks(rows)
            .zip(columns.start.chunks_mut(rows))
            .zip(columns.end.chunks_mut(rows))
            .zip(columns.end_reach.chunks_mut(rows))
            .zip(columns.date_precision.chunks_mut(rows))
            .zip(columns.flags.chunks_mut(rows))
            .zip(columns.location_precision.chunks_mut(rows))
            .zip(columns.category.chunks_mut(rows))
            .zip(columns.point.chunks_mut(rows))
            .zip(columns.claim_starts[1..].chunks_mut(rows))
            .map(
                |(
                    (
                        (
                            (
                                (((((incidents, start), end), end_reach), date_precision), flags),
                                loc,
                            ),
                            cat,
                        ),
                        point,
                    ),
                    claim_ends,
                )| Run {
                    incidents,
                    start,
                    end,
                    end_reach,
                    date_precision,
                    flags,
                    location_precision: loc,
                    category: cat,
                    point,
                    claim_ends,
                },
            )
            .collect();
        let filled = crate::parallel::map(runs, threads, |_, run| run.fill(dataset));
        // What the runs before this one gave: the latest end, the claims, the categories.
        let mut reach = Day(i32::MIN);
        let mut at = 0;
        for done in filled {
            let run = crate::parallel::raised(done, "indexing the incidents");
            let rows = at..at + run.rows;
            let codes: Vec<CategoryCode> = run
                .categories
                .into_iter()
                .map(|category| code_of(&mut columns.categories, &category))
                .collect();
            for code in &mut columns.category[rows.clone()] {
                *code = codes
                    .get(usize::from(*code))
                    .copied()
                    .unwrap_or(CategoryCode::MAX);
            }
            // A run's own latest ends never fall: past the first that reaches the carried one,
            // the rest do too.
            for r in &mut columns.end_reach[rows.clone()] {
                if *r >= reach {
                    break;
                }
                *r = reach;
            }
            reach = columns.end_reach[rows.clone()]
                .last()
                .copied()
                .unwrap_or(reach);
            let base = columns.claimants.len() as u32;
            for end in &mut columns.claim_starts[rows.start + 1..=rows.end] {
                *end += base;
            }
            columns.claimants.extend_from_slice(&run.claimants);
            at = rows.end;
        }
        debug_assert_eq!(at, n);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gazetteer::Gazetteer;

    /// Columns filled in runs on several threads are those of one pass, whatever the cut: runs
    /// of a few rows, categories met in a different order in each run, more runs than rows.
    #[test]
    fn runs_on_threads_give_the_columns_of_one_pass() {
        let gazetteer = Gazetteer::embedded();
        let acled = crate::bench::acled_file::acled_bytes(3_000, 7);
        let datasets = [
            crate::formats::load_reference(gazetteer).dataset,
            crate::formats::load_bytes(&acled, "generated.csv", gazetteer)
                .expect("generated ACLED")
                .dataset,
            crate::bench::border_incidents::border_incidents(2_000, 3).dataset,
        ];
        for dataset in &datasets {
            // Debug output, so that unlocated rows' NaN points compare equal.
            let one_pass = format!("{:?}", IncidentColumns::in_chunks(dataset, 1, 1));
            for (threads, chunks) in [(2, 2), (2, 7), (3, 64), (2, 5_000)] {
                let runs = IncidentColumns::in_chunks(dataset, threads, chunks);
                assert_eq!(
                    format!("{runs:?}"),
                    one_pass,
                    "{} in {chunks} runs",
                    dataset.meta.title
                );
            }
        }
        // Several categories, so runs number them apart and the join renumbers them.
        assert!(IncidentColumns::new(&datasets[1]).categories().len() > 3);
    }
}
