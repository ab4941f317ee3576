//! The SHA-256 of a file being loaded, off the load's critical path: a thread of its own reads the
//! file through its own handle, opened with the load's (so it hashes the file the load read, even
//! if the path is renamed or replaced meanwhile), once the load is over, so the parse has the
//! cores to itself; the dataset's [`FileDigest`] waits for it only when an export or a convert
//! asks for it. A load that only counts (`claimmap check --json`) never waits for it at all.
//! (Hashing beside the parse at the lowest priority starved on a busy machine: the digest came
//! long after the load; a thread once niced cannot be given its priority back.)

use std::fs::File;

use sha2::{Digest, Sha256};

use crate::model::{DigestPromise, FileDigest};

/// Bytes read and hashed at a time.
const READ_BYTES: usize = 1 << 20;

/// A file's hash to be computed once its load is over: dropped, it starts hashing on its own
/// thread (and the thread stops at once if the load failed and nobody holds the digest).
pub(crate) struct HashAfterLoad {
    file: Option<std::io::Result<File>>,
    promise: Option<DigestPromise>,
}

/// The SHA-256 of `file` (opened at `path`), to be computed when the returned guard is dropped.
pub(crate) fn after_load(file: &File, path: &std::path::Path) -> (FileDigest, HashAfterLoad) {
    let (digest, promise) = FileDigest::pending();
    let guard = HashAfterLoad {
        file: Some(own_handle(file, path)),
        promise: Some(promise),
    };
    (digest, guard)
}

impl Drop for HashAfterLoad {
    fn drop(&mut self) {
        let (Some(Ok(file)), Some(promise)) = (self.file.take(), self.promise.take()) else {
            // Not readable again: the promise, dropped, leaves the digest empty.
            return;
        };
        if !promise.is_wanted() {
            return;
        }
        let shared = std::sync::Arc::new(std::sync::Mutex::new(Some((file, promise))));
        let for_thread = shared.clone();
        let spawned = std::thread::Builder::new()
            .name("claimmap-sha256".into())
            .spawn(move || {
                if let Some((file, promise)) = for_thread.lock().ok().and_then(|mut w| w.take()) {
                    hash(&file, promise);
                }
            });
        if spawned.is_err() {
            // No thread to be had: hash here, as a load did before.
            if let Some((file, promise)) = shared.lock().ok().and_then(|mut w| w.take()) {
                hash(&file, promise);
            }
        }
    }
}

/// A handle on the same open file whose reads do not move the load's position.
fn own_handle(file: &File, path: &std::path::Path) -> std::io::Result<File> {
    if cfg!(unix) {
        // Reads at offsets (pread) share the open file, not its position.
        file.try_clone()
    } else {
        File::open(path)
    }
}

/// Reads `file` from its start and keeps its hash in `promise`; stops when nobody wants it.
fn hash(file: &File, promise: DigestPromise) {
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; READ_BYTES];
    let mut at = 0u64;
    loop {
        if !promise.is_wanted() {
            return;
        }
        let n = match read_at(file, &mut buffer, at) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            // The promise, dropped, leaves the digest empty.
            Err(_) => return,
        };
        hasher.update(&buffer[..n]);
        at += n as u64;
    }
    promise.keep(super::hex(&hasher.finalize()));
}

#[cfg(unix)]
fn read_at(file: &File, buffer: &mut [u8], at: u64) -> std::io::Result<usize> {
    std::os::unix::fs::FileExt::read_at(file, buffer, at)
}

#[cfg(windows)]
fn read_at(file: &File, buffer: &mut [u8], at: u64) -> std::io::Result<usize> {
    std::os::windows::fs::FileExt::seek_read(file, buffer, at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_digest_is_the_sha256_of_the_file_and_the_load_position_is_untouched() {
        use std::io::Read;
        let dir = tempfile::tempdir().expect("temporary directory");
        let path = dir.path().join("data.csv");
        // Several read buffers' worth, not a multiple of one.
        let bytes: Vec<u8> = (0..READ_BYTES * 3 + 12_345)
            .map(|i| (i % 251) as u8)
            .collect();
        std::fs::write(&path, &bytes).expect("write");
        let mut file = File::open(&path).expect("open");
        let (digest, after) = after_load(&file, &path);
        let mut first = [0u8; 4];
        file.read_exact(&mut first).expect("read");
        assert_eq!(first, [0, 1, 2, 3], "the load reads from where it was");
        assert!(!digest.is_ready(), "not before the load is over");
        drop(after);
        assert_eq!(digest.hex(), crate::formats::sha256_hex(&bytes));
    }
}
