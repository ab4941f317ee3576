//! What the window shows, derived each frame from the loaded datasets and the user's settings:
//! which incidents pass the filters, and the colours their claims give them.

use egui::Color32;

use crate::formats::Loaded;
use crate::gazetteer::{Gazetteer, PlaceId};
use crate::model::{Claim, Dataset, Incident, Rgb};

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
}

impl<'a> Scene<'a> {
    pub fn new(
        layers: &'a [DatasetLayer],
        settings: &'a Settings,
        gazetteer: &'a Gazetteer,
        selected: Option<IncidentRef>,
    ) -> Scene<'a> {
        let mut visible = Vec::new();
        for (d, layer) in layers.iter().enumerate() {
            if !layer.visible {
                continue;
            }
            let dataset = &layer.loaded.dataset;
            for (index, incident) in dataset.incidents().iter().enumerate() {
                if incident
                    .claims
                    .iter()
                    .any(|c| claim_visible(dataset, c, settings))
                {
                    visible.push(IncidentRef { dataset: d, index });
                }
            }
        }
        Scene {
            layers,
            settings,
            gazetteer,
            visible,
            selected,
        }
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

/// A claim is shown unless its claimant or its claimant's side is switched off.
pub fn claim_visible(dataset: &Dataset, claim: &Claim, settings: &Settings) -> bool {
    let claimant = dataset.claimant(claim.claimant);
    !settings.hidden_claimants.contains(&*claimant.id)
        && !settings
            .hidden_sides
            .contains(&*dataset.side(claimant.side).id)
}
