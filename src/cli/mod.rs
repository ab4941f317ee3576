//! The command line: `claimmap [FILES…]` opens the window; `check`, `places`, `convert` and
//! `export` work headless on the same library.

mod check;
mod convert;
mod draft;
mod export;
mod link;
mod places;
mod template;
pub mod terminal;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::model::Day;
use terminal::tell;

/// Exit code for a file that could not be read at all, or is of an unknown format.
pub const EXIT_UNREADABLE: u8 = 2;

#[derive(Parser, Debug)]
#[command(
    name = "claimmap",
    version,
    about = "A map viewer for contested incident reports: each side's claims, quoted, on a map and a timeline.",
    long_about = None,
    args_conflicts_with_subcommands = true,
    after_help = "With no command, opens the window on FILES, or on the embedded reference dataset when none are given."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Datasets to open in the window.
    pub files: Vec<PathBuf>,
    /// An MBTiles or PMTiles file to use as the basemap.
    #[arg(long, value_name = "FILE")]
    pub tiles: Option<PathBuf>,
    /// An online XYZ/TMS source as the basemap: a URL template with {z} {x} {y} ({-y} for TMS
    /// rows, {q} for a quadkey, {s} for the subdomains a, b, c). Remembered in the basemap panel.
    #[arg(long, value_name = "TEMPLATE", conflicts_with = "tiles")]
    pub tile_url: Option<String>,
    /// The credit --tile-url's provider asks for, shown on the map.
    #[arg(long, value_name = "TEXT", requires = "tile_url")]
    pub tile_attribution: Option<String>,
    /// Make no network request: online tiles are switched off (remembered).
    #[arg(long)]
    pub offline: bool,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Load datasets and summarise them: incidents, claims, claimants, what did not load.
    Check(check::CheckArgs),
    /// Look up a place in the gazetteer by any of its names, in any script.
    Places(places::PlacesArgs),
    /// Convert a dataset to the native format, or to a claims sheet when OUT ends in .csv, .tsv
    /// (written atomically; the input is never touched).
    Convert(convert::ConvertArgs),
    /// Write an empty claims sheet (the columns claimmap recognises and one example row) as
    /// FILE.csv or FILE.tsv.
    Template(template::TemplateArgs),
    /// Render the map to a PNG (or a timelapse), and the visible incidents and claims to
    /// GeoJSON, CSV or Markdown — headless: no display, no GPU.
    Export(Box<export::ExportArgs>),
    /// Propose which incidents of different files are records of one event (ACLED rows, UCDP
    /// events, a monitor's table, your own claims), best first, with the evidence for each.
    Link(link::LinkArgs),
    /// Draft a report's incidents and claims (quoted, attributed, places and dates resolved) into
    /// a dataset of proposals to review: plain text, a saved web page or an e-mail.
    Draft(draft::DraftArgs),
}

/// Parses `YYYY-MM-DD` for clap.
fn parse_day(text: &str) -> Result<Day, String> {
    Day::parse_iso(text).map_err(|e| e.to_string())
}

/// Runs the command line; the binary's `main` is only this.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Check(args)) => check::run(&args),
        Some(Command::Places(args)) => places::run(&args),
        Some(Command::Convert(args)) => convert::run(&args),
        Some(Command::Export(args)) => export::run(&args),
        Some(Command::Link(args)) => link::run(&args),
        Some(Command::Template(args)) => template::run(&args),
        Some(Command::Draft(args)) => draft::run(&args),
        None => {
            let tile_source = match cli.tile_url.as_deref().map(|url| {
                crate::tiles::TileSource::from_template(url, cli.tile_attribution.as_deref())
            }) {
                Some(Err(e)) => {
                    tell!("claimmap: --tile-url {e}");
                    return ExitCode::from(2);
                }
                Some(Ok(source)) => Some(source),
                None => None,
            };
            window(crate::app::WindowOptions {
                files: cli.files,
                tiles: cli.tiles,
                tile_source,
                offline: cli.offline,
            })
        }
    }
}

fn window(options: crate::app::WindowOptions) -> ExitCode {
    match crate::app::run(options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tell!("claimmap: cannot open the window: {e}");
            ExitCode::FAILURE
        }
    }
}
