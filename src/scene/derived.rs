//! What frames derive from the layers, the filters and the date window, kept until one of them
//! changes, so a frame costs what changed rather than what is loaded.
//!
//! Three tiers, each keyed by exactly what it is computed from: per layer, its spatial grid and
//! marker tones (the [`LayerIndex`] its loading thread built, while the layer keeps that id), and
//! its colour classes per field coloured by; per
//! (filters, shown layers), which incidents pass and the slider's density; per date window and
//! field on top of that, the visible set with its counts and per-cell tallies. A tier is dropped with the tier it derives from, so nothing can outlive
//! its inputs.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use egui::Color32;

use crate::model::{Dataset, DateWindow, Rgb};
use crate::timeline::{DensitySpans, LayerSpans};
use crate::view::{FilterPass, Filters};

use super::counted::{Counted, MarkerSlots};
use super::histogram::Histogram;
use super::layer::{DatasetLayer, IncidentRef, LayerId};
use super::palette::colour;
use super::styling::{self, ClassSlot, ColourBy, LayerClasses};

pub use super::counted::CellTallies;
pub use super::layer_index::LayerIndex;
use super::layer_index::tone_slots;

/// A layer's classes for the field markers are coloured by, and the slot of each in
/// [`VisibleSet::slots`].
pub struct PartClasses {
    pub classes: Arc<LayerClasses>,
    pub slot_of: Vec<u32>,
}

/// The incidents of one shown layer that meet the window and pass the filters.
pub struct VisiblePart {
    /// Index into the app's layers.
    pub layer: usize,
    /// Ascending incident indices (shared with the layer's index when its loading thread
    /// counted them).
    pub indices: Arc<Vec<u32>>,
    pub index: Arc<LayerIndex>,
    /// The window's candidate range in the dataset ([`Dataset::window_candidates`]).
    pub candidates: Range<usize>,
    pub tallies: Arc<CellTallies>,
    /// When markers are coloured by a field other than the sides.
    pub classes: Option<PartClasses>,
}

/// Everything the window shows for one date window, filters and set of shown layers.
pub struct VisibleSet {
    pub parts: Vec<VisiblePart>,
    /// What the markers' colours mean: the sides (those of different datasets with the same id
    /// are one), or the classes of the field chosen.
    pub slots: Vec<ClassSlot>,
    /// Visible incidents per slot (split between two sides when contested), located or not.
    pub slot_counts: Vec<f32>,
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
        classes: &[Arc<LayerClasses>],
        pass: &FilterPass,
        window: DateWindow,
    ) -> VisibleSet {
        // Slots first, so every layer's tallies have all of them.
        let mut slots: Vec<ClassSlot> = Vec::new();
        let mut part_classes: Vec<Option<PartClasses>> = Vec::new();
        let slots_of: Vec<Vec<u32>> = if classes.is_empty() {
            let mut ids: Vec<Box<str>> = Vec::new();
            shown
                .iter()
                .map(|(layer, _)| {
                    part_classes.push(None);
                    layers[*layer]
                        .loaded
                        .dataset
                        .sides
                        .iter()
                        .map(|s| {
                            side_slot(
                                &mut slots,
                                &mut ids,
                                s.id.as_ref(),
                                s.name.as_ref(),
                                s.colour,
                            )
                        })
                        .collect()
                })
                .collect()
        } else {
            debug_assert_eq!(classes.len(), shown.len(), "one classing per shown layer");
            let joined: Vec<&LayerClasses> = classes.iter().map(|c| &**c).collect();
            let (class_slots, maps) = styling::join(&joined);
            slots = class_slots;
            for (c, map) in classes.iter().zip(&maps) {
                part_classes.push(Some(PartClasses {
                    classes: Arc::clone(c),
                    slot_of: map.clone(),
                }));
            }
            maps
        };
        let mut slot_counts = vec![0.0f32; slots.len()];
        let mut parts = Vec::with_capacity(shown.len());
        let (mut claims, mut unlocated) = (0, 0);
        for (d, (((layer, index), slot), classes)) in
            shown.iter().zip(&slots_of).zip(part_classes).enumerate()
        {
            let columns = &index.columns;
            debug_assert_eq!(
                columns.len(),
                layers[*layer].loaded.dataset.incidents().len()
            );
            // A window over all of the layer's dates, markers coloured by side, the filters
            // those its loading thread counted for: its counts, their sides given their slots.
            let counted_already = classes
                .is_none()
                .then(|| index.counted_whole(pass, d, &window))
                .flatten()
                .and_then(|whole| whole.remapped(slot, slots.len()));
            let counted = counted_already.unwrap_or_else(|| {
                Counted::new(
                    columns,
                    &index.grid,
                    pass.of_dataset(d),
                    &window,
                    slots.len(),
                    |i| marker_slots(index, classes.as_ref(), i, slot),
                )
            });
            claims += counted.claims;
            unlocated += counted.unlocated;
            for (total, count) in slot_counts.iter_mut().zip(&counted.slot_counts) {
                *total += count;
            }
            parts.push(VisiblePart {
                layer: *layer,
                indices: counted.indices,
                index: Arc::clone(index),
                candidates: columns.window_candidates(&window),
                tallies: counted.tallies,
                classes,
            });
        }
        let len = parts.iter().map(|p| p.indices.len()).sum();
        VisibleSet {
            parts,
            slots,
            slot_counts,
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

    /// Every `step`th visible incident from the first (as `iter().step_by(step)`), with its
    /// layer's index, reaching each without walking those between: what framing samples.
    pub fn every(&self, step: usize) -> impl Iterator<Item = (&LayerIndex, usize)> + '_ {
        (0..self.len).step_by(step.max(1)).filter_map(|mut n| {
            for part in &self.parts {
                match part.indices.get(n) {
                    Some(&i) => return Some((&*part.index, i as usize)),
                    None => n -= part.indices.len(),
                }
            }
            None
        })
    }

    pub fn iter(&self) -> impl Iterator<Item = IncidentRef> + '_ {
        self.parts.iter().flat_map(|p| {
            p.indices.iter().map(|&index| IncidentRef {
                dataset: p.layer,
                index: index as usize,
            })
        })
    }

    /// The colour of a visible incident's class, when markers are coloured by a field other
    /// than the sides.
    pub fn class_colour(&self, r: IncidentRef) -> Option<Color32> {
        let part = self.parts.iter().find(|p| p.layer == r.dataset)?;
        let classes = part.classes.as_ref()?;
        let slot = classes.slot_of.get(classes.classes.of(r.index))?;
        self.slots.get(*slot as usize).map(|s| s.colour)
    }

    pub fn contains(&self, r: IncidentRef) -> bool {
        self.parts.iter().any(|p| {
            p.layer == r.dataset
                && u32::try_from(r.index).is_ok_and(|i| p.indices.binary_search(&i).is_ok())
        })
    }
}

fn side_slot(
    slots: &mut Vec<ClassSlot>,
    ids: &mut Vec<Box<str>>,
    id: &str,
    name: &str,
    rgb: Rgb,
) -> u32 {
    let index = ids.iter().position(|s| &**s == id).unwrap_or_else(|| {
        ids.push(id.into());
        slots.push(ClassSlot {
            name: name.into(),
            colour: colour(rgb),
        });
        slots.len() - 1
    });
    u32::try_from(index).unwrap_or(u32::MAX)
}

/// The slots incident `index`'s marker shows, with their weights (1 in all): its class's, or
/// its sides' (`side_slot` maps the dataset's sides to slots).
fn marker_slots(
    layer: &LayerIndex,
    classes: Option<&PartClasses>,
    index: usize,
    side_slot: &[u32],
) -> MarkerSlots {
    match classes {
        Some(c) => [
            c.slot_of
                .get(c.classes.of(index))
                .map(|&s| (s as usize, 1.0)),
            None,
        ],
        None => tone_slots(layer.tone(index), side_slot),
    }
}

/// The filter pass and the slider's density for one (filters, shown layers).
struct Filtered {
    filters: Filters,
    shown: Vec<(LayerId, bool)>,
    merged_away: Vec<(LayerId, usize)>,
    pass: FilterPass,
    histogram: Histogram,
    /// The visible set of the last window and colouring asked for.
    visible: Option<(DateWindow, ColourBy, Arc<VisibleSet>)>,
}

/// The window's caches (see the module comment).
#[derive(Default)]
pub struct Derived {
    indexes: HashMap<LayerId, Arc<LayerIndex>>,
    /// Per layer and field, its incidents' colour classes (the sides' colours are the index's).
    classes: HashMap<(LayerId, ColourBy), Arc<LayerClasses>>,
    filtered: Option<Filtered>,
}

impl Derived {
    /// Brings the filter tier up to date; returns whether it was rebuilt. `merged_away`: records
    /// that stand down for the one they were confirmed to be (see [`super::linked`]).
    pub fn refresh(
        &mut self,
        layers: &[DatasetLayer],
        filters: &Filters,
        merged_away: &[(LayerId, usize)],
    ) -> bool {
        let shown: Vec<(LayerId, bool)> = layers.iter().map(|l| (l.id, l.visible)).collect();
        if self.filtered.as_ref().is_some_and(|f| {
            f.filters == *filters && f.shown == shown && f.merged_away == merged_away
        }) {
            return false;
        }
        // Closed layers take their index with them.
        self.indexes
            .retain(|id, _| layers.iter().any(|l| l.id == *id));
        self.classes
            .retain(|(id, _), _| layers.iter().any(|l| l.id == *id));
        // Per shown layer, its filter pass and density spans: those its loading thread derived
        // for these filters when it has them (and no record of it stands down for another),
        // else derived here.
        let mut passes: Vec<Arc<FilterPass>> = Vec::new();
        let mut layer_spans: Vec<(&Dataset, Arc<LayerSpans>)> = Vec::new();
        for layer in layers.iter().filter(|l| l.visible) {
            let index = self.index(layer);
            let dataset = &layer.loaded.dataset;
            let away: Vec<usize> = merged_away
                .iter()
                .filter(|(id, _)| *id == layer.id)
                .map(|&(_, i)| i)
                .collect();
            let (pass, spans) = match index.filtered(filters).filter(|_| away.is_empty()) {
                Some(built) => (Arc::clone(&built.pass), Arc::clone(&built.spans)),
                None => {
                    let mut pass = index.filter_pass(dataset, filters);
                    for i in away {
                        pass.exclude(0, i);
                    }
                    let spans =
                        LayerSpans::new(dataset, &index.columns, filters, pass.of_dataset(0));
                    (Arc::new(pass), Arc::new(spans))
                }
            };
            passes.push(pass);
            layer_spans.push((dataset, spans));
        }
        let pass = FilterPass::join(&passes.iter().map(|p| &**p).collect::<Vec<_>>());
        let spans = DensitySpans::join(&layer_spans);
        self.filtered = Some(Filtered {
            filters: filters.clone(),
            shown,
            merged_away: merged_away.to_vec(),
            pass,
            histogram: Histogram::new(spans),
            visible: None,
        });
        true
    }

    /// The layer's index: the one its loading thread built when it is still the layer's
    /// ([`DatasetLayer::index`]), else built here, once per [`LayerId`].
    fn index(&mut self, layer: &DatasetLayer) -> Arc<LayerIndex> {
        Arc::clone(self.indexes.entry(layer.id).or_insert_with(|| {
            layer
                .index()
                .cloned()
                .unwrap_or_else(|| Arc::new(LayerIndex::new(&layer.loaded.dataset)))
        }))
    }

    /// A layer's classes for `by`, classed the first time they are asked for.
    fn classes(&mut self, layer: &DatasetLayer, by: &ColourBy) -> Arc<LayerClasses> {
        Arc::clone(
            self.classes
                .entry((layer.id, by.clone()))
                .or_insert_with(|| {
                    Arc::new(styling::classify(
                        &layer.loaded.dataset,
                        by,
                        &super::text::layer_name(layer),
                    ))
                }),
        )
    }

    /// The visible set for `window`, its markers coloured `by` a field; the filter tier must be
    /// fresh ([`Derived::refresh`]).
    pub fn visible(
        &mut self,
        layers: &[DatasetLayer],
        window: DateWindow,
        by: &ColourBy,
    ) -> Arc<VisibleSet> {
        let shown: Vec<(usize, Arc<LayerIndex>)> = layers
            .iter()
            .enumerate()
            .filter(|(_, l)| l.visible)
            .map(|(i, l)| (i, self.index(l)))
            .collect();
        let classes: Vec<Arc<LayerClasses>> = if *by == ColourBy::Side {
            Vec::new()
        } else {
            layers
                .iter()
                .filter(|l| l.visible)
                .map(|l| self.classes(l, by))
                .collect()
        };
        let Some(filtered) = self.filtered.as_mut() else {
            return Arc::new(VisibleSet::build(
                layers,
                &shown,
                &classes,
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
            Some((w, b, set)) if *w == window && b == by => Arc::clone(set),
            _ => {
                let set = Arc::new(VisibleSet::build(
                    layers,
                    &shown,
                    &classes,
                    &filtered.pass,
                    window,
                ));
                filtered.visible = Some((window, by.clone(), Arc::clone(&set)));
                set
            }
        }
    }

    pub fn histogram(&mut self) -> Option<&mut Histogram> {
        self.filtered.as_mut().map(|f| &mut f.histogram)
    }
}
