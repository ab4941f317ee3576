//! Who says what: the speaker of a sentence from its speech verb ("X said", "X told News.Az",
//! "according to X", "X quoted Y as saying", "the ministry stressed"), resolved to a claimant of
//! the registry with its side. "The ministry" is the last ministry named, "it", "he" and "the
//! statement" the last speaker, a surname the person named before; a country alone ("Azerbaijan
//! said", "the Armenian side") is that side as reported. A party speaking outranks the outlet
//! that relays it ("Pashinian accused …, the Interfax news agency reported").

use super::words::{Word, is_possessive, words};
use crate::gazetteer::fold;
use crate::model::registry::{RegisteredClaimant, Registry};

/// Speech verbs: the subject before them is the speaker.
const SPEECH_VERBS: &[&str] = &[
    "said",
    "says",
    "say",
    "stated",
    "states",
    "reported",
    "reports",
    "claimed",
    "claims",
    "told",
    "tells",
    "stressed",
    "stresses",
    "noted",
    "notes",
    "added",
    "adds",
    "announced",
    "announces",
    "accused",
    "accuses",
    "declared",
    "declares",
    "described",
    "describes",
    "informed",
    "warned",
    "warns",
    "insisted",
    "alleged",
    "alleges",
    "confirmed",
    "confirms",
    "denied",
    "denies",
    "reiterated",
    "emphasized",
    "emphasised",
    "underlined",
    "wrote",
    "writes",
    "tweeted",
    "posted",
    "blamed",
    "blames",
    "condemned",
    "condemns",
    "disclosed",
    "specified",
];

/// Words between a subject and its verb that are not part of the subject ("Azerbaijan on Monday
/// said", "the ministry also said").
const SKIPPED_BEFORE_VERB: &[&str] = &[
    "also",
    "on",
    "has",
    "have",
    "had",
    "further",
    "again",
    "earlier",
    "later",
    "previously",
    "then",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "today",
    "yesterday",
    "officially",
    "separately",
    "late",
    "night",
    "evening",
    "morning",
];

/// Lower-case words a speaker's name may contain.
const NAME_WORDS: &[&str] = &[
    "the",
    "of",
    "s",
    "defense",
    "defence",
    "ministry",
    "minister",
    "side",
    "authorities",
    "statement",
    "army",
    "forces",
    "news",
    "agency",
    "service",
    "council",
    "office",
    "president",
    "prime",
    "foreign",
    "security",
    "press",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "military",
    "government",
    "officials",
    "troops",
    "by",
    "from",
    "a",
    "an",
    "and",
    "its",
    "his",
    "her",
    "their",
    "national",
    "state",
    "border",
    "affairs",
    "internal",
    "general",
    "staff",
    "secretary",
    "information",
    "center",
    "centre",
    "headquarters",
    "deputy",
    "representative",
    "ombudsman",
    "defender",
    "human",
    "rights",
    "committee",
    "investigative",
    "prosecutor",
    "service's",
    "de",
    "facto",
    "for",
    "europe",
    "republic",
    "s",
    "mission",
];

/// The capital cities reports speak for their states with.
const CAPITALS: &[(&str, &str)] = &[
    ("baku", "Azerbaijan"),
    ("yerevan", "Armenia"),
    ("moscow", "Russia"),
    ("ankara", "Turkey"),
    ("paris", "France"),
    ("washington", "United States"),
    ("tehran", "Iran"),
    ("stepanakert", "Artsakh"),
    ("khankendi", "Artsakh"),
];

/// Countries and their adjectives, for "Armenia's Security Council" = "Armenian Security
/// Council" = "Security Council of Armenia".
const ADJECTIVES: &[(&str, &str)] = &[
    ("azerbaijan", "azerbaijani"),
    ("armenia", "armenian"),
    ("russia", "russian"),
    ("turkey", "turkish"),
    ("turkiye", "turkish"),
    ("france", "french"),
    ("iran", "iranian"),
    ("artsakh", "artsakh"),
];

/// The sides a country word stands for when nothing more specific speaks ("Azerbaijan said",
/// "the Armenian side stated").
const COUNTRY_SIDES: &[(&str, &str)] = &[
    ("azerbaijan", "az-side"),
    ("azerbaijani", "az-side"),
    ("azeri", "az-side"),
    ("armenia", "am-side"),
    ("armenian", "am-side"),
];

/// A claimant the drafter names that the registry does not hold.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub struct LocalClaimant {
    pub id: &'static str,
    pub name: &'static str,
    pub side: &'static str,
    pub kind: &'static str,
}

/// Speakers the registry has no entry for: a country speaking as itself, and the report's own
/// narration. The ids are those the reference dataset uses.
pub const LOCAL_CLAIMANTS: &[LocalClaimant] = &[
    LocalClaimant {
        id: "az-side",
        name: "The Azerbaijani side (as reported)",
        side: "az",
        kind: "government",
    },
    LocalClaimant {
        id: "am-side",
        name: "The Armenian side (as reported)",
        side: "am",
        kind: "government",
    },
    LocalClaimant {
        id: "report-narration",
        name: "Report narration (unattributed)",
        side: "press",
        kind: "media",
    },
];

/// A resolved speaker.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Speaker {
    /// The claimant's id: the registry's, or one of [`LOCAL_CLAIMANTS`].
    pub id: String,
    /// The side's id.
    pub side: String,
    /// The words of the report that name it.
    pub words: String,
    /// Which rule found it, for the reviewer.
    pub rule: String,
    /// A relaying outlet named beside it ("the Interfax news agency reported").
    pub relayed_by: Option<String>,
    /// Byte span of the attribution in the sentence (subject to verb), left out of place search.
    pub span: (usize, usize),
}

/// What the speakers named so far make of "the ministry", "it" and surnames.
#[derive(Default, Debug)]
pub struct Memory {
    last: Option<Speaker>,
    last_ministry: Vec<Speaker>,
    surnames: Vec<(String, Speaker)>,
}

impl Memory {
    fn remember(&mut self, registry: &Registry, speaker: &Speaker) {
        self.last = Some(speaker.clone());
        if registry
            .by_id(&speaker.id)
            .is_some_and(|c| c.kind == "ministry")
        {
            self.last_ministry.push(speaker.clone());
        }
        // The capitalised words of a person's name: "Erdoğan", "Pashinian".
        if registry
            .by_id(&speaker.id)
            .is_some_and(|c| matches!(c.kind.as_str(), "head_of_state" | "government"))
        {
            for w in words(&speaker.words) {
                let key = fold(w.text);
                if w.capitalised()
                    && w.text.len() > 3
                    && !NAME_WORDS.contains(&key.as_str())
                    && !ADJECTIVES.iter().any(|(c, a)| *c == key || *a == key)
                {
                    self.surnames.push((key, speaker.clone()));
                }
            }
        }
    }
}

fn is_media(claimant: &RegisteredClaimant) -> bool {
    matches!(claimant.kind.as_str(), "media" | "state_media")
}

/// Spans of the quotations of a sentence (without their marks).
pub fn quotations(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut open: Option<usize> = None;
    for (i, c) in text.char_indices() {
        match (c, open) {
            ('“' | '«', _) => open = Some(i + c.len_utf8()),
            ('"', None) => open = Some(i + 1),
            ('"' | '”' | '»', Some(s)) => {
                out.push((s, i));
                open = None;
            }
            _ => {}
        }
    }
    out
}

fn inside(spans: &[(usize, usize)], at: usize) -> bool {
    spans.iter().any(|&(s, e)| at >= s && at < e)
}

/// Candidate names a subject's words may be registered under: as written, without a leading
/// article, possessives turned round ("Azerbaijan's Defense Ministry" → "Defense Ministry of
/// Azerbaijan", "Azerbaijani Defense Ministry"), capitals for their states ("Yerevan's defense
/// ministry" → "Armenia defense ministry").
fn variants(subject: &str) -> Vec<String> {
    let mut base: Vec<String> = Vec::new();
    let ws = words(subject);
    let mut plain: Vec<String> = Vec::new();
    for (i, w) in ws.iter().enumerate() {
        if is_possessive(subject, &ws, i) {
            continue;
        }
        let key = fold(w.text);
        match CAPITALS.iter().find(|(c, _)| *c == key) {
            Some((_, country)) => plain.push((*country).to_owned()),
            None => plain.push(w.text.to_owned()),
        }
    }
    while plain
        .first()
        .is_some_and(|w| matches!(w.to_lowercase().as_str(), "the" | "a" | "an"))
    {
        plain.remove(0);
    }
    // Every run of the words, longest first: "Armenian Prime Minister Nikol Pashinian" holds
    // "Nikol Pashinian".
    let n = plain.len();
    for len in (1..=n).rev() {
        for start in 0..=n - len {
            base.push(plain[start..start + len].join(" "));
        }
    }
    let mut out = Vec::new();
    for b in base {
        out.push(b.clone());
        let bw: Vec<&str> = b.split(' ').collect();
        if let Some(first) = bw.first() {
            let key = fold(first);
            if let Some((country, adjective)) = ADJECTIVES.iter().find(|(c, _)| *c == key) {
                let rest = bw[1..].join(" ");
                if !rest.is_empty() {
                    out.push(format!("{adjective} {rest}"));
                    out.push(format!("{rest} of {country}"));
                }
            }
        }
    }
    out
}

/// A claimant for the words of a subject.
fn resolve_subject(
    registry: &Registry,
    memory: &Memory,
    subject: &str,
) -> Option<(String, String, String)> {
    let key = fold(subject);
    let ws: Vec<&str> = key.split(' ').filter(|w| !w.is_empty()).collect();
    let side_of = |id: &str| -> String {
        registry
            .by_id(id)
            .map(|c| c.side.clone())
            .or_else(|| {
                LOCAL_CLAIMANTS
                    .iter()
                    .find(|l| l.id == id)
                    .map(|l| l.side.to_owned())
            })
            .unwrap_or_default()
    };
    // Two parties at once ("Armenia and Azerbaijan accused each other") are no one speaker.
    let countries: Vec<&str> = ws
        .iter()
        .filter_map(|w| COUNTRY_SIDES.iter().find(|(c, _)| c == w).map(|(_, s)| *s))
        .collect();
    if countries.windows(2).any(|p| p[0] != p[1]) {
        return None;
    }
    if matches!(ws.as_slice(), ["it"] | ["he"] | ["she"] | ["they"])
        || ws.contains(&"statement")
            && !ws
                .iter()
                .any(|w| *w == "ministry" || *w == "by" || *w == "from")
    {
        let last = memory.last.as_ref()?;
        return Some((
            last.id.clone(),
            side_of(&last.id),
            "a pronoun or 'the statement': the last speaker".into(),
        ));
    }
    for name in variants(subject) {
        if let Some(c) = registry.find(&name) {
            return Some((
                c.id.clone(),
                c.side.clone(),
                format!("the registry knows '{name}'"),
            ));
        }
    }
    if let Some(&w) = ws
        .iter()
        .rev()
        .find(|w| memory.surnames.iter().any(|(s, _)| s == *w))
    {
        let (_, speaker) = memory.surnames.iter().rev().find(|(s, _)| s == w)?;
        return Some((
            speaker.id.clone(),
            side_of(&speaker.id),
            format!("'{w}' was named before as {}", speaker.words),
        ));
    }
    if ws.contains(&"ministry") {
        let side = countries
            .first()
            .map(|s| if *s == "az-side" { "az" } else { "am" });
        let m = memory
            .last_ministry
            .iter()
            .rev()
            .find(|m| side.is_none_or(|s| m.side == s))?;
        return Some((
            m.id.clone(),
            m.side.clone(),
            format!("'the ministry': the last ministry named, {}", m.words),
        ));
    }
    // A country, its capital or "the … side" alone.
    let content: Vec<&&str> = ws
        .iter()
        .filter(|w| {
            !matches!(
                **w,
                "the"
                    | "side"
                    | "officials"
                    | "authorities"
                    | "government"
                    | "s"
                    | "baku"
                    | "yerevan"
            )
        })
        .collect();
    let capital = ws.iter().find_map(|w| match *w {
        "baku" => Some("az-side"),
        "yerevan" => Some("am-side"),
        _ => None,
    });
    let side_id = capital.or_else(|| countries.first().copied());
    if let Some(id) = side_id
        && content
            .iter()
            .all(|w| COUNTRY_SIDES.iter().any(|(c, _)| *c == **w))
    {
        return Some((
            id.to_owned(),
            side_of(id),
            "a country speaking as itself".into(),
        ));
    }
    None
}

/// The subject words before a speech verb: capitalised words and the few lower-case words names
/// contain, stopped by punctuation.
fn subject_before(text: &str, ws: &[Word], verb: usize) -> Option<(usize, usize)> {
    let mut end = verb;
    while end > 0
        && SKIPPED_BEFORE_VERB.contains(&ws[end - 1].lower.as_str())
        && !ws[end - 1].capitalised()
        || end > 0
            && [
                "monday",
                "tuesday",
                "wednesday",
                "thursday",
                "friday",
                "saturday",
                "sunday",
            ]
            .contains(&ws[end - 1].lower.as_str())
    {
        end -= 1;
    }
    if end == 0 {
        return None;
    }
    let mut start = end;
    while start > 0 {
        let w = &ws[start - 1];
        let gap = &text[w.end..ws[start].start];
        if gap.contains([',', ';', ':', '"', '“', '”', '(', ')', '.'])
            && !gap.trim().is_empty()
            && start < end
        {
            break;
        }
        if gap.contains([',', '"', '“', '”']) && start == end {
            // "…," the ministry said: the subject is after the quotation.
            break;
        }
        let ok = w.capitalised()
            || NAME_WORDS.contains(&w.lower.as_str())
            || matches!(
                w.lower.as_str(),
                "it" | "he" | "she" | "they" | "neither" | "both" | "country"
            )
            || is_possessive(text, ws, start - 1);
        if !ok {
            break;
        }
        start -= 1;
        if matches!(w.lower.as_str(), "it" | "he" | "she" | "they") {
            break;
        }
    }
    (start < end).then_some((start, end))
}

/// The subject after "according to" or "quoted": up to a comma, the end, or "as saying".
fn subject_after(text: &str, ws: &[Word], from: usize) -> Option<(usize, usize)> {
    let mut end = from;
    while end < ws.len() {
        let w = &ws[end];
        if matches!(w.lower.as_str(), "as" | "that") {
            break;
        }
        let ok = w.capitalised()
            || NAME_WORDS.contains(&w.lower.as_str())
            || is_possessive(text, ws, end);
        if !ok {
            break;
        }
        end += 1;
        if text[w.end..ws.get(end).map_or(text.len(), |n| n.start)].contains([',', ';', '.']) {
            break;
        }
    }
    (end > from).then_some((from, end))
}

/// The speaker of a sentence, if it names one, and what the memory learns from it.
pub fn speaker(registry: &Registry, memory: &mut Memory, text: &str) -> Option<Speaker> {
    let ws = words(text);
    let quoted = quotations(text);
    let mut found: Vec<Speaker> = Vec::new();
    let mut sentence_subject: Option<(usize, usize)> = None;
    for (i, w) in ws.iter().enumerate() {
        if inside(&quoted, w.start) {
            continue;
        }
        let lower = w.lower.as_str();
        // "did not say" says nothing.
        if i >= 2 && ws[i - 1].lower == "not" {
            continue;
        }
        let span = if lower == "according" && ws.get(i + 1).is_some_and(|n| n.lower == "to") {
            subject_after(text, &ws, i + 2)
        } else if lower == "quoted" {
            subject_after(text, &ws, i + 1)
                .filter(|&(_, e)| ws.get(e).is_some_and(|n| n.lower == "as"))
                .or_else(|| subject_before(text, &ws, i))
        } else if SPEECH_VERBS.contains(&lower) {
            subject_before(text, &ws, i).or(sentence_subject)
        } else {
            None
        };
        if i == 0 || sentence_subject.is_none() && i < 8 && w.capitalised() {
            // The sentence's own subject, for a verb further on with none of its own ("Pashinian
            // did not say … but told a meeting").
            let mut end = i;
            while end < ws.len() && (ws[end].capitalised() || is_possessive(text, &ws, end)) {
                end += 1;
            }
            if end > i {
                sentence_subject = Some((i, end));
            }
        }
        let Some((s, e)) = span else { continue };
        let subject = &text[ws[s].start..ws[e - 1].end];
        if let Some((id, side, rule)) = resolve_subject(registry, memory, subject) {
            let verb_rule = if lower == "according" {
                "'according to X'".to_owned()
            } else if lower == "quoted" {
                "'quoted X as saying'".to_owned()
            } else {
                format!("'X {}'", w.text)
            };
            let (a, b) = (ws[s].start.min(w.start), ws[e - 1].end.max(w.end));
            found.push(Speaker {
                id,
                side,
                words: subject.to_owned(),
                rule: format!("{verb_rule}: {rule}"),
                relayed_by: None,
                span: (a, b),
            });
        }
    }
    // A party speaking outranks the outlet relaying it.
    let media = |s: &Speaker| registry.by_id(&s.id).is_some_and(is_media);
    let chosen = found
        .iter()
        .position(|s| !media(s))
        .or((!found.is_empty()).then_some(0))?;
    let mut speaker = found[chosen].clone();
    if let Some(relay) = found.iter().find(|s| media(s) && s.id != speaker.id) {
        speaker.relayed_by = registry.by_id(&relay.id).map(|c| c.name.clone());
    }
    memory.remember(registry, &speaker);
    Some(speaker)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::registry::registry;

    fn who(memory: &mut Memory, text: &str) -> Option<String> {
        speaker(registry(), memory, text).map(|s| s.id)
    }

    #[test]
    fn reported_speech_finds_the_registered_body() {
        let mut m = Memory::default();
        assert_eq!(who(&mut m, "Armenian forces violated the cease-fire, Azerbaijan's Defense Ministry said on Wednesday.").as_deref(), Some("az-mod"));
        assert_eq!(
            who(
                &mut m,
                "\"Units attacked,\" Yerevan's defense ministry said in a statement."
            )
            .as_deref(),
            Some("am-mod")
        );
        assert_eq!(
            who(
                &mut m,
                "According to a statement from France's Foreign Ministry, they met."
            )
            .as_deref(),
            Some("fr-mfa")
        );
        assert_eq!(
            who(
                &mut m,
                "RIA quoted Armenia's Security Council as saying the troops had left."
            )
            .as_deref(),
            Some("am-security-council")
        );
        assert_eq!(
            who(
                &mut m,
                "The Defense Ministry of Azerbaijan said in a statement."
            )
            .as_deref(),
            Some("az-mod")
        );
        assert_eq!(
            who(&mut m, "Mirzoyan told News.Az that talks went on.").as_deref(),
            None
        );
    }

    #[test]
    fn the_ministry_it_and_surnames_refer_back() {
        let mut m = Memory::default();
        assert_eq!(
            who(
                &mut m,
                "Fire was opened, the Azerbaijani Defense Ministry said."
            )
            .as_deref(),
            Some("az-mod")
        );
        assert_eq!(
            who(&mut m, "Units fired back, the statement added.").as_deref(),
            Some("az-mod")
        );
        assert_eq!(
            who(&mut m, "It also said posts were hit.").as_deref(),
            Some("az-mod")
        );
        assert_eq!(
            who(&mut m, "The ministry stressed the situation is stable.").as_deref(),
            Some("az-mod")
        );
        assert_eq!(
            who(
                &mut m,
                "President Recep Tayyip Erdoğan said Saturday that it is so."
            )
            .as_deref(),
            Some("tr-president")
        );
        assert_eq!(
            who(
                &mut m,
                "Speaking to journalists, Erdoğan said, \"We condemn it.\""
            )
            .as_deref(),
            Some("tr-president")
        );
        assert_eq!(
            who(&mut m, "\"We talked,\" he said.").as_deref(),
            Some("tr-president")
        );
    }

    #[test]
    fn a_party_outranks_the_agency_relaying_it() {
        let mut m = Memory::default();
        let s = speaker(registry(), &mut m, "Armenian Prime Minister Nikol Pashinian also accused Azerbaijan's troops on Monday of violating the border, the Interfax news agency reported.").expect("speaker");
        assert_eq!(s.id, "am-pm");
        assert_eq!(s.relayed_by.as_deref(), Some("Interfax"));
        assert_eq!(who(&mut m, "Pashinian did not say on what scale but told a security council meeting that he had dismissed the minister.").as_deref(), Some("am-pm"));
    }

    #[test]
    fn countries_speak_as_their_side_and_two_at_once_are_narration() {
        let mut m = Memory::default();
        assert_eq!(
            who(&mut m, "Azerbaijan said Armenian forces used rifles.").as_deref(),
            Some("az-side")
        );
        assert_eq!(
            who(
                &mut m,
                "However, the Azerbaijani side stated that its forces were there."
            )
            .as_deref(),
            Some("az-side")
        );
        assert_eq!(
            who(
                &mut m,
                "Armenian authorities described the shelling as a measure."
            )
            .as_deref(),
            Some("am-authorities")
        );
        assert_eq!(
            who(
                &mut m,
                "Rivals Armenia and Azerbaijan on Sunday mutually accused each other."
            )
            .as_deref(),
            None
        );
        assert_eq!(
            who(&mut m, "According to the latest data, 27 were killed.").as_deref(),
            None
        );
        assert_eq!(
            who(&mut m, "The troops opened fire on positions.").as_deref(),
            None
        );
    }
}
