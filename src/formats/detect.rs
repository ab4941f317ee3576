//! What a file is, by its content: a JSON object (GeoJSON, native or plain), or a table whose
//! header row says ACLED, UCDP GED or something else. File names and extensions are not used.

use crate::formats::acled::is_acled;
use crate::formats::rows::{Input, ReadOptions, Table, first_line, sniff_delimiter};
use crate::formats::ucdp::is_ucdp;

#[derive(Clone, PartialEq, Eq, Debug)]
pub(crate) enum Detected {
    /// A JSON object: a FeatureCollection, native when it has the `claimmap` member.
    Json,
    Acled {
        delimiter: u8,
    },
    Ucdp {
        delimiter: u8,
    },
    /// Some other table, with its header as written.
    Table {
        delimiter: u8,
        header: Vec<String>,
    },
}

pub(crate) fn detect(text: &str) -> Result<Detected, String> {
    let start = text.trim_start_matches('\u{feff}').trim_start();
    if start.starts_with('{') {
        return Ok(Detected::Json);
    }
    if start.starts_with('[') {
        return Err("a JSON array, not a GeoJSON FeatureCollection".into());
    }
    let Some(delimiter) = sniff_delimiter(first_line(start)) else {
        return Err(
            "neither a GeoJSON FeatureCollection nor a CSV/TSV file with a header row".into(),
        );
    };
    let table = Table::open(Input::Text(start), delimiter, ReadOptions::default());
    // A claims sheet written from an ACLED or UCDP dataset keeps their columns beside its own:
    // claimmap's claimant and quote columns say what it is (no ACLED or UCDP export has them).
    let has = |name: &str| table.keys.iter().any(|k| k == name);
    if has("claimant") && (has("quote") || has("summary")) {
        return Ok(Detected::Table {
            delimiter,
            header: table.headers,
        });
    }
    if is_acled(&table.keys) {
        Ok(Detected::Acled { delimiter })
    } else if is_ucdp(&table.keys) {
        Ok(Detected::Ucdp { delimiter })
    } else if table.headers.iter().filter(|h| !h.is_empty()).count() >= 2 {
        Ok(Detected::Table {
            delimiter,
            header: table.headers,
        })
    } else {
        Err("neither a GeoJSON FeatureCollection nor a CSV/TSV file with a header row".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn by_header() {
        assert_eq!(detect("  {\"type\": 1}"), Ok(Detected::Json));
        assert_eq!(
            detect("event_id_cnty,event_date,latitude\n"),
            Ok(Detected::Acled { delimiter: b',' })
        );
        assert_eq!(
            detect("data_id\tiso\tevent_date\tevent_type\tactor1\tinter1\tgeo_precision\n"),
            Ok(Detected::Acled { delimiter: b'\t' }),
            "an older export without event_id_cnty"
        );
        assert_eq!(
            detect("id;relid;date_prec;where_prec\n"),
            Ok(Detected::Ucdp { delimiter: b';' })
        );
        assert!(matches!(
            detect("\n\nid,date,lat,lon\n"),
            Ok(Detected::Table {
                delimiter: b',',
                ..
            })
        ));
        assert!(detect("just some notes\nnot a dataset\n").is_err());
        assert!(
            matches!(
                detect("incident_id,date,claimant,quote,relid,date_prec,where_prec,side_a\n"),
                Ok(Detected::Table { .. })
            ),
            "a claims sheet that kept a UCDP file's columns"
        );
        assert!(detect("[1, 2]").is_err());
        assert!(detect("").is_err());
    }
}
