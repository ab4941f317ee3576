//! The embedded reference dataset: every report's incidents and claimants are there, the
//! contested incidents carry both sides, inferred dates say why, and every place resolves.

mod common;

use common::day;

use std::collections::BTreeSet;

use claimmap::Category;
use claimmap::Dataset;
use claimmap::Gazetteer;
use claimmap::Placement;
use claimmap::load_reference;

fn dataset() -> Dataset {
    let loaded = load_reference(Gazetteer::embedded());
    assert!(
        loaded.report.errors.is_empty(),
        "{:?}",
        loaded.report.errors
    );
    assert!(
        loaded.report.warnings.is_empty(),
        "{:?}",
        loaded.report.warnings
    );
    loaded.dataset
}

/// The incidents a report's claims appear in.
fn incidents_of(dataset: &Dataset, report: &str) -> Vec<String> {
    dataset
        .incidents()
        .iter()
        .filter(|i| {
            i.claims.iter().any(|c| {
                c.source
                    .document
                    .is_some_and(|d| dataset.text(d).contains(report))
            })
        })
        .map(|i| i.id.to_string())
        .collect()
}

fn claimants_of(dataset: &Dataset, incident: &str) -> BTreeSet<String> {
    let i = dataset
        .incident(incident)
        .unwrap_or_else(|| panic!("{incident} is missing"));
    i.claims
        .iter()
        .map(|c| dataset.claimant(c.claimant).id.to_string())
        .collect()
}

#[test]
fn every_report_contributes_its_incidents() {
    let d = dataset();
    let expected: &[(&str, &[&str])] = &[
        (
            "000_",
            &[
                "2021-05-24-kalbajar-gadabay-fire",
                "2021-05-24-shusha-shots-in-air",
                "2020-11-08-shusha-capture",
                "2020-11-10-ceasefire-agreement",
            ],
        ),
        (
            "001_",
            &[
                "2022-02-09-zeylik-yukhari-shorzha-fire",
                "2020-11-14-charektar-houses-burning",
                "2020-11-10-ceasefire-agreement",
            ],
        ),
        (
            "002_",
            &[
                "2021-11-13-border-clash-kalbajar",
                "2021-11-15-armenia-defence-minister-dismissed",
                "2021-11-10-paris-foreign-ministers-meeting",
            ],
        ),
        (
            "003_",
            &[
                "2022-08-07-basarkechar-garakilsa-gorus-fire",
                "2022-08-07-peacekeeping-zone-fire",
                "2022-08-01-lachin-azerbaijani-soldier-killed",
                "2022-08-01-karabakh-retaliatory-operation",
            ],
        ),
        (
            "004_",
            &[
                "2021-06-11-kalbajar-yukhari-shorzha-fire",
                "2021-06-10-border-shelling-engineering-work",
                "2021-05-27-kalbajar-detention-six-servicemen",
                "2021-06-04-kalbajar-bus-mine",
                "2020-11-10-khojavand-attacks",
                "2020-12-hadrut-26-servicemen-detained",
            ],
        ),
    ];
    for (report, ids) in expected {
        let found = incidents_of(&d, report);
        for id in *ids {
            assert!(
                found.iter().any(|f| f == id),
                "report {report}: {id} missing from {found:?}"
            );
        }
    }
    assert_eq!(d.incidents().len(), 30);
}

#[test]
fn the_background_agreement_is_its_own_category_with_a_claim_per_report() {
    let d = dataset();
    let agreement = d
        .incident("2020-11-10-ceasefire-agreement")
        .expect("the 10 Nov 2020 agreement");
    assert_eq!(agreement.category, Category::Background);
    assert_eq!(agreement.date.start(), day("2020-11-10"));
    let reports: BTreeSet<String> = agreement
        .claims
        .iter()
        .filter_map(|c| c.source.document.map(|s| d.text(s)[..9].to_owned()))
        .collect();
    assert_eq!(reports.len(), 5, "{reports:?}");
}

#[test]
fn contested_incidents_carry_both_sides() {
    let d = dataset();
    let contested: Vec<&str> = d
        .incidents()
        .iter()
        .filter(|i| d.is_contested(i))
        .map(|i| &*i.id)
        .collect();
    assert!(contested.len() >= 2, "{contested:?}");
    let clash = claimants_of(&d, "2021-11-13-border-clash-kalbajar");
    assert!(
        clash.contains("az-mod") && clash.contains("am-mod"),
        "{clash:?}"
    );
    let shelling = claimants_of(&d, "2021-06-10-border-shelling-engineering-work");
    assert!(
        shelling.contains("az-mod") && shelling.contains("am-authorities"),
        "{shelling:?}"
    );
    for id in contested {
        let sides: BTreeSet<&str> = d
            .party_sides(d.incident(id).expect("incident"))
            .iter()
            .map(|s| &*d.side(*s).id)
            .collect();
        assert_eq!(sides, BTreeSet::from(["am", "az"]), "{id}");
    }
}

#[test]
fn claims_quote_their_claimant_and_cite_their_report() {
    let d = dataset();
    let fire = d
        .incident("2022-02-09-zeylik-yukhari-shorzha-fire")
        .expect("001's fire");
    let claim = &fire.claims[0];
    assert_eq!(&*d.claimant(claim.claimant).id, "az-mod");
    assert!(
        claim
            .quote
            .read()
            .contains("Yukhari Shorzha settlement of the Basarkechar region"),
        "{}",
        claim.quote
    );
    assert_eq!(claim.details.retaliation, Some(true));
    let from: Vec<&str> = claim.details.from.iter().map(|p| d.text(p.text)).collect();
    assert_eq!(
        from,
        ["Yukhari Shorzha settlement of the Basarkechar region"]
    );
    let g = Gazetteer::embedded();
    assert_eq!(
        &*g.place(claim.details.from[0].resolved.expect("resolved"))
            .id,
        "gn:616085"
    );
    assert_eq!(
        &*g.place(claim.details.to[0].resolved.expect("resolved")).id,
        "gn:584572"
    );
    for incident in d.incidents() {
        for claim in &incident.claims {
            assert!(
                !claim.quote.is_empty() || !claim.details.summary.is_empty(),
                "{}",
                incident.id
            );
            assert!(
                !claim.details.summary.is_empty(),
                "{}: every claim has a summary",
                incident.id
            );
            assert!(
                claim.source.document.is_some(),
                "{}: every claim cites its report",
                incident.id
            );
        }
    }
}

#[test]
fn inferred_dates_say_why_and_land_where_the_text_puts_them() {
    let d = dataset();
    for incident in d.incidents() {
        if incident.date.inferred {
            assert!(
                incident
                    .date
                    .reason
                    .as_deref()
                    .is_some_and(|r| r.len() > 20),
                "{} has no reasoning",
                incident.id
            );
        }
    }
    let cases = [
        // 002: "Saturday night" (Azerbaijan) and "on Sunday" (Armenia's Security Council).
        (
            "2021-11-13-border-clash-kalbajar",
            "2021-11-13",
            "2021-11-14",
            true,
        ),
        // 001: "Starting from Wednesday evening", reported on Thursday 10 Feb 2022.
        (
            "2022-02-09-zeylik-yukhari-shorzha-fire",
            "2022-02-09",
            "2022-02-10",
            true,
        ),
        // 003: "over the past 24 hours", said on Monday 8 Aug 2022.
        (
            "2022-08-07-basarkechar-garakilsa-gorus-fire",
            "2022-08-07",
            "2022-08-08",
            true,
        ),
        // 003: "last week".
        (
            "2022-08-01-lachin-azerbaijani-soldier-killed",
            "2022-08-01",
            "2022-08-07",
            true,
        ),
        // 000: stated, "Starting from 24 to 26 May".
        (
            "2021-05-24-kalbajar-gadabay-fire",
            "2021-05-24",
            "2021-05-26",
            false,
        ),
        // 004: "Thursday", in a report of Friday 11 June 2021.
        (
            "2021-06-10-border-shelling-engineering-work",
            "2021-06-10",
            "2021-06-10",
            true,
        ),
    ];
    for (id, start, end, inferred) in cases {
        let i = d.incident(id).unwrap_or_else(|| panic!("{id}"));
        assert_eq!(
            (i.date.start(), i.date.end(), i.date.inferred),
            (day(start), day(end), inferred),
            "{id}"
        );
    }
}

#[test]
fn every_place_resolves_and_every_incident_is_located() {
    let d = dataset();
    let unresolved: Vec<&str> = d
        .place_refs()
        .filter(|p| p.resolved.is_none())
        .map(|p| d.text(p.text))
        .collect();
    assert!(unresolved.is_empty(), "{unresolved:?}");
    for incident in d.incidents() {
        assert_ne!(incident.placement, Placement::Unlocated, "{}", incident.id);
    }
    // Placed where the text puts them: Zeylik in Kalbajar, the peacekeeping-zone fire in Karabakh.
    let g = Gazetteer::embedded();
    let zeylik = d
        .incident("2022-02-09-zeylik-yukhari-shorzha-fire")
        .expect("incident");
    let place = zeylik
        .location
        .place
        .as_ref()
        .and_then(|p| p.resolved)
        .expect("resolved");
    assert_eq!(g.place(place).admin1.as_deref(), Some("AZ-KAL"));
}

#[test]
fn nothing_turns_a_claim_into_a_fact() {
    // Every incident is told through claims; narration by an outlet is a claimant of its own,
    // on a side that is not a party.
    let d = dataset();
    let narration = d
        .claimants
        .iter()
        .find(|c| &*c.id == "report-narration")
        .expect("report-narration");
    assert!(!d.side(narration.side).party);
    for incident in d.incidents() {
        assert!(!incident.claims.is_empty());
    }
}
