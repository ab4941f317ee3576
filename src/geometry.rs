//! GeoJSON geometry objects (RFC 7946 §3.1) to and from `geo` types, with coordinate checks.

use geo::{
    Centroid, Coord, Geometry, LineString, MultiLineString, MultiPoint, MultiPolygon, Point,
    Polygon,
};
use serde_json::{Value, json};

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

/// Reads a GeoJSON geometry object.
pub fn from_geojson(value: &Value) -> Result<Geometry<f64>, GeometryError> {
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

/// Writes a geometry as a GeoJSON geometry object; `None` for kinds GeoJSON lacks (rectangles,
/// triangles), which the reader never produces.
pub fn to_geojson(geometry: &Geometry<f64>) -> Option<Value> {
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
