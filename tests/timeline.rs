//! The date slider's logic: presets, stepping, the window in words and typed in, the density
//! histogram, and playback.

mod common;

use common::day as d;

use claimmap::BinSize;
use claimmap::DateWindow;
use claimmap::Day;
use claimmap::Density;
use claimmap::DensitySpans;
use claimmap::FilterPass;
use claimmap::Filters;
use claimmap::Gazetteer;
use claimmap::Playback;
use claimmap::PlaybackMode as Mode;
use claimmap::testing::date_window as window;
use claimmap::testing::date_window::Preset;
use claimmap::testing::query;

fn w(from: &str, to: &str) -> DateWindow {
    DateWindow {
        from: d(from),
        to: d(to),
    }
}

const EXTENT: (&str, &str) = ("2020-09-27", "2022-08-08");

fn extent() -> (Day, Day) {
    (d(EXTENT.0), d(EXTENT.1))
}

#[test]
fn window_in_words() {
    let cases = [
        (w("2021-05-26", "2021-05-26"), "26 May 2021"),
        (w("2021-05-24", "2021-05-26"), "24–26 May 2021"),
        (w("2021-05-30", "2021-06-02"), "30 May – 2 June 2021"),
        (
            w("2020-12-28", "2021-01-03"),
            "28 December 2020 – 3 January 2021",
        ),
        (w("2021-05-01", "2021-05-31"), "May 2021"),
        (w("2021-02-01", "2021-02-28"), "February 2021"),
        (w("2021-04-01", "2021-06-30"), "April–June 2021"),
        (
            w("2020-12-01", "2021-02-28"),
            "December 2020 – February 2021",
        ),
        (w("2021-01-01", "2021-12-31"), "2021"),
        (w("2020-01-01", "2021-12-31"), "2020–2021"),
        (w("2021-05-02", "2021-05-31"), "2–31 May 2021"),
        (
            w("2021-01-01", "2021-12-30"),
            "1 January – 30 December 2021",
        ),
        (
            DateWindow::from_bounds(Some(d("2021-05-26")), None),
            "from 26 May 2021",
        ),
        (
            DateWindow::from_bounds(None, Some(d("2021-05-26"))),
            "until 26 May 2021",
        ),
        (DateWindow::everything(), "all dates"),
    ];
    for (window, words) in cases {
        assert_eq!(window::describe(&window), words, "{window:?}");
        if window != DateWindow::everything()
            && !words.starts_with("from")
            && !words.starts_with("until")
        {
            assert_eq!(window::parse_window(words), Some(window), "{words}");
        }
    }
}

#[test]
fn typed_dates() {
    let may26 = Some(d("2021-05-26"));
    assert_eq!(window::parse_day("2021-05-26"), may26);
    assert_eq!(window::parse_day("26 May 2021"), may26);
    assert_eq!(window::parse_day(" 26/05/2021 "), may26);
    assert_eq!(window::parse_day("30 February 2021"), None);
    assert_eq!(window::parse_day("yesterday"), None);
    assert_eq!(
        window::parse_window("2021-05-24 to 2021-05-26"),
        Some(w("2021-05-24", "2021-05-26"))
    );
    assert_eq!(
        window::parse_window("2021-05"),
        Some(w("2021-05-01", "2021-05-31"))
    );
    assert_eq!(window::parse_window("26 May 2021 – 24 May 2021"), None);
    assert_eq!(window::parse_window("soon"), None);
}

#[test]
fn presets_end_or_centre_at_a_day() {
    let day = d("2021-05-26");
    let cases = [
        (Preset::Day, w("2021-05-26", "2021-05-26")),
        (Preset::Week, w("2021-05-20", "2021-05-26")),
        (Preset::Month, w("2021-04-27", "2021-05-26")),
        (Preset::Quarter, w("2021-02-27", "2021-05-26")),
        (Preset::Year, w("2020-05-27", "2021-05-26")),
        (Preset::All, w(EXTENT.0, EXTENT.1)),
    ];
    for (preset, expected) in cases {
        assert_eq!(preset.ending_at(day, extent()), expected, "{preset:?}");
    }
    // The month ending on the last day of a month is that calendar month.
    assert_eq!(
        Preset::Month.ending_at(d("2021-03-31"), extent()),
        w("2021-03-01", "2021-03-31")
    );
    assert_eq!(
        Preset::Week.centred_at(day, extent()),
        w("2021-05-23", "2021-05-29")
    );
    assert_eq!(
        Preset::Day.centred_at(day, extent()),
        w("2021-05-26", "2021-05-26")
    );
    let month = Preset::Month.centred_at(day, extent());
    assert_eq!(window::length_days(&month), 30);
    assert!(month.from < day && day < month.to);
    assert_eq!(Preset::All.centred_at(day, extent()), w(EXTENT.0, EXTENT.1));
}

#[test]
fn stepping_by_length_by_day_and_to_the_ends() {
    let three = w("2021-05-24", "2021-05-26");
    assert_eq!(
        window::step_by_length(three, true),
        w("2021-05-27", "2021-05-29")
    );
    assert_eq!(
        window::step_by_length(three, false),
        w("2021-05-21", "2021-05-23")
    );
    assert_eq!(
        window::step_by_day(three, true),
        w("2021-05-25", "2021-05-27")
    );
    assert_eq!(
        window::step_by_day(three, false),
        w("2021-05-23", "2021-05-25")
    );
    // Whole calendar months step by months, whatever their lengths.
    assert_eq!(
        window::step_by_length(w("2021-01-01", "2021-01-31"), true),
        w("2021-02-01", "2021-02-28")
    );
    assert_eq!(
        window::step_by_length(w("2021-03-01", "2021-03-31"), false),
        w("2021-02-01", "2021-02-28")
    );
    assert_eq!(
        window::step_by_length(w("2021-10-01", "2021-12-31"), true),
        w("2022-01-01", "2022-03-31")
    );
    assert_eq!(
        window::step_by_length(w("2021-01-01", "2021-12-31"), true),
        w("2022-01-01", "2022-12-31")
    );
    // Home and End keep the length.
    assert_eq!(window::home(three, extent()), w("2020-09-27", "2020-09-29"));
    assert_eq!(window::end(three, extent()), w("2022-08-06", "2022-08-08"));
    // Clamping moves a window back inside; a longer one becomes the extent.
    assert_eq!(
        window::clamp(w("2020-09-20", "2020-09-29"), extent()),
        w("2020-09-27", "2020-10-06")
    );
    assert_eq!(
        window::clamp(w("2022-08-07", "2022-08-10"), extent()),
        w("2022-08-05", "2022-08-08")
    );
    assert_eq!(window::clamp(three, extent()), three);
    assert_eq!(
        window::clamp(DateWindow::everything(), extent()),
        w(EXTENT.0, EXTENT.1)
    );
    // The open window never overflows.
    let everything = DateWindow::everything();
    assert_eq!(window::step_by_day(everything, true).to, Day(i32::MAX));
    let _ = window::step_by_length(everything, false);
}

// ---- density ----

fn reference_spans(filters: &Filters) -> (claimmap::Loaded, DensitySpans) {
    let loaded = claimmap::load_reference(Gazetteer::embedded());
    let datasets = [&loaded.dataset];
    let pass = FilterPass::new(&datasets, filters);
    let spans = DensitySpans::new(&datasets, filters, &pass);
    (loaded, spans)
}

#[test]
fn density_adds_up_to_the_incidents_at_every_bin_size() {
    let (loaded, spans) = reference_spans(&Filters::default());
    let (from, to) = query::extent(&[&loaded.dataset]).expect("extent");
    assert_eq!(spans.incidents(), 30);
    for bin in [BinSize::Day, BinSize::Week, BinSize::Month, BinSize::Year] {
        let density = Density::build(&spans, from, to, bin);
        assert!(
            (density.sum() - 30.0).abs() < 1e-3,
            "{bin:?}: {}",
            density.sum()
        );
        let max = (0..density.len())
            .map(|i| density.total(i))
            .fold(0.0f32, f32::max);
        assert_eq!(max, density.max_total());
        // Bins tile the range without gaps.
        for i in 1..density.len() {
            assert_eq!(density.bin_days(i).0, density.bin_days(i - 1).1.add_days(1));
        }
        assert!(density.bin_days(0).0 <= from && to <= density.bin_days(density.len() - 1).1);
    }
    // Filters change what is counted; the window does not enter at all.
    let contested = Filters {
        contested_only: true,
        ..Filters::default()
    };
    let (_, spans) = reference_spans(&contested);
    let density = Density::build(&spans, from, to, BinSize::Month);
    let expected = query::visible(&[&loaded.dataset], &DateWindow::everything(), &contested).len();
    assert!((density.sum() - expected as f64).abs() < 1e-3);
}

#[test]
fn a_month_precision_incident_is_a_low_wide_band() {
    let (loaded, spans) = reference_spans(&Filters::default());
    let _ = loaded;
    // Detention "in December 2020" (month precision, az) is spread over 31 day bins.
    let density = Density::build(&spans, d("2020-12-01"), d("2020-12-31"), BinSize::Day);
    let sides: Vec<&str> = spans.sides().iter().map(|s| s.id.as_str()).collect();
    let az = sides.iter().position(|s| *s == "az").expect("az side");
    assert_eq!(density.len(), 31);
    for i in 0..31 {
        assert!((density.stack(i)[az] - 1.0 / 31.0).abs() < 1e-6, "bin {i}");
    }
    // At month bins the same incident is one whole count in December.
    let density = Density::build(&spans, d("2020-12-01"), d("2020-12-31"), BinSize::Month);
    assert_eq!(density.len(), 1);
    assert!((density.stack(0)[az] - 1.0).abs() < 1e-6);
}

#[test]
fn density_stacks_by_side_and_splits_contested_incidents() {
    let (_, spans) = reference_spans(&Filters::default());
    let sides: Vec<&str> = spans.sides().iter().map(|s| s.id.as_str()).collect();
    assert_eq!(sides, ["az", "am", "ru", "tr", "fr", "media"]);
    let (az, am, media) = (0, 1, 5);
    // 10 June 2021: the shelling both parties describe, half each; the long spans running
    // through it (the mine tally and the truce monitoring, media) add their small daily shares.
    let density = Density::build(&spans, d("2021-06-10"), d("2021-06-10"), BinSize::Day);
    let stack = density.stack(0);
    assert!((stack[az] - 0.5).abs() < 1e-6, "{stack:?}");
    assert!((stack[am] - 0.5).abs() < 1e-6, "{stack:?}");
    let tally = 1.0 / 214.0; // 10 Nov 2020 – 11 Jun 2021
    let truce = 1.0 / 371.0; // 10 Nov 2020 – 15 Nov 2021
    assert!((stack[media] - (tally + truce)).abs() < 1e-5, "{stack:?}");
    // Hiding Azerbaijan gives Armenia the whole of that incident.
    let mut filters = Filters::default();
    filters.hidden_sides.insert("az".into());
    let (_, spans) = reference_spans(&filters);
    let density = Density::build(&spans, d("2021-06-10"), d("2021-06-10"), BinSize::Day);
    assert!((density.stack(0)[am] - 1.0).abs() < 1e-6);
    assert_eq!(density.stack(0)[az], 0.0);
}

#[test]
fn density_of_nothing_is_empty_bins() {
    let spans = DensitySpans::default();
    let density = Density::build(&spans, d("2021-01-01"), d("2021-01-31"), BinSize::Day);
    assert_eq!(density.sum(), 0.0);
    assert_eq!(density.max_total(), 0.0);
}

// ---- playback ----

fn settings(mode: Mode, looping: bool, speed: f64) -> Playback {
    let mut playback = Playback::default();
    playback.mode = mode;
    playback.looping = looping;
    playback.speed = speed;
    playback
}

fn playing(mode: Mode, looping: bool, speed: f64) -> Playback {
    let mut playback = settings(mode, looping, speed);
    let _ = playback.toggle(w("2021-01-01", "2021-01-01"), extent());
    assert!(playback.playing);
    playback
}

#[test]
fn paused_playback_leaves_the_window() {
    let mut playback = Playback::default();
    let window = w("2021-05-24", "2021-05-26");
    assert_eq!(playback.advance(window, extent(), 10.0), window);
}

#[test]
fn sliding_playback_moves_whole_days_and_carries_the_rest() {
    let mut playback = playing(Mode::Sliding, false, 1.0);
    let mut window = w("2021-05-24", "2021-05-26");
    // 60 frames of 1/60 s at one day per second: exactly one day, however the frames fall.
    for _ in 0..59 {
        window = playback.advance(window, extent(), 1.0 / 60.0);
    }
    assert_eq!(window, w("2021-05-24", "2021-05-26"));
    window = playback.advance(window, extent(), 1.0 / 60.0 + 1e-9);
    assert_eq!(window, w("2021-05-25", "2021-05-27"));
    let mut fast = playing(Mode::Sliding, false, 30.0);
    assert_eq!(
        fast.advance(w("2021-05-24", "2021-05-26"), extent(), 0.5),
        w("2021-06-08", "2021-06-10")
    );
}

#[test]
fn playback_stops_at_the_end_or_loops() {
    let near_end = w("2022-08-01", "2022-08-07");
    let mut stops = playing(Mode::Sliding, false, 7.0);
    assert_eq!(
        stops.advance(near_end, extent(), 1.0),
        w("2022-08-02", "2022-08-08")
    );
    assert!(!stops.playing);
    // Space at the end starts again from the beginning.
    assert_eq!(
        stops.toggle(w("2022-08-02", "2022-08-08"), extent()),
        w("2020-09-27", "2020-10-03")
    );
    assert!(stops.playing);

    // Playing brings a window reaching outside the data inside it first.
    let mut outside = settings(Mode::Sliding, false, 1.0);
    assert_eq!(
        outside.toggle(w("2020-09-01", "2020-09-30"), extent()),
        w("2020-09-27", "2020-10-26")
    );

    let mut loops = playing(Mode::Sliding, true, 7.0);
    let at_end = loops.advance(near_end, extent(), 1.0);
    assert_eq!(at_end, w("2022-08-02", "2022-08-08"));
    assert!(loops.playing);
    assert_eq!(
        loops.advance(at_end, extent(), 1.0),
        w("2020-09-27", "2020-10-03")
    );
}

#[test]
fn cumulative_playback_grows_from_the_start() {
    let mut playback = settings(Mode::Cumulative, false, 10.0);
    let window = playback.toggle(w("2021-05-24", "2021-05-26"), extent());
    assert_eq!(window, w("2020-09-27", "2021-05-26"));
    let window = playback.advance(window, extent(), 1.0);
    assert_eq!(window, w("2020-09-27", "2021-06-05"));
    let end = playback.advance(window, extent(), 1000.0);
    assert_eq!(end, w(EXTENT.0, EXTENT.1));
    assert!(!playback.playing);
    // Looping restarts at the first day.
    let mut looping = settings(Mode::Cumulative, true, 30.0);
    let _ = looping.toggle(w("2021-05-24", "2021-05-26"), extent());
    let end = looping.advance(w(EXTENT.0, EXTENT.1), extent(), 1.0);
    assert_eq!(end, w(EXTENT.0, EXTENT.0));
}

#[test]
fn speeds_step_through_the_presets_and_bad_times_do_nothing() {
    let mut playback = Playback::default();
    assert_eq!(playback.speed, 30.0);
    playback.step_speed(true);
    assert_eq!(playback.speed, 91.0);
    playback.step_speed(false);
    playback.step_speed(false);
    assert_eq!(playback.speed, 7.0);
    let mut p = playing(Mode::Sliding, false, 1.0);
    let window = w("2021-05-24", "2021-05-26");
    assert_eq!(p.advance(window, extent(), f64::NAN), window);
    assert_eq!(p.advance(window, extent(), -5.0), window);
    assert_eq!(p.advance(window, extent(), f64::INFINITY), window);
    // Settings round trip without the play state.
    let json = serde_json::to_string(&p).expect("serialises");
    let back: Playback = serde_json::from_str(&json).expect("deserialises");
    assert!(!back.playing);
    assert_eq!(back.speed, 1.0);
}
