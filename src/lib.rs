//! claimmap: a desktop map viewer for contested incident reports.
//!
//! Data flows one way: a file is read by [`formats`] into a [`model::Dataset`], whose place names
//! the [`gazetteer`] resolves; [`view`] (filters, the visible-incident query) and [`timeline`]
//! (window, density, playback) select from it; [`scene`] is what a frame draws of it — the map,
//! its markers and labels, the claims panel's content. Both the [`app`] window (widgets, dialogs,
//! I/O) and [`export`] (decorations, rasterizing, PNG files) draw that one scene, so a figure is
//! what the window shows; the [`cli`] drives the loaders and the exporter. No module uses one
//! above it (`tests/module_graph.rs` checks), and none writes the files it opened. `model`,
//! `formats`, `gazetteer`, `view` and `timeline` know nothing of egui.

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
pub mod scene;
pub mod summary;
pub mod tiles;
pub mod timeline;
pub mod view;

pub use formats::{LoadError, LoadReport, Loaded, load_path, load_reference};
pub use gazetteer::{Convention, Gazetteer, Naming, Place, PlaceId, PlaceKind};
pub use model::{Claim, Claimant, Dataset, DateInterval, DateWindow, Day, Incident};
pub use summary::Summary;
pub use timeline::{BinSize, Density, DensitySpans, Extent, Playback, PlaybackMode, Preset};
pub use view::{Counts, FilterPass, Filters, SearchText};
