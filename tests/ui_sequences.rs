//! Random sequences of user actions through the whole window (egui_kittest: no display, no GPU,
//! no network) over several layers: the reference dataset, real UCDP GED rows and a generated
//! ACLED file. Layers are opened, hidden, closed and reopened; incidents selected from the list
//! and on the map (so selections go stale when their layer closes or a filter hides them);
//! filters, the date window (presets, steps, playback), the naming convention and the basemap
//! change; figures and tables are exported. After every action: no panic (the window also checks
//! its own invariants with debug assertions each frame), and the status bar's "N of M incidents,
//! K claims" equals an independent count with `view::query`.

mod common;

use common::window::{self, expected_counts, layer_fixture as fixture, offline};

use std::path::Path;

use claimmap::Convention;
use claimmap::ExportSpec;
use claimmap::Naming;
use claimmap::ViewerApp;
use claimmap::testing::BasemapChoice;
use claimmap::testing::ExportRequest;
use claimmap::testing::Table;
use claimmap::testing::layer_name;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use proptest::prelude::*;

/// More layers than this would push the layer list past the screen.
const MAX_LAYERS: usize = 4;

#[derive(Clone, Debug)]
enum Action {
    /// Opens fixture n as a new layer.
    Open(usize),
    /// Clicks the visibility box of layer n (modulo the layer count).
    Toggle(usize),
    /// Clicks the Close button of layer n (modulo the layer count).
    Close(usize),
    /// Clicks entry n (modulo its length) of the "Incidents in view" list.
    SelectInList(usize),
    /// Clicks the map at a fraction of its width and height: a marker, a cluster or empty map.
    ClickMap(f32, f32),
    /// Esc: clears the selection.
    Escape,
    /// Clicks one of the filter checkboxes.
    FilterBox(usize),
    /// Types a search (or clears it).
    Search(usize),
    /// Clicks a date preset (Day … All).
    Preset(usize),
    /// → or ← (by the window's length), with Shift by a day.
    Step { forward: bool, by_day: bool },
    /// Plays for some frames, then pauses.
    Play(u8),
    /// Picks a naming convention.
    Naming(usize),
    /// Clicks a basemap choice (the window stays offline).
    Basemap(usize),
    /// Exports a small figure and a table of what the map shows into a temporary folder.
    Export,
    /// Colours the markers by field n and shows them as view m (markers, heat map, hexagons).
    Style(usize, usize),
    /// Clicks Delete beside the selected incident's claims.
    Delete,
    /// Ctrl+Z, or Ctrl+Shift+Z.
    Undo { redo: bool },
    /// Answers the unsaved-changes question, if it is asked: n picks the button.
    Answer(usize),
}

fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        3 => (0..3usize).prop_map(Action::Open),
        2 => (0..8usize).prop_map(Action::Toggle),
        3 => (0..8usize).prop_map(Action::Close),
        3 => (0..50usize).prop_map(Action::SelectInList),
        2 => (0.05f32..0.95, 0.05f32..0.95).prop_map(|(x, y)| Action::ClickMap(x, y)),
        1 => Just(Action::Escape),
        2 => (0..FILTER_BOXES.len()).prop_map(Action::FilterBox),
        1 => (0..SEARCHES.len()).prop_map(Action::Search),
        2 => (0..PRESETS.len()).prop_map(Action::Preset),
        2 => (any::<bool>(), any::<bool>())
            .prop_map(|(forward, by_day)| Action::Step { forward, by_day }),
        1 => (1..6u8).prop_map(Action::Play),
        1 => (0..NAMINGS.len()).prop_map(Action::Naming),
        1 => (0..BASEMAPS.len()).prop_map(Action::Basemap),
        1 => Just(Action::Export),
        1 => (0..COLOUR_BY.len(), 0..SHOW_AS.len()).prop_map(|(c, v)| Action::Style(c, v)),
        2 => Just(Action::Delete),
        2 => any::<bool>().prop_map(|redo| Action::Undo { redo }),
        2 => (0..ANSWERS.len()).prop_map(Action::Answer),
    ]
}

const FILTER_BOXES: [&str; 3] = [
    "Contested only",
    "Exact dates only (no ranges, weeks, months; nothing inferred)",
    "Exchange of fire",
];
const SEARCHES: [&str; 3] = ["fire", "Kalbajar", ""];
const PRESETS: [&str; 6] = ["Day", "Week", "Month", "Quarter", "Year", "All"];
const NAMINGS: [Naming; 3] = [
    Naming::Single(Convention::English),
    Naming::Single(Convention::Armenian),
    Naming::Dual(Convention::Azerbaijani, Convention::ArmenianLatin),
];
const BASEMAPS: [&str; 3] = ["Embedded map only", "OpenStreetMap", "OpenTopoMap"];
const SHOW_AS: [&str; 3] = ["Markers", "Heat map", "Hexagons"];
/// The unsaved-changes question's buttons ("Save" is left out: it would ask for a file).
const ANSWERS: [&str; 2] = ["Cancel", "Close without saving"];
/// Built-in fields and a column only some layers have (ACLED's).
const COLOUR_BY: [&str; 4] = ["side", "category", "fatalities", "column:admin1"];

fn harness(first: usize) -> Harness<'static, ViewerApp> {
    let app = ViewerApp::from_loaded(
        vec![fixture(first)],
        Vec::new(),
        offline(BasemapChoice::VectorOnly),
    );
    let mut harness = window::build(app, egui::vec2(1200.0, 850.0));
    settle(&mut harness);
    harness
}

/// Lets the window settle after an action: one frame handles the input, the next shows what it
/// changed everywhere (the status bar is drawn before the timeline's buttons). Not `run`:
/// playback keeps repainting.
fn settle(harness: &mut Harness<'static, ViewerApp>) {
    for _ in 0..2 {
        harness.step();
    }
}

fn click_label(harness: &mut Harness<'static, ViewerApp>, label: &str, nth: usize) {
    let node = harness.query_all_by_label(label).nth(nth);
    if let Some(node) = node {
        node.click();
    }
}

fn perform(harness: &mut Harness<'static, ViewerApp>, action: &Action, out: &Path) {
    let layers = harness.state().layer_count();
    match action {
        Action::Open(n) => {
            if layers < MAX_LAYERS {
                harness.state_mut().add_layer(fixture(*n));
            }
        }
        Action::Toggle(n) if layers > 0 => {
            let all = harness.state().layers();
            let layer = n % layers;
            let name = layer_name(&all[layer]);
            let nth = all[..layer]
                .iter()
                .filter(|l| layer_name(l) == name)
                .count();
            let node = harness
                .query_all_by_role_and_label(egui::accesskit::Role::CheckBox, &name)
                .nth(nth);
            if let Some(node) = node {
                node.click();
            }
        }
        Action::Close(n) if layers > 0 => click_label(harness, "Close", n % layers),
        Action::SelectInList(n) => {
            let in_view = harness.state().last_output().in_view.clone();
            if !in_view.is_empty() {
                let r = in_view[n % in_view.len()];
                let app = harness.state();
                let dataset = &app.layers()[r.dataset].loaded.dataset;
                let title = dataset.title(&dataset.incidents()[r.index]).into_owned();
                let node = harness.query_all_by_label_contains(&title).next();
                if let Some(node) = node {
                    node.scroll_to_me();
                    harness.step();
                    if let Some(node) = harness.query_all_by_label_contains(&title).next() {
                        node.click();
                    }
                }
            }
        }
        Action::ClickMap(x, y) => {
            if let Some(rect) = harness.state().map().last_rect() {
                let pos = rect.min + egui::vec2(rect.width() * x, rect.height() * y);
                harness.event(egui::Event::PointerMoved(pos));
                harness.step();
                for pressed in [true, false] {
                    harness.event(egui::Event::PointerButton {
                        pos,
                        button: egui::PointerButton::Primary,
                        pressed,
                        modifiers: Default::default(),
                    });
                    harness.step();
                }
            }
        }
        Action::Escape => {
            harness.event(egui::Event::PointerGone);
            harness.key_press(egui::Key::Escape);
        }
        Action::FilterBox(n) => click_label(harness, FILTER_BOXES[*n], 0),
        Action::Search(n) => harness.state_mut().settings.scene.filters.text = SEARCHES[*n].into(),
        Action::Preset(n) => click_label(harness, PRESETS[*n], 0),
        Action::Step { forward, by_day } => {
            // Away from the map, so the arrows move the dates rather than pan.
            harness.event(egui::Event::PointerGone);
            let key = if *forward {
                egui::Key::ArrowRight
            } else {
                egui::Key::ArrowLeft
            };
            let modifiers = if *by_day {
                egui::Modifiers::SHIFT
            } else {
                egui::Modifiers::NONE
            };
            harness.key_press_modifiers(modifiers, key);
        }
        Action::Play(frames) => {
            harness.event(egui::Event::PointerGone);
            harness.key_press(egui::Key::Space);
            for _ in 0..*frames {
                harness.step();
            }
            if harness.state().is_playing() {
                harness.key_press(egui::Key::Space);
            }
        }
        Action::Naming(n) => harness.state_mut().settings.scene.naming = NAMINGS[*n],
        Action::Basemap(n) => click_label(harness, BASEMAPS[*n], 0),
        Action::Export => {
            let request = ExportRequest {
                spec: ExportSpec {
                    size_px: [320, 200],
                    tile_wait: std::time::Duration::ZERO,
                    ..ExportSpec::default()
                },
                path: out.join("figure.png"),
                tables: vec![(Table::IncidentsCsv, out.join("figure-incidents.csv"))],
            };
            // A window with nothing in it is refused with a reason; anything else is written.
            if let Ok(written) = harness.state_mut().export(&request) {
                assert!(out.join("figure.png").exists(), "{written}");
                assert!(out.join("figure-incidents.csv").exists(), "{written}");
            }
        }
        Action::Style(colour_by, show_as) => {
            harness.state_mut().settings.scene.styling.colour_by =
                claimmap::ColourBy::parse_arg(COLOUR_BY[*colour_by]).expect("a field");
            click_label(harness, SHOW_AS[*show_as], 0);
        }
        Action::Delete => click_label(harness, "Delete", 0),
        Action::Undo { redo } => {
            let modifiers = if *redo {
                egui::Modifiers::COMMAND | egui::Modifiers::SHIFT
            } else {
                egui::Modifiers::COMMAND
            };
            harness.key_press_modifiers(modifiers, egui::Key::Z);
        }
        Action::Answer(n) => {
            if harness.query_by_label("Unsaved changes").is_some() {
                click_label(harness, ANSWERS[*n], 0);
            }
        }
        Action::Toggle(_) | Action::Close(_) => {}
    }
    settle(harness);
    if harness.state().is_playing() {
        harness.key_press(egui::Key::Space);
        settle(harness);
    }
}

/// The status bar's (N, M, K): "N of M incidents, K claims".
fn shown_counts(harness: &Harness<'static, ViewerApp>) -> Option<(usize, usize, usize)> {
    window::shown_counts(harness).first().copied()
}

proptest! {
    // 256 sequences of up to 9 actions (see the README for the time it takes in a debug build).
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(256),
        ..ProptestConfig::default()
    })]

    #[test]
    fn random_user_action_sequences_never_panic_and_counts_stay_right(
        first in 0..3usize,
        actions in proptest::collection::vec(action(), 1..10),
    ) {
        let out = tempfile::tempdir().expect("tempdir");
        let mut harness = harness(first);
        for (step, action) in actions.iter().enumerate() {
            perform(&mut harness, action, out.path());
            let app = harness.state();
            let selected_ok = app.selected().is_none_or(|r| {
                app.layers()
                    .get(r.dataset)
                    .is_some_and(|l| r.index < l.loaded.dataset.incidents().len())
            });
            prop_assert!(selected_ok, "step {step} {action:?}: stale selection {:?}", app.selected());
            prop_assert!(app.document().references_are_valid(), "step {step} {action:?}: stale history");
            let unsaved = !app.document().unsaved().is_empty();
            prop_assert_eq!(app.window_title().contains('\u{25cf}'), unsaved, "step {} {:?}", step, action);
            prop_assert_eq!(
                shown_counts(&harness),
                Some(expected_counts(harness.state())),
                "step {} {:?}", step, action
            );
        }
    }
}
