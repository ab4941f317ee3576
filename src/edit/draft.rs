//! An incident as a form edits it: every field as text, read into an [`Edit`] only when all of
//! them read, so a half-typed date never reaches the map.
//!
//! A draft made from an incident keeps what the form does not show (unmodelled columns, a
//! polygon, weapons, a source document) and puts it back unchanged: editing a title must not
//! lose the rest of the row.

use std::sync::Arc;

use super::Edit;
use crate::formats::dates::parse_interval;
use crate::gazetteer::{Gazetteer, PlaceId};
use crate::model::registry::{match_key, registry};
use crate::model::{
    Category, Claim, Claimant, ClaimantId, Dataset, DateInterval, DatePrecision, Incident,
    LocationPrecision, Losses, PlaceRef, Side, SideId,
};

/// One claim as the form edits it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ClaimDraft {
    /// Who said it, by name: a claimant of the dataset, of claimmap's registry, or a new one.
    pub claimant: String,
    /// The side (by id) of a claimant neither the dataset nor the registry knows.
    pub side: String,
    pub quote: String,
    pub summary: String,
    /// When it was said (any date spelling; empty: not given).
    pub said_on: String,
    /// Where the claimant says it came from and went to, places separated by ";".
    pub from: String,
    pub to: String,
    /// The losses in the claimant's words, and the numbers where given.
    pub losses: String,
    pub killed: String,
    pub wounded: String,
    pub detained: String,
    pub outlet: String,
    pub url: String,
    /// The claim this draft edits, for what the form does not show.
    original: Option<Claim>,
}

/// One incident as the form edits it.
#[derive(Clone, Debug, PartialEq)]
pub struct IncidentDraft {
    pub id: String,
    pub title: String,
    pub category: Category,
    /// "2021-11-16", "November 2021", "2021-11-16 to 2021-11-18": the precision follows.
    pub date: String,
    /// Why the date is inferred, when the source does not state it (empty: stated).
    pub inferred_because: String,
    pub place: String,
    pub precision: LocationPrecision,
    /// Where the user clicked on the map (lon, lat): the incident's own point.
    pub point: Option<(f64, f64)>,
    pub notes: String,
    pub claims: Vec<ClaimDraft>,
    /// Gazetteer places the user picked for a place name (on the map or from a list): each such
    /// name is pinned to its place.
    pub pins: Vec<(String, PlaceId)>,
    /// The incident this draft edits; `None` for a new one.
    original: Option<Incident>,
}

/// What a date field reads as, said in words for the form.
#[derive(Clone, Debug, PartialEq)]
pub struct DateReading {
    pub interval: DateInterval,
    /// "a month: no day was given".
    pub explanation: String,
}

/// Reads a date field: a day, a range, a week-less month or a year, with the precision that
/// follows from what was typed and why.
pub fn read_date(text: &str) -> Result<DateReading, String> {
    let interval = parse_interval(text).ok_or_else(|| {
        format!(
            "\u{201c}{}\u{201d} is not a date: write 2021-11-16, 16 November 2021, November 2021, 2021, or 2021-11-16 to 2021-11-18",
            text.trim()
        )
    })?;
    let explanation = match interval.precision {
        DatePrecision::Day => format!("day precision: {}", interval.start()),
        DatePrecision::Range => format!(
            "range precision: any day from {} to {} ({} days)",
            interval.start(),
            interval.end(),
            interval.end().0 - interval.start().0 + 1
        ),
        DatePrecision::Week => {
            format!("week precision: {} to {}", interval.start(), interval.end())
        }
        DatePrecision::Month => format!(
            "month precision, as no day was given: {} to {}",
            interval.start(),
            interval.end()
        ),
        DatePrecision::Year => format!(
            "year precision, as no month was given: {} to {}",
            interval.start(),
            interval.end()
        ),
    };
    Ok(DateReading {
        interval,
        explanation,
    })
}

/// A date as the form shows it, read back by [`read_date`] as the same interval.
fn date_text(date: &DateInterval) -> String {
    let (start, end) = (date.start(), date.end());
    match date.precision {
        DatePrecision::Day if start == end => start.to_string(),
        DatePrecision::Month => start.to_string()[..7].to_owned(),
        DatePrecision::Year => start.to_string()[..4].to_owned(),
        _ => format!("{start} to {end}"),
    }
}

fn places_text(dataset: &Dataset, places: &[PlaceRef]) -> String {
    places
        .iter()
        .map(|p| dataset.text(p.text))
        .collect::<Vec<_>>()
        .join("; ")
}

fn count_text(count: Option<u32>) -> String {
    count.map(|n| n.to_string()).unwrap_or_default()
}

impl ClaimDraft {
    /// An empty claim by `claimant`, on `side` if the claimant is new.
    pub fn by(claimant: &str, side: &str) -> ClaimDraft {
        ClaimDraft {
            claimant: claimant.to_owned(),
            side: side.to_owned(),
            ..ClaimDraft::default()
        }
    }

    fn of(dataset: &Dataset, claim: &Claim) -> ClaimDraft {
        let claimant = dataset.claimant(claim.claimant);
        let losses = claim.losses.as_ref();
        ClaimDraft {
            claimant: claimant.name.to_string(),
            side: dataset.side(claimant.side).id.to_string(),
            quote: claim.quote.to_string(),
            summary: claim.details.summary.to_string(),
            said_on: claim
                .details
                .statement_date
                .as_ref()
                .map(date_text)
                .unwrap_or_default(),
            from: places_text(dataset, &claim.details.from),
            to: places_text(dataset, &claim.details.to),
            losses: losses.map(|l| l.text.to_string()).unwrap_or_default(),
            killed: count_text(losses.and_then(|l| l.killed)),
            wounded: count_text(losses.and_then(|l| l.wounded)),
            detained: count_text(losses.and_then(|l| l.detained)),
            outlet: claim
                .source
                .outlet
                .map(|s| dataset.text(s).to_owned())
                .unwrap_or_default(),
            url: claim.details.url.as_deref().unwrap_or_default().to_owned(),
            original: Some(claim.clone()),
        }
    }

    /// The claimant the draft names, if the dataset already has it (by id or by name).
    pub fn known_claimant(&self, dataset: &Dataset) -> Option<ClaimantId> {
        let key = match_key(&self.claimant);
        dataset
            .claimants
            .iter()
            .position(|c| {
                &*c.id == self.claimant.trim() || match_key(&c.name) == key && !key.is_empty()
            })
            .map(|i| ClaimantId(i as u32))
    }
}

impl IncidentDraft {
    /// A new incident: an id no incident of the dataset has, today's date left to the user.
    pub fn new(dataset: &Dataset) -> IncidentDraft {
        let taken = |id: &str| dataset.incidents().iter().any(|i| &*i.id == id);
        let id = (1..)
            .map(|n| format!("edit-{n}"))
            .find(|id| !taken(id))
            .expect("some id is free");
        IncidentDraft {
            id,
            title: String::new(),
            category: Category::ExchangeOfFire,
            date: String::new(),
            inferred_because: String::new(),
            place: String::new(),
            precision: LocationPrecision::Exact,
            point: None,
            notes: String::new(),
            claims: Vec::new(),
            pins: Vec::new(),
            original: None,
        }
    }

    /// The draft of an incident as it is.
    pub fn of(dataset: &Dataset, incident: &Incident) -> IncidentDraft {
        let place = incident.location.place.as_ref();
        IncidentDraft {
            id: incident.id.to_string(),
            title: dataset.title(incident).into_owned(),
            category: incident.category.clone(),
            date: date_text(&incident.date),
            inferred_because: incident.date.reason.as_deref().cloned().unwrap_or_default(),
            place: place
                .map(|p| dataset.text(p.text).to_owned())
                .unwrap_or_default(),
            precision: incident.location.precision,
            // Its own point (a point feature's, a table row's), not one the gazetteer gave.
            point: match incident.placement {
                crate::model::Placement::Geometry(p) if incident.geometry.is_none() => {
                    Some((p.x(), p.y()))
                }
                _ => None,
            },
            notes: incident
                .details
                .notes
                .as_deref()
                .unwrap_or_default()
                .to_owned(),
            claims: incident
                .claims
                .iter()
                .map(|c| ClaimDraft::of(dataset, c))
                .collect(),
            pins: Vec::new(),
            original: Some(incident.clone()),
        }
    }

    /// Whether the draft edits an incident (rather than adding one).
    pub fn edits(&self) -> Option<&Incident> {
        self.original.as_ref()
    }

    /// Pins a place name to a gazetteer place (a pick on the map or from the search list).
    pub fn pin(&mut self, name: &str, place: PlaceId) {
        self.pins.retain(|(n, _)| n != name);
        self.pins.push((name.to_owned(), place));
    }

    /// Reads every field into the edit that makes the incident so, or says what does not read.
    /// Interns the draft's strings into the dataset (harmless if the edit is never applied).
    pub fn build(&self, dataset: &mut Dataset, gazetteer: &Gazetteer) -> Result<Edit, Vec<String>> {
        let mut problems = Vec::new();
        let id = self.id.trim();
        if id.is_empty() {
            problems.push("Give the incident an id.".to_owned());
        } else if dataset
            .incidents()
            .iter()
            .any(|i| &*i.id == id && self.original.as_ref().is_none_or(|o| o.id != i.id))
        {
            problems.push(format!(
                "Another incident already has the id \u{201c}{id}\u{201d}."
            ));
        }
        if self.title.trim().is_empty() {
            problems.push("Give the incident a title.".to_owned());
        }
        let unchanged = self.original.as_ref().map(|o| &o.date).filter(|d| {
            date_text(d) == self.date.trim()
                && d.reason.as_deref().map_or("", |r| r.as_str()) == self.inferred_because.trim()
        });
        let date = match read_date(&self.date) {
            // A week stays a week (the text reads back as a range).
            _ if unchanged.is_some() => unchanged.cloned(),
            Ok(reading) if self.inferred_because.trim().is_empty() => Some(reading.interval),
            Ok(reading) => Some(
                reading
                    .interval
                    .with_inference(self.inferred_because.trim()),
            ),
            Err(e) => {
                problems.push(format!("Date: {e}."));
                None
            }
        };
        if let Some((lon, lat)) = self.point
            && !(lon.is_finite() && lat.is_finite() && lon.abs() <= 180.0 && lat.abs() <= 90.0)
        {
            problems.push(format!("The point {lat}, {lon} is not on the Earth."));
        }
        let mut added_sides: Vec<Side> = Vec::new();
        let mut added_claimants: Vec<Claimant> = Vec::new();
        let mut claims = Vec::new();
        for (n, draft) in self.claims.iter().enumerate() {
            let which = format!("Claim {}", n + 1);
            match self.claim(dataset, draft, &mut added_sides, &mut added_claimants) {
                Ok(claim) => claims.push(claim),
                Err(e) => problems.push(format!("{which}: {e}.")),
            }
        }
        let Some(date) = date.filter(|_| problems.is_empty()) else {
            return Err(problems);
        };
        let place_ref = |dataset: &mut Dataset, text: &str| {
            let text = text.trim();
            let mut place = PlaceRef::named(dataset.strings.intern(text));
            if let Some((_, id)) = self.pins.iter().find(|(n, _)| n == text) {
                place.pinned = Some(dataset.strings.intern(&gazetteer.place(*id).id));
            }
            place
        };
        let original = self.original.as_ref();
        let mut location = original.map(|i| i.location.clone()).unwrap_or_default();
        location.place = match self.place.trim() {
            "" => None,
            text if original
                .and_then(|o| o.location.place.as_ref())
                .is_some_and(|p| {
                    dataset.text(p.text) == text && !self.pins.iter().any(|(n, _)| n == text)
                }) =>
            {
                location.place.clone()
            }
            text => Some(place_ref(dataset, text)),
        };
        location.precision = self.precision;
        let point = self.point.map(|(lon, lat)| geo::Point::new(lon, lat));
        // A line or an area the file gave stays unless a point replaces it: the form edits points
        // only.
        let geometry = match point {
            Some(_) => None,
            None => original.and_then(|o| o.geometry.clone()),
        };
        // An unchanged title keeps its form (two texts of the dataset, as an ACLED row's), so an
        // incident saved as it was stays equal to what it was.
        let title = match original {
            Some(o) if dataset.title(o) == self.title.trim() => o.title.clone(),
            _ => self.title.trim().into(),
        };
        let mut incident = match original {
            Some(o) => Incident {
                id: id.into(),
                title,
                category: self.category.clone(),
                date,
                geometry,
                location,
                claims: claims.into_boxed_slice(),
                placement: crate::model::Placement::Unlocated,
                // The location's note and the members the form does not show stay as they were.
                details: o.details.clone(),
                extra: o.extra.clone(),
            },
            None => {
                let mut i = Incident::new(
                    id.into(),
                    title,
                    self.category.clone(),
                    date,
                    None,
                    location,
                    claims,
                );
                i.geometry = geometry;
                i
            }
        };
        incident.details.notes = Some(self.notes.trim()).filter(|n| !n.is_empty()).into();
        incident.details.tidy();
        // The places of each claim: kept as they were when their text is unchanged.
        for (claim, draft) in incident.claims.iter_mut().zip(&self.claims) {
            let old = draft.original.as_ref();
            let details = &mut *claim.details;
            for (field, text, was) in [
                (&mut details.from, &draft.from, old.map(|c| &c.details.from)),
                (&mut details.to, &draft.to, old.map(|c| &c.details.to)),
            ] {
                let pinned_now = text
                    .split(';')
                    .any(|t| self.pins.iter().any(|(n, _)| n == t.trim()));
                *field = match was {
                    Some(was) if places_text(dataset, was) == *text && !pinned_now => was.clone(),
                    _ => text
                        .split(';')
                        .map(str::trim)
                        .filter(|t| !t.is_empty())
                        .map(|t| place_ref(dataset, t))
                        .collect(),
                };
            }
            claim.details.tidy();
        }
        let mut incident = incident.at_point(point);
        let warnings = crate::formats::place_incident(&mut incident, &dataset.strings, gazetteer);
        let label = match original {
            None => format!("Add \u{201c}{}\u{201d}", dataset.title(&incident)),
            Some(_) => format!("Edit \u{201c}{}\u{201d}", dataset.title(&incident)),
        };
        Ok(Edit {
            label,
            before: original.cloned(),
            after: Some(incident),
            added_sides,
            added_claimants,
            warnings,
        })
    }

    /// One claim of the draft, with its claimant found or added.
    fn claim(
        &self,
        dataset: &mut Dataset,
        draft: &ClaimDraft,
        added_sides: &mut Vec<Side>,
        added_claimants: &mut Vec<Claimant>,
    ) -> Result<Claim, String> {
        let name = draft.claimant.trim();
        if name.is_empty() {
            return Err("who made it? Give the claimant".to_owned());
        }
        if draft.quote.trim().is_empty() && draft.summary.trim().is_empty() {
            return Err(format!("quote what {name} said, or summarise it"));
        }
        let claimant = match draft.known_claimant(dataset) {
            Some(id) => id,
            None => {
                let key = match_key(name);
                // Added earlier in this same draft (two claims by one new claimant).
                let offset = dataset.claimants.len();
                match added_claimants
                    .iter()
                    .position(|c| match_key(&c.name) == key)
                {
                    Some(i) => ClaimantId((offset + i) as u32),
                    None => {
                        let known = registry().find(name);
                        let side_id = known.map_or(draft.side.trim(), |k| k.side.as_str());
                        let side = side_index(dataset, side_id, added_sides).ok_or_else(|| {
                            format!("{name} is new: choose the side it speaks for")
                        })?;
                        let id = known.map_or_else(
                            || claimant_id(dataset, name, added_claimants),
                            |k| k.id.clone(),
                        );
                        added_claimants.push(Claimant {
                            id: id.into(),
                            name: known.map_or(name, |k| k.name.as_str()).into(),
                            side,
                            kind: known.map(|k| k.kind.as_str().into()),
                            colour: None,
                            implicit: false,
                            extra: None,
                        });
                        ClaimantId((offset + added_claimants.len() - 1) as u32)
                    }
                }
            }
        };
        let unchanged = draft.original.as_ref().and_then(|c| {
            c.details
                .statement_date
                .as_ref()
                .filter(|d| date_text(d) == draft.said_on.trim())
        });
        let said_on = match draft.said_on.trim() {
            // Kept whole, with why it was inferred, which the form does not show.
            _ if unchanged.is_some() => unchanged.cloned(),
            "" => None,
            text => Some(
                read_date(text)
                    .map_err(|e| format!("statement date: {e}"))?
                    .interval,
            ),
        };
        let count = |text: &str, what: &str| -> Result<Option<u32>, String> {
            match text.trim() {
                "" => Ok(None),
                t => t
                    .parse()
                    .map(Some)
                    .map_err(|_| format!("{what}: \u{201c}{t}\u{201d} is not a whole number")),
            }
        };
        let (killed, wounded, detained) = (
            count(&draft.killed, "killed")?,
            count(&draft.wounded, "wounded")?,
            count(&draft.detained, "detained")?,
        );
        let mut claim = draft
            .original
            .clone()
            .unwrap_or_else(|| Claim::quoting(claimant, ""));
        claim.claimant = claimant;
        claim.quote = draft.quote.trim().into();
        claim.details.summary = draft.summary.trim().into();
        claim.details.statement_date = said_on;
        claim.losses = if draft.losses.trim().is_empty()
            && killed.is_none()
            && wounded.is_none()
            && detained.is_none()
        {
            None
        } else {
            let extra = claim
                .losses
                .take()
                .and_then(|l| Arc::unwrap_or_clone(l).extra);
            Some(Arc::new(Losses {
                text: draft.losses.trim().into(),
                killed,
                wounded,
                detained,
                extra,
            }))
        };
        claim.source.outlet = match draft.outlet.trim() {
            "" => None,
            outlet => Some(dataset.strings.intern(outlet)),
        };
        claim.details.url = Some(draft.url.trim()).filter(|u| !u.is_empty()).into();
        claim.details.tidy();
        Ok(claim)
    }
}

/// The index of a side by id: the dataset's, or one of the registry's the edit adds.
fn side_index(dataset: &Dataset, id: &str, added: &mut Vec<Side>) -> Option<SideId> {
    if let Some(i) = dataset.sides.iter().position(|s| &*s.id == id) {
        return Some(SideId(i as u32));
    }
    if let Some(i) = added.iter().position(|s| &*s.id == id) {
        return Some(SideId((dataset.sides.len() + i) as u32));
    }
    let side = registry().side(id)?.clone();
    added.push(side);
    Some(SideId((dataset.sides.len() + added.len() - 1) as u32))
}

/// An id for a new claimant made from its name, unique in the dataset.
fn claimant_id(dataset: &Dataset, name: &str, added: &[Claimant]) -> String {
    let slug: String = crate::gazetteer::fold(name)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    let slug = if slug.is_empty() {
        "claimant".to_owned()
    } else {
        slug
    };
    let taken = |id: &str| {
        dataset.claimants.iter().any(|c| &*c.id == id) || added.iter().any(|c| &*c.id == id)
    };
    std::iter::once(slug.clone())
        .chain((2..).map(|n| format!("{slug}-{n}")))
        .find(|id| !taken(id))
        .expect("some id is free")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::load_reference;

    fn reference() -> Dataset {
        load_reference(Gazetteer::embedded()).dataset
    }

    #[test]
    fn dates_read_with_their_precision_and_why() {
        let day = read_date("16 November 2021").expect("a day");
        assert_eq!(day.interval.precision, DatePrecision::Day);
        let month = read_date("November 2021").expect("a month");
        assert_eq!(month.interval.precision, DatePrecision::Month);
        assert!(
            month.explanation.contains("no day was given"),
            "{}",
            month.explanation
        );
        let range = read_date("2021-11-16 to 2021-11-18").expect("a range");
        assert!(
            range.explanation.contains("3 days"),
            "{}",
            range.explanation
        );
        assert!(read_date("last Tuesday").is_err());
    }

    #[test]
    fn an_unchanged_draft_gives_back_the_incident() {
        let mut dataset = reference();
        for incident in dataset.incidents().to_vec() {
            let draft = IncidentDraft::of(&dataset, &incident);
            let edit = draft
                .build(&mut dataset, Gazetteer::embedded())
                .expect("reads");
            assert_eq!(edit.after(), Some(&incident), "{}", incident.id);
        }
    }

    #[test]
    fn unchanged_drafts_of_imported_rows_give_back_the_rows() {
        let gazetteer = Gazetteer::embedded();
        let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        let files = [
            crate::formats::load_bytes(
                &crate::bench::acled_file::acled_bytes(200, 3),
                "acled.csv",
                gazetteer,
            ),
            crate::formats::load_path(&fixtures.join("ucdp_ged231_rows.csv"), gazetteer),
            crate::formats::load_path(&fixtures.join("claims.csv"), gazetteer),
            // Unknown members of features, locations, claims and sources, which the form keeps.
            crate::formats::load_path(&fixtures.join("unknown_members.geojson"), gazetteer),
        ];
        for loaded in files {
            let mut dataset = loaded.expect("loads").dataset;
            for incident in dataset.incidents().to_vec() {
                let draft = IncidentDraft::of(&dataset, &incident);
                let edit = draft.build(&mut dataset, gazetteer).expect("reads");
                assert_eq!(edit.after(), Some(&incident), "{}", incident.id);
                // Nor does the form allocate details a row did not have.
                let after = edit.after().expect("built");
                assert_eq!(
                    after.details.is_allocated(),
                    incident.details.is_allocated()
                );
                for (a, b) in after.claims.iter().zip(&incident.claims) {
                    assert_eq!(a.details.is_allocated(), b.details.is_allocated());
                }
            }
        }
    }

    #[test]
    fn a_new_incident_with_claims_from_both_sides_is_contested() {
        let mut dataset = reference();
        let mut draft = IncidentDraft::new(&dataset);
        draft.title = "Night fire at Sotk".into();
        draft.date = "2021-11-16".into();
        draft.place = "Sotk".into();
        draft.claims = vec![
            ClaimDraft {
                quote: "Armenian units opened fire.".into(),
                ..ClaimDraft::by("Ministry of Defence of Azerbaijan", "")
            },
            ClaimDraft {
                quote: "The fire came from the Azerbaijani side.".into(),
                killed: "2".into(),
                ..ClaimDraft::by("Village head of Sotk", "am")
            },
        ];
        let edit = draft
            .build(&mut dataset, Gazetteer::embedded())
            .expect("reads");
        let index = edit.apply(&mut dataset).expect("added");
        let incident = &dataset.incidents()[index];
        assert!(dataset.is_contested(incident));
        assert_eq!(
            incident.claims[1].losses.as_ref().and_then(|l| l.killed),
            Some(2)
        );
        assert!(incident.point().is_some(), "Sotk is in the gazetteer");
        edit.revert(&mut dataset);
        assert_eq!(dataset.incidents(), reference().incidents());
        assert_eq!(dataset.claimants.len(), reference().claimants.len());
    }

    #[test]
    fn what_does_not_read_is_said_and_nothing_is_built() {
        let mut dataset = reference();
        let taken = dataset.incidents()[0].id.to_string();
        let mut draft = IncidentDraft::new(&dataset);
        draft.id = taken;
        draft.date = "soon".into();
        draft.claims = vec![ClaimDraft {
            quote: "x".into(),
            killed: "many".into(),
            ..ClaimDraft::by("Somebody new", "")
        }];
        let problems = draft
            .build(&mut dataset, Gazetteer::embedded())
            .expect_err("refused");
        let all = problems.join("\n");
        for expected in ["already has the id", "title", "not a date", "Claim 1"] {
            assert!(all.contains(expected), "{expected} in {all}");
        }
    }
}
