//! What a load found: the facts the import report window and `claimmap check` show.

use crate::model::Format;

/// A problem with one place in a file.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Issue {
    /// From 1; 0 when the problem is not at one place (a name used throughout the file).
    pub line: usize,
    pub column: Option<usize>,
    pub message: String,
    /// The workbook sheet `line` is a row of; `None` for a text file, where it is a line.
    pub sheet: Option<std::sync::Arc<str>>,
}

impl std::fmt::Display for Issue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.column {
            _ if self.line == 0 => write!(f, "{}", self.message),
            _ if self.sheet.is_some() => {
                let sheet = self.sheet.as_deref().unwrap_or_default();
                write!(f, "sheet \"{sheet}\", row {}: {}", self.line, self.message)
            }
            Some(column) => write!(f, "line {}, column {}: {}", self.line, column, self.message),
            None => write!(f, "line {}: {}", self.line, self.message),
        }
    }
}

/// How many errors, and how many warnings, a report lists; the rest are only counted.
pub const LISTED_ISSUES: usize = 100;

/// One file's load: what was read, what was kept, and why anything was not.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct LoadReport {
    pub path: String,
    pub format: Format,
    /// Records seen: features, or data rows.
    pub rows: usize,
    /// Incidents loaded.
    pub loaded: usize,
    /// Records not loaded; each has an error.
    pub skipped: usize,
    /// The first [`LISTED_ISSUES`] errors, in file order.
    pub errors: Vec<Issue>,
    /// All errors, listed or not (never less than `errors.len()`).
    pub error_count: usize,
    /// Loaded, but with something to know (a claimant missing from the registry, an ambiguous
    /// place, a file read as Windows-1252). The first [`LISTED_ISSUES`].
    pub warnings: Vec<Issue>,
    /// All warnings, listed or not (never less than `warnings.len()`).
    pub warning_count: usize,
    /// Place names the gazetteer could not resolve, each once, in first-seen order.
    pub unresolved_places: Vec<String>,
    /// Incidents with neither a geometry nor a place the gazetteer knows.
    pub unlocated: usize,
    /// Claimants named by source text that the claimant registry does not know, kept on the
    /// importer's neutral side; sorted.
    pub unregistered_claimants: Vec<String>,
}

impl LoadReport {
    pub fn new(path: impl Into<String>, format: Format) -> LoadReport {
        LoadReport {
            path: path.into(),
            format,
            rows: 0,
            loaded: 0,
            skipped: 0,
            errors: Vec::new(),
            error_count: 0,
            warnings: Vec::new(),
            warning_count: 0,
            unresolved_places: Vec::new(),
            unlocated: 0,
            unregistered_claimants: Vec::new(),
        }
    }

    /// Records an error: listed while fewer than [`LISTED_ISSUES`] are, always counted.
    pub fn error(&mut self, line: usize, message: impl Into<String>) {
        self.push_error(Issue {
            line,
            column: None,
            message: message.into(),
            sheet: None,
        });
    }

    /// Records a warning: listed while fewer than [`LISTED_ISSUES`] are, always counted.
    pub fn warning(&mut self, line: usize, message: impl Into<String>) {
        self.push_warning(Issue {
            line,
            column: None,
            message: message.into(),
            sheet: None,
        });
    }

    /// [`Self::error`] for an issue with its column.
    pub fn push_error(&mut self, issue: Issue) {
        self.error_count += 1;
        if self.errors.len() < LISTED_ISSUES {
            self.errors.push(issue);
        }
    }

    /// [`Self::warning`] for an issue with its column.
    pub fn push_warning(&mut self, issue: Issue) {
        self.warning_count += 1;
        if self.warnings.len() < LISTED_ISSUES {
            self.warnings.push(issue);
        }
    }

    /// Makes the counts cover issues pushed onto the lists directly (the native reader does),
    /// and trims the lists to [`LISTED_ISSUES`].
    pub fn settle_counts(&mut self) {
        self.error_count = self.error_count.max(self.errors.len());
        self.warning_count = self.warning_count.max(self.warnings.len());
        self.errors.truncate(LISTED_ISSUES);
        self.warnings.truncate(LISTED_ISSUES);
    }

    /// Appends the report of the next part of the same file, read separately: its counts, and its
    /// listed issues while fewer than [`LISTED_ISSUES`] are listed, so the lists stay the first
    /// ones in file order.
    pub(crate) fn absorb(&mut self, part: LoadReport) {
        debug_assert!(part.unresolved_places.is_empty(), "parts are not placed");
        self.rows += part.rows;
        self.loaded += part.loaded;
        self.skipped += part.skipped;
        self.unlocated += part.unlocated;
        self.error_count += part.error_count.max(part.errors.len());
        self.warning_count += part.warning_count.max(part.warnings.len());
        let room = LISTED_ISSUES.saturating_sub(self.errors.len());
        self.errors.extend(part.errors.into_iter().take(room));
        let room = LISTED_ISSUES.saturating_sub(self.warnings.len());
        self.warnings.extend(part.warnings.into_iter().take(room));
    }
}
