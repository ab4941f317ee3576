//! CPU time of whole window frames, headless: egui runs [`ViewerApp::show`] and tessellates
//! what it painted, as a frame before the GPU; no display, no network.
//!
//! Three scenarios, the ones issue 7 sets targets for: a one-month window sliding across the
//! data's whole range at country zoom and at district zoom, and everything visible at country
//! zoom while the map pans a little each frame (so no frame is a repeat of the last).

use std::time::Instant;

use crate::formats::Loaded;
use crate::formats::progress::LoadControl;
use crate::model::side_choices::SideChoices;
use crate::model::{DateWindow, Day};

use crate::app::ViewerApp;
use crate::app::loading::indexed_layer;
use crate::scene::DatasetLayer;
use crate::scene::settings::{BasemapChoice, SceneSettings, Settings, View};

/// The window the frames are drawn in: a laptop screen.
const SCREEN: egui::Vec2 = egui::vec2(1600.0, 950.0);
/// Country zoom: the whole Armenia–Azerbaijan border on screen.
pub const COUNTRY_ZOOM: f64 = 7.0;
/// District zoom: a rayon fills the map.
pub const DISTRICT_ZOOM: f64 = 10.0;
/// Frames run before timing each scenario: the first builds the caches, which is load cost.
const WARM_UP: usize = 3;
/// The sliding window's length.
const WINDOW_DAYS: i32 = 30;

/// Percentiles of one scenario's frame times, in milliseconds.
#[derive(Copy, Clone, Debug, Default, PartialEq)]
pub struct FrameTimes {
    pub frames: usize,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub max_ms: f64,
    /// The first frame of the scenario, its window or view just set.
    pub first_ms: f64,
}

/// The three scenarios' times.
#[derive(Copy, Clone, Debug, Default, PartialEq)]
pub struct FrameBench {
    pub incidents: usize,
    /// What the loading thread adds to a load: the layers' indexes built
    /// ([`crate::app::loading::indexed_layer`]), in milliseconds.
    pub index_ms: f64,
    /// The frame a finished load arrives in, in milliseconds: the window takes the loaded
    /// layers (as `ViewerApp::show` does when its loading thread is done: the window spans the
    /// data, the map frames it) and draws them. What `first_frame_ms` reports.
    pub arrival_ms: f64,
    /// One-month window sliding across the range, country zoom.
    pub sliding_country: FrameTimes,
    /// The same at district zoom, centred on a busy spot.
    pub sliding_district: FrameTimes,
    /// Every incident visible, country zoom, panning.
    pub all_visible: FrameTimes,
}

impl FrameBench {
    /// One JSON object: the keys `claimmap-bench` reports, then the details.
    pub fn to_json(&self) -> String {
        let t = |f: &FrameTimes| {
            format!(
                "{{\"frames\": {}, \"p50_ms\": {:.2}, \"p95_ms\": {:.2}, \"max_ms\": {:.2}, \"first_ms\": {:.1}}}",
                f.frames, f.p50_ms, f.p95_ms, f.max_ms, f.first_ms
            )
        };
        format!(
            "{{\"incidents\": {}, \"index_ms\": {:.1}, \"first_frame_ms\": {:.1}, \"first_month_frame_ms\": {:.1}, \"frame_ms_p50\": {:.2}, \"frame_ms_p95\": {:.2}, \"frame_all_visible_ms_p95\": {:.2}, \"sliding_country\": {}, \"sliding_district\": {}, \"all_visible\": {}}}",
            self.incidents,
            self.index_ms,
            self.arrival_ms,
            self.sliding_country.first_ms,
            self.sliding_country
                .p50_ms
                .max(self.sliding_district.p50_ms),
            self.sliding_country
                .p95_ms
                .max(self.sliding_district.p95_ms),
            self.all_visible.p95_ms,
            t(&self.sliding_country),
            t(&self.sliding_district),
            t(&self.all_visible),
        )
    }
}

/// A headless window: an egui context with the app's fonts, stepped one frame at a time.
struct Headless {
    ctx: egui::Context,
    app: ViewerApp,
    time: f64,
}

impl Headless {
    fn new(app: ViewerApp) -> Headless {
        let ctx = egui::Context::default();
        crate::scene::fonts::install(&ctx);
        ctx.set_visuals(egui::Visuals::light());
        Headless {
            ctx,
            app,
            time: 0.0,
        }
    }

    /// Runs one frame and tessellates it; returns its CPU time in milliseconds.
    fn frame(&mut self) -> f64 {
        self.frame_after(|_| ())
    }

    /// [`Headless::frame`], `arrive` run on the app first and timed with the frame: what
    /// `ViewerApp::show` does before drawing when a load has finished.
    fn frame_after(&mut self, arrive: impl FnOnce(&mut ViewerApp)) -> f64 {
        self.time += 1.0 / 60.0;
        let input = egui::RawInput {
            screen_rect: Some(egui::Rect::from_min_size(egui::Pos2::ZERO, SCREEN)),
            time: Some(self.time),
            ..Default::default()
        };
        let started = Instant::now();
        let app = &mut self.app;
        arrive(app);
        let mut output = self.ctx.run_ui(input, |ui| app.show(ui));
        // No GPU takes the font atlas here; egui asserts that a frame's textures were handled.
        output.textures_delta.clear();
        let primitives = self.ctx.tessellate(output.shapes, output.pixels_per_point);
        let elapsed = started.elapsed().as_secs_f64() * 1000.0;
        debug_assert!(!primitives.is_empty(), "a frame paints something");
        elapsed
    }

    /// Runs `frames` frames, calling `before(frame)` ahead of each, and times them.
    fn scenario(
        &mut self,
        frames: usize,
        mut before: impl FnMut(&mut ViewerApp, usize),
    ) -> FrameTimes {
        before(&mut self.app, 0);
        let first_ms = self.frame();
        for _ in 0..WARM_UP {
            self.frame();
        }
        let mut times: Vec<f64> = (0..frames)
            .map(|f| {
                before(&mut self.app, f);
                self.frame()
            })
            .collect();
        times.sort_by(f64::total_cmp);
        let at = |p: f64| {
            times
                .get(((times.len().saturating_sub(1)) as f64 * p).round() as usize)
                .copied()
                .unwrap_or(0.0)
        };
        FrameTimes {
            frames,
            p50_ms: at(0.5),
            p95_ms: at(0.95),
            max_ms: at(1.0),
            first_ms,
        }
    }
}

/// Times `frames` frames of each scenario over the given datasets, loaded into the window as a
/// finished load is: indexed as the loading thread does, then added to a window already drawing.
pub fn measure(loaded: Vec<Loaded>, frames: usize) -> FrameBench {
    let incidents = loaded.iter().map(|l| l.dataset.incidents().len()).sum();
    let datasets: Vec<_> = loaded.iter().map(|l| &l.dataset).collect();
    let (first, last) = crate::view::extent(&datasets).unwrap_or((Day(0), Day(0)));
    // A busy spot for district zoom: the middle incident of the largest layer (incidents cluster
    // where they are reported, so a random one is likely in a dense place).
    let busy = loaded
        .iter()
        .max_by_key(|l| l.dataset.incidents().len())
        .and_then(|l| {
            let incidents = l.dataset.incidents();
            incidents.get(incidents.len() / 2)?.point()
        })
        .map_or((45.9, 40.1), |p| (p.x(), p.y()));
    let settings = Settings {
        scene: SceneSettings {
            offline: true,
            basemap: BasemapChoice::VectorOnly,
            ..SceneSettings::default()
        },
        ..Settings::default()
    };
    let started = Instant::now();
    let control = LoadControl::default();
    let layers: Vec<DatasetLayer> = loaded
        .into_iter()
        .map(|l| {
            indexed_layer(
                l,
                &SideChoices::default(),
                &settings.scene.filters,
                &control,
            )
        })
        .collect();
    let index_ms = started.elapsed().as_secs_f64() * 1000.0;
    // The window is up and has drawn (its fonts and panels laid out) before a load finishes.
    let mut headless = Headless::new(ViewerApp::from_loaded(Vec::new(), Vec::new(), settings));
    headless.frame();
    let arrival_ms = headless.frame_after(|app| {
        for layer in layers {
            app.add_dataset_layer(layer);
        }
    });
    let span = i64::from((last.0 - first.0).max(1));
    let sliding = |frames: usize| {
        move |app: &mut ViewerApp, f: usize| {
            let from = first.add_days((span * f as i64 / frames.max(1) as i64) as i32);
            app.set_window(DateWindow {
                from,
                to: from.add_days(WINDOW_DAYS),
            });
        }
    };
    let country = View {
        lon: 46.0,
        lat: 40.05,
        zoom: COUNTRY_ZOOM,
    };
    headless.app.set_view(country);
    let sliding_country = headless.scenario(frames, sliding(frames));
    headless.app.set_view(View {
        lon: busy.0,
        lat: busy.1,
        zoom: DISTRICT_ZOOM,
    });
    let sliding_district = headless.scenario(frames, sliding(frames));
    let all_visible = headless.scenario(frames, |app, f| {
        app.set_window(DateWindow {
            from: first,
            to: last,
        });
        // A slow drag: a few pixels a frame, back and forth.
        let offset = ((f % 40) as f64 - 20.0) * 0.0005;
        app.set_view(View {
            lon: country.lon + offset,
            ..country
        });
    });
    FrameBench {
        incidents,
        index_ms,
        arrival_ms,
        sliding_country,
        sliding_district,
        all_visible,
    }
}
