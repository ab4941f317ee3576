//! `claimmap draft`: reports of kinds the seeds are not (an Armenian MoD statement, a wire story
//! with both sides, a saved page, an e-mail) drafted into claims, and the command's refusals.
//! The reports here are short texts written for these tests, in the manner of real ones.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use claimmap::Claim;
use claimmap::Dataset;
use claimmap::Day;
use claimmap::DraftOptions as Options;
use claimmap::Gazetteer;
use claimmap::testing::draft_report as report;
use claimmap::testing::registry;

fn claimmap() -> Command {
    let mut cmd = Command::cargo_bin("claimmap").expect("binary");
    cmd.env_remove("DISPLAY").env_remove("WAYLAND_DISPLAY");
    cmd
}

fn drafted(name: &str, text: &str, published: Option<&str>) -> Dataset {
    let r = report::read(Path::new(name), text.as_bytes());
    let options = Options {
        published: published.map(|p| Day::parse_iso(p).expect("date")),
        document: name.into(),
        ..Options::default()
    };
    claimmap::draft_dataset(&r, &options, Gazetteer::embedded(), registry())
        .expect("drafted")
        .dataset
}

/// A drafted claim as the tests read it: (claimant id, incident date start..end, quote, the
/// gazetteer names of its origins, of its targets).
type Row = (String, String, String, Vec<String>, Vec<String>);

fn claims(d: &Dataset) -> Vec<Row> {
    let names = |c: &Claim, to: bool| -> Vec<String> {
        let places = if to { &c.details.to } else { &c.details.from };
        places
            .iter()
            .map(|p| {
                let place = p
                    .resolved
                    .map(|id| Gazetteer::embedded().place(id).name().to_owned());
                place.unwrap_or_else(|| format!("? {}", d.text(p.text)))
            })
            .collect()
    };
    d.incidents()
        .iter()
        .flat_map(|i| {
            i.claims.iter().map(move |c| {
                (
                    d.claimant(c.claimant).id.to_string(),
                    format!("{}..{}", i.date.start(), i.date.end()),
                    c.quote.to_string(),
                    names(c, false),
                    names(c, true),
                )
            })
        })
        .collect()
}

const ARMENIAN_MOD: &str = "date 2022-09-13\n\
On the night of September 13, at around 00:05, the armed forces of Azerbaijan opened intensive fire from artillery and large-caliber firearms in the direction of the Armenian towns of Goris, Sotk and Jermuk, the Ministry of Defence of Armenia said in a statement.\n\
The Armenian side is taking retaliatory measures, the ministry added.\n\
Two servicemen were wounded, according to the ministry.\n";

#[test]
fn an_armenian_mod_statement() {
    let d = drafted("am-mod.txt", ARMENIAN_MOD, None);
    let c = claims(&d);
    assert_eq!(c.len(), 1, "{c:#?}");
    let (claimant, date, quote, from, to) = &c[0];
    assert_eq!(claimant, "am-mod");
    assert_eq!(date, "2022-09-13..2022-09-13");
    assert!(
        quote.starts_with("On the night of September 13, at around 00:05"),
        "{quote}"
    );
    assert!(ARMENIAN_MOD.contains(quote.as_str()), "verbatim");
    assert!(from.is_empty(), "{from:?}");
    assert_eq!(to, &["Goris", "Sotk", "Jermuk"]);
    let claim = &d.incidents()[0].claims[0];
    assert_eq!(claim.details.retaliation, Some(true));
    assert_eq!(claim.losses.as_ref().and_then(|l| l.wounded), Some(2));
    let weapons: Vec<&str> = claim.details.weapons.iter().map(|w| d.text(*w)).collect();
    assert_eq!(weapons, ["artillery", "large-caliber"]);
    assert_eq!(d.side(d.claimant(claim.claimant).side).id.as_ref(), "am");
}

const AZERBAIJANI_MOD: &str = "Published 9 December 2021\n\n\
On December 8, at 17:30, units of the Armenian armed forces stationed in the direction of the Basarkechar region subjected to fire the positions of the Azerbaijan Army units stationed in the direction of the Kalbajar region, using large-caliber weapons, the Ministry of Defense of Azerbaijan reported.\n\n\
\"Our units took adequate retaliatory measures. There are no losses among our servicemen,\" the ministry stressed.\n";

#[test]
fn an_azerbaijani_mod_statement() {
    let d = drafted("az-mod.txt", AZERBAIJANI_MOD, None);
    let c = claims(&d);
    assert_eq!(c.len(), 1, "{c:#?}");
    let (claimant, date, quote, from, to) = &c[0];
    assert_eq!(claimant, "az-mod");
    assert_eq!(date, "2021-12-08..2021-12-08");
    assert!(
        quote.starts_with("On December 8, at 17:30, units"),
        "{quote}"
    );
    // Basarkechar is Vardenis, the gazetteer's English name.
    assert_eq!(from, &["Vardenis"]);
    assert_eq!(to, &["Kalbajar"]);
    let claim = &d.incidents()[0].claims[0];
    assert_eq!(claim.details.retaliation, Some(true));
    assert_eq!(claim.losses.as_ref().and_then(|l| l.killed), Some(0));
    assert_eq!(d.incidents()[0].category.key(), Some("exchange_of_fire"));
    assert!(
        d.incidents()[0].date.inferred,
        "December 8 without a year is worked out"
    );
}

const WIRE: &str = "Azerbaijan and Armenia trade blame over border shooting\n\n\
BAKU, March 3 (Wire) - Azerbaijan's State Border Service said on Tuesday that Armenian soldiers fired from positions near the village of Chinari at its post in the Tovuz district.\n\n\
Armenia's Ministry of Defence denied the report. \"The information spread by the Azerbaijani side does not correspond to reality,\" the ministry said.\n\n\
The two countries fought a six-week war in the autumn of 2020.\n";

#[test]
fn a_wire_story_with_both_sides() {
    let d = drafted("wire.txt", WIRE, Some("2021-03-03"));
    let c = claims(&d);
    let border = c
        .iter()
        .find(|c| c.0 == "az-border")
        .expect("the border service's claim");
    // Tuesday before Wednesday 3 March 2021, not the wire's own date.
    assert_eq!(border.1, "2021-03-02..2021-03-02");
    assert_eq!(border.3, ["Chinari"]);
    assert_eq!(border.4, ["Tovuz"]);
    assert!(
        border
            .2
            .starts_with("Azerbaijan's State Border Service said"),
        "{}",
        border.2
    );
    let denial = c.iter().find(|c| c.0 == "am-mod").expect("the denial");
    assert!(
        denial
            .2
            .starts_with("Armenia's Ministry of Defence denied the report.")
    );
    // The denial answers the same incident: it is contested.
    let incident = d
        .incidents()
        .iter()
        .find(|i| {
            i.claims
                .iter()
                .any(|c| &*d.claimant(c.claimant).id == "am-mod")
        })
        .expect("incident");
    assert!(d.is_contested(incident), "{}", incident.id);
    // History the story recalls is background, told by the story itself.
    let background = d
        .incidents()
        .iter()
        .find(|i| i.category.key() == Some("background"))
        .expect("background");
    assert_eq!(background.date.start().to_string(), "2020-09-01");
    assert_eq!(
        &*d.claimant(background.claims[0].claimant).id,
        "report-narration"
    );
    // The headline is no claim.
    assert!(c.iter().all(|c| !c.2.contains("trade blame")));
}

#[test]
fn a_saved_page_gives_its_article_and_date() {
    let html = r#"<!DOCTYPE html><html><head><title>Army positions fired on | News</title>
<meta property="article:published_time" content="2022-02-10T11:20:00+04:00">
<script>document.write("Azerbaijan's Defense Ministry said nothing");</script></head>
<body><nav><ul><li>Home</li><li>Politics</li></ul></nav>
<header>Breaking: markets</header>
<article><h1>Army positions fired on</h1>
<p>Starting from Wednesday evening, Armenian units in the Yukhari Shorzha settlement of the Basarkechar region opened fire at the Azerbaijan army positions in the Zeylik settlement of the Kalbajar region, the Azerbaijani Defense Ministry said on Thursday.</p>
<p>Azerbaijani units fired in retaliation, the statement added.</p></article>
<aside>Most read: Kalbajar shelled on Monday, officials said.</aside>
<footer>© News</footer></body></html>"#;
    let d = drafted("page.html", html, None);
    let c = claims(&d);
    assert_eq!(c.len(), 1, "{c:#?}");
    let (claimant, date, quote, from, to) = &c[0];
    assert_eq!(claimant, "az-mod");
    assert_eq!(date, "2022-02-09..2022-02-10");
    assert!(quote.starts_with("Starting from Wednesday evening"));
    // The gazetteer's English name of Yukhari Shorzha.
    assert_eq!(from, &["Verin Shorzha"]);
    assert_eq!(to, &["Zeylik"]);
    assert_eq!(d.incidents()[0].claims[0].details.retaliation, Some(true));
    assert!(d.meta.title.contains("Army positions fired on"));
}

#[test]
fn an_email_gives_its_text_part_and_date_header() {
    let eml = "From: Press Service <press@mil.example>\r\n\
Subject: Statement\r\n\
Date: Sat, 14 Nov 2021 10:05:00 +0400\r\n\
Content-Type: text/plain; charset=utf-8\r\n\
\r\n\
Units of the Azerbaijani Armed Forces opened fire on Armenian positions near Sotk\r\n\
yesterday evening, the Armenian Defence Ministry said. No casualties were reported.\r\n";
    let d = drafted("statement.eml", eml, None);
    let c = claims(&d);
    assert_eq!(c.len(), 1, "{c:#?}");
    assert_eq!(c[0].0, "am-mod");
    assert_eq!(c[0].1, "2021-11-13..2021-11-13");
    assert_eq!(c[0].4, ["Sotk"]);
    let claim = &d.incidents()[0].claims[0];
    assert_eq!(claim.losses.as_ref().and_then(|l| l.killed), Some(0));
}

fn temp_dir() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write");
    path
}

#[test]
fn the_command_writes_a_native_draft_that_loads() {
    let dir = temp_dir();
    let report = write(dir.path(), "am-mod.txt", ARMENIAN_MOD);
    let before = std::fs::read(&report).expect("read");
    let out = dir.path().join("draft.geojson");
    let output = claimmap()
        .arg("draft")
        .arg(&report)
        .args(["--outlet", "Armenpress", "--url", "https://example.org/a"])
        .arg("--out")
        .arg(&out)
        .output()
        .expect("runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        std::fs::read(&report).expect("read"),
        before,
        "the report is never written"
    );
    let value: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&out).expect("out")).expect("JSON");
    assert_eq!(value["claimmap"]["draft"]["status"], "draft");
    assert_eq!(value["claimmap"]["draft"]["published"], "2022-09-13");
    let claim = &value["features"][0]["properties"]["claims"][0];
    assert_eq!(claim["source"]["outlet"], "Armenpress");
    assert_eq!(claim["source"]["url"], "https://example.org/a");
    assert_eq!(claim["draft"]["status"], "proposed");
    assert!(
        claim["draft"]["speaker_rule"]
            .as_str()
            .is_some_and(|r| r.contains("registry"))
    );
    let loaded = claimmap::load_path(&out, Gazetteer::embedded()).expect("loads");
    assert!(loaded.report.errors.is_empty());
    assert_eq!(loaded.dataset.incidents().len(), 1);
}

#[test]
fn no_publication_date_is_a_clear_refusal() {
    let dir = temp_dir();
    let report = write(
        dir.path(),
        "undated.txt",
        "The ministry said positions near Sotk were fired on on Thursday.\n",
    );
    let out = dir.path().join("draft.geojson");
    let output = claimmap()
        .arg("draft")
        .arg(&report)
        .arg("--out")
        .arg(&out)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("--published"), "{stderr}");
    assert!(!out.exists(), "nothing written");
    let output = claimmap()
        .arg("draft")
        .arg(&report)
        .args(["--published", "2021-06-11", "--out"])
        .arg(&out)
        .output()
        .expect("runs");
    assert!(output.status.success());
    assert!(out.exists());
}

#[test]
fn bad_requests_are_refused() {
    let dir = temp_dir();
    let report = write(dir.path(), "r.txt", ARMENIAN_MOD);
    let code = |args: &[&std::ffi::OsStr]| {
        claimmap()
            .arg("draft")
            .args(args)
            .output()
            .expect("runs")
            .status
            .code()
    };
    let csv = dir.path().join("out.csv");
    assert_eq!(
        code(&[report.as_os_str(), "--out".as_ref(), csv.as_os_str()]),
        Some(2)
    );
    let missing = dir.path().join("missing.txt");
    let out = dir.path().join("o.geojson");
    assert_eq!(
        code(&[missing.as_os_str(), "--out".as_ref(), out.as_os_str()]),
        Some(2)
    );
    let json_report = write(dir.path(), "r.json", ARMENIAN_MOD);
    assert_eq!(
        code(&[
            json_report.as_os_str(),
            "--out".as_ref(),
            json_report.as_os_str()
        ]),
        Some(2)
    );
    assert_eq!(
        std::fs::read_to_string(&json_report).expect("read"),
        ARMENIAN_MOD
    );
}

/// Words reports are made of, so random text meets the rules' paths (quotes, dates, places,
/// speakers, captions, datelines, tags) rather than only noise.
fn reportish() -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    let pieces = prop::sample::select(vec![
        "the ministry said",
        "Azerbaijan's Defense Ministry said",
        " \"",
        "\" ",
        "“",
        "”",
        ", ",
        ". ",
        "\n",
        "\n\n",
        "on Thursday",
        "Nov. 10, 2020",
        "from 24 to 26 May",
        "In July",
        "since 1991, when",
        "last week",
        "two days ago",
        "Kalbajar’s",
        "the Kalbajar and Lachin regions",
        "from positions in the direction of",
        "Yukhari Shorzha settlement of the",
        "Basarkechar region",
        "territory of Azerbaijan, where",
        "(AFP Photo)",
        "(Photo by A / AFP)",
        "BAKU, March 3 (Wire) - ",
        "date 2021-05-26",
        "<p>",
        "</p>",
        "<article>",
        "<script>",
        "&amp;",
        "&#8217;",
        "killed",
        "no losses",
        "2 servicemen were wounded",
        "opened fire",
        "he said",
        "according to",
        "it",
        "Erdoğan",
        "Ə",
        "’s",
        "Starting from",
        "13:45",
        "x",
        "-",
        "—",
        "(",
        ")",
    ]);
    prop::collection::vec(pieces, 0..60).prop_map(|p| p.concat())
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 300, ..Default::default() })]

    /// Any text, page or e-mail drafts without a panic, and what it drafts reads back.
    #[test]
    fn any_report_drafts_without_panic(text in reportish(), bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..400)) {
        for name in ["r.txt", "r.html", "r.eml", "r"] {
            for input in [text.as_bytes(), bytes.as_slice()] {
                let r = report::read(Path::new(name), input);
                let options = Options {
                    published: Day::parse_iso("2021-06-11").ok(),
                    document: name.into(),
                    ..Options::default()
                };
                if let Ok(d) = claimmap::draft_dataset(&r, &options, Gazetteer::embedded(), registry()) {
                    // Every quote is the report's own words.
                    for i in d.dataset.incidents() {
                        for c in i.claims.iter() {
                            proptest::prop_assert!(r.text.contains(&*c.quote.read()), "{:?} not in {:?}", c.quote, r.text);
                        }
                    }
                }
            }
        }
    }
}
