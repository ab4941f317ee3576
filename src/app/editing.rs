//! The window's editing commands: the incident form opened, applied or dropped; undo and redo;
//! Save and Save as; the window title's unsaved dot; and the question asked before unsaved edits
//! would be lost (quitting, closing a layer, opening its file again). The edits themselves are
//! `crate::edit`'s, kept by the [`super::document::Document`].

use super::document::SaveTarget;
use super::edit_form::{EditForm, FormAction};
use super::unsaved_prompt::{Answer, Pending, UnsavedPrompt};
use super::{PathPrompt, PathPurpose, ViewerApp};
use crate::edit::IncidentDraft;
use crate::formats::Loaded;
use crate::gazetteer::Gazetteer;
use crate::model::DateWindow;
use crate::scene::text::layer_name;
use crate::scene::{DatasetLayer, IncidentRef};

/// A file name for a layer saved in the native format: its file's stem, or its title.
fn suggested_file_name(layer: &DatasetLayer) -> String {
    let path = std::path::Path::new(&layer.loaded.dataset.provenance.path);
    let stem = match path.file_stem().map(|s| s.to_string_lossy().into_owned()) {
        Some(stem) if !layer.loaded.dataset.provenance.path.contains(':') => stem,
        _ => layer_name(layer),
    };
    let stem: String = stem
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    format!("{stem}.geojson")
}

impl ViewerApp {
    /// Opens the form on an incident.
    pub fn open_edit_form(&mut self, r: IncidentRef) {
        let Some(layer) = self.document.layers().get(r.dataset) else {
            return;
        };
        let dataset = &layer.loaded.dataset;
        let Some(incident) = dataset.incidents().get(r.index) else {
            return;
        };
        let draft = IncidentDraft::of(dataset, incident);
        self.edit_form = Some(EditForm::new(layer.key, draft));
    }

    /// Opens the form on a new incident, in the selected incident's layer, else the last layer
    /// (a new, empty one when none is open).
    pub fn open_new_incident_form(&mut self) {
        let index = match self.document.selected() {
            Some(r) => r.dataset,
            None if self.document.layers().is_empty() => {
                self.add_layer(Loaded {
                    dataset: crate::model::Dataset::untitled(),
                    report: crate::formats::LoadReport::new(
                        crate::model::UNTITLED_PATH,
                        crate::model::Format::Claimmap,
                    ),
                });
                0
            }
            None => self.document.layers().len() - 1,
        };
        let layer = &self.document.layers()[index];
        let draft = IncidentDraft::new(&layer.loaded.dataset);
        self.edit_form = Some(EditForm::new(layer.key, draft));
    }

    /// The incident form, while it is open.
    pub fn edit_form(&mut self) -> Option<&mut EditForm> {
        self.edit_form.as_mut()
    }

    /// Applies the form's draft as one edit, or keeps the form open with what did not read.
    pub fn apply_edit_form(&mut self) {
        let Some(form) = &mut self.edit_form else {
            return;
        };
        let Some(index) = self.document.index_of(form.layer) else {
            self.edit_form = None;
            return;
        };
        // Building interns the draft's strings, and changes nothing else.
        let dataset = &mut self.document.layers_mut()[index].loaded.dataset;
        match form.draft.build(dataset, Gazetteer::embedded()) {
            Err(problems) => form.problems = problems,
            Ok(edit) => {
                let label = edit.label.clone();
                // Said once, as a load says them: the edit is made as the user wrote it.
                self.notices
                    .extend(edit.warnings.iter().map(|w| format!("{label}: {w}")));
                self.document.apply(index, edit);
                self.edit_form = None;
                self.message = Some(label);
                self.after_edit();
            }
        }
    }

    /// Deletes an incident, as one edit.
    pub fn delete_incident(&mut self, r: IncidentRef) {
        let Some((dataset, incident)) = self.document.layers().get(r.dataset).and_then(|l| {
            let dataset = &l.loaded.dataset;
            Some((dataset, dataset.incidents().get(r.index)?))
        }) else {
            return;
        };
        let edit = crate::edit::Edit::delete(dataset, incident);
        self.message = Some(edit.label.clone());
        self.document.apply(r.dataset, edit);
        self.after_edit();
    }

    pub fn undo(&mut self) {
        if let Some(label) = self.document.undo() {
            self.message = Some(format!("Undid: {label}"));
            self.after_edit();
        }
    }

    pub fn redo(&mut self) {
        if let Some(label) = self.document.redo() {
            self.message = Some(format!("Redid: {label}"));
            self.after_edit();
        }
    }

    /// What every edit, undo and redo is followed by: claimants it added take the sides the user
    /// assigned to their names, the map forgets what it drew, and the window follows.
    fn after_edit(&mut self) {
        self.apply_side_choices();
        self.forget_drawn();
        self.follow_edit();
    }

    /// After an edit, the window shows what it left: a date window that no longer reaches the
    /// selected incident widens to take it in.
    pub(super) fn follow_edit(&mut self) {
        if self.timeline.preset == crate::timeline::Preset::All {
            let (from, to) = self.extent();
            self.timeline.set_window(DateWindow { from, to });
            return;
        }
        if let Some(incident) = self.selected_incident() {
            let (start, end) = (incident.date.start(), incident.date.end());
            let window = self.timeline.window;
            if !incident.date.meets(&window) {
                self.timeline.set_window(DateWindow {
                    from: window.from.min(start),
                    to: window.to.max(end),
                });
            }
        }
    }

    /// The layer File ▸ Save and Save as act on: the selected incident's, else the last edited
    /// one, else the last.
    pub(super) fn current_layer(&self) -> Option<usize> {
        self.document
            .selected()
            .map(|r| r.dataset)
            .or_else(|| self.document.unsaved().last().copied())
            .or_else(|| self.document.layers().len().checked_sub(1))
    }

    /// File ▸ Save: in place when the layer is a native file, else as a new one.
    pub fn save_layer(&mut self, index: usize) {
        match self.document.save_target(index) {
            SaveTarget::InPlace(path) => self.save_layer_as(index, &path),
            SaveTarget::NeedsNewFile => self.ask_save_path(index),
        }
    }

    /// Saves a layer to a native file, reporting the outcome; a quit waiting for the saves goes
    /// on once none is left.
    pub fn save_layer_as(&mut self, index: usize, path: &std::path::Path) {
        match self.document.save(index, path) {
            Ok(message) => {
                self.settings.remember_recent(path);
                self.message = Some(message);
                self.continue_after_save();
            }
            Err(e) => {
                self.quit_after_saving = false;
                self.message = Some("Not saved (see the notice in the claims panel)".to_owned());
                self.notices.push(e);
            }
        }
    }

    pub(super) fn ask_save_path(&mut self, index: usize) {
        let Some(layer) = self.document.layers().get(index) else {
            return;
        };
        let key = layer.key;
        let suggested = suggested_file_name(layer);
        // Beside the file the layer came from; for the embedded or a new dataset, beside the
        // last file opened; else the working folder, said in full.
        let own = &layer.loaded.dataset.provenance.path;
        let folder = Some(std::path::PathBuf::from(own))
            .filter(|_| !own.starts_with("embedded:") && own != crate::model::UNTITLED_PATH)
            .or_else(|| self.settings.recent.first().cloned())
            .and_then(|p| std::path::absolute(p).ok())
            .and_then(|p| p.parent().map(std::path::Path::to_path_buf))
            .or_else(|| std::env::current_dir().ok());
        let picked = rfd::FileDialog::new()
            .set_title("Save as a claimmap dataset")
            .add_filter("claimmap GeoJSON", &["geojson"])
            .set_file_name(&suggested);
        let picked = match &folder {
            Some(folder) => picked.set_directory(folder),
            None => picked,
        };
        match picked.save_file() {
            Some(path) => self.save_layer_as(index, &path),
            None => {
                let mut prompt = PathPrompt::new(PathPurpose::SaveAs(key), None);
                prompt.text = match folder {
                    Some(folder) => folder.join(&suggested).display().to_string(),
                    None => suggested,
                };
                self.path_prompt = Some(prompt);
            }
        }
    }

    /// Quit, asking first when edits are unsaved.
    pub(super) fn request_quit(&mut self, ctx: &egui::Context) {
        let unsaved = self.document.unsaved();
        if unsaved.is_empty() || self.quit_confirmed {
            self.quit_confirmed = true;
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        } else {
            self.unsaved_prompt = Some(UnsavedPrompt::new(Pending::Quit, self.names_of(&unsaved)));
        }
    }

    /// Closes a layer, asking first when its edits are unsaved.
    pub fn request_close_layer(&mut self, index: usize) {
        match self.document.layers().get(index) {
            Some(layer) if self.document.is_unsaved(index) => {
                let pending = Pending::CloseLayer(layer.key);
                self.unsaved_prompt = Some(UnsavedPrompt::new(pending, self.names_of(&[index])));
            }
            Some(_) => self.close_layer(index),
            None => {}
        }
    }

    pub(super) fn names_of(&self, indices: &[usize]) -> Vec<String> {
        indices
            .iter()
            .filter_map(|&i| self.document.layers().get(i))
            .map(layer_name)
            .collect()
    }

    /// After a save: a quit that waited for it goes on, or asks where to save the next layer.
    pub(super) fn continue_after_save(&mut self) {
        if !self.quit_after_saving {
            return;
        }
        match self.document.unsaved().first() {
            Some(&next) => self.save_layer(next),
            None => {
                self.quit_after_saving = false;
                self.quit_confirmed = true;
                if let Some(ctx) = &self.ctx {
                    ctx.send_viewport_cmd(egui::ViewportCommand::Close);
                }
            }
        }
    }

    /// The incident form and the unsaved-changes question.
    pub(super) fn edit_dialogs(&mut self, ctx: &egui::Context) {
        if ctx.input(|i| i.viewport().close_requested()) && !self.quit_confirmed {
            if !self.document.unsaved().is_empty() {
                ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            }
            self.request_quit(ctx);
        }
        if let Some(prompt) = &self.unsaved_prompt
            && let Some(answer) = prompt.show(ctx)
        {
            let pending = prompt.pending.clone();
            self.unsaved_prompt = None;
            self.answer_unsaved(pending, answer, ctx);
        }
        let Some(mut form) = self.edit_form.take() else {
            return;
        };
        let Some(index) = self.document.index_of(form.layer) else {
            return;
        };
        let layer = &self.document.layers()[index];
        let action = form.show(
            ctx,
            &layer.loaded.dataset,
            &layer_name(layer),
            Gazetteer::embedded(),
            self.settings.scene.naming,
        );
        self.edit_form = Some(form);
        match action {
            Some(FormAction::Apply) => self.apply_edit_form(),
            Some(FormAction::Cancel) => self.edit_form = None,
            None => {}
        }
    }

    pub(super) fn answer_unsaved(&mut self, pending: Pending, answer: Answer, ctx: &egui::Context) {
        match (pending, answer) {
            (_, Answer::Cancel) => {}
            (Pending::Quit, Answer::Save) => {
                self.quit_after_saving = true;
                self.continue_after_save();
            }
            (Pending::Quit, Answer::Discard) => {
                self.quit_confirmed = true;
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
            (Pending::CloseLayer(key), Answer::Save) => {
                if let Some(i) = self.document.index_of(key) {
                    self.save_layer(i);
                    if !self.document.is_unsaved(i) {
                        self.close_layer(i);
                    }
                }
            }
            (Pending::CloseLayer(key), Answer::Discard) => {
                if let Some(i) = self.document.index_of(key) {
                    self.close_layer(i);
                }
            }
            (Pending::Reopen(key, path), Answer::Discard) => {
                if let Some(i) = self.document.index_of(key) {
                    self.close_layer(i);
                }
                self.open_dataset(path, ctx);
            }
            (Pending::Reopen(..), Answer::Save) => {}
        }
    }

    /// The window's title: the layers shown, with a dot while edits are unsaved.
    pub fn window_title(&self) -> String {
        let names: Vec<String> = self.document.layers().iter().map(layer_name).collect();
        let dot = if self.document.unsaved().is_empty() {
            ""
        } else {
            " \u{25cf}"
        };
        match names.len() {
            0 => format!("claimmap{dot}"),
            1 => format!("{}{dot} \u{2014} claimmap", names[0]),
            n => format!("{} and {} more{dot} \u{2014} claimmap", names[0], n - 1),
        }
    }

    pub(super) fn update_title(&mut self, ctx: &egui::Context) {
        let title = self.window_title();
        if self.title != title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title = title;
        }
    }
}
