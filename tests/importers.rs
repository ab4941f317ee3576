//! The importers: ACLED (current, older, HDX), UCDP GED (real rows), generic CSV/TSV, plain
//! GeoJSON, encodings, and bad rows reported with their lines while the good ones load.

mod common;

use common::{day, fixture};

use claimmap::Category;
use claimmap::ColumnMapping;
use claimmap::DatePrecision;
use claimmap::Day;
use claimmap::Format;
use claimmap::Gazetteer;
use claimmap::Incident;
use claimmap::LoadError;
use claimmap::Loaded;
use claimmap::LocationPrecision;
use claimmap::Placement;
use claimmap::detect_columns;
use claimmap::testing::native;

fn load(name: &str) -> Loaded {
    claimmap::load_path(&fixture(name), Gazetteer::embedded())
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn incident<'a>(loaded: &'a Loaded, id: &str) -> &'a Incident {
    loaded
        .dataset
        .incident(id)
        .unwrap_or_else(|| panic!("no incident {id}"))
}

fn extra(incident: &Incident, key: &str) -> Option<String> {
    incident.extra.get_str(key).map(|v| v.into_owned())
}

fn span(incident: &Incident) -> (Day, Day, DatePrecision) {
    (
        incident.date.start(),
        incident.date.end(),
        incident.date.precision,
    )
}

fn clean(loaded: &Loaded, rows: usize) {
    let r = &loaded.report;
    assert_eq!(
        (r.rows, r.loaded, r.skipped, r.error_count),
        (rows, rows, 0, 0),
        "{}: {:?}",
        r.path,
        r.errors
    );
}

#[test]
fn acled_current_export() {
    let loaded = load("acled_current.csv");
    clean(&loaded, 6);
    assert_eq!(loaded.report.format, Format::Acled);
    let d = &loaded.dataset;
    assert_eq!(d.provenance.format, Format::Acled);
    assert!(
        d.meta
            .citation
            .as_deref()
            .is_some_and(|c| c.contains("ACLED"))
    );

    let fire = incident(&loaded, "AZE9001");
    assert_eq!(loaded.dataset.title(fire), "Armed clash: Kalbajar");
    assert_eq!(fire.category, Category::ExchangeOfFire);
    assert_eq!(
        span(fire),
        (day("2021-05-26"), day("2021-05-26"), DatePrecision::Day)
    );
    assert!(matches!(fire.placement, Placement::Geometry(_)));
    let point = fire.point().expect("a point");
    assert_eq!((point.x(), point.y()), (46.0389, 40.1098));
    assert_eq!(fire.location.precision, LocationPrecision::Exact);
    let place = fire.location.place.as_ref().expect("the location text");
    assert_eq!(d.text(place.text), "Kalbajar");
    assert!(place.resolved.is_some(), "resolved for the report");
    // "Azerbaijan Ministry of Defence; Trend": two claimants, sided through the registry, each
    // with its claim on ACLED's notes, whose source says so.
    assert_eq!(fire.claims.len(), 2);
    let claim = &fire.claims[0];
    let claimant = d.claimant(claim.claimant);
    assert_eq!(claimant.name.as_ref(), "Ministry of Defence of Azerbaijan");
    assert_eq!(claimant.id.as_ref(), "az-mod");
    let side = d.claimant_side(claim.claimant);
    assert_eq!(side.id.as_ref(), "az");
    assert!(side.party);
    assert_eq!(d.claimant(fire.claims[1].claimant).name.as_ref(), "Trend");
    assert_eq!(d.claimant_side(fire.claims[1].claimant).id.as_ref(), "az");
    assert_eq!(fire.claims[1].quote, claim.quote);
    assert_eq!(
        claim.source.outlet.map(|o| d.text(o)),
        Some("Azerbaijan Ministry of Defence; Trend")
    );
    assert_eq!(
        claim.source.document.map(|o| d.text(o)),
        Some("ACLED notes")
    );
    assert!(claim.quote.read().contains("\"the fire was suppressed\""));
    assert_eq!(claim.losses.as_ref().and_then(|l| l.killed), Some(0));
    // Everything else is kept.
    for (key, value) in [
        ("actor1", "Military Forces of Azerbaijan (2003-)"),
        ("actor2", "Military Forces of Armenia (2018-)"),
        ("event_type", "Battles"),
        ("sub_event_type", "Armed clash"),
        ("admin1", "Kalbajar"),
        ("fatalities", "0"),
        ("event_date", "26 May 2021"),
        ("time_precision", "1"),
        ("interaction", "State forces-State forces"),
        ("timestamp", "1622505600"),
    ] {
        assert_eq!(extra(fire, key).as_deref(), Some(value), "{key}");
    }
    for held in ["notes", "latitude", "location", "source", "event_id_cnty"] {
        assert_eq!(extra(fire, held).as_deref(), None, "{held} is in the model");
    }

    // time_precision 2: the week around the date; geo_precision 2: near.
    let shelling = incident(&loaded, "ARM9002");
    assert_eq!(
        span(shelling),
        (day("2021-06-09"), day("2021-06-15"), DatePrecision::Week)
    );
    assert_eq!(shelling.location.precision, LocationPrecision::Near);
    assert_eq!(shelling.category, Category::ArmedAttack);
    assert_eq!(
        shelling.claims[0].losses.as_ref().and_then(|l| l.killed),
        Some(1)
    );
    // time_precision 3: the month; geo_precision 3: district.
    let mine = incident(&loaded, "AZE9003");
    assert_eq!(
        span(mine),
        (day("2021-07-01"), day("2021-07-31"), DatePrecision::Month)
    );
    assert_eq!(mine.location.precision, LocationPrecision::District);
    assert_eq!(mine.category, Category::Mine);
    assert_eq!(incident(&loaded, "ARM9004").category, Category::Detention);
    assert_eq!(incident(&loaded, "AZE9005").category, Category::Political);
    // Claimants: one per source name, whatever the row joins it with.
    let names: Vec<&str> = d.claimants.iter().map(|c| &*c.id).collect();
    assert_eq!(
        names,
        ["az-mod", "trend", "am-mod", "apa", "report-az", "turan"]
    );
    assert_eq!(loaded.report.unregistered_claimants, Vec::<String>::new());
    assert_eq!(
        incident(&loaded, "AZE9006").claims[0].claimant,
        claim.claimant
    );
    assert!(d.incidents().iter().all(|i| !d.is_contested(i)));
}

/// The claimant registry sides ACLED's sources: the two ministries of defence on their own
/// sides, joined sources split into their own claims, unknown outlets neutral and reported.
#[test]
fn acled_sources_are_split_and_sided_through_the_registry() {
    let loaded = load("acled_sided.csv");
    clean(&loaded, 6);
    let d = &loaded.dataset;
    let claimants = |id: &str| -> Vec<(String, String)> {
        incident(&loaded, id)
            .claims
            .iter()
            .map(|c| {
                (
                    d.claimant(c.claimant).id.to_string(),
                    d.claimant_side(c.claimant).id.to_string(),
                )
            })
            .collect()
    };
    let pair = |a: &str, b: &str| (a.to_owned(), b.to_owned());
    // Both ministries of defence: one incident, two parties, contested.
    assert_eq!(
        claimants("AZE9101"),
        [pair("az-mod", "az"), pair("am-mod", "am")]
    );
    assert!(d.is_contested(incident(&loaded, "AZE9101")));
    // A variant spelling, an international outlet, and an outlet the registry does not know.
    assert_eq!(
        claimants("ARM9102"),
        [
            pair("am-mod", "am"),
            pair("rferl", "press"),
            pair("Vardenis Local Blog", "acled-source")
        ]
    );
    assert_eq!(
        claimants("AZE9103"),
        [pair("az-mod", "az"), pair("apa", "az")]
    );
    assert_eq!(
        claimants("ARM9104"),
        [pair("ACLED (no source given)", "acled-source")]
    );
    // Two spellings of one outlet in a row are one claim.
    assert_eq!(claimants("ARM9105"), [pair("armenpress", "am")]);
    assert_eq!(
        claimants("AZE9106"),
        [
            pair("Sumgait Reporter", "acled-source"),
            pair("reuters", "press")
        ]
    );
    // Each claim quotes ACLED's notes, and says whose words they are.
    for claim in incident(&loaded, "ARM9102").claims.iter() {
        assert!(
            claim
                .quote
                .read()
                .starts_with("On 16 November 2021, the Armenian MoD said")
        );
        assert_eq!(
            claim.source.document.map(|t| d.text(t)),
            Some("ACLED notes")
        );
        assert_eq!(
            claim.source.outlet.map(|t| d.text(t)),
            Some("Armenian Defense Ministry; Azatutyun; Vardenis Local Blog")
        );
        assert_eq!(claim.losses.as_ref().and_then(|l| l.killed), Some(4));
    }
    let contested = d.incidents().iter().filter(|i| d.is_contested(i)).count();
    assert_eq!(contested, 1);
    // The outlets left neutral are listed (the row without a source is not an outlet).
    assert_eq!(
        loaded.report.unregistered_claimants,
        ["Sumgait Reporter", "Vardenis Local Blog"]
    );
    assert!(
        loaded
            .report
            .warnings
            .iter()
            .any(|w| w.line == 0 && w.message.contains("2 ACLED source name(s)"))
    );
}

/// UCDP's coding stays UCDP's; where its source names a party's body, that body speaks too.
/// A row whose point lies far outside the country it states is loaded as written and warned of
/// at its line, saying when the swapped point would fit (ACLED by ISO code, UCDP by name).
#[test]
fn rows_outside_their_stated_country_are_warned_of() {
    let acled = "event_id_cnty,event_date,iso,country,location,latitude,longitude,geo_precision,source,notes
ARM1,2021-05-26,51,Armenia,Yerevan,40.1811,44.5126,1,Armenpress,in place
ARM2,2021-05-27,51,Armenia,Yerevan,44.5126,40.1811,1,Armenpress,swapped
ARM3,2021-05-28,51,Armenia,Yerevan,48.85,2.35,1,Armenpress,in Paris
AZE4,2021-05-29,31,Azerbaijan,Nakhchivan,39.2089,45.4128,1,APA,in the exclave
XXX5,2021-05-30,,Atlantis,Nowhere,10,10,1,Someone,country unknown
";
    let loaded =
        claimmap::load_bytes(acled.as_bytes(), "acled.csv", Gazetteer::embedded()).expect("loads");
    let r = &loaded.report;
    assert_eq!(
        (r.rows, r.loaded),
        (5, 5),
        "kept as written: {:?}",
        r.errors
    );
    let outside: Vec<(usize, &str)> = r
        .warnings
        .iter()
        .filter(|w| w.message.contains("lies outside"))
        .map(|w| (w.line, w.message.as_str()))
        .collect();
    assert_eq!(outside.len(), 2, "{outside:?}");
    assert_eq!(outside[0].0, 3);
    assert!(
        outside[0].1.contains(
            "outside Armenia, the row's country, and in it with latitude and longitude swapped"
        ),
        "{}",
        outside[0].1
    );
    assert_eq!(outside[1].0, 4);
    assert!(!outside[1].1.contains("swapped"), "{}", outside[1].1);

    let ucdp = "id,relid,dyad_name,date_start,date_end,latitude,longitude,country,where_prec,date_prec,type_of_violence,best
1,AZE-1,Azerbaijan - Armenia,2020-10-01,2020-10-01,39.7583,46.7525,Azerbaijan,1,1,1,2
2,AZE-2,Azerbaijan - Armenia,2020-10-02,2020-10-02,46.7525,39.7583,Azerbaijan,1,1,1,2
";
    let loaded =
        claimmap::load_bytes(ucdp.as_bytes(), "ucdp.csv", Gazetteer::embedded()).expect("loads");
    let outside: Vec<usize> = loaded
        .report
        .warnings
        .iter()
        .filter(|w| w.message.contains("outside Azerbaijan"))
        .map(|w| w.line)
        .collect();
    assert_eq!(outside, [3], "{:?}", loaded.report);
}

/// Any table with a country column (a name or an ISO numeric code) is checked the same way, and
/// keeps the column as a property.
#[test]
fn generic_tables_with_a_country_column_are_checked() {
    let table = "date,lat,lon,country,note
2022-09-13,40.1811,44.5126,Armenia,in place
2022-09-13,44.5126,40.1811,Armenia,swapped
2022-09-13,40.1811,44.5126,031,Yerevan is not in Azerbaijan
2022-09-13,10,10,Atlantis,country unknown
2022-09-13,40.1811,44.5126,,no country
";
    let mapping = detect_columns(&["date", "lat", "lon", "country", "note"].map(String::from));
    assert_eq!(mapping.country, Some(3));
    let loaded =
        claimmap::load_bytes(table.as_bytes(), "sheet.csv", Gazetteer::embedded()).expect("loads");
    let r = &loaded.report;
    assert_eq!(
        (r.rows, r.loaded),
        (5, 5),
        "kept as written: {:?}",
        r.errors
    );
    let outside: Vec<(usize, &str)> = r
        .warnings
        .iter()
        .filter(|w| w.message.contains("lies outside"))
        .map(|w| (w.line, w.message.as_str()))
        .collect();
    assert_eq!(outside.len(), 2, "{outside:?}");
    assert_eq!(outside[0].0, 3);
    assert!(outside[0].1.contains("outside Armenia"), "{}", outside[0].1);
    assert!(outside[0].1.contains("swapped"), "{}", outside[0].1);
    assert_eq!(outside[1].0, 4);
    assert!(
        outside[1].1.contains("outside Azerbaijan"),
        "{}",
        outside[1].1
    );
    let first = &loaded.dataset.incidents()[0];
    assert_eq!(first.extra.get_str("country").as_deref(), Some("Armenia"));
}

#[test]
fn ucdp_sources_naming_a_party_add_its_claim() {
    let text = std::fs::read_to_string(fixture("ucdp_ged231_rows.csv")).expect("fixture");
    let text = text.replacen(
        ",Reuters News,1992-02-11,ARMENIANS BURN AZERI VILLAGE IN FRESH FIGHTING.,Itar-tass,",
        ",Reuters News;Azerbaijan Ministry of Defence,1992-02-11,ARMENIANS BURN AZERI VILLAGE IN FRESH FIGHTING.,Itar-tass,",
        1,
    );
    let loaded =
        claimmap::load_bytes(text.as_bytes(), "ucdp.csv", Gazetteer::embedded()).expect("loads");
    let d = &loaded.dataset;
    let village = incident(&loaded, "ucdp:155395");
    let who: Vec<&str> = village
        .claims
        .iter()
        .map(|c| &*d.claimant(c.claimant).id)
        .collect();
    // Reuters is not a party: its report stays in UCDP's coding; TASS neither, and neither
    // becomes a claimant without claims.
    assert_eq!(who, ["UCDP GED", "az-mod"]);
    assert_eq!(d.claimants.len(), 2);
    let (coding, party) = (&village.claims[0], &village.claims[1]);
    assert_eq!(party.quote, coding.quote);
    assert_eq!(party.source.outlet, coding.source.outlet);
    assert!(party.losses.is_none(), "the death estimate is UCDP's");
    assert!(coding.losses.is_some());
    assert_eq!(d.claimant_side(party.claimant).id.as_ref(), "az");
    // Every other row is UCDP's alone.
    assert_eq!(
        d.incidents().iter().map(|i| i.claims.len()).sum::<usize>(),
        10
    );
}

#[test]
fn acled_variants_and_date_spellings_agree() {
    let current = load("acled_current.csv");
    // "2021-05-26" (HDX, with HXL row, BOM, CRLF), "26/05/2021" (older), "26-May-21" (oldest).
    let hdx = load("acled_hdx.csv");
    clean(&hdx, 3);
    let old = load("acled_old.csv");
    clean(&old, 4);
    let oldest = load("acled_oldest.tsv");
    clean(&oldest, 3);
    let semicolon = load("acled_semicolon.csv");
    clean(&semicolon, 3);
    for loaded in [&hdx, &old, &oldest, &semicolon] {
        assert_eq!(
            loaded.report.format,
            Format::Acled,
            "{}",
            loaded.report.path
        );
    }
    for id in ["AZE9001", "ARM9002", "AZE9003"] {
        let want = incident(&current, id);
        for loaded in [&hdx, &old] {
            let got = incident(loaded, id);
            assert_eq!(span(got), span(want), "{id} in {}", loaded.report.path);
            assert_eq!(got.point(), want.point());
            assert_eq!(got.category, want.category);
            assert_eq!(got.claims[0].quote, want.claims[0].quote);
        }
    }
    // Older layouts: numeric inter codes and the extra id columns are kept.
    let a = incident(&old, "AZE9001");
    assert_eq!(extra(a, "inter1").as_deref(), Some("1"));
    assert_eq!(extra(a, "data_id").as_deref(), Some("7700001"));
    assert_eq!(extra(a, "iso3").as_deref(), Some("AZE"));
    assert_eq!(extra(a, "event_id_no_cnty").as_deref(), Some("9001"));
    // No event_id_cnty: data_id is the id; no sub_event_type: the title is the event type; no
    // fatalities: no losses.
    let first = incident(&oldest, "5500001");
    assert_eq!(
        span(first),
        (day("2021-05-26"), day("2021-05-26"), DatePrecision::Day)
    );
    assert_eq!(oldest.dataset.title(first), "Battles: Kalbajar");
    assert_eq!(first.category, Category::ExchangeOfFire);
    assert!(first.claims[0].losses.is_none());
    assert_eq!(
        span(incident(&oldest, "5500002")),
        span(incident(&current, "ARM9002"))
    );
    // Semicolons, decimal commas, and a quoted note with a line break and quotes.
    let s = incident(&semicolon, "AZE9006");
    let point = s.point().expect("point");
    assert_eq!((point.x(), point.y()), (45.8161, 40.5656));
    assert_eq!(
        s.claims[0].quote.read(),
        "First paragraph; with a semicolon.\nSecond paragraph with \"quotes\"."
    );
}

#[test]
fn bad_rows_are_reported_with_their_lines_and_the_good_rows_load() {
    let loaded = load("acled_malformed.csv");
    let r = &loaded.report;
    // (line where the record starts, what the message must say)
    let expected = [
        (3, "event_date \"31 February 2021\""),
        (4, "out of range"),
        (5, "time_precision code \"7\""),
        (8, "geo_precision code \"0\""),
        (9, "longitude \"east\" is not a number"),
        (10, "duplicate incident id \"AZE8001\""),
        (12, "the row has 4 fields, the header 31"),
    ];
    for (line, text) in expected {
        assert!(
            r.errors
                .iter()
                .any(|e| e.line == line && e.message.contains(text)),
            "line {line}: {text}: {:?}",
            r.errors
        );
    }
    assert_eq!(r.errors.len(), expected.len(), "{:?}", r.errors);
    assert_eq!(r.error_count, expected.len());
    assert_eq!((r.rows, r.loaded, r.skipped), (11, 4, 7));
    let mut ids: Vec<&str> = loaded
        .dataset
        .incidents()
        .iter()
        .map(|i| i.id.as_ref())
        .collect();
    ids.sort();
    assert_eq!(ids, ["AZE8001", "AZE8005", "AZE8009", "AZE8011"]);
    assert!(
        incident(&loaded, "AZE8005").claims[0]
            .quote
            .read()
            .contains("long note,\nline two.")
    );
}

#[test]
fn many_bad_rows_are_all_counted_and_the_first_hundred_listed() {
    let mut text = String::from("id,date,lat,lon\n");
    for i in 0..250 {
        text.push_str(&format!("{i},not a date,40,45\n"));
    }
    text.push_str("ok,2021-05-26,40,45\n");
    let loaded =
        claimmap::load_bytes(text.as_bytes(), "many.csv", Gazetteer::embedded()).expect("loads");
    let r = &loaded.report;
    assert_eq!((r.rows, r.loaded, r.skipped), (251, 1, 250));
    assert_eq!(r.error_count, 250);
    assert_eq!(r.errors.len(), claimmap::LISTED_ISSUES);
    assert_eq!(r.errors[0].line, 2);
    assert_eq!(r.errors[99].line, 101);
}

#[test]
fn ucdp_ged_real_rows() {
    let loaded = load("ucdp_ged231_rows.csv");
    clean(&loaded, 9);
    assert_eq!(loaded.report.format, Format::Ucdp);
    let d = &loaded.dataset;
    assert_eq!(d.meta.licence.as_deref(), Some("CC BY 4.0"));
    assert!(
        d.meta
            .citation
            .as_deref()
            .is_some_and(|c| c.contains("Sundberg") && c.contains("Davies"))
    );
    assert_eq!(d.claimants.len(), 1);
    assert_eq!(d.claimants[0].name.as_ref(), "UCDP GED");
    assert!(!d.sides[0].party);

    let loc = incident(&loaded, "ucdp:376126");
    assert_eq!(
        loaded.dataset.title(loc),
        "Government of Azerbaijan - Republic of Artsakh: Line of Contact"
    );
    assert_eq!(
        span(loc),
        (day("2020-09-27"), day("2020-09-30"), DatePrecision::Range)
    );
    assert_eq!(loc.location.precision, LocationPrecision::Region);
    assert_eq!(loc.category, Category::ExchangeOfFire);
    let point = loc.point().expect("point");
    assert_eq!((point.x(), point.y()), (47.0, 40.0));
    let claim = &loc.claims[0];
    assert_eq!(claim.quote.read(), "Information about our martyrdom");
    assert_eq!(
        claim.source.outlet.map(|s| d.text(s)),
        Some("Zagatala district Heydar Aliyev Center")
    );
    assert_eq!(
        claim.details.published.as_ref().map(|p| p.start()),
        Some(day("2020-12-05"))
    );
    assert!(
        claim
            .source
            .document
            .is_some_and(|s| d.text(s).contains("Information about our martyrdom"))
    );
    for (key, value) in [
        ("side_a", "Government of Azerbaijan"),
        ("side_b", "Republic of Artsakh"),
        ("conflict_name", "Azerbaijan: Artsakh (Nagorno-Karabakh)"),
        (
            "dyad_name",
            "Government of Azerbaijan - Republic of Artsakh",
        ),
        ("best", "1"),
        ("where_prec", "5"),
        ("relid", "AZE-2020-1-833-156"),
        ("gwnoa", "373.0"),
    ] {
        assert_eq!(extra(loc, key).as_deref(), Some(value), "{key}");
    }
    let village = incident(&loaded, "ucdp:155395");
    let losses = village.claims[0].losses.as_ref().expect("losses");
    assert_eq!(losses.text.as_ref(), "deaths: best 1 (low 1, high 3)");
    assert_eq!(losses.killed, Some(1));
    assert_eq!(
        village.claims[0].details.summary.as_ref(),
        "UCDP's original source: Itar-tass"
    );

    // date_prec 3 (week) with where_prec 4 (province); 5 (year) with 3 (district);
    // 4 (month) with 7 (at sea); where_prec 6 (country).
    let angola = incident(&loaded, "ucdp:21300");
    assert_eq!(
        span(angola),
        (day("1989-05-10"), day("1989-05-16"), DatePrecision::Week)
    );
    assert_eq!(angola.location.precision, LocationPrecision::Province);
    assert!(angola.claims[0].details.published.is_none());
    let rwanda = incident(&loaded, "ucdp:298457");
    assert_eq!(rwanda.date.precision, DatePrecision::Year);
    assert_eq!(rwanda.location.precision, LocationPrecision::District);
    assert_eq!(rwanda.category, Category::Killing);
    assert_eq!(
        rwanda.claims[0].losses.as_ref().map(|l| l.text.as_ref()),
        Some("deaths: best 0 (low 0, high 7961)")
    );
    let lake = incident(&loaded, "ucdp:23893");
    assert_eq!(lake.date.precision, DatePrecision::Month);
    assert_eq!(lake.location.precision, LocationPrecision::Region);
    assert_eq!(
        incident(&loaded, "ucdp:322134").location.precision,
        LocationPrecision::Country
    );
    // Several sources: the first date is the claim's.
    assert_eq!(
        incident(&loaded, "ucdp:300380").claims[0]
            .details
            .published
            .as_ref()
            .map(|p| p.start()),
        Some(day("2013-01-03"))
    );
    // A quoted field with line breaks (id 433058) does not shift the rows after it.
    assert!(
        loaded
            .dataset
            .title(incident(&loaded, "ucdp:433058"))
            .contains("Ye-U township")
    );
}

#[test]
fn osint_table_with_place_only_rows() {
    let loaded = load("osint_geolocations.csv");
    clean(&loaded, 6);
    assert_eq!(loaded.report.format, Format::Csv);
    let d = &loaded.dataset;
    let jermuk = incident(&loaded, "G-001");
    assert!(matches!(jermuk.placement, Placement::Geometry(_)));
    assert_eq!(d.title(jermuk), "Shelling damage in Jermuk");
    let claim = &jermuk.claims[0];
    assert_eq!(d.claimant(claim.claimant).name.as_ref(), "@geo_volunteer");
    assert!(!d.claimant_side(claim.claimant).party);
    assert_eq!(claim.details.url.as_deref(), Some("https://example.org/a"));
    assert_eq!(
        extra(jermuk, "links").as_deref(),
        Some("https://example.org/a https://example.org/b"),
        "several links are all kept"
    );
    assert_eq!(extra(jermuk, "confidence").as_deref(), Some("high"));
    // Placed through the gazetteer, and marked as such.
    for id in ["G-002", "G-003"] {
        let i = incident(&loaded, id);
        assert!(matches!(i.placement, Placement::Gazetteer(_)), "{id}");
        assert!(i.point().is_some());
        assert!(i.geometry.is_none());
    }
    assert_eq!(
        span(incident(&loaded, "G-002")),
        (day("2022-09-13"), day("2022-09-13"), DatePrecision::Day)
    );
    // Never dropped: no place, or a place nobody knows, loads as unlocated.
    let undated = incident(&loaded, "G-004");
    assert_eq!(undated.placement, Placement::Unlocated);
    assert_eq!(
        span(undated),
        (day("2022-09-01"), day("2022-09-30"), DatePrecision::Month)
    );
    assert_eq!(
        d.claimant(undated.claims[0].claimant).name.as_ref(),
        "osint_geolocations.csv",
        "no source: the file speaks"
    );
    assert_eq!(incident(&loaded, "G-005").placement, Placement::Unlocated);
    assert_eq!(loaded.report.unlocated, 2);
    assert_eq!(
        loaded.report.unresolved_places,
        ["Nowhere-in-particular-ville"]
    );
    let convoy = incident(&loaded, "G-006");
    assert_eq!(convoy.date.start(), day("2022-09-16"));
    assert!(
        convoy.claims[0]
            .quote
            .read()
            .contains(",\nwith a second line")
    );
}

#[test]
fn tsv_with_one_coordinates_column_bom_and_crlf() {
    let loaded = load("osint_coordinates.tsv");
    clean(&loaded, 3);
    let by_title = |title: &str| {
        loaded
            .dataset
            .incidents()
            .iter()
            .find(|i| loaded.dataset.title(i) == title)
            .unwrap_or_else(|| panic!("{title}"))
    };
    let morning = by_title("Morning report.");
    let at = morning.point().expect("point");
    assert_eq!((at.x(), at.y()), (45.6622, 40.2361));
    assert_eq!(
        morning.date.start(),
        day("2022-09-13"),
        "a time of day is ignored"
    );
    let at = by_title("WKT point.").point().expect("point");
    assert_eq!(
        (at.x(), at.y()),
        (45.9264, 40.1567),
        "WKT is longitude first"
    );
    let goris = by_title("No coordinates: placed by name.");
    assert!(matches!(goris.placement, Placement::Gazetteer(_)));
    assert_eq!(goris.location.precision, LocationPrecision::Near);
    assert_eq!(
        goris.claims[0].details.url.as_deref(),
        None,
        "an empty link is no URL"
    );
}

#[test]
fn windows_1252_is_read_with_a_warning() {
    let loaded = load("windows1252.csv");
    clean(&loaded, 2);
    assert!(
        loaded
            .report
            .warnings
            .iter()
            .any(|w| w.message.contains("Windows-1252")),
        "{:?}",
        loaded.report.warnings
    );
    let d = &loaded.dataset;
    let cafe = incident(&loaded, "W-1");
    assert_eq!(
        cafe.claims[0].quote.read(),
        "Café damaged – “quoted” witness, 50° angle"
    );
    assert_eq!(
        d.claimant(cafe.claims[0].claimant).name.as_ref(),
        "Réseau local"
    );
    assert!(matches!(cafe.placement, Placement::Gazetteer(_)));
}

#[test]
fn plain_geojson_from_another_tool() {
    let loaded = load("plain.geojson");
    let r = &loaded.report;
    assert_eq!(r.format, Format::GeoJson);
    assert_eq!((r.rows, r.loaded, r.skipped), (6, 5, 1));
    // The feature without a date is reported at the line it starts on.
    let text = std::fs::read_to_string(fixture("plain.geojson")).expect("fixture");
    let id_line = text
        .lines()
        .position(|l| l.contains("\"nodate\""))
        .expect("the feature")
        + 1;
    assert_eq!(r.errors.len(), 1);
    assert_eq!(r.errors[0].line, id_line - 2, "{:?}", r.errors);
    assert!(r.errors[0].message.contains("no date"));

    let d = &loaded.dataset;
    assert_eq!(d.meta.title.as_ref(), "Other tool export");
    let p1 = incident(&loaded, "p1");
    assert_eq!(d.title(p1), "Fire on Kalbajar positions");
    assert_eq!(p1.date.start(), day("2021-05-26"));
    assert_eq!(
        p1.claims[0].quote.read(),
        "Positions in Kalbajar came under fire."
    );
    assert_eq!(
        d.claimant(p1.claims[0].claimant).name.as_ref(),
        "Azerbaijan Ministry of Defence"
    );
    assert_eq!(
        p1.claims[0].details.url.as_deref(),
        Some("https://example.org/p1")
    );
    assert_eq!(extra(p1, "confidence").as_deref(), Some("high"));
    let line = incident(&loaded, "l2");
    assert_eq!(
        span(line),
        (day("2021-06-01"), day("2021-06-03"), DatePrecision::Range)
    );
    assert!(matches!(
        line.own_geometry().as_deref(),
        Some(geo::Geometry::LineString(_))
    ));
    assert_eq!(extra(line, "marker-color").as_deref(), Some("#ff0000"));
    let area = incident(&loaded, "feature-3");
    assert_eq!(area.date.start(), day("2021-06-01"), "epoch milliseconds");
    assert!(matches!(
        area.own_geometry().as_deref(),
        Some(geo::Geometry::Polygon(_))
    ));
    let named = incident(&loaded, "4");
    assert_eq!(named.date.start(), day("2021-05-26"));
    assert!(matches!(named.placement, Placement::Gazetteer(_)));
    let month = incident(&loaded, "month");
    assert_eq!(month.date.precision, DatePrecision::Month);
    assert_eq!(month.category, Category::Mine);
}

#[test]
fn unsure_tables_name_the_columns_found_and_missing() {
    let g = Gazetteer::embedded();
    match claimmap::load_bytes(b"a,b,c\n1,2,3\n", "abc.csv", g) {
        Err(LoadError::Columns {
            missing, mapping, ..
        }) => {
            assert_eq!(missing.len(), 2);
            assert!(mapping.is_some());
        }
        other => panic!("{other:?}"),
    }
    let text = b"when happened;where;what\n26/05/2021;Kalbajar region;fire\n";
    let err = claimmap::load_bytes(text, "semi.csv", g).expect_err("no date column by name");
    let message = err.to_string();
    assert!(message.contains("a date column"), "{message}");
    assert!(message.contains("when happened"), "{message}");
    let LoadError::Columns {
        mapping: Some(mapping),
        ..
    } = err
    else {
        panic!("a mapping to correct");
    };
    // What a dialog would do: name the columns, then load with the mapping.
    let mapping = ColumnMapping {
        date: Some(0),
        place: Some(1),
        description: Some(2),
        ..*mapping
    };
    assert_eq!(mapping.delimiter, b';');
    let loaded = claimmap::load_table_with_mapping(text, "semi.csv", &mapping, g).expect("loads");
    assert_eq!(loaded.report.loaded, 1);
    let i = &loaded.dataset.incidents()[0];
    assert!(matches!(i.placement, Placement::Gazetteer(_)));
    assert_eq!(i.claims[0].quote.read(), "fire");
    // The pure detection a dialog starts from.
    let m = detect_columns(&["Date".into(), "Latitude".into(), "Longitude".into()]);
    assert_eq!(
        (m.date, m.latitude, m.longitude),
        (Some(0), Some(1), Some(2))
    );
}

#[test]
fn acled_round_trips_through_the_native_format_with_every_column() {
    let loaded = load("acled_current.csv");
    let text = native::to_string(&loaded.dataset);
    let again = claimmap::load_bytes(text.as_bytes(), "again.geojson", Gazetteer::embedded())
        .expect("native");
    assert_eq!(again.report.format, Format::Claimmap);
    assert_eq!(again.report.error_count, 0, "{:?}", again.report.errors);
    assert_eq!(again.report.loaded, 6);
    for original in loaded.dataset.incidents() {
        let back = incident(&again, &original.id);
        assert_eq!(back.extra, original.extra, "{}", original.id);
        assert_eq!(span(back), span(original));
        assert_eq!(back.location.precision, original.location.precision);
        assert_eq!(back.category, original.category);
        assert_eq!(back.claims[0].quote, original.claims[0].quote);
        assert_eq!(
            again.dataset.claimant(back.claims[0].claimant).name,
            loaded.dataset.claimant(original.claims[0].claimant).name
        );
    }
    // Saved again, the same bytes.
    assert_eq!(native::to_string(&again.dataset), text);
}
