//! An MBTiles file is opened immutable: a WAL-mode database gets no `-wal`/`-shm` files beside it
//! and opens in a read-only folder (the tests run as root, where permissions do not bind, so the
//! check is that no file appears in the folder at all).

use std::collections::BTreeSet;
use std::path::Path;

use claimmap::MbTiles;
use claimmap::TileFormat;

/// A one-tile PNG MBTiles in WAL mode, as tools that write with WAL leave it.
fn wal_mbtiles(path: &Path) {
    let mut png = Vec::new();
    image::DynamicImage::new_rgb8(256, 256)
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .expect("encode");
    let db = rusqlite::Connection::open(path).expect("create");
    let mode: String = db
        .query_row("PRAGMA journal_mode=WAL", [], |row| row.get(0))
        .expect("wal");
    assert_eq!(mode, "wal");
    db.execute_batch(
        "CREATE TABLE metadata (name TEXT, value TEXT);
         CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB);
         INSERT INTO metadata VALUES ('name', 'wal test'), ('format', 'png'),
             ('minzoom', '0'), ('maxzoom', '0'), ('attribution', 'Test tiles');",
    )
    .expect("schema");
    db.execute(
        "INSERT INTO tiles VALUES (0, 0, 0, ?1)",
        rusqlite::params![png],
    )
    .expect("tile");
    drop(db);
}

fn listing(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn a_wal_mode_file_opens_and_nothing_appears_beside_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    // A `?` and a `#` in the name: the URI escapes them.
    let path = dir.path().join("tiles #1?.mbtiles");
    wal_mbtiles(&path);
    let before = listing(dir.path());
    assert_eq!(before.len(), 1, "{before:?}");
    let bytes_before = std::fs::read(&path).expect("read");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o555))
            .expect("read-only folder");
    }
    let file = MbTiles::open(&path).expect("a WAL-mode file in a read-only folder opens");
    assert_eq!(file.format, TileFormat::Png);
    let tile = file.tile(0, 0, 0).expect("reads").expect("the tile");
    assert_eq!(TileFormat::sniff(&tile), Some(TileFormat::Png));
    assert_eq!(listing(dir.path()), before, "no -wal, -shm or journal file");
    drop(file);
    assert_eq!(listing(dir.path()), before);
    assert_eq!(std::fs::read(&path).expect("read"), bytes_before);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755))
            .expect("writable again for clean-up");
    }
}
