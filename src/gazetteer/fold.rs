//! Folding names to a search key: case, diacritics, apostrophes and punctuation do not matter, so
//! "Kəlbəcər", "KELBECER" and "Kelbecer" meet, and "Yukhari-Shorzha" meets "Yukhari Shorzha".

use unicode_normalization::{UnicodeNormalization, char::is_combining_mark};

/// The search key of a name: compatibility-decomposed, marks dropped, lowercased, punctuation to
/// spaces, spaces collapsed. Scripts are kept apart; transliteration is the aliases' job.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for ch in text.nfkd().filter(|c| !is_combining_mark(*c)) {
        for lower in ch.to_lowercase() {
            let mapped = match lower {
                // Schwa has no decomposition; transliterations write it "e" or "a", and aliases
                // carry the "a" spellings.
                'ə' | 'ǝ' => Some('e'),
                'ı' => Some('i'),
                // Apostrophes and modifier letters used for Armenian aspiration: dropped.
                '\'' | '’' | '‘' | 'ʻ' | 'ʼ' | '`' | '´' | 'ʹ' | '"' | '“' | '”' | '«' | '»' => {
                    None
                }
                c if c.is_alphanumeric() => Some(c),
                _ => {
                    pending_space = true;
                    None
                }
            };
            if let Some(c) = mapped {
                if pending_space && !out.is_empty() {
                    out.push(' ');
                }
                pending_space = false;
                out.push(c);
            }
        }
    }
    out
}

/// The key without spaces, for names written as one word or two ("Yukharishorzha").
pub fn compact(folded: &str) -> String {
    folded.chars().filter(|c| *c != ' ').collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_diacritics_and_punctuation() {
        assert_eq!(fold("Kəlbəcər"), "kelbecer");
        assert_eq!(fold("  LAÇIN "), "lacin");
        assert_eq!(fold("Şuşa"), "susa");
        assert_eq!(fold("Yukhari-Shorzha"), "yukhari shorzha");
        assert_eq!(fold("Shushi’"), "shushi");
        assert_eq!(fold("Ağdam"), "agdam");
        assert_eq!(fold("İrəvan"), "irevan");
        assert_eq!(fold("Шуша"), "шуша");
        assert_eq!(fold("Ёлки"), "елки");
        // The Armenian ligature ech-yiwn folds to its two letters, so both spellings of Yerevan meet.
        assert_eq!(fold("Երևան"), fold("Երեւան"));
        assert_eq!(fold("ՔԱՐՎԱՃԱՌ"), fold("Քարվաճառ"));
        assert_eq!(compact("yukhari shorzha"), "yukharishorzha");
    }
}
