//! What the window shows, derived each frame from the loaded datasets and the user's settings:
//! which incidents pass the filters, and the colours their claims give them.

use egui::Color32;

use crate::formats::Loaded;
use crate::gazetteer::{Gazetteer, PlaceId};
use crate::model::{Dataset, DateWindow, Incident, Rgb};

use super::settings::Settings;

/// An incident of one of the loaded datasets.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub struct IncidentRef {
    pub dataset: usize,
    pub index: usize,
}

/// A loaded dataset as a map layer.
pub struct DatasetLayer {
    pub loaded: Loaded,
    pub visible: bool,
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
    /// Incidents that pass the filters, in dataset order (each dataset sorted by date).
    pub visible: Vec<IncidentRef>,
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
    /// The incidents of the visible layers whose dates meet `window` and that pass the filters.
    pub fn new(
        layers: &'a [DatasetLayer],
        settings: &'a Settings,
        window: DateWindow,
        gazetteer: &'a Gazetteer,
        selected: Option<IncidentRef>,
    ) -> Scene<'a> {
        let (shown, datasets) = visible_layers(layers);
        let visible = crate::view::query::visible(&datasets, &window, &settings.filters)
            .into_iter()
            .map(|(d, index)| IncidentRef {
                dataset: shown[d],
                index,
            })
            .collect();
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
        let claims: usize = self
            .visible
            .iter()
            .map(|r| self.incident(*r).claims.len())
            .sum();
        format!(
            "{} of {} incidents, {claims} claims",
            self.visible.len(),
            self.total()
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

    /// Every place the visible claims name: their labels come first on the map.
    pub fn referenced_places(&self) -> Vec<PlaceId> {
        let mut places: Vec<PlaceId> = self
            .visible
            .iter()
            .flat_map(|r| {
                let incident = self.incident(*r);
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
