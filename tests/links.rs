//! The links between the README, the crate docs and the books hold:
//!
//! - every relative link in the Markdown a reader meets (README.md,
//!   CHANGELOG.md, CONTRIBUTING.md, everything under docs/: the chapters,
//!   each book's first page and SUMMARY.md) points to a file or folder that
//!   exists and, with `#anchor`, to one of its headings;
//! - each book's SUMMARY.md lists every page of its folder, both books list
//!   as many, and the crate's doctests (`mod book` in src/lib.rs) include
//!   every page listed, so that every Rust block of the books compiles;
//! - the crate docs (src/lib.rs) link to the books' pages where docs.rs
//!   shows them, at this version, and those pages ship in the package
//!   (Cargo.toml's `include`);
//! - the books, built by mdBook as `.ci/book` builds them, build without a
//!   warning, and every relative `href`/`src` in their pages leads to a file
//!   that exists and, with `#anchor`, to an `id` in it.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

mod support;

const LANGS: [&str; 2] = ["en", "pt"];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Markdown outside fenced code blocks (a block's lines left empty).
fn prose(text: &str) -> String {
    let mut fenced = false;
    text.lines()
        .map(|line| {
            if line.trim_start().starts_with("```") {
                fenced = !fenced;
                return "";
            }
            if fenced { "" } else { line }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Markdown prose without its code spans: a paragraph's text between
/// backticks left out.
fn without_code_spans(text: &str) -> String {
    text.split("\n\n")
        .map(|paragraph| paragraph.split('`').step_by(2).collect::<Vec<_>>().join(""))
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// The link targets of Markdown prose: inline `](target)` and reference
/// definitions `[name]: target`.
fn targets(text: &str) -> Vec<String> {
    let text = without_code_spans(&prose(text));
    let mut out = Vec::new();
    let mut rest = text.as_str();
    while let Some(at) = rest.find("](") {
        rest = &rest[at + 2..];
        let end = rest.find(')').unwrap_or(rest.len());
        out.push(rest[..end].to_string());
        rest = &rest[end..];
    }
    for line in text.lines() {
        let line = line.trim_start();
        if let Some((label, target)) = line.split_once("]: ") {
            if label.starts_with('[') && !label.contains(' ') {
                out.push(target.trim().to_string());
            }
        }
    }
    out
}

/// Relative targets as (path, anchor); the path is empty for a link within
/// the document.
fn relative(targets: &[String]) -> Vec<(String, Option<String>)> {
    targets
        .iter()
        .filter(|t| !t.contains("://") && !t.starts_with("mailto:"))
        .map(|t| match t.split_once('#') {
            Some((path, anchor)) => (path.to_string(), Some(anchor.to_string())),
            None => (t.clone(), None),
        })
        .collect()
}

/// The anchors GitHub and mdBook give a document's headings: lower case,
/// spaces as hyphens, punctuation (backticks, dots, colons…) dropped.
fn anchors(text: &str) -> Vec<String> {
    prose(text)
        .lines()
        .filter(|line| line.starts_with('#'))
        .map(|line| {
            line.trim_start_matches('#')
                .trim()
                .to_lowercase()
                .chars()
                .filter_map(|c| match c {
                    ' ' => Some('-'),
                    c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
                    _ => None,
                })
                .collect()
        })
        .collect()
}

/// Every Markdown file a reader meets, and what it links to.
fn markdown() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = ["README.md", "CHANGELOG.md", "CONTRIBUTING.md"]
        .iter()
        .map(|name| root().join(name))
        .collect();
    let mut dirs = vec![root().join("docs")];
    while let Some(dir) = dirs.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "md") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

#[test]
fn every_relative_link_in_the_markdown_leads_to_a_file_and_a_heading() {
    let mut checked = 0;
    let mut anchored = 0;
    for doc in markdown() {
        for (link, anchor) in relative(&targets(&read(&doc))) {
            let target = if link.is_empty() {
                doc.clone()
            } else {
                doc.parent().unwrap().join(&link)
            };
            assert!(target.exists(), "{}: broken link {link}", doc.display());
            checked += 1;
            if let Some(anchor) = anchor {
                assert!(
                    anchors(&read(&target)).contains(&anchor),
                    "{}: {link}#{anchor}: no such heading",
                    doc.display()
                );
                anchored += 1;
            }
        }
    }
    assert!(checked >= 100, "only {checked} links");
    assert!(anchored >= 10, "only {anchored} links to a heading");
}

/// The pages one book's SUMMARY.md lists, in order.
fn summary(lang: &str) -> Vec<String> {
    let text = read(&root().join("docs").join(lang).join("SUMMARY.md"));
    relative(&targets(&text))
        .into_iter()
        .map(|(path, _)| path)
        .collect()
}

#[test]
fn each_summary_lists_every_page_and_the_crate_compiles_each() {
    let lib = read(&root().join("src/lib.rs"));
    let mut counts = Vec::new();
    for lang in LANGS {
        let listed = summary(lang);
        let mut files: Vec<String> = fs::read_dir(root().join("docs").join(lang))
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| name.ends_with(".md") && name != "SUMMARY.md")
            .collect();
        files.sort();
        let mut sorted = listed.clone();
        sorted.sort();
        assert_eq!(sorted, files, "docs/{lang}/SUMMARY.md and docs/{lang}/");
        for page in &listed {
            let include = format!("#[doc = include_str!(\"../docs/{lang}/{page}\")]");
            assert!(
                lib.contains(&include),
                "src/lib.rs's `mod book` does not compile docs/{lang}/{page}: add {include}"
            );
        }
        counts.push(listed.len());
    }
    assert_eq!(counts[0], counts[1], "both books have as many pages");
}

/// Cargo.toml's `include` patterns, as the folders or files they name.
fn packaged_prefixes() -> Vec<String> {
    let manifest = read(&root().join("Cargo.toml"));
    let list = manifest
        .split_once("\ninclude = [")
        .and_then(|(_, rest)| rest.split_once(']'))
        .expect("Cargo.toml has an include list")
        .0;
    list.split(',')
        .map(|item| item.trim().trim_matches('"'))
        .filter(|item| !item.is_empty())
        .map(|item| {
            item.trim_start_matches('/')
                .trim_end_matches("**")
                .to_string()
        })
        .collect()
}

#[test]
fn the_crate_docs_link_to_the_books_pages_in_this_package() {
    let docs: String = read(&root().join("src/lib.rs"))
        .lines()
        .filter_map(|line| line.strip_prefix("//!"))
        .map(|line| line.strip_prefix(' ').unwrap_or(line))
        .collect::<Vec<_>>()
        .join("\n");
    let on_docs_rs = format!(
        "https://docs.rs/crate/socket-lifecycle/{}/source/",
        env!("CARGO_PKG_VERSION")
    );
    let packaged = packaged_prefixes();
    let mut pages = HashSet::new();
    for target in targets(&docs) {
        if let Some(path) = target.strip_prefix(&on_docs_rs) {
            assert!(
                root().join(path).is_file(),
                "src/lib.rs links to {path}, which is not here"
            );
            assert!(
                packaged
                    .iter()
                    .any(|prefix| path.starts_with(prefix.as_str())),
                "src/lib.rs links to {path}, which Cargo.toml's include leaves out of the package"
            );
            pages.insert(path.to_string());
        } else {
            assert!(
                !target.contains("docs.rs/crate/socket-lifecycle"),
                "src/lib.rs links to another version's files: {target}"
            );
        }
    }
    for lang in LANGS {
        let first = format!("docs/{lang}/{}", summary(lang)[0]);
        assert!(
            pages.contains(&first),
            "src/lib.rs does not link to {first}"
        );
        let contents = format!("docs/{lang}/SUMMARY.md");
        assert!(
            pages.contains(&contents),
            "src/lib.rs does not link to {contents}"
        );
    }
}

/// mdBook: `MDBOOK`, else the one `.ci/book` installs, else `mdbook` on
/// the PATH.
fn mdbook() -> Option<PathBuf> {
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or(root().join("target"), PathBuf::from);
    let candidates = [
        std::env::var_os("MDBOOK").map(PathBuf::from),
        Some(target.join("tools/bin/mdbook")),
        Some(PathBuf::from("mdbook")),
    ];
    candidates
        .into_iter()
        .flatten()
        .find(|path| support::runs(&path.to_string_lossy(), &["--version"]))
}

/// The `href` and `src` values of an HTML page.
fn html_targets(page: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attribute in ["href=\"", "src=\""] {
        for (at, _) in page.match_indices(attribute) {
            let value = &page[at + attribute.len()..];
            let end = value.find('"').unwrap_or(value.len());
            out.push(value[..end].to_string());
        }
    }
    out
}

/// The `id`s of an HTML page.
fn html_ids(page: &str) -> HashSet<String> {
    page.match_indices(" id=\"")
        .map(|(at, _)| {
            let value = &page[at + 5..];
            value[..value.find('"').unwrap_or(value.len())].to_string()
        })
        .collect()
}

#[test]
fn the_books_build_without_warnings_and_their_links_lead_somewhere() {
    let Some(mdbook) = mdbook() else {
        support::require(false, "mdbook (.ci/book installs it)");
        return;
    };
    let mut pages = 0;
    let mut links = 0;
    // Both books first: each links to the other.
    for lang in LANGS {
        let out = Command::new(&mdbook)
            .arg("build")
            .arg(root().join("docs/book").join(lang))
            .output()
            .expect("mdbook runs");
        let log = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            out.status.success(),
            "mdbook build docs/book/{lang}:\n{log}"
        );
        let noisy: Vec<&str> = log
            .lines()
            .filter(|line| line.contains("WARN") || line.contains("ERROR"))
            .collect();
        assert!(
            noisy.is_empty(),
            "docs/book/{lang} warns:\n{}",
            noisy.join("\n")
        );
    }
    for lang in LANGS {
        // Where docs/book/LANG/book.toml writes it.
        let book = root().join("book").join(lang);
        for name in summary(lang) {
            let page = book.join(name.replace(".md", ".html"));
            assert!(page.is_file(), "the book has no {}", page.display());
        }
        let mut files: Vec<PathBuf> = fs::read_dir(&book)
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .filter(|path| path.extension().is_some_and(|e| e == "html"))
            // The page a web server shows for a missing address: its links
            // are the server's absolute ones.
            .filter(|path| !path.ends_with("404.html"))
            .collect();
        files.sort();
        for file in files {
            let page = read(&file);
            pages += 1;
            for target in html_targets(&page) {
                let relative = !(target.is_empty()
                    || target.contains("://")
                    || target.starts_with("mailto:")
                    || target.starts_with("javascript:")
                    || target.starts_with("data:"));
                if !relative {
                    continue;
                }
                let (path, anchor) = target.split_once('#').unwrap_or((&target, ""));
                let dest = if path.is_empty() {
                    file.clone()
                } else {
                    file.parent().unwrap().join(path)
                };
                assert!(dest.exists(), "{}: broken link {target}", file.display());
                if !anchor.is_empty() && dest.extension().is_some_and(|e| e == "html") {
                    assert!(
                        html_ids(&read(&dest)).contains(anchor),
                        "{}: {target}: no such id",
                        file.display()
                    );
                }
                links += 1;
            }
        }
    }
    assert!(pages >= 12, "only {pages} pages");
    assert!(links >= 500, "only {links} links");
}
