//! The competing claims of one incident, side by side: who said what, when, quoted, with the
//! source. The panel quotes; it never asserts.

use egui::{Color32, RichText, Ui};

use crate::gazetteer::{Gazetteer, Naming};
use crate::model::{Claim, Dataset, Incident, PlaceRef};

pub fn colour(rgb: crate::model::Rgb) -> Color32 {
    let [r, g, b] = rgb.0;
    Color32::from_rgb(r, g, b)
}

/// A place as the source wrote it, with the gazetteer's label under the chosen naming when it
/// differs; ambiguity is marked, not hidden.
pub fn place_text(
    dataset: &Dataset,
    place: &PlaceRef,
    gazetteer: &Gazetteer,
    naming: Naming,
) -> String {
    let said = dataset.text(place.text);
    match place.resolved {
        None => format!("“{said}” (not found in the gazetteer)"),
        Some(id) => {
            let label = gazetteer.place(id).label(naming);
            let ambiguous = if place.ambiguous {
                " — ambiguous"
            } else {
                ""
            };
            format!("“{said}” = {label}{ambiguous}")
        }
    }
}

fn claim_card(
    ui: &mut Ui,
    dataset: &Dataset,
    claim: &Claim,
    gazetteer: &Gazetteer,
    naming: Naming,
) {
    let claimant = dataset.claimant(claim.claimant);
    let side = dataset.side(claimant.side);
    ui.label(
        RichText::new(&*claimant.name)
            .strong()
            .color(colour(dataset.claimant_colour(claim.claimant))),
    );
    ui.label(RichText::new(format!("side: {}", side.name)).small());
    if let Some(date) = &claim.statement_date {
        let inferred = if date.inferred {
            " (date inferred)"
        } else {
            ""
        };
        ui.label(RichText::new(format!("said {}{inferred}", date.start())).small());
    }
    if !claim.quote.is_empty() {
        ui.label(RichText::new(format!("“{}”", claim.quote)).italics());
    }
    if !claim.summary.is_empty() {
        ui.label(&*claim.summary);
    }
    for (label, places) in [("from", &claim.from), ("to", &claim.to)] {
        for place in places {
            ui.label(
                RichText::new(format!(
                    "{label}: {}",
                    place_text(dataset, place, gazetteer, naming)
                ))
                .small(),
            );
        }
    }
    if let Some(losses) = &claim.losses {
        ui.label(RichText::new(format!("losses claimed: {}", losses.text)).small());
    }
    if let Some(retaliation) = claim.retaliation {
        ui.label(
            RichText::new(if retaliation {
                "claims retaliation"
            } else {
                "claims no retaliation"
            })
            .small(),
        );
    }
    let source = &claim.source;
    let mut parts = Vec::new();
    if let Some(outlet) = source.outlet {
        parts.push(dataset.text(outlet).to_owned());
    }
    if let Some(document) = source.document {
        parts.push(dataset.text(document).to_owned());
    }
    if let Some(published) = &source.published {
        parts.push(published.start().to_string());
    }
    if !parts.is_empty() {
        ui.label(
            RichText::new(format!("source: {}", parts.join(", ")))
                .small()
                .weak(),
        );
    }
}

/// Narrower than this, a quote wraps every few words; the panel scrolls instead.
const MIN_CARD_WIDTH: f32 = 260.0;

pub struct ClaimsPanel;

impl ClaimsPanel {
    pub fn show(
        ui: &mut Ui,
        dataset: &Dataset,
        incident: &Incident,
        gazetteer: &Gazetteer,
        naming: Naming,
    ) {
        ui.heading(&*incident.title);
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
        if dataset.is_contested(incident) {
            ui.label(
                RichText::new("Contested: the claims come from different sides")
                    .color(Color32::from_rgb(0xb0, 0x40, 0x00)),
            );
        }
        ui.separator();
        // Cards share the width so two or three accounts sit side by side without scrolling.
        let count = incident.claims.len().max(1) as f32;
        let spacing = ui.spacing().item_spacing.x + 16.0;
        let width = ((ui.available_width() - spacing * count) / count).max(MIN_CARD_WIDTH);
        egui::ScrollArea::both().show(ui, |ui| {
            ui.horizontal_top(|ui| {
                for claim in &incident.claims {
                    ui.group(|ui| {
                        ui.set_width(width);
                        ui.vertical(|ui| claim_card(ui, dataset, claim, gazetteer, naming));
                    });
                }
            });
        });
    }
}
