//! Vector tile files as the basemap: MBTiles and PMTiles of Mapbox Vector Tiles (gzip or not)
//! drawn with the built-in style in the window and in exports. A tile is generated here (a land
//! polygon, a water and a wood polygon, a motorway, a disputed border, a place with `name:en`,
//! `name:az` and `name:hy`, and a building layer the style leaves out) and stored in both
//! containers; the real `world_cities.mbtiles` fixture (tippecanoe, one `cities` layer) is
//! drawn too. Corrupt tiles and decompression bombs are refused with a reason, never a panic.

mod common;

use std::path::Path;
use std::time::Duration;

use claimmap::testing::{
    BasemapChoice, LayerOptions, MAX_INFLATED_BYTES, Settings, TileLayer, VectorTileError, View,
    World, road_colour, vector_tiles,
};
use claimmap::{MbTiles, TileFormat, ViewerApp};
use common::claimmap;
use fast_mvt::{DEFAULT_EXTENT, MvtFeature, MvtGeometry, MvtLayer, MvtTile, MvtValue};
use geo::{LineString, Point, Polygon};

/// The tile the generated files hold: zoom 6, over the middle Caspian (lon 50.6–56.3, lat
/// 36.6–41.0), where the gazetteer labels nothing at zoom 7 that could take the place's room.
const TILE: (u8, u32, u32) = (6, 41, 24);
/// Where the tile's place is, as fractions of the tile.
const PLACE: (f32, f32) = (0.7, 0.62);
/// The map centred on the tile's middle at zoom 7: the tile is 512 px wide there, from x −16
/// and y −96 of a 480×320 figure.
const CENTRE: (f64, f64) = (38.8175, 53.4375);
const ZOOM: f64 = 7.0;

/// A tile's fraction (u, v) where a 480×320 figure at [`CENTRE`] and [`ZOOM`] shows it.
fn pixel(u: f32, v: f32) -> (u32, u32) {
    ((-16.0 + 512.0 * u) as u32, (-96.0 + 512.0 * v) as u32)
}

fn square(u0: f32, v0: f32, u1: f32, v1: f32) -> MvtGeometry {
    let e = DEFAULT_EXTENT.get() as f32;
    let c = |u: f32, v: f32| ((u * e) as i32, (v * e) as i32);
    Polygon::new(
        LineString::from(vec![c(u0, v0), c(u1, v0), c(u1, v1), c(u0, v1), c(u0, v0)]),
        vec![],
    )
    .into()
}

fn at(u: f32, v: f32) -> (i32, i32) {
    let e = DEFAULT_EXTENT.get() as f32;
    ((u * e) as i32, (v * e) as i32)
}

fn layer(name: &str, features: Vec<MvtFeature>) -> MvtLayer {
    let mut layer = MvtLayer::new(name, DEFAULT_EXTENT);
    for f in features {
        layer.add_feature(f);
    }
    layer
}

fn feature(geometry: MvtGeometry, tags: &[(&str, MvtValue)]) -> MvtFeature {
    let mut f = MvtFeature::new(geometry);
    for (k, v) in tags {
        f.add_tag(*k, v.clone());
    }
    f
}

fn text(s: &str) -> MvtValue {
    MvtValue::String(s.to_owned())
}

/// The place's names: a local one, English, Azerbaijani and Armenian.
const NAMES: [(&str, &str); 4] = [
    ("name", "Vektorkənd"),
    ("name:en", "Vectorton"),
    ("name:az", "Vektorkənd"),
    ("name:hy", "Վեկտորավան"),
];

/// The generated tile's protobuf (OpenMapTiles' layer names, Protomaps' `earth` for land).
fn generated_tile() -> Vec<u8> {
    let mut tile = MvtTile::new();
    tile.add_layer(layer(
        "earth",
        vec![feature(square(0.0, 0.0, 1.0, 1.0), &[])],
    ));
    tile.add_layer(layer(
        "water",
        vec![feature(
            square(0.05, 0.25, 0.45, 0.5),
            &[("class", text("lake"))],
        )],
    ));
    tile.add_layer(layer(
        "landcover",
        vec![feature(
            square(0.05, 0.55, 0.45, 0.8),
            &[("class", text("wood"))],
        )],
    ));
    tile.add_layer(layer(
        "transportation",
        vec![feature(
            LineString::from(vec![at(0.55, 0.45), at(0.95, 0.45)]).into(),
            &[("class", text("motorway"))],
        )],
    ));
    tile.add_layer(layer(
        "boundary",
        vec![feature(
            LineString::from(vec![at(0.5, 0.05), at(0.5, 0.3)]).into(),
            &[
                ("admin_level", MvtValue::Int(2)),
                ("disputed", MvtValue::Int(1)),
            ],
        )],
    ));
    let names: Vec<(&str, MvtValue)> = NAMES
        .iter()
        .map(|(k, v)| (*k, text(v)))
        .chain([("class", text("town"))])
        .collect();
    tile.add_layer(layer(
        "place",
        vec![feature(
            Point::new(at(PLACE.0, PLACE.1).0, at(PLACE.0, PLACE.1).1).into(),
            &names,
        )],
    ));
    tile.add_layer(layer(
        "building",
        vec![feature(square(0.6, 0.6, 0.62, 0.62), &[])],
    ));
    tile.encode().expect("encodes")
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut gz, bytes).expect("write");
    gz.finish().expect("finish")
}

/// A tile's zoom, column and row (XYZ).
type TileAt = (u8, u32, u32);

/// An MBTiles file of vector tiles: the generated tile at [`TILE`] (gzipped when asked), and any
/// `others` at (zoom, x, y) with their bytes.
fn vector_mbtiles(path: &Path, gzipped: bool, others: &[(TileAt, Vec<u8>)]) {
    let db = rusqlite::Connection::open(path).expect("create");
    db.execute_batch(
        "CREATE TABLE metadata (name TEXT, value TEXT);
         CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB);
         INSERT INTO metadata VALUES ('name', 'Generated'), ('format', 'pbf'),
             ('attribution', 'Test vector tiles'), ('minzoom', '6'), ('maxzoom', '6');",
    )
    .expect("schema");
    let tile = generated_tile();
    let tile = if gzipped { gzip(&tile) } else { tile };
    for ((z, x, y), bytes) in std::iter::once((TILE, tile)).chain(others.iter().cloned()) {
        let row = (1u32 << z) - 1 - y;
        db.execute(
            "INSERT INTO tiles VALUES (?1, ?2, ?3, ?4)",
            rusqlite::params![z, x, row, bytes],
        )
        .expect("tile");
    }
}

/// A PMTiles archive of the generated tile, gzipped as PMTiles vector archives usually are.
fn vector_pmtiles(path: &Path) {
    let file = std::fs::File::create(path).expect("create");
    let mut writer = pmtiles::PmTilesWriter::new(pmtiles::TileType::Mvt)
        .tile_compression(pmtiles::Compression::Gzip)
        .min_zoom(6)
        .max_zoom(6)
        .metadata(r#"{"name":"Generated archive","attribution":"Test vector archive"}"#)
        .create(file)
        .expect("writer");
    let (z, x, y) = TILE;
    writer
        .add_raw_tile(
            pmtiles::TileCoord::new(z, x, y).expect("coord"),
            &gzip(&generated_tile()),
        )
        .expect("tile");
    writer.finalize().expect("finalize");
}

#[test]
fn a_generated_tile_decodes_into_the_styles_features() {
    use vector_tiles::{AreaKind, LineKind, PlaceClass, RoadClass};
    for bytes in [generated_tile(), gzip(&generated_tile())] {
        let tile = vector_tiles::decode(&bytes).expect("decodes");
        let kinds: Vec<AreaKind> = tile.areas.iter().map(|(k, _)| *k).collect();
        assert_eq!(kinds, [AreaKind::Land, AreaKind::Wood, AreaKind::Water]);
        for (_, area) in &tile.areas {
            assert!(area.triangles.len() >= 6 && area.triangles.len() % 3 == 0);
        }
        let lines: Vec<LineKind> = tile.lines.iter().map(|l| l.kind).collect();
        assert_eq!(
            lines,
            [
                LineKind::Road(RoadClass::Motorway),
                LineKind::Boundary {
                    country: true,
                    disputed: true
                }
            ]
        );
        assert_eq!(tile.places.len(), 1);
        let place = &tile.places[0];
        assert_eq!(place.class, PlaceClass::Town);
        assert_eq!(place.name.as_deref(), Some("Vektorkənd"));
        assert_eq!(place.name_in("en"), Some("Vectorton"));
        assert_eq!(place.name_in("hy"), Some("Վեկտորավան"));
        assert!((place.at[0] - PLACE.0).abs() < 1e-3 && (place.at[1] - PLACE.1).abs() < 1e-3);
        assert_eq!(tile.unstyled_layers, ["building"]);
        assert_eq!(tile.bad_features, 0);
    }
}

#[test]
fn corrupt_tiles_and_bombs_are_refused_with_a_reason() {
    // Bytes that are no protobuf.
    let garbage = vector_tiles::decode(b"\x1a\xff\xff\xff\xff\x0f not a tile");
    assert!(
        matches!(&garbage, Err(VectorTileError::Protobuf(_))),
        "{garbage:?}"
    );
    // A gzip stream cut short.
    let gz = gzip(&generated_tile());
    let cut = vector_tiles::decode(&gz[..gz.len() / 2]).expect_err("cut");
    assert_eq!(cut.to_string(), "gzip data is corrupt");
    // A bomb: 100 MB of zeros in 100 KB, refused at the limit, not inflated whole.
    let bomb = gzip(&vec![0u8; 100 << 20]);
    assert!(bomb.len() < 200 << 10);
    let refused = vector_tiles::decode(&bomb).expect_err("a bomb");
    assert_eq!(refused, VectorTileError::TooLarge);
    assert!(
        refused
            .to_string()
            .contains(&MAX_INFLATED_BYTES.to_string())
    );
}

/// Decoded tiles are bounded by count, the least recently drawn dropped, as raster ones are.
#[test]
fn decoded_vector_tiles_in_memory_are_bounded() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("many.mbtiles");
    // The generated tile at every one of zoom 6's 4,096 places would take long; 64 of them.
    let others: Vec<_> = (0..8u32)
        .flat_map(|x| (0..8u32).map(move |y| ((6u8, x, y), gzip(&generated_tile()))))
        .collect();
    vector_mbtiles(&path, true, &others);
    let ctx = egui::Context::default();
    let options = LayerOptions {
        deeper: 0,
        memory_tiles: 16,
    };
    let mut layer = TileLayer::open(&BasemapChoice::File(path), true, &ctx, options)
        .expect("opens")
        .expect("a layer");
    let vector = layer.vector().expect("a vector layer");
    // Each view one tile wide, walked over the 64 tiles twice.
    for _ in 0..2 {
        for x in 0..8u32 {
            for y in 0..8u32 {
                let (w0, w1) = ((x as f64 + 0.4) / 64.0, (y as f64 + 0.4) / 64.0);
                let view = claimmap::testing::Bounds::of(&[
                    World { x: w0, y: w1 },
                    World {
                        x: w0 + 0.1 / 64.0,
                        y: w1 + 0.1 / 64.0,
                    },
                ]);
                let drawn = vector.tiles_for(&view, 7.0);
                assert_eq!(drawn.len(), 1);
                assert!(vector.held().0 <= 16, "{:?}", vector.held());
            }
        }
    }
    assert_eq!(vector.held().0, 16);
    assert!(layer.problem().is_none(), "{:?}", layer.problem());
}

#[test]
fn the_world_cities_fixture_is_a_vector_file_that_draws() {
    let path = common::fixture("mbtiles/world_cities.mbtiles");
    let file = MbTiles::open(&path).expect("opens");
    assert_eq!(file.format, TileFormat::Vector);
    assert_eq!((file.min_zoom, file.max_zoom), (0, 6));
    let tile = vector_tiles::decode(&file.tile(0, 0, 0).expect("reads").expect("zoom 0"))
        .expect("decodes");
    let names: Vec<&str> = tile
        .places
        .iter()
        .filter_map(|p| p.name.as_deref())
        .collect();
    assert_eq!(names.len(), 68, "{names:?}");
    assert!(
        names.contains(&"London") && names.contains(&"Moscow"),
        "{names:?}"
    );
    // In the window over Europe: London labelled from the tiles (the gazetteer does not know it).
    let settings = Settings {
        view: Some(View {
            lat: 51.5,
            lon: 0.0,
            zoom: 5.0,
        }),
        ..common::window::offline(BasemapChoice::File(path))
    };
    let app = ViewerApp::from_loaded(Vec::new(), Vec::new(), settings);
    let mut harness = common::window::build(app, egui::vec2(1200.0, 800.0));
    harness.run();
    let output = harness.state().last_output();
    assert!(output.tiles_drawn > 0);
    assert!(
        output.basemap_labels.iter().any(|l| l == "London"),
        "{:?}",
        output.basemap_labels
    );
    let label = harness.state().tile_layer().map(|l| l.label());
    assert_eq!(
        label.as_deref(),
        Some("MBTiles (vector): world_cities.mbtiles")
    );
}

struct Export {
    image: image::RgbaImage,
    stderr: String,
}

/// `claimmap export` over `tiles` at [`CENTRE`] and [`ZOOM`], with the naming given, of one
/// incident in Yerevan, off the figure (the map alone is compared).
fn export(dir: &Path, tiles: &Path, naming: &str, name: &str) -> Export {
    export_sized(dir, tiles, naming, name, "480x320")
}

fn export_sized(dir: &Path, tiles: &Path, naming: &str, name: &str, size: &str) -> Export {
    let out = dir.join(name);
    let data = dir.join("yerevan.geojson");
    std::fs::write(
        &data,
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","id":"y1",
            "geometry":{"type":"Point","coordinates":[44.51,40.18]},
            "properties":{"date":"2021-05-26","name":"Off the map"}}]}"#,
    )
    .expect("dataset");
    let output = claimmap()
        .arg("export")
        .arg(&data)
        .args([
            "--center",
            &format!("{},{}", CENTRE.0, CENTRE.1),
            "--zoom",
            &ZOOM.to_string(),
            "--size",
            size,
            "--bare",
            "--no-districts",
            "--generated",
            "2026-11-30T10:00:00Z",
            "--naming",
            naming,
            "--tiles",
        ])
        .arg(tiles)
        .arg("--out")
        .arg(&out)
        .timeout(Duration::from_secs(120))
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    Export {
        image: image::open(&out).expect("a png").to_rgba8(),
        stderr,
    }
}

fn near(
    image: &image::RgbaImage,
    (x, y): (u32, u32),
    colour: egui::Color32,
    tolerance: u8,
) -> bool {
    let p = image.get_pixel(x, y).0;
    let c = [colour.r(), colour.g(), colour.b()];
    (0..3).all(|i| p[i].abs_diff(c[i]) <= tolerance)
}

/// Pixels of the label box right of the place's dot that are dark (text).
fn label_pixels(image: &image::RgbaImage) -> Vec<(u32, u32)> {
    let (x0, y0) = pixel(PLACE.0, PLACE.1);
    let mut dark = Vec::new();
    for y in y0.saturating_sub(12)..(y0 + 12).min(image.height()) {
        for x in x0 + 8..image.width() {
            if image.get_pixel(x, y).0[..3].iter().all(|&c| c < 110) {
                dark.push((x, y));
            }
        }
    }
    dark
}

/// The share of a box of the tile (fractions) whose pixels are `colour`.
fn share(
    image: &image::RgbaImage,
    (u0, v0): (f32, f32),
    (u1, v1): (f32, f32),
    colour: egui::Color32,
) -> f64 {
    let ((x0, y0), (x1, y1)) = (pixel(u0, v0), pixel(u1, v1));
    let mut hits = 0;
    for y in y0..y1 {
        for x in x0..x1 {
            hits += usize::from(near(image, (x, y), colour, 2));
        }
    }
    hits as f64 / ((x1 - x0) * (y1 - y0)) as f64
}

fn assert_drawn(e: &Export) {
    let water = egui::Color32::from_rgb(0xb7, 0xd3, 0xe9);
    let land = egui::Color32::from_rgb(0xf2, 0xee, 0xe4);
    let wood = egui::Color32::from_rgb(0xd5, 0xe3, 0xc5);
    // Inside the polygons, away from their edges.
    let lake = share(&e.image, (0.1, 0.3), (0.4, 0.45), water);
    assert!(lake > 0.95, "water covers {lake}");
    let forest = share(&e.image, (0.1, 0.6), (0.4, 0.75), wood);
    assert!(forest > 0.95, "wood covers {forest}");
    // The earth polygon covers the sea where neither is.
    let earth = share(&e.image, (0.55, 0.55), (0.65, 0.65), land);
    assert!(earth > 0.95, "land covers {earth}");
    // The motorway: some pixel across its line has its colour.
    let (x, y) = pixel(0.75, 0.45);
    let motorway = road_colour(vector_tiles::RoadClass::Motorway);
    assert!(
        (y - 2..=y + 2).any(|y| near(&e.image, (x, y), motorway, 24)),
        "no motorway at x {x} around y {y}: {:?}",
        (y - 2..=y + 2)
            .map(|y| e.image.get_pixel(x, y).0)
            .collect::<Vec<_>>()
    );
    assert!(!label_pixels(&e.image).is_empty(), "no label text");
}

#[test]
fn an_export_of_a_generated_mbtiles_draws_water_roads_and_the_named_place() {
    let dir = tempfile::tempdir().expect("tempdir");
    for gzipped in [true, false] {
        let tiles = dir.path().join(format!("generated-{gzipped}.mbtiles"));
        vector_mbtiles(&tiles, gzipped, &[]);
        let english = export(dir.path(), &tiles, "en", "en.png");
        assert_drawn(&english);
        assert!(
            english.stderr.is_empty() || !english.stderr.contains("warning"),
            "{}",
            english.stderr
        );
        // The same map under Armenian names differs only where the label is.
        let armenian = export(dir.path(), &tiles, "hy", "hy.png");
        assert_drawn(&armenian);
        assert_ne!(label_pixels(&english.image), label_pixels(&armenian.image));
        let (px, _) = pixel(PLACE.0, PLACE.1);
        let differ = english
            .image
            .enumerate_pixels()
            .filter(|(x, y, p)| **p != *armenian.image.get_pixel(*x, *y) && *x < px - 60)
            .count();
        assert_eq!(differ, 0, "only the label changes");
    }
}

#[test]
fn an_export_of_a_generated_pmtiles_draws_the_same_map() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mbtiles = dir.path().join("generated.mbtiles");
    vector_mbtiles(&mbtiles, true, &[]);
    let pmtiles = dir.path().join("generated.pmtiles");
    vector_pmtiles(&pmtiles);
    let from_archive = export(dir.path(), &pmtiles, "az", "pm.png");
    assert_drawn(&from_archive);
    let from_sqlite = export(dir.path(), &mbtiles, "az", "mb.png");
    // The maps are the same pixels but for the credit in the bottom corner (each file's own).
    let differing: Vec<(u32, u32)> = from_archive
        .image
        .enumerate_pixels()
        .filter(|(x, y, p)| **p != *from_sqlite.image.get_pixel(*x, *y))
        .map(|(x, y, _)| (x, y))
        .collect();
    assert!(!differing.is_empty(), "the credits differ");
    assert!(
        differing.iter().all(|&(_, y)| y >= 295),
        "{:?}",
        &differing[..differing.len().min(5)]
    );
}

#[test]
fn a_file_with_a_bad_tile_draws_the_rest_and_says_why() {
    let dir = tempfile::tempdir().expect("tempdir");
    let tiles = dir.path().join("bad.mbtiles");
    // West of the generated tile: a bomb; east of it: garbage.
    let bomb = gzip(&vec![0u8; 64 << 20]);
    vector_mbtiles(
        &tiles,
        true,
        &[
            ((6, 40, 24), bomb),
            ((6, 42, 24), b"\x1f\x8bnot gzip at all".to_vec()),
        ],
    );
    // Wide enough to show the three tiles side by side.
    let out = export_sized(dir.path(), &tiles, "en", "bad.png", "1504x320");
    assert!(
        out.stderr.contains("warning: 2 tiles not drawn"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("decompression bomb"), "{}", out.stderr);
    // The good tile in the middle (from x 496) still has its lake.
    let water = egui::Color32::from_rgb(0xb7, 0xd3, 0xe9);
    let lake = (547..701)
        .flat_map(|x| (58..134).map(move |y| (x, y)))
        .filter(|&p| near(&out.image, p, water, 2))
        .count();
    assert!(lake > 154 * 76 * 95 / 100, "{lake}");
}

#[test]
fn broken_files_are_refused_clearly() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ctx = egui::Context::default();
    let open = |path: &Path| {
        TileLayer::open(
            &BasemapChoice::File(path.to_owned()),
            true,
            &ctx,
            LayerOptions::default(),
        )
        .map(|_| ())
    };
    // A PMTiles header whose root directory points past the file.
    let archive = dir.path().join("generated.pmtiles");
    vector_pmtiles(&archive);
    let mut bytes = std::fs::read(&archive).expect("read");
    bytes[8..16].copy_from_slice(&u64::MAX.to_le_bytes());
    let broken = dir.path().join("broken.pmtiles");
    std::fs::write(&broken, &bytes).expect("write");
    let error = open(&broken).expect_err("refused");
    assert!(error.contains("header is corrupt"), "{error}");
    // Cut short after the header.
    std::fs::write(&broken, &bytes[..140]).expect("write");
    assert!(open(&broken).is_err());
    // An MBTiles with no metadata table and a pbf tile: sniffed as vector from its bytes.
    let bare = dir.path().join("bare.mbtiles");
    let db = rusqlite::Connection::open(&bare).expect("create");
    db.execute_batch(
        "CREATE TABLE metadata (name TEXT, value TEXT);
         CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB);",
    )
    .expect("schema");
    db.execute(
        "INSERT INTO tiles VALUES (6, 40, 39, ?1)",
        [gzip(&generated_tile())],
    )
    .expect("tile");
    drop(db);
    let file = MbTiles::open(&bare).expect("opens");
    assert_eq!(
        (file.format, file.format_sniffed),
        (TileFormat::Vector, true)
    );
    assert!(open(&bare).is_ok());
}

/// The window draws the generated file: its tiles, the place labelled under the naming chosen,
/// and, rasterized from the window's own frame, the water where the water polygon is.
#[test]
fn the_window_draws_a_vector_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let tiles = dir.path().join("generated.mbtiles");
    vector_mbtiles(&tiles, true, &[]);
    for (naming, expected) in [
        (
            claimmap::Naming::Single(claimmap::Convention::English),
            "Vectorton",
        ),
        (
            claimmap::Naming::Dual(
                claimmap::Convention::Azerbaijani,
                claimmap::Convention::ArmenianLatin,
            ),
            "Vektorkənd / Vektoravan",
        ),
    ] {
        let mut settings = Settings {
            view: Some(View {
                lat: CENTRE.0,
                lon: CENTRE.1,
                zoom: ZOOM,
            }),
            ..common::window::offline(BasemapChoice::File(tiles.clone()))
        };
        settings.scene.naming = naming;
        let app = ViewerApp::from_loaded(Vec::new(), Vec::new(), settings);
        let mut harness = common::window::build(app, egui::vec2(1200.0, 800.0));
        harness.run();
        let output = harness.state().last_output();
        assert_eq!(output.tiles_drawn, 1);
        assert_eq!(output.basemap_labels, [expected]);
        let label = harness.state().tile_layer().map(|l| l.label());
        assert_eq!(
            label.as_deref(),
            Some("MBTiles (vector): generated.mbtiles")
        );
    }
}
