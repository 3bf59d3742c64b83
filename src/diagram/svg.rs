//! The diagrams as standalone SVG pictures, black on white so that they
//! print: the sequence diagram of a trace (the rows of `rows.rs`, said in
//! a language as the text diagram says them) and the typestate diagram
//! (the arrows of `typestate.rs`). Each row and each state is a group with
//! a class and a `data-` attribute, so that a page can light one.

use std::fmt::Write as _;

use super::rows::{Column, Row};
use super::typestate::{Edge, edges, typestate_title};
use crate::event::{StateName, Transport};
use crate::lang::Lang;
use crate::render::phrase::Term;
use crate::render::redact::Redaction;
use crate::render::term;

/// The width of one socket's column.
const COLUMN: usize = 140;
/// The height of one row.
const ROW: usize = 26;
/// What a character of the 13-pixel monospace font takes, at most.
const CHAR: f64 = 7.9;
/// The styles both pictures share.
const STYLE: &str = "text{font-family:ui-monospace,Menlo,Consolas,'DejaVu Sans Mono',monospace;font-size:13px;fill:#111}\
.head{font-weight:bold}.phase{font-weight:bold;font-size:14px}.small{font-size:12px;fill:#444}\
.life{stroke:#111;stroke-width:1.5}.loose{stroke:#777;stroke-dasharray:4 4}\
.arrow{stroke:#111;stroke-width:1.5;fill:none}.rule{stroke:#999}\
.node{fill:#fff;stroke:#111;stroke-width:1.5}.dot{fill:#111}";

/// `text` with XML's special characters written as entities.
pub(crate) fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

/// The opening of a picture `width` × `height`, its arrowhead (`marker`:
/// an id no other picture of a page uses) and styles.
fn open(width: usize, height: usize, title: &str, marker: &str) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" \
         viewBox=\"0 0 {width} {height}\" role=\"img\">\n<title>{}</title>\n<defs><marker id=\"{marker}\" \
         viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\" markerHeight=\"8\" \
         orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#111\"/></marker></defs>\n\
         <style>{STYLE}</style>\n<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n",
        xml(title)
    )
}

/// The sequence diagram: column headers, lifelines, one row per step with
/// its words on the right, and the addresses below.
pub(super) fn sequence(
    columns: &[Column],
    rows: &[Row],
    seqs: &[u64],
    redaction: &Redaction,
    lang: Lang,
) -> String {
    let words: Vec<String> = rows
        .iter()
        .map(|row| match row {
            Row::Phase(phase) => term(&Term::Phase(*phase), lang),
            _ => row.words(redaction, lang, "  "),
        })
        .collect();
    let legend: Vec<String> = columns
        .iter()
        .map(|c| {
            let address = c.address.clone().unwrap_or_else(|| {
                if c.recorded {
                    "-".to_string()
                } else {
                    term(&Term::NotRecorded, lang)
                }
            });
            format!("{}  {address}", c.label)
        })
        .collect();
    let text_x = 20 + COLUMN * columns.len();
    let longest = words.iter().chain(&legend).map(|w| w.chars().count()).max();
    let width = text_x + (longest.unwrap_or(0) as f64 * CHAR) as usize + 20;
    let top = 50;
    let bottom = top + ROW * rows.len();
    let height = bottom + 30 + ROW * legend.len();
    let center = |i: usize| 20 + COLUMN * i + COLUMN / 2;
    let row_y = |r: usize| top + ROW * r + ROW / 2;
    let marker = format!("sequence-head-{}", lang.code());
    let mut out = open(width, height, &term(&Term::SequenceTitle, lang), &marker);
    for (i, column) in columns.iter().enumerate() {
        let _ = writeln!(
            out,
            "<text class=\"head\" x=\"{}\" y=\"30\" text-anchor=\"middle\">{}</text>",
            center(i),
            xml(&column.label)
        );
        let (from, to) = match (column.recorded, column.start, column.end) {
            (false, _, _) => (top, bottom),
            (true, Some(s), Some(e)) if s == e => continue,
            (true, start, end) => (start.map_or(top, row_y), end.map_or(bottom, &row_y)),
        };
        let class = if column.recorded {
            "life"
        } else {
            "life loose"
        };
        let _ = writeln!(
            out,
            "<line class=\"{class}\" x1=\"{x}\" y1=\"{from}\" x2=\"{x}\" y2=\"{to}\"/>",
            x = center(i)
        );
    }
    for (r, (row, said)) in rows.iter().zip(&words).enumerate() {
        let y = row_y(r);
        let seq = seqs.get(r).copied().unwrap_or_default();
        let _ = write!(out, "<g class=\"row\" data-seq=\"{seq}\">");
        let _ = write!(
            out,
            "<rect class=\"band\" x=\"0\" y=\"{}\" width=\"{width}\" height=\"{ROW}\" fill=\"none\"/>",
            y - ROW / 2
        );
        match row {
            Row::Phase(_) => {
                let _ = write!(
                    out,
                    "<line class=\"rule\" x1=\"10\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\"/>\
                     <text class=\"phase\" x=\"{text_x}\" y=\"{}\">{}</text>",
                    text_x - 10,
                    y + 5,
                    xml(said)
                );
            }
            Row::Note { col, .. } => {
                let _ = write!(
                    out,
                    "<circle class=\"dot\" cx=\"{}\" cy=\"{y}\" r=\"4\"/>",
                    center(*col)
                );
            }
            Row::Arrow { from, to, .. } => {
                let (a, b) = (center(*from), center(*to));
                let end = if b > a { b - 5 } else { b + 5 };
                let _ = write!(
                    out,
                    "<line class=\"arrow\" x1=\"{a}\" y1=\"{y}\" x2=\"{end}\" y2=\"{y}\" marker-end=\"url(#{marker})\"/>"
                );
            }
        }
        if !matches!(row, Row::Phase(_)) {
            let _ = write!(
                out,
                "<text x=\"{text_x}\" y=\"{}\">{}</text>",
                y + 5,
                xml(said)
            );
        }
        out.push_str("</g>\n");
    }
    for (i, line) in legend.iter().enumerate() {
        let _ = writeln!(
            out,
            "<text class=\"small\" x=\"20\" y=\"{}\">{}</text>",
            bottom + 30 + ROW * i,
            xml(line)
        );
    }
    out.push_str("</svg>\n");
    out
}

/// Where a state sits on the typestate picture (`None`: the start, or the
/// end when `end`), and whether its own calls are listed above it.
fn place(state: Option<StateName>, end: bool) -> (usize, usize, bool) {
    match state {
        None if end => (1150, 310, false),
        None => (190, 90, false),
        Some(StateName::Created) => (190, 260, false),
        Some(StateName::Bound) => (480, 140, true),
        Some(StateName::Connecting) => (300, 470, false),
        Some(StateName::Listening) => (800, 140, true),
        Some(StateName::Connected) => (800, 420, false),
        Some(StateName::Closed) => (1040, 310, false),
    }
}

/// No system call: the typestate diagram of `transport`'s sockets as a
/// standalone SVG picture: one box per state (`<g class="state"
/// data-state="Listening">`, so that a page can light it), one arrow per
/// pair of states with the calls between them, and each state's calls that
/// keep it where it is listed beside it.
///
/// ```
/// use socket_lifecycle::{diagram::typestate_svg, event::Transport, Lang};
///
/// let svg = typestate_svg(Transport::Tcp, Lang::En);
/// assert!(svg.contains("data-state=\"Listening\""));
/// assert!(svg.contains(".listen() — listen(2)"));
/// ```
pub fn typestate_svg(transport: Transport, lang: Lang) -> String {
    let edges = edges(transport, lang);
    let title = typestate_title(transport, lang);
    let marker = format!("typestate-head-{transport:?}-{}", lang.code());
    let mut out = open(1180, 560, &title, &marker);
    let _ = writeln!(
        out,
        "<text class=\"head\" x=\"20\" y=\"28\">{}</text>",
        xml(&title)
    );
    let (loops, moves): (Vec<&Edge>, Vec<&Edge>) = edges
        .iter()
        .partition(|(from, to, _)| from.is_some() && from == to);
    // Arrows into one state that all say the same (every state's close)
    // say it once, under the state.
    let shared = |to: Option<StateName>, labels: &Vec<String>| {
        moves
            .iter()
            .filter(|(_, t, l)| *t == to && l == labels)
            .count()
            > 1
    };
    let mut said_under = Vec::new();
    for (from, to, labels) in &moves {
        let (x1, y1, _) = place(*from, false);
        let (x2, y2, _) = place(*to, true);
        let (dx, dy) = (x2 as f64 - x1 as f64, y2 as f64 - y1 as f64);
        let length = (dx * dx + dy * dy).sqrt().max(1.0);
        // From the edge of one box to the edge of the other.
        let inset = |x: usize, y: usize, sign: f64| {
            let (ux, uy) = (dx / length, dy / length);
            let scale = (62.0 / ux.abs().max(0.01)).min(22.0 / uy.abs().max(0.01));
            (x as f64 + sign * ux * scale, y as f64 + sign * uy * scale)
        };
        let (ax, ay) = inset(x1, y1, 1.0);
        let (bx, by) = inset(x2, y2, -1.0);
        let _ = writeln!(
            out,
            "<line class=\"arrow\" x1=\"{ax:.0}\" y1=\"{ay:.0}\" x2=\"{bx:.0}\" y2=\"{by:.0}\" marker-end=\"url(#{marker})\"/>"
        );
        let text = labels.join(", ");
        if text.is_empty() {
            continue;
        }
        if shared(*to, labels) {
            if !said_under.contains(to) {
                said_under.push(*to);
                // Below the state's own calls, when they are listed below.
                let own = loops.iter().filter(|(from, _, _)| from == to);
                let below = if place(*to, true).2 {
                    0
                } else {
                    own.map(|(_, _, l)| l.len()).sum()
                };
                let _ = writeln!(
                    out,
                    "<text class=\"small\" x=\"{x2}\" y=\"{}\" text-anchor=\"middle\">← {}</text>",
                    y2 + 38 + 15 * below,
                    xml(&text)
                );
            }
            continue;
        }
        // Beside the start, beside a steep arrow, above any other.
        let (mx, my) = ((ax + bx) / 2.0, (ay + by) / 2.0);
        let (mx, my) = if from.is_none() {
            (x1 as f64 + 10.0, y1 as f64 + 11.0)
        } else {
            (mx, my)
        };
        let (x, anchor) = if dx.abs() < dy.abs() / 2.0 {
            (mx + 8.0, "start")
        } else {
            (mx, "middle")
        };
        let _ = writeln!(
            out,
            "<text class=\"small\" x=\"{x:.0}\" y=\"{:.0}\" text-anchor=\"{anchor}\">{}</text>",
            my - 6.0,
            xml(&text)
        );
    }
    let mut states: Vec<Option<StateName>> = Vec::new();
    for (from, to, _) in &edges {
        for state in [from, to] {
            if state.is_some() && !states.contains(state) {
                states.push(*state);
            }
        }
    }
    for end in [false, true] {
        let (x, y, _) = place(None, end);
        let _ = writeln!(out, "<circle class=\"dot\" cx=\"{x}\" cy=\"{y}\" r=\"9\"/>");
    }
    for state in states.into_iter().flatten() {
        let (x, y, above) = place(Some(state), false);
        let name = state.as_str();
        let _ = writeln!(
            out,
            "<g class=\"state\" data-state=\"{name}\"><rect class=\"node\" x=\"{}\" y=\"{}\" \
             width=\"124\" height=\"44\" rx=\"10\"/><text class=\"head\" x=\"{x}\" y=\"{}\" \
             text-anchor=\"middle\">{name}</text></g>",
            x - 62,
            y - 22,
            y + 5
        );
        let own: Vec<&String> = loops
            .iter()
            .filter(|(from, _, _)| *from == Some(state))
            .flat_map(|(_, _, labels)| labels)
            .collect();
        for (i, label) in own.iter().enumerate() {
            let line_y = if above {
                y - 30 - 15 * (own.len() - 1 - i)
            } else {
                y + 38 + 15 * i
            };
            let _ = writeln!(
                out,
                "<text class=\"small\" x=\"{x}\" y=\"{line_y}\" text-anchor=\"middle\">↻ {}</text>",
                xml(label)
            );
        }
    }
    out.push_str("</svg>\n");
    out
}
