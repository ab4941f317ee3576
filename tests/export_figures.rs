//! Figures that need no editing (issue 13, item 5): framed on the incidents however far one row
//! strays, never closer than their locations are precise; titled from the data and the window,
//! not a file name; a legend that groups claimants by side; and a recorded command that makes
//! the same file again, byte for byte.

mod common;

use common::{claimmap, fixture};

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::TimeZone;
use claimmap::testing::render::Rendered;
use claimmap::testing::{
    BasemapChoice, DatasetLayer, SceneSettings, View, World, png_file, render,
};
use claimmap::{DateWindow, Day, ExportSpec, Gazetteer, Picture, load_path};

fn d(text: &str) -> Day {
    Day::parse_iso(text).expect("date")
}

fn settings() -> SceneSettings {
    SceneSettings {
        offline: true,
        basemap: BasemapChoice::VectorOnly,
        ..SceneSettings::default()
    }
}

fn spec(title: Option<&str>) -> ExportSpec {
    ExportSpec {
        size_px: [1600, 900],
        title: title.map(str::to_owned),
        tile_wait: Duration::ZERO,
        generated: Some(
            chrono::Utc
                .with_ymd_and_hms(2026, 1, 1, 12, 0, 0)
                .single()
                .expect("time"),
        ),
        ..ExportSpec::default()
    }
}

fn layers(paths: &[PathBuf]) -> Vec<DatasetLayer> {
    paths
        .iter()
        .map(|p| DatasetLayer::new(load_path(p, Gazetteer::embedded()).expect("loads")))
        .collect()
}

fn figure(layers: &[DatasetLayer], window: (&str, &str), title: Option<&str>) -> Rendered {
    let settings = settings();
    let picture = Picture {
        layers,
        settings: &settings,
        window: DateWindow {
            from: d(window.0),
            to: d(window.1),
        },
        selected: Vec::new(),
        view: None,
    };
    render(&picture, &spec(title)).expect("renders")
}

/// The ground the map shows across, in km, at its centre: Web Mercator's 256·2^zoom points
/// round the equator, stretched by 1/cos(latitude).
fn width_km(r: &Rendered) -> f64 {
    let equator_km = 40_075.016_686;
    let points_per_km =
        256.0 * 2f64.powf(r.view.zoom) / (equator_km * r.view.lat.to_radians().cos());
    f64::from(r.map_rect.width()) / points_per_km
}

/// Where (lon, lat) is drawn in `map` under `view`: its offset from the centre in world units,
/// times 256·2^zoom points.
fn project(view: &View, map: egui::Rect, lon: f64, lat: f64) -> egui::Pos2 {
    let scale = 256.0 * 2f64.powf(view.zoom);
    let (c, w) = (
        World::from_lon_lat(view.lon, view.lat),
        World::from_lon_lat(lon, lat),
    );
    map.center() + egui::vec2(((w.x - c.x) * scale) as f32, ((w.y - c.y) * scale) as f32)
}

/// An ACLED file of battles at `points` (lon, lat), one a day from 10 May 2021, in `dir`.
fn acled_file(dir: &Path, name: &str, points: &[(f64, f64)]) -> PathBuf {
    let header = std::fs::read_to_string(fixture("acled_current.csv")).expect("fixture");
    let mut text = header.lines().next().expect("header").to_owned();
    text.push('\n');
    for (i, (lon, lat)) in points.iter().enumerate() {
        let (iso, country) = if *lon > 45.6 || (*lat < 41.0 && *lon > 45.3) {
            (31, "Azerbaijan")
        } else {
            (51, "Armenia")
        };
        text.push_str(&format!(
            "T{i},{day} May 2021,2021,1,Political violence,Battles,Armed clash,A,,State forces,B,,State forces,State forces-State forces,,{iso},Caucasus and Central Asia,{country},,,,,{lat},{lon},1,Trend,National,Exchange of fire reported.,0,,1622505600\n",
            day = 10 + i % 20,
        ));
    }
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write");
    path
}

#[test]
fn rows_located_only_to_a_region_are_framed_at_a_regions_scale() {
    // Three real UCDP rows located only to "Nagorno-Karabakh" and the line of contact.
    let layers = layers(&[fixture("export/ucdp_karabakh_region.csv")]);
    let r = figure(&layers, ("1992-01-01", "2020-12-31"), None);
    assert_eq!(r.facts.visible, 3);
    assert_eq!((r.facts.beyond_map, r.facts.unlocated), (0, 0));
    // A region is ~100 km across (its 50 km radius): the figure shows more than that, and is
    // not the zoom-11, 5 km-scale-bar picture of a precise location.
    let km = width_km(&r);
    assert!(km > 150.0, "the map shows only {km:.0} km across");
    // …and no farther out than the region needs: the Caucasus, not Eurasia.
    assert!(km < 800.0, "the map shows {km:.0} km across");
}

#[test]
fn one_far_row_does_not_zoom_the_figure_out() {
    let dir = tempfile::tempdir().expect("temp dir");
    // Forty rows along the Tavush–Qazax border and one in Paris.
    let mut points: Vec<(f64, f64)> = (0..40)
        .map(|i| {
            (
                45.0 + f64::from(i % 10) * 0.06,
                40.9 + f64::from(i / 10) * 0.05,
            )
        })
        .collect();
    points.push((2.35, 48.85));
    let file = acled_file(dir.path(), "border.csv", &points);
    let layers = layers(&[file]);
    let r = figure(&layers, ("2021-05-01", "2021-05-31"), None);
    assert_eq!(r.facts.visible, 41);
    // Paris is left out, and the figure says so.
    assert_eq!(r.facts.beyond_map, 1);
    assert!(
        r.facts
            .counts_line()
            .contains("1 not on this map (1 beyond its edges)"),
        "{}",
        r.facts.counts_line()
    );
    // The forty fill the map: not the 20% of its width of a frame made for the decorations'
    // worst case.
    let framed: Vec<egui::Pos2> = points[..40]
        .iter()
        .map(|(lon, lat)| project(&r.view, r.map_rect, *lon, *lat))
        .collect();
    let bounds = egui::Rect::from_points(&framed);
    assert!(
        r.map_rect.contains_rect(bounds),
        "{bounds:?} in {:?}",
        r.map_rect
    );
    let share = (bounds.width() / r.map_rect.width()).max(bounds.height() / r.map_rect.height());
    assert!(
        share > 0.45,
        "the incidents fill {:.0}% of the map",
        share * 100.0
    );
}

#[test]
fn titles_say_what_where_and_when_from_the_data() {
    let dir = tempfile::tempdir().expect("temp dir");
    // Battles on both sides of the Tavush–Qazax border, within a few km of it.
    let border = [
        (45.35, 41.05),
        (45.30, 41.10),
        (45.05, 40.95),
        (45.45, 40.98),
    ];
    let file = acled_file(dir.path(), "acled-export-2021.csv", &border);
    let one = layers(std::slice::from_ref(&file));
    let r = figure(&one, ("2021-05-10", "2021-05-13"), None);
    assert_eq!(
        r.facts.title,
        "Exchanges of fire, Armenia\u{2013}Azerbaijan border, 10\u{2013}13 May 2021"
    );
    // Rows located to different places in one country are titled by the country.
    let region = layers(&[fixture("export/ucdp_karabakh_region.csv")]);
    let r = figure(&region, ("1992-01-01", "2020-12-31"), None);
    assert_eq!(
        r.facts.title,
        "Exchanges of fire, Azerbaijan, 1992\u{2013}2020"
    );
    // Several datasets: a title for all of them, no file's name.
    let both = layers(&[file.clone(), fixture("export/ucdp_karabakh_region.csv")]);
    let r = figure(&both, ("1992-01-01", "2021-05-31"), None);
    assert!(!r.facts.title.contains("acled-export"), "{}", r.facts.title);
    assert!(!r.facts.title.contains("ucdp"), "{}", r.facts.title);
    assert_eq!(
        r.facts.title,
        "Exchanges of fire, Armenia and Azerbaijan, January 1992 \u{2013} May 2021"
    );
    // The user's title wins.
    let r = figure(
        &both,
        ("1992-01-01", "2021-05-31"),
        Some("Border, 1992–2021"),
    );
    assert_eq!(r.facts.title, "Border, 1992–2021");
}

#[test]
fn the_legend_groups_claimants_by_side() {
    // The reference dataset's claimants: two parties' ministries, a presidency, outlets.
    let layers = vec![DatasetLayer::new(claimmap::load_reference(
        Gazetteer::embedded(),
    ))];
    let r = figure(&layers, ("2020-01-01", "2022-12-31"), None);
    let sides = &r.facts.sides;
    let names: Vec<&str> = sides.iter().map(|s| s.name.as_str()).collect();
    // One row a side, the parties first.
    assert!(sides[0].party && sides[1].party, "{names:?}");
    let mut unique = names.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), names.len(), "{names:?}");
    // Every claimant of a side is in its row, most claims first.
    for side in sides {
        assert!(!side.claimants.is_empty());
        assert!(side.claims >= side.claimants.len());
    }
    let az = sides
        .iter()
        .find(|s| s.name == "Azerbaijan")
        .expect("Azerbaijan");
    assert!(az.claimants.len() >= 2, "{:?}", az.claimants);
}

/// The words of a command line as `sh` splits them (plain words and single-quoted ones, as
/// `png_file::command` writes them).
fn shell_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let (mut quoted, mut any, mut escaped) = (false, false, false);
    for c in line.chars() {
        if escaped {
            word.push(c);
            escaped = false;
            continue;
        }
        match c {
            '\'' => {
                quoted = !quoted;
                any = true;
            }
            ' ' if !quoted => {
                if any {
                    words.push(std::mem::take(&mut word));
                }
                any = false;
            }
            '\\' if !quoted => {
                escaped = true;
                any = true;
            }
            c => {
                word.push(c);
                any = true;
            }
        }
    }
    if any {
        words.push(word);
    }
    words
}

fn recorded_command(png: &[u8]) -> String {
    png_file::read_text(png)
        .expect("text chunks")
        .into_iter()
        .find(|(k, _)| k == "claimmap:command")
        .map(|(_, v)| v)
        .expect("a claimmap:command chunk")
}

#[test]
fn the_recorded_command_makes_the_same_file_byte_for_byte() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("figure.png");
    let tiles = fixture("mbtiles/geography-class-png.mbtiles");
    claimmap()
        .args(["export", "--offline", "--size", "900x640", "--scale", "1.5"])
        .arg("--tiles")
        .arg(&tiles)
        .args(["--from", "2021-11-01", "--to", "2021-11-30"])
        .args(["--select", "2021-11-13-border-clash-kalbajar"])
        .args([
            "--footer",
            "Prepared for the 'monitoring' brief",
            "--no-arrows",
        ])
        .args(["--historical", "--naming", "az/hy-Latn"])
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let first = std::fs::read(&out).expect("written");
    let command = recorded_command(&first);
    for option in [
        "--offline",
        "--tiles",
        "--historical",
        "--no-arrows",
        "--footer",
    ] {
        assert!(command.contains(option), "{option} missing from {command}");
    }
    let words = shell_words(&command);
    assert_eq!(&words[..2], ["claimmap", "export"], "{command}");
    assert!(words.iter().any(|w| w == &tiles.display().to_string()));
    assert!(
        words
            .iter()
            .any(|w| w == "Prepared for the 'monitoring' brief")
    );
    std::fs::remove_file(&out).expect("removed");
    claimmap().args(&words[1..]).assert().success();
    let second = std::fs::read(&out).expect("written again");
    assert!(
        first == second,
        "the recorded command made a different file: {command}"
    );
    // A bare figure on a framed view, the same.
    let bare = dir.path().join("bare.png");
    claimmap()
        .args([
            "export",
            "--offline",
            "--bare",
            "--basemap",
            "vector",
            "--size",
            "700x500",
        ])
        .arg("--out")
        .arg(&bare)
        .assert()
        .success();
    let first = std::fs::read(&bare).expect("written");
    let words = shell_words(&recorded_command(&first));
    assert!(words.iter().any(|w| w == "--bare"));
    std::fs::remove_file(&bare).expect("removed");
    claimmap().args(&words[1..]).assert().success();
    assert!(first == std::fs::read(&bare).expect("written again"));
}
