//! Dates as reports write them, resolved against a day the report gives (its publication date, or
//! the day a quoted statement was made): absolute dates ("On December 9", "Nov. 10, 2020",
//! "Starting from 24 to 26 May"), months and years ("In July", "in January 2021", "In 1991", "in
//! the fall of 2020"), weekdays ("on Thursday", "Saturday night"), relative words ("yesterday",
//! "last week", "over the past 24 hours", "two days ago"). Each resolved date says how it was
//! worked out; a date the text does not state in full is `inferred`.

use chrono::{Datelike, NaiveDate, Weekday};

use super::words::{Word, is_possessive, number_word, words};
use crate::model::{DatePrecision, Day};

/// A resolved date.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Resolved {
    pub start: Day,
    pub end: Day,
    pub precision: DatePrecision,
    /// Not stated in full by the text (no year, a weekday, a relative word).
    pub inferred: bool,
    pub reason: String,
}

/// A date found in a sentence: its span there and what it resolves to.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Found {
    pub start: usize,
    pub end: usize,
    pub date: Resolved,
}

/// The day the relative words of a text count from, and how it is known.
#[derive(Clone, Debug)]
pub struct Anchor {
    pub day: Day,
    /// "the publication date (from the dateline …)".
    pub what: String,
}

/// Months by their names and the abbreviations news agencies use ("Sept.", "Nov.").
fn month(word: &str) -> Option<u32> {
    Some(match word {
        "january" | "jan" => 1,
        "february" | "feb" => 2,
        "march" | "mar" => 3,
        "april" | "apr" => 4,
        "may" => 5,
        "june" | "jun" => 6,
        "july" | "jul" => 7,
        "august" | "aug" => 8,
        "september" | "sept" | "sep" => 9,
        "october" | "oct" => 10,
        "november" | "nov" => 11,
        "december" | "dec" => 12,
        _ => return None,
    })
}

fn weekday(word: &str) -> Option<Weekday> {
    Some(match word {
        "monday" => Weekday::Mon,
        "tuesday" => Weekday::Tue,
        "wednesday" => Weekday::Wed,
        "thursday" => Weekday::Thu,
        "friday" => Weekday::Fri,
        "saturday" => Weekday::Sat,
        "sunday" => Weekday::Sun,
        _ => return None,
    })
}

/// Seasons as months (northern hemisphere): first month and number of months.
fn season(word: &str) -> Option<(u32, u32)> {
    Some(match word {
        "spring" => (3, 3),
        "summer" => (6, 3),
        "fall" | "autumn" => (9, 3),
        "winter" => (12, 3),
        _ => return None,
    })
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

/// "Friday 11 June 2021".
pub fn spoken(day: Day) -> String {
    let d = day.to_naive();
    format!(
        "{} {} {} {}",
        d.weekday_name(),
        d.day(),
        MONTH_NAMES[d.month0() as usize],
        d.year()
    )
}

trait WeekdayName {
    fn weekday_name(&self) -> &'static str;
}

impl WeekdayName for NaiveDate {
    fn weekday_name(&self) -> &'static str {
        match self.weekday() {
            Weekday::Mon => "Monday",
            Weekday::Tue => "Tuesday",
            Weekday::Wed => "Wednesday",
            Weekday::Thu => "Thursday",
            Weekday::Fri => "Friday",
            Weekday::Sat => "Saturday",
            Weekday::Sun => "Sunday",
        }
    }
}

fn month_end(year: i32, month: u32) -> Option<Day> {
    let (y, m) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    Day::from_ymd(y, m, 1).map(|d| d.add_days(-1))
}

/// A date at the very start of a text (a dateline): `2021-05-26`, `February 10th, 2022`,
/// `10 February 2022`, `Thursday, February 10, 2022`; with the bytes it takes.
pub fn leading_date(text: &str) -> Option<(Day, usize)> {
    if let Some(day) = text.get(..10).and_then(|t| Day::parse_iso(t).ok()) {
        return Some((day, 10));
    }
    let ws = words(text);
    let mut i = 0;
    if ws.first().is_some_and(|w| weekday(&w.lower).is_some()) {
        i = 1;
    }
    if ws.get(i).is_some_and(|w| w.start > 24) {
        return None;
    }
    let (m, d, y_at) = match (ws.get(i), ws.get(i + 1)) {
        (Some(a), Some(b)) if month(&a.lower).is_some() => (month(&a.lower)?, ordinal(b)?, i + 2),
        (Some(a), Some(b)) if month(&b.lower).is_some() => (month(&b.lower)?, a.number()?, i + 2),
        _ => return None,
    };
    let mut y_at = y_at;
    if ws
        .get(y_at)
        .is_some_and(|w| matches!(w.lower.as_str(), "st" | "nd" | "rd" | "th"))
    {
        y_at += 1;
    }
    let year = ws.get(y_at)?;
    let y = year.number().filter(|y| (1900..=2100).contains(y))?;
    Some((Day::from_ymd(y as i32, m, d)?, year.end))
}

/// A day of the month, with or without its ordinal suffix ("10th").
fn ordinal(word: &Word) -> Option<u32> {
    let digits = word
        .lower
        .trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &word.lower[digits.len()..];
    if !matches!(suffix, "" | "st" | "nd" | "rd" | "th") {
        return None;
    }
    digits.parse().ok().filter(|d| (1..=31).contains(d))
}

/// A year a word spells (1900–2100).
fn year(word: Option<&Word>) -> Option<i32> {
    word?
        .number()
        .filter(|y| (1900..=2100).contains(y))
        .map(|y| y as i32)
}

/// The latest `month`/`day` on or before the anchor: a report dates past events without their
/// year.
fn latest_before(anchor: Day, month: u32, day: u32) -> Option<Day> {
    let year = anchor.to_naive().year();
    [year, year - 1]
        .into_iter()
        .filter_map(|y| Day::from_ymd(y, month, day))
        .find(|d| *d <= anchor)
}

/// The latest such weekday on or before the anchor (the anchor itself when it is one).
fn latest_weekday(anchor: Day, weekday: Weekday) -> Day {
    let back = (anchor.to_naive().weekday().num_days_from_monday() + 7
        - weekday.num_days_from_monday())
        % 7;
    anchor.add_days(-(back as i32))
}

/// Finds the dates of a sentence. Words inside a quotation (`quoted`) count from `speech`, the
/// day the statement was made, when it is known; the others from `publication`.
pub fn find(
    text: &str,
    quoted: &[(usize, usize)],
    publication: &Anchor,
    speech: Option<&Anchor>,
) -> Vec<Found> {
    let ws = words(text);
    let mut found: Vec<Found> = Vec::new();
    let mut i = 0;
    while i < ws.len() {
        let inside = quoted
            .iter()
            .any(|&(s, e)| ws[i].start >= s && ws[i].end <= e);
        let anchor = match (inside, speech) {
            (true, Some(s)) => s,
            _ => publication,
        };
        match at(text, &ws, i, anchor) {
            Some((date, last)) => {
                found.push(Found {
                    start: ws[i].start,
                    end: ws[last].end,
                    date,
                });
                i = last + 1;
            }
            None => i += 1,
        }
    }
    found
}

fn phrase(text: &str, ws: &[Word], first: usize, last: usize) -> String {
    text[ws[first].start..ws[last].end].to_owned()
}

/// A date starting at word `i`: what it resolves to and its last word.
fn at(text: &str, ws: &[Word], i: usize, anchor: &Anchor) -> Option<(Resolved, usize)> {
    // "Starting from." at the end of a text: nothing follows.
    let w = ws.get(i)?;
    let lower = w.lower.as_str();
    let next = |k: usize| ws.get(i + k).map(|w| w.lower.as_str());
    // "since 1991, when …" dates the event the clause tells; "since …" alone runs to the anchor.
    if lower == "since" || lower == "starting" {
        let mut k = 1;
        if lower == "starting" && next(1) == Some("from") {
            k = 2;
        }
        let (date, last) = match year(ws.get(i + k)) {
            Some(y) => (
                Resolved {
                    start: Day::from_ymd(y, 1, 1)?,
                    end: Day::from_ymd(y, 12, 31)?,
                    precision: DatePrecision::Year,
                    inferred: false,
                    reason: format!("'{y}' as written"),
                },
                i + k,
            ),
            None => at(text, ws, i + k, anchor)?,
        };
        let what = phrase(text, ws, i, last);
        let after = &text[ws[last].end..];
        if lower == "since" && after.trim_start_matches([',', ' ']).starts_with("when") {
            return Some((
                Resolved {
                    reason: format!(
                        "'{what}, when …' dates the event the clause tells: {}",
                        date.reason
                    ),
                    ..date
                },
                last,
            ));
        }
        let end = anchor.day.max(date.end);
        return Some((
            Resolved {
                start: date.start,
                end,
                precision: DatePrecision::Range,
                inferred: true,
                reason: format!(
                    "'{what}': from {} until {}, {}",
                    date.start, anchor.day, anchor.what
                ),
            },
            last,
        ));
    }
    // ISO dates.
    if w.text.len() == 4
        && let Some(day) = text
            .get(w.start..w.start + 10)
            .and_then(|t| Day::parse_iso(t).ok())
    {
        let last = ws.iter().rposition(|x| x.end <= w.start + 10)?;
        return Some((
            Resolved {
                start: day,
                end: day,
                precision: DatePrecision::Day,
                inferred: false,
                reason: format!("'{}' as written", &text[w.start..w.start + 10]),
            },
            last,
        ));
    }
    // A range of days of one month: "from 24 to 26 May", "24-26 May", "between 24 and 26 May".
    let from_to = if lower == "from" || lower == "between" {
        1
    } else {
        0
    };
    if let (Some(a), Some(sep), Some(b), Some(m)) = (
        ws.get(i + from_to).and_then(ordinal),
        ws.get(i + from_to + 1).map(|w| w.lower.as_str()),
        ws.get(i + from_to + 2).and_then(ordinal),
        ws.get(i + from_to + 3)
            .filter(|w| w.capitalised())
            .and_then(|w| month(&w.lower)),
    ) && (matches!(sep, "to" | "and" | "till" | "until")
        || (from_to == 0 && text[ws[i].end..ws[i + 1].start].contains(['-', '–'])))
    {
        let sep_is_word = matches!(sep, "to" | "and" | "till" | "until");
        let b_at = if sep_is_word {
            i + from_to + 2
        } else {
            i + from_to + 1
        };
        let (b, m_at) = if sep_is_word {
            (b, i + from_to + 3)
        } else {
            (ws.get(b_at).and_then(ordinal)?, b_at + 1)
        };
        let m = if sep_is_word {
            m
        } else {
            ws.get(m_at).and_then(|w| month(&w.lower))?
        };
        let (y, last, how) = year_of(text, ws, m_at, anchor, m, b);
        let start = Day::from_ymd(y, m, a)?;
        let end = Day::from_ymd(y, m, b)?;
        if start <= end {
            return Some((
                Resolved {
                    start,
                    end,
                    precision: DatePrecision::Range,
                    inferred: how.is_some(),
                    reason: format!(
                        "'{}': {start} to {end}{}",
                        phrase(text, ws, i, last),
                        how.map(|h| format!(" ({h})")).unwrap_or_default()
                    ),
                },
                last,
            ));
        }
    }
    // Month first: "Nov. 10, 2020", "June 11", "November 14, 2020"; a month alone: "In July",
    // "in January 2021", "In November and December of the last year".
    if let Some(m) = month(lower).filter(|_| w.capitalised()) {
        if let Some(d) = ws.get(i + 1).and_then(ordinal) {
            let (y, last, how) = year_of(text, ws, i + 1, anchor, m, d);
            let day = Day::from_ymd(y, m, d)?;
            return Some((single_day(day, &phrase(text, ws, i, last), how), last));
        }
        let before = i.checked_sub(1).map(|b| ws[b].lower.as_str());
        let mut last_month = m;
        let mut last = i;
        if next(1) == Some("and")
            && let Some(m2) = ws
                .get(i + 2)
                .filter(|w| w.capitalised())
                .and_then(|w| month(&w.lower))
        {
            last_month = m2;
            last = i + 2;
        }
        let stated = year(ws.get(last + 1));
        let last_year = last_year_at(ws, last + 1);
        if stated.is_some()
            || last_year.is_some()
            || matches!(
                before,
                Some("in" | "since" | "during" | "early" | "late" | "mid" | "until" | "of")
            )
        {
            let anchor_year = anchor.day.to_naive().year();
            let (y, how, last) = if let Some(y) = stated {
                (y, None, last + 1)
            } else if let Some(after) = last_year {
                (
                    anchor_year - 1,
                    Some(format!("'last year' counted from {}", anchor.what)),
                    after,
                )
            } else {
                // The latest such month that has begun by the anchor.
                let y = if Day::from_ymd(anchor_year, m, 1)? <= anchor.day {
                    anchor_year
                } else {
                    anchor_year - 1
                };
                (
                    y,
                    Some(format!(
                        "the last {} by {}",
                        MONTH_NAMES[m as usize - 1],
                        anchor.what
                    )),
                    last,
                )
            };
            let start = Day::from_ymd(y, m, 1)?;
            let end_year = if last_month < m { y + 1 } else { y };
            let end = month_end(end_year, last_month)?;
            let words = phrase(text, ws, i, last);
            return Some((
                Resolved {
                    start,
                    end,
                    precision: if last_month == m {
                        DatePrecision::Month
                    } else {
                        DatePrecision::Range
                    },
                    inferred: how.is_some(),
                    reason: format!(
                        "'{words}': {start} to {end}{}",
                        how.map(|h| format!(" ({h})")).unwrap_or_default()
                    ),
                },
                last,
            ));
        }
        return None;
    }
    // Day first: "24 May", "11 June 2021".
    if let Some(d) = ordinal(w)
        && let Some(m) = ws
            .get(i + 1)
            .filter(|w| w.capitalised())
            .and_then(|w| month(&w.lower))
    {
        let (y, last, how) = year_of(text, ws, i + 1, anchor, m, d);
        let day = Day::from_ymd(y, m, d)?;
        return Some((single_day(day, &phrase(text, ws, i, last), how), last));
    }
    // A year: "In 1991", "in 2020".
    if matches!(lower, "in" | "of" | "during")
        && let Some(y) = year(ws.get(i + 1))
    {
        let start = Day::from_ymd(y, 1, 1)?;
        let end = Day::from_ymd(y, 12, 31)?;
        return Some((
            Resolved {
                start,
                end,
                precision: DatePrecision::Year,
                inferred: false,
                reason: format!("'{}' as written", phrase(text, ws, i, i + 1)),
            },
            i + 1,
        ));
    }
    // Seasons: "the fall of 2020", "last autumn".
    if let Some((first, _)) = season(lower) {
        let (y, last, how) = if next(1) == Some("of")
            && let Some(y) = year(ws.get(i + 2))
        {
            (y, i + 2, None)
        } else if i > 0 && ws[i - 1].lower == "last" {
            let anchor_year = anchor.day.to_naive().year();
            let y = if first == 12 {
                anchor_year - 1
            } else {
                // The last such season that has ended by the anchor.
                let end = month_end(anchor_year, first + 2)?;
                if end < anchor.day {
                    anchor_year
                } else {
                    anchor_year - 1
                }
            };
            (
                y,
                i,
                Some(format!("the last {lower} before {}", anchor.what)),
            )
        } else {
            return None;
        };
        let start = Day::from_ymd(y, first, 1)?;
        let (end_y, end_m) = if first == 12 {
            (y + 1, 2)
        } else {
            (y, first + 2)
        };
        let end = month_end(end_y, end_m)?;
        let first_word = if how.is_some() { i - 1 } else { i };
        return Some((
            Resolved {
                start,
                end,
                precision: DatePrecision::Range,
                inferred: true,
                reason: format!(
                    "'{}': {start} to {end}, the months of the season{}",
                    phrase(text, ws, first_word, last),
                    how.map(|h| format!(" ({h})")).unwrap_or_default()
                ),
            },
            last,
        ));
    }
    // Weekdays: "on Thursday", "Saturday night", "Thursday's shelling".
    if let Some(wd) = weekday(lower).filter(|_| w.capitalised()) {
        let day = latest_weekday(anchor.day, wd);
        let mut last = i;
        if matches!(next(1), Some("night" | "evening" | "morning" | "afternoon"))
            || is_possessive(text, ws, i + 1)
        {
            last = i + 1;
        }
        let words = phrase(text, ws, i, last);
        let same = if day == anchor.day {
            " (the same day)"
        } else {
            ""
        };
        return Some((
            Resolved {
                start: day,
                end: day,
                precision: DatePrecision::Day,
                inferred: true,
                reason: format!(
                    "'{words}': the last {} by {}{same}: {}",
                    w.text,
                    anchor.what,
                    spoken(day)
                ),
            },
            last,
        ));
    }
    // Relative words.
    let relative = |start: Day, end: Day, precision: DatePrecision, last: usize, how: &str| {
        Some((
            Resolved {
                start,
                end,
                precision,
                inferred: true,
                reason: format!(
                    "'{}': {how}, counted from {}",
                    phrase(text, ws, i, last),
                    anchor.what
                ),
            },
            last,
        ))
    };
    let a = anchor.day;
    match lower {
        "yesterday" => {
            return relative(
                a.add_days(-1),
                a.add_days(-1),
                DatePrecision::Day,
                i,
                "the day before",
            );
        }
        "today" | "tonight" => return relative(a, a, DatePrecision::Day, i, "that day"),
        "last" | "past" | "previous" => match next(1) {
            Some("night") => {
                return relative(
                    a.add_days(-1),
                    a,
                    DatePrecision::Range,
                    i + 1,
                    "the night before",
                );
            }
            Some("week") => {
                let monday = latest_weekday(a, Weekday::Mon).add_days(-7);
                return relative(
                    monday,
                    monday.add_days(6),
                    DatePrecision::Week,
                    i + 1,
                    "the week before, Monday to Sunday",
                );
            }
            Some("24") if next(2) == Some("hours") => {
                return relative(
                    a.add_days(-1),
                    a,
                    DatePrecision::Range,
                    i + 2,
                    "the day before and that day",
                );
            }
            Some(n) if next(2) == Some("days") => {
                let n = n
                    .parse::<i32>()
                    .ok()
                    .or_else(|| number_word(n).map(|n| n as i32))?;
                return relative(
                    a.add_days(-n),
                    a,
                    DatePrecision::Range,
                    i + 2,
                    &format!("the {n} days up to"),
                );
            }
            _ => {}
        },
        _ => {}
    }
    if next(1) == Some("days") && next(2) == Some("ago") {
        let n = w.number().or_else(|| number_word(lower))? as i32;
        let day = a.add_days(-n);
        return relative(
            day,
            day,
            DatePrecision::Day,
            i + 2,
            &format!("{n} days before"),
        );
    }
    None
}

/// "last year" (or "of the last year") starting at word `i`: the index of "year".
fn last_year_at(ws: &[Word], i: usize) -> Option<usize> {
    let mut k = i;
    if ws.get(k).is_some_and(|w| w.lower == "of") {
        k += 1;
    }
    if ws.get(k).is_some_and(|w| w.lower == "the") {
        k += 1;
    }
    (ws.get(k).is_some_and(|w| w.lower == "last")
        && ws.get(k + 1).is_some_and(|w| w.lower == "year"))
    .then_some(k + 1)
}

/// The year of a day and month ending at word `at`: written after it ("Nov. 10, 2020"), "last
/// year", or the latest such day by the anchor. With the last word used and, when the year is
/// not written, how it was found.
fn year_of(
    text: &str,
    ws: &[Word],
    at: usize,
    anchor: &Anchor,
    month: u32,
    day: u32,
) -> (i32, usize, Option<String>) {
    let mut k = at + 1;
    if ws
        .get(k)
        .is_some_and(|w| matches!(w.lower.as_str(), "st" | "nd" | "rd" | "th"))
        && ws[k].start == ws[at].end
    {
        k += 1;
    }
    let _ = text;
    if let Some(y) = year(ws.get(k)) {
        return (y, k, None);
    }
    if let Some(after) = last_year_at(ws, k) {
        return (
            anchor.day.to_naive().year() - 1,
            after,
            Some(format!("'last year' counted from {}", anchor.what)),
        );
    }
    let found = latest_before(anchor.day, month, day);
    let y = found.map_or(anchor.day.to_naive().year(), |d| d.to_naive().year());
    (
        y,
        at,
        Some(format!(
            "no year given: the last {day} {} by {}",
            MONTH_NAMES[month as usize - 1],
            anchor.what
        )),
    )
}

fn single_day(day: Day, words: &str, how: Option<String>) -> Resolved {
    Resolved {
        start: day,
        end: day,
        precision: DatePrecision::Day,
        inferred: how.is_some(),
        reason: match how {
            Some(h) => format!("'{words}': {day} ({h})"),
            None => format!("'{words}' as written"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn anchor(iso: &str) -> Anchor {
        Anchor {
            day: Day::parse_iso(iso).expect("test date"),
            what: format!("the publication date, {iso}"),
        }
    }

    fn dates(text: &str, published: &str) -> Vec<(String, String, &'static str, bool)> {
        find(text, &[], &anchor(published), None)
            .into_iter()
            .map(|f| {
                (
                    f.date.start.to_string(),
                    f.date.end.to_string(),
                    f.date.precision.as_str(),
                    f.date.inferred,
                )
            })
            .collect()
    }

    fn one(text: &str, published: &str) -> (String, String) {
        let found = dates(text, published);
        assert_eq!(found.len(), 1, "{text}: {found:?}");
        (found[0].0.clone(), found[0].1.clone())
    }

    #[test]
    fn absolute_dates_take_their_year_from_the_text_or_the_anchor() {
        assert_eq!(
            one("On Nov. 10, 2020, they signed.", "2022-02-10"),
            ("2020-11-10".into(), "2020-11-10".into())
        );
        assert!(!dates("On Nov. 10, 2020, they signed.", "2022-02-10")[0].3);
        // No year: the last such day by the publication date.
        assert_eq!(
            one("On May 27, six were detained.", "2021-06-11").0,
            "2021-05-27"
        );
        assert_eq!(
            one("On Nov. 10, they signed.", "2021-05-26").0,
            "2020-11-10"
        );
        assert!(dates("On Nov. 10, they signed.", "2021-05-26")[0].3);
        assert_eq!(
            one("On December 9 shots were fired.", "2022-01-03").0,
            "2021-12-09"
        );
        assert_eq!(
            one("fighting on 3 March 2021 began", "2022-01-03").0,
            "2021-03-03"
        );
        assert_eq!(
            one("clashes erupted on Sept. 27 last year", "2021-05-26").0,
            "2020-09-27"
        );
        assert_eq!(
            one("a bus hit a mine on June 4th.", "2021-06-11").0,
            "2021-06-04"
        );
    }

    #[test]
    fn ranges_months_years_and_seasons() {
        assert_eq!(
            one(
                "Starting from 24 to 26 May, positions were fired on",
                "2021-05-26"
            ),
            ("2021-05-24".into(), "2021-05-26".into())
        );
        assert_eq!(
            one("between 3 and 5 April fire was opened", "2021-05-26"),
            ("2021-04-03".into(), "2021-04-05".into())
        );
        assert_eq!(
            one("In July, returns began.", "2022-08-08"),
            ("2022-07-01".into(), "2022-07-31".into())
        );
        assert_eq!(
            one("In January 2021, leaders signed.", "2022-08-08"),
            ("2021-01-01".into(), "2021-01-31".into())
        );
        assert_eq!(
            one(
                "In November and December of the last year, two attacks",
                "2021-06-11"
            ),
            ("2020-11-01".into(), "2020-12-31".into())
        );
        assert_eq!(
            one("In 1991, the military occupied it.", "2021-05-26"),
            ("1991-01-01".into(), "1991-12-31".into())
        );
        assert_eq!(
            one(
                "During the conflict in the fall of 2020, it ended.",
                "2022-08-08"
            ),
            ("2020-09-01".into(), "2020-11-30".into())
        );
        assert_eq!(
            one("They battled for six weeks last autumn.", "2021-11-15"),
            ("2020-09-01".into(), "2020-11-30".into())
        );
        // "May" the verb is not a month.
        assert!(dates("Troops may open fire.", "2021-06-11").is_empty());
    }

    #[test]
    fn weekdays_and_relative_words_count_from_the_anchor() {
        // Friday 11 June 2021.
        assert_eq!(
            one(
                "The ministry reported shelling on Thursday, as well.",
                "2021-06-11"
            )
            .0,
            "2021-06-10"
        );
        assert_eq!(one("fire opened on Friday.", "2021-06-11").0, "2021-06-11");
        assert_eq!(
            one(
                "Armenian authorities described Thursday's shelling",
                "2021-06-11"
            )
            .0,
            "2021-06-10"
        );
        // Monday 15 November 2021.
        assert_eq!(
            one("forces on Saturday night used rifles", "2021-11-15").0,
            "2021-11-13"
        );
        assert_eq!(
            one("soldiers were killed yesterday", "2021-11-15").0,
            "2021-11-14"
        );
        assert_eq!(
            one("a soldier was killed last week", "2022-08-08"),
            ("2022-08-01".into(), "2022-08-07".into())
        );
        assert_eq!(
            one("ten times over the past 24 hours", "2022-08-08"),
            ("2022-08-07".into(), "2022-08-08".into())
        );
        assert_eq!(one("we talked two days ago", "2022-08-06").0, "2022-08-04");
        assert!(dates("on Thursday", "2021-06-11")[0].3);
    }

    #[test]
    fn since_runs_to_the_anchor_unless_a_when_clause_follows() {
        // Nothing after "Starting from" or "Since": no date, no panic.
        assert!(dates("Starting from. Since", "2022-02-10").is_empty());
        assert_eq!(
            one(
                "wounded since the ceasefire came into force on November 10",
                "2021-06-11"
            ),
            ("2020-11-10".into(), "2020-11-10".into())
        );
        assert_eq!(
            one("killed since November 10.", "2021-06-11"),
            ("2020-11-10".into(), "2021-06-11".into())
        );
        assert_eq!(
            one("tense since 1991, when the military occupied", "2022-02-10"),
            ("1991-01-01".into(), "1991-12-31".into())
        );
        assert_eq!(
            one(
                "Starting from Wednesday evening, units opened fire",
                "2022-02-10"
            ),
            ("2022-02-09".into(), "2022-02-10".into())
        );
    }

    #[test]
    fn quoted_relative_words_count_from_the_day_of_the_statement() {
        let text = "\"We talked two days ago,\" he said.";
        let speech = anchor("2022-08-06");
        let found = find(text, &[(0, 26)], &anchor("2022-08-08"), Some(&speech));
        assert_eq!(found[0].date.start.to_string(), "2022-08-04");
    }

    #[test]
    fn datelines() {
        assert_eq!(
            leading_date("2021-05-26 Armenian").map(|d| (d.0.to_string(), d.1)),
            Some(("2021-05-26".into(), 10))
        );
        assert_eq!(
            leading_date("February 10th, 2022").map(|d| d.0.to_string()),
            Some("2022-02-10".into())
        );
        assert_eq!(
            leading_date("Thursday, 10 February 2022").map(|d| d.0.to_string()),
            Some("2022-02-10".into())
        );
        assert_eq!(leading_date("Residents look"), None);
    }
}

/// "Two months later", "a week later", "three days later": counted from the event the report told
/// just before (`previous`), whose date is known.
pub fn later(text: &str, previous: &Resolved) -> Option<Found> {
    let ws = words(text);
    let at = ws.iter().position(|w| w.lower == "later")?;
    if at < 2 {
        return None;
    }
    let (count, unit) = (&ws[at - 2], &ws[at - 1]);
    let n = count
        .number()
        .or_else(|| number_word(&count.lower))
        .filter(|n| (1..=60).contains(n))?;
    let from = previous.start;
    let shifted = |months: u32| {
        from.to_naive()
            .checked_add_months(chrono::Months::new(months))
            .map(Day::from_naive)
    };
    let (start, end, precision) = match unit.lower.trim_end_matches('s') {
        "day" => (
            from.add_days(n as i32),
            from.add_days(n as i32),
            DatePrecision::Day,
        ),
        "week" => (
            from.add_days(7 * n as i32 - 3),
            from.add_days(7 * n as i32 + 3),
            DatePrecision::Week,
        ),
        "month" => {
            let d = shifted(n)?.to_naive();
            (
                Day::from_ymd(d.year(), d.month(), 1)?,
                month_end(d.year(), d.month())?,
                DatePrecision::Month,
            )
        }
        "year" => {
            let y = shifted(12 * n)?.to_naive().year();
            (
                Day::from_ymd(y, 1, 1)?,
                Day::from_ymd(y, 12, 31)?,
                DatePrecision::Year,
            )
        }
        _ => return None,
    };
    Some(Found {
        start: count.start,
        end: ws[at].end,
        date: Resolved {
            start,
            end,
            precision,
            inferred: true,
            reason: format!(
                "'{}': counted from the event told before it ({}): {start} to {end}",
                &text[count.start..ws[at].end],
                previous.start
            ),
        },
    })
}

#[cfg(test)]
mod later_tests {
    use super::*;

    #[test]
    fn later_counts_from_the_event_before() {
        let before = Resolved {
            start: Day::parse_iso("2020-11-10").expect("date"),
            end: Day::parse_iso("2020-11-10").expect("date"),
            precision: DatePrecision::Day,
            inferred: false,
            reason: String::new(),
        };
        let f = later("Two months later, the leaders signed a pact.", &before).expect("found");
        assert_eq!(
            (f.date.start.to_string(), f.date.end.to_string()),
            ("2021-01-01".into(), "2021-01-31".into())
        );
        let f = later("Three days later, a soldier was killed.", &before).expect("found");
        assert_eq!(f.date.start.to_string(), "2020-11-13");
        assert!(later("Later, talks began.", &before).is_none());
    }
}
