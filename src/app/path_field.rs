//! Tab completion for the typed-path field, as a shell does it: the part after the last
//! separator is completed from the entries of the folder before it — to the one entry that
//! matches (a folder gets its separator, to go on typing), or to what all matches share, the
//! matches then listed to pick from.

use std::path::{MAIN_SEPARATOR, Path};

/// Entries listed under the field at most: more say "and N more".
pub const MAX_LISTED: usize = 12;

/// What Tab did to a typed path.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Completion {
    /// The path, completed as far as it goes.
    pub text: String,
    /// The entries it could still become (none when one matched), sorted, folders with their
    /// separator; at most [`MAX_LISTED`].
    pub candidates: Vec<String>,
    /// How many matched in all.
    pub matches: usize,
}

/// Completes `text` from the file system. A leading `~` stands for the home folder.
pub fn complete(text: &str) -> Completion {
    let expanded = expand_home(text);
    let (folder, prefix) = match expanded.rfind(['/', MAIN_SEPARATOR]) {
        Some(at) => (&expanded[..=at], &expanded[at + 1..]),
        None => ("", expanded.as_str()),
    };
    let listed = if folder.is_empty() {
        Path::new(".")
    } else {
        Path::new(folder)
    };
    let Ok(entries) = std::fs::read_dir(listed) else {
        return unchanged(text);
    };
    // Hidden entries only when asked for with a dot, as shells do.
    let mut matching: Vec<String> = entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            if !name.starts_with(prefix) || (name.starts_with('.') && !prefix.starts_with('.')) {
                return None;
            }
            let is_dir = e.path().is_dir();
            Some(if is_dir {
                format!("{name}{MAIN_SEPARATOR}")
            } else {
                name
            })
        })
        .collect();
    matching.sort();
    let shared = match matching.as_slice() {
        [] => return unchanged(text),
        [only] => only.clone(),
        [first, rest @ ..] => rest.iter().fold(first.clone(), |shared, name| {
            let common: usize = shared
                .char_indices()
                .zip(name.chars())
                .take_while(|((_, a), b)| a == b)
                .map(|((_, a), _)| a.len_utf8())
                .sum();
            shared[..common].to_owned()
        }),
    };
    let matches = matching.len();
    Completion {
        text: format!("{folder}{shared}"),
        candidates: if matches > 1 {
            matching.into_iter().take(MAX_LISTED).collect()
        } else {
            Vec::new()
        },
        matches,
    }
}

fn unchanged(text: &str) -> Completion {
    Completion {
        text: text.to_owned(),
        ..Completion::default()
    }
}

/// `~/x` as the home folder's `x`; anything else as typed.
pub fn expand_home(text: &str) -> String {
    match (text.strip_prefix('~'), dirs::home_dir()) {
        (Some(rest), Some(home)) if rest.is_empty() || rest.starts_with(['/', MAIN_SEPARATOR]) => {
            format!("{}{rest}", home.display())
        }
        _ => text.to_owned(),
    }
}

/// The folder a path field opens in: the folder of the last file opened, with its separator so
/// the next Tab lists it.
pub fn start_text(last: Option<&Path>) -> String {
    match last.and_then(Path::parent).filter(|p| p.is_dir()) {
        Some(folder) => {
            let folder = folder.display().to_string();
            if folder.ends_with(['/', MAIN_SEPARATOR]) {
                folder
            } else {
                format!("{folder}{MAIN_SEPARATOR}")
            }
        }
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder() -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("temp dir");
        for name in ["ucdp-2023.csv", "ucdp-2024.csv", "acled.csv", ".hidden.csv"] {
            std::fs::write(dir.path().join(name), "x").expect("write");
        }
        std::fs::create_dir(dir.path().join("exports")).expect("mkdir");
        dir
    }

    fn at(dir: &tempfile::TempDir, rest: &str) -> String {
        format!("{}{MAIN_SEPARATOR}{rest}", dir.path().display())
    }

    #[test]
    fn one_match_completes_and_a_folder_gets_its_separator() {
        let dir = folder();
        assert_eq!(complete(&at(&dir, "ac")).text, at(&dir, "acled.csv"));
        let c = complete(&at(&dir, "ex"));
        assert_eq!(c.text, at(&dir, &format!("exports{MAIN_SEPARATOR}")));
        assert!(c.candidates.is_empty());
    }

    #[test]
    fn several_matches_complete_what_they_share_and_are_listed() {
        let dir = folder();
        let c = complete(&at(&dir, "u"));
        assert_eq!(c.text, at(&dir, "ucdp-202"));
        assert_eq!(c.candidates, vec!["ucdp-2023.csv", "ucdp-2024.csv"]);
        // An empty prefix lists the folder, hidden entries left out.
        let c = complete(&at(&dir, ""));
        assert_eq!(c.matches, 4, "{c:?}");
    }

    #[test]
    fn no_match_or_no_folder_leaves_the_text() {
        let dir = folder();
        assert_eq!(complete(&at(&dir, "zzz")).text, at(&dir, "zzz"));
        assert_eq!(
            complete("/no/such/folder/fi").text,
            "/no/such/folder/fi".to_owned()
        );
    }

    #[test]
    fn the_field_starts_in_the_last_files_folder() {
        let dir = folder();
        let last = dir.path().join("acled.csv");
        assert_eq!(start_text(Some(&last)), at(&dir, ""));
        assert_eq!(start_text(None), "");
    }
}
