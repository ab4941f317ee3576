//! What a marker's colour and size say, when not its sides: the user picks a field, each incident
//! falls in one class of it, and the classes take colours — the most common first, or in order
//! for a count — that the map, its clusters, the window's legend and the figures' share.
//!
//! Classing a layer reads every incident once and is kept per (layer, field) by
//! [`super::derived`]; joining the layers' classes into the legend's slots reads only the classes.

use egui::Color32;
use serde::{Deserialize, Serialize};

use crate::fxhash::FxMap;
use crate::model::{Dataset, Incident};

mod column;

pub use column::ColumnClassing;
use column::NamedClasses;

/// The field markers are coloured by.
#[derive(Clone, PartialEq, Eq, Hash, Debug, Serialize, Deserialize, Default)]
pub enum ColourBy {
    /// The sides of the parties quoted (split when two disagree): claimmap's own view.
    #[default]
    Side,
    Category,
    /// The first claim's claimant: for ACLED and UCDP rows, the outlet that reported it.
    Claimant,
    /// The most killed any claim reports, in classes of a count.
    Fatalities,
    /// Which dataset (layer) the incident comes from.
    Layer,
    /// Any column of an imported table (or member of a GeoJSON feature's properties).
    Column(String),
}

impl ColourBy {
    /// The fields every dataset has, in the order menus offer them.
    pub const BUILT_IN: [ColourBy; 5] = [
        ColourBy::Side,
        ColourBy::Category,
        ColourBy::Claimant,
        ColourBy::Fatalities,
        ColourBy::Layer,
    ];

    /// How menus and legends name the field.
    pub fn label(&self) -> String {
        match self {
            ColourBy::Side => "Side".into(),
            ColourBy::Category => "Category".into(),
            ColourBy::Claimant => "Source (claimant)".into(),
            ColourBy::Fatalities => "Fatalities".into(),
            ColourBy::Layer => "Dataset".into(),
            ColourBy::Column(name) => format!("Column “{name}”"),
        }
    }

    /// As `--colour-by` takes it.
    pub fn arg(&self) -> String {
        match self {
            ColourBy::Side => "side".into(),
            ColourBy::Category => "category".into(),
            ColourBy::Claimant => "claimant".into(),
            ColourBy::Fatalities => "fatalities".into(),
            ColourBy::Layer => "dataset".into(),
            ColourBy::Column(name) => format!("column:{name}"),
        }
    }

    pub fn parse_arg(text: &str) -> Result<ColourBy, String> {
        if let Some(name) = text.strip_prefix("column:") {
            return if name.is_empty() {
                Err("column: needs a column name, as in column:event_type".into())
            } else {
                Ok(ColourBy::Column(name.to_owned()))
            };
        }
        match text {
            "side" => Ok(ColourBy::Side),
            "category" => Ok(ColourBy::Category),
            "claimant" | "source" => Ok(ColourBy::Claimant),
            "fatalities" => Ok(ColourBy::Fatalities),
            "dataset" | "layer" => Ok(ColourBy::Layer),
            _ => Err(format!(
                "unknown field \"{text}\": expected side, category, claimant, fatalities, dataset or column:NAME"
            )),
        }
    }
}

/// How the visible incidents are drawn: one by one, or as a density when they are too many to
/// tell apart.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug, Serialize, Deserialize, Default)]
pub enum DensityView {
    /// A marker each, grouped into numbered discs when more than a thousand are in view.
    #[default]
    Markers,
    /// A smoothed density surface (a kernel a few millimetres wide on screen).
    Heat,
    /// Counts in hexagons of a fixed size on screen.
    Hexagons,
}

impl DensityView {
    pub const ALL: [DensityView; 3] = [
        DensityView::Markers,
        DensityView::Heat,
        DensityView::Hexagons,
    ];

    pub fn label(self) -> &'static str {
        match self {
            DensityView::Markers => "Markers",
            DensityView::Heat => "Heat map",
            DensityView::Hexagons => "Hexagons",
        }
    }

    /// As `--density` takes it.
    pub fn arg(self) -> &'static str {
        match self {
            DensityView::Markers => "markers",
            DensityView::Heat => "heat",
            DensityView::Hexagons => "hexagons",
        }
    }

    pub fn parse_arg(text: &str) -> Result<DensityView, String> {
        DensityView::ALL
            .into_iter()
            .find(|d| d.arg() == text)
            .ok_or_else(|| format!("unknown view \"{text}\": expected markers, heat or hexagons"))
    }
}

/// The user's choice of what markers say.
#[derive(Clone, PartialEq, Eq, Hash, Debug, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Styling {
    pub colour_by: ColourBy,
    /// Markers grow with the fatalities their claims report.
    pub size_by_fatalities: bool,
    pub density: DensityView,
}

/// The most killed any of the incident's claims reports.
pub fn fatalities(incident: &Incident) -> Option<u32> {
    incident
        .claims
        .iter()
        .filter_map(|c| c.losses.as_ref()?.killed)
        .max()
}

/// A marker's radius over the plain one's, for `killed` fatalities: area grows with the count's
/// square root so a hundred dead do not cover a district, capped at three times the radius.
pub fn size_factor(killed: Option<u32>) -> f32 {
    let k = killed.unwrap_or(0) as f32;
    (1.0 + k.sqrt() * 0.22).min(3.0)
}

/// Counts are put in these classes (upper bounds, included); one more class holds the rest.
const COUNT_BOUNDS: [f64; 7] = [0.0, 1.0, 5.0, 10.0, 50.0, 100.0, 500.0];
const COUNT_LABELS: [&str; 8] = [
    "0",
    "1",
    "2–5",
    "6–10",
    "11–50",
    "51–100",
    "101–500",
    "over 500",
];
/// What a field holds nothing for is a class of its own, in grey: absence is shown, not hidden.
pub const NOT_GIVEN: &str = "not given";
/// Values past the palette's length share one grey class.
pub const OTHER_VALUES: &str = "other values";
/// The class of a layer's incidents while the window reads the values they are coloured by.
pub const NOT_CLASSED_YET: &str = "not classed yet, reading the values…";
/// Colours a categorical field can use before "other values" (Paul Tol's "muted" scheme: told
/// apart by most colour-blind readers and in print).
const CATEGORICAL: [Color32; 9] = [
    Color32::from_rgb(0x33, 0x22, 0x88),
    Color32::from_rgb(0xcc, 0x66, 0x77),
    Color32::from_rgb(0x11, 0x77, 0x33),
    Color32::from_rgb(0xdd, 0xcc, 0x77),
    Color32::from_rgb(0x88, 0xcc, 0xee),
    Color32::from_rgb(0x88, 0x22, 0x55),
    Color32::from_rgb(0x44, 0xaa, 0x99),
    Color32::from_rgb(0x99, 0x99, 0x33),
    Color32::from_rgb(0xaa, 0x44, 0x99),
];
/// Counts, light to dark (ColorBrewer YlOrRd without its palest step, which vanishes on land).
const SEQUENTIAL: [Color32; 8] = [
    Color32::from_rgb(0xff, 0xed, 0xa0),
    Color32::from_rgb(0xfe, 0xd9, 0x76),
    Color32::from_rgb(0xfe, 0xb2, 0x4c),
    Color32::from_rgb(0xfd, 0x8d, 0x3c),
    Color32::from_rgb(0xfc, 0x4e, 0x2a),
    Color32::from_rgb(0xe3, 0x1a, 0x1c),
    Color32::from_rgb(0xbd, 0x00, 0x26),
    Color32::from_rgb(0x80, 0x00, 0x26),
];
const GREY: Color32 = Color32::from_rgb(0xa0, 0xa0, 0xa0);
const PALE_GREY: Color32 = Color32::from_rgb(0xdd, 0xdd, 0xdd);
/// Markers whose class is not known yet: blank discs, in their outline, unlike any class.
const NOT_YET_WHITE: Color32 = Color32::from_rgb(0xfa, 0xfa, 0xfa);
/// A column with more distinct values than this is classed by its most common ones and
/// "other values": a notes column must not make a class per row.
const MAX_DISTINCT: usize = 4096;

/// The classes of one layer's incidents for one field.
#[derive(Debug, PartialEq)]
pub struct LayerClasses {
    /// Per incident, its class: an index into `labels`.
    of: Vec<u16>,
    pub labels: Vec<Box<str>>,
    /// Incidents per class, over the whole layer.
    pub counts: Vec<u32>,
    /// Classes of a count, in their order (and coloured light to dark), not by frequency.
    pub ordered: bool,
}

impl LayerClasses {
    pub fn of(&self, index: usize) -> usize {
        self.of.get(index).map_or(0, |&c| usize::from(c))
    }

    /// The `len` incidents of a layer whose values are still being read, in one class that
    /// says so.
    pub fn not_yet(len: usize) -> LayerClasses {
        LayerClasses {
            of: Vec::new(),
            labels: vec![NOT_CLASSED_YET.into()],
            counts: vec![len as u32],
            ordered: false,
        }
    }
}

/// Classes `dataset`'s incidents by `by`; `layer_name` names the class of [`ColourBy::Layer`].
pub fn classify(dataset: &Dataset, by: &ColourBy, layer_name: &str) -> LayerClasses {
    let incidents = dataset.incidents();
    match by {
        ColourBy::Fatalities => counted(incidents.iter().map(|i| fatalities(i).map(f64::from))),
        ColourBy::Column(name) => {
            let mut classing = ColumnClassing::new(dataset, name);
            classing.read(dataset, incidents.len());
            classing.finish()
        }
        ColourBy::Side | ColourBy::Category | ColourBy::Claimant | ColourBy::Layer => {
            named(incidents.iter().map(|i| {
                match by {
                    ColourBy::Category => Some(i.category.label().to_owned()),
                    ColourBy::Claimant => i
                        .claims
                        .first()
                        .map(|c| dataset.claimant(c.claimant).name.to_string()),
                    ColourBy::Layer => Some(layer_name.to_owned()),
                    _ => dataset
                        .party_sides(i)
                        .first()
                        .map(|s| dataset.side(*s).name.to_string()),
                }
            }))
        }
    }
}

/// The names of the columns (or property members) a dataset's incidents carry, from the first
/// thousand: what "colour by" can offer beyond the built-in fields.
pub fn column_names(dataset: &Dataset) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for incident in dataset.incidents().iter().take(1000) {
        for key in incident.extra.to_map().keys() {
            if !names.contains(key) {
                names.push(key.clone());
            }
        }
    }
    names
}

/// Classes of a count: the count classes, then "not given".
fn counted(values: impl Iterator<Item = Option<f64>>) -> LayerClasses {
    in_count_classes(values.map(|v| v.map_or(COUNT_LABELS.len(), count_class)))
}

/// The class of count `n` among [`COUNT_LABELS`].
fn count_class(n: f64) -> usize {
    COUNT_BOUNDS
        .iter()
        .position(|&bound| n <= bound)
        .unwrap_or(COUNT_BOUNDS.len())
}

/// Incidents in the count classes, each given its class (`COUNT_LABELS.len()`: "not given").
fn in_count_classes(classes: impl Iterator<Item = usize>) -> LayerClasses {
    let mut labels: Vec<Box<str>> = COUNT_LABELS.iter().map(|&l| l.into()).collect();
    labels.push(NOT_GIVEN.into());
    let mut counts = vec![0u32; labels.len()];
    let of = classes
        .map(|class| {
            counts[class] += 1;
            class as u16
        })
        .collect();
    LayerClasses {
        of,
        labels,
        counts,
        ordered: true,
    }
}

/// Classes of named values, in the order first met; past [`MAX_DISTINCT`] the rest share one.
fn named(values: impl Iterator<Item = Option<String>>) -> LayerClasses {
    let mut classes = NamedClasses::default();
    let of = values
        .map(|v| classes.count(v.as_deref().unwrap_or(NOT_GIVEN)))
        .collect();
    classes.finish(of)
}

/// The colour of a count's class: what a hexagon of `n` incidents is filled with, and what a
/// field's count classes are coloured by.
pub fn count_colour(n: f64) -> Color32 {
    SEQUENTIAL[count_class(n).min(SEQUENTIAL.len() - 1)]
}

/// The count classes from the one holding `low` to the one holding `high`, as a legend lists
/// them: (label, colour).
pub fn count_classes(low: f64, high: f64) -> Vec<(&'static str, Color32)> {
    (count_class(low)..=count_class(high))
        .map(|c| (COUNT_LABELS[c], SEQUENTIAL[c.min(SEQUENTIAL.len() - 1)]))
        .collect()
}

/// The count palette as a continuous ramp, for `t` from 0 (lightest) to 1 (darkest).
pub fn sequential_ramp(t: f32) -> Color32 {
    let at = t.clamp(0.0, 1.0) * (SEQUENTIAL.len() - 1) as f32;
    let (low, share) = (at.floor() as usize, at.fract());
    let high = (low + 1).min(SEQUENTIAL.len() - 1);
    let mix = |a: u8, b: u8| (f32::from(a) + (f32::from(b) - f32::from(a)) * share).round() as u8;
    let (a, b) = (SEQUENTIAL[low], SEQUENTIAL[high]);
    Color32::from_rgb(mix(a.r(), b.r()), mix(a.g(), b.g()), mix(a.b(), b.b()))
}

/// A colour class of the legend, joined across layers by its name.
#[derive(Clone, PartialEq, Debug)]
pub struct ClassSlot {
    pub name: Box<str>,
    pub colour: Color32,
}

/// The legend's classes for the shown layers' classes, and per layer the slot of each of its
/// classes. Named values: the most common (over the shown layers) take the palette's colours in
/// turn, the rest share "other values"; "not given" is pale grey. Counts keep their order.
pub fn join(layers: &[&LayerClasses]) -> (Vec<ClassSlot>, Vec<Vec<u32>>) {
    // A layer not classed yet says nothing of the others' kind of classes.
    let ordered = layers
        .iter()
        .find(|l| *l.labels != [NOT_CLASSED_YET.into()])
        .is_some_and(|l| l.ordered);
    let mut totals: Vec<(Box<str>, u64)> = Vec::new();
    let mut at: FxMap<&str, usize> = FxMap::default();
    for layer in layers {
        for (label, &count) in layer.labels.iter().zip(&layer.counts) {
            let n = *at.entry(label).or_insert_with(|| {
                totals.push((label.clone(), 0));
                totals.len() - 1
            });
            totals[n].1 += u64::from(count);
        }
    }
    let slots: Vec<ClassSlot> = if ordered {
        totals
            .iter()
            .map(|(name, _)| ClassSlot {
                name: name.clone(),
                colour: match COUNT_LABELS.iter().position(|l| **l == **name) {
                    Some(n) => SEQUENTIAL[n.min(SEQUENTIAL.len() - 1)],
                    None if **name == *NOT_CLASSED_YET => NOT_YET_WHITE,
                    None => PALE_GREY,
                },
            })
            .collect()
    } else {
        let mut ranked: Vec<&(Box<str>, u64)> = totals
            .iter()
            .filter(|(name, _)| ![NOT_GIVEN, OTHER_VALUES, NOT_CLASSED_YET].contains(&&**name))
            .collect();
        // Most common first; a tie by name, so the colours do not depend on the layers' order.
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let mut slots: Vec<ClassSlot> = ranked
            .iter()
            .take(CATEGORICAL.len())
            .zip(CATEGORICAL)
            .map(|((name, _), colour)| ClassSlot {
                name: name.clone(),
                colour,
            })
            .collect();
        if ranked.len() > CATEGORICAL.len() || totals.iter().any(|(n, _)| **n == *OTHER_VALUES) {
            slots.push(ClassSlot {
                name: OTHER_VALUES.into(),
                colour: GREY,
            });
        }
        for (name, colour) in [(NOT_GIVEN, PALE_GREY), (NOT_CLASSED_YET, NOT_YET_WHITE)] {
            if totals.iter().any(|(n, _)| **n == *name) {
                slots.push(ClassSlot {
                    name: name.into(),
                    colour,
                });
            }
        }
        slots
    };
    let slot_of = |label: &str| -> u32 {
        let found = slots
            .iter()
            .position(|s| *s.name == *label)
            .or_else(|| slots.iter().position(|s| *s.name == *OTHER_VALUES))
            .unwrap_or(0);
        found as u32
    };
    let maps = layers
        .iter()
        .map(|layer| layer.labels.iter().map(|l| slot_of(l)).collect())
        .collect();
    (slots, maps)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_round_trip() {
        for by in ColourBy::BUILT_IN
            .into_iter()
            .chain([ColourBy::Column("event_type".into())])
        {
            assert_eq!(ColourBy::parse_arg(&by.arg()), Ok(by));
        }
        for d in DensityView::ALL {
            assert_eq!(DensityView::parse_arg(d.arg()), Ok(d));
        }
        assert!(ColourBy::parse_arg("column:").is_err());
        assert!(ColourBy::parse_arg("colour").is_err());
    }

    #[test]
    fn counts_fall_in_their_classes_and_missing_ones_are_not_given() {
        let classes = counted([Some(0.0), Some(1.0), Some(3.0), Some(700.0), None].into_iter());
        let names: Vec<&str> = (0..5).map(|i| &*classes.labels[classes.of(i)]).collect();
        assert_eq!(names, ["0", "1", "2–5", "over 500", NOT_GIVEN]);
    }

    #[test]
    fn the_most_common_values_take_the_colours_and_the_rest_share_one() {
        let values: Vec<Option<String>> = (0..12)
            .flat_map(|v| std::iter::repeat_n(Some(format!("v{v}")), 20 - v))
            .chain([None])
            .collect();
        let classes = named(values.into_iter());
        let (slots, maps) = join(&[&classes]);
        assert_eq!(slots.len(), CATEGORICAL.len() + 2);
        assert_eq!(&*slots[0].name, "v0", "the most common first");
        assert_eq!(slots[0].colour, CATEGORICAL[0]);
        let v11 = classes
            .labels
            .iter()
            .position(|l| &**l == "v11")
            .expect("present");
        assert_eq!(&*slots[maps[0][v11] as usize].name, OTHER_VALUES);
        assert_eq!(&*slots.last().expect("present").name, NOT_GIVEN);
    }

    #[test]
    fn layers_join_by_name_and_keep_one_colour_per_value() {
        let a = named(["x", "y", "y"].map(|s| Some(s.to_owned())).into_iter());
        let b = named(["y", "z"].map(|s| Some(s.to_owned())).into_iter());
        let (slots, maps) = join(&[&a, &b]);
        let y_in_a = maps[0][a.labels.iter().position(|l| &**l == "y").expect("present")];
        let y_in_b = maps[1][b.labels.iter().position(|l| &**l == "y").expect("present")];
        assert_eq!(y_in_a, y_in_b);
        assert_eq!(&*slots[y_in_a as usize].name, "y");
        assert_eq!(slots.len(), 3);
    }

    #[test]
    fn size_grows_with_the_dead_and_stops_at_three_times() {
        assert_eq!(size_factor(None), 1.0);
        assert!(size_factor(Some(4)) > size_factor(Some(1)));
        assert_eq!(size_factor(Some(1_000_000)), 3.0);
    }
}
