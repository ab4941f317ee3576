//! Marker geometry: a shape per category, split in two colours when the sides disagree.

use egui::{Color32, Pos2, Shape, Stroke, Vec2, vec2};

use crate::model::Category;

/// The outline of a category's marker around the origin, radius 1, as a convex polygon.
pub fn outline(category: &Category) -> Vec<Vec2> {
    let polygon = |n: usize, phase: f32| -> Vec<Vec2> {
        (0..n)
            .map(|i| {
                let a = phase + i as f32 * std::f32::consts::TAU / n as f32;
                vec2(a.cos(), a.sin())
            })
            .collect()
    };
    use std::f32::consts::FRAC_PI_2;
    match category {
        // Fire, the common case: a circle.
        Category::ExchangeOfFire => polygon(24, 0.0),
        Category::ArmedAttack | Category::MilitaryOperation => polygon(4, 0.0), // diamond
        Category::Killing => polygon(3, FRAC_PI_2)
            .into_iter()
            .map(|v| v * 1.15)
            .collect(), // triangle, point down
        Category::Mine => polygon(3, -FRAC_PI_2)
            .into_iter()
            .map(|v| v * 1.15)
            .collect(), // triangle, point up
        Category::Detention => polygon(4, std::f32::consts::FRAC_PI_4)
            .into_iter()
            .map(|v| v * 1.1)
            .collect(), // square
        Category::Incursion => polygon(5, -FRAC_PI_2),
        Category::Political => polygon(6, 0.0),
        Category::Background | Category::Other | Category::Unknown(_) => {
            polygon(8, 0.0).into_iter().map(|v| v * 0.8).collect()
        }
    }
}

/// A convex polygon clipped to one side of the vertical line through the origin.
fn clip_half(points: &[Vec2], keep_left: bool) -> Vec<Vec2> {
    let inside = |p: Vec2| if keep_left { p.x <= 0.0 } else { p.x >= 0.0 };
    let mut out = Vec::new();
    for i in 0..points.len() {
        let (a, b) = (points[i], points[(i + 1) % points.len()]);
        if inside(a) {
            out.push(a);
        }
        if inside(a) != inside(b) {
            let t = a.x / (a.x - b.x);
            out.push(a + (b - a) * t);
        }
    }
    out
}

/// How one marker is drawn.
pub struct MarkerStyle<'a> {
    /// One colour per party side (split left/right when two), or the claimants' colour.
    pub colours: &'a [Color32],
    /// Located only to an area: drawn hollow, so it never reads as an exact point.
    pub hollow: bool,
    pub selected: bool,
    pub hovered: bool,
}

pub fn marker(
    centre: Pos2,
    radius: f32,
    category: &Category,
    style: &MarkerStyle<'_>,
    out: &mut Vec<Shape>,
) {
    let unit = outline(category);
    let at = |points: &[Vec2]| {
        points
            .iter()
            .map(|v| centre + *v * radius)
            .collect::<Vec<Pos2>>()
    };
    let outline_stroke = Stroke::new(
        if style.hovered { 2.0 } else { 1.2 },
        super::style::MARKER_OUTLINE,
    );
    if style.selected {
        let ring: Vec<Pos2> = unit.iter().map(|v| centre + *v * (radius + 3.5)).collect();
        out.push(Shape::convex_polygon(
            ring,
            super::style::SELECTED_RING,
            Stroke::new(1.5, super::style::MARKER_OUTLINE),
        ));
    }
    if style.hollow {
        // A thick ring in the side colours around an empty centre.
        match style.colours {
            [a, b, ..] => {
                out.push(Shape::closed_line(
                    at(&clip_half(&unit, true)),
                    Stroke::new(3.0, *a),
                ));
                out.push(Shape::closed_line(
                    at(&clip_half(&unit, false)),
                    Stroke::new(3.0, *b),
                ));
            }
            [a] => out.push(Shape::closed_line(at(&unit), Stroke::new(3.0, *a))),
            [] => out.push(Shape::closed_line(
                at(&unit),
                Stroke::new(3.0, Color32::GRAY),
            )),
        }
        out.push(Shape::closed_line(
            at(&unit)
                .iter()
                .map(|p| *p + (*p - centre) * 0.25)
                .collect(),
            Stroke::new(0.8, super::style::MARKER_OUTLINE),
        ));
        return;
    }
    match style.colours {
        [a, b, ..] => {
            out.push(Shape::convex_polygon(
                at(&clip_half(&unit, true)),
                *a,
                Stroke::NONE,
            ));
            out.push(Shape::convex_polygon(
                at(&clip_half(&unit, false)),
                *b,
                Stroke::NONE,
            ));
            // The seam, so a split marker reads as two accounts even in print.
            out.push(Shape::line_segment(
                [centre - vec2(0.0, radius), centre + vec2(0.0, radius)],
                Stroke::new(1.0, Color32::WHITE),
            ));
            out.push(Shape::closed_line(at(&unit), outline_stroke));
        }
        [a] => out.push(Shape::convex_polygon(at(&unit), *a, outline_stroke)),
        [] => out.push(Shape::convex_polygon(
            at(&unit),
            Color32::GRAY,
            outline_stroke,
        )),
    }
}

/// An arrow from `from` to `to`, bowed by `bend` points to the left of its direction so that
/// several claims between the same places stay apart.
pub fn arrow(from: Pos2, to: Pos2, bend: f32, colour: Color32, out: &mut Vec<Shape>) {
    let d = to - from;
    let length = d.length();
    if length < 4.0 {
        return;
    }
    let normal = vec2(-d.y, d.x) / length;
    let control = from + d * 0.5 + normal * bend;
    // Stop short of the target marker so the head stays visible.
    let end_direction = (to - control).normalized();
    let tip = to - end_direction * (super::style::MARKER_RADIUS + 2.0);
    let points: Vec<Pos2> = (0..=16)
        .map(|i| {
            let t = i as f32 / 16.0;
            let a = from.lerp(control, t);
            let b = control.lerp(tip, t);
            a.lerp(b, t)
        })
        .collect();
    let halo = Color32::from_rgba_unmultiplied(255, 255, 255, 150);
    out.push(Shape::line(
        points.clone(),
        Stroke::new(super::style::ARROW_WIDTH + 2.0, halo),
    ));
    out.push(Shape::line(
        points,
        Stroke::new(super::style::ARROW_WIDTH, colour),
    ));
    let head = super::style::ARROW_HEAD;
    let side = vec2(-end_direction.y, end_direction.x) * head * 0.45;
    let base = tip - end_direction * head;
    out.push(Shape::convex_polygon(
        vec![tip, base + side, base - side],
        colour,
        Stroke::new(1.0, halo),
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn halves_cover_the_marker() {
        for category in crate::model::Category::KNOWN {
            let unit = outline(&category);
            let area = |p: &[Vec2]| {
                (0..p.len())
                    .map(|i| p[i].x * p[(i + 1) % p.len()].y - p[(i + 1) % p.len()].x * p[i].y)
                    .sum::<f32>()
                    .abs()
                    / 2.0
            };
            let whole = area(&unit);
            let halves = area(&clip_half(&unit, true)) + area(&clip_half(&unit, false));
            assert!(
                (whole - halves).abs() < 1e-4,
                "{category:?}: {whole} vs {halves}"
            );
        }
    }
}
