//! Datasets of any size built in memory, with positions and dates shaped like border incident
//! reports, so frame time can be measured at 10^5–10^7 incidents without any file or loader.
//!
//! Positions cluster around the embedded gazetteer's settlements of the border region (a few
//! busy, most quiet) with a tenth scattered over the region; dates run over 2018–2024, mostly
//! single days, some a month; each incident has one claim from one of four ministries of two
//! party sides, and about one in seven a second, conflicting claim from the other side.

use crate::formats::{LoadReport, Loaded};
use crate::gazetteer::Gazetteer;
use crate::model::{
    Category, Claim, Claimant, ClaimantId, Dataset, DatasetMeta, DateInterval, DatePrecision, Day,
    Format, Incident, Interner, Location, LocationPrecision, Provenance, Rgb, Side, SideId,
};

/// The region incidents are placed in: (west, south, east, north) in degrees.
pub const REGION: (f64, f64, f64, f64) = (44.5, 38.8, 47.5, 41.3);
/// How far incidents spread around the settlement they are reported at, in degrees.
const SPREAD_DEG: f64 = 0.03;

/// A small, fast, seedable generator (SplitMix64): the same seed gives the same dataset.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn below(&mut self, n: usize) -> usize {
        (self.unit() * n as f64) as usize
    }

    /// Roughly normal, mean 0, deviation 1 (a sum of four uniforms): cheap and bounded.
    fn bell(&mut self) -> f64 {
        ((0..4).map(|_| self.unit()).sum::<f64>() - 2.0) * 3f64.sqrt()
    }
}

/// `count` incidents over the border region, as a loaded layer.
pub fn border_incidents(count: usize, seed: u64) -> Loaded {
    let (west, south, east, north) = REGION;
    let gazetteer = Gazetteer::embedded();
    let mut hubs: Vec<(f64, f64)> = gazetteer
        .places()
        .filter(|(_, p)| p.kind.is_settlement())
        .map(|(_, p)| (p.point.x(), p.point.y()))
        .filter(|&(lon, lat)| (west..=east).contains(&lon) && (south..=north).contains(&lat))
        .collect();
    if hubs.is_empty() {
        hubs.push(((west + east) / 2.0, (south + north) / 2.0));
    }
    let mut rng = SplitMix(seed);
    let first = Day::from_ymd(2018, 1, 1).map_or(17_532, |d| d.0);
    let last = Day::from_ymd(2024, 12, 31).map_or(20_088, |d| d.0);
    let days = (last - first + 1) as usize;
    let categories = [
        Category::ExchangeOfFire,
        Category::ExchangeOfFire,
        Category::ExchangeOfFire,
        Category::ArmedAttack,
        Category::Killing,
        Category::Mine,
        Category::Detention,
        Category::Incursion,
    ];
    let incidents = (0..count)
        .map(|n| {
            let (lon, lat) = if rng.unit() < 0.1 {
                (
                    west + rng.unit() * (east - west),
                    south + rng.unit() * (north - south),
                )
            } else {
                // Squaring skews the choice: a few settlements report most incidents.
                let hub = hubs[(rng.unit().powi(2) * hubs.len() as f64) as usize % hubs.len()];
                (
                    hub.0 + rng.bell() * SPREAD_DEG,
                    hub.1 + rng.bell() * SPREAD_DEG,
                )
            };
            let start = Day(first + rng.below(days) as i32);
            let date = if rng.unit() < 0.1 {
                DateInterval::new(start, start.add_days(29), DatePrecision::Range)
                    .unwrap_or(DateInterval::day(start))
            } else {
                DateInterval::day(start)
            };
            let claimant = rng.below(4) as u32;
            let mut claims = vec![Claim::quoting(
                ClaimantId(claimant),
                "Positions came under fire from the other side.",
            )];
            if rng.unit() < 0.15 {
                // The other side's ministry, telling it the other way round.
                claims.push(Claim::quoting(
                    ClaimantId((claimant + 2) % 4),
                    "The other side opened fire first; fire was returned.",
                ));
            }
            let category = categories[rng.below(categories.len())].clone();
            Incident::new(
                format!("synthetic-{n}").into(),
                category.label(),
                category,
                date,
                Some(geo::Geometry::Point(geo::Point::new(lon, lat))),
                Location::at(None, LocationPrecision::Exact),
                claims,
            )
        })
        .collect();
    let side = |id: &str, name: &str, colour: [u8; 3]| Side {
        id: id.into(),
        name: name.into(),
        colour: Rgb(colour),
        party: true,
        extra: None,
    };
    let claimant = |id: &str, name: &str, side: u32| Claimant {
        id: id.into(),
        name: name.into(),
        side: SideId(side),
        kind: None,
        colour: None,
        implicit: false,
        extra: None,
    };
    let path = format!("synthetic:{count}");
    let dataset = Dataset::new(
        DatasetMeta {
            title: format!("{count} synthetic incidents").into(),
            ..DatasetMeta::default()
        },
        vec![
            side("az", "Azerbaijan", [0x1f, 0x77, 0xb4]),
            side("am", "Armenia", [0xd6, 0x27, 0x28]),
        ],
        vec![
            claimant("az-mod", "Ministry of Defence of Azerbaijan", 0),
            claimant("az-bs", "State Border Service of Azerbaijan", 0),
            claimant("am-mod", "Ministry of Defence of Armenia", 1),
            claimant("am-nss", "National Security Service of Armenia", 1),
        ],
        incidents,
        Interner::default(),
        Provenance {
            path: path.clone(),
            format: Format::Claimmap,
            sha256: String::new().into(),
            bytes: 0,
        },
    );
    let mut report = LoadReport::new(path, Format::Claimmap);
    report.rows = count;
    report.loaded = count;
    Loaded { dataset, report }
}
