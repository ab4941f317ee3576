//! How the side panels share the window with the map: together they never take more than half
//! the width, so the map keeps at least half of any window. Where both do not fit at a usable
//! width, one is shown — the one the user turned to last — and the other folds away behind its
//! toggle in the menu bar, its setting kept for when the window grows again.

/// The map keeps at least this share of the window's width.
const MAP_SHARE: f32 = 0.5;
/// Below these widths a panel's content (layer rows, quoted claims) wraps into nonsense; two
/// panels that cannot both have them make way for one.
const LAYERS_MIN: f32 = 220.0;
const CLAIMS_MIN: f32 = 260.0;
/// Wider than this, a panel only pushes the map aside: the layers panel's rows and the claims
/// panel's quotes read well within these.
const LAYERS_MAX: f32 = 340.0;
const CLAIMS_MAX: f32 = 520.0;
/// The layers panel's share of the room when both are shown.
const LAYERS_SHARE: f32 = 0.45;

#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum Side {
    Layers,
    Claims,
}

/// The panels a frame shows: each one's widest size, or `None` when it is folded away.
#[derive(Copy, Clone, PartialEq, Debug)]
pub struct PanelLayout {
    pub layers: Option<f32>,
    pub claims: Option<f32>,
}

/// The panels for a window `width` points wide, given which ones the user wants and which they
/// turned to last.
pub fn layout(width: f32, want_layers: bool, want_claims: bool, last: Side) -> PanelLayout {
    let room = (width * (1.0 - MAP_SHARE)).floor().max(0.0);
    let both = want_layers && want_claims && room >= LAYERS_MIN + CLAIMS_MIN;
    let layout = if both {
        let layers = (room * LAYERS_SHARE).clamp(LAYERS_MIN, LAYERS_MAX);
        PanelLayout {
            layers: Some(layers),
            claims: Some((room - layers).min(CLAIMS_MAX)),
        }
    } else {
        let show = match (want_layers, want_claims) {
            (true, true) => Some(last),
            (true, false) => Some(Side::Layers),
            (false, true) => Some(Side::Claims),
            (false, false) => None,
        };
        PanelLayout {
            layers: (show == Some(Side::Layers)).then(|| room.min(LAYERS_MAX)),
            claims: (show == Some(Side::Claims)).then(|| room.min(CLAIMS_MAX)),
        }
    };
    debug_assert!(layout.layers.unwrap_or(0.0) + layout.claims.unwrap_or(0.0) <= room + 0.5);
    layout
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_map_keeps_half_the_width_at_any_size() {
        for width in [400.0, 640.0, 800.0, 900.0, 1024.0, 1280.0, 1600.0, 2560.0] {
            for last in [Side::Layers, Side::Claims] {
                for (l, c) in [(true, true), (true, false), (false, true), (false, false)] {
                    let p = layout(width, l, c, last);
                    let panels = p.layers.unwrap_or(0.0) + p.claims.unwrap_or(0.0);
                    assert!(panels <= width / 2.0, "{width}: {p:?}");
                    assert_eq!(p.layers.is_some() || p.claims.is_some(), l || c);
                }
            }
        }
    }

    #[test]
    fn both_panels_where_they_fit_else_the_last_one_turned_to() {
        let wide = layout(1600.0, true, true, Side::Layers);
        assert!(wide.layers.is_some() && wide.claims.is_some());
        let narrow = layout(800.0, true, true, Side::Layers);
        assert_eq!(narrow.claims, None);
        assert_eq!(narrow.layers, Some(340.0));
        let narrow = layout(800.0, true, true, Side::Claims);
        assert_eq!(narrow.layers, None);
        assert_eq!(narrow.claims, Some(400.0));
    }
}
