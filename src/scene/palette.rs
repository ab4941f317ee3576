//! The one bridge from the model's colours to egui's, shared by the map, the panels and the
//! timeline.

use egui::Color32;

use crate::model::Rgb;

/// A model colour as egui paints it.
pub fn colour(rgb: Rgb) -> Color32 {
    let [r, g, b] = rgb.0;
    Color32::from_rgb(r, g, b)
}
