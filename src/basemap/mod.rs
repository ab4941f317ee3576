//! The embedded vector basemap: the whole world's land and country borders at 1:110m and 1:50m,
//! and over them the Caucasus at 1:10m — land, lakes, coastline, rivers and borders — all from
//! Natural Earth, triangulated once and kept in Web Mercator world units, so the map is never
//! blank anywhere — offline, or while tiles load — and drawing a frame is a multiply-add per vertex.
//!
//! Built by `tools/build_basemap.py` into `assets/basemap.json`. Nothing here knows about egui.

mod countries;

use std::sync::OnceLock;

use geo::{LineString, Polygon, TriangulateEarcut};
use serde::Deserialize;

pub use countries::{Countries, Country};

/// Web Mercator world coordinates: x east and y south, both in [0, 1] over the whole world.
#[derive(Copy, Clone, PartialEq, Debug)]
pub struct World {
    pub x: f64,
    pub y: f64,
}

/// The latitude Web Mercator stops at.
const MAX_LAT: f64 = 85.051_128_78;

impl World {
    pub fn from_lon_lat(lon: f64, lat: f64) -> World {
        let lat = lat.clamp(-MAX_LAT, MAX_LAT).to_radians();
        World {
            x: (lon + 180.0) / 360.0,
            y: (1.0 - lat.tan().asinh() / std::f64::consts::PI) / 2.0,
        }
    }

    pub fn to_lon_lat(self) -> (f64, f64) {
        let lon = self.x * 360.0 - 180.0;
        let lat = (std::f64::consts::PI * (1.0 - 2.0 * self.y))
            .sinh()
            .atan()
            .to_degrees();
        (lon, lat)
    }
}

/// An axis-aligned box in world coordinates, for skipping what lies out of view.
#[derive(Copy, Clone, PartialEq, Debug)]
pub struct Bounds {
    pub min: World,
    pub max: World,
}

impl Bounds {
    /// The smallest box around `points`; an empty box (min > max) for none.
    pub fn of<'a>(points: impl IntoIterator<Item = &'a World>) -> Bounds {
        let mut b = Bounds {
            min: World {
                x: f64::INFINITY,
                y: f64::INFINITY,
            },
            max: World {
                x: f64::NEG_INFINITY,
                y: f64::NEG_INFINITY,
            },
        };
        for p in points {
            b.min.x = b.min.x.min(p.x);
            b.min.y = b.min.y.min(p.y);
            b.max.x = b.max.x.max(p.x);
            b.max.y = b.max.y.max(p.y);
        }
        b
    }

    /// The box from west, south, east, north in degrees.
    pub fn from_degrees([west, south, east, north]: [f64; 4]) -> Bounds {
        let (a, b) = (
            World::from_lon_lat(west, north),
            World::from_lon_lat(east, south),
        );
        Bounds { min: a, max: b }
    }

    pub fn intersects(&self, other: &Bounds) -> bool {
        self.min.x <= other.max.x
            && other.min.x <= self.max.x
            && self.min.y <= other.max.y
            && other.min.y <= self.max.y
    }
}

impl Default for Bounds {
    fn default() -> Bounds {
        Bounds::of(&[])
    }
}

/// How a layer is drawn.
#[derive(Copy, Clone, PartialEq, Eq, Debug, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LayerKind {
    Fill,
    Line,
}

/// A filled area, triangulated.
#[derive(Clone, Debug, Default)]
pub struct Fill {
    pub vertices: Vec<World>,
    /// Triples of indices into `vertices`.
    pub triangles: Vec<u32>,
    /// The outlines, for strokes.
    pub rings: Vec<Vec<World>>,
    pub bounds: Bounds,
}

/// A polyline with its box.
#[derive(Clone, Debug)]
pub struct Line {
    pub points: Vec<World>,
    pub bounds: Bounds,
}

impl Line {
    fn new(points: Vec<World>) -> Line {
        Line {
            bounds: Bounds::of(&points),
            points,
        }
    }
}

#[derive(Clone, Debug)]
pub struct Feature {
    pub name: Option<String>,
    pub fills: Vec<Fill>,
    pub lines: Vec<Line>,
}

#[derive(Clone, Debug)]
pub struct Layer {
    pub id: String,
    pub kind: LayerKind,
    /// Historical layers (the 1994 cease-fire line, the 1991 NKAO outline) are off by default.
    pub historical: bool,
    /// The zooms it is drawn at, from inclusive, to exclusive: the world comes at two scales.
    pub zooms: (f64, f64),
    pub features: Vec<Feature>,
}

impl Layer {
    /// A layer of the whole world, drawn under the detailed box rather than beside it.
    pub fn is_world(&self) -> bool {
        self.id.starts_with("world_")
    }

    pub fn drawn_at(&self, zoom: f64) -> bool {
        self.zooms.0 <= zoom && zoom < self.zooms.1
    }
}

#[derive(Clone, Debug)]
pub struct Basemap {
    pub layers: Vec<Layer>,
    pub attribution: String,
    /// The box the detailed (non-world) layers cover; outside it only the world layers know
    /// where land is.
    pub detail_bounds: Bounds,
}

#[derive(Deserialize)]
struct RawBasemap {
    attribution: String,
    caucasus_box: [f64; 4],
    layers: Vec<RawLayer>,
}

#[derive(Deserialize)]
struct RawLayer {
    id: String,
    kind: LayerKind,
    historical: bool,
    #[serde(default)]
    zoom: Option<[f64; 2]>,
    features: Vec<RawFeature>,
}

#[derive(Deserialize)]
struct RawFeature {
    name: Option<String>,
    #[serde(default)]
    polygons: Vec<Vec<Vec<[f64; 2]>>>,
    #[serde(default)]
    lines: Vec<Vec<[f64; 2]>>,
    /// One polygon's rings, packed (see [`unpack_e3`]).
    #[serde(default)]
    rings_e3: Vec<Vec<i32>>,
    /// Lines, packed (see [`unpack_e3`]).
    #[serde(default)]
    lines_e3: Vec<Vec<i32>>,
}

/// A ring or line as the generator packs the world layers: thousandths of a degree, the first
/// point absolute and each later one the difference from the one before.
fn unpack_e3(packed: &[i32]) -> Vec<[f64; 2]> {
    debug_assert!(
        packed.len().is_multiple_of(2),
        "packed points come in pairs"
    );
    let (mut lon, mut lat) = (0i64, 0i64);
    packed
        .chunks_exact(2)
        .map(|pair| {
            lon += i64::from(pair[0]);
            lat += i64::from(pair[1]);
            [lon as f64 / 1000.0, lat as f64 / 1000.0]
        })
        .collect()
}

fn world_line(points: &[[f64; 2]]) -> Vec<World> {
    points
        .iter()
        .map(|[lon, lat]| World::from_lon_lat(*lon, *lat))
        .collect()
}

/// Projects a polygon (exterior and holes) from lon/lat and triangulates it where it is drawn, in
/// Mercator: a continent's long triangles made in degrees would bulge out of it once projected.
pub fn triangulate(rings: &[Vec<[f64; 2]>]) -> Fill {
    let rings: Vec<Vec<World>> = rings.iter().map(|r| world_line(r)).collect();
    let Some((exterior, holes)) = rings.split_first() else {
        return Fill::default();
    };
    let ring = |points: &Vec<World>| {
        LineString::from(points.iter().map(|w| (w.x, w.y)).collect::<Vec<_>>())
    };
    let polygon = Polygon::new(ring(exterior), holes.iter().map(ring).collect());
    let raw = polygon.earcut_triangles_raw();
    Fill {
        vertices: raw.vertices.iter().map(|&[x, y]| World { x, y }).collect(),
        triangles: raw.triangle_indices.iter().map(|&i| i as u32).collect(),
        bounds: Bounds::of(exterior),
        rings,
    }
}

impl Basemap {
    pub fn from_json(text: &str) -> Result<Basemap, serde_json::Error> {
        let raw: RawBasemap = serde_json::from_str(text)?;
        let layers = raw
            .layers
            .into_iter()
            .map(|layer| Layer {
                id: layer.id,
                kind: layer.kind,
                historical: layer.historical,
                zooms: layer
                    .zoom
                    .map_or((f64::NEG_INFINITY, f64::INFINITY), |[from, to]| (from, to)),
                features: layer
                    .features
                    .into_iter()
                    .map(|f| {
                        let mut fills: Vec<Fill> =
                            f.polygons.iter().map(|p| triangulate(p)).collect();
                        if !f.rings_e3.is_empty() {
                            let rings: Vec<_> = f.rings_e3.iter().map(|r| unpack_e3(r)).collect();
                            fills.push(triangulate(&rings));
                        }
                        let lines = f
                            .lines
                            .iter()
                            .map(|l| world_line(l))
                            .chain(f.lines_e3.iter().map(|l| world_line(&unpack_e3(l))))
                            .map(Line::new)
                            .collect();
                        Feature {
                            name: f.name,
                            fills,
                            lines,
                        }
                    })
                    .collect(),
            })
            .collect();
        Ok(Basemap {
            layers,
            attribution: raw.attribution,
            detail_bounds: Bounds::from_degrees(raw.caucasus_box),
        })
    }

    /// The basemap compiled into the binary.
    pub fn embedded() -> &'static Basemap {
        static EMBEDDED: OnceLock<Basemap> = OnceLock::new();
        EMBEDDED.get_or_init(|| {
            Basemap::from_json(include_str!("../../assets/basemap.json"))
                .expect("the embedded basemap is valid (tested)")
        })
    }

    pub fn layer(&self, id: &str) -> Option<&Layer> {
        self.layers.iter().find(|l| l.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mercator_round_trips() {
        let w = World::from_lon_lat(45.83, 40.09);
        let (lon, lat) = w.to_lon_lat();
        assert!((lon - 45.83).abs() < 1e-9 && (lat - 40.09).abs() < 1e-9);
        let origin = World::from_lon_lat(0.0, 0.0);
        assert!((origin.x - 0.5).abs() < 1e-12 && (origin.y - 0.5).abs() < 1e-12);
    }

    #[test]
    fn embedded_basemap_has_every_layer() {
        let basemap = Basemap::embedded();
        for id in [
            "land",
            "lakes",
            "coastline",
            "rivers",
            "borders",
            "ceasefire_1994",
            "nkao_1991",
        ] {
            let layer = basemap.layer(id).unwrap_or_else(|| panic!("{id} missing"));
            assert!(!layer.features.is_empty(), "{id} is empty");
            assert_eq!(
                layer.historical,
                id == "ceasefire_1994" || id == "nkao_1991"
            );
        }
        let land = basemap.layer("land").expect("land");
        let triangles: usize = land
            .features
            .iter()
            .flat_map(|f| &f.fills)
            .map(|f| f.triangles.len() / 3)
            .sum();
        assert!(triangles > 100, "land is triangulated: {triangles}");
        let lakes = basemap.layer("lakes").expect("lakes");
        assert!(
            lakes
                .features
                .iter()
                .any(|f| f.name.as_deref() == Some("Lake Sevan"))
        );
        let rivers: Vec<_> = basemap
            .layer("rivers")
            .expect("rivers")
            .features
            .iter()
            .filter_map(|f| f.name.clone())
            .collect();
        assert!(
            rivers.contains(&"Aras".to_owned()) && rivers.contains(&"Kura".to_owned()),
            "{rivers:?}"
        );
    }

    /// Whether a lon/lat point lies in one of a fill layer's triangles.
    fn covered(layer: &Layer, lon: f64, lat: f64) -> bool {
        let p = World::from_lon_lat(lon, lat);
        let side = |a: World, b: World| (b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x);
        layer.features.iter().flat_map(|f| &f.fills).any(|fill| {
            fill.triangles.chunks_exact(3).any(|t| {
                let [a, b, c] = [0, 1, 2].map(|k| fill.vertices[t[k] as usize]);
                let (d1, d2, d3) = (side(a, b), side(b, c), side(c, a));
                (d1 >= 0.0 && d2 >= 0.0 && d3 >= 0.0) || (d1 <= 0.0 && d2 <= 0.0 && d3 <= 0.0)
            })
        })
    }

    #[test]
    fn the_world_has_land_and_sea_at_every_zoom() {
        let basemap = Basemap::embedded();
        for zoom in [0.0, 2.0, 3.5, 6.0, 11.0, 19.0] {
            let drawn: Vec<&Layer> = basemap
                .layers
                .iter()
                .filter(|l| l.is_world() && l.drawn_at(zoom))
                .collect();
            let land = drawn
                .iter()
                .find(|l| l.kind == LayerKind::Fill)
                .unwrap_or_else(|| panic!("no world land at zoom {zoom}"));
            assert!(
                drawn.iter().any(|l| l.kind == LayerKind::Line),
                "no world borders at zoom {zoom}"
            );
            // Damascus, Baghdad, Kyiv, Bogotá: land far from the Caucasus.
            for (lon, lat) in [(36.3, 33.5), (44.4, 33.3), (30.5, 50.4), (-74.1, 4.7)] {
                assert!(covered(land, lon, lat), "{} at {lon},{lat}", land.id);
            }
            // The Mediterranean, the Atlantic, the Caspian east of the detailed box.
            for (lon, lat) in [(18.0, 34.0), (-30.0, 30.0), (51.5, 41.0)] {
                assert!(!covered(land, lon, lat), "{} at {lon},{lat}", land.id);
            }
        }
        // Every world polygon is triangulated whole and no more: the triangles' area is the
        // polygon's, up to the slivers where a
        // small island's simplified ring touches itself (a ring left joined across the
        // antimeridian would double it).
        let ring_area = |r: &[World]| {
            r.windows(2)
                .map(|w| w[0].x * w[1].y - w[1].x * w[0].y)
                .sum::<f64>()
                .abs()
                / 2.0
        };
        for layer in basemap.layers.iter().filter(|l| l.is_world()) {
            for fill in layer.features.iter().flat_map(|f| &f.fills) {
                let triangles: f64 = fill
                    .triangles
                    .chunks_exact(3)
                    .map(|t| {
                        let [a, b, c] = [0, 1, 2].map(|k| fill.vertices[t[k] as usize]);
                        ((b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x)).abs() / 2.0
                    })
                    .sum();
                let (exterior, holes) = fill.rings.split_first().expect("a ring");
                let polygon = ring_area(exterior) - holes.iter().map(|h| ring_area(h)).sum::<f64>();
                assert!(
                    (triangles - polygon).abs() <= 0.02 * polygon,
                    "{}: triangles {triangles} vs polygon {polygon}",
                    layer.id
                );
                assert!(fill.bounds.min.x >= 0.0 && fill.bounds.max.x <= 1.0);
            }
        }
        // The detailed Caucasus is drawn over the world inside its box.
        let detail = basemap.detail_bounds;
        let (west, north) = detail.min.to_lon_lat();
        let (east, south) = detail.max.to_lon_lat();
        assert!((west - 43.0).abs() < 1e-6 && (east - 51.0).abs() < 1e-6);
        assert!((south - 37.0).abs() < 1e-6 && (north - 43.0).abs() < 1e-6);
    }

    #[test]
    fn packed_lines_unpack_to_degrees() {
        assert_eq!(
            unpack_e3(&[45_830, 40_090, 1, -2, -1, 2]),
            vec![[45.83, 40.09], [45.831, 40.088], [45.83, 40.09]]
        );
    }

    #[test]
    fn triangles_cover_the_polygon_area() {
        // A unit square with a hole of a quarter of its area: triangles cover three quarters.
        let outer = vec![[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0], [0.0, 0.0]];
        let hole = vec![
            [0.25, 0.25],
            [0.75, 0.25],
            [0.75, 0.75],
            [0.25, 0.75],
            [0.25, 0.25],
        ];
        let fill = triangulate(&[outer, hole]);
        assert_eq!(fill.triangles.len() % 3, 0);
        assert!(
            fill.triangles
                .iter()
                .all(|&i| (i as usize) < fill.vertices.len())
        );
        assert_eq!(fill.rings.len(), 2);
    }
}
