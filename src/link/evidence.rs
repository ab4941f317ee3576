//! What speaks for two records being one event, weighed into a score in [0, 1] with its reasons.
//!
//! Dates and places are gates as well as evidence: records whose dates are further apart than the
//! tolerance, or whose locations are further apart than their precisions allow, are never linked.
//! Within the gates, closeness counts for more the more precise both records are — two incidents
//! dated to the same month and placed in the same district say little about each other.

use std::hash::{Hash, Hasher};

use geo::{Contains, Distance, Haversine, Point};

use crate::gazetteer::{Gazetteer, PlaceId, fold};
use crate::model::{Dataset, Day, Incident, LocationPrecision};

/// The knobs of a run.
#[derive(Clone, Debug, PartialEq)]
pub struct LinkOptions {
    /// Days two date intervals may be apart and still link (0: they must share a day).
    pub max_days: u32,
    /// A cap on the distance, whatever the precisions allow.
    pub max_km: Option<f64>,
    /// Pairs scoring below this are not proposed.
    pub min_score: f64,
}

impl Default for LinkOptions {
    fn default() -> Self {
        LinkOptions {
            max_days: 1,
            max_km: None,
            min_score: DEFAULT_MIN_SCORE,
        }
    }
}

/// Chosen on seeds 1–3 of the linking test's generator (tests/link.rs; real UCDP rows re-reported
/// with decoys): the gates on date and distance do most of the work, and above 0.4 the score
/// starts to drop true pairs a day apart at the edge of their precision. The test checks other
/// seeds.
pub const DEFAULT_MIN_SCORE: f64 = 0.35;

impl LinkOptions {
    /// The distance allowed for two radii together, capped by `max_km`.
    pub(super) fn reach_km(&self, radii_km: f64) -> f64 {
        self.max_km.map_or(radii_km, |cap| radii_km.min(cap))
    }
}

/// How far from its point an incident may really be, by its location precision. An exact point
/// is a village's extent; "near" is ACLED's "near a town"; a district is the size of a Kalbajar
/// or a Vardenis.
pub fn radius_km(precision: LocationPrecision) -> f64 {
    match precision {
        LocationPrecision::Exact => 2.0,
        LocationPrecision::Near => 10.0,
        LocationPrecision::District => 30.0,
        LocationPrecision::Province => 60.0,
        LocationPrecision::Country => 300.0,
        LocationPrecision::Region => 600.0,
    }
}

/// How much agreeing on place says, by the coarser of two precisions.
fn location_weight(precision: LocationPrecision) -> f64 {
    match precision {
        LocationPrecision::Exact => 1.0,
        LocationPrecision::Near => 0.85,
        LocationPrecision::District => 0.6,
        LocationPrecision::Province => 0.45,
        LocationPrecision::Country => 0.3,
        LocationPrecision::Region => 0.2,
    }
}

/// How much agreeing on dates says, by the interval's length: a stated day 1, a week ~0.77, a
/// month ~0.6, a year 0.3.
fn date_weight(span_days: i32) -> f64 {
    (1.0 - 0.12 * f64::from(span_days.max(1)).ln()).clamp(0.3, 1.0)
}

/// The weights of the evidence; they add up to 1.
const W_DATE: f64 = 0.3;
const W_DISTANCE: f64 = 0.3;
const W_CATEGORY: f64 = 0.15;
const W_PLACES: f64 = 0.1;
const W_CLAIMANTS: f64 = 0.05;
const W_WORDS: f64 = 0.1;
/// Words shorter than this ("the", "and", "was") say nothing about which event a text is about.
const MIN_WORD_LEN: usize = 4;
/// Only the start of long narratives is compared: the who and where come first.
const MAX_TEXT_CHARS: usize = 2000;

/// What the linker keeps of an incident.
#[derive(Clone, Debug)]
pub(crate) struct Record {
    pub start: Day,
    pub end: Day,
    pub point: Option<Point<f64>>,
    pub precision: LocationPrecision,
    pub radius_km: f64,
    /// The district or province the incident is located to, when the gazetteer has its outline.
    area: Option<PlaceId>,
    /// Resolved place ids it names (location, origins, targets), sorted.
    places: Vec<PlaceId>,
    /// Folded claimant names, sorted.
    claimants: Vec<String>,
    /// Hashes of its distinct words, sorted.
    words: Vec<u64>,
    category: Option<&'static str>,
}

impl Record {
    pub(crate) fn of(dataset: &Dataset, incident: &Incident, gazetteer: &Gazetteer) -> Record {
        let location = incident.location.place.as_ref().and_then(|p| p.resolved);
        let area = location.filter(|&id| {
            let place = gazetteer.place(id);
            place.kind.is_area() && place.polygon.is_some()
        });
        let mut places: Vec<PlaceId> = location
            .into_iter()
            .chain(
                incident
                    .claims
                    .iter()
                    .flat_map(|c| c.details.from.iter().chain(&c.details.to))
                    .filter_map(|r| r.resolved),
            )
            .collect();
        places.sort();
        places.dedup();
        let mut claimants: Vec<String> = incident
            .claims
            .iter()
            .map(|c| fold(&dataset.claimant(c.claimant).name))
            .collect();
        claimants.sort();
        claimants.dedup();
        let mut text = String::new();
        text.push_str(&dataset.title(incident));
        text.push(' ');
        if let Some(notes) = incident.details.notes.as_deref() {
            text.push_str(notes);
        }
        for claim in incident.claims.iter() {
            text.push(' ');
            text.push_str(&claim.quote.read());
        }
        let category = match incident.category.key() {
            Some("other") | None => None,
            key => key,
        };
        Record {
            start: incident.date.start(),
            end: incident.date.end(),
            point: incident.point(),
            precision: incident.location.precision,
            radius_km: radius_km(incident.location.precision),
            area,
            places,
            claimants,
            words: word_hashes(&text),
            category,
        }
    }
}

fn word_hashes(text: &str) -> Vec<u64> {
    let cut = text
        .char_indices()
        .nth(MAX_TEXT_CHARS)
        .map_or(text.len(), |(i, _)| i);
    let mut words: Vec<u64> = text[..cut]
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= MIN_WORD_LEN)
        .map(|w| {
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            w.to_lowercase().hash(&mut hasher);
            hasher.finish()
        })
        .collect();
    words.sort_unstable();
    words.dedup();
    words
}

/// How many items two sorted, deduplicated lists share.
fn shared<T: Ord>(a: &[T], b: &[T]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// The case for a link: the score, the measured gaps, and the reasons in words.
#[derive(Clone, PartialEq, Debug)]
pub struct Evidence {
    pub score: f64,
    /// Days between the two date intervals (0 when they share a day).
    pub days: i32,
    /// Kilometres between the two points, when both are located.
    pub km: Option<f64>,
    pub reasons: Vec<String>,
}

/// Weighs two records; `None` when their dates or places rule a link out.
pub(crate) fn weigh(
    (dataset_a, incident_a, a): (&Dataset, &Incident, &Record),
    (incident_b, b): (&Incident, &Record),
    gazetteer: &Gazetteer,
    options: &LinkOptions,
) -> Option<Evidence> {
    let days = (b.start.0 - a.end.0).max(a.start.0 - b.end.0).max(0);
    if days > options.max_days as i32 {
        return None;
    }
    let shared_places: Vec<PlaceId> = a
        .places
        .iter()
        .filter(|p| b.places.binary_search(p).is_ok())
        .copied()
        .collect();
    let coarser = a.precision.max(b.precision);
    let mut reasons = Vec::new();
    reasons.push(match days {
        0 if a.start == a.end && b.start == b.end => "same day".to_owned(),
        0 => "dates overlap".to_owned(),
        1 => "1 day apart".to_owned(),
        n => format!("{n} days apart"),
    });
    let date_score = (1.0 - f64::from(days) / f64::from(options.max_days + 1))
        * date_weight(a.end.0 - a.start.0 + 1).min(date_weight(b.end.0 - b.start.0 + 1));

    let (km, distance_score) = match (a.point, b.point) {
        (Some(pa), Some(pb)) => {
            let km = Haversine.distance(pa, pb) / 1000.0;
            let allowed = options.reach_km(a.radius_km + b.radius_km);
            let inside = |area: Option<PlaceId>, p: Point<f64>| {
                area.and_then(|id| gazetteer.place(id).polygon.as_ref())
                    .is_some_and(|poly| poly.contains(&p))
            };
            let inside_a = inside(a.area, pb);
            let inside_b = inside(b.area, pa);
            if km > allowed && !inside_a && !inside_b {
                return None;
            }
            if options.max_km.is_some_and(|cap| km > cap) {
                return None;
            }
            reasons.push(format!("{km:.1} km apart"));
            if let Some(area) = if inside_a {
                a.area
            } else if inside_b {
                b.area
            } else {
                None
            } {
                reasons.push(format!("inside {}", gazetteer.place(area).name()));
            }
            let closeness = if km <= allowed {
                1.0 - km / allowed.max(f64::EPSILON)
            } else {
                0.5
            };
            (Some(km), closeness * location_weight(coarser))
        }
        // Without both points only a shared place name can say they are in the same place.
        _ if !shared_places.is_empty() => (None, 0.5 * location_weight(coarser)),
        _ => return None,
    };

    let category_score = match (a.category, b.category) {
        (Some(x), Some(y)) if x == y => {
            reasons.push(format!(
                "both {}",
                incident_a.category.label().to_lowercase()
            ));
            1.0
        }
        (Some(_), Some(_)) => {
            reasons.push(format!(
                "{} vs {}",
                incident_a.category.label().to_lowercase(),
                incident_b.category.label().to_lowercase()
            ));
            0.0
        }
        _ => 0.5,
    };
    if !shared_places.is_empty() {
        let names: Vec<&str> = shared_places
            .iter()
            .take(3)
            .map(|&p| gazetteer.place(p).name())
            .collect();
        reasons.push(format!("both name {}", names.join(", ")));
    }
    let shared_claimants = shared(&a.claimants, &b.claimants);
    if shared_claimants > 0 {
        let name = incident_a
            .claims
            .iter()
            .map(|c| &*dataset_a.claimant(c.claimant).name)
            .find(|n| b.claimants.binary_search(&fold(n)).is_ok())
            .unwrap_or_default();
        reasons.push(format!("both cite {name}"));
    }
    let common = shared(&a.words, &b.words);
    let union = a.words.len() + b.words.len() - common;
    let jaccard = if union == 0 {
        0.0
    } else {
        common as f64 / union as f64
    };
    if common > 0 {
        reasons.push(format!("{:.0}% words in common", jaccard * 100.0));
    }
    let score = W_DATE * date_score
        + W_DISTANCE * distance_score
        + W_CATEGORY * category_score
        + W_PLACES * if shared_places.is_empty() { 0.0 } else { 1.0 }
        + W_CLAIMANTS * if shared_claimants > 0 { 1.0 } else { 0.0 }
        + W_WORDS * (2.0 * jaccard).min(1.0);
    debug_assert!((0.0..=1.0 + 1e-9).contains(&score), "score {score}");
    Some(Evidence {
        score: score.clamp(0.0, 1.0),
        days,
        km,
        reasons,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_counts_common_items_of_sorted_lists() {
        assert_eq!(shared(&[1, 3, 5, 7], &[2, 3, 4, 7, 9]), 2);
        assert_eq!(shared::<i32>(&[], &[1]), 0);
    }

    #[test]
    fn precise_dates_and_places_weigh_more_than_coarse_ones() {
        assert!(date_weight(1) > date_weight(7));
        assert!(date_weight(7) > date_weight(31));
        assert!((date_weight(3650) - 0.3).abs() < 1e-9);
        let weights: Vec<f64> = LocationPrecision::ALL
            .into_iter()
            .map(location_weight)
            .collect();
        assert!(weights.windows(2).all(|w| w[0] > w[1]));
    }

    #[test]
    fn words_are_compared_without_case_and_short_words() {
        let a = word_hashes("Shelling of Sotk and the village");
        let b = word_hashes("SOTK shelled; village hit");
        assert_eq!(shared(&a, &b), 2, "sotk and village");
    }
}
