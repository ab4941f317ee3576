//! Raster tiles without egui: offline files (MBTiles read here; PMTiles is read by walkers
//! itself), online sources from URL templates ([`source`]), their downloads ([`fetch`]) and the
//! bounded disk cache ([`disk_cache`]). The window wraps these in walkers' `Tiles`.

pub mod disk_cache;
pub mod fetch;
mod mbtiles;
pub mod source;

pub use disk_cache::DiskCache;
pub use fetch::{FetchOptions, FetchStatus, Fetcher, Outcome};
pub use mbtiles::{MbTiles, MbTilesError, TileFormat};
pub use source::{PRESETS, Preset, TileKey, TileSource};
