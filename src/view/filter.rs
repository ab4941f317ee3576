//! The filters of the left panel, and how they combine.
//!
//! Combination rules:
//! - A **claim** is visible unless its claimant or its claimant's side is hidden.
//! - An **incident** passes when it passes every active filter *and* at least one of its claims is
//!   visible. The filters are:
//!   - its category is shown (a category the file used and claimmap does not know counts as
//!     `other`, as it is drawn);
//!   - its location precision is shown;
//!   - *contested only*: its claims come from two or more parties (a property of the incident, so
//!     hiding one side's claims does not change it);
//!   - *exact dates only*: its date is one stated day ([`DateInterval::is_exact`]): ranges, weeks,
//!     months, years and inferred days are left out;
//!   - *text*: every word of the query occurs in the title or in the quote or summary of a
//!     visible claim (not necessarily the same one), folded like place names
//!     ([`crate::gazetteer::fold`]), so case, diacritics and punctuation do not matter.
//! - Inside one filter the values are alternatives (any shown category); between filters, all
//!   must hold. The date window is applied on top, by [`super::query`].
//!
//! Hidden things are stored as sets of ids and keys rather than shown ones, so the default hides
//! nothing and a dataset opened later, with sides or categories never seen, shows everything.
//!
//! [`DateInterval::is_exact`]: crate::model::DateInterval::is_exact

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::gazetteer::fold;
use crate::model::{Category, Claim, Dataset, Incident, LocationPrecision};

use super::columns::IncidentColumns;

/// What the user filters incidents by; remembered between sessions.
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Filters {
    /// Side ids whose claims are hidden.
    pub hidden_sides: BTreeSet<String>,
    /// Claimant ids whose claims are hidden.
    pub hidden_claimants: BTreeSet<String>,
    /// Category keys (`exchange_of_fire`, …, `other`) whose incidents are hidden.
    pub hidden_categories: BTreeSet<String>,
    /// Location precisions (`exact`, `near`, `district`, …) whose incidents are hidden.
    pub hidden_location_precisions: BTreeSet<String>,
    pub contested_only: bool,
    pub exact_dates_only: bool,
    /// Words that must all occur in the title or a visible claim's quote or summary.
    pub text: String,
}

/// The key a category is filtered under: unknown categories are shown, and filtered, as `other`.
pub fn category_key(category: &Category) -> &'static str {
    category.key().unwrap_or("other")
}

impl Filters {
    /// Whether nothing is filtered out (apart from incidents without any claim).
    pub fn is_default(&self) -> bool {
        *self == Filters::default()
    }

    pub fn shows_category(&self, category: &Category) -> bool {
        !self.hidden_categories.contains(category_key(category))
    }

    pub fn set_category_shown(&mut self, category: &Category, shown: bool) {
        set_shown(&mut self.hidden_categories, category_key(category), shown);
    }

    pub fn shows_location_precision(&self, precision: LocationPrecision) -> bool {
        !self.hidden_location_precisions.contains(precision.as_str())
    }

    pub fn set_location_precision_shown(&mut self, precision: LocationPrecision, shown: bool) {
        set_shown(
            &mut self.hidden_location_precisions,
            precision.as_str(),
            shown,
        );
    }

    /// A claim is visible unless its claimant or its claimant's side is hidden.
    pub fn claim_visible(&self, dataset: &Dataset, claim: &Claim) -> bool {
        let claimant = dataset.claimant(claim.claimant);
        !self.hidden_claimants.contains(&*claimant.id)
            && !self.hidden_sides.contains(&*dataset.side(claimant.side).id)
    }

    /// Whether the incident passes every filter (the module comment gives the rules).
    ///
    /// Convenient for one incident; over many, [`Filters::prepare`] once and use
    /// [`PreparedFilters::matches`], which does not look ids up or fold the query each time.
    pub fn matches(&self, dataset: &Dataset, incident: &Incident) -> bool {
        self.prepare(dataset).matches(incident)
    }

    /// The filters resolved against one dataset's registries, for testing many incidents.
    pub fn prepare<'a>(&'a self, dataset: &'a Dataset) -> PreparedFilters<'a> {
        let claimant_visible = dataset
            .claimants
            .iter()
            .map(|c| {
                !self.hidden_claimants.contains(&*c.id)
                    && !self.hidden_sides.contains(&*dataset.side(c.side).id)
            })
            .collect();
        let folded = fold(&self.text);
        let words = folded
            .split(' ')
            .filter(|w| !w.is_empty())
            .map(str::to_owned)
            .collect();
        PreparedFilters {
            filters: self,
            dataset,
            claimant_visible,
            words,
            search: None,
            columns: None,
        }
    }
}

fn set_shown(hidden: &mut BTreeSet<String>, key: &str, shown: bool) {
    if shown {
        hidden.remove(key);
    } else {
        hidden.insert(key.to_owned());
    }
}

/// [`Filters`] resolved against one dataset: claimant visibility by index, the query folded into
/// words, and optionally the dataset's [`SearchText`] so nothing is folded per incident.
pub struct PreparedFilters<'a> {
    filters: &'a Filters,
    dataset: &'a Dataset,
    /// Indexed by `ClaimantId`.
    claimant_visible: Vec<bool>,
    words: Vec<String>,
    search: Option<&'a SearchText>,
    /// The dataset's hot fields as columns, with the filters resolved against their codes.
    columns: Option<ColumnTests<'a>>,
}

/// The filters' tests on [`IncidentColumns`]: one table look-up per field.
struct ColumnTests<'a> {
    columns: &'a IncidentColumns,
    /// Indexed by [`crate::view::columns::CategoryCode`].
    category_shown: Vec<bool>,
    /// Indexed by [`LocationPrecision`] as `usize`.
    precision_shown: [bool; LocationPrecision::ALL.len()],
}

impl<'a> PreparedFilters<'a> {
    /// Uses text folded once at load time instead of folding titles and quotes on every test.
    ///
    /// The index must have been built from this dataset.
    pub fn with_search_text(mut self, search: &'a SearchText) -> PreparedFilters<'a> {
        debug_assert_eq!(search.spans.len(), self.dataset.incidents().len());
        self.search = Some(search);
        self
    }

    /// Reads the incidents' hot fields from `columns` instead of their rows: what
    /// [`PreparedFilters::matches_at`] tests over many incidents. The rows are still read for a
    /// text query without a [`SearchText`].
    ///
    /// The columns must have been built from this dataset.
    pub fn with_columns(mut self, columns: &'a IncidentColumns) -> PreparedFilters<'a> {
        debug_assert_eq!(columns.len(), self.dataset.incidents().len());
        let filters = self.filters;
        self.columns = Some(ColumnTests {
            columns,
            category_shown: columns
                .categories()
                .iter()
                .map(|c| filters.shows_category(c))
                .collect(),
            precision_shown: LocationPrecision::ALL.map(|p| filters.shows_location_precision(p)),
        });
        self
    }

    pub fn claim_visible(&self, claim: &Claim) -> bool {
        self.claimant_visible_by_id(claim.claimant)
    }

    /// Whether claims of this claimant are visible.
    pub fn claimant_visible_by_id(&self, claimant: crate::model::ClaimantId) -> bool {
        self.claimant_visible
            .get(claimant.0 as usize)
            .copied()
            .unwrap_or(false)
    }

    /// Whether the incident passes every filter; cheap tests first, the text search last.
    pub fn matches(&self, incident: &Incident) -> bool {
        self.passes_without_text(incident) && self.text_matches(incident, None)
    }

    /// As [`PreparedFilters::matches`] for the dataset's incident at `index`, which lets a
    /// [`SearchText`] index be used.
    pub fn matches_at(&self, index: usize) -> bool {
        if let Some(tests) = &self.columns {
            if index >= tests.columns.len() || !self.passes_in_columns(tests, index) {
                return false;
            }
            return self.words.is_empty()
                || self
                    .dataset
                    .incidents()
                    .get(index)
                    .is_some_and(|incident| self.text_matches(incident, Some(index)));
        }
        let Some(incident) = self.dataset.incidents().get(index) else {
            return false;
        };
        self.passes_without_text(incident) && self.text_matches(incident, Some(index))
    }

    /// [`PreparedFilters::passes_without_text`] on the columns.
    fn passes_in_columns(&self, tests: &ColumnTests<'_>, i: usize) -> bool {
        let (filters, columns) = (self.filters, tests.columns);
        columns
            .claimants(i)
            .iter()
            .any(|&c| self.claimant_visible_by_id(c))
            && tests.category_shown[usize::from(columns.category_code(i))]
            && tests.precision_shown[columns.location_precision(i) as usize]
            && (!filters.exact_dates_only || columns.is_exact(i))
            && (!filters.contested_only || columns.is_contested(i))
    }

    fn passes_without_text(&self, incident: &Incident) -> bool {
        let filters = self.filters;
        incident.claims.iter().any(|c| self.claim_visible(c))
            && filters.shows_category(&incident.category)
            && filters.shows_location_precision(incident.location.precision)
            && (!filters.exact_dates_only || incident.date.is_exact())
            && (!filters.contested_only || self.dataset.is_contested(incident))
    }

    fn text_matches(&self, incident: &Incident, index: Option<usize>) -> bool {
        if self.words.is_empty() {
            return true;
        }
        match (self.search, index) {
            (Some(search), Some(index)) => self.words_in(incident, search.of(index)),
            _ => self.words_in(incident, &fold_incident(self.dataset, incident)),
        }
    }

    /// `folded` is the incident's text as [`fold_incident`] lays it out.
    fn words_in(&self, incident: &Incident, folded: &str) -> bool {
        let (title, claims) = folded.split_once(SEGMENT).unwrap_or((folded, ""));
        self.words.iter().all(|word| {
            title.contains(word.as_str())
                || claims.split(SEGMENT).enumerate().any(|(segment, text)| {
                    // Segment 2k is claim k's quote, 2k + 1 its summary.
                    text.contains(word.as_str())
                        && incident
                            .claims
                            .get(segment / 2)
                            .is_some_and(|c| self.claim_visible(c))
                })
        })
    }
}

/// Separates the folded fields of an incident; [`fold`] never outputs it, so no word found by
/// the search can straddle two fields.
const SEGMENT: char = '\n';

/// The incident's searchable text folded: title, then each claim's quote and summary, separated
/// by [`SEGMENT`].
fn fold_incident(dataset: &Dataset, incident: &Incident) -> String {
    let mut out = fold(&dataset.title(incident));
    for claim in &incident.claims {
        out.push(SEGMENT);
        out.push_str(&fold(&claim.quote.read()));
        out.push(SEGMENT);
        out.push_str(&fold(&claim.details.summary));
    }
    out
}

/// Every incident's searchable text folded once, so typing a query does not fold a million quotes
/// per keystroke. Costs about the size of the titles, quotes and summaries in memory; build it
/// when the first query is typed.
#[derive(Clone, Debug, Default)]
pub struct SearchText {
    text: String,
    /// Incident `i`'s text is `text[spans[i].0..spans[i].1]`.
    spans: Vec<(usize, usize)>,
}

impl SearchText {
    pub fn new(dataset: &Dataset) -> SearchText {
        let incidents = dataset.incidents();
        // Folded in the order their quotes lie in the file (those of a large table are read back
        // from it), not by date: the reads then go along the file, each block of it read once.
        let mut order: Vec<(u64, u32)> = incidents
            .iter()
            .enumerate()
            .map(|(i, incident)| {
                let at = incident.claims.iter().filter_map(|c| c.quote.file_offset());
                (at.min().unwrap_or(0), i as u32)
            })
            .collect();
        order.sort_unstable();
        let mut search = SearchText {
            text: String::new(),
            spans: vec![(0, 0); incidents.len()],
        };
        for (_, i) in order {
            let start = search.text.len();
            search
                .text
                .push_str(&fold_incident(dataset, &incidents[i as usize]));
            search.spans[i as usize] = (start, search.text.len());
        }
        search
    }

    fn of(&self, index: usize) -> &str {
        match self.spans.get(index) {
            Some(&(a, b)) => self.text.get(a..b).unwrap_or(""),
            None => "",
        }
    }
}

#[cfg(test)]
mod search_text_tests {
    use super::{SearchText, fold_incident};

    /// Folded in the file's order, each incident's text is still its own, quotes read back from
    /// the file included.
    #[test]
    fn search_text_in_file_order_is_each_incidents_own() {
        let mut bytes = Vec::new();
        crate::bench::acled_file::write_acled(&mut bytes, 800, 11).expect("generate");
        let dir = tempfile::tempdir().expect("temporary directory");
        let path = dir.path().join("acled.csv");
        std::fs::write(&path, &bytes).expect("write");
        let loaded = crate::formats::load_streamed_in_small_blocks(&path).expect("load");
        let incidents = loaded.dataset.incidents();
        assert!(incidents[0].claims[0].quote.is_in_file());
        let search = SearchText::new(&loaded.dataset);
        for (i, incident) in incidents.iter().enumerate() {
            assert_eq!(
                search.of(i),
                fold_incident(&loaded.dataset, incident),
                "incident {i}"
            );
        }
        assert_eq!(search.of(incidents.len()), "");
    }
}
