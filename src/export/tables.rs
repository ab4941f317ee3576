//! The visible incidents and their claims as files a report or a GIS can take: GeoJSON and CSV
//! of the incidents, Markdown and CSV of the claims with their citations.
//!
//! Every claim keeps its claimant, side and source: the tables quote, they never assert.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io;

use crate::model::{Claim, Dataset, Incident, PlaceRef};
use crate::scene::text::place_text;
use crate::scene::{IncidentRef, Scene};

use super::facts::Facts;

/// The table formats `claimmap export --table` writes.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum Table {
    /// The visible incidents as GeoJSON points with their claims nested.
    IncidentsGeoJson,
    IncidentsCsv,
    /// The claims of the visible incidents, quoted, with citations.
    ClaimsMarkdown,
    ClaimsCsv,
}

impl Table {
    /// By the output file's name: `.geojson`, `.csv` (incidents), `.md`, `claims….csv`.
    pub fn for_path(path: &std::path::Path) -> Option<Table> {
        let name = path.file_name()?.to_string_lossy().to_ascii_lowercase();
        let ext = path.extension()?.to_string_lossy().to_ascii_lowercase();
        match ext.as_str() {
            "geojson" | "json" => Some(Table::IncidentsGeoJson),
            "md" | "markdown" => Some(Table::ClaimsMarkdown),
            "csv" if name.contains("claim") => Some(Table::ClaimsCsv),
            "csv" => Some(Table::IncidentsCsv),
            _ => None,
        }
    }

    /// Writes the table into `out` row by row (feature by feature): a million incidents are
    /// never one document in memory.
    pub fn write_to(
        self,
        scene: &Scene<'_>,
        facts: &Facts,
        out: &mut dyn io::Write,
    ) -> io::Result<()> {
        match self {
            Table::IncidentsGeoJson => incidents_geojson(scene, facts, out),
            Table::IncidentsCsv => incidents_csv(scene, out),
            Table::ClaimsMarkdown => out.write_all(claims_markdown(scene, facts).as_bytes()),
            Table::ClaimsCsv => claims_csv(scene, out),
        }
    }

    /// The table as text.
    pub fn write(self, scene: &Scene<'_>, facts: &Facts) -> String {
        let mut bytes = Vec::new();
        self.write_to(scene, facts, &mut bytes)
            .expect("writing to memory cannot fail");
        String::from_utf8(bytes).expect("tables are UTF-8")
    }

    /// Writes the table to `path`, atomically.
    pub fn save(self, scene: &Scene<'_>, facts: &Facts, path: &std::path::Path) -> io::Result<()> {
        let mut file = crate::formats::AtomicFile::create(path)?;
        self.write_to(scene, facts, &mut file)?;
        for layer in scene.layers {
            layer.loaded.dataset.texts_readable()?;
        }
        file.commit()
    }
}

fn places(dataset: &Dataset, refs: &[PlaceRef], scene: &Scene<'_>) -> String {
    refs.iter()
        .map(|p| place_text(dataset, p, scene.gazetteer, scene.settings.naming))
        .collect::<Vec<_>>()
        .join("; ")
}

fn location(dataset: &Dataset, incident: &Incident, scene: &Scene<'_>) -> String {
    incident
        .location
        .place
        .as_ref()
        .map(|p| place_text(dataset, p, scene.gazetteer, scene.settings.naming))
        .unwrap_or_default()
}

fn claimants(dataset: &Dataset, incident: &Incident) -> String {
    let mut names: Vec<&str> = incident
        .claims
        .iter()
        .map(|c| &*dataset.claimant(c.claimant).name)
        .collect();
    names.dedup();
    names.join("; ")
}

/// The claims a filter hides stay out of every table, as they stay off the map.
fn visible_claims<'a>(
    scene: &'a Scene<'_>,
    dataset: &'a Dataset,
    incident: &'a Incident,
) -> impl Iterator<Item = &'a Claim> {
    incident
        .claims
        .iter()
        .filter(move |c| scene.settings.filters.claim_visible(dataset, c))
}

fn claim_json(dataset: &Dataset, claim: &Claim, scene: &Scene<'_>) -> serde_json::Value {
    let claimant = dataset.claimant(claim.claimant);
    serde_json::json!({
        "claimant": &*claimant.id,
        "claimant_name": &*claimant.name,
        "side": &*dataset.claimant_side(claim.claimant).name,
        "statement_date": claim.details.statement_date.as_ref().map(|d| format!("{}/{}", d.start(), d.end())),
        "quote": &*claim.quote.read(),
        "from": places(dataset, &claim.details.from, scene),
        "to": places(dataset, &claim.details.to, scene),
        "losses": claim.losses.as_ref().map(|l| &*l.text),
        "source": source(dataset, claim),
        "url": claim.details.url.as_deref(),
    })
}

fn source(dataset: &Dataset, claim: &Claim) -> String {
    let s = &claim.source;
    let mut parts: Vec<String> = Vec::new();
    if let Some(outlet) = s.outlet {
        parts.push(dataset.text(outlet).to_owned());
    }
    if let Some(doc) = s.document {
        parts.push(format!("\u{201c}{}\u{201d}", dataset.text(doc)));
    }
    if let Some(published) = &claim.details.published {
        parts.push(published.start().to_string());
    }
    parts.join(", ")
}

fn each<'a>(
    scene: &'a Scene<'_>,
) -> impl Iterator<Item = (IncidentRef, &'a Dataset, &'a Incident)> {
    scene
        .visible
        .iter()
        .map(move |r| (r, scene.dataset(r), scene.incident(r)))
}

/// One incident of [`incidents_geojson`].
fn incident_feature(
    scene: &Scene<'_>,
    dataset: &Dataset,
    incident: &Incident,
) -> serde_json::Value {
    let geometry = incident
        .point()
        .map(|p| serde_json::json!({"type": "Point", "coordinates": [p.x(), p.y()]}));
    let claims: Vec<serde_json::Value> = visible_claims(scene, dataset, incident)
        .map(|c| claim_json(dataset, c, scene))
        .collect();
    serde_json::json!({
        "type": "Feature",
        "id": &*incident.id,
        "geometry": geometry,
        "properties": {
            "title": dataset.title(incident),
            "category": incident.category.label(),
            "date_start": incident.date.start().to_string(),
            "date_end": incident.date.end().to_string(),
            "date_precision": incident.date.precision.as_str(),
            "date_inferred": incident.date.inferred,
            "location": location(dataset, incident, scene),
            "location_precision": incident.location.precision.as_str(),
            "contested": dataset.is_contested(incident),
            "claimants": claimants(dataset, incident),
            "dataset": &*dataset.provenance.path,
            "dataset_sha256": dataset.provenance.sha256.hex(),
            "claims": claims,
        }
    })
}

/// The visible incidents' features, each built just before it is written.
struct Features<'s, 'a>(&'s Scene<'a>);

impl serde::Serialize for Features<'_, '_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = serializer.serialize_seq(Some(self.0.visible.len()))?;
        for (_, dataset, incident) in each(self.0) {
            seq.serialize_element(&incident_feature(self.0, dataset, incident))?;
        }
        seq.end()
    }
}

/// The collection of [`incidents_geojson`], written member by member.
struct Collection<'s, 'a> {
    scene: &'s Scene<'a>,
    facts: &'s Facts,
}

impl serde::Serialize for Collection<'_, '_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let facts = self.facts;
        let mut map = serializer.serialize_map(Some(3))?;
        map.serialize_entry("type", "FeatureCollection")?;
        map.serialize_entry(
            "claimmap_export",
            &serde_json::json!({
                "window": facts.window_iso(),
                "filters": facts.filters,
                "generated": facts.generated.to_rfc3339(),
                "software": format!("claimmap {}", super::facts::VERSION),
            }),
        )?;
        map.serialize_entry("features", &Features(self.scene))?;
        map.end()
    }
}

/// A FeatureCollection of points (incidents without a position have `"geometry": null`),
/// two-space indented but for coordinates, ending in a newline.
pub fn incidents_geojson(
    scene: &Scene<'_>,
    facts: &Facts,
    out: &mut dyn io::Write,
) -> io::Result<()> {
    let mut serializer = crate::formats::json_layout::serializer(&mut *out);
    serde::Serialize::serialize(&Collection { scene, facts }, &mut serializer)?;
    out.write_all(b"\n")
}

pub fn incidents_csv(scene: &Scene<'_>, out: &mut dyn io::Write) -> io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    {
        w.write_record([
            "id",
            "title",
            "category",
            "date_start",
            "date_end",
            "date_precision",
            "date_inferred",
            "latitude",
            "longitude",
            "location",
            "location_precision",
            "contested",
            "claimants",
            "claims",
            "dataset",
            "dataset_sha256",
        ])?;
        for (_, dataset, incident) in each(scene) {
            let (lat, lon) = incident
                .point()
                .map(|p| (format!("{:.6}", p.y()), format!("{:.6}", p.x())))
                .unwrap_or_default();
            w.write_record([
                &*incident.id,
                &*dataset.title(incident),
                incident.category.label(),
                &incident.date.start().to_string(),
                &incident.date.end().to_string(),
                incident.date.precision.as_str(),
                if incident.date.inferred { "yes" } else { "no" },
                &lat,
                &lon,
                &location(dataset, incident, scene),
                incident.location.precision.as_str(),
                if dataset.is_contested(incident) {
                    "yes"
                } else {
                    "no"
                },
                &claimants(dataset, incident),
                &visible_claims(scene, dataset, incident).count().to_string(),
                &dataset.provenance.path,
                dataset.provenance.sha256.hex(),
            ])?;
        }
    }
    w.flush()
}

pub fn claims_csv(scene: &Scene<'_>, out: &mut dyn io::Write) -> io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    {
        w.write_record([
            "incident_id",
            "incident_title",
            "incident_date_start",
            "incident_date_end",
            "claimant_id",
            "claimant",
            "side",
            "statement_date",
            "quote",
            "from",
            "to",
            "losses",
            "source",
            "url",
            "dataset_sha256",
            "same_event_as",
        ])?;
        let linked = confirmed_links(scene);
        for (r, own_dataset, own_incident) in each(scene) {
            // Its own claims, then those of the records confirmed as the same event, which name
            // it in the last column.
            let mut accounts: Vec<(&Dataset, &Incident, &str)> =
                vec![(own_dataset, own_incident, "")];
            for other in linked.get(&r).into_iter().flatten() {
                accounts.push((
                    scene.dataset(*other),
                    scene.incident(*other),
                    own_dataset.file_id(own_incident),
                ));
            }
            for (dataset, incident, same_event_as) in accounts {
                for claim in visible_claims(scene, dataset, incident) {
                    let claimant = dataset.claimant(claim.claimant);
                    w.write_record([
                        &*incident.id,
                        &*dataset.title(incident),
                        &incident.date.start().to_string(),
                        &incident.date.end().to_string(),
                        &*claimant.id,
                        &*claimant.name,
                        &*dataset.claimant_side(claim.claimant).name,
                        &claim
                            .details
                            .statement_date
                            .as_ref()
                            .map(crate::scene::text::date_in_words)
                            .unwrap_or_default(),
                        &*claim.quote.read(),
                        &places(dataset, &claim.details.from, scene),
                        &places(dataset, &claim.details.to, scene),
                        claim.losses.as_ref().map_or("", |l| &*l.text),
                        &source(dataset, claim),
                        claim.details.url.as_deref().unwrap_or(""),
                        dataset.provenance.sha256.hex(),
                        same_event_as,
                    ])?;
                }
            }
        }
    }
    w.flush()
}

/// The records the user confirmed as the same event as a visible incident (`*.links.json`
/// beside the datasets), among the loaded layers: per visible incident, the linked records of
/// other layers whose accounts the claims tables list with its own.
fn confirmed_links(scene: &Scene<'_>) -> HashMap<IncidentRef, Vec<IncidentRef>> {
    use crate::scene::linked;
    let decisions = linked::decisions_beside(scene.layers);
    let mut out: HashMap<IncidentRef, Vec<IncidentRef>> = HashMap::new();
    for (a, b) in linked::confirmed_pairs(scene.layers, &decisions) {
        for (one, other) in [(a, b), (b, a)] {
            let list = out.entry(one).or_default();
            if !list.contains(&other) {
                list.push(other);
            }
        }
    }
    out
}

/// Text safe inside a Markdown table cell: pipes escaped, line breaks as `<br>`.
fn cell(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace("\r\n", "<br>")
        .replace(['\n', '\r'], "<br>")
}

/// One table per report: incident, claimant, the quote and where it was published, with the
/// sources as numbered citations under it.
pub fn claims_markdown(scene: &Scene<'_>, facts: &Facts) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "## {}\n", cell(&facts.title));
    let _ = writeln!(
        out,
        "Claims about {} incidents ({} contested), {}. Filters: {}. Each claim is quoted as its claimant made it; none is asserted here.\n",
        facts.visible, facts.contested, facts.window_words, facts.filters
    );
    let _ = writeln!(
        out,
        "| Date | Incident | Claimant (side) | Claim | Source |"
    );
    let _ = writeln!(out, "|---|---|---|---|---|");
    let mut citations: Vec<String> = Vec::new();
    let linked = confirmed_links(scene);
    for (r, own_dataset, own_incident) in each(scene) {
        // The incident's own claims, then those of the records confirmed as the same event.
        let mut accounts: Vec<(&Dataset, &Incident, Option<String>)> =
            vec![(own_dataset, own_incident, None)];
        for other in linked.get(&r).into_iter().flatten() {
            let dataset = scene.dataset(*other);
            let incident = scene.incident(*other);
            let layer = crate::scene::text::layer_name(&scene.layers[other.dataset]);
            accounts.push((
                dataset,
                incident,
                Some(format!("{layer}, {}", dataset.file_id(incident))),
            ));
        }
        for (dataset, incident, linked_from) in accounts {
            for claim in visible_claims(scene, dataset, incident) {
                let claimant = dataset.claimant(claim.claimant);
                let mut cite = source(dataset, claim);
                if let Some(url) = claim.details.url.as_deref() {
                    cite = if cite.is_empty() {
                        format!("<{url}>")
                    } else {
                        format!("{cite}, <{url}>")
                    };
                }
                let reference = if cite.is_empty() {
                    String::new()
                } else {
                    let n = match citations.iter().position(|c| *c == cite) {
                        Some(i) => i + 1,
                        None => {
                            citations.push(cite);
                            citations.len()
                        }
                    };
                    format!("[{n}]")
                };
                let stated = claim
                    .details
                    .statement_date
                    .as_ref()
                    .map(|d| format!(" ({})", crate::scene::text::date_in_words(d)))
                    .unwrap_or_default();
                let title = match &linked_from {
                    None => dataset.title(incident).into_owned(),
                    Some(record) => format!(
                        "{} (same event, confirmed: {record}, {})",
                        own_dataset.title(own_incident),
                        dataset.title(incident)
                    ),
                };
                let _ = writeln!(
                    out,
                    "| {} | {} | {} ({}){} | \u{201c}{}\u{201d} | {} |",
                    cell(&crate::scene::text::date_in_words(&incident.date)),
                    cell(&title),
                    cell(&claimant.name),
                    cell(&dataset.claimant_side(claim.claimant).name),
                    cell(&stated),
                    cell(claim.quote.read().trim()),
                    reference
                );
            }
        }
    }
    if !citations.is_empty() {
        out.push('\n');
        for (i, c) in citations.iter().enumerate() {
            let _ = writeln!(out, "{}. {}", i + 1, c);
        }
    }
    let datasets: Vec<String> = facts
        .datasets
        .iter()
        .map(|d| format!("{} (SHA-256 {})", d.title, d.sha256))
        .collect();
    let _ = writeln!(
        out,
        "\n_Data: {}. {}._",
        datasets.join("; "),
        facts.generated_line()
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each table written row by row is the text the whole document gave: the GeoJSON printed
    /// feature by feature is the pretty print of the one `Value` it used to be built as.
    #[test]
    fn streamed_tables_are_the_whole_documents() {
        use crate::scene::DatasetLayer;
        use crate::scene::settings::SceneSettings;
        let layers = vec![
            DatasetLayer::new(crate::formats::load_reference(crate::Gazetteer::embedded())),
            DatasetLayer::new(crate::bench::border_incidents::border_incidents(40, 9)),
        ];
        let settings = SceneSettings::default();
        let window = crate::model::DateWindow::everything();
        let scene = Scene::new(
            &layers,
            &settings,
            window,
            crate::Gazetteer::embedded(),
            None,
        );
        assert!(scene.visible.len() > 40);
        let spec = super::super::ExportSpec::default();
        let facts = Facts::gather(&scene, &[], &spec, chrono::Utc::now());
        let features: Vec<serde_json::Value> = each(&scene)
            .map(|(_, dataset, incident)| incident_feature(&scene, dataset, incident))
            .collect();
        let whole = serde_json::json!({
            "type": "FeatureCollection",
            "claimmap_export": {
                "window": facts.window_iso(),
                "filters": facts.filters,
                "generated": facts.generated.to_rfc3339(),
                "software": format!("claimmap {}", super::super::facts::VERSION),
            },
            "features": features,
        });
        let whole = crate::formats::json_layout::to_string(&whole).expect("json") + "\n";
        assert_eq!(Table::IncidentsGeoJson.write(&scene, &facts), whole);
        // The CSV tables: one header and one row per incident (claims: per claim).
        let incidents = Table::IncidentsCsv.write(&scene, &facts);
        let rows = csv::Reader::from_reader(incidents.as_bytes())
            .records()
            .count();
        assert_eq!(rows, scene.visible.len());
        let claims = Table::ClaimsCsv.write(&scene, &facts);
        let rows = csv::Reader::from_reader(claims.as_bytes())
            .records()
            .count();
        assert_eq!(rows, facts.claims);
    }

    #[test]
    fn markdown_cells_cannot_break_the_table() {
        assert_eq!(cell("a | b\nc"), "a \\| b<br>c");
    }

    #[test]
    fn table_kind_follows_the_file_name() {
        let kind = |p: &str| Table::for_path(std::path::Path::new(p));
        assert_eq!(kind("out/incidents.geojson"), Some(Table::IncidentsGeoJson));
        assert_eq!(kind("incidents.csv"), Some(Table::IncidentsCsv));
        assert_eq!(kind("claims.csv"), Some(Table::ClaimsCsv));
        assert_eq!(kind("claims.md"), Some(Table::ClaimsMarkdown));
        assert_eq!(kind("figure.png"), None);
    }
}
