//! Calendar days and the date intervals incidents happen in.
//!
//! Sources date things loosely ("on Sunday", "last week", "in December"), so an incident's date is
//! an interval with a precision, never a single falsely exact day.

use std::fmt;

use chrono::{Datelike, NaiveDate};

/// A calendar day, counted from 1970-01-01: small, ordered and cheap to compare in hot loops.
#[derive(Copy, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct Day(pub i32);

/// Days from 0001-01-01 (chrono's CE day 1) to 1970-01-01.
const UNIX_EPOCH_FROM_CE: i32 = 719_163;

impl Day {
    pub fn from_naive(date: NaiveDate) -> Day {
        Day(date.num_days_from_ce() - UNIX_EPOCH_FROM_CE)
    }

    pub fn from_ymd(year: i32, month: u32, day: u32) -> Option<Day> {
        NaiveDate::from_ymd_opt(year, month, day).map(Day::from_naive)
    }

    /// Parses `YYYY-MM-DD`, the only spelling the native format uses.
    pub fn parse_iso(text: &str) -> Result<Day, DateError> {
        let text = text.trim();
        NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map(Day::from_naive)
            .map_err(|_| DateError::Unparseable(text.to_owned()))
    }

    /// The calendar date; days beyond chrono's range (the open ends of a window) clamp to its
    /// first or last date.
    pub fn to_naive(self) -> NaiveDate {
        self.0
            .checked_add(UNIX_EPOCH_FROM_CE)
            .and_then(NaiveDate::from_num_days_from_ce_opt)
            .unwrap_or(if self.0 < 0 {
                NaiveDate::MIN
            } else {
                NaiveDate::MAX
            })
    }

    pub fn add_days(self, days: i32) -> Day {
        Day(self.0 + days)
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.to_naive().format("%Y-%m-%d"))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    #[error("'{0}' is not a date of the form YYYY-MM-DD")]
    Unparseable(String),
    #[error("the interval ends ({end}) before it starts ({start})")]
    EndBeforeStart { start: Day, end: Day },
    #[error("unknown date precision '{0}' (expected day, range, week, month or year)")]
    UnknownPrecision(String),
    #[error("the date is marked inferred but gives no reason")]
    InferredWithoutReason,
}

/// How the source dated an event.
#[derive(Copy, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Default)]
pub enum DatePrecision {
    #[default]
    Day,
    Range,
    Week,
    Month,
    Year,
}

impl DatePrecision {
    pub const ALL: [DatePrecision; 5] = [
        DatePrecision::Day,
        DatePrecision::Range,
        DatePrecision::Week,
        DatePrecision::Month,
        DatePrecision::Year,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DatePrecision::Day => "day",
            DatePrecision::Range => "range",
            DatePrecision::Week => "week",
            DatePrecision::Month => "month",
            DatePrecision::Year => "year",
        }
    }

    pub fn parse(text: &str) -> Result<DatePrecision, DateError> {
        DatePrecision::ALL
            .into_iter()
            .find(|p| p.as_str().eq_ignore_ascii_case(text.trim()))
            .ok_or_else(|| DateError::UnknownPrecision(text.to_owned()))
    }
}

/// When something happened: every day in `[start, end]` is possible; `inferred` dates were worked
/// out by the dataset's author rather than stated by the source, and say how in `reason`.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct DateInterval {
    start: Day,
    end: Day,
    pub precision: DatePrecision,
    pub inferred: bool,
    /// Boxed twice so an interval is 24 bytes, not 32: a million table rows carry none.
    pub reason: Option<Box<String>>,
}

impl DateInterval {
    /// One stated day.
    pub fn day(day: Day) -> DateInterval {
        DateInterval {
            start: day,
            end: day,
            precision: DatePrecision::Day,
            inferred: false,
            reason: None,
        }
    }

    pub fn new(start: Day, end: Day, precision: DatePrecision) -> Result<DateInterval, DateError> {
        if end < start {
            return Err(DateError::EndBeforeStart { start, end });
        }
        Ok(DateInterval {
            start,
            end,
            precision,
            inferred: false,
            reason: None,
        })
    }

    pub fn with_inference(mut self, reason: impl Into<Box<str>>) -> DateInterval {
        self.inferred = true;
        self.reason = Some(Box::new(reason.into().into()));
        self
    }

    pub fn start(&self) -> Day {
        self.start
    }

    pub fn end(&self) -> Day {
        self.end
    }

    /// Stated to the day, with nothing inferred: the only dates an "exact dates only" filter keeps.
    pub fn is_exact(&self) -> bool {
        self.precision == DatePrecision::Day && self.start == self.end && !self.inferred
    }

    /// Whether the interval meets the window: some day is in both, both ends included.
    pub fn meets(&self, window: &DateWindow) -> bool {
        self.start <= window.to && self.end >= window.from
    }
}

/// The days a user looks at, both ends included; the one window semantics used everywhere.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub struct DateWindow {
    pub from: Day,
    pub to: Day,
}

impl DateWindow {
    /// A window from optional ends: a missing end is open.
    pub fn from_bounds(from: Option<Day>, to: Option<Day>) -> DateWindow {
        DateWindow {
            from: from.unwrap_or(Day(i32::MIN)),
            to: to.unwrap_or(Day(i32::MAX)),
        }
    }

    pub fn everything() -> DateWindow {
        DateWindow::from_bounds(None, None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Day {
        Day::parse_iso(text).expect("test date")
    }

    #[test]
    fn day_numbers_round_trip_and_order() {
        assert_eq!(d("1970-01-01"), Day(0));
        assert_eq!(d("1970-01-02"), Day(1));
        assert_eq!(d("1969-12-31"), Day(-1));
        assert_eq!(d("2021-05-26").to_string(), "2021-05-26");
        assert!(d("2020-11-10") < d("2021-01-11"));
        assert_eq!(d("2021-02-28").add_days(1), d("2021-03-01"));
        assert_eq!(Day(i32::MAX).to_naive(), NaiveDate::MAX);
        assert_eq!(Day(i32::MIN).to_naive(), NaiveDate::MIN);
    }

    #[test]
    fn rejects_bad_dates() {
        assert!(Day::parse_iso("2021-02-30").is_err());
        assert!(Day::parse_iso("26 May 2021").is_err());
        assert!(DateInterval::new(d("2021-05-26"), d("2021-05-24"), DatePrecision::Range).is_err());
        assert!(DatePrecision::parse("fortnight").is_err());
        assert_eq!(DatePrecision::parse("Month"), Ok(DatePrecision::Month));
    }

    #[test]
    fn window_meets_interval_inclusively() {
        let range = DateInterval::new(d("2021-05-24"), d("2021-05-26"), DatePrecision::Range)
            .expect("valid interval");
        let window = |a: &str, b: &str| DateWindow {
            from: d(a),
            to: d(b),
        };
        // Cases: (window, expected) — touching either edge counts, one day apart does not.
        let cases = [
            (window("2021-05-26", "2021-06-01"), true),
            (window("2021-05-01", "2021-05-24"), true),
            (window("2021-05-25", "2021-05-25"), true),
            (window("2021-05-01", "2021-05-31"), true),
            (window("2021-05-27", "2021-06-01"), false),
            (window("2021-05-01", "2021-05-23"), false),
        ];
        for (w, expected) in cases {
            assert_eq!(range.meets(&w), expected, "{w:?}");
        }
        let single = DateInterval::day(d("2021-06-04"));
        assert!(single.meets(&window("2021-06-04", "2021-06-04")));
        assert!(!single.meets(&window("2021-06-05", "2021-06-30")));
        assert!(single.meets(&DateWindow::from_bounds(Some(d("2021-06-04")), None)));
        assert!(single.meets(&DateWindow::from_bounds(None, Some(d("2021-06-04")))));
        assert!(!single.meets(&DateWindow::from_bounds(None, Some(d("2021-06-03")))));
    }

    /// The table of docs/WINDOW.md: one window semantics for every precision and every edge.
    #[test]
    fn window_semantics_table() {
        let interval = |start: &str, end: &str, precision: DatePrecision| {
            DateInterval::new(d(start), d(end), precision).expect("valid interval")
        };
        let day = DateInterval::day(d("2021-05-26"));
        let range = interval("2021-05-24", "2021-05-26", DatePrecision::Range);
        // A week: Monday 24 to Sunday 30 May 2021.
        let week = interval("2021-05-24", "2021-05-30", DatePrecision::Week);
        let month = interval("2021-05-01", "2021-05-31", DatePrecision::Month);
        let year = interval("2021-01-01", "2021-12-31", DatePrecision::Year);
        let inferred = DateInterval::day(d("2021-06-10")).with_inference("'Thursday'");
        let w =
            |from: Option<&str>, to: Option<&str>| DateWindow::from_bounds(from.map(d), to.map(d));
        let cases: &[(&str, &DateInterval, DateWindow, bool)] = &[
            // A single day: in a window of that day only, and any window containing it.
            (
                "day, same day",
                &day,
                w(Some("2021-05-26"), Some("2021-05-26")),
                true,
            ),
            (
                "day, the day before",
                &day,
                w(Some("2021-05-25"), Some("2021-05-25")),
                false,
            ),
            (
                "day, the day after",
                &day,
                w(Some("2021-05-27"), Some("2021-05-27")),
                false,
            ),
            (
                "day, window ends on it",
                &day,
                w(Some("2021-05-01"), Some("2021-05-26")),
                true,
            ),
            (
                "day, window starts on it",
                &day,
                w(Some("2021-05-26"), Some("2021-06-30")),
                true,
            ),
            (
                "day, window ends the day before",
                &day,
                w(Some("2021-05-01"), Some("2021-05-25")),
                false,
            ),
            // A range: any day of it in the window is enough.
            (
                "range, window inside",
                &range,
                w(Some("2021-05-25"), Some("2021-05-25")),
                true,
            ),
            (
                "range, window around",
                &range,
                w(Some("2021-05-01"), Some("2021-05-31")),
                true,
            ),
            (
                "range, touches its first day",
                &range,
                w(Some("2021-05-20"), Some("2021-05-24")),
                true,
            ),
            (
                "range, touches its last day",
                &range,
                w(Some("2021-05-26"), Some("2021-05-28")),
                true,
            ),
            (
                "range, ends the day before",
                &range,
                w(Some("2021-05-20"), Some("2021-05-23")),
                false,
            ),
            (
                "range, starts the day after",
                &range,
                w(Some("2021-05-27"), Some("2021-05-28")),
                false,
            ),
            // Week and month precision are intervals too: a day of the window is a possible day.
            (
                "week, Sunday",
                &week,
                w(Some("2021-05-30"), Some("2021-05-30")),
                true,
            ),
            (
                "week, next Monday",
                &week,
                w(Some("2021-05-31"), Some("2021-05-31")),
                false,
            ),
            (
                "month, one day of it",
                &month,
                w(Some("2021-05-15"), Some("2021-05-15")),
                true,
            ),
            (
                "month, from its last day",
                &month,
                w(Some("2021-05-31"), Some("2021-06-30")),
                true,
            ),
            (
                "month, the next month",
                &month,
                w(Some("2021-06-01"), Some("2021-06-30")),
                false,
            ),
            (
                "month, the previous month",
                &month,
                w(Some("2021-04-01"), Some("2021-04-30")),
                false,
            ),
            (
                "year, one day of it",
                &year,
                w(Some("2021-07-01"), Some("2021-07-01")),
                true,
            ),
            (
                "year, new year's day after",
                &year,
                w(Some("2022-01-01"), Some("2022-01-31")),
                false,
            ),
            // Inferred days are windowed like stated ones.
            (
                "inferred day",
                &inferred,
                w(Some("2021-06-10"), Some("2021-06-10")),
                true,
            ),
            // Open ends.
            (
                "open start, ends on it",
                &day,
                w(None, Some("2021-05-26")),
                true,
            ),
            (
                "open start, ends before",
                &day,
                w(None, Some("2021-05-25")),
                false,
            ),
            (
                "open end, starts on it",
                &day,
                w(Some("2021-05-26"), None),
                true,
            ),
            (
                "open end, starts after",
                &day,
                w(Some("2021-05-27"), None),
                false,
            ),
            (
                "open end, month started before",
                &month,
                w(Some("2021-05-31"), None),
                true,
            ),
            ("everything", &year, DateWindow::everything(), true),
        ];
        for (name, interval, window, expected) in cases {
            assert_eq!(interval.meets(window), *expected, "{name}");
        }
    }
}
