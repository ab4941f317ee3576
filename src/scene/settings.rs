//! Everything the user sets that the next session starts with, and within it the part a scene
//! reads ([`SceneSettings`]: naming, basemap, filters, what the map shows), which is all the
//! exporter is given.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::formats::ColumnMapping;
use crate::gazetteer::Naming;
use crate::tiles::{Preset as TilePreset, TileSource};
use crate::timeline::{Playback, Preset};
use crate::view::Filters;

use super::styling::Styling;

/// Where the raster basemap comes from; the embedded vector basemap is always drawn underneath.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize, Default)]
pub enum BasemapChoice {
    /// Only the embedded vector basemap.
    VectorOnly,
    #[default]
    OpenStreetMap,
    OpenTopoMap,
    /// An MBTiles or PMTiles file.
    File(PathBuf),
    /// Any other online source: a preset or one the user added (`--tile-url`, the panel).
    Online(TileSource),
}

impl BasemapChoice {
    /// The online source this choice downloads from; `None` for files and the vector map.
    pub fn online_source(&self) -> Option<TileSource> {
        let preset = |id| TilePreset::by_id(id).map(TilePreset::source);
        match self {
            BasemapChoice::OpenStreetMap => preset("openstreetmap"),
            BasemapChoice::OpenTopoMap => preset("opentopomap"),
            BasemapChoice::Online(source) => Some(source.clone()),
            BasemapChoice::VectorOnly | BasemapChoice::File(_) => None,
        }
    }

    /// The choice for a source: the named variants for the two presets older settings files
    /// name, so a file written by this version still reads in the previous one.
    pub fn for_source(source: TileSource) -> BasemapChoice {
        let is = |id| TilePreset::by_id(id).is_some_and(|p| p.source() == source);
        if is("openstreetmap") {
            BasemapChoice::OpenStreetMap
        } else if is("opentopomap") {
            BasemapChoice::OpenTopoMap
        } else {
            BasemapChoice::Online(source)
        }
    }
}

/// A map view: centre and zoom.
#[derive(Copy, Clone, PartialEq, Debug, Serialize, Deserialize)]
pub struct View {
    pub lat: f64,
    pub lon: f64,
    pub zoom: f64,
}

/// What a scene reads of the user's settings: how places are named, the basemap, the filters and
/// which of the map's layers are drawn. The window's and the exports' scenes are made from it.
#[derive(Clone, PartialEq, Debug)]
pub struct SceneSettings {
    pub naming: Naming,
    /// Guarantees no network request: online tiles are not even created.
    pub offline: bool,
    pub basemap: BasemapChoice,
    pub show_historical: bool,
    pub show_districts: bool,
    pub show_places: bool,
    pub show_arrows: bool,
    /// What the map, the list, the counts and the slider let through.
    pub filters: Filters,
    /// What markers' colours and sizes say, and whether a density replaces them.
    pub styling: Styling,
    /// Records confirmed as one event count and draw once (the earliest layer's record).
    pub merge_linked: bool,
}

impl Default for SceneSettings {
    fn default() -> Self {
        SceneSettings {
            naming: Naming::default(),
            offline: false,
            basemap: BasemapChoice::default(),
            show_historical: false,
            show_districts: true,
            show_places: true,
            show_arrows: true,
            filters: Filters::default(),
            styling: Styling::default(),
            merge_linked: false,
        }
    }
}

/// Everything saved between sessions: what a scene reads, and the window's own state and
/// preferences. Stored as the flat [`SavedSettings`], so the file reads as it always has.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
#[serde(from = "SavedSettings", into = "SavedSettings")]
pub struct Settings {
    pub scene: SceneSettings,
    /// The side panels can be folded away to give the map the whole window.
    pub show_layers_panel: bool,
    pub show_claims_panel: bool,
    /// Where the map was at start-up and when last saved: the live view is the map's.
    pub view: Option<View>,
    /// The date window at start-up and when last saved, as day numbers (from, to), both
    /// included: the live window, with its preset and playback, is the timeline's, stored once.
    pub window: Option<(i32, i32)>,
    pub preset: Preset,
    pub playback: Playback,
    /// Datasets opened lately, newest first.
    pub recent: Vec<PathBuf>,
    /// Column mappings the user chose, by header layout (the header's names joined by tabs).
    pub column_mappings: BTreeMap<String, ColumnMapping>,
    /// Where the last figure was exported, so the next goes beside it.
    pub last_export_dir: Option<PathBuf>,
    /// Online sources the user added (panel, `--tile-url`), offered beside the presets.
    pub tile_sources: Vec<TileSource>,
}

/// [`Settings`] as the settings file holds them: one flat record, its fields named as they were
/// before the scene's part was set apart; a missing field takes its default.
#[derive(Serialize, Deserialize)]
#[serde(rename = "Settings", default)]
struct SavedSettings {
    naming: Naming,
    offline: bool,
    basemap: BasemapChoice,
    show_historical: bool,
    show_districts: bool,
    show_places: bool,
    show_arrows: bool,
    show_layers_panel: bool,
    show_claims_panel: bool,
    view: Option<View>,
    filters: Filters,
    styling: Styling,
    merge_linked: bool,
    window: Option<(i32, i32)>,
    preset: Preset,
    playback: Playback,
    recent: Vec<PathBuf>,
    column_mappings: BTreeMap<String, ColumnMapping>,
    last_export_dir: Option<PathBuf>,
    // Left out while empty, so a file without added sources reads in earlier versions as it is.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tile_sources: Vec<TileSource>,
}

impl Default for SavedSettings {
    fn default() -> Self {
        Settings::default().into()
    }
}

impl From<SavedSettings> for Settings {
    fn from(saved: SavedSettings) -> Settings {
        Settings {
            scene: SceneSettings {
                naming: saved.naming,
                offline: saved.offline,
                basemap: saved.basemap,
                show_historical: saved.show_historical,
                show_districts: saved.show_districts,
                show_places: saved.show_places,
                show_arrows: saved.show_arrows,
                filters: saved.filters,
                styling: saved.styling,
                merge_linked: saved.merge_linked,
            },
            show_layers_panel: saved.show_layers_panel,
            show_claims_panel: saved.show_claims_panel,
            view: saved.view,
            window: saved.window,
            preset: saved.preset,
            playback: saved.playback,
            recent: saved.recent,
            column_mappings: saved.column_mappings,
            last_export_dir: saved.last_export_dir,
            tile_sources: saved.tile_sources,
        }
    }
}

impl From<Settings> for SavedSettings {
    fn from(settings: Settings) -> SavedSettings {
        let SceneSettings {
            naming,
            offline,
            basemap,
            show_historical,
            show_districts,
            show_places,
            show_arrows,
            filters,
            styling,
            merge_linked,
        } = settings.scene;
        SavedSettings {
            naming,
            offline,
            basemap,
            show_historical,
            show_districts,
            show_places,
            show_arrows,
            show_layers_panel: settings.show_layers_panel,
            show_claims_panel: settings.show_claims_panel,
            view: settings.view,
            filters,
            styling,
            merge_linked,
            window: settings.window,
            preset: settings.preset,
            playback: settings.playback,
            recent: settings.recent,
            column_mappings: settings.column_mappings,
            last_export_dir: settings.last_export_dir,
            tile_sources: settings.tile_sources,
        }
    }
}

/// How many recent files the File menu lists.
pub const RECENT_FILES: usize = 10;

/// Sources the panel remembers: more is a list nobody scrolls.
pub const MAX_TILE_SOURCES: usize = 20;

impl Settings {
    /// Adds an online source to the panel's list (first; one with the same template replaced);
    /// presets are offered anyway and are not added.
    pub fn add_tile_source(&mut self, source: TileSource) {
        if crate::tiles::PRESETS.iter().any(|p| p.source() == source) {
            return;
        }
        self.tile_sources.retain(|s| s.url != source.url);
        self.tile_sources.insert(0, source);
        self.tile_sources.truncate(MAX_TILE_SOURCES);
    }

    /// Puts a file first in the recent list.
    pub fn remember_recent(&mut self, path: &std::path::Path) {
        self.recent.retain(|p| p != path);
        self.recent.insert(0, path.to_owned());
        self.recent.truncate(RECENT_FILES);
    }
}

/// Saved date windows outside these years are not dates anyone set (the slider spans data).
const WINDOW_YEARS: std::ops::RangeInclusive<i32> = 1800..=2200;
/// Web-Mercator's latitude limit: a centre past it cannot be shown.
const MAX_LATITUDE: f64 = 85.06;
/// The tile zoom levels that exist.
const ZOOMS: std::ops::RangeInclusive<f64> = 0.0..=22.0;
/// Playback speeds, in days per second, from a day a second to a century.
const SPEEDS: std::ops::RangeInclusive<f64> = 0.1..=36_525.0;
/// A search longer than this is not something typed.
const MAX_FILTER_TEXT: usize = 1_000;

impl Settings {
    /// Resets each impossible value (NaN or infinite view, dates out of range, a zero speed…) to
    /// its default, keeping the others; returns what was reset, in words, for the user.
    pub fn repair(&mut self) -> Vec<String> {
        let mut resets = Vec::new();
        if let Some(v) = self.view
            && !(v.lat.abs() <= MAX_LATITUDE && v.lon.abs() <= 180.0 && ZOOMS.contains(&v.zoom))
        {
            resets.push(format!(
                "the map view ({}, {}, zoom {}; now framed on the incidents)",
                v.lat, v.lon, v.zoom
            ));
            self.view = None;
        }
        if let Some((from, to)) = self.window {
            let in_range = |day: i32| {
                use chrono::Datelike;
                WINDOW_YEARS.contains(&crate::model::Day(day).to_naive().year())
            };
            if !(from <= to && in_range(from) && in_range(to)) {
                resets.push("the date window (now all dates)".to_owned());
                self.window = None;
                self.preset = Preset::All;
            }
        }
        if !SPEEDS.contains(&self.playback.speed) {
            resets.push(format!(
                "the playback speed {} (now {})",
                self.playback.speed,
                Playback::default().speed
            ));
            self.playback.speed = Playback::default().speed;
        }
        if self.scene.filters.text.len() > MAX_FILTER_TEXT {
            resets.push(format!(
                "a search text of {} bytes (now empty)",
                self.scene.filters.text.len()
            ));
            self.scene.filters.text.clear();
        }
        if let BasemapChoice::Online(source) = &self.scene.basemap
            && let Err(e) = source.validate()
        {
            resets.push(format!("the online basemap ({e}; now OpenStreetMap)"));
            self.scene.basemap = BasemapChoice::default();
        }
        let sources = self.tile_sources.len();
        self.tile_sources.retain(|s| s.validate().is_ok());
        if self.tile_sources.len() < sources {
            resets.push(format!(
                "{} unusable tile sources (removed from the basemap list)",
                sources - self.tile_sources.len()
            ));
        }
        self.tile_sources.truncate(MAX_TILE_SOURCES);
        if self.recent.len() > RECENT_FILES {
            self.recent.truncate(RECENT_FILES);
        }
        resets
    }
}

/// The key a column mapping is remembered under.
pub fn header_key(header: &[String]) -> String {
    header.join("\t")
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            scene: SceneSettings::default(),
            show_layers_panel: true,
            show_claims_panel: true,
            view: None,
            window: None,
            // The whole extent at first: a new user sees every incident.
            preset: Preset::All,
            playback: Playback::default(),
            recent: Vec::new(),
            column_mappings: BTreeMap::new(),
            last_export_dir: None,
            tile_sources: Vec::new(),
        }
    }
}

/// The key settings are stored under in eframe's storage.
pub const STORAGE_KEY: &str = "claimmap-settings";

#[cfg(test)]
mod tests {
    use super::*;

    /// The settings file as claimmap wrote it before the scene's part was set apart: one flat
    /// record. It reads into the nested settings and is written back byte for byte (with the
    /// styling, added since).
    const FLAT_FILE: &str = r#"(naming:Single(Armenian),offline:true,basemap:VectorOnly,show_historical:true,show_districts:false,show_places:true,show_arrows:false,show_layers_panel:true,show_claims_panel:false,view:None,filters:(hidden_sides:[],hidden_claimants:[],hidden_categories:[],hidden_location_precisions:[],contested_only:true,exact_dates_only:false,text:"Lachin"),window:Some((18770,18800)),preset:Month,playback:(speed:30.0,looping:false,mode:Sliding),recent:[],column_mappings:{},last_export_dir:None)"#;

    #[test]
    fn the_file_keeps_its_flat_layout() {
        let settings: Settings = ron::from_str(FLAT_FILE).expect("the flat file reads");
        assert_eq!(
            settings.scene.naming,
            Naming::Single(crate::gazetteer::Convention::Armenian)
        );
        assert!(settings.scene.offline && settings.scene.show_historical);
        assert!(!settings.scene.show_districts && !settings.scene.show_arrows);
        assert_eq!(settings.scene.basemap, BasemapChoice::VectorOnly);
        assert_eq!(settings.scene.filters.text, "Lachin");
        assert!(settings.scene.filters.contested_only);
        assert!(!settings.show_claims_panel);
        assert_eq!(settings.window, Some((18_770, 18_800)));
        // Written back as it was, with the members added since at their defaults.
        let newer = FLAT_FILE.replace(
            r#"text:"Lachin"),"#,
            r#"text:"Lachin"),styling:(colour_by:Side,size_by_fatalities:false,density:Markers),merge_linked:false,"#,
        );
        assert_eq!(ron::ser::to_string(&settings).expect("ron"), newer);
    }

    /// An online source the user added is saved whole (template, credit, zooms, headers) and
    /// chosen again at the next start; a broken one in a hand-edited file is dropped, not used.
    #[test]
    fn added_tile_sources_are_saved_and_broken_ones_dropped() {
        let mut source = TileSource::from_template(
            "https://{s}.tiles.example.org/{z}/{x}/{-y}.jpg",
            Some("© Example"),
        )
        .expect("valid");
        source.max_zoom = 16;
        source.headers = vec![("X-Api-Key".into(), "secret".into())];
        let mut settings = Settings::default();
        settings.add_tile_source(source.clone());
        settings.add_tile_source(crate::tiles::PRESETS[2].source());
        assert_eq!(
            settings.tile_sources,
            vec![source.clone()],
            "presets are not added"
        );
        settings.scene.basemap = BasemapChoice::for_source(source.clone());
        let text = ron::ser::to_string(&settings).expect("ron");
        let back: Settings = ron::from_str(&text).expect("reads");
        assert_eq!(back, settings);
        assert_eq!(back.scene.basemap.online_source(), Some(source));
        assert_eq!(
            BasemapChoice::for_source(crate::tiles::PRESETS[0].source()),
            BasemapChoice::OpenStreetMap
        );

        let mut broken = back.clone();
        broken.tile_sources[0].url = "https://tiles.example.org/{z}/{x}.png".into();
        broken.scene.basemap = BasemapChoice::Online(broken.tile_sources[0].clone());
        let resets = broken.repair();
        assert_eq!(resets.len(), 2, "{resets:?}");
        assert!(broken.tile_sources.is_empty());
        assert_eq!(broken.scene.basemap, BasemapChoice::default());
    }

    /// A file missing fields (older, or hand-edited) takes the defaults for them, the scene's
    /// included.
    #[test]
    fn missing_fields_take_their_defaults() {
        let settings: Settings = ron::from_str("(offline:true)").expect("reads");
        let expected = Settings {
            scene: SceneSettings {
                offline: true,
                ..SceneSettings::default()
            },
            ..Settings::default()
        };
        assert_eq!(settings, expected);
    }
}
