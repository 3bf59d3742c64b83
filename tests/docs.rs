//! The chapters in `docs/` hold to the code:
//!
//! - both languages have the same chapters, and every relative link points
//!   to a file that exists;
//! - every `cargo run --example NAME` a chapter cites is an example that a
//!   test runs;
//! - the blocks marked `<!-- generated: NAME LANG -->` are exactly what the
//!   code renders today (run with `DOCS_UPDATE=1` to rewrite them after a
//!   deliberate change, then read the diff);
//! - the error guide names every errno the library hints at, and the
//!   TCP-versus-UDP table has at least ten rows.

use std::fs;
use std::path::{Path, PathBuf};

use socket_lifecycle::diagram::{SequenceDiagram, typestate_mermaid, typestate_text};
use socket_lifecycle::errno::errno_name;
use socket_lifecycle::event::Transport;
use socket_lifecycle::{Cause, Lang, Recorder};

#[allow(dead_code)]
#[path = "../examples/lifecycle.rs"]
mod demo;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The chapters of one language, sorted by file name.
fn chapters(lang: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(root().join("docs").join(lang))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    files
}

fn all_docs() -> Vec<PathBuf> {
    let mut files = vec![root().join("docs/README.md")];
    files.extend(chapters("en"));
    files.extend(chapters("pt"));
    files
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn both_languages_have_the_same_chapters() {
    let numbers = |lang| -> Vec<String> {
        chapters(lang)
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy()[..2].to_string())
            .collect()
    };
    assert_eq!(numbers("en"), ["01", "02", "03", "04", "05"]);
    assert_eq!(numbers("pt"), numbers("en"));
    // Each chapter links to its translation.
    for (en, pt) in chapters("en").iter().zip(chapters("pt")) {
        let pt_name = pt.file_name().unwrap().to_string_lossy().into_owned();
        let en_name = en.file_name().unwrap().to_string_lossy().into_owned();
        assert!(read(en).contains(&format!("../pt/{pt_name}")), "{en_name}");
        assert!(read(&pt).contains(&format!("../en/{en_name}")), "{pt_name}");
    }
}

/// Relative Markdown links: `](path)` and `](path#anchor)`.
fn links(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("](") {
        rest = &rest[at + 2..];
        let end = rest.find(')').unwrap_or(rest.len());
        let target = &rest[..end];
        if !target.starts_with("http") && !target.starts_with('#') {
            out.push(target.split('#').next().unwrap_or("").to_string());
        }
        rest = &rest[end..];
    }
    out
}

#[test]
fn every_relative_link_points_to_a_file() {
    for doc in all_docs() {
        for link in links(&read(&doc)) {
            let target = doc.parent().unwrap().join(&link);
            assert!(target.exists(), "{}: broken link {link}", doc.display());
        }
    }
}

/// Examples a chapter may cite without this crate running them: the UDP
/// example lives with the UDP code.
const CITED_ELSEWHERE: &[&str] = &["tcp_vs_udp"];

#[test]
fn every_cited_example_is_run_by_a_test() {
    let tests: String = fs::read_dir(root().join("tests"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "rs"))
        .map(|path| read(&path))
        .collect();
    let mut cited = Vec::new();
    for doc in all_docs() {
        let text = read(&doc);
        for (at, _) in text.match_indices("--example ") {
            let name: String = text[at + 10..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            cited.push((doc.clone(), name));
        }
    }
    assert!(cited.len() >= 8, "{cited:?}");
    for (doc, name) in cited {
        if CITED_ELSEWHERE.contains(&name.as_str()) {
            continue;
        }
        assert!(
            root().join("examples").join(format!("{name}.rs")).exists(),
            "{} cites a missing example {name}",
            doc.display()
        );
        let runs_it = tests.contains(&format!("\"../examples/{name}.rs\""))
            || tests.contains(&format!("\"{name}\""));
        assert!(
            runs_it,
            "{} cites {name}, which no test runs",
            doc.display()
        );
    }
}

/// What each generated block holds, rendered now.
fn generated(name: &str, lang: Lang) -> String {
    match name {
        "demo-sequence-text" | "demo-sequence-mermaid" => {
            let recorder = Recorder::new();
            demo::run(&recorder).unwrap();
            let diagram = SequenceDiagram::redacted(&recorder.events());
            if name.ends_with("text") {
                diagram.text(lang)
            } else {
                diagram.mermaid(lang)
            }
        }
        "typestate-mermaid" => typestate_mermaid(Transport::Tcp, lang),
        "typestate-text" => typestate_text(Transport::Tcp, lang),
        other => panic!("unknown generated block {other}"),
    }
}

#[test]
fn generated_blocks_match_the_code() {
    let update = std::env::var("DOCS_UPDATE").is_ok_and(|v| v == "1");
    let mut checked = 0;
    for doc in all_docs() {
        let text = read(&doc);
        let mut out = String::new();
        let mut rest = text.as_str();
        while let Some(at) = rest.find("<!-- generated: ") {
            let (before, from_marker) = rest.split_at(at);
            out.push_str(before);
            let marker_end = from_marker.find("-->").unwrap() + 3;
            let marker = &from_marker[..marker_end];
            let mut words = marker["<!-- generated: ".len()..marker.len() - 3].split_whitespace();
            let (name, lang) = (words.next().unwrap(), words.next().unwrap());
            let lang: Lang = lang.parse().unwrap();
            let after_marker = &from_marker[marker_end..];
            // The marker, a newline, then a fenced block.
            let fence_start = after_marker.find("```").unwrap();
            let info_end = fence_start + after_marker[fence_start..].find('\n').unwrap() + 1;
            let close = info_end + after_marker[info_end..].find("```\n").unwrap();
            let body = &after_marker[info_end..close];
            let expected = generated(name, lang);
            if update {
                out.push_str(marker);
                out.push_str(&after_marker[..info_end]);
                out.push_str(&expected);
            } else {
                assert_eq!(
                    body,
                    expected,
                    "{}: block {name} {} is stale (DOCS_UPDATE=1 rewrites it)",
                    doc.display(),
                    lang.code()
                );
                out.push_str(&from_marker[..marker_end + close]);
            }
            checked += 1;
            rest = &after_marker[close..];
        }
        out.push_str(rest);
        if update && out != text {
            fs::write(&doc, out).unwrap();
        }
    }
    assert!(checked >= 8, "only {checked} generated blocks");
}

#[test]
fn the_error_guide_names_every_errno_the_library_hints_at() {
    for lang in ["en", "pt"] {
        let guide = chapters(lang)
            .into_iter()
            .find(|p| p.file_name().unwrap().to_string_lossy().starts_with("04"))
            .unwrap();
        let text = read(&guide);
        for cause in Cause::ALL {
            for &errno in cause.errnos() {
                let name = errno_name(errno).unwrap();
                assert!(text.contains(name), "{}: {name}", guide.display());
            }
            assert!(
                text.contains(&format!("{cause:?}")),
                "{}: {cause:?}",
                guide.display()
            );
        }
    }
}

#[test]
fn the_tcp_versus_udp_table_has_at_least_ten_rows() {
    for lang in ["en", "pt"] {
        let chapter = chapters(lang)
            .into_iter()
            .find(|p| p.file_name().unwrap().to_string_lossy().starts_with("02"))
            .unwrap();
        let text = read(&chapter);
        let rows = text
            .lines()
            .skip_while(|l| !l.starts_with("| "))
            .take_while(|l| l.starts_with('|'))
            .filter(|l| !l.starts_with("|---"))
            .count();
        // The header plus at least ten rows.
        assert!(rows > 10, "{}: {rows} rows", chapter.display());
    }
}
