//! `claimmap places`: the gazetteer from the command line.

use std::process::ExitCode;

use clap::Args;

use super::terminal::{say, tell};
use serde_json::json;

use crate::gazetteer::{Convention, Gazetteer};

#[derive(Args, Debug)]
pub struct PlacesArgs {
    /// A name in any script or convention, or a report phrasing ("the Kalbajar region",
    /// "Martuni, Gegharkunik").
    pub query: String,
    /// Print a JSON array of the matches, best first.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: &PlacesArgs) -> ExitCode {
    let gazetteer = Gazetteer::embedded();
    let resolution = gazetteer.resolve(&args.query);
    if args.json {
        let out: Vec<_> = resolution
            .matches
            .iter()
            .map(|m| {
                let p = gazetteer.place(m.place);
                let names: serde_json::Map<String, serde_json::Value> = Convention::ALL
                    .into_iter()
                    .filter_map(|c| p.name_in(c).map(|n| (c.code().to_owned(), json!(n))))
                    .collect();
                json!({
                    "id": &*p.id,
                    "name": p.name(),
                    "names": names,
                    "aliases": p.aliases,
                    "kind": p.kind.as_str(),
                    "country": &*p.country,
                    "admin1": gazetteer.admin1_name(p),
                    "lat": p.point.y(),
                    "lon": p.point.x(),
                    "source": &*p.source,
                    "names_from": p.names_from.as_deref(),
                    "score": m.score,
                })
            })
            .collect();
        // JSON: serde_json escapes control characters itself.
        println!("{}", serde_json::Value::Array(out));
    } else {
        if resolution.is_ambiguous() {
            say!("\"{}\" is ambiguous; the best matches first:", args.query);
        }
        for m in &resolution.matches {
            let p = gazetteer.place(m.place);
            let others: Vec<String> = Convention::ALL
                .into_iter()
                .skip(1)
                .filter_map(|c| p.name_in(c).map(|n| format!("{}: {n}", c.code())))
                .collect();
            say!(
                "{}  — {}, {}{}  ({:.5}, {:.5})  [{}]",
                p.name(),
                p.kind.as_str(),
                gazetteer
                    .admin1_name(p)
                    .map(|a| format!("{a}, "))
                    .unwrap_or_default(),
                p.country,
                p.point.y(),
                p.point.x(),
                p.id
            );
            if !others.is_empty() {
                say!("    {}", others.join(" · "));
            }
            match p.names_from.as_deref() {
                Some(names) => println!("    coordinates: {}; names also: {names}", p.source),
                None => println!("    coordinates: {}", p.source),
            }
        }
    }
    if resolution.matches.is_empty() {
        tell!("no place matches \"{}\"", args.query);
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}
