//! What frames derive from the layers, the filters and the date window, kept until one of them
//! changes, so a frame costs what changed rather than what is loaded.
//!
//! Three tiers, each keyed by exactly what it is computed from: per layer, its spatial grid and
//! marker tones (the dataset never changes); per (filters, shown layers), which incidents pass
//! and the slider's density; per date window on top of that, the visible set with its counts
//! and per-cell tallies. A tier is dropped with the tier it derives from, so nothing can outlive
//! its inputs.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::{Arc, OnceLock};

use egui::Color32;

use crate::model::{Dataset, DateWindow, Incident, Rgb};
use crate::timeline::DensitySpans;
use crate::view::{FilterPass, Filters, SearchText, SpatialGrid};

use super::histogram::Histogram;
use super::layer::{DatasetLayer, IncidentRef, LayerId};
use super::palette::colour;

/// Marks "no side" in a [`Tone`].
pub const NO_SIDE: u8 = u8::MAX;

/// The dataset-local sides an incident's marker is coloured by: its first two party sides, or
/// the side of its first claimant when no party speaks; [`NO_SIDE`] where there is none.
pub type Tone = [u8; 2];

/// What never changes for a loaded dataset: where its incidents are, and their colours.
pub struct LayerIndex {
    pub grid: SpatialGrid,
    tones: Vec<Tone>,
    /// Folded text for the text filter, built the first time a query is typed.
    search: OnceLock<SearchText>,
}

impl LayerIndex {
    pub fn new(dataset: &Dataset) -> LayerIndex {
        LayerIndex {
            grid: SpatialGrid::new(dataset),
            tones: dataset
                .incidents()
                .iter()
                .map(|i| tone(dataset, i))
                .collect(),
            search: OnceLock::new(),
        }
    }

    pub fn tone(&self, index: usize) -> Tone {
        self.tones.get(index).copied().unwrap_or([NO_SIDE; 2])
    }
}

fn tone(dataset: &Dataset, incident: &Incident) -> Tone {
    let local = |side: crate::model::SideId| u8::try_from(side.0).unwrap_or(NO_SIDE);
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

/// A side clusters are coloured by; sides of different datasets with the same id are one.
#[derive(Clone, PartialEq, Debug)]
pub struct SideSlot {
    pub id: Box<str>,
    pub name: Box<str>,
    pub colour: Color32,
}

/// The incidents of one shown layer that meet the window and pass the filters.
pub struct VisiblePart {
    /// Index into the app's layers.
    pub layer: usize,
    /// Ascending incident indices.
    pub indices: Vec<u32>,
    pub index: Arc<LayerIndex>,
    /// The window's candidate range in the dataset ([`Dataset::window_candidates`]).
    pub candidates: Range<usize>,
    pub tallies: CellTallies,
}

/// Visible incidents per grid cell, only for cells holding any: what clusters are made of.
#[derive(Default)]
pub struct CellTallies {
    /// Ascending cell ranks.
    pub ranks: Vec<u32>,
    pub counts: Vec<u32>,
    /// Per cell, one weight per [`VisibleSet::sides`] slot: each incident's 1 split between
    /// the sides its marker shows (nothing for an incident no side speaks for).
    pub shares: Vec<f32>,
}

/// Everything the window shows for one date window, filters and set of shown layers.
pub struct VisibleSet {
    pub parts: Vec<VisiblePart>,
    pub sides: Vec<SideSlot>,
    len: usize,
    claims: usize,
    unlocated: usize,
}

impl VisibleSet {
    /// Walks only the window's candidates of each layer: the cost of a frame while the window
    /// slides is the size of the window, not of the data.
    pub fn build(
        layers: &[DatasetLayer],
        shown: &[(usize, Arc<LayerIndex>)],
        pass: &FilterPass,
        window: DateWindow,
    ) -> VisibleSet {
        // Slots first, so every layer's tallies have all of them.
        let mut sides: Vec<SideSlot> = Vec::new();
        let slots_of: Vec<Vec<u32>> = shown
            .iter()
            .map(|(layer, _)| {
                layers[*layer]
                    .loaded
                    .dataset
                    .sides
                    .iter()
                    .map(|s| side_slot(&mut sides, s.id.as_ref(), s.name.as_ref(), s.colour))
                    .collect()
            })
            .collect();
        let mut parts = Vec::with_capacity(shown.len());
        let (mut claims, mut unlocated) = (0, 0);
        for (d, ((layer, index), slot)) in shown.iter().zip(&slots_of).enumerate() {
            let dataset = &layers[*layer].loaded.dataset;
            let passes = pass.of_dataset(d);
            let candidates = dataset.window_candidates(&window);
            let incidents = dataset.incidents();
            let indices: Vec<u32> = candidates
                .clone()
                .filter(|&i| passes.get(i) == Some(&true) && incidents[i].date.meets(&window))
                .map(|i| i as u32)
                .collect();
            claims += indices
                .iter()
                .map(|&i| incidents[i as usize].claims.len())
                .sum::<usize>();
            unlocated += indices
                .iter()
                .filter(|&&i| index.grid.cell_of(i as usize).is_none())
                .count();
            let mut part = VisiblePart {
                layer: *layer,
                tallies: CellTallies::default(),
                indices,
                index: Arc::clone(index),
                candidates,
            };
            part.tallies = tally(&part, slot, sides.len());
            parts.push(part);
        }
        let len = parts.iter().map(|p| p.indices.len()).sum();
        VisibleSet {
            parts,
            sides,
            len,
            claims,
            unlocated,
        }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Claims of the visible incidents, hidden claimants' included (what the status bar counts).
    pub fn claims(&self) -> usize {
        self.claims
    }

    /// Visible incidents with no position on the map.
    pub fn unlocated(&self) -> usize {
        self.unlocated
    }

    /// The `n`th visible incident, layer by layer in date order.
    pub fn get(&self, mut n: usize) -> Option<IncidentRef> {
        for part in &self.parts {
            match part.indices.get(n) {
                Some(&index) => {
                    return Some(IncidentRef {
                        dataset: part.layer,
                        index: index as usize,
                    });
                }
                None => n -= part.indices.len(),
            }
        }
        None
    }

    pub fn iter(&self) -> impl Iterator<Item = IncidentRef> + '_ {
        self.parts.iter().flat_map(|p| {
            p.indices.iter().map(|&index| IncidentRef {
                dataset: p.layer,
                index: index as usize,
            })
        })
    }

    pub fn contains(&self, r: IncidentRef) -> bool {
        self.parts.iter().any(|p| {
            p.layer == r.dataset
                && u32::try_from(r.index).is_ok_and(|i| p.indices.binary_search(&i).is_ok())
        })
    }
}

fn side_slot(sides: &mut Vec<SideSlot>, id: &str, name: &str, rgb: Rgb) -> u32 {
    let index = sides.iter().position(|s| &*s.id == id).unwrap_or_else(|| {
        sides.push(SideSlot {
            id: id.into(),
            name: name.into(),
            colour: colour(rgb),
        });
        sides.len() - 1
    });
    u32::try_from(index).unwrap_or(u32::MAX)
}

/// Counts a part's located incidents per cell, with their side shares; `slot` maps the
/// dataset's sides to [`VisibleSet::sides`].
fn tally(part: &VisiblePart, slot: &[u32], slots: usize) -> CellTallies {
    let grid = &part.index.grid;
    // Cell rank → position in the tallies; one pass, no sort.
    let mut at = vec![u32::MAX; grid.cell_count()];
    let mut touched: Vec<u32> = Vec::new();
    for &i in &part.indices {
        if let Some(rank) = grid.cell_of(i as usize)
            && at[rank as usize] == u32::MAX
        {
            at[rank as usize] = 0;
            touched.push(rank);
        }
    }
    touched.sort_unstable();
    for (n, &rank) in touched.iter().enumerate() {
        at[rank as usize] = n as u32;
    }
    let mut tallies = CellTallies {
        counts: vec![0; touched.len()],
        shares: vec![0.0; touched.len() * slots],
        ranks: touched,
    };
    for &i in &part.indices {
        let Some(rank) = grid.cell_of(i as usize) else {
            continue;
        };
        let n = at[rank as usize] as usize;
        tallies.counts[n] += 1;
        let to_slot = |s: u8| {
            (s != NO_SIDE)
                .then(|| slot.get(usize::from(s)).map(|&s| s as usize))
                .flatten()
        };
        match part.index.tone(i as usize).map(to_slot) {
            [Some(a), Some(b)] => {
                tallies.shares[n * slots + a] += 0.5;
                tallies.shares[n * slots + b] += 0.5;
            }
            [Some(a), None] | [None, Some(a)] => tallies.shares[n * slots + a] += 1.0,
            [None, None] => {}
        }
    }
    tallies
}

/// The filter pass and the slider's density for one (filters, shown layers).
struct Filtered {
    filters: Filters,
    shown: Vec<(LayerId, bool)>,
    pass: FilterPass,
    histogram: Histogram,
    /// The visible set of the last window asked for.
    visible: Option<(DateWindow, Arc<VisibleSet>)>,
}

/// The window's caches (see the module comment).
#[derive(Default)]
pub struct Derived {
    indexes: HashMap<LayerId, Arc<LayerIndex>>,
    filtered: Option<Filtered>,
}

impl Derived {
    /// Brings the filter tier up to date; returns whether it was rebuilt.
    pub fn refresh(&mut self, layers: &[DatasetLayer], filters: &Filters) -> bool {
        let shown: Vec<(LayerId, bool)> = layers.iter().map(|l| (l.id, l.visible)).collect();
        if self
            .filtered
            .as_ref()
            .is_some_and(|f| f.filters == *filters && f.shown == shown)
        {
            return false;
        }
        // Closed layers take their index with them.
        self.indexes
            .retain(|id, _| layers.iter().any(|l| l.id == *id));
        let datasets: Vec<&Dataset> = layers
            .iter()
            .filter(|l| l.visible)
            .map(|l| &l.loaded.dataset)
            .collect();
        let pass = if filters.text.trim().is_empty() {
            FilterPass::new(&datasets, filters)
        } else {
            let indexes: Vec<Arc<LayerIndex>> = layers
                .iter()
                .filter(|l| l.visible)
                .map(|l| self.index(l))
                .collect();
            let search: Vec<&SearchText> = indexes
                .iter()
                .zip(&datasets)
                .map(|(index, dataset)| index.search.get_or_init(|| SearchText::new(dataset)))
                .collect();
            FilterPass::with_search_text(&datasets, filters, &search)
        };
        let spans = DensitySpans::new(&datasets, filters, &pass);
        self.filtered = Some(Filtered {
            filters: filters.clone(),
            shown,
            pass,
            histogram: Histogram::new(spans),
            visible: None,
        });
        true
    }

    fn index(&mut self, layer: &DatasetLayer) -> Arc<LayerIndex> {
        Arc::clone(
            self.indexes
                .entry(layer.id)
                .or_insert_with(|| Arc::new(LayerIndex::new(&layer.loaded.dataset))),
        )
    }

    /// The visible set for `window`; the filter tier must be fresh ([`Derived::refresh`]).
    pub fn visible(&mut self, layers: &[DatasetLayer], window: DateWindow) -> Arc<VisibleSet> {
        let shown: Vec<(usize, Arc<LayerIndex>)> = layers
            .iter()
            .enumerate()
            .filter(|(_, l)| l.visible)
            .map(|(i, l)| (i, self.index(l)))
            .collect();
        let Some(filtered) = self.filtered.as_mut() else {
            return Arc::new(VisibleSet::build(
                layers,
                &shown,
                &FilterPass::default(),
                window,
            ));
        };
        debug_assert_eq!(
            filtered.shown,
            layers.iter().map(|l| (l.id, l.visible)).collect::<Vec<_>>(),
            "refresh before asking for the visible set"
        );
        match &filtered.visible {
            Some((w, set)) if *w == window => Arc::clone(set),
            _ => {
                let set = Arc::new(VisibleSet::build(layers, &shown, &filtered.pass, window));
                filtered.visible = Some((window, Arc::clone(&set)));
                set
            }
        }
    }

    pub fn histogram(&mut self) -> Option<&mut Histogram> {
        self.filtered.as_mut().map(|f| &mut f.histogram)
    }
}
