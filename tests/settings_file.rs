//! A corrupted settings file never stops the window from starting and never loses the user's
//! settings: each impossible value is reset on its own and the rest kept; a file that cannot be
//! read at all is kept as `.bak`; the user is told either way; a sound file is left untouched.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use claimmap::Convention;
use claimmap::Naming;
use claimmap::testing::STORAGE_KEY;
use claimmap::testing::SceneSettings;
use claimmap::testing::Settings;
use claimmap::testing::View;
use claimmap::testing::settings_file;
use claimmap::testing::settings_file::WindowGeometry;
use claimmap::testing::settings_file::WindowSettings;

fn settings() -> Settings {
    Settings {
        scene: SceneSettings {
            naming: Naming::Single(Convention::Armenian),
            offline: true,
            ..SceneSettings::default()
        },
        view: Some(View {
            lat: 40.1,
            lon: 46.0,
            zoom: 9.0,
        }),
        window: Some((18_770, 18_800)),
        preset: claimmap::Preset::Month,
        ..Settings::default()
    }
}

fn window() -> WindowSettings {
    WindowSettings {
        normal_geometry: WindowGeometry {
            outer_position_pixels: Some(egui::pos2(10.0, 20.0)),
            scale_factor: 1.0,
            inner_size_points: egui::vec2(1200.0, 800.0),
        },
        fullscreen: false,
        maximized: false,
    }
}

fn memory(zoom: f32) -> egui::Memory {
    let mut memory = egui::Memory::default();
    memory.options.zoom_factor = zoom;
    memory
}

/// A settings file as eframe writes it: a map of keys to RON texts.
fn write_file(
    dir: &Path,
    settings: &Settings,
    memory: &egui::Memory,
    window: &WindowSettings,
) -> PathBuf {
    let mut entries = BTreeMap::new();
    entries.insert(
        STORAGE_KEY.to_owned(),
        ron::ser::to_string(settings).expect("ron"),
    );
    entries.insert("egui".to_owned(), ron::ser::to_string(memory).expect("ron"));
    entries.insert(
        "window".to_owned(),
        ron::ser::to_string(window).expect("ron"),
    );
    let path = dir.join(settings_file::FILE_NAME);
    std::fs::write(
        &path,
        ron::ser::to_string_pretty(&entries, Default::default()).expect("ron"),
    )
    .expect("write");
    path
}

fn read_back(path: &Path) -> (Settings, egui::Memory, WindowSettings) {
    let entries: BTreeMap<String, String> =
        ron::from_str(&std::fs::read_to_string(path).expect("read")).expect("a RON map");
    (
        ron::from_str(&entries[STORAGE_KEY]).expect("settings"),
        ron::from_str(&entries["egui"]).expect("egui memory"),
        ron::from_str(&entries["window"]).expect("window"),
    )
}

fn bak(path: &Path) -> PathBuf {
    PathBuf::from(format!("{}.bak", path.display()))
}

#[test]
fn a_sound_file_is_left_untouched() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write_file(dir.path(), &settings(), &memory(1.25), &window());
    let before = std::fs::read(&path).expect("read");
    assert!(settings_file::check(&path).is_empty());
    assert_eq!(std::fs::read(&path).expect("read"), before);
    assert!(!bak(&path).exists());
    // No file yet: nothing to say.
    assert!(settings_file::check(&dir.path().join("absent.ron")).is_empty());
}

#[test]
fn a_zero_or_huge_ui_zoom_is_reset_and_the_rest_kept() {
    for zoom in [0.0, 1000.0, f32::NAN, -1.0] {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = write_file(dir.path(), &settings(), &memory(zoom), &window());
        let original = std::fs::read(&path).expect("read");
        let notices = settings_file::check(&path);
        assert_eq!(notices.len(), 1, "{notices:?}");
        assert!(notices[0].contains("interface zoom"), "{notices:?}");
        assert!(notices[0].contains(".bak"), "{notices:?}");
        let (kept, memory, window_after) = read_back(&path);
        assert_eq!(memory.options.zoom_factor, 1.0);
        assert_eq!(kept, settings(), "the other settings are kept");
        assert_eq!(window_after, window());
        assert_eq!(std::fs::read(bak(&path)).expect("the .bak"), original);
        // Checked again, the repaired file is sound.
        assert!(settings_file::check(&path).is_empty());
    }
}

#[test]
fn a_nan_or_infinite_view_is_reset_and_the_rest_kept() {
    for (lat, lon, zoom) in [
        (f64::NAN, 46.0, 9.0),
        (40.0, f64::INFINITY, 9.0),
        (40.0, 46.0, f64::NEG_INFINITY),
        (95.0, 46.0, 9.0),
        (40.0, 46.0, 1e9),
    ] {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut bad = settings();
        bad.view = Some(View { lat, lon, zoom });
        let path = write_file(dir.path(), &bad, &memory(1.0), &window());
        let notices = settings_file::check(&path);
        assert!(notices[0].contains("map view"), "{notices:?}");
        let (kept, _, _) = read_back(&path);
        assert_eq!(kept.view, None);
        assert_eq!(kept.scene.naming, settings().scene.naming);
        assert_eq!(kept.window, settings().window);
    }
}

#[test]
fn dates_and_speeds_out_of_range_are_reset_one_by_one() {
    let mut bad = settings();
    bad.window = Some((i32::MIN, i32::MAX));
    bad.playback.speed = 0.0;
    let mut repaired = bad.clone();
    let resets = repaired.repair();
    assert_eq!(resets.len(), 2, "{resets:?}");
    assert_eq!(repaired.window, None);
    assert_eq!(repaired.preset, claimmap::Preset::All);
    assert_eq!(repaired.playback.speed, claimmap::Playback::default().speed);
    assert_eq!(repaired.view, settings().view, "the view is kept");
    // A window whose end comes before its start.
    let mut reversed = settings();
    reversed.window = Some((18_800, 18_770));
    assert_eq!(reversed.repair().len(), 1);
    assert_eq!(reversed.window, None);
    // Sound settings are not touched.
    let mut sound = settings();
    assert!(sound.repair().is_empty());
    assert_eq!(sound, settings());
}

#[test]
fn impossible_window_sizes_are_reset() {
    for (size, scale, position) in [
        (egui::vec2(0.0, 0.0), 1.0, Some(egui::pos2(0.0, 0.0))),
        (egui::vec2(1e9, 800.0), 1.0, None),
        (egui::vec2(f32::NAN, 800.0), 1.0, None),
        (egui::vec2(1200.0, 800.0), 0.0, Some(egui::pos2(10.0, 10.0))),
        (
            egui::vec2(1200.0, 800.0),
            1.0,
            Some(egui::pos2(f32::INFINITY, 1.0)),
        ),
    ] {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut bad = window();
        bad.normal_geometry = WindowGeometry {
            outer_position_pixels: position,
            scale_factor: scale,
            inner_size_points: size,
        };
        let path = write_file(dir.path(), &settings(), &memory(1.0), &bad);
        let notices = settings_file::check(&path);
        assert_eq!(notices.len(), 1, "{notices:?}");
        let (kept, _, window) = read_back(&path);
        let g = window.normal_geometry;
        assert!((64.0..=16_384.0).contains(&g.inner_size_points.x), "{g:?}");
        assert!((64.0..=16_384.0).contains(&g.inner_size_points.y), "{g:?}");
        assert!((0.25..=8.0).contains(&g.scale_factor), "{g:?}");
        assert!(
            g.outer_position_pixels
                .is_none_or(|p| p.x.is_finite() && p.y.is_finite())
        );
        assert_eq!(kept, settings());
    }
}

/// The mirror of egui_winit's private layout reads what egui_winit writes, and egui_winit reads
/// what the repair writes.
#[test]
fn the_window_layout_matches_egui_winit() {
    let ours = window();
    let theirs: egui_winit::WindowSettings =
        ron::from_str(&ron::ser::to_string(&ours).expect("ron")).expect("egui_winit reads ours");
    assert_eq!(theirs.inner_size_points(), egui::vec2(1200.0, 800.0));
    let back: WindowSettings =
        ron::from_str(&ron::ser::to_string(&theirs).expect("ron")).expect("we read egui_winit's");
    assert_eq!(back, ours);
}

#[test]
fn garbage_truncated_or_huge_files_are_kept_as_bak_and_the_user_told() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sound = write_file(dir.path(), &settings(), &memory(1.0), &window());
    let text = std::fs::read(&sound).expect("read");
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("garbage", b"\x00\xff\xfe not RON at all {{{".to_vec()),
        ("truncated", text[..text.len() / 2].to_vec()),
        ("not a map", b"[1, 2, 3]".to_vec()),
    ];
    for (what, bytes) in cases {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join(settings_file::FILE_NAME);
        std::fs::write(&path, &bytes).expect("write");
        let notices = settings_file::check(&path);
        assert_eq!(notices.len(), 1, "{what}: {notices:?}");
        assert!(
            notices[0].contains("could not be read"),
            "{what}: {notices:?}"
        );
        assert!(notices[0].contains("app.ron.bak"), "{what}: {notices:?}");
        assert!(!path.exists(), "{what}: eframe starts from defaults");
        assert_eq!(std::fs::read(bak(&path)).expect("bak"), bytes, "{what}");
    }
    // Huge: a sparse file past the limit is not read, only moved aside.
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join(settings_file::FILE_NAME);
    let file = std::fs::File::create(&path).expect("create");
    file.set_len(settings_file::MAX_BYTES + 1).expect("set_len");
    let notices = settings_file::check(&path);
    assert!(notices[0].contains("MB"), "{notices:?}");
    assert!(bak(&path).exists());
    // A second bad file does not overwrite the first backup.
    std::fs::write(&path, b"garbage").expect("write");
    let notices = settings_file::check(&path);
    assert!(notices[0].contains("app.ron.bak.1"), "{notices:?}");
    assert_eq!(
        std::fs::metadata(bak(&path)).expect("first backup").len(),
        settings_file::MAX_BYTES + 1
    );
}

/// claimmap's own entry unreadable (another type): the rest of the file is kept, the entry
/// dropped, the original kept as `.bak`.
#[test]
fn an_unreadable_claimmap_entry_is_dropped_and_the_file_kept() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write_file(dir.path(), &settings(), &memory(1.5), &window());
    let mut entries: BTreeMap<String, String> =
        ron::from_str(&std::fs::read_to_string(&path).expect("read")).expect("map");
    entries.insert(
        STORAGE_KEY.to_owned(),
        "(naming: 42, offline: \"yes\")".to_owned(),
    );
    std::fs::write(&path, ron::ser::to_string(&entries).expect("ron")).expect("write");
    let notices = settings_file::check(&path);
    assert!(notices[0].contains("claimmap's settings"), "{notices:?}");
    let after: BTreeMap<String, String> =
        ron::from_str(&std::fs::read_to_string(&path).expect("read")).expect("map");
    assert!(!after.contains_key(STORAGE_KEY));
    let memory: egui::Memory = ron::from_str(&after["egui"]).expect("kept");
    assert_eq!(memory.options.zoom_factor, 1.5);
    assert!(bak(&path).exists());
}

/// What the check found is shown in the window until dismissed.
#[test]
fn the_window_shows_the_notice_until_dismissed() {
    use claimmap::ViewerApp;
    use egui_kittest::kittest::Queryable;
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write_file(dir.path(), &settings(), &memory(0.0), &window());
    let notices = settings_file::check(&path);
    let mut app = ViewerApp::from_loaded(
        vec![claimmap::load_reference(claimmap::Gazetteer::embedded())],
        Vec::new(),
        {
            let mut settings = settings();
            settings.scene.offline = true;
            settings
        },
    );
    for notice in notices {
        app.add_notice(notice);
    }
    let mut harness = common::window::harness(app, egui::vec2(1400.0, 1000.0));
    harness.get_by_label_contains("the interface zoom 0 (now 1)");
    harness.get_by_label("Dismiss").click();
    harness.run();
    assert!(harness.query_by_label_contains("interface zoom").is_none());
    assert!(harness.state().notices().is_empty());
}
