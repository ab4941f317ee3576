//! What a set of loaded datasets holds within a date window: the counts `claimmap check` prints.

use std::collections::{BTreeMap, HashSet};

use crate::formats::{LoadReport, Loaded};
use crate::model::{Dataset, DateWindow, Day, Placement};
use crate::view::{Filters, IncidentIndex, query};

/// A claimant and how many of the counted claims are its.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ClaimantCount {
    pub name: String,
    /// Its side's id (`az`, `am`, `acled-source`…).
    pub side: String,
    pub claims: usize,
}

/// Counts over the incidents whose dates meet the window.
#[derive(Clone, PartialEq, Debug, Default)]
pub struct Summary {
    pub incidents: usize,
    pub claims: usize,
    /// The claimants of the claims counted, by name, each once per side, with their claims.
    pub claimants: Vec<ClaimantCount>,
    pub contested: usize,
    pub date_min: Option<Day>,
    pub date_max: Option<Day>,
    pub unlocated: usize,
    /// Place names the gazetteer could not resolve, each once, in first-seen order.
    pub unresolved_places: Vec<String>,
}

impl Summary {
    /// The incidents in the window under the default filters: what `claimmap check` counts,
    /// through the same query as the window.
    pub fn of(loaded: &[Loaded], window: &DateWindow) -> Summary {
        let datasets: Vec<&Dataset> = loaded.iter().map(|l| &l.dataset).collect();
        let shown = query::visible(&datasets, window, &Filters::default());
        Summary::of_visible(loaded, &shown)
    }

    /// Counts over the given incidents of `loaded` (from [`query::visible`] or
    /// [`query::visible_passing`]).
    pub fn of_visible(loaded: &[Loaded], shown: &[IncidentIndex]) -> Summary {
        let mut summary = Summary::default();
        // By (name, side): one claimant per layer has the same name and side in every layer.
        let mut claimants: BTreeMap<(&str, &str), usize> = BTreeMap::new();
        let mut unresolved = HashSet::new();
        for &(d, index) in shown {
            let Some(dataset) = loaded.get(d).map(|l| &l.dataset) else {
                continue;
            };
            if let Some(incident) = dataset.incidents().get(index) {
                summary.incidents += 1;
                summary.claims += incident.claims.len();
                for claim in &incident.claims {
                    let claimant = dataset.claimant(claim.claimant);
                    let side = &*dataset.side(claimant.side).id;
                    *claimants.entry((&claimant.name, side)).or_default() += 1;
                }
                if dataset.is_contested(incident) {
                    summary.contested += 1;
                }
                if incident.placement == Placement::Unlocated {
                    summary.unlocated += 1;
                }
                let (start, end) = (incident.date.start(), incident.date.end());
                summary.date_min = Some(summary.date_min.map_or(start, |d| d.min(start)));
                summary.date_max = Some(summary.date_max.map_or(end, |d| d.max(end)));
                let refs = incident.location.place.iter().chain(
                    incident
                        .claims
                        .iter()
                        .flat_map(|c| c.details.from.iter().chain(&c.details.to)),
                );
                for place in refs.filter(|p| p.resolved.is_none()) {
                    let text = dataset.text(place.pinned.unwrap_or(place.text));
                    if unresolved.insert(text) {
                        summary.unresolved_places.push(text.to_owned());
                    }
                }
            }
        }
        summary.claimants = claimants
            .into_iter()
            .map(|((name, side), claims)| ClaimantCount {
                name: name.to_owned(),
                side: side.to_owned(),
                claims,
            })
            .collect();
        summary
    }

    /// The JSON object `claimmap check --json` prints.
    pub fn to_json(
        &self,
        reports: &[LoadReport],
        failures: &[(String, String)],
    ) -> serde_json::Value {
        let day = |d: Option<Day>| {
            d.map(|d| serde_json::Value::String(d.to_string()))
                .unwrap_or_default()
        };
        let mut files: Vec<serde_json::Value> = reports
            .iter()
            .map(|r| {
                serde_json::json!({
                    "path": r.path,
                    "format": r.format.as_str(),
                    "rows": r.rows,
                    "loaded": r.loaded,
                    "skipped": r.skipped,
                    "unlocated": r.unlocated,
                    "error_count": r.error_count,
                    "errors": r.errors.iter().map(issue_json).collect::<Vec<_>>(),
                    "warning_count": r.warning_count,
                    "warnings": r.warnings.iter().map(issue_json).collect::<Vec<_>>(),
                    "unregistered_claimants": r.unregistered_claimants,
                })
            })
            .collect();
        files.extend(failures.iter().map(|(path, message)| {
            serde_json::json!({"path": path, "format": null, "rows": 0, "loaded": 0, "skipped": 0, "unlocated": 0, "error_count": 1, "errors": [{"line": 0, "message": message}], "warning_count": 0, "warnings": [], "unregistered_claimants": []})
        }));
        serde_json::json!({
            "incidents": self.incidents,
            "claims": self.claims,
            "claimants": self.claimants.iter().map(|c| serde_json::json!({"name": c.name, "side": c.side, "claims": c.claims})).collect::<Vec<_>>(),
            "contested": self.contested,
            "date_min": day(self.date_min),
            "date_max": day(self.date_max),
            "unlocated": self.unlocated,
            "unresolved_places": self.unresolved_places,
            "files": files,
        })
    }
}

/// One error or warning of `check --json`: its line (a workbook's row, with its `sheet`), column
/// and message.
fn issue_json(issue: &crate::formats::Issue) -> serde_json::Value {
    let mut value =
        serde_json::json!({"line": issue.line, "column": issue.column, "message": issue.message});
    if let (Some(sheet), Some(object)) = (&issue.sheet, value.as_object_mut()) {
        object.insert("sheet".into(), serde_json::Value::String(sheet.to_string()));
    }
    value
}
