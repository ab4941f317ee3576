//! Arbitrary bytes, and mutated fixture files, fed to every loader: never a panic. Bad input is a
//! `LoadError` or a report of bad rows.

mod common;

use common::fixture;

use claimmap::ColumnMapping;
use claimmap::CoordinateOrder;
use claimmap::Gazetteer;
use proptest::prelude::*;

const ACLED_HEADER: &str = "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,tags,timestamp\n";
const UCDP_HEADER: &str = "id,relid,year,active_year,code_status,type_of_violence,conflict_dset_id,conflict_new_id,conflict_name,dyad_dset_id,dyad_new_id,dyad_name,side_a_dset_id,side_a_new_id,side_a,side_b_dset_id,side_b_new_id,side_b,number_of_sources,source_article,source_office,source_date,source_headline,source_original,where_prec,where_coordinates,where_description,adm_1,adm_2,latitude,longitude,geom_wkt,priogrid_gid,country,country_id,region,event_clarity,date_prec,date_start,date_end,deaths_a,deaths_b,deaths_civilians,deaths_unknown,best,high,low,gwnoa,gwnob\n";
const TABLE_HEADER: &str = "id\tdate\tlat\tlon\tplace_desc\ttitle\tdescription\tsource\tlinks\n";
const GEOJSON_HEAD: &str = "{\"type\": \"FeatureCollection\", \"features\": [";
const NATIVE_HEAD: &str =
    "{\"type\": \"FeatureCollection\", \"claimmap\": {\"format_version\": 1}, \"features\": [";

const FIXTURES: [&str; 10] = [
    "acled_current.csv",
    "acled_hdx.csv",
    "acled_old.csv",
    "acled_oldest.tsv",
    "acled_semicolon.csv",
    "ucdp_ged231_rows.csv",
    "osint_geolocations.csv",
    "osint_coordinates.tsv",
    "windows1252.csv",
    "plain.geojson",
];

fn load_all_ways(bytes: &[u8]) {
    let g = Gazetteer::embedded();
    let _ = claimmap::load_bytes(bytes, "fuzz", g);
    for head in [
        ACLED_HEADER,
        UCDP_HEADER,
        TABLE_HEADER,
        GEOJSON_HEAD,
        NATIVE_HEAD,
    ] {
        let mut with_head = head.as_bytes().to_vec();
        with_head.extend_from_slice(bytes);
        let _ = claimmap::load_bytes(&with_head, "fuzz", g);
    }
}

/// Bytes that look like the files the loaders see: delimiters, quotes, line ends, digits, dates.
fn csvish() -> impl Strategy<Value = Vec<u8>> {
    let pieces = prop_oneof![
        Just(b",".to_vec()),
        Just(b"\t".to_vec()),
        Just(b";".to_vec()),
        Just(b"\"".to_vec()),
        Just(b"\n".to_vec()),
        Just(b"\r\n".to_vec()),
        Just(b"#".to_vec()),
        Just(b"2021-05-26".to_vec()),
        Just(b"26 May 2021".to_vec()),
        Just(b"99/99/9999".to_vec()),
        Just(b"40.1".to_vec()),
        Just(b"-999".to_vec()),
        Just(b"NaN".to_vec()),
        Just(b"{\"type\": \"Feature\"".to_vec()),
        Just(b"POINT (".to_vec()),
        Just("Kəlbəcər".as_bytes().to_vec()),
        Just(b"\xff\xfe".to_vec()),
        Just(b"\xef\xbb\xbf".to_vec()),
        prop::collection::vec(any::<u8>(), 0..8),
    ];
    prop::collection::vec(pieces, 0..60).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2000)) {
        load_all_ways(&bytes);
    }

    #[test]
    fn file_like_bytes_never_panic(bytes in csvish()) {
        load_all_ways(&bytes);
    }

    #[test]
    fn mutated_fixtures_never_panic(
        which in 0..FIXTURES.len(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..3), 1..20),
    ) {
        let path = fixture(FIXTURES[which]);
        let mut bytes = std::fs::read(path).expect("fixture");
        for (at, byte, kind) in edits {
            if bytes.is_empty() {
                break;
            }
            let i = at.index(bytes.len());
            match kind {
                0 => bytes[i] = byte,
                1 => bytes.insert(i, byte),
                _ => {
                    bytes.remove(i);
                }
            }
        }
        let _ = claimmap::load_bytes(&bytes, FIXTURES[which], Gazetteer::embedded());
    }

    #[test]
    fn any_column_mapping_never_panics(
        bytes in csvish(),
        columns in prop::collection::vec(prop::option::of(0usize..12), 13),
        delimiter in prop::sample::select(vec![b',', b'\t', b';', b'|', b'"', b'\n']),
        lon_first in any::<bool>(),
    ) {
        let mapping = ColumnMapping {
            claims: Default::default(),
            delimiter,
            header: Vec::new(),
            id: columns[0],
            date: columns[1],
            date_end: columns[2],
            latitude: columns[3],
            longitude: columns[4],
            coordinates: columns[5],
            coordinate_order: if lon_first { CoordinateOrder::LonLat } else { CoordinateOrder::LatLon },
            place: columns[6],
            title: columns[7],
            description: columns[8],
            source: columns[9],
            url: columns[10],
            category: columns[11],
            country: columns[0],
        };
        let mut with_head = TABLE_HEADER.as_bytes().to_vec();
        with_head.extend_from_slice(&bytes);
        let _ = claimmap::load_table_with_mapping(&with_head, "fuzz", &mapping, Gazetteer::embedded());
        let _ = claimmap::load_table_with_mapping(&bytes, "fuzz", &mapping, Gazetteer::embedded());
    }
}
