//! How good a draft is, against a dataset made by hand from the same report.
//!
//! A reference claim is *found* when a drafted claim has the same claimant (by id, or the same
//! registry entry by name: the reference's "AFP photo caption" is the registry's AFP), a quote
//! overlapping one of its quotes (a common run of [`OVERLAP_CHARS`] characters, spaces folded),
//! an incident date that meets the reference incident's, and every place the reference claim
//! gives in `from` and `to` among the drafted claim's `from` and `to` respectively (compared by
//! the gazetteer place they resolve to, by their words when they resolve to none). It is
//! *attributed* when the claimant and quote agree, whatever the date and places. A drafted claim
//! is *wrong* when it finds no reference claim in full.

use crate::gazetteer::fold;
use crate::model::registry::Registry;
use crate::model::{Claim, Dataset, Incident, PlaceRef};

/// Two quotes overlap when they share a run of this many characters (or the whole of the
/// shorter one): a sentence and the quotation inside it do; two sentences sharing a phrase like
/// "the Armenian armed forces" do not.
pub const OVERLAP_CHARS: usize = 40;

/// The scores of one report.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Score {
    pub reference_claims: usize,
    /// Found with claimant, quote, date and places.
    pub found: usize,
    /// Claimant and quote only.
    pub attributed: usize,
    pub drafted_claims: usize,
    pub wrong: usize,
    /// The reference claims not found: claimant and the start of the quote.
    pub missed: Vec<String>,
    /// The wrong drafted claims: claimant and the start of the quote.
    pub wrong_claims: Vec<String>,
}

impl Score {
    pub fn add(&mut self, other: &Score) {
        self.reference_claims += other.reference_claims;
        self.found += other.found;
        self.attributed += other.attributed;
        self.drafted_claims += other.drafted_claims;
        self.wrong += other.wrong;
        self.missed.extend(other.missed.iter().cloned());
        self.wrong_claims.extend(other.wrong_claims.iter().cloned());
    }

    /// Share of the reference claims found, in [0, 1].
    pub fn recall(&self) -> f64 {
        ratio(self.found, self.reference_claims)
    }

    /// Share of drafted claims that are wrong, in [0, 1].
    pub fn wrong_share(&self) -> f64 {
        ratio(self.wrong, self.drafted_claims)
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

fn squash(text: &str) -> Vec<char> {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace(['“', '”'], "\"")
        .replace('’', "'")
        .chars()
        .collect()
}

/// Whether two quotes share a run of [`OVERLAP_CHARS`] characters (or the shorter one whole).
pub fn overlap(a: &str, b: &str) -> bool {
    let (a, b) = (squash(a), squash(b));
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if short.is_empty() {
        return false;
    }
    let window = OVERLAP_CHARS.min(short.len());
    let long: String = long.into_iter().collect();
    (0..=short.len() - window).any(|i| {
        let piece: String = short[i..i + window].iter().collect();
        long.contains(&piece)
    })
}

fn quotes(claim: &Claim) -> Vec<String> {
    let mut out = vec![claim.quote.to_string()];
    if let Some(extra) = &claim.details.extra
        && let Some(serde_json::Value::Array(more)) = extra.get("further_quotes")
    {
        out.extend(more.iter().filter_map(|q| q.as_str().map(str::to_owned)));
    }
    out
}

/// A claimant's identity across datasets: the registry entry its id or name names, else its id.
fn identity(registry: &Registry, dataset: &Dataset, claim: &Claim) -> String {
    let claimant = dataset.claimant(claim.claimant);
    registry
        .by_id(&claimant.id)
        .or_else(|| registry.find(&claimant.name))
        .map_or_else(|| claimant.id.to_string(), |c| c.id.clone())
}

fn place_key(dataset: &Dataset, place: &PlaceRef) -> String {
    match place.resolved {
        Some(id) => format!("place:{}", id.0),
        None => format!("text:{}", fold(dataset.text(place.text))),
    }
}

fn places_cover(
    reference: &Dataset,
    want: &[PlaceRef],
    drafted: &Dataset,
    have: &[PlaceRef],
) -> bool {
    let have: Vec<String> = have.iter().map(|p| place_key(drafted, p)).collect();
    want.iter().all(|p| have.contains(&place_key(reference, p)))
}

struct Match {
    attributed: bool,
    full: bool,
}

fn compare(
    registry: &Registry,
    reference: &Dataset,
    (ref_incident, ref_claim): (&Incident, &Claim),
    drafted: &Dataset,
    (incident, claim): (&Incident, &Claim),
) -> Match {
    let same_claimant =
        identity(registry, reference, ref_claim) == identity(registry, drafted, claim);
    let quoted = quotes(ref_claim)
        .iter()
        .any(|a| quotes(claim).iter().any(|b| overlap(a, b)));
    let attributed = same_claimant && quoted;
    let dated = incident.date.start() <= ref_incident.date.end()
        && ref_incident.date.start() <= incident.date.end();
    let placed = places_cover(
        reference,
        &ref_claim.details.from,
        drafted,
        &claim.details.from,
    ) && places_cover(reference, &ref_claim.details.to, drafted, &claim.details.to);
    Match {
        attributed,
        full: attributed && dated && placed,
    }
}

/// Scores the draft of one report against the reference claims whose source is `document`.
pub fn score(registry: &Registry, reference: &Dataset, document: &str, drafted: &Dataset) -> Score {
    let reference_claims: Vec<(&Incident, &Claim)> = reference
        .incidents()
        .iter()
        .flat_map(|i| i.claims.iter().map(move |c| (i, c)))
        .filter(|(_, c)| {
            c.source
                .document
                .is_some_and(|d| reference.text(d) == document)
        })
        .collect();
    let drafted_claims: Vec<(&Incident, &Claim)> = drafted
        .incidents()
        .iter()
        .flat_map(|i| i.claims.iter().map(move |c| (i, c)))
        .collect();
    let mut s = Score {
        reference_claims: reference_claims.len(),
        drafted_claims: drafted_claims.len(),
        ..Score::default()
    };
    for r in &reference_claims {
        let matches: Vec<Match> = drafted_claims
            .iter()
            .map(|d| compare(registry, reference, *r, drafted, *d))
            .collect();
        let found = matches.iter().any(|m| m.full);
        s.found += usize::from(found);
        if !found {
            s.missed.push(label(reference, r.1));
        }
        s.attributed += usize::from(matches.iter().any(|m| m.attributed));
    }
    for d in &drafted_claims {
        let right = reference_claims
            .iter()
            .any(|r| compare(registry, reference, *r, drafted, *d).full);
        s.wrong += usize::from(!right);
        if !right {
            s.wrong_claims.push(label(drafted, d.1));
        }
    }
    s
}

/// The drafted claim that finds the reference claim of `claimant` in incident `incident`, in
/// full (see the module's definition), if any.
pub fn find_claim<'a>(
    registry: &Registry,
    reference: &Dataset,
    incident: &str,
    claimant: &str,
    drafted: &'a Dataset,
) -> Option<(&'a Incident, &'a Claim)> {
    let r_incident = reference.incident(incident)?;
    let r_claim = r_incident
        .claims
        .iter()
        .find(|c| &*reference.claimant(c.claimant).id == claimant)?;
    drafted
        .incidents()
        .iter()
        .flat_map(|i| i.claims.iter().map(move |c| (i, c)))
        .find(|d| compare(registry, reference, (r_incident, r_claim), drafted, *d).full)
}

fn label(dataset: &Dataset, claim: &Claim) -> String {
    let quote: String = claim.quote.read().chars().take(70).collect();
    format!("{}: {quote}", dataset.claimant(claim.claimant).id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_overlap_by_a_long_common_run() {
        let sentence = "\"Starting from 24 to 26 May, the positions of the Azerbaijan Army were subjected to fire,\" a statement said.";
        assert!(overlap(
            sentence,
            "Starting from 24 to 26 May, the positions of the Azerbaijan Army"
        ));
        assert!(!overlap(
            sentence,
            "the positions of the Armenian Army were fired on today"
        ));
        assert!(overlap(
            "“the territory of Armenia\".",
            "\"the territory of Armenia\""
        ));
    }
}
