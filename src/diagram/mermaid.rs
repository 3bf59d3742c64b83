//! The sequence diagram as a Mermaid `sequenceDiagram`, for a Markdown file.

use std::fmt::Write as _;

use super::rows::{Column, Message, Row};
use crate::lang::Lang;
use crate::render::phrase::Term;
use crate::render::redact::Redaction;
use crate::render::term;

/// The diagram's Mermaid text in `lang`.
pub(super) fn mermaid(
    columns: &[Column],
    rows: &[Row],
    redaction: &Redaction,
    lang: Lang,
) -> String {
    let ids = ids(columns);
    let mut out = String::from("sequenceDiagram\n");
    for (column, id) in columns.iter().zip(&ids) {
        let _ = writeln!(
            out,
            "    participant {id} as {}",
            mermaid_text(&column.label)
        );
    }
    let span = match (ids.first(), ids.last()) {
        (Some(first), Some(last)) if first != last => format!("{first},{last}"),
        (Some(first), _) => first.clone(),
        _ => return out,
    };
    for row in rows {
        match row {
            Row::Phase(phase) => {
                let title = term(&Term::Phase(*phase), lang);
                let _ = writeln!(out, "    Note over {span}: {}", mermaid_text(&title));
            }
            Row::Note { col, .. } => {
                let words = row.words(redaction, lang, " ");
                let _ = writeln!(out, "    Note over {}: {}", ids[*col], mermaid_text(&words));
            }
            Row::Arrow {
                from, to, message, ..
            } => {
                let words = row.words(redaction, lang, " ");
                let _ = writeln!(
                    out,
                    "    {}{}{}: {}",
                    ids[*from],
                    arrow(message),
                    ids[*to],
                    mermaid_text(&words)
                );
            }
        }
    }
    out
}

/// Mermaid participant ids: the label's letters, digits and `_` (other
/// characters become `_`), starting with a letter, unique, and never a
/// Mermaid keyword.
fn ids(columns: &[Column]) -> Vec<String> {
    const KEYWORDS: &[&str] = &[
        "participant",
        "actor",
        "as",
        "note",
        "over",
        "end",
        "loop",
        "alt",
        "else",
        "opt",
        "par",
        "and",
        "rect",
        "critical",
        "option",
        "break",
        "box",
        "create",
        "destroy",
        "activate",
        "deactivate",
        "autonumber",
        "off",
        "title",
        "links",
        "link",
        "properties",
        "details",
    ];
    let mut ids: Vec<String> = Vec::new();
    for column in columns {
        let mut id: String = column
            .label
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect();
        id = id.trim_matches('_').to_string();
        if !id.starts_with(|c: char| c.is_ascii_alphabetic()) {
            id.insert_str(0, "p_");
        }
        if KEYWORDS.contains(&id.to_ascii_lowercase().as_str()) {
            id.push('_');
        }
        let base = id.clone();
        let mut n = 2;
        while ids.contains(&id) {
            id = format!("{base}_{n}");
            n += 1;
        }
        ids.push(id);
    }
    ids
}

/// The arrow Mermaid draws for a message.
fn arrow(message: &Message) -> &'static str {
    match message {
        Message::Syn | Message::Ack | Message::Data { .. } => "->>",
        Message::SynAck => "-->>",
        Message::Accept(_) => "-->>",
        Message::Refused | Message::Reset => "--x",
        Message::Fin { .. } => "-)",
    }
}

/// Text safe in a Mermaid label: the characters its grammar reads as syntax
/// become entity codes (`#35;` for `#`, …).
pub(super) fn mermaid_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '#' => out.push_str("#35;"),
            ';' => out.push_str("#59;"),
            '<' => out.push_str("#60;"),
            '>' => out.push_str("#62;"),
            c => out.push(c),
        }
    }
    out
}
