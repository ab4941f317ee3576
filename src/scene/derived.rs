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
use std::time::{Duration, Instant};

use egui::Color32;

use crate::model::{Dataset, DateWindow, Rgb};
use crate::timeline::{DensitySpans, LayerSpans};
use crate::view::{FilterPass, Filters};

use super::counted::{Counted, MarkerSlots};
use super::histogram::Histogram;
use super::layer::{DatasetLayer, IncidentRef, LayerId};
use super::palette::colour;
use super::styling::{self, ClassSlot, ColourBy, ColumnClassing, LayerClasses};

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
    /// The visible set of the last window and colouring asked for, with the classings finished
    /// when it was made ([`Derived::classed`]).
    visible: Option<(DateWindow, ColourBy, u64, Arc<VisibleSet>)>,
}

/// The window's caches (see the module comment).
#[derive(Default)]
pub struct Derived {
    indexes: HashMap<LayerId, Arc<LayerIndex>>,
    /// Per layer and field, its incidents' colour classes (the sides' colours are the index's).
    classes: HashMap<(LayerId, ColourBy), Arc<LayerClasses>>,
    /// Classings by a column under way, a stretch of rows a frame.
    classing: HashMap<(LayerId, ColourBy), ColumnClassing>,
    /// How long a frame may read a column's values for; `None`: every row at once (a one-off
    /// scene, an export).
    classing_budget: Option<Duration>,
    /// Counts the classings finished, so a visible set drawn while one was under way is drawn
    /// again once it is done.
    classed: u64,
    filtered: Option<Filtered>,
}

/// What a frame of the window may spend reading a column's values: the frame is late by that
/// much, and the map moves on while ten million rows take seconds.
const CLASSING_FRAME_BUDGET: Duration = Duration::from_millis(30);

/// Rows a frame reads at once before it looks at the clock: a few milliseconds' worth.
const CLASSING_STRETCH_ROWS: usize = 16_384;

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
        self.classing
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

    /// The caches of the window: a column's values are read a stretch a frame (see
    /// [`Derived::classing`]), where a one-off scene reads them all at once.
    pub fn for_window() -> Derived {
        Derived::reading_for(CLASSING_FRAME_BUDGET)
    }

    /// Caches that read a column's values for `budget` a frame (a stretch at least).
    fn reading_for(budget: Duration) -> Derived {
        Derived {
            classing_budget: Some(budget),
            ..Derived::default()
        }
    }

    /// A layer's classes for `by`, classed the first time they are asked for; `None` while a
    /// column's values are still being read.
    fn classes(&mut self, layer: &DatasetLayer, by: &ColourBy) -> Option<Arc<LayerClasses>> {
        let key = (layer.id, by.clone());
        if let Some(classes) = self.classes.get(&key) {
            return Some(Arc::clone(classes));
        }
        let dataset = &layer.loaded.dataset;
        let classes = match (by, self.classing_budget) {
            (ColourBy::Column(name), Some(budget)) => {
                let started = Instant::now();
                let classing = self
                    .classing
                    .entry(key.clone())
                    .or_insert_with(|| ColumnClassing::new(dataset, name));
                // A stretch at least, however slow the frame was before it.
                loop {
                    classing.read(dataset, CLASSING_STRETCH_ROWS);
                    if classing.is_read() || started.elapsed() >= budget {
                        break;
                    }
                }
                if !classing.is_read() {
                    return None;
                }
                self.classed += 1;
                self.classing.remove(&key)?.finish()
            }
            _ => styling::classify(dataset, by, &super::text::layer_name(layer)),
        };
        let classes = Arc::new(classes);
        self.classes.insert(key, Arc::clone(&classes));
        Some(classes)
    }

    /// The classing by a column under way, if one is: the field and the share of rows read
    /// (the least of the layers'). The window draws frames until it is done.
    pub fn classing(&self) -> Option<(&ColourBy, f32)> {
        let (by, progress) = self
            .classing
            .iter()
            .map(|((_, by), classing)| (by, classing.progress()))
            .min_by(|a, b| a.1.total_cmp(&b.1))?;
        Some((by, progress))
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
        // A classing by another field, or of a layer hidden, is dropped (asked for again, it
        // starts again): the window draws frames while one is under way.
        self.classing
            .retain(|(id, b), _| b == by && layers.iter().any(|l| l.visible && l.id == *id));
        // A layer still being classed has its incidents in one class that says so.
        let classes: Vec<Arc<LayerClasses>> = if *by == ColourBy::Side {
            Vec::new()
        } else {
            layers
                .iter()
                .filter(|l| l.visible)
                .map(|l| {
                    self.classes(l, by).unwrap_or_else(|| {
                        Arc::new(LayerClasses::not_yet(l.loaded.dataset.incidents().len()))
                    })
                })
                .collect()
        };
        let classed = self.classed;
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
            Some((w, b, c, set)) if *w == window && b == by && *c == classed => Arc::clone(set),
            _ => {
                let set = Arc::new(VisibleSet::build(
                    layers,
                    &shown,
                    &classes,
                    &filtered.pass,
                    window,
                ));
                filtered.visible = Some((window, by.clone(), classed, Arc::clone(&set)));
                set
            }
        }
    }

    pub fn histogram(&mut self) -> Option<&mut Histogram> {
        self.filtered.as_mut().map(|f| &mut f.histogram)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gazetteer::Gazetteer;

    /// The window reads a column's values a stretch a frame: until they are all read its
    /// markers are in one class that says so, and the frame after, in the classes a one-off
    /// scene finds at once; a classing by a field no longer asked for is dropped.
    #[test]
    fn the_window_classes_by_a_column_a_stretch_a_frame() {
        let rows = CLASSING_STRETCH_ROWS + 4_000;
        let mut bytes = Vec::new();
        crate::bench::acled_file::write_acled(&mut bytes, rows, 12).expect("generate");
        let loaded =
            crate::formats::load_bytes(&bytes, "acled.csv", Gazetteer::embedded()).expect("load");
        let mut layers = vec![DatasetLayer::new(loaded)];
        let (from, to) = crate::view::query::extent(&[&layers[0].loaded.dataset]).expect("dates");
        let window = DateWindow { from, to };
        let by = ColourBy::Column("admin1".into());
        let mut at_once = Derived::default();
        at_once.refresh(&layers, &Filters::default(), &[]);
        let classed = at_once.visible(&layers, window, &by);
        assert!(at_once.classing().is_none());
        assert!(classed.slots.len() > 3, "{:?}", classed.slots);

        let mut window_caches = Derived::reading_for(Duration::ZERO);
        window_caches.refresh(&layers, &Filters::default(), &[]);
        let first = window_caches.visible(&layers, window, &by);
        let names: Vec<&str> = first.slots.iter().map(|s| &*s.name).collect();
        assert_eq!(names, [styling::NOT_CLASSED_YET]);
        assert_eq!(first.slot_counts, [classed.len() as f32]);
        let (classing, read) = window_caches.classing().expect("under way");
        assert_eq!(*classing, by);
        assert_eq!(read, CLASSING_STRETCH_ROWS as f32 / rows as f32);

        // Another field asked for in between drops it, as does hiding the layer; asked for
        // again, it starts again.
        window_caches.visible(&layers, window, &ColourBy::Category);
        assert!(window_caches.classing().is_none());
        window_caches.visible(&layers, window, &by);
        assert!(window_caches.classing().is_some());
        layers[0].visible = false;
        window_caches.refresh(&layers, &Filters::default(), &[]);
        window_caches.visible(&layers, window, &by);
        assert!(
            window_caches.classing().is_none(),
            "a hidden layer is not classed"
        );
        layers[0].visible = true;
        window_caches.refresh(&layers, &Filters::default(), &[]);
        window_caches.visible(&layers, window, &by);
        let second = window_caches.visible(&layers, window, &by);
        assert!(window_caches.classing().is_none(), "done");
        assert_eq!(second.slots, classed.slots);
        assert_eq!(second.slot_counts, classed.slot_counts);
        assert!(Arc::ptr_eq(
            &second,
            &window_caches.visible(&layers, window, &by)
        ));
    }
}
