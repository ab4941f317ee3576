//! A fixed Web Mercator grid over one dataset's incident positions, so a viewport query touches
//! only the incidents in (or next to) the viewport, however many the dataset holds.
//!
//! Cells are the world split into `2^GRID_LEVEL` × `2^GRID_LEVEL` squares (a zoom-16 tile each,
//! about 600 m at the border), stored sparsely: only occupied cells, sorted row by row, each
//! listing its incidents in dataset order (by start date). Two consequences the callers rely on:
//! the occupied cells of one row that fall in a viewport are a contiguous run (one binary search
//! per row), and the members of a cell that can meet a date window are a contiguous run too
//! ([`Dataset::window_candidates`] is an index range). A cell of a coarser power-of-two grid is an
//! exact union of these cells, which is what lets the map cluster by cell without error.

use std::ops::Range;

use crate::basemap::World;
use crate::model::Dataset;

use super::columns::IncidentColumns;

/// Cells per world side are `2^GRID_LEVEL`: fine enough that a cell is under 5 px up to zoom 10,
/// where clustering stops being needed, and coarse enough that the region has few enough cells
/// to walk every frame (about 250,000 at most over the Armenia–Azerbaijan border).
pub const GRID_LEVEL: u32 = 16;
const CELLS_PER_SIDE: u32 = 1 << GRID_LEVEL;
/// Marks an incident that has no position, and so no cell.
const NO_CELL: u32 = u32::MAX;

/// A rectangle of the world, both edges included.
#[derive(Copy, Clone, PartialEq, Debug)]
pub struct WorldRect {
    pub min: World,
    pub max: World,
}

impl WorldRect {
    pub fn contains(&self, w: World) -> bool {
        self.min.x <= w.x && w.x <= self.max.x && self.min.y <= w.y && w.y <= self.max.y
    }
}

/// Column and row of a grid cell.
#[derive(Copy, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct Cell {
    pub x: u32,
    pub y: u32,
}

impl Cell {
    /// The cell a world position falls in; positions off the world are clamped to its edge
    /// (and NaN to the corner), which [`Cell::inside`] treats as never wholly inside anything.
    pub fn of(w: World) -> Cell {
        let scale = f64::from(CELLS_PER_SIDE);
        let clamp = |v: f64| (v * scale).floor().clamp(0.0, scale - 1.0) as u32;
        Cell {
            x: clamp(w.x),
            y: clamp(w.y),
        }
    }

    /// Sorting by key sorts row by row.
    fn key(self) -> u64 {
        (u64::from(self.y) << 32) | u64::from(self.x)
    }

    fn from_key(key: u64) -> Cell {
        Cell {
            x: (key & 0xffff_ffff) as u32,
            y: (key >> 32) as u32,
        }
    }

    /// Whether every position this cell holds is inside `rect`. Exact: a cell's positions lie in
    /// `[x / 2^L, (x + 1) / 2^L)`, and dividing by a power of two rounds nothing. Edge cells may
    /// hold clamped positions from off the world, so they never count as inside.
    fn inside(self, rect: &WorldRect) -> bool {
        let scale = f64::from(CELLS_PER_SIDE);
        let interior = |v: u32| v > 0 && v < CELLS_PER_SIDE - 1;
        interior(self.x)
            && interior(self.y)
            && rect.min.x <= f64::from(self.x) / scale
            && f64::from(self.x + 1) / scale <= rect.max.x
            && rect.min.y <= f64::from(self.y) / scale
            && f64::from(self.y + 1) / scale <= rect.max.y
    }
}

/// The occupied cells of one dataset and the incidents in each.
#[derive(Clone, Debug, Default)]
pub struct SpatialGrid {
    /// Occupied cells by key, ascending: row by row, west to east.
    keys: Vec<u64>,
    /// Cell `c`'s members are `members[starts[c]..starts[c + 1]]`.
    starts: Vec<u32>,
    /// Incident indices, cell by cell, ascending within a cell.
    members: Vec<u32>,
    /// The mean position of each cell's incidents: where a cluster of them is drawn.
    centres: Vec<World>,
    /// Per incident, its cell's rank in `keys`, or [`NO_CELL`].
    cell_of: Vec<u32>,
}

/// The world position an incident is drawn at, if it has one.
pub fn position(dataset: &Dataset, index: usize) -> Option<World> {
    let point = dataset.incidents().get(index)?.point()?;
    Some(World::from_lon_lat(point.x(), point.y()))
}

/// Fewer incidents than this are put in cells on one thread: starting threads would cost more.
const PARALLEL_MIN_INCIDENTS: usize = 1 << 16;

/// The entries of `runs` (each sorted by cell and index) in that order, as one sort of them all
/// would give them. Runs are few (one a core): the next entry is the least of their heads.
fn merged(runs: Vec<Vec<(u64, u32, World)>>) -> impl Iterator<Item = (u64, u32, World)> {
    let mut runs: Vec<std::iter::Peekable<std::vec::IntoIter<(u64, u32, World)>>> = runs
        .into_iter()
        .map(|run| run.into_iter().peekable())
        .collect();
    std::iter::from_fn(move || {
        let next = runs
            .iter_mut()
            .enumerate()
            .filter_map(|(r, run)| run.peek().map(|&(key, index, _)| ((key, index), r)))
            .min()?
            .1;
        runs[next].next()
    })
}

impl SpatialGrid {
    /// Indexes every located incident: a sort by cell, once per dataset.
    pub fn new(dataset: &Dataset) -> SpatialGrid {
        SpatialGrid::of_positions(dataset.incidents().len(), |i| position(dataset, i))
    }

    /// [`SpatialGrid::new`] from the dataset's columns, which hold the points without the rows
    /// around them.
    pub fn of_columns(columns: &IncidentColumns) -> SpatialGrid {
        SpatialGrid::of_positions(columns.len(), |i| {
            columns.point(i).map(|p| World::from_lon_lat(p.x(), p.y()))
        })
    }

    /// `position(i)` for each of `count` incidents.
    fn of_positions(count: usize, position: impl Fn(usize) -> Option<World> + Sync) -> SpatialGrid {
        let threads = crate::parallel::threads_for(count, PARALLEL_MIN_INCIDENTS);
        SpatialGrid::of_positions_on(count, threads, position)
    }

    /// [`SpatialGrid::of_positions`] on `threads` threads.
    fn of_positions_on(
        count: usize,
        threads: usize,
        position: impl Fn(usize) -> Option<World> + Sync,
    ) -> SpatialGrid {
        debug_assert!(u32::try_from(count).is_ok(), "incident indices fit in u32");
        // Each thread keys and sorts a run of the incidents, by cell and then by index, so
        // members stay in date order within a cell; the runs are merged as the cells are filled.
        // Sorting ten million on one thread took a second.
        let per_thread = count.div_ceil(threads.max(1)).max(1);
        let runs: Vec<std::ops::Range<usize>> = (0..count)
            .step_by(per_thread)
            .map(|from| from..(from + per_thread).min(count))
            .collect();
        let sorted: Vec<Vec<(u64, u32, World)>> =
            crate::parallel::map(runs, threads, |_, run: std::ops::Range<usize>| {
                let mut located = Vec::with_capacity(run.len());
                located.extend(run.filter_map(|i| {
                    let w = position(i)?;
                    Some((Cell::of(w).key(), i as u32, w))
                }));
                located.sort_unstable_by_key(|&(key, index, _)| (key, index));
                located
            })
            .into_iter()
            .map(|done| crate::parallel::raised(done, "placing incidents in cells"))
            .collect();
        let located_count = sorted.iter().map(Vec::len).sum();
        let mut grid = SpatialGrid {
            cell_of: vec![NO_CELL; count],
            members: Vec::with_capacity(located_count),
            ..SpatialGrid::default()
        };
        let mut sum = (0.0, 0.0);
        for (n, (key, index, w)) in merged(sorted).enumerate() {
            if grid.keys.last() != Some(&key) {
                grid.close_cell(sum);
                sum = (0.0, 0.0);
                grid.keys.push(key);
                grid.starts.push(n as u32);
            }
            sum = (sum.0 + w.x, sum.1 + w.y);
            grid.cell_of[index as usize] = (grid.keys.len() - 1) as u32;
            grid.members.push(index);
        }
        grid.close_cell(sum);
        grid.starts.push(grid.members.len() as u32);
        debug_assert_eq!(grid.starts.len(), grid.keys.len() + 1);
        debug_assert_eq!(grid.centres.len(), grid.keys.len());
        grid
    }

    /// Records the centre of the cell just filled, if any.
    fn close_cell(&mut self, sum: (f64, f64)) {
        if let Some(&start) = self.starts.last() {
            let n = f64::from(self.members.len() as u32 - start);
            self.centres.push(World {
                x: sum.0 / n,
                y: sum.1 / n,
            });
        }
    }

    /// How many cells hold at least one incident.
    pub fn cell_count(&self) -> usize {
        self.keys.len()
    }

    /// The rank of the cell incident `index` is in, if it has a position.
    pub fn cell_of(&self, index: usize) -> Option<u32> {
        self.cell_of.get(index).copied().filter(|&c| c != NO_CELL)
    }

    pub fn cell(&self, rank: u32) -> Cell {
        Cell::from_key(self.keys[rank as usize])
    }

    pub fn centre(&self, rank: u32) -> World {
        self.centres[rank as usize]
    }

    /// The cell's incidents, ascending.
    pub fn members(&self, rank: u32) -> &[u32] {
        let r = rank as usize;
        &self.members[self.starts[r] as usize..self.starts[r + 1] as usize]
    }

    /// The cell's incidents whose indices are in `range` (a date window's candidates).
    pub fn members_in(&self, rank: u32, range: &Range<usize>) -> &[u32] {
        let members = self.members(rank);
        let a = members.partition_point(|&i| (i as usize) < range.start);
        let b = members.partition_point(|&i| (i as usize) < range.end);
        &members[a..b.max(a)]
    }

    /// Calls `visit(position in ranks, rank)` for each cell of `ranks` that may hold positions in
    /// `rect`. `ranks` must be ascending (all cells, or a subset such as the cells holding
    /// visible incidents); each row of the rectangle costs one binary search.
    pub fn visit_cells(
        &self,
        ranks: CellSet<'_>,
        rect: &WorldRect,
        mut visit: impl FnMut(usize, u32),
    ) {
        let (Some(&first), Some(&last)) = (self.keys.first(), self.keys.last()) else {
            return;
        };
        let (low, high) = (Cell::of(rect.min), Cell::of(rect.max));
        // Rows without occupied cells cost nothing: start and stop at the occupied ones.
        let rows = low.y.max(Cell::from_key(first).y)..=high.y.min(Cell::from_key(last).y);
        if rows.is_empty() {
            return;
        }
        let key_at = |p: usize| self.keys[ranks.rank(p) as usize];
        let len = ranks.len(self.keys.len());
        // The cells from the first row's west edge to the last row's east edge, in key order.
        let band_start = first_not(0, len, |p| {
            key_at(p)
                < Cell {
                    x: low.x,
                    y: *rows.start(),
                }
                .key()
        });
        let band_end = first_not(band_start, len, |p| {
            key_at(p)
                <= Cell {
                    x: high.x,
                    y: *rows.end(),
                }
                .key()
        });
        let band = band_end - band_start;
        // A binary search per row costs about log2(band) scattered reads; walking the band costs
        // one read per cell, in order. At country zoom a screen is a thousand rows of cells and
        // the band a few thousand: the walk is the cheaper.
        let searches = rows.clone().count() * (usize::BITS - band.leading_zeros()) as usize;
        if band <= searches {
            for p in band_start..band_end {
                let x = Cell::from_key(key_at(p)).x;
                if low.x <= x && x <= high.x {
                    visit(p, ranks.rank(p));
                }
            }
            return;
        }
        let mut from = band_start;
        for y in rows {
            let row_start = Cell { x: low.x, y }.key();
            let row_end = Cell { x: high.x, y }.key();
            from = first_not(from, len, |p| key_at(p) < row_start);
            let mut p = from;
            while p < len && key_at(p) <= row_end {
                visit(p, ranks.rank(p));
                p += 1;
            }
            from = p;
        }
    }

    /// The incidents with indices in `candidates` whose position is in `rect` and that `keep`
    /// accepts, cell by cell (so not in index order).
    pub fn query(
        &self,
        dataset: &Dataset,
        rect: &WorldRect,
        candidates: &Range<usize>,
        mut keep: impl FnMut(usize) -> bool,
        out: &mut Vec<usize>,
    ) {
        self.visit_cells(CellSet::All, rect, |_, rank| {
            let inside = self.cell(rank).inside(rect);
            for &i in self.members_in(rank, candidates) {
                let i = i as usize;
                let placed = inside || position(dataset, i).is_some_and(|w| rect.contains(w));
                if placed && keep(i) {
                    out.push(i);
                }
            }
        });
    }
}

/// Which cells [`SpatialGrid::visit_cells`] walks: all of them, or an ascending subset of ranks.
#[derive(Copy, Clone, Debug)]
pub enum CellSet<'a> {
    All,
    Ranks(&'a [u32]),
}

impl CellSet<'_> {
    fn rank(&self, p: usize) -> u32 {
        match self {
            CellSet::All => p as u32,
            CellSet::Ranks(ranks) => ranks[p],
        }
    }

    fn len(&self, all: usize) -> usize {
        match self {
            CellSet::All => all,
            CellSet::Ranks(ranks) => ranks.len(),
        }
    }
}

/// The first position in `low..high` where `before` stops holding (it holds on a prefix).
fn first_not(mut low: usize, mut high: usize, before: impl Fn(usize) -> bool) -> usize {
    while low < high {
        let mid = low + (high - low) / 2;
        if before(mid) {
            low = mid + 1;
        } else {
            high = mid;
        }
    }
    low
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Incidents put in cells on several threads are in the cells, in the order and with the
    /// centres one thread gives: many to a cell, some without a position, more threads than
    /// incidents.
    #[test]
    fn threads_give_the_grid_of_one() {
        let count = 5_000;
        // A few hundred points over the region, most cells holding several, one in seven
        // without a position.
        let position = |i: usize| {
            (!i.is_multiple_of(7)).then(|| {
                let lon = 44.0 + ((i * 37) % 400) as f64 * 0.01;
                let lat = 39.0 + ((i * 53) % 300) as f64 * 0.01;
                World::from_lon_lat(lon, lat)
            })
        };
        let one = format!("{:?}", SpatialGrid::of_positions_on(count, 1, position));
        for threads in [2, 3, 8, 6_000] {
            let grid = SpatialGrid::of_positions_on(count, threads, position);
            assert_eq!(format!("{grid:?}"), one, "{threads} threads");
        }
        let grid = SpatialGrid::of_positions_on(count, 2, position);
        assert!(grid.cell_count() > 10 && grid.cell_count() < count / 4);
    }
}
