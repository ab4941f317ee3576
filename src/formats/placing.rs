//! The last step of every load: each place a dataset names is looked up in the gazetteer, and
//! each incident placed on the map (at its own geometry, else at its location's place).
//!
//! Rows are placed in chunks on all cores; what a chunk finds (names unknown, ambiguous, or far
//! from the row's coordinates) is kept in row order and told to the load report chunk after chunk,
//! so the report says the same, in the same order, as one pass over the rows would.

use geo::{Contains, Distance, Haversine};

use crate::formats::report::{Issue, LoadReport};
use crate::fxhash::FxMap;
use crate::gazetteer::{Gazetteer, PlaceId};
use crate::geometry;
use crate::model::{Incident, Interner, LocationPrecision, Placement, Sym};
use crate::parallel;

/// How far a row's place may lie from the row's own coordinates and still be the place it names:
/// GeoNames and a file's coordinates for one village differ by a few km; "near" rows by more; a
/// district's or province's label point lies far inside it.
fn agreement_radius_m(precision: LocationPrecision) -> Option<f64> {
    match precision {
        LocationPrecision::Exact => Some(10_000.0),
        LocationPrecision::Near => Some(30_000.0),
        LocationPrecision::District => Some(75_000.0),
        LocationPrecision::Province => Some(150_000.0),
        LocationPrecision::Country | LocationPrecision::Region => None,
    }
}

/// Which of a name's candidates a row at its own coordinates names.
#[derive(Copy, Clone, Debug, PartialEq)]
enum Nearest {
    /// The nearest within the agreement radius (a settlement first, for a row placed exactly or
    /// near one).
    Within(PlaceId),
    /// None lies within it: the nearest, and how far it is.
    Beyond { metres: f64, place: PlaceId },
}

/// Distances remembered per name, point and precision; past this many the rest are worked out
/// each time, so the memo stays a few MB.
const NEAREST_MEMO_MAX: usize = 1 << 16;

/// Rows asked about before the memo judges whether it pays.
const NEAREST_MEMO_TRIAL: u32 = 1 << 14;

/// Which candidate a row names, remembered per name, point and precision: rows of one place repeat
/// its name and its coordinates (an ACLED location is one point). In a file whose every row has
/// coordinates of its own (jittered, or measured on the ground), nothing repeats; after a trial
/// the memo then stops being asked, which would cost a lookup a row for nothing.
#[derive(Default)]
struct NearestMemo {
    known: FxMap<(Sym, u64, u64, LocationPrecision), Nearest>,
    asked: u32,
    found: u32,
    off: bool,
}

impl NearestMemo {
    fn get_or(
        &mut self,
        key: (Sym, u64, u64, LocationPrecision),
        work_out: impl FnOnce() -> Nearest,
    ) -> Nearest {
        if self.off {
            return work_out();
        }
        self.asked += 1;
        if let Some(&nearest) = self.known.get(&key) {
            self.found += 1;
            return nearest;
        }
        let nearest = work_out();
        if self.asked >= NEAREST_MEMO_TRIAL && self.found < self.asked / 4 {
            self.off = true;
            self.known = FxMap::default();
        } else if self.known.len() < NEAREST_MEMO_MAX {
            self.known.insert(key, nearest);
        }
        nearest
    }
}

/// The candidate of `candidates` (not empty) a row at `point` with `precision` names.
fn nearest_candidate(
    gazetteer: &Gazetteer,
    candidates: &[PlaceId],
    point: geo::Point<f64>,
    precision: LocationPrecision,
    radius: f64,
) -> Nearest {
    debug_assert!(!candidates.is_empty());
    let distance = |id: PlaceId| {
        let place = gazetteer.place(id);
        if place.polygon.as_ref().is_some_and(|p| p.contains(&point)) {
            0.0
        } else {
            Haversine.distance(place.point, point)
        }
    };
    let distances: Vec<(f64, PlaceId)> = candidates.iter().map(|&id| (distance(id), id)).collect();
    // Nearest first; between equally near (a town and the district around it) the better match.
    // A row located exactly or near a place names the town or village at its coordinates, not
    // the district whose outline holds them too.
    let names_a_settlement = matches!(
        precision,
        LocationPrecision::Exact | LocationPrecision::Near
    );
    let within = || distances.iter().filter(|(d, _)| *d <= radius);
    let nearest = within()
        .filter(|(_, id)| names_a_settlement && !gazetteer.place(*id).kind.is_area())
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .or_else(|| within().min_by(|a, b| a.0.total_cmp(&b.0)));
    match nearest {
        Some(&(_, id)) => Nearest::Within(id),
        None => {
            let &(metres, place) = distances
                .iter()
                .min_by(|a, b| a.0.total_cmp(&b.0))
                .expect("candidates is not empty");
            Nearest::Beyond { metres, place }
        }
    }
}

/// Resolves every place reference and places every incident; records unresolved names and
/// ambiguity in the report, at the line of the incident when the reader knows it (`lines`).
///
/// An incident with coordinates of its own (a table row) takes, for its location's name, the
/// candidate nearest those coordinates within [`agreement_radius_m`], never a farther homonym;
/// when none lies that close the name stays the file's text, unresolved, and the disagreement is
/// reported.
pub(crate) fn resolve_places(
    incidents: &mut [Incident],
    lines: &[u32],
    strings: &Interner,
    gazetteer: &Gazetteer,
    report: &mut LoadReport,
) {
    let threads = parallel::cores();
    let chunks = if incidents.len() >= 2 * CHUNK_MIN_ROWS {
        chunks_for(incidents.len(), threads)
    } else {
        1
    };
    resolve_places_in_chunks(
        incidents, lines, strings, gazetteer, report, chunks, threads,
    );
}

/// Chunks a thread: rows differ in work (a row's name has one candidate or dozens, the memo
/// answers or not) and a core may be taken by another process, so one chunk a thread left one
/// thread idle while the other finished; with several, a free thread takes the next.
const CHUNKS_PER_THREAD: usize = 8;

/// How many chunks `rows` rows are placed in on `threads` threads: [`CHUNKS_PER_THREAD`] each,
/// none under [`CHUNK_MIN_ROWS`] rows.
fn chunks_for(rows: usize, threads: usize) -> usize {
    (threads * CHUNKS_PER_THREAD)
        .min(rows / CHUNK_MIN_ROWS)
        .max(1)
}

/// [`resolve_places`] with the rows cut into `chunks` chunks, placed on up to `threads` threads.
fn resolve_places_in_chunks(
    incidents: &mut [Incident],
    lines: &[u32],
    strings: &Interner,
    gazetteer: &Gazetteer,
    report: &mut LoadReport,
    chunks: usize,
    threads: usize,
) {
    let chunk_rows = incidents.len().div_ceil(chunks.max(1)).max(1);
    // Each chunk with the index of its first row, which finds its rows' lines.
    let parts: Vec<(usize, &mut [Incident])> = incidents
        .chunks_mut(chunk_rows)
        .enumerate()
        .map(|(n, chunk)| (n * chunk_rows, chunk))
        .collect();
    // Each thread keeps what its chunks learnt for its next chunk.
    let placed = parallel::map_with(
        parts,
        threads.max(1),
        Learnt::default,
        |learnt, _, (first, chunk)| {
            let rows = lines.get(first..).unwrap_or(&[]);
            place_chunk(chunk, rows, strings, gazetteer, learnt)
        },
    );
    let mut unresolved = std::collections::HashSet::new();
    let mut warned_ambiguous = std::collections::HashSet::new();
    for chunk in placed {
        let chunk = parallel::raised(chunk, "placing the rows");
        for finding in chunk.findings {
            match finding {
                Finding::Far(issue) => report.warnings.push(issue),
                Finding::Unresolved(shown) => {
                    if unresolved.insert(shown.clone()) {
                        report.unresolved_places.push(shown);
                    }
                }
                Finding::Ambiguous(text, issue) => {
                    if warned_ambiguous.insert(text) {
                        report.push_warning(issue);
                    }
                }
            }
        }
        report.unlocated += chunk.unlocated;
    }
}

/// Fewer rows than this a chunk are placed on one thread: starting threads would cost more.
const CHUNK_MIN_ROWS: usize = 20_000;

/// What placing a chunk of rows found for the report, in row order.
#[derive(Default)]
struct Placed {
    findings: Vec<Finding>,
    unlocated: usize,
}

enum Finding {
    /// A row's place lies beyond the agreement radius of its coordinates.
    Far(Issue),
    /// A name the gazetteer does not know (or a pinned id it lacks), as shown.
    Unresolved(String),
    /// A name several places match about equally: the name, and the warning.
    Ambiguous(String, Issue),
}

/// A name's place, whether it is ambiguous, and its candidates.
type Candidates = (Option<PlaceId>, bool, Vec<PlaceId>);

/// What placing a chunk learns that serves the next chunks of the same load: each name's
/// candidates (looking a name up in the gazetteer costs as much as placing hundreds of rows) and
/// the memo of distances. Neither changes what a row is given, only how soon.
#[derive(Default)]
struct Learnt {
    names: FxMap<(Sym, Option<Sym>), Candidates>,
    nearest: NearestMemo,
}

/// Places the rows of one chunk; `lines[i]` is the file line of `incidents[i]`, if known.
fn place_chunk(
    incidents: &mut [Incident],
    lines: &[u32],
    strings: &Interner,
    gazetteer: &Gazetteer,
    learnt: &mut Learnt,
) -> Placed {
    let Learnt {
        names: cache,
        nearest: nearest_memo,
    } = learnt;
    // Told once per chunk; the report is told once per load.
    let mut unresolved: FxMap<&str, ()> = FxMap::default();
    let mut warned_ambiguous: FxMap<&str, ()> = FxMap::default();
    let mut placed = Placed::default();
    for (index, incident) in incidents.iter_mut().enumerate() {
        let line = lines.get(index).map_or(0, |l| *l as usize);
        let own_point = incident
            .own_geometry()
            .and_then(|g| geometry::representative_point(&g));
        let precision = incident.location.precision;
        let radius = agreement_radius_m(precision);
        let location_count = incident.location.place.iter().count();
        let refs = incident.location.place.iter_mut().chain(
            incident
                .claims
                .iter_mut()
                .filter_map(|c| c.details.get_mut())
                .flat_map(|d| d.from.iter_mut().chain(d.to.iter_mut())),
        );
        for (n, place_ref) in refs.enumerate() {
            let (best, ambiguous, candidates) = cache
                .entry((place_ref.text, place_ref.pinned))
                .or_insert_with(|| {
                    let text = strings.resolve(place_ref.text);
                    match place_ref.pinned {
                        Some(p) => (gazetteer.by_id(strings.resolve(p)), false, Vec::new()),
                        None => {
                            let resolution = gazetteer.resolve(text);
                            let candidates = resolution.matches.iter().map(|m| m.place).collect();
                            (resolution.best(), resolution.is_ambiguous(), candidates)
                        }
                    }
                });
            let (mut resolved, mut ambiguous) = (*best, *ambiguous);
            let text = strings.resolve(place_ref.text);
            let is_location = n < location_count;
            if let (true, Some(point), Some(radius), None) =
                (is_location, own_point, radius, place_ref.pinned)
                && !candidates.is_empty()
            {
                let key = (
                    place_ref.text,
                    point.x().to_bits(),
                    point.y().to_bits(),
                    precision,
                );
                let nearest = nearest_memo.get_or(key, || {
                    nearest_candidate(gazetteer, candidates, point, precision, radius)
                });
                ambiguous = false;
                match nearest {
                    Nearest::Within(id) => resolved = Some(id),
                    Nearest::Beyond { metres, place: id } => {
                        let p = gazetteer.place(id);
                        placed.findings.push(Finding::Far(Issue {
                            line,
                            column: None,
                            sheet: None,
                            message: format!(
                                "place \"{text}\" is {:.0} km from the row's coordinates at the nearest (\"{}\", {}, {}); the row keeps its coordinates and the file's name",
                                metres / 1000.0,
                                p.name(),
                                p.kind.as_str(),
                                gazetteer.admin1_name(p).unwrap_or(&p.country)
                            ),
                        }));
                        resolved = None;
                    }
                }
            }
            place_ref.resolved = resolved;
            place_ref.ambiguous = ambiguous;
            if resolved.is_none() {
                if place_ref.pinned.is_some() || candidates.is_empty() {
                    let shown = place_ref.pinned.map_or(text, |p| strings.resolve(p));
                    if unresolved.insert(shown, ()).is_none() {
                        placed.findings.push(Finding::Unresolved(shown.to_owned()));
                    }
                }
            } else if ambiguous && warned_ambiguous.insert(text, ()).is_none() {
                placed.findings.push(Finding::Ambiguous(
                    text.to_owned(),
                    ambiguity_warning(gazetteer, text, line),
                ));
            }
        }
        incident.placement = match own_point {
            Some(p) => Placement::Geometry(p),
            None => match incident.location.place.as_ref().and_then(|p| p.resolved) {
                Some(place) => Placement::Gazetteer(gazetteer.place(place).point),
                None => Placement::Unlocated,
            },
        };
        if incident.placement == Placement::Unlocated {
            placed.unlocated += 1;
        }
    }
    placed
}

/// The warning for a name several places match about equally, naming the first few.
fn ambiguity_warning(gazetteer: &Gazetteer, text: &str, line: usize) -> Issue {
    let resolution = gazetteer.resolve(text);
    let candidates: Vec<String> = resolution
        .matches
        .iter()
        .take(1)
        .chain(resolution.rivals())
        .take(4)
        .map(|m| {
            let p = gazetteer.place(m.place);
            format!(
                "{} ({}, {})",
                p.name(),
                p.kind.as_str(),
                gazetteer.admin1_name(p).unwrap_or(&p.country)
            )
        })
        .collect();
    Issue {
        line,
        column: None,
        sheet: None,
        message: format!(
            "place \"{text}\" is ambiguous: {}; the first is used — pin one with {{\"text\", \"place\"}}",
            candidates.join(", ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Format;

    /// Rows naming places near and far from their coordinates, ambiguous, unknown, and none.
    fn table(rows: usize) -> String {
        let kinds = [
            "40.92511,45.44873,Agarak",
            "40.905278,45.556389,Aghdam",
            "40.18,44.51,Kalbajar",
            ",,Istisu",
            "39.94628,45.96062,Istisu",
            "40.07,46.19,Kalbajar",
            ",,Nowhere Village",
            "40.1,45.1,Another Unknown Place",
            ",,Lachin",
        ];
        let mut text = String::from("id,date,lat,lon,place_desc,title,description,source\n");
        for n in 0..rows {
            // Every kind, in an order that differs from chunk to chunk.
            let kind = kinds[(n * 4 + n / 9) % kinds.len()];
            text.push_str(&format!(
                "R-{n},2021-05-{:02},{kind},Row {n},As reported,Local media\n",
                1 + n % 28
            ));
        }
        text
    }

    /// Cut into chunks, the rows are placed and reported exactly as in one pass: the same places,
    /// points and ambiguity, and the same warnings and unknown names in the same order.
    #[test]
    fn chunks_place_and_report_as_one_pass() {
        let gazetteer = Gazetteer::embedded();
        let loaded = crate::formats::load_bytes(table(500).as_bytes(), "rows.csv", gazetteer)
            .expect("loads");
        let dataset = &loaded.dataset;
        let lines: Vec<u32> = (0..dataset.incidents().len() as u32)
            .map(|n| n + 2)
            .collect();
        let place = |chunks: usize, threads: usize| {
            let mut incidents = dataset.incidents().to_vec();
            let mut report = LoadReport::new("rows.csv", Format::Csv);
            resolve_places_in_chunks(
                &mut incidents,
                &lines,
                &dataset.strings,
                gazetteer,
                &mut report,
                chunks,
                threads,
            );
            (incidents, report)
        };
        let (one, one_report) = place(1, 1);
        assert!(
            one_report
                .warnings
                .iter()
                .any(|w| w.message.contains("km from the row"))
        );
        assert!(
            one_report
                .warnings
                .iter()
                .any(|w| w.message.contains("is ambiguous"))
        );
        assert_eq!(
            one_report.unresolved_places.len(),
            2,
            "{:?}",
            one_report.unresolved_places
        );
        assert!(one_report.unlocated > 0);
        // As many chunks as threads, more chunks than threads (taken by whichever is free, in
        // any order), and one thread taking every chunk in turn.
        for (chunks, threads) in [(2, 2), (3, 3), (7, 2), (16, 2), (64, 3), (64, 64), (9, 1)] {
            let (many, report) = place(chunks, threads);
            let what = format!("{chunks} chunks on {threads} threads");
            assert_eq!(many, one, "{what}");
            assert_eq!(report.warnings, one_report.warnings, "{what}");
            assert_eq!(report.warning_count, one_report.warning_count, "{what}");
            assert_eq!(
                report.unresolved_places, one_report.unresolved_places,
                "{what}"
            );
            assert_eq!(report.unlocated, one_report.unlocated, "{what}");
        }
    }

    /// Large loads are cut into several chunks a thread, never smaller than the minimum; small
    /// ones stay whole.
    #[test]
    fn chunks_a_thread_but_not_too_small() {
        assert_eq!(chunks_for(10_000_000, 2), 2 * CHUNKS_PER_THREAD);
        assert_eq!(chunks_for(1_000_000, 2), 2 * CHUNKS_PER_THREAD);
        assert_eq!(chunks_for(100_000, 2), 5);
        assert_eq!(chunks_for(30_000, 2), 1);
        assert_eq!(chunks_for(0, 2), 1);
        assert_eq!(chunks_for(10_000_000, 1), CHUNKS_PER_THREAD);
    }

    /// The memo gives what working out gives; it stops being asked when rows do not repeat, and
    /// goes on when they do.
    #[test]
    fn the_memo_stops_when_nothing_repeats() {
        let place = PlaceId(0);
        let key = |n: u64| (Sym::from_index(0), n, 0, LocationPrecision::Exact);
        let mut unique = NearestMemo::default();
        for n in 0..u64::from(NEAREST_MEMO_TRIAL) + 10 {
            let metres = n as f64;
            let got = unique.get_or(key(n), || Nearest::Beyond { metres, place });
            assert_eq!(got, Nearest::Beyond { metres, place });
        }
        assert!(unique.off && unique.known.is_empty());
        let mut repeating = NearestMemo::default();
        for n in 0..u64::from(NEAREST_MEMO_TRIAL) * 2 {
            let got = repeating.get_or(key(n % 100), || Nearest::Within(place));
            assert_eq!(got, Nearest::Within(place));
        }
        assert!(!repeating.off && repeating.known.len() == 100);
    }
}
