//! A deterministic synthetic ACLED export of any size over the Armenia–Azerbaijan border: real
//! place names and coordinates from the embedded gazetteer, ACLED's full modern header, notes of
//! realistic length with quotes and commas, so load benchmarks and tests run on data shaped like
//! the real thing without shipping it.

use std::io::{self, Write};

use crate::gazetteer::{Gazetteer, Place};
use crate::model::Day;

/// ACLED's modern export header, in its order.
pub const ACLED_HEADER: [&str; 31] = [
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
];

/// A PCG-XSH-RR 32-bit generator: tiny, fast, and the same stream on every platform, which is all
/// a reproducible benchmark file needs.
#[derive(Clone, Debug)]
pub struct Pcg32 {
    state: u64,
    inc: u64,
}

impl Pcg32 {
    pub fn new(seed: u64) -> Pcg32 {
        let mut rng = Pcg32 {
            state: 0,
            inc: (seed << 1) | 1,
        };
        rng.next_u32();
        rng.state = rng.state.wrapping_add(seed ^ 0x853c_49e6_748f_ea9b);
        rng.next_u32();
        rng
    }

    pub fn next_u32(&mut self) -> u32 {
        let old = self.state;
        self.state = old
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(self.inc);
        let xorshifted = (((old >> 18) ^ old) >> 27) as u32;
        let rot = (old >> 59) as u32;
        xorshifted.rotate_right(rot)
    }

    /// Uniform in `0..n` (n > 0); the modulo bias is irrelevant here.
    pub fn below(&mut self, n: usize) -> usize {
        debug_assert!(n > 0);
        (self.next_u32() as usize) % n
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        f64::from(self.next_u32()) / 4_294_967_296.0
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
}

/// One of `items`, as a plain `&str`.
fn pick_str(rng: &mut Pcg32, items: &[&'static str]) -> &'static str {
    items[rng.below(items.len())]
}

/// (event_type, sub_event_type, disorder_type, weight).
const EVENTS: [(&str, &str, &str, u32); 9] = [
    ("Battles", "Armed clash", "Political violence", 40),
    (
        "Explosions/Remote violence",
        "Shelling/artillery/missile attack",
        "Political violence",
        25,
    ),
    (
        "Explosions/Remote violence",
        "Remote explosive/landmine/IED",
        "Political violence",
        6,
    ),
    (
        "Explosions/Remote violence",
        "Drone strike",
        "Political violence",
        5,
    ),
    (
        "Violence against civilians",
        "Abduction/forced disappearance",
        "Political violence",
        3,
    ),
    (
        "Violence against civilians",
        "Attack",
        "Political violence",
        4,
    ),
    (
        "Strategic developments",
        "Agreement",
        "Strategic developments",
        3,
    ),
    (
        "Strategic developments",
        "Arrests",
        "Strategic developments",
        4,
    ),
    ("Protests", "Peaceful protest", "Demonstrations", 10),
];

/// (actor, inter).
const ACTORS: [(&str, &str); 8] = [
    ("Military Forces of Azerbaijan (2003-)", "State forces"),
    ("Military Forces of Armenia (2018-)", "State forces"),
    ("Police Forces of Armenia (2018-)", "State forces"),
    ("State Border Service of Azerbaijan", "State forces"),
    ("Unidentified Armed Group (Azerbaijan)", "Political militia"),
    ("Civilians (Armenia)", "Civilians"),
    ("Civilians (Azerbaijan)", "Civilians"),
    ("Protesters (Armenia)", "Protesters"),
];

const ASSOC: [&str; 4] = [
    "Border Guards of Armenia",
    "State Border Service of Azerbaijan",
    "Russian Peacekeeping Forces",
    "Former Military Forces of Nagorno-Karabakh",
];

const SOURCES: [(&str, &str); 12] = [
    ("Azerbaijan Ministry of Defence", "National"),
    ("Armenia Ministry of Defence", "National"),
    ("Azerbaijan Ministry of Defence; Trend", "National"),
    ("APA; Report (Azerbaijan)", "National"),
    ("Armenpress", "National"),
    ("News.am", "National"),
    ("Azatutyun", "National-International"),
    ("Reuters", "International"),
    ("Interfax", "International"),
    ("JAMnews", "Regional"),
    ("Caucasian Knot", "Regional"),
    ("OC Media; Eurasianet", "Regional-International"),
];

const TAGS: [&str; 4] = [
    "crowd size=no report",
    "crowd size=around 200",
    "local administrators",
    "women targeted: candidates for office",
];

const WEAPONS: [&str; 6] = [
    "small arms",
    "large-calibre machine guns",
    "mortars",
    "grenade launchers",
    "artillery",
    "a loitering munition",
];

/// The settlements reports name: Armenian and Azerbaijani villages, towns and cities with a
/// province, from the embedded gazetteer.
fn settlements(gazetteer: &Gazetteer) -> Vec<(&Place, &str)> {
    let mut found: Vec<(&Place, &str)> = gazetteer
        .places()
        .map(|(_, p)| p)
        .filter(|p| matches!(&*p.country, "AM" | "AZ") && p.kind.is_settlement())
        .filter_map(|p| Some((p, gazetteer.admin1_name(p)?)))
        .collect();
    // The gazetteer's order is stable, but sort anyway so the file only depends on its content.
    found.sort_by(|a, b| a.0.id.cmp(&b.0.id));
    found
}

/// Appends `field` CSV-quoted when it needs it.
fn field(out: &mut Vec<u8>, text: &str) {
    if text
        .bytes()
        .any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r'))
    {
        out.push(b'"');
        for b in text.bytes() {
            if b == b'"' {
                out.push(b'"');
            }
            out.push(b);
        }
        out.push(b'"');
    } else {
        out.extend_from_slice(text.as_bytes());
    }
}

/// The first day of the years the file covers, and the number of days it covers.
const FIRST_DAY: (i32, u32, u32) = (2018, 1, 1);
const LAST_DAY: (i32, u32, u32) = (2024, 12, 31);

/// What the generated rows look like.
#[derive(Copy, Clone, PartialEq, Eq, Debug, Default)]
pub enum Shape {
    /// Notes of 150–600 characters, one of twelve sources per row.
    #[default]
    Standard,
    /// Long notes (about 250–1,100 characters) that quote the sides at length, with quotes and
    /// line breaks in most of them, and sources joined from a pool of thousands of outlets, so
    /// that the rows' source texts are mostly distinct: a file of another shape for the loaders.
    LongNotes,
}

/// Writes `rows` rows (plus the header) to `out`; the same `seed` writes the same bytes.
pub fn write_acled(out: &mut impl Write, rows: usize, seed: u64) -> io::Result<()> {
    write_acled_shaped(out, rows, seed, Shape::Standard)
}

/// Outlets in the pool [`Shape::LongNotes`] joins sources from.
const OUTLET_POOL: usize = 4000;

/// [`write_acled`] with rows of `shape`.
pub fn write_acled_shaped(
    out: &mut impl Write,
    rows: usize,
    seed: u64,
    shape: Shape,
) -> io::Result<()> {
    let gazetteer = Gazetteer::embedded();
    let places = settlements(gazetteer);
    if places.is_empty() {
        return Err(io::Error::other("the gazetteer has no settlements"));
    }
    let first = Day::from_ymd(FIRST_DAY.0, FIRST_DAY.1, FIRST_DAY.2)
        .ok_or_else(|| io::Error::other("bad first day"))?;
    let last = Day::from_ymd(LAST_DAY.0, LAST_DAY.1, LAST_DAY.2)
        .ok_or_else(|| io::Error::other("bad last day"))?;
    let span = (last.0 - first.0 + 1) as usize;
    let total_weight: u32 = EVENTS.iter().map(|e| e.3).sum();
    let mut rng = Pcg32::new(seed);
    let mut line: Vec<u8> = Vec::with_capacity(2048);
    let mut notes = String::with_capacity(1024);
    let mut scratch = String::with_capacity(64);
    out.write_all(ACLED_HEADER.join(",").as_bytes())?;
    out.write_all(b"\n")?;
    for row in 0..rows {
        line.clear();
        // ACLED exports run newest first; a little jitter so days are not perfectly sorted.
        let along = if rows > 1 {
            row * (span - 1) / (rows - 1)
        } else {
            0
        };
        let jitter = rng.below(5) as i32 - 2;
        let day = Day((last.0 - along as i32 + jitter).clamp(first.0, last.0));
        let date = day.to_naive();
        use chrono::Datelike;
        let (year, month, dom) = (date.year(), date.month(), date.day());
        let (place, admin1) = *rng.pick(&places);
        let armenia = &*place.country == "AM";
        let (iso, country, prefix) = if armenia {
            ("51", "Armenia", "ARM")
        } else {
            ("31", "Azerbaijan", "AZE")
        };
        let mut pick_weight = rng.below(total_weight as usize) as u32;
        let event = EVENTS
            .iter()
            .find(|e| {
                if pick_weight < e.3 {
                    true
                } else {
                    pick_weight -= e.3;
                    false
                }
            })
            .unwrap_or(&EVENTS[0]);
        let actor1 = if armenia { ACTORS[0] } else { ACTORS[1] };
        let actor1 = if rng.chance(0.15) {
            *rng.pick(&ACTORS)
        } else {
            actor1
        };
        let actor2 = if event.0 == "Battles" {
            if armenia { ACTORS[1] } else { ACTORS[0] }
        } else if event.0 == "Protests" {
            ("", "")
        } else {
            *rng.pick(&ACTORS)
        };
        let time_precision = match rng.below(100) {
            0..=84 => "1",
            85..=94 => "2",
            _ => "3",
        };
        let geo_precision = match rng.below(100) {
            0..=69 => "1",
            70..=89 => "2",
            _ => "3",
        };
        let (known, scale) = *rng.pick(&SOURCES);
        let joined;
        let source: &str = if shape == Shape::LongNotes {
            // One of the known sources, then one to three local outlets from the pool.
            let mut text = known.to_owned();
            for _ in 0..1 + rng.below(3) {
                use std::fmt::Write as _;
                let _ = write!(text, "; Local outlet {}", rng.below(OUTLET_POOL));
            }
            joined = text;
            &joined
        } else {
            known
        };
        let fatalities = match rng.below(100) {
            0..=79 => 0,
            80..=94 => 1 + rng.below(3),
            _ => 3 + rng.below(12),
        };
        let lat = place.point.y() + (rng.unit() - 0.5) * 0.02;
        let lon = place.point.x() + (rng.unit() - 0.5) * 0.02;
        // Uploaded in weekly batches, so many rows share a timestamp.
        let upload = (i64::from(day.0) / 7 + 1) * 7 + 3;
        let timestamp = upload * 86_400;

        notes.clear();
        write_notes(
            &mut notes,
            &mut rng,
            (dom, crate::timeline::window::month_name(date), year),
            place.name(),
            admin1,
            source,
            fatalities,
        );
        if shape == Shape::LongNotes {
            write_long_notes(&mut notes, &mut rng, place.name(), source);
        }

        let put = |text: &str, line: &mut Vec<u8>, last: bool| {
            field(line, text);
            if !last {
                line.push(b',');
            }
        };
        scratch.clear();
        use std::fmt::Write as _;
        let _ = write!(scratch, "{prefix}{}", row + 1);
        put(&scratch, &mut line, false);
        scratch.clear();
        let _ = write!(scratch, "{year:04}-{month:02}-{dom:02}");
        put(&scratch, &mut line, false);
        scratch.clear();
        let _ = write!(scratch, "{year}");
        put(&scratch, &mut line, false);
        put(time_precision, &mut line, false);
        put(event.2, &mut line, false);
        put(event.0, &mut line, false);
        put(event.1, &mut line, false);
        put(actor1.0, &mut line, false);
        put(
            if rng.chance(0.2) {
                pick_str(&mut rng, &ASSOC)
            } else {
                ""
            },
            &mut line,
            false,
        );
        put(actor1.1, &mut line, false);
        put(actor2.0, &mut line, false);
        put(
            if rng.chance(0.1) {
                pick_str(&mut rng, &ASSOC)
            } else {
                ""
            },
            &mut line,
            false,
        );
        put(actor2.1, &mut line, false);
        scratch.clear();
        if actor2.1.is_empty() {
            let _ = write!(scratch, "{} only", actor1.1);
        } else {
            let _ = write!(scratch, "{}-{}", actor1.1, actor2.1);
        }
        put(&scratch, &mut line, false);
        put(
            if actor2.1 == "Civilians" {
                "Civilian targeting"
            } else {
                ""
            },
            &mut line,
            false,
        );
        put(iso, &mut line, false);
        put("Caucasus and Central Asia", &mut line, false);
        put(country, &mut line, false);
        put(admin1, &mut line, false);
        put(if armenia { place.name() } else { "" }, &mut line, false);
        put("", &mut line, false);
        put(place.name(), &mut line, false);
        scratch.clear();
        let _ = write!(scratch, "{lat:.4}");
        put(&scratch, &mut line, false);
        scratch.clear();
        let _ = write!(scratch, "{lon:.4}");
        put(&scratch, &mut line, false);
        put(geo_precision, &mut line, false);
        put(source, &mut line, false);
        put(scale, &mut line, false);
        put(&notes, &mut line, false);
        scratch.clear();
        let _ = write!(scratch, "{fatalities}");
        put(&scratch, &mut line, false);
        put(
            if event.0 == "Protests" {
                pick_str(&mut rng, &TAGS)
            } else {
                ""
            },
            &mut line,
            false,
        );
        scratch.clear();
        let _ = write!(scratch, "{timestamp}");
        put(&scratch, &mut line, true);
        line.push(b'\n');
        out.write_all(&line)?;
    }
    out.flush()
}

/// ACLED-style notes: a dated sentence naming the place and the source, then more sentences until
/// a length drawn between about 150 and 600 characters; some quote a ministry, with commas and
/// quotation marks, and a few run over two lines.
fn write_notes(
    out: &mut String,
    rng: &mut Pcg32,
    (day, month, year): (u32, &str, i32),
    place: &str,
    admin1: &str,
    source: &str,
    fatalities: usize,
) {
    use std::fmt::Write as _;
    let target = 120 + rng.below(250) + rng.below(150);
    let _ = write!(
        out,
        "On {day} {month} {year}, according to {source}, positions near {place} ({admin1}) came under fire from {}.",
        rng.pick(&WEAPONS)
    );
    let mut sentence = 0;
    while out.len() < target {
        let _ = match (sentence + rng.below(4)) % 6 {
            0 => write!(
                out,
                " The ministry said: \"the enemy was silenced by retaliatory fire, and the situation is under control\"."
            ),
            1 => write!(
                out,
                " {fatalities} fatalities were reported, per {source}; the other side denied the claim."
            ),
            2 => write!(
                out,
                " Residents of {place}, {admin1}, reported damage to houses, a school and farm buildings."
            ),
            3 => write!(
                out,
                " The fire, from {} and {}, lasted about {} minutes.",
                rng.pick(&WEAPONS),
                rng.pick(&WEAPONS),
                5 + rng.below(90)
            ),
            4 if rng.chance(0.02) => write!(
                out,
                "\nA later statement said the \"provocation\" had been stopped."
            ),
            _ => write!(
                out,
                " [size=no report]. Exact location unverified, coded to {place}."
            ),
        };
        sentence += 1;
    }
}

/// More of [`Shape::LongNotes`]' notes: statements of both sides quoted at length, most over
/// several lines: 100–500 characters more than [`write_notes`] writes.
fn write_long_notes(out: &mut String, rng: &mut Pcg32, place: &str, source: &str) {
    use std::fmt::Write as _;
    let target = out.len() + 100 + rng.below(200) + rng.below(200);
    while out.len() < target {
        let _ = match rng.below(5) {
            0 => write!(
                out,
                "\nThe Ministry of Defence of Armenia said: \"Azerbaijani units opened fire on our positions near {place}, using {}; the shooting lasted {} minutes, and there are no losses on our side\".",
                rng.pick(&WEAPONS),
                5 + rng.below(120)
            ),
            1 => write!(
                out,
                "\nThe Ministry of Defence of Azerbaijan said: \"the information spread by the Armenian side, that our units fired at {place}, is not true;\nour units did not open fire\"."
            ),
            2 => write!(
                out,
                " According to {source}, the report could not be verified independently, and ACLED codes it as reported."
            ),
            3 => write!(
                out,
                "\r\nA resident, quoted by {source}, said: \"we heard explosions, then it stopped, then again\"."
            ),
            _ => write!(
                out,
                " Damage to {} houses, a road and power lines was reported, {} of them in {place}.",
                1 + rng.below(40),
                rng.below(20)
            ),
        };
    }
}

/// The generated text as bytes, for tests and small runs.
pub fn acled_bytes(rows: usize, seed: u64) -> Vec<u8> {
    let mut out = Vec::with_capacity(rows * 700 + 512);
    // Writing to a Vec cannot fail.
    let _ = write_acled(&mut out, rows, seed);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pcg_is_deterministic_and_spread() {
        let mut a = Pcg32::new(7);
        let mut b = Pcg32::new(7);
        let xs: Vec<u32> = (0..8).map(|_| a.next_u32()).collect();
        let ys: Vec<u32> = (0..8).map(|_| b.next_u32()).collect();
        assert_eq!(xs, ys);
        let mut c = Pcg32::new(8);
        assert_ne!(xs[0], c.next_u32());
        let mut r = Pcg32::new(1);
        let mean = (0..10_000).map(|_| r.unit()).sum::<f64>() / 10_000.0;
        assert!((mean - 0.5).abs() < 0.02, "{mean}");
    }
}
