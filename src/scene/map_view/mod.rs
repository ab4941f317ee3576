//! The map: walkers' tile map with the embedded vector basemap under it, and the rayon outlines,
//! place names, incidents and claim arrows over it.

mod base_layer;
pub mod clusters;
mod incidents_layer;
pub(crate) mod markers;
mod places_layer;
pub mod style;
mod transform;

use std::cell::Cell;

use egui::{Align2, Color32, FontId, Key, Pos2, Rect, Response, Shape, Ui, vec2};
use walkers::{Map, MapMemory, Position, lon_lat};

use crate::basemap::{Basemap, World};
use crate::gazetteer::Gazetteer;
use crate::view::WorldRect;

use super::settings::View;
use super::tile_layers::{CountedTiles, TileLayer};
use super::{IncidentRef, Scene};
use base_layer::{AdminOutlines, BaseOptions};
use clusters::Cluster;
pub use incidents_layer::AreaKey;
use incidents_layer::{AreaCache, Placed};
use places_layer::Settlements;
pub use transform::ScreenTransform;

/// What the map reports back each frame.
#[derive(Default, Debug)]
pub struct MapOutput {
    /// The user clicked a marker (`Some(Some)`), or empty map (`Some(None)`).
    pub clicked: Option<Option<IncidentRef>>,
    pub hovered: Option<IncidentRef>,
    /// Longitude, latitude under the pointer.
    pub cursor: Option<(f64, f64)>,
    /// Incidents whose markers are on screen, in date order (none while clustered).
    pub in_view: Vec<IncidentRef>,
    /// Cluster discs drawn instead of markers: none while markers are drawn.
    pub clusters: usize,
    /// Visible incidents in the clusters drawn (on screen or just past its edge).
    pub clustered: usize,
    /// The areas imprecise incidents are located to, each shaded once, with how many share it.
    pub areas: Vec<(AreaKey, usize)>,
    /// Markers drawn on one spot: where, and how many (each carries its count).
    pub stacks: Vec<(Pos2, usize)>,
    /// Raster tiles drawn under the map this frame (the provider is credited only if any were).
    pub tiles_drawn: usize,
}

/// Zoom limits: the whole region down to a village.
const MIN_ZOOM: f64 = 3.0;
const MAX_ZOOM: f64 = 17.0;
/// Incidents farther than this from the median are left out when framing (a meeting in Paris
/// should not zoom the map out to Europe).
const FRAMING_RADIUS_DEG: f64 = 8.0;
/// Framing looks at no more incidents than this: a median of a million is a slow start.
const FRAMING_SAMPLE: usize = 100_000;
/// Margin around the screen within which markers and discs are still drawn, so they do not pop
/// in at the edge.
const VIEW_MARGIN: f32 = 40.0;

pub struct MapView {
    memory: MapMemory,
    /// The centre walkers falls back to when the map is not detached.
    home: Position,
    framed: bool,
    outlines: AdminOutlines,
    settlements: Settlements,
    areas: AreaCache,
    last_rect: Option<Rect>,
    pending_view: Option<View>,
    placed: Vec<Placed>,
    clusters: Vec<Cluster>,
}

impl MapView {
    pub fn new(gazetteer: &Gazetteer, view: Option<View>) -> MapView {
        MapView {
            memory: MapMemory::default(),
            home: lon_lat(46.0, 40.0),
            framed: false,
            outlines: AdminOutlines::new(gazetteer),
            settlements: Settlements::new(gazetteer),
            areas: AreaCache::default(),
            last_rect: None,
            pending_view: view,
            placed: Vec::new(),
            clusters: Vec::new(),
        }
    }

    pub fn center(&self) -> Position {
        self.memory.detached().unwrap_or(self.home)
    }

    pub fn view(&self) -> View {
        let c = self.center();
        View {
            lat: c.y(),
            lon: c.x(),
            zoom: self.memory.zoom(),
        }
    }

    /// The map's rectangle in the last frame, in points.
    pub fn last_rect(&self) -> Option<Rect> {
        self.last_rect
    }

    pub fn zoom(&self) -> f64 {
        self.memory.zoom()
    }

    /// The cluster discs of the last frame: centre and count (none while markers are drawn).
    pub fn clusters(&self) -> impl Iterator<Item = (Pos2, u32)> + '_ {
        self.clusters.iter().map(|c| (c.pos, c.count))
    }

    pub fn set_view(&mut self, view: View) {
        self.memory.center_at(lon_lat(view.lon, view.lat));
        let _ = self.memory.set_zoom(view.zoom.clamp(MIN_ZOOM, MAX_ZOOM));
        self.framed = true;
    }

    /// Centres on a place, zooming in to at least `zoom`.
    pub fn center_on(&mut self, lon: f64, lat: f64, zoom: f64) {
        let zoom = self.memory.zoom().max(zoom);
        self.set_view(View { lat, lon, zoom });
    }

    /// Drops the markers and discs of the last frame, which name layers by index: called when
    /// the layer list changes, so no click or hover can reach a layer that is gone.
    pub fn forget_incidents(&mut self) {
        self.placed.clear();
        self.clusters.clear();
    }

    /// The incidents whose markers the last frame drew (what clicks and hovers hit).
    pub fn placed_incidents(&self) -> impl Iterator<Item = IncidentRef> + '_ {
        self.placed.iter().map(|p| p.incident)
    }

    /// Frames the scene's located incidents in the map's rectangle.
    pub fn frame(&mut self, scene: &Scene<'_>, rect: Rect) {
        // An even sample is as good as all of them for a median and a bounding box.
        let step = (scene.visible.len() / FRAMING_SAMPLE).max(1);
        let points: Vec<(f64, f64)> = scene
            .visible
            .iter()
            .step_by(step)
            .filter_map(|r| scene.incident(r).point)
            .map(|p| (p.x(), p.y()))
            .collect();
        let Some(view) = framing(&points, rect.size()) else {
            return;
        };
        self.set_view(view);
    }

    /// Frames the scene again in the map's last rectangle.
    pub fn reframe(&mut self, scene: &Scene<'_>) {
        if let Some(rect) = self.last_rect {
            self.frame(scene, rect);
        }
    }

    /// Whether the pointer is over the map (where arrow keys pan it rather than step the dates).
    pub fn is_hovered(&self, ui: &Ui) -> bool {
        let pointer = ui.input(|i| i.pointer.hover_pos());
        matches!((self.last_rect, pointer), (Some(rect), Some(p)) if rect.contains(p))
    }

    fn keyboard(&mut self, ui: &Ui) {
        if ui.ctx().egui_wants_keyboard_input() {
            return;
        }
        let hovered = self.is_hovered(ui);
        let (zoom_in, zoom_out, pan) = ui.input(|i| {
            let zoom_in = i.key_pressed(Key::Plus) || i.key_pressed(Key::Equals);
            let zoom_out = i.key_pressed(Key::Minus);
            let mut pan = vec2(0.0, 0.0);
            for (key, d) in [
                (Key::ArrowLeft, vec2(-1.0, 0.0)),
                (Key::ArrowRight, vec2(1.0, 0.0)),
                (Key::ArrowUp, vec2(0.0, -1.0)),
                (Key::ArrowDown, vec2(0.0, 1.0)),
            ] {
                if hovered && i.key_pressed(key) && !i.modifiers.shift && !i.modifiers.ctrl {
                    pan += d;
                }
            }
            (zoom_in, zoom_out, pan)
        });
        if zoom_in {
            let _ = self.memory.zoom_in();
        }
        if zoom_out {
            let _ = self.memory.zoom_out();
        }
        if pan != vec2(0.0, 0.0)
            && let Some(rect) = self.last_rect
        {
            // A quarter of the view per key press.
            let scale = 256.0 * 2f64.powf(self.memory.zoom());
            let c = self.center();
            let w = World::from_lon_lat(c.x(), c.y());
            let moved = World {
                x: w.x + f64::from(pan.x * rect.width() / 4.0) / scale,
                y: w.y + f64::from(pan.y * rect.height() / 4.0) / scale,
            };
            let (lon, lat) = moved.to_lon_lat();
            self.memory.center_at(lon_lat(lon, lat));
        }
    }

    /// Draws the map and everything on it.
    pub fn show(
        &mut self,
        ui: &mut Ui,
        scene: &Scene<'_>,
        tiles: Option<&mut TileLayer>,
        basemap: &Basemap,
    ) -> MapOutput {
        self.keyboard(ui);
        let rect = ui.available_rect_before_wrap();
        self.last_rect = Some(rect);
        if let Some(view) = self.pending_view.take() {
            self.set_view(view);
        }
        if !self.framed && rect.width() > 50.0 {
            self.frame(scene, rect);
            self.framed = true;
        }
        // Reserve the basemap's place in the paint order before walkers paints its tiles, and fill
        // it once the frame's projection is known.
        let base_slot = ui.painter().add(Shape::Noop);
        let mut tiles = tiles;
        let tile_credit = tiles.as_deref_mut().map(|layer| layer.attribution());
        let tiles_drawn = Cell::new(0);
        let mut counted = tiles.map(|t| CountedTiles::new(t.tiles(), &tiles_drawn));
        let map = Map::new(
            counted.as_mut().map(|c| c as &mut dyn walkers::Tiles),
            &mut self.memory,
            self.home,
        )
        .zoom_with_ctrl(false)
        .double_click_to_zoom(true);
        let mut output = MapOutput::default();
        let mut zoom_to = None;
        let placed = &mut self.placed;
        let clusters = &mut self.clusters;
        let outlines = &self.outlines;
        let settlements = &self.settlements;
        let areas = &mut self.areas;
        let mut area_counts = Vec::new();
        let mut stacks = Vec::new();
        map.show(ui, |ui, response, projector, _memory| {
            let transform = ScreenTransform::new(projector);
            let rect = response.rect;
            let painter = ui.painter().with_clip_rect(rect);
            let options = BaseOptions {
                historical: scene.settings.show_historical,
                districts: scene.settings.show_districts,
            };
            painter.set(
                base_slot,
                Shape::Vec(base_layer::shapes(basemap, &transform, rect, options)),
            );
            let mut shapes = base_layer::overlay_shapes(basemap, outlines, &transform, options);
            let pointer = response.hover_pos();
            let hovered = pointer.and_then(|p| incidents_layer::hit(placed, p));
            let hovered_cluster = pointer.and_then(|p| clusters::hit(clusters, p));
            let view = rect.expand(VIEW_MARGIN);
            let in_view = clusters::in_view(scene, &clusters::world_rect(&transform, view));
            if in_view <= clusters::MARKER_LIMIT {
                clusters.clear();
                *placed = incidents_layer::place(scene, &transform, view, in_view);
                area_counts =
                    incidents_layer::paint(scene, areas, &transform, placed, hovered, &mut shapes);
                stacks = incidents_layer::stacks(placed);
            } else {
                placed.clear();
                *clusters = clusters::build(scene, &transform, view);
                clusters::paint(
                    &painter,
                    clusters,
                    &scene.visible.sides,
                    hovered_cluster,
                    &mut shapes,
                );
            }
            let mut occupied: Vec<Rect> = placed
                .iter()
                .map(|p| Rect::from_center_size(p.pos, vec2(2.0, 2.0) * style::MARKER_RADIUS))
                .chain(
                    clusters
                        .iter()
                        .map(|c| Rect::from_center_size(c.pos, vec2(2.0, 2.0) * c.radius)),
                )
                .collect();
            if scene.settings.show_places {
                places_layer::paint(
                    &painter,
                    scene.gazetteer,
                    settlements,
                    &scene.referenced_places(placed.iter().map(|p| p.incident)),
                    &scene.unresolved_location_names(placed.iter().map(|p| (p.incident, p.pos))),
                    scene.settings.naming,
                    &transform,
                    rect,
                    projector.zoom(),
                    scene.settings.show_districts,
                    &mut occupied,
                    &mut shapes,
                );
            }
            incidents_layer::paint_stack_counts(&painter, &stacks, &mut shapes);
            painter.extend(shapes);
            // Walkers has drawn the tiles by now: a provider none of whose tiles are on the map
            // is not credited.
            let drawn = tiles_drawn.get();
            credits(&painter, rect, tile_credit.filter(|_| drawn > 0));
            output = interact(ui, response, &transform, placed, scene);
            output.hovered = hovered;
            output.clusters = clusters.len();
            output.clustered = clusters.iter().map(|c| c.count as usize).sum();
            output.areas = std::mem::take(&mut area_counts);
            output.stacks = std::mem::take(&mut stacks);
            output.tiles_drawn = drawn;
            let hit_cluster = pointer.and_then(|p| clusters::hit(clusters, p));
            if let Some(cluster) = hit_cluster.and_then(|n| clusters.get(n)) {
                if response.clicked() {
                    // A click on a disc zooms into it rather than clearing the selection.
                    output.clicked = None;
                    zoom_to = Some(cluster.bounds);
                }
                egui::Tooltip::always_open(
                    ui.ctx().clone(),
                    ui.layer_id(),
                    response.id.with("cluster-tip"),
                    egui::PopupAnchor::Pointer,
                )
                .show(|ui| ui.label(clusters::describe(cluster, &scene.visible.sides)));
            }
        });
        if let Some(bounds) = zoom_to {
            self.zoom_into(bounds, rect);
        }
        output
    }

    /// Centres on a cluster's incidents and zooms in until they spread over the view (at least
    /// one level, so every click makes progress).
    fn zoom_into(&mut self, bounds: WorldRect, rect: Rect) {
        let corners: Vec<(f64, f64)> = [bounds.min, bounds.max]
            .iter()
            .map(|w| w.to_lon_lat())
            .collect();
        let Some(fit) = framing(&corners, rect.size()) else {
            return;
        };
        let zoom = fit.zoom.max(self.memory.zoom() + 1.0).min(MAX_ZOOM);
        self.set_view(View { zoom, ..fit });
    }
}

/// The credits every map view carries: the tile provider's, Natural Earth's, GeoNames', Who's On
/// First's (the gazetteer's sources).
fn credits(painter: &egui::Painter, rect: Rect, tiles: Option<&str>) {
    let mut text = String::new();
    if let Some(tiles) = tiles.filter(|t| !t.is_empty()) {
        text.push_str(tiles);
        text.push_str(" · ");
    }
    text.push_str("Natural Earth · GeoNames (CC BY 4.0) · Who's On First");
    let galley = painter.layout_no_wrap(text, FontId::proportional(11.0), Color32::from_gray(40));
    let at = Align2::RIGHT_BOTTOM.anchor_size(rect.right_bottom() - vec2(4.0, 4.0), galley.size());
    painter.rect_filled(
        at.expand(3.0),
        3.0,
        Color32::from_rgba_unmultiplied(255, 255, 255, 200),
    );
    painter.galley(at.min, galley, Color32::from_gray(40));
}

fn interact(
    ui: &Ui,
    response: &Response,
    transform: &ScreenTransform,
    placed: &[Placed],
    scene: &Scene<'_>,
) -> MapOutput {
    let mut output = MapOutput::default();
    let pointer = response.hover_pos();
    output.cursor = pointer.map(|p| transform.to_world(p).to_lon_lat());
    let hit = pointer.and_then(|p| incidents_layer::hit(placed, p));
    if response.clicked() {
        output.clicked = Some(hit);
    }
    if let Some(r) = hit {
        let dataset = scene.dataset(r);
        let incident = scene.incident(r);
        let date = &incident.date;
        let span = if date.start() == date.end() {
            date.start().to_string()
        } else {
            format!("{} – {}", date.start(), date.end())
        };
        let mut claimants: Vec<&str> = incident
            .claims
            .iter()
            .map(|c| &*dataset.claimant(c.claimant).name)
            .collect();
        claimants.dedup();
        egui::Tooltip::always_open(
            ui.ctx().clone(),
            ui.layer_id(),
            response.id.with("marker-tip"),
            egui::PopupAnchor::Pointer,
        )
        .show(|ui| {
            ui.strong(&*incident.title);
            ui.label(format!("{span} · {}", incident.category.label()));
            ui.label(format!("Claims: {}", claimants.join("; ")));
        });
    }
    let mut in_view: Vec<IncidentRef> = placed
        .iter()
        .filter(|p| response.rect.contains(p.pos))
        .map(|p| p.incident)
        .collect();
    in_view.sort_by_key(|r| (r.dataset, r.index));
    output.in_view = in_view;
    output
}

/// A view that shows `points` (lon, lat) in a rectangle of `size` points, leaving out outliers
/// far from the median.
pub fn framing(points: &[(f64, f64)], size: egui::Vec2) -> Option<View> {
    let points: Vec<(f64, f64)> = points
        .iter()
        .copied()
        .filter(|(lon, lat)| lon.is_finite() && lat.is_finite())
        .collect();
    if points.is_empty() {
        return None;
    }
    let median = |mut values: Vec<f64>| {
        values.sort_by(f64::total_cmp);
        values[values.len() / 2]
    };
    let (mlon, mlat) = (
        median(points.iter().map(|p| p.0).collect()),
        median(points.iter().map(|p| p.1).collect()),
    );
    let is_near = |(lon, lat): &&(f64, f64)| {
        (lon - mlon).abs() <= FRAMING_RADIUS_DEG && (lat - mlat).abs() <= FRAMING_RADIUS_DEG
    };
    // The median longitude and latitude can come from different clusters with no incident near
    // both (three groups far apart): then there are no outliers to speak of, and all of them are
    // framed, rather than an empty box whose centre is the world's corner (85°N, 180°W).
    let near: Vec<World> = if points.iter().any(|p| is_near(&p)) {
        points
            .iter()
            .filter(is_near)
            .map(|(lon, lat)| World::from_lon_lat(*lon, *lat))
            .collect()
    } else {
        points
            .iter()
            .map(|(lon, lat)| World::from_lon_lat(*lon, *lat))
            .collect()
    };
    debug_assert!(!near.is_empty());
    let (min_x, max_x) = near
        .iter()
        .fold((f64::MAX, f64::MIN), |(a, b), w| (a.min(w.x), b.max(w.x)));
    let (min_y, max_y) = near
        .iter()
        .fold((f64::MAX, f64::MIN), |(a, b), w| (a.min(w.y), b.max(w.y)));
    let centre = World {
        x: (min_x + max_x) / 2.0,
        y: (min_y + max_y) / 2.0,
    };
    // Leave a margin of a sixth on each side for labels and arrows.
    let usable = (f64::from(size.x) * 0.66, f64::from(size.y) * 0.66);
    let span = ((max_x - min_x) * 256.0, (max_y - min_y) * 256.0);
    let zoom_x = if span.0 > 0.0 {
        (usable.0 / span.0).log2()
    } else {
        MAX_ZOOM
    };
    let zoom_y = if span.1 > 0.0 {
        (usable.1 / span.1).log2()
    } else {
        MAX_ZOOM
    };
    let zoom = zoom_x.min(zoom_y).clamp(MIN_ZOOM, 11.0);
    let (lon, lat) = centre.to_lon_lat();
    Some(View { lat, lon, zoom })
}

/// Screen position of a lon/lat in the last frame, for tests.
pub fn screen_position(view: &MapView, lon: f64, lat: f64) -> Option<Pos2> {
    let rect = view.last_rect?;
    let scale = 256.0 * 2f64.powf(view.memory.zoom());
    let c = view.center();
    let centre = World::from_lon_lat(c.x(), c.y());
    let w = World::from_lon_lat(lon, lat);
    Some(
        rect.center()
            + vec2(
                ((w.x - centre.x) * scale) as f32,
                ((w.y - centre.y) * scale) as f32,
            ),
    )
}
