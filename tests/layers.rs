//! Layer actions in the window, headless (egui_kittest): opening, hiding, closing and reopening
//! layers in every order, with a selection and a filter active, never panics, the selection
//! follows its incident (or goes with its layer), and the status bar's "N of M incidents, K
//! claims" always equals a count made independently with `view::query`.

mod common;

use common::window::{self, expected_counts, layer_fixture, offline};

use claimmap::ViewerApp;
use claimmap::testing::BasemapChoice;
use claimmap::testing::layer_name;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

fn harness(layers: &[usize]) -> Harness<'static, ViewerApp> {
    let app = ViewerApp::from_loaded(
        layers.iter().map(|&n| layer_fixture(n)).collect(),
        Vec::new(),
        offline(BasemapChoice::VectorOnly),
    );
    window::harness(app, egui::vec2(1400.0, 1000.0))
}

/// The status bar's (N, M, K).
fn shown_counts(harness: &Harness<'static, ViewerApp>) -> (usize, usize, usize) {
    let found = window::shown_counts(harness);
    assert_eq!(found.len(), 1, "one status count, found {found:?}");
    found[0]
}

fn assert_counts(harness: &Harness<'static, ViewerApp>, step: &str) {
    assert_eq!(
        shown_counts(harness),
        expected_counts(harness.state()),
        "after {step}"
    );
}

/// Clicks the `layer`th layer's Close button.
fn close(harness: &mut Harness<'static, ViewerApp>, layer: usize) {
    harness
        .query_all_by_label("Close")
        .nth(layer)
        .expect("a Close button per layer")
        .click();
    harness.run();
}

/// Clicks the visibility checkbox of the `layer`th layer.
fn toggle(harness: &mut Harness<'static, ViewerApp>, layer: usize) {
    let layers = harness.state().layers();
    let name = layer_name(&layers[layer]);
    // Layers of the same file have the same name: the nth of those.
    let nth = layers[..layer]
        .iter()
        .filter(|l| layer_name(l) == name)
        .count();
    harness
        .query_all_by_role_and_label(egui::accesskit::Role::CheckBox, &name)
        .nth(nth)
        .expect("the layer's checkbox")
        .click();
    harness.run();
}

/// Clicks the first entry of the "Incidents in view" list whose incident belongs to `layer`;
/// returns its id.
fn select_in(harness: &mut Harness<'static, ViewerApp>, layer: usize) -> Option<String> {
    let incidents: Vec<(String, String)> = {
        let app = harness.state();
        app.last_output()
            .in_view
            .iter()
            .filter(|r| r.dataset == layer)
            .map(|r| {
                let dataset = &app.layers()[r.dataset].loaded.dataset;
                let incident = &dataset.incidents()[r.index];
                (
                    incident.id.to_string(),
                    dataset.title(incident).into_owned(),
                )
            })
            .collect()
    };
    for (id, title) in incidents {
        // The list may be longer than the screen: scroll to the entry first.
        let Some(node) = harness.query_all_by_label_contains(&title).next() else {
            continue;
        };
        node.scroll_to_me();
        harness.run();
        let Some(node) = harness.query_all_by_label_contains(&title).next() else {
            continue;
        };
        node.click();
        harness.run();
        if harness
            .state()
            .selected_incident()
            .is_some_and(|i| *i.id == *id)
        {
            return Some(id);
        }
    }
    None
}

fn selected_id(harness: &Harness<'static, ViewerApp>) -> Option<String> {
    harness
        .state()
        .selected_incident()
        .map(|i| i.id.to_string())
}

/// Every order of closing three layers, each with one of them hidden first, a selection in the
/// last layer and a text filter on: the selection follows its incident while other layers close
/// and goes when its own does; the counts stay right at every step; the layers reopen.
#[test]
fn closing_hiding_and_reopening_layers_in_every_order_never_panics() {
    let orders = [
        [0, 1, 2],
        [0, 2, 1],
        [1, 0, 2],
        [1, 2, 0],
        [2, 0, 1],
        [2, 1, 0],
    ];
    for (case, order) in orders.iter().enumerate() {
        let mut harness = harness(&[0, 1, 2]);
        assert_counts(&harness, "opening");
        let selected = select_in(&mut harness, 2).expect("an ACLED incident in the list");
        harness.state_mut().settings.scene.filters.text = "fire".into();
        harness.run();
        assert_counts(&harness, "filtering");
        let hidden = case % 3;
        toggle(&mut harness, hidden);
        assert!(!harness.state().layers()[hidden].visible);
        assert_counts(&harness, "hiding");
        // Original layer numbers of what is still open, in panel order.
        let mut open = vec![0, 1, 2];
        for &layer in order {
            let at = open.iter().position(|&l| l == layer).expect("open");
            close(&mut harness, at);
            open.remove(at);
            assert_eq!(harness.state().layer_count(), open.len());
            assert_counts(
                &harness,
                &format!("closing layer {layer} of order {order:?}"),
            );
            let expected = open.contains(&2).then(|| selected.clone());
            assert_eq!(selected_id(&harness), expected, "order {order:?}");
        }
        for n in [2, 0, 1] {
            harness.state_mut().add_layer(layer_fixture(n));
            harness.run();
            assert_counts(&harness, &format!("reopening {n}"));
        }
        // Hide and close the reopened layers again, the selection in the middle one.
        harness.state_mut().settings.scene.filters.text.clear();
        harness.run();
        select_in(&mut harness, 1).expect("a reference incident in the list");
        toggle(&mut harness, 0);
        close(&mut harness, 0);
        assert_counts(&harness, "closing a hidden layer");
        assert!(selected_id(&harness).is_some(), "the selection followed");
        close(&mut harness, 0);
        assert_eq!(selected_id(&harness), None);
        assert_counts(&harness, "closing the selected layer");
        close(&mut harness, 0);
        assert_eq!(harness.state().layer_count(), 0);
        assert_counts(&harness, "closing every layer");
    }
}

/// A layer closed while the pointer rests on one of its markers: the next frame's hover and
/// click find nothing stale.
#[test]
fn closing_a_layer_under_the_pointer_drops_its_markers() {
    let mut harness = harness(&[0, 2]);
    let (r, pos) = {
        let app = harness.state();
        let r = *app.last_output().in_view.first().expect("markers in view");
        let incident = &app.layers()[r.dataset].loaded.dataset.incidents()[r.index];
        let point = incident.point().expect("located");
        let pos =
            claimmap::testing::screen_position(app.map(), point.x(), point.y()).expect("drawn");
        (r, pos)
    };
    harness.event(egui::Event::PointerMoved(pos));
    harness.run();
    harness.state_mut().close_layer(r.dataset);
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
    assert_counts(&harness, "a click where the closed layer's marker was");
}

/// Incidents in three groups far apart, none near both the median longitude and the median
/// latitude: framing shows all of them instead of the world's corner (85°N, 180°W).
#[test]
fn framing_groups_far_apart_stays_on_them() {
    let points = [(0.0, 50.0), (50.0, 0.0), (100.0, 60.0)];
    let view = claimmap::testing::framing(&points, egui::vec2(1000.0, 700.0)).expect("a view");
    assert!(view.lon > 0.0 && view.lon < 100.0, "{view:?}");
    assert!(view.lat > 0.0 && view.lat < 60.0, "{view:?}");
    let bad = [(f64::NAN, 40.0), (46.0, f64::INFINITY)];
    assert!(claimmap::testing::framing(&bad, egui::vec2(1000.0, 700.0)).is_none());
}

#[test]
fn the_all_window_narrows_to_what_is_left_when_a_layer_closes() {
    // The reference dataset (1991–2022) and real UCDP rows (back to 1989).
    let mut harness = harness(&[0, 1]);
    let both = harness.state().window();
    let reference_only = claimmap::extent(&[&harness.state().layers()[0].loaded.dataset])
        .expect("the reference has dates");
    assert!(both.from < reference_only.0, "UCDP reaches further back");
    harness.state_mut().close_layer(1);
    harness.run();
    let window = harness.state().window();
    assert_eq!((window.from, window.to), reference_only);
    assert_eq!(
        harness.state().settings_to_save().preset,
        claimmap::Preset::All,
        "still the All preset"
    );
}

#[test]
fn a_side_citing_hundreds_of_outlets_lists_them_closed_and_scrolling() {
    use claimmap::testing::acled_file::{Shape, write_acled_shaped};
    let mut bytes = Vec::new();
    write_acled_shaped(&mut bytes, 3_000, 11, Shape::LongNotes).expect("generated");
    let loaded = claimmap::load_bytes(&bytes, "long-notes.csv", claimmap::Gazetteer::embedded())
        .expect("generated ACLED");
    // The side with the most claimants: the outlets the registry does not know.
    let dataset = &loaded.dataset;
    let side = (0..dataset.sides.len())
        .max_by_key(|&s| {
            dataset
                .claimants
                .iter()
                .filter(|c| c.side.0 as usize == s)
                .count()
        })
        .expect("sides");
    let claimants: Vec<(String, String)> = dataset
        .claimants
        .iter()
        .filter(|c| c.side.0 as usize == side)
        .map(|c| (c.id.to_string(), c.name.to_string()))
        .collect();
    assert!(claimants.len() > 100, "{} claimants", claimants.len());
    let app = ViewerApp::from_loaded(vec![loaded], Vec::new(), offline(BasemapChoice::VectorOnly));
    // Tall enough that the legend is on screen: a list scrolled out of view lays out no rows.
    let mut harness = window::harness(app, egui::vec2(1400.0, 2400.0));
    let laid_out = |harness: &Harness<'static, ViewerApp>| {
        claimants
            .iter()
            .filter(|(_, name)| harness.query_by_label(name).is_some())
            .count()
    };
    // Closed at first: not one of them laid out.
    assert_eq!(laid_out(&harness), 0);
    harness
        .get_by_label(&format!("{} claimants", with_commas(claimants.len())))
        .click();
    harness.run();
    // Open, the list scrolls: only the rows in view are laid out, the first by name.
    let shown = laid_out(&harness);
    assert!(shown > 0 && shown < 30, "{shown} of {}", claimants.len());
    let mut by_name: Vec<&str> = claimants.iter().map(|(_, name)| name.as_str()).collect();
    by_name.sort_by_key(|name| name.to_lowercase());
    assert!(
        harness.query_by_label(by_name[0]).is_some(),
        "{}",
        by_name[0]
    );
    assert!(harness.query_by_label(by_name[by_name.len() - 1]).is_none());
    // The box above the list finds outlets by a part of their name, listed by number: "Local
    // outlet 11" comes before "Local outlet 100".
    let outlet = |name: &str| {
        name.strip_prefix("Local outlet ")
            .and_then(|n| n.parse::<u32>().ok())
    };
    let mut found: Vec<u32> = claimants
        .iter()
        .filter(|(_, name)| name.to_lowercase().contains("outlet 1"))
        .filter_map(|(_, name)| outlet(name))
        .collect();
    found.sort_unstable();
    assert!(found.len() > 100, "{} outlets", found.len());
    type_into_finder(&mut harness, "", "OUTLET 1");
    harness.run();
    let tally = format!(
        "{} of {}",
        with_commas(found.len()),
        with_commas(claimants.len())
    );
    assert!(harness.query_by_label(&tally).is_some(), "{tally}");
    for n in &found[..4] {
        let name = format!("Local outlet {n}");
        assert!(harness.query_by_label(&name).is_some(), "{name} in view");
    }
    let far_down = found
        .iter()
        .find(|&&n| n >= 1000)
        .map(|n| format!("Local outlet {n}"))
        .expect("a four-digit outlet");
    assert!(harness.query_by_label(&far_down).is_none(), "{far_down}");
    // Each still hides its claimant's claims.
    let (id, name) = claimants
        .iter()
        .find(|(_, name)| harness.query_by_label(name).is_some())
        .expect("a claimant in view");
    harness.get_by_label(name).click();
    harness.run();
    assert!(
        harness
            .state()
            .settings
            .scene
            .filters
            .hidden_claimants
            .contains(id)
    );
    // A name no claimant has: said so, and nothing listed.
    type_into_finder(&mut harness, "OUTLET 1", " nowhere");
    harness.run();
    assert!(
        harness
            .query_by_label_contains("No claimant of this side")
            .is_some()
    );
    assert_eq!(laid_out(&harness), 0);
}

/// Types `text` after what the box above a long list of claimants holds (`holds`); the box is
/// known by its placeholder while empty, then by what it holds.
fn type_into_finder(harness: &mut Harness<'static, ViewerApp>, holds: &str, text: &str) {
    let finder = || {
        egui_kittest::kittest::by()
            .role(egui::accesskit::Role::TextInput)
            .predicate(move |node| match holds {
                "" => node.placeholder() == Some("Find a claimant"),
                _ => node.value().as_deref() == Some(holds),
            })
    };
    harness.get(finder()).focus();
    harness.run();
    harness.get(finder()).type_text(text);
    harness.run();
}

/// 3098 as "3,098".
fn with_commas(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
