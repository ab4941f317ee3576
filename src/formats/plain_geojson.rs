//! Plain GeoJSON from other tools: a FeatureCollection without the `claimmap` member. Each feature
//! (point, line, polygon…) is an incident dated by a date-like property (date, event_date,
//! datetime, time, timestamp, start/end…), titled by name or title, whose description is quoted
//! as the one claim of its source (or of the file). Other properties are kept. A feature without a
//! usable date is reported with its line and skipped.

use serde_json::{Map, Value};

use crate::formats::LineIndex;
use crate::formats::dates::{day_from_epoch, parse_interval, year_interval};
use crate::formats::json_scan::Collection;
use crate::formats::native::Parsed;
use crate::formats::report::LoadReport;
use crate::formats::rows::{self, Builder};
use crate::geometry::GeometryMember;
use crate::model::{
    Category, Claim, ClaimDetails, DateInterval, DatePrecision, Incident, IncidentDetails,
    IncidentId, Location, LocationPrecision, PlaceRef, Properties, Source,
};

const DATE: &[&str] = &[
    "date",
    "event_date",
    "datetime",
    "date_time",
    "date_start",
    "start_date",
    "start",
    "begin",
    "time",
    "timestamp",
    "when",
    "day",
    "occurred",
    "published",
];
const DATE_END: &[&str] = &["date_end", "end_date", "end"];
const TITLE: &[&str] = &["title", "name", "headline", "label"];
const DESCRIPTION: &[&str] = &[
    "description",
    "desc",
    "details",
    "text",
    "notes",
    "narrative",
    "summary",
    "comment",
];
const SOURCE: &[&str] = &["source", "sources", "outlet", "publisher", "author"];
const URL: &[&str] = &["url", "link", "links", "source_url", "href"];
const PLACE: &[&str] = &[
    "place",
    "place_name",
    "location",
    "location_name",
    "locality",
    "address",
];

/// The first property named one of `names`, compared case-insensitively, with its key.
fn find<'m>(props: &'m Map<String, Value>, names: &[&str]) -> Option<(&'m String, &'m Value)> {
    names.iter().find_map(|n| {
        props
            .iter()
            .find(|(k, v)| !v.is_null() && k.eq_ignore_ascii_case(n))
    })
}

fn text_of(value: &Value) -> Option<String> {
    match value {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A date property: a date text, a year, or seconds/milliseconds since 1970.
fn date_of(value: &Value) -> Option<DateInterval> {
    match value {
        Value::String(s) => parse_interval(s),
        Value::Number(n) => match n.as_u64() {
            Some(year @ 1000..=9999) => year_interval(year as i32),
            _ => day_from_epoch(n.as_f64()?).map(DateInterval::day),
        },
        _ => None,
    }
}

/// Reads a FeatureCollection that has no `claimmap` member.
pub(crate) fn read(
    collection: &Collection<'_>,
    lines: &LineIndex<'_>,
    path: &str,
    report: &mut LoadReport,
) -> Parsed {
    let mut title = None;
    let mut collection_extra = Map::new();
    for (key, member) in &collection.members {
        let value: Value = serde_json::from_str(member.raw.get()).unwrap_or(Value::Null);
        match key.as_str() {
            "type" if value == Value::String("FeatureCollection".into()) => {}
            "type" => report.error(
                lines.pos(member.offset).line,
                format!("\"type\" is {value}, expected \"FeatureCollection\""),
            ),
            "name" | "title" if value.is_string() && title.is_none() => {
                title = value.as_str().map(str::to_owned);
                collection_extra.insert(key.clone(), value);
            }
            _ => {
                collection_extra.insert(key.clone(), value);
            }
        }
    }
    for issue in &collection.issues {
        let pos = lines.pos(issue.offset);
        report.push_error(crate::formats::Issue {
            line: pos.line,
            column: Some(pos.column),
            message: issue.message.clone(),
            sheet: None,
        });
    }
    report.rows = collection.features.len() + collection.lost_features;
    report.skipped = collection.lost_features;

    let mut builder = Builder::new();
    let side = builder.non_party_side("source", "Sources (as the file names them)");
    let file = rows::file_name(path).to_owned();
    for (n, feature) in collection.features.iter().enumerate() {
        let line = lines.pos(feature.offset).line;
        match feature_incident(feature.raw.get(), n, line, &file, side, &mut builder) {
            Ok(incident) => builder.push(incident, line),
            Err(message) => {
                report.skipped += 1;
                report.error(line, message);
            }
        }
    }
    let meta = crate::model::DatasetMeta {
        title: title.unwrap_or(file).into(),
        description: Some("Imported from a plain GeoJSON file.".into()),
        collection_extra: (!collection_extra.is_empty()).then(|| Box::new(collection_extra)),
        ..Default::default()
    };
    builder.finish(meta, report)
}

fn feature_incident(
    raw: &str,
    n: usize,
    line: usize,
    file: &str,
    side: crate::model::SideId,
    builder: &mut Builder,
) -> Result<Incident, String> {
    let read = crate::formats::json_scan::feature_object(raw)?;
    let mut feature = read.members;
    if feature.get("type").and_then(Value::as_str) != Some("Feature") {
        return Err("a feature needs \"type\": \"Feature\"".into());
    }
    feature.shift_remove("type");
    let geometry = match read.geometry {
        None | Some(GeometryMember::Null) => None,
        Some(GeometryMember::Read(geometry)) => Some(geometry.map_err(|e| e.to_string())?),
    };
    let mut props = match feature.shift_remove("properties") {
        Some(Value::Object(p)) => p,
        None | Some(Value::Null) => Map::new(),
        Some(_) => return Err("\"properties\" must be an object".into()),
    };
    let id: IncidentId = match feature.shift_remove("id") {
        Some(Value::String(s)) if !s.trim().is_empty() => s.into(),
        Some(Value::Number(n)) => n.to_string().into(),
        _ => match find(&props, &["id"]).and_then(|(_, v)| text_of(v)) {
            Some(id) => id.into(),
            None => format!("feature-{}", n + 1).into(),
        },
    };
    let (date_key, date_value) = find(&props, DATE).ok_or_else(|| {
        format!(
            "feature \"{id}\" has no date property (expected one of: {})",
            DATE.join(", ")
        )
    })?;
    let mut date = date_of(date_value)
        .ok_or_else(|| format!("feature \"{id}\": unparseable {date_key} {date_value}"))?;
    let date_key = date_key.clone();
    if let Some((end_key, end_value)) = find(&props, DATE_END)
        && end_key != &date_key
    {
        let end = date_of(end_value)
            .ok_or_else(|| format!("feature \"{id}\": unparseable {end_key} {end_value}"))?;
        date = DateInterval::new(date.start(), end.end(), DatePrecision::Range)
            .map_err(|e| format!("feature \"{id}\": {e}"))?;
    }
    let take = |props: &mut Map<String, Value>, names: &[&str]| -> Option<String> {
        let key = find(props, names)
            .filter(|(_, v)| text_of(v).is_some())
            .map(|(k, _)| k.clone())?;
        props.shift_remove(&key).as_ref().and_then(text_of)
    };
    // The date stays a property unless the interval says all it said.
    let date_text = props.get(&date_key).and_then(text_of).unwrap_or_default();
    if date_text == date.start().to_string() && date.is_exact() {
        props.shift_remove(&date_key);
    }
    let title = take(&mut props, TITLE);
    let description = take(&mut props, DESCRIPTION).unwrap_or_default();
    let source = take(&mut props, SOURCE);
    let url = take(&mut props, URL);
    let place = take(&mut props, PLACE);
    let category = match take(&mut props, &["category"]) {
        Some(text) => Category::from_key(&text, &mut builder.strings),
        None => Category::Other,
    };
    let title: Box<str> = match (title, &place) {
        (Some(t), _) => t.into(),
        (None, Some(p)) => p.as_str().into(),
        (None, None) if !description.is_empty() => description
            .lines()
            .next()
            .unwrap_or("")
            .chars()
            .take(80)
            .collect::<String>()
            .into(),
        (None, None) => format!("Feature at line {line}").into(),
    };
    let claimant = builder.claimant(
        source.as_deref().unwrap_or(file),
        side,
        if source.is_some() {
            "source"
        } else {
            "dataset"
        },
    );
    let outlet = source.as_deref().map(|s| builder.strings.intern(s));
    let place = place.map(|p| PlaceRef::named(builder.strings.intern(&p)));
    let mut extra = Map::new();
    for (key, value) in props {
        extra.insert(rows::extra_key(&key), value);
    }
    let precision = if geometry.is_some() || place.is_none() {
        LocationPrecision::Exact
    } else {
        LocationPrecision::Near
    };
    let claim = Claim {
        source: Source {
            outlet,
            document: None,
        },
        details: ClaimDetails {
            url: url.into(),
            ..ClaimDetails::default()
        }
        .into(),
        ..Claim::quoting(claimant, description)
    };
    Ok(Incident {
        details: IncidentDetails {
            feature_extra: (!feature.is_empty()).then(|| Box::new(feature)),
            ..IncidentDetails::default()
        }
        .into(),
        extra: Properties::from_map(extra),
        ..Incident::new(
            id,
            title,
            category,
            date,
            geometry,
            Location::at(place, precision),
            vec![claim],
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_from_numbers_and_texts() {
        assert!(
            date_of(&serde_json::json!(2021)).is_some_and(|d| d.precision == DatePrecision::Year)
        );
        assert!(date_of(&serde_json::json!(1_622_000_000_000u64)).is_some_and(|d| d.is_exact()));
        assert!(date_of(&serde_json::json!("2021-05-26T10:00:00Z")).is_some_and(|d| d.is_exact()));
        assert!(date_of(&serde_json::json!(true)).is_none());
    }
}
