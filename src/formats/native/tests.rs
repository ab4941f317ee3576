//! How a native file's unknown members are held, and that they come back as they were.

use serde_json::{Value, json};

use crate::model::{Properties, RowColumns};

fn load(text: &str) -> crate::formats::Loaded {
    crate::formats::load_bytes(
        text.as_bytes(),
        "memory.geojson",
        crate::Gazetteer::embedded(),
    )
    .expect("loads")
}

/// A native collection of `features`, each given the claim, date and title it needs, in the order
/// claimmap keeps incidents (by date, then id) so that it writes them back in the same order.
fn collection(features: Vec<(Value, serde_json::Map<String, Value>)>) -> String {
    let features: Vec<Value> = features
        .into_iter()
        .enumerate()
        .map(|(n, (id, unknown))| {
            let mut properties = json!({
                "title": format!("Shelling {n}"),
                "category": "armed_attack",
                "date": format!("2021-05-{:02}", n / 40 + 1),
                "claims": [{"claimant": "am-mod", "quote": "Positions came under fire.", "summary": ""}],
            });
            properties
                .as_object_mut()
                .expect("an object")
                .extend(unknown);
            json!({
                "type": "Feature",
                "id": id,
                "geometry": {"type": "Point", "coordinates": [46.0 + (n % 8) as f64 / 8.0, 39.5]},
                "properties": properties,
            })
        })
        .collect();
    let document = json!({
        "type": "FeatureCollection",
        "claimmap": {
            "format_version": 1,
            "title": "members",
            "sides": [{"id": "am", "name": "Armenia", "colour": "#d62728"}],
            "claimants": [{"id": "am-mod", "name": "Ministry of Defence of Armenia", "side": "am"}],
        },
        "features": features,
    });
    crate::formats::json_layout::to_string(&document).expect("json") + "\n"
}

fn members(pairs: &[(&str, Value)]) -> serde_json::Map<String, Value> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), v.clone()))
        .collect()
}

/// Each feature's members after claimmap's own, in order, as written in `text`.
fn unknown_members(text: &str) -> Vec<Vec<(String, Value)>> {
    let known = ["title", "category", "date", "location", "claims", "notes"];
    let document: Value = serde_json::from_str(text).expect("json");
    document["features"]
        .as_array()
        .expect("features")
        .iter()
        .map(|f| {
            f["properties"]
                .as_object()
                .expect("properties")
                .iter()
                .filter(|(k, _)| !known.contains(&k.as_str()))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect()
        })
        .collect()
}

/// Fails at the first line where `written` differs from `original`, naming both.
fn assert_same_text(written: &str, original: &str) {
    let mut lines = written.lines().zip(original.lines()).enumerate();
    if let Some((n, (w, o))) = lines.find(|(_, (w, o))| w != o) {
        panic!("line {}: written {w:?}, the file had {o:?}", n + 1);
    }
    assert_eq!(written.len(), original.len(), "the same lines, then more");
}

fn shared_columns(properties: &Properties) -> Option<*const RowColumns> {
    match properties {
        Properties::Row(row) => Some(row.columns_ptr()),
        Properties::Json(_) => None,
    }
}

/// A converted table's features: string members, each feature with its own subset of the
/// columns (empty cells are not written), in the table's order or not, with escapes and
/// characters beyond ASCII.
#[test]
fn string_members_are_packed_into_one_table_and_written_back_as_they_were() {
    let features = (0..1000)
        .map(|n| {
            let mut pairs = vec![
                ("event_date", json!(format!("2021-05-{:02}", n / 40 + 1))),
                ("actor1", json!("Military Forces of Azerbaijan (2003-)")),
                ("admin1", json!(["Syunik", "Kəlbəcər", "Şuşa"][n % 3])),
                ("fatalities", json!((n % 4).to_string())),
            ];
            if n % 7 == 0 {
                pairs.insert(2, ("assoc_actor_2", json!("Said \"enough\"\\\n\ttab 🙂")));
            }
            if n % 11 == 0 {
                pairs.swap(0, 3);
                pairs.push(("empty", json!("")));
            }
            (json!(format!("ARM{n:04}")), members(&pairs))
        })
        .collect();
    let text = collection(features);
    let loaded = load(&text);
    assert_eq!(
        loaded.dataset.incidents().len(),
        1000,
        "{:?}",
        loaded.report
    );
    let tables: std::collections::HashSet<_> = loaded
        .dataset
        .incidents()
        .iter()
        .map(|i| shared_columns(&i.extra))
        .collect();
    assert_eq!(
        tables.len(),
        1,
        "one shared table, no JSON maps: {tables:?}"
    );
    assert!(!tables.contains(&None));
    let written = super::to_string(&loaded.dataset);
    assert_same_text(&written, &text);
    assert_eq!(unknown_members(&written), unknown_members(&text));
    let kelbajar = loaded
        .dataset
        .incidents()
        .iter()
        .find(|i| &*i.id == "ARM0001")
        .expect("ARM0001");
    assert_eq!(
        kelbajar.extra.get_str("admin1").as_deref(),
        Some("Kəlbəcər")
    );
    assert_eq!(kelbajar.extra.get("fatalities"), Some(json!("1")));
}

/// Members that are not all strings stay JSON values, beside features whose members are packed;
/// both are written back in the order and with the values they had.
#[test]
fn members_of_other_types_are_kept_as_json() {
    let mixed = members(&[
        ("count", json!(3)),
        ("ratio", json!(0.25)),
        ("note", json!("a string among others")),
        ("flag", json!(true)),
        ("nothing", Value::Null),
        ("tags", json!(["a", 1, {"b": null}])),
        ("nested", json!({"z": 1, "a": "Ağdam"})),
    ]);
    let strings = members(&[("zeta", json!("last first")), ("alpha", json!("é\u{1}"))]);
    let text = collection(vec![
        (json!("a-mixed"), mixed),
        (json!("b-strings"), strings),
        (json!("c-none"), serde_json::Map::new()),
    ]);
    let loaded = load(&text);
    let by_id = |id: &str| {
        loaded
            .dataset
            .incidents()
            .iter()
            .find(|i| &*i.id == id)
            .expect("incident")
    };
    assert!(matches!(by_id("a-mixed").extra, Properties::Json(Some(_))));
    assert!(matches!(by_id("b-strings").extra, Properties::Row(_)));
    assert!(by_id("c-none").extra.is_empty());
    assert_eq!(by_id("a-mixed").extra.get("count"), Some(json!(3)));
    let written = super::to_string(&loaded.dataset);
    assert_same_text(&written, &text);
    assert_eq!(unknown_members(&written), unknown_members(&text));
}
