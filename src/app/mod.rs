//! The window. For now a plain one: the loaded datasets, their incidents, and the claims of the
//! selected incident side by side; the map and the timeline come next.

mod claims_panel;
pub mod fonts;

use std::path::PathBuf;

use egui::{RichText, Ui};

use crate::formats::{self, Loaded};
use crate::gazetteer::{ATTRIBUTION, Convention, Gazetteer, Naming};

pub use claims_panel::ClaimsPanel;
pub use fonts::install as install_fonts;

/// Storage key of the naming convention.
const NAMING_KEY: &str = "naming";

/// What the window shows, loaded once; the views read it.
pub struct ViewerApp {
    loaded: Vec<Loaded>,
    failures: Vec<String>,
    /// (dataset index, incident index) of the selected incident.
    selected: Option<(usize, usize)>,
    naming: Naming,
}

fn naming_code(naming: Naming) -> String {
    match naming {
        Naming::Single(c) => c.code().to_owned(),
        Naming::Dual(a, b) => format!("{}+{}", a.code(), b.code()),
    }
}

fn parse_naming(code: &str) -> Option<Naming> {
    match code.split_once('+') {
        Some((a, b)) => Some(Naming::Dual(Convention::parse(a)?, Convention::parse(b)?)),
        None => Convention::parse(code).map(Naming::Single),
    }
}

impl ViewerApp {
    /// Loads `files`, or the embedded reference dataset when there are none.
    pub fn from_loaded(loaded: Vec<Loaded>, failures: Vec<String>) -> ViewerApp {
        ViewerApp {
            loaded,
            failures,
            selected: None,
            naming: Naming::default(),
        }
    }

    pub fn new(files: &[PathBuf]) -> ViewerApp {
        let gazetteer = Gazetteer::embedded();
        let mut loaded = Vec::new();
        let mut failures = Vec::new();
        if files.is_empty() {
            loaded.push(formats::load_reference(gazetteer));
        }
        for path in files {
            match formats::load_path(path, gazetteer) {
                Ok(l) => loaded.push(l),
                Err(e) => failures.push(e.to_string()),
            }
        }
        ViewerApp::from_loaded(loaded, failures)
    }

    fn menu(&mut self, ui: &mut Ui) {
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| {
                if ui.button("Quit").clicked() {
                    ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
                }
            });
            ui.menu_button("Names", |ui| {
                let choices = [
                    Naming::Single(Convention::English),
                    Naming::Single(Convention::Azerbaijani),
                    Naming::Single(Convention::Armenian),
                    Naming::Single(Convention::Russian),
                    Naming::Dual(Convention::English, Convention::Armenian),
                    Naming::Dual(Convention::Azerbaijani, Convention::Armenian),
                ];
                for choice in choices {
                    let label = match choice {
                        Naming::Single(c) => c.label().to_owned(),
                        Naming::Dual(a, b) => format!("{} / {}", a.label(), b.label()),
                    };
                    ui.radio_value(&mut self.naming, choice, label);
                }
            });
        });
    }

    fn incident_list(&mut self, ui: &mut Ui) {
        for message in &self.failures {
            ui.colored_label(ui.visuals().error_fg_color, message);
        }
        egui::ScrollArea::vertical().show(ui, |ui| {
            for (d, Loaded { dataset, report }) in self.loaded.iter().enumerate() {
                ui.label(RichText::new(&*dataset.meta.title).strong());
                ui.label(
                    RichText::new(format!(
                        "{} loaded, {} skipped, {} warnings",
                        report.loaded,
                        report.skipped,
                        report.warnings.len()
                    ))
                    .small(),
                );
                for error in &report.errors {
                    ui.colored_label(ui.visuals().error_fg_color, error.to_string());
                }
                for (i, incident) in dataset.incidents().iter().enumerate() {
                    let mark = if dataset.is_contested(incident) {
                        "[contested] "
                    } else {
                        ""
                    };
                    let text = format!("{} {mark}{}", incident.date.start(), incident.title);
                    if ui
                        .selectable_label(self.selected == Some((d, i)), text)
                        .clicked()
                    {
                        self.selected = Some((d, i));
                    }
                }
                ui.separator();
            }
        });
    }
}

impl eframe::App for ViewerApp {
    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        self.show(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        storage.set_string(NAMING_KEY, naming_code(self.naming));
    }
}

impl ViewerApp {
    /// Draws the whole window into `ui`; separate from `eframe::App` so tests run it headless.
    pub fn show(&mut self, ui: &mut Ui) {
        if ui.input(|i| i.key_pressed(egui::Key::Escape)) {
            self.selected = None;
        }
        egui::Panel::top("menu").show(ui, |ui| self.menu(ui));
        egui::Panel::bottom("status").show(ui, |ui| {
            let incidents: usize = self
                .loaded
                .iter()
                .map(|l| l.dataset.incidents().len())
                .sum();
            ui.horizontal(|ui| {
                ui.label(format!("{incidents} incidents"));
                ui.separator();
                ui.label(RichText::new(ATTRIBUTION).small());
            });
        });
        egui::Panel::left("incidents")
            .default_size(420.0)
            .show(ui, |ui| self.incident_list(ui));
        egui::CentralPanel::default().show(ui, |ui| {
            let selected = self.selected.and_then(|(d, i)| {
                let dataset = &self.loaded.get(d)?.dataset;
                Some((dataset, dataset.incidents().get(i)?))
            });
            match selected {
                Some((dataset, incident)) => {
                    ClaimsPanel::show(ui, dataset, incident, Gazetteer::embedded(), self.naming)
                }
                None => {
                    ui.label("Select an incident to read its claims side by side.");
                }
            }
        });
    }

    pub fn naming(&self) -> Naming {
        self.naming
    }
}

/// Opens the window on `files`.
pub fn run(files: &[PathBuf]) -> eframe::Result {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_inner_size([1400.0, 900.0])
            .with_title("claimmap"),
        ..Default::default()
    };
    let files = files.to_vec();
    eframe::run_native(
        "claimmap",
        options,
        Box::new(move |cc| {
            fonts::install(&cc.egui_ctx);
            let mut app = ViewerApp::new(&files);
            if let Some(naming) = cc
                .storage
                .and_then(|s| s.get_string(NAMING_KEY))
                .and_then(|c| parse_naming(&c))
            {
                app.naming = naming;
            }
            Ok(Box::new(app))
        }),
    )
}
