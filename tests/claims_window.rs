//! Claims in the window, headless (egui_kittest). Assigning a side to a claimant: the claimant's
//! name in the claims panel opens a menu of sides; the side picked applies to that claimant in
//! every layer, the contested marks follow, the panel says the side was assigned by the user, and
//! the choice is saved with the settings and applied again after a restart — and taken back by
//! "The file's side". The column-mapping dialog offers the claim columns, so a claims sheet with
//! headers claimmap does not know loads as one.

mod common;

use common::window;

use claimmap::testing::BasemapChoice;
use claimmap::{DateWindow, Gazetteer, Loaded, SideChoices, ViewerApp, load_bytes};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};

/// A village head the claimant registry does not know: without a side, until the user gives one.
const VILLAGE_HEAD: &str = "Village head of Sotk";

/// Two layers, each with an incident where the Azerbaijani ministry and the village head speak.
fn layers() -> Vec<Loaded> {
    let sheet = |id: &str, day: &str, title: &str| {
        format!(
            "incident_id,title,date,place,claimant,quote\n\
             {id},{title},{day},Sotk,Ministry of Defence of Azerbaijan,\"Armenian units opened fire on our positions.\"\n\
             {id},{title},{day},Sotk,{VILLAGE_HEAD},\"The shelling came from the Azerbaijani side.\"\n"
        )
    };
    [
        (
            "first.csv",
            sheet("first", "2021-11-16", "Shelling near Sotk"),
        ),
        (
            "second.csv",
            sheet("second", "2021-11-18", "Night fire at Sotk"),
        ),
    ]
    .iter()
    .map(|(name, text)| load_bytes(text.as_bytes(), name, Gazetteer::embedded()).expect("loads"))
    .collect()
}

/// The window on both layers with `choices` (as saved), the date window over both incidents.
fn harness(choices: SideChoices) -> Harness<'static, ViewerApp> {
    let mut app = ViewerApp::from_loaded(
        layers(),
        Vec::new(),
        window::offline(BasemapChoice::VectorOnly),
    )
    .with_side_choices(choices);
    app.set_window(DateWindow {
        from: common::day("2021-11-01"),
        to: common::day("2021-11-30"),
    });
    window::harness(app, egui::vec2(1400.0, 900.0))
}

/// The village head's side id in each layer.
fn village_head_sides(app: &ViewerApp) -> Vec<String> {
    app.layers()
        .iter()
        .map(|l| {
            let d = &l.loaded.dataset;
            let head = d
                .claimants
                .iter()
                .find(|c| &*c.name == VILLAGE_HEAD)
                .expect("the village head");
            d.side(head.side).id.to_string()
        })
        .collect()
}

/// Whether each layer's incident is contested.
fn contested(app: &ViewerApp) -> Vec<bool> {
    app.layers()
        .iter()
        .map(|l| {
            let d = &l.loaded.dataset;
            d.is_contested(&d.incidents()[0])
        })
        .collect()
}

/// The incidents-in-view list's entries marked contested.
fn marked_contested(harness: &Harness<'static, ViewerApp>) -> usize {
    harness.query_all_by_label_contains("[contested]").count()
}

/// Opens the village head's side menu: the button with his name in the claims panel (the
/// legend's checkbox has it too).
fn open_menu(harness: &mut Harness<'static, ViewerApp>) {
    harness
        .get_by_role_and_label(egui::accesskit::Role::Button, VILLAGE_HEAD)
        .click();
    harness.run();
}

/// An in-memory settings store, as eframe's file is between two runs.
#[derive(Default)]
struct Storage(std::collections::HashMap<String, String>);

impl eframe::Storage for Storage {
    fn get_string(&self, key: &str) -> Option<String> {
        self.0.get(key).cloned()
    }
    fn set_string(&mut self, key: &str, value: String) {
        self.0.insert(key.to_owned(), value);
    }
    fn remove_string(&mut self, key: &str) {
        self.0.remove(key);
    }
    fn flush(&mut self) {}
}

#[test]
fn a_side_assigned_in_the_claims_panel_applies_everywhere_and_is_remembered() {
    let mut harness = harness(SideChoices::default());
    assert_eq!(
        village_head_sides(harness.state()),
        ["unsided", "unsided"],
        "no side in the files, none in the registry"
    );
    assert_eq!(contested(harness.state()), [false, false]);
    assert_eq!(marked_contested(&harness), 0);

    // Open the first incident's claims and the village head's menu; put him on Armenia's side.
    harness.get_by_label_contains("Shelling near Sotk").click();
    harness.run();
    open_menu(&mut harness);
    harness.get_by_label("Armenia").click();
    harness.run();

    // In both layers: the side, the contested mark, the panel's word for it.
    assert_eq!(village_head_sides(harness.state()), ["am", "am"]);
    assert_eq!(contested(harness.state()), [true, true]);
    harness.get_by_label("side: Armenia (assigned by you)");
    harness.get_by_label("Contested: the claims come from different sides");
    harness
        .get_by_label("Back to all incidents in view")
        .click();
    harness.run();
    assert_eq!(
        marked_contested(&harness),
        2,
        "both incidents listed as contested"
    );

    // Saved as eframe saves on quit, and read back by a new window on freshly loaded files.
    let mut storage = Storage::default();
    eframe::App::save(harness.state_mut(), &mut storage);
    let saved: SideChoices =
        eframe::get_value(&storage, "claimmap-side-choices").expect("the choices are saved");
    let restarted = self::harness(saved);
    assert_eq!(village_head_sides(restarted.state()), ["am", "am"]);
    assert_eq!(contested(restarted.state()), [true, true]);
    assert_eq!(marked_contested(&restarted), 2);

    // "The file's side" takes the choice back.
    let mut harness = restarted;
    harness.get_by_label_contains("Night fire at Sotk").click();
    harness.run();
    open_menu(&mut harness);
    harness.get_by_label("The file's side").click();
    harness.run();
    assert_eq!(village_head_sides(harness.state()), ["unsided", "unsided"]);
    assert_eq!(contested(harness.state()), [false, false]);
    assert!(harness.state().side_choices().is_empty());
}

#[test]
fn a_layer_opened_later_takes_the_sides_already_assigned() {
    let mut choices = SideChoices::default();
    let armenia = claimmap::Side {
        id: "am".into(),
        name: "Armenia".into(),
        colour: claimmap::Rgb([0xd6, 0x27, 0x28]),
        party: true,
        extra: None,
    };
    choices.assign("village head of SOTK", &armenia);
    let mut app = ViewerApp::from_loaded(
        Vec::new(),
        Vec::new(),
        window::offline(BasemapChoice::VectorOnly),
    )
    .with_side_choices(choices);
    for layer in layers() {
        app.add_layer(layer);
    }
    assert_eq!(
        village_head_sides(&app),
        ["am", "am"],
        "matched by name, any case"
    );
    assert_eq!(contested(&app), [true, true]);
}

/// Waits for the window's background loads.
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

/// Picks `column` in the mapping dialog's drop-down labelled `role`.
fn pick(harness: &mut Harness<'static, ViewerApp>, role: &str, column: &str) {
    harness.get_by_label(role).click();
    // A drop-down opening in a window takes a few frames to settle its size.
    harness.run_steps(8);
    // The drop-down's entry, not the preview's header cell of the same name.
    harness
        .query_all_by_label(column)
        .find(|n| n.accesskit_node().role() != egui::accesskit::Role::Label)
        .unwrap_or_else(|| panic!("no entry {column} under {role}"))
        .click();
    harness.run_steps(8);
}

#[test]
fn the_mapping_dialog_offers_the_claim_columns() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("statements.csv");
    std::fs::write(
        &path,
        "Case,Day of event,Village,Person,Faction,Words,Published by\n\
         k1,16.11.2021,Sotk,Ministry of Defence of Armenia,Armenia,Azerbaijani units attacked.,Armenpress\n\
         k1,16.11.2021,Sotk,Ministry of Defence of Azerbaijan,Azerbaijan,Armenian units attacked.,AZERTAC\n",
    )
    .expect("write");
    let mut harness = window::harness(
        ViewerApp::from_loaded(
            Vec::new(),
            Vec::new(),
            window::offline(BasemapChoice::VectorOnly),
        ),
        egui::vec2(1400.0, 900.0),
    );
    let ctx = harness.ctx.clone();
    harness.state_mut().open_dataset(path, &ctx);
    wait_for_loads(&mut harness);
    harness.run();
    harness.get_by_label("Which columns hold what?");
    for role in [
        "Claimant (who said it)",
        "Claimant's side",
        "Quote",
        "Said on (statement date)",
        "Outlet",
        "From (origin of fire)",
        "To (target)",
        "Identifier (incident id)",
        "URL",
    ] {
        harness.get_by_label(role);
    }
    pick(&mut harness, "Date (or start)", "Day of event");
    pick(&mut harness, "Identifier (incident id)", "Case");
    pick(&mut harness, "Place name", "Village");
    pick(&mut harness, "Claimant (who said it)", "Person");
    pick(&mut harness, "Claimant's side", "Faction");
    pick(&mut harness, "Quote", "Words");
    pick(&mut harness, "Outlet", "Published by");
    harness.get_by_label("Load with this mapping").click();
    // The dialog closing and the load starting take a few frames.
    harness.run_steps(8);
    wait_for_loads(&mut harness);
    harness.run_steps(8);
    let layers = harness.state().layers();
    assert_eq!(layers.len(), 1, "{:?}", harness.state().failures());
    let loaded = &layers[0].loaded;
    assert_eq!(loaded.report.format, claimmap::Format::Claims);
    let d = &loaded.dataset;
    assert_eq!(d.incidents().len(), 1, "{:?}", loaded.report.errors);
    let incident = &d.incidents()[0];
    assert_eq!(&*incident.id, "k1");
    assert_eq!(incident.claims.len(), 2);
    assert!(d.is_contested(incident));
    assert_eq!(
        incident.claims[1].source.outlet.map(|o| d.text(o)),
        Some("AZERTAC")
    );
}

#[test]
fn the_settings_file_check_keeps_sound_side_choices_and_resets_garbled_ones() {
    use claimmap::testing::settings_file::{SIDE_CHOICES_KEY, repair_entries};
    let mut choices = SideChoices::default();
    choices.assign(
        VILLAGE_HEAD,
        &claimmap::Side {
            id: "am".into(),
            name: "Armenia".into(),
            colour: claimmap::Rgb([0xd6, 0x27, 0x28]),
            party: true,
            extra: None,
        },
    );
    let sound = ron::ser::to_string(&choices).expect("ron");
    let mut entries = std::collections::BTreeMap::from([(SIDE_CHOICES_KEY.to_owned(), sound)]);
    assert!(repair_entries(&mut entries).is_empty());
    let read: SideChoices = ron::from_str(&entries[SIDE_CHOICES_KEY]).expect("kept");
    assert_eq!(read, choices);

    let mut garbled =
        std::collections::BTreeMap::from([(SIDE_CHOICES_KEY.to_owned(), "{\"x\": 3".to_owned())]);
    let resets = repair_entries(&mut garbled);
    assert_eq!(resets.len(), 1, "{resets:?}");
    assert!(resets[0].contains("sides you assigned"), "{resets:?}");
    assert!(!garbled.contains_key(SIDE_CHOICES_KEY));
}
