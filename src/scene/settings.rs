//! Everything the user sets that the next session starts with.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::formats::ColumnMapping;
use crate::gazetteer::Naming;
use crate::timeline::{Playback, Preset};
use crate::view::Filters;

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
}

/// A map view: centre and zoom.
#[derive(Copy, Clone, PartialEq, Debug, Serialize, Deserialize)]
pub struct View {
    pub lat: f64,
    pub lon: f64,
    pub zoom: f64,
}

#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub naming: Naming,
    /// Guarantees no network request: online tiles are not even created.
    pub offline: bool,
    pub basemap: BasemapChoice,
    pub show_historical: bool,
    pub show_districts: bool,
    pub show_places: bool,
    pub show_arrows: bool,
    /// The side panels can be folded away to give the map the whole window.
    pub show_layers_panel: bool,
    pub show_claims_panel: bool,
    /// Where the map was at start-up and when last saved: the live view is the map's.
    pub view: Option<View>,
    /// What the map, the list, the counts and the slider let through.
    pub filters: Filters,
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
}

/// How many recent files the File menu lists.
pub const RECENT_FILES: usize = 10;

impl Settings {
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
        if self.filters.text.len() > MAX_FILTER_TEXT {
            resets.push(format!(
                "a search text of {} bytes (now empty)",
                self.filters.text.len()
            ));
            self.filters.text.clear();
        }
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
            naming: Naming::default(),
            offline: false,
            basemap: BasemapChoice::default(),
            show_historical: false,
            show_districts: true,
            show_places: true,
            show_arrows: true,
            show_layers_panel: true,
            show_claims_panel: true,
            view: None,
            filters: Filters::default(),
            window: None,
            // The whole extent at first: a new user sees every incident.
            preset: Preset::All,
            playback: Playback::default(),
            recent: Vec::new(),
            column_mappings: BTreeMap::new(),
            last_export_dir: None,
        }
    }
}

/// The key settings are stored under in eframe's storage.
pub const STORAGE_KEY: &str = "claimmap-settings";
