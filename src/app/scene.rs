//! What the window shows, derived each frame from the loaded datasets and the user's settings:
//! which incidents pass the filters, and the colours their claims give them.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use egui::Color32;

use crate::formats::Loaded;
use crate::gazetteer::{Gazetteer, PlaceId};
use crate::model::{Dataset, DateWindow, Incident, Rgb};

use super::derived::{Derived, VisibleSet};
use super::settings::Settings;

/// An incident of one of the loaded datasets.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub struct IncidentRef {
    pub dataset: usize,
    pub index: usize,
}

/// Names one loaded layer for as long as the window runs, so caches keyed by it can never mix up
/// a closed layer with the one opened after it.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub struct LayerId(u64);

/// A loaded dataset as a map layer.
pub struct DatasetLayer {
    pub id: LayerId,
    pub loaded: Loaded,
    pub visible: bool,
}

impl DatasetLayer {
    /// A shown layer with a fresh id.
    pub fn new(loaded: Loaded) -> DatasetLayer {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        DatasetLayer {
            id: LayerId(NEXT.fetch_add(1, Ordering::Relaxed)),
            loaded,
            visible: true,
        }
    }
}

pub fn colour(rgb: Rgb) -> Color32 {
    let [r, g, b] = rgb.0;
    Color32::from_rgb(r, g, b)
}

/// The read-only view of everything a frame draws.
pub struct Scene<'a> {
    pub layers: &'a [DatasetLayer],
    pub settings: &'a Settings,
    pub gazetteer: &'a Gazetteer,
    /// Incidents that meet the window and pass the filters, in dataset order (each dataset
    /// sorted by date), with their counts and per-cell tallies; shared with the cache.
    pub visible: Arc<VisibleSet>,
    pub selected: Option<IncidentRef>,
    pub window: DateWindow,
}

/// The layers shown, as (layer indices, datasets), for the queries that take dataset slices.
pub fn visible_layers(layers: &[DatasetLayer]) -> (Vec<usize>, Vec<&Dataset>) {
    layers
        .iter()
        .enumerate()
        .filter(|(_, l)| l.visible)
        .map(|(i, l)| (i, &l.loaded.dataset))
        .unzip()
}

impl<'a> Scene<'a> {
    /// The incidents of the visible layers whose dates meet `window` and that pass the filters,
    /// derived afresh: for one-off scenes. The window keeps a [`Derived`] and uses
    /// [`Scene::with_visible`].
    pub fn new(
        layers: &'a [DatasetLayer],
        settings: &'a Settings,
        window: DateWindow,
        gazetteer: &'a Gazetteer,
        selected: Option<IncidentRef>,
    ) -> Scene<'a> {
        let mut derived = Derived::default();
        derived.refresh(layers, &settings.filters);
        let visible = derived.visible(layers, window);
        Scene::with_visible(layers, settings, window, gazetteer, selected, visible)
    }

    /// A scene over a visible set already derived for these layers, settings and window.
    pub fn with_visible(
        layers: &'a [DatasetLayer],
        settings: &'a Settings,
        window: DateWindow,
        gazetteer: &'a Gazetteer,
        selected: Option<IncidentRef>,
        visible: Arc<VisibleSet>,
    ) -> Scene<'a> {
        Scene {
            layers,
            settings,
            gazetteer,
            visible,
            selected,
            window,
        }
    }

    /// "N of M incidents, K claims" for the status bar.
    pub fn counts(&self) -> String {
        format!(
            "{} of {} incidents, {} claims",
            self.visible.len(),
            self.total(),
            self.visible.claims()
        )
    }

    pub fn dataset(&self, r: IncidentRef) -> &'a Dataset {
        &self.layers[r.dataset].loaded.dataset
    }

    pub fn incident(&self, r: IncidentRef) -> &'a Incident {
        &self.dataset(r).incidents()[r.index]
    }

    pub fn total(&self) -> usize {
        self.layers
            .iter()
            .map(|l| l.loaded.dataset.incidents().len())
            .sum()
    }

    /// The marker colours: one per party side, or the first visible claimant's for incidents
    /// only non-parties speak about.
    pub fn colours(&self, r: IncidentRef) -> Vec<Color32> {
        let dataset = self.dataset(r);
        let incident = self.incident(r);
        let sides = dataset.party_sides(incident);
        if sides.is_empty() {
            incident
                .claims
                .first()
                .map(|c| colour(dataset.claimant_colour(c.claimant)))
                .into_iter()
                .collect()
        } else {
            sides
                .iter()
                .map(|s| colour(dataset.side(*s).colour))
                .collect()
        }
    }

    /// The file's own words for the location of each given incident that names a place the
    /// gazetteer could not resolve (or not near the incident's coordinates): such a row is still
    /// labelled, with the name its file gives, at its marker.
    pub fn unresolved_location_names<P>(
        &self,
        incidents: impl Iterator<Item = (IncidentRef, P)>,
    ) -> Vec<(P, &str)> {
        incidents
            .filter_map(|(r, at)| {
                let place = self.incident(r).location.place.as_ref()?;
                if place.resolved.is_some() {
                    return None;
                }
                let text = self.dataset(r).text(place.text);
                (!text.trim().is_empty()).then_some((at, text))
            })
            .collect()
    }

    /// Every place the given incidents' claims name (the map passes those it draws), sorted:
    /// their labels come first on the map.
    pub fn referenced_places(&self, incidents: impl Iterator<Item = IncidentRef>) -> Vec<PlaceId> {
        let mut places: Vec<PlaceId> = incidents
            .flat_map(|r| {
                let incident = self.incident(r);
                incident
                    .location
                    .place
                    .iter()
                    .chain(
                        incident
                            .claims
                            .iter()
                            .flat_map(|c| c.from.iter().chain(&c.to)),
                    )
                    .filter_map(|p| p.resolved)
            })
            .collect();
        places.sort();
        places.dedup();
        places
    }
}
