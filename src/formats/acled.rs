//! ACLED CSV exports: the current 31-column layout, older ones (data_id, event_id_no_cnty, iso3,
//! numeric inter codes, no civilian_targeting or tags, with or without fatalities) and HDX exports
//! with a row of HXL hashtags under the header.
//!
//! One incident per row. ACLED's `source` names the outlets and bodies whose reports ACLED coded,
//! joined by ";" ("Azerbaijan Ministry of Defence; Trend"). Each is its own claimant, sided
//! through claimmap's claimant registry (the two ministries of defence on their own sides, Trend
//! on Azerbaijan's, Reuters on the press's); a name the registry does not know stays on the
//! non-party side "acled-source" and is listed in the load report. Every claimant of a row has
//! its own claim on the same text, the row's `notes` — ACLED's words on what its sources
//! report, not any one claimant's — so each claim's source says so: the outlet is the row's whole
//! `source` text and the document "ACLED notes". A row with sources from both parties is
//! contested, which is what ACLED's notes then describe. Every column the model does not hold is
//! kept as a property of the incident, so nothing is lost and `convert` writes it out.

use crate::formats::dates::{month_interval, parse_day};
use crate::formats::native::Parsed;
use crate::formats::report::LoadReport;
use crate::formats::rows::{self, ExtraColumns, MissingColumns, Table};
use crate::model::{
    Category, Claim, DateInterval, DatePrecision, Incident, IncidentId, Location,
    LocationPrecision, Losses, PlaceRef, Source, Title,
};

use chrono::Datelike;

/// Columns that, next to `event_date`, mark an ACLED export.
const MARKERS: [&str; 12] = [
    "event_id_cnty",
    "event_id_no_cnty",
    "data_id",
    "time_precision",
    "geo_precision",
    "sub_event_type",
    "event_type",
    "actor1",
    "inter1",
    "interaction",
    "source_scale",
    "disorder_type",
];

/// Whether a header (normalised names) is ACLED's.
pub(crate) fn is_acled(keys: &[String]) -> bool {
    let has = |n: &str| keys.iter().any(|k| k == n);
    has("event_date") && (has("event_id_cnty") || MARKERS.iter().filter(|m| has(m)).count() >= 4)
}

/// The incident category for an event type and sub-event type.
pub(crate) fn category(event_type: &str, sub_event_type: &str) -> Category {
    let sub = sub_event_type.to_ascii_lowercase();
    let event = event_type.to_ascii_lowercase();
    if sub.contains("landmine") || sub.contains("remote explosive") {
        return Category::Mine;
    }
    if sub.contains("abduction") || sub.contains("arrest") {
        return Category::Detention;
    }
    if sub.contains("territory") {
        return Category::MilitaryOperation;
    }
    if sub == "agreement" {
        return Category::Political;
    }
    match event.as_str() {
        "battles" => Category::ExchangeOfFire,
        "explosions/remote violence" => Category::ArmedAttack,
        "violence against civilians" if sub.contains("sexual") => Category::Other,
        "violence against civilians" => Category::Killing,
        "protests" | "riots" => Category::Political,
        "strategic developments" => Category::Other,
        _ => Category::Other,
    }
}

/// The date interval of an event date and ACLED's time_precision code.
fn date(text: &str, precision: &str) -> Result<DateInterval, String> {
    let day = parse_day(text).ok_or_else(|| {
        format!("unparseable event_date \"{text}\" (expected e.g. 26 May 2021, 2021-05-26 or 26/05/2021)")
    })?;
    let interval = match precision {
        "" | "1" => DateInterval::day(day),
        // Within a week; the date is mid-period.
        "2" => DateInterval::new(day.add_days(-3), day.add_days(3), DatePrecision::Week)
            .map_err(|e| e.to_string())?,
        "3" => {
            let naive = day.to_naive();
            month_interval(naive.year(), naive.month())
                .ok_or_else(|| format!("no month for event_date \"{text}\""))?
        }
        other => {
            return Err(format!(
                "unknown time_precision code \"{other}\" (expected 1, 2 or 3)"
            ));
        }
    };
    Ok(interval)
}

fn location_precision(code: &str) -> Result<LocationPrecision, String> {
    match code {
        "" | "1" => Ok(LocationPrecision::Exact),
        "2" => Ok(LocationPrecision::Near),
        "3" => Ok(LocationPrecision::District),
        other => Err(format!(
            "unknown geo_precision code \"{other}\" (expected 1, 2 or 3)"
        )),
    }
}

pub(crate) const CITATION: &str = "Armed Conflict Location & Event Data (ACLED), acleddata.com. Raleigh, Clionadh, Andrew Linke, Håvard Hegre and Joakim Karlsen (2010): Introducing ACLED: An Armed Conflict Location and Event Dataset. Journal of Peace Research 47(5): 651–660.";

/// Reads an ACLED export whose header uses `delimiter`.
pub(crate) fn read(
    input: rows::Input<'_>,
    delimiter: u8,
    options: rows::ReadOptions,
    path: &str,
    report: &mut LoadReport,
) -> Result<Parsed, MissingColumns> {
    let mut table = Table::open(input, delimiter, options);
    let col = |names: &[&str]| table.column(names);
    let event_date = col(&["event_date"]);
    let latitude = col(&["latitude"]);
    let longitude = col(&["longitude"]);
    table.missing(&[
        ("event_date", event_date),
        ("latitude", latitude),
        ("longitude", longitude),
    ])?;
    let id = col(&["event_id_cnty"]);
    let fallback_id = col(&["data_id", "event_id_no_cnty"]);
    let time_precision = col(&["time_precision"]);
    let geo_precision = col(&["geo_precision"]);
    let event_type = col(&["event_type"]);
    let sub_event_type = col(&["sub_event_type"]);
    let location = col(&["location"]);
    let source = col(&["source"]);
    let notes = col(&["notes"]);
    let fatalities = col(&["fatalities"]);
    let (iso, country) = (col(&["iso"]), col(&["country"]));
    // Kept as properties: everything but what the model holds (the id, the point, the place, the
    // claimant and the quote). event_date stays: a month-precision date loses the day.
    let extras = ExtraColumns::all_but(&table, &[id, latitude, longitude, location, source, notes]);

    let mut builder = extras.builder();
    let side = builder.non_party_side(UNKNOWN_SIDE, "ACLED sources (reporters)");
    let unsourced = "ACLED (no source given)";
    // Interned before the parts clone the strings, so every part shares the symbol.
    let acled_notes = builder.strings.intern("ACLED notes");
    table.for_each_row(report, &mut builder, |row, builder, report| {
        let date = date(row.get(event_date), row.get(time_precision))?;
        let precision = location_precision(row.get(geo_precision))?;
        let point = rows::lat_lon(row.get(latitude), row.get(longitude))?;
        rows::check_country(report, row.line, row.get(iso), row.get(country), point);
        let id: IncidentId = match (row.get(id), row.get(fallback_id)) {
            ("", "") => format!("acled-line-{}", row.line).into(),
            ("", other) | (other, _) => other.into(),
        };
        let (event, sub, place) = (
            row.get(event_type),
            row.get(sub_event_type),
            row.get(location),
        );
        let kind = if sub.is_empty() { event } else { sub };
        let place_sym = (!place.is_empty()).then(|| builder.strings.intern(place));
        let title = match (kind, place_sym) {
            ("", None) => format!("ACLED event {id}").into(),
            ("", Some(_)) => builder.shared(place).into(),
            (kind, None) => builder.shared(kind).into(),
            (kind, Some(place)) => Title::WhatAt {
                what: builder.strings.intern(kind),
                place,
            },
        };
        let source_text = row.get(source);
        let losses = match row.get(fatalities) {
            "" => None,
            n => match n.parse::<u32>() {
                Ok(count) => Some(builder.shared_losses(n, |builder| Losses {
                    text: builder.shared(&format!("{count} fatalities (ACLED's count)")),
                    killed: Some(count),
                    ..Losses::default()
                })),
                Err(_) => {
                    report.warning(
                        row.line,
                        format!("fatalities \"{n}\" is not a whole number; kept as text only"),
                    );
                    None
                }
            },
        };
        let outlet = (!source_text.is_empty()).then(|| builder.strings.intern(source_text));
        let quote = row.text(notes);
        let mut claims: Vec<Claim> = Vec::with_capacity(1);
        for name in source_names(source_text) {
            let claimant = builder.source_claimant(name, side, "source");
            // Two spellings of one claimant in a row ("Armenpress; ARMENPRESS") are one claim.
            if claims.iter().all(|c| c.claimant != claimant) {
                claims.push(Claim {
                    losses: losses.clone(),
                    source: Source {
                        outlet,
                        document: Some(acled_notes),
                    },
                    ..Claim::quoting(claimant, quote.clone())
                });
            }
        }
        if claims.is_empty() {
            claims.push(Claim {
                losses,
                source: Source {
                    document: Some(acled_notes),
                    ..Source::default()
                },
                ..Claim::quoting(builder.claimant(unsourced, side, "source"), quote)
            });
        }
        let place = place_sym.map(PlaceRef::named);
        let incident = Incident::new(
            id,
            title,
            category(event, sub),
            date,
            None,
            Location::at(place, precision),
            claims,
        )
        .at_point(point);
        extras.push(builder, incident, row, "");
        Ok(())
    });
    let meta = crate::model::DatasetMeta::imported(
        format!("{} (ACLED)", rows::file_name(path)),
        "Imported from an ACLED export: one incident per event, one claim per source the event cites (its `source` split on \";\", sided through claimmap's claimant registry), each quoting ACLED's notes. Columns claimmap does not model are kept as properties.",
        "ACLED terms of use (acleddata.com/terms-of-use)",
        CITATION,
    );
    report_unregistered(&builder, UNKNOWN_SIDE, &[unsourced], "ACLED source", report);
    Ok(builder.finish(meta, report))
}

/// The non-party side of the sources the claimant registry does not know.
const UNKNOWN_SIDE: &str = "acled-source";

/// The names a source column joins with ";", trimmed, empty ones left out.
pub(crate) fn source_names(text: &str) -> impl Iterator<Item = &str> {
    text.split(';').map(str::trim).filter(|n| !n.is_empty())
}

/// Lists in the report the claimants left on the neutral side `side` because the registry does
/// not know them.
pub(crate) fn report_unregistered(
    builder: &rows::Builder,
    side: &str,
    except: &[&str],
    what: &str,
    report: &mut LoadReport,
) {
    let mut names = builder.claimants_on(side);
    names.retain(|n| !except.contains(&n.as_str()));
    if names.is_empty() {
        return;
    }
    names.sort();
    const SHOWN: usize = 12;
    let shown: Vec<&str> = names.iter().take(SHOWN).map(String::as_str).collect();
    let more = names.len().saturating_sub(SHOWN);
    report.warning(
        0,
        format!(
            "{} {what} name(s) are not in claimmap's claimant registry and stay on the neutral side: {}{}",
            names.len(),
            shown.join("; "),
            if more > 0 { format!("; and {more} more") } else { String::new() }
        ),
    );
    report.unregistered_claimants = names;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Gazetteer;
    use crate::model::Day;
    use std::sync::Arc;

    #[test]
    fn precision_codes() {
        let d = |s: &str| Day::parse_iso(s).expect("date");
        let week = date("26 May 2021", "2").expect("week");
        assert_eq!(
            (week.start(), week.end()),
            (d("2021-05-23"), d("2021-05-29"))
        );
        assert_eq!(week.precision, DatePrecision::Week);
        let month = date("2021-05-26", "3").expect("month");
        assert_eq!(
            (month.start(), month.end()),
            (d("2021-05-01"), d("2021-05-31"))
        );
        assert!(date("2021-05-26", "4").is_err_and(|e| e.contains("time_precision")));
        assert!(date("someday", "1").is_err_and(|e| e.contains("unparseable")));
        assert_eq!(location_precision("3"), Ok(LocationPrecision::District));
        assert!(location_precision("9").is_err());
    }

    #[test]
    fn categories() {
        assert_eq!(category("Battles", "Armed clash"), Category::ExchangeOfFire);
        assert_eq!(
            category(
                "Explosions/Remote violence",
                "Shelling/artillery/missile attack"
            ),
            Category::ArmedAttack
        );
        assert_eq!(
            category(
                "Explosions/Remote violence",
                "Remote explosive/landmine/IED"
            ),
            Category::Mine
        );
        assert_eq!(
            category("Violence against civilians", "Attack"),
            Category::Killing
        );
        assert_eq!(
            category(
                "Violence against civilians",
                "Abduction/forced disappearance"
            ),
            Category::Detention
        );
        assert_eq!(
            category("Protests", "Peaceful protest"),
            Category::Political
        );
        assert_eq!(
            category("Strategic developments", "Agreement"),
            Category::Political
        );
        assert_eq!(
            category("Strategic developments", "Arrests"),
            Category::Detention
        );
        assert_eq!(category("", ""), Category::Other);
    }

    /// Rows giving the same fatalities share one `Losses`, and each claim still reads its row's.
    #[test]
    fn equal_counts_share_their_losses() {
        let text =
            String::from_utf8(crate::bench::acled_file::acled_bytes(2000, 3)).unwrap_or_default();
        let loaded =
            crate::formats::load_bytes(text.as_bytes(), "shared.csv", Gazetteer::embedded())
                .unwrap_or_else(|e| panic!("{e}"));
        let mut records = csv::Reader::from_reader(text.as_bytes());
        let headers = records.headers().unwrap_or_else(|e| panic!("{e}")).clone();
        let column = |name: &str| headers.iter().position(|h| h == name);
        let (id, fatalities) = (column("event_id_cnty"), column("fatalities"));
        let counts: std::collections::HashMap<String, u32> = records
            .records()
            .filter_map(Result::ok)
            .filter_map(|r| {
                let count = r.get(fatalities?)?.parse().ok()?;
                Some((r.get(id?)?.to_owned(), count))
            })
            .collect();
        let mut distinct = std::collections::HashSet::new();
        let mut values = std::collections::HashSet::new();
        let mut claims = 0;
        for incident in loaded.dataset.incidents() {
            for claim in incident.claims.iter() {
                let losses = claim
                    .losses
                    .as_ref()
                    .unwrap_or_else(|| panic!("{}", incident.id));
                assert_eq!(losses.killed, counts.get(&*incident.id).copied());
                distinct.insert(Arc::as_ptr(losses));
                values.insert(losses.killed);
                claims += 1;
            }
        }
        assert!(claims > 2000, "{claims} claims");
        // Each part of the load keeps one per count it met.
        let parts = crate::parallel::cores().max(1);
        assert!(
            distinct.len() <= values.len() * parts,
            "{} allocations for {} counts",
            distinct.len(),
            values.len()
        );
    }
}

#[cfg(test)]
mod parallel_tests {
    /// A file streamed in small blocks loads as it does read whole: same incidents, same report,
    /// same hash; bad rows are reported on their lines.
    #[test]
    fn a_streamed_file_loads_as_a_whole_one() {
        let text = bad_rows_text();
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("big.csv");
        std::fs::write(&path, &text).unwrap_or_else(|e| panic!("{e}"));
        let whole = crate::formats::load_bytes(
            text.as_bytes(),
            &path.display().to_string(),
            Gazetteer::embedded(),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let streamed =
            crate::formats::load_streamed_in_small_blocks(&path).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(streamed.report, whole.report);
        assert_eq!(
            streamed.report.error_count, 7,
            "{:?}",
            streamed.report.errors
        );
        // The hash, computed on its own thread beside the streamed load, is the file's.
        assert_eq!(
            streamed.dataset.provenance.sha256.hex(),
            crate::formats::sha256_hex(text.as_bytes())
        );
        assert_eq!(streamed.dataset.provenance, whole.dataset.provenance);
        assert_eq!(streamed.dataset.incidents(), whole.dataset.incidents());
        assert_eq!(streamed.dataset.claimants, whole.dataset.claimants);
        // The short row is the file's last line.
        let last = text.lines().count();
        assert!(streamed.report.errors.iter().any(|e| e.line == last));
    }

    /// 3,000 synthetic rows with bad time precisions, a duplicate id and a short row.
    fn bad_rows_text() -> String {
        let text =
            String::from_utf8(crate::bench::acled_file::acled_bytes(3000, 5)).unwrap_or_default();
        let mut text = text.replacen(",1,Political violence,", ",7,Political violence,", 5);
        let second = text.lines().nth(1).unwrap_or_default().to_owned();
        text.push_str(&second);
        text.push_str("\nx,y\n");
        text
    }

    use crate::formats::rows::ReadOptions;
    use crate::model::Sym;
    use crate::{Gazetteer, Loaded};

    fn load_in_parts(text: &str, parts: usize) -> Loaded {
        let options = ReadOptions {
            parts: Some(parts),
            ..ReadOptions::default()
        };
        crate::formats::load_bytes_with(text.as_bytes(), "t.csv", Gazetteer::embedded(), options)
            .unwrap_or_else(|e| panic!("{e}"))
    }

    /// An ACLED row has no incident notes or unknown members, and its claims are a claimant, the
    /// notes, the losses and the source: none of them holds an allocation for details it does not
    /// have, through the parts, the renumbering and the placing (the memory a million rows save).
    #[test]
    fn acled_rows_carry_no_details() {
        let loaded = load_in_parts(&bad_rows_text(), 3);
        let incidents = loaded.dataset.incidents();
        assert!(incidents.iter().all(|i| !i.details.is_allocated()));
        let claims: Vec<&crate::model::Claim> =
            incidents.iter().flat_map(|i| i.claims.iter()).collect();
        assert!(claims.len() > 3000, "{} claims", claims.len());
        assert!(claims.iter().all(|c| !c.details.is_allocated()));
        assert!(claims.iter().all(|c| c.source.outlet.is_some()));
    }

    #[test]
    fn an_acled_file_loads_the_same_in_parts() {
        // Bad time precisions, a duplicate id and a short row, spread over the parts.
        let text = bad_rows_text();
        let one = load_in_parts(&text, 1);
        assert_eq!(one.report.error_count, 7, "{:?}", one.report.errors);
        assert_eq!(one.report.rows, 3002);
        for parts in [2, 3, 5] {
            let many = load_in_parts(&text, parts);
            assert_eq!(many.report, one.report, "{parts} parts");
            let (a, b) = (&one.dataset, &many.dataset);
            assert_eq!(a.incidents(), b.incidents(), "{parts} parts");
            assert_eq!(a.claimants, b.claimants);
            assert_eq!(a.sides, b.sides);
            assert_eq!(a.strings.len(), b.strings.len());
            for i in 0..a.strings.len() {
                assert_eq!(a.text(Sym::from_index(i)), b.text(Sym::from_index(i)));
            }
        }
    }
}
