//! From a report to claims: a news report or press statement drafted into a native dataset of
//! proposals for review — its incidents, each with its claims, quoted verbatim and attributed.
//!
//! Every step is a rule a reviewer can check, and each drafted claim carries a `draft` member
//! saying which rules made it: the speaker ([`speakers`]), the places and whether each is an
//! origin or a target ([`places`]), the dates with their reasons ([`dates`]), the kind of event,
//! weapons, losses and retaliation as claimed ([`facts`]). A quote is always a span of the
//! report's text, never rewritten. Nothing here asserts: a sentence nobody is said to have said
//! is the report's own narration, attributed to it.
//!
//! Sentences become claims and claims incidents by these rules:
//! - a sentence with a speaker is that speaker's claim; a photo caption is the photographer's
//!   agency's; a sentence with no speaker is narration only when it dates an event;
//! - a sentence with neither speaker nor date that follows a claim in its paragraph continues it
//!   (a further quote); so does a sentence of the same speaker that adds no date and no place;
//! - a claim with a date joins the incident of that date (or gives its date to an incident the
//!   same speaker's sentence before opened undated, and a lead without places becomes a further
//!   quote of the statement it announces); a claim without one joins the incident being told, unless
//!   one is political (talks, a dismissal) and the other not;
//! - an incident that ended more than [`BACKGROUND_DAYS`] before the publication is background.

pub mod dates;
pub mod facts;
pub mod measure;
pub mod places;
pub mod report;
pub mod sentences;
pub mod speakers;
mod words;

use serde_json::{Map, Value, json};

use crate::gazetteer::{Gazetteer, PlaceKind};
use crate::model::Day;
use crate::model::registry::Registry;
use dates::{Anchor, Found, Resolved};
use places::{Named, Role};
use report::ReportText;
use speakers::{LOCAL_CLAIMANTS, Memory, Speaker};

/// An incident over this many days before the publication is history the report recalls.
pub const BACKGROUND_DAYS: i32 = 30;

/// A statement's date lies this close after the words that attribute it ("said on Thursday
/// Feb. 10, 2022", "accused Azerbaijan's troops on Monday").
const STATEMENT_DATE_REACH: usize = 32;

/// What the command line (or the window) tells the drafter beside the report.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// The publication date, overriding what the report says.
    pub published: Option<Day>,
    pub outlet: Option<String>,
    pub url: Option<String>,
    /// How the source document is named in the dataset (the report's file name).
    pub document: String,
}

/// Why a report cannot be drafted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DraftError {
    #[error(
        "the report gives no publication date (no dateline, page metadata or e-mail Date header); relative dates like \"on Thursday\" cannot be resolved without one: pass --published YYYY-MM-DD"
    )]
    NoPublicationDate,
    #[error("the report has no text")]
    Empty,
    /// The draft did not read back: a bug in the drafter, reported rather than written.
    #[error("the draft could not be read back: {0}")]
    Unreadable(String),
}

/// A claim being drafted.
struct ClaimDraft {
    claimant: String,
    side: String,
    /// Spans of the report: the quote, then further quotes.
    quotes: Vec<(usize, usize)>,
    speaker_rule: String,
    speaker_words: Option<String>,
    relayed_by: Option<String>,
    statement_date: Resolved,
    places: Vec<Named>,
    category: Option<(&'static str, &'static str)>,
    losses: facts::Losses,
    loss_text: Option<(usize, usize)>,
    weapons: Vec<&'static str>,
    retaliation: Option<bool>,
    date_rule: Option<String>,
    paragraph: usize,
}

struct IncidentDraft {
    date: Resolved,
    /// Dated by the statement or the publication, not by the words of its claims.
    provisional: bool,
    claims: Vec<usize>,
    political: bool,
    last_sentence: usize,
}

/// Drafts a report into a native dataset (as JSON, for the native reader to load and the writer
/// to save).
pub fn draft(
    report: &ReportText,
    options: &Options,
    gazetteer: &Gazetteer,
    registry: &Registry,
) -> Result<Value, DraftError> {
    if report.text.trim().is_empty() {
        return Err(DraftError::Empty);
    }
    let (published_day, published_how) = match (options.published, &report.published) {
        (Some(day), _) => (day, "given with --published".to_owned()),
        (None, Some(p)) => (p.day, format!("from {}", p.found_in)),
        (None, None) => return Err(DraftError::NoPublicationDate),
    };
    let publication = Anchor {
        day: published_day,
        what: format!(
            "the publication date, {} ({published_how})",
            dates::spoken(published_day)
        ),
    };
    let text = report.text.as_str();
    let sentences = sentences::split(text);
    let mut memory = Memory::default();
    let mut claims: Vec<ClaimDraft> = Vec::new();
    let mut incidents: Vec<IncidentDraft> = Vec::new();
    let mut last_claim: Option<(usize, usize)> = None; // (claim, sentence index)

    for (n, s) in sentences.iter().enumerate() {
        if s.heading {
            continue;
        }
        let sentence = &text[s.start..s.end];
        // The credit itself, "(Photo by … / AFP)", says nothing.
        let credit = sentence.trim_start().starts_with('(') && sentence.trim_end().ends_with(')');
        if s.caption.is_some() && credit {
            continue;
        }
        let caption = s
            .caption
            .as_ref()
            .and_then(|agency| caption_claimant(registry, agency));
        let speaker = if caption.is_some() {
            None
        } else {
            speakers::speaker(registry, &mut memory, sentence)
        };
        let quoted = speakers::quotations(sentence);
        let plain_dates = dates::find(sentence, &[], &publication, None);
        // The statement's own date: next to the words that attribute it.
        let statement_found: Option<&Found> = speaker.as_ref().and_then(|sp| {
            plain_dates.iter().find(|f| {
                !quoted.iter().any(|&(a, b)| f.start >= a && f.end <= b)
                    && f.start + 2 >= sp.span.0
                    && f.start <= sp.span.1 + STATEMENT_DATE_REACH
            })
        });
        let continuing_statement = speaker.as_ref().and_then(|sp| {
            let (c, _) = last_claim?;
            (claims[c].claimant == sp.id
                && (sp.rule.contains("last speaker") || sp.rule.contains("named before")))
            .then(|| claims[c].statement_date.clone())
        });
        let statement_date = match (statement_found, continuing_statement) {
            (Some(f), _) => Resolved {
                reason: format!("the statement's date: {}", f.date.reason),
                ..f.date.clone()
            },
            (None, Some(previous)) => previous,
            (None, None) => Resolved {
                start: published_day,
                end: published_day,
                precision: crate::model::DatePrecision::Day,
                inferred: true,
                reason: format!(
                    "the statement gives no date of its own: {}",
                    publication.what
                ),
            },
        };
        let speech_anchor = Anchor {
            day: statement_date.start,
            what: format!(
                "the day of the statement, {}",
                dates::spoken(statement_date.start)
            ),
        };
        let event_dates: Vec<Found> = dates::find(
            sentence,
            &quoted,
            &publication,
            speaker.as_ref().map(|_| &speech_anchor),
        )
        .into_iter()
        // Every date by the attribution is the statement's ("said on Thursday Feb. 10, 2022").
        .filter(|f| {
            !speaker.as_ref().is_some_and(|sp| {
                !quoted.iter().any(|&(a, b)| f.start >= a && f.end <= b)
                    && f.start + 2 >= sp.span.0
                    && f.start <= sp.span.1 + STATEMENT_DATE_REACH
            })
        })
        .collect();
        // "Two months later": from the event told before.
        let event = event_dates.first().cloned().or_else(|| {
            incidents
                .last()
                .filter(|inc| !inc.provisional)
                .and_then(|inc| dates::later(sentence, &inc.date))
        });
        let skip: Vec<(usize, usize)> = speaker.iter().map(|sp| sp.span).collect();
        let mut named = places::find(gazetteer, sentence, &skip);
        for p in &mut named {
            p.start += s.start;
            p.end += s.start;
        }
        let category = facts::category(&strip_spans(sentence, &skip));
        let losses = facts::losses(sentence);
        let weapons = facts::weapons(sentence);
        let retaliation = facts::retaliation(sentence);
        let span = quote_span(sentence, &quoted).map(|(a, b)| (a + s.start, b + s.start));

        // Continuations: no speaker, no date, right after a claim in the same paragraph.
        let follows =
            last_claim.filter(|&(c, at)| at + 1 == n && claims[c].paragraph == s.paragraph);
        let claimant: Option<Speaker> = if let Some((id, side, rule)) = caption
            .clone()
            .filter(|_| event.is_some() || !named.is_empty())
        {
            Some(Speaker {
                id,
                side,
                words: s.caption.clone().unwrap_or_default(),
                rule,
                relayed_by: None,
                span: (0, 0),
            })
        } else if speaker.is_some() {
            speaker.clone()
        } else if event.is_some() && (category.is_some() || !named.is_empty()) {
            let narration = narration();
            Some(Speaker {
                id: narration.id.into(),
                side: narration.side.into(),
                words: String::new(),
                rule: "no speaker: the report's own narration of a dated event".into(),
                relayed_by: None,
                span: (0, 0),
            })
        } else {
            None
        };
        let Some(Speaker {
            id: claimant,
            side,
            words,
            rule: speaker_rule,
            relayed_by,
            ..
        }) = claimant
        else {
            if let Some((c, _)) = follows {
                extend(
                    &mut claims[c],
                    span,
                    named,
                    losses,
                    weapons,
                    retaliation,
                    s.start,
                    sentence,
                );
                last_claim = Some((c, n));
            }
            continue;
        };
        // The same speaker going on about the same thing: a further quote of its last claim.
        // A caption's sentences are one claim.
        if let Some((c, _)) = last_claim
            && claims[c].claimant == claimant
            && ((event.is_none()
                && caption.is_none()
                && named
                    .iter()
                    .all(|p| claims[c].places.iter().any(|q| q.phrase == p.phrase))
                && compatible(claims[c].category, category))
                || (caption.is_some() && claims[c].paragraph == s.paragraph))
        {
            extend(
                &mut claims[c],
                span,
                named,
                losses,
                weapons,
                retaliation,
                s.start,
                sentence,
            );
            last_claim = Some((c, n));
            continue;
        }
        let political = category.is_some_and(|c| c.0 == "political");
        let id = claims.len();
        let date_rule = event.as_ref().map(|e| e.date.reason.clone());
        let loss_text = (!losses.is_empty()).then_some((s.start, s.end));
        claims.push(ClaimDraft {
            claimant,
            side,
            quotes: span.into_iter().collect(),
            speaker_rule,
            speaker_words: (!words.is_empty()).then_some(words),
            relayed_by,
            statement_date: statement_date.clone(),
            places: named,
            category,
            losses,
            loss_text,
            weapons,
            retaliation,
            date_rule,
            paragraph: s.paragraph,
        });
        last_claim = Some((id, n));
        // Which incident.
        let current = incidents.len().checked_sub(1);
        let target = match &event {
            Some(e) => {
                // A speaker's lead sentence, undated, followed by its details, dated.
                let same_speaker = |i: usize| {
                    incidents[i]
                        .claims
                        .iter()
                        .any(|&c| claims[c].claimant == claims[id].claimant)
                };
                // …and only when the lead told an event: a statement of opinion keeps its day.
                let told_event = |i: usize| {
                    incidents[i]
                        .claims
                        .iter()
                        .any(|&c| claims[c].category.is_some())
                };
                if let Some(i) = current.filter(|&i| {
                    incidents[i].provisional
                        && n <= incidents[i].last_sentence + 2
                        && incidents[i].political == political
                        && same_speaker(i)
                        && told_event(i)
                }) {
                    incidents[i].date = e.date.clone();
                    incidents[i].provisional = false;
                    // A lead with no place of its own and the statement it announces are one
                    // claim: the statement first, the lead a further quote.
                    let lead = incidents[i].claims.iter().copied().find(|&c| {
                        claims[c].claimant == claims[id].claimant && claims[c].places.is_empty()
                    });
                    if let Some(lead) = lead
                        && let Some(new) = claims.pop()
                    {
                        let l = &mut claims[lead];
                        let mut quotes = new.quotes;
                        quotes.append(&mut l.quotes);
                        l.quotes = quotes;
                        l.places = new.places;
                        l.category = new.category.or(l.category);
                        l.date_rule = new.date_rule;
                        l.losses.killed = l.losses.killed.or(new.losses.killed);
                        l.losses.wounded = l.losses.wounded.or(new.losses.wounded);
                        l.losses.detained = l.losses.detained.or(new.losses.detained);
                        l.loss_text = l.loss_text.or(new.loss_text);
                        for w in new.weapons {
                            if !l.weapons.contains(&w) {
                                l.weapons.push(w);
                            }
                        }
                        l.retaliation = l.retaliation.or(new.retaliation);
                        last_claim = Some((lead, n));
                        incidents[i].last_sentence = n;
                        continue;
                    }
                    Some(i)
                } else {
                    incidents.iter().position(|inc| {
                        inc.date.start == e.date.start
                            && inc.date.end == e.date.end
                            && inc.political == political
                    })
                }
            }
            None => current.filter(|&i| {
                let inc = &incidents[i];
                inc.date.end.0 + BACKGROUND_DAYS >= published_day.0
                    && (inc.political == political || category.is_none())
            }),
        };
        let i = match target {
            Some(i) => i,
            None => {
                let (date, provisional) = match &event {
                    Some(e) => (e.date.clone(), false),
                    None => (
                        Resolved {
                            reason: format!(
                                "no date of its own: the day of the statement ({})",
                                statement_date.reason
                            ),
                            inferred: true,
                            ..statement_date.clone()
                        },
                        true,
                    ),
                };
                incidents.push(IncidentDraft {
                    date,
                    provisional,
                    claims: Vec::new(),
                    political,
                    last_sentence: n,
                });
                incidents.len() - 1
            }
        };
        incidents[i].claims.push(id);
        incidents[i].last_sentence = n;
    }
    Ok(to_json(
        report,
        options,
        gazetteer,
        registry,
        &claims,
        &incidents,
        published_day,
        &publication,
    ))
}

fn narration() -> &'static speakers::LocalClaimant {
    &LOCAL_CLAIMANTS[2]
}

/// A photo caption's claimant: "AFP photo caption" where the registry knows it, else the agency.
fn caption_claimant(registry: &Registry, agency: &str) -> Option<(String, String, String)> {
    let c = registry
        .find(&format!("{agency} photo caption"))
        .or_else(|| registry.find(agency))?;
    Some((
        c.id.clone(),
        c.side.clone(),
        format!("a photo caption credited to {agency}"),
    ))
}

/// Two categories that can describe one incident: a political event is an incident of its own.
fn compatible(a: Option<(&str, &str)>, b: Option<(&str, &str)>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => (a.0 == "political") == (b.0 == "political"),
        _ => true,
    }
}

fn strip_spans(text: &str, spans: &[(usize, usize)]) -> String {
    let mut out = text.to_owned();
    for &(a, b) in spans {
        if let Some(range) = out.get(a..b) {
            let blank = " ".repeat(range.len());
            out.replace_range(a..b, &blank);
        }
    }
    out
}

/// A sentence's quote: its one quotation when that is a full sentence of direct speech ("… ," the
/// ministry said), else the whole sentence (reported speech, quoted fragments).
fn quote_span(sentence: &str, quoted: &[(usize, usize)]) -> Option<(usize, usize)> {
    if let [(a, b)] = quoted {
        let inner = &sentence[*a..*b];
        let starts_upper = inner
            .trim_start()
            .chars()
            .next()
            .is_some_and(char::is_uppercase);
        if starts_upper && inner.split_whitespace().count() >= 5 {
            let trimmed = inner.trim_end_matches([',', ' ']);
            let lead = inner.len() - inner.trim_start().len();
            return Some((a + lead, a + trimmed.len()));
        }
    }
    let trimmed = sentence.trim();
    let lead = sentence.len() - sentence.trim_start().len();
    (!trimmed.is_empty()).then_some((lead, lead + trimmed.len()))
}

#[allow(clippy::too_many_arguments)]
fn extend(
    claim: &mut ClaimDraft,
    span: Option<(usize, usize)>,
    named: Vec<Named>,
    losses: facts::Losses,
    weapons: Vec<&'static str>,
    retaliation: Option<bool>,
    offset: usize,
    sentence: &str,
) {
    claim.quotes.extend(span);
    for p in named {
        if !claim.places.iter().any(|q| q.phrase == p.phrase) {
            claim.places.push(p);
        }
    }
    if !losses.is_empty() {
        claim.losses.killed = claim.losses.killed.or(losses.killed);
        claim.losses.wounded = claim.losses.wounded.or(losses.wounded);
        claim.losses.detained = claim.losses.detained.or(losses.detained);
        if claim.loss_text.is_none() {
            claim.loss_text = Some((offset, offset + sentence.len()));
        }
    }
    for w in weapons {
        if !claim.weapons.contains(&w) {
            claim.weapons.push(w);
        }
    }
    claim.retaliation = claim.retaliation.or(retaliation);
}

fn date_json(date: &Resolved) -> Value {
    let mut m = Map::new();
    m.insert("start".into(), json!(date.start.to_string()));
    if date.end != date.start {
        m.insert("end".into(), json!(date.end.to_string()));
    }
    m.insert("precision".into(), json!(date.precision.as_str()));
    if date.inferred {
        m.insert("inferred".into(), json!(true));
    }
    m.insert("reason".into(), json!(date.reason));
    Value::Object(m)
}

/// How precisely a place locates an incident.
fn precision_of(kind: PlaceKind) -> &'static str {
    match kind {
        PlaceKind::City | PlaceKind::Town | PlaceKind::Village | PlaceKind::Feature => "exact",
        PlaceKind::District => "district",
        PlaceKind::Province => "province",
        PlaceKind::Country => "country",
        _ => "region",
    }
}

fn slug(text: &str) -> String {
    let folded = crate::gazetteer::fold(text);
    folded
        .split(' ')
        .filter(|w| !w.is_empty())
        .take(4)
        .collect::<Vec<_>>()
        .join("-")
}

#[allow(clippy::too_many_arguments)]
fn to_json(
    report: &ReportText,
    options: &Options,
    gazetteer: &Gazetteer,
    registry: &Registry,
    claims: &[ClaimDraft],
    incidents: &[IncidentDraft],
    published: Day,
    publication: &Anchor,
) -> Value {
    let text = report.text.as_str();
    // Given (with --published) or stated (dateline, metadata, Date header): not inferred. How it
    // is known is kept in `claimmap.draft.published_from`.
    let published_json = json!(published.to_string());
    let mut used_claimants: Vec<String> = Vec::new();
    let mut features = Vec::new();
    let mut ids: Vec<String> = Vec::new();
    for inc in incidents {
        let members: Vec<&ClaimDraft> = inc.claims.iter().map(|&c| &claims[c]).collect();
        let background = inc.date.end.0 + BACKGROUND_DAYS < published.0;
        let drafted_category = members
            .iter()
            .filter_map(|c| c.category)
            .find(|c| c.0 != "political")
            .or_else(|| members.iter().find_map(|c| c.category));
        let category = if background {
            "background"
        } else {
            drafted_category.map_or("other", |c| c.0)
        };
        // Located at the first target a party names, else any place named.
        let party = |c: &&&ClaimDraft| registry.side(&c.side).is_some_and(|s| s.party);
        let location = members
            .iter()
            .filter(party)
            .chain(members.iter())
            .flat_map(|c| {
                c.places
                    .iter()
                    .filter(|p| p.role == Role::Target)
                    .chain(c.places.iter())
            })
            .next();
        let location_json = match location {
            Some(p) => {
                let resolution = gazetteer.resolve(&p.phrase);
                let precision = resolution
                    .best()
                    .map_or("region", |id| precision_of(gazetteer.place(id).kind));
                let precision =
                    if p.phrase.to_lowercase().contains("direction") && precision == "exact" {
                        "near"
                    } else {
                        precision
                    };
                json!({"place": p.phrase, "precision": precision})
            }
            None => {
                json!({"precision": "region", "note": "The report names no place for this incident."})
            }
        };
        let place_words = location.map_or(String::new(), |p| p.phrase.clone());
        let label = crate::model::Category::KNOWN
            .iter()
            .find(|c| c.key() == Some(category))
            .map_or("Other", |c| c.label());
        let title = if place_words.is_empty() {
            format!("{label} (drafted)")
        } else {
            format!("{label}: {place_words} (drafted)")
        };
        let mut id = format!(
            "{}-{}-{}",
            inc.date.start,
            category.replace('_', "-"),
            slug(&place_words)
        );
        id = id.trim_end_matches('-').to_owned();
        let mut unique = id.clone();
        let mut k = 2;
        while ids.contains(&unique) {
            unique = format!("{id}-{k}");
            k += 1;
        }
        ids.push(unique.clone());
        let mut claim_values = Vec::new();
        for c in &members {
            if !used_claimants.contains(&c.claimant) {
                used_claimants.push(c.claimant.clone());
            }
            let quotes: Vec<&str> = c.quotes.iter().map(|&(a, b)| &text[a..b]).collect();
            let mut m = Map::new();
            m.insert("claimant".into(), json!(c.claimant));
            m.insert("statement_date".into(), date_json(&c.statement_date));
            m.insert("quote".into(), json!(quotes.first().copied().unwrap_or("")));
            let from: Vec<&str> = c
                .places
                .iter()
                .filter(|p| p.role == Role::Origin)
                .map(|p| p.phrase.as_str())
                .collect();
            let to: Vec<&str> = c
                .places
                .iter()
                .filter(|p| p.role == Role::Target)
                .map(|p| p.phrase.as_str())
                .collect();
            if !from.is_empty() {
                m.insert("from".into(), json!(from));
            }
            if !to.is_empty() {
                m.insert("to".into(), json!(to));
            }
            if !c.losses.is_empty() {
                let mut l = Map::new();
                l.insert(
                    "text".into(),
                    json!(c.loss_text.map_or("", |(a, b)| text[a..b].trim())),
                );
                for (key, value) in [
                    ("killed", c.losses.killed),
                    ("wounded", c.losses.wounded),
                    ("detained", c.losses.detained),
                ] {
                    if let Some(v) = value {
                        l.insert(key.into(), json!(v));
                    }
                }
                m.insert("losses".into(), Value::Object(l));
            }
            if !c.weapons.is_empty() {
                m.insert("weapons".into(), json!(c.weapons));
            }
            if let Some(r) = c.retaliation {
                m.insert("retaliation".into(), json!(r));
            }
            let mut source = Map::new();
            if let Some(outlet) = options.outlet.as_ref().or(c.relayed_by.as_ref()) {
                source.insert("outlet".into(), json!(outlet));
            }
            source.insert("document".into(), json!(options.document));
            if let Some(url) = &options.url {
                source.insert("url".into(), json!(url));
            }
            source.insert("published".into(), published_json.clone());
            m.insert("source".into(), Value::Object(source));
            if quotes.len() > 1 {
                m.insert("further_quotes".into(), json!(quotes[1..]));
            }
            let places: Vec<Value> = c
                .places
                .iter()
                .map(|p| {
                    let r = gazetteer.resolve(&p.phrase);
                    json!({
                        "text": p.phrase,
                        "role": if p.role == Role::Origin { "from" } else { "to" },
                        "cue": p.cue,
                        "resolved": r.best().map(|id| gazetteer.place(id).id.to_string()),
                        "ambiguous": r.is_ambiguous(),
                    })
                })
                .collect();
            let mut explain = Map::new();
            explain.insert("speaker".into(), json!(c.speaker_words));
            explain.insert("speaker_rule".into(), json!(c.speaker_rule));
            if let Some(relay) = &c.relayed_by {
                explain.insert("relayed_by".into(), json!(relay));
            }
            explain.insert("event_date".into(), json!(c.date_rule));
            explain.insert(
                "category".into(),
                json!(c.category.map(|(cat, word)| format!("{cat}: '{word}'"))),
            );
            explain.insert("places".into(), Value::Array(places));
            explain.insert("status".into(), json!("proposed"));
            m.insert("draft".into(), Value::Object(explain));
            claim_values.push(Value::Object(m));
        }
        let mut properties = Map::new();
        properties.insert("title".into(), json!(title));
        properties.insert("category".into(), json!(category));
        properties.insert("date".into(), date_json(&inc.date));
        properties.insert("location".into(), location_json);
        properties.insert("claims".into(), Value::Array(claim_values));
        let mut notes =
            "Drafted from the report by rules; review every claim before use.".to_owned();
        if background {
            notes.push_str(&format!(
                " Background: it ended more than {BACKGROUND_DAYS} days before the report was published"
            ));
            if let Some((cat, _)) = drafted_category {
                notes.push_str(&format!(" (its words say {cat})"));
            }
            notes.push('.');
        }
        properties.insert("notes".into(), json!(notes));
        features.push(json!({
            "type": "Feature",
            "id": unique,
            "geometry": null,
            "properties": Value::Object(properties),
        }));
    }
    // The registry entries of the claimants used, and their sides.
    let mut sides: Vec<Value> = Vec::new();
    let mut side_ids: Vec<String> = Vec::new();
    let mut claimant_values = Vec::new();
    for id in &used_claimants {
        let (name, side, kind) = match registry.by_id(id) {
            Some(c) => (c.name.clone(), c.side.clone(), c.kind.clone()),
            None => {
                let local = LOCAL_CLAIMANTS.iter().find(|l| l.id == id);
                (
                    local.map_or(id.clone(), |l| l.name.to_owned()),
                    local.map_or("press".to_owned(), |l| l.side.to_owned()),
                    local.map_or("media".to_owned(), |l| l.kind.to_owned()),
                )
            }
        };
        if !side_ids.contains(&side)
            && let Some(s) = registry.side(&side)
        {
            side_ids.push(side.clone());
            sides.push(
                json!({"id": s.id, "name": s.name, "colour": s.colour.to_hex(), "party": s.party}),
            );
        }
        claimant_values.push(json!({"id": id, "name": name, "side": side, "kind": kind}));
    }
    let report_name = report
        .title
        .clone()
        .unwrap_or_else(|| options.document.clone());
    json!({
        "type": "FeatureCollection",
        "claimmap": {
            "format_version": crate::formats::native::FORMAT_VERSION,
            "title": format!("Draft: {report_name}"),
            "description": "Incidents and claims drafted from one report by claimmap's rules, for review. Quotes are the report's words; places, dates and speakers are proposals.",
            "licence": "The quoted passages remain the copyright of the report's publisher; they are quoted for research, criticism and review.",
            "sides": sides,
            "claimants": claimant_values,
            "documents": [{
                "document": options.document,
                "published": published_json,
                "about": report_name,
            }],
            "draft": {
                "status": "draft",
                "generator": format!("claimmap draft {}", env!("CARGO_PKG_VERSION")),
                "report": options.document,
                "report_kind": report.kind.as_str(),
                "published": published.to_string(),
                "published_from": publication.what,
                "outlet": options.outlet,
                "url": options.url,
                "sentences_read": sentences::split(text).len(),
            },
        },
        "features": features,
    })
}

/// A drafted report, loaded as any dataset is.
pub struct Drafted {
    pub dataset: crate::model::Dataset,
    pub published: Day,
    /// How the publication date is known.
    pub published_from: String,
}

/// Drafts a report and reads the draft back through the native reader, so what is written is
/// exactly what any claimmap file holds (places resolved by the loader, the registry applied).
pub fn draft_dataset(
    report: &ReportText,
    options: &Options,
    gazetteer: &Gazetteer,
    registry: &Registry,
) -> Result<Drafted, DraftError> {
    let value = draft(report, options, gazetteer, registry)?;
    let bytes = serde_json::to_vec(&value).unwrap_or_default();
    let path = format!("draft:{}", options.document);
    let loaded = crate::formats::load_bytes(&bytes, &path, gazetteer)
        .map_err(|e| DraftError::Unreadable(e.to_string()))?;
    debug_assert!(
        loaded.report.errors.is_empty(),
        "{:?}",
        loaded.report.errors
    );
    let published = loaded_published(&value).unwrap_or(Day(0));
    let published_from = value["claimmap"]["draft"]["published_from"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    Ok(Drafted {
        dataset: loaded.dataset,
        published,
        published_from,
    })
}

fn loaded_published(value: &Value) -> Option<Day> {
    Day::parse_iso(value["claimmap"]["draft"]["published"].as_str()?).ok()
}
