//! File → New from report…: a report pasted or opened is drafted (`crate::draft`) into a layer of
//! proposals on the map, and reviewed claim by claim in a window — each quote shown in its
//! sentence of the report, with its claimant, side, places and date — accepted or rejected. The
//! accepted claims then replace the proposals as a layer of their own and can be saved as a
//! native dataset. Nothing is kept that the user did not accept.

use std::path::PathBuf;

use egui::text::LayoutJob;
use egui::{Color32, FontId, RichText, TextFormat, Ui};
use serde_json::Value;

use crate::draft::report::{self, ReportText};
use crate::draft::{self, Options};
use crate::formats::{self, Loaded};
use crate::gazetteer::Gazetteer;
use crate::model::Day;
use crate::model::registry::registry;
use crate::scene::LayerKey;

/// Characters of the report shown on each side of a quote.
const CONTEXT_CHARS: usize = 160;

/// What the review asks the window to do with its layers.
pub enum ReviewAction {
    /// Show a new draft's proposals as a layer; the window tells the review its id.
    AddProposals(Loaded),
    /// Put the accepted claims in place of the proposals.
    Replace(LayerKey, Loaded),
    Close(LayerKey),
}

/// A draft being reviewed.
struct Review {
    report: ReportText,
    /// The draft in the native layout: what a subset is cut from.
    value: Value,
    name: String,
    /// Per incident, per claim: accepted (`Some(true)`), rejected, or not yet decided.
    decisions: Vec<Vec<Option<bool>>>,
    layer: Option<LayerKey>,
    /// The accepted claims, once kept: what Save writes.
    kept: Option<Vec<u8>>,
}

#[derive(Default)]
pub struct DraftReview {
    /// A report pasted in.
    pub text: String,
    /// Or a report file (.txt, .html, .eml) to read.
    pub report_path: String,
    /// The publication date, when the report does not say it (YYYY-MM-DD).
    pub published: String,
    pub outlet: String,
    /// Where the accepted claims are saved.
    pub save_path: String,
    review: Option<Review>,
    pub message: Option<String>,
}

/// The value of `features[f].properties.claims[c]`.
fn claims_of(value: &Value, f: usize) -> &[Value] {
    value["features"][f]["properties"]["claims"]
        .as_array()
        .map_or(&[], Vec::as_slice)
}

impl DraftReview {
    /// The proposals layer, once the window has added it.
    pub fn set_layer(&mut self, id: LayerKey) {
        if let Some(review) = &mut self.review {
            review.layer = Some(id);
        }
    }

    /// Drafts the report given; on success, the proposals to show as a layer.
    pub fn draft(&mut self, gazetteer: &Gazetteer) -> Result<Loaded, String> {
        let (report, name) = if self.report_path.trim().is_empty() {
            if self.text.trim().is_empty() {
                return Err("Paste a report or give a report file.".into());
            }
            (report::read_text(&self.text), "pasted report".to_owned())
        } else {
            let path = PathBuf::from(self.report_path.trim());
            let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            let name = path.file_name().map_or_else(
                || path.display().to_string(),
                |f| f.to_string_lossy().into_owned(),
            );
            (report::read(&path, &bytes), name)
        };
        let published = match self.published.trim() {
            "" => None,
            text => Some(Day::parse_iso(text).map_err(|e| format!("Publication date: {e}"))?),
        };
        let options = Options {
            published,
            outlet: Some(self.outlet.trim().to_owned()).filter(|o| !o.is_empty()),
            url: None,
            document: name.clone(),
        };
        let drafted = draft::draft_dataset(&report, &options, gazetteer, registry())
            .map_err(|e| format!("{name}: {e}"))?;
        let value = formats::native::to_value(&drafted.dataset);
        let features = value["features"].as_array().map_or(0, Vec::len);
        let decisions = (0..features)
            .map(|f| vec![None; claims_of(&value, f).len()])
            .collect();
        let loaded = reload(&value, &format!("draft:{name} (proposals)"), gazetteer)?;
        self.review = Some(Review {
            report,
            value,
            name,
            decisions,
            layer: None,
            kept: None,
        });
        self.message = None;
        Ok(loaded)
    }

    /// Accepts (`true`) or rejects claim `c` of incident `f`.
    pub fn decide(&mut self, f: usize, c: usize, accept: bool) {
        if let Some(slot) = self
            .review
            .as_mut()
            .and_then(|r| r.decisions.get_mut(f))
            .and_then(|d| d.get_mut(c))
        {
            *slot = Some(accept);
        }
    }

    /// The draft cut to the accepted claims (incidents with none left out).
    fn accepted(review: &Review) -> (Value, usize) {
        let mut value = review.value.clone();
        let mut kept = 0;
        let features: Vec<Value> = review.value["features"]
            .as_array()
            .map(|fs| {
                fs.iter()
                    .enumerate()
                    .filter_map(|(f, feature)| {
                        let claims: Vec<Value> = claims_of(&review.value, f)
                            .iter()
                            .enumerate()
                            .filter(|(c, _)| review.decisions[f][*c] == Some(true))
                            .map(|(_, claim)| claim.clone())
                            .collect();
                        if claims.is_empty() {
                            return None;
                        }
                        kept += claims.len();
                        let mut feature = feature.clone();
                        feature["properties"]["claims"] = Value::Array(claims);
                        Some(feature)
                    })
                    .collect()
            })
            .unwrap_or_default();
        value["features"] = Value::Array(features);
        (value, kept)
    }

    /// The window; returns what the app should do with its layers.
    pub fn show(
        &mut self,
        ctx: &egui::Context,
        open: &mut bool,
        gazetteer: &Gazetteer,
    ) -> Vec<ReviewAction> {
        let mut actions = Vec::new();
        egui::Window::new("New from report")
            .open(open)
            .default_size([620.0, 640.0])
            .show(ctx, |ui| self.contents(ui, gazetteer, &mut actions));
        actions
    }

    fn contents(&mut self, ui: &mut Ui, gazetteer: &Gazetteer, actions: &mut Vec<ReviewAction>) {
        ui.label(
            RichText::new(
                "Paste a press statement or news report, or give its file (.txt, .html, .eml). Its incidents and claims are drafted for you to accept or reject; nothing is kept that you do not accept.",
            )
            .small(),
        );
        ui.horizontal(|ui| {
            let caption = ui.label("Report file");
            ui.add(
                egui::TextEdit::singleline(&mut self.report_path)
                    .hint_text("or paste the text below")
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(caption.id);
        });
        egui::ScrollArea::vertical()
            .id_salt("report-text")
            .max_height(120.0)
            .show(ui, |ui| {
                ui.add(
                    egui::TextEdit::multiline(&mut self.text)
                        .hint_text("Report text")
                        .desired_rows(5)
                        .desired_width(f32::INFINITY),
                );
            });
        ui.horizontal(|ui| {
            let caption = ui.label("Published");
            ui.add(
                egui::TextEdit::singleline(&mut self.published)
                    .hint_text("YYYY-MM-DD, if the report does not say")
                    .desired_width(200.0),
            )
            .labelled_by(caption.id);
            let caption = ui.label("Outlet");
            ui.add(egui::TextEdit::singleline(&mut self.outlet).desired_width(140.0))
                .labelled_by(caption.id);
        });
        ui.horizontal(|ui| {
            if ui.button("Draft").clicked() {
                if let Some(old) = self.review.as_ref().and_then(|r| r.layer) {
                    actions.push(ReviewAction::Close(old));
                }
                match self.draft(gazetteer) {
                    Ok(loaded) => actions.push(ReviewAction::AddProposals(loaded)),
                    Err(e) => self.message = Some(e),
                }
            }
            if let Some(layer) = self.review.as_ref().and_then(|r| r.layer)
                && ui.button("Discard the draft").clicked()
            {
                actions.push(ReviewAction::Close(layer));
                self.review = None;
            }
        });
        if let Some(message) = &self.message {
            ui.colored_label(ui.visuals().warn_fg_color, message);
        }
        let Some(review) = self.review.as_mut() else {
            return;
        };
        ui.separator();
        let features = review.value["features"].as_array().map_or(0, Vec::len);
        let decided = review
            .decisions
            .iter()
            .flatten()
            .filter(|d| d.is_some())
            .count();
        let total = review.decisions.iter().map(Vec::len).sum::<usize>();
        ui.label(format!(
            "{features} incidents, {total} claims drafted from {}; {decided} decided.",
            review.name
        ));
        egui::ScrollArea::vertical()
            .id_salt("draft-claims")
            .max_height(380.0)
            .show(ui, |ui| {
                for f in 0..features {
                    let properties = &review.value["features"][f]["properties"];
                    ui.label(
                        RichText::new(properties["title"].as_str().unwrap_or("(untitled)"))
                            .strong(),
                    );
                    ui.label(RichText::new(date_words(&properties["date"])).small());
                    for c in 0..claims_of(&review.value, f).len() {
                        let claim = &claims_of(&review.value, f)[c];
                        ui.push_id((f, c), |ui| {
                            ui.group(|ui| {
                                ui.set_width(ui.available_width());
                                claim_review(ui, &review.report, &review.value, claim);
                                ui.horizontal(|ui| {
                                    let state = &mut review.decisions[f][c];
                                    if ui
                                        .selectable_label(*state == Some(true), "Accept")
                                        .clicked()
                                    {
                                        *state = Some(true);
                                    }
                                    if ui
                                        .selectable_label(*state == Some(false), "Reject")
                                        .clicked()
                                    {
                                        *state = Some(false);
                                    }
                                });
                            });
                        });
                    }
                    ui.add_space(6.0);
                }
            });
        ui.separator();
        ui.horizontal(|ui| {
            let (accepted, kept) = Self::accepted(review);
            let keep = ui.add_enabled(
                kept > 0,
                egui::Button::new(format!("Keep the {kept} accepted claims as a layer")),
            );
            if keep.clicked() {
                let name = format!("draft:{} (reviewed)", review.name);
                match reload(&accepted, &name, gazetteer) {
                    Ok(loaded) => {
                        review.kept = serde_json::to_vec(&accepted).ok();
                        if let Some(layer) = review.layer {
                            actions.push(ReviewAction::Replace(layer, loaded));
                        }
                        self.message = Some(format!("{kept} claims kept as a layer."));
                    }
                    Err(e) => self.message = Some(e),
                }
            }
        });
        ui.horizontal(|ui| {
            let caption = ui.label("Save as");
            ui.add(
                egui::TextEdit::singleline(&mut self.save_path)
                    .hint_text("/path/to/claims.geojson")
                    .desired_width(300.0),
            )
            .labelled_by(caption.id);
            let can_save = review.kept.is_some() && !self.save_path.trim().is_empty();
            if ui
                .add_enabled(can_save, egui::Button::new("Save the kept claims"))
                .clicked()
                && let Some(bytes) = &review.kept
            {
                let path = PathBuf::from(self.save_path.trim());
                self.message = Some(
                    match formats::load_bytes(bytes, &path.display().to_string(), gazetteer)
                        .map_err(|e| e.to_string())
                        .and_then(|l| {
                            formats::save_native(&l.dataset, &path).map_err(|e| e.to_string())
                        }) {
                        Ok(()) => format!("Saved {}.", path.display()),
                        Err(e) => format!("{}: not saved ({e})", path.display()),
                    },
                );
            }
        });
    }
}

/// Reads a draft back as claimmap reads any native file.
fn reload(value: &Value, name: &str, gazetteer: &Gazetteer) -> Result<Loaded, String> {
    let bytes = serde_json::to_vec(value).map_err(|e| e.to_string())?;
    formats::load_bytes(&bytes, name, gazetteer).map_err(|e| e.to_string())
}

/// "2021-11-14 (inferred: 'on Sunday' in a report of Monday 15 Nov 2021)".
fn date_words(date: &Value) -> String {
    match date {
        Value::String(day) => day.clone(),
        Value::Object(d) => {
            let start = d.get("start").and_then(Value::as_str).unwrap_or("");
            let end = d.get("end").and_then(Value::as_str);
            let mut words = match end {
                Some(end) if end != start => format!("{start} – {end}"),
                _ => start.to_owned(),
            };
            if let Some(reason) = d.get("reason").and_then(Value::as_str) {
                words.push_str(&format!(" (inferred: {reason})"));
            }
            words
        }
        _ => String::new(),
    }
}

/// A drafted claim: its claimant, places, and its quote in its sentence of the report, the quote
/// highlighted so the reviewer sees exactly what was taken.
fn claim_review(ui: &mut Ui, report: &ReportText, draft: &Value, claim: &Value) {
    // The claimant and its side by name, as the draft's metadata gives them.
    let id = claim["claimant"].as_str().unwrap_or("?");
    let named = |list: &str, id: &str| -> Option<String> {
        draft["claimmap"][list]
            .as_array()?
            .iter()
            .find(|e| e["id"].as_str() == Some(id))
            .map(|e| e["name"].as_str().unwrap_or(id).to_owned())
    };
    let claimant = named("claimants", id).unwrap_or_else(|| id.to_owned());
    let side = draft["claimmap"]["claimants"]
        .as_array()
        .and_then(|cs| cs.iter().find(|c| c["id"].as_str() == Some(id)))
        .and_then(|c| c["side"].as_str())
        .and_then(|side| named("sides", side))
        .unwrap_or_else(|| "no side".to_owned());
    ui.label(RichText::new(format!("{claimant} (side: {side})")).strong());
    let places = |key: &str| -> String {
        claim[key]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|p| p["text"].as_str().or(p.as_str()))
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_default()
    };
    let (from, to) = (places("from"), places("to"));
    let mut said = Vec::new();
    if !from.is_empty() {
        said.push(format!("from: {from}"));
    }
    if !to.is_empty() {
        said.push(format!("to: {to}"));
    }
    if !said.is_empty() {
        ui.label(RichText::new(said.join(" · ")).small());
    }
    let quote = claim["quote"].as_str().unwrap_or("");
    let text = &report.text;
    let mut job = LayoutJob::default();
    let plain = TextFormat {
        font_id: FontId::proportional(12.5),
        color: ui.visuals().weak_text_color(),
        ..TextFormat::default()
    };
    let marked = TextFormat {
        font_id: FontId::proportional(12.5),
        color: ui.visuals().strong_text_color(),
        background: Color32::from_rgba_unmultiplied(255, 214, 102, 110),
        ..TextFormat::default()
    };
    match text.find(quote).filter(|_| !quote.is_empty()) {
        Some(at) => {
            let start = floor_char(text, at.saturating_sub(CONTEXT_CHARS));
            let end = ceil_char(text, (at + quote.len() + CONTEXT_CHARS).min(text.len()));
            let lead = if start > 0 { "…" } else { "" };
            let tail = if end < text.len() { "…" } else { "" };
            job.append(&format!("{lead}{}", &text[start..at]), 0.0, plain.clone());
            job.append(quote, 0.0, marked);
            job.append(
                &format!("{}{tail}", &text[at + quote.len()..end]),
                0.0,
                plain,
            );
        }
        // Never expected (quotes are spans of the report): shown as drafted, and said so.
        None => {
            job.append(quote, 0.0, marked);
            job.append("  (not found verbatim in the report)", 0.0, plain);
        }
    }
    job.wrap.max_width = ui.available_width();
    ui.label(job);
}

fn floor_char(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn ceil_char(text: &str, mut at: usize) -> usize {
    while at < text.len() && !text.is_char_boundary(at) {
        at += 1;
    }
    at
}
