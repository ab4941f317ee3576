//! Downloaded tiles on disk, one file per tile under a folder per source, with a size limit: past
//! it the tiles downloaded longest ago are deleted first. A tile is fresh for a week (the OSM tile
//! policy's minimum when a server sends no expiry), and a stale one is still shown when the
//! server cannot be reached.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use super::source::TileKey;

/// How long a downloaded tile is used before it is asked for again.
pub const FRESH_FOR: Duration = Duration::from_secs(7 * 24 * 3600);

/// The default limit: a few days of browsing a region at every zoom, small beside any disk.
pub const DEFAULT_LIMIT_BYTES: u64 = 512 * 1024 * 1024;

/// A cached tile and whether it is still fresh.
pub struct Cached {
    pub bytes: Vec<u8>,
    pub fresh: bool,
}

/// The cache folder shared by every source; each source writes under its own sub-folder.
pub struct DiskCache {
    root: PathBuf,
    limit: u64,
    /// Built on the first write: every file's (modification time, size, path), oldest first.
    index: Mutex<Option<Index>>,
}

struct Index {
    files: std::collections::BTreeSet<(SystemTime, PathBuf, u64)>,
    total: u64,
}

impl DiskCache {
    pub fn new(root: PathBuf, limit: u64) -> DiskCache {
        DiskCache {
            root,
            limit,
            index: Mutex::new(None),
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    fn path(&self, source: &str, key: TileKey) -> PathBuf {
        self.root
            .join(source)
            .join(key.zoom.to_string())
            .join(key.x.to_string())
            .join(format!("{}.tile", key.y))
    }

    /// The tile if it was downloaded before.
    pub fn get(&self, source: &str, key: TileKey) -> Option<Cached> {
        let path = self.path(source, key);
        let bytes = std::fs::read(&path).ok()?;
        let age = std::fs::metadata(&path)
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| SystemTime::now().duration_since(t).ok())
            .unwrap_or(Duration::MAX);
        Some(Cached {
            bytes,
            fresh: age < FRESH_FOR,
        })
    }

    /// Forgets one tile (found undrawable after it was stored).
    pub fn remove(&self, source: &str, key: TileKey) {
        let _ = std::fs::remove_file(self.path(source, key));
    }

    /// Stores a tile (written to a temporary file and renamed, so a reader never sees half of
    /// one), then deletes the oldest tiles while the folder is over its limit.
    pub fn put(&self, source: &str, key: TileKey, bytes: &[u8]) -> std::io::Result<()> {
        let path = self.path(source, key);
        let dir = path.parent().expect("a tile path has a folder");
        std::fs::create_dir_all(dir)?;
        let mut temp = tempfile::NamedTempFile::new_in(dir)?;
        std::io::Write::write_all(&mut temp, bytes)?;
        temp.persist(&path).map_err(|e| e.error)?;
        let mut index = self.index.lock().unwrap_or_else(|e| e.into_inner());
        let index = index.get_or_insert_with(|| Index::scan(&self.root));
        index.files.retain(|(_, p, _)| p != &path);
        index
            .files
            .insert((SystemTime::now(), path, bytes.len() as u64));
        index.total = index.files.iter().map(|(_, _, size)| size).sum();
        // Past the limit, down to 90% of it, so a full cache does not delete a file at each write.
        if index.total > self.limit {
            let target = self.limit / 10 * 9;
            while index.total > target {
                let Some((_, oldest, size)) = index.files.pop_first() else {
                    break;
                };
                let _ = std::fs::remove_file(&oldest);
                index.total -= size;
            }
        }
        Ok(())
    }

    /// The bytes the cache holds now.
    pub fn size(&self) -> u64 {
        let mut index = self.index.lock().unwrap_or_else(|e| e.into_inner());
        index.get_or_insert_with(|| Index::scan(&self.root)).total
    }

    /// Deletes every cached tile.
    pub fn clear(&self) -> std::io::Result<()> {
        let mut index = self.index.lock().unwrap_or_else(|e| e.into_inner());
        *index = None;
        match std::fs::remove_dir_all(&self.root) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }
}

impl Index {
    fn scan(root: &Path) -> Index {
        let mut files = std::collections::BTreeSet::new();
        let mut stack = vec![root.to_path_buf()];
        while let Some(dir) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for entry in entries.flatten() {
                let Ok(meta) = entry.metadata() else { continue };
                if meta.is_dir() {
                    stack.push(entry.path());
                } else {
                    let modified = meta.modified().unwrap_or(SystemTime::UNIX_EPOCH);
                    files.insert((modified, entry.path(), meta.len()));
                }
            }
        }
        let total = files.iter().map(|(_, _, size)| size).sum();
        Index { files, total }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_oldest_tiles_go_first_past_the_limit() {
        let dir = tempfile::tempdir().expect("tempdir");
        let cache = DiskCache::new(dir.path().join("tiles"), 10_000);
        let key = |x| TileKey { zoom: 5, x, y: 1 };
        for x in 0..12 {
            cache.put("src", key(x), &[7u8; 1000]).expect("written");
            // Distinct modification times, so the oldest is well defined.
            std::thread::sleep(Duration::from_millis(5));
        }
        assert!(cache.size() <= 10_000, "{}", cache.size());
        assert!(cache.get("src", key(0)).is_none(), "the oldest was evicted");
        let newest = cache.get("src", key(11)).expect("the newest is kept");
        assert!(newest.fresh);
        assert_eq!(newest.bytes.len(), 1000);
        // A new cache over the same folder finds what is there.
        let again = DiskCache::new(dir.path().join("tiles"), 10_000);
        assert_eq!(again.size(), cache.size());
        again.clear().expect("cleared");
        assert_eq!(again.size(), 0);
        assert!(again.get("src", key(11)).is_none());
    }
}
