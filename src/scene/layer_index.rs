//! What never changes for a loaded dataset as long as its layer keeps its id: its incidents' hot
//! fields as columns, where they are (the spatial grid) and their markers' side colours. Built
//! once per layer id, on the loading thread for a layer just loaded
//! ([`super::DatasetLayer::build_index`]), else by the window's caches ([`super::derived`]).
//! A loading thread also derives what the window's filters of the time give the layer: which
//! incidents pass, the slider's density spans, and the passing incidents of all its dates
//! counted and tallied per cell (the window a load opens on), each a pass over every incident
//! that the first frame showing the layer would otherwise make.

use std::sync::{Arc, OnceLock};

use crate::model::{Dataset, DateWindow, Day, SideId};
use crate::timeline::LayerSpans;
use crate::view::{FilterPass, Filters, IncidentColumns, SearchText, SpatialGrid};

use super::counted::{Counted, MarkerSlots};

/// Marks "no side" in a [`Tone`].
pub const NO_SIDE: u8 = u8::MAX;

/// The dataset-local sides an incident's marker is coloured by: its first two party sides, or
/// the side of its first claimant when no party speaks; [`NO_SIDE`] where there is none.
pub type Tone = [u8; 2];

/// A loaded dataset's incidents' hot fields, where they are, and their colours.
pub struct LayerIndex {
    pub columns: IncidentColumns,
    pub grid: SpatialGrid,
    tones: Vec<Tone>,
    /// Folded text for the text filter, built the first time a query is typed.
    search: OnceLock<SearchText>,
    /// The filter pass and density spans of the filters the loading thread was given.
    filtered: Option<Filtered>,
}

/// A layer's filter pass and density spans for one set of filters, derived with its index.
pub struct Filtered {
    pub filters: Filters,
    /// The pass of this layer's dataset alone.
    pub pass: Arc<FilterPass>,
    pub spans: Arc<LayerSpans>,
    /// The passing incidents of every date, counted with markers coloured by side, each side
    /// its own slot (the dataset's side index).
    pub whole: Counted,
    /// The latest start and the earliest end: a window from at most the one to at least the
    /// other meets every incident.
    reach: Option<(Day, Day)>,
}

impl LayerIndex {
    /// 0.3–0.5 s at a million rows: a loading thread builds it, not a frame.
    pub fn new(dataset: &Dataset) -> LayerIndex {
        let columns = IncidentColumns::new(dataset);
        LayerIndex {
            grid: SpatialGrid::of_columns(&columns),
            tones: (0..columns.len()).map(|i| tone(&columns, i)).collect(),
            columns,
            search: OnceLock::new(),
            filtered: None,
        }
    }

    /// [`LayerIndex::new`] and the filter pass and density spans of `filters`: what a loading
    /// thread builds, so that the window, its filters unchanged meanwhile, only joins them.
    pub fn with_filters(dataset: &Dataset, filters: &Filters) -> LayerIndex {
        let mut index = LayerIndex::new(dataset);
        let pass = index.filter_pass(dataset, filters);
        let spans = LayerSpans::new(dataset, &index.columns, filters, pass.of_dataset(0));
        let columns = &index.columns;
        let reach = (0..columns.len())
            .map(|i| columns.end(i))
            .min()
            .map(|earliest_end| (columns.start(columns.len() - 1), earliest_end));
        let every_day = DateWindow {
            from: Day(i32::MIN),
            to: Day(i32::MAX),
        };
        let own: Vec<u32> = (0..dataset.sides.len() as u32).collect();
        let whole = Counted::new(
            columns,
            &index.grid,
            pass.of_dataset(0),
            &every_day,
            own.len(),
            |i| tone_slots(index.tone(i), &own),
        );
        index.filtered = Some(Filtered {
            filters: filters.clone(),
            pass: Arc::new(pass),
            spans: Arc::new(spans),
            whole,
            reach,
        });
        index
    }

    /// The counts of [`Filtered::whole`], when they are those of `window` under the pass of
    /// dataset `d` of `pass`: the window meets every incident of the layer, and that pass is
    /// the very one this index holds (joined, not built again or changed since).
    pub fn counted_whole(
        &self,
        pass: &FilterPass,
        d: usize,
        window: &DateWindow,
    ) -> Option<&Counted> {
        let filtered = self.filtered.as_ref()?;
        let meets_all = filtered.reach.is_none_or(|(last_start, first_end)| {
            window.from <= first_end && window.to >= last_start
        });
        (meets_all && pass.shares(d, &filtered.pass, 0)).then_some(&filtered.whole)
    }

    /// What [`LayerIndex::with_filters`] derived, when it was for `filters`.
    pub fn filtered(&self, filters: &Filters) -> Option<&Filtered> {
        self.filtered.as_ref().filter(|f| f.filters == *filters)
    }

    /// Which of `dataset`'s incidents (the one this index was built from) pass `filters`, tested
    /// on the columns (and the folded text, for a text query).
    pub fn filter_pass(&self, dataset: &Dataset, filters: &Filters) -> FilterPass {
        let search: Vec<&SearchText> = if filters.text.trim().is_empty() {
            Vec::new()
        } else {
            vec![self.search(dataset)]
        };
        FilterPass::indexed(&[(dataset, &self.columns)], filters, &search)
    }

    pub fn tone(&self, index: usize) -> Tone {
        self.tones.get(index).copied().unwrap_or([NO_SIDE; 2])
    }

    /// The folded search text of `dataset` (the one this index was built from), built the first
    /// time it is asked for.
    pub fn search(&self, dataset: &Dataset) -> &SearchText {
        self.search.get_or_init(|| SearchText::new(dataset))
    }
}

/// The colour slots a marker of tone `tone` shows, with their weights (1 in all): half each of
/// two sides, all of one, or none; `side_slot` maps the dataset's sides to slots.
pub fn tone_slots(tone: Tone, side_slot: &[u32]) -> MarkerSlots {
    let to_slot = |s: u8| {
        (s != NO_SIDE)
            .then(|| side_slot.get(usize::from(s)).map(|&s| s as usize))
            .flatten()
    };
    match tone.map(to_slot) {
        [Some(a), Some(b)] => [Some((a, 0.5)), Some((b, 0.5))],
        [Some(a), None] | [None, Some(a)] => [Some((a, 1.0)), None],
        [None, None] => [None, None],
    }
}

/// Incident `index`'s tone, from the claimant→side and side→party tables the columns took from
/// the dataset when the index was built (a side choice gives the layer a new id, and a new index).
fn tone(columns: &IncidentColumns, index: usize) -> Tone {
    let local = |side: SideId| u8::try_from(side.0).unwrap_or(NO_SIDE);
    let claimants = columns.claimants(index);
    let mut out = [NO_SIDE; 2];
    let mut found = 0;
    for &claimant in claimants {
        let side = columns.side_of(claimant);
        if columns.is_party(side) && !out[..found].contains(&local(side)) {
            out[found] = local(side);
            found += 1;
            if found == 2 {
                break;
            }
        }
    }
    if found == 0
        && let Some(&claimant) = claimants.first()
    {
        out[0] = local(columns.side_of(claimant));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Incident;

    /// The tone as read from the rows, before the columns held the side tables.
    fn tone_of_rows(dataset: &Dataset, incident: &Incident) -> Tone {
        let local = |side: SideId| u8::try_from(side.0).unwrap_or(NO_SIDE);
        let mut out = [NO_SIDE; 2];
        let mut found = 0;
        for claim in &incident.claims {
            let side = dataset.claimant(claim.claimant).side;
            if dataset.side(side).party && !out[..found].contains(&local(side)) {
                out[found] = local(side);
                found += 1;
                if found == 2 {
                    break;
                }
            }
        }
        if found == 0
            && let Some(claim) = incident.claims.first()
        {
            out[0] = local(dataset.claimant(claim.claimant).side);
        }
        out
    }

    #[test]
    fn tones_from_the_columns_are_the_rows_tones() {
        let gazetteer = crate::gazetteer::Gazetteer::embedded();
        let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        let mut datasets = vec![crate::formats::load_reference(gazetteer).dataset];
        for name in [
            "acled_sided.csv",
            "acled_current.csv",
            "claims.csv",
            "plain.geojson",
        ] {
            let loaded = crate::formats::load_path(&fixtures.join(name), gazetteer)
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            datasets.push(loaded.dataset);
        }
        let mut split = 0;
        for dataset in &datasets {
            let index = LayerIndex::new(dataset);
            for (i, incident) in dataset.incidents().iter().enumerate() {
                assert_eq!(
                    index.tone(i),
                    tone_of_rows(dataset, incident),
                    "incident {i}"
                );
                split += usize::from(index.tone(i)[1] != NO_SIDE);
            }
        }
        assert!(split > 0, "some incident shows two sides");
    }
}
