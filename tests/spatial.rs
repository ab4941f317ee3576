//! The spatial grid and the window's caches: indexed viewport queries give exactly the incidents
//! a plain scan finds, on random datasets, windows and viewports; the cached visible set equals
//! the plain query and is rebuilt when the filters, the window or the shown layers change.

mod common;

use common::builders;

use std::sync::Arc;

use claimmap::Category;
use claimmap::Claim;
use claimmap::ClaimantId;
use claimmap::Dataset;
use claimmap::DateInterval;
use claimmap::DatePrecision;
use claimmap::DateWindow;
use claimmap::Day;
use claimmap::Filters;
use claimmap::Format;
use claimmap::Incident;
use claimmap::LoadReport;
use claimmap::Loaded;
use claimmap::Location;
use claimmap::LocationPrecision;
use claimmap::Placement;
use claimmap::testing::Cell;
use claimmap::testing::CellSet;
use claimmap::testing::DatasetLayer;
use claimmap::testing::Derived;
use claimmap::testing::SpatialGrid;
use claimmap::testing::World;
use claimmap::testing::WorldRect;
use claimmap::testing::position;
use claimmap::testing::query;
use proptest::prelude::*;

/// `(start day, length, lon, lat, located, claimant)` per incident.
type Spec = (i32, i32, f64, f64, bool, u8);

fn dataset(specs: &[Spec]) -> Dataset {
    let incidents = specs
        .iter()
        .enumerate()
        .map(|(n, &(start, len, lon, lat, located, who))| {
            let date = DateInterval::new(Day(start), Day(start + len), DatePrecision::Range)
                .expect("non-negative length");
            let mut incident = Incident::new(
                format!("i{n}").into(),
                "t",
                Category::ExchangeOfFire,
                date,
                None,
                Location::at(None, LocationPrecision::Exact),
                vec![Claim::quoting(ClaimantId(u32::from(who % 2)), "q")],
            );
            if located {
                incident.placement = Placement::Geometry(geo::Point::new(lon, lat));
            }
            incident
        })
        .collect();
    builders::dataset(builders::two_parties(), incidents, "memory")
}

fn layer(dataset: Dataset) -> DatasetLayer {
    DatasetLayer::new(Loaded {
        dataset,
        report: LoadReport::new("memory", Format::Claimmap),
    })
}

fn rect(lon: (f64, f64), lat: (f64, f64)) -> WorldRect {
    // North is smaller y.
    let a = World::from_lon_lat(lon.0.min(lon.1), lat.0.max(lat.1));
    let b = World::from_lon_lat(lon.0.max(lon.1), lat.0.min(lat.1));
    WorldRect { min: a, max: b }
}

fn spec() -> impl Strategy<Value = Spec> {
    (
        0i32..400,
        prop_oneof![Just(0i32), 0i32..40],
        // Tight clumps (many per cell) and spread positions; a few off the region.
        prop_oneof![45.0f64..45.02, 44.0f64..48.0, -200.0f64..200.0],
        prop_oneof![40.0f64..40.02, 38.0f64..42.0],
        prop::bool::weighted(0.9),
        any::<u8>(),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn grid_query_equals_a_plain_scan(
        specs in prop::collection::vec(spec(), 0..300),
        from in -10i32..420,
        length in prop_oneof![0i32..31, 0i32..500],
        lon in (44.0f64..48.0, 44.0f64..48.0),
        lat in (38.0f64..42.0, 38.0f64..42.0),
        exact_edge in any::<bool>(),
    ) {
        let dataset = dataset(&specs);
        let grid = SpatialGrid::new(&dataset);
        let window = DateWindow { from: Day(from), to: Day(from + length) };
        let mut view = rect(lon, lat);
        if exact_edge && let Some(w) = (0..dataset.incidents().len()).find_map(|i| position(&dataset, i)) {
            // An incident exactly on the edge is in: both edges are included.
            view.max = World { x: w.x, y: view.max.y.max(w.y) };
            view.min = World { x: view.min.x.min(w.x), y: view.min.y.min(w.y) };
        }
        let incidents = dataset.incidents();
        let scan: Vec<usize> = (0..incidents.len())
            .filter(|&i| incidents[i].date.meets(&window))
            .filter(|&i| position(&dataset, i).is_some_and(|w| view.contains(w)))
            .collect();
        let mut found = Vec::new();
        grid.query(&dataset, &view, &dataset.window_candidates(&window), |i| incidents[i].date.meets(&window), &mut found);
        found.sort_unstable();
        prop_assert_eq!(&found, &scan);
        // Every located incident is in exactly one cell, in index order there.
        let mut members: Vec<u32> = (0..grid.cell_count() as u32).flat_map(|c| grid.members(c).to_vec()).collect();
        prop_assert!((0..grid.cell_count() as u32).all(|c| grid.members(c).is_sorted()));
        members.sort_unstable();
        let located: Vec<u32> = (0..incidents.len() as u32).filter(|&i| incidents[i as usize].point().is_some()).collect();
        prop_assert_eq!(members, located);
    }

    /// Both walks of the cells (a binary search per row of a small view, one pass over the
    /// band of rows of a wide one) visit exactly the cells between the view's corners, in order.
    #[test]
    fn the_cells_visited_are_those_between_the_views_corners(
        specs in prop::collection::vec(spec(), 0..300),
        lon in prop_oneof![(44.0f64..48.0, 44.0f64..48.0), (45.0f64..45.02, 45.0f64..45.02)],
        lat in prop_oneof![(38.0f64..42.0, 38.0f64..42.0), (40.0f64..40.02, 40.0f64..40.02)],
        every in 1usize..4,
    ) {
        let dataset = dataset(&specs);
        let grid = SpatialGrid::new(&dataset);
        let view = rect(lon, lat);
        let (low, high) = (Cell::of(view.min), Cell::of(view.max));
        let between = |rank: u32| {
            let c = grid.cell(rank);
            (low.x..=high.x).contains(&c.x) && (low.y..=high.y).contains(&c.y)
        };
        let subset: Vec<u32> = (0..grid.cell_count() as u32).step_by(every).collect();
        let mut visited = Vec::new();
        grid.visit_cells(CellSet::Ranks(&subset), &view, |at, rank| visited.push((at, rank)));
        let expected: Vec<(usize, u32)> = subset.iter().copied().enumerate().filter(|&(_, r)| between(r)).collect();
        prop_assert_eq!(visited, expected);
        let mut all = Vec::new();
        grid.visit_cells(CellSet::All, &view, |at, rank| all.push((at, rank)));
        let expected: Vec<(usize, u32)> = (0..grid.cell_count() as u32).filter(|&r| between(r)).map(|r| (r as usize, r)).collect();
        prop_assert_eq!(all, expected);
    }

    #[test]
    fn the_cached_visible_set_equals_the_plain_query_and_its_tallies_add_up(
        specs in prop::collection::vec(spec(), 0..200),
        more in prop::collection::vec(spec(), 0..50),
        from in -10i32..420,
        length in 0i32..200,
        hide_az in any::<bool>(),
        hide_second in any::<bool>(),
        lon in (44.0f64..48.0, 44.0f64..48.0),
        lat in (38.0f64..42.0, 38.0f64..42.0),
    ) {
        let mut layers = vec![layer(dataset(&specs)), layer(dataset(&more))];
        layers[1].visible = !hide_second;
        let mut filters = Filters::default();
        if hide_az {
            filters.hidden_sides.insert("az".into());
        }
        let window = DateWindow { from: Day(from), to: Day(from + length) };
        let mut derived = Derived::default();
        derived.refresh(&layers, &filters, &[]);
        let visible = derived.visible(&layers, window, &claimmap::ColourBy::Side);
        let shown: Vec<usize> = (0..layers.len()).filter(|&i| layers[i].visible).collect();
        let datasets: Vec<&Dataset> = shown.iter().map(|&i| &layers[i].loaded.dataset).collect();
        let plain: Vec<(usize, usize)> = query::visible(&datasets, &window, &filters)
            .into_iter()
            .map(|(d, i)| (shown[d], i))
            .collect();
        let cached: Vec<(usize, usize)> = visible.iter().map(|r| (r.dataset, r.index)).collect();
        prop_assert_eq!(&cached, &plain);
        prop_assert_eq!(visible.len(), plain.len());
        for (n, &(d, i)) in plain.iter().enumerate() {
            let r = visible.get(n).expect("in range");
            prop_assert_eq!((r.dataset, r.index), (d, i));
            prop_assert!(visible.contains(r));
        }
        // Per part: the tallies of the cells meeting a view add up to at least the visible
        // incidents in it, and over all cells to exactly the located visible incidents.
        let view = rect(lon, lat);
        for part in &visible.parts {
            let dataset = &layers[part.layer].loaded.dataset;
            let located = part.indices.iter().filter(|&&i| position(dataset, i as usize).is_some()).count();
            prop_assert_eq!(part.tallies.counts.iter().map(|&c| c as usize).sum::<usize>(), located);
            let mut near = 0;
            part.index.grid.visit_cells(CellSet::Ranks(&part.tallies.ranks), &view, |at, _| near += part.tallies.counts[at] as usize);
            let exact = part.indices.iter().filter(|&&i| position(dataset, i as usize).is_some_and(|w| view.contains(w))).count();
            prop_assert!(near >= exact, "{near} < {exact}");
            let shares: f32 = part.tallies.shares.iter().sum();
            prop_assert!((shares - located as f32).abs() < 1e-3 * located.max(1) as f32);
        }
    }
}

fn spread(n: usize) -> Vec<Spec> {
    (0..n)
        .map(|i| {
            (
                i as i32 % 100,
                0,
                45.0 + (i % 17) as f64 * 0.01,
                40.0,
                true,
                i as u8,
            )
        })
        .collect()
}

#[test]
fn the_visible_set_is_kept_until_what_it_derives_from_changes() {
    let mut layers = vec![layer(dataset(&spread(100))), layer(dataset(&spread(30)))];
    let all = DateWindow {
        from: Day(0),
        to: Day(100),
    };
    let mut filters = Filters::default();
    let mut derived = Derived::default();
    assert!(derived.refresh(&layers, &filters, &[]), "first build");
    let first = derived.visible(&layers, all, &claimmap::ColourBy::Side);
    assert_eq!(first.len(), 130);
    // Nothing changed: the same set, not a copy.
    assert!(!derived.refresh(&layers, &filters, &[]));
    assert!(Arc::ptr_eq(
        &first,
        &derived.visible(&layers, all, &claimmap::ColourBy::Side)
    ));
    // A filter change: rebuilt, and the claimant's incidents are gone.
    filters.hidden_claimants.insert("am-mod".into());
    assert!(derived.refresh(&layers, &filters, &[]));
    let filtered = derived.visible(&layers, all, &claimmap::ColourBy::Side);
    assert_eq!(filtered.len(), 65);
    assert!(filtered.iter().all(|r| {
        layers[r.dataset].loaded.dataset.incidents()[r.index].claims[0].claimant == ClaimantId(0)
    }));
    // Hiding a layer.
    layers[1].visible = false;
    assert!(derived.refresh(&layers, &filters, &[]));
    let hidden = derived.visible(&layers, all, &claimmap::ColourBy::Side);
    assert_eq!(hidden.len(), 50);
    assert!(hidden.iter().all(|r| r.dataset == 0));
    // A new window.
    let narrow = DateWindow {
        from: Day(0),
        to: Day(9),
    };
    let windowed = derived.visible(&layers, narrow, &claimmap::ColourBy::Side);
    assert_eq!(windowed.len(), 5);
    assert!(!Arc::ptr_eq(&windowed, &hidden));
    // Closing a layer and opening another with as many incidents is a change too.
    layers[1].visible = true;
    derived.refresh(&layers, &filters, &[]);
    let before = derived.visible(&layers, all, &claimmap::ColourBy::Side);
    layers[1] = layer(dataset(&spread(30)));
    assert!(
        derived.refresh(&layers, &filters, &[]),
        "a new layer is a new key"
    );
    assert!(!Arc::ptr_eq(
        &before,
        &derived.visible(&layers, all, &claimmap::ColourBy::Side)
    ));
}
