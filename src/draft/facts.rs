//! What a sentence says happened, as claimed: the kind of event, weapons, losses, retaliation.
//! Each by keywords a reviewer can check against the quote.

use super::words::{number_word, words};

/// The categories of the native format, with the words that give each, strongest first: a mine
/// that killed is a mine incident; fire that killed is a killing only when no fire is named.
const CATEGORIES: &[(&str, &[&str])] = &[
    (
        "mine",
        &[
            "mine",
            "mines",
            "landmine",
            "landmines",
            "explosive device",
            "mine explosion",
        ],
    ),
    (
        "detention",
        &[
            "detained",
            "detain",
            "captured",
            "arrested",
            "taken prisoner",
            "detention",
            "detainees",
        ],
    ),
    (
        "exchange_of_fire",
        &[
            "opened fire",
            "opening fire",
            "opened fired",
            "subjected to fire",
            "shelling",
            "shelled",
            "exchange of fire",
            "fired",
            "fire",
            "shot",
            "shots",
            "sniper",
            "mortar",
            "artillery",
        ],
    ),
    (
        "killing",
        &["killed", "killing", "death", "died", "shot dead"],
    ),
    (
        "incursion",
        &[
            "offensive",
            "incursion",
            "crossed the border",
            "violating the border",
            "advanced",
            "sabotage",
        ],
    ),
    (
        "military_operation",
        &[
            "operation",
            "counter-terrorist",
            "anti-terrorist",
            "war",
            "fought",
            "fighting",
            "hostilities",
            "clashes",
        ],
    ),
    ("armed_attack", &["attack", "attacks", "attacked", "ambush"]),
    (
        "political",
        &[
            "agreement",
            "signed",
            "pact",
            "talks",
            "talked",
            "meeting",
            "meetings",
            "met",
            "dismissed",
            "sacked",
            "discussed",
            "negotiations",
            "summit",
            "statement",
        ],
    ),
];

/// Weapons as claims name them.
const WEAPONS: &[&str] = &[
    "small arms",
    "sniper rifles",
    "sniper rifle",
    "grenade launchers",
    "grenade launcher",
    "mortars",
    "mortar",
    "artillery",
    "machine guns",
    "machine gun",
    "large-caliber",
    "various caliber weapons",
    "drones",
    "drone",
    "howitzers",
    "rocket launchers",
    "tanks",
    "anti-tank",
    "rifles",
    "grenades",
];

fn contains_phrase(lower: &str, phrase: &str) -> bool {
    let mut from = 0;
    while let Some(at) = lower[from..].find(phrase) {
        let start = from + at;
        let end = start + phrase.len();
        // A hyphen joins words: "cease-fire" names no fire.
        let before_ok = !lower[..start].ends_with(|c: char| c.is_alphanumeric() || c == '-');
        let after_ok = !lower[end..].starts_with(|c: char| c.is_alphanumeric() || c == '-');
        if before_ok && after_ok {
            return true;
        }
        from = end;
    }
    false
}

/// The category a sentence's words give, and the word that gave it.
pub fn category(text: &str) -> Option<(&'static str, &'static str)> {
    let lower = text.to_lowercase();
    // A death claimed (not denied: "no one was killed") outranks the fire that caused it.
    if losses(text).killed.is_none_or(|k| k > 0)
        && let Some(k) = ["killed", "killing", "shot dead"]
            .iter()
            .find(|k| contains_phrase(&lower, k))
        && !CATEGORIES[0].1.iter().any(|m| contains_phrase(&lower, m))
    {
        return Some(("killing", k));
    }
    CATEGORIES.iter().find_map(|(category, keys)| {
        keys.iter()
            .find(|k| contains_phrase(&lower, k))
            .map(|k| (*category, *k))
    })
}

/// The weapons a sentence names.
pub fn weapons(text: &str) -> Vec<&'static str> {
    let lower = text.to_lowercase();
    let mut out: Vec<&'static str> = Vec::new();
    for w in WEAPONS {
        if contains_phrase(&lower, w) && !out.iter().any(|o| o.contains(w)) {
            out.push(w);
        }
    }
    out
}

/// Losses as claimed: the numbers a sentence gives for killed, wounded and detained.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct Losses {
    pub killed: Option<u32>,
    pub wounded: Option<u32>,
    pub detained: Option<u32>,
}

impl Losses {
    pub fn is_empty(&self) -> bool {
        self.killed.is_none() && self.wounded.is_none() && self.detained.is_none()
    }
}

/// "No losses", "no casualties or injuries", "no loss of personnel", "Neither country reported
/// fatalities": none killed (and none wounded where injuries are denied too); "two soldiers were
/// killed", "killing four", "115 others … were wounded", "detained six": the numbers.
pub fn losses(text: &str) -> Losses {
    let lower = text.to_lowercase();
    let mut l = Losses::default();
    let none_killed = [
        "no losses",
        "no casualties",
        "no loss of personnel",
        "no fatalities",
        "reported fatalities",
        "no one was killed",
        "no deaths",
        "no dead",
        "there are no losses",
        "without losses",
    ];
    if none_killed.iter().any(|p| contains_phrase(&lower, p)) && !lower.contains(" were killed") {
        l.killed = Some(0);
        if contains_phrase(&lower, "injuries")
            || contains_phrase(&lower, "casualties")
            || contains_phrase(&lower, "no wounded")
        {
            l.wounded = Some(0);
        }
    }
    let ws = words(&lower);
    let count = |i: usize| -> Option<u32> {
        let w = ws.get(i)?;
        w.text
            .replace(',', "")
            .parse()
            .ok()
            .or_else(|| number_word(&w.lower).filter(|n| *n > 1 || w.lower != "a"))
    };
    for (i, w) in ws.iter().enumerate() {
        let slot = match w.lower.as_str() {
            "killed" | "killing" | "died" | "dead" => Some(0),
            "wounded" | "injured" | "hospitalized" | "hospitalised" => Some(1),
            "detained" | "captured" | "arrested" => Some(2),
            _ => None,
        };
        let Some(slot) = slot else { continue };
        // "killing four", "detained six members": the number after.
        let mut n = count(i + 1);
        // "two employees … died", "27 citizens … have been killed": the nearest number before,
        // within the clause.
        if n.is_none() {
            let mut k = i;
            while k > 0 && i - k < 10 {
                k -= 1;
                if lower[ws[k].end..ws[k + 1].start].contains([';', '.']) {
                    break;
                }
                // "including 20 civilians" counts part of the number before it.
                let part = k > 0 && ws[k - 1].lower == "including";
                if !part && let Some(c) = count(k) {
                    n = Some(c);
                    break;
                }
            }
        }
        let Some(n) = n else { continue };
        let field = match slot {
            0 => &mut l.killed,
            1 => &mut l.wounded,
            _ => &mut l.detained,
        };
        if field.is_none() {
            *field = Some(n);
        }
    }
    l
}

/// Whether retaliation is claimed ("fired in retaliation", "took adequate retaliatory
/// measures") or denied ("No retaliatory fire was opened").
pub fn retaliation(text: &str) -> Option<bool> {
    let lower = text.to_lowercase();
    if !lower.contains("retaliat")
        && !lower.contains("return fire")
        && !lower.contains("returned fire")
    {
        return None;
    }
    Some(
        !(lower.contains("no retaliat")
            || lower.contains("not retaliat")
            || lower.contains("without retaliat")),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_by_their_words() {
        assert_eq!(
            category("a mine explosion destroyed a bus; two died").map(|c| c.0),
            Some("mine")
        );
        assert_eq!(
            category("the military detained six members").map(|c| c.0),
            Some("detention")
        );
        assert_eq!(
            category("positions were subjected to fire").map(|c| c.0),
            Some("exchange_of_fire")
        );
        assert_eq!(
            category("a soldier was killed in Lachin").map(|c| c.0),
            Some("killing")
        );
        assert_eq!(
            category("he had dismissed minister Karapetyan").map(|c| c.0),
            Some("political")
        );
        assert_eq!(category("the weather was fine"), None);
        // Whole words only: "firearm" is no fire, "examined" no "mine".
        assert_eq!(category("they examined the case"), None);
        assert_eq!(
            category("the cease-fire was signed").map(|c| c.0),
            Some("political")
        );
        assert_eq!(
            category("a soldier was killed by Armenian fire").map(|c| c.0),
            Some("killing")
        );
        assert_eq!(
            category("fire was opened; no one was killed").map(|c| c.0),
            Some("exchange_of_fire")
        );
    }

    #[test]
    fn weapons_and_retaliation() {
        assert_eq!(
            weapons("used \"sniper rifles, grenade launchers and various caliber weapons\""),
            [
                "sniper rifles",
                "grenade launchers",
                "various caliber weapons"
            ]
        );
        assert_eq!(
            retaliation("Azerbaijani units fired in retaliation"),
            Some(true)
        );
        assert_eq!(retaliation("No retaliatory fire was opened."), Some(false));
        assert_eq!(retaliation("Fire was opened."), None);
    }

    #[test]
    fn losses_as_claimed() {
        assert_eq!(
            losses("No retaliatory fire was opened. There are no losses."),
            Losses {
                killed: Some(0),
                ..Losses::default()
            }
        );
        assert_eq!(
            losses("No casualties or injuries were reported among Azerbaijani forces"),
            Losses {
                killed: Some(0),
                wounded: Some(0),
                ..Losses::default()
            }
        );
        assert_eq!(
            losses(
                "27 Azerbaijani citizens, including 20 civilians, have been killed and 115 others, including 29 civilians, were wounded"
            ),
            Losses {
                killed: Some(27),
                wounded: Some(115),
                ..Losses::default()
            }
        );
        assert_eq!(
            losses("the Azerbaijani military detained six members of two groups"),
            Losses {
                detained: Some(6),
                ..Losses::default()
            }
        );
        assert_eq!(
            losses("two deadly attacks, killing four Azerbaijani servicemen"),
            Losses {
                killed: Some(4),
                ..Losses::default()
            }
        );
    }
}
