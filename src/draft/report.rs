//! Reading a report into plain text: a text file as it is, a saved web page as its article text
//! (scripts, styles, menus, headers and footers dropped), an e-mail as its text part. Each also
//! says when it was published where it can: a dateline at the top of a text, the page's
//! publication metadata, the e-mail's `Date` header.

use std::path::Path;

use crate::model::Day;

/// What kind of file a report came in.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum ReportKind {
    Text,
    Html,
    Email,
}

impl ReportKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ReportKind::Text => "text",
            ReportKind::Html => "html",
            ReportKind::Email => "email",
        }
    }

    /// By the file's extension; an unknown one by its first bytes.
    pub fn of(path: &Path, bytes: &[u8]) -> ReportKind {
        let extension = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match extension.as_deref() {
            Some("html" | "htm" | "xhtml") => ReportKind::Html,
            Some("eml") => ReportKind::Email,
            Some("txt" | "text" | "md") => ReportKind::Text,
            _ => {
                let head = String::from_utf8_lossy(&bytes[..bytes.len().min(2048)]).to_lowercase();
                let head = head.trim_start();
                if head.starts_with("<!doctype html") || head.starts_with("<html") {
                    ReportKind::Html
                } else if head.lines().take(30).any(|l| l.starts_with("date:"))
                    && head.lines().take(30).any(|l| l.starts_with("from:"))
                {
                    ReportKind::Email
                } else {
                    ReportKind::Text
                }
            }
        }
    }
}

/// A publication date and where it was found.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Published {
    pub day: Day,
    /// "the dateline '…'", "the page's article:published_time", "the e-mail's Date header".
    pub found_in: String,
}

/// A report as plain text.
#[derive(Clone, PartialEq, Debug)]
pub struct ReportText {
    pub kind: ReportKind,
    /// The text the quotes are cut from; paragraphs separated by blank lines or line breaks.
    pub text: String,
    pub title: Option<String>,
    pub published: Option<Published>,
}

/// Decodes a file's bytes: UTF-8 (a BOM dropped), else Windows-1252, what saved pages and old
/// e-mails that are not UTF-8 mostly are.
pub fn decode(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(_) => encoding_rs::WINDOWS_1252.decode(bytes).0.into_owned(),
    }
}

/// Reads a report of any kind.
pub fn read(path: &Path, bytes: &[u8]) -> ReportText {
    match ReportKind::of(path, bytes) {
        ReportKind::Text => read_text(&decode(bytes)),
        ReportKind::Html => read_html(&decode(bytes)),
        ReportKind::Email => read_email(bytes),
    }
}

/// A plain text: its dateline, if one of its first lines starts with a date, is taken off the
/// text (so no quote begins with it) and gives the publication date.
pub fn read_text(text: &str) -> ReportText {
    let text = text.replace("\r\n", "\n");
    let mut published = None;
    let mut body_start = 0;
    let mut offset = 0;
    for line in text.split_inclusive('\n').take(6) {
        if let Some((day, len)) = dateline(line) {
            let shown = line[..len].trim();
            published = Some(Published {
                day,
                found_in: format!("the dateline '{shown}'"),
            });
            body_start = offset + len;
            break;
        }
        offset += line.len();
    }
    // Only a dateline that opens a line of running text is cut; one on its own line stays, as a
    // heading the drafter skips.
    let body = text[body_start..].trim_start().to_owned();
    let title = body
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.ends_with('.') && l.split_whitespace().count() >= 3)
        .map(str::to_owned);
    ReportText {
        kind: ReportKind::Text,
        text: body,
        title,
        published,
    }
}

/// A line that starts with a date (after an optional label such as "date", "published" or
/// "posted"), or that is only a date ("February 10th, 2022"): the day and how many bytes the
/// label and date take. A date further into a line (a photo caption's) is not a dateline.
pub fn dateline(line: &str) -> Option<(Day, usize)> {
    let trimmed_start = line.len() - line.trim_start().len();
    let rest = &line[trimmed_start..];
    let lower = rest.to_ascii_lowercase();
    let mut skip = 0;
    for label in [
        "date:",
        "date",
        "published:",
        "published",
        "posted:",
        "posted",
        "updated:",
    ] {
        if lower.starts_with(label) {
            skip = label.len();
            break;
        }
    }
    let after_label = &rest[skip..];
    let lead = after_label.len() - after_label.trim_start().len();
    let candidate = &after_label[lead..];
    let (day, len) = super::dates::leading_date(candidate)?;
    let consumed = trimmed_start + skip + lead + len;
    // A date with nothing after it on its line, or a labelled or ISO date opening the line.
    let tail = line[consumed..].trim();
    let iso = candidate.as_bytes().get(4) == Some(&b'-');
    if tail.is_empty() || skip > 0 || iso {
        Some((day, consumed))
    } else {
        None
    }
}

/// Elements whose text is not the article's.
const SKIPPED_ELEMENTS: &[&str] = &[
    "script", "style", "nav", "header", "footer", "aside", "noscript", "form", "svg", "template",
    "iframe", "button", "select", "menu", "head",
];

/// Elements that end a paragraph.
const BLOCK_ELEMENTS: &[&str] = &[
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "article",
    "section",
    "blockquote",
    "figcaption",
    "figure",
    "tr",
    "table",
    "dd",
    "dt",
    "main",
    "pre",
    "hr",
];

/// Meta names that carry a page's publication date, most specific first.
const DATE_META: &[&str] = &[
    "article:published_time",
    "datepublished",
    "og:published_time",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "dc.date.issued",
    "dc.date",
    "date",
    "parsely-pub-date",
    "sailthru.date",
];

/// One tag of a page: its name (lower case), whether it closes, its attributes.
struct Tag<'a> {
    name: String,
    closing: bool,
    self_closing: bool,
    attributes: &'a str,
}

fn parse_tag(inner: &str) -> Tag<'_> {
    let closing = inner.starts_with('/');
    let inner = inner.trim_start_matches('/');
    let name_end = inner
        .find(|c: char| c.is_whitespace() || c == '/' || c == '>')
        .unwrap_or(inner.len());
    Tag {
        name: inner[..name_end].to_ascii_lowercase(),
        closing,
        self_closing: inner.trim_end().ends_with('/'),
        attributes: &inner[name_end..],
    }
}

/// The value of an attribute in a tag's attribute text, quoted or not.
fn attribute(attributes: &str, name: &str) -> Option<String> {
    let lower = attributes.to_ascii_lowercase();
    let mut from = 0;
    while let Some(found) = lower[from..].find(name) {
        let at = from + found;
        from = at + name.len();
        let before_ok = at == 0 || lower.as_bytes()[at - 1].is_ascii_whitespace();
        let rest = lower[from..].trim_start();
        if !before_ok || !rest.starts_with('=') {
            continue;
        }
        let value_start = attributes.len() - rest.len() + 1;
        let value = attributes[value_start..].trim_start();
        return Some(match value.chars().next() {
            Some(q @ ('"' | '\'')) => value[1..].split(q).next().unwrap_or("").to_owned(),
            _ => value
                .split(|c: char| c.is_whitespace() || c == '>')
                .next()
                .unwrap_or("")
                .to_owned(),
        });
    }
    None
}

/// A saved web page: the text of its `<article>` (of the whole body when it has none), without
/// scripts, styles, menus, headers, footers and asides; the publication date from its metadata
/// (`article:published_time`, `datePublished`…, then the first `<time datetime>`), else from a
/// dateline in the text.
pub fn read_html(html: &str) -> ReportText {
    let has_article = html.to_ascii_lowercase().contains("<article");
    let mut text = String::new();
    let mut skip_depth: Vec<String> = Vec::new();
    let mut article_depth = 0usize;
    let mut title: Option<String> = None;
    let mut in_title = false;
    let mut title_text = String::new();
    let mut meta_date: Option<(usize, String)> = None;
    let mut time_date: Option<String> = None;
    let mut rest = html;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            push_text(
                &mut text,
                rest,
                skip_depth.is_empty() && (!has_article || article_depth > 0),
            );
            break;
        };
        let chunk = &rest[..lt];
        if in_title {
            title_text.push_str(chunk);
        }
        push_text(
            &mut text,
            chunk,
            skip_depth.is_empty() && (!has_article || article_depth > 0),
        );
        rest = &rest[lt..];
        if let Some(comment) = rest.strip_prefix("<!--") {
            rest = comment.find("-->").map_or("", |end| &comment[end + 3..]);
            continue;
        }
        let Some(gt) = rest.find('>') else { break };
        let tag = parse_tag(&rest[1..gt]);
        rest = &rest[gt + 1..];
        match tag.name.as_str() {
            "title" => {
                in_title = !tag.closing;
                if tag.closing && title.is_none() {
                    title = Some(decode_entities(title_text.trim()));
                }
            }
            "meta" => {
                let key = attribute(tag.attributes, "property")
                    .or_else(|| attribute(tag.attributes, "name"))
                    .or_else(|| attribute(tag.attributes, "itemprop"))
                    .map(|k| k.to_ascii_lowercase());
                if let (Some(key), Some(content)) = (key, attribute(tag.attributes, "content")) {
                    if let Some(rank) = DATE_META.iter().position(|m| *m == key)
                        && meta_date.as_ref().is_none_or(|(r, _)| rank < *r)
                    {
                        meta_date = Some((rank, content.clone()));
                    }
                    if key == "og:title" && title.is_none() {
                        title = Some(decode_entities(&content));
                    }
                }
            }
            "time" if !tag.closing && time_date.is_none() => {
                time_date = attribute(tag.attributes, "datetime");
            }
            "article" => {
                if tag.closing {
                    article_depth = article_depth.saturating_sub(1);
                } else {
                    article_depth += 1;
                }
            }
            // Raw-text elements: their contents are never markup.
            name @ ("script" | "style") if !tag.closing => {
                let close = format!("</{name}");
                let lower = rest.to_ascii_lowercase();
                rest = lower
                    .find(&close)
                    .map_or("", |end| &rest[end..])
                    .split_once('>')
                    .map_or("", |(_, after)| after);
                continue;
            }
            _ => {}
        }
        if SKIPPED_ELEMENTS.contains(&tag.name.as_str()) && !tag.self_closing {
            if tag.closing {
                if let Some(at) = skip_depth.iter().rposition(|n| *n == tag.name) {
                    skip_depth.truncate(at);
                }
            } else {
                skip_depth.push(tag.name.clone());
            }
        }
        if BLOCK_ELEMENTS.contains(&tag.name.as_str()) {
            let trimmed = text.trim_end_matches([' ', '\t']).len();
            text.truncate(trimmed);
            if !text.is_empty() && !text.ends_with("\n\n") {
                text.push_str(if text.ends_with('\n') { "\n" } else { "\n\n" });
            }
        }
    }
    let text = collapse_blank_lines(&text);
    let published = meta_date
        .and_then(|(rank, value)| {
            iso_prefix(&value).map(|day| Published {
                day,
                found_in: format!("the page's {} ({value})", DATE_META[rank]),
            })
        })
        .or_else(|| {
            time_date.and_then(|value| {
                iso_prefix(&value).map(|day| Published {
                    day,
                    found_in: format!("the page's <time datetime=\"{value}\">"),
                })
            })
        });
    let mut report = read_text(&text);
    report.kind = ReportKind::Html;
    if published.is_some() {
        report.published = published;
    }
    if title.as_deref().is_some_and(|t| !t.is_empty()) {
        report.title = title;
    }
    report
}

/// The day an ISO date or date-time starts with, as written (the publisher's local date).
fn iso_prefix(value: &str) -> Option<Day> {
    Day::parse_iso(value.trim().get(..10)?).ok()
}

fn push_text(out: &mut String, chunk: &str, keep: bool) {
    if !keep || chunk.is_empty() {
        return;
    }
    let decoded = decode_entities(chunk);
    for word in decoded.split_whitespace() {
        if !out.is_empty() && !out.ends_with(['\n', ' ']) {
            out.push(' ');
        }
        out.push_str(word);
    }
    if decoded.ends_with(char::is_whitespace) && !out.ends_with(['\n', ' ']) && !out.is_empty() {
        out.push(' ');
    }
}

fn collapse_blank_lines(text: &str) -> String {
    let paragraphs: Vec<&str> = text
        .split('\n')
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    paragraphs.join("\n\n")
}

/// Character references: the named ones news pages use, and every numeric one.
pub fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let end = rest[1..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '#'))
            .map(|e| e + 1);
        let decoded = end.filter(|&e| rest[e..].starts_with(';')).and_then(|e| {
            let name = &rest[1..e];
            let c = if let Some(num) = name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
                u32::from_str_radix(num, 16).ok().and_then(char::from_u32)
            } else if let Some(num) = name.strip_prefix('#') {
                num.parse().ok().and_then(char::from_u32)
            } else {
                named_entity(name)
            };
            c.map(|c| (c, e + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn named_entity(name: &str) -> Option<char> {
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        "rsquo" => '’',
        "lsquo" => '‘',
        "rdquo" => '”',
        "ldquo" => '“',
        "ndash" => '–',
        "mdash" => '—',
        "hellip" => '…',
        "laquo" => '«',
        "raquo" => '»',
        "eacute" => 'é',
        "ouml" => 'ö',
        "uuml" => 'ü',
        "ccedil" => 'ç',
        "scedil" => 'ş',
        "copy" => '©',
        _ => return None,
    })
}

/// An e-mail: its text part (or its HTML part as text), its subject as the title, its `Date`
/// header as the publication date (the sender's local date, as written).
pub fn read_email(bytes: &[u8]) -> ReportText {
    let Some(message) = mail_parser::MessageParser::default().parse(bytes) else {
        return read_text(&decode(bytes));
    };
    let body = if message.text_body.is_empty() && !message.html_body.is_empty() {
        message
            .body_html(0)
            .map(|html| read_html(html.as_ref()).text)
            .unwrap_or_default()
    } else {
        message
            .body_text(0)
            .map(|t| t.into_owned())
            .unwrap_or_default()
    };
    let mut report = read_text(&body);
    report.kind = ReportKind::Email;
    if let Some(date) = message.date()
        && let Some(day) = Day::from_ymd(i32::from(date.year), date.month.into(), date.day.into())
    {
        report.published = Some(Published {
            day,
            found_in: format!("the e-mail's Date header ({})", date.to_rfc822()),
        });
    }
    if let Some(subject) = message.subject() {
        report.title = Some(subject.to_owned());
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dateline_opens_the_text_and_is_cut_from_it() {
        let r = read_text(" date 2021-05-26 Armenian forces opened fire, the ministry said.\n");
        assert_eq!(
            r.published.as_ref().map(|p| p.day.to_string()).as_deref(),
            Some("2021-05-26")
        );
        assert!(r.text.starts_with("Armenian forces"), "{}", r.text);
        let r = read_text("1. Home\nFebruary 10th, 2022\nSoldiers fired, the ministry said.\n");
        assert_eq!(
            r.published.map(|p| p.day.to_string()).as_deref(),
            Some("2022-02-10")
        );
    }

    #[test]
    fn a_date_inside_a_caption_is_not_a_dateline() {
        let r = read_text(
            "Title of it all\nA car in Aghdam, Azerbaijan, November 19, 2020. (AFP Photo)\n",
        );
        assert_eq!(r.published, None);
    }

    #[test]
    fn a_page_keeps_its_article_and_drops_scripts_and_menus() {
        let html = r#"<html><head><title>Clash &amp; claims</title>
            <meta property="article:published_time" content="2021-11-15T09:30:00+04:00">
            <script>var x = "<p>not text</p>";</script><style>p{}</style></head>
            <body><nav><a>Home</a> <a>World</a></nav>
            <article><h1>Fire on the border</h1><p>The ministry said troops
            opened&nbsp;fire.</p><aside>Read more</aside><p>It&#8217;s &ldquo;calm&rdquo; now.</p></article>
            <footer>Copyright</footer></body></html>"#;
        let r = read_html(html);
        assert_eq!(r.title.as_deref(), Some("Clash & claims"));
        assert_eq!(
            r.published.as_ref().map(|p| p.day.to_string()).as_deref(),
            Some("2021-11-15")
        );
        assert!(
            r.published
                .as_ref()
                .is_some_and(|p| p.found_in.contains("article:published_time"))
        );
        assert_eq!(
            r.text,
            "Fire on the border\n\nThe ministry said troops opened fire.\n\nIt’s “calm” now."
        );
    }

    #[test]
    fn a_page_without_metadata_uses_its_time_element_or_dateline() {
        let r = read_html(
            "<body><p>x</p><time datetime=\"2022-08-08\">8 Aug</time><p>Text.</p></body>",
        );
        assert_eq!(
            r.published.map(|p| p.day.to_string()).as_deref(),
            Some("2022-08-08")
        );
        let r = read_html("<body><p>Published 9 February 2022</p><p>Text.</p></body>");
        assert_eq!(
            r.published.map(|p| p.day.to_string()).as_deref(),
            Some("2022-02-09")
        );
    }

    #[test]
    fn an_email_gives_its_text_part_subject_and_date() {
        let eml = "From: Press Service <press@example.org>\r\nTo: desk@example.org\r\n\
            Subject: Statement of the ministry\r\nDate: Thu, 10 Feb 2022 09:15:00 +0400\r\n\
            MIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=\"b1\"\r\n\r\n\
            --b1\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n\
            Units opened fire on our positions, the ministry said. No losses =\r\nwere reported.\r\n\
            --b1\r\nContent-Type: text/html\r\n\r\n<p>HTML part</p>\r\n--b1--\r\n";
        let r = read_email(eml.as_bytes());
        assert_eq!(r.kind, ReportKind::Email);
        assert_eq!(r.title.as_deref(), Some("Statement of the ministry"));
        assert_eq!(
            r.published.map(|p| p.day.to_string()).as_deref(),
            Some("2022-02-10")
        );
        assert!(r.text.contains("No losses were reported."), "{}", r.text);
        assert!(!r.text.contains("HTML part"));
    }

    #[test]
    fn the_kind_comes_from_the_extension_or_the_first_bytes() {
        assert_eq!(ReportKind::of(Path::new("a.HTM"), b""), ReportKind::Html);
        assert_eq!(ReportKind::of(Path::new("a.eml"), b""), ReportKind::Email);
        assert_eq!(
            ReportKind::of(Path::new("a"), b"<!DOCTYPE html><p>"),
            ReportKind::Html
        );
        assert_eq!(
            ReportKind::of(Path::new("a"), b"From: x\nDate: Thu, 10 Feb 2022\n\nbody"),
            ReportKind::Email
        );
        assert_eq!(
            ReportKind::of(Path::new("a.txt"), b"<html>"),
            ReportKind::Text
        );
    }
}
