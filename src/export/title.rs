//! A figure's title made from what it shows, for when the user gives none: what happened (the
//! category, when all incidents share one or two), where (the one place they are all located to,
//! the province they all lie in, or the countries their points lie in, named by the gazetteer in
//! the user's naming convention where it can) and when (the window in words) —
//! "Exchanges of fire, Armenia–Azerbaijan border, 27 September – 10 November 2020". A file name
//! says none of that, and with several datasets, the first one's name says even less.

use std::collections::HashMap;

use crate::basemap::{Countries, Country};
use crate::gazetteer::{Gazetteer, Naming, Place, PlaceId, PlaceKind};
use crate::model::Category;
use crate::scene::Scene;
use crate::timeline::window::describe;

/// The title looks at no more incidents than this: an even sample names the same places.
const SAMPLE: usize = 5_000;
/// Places and countries named must hold this share of the located incidents: a few rows
/// elsewhere do not make a figure of Armenia a figure of three countries.
const NAMED_SHARE: f64 = 0.95;
/// Two countries' incidents are "on their border" when this share lies within
/// [`BORDER_REACH_DEG`] of the other country.
const BORDER_SHARE: f64 = 0.8;
/// About 40–55 km in the Caucasus: the reach of the artillery and drones of border incidents.
const BORDER_REACH_DEG: f64 = 0.5;
/// More countries than this are counted, not named.
const MAX_NAMED_COUNTRIES: usize = 3;

/// The title of a figure of `scene`, whose incidents fall into `categories`; where is said of
/// the incidents whose points `on_map` keeps (those the figure shows, when it leaves outliers
/// out).
pub fn derive(
    scene: &Scene<'_>,
    categories: &[Category],
    on_map: &dyn Fn(geo::Point<f64>) -> bool,
) -> String {
    let what = what(categories);
    let when = describe(&scene.window);
    match place(scene, on_map) {
        Some(Where::Named(place)) => format!("{what}, {place}, {when}"),
        Some(Where::Countries(n)) => format!("{what} in {n} countries, {when}"),
        None => format!("{what}, {when}"),
    }
}

/// The kind of event, when the figure shows one or two ("Exchanges of fire and armed attacks").
fn what(categories: &[Category]) -> String {
    let known: Vec<&Category> = categories
        .iter()
        .filter(|c| !matches!(c, Category::Other | Category::Unknown(_)))
        .collect();
    match (known.as_slice(), known.len() == categories.len()) {
        ([one], true) => plural(one).to_owned(),
        ([a, b], true) => format!("{} and {}", plural(a), lowercase_first(plural(b))),
        _ => "Incidents".to_owned(),
    }
}

fn plural(category: &Category) -> &'static str {
    match category {
        Category::ExchangeOfFire => "Exchanges of fire",
        Category::ArmedAttack => "Armed attacks",
        Category::Incursion => "Incursions",
        Category::Killing => "Killings",
        Category::Detention => "Detentions",
        Category::Mine => "Mine incidents",
        Category::MilitaryOperation => "Military operations",
        Category::Political => "Political events",
        Category::Background => "Background events",
        Category::Other | Category::Unknown(_) => "Incidents",
    }
}

fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_lowercase().chain(chars).collect())
        .unwrap_or_default()
}

enum Where {
    Named(String),
    /// Too many countries to name.
    Countries(usize),
}

/// Where the visible incidents are, in words; `None` when none is located.
fn place(scene: &Scene<'_>, on_map: &dyn Fn(geo::Point<f64>) -> bool) -> Option<Where> {
    let step = (scene.visible.len() / SAMPLE).max(1);
    let sample: Vec<_> = scene
        .visible
        .iter()
        .step_by(step)
        .map(|r| scene.incident(r))
        .filter(|i| i.point().is_some_and(on_map))
        .collect();
    if sample.is_empty() {
        return None;
    }
    let gazetteer = scene.gazetteer;
    let naming = scene.settings.naming;
    let resolved: Vec<Option<PlaceId>> = sample
        .iter()
        .map(|i| i.location.place.as_ref().and_then(|p| p.resolved))
        .collect();
    // All located to one place: "Nagorno-Karabakh", "Sotk, Armenia".
    if let Some(Some(first)) = resolved.first()
        && resolved.iter().all(|r| *r == Some(*first))
    {
        return Some(Where::Named(place_words(gazetteer, *first, naming)));
    }
    // All in one province or rayon: "Tavush, Armenia".
    let admin1: Vec<Option<&str>> = resolved
        .iter()
        .map(|r| r.and_then(|id| gazetteer.place(id).admin1.as_deref()))
        .collect();
    if let Some((code, n)) = most_common(admin1.iter().flatten().copied())
        && n as f64 >= NAMED_SHARE * sample.len() as f64
        && let Some(province) = gazetteer.by_id(&format!("ne1:{code}"))
    {
        return Some(Where::Named(place_words(gazetteer, province, naming)));
    }
    let points: Vec<(f64, f64)> = sample
        .iter()
        .filter_map(|i| i.point().map(|p| (p.x(), p.y())))
        .collect();
    countries(Countries::embedded(), &points)
}

/// A place's label in the naming convention, with the country it lies in when it is smaller
/// than a province.
fn place_words(gazetteer: &Gazetteer, id: PlaceId, naming: Naming) -> String {
    let place: &Place = gazetteer.place(id);
    let label = place.label(naming);
    let small = matches!(
        place.kind,
        PlaceKind::District | PlaceKind::City | PlaceKind::Town | PlaceKind::Village
    ) || place.kind == PlaceKind::Province;
    let country = gazetteer
        .by_id(&format!("ne0:{}", place.country))
        .map(|c| gazetteer.place(c).label(naming));
    match country {
        Some(country) if small && country != label => format!("{label}, {country}"),
        _ => label,
    }
}

/// The most common value and how often it occurs.
fn most_common<'a>(values: impl Iterator<Item = &'a str>) -> Option<(&'a str, usize)> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for v in values {
        *counts.entry(v).or_default() += 1;
    }
    counts
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))
}

/// The countries the points (lon, lat) lie in: one, two on their common border, a few, or a
/// count. Points at sea count for none.
fn countries(all: &Countries, points: &[(f64, f64)]) -> Option<Where> {
    let mut counts: HashMap<&str, (usize, &Country)> = HashMap::new();
    let mut on_land = 0;
    for &(lon, lat) in points {
        if let Some(c) = all.containing(lon, lat) {
            counts.entry(c.name.as_str()).or_insert((0, c)).0 += 1;
            on_land += 1;
        }
    }
    if on_land == 0 {
        return None;
    }
    let mut ranked: Vec<(usize, &Country)> = counts.into_values().collect();
    ranked.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.name.cmp(&b.1.name)));
    let needed = NAMED_SHARE * on_land as f64;
    let mut held = 0;
    let mut named: Vec<&Country> = Vec::new();
    for (n, c) in &ranked {
        if held as f64 >= needed {
            break;
        }
        held += n;
        named.push(c);
    }
    if named.len() > MAX_NAMED_COUNTRIES {
        return Some(Where::Countries(ranked.len()));
    }
    // Alphabetical: no side named first.
    named.sort_by(|a, b| a.name.cmp(&b.name));
    let names: Vec<&str> = named.iter().map(|c| c.name.as_str()).collect();
    Some(Where::Named(match names.as_slice() {
        [one] => (*one).to_owned(),
        [a, b] => {
            let near_border = points
                .iter()
                .filter(|&&(lon, lat)| {
                    let (home, other) = if named[0].holds(lon, lat) {
                        (named[0], named[1])
                    } else {
                        (named[1], named[0])
                    };
                    home.holds(lon, lat) && other.distance_deg(lon, lat) <= BORDER_REACH_DEG
                })
                .count();
            if near_border as f64 >= BORDER_SHARE * held as f64 {
                format!("{a}\u{2013}{b} border")
            } else {
                format!("{a} and {b}")
            }
        }
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
        [] => return None,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_or_two_categories_are_named_more_are_incidents() {
        assert_eq!(what(&[Category::ExchangeOfFire]), "Exchanges of fire");
        assert_eq!(
            what(&[Category::ExchangeOfFire, Category::ArmedAttack]),
            "Exchanges of fire and armed attacks"
        );
        assert_eq!(
            what(&[Category::ExchangeOfFire, Category::Other]),
            "Incidents"
        );
        assert_eq!(
            what(&[Category::Killing, Category::Mine, Category::Detention]),
            "Incidents"
        );
        assert_eq!(what(&[]), "Incidents");
    }

    fn words(w: Option<Where>) -> String {
        match w {
            Some(Where::Named(n)) => n,
            Some(Where::Countries(n)) => format!("{n} countries"),
            None => "nowhere".into(),
        }
    }

    #[test]
    fn countries_by_where_the_points_lie() {
        let all = Countries::embedded();
        // Both sides of the Tavush–Qazax border, a few km from it.
        let border = [
            (45.35, 41.05),
            (45.30, 41.10),
            (45.05, 40.95),
            (45.45, 40.98),
        ];
        assert_eq!(
            words(countries(all, &border)),
            "Armenia\u{2013}Azerbaijan border"
        );
        // Yerevan and Baku are far from the border.
        let capitals = [(44.51, 40.18), (49.87, 40.41)];
        assert_eq!(words(countries(all, &capitals)), "Armenia and Azerbaijan");
        // Forty rows in Yerevan and one in Tbilisi: Armenia.
        let mut armenia = vec![(44.51, 40.18); 40];
        armenia.push((44.79, 41.72));
        assert_eq!(words(countries(all, &armenia)), "Armenia");
        // Damascus, Baghdad, Kabul, Kyiv: four countries are counted.
        let far = [(36.3, 33.5), (44.4, 33.3), (69.2, 34.5), (30.5, 50.45)];
        assert_eq!(words(countries(all, &far)), "4 countries");
        // At sea: nowhere.
        assert_eq!(words(countries(all, &[(51.0, 41.0)])), "nowhere");
    }
}
