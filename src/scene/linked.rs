//! Records the user confirmed as one event, as the scene uses them: the decisions read from the
//! links files beside the loaded datasets, and, when linked records are merged, which records
//! stand down so that each confirmed group is counted and drawn once (by the record of the
//! earliest layer; its panel lists the others' accounts).

use std::path::Path;

use crate::formats::links_file::{self, Decision, LinkDecision};

use super::layer::{DatasetLayer, IncidentRef, LayerId};

/// The name decisions give a layer's file.
pub fn file_name(layer: &DatasetLayer) -> String {
    let path = Path::new(&layer.loaded.report.path);
    path.file_name().map_or_else(
        || layer.loaded.report.path.clone(),
        |f| f.to_string_lossy().into_owned(),
    )
}

/// Every decision in the links files beside the layers that are files (a file that cannot be
/// read adds none: the window reports it).
pub fn decisions_beside(layers: &[DatasetLayer]) -> Vec<LinkDecision> {
    let mut out: Vec<LinkDecision> = Vec::new();
    for layer in layers {
        let path = Path::new(&layer.loaded.report.path);
        if !path.is_file() {
            continue;
        }
        if let Ok(Some(file)) = links_file::read(&links_file::path_beside(path)) {
            for d in file.links {
                if !out
                    .iter()
                    .any(|e| e.concerns((&d.a_file, &d.a), (&d.b_file, &d.b)))
                {
                    out.push(d);
                }
            }
        }
    }
    out
}

/// The loaded record a decision names, if its file is loaded.
fn find(layers: &[DatasetLayer], file: &str, id: &str) -> Option<IncidentRef> {
    layers.iter().enumerate().find_map(|(n, l)| {
        if file_name(l) != file {
            return None;
        }
        let dataset = &l.loaded.dataset;
        let index = dataset
            .incidents()
            .iter()
            .position(|i| dataset.file_id(i) == id)?;
        Some(IncidentRef { dataset: n, index })
    })
}

/// The confirmed pairs whose two records are both loaded.
pub fn confirmed_pairs(
    layers: &[DatasetLayer],
    decisions: &[LinkDecision],
) -> Vec<(IncidentRef, IncidentRef)> {
    decisions
        .iter()
        .filter(|d| d.decision == Decision::Confirmed)
        .filter_map(|d| {
            Some((
                find(layers, &d.a_file, &d.a)?,
                find(layers, &d.b_file, &d.b)?,
            ))
        })
        .collect()
}

/// The records that stand down when confirmed groups are merged: in each confirmed pair of two
/// shown layers, the record of the later layer.
pub fn merged_away(layers: &[DatasetLayer], decisions: &[LinkDecision]) -> Vec<(LayerId, usize)> {
    let mut out: Vec<(LayerId, usize)> = confirmed_pairs(layers, decisions)
        .into_iter()
        .filter(|(a, b)| {
            a.dataset != b.dataset && layers[a.dataset].visible && layers[b.dataset].visible
        })
        .map(|(a, b)| {
            let later = if b.dataset > a.dataset { b } else { a };
            (layers[later.dataset].id, later.index)
        })
        .collect();
    out.sort_by_key(|&(id, index)| (id, index));
    out.dedup();
    out
}
