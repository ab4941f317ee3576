//! claimmap: a desktop map viewer for contested incident reports.
//!
//! Data flows one way: a file is read by `formats` ([`load_path`]) into a [`Dataset`], whose
//! place names the `gazetteer` ([`Gazetteer`]) resolves; `view` ([`Filters`], [`visible`]) and
//! `timeline` (the [`DateWindow`]'s presets, [`Density`], [`Playback`]) select from it; `scene`
//! is what a frame draws of it — the map, its markers and labels, the claims panel's content.
//! Both the `app` window ([`ViewerApp`]: widgets, dialogs, I/O) and `export` ([`ExportSpec`]:
//! decorations, rasterizing, PNG files) draw that one scene, so a figure is what the window
//! shows; `edit` changes a dataset by hand, one undoable swap of an incident at a time, which the
//! window's document applies; `cli` ([`run_cli`]) drives the loaders and the exporter. No module uses one above it
//! (`tests/module_graph.rs` checks), and none writes the files it opened. `model`, `formats`,
//! `gazetteer`, `view` and `timeline` know nothing of egui.
//!
//! The modules are private: the `pub use` list below is the library's whole API. [`testing`]
//! opens what the tests, the benchmark binary and the examples reach inside for.

#![deny(clippy::unwrap_used)]

// The modules, in the order data flows through them; all private, so the list below is the
// whole API and the folders are free to move.
mod app;
mod basemap;
mod bench;
mod cli;
mod draft;
mod edit;
mod export;
mod formats;
mod fxhash;
mod gazetteer;
mod geometry;
mod link;
mod memory;
mod model;
mod parallel;
mod scene;
mod summary;
mod tiles;
mod timeline;
mod view;

pub mod testing;

// Datasets and what they hold.
pub use model::{
    Category, Claim, ClaimDetails, Claimant, ClaimantId, Dataset, DatasetMeta, DateInterval,
    DatePrecision, DateWindow, Day, FileDigest, Format, Incident, IncidentDetails, IncidentId,
    Location, LocationPrecision, Losses, PlaceRef, Placement, Provenance, Rare, Rgb, Side, SideId,
    Source, Sparse, Text, TextUnreadable, ThinOptStr, ThinSlice, ThinStr, Title,
};
// The sides the user assigned to claimants, over the files'.
pub use model::side_choices::SideChoices;
// Reading and writing them.
pub use formats::{
    CLAIMS_HEADER, ClaimColumns, ColumnMapping, CoordinateOrder, LISTED_ISSUES, LoadError,
    LoadReport, Loaded, REFERENCE_DATASET, detect_columns, load_bytes, load_path, load_reference,
    load_table_with_mapping, save_native,
};
// Places and their names.
pub use gazetteer::{Convention, Gazetteer, Naming, Place, PlaceId, PlaceKind};
// Choosing what is shown: filters, the date window, density and playback.
pub use summary::Summary;
pub use timeline::{BinSize, Density, DensitySpans, Extent, Playback, PlaybackMode, Preset};
pub use view::{Counts, FilterPass, Filters, SearchText, extent, visible};
// What the map's colours, sizes and density say.
pub use scene::styling::{ColourBy, DensityView, Styling};
// Map tiles from MBTiles files.
pub use tiles::{MbTiles, MbTilesError, PRESETS, TileFormat, TileSource};
// Records of one event in several datasets, and claims drafted from a report's text.
pub use draft::{Options as DraftOptions, draft_dataset};
pub use link::{Link, LinkOptions, Linker, RecordRef, find_links};
// Figures, the window and the command line.
pub use app::{ViewerApp, WindowOptions, run as run_window};
pub use cli::main as run_cli;
pub use export::{ExportSpec, Picture};
pub use memory::{ProcessKind, set_up_memory};
