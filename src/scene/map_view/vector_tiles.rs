//! The built-in style of vector tile basemaps: each tile's areas as one mesh (land, land cover,
//! water), its lines stroked by kind (rivers, rail, roads cased and widened by class, borders,
//! dashed where disputed), clipped to the tile's square so the buffers neighbours share are not
//! painted twice; then the places the tiles name, labelled under the user's naming convention
//! among the gazetteer's labels without overlapping them.

use egui::epaint::{Mesh, Vertex, WHITE_UV};
use egui::{Color32, FontId, Painter, Pos2, Rect, Shape, Stroke, vec2};

use crate::basemap::World;
use crate::gazetteer::{Convention, Naming, fold, romanize_armenian};
use crate::scene::vector_layer::DrawnTile;
use crate::tiles::TileKey;
use crate::tiles::vector::{AreaKind, LineKind, PlaceClass, PlacePoint, RoadClass};

use super::occupied::Occupied;
use super::places_layer;
use super::style;
use super::transform::ScreenTransform;

fn area_colour(kind: AreaKind) -> Color32 {
    match kind {
        AreaKind::Land => style::LAND,
        AreaKind::Water => style::WATER,
        AreaKind::Wood => Color32::from_rgb(0xd5, 0xe3, 0xc5),
        AreaKind::Grass => Color32::from_rgb(0xe0, 0xea, 0xcf),
        AreaKind::Farmland => Color32::from_rgb(0xee, 0xea, 0xd8),
        AreaKind::Urban => Color32::from_rgb(0xe9, 0xe3, 0xda),
        AreaKind::Bare => Color32::from_rgb(0xec, 0xe4, 0xd2),
        AreaKind::Ice => Color32::from_rgb(0xf5, 0xf8, 0xfa),
    }
}

/// Road colours: quiet warm tones, so incident markers stay the loudest thing on the map.
pub fn road_colour(class: RoadClass) -> Color32 {
    match class {
        RoadClass::Motorway => Color32::from_rgb(0xe9, 0xa9, 0x6b),
        RoadClass::Trunk => Color32::from_rgb(0xf0, 0xbf, 0x80),
        RoadClass::Primary => Color32::from_rgb(0xf6, 0xd5, 0x96),
        RoadClass::Secondary | RoadClass::Tertiary | RoadClass::Minor => Color32::WHITE,
        RoadClass::Path => Color32::from_rgb(0xc4, 0xb8, 0xa6),
    }
}

const ROAD_CASING: Color32 = Color32::from_rgb(0xc9, 0xbf, 0xb1);
const RAIL: Color32 = Color32::from_rgb(0xa8, 0xa1, 0x99);

/// A road's width in points at a tile zoom: the class's, widening as the map zooms in.
fn road_width(class: RoadClass, tile_zoom: u8) -> f32 {
    let base = match class {
        RoadClass::Motorway => 2.4,
        RoadClass::Trunk => 2.2,
        RoadClass::Primary => 2.0,
        RoadClass::Secondary => 1.7,
        RoadClass::Tertiary => 1.4,
        RoadClass::Minor => 1.0,
        RoadClass::Path => 0.7,
    };
    base * (2f32.powf((f32::from(tile_zoom) - 11.0) / 3.0)).clamp(0.6, 2.5)
}

/// The world square of a tile.
fn tile_world(key: TileKey) -> (World, f64) {
    let size = 1.0 / (1u64 << key.zoom) as f64;
    (
        World {
            x: f64::from(key.x) * size,
            y: f64::from(key.y) * size,
        },
        size,
    )
}

/// Maps a tile's 0..1 coordinates to the screen.
struct TileToScreen {
    origin: Pos2,
    scale: f32,
}

impl TileToScreen {
    fn new(key: TileKey, transform: &ScreenTransform) -> TileToScreen {
        let (corner, size) = tile_world(key);
        TileToScreen {
            origin: transform.to_screen(corner),
            scale: (size * transform.scale()) as f32,
        }
    }

    fn at(&self, [x, y]: [f32; 2]) -> Pos2 {
        self.origin + vec2(x, y) * self.scale
    }

    fn square(&self) -> Rect {
        Rect::from_min_size(self.origin, vec2(self.scale, self.scale))
    }
}

/// Paints the tiles' areas and lines, each tile clipped to its square within `rect`. Returns
/// the places they name, with their screen positions, for [`paint_labels`].
pub fn paint(
    painter: &Painter,
    tiles: &[DrawnTile],
    transform: &ScreenTransform,
    rect: Rect,
    tile_zoom: u8,
) -> Vec<(Pos2, PlacePoint)> {
    let mut places = Vec::new();
    // Coarser stand-ins first, so the finer tiles drawn over them win.
    let mut order: Vec<&DrawnTile> = tiles.iter().collect();
    order.sort_by_key(|t| t.key.zoom);
    for drawn in order {
        let to_screen = TileToScreen::new(drawn.key, transform);
        let clip = to_screen.square().intersect(rect);
        if !clip.is_positive() {
            continue;
        }
        let mut shapes = Vec::new();
        let mut mesh = Mesh::default();
        for (kind, area) in &drawn.tile.areas {
            let colour = area_colour(*kind);
            let base = mesh.vertices.len() as u32;
            mesh.vertices.extend(area.vertices.iter().map(|v| Vertex {
                pos: to_screen.at(*v),
                uv: WHITE_UV,
                color: colour,
            }));
            mesh.indices.extend(area.triangles.iter().map(|i| base + i));
        }
        if !mesh.is_empty() {
            shapes.push(Shape::mesh(mesh));
        }
        let points =
            |l: &crate::tiles::vector::Line| l.points.iter().map(|p| to_screen.at(*p)).collect();
        // Casings of all roads first, so a junction's fill is not cut by its neighbour's casing.
        for line in &drawn.tile.lines {
            if let LineKind::Road(class) = line.kind
                && class >= RoadClass::Minor
            {
                let width = road_width(class, drawn.key.zoom.max(tile_zoom)) + 1.2;
                shapes.push(Shape::line(points(line), Stroke::new(width, ROAD_CASING)));
            }
        }
        for line in &drawn.tile.lines {
            let zoom = drawn.key.zoom.max(tile_zoom);
            match line.kind {
                LineKind::Waterway => {
                    shapes.push(Shape::line(points(line), Stroke::new(1.2, style::RIVER)));
                }
                LineKind::Rail => {
                    shapes.push(Shape::line(points(line), Stroke::new(1.0, RAIL)));
                }
                LineKind::Road(class) => shapes.push(Shape::line(
                    points(line),
                    Stroke::new(road_width(class, zoom), road_colour(class)),
                )),
                LineKind::Boundary { country, disputed } => {
                    let stroke = if country {
                        Stroke::new(1.4, style::COUNTRY_BORDER)
                    } else {
                        Stroke::new(0.9, style::DISTRICT_BORDER)
                    };
                    let pts: Vec<Pos2> = points(line);
                    if disputed || !country {
                        shapes.extend(Shape::dashed_line(&pts, stroke, 6.0, 4.0));
                    } else {
                        shapes.push(Shape::line(pts, stroke));
                    }
                }
            }
        }
        painter.with_clip_rect(clip).extend(shapes);
        places.extend(
            drawn
                .tile
                .places
                .iter()
                .filter(|p| p.min_zoom.is_none_or(|z| z <= f32::from(tile_zoom) + 1.0))
                .map(|p| (to_screen.at(p.at), p.clone())),
        );
    }
    places
}

/// A place's name under one convention, when the tile has it (Armenian in Latin letters is
/// romanized from the Armenian when the tile has no `name:hy-Latn`).
fn name_under(place: &PlacePoint, convention: Convention) -> Option<String> {
    match convention {
        Convention::ArmenianLatin => place
            .name_in("hy-Latn")
            .map(str::to_owned)
            .or_else(|| place.name_in("hy").map(romanize_armenian)),
        c => place.name_in(c.code()).map(str::to_owned),
    }
}

/// The label under a naming, as the gazetteer's places are labelled: a convention's name, or the
/// English one, or the local `name`; two conventions side by side unless they agree.
pub fn label(place: &PlacePoint, naming: Naming) -> Option<String> {
    let single = |c: Convention| {
        name_under(place, c)
            .or_else(|| place.name_in("en").map(str::to_owned))
            .or_else(|| place.name.as_deref().map(str::to_owned))
            .or_else(|| place.names.first().map(|(_, n)| n.to_string()))
    };
    match naming {
        Naming::Single(c) => single(c),
        Naming::Dual(a, b) => {
            let (first, second) = (single(a)?, single(b)?);
            Some(if fold(&first) == fold(&second) {
                first
            } else {
                format!("{first} / {second}")
            })
        }
    }
}

/// Labels the tiles' places, most important first, where they overlap nothing already placed
/// (`occupied`: markers and the gazetteer's labels, which are placed first); a place the
/// gazetteer has already dotted is not labelled twice. Returns the labels placed.
pub fn paint_labels(
    painter: &Painter,
    places: &[(Pos2, PlacePoint)],
    naming: Naming,
    rect: Rect,
    occupied: &mut Occupied,
    out: &mut Vec<Shape>,
) -> Vec<String> {
    let mut order: Vec<&(Pos2, PlacePoint)> =
        places.iter().filter(|(p, _)| rect.contains(*p)).collect();
    order.sort_by(|(_, a), (_, b)| a.class.cmp(&b.class).then(b.population.cmp(&a.population)));
    let mut placed = Vec::new();
    for (pos, place) in order {
        if placed.len() >= style::MAX_PLACE_LABELS {
            break;
        }
        let Some(text) = label(place, naming) else {
            continue;
        };
        let area = matches!(place.class, PlaceClass::Country | PlaceClass::Region);
        let dot = Rect::from_center_size(*pos, vec2(5.0, 5.0));
        if !area && occupied.overlaps(dot) {
            continue;
        }
        let (text, font, colour) = match place.class {
            PlaceClass::Country => (
                text.to_uppercase(),
                FontId::proportional(13.0),
                style::DISTRICT_LABEL,
            ),
            PlaceClass::Region => (
                text.to_uppercase(),
                FontId::proportional(11.0),
                style::DISTRICT_LABEL,
            ),
            PlaceClass::City => (text, FontId::proportional(13.5), style::LABEL),
            _ => (text, FontId::proportional(12.0), style::LABEL),
        };
        if places_layer::try_label(
            painter,
            rect,
            occupied,
            *pos,
            text.clone(),
            font,
            colour,
            !area,
            out,
        ) {
            if !area {
                out.push(Shape::circle_filled(*pos, 2.5, style::PLACE_DOT));
                occupied.push(dot);
            }
            placed.push(text);
        }
    }
    placed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(names: &[(&str, &str)], name: Option<&str>) -> PlacePoint {
        PlacePoint {
            at: [0.5, 0.5],
            class: PlaceClass::Town,
            name: name.map(Into::into),
            names: names
                .iter()
                .map(|(l, n)| ((*l).into(), (*n).into()))
                .collect(),
            population: 0,
            min_zoom: None,
        }
    }

    #[test]
    fn labels_follow_the_naming() {
        let p = place(
            &[("en", "Lachin"), ("az", "Laçın"), ("hy", "Բերձոր")],
            Some("Laçın"),
        );
        let single = |c| label(&p, Naming::Single(c)).expect("a label");
        assert_eq!(single(Convention::English), "Lachin");
        assert_eq!(single(Convention::Azerbaijani), "Laçın");
        assert_eq!(single(Convention::Armenian), "Բերձոր");
        assert_eq!(single(Convention::ArmenianLatin), "Berdzor");
        // No Russian name: the English one.
        assert_eq!(single(Convention::Russian), "Lachin");
        assert_eq!(
            label(
                &p,
                Naming::Dual(Convention::Azerbaijani, Convention::ArmenianLatin)
            )
            .as_deref(),
            Some("Laçın / Berdzor")
        );
        // Only a local name: that, under any naming.
        let bare = place(&[], Some("Vancouver"));
        assert_eq!(
            label(&bare, Naming::Single(Convention::Armenian)).as_deref(),
            Some("Vancouver")
        );
    }
}
