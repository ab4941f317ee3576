//! Reading datasets from disk and writing them back: format detection by content, the native
//! format, the load report, and atomic writes.

mod json_scan;
pub mod native;
mod report;

use std::io::Write;
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::gazetteer::Gazetteer;
use crate::model::{Dataset, Format, Provenance};

pub use json_scan::{TextPos, text_pos};
pub use report::{Issue, LoadReport};

/// The reference dataset compiled into the binary: the incidents of the five reference reports.
pub const REFERENCE_DATASET: &str = include_str!("../../data/reference-reports.geojson");
/// How the embedded dataset names itself in provenance and reports.
pub const REFERENCE_PATH: &str = "embedded:reference-reports.geojson";

/// A file that could not be read at all. Problems with single records are in the [`LoadReport`].
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{path}: cannot read: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: unknown format: {reason}")]
    UnknownFormat { path: String, reason: String },
    #[error("{path}: {format} files are recognised but not imported by this version of claimmap")]
    Unsupported { path: String, format: &'static str },
    #[error("{path}: line {line}, column {column}: {message}")]
    Unreadable {
        path: String,
        line: usize,
        column: usize,
        message: String,
    },
}

/// A dataset and the report of its load.
#[derive(Debug)]
pub struct Loaded {
    pub dataset: Dataset,
    pub report: LoadReport,
}

/// Lowercase hex SHA-256.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// What the first bytes say a file is.
fn detect(text: &str) -> Result<Format, String> {
    let start = text.trim_start_matches('\u{feff}').trim_start();
    if start.starts_with('{') {
        return Ok(Format::Claimmap); // refined to GeoJSON after reading, when `claimmap` is absent
    }
    let header = start.lines().next().unwrap_or("").to_ascii_lowercase();
    let columns: Vec<&str> = header
        .split([',', '\t', ';'])
        .map(|c| c.trim().trim_matches('"'))
        .collect();
    let has = |name: &str| columns.contains(&name);
    if has("event_id_cnty") && has("event_date") {
        Ok(Format::Acled)
    } else if has("relid") && has("date_prec") && has("where_prec") {
        Ok(Format::Ucdp)
    } else if columns.len() > 1 && !start.starts_with('[') {
        Ok(Format::Csv)
    } else {
        Err("neither a GeoJSON FeatureCollection nor a CSV file with a header row".into())
    }
}

/// Loads a dataset from bytes read from `path` (a file path, or `embedded:…`).
pub fn load_bytes(bytes: &[u8], path: &str, gazetteer: &Gazetteer) -> Result<Loaded, LoadError> {
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let pos = text_pos(
                &String::from_utf8_lossy(&bytes[..e.valid_up_to()]),
                e.valid_up_to(),
            );
            return Err(LoadError::Unreadable {
                path: path.into(),
                line: pos.line,
                column: pos.column,
                message: "the file is not UTF-8 text".into(),
            });
        }
    };
    let format = detect(text).map_err(|reason| LoadError::UnknownFormat {
        path: path.into(),
        reason,
    })?;
    if format != Format::Claimmap {
        let name = match format {
            Format::Acled => "ACLED CSV",
            Format::Ucdp => "UCDP GED CSV",
            _ => "generic CSV",
        };
        return Err(LoadError::Unsupported {
            path: path.into(),
            format: name,
        });
    }
    let mut report = LoadReport::new(path, format);
    let parsed = native::read(text, &mut report);
    if !parsed.is_native {
        if parsed.incidents.is_empty() && report.rows == 0 {
            // Not even one feature: say what went wrong first, rather than "0 loaded".
            if let Some(first) = report.errors.first() {
                return Err(LoadError::Unreadable {
                    path: path.into(),
                    line: first.line,
                    column: first.column.unwrap_or(1),
                    message: first.message.clone(),
                });
            }
        }
        if report.rows > 0 || report.errors.is_empty() {
            return Err(LoadError::Unsupported {
                path: path.into(),
                format: "plain GeoJSON (no \"claimmap\" member)",
            });
        }
    }
    report.format = format;
    let mut incidents = parsed.incidents;
    native::resolve_places(&mut incidents, &parsed.strings, gazetteer, &mut report);
    report.loaded = incidents.len();
    let provenance = Provenance {
        path: path.into(),
        format,
        sha256: sha256_hex(bytes),
        bytes: bytes.len() as u64,
    };
    let dataset = Dataset::new(
        parsed.meta,
        parsed.sides,
        parsed.claimants,
        incidents,
        parsed.strings,
        provenance,
    );
    Ok(Loaded { dataset, report })
}

/// Loads a dataset file. The file is only read, never written.
pub fn load_path(path: &Path, gazetteer: &Gazetteer) -> Result<Loaded, LoadError> {
    let shown = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|source| LoadError::Io {
        path: shown.clone(),
        source,
    })?;
    load_bytes(&bytes, &shown, gazetteer)
}

/// The embedded reference dataset.
pub fn load_reference(gazetteer: &Gazetteer) -> Loaded {
    load_bytes(REFERENCE_DATASET.as_bytes(), REFERENCE_PATH, gazetteer)
        .expect("the embedded reference dataset is valid (tested)")
}

/// Writes `contents` to `path` atomically: a temporary file beside it, flushed, then renamed over
/// it, so a crash never leaves a half-written file.
pub fn write_atomic(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let mut file = tempfile::Builder::new()
        .prefix(".claimmap-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    file.write_all(contents)?;
    file.as_file().sync_all()?;
    file.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Saves a dataset in the native format, atomically.
pub fn save_native(dataset: &Dataset, path: &Path) -> std::io::Result<()> {
    write_atomic(path, native::to_string(dataset).as_bytes())
}
