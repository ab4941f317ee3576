//! The sides the user assigned to claimants, over what the files and the claimant registry say.
//!
//! A choice is kept by the claimant's name as the registry matches names (case, accents and
//! punctuation do not matter), so one choice applies to that claimant in every layer, whichever
//! file it came from, and in the files opened later. The side is kept whole (id, name, colour,
//! whether it is a party): a layer that does not have a side of that id gets it. Applying the choices to
//! a dataset sets each claimant's side from the choice, or back to the side the file gave it, so
//! a choice taken back restores the file's side; contested marks, the legend and the claims panel
//! follow, since they all read the claimants' sides.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::registry::match_key;
use super::{Dataset, Rgb, Side, SideId};

/// A side as a choice keeps it.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct ChosenSide {
    pub id: String,
    pub name: String,
    /// `#rrggbb`.
    pub colour: String,
    pub party: bool,
}

impl ChosenSide {
    pub fn of(side: &Side) -> ChosenSide {
        ChosenSide {
            id: side.id.to_string(),
            name: side.name.to_string(),
            colour: side.colour.to_hex(),
            party: side.party,
        }
    }

    fn to_side(&self) -> Side {
        Side {
            id: self.id.as_str().into(),
            name: self.name.as_str().into(),
            colour: Rgb::parse_hex(&self.colour).unwrap_or(Rgb([0x80, 0x80, 0x80])),
            party: self.party,
            extra: None,
        }
    }
}

/// One claimant's assigned side, with the name as the user saw it.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct SideChoice {
    pub claimant: String,
    pub side: ChosenSide,
}

/// The user's side for each claimant they assigned one to, by matched name.
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SideChoices {
    by_name: BTreeMap<String, SideChoice>,
}

impl SideChoices {
    /// Assigns `side` to the claimant named `claimant`.
    pub fn assign(&mut self, claimant: &str, side: &Side) {
        self.by_name.insert(
            match_key(claimant),
            SideChoice {
                claimant: claimant.to_owned(),
                side: ChosenSide::of(side),
            },
        );
    }

    /// Takes back the choice for `claimant`: its files' sides apply again.
    pub fn clear(&mut self, claimant: &str) {
        self.by_name.remove(&match_key(claimant));
    }

    pub fn get(&self, claimant: &str) -> Option<&SideChoice> {
        self.by_name.get(&match_key(claimant))
    }

    pub fn is_empty(&self) -> bool {
        self.by_name.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &SideChoice> {
        self.by_name.values()
    }

    /// Sets each claimant of `dataset` to its chosen side, or to `file_sides` (the sides the
    /// dataset was loaded with, one per claimant); returns whether any side changed.
    pub fn apply(&self, dataset: &mut Dataset, file_sides: &[SideId]) -> bool {
        debug_assert_eq!(file_sides.len(), dataset.claimants.len());
        let mut changed = false;
        for (i, &file_side) in file_sides.iter().enumerate() {
            if i >= dataset.claimants.len() {
                break;
            }
            let target = match self.get(&dataset.claimants[i].name) {
                Some(choice) => side_id(dataset, &choice.side),
                None => file_side,
            };
            if dataset.claimants[i].side != target {
                dataset.claimants[i].side = target;
                changed = true;
            }
        }
        changed
    }
}

/// The dataset's side with the chosen side's id (sides of one id are one side, as the legend and
/// the clusters take them), or the chosen side added.
fn side_id(dataset: &mut Dataset, chosen: &ChosenSide) -> SideId {
    match dataset.sides.iter().position(|s| *s.id == *chosen.id) {
        Some(i) => SideId(i as u32),
        None => {
            dataset.sides.push(chosen.to_side());
            SideId(dataset.sides.len() as u32 - 1)
        }
    }
}
