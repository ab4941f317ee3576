//! `claimmap link A B [C…]`: propose which incidents of different files are records of one event,
//! best first, with the evidence for each.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::terminal::{say, tell};
use serde_json::json;

use crate::formats::{self, Loaded};
use crate::gazetteer::Gazetteer;
use crate::link::{LinkOptions, find_links};
use crate::model::Dataset;

#[derive(Args, Debug)]
pub struct LinkArgs {
    /// Two or more datasets; links are proposed between incidents of different files.
    #[arg(num_args = 2.., required = true)]
    pub files: Vec<PathBuf>,
    /// Days two incidents' dates may be apart (0: they must share a day).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(0..=366))]
    pub max_days: u32,
    /// Never link incidents farther apart than this, whatever their precision allows.
    #[arg(long, value_name = "KM", value_parser = positive_km)]
    pub max_km: Option<f64>,
    /// Propose only links scoring at least this (0 to 1).
    #[arg(long, default_value_t = crate::link::DEFAULT_MIN_SCORE, value_parser = unit_score)]
    pub min_score: f64,
    /// Print exactly one JSON object on stdout.
    #[arg(long)]
    pub json: bool,
    /// Also write the JSON object to this file (atomically).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

fn positive_km(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(km) if km.is_finite() && km > 0.0 => Ok(km),
        _ => Err(format!("'{text}' is not a positive number of kilometres")),
    }
}

fn unit_score(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(s) if (0.0..=1.0).contains(&s) => Ok(s),
        _ => Err(format!("'{text}' is not a score between 0 and 1")),
    }
}

pub fn run(args: &LinkArgs) -> ExitCode {
    let gazetteer = Gazetteer::embedded();
    for path in &args.files {
        if let Some(out) = &args.out
            && let (Ok(a), Ok(b)) = (path.canonicalize(), out.canonicalize())
            && a == b
        {
            tell!(
                "claimmap link: --out {} is one of the input files; inputs are never written",
                out.display()
            );
            return ExitCode::from(super::EXIT_UNREADABLE);
        }
    }
    let mut loaded: Vec<Loaded> = Vec::new();
    for path in &args.files {
        match formats::load_path(path, gazetteer) {
            Ok(l) => loaded.push(l),
            Err(e) => {
                tell!("claimmap link: {}: not loaded: {e}", path.display());
                return ExitCode::from(super::EXIT_UNREADABLE);
            }
        }
    }
    let options = LinkOptions {
        max_days: args.max_days,
        max_km: args.max_km,
        min_score: args.min_score,
    };
    let datasets: Vec<&Dataset> = loaded.iter().map(|l| &l.dataset).collect();
    let (links, counts) = find_links(&datasets, gazetteer, &options);

    let file = |d: usize| loaded[d].report.path.clone();
    let link_json: Vec<serde_json::Value> = links
        .iter()
        .map(|l| {
            let (da, db) = (datasets[l.a.dataset], datasets[l.b.dataset]);
            json!({
                "a": da.file_id(&da.incidents()[l.a.index]),
                "a_file": file(l.a.dataset),
                "b": db.file_id(&db.incidents()[l.b.index]),
                "b_file": file(l.b.dataset),
                "score": (l.evidence.score * 1000.0).round() / 1000.0,
                "days": l.evidence.days,
                "km": l.evidence.km.map(|km| (km * 10.0).round() / 10.0),
                "reasons": l.evidence.reasons,
            })
        })
        .collect();
    let object = json!({
        "links": link_json,
        "counts": {
            "files": loaded.iter().map(|l| json!({
                "file": l.report.path,
                "incidents": l.dataset.incidents().len(),
            })).collect::<Vec<_>>(),
            "candidates": counts.candidates,
            "above_min_score": counts.above_min_score,
            "links": counts.links,
        },
        "options": {
            "max_days": options.max_days,
            "max_km": options.max_km,
            "min_score": options.min_score,
        },
    });
    if let Some(out) = &args.out {
        let text = serde_json::to_string_pretty(&object).unwrap_or_default();
        if let Err(e) = formats::write_atomic(out, text.as_bytes()) {
            tell!("claimmap link: cannot write {}: {e}", out.display());
            return ExitCode::from(super::EXIT_UNREADABLE);
        }
    }
    if args.json {
        // JSON: serde_json escapes control characters itself.
        println!("{object}");
        return ExitCode::SUCCESS;
    }
    for l in &links {
        let (da, db) = (datasets[l.a.dataset], datasets[l.b.dataset]);
        let (ia, ib) = (&da.incidents()[l.a.index], &db.incidents()[l.b.index]);
        say!(
            "{:.2}  {} ({})  ~  {} ({})  {}",
            l.evidence.score,
            da.file_id(ia),
            ia.date.start(),
            db.file_id(ib),
            ib.date.start(),
            l.evidence.reasons.join(", ")
        );
    }
    say!(
        "{} links proposed ({} candidate pairs, {} at or above score {})",
        counts.links,
        counts.candidates,
        counts.above_min_score,
        options.min_score
    );
    ExitCode::SUCCESS
}
