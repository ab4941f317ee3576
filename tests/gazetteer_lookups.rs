//! The gazetteer on the names and phrasings reports use: every alias and script, report forms
//! ("the Kalbajar region", "… settlement of the Basarkechar region"), and visible ambiguity.

use claimmap::Gazetteer;
use claimmap::PlaceKind;

fn gazetteer() -> &'static Gazetteer {
    Gazetteer::embedded()
}

fn best_id(query: &str) -> String {
    let g = gazetteer();
    let resolution = g.resolve(query);
    let best = resolution
        .best()
        .unwrap_or_else(|| panic!("no place for {query:?}"));
    g.place(best).id.to_string()
}

fn best_name(query: &str) -> String {
    let g = gazetteer();
    let best = g
        .resolve(query)
        .best()
        .unwrap_or_else(|| panic!("no place for {query:?}"));
    g.place(best).name().to_owned()
}

/// (query, the gazetteer id it must resolve to first).
const BY_ID: &[(&str, &str)] = &[
    // Kalbajar under every convention and script: the town, unless the words say district.
    ("Kalbajar", "gn:586268"),
    ("Kəlbəcər", "gn:586268"),
    ("KELBEDJER", "gn:586268"),
    ("Karvachar", "gn:586268"),
    ("Քարվաճառ", "gn:586268"),
    ("Кельбаджар", "gn:586268"),
    ("the Kalbajar region", "ne1:AZ-KAL"),
    ("district of Kalbajar", "ne1:AZ-KAL"),
    ("Kalbajar direction", "gn:586268"),
    ("in the direction of the Lachin region", "ne1:AZ-LAC"),
    ("Laçın", "gn:147625"),
    ("Lachin district", "ne1:AZ-LAC"),
    ("Berdzor", "gn:147625"),
    ("Kashatagh", "ne1:AZ-LAC"),
    ("border region of Lachin", "ne1:AZ-LAC"),
    ("the city of Shusha", "gn:147105"),
    ("Gadabay region", "ne1:AZ-GAD"),
    ("Gədəbəy", "gn:586573"),
    ("Gədəbəy rayonu", "ne1:AZ-GAD"),
    ("direction of the Goranboy region", "ne1:AZ-GOR"),
    ("direction of the Fuzuli region", "ne1:AZ-FUZ"),
    ("Khojavend district", "ne1:AZ-XVD"),
    ("Khojavand district", "ne1:AZ-XVD"),
    ("Xocavənd rayonu", "ne1:AZ-XVD"),
    // The other side's names of Armenian places.
    ("Vardenis", "gn:616108"),
    ("Basarkechar", "gn:616108"),
    ("Basarkeçər", "gn:616108"),
    ("direction of the Basarkechar region", "gn:616108"),
    ("Sisian", "gn:174763"),
    ("Garakilsa", "gn:174763"),
    ("direction of the Garakilsa region", "gn:174763"),
    ("Goris", "gn:174895"),
    ("Gorus", "gn:174895"),
    ("direction of the Gorus region", "gn:174895"),
    // Villages once added by hand, now GeoNames / Who's On First records.
    ("Yukhari Shorzha", "gn:616085"),
    ("Verin Shorzha", "gn:616085"),
    ("Yuxarı Şorca", "gn:616085"),
    ("Վերին Շորժա", "gn:616085"),
    (
        "Yukhari Shorzha settlement of the Basarkechar region",
        "gn:616085",
    ),
    (
        "Yukhari Shorzha village of the Vardenis region",
        "gn:616085",
    ),
    ("Zeylik settlement of the Kalbajar region", "gn:584572"),
    ("Susuzlug", "gn:584913"),
    ("Susuzluq", "gn:584913"),
    ("village of Charektar", "gn:586891"),
    ("Hadrut", "gn:148105"),
    ("Hadrut settlement of the Khojavend region", "gn:148105"),
    ("Гадрут", "gn:148105"),
    // Provinces and countries as reports write them.
    ("Gegharkunik region of the Republic of Armenia", "ne1:AM-GR"),
    ("Gegharkunik", "ne1:AM-GR"),
    ("Syunik", "ne1:AM-SU"),
    ("Republic of Azerbaijan", "ne0:AZ"),
    // Regions, water, and the border.
    ("Nagorno-Karabakh", "cm:nagorno-karabakh"),
    ("Artsakh", "cm:nagorno-karabakh"),
    ("Karabakh", "cm:nagorno-karabakh"),
    (
        "territory of Azerbaijan, where the Russian peacekeepers are temporarily deployed",
        "cm:ru-peacekeeping-zone",
    ),
    (
        "eastern direction of the Armenia-Azerbaijan border",
        "cm:am-az-border",
    ),
    ("Lake Sevan", "ne:lake-sevan"),
    ("Göyçə gölü", "ne:lake-sevan"),
    ("Aras", "ne:aras"),
    ("Kura", "ne:kura"),
];

#[test]
fn resolves_aliases_scripts_and_report_phrasings() {
    let mut failures = Vec::new();
    for (query, expected) in BY_ID {
        let got = gazetteer()
            .resolve(query)
            .best()
            .map(|id| gazetteer().place(id).id.to_string());
        if got.as_deref() != Some(*expected) {
            failures.push(format!("{query:?}: expected {expected}, got {got:?}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} lookups failed:\n{}",
        failures.len(),
        BY_ID.len(),
        failures.join("\n")
    );
}

/// (query, English name of the best match): places with a town and a district of one name, where
/// either is right.
const BY_NAME: &[(&str, &str)] = &[
    ("Berdzor", "Lachin"),
    ("Shusha", "Shusha"),
    ("Şuşa", "Shusha"),
    ("Shushi", "Shusha"),
    ("Шуша", "Shusha"),
    ("Շուշի", "Shusha"),
    ("Khankendi", "Khankendi"),
    ("Stepanakert", "Khankendi"),
    ("Ստեփանակերտ", "Khankendi"),
    ("Akna", "Aghdam"),
    ("Varanda", "Fuzuli"),
    ("Jrakan", "Jabrayil"),
    ("Kovsakan", "Zangilan"),
    ("Yerevan", "Yerevan"),
    ("Երևան", "Yerevan"),
    ("Երեւան", "Yerevan"),
    ("Ереван", "Yerevan"),
    ("Bakı", "Baku"),
];

#[test]
fn resolves_names_to_the_right_place() {
    let mut failures = Vec::new();
    for (query, expected) in BY_NAME {
        let got = gazetteer()
            .resolve(query)
            .best()
            .map(|id| gazetteer().place(id).name().to_owned());
        if got.as_deref() != Some(*expected) {
            failures.push(format!("{query:?}: expected {expected}, got {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn total_lookups_are_at_least_forty() {
    assert!(BY_ID.len() + BY_NAME.len() >= 40);
}

#[test]
fn martuni_is_ambiguous_and_ranked() {
    let g = gazetteer();
    let resolution = g.resolve("Martuni");
    assert!(
        resolution.is_ambiguous(),
        "Martuni must be reported as ambiguous"
    );
    let ids: Vec<&str> = resolution
        .matches
        .iter()
        .map(|m| &*g.place(m.place).id)
        .collect();
    assert_eq!(
        ids[0], "gn:616438",
        "the Gegharkunik town, whose own name it is, ranks first: {ids:?}"
    );
    assert!(
        ids.contains(&"ne1:AZ-XVD"),
        "Khojavend district (Armenian: Martuni) is listed: {ids:?}"
    );
    assert!(
        ids.contains(&"gn:146969"),
        "Khojavend town is listed: {ids:?}"
    );
}

#[test]
fn a_province_disambiguates() {
    let g = gazetteer();
    assert_eq!(best_id("Martuni, Gegharkunik"), "gn:616438");
    let resolution = g.resolve("Martuni, Gegharkunik");
    // Khojavend falls far behind once the phrase says Gegharkunik.
    let khojavend = resolution
        .matches
        .iter()
        .find(|m| &*g.place(m.place).id == "ne1:AZ-XVD")
        .map(|m| m.score);
    let best = resolution.matches[0].score;
    assert!(
        khojavend.is_none_or(|s| s < best - 20),
        "{:?}",
        resolution.matches
    );
    assert!(
        resolution
            .rivals()
            .all(|m| g.place(m.place).admin1.as_deref() == Some("AM-GR"))
    );
    // And the Khojavend reading when the phrase says so.
    assert_eq!(best_name("Martuni, Khojavend"), "Khojavend");
}

#[test]
fn a_district_and_its_namesake_town_are_not_ambiguous() {
    let g = gazetteer();
    for query in ["Kalbajar", "Lachin", "Shusha", "Khojavend", "Gadabay"] {
        let resolution = g.resolve(query);
        assert!(
            resolution.matches.len() >= 2,
            "{query}: town and district both listed"
        );
        let kinds: Vec<PlaceKind> = resolution
            .matches
            .iter()
            .take(2)
            .map(|m| g.place(m.place).kind)
            .collect();
        assert!(
            kinds[0].is_settlement() && kinds[1] == PlaceKind::District,
            "{query}: the town first, then its district: {kinds:?}"
        );
        // The town and its district never make a name ambiguous; a real homonym elsewhere may
        // (Lachin: a village in Kalbajar; Khojavend: a village in Aghjabadi).
        if resolution.is_ambiguous() {
            let town = g.place(resolution.matches[0].place);
            assert!(
                resolution.matches[2..]
                    .iter()
                    .any(|m| g.place(m.place).admin1 != town.admin1),
                "{query}: {:?}",
                resolution.matches
            );
        }
    }
}

#[test]
fn zeylik_names_three_villages() {
    let g = gazetteer();
    let resolution = g.resolve("Zeylik");
    assert!(resolution.is_ambiguous());
    assert!(
        resolution
            .matches
            .iter()
            .any(|m| &*g.place(m.place).id == "gn:584572")
    );
    assert!(
        !g.resolve("Zeylik settlement of the Kalbajar region")
            .is_ambiguous()
    );
}

#[test]
fn a_river_named_like_a_village_is_still_listed() {
    // "Araks" is a village in Armavir as well as the Armenian name of the river Aras.
    let g = gazetteer();
    for (query, river) in [
        ("Araks", "ne:aras"),
        ("Araz", "ne:aras"),
        ("Kür", "ne:kura"),
    ] {
        let ids: Vec<&str> = g
            .resolve(query)
            .matches
            .iter()
            .map(|m| &*g.place(m.place).id)
            .collect();
        assert!(ids.contains(&river), "{query}: {ids:?}");
    }
}

#[test]
fn unknown_names_resolve_to_nothing() {
    for query in ["Nowhere-in-particular-ville", "", "   ", "the region of"] {
        assert!(gazetteer().resolve(query).best().is_none(), "{query:?}");
    }
}

#[test]
fn places_carry_names_per_convention_and_sources() {
    use claimmap::Convention;
    use claimmap::Naming;
    let g = gazetteer();
    let kalbajar = g.place(g.by_id("ne1:AZ-KAL").expect("Kalbajar district"));
    assert_eq!(kalbajar.name_in(Convention::English), Some("Kalbajar"));
    assert_eq!(kalbajar.name_in(Convention::Azerbaijani), Some("Kəlbəcər"));
    assert_eq!(kalbajar.name_in(Convention::Armenian), Some("Քարվաճառ"));
    assert_eq!(kalbajar.name_in(Convention::Russian), Some("Кельбаджар"));
    assert_eq!(
        kalbajar.label(Naming::Dual(Convention::English, Convention::Armenian)),
        "Kalbajar / Քարվաճառ"
    );
    assert!(
        kalbajar.polygon.is_some(),
        "districts carry their Natural Earth outline"
    );
    for (_, place) in g.places() {
        assert!(!place.source.is_empty(), "{} has no source", place.id);
        assert!(
            (-90.0..=90.0).contains(&place.point.y())
                && (-180.0..=180.0).contains(&place.point.x())
        );
    }
    // Every Azerbaijani rayon and Armenian marz is there with a name under every convention.
    let admin: Vec<_> = g
        .places()
        .filter(|(_, p)| p.id.starts_with("ne1:AZ-") || p.id.starts_with("ne1:AM-"))
        .collect();
    assert_eq!(admin.len(), 89);
    for (_, p) in admin {
        for c in Convention::ALL {
            assert!(
                p.name_in(c).is_some(),
                "{} lacks a {} name",
                p.id,
                c.label()
            );
        }
    }
}
