//! Which incidents are on screen: those whose dates meet the window and that pass the filters.
//!
//! One code path for the map, the list, the counts and `claimmap check --from/--to`. The window
//! changes every frame while scrubbing and the filters rarely, so [`FilterPass`] tests the filters
//! once per change and [`visible_passing`] only applies the window to it; [`visible`] does both
//! at once for callers that look once.

use std::fmt;
use std::sync::Arc;

use crate::model::{Dataset, DateWindow, Day};

use super::columns::IncidentColumns;
use super::filter::{Filters, SearchText};

/// An incident of one of the datasets: (dataset index, incident index in that dataset).
pub type IncidentIndex = (usize, usize);

/// A dataset with the columns built from it: what the indexed queries read.
pub type Indexed<'a> = (&'a Dataset, &'a IncidentColumns);

/// [`visible`] on each dataset's [`IncidentColumns`]: the same incidents in the same order, with
/// the window and the filters tested on the hot columns instead of the rows. What the window and
/// the benchmark query with; [`visible`] stays for one look (building the columns of a whole
/// dataset costs more than walking one window's rows once).
pub fn visible_indexed(
    datasets: &[Indexed<'_>],
    window: &DateWindow,
    filters: &Filters,
) -> Vec<IncidentIndex> {
    let mut out = Vec::new();
    for (d, &(dataset, columns)) in datasets.iter().enumerate() {
        let prepared = filters.prepare(dataset).with_columns(columns);
        out.extend(
            columns
                .in_window(window)
                .filter(|&i| prepared.matches_at(i))
                .map(|i| (d, i)),
        );
    }
    out
}

/// The incidents that meet the window and pass the filters, dataset by dataset, each in the
/// dataset's order (by start date).
pub fn visible(
    datasets: &[&Dataset],
    window: &DateWindow,
    filters: &Filters,
) -> Vec<IncidentIndex> {
    let mut out = Vec::new();
    for (d, dataset) in datasets.iter().enumerate() {
        let prepared = filters.prepare(dataset);
        let candidates = dataset.window_candidates(window);
        let incidents = dataset.incidents();
        out.extend(
            candidates
                .filter(|&i| incidents[i].date.meets(window) && prepared.matches_at(i))
                .map(|i| (d, i)),
        );
    }
    out
}

/// Which incidents pass the filters, the window aside: computed when the filters or the datasets
/// change, then read by every frame's [`visible_passing`] and by the density histogram.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FilterPass {
    /// Per dataset, per incident; shared, so that a layer's pass built on its loading thread
    /// joins the other layers' without a copy ([`FilterPass::join`]).
    passes: Vec<Arc<Vec<bool>>>,
    count: usize,
}

impl FilterPass {
    pub fn new(datasets: &[&Dataset], filters: &Filters) -> FilterPass {
        FilterPass::build(datasets, filters, &[])
    }

    /// As [`FilterPass::new`], with each dataset's [`SearchText`] (same order as `datasets`) so a
    /// text query folds nothing.
    pub fn with_search_text(
        datasets: &[&Dataset],
        filters: &Filters,
        search: &[&SearchText],
    ) -> FilterPass {
        debug_assert_eq!(datasets.len(), search.len());
        FilterPass::build(datasets, filters, search)
    }

    /// As [`FilterPass::with_search_text`] (`search` may be empty when there is no text query),
    /// testing the filters on each dataset's columns.
    pub fn indexed(
        datasets: &[Indexed<'_>],
        filters: &Filters,
        search: &[&SearchText],
    ) -> FilterPass {
        debug_assert!(search.is_empty() || search.len() == datasets.len());
        let (rows, columns): (Vec<&Dataset>, Vec<&IncidentColumns>) =
            datasets.iter().copied().unzip();
        FilterPass::build_with(&rows, filters, search, &columns)
    }

    fn build(datasets: &[&Dataset], filters: &Filters, search: &[&SearchText]) -> FilterPass {
        FilterPass::build_with(datasets, filters, search, &[])
    }

    fn build_with(
        datasets: &[&Dataset],
        filters: &Filters,
        search: &[&SearchText],
        columns: &[&IncidentColumns],
    ) -> FilterPass {
        let mut count = 0;
        let passes = datasets
            .iter()
            .enumerate()
            .map(|(d, dataset)| {
                let mut prepared = filters.prepare(dataset);
                if let Some(search) = search.get(d) {
                    prepared = prepared.with_search_text(search);
                }
                if let Some(columns) = columns.get(d) {
                    prepared = prepared.with_columns(columns);
                }
                let pass: Vec<bool> = (0..dataset.incidents().len())
                    .map(|i| prepared.matches_at(i))
                    .collect();
                count += pass.iter().filter(|&&p| p).count();
                Arc::new(pass)
            })
            .collect();
        FilterPass { passes, count }
    }

    /// The passes of the datasets of each part, one after the other: the pass of the datasets
    /// of all the parts, taken in that order, as [`FilterPass::new`] gives it.
    pub fn join(parts: &[&FilterPass]) -> FilterPass {
        FilterPass {
            passes: parts
                .iter()
                .flat_map(|p| p.passes.iter().cloned())
                .collect(),
            count: parts.iter().map(|p| p.count).sum(),
        }
    }

    pub fn passes(&self, (dataset, index): IncidentIndex) -> bool {
        self.passes
            .get(dataset)
            .and_then(|p| p.get(index))
            .copied()
            .unwrap_or(false)
    }

    /// Lets an incident no longer pass (a record merged into the one it was confirmed to be).
    pub fn exclude(&mut self, dataset: usize, index: usize) {
        if self
            .passes
            .get(dataset)
            .is_some_and(|p| p.get(index) == Some(&true))
        {
            // A pass shared with a layer's index is copied first: the index keeps the pass of
            // its filters.
            Arc::make_mut(&mut self.passes[dataset])[index] = false;
            self.count -= 1;
        }
    }

    /// Whether dataset `d`'s pass is dataset `e`'s of `other` itself (shared by
    /// [`FilterPass::join`]), not a pass built again or changed since.
    pub fn shares(&self, d: usize, other: &FilterPass, e: usize) -> bool {
        matches!((self.passes.get(d), other.passes.get(e)), (Some(a), Some(b)) if Arc::ptr_eq(a, b))
    }

    /// How many incidents pass, over all datasets.
    pub fn count(&self) -> usize {
        self.count
    }

    /// Per incident of dataset `d`, whether it passes.
    pub fn of_dataset(&self, d: usize) -> &[bool] {
        self.passes.get(d).map_or(&[], |p| p.as_slice())
    }
}

/// [`visible`] for filters already tested: the same incidents, only the window is applied.
/// `pass` must have been computed on the same datasets.
pub fn visible_passing(
    datasets: &[&Dataset],
    window: &DateWindow,
    pass: &FilterPass,
) -> Vec<IncidentIndex> {
    let mut out = Vec::new();
    for (d, dataset) in datasets.iter().enumerate() {
        let passes = pass.of_dataset(d);
        debug_assert_eq!(passes.len(), dataset.incidents().len());
        let incidents = dataset.incidents();
        out.extend(
            dataset
                .window_candidates(window)
                .filter(|&i| passes.get(i) == Some(&true) && incidents[i].date.meets(window))
                .map(|i| (d, i)),
        );
    }
    out
}

/// The first start and the last end of all incidents: what the timeline spans.
pub fn extent(datasets: &[&Dataset]) -> Option<(Day, Day)> {
    let mut extent: Option<(Day, Day)> = None;
    for dataset in datasets {
        // Sorted by start: the first incident starts first; ends are not sorted.
        let Some(first) = dataset.incidents().first() else {
            continue;
        };
        let last_end = dataset.last_end().unwrap_or(first.date.end());
        extent = Some(match extent {
            None => (first.date.start(), last_end),
            Some((a, b)) => (a.min(first.date.start()), b.max(last_end)),
        });
    }
    extent
}

/// What the status bar says: "N of M incidents, K claims".
#[derive(Copy, Clone, PartialEq, Eq, Debug, Default)]
pub struct Counts {
    /// Incidents on screen.
    pub incidents: usize,
    /// Visible claims of the incidents on screen.
    pub claims: usize,
    /// Incidents in all the datasets, on screen or not.
    pub of_total: usize,
}

impl Counts {
    pub fn of(datasets: &[&Dataset], visible: &[IncidentIndex], filters: &Filters) -> Counts {
        let prepared: Vec<_> = datasets.iter().map(|d| filters.prepare(d)).collect();
        let claims = visible
            .iter()
            .filter_map(|&(d, i)| Some((prepared.get(d)?, datasets[d].incidents().get(i)?)))
            .map(|(p, incident)| {
                incident
                    .claims
                    .iter()
                    .filter(|c| p.claim_visible(c))
                    .count()
            })
            .sum();
        Counts {
            incidents: visible.len(),
            claims,
            of_total: datasets.iter().map(|d| d.incidents().len()).sum(),
        }
    }
}

impl fmt::Display for Counts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let plural =
            |n: usize, one: &'static str, many: &'static str| if n == 1 { one } else { many };
        write!(
            f,
            "{} of {} {}, {} {}",
            self.incidents,
            self.of_total,
            plural(self.of_total, "incident", "incidents"),
            self.claims,
            plural(self.claims, "claim", "claims"),
        )
    }
}
