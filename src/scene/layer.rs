//! The loaded datasets as map layers, and how a frame names an incident of one of them.

use std::sync::atomic::{AtomicU64, Ordering};

use crate::formats::Loaded;
use crate::model::Dataset;

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

/// The layers shown, as (layer indices, datasets), for the queries that take dataset slices.
pub fn visible_layers(layers: &[DatasetLayer]) -> (Vec<usize>, Vec<&Dataset>) {
    layers
        .iter()
        .enumerate()
        .filter(|(_, l)| l.visible)
        .map(|(i, l)| (i, &l.loaded.dataset))
        .unzip()
}
