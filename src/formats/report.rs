//! What a load found: the facts the import report window and `claimmap check` show.

use crate::model::Format;

/// A problem with one place in a file.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Issue {
    /// From 1; 0 when the problem is not at one place (a name used throughout the file).
    pub line: usize,
    pub column: Option<usize>,
    pub message: String,
}

impl std::fmt::Display for Issue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.column {
            _ if self.line == 0 => write!(f, "{}", self.message),
            Some(column) => write!(f, "line {}, column {}: {}", self.line, column, self.message),
            None => write!(f, "line {}: {}", self.line, self.message),
        }
    }
}

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
    pub errors: Vec<Issue>,
    /// Loaded, but with something to know (a claimant missing from the registry, an ambiguous place).
    pub warnings: Vec<Issue>,
    /// Place names the gazetteer could not resolve, each once, in first-seen order.
    pub unresolved_places: Vec<String>,
    /// Incidents with neither a geometry nor a place the gazetteer knows.
    pub unlocated: usize,
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
            warnings: Vec::new(),
            unresolved_places: Vec::new(),
            unlocated: 0,
        }
    }
}
