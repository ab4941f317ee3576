//! Tiles that are not tiles: an MBTiles holding a PNG whose header says 20000×20000 (a
//! decompression bomb: a few KB on disk, 1.6 GB decoded, past any GPU's textures) or bytes that
//! are no image. The size is read from the header and the tile refused before anything is
//! decoded; the refusal is reported (status line, export warning), not skipped silently; the
//! other tiles still draw.

mod common;

use common::claimmap;

use std::path::Path;

use claimmap::testing::BasemapChoice;
use claimmap::testing::LayerOptions;
use claimmap::testing::MAX_TILE_SIDE;
use claimmap::testing::TileLayer;
use claimmap::testing::check_tile_image;
use walkers::TileId;

/// A PNG whose header says `width`×`height`, and the first bytes of its pixel data: what the
/// check reads is all there is (a decoder reads the header up to the first IDAT chunk; the real
/// bomb's pixels compress to a few KB and are never decoded either way).
fn png_header(width: u32, height: u32) -> Vec<u8> {
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, width, height);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().expect("header");
    // A zlib stream's header and the start of a deflate block.
    writer
        .write_chunk(png::chunk::IDAT, &[0x78, 0x9c, 0xed, 0xc1, 0x01, 0x0d])
        .expect("IDAT");
    drop(writer);
    bytes
}

fn real_png() -> Vec<u8> {
    let mut png = Vec::new();
    image::DynamicImage::new_rgb8(256, 256)
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .expect("encode");
    png
}

/// zoom 0: the bomb; with `others`, zoom 1: one good tile and one that is no image.
fn bomb_mbtiles(path: &Path, others: bool) {
    let db = rusqlite::Connection::open(path).expect("create");
    db.execute_batch(
        "CREATE TABLE metadata (name TEXT, value TEXT);
         CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB);
         INSERT INTO metadata VALUES ('name', 'bomb'), ('format', 'png'),
             ('minzoom', '0'), ('attribution', 'Bomb tiles');",
    )
    .expect("schema");
    db.execute(
        "INSERT INTO metadata VALUES ('maxzoom', ?1)",
        [if others { "1" } else { "0" }],
    )
    .expect("maxzoom");
    // MBTiles rows count from the south (TMS): row 1 at zoom 1 is the northern half.
    for (zoom, x, row, data) in [
        (0, 0, 0, png_header(20_000, 20_000)),
        (1, 0, 1, real_png()),
        (1, 1, 1, b"not an image at all".to_vec()),
    ]
    .into_iter()
    .take(if others { 3 } else { 1 })
    {
        db.execute(
            "INSERT INTO tiles VALUES (?1, ?2, ?3, ?4)",
            rusqlite::params![zoom, x, row, data],
        )
        .expect("tile");
    }
}

#[test]
fn the_header_is_read_and_oversized_tiles_refused() {
    let bomb = png_header(20_000, 20_000);
    assert!(bomb.len() < 100, "a header, {} bytes", bomb.len());
    let refusal = check_tile_image(&bomb, 16_384).expect_err("refused");
    assert!(refusal.contains("20000×20000"), "{refusal}");
    assert!(check_tile_image(&real_png(), 16_384).is_ok());
    // The GPU's limit, when lower, is the bound.
    assert!(check_tile_image(&png_header(1024, 1024), 16_384).is_ok());
    assert!(check_tile_image(&png_header(1024, 1024), 512).is_err());
    assert!(check_tile_image(&png_header(MAX_TILE_SIDE + 1, 256), 16_384).is_err());
    assert!(check_tile_image(b"garbage", 16_384).is_err());
}

#[test]
fn a_bomb_tile_is_not_drawn_and_the_layer_says_why() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("bomb.mbtiles");
    bomb_mbtiles(&path, true);
    let ctx = egui::Context::default();
    let mut layer = TileLayer::open(
        &BasemapChoice::File(path),
        true,
        &ctx,
        LayerOptions::default(),
    )
    .expect("opens")
    .expect("a layer");
    assert_eq!(layer.problem(), None);
    assert!(
        layer
            .tiles()
            .at(TileId {
                x: 0,
                y: 0,
                zoom: 0
            })
            .is_none()
    );
    let problem = layer.problem().expect("reported");
    assert!(problem.contains("1 tile not drawn"), "{problem}");
    assert!(problem.contains("tile 0/0/0: 20000×20000 px"), "{problem}");
    // A good tile still draws; an undecodable one is counted too.
    assert!(
        layer
            .tiles()
            .at(TileId {
                x: 0,
                y: 0,
                zoom: 1
            })
            .is_some()
    );
    assert!(
        layer
            .tiles()
            .at(TileId {
                x: 1,
                y: 0,
                zoom: 1
            })
            .is_none()
    );
    let problem = layer.problem().expect("reported");
    assert!(problem.starts_with("2 tiles not drawn"), "{problem}");
}

#[test]
fn an_export_over_a_bomb_file_is_written_with_a_warning() {
    let dir = tempfile::tempdir().expect("tempdir");
    let tiles = dir.path().join("bomb.mbtiles");
    // Only the bomb: every tile of the figure is cut from it.
    bomb_mbtiles(&tiles, false);
    let out = dir.path().join("figure.png");
    let output = claimmap()
        .args([
            "export", "--size", "480x320", "--center", "40,46", "--zoom", "6", "--tiles",
        ])
        .arg(&tiles)
        .arg("--out")
        .arg(&out)
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.contains("warning: 1 tile not drawn"), "{stderr}");
    assert!(stderr.contains("20000×20000"), "{stderr}");
    assert!(out.exists());
}

/// The decoded tiles an MBTiles layer keeps are bounded (the least recently drawn dropped),
/// where they used to pile up for the whole session; a dropped tile is decoded again when shown.
#[test]
fn decoded_tiles_in_memory_are_bounded() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("zoom3.mbtiles");
    let db = rusqlite::Connection::open(&path).expect("create");
    db.execute_batch(
        "CREATE TABLE metadata (name TEXT, value TEXT);
         CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB);
         INSERT INTO metadata VALUES ('name', 'z3'), ('format', 'png'), ('minzoom', '3'),
             ('maxzoom', '3');",
    )
    .expect("schema");
    let png = real_png();
    for x in 0..8 {
        for row in 0..8 {
            db.execute(
                "INSERT INTO tiles VALUES (3, ?1, ?2, ?3)",
                rusqlite::params![x, row, png],
            )
            .expect("tile");
        }
    }
    drop(db);
    let ctx = egui::Context::default();
    let options = LayerOptions {
        deeper: 0,
        memory_tiles: 16,
    };
    let mut layer = TileLayer::open(&BasemapChoice::File(path), true, &ctx, options)
        .expect("opens")
        .expect("a layer");
    for _ in 0..2 {
        for x in 0..8 {
            for y in 0..8 {
                let id = TileId { x, y, zoom: 3 };
                assert!(layer.tiles().at(id).is_some(), "{id:?}");
                assert!(layer.decoded_tiles() <= 16, "{}", layer.decoded_tiles());
            }
        }
    }
    assert_eq!(layer.decoded_tiles(), 16);
}
