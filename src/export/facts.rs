//! What a figure says about itself: the facts the decorations print and the PNG metadata records,
//! gathered once from the scene so the picture and its metadata cannot disagree.

use chrono::{DateTime, Utc};
use egui::Color32;

use crate::model::{Category, DateWindow, LocationPrecision};
use crate::scene::settings::SceneSettings;
use crate::scene::text::thousands;
use crate::scene::{IncidentRef, Scene, colour};
use crate::timeline::window::describe;
use crate::view::Filters;

use super::render::ExportSpec;

/// Legend rows past this many sides are summarised as "and N more": a legend taller than the
/// map helps no reader.
const MAX_LEGEND_SIDES: usize = 8;

/// A side as the legend shows it: its colour and the claimants who speak for it in the figure.
/// Claimants are grouped by side, since the side is what a marker's colour says; a claimant
/// with a colour of its own is a group of its own.
#[derive(Clone, Debug, PartialEq)]
pub struct LegendSide {
    pub name: String,
    pub colour: Color32,
    /// The side is a party: its colour is one half of a contested marker.
    pub party: bool,
    /// Its claimants' names, most claims first.
    pub claimants: Vec<String>,
    pub claims: usize,
}

/// A loaded dataset as the footer and metadata cite it.
#[derive(Clone, Debug)]
pub struct DatasetFact {
    pub title: String,
    pub path: String,
    pub format: &'static str,
    pub sha256: String,
    pub citation: Option<String>,
    pub licence: Option<String>,
}

/// One claim of a selected incident, for the numbered inset.
#[derive(Clone, Debug)]
pub struct QuotedClaim {
    pub claimant: String,
    pub side: String,
    pub colour: Color32,
    pub stated: Option<String>,
    pub quote: String,
    pub source: Option<String>,
}

/// A selected incident, numbered as on the map.
#[derive(Clone, Debug)]
pub struct Footnote {
    pub number: usize,
    pub incident: IncidentRef,
    pub id: String,
    pub title: String,
    pub date: String,
    pub claims: Vec<QuotedClaim>,
}

#[derive(Clone, Debug)]
pub struct Facts {
    pub title: String,
    pub window: DateWindow,
    pub window_words: String,
    pub visible: usize,
    pub contested: usize,
    pub claims: usize,
    /// Parties first, then by claims, at most [`MAX_LEGEND_SIDES`].
    pub sides: Vec<LegendSide>,
    pub more_sides: usize,
    /// The colours of the first two parties, for the legend's split marker.
    pub party_colours: Vec<Color32>,
    pub categories: Vec<Category>,
    /// Which marker styles the picture uses, so the legend explains only those.
    pub any_contested: bool,
    pub any_area: bool,
    pub any_span: bool,
    pub any_inferred: bool,
    pub filters: String,
    pub filters_json: String,
    pub naming: String,
    pub datasets: Vec<DatasetFact>,
    pub tile_credit: Option<String>,
    pub generated: DateTime<Utc>,
    pub footer: Option<String>,
    pub footnotes: Vec<Footnote>,
    pub claims_inset: bool,
    /// Visible incidents the picture's map cannot show: located beyond its edges (outliers the
    /// framing left out, or outside a view the user chose), and with no location at all.
    pub beyond_map: usize,
    pub unlocated: usize,
    /// What the scene was drawn with (basemap, offline, map layers…), for the command that
    /// draws it again.
    pub settings: SceneSettings,
}

pub const VERSION: &str = env!("CARGO_PKG_VERSION");

impl Facts {
    pub fn gather(
        scene: &Scene<'_>,
        selected: &[IncidentRef],
        spec: &ExportSpec,
        generated: DateTime<Utc>,
    ) -> Facts {
        // Claims per claimant, in the order first met; a map beside the list: an import may
        // have thousands of claimants (one per source), and this runs once per claim.
        let mut claimants: Vec<((usize, u32), usize)> = Vec::new();
        let mut seen: std::collections::HashMap<(usize, u32), usize> =
            std::collections::HashMap::new();
        let mut categories: Vec<Category> = Vec::new();
        let (mut contested, mut claims) = (0, 0);
        let (mut any_area, mut any_span, mut any_inferred) = (false, false, false);
        for r in scene.visible.iter() {
            let dataset = scene.dataset(r);
            let incident = scene.incident(r);
            if dataset.is_contested(incident) {
                contested += 1;
            }
            claims += incident.claims.len();
            count_claims(&mut claimants, &mut seen, r.dataset, incident);
            add_category(&mut categories, incident);
            any_area |= incident.location.precision >= LocationPrecision::District;
            any_span |= incident.date.start() != incident.date.end();
            any_inferred |= incident.date.inferred;
        }
        categories.sort_by_key(|c| Category::KNOWN.iter().position(|k| k == c));
        let (sides, more_sides, party_colours) = legend_rows(legend_sides(scene, &claimants));
        let datasets: Vec<DatasetFact> = scene
            .layers
            .iter()
            .filter(|l| l.visible)
            .map(|l| {
                let d = &l.loaded.dataset;
                DatasetFact {
                    title: crate::scene::text::layer_name(l),
                    path: d.provenance.path.clone(),
                    format: d.provenance.format.as_str(),
                    sha256: d.provenance.sha256.hex().to_owned(),
                    citation: d.meta.citation.as_deref().map(str::to_owned),
                    licence: d.meta.licence.as_deref().map(str::to_owned),
                }
            })
            .collect();
        let title = spec
            .title
            .clone()
            .unwrap_or_else(|| super::title::derive(scene, &categories, &|_| true));
        let footnotes = selected
            .iter()
            .enumerate()
            .map(|(n, r)| footnote(scene, n + 1, *r))
            .collect();
        Facts {
            title,
            window: scene.window,
            window_words: describe(&scene.window),
            visible: scene.visible.len(),
            contested,
            claims,
            sides,
            more_sides,
            party_colours,
            categories,
            any_contested: contested > 0,
            any_area,
            any_span,
            any_inferred,
            filters: describe_filters(&scene.settings.filters),
            filters_json: serde_json::to_string(&scene.settings.filters).unwrap_or_default(),
            naming: scene.settings.naming.code(),
            datasets,
            // Set by the renderer once the provider's tiles are drawn.
            tile_credit: None,
            generated,
            footer: spec.footer.clone().filter(|f| !f.trim().is_empty()),
            footnotes,
            claims_inset: spec.claims_inset,
            // Set by the renderer once it knows the view.
            beyond_map: 0,
            unlocated: 0,
            settings: scene.settings.clone(),
        }
    }

    /// "1,204 incidents (12 contested), 2,310 claims; 3 not on this map (beyond its edges)".
    pub fn counts_line(&self) -> String {
        let thousands = |n: usize| thousands(n as u64);
        let mut line = format!(
            "{} incidents ({} contested), {} claims",
            thousands(self.visible),
            thousands(self.contested),
            thousands(self.claims)
        );
        let why = match (self.beyond_map, self.unlocated) {
            (0, 0) => None,
            (b, 0) => Some(format!("{} beyond its edges", thousands(b))),
            (0, u) => Some(format!("{} without a location", thousands(u))),
            (b, u) => Some(format!(
                "{} beyond its edges, {} without a location",
                thousands(b),
                thousands(u)
            )),
        };
        if let Some(why) = why {
            let n = self.beyond_map + self.unlocated;
            line.push_str(&format!("; {} not on this map ({why})", thousands(n)));
        }
        line
    }

    /// Counts the legend's sides and categories again over the incidents whose points `on_map`
    /// keeps: the legend explains the colours and shapes the map shows, not those of incidents
    /// left off it.
    pub fn legend_for_map(&mut self, scene: &Scene<'_>, on_map: &dyn Fn(geo::Point<f64>) -> bool) {
        let mut claimants = Vec::new();
        let mut seen = std::collections::HashMap::new();
        let mut categories = Vec::new();
        for r in scene.visible.iter() {
            let incident = scene.incident(r);
            if incident.point().is_some_and(on_map) {
                count_claims(&mut claimants, &mut seen, r.dataset, incident);
                add_category(&mut categories, incident);
            }
        }
        categories.sort_by_key(|c| Category::KNOWN.iter().position(|k| k == c));
        self.categories = categories;
        (self.sides, self.more_sides, self.party_colours) =
            legend_rows(legend_sides(scene, &claimants));
    }

    /// The window as ISO dates, `2021-05-24/2021-05-26`.
    pub fn window_iso(&self) -> String {
        format!("{}/{}", self.window.from, self.window.to)
    }

    /// "Generated 2026-11-21 10:32 UTC by claimmap 0.1.0".
    pub fn generated_line(&self) -> String {
        format!(
            "Generated {} by claimmap {VERSION}",
            self.generated.format("%Y-%m-%d %H:%M UTC")
        )
    }
}

/// Adds an incident's claims to the claims per claimant (in the order first met; the map beside
/// the list finds a claimant's entry: an import may have thousands, one per source).
fn count_claims(
    claimants: &mut Vec<((usize, u32), usize)>,
    seen: &mut std::collections::HashMap<(usize, u32), usize>,
    dataset: usize,
    incident: &crate::model::Incident,
) {
    for claim in &incident.claims {
        let key = (dataset, claim.claimant.0);
        let at = *seen.entry(key).or_insert_with(|| {
            claimants.push((key, 0));
            claimants.len() - 1
        });
        claimants[at].1 += 1;
    }
}

/// Adds an incident's category to the list, once (an unknown one as "other").
fn add_category(categories: &mut Vec<Category>, incident: &crate::model::Incident) {
    let category = match &incident.category {
        Category::Unknown(_) => Category::Other,
        c => c.clone(),
    };
    if !categories.contains(&category) {
        categories.push(category);
    }
}

/// The legend's rows of sides (at most [`MAX_LEGEND_SIDES`]), how many more there are, and the
/// first two parties' colours for the split marker.
fn legend_rows(mut sides: Vec<LegendSide>) -> (Vec<LegendSide>, usize, Vec<Color32>) {
    let mut party_colours: Vec<Color32> = Vec::new();
    for s in sides.iter().filter(|s| s.party) {
        if !party_colours.contains(&s.colour) && party_colours.len() < 2 {
            party_colours.push(s.colour);
        }
    }
    let more = sides.len().saturating_sub(MAX_LEGEND_SIDES);
    sides.truncate(MAX_LEGEND_SIDES);
    (sides, more, party_colours)
}

/// The claimants, with their claims, grouped by side (across datasets, by the side's name and
/// colour): parties first, then by claims; claimants in each most claims first.
fn legend_sides(scene: &Scene<'_>, claimants: &[((usize, u32), usize)]) -> Vec<LegendSide> {
    let mut sides: Vec<(LegendSide, Vec<(usize, String)>)> = Vec::new();
    for &((d, c), claims) in claimants {
        let dataset = &scene.layers[d].loaded.dataset;
        let id = crate::model::ClaimantId(c);
        let side = dataset.claimant_side(id);
        let claimant = dataset.claimant(id);
        let own_colour = colour(dataset.claimant_colour(id));
        // A claimant coloured apart from its side is its own row, or the swatch would lie.
        let name = if own_colour == colour(side.colour) {
            side.name.to_string()
        } else {
            format!("{} ({})", claimant.name, side.name)
        };
        let at = match sides
            .iter()
            .position(|(s, _)| s.name == name && s.colour == own_colour)
        {
            Some(at) => at,
            None => {
                sides.push((
                    LegendSide {
                        name,
                        colour: own_colour,
                        party: side.party,
                        claimants: Vec::new(),
                        claims: 0,
                    },
                    Vec::new(),
                ));
                sides.len() - 1
            }
        };
        let (group, names) = &mut sides[at];
        group.claims += claims;
        match names.iter_mut().find(|(_, n)| *n == *claimant.name) {
            Some((n, _)) => *n += claims,
            None => names.push((claims, claimant.name.to_string())),
        }
    }
    let mut out: Vec<LegendSide> = sides
        .into_iter()
        .map(|(mut side, mut names)| {
            names.sort_by_key(|n| std::cmp::Reverse(n.0));
            side.claimants = names.into_iter().map(|(_, n)| n).collect();
            side
        })
        .collect();
    // Stable: sides with as many claims keep the order they were first met in.
    out.sort_by(|a, b| b.party.cmp(&a.party).then(b.claims.cmp(&a.claims)));
    out
}

fn footnote(scene: &Scene<'_>, number: usize, r: IncidentRef) -> Footnote {
    let dataset = scene.dataset(r);
    let incident = scene.incident(r);
    let claims = incident
        .claims
        .iter()
        .filter(|c| scene.settings.filters.claim_visible(dataset, c))
        .map(|c| QuotedClaim {
            claimant: dataset.claimant(c.claimant).name.to_string(),
            side: dataset.claimant_side(c.claimant).name.to_string(),
            colour: colour(dataset.claimant_colour(c.claimant)),
            stated: c
                .details
                .statement_date
                .as_ref()
                .map(crate::scene::text::date_in_words),
            quote: c.quote.to_string(),
            source: c
                .source
                .outlet
                .map(|s| dataset.text(s).to_owned())
                .or_else(|| c.details.url.as_deref().map(str::to_owned)),
        })
        .collect();
    Footnote {
        number,
        incident: r,
        id: incident.id.to_string(),
        title: dataset.title(incident).into_owned(),
        date: crate::scene::text::date_in_words(&incident.date),
        claims,
    }
}

/// The active filters in words ("none" when nothing is filtered out).
pub fn describe_filters(filters: &Filters) -> String {
    if filters.is_default() {
        return "none".to_owned();
    }
    let mut parts = Vec::new();
    let list = |set: &std::collections::BTreeSet<String>| {
        set.iter().cloned().collect::<Vec<_>>().join(", ")
    };
    if !filters.hidden_sides.is_empty() {
        parts.push(format!("sides hidden: {}", list(&filters.hidden_sides)));
    }
    if !filters.hidden_claimants.is_empty() {
        parts.push(format!(
            "claimants hidden: {}",
            list(&filters.hidden_claimants)
        ));
    }
    if !filters.hidden_categories.is_empty() {
        parts.push(format!(
            "categories hidden: {}",
            list(&filters.hidden_categories)
        ));
    }
    if !filters.hidden_location_precisions.is_empty() {
        parts.push(format!(
            "location precisions hidden: {}",
            list(&filters.hidden_location_precisions)
        ));
    }
    if filters.contested_only {
        parts.push("contested incidents only".to_owned());
    }
    if filters.exact_dates_only {
        parts.push("exact dates only".to_owned());
    }
    if !filters.text.trim().is_empty() {
        parts.push(format!("text \u{201c}{}\u{201d}", filters.text.trim()));
    }
    parts.join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_in_words() {
        assert_eq!(describe_filters(&Filters::default()), "none");
        let mut f = Filters {
            contested_only: true,
            text: " mortar ".into(),
            ..Filters::default()
        };
        f.hidden_sides.insert("am".into());
        assert_eq!(
            describe_filters(&f),
            "sides hidden: am; contested incidents only; text \u{201c}mortar\u{201d}"
        );
    }
}
