//! The claims panel's "same event in other layers": for the selected incident, the best matching
//! record of each other layer ([`Linker`]), its accounts quoted beside the incident's own, and
//! Confirm / Reject. Decisions are saved beside the datasets ([`links_file`]) and read back
//! whenever those datasets are open together; a confirmed link stays listed even when the
//! evidence would no longer propose it, a rejected one stays folded.

use std::path::{Path, PathBuf};

use egui::{RichText, Ui};

use crate::formats::links_file::{self, Decision, LinkDecision, LinksFile};
use crate::gazetteer::Gazetteer;
use crate::link::{Link, LinkOptions, Linker, RecordRef};
use crate::model::Dataset;
use crate::scene::linked::file_name;
use crate::scene::text::layer_name;
use crate::scene::{ClaimsPanel, DatasetLayer, IncidentRef, LayerId, Scene};

/// Past this many incidents in all layers together, indexing them for links would hold the
/// window up for seconds: the panel offers a button instead of doing it on selection.
const INDEX_ON_SELECT_MAX: usize = 300_000;

/// One record linked to the selected incident, as the panel lists it.
#[derive(Clone, Debug)]
pub struct ShownLink {
    pub other: IncidentRef,
    /// The evidence, when the linker proposes it (a confirmed link may no longer be proposed).
    pub link: Option<Link>,
    pub decision: Option<Decision>,
}

/// The layers shown (with their visibility), the decisions' generation, and the records merged
/// away for them.
type MergedAway = (Vec<(LayerId, bool)>, u64, Vec<(LayerId, usize)>);

#[derive(Default)]
pub struct LinkedRecords {
    linker: Option<(Vec<LayerId>, Linker)>,
    /// The links of the incident last asked about, for the layers they were found in.
    cached: Option<(Vec<LayerId>, IncidentRef, Vec<ShownLink>)>,
    decisions: Vec<LinkDecision>,
    /// Counts changes of `decisions`, so what is derived from them knows when to derive again.
    generation: u64,
    /// The records merged away, for the layers (and their visibility) and the decisions
    /// (`generation`) they were found for: derived once, not every frame.
    merged: Option<MergedAway>,
    /// Layers whose links file was looked for.
    seen: Vec<LayerId>,
    /// Links files that could not be read or written, and why.
    pub problems: Vec<String>,
    /// Links files that could not be read: moved aside before one is written in their place.
    unreadable: Vec<PathBuf>,
    /// Indexing was asked for although the layers are large.
    index_anyway: bool,
}

/// A layer's file on disk, if it has one (the embedded reference dataset has none).
fn file_of(layer: &DatasetLayer) -> Option<&Path> {
    let path = Path::new(&layer.loaded.report.path);
    path.is_file().then_some(path)
}

/// How decisions name a record: its file's name and the id the file gives it.
fn record_key(layers: &[DatasetLayer], r: IncidentRef) -> Option<(String, String)> {
    let layer = layers.get(r.dataset)?;
    let dataset = &layer.loaded.dataset;
    let incident = dataset.incidents().get(r.index)?;
    Some((file_name(layer), dataset.file_id(incident).to_owned()))
}

impl LinkedRecords {
    /// The records that stand down when confirmed groups are merged
    /// ([`crate::scene::linked::merged_away`]), derived again only when the layers, their
    /// visibility or the decisions change.
    pub fn merged_away(&mut self, layers: &[DatasetLayer]) -> &[(LayerId, usize)] {
        let shown: Vec<(LayerId, bool)> = layers.iter().map(|l| (l.id, l.visible)).collect();
        let fresh = self
            .merged
            .as_ref()
            .is_some_and(|(s, g, _)| *s == shown && *g == self.generation);
        if !fresh {
            let away = crate::scene::linked::merged_away(layers, &self.decisions);
            self.merged = Some((shown, self.generation, away));
        }
        self.merged
            .as_ref()
            .map_or(&[], |(_, _, away)| away.as_slice())
    }

    /// Reads the links files beside layers not seen before (a layer closed and opened again
    /// reads its file again: it may have changed).
    pub fn sync(&mut self, layers: &[DatasetLayer]) {
        for layer in layers {
            if self.seen.contains(&layer.id) {
                continue;
            }
            self.seen.push(layer.id);
            let Some(path) = file_of(layer) else { continue };
            match links_file::read(&links_file::path_beside(path)) {
                Ok(Some(file)) => {
                    for d in file.links {
                        let known = self
                            .decisions
                            .iter()
                            .any(|e| e.concerns((&d.a_file, &d.a), (&d.b_file, &d.b)));
                        if !known {
                            self.decisions.push(d);
                            self.generation += 1;
                        }
                    }
                    self.cached = None;
                }
                Ok(None) => {}
                Err(e) => {
                    self.problems.push(e);
                    self.unreadable.push(links_file::path_beside(path));
                }
            }
        }
    }

    /// The decision on the records `r` and `other`, if any.
    pub fn decision(
        &self,
        layers: &[DatasetLayer],
        r: IncidentRef,
        other: IncidentRef,
    ) -> Option<Decision> {
        let key = |x: IncidentRef| record_key(layers, x);
        let (one, two) = (key(r)?, key(other)?);
        self.decisions
            .iter()
            .find(|d| d.concerns((&one.0, &one.1), (&two.0, &two.1)))
            .map(|d| d.decision)
    }

    /// The records of other layers linked to `r`: proposed ones best first, then those confirmed
    /// that the evidence no longer proposes.
    fn links_of(
        &mut self,
        layers: &[DatasetLayer],
        r: IncidentRef,
        gazetteer: &Gazetteer,
    ) -> Vec<ShownLink> {
        let ids: Vec<LayerId> = layers.iter().map(|l| l.id).collect();
        if let Some((for_ids, for_r, shown)) = &self.cached
            && *for_ids == ids
            && *for_r == r
        {
            return shown.clone();
        }
        let datasets: Vec<&Dataset> = layers.iter().map(|l| &l.loaded.dataset).collect();
        if self
            .linker
            .as_ref()
            .is_none_or(|(for_ids, _)| *for_ids != ids)
        {
            self.linker = Some((ids.clone(), Linker::new(&datasets, gazetteer)));
        }
        let Some((_, linker)) = &self.linker else {
            return Vec::new();
        };
        let record = RecordRef {
            dataset: r.dataset,
            index: r.index,
        };
        let mut shown: Vec<ShownLink> = linker
            .links_of(&datasets, record, gazetteer, &LinkOptions::default())
            .into_iter()
            .map(|link| {
                let other = IncidentRef {
                    dataset: link.b.dataset,
                    index: link.b.index,
                };
                ShownLink {
                    other,
                    decision: self.decision(layers, r, other),
                    link: Some(link),
                }
            })
            .collect();
        // Confirmed links the evidence does not propose (any more): found by the ids decided on.
        for (a, b) in crate::scene::linked::confirmed_pairs(layers, &self.decisions) {
            let other = match (a == r, b == r) {
                (true, _) => b,
                (_, true) => a,
                _ => continue,
            };
            if other.dataset != r.dataset && !shown.iter().any(|s| s.other == other) {
                shown.push(ShownLink {
                    other,
                    link: None,
                    decision: Some(Decision::Confirmed),
                });
            }
        }
        self.cached = Some((ids, r, shown.clone()));
        shown
    }

    /// Records `decision` (or withdraws one, `None`) on `r` and `other` and saves it beside
    /// their datasets.
    pub fn decide(
        &mut self,
        layers: &[DatasetLayer],
        r: IncidentRef,
        other: IncidentRef,
        decision: Option<Decision>,
        evidence: Option<&Link>,
    ) {
        let key = |x: IncidentRef| record_key(layers, x);
        let (Some(one), Some(two)) = (key(r), key(other)) else {
            return;
        };
        self.decisions
            .retain(|d| !d.concerns((&one.0, &one.1), (&two.0, &two.1)));
        self.generation += 1;
        if let Some(decision) = decision {
            self.decisions.push(LinkDecision {
                a_file: one.0.clone(),
                a: one.1.clone(),
                b_file: two.0.clone(),
                b: two.1.clone(),
                decision,
                score: evidence.map(|l| (l.evidence.score * 1000.0).round() / 1000.0),
                reasons: evidence
                    .map(|l| l.evidence.reasons.clone())
                    .unwrap_or_default(),
            });
        }
        self.cached = None;
        // Beside each of the two datasets that is a file, so that whichever is opened (and in
        // whatever order) reads the same decisions; the embedded dataset has no file.
        let mut saved = false;
        for (n, name) in [(r.dataset, &one.0), (other.dataset, &two.0)] {
            let Some(dataset) = layers.get(n).and_then(file_of) else {
                continue;
            };
            let path = links_file::path_beside(dataset);
            // The file keeps every decision about its dataset's records, whoever else they
            // concern.
            let file = LinksFile {
                claimmap_links: links_file::VERSION,
                links: self
                    .decisions
                    .iter()
                    .filter(|d| d.a_file == *name || d.b_file == *name)
                    .cloned()
                    .collect(),
            };
            // A file that could not be read is the user's: kept as `.bak`, never written over.
            if let Some(at) = self.unreadable.iter().position(|p| *p == path) {
                let aside = path.with_extension("json.bak");
                if let Err(e) = std::fs::rename(&path, &aside) {
                    self.problems.push(format!(
                        "{}: not saved, it could not be moved aside ({e})",
                        path.display()
                    ));
                    continue;
                }
                self.unreadable.remove(at);
                self.problems.push(format!(
                    "{} was unreadable: kept as {}",
                    path.display(),
                    aside.display()
                ));
            }
            match links_file::write(&path, &file) {
                Ok(()) => saved = true,
                Err(e) => self.problems.push(format!(
                    "{}: the links were not saved ({e})",
                    path.display()
                )),
            }
        }
        if !saved {
            self.problems.push(
                "Neither dataset is a file on disk: the decision is kept until the window closes."
                    .into(),
            );
        }
    }

    /// The section over the selected incident's claims; returns an incident to select, if the
    /// user asked to go to a linked one.
    pub fn show(
        &mut self,
        ui: &mut Ui,
        scene: &Scene<'_>,
        r: IncidentRef,
        gazetteer: &Gazetteer,
    ) -> Option<IncidentRef> {
        let layers = scene.layers;
        if layers.len() < 2 {
            return None;
        }
        let total: usize = layers
            .iter()
            .map(|l| l.loaded.dataset.incidents().len())
            .sum();
        let indexed = self
            .linker
            .as_ref()
            .is_some_and(|(ids, _)| ids.iter().eq(layers.iter().map(|l| &l.id)));
        if !indexed && total > INDEX_ON_SELECT_MAX && !self.index_anyway {
            if ui
                .button(format!(
                    "Find this event in the other layers (indexes {} incidents once)",
                    crate::scene::text::thousands(total as u64)
                ))
                .clicked()
            {
                self.index_anyway = true;
            }
            return None;
        }
        let shown = self.links_of(layers, r, gazetteer);
        let mut go_to = None;
        let heading = match shown.len() {
            0 => "Same event in other layers: none found".to_owned(),
            1 => "Same event in other layers: 1 record".to_owned(),
            n => format!("Same event in other layers: {n} records"),
        };
        egui::CollapsingHeader::new(RichText::new(heading).strong())
            .id_salt("linked-records")
            .default_open(true)
            .show(ui, |ui| {
                if shown.is_empty() {
                    ui.label(
                        RichText::new(
                            "No record of another layer within a day and the locations' precision.",
                        )
                        .small()
                        .weak(),
                    );
                }
                egui::ScrollArea::vertical()
                    .id_salt("linked-records-scroll")
                    .max_height(ui.available_height() * 0.5)
                    .show(ui, |ui| {
                        for (n, s) in shown.iter().enumerate() {
                            ui.push_id(n, |ui| {
                                if let Some(target) = self.show_one(ui, scene, r, s, gazetteer) {
                                    go_to = Some(target);
                                }
                            });
                            ui.separator();
                        }
                    });
            });
        for problem in &self.problems {
            ui.colored_label(ui.visuals().warn_fg_color, problem);
        }
        go_to
    }

    fn show_one(
        &mut self,
        ui: &mut Ui,
        scene: &Scene<'_>,
        r: IncidentRef,
        s: &ShownLink,
        gazetteer: &Gazetteer,
    ) -> Option<IncidentRef> {
        let layers = scene.layers;
        let layer = layers.get(s.other.dataset)?;
        let incident = layer.loaded.dataset.incidents().get(s.other.index)?;
        let mut go_to = None;
        ui.horizontal_wrapped(|ui| {
            let mark = match s.decision {
                Some(Decision::Confirmed) => "confirmed by you",
                Some(Decision::Rejected) => "rejected by you",
                None => "proposed",
            };
            ui.label(RichText::new(format!("{} · {}", layer_name(layer), mark)).strong());
            match &s.link {
                Some(link) => ui.label(
                    RichText::new(format!(
                        "score {:.2}: {}",
                        link.evidence.score,
                        link.evidence.reasons.join(", ")
                    ))
                    .small(),
                ),
                None => ui.label(
                    RichText::new("confirmed by you; not proposed by the evidence now").small(),
                ),
            };
        });
        ui.horizontal(|ui| {
            if s.decision != Some(Decision::Confirmed) && ui.button("Confirm").clicked() {
                self.decide(
                    layers,
                    r,
                    s.other,
                    Some(Decision::Confirmed),
                    s.link.as_ref(),
                );
            }
            if s.decision != Some(Decision::Rejected) && ui.button("Reject").clicked() {
                self.decide(
                    layers,
                    r,
                    s.other,
                    Some(Decision::Rejected),
                    s.link.as_ref(),
                );
            }
            if s.decision.is_some() && ui.button("Undecide").clicked() {
                self.decide(layers, r, s.other, None, s.link.as_ref());
            }
            if ui.button("Go to it").clicked() {
                go_to = Some(s.other);
            }
        });
        // A rejected record stays folded: its accounts are not this event's.
        if s.decision != Some(Decision::Rejected) {
            ui.indent("linked-claims", |ui| {
                ClaimsPanel::show_linked(
                    ui,
                    &layer.loaded.dataset,
                    incident,
                    gazetteer,
                    scene.settings.naming,
                );
            });
        }
        go_to
    }
}
