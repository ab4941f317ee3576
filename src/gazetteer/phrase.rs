//! Reading the way reports name places: "in the direction of the Lachin region", "Yukhari Shorzha
//! settlement of the Basarkechar region", "Gegharkunik region of the Republic of Armenia",
//! "Martuni, Gegharkunik". A phrase becomes a head name with a kind hint, followed by the names of
//! the places that contain it, most specific first.

use super::fold::fold;

/// What the words around a name say it is.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum KindHint {
    /// "region", "district", "rayon", "marz", "province".
    Area,
    /// "settlement", "village", "town", "city".
    Settlement,
    None,
}

/// One name of a phrase, folded.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Part {
    pub key: String,
    pub hint: KindHint,
}

/// Words that lead up to a name without being part of it (folded, with a trailing space).
const LEADING: &[&str] = &[
    "in the direction of ",
    "in the direction ",
    "direction of ",
    "positions in ",
    "positions of ",
    "eastern direction of ",
    "western direction of ",
    "northern direction of ",
    "southern direction of ",
    "in ",
    "from ",
    "near ",
    "around ",
    "towards ",
    "toward ",
    "at ",
    "of ",
    "the ",
    "territory of ",
];

/// Leading words that say what kind of place follows ("the city of Shusha").
const LEADING_KIND: &[(&str, KindHint)] = &[
    ("city of ", KindHint::Settlement),
    ("town of ", KindHint::Settlement),
    ("village of ", KindHint::Settlement),
    ("settlement of ", KindHint::Settlement),
    ("district of ", KindHint::Area),
    ("border region of ", KindHint::Area),
    ("region of ", KindHint::Area),
    ("province of ", KindHint::Area),
];

/// Trailing words that say what kind of place a name is.
const TRAILING: &[(&str, KindHint)] = &[
    (" region", KindHint::Area),
    (" district", KindHint::Area),
    (" rayon", KindHint::Area),
    (" rayonu", KindHint::Area),
    (" marzi", KindHint::Area),
    (" seheri", KindHint::Settlement),
    (" kendi", KindHint::Settlement),
    (" raion", KindHint::Area),
    (" marz", KindHint::Area),
    (" province", KindHint::Area),
    (" direction", KindHint::None),
    (" area", KindHint::Area),
    (" settlement", KindHint::Settlement),
    (" village", KindHint::Settlement),
    (" town", KindHint::Settlement),
    (" city", KindHint::Settlement),
];

/// Official long forms that contain "of" and would otherwise be split.
const LONG_FORMS: &[(&str, &str)] = &[
    ("republic of armenia", "armenia"),
    ("republic of azerbaijan", "azerbaijan"),
];

/// Strips the leading words of a folded phrase.
pub fn strip_leading(mut key: &str) -> &str {
    loop {
        let before = key;
        for lead in LEADING {
            if let Some(rest) = key.strip_prefix(lead)
                && !rest.is_empty()
            {
                key = rest;
            }
        }
        if key == before {
            return key;
        }
    }
}

/// Splits a folded name into the name and the kind its trailing word gives.
pub fn strip_trailing(key: &str) -> (&str, KindHint) {
    for (word, hint) in TRAILING {
        if let Some(rest) = key.strip_suffix(word)
            && !rest.is_empty()
        {
            return (rest, *hint);
        }
    }
    (key, KindHint::None)
}

/// The whole phrase as one name (leading words stripped): tried first, since some names contain
/// "of" themselves.
pub fn whole(text: &str) -> String {
    strip_leading(&fold(text)).to_owned()
}

/// Splits a phrase into its head and the places that contain it.
pub fn parts(text: &str) -> Vec<Part> {
    text.split(',')
        .flat_map(|piece| {
            let mut folded = strip_leading(&fold(piece)).to_owned();
            let mut leading_hint = KindHint::None;
            for (lead, hint) in LEADING_KIND {
                if let Some(rest) = folded.strip_prefix(lead).filter(|r| !r.is_empty()) {
                    folded = strip_leading(rest).to_owned();
                    leading_hint = *hint;
                    break;
                }
            }
            for (long, short) in LONG_FORMS {
                folded = folded.replace(long, short);
            }
            folded
                .split(" of ")
                .enumerate()
                .map(|(i, p)| {
                    let (name, hint) = strip_trailing(strip_leading(p.trim()));
                    let hint = if i == 0 && hint == KindHint::None {
                        leading_hint
                    } else {
                        hint
                    };
                    Part {
                        key: strip_leading(name).to_owned(),
                        hint,
                    }
                })
                .filter(|p| !p.key.is_empty())
                .collect::<Vec<_>>()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(text: &str) -> Vec<(String, KindHint)> {
        parts(text).into_iter().map(|p| (p.key, p.hint)).collect()
    }

    #[test]
    fn reads_report_phrasings() {
        use KindHint::*;
        assert_eq!(keys("the Kalbajar region"), [("kalbajar".into(), Area)]);
        assert_eq!(
            keys("in the direction of the Lachin region"),
            [("lachin".into(), Area)]
        );
        assert_eq!(
            keys("Yukhari Shorzha settlement of the Basarkechar region"),
            [
                ("yukhari shorzha".into(), Settlement),
                ("basarkechar".into(), Area)
            ]
        );
        assert_eq!(
            keys("Gegharkunik region of the Republic of Armenia"),
            [("gegharkunik".into(), Area), ("armenia".into(), None)]
        );
        assert_eq!(
            keys("Martuni, Gegharkunik"),
            [("martuni".into(), None), ("gegharkunik".into(), None)]
        );
        assert_eq!(keys("Kalbajar direction"), [("kalbajar".into(), None)]);
        assert_eq!(
            keys("direction of the Gorus region"),
            [("gorus".into(), Area)]
        );
        assert_eq!(keys("border region of Lachin"), [("lachin".into(), Area)]);
        assert_eq!(keys("the city of Shusha"), [("shusha".into(), Settlement)]);
        assert_eq!(whole("the territory of Azerbaijan"), "azerbaijan");
        assert_eq!(whole("in the Kalbajar region"), "kalbajar region");
    }
}
