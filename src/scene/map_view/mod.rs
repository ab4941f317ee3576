//! The map: walkers' tile map with the embedded vector basemap under it (or a vector tile file,
//! drawn here with the built-in style), and the rayon outlines, place names, incidents and claim
//! arrows over it.

mod base_layer;
pub mod clusters;
pub mod density;
mod incidents_layer;
pub mod legend;
pub(crate) mod markers;
mod occupied;
mod places_layer;
pub mod stacks;
mod still_mesh;
pub mod style;
mod transform;
pub mod vector_tiles;

use std::cell::Cell;

use egui::{Align2, Color32, FontId, Key, Pos2, Rect, Response, Shape, Ui, vec2};
use walkers::{Map, MapMemory, Position, lon_lat};

use crate::basemap::{Basemap, Bounds, World};
use crate::gazetteer::Gazetteer;
use crate::view::WorldRect;

use super::settings::View;
use super::styling::DensityView;
use super::tile_layers::{CountedTiles, TileLayer};
use super::{IncidentRef, Scene};
use base_layer::{AdminOutlines, BaseOptions};
use clusters::Cluster;
pub use incidents_layer::AreaKey;
use incidents_layer::{AreaCache, Placed};
use occupied::Occupied;
use places_layer::Settlements;
use stacks::{Spread, Stack};
use still_mesh::{StillKey, StillMesh};
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
    /// A click spread a stack: all its incidents, in order (the claims panel pages through
    /// them; the map fans out at most [`stacks::SPREAD_LIMIT`]).
    pub opened_stack: Option<Vec<IncidentRef>>,
    /// Raster tiles drawn under the map this frame (the provider is credited only if any were).
    pub tiles_drawn: usize,
    /// A heat surface or hexagons drawn instead of markers, and their scale.
    pub density: Option<density::DensityDrawn>,
    /// The place names a vector tile basemap labelled, under the naming convention.
    pub basemap_labels: Vec<String>,
}

/// Zoom limits: the whole region down to a village.
const MIN_ZOOM: f64 = 3.0;
const MAX_ZOOM: f64 = 17.0;
/// The South Caucasus whole in a window's map: shown while there is nothing to frame.
const HOME_ZOOM: f64 = 6.0;
/// Incidents farther than this from the core of the data are left out when framing (a meeting
/// in Paris should not zoom the map out to Europe).
const FRAMING_RADIUS_DEG: f64 = 8.0;
/// The share of rows on each side of the core, in longitude and latitude, that may be outliers.
const FRAMING_OUTLIER_SHARE: f64 = 0.02;
/// From this many rows the most extreme on each side may be an outlier; of fewer, none can be
/// told apart from the rest.
const FRAMING_MIN_TRIMMED: usize = 10;
/// Framing looks at no more incidents than this: sorting a million for percentiles is a slow start.
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
    /// Hexagons drawn last frame, when the map shows them.
    hexagons: Vec<density::Hexagon>,
    /// Draw a box over the map explaining the colours, sizes and density (when they are not
    /// the sides' plain markers).
    pub legend_overlay: bool,
    /// The stack spread out by a click, until the zoom changes or empty map is clicked.
    spread: Option<Spread>,
    /// Where the spread's backdrop lay last frame (centre, radius): under it only the fan's
    /// markers answer the pointer, not the ones it covers.
    backdrop: Option<(Pos2, f32)>,
    /// The basemap under everything, tessellated while the view stays put.
    base_mesh: StillMesh<(usize, Rect, BaseOptions)>,
    /// The outlines over the tiles, likewise.
    overlay_mesh: StillMesh<(usize, BaseOptions)>,
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
            hexagons: Vec::new(),
            legend_overlay: true,
            spread: None,
            backdrop: None,
            base_mesh: StillMesh::default(),
            overlay_mesh: StillMesh::default(),
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
        self.spread = None;
    }

    /// The incidents whose markers the last frame drew (what clicks and hovers hit), and those
    /// a spread holds.
    pub fn placed_incidents(&self) -> impl Iterator<Item = IncidentRef> + '_ {
        self.placed
            .iter()
            .map(|p| p.incident)
            .chain(self.spread.iter().flat_map(|s| s.incidents.iter().copied()))
    }

    /// Where the last frame drew an incident's marker (in a spread: its place in the fan).
    pub fn marker_position(&self, incident: IncidentRef) -> Option<Pos2> {
        self.placed
            .iter()
            .find(|p| p.incident == incident)
            .map(|p| p.pos)
    }

    /// The stack spread out, if any.
    pub fn spread(&self) -> Option<&Spread> {
        self.spread.as_ref()
    }

    /// Folds a spread stack back (Esc, a click on empty map).
    pub fn close_spread(&mut self) {
        self.spread = None;
    }

    /// Frames the scene's located incidents in the map's rectangle.
    pub fn frame(&mut self, scene: &Scene<'_>, rect: Rect) {
        // An even sample is as good as all of them for percentiles and a bounding box.
        let step = (scene.visible.len() / FRAMING_SAMPLE).max(1);
        let mut points = Vec::with_capacity(scene.visible.len() / step + 1);
        points.extend(
            scene
                .visible
                .every(step)
                .filter_map(|(index, i)| index.columns.point(i))
                .map(|p| (p.x(), p.y())),
        );
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
            if !self.framed {
                // Nothing to frame yet (the window's files are still loading): the region.
                let home = View {
                    lat: self.home.y(),
                    lon: self.home.x(),
                    zoom: HOME_ZOOM,
                };
                self.set_view(home);
            }
        }
        // Reserve the basemap's place in the paint order before walkers paints its tiles, and fill
        // it once the frame's projection is known.
        let base_slot = ui.painter().add(Shape::Noop);
        let mut tiles = tiles;
        let tile_credit = tiles.as_deref_mut().map(|layer| layer.attribution());
        let tiles_drawn = Cell::new(0);
        // A vector file is drawn here, not by walkers, which is given no tiles then.
        let (tiles, vector) = match tiles {
            Some(TileLayer::Vector(layer)) => (None, Some(layer)),
            other => (other, None),
        };
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
        let hexagons = &mut self.hexagons;
        let self_legend = self.legend_overlay;
        let outlines = &self.outlines;
        let settlements = &self.settlements;
        let areas = &mut self.areas;
        let spread = &mut self.spread;
        let backdrop = &mut self.backdrop;
        let base_mesh = &mut self.base_mesh;
        let overlay_mesh = &mut self.overlay_mesh;
        let mut area_counts = Vec::new();
        let mut stacks: Vec<Stack> = Vec::new();
        // A spread is drawn over the place names, so that nothing covers the fan.
        let mut over = Vec::new();
        map.show(ui, |ui, response, projector, _memory| {
            let transform = ScreenTransform::new(projector);
            let rect = response.rect;
            let painter = ui.painter().with_clip_rect(rect);
            let options = BaseOptions {
                historical: scene.settings.show_historical,
                districts: scene.settings.show_districts,
            };
            let exact = still_mesh::is_exact(ui, &painter);
            // The embedded basemap is one for the program's life: its address names it.
            let basemap_id = std::ptr::from_ref(basemap) as usize;
            let base = StillKey::new(&painter, transform, (basemap_id, rect, options));
            painter.set(
                base_slot,
                base_mesh.shape(base, exact, || {
                    base_layer::shapes(basemap, &transform, rect, options)
                }),
            );
            let mut vector_places = Vec::new();
            let mut basemap_labels = Vec::new();
            if let Some(layer) = vector {
                let view =
                    Bounds::of(&[transform.to_world(rect.min), transform.to_world(rect.max)]);
                let drawn = layer.tiles_for(&view, projector.zoom());
                let tile_zoom = layer.tile_zoom(projector.zoom());
                vector_places = vector_tiles::paint(&painter, &drawn, &transform, rect, tile_zoom);
                tiles_drawn.set(tiles_drawn.get() + drawn.len());
                if layer.waiting() > 0 {
                    ui.ctx().request_repaint();
                }
            }
            let overlay = StillKey::new(&painter, transform, (basemap_id, options));
            let mut shapes = vec![overlay_mesh.shape(overlay, exact, || {
                base_layer::overlay_shapes(basemap, outlines, &transform, options)
            })];
            let pointer = response.hover_pos();
            let under_backdrop = |p: Pos2| backdrop.is_some_and(|(c, r)| p.distance(c) <= r);
            let hovered = pointer.and_then(|p| match spread.as_ref() {
                Some(s) if under_backdrop(p) => {
                    incidents_layer::hit_among(placed, p, |r| s.contains(r))
                }
                _ => incidents_layer::hit(placed, p),
            });
            *backdrop = None;
            let hovered_cluster = pointer.and_then(|p| clusters::hit(clusters, p));
            let view = rect.expand(VIEW_MARGIN);
            let in_view = clusters::in_view(scene, &clusters::world_rect(&transform, view));
            let density_view = scene.settings.styling.density;
            let mut density_drawn = None;
            let hovered_hexagon = pointer.and_then(|p| density::hit(hexagons, p));
            if density_view != DensityView::Markers {
                clusters.clear();
                *spread = None;
                let max = match density_view {
                    DensityView::Hexagons => {
                        *hexagons = density::hexagons(scene, &transform, view);
                        density::paint_hexagons(hexagons, hovered_hexagon, &mut shapes);
                        hexagons.iter().map(|h| h.count).fold(0.0, f32::max)
                    }
                    _ => {
                        hexagons.clear();
                        let (surface, peak) = density::heat(scene, &transform, view);
                        shapes.push(surface);
                        peak
                    }
                };
                density_drawn = Some(density::DensityDrawn {
                    view: density_view,
                    max,
                    hex_radius: hexagons.first().map_or(0.0, |h| h.radius),
                });
                // The selected incident keeps its marker over the density, to be found again.
                *placed = scene
                    .selected
                    .filter(|&r| scene.visible.contains(r))
                    .and_then(|r| {
                        let point = scene.incident(r).point()?;
                        Some(Placed {
                            incident: r,
                            pos: transform.point(point),
                        })
                    })
                    .into_iter()
                    .collect();
                for p in placed.iter() {
                    incidents_layer::paint_marker(scene, p, hovered, &mut over);
                }
            } else if in_view <= clusters::MARKER_LIMIT {
                hexagons.clear();
                clusters.clear();
                *placed = incidents_layer::place(scene, &transform, view, in_view);
                stacks = stacks::group(placed);
                if spread
                    .as_ref()
                    .is_some_and(|s| s.outlived_by(projector.zoom()))
                {
                    *spread = None;
                }
                let fan = spread.as_ref().and_then(|s| s.lay_out(placed, &transform));
                if fan.is_none() {
                    *spread = None;
                }
                let in_fan = |r: IncidentRef| spread.as_ref().is_some_and(|s| s.contains(r));
                area_counts = incidents_layer::paint(
                    scene,
                    areas,
                    &transform,
                    placed,
                    hovered,
                    in_fan,
                    &mut shapes,
                );
                if let Some((spot, fanned)) = fan {
                    for &(n, pos) in &fanned {
                        placed[n].pos = pos;
                    }
                    let positions: Vec<Pos2> = fanned.iter().map(|&(_, pos)| pos).collect();
                    *backdrop = Some((spot, stacks::paint_under(spot, &positions, &mut over)));
                    let mut order: Vec<usize> = fanned.iter().map(|&(n, _)| n).collect();
                    order.sort_by_key(|&n| Some(placed[n].incident) == scene.selected);
                    for n in order {
                        incidents_layer::paint_marker(scene, &placed[n], hovered, &mut over);
                    }
                    // The spread stack's count is said by its fan.
                    stacks.retain(|s| !s.incidents.iter().any(|&r| in_fan(r)));
                }
            } else {
                placed.clear();
                hexagons.clear();
                *spread = None;
                *clusters = clusters::build(scene, &transform, view);
                clusters::paint(
                    &painter,
                    clusters,
                    &scene.visible.slots,
                    hovered_cluster,
                    &mut shapes,
                );
            }
            let mut occupied = Occupied::new(view);
            for taken in placed
                .iter()
                .map(|p| Rect::from_center_size(p.pos, vec2(2.0, 2.0) * style::MARKER_RADIUS))
                .chain(
                    clusters
                        .iter()
                        .map(|c| Rect::from_center_size(c.pos, vec2(2.0, 2.0) * c.radius)),
                )
            {
                occupied.push(taken);
            }
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
                basemap_labels = vector_tiles::paint_labels(
                    &painter,
                    &vector_places,
                    scene.settings.naming,
                    rect,
                    &mut occupied,
                    &mut shapes,
                );
            }
            let counts: Vec<(Pos2, usize)> =
                stacks.iter().map(|s| (s.pos, s.incidents.len())).collect();
            incidents_layer::paint_stack_counts(&painter, &counts, &mut shapes);
            painter.extend(shapes);
            painter.extend(std::mem::take(&mut over));
            // Walkers has drawn the tiles by now: a provider none of whose tiles are on the map
            // is not credited.
            let drawn = tiles_drawn.get();
            credits(&painter, rect, tile_credit.filter(|_| drawn > 0));
            if self_legend {
                legend::paint_box(
                    &painter,
                    rect,
                    &legend::blocks(scene, density_drawn.as_ref()),
                );
            }
            let fanned_only = |p: Pos2| {
                let under = backdrop.is_some_and(|(c, r)| p.distance(c) <= r);
                under.then_some(|r: IncidentRef| spread.as_ref().is_some_and(|s| s.contains(r)))
            };
            output = interact(response, &transform, placed, fanned_only);
            output.hovered = hovered;
            output.density = density_drawn;
            // A click on a stacked marker spreads its stack (a marker of the spread is selected
            // as any marker is).
            if let Some(Some(r)) = output.clicked
                && !spread.as_ref().is_some_and(|s| s.contains(r))
                && let Some(stack) = stacks::containing(&stacks, r)
            {
                *spread = Some(Spread::new(stack, &transform, projector.zoom()));
                output.opened_stack = Some(stack.incidents.clone());
                output.clicked = stack.incidents.first().map(|&first| Some(first));
            }
            let hovered_stack = hovered
                .filter(|&r| !spread.as_ref().is_some_and(|s| s.contains(r)))
                .and_then(|r| stacks::containing(&stacks, r));
            if let Some(stack) = hovered_stack {
                egui::Tooltip::always_open(
                    ui.ctx().clone(),
                    ui.layer_id(),
                    response.id.with("marker-tip"),
                    egui::PopupAnchor::Pointer,
                )
                .show(|ui| describe_stack(ui, stack, scene));
            } else if let Some(r) = hovered {
                egui::Tooltip::always_open(
                    ui.ctx().clone(),
                    ui.layer_id(),
                    response.id.with("marker-tip"),
                    egui::PopupAnchor::Pointer,
                )
                .show(|ui| describe_incident(ui, r, scene));
            }
            if output.clicked == Some(None) {
                *spread = None;
            }
            output.clusters = clusters.len();
            output.clustered = clusters.iter().map(|c| c.count as usize).sum();
            output.areas = std::mem::take(&mut area_counts);
            output.stacks = stacks.iter().map(|s| (s.pos, s.incidents.len())).collect();
            output.tiles_drawn = drawn;
            output.basemap_labels = std::mem::take(&mut basemap_labels);
            let hit_hexagon = pointer.and_then(|p| density::hit(hexagons, p));
            if let Some(hexagon) = hit_hexagon.and_then(|n| hexagons.get(n))
                && hovered.is_none()
            {
                if response.clicked() {
                    output.clicked = None;
                    if projector.zoom() < MAX_ZOOM - 1e-6 {
                        zoom_to = Some(hexagon.bounds);
                    }
                }
                egui::Tooltip::always_open(
                    ui.ctx().clone(),
                    ui.layer_id(),
                    response.id.with("hexagon-tip"),
                    egui::PopupAnchor::Pointer,
                )
                .show(|ui| ui.label(density::describe(hexagon)));
            }
            let hit_cluster = pointer.and_then(|p| clusters::hit(clusters, p));
            if let Some(cluster) = hit_cluster.and_then(|n| clusters.get(n)) {
                if response.clicked() {
                    // A click on a disc zooms into it rather than clearing the selection. At the
                    // closest zoom, more than a screenful of incidents on one spot can come no
                    // further apart: the claims panel pages through them instead.
                    output.clicked = None;
                    if projector.zoom() >= MAX_ZOOM - 1e-6 {
                        let around = Rect::from_min_max(
                            transform.to_screen(cluster.square.min),
                            transform.to_screen(cluster.square.max),
                        );
                        let members: Vec<IncidentRef> = incidents_layer::place(
                            scene,
                            &transform,
                            around,
                            cluster.count as usize,
                        )
                        .into_iter()
                        .map(|p| p.incident)
                        .collect();
                        output.clicked = members.first().map(|&first| Some(first));
                        output.opened_stack = Some(members).filter(|m| !m.is_empty());
                    } else {
                        zoom_to = Some(cluster.bounds);
                    }
                }
                egui::Tooltip::always_open(
                    ui.ctx().clone(),
                    ui.layer_id(),
                    response.id.with("cluster-tip"),
                    egui::PopupAnchor::Pointer,
                )
                .show(|ui| ui.label(clusters::describe(cluster, &scene.visible.slots)));
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

/// What the pointer did this frame. `fanned_only` says, for a point under a spread's backdrop,
/// which markers may be hit there (the fan's).
fn interact<F: Fn(IncidentRef) -> bool>(
    response: &Response,
    transform: &ScreenTransform,
    placed: &[Placed],
    fanned_only: impl Fn(Pos2) -> Option<F>,
) -> MapOutput {
    let mut output = MapOutput::default();
    let pointer = response.hover_pos();
    output.cursor = pointer.map(|p| transform.to_world(p).to_lon_lat());
    let hit = pointer.and_then(|p| match fanned_only(p) {
        Some(eligible) => incidents_layer::hit_among(placed, p, eligible),
        None => incidents_layer::hit(placed, p),
    });
    if response.clicked() {
        output.clicked = Some(hit);
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

/// What a hovered marker's tooltip says: title, date, category, claimants.
fn describe_incident(ui: &mut Ui, r: IncidentRef, scene: &Scene<'_>) {
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
    ui.strong(dataset.title(incident));
    ui.label(format!("{span} · {}", incident.category.label()));
    ui.label(format!("Claims: {}", claimants.join("; ")));
}

/// Lines a stack's tooltip lists before "and N more".
const STACK_TIP_LINES: usize = 8;

/// What a hovered stack's tooltip says: how many, the first few by date and title, and that a
/// click spreads them.
fn describe_stack(ui: &mut Ui, stack: &Stack, scene: &Scene<'_>) {
    let n = stack.incidents.len();
    ui.strong(format!("{n} incidents here"));
    for &r in stack.incidents.iter().take(STACK_TIP_LINES) {
        let incident = scene.incident(r);
        let mark = if scene.dataset(r).is_contested(incident) {
            "[contested] "
        } else {
            ""
        };
        ui.add(
            egui::Label::new(format!(
                "{} · {mark}{}",
                super::text::date_in_words(&incident.date),
                scene.dataset(r).title(incident)
            ))
            .truncate(),
        );
    }
    if n > STACK_TIP_LINES {
        ui.label(format!("… and {} more", n - STACK_TIP_LINES));
    }
    let hint = if n > stacks::SPREAD_LIMIT {
        format!(
            "Click to spread the first {} and list all {n} in the claims panel.",
            stacks::SPREAD_LIMIT
        )
    } else {
        "Click to spread them out and page through them in the claims panel.".to_owned()
    };
    ui.label(egui::RichText::new(hint).small().weak());
}

/// A view that shows `points` (lon, lat) in a rectangle of `size` points, leaving out far
/// outliers.
///
/// The core of the data is the box between the 2nd and 98th percentiles of longitude and of
/// latitude (at least the extreme row on each side once there are ten), so a world-wide export is
/// framed on the world, not on the country its median falls in; the rows within
/// [`FRAMING_RADIUS_DEG`] of that core are framed, so a meeting in Paris does not zoom a map of
/// the Caucasus out to Europe.
pub fn framing(points: &[(f64, f64)], size: egui::Vec2) -> Option<View> {
    let mut finite = Vec::with_capacity(points.len());
    finite.extend(
        points
            .iter()
            .copied()
            .filter(|(lon, lat)| lon.is_finite() && lat.is_finite()),
    );
    let points = finite;
    if points.is_empty() {
        return None;
    }
    let n = points.len();
    let trim = if n >= FRAMING_MIN_TRIMMED {
        ((n as f64 * FRAMING_OUTLIER_SHARE) as usize).max(1)
    } else {
        0
    };
    // The values of those ranks, as a sort would place them (values equal by `total_cmp` are
    // the same bits), found without sorting.
    let core = |mut values: Vec<f64>| {
        let low = *values.select_nth_unstable_by(trim, f64::total_cmp).1;
        let high = *values
            .select_nth_unstable_by(n - 1 - trim, f64::total_cmp)
            .1;
        (low, high)
    };
    let (lon0, lon1) = core(points.iter().map(|p| p.0).collect());
    let (lat0, lat1) = core(points.iter().map(|p| p.1).collect());
    let is_near = |(lon, lat): &&(f64, f64)| {
        *lon >= lon0 - FRAMING_RADIUS_DEG
            && *lon <= lon1 + FRAMING_RADIUS_DEG
            && *lat >= lat0 - FRAMING_RADIUS_DEG
            && *lat <= lat1 + FRAMING_RADIUS_DEG
    };
    // The core holds rows on its edges by construction, so none is empty; all are framed should
    // it somehow be.
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
