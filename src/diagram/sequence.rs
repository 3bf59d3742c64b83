//! [`SequenceDiagram`]: the two sides of a recorded conversation, one
//! column per socket and one row per step.

use super::rows::{self, Column, Row};
use super::{mermaid, svg, text};
use crate::event::Event;
use crate::lang::Lang;
use crate::render::redact::Redaction;

/// A sequence diagram of a recorded trace: one column per socket, one row
/// per step, in the order the steps happened.
///
/// Build it from [`crate::Recorder::events`] with [`SequenceDiagram::new`]
/// (real ports) or [`SequenceDiagram::redacted`] (ports as
/// [`crate::Recorder::render_redacted`] shows them: deterministic, for
/// snapshots). Rows follow the events' global order, so a trace recorded
/// from one thread always gives the same diagram.
///
/// ```
/// use socket_lifecycle::diagram::SequenceDiagram;
/// use socket_lifecycle::{Lang, Recorder, Socket};
///
/// let recorder = Recorder::new();
/// let socket = Socket::tcp_v4(recorder.tracer("cliente"))?;
/// socket.close()?;
/// let text = SequenceDiagram::redacted(&recorder.events()).text(Lang::Pt);
/// assert!(text.contains("socket()"));
/// assert!(text.contains("3. encerramento"));
/// # Ok::<(), socket_lifecycle::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct SequenceDiagram {
    columns: Vec<Column>,
    rows: Vec<Row>,
    /// The `seq` of the event each row comes from.
    seqs: Vec<u64>,
    redaction: Redaction,
}

impl SequenceDiagram {
    /// No system call: the diagram of `events` (from
    /// [`crate::Recorder::events`]), with real addresses and ports.
    ///
    /// ```
    /// use socket_lifecycle::diagram::SequenceDiagram;
    /// use socket_lifecycle::{Lang, Recorder, Socket};
    ///
    /// let recorder = Recorder::new();
    /// let bound = Socket::tcp_v4(recorder.tracer("servidor"))?
    ///     .bind("127.0.0.1:0".parse().unwrap())?;
    /// let port = bound.local_addr().unwrap().port();
    /// let text = SequenceDiagram::new(&recorder.events()).text(Lang::En);
    /// assert!(text.contains(&format!("127.0.0.1:{port}")));
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn new(events: &[Event]) -> SequenceDiagram {
        SequenceDiagram::build(events, Redaction::none())
    }

    /// No system call: the diagram of `events`, with fd numbers and the
    /// ports the kernel chose redacted as in
    /// [`crate::Recorder::render_redacted`], so that it is the same on every
    /// run.
    ///
    /// ```
    /// use socket_lifecycle::diagram::SequenceDiagram;
    /// use socket_lifecycle::{Lang, Recorder, Socket};
    ///
    /// let recorder = Recorder::new();
    /// let bound = Socket::tcp_v4(recorder.tracer("servidor"))?
    ///     .bind("127.0.0.1:0".parse().unwrap())?;
    /// let text = SequenceDiagram::redacted(&recorder.events()).text(Lang::En);
    /// assert!(text.contains("127.0.0.1:<port servidor>"));
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn redacted(events: &[Event]) -> SequenceDiagram {
        SequenceDiagram::build(events, Redaction::from_events(events))
    }

    fn build(events: &[Event], redaction: Redaction) -> SequenceDiagram {
        let (columns, rows, seqs) = rows::build(events, &redaction);
        SequenceDiagram {
            columns,
            rows,
            seqs,
            redaction,
        }
    }

    /// No system call: the columns' labels, left to right.
    ///
    /// ```
    /// # use socket_lifecycle::{diagram::SequenceDiagram, Recorder, Socket};
    /// let recorder = Recorder::new();
    /// let listener = Socket::tcp_v4(recorder.tracer("servidor"))?
    ///     .bind("127.0.0.1:0".parse().unwrap())?
    ///     .listen(5)?;
    /// let client = Socket::tcp_v4(recorder.tracer("cliente"))?
    ///     .connect(listener.local_addr().unwrap())?;
    /// let (conn, _) = listener.accept()?;
    /// let diagram = SequenceDiagram::redacted(&recorder.events());
    /// assert_eq!(diagram.columns(), ["cliente", "servidor", "servidor#cliente"]);
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn columns(&self) -> Vec<&str> {
        self.columns.iter().map(|c| c.label.as_str()).collect()
    }

    /// No system call: the diagram as plain text for a terminal: a legend
    /// of addresses, one column per socket (`┬` where it is created, `│`
    /// while it lives, `●` where a step happens on it alone, `┴` where it
    /// is closed, `·` for what the kernel keeps after that, `┆` for an
    /// address no recorded socket owns), and one row per step with its words
    /// on the right.
    ///
    /// ```
    /// # use socket_lifecycle::{diagram::SequenceDiagram, Lang, Recorder, Socket};
    /// let recorder = Recorder::new();
    /// Socket::tcp_v4(recorder.tracer("cliente"))?.close()?;
    /// let text = SequenceDiagram::redacted(&recorder.events()).text(Lang::En);
    /// assert!(text.lines().any(|line| line.starts_with("  ┬") && line.ends_with("socket()  [CLOSE]")));
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn text(&self, lang: Lang) -> String {
        text::text(&self.columns, &self.rows, &self.redaction, lang)
    }

    /// No system call: the diagram as a Mermaid `sequenceDiagram`, for a
    /// Markdown file (in a ```` ```mermaid ```` block). Participants are
    /// declared first, in column order; labels that Mermaid would read as
    /// syntax (`#`, `;`, `<`, `>`) are written as its entity codes.
    ///
    /// ```
    /// # use socket_lifecycle::{diagram::SequenceDiagram, Lang, Recorder, Socket};
    /// let recorder = Recorder::new();
    /// Socket::tcp_v4(recorder.tracer("cliente"))?.close()?;
    /// let mermaid = SequenceDiagram::redacted(&recorder.events()).mermaid(Lang::En);
    /// assert_eq!(mermaid.lines().next(), Some("sequenceDiagram"));
    /// assert!(mermaid.contains("    participant cliente as cliente\n"));
    /// assert!(mermaid.contains("    Note over cliente: socket() [CLOSE]\n"));
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn mermaid(&self, lang: Lang) -> String {
        mermaid::mermaid(&self.columns, &self.rows, &self.redaction, lang)
    }

    /// No system call: the diagram as a standalone SVG picture — one
    /// column per socket with its lifeline, one row per step, arrows for
    /// what crossed — in black on white, legible when printed. Each row is
    /// a group (`<g class="row" data-seq="N">`) naming the event it comes
    /// from, so that a page can light one step.
    ///
    /// ```
    /// # use socket_lifecycle::{diagram::SequenceDiagram, Lang, Recorder, Socket};
    /// let recorder = Recorder::new();
    /// Socket::tcp_v4(recorder.tracer("cliente"))?.close()?;
    /// let events = recorder.events();
    /// let svg = SequenceDiagram::redacted(&events).svg(Lang::En);
    /// assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    /// assert!(svg.contains(&format!("data-seq=\"{}\"", events[1].seq)));
    /// assert!(svg.contains(">socket()  [CLOSE]</text>"));
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn svg(&self, lang: Lang) -> String {
        svg::sequence(&self.columns, &self.rows, &self.seqs, &self.redaction, lang)
    }
}
