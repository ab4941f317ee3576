//! The map's colours and sizes, in one place so the window and exports agree.

use egui::Color32;

/// The seas, the Caspian and everything beyond the land polygons.
pub const WATER: Color32 = Color32::from_rgb(0xb7, 0xd3, 0xe9);
pub const LAND: Color32 = Color32::from_rgb(0xf2, 0xee, 0xe4);
pub const LAKE: Color32 = WATER;
pub const RIVER: Color32 = Color32::from_rgb(0x6f, 0xa3, 0xcf);
pub const COUNTRY_BORDER: Color32 = Color32::from_rgb(0x55, 0x50, 0x4a);
/// Borders far from the Caucasus: there to orient, so quieter than the detailed ones.
pub const WORLD_BORDER: Color32 = Color32::from_rgb(0x9a, 0x92, 0x88);
pub const DISTRICT_BORDER: Color32 = Color32::from_rgb(0xa3, 0x98, 0x8a);
pub const CEASEFIRE_1994: Color32 = Color32::from_rgb(0xb0, 0x30, 0x30);
pub const NKAO_1991: Color32 = Color32::from_rgb(0x7a, 0x3f, 0xa0);
pub const LABEL: Color32 = Color32::from_rgb(0x2b, 0x2b, 0x2b);
pub const DISTRICT_LABEL: Color32 = Color32::from_rgb(0x7d, 0x6f, 0x60);
pub const LABEL_HALO: Color32 = Color32::from_rgba_premultiplied(0xf2, 0xee, 0xe4, 0xd0);
pub const PLACE_DOT: Color32 = Color32::from_rgb(0x40, 0x40, 0x40);
pub const MARKER_OUTLINE: Color32 = Color32::from_rgb(0x20, 0x20, 0x20);
/// An area an imprecise incident is located to, while none of its incidents is focused: a faint
/// neutral wash, the same however many incidents share it, so a hundred of them make no haze.
pub const AREA: Color32 = Color32::from_rgba_premultiplied(0x10, 0x0e, 0x0c, 0x12);
/// The tab counting the markers stacked on one spot.
pub const STACK_COUNT: Color32 = Color32::from_rgb(0x30, 0x30, 0x38);
pub const SELECTED_RING: Color32 = Color32::WHITE;

/// Marker radius in points: big enough to click, small enough to keep neighbours apart.
pub const MARKER_RADIUS: f32 = 7.0;
/// How far from a marker's edge a click or hover still counts.
pub const HIT_SLOP: f32 = 3.0;
pub const ARROW_WIDTH: f32 = 2.0;
/// Arrow head length in points.
pub const ARROW_HEAD: f32 = 9.0;
/// Labels beyond this many per frame are noise, whatever the zoom.
pub const MAX_PLACE_LABELS: usize = 160;
