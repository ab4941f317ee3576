//! Asked before edits would be lost: quitting, closing an edited layer, or opening its file again.

use std::path::PathBuf;

use egui::RichText;

use crate::scene::LayerKey;

/// What waits for the user's answer.
#[derive(Clone, Debug, PartialEq)]
pub enum Pending {
    Quit,
    CloseLayer(LayerKey),
    /// Open the file again, in place of the edited layer.
    Reopen(LayerKey, PathBuf),
}

/// The user's answer.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    Save,
    Discard,
    Cancel,
}

pub struct UnsavedPrompt {
    pub pending: Pending,
    /// The layers with unsaved edits it is about, by name.
    names: Vec<String>,
}

impl UnsavedPrompt {
    pub fn new(pending: Pending, names: Vec<String>) -> UnsavedPrompt {
        UnsavedPrompt { pending, names }
    }

    /// Shows the question over the window; `None` until answered.
    pub fn show(&self, ctx: &egui::Context) -> Option<Answer> {
        let mut answer = None;
        let list = self.names.join(", ");
        let (question, discard) = match &self.pending {
            Pending::Quit => (
                format!("Save your edits to {list} before quitting?"),
                "Quit without saving",
            ),
            Pending::CloseLayer(_) => (
                format!("Save your edits to {list} before closing it?"),
                "Close without saving",
            ),
            Pending::Reopen(..) => (
                format!("Open {list} again from its file? Your edits to it are not saved."),
                "Reopen and lose the edits",
            ),
        };
        let modal = egui::Modal::new(egui::Id::unique("unsaved-prompt")).show(ctx, |ui| {
            ui.set_max_width(420.0);
            ui.heading("Unsaved changes");
            ui.label(RichText::new(question));
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                if !matches!(self.pending, Pending::Reopen(..)) && ui.button("Save").clicked() {
                    answer = Some(Answer::Save);
                }
                if ui.button(discard).clicked() {
                    answer = Some(Answer::Discard);
                }
                if ui.button("Cancel").clicked() {
                    answer = Some(Answer::Cancel);
                }
            });
        });
        if answer.is_none() && modal.should_close() {
            answer = Some(Answer::Cancel);
        }
        answer
    }
}
