//! A file's SHA-256 that may still be being computed when its dataset is ready. Loading does not
//! wait for the hash (it takes a good part of a second for a large file, and only exports and
//! converts need it): a loader hashes the file on a thread of its own once the load is over and
//! hands the dataset a [`FileDigest`] whose [`FileDigest::hex`] waits for it if it is not done yet.

use std::sync::{Arc, OnceLock, Weak};

/// Lowercase hex SHA-256 of a file's bytes, known now or later.
#[derive(Clone)]
pub struct FileDigest(Arc<OnceLock<String>>);

/// Where the hash of a [`FileDigest::pending`] goes once computed. Dropped without a value (its
/// computing failed), it leaves the digest empty rather than waiting forever.
pub struct DigestPromise(Weak<OnceLock<String>>);

impl FileDigest {
    /// A digest already computed.
    pub fn known(hex: String) -> FileDigest {
        let cell = OnceLock::new();
        let _ = cell.set(hex);
        FileDigest(Arc::new(cell))
    }

    /// A digest to be given later through the promise.
    pub fn pending() -> (FileDigest, DigestPromise) {
        let cell = Arc::new(OnceLock::new());
        let promise = DigestPromise(Arc::downgrade(&cell));
        (FileDigest(cell), promise)
    }

    /// The lowercase hex digest; waits for it if it is still being computed. Empty when it
    /// could not be computed (the file could not be read again).
    pub fn hex(&self) -> &str {
        self.0.wait()
    }

    /// Whether [`FileDigest::hex`] would answer at once.
    pub fn is_ready(&self) -> bool {
        self.0.get().is_some()
    }
}

impl From<String> for FileDigest {
    fn from(hex: String) -> FileDigest {
        FileDigest::known(hex)
    }
}

impl PartialEq for FileDigest {
    fn eq(&self, other: &FileDigest) -> bool {
        Arc::ptr_eq(&self.0, &other.0) || self.hex() == other.hex()
    }
}

impl Eq for FileDigest {}

impl std::fmt::Debug for FileDigest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0.get() {
            Some(hex) => write!(f, "{hex:?}"),
            None => f.write_str("(being computed)"),
        }
    }
}

impl std::fmt::Display for FileDigest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.hex())
    }
}

impl DigestPromise {
    /// Whether anyone still holds the digest: when every dataset holding it is gone, the hashing
    /// stops.
    pub fn is_wanted(&self) -> bool {
        self.0.strong_count() > 0
    }

    /// Gives the digest its value.
    pub fn keep(self, hex: String) {
        if let Some(cell) = self.0.upgrade() {
            let _ = cell.set(hex);
        }
    }
}

impl Drop for DigestPromise {
    fn drop(&mut self) {
        if let Some(cell) = self.0.upgrade() {
            // A no-op after `keep`: the cell is set once.
            let _ = cell.set(String::new());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pending_digest_waits_for_its_value() {
        let (digest, promise) = FileDigest::pending();
        assert!(!digest.is_ready());
        let waiting = digest.clone();
        let handle = std::thread::spawn(move || waiting.hex().to_owned());
        assert!(promise.is_wanted());
        promise.keep("ab12".into());
        assert_eq!(handle.join().ok().as_deref(), Some("ab12"));
        assert_eq!(digest, FileDigest::known("ab12".into()));
    }

    #[test]
    fn a_broken_promise_leaves_it_empty_and_a_dropped_digest_is_not_wanted() {
        let (digest, promise) = FileDigest::pending();
        drop(promise);
        assert_eq!(digest.hex(), "");
        let (digest, promise) = FileDigest::pending();
        drop(digest);
        assert!(!promise.is_wanted());
    }
}
