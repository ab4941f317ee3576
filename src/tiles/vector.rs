//! Mapbox Vector Tiles without egui: a tile's bytes (gzip, zlib or plain protobuf) inflated up to
//! a bound, decoded by fast-mvt, and its features sorted into what claimmap's built-in style draws
//! — land, water and land cover as triangulated areas, roads by class, rail, rivers and borders as
//! lines, and named places as points with every `name:xx` they carry.
//!
//! The layer and class names of the common schemas are understood (OpenMapTiles, Protomaps,
//! Mapbox Streets, Shortbread, tippecanoe's one-layer files such as `cities`); a layer the style
//! does not know is counted, not drawn. Coordinates are fractions of the tile's square (0..1,
//! y down), so drawing at any zoom is a multiply-add.

use std::borrow::Cow;
use std::io::Read;

use fast_mvt::{MvtReaderRef, MvtValueRef};
use geo::TriangulateEarcut;
use geo::geometry::{Geometry, LineString, Polygon};

/// The most a tile may inflate to. Real tiles stay far below (tippecanoe and OpenMapTiles cap
/// theirs at 500 KB, dense Protomaps city tiles are 1–2 MB); past this a tile is a decompression
/// bomb, refused at this many bytes however large it claims or turns out to be.
pub const MAX_INFLATED_BYTES: usize = 8 << 20;

/// The most deflate can compress: 258 bytes in 2 bits of a block, about 1032:1.
const MAX_DEFLATE_RATIO: usize = 1032;

/// What an area is painted as, in the order areas are painted (later over earlier).
#[derive(Copy, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub enum AreaKind {
    Land,
    Farmland,
    Grass,
    Wood,
    Bare,
    Ice,
    Urban,
    Water,
}

impl AreaKind {
    pub const ALL: [AreaKind; 8] = [
        AreaKind::Land,
        AreaKind::Farmland,
        AreaKind::Grass,
        AreaKind::Wood,
        AreaKind::Bare,
        AreaKind::Ice,
        AreaKind::Urban,
        AreaKind::Water,
    ];
}

/// Road classes, from the quietest to the most important (the order roads are painted in).
#[derive(Copy, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub enum RoadClass {
    Path,
    Minor,
    Tertiary,
    Secondary,
    Primary,
    Trunk,
    Motorway,
}

/// What a line is drawn as.
#[derive(Copy, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub enum LineKind {
    Waterway,
    Rail,
    Road(RoadClass),
    /// An administrative border: a country's (`country`) or a region's; a disputed one dashed.
    Boundary {
        country: bool,
        disputed: bool,
    },
}

/// What a named place is, most important first (the order labels are placed in).
#[derive(Copy, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub enum PlaceClass {
    Country,
    Region,
    City,
    Town,
    Village,
    Other,
}

/// One kind of area of a tile, triangulated.
#[derive(Clone, Debug, Default)]
pub struct Area {
    pub vertices: Vec<[f32; 2]>,
    /// Triples of indices into `vertices`.
    pub triangles: Vec<u32>,
}

#[derive(Clone, Debug)]
pub struct Line {
    pub kind: LineKind,
    pub points: Vec<[f32; 2]>,
}

/// A named point: its names as the tile gives them.
#[derive(Clone, Debug)]
pub struct PlacePoint {
    pub at: [f32; 2],
    pub class: PlaceClass,
    /// `name`: the local name, in the place's own language.
    pub name: Option<Box<str>>,
    /// `name:en` / `name_en` and the like, by language code (`en`, `hy`, `az`, `hy-Latn`).
    pub names: Vec<(Box<str>, Box<str>)>,
    pub population: u64,
    /// The zoom the tile's author wants it labelled from (Protomaps' `min_zoom`).
    pub min_zoom: Option<f32>,
}

impl PlacePoint {
    /// The name in a language, if the tile has one.
    pub fn name_in(&self, language: &str) -> Option<&str> {
        self.names
            .iter()
            .find(|(l, _)| l.eq_ignore_ascii_case(language))
            .map(|(_, n)| &**n)
    }
}

/// A decoded tile, ready to draw.
#[derive(Clone, Debug, Default)]
pub struct VectorTile {
    /// Indexed by [`AreaKind`] in [`AreaKind::ALL`] order.
    pub areas: Vec<(AreaKind, Area)>,
    /// In painting order: waterways, rail, roads from the quietest up, borders.
    pub lines: Vec<Line>,
    /// Most important first.
    pub places: Vec<PlacePoint>,
    /// Layers the style does not draw (buildings, POIs, a schema's own), by name.
    pub unstyled_layers: Vec<String>,
    /// Features whose geometry could not be decoded, skipped.
    pub bad_features: usize,
}

impl VectorTile {
    /// Roughly what the tile holds in memory, for the cache's bound.
    pub fn size_bytes(&self) -> usize {
        let areas: usize = self
            .areas
            .iter()
            .map(|(_, a)| a.vertices.len() * 8 + a.triangles.len() * 4)
            .sum();
        let lines: usize = self.lines.iter().map(|l| 32 + l.points.len() * 8).sum();
        let places: usize = self
            .places
            .iter()
            .map(|p| {
                96 + p.name.as_deref().map_or(0, str::len)
                    + p.names
                        .iter()
                        .map(|(l, n)| 32 + l.len() + n.len())
                        .sum::<usize>()
            })
            .sum();
        std::mem::size_of::<VectorTile>() + areas + lines + places
    }

    pub fn is_empty(&self) -> bool {
        self.areas.is_empty() && self.lines.is_empty() && self.places.is_empty()
    }
}

/// Why a tile could not be drawn.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum VectorTileError {
    #[error("inflates past {limit} bytes (a decompression bomb?), refused", limit = MAX_INFLATED_BYTES)]
    TooLarge,
    #[error("{0} data is corrupt")]
    Compression(&'static str),
    #[error("not a vector tile: {0}")]
    Protobuf(String),
}

/// The tile's protobuf: gzip and zlib streams inflated, at most [`MAX_INFLATED_BYTES`] of them.
pub fn inflate(bytes: &[u8]) -> Result<Cow<'_, [u8]>, VectorTileError> {
    let gzip = bytes.starts_with(&[0x1f, 0x8b]);
    // A zlib header: deflate, a window of at most 32 KB, and the check bits right. Protobuf never
    // starts so (0x78 would be field 15, which a tile does not have).
    let zlib = bytes.len() >= 2
        && bytes[0] & 0x0f == 8
        && bytes[0] >> 4 <= 7
        && (u16::from(bytes[0]) << 8 | u16::from(bytes[1])) % 31 == 0;
    if !gzip && !zlib {
        if bytes.len() > MAX_INFLATED_BYTES {
            return Err(VectorTileError::TooLarge);
        }
        return Ok(Cow::Borrowed(bytes));
    }
    // gzip's trailer says how large the data is (modulo 4 GB): a bomb that admits to it is
    // refused before a byte is inflated; one that lies stops at the limit below.
    // Only a size deflate could reach from these bytes (at most 1032:1) is believed: the last
    // bytes of a stream cut short are no trailer.
    if gzip && bytes.len() >= 18 {
        let tail: [u8; 4] = bytes[bytes.len() - 4..].try_into().unwrap_or_default();
        let claimed = u32::from_le_bytes(tail) as usize;
        if claimed > MAX_INFLATED_BYTES && claimed <= bytes.len().saturating_mul(MAX_DEFLATE_RATIO)
        {
            return Err(VectorTileError::TooLarge);
        }
    }
    let limit = MAX_INFLATED_BYTES as u64 + 1;
    let mut out = Vec::new();
    let read = if gzip {
        flate2::read::MultiGzDecoder::new(bytes)
            .take(limit)
            .read_to_end(&mut out)
    } else {
        flate2::read::ZlibDecoder::new(bytes)
            .take(limit)
            .read_to_end(&mut out)
    };
    read.map_err(|_| VectorTileError::Compression(if gzip { "gzip" } else { "zlib" }))?;
    if out.len() > MAX_INFLATED_BYTES {
        return Err(VectorTileError::TooLarge);
    }
    Ok(Cow::Owned(out))
}

/// Decodes a tile's bytes as they are stored (compressed or not).
pub fn decode(bytes: &[u8]) -> Result<VectorTile, VectorTileError> {
    let data = inflate(bytes)?;
    let reader = MvtReaderRef::new(&data).map_err(|e| VectorTileError::Protobuf(e.to_string()))?;
    let mut tile = VectorTile::default();
    let mut areas: Vec<Area> = vec![Area::default(); AreaKind::ALL.len()];
    for layer in reader.layers() {
        let name = layer.name().to_ascii_lowercase();
        let role = LayerRole::of(&name);
        if role == LayerRole::Ignored {
            tile.unstyled_layers.push(layer.name().to_owned());
            continue;
        }
        let scale = 1.0 / layer.extent().max(1) as f32;
        let mut drew = false;
        for feature in layer.features() {
            let Ok(properties) = feature.properties_vec() else {
                tile.bad_features += 1;
                continue;
            };
            let tags = Tags(&properties);
            let Ok(geometry) = feature.geometry() else {
                tile.bad_features += 1;
                continue;
            };
            match geometry {
                Geometry::Polygon(p) => {
                    if let Some(kind) = role.area(&tags) {
                        add_polygon(&mut areas[kind as usize], &p, scale);
                        drew = true;
                    }
                }
                Geometry::MultiPolygon(mp) => {
                    if let Some(kind) = role.area(&tags) {
                        for p in &mp {
                            add_polygon(&mut areas[kind as usize], p, scale);
                        }
                        drew = true;
                    }
                }
                Geometry::LineString(l) => {
                    if let Some(kind) = role.line(&tags) {
                        add_line(&mut tile.lines, kind, &l, scale);
                        drew = true;
                    }
                }
                Geometry::MultiLineString(ml) => {
                    if let Some(kind) = role.line(&tags) {
                        for l in &ml {
                            add_line(&mut tile.lines, kind, l, scale);
                        }
                        drew = true;
                    }
                }
                Geometry::Point(p) => {
                    drew |= add_place(&mut tile.places, role, &tags, [p.x(), p.y()], scale);
                }
                Geometry::MultiPoint(mp) => {
                    for p in &mp {
                        drew |= add_place(&mut tile.places, role, &tags, [p.x(), p.y()], scale);
                    }
                }
                _ => {}
            }
        }
        if !drew && layer.feature_count() > 0 {
            tile.unstyled_layers.push(layer.name().to_owned());
        }
    }
    tile.areas = AreaKind::ALL
        .into_iter()
        .zip(areas)
        .filter(|(_, a)| !a.triangles.is_empty())
        .collect();
    tile.lines.sort_by_key(|l| l.kind);
    tile.places.sort_by(|a, b| {
        a.class
            .cmp(&b.class)
            .then(b.population.cmp(&a.population))
            .then_with(|| a.name.cmp(&b.name))
    });
    Ok(tile)
}

/// A feature's properties, looked up by key.
struct Tags<'a>(&'a [(&'a str, MvtValueRef<'a>)]);

impl Tags<'_> {
    fn get(&self, key: &str) -> Option<MvtValueRef<'_>> {
        self.0.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
    }

    fn text(&self, key: &str) -> Option<&str> {
        match self.get(key)? {
            MvtValueRef::String(s) => Some(s),
            _ => None,
        }
    }

    fn number(&self, key: &str) -> Option<f64> {
        match self.get(key)? {
            MvtValueRef::Float(v) => Some(f64::from(v)),
            MvtValueRef::Double(v) => Some(v),
            MvtValueRef::Int(v) | MvtValueRef::SInt(v) => Some(v as f64),
            MvtValueRef::UInt(v) => Some(v as f64),
            MvtValueRef::Bool(v) => Some(f64::from(u8::from(v))),
            MvtValueRef::String(s) => s.trim().parse().ok(),
            MvtValueRef::Null => None,
        }
    }

    fn truthy(&self, key: &str) -> bool {
        match self.get(key) {
            Some(MvtValueRef::String(s)) => !matches!(s, "" | "0" | "false" | "no"),
            Some(_) => self.number(key).is_some_and(|n| n != 0.0),
            None => false,
        }
    }

    /// The first of `keys` the feature has, as text.
    fn first_text(&self, keys: &[&str]) -> Option<&str> {
        keys.iter().find_map(|k| self.text(k))
    }
}

/// What a layer holds, by its name in the common schemas.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
enum LayerRole {
    /// Everything is water (`water`, `ocean`, `water_polygons`); lines in it are waterways.
    Water,
    /// Everything is land (Protomaps' `earth`, Shortbread's `land`).
    Land,
    /// Land cover or land use, drawn by class (`landcover`, `landuse`, `sites`).
    Cover,
    /// Parks and protected areas, whatever their class.
    Park,
    Waterway,
    Roads,
    Rail,
    Boundaries,
    Places,
    /// A layer the style does not know (tippecanoe names it after the file): its named points
    /// are labelled, its lines and areas left out.
    Other,
    /// Buildings, points of interest, house numbers, the labels of roads and waters (which the
    /// style does not place along lines): left out.
    Ignored,
}

impl LayerRole {
    fn of(name: &str) -> LayerRole {
        match name {
            "water" | "ocean" | "water_polygons" | "lake" | "lakes" | "waterarea"
            | "water_areas" => LayerRole::Water,
            "earth" | "land" => LayerRole::Land,
            "landcover" | "landuse" | "landuse_overlay" | "natural" | "sites" => LayerRole::Cover,
            "park" | "parks" => LayerRole::Park,
            "waterway" | "waterways" | "water_lines" | "rivers" => LayerRole::Waterway,
            "transportation" | "roads" | "road" | "streets" | "street_polygons" => LayerRole::Roads,
            "rail" | "railway" | "railways" => LayerRole::Rail,
            "boundary" | "boundaries" | "admin" | "admin_boundaries" => LayerRole::Boundaries,
            "place" | "places" | "place_label" | "place_labels" | "settlements" | "cities"
            | "towns" => LayerRole::Places,
            "building"
            | "buildings"
            | "housenumber"
            | "addresses"
            | "poi"
            | "pois"
            | "poi_label"
            | "transportation_name"
            | "street_labels"
            | "water_name"
            | "water_label"
            | "water_lines_labels"
            | "water_polygons_labels"
            | "waterway_label"
            | "natural_label"
            | "mountain_peak"
            | "aeroway"
            | "aerodrome_label"
            | "airport_label"
            | "housenumber_label"
            | "building_part"
            | "transit"
            | "transit_stop_label"
            | "motorway_junction"
            | "road_label"
            | "bridges"
            | "dam"
            | "ferries"
            | "pier" => LayerRole::Ignored,
            _ => LayerRole::Other,
        }
    }

    fn class<'t>(tags: &'t Tags<'_>) -> Option<&'t str> {
        tags.first_text(&["kind_detail", "class", "kind", "type", "subclass"])
    }

    fn area(self, tags: &Tags<'_>) -> Option<AreaKind> {
        match self {
            LayerRole::Water => Some(AreaKind::Water),
            LayerRole::Land => Some(AreaKind::Land),
            LayerRole::Cover => ["kind_detail", "subclass", "class", "kind", "type"]
                .iter()
                .filter_map(|k| tags.text(k))
                .find_map(cover_kind),
            LayerRole::Park => Some(AreaKind::Grass),
            _ => None,
        }
    }

    fn line(self, tags: &Tags<'_>) -> Option<LineKind> {
        match self {
            LayerRole::Water | LayerRole::Waterway => Some(LineKind::Waterway),
            LayerRole::Rail => Some(LineKind::Rail),
            LayerRole::Roads => {
                let mut rail = false;
                for key in ["kind_detail", "class", "kind", "highway", "type"] {
                    match tags.text(key).map(road_kind) {
                        Some(Some(kind)) => return Some(kind),
                        Some(None) => {}
                        None => continue,
                    }
                    rail |= tags.text(key).is_some_and(is_rail);
                }
                rail.then_some(LineKind::Rail)
            }
            LayerRole::Boundaries => boundary_kind(tags),
            _ => None,
        }
    }
}

fn cover_kind(class: &str) -> Option<AreaKind> {
    Some(match class {
        "wood" | "forest" | "scrub" | "orchard" => AreaKind::Wood,
        "grass" | "grassland" | "park" | "meadow" | "garden" | "recreation_ground" | "pitch"
        | "golf_course" | "cemetery" | "nature_reserve" | "national_park" | "protected_area"
        | "heath" | "wetland" | "village_green" | "playground" | "allotments" => AreaKind::Grass,
        "farmland" | "farm" | "farmyard" | "agriculture" | "vineyard" | "crop" => {
            AreaKind::Farmland
        }
        "residential" | "commercial" | "retail" | "industrial" | "suburb" | "neighbourhood"
        | "quarter" | "urban_area" | "built_up" | "built-up" | "railway" | "school"
        | "hospital" | "university" | "college" | "military" | "garages" | "brownfield" => {
            AreaKind::Urban
        }
        "sand" | "beach" | "rock" | "bare_rock" | "scree" | "desert" | "quarry" => AreaKind::Bare,
        "ice" | "glacier" => AreaKind::Ice,
        "water" | "lake" | "reservoir" | "basin" | "river" | "riverbank" => AreaKind::Water,
        _ => return None,
    })
}

fn is_rail(class: &str) -> bool {
    matches!(
        class,
        "rail"
            | "major_rail"
            | "minor_rail"
            | "railway"
            | "transit"
            | "light_rail"
            | "narrow_gauge"
    )
}

/// A road's class from any schema's word for it; `None` for what is not a road (rail, ferries).
fn road_kind(class: &str) -> Option<LineKind> {
    let class = class
        .trim_end_matches("_link")
        .trim_end_matches("_construction");
    let road = match class {
        "motorway" | "highway" => RoadClass::Motorway,
        "trunk" => RoadClass::Trunk,
        "primary" | "major_road" => RoadClass::Primary,
        "secondary" => RoadClass::Secondary,
        "tertiary" => RoadClass::Tertiary,
        "minor" | "minor_road" | "street" | "street_limited" | "residential" | "unclassified"
        | "service" | "living_street" | "road" | "busway" | "raceway" => RoadClass::Minor,
        "path" | "track" | "footway" | "cycleway" | "pedestrian" | "steps" | "bridleway"
        | "other" => RoadClass::Path,
        _ => return None,
    };
    Some(LineKind::Road(road))
}

fn boundary_kind(tags: &Tags<'_>) -> Option<LineKind> {
    if tags.truthy("maritime") {
        return None;
    }
    let level = tags.number("admin_level").or_else(|| {
        match tags.first_text(&["kind", "class", "type"])? {
            "country" | "national" => Some(2.0),
            "region" | "state" | "province" => Some(4.0),
            _ => None,
        }
    })?;
    if level > 4.0 {
        return None;
    }
    let disputed = tags.truthy("disputed")
        || tags
            .first_text(&["kind_detail", "kind"])
            .is_some_and(|k| k.contains("disputed"));
    Some(LineKind::Boundary {
        country: level <= 2.0,
        disputed,
    })
}

fn place_class(tags: &Tags<'_>) -> PlaceClass {
    match LayerRole::class(tags).or_else(|| tags.text("place")) {
        Some("country") => PlaceClass::Country,
        Some("state" | "province" | "region") => PlaceClass::Region,
        Some("city" | "capital") => PlaceClass::City,
        Some("town") => PlaceClass::Town,
        Some(
            "village" | "hamlet" | "suburb" | "neighbourhood" | "locality" | "isolated_dwelling",
        ) => PlaceClass::Village,
        // A bare point layer named after its places (`cities`) says what they are only by name.
        None => PlaceClass::City,
        Some(_) => PlaceClass::Other,
    }
}

/// Adds a named point; true if it was one.
fn add_place(
    places: &mut Vec<PlacePoint>,
    role: LayerRole,
    tags: &Tags<'_>,
    [x, y]: [i32; 2],
    scale: f32,
) -> bool {
    if !matches!(role, LayerRole::Places | LayerRole::Other) {
        return false;
    }
    let at = [x as f32 * scale, y as f32 * scale];
    // Points in the tile's buffer belong to the neighbour, which labels them: each place once.
    if !(0.0..1.0).contains(&at[0]) || !(0.0..1.0).contains(&at[1]) {
        return false;
    }
    let mut name = None;
    let mut names = Vec::new();
    for (key, value) in tags.0 {
        let MvtValueRef::String(text) = value else {
            continue;
        };
        let text = text.trim();
        if text.is_empty() {
            continue;
        }
        if key.eq_ignore_ascii_case("name") || key.eq_ignore_ascii_case("NAME") {
            name = Some(text.into());
        } else if let Some(language) = key
            .strip_prefix("name:")
            .or_else(|| key.strip_prefix("name_"))
            .filter(|l| !l.is_empty() && l.len() <= 12)
        {
            names.push((language.into(), text.into()));
        }
    }
    if name.is_none() && names.is_empty() {
        return false;
    }
    let population = ["population", "pop_max", "pop", "POP_MAX"]
        .iter()
        .find_map(|k| tags.number(k))
        .filter(|p| p.is_finite() && *p >= 0.0)
        .map_or(0, |p| p as u64);
    places.push(PlacePoint {
        at,
        class: place_class(tags),
        name,
        names,
        population,
        min_zoom: tags
            .number("min_zoom")
            .filter(|z| z.is_finite())
            .map(|z| z as f32),
    });
    true
}

fn add_line(lines: &mut Vec<Line>, kind: LineKind, line: &LineString<i32>, scale: f32) {
    if line.0.len() < 2 {
        return;
    }
    lines.push(Line {
        kind,
        points: line
            .0
            .iter()
            .map(|c| [c.x as f32 * scale, c.y as f32 * scale])
            .collect(),
    });
}

/// Triangulates a polygon (holes cut out) into `area`.
fn add_polygon(area: &mut Area, polygon: &Polygon<i32>, scale: f32) {
    if polygon.exterior().0.len() < 4 {
        return;
    }
    let ring = |r: &LineString<i32>| -> LineString<f64> {
        r.0.iter()
            .map(|c| (f64::from(c.x), f64::from(c.y)))
            .collect()
    };
    let polygon = Polygon::new(
        ring(polygon.exterior()),
        polygon.interiors().iter().map(ring).collect(),
    );
    let raw = polygon.earcut_triangles_raw();
    let base = area.vertices.len() as u32;
    area.vertices.extend(
        raw.vertices
            .iter()
            .map(|&[x, y]| [x as f32 * scale, y as f32 * scale]),
    );
    area.triangles
        .extend(raw.triangle_indices.iter().map(|&i| base + i as u32));
    debug_assert!(
        area.triangles
            .iter()
            .all(|&i| (i as usize) < area.vertices.len())
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_protobuf_passes_and_gzip_inflates() {
        let plain = b"\x1a\x00";
        assert_eq!(&*inflate(plain).expect("plain"), plain);
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        std::io::Write::write_all(&mut gz, plain).expect("write");
        let gz = gz.finish().expect("finish");
        assert_eq!(&*inflate(&gz).expect("gzip"), plain);
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        std::io::Write::write_all(&mut z, plain).expect("write");
        let z = z.finish().expect("finish");
        assert_eq!(&*inflate(&z).expect("zlib"), plain);
    }

    #[test]
    fn a_bomb_is_refused_at_the_limit() {
        // 64 MB of zeros: 64 KB of gzip, with a trailer that says so.
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        let zeros = vec![0u8; 1 << 20];
        for _ in 0..64 {
            std::io::Write::write_all(&mut gz, &zeros).expect("write");
        }
        let mut bomb = gz.finish().expect("finish");
        assert!(bomb.len() < 200_000);
        assert_eq!(inflate(&bomb), Err(VectorTileError::TooLarge));
        // A trailer that lies (says 100 bytes): inflating stops at the limit all the same.
        let n = bomb.len();
        bomb[n - 4..].copy_from_slice(&100u32.to_le_bytes());
        assert_eq!(inflate(&bomb), Err(VectorTileError::TooLarge));
        // Truncated gzip is corrupt, not a panic.
        assert_eq!(
            inflate(&bomb[..40]),
            Err(VectorTileError::Compression("gzip"))
        );
    }

    #[test]
    fn classes_of_the_common_schemas() {
        assert_eq!(
            road_kind("motorway_link"),
            Some(LineKind::Road(RoadClass::Motorway))
        );
        assert_eq!(
            road_kind("major_road"),
            Some(LineKind::Road(RoadClass::Primary))
        );
        assert_eq!(road_kind("ferry"), None);
        assert_eq!(cover_kind("forest"), Some(AreaKind::Wood));
        assert_eq!(cover_kind("residential"), Some(AreaKind::Urban));
        assert_eq!(LayerRole::of("transportation"), LayerRole::Roads);
        assert_eq!(LayerRole::of("building"), LayerRole::Ignored);
        assert_eq!(LayerRole::of("cities"), LayerRole::Places);
        assert_eq!(LayerRole::of("my_layer"), LayerRole::Other);
    }

    #[test]
    fn garbage_is_an_error() {
        assert!(matches!(
            decode(b"\x1a\xff\xff\xff\xff\x0fjunk"),
            Err(VectorTileError::Protobuf(_))
        ));
        assert!(decode(b"").expect("an empty tile").is_empty());
    }
}
