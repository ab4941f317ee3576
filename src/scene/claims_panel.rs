//! The competing claims of one incident, side by side: who said what, when, quoted, with the
//! source, and the points on which the accounts differ highlighted. The panel quotes; it never
//! asserts. In the window a claimant's name opens a menu that assigns the claimant a side.

use egui::{Color32, RichText, Ui};

use crate::gazetteer::{Gazetteer, Naming};
use crate::model::side_choices::SideChoices;
use crate::model::{Claim, Dataset, Incident, PlaceRef, Side};

use super::palette::colour;
use super::text::place_text;

/// Highlight for a field on which the accounts differ.
const DIFFERS: Color32 = Color32::from_rgb(0xe0, 0x8a, 0x1e);
/// Narrower than this, a quote wraps every few words; cards stack instead. Two fit side by side
/// in the claims panel at its width in a 1600-pixel window (about 445 points inside).
const MIN_CARD_WIDTH: f32 = 200.0;
/// In print, a claim card needs about this much height; with less left, it is named, not cut.
const MIN_PRINTED_CARD_HEIGHT: f32 = 150.0;

/// The fields on which claims from different parties say different things.
#[derive(Default, Debug, PartialEq, Eq)]
pub struct Disagreements {
    pub from: bool,
    pub to: bool,
    pub losses: bool,
    pub retaliation: bool,
}

impl Disagreements {
    pub fn of(dataset: &Dataset, incident: &Incident) -> Disagreements {
        let party: Vec<&Claim> = incident
            .claims
            .iter()
            .filter(|c| dataset.claimant_side(c.claimant).party)
            .collect();
        let places = |refs: &[PlaceRef]| {
            let mut ids: Vec<String> = refs
                .iter()
                .map(|r| {
                    r.resolved
                        .map_or_else(|| dataset.text(r.text).to_owned(), |id| format!("{id:?}"))
                })
                .collect();
            ids.sort();
            ids
        };
        // Claims from different sides that both speak to a field and say different things.
        let differ = |value: &dyn Fn(&Claim) -> Option<String>| {
            party.iter().enumerate().any(|(i, a)| {
                party[i + 1..].iter().any(|b| {
                    dataset.claimant(a.claimant).side != dataset.claimant(b.claimant).side
                        && matches!((value(a), value(b)), (Some(x), Some(y)) if x != y)
                })
            })
        };
        Disagreements {
            from: differ(&|c| {
                (!c.details.from.is_empty()).then(|| places(&c.details.from).join("|"))
            }),
            to: differ(&|c| (!c.details.to.is_empty()).then(|| places(&c.details.to).join("|"))),
            losses: differ(&|c| {
                c.losses
                    .as_ref()
                    .map(|l| format!("{:?}{:?}{:?}", l.killed, l.wounded, l.detained))
            }),
            retaliation: differ(&|c| c.details.retaliation.map(|r| r.to_string())),
        }
    }
}

fn field(ui: &mut Ui, text: String, differs: bool) {
    let text = RichText::new(if differs {
        format!("{text}  (accounts differ)")
    } else {
        text
    })
    .small();
    ui.label(if differs {
        text.color(DIFFERS).strong()
    } else {
        text
    });
}

/// What the user asked of a claimant's side.
#[derive(Clone, PartialEq, Debug)]
pub enum SideAction {
    /// Put the claimant on this side, in every layer.
    Assign { claimant: String, side: Side },
    /// Take the user's choice back: the files' sides apply again.
    Clear { claimant: String },
}

/// The sides a claimant can be put on, and the choices made so far: what the name's menu offers.
pub struct SideMenu<'a> {
    pub sides: &'a [Side],
    pub choices: &'a SideChoices,
}

/// A side as the panel and the menu name it.
fn side_label(side: &Side) -> String {
    if side.party {
        side.name.to_string()
    } else {
        format!("{} (not a party)", side.name)
    }
}

/// The claimant's name, opening the side menu when there is one; what was picked in it.
fn claimant_name(
    ui: &mut Ui,
    dataset: &Dataset,
    claim: &Claim,
    menu: Option<&SideMenu<'_>>,
) -> Option<SideAction> {
    let claimant = dataset.claimant(claim.claimant);
    let name = RichText::new(&*claimant.name)
        .strong()
        .color(colour(dataset.claimant_colour(claim.claimant)));
    let Some(menu) = menu else {
        ui.label(name);
        return None;
    };
    let current = &dataset.side(claimant.side).id;
    let chosen = menu.choices.get(&claimant.name).is_some();
    let mut action = None;
    ui.menu_button(name, |ui| {
        ui.label(RichText::new(format!("Side of {}", claimant.name)).strong());
        ui.label(
            RichText::new("in every layer, and remembered")
                .small()
                .weak(),
        );
        for side in menu.sides {
            if ui.radio(*side.id == **current, side_label(side)).clicked() {
                action = Some(SideAction::Assign {
                    claimant: claimant.name.to_string(),
                    side: side.clone(),
                });
                ui.close();
            }
        }
        ui.separator();
        if ui
            .add_enabled(chosen, egui::Button::new("The file's side"))
            .on_hover_text("Take back your choice: the side the files and claimmap's registry give")
            .clicked()
        {
            action = Some(SideAction::Clear {
                claimant: claimant.name.to_string(),
            });
            ui.close();
        }
    })
    .response
    .on_hover_text("Assign a side to this claimant");
    action
}

fn claim_card(
    ui: &mut Ui,
    dataset: &Dataset,
    claim: &Claim,
    gazetteer: &Gazetteer,
    naming: Naming,
    differs: &Disagreements,
    menu: Option<&SideMenu<'_>>,
) -> Option<SideAction> {
    let claimant = dataset.claimant(claim.claimant);
    let side = dataset.side(claimant.side);
    let action = claimant_name(ui, dataset, claim, menu);
    let yours = match menu {
        Some(menu) if menu.choices.get(&claimant.name).is_some() => " (assigned by you)",
        _ => "",
    };
    ui.label(RichText::new(format!("side: {}{yours}", side.name)).small());
    if let Some(date) = &claim.details.statement_date {
        let inferred = if date.inferred {
            " (date inferred)"
        } else {
            ""
        };
        ui.label(RichText::new(format!("said {}{inferred}", date.start())).small());
    }
    if !claim.quote.is_empty() {
        ui.add(
            egui::Label::new(RichText::new(format!("“{}”", claim.quote)).italics())
                .selectable(true),
        );
    }
    if !claim.details.summary.is_empty() {
        ui.add(egui::Label::new(&*claim.details.summary).selectable(true));
    }
    for place in &claim.details.from {
        field(
            ui,
            format!("from: {}", place_text(dataset, place, gazetteer, naming)),
            differs.from,
        );
    }
    for place in &claim.details.to {
        field(
            ui,
            format!("to: {}", place_text(dataset, place, gazetteer, naming)),
            differs.to,
        );
    }
    if let Some(losses) = &claim.losses {
        field(
            ui,
            format!("losses claimed: {}", losses.text),
            differs.losses,
        );
    }
    if !claim.details.weapons.is_empty() {
        let weapons: Vec<&str> = claim
            .details
            .weapons
            .iter()
            .map(|w| dataset.text(*w))
            .collect();
        ui.label(RichText::new(format!("weapons: {}", weapons.join(", "))).small());
    }
    if let Some(retaliation) = claim.details.retaliation {
        let text = if retaliation {
            "says fire was returned"
        } else {
            "says no fire was returned"
        };
        field(ui, text.to_owned(), differs.retaliation);
    }
    let source = &claim.source;
    let mut parts = Vec::new();
    if let Some(outlet) = source.outlet {
        parts.push(dataset.text(outlet).to_owned());
    }
    if let Some(document) = source.document {
        parts.push(dataset.text(document).to_owned());
    }
    if let Some(published) = &claim.details.published {
        parts.push(published.start().to_string());
    }
    if !parts.is_empty() {
        ui.label(
            RichText::new(format!("source: {}", parts.join(", ")))
                .small()
                .weak(),
        );
    }
    if let Some(url) = claim.details.url.as_deref() {
        // Opens the browser only when clicked.
        ui.hyperlink_to(RichText::new(url).small(), url);
    }
    action
}

pub struct ClaimsPanel;

impl ClaimsPanel {
    /// The incident, then its claims side by side (stacked when the panel is narrow), scrolling;
    /// a side the user picked from a claimant's menu.
    pub fn show(
        ui: &mut Ui,
        dataset: &Dataset,
        incident: &Incident,
        gazetteer: &Gazetteer,
        naming: Naming,
        menu: &SideMenu<'_>,
    ) -> Option<SideAction> {
        let mut action = None;
        Self::header(ui, dataset, incident, gazetteer, naming);
        ui.separator();
        let differs = Disagreements::of(dataset, incident);
        let count = incident.claims.len().max(1);
        let spacing = ui.spacing().item_spacing.x + 16.0;
        let side_by_side = ui.available_width() >= MIN_CARD_WIDTH * count.min(2) as f32 + spacing;
        egui::ScrollArea::both().show(ui, |ui| {
            if side_by_side {
                let width = ((ui.available_width() - spacing * count as f32) / count as f32)
                    .max(MIN_CARD_WIDTH);
                ui.horizontal_top(|ui| {
                    for claim in &incident.claims {
                        ui.group(|ui| {
                            ui.set_width(width);
                            ui.vertical(|ui| {
                                let picked = claim_card(
                                    ui,
                                    dataset,
                                    claim,
                                    gazetteer,
                                    naming,
                                    &differs,
                                    Some(menu),
                                );
                                action = action.take().or(picked);
                            });
                        });
                    }
                });
            } else {
                for claim in &incident.claims {
                    ui.group(|ui| {
                        ui.set_width(ui.available_width());
                        let picked =
                            claim_card(ui, dataset, claim, gazetteer, naming, &differs, Some(menu));
                        action = action.take().or(picked);
                    });
                }
            }
        });
        action
    }

    /// For print: the incident, then every claim one under the other at full width, with no
    /// scrolling, so a figure never hides a claim behind a scroll bar.
    pub fn show_stacked(
        ui: &mut Ui,
        dataset: &Dataset,
        incident: &Incident,
        gazetteer: &Gazetteer,
        naming: Naming,
    ) {
        Self::header(ui, dataset, incident, gazetteer, naming);
        ui.separator();
        let differs = Disagreements::of(dataset, incident);
        for (shown, claim) in incident.claims.iter().enumerate() {
            // A card cut in half would misquote; say what is left out instead.
            if ui.available_height() < MIN_PRINTED_CARD_HEIGHT {
                ui.label(
                    RichText::new(format!(
                        "{} more claims do not fit: use a taller image, or export the claims as Markdown.",
                        incident.claims.len() - shown
                    ))
                    .italics(),
                );
                break;
            }
            ui.group(|ui| {
                ui.set_width(ui.available_width());
                claim_card(ui, dataset, claim, gazetteer, naming, &differs, None);
            });
        }
    }

    /// Another layer's record of the selected incident's event, in the window's panel: its
    /// title and date on one line (the selected incident keeps the heading), then every claim,
    /// inside the panel's scrolling.
    pub fn show_linked(
        ui: &mut Ui,
        dataset: &Dataset,
        incident: &Incident,
        gazetteer: &Gazetteer,
        naming: Naming,
    ) {
        let date = &incident.date;
        let span = if date.start() == date.end() {
            date.start().to_string()
        } else {
            format!("{} – {}", date.start(), date.end())
        };
        ui.label(RichText::new(format!("{} · {span}", dataset.title(incident))).strong());
        let differs = Disagreements::of(dataset, incident);
        for claim in &incident.claims {
            ui.group(|ui| {
                ui.set_width(ui.available_width());
                claim_card(ui, dataset, claim, gazetteer, naming, &differs, None);
            });
        }
    }

    fn header(
        ui: &mut Ui,
        dataset: &Dataset,
        incident: &Incident,
        gazetteer: &Gazetteer,
        naming: Naming,
    ) {
        ui.heading(dataset.title(incident));
        let date = &incident.date;
        let span = if date.start() == date.end() {
            date.start().to_string()
        } else {
            format!("{} – {}", date.start(), date.end())
        };
        ui.label(format!(
            "{} · {} ({})",
            incident.category.label(),
            span,
            date.precision.as_str()
        ));
        if let Some(reason) = &date.reason {
            ui.label(
                RichText::new(format!("Date inferred: {reason}"))
                    .small()
                    .weak(),
            );
        }
        if let Some(place) = &incident.location.place {
            ui.label(
                RichText::new(format!(
                    "Location ({}): {}",
                    incident.location.precision.as_str(),
                    place_text(dataset, place, gazetteer, naming)
                ))
                .small(),
            );
        }
        if let Some(note) = incident.details.location_note.as_deref() {
            ui.label(RichText::new(note).small().weak());
        }
        ui.label(
            RichText::new(format!("Dataset: {}", dataset.meta.title))
                .small()
                .weak(),
        );
        if dataset.is_contested(incident) {
            ui.label(
                RichText::new("Contested: the claims come from different sides")
                    .color(Color32::from_rgb(0xd0, 0x50, 0x10)),
            );
        }
    }
}
