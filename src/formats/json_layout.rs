//! How claimmap lays out the GeoJSON it writes: two-space indented like `serde_json`'s pretty
//! printer, except that a geometry's `coordinates` (and a `bbox`) stay on one line. Indented, a
//! position's two numbers take four lines; a 10-million-point line grew from 200 MB to 678 MB.

use std::io::{self, Write};

use serde_json::ser::{Formatter, PrettyFormatter};

/// Members whose array values are written on one line.
const ONE_LINE: [&str; 2] = ["coordinates", "bbox"];

/// The formatter: [`PrettyFormatter`] with the arrays of [`ONE_LINE`] members unindented.
#[derive(Default)]
pub struct GeoJsonLayout<'a> {
    pretty: PrettyFormatter<'a>,
    /// The key being written, while it is written.
    key: Option<String>,
    /// A [`ONE_LINE`] member's value is about to start.
    armed: bool,
    /// How many one-line arrays are open.
    one_line_depth: usize,
}

/// A serializer writing `out` in the [`GeoJsonLayout`].
pub fn serializer<W: Write>(out: W) -> serde_json::Serializer<W, GeoJsonLayout<'static>> {
    serde_json::Serializer::with_formatter(out, GeoJsonLayout::default())
}

/// A value as text in the [`GeoJsonLayout`].
#[cfg(test)]
pub fn to_string<T: serde::Serialize + ?Sized>(value: &T) -> serde_json::Result<String> {
    let mut bytes = Vec::new();
    value.serialize(&mut serializer(&mut bytes))?;
    Ok(String::from_utf8(bytes).unwrap_or_default())
}

impl Formatter for GeoJsonLayout<'_> {
    fn begin_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        if self.armed || self.one_line_depth > 0 {
            self.armed = false;
            self.one_line_depth += 1;
            return writer.write_all(b"[");
        }
        self.pretty.begin_array(writer)
    }

    fn end_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        if self.one_line_depth > 0 {
            self.one_line_depth -= 1;
            return writer.write_all(b"]");
        }
        self.pretty.end_array(writer)
    }

    fn begin_array_value<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        if self.one_line_depth > 0 {
            return if first {
                Ok(())
            } else {
                writer.write_all(b", ")
            };
        }
        self.pretty.begin_array_value(writer, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        if self.one_line_depth > 0 {
            return Ok(());
        }
        self.pretty.end_array_value(writer)
    }

    fn begin_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        // An object is no geometry's coordinates: its own members decide for themselves.
        self.armed = false;
        self.pretty.begin_object(writer)
    }

    fn end_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.pretty.end_object(writer)
    }

    fn begin_object_key<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.key = Some(String::new());
        self.pretty.begin_object_key(writer, first)
    }

    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        if let Some(key) = &mut self.key {
            key.push_str(fragment);
        }
        self.pretty.write_string_fragment(writer, fragment)
    }

    fn end_object_key<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.armed = self
            .key
            .take()
            .is_some_and(|k| ONE_LINE.contains(&k.as_str()));
        self.pretty.end_object_key(writer)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.pretty.begin_object_value(writer)
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.armed = false;
        self.pretty.end_object_value(writer)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::to_string;

    #[test]
    fn coordinates_on_one_line_the_rest_indented() {
        let feature = json!({
            "type": "Feature",
            "bbox": [44.0, 39.0, 47.0, 41.0],
            "geometry": {"type": "LineString", "coordinates": [[45.5, 40.1], [46.0, 39.8]]},
            "properties": {"names": ["a", "b"], "coordinates": "a text, not a geometry"}
        });
        let text = to_string(&feature).expect("json");
        assert_eq!(
            text,
            r#"{
  "type": "Feature",
  "bbox": [44.0, 39.0, 47.0, 41.0],
  "geometry": {
    "type": "LineString",
    "coordinates": [[45.5, 40.1], [46.0, 39.8]]
  },
  "properties": {
    "names": [
      "a",
      "b"
    ],
    "coordinates": "a text, not a geometry"
  }
}"#
        );
        let back: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
        assert_eq!(back, feature);
    }

    /// Whatever a `coordinates` member holds (a property of another tool's file may be anything),
    /// the text is valid JSON of the same value.
    #[test]
    fn any_value_under_a_one_line_key_stays_valid() {
        for value in [
            json!({"coordinates": [{"a": [1, 2]}, [], [[]], "x", null]}),
            json!({"coordinates": {"coordinates": [1, {"bbox": [2]}], "b": [3, 4]}}),
            json!({"bbox": []}),
            json!([{"coordinates": [1]}, [1, 2]]),
        ] {
            let text = to_string(&value).expect("json");
            let back: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
            assert_eq!(back, value, "{text}");
        }
    }
}
