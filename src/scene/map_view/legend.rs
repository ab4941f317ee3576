//! What the map's colours and sizes mean when they are not the sides: the classes of the field
//! markers are coloured by, with how many visible incidents each holds, the sizes, and the
//! density's scale — the rows a legend lists, for the window's overlay and the figures' legend
//! alike, with the one way each symbol is drawn.

use egui::{Color32, Pos2, Shape, Stroke, vec2};

use super::super::Scene;
use super::super::styling::{self, ColourBy, DensityView};
use super::super::text::thousands;
use super::density::DensityDrawn;
use super::style;

/// The symbol in front of a row's words.
#[derive(Clone, Debug, PartialEq)]
pub enum Swatch {
    Dot(Color32),
    /// A marker as large as one for this many dead.
    Size(u32),
    Hexagon(Color32),
    /// The heat surface's colours, light to dark.
    Ramp,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub swatch: Swatch,
    pub words: String,
}

/// One block of a legend: a heading and its rows.
#[derive(Clone, Debug, PartialEq)]
pub struct Block {
    pub heading: String,
    pub rows: Vec<Row>,
}

/// Rows of size samples: what a reader can match a marker against.
const SIZE_SAMPLES: [u32; 3] = [1, 10, 100];

/// The blocks explaining what the scene's styling shows (none when markers show sides at their
/// plain size); `density` is what the map drew, if it drew one.
pub fn blocks(scene: &Scene<'_>, density: Option<&DensityDrawn>) -> Vec<Block> {
    let styling = &scene.settings.styling;
    let mut blocks = Vec::new();
    match density {
        Some(d) if d.view == DensityView::Hexagons => {
            let rows = if d.max >= 1.0 {
                styling::count_classes(1.0, f64::from(d.max).round())
                    .into_iter()
                    .map(|(label, colour)| Row {
                        swatch: Swatch::Hexagon(super::density::hex_colour_of(colour)),
                        words: label.to_owned(),
                    })
                    .collect()
            } else {
                Vec::new()
            };
            blocks.push(Block {
                heading: "Incidents per hexagon".into(),
                rows,
            });
            return blocks;
        }
        Some(d) if d.view == DensityView::Heat => {
            blocks.push(Block {
                heading: "Density of incidents".into(),
                rows: vec![Row {
                    swatch: Swatch::Ramp,
                    words: "light to dark: fewer to more, relative to the densest spot on this map"
                        .into(),
                }],
            });
            return blocks;
        }
        _ => {}
    }
    if styling.colour_by != ColourBy::Side {
        let rows = scene
            .visible
            .slots
            .iter()
            .zip(&scene.visible.slot_counts)
            .filter(|(_, count)| **count > 0.0)
            .map(|(slot, count)| Row {
                swatch: Swatch::Dot(slot.colour),
                words: format!("{} ({})", slot.name, thousands(count.round() as u64)),
            })
            .collect();
        blocks.push(Block {
            heading: format!("Colour: {}", styling.colour_by.label().to_lowercase()),
            rows,
        });
    }
    if styling.size_by_fatalities {
        blocks.push(Block {
            heading: "Size: fatalities reported (the most any claim gives)".into(),
            rows: SIZE_SAMPLES
                .iter()
                .map(|&n| Row {
                    swatch: Swatch::Size(n),
                    words: thousands(u64::from(n)),
                })
                .collect(),
        });
    }
    blocks
}

/// How tall a row's symbol is, in points.
pub fn swatch_height(swatch: &Swatch) -> f32 {
    match swatch {
        Swatch::Size(n) => 2.0 * style::MARKER_RADIUS * styling::size_factor(Some(*n)) + 2.0,
        _ => 14.0,
    }
}

/// Draws a row's symbol centred on `centre`.
pub fn paint_swatch(swatch: &Swatch, centre: Pos2, out: &mut Vec<Shape>) {
    let outline = Stroke::new(1.0, style::MARKER_OUTLINE);
    match swatch {
        Swatch::Dot(colour) => out.push(Shape::Circle(egui::epaint::CircleShape {
            center: centre,
            radius: 5.5,
            fill: *colour,
            stroke: outline,
        })),
        // As large as on the map, to be matched against it.
        Swatch::Size(n) => out.push(Shape::Circle(egui::epaint::CircleShape {
            center: centre,
            radius: style::MARKER_RADIUS * styling::size_factor(Some(*n)),
            fill: Color32::from_gray(170),
            stroke: outline,
        })),
        Swatch::Hexagon(colour) => {
            let corners: Vec<Pos2> = (0..6)
                .map(|i| {
                    let a = std::f32::consts::FRAC_PI_6 + i as f32 * std::f32::consts::FRAC_PI_3;
                    centre + vec2(a.cos(), a.sin()) * 7.0
                })
                .collect();
            out.push(Shape::convex_polygon(
                corners,
                *colour,
                Stroke::new(0.6, Color32::WHITE),
            ));
        }
        Swatch::Ramp => {
            let steps = 8;
            let width = 28.0;
            for i in 0..steps {
                let t = (i as f32 + 0.5) / steps as f32;
                let x = centre.x - width / 2.0 + i as f32 * width / steps as f32;
                out.push(Shape::rect_filled(
                    egui::Rect::from_min_size(
                        egui::pos2(x, centre.y - 5.0),
                        vec2(width / steps as f32 + 0.3, 10.0),
                    ),
                    0.0,
                    super::density::heat_colour(t),
                ));
            }
        }
    }
}

/// A symbol's width, for laying words out after it.
pub fn swatch_width(swatch: &Swatch) -> f32 {
    match swatch {
        Swatch::Ramp => 28.0,
        Swatch::Size(_) => swatch_height(swatch),
        _ => 16.0,
    }
}

/// The window's legend: the blocks in a box over the map's bottom-left corner, above the
/// credits line. Returns the box, if anything was drawn.
pub fn paint_box(painter: &egui::Painter, map: egui::Rect, blocks: &[Block]) -> Option<egui::Rect> {
    if blocks.is_empty() {
        return None;
    }
    const PAD: f32 = 6.0;
    const GAP: f32 = 6.0;
    let ink = style::LABEL;
    let heading_font = egui::FontId::proportional(12.0);
    let font = egui::FontId::proportional(11.0);
    let mut lines: Vec<(Option<Swatch>, std::sync::Arc<egui::Galley>)> = Vec::new();
    for block in blocks {
        lines.push((
            None,
            painter.layout_no_wrap(block.heading.clone(), heading_font.clone(), ink),
        ));
        for row in &block.rows {
            lines.push((
                Some(row.swatch.clone()),
                painter.layout_no_wrap(row.words.clone(), font.clone(), ink),
            ));
        }
    }
    let symbol = lines
        .iter()
        .filter_map(|(s, _)| s.as_ref().map(swatch_width))
        .fold(16.0, f32::max);
    let height_of = |(swatch, galley): &(Option<Swatch>, std::sync::Arc<egui::Galley>)| {
        galley
            .size()
            .y
            .max(swatch.as_ref().map_or(0.0, swatch_height))
            + 2.0
    };
    let width = lines
        .iter()
        .map(|(s, g)| g.size().x + if s.is_some() { symbol + GAP } else { 0.0 })
        .fold(0.0, f32::max);
    let height: f32 = lines.iter().map(height_of).sum();
    // Above the credits line at the bottom.
    let outer = egui::Rect::from_min_size(
        egui::pos2(map.left() + 8.0, map.bottom() - 24.0 - height - 2.0 * PAD),
        vec2(width + 2.0 * PAD, height + 2.0 * PAD),
    );
    painter.rect(
        outer,
        3.0,
        Color32::from_rgba_unmultiplied(250, 250, 250, 235),
        Stroke::new(1.0, Color32::from_gray(160)),
        egui::StrokeKind::Inside,
    );
    let mut y = outer.top() + PAD;
    let mut shapes = Vec::new();
    for line in &lines {
        let h = height_of(line);
        let (swatch, galley) = line;
        let mut x = outer.left() + PAD;
        if let Some(swatch) = swatch {
            paint_swatch(
                swatch,
                egui::pos2(x + symbol / 2.0, y + h / 2.0),
                &mut shapes,
            );
            x += symbol + GAP;
        }
        painter.extend(std::mem::take(&mut shapes));
        painter.galley(
            egui::pos2(x, y + (h - galley.size().y) / 2.0),
            galley.clone(),
            ink,
        );
        y += h;
    }
    Some(outer)
}
