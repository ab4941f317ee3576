//! The small windows: a path field where no native file dialog exists, the column mapping of a
//! table claimmap could not read by itself, and the import report of a loaded file.

use std::path::{Path, PathBuf};

use egui::{Key, RichText};

use crate::formats::{ColumnMapping, CoordinateOrder, LoadReport};

use super::path_field;

/// What a typed path is for.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum PathPurpose {
    Dataset,
    Tiles,
    /// Where to save a layer in the native format.
    SaveAs(crate::scene::LayerKey),
}

/// The path field shown when no native file dialog is available: focused when it opens, in
/// the folder of the last file opened, completing paths on Tab.
pub struct PathPrompt {
    pub purpose: PathPurpose,
    pub text: String,
    /// Focus is asked for once, when the field is first shown.
    focused: bool,
    /// What the last Tab found when several entries matched.
    candidates: Vec<String>,
    matches: usize,
}

impl PathPrompt {
    /// A prompt starting in the folder of `last` (the last file opened for this purpose).
    pub fn new(purpose: PathPurpose, last: Option<&Path>) -> PathPrompt {
        PathPrompt {
            purpose,
            text: path_field::start_text(last),
            focused: false,
            candidates: Vec::new(),
            matches: 0,
        }
    }

    /// Shows the prompt; `Some(Some(path))` when the user opens, `Some(None)` when they close it.
    pub fn show(&mut self, ctx: &egui::Context) -> Option<Option<PathBuf>> {
        let mut open = true;
        let mut chosen = None;
        let title = match self.purpose {
            PathPurpose::Dataset => "Open dataset",
            PathPurpose::Tiles => "Open tile file",
            PathPurpose::SaveAs(_) => "Save as a claimmap dataset",
        };
        egui::Window::new(title).collapsible(false).open(&mut open).show(ctx, |ui| {
            let label = ui.label(match self.purpose {
                PathPurpose::Dataset => "Path of a dataset (claimmap GeoJSON, ACLED or UCDP GED CSV, CSV/TSV, GeoJSON):",
                PathPurpose::Tiles => "Path of an MBTiles or PMTiles file:",
                PathPurpose::SaveAs(_) => "Path of the new file (claimmap GeoJSON; an existing file is replaced):",
            });
            // Tab stays in the field, to complete the path, rather than moving the focus on.
            let keep_tab = egui::EventFilter {
                tab: true,
                ..Default::default()
            };
            let output = egui::TextEdit::singleline(&mut self.text)
                .desired_width(420.0)
                .id_salt("path-field")
                .hint_text("Tab completes")
                .event_filter(keep_tab)
                .show(ui);
            let edit = output.response.response.clone().labelled_by(label.id);
            if !self.focused {
                edit.request_focus();
                self.focused = true;
            }
            if edit.has_focus() && ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, Key::Tab)) {
                let completion = path_field::complete(&self.text);
                self.text = completion.text;
                self.candidates = completion.candidates;
                self.matches = completion.matches;
                // The cursor to the end of what was completed, to go on typing.
                let mut state = output.state;
                let end = egui::text::CCursor::new(self.text.chars().count());
                state
                    .cursor
                    .set_char_range(Some(egui::text::CCursorRange::one(end)));
                state.store(ui.ctx(), edit.id);
            }
            let enter = edit.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
            if !self.candidates.is_empty() {
                let mut picked = None;
                ui.horizontal_wrapped(|ui| {
                    for name in &self.candidates {
                        if ui.small_button(name).clicked() {
                            picked = Some(name.clone());
                        }
                    }
                    if self.matches > self.candidates.len() {
                        ui.label(
                            RichText::new(format!(
                                "and {} more",
                                self.matches - self.candidates.len()
                            ))
                            .small(),
                        );
                    }
                });
                if let Some(name) = picked {
                    let folder_end = self.text.rfind(['/', std::path::MAIN_SEPARATOR]).map_or(0, |at| at + 1);
                    self.text.truncate(folder_end);
                    self.text.push_str(&name);
                    self.candidates.clear();
                    edit.request_focus();
                }
            }
            let verb = match self.purpose {
                PathPurpose::SaveAs(_) => "Save",
                _ => "Open",
            };
            if (ui.button(verb).clicked() || enter) && !self.text.trim().is_empty() {
                chosen = Some(PathBuf::from(path_field::expand_home(self.text.trim())));
            }
        });
        match (chosen, open) {
            (Some(path), _) => Some(Some(path)),
            (None, false) => Some(None),
            (None, true) => None,
        }
    }
}

/// Choosing which columns of a table hold what, with a preview.
pub struct MappingDialog {
    pub path: PathBuf,
    pub mapping: ColumnMapping,
    pub problem: String,
    /// The first rows, split by the table's delimiter.
    pub preview: Vec<Vec<String>>,
}

/// Rows of a table shown in the mapping dialog's preview.
const PREVIEW_ROWS: usize = 6;

impl MappingDialog {
    pub fn new(path: PathBuf, mapping: ColumnMapping, problem: String) -> MappingDialog {
        let rows = |reader: &mut dyn std::io::Read| -> Vec<Vec<String>> {
            csv::ReaderBuilder::new()
                .delimiter(mapping.delimiter.max(b','))
                .has_headers(true)
                .flexible(true)
                .from_reader(reader)
                .records()
                .take(PREVIEW_ROWS)
                .filter_map(Result::ok)
                .map(|r| r.iter().map(str::to_owned).collect())
                .collect()
        };
        // A workbook's sheet is previewed as claimmap reads it: as the table it holds.
        let preview = match crate::formats::workbook_table_text(&path) {
            Some(text) => rows(&mut text.as_bytes()),
            None => std::fs::File::open(&path)
                .ok()
                .map(|mut file| rows(&mut file))
                .unwrap_or_default(),
        };
        MappingDialog {
            path,
            mapping,
            problem,
            preview,
        }
    }

    /// Shows the dialog; `Some(Some(mapping))` to load with it, `Some(None)` when abandoned.
    pub fn show(&mut self, ctx: &egui::Context) -> Option<Option<ColumnMapping>> {
        let mut open = true;
        let mut load = false;
        let header = self.mapping.header.clone();
        egui::Window::new("Which columns hold what?")
            .open(&mut open)
            .default_width(720.0)
            .show(ctx, |ui| {
                ui.label(RichText::new(self.path.display().to_string()).strong());
                ui.label(RichText::new(&self.problem).small().weak());
                ui.separator();
                egui::Grid::new("mapping").num_columns(2).show(ui, |ui| {
                    let row = |ui: &mut egui::Ui, label: &str, slot: &mut Option<usize>| {
                        let caption = ui.label(label);
                        let shown = slot
                            .and_then(|i| header.get(i))
                            .cloned()
                            .unwrap_or_else(|| "(none)".into());
                        let _ = egui::ComboBox::from_id_salt(label)
                            .selected_text(shown)
                            .show_ui(ui, |ui| {
                                ui.selectable_value(slot, None, "(none)");
                                for (i, name) in header.iter().enumerate() {
                                    ui.selectable_value(slot, Some(i), name);
                                }
                            })
                            .response
                            .labelled_by(caption.id);
                        ui.end_row();
                    };
                    let m = &mut self.mapping;
                    row(ui, "Date (or start)", &mut m.date);
                    row(ui, "End date", &mut m.date_end);
                    row(ui, "Latitude", &mut m.latitude);
                    row(ui, "Longitude", &mut m.longitude);
                    row(ui, "Coordinates in one column", &mut m.coordinates);
                    row(ui, "Place name", &mut m.place);
                    row(ui, "Title", &mut m.title);
                    row(ui, "Description (quoted)", &mut m.description);
                    row(ui, "Source", &mut m.source);
                    row(ui, "URL", &mut m.url);
                    row(ui, "Identifier (incident id)", &mut m.id);
                    row(ui, "Category", &mut m.category);
                    row(ui, "Country (checks points)", &mut m.country);
                    // A claimant column makes the table a claims sheet: one row per claim,
                    // several rows per incident (grouped by the identifier, or date and place).
                    ui.label(RichText::new("Claims, one row each").strong());
                    ui.label(
                        RichText::new("choose a claimant column to read a claims sheet")
                            .small()
                            .weak(),
                    );
                    ui.end_row();
                    let c = &mut m.claims;
                    row(ui, "Claimant (who said it)", &mut c.claimant);
                    row(ui, "Claimant's side", &mut c.side);
                    row(ui, "Quote", &mut c.quote);
                    row(ui, "Summary", &mut c.summary);
                    row(ui, "Said on (statement date)", &mut c.said_on);
                    row(ui, "Outlet", &mut c.outlet);
                    row(ui, "From (origin of fire)", &mut c.from);
                    row(ui, "To (target)", &mut c.to);
                    row(ui, "Losses claimed", &mut c.losses);
                    row(ui, "Date precision", &mut c.date_precision);
                    row(ui, "Date reason (inferred)", &mut c.date_reason);
                    row(ui, "Location precision", &mut c.location_precision);
                    ui.label("One-column coordinates are");
                    ui.horizontal(|ui| {
                        ui.radio_value(
                            &mut m.coordinate_order,
                            CoordinateOrder::LatLon,
                            "latitude, longitude",
                        );
                        ui.radio_value(
                            &mut m.coordinate_order,
                            CoordinateOrder::LonLat,
                            "longitude latitude",
                        );
                    });
                    ui.end_row();
                });
                ui.separator();
                ui.label(RichText::new("Preview").strong());
                egui::ScrollArea::both().max_height(180.0).show(ui, |ui| {
                    egui::Grid::new("preview").striped(true).show(ui, |ui| {
                        for name in &header {
                            ui.label(RichText::new(name).strong().small());
                        }
                        ui.end_row();
                        for record in &self.preview {
                            for value in record {
                                let short: String = value.chars().take(40).collect();
                                ui.label(RichText::new(short).small());
                            }
                            ui.end_row();
                        }
                    });
                });
                let missing = self.mapping.missing();
                if missing.is_empty() {
                    load = ui.button("Load with this mapping").clicked();
                } else {
                    ui.label(
                        RichText::new(format!("Still needed: {}", missing.join(", ")))
                            .color(ui.visuals().warn_fg_color),
                    );
                }
            });
        match (load, open) {
            (true, _) => Some(Some(self.mapping.clone())),
            (false, false) => Some(None),
            (false, true) => None,
        }
    }
}

/// The import report of one file; returns `false` once the user closes it.
pub fn report_window(ctx: &egui::Context, title: &str, report: &LoadReport) -> bool {
    let mut open = true;
    egui::Window::new(format!("Import report: {title}"))
        .id(egui::Id::unique(("report", &report.path)))
        .open(&mut open)
        .default_width(640.0)
        .show(ctx, |ui| {
            egui::Grid::new("report-facts")
                .num_columns(2)
                .show(ui, |ui| {
                    for (label, value) in [
                        ("File", report.path.clone()),
                        ("Detected format", report.format.as_str().to_owned()),
                        ("Rows read", report.rows.to_string()),
                        ("Incidents loaded", report.loaded.to_string()),
                        ("Rows skipped", report.skipped.to_string()),
                        ("Errors", report.error_count.to_string()),
                        ("Warnings", report.warning_count.to_string()),
                        ("Unlocated incidents", report.unlocated.to_string()),
                    ] {
                        ui.label(label);
                        ui.label(value);
                        ui.end_row();
                    }
                });
            egui::ScrollArea::vertical()
                .max_height(420.0)
                .show(ui, |ui| {
                    if !report.errors.is_empty() {
                        ui.separator();
                        ui.label(RichText::new("Rows not loaded").strong());
                        for issue in &report.errors {
                            ui.label(RichText::new(issue.to_string()).small());
                        }
                        if report.error_count > report.errors.len() {
                            ui.label(
                                RichText::new(format!(
                                    "… and {} more",
                                    report.error_count - report.errors.len()
                                ))
                                .small()
                                .weak(),
                            );
                        }
                    }
                    if !report.warnings.is_empty() {
                        ui.separator();
                        ui.label(RichText::new("Warnings").strong());
                        for issue in &report.warnings {
                            ui.label(RichText::new(issue.to_string()).small());
                        }
                        if report.warning_count > report.warnings.len() {
                            ui.label(
                                RichText::new(format!(
                                    "… and {} more",
                                    report.warning_count - report.warnings.len()
                                ))
                                .small()
                                .weak(),
                            );
                        }
                    }
                    if !report.unresolved_places.is_empty() {
                        ui.separator();
                        ui.label(
                            RichText::new(format!(
                                "Place names not in the gazetteer ({})",
                                report.unresolved_places.len()
                            ))
                            .strong(),
                        );
                        ui.label(
                            RichText::new(
                                report
                                    .unresolved_places
                                    .iter()
                                    .take(200)
                                    .cloned()
                                    .collect::<Vec<_>>()
                                    .join("; "),
                            )
                            .small(),
                        );
                    }
                });
        });
    open
}
