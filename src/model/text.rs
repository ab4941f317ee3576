//! Long texts (the quotes of a large table) kept as where they are in the file, and read from it
//! when shown, searched, exported or saved, instead of being copied into memory at load. A large
//! table's rows read their unmodelled columns back through the same file (`props.rs`).
//!
//! A million ACLED rows carry some 360 MB of notes, which every claim quotes; held in memory they
//! were half of what a load allocated, and copying them was much of its time. A text of the file
//! is an offset and a length: reading it back is a positioned read of the file, through a cache
//! of its most recently read blocks. Lists and searches read texts by date: in about the file's
//! order (or against it), but in any order among the hundreds of rows of one day, so a few
//! megabytes of blocks serve them with each block read about once.
//!
//! The file can change after the load. The handle read from is the one the load opened, so a
//! file replaced by a rename (an editor's save, a new export downloaded over the old one) goes on
//! being read as it was. A file rewritten in place is noticed by its length or modification time:
//! its texts are then unreadable, said so where they are shown, and every writer fails rather
//! than save or export text the user never loaded.

use std::borrow::Cow;
use std::fs::File;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::SystemTime;

/// A text of the dataset: held in memory, or a span of the file it was loaded from.
#[derive(Clone)]
pub struct Text(Repr);

#[derive(Clone)]
enum Repr {
    Held(Arc<str>),
    InFile {
        file: Arc<TextFile>,
        at: u64,
        len: u32,
        /// The span is a quoted CSV field's content whose doubled quotes are still to be undone.
        doubled_quotes: bool,
    },
}

/// Why a text of a file cannot be read back.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct TextUnreadable(pub String);

/// The file texts are read from, opened by the load.
pub struct TextFile {
    file: File,
    path: String,
    /// The length and modification time at the load: a file rewritten in place changes them.
    len: u64,
    modified: Option<SystemTime>,
    /// The blocks of the file read most recently.
    cache: Mutex<Blocks>,
    /// Set once the file is found changed or unreadable; every read after fails the same way.
    failure: OnceLock<TextUnreadable>,
}

/// The unit the file is read and cached in.
const BLOCK_BYTES: u64 = 64 << 10;
/// Blocks kept (32 MB): texts read by date come from rows about a month apart in the file at most
/// (a month-precision row starts on the month's first day), which in a million-row file is about
/// 10 MB; so a search reading every text reads each block about once.
const CACHED_BLOCKS: usize = 512;

/// Recently read blocks of a file, the least recently used replaced first.
#[derive(Default)]
struct Blocks {
    /// (block number, its bytes, when it was last used).
    held: Vec<(u64, Vec<u8>, u64)>,
    /// Where each block held is in `held`.
    slots: crate::fxhash::FxMap<u64, usize>,
    clock: u64,
}

impl TextFile {
    /// The file as `file` (a handle the load opened) is now.
    pub fn new(file: File, path: impl Into<String>) -> std::io::Result<TextFile> {
        let meta = file.metadata()?;
        Ok(TextFile {
            file,
            path: path.into(),
            len: meta.len(),
            modified: meta.modified().ok(),
            cache: Mutex::new(Blocks::default()),
            failure: OnceLock::new(),
        })
    }

    pub fn path(&self) -> &str {
        &self.path
    }

    /// Why texts of this file cannot be read, once a read found out.
    pub fn failure(&self) -> Option<&TextUnreadable> {
        self.failure.get()
    }

    fn fail(&self, reason: String) -> TextUnreadable {
        self.failure
            .get_or_init(|| {
                TextUnreadable(format!(
                    "{}: {reason}; reload the layer to read its texts again",
                    self.path
                ))
            })
            .clone()
    }

    /// The bytes at `at..at + len`.
    fn read(&self, at: u64, len: u32) -> Result<Vec<u8>, TextUnreadable> {
        let end = at + u64::from(len);
        self.may_read(at, end)?;
        let mut out = Vec::with_capacity(len as usize);
        // A poisoned lock only means a reader panicked mid-copy; the blocks are whole.
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        for block in at / BLOCK_BYTES..end.div_ceil(BLOCK_BYTES) {
            let bytes = self.block(&mut cache, block)?;
            let base = block * BLOCK_BYTES;
            let from = (at.max(base) - base) as usize;
            let to = (end.min(base + bytes.len() as u64) - base) as usize;
            out.extend_from_slice(bytes.get(from..to).unwrap_or_default());
        }
        debug_assert_eq!(out.len(), len as usize);
        Ok(out)
    }

    /// The UTF-8 text at `at..at + len`: a span of a table's text, or one of its records.
    pub(crate) fn read_text(&self, at: u64, len: u32) -> Result<String, TextUnreadable> {
        self.text_at(at, self.read(at, len)?)
    }

    /// The UTF-8 text at `at..at + len` read straight from the file, past the cache: a run of
    /// records read once for the values of many rows, which would only evict the blocks a
    /// reader of texts by date is using.
    pub(crate) fn read_run(&self, at: u64, len: u64) -> Result<String, TextUnreadable> {
        self.may_read(at, at + len)?;
        self.check_unchanged()?;
        let mut bytes = vec![0; len as usize];
        read_exact_at(&self.file, &mut bytes, at)
            .map_err(|e| self.fail(format!("the file cannot be read ({e})")))?;
        self.text_at(at, bytes)
    }

    /// Fails when a read found the file unreadable before, or `at..end` lies past its end.
    fn may_read(&self, at: u64, end: u64) -> Result<(), TextUnreadable> {
        if let Some(failure) = self.failure.get() {
            return Err(failure.clone());
        }
        if end > self.len {
            return Err(self.fail(format!("a text at byte {at} lies past the file's end")));
        }
        Ok(())
    }

    /// `bytes`, read at `at`, as text; failing when they are no longer UTF-8.
    fn text_at(&self, at: u64, bytes: Vec<u8>) -> Result<String, TextUnreadable> {
        String::from_utf8(bytes)
            .map_err(|_| self.fail(format!("the text at byte {at} is no longer UTF-8")))
    }

    /// Fails when the file is not the one loaded: its length or modification time changed.
    fn check_unchanged(&self) -> Result<(), TextUnreadable> {
        let meta = self
            .file
            .metadata()
            .map_err(|e| self.fail(format!("the file cannot be read ({e})")))?;
        if meta.len() != self.len || meta.modified().ok() != self.modified {
            return Err(self.fail("the file changed on disk after it was loaded".into()));
        }
        Ok(())
    }

    /// Block `number` of the file, from the cache or read (and the file checked) now.
    fn block<'c>(&self, cache: &'c mut Blocks, number: u64) -> Result<&'c [u8], TextUnreadable> {
        cache.clock += 1;
        let now = cache.clock;
        if let Some(&at) = cache.slots.get(&number) {
            cache.held[at].2 = now;
            return Ok(&cache.held[at].1);
        }
        // Checked at each read from the file, not each text: a block's texts share one check.
        self.check_unchanged()?;
        let from = number * BLOCK_BYTES;
        let size = BLOCK_BYTES.min(self.len.saturating_sub(from)) as usize;
        let slot = if cache.held.len() < CACHED_BLOCKS {
            cache.held.push((number, Vec::new(), now));
            cache.held.len() - 1
        } else {
            let oldest = (0..cache.held.len())
                .min_by_key(|&i| cache.held[i].2)
                .unwrap_or(0);
            let evicted = cache.held[oldest].0;
            cache.slots.remove(&evicted);
            cache.held[oldest].0 = number;
            cache.held[oldest].2 = now;
            oldest
        };
        cache.slots.insert(number, slot);
        let bytes = &mut cache.held[slot].1;
        bytes.resize(size, 0);
        if let Err(e) = read_exact_at(&self.file, bytes, from) {
            // Never served: the slot holds no block.
            cache.slots.remove(&number);
            cache.held[slot].0 = u64::MAX;
            return Err(self.fail(format!("the file cannot be read ({e})")));
        }
        Ok(&cache.held[slot].1)
    }

    /// Forgets the blocks read, so the next read goes to the file (tests).
    #[cfg(test)]
    pub(crate) fn forget_blocks(&self) {
        *self.cache.lock().unwrap_or_else(|e| e.into_inner()) = Blocks::default();
    }
}

/// A read at an offset that leaves the handle's position alone: the handle is a clone of the one
/// the load streams through, and the debug check of each span reads while the load goes on.
#[cfg(unix)]
fn read_exact_at(file: &File, buf: &mut [u8], at: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, at)
}

/// Windows moves the position of the handle (shared with the load's): untested there, and the
/// debug check of each span during a load would disturb it.
#[cfg(windows)]
fn read_exact_at(file: &File, mut buf: &mut [u8], mut at: u64) -> std::io::Result<()> {
    while !buf.is_empty() {
        match std::os::windows::fs::FileExt::seek_read(file, buf, at)? {
            0 => return Err(std::io::ErrorKind::UnexpectedEof.into()),
            n => {
                buf = &mut buf[n..];
                at += n as u64;
            }
        }
    }
    Ok(())
}

impl std::fmt::Debug for TextFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TextFile")
            .field("path", &self.path)
            .finish()
    }
}

impl Text {
    /// The span `at..at + len` of `file`; a quoted CSV field's content with `doubled_quotes`.
    pub fn in_file(file: &Arc<TextFile>, at: u64, len: u32, doubled_quotes: bool) -> Text {
        Text(Repr::InFile {
            file: Arc::clone(file),
            at,
            len,
            doubled_quotes,
        })
    }

    /// Makes the next read of this text's file go to the file, not to blocks read before (tests).
    #[cfg(test)]
    pub(crate) fn forget_read_blocks(&self) {
        if let Repr::InFile { file, .. } = &self.0 {
            file.forget_blocks();
        }
    }

    /// Where the text starts in its file, when it is kept there: readers of many texts read
    /// them in this order.
    pub fn file_offset(&self) -> Option<u64> {
        match &self.0 {
            Repr::Held(_) => None,
            Repr::InFile { at, .. } => Some(*at),
        }
    }

    /// Whether the text is kept in the file rather than in memory.
    pub fn is_in_file(&self) -> bool {
        matches!(self.0, Repr::InFile { .. })
    }

    /// Whether there is no text. A span of a file is never empty.
    pub fn is_empty(&self) -> bool {
        match &self.0 {
            Repr::Held(text) => text.is_empty(),
            Repr::InFile { .. } => false,
        }
    }

    /// The text, or why it cannot be read back from its file.
    pub fn try_read(&self) -> Result<Cow<'_, str>, TextUnreadable> {
        match &self.0 {
            Repr::Held(text) => Ok(Cow::Borrowed(text)),
            Repr::InFile {
                file,
                at,
                len,
                doubled_quotes,
            } => {
                let text = file.read_text(*at, *len)?;
                Ok(Cow::Owned(if *doubled_quotes {
                    text.replace("\"\"", "\"")
                } else {
                    text
                }))
            }
        }
    }

    /// The text to show: what cannot be read says why, in place of the text. Writers use
    /// [`Text::try_read`], so that message is never saved or exported as if quoted.
    pub fn read(&self) -> Cow<'_, str> {
        self.try_read()
            .unwrap_or_else(|e| Cow::Owned(format!("[text not available: {e}]")))
    }
}

impl Default for Text {
    fn default() -> Text {
        Text(Repr::Held(Arc::from("")))
    }
}

impl From<&str> for Text {
    fn from(text: &str) -> Text {
        Text(Repr::Held(text.into()))
    }
}

impl From<String> for Text {
    fn from(text: String) -> Text {
        Text(Repr::Held(text.into()))
    }
}

impl From<Box<str>> for Text {
    fn from(text: Box<str>) -> Text {
        Text(Repr::Held(text.into()))
    }
}

impl From<Arc<str>> for Text {
    fn from(text: Arc<str>) -> Text {
        Text(Repr::Held(text))
    }
}

impl std::fmt::Display for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.read())
    }
}

impl std::fmt::Debug for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&*self.read(), f)
    }
}

/// Equal when they say the same: a text held and the same text in a file are equal.
impl PartialEq for Text {
    fn eq(&self, other: &Text) -> bool {
        match (&self.0, &other.0) {
            (Repr::Held(a), Repr::Held(b)) => a == b,
            (
                Repr::InFile {
                    file: fa,
                    at: a,
                    len: la,
                    ..
                },
                Repr::InFile {
                    file: fb,
                    at: b,
                    len: lb,
                    ..
                },
            ) if Arc::ptr_eq(fa, fb) && (a, la) == (b, lb) => true,
            _ => self.try_read().ok() == other.try_read().ok() && self.try_read().is_ok(),
        }
    }
}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        self.try_read().is_ok_and(|t| t == other)
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        self == *other
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn file_with(text: &str) -> (tempfile::TempDir, std::path::PathBuf, Arc<TextFile>) {
        let dir = tempfile::tempdir().expect("temporary directory");
        let path = dir.path().join("rows.csv");
        std::fs::write(&path, text).expect("write");
        let file = File::open(&path).expect("open");
        let texts = Arc::new(TextFile::new(file, path.display().to_string()).expect("metadata"));
        (dir, path, texts)
    }

    #[test]
    fn spans_read_back_with_doubled_quotes_undone() {
        let body = "id,notes\n1,\"He said \"\"stop\"\", twice\"\n2,plain words\n";
        let (_dir, _path, file) = file_with(body);
        let raw = "He said \"\"stop\"\", twice";
        let quoted_at = body.find(raw).expect("in the body") as u64;
        let quoted = Text::in_file(&file, quoted_at, raw.len() as u32, true);
        assert_eq!(quoted.read(), "He said \"stop\", twice");
        let plain = Text::in_file(
            &file,
            body.find("plain").expect("in the body") as u64,
            11,
            false,
        );
        assert_eq!(plain, "plain words");
        assert_eq!(
            plain,
            Text::from("plain words"),
            "held and in-file texts compare by words"
        );
        assert_ne!(plain, quoted);
        assert!(!plain.is_empty() && Text::default().is_empty());
        assert_eq!(format!("{plain}"), "plain words");
    }

    #[test]
    fn spans_across_blocks_and_past_the_cache_read_back_exactly() {
        // Digits, so any span is UTF-8; long enough that reading it all evicts blocks.
        let len = (CACHED_BLOCKS as u64 + 3) * BLOCK_BYTES + 1234;
        let body: String = (0..len)
            .map(|i| char::from(b'0' + (i * 7 % 10) as u8))
            .collect();
        let (_dir, _path, file) = file_with(&body);
        let mut state = 12345u64;
        let mut next = |n: u64| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) % n
        };
        let mut spans: Vec<(u64, u32)> = (0..2000)
            .map(|_| {
                let len = 1 + next(3 * BLOCK_BYTES) as u32;
                (next(len_of(&body) - u64::from(len)), len)
            })
            .collect();
        // On and across block boundaries, and the file's last byte.
        spans.extend([
            (BLOCK_BYTES - 1, 2),
            (BLOCK_BYTES, 1),
            (len - 1, 1),
            (0, len as u32),
        ]);
        for (at, n) in spans {
            let text = Text::in_file(&file, at, n, false);
            let want = &body[at as usize..(at + u64::from(n)) as usize];
            assert!(text == *want, "{n} bytes at {at}");
        }
        assert!(file.cache.lock().expect("not poisoned").held.len() <= CACHED_BLOCKS);
        let past = Text::in_file(&file, len - 1, 2, false);
        assert!(past.try_read().is_err(), "a span past the end is refused");
    }

    fn len_of(text: &str) -> u64 {
        text.len() as u64
    }

    #[test]
    fn a_file_rewritten_in_place_is_unreadable_and_says_why() {
        let body = "id,notes\n1,the words loaded\n";
        let (_dir, path, file) = file_with(body);
        let at = body.find("the words").expect("in the body") as u64;
        let text = Text::in_file(&file, at, 16, false);
        assert_eq!(text.read(), "the words loaded");
        // Not from the cache: a new window must be read, and the file checked first.
        file.forget_blocks();
        std::thread::sleep(std::time::Duration::from_millis(20));
        let mut rewritten = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .expect("open for writing");
        rewritten.write_all(b"2,more\n").expect("append");
        drop(rewritten);
        let error = text.try_read().expect_err("the file changed");
        assert!(
            error.0.contains("changed on disk") && error.0.contains("rows.csv"),
            "{error}"
        );
        assert!(text.read().starts_with("[text not available: "));
        assert!(file.failure().is_some());
        assert_ne!(text, Text::from("the words loaded"));
    }

    #[test]
    fn a_file_replaced_by_a_rename_is_still_read_as_loaded() {
        let body = "id,notes\n1,the words loaded\n";
        let (dir, path, file) = file_with(body);
        let text = Text::in_file(
            &file,
            body.find("the").expect("in the body") as u64,
            16,
            false,
        );
        let other = dir.path().join("new.csv");
        std::fs::write(&other, "entirely different bytes, longer than before\n").expect("write");
        std::fs::rename(&other, &path).expect("rename");
        file.forget_blocks();
        assert_eq!(text.try_read().as_deref(), Ok("the words loaded"));
    }
}
