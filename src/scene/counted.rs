//! One layer's share of what the window shows: its incidents that meet a date window and pass
//! the filters, counted (their claims, those without a position, the weight of each colour
//! slot) and tallied per grid cell. [`super::derived::VisibleSet`] joins one per shown layer; a
//! loading thread counts a layer's whole range once ([`super::layer_index`]), since that is the
//! window a load opens on and counting it walks every incident.

use std::sync::Arc;

use crate::model::DateWindow;
use crate::view::{IncidentColumns, SpatialGrid};

/// Visible incidents per grid cell, only for cells holding any: what clusters are made of.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CellTallies {
    /// Ascending cell ranks.
    pub ranks: Vec<u32>,
    pub counts: Vec<u32>,
    /// Per cell, one weight per colour slot: each incident's 1 split between the sides its
    /// marker shows (nothing for an incident no side speaks for), or all of it to its class.
    pub shares: Vec<f32>,
}

/// The slots an incident's marker shows, with their weights: at most two.
pub type MarkerSlots = [Option<(usize, f32)>; 2];

/// A layer's incidents in one window, counted.
#[derive(Clone, Debug, PartialEq)]
pub struct Counted {
    /// Ascending incident indices; shared with the layer's index when counted there.
    pub indices: Arc<Vec<u32>>,
    /// Their claims, hidden claimants' included (what the status bar counts).
    pub claims: usize,
    /// Those with no position on the map.
    pub unlocated: usize,
    /// Per colour slot, the weight of their markers.
    pub slot_counts: Vec<f32>,
    /// Shared with the layer's index when counted there.
    pub tallies: Arc<CellTallies>,
}

impl Counted {
    /// Counts the incidents of `columns` that meet `window` and pass (`passes`: the layer's
    /// filter pass), their markers showing `slots_of(incident)` of `slots` colour slots.
    pub fn new(
        columns: &IncidentColumns,
        grid: &SpatialGrid,
        passes: &[bool],
        window: &DateWindow,
        slots: usize,
        slots_of: impl Fn(usize) -> MarkerSlots,
    ) -> Counted {
        let indices: Vec<u32> = columns
            .in_window(window)
            .filter(|&i| passes.get(i) == Some(&true))
            .map(|i| i as u32)
            .collect();
        let claims = columns.claims_of(indices.iter().map(|&i| i as usize));
        let unlocated = indices
            .iter()
            .filter(|&&i| grid.cell_of(i as usize).is_none())
            .count();
        let mut slot_counts = vec![0.0f32; slots];
        for &i in &indices {
            for (s, weight) in slots_of(i as usize).into_iter().flatten() {
                slot_counts[s] += weight;
            }
        }
        let tallies = Arc::new(tally(grid, &indices, slots, &slots_of));
        Counted {
            indices: Arc::new(indices),
            claims,
            unlocated,
            slot_counts,
            tallies,
        }
    }

    /// The same counts with slot `s` moved to slot `map[s]` of `slots`: what counting with the
    /// slots mapped gives, since each slot's weights are added in the same order. `None` when two
    /// slots would fall into one (their sums would then be added in another order) or a slot
    /// has no place.
    pub fn remapped(&self, map: &[u32], slots: usize) -> Option<Counted> {
        let from = self.slot_counts.len();
        if map.len() != from || map.iter().any(|&s| s as usize >= slots) {
            return None;
        }
        if slots == from && map.iter().enumerate().all(|(s, &to)| s == to as usize) {
            // Each slot stays where it is: shared as they are.
            return Some(self.clone());
        }
        let mut taken = vec![false; slots];
        for &s in map {
            if std::mem::replace(&mut taken[s as usize], true) {
                return None;
            }
        }
        let mut slot_counts = vec![0.0f32; slots];
        for (s, &count) in self.slot_counts.iter().enumerate() {
            slot_counts[map[s] as usize] = count;
        }
        let cells = self.tallies.ranks.len();
        let mut shares = vec![0.0f32; cells * slots];
        for n in 0..cells {
            for (s, &share) in self.tallies.shares[n * from..(n + 1) * from]
                .iter()
                .enumerate()
            {
                shares[n * slots + map[s] as usize] = share;
            }
        }
        Some(Counted {
            indices: Arc::clone(&self.indices),
            claims: self.claims,
            unlocated: self.unlocated,
            slot_counts,
            tallies: Arc::new(CellTallies {
                ranks: self.tallies.ranks.clone(),
                counts: self.tallies.counts.clone(),
                shares,
            }),
        })
    }
}

/// Counts the located incidents of `indices` per cell, with their slots' shares.
fn tally(
    grid: &SpatialGrid,
    indices: &[u32],
    slots: usize,
    slots_of: &impl Fn(usize) -> MarkerSlots,
) -> CellTallies {
    // Cell rank → position in the tallies; one pass, no sort.
    let mut at = vec![u32::MAX; grid.cell_count()];
    let mut touched: Vec<u32> = Vec::new();
    for &i in indices {
        if let Some(rank) = grid.cell_of(i as usize)
            && at[rank as usize] == u32::MAX
        {
            at[rank as usize] = 0;
            touched.push(rank);
        }
    }
    touched.sort_unstable();
    for (n, &rank) in touched.iter().enumerate() {
        at[rank as usize] = n as u32;
    }
    let mut tallies = CellTallies {
        counts: vec![0; touched.len()],
        shares: vec![0.0; touched.len() * slots],
        ranks: touched,
    };
    for &i in indices {
        let Some(rank) = grid.cell_of(i as usize) else {
            continue;
        };
        let n = at[rank as usize] as usize;
        tallies.counts[n] += 1;
        for (s, weight) in slots_of(i as usize).into_iter().flatten() {
            tallies.shares[n * slots + s] += weight;
        }
    }
    tallies
}
