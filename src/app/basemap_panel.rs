//! The basemap chooser in the layers panel: the embedded map, the presets (each provider's terms
//! on hover), the online sources the user added, and a form to add one from a URL template.

use egui::{RichText, Ui};

use crate::scene::settings::{BasemapChoice, Settings};
use crate::tiles::{PRESETS, TileSource};

/// The add-a-source form, kept in egui's memory between frames while it is open.
#[derive(Clone, Default)]
struct SourceForm {
    open: bool,
    name: String,
    url: String,
    attribution: String,
    min_zoom: u8,
    max_zoom: u8,
    tile_size: u32,
    subdomains: String,
    header_name: String,
    header_value: String,
    error: Option<String>,
}

impl SourceForm {
    fn new() -> SourceForm {
        let defaults = TileSource::default();
        SourceForm {
            open: true,
            min_zoom: defaults.min_zoom,
            max_zoom: defaults.max_zoom,
            tile_size: defaults.tile_size,
            subdomains: defaults.subdomains,
            ..SourceForm::default()
        }
    }

    fn source(&self) -> Result<TileSource, String> {
        let mut source = TileSource::from_template(&self.url, Some(&self.attribution))?;
        if !self.name.trim().is_empty() {
            source.name = self.name.trim().to_owned();
        }
        source.min_zoom = self.min_zoom;
        source.max_zoom = self.max_zoom;
        source.tile_size = self.tile_size;
        source.subdomains = self.subdomains.trim().to_owned();
        if !self.header_name.trim().is_empty() {
            source.headers = vec![(
                self.header_name.trim().to_owned(),
                self.header_value.trim().to_owned(),
            )];
        }
        source.validate()?;
        Ok(source)
    }
}

/// Draws the choices; the caller rebuilds the raster layer when the choice changed.
pub fn choices(ui: &mut Ui, settings: &mut Settings) {
    let basemap = &mut settings.scene.basemap;
    ui.radio_value(basemap, BasemapChoice::VectorOnly, "Embedded map only");
    for preset in &PRESETS {
        let choice = BasemapChoice::for_source(preset.source());
        let selected = *basemap == choice;
        if ui
            .radio(selected, preset.name)
            .on_hover_text(format!("{}\n\n{}", preset.attribution, preset.terms))
            .clicked()
        {
            *basemap = choice;
        }
    }
    let mut remove = None;
    for (i, source) in settings.tile_sources.iter().enumerate() {
        ui.horizontal(|ui| {
            let choice = BasemapChoice::Online(source.clone());
            let selected = settings.scene.basemap == choice;
            if ui
                .radio(selected, &source.name)
                .on_hover_text(format!("{}\n{}", source.url, source.attribution))
                .clicked()
            {
                settings.scene.basemap = choice;
            }
            if ui
                .small_button("×")
                .on_hover_text("Remove this source from the list")
                .clicked()
            {
                remove = Some(i);
            }
        });
    }
    if let Some(i) = remove {
        let removed = settings.tile_sources.remove(i);
        if settings.scene.basemap == BasemapChoice::Online(removed) {
            settings.scene.basemap = BasemapChoice::default();
        }
    }
    add_source_form(ui, settings);
}

fn add_source_form(ui: &mut Ui, settings: &mut Settings) {
    let id = ui.make_persistent_id("add-tile-source");
    let mut form: SourceForm = ui.data(|d| d.get_temp(id)).unwrap_or_default();
    if !form.open {
        if ui
            .button("Add an online source (XYZ/TMS)…")
            .on_hover_text("A tile URL template: {z} {x} {y}, {-y} for TMS rows, {q} for a quadkey, {s} for subdomains")
            .clicked()
        {
            ui.data_mut(|d| d.insert_temp(id, SourceForm::new()));
        }
        return;
    }
    let mut done = false;
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.label(RichText::new("Add an online source").strong());
        egui::Grid::new(id.with("grid"))
            .num_columns(2)
            .show(ui, |ui| {
                ui.label("URL template");
                ui.add(
                    egui::TextEdit::singleline(&mut form.url)
                        .hint_text("https://{s}.tiles.example.org/{z}/{x}/{y}.png")
                        .desired_width(f32::INFINITY),
                );
                ui.end_row();
                ui.label("Credit");
                ui.add(
                    egui::TextEdit::singleline(&mut form.attribution)
                        .hint_text("© the provider")
                        .desired_width(f32::INFINITY),
                );
                ui.end_row();
                ui.label("Name");
                ui.add(egui::TextEdit::singleline(&mut form.name).hint_text("(the host)"));
                ui.end_row();
                ui.label("Zooms");
                ui.horizontal(|ui| {
                    ui.add(egui::DragValue::new(&mut form.min_zoom).range(0..=24));
                    ui.label("to");
                    ui.add(egui::DragValue::new(&mut form.max_zoom).range(0..=24));
                });
                ui.end_row();
                ui.label("Tile size");
                ui.horizontal(|ui| {
                    ui.radio_value(&mut form.tile_size, 256, "256 px");
                    ui.radio_value(&mut form.tile_size, 512, "512 px");
                });
                ui.end_row();
                ui.label("Subdomains");
                ui.add(egui::TextEdit::singleline(&mut form.subdomains).desired_width(60.0));
                ui.end_row();
                ui.label("Header");
                ui.horizontal(|ui| {
                    ui.add(
                        egui::TextEdit::singleline(&mut form.header_name)
                            .hint_text("X-Api-Key")
                            .desired_width(80.0),
                    );
                    ui.add(
                        egui::TextEdit::singleline(&mut form.header_value)
                            .hint_text("value")
                            .password(true)
                            .desired_width(f32::INFINITY),
                    );
                });
                ui.end_row();
            });
        if let Some(error) = &form.error {
            ui.colored_label(ui.visuals().error_fg_color, error);
        }
        ui.horizontal(|ui| {
            if ui.button("Add and show").clicked() {
                match form.source() {
                    Ok(source) => {
                        settings.add_tile_source(source.clone());
                        settings.scene.basemap = BasemapChoice::for_source(source);
                        done = true;
                    }
                    Err(e) => form.error = Some(e),
                }
            }
            if ui.button("Cancel").clicked() {
                done = true;
            }
        });
    });
    if done {
        form = SourceForm::default();
    }
    ui.data_mut(|d| d.insert_temp(id, form));
}
