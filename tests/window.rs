//! The window, headless (egui_kittest: no display, no GPU): the reference dataset is listed, a
//! click shows an incident's claims side by side, the naming convention changes the labels.

use claimmap::app::{ViewerApp, install_fonts};
use claimmap::{Gazetteer, load_reference};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

fn harness() -> Harness<'static, ViewerApp> {
    let app = ViewerApp::from_loaded(vec![load_reference(Gazetteer::embedded())], Vec::new());
    let mut harness = Harness::builder()
        // Tall enough that the whole incident list is on screen: clicks land where a person sees.
        .with_size(egui::vec2(1400.0, 2600.0))
        .build_ui_state(
            |ui, app: &mut ViewerApp| {
                install_fonts(ui.ctx());
                app.show(ui);
            },
            app,
        );
    harness.run();
    harness
}

#[test]
fn lists_the_reference_incidents_and_shows_claims_side_by_side() {
    let mut harness = harness();
    harness.get_by_label_contains("30 incidents");
    harness.get_by_label_contains("Select an incident");
    harness
        .get_by_label_contains("[contested] Exchange of fire on the Armenia–Azerbaijan border")
        .click();
    harness.run();
    // Both ministries' accounts, each under its own name, quoted.
    harness.get_by_label("Ministry of Defence of Azerbaijan");
    harness.get_by_label("Ministry of Defence of Armenia");
    harness.get_by_label_contains("Contested: the claims come from different sides");
    harness.get_by_label_contains(
        "“Units of the Azerbaijani Armed Forces attempted a provisional offensive",
    );
    harness.get_by_label_contains("Date inferred:");
    assert!(
        harness
            .query_by_label_contains("Select an incident")
            .is_none()
    );
}

#[test]
fn the_naming_convention_relabels_places() {
    let mut harness = harness();
    harness
        .get_by_label_contains("Fire at Azerbaijani positions in Zeylik")
        .click();
    harness.run();
    harness.get_by_label_contains("“Zeylik settlement of the Kalbajar region” = Zeylik");
    harness.get_by_label("Names").click();
    harness.run();
    harness.get_by_label("Azerbaijani / Armenian").click();
    harness.run();
    harness.get_by_label_contains(
        "“Yukhari Shorzha settlement of the Basarkechar region” = Yuxarı Şorca / Վերին Շորժա",
    );
}

#[test]
fn escape_clears_the_selection() {
    let mut harness = harness();
    harness
        .get_by_label_contains("Mine explosion on a bus")
        .click();
    harness.run();
    assert!(
        harness
            .query_by_label_contains("Select an incident")
            .is_none()
    );
    harness.key_press(egui::Key::Escape);
    harness.run();
    harness.get_by_label_contains("Select an incident");
}
