//! `claimmap template FILE`: an empty claims sheet — the columns claimmap recognises and one
//! example row — as CSV, TSV or an Excel workbook (.xlsx), chosen by the file's extension.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;

use super::terminal::tell;

use crate::formats::{self, SheetKind};

#[derive(Args, Debug)]
pub struct TemplateArgs {
    /// The sheet to write: FILE.csv, FILE.tsv or FILE.xlsx.
    pub output: PathBuf,
    /// Replace the file if it exists (by default an existing file is never written over).
    #[arg(long)]
    pub force: bool,
}

pub fn run(args: &TemplateArgs) -> ExitCode {
    let Some(kind) = SheetKind::of(&args.output) else {
        tell!(
            "claimmap template: {}: the extension must be .csv, .tsv or .xlsx",
            args.output.display()
        );
        return ExitCode::from(super::EXIT_UNREADABLE);
    };
    if args.output.exists() && !args.force {
        tell!(
            "claimmap template: {} exists; claimmap does not write over it (--force to replace it)",
            args.output.display()
        );
        return ExitCode::from(super::EXIT_UNREADABLE);
    }
    let header: Vec<String> = formats::CLAIMS_HEADER
        .iter()
        .map(|h| (*h).to_owned())
        .collect();
    match write(
        &args.output,
        kind,
        &header,
        [formats::example_row()],
        || Ok(()),
    ) {
        Ok(()) => {
            tell!(
                "wrote a claims sheet with {} columns and one example row to {}",
                header.len(),
                args.output.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            tell!(
                "claimmap template: cannot write {}: {e}",
                args.output.display()
            );
            ExitCode::FAILURE
        }
    }
}

/// Writes a sheet atomically, row by row as `rows` makes them.
pub(super) fn write(
    path: &Path,
    kind: SheetKind,
    header: &[String],
    rows: impl IntoIterator<Item = Vec<formats::Cell>>,
    before_commit: impl FnOnce() -> std::io::Result<()>,
) -> std::io::Result<()> {
    let mut file = formats::AtomicFile::create(path)?;
    kind.write(header, rows, &mut file)?;
    before_commit()?;
    file.commit()
}
