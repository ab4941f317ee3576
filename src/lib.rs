//! claimmap: a desktop map viewer for contested incident reports.
//!
//! Data flows one way: a file is read by [`formats`] into a [`model::Dataset`], whose place names
//! the [`gazetteer`] resolves; the [`app`] window and the [`cli`] read the dataset and never write
//! the files they opened; [`export`] turns what the window shows into images without a display or
//! a GPU. `model`, `formats`, `gazetteer`, [`view`] (filters, the visible-incident query) and
//! [`timeline`] (window, density, playback) know nothing of egui.

#![deny(clippy::unwrap_used)]

pub mod app;
pub mod basemap;
pub mod bench;
pub mod cli;
pub mod draft;
pub mod export;
pub mod formats;
mod fxhash;
pub mod gazetteer;
pub mod geometry;
pub mod link;
pub mod model;
pub mod summary;
pub mod synthetic;
pub mod tiles;
pub mod timeline;
pub mod view;

pub use formats::{LoadError, LoadReport, Loaded, load_path, load_reference};
pub use gazetteer::{Convention, Gazetteer, Naming, Place, PlaceId, PlaceKind};
pub use model::{Claim, Claimant, Dataset, DateInterval, DateWindow, Day, Incident};
pub use summary::Summary;
pub use timeline::{BinSize, Density, DensitySpans, Extent, Playback, PlaybackMode, Preset};
pub use view::{Counts, FilterPass, Filters, SearchText};
