//! Imprecise and stacked incidents in the window, headless (egui_kittest: no display, no GPU, no
//! network): incidents located only to a district shade their area once, however many share it,
//! and the markers on one spot carry their count.

mod common;

use common::window;

use std::fmt::Write as _;

use claimmap::Gazetteer;
use claimmap::ViewerApp;
use claimmap::load_path;
use claimmap::testing::AreaKey;
use claimmap::testing::BasemapChoice;
use claimmap::testing::View;
use egui_kittest::Harness;

const HEADER: &str = "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,tags,timestamp";

/// An ACLED export: `district` rows located only to Yerevan's district (geo_precision 3), all on
/// one point as ACLED gives them, and `exact` rows at exactly located villages nearby.
fn acled(district: usize, exact: usize) -> String {
    let mut text = format!("{HEADER}\n");
    let row = |text: &mut String, n: usize, lat: f64, lon: f64, precision: u8| {
        writeln!(
            text,
            "ARM{n},{} May 2021,2021,1,Political violence,Protests,Peaceful protest,Protesters (Armenia),,Protesters,,,,Protesters only,,51,Caucasus and Central Asia,Armenia,Yerevan,,,Yerevan,{lat},{lon},{precision},News.am,National,\"A protest in Yerevan.\",0,,1622505600",
            1 + n % 28
        )
        .expect("write");
    };
    for n in 0..district {
        row(&mut text, n, 40.1811, 44.5136, 3);
    }
    for n in 0..exact {
        row(&mut text, district + n, 40.05 + 0.02 * n as f64, 44.3, 1);
    }
    text
}

fn harness(csv: &str) -> Harness<'static, ViewerApp> {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("acled-yerevan.csv");
    std::fs::write(&path, csv).expect("write the export");
    let loaded = load_path(&path, Gazetteer::embedded()).expect("loads");
    let (from, to) = claimmap::extent(&[&loaded.dataset]).expect("incidents");
    let mut app = ViewerApp::from_loaded(
        vec![loaded],
        Vec::new(),
        window::offline(BasemapChoice::VectorOnly),
    );
    app.set_window(claimmap::DateWindow { from, to });
    app.set_view(View {
        lat: 40.15,
        lon: 44.45,
        zoom: 10.0,
    });
    window::harness(app, egui::vec2(1400.0, 900.0))
}

#[test]
fn a_hundred_district_incidents_shade_one_area_and_carry_their_count() {
    let harness = harness(&acled(100, 3));
    let output = harness.state().last_output();
    assert_eq!(output.in_view.len(), 103, "every marker is in view");
    // One area for the hundred, not a hundred discs piled into a haze.
    assert_eq!(output.areas.len(), 1, "{:?}", output.areas);
    let (key, count) = output.areas[0];
    assert!(matches!(key, AreaKey::Disc(_, _)), "{key:?}");
    assert_eq!(count, 100);
    // The hundred markers on one spot say how many they are; the exact ones stand alone.
    assert_eq!(
        output.stacks.iter().map(|s| s.1).collect::<Vec<_>>(),
        vec![100],
        "{:?}",
        output.stacks
    );
}

#[test]
fn exactly_located_incidents_shade_nothing() {
    let harness = harness(&acled(0, 5));
    let output = harness.state().last_output();
    assert_eq!(output.in_view.len(), 5);
    assert!(output.areas.is_empty(), "{:?}", output.areas);
    assert!(output.stacks.is_empty(), "{:?}", output.stacks);
}
