//! The date window on the timeline: length presets, the moves the keyboard makes (←/→ by the
//! window's length, Shift+←/→ by a day, Home/End), and the window in words and typed in.
//!
//! Windows are [`DateWindow`]s, both days included, as everywhere else. Whole calendar months
//! step by months, so May steps to June rather than to 1 June – 1 July. Arithmetic saturates, so
//! the open window (`DateWindow::everything`) never overflows.

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::formats::dates;
use crate::model::{DateWindow, Day};

/// The first and last day of the data: where Home and End go, what the timeline spans.
pub type Extent = (Day, Day);

/// The lengths offered for the window.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug, Default, Serialize, Deserialize)]
pub enum Preset {
    Day,
    Week,
    #[default]
    Month,
    Quarter,
    Year,
    /// The whole extent of the data.
    All,
}

impl Preset {
    pub const ALL: [Preset; 6] = [
        Preset::Day,
        Preset::Week,
        Preset::Month,
        Preset::Quarter,
        Preset::Year,
        Preset::All,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Preset::Day => "Day",
            Preset::Week => "Week",
            Preset::Month => "Month",
            Preset::Quarter => "Quarter",
            Preset::Year => "Year",
            Preset::All => "All",
        }
    }

    /// The window of this length whose last day is `day`; months count by the calendar (the
    /// month ending 31 March starts 1 March). `All` is the extent.
    pub fn ending_at(self, day: Day, extent: Extent) -> DateWindow {
        let months = |n: u32| {
            day.to_naive()
                .checked_sub_months(Months::new(n))
                .map_or(day, |d| Day::from_naive(d).add_days(1))
        };
        let from = match self {
            Preset::Day => day,
            Preset::Week => add(day, -6),
            Preset::Month => months(1),
            Preset::Quarter => months(3),
            Preset::Year => months(12),
            Preset::All => return window(extent.0, extent.1),
        };
        window(from, day)
    }

    /// The window of this length with `day` in its middle (the earlier middle day when the
    /// length is even). `All` is the extent.
    pub fn centred_at(self, day: Day, extent: Extent) -> DateWindow {
        if self == Preset::All {
            return window(extent.0, extent.1);
        }
        let length = length_days(&self.ending_at(day, extent));
        let from = add(day, -(length - 1) / 2);
        window(from, add(from, length - 1))
    }
}

fn window(from: Day, to: Day) -> DateWindow {
    DateWindow { from, to }
}

/// `day + days`, saturating at the ends of `Day`'s range.
fn add(day: Day, days: i64) -> Day {
    Day((i64::from(day.0) + days).clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32)
}

/// Days in the window, both ends included.
pub fn length_days(window: &DateWindow) -> i64 {
    (i64::from(window.to.0) - i64::from(window.from.0) + 1).max(0)
}

/// The window moved by `days` (negative: back), its length kept.
pub fn shift(window: DateWindow, days: i64) -> DateWindow {
    let length = length_days(&window);
    let from = add(window.from, days);
    DateWindow {
        from,
        to: add(from, length - 1),
    }
}

/// ←/→: the next or previous window of the same length, adjacent to this one. A window of whole
/// calendar months steps by that many months.
pub fn step_by_length(window: DateWindow, forward: bool) -> DateWindow {
    if let Some((first, count)) = whole_months(&window) {
        let moved = if forward {
            first.checked_add_months(Months::new(count))
        } else {
            first.checked_sub_months(Months::new(count))
        };
        if let Some(from) = moved
            && let Some(after) = from.checked_add_months(Months::new(count))
        {
            return DateWindow {
                from: Day::from_naive(from),
                to: add(Day::from_naive(after), -1),
            };
        }
    }
    let length = length_days(&window);
    shift(window, if forward { length } else { -length })
}

/// Shift+←/→: the window moved by one day.
pub fn step_by_day(window: DateWindow, forward: bool) -> DateWindow {
    shift(window, if forward { 1 } else { -1 })
}

/// Home: the window of the same length starting at the first day of the data.
pub fn home(window: DateWindow, extent: Extent) -> DateWindow {
    shift(window, i64::from(extent.0.0) - i64::from(window.from.0))
}

/// End: the window of the same length ending at the last day of the data.
pub fn end(window: DateWindow, extent: Extent) -> DateWindow {
    shift(window, i64::from(extent.1.0) - i64::from(window.to.0))
}

/// The window moved inside the extent, its length kept; a window longer than the extent becomes
/// the extent.
pub fn clamp(window: DateWindow, extent: Extent) -> DateWindow {
    let (first, last) = extent;
    debug_assert!(first <= last, "extent {first}..{last} is reversed");
    if length_days(&window)
        >= length_days(&DateWindow {
            from: first,
            to: last,
        })
    {
        return DateWindow {
            from: first,
            to: last,
        };
    }
    if window.from < first {
        home(window, extent)
    } else if window.to > last {
        end(window, extent)
    } else {
        window
    }
}

/// The first day and the number of months when the window is whole calendar months.
fn whole_months(window: &DateWindow) -> Option<(NaiveDate, u32)> {
    let (from, to) = (window.from.to_naive(), window.to.to_naive());
    let last_of_month = to.succ_opt()?.day() == 1;
    if from.day() != 1 || !last_of_month || window.from > window.to {
        return None;
    }
    let months = (to.year() - from.year()) * 12 + to.month() as i32 - from.month() as i32 + 1;
    u32::try_from(months)
        .ok()
        .filter(|&m| m > 0)
        .map(|m| (from, m))
}

const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The month's English name, as reports write dates.
pub fn month_name(date: NaiveDate) -> &'static str {
    MONTH_NAMES[date.month0() as usize]
}

fn day_in_words(date: NaiveDate) -> String {
    format!("{} {} {}", date.day(), month_name(date), date.year())
}

/// Joins the two ends: closed up when both are one word ("24–26", "April–June", "2020–2021"),
/// spaced otherwise ("30 May – 2 June").
fn joined(a: &str, b: &str) -> String {
    if a.contains(' ') || b.contains(' ') {
        format!("{a} – {b}")
    } else {
        format!("{a}–{b}")
    }
}

/// The window as the timeline writes it: "26 May 2021", "24–26 May 2021", "30 May – 2 June
/// 2021", "28 December 2020 – 3 January 2021", "May 2021", "April–June 2021", "2021",
/// "2020–2021"; an open end reads "from …" or "until …".
pub fn describe(window: &DateWindow) -> String {
    let open_from = window.from == Day(i32::MIN);
    let open_to = window.to == Day(i32::MAX);
    let (from, to) = (window.from.to_naive(), window.to.to_naive());
    match (open_from, open_to) {
        (true, true) => return "all dates".to_owned(),
        (true, false) => return format!("until {}", day_in_words(to)),
        (false, true) => return format!("from {}", day_in_words(from)),
        (false, false) => {}
    }
    if window.from == window.to {
        return day_in_words(from);
    }
    if let Some((_, months)) = whole_months(window) {
        if months % 12 == 0 && from.month() == 1 {
            return if from.year() == to.year() {
                from.year().to_string()
            } else {
                joined(&from.year().to_string(), &to.year().to_string())
            };
        }
        return if months == 1 {
            format!("{} {}", month_name(from), from.year())
        } else if from.year() == to.year() {
            format!("{} {}", joined(month_name(from), month_name(to)), to.year())
        } else {
            joined(
                &format!("{} {}", month_name(from), from.year()),
                &format!("{} {}", month_name(to), to.year()),
            )
        };
    }
    if from.year() == to.year() && from.month() == to.month() {
        format!(
            "{} {} {}",
            joined(&from.day().to_string(), &to.day().to_string()),
            month_name(to),
            to.year()
        )
    } else if from.year() == to.year() {
        format!(
            "{} {}",
            joined(
                &format!("{} {}", from.day(), month_name(from)),
                &format!("{} {}", to.day(), month_name(to))
            ),
            to.year()
        )
    } else {
        joined(&day_in_words(from), &day_in_words(to))
    }
}

/// A typed day: `2021-05-26`, `26 May 2021`, `26/05/2021` (day first), and the other spellings
/// the importers read.
pub fn parse_day(text: &str) -> Option<Day> {
    dates::parse_day(text)
}

/// A typed window: a day, a month (`May 2021`, `2021-05`), a year, two days joined by a dash or
/// "to", or any window as [`describe`] writes it ("24–26 May 2021", "30 May – 2 June 2021").
pub fn parse_window(text: &str) -> Option<DateWindow> {
    let text = text.trim();
    if let Some(interval) = dates::parse_interval(text) {
        return Some(window(interval.start(), interval.end()));
    }
    for separator in ["–", "—", " - ", " to "] {
        let Some((left, right)) = text.split_once(separator) else {
            continue;
        };
        let (left, right) = (left.trim(), right.trim());
        let last = dates::parse_interval(right)?;
        // "24–26 May 2021": the left end borrows the month and year, or the year, it leaves out.
        let words: Vec<&str> = right.split_whitespace().collect();
        let first = dates::parse_interval(left).or_else(|| {
            (1..words.len()).rev().find_map(|k| {
                let borrowed = words[words.len() - k..].join(" ");
                dates::parse_interval(&format!("{left} {borrowed}"))
            })
        })?;
        return (first.start() <= last.end()).then(|| window(first.start(), last.end()));
    }
    None
}
