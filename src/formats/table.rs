//! Generic CSV/TSV tables with a header, such as OSINT geolocation records (id, date, lat, lon,
//! place_desc, title, description, source, links).
//!
//! Which column holds what is guessed from the header names by [`detect_columns`], a pure function
//! whose [`ColumnMapping`] a column-mapping dialog can show and correct before
//! [`crate::formats::load_table_with_mapping`] loads the file with it. Rows with a place name and no
//! coordinates are placed through the gazetteer; rows that cannot be placed load as unlocated.

use crate::formats::dates::parse_interval;
use crate::formats::native::Parsed;
use crate::formats::report::LoadReport;
use crate::formats::rows::{self, Builder, ExtraColumns, Table, normalise};
use crate::model::{
    Category, Claim, ClaimDetails, DateInterval, DatePrecision, Incident, IncidentId, Location,
    LocationPrecision, PlaceRef, Source,
};

/// The order of the two numbers in a single coordinates column.
#[derive(Copy, Clone, PartialEq, Eq, Debug, Default, serde::Serialize, serde::Deserialize)]
pub enum CoordinateOrder {
    /// "40.11, 46.04" (what people type, and Google Maps copies).
    #[default]
    LatLon,
    /// "46.04 40.11" (GeoJSON and WKT order).
    LonLat,
}

/// Which column (by position in the header) holds what. `None`: no such column.
#[derive(Clone, PartialEq, Eq, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct ColumnMapping {
    /// The field delimiter: `,`, `\t`, `;` or `|`.
    pub delimiter: u8,
    /// The header as written, to show in a dialog and to remember a mapping per header layout.
    pub header: Vec<String>,
    pub id: Option<usize>,
    /// The date, or the start of the period.
    pub date: Option<usize>,
    /// The end of the period, when a separate column gives it.
    pub date_end: Option<usize>,
    pub latitude: Option<usize>,
    pub longitude: Option<usize>,
    /// Both coordinates in one column ("40.11, 46.04", or WKT "POINT (46.04 40.11)").
    pub coordinates: Option<usize>,
    pub coordinate_order: CoordinateOrder,
    /// A place name, resolved through the gazetteer when a row has no coordinates.
    pub place: Option<usize>,
    pub title: Option<usize>,
    /// The narrative, quoted as the claim.
    pub description: Option<usize>,
    /// Who reported it: each distinct value is one claimant.
    pub source: Option<usize>,
    pub url: Option<usize>,
    pub category: Option<usize>,
    /// The country a row states (a name, or an ISO 3166 numeric code): a point outside it is
    /// warned of, usually latitude and longitude swapped. Kept as a property too.
    #[serde(default)]
    pub country: Option<usize>,
    /// The columns of a claims sheet (one row per claim); all `None` for other tables.
    #[serde(default)]
    pub claims: ClaimColumns,
}

/// The columns that make a table a claims sheet: one row per claim, rows of one incident grouped
/// by the identifier column (or, without one, by date and place). `claimant` decides: a table
/// with a claimant column is read as a claims sheet.
#[derive(Clone, PartialEq, Eq, Debug, Default, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct ClaimColumns {
    pub claimant: Option<usize>,
    /// A side's id or name ("az", "Azerbaijan"); empty: the claimant registry's side.
    pub side: Option<usize>,
    pub quote: Option<usize>,
    pub summary: Option<usize>,
    /// When the claimant said it.
    pub said_on: Option<usize>,
    /// Places fire came from / went to, as the claimant names them ("; " between places).
    pub from: Option<usize>,
    pub to: Option<usize>,
    pub losses: Option<usize>,
    pub outlet: Option<usize>,
    /// day, range, week, month or year.
    pub date_precision: Option<usize>,
    /// Why a date was worked out rather than stated; non-empty marks the date inferred.
    pub date_reason: Option<usize>,
    /// exact, near, district, province, country or region.
    pub location_precision: Option<usize>,
}

impl ClaimColumns {
    fn used(&self) -> [Option<usize>; 12] {
        [
            self.claimant,
            self.side,
            self.quote,
            self.summary,
            self.said_on,
            self.from,
            self.to,
            self.losses,
            self.outlet,
            self.date_precision,
            self.date_reason,
            self.location_precision,
        ]
    }
}

const CLAIMANT: &[&str] = &[
    "claimant",
    "claimants",
    "claimed_by",
    "said_by",
    "who",
    "speaker",
    "spokesperson",
];
const SIDE: &[&str] = &["side", "party", "claimant_side", "side_id"];
const QUOTE: &[&str] = &[
    "quote",
    "statement",
    "quotation",
    "words",
    "claim",
    "text",
    "what_was_said",
];
const SUMMARY: &[&str] = &["summary", "paraphrase", "gist"];
const SAID_ON: &[&str] = &[
    "said_on",
    "statement_date",
    "date_said",
    "said",
    "published",
    "published_on",
    "date_published",
    "publication_date",
];
const FROM: &[&str] = &["from", "origin", "fired_from", "from_place", "from_places"];
const TO: &[&str] = &[
    "to",
    "target",
    "fired_at",
    "to_place",
    "to_places",
    "targets",
];
const LOSSES: &[&str] = &["losses", "casualties", "losses_claimed", "killed"];
const OUTLET: &[&str] = &[
    "outlet",
    "source",
    "publisher",
    "media",
    "source_name",
    "published_by",
];
const DATE_PRECISION: &[&str] = &["date_precision", "precision", "time_precision"];
const DATE_REASON: &[&str] = &["date_reason", "date_inferred", "inferred", "date_note"];
const LOCATION_PRECISION: &[&str] = &["location_precision", "place_precision", "where_precision"];
/// A claims sheet's incident column comes before the generic identifiers.
const INCIDENT: &[&str] = &["incident_id", "incident", "event_id", "incident_ref", "id"];

const ID: &[&str] = &[
    "id",
    "event_id",
    "incident_id",
    "uid",
    "uuid",
    "identifier",
    "fid",
    "record_id",
    "ref",
];
const DATE: &[&str] = &[
    "date",
    "event_date",
    "incident_date",
    "date_start",
    "start_date",
    "datetime",
    "date_time",
    "day",
    "start",
    "occurred",
    "occurred_on",
    "occurred_at",
    "when",
    "time",
    "timestamp",
    "report_date",
    "published",
    "published_at",
];
const DATE_END: &[&str] = &["date_end", "end_date", "end"];
const LATITUDE: &[&str] = &[
    "latitude",
    "lat",
    "lat_dd",
    "latitude_dd",
    "decimal_latitude",
    "y",
];
const LONGITUDE: &[&str] = &[
    "longitude",
    "lon",
    "lng",
    "long",
    "lon_dd",
    "longitude_dd",
    "decimal_longitude",
    "x",
];
const COORDINATES_LAT_FIRST: &[&str] = &[
    "coordinates",
    "coords",
    "coordinate",
    "lat,lon",
    "lat,lng",
    "lat_lon",
    "lat_lng",
    "latlon",
    "latlng",
    "lat/lon",
    "location_coordinates",
    "geolocation",
    "geo",
    "point",
];
const COORDINATES_LON_FIRST: &[&str] = &[
    "lon,lat", "lng,lat", "lon_lat", "lonlat", "wkt", "geometry", "geom", "the_geom", "geom_wkt",
];
const PLACE: &[&str] = &[
    "place",
    "place_desc",
    "place_name",
    "placename",
    "location",
    "location_name",
    "locality",
    "settlement",
    "village",
    "town",
    "city",
    "site",
    "address",
    "where",
    "area",
    "district",
    "region",
    "admin2",
    "admin1",
];
const TITLE: &[&str] = &[
    "title",
    "name",
    "headline",
    "event",
    "event_name",
    "subject",
    "label",
    "summary",
];
const DESCRIPTION: &[&str] = &[
    "description",
    "desc",
    "details",
    "notes",
    "note",
    "text",
    "narrative",
    "body",
    "content",
    "comment",
    "comments",
];
const SOURCE: &[&str] = &[
    "source",
    "sources",
    "source_name",
    "outlet",
    "publisher",
    "reported_by",
    "author",
    "claimant",
    "reporter",
];
const URL: &[&str] = &[
    "url",
    "link",
    "links",
    "source_url",
    "urls",
    "source_link",
    "href",
    "media_url",
];
const CATEGORY: &[&str] = &["category", "type", "event_type", "incident_type"];
const COUNTRY: &[&str] = &[
    "country",
    "country_name",
    "iso",
    "iso_code",
    "country_code_numeric",
];

/// The first free column named one of `names` (in their order), else the first free one that
/// `fallback` accepts; marked as taken.
fn pick(
    keys: &[String],
    taken: &mut [bool],
    names: &[&str],
    fallback: &dyn Fn(&str) -> bool,
) -> Option<usize> {
    let free = |i: &usize| !taken[*i];
    let found = names
        .iter()
        .find_map(|n| (0..keys.len()).filter(free).find(|&i| keys[i] == *n))
        .or_else(|| (0..keys.len()).filter(free).find(|&i| fallback(&keys[i])));
    if let Some(i) = found {
        taken[i] = true;
    }
    found
}

/// A row's location precision: its precision column's word, or when that is empty, exact for a
/// row with coordinates (or no place) and near for one placed only by its place's name (at the
/// gazetteer's point for the name: near it, at best).
pub(crate) fn location_precision(
    text: &str,
    has_point: bool,
    has_place: bool,
) -> Result<LocationPrecision, String> {
    match text {
        "" if has_point || !has_place => Ok(LocationPrecision::Exact),
        "" => Ok(LocationPrecision::Near),
        text => LocationPrecision::parse(text).ok_or_else(|| {
            format!("unknown location precision \"{text}\" (expected exact, near, district, province, country or region)")
        }),
    }
}

/// Guesses the columns from the header names (as written; matched case-insensitively, with
/// spaces, dashes and dots read as underscores). Exact names first, in the order of each list
/// above; then a few substrings ("…date…", "lat…", "lon…", "…place…", "…desc…"). A column is given
/// one role at most. `delimiter` is left at `,`; the loader sets it from the file.
pub fn detect_columns(header: &[String]) -> ColumnMapping {
    let keys: Vec<String> = header.iter().map(|h| normalise(h)).collect();
    let mut taken = vec![false; keys.len()];
    let none = |_: &str| false;
    // A claimant column makes a claims sheet, whose own columns are picked first ("source" is
    // the outlet, "text" the quote, "published" when it was said).
    let mut claims = ClaimColumns::default();
    let mut id = None;
    if pick(&keys, &mut vec![false; keys.len()], CLAIMANT, &none).is_some() {
        claims = ClaimColumns {
            claimant: pick(&keys, &mut taken, CLAIMANT, &none),
            side: pick(&keys, &mut taken, SIDE, &none),
            date_precision: pick(&keys, &mut taken, DATE_PRECISION, &none),
            date_reason: pick(&keys, &mut taken, DATE_REASON, &none),
            location_precision: pick(&keys, &mut taken, LOCATION_PRECISION, &none),
            said_on: pick(&keys, &mut taken, SAID_ON, &none),
            quote: pick(&keys, &mut taken, QUOTE, &none),
            summary: pick(&keys, &mut taken, SUMMARY, &none),
            from: pick(&keys, &mut taken, FROM, &none),
            to: pick(&keys, &mut taken, TO, &none),
            losses: pick(&keys, &mut taken, LOSSES, &none),
            outlet: pick(&keys, &mut taken, OUTLET, &none),
        };
        id = pick(&keys, &mut taken, INCIDENT, &none);
    }
    // Any table may say how exactly each row is located; picked before the place, whose
    // fallback ("…location…") would otherwise take "location_precision" for the place.
    if claims.location_precision.is_none() {
        claims.location_precision = pick(&keys, &mut taken, LOCATION_PRECISION, &none);
    }
    let id = id.or_else(|| pick(&keys, &mut taken, ID, &none));
    let date_end = pick(&keys, &mut taken, DATE_END, &|k| {
        k.ends_with("end_date") || k.ends_with("date_end")
    });
    let date = pick(&keys, &mut taken, DATE, &|k| {
        k.contains("date") && !k.contains("updat")
    });
    let is_pair = |k: &str| k.contains(',') || k.contains('/');
    let latitude = pick(&keys, &mut taken, LATITUDE, &|k| {
        k.starts_with("lat") && !k.contains("lon") && !k.contains("lng") && !is_pair(k)
    });
    let longitude = pick(&keys, &mut taken, LONGITUDE, &|k| {
        (k.starts_with("lon") || k.starts_with("lng")) && !k.contains("lat") && !is_pair(k)
    });
    // One without the other (a lone "y") is no position.
    let (latitude, longitude) = match (latitude, longitude) {
        (Some(a), Some(b)) => (Some(a), Some(b)),
        (a, b) => {
            for i in [a, b].into_iter().flatten() {
                taken[i] = false;
            }
            (None, None)
        }
    };
    let (coordinates, coordinate_order) =
        match pick(&keys, &mut taken, COORDINATES_LON_FIRST, &none) {
            Some(i) => (Some(i), CoordinateOrder::LonLat),
            None => (
                pick(&keys, &mut taken, COORDINATES_LAT_FIRST, &none),
                CoordinateOrder::LatLon,
            ),
        };
    let url = pick(&keys, &mut taken, URL, &|k| {
        k.contains("url") || k.contains("link")
    });
    // A claims sheet's outlet column is its source; no other column is.
    let source = if claims.claimant.is_some() {
        None
    } else {
        pick(&keys, &mut taken, SOURCE, &none)
    };
    let title = pick(&keys, &mut taken, TITLE, &none);
    let description = pick(&keys, &mut taken, DESCRIPTION, &|k| k.contains("desc"));
    let place = pick(&keys, &mut taken, PLACE, &|k| {
        k.contains("place") || k.contains("location")
    });
    let category = pick(&keys, &mut taken, CATEGORY, &none);
    let country = pick(&keys, &mut taken, COUNTRY, &none);
    ColumnMapping {
        delimiter: b',',
        header: header.to_vec(),
        id,
        date,
        date_end,
        latitude,
        longitude,
        coordinates,
        coordinate_order,
        place,
        title,
        description,
        source,
        url,
        category,
        country,
        claims,
    }
}

impl ColumnMapping {
    fn has_coordinates(&self) -> bool {
        (self.latitude.is_some() && self.longitude.is_some()) || self.coordinates.is_some()
    }

    /// Whether the table is a claims sheet: one row per claim.
    pub fn is_claims_sheet(&self) -> bool {
        self.claims.claimant.is_some()
    }

    /// What a file needs and this mapping lacks: a date column, and coordinates or a place (a
    /// claims sheet's incidents may be unlocated: a statement need not say where).
    pub fn missing(&self) -> Vec<&'static str> {
        let mut missing = Vec::new();
        if self.date.is_none() {
            missing.push("a date column");
        }
        if !self.has_coordinates() && self.place.is_none() && !self.is_claims_sheet() {
            missing.push("latitude and longitude (or one coordinates column) or a place column");
        }
        missing
    }

    /// The roles found, as "role = header name".
    pub fn found(&self) -> Vec<String> {
        let roles = [
            ("id", self.id),
            ("date", self.date),
            ("date end", self.date_end),
            ("latitude", self.latitude),
            ("longitude", self.longitude),
            ("coordinates", self.coordinates),
            ("place", self.place),
            ("title", self.title),
            ("description", self.description),
            ("source", self.source),
            ("url", self.url),
            ("category", self.category),
            ("country", self.country),
            ("claimant", self.claims.claimant),
            ("side", self.claims.side),
            ("quote", self.claims.quote),
            ("summary", self.claims.summary),
            ("said on", self.claims.said_on),
            ("from", self.claims.from),
            ("to", self.claims.to),
            ("losses", self.claims.losses),
            ("outlet", self.claims.outlet),
            ("date precision", self.claims.date_precision),
            ("date reason", self.claims.date_reason),
            ("location precision", self.claims.location_precision),
        ];
        roles
            .iter()
            .filter_map(|(role, column)| {
                let name = self.header.get((*column)?)?;
                Some(format!("{role} = \"{name}\""))
            })
            .collect()
    }

    pub(crate) fn used(&self) -> Vec<Option<usize>> {
        let mut used = vec![
            self.id,
            self.date,
            self.date_end,
            self.latitude,
            self.longitude,
            self.coordinates,
            self.place,
            self.title,
            self.description,
            self.source,
            self.url,
            self.category,
        ];
        used.extend(self.claims.used());
        used
    }
}

/// Two numbers from one coordinates column; WKT `POINT (lon lat)` is always longitude first.
pub(crate) fn parse_coordinates(
    text: &str,
    order: CoordinateOrder,
) -> Result<Option<geo::Point<f64>>, String> {
    if text.is_empty() {
        return Ok(None);
    }
    let upper = text.trim_start().to_ascii_uppercase();
    let (body, order) = match upper.strip_prefix("POINT") {
        Some(_) => {
            let open = text.find('(').unwrap_or(0);
            (&text[open..], CoordinateOrder::LonLat)
        }
        None => (text, order),
    };
    let numbers: Vec<&str> = body
        .split(|c: char| c == ',' || c == ';' || c.is_whitespace() || "()[]".contains(c))
        .filter(|s| !s.is_empty())
        .collect();
    let [a, b] = numbers.as_slice() else {
        return Err(format!(
            "coordinates \"{text}\" are not two numbers (latitude, longitude)"
        ));
    };
    match order {
        CoordinateOrder::LatLon => rows::lat_lon(a, b),
        CoordinateOrder::LonLat => rows::lat_lon(b, a),
    }
}

/// A category from a table's text: claimmap's keys or labels, ACLED's event types, or the text
/// itself (shown as "other").
pub(crate) fn category(text: &str, builder: &mut Builder) -> Category {
    if text.is_empty() {
        return Category::Other;
    }
    let key = normalise(text);
    if let Some(known) = Category::KNOWN
        .into_iter()
        .find(|c| c.key() == Some(key.as_str()) || c.label().eq_ignore_ascii_case(text))
    {
        return known;
    }
    match crate::formats::acled::category(text, "") {
        Category::Other => Category::Unknown(builder.strings.intern(text)),
        known => known,
    }
}

/// The first characters of a text, cut at a word, for a title.
pub(crate) fn headline(text: &str) -> Box<str> {
    const MAX: usize = 80;
    let line = text.lines().next().unwrap_or("").trim();
    if line.chars().count() <= MAX {
        return line.into();
    }
    let cut: String = line.chars().take(MAX).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(a, _)| a);
    format!("{cut}…").into()
}

/// Reads a table with a mapping (detected or chosen by the user).
pub(crate) fn read(
    input: rows::Input<'_>,
    mapping: &ColumnMapping,
    options: rows::ReadOptions,
    path: &str,
    report: &mut LoadReport,
) -> Parsed {
    if mapping.is_claims_sheet() {
        return super::claims_sheet::read(input, mapping, options, path, report);
    }
    let mut table = Table::open(input, mapping.delimiter, options);
    let url_key = mapping
        .url
        .and_then(|i| table.headers.get(i))
        .map(|h| rows::extra_key(h));
    let mut extras = ExtraColumns::all_but(&table, &mapping.used());
    if let Some(key) = url_key {
        // Several links: the first is the claim's URL, all are kept under the column's name.
        extras = extras.with_trailing(key);
    }
    let mut builder = extras.builder();
    let side = builder.non_party_side("source", "Sources (as the file names them)");
    let file = rows::file_name(path).to_owned();
    table.for_each_row(report, &mut builder, |row, builder, report| {
        let date_text = row.get(mapping.date);
        if date_text.is_empty() {
            return Err("no date".into());
        }
        let mut date =
            parse_interval(date_text).ok_or_else(|| format!("unparseable date \"{date_text}\""))?;
        let end_text = row.get(mapping.date_end);
        if !end_text.is_empty() {
            let end = parse_interval(end_text)
                .ok_or_else(|| format!("unparseable end date \"{end_text}\""))?;
            if end.end() != date.end() || date.precision != DatePrecision::Day {
                date = DateInterval::new(date.start(), end.end(), DatePrecision::Range)
                    .map_err(|e| e.to_string())?;
            }
        }
        let point = match mapping.coordinates {
            Some(c) => parse_coordinates(row.get(Some(c)), mapping.coordinate_order)?,
            None => rows::lat_lon(row.get(mapping.latitude), row.get(mapping.longitude))?,
        };
        let country = row.get(mapping.country);
        // A numeric column is an ISO code ("051"); anything else a name.
        let (iso, name) = if !country.is_empty() && country.bytes().all(|b| b.is_ascii_digit()) {
            (country, "")
        } else {
            ("", country)
        };
        rows::check_country(report, row.line, iso, name, point);
        let place_text = row.get(mapping.place);
        let description = row.get(mapping.description);
        let id: IncidentId = match row.get(mapping.id) {
            "" => format!("line-{}", row.line).into(),
            id => id.into(),
        };
        let title: Box<str> = match row.get(mapping.title) {
            "" if !description.is_empty() => headline(description),
            "" if !place_text.is_empty() => place_text.into(),
            "" => format!("Row at line {}", row.line).into(),
            title => title.into(),
        };
        let source_text = row.get(mapping.source);
        let claimant_name = if source_text.is_empty() {
            file.as_str()
        } else {
            source_text
        };
        let claimant = builder.claimant(
            claimant_name,
            side,
            if source_text.is_empty() {
                "dataset"
            } else {
                "source"
            },
        );
        let links = row.get(mapping.url);
        let mut link_words = links.split(|c: char| c.is_whitespace() || c == ';' || c == ',');
        let url = link_words.find(|w| !w.is_empty()).map(Box::<str>::from);
        let all_links = if link_words.any(|w| !w.is_empty()) {
            links
        } else {
            ""
        };
        let outlet = (!source_text.is_empty()).then(|| builder.strings.intern(source_text));
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
            ..Claim::quoting(claimant, row.text(mapping.description))
        };
        let place =
            (!place_text.is_empty()).then(|| PlaceRef::named(builder.strings.intern(place_text)));
        let category = category(row.get(mapping.category), builder);
        let precision = location_precision(
            row.get(mapping.claims.location_precision),
            point.is_some(),
            place.is_some(),
        )?;
        extras.push(
            builder,
            Incident::new(
                id,
                title,
                category,
                date,
                None,
                Location::at(place, precision),
                vec![claim],
            )
            .at_point(point),
            row,
            all_links,
        );
        Ok(())
    });
    let meta = crate::model::DatasetMeta {
        title: file.as_str().into(),
        description: Some(
            format!(
                "Imported from a table; columns: {}.",
                mapping.found().join(", ")
            )
            .into(),
        ),
        ..Default::default()
    };
    builder.finish(meta, report)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(names: &str) -> Vec<String> {
        names.split(',').map(str::to_owned).collect()
    }

    #[test]
    fn osint_geolocation_records() {
        let m = detect_columns(&header(
            "id,date,lat,lon,place_desc,title,description,source,links",
        ));
        assert_eq!(
            (m.id, m.date, m.latitude, m.longitude, m.place),
            (Some(0), Some(1), Some(2), Some(3), Some(4))
        );
        assert_eq!(
            (m.title, m.description, m.source, m.url),
            (Some(5), Some(6), Some(7), Some(8))
        );
        assert!(m.missing().is_empty());
    }

    #[test]
    fn other_spellings() {
        let m = detect_columns(&header("Event Date,Lat/Lon,Location Name,Notes,Source URL"));
        assert_eq!(m.date, Some(0));
        assert_eq!(m.coordinates, Some(1));
        assert_eq!(m.coordinate_order, CoordinateOrder::LatLon);
        assert_eq!(m.place, Some(2));
        assert_eq!(m.description, Some(3));
        assert_eq!(m.url, Some(4));
        let m = detect_columns(&header("when,WKT,name"));
        assert_eq!(
            (m.date, m.coordinates, m.title),
            (Some(0), Some(1), Some(2))
        );
        assert_eq!(m.coordinate_order, CoordinateOrder::LonLat);
        let m = detect_columns(&header("start_date,end_date,village"));
        assert_eq!((m.date, m.date_end, m.place), (Some(0), Some(1), Some(2)));
    }

    #[test]
    fn unsure_mappings_say_what_is_missing() {
        let m = detect_columns(&header("a,b,c"));
        assert_eq!(m.missing().len(), 2);
        let m = detect_columns(&header("date,y,comment"));
        assert_eq!(m.latitude, None, "y alone is not a latitude");
        assert_eq!(
            m.missing(),
            ["latitude and longitude (or one coordinates column) or a place column"]
        );
        assert!(m.found().contains(&"date = \"date\"".to_owned()));
    }

    #[test]
    fn coordinates_in_one_column() {
        let p = |t: &str, o| parse_coordinates(t, o).expect("parses").expect("point");
        let at = p("40.11, 46.04", CoordinateOrder::LatLon);
        assert_eq!((at.x(), at.y()), (46.04, 40.11));
        let at = p("POINT (46.04 40.11)", CoordinateOrder::LatLon);
        assert_eq!((at.x(), at.y()), (46.04, 40.11));
        let at = p("[46.04, 40.11]", CoordinateOrder::LonLat);
        assert_eq!((at.x(), at.y()), (46.04, 40.11));
        assert!(parse_coordinates("40.11", CoordinateOrder::LatLon).is_err());
        assert!(parse_coordinates("", CoordinateOrder::LatLon).is_ok_and(|p| p.is_none()));
    }
}
