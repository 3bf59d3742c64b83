//! One self-contained HTML page to step through a trace (`--html FILE`):
//! the sequence diagram as SVG, one event at a time (buttons, arrow keys,
//! Home and End), each step's call, result, typestate, kernel state and
//! narration, a pt/en switch, and the typestate diagram with the selected
//! socket's state lit. Everything is inlined — the pictures, the events
//! (as the JSON Lines schema's objects), the styles, the script — and the
//! page's own policy forbids loading anything, so that it opens offline
//! from disk, on a phone, sent to a classmate. Only with the crate's
//! `json` feature.

use std::fmt::Write as _;

use super::sequence::SequenceDiagram;
use super::svg::{typestate_svg, xml};
use crate::event::{Event, Transport};
use crate::lang::Lang;
use crate::render::phrase::{PageWord, Term};
use crate::render::term;
use crate::trace::json::JsonEvent;

/// The page's styles.
const STYLE: &str = include_str!("page.css");
/// The page's script: it reads the events and the words from the page's
/// data and moves from step to step.
const SCRIPT: &str = include_str!("page.js");

/// The words a page shows, by the name its script knows them by.
const WORDS: [(&str, PageWord); 8] = [
    ("title", PageWord::Title),
    ("call", PageWord::Call),
    ("result", PageWord::Result),
    ("state", PageWord::State),
    ("kernel", PageWord::Kernel),
    ("previous", PageWord::Previous),
    ("next", PageWord::Next),
    ("keys", PageWord::Keys),
];

/// No system call: the page of `events` (from [`crate::Recorder::events`]),
/// first shown in `lang`, addresses as recorded. The events it carries
/// are the [`crate::trace::json`] schema's, made by process `pid`.
///
/// ```
/// use socket_lifecycle::diagram::page;
/// use socket_lifecycle::{Lang, Recorder, Socket};
///
/// let recorder = Recorder::new();
/// Socket::tcp_v4(recorder.tracer("cliente"))?.close()?;
/// let html = page(&recorder.events(), std::process::id(), Lang::Pt);
/// assert!(html.starts_with("<!doctype html>"));
/// assert!(html.contains("default-src 'none'"));
/// assert!(html.contains("data-state=\"Created\""));
/// assert!(!html.contains("src=\"http") && !html.contains("href=\"http"));
/// # Ok::<(), socket_lifecycle::Error>(())
/// ```
pub fn page(events: &[Event], pid: u32, lang: Lang) -> String {
    let diagram = SequenceDiagram::new(events);
    let mut data = String::from("{\"events\":[");
    for (i, event) in events.iter().enumerate() {
        if i > 0 {
            data.push(',');
        }
        data.push_str(&JsonEvent::new(event, pid, Lang::En).line());
    }
    data.push_str("],\"transport\":[");
    for (i, event) in events.iter().enumerate() {
        let name = match event.transport {
            Transport::Tcp => "\"tcp\"",
            Transport::Udp => "\"udp\"",
        };
        data.push_str(if i > 0 { "," } else { "" });
        data.push_str(name);
    }
    data.push_str("],\"narration\":{");
    for (l, each) in Lang::ALL.into_iter().enumerate() {
        let said: Vec<String> = events.iter().map(|e| e.narration(each)).collect();
        let said = serde_json::to_string(&said).unwrap_or_else(|_| "[]".into());
        let _ = write!(
            data,
            "{}\"{}\":{said}",
            if l > 0 { "," } else { "" },
            each.code()
        );
    }
    data.push_str("},\"words\":{");
    for (l, each) in Lang::ALL.into_iter().enumerate() {
        let words: Vec<(&str, String)> = WORDS
            .iter()
            .map(|(name, word)| (*name, term(&Term::Page(*word), each)))
            .collect();
        let words: serde_json::Map<String, serde_json::Value> = words
            .into_iter()
            .map(|(name, word)| (name.to_string(), word.into()))
            .collect();
        let words = serde_json::to_string(&words).unwrap_or_else(|_| "{}".into());
        let _ = write!(
            data,
            "{}\"{}\":{words}",
            if l > 0 { "," } else { "" },
            each.code()
        );
    }
    data.push_str("}}");
    // Inside a script element, `<` only ever appears in JSON strings, where
    // `\u003c` says the same and cannot close the element.
    let data = data.replace('<', "\\u003c");

    let mut out = String::from("<!doctype html>\n");
    let _ = write!(
        out,
        "<html lang=\"{code}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
         style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\
         <title>{title}</title><style>{STYLE}</style></head>\n<body>\n\
         <header><h1 data-word=\"title\">{title}</h1><nav>",
        code = lang.code(),
        title = xml(&term(&Term::Page(PageWord::Title), lang)),
    );
    for each in Lang::ALL {
        let _ = write!(
            out,
            "<button class=\"lang\" id=\"lang-{0}\" data-lang=\"{0}\">{0}</button>",
            each.code()
        );
    }
    out.push_str(
        "</nav></header>\n<main><section id=\"step\" aria-live=\"polite\">\
         <div class=\"moves\"><button id=\"previous\" data-word=\"previous\"></button>\
         <span id=\"count\"></span><button id=\"next\" data-word=\"next\"></button>\
         <small data-word=\"keys\"></small></div>\
         <p><b id=\"socket\"></b> <span id=\"thread\"></span></p><dl>\
         <dt data-word=\"call\"></dt><dd><code id=\"call\"></code></dd>\
         <dt data-word=\"result\"></dt><dd><code id=\"result\"></code></dd>\
         <dt data-word=\"state\"></dt><dd id=\"state\"></dd>\
         <dt data-word=\"kernel\"></dt><dd id=\"kernel\"></dd></dl>\
         <p id=\"narration\"></p></section>\n",
    );
    for each in Lang::ALL {
        let _ = writeln!(
            out,
            "<figure class=\"sequence\" data-lang=\"{}\">{}</figure>",
            each.code(),
            diagram.svg(each)
        );
    }
    for transport in [Transport::Tcp, Transport::Udp] {
        if !events.iter().any(|e| e.transport == transport) {
            continue;
        }
        let name = match transport {
            Transport::Tcp => "tcp",
            Transport::Udp => "udp",
        };
        for each in Lang::ALL {
            let _ = writeln!(
                out,
                "<figure class=\"typestate\" data-transport=\"{name}\" data-lang=\"{}\">{}</figure>",
                each.code(),
                typestate_svg(transport, each)
            );
        }
    }
    let _ = write!(
        out,
        "</main>\n<script type=\"application/json\" id=\"data\">{data}</script>\n\
         <script>{SCRIPT}</script>\n</body></html>\n"
    );
    out
}
