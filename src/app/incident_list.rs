//! The incidents as the claims panel lists them when none is open: those on screen, or the
//! whole window when the map draws clusters or a density; and the pager over a stack of markers.
//! Rows are laid out only when on screen, so a window of a million incidents lists as fast as
//! ten.

use egui::{Key, RichText, Ui};

use crate::scene::map_view::{MapOutput, clusters};
use crate::scene::text::{date_in_words, thousands};
use crate::scene::{IncidentRef, Scene};

/// Past this many incidents in view, the list shows one truncated line per incident and lays out
/// only the visible rows.
const LONG_LIST: usize = 200;

/// An incident as the list shows it: date in words, contested mark, title.
fn list_entry(scene: &Scene<'_>, r: IncidentRef) -> String {
    let incident = scene.incident(r);
    let mark = if scene.dataset(r).is_contested(incident) {
        "[contested] "
    } else {
        ""
    };
    format!(
        "{} · {mark}{}",
        date_in_words(&incident.date),
        scene.dataset(r).title(incident)
    )
}

/// The lists of one frame: they read the scene and report the incident the user picked.
pub struct IncidentList<'s, 'a> {
    pub scene: &'s Scene<'a>,
    pub selected: Option<IncidentRef>,
    /// Clicked in a list, or paged to.
    pub picked: Option<IncidentRef>,
}

impl IncidentList<'_, '_> {
    pub fn in_view(&mut self, ui: &mut Ui, output: &MapOutput) {
        let scene = self.scene;
        ui.heading("Incidents in view");
        ui.label(
            RichText::new("Click one, on the map or here, to read its claims side by side.")
                .small()
                .weak(),
        );
        ui.separator();
        if let Some(density) = &output.density {
            // The map draws no markers: the whole window, laid out row by row.
            ui.label(
                RichText::new(format!(
                    "The map shows their density ({}); choose Markers under Style to see them one by one. All {} incidents in the window:",
                    density.view.label().to_lowercase(),
                    thousands(scene.visible.len() as u64)
                ))
                .small(),
            );
            let visible = &scene.visible;
            self.long_list(ui, visible.len(), |n| visible.get(n));
            return;
        }
        if output.clusters > 0 {
            // Too many to list by place: the whole window instead, laid out row by row.
            ui.label(
                RichText::new(format!(
                    "About {} incidents in view, drawn as {} clusters: zoom in, or click a cluster, to see them one by one. All {} incidents in the window:",
                    clusters::count_label(output.clustered as u32),
                    thousands(output.clusters as u64),
                    thousands(scene.visible.len() as u64)
                ))
                .small(),
            );
            let visible = &scene.visible;
            self.long_list(ui, visible.len(), |n| visible.get(n));
            return;
        }
        let in_view = output.in_view.clone();
        if in_view.len() > LONG_LIST {
            ui.label(RichText::new(format!("{} incidents in view", in_view.len())).small());
            self.long_list(ui, in_view.len(), |n| in_view.get(n).copied());
            return;
        }
        egui::ScrollArea::vertical().show(ui, |ui| {
            for &r in &in_view {
                if ui
                    .selectable_label(self.selected == Some(r), list_entry(scene, r))
                    .clicked()
                {
                    self.picked = Some(r);
                }
            }
            let unlocated = scene.visible.unlocated();
            if unlocated > 0 {
                ui.separator();
                ui.label(
                    RichText::new(format!("{unlocated} incidents without a location")).small(),
                );
            }
        });
    }

    /// Over the claims of an incident opened from a stack: "3 of 12 here", previous and next
    /// (or Page Up / Page Down), and the whole stack as a list to jump in.
    pub fn stack_pager(&mut self, ui: &mut Ui, stack: &[IncidentRef], selected: IncidentRef) {
        let Some(at) = stack.iter().position(|&r| r == selected) else {
            return;
        };
        let n = stack.len();
        let (previous, next) =
            ui.input(|i| (i.key_pressed(Key::PageUp), i.key_pressed(Key::PageDown)));
        let mut go = None;
        ui.horizontal(|ui| {
            if ui
                .add_enabled(at > 0, egui::Button::new("‹ Previous"))
                .on_hover_text("Page Up")
                .clicked()
                || (previous && at > 0)
            {
                go = Some(at - 1);
            }
            ui.label(RichText::new(format!("{} of {n} here", at + 1)).strong());
            if ui
                .add_enabled(at + 1 < n, egui::Button::new("Next ›"))
                .on_hover_text("Page Down")
                .clicked()
                || (next && at + 1 < n)
            {
                go = Some(at + 1);
            }
        });
        egui::CollapsingHeader::new(format!("All {n} incidents on this spot"))
            .id_salt("stack-list")
            .show(ui, |ui| {
                ui.set_max_height(ui.available_height().min(220.0));
                self.long_list(ui, n, |k| stack.get(k).copied());
            });
        ui.separator();
        if let Some(k) = go {
            self.picked = Some(stack[k]);
        }
    }

    /// Thousands of rows: one truncated line each, and only the rows on screen are laid out
    /// (or even formatted).
    fn long_list(&mut self, ui: &mut Ui, rows: usize, row: impl Fn(usize) -> Option<IncidentRef>) {
        let scene = self.scene;
        let row_height = ui.text_style_height(&egui::TextStyle::Body) + ui.spacing().item_spacing.y;
        egui::ScrollArea::vertical().show_rows(ui, row_height, rows, |ui, shown| {
            for r in shown.filter_map(&row) {
                let label =
                    egui::Button::selectable(self.selected == Some(r), list_entry(scene, r))
                        .truncate();
                if ui.add(label).clicked() {
                    self.picked = Some(r);
                }
            }
        });
    }
}
