//! A forgiving walk over a GeoJSON FeatureCollection: each Feature is parsed on its own, so one
//! broken feature (a missing comma, a stray quote) costs that feature, not the file.

use serde::de::{Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

use crate::geometry::GeometryMember;

/// A syntax problem found while walking, at a byte offset of the whole text.
#[derive(Clone, PartialEq, Debug)]
pub struct SyntaxIssue {
    pub offset: usize,
    pub message: String,
}

/// One member of the top-level object, or one feature, with the byte offset it starts at.
#[derive(Debug)]
pub struct Located<'a> {
    pub offset: usize,
    pub raw: &'a RawValue,
}

#[derive(Debug, Default)]
pub struct Collection<'a> {
    /// Top-level members other than `features`, in file order.
    pub members: Vec<(String, Located<'a>)>,
    pub features: Vec<Located<'a>>,
    /// Features that could not be parsed; each has an issue.
    pub lost_features: usize,
    pub issues: Vec<SyntaxIssue>,
}

struct Walker<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Walker<'a> {
    fn skip_ws(&mut self) {
        let rest = &self.text[self.pos..];
        self.pos += rest.len() - rest.trim_start().len();
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    fn issue(&self, offset: usize, message: impl Into<String>) -> SyntaxIssue {
        SyntaxIssue {
            offset,
            message: format!("JSON syntax: {}", message.into()),
        }
    }

    /// Parses one JSON value starting here.
    fn value(&mut self) -> Result<Located<'a>, SyntaxIssue> {
        let start = self.pos;
        let rest = &self.text[start..];
        let mut stream = serde_json::Deserializer::from_str(rest).into_iter::<&RawValue>();
        match stream.next() {
            Some(Ok(raw)) => {
                self.pos = start + stream.byte_offset();
                Ok(Located { offset: start, raw })
            }
            Some(Err(e)) => Err(SyntaxIssue {
                offset: start + offset_in(rest, e.line(), e.column()),
                message: clean(&e),
            }),
            None => Err(self.issue(start, "unexpected end of file")),
        }
    }

    fn expect(&mut self, byte: u8, what: &str) -> Result<(), SyntaxIssue> {
        self.skip_ws();
        if self.peek() == Some(byte) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.issue(self.pos, format!("expected {what}")))
        }
    }

    /// Finds the next `{"type": "Feature"` whose brace is at or after `from`, to carry on after a
    /// broken feature. Never before `from`: a feature broken before its `"type"` member would
    /// otherwise be found again, and the walk would loop on it for ever.
    fn resync(&self, from: usize) -> Option<usize> {
        let from = from.min(self.text.len());
        // `from` may fall inside a multi-byte character (one past a broken feature's start).
        let mut search = from;
        while !self.text.is_char_boundary(search) {
            search += 1;
        }
        while let Some(found) = self.text[search..].find("\"Feature\"") {
            let at = search + found;
            let before = self.text[..at].trim_end();
            let before = before.strip_suffix(':').map(str::trim_end);
            let before = before
                .and_then(|b| b.strip_suffix("\"type\""))
                .map(str::trim_end);
            if let Some(b) = before.filter(|b| b.ends_with('{'))
                && b.len() > from
            {
                return Some(b.len() - 1);
            }
            search = at + 1;
        }
        None
    }

    fn features(&mut self, out: &mut Collection<'a>) -> Result<(), SyntaxIssue> {
        self.expect(b'[', "'[' to open the features array")?;
        loop {
            self.skip_ws();
            match self.peek() {
                Some(b']') => {
                    self.pos += 1;
                    return Ok(());
                }
                None => return Err(self.issue(self.pos, "the features array is not closed")),
                _ => {}
            }
            match self.value() {
                Ok(feature) => out.features.push(feature),
                Err(issue) => {
                    out.lost_features += 1;
                    let from = issue.offset.max(self.pos + 1);
                    out.issues.push(issue);
                    match self.resync(from) {
                        Some(next) => {
                            self.pos = next;
                            continue;
                        }
                        None => {
                            return Err(self
                                .issue(self.text.len(), "no further feature could be recovered"));
                        }
                    }
                }
            }
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {}
                _ => {
                    let at = self.pos;
                    out.issues
                        .push(self.issue(at, "expected ',' or ']' after a feature"));
                    match self.resync(at) {
                        Some(next) => self.pos = next,
                        None => {
                            return Err(self
                                .issue(self.text.len(), "no further feature could be recovered"));
                        }
                    }
                }
            }
        }
    }

    fn collection(&mut self, out: &mut Collection<'a>) -> Result<(), SyntaxIssue> {
        self.skip_ws();
        if self.text[self.pos..].starts_with('\u{feff}') {
            self.pos += '\u{feff}'.len_utf8();
        }
        self.expect(b'{', "a JSON object ('{') at the start")?;
        loop {
            self.skip_ws();
            if self.peek() == Some(b'}') {
                self.pos += 1;
                return Ok(());
            }
            let key = self.value()?;
            let key: String = serde_json::from_str(key.raw.get())
                .map_err(|_| self.issue(key.offset, "expected a member name"))?;
            self.expect(b':', "':' after a member name")?;
            self.skip_ws();
            if key == "features" {
                self.features(out)?;
            } else {
                let value = self.value()?;
                out.members.push((key, value));
            }
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {}
                _ => return Err(self.issue(self.pos, "expected ',' or '}' after a member")),
            }
        }
    }
}

/// serde_json's message without its own " at line L column C" suffix (we report absolute ones),
/// as a syntax error, or as what it is when the text nests deeper than serde_json reads: that
/// is not a syntax error, and saying so sent users looking for a missing bracket.
fn clean(e: &serde_json::Error) -> String {
    let text = e.to_string();
    let text = match text.rfind(" at line ") {
        Some(i) => &text[..i],
        None => &text,
    };
    if text == "recursion limit exceeded" {
        format!(
            "JSON nesting: arrays and objects nested more than {NESTING_LIMIT} deep; claimmap reads up to {NESTING_LIMIT} (no GeoJSON needs more)"
        )
    } else {
        format!("JSON syntax: {text}")
    }
}

/// A feature object read in one pass: its members as JSON values, but its `geometry` straight
/// into `geo` types (as a `Value` tree a geometry costs about 25 times its coordinates: a
/// 10-million-point line took 4 GB).
#[derive(Debug)]
pub struct FeatureObject {
    pub members: serde_json::Map<String, serde_json::Value>,
    /// `None` when the feature has no `geometry` member.
    pub geometry: Option<GeometryMember>,
}

/// A feature's text (a value the walk read whole) as a JSON object; otherwise why not. Raw values
/// are read without serde_json's nesting limit, so a feature nested too deep fails only here, and
/// is said to be nested, not "not an object".
pub fn feature_object(raw: &str) -> Result<FeatureObject, String> {
    match serde_json::from_str::<MaybeFeature>(raw) {
        Ok(MaybeFeature(Some(feature))) => Ok(feature),
        Ok(MaybeFeature(None)) => Err("a feature must be a JSON object".into()),
        Err(e) => Err(clean(&e)),
    }
}

/// A JSON value read as a feature object, or `None` (read through) when it is not an object.
struct MaybeFeature(Option<FeatureObject>);

impl<'de> Deserialize<'de> for MaybeFeature {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<MaybeFeature, D::Error> {
        struct Members;
        impl<'de> Visitor<'de> for Members {
            type Value = MaybeFeature;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON value")
            }

            fn visit_bool<E>(self, _: bool) -> Result<MaybeFeature, E> {
                Ok(MaybeFeature(None))
            }

            fn visit_i64<E>(self, _: i64) -> Result<MaybeFeature, E> {
                Ok(MaybeFeature(None))
            }

            fn visit_u64<E>(self, _: u64) -> Result<MaybeFeature, E> {
                Ok(MaybeFeature(None))
            }

            fn visit_f64<E>(self, _: f64) -> Result<MaybeFeature, E> {
                Ok(MaybeFeature(None))
            }

            fn visit_str<E>(self, _: &str) -> Result<MaybeFeature, E> {
                Ok(MaybeFeature(None))
            }

            fn visit_unit<E>(self) -> Result<MaybeFeature, E> {
                Ok(MaybeFeature(None))
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<MaybeFeature, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(MaybeFeature(None))
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<MaybeFeature, A::Error> {
                let mut feature = FeatureObject {
                    members: serde_json::Map::new(),
                    geometry: None,
                };
                while let Some(key) = map.next_key::<String>()? {
                    if key == "geometry" {
                        feature.geometry = Some(map.next_value()?);
                    } else {
                        let value = map.next_value()?;
                        feature.members.insert(key, value);
                    }
                }
                Ok(MaybeFeature(Some(feature)))
            }
        }
        deserializer.deserialize_any(Members)
    }
}

/// How deep serde_json reads nested arrays and objects (its fixed recursion limit).
const NESTING_LIMIT: usize = 128;

/// Byte offset in `text` of serde_json's (line, column), both from 1; column 0 means the line's
/// start. Only the lines before `line` are walked, never the rest of the text: on a one-line file
/// the error's line is the whole file, and finding its end for every broken feature would make
/// the walk quadratic.
fn offset_in(text: &str, line: usize, column: usize) -> usize {
    let line_start = if line <= 1 {
        0
    } else {
        match memchr::memchr_iter(b'\n', text.as_bytes()).nth(line - 2) {
            Some(newline) => newline + 1,
            None => return text.len(),
        }
    };
    (line_start + column.saturating_sub(1)).min(text.len())
}

/// Walks a FeatureCollection. Features are parsed one by one; a syntax error inside one is
/// recorded and the walk carries on at the next feature. An error outside the features array
/// ends the walk, keeping what was read.
pub fn scan(text: &str) -> Collection<'_> {
    let mut out = Collection::default();
    let mut walker = Walker { text, pos: 0 };
    if let Err(issue) = walker.collection(&mut out) {
        out.issues.push(issue);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::line_index::LineIndex;

    fn text_pos(text: &str, offset: usize) -> crate::formats::line_index::TextPos {
        LineIndex::new(text).pos(offset)
    }

    #[test]
    fn reads_members_and_features() {
        let text = "{\"type\": \"FeatureCollection\", \"features\": [\n {\"type\": \"Feature\", \"id\": 1},\n {\"type\": \"Feature\", \"id\": 2}\n], \"x\": [1]}";
        let c = scan(text);
        assert!(c.issues.is_empty(), "{:?}", c.issues);
        assert_eq!(c.features.len(), 2);
        assert_eq!(text_pos(text, c.features[1].offset).line, 3);
        let names: Vec<&str> = c.members.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(names, ["type", "x"]);
    }

    #[test]
    fn recovers_after_a_broken_feature() {
        let text = "{\"type\": \"FeatureCollection\", \"features\": [\n{\"type\": \"Feature\", \"id\": 1},\n{\"type\": \"Feature\", \"id\": 2 \"oops\": 3},\n{\"type\": \"Feature\", \"id\": 3}\n]}";
        let c = scan(text);
        let ids: Vec<&str> = c.features.iter().map(|f| f.raw.get()).collect();
        assert_eq!(ids.len(), 2, "{ids:?}");
        assert!(ids[1].contains("\"id\": 3"));
        assert_eq!(c.issues.len(), 1);
        let pos = text_pos(text, c.issues[0].offset);
        assert_eq!(pos.line, 3);
        assert!(pos.column > 20, "{pos:?}");
    }

    #[test]
    fn a_feature_broken_before_its_type_costs_itself_and_ends() {
        // The error comes before `"type": "Feature"`: resyncing must not find the same feature.
        let text = "{\"type\": \"FeatureCollection\", \"features\": [\n{\"id\": 1 \"type\": \"Feature\"},\n{\"type\": \"Feature\", \"id\": 2}\n]}";
        let c = scan(text);
        assert_eq!(c.features.len(), 1);
        assert!(c.features[0].raw.get().contains("\"id\": 2"));
        assert_eq!(c.issues.len(), 1);
        // An error reported at the very start of a feature (serde_json's column 0) resyncs from
        // one byte on: the same feature's brace must not be found again, or the walk never ends.
        let walker = Walker {
            text: "[{\"type\": \"Feature\"}, {\"type\": \"Feature\"}]",
            pos: 1,
        };
        assert_eq!(walker.resync(2), Some(22));
        assert_eq!(walker.resync(23), None);
        assert_eq!(walker.resync(1), Some(1));
    }

    #[test]
    fn truncated_file_keeps_what_was_read() {
        let text = "{\"type\": \"FeatureCollection\", \"features\": [\n{\"type\": \"Feature\", \"id\": 1},\n{\"type\": \"Feat";
        let c = scan(text);
        assert_eq!(c.features.len(), 1);
        assert!(!c.issues.is_empty());
    }

    #[test]
    fn recovers_when_a_broken_feature_starts_with_a_multibyte_character() {
        for text in [
            "{\"type\": \"FeatureCollection\", \"features\": [Ó]}",
            "{\"type\": \"FeatureCollection\", \"features\": [\u{feff}NaN, {\"type\": \"Feature\"}]}",
        ] {
            let c = scan(text);
            assert!(!c.issues.is_empty(), "{text}");
        }
    }

    #[test]
    fn nesting_too_deep_is_called_nesting_not_a_syntax_error() {
        let deep = format!("{}1{}", "[".repeat(200), "]".repeat(200));
        let text = format!(
            "{{\"type\": \"FeatureCollection\", \"features\": [\n{{\"type\": \"Feature\", \"properties\": {{\"x\": {deep}}}}},\n{{\"type\": \"Feature\", \"id\": 2}}]}}"
        );
        // The walk reads the feature whole (raw values have no nesting limit); reading it as an
        // object says why it cannot be.
        let c = scan(&text);
        assert_eq!(c.features.len(), 2, "{:?}", c.issues);
        let message = feature_object(c.features[0].raw.get()).expect_err("too deep");
        assert!(message.starts_with("JSON nesting: "), "{message}");
        assert!(message.contains("more than 128 deep"), "{message}");
        assert!(!message.contains("syntax"), "{message}");
        // Real syntax errors still say so.
        let c = scan("{\"type\": \"FeatureCollection\", \"features\": [{\"a\" 1}]}");
        assert!(
            c.issues[0].message.starts_with("JSON syntax: "),
            "{:?}",
            c.issues
        );
    }

    #[test]
    fn not_json_at_all() {
        let c = scan("event_id_cnty,event_date\n");
        assert!(c.features.is_empty());
        assert_eq!(c.issues.len(), 1);
        assert_eq!(c.issues[0].offset, 0);
    }
}
