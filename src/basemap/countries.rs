//! The world's countries at 1:110m, in degrees, for one question: does a row's point lie in the
//! country the row states? A point hundreds of kilometres outside it usually had its latitude and
//! longitude swapped (an Armenian row at 45.1°N 40.5°E lands in Russia), which a loader warns of.
//!
//! Not drawn, and coarse on purpose: the outlines are simplified, so a point is only "outside"
//! past [`TOLERANCE_DEG`] from its country, far more than any border's error at this scale.

use std::sync::OnceLock;

use geo::{BoundingRect, Contains, Coord, Distance, Euclidean, LineString, MultiPolygon, Point};
use geo::{Polygon, Rect};
use serde::Deserialize;

use super::unpack_e3;

/// How far outside its country's simplified outline a point may lie before it is reported: about
/// 50 km, several times the 1:110m outlines' error, far less than a swap's hundreds of km.
pub const TOLERANCE_DEG: f64 = 0.5;

/// One country's outline.
pub struct Country {
    /// ISO 3166-1 numeric code, as ACLED's `iso` column gives it; `None` for the few places the
    /// standard does not list (Kosovo, Somaliland, Northern Cyprus).
    pub iso: Option<u16>,
    pub name: String,
    /// The name as [`Countries::by_name`] compares it, made once: it is asked once per row.
    key: String,
    shape: MultiPolygon<f64>,
    /// The outline's box grown by the tolerance: a point outside it is outside the country.
    reach: Rect<f64>,
}

impl Country {
    /// Whether (lon, lat) lies in the country or within [`TOLERANCE_DEG`] of its outline.
    pub fn holds(&self, lon: f64, lat: f64) -> bool {
        let point = Point::new(lon, lat);
        if !self.reach.contains(&point) {
            return false;
        }
        self.shape.contains(&point) || Euclidean.distance(&self.shape, &point) <= TOLERANCE_DEG
    }

    /// How far (lon, lat) lies from the outline, in degrees; 0 inside it.
    pub fn distance_deg(&self, lon: f64, lat: f64) -> f64 {
        Euclidean.distance(&self.shape, &Point::new(lon, lat))
    }
}

/// The countries, looked up by code or name.
pub struct Countries {
    countries: Vec<Country>,
}

#[derive(Deserialize)]
struct RawCountries {
    countries: Vec<RawCountry>,
}

#[derive(Deserialize)]
struct RawCountry {
    iso: Option<String>,
    name: String,
    rings_e3: Vec<Vec<Vec<i32>>>,
}

impl Countries {
    pub fn from_json(text: &str) -> Result<Countries, serde_json::Error> {
        let raw: RawCountries = serde_json::from_str(text)?;
        let countries = raw
            .countries
            .into_iter()
            .filter_map(|c| {
                let polygons: Vec<Polygon<f64>> = c
                    .rings_e3
                    .iter()
                    .filter_map(|rings| {
                        let mut rings = rings.iter().map(|r| {
                            LineString::from(
                                unpack_e3(r)
                                    .into_iter()
                                    .map(|[x, y]| Coord { x, y })
                                    .collect::<Vec<_>>(),
                            )
                        });
                        let exterior = rings.next()?;
                        Some(Polygon::new(exterior, rings.collect()))
                    })
                    .collect();
                let shape = MultiPolygon::new(polygons);
                let bounds = shape.bounding_rect()?;
                let grow = Coord {
                    x: TOLERANCE_DEG,
                    y: TOLERANCE_DEG,
                };
                Some(Country {
                    iso: c.iso.and_then(|code| code.parse().ok()),
                    key: simple_name(&c.name),
                    name: c.name,
                    reach: Rect::new(bounds.min() - grow, bounds.max() + grow),
                    shape,
                })
            })
            .collect();
        Ok(Countries { countries })
    }

    /// The countries compiled into the binary (with the basemap).
    pub fn embedded() -> &'static Countries {
        static EMBEDDED: OnceLock<Countries> = OnceLock::new();
        EMBEDDED.get_or_init(|| {
            Countries::from_json(include_str!("../../assets/basemap.json"))
                .expect("the embedded basemap's countries are valid (tested)")
        })
    }

    /// The country with this ISO 3166-1 numeric code ("51", "051").
    pub fn by_iso(&self, code: &str) -> Option<&Country> {
        let code: u16 = code.trim().parse().ok()?;
        self.countries.iter().find(|c| c.iso == Some(code))
    }

    /// The country a data set names: its outline's name, or a common longer form of it ("Russia
    /// (Soviet Union)" as UCDP writes it, "United States" for "United States of America").
    /// `None` for a name it does not know, so an unknown spelling is never reported as "outside".
    pub fn by_name(&self, name: &str) -> Option<&Country> {
        let wanted = simple_name(name);
        if wanted.is_empty() {
            return None;
        }
        self.countries.iter().find(|c| c.key == wanted).or_else(|| {
            // "United States" for "United States of America", "Bosnia" for "Bosnia and Herz.".
            self.countries
                .iter()
                .find(|c| c.key.starts_with(&wanted) && c.key[wanted.len()..].starts_with(' '))
        })
    }

    /// The country whose outline holds (lon, lat) — none at sea or off the outlines' coast.
    pub fn containing(&self, lon: f64, lat: f64) -> Option<&Country> {
        let point = Point::new(lon, lat);
        self.countries
            .iter()
            .find(|c| c.reach.contains(&point) && c.shape.contains(&point))
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.countries.len()
    }
}

/// A country name as compared: lower case, what follows an opening bracket dropped, punctuation
/// as spaces.
fn simple_name(name: &str) -> String {
    let name = name.split('(').next().unwrap_or_default();
    name.chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                ' '
            }
        })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_country_of_the_region_is_known_by_code_and_name() {
        let countries = Countries::embedded();
        assert!(countries.len() > 170, "{}", countries.len());
        for (iso, name) in [
            ("051", "Armenia"),
            ("31", "Azerbaijan"),
            ("268", "Georgia"),
            ("792", "Turkey"),
            ("364", "Iran"),
            ("643", "Russia"),
        ] {
            assert_eq!(countries.by_iso(iso).map(|c| c.name.as_str()), Some(name));
            assert!(countries.by_name(name).is_some(), "{name}");
        }
        assert_eq!(
            countries
                .by_name("Russia (Soviet Union)")
                .map(|c| c.name.as_str()),
            Some("Russia")
        );
        assert_eq!(
            countries.by_name("United States").map(|c| c.name.as_str()),
            Some("United States of America")
        );
        assert!(countries.by_name("Atlantis").is_none());
        assert!(countries.by_name("").is_none());
    }

    #[test]
    fn points_are_held_by_their_country_and_swapped_ones_are_not() {
        let countries = Countries::embedded();
        let armenia = countries.by_name("Armenia").expect("Armenia");
        let azerbaijan = countries.by_name("Azerbaijan").expect("Azerbaijan");
        // Yerevan, and Goris near the border with Azerbaijan.
        assert!(armenia.holds(44.5126, 40.1811));
        assert!(armenia.holds(46.3380, 39.5074));
        // Baku, Shusha, and Nakhchivan city in the exclave.
        assert!(azerbaijan.holds(49.8671, 40.4093));
        assert!(azerbaijan.holds(46.7525, 39.7583));
        assert!(azerbaijan.holds(45.4128, 39.2089));
        // Yerevan with latitude and longitude swapped is in Russia's Krasnodar region.
        assert!(!armenia.holds(40.1811, 44.5126));
        assert!(
            countries
                .by_name("Russia")
                .expect("Russia")
                .holds(40.1811, 44.5126)
        );
    }
}
