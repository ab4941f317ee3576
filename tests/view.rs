//! Filters and the visible-incident query: combination rules on the reference dataset and on
//! small hand-made files, counts, and a property test that the fast query equals a plain scan.

mod common;

use common::{builders, day as d};

use claimmap::Category;
use claimmap::Claim;
use claimmap::ClaimantId;
use claimmap::Counts;
use claimmap::Dataset;
use claimmap::DateInterval;
use claimmap::DatePrecision;
use claimmap::DateWindow;
use claimmap::Day;
use claimmap::FilterPass;
use claimmap::Filters;
use claimmap::Gazetteer;
use claimmap::Incident;
use claimmap::Loaded;
use claimmap::Location;
use claimmap::LocationPrecision;
use claimmap::Placement;
use claimmap::SearchText;
use claimmap::testing::query;
use proptest::prelude::*;

fn window(from: &str, to: &str) -> DateWindow {
    DateWindow {
        from: d(from),
        to: d(to),
    }
}

fn reference() -> Loaded {
    claimmap::load_reference(Gazetteer::embedded())
}

/// The ids of the visible incidents of one dataset.
fn ids(dataset: &Dataset, window: &DateWindow, filters: &Filters) -> Vec<String> {
    query::visible(&[dataset], window, filters)
        .into_iter()
        .map(|(_, i)| dataset.incidents()[i].id.to_string())
        .collect()
}

/// A native file of incidents `(id, date, category, location precision, claims)`, each claim
/// `(claimant, quote, summary)`; sides `az` and `am` are parties, `media` is not.
/// `(claimant, quote, summary)`.
type ClaimSpec<'a> = (&'a str, &'a str, &'a str);
/// `(id, date, category, location precision, claims)`.
type IncidentSpec<'a> = (&'a str, &'a str, &'a str, &'a str, &'a [ClaimSpec<'a>]);

fn native(incidents: &[IncidentSpec]) -> Dataset {
    let features: Vec<serde_json::Value> = incidents
        .iter()
        .map(|(id, date, category, precision, claims)| {
            let date: serde_json::Value =
                serde_json::from_str(date).unwrap_or_else(|_| serde_json::json!(date));
            serde_json::json!({
                "type": "Feature",
                "id": id,
                "geometry": {"type": "Point", "coordinates": [46.0, 40.0]},
                "properties": {
                    "title": format!("Incident {id}"),
                    "category": category,
                    "date": date,
                    "location": {"precision": precision},
                    "claims": claims.iter().map(|(claimant, quote, summary)| serde_json::json!({
                        "claimant": claimant, "quote": quote, "summary": summary,
                        "source": {"document": "test"}
                    })).collect::<Vec<_>>(),
                }
            })
        })
        .collect();
    let file = serde_json::json!({
        "type": "FeatureCollection",
        "claimmap": {
            "format_version": 1,
            "title": "hand-made",
            "sides": [
                {"id": "az", "name": "Azerbaijan", "colour": "#1f77b4"},
                {"id": "am", "name": "Armenia", "colour": "#d62728"},
                {"id": "media", "name": "Media", "colour": "#7f7f7f", "party": false}
            ],
            "claimants": [
                {"id": "az-mod", "name": "MoD AZ", "side": "az"},
                {"id": "am-mod", "name": "MoD AM", "side": "am"},
                {"id": "narr", "name": "Narration", "side": "media"}
            ]
        },
        "features": features,
    });
    let loaded = claimmap::load_bytes(
        file.to_string().as_bytes(),
        "hand.geojson",
        Gazetteer::embedded(),
    )
    .expect("loads");
    assert_eq!(loaded.report.skipped, 0, "{:?}", loaded.report.errors);
    loaded.dataset
}

fn small() -> Dataset {
    native(&[
        (
            "fire",
            "2021-05-25",
            "exchange_of_fire",
            "exact",
            &[
                (
                    "az-mod",
                    "Armenian units opened fire on Kəlbəcər",
                    "AZ: fire",
                ),
                ("am-mod", "The Azerbaijani side fired first", "AM: denial"),
            ],
        ),
        (
            "mine",
            r#"{"start": "2021-05-01", "end": "2021-05-31", "precision": "month"}"#,
            "mine",
            "district",
            &[("narr", "A mine exploded near LAÇIN", "Mine near Lachin")],
        ),
        (
            "detention",
            r#"{"start": "2021-05-27", "precision": "day", "inferred": true, "reason": "'Thursday'"}"#,
            "detention",
            "near",
            &[("am-mod", "Six servicemen were detained", "Detention")],
        ),
        (
            "talks",
            "2021-06-10",
            "political",
            "exact",
            &[
                ("narr", "Foreign ministers met in Paris", "Talks"),
                ("az-mod", "Baku welcomed the talks", "Welcome"),
            ],
        ),
        (
            "strange",
            "2021-06-11",
            "drone_overflight",
            "region",
            &[("az-mod", "A drone flew over the border", "Drone")],
        ),
    ])
}

#[test]
fn default_filters_show_everything_in_the_window() {
    let data = small();
    let all = ids(&data, &DateWindow::everything(), &Filters::default());
    assert_eq!(all.len(), 5);
    assert_eq!(
        ids(
            &data,
            &window("2021-05-26", "2021-05-27"),
            &Filters::default()
        ),
        ["mine", "detention"]
    );
}

#[test]
fn each_filter_on_its_own() {
    let data = small();
    let everything = DateWindow::everything();
    let with = |f: &dyn Fn(&mut Filters)| {
        let mut filters = Filters::default();
        f(&mut filters);
        let mut out = ids(&data, &everything, &filters);
        out.sort();
        out
    };
    assert_eq!(
        with(&|f| {
            f.hidden_sides.insert("az".into());
        }),
        ["detention", "fire", "mine", "talks"],
        "the fire stays for Armenia's claim, the talks for the narration"
    );
    assert_eq!(
        with(&|f| {
            f.hidden_claimants.insert("narr".into());
        }),
        ["detention", "fire", "strange", "talks"]
    );
    assert_eq!(
        with(&|f| f.set_category_shown(&Category::Mine, false)),
        ["detention", "fire", "strange", "talks"]
    );
    // An unknown category is filtered as "other", as it is drawn.
    assert_eq!(
        with(&|f| f.set_category_shown(&Category::Other, false)),
        ["detention", "fire", "mine", "talks"]
    );
    assert_eq!(
        with(&|f| f.set_location_precision_shown(LocationPrecision::Exact, false)),
        ["detention", "mine", "strange"]
    );
    assert_eq!(with(&|f| f.contested_only = true), ["fire"]);
    // The month-precision mine and the inferred detention are not exact.
    assert_eq!(
        with(&|f| f.exact_dates_only = true),
        ["fire", "strange", "talks"]
    );
}

#[test]
fn text_search_folds_case_and_diacritics_and_needs_every_word() {
    let data = small();
    let everything = DateWindow::everything();
    let search = |text: &str| {
        let filters = Filters {
            text: text.into(),
            ..Filters::default()
        };
        let mut out = ids(&data, &everything, &filters);
        out.sort();
        out
    };
    assert_eq!(search("kelbecer"), ["fire"]);
    assert_eq!(search("KƏLBƏCƏR"), ["fire"]);
    assert_eq!(search("lacin"), ["mine"], "quote says LAÇIN");
    assert_eq!(search("Lachin"), ["mine"], "summary says Lachin");
    assert_eq!(search("incident talks"), ["talks"], "title and id words");
    assert_eq!(
        search("fire denial"),
        ["fire"],
        "words from different claims"
    );
    assert_eq!(search("fire paris"), Vec::<String>::new());
    assert_eq!(search("  "), search(""));
    assert_eq!(search("").len(), 5);
}

#[test]
fn text_search_looks_only_at_visible_claims() {
    let data = small();
    let mut filters = Filters {
        text: "denial".into(),
        ..Filters::default()
    };
    assert_eq!(ids(&data, &DateWindow::everything(), &filters), ["fire"]);
    filters.hidden_sides.insert("am".into());
    assert!(ids(&data, &DateWindow::everything(), &filters).is_empty());
}

#[test]
fn filters_combine_with_and_and_with_the_window() {
    let data = small();
    let mut filters = Filters::default();
    filters.hidden_claimants.insert("narr".into());
    filters.exact_dates_only = true;
    filters.set_location_precision_shown(LocationPrecision::Region, false);
    assert_eq!(
        ids(&data, &DateWindow::everything(), &filters),
        ["fire", "talks"]
    );
    assert_eq!(
        ids(&data, &window("2021-06-01", "2021-06-30"), &filters),
        ["talks"]
    );
    filters.contested_only = true;
    assert_eq!(
        ids(&data, &window("2021-06-01", "2021-06-30"), &filters),
        Vec::<String>::new()
    );
}

#[test]
fn filters_on_the_reference_dataset() {
    let loaded = reference();
    let data = &loaded.dataset;
    let everything = DateWindow::everything();
    assert_eq!(ids(data, &everything, &Filters::default()).len(), 30);

    // Hiding the report narration leaves the incidents other claimants speak about.
    let mut no_narration = Filters::default();
    no_narration.hidden_sides.insert("media".into());
    let shown = ids(data, &everything, &no_narration);
    assert!(shown.contains(&"2021-05-24-kalbajar-gadabay-fire".to_string()));
    assert!(!shown.contains(&"2020-09-27-war-begins".to_string()));
    for (_, i) in query::visible(&[data], &everything, &no_narration) {
        let incident = &data.incidents()[i];
        assert!(
            incident
                .claims
                .iter()
                .any(|c| &*data.claimant(c.claimant).id != "report-narration"),
            "{}",
            incident.id
        );
    }

    let contested = Filters {
        contested_only: true,
        ..Filters::default()
    };
    let shown = ids(data, &everything, &contested);
    assert!(shown.contains(&"2021-11-13-border-clash-kalbajar".to_string()));
    assert!(shown.contains(&"2021-06-10-border-shelling-engineering-work".to_string()));
    for id in &shown {
        let incident = data.incident(id).expect("incident");
        assert!(data.is_contested(incident), "{id}");
    }

    // Exact dates: stated single days only; the reference dataset infers most of its days.
    let exact = Filters {
        exact_dates_only: true,
        ..Filters::default()
    };
    for id in ids(data, &everything, &exact) {
        assert!(
            data.incident(&id).expect("incident").date.is_exact(),
            "{id}"
        );
    }
    assert!(!ids(data, &everything, &exact).contains(&"2022-07-great-return-begins".to_string()));

    // Search in any script or spelling of the quotes.
    let search = Filters {
        text: "yukhari shorzha".into(),
        ..Filters::default()
    };
    let shown = ids(data, &everything, &search);
    assert!(shown.contains(&"2021-06-11-kalbajar-yukhari-shorzha-fire".to_string()));
}

#[test]
fn search_text_index_gives_the_same_answers() {
    let data = small();
    let reference = reference();
    for dataset in [&data, &reference.dataset] {
        let index = SearchText::new(dataset);
        for text in [
            "fire",
            "kelbecer",
            "lachin region",
            "",
            "azerbaijani side",
            "zzz",
        ] {
            let filters = Filters {
                text: text.into(),
                ..Filters::default()
            };
            let plain = FilterPass::new(&[dataset], &filters);
            let indexed = FilterPass::with_search_text(&[dataset], &filters, &[&index]);
            assert_eq!(plain, indexed, "{text}");
        }
    }
}

#[test]
fn counts_read_n_of_m_incidents_k_claims() {
    let data = small();
    let mut filters = Filters::default();
    filters.hidden_sides.insert("am".into());
    let shown = query::visible(&[&data], &DateWindow::everything(), &filters);
    let counts = Counts::of(&[&data], &shown, &filters);
    // fire (1 of 2 claims visible), mine, talks (2), strange; the detention is Armenia's only.
    assert_eq!(
        counts,
        Counts {
            incidents: 4,
            claims: 5,
            of_total: 5
        }
    );
    assert_eq!(counts.to_string(), "4 of 5 incidents, 5 claims");
    let one = Counts {
        incidents: 1,
        claims: 1,
        of_total: 1,
    };
    assert_eq!(one.to_string(), "1 of 1 incident, 1 claim");
}

#[test]
fn several_datasets_are_numbered_in_order() {
    let small = small();
    let reference = reference();
    let datasets = [&small, &reference.dataset];
    let shown = query::visible(
        &datasets,
        &window("2021-05-26", "2021-05-26"),
        &Filters::default(),
    );
    let names: Vec<(usize, &str)> = shown
        .iter()
        .map(|&(d, i)| (d, &*datasets[d].incidents()[i].id))
        .collect();
    assert_eq!(
        names,
        [
            (0, "mine"),
            (1, "2020-11-10-mine-casualties-since-ceasefire"),
            (1, "2020-11-10-postwar-truce-monitoring"),
            (1, "2021-05-24-kalbajar-gadabay-fire"),
            (1, "2021-05-24-shusha-shots-in-air"),
        ]
    );
    assert_eq!(
        query::extent(&datasets),
        Some((d("1991-01-01"), d("2022-08-08")))
    );
    assert_eq!(query::extent(&[]), None);
}

// ---- property test: the query equals a plain scan ----

/// A dataset of random incidents built directly, without a file.
fn random_dataset(specs: &[(i32, i32, u8, u8, u8, bool)]) -> Dataset {
    let claim = |who: u32, quote: &str| Claim::quoting(ClaimantId(who), quote);
    let words = ["fire", "mine", "Kəlbəcər", "talks"];
    let incidents = specs
        .iter()
        .enumerate()
        .map(|(n, &(start, len, claims, category, precision, exact))| {
            let start = Day(start);
            let date = if exact && len == 0 {
                DateInterval::day(start)
            } else {
                DateInterval::new(start, start.add_days(len), DatePrecision::Range)
                    .expect("non-negative length")
            };
            Incident {
                id: format!("i{n}").into(),
                title: words[n % 4].into(),
                category: Category::KNOWN[category as usize % Category::KNOWN.len()].clone(),
                date,
                geometry: None,
                location: Location {
                    precision: LocationPrecision::ALL[precision as usize % 6],
                    ..Location::default()
                },
                // Bit k of `claims` gives a claim by claimant k.
                claims: (0..3)
                    .filter(|k| claims & (1 << k) != 0)
                    .map(|k| claim(k, words[(n + k as usize) % 4]))
                    .collect(),
                details: Default::default(),
                placement: Placement::Unlocated,
                extra: Default::default(),
            }
        })
        .collect();
    builders::dataset(builders::parties_and_narrator(), incidents, "memory")
}

fn filters_strategy() -> impl Strategy<Value = Filters> {
    (
        0u8..8,
        0u8..8,
        proptest::option::of(0usize..10),
        proptest::option::of(0usize..6),
        any::<bool>(),
        any::<bool>(),
        prop::sample::select(vec!["", "fire", "kelbecer", "mine talks", "zzz"]),
    )
        .prop_map(
            |(sides, claimants, category, precision, contested, exact, text)| {
                let mut filters = Filters::default();
                for (bit, id) in ["az", "am", "media"].iter().enumerate() {
                    if sides & (1 << bit) != 0 {
                        filters.hidden_sides.insert((*id).into());
                    }
                }
                for (bit, id) in ["az-mod", "am-mod", "narr"].iter().enumerate() {
                    if claimants & (1 << bit) != 0 {
                        filters.hidden_claimants.insert((*id).into());
                    }
                }
                if let Some(c) = category {
                    filters.set_category_shown(&Category::KNOWN[c], false);
                }
                if let Some(p) = precision {
                    filters.set_location_precision_shown(LocationPrecision::ALL[p], false);
                }
                filters.contested_only = contested;
                filters.exact_dates_only = exact;
                filters.text = text.into();
                filters
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn query_equals_a_plain_scan(
        specs in prop::collection::vec(
            (0i32..200, prop_oneof![Just(0i32), 0i32..10, 0i32..120], 0u8..8, 0u8..10, 0u8..6, any::<bool>()),
            0..60,
        ),
        more in prop::collection::vec(
            (0i32..200, 0i32..40, 1u8..8, 0u8..10, 0u8..6, any::<bool>()),
            0..20,
        ),
        from in prop::option::of(-10i32..220),
        to in prop::option::of(-10i32..220),
        filters in filters_strategy(),
    ) {
        let datasets = [random_dataset(&specs), random_dataset(&more)];
        let refs: Vec<&Dataset> = datasets.iter().collect();
        let window = DateWindow::from_bounds(from.map(Day), to.map(Day));
        let scan: Vec<(usize, usize)> = refs
            .iter()
            .enumerate()
            .flat_map(|(d, dataset)| {
                let filters = &filters;
                let window = &window;
                dataset.incidents().iter().enumerate().filter_map(move |(i, incident)| {
                    (incident.date.meets(window) && filters.matches(dataset, incident))
                        .then_some((d, i))
                })
            })
            .collect();
        prop_assert_eq!(&query::visible(&refs, &window, &filters), &scan);
        let pass = FilterPass::new(&refs, &filters);
        prop_assert_eq!(&query::visible_passing(&refs, &window, &pass), &scan);
        let search: Vec<SearchText> = refs.iter().map(|d| SearchText::new(d)).collect();
        let search_refs: Vec<&SearchText> = search.iter().collect();
        prop_assert_eq!(&FilterPass::with_search_text(&refs, &filters, &search_refs), &pass);
        // Dataset::in_window agrees too (default filters aside).
        for dataset in &refs {
            let fast: Vec<&str> = dataset.in_window(&window).map(|i| &*i.id).collect();
            let slow: Vec<&str> = dataset
                .incidents()
                .iter()
                .filter(|i| i.date.meets(&window))
                .map(|i| &*i.id)
                .collect();
            prop_assert_eq!(fast, slow);
        }
    }
}
