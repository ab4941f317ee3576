//! The window at the sizes people use, headless (egui_kittest): the map keeps at least half the
//! width down to 800×600, the side panels fold away and come back by their toggles, the time
//! bar never changes height (so the map never jumps) whatever the window in words says; and the
//! date window and its preset come back exactly after a restart.

mod common;

use common::{day, window};

use claimmap::DateWindow;
use claimmap::ViewerApp;
use claimmap::testing::{BasemapChoice, Settings};
use claimmap::{Gazetteer, Preset, load_reference};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

fn reference(size: egui::Vec2, settings: Settings) -> Harness<'static, ViewerApp> {
    window::harness(
        ViewerApp::from_loaded(
            vec![load_reference(Gazetteer::embedded())],
            Vec::new(),
            settings,
        ),
        size,
    )
}

fn offline() -> Settings {
    window::offline(BasemapChoice::VectorOnly)
}

/// The harness draws the window inside an 8-point margin; eframe gives it the whole window.
const HARNESS_MARGIN: f32 = 8.0;

/// The width the window's panels and map share, at a harness `width`.
fn app_width(width: f32) -> f32 {
    width - 2.0 * HARNESS_MARGIN
}

fn map_rect(harness: &Harness<'static, ViewerApp>) -> egui::Rect {
    harness
        .state()
        .map()
        .last_rect()
        .expect("the map was drawn")
}

fn set_dates(harness: &mut Harness<'static, ViewerApp>, from: &str, to: &str) {
    for (label, text) in [("From", from), ("to", to)] {
        harness.get_by_label(label).focus();
        harness.run();
        harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
        harness.get_by_label(label).type_text(text);
        harness.run();
    }
    harness.get_by_label("Set").click();
    harness.run();
}

#[test]
fn the_map_keeps_half_the_width_at_every_size() {
    for (w, h) in [
        (1600.0, 950.0),
        (1024.0, 700.0),
        (800.0, 600.0),
        (640.0, 400.0),
    ] {
        let harness = reference(egui::vec2(w, h), offline());
        let map = map_rect(&harness);
        assert!(
            map.width() >= app_width(w) / 2.0,
            "{w}×{h}: the map is {} wide",
            map.width()
        );
        assert!(
            map.height() >= h / 4.0,
            "{w}×{h}: the map is {} high",
            map.height()
        );
        // The counts and the time bar are there at every size.
        harness.get_by_label_contains("of 30 incidents");
        harness.get_by_label("Set");
    }
}

#[test]
fn both_panels_where_they_fit_one_where_they_do_not_and_toggles_swap_them() {
    let wide = reference(egui::vec2(1024.0, 700.0), offline());
    wide.get_by_label("Incidents in view");
    wide.get_by_label("Open dataset… (Ctrl+O)");

    let mut narrow = reference(egui::vec2(800.0, 600.0), offline());
    // The claims panel, not the layers panel, is the one shown at first.
    narrow.get_by_label("Incidents in view");
    assert!(narrow.query_by_label("Open dataset… (Ctrl+O)").is_none());
    let before = map_rect(&narrow);
    // Its toggle brings the layers panel in; the claims panel makes way.
    narrow.get_by_label("Layers panel").click();
    narrow.run();
    narrow.get_by_label("Open dataset… (Ctrl+O)");
    assert!(narrow.query_by_label("Incidents in view").is_none());
    assert!(map_rect(&narrow).width() >= app_width(800.0) / 2.0);
    // Clicking a listed incident needs the claims panel: its toggle brings it back.
    narrow.get_by_label("Claims panel").click();
    narrow.run();
    narrow.get_by_label("Incidents in view");
    assert_eq!(map_rect(&narrow).width(), before.width());
    // Turned off, the map takes the width.
    narrow.get_by_label("Claims panel").click();
    narrow.run();
    assert!(narrow.query_by_label("Incidents in view").is_none());
    assert!(narrow.query_by_label("Open dataset… (Ctrl+O)").is_some());
    narrow.get_by_label("Layers panel").click();
    narrow.run();
    assert_eq!(map_rect(&narrow).width(), app_width(800.0));
    assert!(!narrow.state().settings.show_claims_panel);
    assert!(!narrow.state().settings.show_layers_panel);
}

#[test]
fn the_time_bar_never_changes_height() {
    for (w, h) in [(1024.0, 700.0), (800.0, 600.0), (640.0, 400.0)] {
        let mut harness = reference(egui::vec2(w, h), offline());
        let before = map_rect(&harness);
        // A long window in words, a short one, a typing error: one line each.
        for (from, to) in [
            ("2020-09-27", "2023-09-20"),
            ("2021-11-13", "2021-11-13"),
            ("27 September 2020", "14 November 2021"),
            ("not a date", "2021-01-01"),
        ] {
            set_dates(&mut harness, from, to);
            assert_eq!(map_rect(&harness), before, "{w}×{h}: {from} – {to}");
        }
        harness.get_by_label_contains("Dates as 2021-05-26");
    }
}

#[test]
fn a_typed_window_and_its_preset_survive_a_restart() {
    let mut harness = reference(egui::vec2(1400.0, 900.0), offline());
    // Opened on all the data, then a window typed over it.
    assert_eq!(harness.state().settings_to_save().preset, Preset::All);
    set_dates(&mut harness, "2021-05-20", "2021-06-10");
    let typed = DateWindow {
        from: day("2021-05-20"),
        to: day("2021-06-10"),
    };
    assert_eq!(harness.state().window(), typed);
    let saved = harness.state().settings_to_save();
    assert_ne!(saved.preset, Preset::All, "a typed window is not All");
    // Through the file format and back, as eframe stores it.
    let text = ron::ser::to_string(&saved).expect("ron");
    let restored: Settings = ron::from_str(&text).expect("ron back");
    let restarted = reference(egui::vec2(1400.0, 900.0), restored);
    assert_eq!(restarted.state().window(), typed);
    assert_eq!(
        restarted.state().settings_to_save().preset,
        saved.preset,
        "the preset comes back as it was"
    );
    restarted.get_by_label_contains("20 May – 10 June 2021");

    // A preset chosen comes back as that preset and its window.
    let mut harness = reference(egui::vec2(1400.0, 900.0), offline());
    harness.get_by_label("Quarter").click();
    harness.run();
    let saved = harness.state().settings_to_save();
    assert_eq!(saved.preset, Preset::Quarter);
    let window = harness.state().window();
    let restarted = reference(egui::vec2(1400.0, 900.0), saved);
    assert_eq!(restarted.state().window(), window);
    assert_eq!(restarted.state().settings_to_save().preset, Preset::Quarter);

    // "All" comes back as all of the data, whatever it is by then.
    let harness = reference(egui::vec2(1400.0, 900.0), offline());
    let saved = harness.state().settings_to_save();
    assert_eq!(saved.preset, Preset::All);
    let all = harness.state().window();
    let restarted = reference(egui::vec2(1400.0, 900.0), saved);
    assert_eq!(restarted.state().window(), all);
}

#[test]
fn a_layer_opened_later_moves_neither_the_view_nor_a_typed_window() {
    let mut harness = reference(egui::vec2(1400.0, 900.0), offline());
    set_dates(&mut harness, "2021-05-20", "2021-06-10");
    let view = harness.state().map().view();
    let window = harness.state().window();
    harness.state_mut().add_layer(window::layer_fixture(1));
    harness.run();
    assert_eq!(harness.state().map().view(), view);
    assert_eq!(harness.state().window(), window);
    // With nothing shown before, the new data is framed and its window spans it.
    let mut empty = window::harness(
        ViewerApp::from_loaded(Vec::new(), Vec::new(), offline()),
        egui::vec2(1400.0, 900.0),
    );
    let before = empty.state().map().view();
    empty.state_mut().add_layer(window::layer_fixture(2));
    empty.run();
    assert_ne!(empty.state().map().view(), before);
    let layer = &empty.state().layers()[0].loaded.dataset;
    let (from, to) = claimmap::extent(&[layer]).expect("incidents");
    assert_eq!(empty.state().window(), DateWindow { from, to });
}

/// A world-wide file (most rows in Syria, as in the UCDP sample, the rest on every continent) is
/// framed on the world, not on the country its median falls in; a lone row far from a region's
/// data is still left out.
#[test]
fn framing_a_world_wide_file_shows_the_world_and_leaves_out_a_lone_outlier() {
    let mut points: Vec<(f64, f64)> = (0..600)
        .map(|i| {
            (
                36.0 + f64::from(i % 30) * 0.1,
                34.0 + f64::from(i / 30) * 0.1,
            )
        })
        .collect();
    for i in 0..400 {
        let t = f64::from(i) / 400.0;
        points.push((
            -100.0 + 240.0 * t,
            -30.0 + 80.0 * ((t * 17.0).sin() * 0.5 + 0.5),
        ));
    }
    let view = claimmap::testing::framing(&points, egui::vec2(1400.0, 800.0)).expect("a view");
    assert!(view.zoom <= 3.5, "the world, not Syria: {view:?}");

    let mut caucasus: Vec<(f64, f64)> = (0..40)
        .map(|i| (45.0 + f64::from(i % 8) * 0.2, 39.5 + f64::from(i / 8) * 0.2))
        .collect();
    caucasus.push((2.35, 48.85));
    let view = claimmap::testing::framing(&caucasus, egui::vec2(1400.0, 800.0)).expect("a view");
    assert!(
        view.lon > 44.0 && view.zoom >= 7.0,
        "Paris left out: {view:?}"
    );
}
