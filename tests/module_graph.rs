//! The crate's data flows one way: no module uses one that uses it back. This reads the source
//! as text — every `crate::…`, `super::…` and `self::…` path outside comments and unit tests —
//! builds the graph of which module uses which among the children of each module (the top-level
//! modules of `src/` first of all), and fails on any circle, naming it.
//!
//! Unit-test modules (`#[cfg(test)] mod …`, inline or in a file of their own) are left out, and
//! only they: like dev-dependencies, a test may use a module above the one it tests.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A module's path below the crate root: `["scene", "map_view"]`.
type ModPath = Vec<String>;

/// Every `.rs` file of the library with its module path (binaries left out: nothing uses them).
fn library_files(src: &Path) -> Vec<(PathBuf, ModPath)> {
    let mut out = Vec::new();
    let mut stack = vec![(src.to_path_buf(), Vec::<String>::new())];
    while let Some((dir, module)) = stack.pop() {
        let mut entries: Vec<_> = std::fs::read_dir(&dir)
            .expect("src/ is readable")
            .map(|e| e.expect("a directory entry").path())
            .collect();
        entries.sort();
        for path in entries {
            let name = path
                .file_stem()
                .and_then(|s| s.to_str())
                .expect("a UTF-8 file name")
                .to_string();
            if path.is_dir() {
                if module.is_empty() && name == "bin" {
                    continue;
                }
                let mut child = module.clone();
                child.push(name);
                stack.push((path, child));
            } else if path.extension().is_some_and(|e| e == "rs") {
                if module.is_empty() && name == "main" {
                    continue;
                }
                let mut this = module.clone();
                if name != "mod" && name != "lib" {
                    this.push(name);
                }
                out.push((path, this));
            }
        }
    }
    out
}

/// The source without comments and without its unit-test modules (`#[cfg(test)] mod …`), wherever
/// they stand: code after a test module is still read.
fn code_of(text: &str) -> String {
    let lines: Vec<&str> = text
        .lines()
        .map(|line| match line.find("//") {
            Some(at) => &line[..at],
            None => line,
        })
        .collect();
    let mut kept = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let opens_test_module = lines[i].trim() == "#[cfg(test)]"
            && lines
                .get(i + 1)
                .is_some_and(|next| next.trim_start().starts_with("mod "));
        if !opens_test_module {
            kept.push(lines[i]);
            i += 1;
            continue;
        }
        // Past the attribute, then past the module: to its `;`, or to the brace that closes it.
        i += 1;
        let mut depth = 0i32;
        while i < lines.len() {
            let line = lines[i];
            i += 1;
            depth += braces(line);
            if depth <= 0 && (line.contains('}') || line.trim_end().ends_with(';')) {
                break;
            }
        }
    }
    kept.join("\n")
}

/// The braces a line opens less those it closes, outside string and character literals.
fn braces(line: &str) -> i32 {
    let mut depth = 0;
    let mut chars = line.chars().peekable();
    let mut in_string = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' if in_string => {
                chars.next();
            }
            '"' => in_string = !in_string,
            // A character literal: '{', '}', '\'', '\\'.
            '\'' if !in_string => {
                let rest: String = chars.clone().take(3).collect();
                if rest.starts_with("\\") {
                    chars.nth(2);
                } else if rest.chars().nth(1) == Some('\'') {
                    chars.nth(1);
                }
            }
            '{' if !in_string => depth += 1,
            '}' if !in_string => depth -= 1,
            _ => {}
        }
    }
    depth
}

/// The paths `crate::a::b`, `super::c`, `self::d` the code names, resolved from `module`.
/// (`crate::{…}` groups are not used in the library; a bare child name in `use child::…` is
/// below the module, so never part of a circle among its siblings.)
fn paths_named(code: &str, module: &ModPath) -> Vec<ModPath> {
    let mut found = Vec::new();
    let bytes = code.as_bytes();
    let ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut i = 0;
    while i < bytes.len() {
        if !(ident(bytes[i]) && (i == 0 || !(ident(bytes[i - 1]) || bytes[i - 1] == b'$'))) {
            i += 1;
            continue;
        }
        // Read one `a::b::c` path.
        let mut segments = Vec::new();
        let mut j = i;
        loop {
            let start = j;
            while j < bytes.len() && ident(bytes[j]) {
                j += 1;
            }
            segments.push(&code[start..j]);
            if code[j..].starts_with("::")
                && code[j + 2..].starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            {
                j += 2;
            } else {
                break;
            }
        }
        i = j;
        if segments.len() < 2 {
            continue;
        }
        // The module a file's `super` and `self` speak from: a `mod.rs` is its module itself.
        let mut base: ModPath = module.clone();
        let rest: &[&str] = match segments[0] {
            "crate" => {
                base.clear();
                &segments[1..]
            }
            "self" => &segments[1..],
            "super" => {
                let mut k = 0;
                while segments.get(k) == Some(&"super") {
                    base.pop();
                    k += 1;
                }
                &segments[k..]
            }
            _ => continue,
        };
        let mut target = base;
        target.extend(rest.iter().map(|s| s.to_string()));
        found.push(target);
    }
    found
}

/// Edges between siblings: from the child of their common parent that holds `from` to the one
/// that holds `to`; keyed by the parent.
type Graph = BTreeMap<ModPath, BTreeMap<String, BTreeSet<String>>>;

fn sibling_graph(src: &Path) -> Graph {
    let files = library_files(src);
    let modules: BTreeSet<ModPath> = files.iter().map(|(_, m)| m.clone()).collect();
    // The module each name `lib.rs` re-exports comes from.
    let lib = std::fs::read_to_string(src.join("lib.rs")).expect("src/lib.rs");
    let mut reexports: BTreeMap<String, String> = BTreeMap::new();
    for statement in code_of(&lib).split(';') {
        let statement = statement.trim();
        let Some(rest) = statement.strip_prefix("pub use ") else {
            continue;
        };
        let Some((module, names)) = rest.split_once("::") else {
            continue;
        };
        for name in names
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .filter(|n| !n.is_empty())
        {
            reexports.insert(name.to_string(), module.to_string());
        }
    }
    let mut graph = Graph::new();
    for (path, module) in &files {
        let text = std::fs::read_to_string(path).expect("a source file");

        for mut target in paths_named(&code_of(&text), module) {
            // `crate::Name` or `crate::Name::item` for a name `lib.rs` re-exports.
            if target.is_empty() {
                continue;
            }
            if !modules.contains(&target[..1]) {
                match reexports.get(&target[0]) {
                    Some(from) => target = vec![from.clone()],
                    None => continue,
                }
            }
            let common = module
                .iter()
                .zip(&target)
                .take_while(|(a, b)| a == b)
                .count();
            if common < module.len() && common < target.len() {
                let parent = module[..common].to_vec();
                let child = target[..=common].to_vec();
                // Items (types, functions) of the parent are not siblings.
                if modules.iter().any(|m| m.starts_with(&child)) {
                    graph
                        .entry(parent)
                        .or_default()
                        .entry(module[common].clone())
                        .or_default()
                        .insert(target[common].clone());
                }
            }
        }
    }
    graph
}

/// Every circle of a graph, each as the modules around it (strongly connected components of
/// more than one module).
fn circles(edges: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    let nodes: BTreeSet<&String> = edges
        .keys()
        .chain(edges.values().flat_map(|t| t.iter()))
        .collect();
    let reaches = |from: &String| -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from.clone()];
        while let Some(n) = stack.pop() {
            for next in edges.get(&n).into_iter().flatten() {
                if seen.insert(next.clone()) {
                    stack.push(next.clone());
                }
            }
        }
        seen
    };
    let reach: BTreeMap<&String, BTreeSet<String>> =
        nodes.iter().map(|n| (*n, reaches(n))).collect();
    let mut done = BTreeSet::new();
    let mut out = Vec::new();
    for n in &nodes {
        if done.contains(*n) || !reach[n].contains(*n) {
            continue;
        }
        let component: Vec<String> = nodes
            .iter()
            .filter(|m| reach[n].contains(**m) && reach[*m].contains(*n))
            .map(|m| m.to_string())
            .collect();
        done.extend(component.iter().cloned());
        out.push(component);
    }
    out
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

#[test]
fn no_top_level_module_uses_one_that_uses_it() {
    let graph = sibling_graph(&src());
    let top = graph
        .get(&Vec::new())
        .expect("top-level modules use each other");
    // The check sees the uses it must: the window draws the scene, exports draw it too.
    assert!(
        top["app"].contains("scene") && top["export"].contains("scene"),
        "{top:?}"
    );
    assert_eq!(
        circles(top),
        Vec::<Vec<String>>::new(),
        "circles among src/'s modules"
    );
}

/// Circles between sibling modules inside a top-level module that are known and not yet undone;
/// a new one fails the test, and one undone must come off this list.
const KNOWN_INNER_CIRCLES: &[&str] = &[
    "in crate::export: decorations ↔ facts ↔ render",
    "in crate::formats: claims_sheet ↔ table",
];

#[test]
fn no_module_uses_a_sibling_that_uses_it() {
    let graph = sibling_graph(&src());
    let found: Vec<String> = graph
        .iter()
        .filter(|(parent, _)| !parent.is_empty())
        .flat_map(|(parent, edges)| {
            circles(edges)
                .into_iter()
                .map(move |c| format!("in crate::{}: {}", parent.join("::"), c.join(" ↔ ")))
        })
        .collect();
    assert_eq!(found, KNOWN_INNER_CIRCLES, "circles among sibling modules");
}

#[test]
fn the_check_finds_a_circle_it_is_shown() {
    let mut edges = BTreeMap::new();
    edges.insert("a".to_string(), BTreeSet::from(["b".to_string()]));
    edges.insert("b".to_string(), BTreeSet::from(["c".to_string()]));
    edges.insert("c".to_string(), BTreeSet::from(["a".to_string()]));
    edges.insert("d".to_string(), BTreeSet::from(["a".to_string()]));
    assert_eq!(circles(&edges), vec![vec!["a", "b", "c"]]);
    let code = code_of(
        "use crate::x::Y; // crate::z\nuse super::w;\n#[cfg(test)]\nmod tests {\n use crate::q;\n fn f() { let _ = '{'; \"}\"; }\n}\nuse crate::after::Z;\n#[cfg(test)]\nmod more;\nuse crate::last::L;\n",
    );
    assert_eq!(
        paths_named(&code, &vec!["m".to_string(), "n".to_string()]),
        vec![
            vec!["x".to_string(), "Y".to_string()],
            vec!["m".to_string(), "w".to_string()],
            vec!["after".to_string(), "Z".to_string()],
            vec!["last".to_string(), "L".to_string()]
        ]
    );
}
