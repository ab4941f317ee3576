//! Armenian names in Latin letters, so an English-language report can use the Armenian naming
//! convention ("Karvachar", "Berdzor", "Shushi") beside the Azerbaijani one. A plain, readable
//! romanization close to BGN/PCGN, without the aspiration apostrophes.

/// Letters that are one Latin spelling wherever they stand.
fn letter(c: char) -> Option<&'static str> {
    Some(match c {
        'ա' => "a",
        'բ' => "b",
        'գ' => "g",
        'դ' => "d",
        'զ' => "z",
        'է' => "e",
        'ը' => "y",
        'թ' => "t",
        'ժ' => "zh",
        'ի' => "i",
        'լ' => "l",
        'խ' => "kh",
        'ծ' => "ts",
        'կ' => "k",
        'հ' => "h",
        'ձ' => "dz",
        'ղ' => "gh",
        'ճ' => "ch",
        'մ' => "m",
        'յ' => "y",
        'ն' => "n",
        'շ' => "sh",
        'չ' => "ch",
        'պ' => "p",
        'ջ' => "j",
        'ռ' => "r",
        'ս' => "s",
        'վ' => "v",
        'տ' => "t",
        'ր' => "r",
        'ց' => "ts",
        'ւ' => "v",
        'փ' => "p",
        'ք' => "k",
        'օ' => "o",
        'ֆ' => "f",
        'և' => "ev",
        _ => return None,
    })
}

/// Romanizes an Armenian name; characters of other scripts pass through.
pub fn romanize_armenian(text: &str) -> String {
    let lower: Vec<char> = text.chars().flat_map(char::to_lowercase).collect();
    let mut out = String::with_capacity(text.len());
    let mut word_start = true;
    let mut i = 0;
    while i < lower.len() {
        let c = lower[i];
        let next = lower.get(i + 1).copied();
        let latin: String = match c {
            'ո' if next == Some('ւ') => {
                i += 1;
                "u".into()
            }
            'ե' if word_start => "ye".into(),
            'ե' => "e".into(),
            'ո' if word_start => "vo".into(),
            'ո' => "o".into(),
            c => letter(c).map_or_else(|| c.to_string(), str::to_owned),
        };
        let capitalise = word_start && latin.chars().next().is_some_and(char::is_alphabetic);
        if capitalise {
            let mut chars = latin.chars();
            if let Some(first) = chars.next() {
                out.extend(first.to_uppercase());
                out.push_str(chars.as_str());
            }
        } else {
            out.push_str(&latin);
        }
        word_start = !c.is_alphabetic();
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::romanize_armenian;

    #[test]
    fn romanizes_the_names_reports_use() {
        let cases = [
            ("Քարվաճառ", "Karvachar"),
            ("Բերձոր", "Berdzor"),
            ("Շուշի", "Shushi"),
            ("Ստեփանակերտ", "Stepanakert"),
            ("Մարտունի", "Martuni"),
            ("Ակնա", "Akna"),
            ("Վարանդա", "Varanda"),
            ("Ջրական", "Jrakan"),
            ("Կովսական", "Kovsakan"),
            ("Վերին Շորժա", "Verin Shorzha"),
            ("Երևան", "Yerevan"),
            ("Գեղարքունիք", "Gegharkunik"),
            ("Հադրութ", "Hadrut"),
        ];
        for (armenian, latin) in cases {
            assert_eq!(romanize_armenian(armenian), latin, "{armenian}");
        }
    }
}
