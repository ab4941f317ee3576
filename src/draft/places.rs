//! Places a sentence names, each through the gazetteer, split into where fire came from and where
//! it went. A place is a run of capitalised words the gazetteer knows by name (never by its fuzzy
//! last resort), with the kind words and context reports wrap it in ("the Yukhari Shorzha
//! settlement of the Basarkechar region", "the city of Shusha"); lists share their kind word
//! ("the Kalbajar and Gadabay regions", "the settlements of Zeylik and Yellija"). Countries count
//! only as "the territory of X".
//!
//! The role comes from the nearest cue before the place within its clause: "from", and "by" a
//! unit ("by members of a detachment in X"), are the origin; "on", "at", "towards", "against",
//! "stationed", "located" the target. With no cue, a place in the subject of a firing verb ("units
//! in X opened fire") is the origin; anything else is where the incident happened, a target.

use super::words::{Word, is_possessive, words};
use crate::gazetteer::{Gazetteer, PlaceKind, fold};

/// Where a place stands in a claim.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum Role {
    Origin,
    Target,
}

/// A place named in a sentence.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Named {
    /// The phrase the gazetteer resolves ("Yukhari Shorzha settlement of the Basarkechar region").
    pub phrase: String,
    pub role: Role,
    /// Why the role: "'from' before it", "subject of 'opened fire'", "no cue: where it happened".
    pub cue: String,
    /// Byte span in the sentence.
    pub start: usize,
    pub end: usize,
}

const KIND_WORDS: &[&str] = &[
    "region",
    "regions",
    "district",
    "districts",
    "settlement",
    "settlements",
    "village",
    "villages",
    "city",
    "cities",
    "town",
    "towns",
    "marz",
    "province",
    "rayon",
    "direction",
    "directions",
    "area",
];

const ORIGIN_CUES: &[&str] = &["from"];
const TARGET_CUES: &[&str] = &[
    "on",
    "at",
    "towards",
    "toward",
    "against",
    "stationed",
    "located",
    "into",
    "targeting",
    "targeted",
    "shelled",
    "hit",
    "attacked",
];
/// Words that make "by …" the shooter: "by members of a detachment in X".
const UNIT_WORDS: &[&str] = &[
    "members",
    "units",
    "forces",
    "troops",
    "detachment",
    "servicemen",
    "soldiers",
    "group",
    "groups",
    "positions",
    "army",
    "military",
];
/// Capital cities, which reports use for their governments.
const CAPITALS: &[&str] = &[
    "baku",
    "yerevan",
    "moscow",
    "ankara",
    "paris",
    "washington",
    "tehran",
    "stepanakert",
    "khankendi",
];
fn is_auxiliary(word: &str) -> bool {
    matches!(
        word,
        "were" | "was" | "been" | "being" | "are" | "is" | "be"
    )
}

const FIRING_VERBS: &[&str] = &[
    "opened",
    "fired",
    "shelled",
    "attacked",
    "targeted",
    "launched",
    "shot",
    "subjected",
];

/// Capitalised English words that begin sentences and are also some village's name: such a
/// word is a place only with a kind word ("Among village").
fn common_word(lower: &str) -> bool {
    matches!(
        lower,
        "the"
            | "a"
            | "an"
            | "among"
            | "starting"
            | "during"
            | "after"
            | "before"
            | "since"
            | "in"
            | "on"
            | "at"
            | "two"
            | "one"
            | "new"
            | "most"
            | "however"
            | "meanwhile"
            | "according"
            | "prior"
            | "when"
            | "while"
            | "relations"
            | "president"
            | "prime"
            | "minister"
            | "army"
            | "forces"
            | "units"
            | "ministry"
            | "defense"
            | "defence"
            | "security"
            | "council"
            | "state"
            | "service"
            | "group"
            | "foreign"
            | "armed"
            | "military"
            | "south"
            | "north"
            | "east"
            | "west"
            | "central"
            | "great"
            | "return"
            | "union"
            | "republic"
            | "turkish"
            | "russian"
            | "soviet"
            | "french"
            | "azeri"
            | "azerbaijani"
            | "armenian"
            | "photo"
            | "home"
            | "it"
            | "he"
            | "they"
            | "we"
            | "this"
            | "that"
            | "these"
            | "there"
            | "neither"
            | "both"
            | "another"
            | "residents"
            | "speaking"
            | "commenting"
            | "first"
            | "our"
            | "its"
            | "his"
            | "no"
            | "minsk"
            | "nov"
            | "sept"
            | "jan"
            | "feb"
            | "dec"
            | "oct"
            | "aug"
            | "date"
            | "karabakh conflict"
    )
}

fn is_name_word(w: &Word) -> bool {
    w.capitalised() && !w.text.chars().all(|c| c.is_ascii_digit())
}

/// The places of a sentence. `skip` spans (the speaker's words) are left out.
pub fn find(gazetteer: &Gazetteer, text: &str, skip: &[(usize, usize)]) -> Vec<Named> {
    let ws = words(text);
    let mut found: Vec<Named> = Vec::new();
    // Runs of capitalised words; a hyphen joins ("Nagorno-Karabakh").
    let mut runs: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < ws.len() {
        if !is_name_word(&ws[i])
            || skip
                .iter()
                .any(|&(s, e)| ws[i].start >= s && ws[i].start < e)
        {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < ws.len()
            && is_name_word(&ws[j])
            && matches!(&text[ws[j - 1].end..ws[j].start], " " | "-" | "–")
        {
            j += 1;
        }
        runs.push((i, j));
        i = j;
    }
    // Within each run, the longest known names, left to right.
    let mut heads: Vec<(usize, usize)> = Vec::new();
    for (s, e) in runs {
        // Names that end in a lower-case word: "the Armenia-Azerbaijan border".
        if ws.get(e).is_some_and(|w| w.lower == "border")
            && gazetteer.knows_name(&text[ws[s].start..ws[e].end])
        {
            heads.push((s, e + 1));
            continue;
        }
        let mut a = s;
        while a < e {
            let mut matched = None;
            for b in (a + 1..=e).rev() {
                let name = &text[ws[a].start..ws[b - 1].end];
                let key = fold(name);
                let single_common = b == a + 1 && common_word(&key);
                if single_common
                    || b == a + 1 && possessive_next(text, &ws, a) && !gazetteer.knows_name(name)
                {
                    continue;
                }
                if gazetteer.knows_name(name) {
                    matched = Some(b);
                    break;
                }
            }
            match matched {
                Some(b) => {
                    heads.push((a, b));
                    a = b;
                }
                None => a += 1,
            }
        }
    }
    // Group heads into lists: "Basarkechar, Garakilsa and Gorus".
    let mut groups: Vec<Vec<(usize, usize)>> = Vec::new();
    for h in heads {
        if let Some(last) = groups.last_mut()
            && let Some(&(_, prev_end)) = last.last()
            && list_gap(text, &ws, prev_end, h.0)
        {
            last.push(h);
            continue;
        }
        groups.push(vec![h]);
    }
    // Where the last phrase ended: a context ("of the Basarkechar region") is not a place again.
    let mut consumed = 0;
    for group in groups {
        let (first, _) = group[0];
        if ws[first].start < consumed {
            continue;
        }
        let (_, last_end) = *group.last().unwrap_or(&group[0]);
        // A kind word after the list: "regions".
        let kind_after = ws
            .get(last_end)
            .filter(|w| KIND_WORDS.contains(&w.lower.as_str()))
            .map(|w| singular(&w.lower));
        // A kind before it: "the city of", "the settlements of".
        let kind_before = (first >= 2
            && ws[first - 1].lower == "of"
            && KIND_WORDS.contains(&ws[first - 2].lower.as_str()))
        .then(|| (singular(&ws[first - 2].lower), first - 2));
        let role_from = kind_before.map_or(first, |(_, k)| k);
        let (role, cue) = role_of(text, &ws, role_from, last_end);
        let single = group.len() == 1;
        for (n, &(a, b)) in group.iter().enumerate() {
            let head = &text[ws[a].start..ws[b - 1].end];
            let kind = place_kind_of(gazetteer, head);
            // A capital stands for its state ("Baku took over", "between Baku and Yerevan")
            // unless a preposition puts something there ("in Paris", "near Yerevan").
            let located = a >= 1
                && matches!(
                    ws[a - 1].lower.as_str(),
                    "in" | "near" | "at" | "to" | "from" | "of" | "around" | "outside"
                );
            if CAPITALS.contains(&fold(head).as_str()) && !located {
                continue;
            }
            // Countries only as "territory of X".
            if kind == Some(PlaceKind::Country)
                && !(a >= 2 && ws[a - 1].lower == "of" && ws[a - 2].lower == "territory")
            {
                continue;
            }
            let (mut phrase, mut start, mut end) = (head.to_owned(), ws[a].start, ws[b - 1].end);
            // "Kalbajar’s villages": a place's own villages or roads are its district's.
            let district = format!("{head} district");
            if possessive_next(text, &ws, b - 1)
                && place_kind_of(gazetteer, &district) == Some(PlaceKind::District)
            {
                phrase = district;
            }
            if single {
                // The words as written: "Yukhari Shorzha settlement of the Basarkechar region".
                let mut last = b;
                if kind_after.is_some() {
                    last = b + 1;
                    // "… of the Basarkechar region", "… of the Republic of Armenia".
                    if let Some(context_end) = context_after(gazetteer, text, &ws, last) {
                        last = context_end;
                    }
                }
                let mut first_word = a;
                if let Some((_, k)) = kind_before {
                    first_word = k;
                }
                if first_word >= 2
                    && ws[first_word - 1].lower == "of"
                    && ws[first_word - 2].lower == "territory"
                {
                    first_word -= 2;
                }
                start = ws[first_word].start;
                end = ws[last - 1].end;
                if !(possessive_next(text, &ws, b - 1) && phrase.ends_with(" district")) {
                    phrase = text[start..end].to_owned();
                }
                // "the territory of Azerbaijan, where the Russian peacekeepers are temporarily
                // deployed": a longer name the gazetteer holds whole.
                if let Some(clause) = text[end..].strip_prefix(", where ") {
                    let clause_end = clause
                        .find(['"', '”', ',', '.', ';'])
                        .unwrap_or(clause.len());
                    let longer = format!("{phrase}, where {}", &clause[..clause_end]);
                    if gazetteer.knows_name(&longer) {
                        end += 8 + clause_end;
                        phrase = longer;
                    }
                }
            } else {
                let kind = kind_after.or(kind_before.map(|(k, _)| k));
                if let Some(kind) = kind {
                    phrase = match kind_before {
                        Some(_) => format!("{kind} of {head}"),
                        None => format!("{head} {kind}"),
                    };
                }
            }
            let _ = n;
            consumed = consumed.max(end);
            found.push(Named {
                phrase,
                role,
                cue: cue.clone(),
                start,
                end,
            });
        }
    }
    found
}

fn possessive_next(text: &str, ws: &[Word], a: usize) -> bool {
    is_possessive(text, ws, a + 1)
}

fn place_kind_of(gazetteer: &Gazetteer, name: &str) -> Option<PlaceKind> {
    gazetteer
        .resolve(name)
        .best()
        .map(|id| gazetteer.place(id).kind)
}

fn singular(kind: &str) -> &'static str {
    KIND_WORDS
        .iter()
        .find(|k| kind.starts_with(*k) && (kind.len() == k.len() || kind.len() == k.len() + 1))
        .map(|k| match *k {
            "regions" => "region",
            "districts" => "district",
            "settlements" => "settlement",
            "villages" => "village",
            "cities" => "city",
            "towns" => "town",
            "directions" => "direction",
            k => k,
        })
        .unwrap_or("region")
}

/// Between two names of one list: ", " or " and " or ", and ".
fn list_gap(text: &str, ws: &[Word], prev_end: usize, next: usize) -> bool {
    let gap = &text[ws[prev_end - 1].end..ws[next].start];
    let gap = gap.trim();
    matches!(gap, "," | "and" | ", and" | "or" | "&")
}

/// "of the Basarkechar region" after a kind word: where the context ends.
fn context_after(gazetteer: &Gazetteer, text: &str, ws: &[Word], at: usize) -> Option<usize> {
    let mut k = at;
    if ws.get(k)?.lower != "of" {
        return None;
    }
    k += 1;
    if ws.get(k).is_some_and(|w| w.lower == "the") {
        k += 1;
    }
    if ws.get(k).is_some_and(|w| w.lower == "republic")
        && ws.get(k + 1).is_some_and(|w| w.lower == "of")
    {
        return ws
            .get(k + 2)
            .filter(|w| gazetteer.knows_name(w.text))
            .map(|_| k + 3);
    }
    let start = k;
    while ws.get(k).is_some_and(is_name_word) {
        k += 1;
    }
    if k == start || !gazetteer.knows_name(&text[ws[start].start..ws[k - 1].end]) {
        return None;
    }
    if ws
        .get(k)
        .is_some_and(|w| KIND_WORDS.contains(&w.lower.as_str()))
    {
        k += 1;
    }
    Some(k)
}

/// The role of a place starting at word `at` (its list ending at `end`), and why.
fn role_of(text: &str, ws: &[Word], at: usize, end: usize) -> (Role, String) {
    // The subject of an active firing verb later in its clause is where fire came from: "units
    // in X opened fire", "units stationed in the direction of X subjected to fire the positions"
    // (not "positions in X were subjected to fire").
    let mut k = end;
    while k < ws.len() && k < end + 8 {
        let gap = &text[ws[k - 1].end..ws[k].start];
        if gap.contains([',', ';', ':']) {
            break;
        }
        // "were (periodically) subjected": the auxiliary before the verb, past its adverbs.
        let mut b = k - 1;
        while b > 0
            && matches!(
                ws[b].lower.as_str(),
                "periodically" | "repeatedly" | "also" | "again" | "intensively"
            )
        {
            b -= 1;
        }
        let passive = is_auxiliary(&ws[b].lower);
        if FIRING_VERBS.contains(&ws[k].lower.as_str()) && !passive {
            return (Role::Origin, format!("in the subject of '{}'", ws[k].text));
        }
        k += 1;
    }
    let mut k = at;
    let mut seen_unit = false;
    let mut steps = 0;
    while k > 0 && steps < 14 {
        let gap = &text[ws[k - 1].end..ws[k].start];
        if gap.contains([',', ';', ':', '(']) && !gap.contains('-') {
            break;
        }
        k -= 1;
        steps += 1;
        let w = ws[k].lower.as_str();
        if UNIT_WORDS.contains(&w) {
            seen_unit = true;
        }
        // "in the direction of X" aims at X, unless fire came "from (positions in) the direction".
        if w == "direction" || w == "directions" {
            let from =
                (k.saturating_sub(4)..k).any(|b| ORIGIN_CUES.contains(&ws[b].lower.as_str()));
            return if from {
                (Role::Origin, "'from … the direction of' before it".into())
            } else {
                (Role::Target, "'the direction of' before it".into())
            };
        }
        if ORIGIN_CUES.contains(&w) {
            return (Role::Origin, format!("'{}' before it", ws[k].text));
        }
        if w == "by" && seen_unit {
            return (
                Role::Origin,
                "'by' a unit in it: the shooter's position".into(),
            );
        }
        if TARGET_CUES.contains(&w) {
            return (Role::Target, format!("'{}' before it", ws[k].text));
        }
    }
    (Role::Target, "no cue: where the incident happened".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn places(text: &str) -> Vec<(String, Role)> {
        find(Gazetteer::embedded(), text, &[])
            .into_iter()
            .map(|n| (n.phrase, n.role))
            .collect()
    }

    use Role::*;

    #[test]
    fn passive_fire_from_and_stationed_in() {
        assert_eq!(
            places(
                "the positions of the Azerbaijan Army stationed in the Kalbajar and Gadabay regions were subjected to fire from the enemy positions in the Gegharkunik region of the Republic of Armenia by the use of small arms"
            ),
            [
                ("Kalbajar region".into(), Target),
                ("Gadabay region".into(), Target),
                (
                    "Gegharkunik region of the Republic of Armenia".into(),
                    Origin
                )
            ]
        );
    }

    #[test]
    fn the_subject_of_a_firing_verb_is_the_origin() {
        assert_eq!(
            places(
                "the Armenian armed forces units in the Yukhari Shorzha settlement of the Basarkechar region opened fired periodically at the Azerbaijan army positions in the Zeylik settlement of the Kalbajar region"
            ),
            [
                (
                    "Yukhari Shorzha settlement of the Basarkechar region".into(),
                    Origin
                ),
                ("Zeylik settlement of the Kalbajar region".into(), Target)
            ]
        );
    }

    #[test]
    fn lists_share_their_kind_and_cue() {
        assert_eq!(
            places(
                "opened fire \"from positions in the direction of the Basarkechar, Garakilsa and Gorus regions\" on units \"stationed in the direction of the Kalbajar and Lachin regions\""
            ),
            [
                ("Basarkechar region".into(), Origin),
                ("Garakilsa region".into(), Origin),
                ("Gorus region".into(), Origin),
                ("Kalbajar region".into(), Target),
                ("Lachin region".into(), Target)
            ]
        );
        assert_eq!(
            places("shells fell on the settlements of Zeylik and Yellija"),
            [
                ("settlement of Zeylik".into(), Target),
                ("settlement of Yellija".into(), Target)
            ]
        );
    }

    #[test]
    fn the_subject_of_subjected_to_fire_is_the_origin_unless_passive() {
        assert_eq!(
            places(
                "units of the Armenian armed forces stationed in the direction of the Basarkechar region subjected to fire the positions of the Azerbaijan Army units stationed in the direction of the Kalbajar region"
            ),
            [
                ("Basarkechar region".into(), Origin),
                ("Kalbajar region".into(), Target)
            ]
        );
        assert_eq!(
            places(
                "the positions stationed in the Kalbajar region were periodically subjected to fire"
            ),
            [("Kalbajar region".into(), Target)]
        );
        assert_eq!(
            places("positions near Sotk were fired upon"),
            [("Sotk".into(), Target)]
        );
    }

    #[test]
    fn by_a_unit_in_a_place_is_the_shooter() {
        let found = places(
            "fire opened on the positions, stationed in the direction of the Fuzuli region, by members of an illegal Armenian armed detachment in the territory of Azerbaijan, where the Russian peacekeepers are temporarily deployed",
        );
        assert_eq!(found[0], ("Fuzuli region".into(), Target));
        assert_eq!(found[1].1, Origin);
        assert!(
            found[1].0.starts_with("territory of Azerbaijan"),
            "{found:?}"
        );
        // "by fire" is no unit: Lachin is where it happened.
        assert_eq!(
            places(
                "a soldier was killed by Armenian fire last week in the border region of Lachin"
            ),
            [("region of Lachin".into(), Target)]
        );
    }

    #[test]
    fn a_place_in_the_possessive_is_its_district_and_borders_are_names() {
        assert_eq!(
            places("a bus carrying officials to one of Kalbajar’s villages."),
            [("Kalbajar district".into(), Target)]
        );
        assert_eq!(
            places("an offensive in the eastern direction of the Armenia-Azerbaijan border"),
            [("Armenia-Azerbaijan border".into(), Target)]
        );
    }

    #[test]
    fn countries_only_as_territory_and_common_words_are_not_villages() {
        assert_eq!(
            places("Azerbaijan's Defense Ministry said Armenia fired."),
            []
        );
        assert_eq!(
            places("forces were in the sovereign territory of Azerbaijan"),
            [("territory of Azerbaijan".into(), Target)]
        );
        assert_eq!(
            places("Among them was the city of Shusha"),
            [("city of Shusha".into(), Target)]
        );
        assert_eq!(
            places("the district of Kalbajar, which Baku took over"),
            [("district of Kalbajar".into(), Target)]
        );
        assert_eq!(
            places("ministers met in Paris on Wednesday"),
            [("Paris".into(), Target)]
        );
    }
}
