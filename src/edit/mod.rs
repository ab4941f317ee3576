//! Changing a dataset by hand: an edit swaps one incident for another (or adds or deletes one)
//! and can be taken back exactly.
//!
//! An [`Edit`] holds the incident as it was and as it becomes, whole, plus the sides and
//! claimants it brought in: applying it and reverting it are the same swap in both directions,
//! so undo and redo never recompute anything and cannot drift. [`IncidentDraft`] is the text a
//! form edits, turned into an edit only when every field reads. Nothing here knows egui.

mod draft;

pub use draft::{ClaimDraft, IncidentDraft, read_date};

use crate::model::{Claimant, Dataset, Incident, Side};

/// One undoable change to one dataset.
#[derive(Clone, Debug)]
pub struct Edit {
    /// What the Edit menu calls it: "Add \"Shelling near Sotk\"".
    pub label: String,
    before: Option<Incident>,
    after: Option<Incident>,
    /// Appended to the dataset's registries when applied, taken off when reverted.
    added_sides: Vec<Side>,
    added_claimants: Vec<Claimant>,
    /// What a load would have warned of in the incident as edited (a place far from the point
    /// picked, an ambiguous name).
    pub warnings: Vec<String>,
}

impl Edit {
    /// Deletes an incident of `dataset`.
    pub fn delete(dataset: &Dataset, incident: &Incident) -> Edit {
        Edit {
            label: format!("Delete \u{201c}{}\u{201d}", dataset.title(incident)),
            before: Some(incident.clone()),
            after: None,
            added_sides: Vec::new(),
            added_claimants: Vec::new(),
            warnings: Vec::new(),
        }
    }

    /// The incident the edit leaves behind, if any.
    pub fn after(&self) -> Option<&Incident> {
        self.after.as_ref()
    }

    /// The incident the edit replaces or deletes, if any.
    pub fn before(&self) -> Option<&Incident> {
        self.before.as_ref()
    }

    /// Makes the change; returns the index the resulting incident took, if one is left.
    pub fn apply(&self, dataset: &mut Dataset) -> Option<usize> {
        swap(
            dataset,
            self.before.as_ref(),
            self.after.as_ref(),
            Registries::Add(&self.added_sides, &self.added_claimants),
        )
    }

    /// Takes the change back; returns the index the incident as it was took, if there was one.
    pub fn revert(&self, dataset: &mut Dataset) -> Option<usize> {
        swap(
            dataset,
            self.after.as_ref(),
            self.before.as_ref(),
            Registries::Remove(self.added_sides.len(), self.added_claimants.len()),
        )
    }
}

enum Registries<'a> {
    Add(&'a [Side], &'a [Claimant]),
    Remove(usize, usize),
}

fn swap(
    dataset: &mut Dataset,
    out: Option<&Incident>,
    put: Option<&Incident>,
    registries: Registries<'_>,
) -> Option<usize> {
    if let Some(out) = out {
        let removed = dataset.remove_incident(out);
        debug_assert!(removed.is_some(), "the incident an edit replaces is there");
    }
    match registries {
        Registries::Add(sides, claimants) => {
            dataset.sides.extend_from_slice(sides);
            dataset.claimants.extend_from_slice(claimants);
        }
        // Edits are undone last first, so what an edit appended is still at the end.
        Registries::Remove(sides, claimants) => {
            dataset.sides.truncate(dataset.sides.len() - sides);
            dataset
                .claimants
                .truncate(dataset.claimants.len() - claimants);
        }
    }
    put.map(|incident| dataset.insert_incident(incident.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::load_reference;
    use crate::gazetteer::Gazetteer;

    #[test]
    fn delete_and_revert_restore_the_dataset() {
        let mut dataset = load_reference(Gazetteer::embedded()).dataset;
        let before: Vec<Incident> = dataset.incidents().to_vec();
        let edit = Edit::delete(&dataset, &dataset.incidents()[3]);
        assert_eq!(edit.apply(&mut dataset), None);
        assert_eq!(dataset.incidents().len(), before.len() - 1);
        assert_eq!(edit.revert(&mut dataset), Some(3));
        assert_eq!(dataset.incidents(), &before[..]);
    }
}
