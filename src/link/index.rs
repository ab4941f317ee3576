//! A layer's incidents indexed for linking: precise ones in grid cells of about 11 km, each cell
//! sorted by date; imprecise and unlocated ones in one date-sorted list. A query touches the
//! cells its own radius reaches and, in each, only the dates that can meet.

use std::collections::HashMap;

use geo::Point;

use super::evidence::{LinkOptions, Record};
use crate::gazetteer::Gazetteer;
use crate::model::{Dataset, Day};

/// Grid cell side in degrees: 0.1° is ~11 km of latitude, the scale of a "near" location, so a
/// precise record's neighbours are in its own and the adjacent cells.
const CELL_DEG: f64 = 0.1;
/// Records placed more loosely than this go to the coarse list: in the grid they would have to be
/// looked for in hundreds of cells.
const GRID_MAX_RADIUS_KM: f64 = 10.0;
/// Kilometres per degree of latitude.
const KM_PER_DEG: f64 = 111.32;

/// Record indices sorted by start, with the running latest end so the first that can reach a day
/// is found by binary search (as [`Dataset::window_candidates`] does).
#[derive(Default)]
struct DateRun {
    starts: Vec<Day>,
    end_reach: Vec<Day>,
    records: Vec<u32>,
}

impl DateRun {
    fn from_records(mut records: Vec<u32>, all: &[Record]) -> DateRun {
        records.sort_by_key(|&r| (all[r as usize].start, r));
        let starts = records.iter().map(|&r| all[r as usize].start).collect();
        let end_reach = records
            .iter()
            .scan(Day(i32::MIN), |reach, &r| {
                *reach = (*reach).max(all[r as usize].end);
                Some(*reach)
            })
            .collect();
        DateRun {
            starts,
            end_reach,
            records,
        }
    }

    /// Records whose interval may meet `[from, to]`; the caller still checks each.
    fn candidates(&self, from: Day, to: Day) -> &[u32] {
        let end = self.starts.partition_point(|&s| s <= to);
        let start = self.end_reach[..end].partition_point(|&reach| reach < from);
        &self.records[start..end]
    }
}

/// One dataset's records and the two ways to reach them.
pub(super) struct LayerIndex {
    records: Vec<Record>,
    cells: HashMap<(i32, i32), DateRun>,
    coarse: DateRun,
}

fn cell_of(p: Point<f64>) -> (i32, i32) {
    (
        (p.x() / CELL_DEG).floor() as i32,
        (p.y() / CELL_DEG).floor() as i32,
    )
}

impl LayerIndex {
    pub(super) fn build(dataset: &Dataset, gazetteer: &Gazetteer) -> Self {
        let records: Vec<Record> = dataset
            .incidents()
            .iter()
            .map(|i| Record::of(dataset, i, gazetteer))
            .collect();
        let mut by_cell: HashMap<(i32, i32), Vec<u32>> = HashMap::new();
        let mut coarse = Vec::new();
        for (n, record) in records.iter().enumerate() {
            match record.point {
                Some(p) if record.radius_km <= GRID_MAX_RADIUS_KM => {
                    by_cell.entry(cell_of(p)).or_default().push(n as u32)
                }
                _ => coarse.push(n as u32),
            }
        }
        let cells = by_cell
            .into_iter()
            .map(|(cell, list)| (cell, DateRun::from_records(list, &records)))
            .collect();
        let coarse = DateRun::from_records(coarse, &records);
        LayerIndex {
            records,
            cells,
            coarse,
        }
    }

    pub(super) fn record(&self, n: usize) -> &Record {
        &self.records[n]
    }

    /// Calls `found` with every record whose dates come within the tolerance of `query`'s and
    /// whose location can be within reach of it; the evidence decides the rest.
    pub(super) fn for_each_candidate(
        &self,
        query: &Record,
        options: &LinkOptions,
        mut found: impl FnMut(usize, &Record),
    ) {
        let tolerance = options.max_days as i32;
        let (from, to) = (
            query.start.add_days(-tolerance),
            query.end.add_days(tolerance),
        );
        let mut visit = |list: &[u32]| {
            for &r in list {
                let record = &self.records[r as usize];
                if record.start <= to && record.end >= from {
                    found(r as usize, record);
                }
            }
        };
        visit(self.coarse.candidates(from, to));
        let Some(p) = query.point else {
            return;
        };
        // Everything in the grid is placed within GRID_MAX_RADIUS_KM, so nothing farther than the
        // two radii together can be within reach.
        let reach_km = options.reach_km(query.radius_km + GRID_MAX_RADIUS_KM);
        let lat_cells = (reach_km / KM_PER_DEG / CELL_DEG).ceil() as i32;
        let cos = p.y().to_radians().cos().max(0.01);
        let lon_cells = (reach_km / (KM_PER_DEG * cos) / CELL_DEG).ceil() as i32;
        // A query reaching past the whole grid would walk empty cells: walk the cells instead.
        let (cx, cy) = cell_of(p);
        let span = (2 * lon_cells as i64 + 1) * (2 * lat_cells as i64 + 1);
        if span > self.cells.len() as i64 {
            for (&(x, y), run) in &self.cells {
                if (x - cx).abs() <= lon_cells && (y - cy).abs() <= lat_cells {
                    visit(run.candidates(from, to));
                }
            }
            return;
        }
        for x in cx - lon_cells..=cx + lon_cells {
            for y in cy - lat_cells..=cy + lat_cells {
                if let Some(run) = self.cells.get(&(x, y)) {
                    visit(run.candidates(from, to));
                }
            }
        }
    }
}
