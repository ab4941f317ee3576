//! Tile sources under the map: online raster ones from URL templates (presets or the user's own,
//! downloaded by [`crate::tiles::Fetcher`] into a bounded disk cache), and offline files (raster
//! MBTiles through [`crate::tiles::MbTiles`], raster PMTiles through walkers, vector MBTiles and
//! PMTiles through [`VectorLayer`], which the map draws itself). Decoded tiles are kept in memory
//! up to a bound, the least recently drawn dropped first.

use std::cell::Cell;
use std::collections::HashSet;
use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use egui::{Context, Rect, pos2};
use lru::LruCache;
use walkers::sources::Attribution;
use walkers::{Tile, TileId, TilePiece, Tiles};

use crate::tiles::{DiskCache, FetchOptions, Fetcher, MbTiles, Outcome, TileKey, TileSource};

use super::settings::BasemapChoice;
use super::vector_layer::{VectorLayer, VectorSource};

/// Names claimmap and its version to tile servers, as their usage policies ask.
pub const USER_AGENT: &str = concat!(
    "claimmap/",
    env!("CARGO_PKG_VERSION"),
    " (desktop incident map viewer)"
);

/// The platform cache directory for downloaded tiles.
pub fn cache_dir() -> Option<PathBuf> {
    dirs::cache_dir().map(|d| d.join("claimmap").join("tiles"))
}

/// The disk cache every online layer of this process shares (one index of what it holds).
pub fn disk_cache() -> Option<Arc<DiskCache>> {
    static CACHE: OnceLock<Option<Arc<DiskCache>>> = OnceLock::new();
    CACHE
        .get_or_init(|| {
            cache_dir().map(|dir| {
                Arc::new(DiskCache::new(
                    dir,
                    crate::tiles::disk_cache::DEFAULT_LIMIT_BYTES,
                ))
            })
        })
        .clone()
}

/// How a layer is drawn: how many zoom levels deeper than the map's its tiles are asked for (one
/// for a figure at twice the pixels per point, so imagery stays sharp in print), and how many
/// decoded tiles it keeps in memory.
#[derive(Copy, Clone, Debug)]
pub struct LayerOptions {
    pub deeper: u8,
    pub memory_tiles: usize,
}

impl Default for LayerOptions {
    /// The window's: a 4K screen shows about 150 tiles and their coarser stand-ins; 512 (128 MB
    /// of 256 px tiles) leave room for panning back.
    fn default() -> Self {
        LayerOptions {
            deeper: 0,
            memory_tiles: 512,
        }
    }
}

impl LayerOptions {
    /// For a picture of `size_px` at `pixels_per_point`: tiles one level deeper per doubling of
    /// the pixel density, and room in memory for every tile the picture shows.
    pub fn for_export(size_px: [u32; 2], pixels_per_point: f32) -> LayerOptions {
        let deeper = pixels_per_point.max(1.0).log2().round().clamp(0.0, 2.0) as u8;
        let across = |px: u32| (px as usize).div_ceil(256) + 2;
        let visible = across(size_px[0]) * across(size_px[1]);
        LayerOptions {
            deeper,
            // Each visible tile and its ancestors.
            memory_tiles: (visible * 2).max(LayerOptions::default().memory_tiles),
        }
    }
}

fn bounded<K: std::hash::Hash + Eq, V>(capacity: usize) -> LruCache<K, V> {
    LruCache::new(NonZeroUsize::new(capacity.max(16)).expect("at least 16"))
}

/// The part of `ancestor`'s square that `key` covers, as texture coordinates.
fn uv_within(key: TileKey, ancestor: TileKey) -> Rect {
    debug_assert!(ancestor.zoom <= key.zoom);
    let levels = key.zoom - ancestor.zoom;
    let parts = (1u32 << levels) as f32;
    let mask = (1u32 << levels) - 1;
    let (sub_x, sub_y) = ((key.x & mask) as f32, (key.y & mask) as f32);
    Rect::from_min_max(
        pos2(sub_x / parts, sub_y / parts),
        pos2((sub_x + 1.0) / parts, (sub_y + 1.0) / parts),
    )
}

fn key_of(id: TileId) -> TileKey {
    TileKey {
        zoom: id.zoom,
        x: id.x,
        y: id.y,
    }
}

/// Raster tiles are 256 or 512 px a side; an image past this is no tile but a decompression
/// bomb (a 20000×20000 PNG is 57 KB on disk, 1.6 GB decoded, and past any GPU's textures).
pub const MAX_TILE_SIDE: u32 = 4096;

/// Reads an image's size from its header, without decoding it, and refuses what cannot be a
/// tile: larger than [`MAX_TILE_SIDE`] or than `max_texture_side`, the GPU's limit.
pub fn check_tile_image(bytes: &[u8], max_texture_side: usize) -> Result<(), String> {
    let reader = image::ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| format!("unreadable image ({e})"))?;
    let (width, height) = reader
        .into_dimensions()
        .map_err(|e| format!("unreadable image header ({e})"))?;
    let limit = MAX_TILE_SIDE.min(u32::try_from(max_texture_side).unwrap_or(u32::MAX));
    if width > limit || height > limit {
        return Err(format!(
            "{width}×{height} px, more than a tile can be (at most {limit} px a side)"
        ));
    }
    Ok(())
}

/// Raster tiles from an MBTiles file, decoded on demand and kept up to a bound.
pub struct MbTilesLayer {
    file: MbTiles,
    decoded: LruCache<TileId, Option<Tile>>,
    options: LayerOptions,
    attribution: &'static str,
    ctx: Context,
    /// Tiles the file holds that could not be drawn, and why the first one could not.
    refused: usize,
    first_refusal: Option<String>,
}

impl MbTilesLayer {
    pub fn new(file: MbTiles, ctx: Context, options: LayerOptions) -> MbTilesLayer {
        let attribution = super::attribution::kept(file.attribution());
        MbTilesLayer {
            file,
            decoded: bounded(options.memory_tiles),
            options,
            attribution,
            ctx,
            refused: 0,
            first_refusal: None,
        }
    }

    fn decode(&mut self, id: TileId) -> Option<Tile> {
        if let Some(tile) = self.decoded.get(&id) {
            return tile.clone();
        }
        let max_texture_side = self.ctx.input(|i| i.max_texture_side);
        let tile = match self.file.tile(id.zoom, id.x, id.y) {
            Ok(None) => Ok(None),
            Ok(Some(bytes)) => check_tile_image(&bytes, max_texture_side).and_then(|()| {
                Tile::new(&bytes, &walkers::Style, id.zoom, 256, &self.ctx)
                    .map(Some)
                    .map_err(|e| format!("undecodable ({e})"))
            }),
            Err(e) => Err(e.to_string()),
        };
        let tile = tile.unwrap_or_else(|reason| {
            self.refused += 1;
            self.first_refusal
                .get_or_insert_with(|| format!("tile {}/{}/{}: {reason}", id.zoom, id.x, id.y));
            None
        });
        self.decoded.put(id, tile.clone());
        tile
    }

    /// Decoded tiles held in memory.
    pub fn decoded_count(&self) -> usize {
        self.decoded.len()
    }
}

impl Tiles for MbTilesLayer {
    fn at(&mut self, id: TileId) -> Option<TilePiece> {
        if id.zoom < self.file.min_zoom {
            return None;
        }
        // Past the file's deepest zoom, show the part of the ancestor tile that covers this one.
        let levels = id.zoom.saturating_sub(self.file.max_zoom);
        let ancestor = TileId {
            x: id.x >> levels,
            y: id.y >> levels,
            zoom: id.zoom - levels,
        };
        let tile = self.decode(ancestor)?;
        Some(TilePiece::new(
            tile,
            uv_within(key_of(id), key_of(ancestor)),
        ))
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
        256 >> self.options.deeper
    }
}

/// What the memory holds of a tile of an online source.
enum Slot {
    Tile(Tile),
    /// The server has none there: the vector basemap shows.
    Nothing,
    /// Given up at this time; asked for again after [`RETRY_FAILED`].
    Failed(Instant),
}

/// A tile given up is asked for again after this, when the map still shows it: a server back
/// from an outage fills the holes without a restart.
const RETRY_FAILED: Duration = Duration::from_secs(60);

/// An online source's tiles: requested from the fetcher as walkers asks for them, decoded on
/// its workers, kept up to a bound. Until a tile arrives, the nearest coarser one held stands in.
pub struct RemoteLayer {
    fetcher: Fetcher<Tile>,
    decoded: LruCache<TileKey, Slot>,
    pending: HashSet<TileKey>,
    attribution: &'static str,
    options: LayerOptions,
}

impl RemoteLayer {
    pub fn new(
        source: TileSource,
        ctx: &Context,
        options: LayerOptions,
    ) -> Result<RemoteLayer, String> {
        let decode_ctx = ctx.clone();
        let tile_size = source.tile_size;
        let prepare = Arc::new(move |bytes: &[u8], key: TileKey| {
            let max_texture_side = decode_ctx.input(|i| i.max_texture_side);
            check_tile_image(bytes, max_texture_side)?;
            Tile::new(bytes, &walkers::Style, key.zoom, tile_size, &decode_ctx)
                .map_err(|e| format!("undecodable ({e})"))
        });
        let repaint = ctx.clone();
        let fetch_options = FetchOptions {
            user_agent: USER_AGENT.to_owned(),
            cache: disk_cache(),
            ..FetchOptions::default()
        };
        let attribution = super::attribution::kept(source.attribution.clone());
        let fetcher = Fetcher::new(
            source,
            fetch_options,
            prepare,
            Box::new(move || repaint.request_repaint()),
        )?;
        Ok(RemoteLayer {
            fetcher,
            decoded: bounded(options.memory_tiles),
            pending: HashSet::new(),
            attribution,
            options,
        })
    }

    pub fn source(&self) -> &TileSource {
        self.fetcher.source()
    }

    pub fn status(&self) -> crate::tiles::FetchStatus {
        self.fetcher.status()
    }

    fn absorb(&mut self) {
        for (key, outcome) in self.fetcher.take_done() {
            self.pending.remove(&key);
            let slot = match outcome {
                Outcome::Tile(tile) => Slot::Tile(tile),
                Outcome::Missing => Slot::Nothing,
                Outcome::Failed => Slot::Failed(Instant::now()),
                Outcome::Dropped => continue,
            };
            self.decoded.put(key, slot);
        }
    }

    /// The tile, or the part of the nearest coarser tile held, asking for the tile if need be.
    fn piece(&mut self, key: TileKey) -> Option<TilePiece> {
        let wanted = match self.decoded.get(&key) {
            Some(Slot::Tile(tile)) => {
                return Some(TilePiece::new(tile.clone(), uv_within(key, key)));
            }
            Some(Slot::Nothing) => return None,
            Some(Slot::Failed(at)) => at.elapsed() > RETRY_FAILED,
            None => true,
        };
        if wanted && self.pending.insert(key) {
            self.decoded.pop(&key);
            self.fetcher.request(key);
        }
        (self.source().min_zoom..key.zoom).rev().find_map(|zoom| {
            let ancestor = key.ancestor(zoom);
            match self.decoded.peek(&ancestor) {
                Some(Slot::Tile(tile)) => {
                    Some(TilePiece::new(tile.clone(), uv_within(key, ancestor)))
                }
                _ => None,
            }
        })
    }
}

impl Tiles for RemoteLayer {
    fn at(&mut self, id: TileId) -> Option<TilePiece> {
        self.absorb();
        let key = key_of(id);
        let source = self.source();
        if !key.valid() || key.zoom < source.min_zoom {
            return None;
        }
        // Past the source's deepest zoom, the part of its deepest tile that covers this one.
        let deepest = key.ancestor(key.zoom.min(source.max_zoom));
        let piece = self.piece(deepest)?;
        if deepest == key {
            return Some(piece);
        }
        let inner = uv_within(key, deepest);
        let outer = piece.uv;
        let uv = Rect::from_min_max(
            outer.min + inner.min.to_vec2() * outer.size(),
            outer.min + inner.max.to_vec2() * outer.size(),
        );
        Some(TilePiece::new(piece.tile, uv))
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
        (self.source().tile_size >> self.options.deeper).max(1)
    }

    fn stats(&self) -> walkers::Stats {
        walkers::Stats {
            in_progress: self.fetcher.in_progress(),
        }
    }
}

/// A tile source that counts the tiles walkers was given in a frame, so a provider is credited
/// only while its tiles are on the map: an export of an online basemap with no network draws none.
pub struct CountedTiles<'a> {
    inner: &'a mut dyn Tiles,
    drawn: &'a Cell<usize>,
}

impl<'a> CountedTiles<'a> {
    pub fn new(inner: &'a mut dyn Tiles, drawn: &'a Cell<usize>) -> CountedTiles<'a> {
        CountedTiles { inner, drawn }
    }
}

impl Tiles for CountedTiles<'_> {
    fn at(&mut self, id: TileId) -> Option<TilePiece> {
        let piece = self.inner.at(id);
        if piece.is_some() {
            self.drawn.set(self.drawn.get() + 1);
        }
        piece
    }

    fn attribution(&self) -> Attribution {
        self.inner.attribution()
    }

    fn tile_size(&self) -> u32 {
        self.inner.tile_size()
    }

    fn stats(&self) -> walkers::Stats {
        self.inner.stats()
    }
}

/// The active tile source.
pub enum TileLayer {
    Online(RemoteLayer),
    MbTiles(MbTilesLayer),
    PmTiles {
        tiles: walkers::PmTiles,
        path: PathBuf,
    },
    /// A vector MBTiles or PMTiles file, drawn by the map with the built-in style.
    Vector(VectorLayer),
}

impl TileLayer {
    /// Builds the layer for a choice. `offline` refuses online sources outright, so no request is
    /// ever made; an unreadable file or a bad template is an error to show, not a panic.
    pub fn open(
        choice: &BasemapChoice,
        offline: bool,
        ctx: &Context,
        options: LayerOptions,
    ) -> Result<Option<TileLayer>, String> {
        if let BasemapChoice::File(path) = choice {
            return open_file(path, ctx, options).map(Some);
        }
        match choice.online_source() {
            Some(_) if offline => Ok(None),
            Some(source) => {
                RemoteLayer::new(source, ctx, options).map(|layer| Some(TileLayer::Online(layer)))
            }
            None => Ok(None),
        }
    }

    pub fn tiles(&mut self) -> &mut dyn Tiles {
        match self {
            TileLayer::Online(tiles) => tiles,
            TileLayer::MbTiles(tiles) => tiles,
            TileLayer::PmTiles { tiles, .. } => tiles,
            TileLayer::Vector(layer) => layer,
        }
    }

    /// The vector layer, when the basemap is a vector file.
    pub fn vector(&mut self) -> Option<&mut VectorLayer> {
        match self {
            TileLayer::Vector(layer) => Some(layer),
            _ => None,
        }
    }

    pub fn label(&self) -> String {
        match self {
            TileLayer::Online(layer) => layer.source().name.clone(),
            TileLayer::MbTiles(layer) => format!("MBTiles: {}", file_name(&layer.file.path)),
            TileLayer::PmTiles { path, .. } => format!("PMTiles: {}", file_name(path)),
            TileLayer::Vector(layer) => {
                let kind = match layer.source() {
                    VectorSource::MbTiles(_) => "MBTiles",
                    VectorSource::PmTiles(_) => "PMTiles",
                };
                format!("{kind} (vector): {}", file_name(layer.source().path()))
            }
        }
    }

    /// The host and port an online layer downloads from; `None` for files.
    pub fn host(&self) -> Option<(String, u16)> {
        match self {
            TileLayer::Online(layer) => layer.source().host_and_port(),
            _ => None,
        }
    }

    /// The provider's credit, always shown on the map.
    pub fn attribution(&mut self) -> &'static str {
        self.tiles().attribution().text
    }

    /// Decoded tiles held in memory (PMTiles: walkers' own cache, not counted here).
    pub fn decoded_tiles(&self) -> usize {
        match self {
            TileLayer::Online(layer) => layer.decoded.len(),
            TileLayer::MbTiles(layer) => layer.decoded_count(),
            TileLayer::PmTiles { .. } => 0,
            TileLayer::Vector(layer) => layer.held().0,
        }
    }

    /// Tiles being downloaded, or waiting to be, right now.
    pub fn in_progress(&mut self) -> usize {
        self.tiles().stats().in_progress
    }

    /// What went wrong with the tiles, in a line: "2 tiles not drawn: tile 0/0/0: 20000×20000 px,
    /// …" for a file; "tiles: 12 failed — HTTP 429 from tile.example.org, retrying in 30 s"
    /// online. `None` while nothing did.
    pub fn problem(&self) -> Option<String> {
        match self {
            TileLayer::MbTiles(layer) if layer.refused > 0 => Some(format!(
                "{} {} not drawn: {}",
                layer.refused,
                if layer.refused == 1 { "tile" } else { "tiles" },
                layer.first_refusal.as_deref().unwrap_or_default()
            )),
            TileLayer::Online(layer) => online_problem(&layer.status()),
            TileLayer::Vector(layer) => layer.problem(),
            _ => None,
        }
    }

    /// While the server asked to be left alone, how long it still is (for a countdown).
    pub fn paused_for(&self) -> Option<Duration> {
        match self {
            TileLayer::Online(layer) => layer
                .status()
                .paused_until
                .map(|t| t.saturating_duration_since(Instant::now())),
            _ => None,
        }
    }
}

/// The status line of an online source: what failed, why last, and when it tries again.
pub fn online_problem(status: &crate::tiles::FetchStatus) -> Option<String> {
    let reason = status.last_error.as_deref()?;
    let waiting = status
        .paused_until
        .map(|t| t.saturating_duration_since(Instant::now()))
        .filter(|d| !d.is_zero());
    let mut line = match status.failed {
        0 => format!("tiles: {reason}"),
        n => format!(
            "tiles: {} failed — {reason}",
            crate::scene::text::thousands(n as u64)
        ),
    };
    match waiting {
        Some(d) => line.push_str(&format!(", retrying in {} s", d.as_secs().max(1))),
        None if status.failed == 0 => line.push_str(", retrying"),
        None => {}
    }
    Some(line)
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// Opens a tile file by what it holds: SQLite (MBTiles) or a PMTiles archive, raster or vector.
pub fn open_file(path: &Path, ctx: &Context, options: LayerOptions) -> Result<TileLayer, String> {
    let mut magic = [0u8; 16];
    let read = std::fs::File::open(path)
        .and_then(|mut f| std::io::Read::read(&mut f, &mut magic))
        .map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
    if magic[..read].starts_with(b"SQLite format 3\0") {
        let file = MbTiles::open(path).map_err(|e| e.to_string())?;
        if file.format == crate::tiles::TileFormat::Vector {
            return Ok(TileLayer::Vector(VectorLayer::new(
                VectorSource::MbTiles(file),
                options.deeper,
                options.memory_tiles,
            )));
        }
        Ok(TileLayer::MbTiles(MbTilesLayer::new(
            file,
            ctx.clone(),
            options,
        )))
    } else if magic[..read].starts_with(b"PMTiles") {
        if crate::tiles::pmtiles::kind(path)? == crate::tiles::pmtiles::PmTilesKind::Vector {
            let file = crate::tiles::PmTilesFile::open(path)?;
            return Ok(TileLayer::Vector(VectorLayer::new(
                VectorSource::PmTiles(file),
                options.deeper,
                options.memory_tiles,
            )));
        }
        Ok(TileLayer::PmTiles {
            tiles: walkers::PmTiles::new(path, ctx.clone()),
            path: path.to_owned(),
        })
    } else {
        Err(format!(
            "{}: neither an MBTiles (SQLite) nor a PMTiles file",
            path.display()
        ))
    }
}

/// Whether the tile servers can be reached, found once by a background connection attempt.
#[derive(Clone)]
pub struct NetworkProbe {
    state: Arc<Mutex<NetworkState>>,
}

#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum NetworkState {
    Unknown,
    Checking,
    Reachable,
    Unreachable,
}

impl NetworkProbe {
    pub fn idle() -> NetworkProbe {
        NetworkProbe {
            state: Arc::new(Mutex::new(NetworkState::Unknown)),
        }
    }

    /// Starts one probe of the tile server's host; only called when online tiles are wanted.
    pub fn start((host, port): (String, u16), ctx: Context) -> NetworkProbe {
        let probe = NetworkProbe {
            state: Arc::new(Mutex::new(NetworkState::Checking)),
        };
        let state = probe.state.clone();
        std::thread::spawn(move || {
            use std::net::{TcpStream, ToSocketAddrs};
            let timeout = std::time::Duration::from_secs(4);
            let reachable = (host.as_str(), port)
                .to_socket_addrs()
                .ok()
                .and_then(|mut addrs| addrs.next())
                .is_some_and(|addr| TcpStream::connect_timeout(&addr, timeout).is_ok());
            if let Ok(mut s) = state.lock() {
                *s = if reachable {
                    NetworkState::Reachable
                } else {
                    NetworkState::Unreachable
                };
            }
            ctx.request_repaint();
        });
        probe
    }

    pub fn state(&self) -> NetworkState {
        self.state
            .lock()
            .map(|s| *s)
            .unwrap_or(NetworkState::Unknown)
    }
}
