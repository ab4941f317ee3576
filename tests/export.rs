//! Export, headless: `claimmap export` with no display writes a PNG of exactly the size asked,
//! with the marker colour where an incident projects, different pictures for different windows,
//! a picture that matches the committed golden image, and that the window's own export matches;
//! text, markers and lines scale with `--scale`; timelapses, tables and bad input.

mod common;

use common::{claimmap, fixture, window::offline};

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::TimeZone;
use claimmap::DateWindow;
use claimmap::Day;
use claimmap::ExportSpec;
use claimmap::Gazetteer;
use claimmap::Picture;
use claimmap::load_reference;
use claimmap::testing::BasemapChoice;
use claimmap::testing::DatasetLayer;
use claimmap::testing::IncidentRef;
use claimmap::testing::SceneSettings;
use claimmap::testing::View;
use claimmap::testing::png_file;
use claimmap::testing::render;
use image::RgbaImage;

fn read_png(path: &Path) -> RgbaImage {
    image::open(path).expect("a PNG").to_rgba8()
}

/// A dataset with one incident at a point where no village is drawn, on 2021-05-26, in the
/// Azerbaijani side's colour; and a second on 2021-07-02.
fn one_point() -> PathBuf {
    fixture("export/one_point.geojson")
}
const POINT_LAT: f64 = 40.45;
const POINT_LON: f64 = 46.25;
const POINT_COLOUR: [u8; 3] = [0x1f, 0x77, 0xb4];

fn close(a: [u8; 4], b: [u8; 3], tolerance: u8) -> bool {
    (0..3).all(|i| a[i].abs_diff(b[i]) <= tolerance)
}

/// Share of pixels that differ by more than `tolerance` in any channel.
fn differing(a: &RgbaImage, b: &RgbaImage, tolerance: u8) -> f64 {
    assert_eq!(a.dimensions(), b.dimensions());
    let n = a
        .pixels()
        .zip(b.pixels())
        .filter(|(p, q)| (0..4).any(|i| p.0[i].abs_diff(q.0[i]) > tolerance))
        .count();
    n as f64 / f64::from(a.width() * a.height())
}

#[test]
fn headless_export_has_the_size_asked_and_the_marker_colour_at_the_incident() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("figure.png");
    let (day, lat, lon, colour) = ("2021-05-26", POINT_LAT, POINT_LON, POINT_COLOUR);
    claimmap()
        .args(["export", "--offline", "--bare", "--size", "900x700"])
        .arg(one_point())
        .args(["--from", day, "--to", day])
        .args(["--center", &format!("{lat},{lon}"), "--zoom", "9"])
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let image = read_png(&out);
    assert_eq!(image.dimensions(), (900, 700));
    // Readable by others, like any file the user saves (not the temporary file's private mode).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&out)
            .expect("written")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o644);
    }
    // The bare map fills the image: its centre is the incident's marker.
    let centre = image.get_pixel(450, 350).0;
    assert!(
        close(centre, colour, 3),
        "pixel {centre:?} at the centre, marker colour {colour:?}"
    );
    // Far from any marker: land or water, not the marker colour.
    assert!(!close(image.get_pixel(30, 30).0, colour, 3));
    let meta = png_file::read_text(&std::fs::read(&out).expect("read")).expect("text chunks");
    let get = |k: &str| {
        meta.iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let sha = claimmap::load_path(&one_point(), Gazetteer::embedded())
        .expect("loads")
        .dataset
        .provenance
        .sha256
        .hex()
        .to_owned();
    assert!(get("Source").contains(&sha));
    assert_eq!(get("claimmap:window"), format!("{day}/{day}"));
    assert!(get("claimmap:view").starts_with(&format!("{lat:.6},{lon:.6} z9.000")));
    assert!(get("Software").starts_with("claimmap "));
    let command = get("claimmap:command");
    assert!(command.starts_with("claimmap export "), "{command}");
    assert!(command.contains("one_point.geojson --from 2021-05-26 --to 2021-05-26"));
}

#[test]
fn scale_two_doubles_markers_not_just_pixels() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (lat, lon, colour) = (POINT_LAT, POINT_LON, POINT_COLOUR);
    let export = |scale: &str, size: &str, name: &str| {
        let out = dir.path().join(name);
        claimmap()
            .args([
                "export",
                "--offline",
                "--bare",
                "--size",
                size,
                "--scale",
                scale,
            ])
            .arg(one_point())
            .args(["--from", "2021-05-26", "--to", "2021-05-26"])
            .args(["--center", &format!("{lat},{lon}"), "--zoom", "9"])
            .arg("--out")
            .arg(&out)
            .assert()
            .success();
        read_png(&out)
    };
    let one = export("1", "600x400", "one.png");
    let two = export("2", "1200x800", "two.png");
    // The marker's radius is 7 points: 10 px right of centre is outside it at 1×, inside at 2×.
    assert!(!close(one.get_pixel(310, 200).0, colour, 3));
    assert!(close(two.get_pixel(610, 400).0, colour, 3));
    // Same picture, twice as sharp: 2× averaged down is close to 1×.
    let down = image::imageops::resize(&two, 600, 400, image::imageops::FilterType::Triangle);
    assert!(differing(&one, &down, 48) < 0.03);
}

#[test]
fn two_windows_give_two_pictures() {
    let dir = tempfile::tempdir().expect("temp dir");
    let export = |from: &str, to: &str, name: &str| {
        let out = dir.path().join(name);
        claimmap()
            .args(["export", "--offline", "--size", "800x600"])
            .args(["--center", "40.0,46.0", "--zoom", "7"])
            .args(["--from", from, "--to", to, "--out"])
            .arg(&out)
            .assert()
            .success();
        read_png(&out)
    };
    let a = export("2021-05-01", "2021-06-30", "a.png");
    let b = export("2022-08-01", "2022-08-31", "b.png");
    assert!(differing(&a, &b, 16) > 0.002);
}

fn golden_picture(layers: &[DatasetLayer], settings: &SceneSettings) -> RgbaImage {
    let selected = layers[0]
        .loaded
        .dataset
        .incidents()
        .iter()
        .position(|i| &*i.id == "2021-11-13-border-clash-kalbajar")
        .map(|index| IncidentRef { dataset: 0, index })
        .expect("the contested November 2021 incident");
    let picture = Picture {
        layers,
        settings,
        window: DateWindow {
            from: Day::parse_iso("2021-11-01").expect("date"),
            to: Day::parse_iso("2021-11-30").expect("date"),
        },
        selected: vec![selected],
        view: Some(View {
            lat: 40.05,
            lon: 45.9,
            zoom: 8.0,
        }),
    };
    let spec = ExportSpec {
        size_px: [1200, 800],
        title: Some("Border clash, November 2021".into()),
        tile_wait: Duration::ZERO,
        generated: Some(
            chrono::Utc
                .with_ymd_and_hms(2026, 1, 1, 12, 0, 0)
                .single()
                .expect("time"),
        ),
        ..ExportSpec::default()
    };
    render(&picture, &spec).expect("renders").image
}

#[test]
fn the_reference_figure_matches_its_golden_image() {
    let layers = vec![DatasetLayer::new(load_reference(Gazetteer::embedded()))];
    let image = golden_picture(&layers, &offline(BasemapChoice::OpenStreetMap).scene);
    let golden = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/export/reference-golden.png");
    if std::env::var_os("CLAIMMAP_BLESS").is_some() {
        image.save(&golden).expect("write the golden image");
    }
    let expected = read_png(&golden);
    // Font hinting and float rounding may move an edge by a pixel; a changed picture moves many.
    let share = differing(&image, &expected, 40);
    assert!(
        share < 0.005,
        "{:.3}% of pixels differ from {}; look at the new picture and rerun with CLAIMMAP_BLESS=1 if it is right",
        share * 100.0,
        golden.display()
    );
}

#[test]
fn bad_requests_write_nothing_and_say_why() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("x.png");
    let cases: [(&[&str], &str); 7] = [
        (&["--size", "0x100"], "impossible"),
        (&["--size", "9000x1000"], "impossible"),
        (&["--size", "wide"], "WIDTHxHEIGHT"),
        (&["--scale", "9"], "scale"),
        (&["--select", "no-such-incident"], "no incident has this id"),
        (
            &["--from", "2030-01-01", "--to", "2030-01-31"],
            "no incident in the window",
        ),
        (&["--size", "300x200", "--scale", "4"], "too small"),
    ];
    for (args, message) in cases {
        let assert = claimmap()
            .args(["export", "--offline"])
            .args(args)
            .arg("--out")
            .arg(&out)
            .assert()
            .failure();
        let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
        assert!(stderr.contains(message), "{args:?}: {stderr}");
        assert!(!out.exists(), "{args:?} left a file");
    }
    // Unwritable: a directory that does not exist.
    let missing = dir.path().join("no/such/dir/x.png");
    let assert = claimmap()
        .args(["export", "--offline", "--out"])
        .arg(&missing)
        .assert()
        .failure();
    assert!(String::from_utf8_lossy(&assert.get_output().stderr).contains("does not exist"));
    // An unknown output type.
    claimmap()
        .args(["export", "--offline", "--out"])
        .arg(dir.path().join("x.tiff"))
        .assert()
        .failure();
    assert_eq!(std::fs::read_dir(dir.path()).expect("dir").count(), 0);
}

#[test]
fn tables_list_the_visible_incidents_and_quote_their_claims() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (geojson, csv, md, claims) = (
        dir.path().join("visible.geojson"),
        dir.path().join("visible.csv"),
        dir.path().join("claims.md"),
        dir.path().join("claims.csv"),
    );
    claimmap()
        .args([
            "export",
            "--offline",
            "--from",
            "2021-11-01",
            "--to",
            "2021-11-30",
        ])
        .args(["--out"])
        .arg(&geojson)
        .arg("--out")
        .arg(&csv)
        .arg("--out")
        .arg(&md)
        .arg("--out")
        .arg(&claims)
        .assert()
        .success();
    let check = claimmap()
        .args([
            "check",
            "--json",
            "--from",
            "2021-11-01",
            "--to",
            "2021-11-30",
        ])
        .output()
        .expect("check runs");
    let summary: serde_json::Value = serde_json::from_slice(&check.stdout).expect("json");
    let visible = summary["incidents"].as_u64().expect("count") as usize;
    let collection: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&geojson).expect("read")).expect("GeoJSON");
    let features = collection["features"].as_array().expect("features");
    assert_eq!(features.len(), visible);
    let clash = features
        .iter()
        .find(|f| f["id"] == "2021-11-13-border-clash-kalbajar")
        .expect("the clash is in November");
    assert_eq!(clash["properties"]["contested"], true);
    assert!(
        clash["properties"]["claims"]
            .as_array()
            .expect("claims")
            .len()
            >= 2
    );
    let rows = csv::Reader::from_path(&csv).expect("csv").records().count();
    assert_eq!(rows, visible);
    let markdown = std::fs::read_to_string(&md).expect("read");
    assert!(markdown.contains("| Date | Incident | Claimant (side) | Claim | Source |"));
    assert!(markdown.contains("Ministry of Defence"), "{markdown}");
    let mut claim_rows = csv::Reader::from_path(&claims).expect("csv");
    let headers = claim_rows.headers().expect("header").clone();
    assert!(headers.iter().any(|h| h == "quote"));
    assert!(claim_rows.records().count() >= 2);
}

#[test]
fn a_timelapse_writes_stills_and_an_animated_png() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("film.png");
    claimmap()
        .args([
            "export",
            "--offline",
            "--size",
            "480x320",
            "--animate",
            "1m",
        ])
        .args(["--from", "2021-05-01", "--to", "2021-07-31"])
        .args(["--center", "40.0,46.0", "--zoom", "7", "--out"])
        .arg(&out)
        .assert()
        .success();
    let stills: Vec<_> = std::fs::read_dir(dir.path().join("film-frames"))
        .expect("stills")
        .collect();
    assert_eq!(stills.len(), 3);
    let bytes = std::fs::read(&out).expect("animation");
    let decoder = png::Decoder::new(std::io::Cursor::new(&bytes));
    let reader = decoder.read_info().expect("PNG");
    let control = reader.info().animation_control().expect("an APNG");
    assert_eq!(control.num_frames, 3);
    let meta = png_file::read_text(&bytes).expect("text");
    assert!(
        meta.iter()
            .any(|(k, v)| k == "claimmap:timelapse" && v.starts_with("3 frames"))
    );
}

#[test]
fn the_windows_export_matches_the_command_lines() {
    use claimmap::testing::ExportRequest;
    let dir = tempfile::tempdir().expect("temp dir");
    let from_window = dir.path().join("window.png");
    let mut harness = common::window::reference(egui::vec2(1400.0, 900.0));
    let spec = ExportSpec {
        size_px: [1000, 700],
        tile_wait: Duration::ZERO,
        ..ExportSpec::default()
    };
    let request = ExportRequest {
        spec,
        path: from_window.clone(),
        tables: Vec::new(),
    };
    harness
        .state_mut()
        .export(&request)
        .expect("the window exports");
    // The command the figure records renders it again from the command line.
    let meta = png_file::read_text(&std::fs::read(&from_window).expect("read")).expect("text");
    let command = &meta
        .iter()
        .find(|(k, _)| k == "claimmap:command")
        .expect("the command is recorded")
        .1;
    let from_cli = dir.path().join("cli.png");
    let mut args: Vec<String> = command
        .split(' ')
        .skip(2)
        .map(|a| a.trim_matches('\'').to_owned())
        .collect();
    let out = args.iter().position(|a| a == "--out").expect("--out");
    args[out + 1] = from_cli.display().to_string();
    // The window is offline, and the command says so: it needs nothing added.
    assert!(args.iter().any(|a| a == "--offline"), "{command}");
    claimmap().arg("export").args(&args).assert().success();
    let (a, b) = (read_png(&from_window), read_png(&from_cli));
    // The command sets the generation time the footer prints: not one pixel differs.
    assert_eq!(differing(&a, &b, 0), 0.0);
}

#[test]
fn ctrl_e_exports_what_the_window_shows_through_the_dialog() {
    use egui_kittest::kittest::Queryable;
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("from-dialog.png");
    let mut harness = common::window::reference(egui::vec2(1400.0, 1000.0));
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::E);
    harness.run();
    harness.get_by_label("Export image");
    harness.get_by_label("1920×1080");
    harness.get_by_label("Custom").click();
    harness.run();
    let field = harness.get_by_label("Save as");
    field.focus();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness
        .get_by_label("Save as")
        .type_text(&out.display().to_string());
    harness.run();
    harness.get_by_label("claims Markdown").click();
    harness.run();
    harness.get_by_label("Export").click();
    harness.run();
    harness.get_by_label_contains("Wrote ");
    let image = read_png(&out);
    // The custom size's default.
    assert_eq!(image.dimensions(), (2400, 1600));
    let markdown = std::fs::read_to_string(dir.path().join("from-dialog-claims.md")).expect("md");
    assert!(markdown.contains("| Date | Incident |"));
}

/// An MBTiles file of one 256-px tile at (`zoom`, `x`, TMS `row`), credited as "Credit test".
fn one_tile_mbtiles(path: &Path, zoom: u8, x: u32, row: u32) {
    let db = rusqlite::Connection::open(path).expect("create");
    db.execute_batch(
        "CREATE TABLE metadata (name TEXT, value TEXT);
         CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB);
         INSERT INTO metadata VALUES ('name', 'Credit test'), ('format', 'png'),
             ('attribution', 'Tiles by the test');",
    )
    .expect("schema");
    db.execute(
        "INSERT INTO metadata VALUES ('minzoom', ?1), ('maxzoom', ?1)",
        [zoom.to_string()],
    )
    .expect("zooms");
    let mut png = Vec::new();
    image::DynamicImage::new_rgb8(256, 256)
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .expect("encode");
    db.execute(
        "INSERT INTO tiles VALUES (?1, ?2, ?3, ?4)",
        rusqlite::params![zoom, x, row, png],
    )
    .expect("tile");
}

/// A tile provider is credited in a figure only when its tiles are on it: an online basemap
/// without network, or a file that does not cover the view, draws none and is not credited.
#[test]
fn tiles_are_credited_only_when_drawn() {
    let dir = tempfile::tempdir().expect("tempdir");
    let layers = vec![DatasetLayer::new(load_reference(Gazetteer::embedded()))];
    let render_over = |basemap: BasemapChoice| {
        let settings = SceneSettings {
            offline: true,
            basemap,
            ..SceneSettings::default()
        };
        let picture = Picture {
            layers: &layers,
            settings: &settings,
            window: DateWindow {
                from: Day::parse_iso("2021-11-01").expect("date"),
                to: Day::parse_iso("2021-11-30").expect("date"),
            },
            selected: Vec::new(),
            view: Some(View {
                lat: 40.05,
                lon: 45.9,
                zoom: 7.0,
            }),
        };
        let spec = ExportSpec {
            size_px: [480, 320],
            tile_wait: Duration::ZERO,
            ..ExportSpec::default()
        };
        render(&picture, &spec).expect("renders").facts.tile_credit
    };
    // The world's one zoom-0 tile lies under every view.
    let world = dir.path().join("world.mbtiles");
    one_tile_mbtiles(&world, 0, 0, 0);
    assert_eq!(
        render_over(BasemapChoice::File(world)).as_deref(),
        Some("Credit test: Tiles by the test")
    );
    // One zoom-3 tile over the Pacific (x 0, TMS row 3: the north-west eighth), nothing here.
    let elsewhere = dir.path().join("elsewhere.mbtiles");
    one_tile_mbtiles(&elsewhere, 3, 0, 7);
    assert_eq!(render_over(BasemapChoice::File(elsewhere)), None);
    // Online tiles with --offline: no layer, no request, no credit.
    assert_eq!(render_over(BasemapChoice::OpenStreetMap), None);
}
