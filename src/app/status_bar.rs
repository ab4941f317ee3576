//! The status bar: the pointer's coordinates, what is shown of what is loaded, the basemap and
//! whether it reaches its server, the last thing done (saved, undone), and the naming in use.

use egui::Ui;

use crate::gazetteer::Naming;
use crate::scene::{NetworkState, Scene, TileLayer};

/// What the status bar reports, borrowed from the window for one frame.
pub struct StatusBar<'a> {
    /// Longitude, latitude under the pointer.
    pub cursor: Option<(f64, f64)>,
    pub offline: bool,
    pub tiles: Option<&'a mut TileLayer>,
    pub tile_error: Option<&'a str>,
    pub network: NetworkState,
    pub naming: Naming,
    /// The outcome of the last command (a save, an undo), until the next one.
    pub message: Option<&'a str>,
    /// The field markers are being classed by, and the share of its values read.
    pub classing: Option<(String, f32)>,
}

impl StatusBar<'_> {
    pub fn show(mut self, ui: &mut Ui, scene: &Scene<'_>) {
        ui.horizontal(|ui| {
            match self.cursor {
                Some((lon, lat)) => ui.monospace(format!("{lat:>9.5}, {lon:>10.5}")),
                None => ui.monospace(format!("{:>21}", "")),
            };
            ui.separator();
            ui.label(scene.counts());
            ui.separator();
            let tiles = match self.tiles.as_deref_mut() {
                None if self.offline => "Offline · embedded map".to_owned(),
                None => "Embedded map".to_owned(),
                Some(layer) => {
                    let label = layer.label();
                    match (layer.host(), self.network) {
                        (Some(_), NetworkState::Unreachable) => {
                            format!("{label} · no network, embedded map shown")
                        }
                        (Some(_), NetworkState::Checking) => format!("{label} · connecting…"),
                        (Some(_), _) => match layer.in_progress() {
                            0 => format!("{label} · online"),
                            n => format!("{label} · online, loading {n} tiles"),
                        },
                        (None, _) => format!("{label} · offline file"),
                    }
                }
            };
            ui.label(tiles);
            if let Some(problem) = self.tiles.as_deref().and_then(TileLayer::problem) {
                ui.separator();
                ui.colored_label(ui.visuals().warn_fg_color, problem);
                // The countdown to the next try moves on its own.
                if self
                    .tiles
                    .as_deref()
                    .and_then(TileLayer::paused_for)
                    .is_some()
                {
                    ui.ctx()
                        .request_repaint_after(std::time::Duration::from_secs(1));
                }
            }
            if let Some(error) = self.tile_error {
                ui.separator();
                ui.colored_label(ui.visuals().error_fg_color, error);
            }
            if let Some((field, read)) = &self.classing {
                ui.separator();
                ui.spinner();
                ui.label(format!(
                    "Colouring by {}: {:.0}% of the values read",
                    field.to_lowercase(),
                    read * 100.0
                ));
            }
            if let Some(message) = self.message {
                ui.separator();
                ui.label(message);
            }
            ui.separator();
            ui.label(format!("Names: {}", super::naming_label(self.naming)));
        });
    }
}
