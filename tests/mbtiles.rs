//! MBTiles on the real fixtures (consbio/mbtileserver test data, ISC): raster files whose
//! metadata lacks `format` are sniffed from their tiles; vector files open as vector files
//! (drawn by `tests/vector_tiles.rs`).

mod common;

use std::path::PathBuf;

use claimmap::MbTiles;
use claimmap::MbTilesError;
use claimmap::TileFormat;

fn fixture(name: &str) -> PathBuf {
    common::fixture("mbtiles").join(name)
}

#[test]
fn png_without_format_metadata_is_sniffed() {
    let file = MbTiles::open(&fixture("geography-class-png.mbtiles")).expect("opens");
    assert!(
        !file.metadata.contains_key("format"),
        "the fixture lacks the key"
    );
    assert_eq!(file.format, TileFormat::Png);
    assert!(file.format_sniffed);
    assert_eq!((file.min_zoom, file.max_zoom), (0, 1));
    let tile = file.tile(0, 0, 0).expect("reads").expect("zoom 0 tile");
    assert_eq!(TileFormat::sniff(&tile), Some(TileFormat::Png));
    let decoded = image::load_from_memory(&tile).expect("a real PNG");
    assert_eq!((decoded.width(), decoded.height()), (256, 256));
}

#[test]
fn jpeg_rows_are_flipped_from_tms() {
    let file = MbTiles::open(&fixture("geography-class-jpg.mbtiles")).expect("opens");
    assert_eq!(file.format, TileFormat::Jpeg);
    // All four zoom-1 tiles exist; XYZ (x, y) reads TMS row 1 - y.
    for (x, y) in [(0, 0), (1, 0), (0, 1), (1, 1)] {
        let tile = file.tile(1, x, y).expect("reads").expect("present");
        assert_eq!(TileFormat::sniff(&tile), Some(TileFormat::Jpeg));
    }
    // North and south differ: the Arctic tile is not the Antarctic one.
    assert_ne!(
        file.tile(1, 0, 0).expect("reads"),
        file.tile(1, 0, 1).expect("reads")
    );
    assert_eq!(file.tile(1, 2, 0).expect("reads"), None, "outside the grid");
    assert_eq!(
        file.tile(5, 0, 0).expect("reads"),
        None,
        "deeper than the file"
    );
    assert!(!file.attribution().is_empty());
}

#[test]
fn vector_tiles_open_as_vector() {
    let file = MbTiles::open(&fixture("world_cities.mbtiles")).expect("opens");
    assert_eq!(file.format, TileFormat::Vector);
    assert!(!file.format_sniffed, "the metadata says pbf");
    let tile = file.tile(0, 0, 0).expect("reads").expect("zoom 0 tile");
    assert_eq!(TileFormat::sniff(&tile), Some(TileFormat::Vector));
}

#[test]
fn files_that_are_not_mbtiles_fail_cleanly() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = dir.path().join("notes.mbtiles");
    std::fs::write(&text, "not a database").expect("write");
    assert!(MbTiles::open(&text).is_err());
    assert!(MbTiles::open(&dir.path().join("missing.mbtiles")).is_err());
    let empty = dir.path().join("empty.mbtiles");
    let db = rusqlite::Connection::open(&empty).expect("create");
    db.execute_batch("CREATE TABLE metadata (name TEXT, value TEXT); CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB);")
        .expect("schema");
    drop(db);
    assert!(matches!(
        MbTiles::open(&empty),
        Err(MbTilesError::Empty { .. })
    ));
}

#[test]
fn opening_never_writes_the_file() {
    let path = fixture("geography-class-png.mbtiles");
    let before = std::fs::read(&path).expect("read");
    let file = MbTiles::open(&path).expect("opens");
    let _ = file.tile(1, 1, 1);
    drop(file);
    assert_eq!(std::fs::read(&path).expect("read"), before);
}

/// A file's attribution is its author's text: a megabyte of it (or of its name) is credited on
/// one line of bounded length, so it never pushes a figure's provenance off the image.
#[test]
fn a_huge_attribution_is_credited_on_one_short_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("huge-attribution.mbtiles");
    let db = rusqlite::Connection::open(&path).expect("create");
    db.execute_batch(
        "CREATE TABLE metadata (name TEXT, value TEXT);
         CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB);
         INSERT INTO metadata VALUES ('format', 'png'), ('minzoom', '0'), ('maxzoom', '0');",
    )
    .expect("schema");
    let huge = "© Somebody <a href='x'>link</a>\n".repeat(40_000);
    db.execute(
        "INSERT INTO metadata VALUES ('attribution', ?1), ('name', ?1)",
        [&huge],
    )
    .expect("metadata");
    let mut png = Vec::new();
    image::DynamicImage::new_rgb8(256, 256)
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .expect("encode");
    db.execute(
        "INSERT INTO tiles VALUES (0, 0, 0, ?1)",
        rusqlite::params![png],
    )
    .expect("tile");
    drop(db);
    assert!(huge.len() > 1_000_000);

    let file = MbTiles::open(&path).expect("opens");
    let credit = file.attribution();
    assert!(credit.chars().count() <= 300, "{} chars", credit.len());
    assert!(!credit.contains('\n') && !credit.contains('<'), "{credit}");
    assert!(credit.starts_with("© Somebody link"), "{credit}");
    assert!(credit.ends_with('…'), "{credit}");
}
