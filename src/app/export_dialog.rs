//! File → Export image (Ctrl+E): size, scale, layout, title and footer for a figure of what the
//! map shows now, and the tables of the visible incidents and claims beside it.
//!
//! The picture is rendered by [`crate::export`] from the same state as the window, so it is the
//! picture `claimmap export` gives for the same view, not a screenshot.

use std::path::{Path, PathBuf};

use egui::{Key, RichText};

use crate::export::tables::Table;
use crate::export::{ExportSpec, Layout};

/// The image sizes offered.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum SizeChoice {
    /// The map as it is on screen, at the screen's pixel density.
    Window,
    FullHd,
    UltraHd,
    Custom,
}

/// What the user asked for, once they press Export.
pub struct ExportRequest {
    pub spec: ExportSpec,
    pub path: PathBuf,
    pub tables: Vec<(Table, PathBuf)>,
}

pub struct ExportDialog {
    pub size: SizeChoice,
    pub custom: [u32; 2],
    pub scale: f32,
    pub with_claims: bool,
    pub inset: bool,
    pub title: String,
    pub footer: String,
    pub path: String,
    pub tables: [bool; 4],
    /// The outcome of the last export, shown under the button.
    pub message: Option<Result<String, String>>,
}

const TABLES: [(Table, &str, &str); 4] = [
    (
        Table::IncidentsGeoJson,
        "incidents GeoJSON",
        "-incidents.geojson",
    ),
    (Table::IncidentsCsv, "incidents CSV", "-incidents.csv"),
    (Table::ClaimsMarkdown, "claims Markdown", "-claims.md"),
    (Table::ClaimsCsv, "claims CSV", "-claims.csv"),
];

impl ExportDialog {
    pub fn new(title: String, last_dir: Option<&Path>) -> ExportDialog {
        let dir = last_dir
            .map(Path::to_owned)
            .or_else(dirs::picture_dir)
            .or_else(|| std::env::current_dir().ok())
            .unwrap_or_default();
        ExportDialog {
            size: SizeChoice::FullHd,
            custom: [2400, 1600],
            scale: 1.0,
            with_claims: false,
            inset: true,
            title,
            footer: String::new(),
            path: dir.join("claimmap-figure.png").display().to_string(),
            tables: [false; 4],
            message: None,
        }
    }

    /// Pixel size for the current choice; `window_px` is the map's size on screen in pixels.
    pub fn size_px(&self, window_px: [u32; 2]) -> [u32; 2] {
        match self.size {
            SizeChoice::Window => window_px,
            SizeChoice::FullHd => [1920, 1080],
            SizeChoice::UltraHd => [3840, 2160],
            SizeChoice::Custom => self.custom,
        }
    }

    /// The tables to write beside `png`, named after it.
    fn table_paths(&self, png: &Path) -> Vec<(Table, PathBuf)> {
        let stem = png
            .file_stem()
            .map_or_else(|| "claimmap".into(), |s| s.to_string_lossy().into_owned());
        TABLES
            .iter()
            .zip(self.tables)
            .filter(|(_, on)| *on)
            .map(|((table, _, suffix), _)| (*table, png.with_file_name(format!("{stem}{suffix}"))))
            .collect()
    }

    /// Shows the dialog. Returns `Some(request)` when Export is pressed, and sets `open` to false
    /// when the window is closed.
    pub fn show(
        &mut self,
        ctx: &egui::Context,
        open: &mut bool,
        window_px: [u32; 2],
        window_scale: f32,
    ) -> Option<ExportRequest> {
        let mut request = None;
        egui::Window::new("Export image")
            .collapsible(false)
            .resizable(false)
            .open(open)
            .show(ctx, |ui| {
                ui.label(RichText::new("Size").strong());
                ui.horizontal_wrapped(|ui| {
                    let [w, h] = window_px;
                    ui.radio_value(&mut self.size, SizeChoice::Window, format!("Map as on screen ({w}×{h})"));
                    ui.radio_value(&mut self.size, SizeChoice::FullHd, "1920×1080");
                    ui.radio_value(&mut self.size, SizeChoice::UltraHd, "3840×2160");
                    ui.radio_value(&mut self.size, SizeChoice::Custom, "Custom");
                });
                if self.size == SizeChoice::Custom {
                    ui.horizontal(|ui| {
                        let w = ui.label("Width");
                        ui.add(egui::DragValue::new(&mut self.custom[0]).range(1..=crate::export::render::MAX_SIDE_PX).suffix(" px"))
                            .labelled_by(w.id);
                        let h = ui.label("Height");
                        ui.add(egui::DragValue::new(&mut self.custom[1]).range(1..=crate::export::render::MAX_SIDE_PX).suffix(" px"))
                            .labelled_by(h.id);
                    });
                }
                if self.size == SizeChoice::Window {
                    self.scale = window_scale;
                }
                ui.horizontal(|ui| {
                    let label = ui.label("Scale (text, markers and lines)");
                    ui.add_enabled(
                        self.size != SizeChoice::Window,
                        egui::Slider::new(&mut self.scale, 1.0..=4.0).step_by(0.5).suffix("×"),
                    )
                    .labelled_by(label.id);
                });
                ui.label(
                    RichText::new("Same centre and zoom as the map. A larger image at 1× shows more of the map; 2× shows the area of half the size, twice as sharp.")
                        .small()
                        .weak(),
                );
                ui.separator();
                ui.horizontal(|ui| {
                    ui.radio_value(&mut self.with_claims, false, "Map only");
                    ui.radio_value(&mut self.with_claims, true, "Map and the selected incident's claims");
                });
                ui.checkbox(&mut self.inset, "Quote the selected incident's claims over the map, numbered");
                ui.horizontal(|ui| {
                    let label = ui.label("Title");
                    ui.add(egui::TextEdit::singleline(&mut self.title).desired_width(380.0).id_salt("export-title").hint_text("from the data: what, where, when"))
                        .labelled_by(label.id);
                });
                ui.horizontal(|ui| {
                    let label = ui.label("Footer note");
                    ui.add(egui::TextEdit::singleline(&mut self.footer).desired_width(350.0).id_salt("export-footer"))
                        .labelled_by(label.id);
                });
                ui.separator();
                ui.horizontal(|ui| {
                    let label = ui.label("Save as");
                    ui.add(egui::TextEdit::singleline(&mut self.path).desired_width(330.0).id_salt("export-path"))
                        .labelled_by(label.id);
                    if ui.button("Choose…").clicked() {
                        let current = PathBuf::from(self.path.trim());
                        let mut dialog = rfd::FileDialog::new()
                            .set_title("Export image")
                            .add_filter("PNG image", &["png"]);
                        if let Some(dir) = current.parent() {
                            dialog = dialog.set_directory(dir);
                        }
                        if let Some(name) = current.file_name() {
                            dialog = dialog.set_file_name(name.to_string_lossy());
                        }
                        // No native dialog here: the path field above is the way.
                        if let Some(path) = dialog.save_file() {
                            self.path = path.display().to_string();
                        }
                    }
                });
                ui.horizontal_wrapped(|ui| {
                    ui.label("Also write:");
                    for (i, (_, label, _)) in TABLES.iter().enumerate() {
                        ui.checkbox(&mut self.tables[i], *label);
                    }
                });
                ui.separator();
                let enter = ui.input(|i| i.key_pressed(Key::Enter)) && !ctx.egui_wants_keyboard_input();
                if ui.button(RichText::new("Export").strong()).clicked() || enter {
                    let mut path = PathBuf::from(self.path.trim());
                    if path.extension().is_none() {
                        path.set_extension("png");
                    }
                    let spec = ExportSpec {
                        size_px: self.size_px(window_px),
                        scale: self.scale,
                        layout: if self.with_claims { Layout::MapAndClaims } else { Layout::Map },
                        title: Some(self.title.clone()).filter(|t| !t.trim().is_empty()),
                        footer: Some(self.footer.clone()).filter(|t| !t.trim().is_empty()),
                        claims_inset: self.inset,
                        ..ExportSpec::default()
                    };
                    request = Some(ExportRequest {
                        tables: self.table_paths(&path),
                        spec,
                        path,
                    });
                }
                match &self.message {
                    Some(Ok(done)) => {
                        ui.label(RichText::new(done).color(egui::Color32::from_rgb(0x2e, 0x7d, 0x32)));
                    }
                    Some(Err(problem)) => {
                        ui.colored_label(ui.visuals().error_fg_color, problem);
                    }
                    None => {}
                }
            });
        request
    }
}
