//! UCDP Georeferenced Event Dataset (GED) CSV, 49 columns.
//!
//! One incident per row, dated [date_start, date_end] at UCDP's date_prec and placed at
//! latitude/longitude at its where_prec. side_a and side_b are the parties, but they do not speak
//! here: the claim is UCDP's own coding of its sources, so each incident has one claim by the
//! non-party claimant "UCDP GED", quoting source_headline, with the source's office, article and
//! date. Deaths are shown as UCDP gives them, a best estimate within a range. Where the source
//! (`source_office`, or `source_original`, each split on ";") names a body the claimant registry
//! puts on a party's side — "Armenian Defence Ministry" — that body has a claim too, on the same
//! headline with the same source, without UCDP's death estimate: the incident shows whose account
//! UCDP coded. Every column the model does not hold is kept as a property of the incident.

use crate::formats::dates::parse_day;
use crate::formats::native::Parsed;
use crate::formats::report::LoadReport;
use crate::formats::rows::{self, Builder, ExtraColumns, MissingColumns, Table};
use crate::model::{
    Category, Claim, ClaimDetails, DateInterval, DatePrecision, Incident, Location,
    LocationPrecision, Losses, PlaceRef, Source,
};
use std::sync::Arc;

/// Whether a header (normalised names) is UCDP GED's.
pub(crate) fn is_ucdp(keys: &[String]) -> bool {
    let has = |n: &str| keys.iter().any(|k| k == n);
    has("date_prec") && has("where_prec") && (has("relid") || has("dyad_name") || has("side_a"))
}

fn date_precision(
    code: &str,
    start: crate::model::Day,
    end: crate::model::Day,
) -> Result<DatePrecision, String> {
    Ok(match code {
        "" if start == end => DatePrecision::Day,
        "" => DatePrecision::Range,
        "1" => DatePrecision::Day,
        "2" => DatePrecision::Range,
        "3" => DatePrecision::Week,
        "4" => DatePrecision::Month,
        "5" => DatePrecision::Year,
        other => {
            return Err(format!(
                "unknown date_prec code \"{other}\" (expected 1 to 5)"
            ));
        }
    })
}

fn location_precision(code: &str) -> Result<LocationPrecision, String> {
    Ok(match code {
        "" | "1" => LocationPrecision::Exact,
        "2" => LocationPrecision::Near,
        // Second-order administrative division (district, municipality).
        "3" => LocationPrecision::District,
        // First-order administrative division (province).
        "4" => LocationPrecision::Province,
        // A part of a country larger than a province, or a linear feature (a front line).
        "5" => LocationPrecision::Region,
        "6" => LocationPrecision::Country,
        // International waters or airspace.
        "7" => LocationPrecision::Region,
        other => {
            return Err(format!(
                "unknown where_prec code \"{other}\" (expected 1 to 7)"
            ));
        }
    })
}

fn category(type_of_violence: &str) -> Category {
    match type_of_violence {
        // State-based and non-state conflict: fighting between organised armed groups.
        "1" | "2" => Category::ExchangeOfFire,
        // One-sided violence against civilians.
        "3" => Category::Killing,
        _ => Category::Other,
    }
}

pub(crate) const CITATION: &str = "UCDP Georeferenced Event Dataset (GED) Global, Uppsala Conflict Data Program. Sundberg, Ralph and Erik Melander (2013): Introducing the UCDP Georeferenced Event Dataset. Journal of Peace Research 50(4). Davies, Shawn, Therése Pettersson and Magnus Öberg (2023): Organized violence 1989–2022 and the return of conflicts between states? Journal of Peace Research 60(4).";

/// Reads a UCDP GED file whose header uses `delimiter`.
pub(crate) fn read(
    input: rows::Input<'_>,
    delimiter: u8,
    options: rows::ReadOptions,
    path: &str,
    report: &mut LoadReport,
) -> Result<Parsed, MissingColumns> {
    let mut table = Table::open(input, delimiter, options);
    let col = |names: &[&str]| table.column(names);
    let id = col(&["id"]);
    let date_start = col(&["date_start"]);
    let latitude = col(&["latitude"]);
    let longitude = col(&["longitude"]);
    let country = col(&["country"]);
    table.missing(&[
        ("id", id),
        ("date_start", date_start),
        ("latitude", latitude),
        ("longitude", longitude),
    ])?;
    let date_end = col(&["date_end"]);
    let date_prec = col(&["date_prec"]);
    let where_prec = col(&["where_prec"]);
    let where_coordinates = col(&["where_coordinates"]);
    let dyad_name = col(&["dyad_name"]);
    let conflict_name = col(&["conflict_name"]);
    let type_of_violence = col(&["type_of_violence"]);
    let (best, low, high) = (col(&["best"]), col(&["low"]), col(&["high"]));
    let headline = col(&["source_headline"]);
    let office = col(&["source_office"]);
    let article = col(&["source_article"]);
    let source_date = col(&["source_date"]);
    let source_original = col(&["source_original"]);
    // Kept as properties: all but what the model holds exactly.
    let extras = ExtraColumns::all_but(
        &table,
        &[
            latitude,
            longitude,
            date_start,
            date_end,
            where_coordinates,
            headline,
            office,
            article,
        ],
    );

    let mut builder = extras.builder();
    let side = builder.non_party_side("ucdp", "UCDP (coders)");
    let claimant = builder.claimant("UCDP GED", side, "dataset");
    table.for_each_row(report, &mut builder, |row, builder, report| {
        let day = |column: Option<usize>, name: &str| {
            let text = row.get(column);
            parse_day(text).ok_or_else(|| format!("unparseable {name} \"{text}\""))
        };
        let start = day(date_start, "date_start")?;
        let end = match row.get(date_end) {
            "" => start,
            _ => day(date_end, "date_end")?,
        };
        let precision = date_precision(row.get(date_prec), start, end)?;
        let date = DateInterval::new(start, end, precision).map_err(|e| e.to_string())?;
        let location_precision = location_precision(row.get(where_prec))?;
        let point = rows::lat_lon(row.get(latitude), row.get(longitude))?;
        rows::check_country(report, row.line, "", row.get(country), point);
        let ucdp_id = row.get(id);
        if ucdp_id.is_empty() {
            return Err("no id".into());
        }
        let place = row.get(where_coordinates);
        let title = match (row.get(dyad_name), row.get(conflict_name), place) {
            ("", "", "") => format!("UCDP event {ucdp_id}").into(),
            ("", conflict, "") => builder.shared(conflict),
            ("", conflict, place) if !conflict.is_empty() => {
                builder.shared(&format!("{conflict}: {place}"))
            }
            ("", _, place) => builder.shared(place),
            (dyad, _, "") => builder.shared(dyad),
            (dyad, _, place) => builder.shared(&format!("{dyad}: {place}")),
        };
        let count = |column: Option<usize>| row.get(column).parse::<u32>().ok();
        let losses = match (count(best), count(low), count(high)) {
            (None, None, None) => None,
            (b, l, h) => {
                let shown = |n: Option<u32>| n.map_or("?".to_owned(), |n| n.to_string());
                Some(Arc::new(Losses {
                    text: builder.shared(&format!(
                        "deaths: best {} (low {}, high {})",
                        shown(b),
                        shown(l),
                        shown(h)
                    )),
                    killed: b,
                    ..Losses::default()
                }))
            }
        };
        let published = match row.get(source_date) {
            "" => None,
            // Several sources: "2013-01-03;2013-01-03"; the first is the claim's.
            text => match parse_day(text.split(';').next().unwrap_or(text)) {
                Some(day) => Some(DateInterval::day(day)),
                None => {
                    report.warning(
                        row.line,
                        format!("source_date \"{text}\" is not a date; kept as text only"),
                    );
                    None
                }
            },
        };
        let original = row.get(source_original);
        let intern = |builder: &mut Builder, text: &str| {
            (!text.is_empty()).then(|| builder.strings.intern(text))
        };
        let claim = Claim {
            claimant,
            quote: row.text(headline),
            losses,
            source: Source {
                outlet: intern(builder, row.get(office)),
                document: intern(builder, row.get(article)),
            },
            details: ClaimDetails {
                summary: if original.is_empty() {
                    "".into()
                } else {
                    format!("UCDP's original source: {original}").into()
                },
                published,
                ..ClaimDetails::default()
            }
            .into(),
        };
        let mut claims = vec![claim];
        let named = crate::formats::acled::source_names(row.get(office))
            .chain(crate::formats::acled::source_names(original));
        for name in named {
            // Only a party's body is added: the other sources stay in UCDP's coding.
            let registry = crate::model::registry::registry();
            if !registry
                .find(name)
                .is_some_and(|entry| registry.side_of(entry).party)
            {
                continue;
            }
            let Some(party) = builder.registered(name) else {
                continue;
            };
            if claims.iter().any(|c| c.claimant == party) {
                continue;
            }
            // The party's own claim cites UCDP's source, without UCDP's words on where it came from.
            let details = ClaimDetails {
                summary: "".into(),
                ..(*claims[0].details).clone()
            };
            claims.push(Claim {
                claimant: party,
                losses: None,
                details: details.into(),
                ..claims[0].clone()
            });
        }
        let place = intern(builder, place).map(PlaceRef::named);
        extras.push(
            builder,
            Incident::new(
                format!("ucdp:{ucdp_id}").into(),
                title,
                category(row.get(type_of_violence)),
                date,
                None,
                Location::at(place, location_precision),
                claims,
            )
            .at_point(point),
            row,
            "",
        );
        Ok(())
    });
    let meta = crate::model::DatasetMeta::imported(
        format!("{} (UCDP GED)", rows::file_name(path)),
        "Imported from a UCDP GED file: one incident per event, one claim per event by UCDP's coding of its sources. Columns claimmap does not model are kept as properties.",
        "CC BY 4.0",
        CITATION,
    );
    Ok(builder.finish(meta, report))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Day;

    #[test]
    fn precision_codes() {
        let d = Day(0);
        assert_eq!(date_precision("4", d, d), Ok(DatePrecision::Month));
        assert_eq!(
            date_precision("", d, d.add_days(2)),
            Ok(DatePrecision::Range)
        );
        assert!(date_precision("6", d, d).is_err());
        assert_eq!(location_precision("4"), Ok(LocationPrecision::Province));
        assert_eq!(location_precision("6"), Ok(LocationPrecision::Country));
        assert!(location_precision("8").is_err());
        assert_eq!(category("3"), Category::Killing);
    }
}
