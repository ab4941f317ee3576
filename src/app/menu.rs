//! The menu bar (File, Edit, Names, View) and the side panels' toggles at its right end.

use egui::Ui;

use super::panels::{PanelLayout, Side};
use super::{NAMINGS, ViewerApp, naming_label};

impl ViewerApp {
    /// Shows or folds a side panel: a shown panel folds away; a folded one (turned off, or
    /// making way for the other in a narrow window) is shown and becomes the one turned to.
    pub(super) fn toggle_panel(&mut self, side: Side, shown: bool) {
        let want = match side {
            Side::Layers => &mut self.settings.show_layers_panel,
            Side::Claims => &mut self.settings.show_claims_panel,
        };
        *want = !shown;
        if !shown {
            self.panel_turned_to = side;
        }
    }

    /// The side panels' toggles, at the right end of the menu bar: each says whether its panel
    /// is shown.
    pub(super) fn panel_toggles(&mut self, ui: &mut Ui, layout: PanelLayout) {
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            for (side, shown, label, hint) in [
                (
                    Side::Claims,
                    layout.claims.is_some(),
                    "Claims panel",
                    "Show or hide the claims panel",
                ),
                (
                    Side::Layers,
                    layout.layers.is_some(),
                    "Layers panel",
                    "Show or hide the layers panel",
                ),
            ] {
                if ui
                    .selectable_label(shown, label)
                    .on_hover_text(hint)
                    .clicked()
                {
                    self.toggle_panel(side, shown);
                }
            }
        });
    }

    pub(super) fn menu(&mut self, ui: &mut Ui, layout: PanelLayout) {
        let ctx = ui.ctx().clone();
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| {
                if ui.button("Open dataset…  (Ctrl+O)").clicked() {
                    self.ask_for_datasets(&ctx);
                    ui.close();
                }
                ui.menu_button("Open recent", |ui| {
                    if self.settings.recent.is_empty() {
                        ui.label("No recent files");
                    }
                    for path in self.settings.recent.clone() {
                        if ui.button(path.display().to_string()).clicked() {
                            self.open_dataset(path, &ctx);
                            ui.close();
                        }
                    }
                });
                if ui.button("Open tile file (MBTiles, PMTiles)…").clicked() {
                    self.ask_for_tile_file(&ctx);
                    ui.close();
                }
                if ui.button("New from report…").clicked() {
                    self.open_draft_review();
                    ui.close();
                }
                let current = self.current_layer();
                if ui
                    .add_enabled(current.is_some(), egui::Button::new("Save  (Ctrl+S)"))
                    .on_hover_text("Save the edited layer in claimmap's format; an imported file is never written, so it is saved as a new file")
                    .clicked()
                    && let Some(i) = current
                {
                    self.save_layer(i);
                    ui.close();
                }
                if ui
                    .add_enabled(current.is_some(), egui::Button::new("Save as…"))
                    .clicked()
                    && let Some(i) = current
                {
                    self.ask_save_path(i);
                    ui.close();
                }
                ui.separator();
                if ui.button("Export image…  (Ctrl+E)").clicked() {
                    self.open_export_dialog();
                    ui.close();
                }
                let before = self.settings.scene.offline;
                ui.checkbox(
                    &mut self.settings.scene.offline,
                    "Offline (no network requests)",
                );
                if self.settings.scene.offline != before {
                    self.apply_basemap(&ctx);
                }
                self.clear_tile_cache_item(ui, &ctx);
                ui.separator();
                if ui.button("Quit").clicked() {
                    self.request_quit(&ctx);
                    ui.close();
                }
            });
            ui.menu_button("Edit", |ui| {
                let undo = self.document.undo_label().map(|l| format!("Undo {l}  (Ctrl+Z)"));
                if ui
                    .add_enabled(undo.is_some(), egui::Button::new(undo.as_deref().unwrap_or("Undo  (Ctrl+Z)")))
                    .clicked()
                {
                    self.undo();
                    ui.close();
                }
                let redo = self.document.redo_label().map(|l| format!("Redo {l}  (Ctrl+Shift+Z)"));
                if ui
                    .add_enabled(redo.is_some(), egui::Button::new(redo.as_deref().unwrap_or("Redo  (Ctrl+Shift+Z)")))
                    .clicked()
                {
                    self.redo();
                    ui.close();
                }
                ui.separator();
                if ui.button("New incident…  (Ctrl+Shift+N)").clicked() {
                    self.open_new_incident_form();
                    ui.close();
                }
                let selected = self.document.selected();
                if ui
                    .add_enabled(selected.is_some(), egui::Button::new("Edit the selected incident…  (Ctrl+Shift+E)"))
                    .clicked()
                    && let Some(r) = selected
                {
                    self.open_edit_form(r);
                    ui.close();
                }
                if ui
                    .add_enabled(selected.is_some(), egui::Button::new("Delete the selected incident"))
                    .clicked()
                    && let Some(r) = selected
                {
                    self.delete_incident(r);
                    ui.close();
                }
            });
            ui.menu_button("Names", |ui| {
                for choice in NAMINGS {
                    ui.radio_value(
                        &mut self.settings.scene.naming,
                        choice,
                        naming_label(choice),
                    );
                }
            });
            ui.menu_button("View", |ui| {
                if ui.button("Frame the incidents").clicked() {
                    self.reframe();
                    ui.close();
                }
                for (side, shown, label) in [
                    (Side::Layers, layout.layers.is_some(), "Layers panel"),
                    (Side::Claims, layout.claims.is_some(), "Claims panel"),
                ] {
                    let mut check = shown;
                    if ui.checkbox(&mut check, label).changed() {
                        self.toggle_panel(side, shown);
                    }
                }
                ui.separator();
                ui.checkbox(
                    &mut self.settings.scene.show_historical,
                    "Historical layer (1994 cease-fire line, 1991 NKAO)",
                );
                ui.checkbox(
                    &mut self.settings.scene.show_districts,
                    "Rayon and marz outlines",
                );
                ui.checkbox(&mut self.settings.scene.show_places, "Place names");
                ui.checkbox(&mut self.settings.scene.show_arrows, "Claim arrows");
            });
            self.panel_toggles(ui, layout);
        });
    }
}
