//! `claimmap convert`: any readable dataset to the format its output's extension names.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;

use super::terminal::tell;

use crate::formats::{self, Loaded, SheetKind};
use crate::gazetteer::Gazetteer;

#[derive(Args, Debug)]
pub struct ConvertArgs {
    /// The dataset to read.
    pub input: PathBuf,
    /// The file to write (atomically; must not be the input); its extension says the format.
    pub output: PathBuf,
}

/// One kind of file `convert` writes.
struct Output {
    /// Extensions that select it, lower case, without the dot.
    extensions: &'static [&'static str],
    /// What it is, for the list shown when an extension is not known.
    what: &'static str,
    write: fn(&Loaded, &Path) -> std::io::Result<()>,
}

/// What `convert` writes, chosen by the output's extension: a new format is one more row.
const OUTPUTS: &[Output] = &[
    Output {
        extensions: &["geojson", "json"],
        what: "the claimmap format (GeoJSON)",
        write: |loaded, path| formats::save_native(&loaded.dataset, path),
    },
    Output {
        extensions: &["csv"],
        what: "a claims sheet, one row per claim",
        write: |loaded, path| write_sheet(loaded, path, SheetKind::Csv),
    },
    Output {
        extensions: &["tsv"],
        what: "a claims sheet, tab-separated",
        write: |loaded, path| write_sheet(loaded, path, SheetKind::Tsv),
    },
    Output {
        extensions: &["xlsx"],
        what: "a claims sheet in an Excel workbook, days as date cells",
        write: |loaded, path| write_sheet(loaded, path, SheetKind::Xlsx),
    },
];

/// A claims sheet of the whole dataset: every claim one row, its incident's fields repeated.
fn write_sheet(loaded: &Loaded, path: &Path, kind: SheetKind) -> std::io::Result<()> {
    let header = formats::claims_sheet_header(&loaded.dataset);
    super::template::write(
        path,
        kind,
        &header,
        formats::claims_sheet_rows(&loaded.dataset, &header),
        || loaded.dataset.texts_readable(),
    )
}

fn output_for(path: &Path) -> Option<&'static Output> {
    let extension = path.extension()?.to_str()?.to_ascii_lowercase();
    OUTPUTS
        .iter()
        .find(|o| o.extensions.contains(&extension.as_str()))
}

/// The supported outputs, as the refusal of an unknown extension lists them.
fn supported() -> String {
    OUTPUTS
        .iter()
        .map(|o| {
            let extensions: Vec<String> = o.extensions.iter().map(|e| format!(".{e}")).collect();
            format!("{} ({})", extensions.join(", "), o.what)
        })
        .collect::<Vec<_>>()
        .join("; ")
}

pub fn run(args: &ConvertArgs) -> ExitCode {
    let Some(output) = output_for(&args.output) else {
        tell!(
            "claimmap convert: cannot tell which format to write from the name {}; convert writes {}",
            args.output.display(),
            supported()
        );
        return ExitCode::from(super::EXIT_UNREADABLE);
    };
    let same_file = match (args.input.canonicalize(), args.output.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    if same_file {
        tell!(
            "claimmap convert: the output is the input file; claimmap never overwrites its input"
        );
        return ExitCode::from(super::EXIT_UNREADABLE);
    }
    // A device, a pipe or a folder is refused before the input is read.
    if let Err(e) = formats::atomic::resolve_output(&args.output) {
        tell!("claimmap convert: cannot write: {e}");
        return ExitCode::from(super::EXIT_UNREADABLE);
    }
    let loaded = match formats::load_path(&args.input, Gazetteer::embedded()) {
        Ok(l) => l,
        Err(e) => {
            tell!("claimmap convert: {e}");
            return ExitCode::from(super::EXIT_UNREADABLE);
        }
    };
    for issue in &loaded.report.errors {
        tell!("{}: {issue} (not converted)", args.input.display());
    }
    if let Err(e) = (output.write)(&loaded, &args.output) {
        tell!(
            "claimmap convert: cannot write {}: {e}",
            args.output.display()
        );
        return ExitCode::FAILURE;
    }
    tell!(
        "wrote {} incidents to {} ({} skipped)",
        loaded.report.loaded,
        args.output.display(),
        loaded.report.skipped
    );
    ExitCode::SUCCESS
}
