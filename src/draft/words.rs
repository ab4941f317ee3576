//! Words of a sentence with their byte spans, so every rule can point back at the exact text it
//! read (quotes are cut from the report by span, never rebuilt from words).

/// One word: a run of letters and digits.
#[derive(Clone, Debug)]
pub struct Word<'a> {
    /// As written.
    pub text: &'a str,
    /// Lower case, for comparisons.
    pub lower: String,
    /// Byte span in the text the words were read from.
    pub start: usize,
    pub end: usize,
}

impl Word<'_> {
    /// Starts with a capital letter (or is a number).
    pub fn capitalised(&self) -> bool {
        self.text.chars().next().is_some_and(|c| c.is_uppercase())
    }

    pub fn number(&self) -> Option<u32> {
        if self.text.len() <= 9 && self.text.bytes().all(|b| b.is_ascii_digit()) {
            self.text.parse().ok()
        } else {
            None
        }
    }
}

/// The words of a text. An apostrophe between letters (Azerbaijan's, Thursday’s) ends a word:
/// the "s" after it is a word of its own, which [`is_possessive`] recognises.
pub fn words(text: &str) -> Vec<Word<'_>> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    for (i, c) in text.char_indices() {
        let inside = c.is_alphanumeric();
        match (inside, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push(word(text, s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(word(text, s, text.len()));
    }
    out
}

fn word(text: &str, start: usize, end: usize) -> Word<'_> {
    Word {
        text: &text[start..end],
        lower: text[start..end].to_lowercase(),
        start,
        end,
    }
}

/// Whether `words[i]` is the "s" of a possessive ("Azerbaijan's").
pub fn is_possessive(text: &str, words: &[Word], i: usize) -> bool {
    i > 0
        && i < words.len()
        && words[i].lower == "s"
        && words[i - 1].end < words[i].start
        && matches!(&text[words[i - 1].end..words[i].start], "'" | "’")
}

/// Number words reports spell out.
pub fn number_word(word: &str) -> Option<u32> {
    Some(match word {
        "no" | "zero" => 0,
        "a" | "an" | "one" | "single" => 1,
        "two" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        "ten" => 10,
        "eleven" => 11,
        "twelve" => 12,
        "dozen" => 12,
        _ => return None,
    })
}
