//! Offline tile files. MBTiles is read here (walkers has no reader for it); PMTiles is read by
//! walkers itself. Nothing here knows about egui: the window wraps these in walkers' `Tiles`.

mod mbtiles;

pub use mbtiles::{MbTiles, MbTilesError, TileFormat};
