//! The claimant registry shipped with claimmap (`data/claimants.json`): who speaks for which side.
//!
//! Importers whose files name their sources as free text (ACLED's `source`, UCDP's
//! `source_office`, a claims sheet's claimant column) look each name up here, so "Azerbaijan
//! Ministry of Defence", "Azerbaijani MoD" and "Минобороны Азербайджана" become one claimant on
//! the Azerbaijani side. Names are matched by their folded key (case, diacritics and punctuation
//! do not count; "defense" is "defence"; a leading "the" is dropped). A name the registry does not
//! know stays what the file says it is, on the importer's neutral side. Nothing here knows egui.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::{Rgb, Side};

/// The registry file, compiled into the binary.
const REGISTRY_JSON: &str = include_str!("../../data/claimants.json");

/// A claimant the registry knows.
#[derive(Clone, PartialEq, Eq, Debug, serde::Deserialize)]
pub struct RegisteredClaimant {
    /// Stable id, the one datasets use for the same body ("az-mod").
    pub id: String,
    /// The name shown.
    pub name: String,
    /// The id of its side in [`Registry::sides`].
    pub side: String,
    pub kind: String,
    /// What identifies the body (its own site).
    pub source: String,
    /// Other spellings, word orders, scripts and the names data sources use.
    #[serde(default)]
    pub variants: Vec<String>,
}

#[derive(serde::Deserialize)]
struct RegistrySide {
    id: String,
    name: String,
    colour: String,
    party: bool,
}

#[derive(serde::Deserialize)]
struct RegistryFile {
    sides: Vec<RegistrySide>,
    claimants: Vec<RegisteredClaimant>,
}

/// The sides and claimants of `data/claimants.json`, with every name and variant indexed.
#[derive(Debug)]
pub struct Registry {
    pub sides: Vec<Side>,
    pub claimants: Vec<RegisteredClaimant>,
    by_key: HashMap<String, usize>,
}

/// The key names are matched by.
pub fn match_key(name: &str) -> String {
    let folded = crate::gazetteer::fold(name);
    let words: Vec<&str> = folded
        .split(' ')
        .map(|w| match w {
            "defense" => "defence",
            w => w,
        })
        .collect();
    match words.as_slice() {
        ["the", rest @ ..] if !rest.is_empty() => rest.join(" "),
        _ => words.join(" "),
    }
}

impl Registry {
    /// Parses a registry file; every claimant's side must be one of its sides, and no two
    /// claimants may share a name or variant.
    pub fn parse(json: &str) -> Result<Registry, String> {
        let file: RegistryFile = serde_json::from_str(json).map_err(|e| e.to_string())?;
        let sides = file
            .sides
            .into_iter()
            .map(|s| {
                Ok(Side {
                    colour: Rgb::parse_hex(&s.colour).ok_or_else(|| {
                        format!("side {}: colour {} is not #rrggbb", s.id, s.colour)
                    })?,
                    id: s.id.into(),
                    name: s.name.into(),
                    party: s.party,
                    extra: None,
                })
            })
            .collect::<Result<Vec<Side>, String>>()?;
        let mut by_key: HashMap<String, usize> = HashMap::new();
        for (i, c) in file.claimants.iter().enumerate() {
            if !sides.iter().any(|s| *s.id == c.side) {
                return Err(format!("claimant {}: unknown side {}", c.id, c.side));
            }
            for name in std::iter::once(&c.name).chain(&c.variants) {
                if let Some(&other) = by_key.get(&match_key(name))
                    && other != i
                {
                    return Err(format!(
                        "\"{name}\" names both {} and {}",
                        file.claimants[other].id, c.id
                    ));
                }
                by_key.insert(match_key(name), i);
            }
        }
        Ok(Registry {
            sides,
            claimants: file.claimants,
            by_key,
        })
    }

    /// The claimant a name (as a file writes it) refers to.
    pub fn find(&self, name: &str) -> Option<&RegisteredClaimant> {
        self.by_key
            .get(&match_key(name))
            .map(|&i| &self.claimants[i])
    }

    /// The registry's claimant with this id.
    pub fn by_id(&self, id: &str) -> Option<&RegisteredClaimant> {
        self.claimants.iter().find(|c| c.id == id)
    }

    /// The registry's side with this id.
    pub fn side(&self, id: &str) -> Option<&Side> {
        self.sides.iter().find(|s| &*s.id == id)
    }

    /// The side a claimant of the registry is on.
    pub fn side_of(&self, claimant: &RegisteredClaimant) -> &Side {
        // Checked by `parse`: every claimant's side exists.
        self.side(&claimant.side).unwrap_or(&self.sides[0])
    }
}

/// The registry compiled into claimmap.
pub fn registry() -> &'static Registry {
    static REGISTRY: OnceLock<Registry> = OnceLock::new();
    REGISTRY.get_or_init(|| {
        // The file is ours and tested (`the_shipped_registry_parses`): a broken one is a build
        // mistake, not bad input.
        Registry::parse(REGISTRY_JSON).unwrap_or_else(|e| panic!("data/claimants.json: {e}"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_registry_parses() {
        let r = Registry::parse(REGISTRY_JSON).unwrap_or_else(|e| panic!("{e}"));
        assert!(r.claimants.len() > 80);
        for side in ["az", "am"] {
            assert!(r.side(side).is_some_and(|s| s.party), "{side}");
        }
    }

    #[test]
    fn names_and_variants_meet() {
        let r = registry();
        let id = |name: &str| r.find(name).map(|c| c.id.as_str());
        assert_eq!(id("Azerbaijan Ministry of Defence"), Some("az-mod"));
        assert_eq!(id("AZERBAIJANI MINISTRY OF DEFENSE"), Some("az-mod"));
        assert_eq!(id("Минобороны Азербайджана"), Some("az-mod"));
        assert_eq!(id("Armenia Ministry of Defence"), Some("am-mod"));
        assert_eq!(id("Armenian Defense Ministry"), Some("am-mod"));
        assert_eq!(id("Report (Azerbaijan)"), Some("report-az"));
        assert_eq!(id("The HALO Trust"), Some("halo"));
        assert_eq!(id("news.am"), Some("news-am"));
        assert_eq!(id("Azərtac"), Some("azertac"));
        assert_eq!(id("Some Village Blog"), None);
        let side = |name: &str| r.find(name).map(|c| r.side_of(c).id.to_string());
        assert_eq!(side("Trend").as_deref(), Some("az"));
        assert_eq!(side("Armenpress").as_deref(), Some("am"));
        assert_eq!(side("Artsakh Defence Army").as_deref(), Some("am"));
        assert_eq!(side("Reuters").as_deref(), Some("press"));
        assert_eq!(side("OSCE").as_deref(), Some("intl"));
    }

    #[test]
    fn a_registry_with_a_clash_is_refused() {
        let json = r##"{"sides":[{"id":"a","name":"A","colour":"#000000","party":true}],
            "claimants":[{"id":"x","name":"X","side":"a","kind":"k","source":"s","variants":["Y"]},
                         {"id":"y","name":"the y","side":"a","kind":"k","source":"s"}]}"##;
        assert!(Registry::parse(json).is_err_and(|e| e.contains("names both")));
        let json = r##"{"sides":[],"claimants":[{"id":"x","name":"X","side":"a","kind":"k","source":"s"}]}"##;
        assert!(Registry::parse(json).is_err_and(|e| e.contains("unknown side")));
    }
}
