//! One picture of the map, rendered without a window: run the window's map for a few headless
//! egui frames (until the tiles have arrived), tessellate the last, rasterize it on the CPU.
//!
//! The picture is laid out in points at `size / scale`, so at scale 2 every text, marker and line
//! is twice as many pixels: the same figure, sharper, never thinner.

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use egui::{Color32, Pos2, RawInput, Rect, ViewportId, vec2};
use image::RgbaImage;

use crate::basemap::Basemap;
use crate::gazetteer::Gazetteer;
use crate::model::DateWindow;
use crate::scene::map_view::MapView;
use crate::scene::settings::{SceneSettings, View};
use crate::scene::{ClaimsPanel, LayerOptions, TileLayer};
use crate::scene::{DatasetLayer, IncidentRef, Scene};

use super::decorations;
use super::facts::Facts;
use super::framing;
use super::raster::{TextureStore, rasterize};

/// The largest side, in pixels, an export may have: 8192 is what print workflows and image
/// viewers handle without tiling, and 8192² RGBA is 256 MiB.
pub const MAX_SIDE_PX: u32 = 8192;
/// The smallest map, in points, that still has room for the title, legend and scale bar.
pub const MIN_SIDE_POINTS: f32 = 240.0;
pub const MIN_SCALE: f32 = 1.0;
pub const MAX_SCALE: f32 = 4.0;
/// Frames run before the picture is taken even when nothing is loading: the first lays out the
/// panels and loads the fonts, the second paints with the map's final size.
const MIN_FRAMES: usize = 3;
/// About the height of the footer band's three lines.
const FOOTER_POINTS: f32 = 60.0;
/// Between frames while tiles download.
const TILE_POLL: Duration = Duration::from_millis(40);

/// What is drawn: the same state the window's map draws from.
pub struct Picture<'a> {
    pub layers: &'a [DatasetLayer],
    pub settings: &'a SceneSettings,
    pub window: DateWindow,
    /// Selected incidents, numbered 1, 2… on the map and in the claims inset; the first is drawn
    /// selected.
    pub selected: Vec<IncidentRef>,
    /// Centre and zoom; `None` frames the visible incidents.
    pub view: Option<View>,
}

/// Map only, or the map with the selected incident's claims beside it, as in the window.
#[derive(Copy, Clone, PartialEq, Eq, Debug, Default)]
pub enum Layout {
    #[default]
    Map,
    MapAndClaims,
}

/// How the picture is made.
#[derive(Clone, Debug)]
pub struct ExportSpec {
    /// Width and height in pixels.
    pub size_px: [u32; 2],
    /// Pixels per point: text, markers and lines grow with it.
    pub scale: f32,
    pub layout: Layout,
    pub title: Option<String>,
    /// A note printed in the footer.
    pub footer: Option<String>,
    /// The claims of the selected incidents as numbered footnotes over the map.
    pub claims_inset: bool,
    /// Title, legend, scale bar and footer; off gives the bare map.
    pub decorations: bool,
    /// How long online tiles are waited for; what has not arrived is left to the vector basemap.
    pub tile_wait: Duration,
    /// The time printed in the footer and the metadata; `None` is now (tests fix it).
    pub generated: Option<DateTime<Utc>>,
}

impl Default for ExportSpec {
    fn default() -> Self {
        ExportSpec {
            size_px: [1920, 1080],
            scale: 1.0,
            layout: Layout::Map,
            title: None,
            footer: None,
            claims_inset: true,
            decorations: true,
            tile_wait: Duration::from_secs(15),
            generated: None,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(
        "the image size {0}×{1} px is impossible: each side must be between 1 and {MAX_SIDE_PX} px"
    )]
    Size(u32, u32),
    #[error("the scale {0} is out of range: it must be between {MIN_SCALE} and {MAX_SCALE}")]
    Scale(f32),
    #[error(
        "{0}×{1} px at scale {2} leaves a map of {3:.0}×{4:.0} points, too small for its legend; use a larger size or a smaller scale (at least {MIN_SIDE_POINTS} points a side)"
    )]
    TooSmall(u32, u32, f32, f32, f32),
    #[error("the tile file cannot be used: {0}")]
    Tiles(String),
    #[error("cannot write {path}: {reason}")]
    Write { path: String, reason: String },
    #[error("{0}")]
    Input(String),
}

impl ExportSpec {
    /// Refuses sizes and scales that cannot give a readable picture, before anything is drawn.
    pub fn validate(&self) -> Result<(), ExportError> {
        let [w, h] = self.size_px;
        if w == 0 || h == 0 || w > MAX_SIDE_PX || h > MAX_SIDE_PX {
            return Err(ExportError::Size(w, h));
        }
        if !(MIN_SCALE..=MAX_SCALE).contains(&self.scale) || !self.scale.is_finite() {
            return Err(ExportError::Scale(self.scale));
        }
        let points = self.points();
        if self.decorations && (points.x < MIN_SIDE_POINTS || points.y < MIN_SIDE_POINTS) {
            return Err(ExportError::TooSmall(w, h, self.scale, points.x, points.y));
        }
        Ok(())
    }

    /// The canvas in points.
    pub fn points(&self) -> egui::Vec2 {
        vec2(
            self.size_px[0] as f32 / self.scale,
            self.size_px[1] as f32 / self.scale,
        )
    }
}

/// A rendered picture and what it shows.
pub struct Rendered {
    pub image: RgbaImage,
    /// The view the picture shows (the framed one when none was given).
    pub view: View,
    /// Where the map lies in the picture, in points (the footer and claims column take the rest).
    pub map_rect: Rect,
    pub facts: Facts,
    /// Online tiles still missing when the wait ran out (the vector basemap shows there).
    pub tiles_missing: usize,
    /// Why tiles of a tile file could not be drawn (too large, undecodable), for a warning.
    pub tile_problem: Option<String>,
}

/// Renders `picture` as `spec` asks.
pub fn render(picture: &Picture<'_>, spec: &ExportSpec) -> Result<Rendered, ExportError> {
    spec.validate()?;
    let ctx = egui::Context::default();
    crate::scene::install_fonts(&ctx);
    ctx.set_visuals(egui::Visuals::light());
    ctx.all_styles_mut(|style| style.animation_time = 0.0);
    let screen = Rect::from_min_size(Pos2::ZERO, spec.points());
    let mut input = RawInput {
        screen_rect: Some(screen),
        ..Default::default()
    };
    if let Some(viewport) = input.viewports.get_mut(&ViewportId::ROOT) {
        viewport.native_pixels_per_point = Some(spec.scale);
    }
    let settings = picture.settings;
    let mut tiles = TileLayer::open(
        &settings.basemap,
        settings.offline,
        &ctx,
        LayerOptions::for_export(spec.size_px, spec.scale),
    )
    .map_err(ExportError::Tiles)?;
    let gazetteer = Gazetteer::embedded();
    let scene = Scene::new(
        picture.layers,
        settings,
        picture.window,
        gazetteer,
        picture.selected.first().copied(),
    );
    let generated = spec.generated.unwrap_or_else(Utc::now);
    // The provider is credited once its tiles are drawn (the footer is laid out before the map,
    // so from the frame before): an online basemap with no network is not credited.
    let tile_credit = tiles.as_mut().map(|t| t.attribution());
    let mut facts = Facts::gather(&scene, &picture.selected, spec, generated);
    // Framed first where the decorations are expected, then again where the first frame drew
    // them (their size depends on the data's words), before the frames that are kept.
    let extent = match picture.view {
        Some(_) => None,
        None => framing::extent(&scene),
    };
    let view = picture
        .view
        .or_else(|| extent.as_ref().map(|e| estimated_view(e, spec)));
    let map_area = map_rect(spec);
    if let Some(v) = &view {
        shown(&mut facts, &scene, spec, v, map_area);
    }
    let mut map = MapView::new(gazetteer, view);
    // A figure explains its colours in its own legend, or shows the map's when it has none.
    map.legend_overlay = !spec.decorations;
    let mut textures = TextureStore::new();
    // A wait past the clock's range is a wait for ever, not an overflow.
    let deadline = Instant::now().checked_add(spec.tile_wait);
    let mut frames = 0;
    let mut quiet_frames = 0;
    let mut map_rect: Rect;
    let output = loop {
        input.time = Some(frames as f64 * TILE_POLL.as_secs_f64());
        let mut drawn = Drawn {
            tiles: 0,
            map: screen,
            covered: Vec::new(),
        };
        let mut output = ctx.run_ui(input.clone(), |ui| {
            drawn = draw(ui, &scene, &mut map, tiles.as_mut(), picture, spec, &facts);
        });
        let tiles_drawn = drawn.tiles;
        map_rect = drawn.map;
        if frames == 0
            && let Some(e) = &extent
        {
            let view = framing::fit(e, drawn.map, &drawn.covered);
            shown(&mut facts, &scene, spec, &view, drawn.map);
            map.set_view(view);
        }
        // Tiles once drawn stay drawn, so the credit settles a frame after the first tile.
        // A source with no credit to give never settles on one: it is settled as it is.
        let wants_credit = tiles_drawn > 0 && tile_credit.is_some_and(|t| !t.is_empty());
        let credit_settled = facts.tile_credit.is_some() == wants_credit;
        facts.tile_credit = tile_credit.filter(|_| wants_credit).map(str::to_owned);
        // As a GPU renderer does: new textures before painting, frees only after, so a texture
        // freed in the frame that is kept is still there to paint it.
        textures.apply_set(&output.textures_delta);
        frames += 1;
        let loading = tiles.as_mut().map_or(0, |t| t.in_progress());
        // A tile asked for in this frame may not be counted yet: wait for two quiet frames.
        quiet_frames = if loading == 0 { quiet_frames + 1 } else { 0 };
        if frames >= MIN_FRAMES
            && credit_settled
            && (quiet_frames >= 2 || deadline.is_some_and(|d| Instant::now() >= d))
        {
            // The store is dropped after this frame is painted; its frees need not be applied.
            output.textures_delta.clear();
            break (output, loading);
        }
        textures.apply_free(&output.textures_delta);
        // Handed to the store; egui checks that no delta is dropped unapplied.
        output.textures_delta.clear();
        if tiles.as_ref().is_some_and(|t| t.host().is_some()) {
            std::thread::sleep(TILE_POLL);
        }
    };
    let (output, tiles_missing) = output;
    let primitives = ctx.tessellate(output.shapes, output.pixels_per_point);
    let image = rasterize(
        &primitives,
        &textures,
        output.pixels_per_point,
        spec.size_px,
        Color32::WHITE,
    );
    // A quote the figure shows that could not be read from its file must not be published.
    for layer in picture.layers {
        if let Some(e) = layer.loaded.dataset.unreadable_text() {
            return Err(ExportError::Input(e.to_string()));
        }
    }
    Ok(Rendered {
        image,
        view: map.view(),
        map_rect,
        facts,
        tiles_missing,
        tile_problem: tiles.as_ref().and_then(TileLayer::problem),
    })
}

/// What of the scene a view of `map` shows: the incidents it cannot show are counted, and a
/// title made from the data names where the incidents it shows are.
fn shown(facts: &mut Facts, scene: &Scene<'_>, spec: &ExportSpec, view: &View, map: Rect) {
    (facts.beyond_map, facts.unlocated) = framing::not_shown(scene, view, map);
    let on_map = |p: geo::Point<f64>| map.contains(framing::project(view, map, p.x(), p.y()));
    if facts.beyond_map > 0 {
        facts.legend_for_map(scene, &on_map);
    }
    if spec.title.is_none() {
        facts.title = super::title::derive(scene, &facts.categories, &on_map);
    }
}

/// The view that frames the scene's incidents where the decorations are expected to leave the
/// map clear (a timelapse keeps one such view for all its frames); `None` when none is located.
pub fn framed_view(scene: &Scene<'_>, spec: &ExportSpec) -> Option<View> {
    framing::extent(scene).map(|e| estimated_view(&e, spec))
}

fn estimated_view(extent: &framing::Extent, spec: &ExportSpec) -> View {
    let map = map_rect(spec);
    let covered = if spec.decorations {
        decorations::expected_boxes(map)
    } else {
        Vec::new()
    };
    framing::fit(extent, map, &covered)
}

/// The map's rectangle in the picture, in points: what the footer and claims column leave.
fn map_rect(spec: &ExportSpec) -> Rect {
    let mut size = spec.points();
    if spec.layout == Layout::MapAndClaims {
        size.x -= claims_width(spec);
    }
    if spec.decorations {
        size.y -= FOOTER_POINTS;
    }
    Rect::from_min_size(Pos2::ZERO, size)
}

fn claims_width(spec: &ExportSpec) -> f32 {
    (spec.points().x * 0.34).clamp(280.0, 560.0)
}

/// What one frame drew: raster tiles, the map's rectangle, and the boxes over it.
struct Drawn {
    tiles: usize,
    map: Rect,
    covered: Vec<Rect>,
}

/// One frame of the picture: footer band, optional claims column, the map and its decorations.
fn draw(
    ui: &mut egui::Ui,
    scene: &Scene<'_>,
    map: &mut MapView,
    tiles: Option<&mut TileLayer>,
    picture: &Picture<'_>,
    spec: &ExportSpec,
    facts: &Facts,
) -> Drawn {
    if spec.decorations {
        egui::Panel::bottom("export-footer")
            .resizable(false)
            .show_separator_line(false)
            .frame(
                egui::Frame::NONE
                    .fill(Color32::WHITE)
                    .inner_margin(egui::Margin::symmetric(10, 6)),
            )
            .show(ui, |ui| decorations::footer(ui, facts));
    }
    if spec.layout == Layout::MapAndClaims {
        let width = claims_width(spec);
        egui::Panel::right("export-claims")
            .resizable(false)
            .exact_size(width)
            .frame(
                egui::Frame::NONE
                    .fill(Color32::WHITE)
                    .inner_margin(egui::Margin::same(10)),
            )
            .show(ui, |ui| claims_column(ui, scene, picture));
    }
    egui::CentralPanel::default()
        .frame(egui::Frame::NONE)
        .show(ui, |ui| {
            let rect = ui.available_rect_before_wrap();
            let output = map.show(ui, scene, tiles, Basemap::embedded());
            let mut covered = Vec::new();
            if spec.decorations {
                let painter = ui.painter_at(rect);
                covered = decorations::map_overlay(&painter, rect, map, scene, facts, &output);
            }
            Drawn {
                tiles: output.tiles_drawn,
                map: rect,
                covered,
            }
        })
        .inner
}

/// The claims of each selected incident, as the window's panel shows them, numbered as on the map.
fn claims_column(ui: &mut egui::Ui, scene: &Scene<'_>, picture: &Picture<'_>) {
    if picture.selected.is_empty() {
        ui.weak("No incident selected: select one (in the window, or --select ID) to quote its claims here.");
        return;
    }
    for (n, r) in picture.selected.iter().enumerate() {
        ui.push_id(n, |ui| {
            if picture.selected.len() > 1 {
                ui.strong(format!("[{}]", n + 1));
            }
            ClaimsPanel::show_stacked(
                ui,
                scene.dataset(*r),
                scene.incident(*r),
                scene.gazetteer,
                scene.settings.naming,
            );
        });
        ui.separator();
    }
}
