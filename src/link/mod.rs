//! Records of one event in several datasets: find the incidents of different layers that may
//! describe the same event, and say why.
//!
//! The idea in one sentence: index each layer by date and place, ask it for the incidents whose
//! dates meet and whose locations lie within each other's precision, score each such pair on the
//! evidence (days apart, km apart, category, place names, claimants, words), and keep the best
//! one-to-one pairs. Nothing here decides that two records are one event: a link is a proposal
//! with its reasons, for the user to confirm or reject.

mod evidence;
mod index;

pub use evidence::{DEFAULT_MIN_SCORE, Evidence, LinkOptions};

use crate::gazetteer::Gazetteer;
use crate::model::Dataset;

/// An incident of one of the datasets being linked: which dataset, and which incident in it.
#[derive(Copy, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct RecordRef {
    pub dataset: usize,
    pub index: usize,
}

/// A proposed link between two incidents of different datasets, with the evidence for it.
#[derive(Clone, PartialEq, Debug)]
pub struct Link {
    /// The record of the earlier dataset (by the order they were given).
    pub a: RecordRef,
    pub b: RecordRef,
    pub evidence: Evidence,
}

impl Link {
    pub fn score(&self) -> f64 {
        self.evidence.score
    }
}

/// What a run looked at and what it proposed.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct LinkCounts {
    /// Pairs that met on date and place and were scored.
    pub candidates: usize,
    /// Scored pairs at or above the minimum score.
    pub above_min_score: usize,
    /// Links kept once each record is in at most one link per other dataset.
    pub links: usize,
}

/// Proposes links between the incidents of every pair of datasets, best first. Each incident is
/// linked to at most one incident of each other dataset: the pair with the highest score wins,
/// so a record re-reported once is not also tied to its neighbours.
pub fn find_links(
    datasets: &[&Dataset],
    gazetteer: &Gazetteer,
    options: &LinkOptions,
) -> (Vec<Link>, LinkCounts) {
    let mut counts = LinkCounts::default();
    let mut links = Vec::new();
    let indexes: Vec<index::LayerIndex> = datasets
        .iter()
        .map(|d| index::LayerIndex::build(d, gazetteer))
        .collect();
    for (a, dataset_a) in datasets.iter().enumerate() {
        for (b, dataset_b) in datasets.iter().enumerate().skip(a + 1) {
            let mut scored: Vec<Link> = Vec::new();
            for (ia, incident) in dataset_a.incidents().iter().enumerate() {
                let record_a = indexes[a].record(ia);
                indexes[b].for_each_candidate(record_a, options, |ib, record_b| {
                    counts.candidates += 1;
                    let evidence = evidence::weigh(
                        (dataset_a, incident, record_a),
                        (&dataset_b.incidents()[ib], record_b),
                        gazetteer,
                        options,
                    );
                    if let Some(evidence) = evidence
                        && evidence.score >= options.min_score
                    {
                        scored.push(Link {
                            a: RecordRef {
                                dataset: a,
                                index: ia,
                            },
                            b: RecordRef {
                                dataset: b,
                                index: ib,
                            },
                            evidence,
                        });
                    }
                });
            }
            counts.above_min_score += scored.len();
            links.extend(one_to_one(scored));
        }
    }
    sort_best_first(&mut links);
    counts.links = links.len();
    (links, counts)
}

/// The datasets indexed once, to be asked for the links of one incident at a time (the window's
/// claims panel, as incidents are selected). The evidence is [`find_links`]'s; each other dataset
/// gives its best record for the incident, without the one-to-one pass over the whole run, which
/// needs every pair scored first.
pub struct Linker {
    indexes: Vec<index::LayerIndex>,
}

impl Linker {
    /// Indexes every dataset: a pass over each, with a gazetteer lookup per incident.
    pub fn new(datasets: &[&Dataset], gazetteer: &Gazetteer) -> Linker {
        Linker {
            indexes: datasets
                .iter()
                .map(|d| index::LayerIndex::build(d, gazetteer))
                .collect(),
        }
    }

    /// The best link of `record` into each other dataset at or above the minimum score, best
    /// first; `a` is always `record`. `datasets` are the ones the linker was built on.
    pub fn links_of(
        &self,
        datasets: &[&Dataset],
        record: RecordRef,
        gazetteer: &Gazetteer,
        options: &LinkOptions,
    ) -> Vec<Link> {
        debug_assert_eq!(
            datasets.len(),
            self.indexes.len(),
            "built on these datasets"
        );
        let (Some(dataset_a), Some(index_a)) = (
            datasets.get(record.dataset),
            self.indexes.get(record.dataset),
        ) else {
            return Vec::new();
        };
        let Some(incident) = dataset_a.incidents().get(record.index) else {
            return Vec::new();
        };
        let record_a = index_a.record(record.index);
        let mut links = Vec::new();
        for (b, (dataset_b, index_b)) in datasets.iter().zip(&self.indexes).enumerate() {
            if b == record.dataset {
                continue;
            }
            let mut best: Option<Link> = None;
            index_b.for_each_candidate(record_a, options, |ib, record_b| {
                let Some(evidence) = evidence::weigh(
                    (dataset_a, incident, record_a),
                    (&dataset_b.incidents()[ib], record_b),
                    gazetteer,
                    options,
                ) else {
                    return;
                };
                if evidence.score >= options.min_score
                    && best
                        .as_ref()
                        .is_none_or(|l| evidence.score > l.evidence.score)
                {
                    best = Some(Link {
                        a: record,
                        b: RecordRef {
                            dataset: b,
                            index: ib,
                        },
                        evidence,
                    });
                }
            });
            links.extend(best);
        }
        sort_best_first(&mut links);
        links
    }
}

/// Keeps the best pairs such that no record of either side is used twice (greedy on score, the
/// usual assignment for record linkage: the strongest evidence claims its records first).
fn one_to_one(mut scored: Vec<Link>) -> Vec<Link> {
    sort_best_first(&mut scored);
    let mut used_a = std::collections::HashSet::new();
    let mut used_b = std::collections::HashSet::new();
    scored
        .into_iter()
        .filter(|l| {
            if used_a.contains(&l.a.index) || used_b.contains(&l.b.index) {
                return false;
            }
            used_a.insert(l.a.index);
            used_b.insert(l.b.index);
            true
        })
        .collect()
}

/// Highest score first; ties in input order of the records, so a run is reproducible.
fn sort_best_first(links: &mut [Link]) {
    links.sort_by(|x, y| {
        y.evidence
            .score
            .total_cmp(&x.evidence.score)
            .then_with(|| (x.a, x.b).cmp(&(y.a, y.b)))
    });
}
