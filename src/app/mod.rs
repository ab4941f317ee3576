//! The window: menu bar; layers, legend and place search on the left; the map in the centre; the
//! claims of the selected incident on the right; the status bar below.
//!
//! [`ViewerApp`] owns what the user loaded and set; each frame derives a [`crate::scene::Scene`] from
//! them, and the panels and the map read it.

mod basemap_panel;
mod dialogs;
pub mod draft_review;
pub mod export_dialog;
mod layers_panel;
mod linked_records;
pub mod loading;
mod panels;
mod path_field;
pub mod settings_file;
mod timeline_panel;

use std::path::PathBuf;

use egui::{Key, KeyboardShortcut, Modifiers, RichText, Ui};

use crate::basemap::Basemap;
use crate::formats::{self, LoadError, Loaded};
use crate::gazetteer::{Convention, Gazetteer, Naming};

use crate::model::side_choices::SideChoices;
use crate::model::{DateWindow, Day};
use crate::scene::derived::Derived;
use crate::scene::map_view::{MapOutput, MapView, clusters};
use crate::scene::settings;
use crate::scene::settings::{BasemapChoice, SceneSettings, Settings};
use crate::scene::text::{date_in_words, layer_name};
use crate::scene::{
    ClaimsPanel, DatasetLayer, IncidentRef, LayerOptions, NetworkProbe, NetworkState, Scene,
    SideAction, SideMenu, TileLayer, visible_layers,
};
use crate::timeline::Extent;
use dialogs::{MappingDialog, PathPrompt, PathPurpose};
use export_dialog::{ExportDialog, ExportRequest};
pub use layers_panel::{LayersAction, PlaceSearch};
use loading::PendingLoad;
use panels::{PanelLayout, Side};
use timeline_panel::Timeline;

/// What the command line asks of the window.
#[derive(Clone, Debug, Default)]
pub struct WindowOptions {
    pub files: Vec<PathBuf>,
    /// An MBTiles or PMTiles file to use as the basemap.
    pub tiles: Option<PathBuf>,
    /// An online source (`--tile-url`): chosen, and added to the basemap panel's list.
    pub tile_source: Option<crate::tiles::TileSource>,
    pub offline: bool,
}

const CTRL_F: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::F);
const CTRL_O: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::O);
const CTRL_E: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::E);

/// The naming conventions offered, in menu order.
const NAMINGS: [Naming; 8] = [
    Naming::Single(Convention::English),
    Naming::Single(Convention::Azerbaijani),
    Naming::Single(Convention::ArmenianLatin),
    Naming::Single(Convention::Armenian),
    Naming::Single(Convention::Russian),
    Naming::Dual(Convention::Azerbaijani, Convention::ArmenianLatin),
    Naming::Dual(Convention::English, Convention::ArmenianLatin),
    Naming::Dual(Convention::Azerbaijani, Convention::Armenian),
];

/// The narrowest a side panel is dragged to before it folds away.
const PANEL_MIN: f32 = 120.0;

/// Past this many incidents in view, the list shows one truncated line per incident and lays out
/// only the visible rows.
const LONG_LIST: usize = 200;

/// An incident as the list shows it: date in words, contested mark, title.
fn list_entry(scene: &Scene<'_>, r: IncidentRef) -> String {
    let incident = scene.incident(r);
    let mark = if scene.dataset(r).is_contested(incident) {
        "[contested] "
    } else {
        ""
    };
    format!(
        "{} · {mark}{}",
        date_in_words(&incident.date),
        incident.title
    )
}

pub fn naming_label(naming: Naming) -> String {
    match naming {
        Naming::Single(c) => c.label().to_owned(),
        Naming::Dual(a, b) => format!("{} / {}", a.label(), b.label()),
    }
}

pub struct ViewerApp {
    layers: Vec<DatasetLayer>,
    failures: Vec<String>,
    /// What the user must know about their settings (reset values, a file kept as `.bak`),
    /// shown until dismissed.
    notices: Vec<String>,
    pub settings: Settings,
    selected: Option<IncidentRef>,
    /// The stack the selection was opened from (a click on stacked markers): the claims panel
    /// pages through it. Dropped when the selection leaves it.
    stack: Option<Vec<IncidentRef>>,
    map: MapView,
    tiles: Option<TileLayer>,
    tile_error: Option<String>,
    network: NetworkProbe,
    place_search: PlaceSearch,
    /// The path field shown when no native file dialog is available.
    path_prompt: Option<PathPrompt>,
    pending: Vec<PendingLoad>,
    mapping_dialog: Option<MappingDialog>,
    /// Layers whose import report window is open.
    reports_open: Vec<usize>,
    last_output: MapOutput,
    ctx: Option<egui::Context>,
    timeline: Timeline,
    /// What frames derive from the layers, filters and window, kept until those change.
    derived: Derived,
    export_dialog: Option<ExportDialog>,
    /// The side panel the user turned to last: the one shown when only one fits.
    panel_turned_to: Side,
    /// The selected incident's records in other layers, and the user's decisions on them.
    linked: linked_records::LinkedRecords,
    /// File → New from report…: a report being drafted and reviewed.
    draft_review: Option<draft_review::DraftReview>,
    /// The sides the user assigned to claimants, applied to every layer and saved.
    side_choices: SideChoices,
}

impl ViewerApp {
    pub fn from_loaded(
        loaded: Vec<Loaded>,
        failures: Vec<String>,
        settings: Settings,
    ) -> ViewerApp {
        let gazetteer = Gazetteer::embedded();
        // A remembered window, unless the preset is "All": then the loaded data's whole extent.
        let window = match settings.window {
            Some((from, to)) if settings.preset != crate::timeline::Preset::All => DateWindow {
                from: Day(from),
                to: Day(to),
            },
            _ => {
                let datasets: Vec<_> = loaded.iter().map(|l| &l.dataset).collect();
                let (from, to) = crate::view::query::extent(&datasets).unwrap_or((Day(0), Day(0)));
                DateWindow { from, to }
            }
        };
        let timeline = Timeline::new(window, settings.preset, settings.playback.clone());
        ViewerApp {
            timeline,
            derived: Derived::default(),
            layers: loaded.into_iter().map(DatasetLayer::new).collect(),
            failures,
            notices: Vec::new(),
            map: MapView::new(gazetteer, settings.view),
            settings,
            selected: None,
            stack: None,
            tiles: None,
            tile_error: None,
            network: NetworkProbe::idle(),
            place_search: PlaceSearch::default(),
            linked: linked_records::LinkedRecords::default(),
            draft_review: None,
            path_prompt: None,
            pending: Vec::new(),
            mapping_dialog: None,
            reports_open: Vec::new(),
            last_output: MapOutput::default(),
            ctx: None,
            export_dialog: None,
            panel_turned_to: Side::Claims,
            side_choices: SideChoices::default(),
        }
    }

    /// The app with the sides the user assigned to claimants (as saved), applied to its layers
    /// and to every layer opened later.
    pub fn with_side_choices(mut self, choices: SideChoices) -> ViewerApp {
        self.side_choices = choices;
        self.apply_side_choices();
        self
    }

    /// The sides the user assigned to claimants.
    pub fn side_choices(&self) -> &SideChoices {
        &self.side_choices
    }

    /// Gives every layer's claimants their assigned sides (or their files' when a choice was
    /// taken back); what was derived from the old sides is derived again.
    fn apply_side_choices(&mut self) {
        let mut changed = false;
        for layer in &mut self.layers {
            changed |= layer.apply_side_choices(&self.side_choices);
        }
        if changed {
            self.layers_changed(Some);
        }
    }

    /// Assigns a side to a claimant, or takes the choice back, in every layer.
    pub fn choose_side(&mut self, action: SideAction) {
        match action {
            SideAction::Assign { claimant, side } => self.side_choices.assign(&claimant, &side),
            SideAction::Clear { claimant } => self.side_choices.clear(&claimant),
        }
        self.apply_side_choices();
    }

    /// Loads the files of `options` (the embedded dataset when there are none).
    pub fn new(options: &WindowOptions, mut settings: Settings) -> ViewerApp {
        let gazetteer = Gazetteer::embedded();
        let mut loaded = Vec::new();
        let mut failures = Vec::new();
        if options.files.is_empty() {
            loaded.push(formats::load_reference(gazetteer));
        }
        for path in &options.files {
            match formats::load_path(path, gazetteer) {
                Ok(l) => loaded.push(l),
                Err(e) => failures.push(e.to_string()),
            }
        }
        if let Some(tiles) = &options.tiles {
            settings.scene.basemap = BasemapChoice::File(tiles.clone());
        }
        if let Some(source) = &options.tile_source {
            settings.add_tile_source(source.clone());
            settings.scene.basemap = BasemapChoice::for_source(source.clone());
        }
        if options.offline {
            settings.scene.offline = true;
        }
        // Files on the command line are framed afresh rather than shown at the last session's view.
        if !options.files.is_empty() {
            settings.view = None;
        }
        let mut app = ViewerApp::from_loaded(loaded, failures, settings);
        // A file with rows that did not load says so at once, as when opened from the menu.
        app.reports_open = app
            .layers
            .iter()
            .enumerate()
            .filter(|(_, l)| l.loaded.report.error_count > 0)
            .map(|(i, _)| i)
            .collect();
        app
    }

    pub fn selected(&self) -> Option<IncidentRef> {
        self.selected
    }

    /// The stack the claims panel pages through, if the selection came from one.
    pub fn stack(&self) -> Option<&[IncidentRef]> {
        self.stack.as_deref()
    }

    /// Selects an incident; the stack being paged through is kept only if it holds it.
    pub fn select(&mut self, incident: Option<IncidentRef>) {
        self.selected = incident;
        if !incident.is_some_and(|r| self.stack.as_ref().is_some_and(|s| s.contains(&r))) {
            self.stack = None;
        }
    }

    pub fn selected_incident(&self) -> Option<&crate::model::Incident> {
        let r = self.selected?;
        self.layers
            .get(r.dataset)?
            .loaded
            .dataset
            .incidents()
            .get(r.index)
    }

    pub fn tile_layer(&self) -> Option<&TileLayer> {
        self.tiles.as_ref()
    }

    pub fn tile_error(&self) -> Option<&str> {
        self.tile_error.as_deref()
    }

    pub fn map(&self) -> &MapView {
        &self.map
    }

    pub fn last_output(&self) -> &MapOutput {
        &self.last_output
    }

    /// (Re)builds the raster layer for the current settings. Offline, online sources are never
    /// created, so nothing can reach the network.
    pub fn apply_basemap(&mut self, ctx: &egui::Context) {
        self.tiles = None;
        self.tile_error = None;
        match TileLayer::open(
            &self.settings.scene.basemap,
            self.settings.scene.offline,
            ctx,
            LayerOptions::default(),
        ) {
            Ok(layer) => self.tiles = layer,
            Err(e) => self.tile_error = Some(e),
        }
        self.network = match self.tiles.as_ref().and_then(TileLayer::host) {
            Some(host) => NetworkProbe::start(host, ctx.clone()),
            None => NetworkProbe::idle(),
        };
    }

    /// File → Clear the tile cache: deletes every downloaded tile (the layer is rebuilt, so what
    /// the map shows is fetched again), saying how much was freed.
    fn clear_tile_cache_item(&mut self, ui: &mut Ui, ctx: &egui::Context) {
        let Some(cache) = crate::scene::tile_cache() else {
            return;
        };
        let label = format!(
            "Clear the tile cache ({:.0} MB)",
            cache.size() as f64 / 1_000_000.0
        );
        if ui
            .button(label)
            .on_hover_text(cache.root().display().to_string())
            .clicked()
        {
            if let Err(e) = cache.clear() {
                self.notices
                    .push(format!("{}: cannot clear: {e}", cache.root().display()));
            }
            self.apply_basemap(ctx);
            ui.close();
        }
    }

    fn open_tile_file(&mut self, path: PathBuf, ctx: &egui::Context) {
        self.settings.scene.basemap = BasemapChoice::File(path);
        self.apply_basemap(ctx);
    }

    fn ask_for_tile_file(&mut self, ctx: &egui::Context) {
        let picked = rfd::FileDialog::new()
            .set_title("Open a tile file")
            .add_filter("Tile files", &["mbtiles", "pmtiles"])
            .pick_file();
        match picked {
            Some(path) => self.open_tile_file(path, ctx),
            // No desktop portal or dialog program here: ask for a path instead of doing nothing.
            None => {
                let last = match &self.settings.scene.basemap {
                    BasemapChoice::File(path) => Some(path.clone()),
                    _ => self.settings.recent.first().cloned(),
                };
                self.path_prompt = Some(PathPrompt::new(PathPurpose::Tiles, last.as_deref()))
            }
        }
    }

    fn ask_for_datasets(&mut self, ctx: &egui::Context) {
        let picked = rfd::FileDialog::new()
            .set_title("Open datasets")
            .add_filter(
                "Datasets",
                &["geojson", "json", "csv", "tsv", "txt", "xlsx", "ods"],
            )
            .add_filter("All files", &["*"])
            .pick_files();
        match picked {
            Some(paths) => {
                for path in paths {
                    self.open_dataset(path, ctx);
                }
            }
            None => {
                self.path_prompt = Some(PathPrompt::new(
                    PathPurpose::Dataset,
                    self.settings.recent.first().map(PathBuf::as_path),
                ))
            }
        }
    }

    /// Starts loading a dataset in the background; a table whose columns the user mapped before
    /// is loaded with that mapping.
    pub fn open_dataset(&mut self, path: PathBuf, ctx: &egui::Context) {
        self.settings.remember_recent(&path);
        self.pending
            .push(PendingLoad::start(path, None, ctx.clone()));
    }

    /// Datasets still loading.
    pub fn pending_loads(&self) -> usize {
        self.pending.len()
    }

    pub fn layer_count(&self) -> usize {
        self.layers.len()
    }

    /// The loaded layers, in the order the layers panel lists them.
    pub fn layers(&self) -> &[DatasetLayer] {
        &self.layers
    }

    pub fn failures(&self) -> &[String] {
        &self.failures
    }

    /// Notices shown until the user dismisses them (see [`settings_file`]).
    pub fn notices(&self) -> &[String] {
        &self.notices
    }

    pub fn add_notice(&mut self, notice: String) {
        self.notices.push(notice);
    }

    /// Collects finished loads: new layers, errors, and tables that need a column mapping.
    fn poll_loads(&mut self, ctx: &egui::Context) {
        let mut still = Vec::new();
        for mut load in std::mem::take(&mut self.pending) {
            match load.take() {
                None => still.push(load),
                Some(Ok(loaded)) => self.add_layer(loaded),
                Some(Err(LoadError::Columns {
                    mapping: Some(mapping),
                    header,
                    message,
                    ..
                })) => {
                    let key = settings::header_key(&header);
                    match self.settings.column_mappings.get(&key) {
                        Some(saved) if saved.missing().is_empty() => {
                            let mut saved = saved.clone();
                            saved.delimiter = mapping.delimiter;
                            still.push(PendingLoad::start(
                                load.path.clone(),
                                Some(saved),
                                ctx.clone(),
                            ));
                        }
                        _ => {
                            self.mapping_dialog =
                                Some(MappingDialog::new(load.path.clone(), *mapping, message))
                        }
                    }
                }
                Some(Err(LoadError::Cancelled { path })) => {
                    self.failures.push(format!("{path}: loading cancelled"))
                }
                Some(Err(e)) => self.failures.push(e.to_string()),
            }
        }
        self.pending = still;
        if !self.pending.is_empty() {
            ctx.request_repaint_after(std::time::Duration::from_millis(100));
        }
    }

    /// The first and last day of the shown layers' incidents.
    fn extent(&self) -> Extent {
        let (_, datasets) = visible_layers(&self.layers);
        crate::view::query::extent(&datasets)
            .unwrap_or((self.timeline.window.from, self.timeline.window.to))
    }

    /// Brings the derived caches up to the filters and shown layers; when they changed, the axis
    /// spans the shown data, from the first day Home goes to to the last End goes to (the wheel
    /// zooms in on where most incidents are).
    fn refresh_derived(&mut self) {
        let merged_away = if self.settings.scene.merge_linked {
            self.linked.merged_away(&self.layers)
        } else {
            &[]
        };
        if !self
            .derived
            .refresh(&self.layers, &self.settings.scene.filters, merged_away)
        {
            return;
        }
        let (_, datasets) = visible_layers(&self.layers);
        if let Some((low, high)) = crate::view::query::extent(&datasets) {
            self.timeline.focus_axis(low, high);
        }
    }

    /// The scene of the current window, from the caches.
    fn scene<'a>(
        &mut self,
        layers: &'a [DatasetLayer],
        settings: &'a SceneSettings,
        gazetteer: &'a Gazetteer,
    ) -> Scene<'a> {
        let visible =
            self.derived
                .visible(layers, self.timeline.window, &settings.styling.colour_by);
        Scene::with_visible(
            layers,
            settings,
            self.timeline.window,
            gazetteer,
            self.selected,
            visible,
        )
    }

    pub fn window(&self) -> DateWindow {
        self.timeline.window
    }

    pub fn set_window(&mut self, window: DateWindow) {
        self.timeline.set_window(window);
    }

    /// Moves the map to a centre and zoom.
    pub fn set_view(&mut self, view: settings::View) {
        self.map.set_view(view);
    }

    /// Where a day is on the date slider, as last drawn.
    pub fn slider_position(&self, day: Day) -> Option<egui::Pos2> {
        self.timeline.position_of(day)
    }

    pub fn is_playing(&self) -> bool {
        self.timeline.playback.playing
    }

    /// Playing through a stretch with no incidents (years between a background event and the
    /// rest, a quiet season) would show an empty map for as long as it lasts: when no incident
    /// starts in the window and the next one is more than a second of playback away, the window
    /// jumps to where it starts.
    fn skip_empty_stretch(&mut self) {
        let window = self.timeline.window;
        let (_, datasets) = visible_layers(&self.layers);
        let starts_within = |d: &&crate::model::Dataset| {
            let incidents = d.incidents();
            let first = incidents.partition_point(|i| i.date.start() < window.from);
            incidents
                .get(first)
                .is_some_and(|i| i.date.start() <= window.to)
        };
        let playback = &self.timeline.playback;
        let sliding = playback.mode == crate::timeline::PlaybackMode::Sliding;
        if sliding && datasets.iter().any(starts_within) {
            return;
        }
        let next = datasets
            .iter()
            .filter_map(|d| {
                let incidents = d.incidents();
                let after = incidents.partition_point(|i| i.date.start() <= window.to);
                incidents.get(after).map(|i| i.date.start())
            })
            .min();
        let Some(next) = next else {
            return;
        };
        let gap = f64::from(next.0) - f64::from(window.to.0);
        if gap > playback.speed.max(1.0) {
            let moved = if sliding {
                crate::timeline::window::shift(window, i64::from(next.0 - window.to.0))
            } else {
                DateWindow {
                    from: window.from,
                    to: next,
                }
            };
            self.timeline.set_window(moved);
        }
    }

    /// Frames the map on what the filters let through.
    fn reframe(&mut self) {
        self.refresh_derived();
        let layers = std::mem::take(&mut self.layers);
        let settings = self.settings.scene.clone();
        let scene = self.scene(&layers, &settings, Gazetteer::embedded());
        self.map.reframe(&scene);
        drop(scene);
        self.layers = layers;
    }

    /// Adds a loaded dataset as the last layer, as a finished load does: its import report
    /// opens when rows did not load, and an "All" window widens to take it in. The view and a
    /// window the user set are left as they are — what they were looking at stays in front of
    /// them (View ▸ Frame the incidents frames the new data) — unless nothing was shown before:
    /// then the map frames the data and the window spans it.
    pub fn add_layer(&mut self, loaded: Loaded) {
        let has_problems = loaded.report.error_count > 0;
        let nothing_shown = !self
            .layers
            .iter()
            .any(|l| l.visible && !l.loaded.dataset.incidents().is_empty());
        let mut layer = DatasetLayer::new(loaded);
        layer.apply_side_choices(&self.side_choices);
        self.layers.push(layer);
        self.layers_changed(Some);
        if has_problems {
            self.reports_open.push(self.layers.len() - 1);
        }
        if nothing_shown {
            self.timeline.preset = crate::timeline::Preset::All;
        }
        if self.timeline.preset == crate::timeline::Preset::All {
            let (from, to) = self.extent();
            self.timeline.set_window(DateWindow { from, to });
        }
        if nothing_shown {
            self.reframe();
        }
    }

    /// Removes a layer (the file is not touched); an index past the last layer does nothing.
    pub fn close_layer(&mut self, index: usize) {
        if index >= self.layers.len() {
            return;
        }
        self.layers.remove(index);
        self.layers_changed(|i| match i.cmp(&index) {
            std::cmp::Ordering::Less => Some(i),
            std::cmp::Ordering::Equal => None,
            std::cmp::Ordering::Greater => Some(i - 1),
        });
        // "All" stays all: it narrows to what is left, as it widens when a layer is opened.
        if self.timeline.preset == crate::timeline::Preset::All && !self.layers.is_empty() {
            let (from, to) = self.extent();
            self.timeline.set_window(DateWindow { from, to });
        }
    }

    /// The one place where what holds layer indices across frames follows a change of the layer
    /// list: `moved` maps an old index to the new one (`None`: the layer is gone). The selection
    /// and the open reports follow their layer; what the map drew and hit-tests against last
    /// frame is dropped, since its references name the old list (the next frame redraws it).
    fn layers_changed(&mut self, moved: impl Fn(usize) -> Option<usize>) {
        self.selected = self.selected.and_then(|r| {
            Some(IncidentRef {
                dataset: moved(r.dataset)?,
                index: r.index,
            })
        });
        self.reports_open = self.reports_open.iter().filter_map(|&i| moved(i)).collect();
        self.stack = self.stack.take().and_then(|stack| {
            let stack: Vec<IncidentRef> = stack
                .into_iter()
                .filter_map(|r| {
                    Some(IncidentRef {
                        dataset: moved(r.dataset)?,
                        index: r.index,
                    })
                })
                .collect();
            (!stack.is_empty()).then_some(stack)
        });
        if self.selected.is_none() {
            self.stack = None;
        }
        self.last_output = MapOutput::default();
        self.map.forget_incidents();
        debug_assert!(self.references_are_valid());
    }

    /// Every incident the window holds on to names a loaded layer and one of its incidents.
    fn references_are_valid(&self) -> bool {
        let valid = |r: &IncidentRef| {
            self.layers
                .get(r.dataset)
                .is_some_and(|l| r.index < l.loaded.dataset.incidents().len())
        };
        self.selected.iter().all(valid)
            && self.stack.iter().flatten().all(valid)
            && self.last_output.in_view.iter().all(valid)
            && self.last_output.hovered.iter().all(valid)
            && self.map.placed_incidents().all(|r| valid(&r))
            && self.reports_open.iter().all(|&i| i < self.layers.len())
    }

    fn open_export_dialog(&mut self) {
        if self.export_dialog.is_none() {
            // No title typed: the figure's is made from its data and window, not file names.
            let last_dir = self.settings.last_export_dir.clone();
            self.export_dialog = Some(ExportDialog::new(String::new(), last_dir.as_deref()));
        }
    }

    /// The map's size on screen in pixels, and the screen's pixels per point.
    fn map_pixels(&self, ctx: &egui::Context) -> ([u32; 2], f32) {
        let ppp = ctx.pixels_per_point();
        let size = self.map.last_rect().map_or([1600, 900], |r| {
            [
                (r.width() * ppp).round() as u32,
                (r.height() * ppp).round() as u32,
            ]
        });
        (size, ppp)
    }

    /// Renders what the map shows now, as `claimmap export` would for the same view, and writes
    /// the PNG and the tables asked for. Returns what was written.
    pub fn export(&mut self, request: &ExportRequest) -> Result<String, String> {
        let picture = crate::export::Picture {
            layers: &self.layers,
            settings: &self.settings.scene,
            window: self.timeline.window,
            selected: self.selected.into_iter().collect(),
            view: Some(self.map.view()),
        };
        let started = std::time::Instant::now();
        let rendered = crate::export::render(&picture, &request.spec).map_err(|e| e.to_string())?;
        let meta = crate::export::png_file::metadata(
            &rendered.facts,
            &rendered.view,
            &request.spec,
            &request.path,
        );
        crate::export::png_file::write(&request.path, &rendered.image, &meta)
            .map_err(|e| e.to_string())?;
        let mut written = vec![request.path.display().to_string()];
        if !request.tables.is_empty() {
            let scene = Scene::new(
                &self.layers,
                &self.settings.scene,
                self.timeline.window,
                Gazetteer::embedded(),
                self.selected,
            );
            for (table, path) in &request.tables {
                table
                    .save(&scene, &rendered.facts, path)
                    .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
                written.push(path.display().to_string());
            }
        }
        self.settings.last_export_dir = request.path.parent().map(|p| p.to_owned());
        let [w, h] = request.spec.size_px;
        Ok(format!(
            "Wrote {} ({w}×{h} px, {} incidents) in {:.1} s",
            written.join(", "),
            rendered.facts.visible,
            started.elapsed().as_secs_f64()
        ))
    }

    /// Opens File → New from report… (kept as it was if already open).
    pub fn open_draft_review(&mut self) {
        self.draft_review.get_or_insert_with(Default::default);
    }

    /// The report review, while its window is open.
    pub fn draft_review(&mut self) -> Option<&mut draft_review::DraftReview> {
        self.draft_review.as_mut()
    }

    fn review_drafts(&mut self, ctx: &egui::Context) {
        use draft_review::ReviewAction;
        let Some(mut review) = self.draft_review.take() else {
            return;
        };
        let mut open = true;
        let index_of = |layers: &[DatasetLayer], id| layers.iter().position(|l| l.id == id);
        for action in review.show(ctx, &mut open, Gazetteer::embedded()) {
            match action {
                ReviewAction::AddProposals(loaded) => {
                    self.add_layer(loaded);
                    if let Some(layer) = self.layers.last() {
                        review.set_layer(layer.id);
                    }
                }
                ReviewAction::Replace(id, loaded) => {
                    if let Some(i) = index_of(&self.layers, id) {
                        self.close_layer(i);
                    }
                    self.add_layer(loaded);
                    if let Some(layer) = self.layers.last() {
                        review.set_layer(layer.id);
                    }
                }
                ReviewAction::Close(id) => {
                    if let Some(i) = index_of(&self.layers, id) {
                        self.close_layer(i);
                    }
                }
            }
        }
        if open {
            self.draft_review = Some(review);
        }
    }

    fn dialogs(&mut self, ctx: &egui::Context) {
        self.review_drafts(ctx);
        if let Some(mut dialog) = self.export_dialog.take() {
            let mut open = true;
            let (size, ppp) = self.map_pixels(ctx);
            if let Some(request) = dialog.show(ctx, &mut open, size, ppp) {
                dialog.message = Some(self.export(&request));
            }
            if open {
                self.export_dialog = Some(dialog);
            }
        }
        if let Some(prompt) = self.path_prompt.as_mut()
            && let Some(answer) = prompt.show(ctx)
        {
            let purpose = prompt.purpose;
            self.path_prompt = None;
            match (answer, purpose) {
                (Some(path), PathPurpose::Dataset) => self.open_dataset(path, ctx),
                (Some(path), PathPurpose::Tiles) => self.open_tile_file(path, ctx),
                (None, _) => {}
            }
        }
        if let Some(dialog) = self.mapping_dialog.as_mut()
            && let Some(answer) = dialog.show(ctx)
        {
            let path = dialog.path.clone();
            self.mapping_dialog = None;
            if let Some(mapping) = answer {
                self.settings
                    .column_mappings
                    .insert(settings::header_key(&mapping.header), mapping.clone());
                self.pending
                    .push(PendingLoad::start(path, Some(mapping), ctx.clone()));
            }
        }
        let layers = &self.layers;
        self.reports_open.retain(|&i| {
            layers.get(i).is_some_and(|layer| {
                dialogs::report_window(ctx, &layer_name(layer), &layer.loaded.report)
            })
        });
    }

    /// Shows or folds a side panel: a shown panel folds away; a folded one (turned off, or
    /// making way for the other in a narrow window) is shown and becomes the one turned to.
    fn toggle_panel(&mut self, side: Side, shown: bool) {
        let want = match side {
            Side::Layers => &mut self.settings.show_layers_panel,
            Side::Claims => &mut self.settings.show_claims_panel,
        };
        *want = !shown;
        if !shown {
            self.panel_turned_to = side;
        }
    }

    /// The side panels' toggles, at the right end of the menu bar: each says whether its panel
    /// is shown.
    fn panel_toggles(&mut self, ui: &mut Ui, layout: PanelLayout) {
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            for (side, shown, label, hint) in [
                (
                    Side::Claims,
                    layout.claims.is_some(),
                    "Claims panel",
                    "Show or hide the claims panel",
                ),
                (
                    Side::Layers,
                    layout.layers.is_some(),
                    "Layers panel",
                    "Show or hide the layers panel",
                ),
            ] {
                if ui
                    .selectable_label(shown, label)
                    .on_hover_text(hint)
                    .clicked()
                {
                    self.toggle_panel(side, shown);
                }
            }
        });
    }

    fn menu(&mut self, ui: &mut Ui, layout: PanelLayout) {
        let ctx = ui.ctx().clone();
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| {
                if ui.button("Open dataset…  (Ctrl+O)").clicked() {
                    self.ask_for_datasets(&ctx);
                    ui.close();
                }
                ui.menu_button("Open recent", |ui| {
                    if self.settings.recent.is_empty() {
                        ui.label("No recent files");
                    }
                    for path in self.settings.recent.clone() {
                        if ui.button(path.display().to_string()).clicked() {
                            self.open_dataset(path, &ctx);
                            ui.close();
                        }
                    }
                });
                if ui.button("Open tile file (MBTiles, PMTiles)…").clicked() {
                    self.ask_for_tile_file(&ctx);
                    ui.close();
                }
                if ui.button("New from report…").clicked() {
                    self.open_draft_review();
                    ui.close();
                }
                if ui.button("Export image…  (Ctrl+E)").clicked() {
                    self.open_export_dialog();
                    ui.close();
                }
                let before = self.settings.scene.offline;
                ui.checkbox(
                    &mut self.settings.scene.offline,
                    "Offline (no network requests)",
                );
                if self.settings.scene.offline != before {
                    self.apply_basemap(&ctx);
                }
                self.clear_tile_cache_item(ui, &ctx);
                ui.separator();
                if ui.button("Quit").clicked() {
                    ctx.send_viewport_cmd(egui::ViewportCommand::Close);
                }
            });
            ui.menu_button("Names", |ui| {
                for choice in NAMINGS {
                    ui.radio_value(
                        &mut self.settings.scene.naming,
                        choice,
                        naming_label(choice),
                    );
                }
            });
            ui.menu_button("View", |ui| {
                if ui.button("Frame the incidents").clicked() {
                    self.reframe();
                    ui.close();
                }
                for (side, shown, label) in [
                    (Side::Layers, layout.layers.is_some(), "Layers panel"),
                    (Side::Claims, layout.claims.is_some(), "Claims panel"),
                ] {
                    let mut check = shown;
                    if ui.checkbox(&mut check, label).changed() {
                        self.toggle_panel(side, shown);
                    }
                }
                ui.separator();
                ui.checkbox(
                    &mut self.settings.scene.show_historical,
                    "Historical layer (1994 cease-fire line, 1991 NKAO)",
                );
                ui.checkbox(
                    &mut self.settings.scene.show_districts,
                    "Rayon and marz outlines",
                );
                ui.checkbox(&mut self.settings.scene.show_places, "Place names");
                ui.checkbox(&mut self.settings.scene.show_arrows, "Claim arrows");
            });
            self.panel_toggles(ui, layout);
        });
    }

    fn status_bar(&mut self, ui: &mut Ui, scene: &Scene<'_>) {
        ui.horizontal(|ui| {
            match self.last_output.cursor {
                Some((lon, lat)) => ui.monospace(format!("{lat:>9.5}, {lon:>10.5}")),
                None => ui.monospace(format!("{:>21}", "")),
            };
            ui.separator();
            ui.label(scene.counts());
            ui.separator();
            let tiles = match self.tiles.as_mut() {
                None if self.settings.scene.offline => "Offline · embedded map".to_owned(),
                None => "Embedded map".to_owned(),
                Some(layer) => {
                    let label = layer.label();
                    match (layer.host(), self.network.state()) {
                        (Some(_), NetworkState::Unreachable) => {
                            format!("{label} · no network, embedded map shown")
                        }
                        (Some(_), NetworkState::Checking) => format!("{label} · connecting…"),
                        (Some(_), _) => match layer.in_progress() {
                            0 => format!("{label} · online"),
                            n => format!("{label} · online, loading {n} tiles"),
                        },
                        (None, _) => format!("{label} · offline file"),
                    }
                }
            };
            ui.label(tiles);
            if let Some(problem) = self.tiles.as_ref().and_then(TileLayer::problem) {
                ui.separator();
                ui.colored_label(ui.visuals().warn_fg_color, problem);
                // The countdown to the next try moves on its own.
                if self
                    .tiles
                    .as_ref()
                    .and_then(TileLayer::paused_for)
                    .is_some()
                {
                    ui.ctx()
                        .request_repaint_after(std::time::Duration::from_secs(1));
                }
            }
            if let Some(error) = &self.tile_error {
                ui.separator();
                ui.colored_label(ui.visuals().error_fg_color, error);
            }
            ui.separator();
            ui.label(format!(
                "Names: {}",
                naming_label(self.settings.scene.naming)
            ));
        });
    }

    fn in_view_list(&mut self, ui: &mut Ui, scene: &Scene<'_>) {
        ui.heading("Incidents in view");
        ui.label(
            RichText::new("Click one, on the map or here, to read its claims side by side.")
                .small()
                .weak(),
        );
        ui.separator();
        let output = &self.last_output;
        if let Some(density) = &output.density {
            // The map draws no markers: the whole window, laid out row by row.
            ui.label(
                RichText::new(format!(
                    "The map shows their density ({}); choose Markers under Style to see them one by one. All {} incidents in the window:",
                    density.view.label().to_lowercase(),
                    scene.visible.len()
                ))
                .small(),
            );
            let visible = &scene.visible;
            self.long_list(ui, scene, visible.len(), |n| visible.get(n));
            return;
        }
        if output.clusters > 0 {
            // Too many to list by place: the whole window instead, laid out row by row.
            ui.label(
                RichText::new(format!(
                    "About {} incidents in view, drawn as {} clusters: zoom in, or click a cluster, to see them one by one. All {} incidents in the window:",
                    clusters::count_label(output.clustered as u32),
                    output.clusters,
                    scene.visible.len()
                ))
                .small(),
            );
            let visible = &scene.visible;
            self.long_list(ui, scene, visible.len(), |n| visible.get(n));
            return;
        }
        let in_view = output.in_view.clone();
        if in_view.len() > LONG_LIST {
            ui.label(RichText::new(format!("{} incidents in view", in_view.len())).small());
            self.long_list(ui, scene, in_view.len(), |n| in_view.get(n).copied());
            return;
        }
        egui::ScrollArea::vertical().show(ui, |ui| {
            for &r in &in_view {
                if ui
                    .selectable_label(self.selected == Some(r), list_entry(scene, r))
                    .clicked()
                {
                    self.select(Some(r));
                }
            }
            let unlocated = scene.visible.unlocated();
            if unlocated > 0 {
                ui.separator();
                ui.label(
                    RichText::new(format!("{unlocated} incidents without a location")).small(),
                );
            }
        });
    }

    /// Over the claims of an incident opened from a stack: "3 of 12 here", previous and next
    /// (or Page Up / Page Down), and the whole stack as a list to jump in.
    fn stack_pager(
        &mut self,
        ui: &mut Ui,
        scene: &Scene<'_>,
        stack: &[IncidentRef],
        selected: IncidentRef,
    ) {
        let Some(at) = stack.iter().position(|&r| r == selected) else {
            return;
        };
        let n = stack.len();
        let (previous, next) =
            ui.input(|i| (i.key_pressed(Key::PageUp), i.key_pressed(Key::PageDown)));
        let mut go = None;
        ui.horizontal(|ui| {
            if ui
                .add_enabled(at > 0, egui::Button::new("‹ Previous"))
                .on_hover_text("Page Up")
                .clicked()
                || (previous && at > 0)
            {
                go = Some(at - 1);
            }
            ui.label(RichText::new(format!("{} of {n} here", at + 1)).strong());
            if ui
                .add_enabled(at + 1 < n, egui::Button::new("Next ›"))
                .on_hover_text("Page Down")
                .clicked()
                || (next && at + 1 < n)
            {
                go = Some(at + 1);
            }
        });
        egui::CollapsingHeader::new(format!("All {n} incidents on this spot"))
            .id_salt("stack-list")
            .show(ui, |ui| {
                ui.set_max_height(ui.available_height().min(220.0));
                self.long_list(ui, scene, n, |k| stack.get(k).copied());
            });
        ui.separator();
        if let Some(k) = go {
            self.select(Some(stack[k]));
        }
    }

    /// Thousands of rows: one truncated line each, and only the rows on screen are laid out
    /// (or even formatted).
    fn long_list(
        &mut self,
        ui: &mut Ui,
        scene: &Scene<'_>,
        rows: usize,
        row: impl Fn(usize) -> Option<IncidentRef>,
    ) {
        let row_height = ui.text_style_height(&egui::TextStyle::Body) + ui.spacing().item_spacing.y;
        egui::ScrollArea::vertical().show_rows(ui, row_height, rows, |ui, shown| {
            for r in shown.filter_map(&row) {
                let label =
                    egui::Button::selectable(self.selected == Some(r), list_entry(scene, r))
                        .truncate();
                if ui.add(label).clicked() {
                    self.select(Some(r));
                }
            }
        });
    }

    /// Draws the whole window into `ui`; separate from `eframe::App` so tests run it headless.
    pub fn show(&mut self, ui: &mut Ui) {
        let ctx = ui.ctx().clone();
        if self.ctx.is_none() {
            self.ctx = Some(ctx.clone());
            self.apply_basemap(&ctx);
        }
        if ui.input_mut(|i| i.consume_shortcut(&CTRL_F)) {
            self.place_search.request_focus = true;
            // Place search is in the layers panel.
            self.settings.show_layers_panel = true;
            self.panel_turned_to = Side::Layers;
        }
        if ui.input_mut(|i| i.consume_shortcut(&CTRL_O)) {
            self.ask_for_datasets(&ctx);
        }
        if ui.input_mut(|i| i.consume_shortcut(&CTRL_E)) {
            self.open_export_dialog();
        }
        // Files dropped on the window: tile files become the basemap, anything else a layer.
        let dropped: Vec<PathBuf> = ui.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_owned())
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        });
        for path in dropped {
            let ext = path
                .extension()
                .map(|e| e.to_string_lossy().to_ascii_lowercase());
            match ext.as_deref() {
                Some("mbtiles" | "pmtiles") => self.open_tile_file(path, &ctx),
                _ => self.open_dataset(path, &ctx),
            }
        }
        self.poll_loads(&ctx);
        if !ctx.egui_wants_keyboard_input() && ui.input(|i| i.key_pressed(Key::Escape)) {
            self.select(None);
            self.map.close_spread();
        }
        let layout = panels::layout(
            ui.available_width(),
            self.settings.show_layers_panel,
            self.settings.show_claims_panel,
            self.panel_turned_to,
        );
        egui::Panel::top("menu").show(ui, |ui| self.menu(ui, layout));
        let gazetteer = Gazetteer::embedded();
        let mut show_layers = layout.layers.is_some();
        let actions = egui::Panel::left("layers")
            .default_size(290.0)
            .size_range(PANEL_MIN..=layout.layers.unwrap_or(PANEL_MIN).max(PANEL_MIN))
            .show_collapsible(ui, &mut show_layers, |ui| {
                layers_panel::show(
                    ui,
                    &mut self.layers,
                    &self.pending,
                    &mut self.settings,
                    &mut self.place_search,
                    gazetteer,
                )
            })
            .map(|r| r.inner)
            .unwrap_or_default();
        // Dragged shut, or dragged open from its edge.
        if show_layers != layout.layers.is_some() {
            self.toggle_panel(Side::Layers, layout.layers.is_some());
        }
        for action in actions {
            match action {
                LayersAction::CenterOn(id) => {
                    let place = gazetteer.place(id);
                    let zoom = if place.kind.is_area() { 8.5 } else { 11.0 };
                    self.map.center_on(place.point.x(), place.point.y(), zoom);
                }
                LayersAction::OpenTileFile => self.ask_for_tile_file(&ctx),
                LayersAction::OpenDataset => self.ask_for_datasets(&ctx),
                LayersAction::CloseLayer(i) => self.close_layer(i),
                LayersAction::ShowReport(i) => {
                    if !self.reports_open.contains(&i) {
                        self.reports_open.push(i);
                    }
                }
                LayersAction::CancelLoad(i) => {
                    if let Some(load) = self.pending.get(i) {
                        load.cancel();
                    }
                }
                LayersAction::BasemapChanged => self.apply_basemap(&ctx),
            }
        }
        self.dialogs(&ctx);
        let extent = self.extent();
        let map_hovered = self.map.is_hovered(ui);
        self.timeline.keyboard(ui, extent, map_hovered);
        if self.timeline.animate(ui, extent) {
            self.skip_empty_stretch();
        }
        self.refresh_derived();
        self.linked.sync(&self.layers);
        // The scene borrows the layers and settings for the rest of the frame.
        let layers = std::mem::take(&mut self.layers);
        let settings = self.settings.scene.clone();
        let scene = self.scene(&layers, &settings, gazetteer);
        let sides = choosable_sides(&layers);
        let mut side_action = None;
        egui::Panel::bottom("status").show(ui, |ui| self.status_bar(ui, &scene));
        let selected_span = self
            .selected
            .filter(|r| r.dataset < layers.len())
            .and_then(|r| layers[r.dataset].loaded.dataset.incidents().get(r.index))
            .map(|i| (i.date.start(), i.date.end()));
        egui::Panel::bottom("timeline").show(ui, |ui| {
            if let Some(histogram) = self.derived.histogram() {
                self.timeline.show(ui, extent, histogram, selected_span);
            }
        });
        let mut show_claims = layout.claims.is_some();
        let mut go_to = None;
        egui::Panel::right("claims")
            .default_size(460.0)
            .size_range(PANEL_MIN..=layout.claims.unwrap_or(PANEL_MIN).max(PANEL_MIN))
            .show_collapsible(ui, &mut show_claims, |ui| {
                if !self.notices.is_empty() {
                    for notice in &self.notices {
                        ui.colored_label(ui.visuals().warn_fg_color, notice);
                    }
                    if ui.small_button("Dismiss").clicked() {
                        self.notices.clear();
                    }
                    ui.separator();
                }
                for message in &self.failures {
                    ui.colored_label(ui.visuals().error_fg_color, message);
                }
                match self.selected.filter(|r| scene.visible.contains(*r)) {
                    Some(r) => {
                        if ui.button("Back to all incidents in view").clicked() {
                            self.select(None);
                        }
                        if let Some(stack) = self.stack.clone() {
                            self.stack_pager(ui, &scene, &stack, r);
                        }
                        go_to = self.linked.show(ui, &scene, r, gazetteer);
                        side_action = ClaimsPanel::show(
                            ui,
                            scene.dataset(r),
                            scene.incident(r),
                            gazetteer,
                            settings.naming,
                            &SideMenu {
                                sides: &sides,
                                choices: &self.side_choices,
                            },
                        );
                    }
                    None => self.in_view_list(ui, &scene),
                }
            });
        let output = egui::CentralPanel::default()
            .frame(egui::Frame::NONE)
            .show(ui, |ui| {
                self.map
                    .show(ui, &scene, self.tiles.as_mut(), Basemap::embedded())
            })
            .inner;
        if show_claims != layout.claims.is_some() {
            self.toggle_panel(Side::Claims, layout.claims.is_some());
        }
        // A click on stacked markers pages through them; on empty map it clears the
        // selection, as Esc does.
        if let Some(stack) = &output.opened_stack {
            self.stack = Some(stack.clone());
        }
        if let Some(clicked) = output.clicked {
            self.select(clicked);
            if clicked.is_some() {
                // Its claims are what the user turns to.
                self.panel_turned_to = Side::Claims;
            }
        }
        self.last_output = output;
        if let Some(r) = go_to.filter(|r| scene.visible.contains(*r)) {
            self.select(Some(r));
            if let Some(point) = scene.incident(r).point {
                self.map
                    .center_on(point.x(), point.y(), self.map.zoom().max(9.0));
            }
        }
        drop(scene);
        self.layers = layers;
        if let Some(action) = side_action {
            self.choose_side(action);
        }
        debug_assert!(self.references_are_valid());
    }

    /// The settings as they are saved: the view, the date window, its preset and playback live
    /// in the map and the timeline while the window runs, and are copied out only here.
    pub fn settings_to_save(&self) -> Settings {
        Settings {
            view: Some(self.map.view()),
            window: Some((self.timeline.window.from.0, self.timeline.window.to.0)),
            preset: self.timeline.preset,
            playback: self.timeline.playback.clone(),
            ..self.settings.clone()
        }
    }
}

/// The sides a claimant can be assigned to: claimmap's registry's, then those of the open layers
/// that the registry does not have (by id), each once.
fn choosable_sides(layers: &[DatasetLayer]) -> Vec<crate::model::Side> {
    let mut sides: Vec<crate::model::Side> = crate::model::registry::registry().sides.clone();
    for layer in layers {
        for side in &layer.loaded.dataset.sides {
            if !sides.iter().any(|s| s.id == side.id) {
                sides.push(side.clone());
            }
        }
    }
    sides
}

impl eframe::App for ViewerApp {
    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        self.show(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, settings::STORAGE_KEY, &self.settings_to_save());
        eframe::set_value(storage, settings_file::SIDE_CHOICES_KEY, &self.side_choices);
    }
}

/// Opens the window.
pub fn run(options: WindowOptions) -> eframe::Result {
    // The gazetteer and the basemap are read on another core while the window and its GL context
    // are made; the first frame needs both, and each takes a tenth of a second or more.
    std::thread::spawn(|| {
        crate::gazetteer::Gazetteer::embedded();
        crate::basemap::Basemap::embedded();
    });
    // The settings file is checked, and repaired, before eframe reads it: a bad value there can
    // panic at start, before any of claimmap's code runs.
    let settings_path = settings_file::default_path();
    let mut notices = settings_path
        .as_deref()
        .map(settings_file::check)
        .unwrap_or_default();
    let native = eframe::NativeOptions {
        persistence_path: settings_path,
        viewport: egui::ViewportBuilder::default()
            .with_inner_size([1600.0, 950.0])
            // The panels make way down to this (see `panels`); smaller, the time bar is clipped.
            .with_min_inner_size([640.0, 400.0])
            .with_title("claimmap"),
        persist_window: true,
        ..Default::default()
    };
    eframe::run_native(
        "claimmap",
        native,
        Box::new(move |cc| {
            crate::scene::install_fonts(&cc.egui_ctx);
            cc.egui_ctx.set_visuals(egui::Visuals::light());
            let mut settings: Settings = cc
                .storage
                .and_then(|s| eframe::get_value(s, settings::STORAGE_KEY))
                .unwrap_or_default();
            // Checked above; again here in case the file could not be rewritten.
            let reset = settings.repair();
            if !reset.is_empty() && notices.is_empty() {
                notices.push(format!(
                    "Some settings were impossible and are reset for this session: {}.",
                    reset.join("; ")
                ));
            }
            let side_choices: SideChoices = cc
                .storage
                .and_then(|s| eframe::get_value(s, settings_file::SIDE_CHOICES_KEY))
                .unwrap_or_default();
            let mut app = ViewerApp::new(&options, settings).with_side_choices(side_choices);
            for notice in std::mem::take(&mut notices) {
                app.add_notice(notice);
            }
            Ok(Box::new(app))
        }),
    )
}
