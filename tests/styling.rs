//! Styling by a field and density views (issue 13, item 4): markers coloured by category,
//! claimant, fatalities, dataset or any imported column, with a legend that counts each class;
//! sized by fatalities; a heat map or hexagon bins in the window and in figures, recorded in the
//! figure's command so it draws again byte for byte.

mod common;

use common::window::{build, offline};
use common::{claimmap, fixture};

use std::time::Duration;

use claimmap::testing::legend::{self, Swatch};
use claimmap::testing::{
    BasemapChoice, DatasetLayer, Scene, SceneSettings, acled_file, png_file, render,
};
use claimmap::{
    ColourBy, DateWindow, DensityView, ExportSpec, Gazetteer, Incident, Picture, Styling,
    ViewerApp, load_bytes,
};
use egui_kittest::kittest::Queryable;

fn acled(rows: usize, seed: u64) -> DatasetLayer {
    let bytes = acled_file::acled_bytes(rows, seed);
    DatasetLayer::new(
        load_bytes(&bytes, &format!("acled-{seed}.csv"), Gazetteer::embedded()).expect("loads"),
    )
}

fn coloured_by(by: ColourBy) -> SceneSettings {
    SceneSettings {
        offline: true,
        basemap: BasemapChoice::VectorOnly,
        styling: Styling {
            colour_by: by,
            ..Styling::default()
        },
        ..SceneSettings::default()
    }
}

/// The scene of every incident of `layers`, as a figure or the window would draw it.
fn scene<'a>(layers: &'a [DatasetLayer], settings: &'a SceneSettings) -> Scene<'a> {
    Scene::new(layers, settings, everything(), Gazetteer::embedded(), None)
}

fn everything() -> DateWindow {
    DateWindow {
        from: claimmap::Day(i32::MIN / 2),
        to: claimmap::Day(i32::MAX / 2),
    }
}

/// Every visible incident with the colour its marker has and the value of `field` for it.
fn colours_by_value(
    scene: &Scene<'_>,
    field: impl Fn(&Incident) -> String,
) -> Vec<(String, egui::Color32)> {
    scene
        .visible
        .iter()
        .map(|r| {
            let colours = scene.colours(r);
            assert_eq!(colours.len(), 1, "one class, one colour");
            (field(scene.incident(r)), colours[0])
        })
        .collect()
}

/// One colour per value, different values different colours (among the named ones).
fn assert_one_colour_per_value(pairs: &[(String, egui::Color32)], scene: &Scene<'_>) {
    let named: Vec<&str> = scene
        .visible
        .slots
        .iter()
        .map(|s| &*s.name)
        .filter(|n| *n != "other values" && *n != "not given")
        .collect();
    for (value, colour) in pairs {
        if let Some(slot) = scene.visible.slots.iter().find(|s| *s.name == **value) {
            assert_eq!(*colour, slot.colour, "{value}");
        }
    }
    for a in &named {
        for b in &named {
            if a != b {
                let ca = scene
                    .visible
                    .slots
                    .iter()
                    .find(|s| &*s.name == *a)
                    .expect("present");
                let cb = scene
                    .visible
                    .slots
                    .iter()
                    .find(|s| &*s.name == *b)
                    .expect("present");
                assert_ne!(ca.colour, cb.colour, "{a} and {b} share a colour");
            }
        }
    }
}

#[test]
fn colouring_by_category_gives_each_category_its_colour_and_the_legend_counts_them() {
    let layers = vec![acled(3000, 3)];
    let settings = coloured_by(ColourBy::Category);
    let scene = scene(&layers, &settings);
    assert!(scene.visible.len() > 2000);
    let pairs = colours_by_value(&scene, |i| i.category.label().to_owned());
    assert_one_colour_per_value(&pairs, &scene);
    let categories: std::collections::BTreeSet<&str> = pairs.iter().map(|(v, _)| &**v).collect();
    assert!(categories.len() >= 3, "{categories:?}");
    // The legend lists each category with its count, and the counts add up to what is shown.
    let blocks = legend::blocks(&scene, None);
    assert_eq!(blocks.len(), 1);
    assert_eq!(blocks[0].heading, "Colour: category");
    let mut total = 0;
    for row in &blocks[0].rows {
        let (name, count) = row.words.rsplit_once(" (").expect("name (count)");
        let count: usize = count
            .trim_end_matches(')')
            .replace(',', "")
            .parse()
            .expect("count");
        let expected = pairs.iter().filter(|(v, _)| v == name).count();
        assert_eq!(count, expected, "{name}");
        total += count;
        let slot = scene
            .visible
            .slots
            .iter()
            .find(|s| &*s.name == name)
            .expect("slot");
        assert_eq!(row.swatch, Swatch::Dot(slot.colour));
    }
    assert_eq!(total, scene.visible.len());
}

#[test]
fn any_imported_column_colours_the_markers_by_its_most_common_values() {
    let layers = vec![acled(3000, 4)];
    let settings = coloured_by(ColourBy::Column("admin1".into()));
    let scene = scene(&layers, &settings);
    let pairs = colours_by_value(&scene, |i| {
        i.extra
            .get_str("admin1")
            .map_or("not given".to_owned(), |v| v.into_owned())
    });
    assert_one_colour_per_value(&pairs, &scene);
    // The most common value takes the first colour.
    let mut counts: std::collections::HashMap<&str, usize> = Default::default();
    for (v, _) in &pairs {
        *counts.entry(v).or_default() += 1;
    }
    let top = counts
        .iter()
        .filter(|(v, _)| **v != "not given")
        .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
        .expect("values");
    assert_eq!(&*scene.visible.slots[0].name, *top.0);
}

#[test]
fn fatalities_are_classed_in_order_light_to_dark_and_layers_share_colours() {
    let layers = vec![acled(2000, 5), acled(2000, 6)];
    let settings = coloured_by(ColourBy::Fatalities);
    let scene = scene(&layers, &settings);
    let names: Vec<&str> = scene.visible.slots.iter().map(|s| &*s.name).collect();
    assert_eq!(
        &names[..3],
        ["0", "1", "2–5"],
        "count classes keep their order"
    );
    let killed = |i: &Incident| {
        i.claims
            .iter()
            .filter_map(|c| c.losses.as_ref()?.killed)
            .max()
    };
    for r in scene.visible.iter() {
        let expected = match killed(scene.incident(r)) {
            Some(0) => "0",
            Some(1) => "1",
            Some(2..=5) => "2–5",
            Some(6..=10) => "6–10",
            Some(11..=50) => "11–50",
            Some(_) => continue,
            None => "not given",
        };
        let slot = scene
            .visible
            .slots
            .iter()
            .find(|s| &*s.name == expected)
            .expect("slot");
        assert_eq!(scene.colours(r), vec![slot.colour], "layer {}", r.dataset);
    }
    // Darker as the count rises.
    let luma = |c: egui::Color32| u32::from(c.r()) + u32::from(c.g()) + u32::from(c.b());
    assert!(luma(scene.visible.slots[0].colour) > luma(scene.visible.slots[2].colour));
}

#[test]
fn a_figure_drawn_as_hexagons_fills_them_in_their_count_colours_and_explains_them() {
    let layers = vec![acled(4000, 8)];
    let mut settings = coloured_by(ColourBy::Side);
    settings.styling.density = DensityView::Hexagons;
    let spec = ExportSpec {
        size_px: [1200, 800],
        tile_wait: Duration::ZERO,
        ..ExportSpec::default()
    };
    let picture = |settings: &SceneSettings| {
        render(
            &Picture {
                layers: &layers,
                settings,
                window: everything(),
                selected: Vec::new(),
                view: None,
            },
            &spec,
        )
        .expect("renders")
    };
    let hexagons = picture(&settings);
    settings.styling.density = DensityView::Markers;
    let markers = picture(&settings);
    // The darker count classes (6 and more in a hexagon), as drawn at 85% over the land: many
    // pixels of the hexagon figure, none of the marker one.
    let land = [0xf2u8, 0xee, 0xe4];
    let classes: [[u8; 3]; 5] = [
        [0xfd, 0x8d, 0x3c],
        [0xfc, 0x4e, 0x2a],
        [0xe3, 0x1a, 0x1c],
        [0xbd, 0x00, 0x26],
        [0x80, 0x00, 0x26],
    ];
    let blends: Vec<[u8; 3]> = classes
        .iter()
        .map(|c| {
            let mut out = [0; 3];
            for k in 0..3 {
                out[k] = (f32::from(c[k]) * 0.85 + f32::from(land[k]) * 0.15).round() as u8;
            }
            out
        })
        .collect();
    let count = |image: &image::RgbaImage| {
        image
            .pixels()
            .filter(|p| {
                blends
                    .iter()
                    .any(|b| (0..3).all(|k| p.0[k].abs_diff(b[k]) <= 6))
            })
            .count()
    };
    let (in_hexagons, in_markers) = (count(&hexagons.image), count(&markers.image));
    assert!(in_hexagons > 2000, "{in_hexagons} hexagon pixels");
    assert!(
        in_markers < in_hexagons / 20,
        "{in_markers} in the marker figure"
    );
}

#[test]
fn the_legend_of_a_density_says_what_its_colours_count() {
    let layers = vec![acled(500, 9)];
    let settings = coloured_by(ColourBy::Side);
    let scene = scene(&layers, &settings);
    let hex = claimmap::testing::DensityDrawn {
        view: DensityView::Hexagons,
        max: 37.0,
        hex_radius: 20.0,
    };
    let blocks = legend::blocks(&scene, Some(&hex));
    assert_eq!(blocks[0].heading, "Incidents per hexagon");
    let words: Vec<&str> = blocks[0].rows.iter().map(|r| &*r.words).collect();
    assert_eq!(
        words,
        ["1", "2–5", "6–10", "11–50"],
        "up to the class holding the most"
    );
    let heat = claimmap::testing::DensityDrawn {
        view: DensityView::Heat,
        ..hex
    };
    let blocks = legend::blocks(&scene, Some(&heat));
    assert!(
        blocks[0].rows[0].words.contains("relative"),
        "the heat scale is relative"
    );
    // Sides at their plain size need no extra block.
    assert!(legend::blocks(&scene, None).is_empty());
}

#[test]
fn the_recorded_command_keeps_the_styling_and_draws_the_same_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("acled.csv");
    std::fs::write(&data, acled_file::acled_bytes(1500, 11)).expect("write");
    let out = dir.path().join("styled.png");
    claimmap()
        .args([
            "export",
            "--offline",
            "--basemap",
            "vector",
            "--size",
            "800x600",
        ])
        .args(["--colour-by", "column:event_type", "--size-by-fatalities"])
        .args(["--density", "hexagons"])
        .arg(&data)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let first = std::fs::read(&out).expect("written");
    let command = png_file::read_text(&first)
        .expect("text chunks")
        .into_iter()
        .find(|(k, _)| k == "claimmap:command")
        .map(|(_, v)| v)
        .expect("recorded command");
    for option in [
        "--colour-by column:event_type",
        "--size-by-fatalities",
        "--density hexagons",
    ] {
        assert!(command.contains(option), "{option} missing from {command}");
    }
    std::fs::remove_file(&out).expect("removed");
    let words: Vec<String> = command
        .split(' ')
        .map(|w| w.trim_matches('\'').to_owned())
        .collect();
    claimmap().args(&words[1..]).assert().success();
    assert!(first == std::fs::read(&out).expect("written again"));
    // A field that does not exist is refused with the ones that do.
    let refused = claimmap()
        .args(["export", "--offline", "--colour-by", "colour"])
        .arg(fixture("acled_current.csv"))
        .arg("--out")
        .arg(dir.path().join("x.png"))
        .assert()
        .failure();
    let stderr = String::from_utf8_lossy(&refused.get_output().stderr).into_owned();
    assert!(stderr.contains("expected side, category"), "{stderr}");
}

#[test]
fn the_window_draws_hexagons_and_a_heat_map_and_remembers_the_choice() {
    let mut settings = offline(BasemapChoice::VectorOnly);
    settings.scene.styling.density = DensityView::Hexagons;
    let app = ViewerApp::from_loaded(
        vec![
            common::window::layer_fixture(2),
            common::window::layer_fixture(0),
        ],
        Vec::new(),
        settings,
    );
    let mut harness = build(app, egui::vec2(1400.0, 900.0));
    harness.run();
    let drawn = harness
        .state()
        .last_output()
        .density
        .expect("a density drawn");
    assert_eq!(drawn.view, DensityView::Hexagons);
    assert!(drawn.max >= 1.0);
    harness.get_by_label("Heat map").click();
    harness.run();
    let drawn = harness
        .state()
        .last_output()
        .density
        .expect("a density drawn");
    assert_eq!(drawn.view, DensityView::Heat);
    assert_eq!(
        harness.state().settings_to_save().scene.styling.density,
        DensityView::Heat,
        "saved with the settings"
    );
    harness.get_by_label("Markers").click();
    harness.run();
    assert!(harness.state().last_output().density.is_none());
    harness.get_by_label("Size by fatalities").click();
    harness.run();
    assert!(
        harness
            .state()
            .settings_to_save()
            .scene
            .styling
            .size_by_fatalities
    );
}
