//! The shape the design promises, checked on the source itself: data flows
//! one way, so no module of `src/` imports a module that imports it back —
//! not a sibling, not its own parent.
//!
//! Each file of `src/` is a module (`src/render/words/pt.rs` is
//! `crate::render::words::pt`). Its imports are the paths it names — in
//! `use` declarations, expanded, and inline (`crate::kernel::tcp_info(…)`)
//! — resolved to the module that defines them. A `mod` declaration is not
//! an import. Comments are left out, so a doc link is not an import either.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Module path → its source file's text, comments removed.
fn modules() -> BTreeMap<String, String> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut todo = vec![src.clone()];
    let mut out = BTreeMap::new();
    while let Some(dir) = todo.pop() {
        for entry in std::fs::read_dir(&dir).expect("src/ is readable") {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                todo.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).expect("a source file");
                // An inline `mod tests` (last in a file, by convention) is a
                // child module: its `super` is the file's module.
                let code = match text.find("#[cfg(test)]\nmod ") {
                    Some(at) => &text[..at],
                    None => &text,
                };
                out.insert(module_path(&src, &path), without_comments(code));
            }
        }
    }
    out
}

/// `src/render/words/pt.rs` → `crate::render::words::pt`; `src/lib.rs` →
/// `crate`.
fn module_path(src: &Path, file: &Path) -> String {
    let relative: PathBuf = file
        .strip_prefix(src)
        .expect("under src/")
        .with_extension("");
    let mut path = String::from("crate");
    for part in relative.components() {
        let part = part.as_os_str().to_string_lossy();
        if part != "lib" {
            path.push_str("::");
            path.push_str(&part);
        }
    }
    path
}

/// The text without `//` comments (doc comments included) and without the
/// contents of string literals.
fn without_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let mut in_string = false;
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\\' if in_string => {
                    chars.next();
                }
                '"' => {
                    in_string = !in_string;
                    out.push('"');
                }
                '/' if !in_string && chars.peek() == Some(&'/') => break,
                _ if in_string => {}
                c => out.push(c),
            }
        }
        out.push('\n');
    }
    out
}

/// Every path a `use` tree names, expanded: `a::{b, c::{d, e}}` → `a::b`,
/// `a::c::d`, `a::c::e`.
fn expand(tree: &str) -> Vec<String> {
    let tree: String = tree.chars().filter(|c| !c.is_whitespace()).collect();
    let Some(open) = tree.find('{') else {
        let path = tree.split(" as ").next().unwrap_or_default();
        return vec![path.trim_end_matches("::*").to_string()];
    };
    let prefix = &tree[..open];
    let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&inner[start..]);
    parts
        .into_iter()
        .filter(|part| !part.is_empty())
        .flat_map(|part| match part {
            "self" => vec![prefix.trim_end_matches("::").to_string()],
            part => expand(part)
                .into_iter()
                .map(|p| format!("{prefix}{p}"))
                .collect(),
        })
        .collect()
}

/// The paths a module names: its `use` trees and its inline
/// `crate::…`/`super::…`/`self::…` paths.
fn named_paths(text: &str) -> Vec<String> {
    let mut paths = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("use ") {
        let boundary = at == 0 || !rest[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_');
        let Some(end) = rest[at..].find(';') else {
            break;
        };
        if boundary {
            paths.extend(expand(&rest[at + 4..at + end]));
        }
        rest = &rest[at + end..];
    }
    for start in ["crate::", "super::", "self::"] {
        for (at, _) in text.match_indices(start) {
            if text[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == ':') {
                continue;
            }
            let path: String = text[at..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
                .collect();
            let path = path.trim_end_matches(':');
            // `super::{a, b}` of a `use`: read above, expanded.
            if path.contains("::") {
                paths.push(path.to_string());
            }
        }
    }
    paths
}

/// The module `path`, named from module `from`, resolves to: the longest
/// module the absolute path starts with. `None` for other crates' paths.
fn resolve(
    path: &str,
    from: &str,
    known: &BTreeMap<String, String>,
    children: &BTreeSet<String>,
) -> Option<String> {
    let mut segments: Vec<&str> = path.split("::").filter(|s| !s.is_empty()).collect();
    let mut base: Vec<&str> = from.split("::").collect();
    match segments.first().copied() {
        Some("crate") => {
            base = vec!["crate"];
            segments.remove(0);
        }
        Some("self") => {
            segments.remove(0);
        }
        Some("super") => {
            while segments.first() == Some(&"super") {
                segments.remove(0);
                base.pop();
            }
        }
        Some(first) if children.contains(&format!("{from}::{first}")) => {}
        _ => return None,
    }
    let mut full: Vec<&str> = base;
    full.extend(segments);
    (1..=full.len())
        .rev()
        .map(|n| full[..n].join("::"))
        .find(|candidate| known.contains_key(candidate))
}

/// Module → the modules it imports.
fn imports() -> BTreeMap<String, BTreeSet<String>> {
    let known = modules();
    let children: BTreeSet<String> = known.keys().cloned().collect();
    let mut graph = BTreeMap::new();
    for (module, text) in &known {
        let mut targets: BTreeSet<String> = named_paths(text)
            .iter()
            .filter_map(|path| resolve(path, module, &known, &children))
            .filter(|target| target != module)
            .collect();
        // Inline paths through a child module: `words::words(lang)`.
        for child in children.iter().filter(|c| is_child(module, c)) {
            let name = &child[module.len() + 2..];
            let named = text.match_indices(&format!("{name}::")).any(|(at, _)| {
                !text[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == ':')
            });
            if named {
                targets.insert(child.clone());
            }
        }
        graph.insert(module.clone(), targets);
    }
    graph
}

/// Whether `child` is a module declared directly in `parent`.
fn is_child(parent: &str, child: &str) -> bool {
    child
        .strip_prefix(parent)
        .and_then(|rest| rest.strip_prefix("::"))
        .is_some_and(|rest| !rest.contains("::"))
}

/// A cycle in `graph`, as the modules along it, if there is one.
fn find_cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|n| n == node) {
            let mut cycle = path[at..].to_vec();
            cycle.push(node.to_string());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|node| visit(node, graph, &mut Vec::new(), &mut done))
}

#[test]
fn no_module_imports_one_that_imports_it_back() {
    let graph = imports();
    assert!(graph.len() > 20, "{} modules found", graph.len());
    if let Some(cycle) = find_cycle(&graph) {
        panic!("an import cycle: {}", cycle.join(" → "));
    }
}

#[test]
fn the_checker_sees_imports_and_cycles() {
    assert_eq!(
        expand("super::{phrase::{self, Term}, redact::Redaction}"),
        [
            "super::phrase",
            "super::phrase::Term",
            "super::redact::Redaction"
        ]
    );
    let graph = imports();
    let render = &graph["crate::render"];
    assert!(render.contains("crate::event"), "{render:?}");
    let mut cyclic = graph.clone();
    cyclic
        .entry("crate::event".into())
        .or_default()
        .insert("crate::render".into());
    assert!(find_cycle(&cyclic).is_some());
}

#[test]
fn events_hold_no_rendering() {
    let graph = imports();
    for (module, targets) in &graph {
        if module.starts_with("crate::event") {
            for target in targets {
                assert!(
                    !target.starts_with("crate::render") && !target.starts_with("crate::diagram"),
                    "{module} imports {target}"
                );
            }
        }
    }
}

/// Grading reads events and renders its report; the words that render
/// read the checks as data (`crate::check`), never the grading: so the two
/// folders do not import each other.
#[test]
fn renderings_import_no_grading() {
    let graph = imports();
    for (module, targets) in &graph {
        if module.starts_with("crate::render") || module.starts_with("crate::check") {
            for target in targets {
                assert!(
                    !target.starts_with("crate::grade"),
                    "{module} imports {target}"
                );
            }
        }
    }
}
