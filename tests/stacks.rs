//! Stacked incidents in the window, headless (egui_kittest: no display, no GPU, no network):
//! markers on one spot say how many they are and list them on hover; a click spreads them out on
//! leader lines, each one selectable, and the claims panel pages through the stack.

mod common;

use common::window;

use std::fmt::Write as _;

use claimmap::ViewerApp;
use claimmap::testing::{BasemapChoice, View};
use claimmap::{Gazetteer, load_path};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

const HEADER: &str = "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,tags,timestamp";

/// An ACLED export of `on_spot` protests all at Yerevan's point (as ACLED gives a city's rows)
/// and one a few kilometres away.
fn acled(on_spot: usize) -> String {
    let mut text = format!("{HEADER}\n");
    let mut row = |n: usize, lat: f64, lon: f64| {
        writeln!(
            text,
            "ARM{n},{} May 2021,2021,1,Political violence,Protests,Peaceful protest,Protesters (Armenia),,Protesters,,,,Protesters only,,51,Caucasus and Central Asia,Armenia,Yerevan,,,Yerevan,{lat},{lon},1,News.am,National,\"Protest number {n} in Yerevan.\",0,,1622505600",
            1 + n % 28
        )
        .expect("write");
    };
    for n in 0..on_spot {
        row(n, 40.1811, 44.5136);
    }
    row(on_spot, 40.25, 44.40);
    text
}

const SIZE: egui::Vec2 = egui::vec2(1400.0, 900.0);

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
        lat: 40.2,
        lon: 44.45,
        zoom: 10.0,
    });
    window::harness(app, SIZE)
}

fn move_to(harness: &mut Harness<'static, ViewerApp>, pos: egui::Pos2) {
    harness.event(egui::Event::PointerMoved(pos));
    harness.run();
}

fn click_at(harness: &mut Harness<'static, ViewerApp>, pos: egui::Pos2) {
    move_to(harness, pos);
    for pressed in [true, false] {
        harness.event(egui::Event::PointerButton {
            pos,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: Default::default(),
        });
        harness.run();
    }
}

/// The one stack on the map: its spot and count.
fn only_stack(harness: &Harness<'static, ViewerApp>) -> (egui::Pos2, usize) {
    let stacks = &harness.state().last_output().stacks;
    assert_eq!(stacks.len(), 1, "{stacks:?}");
    stacks[0]
}

#[test]
fn a_stack_lists_its_incidents_on_hover_and_spreads_on_click() {
    let mut harness = harness(&acled(12));
    let (spot, count) = only_stack(&harness);
    assert_eq!(count, 12);
    move_to(&mut harness, spot);
    harness.get_by_label("12 incidents here");
    harness.get_by_label("… and 4 more");

    click_at(&mut harness, spot);
    let spread = harness
        .state()
        .map()
        .spread()
        .expect("the stack spread out");
    assert_eq!(spread.incidents.len(), 12);
    let stack: Vec<_> = harness.state().stack().expect("a stack to page").to_vec();
    assert_eq!(stack.len(), 12);
    assert_eq!(harness.state().selected(), Some(stack[0]));
    harness.get_by_label("1 of 12 here");
    // Spread, the stack carries no count: each marker stands apart, clear of the others.
    assert!(harness.state().last_output().stacks.is_empty());
    let positions: Vec<egui::Pos2> = stack
        .iter()
        .map(|&r| harness.state().map().marker_position(r).expect("drawn"))
        .collect();
    for (i, a) in positions.iter().enumerate() {
        assert!(a.distance(spot) > 10.0, "marker {i} still on the spot");
        for b in &positions[i + 1..] {
            assert!(a.distance(*b) >= 14.0, "{a:?} and {b:?} overlap");
        }
    }

    // Each fanned marker is selectable, and the panel says where in the stack it is.
    click_at(&mut harness, positions[4]);
    assert_eq!(harness.state().selected(), Some(stack[4]));
    harness.get_by_label("5 of 12 here");
    assert!(harness.state().map().spread().is_some(), "still spread");

    // The panel pages through the stack.
    harness.get_by_label("Next ›").click();
    harness.run();
    assert_eq!(harness.state().selected(), Some(stack[5]));
    harness.get_by_label("6 of 12 here");
    harness.get_by_label("‹ Previous").click();
    harness.run();
    harness.get_by_label("‹ Previous").click();
    harness.run();
    assert_eq!(harness.state().selected(), Some(stack[3]));
    harness.get_by_label_contains("Protest number");

    // A click on empty map folds the fan and ends the paging.
    let map = harness.state().map().last_rect().expect("drawn");
    click_at(&mut harness, map.left_top() + egui::vec2(30.0, 60.0));
    assert!(harness.state().map().spread().is_none());
    assert!(harness.state().stack().is_none());
    assert!(harness.state().selected().is_none());
    assert_eq!(only_stack(&harness).1, 12, "the count is back");
}

#[test]
fn six_hundred_on_one_spot_spread_the_first_two_hundred_and_page_through_all() {
    let mut harness = harness(&acled(600));
    let (spot, count) = only_stack(&harness);
    assert_eq!(count, 600);
    click_at(&mut harness, spot);
    let spread = harness.state().map().spread().expect("spread");
    assert_eq!(spread.incidents.len(), 200);
    assert_eq!(spread.stacked, 600);
    assert_eq!(harness.state().stack().map(<[_]>::len), Some(600));
    harness.get_by_label("1 of 600 here");
    harness.get_by_label("All 600 incidents on this spot");
    // Every fanned marker is on the map, inside the window.
    let rect = harness.state().map().last_rect().expect("drawn");
    for &r in &spread.incidents.clone() {
        let at = harness.state().map().marker_position(r).expect("drawn");
        assert!(rect.contains(at), "{at:?} off the map");
    }
    // Esc folds it.
    harness.key_press(egui::Key::Escape);
    harness.run();
    assert!(harness.state().map().spread().is_none());
    assert!(harness.state().selected().is_none());
}

/// Under a spread's backdrop only the fan answers the pointer: a marker the backdrop covers is
/// neither hovered nor clicked through it.
#[test]
fn a_marker_under_the_backdrop_is_not_hit() {
    let mut text = acled(12);
    // A neighbour about 38 points east of the stack at zoom 10: apart from it, under the fan; the
    // last by date, so the last incident.
    let neighbour = text
        .lines()
        .nth(1)
        .expect("a row")
        .replacen("ARM0,1 May 2021,", "ARM99,29 May 2021,", 1)
        .replacen("44.5136", "44.5616", 1);
    text.push_str(&neighbour);
    text.push('\n');
    let mut harness = harness(&text);
    let neighbour = claimmap::testing::IncidentRef {
        dataset: 0,
        index: 13,
    };
    let at = harness
        .state()
        .map()
        .marker_position(neighbour)
        .expect("the neighbour is drawn");
    move_to(&mut harness, at);
    assert_eq!(harness.state().last_output().hovered, Some(neighbour));

    let (spot, count) = only_stack(&harness);
    assert_eq!(count, 12);
    assert!(
        (15.0..50.0).contains(&at.distance(spot)),
        "{}",
        at.distance(spot)
    );
    click_at(&mut harness, spot);
    assert!(harness.state().map().spread().is_some());
    move_to(&mut harness, at);
    move_to(&mut harness, at);
    assert_ne!(harness.state().last_output().hovered, Some(neighbour));
    click_at(&mut harness, at);
    assert_ne!(harness.state().selected(), Some(neighbour));
}

#[test]
fn zooming_folds_a_spread() {
    let mut harness = harness(&acled(5));
    let (spot, _) = only_stack(&harness);
    click_at(&mut harness, spot);
    assert!(harness.state().map().spread().is_some());
    harness.key_press(egui::Key::Plus);
    harness.run();
    assert!(harness.state().map().spread().is_none());
    // The claims panel still pages through what was clicked.
    harness.get_by_label("1 of 5 here");
}

#[test]
fn the_two_contested_incidents_at_kalbajar_are_one_stack_that_spreads() {
    let mut harness = window::reference(SIZE);
    let gazetteer = Gazetteer::embedded();
    let kalbajar = gazetteer.place(gazetteer.by_id("ne1:AZ-KAL").expect("Kalbajar"));
    harness.state_mut().set_view(View {
        lat: kalbajar.point.y(),
        lon: kalbajar.point.x(),
        zoom: 10.0,
    });
    harness.run();
    let spot = claimmap::testing::screen_position(
        harness.state().map(),
        kalbajar.point.x(),
        kalbajar.point.y(),
    )
    .expect("drawn");
    let (at, count) = harness
        .state()
        .last_output()
        .stacks
        .iter()
        .copied()
        .find(|(p, _)| p.distance(spot) < 2.0)
        .expect("a stack on Kalbajar");
    assert!(count >= 2, "{count}");
    click_at(&mut harness, at);
    let stack = harness.state().stack().expect("paging").to_vec();
    assert_eq!(stack.len(), count);
    let is_contested = |harness: &Harness<'static, ViewerApp>,
                        r: claimmap::testing::IncidentRef| {
        let layer = &harness.state().layers()[r.dataset].loaded.dataset;
        layer.is_contested(&layer.incidents()[r.index])
    };
    // Paged through, each shows its claims; the contested ones say so.
    let mut contested = 0;
    for n in 1..=count {
        if n > 1 {
            harness.get_by_label("Next ›").click();
            harness.run();
        }
        harness.get_by_label(&format!("{n} of {count} here"));
        let r = harness.state().selected().expect("selected");
        assert_eq!(r, stack[n - 1]);
        if is_contested(&harness, r) {
            contested += 1;
            harness.get_by_label_contains("Contested: the claims come from different sides");
        }
    }
    assert!(contested >= 2, "{contested} contested in {stack:?}");
}

/// More incidents on one spot than the map draws as markers stay a numbered disc at any zoom:
/// at the closest, a click on it pages through them in the claims panel.
#[test]
fn a_disc_that_cannot_come_apart_pages_through_its_incidents() {
    let mut harness = harness(&acled(1_200));
    harness.state_mut().set_view(View {
        lat: 40.1811,
        lon: 44.5136,
        zoom: 17.0,
    });
    harness.run();
    let discs: Vec<(egui::Pos2, u32)> = harness.state().map().clusters().collect();
    assert_eq!(discs.len(), 1, "{discs:?}");
    let (at, count) = discs[0];
    assert_eq!(count, 1_200);
    click_at(&mut harness, at);
    assert_eq!(harness.state().stack().map(<[_]>::len), Some(1_200));
    assert_eq!(harness.state().map().zoom(), 17.0, "no further to zoom");
    harness.get_by_label("1 of 1200 here");
    harness.get_by_label("Next ›").click();
    harness.run();
    harness.get_by_label("2 of 1200 here");
}
