//! Reading the native format. Each feature is read on its own: a bad one is reported with its
//! line and skipped, and the others load.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use serde_json::{Map, Value};

use crate::formats::LineIndex;
use crate::formats::json_scan::{self, Collection};
use crate::formats::report::{Issue, LoadReport};
use crate::geometry::GeometryMember;
use crate::model::{
    Category, Claim, ClaimDetails, Claimant, ClaimantId, DatasetMeta, DateInterval, DatePrecision,
    Day, Extra, Incident, IncidentDetails, IncidentId, Interner, Location, LocationPrecision,
    Losses, PackedSpan, PlaceRef, Properties, Rgb, RowPacker, RowValues, Side, SideId, Source,
};

/// The format version this build reads and writes.
pub const FORMAT_VERSION: u64 = 1;

/// Colours for sides a file names without one; picked to stay apart from each other.
const FALLBACK_COLOURS: [[u8; 3]; 6] = [
    [0x1f, 0x77, 0xb4],
    [0xd6, 0x27, 0x28],
    [0x2c, 0xa0, 0x2c],
    [0x94, 0x67, 0xbd],
    [0xff, 0x7f, 0x0e],
    [0x8c, 0x56, 0x4b],
];
const UNKNOWN_SIDE: &str = "unknown";
const GREY: Rgb = Rgb([0x7f, 0x7f, 0x7f]);

/// A problem in one member: the key names where in the feature to point the line at.
struct FieldError {
    key: &'static str,
    message: String,
}

fn err<T>(key: &'static str, message: impl Into<String>) -> Result<T, FieldError> {
    Err(FieldError {
        key,
        message: message.into(),
    })
}

/// Takes a member out of an object, keeping the order of the rest.
fn take(map: &mut Map<String, Value>, key: &str) -> Option<Value> {
    map.shift_remove(key).filter(|v| !v.is_null())
}

fn take_string(
    map: &mut Map<String, Value>,
    key: &'static str,
) -> Result<Option<Box<str>>, FieldError> {
    match take(map, key) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.into())),
        Some(other) => err(
            key,
            format!("\"{key}\" must be a string, not {}", kind_of(&other)),
        ),
    }
}

fn take_object(
    map: &mut Map<String, Value>,
    key: &'static str,
) -> Result<Option<Map<String, Value>>, FieldError> {
    match take(map, key) {
        None => Ok(None),
        Some(Value::Object(o)) => Ok(Some(o)),
        Some(other) => err(
            key,
            format!("\"{key}\" must be an object, not {}", kind_of(&other)),
        ),
    }
}

fn take_array(map: &mut Map<String, Value>, key: &'static str) -> Result<Vec<Value>, FieldError> {
    match take(map, key) {
        None => Ok(Vec::new()),
        Some(Value::Array(a)) => Ok(a),
        Some(other) => err(
            key,
            format!("\"{key}\" must be an array, not {}", kind_of(&other)),
        ),
    }
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn extra(map: Map<String, Value>) -> Extra {
    (!map.is_empty()).then(|| Box::new(map))
}

/// A date: `"YYYY-MM-DD"`, or `{start, end, precision, inferred, reason}`.
fn parse_date(value: Value, key: &'static str) -> Result<DateInterval, FieldError> {
    let day = |text: &str| Day::parse_iso(text).or_else(|e| err(key, e.to_string()));
    match value {
        Value::String(text) => Ok(DateInterval::day(day(&text)?)),
        Value::Object(mut map) => {
            let start = match take(&mut map, "start") {
                Some(Value::String(s)) => day(&s)?,
                _ => {
                    return err(
                        key,
                        format!("\"{key}\" needs a \"start\" date (YYYY-MM-DD)"),
                    );
                }
            };
            let end = match take(&mut map, "end") {
                Some(Value::String(s)) => day(&s)?,
                None => start,
                Some(_) => return err(key, format!("\"{key}\".\"end\" must be a date string")),
            };
            let precision = match take(&mut map, "precision") {
                Some(Value::String(s)) => {
                    DatePrecision::parse(&s).or_else(|e| err(key, e.to_string()))?
                }
                None if end == start => DatePrecision::Day,
                None => DatePrecision::Range,
                Some(_) => return err(key, format!("\"{key}\".\"precision\" must be a string")),
            };
            let mut interval =
                DateInterval::new(start, end, precision).or_else(|e| err(key, e.to_string()))?;
            let inferred = match take(&mut map, "inferred") {
                Some(Value::Bool(b)) => b,
                None => false,
                Some(_) => {
                    return err(key, format!("\"{key}\".\"inferred\" must be true or false"));
                }
            };
            let reason = take_string(&mut map, "reason")?.filter(|r| !r.trim().is_empty());
            match (inferred, reason) {
                (true, None) => {
                    return err(
                        key,
                        format!("\"{key}\" is inferred but gives no \"reason\""),
                    );
                }
                (true, Some(reason)) => interval = interval.with_inference(reason),
                (false, reason) => interval.reason = reason.map(|r| Box::new(r.into())),
            }
            if let Some((unknown, _)) = map.iter().next() {
                return err(
                    key,
                    format!("\"{key}\" has an unknown member \"{unknown}\""),
                );
            }
            Ok(interval)
        }
        other => err(
            key,
            format!(
                "\"{key}\" must be a date string or object, not {}",
                kind_of(&other)
            ),
        ),
    }
}

fn parse_place_ref(
    value: Value,
    key: &'static str,
    strings: &mut Interner,
) -> Result<PlaceRef, FieldError> {
    let (text, pinned) = match value {
        Value::String(text) => (text, None),
        Value::Object(mut map) => {
            let text = take_string(&mut map, "text")?.unwrap_or_default();
            let pinned = take_string(&mut map, "place")?;
            (text.into(), pinned)
        }
        other => {
            return err(
                key,
                format!(
                    "a place in \"{key}\" must be a string or object, not {}",
                    kind_of(&other)
                ),
            );
        }
    };
    if text.trim().is_empty() && pinned.is_none() {
        return err(key, format!("an empty place name in \"{key}\""));
    }
    Ok(PlaceRef {
        text: strings.intern(&text),
        pinned: pinned.map(|p| strings.intern(&p)),
        resolved: None,
        ambiguous: false,
    })
}

fn parse_place_refs(
    values: Vec<Value>,
    key: &'static str,
    strings: &mut Interner,
) -> Result<Vec<PlaceRef>, FieldError> {
    values
        .into_iter()
        .map(|v| parse_place_ref(v, key, strings))
        .collect()
}

fn count(map: &mut Map<String, Value>, key: &'static str) -> Result<Option<u32>, FieldError> {
    match take(map, key) {
        None => Ok(None),
        Some(v) => match v.as_u64().and_then(|n| u32::try_from(n).ok()) {
            Some(n) => Ok(Some(n)),
            None => err(
                "losses",
                format!("losses \"{key}\" must be a whole number ≥ 0"),
            ),
        },
    }
}

/// The dataset-level registries, and the claimants the features name on top of them.
struct Registry {
    sides: Vec<Side>,
    claimants: Vec<Claimant>,
    claimant_ids: HashMap<Box<str>, ClaimantId>,
}

impl Registry {
    fn side_id(&mut self, id: &str) -> SideId {
        if let Some(i) = self.sides.iter().position(|s| &*s.id == id) {
            return SideId(i as u32);
        }
        self.sides.push(Side {
            id: id.into(),
            name: id.into(),
            colour: if id == UNKNOWN_SIDE {
                GREY
            } else {
                Rgb(FALLBACK_COLOURS[self.sides.len() % FALLBACK_COLOURS.len()])
            },
            party: id != UNKNOWN_SIDE,
            extra: None,
        });
        SideId(self.sides.len() as u32 - 1)
    }

    /// The claimant with this id; one missing from the registry is added on side "unknown".
    fn claimant_id(&mut self, id: &str) -> (ClaimantId, bool) {
        if let Some(&found) = self.claimant_ids.get(id) {
            return (found, false);
        }
        let side = self.side_id(UNKNOWN_SIDE);
        let new = ClaimantId(self.claimants.len() as u32);
        self.claimants.push(Claimant {
            id: id.into(),
            name: id.into(),
            side,
            kind: None,
            colour: None,
            implicit: true,
            extra: None,
        });
        self.claimant_ids.insert(id.into(), new);
        (new, true)
    }
}

/// A string member; a wrong type is noted and read as absent.
fn string_or_note(
    map: &mut Map<String, Value>,
    key: &'static str,
    issues: &mut Vec<String>,
) -> Option<Box<str>> {
    take_string(map, key).unwrap_or_else(|e| {
        issues.push(e.message);
        None
    })
}

fn parse_meta(value: Value, registry: &mut Registry, issues: &mut Vec<String>) -> DatasetMeta {
    let Value::Object(mut map) = value else {
        issues.push("the \"claimmap\" member must be an object".into());
        return DatasetMeta::default();
    };
    let _version = take(&mut map, "format_version");
    let title = string_or_note(&mut map, "title", issues).unwrap_or_default();
    let description = string_or_note(&mut map, "description", issues);
    let licence = string_or_note(&mut map, "licence", issues);
    let citation = string_or_note(&mut map, "citation", issues);
    for (i, side) in take_array(&mut map, "sides")
        .unwrap_or_default()
        .into_iter()
        .enumerate()
    {
        let Value::Object(mut side) = side else {
            issues.push(format!("sides[{i}] must be an object"));
            continue;
        };
        let Some(id) = string_or_note(&mut side, "id", issues) else {
            issues.push(format!("sides[{i}] has no \"id\""));
            continue;
        };
        let name = string_or_note(&mut side, "name", issues).unwrap_or_else(|| id.clone());
        let colour = string_or_note(&mut side, "colour", issues);
        let party = take(&mut side, "party")
            .and_then(|v| v.as_bool())
            .unwrap_or(true);
        let sid = registry.side_id(&id);
        let entry = &mut registry.sides[sid.0 as usize];
        entry.name = name;
        if let Some(colour) = colour {
            match Rgb::parse_hex(&colour) {
                Some(rgb) => entry.colour = rgb,
                None => issues.push(format!("side \"{id}\": colour \"{colour}\" is not #rrggbb")),
            }
        }
        entry.party = party;
        entry.extra = extra(side);
    }
    for (i, claimant) in take_array(&mut map, "claimants")
        .unwrap_or_default()
        .into_iter()
        .enumerate()
    {
        let Value::Object(mut claimant) = claimant else {
            issues.push(format!("claimants[{i}] must be an object"));
            continue;
        };
        let Some(id) = string_or_note(&mut claimant, "id", issues) else {
            issues.push(format!("claimants[{i}] has no \"id\""));
            continue;
        };
        if registry.claimant_ids.contains_key(&id) {
            issues.push(format!(
                "claimant \"{id}\" is registered twice; the first is kept"
            ));
            continue;
        }
        let name = string_or_note(&mut claimant, "name", issues).unwrap_or_else(|| id.clone());
        let side_name =
            string_or_note(&mut claimant, "side", issues).unwrap_or_else(|| UNKNOWN_SIDE.into());
        let side = registry.side_id(&side_name);
        let kind = string_or_note(&mut claimant, "kind", issues);
        let colour = string_or_note(&mut claimant, "colour", issues).and_then(|c| {
            let rgb = Rgb::parse_hex(&c);
            if rgb.is_none() {
                issues.push(format!("claimant \"{id}\": colour \"{c}\" is not #rrggbb"));
            }
            rgb
        });
        let cid = ClaimantId(registry.claimants.len() as u32);
        registry.claimants.push(Claimant {
            id: id.clone(),
            name,
            side,
            kind,
            colour,
            implicit: false,
            extra: extra(claimant),
        });
        registry.claimant_ids.insert(id, cid);
    }
    DatasetMeta {
        title,
        description,
        licence,
        citation,
        extra: extra(map),
        collection_extra: None,
    }
}

/// One claim; `warn` receives things to know that do not stop it loading.
fn parse_claim(
    value: Value,
    registry: &mut Registry,
    strings: &mut Interner,
    warn: &mut Vec<(&'static str, String)>,
) -> Result<Claim, FieldError> {
    let Value::Object(mut map) = value else {
        return err("claims", "each claim must be an object");
    };
    let claimant_name = take_string(&mut map, "claimant")?.ok_or(FieldError {
        key: "claimant",
        message: "a claim has no \"claimant\"".into(),
    })?;
    let (claimant, added) = registry.claimant_id(&claimant_name);
    if added {
        warn.push((
            "claimant",
            format!(
                "claimant \"{claimant_name}\" is not in the registry; added on side \"unknown\""
            ),
        ));
    }
    let statement_date = take(&mut map, "statement_date")
        .map(|v| parse_date(v, "statement_date"))
        .transpose()?;
    let quote = take_string(&mut map, "quote")?.unwrap_or_default();
    let summary = take_string(&mut map, "summary")?.unwrap_or_default();
    let from = parse_place_refs(take_array(&mut map, "from")?, "from", strings)?;
    let to = parse_place_refs(take_array(&mut map, "to")?, "to", strings)?;
    let losses = match take_object(&mut map, "losses")? {
        None => None,
        Some(mut l) => Some(Arc::new(Losses {
            text: take_string(&mut l, "text")?.unwrap_or_default().into(),
            killed: count(&mut l, "killed")?,
            wounded: count(&mut l, "wounded")?,
            detained: count(&mut l, "detained")?,
            extra: extra(l),
        })),
    };
    let weapons: Vec<_> = take_array(&mut map, "weapons")?
        .into_iter()
        .map(|w| match w {
            Value::String(s) => Ok(strings.intern(&s)),
            other => err(
                "weapons",
                format!("weapons must be strings, not {}", kind_of(&other)),
            ),
        })
        .collect::<Result<_, _>>()?;
    let retaliation = match take(&mut map, "retaliation") {
        None => None,
        Some(Value::Bool(b)) => Some(b),
        Some(other) => {
            return err(
                "retaliation",
                format!(
                    "\"retaliation\" must be true or false, not {}",
                    kind_of(&other)
                ),
            );
        }
    };
    let wordless = quote.trim().is_empty() && summary.trim().is_empty();
    let mut details = ClaimDetails {
        statement_date,
        summary: summary.into(),
        from: from.into(),
        to: to.into(),
        weapons: weapons.into(),
        retaliation,
        ..ClaimDetails::default()
    };
    let source = match take_object(&mut map, "source")? {
        None => Source::default(),
        Some(mut s) => {
            let source = Source {
                outlet: take_string(&mut s, "outlet")?.map(|o| strings.intern(&o)),
                document: take_string(&mut s, "document")?.map(|d| strings.intern(&d)),
            };
            details.url = take_string(&mut s, "url")?.into();
            details.published = take(&mut s, "published")
                .map(|v| parse_date(v, "published"))
                .transpose()?;
            details.source_extra = extra(s);
            source
        }
    };
    if wordless {
        warn.push((
            "claimant",
            "a claim has neither a quote nor a summary".into(),
        ));
    }
    details.extra = extra(map);
    Ok(Claim {
        claimant,
        quote: quote.into(),
        losses,
        source,
        details: details.into(),
    })
}

/// Where in the raw feature text a key first appears at or after `from`, for line numbers.
fn key_offset(raw: &str, key: &str, from: usize) -> Option<usize> {
    let needle = format!("\"{key}\"");
    raw.get(from..)?.find(&needle).map(|i| from + i)
}

/// What [`read`] makes of a FeatureCollection, before places are resolved.
pub(crate) struct Parsed {
    pub meta: DatasetMeta,
    pub sides: Vec<Side>,
    pub claimants: Vec<Claimant>,
    pub incidents: Vec<Incident>,
    pub strings: Interner,
    pub is_native: bool,
    /// Why the file is not read at all (a `format_version` this claimmap does not read).
    pub refused: Option<Issue>,
    /// The line each incident starts on, parallel to `incidents`, where the reader knows it
    /// (table rows); empty otherwise.
    pub lines: Vec<u32>,
}

/// Reads a FeatureCollection of the native format, walked into `collection` from the text
/// `lines` indexes; problems go into `report`. When the collection has no `claimmap` member, its
/// features are left for the plain GeoJSON reader (`is_native` is false, nothing is read).
pub(crate) fn read(
    collection: &Collection<'_>,
    lines: &LineIndex<'_>,
    report: &mut LoadReport,
) -> Parsed {
    let issue_at = |offset: usize, message: String| {
        let pos = lines.pos(offset);
        Issue {
            line: pos.line,
            column: Some(pos.column),
            message,
            sheet: None,
        }
    };
    let mut registry = Registry {
        sides: Vec::new(),
        claimants: Vec::new(),
        claimant_ids: HashMap::new(),
    };
    let mut strings = Interner::default();
    let mut meta = DatasetMeta::default();
    let mut collection_extra = Map::new();
    let mut is_native = false;
    let mut refused = None;
    for (key, member) in &collection.members {
        let value: Value = serde_json::from_str(member.raw.get()).unwrap_or(Value::Null);
        match key.as_str() {
            "type" => {
                if value != Value::String("FeatureCollection".into()) {
                    report.push_error(issue_at(
                        member.offset,
                        format!("\"type\" is {value}, expected \"FeatureCollection\""),
                    ));
                }
            }
            "claimmap" => {
                is_native = true;
                if let Some(message) = version_refusal(value.get("format_version")) {
                    let at = key_offset(member.raw.get(), "format_version", 0).unwrap_or(0);
                    refused = Some(issue_at(member.offset + at, message));
                }
                let mut problems = Vec::new();
                meta = parse_meta(value, &mut registry, &mut problems);
                for p in problems {
                    report.push_error(issue_at(member.offset, p));
                }
            }
            _ => {
                collection_extra.insert(key.clone(), value);
            }
        }
    }
    meta.collection_extra = extra(collection_extra);
    if !is_native || refused.is_some() {
        return Parsed {
            meta,
            sides: registry.sides,
            claimants: registry.claimants,
            incidents: Vec::new(),
            strings,
            is_native,
            refused,
            lines: Vec::new(),
        };
    }
    for issue in &collection.issues {
        report.push_error(issue_at(issue.offset, issue.message.clone()));
    }
    // A feature lost to a syntax error counts as a skipped row.
    let lost = collection.lost_features;
    report.rows = collection.features.len() + lost;
    report.skipped = lost;

    let mut incidents = Vec::with_capacity(collection.features.len());
    let mut string_members = StringMembers::new();
    let mut seen_ids = HashSet::new();
    for (n, feature) in collection.features.iter().enumerate() {
        if (n as u64).is_multiple_of(crate::formats::progress::TICK_EVERY)
            && !crate::formats::progress::tick(feature.offset as u64, n as u64)
        {
            break;
        }
        let raw = feature.raw.get();
        let at = |key: &str, from: usize| feature.offset + key_offset(raw, key, from).unwrap_or(0);
        let mut warnings = Vec::new();
        match parse_feature(raw, &mut registry, &mut strings, &mut warnings) {
            Ok(incident) if !seen_ids.insert(incident.id.clone()) => {
                report.skipped += 1;
                report.push_error(issue_at(
                    at("id", 0),
                    format!(
                        "duplicate incident id \"{}\"; the first is kept",
                        incident.id
                    ),
                ));
            }
            Ok(incident) => string_members.push(&mut incidents, incident),
            Err((claim_index, e)) => {
                report.skipped += 1;
                let from = claim_index
                    .and_then(|i| nth_offset(raw, "\"claimant\"", i))
                    .unwrap_or(0);
                report.push_error(issue_at(at(e.key, from), e.message));
            }
        }
        for (claim_index, key, message) in warnings {
            let from = claim_index
                .and_then(|i| nth_offset(raw, "\"claimant\"", i))
                .unwrap_or(0);
            report.push_warning(issue_at(at(key, from), message));
        }
    }
    string_members.seal(&mut incidents);
    Parsed {
        meta,
        sides: registry.sides,
        claimants: registry.claimants,
        incidents,
        strings,
        is_native,
        refused: None,
        lines: Vec::new(),
    }
}

/// Packs the unknown members of features whose members are all strings (a converted table's
/// columns), as a table's rows are: kept as JSON maps, with an allocation per key and per value
/// and the map's own tables, a converted 100,000-row table took 4.6 KB a feature (837 MB at the
/// peak where the table took 190 MB). Members of other types stay JSON, as read.
struct StringMembers {
    packer: RowPacker,
    /// The incidents packed since the last seal, by index, and where their members are.
    waiting: Vec<(usize, PackedSpan)>,
}

/// Packed bytes after which a packer's rows are sealed: spans count in 32 bits.
const SEAL_BYTES: usize = 1 << 30;

impl StringMembers {
    fn new() -> StringMembers {
        StringMembers {
            packer: RowPacker::for_members(),
            waiting: Vec::new(),
        }
    }

    /// Adds `incident` to `incidents`, its members packed when they are all strings; they are
    /// readable once sealed.
    fn push(&mut self, incidents: &mut Vec<Incident>, mut incident: Incident) {
        if let Properties::Json(Some(map)) = &incident.extra
            && map.values().all(Value::is_string)
        {
            let members = map
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str().unwrap_or_default()));
            let span = self.packer.pack_members(members);
            incident.extra = Properties::NONE;
            self.waiting.push((incidents.len(), span));
        }
        incidents.push(incident);
        if self.packer.packed_len() >= SEAL_BYTES {
            self.seal(incidents);
        }
    }

    /// Gives the incidents packed so far their members.
    fn seal(&mut self, incidents: &mut [Incident]) {
        if self.waiting.is_empty() {
            return;
        }
        let fresh = self.packer.empty_like();
        let columns = std::mem::replace(&mut self.packer, fresh).finish();
        for (index, span) in self.waiting.drain(..) {
            incidents[index].extra = Properties::Row(RowValues::new(columns.clone(), span));
        }
    }
}

/// Why a file whose `format_version` is not 1 is not read at all: a newer version may mean
/// something this claimmap would misread, and anything but the integer is not a version.
/// A missing version reads as 1 (files written before it was required).
fn version_refusal(version: Option<&Value>) -> Option<String> {
    match version {
        None => None,
        Some(Value::Number(n)) if n.as_u64() == Some(FORMAT_VERSION) => None,
        Some(Value::Number(n)) if n.as_u64().is_some_and(|v| v > FORMAT_VERSION) => Some(format!(
            "format_version {n} is newer than this claimmap reads ({FORMAT_VERSION}); update claimmap to open it"
        )),
        Some(other) => Some(format!(
            "format_version must be the integer {FORMAT_VERSION}, not {other}"
        )),
    }
}

fn nth_offset(raw: &str, needle: &str, n: usize) -> Option<usize> {
    raw.match_indices(needle).nth(n).map(|(i, _)| i)
}

type Warnings = Vec<(Option<usize>, &'static str, String)>;

fn parse_feature(
    raw: &str,
    registry: &mut Registry,
    strings: &mut Interner,
    warnings: &mut Warnings,
) -> Result<Incident, (Option<usize>, FieldError)> {
    let whole = |e| (None, e);
    let read = json_scan::feature_object(raw).map_err(|message| {
        whole(FieldError {
            key: "type",
            message,
        })
    })?;
    let mut feature = read.members;
    match take(&mut feature, "type") {
        Some(Value::String(t)) if t == "Feature" => {}
        _ => {
            return Err(whole(FieldError {
                key: "type",
                message: "a feature needs \"type\": \"Feature\"".into(),
            }));
        }
    }
    let id: IncidentId = match take(&mut feature, "id") {
        Some(Value::String(s)) if !s.trim().is_empty() => s.into(),
        Some(Value::Number(n)) => n.to_string().into(),
        _ => {
            return Err(whole(FieldError {
                key: "type",
                message: "a feature needs an \"id\" (string or number)".into(),
            }));
        }
    };
    let geometry = match read.geometry {
        None | Some(GeometryMember::Null) => None,
        Some(GeometryMember::Read(geometry)) => Some(geometry.map_err(|e| {
            whole(FieldError {
                key: "geometry",
                message: format!("incident \"{id}\": {e}"),
            })
        })?),
    };
    let mut props = match take(&mut feature, "properties") {
        Some(Value::Object(p)) => p,
        _ => {
            return Err(whole(FieldError {
                key: "properties",
                message: format!("incident \"{id}\" has no \"properties\" object"),
            }));
        }
    };
    let in_incident = |e: FieldError| {
        (
            None,
            FieldError {
                key: e.key,
                message: format!("incident \"{id}\": {}", e.message),
            },
        )
    };
    let title = take_string(&mut props, "title")
        .map_err(in_incident)?
        .ok_or_else(|| {
            in_incident(FieldError {
                key: "properties",
                message: "no \"title\"".into(),
            })
        })?;
    let category = match take_string(&mut props, "category").map_err(in_incident)? {
        Some(key) => Category::from_key(&key, strings),
        None => {
            warnings.push((
                None,
                "properties",
                format!("incident \"{id}\": no \"category\"; shown as other"),
            ));
            Category::Other
        }
    };
    let date = match take(&mut props, "date") {
        Some(v) => parse_date(v, "date").map_err(in_incident)?,
        None => {
            return Err(in_incident(FieldError {
                key: "properties",
                message: "no \"date\"".into(),
            }));
        }
    };
    let mut details = IncidentDetails::default();
    let location = match take_object(&mut props, "location").map_err(in_incident)? {
        None => Location::default(),
        Some(mut l) => {
            let place = take(&mut l, "place")
                .map(|v| parse_place_ref(v, "place", strings))
                .transpose()
                .map_err(in_incident)?;
            let precision = match take_string(&mut l, "precision").map_err(in_incident)? {
                None => LocationPrecision::default(),
                Some(p) => LocationPrecision::parse(&p).ok_or_else(|| {
                    in_incident(FieldError {
                        key: "precision",
                        message: format!("unknown location precision \"{p}\" (expected exact, near, district, province, country or region)"),
                    })
                })?,
            };
            details.location_note = take_string(&mut l, "note").map_err(in_incident)?.into();
            details.location_extra = extra(l);
            Location { place, precision }
        }
    };
    let claim_values = take_array(&mut props, "claims").map_err(in_incident)?;
    let mut claims = Vec::with_capacity(claim_values.len());
    let mut claim_errors = Vec::new();
    for (i, value) in claim_values.into_iter().enumerate() {
        let mut claim_warnings = Vec::new();
        match parse_claim(value, registry, strings, &mut claim_warnings) {
            Ok(claim) => claims.push(claim),
            Err(e) => claim_errors.push((i, e)),
        }
        warnings.extend(claim_warnings.into_iter().map(|(k, m)| {
            (
                Some(i),
                k,
                format!("incident \"{id}\", claim {}: {m}", i + 1),
            )
        }));
    }
    if let Some((i, e)) = claim_errors.into_iter().next() {
        // A claim that cannot be read makes the incident incomplete; loading it without that claim
        // would show one side's account as if it were the only one.
        return Err((
            Some(i),
            FieldError {
                key: e.key,
                message: format!("incident \"{id}\", claim {}: {}", i + 1, e.message),
            },
        ));
    }
    if claims.is_empty() {
        return Err(in_incident(FieldError {
            key: "properties",
            message: "no claims; an incident needs at least one".into(),
        }));
    }
    details.notes = take_string(&mut props, "notes")
        .map_err(in_incident)?
        .into();
    details.feature_extra = extra(feature);
    Ok(Incident {
        details: details.into(),
        extra: Properties::from_map(props),
        ..Incident::new(id, title, category, date, geometry, location, claims)
    })
}
