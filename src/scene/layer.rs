//! The loaded datasets as map layers, and how a frame names an incident of one of them.

use std::sync::atomic::{AtomicU64, Ordering};

use crate::formats::Loaded;
use crate::model::side_choices::SideChoices;
use crate::model::{Dataset, SideId};

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

/// A loaded dataset as a map layer.
pub struct DatasetLayer {
    pub id: LayerId,
    pub loaded: Loaded,
    pub visible: bool,
    /// Each claimant's side as the file gave it, for when the user's choice of side is taken
    /// back (see [`crate::model::side_choices`]).
    file_sides: Vec<SideId>,
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
        DatasetLayer {
            id: fresh_id(),
            loaded,
            visible: true,
            file_sides,
        }
    }

    /// Gives the claimants the user's sides (or their file's); a layer whose sides changed takes
    /// a fresh id, so what was derived from its old sides (marker colours) is derived again.
    pub fn apply_side_choices(&mut self, choices: &SideChoices) -> bool {
        let changed = choices.apply(&mut self.loaded.dataset, &self.file_sides);
        if changed {
            self.id = fresh_id();
        }
        changed
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
