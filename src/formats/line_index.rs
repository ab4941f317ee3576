//! Lines and columns of byte offsets in a whole file, found from an index built in one pass.
//!
//! A loader reports each problem at its line and column. Counting them from the start of the
//! file for every problem made a file of a million bad features take hours (issue 19): the index
//! is built once, in one forward pass, and a look-up then costs a binary search and a scan of at
//! most [`CHECKPOINT_BYTES`] bytes, whatever the file's size and however long its lines (a
//! minified GeoJSON is one line). It is built at the first look-up, not before: a file without
//! problems never needs it, and a pretty-printed GeoJSON has a line every 40 bytes or so (44 MB
//! of line starts for a 208 MB file).

/// A line and column, both counted from 1; columns count characters.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub struct TextPos {
    pub line: usize,
    pub column: usize,
}

/// Bytes between two character-count checkpoints: bounds the bytes a look-up scans.
pub const CHECKPOINT_BYTES: usize = 4096;

/// Where the lines of a text start, and how many characters precede every
/// [`CHECKPOINT_BYTES`]-th byte, so a column is counted from the nearest checkpoint rather than
/// from the line's start.
pub struct LineIndex<'t> {
    text: &'t str,
    built: std::sync::OnceLock<Built>,
}

/// What a look-up searches, built in one pass over the text.
struct Built {
    /// Byte offset of each line's first byte; the first is 0.
    line_starts: Vec<usize>,
    /// `chars_before[k]`: characters in `text[..k * CHECKPOINT_BYTES]`.
    chars_before: Vec<usize>,
}

/// Whether `byte` starts a character (is not a UTF-8 continuation byte).
fn starts_char(byte: u8) -> bool {
    byte & 0xC0 != 0x80
}

impl<'t> LineIndex<'t> {
    /// An index of `text`, built in one pass at its first look-up.
    pub fn new(text: &'t str) -> LineIndex<'t> {
        LineIndex {
            text,
            built: std::sync::OnceLock::new(),
        }
    }

    fn built(&self) -> &Built {
        self.built.get_or_init(|| Built::new(self.text))
    }

    /// The position of the byte at `offset` (clamped to the text's end; an offset inside a
    /// character counts as that character).
    pub fn pos(&self, offset: usize) -> TextPos {
        self.pos_scanning(offset).0
    }

    /// [`Self::pos`], and how many bytes the look-up scanned (never more than
    /// [`CHECKPOINT_BYTES`]): the bound the tests hold it to.
    pub fn pos_scanning(&self, offset: usize) -> (TextPos, usize) {
        let offset = offset.min(self.text.len());
        let line_starts = &self.built().line_starts;
        let line = line_starts.partition_point(|&start| start <= offset);
        debug_assert!(line >= 1, "line_starts begins with 0");
        let line_start = line_starts[line - 1];
        let (before_offset, scanned_a) = self.chars_upto(offset);
        let (before_line, scanned_b) = self.chars_upto(line_start);
        let column = before_offset - before_line + 1;
        // A continuation byte is inside the character before it: it does not start a column.
        let inside = self
            .text
            .as_bytes()
            .get(offset)
            .is_some_and(|&b| !starts_char(b));
        let column = column - usize::from(inside && column > 1);
        (TextPos { line, column }, scanned_a.max(scanned_b))
    }

    /// Characters that start before `offset`, and the bytes scanned to count them.
    fn chars_upto(&self, offset: usize) -> (usize, usize) {
        let checkpoint = offset / CHECKPOINT_BYTES;
        let from = checkpoint * CHECKPOINT_BYTES;
        let tail = &self.text.as_bytes()[from..offset];
        debug_assert!(tail.len() < CHECKPOINT_BYTES);
        let chars = tail.iter().filter(|&&b| starts_char(b)).count();
        (self.built().chars_before[checkpoint] + chars, tail.len())
    }
}

impl Built {
    fn new(text: &str) -> Built {
        let line_starts = std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1))
            .collect();
        let mut chars_before = Vec::with_capacity(text.len() / CHECKPOINT_BYTES + 1);
        let mut chars = 0;
        chars_before.push(0);
        for chunk in text.as_bytes().chunks(CHECKPOINT_BYTES) {
            chars += chunk.iter().filter(|&&b| starts_char(b)).count();
            chars_before.push(chars);
        }
        Built {
            line_starts,
            chars_before,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The plain count from the text's start: what the index must agree with.
    fn counted(text: &str, offset: usize) -> TextPos {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &text[..offset];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        TextPos {
            line: before.matches('\n').count() + 1,
            column: before[line_start..].chars().count() + 1,
        }
    }

    #[test]
    fn agrees_with_counting_from_the_start_at_every_offset() {
        let line = "{\"type\": \"Feature\", \"name\": \"Kəlbəcər / Քարվաճառ\"},\r\n";
        let mut text = String::new();
        for n in 0..400 {
            let mut cut = n % line.len();
            while !line.is_char_boundary(cut) {
                cut -= 1;
            }
            text.push_str(&line[..cut]);
            text.push('\n');
            text.push_str(line);
        }
        let index = LineIndex::new(&text);
        for offset in 0..=text.len() + 3 {
            assert_eq!(index.pos(offset), counted(&text, offset), "offset {offset}");
        }
    }

    #[test]
    fn names_lines_and_columns() {
        let text = "ab\ncdé\n\nf";
        let index = LineIndex::new(text);
        assert_eq!(index.pos(0), TextPos { line: 1, column: 1 });
        assert_eq!(index.pos(2), TextPos { line: 1, column: 3 });
        assert_eq!(index.pos(3), TextPos { line: 2, column: 1 });
        // "é" is two bytes: the byte after it is the third character's column + 1.
        assert_eq!(index.pos(7), TextPos { line: 2, column: 4 });
        assert_eq!(index.pos(8), TextPos { line: 3, column: 1 });
        assert_eq!(index.pos(9), TextPos { line: 4, column: 1 });
        assert_eq!(index.pos(100), TextPos { line: 4, column: 2 });
        assert_eq!(LineIndex::new("").pos(0), TextPos { line: 1, column: 1 });
    }

    /// The look-up cost does not grow with the file or the line: a 16 MB single-line text (a
    /// minified FeatureCollection) is looked up near its end by scanning at most one checkpoint's
    /// bytes, where counting from the start would scan all 16 MB.
    #[test]
    fn a_look_up_scans_at_most_one_checkpoint_whatever_the_file() {
        let feature = "{\"type\": \"Feature\", \"properties\": {\"place\": \"Şuşa\"}},";
        for repeats in [10, 1_000, 300_000] {
            let text = feature.repeat(repeats);
            let index = LineIndex::new(&text);
            for offset in [0, text.len() / 2 + 7, text.len() - 1, text.len()] {
                let (pos, scanned) = index.pos_scanning(offset);
                assert!(scanned < CHECKPOINT_BYTES, "{scanned} bytes at {offset}");
                assert_eq!(pos.line, 1);
                assert_eq!(pos, counted(&text, offset));
            }
        }
    }
}
