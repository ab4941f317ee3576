//! The settings file, checked before eframe reads it.
//!
//! eframe keeps the window's state in one RON file, a map of keys to RON texts: claimmap's
//! [`Settings`], egui's memory (with the UI zoom factor) and the window's size and position. It
//! trusts that file: a zoom factor of 0 or 1000 panics at start, a NaN view is loaded and saved
//! back, and a file it cannot parse is silently replaced by defaults on quit. So the window
//! checks the file first: each out-of-range value is reset on its own and the rest kept; a file
//! that cannot be read as a whole (garbage, truncated, huge) is moved aside to a `.bak` beside it;
//! either way the original is kept and the user is told what was reset.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::model::side_choices::SideChoices;
use crate::scene::settings::{STORAGE_KEY, Settings};

/// What eframe names the file in its storage folder.
pub const FILE_NAME: &str = "app.ron";
/// Far above any real settings file (tens of KB with many recent files and column mappings):
/// a larger one is not read into memory.
pub const MAX_BYTES: u64 = 16 << 20;
/// The key of the sides the user assigned to claimants ([`SideChoices`]), beside claimmap's
/// settings: a table of its own, so a file from before it reads as it did.
pub const SIDE_CHOICES_KEY: &str = "claimmap-side-choices";
/// eframe's key for egui's memory.
const EGUI_KEY: &str = "egui";
/// eframe's key for the window's size and position.
const WINDOW_KEY: &str = "window";
/// egui's own limits for the UI zoom (its keyboard zoom clamps to these).
const ZOOM_FACTORS: std::ops::RangeInclusive<f32> = 0.2..=5.0;
/// A window smaller than egui_winit's minimum, or larger than any screen, is not a saved size.
const WINDOW_POINTS: std::ops::RangeInclusive<f32> = 64.0..=16_384.0;
/// Display scale factors that exist.
const SCALE_FACTORS: std::ops::RangeInclusive<f32> = 0.25..=8.0;
/// Window positions beyond this many pixels from the origin are on no monitor.
const MAX_POSITION_PX: f32 = 100_000.0;

/// Where eframe keeps claimmap's settings on this platform.
pub fn default_path() -> Option<PathBuf> {
    eframe::storage_dir("claimmap").map(|dir| dir.join(FILE_NAME))
}

/// Checks and repairs the settings file at `path` before eframe reads it. Returns what the user
/// should be told (nothing when the file is sound or absent).
pub fn check(path: &Path) -> Vec<String> {
    let Ok(meta) = std::fs::metadata(path) else {
        return Vec::new();
    };
    let shown = path.display();
    if meta.len() > MAX_BYTES {
        let reason = format!(
            "it is {:.0} MB, more than a settings file can be",
            meta.len() as f64 / 1e6
        );
        return vec![set_aside(path, &reason)];
    }
    let text = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) => return vec![format!("The settings file {shown} cannot be read ({e}).")],
    };
    let text = match String::from_utf8(text) {
        Ok(text) => text,
        Err(_) => return vec![set_aside(path, "it is not text")],
    };
    let mut entries: BTreeMap<String, String> = match ron::from_str(&text) {
        Ok(entries) => entries,
        Err(e) => return vec![set_aside(path, &format!("it is not a settings file: {e}"))],
    };
    let resets = repair_entries(&mut entries);
    if resets.is_empty() {
        return Vec::new();
    }
    let backup = match keep_copy(path, text.as_bytes()) {
        Ok(backup) => backup,
        Err(e) => {
            return vec![format!(
                "The settings file {shown} holds impossible values ({}), but no copy of it could be kept ({e}); it was left as it is and defaults are used for those values.",
                resets.join("; ")
            )];
        }
    };
    let repaired = ron::ser::to_string_pretty(&entries, ron::ser::PrettyConfig::default())
        .map_err(|e| e.to_string())
        .and_then(|text| {
            crate::formats::write_atomic(path, text.as_bytes()).map_err(|e| e.to_string())
        });
    let outcome = match repaired {
        Ok(()) => "reset to defaults".to_owned(),
        Err(e) => format!("defaults used this time (the file could not be rewritten: {e})"),
    };
    vec![format!(
        "Some settings in {shown} were impossible and were {outcome}, the others kept: {}. The file as it was is kept as {}.",
        resets.join("; "),
        backup.display()
    )]
}

/// Checks every entry eframe and claimmap read; returns what was reset, in words.
pub fn repair_entries(entries: &mut BTreeMap<String, String>) -> Vec<String> {
    let mut resets = Vec::new();
    if let Some(text) = entries.get_mut(STORAGE_KEY) {
        match ron::from_str::<Settings>(text) {
            Ok(mut settings) => {
                let reset = settings.repair();
                if !reset.is_empty() {
                    resets.extend(reset);
                    if let Ok(fixed) = ron::ser::to_string(&settings) {
                        *text = fixed;
                    }
                }
            }
            Err(e) => {
                resets.push(format!("claimmap's settings could not be read ({e})"));
                entries.remove(STORAGE_KEY);
            }
        }
    }
    if let Some(text) = entries.get(SIDE_CHOICES_KEY)
        && let Err(e) = ron::from_str::<SideChoices>(text)
    {
        resets.push(format!(
            "the sides you assigned to claimants could not be read ({e})"
        ));
        entries.remove(SIDE_CHOICES_KEY);
    }
    if let Some(text) = entries.get_mut(EGUI_KEY) {
        match ron::from_str::<egui::Memory>(text) {
            Ok(mut memory) => {
                let zoom = memory.options.zoom_factor;
                if !ZOOM_FACTORS.contains(&zoom) {
                    memory.options.zoom_factor = 1.0;
                    resets.push(format!("the interface zoom {zoom} (now 1)"));
                    if let Ok(fixed) = ron::ser::to_string(&memory) {
                        *text = fixed;
                    }
                }
            }
            Err(_) => {
                resets.push("the interface state (panel sizes, zoom)".to_owned());
                entries.remove(EGUI_KEY);
            }
        }
    }
    if let Some(text) = entries.get_mut(WINDOW_KEY) {
        match ron::from_str::<WindowSettings>(text) {
            Ok(mut window) => {
                let reset = window.repair();
                if !reset.is_empty() {
                    resets.extend(reset);
                    if let Ok(fixed) = ron::ser::to_string(&window) {
                        *text = fixed;
                    }
                }
            }
            Err(_) => {
                resets.push("the window's size and position".to_owned());
                entries.remove(WINDOW_KEY);
            }
        }
    }
    resets
}

/// Moves an unreadable file aside, so eframe starts from defaults and writes a new one on quit
/// without destroying the old; returns the notice.
fn set_aside(path: &Path, reason: &str) -> String {
    let shown = path.display();
    let backup = free_backup_path(path);
    match std::fs::rename(path, &backup) {
        Ok(()) => format!(
            "The settings file {shown} could not be read ({reason}). It is kept as {} and claimmap starts with default settings.",
            backup.display()
        ),
        Err(e) => format!(
            "The settings file {shown} could not be read ({reason}) nor moved aside ({e}); claimmap starts with default settings and will replace it on quit."
        ),
    }
}

/// Writes the file's original bytes to a free `.bak` beside it.
fn keep_copy(path: &Path, bytes: &[u8]) -> std::io::Result<PathBuf> {
    let backup = free_backup_path(path);
    crate::formats::write_atomic(&backup, bytes)?;
    Ok(backup)
}

/// `app.ron.bak`, or `app.ron.bak.1`, `.2`… when earlier backups are there: none is overwritten.
fn free_backup_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".bak");
    let first = PathBuf::from(name);
    if !first.exists() {
        return first;
    }
    (1..)
        .map(|n| {
            let mut name = first.as_os_str().to_owned();
            name.push(format!(".{n}"));
            PathBuf::from(name)
        })
        .find(|p| !p.exists())
        .unwrap_or(first)
}

/// The layout of egui_winit's `WindowSettings` (its fields are private): read to check, written
/// back only when a value was reset. A test keeps it in step with egui_winit.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct WindowSettings {
    pub normal_geometry: WindowGeometry,
    pub fullscreen: bool,
    pub maximized: bool,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct WindowGeometry {
    pub outer_position_pixels: Option<egui::Pos2>,
    pub scale_factor: f32,
    pub inner_size_points: egui::Vec2,
}

impl WindowSettings {
    /// Resets each impossible value; returns what was reset.
    pub fn repair(&mut self) -> Vec<String> {
        let mut resets = Vec::new();
        let geometry = &mut self.normal_geometry;
        let size = geometry.inner_size_points;
        if !(WINDOW_POINTS.contains(&size.x) && WINDOW_POINTS.contains(&size.y)) {
            geometry.inner_size_points = egui::vec2(1600.0, 950.0);
            resets.push(format!(
                "the window size {}×{} (now 1600×950)",
                size.x, size.y
            ));
        }
        if !SCALE_FACTORS.contains(&geometry.scale_factor) {
            resets.push(format!(
                "the display scale {} (now 1)",
                geometry.scale_factor
            ));
            geometry.scale_factor = 1.0;
            // A position is in pixels of that scale: meaningless without it.
            geometry.outer_position_pixels = None;
        }
        if let Some(p) = geometry.outer_position_pixels
            && !(p.x.abs() <= MAX_POSITION_PX && p.y.abs() <= MAX_POSITION_PX)
        {
            geometry.outer_position_pixels = None;
            resets.push(format!(
                "the window position {}, {} (now placed by the desktop)",
                p.x, p.y
            ));
        }
        resets
    }
}
