//! Freezes the embedded gazetteer's name maps (`src/gazetteer/name_index.rs`) when the crate is
//! compiled, so the window and every command start without folding sixty thousand names. The
//! same source files make them as the crate does for any other gazetteer file; a test checks
//! that the frozen maps are what the crate would make of `data/gazetteer.json`.

#[allow(dead_code)]
#[path = "src/gazetteer/fold.rs"]
mod fold;
#[allow(dead_code)]
#[path = "src/gazetteer/name_index.rs"]
mod name_index;
#[path = "src/gazetteer/place_keys.rs"]
mod place_keys;
#[path = "src/gazetteer/romanize.rs"]
mod romanize;

use std::collections::BTreeMap;

/// The part of a gazetteer record its keys come from (see `RawPlace` in the crate).
#[derive(serde::Deserialize)]
struct RawPlace {
    names: BTreeMap<String, String>,
    #[serde(default)]
    aliases: Vec<String>,
}

#[derive(serde::Deserialize)]
struct RawGazetteer {
    places: Vec<RawPlace>,
}

fn main() {
    println!("cargo::rerun-if-changed=data/gazetteer.json");
    for source in ["fold", "name_index", "place_keys", "romanize"] {
        println!("cargo::rerun-if-changed=src/gazetteer/{source}.rs");
    }
    let text = std::fs::read_to_string("data/gazetteer.json").expect("data/gazetteer.json");
    let raw: RawGazetteer = serde_json::from_str(&text).expect("data/gazetteer.json is valid");
    let mut keys = place_keys::PlaceKeys::default();
    for (i, place) in raw.places.iter().enumerate() {
        // As the crate's Place: empty names are no names, and the Latin spelling of an Armenian
        // name is made from its script; in the order of its conventions after English.
        let name = |code: &str| place.names.get(code).filter(|n| !n.trim().is_empty());
        let armenian_latin = name("hy").map(|hy| romanize::romanize_armenian(hy));
        let others = [
            name("az").cloned(),
            armenian_latin,
            name("hy").cloned(),
            name("ru").cloned(),
        ];
        keys.add_place(
            i as u32,
            name("en").map(String::as_str),
            others.iter().flatten().map(String::as_str),
            place.aliases.iter().map(String::as_str),
        );
    }
    let out = std::path::Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"))
        .join("gazetteer-names.bin");
    std::fs::write(out, keys.finish()).expect("write the frozen name maps");
}
