//! The document the window shows and edits: the open layers, the selection, and the history of
//! edits with how much of it each layer's file holds. The panels borrow it for a frame and ask
//! for changes afterwards; nothing here draws.
//!
//! Every change of the layer list or of a layer's incidents goes through here, so the
//! selection, the stack being paged through and the undo history always name incidents that
//! exist (`debug_assert!`ed after each change).

use std::path::{Path, PathBuf};

use crate::edit::Edit;
use crate::formats::Loaded;
use crate::fxhash::FxMap;
use crate::model::Format;
use crate::model::side_choices::SideChoices;
use crate::scene::{DatasetLayer, IncidentRef, LayerKey};

/// One edit in the history, and the revisions of its layer before and after it.
struct Step {
    layer: LayerKey,
    edit: Edit,
    before: u64,
    after: u64,
}

/// Which revision of a layer is shown and which one its file holds: equal when nothing is
/// unsaved, including after undoing back to the save.
#[derive(Copy, Clone, Default)]
struct Revisions {
    shown: u64,
    saved: u64,
}

/// Why a layer cannot be saved where it came from.
#[derive(Clone, Debug, PartialEq)]
pub enum SaveTarget {
    /// Its own native file.
    InPlace(PathBuf),
    /// An imported file (never written) or the embedded dataset: a new native file is needed.
    NeedsNewFile,
}

#[derive(Default)]
pub struct Document {
    layers: Vec<DatasetLayer>,
    selected: Option<IncidentRef>,
    /// The stack the selection was opened from (a click on stacked markers): the claims panel
    /// pages through it. Dropped when the selection leaves it.
    stack: Option<Vec<IncidentRef>>,
    done: Vec<Step>,
    undone: Vec<Step>,
    revisions: FxMap<LayerKey, Revisions>,
    /// Revisions are numbered across layers, so an undone step's number is never reused.
    last_revision: u64,
}

impl Document {
    pub fn new(loaded: Vec<Loaded>) -> Document {
        Document {
            layers: loaded.into_iter().map(DatasetLayer::new).collect(),
            ..Document::default()
        }
    }

    pub fn layers(&self) -> &[DatasetLayer] {
        &self.layers
    }

    /// For what changes how a layer is shown, never its incidents (visibility, side choices).
    pub fn layers_mut(&mut self) -> &mut [DatasetLayer] {
        &mut self.layers
    }

    pub fn index_of(&self, key: LayerKey) -> Option<usize> {
        self.layers.iter().position(|l| l.key == key)
    }

    pub fn selected(&self) -> Option<IncidentRef> {
        self.selected
    }

    pub fn stack(&self) -> Option<&[IncidentRef]> {
        self.stack.as_deref()
    }

    /// Selects an incident; the stack being paged through is kept only if it holds it.
    pub fn select(&mut self, incident: Option<IncidentRef>) {
        debug_assert!(incident.is_none_or(|r| self.is_valid(&r)));
        self.selected = incident;
        if !incident.is_some_and(|r| self.stack.as_ref().is_some_and(|s| s.contains(&r))) {
            self.stack = None;
        }
    }

    /// The incidents of a stack the user opened, to page through.
    pub fn set_stack(&mut self, stack: Vec<IncidentRef>) {
        debug_assert!(stack.iter().all(|r| self.is_valid(r)));
        self.stack = Some(stack);
    }

    /// Adds a layer at the end; returns its index.
    pub fn push(&mut self, layer: DatasetLayer) -> usize {
        self.layers.push(layer);
        self.layers.len() - 1
    }

    /// Removes a layer, its history and what of the selection was in it.
    pub fn remove(&mut self, index: usize) -> Option<DatasetLayer> {
        if index >= self.layers.len() {
            return None;
        }
        let layer = self.layers.remove(index);
        self.done.retain(|s| s.layer != layer.key);
        self.undone.retain(|s| s.layer != layer.key);
        self.revisions.remove(&layer.key);
        let moved = |r: IncidentRef| match r.dataset.cmp(&index) {
            std::cmp::Ordering::Less => Some(r),
            std::cmp::Ordering::Equal => None,
            std::cmp::Ordering::Greater => Some(IncidentRef {
                dataset: r.dataset - 1,
                index: r.index,
            }),
        };
        self.selected = self.selected.and_then(moved);
        self.stack = self.stack.take().and_then(|stack| {
            let stack: Vec<IncidentRef> = stack.into_iter().filter_map(moved).collect();
            (!stack.is_empty() && self.selected.is_some()).then_some(stack)
        });
        debug_assert!(self.references_are_valid());
        Some(layer)
    }

    /// Gives every layer's claimants their assigned sides; whether any changed.
    pub fn apply_side_choices(&mut self, choices: &SideChoices) -> bool {
        let mut changed = false;
        for layer in &mut self.layers {
            changed |= layer.apply_side_choices(choices);
        }
        changed
    }

    /// Makes an edit to a layer, forgets what was undone, and selects what the edit leaves.
    pub fn apply(&mut self, index: usize, edit: Edit) {
        let Some(layer) = self.layers.get_mut(index) else {
            return;
        };
        let at = layer.edit(|dataset| edit.apply(dataset));
        self.last_revision += 1;
        let revisions = self.revisions.entry(layer.key).or_default();
        self.done.push(Step {
            layer: layer.key,
            edit,
            before: revisions.shown,
            after: self.last_revision,
        });
        revisions.shown = self.last_revision;
        self.undone.clear();
        self.after_edit(index, at);
    }

    /// Takes back the last edit; returns what it was called.
    pub fn undo(&mut self) -> Option<String> {
        let step = self.done.pop()?;
        let index = self.index_of(step.layer)?;
        let at = self.layers[index].edit(|dataset| step.edit.revert(dataset));
        self.revisions.entry(step.layer).or_default().shown = step.before;
        let label = step.edit.label.clone();
        self.undone.push(step);
        self.after_edit(index, at);
        Some(label)
    }

    /// Makes again the last edit undone; returns what it was called.
    pub fn redo(&mut self) -> Option<String> {
        let step = self.undone.pop()?;
        let index = self.index_of(step.layer)?;
        let at = self.layers[index].edit(|dataset| step.edit.apply(dataset));
        self.revisions.entry(step.layer).or_default().shown = step.after;
        let label = step.edit.label.clone();
        self.done.push(step);
        self.after_edit(index, at);
        Some(label)
    }

    /// What Edit ▸ Undo would take back.
    pub fn undo_label(&self) -> Option<&str> {
        self.done.last().map(|s| s.edit.label.as_str())
    }

    pub fn redo_label(&self) -> Option<&str> {
        self.undone.last().map(|s| s.edit.label.as_str())
    }

    /// An edit moves incidents within its layer (they are kept in date order): what pointed into
    /// it now points at the incident the edit left, or nowhere.
    fn after_edit(&mut self, index: usize, at: Option<usize>) {
        if self.stack.iter().flatten().any(|r| r.dataset == index) {
            self.stack = None;
        }
        let target = at.map(|at| IncidentRef {
            dataset: index,
            index: at,
        });
        if self.selected.is_some_and(|r| r.dataset == index) || target.is_some() {
            self.selected = target;
            self.stack = None;
        }
        debug_assert!(self.references_are_valid());
    }

    /// Whether the layer has edits its file does not hold.
    pub fn is_unsaved(&self, index: usize) -> bool {
        self.layers.get(index).is_some_and(|l| {
            self.revisions
                .get(&l.key)
                .is_some_and(|r| r.shown != r.saved)
        })
    }

    /// The layers with unsaved edits.
    pub fn unsaved(&self) -> Vec<usize> {
        (0..self.layers.len())
            .filter(|&i| self.is_unsaved(i))
            .collect()
    }

    /// Where Save writes a layer.
    pub fn save_target(&self, index: usize) -> SaveTarget {
        let dataset = &self.layers[index].loaded.dataset;
        let path = &dataset.provenance.path;
        let in_window = path.starts_with("embedded:") || path == crate::model::UNTITLED_PATH;
        if dataset.provenance.format == Format::Claimmap && !in_window {
            SaveTarget::InPlace(PathBuf::from(path))
        } else {
            SaveTarget::NeedsNewFile
        }
    }

    /// Writes a layer to `path` in the native format, atomically; from then on the layer is
    /// that file. Refuses to write over a file an open layer was imported from.
    pub fn save(&mut self, index: usize, path: &Path) -> Result<String, String> {
        if let Some(other) = self.layers.iter().find(|l| {
            l.loaded.dataset.provenance.format != Format::Claimmap
                && Path::new(&l.loaded.dataset.provenance.path) == path
        }) {
            return Err(format!(
                "{}: this is the {} file a layer was imported from; claimmap never writes imported files — choose a new .geojson file",
                path.display(),
                other
                    .loaded
                    .dataset
                    .provenance
                    .format
                    .as_str()
                    .to_uppercase()
            ));
        }
        let layer = self
            .layers
            .get_mut(index)
            .ok_or_else(|| "no such layer".to_owned())?;
        let provenance = crate::formats::save_edited(&layer.loaded.dataset, path)
            .map_err(|e| format!("cannot save {}: {e}", path.display()))?;
        let incidents = layer.loaded.dataset.incidents().len();
        layer.loaded.report.path = provenance.path.clone();
        layer.loaded.report.format = Format::Claimmap;
        layer.loaded.dataset.provenance = provenance;
        let revisions = self.revisions.entry(layer.key).or_default();
        revisions.saved = revisions.shown;
        Ok(format!("Saved {incidents} incidents to {}", path.display()))
    }

    fn is_valid(&self, r: &IncidentRef) -> bool {
        self.layers
            .get(r.dataset)
            .is_some_and(|l| r.index < l.loaded.dataset.incidents().len())
    }

    /// Every incident the document holds on to names a loaded layer and one of its incidents,
    /// and every step of the history names an open layer.
    pub fn references_are_valid(&self) -> bool {
        self.selected.iter().all(|r| self.is_valid(r))
            && self.stack.iter().flatten().all(|r| self.is_valid(r))
            && self
                .done
                .iter()
                .chain(&self.undone)
                .all(|s| self.index_of(s.layer).is_some())
    }
}
