//! A report cut into paragraphs and sentences, by byte spans of its text. A sentence ends at a
//! full stop, question or exclamation mark followed by a capital, a digit or an opening quote —
//! not after an abbreviation ("Nov.", "U.S.") and not inside a quotation that closes later in the
//! paragraph ("No retaliatory fire was opened. There are no losses," the statement added). A
//! paragraph is a line or lines between blank lines; a long line without final punctuation is
//! wrapped and goes on on the next. A paragraph without final punctuation is a heading; one
//! ending in "(Photo by … / AFP)" or "(AFP Photo)" is a photo caption.

/// One sentence.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Sentence {
    pub start: usize,
    pub end: usize,
    pub paragraph: usize,
    /// A heading: no final punctuation.
    pub heading: bool,
    /// The agency a photo caption credits.
    pub caption: Option<String>,
}

/// Abbreviations a full stop does not end a sentence after (lower case).
const ABBREVIATIONS: &[&str] = &[
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mr",
    "mrs", "ms", "dr", "gen", "lt", "col", "maj", "capt", "st", "no", "vs", "etc", "sen", "rep",
    "gov", "prof", "jr", "sr", "co", "inc", "ltd",
];

/// A line at least this long without final punctuation was wrapped, not a heading.
const WRAPPED_LINE: usize = 60;

fn ends_sentence(line: &str) -> bool {
    let t = line
        .trim_end()
        .trim_end_matches(['"', '”', '’', '\'', ')', '»']);
    t.ends_with(['.', '!', '?', '…', ':'])
}

/// Paragraph spans of a text.
fn paragraphs(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut offset = 0;
    let mut previous_wrapped = false;
    for line in text.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        let blank = content.trim().is_empty();
        let line_start = offset;
        let line_end = offset + content.len();
        offset += line.len();
        if blank {
            if let Some(s) = start.take() {
                out.push((s, line_start));
            }
            previous_wrapped = false;
            continue;
        }
        match start {
            Some(s) if !previous_wrapped => {
                out.push((s, line_start));
                start = Some(line_start);
            }
            Some(_) => {}
            None => start = Some(line_start),
        }
        previous_wrapped = !ends_sentence(content)
            && !content.trim_end().ends_with(')')
            && content.trim().chars().count() >= WRAPPED_LINE;
        let _ = line_end;
    }
    if let Some(s) = start {
        out.push((s, text.len()));
    }
    out.into_iter()
        .map(|(a, b)| {
            let slice = &text[a..b];
            let lead = slice.len() - slice.trim_start().len();
            (a + lead, a + slice.trim_end().len())
        })
        .filter(|(a, b)| a < b)
        .collect()
}

/// Whether quotation marks open at the end of `text` (straight quotes toggle; curly ones open
/// and close).
fn quote_open_after(text: &str) -> bool {
    let mut open = false;
    for c in text.chars() {
        match c {
            '“' | '«' => open = true,
            '”' | '»' => open = false,
            '"' => open = !open,
            _ => {}
        }
    }
    open
}

/// The sentences of a paragraph.
fn split_paragraph(
    text: &str,
    start: usize,
    end: usize,
    guard_quotes: bool,
) -> Vec<(usize, usize)> {
    let p = &text[start..end];
    let mut out = Vec::new();
    let mut sentence_start = 0;
    let chars: Vec<(usize, char)> = p.char_indices().collect();
    let mut k = 0;
    while k < chars.len() {
        let (i, c) = chars[k];
        if !matches!(c, '.' | '!' | '?' | '…') {
            k += 1;
            continue;
        }
        // Closing quotes and brackets belong to the sentence.
        let mut j = k + 1;
        while j < chars.len() && matches!(chars[j].1, '"' | '”' | '’' | '\'' | ')' | '»') {
            j += 1;
        }
        let end_byte = chars.get(j).map_or(p.len(), |&(b, _)| b);
        // Then a space and a capital, digit or opening quote.
        let mut m = j;
        while m < chars.len() && chars[m].1.is_whitespace() {
            m += 1;
        }
        if m == j || m >= chars.len() {
            k = j.max(k + 1);
            continue;
        }
        let next = chars[m].1;
        let starts = next.is_uppercase()
            || next.is_ascii_digit()
            || matches!(next, '"' | '“' | '«' | '(' | '\'' | '‘');
        let word_before: String = p[..i]
            .chars()
            .rev()
            .take_while(|c| c.is_alphanumeric())
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        let abbreviation = c == '.'
            && (ABBREVIATIONS.contains(&word_before.to_lowercase().as_str())
                || (word_before.chars().count() == 1
                    && word_before.chars().all(char::is_uppercase)));
        let in_quote = guard_quotes && quote_open_after(&p[sentence_start..end_byte]);
        if starts && !abbreviation && !in_quote {
            out.push((start + sentence_start, start + end_byte));
            sentence_start = chars[m].0;
        }
        k = j.max(k + 1);
    }
    if sentence_start < p.len() {
        out.push((start + sentence_start, end));
    }
    out
}

/// The agency a caption credits: "(Photo by Alexander NEMENOV / AFP)", "(AFP Photo)".
fn caption_agency(paragraph: &str) -> Option<String> {
    let t = paragraph.trim_end();
    let inner = t.strip_suffix(')')?;
    let open = inner.rfind('(')?;
    let credit = inner[open + 1..].trim();
    if let Some(rest) = credit
        .strip_prefix("Photo by ")
        .or_else(|| credit.strip_prefix("Photo: "))
    {
        return Some(rest.rsplit('/').next().unwrap_or(rest).trim().to_owned());
    }
    let lower = credit.to_lowercase();
    lower
        .strip_suffix(" photo")
        .map(|_| credit[..credit.len() - " photo".len()].trim().to_owned())
}

/// A news agency's dateline opening a paragraph ("BAKU, March 3 (Reuters) - "): where the
/// story's own words begin. It dates the wire, not the events.
fn agency_dateline(paragraph: &str) -> Option<usize> {
    let head = paragraph.get(..paragraph.len().min(90))?;
    let comma = head.find(',')?;
    let city = &head[..comma];
    if city.chars().filter(|c| c.is_alphabetic()).count() < 3
        || city.chars().any(|c| c.is_lowercase())
    {
        return None;
    }
    [" - ", " – ", " — "]
        .iter()
        .filter_map(|d| head.find(d).map(|at| at + d.len()))
        .min()
}

/// The sentences of a report.
pub fn split(text: &str) -> Vec<Sentence> {
    let mut out = Vec::new();
    for (n, (a, b)) in paragraphs(text).into_iter().enumerate() {
        let a = a + agency_dateline(&text[a..b]).unwrap_or(0);
        let paragraph = &text[a..b];
        let heading = !ends_sentence(paragraph) && !paragraph.trim_end().ends_with(')');
        let caption = caption_agency(paragraph);
        // A quotation that never closes in its paragraph must not hold the paragraph together.
        let guard = !quote_open_after(paragraph);
        for (s, e) in split_paragraph(text, a, b, guard) {
            out.push(Sentence {
                start: s,
                end: e,
                paragraph: n,
                heading,
                caption: caption.clone(),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<&str> {
        split(text)
            .into_iter()
            .map(|s| &text[s.start..s.end])
            .collect()
    }

    #[test]
    fn abbreviations_and_quotations_hold_a_sentence_together() {
        assert_eq!(
            texts("On Nov. 10, the two countries signed. The U.S. agreed.\n"),
            ["On Nov. 10, the two countries signed.", "The U.S. agreed."]
        );
        assert_eq!(
            texts(
                "\"No retaliatory fire was opened. There are no losses,\" the statement added. It ended."
            ),
            [
                "\"No retaliatory fire was opened. There are no losses,\" the statement added.",
                "It ended."
            ]
        );
    }

    #[test]
    fn headings_captions_and_wrapped_lines() {
        let text = "KARABAKH CONFLICT\n\nResidents look at houses on November 14, 2020. (Photo by A. B / AFP)\nThe ministry said that positions in the Kalbajar region were fired\nat overnight. No losses.\n";
        let s = split(text);
        assert!(s[0].heading);
        assert_eq!(s[1].caption.as_deref(), Some("AFP"));
        assert!(!s[1].heading);
        let last: Vec<&str> = s
            .iter()
            .filter(|x| x.caption.is_none() && !x.heading)
            .map(|x| &text[x.start..x.end])
            .collect();
        assert_eq!(
            last,
            [
                "The ministry said that positions in the Kalbajar region were fired\nat overnight.",
                "No losses."
            ]
        );
        assert_eq!(caption_agency("A car. (AFP Photo)").as_deref(), Some("AFP"));
        assert_eq!(
            texts("YEREVAN, Sept 13 (Wire) - Shelling began overnight. It stopped."),
            ["Shelling began overnight.", "It stopped."]
        );
    }
}
