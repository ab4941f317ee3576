//! `claimmap export`: the window's picture, headless — no display, no GPU — and the visible
//! incidents and claims as tables. Every output is written atomically; on any error nothing is.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::Args;

use super::terminal::tell;

use crate::export::tables::Table;
use crate::export::timelapse::{self, Step};
use crate::export::{ExportSpec, Facts, Layout, Picture, png_file, render};
use crate::formats::{self, Loaded};
use crate::gazetteer::{Gazetteer, Naming};
use crate::model::{Dataset, DateWindow, Day};
use crate::scene::settings::{BasemapChoice, SceneSettings, View};
use crate::scene::styling::{ColourBy, DensityView, Styling};
use crate::scene::{DatasetLayer, IncidentRef, Scene};
use crate::view::{Filters, query};

/// The longest `--tile-wait`: an hour is already past any server's patience, and the wait is
/// added to the clock, where a larger one overflows.
pub const MAX_TILE_WAIT_S: u64 = 3600;

#[derive(Args, Debug)]
pub struct ExportArgs {
    /// Datasets to draw; none means the embedded reference dataset.
    pub files: Vec<PathBuf>,
    /// Outputs, by extension: .png (the picture, or the animation with --animate), .geojson and
    /// .csv (the visible incidents; a .csv whose name contains "claim" gets the claims), .md (the
    /// claims, quoted, with citations). Repeat for several.
    #[arg(long, value_name = "FILE", required = true)]
    pub out: Vec<PathBuf>,
    /// The window's first day (YYYY-MM-DD, included); default: the data's first day.
    #[arg(long, value_parser = super::parse_day)]
    pub from: Option<Day>,
    /// The window's last day (YYYY-MM-DD, included); default: the data's last day.
    #[arg(long, value_parser = super::parse_day)]
    pub to: Option<Day>,
    /// Map centre as LAT,LON (with --zoom); without it the map frames the visible incidents.
    #[arg(
        long,
        value_name = "LAT,LON",
        requires = "zoom",
        allow_hyphen_values = true
    )]
    pub center: Option<String>,
    /// Map zoom (3–17; 7 shows the region, 10 a district).
    #[arg(long, requires = "center")]
    pub zoom: Option<f64>,
    /// Frame the visible incidents (the default when no --center is given).
    #[arg(long, conflicts_with_all = ["center", "zoom"])]
    pub fit: bool,
    /// Image size in pixels, WIDTHxHEIGHT (each side 1–8192).
    #[arg(long, default_value = "1920x1080", value_parser = parse_size)]
    pub size: [u32; 2],
    /// Pixels per point, 1–4: text, markers and lines grow with it.
    #[arg(long, default_value_t = 1.0)]
    pub scale: f32,
    /// The figure's title (default: the datasets' titles).
    #[arg(long)]
    pub title: Option<String>,
    /// A note printed in the footer.
    #[arg(long)]
    pub footer: Option<String>,
    /// Select an incident by id: it is numbered on the map and its claims quoted. Repeatable.
    #[arg(long, value_name = "ID")]
    pub select: Vec<String>,
    /// Place names: en, az, hy-Latn, hy, ru, or two joined by a slash (az/hy-Latn).
    #[arg(long, value_parser = parse_naming, default_value = "en")]
    pub naming: Naming,
    /// Filters as the window stores them (JSON), e.g. '{"contested_only":true}'.
    #[arg(long, value_name = "JSON", value_parser = parse_filters)]
    pub filters: Option<Filters>,
    /// An MBTiles or PMTiles file as the basemap.
    #[arg(long, value_name = "FILE", conflicts_with = "basemap")]
    pub tiles: Option<PathBuf>,
    /// An online XYZ/TMS source as the basemap: a URL template with {z} {x} {y} ({-y} for TMS
    /// rows, {q} for a quadkey, {s} for the subdomains a, b, c).
    #[arg(long, value_name = "TEMPLATE", conflicts_with_all = ["tiles", "basemap"])]
    pub tile_url: Option<String>,
    /// The credit --tile-url's provider asks for, printed on the figure.
    #[arg(long, value_name = "TEXT", requires = "tile_url")]
    pub tile_attribution: Option<String>,
    /// The online basemap under the incidents (a preset: see docs/BASEMAPS.md for each one's
    /// terms), or only claimmap's vector basemap (vector).
    #[arg(long, value_enum, default_value_t = OnlineBasemap::Openstreetmap)]
    pub basemap: OnlineBasemap,
    /// Draw the historical layer (the 1994 cease-fire line, the 1991 NKAO outline).
    #[arg(long)]
    pub historical: bool,
    /// Leave out the district and province outlines.
    #[arg(long)]
    pub no_districts: bool,
    /// Leave out the place labels.
    #[arg(long)]
    pub no_places: bool,
    /// Leave out the claimed origin→target arrows.
    #[arg(long)]
    pub no_arrows: bool,
    /// What the markers' colour says: side (the default), category, claimant, fatalities,
    /// dataset, or column:NAME for any column of an imported table.
    #[arg(long, value_name = "FIELD", value_parser = ColourBy::parse_arg)]
    pub colour_by: Option<ColourBy>,
    /// Markers grow with the fatalities their claims report.
    #[arg(long)]
    pub size_by_fatalities: bool,
    /// Count and draw once the records confirmed as one event (`*.links.json` beside the files).
    #[arg(long)]
    pub merge_linked: bool,
    /// Draw the incidents as markers (the default), a heat map or hexagon bins.
    #[arg(long, value_name = "VIEW", value_parser = DensityView::parse_arg)]
    pub density: Option<DensityView>,
    /// The generation time the footer prints and the PNG records (RFC 3339,
    /// 2026-11-30T10:32:00Z); default: now. The recorded command sets it, so the figure it makes
    /// is the same file.
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    pub generated: Option<chrono::DateTime<chrono::Utc>>,
    /// Make no network request: the vector basemap (or --tiles) only.
    #[arg(long)]
    pub offline: bool,
    /// Seconds to wait for online tiles before drawing without the missing ones (at most an hour).
    #[arg(long, default_value_t = 15, value_parser = clap::value_parser!(u64).range(0..=MAX_TILE_WAIT_S))]
    pub tile_wait: u64,
    /// Put the selected incidents' claims beside the map, as the window's claims panel does.
    #[arg(long)]
    pub with_claims: bool,
    /// Leave out the numbered claims inset over the map.
    #[arg(long)]
    pub no_inset: bool,
    /// The bare map: no title, legend, scale bar or footer.
    #[arg(long)]
    pub bare: bool,
    /// A timelapse: slide a window of STEP (7d, 2w, 1m, 1y…) over --from..--to; the .png output
    /// becomes an animated PNG, with the stills in FILE-frames/.
    #[arg(long, value_name = "STEP", value_parser = Step::parse)]
    pub animate: Option<Step>,
}

/// The basemaps `--basemap` names: the presets by their id, and the vector map alone.
#[derive(clap::ValueEnum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum OnlineBasemap {
    Openstreetmap,
    Opentopomap,
    EsriImagery,
    S2cloudless,
    Cyclosm,
    Humanitarian,
    Vector,
}

impl OnlineBasemap {
    pub fn choice(self) -> BasemapChoice {
        let preset = |id: &str| {
            let preset = crate::tiles::Preset::by_id(id).expect("every --basemap names a preset");
            BasemapChoice::for_source(preset.source())
        };
        match self {
            OnlineBasemap::Openstreetmap => BasemapChoice::OpenStreetMap,
            OnlineBasemap::Opentopomap => BasemapChoice::OpenTopoMap,
            OnlineBasemap::EsriImagery => preset("esri-imagery"),
            OnlineBasemap::S2cloudless => preset("s2cloudless"),
            OnlineBasemap::Cyclosm => preset("cyclosm"),
            OnlineBasemap::Humanitarian => preset("humanitarian"),
            OnlineBasemap::Vector => BasemapChoice::VectorOnly,
        }
    }
}

fn parse_time(text: &str) -> Result<chrono::DateTime<chrono::Utc>, String> {
    chrono::DateTime::parse_from_rfc3339(text.trim())
        .map(|t| t.with_timezone(&chrono::Utc))
        .map_err(|e| format!("{text:?}: not a time like 2026-11-30T10:32:00Z ({e})"))
}

fn parse_size(text: &str) -> Result<[u32; 2], String> {
    let (w, h) = text
        .split_once(['x', 'X', '×'])
        .ok_or_else(|| format!("{text:?}: write the size as WIDTHxHEIGHT, e.g. 1920x1080"))?;
    let side = |s: &str| {
        s.trim()
            .parse::<u32>()
            .map_err(|_| format!("{text:?}: {s:?} is not a whole number of pixels"))
    };
    Ok([side(w)?, side(h)?])
}

fn parse_naming(text: &str) -> Result<Naming, String> {
    Naming::parse(text).ok_or_else(|| {
        format!("{text:?}: use en, az, hy-Latn, hy or ru, or two joined by a slash (az/hy-Latn)")
    })
}

fn parse_filters(text: &str) -> Result<Filters, String> {
    serde_json::from_str(text).map_err(|e| format!("not filters as JSON: {e}"))
}

fn parse_center(text: &str) -> Result<(f64, f64), String> {
    let (lat, lon) = text
        .split_once(',')
        .ok_or_else(|| format!("--center {text:?}: write it as LAT,LON, e.g. 40.1,46.0"))?;
    let lat: f64 = lat
        .trim()
        .parse()
        .map_err(|_| format!("--center {text:?}: {lat:?} is not a latitude"))?;
    let lon: f64 = lon
        .trim()
        .parse()
        .map_err(|_| format!("--center {text:?}: {lon:?} is not a longitude"))?;
    if !(-85.0..=85.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
        return Err(format!(
            "--center {text:?}: outside the map (latitude ±85, longitude ±180)"
        ));
    }
    Ok((lat, lon))
}

/// What an output path is.
enum Output {
    Picture(PathBuf),
    Table(Table, PathBuf),
}

fn classify(path: &Path) -> Result<Output, String> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    if ext.as_deref() == Some("png") {
        return Ok(Output::Picture(path.to_owned()));
    }
    Table::for_path(path)
        .map(|t| Output::Table(t, path.to_owned()))
        .ok_or_else(|| {
            format!(
                "{}: unknown output type; use .png, .geojson, .csv or .md",
                path.display()
            )
        })
}

/// Refuses outputs that cannot be written before anything is rendered: a missing directory, a
/// directory in the way, or one of the inputs.
fn check_writable(path: &Path, inputs: &[PathBuf]) -> Result<(), String> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    if !dir.is_dir() {
        return Err(format!(
            "{}: the directory {} does not exist",
            path.display(),
            dir.display()
        ));
    }
    if path.is_dir() {
        return Err(format!("{}: is a directory", path.display()));
    }
    if let Ok(out) = path.canonicalize()
        && inputs
            .iter()
            .any(|i| i.canonicalize().ok() == Some(out.clone()))
    {
        return Err(format!(
            "{}: is one of the inputs; claimmap never overwrites its input",
            path.display()
        ));
    }
    let readonly = std::fs::metadata(dir).is_ok_and(|m| m.permissions().readonly());
    if readonly {
        return Err(format!("{}: the directory is read-only", path.display()));
    }
    Ok(())
}

fn fail(message: impl std::fmt::Display) -> ExitCode {
    tell!("claimmap export: {message}");
    ExitCode::from(super::EXIT_UNREADABLE)
}

pub fn run(args: &ExportArgs) -> ExitCode {
    match export(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => fail(message),
    }
}

fn export(args: &ExportArgs) -> Result<(), String> {
    let outputs: Vec<Output> = args
        .out
        .iter()
        .map(|p| classify(p))
        .collect::<Result<_, _>>()?;
    for path in &args.out {
        check_writable(path, &args.files)?;
    }
    if let (Some(from), Some(to)) = (args.from, args.to)
        && to < from
    {
        return Err(format!("--to ({to}) is before --from ({from})"));
    }
    let view = match (&args.center, args.zoom) {
        (Some(center), Some(zoom)) => {
            let (lat, lon) = parse_center(center)?;
            if !(3.0..=17.0).contains(&zoom) {
                return Err(format!("--zoom {zoom}: the map zooms from 3 to 17"));
            }
            Some(View { lat, lon, zoom })
        }
        _ => None,
    };
    let spec = ExportSpec {
        size_px: args.size,
        scale: args.scale,
        layout: if args.with_claims {
            Layout::MapAndClaims
        } else {
            Layout::Map
        },
        title: args.title.clone(),
        footer: args.footer.clone(),
        claims_inset: !args.no_inset,
        decorations: !args.bare,
        tile_wait: Duration::from_secs(args.tile_wait),
        generated: args.generated,
    };
    spec.validate().map_err(|e| e.to_string())?;

    let gazetteer = Gazetteer::embedded();
    let mut loaded: Vec<Loaded> = Vec::new();
    if args.files.is_empty() {
        loaded.push(formats::load_reference(gazetteer));
    }
    for path in &args.files {
        let l = formats::load_path(path, gazetteer).map_err(|e| e.to_string())?;
        for issue in l.report.errors.iter().take(LISTED_ERRORS) {
            tell!("{}: {issue} (not drawn)", path.display());
        }
        let unlisted = l.report.error_count.saturating_sub(LISTED_ERRORS);
        if unlisted > 0 {
            tell!(
                "{}: … and {unlisted} more errors ({} rows not drawn); `claimmap check --json` lists the first {}",
                path.display(),
                l.report.skipped,
                formats::LISTED_ISSUES
            );
        }
        loaded.push(l);
    }
    let datasets: Vec<&Dataset> = loaded.iter().map(|l| &l.dataset).collect();
    let (first, last) = query::extent(&datasets).ok_or("the datasets hold no incident")?;
    let window = DateWindow {
        from: args.from.unwrap_or(first),
        to: args.to.unwrap_or(last),
    };
    let layers: Vec<DatasetLayer> = loaded.into_iter().map(DatasetLayer::new).collect();
    let basemap = match (&args.tiles, &args.tile_url) {
        (Some(tiles), _) => BasemapChoice::File(tiles.clone()),
        (None, Some(url)) => BasemapChoice::for_source(
            crate::tiles::TileSource::from_template(url, args.tile_attribution.as_deref())
                .map_err(|e| format!("--tile-url {e}"))?,
        ),
        (None, None) => args.basemap.choice(),
    };
    let settings = SceneSettings {
        naming: args.naming,
        offline: args.offline,
        basemap,
        show_historical: args.historical,
        show_districts: !args.no_districts,
        show_places: !args.no_places,
        show_arrows: !args.no_arrows,
        filters: args.filters.clone().unwrap_or_default(),
        styling: Styling {
            colour_by: args.colour_by.clone().unwrap_or_default(),
            size_by_fatalities: args.size_by_fatalities,
            density: args.density.unwrap_or_default(),
        },
        merge_linked: args.merge_linked,
    };
    let selected = select(&layers, &args.select)?;
    let scene = Scene::new(&layers, &settings, window, gazetteer, None);
    if scene.visible.is_empty() && args.animate.is_none() {
        return Err(format!(
            "no incident in the window {window_words} with these filters (the data runs from {first} to {last}); nothing written",
            window_words = crate::timeline::window::describe(&window)
        ));
    }
    for r in &selected {
        if !scene.visible.contains(*r) {
            let incident = scene.incident(*r);
            return Err(format!(
                "--select {}: the incident is outside the window or filtered out (it is dated {})",
                incident.id,
                crate::scene::text::date_in_words(&incident.date)
            ));
        }
    }
    let picture = Picture {
        layers: &layers,
        settings: &settings,
        window,
        selected,
        view,
    };
    let started = Instant::now();
    let mut table_facts: Option<Facts> = None;
    for output in &outputs {
        match output {
            Output::Picture(path) => match args.animate {
                Some(step) => animate(&picture, &spec, step, path)?,
                None => {
                    let rendered = render(&picture, &spec).map_err(|e| e.to_string())?;
                    let meta = png_file::metadata(&rendered.facts, &rendered.view, &spec, path);
                    png_file::write(path, &rendered.image, &meta).map_err(|e| e.to_string())?;
                    let mut note = String::new();
                    if rendered.tiles_missing > 0 {
                        note = format!(
                            "; {} tiles had not arrived after {} s and show the vector basemap",
                            rendered.tiles_missing, args.tile_wait
                        );
                    }
                    if let Some(problem) = &rendered.tile_problem {
                        tell!("warning: {problem}; the vector basemap shows there instead");
                    }
                    tell!(
                        "wrote {} ({}×{} px, {} incidents, {:.2} s{note})",
                        path.display(),
                        spec.size_px[0],
                        spec.size_px[1],
                        rendered.facts.visible,
                        started.elapsed().as_secs_f64()
                    );
                }
            },
            Output::Table(table, path) => {
                // Gathered once for all the tables: at a million incidents it walks them all.
                let facts = table_facts.get_or_insert_with(|| {
                    Facts::gather(
                        &scene,
                        &picture.selected,
                        &spec,
                        args.generated.unwrap_or_else(chrono::Utc::now),
                    )
                });
                table
                    .save(&scene, facts, path)
                    .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
                tell!("wrote {} ({} incidents)", path.display(), facts.visible);
            }
        }
    }
    Ok(())
}

/// Errors of a file `export` prints before drawing it; the rest are counted.
const LISTED_ERRORS: usize = 5;

/// The incidents `--select` names, in the order given.
fn select(layers: &[DatasetLayer], ids: &[String]) -> Result<Vec<IncidentRef>, String> {
    ids.iter()
        .map(|id| {
            layers
                .iter()
                .enumerate()
                .find_map(|(d, l)| {
                    l.loaded
                        .dataset
                        .incidents()
                        .iter()
                        .position(|i| &*i.id == id)
                        .map(|index| IncidentRef { dataset: d, index })
                })
                .ok_or_else(|| format!("--select {id}: no incident has this id"))
        })
        .collect()
}

fn animate(picture: &Picture<'_>, spec: &ExportSpec, step: Step, out: &Path) -> Result<(), String> {
    let windows = timelapse::windows(picture.window, step)?;
    let started = Instant::now();
    let written = timelapse::write(picture, spec, &windows, out, |rendered, path| {
        png_file::metadata(&rendered.facts, &rendered.view, spec, path)
    })
    .map_err(|e| e.to_string())?;
    tell!(
        "wrote {} ({} frames) and {} stills in {} ({:.2} s)",
        written.animation.display(),
        windows.len(),
        written.frames.len(),
        timelapse::frames_dir(out).display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
