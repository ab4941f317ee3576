//! The SHA-256 of a file being loaded, off the load's critical path: a thread of its own reads the
//! file through its own handle (opened with the load's, so it hashes the file the load reads, even
//! if the path is renamed or replaced meanwhile) at the lowest scheduling priority, so the parse
//! keeps the cores; it finishes when they are free (at once in the window, which waits for the
//! user) or when an export or a convert asks for the digest and waits for it. A load that only
//! counts (`claimmap check --json`) never waits for it at all.

use std::fs::File;

use sha2::{Digest, Sha256};

use crate::model::{DigestPromise, FileDigest};

/// Bytes read and hashed at a time.
const READ_BYTES: usize = 1 << 20;

/// The SHA-256 of `file` (opened at `path`), computed on its own thread.
pub(crate) fn beside(file: &File, path: &std::path::Path) -> FileDigest {
    let (digest, promise) = FileDigest::pending();
    let own = own_handle(file, path);
    let spawned = std::thread::Builder::new()
        .name("claimmap-sha256".into())
        .spawn(move || {
            lower_priority();
            if let Ok(own) = own {
                hash(&own, promise);
            }
        });
    if spawned.is_err() {
        // No thread to be had: hash here, as a load did before.
        let (digest, promise) = FileDigest::pending();
        if let Ok(own) = own_handle(file, path) {
            hash(&own, promise);
        }
        return digest;
    }
    digest
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

/// The lowest priority for this thread (Linux keeps a nice value per thread): the parse first.
fn lower_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: setpriority on this thread's own id changes only its scheduling weight.
    unsafe {
        let tid = libc::syscall(libc::SYS_gettid) as libc::id_t;
        libc::setpriority(libc::PRIO_PROCESS, tid, 19);
    }
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
        let digest = beside(&file, &path);
        let mut first = [0u8; 4];
        file.read_exact(&mut first).expect("read");
        assert_eq!(first, [0, 1, 2, 3], "the load reads from where it was");
        assert_eq!(digest.hex(), crate::formats::sha256_hex(&bytes));
    }
}
