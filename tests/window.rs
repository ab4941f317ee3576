//! The window, headless (egui_kittest: no display, no GPU, no network): the map lists and draws
//! the reference incidents, a click on the list or on a marker shows both sides' quotes, the
//! naming convention relabels places, place search centres the map, offline makes no online layer.

mod common;

use common::{
    day, fixture,
    window::{self, offline},
};

use claimmap::Gazetteer;
use claimmap::ViewerApp;
use claimmap::WindowOptions;
use claimmap::testing::BasemapChoice;
use claimmap::testing::Settings;
use claimmap::testing::screen_position;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

fn click_at(harness: &mut Harness<'static, ViewerApp>, pos: egui::Pos2) {
    harness.event(egui::Event::PointerMoved(pos));
    harness.run();
    for pressed in [true, false] {
        harness.event(egui::Event::PointerButton {
            pos,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: Default::default(),
        });
        harness.run();
    }
}

/// Tall enough that every incident of the list is on screen: clicks land where a person sees.
const WINDOW: egui::Vec2 = egui::vec2(1500.0, 2400.0);

/// The window on the reference dataset, offline.
fn reference_window() -> Harness<'static, ViewerApp> {
    window::reference(WINDOW)
}

/// Counts of a thousand and more are written as the map's labels write them: "2,500", not "2500".
#[test]
fn large_counts_have_thousands_separators() {
    let loaded = claimmap::load_bytes(
        &claimmap::testing::acled_file::acled_bytes(2500, 7),
        "acled-2500.csv",
        Gazetteer::embedded(),
    )
    .expect("generated ACLED");
    let claims: usize = loaded
        .dataset
        .incidents()
        .iter()
        .map(|i| i.claims.len())
        .sum();
    assert!(claims > 2500, "{claims} claims");
    let harness = window::harness(
        ViewerApp::from_loaded(vec![loaded], Vec::new(), offline(BasemapChoice::VectorOnly)),
        egui::vec2(1400.0, 900.0),
    );
    let claims_text = format!("{},{:03}", claims / 1000, claims % 1000);
    harness.get_by_label_contains(&format!("2,500 of 2,500 incidents, {claims_text} claims"));
    assert_eq!(window::shown_counts(&harness), [(2500, 2500, claims)]);
    assert_eq!(
        window::expected_counts(harness.state()),
        (2500, 2500, claims)
    );
}

#[test]
fn the_list_shows_incidents_in_view_and_a_click_opens_both_sides() {
    let mut harness = reference_window();
    harness.get_by_label_contains("30 of 30 incidents");
    harness.get_by_label("Incidents in view");
    harness
        .get_by_label_contains("[contested] Exchange of fire on the Armenia–Azerbaijan border")
        .click();
    harness.run();
    // Each ministry is named twice: in the legend, and over its own account in the claims panel.
    assert_eq!(
        harness
            .query_all_by_label("Ministry of Defence of Azerbaijan")
            .count(),
        2
    );
    assert_eq!(
        harness
            .query_all_by_label("Ministry of Defence of Armenia")
            .count(),
        2
    );
    harness.get_by_label_contains("Contested: the claims come from different sides");
    harness.get_by_label_contains(
        "“Units of the Azerbaijani Armed Forces attempted a provisional offensive",
    );
    harness.get_by_label_contains("“Azerbaijan said Armenian forces on Saturday night");
    harness.get_by_label_contains("Date inferred:");
    assert!(harness.query_by_label("Incidents in view").is_none());
}

#[test]
fn a_click_on_a_marker_selects_its_incident() {
    let mut harness = reference_window();
    // The Zeylik fire of 9–10 Feb 2022 sits at Zeylik, Kalbajar.
    let zeylik = Gazetteer::embedded().place(
        Gazetteer::embedded()
            .by_id("cm:zeylik-kalbajar")
            .expect("Zeylik"),
    );
    let pos = screen_position(harness.state().map(), zeylik.point.x(), zeylik.point.y())
        .expect("the map was drawn");
    click_at(&mut harness, pos);
    let incident = harness
        .state()
        .selected_incident()
        .expect("a marker was hit");
    assert_eq!(&*incident.id, "2022-02-09-zeylik-yukhari-shorzha-fire");
    harness.get_by_label_contains("“Starting from Wednesday evening");
    // Esc clears the selection and the list comes back.
    harness.key_press(egui::Key::Escape);
    harness.run();
    assert!(harness.state().selected().is_none());
    harness.get_by_label("Incidents in view");
}

#[test]
fn the_naming_convention_switch_relabels_kalbajar() {
    let mut harness = reference_window();
    harness
        .get_by_label_contains("[contested] Exchange of fire on the Armenia–Azerbaijan border")
        .click();
    harness.run();
    assert!(
        !harness
            .query_all_by_label_contains("“district of Kalbajar” = Kalbajar")
            .collect::<Vec<_>>()
            .is_empty()
    );
    harness.get_by_label("Names").click();
    harness.run();
    harness.get_by_label("Armenian").click();
    harness.run();
    assert!(
        !harness
            .query_all_by_label_contains("“district of Kalbajar” = Karvachar")
            .collect::<Vec<_>>()
            .is_empty()
    );
    assert!(harness.query_by_label_contains("= Kalbajar").is_none());
    harness.get_by_label_contains("Names: Armenian");
    harness.get_by_label("Names").click();
    harness.run();
    harness
        .get_by_label("Azerbaijani / Armenian script")
        .click();
    harness.run();
    assert!(
        !harness
            .query_all_by_label_contains("“district of Kalbajar” = Kəlbəcər / Քարվաճառ")
            .collect::<Vec<_>>()
            .is_empty()
    );
}

#[test]
fn place_search_centres_the_map() {
    let mut harness = reference_window();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::F);
    harness.run();
    harness
        .get_by_label_contains("Place name, any script")
        .type_text("Yukhari Shorzha");
    harness.run();
    harness
        .get_by_label_contains("Verin Shorzha — village, Gegharkunik, AM")
        .click();
    harness.run();
    let centre = harness.state().map().center();
    let gazetteer = claimmap::Gazetteer::embedded();
    let verin_shorzha = gazetteer
        .place(
            gazetteer
                .resolve("Verin Shorzha")
                .best()
                .expect("in the gazetteer"),
        )
        .point;
    assert!(
        (centre.x() - verin_shorzha.x()).abs() < 1e-3
            && (centre.y() - verin_shorzha.y()).abs() < 1e-3,
        "{centre:?} is not {verin_shorzha:?}"
    );
    assert!(harness.state().map().zoom() >= 11.0);
}

#[test]
fn place_search_lists_ambiguous_names_with_their_province() {
    let mut harness = reference_window();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::F);
    harness.run();
    harness
        .get_by_label_contains("Place name, any script")
        .type_text("Martuni");
    harness.run();
    harness.get_by_label_contains("Martuni — town, Gegharkunik, AM");
    harness.get_by_label("Several places have this name:");
    harness.get_by_label_contains("Khojavend — district, Khojavend, AZ");
}

#[test]
fn offline_means_no_online_tile_layer() {
    let harness = reference_window();
    assert!(
        harness.state().tile_layer().is_none(),
        "offline: OpenStreetMap is never created"
    );
    harness.get_by_label_contains("Offline · embedded map");
}

#[test]
fn an_mbtiles_file_from_the_command_line_becomes_the_basemap() {
    let raster = fixture("mbtiles/geography-class-png.mbtiles");
    let options = WindowOptions {
        files: Vec::new(),
        tiles: Some(raster),
        tile_source: None,
        offline: true,
    };
    let harness = window::harness(ViewerApp::new(&options, Settings::default()), WINDOW);
    let layer = harness.state().tile_layer().expect("a tile layer");
    assert_eq!(layer.label(), "MBTiles: geography-class-png.mbtiles");
    assert!(harness.state().tile_error().is_none());
    harness.get_by_label_contains("MBTiles: geography-class-png.mbtiles · offline file");
    // A vector MBTiles file becomes a vector basemap, drawn with the built-in style.
    let vector = fixture("mbtiles/world_cities.mbtiles");
    let options = WindowOptions {
        files: Vec::new(),
        tiles: Some(vector),
        tile_source: None,
        offline: true,
    };
    let harness = window::harness(ViewerApp::new(&options, Settings::default()), WINDOW);
    let layer = harness.state().tile_layer().expect("a vector layer");
    assert_eq!(layer.label(), "MBTiles (vector): world_cities.mbtiles");
    assert!(harness.state().tile_error().is_none());
    harness.get_by_label_contains("MBTiles (vector): world_cities.mbtiles · offline file");
}

fn wait_for_loads(harness: &mut Harness<'static, ViewerApp>) {
    for _ in 0..600 {
        if harness.state().pending_loads() == 0 {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
        harness.step();
    }
    panic!("loads did not finish");
}

#[test]
fn a_window_with_nothing_to_frame_shows_the_region() {
    // As when the command line's files are still loading: not a street-level view of nowhere.
    let app = ViewerApp::from_loaded(Vec::new(), Vec::new(), offline(BasemapChoice::VectorOnly));
    let harness = window::harness(app, WINDOW);
    let view = harness.state().map().view();
    assert_eq!(view.zoom, 6.0);
    assert!(
        (view.lat - 40.0).abs() < 1e-6 && (view.lon - 46.0).abs() < 1e-6,
        "{view:?}"
    );
    // No axis round 1 January 1970 either: the slider's place says what to do.
    harness.get_by_label("No dataset open: File › Open dataset… (Ctrl+O). Its dates appear here.");
    assert!(harness.query_by_label("Play").is_none());
}

#[test]
fn command_line_files_load_in_the_background_and_arrive_in_their_order() {
    // A larger file first and a small one after it: the small one is done first, but waits its
    // turn; a file that cannot be read is said so, as from the menu.
    let dir = tempfile::tempdir().expect("temporary folder");
    let large = dir.path().join("acled-20000.csv");
    std::fs::write(
        &large,
        claimmap::testing::acled_file::acled_bytes(20_000, 5),
    )
    .expect("written");
    let small = fixture("ucdp_ged231_rows.csv");
    let missing = dir.path().join("missing.csv");
    let options = WindowOptions {
        files: vec![large.clone(), small.clone(), missing],
        tiles: None,
        tile_source: None,
        offline: true,
    };
    let app = ViewerApp::opening(
        &options,
        offline(BasemapChoice::VectorOnly),
        claimmap::SideChoices::default(),
        &egui::Context::default(),
    );
    // Nothing was read before the window could draw.
    assert_eq!(app.layer_count(), 0);
    assert_eq!(app.pending_loads(), 3);
    let mut harness = window::harness(app, WINDOW);
    wait_for_loads(&mut harness);
    harness.run_steps(4);
    // The slider is there once they are.
    harness.get_by_label("Play");
    let paths: Vec<String> = harness
        .state()
        .layers()
        .iter()
        .map(|l| l.loaded.dataset.provenance.path.clone())
        .collect();
    assert_eq!(
        paths,
        [large.display().to_string(), small.display().to_string()]
    );
    let failures = harness.state().failures();
    assert_eq!(failures.len(), 1, "{failures:?}");
    assert!(failures[0].contains("missing.csv"), "{failures:?}");
    // Every row of the large file arrived.
    assert_eq!(
        harness.state().layers()[0].loaded.dataset.incidents().len(),
        20_000
    );
}

#[test]
fn opening_a_file_through_the_path_field_adds_a_layer() {
    let mut harness = reference_window();
    harness.get_by_label("Open dataset… (Ctrl+O)").click();
    harness.run();
    // No file dialog on this machine: the path field appears instead of nothing.
    let ucdp = fixture("ucdp_ged231_rows.csv");
    assert!(ucdp.exists(), "fixture {ucdp:?}");
    harness.get_by_label("Open dataset");
    harness.get_by_label(
        "Path of a dataset (claimmap GeoJSON, ACLED or UCDP GED CSV, CSV/TSV, GeoJSON):",
    );
    harness
        .query_all_by_role(egui::accesskit::Role::TextInput)
        .last()
        .expect("the path field")
        .focus();
    harness.run();
    harness
        .query_all_by_role(egui::accesskit::Role::TextInput)
        .last()
        .expect("the path field")
        .type_text(&ucdp.display().to_string());
    harness.run();
    harness.get_by_label("Open").click();
    // One frame takes the click; the load then repaints until it ends, however long that takes
    // on a busy machine, so it is waited for rather than expected to settle in a few frames.
    harness.step();
    wait_for_loads(&mut harness);
    harness.run();
    assert_eq!(
        harness.state().layer_count(),
        2,
        "failures: {:?}",
        harness.state().failures()
    );
    harness.get_by_label_contains("ucdp · 9 loaded · 0 skipped");
    assert!(
        harness
            .state()
            .settings
            .recent
            .first()
            .is_some_and(|p| p == &ucdp)
    );
}

#[test]
fn cancel_stops_a_large_load() {
    let dir = tempfile::tempdir().expect("tempdir");
    let big = dir.path().join("big.csv");
    {
        use std::io::Write;
        let mut f = std::io::BufWriter::new(std::fs::File::create(&big).expect("create"));
        writeln!(f, "id,date,lat,lon,title,description,source").expect("write");
        for i in 0..400_000 {
            writeln!(f, "r{i},2021-05-{:02},40.1,46.0,Row {i},\"Shots were reported near the border, again\",Example Wire", i % 28 + 1).expect("write");
        }
    }
    let mut harness = reference_window();
    let ctx = harness.ctx.clone();
    harness.state_mut().open_dataset(big, &ctx);
    harness.step();
    assert_eq!(harness.state().pending_loads(), 1);
    harness.get_by_label_contains("Loading big.csv");
    harness.get_by_label("Cancel").click();
    harness.step();
    wait_for_loads(&mut harness);
    harness.run();
    assert_eq!(
        harness.state().layer_count(),
        1,
        "the cancelled file adds no layer"
    );
    assert!(
        harness
            .state()
            .failures()
            .iter()
            .any(|f| f.contains("loading cancelled")),
        "{:?}",
        harness.state().failures()
    );
}

#[test]
fn a_table_claimmap_cannot_read_alone_asks_for_its_columns() {
    let dir = tempfile::tempdir().expect("tempdir");
    let table = dir.path().join("notes.csv");
    std::fs::write(
        &table,
        "col_a,col_b,col_c\n26.05.2021 evening,Kalbajar,shots heard\n4 June,Susuzlug,mine blast\n",
    )
    .expect("write");
    let mut harness = reference_window();
    let ctx = harness.ctx.clone();
    harness.state_mut().open_dataset(table, &ctx);
    wait_for_loads(&mut harness);
    harness.run();
    harness.get_by_label("Which columns hold what?");
    harness.get_by_label_contains("Still needed:");
    // The preview shows the file's rows.
    harness.get_by_label("shots heard");
    assert_eq!(harness.state().layer_count(), 1);
}

fn set_dates(harness: &mut Harness<'static, ViewerApp>, from: &str, to: &str) {
    for (label, text) in [("From", from), ("to", to)] {
        let field = harness.get_by_label(label);
        field.focus();
        harness.run();
        harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
        harness.get_by_label(label).type_text(text);
        harness.run();
    }
    harness.get_by_label("Set").click();
    harness.run();
}

#[test]
fn typing_dates_sets_the_window_and_the_list_follows() {
    let mut harness = reference_window();
    set_dates(&mut harness, "2021-11-13", "14 Nov 2021");
    let window = harness.state().window();
    assert_eq!(
        (window.from, window.to),
        (day("2021-11-13"), day("2021-11-14"))
    );
    // The window in words over the slider, and the clash's own dates in the list.
    assert_eq!(
        harness
            .query_all_by_label_contains("13–14 November 2021")
            .count(),
        2
    );
    harness.get_by_label_contains("13–14 November 2021 (inferred) · [contested]");
    // The clash of 13–14 Nov and the truce monitoring running through it.
    harness.get_by_label_contains("2 of 30 incidents");
    harness.get_by_label_contains("[contested] Exchange of fire on the Armenia–Azerbaijan border");
    assert!(
        harness
            .query_by_label_contains("Mine explosion on a bus")
            .is_none()
    );
}

#[test]
fn arrow_keys_step_the_window() {
    let mut harness = reference_window();
    set_dates(&mut harness, "2021-05-24", "2021-05-26");
    // Away from the map, → steps by the window's length and Shift+→ by a day.
    harness.event(egui::Event::PointerGone);
    harness.key_press(egui::Key::ArrowRight);
    harness.run();
    assert_eq!(harness.state().window().from, day("2021-05-27"));
    harness.key_press_modifiers(egui::Modifiers::SHIFT, egui::Key::ArrowRight);
    harness.run();
    assert_eq!(harness.state().window().from, day("2021-05-28"));
    harness.key_press(egui::Key::ArrowLeft);
    harness.run();
    assert_eq!(harness.state().window().from, day("2021-05-25"));
}

#[test]
fn space_plays_and_the_window_moves_forward() {
    let mut harness = reference_window();
    set_dates(&mut harness, "2021-01-01", "2021-01-31");
    let before = harness.state().window();
    harness.event(egui::Event::PointerGone);
    harness.key_press(egui::Key::Space);
    harness.step();
    assert!(harness.state().is_playing());
    for _ in 0..30 {
        harness.step();
    }
    let after = harness.state().window();
    assert!(after.from > before.from, "{before:?} → {after:?}");
    assert_eq!(
        after.to.0 - after.from.0,
        before.to.0 - before.from.0,
        "a sliding window keeps its length"
    );
    harness.key_press(egui::Key::Space);
    harness.step();
    assert!(!harness.state().is_playing());
}

#[test]
fn dragging_the_window_changes_the_list() {
    let mut harness = reference_window();
    // A year is wide enough on a 31-year axis to grab by its middle.
    set_dates(&mut harness, "2021-01-01", "2021-12-31");
    harness.get_by_label_contains("Mine explosion on a bus");
    let grab = harness
        .state()
        .slider_position(day("2021-07-01"))
        .expect("the slider was drawn");
    let drop = harness
        .state()
        .slider_position(day("2022-05-01"))
        .expect("the slider was drawn");
    harness.event(egui::Event::PointerMoved(grab));
    harness.event(egui::Event::PointerButton {
        pos: grab,
        button: egui::PointerButton::Primary,
        pressed: true,
        modifiers: Default::default(),
    });
    harness.step();
    for i in 1..=10 {
        let p = grab + (drop - grab) * (i as f32 / 10.0);
        harness.event(egui::Event::PointerMoved(p));
        harness.step();
        eprintln!(
            "DBG {i} {p:?} {:?} {:?}",
            harness.state().window(),
            harness.state().slider_position(day("2021-07-01"))
        );
    }
    harness.event(egui::Event::PointerButton {
        pos: drop,
        button: egui::PointerButton::Primary,
        pressed: false,
        modifiers: Default::default(),
    });
    harness.run();
    let window = harness.state().window();
    assert!(
        window.from > day("2021-08-01"),
        "the window moved: {window:?}"
    );
    assert_eq!(
        window.to.0 - window.from.0,
        day("2021-12-31").0 - day("2021-01-01").0,
        "moved whole"
    );
    assert!(
        harness
            .query_by_label_contains("Mine explosion on a bus")
            .is_none()
    );
    harness.get_by_label_contains("Fire at Azerbaijani positions in Zeylik");
}

/// A window on `count` synthetic incidents, all dates in the window; and one incident's position.
fn synthetic_harness(count: usize) -> (Harness<'static, ViewerApp>, geo::Point<f64>) {
    let loaded = claimmap::testing::border_incidents::border_incidents(count, 3);
    let some = loaded.dataset.incidents()[count / 2]
        .point()
        .expect("synthetic incidents are located");
    let (from, to) = claimmap::extent(&[&loaded.dataset]).expect("incidents");
    let mut app = ViewerApp::from_loaded(
        vec![loaded],
        Vec::new(),
        offline(BasemapChoice::OpenStreetMap),
    );
    app.set_window(claimmap::DateWindow { from, to });
    (window::harness(app, egui::vec2(1600.0, 950.0)), some)
}

#[test]
fn many_incidents_in_view_are_drawn_as_clusters_until_zoomed_in() {
    let (mut harness, some) = synthetic_harness(20_000);
    harness.get_by_label_contains("20,000 of 20,000 incidents");
    let output = harness.state().last_output();
    assert!(output.in_view.is_empty(), "no single markers");
    assert!(
        (1..=600).contains(&output.clusters),
        "a bounded number of discs: {}",
        output.clusters
    );
    assert!(output.clustered > 1_000 && output.clustered <= 20_000);
    harness.get_by_label_contains("drawn as");
    // A click on the largest disc zooms into it.
    let (pos, _) = harness
        .state()
        .map()
        .clusters()
        .max_by_key(|(_, count)| *count)
        .expect("a cluster");
    let before = harness.state().map().zoom();
    click_at(&mut harness, pos);
    assert!(harness.state().map().zoom() >= before + 1.0);
    assert!(harness.state().selected().is_none());
    // Close in, single markers, their list and hover come back.
    harness.state_mut().set_view(claimmap::testing::View {
        lon: some.x(),
        lat: some.y(),
        zoom: 15.0,
    });
    harness.run();
    let output = harness.state().last_output();
    assert_eq!(output.clusters, 0);
    assert!(!output.in_view.is_empty(), "markers at zoom 15");
    assert!(output.in_view.len() <= 1_000);
}

#[test]
fn a_contested_incidents_claims_sit_side_by_side_in_a_1600_pixel_window() {
    let mut harness = window::reference(egui::vec2(1600.0, 1000.0));
    let index = harness.state().layers()[0]
        .loaded
        .dataset
        .incidents()
        .iter()
        .position(|i| &*i.id == "2021-11-13-border-clash-kalbajar")
        .expect("the clash");
    harness
        .state_mut()
        .select(Some(claimmap::testing::IncidentRef { dataset: 0, index }));
    harness.run();
    // The first two accounts' quotes: one row, two columns.
    let first = harness
        .get_by_label_contains("“South Caucasus rivals Armenia and Azerbaijan")
        .rect();
    let second = harness
        .get_by_label_contains("“Azerbaijan said Armenian forces on Saturday night")
        .rect();
    assert!(
        (first.top() - second.top()).abs() < 2.0,
        "{first:?} and {second:?} are not on one row"
    );
    assert!(second.left() > first.right(), "{first:?} {second:?}");
}
