//! Reading datasets from disk and writing them back: format detection by content, the native
//! format, the importers (ACLED, UCDP GED, generic CSV/TSV, plain GeoJSON; tables also from Excel
//! and OpenDocument workbooks), the load report, and atomic writes.

mod acled;
pub mod atomic;
mod claims_sheet;
pub mod dates;
mod detect;
mod file_hash;
pub mod json_layout;
mod json_scan;
mod line_index;
pub mod links_file;
pub mod native;
mod placing;
mod plain_geojson;
pub mod progress;
mod records;
mod report;
mod rows;
mod stream;
pub mod table;
mod text;
mod ucdp;
mod workbook;

use std::path::Path;

use sha2::{Digest, Sha256};

use crate::gazetteer::Gazetteer;
use crate::model::{Dataset, FileDigest, Format, Provenance};
use rows::ReadOptions;

pub use atomic::{AtomicDir, AtomicFile, write_atomic};
pub use claims_sheet::{
    Cell, HEADER as CLAIMS_HEADER, SheetKind, example_row, sheet_header as claims_sheet_header,
    sheet_rows as claims_sheet_rows,
};
pub use line_index::LineIndex;
pub use report::{Issue, LISTED_ISSUES, LoadReport};
pub use table::{ClaimColumns, ColumnMapping, CoordinateOrder, detect_columns};

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
    /// A table whose header lacks columns its format needs, or whose columns could not be told
    /// apart. For a generic table, `mapping` holds what was recognised, for a dialog to complete
    /// and pass to [`load_table_with_mapping`].
    #[error("{path}: {message}")]
    Columns {
        path: String,
        message: String,
        /// What is missing, in words ("latitude", "a date column").
        missing: Vec<String>,
        /// The header as written.
        header: Vec<String>,
        mapping: Option<Box<ColumnMapping>>,
    },
    #[error("{path}: loading was cancelled")]
    Cancelled { path: String },
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
    hex(&Sha256::digest(bytes))
}

/// Lowercase hex of a digest.
fn hex(digest: &[u8]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The error for a header that lacks columns a format needs.
fn columns_error(path: &str, format: &str, missing: rows::MissingColumns) -> LoadError {
    LoadError::Columns {
        path: path.into(),
        message: format!(
            "{format} file without the column(s) {}; its columns are: {}",
            missing.missing.join(", "),
            column_list(&missing.header)
        ),
        missing: missing.missing,
        header: missing.header,
        mapping: None,
    }
}

/// Column names listed in a message: a header of 100,000 columns (or one name of a megabyte)
/// would make a message nobody can read; the first ones are named and the rest counted.
fn column_list(header: &[String]) -> String {
    /// Names listed before the rest are counted.
    const LISTED: usize = 40;
    /// Characters of one name shown.
    const NAME_CHARS: usize = 60;
    let mut list: Vec<String> = header
        .iter()
        .take(LISTED)
        .map(|name| match name.char_indices().nth(NAME_CHARS) {
            Some((cut, _)) => format!("{}…", &name[..cut]),
            None => name.clone(),
        })
        .collect();
    if header.len() > LISTED {
        list.push(format!("… and {} more", header.len() - LISTED));
    }
    list.join(", ")
}

/// Loads a dataset from bytes read from `path` (a file path, or `embedded:…`). The format is
/// detected from the content: a GeoJSON FeatureCollection (native, or plain from another tool),
/// or a CSV/TSV table — or an .xlsx/.ods workbook's sheet — whose header says ACLED, UCDP GED, a
/// claims sheet, or anything with a date and a position.
pub fn load_bytes(bytes: &[u8], path: &str, gazetteer: &Gazetteer) -> Result<Loaded, LoadError> {
    load_bytes_with(bytes, path, gazetteer, ReadOptions::default())
}

/// [`load_bytes`], tables read with `options`.
pub(crate) fn load_bytes_with(
    bytes: &[u8],
    path: &str,
    gazetteer: &Gazetteer,
    options: ReadOptions,
) -> Result<Loaded, LoadError> {
    if bytes.len() < HASH_ON_A_THREAD_MIN_BYTES {
        return load_hashed(bytes, path, gazetteer, options, || {
            FileDigest::known(sha256_hex(bytes))
        });
    }
    // SHA-256 of a large file takes a good part of a second: it runs beside the parsing.
    std::thread::scope(|scope| {
        let hashing = scope.spawn(|| sha256_hex(bytes));
        load_hashed(bytes, path, gazetteer, options, || {
            FileDigest::known(hashing.join().unwrap_or_else(|_| sha256_hex(bytes)))
        })
    })
}

/// Below this size a file is hashed on the loading thread: a thread costs more than it saves.
const HASH_ON_A_THREAD_MIN_BYTES: usize = 4 << 20;

/// [`load_bytes`], with the file's SHA-256 from `sha256` when the dataset is built.
fn load_hashed(
    bytes: &[u8],
    path: &str,
    gazetteer: &Gazetteer,
    options: ReadOptions,
    sha256: impl FnOnce() -> FileDigest,
) -> Result<Loaded, LoadError> {
    if let Some(magic) = workbook::magic(bytes) {
        let sheet = read_workbook(bytes, path, magic)?;
        let detected = detect::detect(&sheet.text).map_err(|reason| LoadError::UnknownFormat {
            path: path.into(),
            reason: format!("the sheet \"{}\": {reason}", sheet.sheet),
        })?;
        let loaded = load_detected(
            &sheet.text,
            None,
            detected,
            path,
            gazetteer,
            options,
            None,
            bytes.len() as u64,
            sha256,
        );
        return sheet_loaded(&sheet, loaded);
    }
    let decoded = text::decode(bytes);
    let detected = detect::detect(&decoded.text).map_err(|reason| LoadError::UnknownFormat {
        path: path.into(),
        reason,
    })?;
    load_detected(
        &decoded.text,
        None,
        detected,
        path,
        gazetteer,
        options,
        decoded.warning.as_deref(),
        bytes.len() as u64,
        sha256,
    )
}

/// The sheet of a workbook claimmap reads (see [`workbook::read_sheet`]).
fn read_workbook(
    bytes: &[u8],
    path: &str,
    magic: workbook::Magic,
) -> Result<workbook::SheetText, LoadError> {
    match magic {
        workbook::Magic::Ole => Err(LoadError::UnknownFormat {
            path: path.into(),
            reason: "an Excel 97–2003 (.xls) workbook; claimmap reads .xlsx and .ods: save it as .xlsx (Excel Workbook)".into(),
        }),
        workbook::Magic::Zip => {
            workbook::read_sheet(bytes).map_err(|reason| LoadError::UnknownFormat {
                path: path.into(),
                reason,
            })
        }
    }
}

/// A load of a workbook sheet's text, told in the sheet's rows: the report's issues name the
/// sheet and row, and a table whose columns are not recognised says which sheet it looked at.
fn sheet_loaded(
    sheet: &workbook::SheetText,
    loaded: Result<Loaded, LoadError>,
) -> Result<Loaded, LoadError> {
    match loaded {
        Ok(mut loaded) => {
            sheet.relabel(&mut loaded.report);
            Ok(loaded)
        }
        Err(LoadError::Columns {
            path,
            message,
            missing,
            header,
            mapping,
        }) => Err(LoadError::Columns {
            path,
            message: format!("the sheet \"{}\" is {message}", sheet.sheet),
            missing,
            header,
            mapping,
        }),
        Err(e) => Err(e),
    }
}

/// The table a workbook file holds, as the CSV text claimmap reads (the sheet [`load_path`]
/// would read); `None` for a file that is not a workbook or cannot be read.
pub fn workbook_table_text(path: &Path) -> Option<String> {
    use std::io::Read;
    let mut head = [0u8; 8];
    let mut file = std::fs::File::open(path).ok()?;
    file.read_exact(&mut head).ok()?;
    workbook::magic(&head)?;
    let bytes = std::fs::read(path).ok()?;
    workbook::read_sheet(&bytes).ok().map(|sheet| sheet.text)
}

/// The rest of a large file whose first bytes showed a table: read as it is parsed.
struct Rest<'a> {
    head: &'a [u8],
    rest: Box<dyn std::io::Read + Send>,
    len: u64,
    /// The file again, for the texts kept as spans of it.
    texts: Option<std::sync::Arc<crate::model::TextFile>>,
}

/// Reads a dataset of the `detected` format: from `text`, or for a table, from `rest` when given
/// (`text` then is the text of its first bytes).
#[allow(clippy::too_many_arguments)]
fn load_detected(
    text: &str,
    mut rest: Option<Rest<'_>>,
    detected: detect::Detected,
    path: &str,
    gazetteer: &Gazetteer,
    options: ReadOptions,
    warning: Option<&str>,
    len: u64,
    sha256: impl FnOnce() -> FileDigest,
) -> Result<Loaded, LoadError> {
    let new_report = |format| {
        let mut report = LoadReport::new(path, format);
        if let Some(warning) = warning {
            report.warning(0, warning.to_owned());
        }
        report
    };
    let mut input = || match rest.take() {
        Some(Rest {
            head,
            rest,
            len: file_len,
            texts,
        }) => rows::Input::File {
            head,
            rest,
            len: file_len,
            texts,
        },
        None => rows::Input::Text(text),
    };
    let (parsed, report) = match detected {
        detect::Detected::Json => {
            // One walk and one line index serve both readers.
            let collection = json_scan::scan(text);
            let lines = LineIndex::new(text);
            let mut report = new_report(Format::Claimmap);
            let parsed = native::read(&collection, &lines, &mut report);
            if let Some(refused) = parsed.refused {
                return Err(LoadError::Unreadable {
                    path: path.into(),
                    line: refused.line,
                    column: refused.column.unwrap_or(1),
                    message: refused.message,
                });
            }
            if parsed.is_native {
                report.settle_counts();
                (parsed, report)
            } else {
                let report = new_report(Format::GeoJson);
                read_plain_geojson(text, &collection, &lines, path, report)?
            }
        }
        detect::Detected::Acled { delimiter } => {
            let mut report = new_report(Format::Acled);
            let parsed = acled::read(input(), delimiter, options, path, &mut report)
                .map_err(|m| columns_error(path, "an ACLED CSV", m))?;
            (parsed, report)
        }
        detect::Detected::Ucdp { delimiter } => {
            let mut report = new_report(Format::Ucdp);
            let parsed = ucdp::read(input(), delimiter, options, path, &mut report)
                .map_err(|m| columns_error(path, "a UCDP GED CSV", m))?;
            (parsed, report)
        }
        detect::Detected::Table { delimiter, header } => {
            let mut mapping = detect_columns(&header);
            mapping.delimiter = delimiter;
            let missing = mapping.missing();
            if !missing.is_empty() {
                let found = mapping.found();
                return Err(LoadError::Columns {
                    path: path.into(),
                    message: format!(
                        "a table, but claimmap cannot tell which columns hold {}; recognised: {}; its columns are: {}",
                        missing.join(" and "),
                        if found.is_empty() {
                            "nothing".into()
                        } else {
                            found.join(", ")
                        },
                        column_list(&header)
                    ),
                    missing: missing.iter().map(|m| (*m).to_owned()).collect(),
                    header,
                    mapping: Some(Box::new(mapping)),
                });
            }
            let mut report = new_report(if mapping.is_claims_sheet() {
                Format::Claims
            } else {
                Format::Csv
            });
            let parsed = table::read(input(), &mapping, options, path, &mut report);
            (parsed, report)
        }
    };
    Ok(finish(parsed, report, len as usize, sha256(), gazetteer))
}

/// A FeatureCollection without the `claimmap` member.
fn read_plain_geojson(
    text: &str,
    collection: &json_scan::Collection<'_>,
    lines: &LineIndex<'_>,
    path: &str,
    mut report: LoadReport,
) -> Result<(native::Parsed, LoadReport), LoadError> {
    let parsed = plain_geojson::read(collection, lines, path, &mut report);
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
        if !text.contains("\"FeatureCollection\"") {
            return Err(LoadError::UnknownFormat {
                path: path.into(),
                reason: "a JSON object, but not a GeoJSON FeatureCollection".into(),
            });
        }
    }
    Ok((parsed, report))
}

/// Loads a table (CSV, TSV…) with a column mapping a user chose, or corrected from
/// [`detect_columns`]; `mapping.delimiter` must be the file's.
pub fn load_table_with_mapping(
    bytes: &[u8],
    path: &str,
    mapping: &ColumnMapping,
    gazetteer: &Gazetteer,
) -> Result<Loaded, LoadError> {
    load_table_mapped(
        bytes,
        path,
        mapping,
        gazetteer,
        ReadOptions::default(),
        None,
    )
}

/// [`load_table_with_mapping`], read with `options`; `digest` is the bytes' SHA-256 when it is
/// being computed already.
fn load_table_mapped(
    bytes: &[u8],
    path: &str,
    mapping: &ColumnMapping,
    gazetteer: &Gazetteer,
    options: ReadOptions,
    digest: Option<FileDigest>,
) -> Result<Loaded, LoadError> {
    let digest = digest.unwrap_or_else(|| FileDigest::known(sha256_hex(bytes)));
    let sheet = workbook::magic(bytes)
        .map(|magic| read_workbook(bytes, path, magic))
        .transpose()?;
    let decoded;
    let (text, warning) = match &sheet {
        Some(sheet) => (&*sheet.text, None),
        None => {
            decoded = text::decode(bytes);
            (&*decoded.text, decoded.warning.as_deref())
        }
    };
    let loaded = load_text_mapped(
        text, warning, bytes, path, mapping, gazetteer, options, digest,
    );
    match &sheet {
        Some(sheet) => sheet_loaded(sheet, loaded),
        None => loaded,
    }
}

/// [`load_table_mapped`] of the file's text.
#[allow(clippy::too_many_arguments)]
fn load_text_mapped(
    text: &str,
    warning: Option<&str>,
    bytes: &[u8],
    path: &str,
    mapping: &ColumnMapping,
    gazetteer: &Gazetteer,
    options: ReadOptions,
    digest: FileDigest,
) -> Result<Loaded, LoadError> {
    let format = if mapping.is_claims_sheet() {
        Format::Claims
    } else {
        Format::Csv
    };
    let mut report = LoadReport::new(path, format);
    if let Some(warning) = warning {
        report.warning(0, warning.to_owned());
    }
    let missing = mapping.missing();
    if !missing.is_empty() {
        return Err(LoadError::Columns {
            path: path.into(),
            message: format!("the column mapping lacks {}", missing.join(" and ")),
            missing: missing.iter().map(|m| (*m).to_owned()).collect(),
            header: mapping.header.clone(),
            mapping: Some(Box::new(mapping.clone())),
        });
    }
    let parsed = table::read(rows::Input::Text(text), mapping, options, path, &mut report);
    Ok(finish(parsed, report, bytes.len(), digest, gazetteer))
}

/// Places the incidents, completes the report and builds the dataset.
fn finish(
    parsed: native::Parsed,
    mut report: LoadReport,
    len: usize,
    sha256: FileDigest,
    gazetteer: &Gazetteer,
) -> Loaded {
    let mut incidents = parsed.incidents;
    if let Some(control) = progress::current() {
        control.set_phase(progress::Phase::Placing);
    }
    let listed = report.warnings.len();
    placing::resolve_places(
        &mut incidents,
        &parsed.lines,
        &parsed.strings,
        gazetteer,
        &mut report,
    );
    report.warning_count += report.warnings.len() - listed;
    report.settle_counts();
    report.loaded = incidents.len();
    let provenance = Provenance {
        path: report.path.clone(),
        format: report.format,
        sha256,
        bytes: len as u64,
    };
    let dataset = Dataset::new(
        parsed.meta,
        parsed.sides,
        parsed.claimants,
        incidents,
        parsed.strings,
        provenance,
    );
    Loaded { dataset, report }
}

/// Loads a dataset file on the current thread under `control`: the bytes read and the rows
/// parsed are reported to it, and cancelling it stops the load with [`LoadError::Cancelled`].
/// `mapping` loads a table with a column mapping the user chose.
pub fn load_path_controlled(
    path: &Path,
    gazetteer: &Gazetteer,
    control: &std::sync::Arc<progress::LoadControl>,
    mapping: Option<&ColumnMapping>,
) -> Result<Loaded, LoadError> {
    load_path_with(path, gazetteer, control, mapping, ReadOptions::default())
}

/// [`load_path_controlled`], the file streamed and its tables read with `options`.
pub(crate) fn load_path_with(
    path: &Path,
    gazetteer: &Gazetteer,
    control: &std::sync::Arc<progress::LoadControl>,
    mapping: Option<&ColumnMapping>,
    options: ReadOptions,
) -> Result<Loaded, LoadError> {
    use std::io::Read;
    let shown = path.display().to_string();
    let io = |source| LoadError::Io {
        path: shown.clone(),
        source,
    };
    let mut file = std::fs::File::open(path).map_err(io)?;
    // Hashed once the load is over (when `_hash_after` is dropped), never waited for by it:
    // exports and converts wait for the digest.
    let (digest, _hash_after) = file_hash::after_load(&file, path);
    let total = file.metadata().map(|m| m.len()).unwrap_or(0);
    control.set_total(total);
    control.set_phase(progress::Phase::Reading);
    let sizes = options.sizes;
    // A large table is parsed as it is read; its first bytes tell whether it is one.
    let head_bytes = (total >= sizes.stream_min && mapping.is_none()).then_some(sizes.head);
    let mut bytes = Vec::with_capacity(if let Some(head) = head_bytes {
        head
    } else {
        total as usize
    });
    // Read in slices so a read of a large file reports progress and can be cancelled.
    let mut chunk = vec![0u8; 4 << 20];
    loop {
        if control.is_cancelled() {
            return Err(LoadError::Cancelled { path: shown });
        }
        let want = match head_bytes {
            Some(head) if bytes.len() < head => head - bytes.len(),
            _ => chunk.len(),
        };
        let want = want.min(chunk.len());
        let n = file.read(&mut chunk[..want]).map_err(io)?;
        if n == 0 {
            break;
        }
        bytes.extend_from_slice(&chunk[..n]);
        control.set_done(bytes.len() as u64);
        if head_bytes == Some(bytes.len()) {
            if let Some(detected) = streamable(&bytes) {
                drop(chunk);
                control.set_done(0);
                let head_text = rows::head_text(&bytes).unwrap_or("");
                // A handle of its own: positioned reads of it never move the stream's offset.
                let texts = file
                    .try_clone()
                    .and_then(|handle| crate::model::TextFile::new(handle, shown.clone()))
                    .ok()
                    .map(std::sync::Arc::new);
                let rest = Rest {
                    head: &bytes,
                    rest: Box::new(file),
                    len: total,
                    texts: texts.clone(),
                };
                let loaded = progress::with_control(control, || {
                    load_detected(
                        head_text,
                        Some(rest),
                        detected,
                        &shown,
                        gazetteer,
                        options,
                        None,
                        total,
                        || digest,
                    )
                });
                if control.is_cancelled() {
                    return Err(LoadError::Cancelled { path: shown });
                }
                control.set_phase(progress::Phase::Done);
                return loaded.map(|mut loaded| {
                    loaded.dataset.set_text_file(texts);
                    loaded
                });
            }
            // Not a table to stream (a GeoJSON, a workbook): it is read whole, so it gets the
            // room for all of it now. Grown by doubling from the head's room, a 200 MB file
            // touched about twice its size in copies the one-shot commands never give back.
            bytes.reserve_exact((total as usize).saturating_sub(bytes.len()));
        }
    }
    control.set_done(0);
    let loaded = progress::with_control(control, || match mapping {
        Some(mapping) => {
            load_table_mapped(&bytes, &shown, mapping, gazetteer, options, Some(digest))
        }
        None => load_hashed(&bytes, &shown, gazetteer, options, || digest),
    });
    if control.is_cancelled() {
        return Err(LoadError::Cancelled { path: shown });
    }
    control.set_phase(progress::Phase::Done);
    loaded
}

/// The format of a large file from its first bytes, when it is a table that can be parsed as it
/// is read: UTF-8 (the rest is checked block by block), with all the columns it needs.
fn streamable(head: &[u8]) -> Option<detect::Detected> {
    if workbook::magic(head).is_some() {
        return None;
    }
    let text = rows::head_text(head)?;
    match detect::detect(text).ok()? {
        detected @ (detect::Detected::Acled { .. } | detect::Detected::Ucdp { .. }) => {
            Some(detected)
        }
        detect::Detected::Table { delimiter, header } => {
            let mut mapping = detect_columns(&header);
            mapping.delimiter = delimiter;
            mapping
                .missing()
                .is_empty()
                .then_some(detect::Detected::Table { delimiter, header })
        }
        detect::Detected::Json => None,
    }
}

/// Loads a dataset file. The file is only read, never written.
pub fn load_path(path: &Path, gazetteer: &Gazetteer) -> Result<Loaded, LoadError> {
    load_path_controlled(path, gazetteer, &progress::LoadControl::new(), None)
}

/// The embedded reference dataset.
pub fn load_reference(gazetteer: &Gazetteer) -> Loaded {
    load_bytes(REFERENCE_DATASET.as_bytes(), REFERENCE_PATH, gazetteer)
        .expect("the embedded reference dataset is valid (tested)")
}

/// Saves a dataset in the native format, atomically, written feature by feature (never the
/// whole document in memory).
pub fn save_native(dataset: &Dataset, path: &Path) -> std::io::Result<()> {
    let mut file = AtomicFile::create(path)?;
    native::write(dataset, &mut file)?;
    dataset.texts_readable()?;
    file.commit()
}

/// Saves a dataset the user edited in the native format, atomically, and returns where it now
/// comes from: the file written, with the hash of the bytes written, so a figure exported next
/// names exactly them.
pub fn save_edited(dataset: &Dataset, path: &Path) -> std::io::Result<Provenance> {
    use std::io::Write;
    let text = native::to_string(dataset);
    dataset.texts_readable()?;
    let mut file = AtomicFile::create(path)?;
    file.write_all(text.as_bytes())?;
    file.commit()?;
    Ok(Provenance {
        path: path.display().to_string(),
        format: Format::Claimmap,
        sha256: FileDigest::known(sha256_hex(text.as_bytes())),
        bytes: text.len() as u64,
    })
}

/// Resolves the places of one incident the user wrote and places it on the map, as a load does;
/// returns what a load would have warned of (an ambiguous place, one far from the point given).
pub fn place_incident(
    incident: &mut crate::model::Incident,
    strings: &crate::model::Interner,
    gazetteer: &Gazetteer,
) -> Vec<String> {
    let mut report = LoadReport::new("", Format::Claimmap);
    placing::resolve_places(
        std::slice::from_mut(incident),
        &[],
        strings,
        gazetteer,
        &mut report,
    );
    report.warnings.into_iter().map(|w| w.message).collect()
}

/// Loads `path` streamed in blocks of a few records whatever its size, its long quotes left in the
/// file: for the tests of what reads them back.
#[cfg(test)]
pub(crate) fn load_streamed_in_small_blocks(path: &Path) -> Result<Loaded, LoadError> {
    let options = ReadOptions {
        sizes: stream::Sizes {
            stream_min: 1,
            head: 2048,
            block: 4096,
        },
        ..ReadOptions::default()
    };
    load_path_with(
        path,
        Gazetteer::embedded(),
        &progress::LoadControl::new(),
        None,
        options,
    )
}

#[cfg(test)]
mod text_spans_tests;
