//! Field parsing shared by the table importers: header names as they are matched, the delimiter
//! of a header line, coordinates from text, the country check of a point, file names for titles.

use crate::formats::report::LoadReport;

/// A header name as columns are matched: trimmed, lower case, spaces, dashes and dots as `_`.
pub(crate) fn normalise(name: &str) -> String {
    name.trim()
        .trim_start_matches('\u{feff}')
        .trim()
        .chars()
        .map(|c| match c {
            ' ' | '-' | '.' => '_',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

/// The delimiter of a header line: the most frequent of comma, tab, semicolon and bar outside
/// quotes; `None` when there is none.
pub(crate) fn sniff_delimiter(header_line: &str) -> Option<u8> {
    let mut counts = [0usize; 4];
    let mut quoted = false;
    for b in header_line.bytes() {
        match b {
            b'"' => quoted = !quoted,
            b',' if !quoted => counts[0] += 1,
            b'\t' if !quoted => counts[1] += 1,
            b';' if !quoted => counts[2] += 1,
            b'|' if !quoted => counts[3] += 1,
            _ => {}
        }
    }
    let (best, &n) = counts
        .iter()
        .enumerate()
        .max_by_key(|&(i, n)| (*n, std::cmp::Reverse(i)))?;
    (n > 0).then_some([b',', b'\t', b';', b'|'][best])
}

/// The first line that is not blank.
pub(crate) fn first_line(text: &str) -> &str {
    text.lines().find(|l| !l.trim().is_empty()).unwrap_or("")
}

/// The file name of a path, for dataset titles and claimant names.
pub(crate) fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

/// Warns of a row whose point lies outside the country it states — by ISO 3166 numeric code
/// (ACLED's `iso`) or else by name — usually latitude and longitude swapped. The row is kept as
/// written; a country the embedded outlines do not know is not checked.
pub(crate) fn check_country(
    report: &mut LoadReport,
    line: usize,
    iso: &str,
    name: &str,
    point: Option<geo::Point<f64>>,
) {
    let Some(point) = point else { return };
    let countries = crate::basemap::Countries::embedded();
    let Some(country) = countries.by_iso(iso).or_else(|| countries.by_name(name)) else {
        return;
    };
    let (lon, lat) = (point.x(), point.y());
    if country.holds(lon, lat) {
        return;
    }
    let swapped = if country.holds(lat, lon) {
        ", and in it with latitude and longitude swapped"
    } else {
        ""
    };
    report.warning(
        line,
        format!(
            "the point (latitude {lat}, longitude {lon}) lies outside {}, the row's country{swapped}; kept as written",
            country.name
        ),
    );
}

/// A latitude and longitude from two texts; `Ok(None)` when both are empty.
pub(crate) fn lat_lon(lat: &str, lon: &str) -> Result<Option<geo::Point<f64>>, String> {
    if lat.is_empty() && lon.is_empty() {
        return Ok(None);
    }
    let parse = |text: &str, what: &str| {
        text.parse::<f64>()
            .ok()
            .or_else(|| {
                // A decimal comma ("40,1098"), as European spreadsheets write numbers.
                let (whole, fraction) = text.split_once(',')?;
                let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
                let whole_digits = whole.strip_prefix('-').unwrap_or(whole);
                (digits(whole_digits) && digits(fraction))
                    .then(|| format!("{whole}.{fraction}").parse().ok())
                    .flatten()
            })
            .filter(|v| v.is_finite())
            .ok_or_else(|| format!("{what} \"{text}\" is not a number"))
    };
    let (lat, lon) = (parse(lat, "latitude")?, parse(lon, "longitude")?);
    if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
        return Err(format!(
            "coordinates out of range: latitude {lat}, longitude {lon} (latitude must be within ±90, longitude within ±180)"
        ));
    }
    Ok(Some(geo::Point::new(lon, lat)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delimiters() {
        assert_eq!(sniff_delimiter("a,b,c"), Some(b','));
        assert_eq!(sniff_delimiter("a\tb\tc,d"), Some(b'\t'));
        assert_eq!(sniff_delimiter("a;b;\"c,d,e\""), Some(b';'));
        assert_eq!(sniff_delimiter("just words"), None);
    }

    #[test]
    fn coordinates() {
        assert!(lat_lon("", "").is_ok_and(|p| p.is_none()));
        assert!(lat_lon("40.1", "46.0").is_ok_and(|p| p.is_some()));
        assert!(lat_lon("91", "46").is_err());
        assert!(lat_lon("NaN", "46").is_err());
        assert!(lat_lon("40", "").is_err());
        assert!(lat_lon("40,5", "-46,25").is_ok_and(|p| p == Some(geo::Point::new(-46.25, 40.5))));
        assert!(lat_lon("40,5,1", "46").is_err());
    }
}
