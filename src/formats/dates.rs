//! Dates as other tools write them: "2021-05-26", "2021-05-26 00:00:00", "26 May 2021",
//! "26-May-21", "26/05/2021", "May 26, 2021", "20210526"; and periods: "2021-05", "May 2021",
//! "2021", "2021-05-24/2021-05-26". Hand-written (no allocation, no format-string parsing): ACLED
//! files have a million of them.

use crate::model::{DateInterval, DatePrecision, Day};

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

#[derive(Copy, Clone, Debug)]
enum Token<'a> {
    /// Value and number of digits.
    Num(u32, usize),
    Word(&'a str),
}

/// Up to three date tokens and the byte offset where the third ends.
fn tokens(text: &str) -> (Vec<Token<'_>>, usize) {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(3);
    let mut i = 0;
    let mut end = 0;
    while i < bytes.len() && out.len() < 3 {
        let b = bytes[i];
        if b.is_ascii_digit() {
            let start = i;
            let mut value: u32 = 0;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                value = value
                    .saturating_mul(10)
                    .saturating_add(u32::from(bytes[i] - b'0'));
                i += 1;
            }
            out.push(Token::Num(value, i - start));
            end = i;
        } else if b.is_ascii_alphabetic() {
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_alphabetic() {
                i += 1;
            }
            out.push(Token::Word(&text[start..i]));
            end = i;
        } else if matches!(b, b' ' | b'-' | b'/' | b'.' | b',') && !out.is_empty() {
            // Only between tokens: "-2021-05-26" is not a date (a minus sign, a lost century).
            i += 1;
        } else {
            break;
        }
    }
    (out, end)
}

fn month_of(word: &str) -> Option<u32> {
    if word.len() < 3 {
        return None;
    }
    let lower = word.to_ascii_lowercase();
    MONTHS
        .iter()
        .position(|m| m.starts_with(&lower) || (lower == "sept" && *m == "september"))
        .map(|i| i as u32 + 1)
}

fn year_of(value: u32, digits: usize) -> Option<i32> {
    match digits {
        4 => Some(value as i32),
        2 if value < 50 => Some(2000 + value as i32),
        2 => Some(1900 + value as i32),
        _ => None,
    }
}

fn ymd(year: i32, month: u32, day: u32) -> Option<Day> {
    if !(1..=9999).contains(&year) {
        return None;
    }
    Day::from_ymd(year, month, day)
}

/// Whatever follows a date must be nothing or a time of day ("00:00:00", "T13:45Z").
fn rest_is_time(rest: &str) -> bool {
    let rest = rest.trim_end();
    if rest.is_empty() {
        return true;
    }
    let rest = rest
        .strip_prefix('T')
        .or_else(|| rest.strip_prefix(' '))
        .unwrap_or("");
    let rest = rest.trim_start();
    rest.as_bytes().first().is_some_and(u8::is_ascii_digit)
        && rest.bytes().all(|b| {
            b.is_ascii_digit() || matches!(b, b':' | b'.' | b'+' | b'-' | b'Z' | b' ' | b'T')
        })
}

/// One calendar day, in any of the spellings above; a time of day after it is ignored.
/// `26/05/2021` is read day first, unless the middle number cannot be a month (`05/26/2021`).
pub fn parse_day(text: &str) -> Option<Day> {
    let text = text.trim();
    let (tokens, end) = tokens(text);
    if !rest_is_time(&text[end..]) {
        return None;
    }
    use Token::{Num, Word};
    match tokens.as_slice() {
        [Num(y, 4), Num(m, 1..=2), Num(d, 1..=2)] => ymd(*y as i32, *m, *d),
        [Num(d, 1..=2), Word(m), Num(y, yd)] => ymd(year_of(*y, *yd)?, month_of(m)?, *d),
        [Word(m), Num(d, 1..=2), Num(y, 4)] => ymd(*y as i32, month_of(m)?, *d),
        [Num(a, 1..=2), Num(b, 1..=2), Num(y, yd @ (2 | 4))] => {
            let year = year_of(*y, *yd)?;
            if *b > 12 {
                ymd(year, *a, *b)
            } else {
                ymd(year, *b, *a)
            }
        }
        [Num(n, 8)] => ymd((n / 10_000) as i32, (n / 100) % 100, n % 100),
        _ => None,
    }
}

/// The last day of a month.
fn month_end(year: i32, month: u32) -> Option<Day> {
    let (ny, nm) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    Some(Day::from_ymd(ny, nm, 1)?.add_days(-1))
}

/// The whole month a day falls in, at month precision.
pub fn month_interval(year: i32, month: u32) -> Option<DateInterval> {
    let start = ymd(year, month, 1)?;
    DateInterval::new(start, month_end(year, month)?, DatePrecision::Month).ok()
}

/// The whole year, at year precision.
pub fn year_interval(year: i32) -> Option<DateInterval> {
    DateInterval::new(ymd(year, 1, 1)?, ymd(year, 12, 31)?, DatePrecision::Year).ok()
}

/// A day or a period: a day (precision day), "2021-05" or "May 2021" (month), "2021" (year), or
/// two days joined by "/", " to " or a dash (range; precision range).
pub fn parse_interval(text: &str) -> Option<DateInterval> {
    let text = text.trim();
    if let Some(day) = parse_day(text) {
        return Some(DateInterval::day(day));
    }
    for separator in ["/", " to ", " – ", "–", " — ", "—", " - ", "--"] {
        if let Some((a, b)) = text.split_once(separator)
            && let (Some(start), Some(end)) = (parse_day(a), parse_day(b))
        {
            return DateInterval::new(start, end, DatePrecision::Range).ok();
        }
    }
    let (tokens, end) = tokens(text);
    if !text[end..].trim().is_empty() {
        return None;
    }
    use Token::{Num, Word};
    match tokens.as_slice() {
        [Num(y, 4)] => year_interval(*y as i32),
        [Num(y, 4), Num(m, 1..=2)] => month_interval(*y as i32, *m),
        [Word(m), Num(y, 4)] => month_interval(*y as i32, month_of(m)?),
        _ => None,
    }
}

/// A day from a number of seconds (or, above 10^11, milliseconds) since 1970-01-01 UTC.
pub fn day_from_epoch(value: f64) -> Option<Day> {
    if !value.is_finite() {
        return None;
    }
    let seconds = if value.abs() >= 1e11 {
        value / 1000.0
    } else {
        value
    };
    let days = (seconds / 86_400.0).floor();
    // Years 1 to 9999.
    (-719_162.0..=2_932_896.0)
        .contains(&days)
        .then_some(Day(days as i32))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Day {
        Day::parse_iso(text).expect("test date")
    }

    #[test]
    fn days_in_every_spelling() {
        let may26 = d("2021-05-26");
        for text in [
            "2021-05-26",
            " 2021-05-26 ",
            "2021-5-26",
            "2021/05/26",
            "2021-05-26 00:00:00",
            "2021-05-26T13:45:00Z",
            "2021-05-26T13:45:00+04:00",
            "26 May 2021",
            "26 may 2021",
            "26-May-21",
            "26-May-2021",
            "26 MAY 2021",
            "26/05/2021",
            "26.05.2021",
            "05/26/2021",
            "May 26, 2021",
            "20210526",
        ] {
            assert_eq!(parse_day(text), Some(may26), "{text}");
        }
        assert_eq!(parse_day("4 Sept 2020"), Some(d("2020-09-04")));
        assert_eq!(parse_day("01-Jan-98"), Some(d("1998-01-01")));
        assert_eq!(parse_day("03/04/2021"), Some(d("2021-04-03")), "day first");
    }

    #[test]
    fn not_days() {
        for text in [
            "",
            "yesterday",
            "2021-02-30",
            "2021-05-26 later",
            "32/05/2021",
            "26 Mai 2021x",
            "2021",
            "2021-05",
            "26 Ma 2021",
            "99999999999999999999",
            "0000-01-01",
            // Issue 19: a leading sign or separator was skipped, and these read as 2021-05-26.
            "-2021-05-26",
            "/2021-05-26",
            ", 26 May 2021",
            ".26/05/2021",
        ] {
            assert_eq!(parse_day(text), None, "{text}");
        }
        for text in [
            "-2021-05-26",
            "/2021-05-26",
            ", 26 May 2021",
            "-2021",
            "-2021-05",
            "/May 2021",
        ] {
            assert_eq!(parse_interval(text), None, "{text}");
        }
    }

    #[test]
    fn periods() {
        let month = parse_interval("2021-05").expect("month");
        assert_eq!(
            (month.start(), month.end()),
            (d("2021-05-01"), d("2021-05-31"))
        );
        assert_eq!(month.precision, DatePrecision::Month);
        let feb = parse_interval("February 2024").expect("month");
        assert_eq!(feb.end(), d("2024-02-29"));
        let dec = parse_interval("2021-12").expect("month");
        assert_eq!(dec.end(), d("2021-12-31"));
        let year = parse_interval("2020").expect("year");
        assert_eq!(
            (year.start(), year.end()),
            (d("2020-01-01"), d("2020-12-31"))
        );
        assert_eq!(year.precision, DatePrecision::Year);
        let range = parse_interval("2021-05-24/2021-05-26").expect("range");
        assert_eq!(
            (range.start(), range.end()),
            (d("2021-05-24"), d("2021-05-26"))
        );
        assert_eq!(range.precision, DatePrecision::Range);
        assert!(
            parse_interval("2021-05-26 to 2021-05-24").is_none(),
            "backwards"
        );
        assert!(parse_interval("26/05/2021").is_some_and(|i| i.is_exact()));
        assert!(parse_interval("soon").is_none());
    }

    #[test]
    fn epochs() {
        assert_eq!(day_from_epoch(1_622_000_000.0), Some(d("2021-05-26")));
        assert_eq!(day_from_epoch(1_622_000_000_000.0), Some(d("2021-05-26")));
        assert_eq!(day_from_epoch(f64::NAN), None);
        assert_eq!(day_from_epoch(1e300), None);
    }
}
