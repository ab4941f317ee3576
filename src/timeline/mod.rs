//! The date slider's logic, apart from its painting: window presets and moves, the density
//! histogram behind the slider, and playback. No egui here.

pub mod density;
pub mod playback;
pub mod window;

pub use density::{BinSize, Density, DensitySpans, LayerSpans};
pub use playback::{Mode as PlaybackMode, Playback};
pub use window::{Extent, Preset};
