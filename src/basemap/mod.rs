//! The embedded vector basemap: land, lakes, coastline, rivers and borders from Natural Earth,
//! triangulated once and kept in Web Mercator world units, so the map is never blank — offline, or
//! while tiles load — and drawing a frame is a multiply-add per vertex.
//!
//! Built by `tools/build_basemap.py` into `assets/basemap.json`. Nothing here knows about egui.

use std::sync::OnceLock;

use geo::{LineString, Polygon, TriangulateEarcut};
use serde::Deserialize;

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
}

#[derive(Clone, Debug)]
pub struct Feature {
    pub name: Option<String>,
    pub fills: Vec<Fill>,
    pub lines: Vec<Vec<World>>,
}

#[derive(Clone, Debug)]
pub struct Layer {
    pub id: String,
    pub kind: LayerKind,
    /// Historical layers (the 1994 cease-fire line, the 1991 NKAO outline) are off by default.
    pub historical: bool,
    pub features: Vec<Feature>,
}

#[derive(Clone, Debug)]
pub struct Basemap {
    pub layers: Vec<Layer>,
    pub attribution: String,
}

#[derive(Deserialize)]
struct RawBasemap {
    attribution: String,
    layers: Vec<RawLayer>,
}

#[derive(Deserialize)]
struct RawLayer {
    id: String,
    kind: LayerKind,
    historical: bool,
    features: Vec<RawFeature>,
}

#[derive(Deserialize)]
struct RawFeature {
    name: Option<String>,
    #[serde(default)]
    polygons: Vec<Vec<Vec<[f64; 2]>>>,
    #[serde(default)]
    lines: Vec<Vec<[f64; 2]>>,
}

fn world_line(points: &[[f64; 2]]) -> Vec<World> {
    points
        .iter()
        .map(|[lon, lat]| World::from_lon_lat(*lon, *lat))
        .collect()
}

/// Triangulates a polygon (exterior and holes) in lon/lat, then projects the vertices: Mercator
/// keeps the triangles' orientation, so the triangulation stays valid.
pub fn triangulate(rings: &[Vec<[f64; 2]>]) -> Fill {
    let Some((exterior, holes)) = rings.split_first() else {
        return Fill::default();
    };
    let ring = |points: &Vec<[f64; 2]>| {
        LineString::from(points.iter().map(|&[x, y]| (x, y)).collect::<Vec<_>>())
    };
    let polygon = Polygon::new(ring(exterior), holes.iter().map(ring).collect());
    let raw = polygon.earcut_triangles_raw();
    Fill {
        vertices: raw
            .vertices
            .iter()
            .map(|[lon, lat]| World::from_lon_lat(*lon, *lat))
            .collect(),
        triangles: raw.triangle_indices.iter().map(|&i| i as u32).collect(),
        rings: rings.iter().map(|r| world_line(r)).collect(),
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
                features: layer
                    .features
                    .into_iter()
                    .map(|f| Feature {
                        name: f.name,
                        fills: f.polygons.iter().map(|p| triangulate(p)).collect(),
                        lines: f.lines.iter().map(|l| world_line(l)).collect(),
                    })
                    .collect(),
            })
            .collect();
        Ok(Basemap {
            layers,
            attribution: raw.attribution,
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
