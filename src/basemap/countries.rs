//! The world's countries at 1:110m, in degrees, for one question: does a row's point lie in the
//! country the row states? A point hundreds of kilometres outside it usually had its latitude and
//! longitude swapped (an Armenian row at 45.1°N 40.5°E lands in Russia), which a loader warns of.
//!
//! Not drawn, and coarse on purpose: the outlines are simplified, so a point is only "outside"
//! past [`TOLERANCE_DEG`] from its country, far more than any border's error at this scale.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU8, Ordering};

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
    /// The answer of [`Country::holds`] for each cell of a grid over `reach`, made when first
    /// asked: a load asks it for every row, and most rows lie well inside their country.
    cells: OnceLock<Box<[AtomicU8]>>,
}

/// Cells of [`Country::cells`] per degree: a cell is about 3.5 km, small beside the tolerance, so
/// all but a thin band of cells at the tolerance's edge have one answer for every point in them.
const CELLS_PER_DEG: f64 = 32.0;
/// At most this many cells a side: Russia's or Canada's grid stays a quarter of a megabyte.
const CELLS_MAX_SIDE: usize = 512;
/// What a cell holds: not asked yet, every point held, none held, or some held (ask the shape).
const CELL_UNKNOWN: u8 = 0;
const CELL_HOLDS: u8 = 1;
const CELL_OUTSIDE: u8 = 2;
const CELL_MIXED: u8 = 3;

impl Country {
    /// Whether (lon, lat) lies in the country or within [`TOLERANCE_DEG`] of its outline.
    pub fn holds(&self, lon: f64, lat: f64) -> bool {
        let point = Point::new(lon, lat);
        if !self.reach.contains(&point) {
            return false;
        }
        let (columns, rows) = self.grid_size();
        let cells = self.cells.get_or_init(|| {
            (0..columns * rows)
                .map(|_| AtomicU8::new(CELL_UNKNOWN))
                .collect()
        });
        let (column, row) = (
            cell_index(lon, self.reach.min().x, self.reach.width(), columns),
            cell_index(lat, self.reach.min().y, self.reach.height(), rows),
        );
        let cell = &cells[row * columns + column];
        let mut answer = cell.load(Ordering::Relaxed);
        if answer == CELL_UNKNOWN {
            answer = self.cell_answer(column, row);
            // Two threads asking at once both work it out, to the same answer.
            cell.store(answer, Ordering::Relaxed);
        }
        match answer {
            CELL_HOLDS => true,
            CELL_OUTSIDE => false,
            _ => self.holds_exactly(point),
        }
    }

    /// [`Country::holds`] asked of the outline itself.
    fn holds_exactly(&self, point: Point<f64>) -> bool {
        self.shape.contains(&point) || Euclidean.distance(&self.shape, &point) <= TOLERANCE_DEG
    }

    /// Columns and rows of the grid over `reach`.
    fn grid_size(&self) -> (usize, usize) {
        let side =
            |degrees: f64| ((degrees * CELLS_PER_DEG).ceil() as usize).clamp(1, CELLS_MAX_SIDE);
        (side(self.reach.width()), side(self.reach.height()))
    }

    /// Whether every point of a cell is held, none is, or some are: a point lies no farther from
    /// the outline than the cell's centre does plus half the cell's diagonal, and no nearer than
    /// that centre's distance less it.
    fn cell_answer(&self, column: usize, row: usize) -> u8 {
        let (columns, rows) = self.grid_size();
        let (width, height) = (
            self.reach.width() / columns as f64,
            self.reach.height() / rows as f64,
        );
        let centre = Point::new(
            self.reach.min().x + (column as f64 + 0.5) * width,
            self.reach.min().y + (row as f64 + 0.5) * height,
        );
        let half_diagonal = 0.5 * width.hypot(height);
        // 0 inside the outline.
        let distance = Euclidean.distance(&self.shape, &centre);
        if distance + half_diagonal <= TOLERANCE_DEG {
            CELL_HOLDS
        } else if distance - half_diagonal > TOLERANCE_DEG {
            CELL_OUTSIDE
        } else {
            CELL_MIXED
        }
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
                    cells: OnceLock::new(),
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

/// The cell of `n` cells spanning `from..from + span` that `value` (inside the span) falls in.
fn cell_index(value: f64, from: f64, span: f64, n: usize) -> usize {
    (((value - from) / span * n as f64) as usize).min(n - 1)
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

    proptest::proptest! {
        /// The grid's answers are the outline's: points anywhere in and around the region's
        /// countries (Russia's outline in many parts, Azerbaijan's with Nakhchivan apart), the
        /// tolerance band's edge included, asked in any order.
        #[test]
        fn the_grid_answers_as_the_outline_does(
            points in proptest::collection::vec((0usize..6, 0.0f64..=1.0, 0.0f64..=1.0), 1..200),
        ) {
            let countries = Countries::embedded();
            for (which, x, y) in points {
                let iso = ["051", "031", "268", "792", "364", "643"][which];
                let country = countries.by_iso(iso).expect("known");
                // A little past the reach on every side.
                let (min, w, h) = (country.reach.min(), country.reach.width(), country.reach.height());
                let lon = min.x - 0.1 * w + x * 1.2 * w;
                let lat = min.y - 0.1 * h + y * 1.2 * h;
                let point = Point::new(lon, lat);
                let exact = country.reach.contains(&point) && country.holds_exactly(point);
                proptest::prop_assert_eq!(country.holds(lon, lat), exact, "{} at {} {}", iso, lon, lat);
            }
        }
    }

    #[test]
    fn most_of_a_country_is_answered_by_its_grid() {
        let armenia = Countries::embedded().by_iso("051").expect("Armenia");
        assert!(armenia.holds(44.5, 40.2), "Yerevan");
        let (columns, rows) = armenia.grid_size();
        let answers: Vec<u8> = (0..rows)
            .flat_map(|row| (0..columns).map(move |column| (column, row)))
            .map(|(column, row)| armenia.cell_answer(column, row))
            .collect();
        let mixed = answers.iter().filter(|&&a| a == CELL_MIXED).count();
        let holds = answers.iter().filter(|&&a| a == CELL_HOLDS).count();
        // The country and the tolerance's band around it hold; only a thin band is mixed.
        assert!(holds > answers.len() / 2, "{holds} of {}", answers.len());
        assert!(mixed < answers.len() / 5, "{mixed} of {}", answers.len());
    }

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
