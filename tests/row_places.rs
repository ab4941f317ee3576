//! Imported rows with coordinates of their own: a row's place name resolves to the candidate
//! nearest its coordinates (within a distance its precision sets), never to a farther homonym; a
//! name with no candidate near the row stays the file's text and the import report says so at the
//! row's line; ambiguity warnings carry the real line too.

use claimmap::Gazetteer;
use claimmap::Loaded;

const TABLE: &str = "\
id,date,lat,lon,place_desc,title,description,source
R-1,2021-05-26,40.92511,45.44873,Agarak,Fire near Agarak,As reported,Local media
R-2,2021-05-27,40.905278,45.556389,Aghdam,Fire on Aghdam,As reported,Local media
R-3,2021-05-28,40.18,44.51,Kalbajar,A Kalbajar row placed in Yerevan,As reported,Local media
R-4,2021-05-29,,,Istisu,Istisu without coordinates,As reported,Local media
R-5,2021-05-30,39.94628,45.96062,Istisu,Istisu in Kalbajar,As reported,Local media
R-6,2021-05-31,40.07,46.19,Kalbajar,Somewhere in the Kalbajar district,As reported,Local media
";

fn load() -> Loaded {
    claimmap::load_bytes(TABLE.as_bytes(), "rows.csv", Gazetteer::embedded()).expect("loads")
}

fn resolved(loaded: &Loaded, id: &str) -> Option<String> {
    let g = Gazetteer::embedded();
    let incident = loaded.dataset.incident(id).expect("incident");
    let place = incident.location.place.as_ref().expect("a place");
    place.resolved.map(|p| g.place(p).id.to_string())
}

#[test]
fn a_row_takes_the_homonym_nearest_its_coordinates() {
    let loaded = load();
    // The best match for "Agarak" alone is the Syunik town, 230 km away: the Tavush village wins.
    assert_eq!(resolved(&loaded, "R-1").as_deref(), Some("gn:11339823"));
    // "Aghdam" alone is the town in Karabakh; this row lies on the Tovuz village.
    assert_eq!(resolved(&loaded, "R-2").as_deref(), Some("wof:1141906147"));
    assert_eq!(resolved(&loaded, "R-5").as_deref(), Some("gn:147969"));
    // Inside the district's outline, 13 km from the town: the district.
    assert_eq!(resolved(&loaded, "R-6").as_deref(), Some("ne1:AZ-KAL"));
    for id in ["R-1", "R-2", "R-5", "R-6"] {
        let incident = loaded.dataset.incident(id).expect("incident");
        assert!(
            !incident.location.place.as_ref().expect("place").ambiguous,
            "{id}"
        );
    }
}

#[test]
fn a_name_far_from_its_row_stays_text_and_is_reported_at_its_line() {
    let loaded = load();
    assert_eq!(
        resolved(&loaded, "R-3"),
        None,
        "no Kalbajar lies near Yerevan"
    );
    let incident = loaded.dataset.incident("R-3").expect("R-3");
    let place = incident.location.place.as_ref().expect("place");
    assert_eq!(loaded.dataset.text(place.text), "Kalbajar");
    let point = incident.point().expect("the row keeps its coordinates");
    assert!((point.y() - 40.18).abs() < 1e-9 && (point.x() - 44.51).abs() < 1e-9);
    let warning = loaded
        .report
        .warnings
        .iter()
        .find(|w| w.message.contains("\"Kalbajar\"") && w.message.contains("km from the row"))
        .unwrap_or_else(|| panic!("a disagreement warning: {:?}", loaded.report.warnings));
    assert_eq!(warning.line, 4);
    assert!(
        !loaded
            .report
            .unresolved_places
            .iter()
            .any(|p| p == "Kalbajar"),
        "a known name is not listed as unknown"
    );
}

#[test]
fn ambiguity_warnings_carry_the_rows_line() {
    let loaded = load();
    let warning = loaded
        .report
        .warnings
        .iter()
        .find(|w| w.message.contains("\"Istisu\" is ambiguous"))
        .unwrap_or_else(|| panic!("an ambiguity warning: {:?}", loaded.report.warnings));
    assert_eq!(warning.line, 5);
    assert!(warning.message.contains("Kalbajar"), "{}", warning.message);
}

/// A row located exactly at a town names the town, though the district of the same name holds
/// its coordinates too; a row located only to the district names the district.
#[test]
fn an_exact_row_names_the_town_a_district_row_the_district() {
    let table = "\
id,date,lat,lon,place,location_precision,title,source
G-1,2021-05-26,40.6105,46.7892,Goranboy,exact,Fire at Goranboy,Local media
G-2,2021-05-26,40.6105,46.7892,Goranboy,near,Fire near Goranboy,Local media
G-3,2021-05-26,40.6105,46.7892,Goranboy,district,Fire in Goranboy district,Local media
";
    let loaded = claimmap::load_bytes(table.as_bytes(), "goranboy.csv", Gazetteer::embedded())
        .expect("loads");
    assert_eq!(resolved(&loaded, "G-1").as_deref(), Some("gn:586430"));
    assert_eq!(resolved(&loaded, "G-2").as_deref(), Some("gn:586430"));
    assert_eq!(resolved(&loaded, "G-3").as_deref(), Some("ne1:AZ-GOR"));
}
