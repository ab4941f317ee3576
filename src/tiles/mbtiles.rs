//! MBTiles 1.3: an SQLite file with a `metadata` table and a `tiles` table in TMS row order.
//! Raster tiles (png, jpeg, webp) or Mapbox vector tiles (pbf); the tile format is taken from the
//! metadata or, when the metadata lacks `format`, sniffed from the bytes of a tile.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, OptionalExtension};

/// What the tiles of a file are.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum TileFormat {
    Png,
    Jpeg,
    Webp,
    /// Mapbox vector tiles (protobuf, usually gzipped): drawn with claimmap's own style.
    Vector,
}

impl TileFormat {
    fn from_metadata(text: &str) -> Option<TileFormat> {
        match text.trim().to_ascii_lowercase().as_str() {
            "png" => Some(TileFormat::Png),
            "jpg" | "jpeg" => Some(TileFormat::Jpeg),
            "webp" => Some(TileFormat::Webp),
            "pbf" | "mvt" => Some(TileFormat::Vector),
            _ => None,
        }
    }

    /// Recognises a tile by its first bytes.
    pub fn sniff(bytes: &[u8]) -> Option<TileFormat> {
        if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(TileFormat::Png)
        } else if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
            Some(TileFormat::Jpeg)
        } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
            Some(TileFormat::Webp)
        } else if bytes.starts_with(&[0x1f, 0x8b]) || bytes.starts_with(&[0x1a]) {
            // gzip, or an uncompressed protobuf whose first field is a layer (field 3, type 2).
            Some(TileFormat::Vector)
        } else {
            None
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            TileFormat::Png => "png",
            TileFormat::Jpeg => "jpeg",
            TileFormat::Webp => "webp",
            TileFormat::Vector => "vector (pbf)",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum MbTilesError {
    #[error("{path}: cannot open as an SQLite database: {source}")]
    Open {
        path: String,
        source: rusqlite::Error,
    },
    #[error("{path}: not an MBTiles file: {reason}")]
    NotMbTiles { path: String, reason: String },
    #[error("{path}: holds no tiles")]
    Empty { path: String },
    #[error(
        "{path}: tile format unknown (metadata has no usable \"format\" and the tile bytes are not png, jpeg, webp or a vector tile)"
    )]
    UnknownFormat { path: String },
    #[error("{path}: reading a tile failed: {source}")]
    Read {
        path: String,
        source: rusqlite::Error,
    },
}

/// An open MBTiles file, read-only.
pub struct MbTiles {
    connection: Connection,
    pub path: PathBuf,
    pub format: TileFormat,
    /// Whether `format` came from the tile bytes because the metadata lacked it.
    pub format_sniffed: bool,
    pub metadata: BTreeMap<String, String>,
    pub min_zoom: u8,
    pub max_zoom: u8,
}

/// An SQLite URI that opens `path` as an immutable file: no lock, no journal, nothing written
/// or created beside it. `?`, `#` and `%` in the path are escaped as the URI syntax requires.
fn immutable_uri(path: &Path) -> String {
    let mut uri = String::from("file:");
    for c in path.to_string_lossy().chars() {
        match c {
            '?' => uri.push_str("%3f"),
            '#' => uri.push_str("%23"),
            '%' => uri.push_str("%25"),
            c => uri.push(c),
        }
    }
    uri.push_str("?immutable=1");
    uri
}

impl MbTiles {
    /// Opens a file for reading; it is never written.
    pub fn open(path: &Path) -> Result<MbTiles, MbTilesError> {
        let shown = path.display().to_string();
        // Read-only is not enough: SQLite still creates `-wal`/`-shm` files beside a WAL-mode
        // database, and refuses it in a read-only folder. Immutable makes it read the file alone.
        let connection = Connection::open_with_flags(
            immutable_uri(path),
            OpenFlags::SQLITE_OPEN_READ_ONLY
                | OpenFlags::SQLITE_OPEN_NO_MUTEX
                | OpenFlags::SQLITE_OPEN_URI,
        )
        .map_err(|source| MbTilesError::Open {
            path: shown.clone(),
            source,
        })?;
        let not_mbtiles = |reason: String| MbTilesError::NotMbTiles {
            path: shown.clone(),
            reason,
        };
        let metadata: BTreeMap<String, String> = {
            let mut statement = connection
                .prepare("SELECT name, value FROM metadata")
                .map_err(|e| not_mbtiles(format!("no metadata table ({e})")))?;
            let rows = statement
                .query_map([], |row| {
                    Ok((
                        row.get::<_, String>(0)?,
                        row.get::<_, String>(1).unwrap_or_default(),
                    ))
                })
                .map_err(|e| not_mbtiles(e.to_string()))?;
            rows.filter_map(Result::ok).collect()
        };
        let first_tile: Option<Vec<u8>> = connection
            .query_row("SELECT tile_data FROM tiles LIMIT 1", [], |row| row.get(0))
            .optional()
            .map_err(|e| not_mbtiles(format!("no tiles table ({e})")))?;
        let Some(first_tile) = first_tile else {
            return Err(MbTilesError::Empty { path: shown });
        };
        let (format, format_sniffed) = match metadata
            .get("format")
            .and_then(|f| TileFormat::from_metadata(f))
        {
            Some(format) => (format, false),
            None => match TileFormat::sniff(&first_tile) {
                Some(format) => (format, true),
                None => return Err(MbTilesError::UnknownFormat { path: shown }),
            },
        };
        let (min_zoom, max_zoom): (u8, u8) = connection
            .query_row(
                "SELECT MIN(zoom_level), MAX(zoom_level) FROM tiles",
                [],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .map_err(|source| MbTilesError::Read {
                path: shown.clone(),
                source,
            })?;
        Ok(MbTiles {
            connection,
            path: path.to_owned(),
            format,
            format_sniffed,
            metadata,
            min_zoom,
            max_zoom,
        })
    }

    /// The tile at XYZ coordinates (y counted from the north), if the file has it.
    pub fn tile(&self, zoom: u8, x: u32, y: u32) -> Result<Option<Vec<u8>>, MbTilesError> {
        if zoom > 30 {
            return Ok(None);
        }
        let rows = 1u64 << zoom;
        if u64::from(y) >= rows || u64::from(x) >= rows {
            return Ok(None);
        }
        // MBTiles rows count from the south (TMS).
        let tms_y = rows - 1 - u64::from(y);
        self.connection
            .query_row(
                "SELECT tile_data FROM tiles WHERE zoom_level = ?1 AND tile_column = ?2 AND tile_row = ?3",
                rusqlite::params![zoom, x, tms_y as i64],
                |row| row.get(0),
            )
            .optional()
            .map_err(|source| MbTilesError::Read { path: self.path.display().to_string(), source })
    }

    /// The file's own attribution and name, for the map's credits, cut to a line's length: a
    /// file's metadata is the author's text, and a megabyte of it would push the figure's
    /// provenance off the image.
    pub fn attribution(&self) -> String {
        let name = self
            .metadata
            .get("name")
            .map(|n| clipped(&strip_tags(n), MAX_NAME_CHARS))
            .unwrap_or_else(|| "MBTiles".to_owned());
        match self
            .metadata
            .get("attribution")
            .filter(|a| !a.trim().is_empty())
        {
            Some(attribution) => format!(
                "{name}: {}",
                clipped(&strip_tags(attribution), MAX_ATTRIBUTION_CHARS)
            ),
            None => format!(
                "{name} ({})",
                self.path
                    .file_name()
                    .map(|f| f.to_string_lossy())
                    .unwrap_or_default()
            ),
        }
    }
}

/// A tile set's name as credited: longer names are cut.
const MAX_NAME_CHARS: usize = 60;
/// Room for a few providers' credits on one line of a figure's footer.
const MAX_ATTRIBUTION_CHARS: usize = 200;

/// `text` on one line, control characters and runs of white space made one space, cut to
/// `max_chars` characters with an ellipsis.
fn clipped(text: &str, max_chars: usize) -> String {
    let mut out = String::new();
    let mut chars = 0;
    for word in text.split(|c: char| c.is_whitespace() || c.is_control()) {
        if word.is_empty() {
            continue;
        }
        let words = word.chars().count() + usize::from(chars > 0);
        if chars + words > max_chars {
            let room = max_chars.saturating_sub(chars + 1 + usize::from(chars > 0));
            if room > 0 {
                if chars > 0 {
                    out.push(' ');
                }
                out.extend(word.chars().take(room));
            }
            out.push('…');
            return out;
        }
        if chars > 0 {
            out.push(' ');
        }
        out.push_str(word);
        chars += words;
    }
    out
}

/// Attribution strings often carry HTML links; the map shows plain text.
fn strip_tags(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&copy;", "©").trim().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credits_are_one_line_of_bounded_length() {
        assert_eq!(
            clipped("  OpenMapTiles\n\t© OSM\u{1b}[2J ", 80),
            "OpenMapTiles © OSM [2J"
        );
        let huge = "word ".repeat(200_000);
        let cut = clipped(&huge, MAX_ATTRIBUTION_CHARS);
        assert_eq!(cut.chars().count(), MAX_ATTRIBUTION_CHARS);
        assert!(cut.ends_with('…'));
        let one_long_word = "x".repeat(1000);
        assert_eq!(clipped(&one_long_word, 10), format!("{}…", "x".repeat(9)));
        assert_eq!(clipped("short", 10), "short");
    }

    #[test]
    fn sniffs_tile_bytes() {
        assert_eq!(
            TileFormat::sniff(b"\x89PNG\r\n\x1a\nrest"),
            Some(TileFormat::Png)
        );
        assert_eq!(
            TileFormat::sniff(&[0xff, 0xd8, 0xff, 0xe0]),
            Some(TileFormat::Jpeg)
        );
        assert_eq!(
            TileFormat::sniff(b"RIFF\0\0\0\0WEBPVP8 "),
            Some(TileFormat::Webp)
        );
        assert_eq!(
            TileFormat::sniff(&[0x1f, 0x8b, 8, 0]),
            Some(TileFormat::Vector)
        );
        assert_eq!(TileFormat::sniff(b"hello"), None);
    }

    #[test]
    fn strips_html_from_attribution() {
        assert_eq!(
            strip_tags("<a href=\"x\">&copy; OpenStreetMap</a> contributors"),
            "© OpenStreetMap contributors"
        );
    }
}
