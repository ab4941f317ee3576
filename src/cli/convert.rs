//! `claimmap convert`: any readable dataset to the native format.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::formats;
use crate::gazetteer::Gazetteer;

#[derive(Args, Debug)]
pub struct ConvertArgs {
    /// The dataset to read.
    pub input: PathBuf,
    /// The native-format file to write (atomically; must not be the input).
    pub output: PathBuf,
}

pub fn run(args: &ConvertArgs) -> ExitCode {
    let same_file = match (args.input.canonicalize(), args.output.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    if same_file {
        eprintln!(
            "claimmap convert: the output is the input file; claimmap never overwrites its input"
        );
        return ExitCode::from(super::EXIT_UNREADABLE);
    }
    let loaded = match formats::load_path(&args.input, Gazetteer::embedded()) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("claimmap convert: {e}");
            return ExitCode::from(super::EXIT_UNREADABLE);
        }
    };
    for issue in &loaded.report.errors {
        eprintln!("{}: {issue} (not converted)", args.input.display());
    }
    if let Err(e) = formats::save_native(&loaded.dataset, &args.output) {
        eprintln!(
            "claimmap convert: cannot write {}: {e}",
            args.output.display()
        );
        return ExitCode::FAILURE;
    }
    eprintln!(
        "wrote {} incidents to {} ({} skipped)",
        loaded.report.loaded,
        args.output.display(),
        loaded.report.skipped
    );
    ExitCode::SUCCESS
}
