//! The loaded datasets as map layers, and how a frame names an incident of one of them.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::formats::Loaded;
use crate::model::side_choices::SideChoices;
use crate::model::{Dataset, SideId};
use crate::view::Filters;

use super::layer_index::LayerIndex;

/// An incident of one of the loaded datasets.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub struct IncidentRef {
    pub dataset: usize,
    pub index: usize,
}

/// Names one loaded layer for as long as the window runs, so caches keyed by it can never mix up
/// a closed layer with the one opened after it.
#[derive(Copy, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct LayerId(u64);

/// Names one open layer from when it is opened to when it is closed, across the fresh
/// [`LayerId`]s its edits and side changes give it: what the edit history and the dialogs
/// about a layer hold on to.
#[derive(Copy, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct LayerKey(u64);

/// A loaded dataset as a map layer.
pub struct DatasetLayer {
    /// Changes whenever what is derived from the layer must be derived again.
    pub id: LayerId,
    pub key: LayerKey,
    pub loaded: Loaded,
    pub visible: bool,
    /// Each claimant's side as the file gave it, for when the user's choice of side is taken
    /// back (see [`crate::model::side_choices`]).
    file_sides: Vec<SideId>,
    /// The index built for the layer as it was at [`LayerId`] `.0` (by the loading thread), which
    /// the window's caches take instead of building their own; dropped when the id changes.
    index: Option<(LayerId, Arc<LayerIndex>)>,
}

/// Ids are never reused while the window runs.
fn fresh_id() -> LayerId {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    LayerId(NEXT.fetch_add(1, Ordering::Relaxed))
}

impl DatasetLayer {
    /// A shown layer with a fresh id.
    pub fn new(loaded: Loaded) -> DatasetLayer {
        let file_sides = loaded.dataset.claimants.iter().map(|c| c.side).collect();
        let id = fresh_id();
        DatasetLayer {
            id,
            key: LayerKey(id.0),
            loaded,
            visible: true,
            file_sides,
            index: None,
        }
    }

    /// Builds the layer's index (its incidents' columns, spatial grid and marker tones, and the
    /// filter pass and density spans of `filters`) now, for its current id: a loading thread
    /// calls this with the window's filters, so that the first frame after a load costs what
    /// any other frame does.
    pub fn build_index(&mut self, filters: &Filters) {
        self.index = Some((
            self.id,
            Arc::new(LayerIndex::with_filters(&self.loaded.dataset, filters)),
        ));
    }

    /// The index [`DatasetLayer::build_index`] built, unless the layer changed since.
    pub fn index(&self) -> Option<&Arc<LayerIndex>> {
        self.index
            .as_ref()
            .filter(|(id, _)| *id == self.id)
            .map(|(_, index)| index)
    }

    /// A fresh id, and the index built for the old one let go: what is derived from the layer is
    /// derived again.
    fn renew(&mut self) {
        self.id = fresh_id();
        self.index = None;
    }

    /// Gives the claimants the user's sides (or their file's); a layer whose sides changed takes
    /// a fresh id, so what was derived from its old sides (marker colours) is derived again.
    pub fn apply_side_choices(&mut self, choices: &SideChoices) -> bool {
        let changed = choices.apply(&mut self.loaded.dataset, &self.file_sides);
        if changed {
            self.renew();
        }
        changed
    }

    /// Lets `change` edit the dataset, then derives again what depends on it: the layer takes a
    /// fresh id, and claimants the edit added keep their side as the edit gave it.
    pub fn edit<T>(&mut self, change: impl FnOnce(&mut Dataset) -> T) -> T {
        let out = change(&mut self.loaded.dataset);
        let claimants = &self.loaded.dataset.claimants;
        self.file_sides.truncate(claimants.len());
        for claimant in &claimants[self.file_sides.len()..] {
            self.file_sides.push(claimant.side);
        }
        self.renew();
        out
    }
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
