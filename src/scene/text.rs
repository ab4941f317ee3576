//! Words the window and the exports both print: an incident's date, a layer's name, a place as
//! the user's naming convention writes it.

use crate::gazetteer::{Gazetteer, Naming};
use crate::model::{Dataset, DateInterval, DateWindow, PlaceRef};

use super::layer::DatasetLayer;

/// An incident's date as the list shows it: in words, spans as spans, inferred dates marked.
pub fn date_in_words(date: &DateInterval) -> String {
    let words = crate::timeline::window::describe(&DateWindow {
        from: date.start(),
        to: date.end(),
    });
    if date.inferred {
        format!("{words} (inferred)")
    } else {
        words
    }
}

/// A layer's name: the dataset's title, or its file name.
pub fn layer_name(layer: &DatasetLayer) -> String {
    let title = &layer.loaded.dataset.meta.title;
    if !title.is_empty() {
        return title.to_string();
    }
    let path = &layer.loaded.report.path;
    std::path::Path::new(path)
        .file_name()
        .map_or_else(|| path.clone(), |f| f.to_string_lossy().into_owned())
}

/// A place as the source wrote it, with the gazetteer's label under the chosen naming when it
/// resolves; ambiguity is marked, not hidden.
pub fn place_text(
    dataset: &Dataset,
    place: &PlaceRef,
    gazetteer: &Gazetteer,
    naming: Naming,
) -> String {
    let said = dataset.text(place.text);
    match place.resolved {
        None => format!("“{said}” (not found in the gazetteer)"),
        Some(id) => {
            let label = gazetteer.place(id).label(naming);
            let ambiguous = if place.ambiguous {
                " — ambiguous"
            } else {
                ""
            };
            format!("“{said}” = {label}{ambiguous}")
        }
    }
}

/// 1234567 as "1,234,567": counts in the window, the map and figures read at a glance.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod thousands_tests {
    #[test]
    fn thousands_separators() {
        assert_eq!(super::thousands(0), "0");
        assert_eq!(super::thousands(999), "999");
        assert_eq!(super::thousands(1000), "1,000");
        assert_eq!(super::thousands(1234567), "1,234,567");
    }
}
