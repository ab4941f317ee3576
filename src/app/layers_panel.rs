//! The left panel: place search, datasets, basemap and overlays, and the claimant legend whose
//! toggles filter the map.

use std::sync::Arc;

use egui::{CollapsingHeader, Color32, RichText, Sense, Ui, vec2};

use crate::gazetteer::{Gazetteer, PlaceId};
use crate::model::{Category, Claimant};

use super::loading::PendingLoad;
use crate::scene::map_view::markers::{self, MarkerStyle};
use crate::scene::settings::{BasemapChoice, Settings};
use crate::scene::styling::{self, ColourBy, DensityView};
use crate::scene::text::{layer_name, thousands};
use crate::scene::{DatasetLayer, LayerId, colour};

/// What the user asked for in the panel.
#[derive(Clone, PartialEq, Debug)]
pub enum LayersAction {
    CenterOn(PlaceId),
    OpenDataset,
    CloseLayer(usize),
    /// Save the layer's edits.
    Save(usize),
    ShowReport(usize),
    CancelLoad(usize),
    OpenTileFile,
    BasemapChanged,
}

/// The place search box and its results.
#[derive(Default)]
pub struct PlaceSearch {
    pub text: String,
    pub request_focus: bool,
}

/// Places listed for a query, at most this many.
const SEARCH_RESULTS: usize = 12;

fn search(
    ui: &mut Ui,
    state: &mut PlaceSearch,
    gazetteer: &Gazetteer,
    settings: &Settings,
    actions: &mut Vec<LayersAction>,
) {
    let caption = ui.label(RichText::new("Place name, any script (Ctrl+F)").small());
    let edit = ui
        .add(
            egui::TextEdit::singleline(&mut state.text)
                .hint_text("Kalbajar, Karvachar, Քարվաճառ…")
                .desired_width(f32::INFINITY),
        )
        .labelled_by(caption.id);
    if state.request_focus {
        edit.request_focus();
        state.request_focus = false;
    }
    let results = gazetteer.search(&state.text, SEARCH_RESULTS);
    let resolution = gazetteer.resolve(&state.text);
    if resolution.is_ambiguous() {
        ui.label(
            RichText::new("Several places have this name:")
                .small()
                .color(Color32::from_rgb(0xd0, 0x80, 0x20)),
        );
    }
    for id in results {
        let place = gazetteer.place(id);
        let admin = gazetteer
            .admin1_name(place)
            .map(|a| format!("{a}, "))
            .unwrap_or_default();
        let text = format!(
            "{} — {}, {admin}{}",
            place.label(settings.scene.naming),
            place.kind.as_str(),
            place.country
        );
        if ui.selectable_label(false, text).clicked() {
            actions.push(LayersAction::CenterOn(id));
        }
    }
    if !state.text.trim().is_empty() && gazetteer.search(&state.text, 1).is_empty() {
        ui.label(
            RichText::new("No place of that name in the gazetteer.")
                .small()
                .weak(),
        );
    }
}

fn swatch(ui: &mut Ui, colour: Color32) {
    let (rect, _) = ui.allocate_exact_size(vec2(14.0, 14.0), Sense::hover());
    ui.painter().rect_filled(rect.shrink(1.0), 3.0, colour);
}

/// A side's claimants are listed open up to this many; a longer list (an import citing
/// thousands of outlets) starts closed, and scrolls: laying out every row of it took most of a
/// frame.
const CLAIMANTS_LISTED_OPEN: usize = 12;
/// The height of a long list of claimants, in points: about twelve rows.
const CLAIMANT_LIST_HEIGHT: f32 = 240.0;

/// Orders names as a reader looks them up: letters without regard to case, and numbers by their
/// value, so "Local outlet 2" comes before "Local outlet 10". Names equal in that sense are
/// ordered as text, so the order is total.
fn natural_order(a: &str, b: &str) -> std::cmp::Ordering {
    caseless_by_value(a, b).then_with(|| a.cmp(b))
}

fn caseless_by_value(a: &str, b: &str) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    let (mut a, mut b) = (a.chars().peekable(), b.chars().peekable());
    loop {
        match (a.peek().copied(), b.peek().copied()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => {
                let digits = |chars: &mut std::iter::Peekable<std::str::Chars<'_>>| {
                    let mut run = String::new();
                    while let Some(d) = chars.next_if(char::is_ascii_digit) {
                        run.push(d);
                    }
                    run
                };
                let (x, y) = (digits(&mut a), digits(&mut b));
                let (tx, ty) = (x.trim_start_matches('0'), y.trim_start_matches('0'));
                // The longer number (without leading zeros) is the larger; then digit by digit.
                match tx.len().cmp(&ty.len()).then_with(|| tx.cmp(ty)) {
                    Ordering::Equal => {}
                    other => return other,
                }
            }
            (Some(x), Some(y)) => {
                a.next();
                b.next();
                match x.to_lowercase().cmp(y.to_lowercase()) {
                    Ordering::Equal => {}
                    other => return other,
                }
            }
        }
    }
}

/// The positions of `claimants` (one side's, of the layer as it is at `key`'s [`LayerId`]) in
/// order of name, as one looks for an outlet in a long list: sorted once, then kept in egui's
/// memory until the layer changes.
fn by_name(ui: &Ui, key: (LayerId, usize), claimants: &[&Claimant]) -> Arc<[u32]> {
    let id = egui::Id::unique(("claimants by name", key));
    if let Some(order) = ui.data(|d| d.get_temp::<Arc<[u32]>>(id))
        && order.len() == claimants.len()
    {
        return order;
    }
    let mut order: Vec<u32> = (0..claimants.len() as u32).collect();
    order.sort_by(|&a, &b| natural_order(&claimants[a as usize].name, &claimants[b as usize].name));
    let order: Arc<[u32]> = order.into();
    ui.data_mut(|d| d.insert_temp(id, order.clone()));
    order
}

/// What the finding box above a long list of claimants holds, and the positions (in `by_name`'s
/// order) of the names it finds: worked out again only when the text or the list changes (a
/// changed layer is sorted again, into a new order).
#[derive(Clone, Default)]
struct ClaimantFinder {
    text: String,
    /// The text and the order `found` was filtered for.
    found_for: Option<(String, Arc<[u32]>)>,
    found: Arc<[u32]>,
}

impl ClaimantFinder {
    /// The positions of the names holding the text, without regard to case.
    fn found(&mut self, order: &Arc<[u32]>, claimants: &[&Claimant]) -> Arc<[u32]> {
        let query = self.text.trim().to_lowercase();
        if query.is_empty() {
            return order.clone();
        }
        let current = self
            .found_for
            .as_ref()
            .is_some_and(|(text, of)| *text == query && Arc::ptr_eq(of, order));
        if !current {
            self.found = order
                .iter()
                .copied()
                .filter(|&n| claimants[n as usize].name.to_lowercase().contains(&query))
                .collect();
            self.found_for = Some((query, order.clone()));
        }
        self.found.clone()
    }
}

/// A claimant's line in the legend: shown or hidden by its checkbox.
fn claimant_row(ui: &mut Ui, claimant: &Claimant, settings: &mut Settings) {
    let hidden = &mut settings.scene.filters.hidden_claimants;
    let mut shown = !hidden.contains(&*claimant.id);
    if ui
        .checkbox(&mut shown, RichText::new(&*claimant.name).small())
        .changed()
    {
        toggle(hidden, &claimant.id, shown);
    }
}

fn legend(ui: &mut Ui, layers: &[DatasetLayer], settings: &mut Settings) {
    for layer in layers {
        let dataset = &layer.loaded.dataset;
        for (s, side) in dataset.sides.iter().enumerate() {
            let claimants: Vec<_> = dataset
                .claimants
                .iter()
                .filter(|c| c.side.0 as usize == s)
                .collect();
            if claimants.is_empty() {
                continue;
            }
            ui.horizontal(|ui| {
                swatch(ui, colour(side.colour));
                let mut shown = !settings.scene.filters.hidden_sides.contains(&*side.id);
                let label = if side.party {
                    side.name.to_string()
                } else {
                    format!("{} (not a party)", side.name)
                };
                if ui
                    .checkbox(&mut shown, RichText::new(label).strong())
                    .changed()
                {
                    toggle(&mut settings.scene.filters.hidden_sides, &side.id, shown);
                }
            });
            let salt = ("claimants", layer.key, &*side.id);
            if claimants.len() <= CLAIMANTS_LISTED_OPEN {
                ui.indent(salt, |ui| {
                    for claimant in &claimants {
                        claimant_row(ui, claimant, settings);
                    }
                });
            } else {
                // Closed, nothing of the list is laid out; open, only the rows scrolled to.
                CollapsingHeader::new(
                    RichText::new(format!("{} claimants", thousands(claimants.len() as u64)))
                        .small(),
                )
                .id_salt(salt)
                .default_open(false)
                .show(ui, |ui| {
                    let order = by_name(ui, (layer.id, s), &claimants);
                    let finder_id = egui::Id::unique(("claimant finder", salt));
                    let mut finder: ClaimantFinder =
                        ui.data(|d| d.get_temp(finder_id)).unwrap_or_default();
                    ui.add(
                        egui::TextEdit::singleline(&mut finder.text)
                            .hint_text("Find a claimant")
                            .desired_width(f32::INFINITY),
                    );
                    let found = finder.found(&order, &claimants);
                    ui.data_mut(|d| d.insert_temp(finder_id, finder));
                    if found.is_empty() {
                        ui.label(
                            RichText::new("No claimant of this side has that name.")
                                .small()
                                .weak(),
                        );
                        return;
                    }
                    if found.len() < order.len() {
                        ui.label(
                            RichText::new(format!(
                                "{} of {}",
                                thousands(found.len() as u64),
                                thousands(order.len() as u64)
                            ))
                            .small()
                            .weak(),
                        );
                    }
                    let row_height = ui.spacing().interact_size.y;
                    egui::ScrollArea::vertical()
                        .id_salt(salt)
                        .min_scrolled_height(
                            CLAIMANT_LIST_HEIGHT.min(row_height * found.len() as f32),
                        )
                        .max_height(CLAIMANT_LIST_HEIGHT)
                        .show_rows(ui, row_height, found.len(), |ui, rows| {
                            for &n in &found[rows] {
                                claimant_row(ui, claimants[n as usize], settings);
                            }
                        });
                });
            }
        }
    }
    ui.add_space(4.0);
    ui.label(
        RichText::new(
            "Marker shape: category; split marker: contested; ring: located only to an area; faded: dated only to a range, week or month; dotted ring: date inferred; numbered disc: that many incidents, its ring split by side (click or zoom in to see them)",
        )
        .small()
        .weak(),
    );
    egui::Grid::new("marker-legend")
        .num_columns(2)
        .show(ui, |ui| {
            for (i, category) in Category::KNOWN
                .iter()
                .filter(|c| **c != Category::Other)
                .enumerate()
            {
                ui.horizontal(|ui| {
                    let (rect, _) = ui.allocate_exact_size(vec2(16.0, 16.0), Sense::hover());
                    let mut shapes = Vec::new();
                    let style = MarkerStyle {
                        colours: &[Color32::from_gray(150)],
                        hollow: false,
                        selected: false,
                        hovered: false,
                    };
                    markers::marker(rect.center(), 6.0, category, &style, &mut shapes);
                    ui.painter().extend(shapes);
                    ui.label(RichText::new(category.label()).small());
                });
                if i % 2 == 1 {
                    ui.end_row();
                }
            }
        });
}

/// What markers' colour and size say, and whether a density replaces them; the legend that
/// explains the classes is drawn on the map.
fn styling(ui: &mut Ui, layers: &[DatasetLayer], settings: &mut Settings) {
    let styling = &mut settings.scene.styling;
    ui.horizontal(|ui| {
        let caption = ui.label("Colour by");
        egui::ComboBox::from_id_salt("colour-by")
            .selected_text(styling.colour_by.label())
            .width(170.0)
            // An ACLED file has twenty-odd columns: show most of them without scrolling.
            .height(420.0)
            .show_ui(ui, |ui| {
                for by in ColourBy::BUILT_IN {
                    let label = by.label();
                    ui.selectable_value(&mut styling.colour_by, by, label);
                }
                // The imported columns, named once across the shown layers.
                let mut columns: Vec<String> = Vec::new();
                for layer in layers.iter().filter(|l| l.visible) {
                    for name in styling::column_names(&layer.loaded.dataset) {
                        if !columns.contains(&name) {
                            columns.push(name);
                        }
                    }
                }
                if !columns.is_empty() {
                    ui.separator();
                    ui.label(RichText::new("Columns of the data").small().weak());
                }
                for name in columns {
                    let by = ColourBy::Column(name);
                    let label = by.label();
                    ui.selectable_value(&mut styling.colour_by, by, label);
                }
            })
            .response
            .labelled_by(caption.id);
    });
    ui.checkbox(&mut styling.size_by_fatalities, "Size by fatalities");
    ui.horizontal(|ui| {
        ui.label("Show as");
        for view in DensityView::ALL {
            ui.radio_value(&mut styling.density, view, view.label());
        }
    });
}

/// Filters that combine with the date window: text, contested, exact dates, category, location
/// precision. Claimants and sides are filtered from the legend below.
fn filters(ui: &mut Ui, settings: &mut Settings) {
    let f = &mut settings.scene.filters;
    let label = ui.label("Search titles and quotes");
    ui.add(
        egui::TextEdit::singleline(&mut f.text)
            .hint_text("words, any order")
            .desired_width(f32::INFINITY),
    )
    .labelled_by(label.id);
    ui.checkbox(&mut f.contested_only, "Contested only");
    ui.checkbox(
        &mut f.exact_dates_only,
        "Exact dates only (no ranges, weeks, months; nothing inferred)",
    );
    ui.label(RichText::new("Categories").small().strong());
    egui::Grid::new("category-filter")
        .num_columns(2)
        .show(ui, |ui| {
            for (i, category) in Category::KNOWN.iter().enumerate() {
                let mut shown = f.shows_category(category);
                if ui
                    .checkbox(&mut shown, RichText::new(category.label()).small())
                    .changed()
                {
                    f.set_category_shown(category, shown);
                }
                if i % 2 == 1 {
                    ui.end_row();
                }
            }
        });
    ui.label(RichText::new("Location precision").small().strong());
    ui.horizontal_wrapped(|ui| {
        for precision in crate::model::LocationPrecision::ALL {
            let mut shown = f.shows_location_precision(precision);
            if ui
                .checkbox(&mut shown, RichText::new(precision.as_str()).small())
                .changed()
            {
                f.set_location_precision_shown(precision, shown);
            }
        }
    });
    if !f.is_default() && ui.small_button("Clear filters").clicked() {
        *f = crate::view::Filters::default();
    }
}

fn toggle(set: &mut std::collections::BTreeSet<String>, id: &str, shown: bool) {
    if shown {
        set.remove(id);
    } else {
        set.insert(id.to_owned());
    }
}

/// Draws the panel; returns what the user asked for.
pub fn show(
    ui: &mut Ui,
    layers: &mut [DatasetLayer],
    unsaved: &[usize],
    pending: &[PendingLoad],
    settings: &mut Settings,
    place_search: &mut PlaceSearch,
    gazetteer: &Gazetteer,
) -> Vec<LayersAction> {
    let mut actions = Vec::new();
    egui::ScrollArea::vertical().show(ui, |ui| {
        CollapsingHeader::new("Find place")
            .default_open(true)
            .show(ui, |ui| {
                search(ui, place_search, gazetteer, settings, &mut actions)
            });
        CollapsingHeader::new("Datasets")
            .default_open(true)
            .show(ui, |ui| {
                for (i, layer) in layers.iter_mut().enumerate() {
                    let mut name = layer_name(layer);
                    let is_unsaved = unsaved.contains(&i);
                    if is_unsaved {
                        name.push_str(" \u{2022}");
                    }
                    ui.checkbox(&mut layer.visible, RichText::new(name).strong())
                        .on_hover_text(if is_unsaved {
                            "Edited: the changes are not saved yet"
                        } else {
                            "Show or hide this layer"
                        });
                    let report = &layer.loaded.report;
                    // Wrapped: in a narrow window the buttons go below rather than off the edge.
                    ui.horizontal_wrapped(|ui| {
                        ui.label(
                            RichText::new(format!(
                                "{} · {} loaded · {} skipped",
                                report.format.as_str(),
                                report.loaded,
                                report.skipped
                            ))
                            .small(),
                        );
                        if ui.small_button("Report").clicked() {
                            actions.push(LayersAction::ShowReport(i));
                        }
                        if is_unsaved
                            && ui
                                .small_button("Save")
                                .on_hover_text("Save the edits in claimmap's format")
                                .clicked()
                        {
                            actions.push(LayersAction::Save(i));
                        }
                        if ui
                            .small_button("Close")
                            .on_hover_text("Remove this layer (the file is not touched)")
                            .clicked()
                        {
                            actions.push(LayersAction::CloseLayer(i));
                        }
                    });
                }
                for (i, load) in pending.iter().enumerate() {
                    let name = load
                        .path
                        .file_name()
                        .map(|f| f.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    ui.label(RichText::new(format!("Loading {name}")).strong());
                    // A finished load still listed after this frame's poll is a command-line
                    // file waiting for the ones before it, to become a layer in the command
                    // line's order (or one that finished since the poll: taken next frame).
                    let text = if load.is_finished() {
                        "Read · waits for the files above".to_owned()
                    } else {
                        load.describe()
                    };
                    ui.add(egui::ProgressBar::new(load.fraction()).text(text));
                    if ui.button("Cancel").clicked() {
                        actions.push(LayersAction::CancelLoad(i));
                    }
                }
                if layers.len() > 1 {
                    ui.checkbox(
                        &mut settings.scene.merge_linked,
                        "Merge records confirmed as one event",
                    )
                    .on_hover_text(
                        "Counted and drawn once, as the earliest layer's record; its claims panel lists the others' accounts",
                    );
                }
                if ui.button("Open dataset… (Ctrl+O)").clicked() {
                    actions.push(LayersAction::OpenDataset);
                }
            });
        CollapsingHeader::new("Basemap")
            .default_open(true)
            .show(ui, |ui| {
                let before = settings.scene.basemap.clone();
                super::basemap_panel::choices(ui, settings);
                if let BasemapChoice::File(path) = &settings.scene.basemap {
                    let _ = ui.radio(
                        true,
                        format!(
                            "File: {}",
                            path.file_name()
                                .map(|f| f.to_string_lossy())
                                .unwrap_or_default()
                        ),
                    );
                }
                if ui.button("Open tile file (MBTiles, PMTiles)…").clicked() {
                    actions.push(LayersAction::OpenTileFile);
                }
                let offline_before = settings.scene.offline;
                ui.checkbox(&mut settings.scene.offline, "Offline: no network requests");
                if settings.scene.basemap != before || settings.scene.offline != offline_before {
                    actions.push(LayersAction::BasemapChanged);
                }
                ui.separator();
                ui.checkbox(
                    &mut settings.scene.show_districts,
                    "Rayon and marz outlines",
                );
                ui.checkbox(&mut settings.scene.show_places, "Place names");
                ui.checkbox(
                    &mut settings.scene.show_arrows,
                    "Claim arrows: where each side says fire came from and went",
                );
                ui.checkbox(
                    &mut settings.scene.show_historical,
                    "Historical: 1994 cease-fire line, 1991 NKAO outline",
                );
            });
        CollapsingHeader::new("Style")
            .default_open(true)
            .show(ui, |ui| styling(ui, layers, settings));
        CollapsingHeader::new("Filters")
            .default_open(true)
            .show(ui, |ui| filters(ui, settings));
        CollapsingHeader::new("Claimants")
            .default_open(true)
            .show(ui, |ui| legend(ui, layers, settings));
    });
    actions
}

#[cfg(test)]
mod tests {
    use super::natural_order;

    #[test]
    fn names_are_ordered_by_letters_regardless_of_case_and_numbers_by_value() {
        let mut names = vec![
            "Local outlet 10",
            "local outlet 2",
            "Local outlet 1",
            "Armenpress",
            "azatutyun",
            "Local outlet 02",
            "APA",
            "Local outlet 100",
            "Ab",
            "aa",
        ];
        names.sort_by(|a, b| natural_order(a, b));
        assert_eq!(
            names,
            [
                "aa",
                "Ab",
                "APA",
                "Armenpress",
                "azatutyun",
                "Local outlet 1",
                "Local outlet 02",
                "local outlet 2",
                "Local outlet 10",
                "Local outlet 100",
            ]
        );
    }
}
