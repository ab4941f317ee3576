//! Editing in the window, headless (egui_kittest): an incident added through the form with two
//! claims from opposite sides is contested; Ctrl+Z and Ctrl+Shift+Z take it back and make it
//! again; Ctrl+S saves the native file in place, atomically, and the saved file opens with the
//! incident and its claims; an imported file is never written (it is saved as a new native
//! file); quitting, closing or reopening with unsaved edits asks first.

mod common;

use std::path::{Path, PathBuf};

use claimmap::testing::BasemapChoice;
use claimmap::{DateWindow, Gazetteer, Loaded, ViewerApp, load_path, load_reference};
use common::window;
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

/// The reference dataset saved as a native file in `dir`, loaded from there.
fn native_layer(dir: &Path) -> (PathBuf, Loaded) {
    let path = dir.join("watch.geojson");
    claimmap::save_native(&load_reference(Gazetteer::embedded()).dataset, &path).expect("saved");
    let loaded = load_path(&path, Gazetteer::embedded()).expect("loads");
    (path, loaded)
}

/// The window on `loaded`, offline, tall enough for the form, over November 2021.
fn harness(loaded: Vec<Loaded>) -> Harness<'static, ViewerApp> {
    let mut app = ViewerApp::from_loaded(
        loaded,
        Vec::new(),
        window::offline(BasemapChoice::VectorOnly),
    );
    app.set_window(DateWindow {
        from: common::day("2021-11-01"),
        to: common::day("2021-11-30"),
    });
    window::harness(app, egui::vec2(1500.0, 1900.0))
}

/// The window on a claims sheet written into `dir` as `claims.csv`, its first incident deleted:
/// an imported layer with an unsaved edit. Returns the sheet's path.
fn edited_import(dir: &Path, text: &str) -> (PathBuf, Harness<'static, ViewerApp>) {
    let csv = dir.join("claims.csv");
    std::fs::write(&csv, text).expect("written");
    let loaded = load_path(&csv, Gazetteer::embedded()).expect("loads");
    (csv, edited(vec![loaded]))
}

/// The window on `loaded` with the first layer's first incident deleted.
fn edited(loaded: Vec<Loaded>) -> Harness<'static, ViewerApp> {
    let mut harness = harness(loaded);
    harness
        .state_mut()
        .delete_incident(claimmap::testing::IncidentRef {
            dataset: 0,
            index: 0,
        });
    harness.run();
    harness
}

/// Types `text` into the `nth` field labelled `label`.
fn type_into(harness: &mut Harness<'static, ViewerApp>, label: &str, nth: usize, text: &str) {
    let field = harness
        .get_all_by_label(label)
        .nth(nth)
        .unwrap_or_else(|| panic!("field {label} #{nth}"));
    field.click();
    harness.run();
    harness
        .get_all_by_label(label)
        .nth(nth)
        .expect("the field")
        .type_text(text);
    harness.run();
}

fn new_incident<'h>(harness: &'h Harness<'static, ViewerApp>) -> Option<&'h claimmap::Incident> {
    let dataset = &harness.state().layers()[0].loaded.dataset;
    dataset
        .incidents()
        .iter()
        .find(|i| dataset.title(i) == "Night fire at Sotk")
}

/// Fills the form for a new incident at Sotk with the two ministries' claims and adds it.
fn add_through_the_form(harness: &mut Harness<'static, ViewerApp>) {
    harness.get_by_label("Edit").click();
    harness.run();
    harness.get_by_label_contains("New incident").click();
    harness.run();
    type_into(harness, "Title", 0, "Night fire at Sotk");
    type_into(harness, "Date", 0, "2021-11-16");
    type_into(harness, "Place", 0, "Sotk");
    harness.get_by_label("Add a claim").click();
    harness.run();
    harness.get_by_label("Add a claim").click();
    harness.run();
    type_into(harness, "Claimant", 0, "Ministry of Defence of Azerbaijan");
    type_into(
        harness,
        "Quote",
        0,
        "Armenian units opened fire on our positions.",
    );
    type_into(harness, "Claimant", 1, "Ministry of Defence of Armenia");
    type_into(
        harness,
        "Quote",
        1,
        "The Azerbaijani side opened fire first.",
    );
    harness.get_by_label("Add incident").click();
    harness.run();
}

#[test]
fn an_incident_added_in_the_form_is_contested_undone_redone_saved_and_reopened() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (path, loaded) = native_layer(dir.path());
    let before = loaded.dataset.incidents().len();
    let mut harness = harness(vec![loaded]);
    assert!(!harness.state().window_title().contains('\u{25cf}'));

    add_through_the_form(&mut harness);
    if new_incident(&harness).is_none() {
        let form = harness
            .state_mut()
            .edit_form()
            .map(|f| (f.problems.clone(), f.draft.clone()));
        panic!("not added: {form:#?}");
    }
    let incident = new_incident(&harness).expect("the incident was added");
    let dataset = &harness.state().layers()[0].loaded.dataset;
    assert!(dataset.is_contested(incident));
    assert_eq!(incident.claims.len(), 2);
    assert!(incident.point().is_some(), "placed at Sotk");
    assert_eq!(
        harness
            .state()
            .selected_incident()
            .map(|i| dataset.title(i).into_owned())
            .as_deref(),
        Some("Night fire at Sotk"),
        "the new incident is selected"
    );
    harness.get_by_label_contains("Contested: the claims come from different sides");
    assert!(
        harness.state().window_title().contains('\u{25cf}'),
        "unsaved"
    );

    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert!(new_incident(&harness).is_none(), "undone");
    assert_eq!(
        harness.state().layers()[0].loaded.dataset.incidents().len(),
        before
    );
    assert!(
        !harness.state().window_title().contains('\u{25cf}'),
        "undone back to the file: nothing unsaved"
    );
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    harness.run();
    assert!(new_incident(&harness).is_some(), "redone");
    assert!(harness.state().window_title().contains('\u{25cf}'));

    harness.key_press_modifiers(Modifiers::COMMAND, Key::S);
    harness.run();
    assert!(
        !harness.state().window_title().contains('\u{25cf}'),
        "saved"
    );
    harness.get_by_label_contains("Saved ");

    // Opened again from the file: the incident, its two claims, contested.
    let reopened = load_path(&path, Gazetteer::embedded()).expect("the saved file loads");
    assert_eq!(
        reopened.report.error_count, 0,
        "{:?}",
        reopened.report.errors
    );
    assert_eq!(reopened.dataset.incidents().len(), before + 1);
    let saved = reopened
        .dataset
        .incidents()
        .iter()
        .find(|i| reopened.dataset.title(i) == "Night fire at Sotk")
        .expect("saved");
    assert!(reopened.dataset.is_contested(saved));
    let sides: Vec<&str> = saved
        .claims
        .iter()
        .map(|c| &*reopened.dataset.claimant_side(c.claimant).id)
        .collect();
    assert_eq!(sides, ["az", "am"]);
    // No temporary file is left beside it.
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["watch.geojson"]);

    let mut harness = self::harness(vec![reopened]);
    let r = {
        let layers = harness.state().layers();
        let dataset = &layers[0].loaded.dataset;
        let index = dataset
            .incidents()
            .iter()
            .position(|i| dataset.title(i) == "Night fire at Sotk")
            .expect("there");
        claimmap::testing::IncidentRef { dataset: 0, index }
    };
    harness.state_mut().select(Some(r));
    harness.run();
    harness.get_by_label_contains("Contested: the claims come from different sides");
    harness.get_by_label_contains("Armenian units opened fire on our positions.");
    harness.get_by_label_contains("The Azerbaijani side opened fire first.");
}

#[test]
fn editing_keeps_what_the_form_does_not_show_and_delete_is_undone() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (_, loaded) = native_layer(dir.path());
    let original = loaded.dataset.clone();
    let mut harness = harness(vec![loaded]);
    let index = original
        .incidents()
        .iter()
        .position(|i| i.claims.len() >= 2)
        .expect("an incident with two claims");
    let r = claimmap::testing::IncidentRef { dataset: 0, index };
    harness.state_mut().select(Some(r));
    harness.run();
    harness.state_mut().open_edit_form(r);
    harness.run();
    let title = format!("{} (edited)", original.title(&original.incidents()[index]));
    harness.get_by_label("Title").click();
    harness.run();
    harness.key_press(Key::End);
    harness.get_by_label("Title").type_text(" (edited)");
    harness.run();
    harness.get_by_label("Apply changes").click();
    harness.run();
    let edited = harness
        .state()
        .selected_incident()
        .expect("still selected")
        .clone();
    assert_eq!(original.title(&edited), title);
    let was = &original.incidents()[index];
    assert_eq!(edited.claims, was.claims, "the claims are untouched");
    assert_eq!(edited.location, was.location);
    assert_eq!(edited.date, was.date);

    harness.get_by_label("Delete").click();
    harness.run();
    assert_eq!(
        harness.state().layers()[0].loaded.dataset.incidents().len(),
        original.incidents().len() - 1
    );
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert_eq!(
        harness.state().layers()[0].loaded.dataset.incidents(),
        original.incidents(),
        "both edits undone"
    );
}

#[test]
fn a_form_that_does_not_read_says_why_and_changes_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (_, loaded) = native_layer(dir.path());
    let count = loaded.dataset.incidents().len();
    let mut harness = harness(vec![loaded]);
    harness.state_mut().open_new_incident_form();
    harness.run();
    type_into(&mut harness, "Date", 0, "soon");
    harness.get_by_label_contains("is not a date");
    harness.get_by_label("Add incident").click();
    harness.run();
    harness.get_by_label_contains("Give the incident a title.");
    assert_eq!(
        harness.state().layers()[0].loaded.dataset.incidents().len(),
        count
    );
    assert!(harness.state().document().undo_label().is_none());
}

#[test]
fn an_imported_file_is_never_written_and_is_saved_as_a_new_native_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let text = "incident_id,title,date,place,claimant,quote\n\
                first,Shelling near Sotk,2021-11-16,Sotk,Ministry of Defence of Azerbaijan,\"Armenian units opened fire.\"\n";
    let (csv, mut harness) = edited_import(dir.path(), text);
    assert_eq!(
        harness.state().document().save_target(0),
        claimmap::testing::SaveTarget::NeedsNewFile
    );
    // Saving over the imported file is refused, and says why.
    harness.state_mut().save_layer_as(0, &csv);
    harness.run();
    harness.get_by_label_contains("never writes imported files");
    assert!(harness.state().window_title().contains('\u{25cf}'));
    let native = dir.path().join("claims.geojson");
    harness.state_mut().save_layer_as(0, &native);
    harness.run();
    assert_eq!(
        std::fs::read_to_string(&csv).expect("csv"),
        text,
        "untouched"
    );
    assert!(!harness.state().window_title().contains('\u{25cf}'));
    let saved = load_path(&native, Gazetteer::embedded()).expect("the new file loads");
    assert_eq!(saved.dataset.provenance.format, claimmap::Format::Claimmap);
    assert!(saved.dataset.incidents().is_empty());
    // From now on the layer is the native file: Save writes it in place.
    assert_eq!(
        harness.state().document().save_target(0),
        claimmap::testing::SaveTarget::InPlace(native.clone())
    );
}

/// Whether the last frame asked the window to close.
fn asked_to_close(harness: &Harness<'static, ViewerApp>) -> bool {
    harness
        .output()
        .viewport_output
        .values()
        .flat_map(|v| &v.commands)
        .any(|c| *c == egui::ViewportCommand::Close)
}

#[test]
fn quitting_closing_or_reopening_with_unsaved_edits_asks_first() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (path, loaded) = native_layer(dir.path());
    let mut harness = edited(vec![loaded]);

    // The window's close button: cancelled, and asked.
    harness
        .input_mut()
        .viewports
        .entry(egui::ViewportId::ROOT)
        .or_default()
        .events
        .push(egui::ViewportEvent::Close);
    harness.step();
    assert!(
        harness
            .output()
            .viewport_output
            .values()
            .flat_map(|v| &v.commands)
            .any(|c| *c == egui::ViewportCommand::CancelClose)
    );
    harness.run();
    harness.get_by_label_contains("before quitting?");
    harness.get_by_label("Cancel").click();
    harness.run();
    assert!(
        harness
            .query_by_label_contains("before quitting?")
            .is_none()
    );

    // Closing the layer asks too; Cancel keeps it.
    harness.get_by_label("Close").click();
    harness.run();
    harness.get_by_label_contains("before closing it?");
    harness.get_by_label("Cancel").click();
    harness.run();
    assert_eq!(harness.state().layer_count(), 1);

    // Opening its file again asks whether to lose the edits.
    let ctx = harness.ctx.clone();
    harness.state_mut().open_dataset(path.clone(), &ctx);
    harness.run();
    harness.get_by_label_contains("Your edits to it are not saved.");
    harness.get_by_label("Cancel").click();
    harness.run();
    assert_eq!(harness.state().pending_loads(), 0, "nothing reopened");

    // File ▸ Quit asks; "Quit without saving" quits, and the file is as it was.
    let bytes = std::fs::read(&path).expect("file");
    harness.get_by_label("File").click();
    harness.run();
    harness.get_by_label("Quit").click();
    harness.run();
    harness.get_by_label("Quit without saving").click();
    harness.step();
    assert!(asked_to_close(&harness));
    assert_eq!(std::fs::read(&path).expect("file"), bytes, "not written");
}

#[test]
fn ctrl_s_on_an_imported_layer_asks_where_beside_its_file_and_saves_there() {
    let dir = tempfile::tempdir().expect("temp dir");
    let text = "incident_id,title,date,place,claimant,quote\n\
                first,Shelling near Sotk,2021-11-16,Sotk,Ministry of Defence of Azerbaijan,\"Armenian units opened fire.\"\n\
                second,Night fire at Sotk,2021-11-18,Sotk,Ministry of Defence of Armenia,\"The Azerbaijani side opened fire.\"\n";
    let (csv, mut harness) = edited_import(dir.path(), text);
    // Away from any text field, so the shortcut is the window's.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::S);
    harness.run();
    // No file dialog here: the path field, filled with a file beside the imported one.
    let native = dir.path().join("claims.geojson");
    harness.get_by_label("Save as a claimmap dataset");
    assert!(
        harness
            .query_all_by_value(&native.display().to_string())
            .next()
            .is_some()
    );
    // The field has the focus: Enter saves.
    harness.key_press(Key::Enter);
    harness.run();
    assert!(!harness.state().window_title().contains('\u{25cf}'));
    let saved = load_path(&native, Gazetteer::embedded()).expect("the new file loads");
    assert_eq!(saved.dataset.incidents().len(), 1);
    assert_eq!(
        std::fs::read_to_string(&csv).expect("csv"),
        text,
        "untouched"
    );
}
