//! Writing the native format: known members in a fixed order, then every member the file had that
//! claimmap does not model, in the order it was read.

use serde_json::{Map, Value, json};

use crate::geometry;
use crate::model::{Claim, Dataset, DateInterval, Extra, Incident, Losses, PlaceRef, Properties};

use super::read::FORMAT_VERSION;

fn with_extra(mut map: Map<String, Value>, extra: &Extra) -> Value {
    if let Some(extra) = extra {
        for (k, v) in extra.iter() {
            map.entry(k.clone()).or_insert_with(|| v.clone());
        }
    }
    Value::Object(map)
}

/// [`with_extra`] for an incident's properties, however they are stored.
fn with_properties(mut map: Map<String, Value>, properties: &Properties) -> Value {
    match properties {
        Properties::Json(None) => {}
        Properties::Json(Some(extra)) => {
            for (k, v) in extra.iter() {
                map.entry(k.clone()).or_insert_with(|| v.clone());
            }
        }
        Properties::Row(row) => {
            // A later column of the same name replaces the earlier value, as in `to_map`.
            let mut own: Map<String, Value> = Map::new();
            for (k, v) in row.entries() {
                if !map.contains_key(k) {
                    own.insert(k.to_owned(), Value::String(v.into_owned()));
                }
            }
            map.extend(own);
        }
    }
    Value::Object(map)
}

fn put(map: &mut Map<String, Value>, key: &str, value: impl Into<Value>) {
    map.insert(key.to_owned(), value.into());
}

fn put_opt(map: &mut Map<String, Value>, key: &str, value: Option<impl Into<Value>>) {
    if let Some(v) = value {
        put(map, key, v);
    }
}

/// A date in its shortest form: a plain string for one stated day.
fn date_json(date: &DateInterval) -> Value {
    if date.is_exact() && date.reason.is_none() {
        return Value::String(date.start().to_string());
    }
    let mut map = Map::new();
    put(&mut map, "start", date.start().to_string());
    if date.end() != date.start() {
        put(&mut map, "end", date.end().to_string());
    }
    put(&mut map, "precision", date.precision.as_str());
    if date.inferred {
        put(&mut map, "inferred", true);
    }
    put_opt(
        &mut map,
        "reason",
        date.reason.as_deref().map(String::as_str),
    );
    Value::Object(map)
}

fn place_json(dataset: &Dataset, place: &PlaceRef) -> Value {
    let text = dataset.text(place.text);
    match place.pinned {
        None => Value::String(text.to_owned()),
        Some(pinned) => json!({ "text": text, "place": dataset.text(pinned) }),
    }
}

fn losses_json(losses: &Losses) -> Value {
    let mut map = Map::new();
    put(&mut map, "text", &*losses.text);
    put_opt(&mut map, "killed", losses.killed);
    put_opt(&mut map, "wounded", losses.wounded);
    put_opt(&mut map, "detained", losses.detained);
    with_extra(map, &losses.extra)
}

/// A claim's `source`: its outlet and document, and from its details the link, the publication
/// date and the members claimmap does not model.
fn source_json(dataset: &Dataset, claim: &Claim) -> Value {
    let (source, details) = (&claim.source, &claim.details);
    let mut map = Map::new();
    put_opt(&mut map, "outlet", source.outlet.map(|s| dataset.text(s)));
    put_opt(
        &mut map,
        "document",
        source.document.map(|s| dataset.text(s)),
    );
    put_opt(&mut map, "url", details.url.as_deref());
    put_opt(
        &mut map,
        "published",
        details.published.as_ref().map(date_json),
    );
    with_extra(map, &details.source_extra)
}

fn claim_json(dataset: &Dataset, claim: &Claim) -> Value {
    let mut map = Map::new();
    put(&mut map, "claimant", &*dataset.claimant(claim.claimant).id);
    put_opt(
        &mut map,
        "statement_date",
        claim.details.statement_date.as_ref().map(date_json),
    );
    put(&mut map, "quote", &*claim.quote.read());
    put(&mut map, "summary", &*claim.details.summary);
    let places =
        |refs: &[PlaceRef]| Value::Array(refs.iter().map(|p| place_json(dataset, p)).collect());
    if !claim.details.from.is_empty() {
        put(&mut map, "from", places(&claim.details.from));
    }
    if !claim.details.to.is_empty() {
        put(&mut map, "to", places(&claim.details.to));
    }
    put_opt(&mut map, "losses", claim.losses.as_deref().map(losses_json));
    if !claim.details.weapons.is_empty() {
        put(
            &mut map,
            "weapons",
            claim
                .details
                .weapons
                .iter()
                .map(|w| dataset.text(*w))
                .collect::<Vec<_>>(),
        );
    }
    put_opt(&mut map, "retaliation", claim.details.retaliation);
    let source = source_json(dataset, claim);
    if source.as_object().is_some_and(|s| !s.is_empty()) {
        put(&mut map, "source", source);
    }
    with_extra(map, &claim.details.extra)
}

/// An incident's `properties`: what claimmap models, then the members it kept unmodelled.
fn properties_json(dataset: &Dataset, incident: &Incident) -> Value {
    let mut props = Map::new();
    put(&mut props, "title", dataset.title(incident));
    let category = match incident.category.key() {
        Some(key) => key,
        None => match &incident.category {
            crate::model::Category::Unknown(sym) => dataset.text(*sym),
            _ => "other",
        },
    };
    put(&mut props, "category", category);
    put(&mut props, "date", date_json(&incident.date));
    let (location, details) = (&incident.location, &incident.details);
    if location.place.is_some()
        || details.location_note.is_some()
        || details.location_extra.is_some()
        || incident.own_geometry().is_none()
    {
        let mut loc = Map::new();
        put_opt(
            &mut loc,
            "place",
            location.place.as_ref().map(|p| place_json(dataset, p)),
        );
        put(&mut loc, "precision", location.precision.as_str());
        put_opt(&mut loc, "note", details.location_note.as_deref());
        put(
            &mut props,
            "location",
            with_extra(loc, &details.location_extra),
        );
    }
    put(
        &mut props,
        "claims",
        incident
            .claims
            .iter()
            .map(|c| claim_json(dataset, c))
            .collect::<Vec<_>>(),
    );
    put_opt(&mut props, "notes", incident.details.notes.as_deref());
    with_properties(props, &incident.extra)
}

/// The members of a feature claimmap writes, in the order it writes them.
const FEATURE_KEYS: [&str; 4] = ["type", "id", "geometry", "properties"];

fn incident_json(dataset: &Dataset, incident: &Incident) -> Value {
    let mut feature = Map::new();
    put(&mut feature, FEATURE_KEYS[0], "Feature");
    put(&mut feature, FEATURE_KEYS[1], &*incident.id);
    put(
        &mut feature,
        FEATURE_KEYS[2],
        incident
            .own_geometry()
            .and_then(|g| geometry::to_geojson(&g))
            .unwrap_or(Value::Null),
    );
    put(
        &mut feature,
        FEATURE_KEYS[3],
        properties_json(dataset, incident),
    );
    with_extra(feature, &incident.details.feature_extra)
}

/// One feature serialized as [`incident_json`] builds it, but its geometry written straight from
/// the `geo` types: a 10-million-point line as `Value`s is gigabytes.
struct StreamedFeature<'a>(&'a Dataset, &'a Incident);

impl serde::Serialize for StreamedFeature<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let StreamedFeature(dataset, incident) = *self;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry(FEATURE_KEYS[0], "Feature")?;
        map.serialize_entry(FEATURE_KEYS[1], &*incident.id)?;
        match incident.own_geometry() {
            Some(g) if geometry::writable(&g) => {
                map.serialize_entry(FEATURE_KEYS[2], &geometry::GeoJson(&g))?
            }
            _ => map.serialize_entry(FEATURE_KEYS[2], &Value::Null)?,
        }
        map.serialize_entry(FEATURE_KEYS[3], &properties_json(dataset, incident))?;
        if let Some(extra) = &incident.details.feature_extra {
            for (k, v) in extra.iter() {
                if !FEATURE_KEYS.contains(&k.as_str()) {
                    map.serialize_entry(k, v)?;
                }
            }
        }
        map.end()
    }
}

/// The `claimmap` member: format version, metadata, sides and claimants.
fn head_json(dataset: &Dataset) -> Value {
    let meta = &dataset.meta;
    let mut head = Map::new();
    put(&mut head, "format_version", FORMAT_VERSION);
    put(&mut head, "title", &*meta.title);
    put_opt(&mut head, "description", meta.description.as_deref());
    put_opt(&mut head, "licence", meta.licence.as_deref());
    put_opt(&mut head, "citation", meta.citation.as_deref());
    let sides: Vec<Value> = dataset
        .sides
        .iter()
        .map(|s| {
            let mut m = Map::new();
            put(&mut m, "id", &*s.id);
            put(&mut m, "name", &*s.name);
            put(&mut m, "colour", s.colour.to_hex());
            if !s.party {
                put(&mut m, "party", false);
            }
            with_extra(m, &s.extra)
        })
        .collect();
    put(&mut head, "sides", sides);
    let claimants: Vec<Value> = dataset
        .claimants
        .iter()
        .map(|c| {
            let mut m = Map::new();
            put(&mut m, "id", &*c.id);
            put(&mut m, "name", &*c.name);
            put(&mut m, "side", &*dataset.side(c.side).id);
            put_opt(&mut m, "kind", c.kind.as_deref());
            put_opt(&mut m, "colour", c.colour.map(|c| c.to_hex()));
            with_extra(m, &c.extra)
        })
        .collect();
    put(&mut head, "claimants", claimants);
    with_extra(head, &meta.extra)
}

/// The members of the collection other than its features, in the order they are written.
const COLLECTION_KEYS: [&str; 3] = ["type", "claimmap", "features"];

/// The whole dataset as a native FeatureCollection.
pub fn to_value(dataset: &Dataset) -> Value {
    let mut top = Map::new();
    put(&mut top, COLLECTION_KEYS[0], "FeatureCollection");
    put(&mut top, COLLECTION_KEYS[1], head_json(dataset));
    put(
        &mut top,
        COLLECTION_KEYS[2],
        dataset
            .incidents()
            .iter()
            .map(|i| incident_json(dataset, i))
            .collect::<Vec<_>>(),
    );
    with_extra(top, &dataset.meta.collection_extra)
}

/// The collection serialized member by member, its features one at a time: the same JSON as
/// [`to_value`], without the whole document ever being in memory (a 300,000-row import is
/// gigabytes as one `Value`).
struct Streamed<'a>(&'a Dataset);

/// The features of [`Streamed`], each built just before it is written.
struct StreamedFeatures<'a>(&'a Dataset);

impl serde::Serialize for StreamedFeatures<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let incidents = self.0.incidents();
        let mut seq = serializer.serialize_seq(Some(incidents.len()))?;
        for incident in incidents {
            seq.serialize_element(&StreamedFeature(self.0, incident))?;
        }
        seq.end()
    }
}

impl serde::Serialize for Streamed<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let dataset = self.0;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry(COLLECTION_KEYS[0], "FeatureCollection")?;
        map.serialize_entry(COLLECTION_KEYS[1], &head_json(dataset))?;
        map.serialize_entry(COLLECTION_KEYS[2], &StreamedFeatures(dataset))?;
        // As `with_extra`: members the file had that claimmap does not model, after its own.
        if let Some(extra) = &dataset.meta.collection_extra {
            for (k, v) in extra.iter() {
                if !COLLECTION_KEYS.contains(&k.as_str()) {
                    map.serialize_entry(k, v)?;
                }
            }
        }
        map.end()
    }
}

/// Writes the dataset as the text of a native file (see [`to_string`]) into `out`, feature by
/// feature.
pub fn write(dataset: &Dataset, out: &mut impl std::io::Write) -> std::io::Result<()> {
    let mut serializer = crate::formats::json_layout::serializer(&mut *out);
    serde::Serialize::serialize(&Streamed(dataset), &mut serializer)?;
    out.write_all(b"\n")
}

/// The dataset as the text of a native file: two-space indented but for coordinates (see
/// [`crate::formats::json_layout`]), UTF-8, ending in a newline.
pub fn to_string(dataset: &Dataset) -> String {
    let mut bytes = Vec::new();
    write(dataset, &mut bytes).expect("writing to memory cannot fail");
    String::from_utf8(bytes).expect("serde_json writes UTF-8")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The streamed writer and the whole-document value print the same bytes, on every shipped
    /// dataset and on imports whose extra members and properties come from other tools.
    #[test]
    fn the_streamed_text_is_the_documents_text() {
        let gazetteer = crate::Gazetteer::embedded();
        let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        let mut loaded = vec![crate::formats::load_reference(gazetteer)];
        for name in [
            "unknown_members.geojson",
            "plain.geojson",
            "bad_values.geojson",
            "acled_current.csv",
            "osint_geolocations.csv",
            "ucdp_ged231_rows.csv",
        ] {
            loaded.push(
                crate::formats::load_path(&fixtures.join(name), gazetteer)
                    .unwrap_or_else(|e| panic!("{name}: {e}")),
            );
        }
        loaded.push(crate::bench::border_incidents::border_incidents(50, 3));
        for l in &loaded {
            let whole =
                crate::formats::json_layout::to_string(&to_value(&l.dataset)).expect("json") + "\n";
            assert_eq!(to_string(&l.dataset), whole, "{}", l.report.path);
        }
    }
}
