//! Folding names to a search key: case, diacritics, apostrophes and punctuation do not matter, so
//! "Kəlbəcər", "KELBECER" and "Kelbecer" meet, and "Yukhari-Shorzha" meets "Yukhari Shorzha".
//!
//! A second, looser key — the [`skeleton`] — lets the spellings of one name in different
//! transliterations meet: Kəlbəcər, Kalbajar, Kelbadzhar, Кельбаджар; Yukhary and Yukhari;
//! Yellidzhe and Yellicə; Aygepar and Ayqepar; Farrukh and Fərrux.

use unicode_normalization::{UnicodeNormalization, char::is_combining_mark};

/// The search key of a name: compatibility-decomposed, marks dropped, lowercased, punctuation to
/// spaces, spaces collapsed. Scripts are kept apart; transliteration is the aliases' job.
pub fn fold(text: &str) -> String {
    if text.is_ascii() {
        return fold_ascii(text);
    }
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

/// [`fold`] for ASCII text, which decomposition leaves as it is: most names and aliases are
/// ASCII, and the embedded gazetteer folds sixty thousand of them at start-up.
fn fold_ascii(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for b in text.bytes() {
        match b {
            b'\'' | b'`' | b'"' => {}
            b if b.is_ascii_alphanumeric() => {
                if pending_space && !out.is_empty() {
                    out.push(' ');
                }
                pending_space = false;
                out.push(char::from(b.to_ascii_lowercase()));
            }
            _ => pending_space = true,
        }
    }
    out
}

/// The key without spaces, for names written as one word or two ("Yukharishorzha").
pub fn compact(folded: &str) -> String {
    folded.chars().filter(|c| *c != ' ').collect()
}

/// Cyrillic letters (Russian and Azerbaijani Cyrillic) in the Latin spelling the skeleton reads.
fn cyrillic(c: char) -> Option<&'static str> {
    Some(match c {
        'а' | 'ә' => "a",
        'б' => "b",
        'в' => "v",
        'г' | 'ғ' | 'ҝ' => "g",
        'д' => "d",
        'е' | 'э' => "e",
        'ж' => "zh",
        'з' => "z",
        'и' | 'ы' | 'і' => "i",
        'й' | 'ј' => "y",
        'к' | 'қ' => "k",
        'л' => "l",
        'м' => "m",
        'н' => "n",
        'о' | 'ө' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' | 'ү' => "u",
        'ф' => "f",
        'х' => "kh",
        'һ' => "h",
        'ц' => "ts",
        'ч' | 'ҹ' => "ch",
        'ш' => "sh",
        'щ' => "shch",
        'ъ' | 'ь' => "",
        'ю' => "yu",
        'я' => "ya",
        _ => return None,
    })
}

/// Whether a Latin letter is a vowel, for the skeleton's y rule.
fn vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u')
}

/// Letter groups that transliterations write differently, longest first, each to one symbol
/// (uppercase: [`fold`] leaves none). On a folded key ç is already c and ş already s, so c, ch
/// and j meet, and s and sh. All ASCII, so a group's length in bytes is its length in letters.
const GROUPS: &[(&str, char)] = &[
    ("shch", 'S'),
    ("dzh", 'J'),
    ("tch", 'J'),
    ("dj", 'J'),
    ("zh", 'J'),
    ("ch", 'J'),
    ("c", 'J'),
    ("j", 'J'),
    ("sh", 'S'),
    ("s", 'S'),
    ("kh", 'X'),
    ("x", 'X'),
    ("gh", 'G'),
    ("q", 'G'),
    ("g", 'G'),
    ("w", 'v'),
];

/// The transliteration-blind key of a name (see the module doc): folded, Armenian romanized and
/// Cyrillic transliterated, letter groups of one sound made one symbol (c/j/ch/zh/dzh, s/sh,
/// x/kh, q/g/gh), a/e/ə one vowel, y after a consonant an i, a word-initial y before a vowel
/// dropped (Yerevan, Erevan), doubled letters single, spaces gone.
pub fn skeleton(text: &str) -> String {
    skeleton_of_folded(&fold(text))
}

/// [`skeleton`] of a key [`fold`] already made (folding is idempotent; the gazetteer's index
/// folds each of its sixty thousand names once and makes three keys of it).
pub fn skeleton_of_folded(folded: &str) -> String {
    let armenian = folded
        .chars()
        .any(|c| ('\u{0531}'..='\u{0587}').contains(&c));
    let romanized;
    let source = if armenian {
        romanized = fold(&super::romanize::romanize_armenian(folded));
        romanized.as_str()
    } else {
        folded
    };
    let mut letters: Vec<char> = Vec::with_capacity(source.len() + 4);
    for c in source.chars() {
        match cyrillic(c) {
            Some(l) => letters.extend(l.chars()),
            None => letters.push(c),
        }
    }
    let mut out = String::with_capacity(letters.len());
    let mut last: Option<char> = None;
    let mut i = 0;
    let mut word_start = true;
    while i < letters.len() {
        let c = letters[i];
        if c == ' ' {
            word_start = true;
            i += 1;
            continue;
        }
        let rest = &letters[i..];
        let group = GROUPS
            .iter()
            .find(|(g, _)| g.len() <= rest.len() && g.chars().zip(rest).all(|(g, c)| g == *c));
        let (symbol, len) = match group {
            Some((g, s)) => (*s, g.len()),
            None => match c {
                'e' => ('a', 1),
                'y' if word_start && letters.get(i + 1).is_some_and(|n| vowel(*n)) => {
                    i += 1;
                    word_start = false;
                    continue;
                }
                'y' if last.is_some_and(|p| p.is_ascii_alphabetic() && !vowel(p)) => ('i', 1),
                c => (c, 1),
            },
        };
        if last != Some(symbol) {
            out.push(symbol);
            last = Some(symbol);
        }
        word_start = false;
        i += len;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_names_fold_as_the_general_path_folds_them() {
        // The general path, forced by a non-ASCII character that folds to nothing.
        let general = |text: &str| fold(&format!("{text}\u{301}"));
        for text in [
            "Kalbajar",
            "KELBECER",
            "Yukhari-Shorzha",
            "  Verin   Shorzha ",
            "Nor Kharberd (Ararat)",
            "Ts'aghkunk'",
            "Ma`arif \"quoted\" 12th-km",
            "a.b,c;d/e_f",
            "",
        ] {
            assert_eq!(fold(text), general(text), "{text:?}");
        }
    }

    #[test]
    fn skeletons_meet_across_transliterations() {
        let same = [
            ("Kəlbəcər", "Kalbajar"),
            ("Kalbajar", "Kelbadzhar"),
            ("Kalbajar", "Кельбаджар"),
            ("Yukhary Shorzha", "Yukhari Shorzha"),
            ("Yuxarı Şorca", "Yukhari Shorzha"),
            ("Yellidzhe", "Yellicə"),
            ("Yellija", "Yellicə"),
            ("Aygepar", "Ayqepar"),
            ("Farrukh", "Fərrux"),
            ("Sugovushan", "Suqovuşan"),
            ("Ashaghi Ayrim", "Aşağı Əyrim"),
            ("Alibayramli", "Ali-Bayramly"),
            ("Zarkand", "Zərkənd"),
            ("Shurnukh", "Şurnux"),
            ("Shurnukh", "Shurrnukh"),
            ("Zabukh", "Zabux"),
            ("Talish", "Talış"),
            ("Berk'aber", "Berkaber"),
            ("Yerevan", "Erevan"),
            ("Jermuk", "Cermuk"),
            ("Nerkin Hand", "Ներքին Հանդ"),
            ("Karvachar", "Քարվաճառ"),
            ("Khoznavar", "Xoznavar"),
        ];
        for (a, b) in same {
            assert_eq!(skeleton(a), skeleton(b), "{a} / {b}");
        }
        let apart = [
            ("Sus", "Susa"),
            ("Goris", "Gori"),
            ("Berd", "Berdzor"),
            ("Kut", "Kurt"),
        ];
        for (a, b) in apart {
            assert_ne!(skeleton(a), skeleton(b), "{a} / {b}");
        }
    }

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
