//! The user's decisions on linked records — "these two rows are one event", "these are not" —
//! kept in a small JSON file beside a dataset (`data.csv` → `data.links.json`), so they come back
//! whenever the datasets are opened together. Records are named by the file names and the ids the
//! files give them (ACLED's `event_id_cnty`, UCDP's `id`, the native feature id), not by paths,
//! so moving the folder keeps the links. The dataset files themselves are never written.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// What the user said of a proposed link.
#[derive(Copy, Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Confirmed,
    Rejected,
}

/// One decision: two records of two files, and what was decided with the evidence seen then.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub struct LinkDecision {
    pub a_file: String,
    pub a: String,
    pub b_file: String,
    pub b: String,
    pub decision: Decision,
    /// The score and reasons shown when the decision was made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reasons: Vec<String>,
}

impl LinkDecision {
    /// Whether this decision is about the records `(file, id)` and `(other_file, other_id)`, in
    /// either order.
    pub fn concerns(&self, one: (&str, &str), other: (&str, &str)) -> bool {
        let a = (self.a_file.as_str(), self.a.as_str());
        let b = (self.b_file.as_str(), self.b.as_str());
        (a == one && b == other) || (a == other && b == one)
    }
}

/// The whole file.
#[derive(Clone, PartialEq, Debug, Default, Serialize, Deserialize)]
pub struct LinksFile {
    /// Marks the file as claimmap's, with the layout's version.
    pub claimmap_links: u32,
    pub links: Vec<LinkDecision>,
}

/// The layout written; a file of a later version is refused rather than half understood.
pub const VERSION: u32 = 1;

/// Where the decisions about `dataset`'s records live: beside it, its name's last extension
/// replaced by `.links.json`.
pub fn path_beside(dataset: &Path) -> PathBuf {
    let stem = dataset
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "data".into());
    dataset.with_file_name(format!("{stem}.links.json"))
}

/// Reads a links file; `Ok(None)` when there is none.
pub fn read(path: &Path) -> Result<Option<LinksFile>, String> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("{}: {e}", path.display())),
    };
    let file: LinksFile = serde_json::from_slice(&bytes).map_err(|e| {
        format!(
            "{}: line {}: not a claimmap links file ({e})",
            path.display(),
            e.line()
        )
    })?;
    if file.claimmap_links == 0 || file.claimmap_links > VERSION {
        return Err(format!(
            "{}: links file version {} (this claimmap reads version {VERSION})",
            path.display(),
            file.claimmap_links
        ));
    }
    Ok(Some(file))
}

/// Writes a links file atomically: a crash leaves the old file or the new, never half of one.
pub fn write(path: &Path, file: &LinksFile) -> std::io::Result<()> {
    let mut text = serde_json::to_string_pretty(file).map_err(std::io::Error::other)?;
    text.push('\n');
    super::atomic::write_atomic(path, text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_sits_beside_its_dataset() {
        assert_eq!(
            path_beside(Path::new("/data/acled-2021.csv")),
            Path::new("/data/acled-2021.links.json")
        );
    }

    #[test]
    fn decisions_round_trip_and_match_in_either_order() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("x.links.json");
        let file = LinksFile {
            claimmap_links: VERSION,
            links: vec![LinkDecision {
                a_file: "acled.csv".into(),
                a: "ARM1".into(),
                b_file: "ged.csv".into(),
                b: "42".into(),
                decision: Decision::Confirmed,
                score: Some(0.81),
                reasons: vec!["same day".into()],
            }],
        };
        write(&path, &file).expect("written");
        let back = read(&path).expect("reads").expect("there");
        assert_eq!(back, file);
        assert!(back.links[0].concerns(("ged.csv", "42"), ("acled.csv", "ARM1")));
        assert!(!back.links[0].concerns(("ged.csv", "43"), ("acled.csv", "ARM1")));
        assert_eq!(read(&dir.path().join("none.json")), Ok(None));
    }

    #[test]
    fn a_broken_or_future_file_is_refused_with_where_and_why() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("x.links.json");
        std::fs::write(&path, "{\"claimmap_links\": 1, \"links\": [\n{]}").expect("write");
        let error = read(&path).expect_err("refused");
        assert!(error.contains("line 2"), "{error}");
        std::fs::write(&path, r#"{"claimmap_links": 9, "links": []}"#).expect("write");
        assert!(read(&path).expect_err("refused").contains("version 9"));
    }
}
