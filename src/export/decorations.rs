//! What turns a map into a figure: title and date window, legend, scale bar, numbered claims and a
//! footer that says where every pixel came from.
//!
//! Everything here is painted in points, so it scales with the export's scale factor like the map.

use std::sync::Arc;

use egui::{Align2, Color32, FontId, Galley, Painter, Pos2, Rect, Shape, Stroke, Ui, pos2, vec2};

use crate::model::Category;
use crate::scene::Scene;
use crate::scene::map_view::legend::{self as style_legend, Swatch};
use crate::scene::map_view::markers::{self, MarkerStyle};
use crate::scene::map_view::{MapOutput, MapView};
use crate::scene::styling::ColourBy;

use super::facts::Facts;

/// Mean circumference of the Earth at the equator in Web Mercator, in metres.
const EARTH_CIRCUMFERENCE_M: f64 = 40_075_016.686;
/// The scale bar is at most this long: long enough to read, short enough to sit in a corner.
const SCALE_BAR_MAX_POINTS: f32 = 140.0;
/// Boxes over the map are nearly opaque white, so text stays legible on any tile.
const BOX_FILL: Color32 = Color32::from_rgba_premultiplied(250, 250, 250, 238);
const BOX_STROKE: Color32 = Color32::from_gray(150);
const TEXT: Color32 = Color32::from_gray(25);
const WEAK: Color32 = Color32::from_gray(85);
/// Inside every box, and between a box and the map's edge.
const PAD: f32 = 8.0;
/// The claims inset never takes more than this share of the map's width.
const INSET_WIDTH_SHARE: f32 = 0.42;
/// Quotes longer than this are cut in the inset (with an ellipsis): the full text is in the
/// claims panel layout and in the Markdown export.
const INSET_QUOTE_CHARS: usize = 420;

/// The band under the map: data, window and filters, sources and credits, the user's note.
pub fn footer(ui: &mut Ui, facts: &Facts) {
    let small = |text: String| egui::RichText::new(text).size(11.0).color(TEXT);
    ui.spacing_mut().item_spacing.y = 2.0;
    if let Some(note) = &facts.footer {
        ui.label(egui::RichText::new(note).size(12.0).color(TEXT).italics());
    }
    let data: Vec<String> = facts
        .datasets
        .iter()
        .map(|d| {
            let file = std::path::Path::new(&d.path)
                .file_name()
                .map_or_else(|| d.path.clone(), |f| f.to_string_lossy().into_owned());
            let short = d.sha256.get(..12).unwrap_or(&d.sha256);
            format!("{} ({file}, {}, SHA-256 {short})", d.title, d.format)
        })
        .collect();
    ui.label(small(format!(
        "Data: {} · Window: {} ({}) · {} incidents, {} contested, {} claims · Filters: {} · Names: {}",
        data.join("; "),
        facts.window_words,
        facts.window_iso(),
        facts.visible,
        facts.contested,
        facts.claims,
        facts.filters,
        facts.naming,
    )));
    let mut citations: Vec<&str> = Vec::new();
    // Two files of one source cite it once.
    for c in facts.datasets.iter().filter_map(|d| d.citation.as_deref()) {
        if !citations.contains(&c) {
            citations.push(c);
        }
    }
    if !citations.is_empty() {
        ui.label(small(format!("Sources: {}", citations.join(" · "))));
    }
    let basemap = facts
        .tile_credit
        .clone()
        .unwrap_or_else(|| "claimmap's embedded vector basemap".to_owned());
    ui.label(small(format!(
        "Map: {basemap}; Natural Earth (public domain); places: GeoNames (CC BY 4.0), Who's On First (whosonfirst.org). Claims are quoted as their claimants made them; the map does not assert them. {}",
        facts.generated_line()
    )));
}

/// The decorations painted over the map; returns the boxes they cover it with.
/// `drawn`: what the map drew (numbered discs, a density), which the legend then explains.
pub fn map_overlay(
    painter: &Painter,
    rect: Rect,
    map: &MapView,
    scene: &Scene<'_>,
    facts: &Facts,
    drawn: &MapOutput,
) -> Vec<Rect> {
    let title_box = title_block(painter, rect, facts);
    let legend_box = legend(painter, rect, scene, facts, drawn);
    let scale_box = scale_bar(painter, rect, map);
    numbers_on_map(painter, map, scene, facts);
    let mut covered = vec![title_box, legend_box, scale_box];
    if facts.claims_inset && !facts.footnotes.is_empty() {
        covered.extend(claims_inset(
            painter,
            rect,
            title_box.bottom() + PAD,
            scale_box.top() - PAD,
            facts,
        ));
    }
    covered
}

/// Where the boxes over a map of `map` usually are, before their words are laid out: for a
/// first framing, which the first frame's real boxes then correct.
pub fn expected_boxes(map: Rect) -> Vec<Rect> {
    let corner = |x: f32, y: f32, w: f32, h: f32| {
        Rect::from_min_size(pos2(x, y), vec2(w.min(map.width()), h.min(map.height())))
    };
    let title = corner(map.left() + PAD, map.top() + PAD, map.width() * 0.4, 70.0);
    let legend = corner(map.right() - PAD - 250.0, map.top() + PAD, 250.0, 180.0);
    let scale = corner(map.left() + PAD, map.bottom() - PAD - 48.0, 160.0, 48.0);
    vec![title, legend, scale]
}

fn text(painter: &Painter, text: String, size: f32, colour: Color32, wrap: f32) -> Arc<Galley> {
    painter.layout(text, FontId::proportional(size), colour, wrap)
}

fn boxed(painter: &Painter, rect: Rect) {
    painter.rect(
        rect,
        4.0,
        BOX_FILL,
        Stroke::new(0.8, BOX_STROKE),
        egui::StrokeKind::Inside,
    );
}

/// Title, window in words, counts; top left. Returns the box.
fn title_block(painter: &Painter, map: Rect, facts: &Facts) -> Rect {
    let wrap = (map.width() * 0.5).max(160.0);
    let mut lines = vec![text(painter, facts.title.clone(), 19.0, TEXT, wrap)];
    // A title made from the data already says the window in words.
    if !facts.title.contains(&facts.window_words) {
        lines.push(text(painter, facts.window_words.clone(), 14.0, TEXT, wrap));
    }
    lines.push(text(painter, facts.counts_line(), 11.5, WEAK, wrap));
    let width = lines.iter().map(|g| g.size().x).fold(0.0, f32::max);
    let height = lines.iter().map(|g| g.size().y + 2.0).sum::<f32>();
    let outer = Rect::from_min_size(
        map.min + vec2(PAD, PAD),
        vec2(width, height) + vec2(2.0, 2.0) * PAD,
    );
    boxed(painter, outer);
    let mut at = outer.min + vec2(PAD, PAD);
    for galley in lines {
        let h = galley.size().y;
        painter.galley(at, galley, TEXT);
        at.y += h + 2.0;
    }
    outer
}

/// One row of the legend: a symbol drawn in a square, then its words.
struct LegendRow {
    symbol: Symbol,
    words: Arc<Galley>,
}

enum Symbol {
    Heading,
    Swatch(Color32),
    Marker(Category, Vec<Color32>, bool),
    Faded,
    Inferred,
    Cluster,
    /// What the user's styling shows: a class's colour, a size, a density.
    Style(Swatch),
}

/// Claimant colours (or the classes of the field the user colours by), the categories' marker
/// shapes and the styles in use; top right. Returns its box.
fn legend(
    painter: &Painter,
    map: Rect,
    scene: &Scene<'_>,
    facts: &Facts,
    drawn: &MapOutput,
) -> Rect {
    let wrap = (map.width() * 0.26).clamp(140.0, 280.0);
    let row = |symbol, words: String, size| LegendRow {
        symbol,
        words: text(painter, words, size, TEXT, wrap),
    };
    // Markers are not drawn one by one: what explains their shapes and marks has nothing to do.
    let clustered = drawn.clusters > 0 || drawn.density.is_some();
    let by_side = scene.settings.styling.colour_by == ColourBy::Side && drawn.density.is_none();
    let mut rows = Vec::new();
    if by_side {
        rows.push(row(Symbol::Heading, "Claims by side".into(), 12.5));
        for side in &facts.sides {
            rows.push(row(Symbol::Swatch(side.colour), side_words(side), 11.0));
        }
        if facts.more_sides > 0 {
            rows.push(row(
                Symbol::Heading,
                format!("and {} more sides", facts.more_sides),
                11.0,
            ));
        }
    }
    for block in style_legend::blocks(scene, drawn.density.as_ref()) {
        rows.push(row(Symbol::Heading, block.heading, 12.5));
        for r in block.rows {
            rows.push(row(Symbol::Style(r.swatch), r.words, 11.0));
        }
    }
    if let Some(grey) = facts
        .sides
        .iter()
        .find(|s| by_side && !s.party && is_grey(s.colour))
    {
        rows.push(row(
            Symbol::Swatch(grey.colour),
            "Grey marker: no party to the conflict is quoted, only sources that are not a party (reporters, monitors) or unattributed ones".into(),
            11.0,
        ));
    }
    if !facts.categories.is_empty() && !clustered {
        rows.push(row(Symbol::Heading, "Marker shape: category".into(), 12.5));
        for c in &facts.categories {
            rows.push(row(
                Symbol::Marker(c.clone(), vec![Color32::from_gray(120)], false),
                c.label().to_owned(),
                11.0,
            ));
        }
    }
    let grey = Color32::from_gray(120);
    if drawn.clusters > 0 {
        let ring = if by_side {
            "its ring shows each side's share"
        } else {
            "its ring shows each colour's share"
        };
        rows.push(row(
            Symbol::Cluster,
            format!("Numbered disc: incidents grouped by area, too many to draw one by one at this scale; {ring}"),
            11.0,
        ));
    }
    if facts.any_contested && !clustered && by_side {
        let colours = facts.party_colours.clone();
        rows.push(row(
            Symbol::Marker(Category::ExchangeOfFire, colours, false),
            "Split: claims from two parties (contested)".into(),
            11.0,
        ));
    }
    if facts.any_area && !clustered {
        rows.push(row(
            Symbol::Marker(Category::ExchangeOfFire, vec![grey], true),
            "Ring: located only to a district or region".into(),
            11.0,
        ));
    }
    if facts.any_span && !clustered {
        rows.push(row(
            Symbol::Faded,
            "Faded: dated only to a range, week or month".into(),
            11.0,
        ));
    }
    if facts.any_inferred && !clustered {
        rows.push(row(
            Symbol::Inferred,
            "Dotted ring: date inferred from the report".into(),
            11.0,
        ));
    }
    let symbol = rows
        .iter()
        .map(|r| match &r.symbol {
            Symbol::Style(s) => style_legend::swatch_width(s),
            _ => 16.0,
        })
        .fold(16.0, f32::max);
    let row_height = |r: &LegendRow| match &r.symbol {
        Symbol::Style(s) => r.words.size().y.max(style_legend::swatch_height(s)),
        _ => r.words.size().y.max(14.0),
    };
    let width = rows
        .iter()
        .map(|r| match r.symbol {
            Symbol::Heading => r.words.size().x,
            _ => r.words.size().x + symbol + 6.0,
        })
        .fold(0.0, f32::max);
    let height: f32 = rows.iter().map(|r| row_height(r) + 3.0).sum();
    let outer = Rect::from_min_size(
        pos2(map.right() - PAD - width - 2.0 * PAD, map.top() + PAD),
        vec2(width, height) + vec2(2.0, 2.0) * PAD,
    );
    boxed(painter, outer);
    let mut y = outer.top() + PAD;
    let mut shapes = Vec::new();
    for r in rows {
        let h = row_height(&r);
        let centre = pos2(outer.left() + PAD + symbol / 2.0, y + h / 2.0);
        let mut words_x = outer.left() + PAD + symbol + 6.0;
        match r.symbol {
            Symbol::Heading => words_x = outer.left() + PAD,
            Symbol::Swatch(c) => shapes.push(Shape::circle_filled(centre, 5.5, c)),
            Symbol::Marker(category, colours, hollow) => {
                let style = MarkerStyle {
                    colours: &colours,
                    hollow,
                    selected: false,
                    hovered: false,
                };
                markers::marker(centre, 5.5, &category, &style, &mut shapes);
            }
            Symbol::Faded => {
                let style = MarkerStyle {
                    colours: &[grey.gamma_multiply(0.5)],
                    hollow: false,
                    selected: false,
                    hovered: false,
                };
                markers::marker(centre, 5.5, &Category::ExchangeOfFire, &style, &mut shapes);
            }
            Symbol::Style(swatch) => style_legend::paint_swatch(&swatch, centre, &mut shapes),
            Symbol::Cluster => {
                shapes.push(Shape::circle_filled(centre, 7.5, grey));
                shapes.push(Shape::circle_filled(centre, 4.5, Color32::WHITE));
            }
            Symbol::Inferred => {
                let ring: Vec<Pos2> = (0..=20)
                    .map(|i| {
                        let a = i as f32 / 20.0 * std::f32::consts::TAU;
                        centre + vec2(a.cos(), a.sin()) * 7.5
                    })
                    .collect();
                shapes.extend(Shape::dotted_line(&ring, Color32::from_gray(60), 2.4, 0.8));
                shapes.push(Shape::circle_filled(centre, 4.0, grey));
            }
        }
        painter.extend(std::mem::take(&mut shapes));
        painter.galley(
            pos2(words_x, y + (h - r.words.size().y) / 2.0),
            r.words,
            TEXT,
        );
        y += h + 3.0;
    }
    outer
}

/// Claimants past this many are counted in a side's legend row, not named.
const NAMED_CLAIMANTS: usize = 2;

/// "Azerbaijan: Ministry of Defence of Azerbaijan, President of Azerbaijan and 3 more";
/// "ACLED sources (reporters), not a party: Trend, Caucasian Knot and 14 more".
fn side_words(side: &super::facts::LegendSide) -> String {
    let mut words = side.name.clone();
    if !side.party {
        words.push_str(", not a party");
    }
    let names = &side.claimants;
    if names.len() == 1 && names[0] == side.name {
        return words;
    }
    let shown: Vec<&str> = names
        .iter()
        .take(NAMED_CLAIMANTS)
        .map(String::as_str)
        .collect();
    let list = match names.len().saturating_sub(NAMED_CLAIMANTS) {
        0 if shown.len() == 2 => format!("{} and {}", shown[0], shown[1]),
        0 => shown.join(", "),
        more => format!("{} and {more} more", shown.join(", ")),
    };
    format!("{words}: {list}")
}

/// A colour with little hue: the neutral sides' greys (the importers' slate grey #5f6b7a, the
/// press's #7f7f7f).
fn is_grey(c: Color32) -> bool {
    let [r, g, b, _] = c.to_array();
    r.max(g).max(b) - r.min(g).min(b) < 40
}

/// A round length (1, 2 or 5 × 10ⁿ metres) no longer than `max_metres`.
pub fn nice_length(max_metres: f64) -> f64 {
    if max_metres <= 0.0 || !max_metres.is_finite() {
        return 0.0;
    }
    let power = 10f64.powf(max_metres.log10().floor());
    [5.0, 2.0, 1.0]
        .into_iter()
        .map(|m| m * power)
        .find(|l| *l <= max_metres)
        .unwrap_or(power)
}

/// "500 m", "2 km", "1,000 km".
pub fn length_label(metres: f64) -> String {
    if metres >= 1000.0 {
        let km = (metres / 1000.0).round() as u64;
        if km >= 1000 {
            format!("{},{:03} km", km / 1000, km % 1000)
        } else {
            format!("{km} km")
        }
    } else {
        format!("{} m", metres.round() as u64)
    }
}

/// Points per metre at the map's centre: Web Mercator stretches distances by 1/cos(latitude).
pub fn points_per_metre(zoom: f64, lat: f64) -> f64 {
    256.0 * 2f64.powf(zoom) / (EARTH_CIRCUMFERENCE_M * lat.to_radians().cos())
}

/// A scale bar valid at the map's centre latitude; bottom left. Returns its box.
fn scale_bar(painter: &Painter, map: Rect, view: &MapView) -> Rect {
    let centre = view.center();
    let per_metre = points_per_metre(view.zoom(), centre.y());
    let max_points = SCALE_BAR_MAX_POINTS.min(map.width() * 0.25);
    let metres = nice_length(f64::from(max_points) / per_metre);
    let length = (metres * per_metre) as f32;
    let label = text(
        painter,
        format!("{} (at {:.1}° N)", length_label(metres), centre.y()),
        11.0,
        TEXT,
        f32::INFINITY,
    );
    let width = length.max(label.size().x);
    let outer = Rect::from_min_size(
        pos2(
            map.left() + PAD,
            map.bottom() - PAD - label.size().y - 14.0 - 2.0 * PAD,
        ),
        vec2(width, label.size().y + 14.0) + vec2(2.0, 2.0) * PAD,
    );
    boxed(painter, outer);
    let y = outer.top() + PAD + 6.0;
    let x0 = outer.left() + PAD;
    let stroke = Stroke::new(1.6, TEXT);
    painter.line_segment([pos2(x0, y), pos2(x0 + length, y)], stroke);
    for x in [x0, x0 + length / 2.0, x0 + length] {
        let tick = if x == x0 + length / 2.0 { 3.0 } else { 5.0 };
        painter.line_segment([pos2(x, y - tick), pos2(x, y + tick)], stroke);
    }
    painter.galley(pos2(x0, y + 7.0), label, TEXT);
    outer
}

/// The footnote numbers next to the selected incidents' markers.
fn numbers_on_map(painter: &Painter, map: &MapView, scene: &Scene<'_>, facts: &Facts) {
    for note in &facts.footnotes {
        let Some(point) = scene.incident(note.incident).point() else {
            continue;
        };
        let Some(pos) = crate::scene::map_view::screen_position(map, point.x(), point.y()) else {
            continue;
        };
        if !painter.clip_rect().contains(pos) {
            continue;
        }
        let at = pos + vec2(13.0, -13.0);
        painter.circle(
            at,
            8.5,
            Color32::from_gray(20),
            Stroke::new(1.2, Color32::WHITE),
        );
        painter.text(
            at,
            Align2::CENTER_CENTER,
            note.number.to_string(),
            FontId::proportional(11.0),
            Color32::WHITE,
        );
    }
}

/// The quotes of the selected incidents, numbered as on the map, between the title and the scale
/// bar on the left. Returns its box, if there was room for one.
fn claims_inset(
    painter: &Painter,
    map: Rect,
    top: f32,
    bottom: f32,
    facts: &Facts,
) -> Option<Rect> {
    let width = (map.width() * INSET_WIDTH_SHARE).clamp(200.0, 520.0);
    let wrap = width - 2.0 * PAD;
    let mut blocks: Vec<(Arc<Galley>, Option<Color32>)> = Vec::new();
    for note in &facts.footnotes {
        blocks.push((
            text(
                painter,
                format!("[{}] {} ({})", note.number, note.title, note.date),
                12.0,
                TEXT,
                wrap,
            ),
            None,
        ));
        for claim in &note.claims {
            let quote: String = if claim.quote.chars().count() > INSET_QUOTE_CHARS {
                let cut: String = claim.quote.chars().take(INSET_QUOTE_CHARS).collect();
                format!("{}…", cut.trim_end())
            } else {
                claim.quote.clone()
            };
            let mut said = format!("{} ({})", claim.claimant, claim.side);
            if let Some(stated) = &claim.stated {
                said.push_str(&format!(", {stated}"));
            }
            if let Some(source) = &claim.source {
                said.push_str(&format!(", via {source}"));
            }
            blocks.push((
                text(
                    painter,
                    format!("{said}: \u{201c}{quote}\u{201d}"),
                    10.5,
                    TEXT,
                    wrap - 10.0,
                ),
                Some(claim.colour),
            ));
        }
    }
    let available = (bottom - top).max(0.0);
    let mut height = 2.0 * PAD;
    let mut shown = 0;
    for (g, _) in &blocks {
        if height + g.size().y + 4.0 > available {
            break;
        }
        height += g.size().y + 4.0;
        shown += 1;
    }
    if shown == 0 {
        return None;
    }
    let outer = Rect::from_min_size(pos2(map.left() + PAD, top), vec2(width, height));
    boxed(painter, outer);
    let mut y = outer.top() + PAD;
    for (galley, bar) in blocks.into_iter().take(shown) {
        let h = galley.size().y;
        let x = match bar {
            Some(c) => {
                painter.rect_filled(
                    Rect::from_min_size(pos2(outer.left() + PAD, y + 1.0), vec2(3.0, h - 2.0)),
                    0.0,
                    c,
                );
                outer.left() + PAD + 10.0
            }
            None => outer.left() + PAD,
        };
        painter.galley(pos2(x, y), galley, TEXT);
        y += h + 4.0;
    }
    Some(outer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scale_bar_lengths_are_round() {
        assert_eq!(nice_length(140.0), 100.0);
        assert_eq!(nice_length(4_999.0), 2_000.0);
        assert_eq!(nice_length(5_000.0), 5_000.0);
        assert_eq!(nice_length(0.0), 0.0);
        assert_eq!(length_label(500.0), "500 m");
        assert_eq!(length_label(20_000.0), "20 km");
        assert_eq!(length_label(1_000_000.0), "1,000 km");
    }

    #[test]
    fn web_mercator_scale_at_the_equator_and_at_40_degrees() {
        // Zoom 0: the whole equator is 256 points.
        let equator = points_per_metre(0.0, 0.0) * EARTH_CIRCUMFERENCE_M;
        assert!((equator - 256.0).abs() < 1e-9);
        // At 40° N a metre is 1/cos(40°) times longer on the map.
        let ratio = points_per_metre(8.0, 40.0) / points_per_metre(8.0, 0.0);
        assert!((ratio - 1.0 / 40f64.to_radians().cos()).abs() < 1e-9);
    }
}
