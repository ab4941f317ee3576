//! Raster tile sources under the map: online (OpenStreetMap, OpenTopoMap) with a disk cache, and
//! offline files (MBTiles through [`crate::tiles::MbTiles`], PMTiles through walkers).

use std::cell::Cell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use egui::{Context, Rect, pos2};
use walkers::sources::{Attribution, OpenStreetMap, OpenTopoMap, OpenTopoServer};
use walkers::{HttpOptions, HttpTiles, Tile, TileId, TilePiece, Tiles};

use crate::tiles::MbTiles;

use super::settings::BasemapChoice;

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

/// Raster tiles from an MBTiles file, decoded on demand and kept.
pub struct MbTilesLayer {
    file: MbTiles,
    decoded: HashMap<TileId, Option<Tile>>,
    attribution: &'static str,
    ctx: Context,
    /// Tiles the file holds that could not be drawn, and why the first one could not.
    refused: usize,
    first_refusal: Option<String>,
}

impl MbTilesLayer {
    pub fn new(file: MbTiles, ctx: Context) -> MbTilesLayer {
        // walkers wants a 'static attribution; one short string per opened file.
        let attribution: &'static str = Box::leak(file.attribution().into_boxed_str());
        MbTilesLayer {
            file,
            decoded: HashMap::new(),
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
        self.decoded.insert(id, tile.clone());
        tile
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
        let parts = (1u32 << levels) as f32;
        let (sub_x, sub_y) = (
            (id.x & ((1 << levels) - 1)) as f32,
            (id.y & ((1 << levels) - 1)) as f32,
        );
        let uv = Rect::from_min_max(
            pos2(sub_x / parts, sub_y / parts),
            pos2((sub_x + 1.0) / parts, (sub_y + 1.0) / parts),
        );
        Some(TilePiece::new(tile, uv))
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

/// The active raster source.
pub enum TileLayer {
    Http {
        tiles: HttpTiles,
        name: &'static str,
        host: &'static str,
    },
    MbTiles(MbTilesLayer),
    PmTiles {
        tiles: walkers::PmTiles,
        path: PathBuf,
    },
}

impl TileLayer {
    /// Builds the layer for a choice. `offline` refuses online sources outright, so no request is
    /// ever made; an unreadable file is an error to show, not a panic.
    pub fn open(
        choice: &BasemapChoice,
        offline: bool,
        ctx: &Context,
    ) -> Result<Option<TileLayer>, String> {
        let http = || HttpOptions {
            cache: cache_dir(),
            user_agent: walkers::HeaderValue::from_str(USER_AGENT).ok(),
            ..Default::default()
        };
        match choice {
            BasemapChoice::VectorOnly => Ok(None),
            BasemapChoice::OpenStreetMap | BasemapChoice::OpenTopoMap if offline => Ok(None),
            BasemapChoice::OpenStreetMap => Ok(Some(TileLayer::Http {
                tiles: HttpTiles::with_options(OpenStreetMap, http(), ctx.clone()),
                name: "OpenStreetMap",
                host: "tile.openstreetmap.org",
            })),
            BasemapChoice::OpenTopoMap => Ok(Some(TileLayer::Http {
                tiles: HttpTiles::with_options(OpenTopoMap(OpenTopoServer::A), http(), ctx.clone()),
                name: "OpenTopoMap",
                host: "a.tile.opentopomap.org",
            })),
            BasemapChoice::File(path) => open_file(path, ctx).map(Some),
        }
    }

    pub fn tiles(&mut self) -> &mut dyn Tiles {
        match self {
            TileLayer::Http { tiles, .. } => tiles,
            TileLayer::MbTiles(tiles) => tiles,
            TileLayer::PmTiles { tiles, .. } => tiles,
        }
    }

    pub fn label(&self) -> String {
        match self {
            TileLayer::Http { name, .. } => (*name).to_owned(),
            TileLayer::MbTiles(layer) => format!("MBTiles: {}", file_name(&layer.file.path)),
            TileLayer::PmTiles { path, .. } => format!("PMTiles: {}", file_name(path)),
        }
    }

    /// The host an online layer downloads from; `None` for files.
    pub fn host(&self) -> Option<&'static str> {
        match self {
            TileLayer::Http { host, .. } => Some(host),
            _ => None,
        }
    }

    /// The provider's credit, always shown on the map.
    pub fn attribution(&mut self) -> &'static str {
        self.tiles().attribution().text
    }

    /// Tiles being downloaded right now.
    pub fn in_progress(&mut self) -> usize {
        self.tiles().stats().in_progress
    }

    /// Why tiles of a file could not be drawn ("2 tiles not drawn: tile 0/0/0: 20000×20000 px,
    /// …"); `None` while every tile asked for was drawn.
    pub fn problem(&self) -> Option<String> {
        match self {
            TileLayer::MbTiles(layer) if layer.refused > 0 => Some(format!(
                "{} {} not drawn: {}",
                layer.refused,
                if layer.refused == 1 { "tile" } else { "tiles" },
                layer.first_refusal.as_deref().unwrap_or_default()
            )),
            _ => None,
        }
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// Opens a tile file by what it holds: SQLite (MBTiles) or a PMTiles archive.
pub fn open_file(path: &Path, ctx: &Context) -> Result<TileLayer, String> {
    let mut magic = [0u8; 16];
    let read = std::fs::File::open(path)
        .and_then(|mut f| std::io::Read::read(&mut f, &mut magic))
        .map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
    if magic[..read].starts_with(b"SQLite format 3\0") {
        let file = MbTiles::open(path).map_err(|e| e.to_string())?;
        Ok(TileLayer::MbTiles(MbTilesLayer::new(file, ctx.clone())))
    } else if magic[..read].starts_with(b"PMTiles") {
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
    pub fn start(host: &'static str, ctx: Context) -> NetworkProbe {
        let probe = NetworkProbe {
            state: Arc::new(Mutex::new(NetworkState::Checking)),
        };
        let state = probe.state.clone();
        std::thread::spawn(move || {
            use std::net::{TcpStream, ToSocketAddrs};
            let timeout = std::time::Duration::from_secs(4);
            let reachable = (host, 443)
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
