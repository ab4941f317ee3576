//! GeoJSON geometry objects (RFC 7946 §3.1) to and from `geo` types, with coordinate checks:
//! from a `serde_json::Value`, or straight from the text as a feature is read
//! ([`GeometryMember`]), which is how a dataset's geometries are read.

use geo::{
    Centroid, Coord, Geometry, LineString, MultiLineString, MultiPoint, MultiPolygon, Point,
    Polygon,
};
use serde::de::{Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Serialize, Serializer};
use serde_json::Value;

/// Why a geometry object could not be read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum GeometryError {
    #[error("geometry must be an object with \"type\" and \"coordinates\"")]
    NotAGeometry,
    #[error("unsupported geometry type '{0}'")]
    Unsupported(String),
    #[error("malformed coordinates for a {0}")]
    Malformed(&'static str),
    #[error(
        "coordinate out of range: longitude {lon}, latitude {lat} (longitude must be within ±180, latitude within ±90)"
    )]
    OutOfRange { lon: f64, lat: f64 },
}

/// Reads a GeoJSON geometry object from a JSON value, as [`GeometryMember`] reads one from text.
#[cfg(test)]
pub fn from_geojson(value: &Value) -> Result<Geometry<f64>, GeometryError> {
    match GeometryMember::deserialize(value) {
        Ok(GeometryMember::Read(geometry)) => geometry,
        Ok(GeometryMember::Null) | Err(_) => Err(GeometryError::NotAGeometry),
    }
}

/// Coordinates as read from the text, before they are checked against the geometry's type:
/// a position's numbers, runs of positions straight into the vector a `LineString` keeps, and
/// deeper nesting as lists. A 10-million-point line is its 160 MB of `Coord`s, not the gigabytes
/// of a `serde_json::Value` tree.
#[derive(Debug)]
enum Coords {
    Number(f64),
    /// An array whose first two members are numbers (others, such as an altitude, ignored).
    Position(Coord<f64>),
    /// A non-empty array of positions.
    Positions(Vec<Coord<f64>>),
    /// Any other array, the empty one included.
    Lists(Vec<Coords>),
    /// A string, boolean, null or object.
    Other,
}

impl<'de> Deserialize<'de> for Coords {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Coords, D::Error> {
        deserializer.deserialize_any(CoordsVisitor)
    }
}

struct CoordsVisitor;

impl<'de> Visitor<'de> for CoordsVisitor {
    type Value = Coords;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("GeoJSON coordinates")
    }

    fn visit_f64<E>(self, v: f64) -> Result<Coords, E> {
        Ok(Coords::Number(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Coords, E> {
        Ok(Coords::Number(v as f64))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Coords, E> {
        Ok(Coords::Number(v as f64))
    }

    fn visit_str<E>(self, _: &str) -> Result<Coords, E> {
        Ok(Coords::Other)
    }

    fn visit_bool<E>(self, _: bool) -> Result<Coords, E> {
        Ok(Coords::Other)
    }

    fn visit_unit<E>(self) -> Result<Coords, E> {
        Ok(Coords::Other)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Coords, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Coords::Other)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Coords, A::Error> {
        let rest = |seq: &mut A| -> Result<(), A::Error> {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            Ok(())
        };
        match seq.next_element::<Coords>()? {
            None => Ok(Coords::Lists(Vec::new())),
            Some(Coords::Number(x)) => {
                let second = seq.next_element::<Coords>()?;
                rest(&mut seq)?;
                Ok(match second {
                    Some(Coords::Number(y)) => Coords::Position(Coord { x, y }),
                    Some(_) | None => Coords::Other,
                })
            }
            Some(Coords::Position(first)) => {
                let mut positions = Vec::with_capacity(seq.size_hint().unwrap_or(0) + 1);
                positions.push(first);
                while let Some(next) = seq.next_element::<Coords>()? {
                    match next {
                        Coords::Position(c) => positions.push(c),
                        // Not a run of positions after all: kept as a list, to be refused as
                        // the geometry's type says.
                        other => {
                            let mut lists: Vec<Coords> =
                                positions.into_iter().map(Coords::Position).collect();
                            lists.push(other);
                            while let Some(next) = seq.next_element::<Coords>()? {
                                lists.push(next);
                            }
                            return Ok(Coords::Lists(lists));
                        }
                    }
                }
                Ok(Coords::Positions(positions))
            }
            Some(first) => {
                let mut lists = vec![first];
                while let Some(next) = seq.next_element::<Coords>()? {
                    lists.push(next);
                }
                Ok(Coords::Lists(lists))
            }
        }
    }
}

/// A feature's `geometry` member read from text: `null`, or a geometry (or why not).
#[derive(Debug)]
pub enum GeometryMember {
    Null,
    Read(Result<Geometry<f64>, GeometryError>),
}

impl<'de> Deserialize<'de> for GeometryMember {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<GeometryMember, D::Error> {
        deserializer.deserialize_any(GeometryVisitor)
    }
}

struct GeometryVisitor;

impl GeometryVisitor {
    fn not_a_geometry<E>() -> Result<GeometryMember, E> {
        Ok(GeometryMember::Read(Err(GeometryError::NotAGeometry)))
    }
}

impl<'de> Visitor<'de> for GeometryVisitor {
    type Value = GeometryMember;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a GeoJSON geometry object")
    }

    fn visit_unit<E>(self) -> Result<GeometryMember, E> {
        Ok(GeometryMember::Null)
    }

    fn visit_f64<E>(self, _: f64) -> Result<GeometryMember, E> {
        Self::not_a_geometry()
    }

    fn visit_i64<E>(self, _: i64) -> Result<GeometryMember, E> {
        Self::not_a_geometry()
    }

    fn visit_u64<E>(self, _: u64) -> Result<GeometryMember, E> {
        Self::not_a_geometry()
    }

    fn visit_str<E>(self, _: &str) -> Result<GeometryMember, E> {
        Self::not_a_geometry()
    }

    fn visit_bool<E>(self, _: bool) -> Result<GeometryMember, E> {
        Self::not_a_geometry()
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<GeometryMember, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Self::not_a_geometry()
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<GeometryMember, A::Error> {
        let mut kind: Option<Option<String>> = None;
        let mut coordinates = None;
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            match key.as_ref() {
                "type" => kind = Some(map.next_value::<Value>()?.as_str().map(str::to_owned)),
                "coordinates" => coordinates = Some(map.next_value::<Coords>()?),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(GeometryMember::Read(geometry_of(
            kind.flatten(),
            coordinates,
        )))
    }
}

/// What [`from_geojson`] makes of a geometry object, from coordinates read by [`Coords`].
fn geometry_of(
    kind: Option<String>,
    coordinates: Option<Coords>,
) -> Result<Geometry<f64>, GeometryError> {
    let kind = kind.ok_or(GeometryError::NotAGeometry)?;
    let coords = coordinates.ok_or(GeometryError::NotAGeometry)?;
    Ok(match kind.as_str() {
        "Point" => Geometry::Point(Point(position_of(&coords)?)),
        "MultiPoint" => Geometry::MultiPoint(MultiPoint::new(
            elements(coords, "MultiPoint")?
                .iter()
                .map(|c| position_of(c).map(Point))
                .collect::<Result<_, _>>()?,
        )),
        "LineString" => Geometry::LineString(line_of(coords)?),
        "MultiLineString" => Geometry::MultiLineString(MultiLineString::new(
            elements(coords, "MultiLineString")?
                .into_iter()
                .map(line_of)
                .collect::<Result<_, _>>()?,
        )),
        "Polygon" => Geometry::Polygon(polygon_of(coords)?),
        "MultiPolygon" => Geometry::MultiPolygon(MultiPolygon::new(
            elements(coords, "MultiPolygon")?
                .into_iter()
                .map(polygon_of)
                .collect::<Result<_, _>>()?,
        )),
        _ => return Err(GeometryError::Unsupported(kind)),
    })
}

fn in_range(c: Coord<f64>) -> Result<Coord<f64>, GeometryError> {
    if !(-180.0..=180.0).contains(&c.x) || !(-90.0..=90.0).contains(&c.y) {
        return Err(GeometryError::OutOfRange { lon: c.x, lat: c.y });
    }
    Ok(c)
}

fn position_of(coords: &Coords) -> Result<Coord<f64>, GeometryError> {
    match coords {
        Coords::Position(c) => in_range(*c),
        _ => Err(GeometryError::Malformed("position")),
    }
}

/// The members of an array (`what` names the geometry when it is not one).
fn elements(coords: Coords, what: &'static str) -> Result<Vec<Coords>, GeometryError> {
    match coords {
        Coords::Lists(list) => Ok(list),
        Coords::Positions(list) => Ok(list.into_iter().map(Coords::Position).collect()),
        Coords::Position(c) => Ok(vec![Coords::Number(c.x), Coords::Number(c.y)]),
        Coords::Number(_) | Coords::Other => Err(GeometryError::Malformed(what)),
    }
}

fn line_of(coords: Coords) -> Result<LineString<f64>, GeometryError> {
    match coords {
        // The vector read is the one the line keeps: checked in place, never copied.
        Coords::Positions(list) => {
            for c in &list {
                in_range(*c)?;
            }
            Ok(LineString::new(list))
        }
        other => elements(other, "LineString")?
            .iter()
            .map(position_of)
            .collect::<Result<Vec<_>, _>>()
            .map(LineString::new),
    }
}

fn polygon_of(coords: Coords) -> Result<Polygon<f64>, GeometryError> {
    let mut rings = elements(coords, "Polygon")?.into_iter().map(line_of);
    let exterior = rings.next().ok_or(GeometryError::Malformed("Polygon"))??;
    let interiors = rings.collect::<Result<Vec<_>, _>>()?;
    Ok(Polygon::new(exterior, interiors))
}

/// Writes a geometry as a GeoJSON geometry object; `None` for kinds GeoJSON lacks (rectangles,
/// triangles), which the reader never produces.
pub fn to_geojson(geometry: &Geometry<f64>) -> Option<Value> {
    writable(geometry).then(|| {
        serde_json::to_value(GeoJson(geometry)).expect("numbers and strings are valid JSON values")
    })
}

/// Whether [`GeoJson`] can write a geometry: the kinds GeoJSON has.
pub fn writable(geometry: &Geometry<f64>) -> bool {
    matches!(
        geometry,
        Geometry::Point(_)
            | Geometry::MultiPoint(_)
            | Geometry::LineString(_)
            | Geometry::MultiLineString(_)
            | Geometry::Polygon(_)
            | Geometry::MultiPolygon(_)
    )
}

/// A geometry serialized as the GeoJSON object [`to_geojson`] makes, coordinates written straight
/// from the `geo` types rather than through a `Value` per position. Kinds GeoJSON lacks are
/// written as `null` (check with [`writable`]).
pub struct GeoJson<'a>(pub &'a Geometry<f64>);

impl Serialize for GeoJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let (kind, coordinates): (&str, Positions<'_>) = match self.0 {
            Geometry::Point(p) => ("Point", Positions::One(p.0)),
            Geometry::MultiPoint(m) => ("MultiPoint", Positions::Points(&m.0)),
            Geometry::LineString(l) => ("LineString", Positions::Line(&l.0)),
            Geometry::MultiLineString(m) => ("MultiLineString", Positions::Lines(&m.0)),
            Geometry::Polygon(p) => ("Polygon", Positions::Polygon(p)),
            Geometry::MultiPolygon(m) => ("MultiPolygon", Positions::Polygons(&m.0)),
            _ => return serializer.serialize_unit(),
        };
        let mut map = serializer.serialize_map(Some(2))?;
        map.serialize_entry("type", kind)?;
        map.serialize_entry("coordinates", &coordinates)?;
        map.end()
    }
}

/// The `coordinates` of each kind, as nested arrays of `[lon, lat]`.
enum Positions<'a> {
    One(Coord<f64>),
    Points(&'a [Point<f64>]),
    Line(&'a [Coord<f64>]),
    Lines(&'a [LineString<f64>]),
    Polygon(&'a Polygon<f64>),
    Polygons(&'a [Polygon<f64>]),
}

impl Serialize for Positions<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match *self {
            Positions::One(c) => [c.x, c.y].serialize(serializer),
            Positions::Points(points) => {
                serializer.collect_seq(points.iter().map(|p| Positions::One(p.0)))
            }
            Positions::Line(coords) => {
                serializer.collect_seq(coords.iter().map(|&c| Positions::One(c)))
            }
            Positions::Lines(lines) => {
                serializer.collect_seq(lines.iter().map(|l| Positions::Line(&l.0)))
            }
            Positions::Polygon(p) => serializer.collect_seq(
                std::iter::once(p.exterior())
                    .chain(p.interiors())
                    .map(|ring| Positions::Line(&ring.0)),
            ),
            Positions::Polygons(polygons) => {
                serializer.collect_seq(polygons.iter().map(Positions::Polygon))
            }
        }
    }
}

/// The point an incident is drawn at: the point itself, or the centroid of anything larger.
pub fn representative_point(geometry: &Geometry<f64>) -> Option<Point<f64>> {
    match geometry {
        Geometry::Point(p) => Some(*p),
        other => other.centroid(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn coord(value: &Value) -> Result<Coord<f64>, GeometryError> {
        let pair = value
            .as_array()
            .ok_or(GeometryError::Malformed("position"))?;
        let (Some(lon), Some(lat)) = (
            pair.first().and_then(Value::as_f64),
            pair.get(1).and_then(Value::as_f64),
        ) else {
            return Err(GeometryError::Malformed("position"));
        };
        if !(-180.0..=180.0).contains(&lon) || !(-90.0..=90.0).contains(&lat) {
            return Err(GeometryError::OutOfRange { lon, lat });
        }
        Ok(Coord { x: lon, y: lat })
    }

    fn array<'a>(value: &'a Value, what: &'static str) -> Result<&'a Vec<Value>, GeometryError> {
        value.as_array().ok_or(GeometryError::Malformed(what))
    }

    fn line(value: &Value) -> Result<LineString<f64>, GeometryError> {
        array(value, "LineString")?
            .iter()
            .map(coord)
            .collect::<Result<Vec<_>, _>>()
            .map(LineString::new)
    }

    fn polygon(value: &Value) -> Result<Polygon<f64>, GeometryError> {
        let mut rings = array(value, "Polygon")?.iter().map(line);
        let exterior = rings.next().ok_or(GeometryError::Malformed("Polygon"))??;
        let interiors = rings.collect::<Result<Vec<_>, _>>()?;
        Ok(Polygon::new(exterior, interiors))
    }

    /// The reader as it was, walking a `Value` tree: an independent oracle for the one that reads
    /// as serde reads.
    fn value_reader(value: &Value) -> Result<Geometry<f64>, GeometryError> {
        let kind = value
            .get("type")
            .and_then(Value::as_str)
            .ok_or(GeometryError::NotAGeometry)?;
        let coords = value
            .get("coordinates")
            .ok_or(GeometryError::NotAGeometry)?;
        let each = |what| array(coords, what).map(|a| a.iter());
        Ok(match kind {
            "Point" => Geometry::Point(Point(coord(coords)?)),
            "MultiPoint" => Geometry::MultiPoint(MultiPoint::new(
                each("MultiPoint")?
                    .map(|c| coord(c).map(Point))
                    .collect::<Result<_, _>>()?,
            )),
            "LineString" => Geometry::LineString(line(coords)?),
            "MultiLineString" => Geometry::MultiLineString(MultiLineString::new(
                each("MultiLineString")?
                    .map(line)
                    .collect::<Result<_, _>>()?,
            )),
            "Polygon" => Geometry::Polygon(polygon(coords)?),
            "MultiPolygon" => Geometry::MultiPolygon(MultiPolygon::new(
                each("MultiPolygon")?
                    .map(polygon)
                    .collect::<Result<_, _>>()?,
            )),
            other => return Err(GeometryError::Unsupported(other.to_owned())),
        })
    }

    fn position(c: Coord<f64>) -> Value {
        json!([c.x, c.y])
    }

    fn line_json(l: &LineString<f64>) -> Value {
        Value::Array(l.coords().copied().map(position).collect())
    }

    fn polygon_json(p: &Polygon<f64>) -> Value {
        Value::Array(
            std::iter::once(p.exterior())
                .chain(p.interiors())
                .map(line_json)
                .collect(),
        )
    }

    /// The writer as it was, building a `Value` tree: an independent oracle for [`GeoJson`].
    fn value_writer(geometry: &Geometry<f64>) -> Option<Value> {
        let (kind, coordinates) = match geometry {
            Geometry::Point(p) => ("Point", position(p.0)),
            Geometry::MultiPoint(m) => (
                "MultiPoint",
                Value::Array(m.iter().map(|p| position(p.0)).collect()),
            ),
            Geometry::LineString(l) => ("LineString", line_json(l)),
            Geometry::MultiLineString(m) => (
                "MultiLineString",
                Value::Array(m.iter().map(line_json).collect()),
            ),
            Geometry::Polygon(p) => ("Polygon", polygon_json(p)),
            Geometry::MultiPolygon(m) => (
                "MultiPolygon",
                Value::Array(m.iter().map(polygon_json).collect()),
            ),
            _ => return None,
        };
        Some(json!({ "type": kind, "coordinates": coordinates }))
    }

    /// Reading from text gives what reading from a `Value` gives: the same geometry, or the same
    /// error, for every kind and every way of getting one wrong.
    #[test]
    fn reading_from_text_agrees_with_reading_a_value() {
        let samples = [
            r#"{"type": "Point", "coordinates": [46.04, 40.11]}"#,
            r#"{"coordinates": [46, 40, 1200], "bbox": [1, 2, 3, 4], "type": "Point"}"#,
            r#"{"type": "MultiPoint", "coordinates": [[46.0, 40.0], [46.5, 40.5]]}"#,
            r#"{"type": "MultiPoint", "coordinates": []}"#,
            r#"{"type": "LineString", "coordinates": [[45.7, 40.2], [46.0, 40.1]]}"#,
            r#"{"type": "LineString", "coordinates": []}"#,
            r#"{"type": "MultiLineString", "coordinates": [[[45.7, 40.2], [46.0, 40.1]], []]}"#,
            r#"{"type": "Polygon", "coordinates": [[[45, 40], [46, 40], [46, 41], [45, 40]], [[45.2, 40.2], [45.3, 40.2], [45.3, 40.3], [45.2, 40.2]]]}"#,
            r#"{"type": "MultiPolygon", "coordinates": [[[[45, 40], [46, 40], [46, 41], [45, 40]]]]}"#,
            // Wrong in every way the readers tell apart.
            r#"{"type": "Point", "coordinates": [46.04]}"#,
            r#"{"type": "Point", "coordinates": ["46", 40]}"#,
            r#"{"type": "Point", "coordinates": [[46, 40]]}"#,
            r#"{"type": "Point", "coordinates": [200, 40]}"#,
            r#"{"type": "Point"}"#,
            r#"{"coordinates": [46, 40]}"#,
            r#"{"type": 7, "coordinates": [46, 40]}"#,
            r#"{"type": "Circle", "coordinates": [46, 40]}"#,
            r#"{"type": "GeometryCollection", "geometries": []}"#,
            r#"{"type": "LineString", "coordinates": [46, 40]}"#,
            r#"{"type": "LineString", "coordinates": [[46, 40], [46, 95]]}"#,
            r#"{"type": "LineString", "coordinates": [[46, 40], 7]}"#,
            r#"{"type": "LineString", "coordinates": [[46, 40], [[46, 40]]]}"#,
            r#"{"type": "LineString", "coordinates": "none"}"#,
            r#"{"type": "MultiPoint", "coordinates": [46, 40]}"#,
            r#"{"type": "MultiLineString", "coordinates": [[46, 40]]}"#,
            r#"{"type": "MultiLineString", "coordinates": [46, 40]}"#,
            r#"{"type": "Polygon", "coordinates": []}"#,
            r#"{"type": "Polygon", "coordinates": [[46, 40]]}"#,
            r#"{"type": "Polygon", "coordinates": [46, 40]}"#,
            r#"{"type": "Polygon", "coordinates": {"a": 1}}"#,
            r#"{"type": "MultiPolygon", "coordinates": [[[46, 40]]]}"#,
            r#"[46, 40]"#,
            r#""Point""#,
            r#"12"#,
        ];
        for text in samples {
            let value: Value = serde_json::from_str(text).expect("JSON");
            let member: GeometryMember = serde_json::from_str(text).expect("JSON");
            let GeometryMember::Read(streamed) = member else {
                panic!("{text}: read as null");
            };
            let oracle = value_reader(&value);
            assert_eq!(streamed, oracle, "{text}");
            assert_eq!(from_geojson(&value), oracle, "{text}");
        }
        let null: GeometryMember = serde_json::from_str("null").expect("JSON");
        assert!(matches!(null, GeometryMember::Null));
    }

    /// Writing straight from `geo` prints what writing through a `Value` prints, byte for byte.
    #[test]
    fn writing_straight_agrees_with_writing_a_value() {
        let samples = [
            r#"{"type": "Point", "coordinates": [46.04, 40.0]}"#,
            r#"{"type": "MultiPoint", "coordinates": [[46.0, 40.0], [46.5, 40.5]]}"#,
            r#"{"type": "MultiPoint", "coordinates": []}"#,
            r#"{"type": "LineString", "coordinates": [[45.7, 40.2], [46.0, 40.1]]}"#,
            r#"{"type": "MultiLineString", "coordinates": [[[45.7, 40.2], [46.0, 40.1]], []]}"#,
            r#"{"type": "Polygon", "coordinates": [[[45, 40], [46, 40], [46, 41], [45, 40]], [[45.2, 40.2], [45.3, 40.2], [45.3, 40.3], [45.2, 40.2]]]}"#,
            r#"{"type": "MultiPolygon", "coordinates": [[[[45, 40], [46, 40], [46, 41], [45, 40]]], [[[44, 39], [44.5, 39], [44.5, 39.5], [44, 39]]]]}"#,
        ];
        for text in samples {
            let geometry =
                from_geojson(&serde_json::from_str(text).expect("JSON")).expect("a geometry");
            assert!(writable(&geometry));
            let through_value = value_writer(&geometry).expect("written");
            assert_eq!(
                to_geojson(&geometry).as_ref(),
                Some(&through_value),
                "{text}"
            );
            assert_eq!(
                serde_json::to_string(&GeoJson(&geometry)).expect("JSON"),
                serde_json::to_string(&through_value).expect("JSON"),
                "{text}"
            );
            assert_eq!(
                serde_json::to_string_pretty(&GeoJson(&geometry)).expect("JSON"),
                serde_json::to_string_pretty(&through_value).expect("JSON"),
                "{text}"
            );
        }
        let rect = Geometry::Rect(geo::Rect::new((0.0, 0.0), (1.0, 1.0)));
        assert!(!writable(&rect));
        assert_eq!(
            serde_json::to_string(&GeoJson(&rect)).expect("JSON"),
            "null"
        );
    }

    #[test]
    fn round_trips_each_kind() {
        let samples = [
            json!({"type": "Point", "coordinates": [46.04, 40.11]}),
            json!({"type": "MultiPoint", "coordinates": [[46.0, 40.0], [46.5, 40.5]]}),
            json!({"type": "LineString", "coordinates": [[45.7, 40.2], [46.0, 40.1]]}),
            json!({"type": "Polygon", "coordinates": [[[45.0, 40.0], [46.0, 40.0], [46.0, 41.0], [45.0, 40.0]]]}),
        ];
        for sample in samples {
            let geometry = from_geojson(&sample).expect("valid geometry");
            assert_eq!(to_geojson(&geometry), Some(sample));
        }
    }

    #[test]
    fn rejects_out_of_range_and_malformed() {
        assert!(matches!(
            from_geojson(&json!({"type": "Point", "coordinates": [46.0, 95.0]})),
            Err(GeometryError::OutOfRange { .. })
        ));
        assert!(from_geojson(&json!({"type": "Point", "coordinates": ["x", 1]})).is_err());
        assert!(from_geojson(&json!({"type": "Circle", "coordinates": [1, 1]})).is_err());
        assert!(from_geojson(&json!({"coordinates": [1, 1]})).is_err());
    }

    #[test]
    fn representative_point_of_a_line_is_its_middle() {
        let line = from_geojson(
            &json!({"type": "LineString", "coordinates": [[45.0, 40.0], [47.0, 40.0]]}),
        )
        .expect("valid line");
        let p = representative_point(&line).expect("a point");
        assert!((p.x() - 46.0).abs() < 1e-9 && (p.y() - 40.0).abs() < 1e-9);
    }
}
