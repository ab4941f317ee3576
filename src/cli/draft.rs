//! `claimmap draft REPORT --out FILE.geojson`: a report's incidents and claims drafted for
//! review into a native dataset (written atomically; the report is never touched).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::terminal::tell;
use crate::draft::{self, Options};
use crate::formats;
use crate::gazetteer::Gazetteer;
use crate::model::Day;
use crate::model::registry::registry;

#[derive(Args, Debug)]
pub struct DraftArgs {
    /// The report: plain text (.txt), a saved web page (.html) or an e-mail (.eml).
    pub report: PathBuf,
    /// The publication date (YYYY-MM-DD) relative dates count from; overrides the report's own.
    #[arg(long, value_parser = super::parse_day, value_name = "YYYY-MM-DD")]
    pub published: Option<Day>,
    /// The outlet that published the report.
    #[arg(long, value_name = "NAME")]
    pub outlet: Option<String>,
    /// Where the report was published.
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,
    /// The dataset to write (.geojson or .json, the native format).
    #[arg(long, value_name = "FILE.geojson")]
    pub out: PathBuf,
}

pub fn run(args: &DraftArgs) -> ExitCode {
    let refuse = |message: String| {
        tell!("claimmap draft: {message}");
        ExitCode::from(super::EXIT_UNREADABLE)
    };
    let extension = args
        .out
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    if !matches!(extension.as_deref(), Some("geojson" | "json")) {
        return refuse(format!(
            "{} must end in .geojson or .json: a draft is written in the claimmap format",
            args.out.display()
        ));
    }
    if let (Ok(a), Ok(b)) = (args.report.canonicalize(), args.out.canonicalize())
        && a == b
    {
        return refuse(
            "the output is the report itself; claimmap never overwrites its input".into(),
        );
    }
    if let Err(e) = formats::atomic::resolve_output(&args.out) {
        return refuse(format!("cannot write {}: {e}", args.out.display()));
    }
    let bytes = match std::fs::read(&args.report) {
        Ok(b) => b,
        Err(e) => return refuse(format!("cannot read {}: {e}", args.report.display())),
    };
    let report = draft::report::read(&args.report, &bytes);
    let options = Options {
        published: args.published,
        outlet: args.outlet.clone(),
        url: args.url.clone(),
        document: args.report.file_name().map_or_else(
            || args.report.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        ),
    };
    let drafted = match draft::draft_dataset(&report, &options, Gazetteer::embedded(), registry()) {
        Ok(d) => d,
        Err(e) => return refuse(format!("{}: {e}", args.report.display())),
    };
    if let Err(e) = formats::save_native(&drafted.dataset, &args.out) {
        tell!("claimmap draft: cannot write {}: {e}", args.out.display());
        return ExitCode::FAILURE;
    }
    let dataset = &drafted.dataset;
    let claims: usize = dataset.incidents().iter().map(|i| i.claims.len()).sum();
    tell!(
        "drafted {} incidents, {claims} claims from {} (a {} report published {}, {}) into {}: proposals to review",
        dataset.incidents().len(),
        args.report.display(),
        report.kind.as_str(),
        drafted.published,
        drafted.published_from,
        args.out.display()
    );
    for incident in dataset.incidents() {
        let who: Vec<&str> = incident
            .claims
            .iter()
            .map(|c| &*dataset.claimant(c.claimant).id)
            .collect();
        tell!(
            "  {}  {}  [{}]",
            incident.id,
            dataset.title(incident),
            who.join(", ")
        );
    }
    ExitCode::SUCCESS
}
