//! `claimmap check`: load, count, and say what did not load.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::terminal::{say, tell};

use crate::formats::{self, Loaded};
use crate::gazetteer::Gazetteer;
use crate::model::{Dataset, DateWindow, Day};
use crate::summary::Summary;
use crate::view::{Filters, query};

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// Datasets to check; none means the embedded reference dataset.
    pub files: Vec<PathBuf>,
    /// Count only incidents whose dates meet the window from this day (YYYY-MM-DD, included).
    #[arg(long, value_parser = super::parse_day)]
    pub from: Option<Day>,
    /// … to this day (YYYY-MM-DD, included).
    #[arg(long, value_parser = super::parse_day)]
    pub to: Option<Day>,
    /// Print exactly one JSON object on stdout instead of the summary.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: &CheckArgs) -> ExitCode {
    if let (Some(from), Some(to)) = (args.from, args.to)
        && to < from
    {
        tell!("claimmap check: --to ({to}) is before --from ({from})");
        return ExitCode::from(super::EXIT_UNREADABLE);
    }
    let gazetteer = Gazetteer::embedded();
    let mut loaded: Vec<Loaded> = Vec::new();
    let mut failures: Vec<(String, String)> = Vec::new();
    if args.files.is_empty() {
        loaded.push(formats::load_reference(gazetteer));
    }
    for path in &args.files {
        match formats::load_path(path, gazetteer) {
            Ok(l) => loaded.push(l),
            Err(e) => failures.push((path.display().to_string(), e.to_string())),
        }
    }
    let window = DateWindow::from_bounds(args.from, args.to);
    // The window's own query, with nothing filtered: the CLI counts what the window would show.
    let datasets: Vec<&Dataset> = loaded.iter().map(|l| &l.dataset).collect();
    let shown = query::visible(&datasets, &window, &Filters::default());
    let summary = Summary::of_visible(&loaded, &shown);
    let reports: Vec<_> = loaded.iter().map(|l| l.report.clone()).collect();
    if args.json {
        // JSON: serde_json escapes control characters itself.
        println!("{}", summary.to_json(&reports, &failures));
    } else {
        print_human(&summary, &loaded, &failures, args);
    }
    // The datasets end with the process: freeing a million incidents one allocation at a time
    // would only add to the command's time.
    std::mem::forget(loaded);
    if failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(super::EXIT_UNREADABLE)
    }
}

/// At most this many errors and warnings per file in the human summary; `--json` lists the first
/// [`formats::LISTED_ISSUES`] and counts all.
const LISTED_ISSUES: usize = 20;

fn print_human(
    summary: &Summary,
    loaded: &[Loaded],
    failures: &[(String, String)],
    args: &CheckArgs,
) {
    for Loaded { dataset, report } in loaded {
        let title = if dataset.meta.title.is_empty() {
            ""
        } else {
            &dataset.meta.title
        };
        say!(
            "{} [{}] {}: {} rows, {} loaded, {} skipped (sha256 {})",
            report.path,
            report.format.as_str(),
            title,
            report.rows,
            report.loaded,
            report.skipped,
            dataset
                .provenance
                .sha256
                .hex()
                .get(..12)
                .unwrap_or("unknown"),
        );
        if report.unlocated > 0 {
            say!(
                "  {} incidents could not be placed (unlocated)",
                report.unlocated
            );
        }
        for (label, issues, count) in [
            ("error", &report.errors, report.error_count),
            ("warning", &report.warnings, report.warning_count),
        ] {
            for issue in issues.iter().take(LISTED_ISSUES) {
                say!("  {label}: {issue}");
            }
            let shown = issues.len().min(LISTED_ISSUES);
            if count > shown {
                say!(
                    "  … and {} more {label}s (--json lists the first {})",
                    count - shown,
                    formats::LISTED_ISSUES
                );
            }
        }
    }
    for (path, message) in failures {
        tell!("{path}: not loaded: {message}");
    }
    let window = match (args.from, args.to) {
        (None, None) => String::new(),
        (from, to) => format!(
            " in the window {} – {}",
            from.map_or("…".into(), |d| d.to_string()),
            to.map_or("…".into(), |d| d.to_string())
        ),
    };
    say!(
        "{} incidents{window} ({} contested), {} claims from {} claimants",
        summary.incidents,
        summary.contested,
        summary.claims,
        summary.claimants.len()
    );
    if let (Some(min), Some(max)) = (summary.date_min, summary.date_max) {
        say!("dates: {min} – {max}");
    }
    let claimants: Vec<String> = summary
        .claimants
        .iter()
        .map(|c| format!("{} [{}] ×{}", c.name, c.side, c.claims))
        .collect();
    say!("claimants: {}", claimants.join("; "));
    say!("unlocated incidents: {}", summary.unlocated);
    if summary.unresolved_places.is_empty() {
        say!("unresolved places: none");
    } else {
        say!(
            "unresolved places: {}",
            summary.unresolved_places.join("; ")
        );
    }
}
