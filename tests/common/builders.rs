//! Synthetic datasets built in memory, without a file: sides, claimants and a dataset around
//! incidents the test makes itself.

use claimmap::Claimant;
use claimmap::Dataset;
use claimmap::DatasetMeta;
use claimmap::Format;
use claimmap::Incident;
use claimmap::Provenance;
use claimmap::Rgb;
use claimmap::Side;
use claimmap::SideId;
use claimmap::testing::Interner;

/// A side with a black colour: tests that build datasets look at counts, not colours.
pub fn side(id: &str, party: bool) -> Side {
    Side {
        id: id.into(),
        name: id.into(),
        colour: Rgb([0, 0, 0]),
        party,
        extra: None,
    }
}

/// A claimant on the `side`th side, named by its id.
pub fn claimant(id: &str, side: u32) -> Claimant {
    Claimant {
        id: id.into(),
        name: id.into(),
        side: SideId(side),
        kind: None,
        colour: None,
        implicit: false,
        extra: None,
    }
}

/// The two parties, `az` and `am`, with one ministry each (claimants 0 and 1).
pub fn two_parties() -> (Vec<Side>, Vec<Claimant>) {
    (
        vec![side("az", true), side("am", true)],
        vec![claimant("az-mod", 0), claimant("am-mod", 1)],
    )
}

/// The two parties and a non-party narrator, `narr` (claimant 2).
pub fn parties_and_narrator() -> (Vec<Side>, Vec<Claimant>) {
    (
        vec![side("az", true), side("am", true), side("media", false)],
        vec![
            claimant("az-mod", 0),
            claimant("am-mod", 1),
            claimant("narr", 2),
        ],
    )
}

/// A native-format dataset of `incidents`, recorded as read from `path`.
pub fn dataset(
    (sides, claimants): (Vec<Side>, Vec<Claimant>),
    incidents: Vec<Incident>,
    path: &str,
) -> Dataset {
    Dataset::new(
        DatasetMeta::default(),
        sides,
        claimants,
        incidents,
        Interner::default(),
        Provenance {
            path: path.into(),
            format: Format::Claimmap,
            sha256: String::new().into(),
            bytes: 0,
        },
    )
}
