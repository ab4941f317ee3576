//! What a frame draws — for the window and for exports alike: the [`Scene`] derived from the
//! loaded layers and the user's settings (which incidents pass the filters, the colours their
//! claims give them), its caches ([`derived`]), the map's painting ([`map_view`]), the claims
//! panel's content, the bundled fonts and the tile layers under the map. Below both `app`, which
//! adds widgets, dialogs and I/O, and `export`, which adds decorations and rasterizing; it uses
//! neither.

mod attribution;
pub mod claims_panel;
mod counted;
pub mod derived;
pub mod fonts;
mod histogram;
mod layer;
pub mod layer_index;
pub mod linked;
pub mod map_view;
mod palette;
pub mod settings;
pub mod styling;
pub mod text;
mod tile_layers;
pub mod vector_layer;

pub use claims_panel::{ClaimsPanel, SideAction, SideMenu};
pub use fonts::install as install_fonts;
pub use histogram::Histogram;
pub use layer::{DatasetLayer, IncidentRef, LayerId, LayerKey, visible_layers};
pub use palette::colour;
pub use tile_layers::{
    LayerOptions, MAX_TILE_SIDE, NetworkProbe, NetworkState, TileLayer, check_tile_image,
    disk_cache as tile_cache,
};

use std::sync::Arc;

use egui::Color32;

use crate::gazetteer::{Gazetteer, PlaceId};
use crate::model::{Dataset, DateWindow, Incident};

use derived::{Derived, VisibleSet};
use settings::SceneSettings;

/// The read-only view of everything a frame draws.
pub struct Scene<'a> {
    pub layers: &'a [DatasetLayer],
    pub settings: &'a SceneSettings,
    pub gazetteer: &'a Gazetteer,
    /// Incidents that meet the window and pass the filters, in dataset order (each dataset
    /// sorted by date), with their counts and per-cell tallies; shared with the cache.
    pub visible: Arc<VisibleSet>,
    pub selected: Option<IncidentRef>,
    pub window: DateWindow,
}

impl<'a> Scene<'a> {
    /// The incidents of the visible layers whose dates meet `window` and that pass the filters,
    /// derived afresh: for one-off scenes. The window keeps a [`Derived`] and uses
    /// [`Scene::with_visible`].
    pub fn new(
        layers: &'a [DatasetLayer],
        settings: &'a SceneSettings,
        window: DateWindow,
        gazetteer: &'a Gazetteer,
        selected: Option<IncidentRef>,
    ) -> Scene<'a> {
        let mut derived = Derived::default();
        let merged_away = if settings.merge_linked {
            linked::merged_away(layers, &linked::decisions_beside(layers))
        } else {
            Vec::new()
        };
        derived.refresh(layers, &settings.filters, &merged_away);
        let visible = derived.visible(layers, window, &settings.styling.colour_by);
        Scene::with_visible(layers, settings, window, gazetteer, selected, visible)
    }

    /// A scene over a visible set already derived for these layers, settings and window.
    pub fn with_visible(
        layers: &'a [DatasetLayer],
        settings: &'a SceneSettings,
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
            text::thousands(self.visible.len() as u64),
            text::thousands(self.total() as u64),
            text::thousands(self.visible.claims() as u64)
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
    /// only non-parties speak about; or its class's, when markers are coloured by another field.
    pub fn colours(&self, r: IncidentRef) -> Vec<Color32> {
        if self.settings.styling.colour_by != styling::ColourBy::Side {
            return vec![self.visible.class_colour(r).unwrap_or(Color32::GRAY)];
        }
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
                            .flat_map(|c| c.details.from.iter().chain(&c.details.to)),
                    )
                    .filter_map(|p| p.resolved)
            })
            .collect();
        places.sort();
        places.dedup();
        places
    }
}
