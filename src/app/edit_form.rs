//! The incident form: every field of an incident and of each of its claims, read as the user
//! types (the date's precision and the place's match are said under their fields), applied as
//! one undoable edit. Places are typed, chosen from the gazetteer's matches, or clicked on the
//! map; claimants are typed or chosen, and a new one is given its side.

use egui::{Color32, RichText, Ui};

use crate::edit::{ClaimDraft, IncidentDraft, read_date};
use crate::gazetteer::{Gazetteer, Naming, PlaceId};
use crate::model::registry::registry;
use crate::model::{Category, Dataset, LocationPrecision, Side};
use crate::scene::LayerKey;

/// How far from a click the place it names may be: a click between villages names none.
const CLICK_RADIUS_M: f64 = 8_000.0;

/// Places the gazetteer offers to pin a typed name to, at most this many.
const PLACE_CHOICES: usize = 5;

/// A field the next click on the map fills.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum PickTarget {
    /// The incident's own point (and its place, when a village is near).
    Location,
    From(usize),
    To(usize),
}

/// What the form asks of the window.
#[derive(Debug, PartialEq)]
pub enum FormAction {
    /// The draft read: apply it.
    Apply,
    Cancel,
}

pub struct EditForm {
    /// The layer the incident is (or goes) in.
    pub layer: LayerKey,
    pub draft: IncidentDraft,
    /// What did not read when Apply was last pressed.
    pub problems: Vec<String>,
    /// The field the next click on the map fills.
    pub picking: Option<PickTarget>,
    /// The form has been laid out once (its grids size their rows from the frame before).
    laid_out: bool,
}

impl EditForm {
    pub fn new(layer: LayerKey, draft: IncidentDraft) -> EditForm {
        EditForm {
            layer,
            draft,
            problems: Vec::new(),
            picking: None,
            laid_out: false,
        }
    }

    /// A click on the map while picking: the incident's point, or the village nearest the
    /// click added to a claim's origins or targets.
    pub fn picked(&mut self, lon: f64, lat: f64, gazetteer: &Gazetteer) {
        let Some(target) = self.picking.take() else {
            return;
        };
        let near = gazetteer.nearest_settlement(geo::Point::new(lon, lat), CLICK_RADIUS_M);
        match target {
            PickTarget::Location => {
                self.draft.point = Some((lon, lat));
                if let Some(id) = near.filter(|_| self.draft.place.trim().is_empty()) {
                    let name = gazetteer.place(id).name().to_owned();
                    self.draft.pin(&name, id);
                    self.draft.place = name;
                }
            }
            PickTarget::From(n) | PickTarget::To(n) => {
                let (Some(id), Some(claim)) = (near, self.draft.claims.get_mut(n)) else {
                    self.problems = vec![
                        "No village or town within 8 km of that click: type the place instead."
                            .to_owned(),
                    ];
                    return;
                };
                let name = gazetteer.place(id).name().to_owned();
                let field = if matches!(target, PickTarget::From(_)) {
                    &mut claim.from
                } else {
                    &mut claim.to
                };
                if !field.split(';').any(|p| p.trim() == name) {
                    if !field.trim().is_empty() {
                        field.push_str("; ");
                    }
                    field.push_str(&name);
                }
                self.draft.pin(&name, id);
            }
        }
    }

    /// Shows the form; returns what the user asked for.
    pub fn show(
        &mut self,
        ctx: &egui::Context,
        dataset: &Dataset,
        layer_name: &str,
        gazetteer: &Gazetteer,
        naming: Naming,
    ) -> Option<FormAction> {
        let mut action = None;
        let mut open = true;
        let title = match self.draft.edits() {
            Some(_) => "Edit incident",
            None => "New incident",
        };
        egui::Window::new(title)
            .id(egui::Id::unique("incident-form"))
            .open(&mut open)
            .default_width(560.0)
            // As tall as the screen allows: two claims and the incident's fields fit unscrolled.
            .default_height((ctx.content_rect().height() - 100.0).max(400.0))
            .show(ctx, |ui| {
                ui.label(RichText::new(format!("In {layer_name}")).small().weak());
                if let Some(target) = self.picking {
                    ui.colored_label(
                        ui.visuals().warn_fg_color,
                        match target {
                            PickTarget::Location => "Click the map where it happened.",
                            PickTarget::From(_) => "Click the map where it came from.",
                            PickTarget::To(_) => "Click the map where it was aimed at.",
                        },
                    );
                }
                // Each incident's form opens at its top, not where the last one was scrolled to.
                egui::ScrollArea::vertical()
                    .id_salt((
                        "incident-form-fields",
                        self.draft.edits().map(|i| i.id.clone()),
                    ))
                    .max_height(ui.available_height() - 60.0)
                    .show(ui, |ui| {
                        self.incident_fields(ui, gazetteer, naming);
                        ui.separator();
                        self.claims(ui, dataset, gazetteer);
                    });
                ui.separator();
                for problem in &self.problems {
                    ui.colored_label(ui.visuals().error_fg_color, problem);
                }
                ui.horizontal(|ui| {
                    let apply = match self.draft.edits() {
                        Some(_) => "Apply changes",
                        None => "Add incident",
                    };
                    if ui.button(apply).clicked() {
                        action = Some(FormAction::Apply);
                    }
                    if ui.button("Cancel").clicked() {
                        action = Some(FormAction::Cancel);
                    }
                });
            });
        if !open {
            action = Some(FormAction::Cancel);
        }
        if !self.laid_out {
            // A grid row sizes itself from the last frame: the first frame of a form with a long
            // quote would overlap its fields, so it is drawn again before it is shown.
            self.laid_out = true;
            ctx.request_discard("the incident form's first layout");
        }
        action
    }

    fn incident_fields(&mut self, ui: &mut Ui, gazetteer: &Gazetteer, naming: Naming) {
        let draft = &mut self.draft;
        egui::Grid::new("incident-fields")
            .num_columns(2)
            .spacing([8.0, 6.0])
            .show(ui, |ui| {
                text_row(ui, "Id", &mut draft.id, false);
                text_row(ui, "Title", &mut draft.title, false);
                let label = ui.label("Category");
                egui::ComboBox::from_id_salt("category")
                    .selected_text(draft.category.label())
                    .show_ui(ui, |ui| {
                        for category in Category::KNOWN {
                            let text = category.label();
                            ui.selectable_value(&mut draft.category, category, text);
                        }
                    })
                    .response
                    .labelled_by(label.id);
                ui.end_row();
                text_row(ui, "Date", &mut draft.date, false);
                ui.label("");
                match read_date(&draft.date) {
                    _ if draft.date.trim().is_empty() => ui.label(hint(
                        "2021-11-16, November 2021, or 2021-11-16 to 2021-11-18",
                    )),
                    Ok(reading) => ui.label(hint(&reading.explanation)),
                    Err(e) => ui.colored_label(ui.visuals().error_fg_color, e),
                };
                ui.end_row();
                text_row(
                    ui,
                    "Date inferred because",
                    &mut draft.inferred_because,
                    false,
                );
                ui.label("");
                ui.label(hint(
                    "Empty when the source states the date; otherwise how it was worked out.",
                ));
                ui.end_row();
                text_row(ui, "Place", &mut draft.place, false);
                ui.label("");
                place_matches(ui, draft, gazetteer, naming);
                ui.end_row();
                ui.label("Point");
                ui.horizontal(|ui| {
                    match draft.point {
                        Some((lon, lat)) => {
                            ui.monospace(format!("{lat:.5}, {lon:.5}"));
                            if ui.small_button("Clear").clicked() {
                                draft.point = None;
                            }
                        }
                        None => {
                            ui.label(hint("none: placed at the place's gazetteer point"));
                        }
                    }
                    if ui.small_button("Pick on map").clicked() {
                        self.picking = Some(PickTarget::Location);
                    }
                });
                ui.end_row();
                let label = ui.label("Location precision");
                egui::ComboBox::from_id_salt("precision")
                    .selected_text(draft.precision.as_str())
                    .show_ui(ui, |ui| {
                        for precision in LocationPrecision::ALL {
                            ui.selectable_value(
                                &mut draft.precision,
                                precision,
                                precision.as_str(),
                            );
                        }
                    })
                    .response
                    .labelled_by(label.id);
                ui.end_row();
                text_row(ui, "Notes", &mut draft.notes, true);
            });
    }

    fn claims(&mut self, ui: &mut Ui, dataset: &Dataset, gazetteer: &Gazetteer) {
        ui.heading(format!("Claims ({})", self.draft.claims.len()));
        let sides = choosable_sides(dataset);
        let mut remove = None;
        for n in 0..self.draft.claims.len() {
            ui.group(|ui| {
                ui.horizontal(|ui| {
                    ui.label(RichText::new(format!("Claim {}", n + 1)).strong());
                    if ui.small_button(format!("Remove claim {}", n + 1)).clicked() {
                        remove = Some(n);
                    }
                });
                let claim = &mut self.draft.claims[n];
                egui::Grid::new(("claim-fields", n))
                    .num_columns(2)
                    .spacing([8.0, 6.0])
                    .show(ui, |ui| {
                        claimant_row(ui, n, claim, dataset, &sides);
                        text_row(ui, "Quote", &mut claim.quote, true);
                        text_row(ui, "Summary", &mut claim.summary, true);
                        text_row(ui, "Said on", &mut claim.said_on, false);
                        for (label, to) in [("From", false), ("To", true)] {
                            let field = if to { &mut claim.to } else { &mut claim.from };
                            let text = ui.label(label);
                            ui.horizontal(|ui| {
                                ui.add(egui::TextEdit::singleline(field).desired_width(260.0))
                                    .labelled_by(text.id);
                                let pick = if to {
                                    "Pick target on map"
                                } else {
                                    "Pick origin on map"
                                };
                                if ui.small_button(pick).clicked() {
                                    self.picking = Some(if to {
                                        PickTarget::To(n)
                                    } else {
                                        PickTarget::From(n)
                                    });
                                }
                            });
                            ui.end_row();
                            let unknown: Vec<&str> = field
                                .split(';')
                                .map(str::trim)
                                .filter(|t| !t.is_empty() && gazetteer.resolve(t).best().is_none())
                                .collect();
                            if !unknown.is_empty() {
                                ui.label("");
                                ui.colored_label(
                                    ui.visuals().warn_fg_color,
                                    format!("Not in the gazetteer: {}", unknown.join(", ")),
                                );
                                ui.end_row();
                            }
                        }
                        text_row(ui, "Losses (words)", &mut claim.losses, false);
                        let label = ui.label("Killed, wounded, detained");
                        ui.horizontal(|ui| {
                            for count in
                                [&mut claim.killed, &mut claim.wounded, &mut claim.detained]
                            {
                                ui.add(egui::TextEdit::singleline(count).desired_width(50.0))
                                    .labelled_by(label.id);
                            }
                        });
                        ui.end_row();
                        text_row(ui, "Outlet", &mut claim.outlet, false);
                        text_row(ui, "URL", &mut claim.url, false);
                    });
            });
        }
        if let Some(n) = remove {
            self.draft.claims.remove(n);
            self.picking = None;
        }
        if ui.button("Add a claim").clicked() {
            self.draft.claims.push(ClaimDraft::default());
        }
    }
}

/// A labelled text field on a grid row; the label names the field for screen readers (and
/// tests).
fn text_row(ui: &mut Ui, label: &str, text: &mut String, multiline: bool) {
    let label = ui.label(label);
    let edit = if multiline {
        egui::TextEdit::multiline(text).desired_rows(2)
    } else {
        egui::TextEdit::singleline(text)
    };
    ui.add(edit.desired_width(340.0)).labelled_by(label.id);
    ui.end_row();
}

fn hint(text: &str) -> RichText {
    RichText::new(text).small().weak()
}

/// What the typed place name resolves to, and the places it could be pinned to instead.
fn place_matches(ui: &mut Ui, draft: &mut IncidentDraft, gazetteer: &Gazetteer, naming: Naming) {
    let text = draft.place.trim().to_owned();
    if text.is_empty() {
        ui.label(hint("Type a place, or pick a point on the map."));
        return;
    }
    let describe = |id: PlaceId| {
        let p = gazetteer.place(id);
        format!(
            "{} ({}, {})",
            p.label(naming),
            p.kind.as_str(),
            gazetteer.admin1_name(p).unwrap_or(&p.country)
        )
    };
    let pinned = draft
        .pins
        .iter()
        .find(|(n, _)| *n == text)
        .map(|(_, id)| *id);
    ui.vertical(|ui| {
        let resolution = gazetteer.resolve(&text);
        match (pinned, resolution.best()) {
            (Some(id), _) => {
                ui.label(hint(&format!("Pinned to {}", describe(id))));
            }
            (None, Some(id)) if resolution.is_ambiguous() => {
                ui.colored_label(
                    ui.visuals().warn_fg_color,
                    format!("Ambiguous: read as {} — pin the one meant:", describe(id)),
                );
            }
            (None, Some(id)) => {
                ui.label(hint(&format!("Found: {}", describe(id))));
            }
            (None, None) => {
                ui.colored_label(
                    ui.visuals().warn_fg_color,
                    "Not in the gazetteer: it will be shown only where a point is picked.",
                );
            }
        }
        if pinned.is_none() {
            let choices = gazetteer.search(&text, PLACE_CHOICES);
            if choices.len() > 1 || resolution.is_ambiguous() {
                ui.horizontal_wrapped(|ui| {
                    for id in choices {
                        if ui.small_button(describe(id)).clicked() {
                            draft.pin(&text, id);
                        }
                    }
                });
            }
        }
    });
}

/// The claimant of a claim: typed, or chosen from the dataset's and the registry's; a new one
/// takes the side chosen beside it, a known one shows its own.
fn claimant_row(ui: &mut Ui, n: usize, claim: &mut ClaimDraft, dataset: &Dataset, sides: &[Side]) {
    let label = ui.label("Claimant");
    ui.horizontal(|ui| {
        ui.add(egui::TextEdit::singleline(&mut claim.claimant).desired_width(230.0))
            .labelled_by(label.id);
        let or = ui.label("or");
        egui::ComboBox::from_id_salt(("claimant-choice", n))
            .selected_text("choose")
            .show_ui(ui, |ui| {
                for c in &dataset.claimants {
                    if ui.selectable_label(false, &*c.name).clicked() {
                        claim.claimant = c.name.to_string();
                    }
                }
                ui.separator();
                for c in &registry().claimants {
                    if !dataset.claimants.iter().any(|d| *d.id == c.id)
                        && ui.selectable_label(false, &c.name).clicked()
                    {
                        claim.claimant = c.name.clone();
                    }
                }
            })
            .response
            .labelled_by(or.id)
            .on_hover_text("Choose a claimant the dataset or claimmap's registry knows");
    });
    ui.end_row();
    let label = ui.label("Side");
    let known = claim
        .known_claimant(dataset)
        .map(|id| dataset.claimant_side(id));
    let registered = registry()
        .find(&claim.claimant)
        .map(|c| registry().side_of(c));
    match known.or(registered) {
        Some(side) => {
            ui.label(format!("{} (the claimant's)", side.name))
                .labelled_by(label.id);
        }
        None => {
            let shown = sides
                .iter()
                .find(|s| *s.id == claim.side)
                .map_or("choose the side it speaks for", |s| &*s.name);
            egui::ComboBox::from_id_salt(("side", n))
                .selected_text(shown)
                .show_ui(ui, |ui| {
                    for side in sides {
                        let colour =
                            Color32::from_rgb(side.colour.0[0], side.colour.0[1], side.colour.0[2]);
                        ui.selectable_value(
                            &mut claim.side,
                            side.id.to_string(),
                            RichText::new(&*side.name).color(colour),
                        );
                    }
                })
                .response
                .labelled_by(label.id);
        }
    }
    ui.end_row();
}

/// The sides a new claimant can speak for: the dataset's, then the registry's it lacks.
fn choosable_sides(dataset: &Dataset) -> Vec<Side> {
    let mut sides = dataset.sides.clone();
    for side in &registry().sides {
        if !sides.iter().any(|s| s.id == side.id) {
            sides.push(side.clone());
        }
    }
    sides
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::load_reference;

    #[test]
    fn a_click_places_the_incident_and_names_the_village_beside_it() {
        let gazetteer = Gazetteer::embedded();
        let dataset = load_reference(gazetteer).dataset;
        let mut form = EditForm::new(
            crate::scene::DatasetLayer::new(load_reference(gazetteer)).key,
            IncidentDraft::new(&dataset),
        );
        form.draft.claims.push(ClaimDraft::default());
        // A few hundred metres from Sotk (Gegharkunik).
        form.picking = Some(PickTarget::Location);
        form.picked(45.872, 40.202, gazetteer);
        assert_eq!(form.draft.point, Some((45.872, 40.202)));
        assert_eq!(form.draft.place, "Sotk");
        let sotk = gazetteer.by_id("gn:616041").expect("Sotk");
        assert!(form.draft.pins.contains(&("Sotk".to_owned(), sotk)));
        assert_eq!(form.picking, None, "one click, one pick");

        form.picking = Some(PickTarget::To(0));
        form.picked(45.872, 40.202, gazetteer);
        assert_eq!(form.draft.claims[0].to, "Sotk");
        form.picking = Some(PickTarget::To(0));
        form.picked(45.872, 40.202, gazetteer);
        assert_eq!(form.draft.claims[0].to, "Sotk", "named once");

        // Out in the Caspian Sea nothing is near: said, and nothing is added.
        form.picking = Some(PickTarget::From(0));
        form.picked(51.0, 39.5, gazetteer);
        assert_eq!(form.draft.claims[0].from, "");
        assert!(
            form.problems[0].contains("No village"),
            "{:?}",
            form.problems
        );
    }
}
