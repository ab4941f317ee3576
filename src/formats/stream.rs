//! A large table read from its file in blocks of whole records: parts are parsed while the rest is
//! still being read, and the file is never in memory all at once. (Its SHA-256 is computed on a
//! thread of its own: `file_hash`.)
//!
//! A block ends at a line break outside quotes. Quotes are counted from the start of the body, as
//! the in-memory reader's `split_points` counts them; a quote where RFC 4180 puts none (`ab"c`, `"a"b`)
//! makes the count meaningless, and the rest of the file then becomes one block.

use std::io::Read;
use std::sync::{Arc, Mutex};

use super::records::quote_fits;

/// How much is read from the file at a time.
const READ_BYTES: usize = 1 << 20;

/// Files from this size on are read as they are parsed when they are tables: never whole in
/// memory, and parsed while the disk is still being read.
const STREAM_MIN_BYTES: u64 = 16 << 20;
/// How much of a large file is read to tell its format.
const HEAD_BYTES: usize = 1 << 20;
/// Blocks handed to the parsers: small enough that the blocks in flight stay a few percent of a
/// large file, large enough that joining the parts is cheap. (4 MB until 1 December 2026: 2 MB
/// took 7–9 MB less at a million rows' peak, in the same time.)
const BLOCK_BYTES: usize = 2 << 20;

/// Buffers kept for the next blocks: the blocks in flight (one queued and one parsed per thread)
/// and the one being read.
const SPARE_BUFFERS: usize = 8;

/// The buffers of parsed blocks, given back to be read into again. A fresh buffer for every
/// block is memory the system must find and clear each time: with the file's copy out of the
/// page cache, that was half of a load's CPU time in a profile.
#[derive(Default)]
pub(crate) struct Buffers(Mutex<Vec<Vec<u8>>>);

impl Buffers {
    /// Keeps `bytes`' room for a later block (its contents are dropped).
    pub fn give(&self, mut bytes: Vec<u8>) {
        bytes.clear();
        if let Ok(mut spare) = self.0.lock()
            && spare.len() < SPARE_BUFFERS
        {
            spare.push(bytes);
        }
    }

    fn take(&self) -> Vec<u8> {
        self.0
            .lock()
            .ok()
            .and_then(|mut spare| spare.pop())
            .unwrap_or_default()
    }

    #[cfg(test)]
    fn spare(&self) -> usize {
        self.0.lock().map_or(0, |spare| spare.len())
    }
}

/// The sizes a streamed load works with.
#[derive(Copy, Clone, Debug)]
pub(crate) struct Sizes {
    pub stream_min: u64,
    pub head: usize,
    pub block: usize,
}

impl Default for Sizes {
    fn default() -> Sizes {
        Sizes {
            stream_min: STREAM_MIN_BYTES,
            head: HEAD_BYTES,
            block: BLOCK_BYTES,
        }
    }
}

/// Whole records and the line the first is on.
pub(crate) struct Block {
    pub bytes: Vec<u8>,
    pub first_line: usize,
    /// Where its first byte is in the file.
    pub offset: u64,
}

/// The body of a table being read from its file.
pub(crate) struct TableFile {
    reader: Box<dyn Read + Send>,
    /// Read, not yet handed out.
    pending: Vec<u8>,
    /// How much of `pending` the quote count has seen.
    scanned: usize,
    /// Whether `pending[scanned]` is inside quotes.
    quoted: bool,
    /// Whether every quote so far was where RFC 4180 puts quotes.
    countable: bool,
    eof: bool,
    /// The line `pending` starts on.
    line: usize,
    delimiter: u8,
    /// Bytes of the whole file read so far.
    pub read: u64,
    /// The file's length, as its metadata gave it (for estimates only).
    pub len: u64,
    /// The file again, for texts kept as spans of it rather than copied.
    pub texts: Option<std::sync::Arc<crate::model::TextFile>>,
    /// Where the parsers give back the blocks they are done with.
    pub buffers: Arc<Buffers>,
}

impl TableFile {
    /// The rest of a file after `head` (its first bytes, already read), whose body (records after
    /// the header) starts at `body_start`, on line `body_line`.
    pub fn new(
        head: &[u8],
        body_start: usize,
        body_line: usize,
        delimiter: u8,
        reader: Box<dyn Read + Send>,
        len: u64,
        texts: Option<std::sync::Arc<crate::model::TextFile>>,
    ) -> TableFile {
        TableFile {
            reader,
            pending: head.get(body_start..).unwrap_or_default().to_vec(),
            scanned: 0,
            quoted: false,
            countable: true,
            eof: false,
            line: body_line,
            delimiter,
            read: head.len() as u64,
            len,
            texts,
            buffers: Arc::default(),
        }
    }

    /// The line the next block starts on.
    pub fn next_line(&self) -> usize {
        self.line
    }

    /// The next block of whole records, of about `size` bytes or more (a record is never cut);
    /// `None` once the file is read.
    pub fn next_block(&mut self, size: usize) -> std::io::Result<Option<Block>> {
        if self.pending.capacity() < size + READ_BYTES {
            // One allocation per block: growing by doubling would copy it several times over.
            self.pending.reserve(size + READ_BYTES - self.pending.len());
        }
        loop {
            if self.eof {
                if self.pending.is_empty() {
                    return Ok(None);
                }
                return Ok(Some(self.take(self.pending.len())));
            }
            if self.pending.len() >= size && self.countable {
                self.count_quotes();
                if let Some(cut) = self.last_record_end() {
                    return Ok(Some(self.take(cut)));
                }
            }
            self.fill()?;
        }
    }

    fn fill(&mut self) -> std::io::Result<()> {
        self.pending.reserve(READ_BYTES);
        // read_to_end reads into the spare capacity without zeroing it first.
        let n = (&mut self.reader)
            .take(READ_BYTES as u64)
            .read_to_end(&mut self.pending)?;
        self.read += n as u64;
        if n == 0 {
            self.eof = true;
        }
        Ok(())
    }

    /// Counts quotes up to the last byte but one (whether a quote closes a field depends on the
    /// byte after it).
    fn count_quotes(&mut self) {
        let limit = self.pending.len().saturating_sub(1);
        while self.countable && self.scanned < limit {
            let Some(found) = memchr::memchr(b'"', &self.pending[self.scanned..limit]) else {
                self.scanned = limit;
                break;
            };
            let q = self.scanned + found;
            // At the start of `pending` the byte before is the line break of the last cut, and
            // below `limit` the byte after a quote has been read.
            self.countable = quote_fits(&self.pending, q, self.quoted, self.delimiter);
            self.quoted = !self.quoted;
            self.scanned = q + 1;
        }
    }

    /// Just after the last line break outside quotes among the counted bytes.
    fn last_record_end(&self) -> Option<usize> {
        let mut quoted = self.quoted;
        for at in memchr::memrchr2_iter(b'"', b'\n', &self.pending[..self.scanned]) {
            match self.pending[at] {
                b'"' => quoted = !quoted,
                _ if !quoted => return Some(at + 1),
                _ => {}
            }
        }
        None
    }

    fn take(&mut self, cut: usize) -> Block {
        // The rest goes into a buffer given back by a parser, so the room for the next block
        // is there already.
        let mut rest = self.buffers.take();
        rest.extend_from_slice(&self.pending[cut..]);
        self.pending.truncate(cut);
        let bytes = std::mem::replace(&mut self.pending, rest);
        self.scanned = self.scanned.saturating_sub(cut);
        let first_line = self.line;
        self.line += memchr::memchr_iter(b'\n', &bytes).count();
        // `pending` always ends at the last byte read.
        let offset = self.read - (bytes.len() + self.pending.len()) as u64;
        Block {
            bytes,
            first_line,
            offset,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks(text: &str, body_start: usize, size: usize) -> Vec<(usize, String)> {
        let bytes = text.as_bytes().to_vec();
        let head = bytes[..body_start].to_vec();
        let mut file = TableFile::new(
            &head,
            body_start,
            1,
            b',',
            Box::new(std::io::Cursor::new(bytes[head.len()..].to_vec())),
            bytes.len() as u64,
            None,
        );
        let mut out = Vec::new();
        while let Ok(Some(block)) = file.next_block(size) {
            let at = block.offset as usize;
            assert_eq!(
                bytes.get(at..at + block.bytes.len()),
                Some(&block.bytes[..]),
                "a block's offset is where its bytes are in the file"
            );
            out.push((
                block.first_line,
                String::from_utf8(block.bytes.clone()).unwrap_or_default(),
            ));
            // As a parser does: the next blocks are read into it again.
            file.buffers.give(block.bytes);
        }
        out
    }

    #[test]
    fn a_buffer_given_back_is_read_into_again() {
        // Blocks are cut from what was read, 1 MB at a time: a few MB make a few blocks.
        let text: String = (0..150_000)
            .map(|i| format!("{i},\"row {i}\nits second line\"\n"))
            .collect();
        let bytes = text.into_bytes();
        let mut file = TableFile::new(
            &[],
            0,
            1,
            b',',
            Box::new(std::io::Cursor::new(bytes.clone())),
            bytes.len() as u64,
            None,
        );
        let mut joined = Vec::new();
        let mut blocks = 0;
        while let Ok(Some(block)) = file.next_block(4096) {
            if blocks > 0 {
                assert_eq!(file.buffers.spare(), 0, "the buffer given back was taken");
            }
            joined.extend_from_slice(&block.bytes);
            file.buffers.give(block.bytes);
            assert_eq!(file.buffers.spare(), 1);
            blocks += 1;
        }
        assert!(blocks >= 3, "{blocks} blocks");
        assert_eq!(joined, bytes, "every byte once, in order");
    }

    #[test]
    fn blocks_end_after_line_breaks_outside_quotes() {
        let text = "1,\"a\nb\"\n2,3\n4,5\n";
        let out = blocks(text, 0, 1);
        let joined: String = out.iter().map(|b| b.1.as_str()).collect();
        assert_eq!(joined, text);
        assert!(out.iter().all(|b| b.1.ends_with('\n')), "{out:?}");
        assert!(out[0].1.contains("a\nb\""), "never inside quotes: {out:?}");
        let lines: Vec<usize> = out.iter().map(|b| b.0).collect();
        assert_eq!(lines[0], 1);
        assert_eq!(lines.last(), Some(&4));
    }

    #[test]
    fn a_stray_quote_makes_the_rest_one_block() {
        let text = "1,2\n3,4\nab\"c,d\n5,\"6\n7\"\n8,9\n";
        let out = blocks(text, 0, 1);
        let joined: String = out.iter().map(|b| b.1.as_str()).collect();
        assert_eq!(joined, text);
        assert!(
            out.last()
                .is_some_and(|b| b.1.contains("ab\"c") && b.1.ends_with("8,9\n"))
        );
    }
}
