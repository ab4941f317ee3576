//! The window, headless (kittest): no display, no GPU.

use claimmap::Dataset;
use claimmap::Gazetteer;
use claimmap::Loaded;
use claimmap::ViewerApp;
use claimmap::load_reference;
use claimmap::testing::BasemapChoice;
use claimmap::testing::SceneSettings;
use claimmap::testing::Settings;
use claimmap::testing::install_fonts;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};

/// Offline settings over `basemap`: no request may leave a test.
pub fn offline(basemap: BasemapChoice) -> Settings {
    Settings {
        scene: SceneSettings {
            offline: true,
            basemap,
            ..SceneSettings::default()
        },
        ..Settings::default()
    }
}

/// The window on `app` at `size`, its fonts installed, before its first frame.
pub fn build(app: ViewerApp, size: egui::Vec2) -> Harness<'static, ViewerApp> {
    Harness::builder().with_size(size).build_ui_state(
        {
            // Once, not every frame: each install compares the fonts byte for byte.
            let mut fonts_installed = false;
            move |ui, app: &mut ViewerApp| {
                if !fonts_installed {
                    install_fonts(ui.ctx());
                    fonts_installed = true;
                }
                app.show(ui);
            }
        },
        app,
    )
}

/// The window on `app` at `size`, run until it settles.
pub fn harness(app: ViewerApp, size: egui::Vec2) -> Harness<'static, ViewerApp> {
    let mut harness = build(app, size);
    harness.run();
    harness
}

/// Layer `n` of the multi-layer tests: 0 the reference dataset, 1 real UCDP rows, else 120
/// generated ACLED rows.
pub fn layer_fixture(n: usize) -> Loaded {
    let gazetteer = Gazetteer::embedded();
    match n {
        0 => load_reference(gazetteer),
        1 => claimmap::load_path(&super::fixture("ucdp_ged231_rows.csv"), gazetteer)
            .expect("UCDP fixture"),
        _ => claimmap::load_bytes(
            &claimmap::testing::acled_file::acled_bytes(120, 7),
            "acled-120.csv",
            gazetteer,
        )
        .expect("generated ACLED"),
    }
}

/// Every status count "N of M incidents, K claims" the window shows, as (N, M, K).
pub fn shown_counts(harness: &Harness<'static, ViewerApp>) -> Vec<(usize, usize, usize)> {
    let parse = |label: &str| -> Option<(usize, usize, usize)> {
        let (n, rest) = label.split_once(" of ")?;
        let (m, rest) = rest.split_once(" incidents, ")?;
        let k = rest.strip_suffix(" claims")?;
        // Counts are written with thousands separators ("1,000,000").
        let count = |text: &str| text.replace(',', "").parse().ok();
        Some((count(n)?, count(m)?, count(k)?))
    };
    harness
        .query_all_by_label_contains(" incidents, ")
        // A plain label's text is its accesskit value.
        .filter_map(|node| node.accesskit_node().value().as_deref().and_then(parse))
        .collect()
}

/// (N, M, K) counted from the app's layers, filters and window with the plain query.
pub fn expected_counts(app: &ViewerApp) -> (usize, usize, usize) {
    let layers = app.layers();
    let shown: Vec<&Dataset> = layers
        .iter()
        .filter(|l| l.visible)
        .map(|l| &l.loaded.dataset)
        .collect();
    let visible =
        claimmap::testing::query::visible(&shown, &app.window(), &app.settings.scene.filters);
    let claims = visible
        .iter()
        .map(|&(d, i)| shown[d].incidents()[i].claims.len())
        .sum();
    let total = layers
        .iter()
        .map(|l| l.loaded.dataset.incidents().len())
        .sum();
    (visible.len(), total, claims)
}

/// The window on the reference dataset, offline, at `size`.
pub fn reference(size: egui::Vec2) -> Harness<'static, ViewerApp> {
    harness(
        ViewerApp::from_loaded(
            vec![load_reference(Gazetteer::embedded())],
            Vec::new(),
            offline(BasemapChoice::OpenStreetMap),
        ),
        size,
    )
}
