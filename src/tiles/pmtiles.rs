//! PMTiles v3 archives of vector tiles, read with the `pmtiles` crate over plain positioned file
//! reads (not its memory map: a file truncated while mapped kills the process with SIGBUS).
//! Raster archives go to walkers' own `PmTiles`. Reads are bounded, so a header that claims a
//! directory or a tile of terabytes is an error, not an allocation; the archive's internal
//! metadata is inflated through the same bounded inflater as the tiles.

use std::fs::File;
use std::path::{Path, PathBuf};

use bytes::Bytes;
use pmtiles::{
    AsyncBackend, AsyncPmTilesReader, BackendResponse, Compression, PmtResult, TileType,
};

use super::vector::inflate;

/// The most one read may return: a tile or a leaf directory larger than this is no tile set a
/// desktop map draws (Protomaps' planet keeps both under a megabyte).
const MAX_READ_BYTES: usize = 16 << 20;
/// The header's length in a v3 archive.
const HEADER_BYTES: usize = 127;
/// The header and root directory must fit in the first 16 KiB (the v3 specification).
const ROOT_SPAN: u64 = 16_384;

/// What a PMTiles archive holds, read from its header alone.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum PmTilesKind {
    Vector,
    Raster,
}

/// Reads the header's tile type: whether the archive is one for walkers (raster) or for the
/// vector style.
pub fn kind(path: &Path) -> Result<PmTilesKind, String> {
    let header = read_header(path)?;
    match header[99] {
        1 => Ok(PmTilesKind::Vector),
        2..=5 => Ok(PmTilesKind::Raster),
        other => Err(format!(
            "{}: PMTiles tile type {other} is unknown (1 is vector, 2–5 are images)",
            path.display()
        )),
    }
}

fn read_header(path: &Path) -> Result<[u8; HEADER_BYTES], String> {
    let file = File::open(path).map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
    let mut header = [0u8; HEADER_BYTES];
    let read = read_at(&file, 0, &mut header)
        .map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
    if read < HEADER_BYTES || !header.starts_with(b"PMTiles") {
        return Err(format!("{}: not a PMTiles archive", path.display()));
    }
    if header[7] != 3 {
        return Err(format!(
            "{}: PMTiles version {} (claimmap reads version 3; convert it with `pmtiles convert`)",
            path.display(),
            header[7]
        ));
    }
    Ok(header)
}

fn u64_at(header: &[u8; HEADER_BYTES], at: usize) -> u64 {
    u64::from_le_bytes(header[at..at + 8].try_into().unwrap_or_default())
}

/// Fills `buf` from `offset` as far as the file goes; returns how much was read.
fn read_at(file: &File, offset: u64, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut done = 0;
    while done < buf.len() {
        let n = positioned_read(file, &mut buf[done..], offset + done as u64)?;
        if n == 0 {
            break;
        }
        done += n;
    }
    Ok(done)
}

#[cfg(unix)]
fn positioned_read(file: &File, buf: &mut [u8], offset: u64) -> std::io::Result<usize> {
    std::os::unix::fs::FileExt::read_at(file, buf, offset)
}

#[cfg(windows)]
fn positioned_read(file: &File, buf: &mut [u8], offset: u64) -> std::io::Result<usize> {
    std::os::windows::fs::FileExt::seek_read(file, buf, offset)
}

/// The archive's bytes by position, at most [`MAX_READ_BYTES`] a read and never past its end.
struct FileBackend {
    file: File,
    len: u64,
}

impl FileBackend {
    fn read_now(&self, offset: usize, length: usize) -> PmtResult<BackendResponse> {
        let offset = offset as u64;
        let available = self.len.saturating_sub(offset);
        let length = (length as u64).min(available).min(MAX_READ_BYTES as u64) as usize;
        let mut buf = vec![0u8; length];
        let read = read_at(&self.file, offset, &mut buf)?;
        buf.truncate(read);
        Ok(BackendResponse::new(Bytes::from(buf)))
    }
}

impl AsyncBackend for FileBackend {
    fn read(
        &self,
        offset: usize,
        length: usize,
    ) -> impl Future<Output = PmtResult<BackendResponse>> + Send {
        std::future::ready(self.read_now(offset, length))
    }
}

/// An open vector PMTiles archive, read-only.
pub struct PmTilesFile {
    reader: AsyncPmTilesReader<FileBackend>,
    pub path: PathBuf,
    pub min_zoom: u8,
    pub max_zoom: u8,
    /// The archive's `attribution` and `name` from its JSON metadata, when it has them.
    pub attribution: Option<String>,
    pub name: Option<String>,
}

impl PmTilesFile {
    pub fn open(path: &Path) -> Result<PmTilesFile, String> {
        let shown = path.display();
        let header = read_header(path)?;
        let file = File::open(path).map_err(|e| format!("{shown}: cannot read: {e}"))?;
        let len = file
            .metadata()
            .map_err(|e| format!("{shown}: cannot read: {e}"))?
            .len();
        // The crate slices the root directory out of the first read by these numbers without
        // checking them: a header that points elsewhere is refused here.
        let (root_offset, root_length) = (u64_at(&header, 8), u64_at(&header, 16));
        let root_end = root_offset.checked_add(root_length);
        if root_offset < HEADER_BYTES as u64 || root_end.is_none_or(|e| e > ROOT_SPAN.min(len)) {
            return Err(format!(
                "{shown}: PMTiles header is corrupt (root directory at {root_offset}+{root_length} of a {len}-byte file)"
            ));
        }
        let metadata = file
            .try_clone()
            .ok()
            .and_then(|file| read_metadata(&FileBackend { file, len }, &header));
        let backend = FileBackend { file, len };
        let reader =
            guarded(|| futures::executor::block_on(AsyncPmTilesReader::try_from_source(backend)))
                .and_then(|r| r.map_err(|e| e.to_string()))
                .map_err(|e| format!("{shown}: not a readable PMTiles archive: {e}"))?;
        let h = reader.get_header();
        if h.tile_type != TileType::Mvt {
            return Err(format!(
                "{shown}: holds {:?} tiles, not vector tiles",
                h.tile_type
            ));
        }
        if !matches!(
            h.tile_compression,
            Compression::None | Compression::Gzip | Compression::Unknown
        ) {
            return Err(format!(
                "{shown}: tiles are compressed with {:?}; claimmap reads gzip or uncompressed vector tiles (`pmtiles convert` can recompress them)",
                h.tile_compression
            ));
        }
        let (min_zoom, max_zoom) = (h.min_zoom.min(h.max_zoom), h.max_zoom.max(h.min_zoom));
        let text = |key: &str| {
            metadata
                .as_ref()
                .and_then(|m| m.get(key))
                .and_then(|v| v.as_str())
                .map(str::to_owned)
                .filter(|s| !s.trim().is_empty())
        };
        Ok(PmTilesFile {
            attribution: text("attribution"),
            name: text("name"),
            reader,
            path: path.to_owned(),
            min_zoom,
            max_zoom,
        })
    }

    /// The tile at XYZ coordinates as stored (gzip or plain), if the archive has it.
    pub fn tile(&self, zoom: u8, x: u32, y: u32) -> Result<Option<Vec<u8>>, String> {
        if zoom > 31 || u64::from(x) >= 1u64 << zoom || u64::from(y) >= 1u64 << zoom {
            return Ok(None);
        }
        let Ok(coord) = pmtiles::TileCoord::new(zoom, x, y) else {
            return Ok(None);
        };
        guarded(|| futures::executor::block_on(self.reader.get_tile(coord)))
            .and_then(|r| r.map_err(|e| e.to_string()))
            .map(|tile| tile.map(|b| b.to_vec()))
    }
}

/// The JSON metadata, inflated through the bounded inflater; `None` when absent or unreadable.
fn read_metadata(
    backend: &FileBackend,
    header: &[u8; HEADER_BYTES],
) -> Option<serde_json::Map<String, serde_json::Value>> {
    let (offset, length) = (u64_at(header, 24), u64_at(header, 32));
    if length == 0 || length > MAX_READ_BYTES as u64 {
        return None;
    }
    let raw = backend
        .read_now(usize::try_from(offset).ok()?, length as usize)
        .ok()?
        .bytes;
    let json = inflate(&raw).ok()?;
    serde_json::from_slice(&json).ok()
}

/// Runs a call into the pmtiles crate, turning a panic on a malformed archive (it does
/// unchecked offset arithmetic) into an error: a corrupt file must not take the window down.
fn guarded<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f))
        .map_err(|_| "the archive's directory is corrupt".to_owned())
}
