//! How long colouring by a field takes the first time it is chosen (classing every incident of
//! the layer), against the same scene coloured by side: `cargo run --release --example
//! styling_time -- ROWS`.

use std::time::Instant;

use claimmap::testing::{DatasetLayer, Scene, SceneSettings, acled_file};
use claimmap::{ColourBy, DateWindow, Day, Gazetteer, Styling, load_bytes};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let rows: usize = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(1_000_000);
    let bytes = acled_file::acled_bytes(rows, 1);
    let layers = vec![DatasetLayer::new(
        load_bytes(&bytes, "acled.csv", Gazetteer::embedded()).expect("loads"),
    )];
    let window = DateWindow {
        from: Day(i32::MIN / 2),
        to: Day(i32::MAX / 2),
    };
    for by in [
        ColourBy::Side,
        ColourBy::Category,
        ColourBy::Claimant,
        ColourBy::Fatalities,
        ColourBy::Column("admin1".into()),
        ColourBy::Column("sub_event_type".into()),
    ] {
        let settings = SceneSettings {
            styling: Styling {
                colour_by: by.clone(),
                ..Styling::default()
            },
            ..SceneSettings::default()
        };
        let start = Instant::now();
        let scene = Scene::new(&layers, &settings, window, Gazetteer::embedded(), None);
        println!(
            "{rows} rows, colour by {:<28} {:>7.0} ms ({} classes)",
            by.label(),
            start.elapsed().as_secs_f64() * 1000.0,
            scene.visible.slots.len()
        );
    }
}
