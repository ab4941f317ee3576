//! The date slider's logic, apart from its painting: window presets and moves, the density
//! histogram behind the slider, and playback. No egui here.

pub mod window;

pub use window::{Extent, Preset};
