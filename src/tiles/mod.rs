//! Tiles without egui: offline files (MBTiles read here, raster or vector; vector PMTiles read
//! here, raster PMTiles by walkers itself), vector tiles decoded for the built-in style
//! ([`vector`]), online sources from URL templates ([`source`]), their downloads ([`fetch`]) and
//! the bounded disk cache ([`disk_cache`]). The window wraps these in walkers' `Tiles` or draws
//! them itself.

pub mod disk_cache;
pub mod fetch;
mod mbtiles;
pub mod pmtiles;
pub mod source;
pub mod vector;

pub use disk_cache::DiskCache;
pub use fetch::{FetchOptions, FetchStatus, Fetcher, Outcome};
pub use mbtiles::{MbTiles, MbTilesError, TileFormat};
pub use pmtiles::PmTilesFile;
pub use source::{PRESETS, Preset, TileKey, TileSource};
pub use vector::{VectorTile, VectorTileError};
