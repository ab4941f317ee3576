//! The scale benchmark: writes a synthetic ACLED CSV of `--rows` rows (or takes any dataset file
//! with `--load`), loads it as `claimmap check` and the window do, and prints one JSON line of load
//! time, peak memory and window-query times.
//!
//!     cargo run --release --bin claimmap-bench -- --rows 1000000 [--seed S] [--shape long-notes] [--keep PATH]
//!     cargo run --release --bin claimmap-bench -- --load FILE [--no-export]
//!
//! Generation runs in this process and the measuring in a child (this binary with `--csv`), so
//! the peak memory reported is the load's alone.

use std::io::BufWriter;
use std::path::PathBuf;
use std::process::{Command, ExitCode};

use clap::Parser;

/// mimalloc instead of the system allocator: a load makes several small allocations per row, a
/// million rows at a time on every core, where glibc's per-chunk headers and arena locks cost
/// a tenth of the memory and time.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser, Debug)]
#[command(about = "claimmap load and query benchmark on a synthetic ACLED CSV")]
struct Args {
    /// Rows to generate.
    #[arg(long, default_value_t = 100_000)]
    rows: usize,
    /// Seed of the generator: the same seed writes the same bytes.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// What the generated rows look like: `standard`, or `long-notes` (long quoted notes over
    /// several lines, sources joined from thousands of outlets).
    #[arg(long, value_enum, default_value_t = ShapeArg::Standard)]
    shape: ShapeArg,
    /// Measure the load of this file (any format claimmap reads) instead of generating one.
    #[arg(long, alias = "csv")]
    load: Option<PathBuf>,
    /// Keep the generated file at this path (otherwise a temporary file, deleted after).
    #[arg(long)]
    keep: Option<PathBuf>,
    /// Skip the 1920×1080 export (`export_1080p_s` is null): at ten million rows it takes
    /// 18–22 s of the run, and measuring the load and the frames does not need it.
    #[arg(long)]
    no_export: bool,
}

#[derive(clap::ValueEnum, Copy, Clone, Debug)]
enum ShapeArg {
    Standard,
    LongNotes,
}

fn run(args: Args) -> Result<String, String> {
    if let Some(file) = &args.load {
        let report = claimmap::testing::measure_load(file, !args.no_export)?;
        return serde_json::to_string(&report).map_err(|e| e.to_string());
    }
    let (path, temporary) = match &args.keep {
        Some(path) => (path.clone(), None),
        None => {
            let file = tempfile::Builder::new()
                .prefix("claimmap-bench-")
                .suffix(".csv")
                .tempfile()
                .map_err(|e| e.to_string())?;
            (file.path().to_owned(), Some(file))
        }
    };
    let started = std::time::Instant::now();
    let file = std::fs::File::create(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    use claimmap::testing::acled_file::{Shape, write_acled_shaped};
    let shape = match args.shape {
        ShapeArg::Standard => Shape::Standard,
        ShapeArg::LongNotes => Shape::LongNotes,
    };
    write_acled_shaped(
        &mut BufWriter::with_capacity(1 << 20, file),
        args.rows,
        args.seed,
        shape,
    )
    .map_err(|e| format!("{}: {e}", path.display()))?;
    eprintln!(
        "wrote {} rows to {} in {:.1} s",
        args.rows,
        path.display(),
        started.elapsed().as_secs_f64()
    );
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let mut child = Command::new(exe);
    child.arg("--load").arg(&path);
    if args.no_export {
        child.arg("--no-export");
    }
    let output = child.output().map_err(|e| e.to_string())?;
    drop(temporary);
    if !output.status.success() {
        return Err(String::from_utf8_lossy(&output.stderr).into_owned());
    }
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

fn main() -> ExitCode {
    // Loads as `claimmap check` does.
    claimmap::set_up_memory(claimmap::ProcessKind::OneShot);
    match run(Args::parse()) {
        Ok(line) => {
            println!("{line}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("claimmap-bench: {e}");
            ExitCode::FAILURE
        }
    }
}
