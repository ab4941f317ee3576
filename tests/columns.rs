//! The columnar hot index ([`IncidentColumns`]) against the row model it is derived from, on
//! every fixture the project ships, the embedded dataset, generated ACLED rows and synthetic
//! border incidents: every column gives exactly what the rows give, and the window's queries on
//! the columns (the query, the filter pass, the frame's visible set, the slider's density) pick
//! exactly the incidents, in the same order, that the row-walking query picks, over many random
//! windows and filter settings.

use std::path::Path;

use claimmap::testing::{
    DatasetLayer, Derived, IncidentColumns, acled_file, border_incidents, query,
};
use claimmap::{
    BinSize, Category, ColourBy, Dataset, DateWindow, Day, Density, DensitySpans, FilterPass,
    Filters, Gazetteer, Loaded, LocationPrecision, SearchText,
};

/// Every dataset the tests can load: each fixture file that loads, the embedded dataset,
/// generated ACLED rows and synthetic border incidents.
fn all_datasets() -> Vec<(String, Loaded)> {
    let gazetteer = Gazetteer::embedded();
    let mut out = Vec::new();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut files: Vec<_> = ["", "export"]
        .iter()
        .flat_map(|sub| std::fs::read_dir(root.join(sub)).expect("fixtures folder"))
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| {
            p.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| ["csv", "tsv", "geojson", "ods"].contains(&e))
        })
        .collect();
    files.sort();
    for path in files {
        // Fixtures of bad input (refused files) have no rows to compare.
        if let Ok(loaded) = claimmap::load_path(&path, gazetteer) {
            out.push((path.display().to_string(), loaded));
        }
    }
    assert!(out.len() >= 15, "most fixtures load: {}", out.len());
    assert!(
        out.iter().any(|(p, _)| p.contains("ucdp_ged231_sample300")),
        "the real UCDP rows are among them"
    );
    out.push(("embedded".into(), claimmap::load_reference(gazetteer)));
    let acled = acled_file::acled_bytes(4_000, 3);
    out.push((
        "generated ACLED".into(),
        claimmap::load_bytes(&acled, "generated.csv", gazetteer).expect("generated ACLED"),
    ));
    out.push((
        "border incidents".into(),
        border_incidents::border_incidents(3_000, 5),
    ));
    out
}

#[test]
fn every_column_equals_the_rows() {
    for (name, loaded) in all_datasets() {
        let dataset = &loaded.dataset;
        let columns = IncidentColumns::new(dataset);
        assert_eq!(columns.len(), dataset.incidents().len(), "{name}");
        for (i, incident) in dataset.incidents().iter().enumerate() {
            let at = format!("{name}, incident {i} ({})", incident.id);
            assert_eq!(columns.start(i), incident.date.start(), "{at}");
            assert_eq!(columns.end(i), incident.date.end(), "{at}");
            assert_eq!(columns.date_precision(i), incident.date.precision, "{at}");
            assert_eq!(columns.is_exact(i), incident.date.is_exact(), "{at}");
            assert_eq!(columns.date_inferred(i), incident.date.inferred, "{at}");
            assert_eq!(
                columns.is_contested(i),
                dataset.is_contested(incident),
                "{at}"
            );
            assert_eq!(
                columns.location_precision(i),
                incident.location.precision,
                "{at}"
            );
            assert_eq!(columns.category(i), &incident.category, "{at}");
            // Bit for bit, so a NaN coordinate would be caught too.
            assert_eq!(
                columns.point(i).map(|p| [p.x().to_bits(), p.y().to_bits()]),
                incident.point().map(|p| [p.x().to_bits(), p.y().to_bits()]),
                "{at}"
            );
            let claimants: Vec<_> = incident.claims.iter().map(|c| c.claimant).collect();
            assert_eq!(columns.claimants(i), &claimants[..], "{at}");
            assert_eq!(columns.claim_count(i), incident.claims.len(), "{at}");
            for claim in incident.claims.iter() {
                let side = dataset.claimant(claim.claimant).side;
                assert_eq!(columns.side_of(claim.claimant), side, "{at}");
                assert_eq!(columns.is_party(side), dataset.side(side).party, "{at}");
            }
        }
        // Categories are interned: each distinct one once.
        let categories = columns.categories();
        for (n, c) in categories.iter().enumerate() {
            assert!(!categories[..n].contains(c), "{name}: {c:?} twice");
        }
    }
}

/// A small deterministic generator (xorshift64*), so a failure names its case and repeats.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }
}

/// A window over the dataset's dates (sometimes open at one end, sometimes empty).
fn random_window(rng: &mut Rng, dataset: &Dataset) -> DateWindow {
    let (first, last) = query::extent(&[dataset]).unwrap_or((Day(0), Day(100)));
    let span = (last.0 - first.0).max(1) as usize;
    let day = |rng: &mut Rng| Day(first.0 - 10 + rng.below(span + 20) as i32);
    let incidents = dataset.incidents();
    if !incidents.is_empty() && rng.below(3) > 0 {
        // Around an incident's dates, as a user scrubbing to it would.
        let incident = &incidents[rng.below(incidents.len())];
        let from = Day(incident.date.start().0 - rng.below(30) as i32);
        return DateWindow {
            from,
            to: Day(incident.date.start().0 + rng.below(60) as i32),
        };
    }
    let from = day(rng);
    let to = match rng.below(4) {
        0 => day(rng),
        1 => Day(from.0 + rng.below(40) as i32),
        _ => Day(from.0 + rng.below(span / 4 + 2) as i32),
    };
    match rng.below(12) {
        0 => DateWindow::from_bounds(None, Some(to)),
        1 => DateWindow::from_bounds(Some(from), None),
        2 => DateWindow::everything(),
        _ => DateWindow { from, to },
    }
}

/// Filters made of the dataset's own sides, claimants, categories and words, mostly few at once
/// (so that something still passes).
fn random_filters(rng: &mut Rng, dataset: &Dataset) -> Filters {
    let mut filters = Filters::default();
    if rng.chance(3) {
        for side in &dataset.sides {
            if rng.chance(3) {
                filters.hidden_sides.insert(side.id.to_string());
            }
        }
    }
    if rng.chance(3) {
        for claimant in &dataset.claimants {
            if rng.chance(4) {
                filters.hidden_claimants.insert(claimant.id.to_string());
            }
        }
    }
    if rng.chance(3) {
        for category in Category::KNOWN.iter() {
            if rng.chance(4) {
                filters.set_category_shown(category, false);
            }
        }
    }
    if rng.chance(3) {
        for precision in LocationPrecision::ALL {
            if rng.chance(3) {
                filters.set_location_precision_shown(precision, false);
            }
        }
    }
    filters.contested_only = rng.chance(5);
    filters.exact_dates_only = rng.chance(5);
    if rng.chance(6) && !dataset.incidents().is_empty() {
        let incidents = dataset.incidents();
        let title = dataset.title(&incidents[rng.below(incidents.len())]);
        let words: Vec<&str> = title.split_whitespace().collect();
        filters.text = words
            .get(rng.below(words.len()))
            .copied()
            .unwrap_or("")
            .into();
    } else if rng.chance(20) {
        filters.text = "zzz".into();
    }
    filters
}

/// What the row-walking query shows, as (index, claim count).
fn row_query(dataset: &Dataset, window: &DateWindow, filters: &Filters) -> Vec<usize> {
    query::visible(&[dataset], window, filters)
        .into_iter()
        .map(|(_, i)| i)
        .collect()
}

#[test]
fn queries_on_the_columns_equal_the_row_queries() {
    let mut rng = Rng(0x05ee_dc01_u64);
    // How many cases showed something, and how many had the filters hide some of the window's
    // incidents: the comparison must not be between empty answers.
    let (mut cases_run, mut shown_some, mut filtered_some) = (0, 0, 0);
    for (name, loaded) in all_datasets() {
        let layers = vec![DatasetLayer::new(loaded)];
        let dataset = &layers[0].loaded.dataset;
        let columns = IncidentColumns::new(dataset);
        let search = SearchText::new(dataset);
        let mut derived = Derived::default();
        let cases = if dataset.incidents().len() > 1_000 {
            60
        } else {
            150
        };
        for case in 0..cases {
            let window = random_window(&mut rng, dataset);
            let filters = random_filters(&mut rng, dataset);
            let at = format!("{name}, case {case}: {window:?}, {filters:?}");
            let rows = row_query(dataset, &window, &filters);
            cases_run += 1;
            shown_some += usize::from(!rows.is_empty());
            filtered_some +=
                usize::from(rows.len() < row_query(dataset, &window, &Filters::default()).len());

            // The query.
            let indexed: Vec<usize> =
                query::visible_indexed(&[(dataset, &columns)], &window, &filters)
                    .into_iter()
                    .map(|(d, i)| {
                        assert_eq!(d, 0);
                        i
                    })
                    .collect();
            assert_eq!(indexed, rows, "{at}");
            let in_window: Vec<usize> = columns.in_window(&window).collect();
            let row_window: Vec<usize> = dataset
                .incidents()
                .iter()
                .enumerate()
                .filter(|(_, i)| i.date.meets(&window))
                .map(|(n, _)| n)
                .collect();
            assert_eq!(in_window, row_window, "{at}");
            assert_eq!(
                columns.window_candidates(&window),
                dataset.window_candidates(&window),
                "{at}"
            );

            // The filter pass, with and without the folded text.
            let pass = FilterPass::new(&[dataset], &filters);
            assert_eq!(
                FilterPass::indexed(&[(dataset, &columns)], &filters, &[]),
                pass,
                "{at}"
            );
            assert_eq!(
                FilterPass::indexed(&[(dataset, &columns)], &filters, &[&search]),
                pass,
                "{at}"
            );

            // The frame's visible set: the same incidents in the same order, the same claims.
            derived.refresh(&layers, &filters, &[]);
            let set = derived.visible(&layers, window, &ColourBy::Side);
            let shown: Vec<usize> = set.iter().map(|r| r.index).collect();
            assert_eq!(shown, rows, "{at}");
            let claims: usize = rows
                .iter()
                .map(|&i| dataset.incidents()[i].claims.len())
                .sum();
            assert_eq!(set.claims(), claims, "{at}");
            let unlocated = rows
                .iter()
                .filter(|&&i| dataset.incidents()[i].point().is_none())
                .count();
            assert_eq!(set.unlocated(), unlocated, "{at}");

            // The slider's density: as many incidents, each side's weight as the rows give it.
            if case % 10 == 0 {
                check_density(dataset, &filters, &pass, &at);
            }
        }
    }
    assert!(shown_some * 3 > cases_run, "{shown_some} of {cases_run}");
    assert!(
        filtered_some * 5 > cases_run,
        "{filtered_some} of {cases_run}"
    );
}

/// The density's totals per side against the rows: each passing incident's weight of 1 split
/// between the party sides of its visible claims (or all their sides when no party speaks).
fn check_density(dataset: &Dataset, filters: &Filters, pass: &FilterPass, at: &str) {
    let spans = DensitySpans::new(&[dataset], filters, pass);
    let passing: Vec<usize> = (0..dataset.incidents().len())
        .filter(|&i| pass.passes((0, i)))
        .collect();
    assert_eq!(spans.incidents(), passing.len(), "{at}");
    let mut expected = vec![0.0f64; dataset.sides.len()];
    for &i in &passing {
        let incident = &dataset.incidents()[i];
        let mut sides: Vec<_> = incident
            .claims
            .iter()
            .filter(|c| filters.claim_visible(dataset, c))
            .map(|c| dataset.claimant(c.claimant).side)
            .collect();
        if sides.iter().any(|s| dataset.side(*s).party) {
            sides.retain(|s| dataset.side(*s).party);
        }
        sides.sort();
        sides.dedup();
        for s in &sides {
            expected[s.0 as usize] += 1.0 / sides.len() as f64;
        }
    }
    let Some((from, to)) = query::extent(&[dataset]) else {
        return;
    };
    // Year bins over the whole extent hold every span whole.
    let density = Density::build(&spans, from, to, BinSize::Year);
    for (s, side) in spans.sides().iter().enumerate() {
        let got: f64 = (0..density.len())
            .map(|b| f64::from(density.stack(b)[s]))
            .sum();
        let want: f64 = dataset
            .sides
            .iter()
            .zip(&expected)
            .filter(|(d, _)| *d.id == side.id)
            .map(|(_, w)| w)
            .sum();
        assert!(
            (got - want).abs() < 1e-2 * want.max(1.0),
            "{at}: side {}: {got} ≠ {want}",
            side.id
        );
    }
}
