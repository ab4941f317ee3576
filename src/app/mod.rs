//! The window: menu bar; layers, legend and place search on the left; the map in the centre; the
//! claims of the selected incident on the right; the status bar below.
//!
//! [`ViewerApp`] owns what the user loaded and set; each frame derives a [`crate::scene::Scene`] from
//! them, and the panels and the map read it.

mod basemap_panel;
mod dialogs;
pub mod document;
pub mod draft_review;
pub mod edit_form;
mod editing;
pub mod export_dialog;
mod incident_list;
mod layers_panel;
mod linked_records;
pub mod loading;
mod menu;
mod panels;
mod path_field;
pub mod settings_file;
mod status_bar;
mod timeline_panel;
mod unsaved_prompt;

use std::path::PathBuf;

use egui::{Key, KeyboardShortcut, Modifiers, Ui};

use crate::basemap::Basemap;
use crate::formats::{self, LoadError, Loaded};
use crate::gazetteer::{Convention, Gazetteer, Naming};

use crate::model::side_choices::SideChoices;
use crate::model::{DateWindow, Day};
use crate::scene::LayerKey;
use crate::scene::derived::Derived;
use crate::scene::map_view::{MapOutput, MapView};
use crate::scene::settings;
use crate::scene::settings::{BasemapChoice, SceneSettings, Settings};
use crate::scene::text::layer_name;
use crate::scene::{
    ClaimsPanel, DatasetLayer, IncidentRef, LayerOptions, NetworkProbe, Scene, SideAction,
    SideMenu, TileLayer, visible_layers,
};
use crate::timeline::Extent;
use dialogs::{MappingDialog, PathPrompt, PathPurpose};
use document::Document;
use edit_form::EditForm;
use export_dialog::{ExportDialog, ExportRequest};
pub use layers_panel::{LayersAction, PlaceSearch};
use loading::PendingLoad;
use panels::{PanelLayout, Side};
use timeline_panel::Timeline;
use unsaved_prompt::{Pending, UnsavedPrompt};

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
const CTRL_S: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::S);
const CTRL_Z: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Z);
const CTRL_SHIFT_Z: KeyboardShortcut =
    KeyboardShortcut::new(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::Z);
const CTRL_Y: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Y);
const CTRL_SHIFT_E: KeyboardShortcut =
    KeyboardShortcut::new(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::E);
const CTRL_SHIFT_N: KeyboardShortcut =
    KeyboardShortcut::new(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::N);

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

pub fn naming_label(naming: Naming) -> String {
    match naming {
        Naming::Single(c) => c.label().to_owned(),
        Naming::Dual(a, b) => format!("{} / {}", a.label(), b.label()),
    }
}

pub struct ViewerApp {
    /// The layers, the selection and the edits: what the panels borrow each frame.
    document: Document,
    failures: Vec<String>,
    /// What the user must know about their settings (reset values, a file kept as `.bak`),
    /// shown until dismissed.
    notices: Vec<String>,
    pub settings: Settings,
    map: MapView,
    tiles: Option<TileLayer>,
    tile_error: Option<String>,
    network: NetworkProbe,
    place_search: PlaceSearch,
    /// The path field shown when no native file dialog is available.
    path_prompt: Option<PathPrompt>,
    pending: Vec<PendingLoad>,
    /// How many of the first `pending` loads are the command line's files, which become layers
    /// in the order the command line gives them, whichever finishes first.
    pending_in_order: usize,
    mapping_dialog: Option<MappingDialog>,
    /// Layers whose import report window is open.
    reports_open: Vec<LayerKey>,
    /// The outcome of the last command (saved, undone), for the status bar.
    message: Option<String>,
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
    /// The incident being added or edited.
    edit_form: Option<EditForm>,
    /// Asked before unsaved edits would be lost.
    unsaved_prompt: Option<UnsavedPrompt>,
    /// The user chose to quit, having saved or let go of their edits.
    quit_confirmed: bool,
    /// Quitting once every edited layer is saved (some may still need a file name).
    quit_after_saving: bool,
    /// The window title last set.
    title: String,
}

/// What one frame's panels and map ask for, carried out after they are drawn.
#[derive(Default)]
struct Intents {
    select: Option<Option<IncidentRef>>,
    side: Option<SideAction>,
    go_to: Option<IncidentRef>,
    edit: Option<EditIntent>,
    show_claims: bool,
    output: Option<MapOutput>,
}

enum EditIntent {
    Edit(IncidentRef),
    Delete(IncidentRef),
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
            derived: Derived::for_window(),
            document: Document::new(loaded),
            failures,
            notices: Vec::new(),
            map: MapView::new(gazetteer, settings.view),
            settings,
            tiles: None,
            tile_error: None,
            network: NetworkProbe::idle(),
            place_search: PlaceSearch::default(),
            linked: linked_records::LinkedRecords::default(),
            draft_review: None,
            path_prompt: None,
            pending: Vec::new(),
            pending_in_order: 0,
            mapping_dialog: None,
            reports_open: Vec::new(),
            message: None,
            last_output: MapOutput::default(),
            ctx: None,
            export_dialog: None,
            panel_turned_to: Side::Claims,
            side_choices: SideChoices::default(),
            edit_form: None,
            unsaved_prompt: None,
            quit_confirmed: false,
            quit_after_saving: false,
            title: String::new(),
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
        if self.document.apply_side_choices(&self.side_choices) {
            self.forget_drawn();
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

    /// Loads the files of `options` (the embedded dataset when there are none), here and now.
    pub fn new(options: &WindowOptions, settings: Settings) -> ViewerApp {
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
        ViewerApp::starting(options, settings, loaded, failures)
    }

    /// The window as it opens: the files of `options` are loaded in the background as files
    /// opened from the menu are (with progress, Cancel, a column mapping asked for when a table
    /// needs one, and the claimants given `side_choices` on the loading thread), and become
    /// layers in the command line's order; the embedded dataset when there are none. A window
    /// that waited for a ten-million-row file would not appear for half a minute.
    pub fn opening(
        options: &WindowOptions,
        settings: Settings,
        side_choices: SideChoices,
        ctx: &egui::Context,
    ) -> ViewerApp {
        let loaded = if options.files.is_empty() {
            vec![formats::load_reference(Gazetteer::embedded())]
        } else {
            Vec::new()
        };
        let mut app = ViewerApp::starting(options, settings, loaded, Vec::new())
            .with_side_choices(side_choices);
        for path in &options.files {
            let load = app.start_load(path.clone(), None, ctx);
            app.pending.push(load);
        }
        app.pending_in_order = options.files.len();
        app
    }

    /// The window on what is `loaded`, with the rest of what `options` asks for.
    fn starting(
        options: &WindowOptions,
        mut settings: Settings,
        loaded: Vec<Loaded>,
        failures: Vec<String>,
    ) -> ViewerApp {
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
            .document
            .layers()
            .iter()
            .filter(|l| l.loaded.report.error_count > 0)
            .map(|l| l.key)
            .collect();
        app
    }

    pub fn selected(&self) -> Option<IncidentRef> {
        self.document.selected()
    }

    /// The stack the claims panel pages through, if the selection came from one.
    pub fn stack(&self) -> Option<&[IncidentRef]> {
        self.document.stack()
    }

    /// Selects an incident; the stack being paged through is kept only if it holds it.
    pub fn select(&mut self, incident: Option<IncidentRef>) {
        self.document.select(incident);
    }

    /// The layers, the selection and the edits.
    pub fn document(&self) -> &Document {
        &self.document
    }

    pub fn selected_incident(&self) -> Option<&crate::model::Incident> {
        let r = self.document.selected()?;
        self.document
            .layers()
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
        let edited = (0..self.document.layers().len()).find(|&i| {
            self.document.is_unsaved(i)
                && std::path::Path::new(&self.document.layers()[i].loaded.dataset.provenance.path)
                    == path
        });
        if let Some(i) = edited {
            let key = self.document.layers()[i].key;
            self.unsaved_prompt = Some(UnsavedPrompt::new(
                Pending::Reopen(key, path),
                self.names_of(&[i]),
            ));
            return;
        }
        self.settings.remember_recent(&path);
        self.pending.push(self.start_load(path, None, ctx));
    }

    /// A load of `path` on a thread of its own, its layer given the user's sides and derived for
    /// the filters of now.
    fn start_load(
        &self,
        path: PathBuf,
        mapping: Option<formats::ColumnMapping>,
        ctx: &egui::Context,
    ) -> PendingLoad {
        PendingLoad::start(
            path,
            mapping,
            self.side_choices.clone(),
            self.settings.scene.filters.clone(),
            ctx.clone(),
        )
    }

    /// Datasets still loading.
    pub fn pending_loads(&self) -> usize {
        self.pending.len()
    }

    pub fn layer_count(&self) -> usize {
        self.document.layers().len()
    }

    /// The loaded layers, in the order the layers panel lists them.
    pub fn layers(&self) -> &[DatasetLayer] {
        self.document.layers()
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
        let (in_order, mut still_in_order) = (self.pending_in_order, 0);
        for (n, mut load) in std::mem::take(&mut self.pending).into_iter().enumerate() {
            // A file of the command line waits for those before it.
            if n < in_order && still_in_order > 0 {
                still.push(load);
                still_in_order += 1;
                continue;
            }
            match load.take() {
                None => {
                    still_in_order += usize::from(n < in_order);
                    still.push(load);
                }
                Some(Ok(layer)) => self.add_dataset_layer(layer),
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
                            still_in_order += usize::from(n < in_order);
                            still.push(self.start_load(load.path.clone(), Some(saved), ctx));
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
        self.pending_in_order = still_in_order;
        if !self.pending.is_empty() {
            ctx.request_repaint_after(std::time::Duration::from_millis(100));
        }
    }

    /// The first and last day of the shown layers' incidents.
    fn extent(&self) -> Extent {
        let (_, datasets) = visible_layers(self.document.layers());
        crate::view::query::extent(&datasets)
            .unwrap_or((self.timeline.window.from, self.timeline.window.to))
    }

    /// Brings the derived caches up to the filters and shown layers; when they changed, the axis
    /// spans the shown data, from the first day Home goes to to the last End goes to (the wheel
    /// zooms in on where most incidents are).
    fn refresh_derived(&mut self) {
        let merged_away = if self.settings.scene.merge_linked {
            self.linked.merged_away(self.document.layers())
        } else {
            &[]
        };
        if !self.derived.refresh(
            self.document.layers(),
            &self.settings.scene.filters,
            merged_away,
        ) {
            return;
        }
        let (_, datasets) = visible_layers(self.document.layers());
        if let Some((low, high)) = crate::view::query::extent(&datasets) {
            self.timeline.focus_axis(low, high);
        }
    }

    /// The scene of the current window, from the caches; it borrows the document and the
    /// settings, so the rest of the app stays free to change while it is drawn.
    fn scene<'a>(
        derived: &mut Derived,
        document: &'a Document,
        settings: &'a SceneSettings,
        window: DateWindow,
    ) -> Scene<'a> {
        let layers = document.layers();
        let visible = derived.visible(layers, window, &settings.styling.colour_by);
        Scene::with_visible(
            layers,
            settings,
            window,
            Gazetteer::embedded(),
            document.selected(),
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
        let (_, datasets) = visible_layers(self.document.layers());
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
        let scene = Self::scene(
            &mut self.derived,
            &self.document,
            &self.settings.scene,
            self.timeline.window,
        );
        self.map.reframe(&scene);
    }

    /// Adds a loaded dataset as the last layer, as a finished load does: its import report
    /// opens when rows did not load, and an "All" window widens to take it in. The view and a
    /// window the user set are left as they are — what they were looking at stays in front of
    /// them (View ▸ Frame the incidents frames the new data) — unless nothing was shown before:
    /// then the map frames the data and the window spans it.
    pub fn add_layer(&mut self, loaded: Loaded) {
        self.add_dataset_layer(DatasetLayer::new(loaded));
    }

    /// [`ViewerApp::add_layer`] for a layer a loading thread made, its index built there
    /// ([`loading::indexed_layer`]); a side chosen since is applied here (and costs the index).
    pub fn add_dataset_layer(&mut self, mut layer: DatasetLayer) {
        let has_problems = layer.loaded.report.error_count > 0;
        let nothing_shown = !self
            .document
            .layers()
            .iter()
            .any(|l| l.visible && !l.loaded.dataset.incidents().is_empty());
        layer.apply_side_choices(&self.side_choices);
        if has_problems {
            self.reports_open.push(layer.key);
        }
        self.document.push(layer);
        self.forget_drawn();
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

    /// Removes a layer, unsaved edits and all (the file is not touched); an index past the last
    /// layer does nothing. The window asks first ([`ViewerApp::request_close_layer`]).
    pub fn close_layer(&mut self, index: usize) {
        let Some(layer) = self.document.remove(index) else {
            return;
        };
        self.reports_open.retain(|&k| k != layer.key);
        self.forget_drawn();
        // "All" stays all: it narrows to what is left, as it widens when a layer is opened.
        if self.timeline.preset == crate::timeline::Preset::All
            && !self.document.layers().is_empty()
        {
            let (from, to) = self.extent();
            self.timeline.set_window(DateWindow { from, to });
        }
    }

    /// What the map drew and hit-tests against last frame names incidents by index: after the
    /// layer list or a layer's incidents change it is dropped (the next frame draws it again).
    fn forget_drawn(&mut self) {
        self.last_output = MapOutput::default();
        self.map.forget_incidents();
        debug_assert!(self.references_are_valid());
    }

    /// Every incident the window holds on to names a loaded layer and one of its incidents.
    fn references_are_valid(&self) -> bool {
        let layers = self.document.layers();
        let valid = |r: &IncidentRef| {
            layers
                .get(r.dataset)
                .is_some_and(|l| r.index < l.loaded.dataset.incidents().len())
        };
        self.document.references_are_valid()
            && self.last_output.in_view.iter().all(valid)
            && self.last_output.hovered.iter().all(valid)
            && self.map.placed_incidents().all(|r| valid(&r))
            && self
                .reports_open
                .iter()
                .all(|&k| self.document.index_of(k).is_some())
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
            layers: self.document.layers(),
            settings: &self.settings.scene,
            window: self.timeline.window,
            selected: self.document.selected().into_iter().collect(),
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
                self.document.layers(),
                &self.settings.scene,
                self.timeline.window,
                Gazetteer::embedded(),
                self.document.selected(),
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
        let index_of = |layers: &[DatasetLayer], id| layers.iter().position(|l| l.key == id);
        for action in review.show(ctx, &mut open, Gazetteer::embedded()) {
            match action {
                ReviewAction::AddProposals(loaded) => {
                    self.add_layer(loaded);
                    if let Some(layer) = self.document.layers().last() {
                        review.set_layer(layer.key);
                    }
                }
                ReviewAction::Replace(id, loaded) => {
                    if let Some(i) = index_of(self.document.layers(), id) {
                        self.close_layer(i);
                    }
                    self.add_layer(loaded);
                    if let Some(layer) = self.document.layers().last() {
                        review.set_layer(layer.key);
                    }
                }
                ReviewAction::Close(id) => {
                    if let Some(i) = index_of(self.document.layers(), id) {
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
                (Some(path), PathPurpose::SaveAs(key)) => {
                    if let Some(i) = self.document.index_of(key) {
                        self.save_layer_as(i, &path);
                    }
                }
                (None, PathPurpose::SaveAs(_)) => self.quit_after_saving = false,
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
                self.pending.push(self.start_load(path, Some(mapping), ctx));
            }
        }
        let document = &self.document;
        self.reports_open.retain(|&key| {
            document.index_of(key).is_some_and(|i| {
                let layer = &document.layers()[i];
                dialogs::report_window(ctx, &layer_name(layer), &layer.loaded.report)
            })
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
        // Shift variants first: consume_shortcut ignores extra modifiers.
        if ui.input_mut(|i| i.consume_shortcut(&CTRL_SHIFT_E))
            && let Some(r) = self.document.selected()
        {
            self.open_edit_form(r);
        }
        if ui.input_mut(|i| i.consume_shortcut(&CTRL_SHIFT_N)) {
            self.open_new_incident_form();
        }
        if ui.input_mut(|i| i.consume_shortcut(&CTRL_E)) {
            self.open_export_dialog();
        }
        if ui.input_mut(|i| i.consume_shortcut(&CTRL_S))
            && let Some(i) = self.current_layer()
        {
            self.save_layer(i);
        }
        // A text field being typed in undoes its own typing.
        if !ctx.egui_wants_keyboard_input() {
            if ui.input_mut(|i| i.consume_shortcut(&CTRL_SHIFT_Z) || i.consume_shortcut(&CTRL_Y)) {
                self.redo();
            }
            if ui.input_mut(|i| i.consume_shortcut(&CTRL_Z)) {
                self.undo();
            }
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
        let unsaved = self.document.unsaved();
        let actions = egui::Panel::left("layers")
            .default_size(290.0)
            .size_range(PANEL_MIN..=layout.layers.unwrap_or(PANEL_MIN).max(PANEL_MIN))
            .show_collapsible(ui, &mut show_layers, |ui| {
                layers_panel::show(
                    ui,
                    self.document.layers_mut(),
                    &unsaved,
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
                LayersAction::CloseLayer(i) => self.request_close_layer(i),
                LayersAction::Save(i) => self.save_layer(i),
                LayersAction::ShowReport(i) => {
                    if let Some(layer) = self.document.layers().get(i)
                        && !self.reports_open.contains(&layer.key)
                    {
                        self.reports_open.push(layer.key);
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
        self.edit_dialogs(&ctx);
        let extent = self.extent();
        let map_hovered = self.map.is_hovered(ui);
        self.timeline.keyboard(ui, extent, map_hovered);
        if self.timeline.animate(ui, extent) {
            self.skip_empty_stretch();
        }
        self.refresh_derived();
        self.linked.sync(self.document.layers());
        let intents = self.frame(ui, layout, extent);
        self.carry_out(intents, layout);
        self.update_title(&ctx);
        debug_assert!(self.references_are_valid());
    }

    /// Draws the panels and the map from a scene that borrows the document and the settings;
    /// what the user asks for is collected and carried out once the scene is dropped.
    fn frame(&mut self, ui: &mut Ui, layout: PanelLayout, extent: Extent) -> Intents {
        let gazetteer = Gazetteer::embedded();
        let scene = Self::scene(
            &mut self.derived,
            &self.document,
            &self.settings.scene,
            self.timeline.window,
        );
        let settings = &self.settings.scene;
        let layers = self.document.layers();
        let selected = self.document.selected();
        let sides = choosable_sides(layers);
        let mut intents = Intents::default();
        let classing = self.derived.classing().map(|(by, read)| (by.label(), read));
        if classing.is_some() {
            // A frame reads a stretch of the values: the next one reads on.
            ui.ctx().request_repaint();
        }
        egui::Panel::bottom("status").show(ui, |ui| {
            status_bar::StatusBar {
                classing,
                cursor: self.last_output.cursor,
                offline: settings.offline,
                tiles: self.tiles.as_mut(),
                tile_error: self.tile_error.as_deref(),
                network: self.network.state(),
                naming: settings.naming,
                message: self.message.as_deref(),
            }
            .show(ui, &scene)
        });
        let selected_span = selected
            .and_then(|r| {
                layers
                    .get(r.dataset)?
                    .loaded
                    .dataset
                    .incidents()
                    .get(r.index)
            })
            .map(|i| (i.date.start(), i.date.end()));
        let loading = !self.pending.is_empty();
        egui::Panel::bottom("timeline").show(ui, |ui| {
            if layers.is_empty() {
                // No dates to put on an axis (the command line's files still loading, or every
                // layer closed): say so, rather than draw one round 1 January 1970.
                ui.add_space(10.0);
                ui.weak(if loading {
                    "The date slider appears here once the files have loaded."
                } else {
                    "No dataset open: File › Open dataset… (Ctrl+O). Its dates appear here."
                });
                ui.add_space(10.0);
            } else if let Some(histogram) = self.derived.histogram() {
                self.timeline.show(ui, extent, histogram, selected_span);
            }
        });
        let mut show_claims = layout.claims.is_some();
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
                let mut list = incident_list::IncidentList {
                    scene: &scene,
                    selected,
                    picked: None,
                };
                match selected.filter(|r| scene.visible.contains(*r)) {
                    Some(r) => {
                        ui.horizontal(|ui| {
                            if ui.button("Back to all incidents in view").clicked() {
                                intents.select = Some(None);
                            }
                            if ui
                                .button("Edit")
                                .on_hover_text("Edit this incident and its claims (Ctrl+Shift+E)")
                                .clicked()
                            {
                                intents.edit = Some(EditIntent::Edit(r));
                            }
                            if ui
                                .button("Delete")
                                .on_hover_text("Delete this incident (Ctrl+Z brings it back)")
                                .clicked()
                            {
                                intents.edit = Some(EditIntent::Delete(r));
                            }
                        });
                        if let Some(stack) = self.document.stack() {
                            list.stack_pager(ui, stack, r);
                        }
                        intents.go_to = self.linked.show(ui, &scene, r, gazetteer);
                        intents.side = ClaimsPanel::show(
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
                    None => list.in_view(ui, &self.last_output),
                }
                if let Some(picked) = list.picked {
                    intents.select = Some(Some(picked));
                }
            });
        intents.show_claims = show_claims;
        let output = egui::CentralPanel::default()
            .frame(egui::Frame::NONE)
            .show(ui, |ui| {
                self.map
                    .show(ui, &scene, self.tiles.as_mut(), Basemap::embedded())
            })
            .inner;
        if let Some(r) = intents.go_to.filter(|r| scene.visible.contains(*r)) {
            intents.select = Some(Some(r));
            if let Some(point) = scene.incident(r).point() {
                self.map
                    .center_on(point.x(), point.y(), self.map.zoom().max(9.0));
            }
        }
        intents.output = Some(output);
        intents
    }

    /// Carries out what the frame's panels and map asked for, now that nothing borrows the
    /// document.
    fn carry_out(&mut self, mut intents: Intents, layout: PanelLayout) {
        if intents.show_claims != layout.claims.is_some() {
            self.toggle_panel(Side::Claims, layout.claims.is_some());
        }
        if let Some(output) = intents.output.take() {
            let picking = self.edit_form.as_ref().is_some_and(|f| f.picking.is_some());
            match (output.clicked, output.cursor) {
                // A click while the form waits for one places what it asked for, and selects
                // nothing.
                (Some(_), Some((lon, lat))) if picking => {
                    if let Some(form) = &mut self.edit_form {
                        form.picked(lon, lat, Gazetteer::embedded());
                    }
                }
                (clicked, _) => {
                    // A click on stacked markers pages through them; on empty map it clears
                    // the selection, as Esc does.
                    if let Some(clicked) = clicked {
                        self.select(clicked);
                        if clicked.is_some() {
                            // Its claims are what the user turns to.
                            self.panel_turned_to = Side::Claims;
                        }
                    }
                    if let Some(stack) = &output.opened_stack {
                        self.document.set_stack(stack.clone());
                    }
                }
            }
            self.last_output = output;
        }
        if let Some(select) = intents.select {
            self.select(select);
        }
        if let Some(action) = intents.side {
            self.choose_side(action);
        }
        match intents.edit {
            Some(EditIntent::Edit(r)) => self.open_edit_form(r),
            Some(EditIntent::Delete(r)) => self.delete_incident(r),
            None => {}
        }
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
            let mut app = ViewerApp::opening(&options, settings, side_choices, &cc.egui_ctx);
            for notice in std::mem::take(&mut notices) {
                app.add_notice(notice);
            }
            Ok(Box::new(app))
        }),
    )
}
