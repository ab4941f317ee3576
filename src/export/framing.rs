//! Where a figure looks when no view is given: at the incidents, filling the part of the map the
//! title, legend and scale bar leave clear, without letting one far-away row zoom the figure out,
//! and never closer than the coarsest location the sources give allows.
//!
//! The extent is taken in Web Mercator's unit square (x east, y south), where a map's points are
//! a power of two times its coordinates, so fitting is a logarithm. Each framed incident counts
//! with the area it may lie in: its district's or province's outline when it is located to one
//! the gazetteer knows, else a disc of its precision's radius — so three rows located only to a
//! region are framed at a region's scale, not at a street's.

use std::collections::HashMap;

use egui::{Rect, pos2, vec2};
use geo::BoundingRect;

use crate::basemap::World;
use crate::gazetteer::PlaceId;
use crate::model::{Incident, LocationPrecision, Placement};
use crate::scene::Scene;
use crate::scene::settings::View;

/// Mean circumference of the Earth at the equator in Web Mercator, in metres.
const EARTH_CIRCUMFERENCE_M: f64 = 40_075_016.686;
/// The least a figure shows around an exactly located incident, as a radius: a village and its
/// fields. Closer, a figure shows streets that no incident report is precise to.
const MIN_RADIUS_M: f64 = 2_500.0;
/// At most this share of the located incidents is left out of the frame as outliers: more than
/// that is a second cluster, which the figure must show.
const OUTLIER_SHARE: f64 = 0.02;
/// Fewer located incidents than this have no outliers: of two, neither can be told apart.
const MIN_FOR_OUTLIERS: usize = 3;
/// A row this close to the others is never an outlier, however tight they are: leaving it out
/// would gain a figure little.
const MIN_OUTLIER_GAP_M: f64 = 40_000.0;
/// An outlier's gap to the rest is this many times the rest's span: leaving it out makes the
/// figure at least three times larger, and evenly spread rows are never outliers.
const GAP_FACTOR: f64 = 2.0;
/// Framing looks at no more incidents than this: an even sample has the same extent.
const SAMPLE: usize = 200_000;
/// Points between the framed extent and the edge of the free area: a marker and its label.
const PAD_POINTS: f32 = 24.0;
/// The map's zoom range (as [`crate::scene::map_view::MapView`] clamps it): the whole world fits
/// a figure at 3.
const MIN_ZOOM: f64 = 3.0;
const MAX_ZOOM: f64 = 16.0;

/// What a figure frames: the box, in world units, of the areas the framed incidents may lie in.
#[derive(Clone, Debug, PartialEq)]
pub struct Extent {
    pub min: World,
    pub max: World,
    /// Located incidents inside the extent (of the sample, at more than [`SAMPLE`]).
    pub framed: usize,
    /// Located incidents left out as outliers (of the sample).
    pub outliers: usize,
    /// The least precise location among the framed incidents.
    pub coarsest: LocationPrecision,
}

impl Extent {
    fn centre(&self) -> World {
        World {
            x: (self.min.x + self.max.x) / 2.0,
            y: (self.min.y + self.max.y) / 2.0,
        }
    }
}

/// The extent of the scene's visible, located incidents, leaving out far outliers; `None` when
/// none is located.
pub fn extent(scene: &Scene<'_>) -> Option<Extent> {
    let step = (scene.visible.len() / SAMPLE).max(1);
    let located: Vec<(&Incident, World)> = scene
        .visible
        .iter()
        .step_by(step)
        .filter_map(|r| {
            let incident = scene.incident(r);
            let p = incident.point()?;
            (p.x().is_finite() && p.y().is_finite())
                .then(|| (incident, World::from_lon_lat(p.x(), p.y())))
        })
        .collect();
    if located.is_empty() {
        return None;
    }
    let xs: Vec<f64> = located.iter().map(|(_, w)| w.x).collect();
    let ys: Vec<f64> = located.iter().map(|(_, w)| w.y).collect();
    let (mut x_range, mut y_range) = (kept_range(xs), kept_range(ys));
    // Each axis leaves out at most its share; together they may not leave out more.
    let outside = |x: (f64, f64), y: (f64, f64)| {
        located
            .iter()
            .filter(|(_, w)| !(x.0..=x.1).contains(&w.x) || !(y.0..=y.1).contains(&w.y))
            .count()
    };
    if outside(x_range, y_range) > max_outliers(located.len()) {
        x_range = (f64::MIN, f64::MAX);
        y_range = (f64::MIN, f64::MAX);
    }
    let mut outlines: HashMap<PlaceId, Option<(World, World)>> = HashMap::new();
    let mut out = Extent {
        min: World {
            x: f64::MAX,
            y: f64::MAX,
        },
        max: World {
            x: f64::MIN,
            y: f64::MIN,
        },
        framed: 0,
        outliers: 0,
        coarsest: LocationPrecision::Exact,
    };
    for (incident, w) in located {
        if !(x_range.0..=x_range.1).contains(&w.x) || !(y_range.0..=y_range.1).contains(&w.y) {
            out.outliers += 1;
            continue;
        }
        out.framed += 1;
        let precision = incident.location.precision;
        if precision.uncertainty_metres() > out.coarsest.uncertainty_metres() {
            out.coarsest = precision;
        }
        let (min, max) = outline(scene, incident, &mut outlines).unwrap_or_else(|| {
            let metres = precision.uncertainty_metres().max(MIN_RADIUS_M);
            let lat = incident.point().map_or(0.0, |p| p.y());
            let r = world_units(metres, lat);
            (
                World {
                    x: w.x - r,
                    y: w.y - r,
                },
                World {
                    x: w.x + r,
                    y: w.y + r,
                },
            )
        });
        out.min.x = out.min.x.min(min.x);
        out.min.y = out.min.y.min(min.y);
        out.max.x = out.max.x.max(max.x);
        out.max.y = out.max.y.max(max.y);
    }
    debug_assert!(out.framed > 0, "the kept range holds its own ends");
    Some(out)
}

/// A length on the ground at `lat`, in world units (Web Mercator stretches by 1/cos(latitude)).
fn world_units(metres: f64, lat: f64) -> f64 {
    metres / (EARTH_CIRCUMFERENCE_M * lat.to_radians().cos().max(0.01))
}

/// The box of the district or province outline an incident is located only to, when the
/// gazetteer has one (looked up once per place).
fn outline(
    scene: &Scene<'_>,
    incident: &Incident,
    cache: &mut HashMap<PlaceId, Option<(World, World)>>,
) -> Option<(World, World)> {
    if incident.location.precision < LocationPrecision::District
        || !matches!(incident.placement, Placement::Gazetteer(_))
    {
        return None;
    }
    let id = incident.location.place.as_ref()?.resolved?;
    *cache.entry(id).or_insert_with(|| {
        let rect = scene
            .gazetteer
            .place(id)
            .polygon
            .as_ref()?
            .bounding_rect()?;
        Some((
            World::from_lon_lat(rect.min().x, rect.max().y),
            World::from_lon_lat(rect.max().x, rect.min().y),
        ))
    })
}

/// The range of one coordinate of the points that are not outliers. An outlier is one of the
/// few outermost values (at most [`OUTLIER_SHARE`] in all) separated from the rest by a gap
/// [`GAP_FACTOR`] times the rest's whole span (and wider than [`MIN_OUTLIER_GAP_M`]). A second
/// cluster is more than a few rows, and is kept.
fn kept_range(mut values: Vec<f64>) -> (f64, f64) {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    debug_assert!(n > 0);
    let k = max_outliers(n);
    let min_gap = MIN_OUTLIER_GAP_M / EARTH_CIRCUMFERENCE_M;
    let (mut lo, mut hi) = (0, n - 1);
    // Twice round: outliers at one end make the rest look wide to the other end's test.
    for _ in 0..2 {
        lo = (1..=k - (n - 1 - hi))
            .rev()
            .find(|&j| {
                j < hi
                    && values[j] - values[j - 1]
                        > (GAP_FACTOR * (values[hi] - values[j])).max(min_gap)
            })
            .unwrap_or(0);
        hi = (1..=k - lo)
            .rev()
            .map(|j| n - 1 - j)
            .find(|&i| {
                i > lo
                    && values[i + 1] - values[i]
                        > (GAP_FACTOR * (values[i] - values[lo])).max(min_gap)
            })
            .unwrap_or(n - 1);
    }
    (values[lo], values[hi])
}

/// How many of `n` located incidents may be left out as outliers.
fn max_outliers(n: usize) -> usize {
    if n >= MIN_FOR_OUTLIERS {
        ((n as f64 * OUTLIER_SHARE) as usize).max(1)
    } else {
        0
    }
}

/// The view that shows `extent` as large as it fits in the part of `map` that `covered` (the
/// decorations' boxes) leaves clear, centred there.
pub fn fit(extent: &Extent, map: Rect, covered: &[Rect]) -> View {
    let mut best: Option<(f64, f32, Rect)> = None;
    for area in free_areas(map, covered) {
        let zoom = zoom_to_fit(extent, area);
        let size = area.area();
        if best.is_none_or(|(z, s, _)| zoom > z + 1e-9 || (zoom > z - 1e-9 && size > s)) {
            best = Some((zoom, size, area));
        }
    }
    let (zoom, _, area) = best.unwrap_or_else(|| (zoom_to_fit(extent, map), 0.0, map));
    // Round to what the recorded command writes, so running it again gives the same view.
    let zoom = (zoom * 1000.0).floor() / 1000.0;
    let scale = 256.0 * 2f64.powf(zoom);
    let offset = area.center() - map.center();
    let c = extent.centre();
    let centre = World {
        x: c.x - f64::from(offset.x) / scale,
        y: (c.y - f64::from(offset.y) / scale).clamp(0.0, 1.0),
    };
    let (lon, lat) = centre.to_lon_lat();
    let round = |v: f64| (v * 1e6).round() / 1e6;
    View {
        lat: round(lat),
        lon: round(lon),
        zoom,
    }
}

/// The zoom at which `extent` fills `area` less its padding.
fn zoom_to_fit(extent: &Extent, area: Rect) -> f64 {
    let usable = (area.size() - vec2(2.0, 2.0) * PAD_POINTS).max(vec2(1.0, 1.0));
    let span = (
        (extent.max.x - extent.min.x).max(1e-12) * 256.0,
        (extent.max.y - extent.min.y).max(1e-12) * 256.0,
    );
    let zoom = (f64::from(usable.x) / span.0)
        .log2()
        .min((f64::from(usable.y) / span.1).log2());
    zoom.clamp(MIN_ZOOM, MAX_ZOOM)
}

/// Rectangles of `map` that meet none of `covered`: each edge is the map's or a box's.
fn free_areas(map: Rect, covered: &[Rect]) -> Vec<Rect> {
    let boxes: Vec<Rect> = covered
        .iter()
        .map(|b| b.intersect(map))
        .filter(|b| b.is_positive())
        .collect();
    let lefts: Vec<f32> = std::iter::once(map.left())
        .chain(boxes.iter().map(|b| b.right()))
        .collect();
    let rights: Vec<f32> = std::iter::once(map.right())
        .chain(boxes.iter().map(|b| b.left()))
        .collect();
    let tops: Vec<f32> = std::iter::once(map.top())
        .chain(boxes.iter().map(|b| b.bottom()))
        .collect();
    let bottoms: Vec<f32> = std::iter::once(map.bottom())
        .chain(boxes.iter().map(|b| b.top()))
        .collect();
    let mut out = Vec::new();
    for &l in &lefts {
        for &r in rights.iter().filter(|&&r| r > l) {
            for &t in &tops {
                for &b in bottoms.iter().filter(|&&b| b > t) {
                    let area = Rect::from_min_max(pos2(l, t), pos2(r, b));
                    // Touching a box's edge is not meeting it.
                    if boxes.iter().all(|x| !x.shrink(0.5).intersects(area)) {
                        out.push(area);
                    }
                }
            }
        }
    }
    out
}

/// Where an incident at (lon, lat) is drawn in `map` under `view`, as the map draws it.
pub fn project(view: &View, map: Rect, lon: f64, lat: f64) -> egui::Pos2 {
    let scale = 256.0 * 2f64.powf(view.zoom);
    let c = World::from_lon_lat(view.lon, view.lat);
    let w = World::from_lon_lat(lon, lat);
    map.center() + vec2(((w.x - c.x) * scale) as f32, ((w.y - c.y) * scale) as f32)
}

/// How many visible incidents the figure cannot show: (beyond the map's edges, with no location).
pub fn not_shown(scene: &Scene<'_>, view: &View, map: Rect) -> (usize, usize) {
    let (mut beyond, mut unlocated) = (0, 0);
    for r in scene.visible.iter() {
        match scene.incident(r).point() {
            Some(p) if map.contains(project(view, map, p.x(), p.y())) => {}
            Some(_) => beyond += 1,
            None => unlocated += 1,
        }
    }
    (beyond, unlocated)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn world(lon: f64, lat: f64) -> World {
        World::from_lon_lat(lon, lat)
    }

    #[test]
    fn one_far_row_is_an_outlier_and_a_second_cluster_is_not() {
        // Thirty rows along the border and one in Paris.
        let mut xs: Vec<f64> = (0..30)
            .map(|i| world(45.0 + i as f64 * 0.05, 40.0).x)
            .collect();
        xs.push(world(2.35, 48.85).x);
        let (lo, hi) = kept_range(xs.clone());
        assert!((lo - world(45.0, 40.0).x).abs() < 1e-12);
        assert!((hi - world(46.45, 40.0).x).abs() < 1e-12);
        // Ten rows in Paris are a second place the data is about, not an outlier.
        xs.extend((0..9).map(|_| world(2.35, 48.85).x));
        let (lo, _) = kept_range(xs);
        assert!((lo - world(2.35, 48.85).x).abs() < 1e-12);
    }

    #[test]
    fn rows_near_the_others_are_never_outliers() {
        // Six hundred rows stacked at Yerevan and one 30 km away: tight as the stack is, the
        // row is part of the picture.
        let mut xs = vec![world(44.51, 40.18).x; 600];
        xs.push(world(44.86, 40.18).x);
        let (lo, hi) = kept_range(xs);
        assert!(hi > lo);
        // Three rows, one 3,000 km away: it is the outlier; of two, neither is.
        let (lo, hi) = kept_range(vec![
            world(45.0, 40.0).x,
            world(45.1, 40.0).x,
            world(2.0, 48.0).x,
        ]);
        assert!((lo - world(45.0, 40.0).x).abs() < 1e-12);
        assert!((hi - world(45.1, 40.0).x).abs() < 1e-12);
        let (lo, hi) = kept_range(vec![world(45.0, 40.0).x, world(2.0, 48.0).x]);
        assert!(lo < hi);
        // Of three spread evenly, none is.
        let (lo, hi) = kept_range(vec![
            world(2.0, 0.0).x,
            world(20.0, 0.0).x,
            world(38.0, 0.0).x,
        ]);
        assert!((lo - world(2.0, 0.0).x).abs() < 1e-12 && (hi - world(38.0, 0.0).x).abs() < 1e-12);
    }

    fn extent_of(min: (f64, f64), max: (f64, f64)) -> Extent {
        Extent {
            min: world(min.0, max.1),
            max: world(max.0, min.1),
            framed: 1,
            outliers: 0,
            coarsest: LocationPrecision::Exact,
        }
    }

    #[test]
    fn the_extent_fills_the_free_area_and_is_centred_in_it() {
        let map = Rect::from_min_size(pos2(0.0, 0.0), vec2(1000.0, 600.0));
        // A box of Armenia's size.
        let e = extent_of((43.4, 38.8), (46.6, 41.3));
        let view = fit(&e, map, &[]);
        let tl = project(&view, map, 43.4, 41.3);
        let br = project(&view, map, 46.6, 38.8);
        // It fills the limiting side up to the padding, within a pixel of rounding.
        let (w, h) = (br.x - tl.x, br.y - tl.y);
        let fills_width = (w - (1000.0 - 2.0 * PAD_POINTS)).abs() < 2.0;
        let fills_height = (h - (600.0 - 2.0 * PAD_POINTS)).abs() < 2.0;
        assert!(fills_width || fills_height, "{w}×{h}");
        assert!(map.contains(tl) && map.contains(br));
        let centre = pos2((tl.x + br.x) / 2.0, (tl.y + br.y) / 2.0);
        assert!((centre - map.center()).length() < 1.0, "{centre:?}");
    }

    #[test]
    fn the_extent_avoids_the_boxes_over_the_map() {
        let map = Rect::from_min_size(pos2(0.0, 0.0), vec2(1000.0, 600.0));
        let title = Rect::from_min_size(pos2(8.0, 8.0), vec2(380.0, 80.0));
        let legend = Rect::from_min_size(pos2(700.0, 8.0), vec2(292.0, 300.0));
        let e = extent_of((43.4, 38.8), (46.6, 41.3));
        let view = fit(&e, map, &[title, legend]);
        let framed = Rect::from_two_pos(
            project(&view, map, 43.4, 41.3),
            project(&view, map, 46.6, 38.8),
        );
        assert!(map.contains_rect(framed.shrink(1.0)));
        for b in [title, legend] {
            assert!(!b.intersects(framed.shrink(1.0)), "{b:?} over {framed:?}");
        }
        // And still fills most of a side of the map.
        assert!(
            framed.width() > 500.0 || framed.height() > 400.0,
            "{framed:?}"
        );
    }

    #[test]
    fn views_are_rounded_as_the_command_writes_them() {
        let map = Rect::from_min_size(pos2(0.0, 0.0), vec2(1234.0, 567.0));
        let view = fit(&extent_of((44.123_456_7, 39.7), (46.9, 40.2)), map, &[]);
        assert_eq!(
            view.zoom,
            format!("{}", view.zoom).parse::<f64>().expect("f64")
        );
        assert_eq!((view.zoom * 1000.0).round() / 1000.0, view.zoom);
        assert_eq!((view.lat * 1e6).round() / 1e6, view.lat);
    }
}
