//! A vector tile file (MBTiles or PMTiles of Mapbox Vector Tiles) as the map's basemap: the tiles
//! a frame shows are read and decoded on demand, kept decoded up to a count and a byte budget
//! (least recently drawn dropped first), and drawn by the map itself with the built-in style
//! (`map_view::vector_tiles`), so the window and the CPU export paint the same triangles.
//!
//! Decoding happens on the UI thread within a time budget per frame; tiles left over are
//! decoded in the next frames (the window repaints, an export waits for them as it waits for
//! online tiles), and the nearest coarser tile held stands in meanwhile.

use std::collections::{BTreeSet, HashSet};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use lru::LruCache;
use walkers::sources::Attribution;
use walkers::{TileId, TilePiece, Tiles};

use crate::basemap::Bounds;
use crate::tiles::{MbTiles, PmTilesFile, TileKey, VectorTile};

/// Decoded tiles past this many bytes are dropped, least recently drawn first: a dense city tile
/// decodes to a few MB of triangles, and a window shows twenty tiles.
pub const MEMORY_BUDGET_BYTES: usize = 256 << 20;
/// A frame decodes tiles for at most this long (beyond its first tile), so panning into new
/// ground stays smooth; the rest come in the next frames.
const DECODE_BUDGET: Duration = Duration::from_millis(30);

/// Where the tiles come from.
pub enum VectorSource {
    MbTiles(MbTiles),
    PmTiles(PmTilesFile),
}

impl VectorSource {
    fn tile(&self, key: TileKey) -> Result<Option<Vec<u8>>, String> {
        match self {
            VectorSource::MbTiles(file) => {
                file.tile(key.zoom, key.x, key.y).map_err(|e| e.to_string())
            }
            VectorSource::PmTiles(file) => file.tile(key.zoom, key.x, key.y),
        }
    }

    fn zooms(&self) -> (u8, u8) {
        match self {
            VectorSource::MbTiles(file) => (file.min_zoom, file.max_zoom),
            VectorSource::PmTiles(file) => (file.min_zoom, file.max_zoom),
        }
    }

    pub fn path(&self) -> &Path {
        match self {
            VectorSource::MbTiles(file) => &file.path,
            VectorSource::PmTiles(file) => &file.path,
        }
    }

    fn attribution(&self) -> String {
        match self {
            VectorSource::MbTiles(file) => file.attribution(),
            VectorSource::PmTiles(file) => {
                let name = file.name.clone().unwrap_or_else(|| "PMTiles".to_owned());
                match &file.attribution {
                    Some(a) => format!("{name}: {a}"),
                    None => format!(
                        "{name} ({})",
                        file.path
                            .file_name()
                            .map(|f| f.to_string_lossy())
                            .unwrap_or_default()
                    ),
                }
            }
        }
    }
}

/// A tile the frame draws: the key whose data it is (the tile itself or a coarser one standing
/// in for it) and the data.
pub struct DrawnTile {
    pub key: TileKey,
    pub tile: Arc<VectorTile>,
}

pub struct VectorLayer {
    source: VectorSource,
    /// `None`: the file has no tile there, or it could not be drawn (counted in `refused`).
    decoded: LruCache<TileKey, Option<Arc<VectorTile>>>,
    bytes_held: usize,
    /// Zoom levels finer than the map's density alone asks for (1 for a figure at scale 2).
    deeper: u8,
    memory_tiles: usize,
    attribution: &'static str,
    refused: usize,
    first_refusal: Option<String>,
    /// Layers of the file the style does not draw, as met.
    unstyled: BTreeSet<String>,
    /// Whether any tile decoded so far had something to draw.
    drew_anything: bool,
    /// Tiles the last frame wanted and has not decoded yet.
    waiting: usize,
}

impl VectorLayer {
    /// A layer keeping at most `memory_tiles` decoded tiles, drawing tiles `deeper` zoom levels
    /// finer than the map's zoom alone asks for.
    pub fn new(source: VectorSource, deeper: u8, memory_tiles: usize) -> VectorLayer {
        let attribution = super::attribution::kept(source.attribution());
        VectorLayer {
            source,
            decoded: LruCache::unbounded(),
            bytes_held: 0,
            deeper,
            memory_tiles: memory_tiles.max(16),
            attribution,
            refused: 0,
            first_refusal: None,
            unstyled: BTreeSet::new(),
            drew_anything: false,
            waiting: 0,
        }
    }

    pub fn source(&self) -> &VectorSource {
        &self.source
    }

    /// The zoom of the tiles drawn at a map zoom: vector tiles are made to be shown 512 px wide,
    /// so one level coarser than 256-px raster tiles; one finer per doubling of pixel density.
    pub fn tile_zoom(&self, map_zoom: f64) -> u8 {
        let (min, max) = self.source.zooms();
        let wanted = (map_zoom - 1.0 + f64::from(self.deeper)).round();
        wanted.clamp(f64::from(min), f64::from(max)) as u8
    }

    /// The tiles that cover `view` (world coordinates) at `map_zoom`, decoding what is missing
    /// within the frame's budget; a tile not decoded yet is stood in for by the nearest coarser
    /// one held.
    pub fn tiles_for(&mut self, view: &Bounds, map_zoom: f64) -> Vec<DrawnTile> {
        let (min_zoom, _) = self.source.zooms();
        if map_zoom - 1.0 + f64::from(self.deeper) < f64::from(min_zoom) - 0.5 {
            self.waiting = 0;
            return Vec::new();
        }
        let zoom = self.tile_zoom(map_zoom);
        let n = 1u64 << zoom;
        let index = |v: f64| ((v.clamp(0.0, 1.0) * n as f64).floor() as u64).min(n - 1) as u32;
        let (x0, x1) = (index(view.min.x), index(view.max.x));
        let (y0, y1) = (index(view.min.y), index(view.max.y));
        let started = Instant::now();
        let mut decoded_now = 0;
        let mut out = Vec::new();
        let mut seen = HashSet::new();
        self.waiting = 0;
        for y in y0..=y1 {
            for x in x0..=x1 {
                let key = TileKey { zoom, x, y };
                let data = match self.decoded.get(&key) {
                    Some(held) => held.clone().map(|tile| (key, tile)),
                    None if decoded_now == 0 || started.elapsed() < DECODE_BUDGET => {
                        decoded_now += 1;
                        self.decode(key).map(|tile| (key, tile))
                    }
                    None => {
                        self.waiting += 1;
                        self.stand_in(key)
                    }
                };
                if let Some((key, tile)) = data
                    && seen.insert(key)
                {
                    out.push(DrawnTile { key, tile });
                }
            }
        }
        out
    }

    /// The nearest coarser tile held that covers `key`.
    fn stand_in(&mut self, key: TileKey) -> Option<(TileKey, Arc<VectorTile>)> {
        let (min_zoom, _) = self.source.zooms();
        (min_zoom..key.zoom).rev().find_map(|zoom| {
            let ancestor = key.ancestor(zoom);
            match self.decoded.peek(&ancestor) {
                Some(Some(tile)) => Some((ancestor, tile.clone())),
                _ => None,
            }
        })
    }

    fn decode(&mut self, key: TileKey) -> Option<Arc<VectorTile>> {
        let tile = match self.source.tile(key) {
            Ok(None) => Ok(None),
            Ok(Some(bytes)) => crate::tiles::vector::decode(&bytes)
                .map(|t| Some(Arc::new(t)))
                .map_err(|e| e.to_string()),
            Err(e) => Err(e),
        };
        let tile = tile.unwrap_or_else(|reason| {
            self.refused += 1;
            self.first_refusal
                .get_or_insert_with(|| format!("tile {key}: {reason}"));
            None
        });
        if let Some(t) = &tile {
            self.unstyled.extend(t.unstyled_layers.iter().cloned());
            self.drew_anything |= !t.is_empty();
        }
        self.hold(key, tile.clone());
        tile
    }

    /// Keeps a tile, dropping the least recently drawn past the count and the byte budget.
    fn hold(&mut self, key: TileKey, tile: Option<Arc<VectorTile>>) {
        let size = |t: &Option<Arc<VectorTile>>| t.as_ref().map_or(16, |t| t.size_bytes());
        self.bytes_held += size(&tile);
        if let Some(old) = self.decoded.put(key, tile) {
            self.bytes_held -= size(&old);
        }
        let max_tiles = self.memory_tiles;
        while self.decoded.len() > max_tiles || self.bytes_held > MEMORY_BUDGET_BYTES {
            match self.decoded.pop_lru() {
                Some((_, old)) => self.bytes_held -= size(&old),
                None => break,
            }
        }
        debug_assert!(self.decoded.len() <= max_tiles);
    }

    /// Decoded tiles held in memory, and roughly their bytes.
    pub fn held(&self) -> (usize, usize) {
        (self.decoded.len(), self.bytes_held)
    }

    /// Tiles the last frame wanted and has not decoded yet.
    pub fn waiting(&self) -> usize {
        self.waiting
    }

    pub fn attribution_text(&self) -> &'static str {
        self.attribution
    }

    /// What went wrong, in a line: tiles refused (corrupt, a bomb), or a file none of whose
    /// layers the style draws.
    pub fn problem(&self) -> Option<String> {
        if self.refused > 0 {
            return Some(format!(
                "{} {} not drawn: {}",
                self.refused,
                if self.refused == 1 { "tile" } else { "tiles" },
                self.first_refusal.as_deref().unwrap_or_default()
            ));
        }
        if !self.drew_anything && !self.unstyled.is_empty() {
            let layers: Vec<&str> = self.unstyled.iter().take(8).map(String::as_str).collect();
            return Some(format!(
                "none of the file's layers is one claimmap's style draws ({})",
                layers.join(", ")
            ));
        }
        None
    }
}

/// Walkers is given no raster pieces for a vector file (the map draws it itself); this keeps
/// the layer usable wherever a tile source is expected, and reports the tiles still to decode.
impl Tiles for VectorLayer {
    fn at(&mut self, _id: TileId) -> Option<TilePiece> {
        None
    }

    fn attribution(&self) -> Attribution {
        Attribution {
            text: self.attribution,
            url: "",
            logo_light: None,
            logo_dark: None,
        }
    }

    fn tile_size(&self) -> u32 {
        256
    }

    fn stats(&self) -> walkers::Stats {
        walkers::Stats {
            in_progress: self.waiting,
        }
    }
}
