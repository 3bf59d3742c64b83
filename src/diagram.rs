//! Diagrams drawn from real traces, and the diagram of the library's own
//! states.
//!
//! Events are data; a diagram is one more rendering of them, like the strace
//! line or the narration. Nothing here changes an event.
//!
//! - [`SequenceDiagram`]: the two sides of a recorded conversation — one
//!   column per socket (`cliente`, `servidor`, `servidor#1`), arrows for the
//!   handshake, `accept`, each `send` with its byte count and the FIN
//!   exchange — as text for the terminal ([`SequenceDiagram::text`]) and as
//!   a Mermaid `sequenceDiagram` for Markdown ([`SequenceDiagram::mermaid`]).
//!   Who talks to whom is read from the events' addresses, never guessed.
//! - [`TRANSITIONS`]: the typestate diagram of [`crate::Socket`], written
//!   once as a table, rendered by [`typestate_text`] and
//!   [`typestate_mermaid`] (`stateDiagram-v2`).
//!
//! ```
//! use socket_lifecycle::diagram::SequenceDiagram;
//! use socket_lifecycle::{Lang, Recorder, Socket};
//!
//! let recorder = Recorder::new();
//! let listener = Socket::tcp_v4(recorder.tracer("servidor"))?
//!     .bind("127.0.0.1:0".parse().unwrap())?
//!     .listen(5)?;
//! let client = Socket::tcp_v4(recorder.tracer("cliente"))?
//!     .connect(listener.local_addr().unwrap())?;
//! let (conn, _) = listener.accept()?;
//! client.send(b"ola")?;
//! conn.recv(&mut [0u8; 1024])?;
//!
//! let diagram = SequenceDiagram::redacted(&recorder.events());
//! let mermaid = diagram.mermaid(Lang::En);
//! assert!(mermaid.starts_with("sequenceDiagram\n"));
//! assert!(mermaid.contains("cliente->>servidor: SYN"));
//! assert!(mermaid.contains("cliente->>servidor_1: send() 3 bytes \"ola\""));
//! print!("{}", diagram.text(Lang::En));
//! # Ok::<(), socket_lifecycle::Error>(())
//! ```

use std::collections::HashMap;
use std::fmt::Write as _;
use std::net::{IpAddr, Shutdown, SocketAddr};
use std::sync::Arc;

use crate::kernel::{TcpState, errno_name};
use crate::narration::Lang;
use crate::trace::StateName::{self, Bound, Closed, Connected, Created, Listening};
use crate::trace::{Call, Event, Outcome, Redaction, Transport, label_order};

/// Picks the Portuguese or the English words.
fn say(lang: Lang, pt: &str, en: &str) -> String {
    lang.pick(pt, en).to_string()
}

/// The three phases of the report's lifecycle diagram.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// `socket`, `setsockopt`, `bind`, `listen`.
    Preparation,
    /// `connect`, `accept`, `send`, `recv`.
    Communication,
    /// `shutdown`, `close`, and what the kernel keeps afterwards.
    Close,
}

impl Phase {
    /// The phase of an event: a `recv` that returns 0 (the peer's FIN)
    /// belongs to the close.
    fn of(event: &Event) -> Phase {
        if let (Call::Recv { .. }, Outcome::Returned(0)) = (&event.call, event.outcome) {
            return Phase::Close;
        }
        match &event.call {
            Call::Socket { .. }
            | Call::ReuseAddress { .. }
            | Call::Bind { .. }
            | Call::Listen { .. } => Phase::Preparation,
            Call::ReadTimeout { .. }
            | Call::Accept { .. }
            | Call::Connect { .. }
            | Call::Send { .. }
            | Call::Recv { .. }
            | Call::SendTo { .. }
            | Call::RecvFrom { .. } => Phase::Communication,
            Call::Shutdown { .. } | Call::Close | Call::KernelLookup => Phase::Close,
        }
    }

    fn title(self, lang: Lang) -> String {
        match self {
            Phase::Preparation => say(lang, "1. preparação", "1. preparation"),
            Phase::Communication => say(
                lang,
                "2. conexão & comunicação",
                "2. connection & communication",
            ),
            Phase::Close => say(lang, "3. encerramento", "3. close"),
        }
    }
}

/// What happens on one socket, with nothing crossing to another.
#[derive(Debug, Clone)]
enum Note {
    Created,
    ReuseAddress(bool),
    ReadTimeout(Option<std::time::Duration>),
    Bound(String),
    Listening(i32),
    Received {
        bytes: i64,
        preview: String,
    },
    SentNothing,
    EndOfStream,
    Shutdown(Shutdown),
    /// A UDP `connect`: the kernel notes the peer; no packet leaves.
    PeerFixed(String),
    Closed,
    Lingering(Option<String>),
    Failed {
        call: &'static str,
        errno: String,
    },
}

/// What crosses from one socket to another.
#[derive(Debug, Clone)]
enum Message {
    Syn,
    SynAck,
    Ack,
    Rst,
    Accept(Arc<str>),
    Data { bytes: i64, preview: String },
    Fin { by_close: bool },
}

#[derive(Debug, Clone)]
enum Row {
    Phase(Phase),
    Note {
        col: usize,
        note: Note,
        state: Option<String>,
    },
    Arrow {
        from: usize,
        to: usize,
        message: Message,
        state: Option<String>,
    },
}

/// One column: a recorded socket, or an address no recorded socket owns.
#[derive(Debug, Clone)]
struct Column {
    label: String,
    /// The address shown in the legend: `local` or `local ⇄ peer`.
    address: Option<String>,
    recorded: bool,
    /// Rows where the socket's life starts and ends (`None`: before the
    /// first row, after the last).
    start: Option<usize>,
    end: Option<usize>,
}

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
}

/// Two endpoints are the same if ports match and addresses match, an
/// IPv4-mapped IPv6 address being equal to its IPv4 form.
fn same_endpoint(a: SocketAddr, b: SocketAddr) -> bool {
    canonical(a.ip()) == canonical(b.ip()) && a.port() == b.port()
}

fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4),
        v4 => v4,
    }
}

/// Whether a socket bound to `bound` receives what is sent to `target`:
/// same port, and the same address or a wildcard one (`0.0.0.0`, `::`).
fn reaches(bound: SocketAddr, target: SocketAddr) -> bool {
    bound.port() == target.port()
        && (bound.ip().is_unspecified() || canonical(bound.ip()) == canonical(target.ip()))
}

/// What the events say about one socket.
#[derive(Debug, Default)]
struct Facts {
    local: Option<SocketAddr>,
    peer: Option<SocketAddr>,
    listening: bool,
    connects: bool,
    accepted_by: Option<Arc<str>>,
}

/// Builds the rows, finding each message's receiver by address.
struct Builder<'a> {
    redaction: &'a Redaction,
    facts: HashMap<Arc<str>, Facts>,
    columns: Vec<Column>,
    index: HashMap<String, usize>,
    rows: Vec<Row>,
    fin_sent: HashMap<Arc<str>, bool>,
    /// Each socket's TCP state after its latest event: a socket the kernel
    /// already holds in CLOSE (after a reset) sends no FIN when closed.
    last_state: HashMap<Arc<str>, TcpState>,
}

impl Builder<'_> {
    fn column(&mut self, label: &str, recorded: bool) -> usize {
        if let Some(&i) = self.index.get(label) {
            return i;
        }
        self.columns.push(Column {
            label: label.to_string(),
            address: None,
            recorded,
            start: None,
            end: None,
        });
        self.index.insert(label.to_string(), self.columns.len() - 1);
        self.columns.len() - 1
    }

    /// The column of the recorded socket connected from `peer` to `local`
    /// (the other end of a connection), or a column for the bare address.
    fn other_end(&mut self, local: Option<SocketAddr>, peer: Option<SocketAddr>) -> Option<usize> {
        let (local, peer) = (local?, peer?);
        let found = self
            .facts
            .iter()
            .find_map(|(label, facts)| match (facts.local, facts.peer) {
                (Some(l), Some(p)) if same_endpoint(l, peer) && same_endpoint(p, local) => {
                    Some(label.clone())
                }
                _ => None,
            });
        Some(match found {
            Some(label) => self.column(&label, true),
            None => {
                let label = self.redaction.addr(&peer);
                self.column(&label, false)
            }
        })
    }

    /// The column a `connect` to `target` reaches: a recorded listener on
    /// that address, else a recorded socket bound to it, else the address.
    fn connect_target(&mut self, target: SocketAddr) -> usize {
        let mut candidates: Vec<(&Arc<str>, &Facts)> = self
            .facts
            .iter()
            .filter(|(_, facts)| facts.local.is_some_and(|l| reaches(l, target)))
            .filter(|(_, facts)| facts.peer.is_none())
            .collect();
        candidates.sort_by_key(|(label, facts)| (!facts.listening, label_order(label)));
        match candidates.first().map(|(label, _)| (*label).clone()) {
            Some(label) => self.column(&label, true),
            None => {
                let label = self.redaction.addr(&target);
                self.column(&label, false)
            }
        }
    }

    fn note(&mut self, col: usize, note: Note, state: Option<String>) {
        self.rows.push(Row::Note { col, note, state });
    }

    fn arrow(&mut self, from: usize, to: usize, message: Message, state: Option<String>) {
        self.rows.push(Row::Arrow {
            from,
            to,
            message,
            state,
        });
    }

    fn event(&mut self, event: &Event) {
        let me = self.column(&event.socket, true);
        let state = event.tcp.map(|info| self.redaction.state(info.state));
        if let Some(info) = event.tcp {
            self.last_state.insert(event.socket.clone(), info.state);
        }
        let first_row = self.rows.len();
        if self.columns[me].start.is_none() {
            self.columns[me].start = Some(first_row);
        }
        if let Outcome::Failed(errno) = event.outcome {
            let errno = errno_name(errno).map_or_else(|| errno.to_string(), str::to_string);
            if let (Call::Connect { addr }, "ECONNREFUSED") = (&event.call, errno.as_str()) {
                let to = self.connect_target(*addr);
                self.arrow(me, to, Message::Syn, None);
                self.arrow(to, me, Message::Rst, None);
            }
            let call = event.call.name();
            self.note(me, Note::Failed { call, errno }, state);
            return;
        }
        let returned = match event.outcome {
            Outcome::Returned(value) => value,
            Outcome::Failed(_) => 0,
        };
        // The steps on a socket alone read the same for TCP and UDP.
        let alone = match &event.call {
            Call::Socket { .. } => Some(Note::Created),
            Call::ReuseAddress { on } => Some(Note::ReuseAddress(*on)),
            Call::ReadTimeout { timeout } => Some(Note::ReadTimeout(*timeout)),
            Call::Bind { .. } => {
                let local = event.local.map(|a| self.redaction.addr(&a));
                Some(Note::Bound(local.unwrap_or_default()))
            }
            _ => None,
        };
        if let Some(note) = alone {
            self.note(me, note, state);
            return;
        }
        if event.transport == Transport::Udp {
            self.datagram_event(event, me, returned);
            return;
        }
        match &event.call {
            // Drawn above.
            Call::Socket { .. }
            | Call::ReuseAddress { .. }
            | Call::ReadTimeout { .. }
            | Call::Bind { .. } => {}
            Call::Listen { backlog } => self.note(me, Note::Listening(*backlog), state),
            Call::Connect { addr } => {
                let to = self.connect_target(*addr);
                self.arrow(me, to, Message::Syn, None);
                self.arrow(to, me, Message::SynAck, None);
                self.arrow(me, to, Message::Ack, state);
            }
            Call::Accept { child, .. } => {
                let child = child.clone().unwrap_or_else(|| Arc::from("?"));
                let to = self.column(&child, true);
                if self.columns[to].start.is_none() {
                    self.columns[to].start = Some(self.rows.len());
                }
                let accepted = event.accepted_tcp.map(|s| self.redaction.state(s));
                self.arrow(me, to, Message::Accept(child), accepted);
            }
            Call::Send { .. } if returned == 0 => self.note(me, Note::SentNothing, state),
            Call::Send { data, .. } => {
                let preview = preview(data, returned);
                let message = Message::Data {
                    bytes: returned,
                    preview,
                };
                match self.other_end(event.local, event.peer) {
                    Some(to) => self.arrow(me, to, message, state),
                    None => self.note(
                        me,
                        Note::Failed {
                            call: "sendto",
                            errno: "?".into(),
                        },
                        state,
                    ),
                }
            }
            Call::Recv { data, .. } if returned > 0 => {
                let preview = preview(data, returned);
                let note = Note::Received {
                    bytes: returned,
                    preview,
                };
                self.note(me, note, state);
            }
            Call::Recv { .. } => self.note(me, Note::EndOfStream, state),
            Call::Shutdown { how } => {
                let sends_fin = matches!(how, Shutdown::Write | Shutdown::Both);
                let to = self.other_end(event.local, event.peer);
                match (sends_fin, to) {
                    (true, Some(to)) if !self.fin_already_sent(&event.socket) => {
                        self.fin_sent.insert(event.socket.clone(), true);
                        self.arrow(me, to, Message::Fin { by_close: false }, state);
                    }
                    _ => self.note(me, Note::Shutdown(*how), state),
                }
            }
            Call::Close => {
                let lingering = event
                    .peer
                    .map(|_| format!("kernel: {}", self.redaction.after_close(event.lingering)));
                let to = self.other_end(event.local, event.peer);
                match to {
                    Some(to) if !self.fin_already_sent(&event.socket) => {
                        self.fin_sent.insert(event.socket.clone(), true);
                        self.arrow(me, to, Message::Fin { by_close: true }, lingering);
                    }
                    _ => self.note(me, Note::Closed, lingering),
                }
                self.columns[me].end = Some(self.rows.len() - 1);
            }
            Call::KernelLookup => {
                let lingering = event.lingering.map(|s| self.redaction.state(s));
                self.note(me, Note::Lingering(lingering), None);
            }
            // Datagram calls: only UDP sockets make them (above).
            Call::SendTo { .. } | Call::RecvFrom { .. } => {}
        }
    }

    /// A step of a UDP socket: no handshake and no FIN to draw; each
    /// datagram sent is an arrow to whoever owns its destination.
    fn datagram_event(&mut self, event: &Event, me: usize, returned: i64) {
        let destination = match &event.call {
            Call::SendTo { to, .. } => to.or(event.peer),
            Call::Send { .. } => event.peer,
            _ => None,
        };
        match &event.call {
            Call::SendTo { data, .. } | Call::Send { data, .. } => {
                let message = Message::Data {
                    bytes: returned,
                    preview: preview(data, returned),
                };
                match destination {
                    Some(to) => {
                        let to = self.connect_target(to);
                        self.arrow(me, to, message, None);
                    }
                    None => self.note(me, Note::SentNothing, None),
                }
            }
            Call::RecvFrom { data, .. } | Call::Recv { data, .. } => {
                let note = Note::Received {
                    bytes: returned,
                    preview: preview(data, returned),
                };
                self.note(me, note, None);
            }
            Call::Connect { addr } => {
                let addr = self.redaction.addr(addr);
                self.note(me, Note::PeerFixed(addr), None);
            }
            Call::Shutdown { how } => self.note(me, Note::Shutdown(*how), None),
            Call::Close => {
                self.note(me, Note::Closed, None);
                self.columns[me].end = Some(self.rows.len() - 1);
            }
            // Drawn by the caller; and no UDP socket listens, accepts or
            // lingers.
            Call::Socket { .. }
            | Call::ReuseAddress { .. }
            | Call::ReadTimeout { .. }
            | Call::Bind { .. }
            | Call::Listen { .. }
            | Call::Accept { .. }
            | Call::KernelLookup => {}
        }
    }

    /// Whether closing now sends no FIN: one left already, or the
    /// connection was reset (the kernel holds it in CLOSE).
    fn fin_already_sent(&self, label: &Arc<str>) -> bool {
        self.fin_sent.get(label).copied().unwrap_or(false)
            || self.last_state.get(label) == Some(&TcpState::Close)
    }
}

/// Up to this many characters of data are shown on an arrow.
const PREVIEW_CHARS: usize = 24;

/// The first bytes of what was sent or received, as text: valid UTF-8 as
/// is, control characters and invalid bytes escaped, `…` when cut.
fn preview(data: &[u8], transferred: i64) -> String {
    let transferred = usize::try_from(transferred).unwrap_or(0);
    let shown = &data[..data.len().min(transferred)];
    let mut text = String::new();
    let mut cut = transferred > shown.len();
    'chunks: for chunk in shown.utf8_chunks() {
        for c in chunk.valid().chars() {
            if text.chars().count() >= PREVIEW_CHARS {
                cut = true;
                break 'chunks;
            }
            match c {
                '\n' => text.push_str("\\n"),
                '\r' => text.push_str("\\r"),
                '\t' => text.push_str("\\t"),
                '"' => text.push_str("\\\""),
                c if c.is_control() => {
                    let _ = write!(text, "\\x{:02x}", u32::from(c));
                }
                c => text.push(c),
            }
        }
        for byte in chunk.invalid() {
            let _ = write!(text, "\\x{byte:02x}");
        }
    }
    if cut {
        text.push('…');
    }
    format!("\"{text}\"")
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
        SequenceDiagram::build(events, &Redaction::none())
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
        SequenceDiagram::build(events, &Redaction::from_events(events))
    }

    fn build(events: &[Event], redaction: &Redaction) -> SequenceDiagram {
        let mut events: Vec<&Event> = events.iter().collect();
        events.sort_by_key(|event| event.seq);
        let mut facts: HashMap<Arc<str>, Facts> = HashMap::new();
        for event in &events {
            let entry = facts.entry(event.socket.clone()).or_default();
            if event.local.is_some() {
                entry.local = event.local;
            }
            if event.peer.is_some() {
                entry.peer = event.peer;
            }
            let ok = matches!(event.outcome, Outcome::Returned(_));
            match &event.call {
                Call::Listen { .. } if ok => entry.listening = true,
                Call::Connect { .. } => entry.connects = true,
                Call::Accept {
                    child: Some(child), ..
                } if ok => {
                    let listener = event.socket.clone();
                    facts.entry(child.clone()).or_default().accepted_by = Some(listener);
                }
                _ => {}
            }
        }
        let mut builder = Builder {
            redaction,
            facts,
            columns: Vec::new(),
            index: HashMap::new(),
            rows: Vec::new(),
            fin_sent: HashMap::new(),
            last_state: HashMap::new(),
        };
        let mut phase = None;
        for event in events {
            let this = Phase::of(event);
            if phase != Some(this) {
                builder.rows.push(Row::Phase(this));
                phase = Some(this);
            }
            builder.event(event);
        }
        let Builder {
            facts,
            mut columns,
            mut rows,
            ..
        } = builder;
        for column in &mut columns {
            if let Some(facts) = facts.get(column.label.as_str()) {
                column.address = match (facts.local, facts.peer) {
                    (Some(l), Some(p)) => {
                        Some(format!("{} ⇄ {}", redaction.addr(&l), redaction.addr(&p)))
                    }
                    (Some(l), None) => Some(redaction.addr(&l)),
                    _ => None,
                };
            }
        }
        // Columns: clients first, then each listener followed by the
        // connections it accepted, then other recorded sockets, then
        // addresses no recorded socket owns.
        let rank = |column: &Column| -> (u8, (String, u64), (String, u64)) {
            let own = label_order(&column.label);
            let own = (own.0.to_string(), own.1);
            let Some(f) = facts.get(column.label.as_str()) else {
                return (3, own.clone(), own);
            };
            match &f.accepted_by {
                Some(listener) => {
                    let l = label_order(listener);
                    (1, (l.0.to_string(), l.1), own)
                }
                None if f.connects => (0, own.clone(), own),
                None if f.listening => (1, own.clone(), (String::new(), 0)),
                None => (2, own.clone(), own),
            }
        };
        let mut order: Vec<usize> = (0..columns.len()).collect();
        order.sort_by_key(|&i| rank(&columns[i]));
        let mut new_index = vec![0; columns.len()];
        for (new, &old) in order.iter().enumerate() {
            new_index[old] = new;
        }
        for row in &mut rows {
            match row {
                Row::Note { col, .. } => *col = new_index[*col],
                Row::Arrow { from, to, .. } => {
                    *from = new_index[*from];
                    *to = new_index[*to];
                }
                Row::Phase(_) => {}
            }
        }
        let columns = order.into_iter().map(|i| columns[i].clone()).collect();
        SequenceDiagram { columns, rows }
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
    /// assert_eq!(diagram.columns(), ["cliente", "servidor", "servidor#1"]);
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
        let width = self
            .columns
            .iter()
            .map(|c| c.label.chars().count() + 3)
            .max()
            .unwrap_or(0)
            .max(10);
        let canvas = width * self.columns.len();
        let center = |i: usize| i * width + 2;
        let mut out = String::new();
        let label_width = self
            .columns
            .iter()
            .map(|c| c.label.chars().count())
            .max()
            .unwrap_or(0);
        for column in &self.columns {
            let address = column.address.clone().unwrap_or_else(|| {
                if column.recorded {
                    "-".to_string()
                } else {
                    say(lang, "(não gravado)", "(not recorded)")
                }
            });
            let _ = writeln!(out, "{:label_width$}  {address}", column.label);
        }
        out.push('\n');
        let mut header = String::new();
        for column in &self.columns {
            let _ = write!(header, "{:width$}", column.label);
        }
        out.push_str(header.trim_end());
        out.push('\n');
        for (r, row) in self.rows.iter().enumerate() {
            let mut cells: Vec<char> = vec![' '; canvas];
            if let Row::Phase(phase) = row {
                let _ = writeln!(out, "{}  {}", "─".repeat(canvas), phase.title(lang));
                continue;
            }
            for (i, column) in self.columns.iter().enumerate() {
                cells[center(i)] = column.glyph(r);
            }
            let words = match row {
                Row::Phase(_) => String::new(),
                Row::Note { col, note, state } => {
                    let mark = &mut cells[center(*col)];
                    *mark = match *mark {
                        ' ' => '·',
                        '│' => '●',
                        other => other,
                    };
                    with_state(note.words(lang), state)
                }
                Row::Arrow {
                    from,
                    to,
                    message,
                    state,
                } => {
                    let (a, b) = (center(*from), center(*to));
                    let (low, high) = (a.min(b), a.max(b));
                    for (x, cell) in cells.iter_mut().enumerate().take(high).skip(low + 1) {
                        *cell = if *cell == '│' && (x - 2) % width == 0 {
                            '┼'
                        } else {
                            '─'
                        };
                    }
                    if b > a {
                        cells[b - 1] = '>';
                    } else {
                        cells[b + 1] = '<';
                    }
                    with_state(message.words(lang), state)
                }
            };
            let line: String = cells.into_iter().collect();
            let _ = writeln!(out, "{line}  {words}");
        }
        out
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
        let ids = self.mermaid_ids();
        let mut out = String::from("sequenceDiagram\n");
        for (column, id) in self.columns.iter().zip(&ids) {
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
        for row in &self.rows {
            match row {
                Row::Phase(phase) => {
                    let _ = writeln!(
                        out,
                        "    Note over {span}: {}",
                        mermaid_text(&phase.title(lang))
                    );
                }
                Row::Note { col, note, state } => {
                    let words = with_state(note.words(lang), state).replace("  [", " [");
                    let _ = writeln!(out, "    Note over {}: {}", ids[*col], mermaid_text(&words));
                }
                Row::Arrow {
                    from,
                    to,
                    message,
                    state,
                } => {
                    let words = with_state(message.words(lang), state).replace("  [", " [");
                    let _ = writeln!(
                        out,
                        "    {}{}{}: {}",
                        ids[*from],
                        message.mermaid_arrow(),
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
    fn mermaid_ids(&self) -> Vec<String> {
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
        for column in &self.columns {
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
}

impl Column {
    /// The column's mark in row `r`.
    fn glyph(&self, r: usize) -> char {
        if !self.recorded {
            return '┆';
        }
        match (self.start, self.end) {
            (Some(start), _) if r < start => ' ',
            (Some(start), _) if r == start => '┬',
            (_, Some(end)) if r == end => '┴',
            (_, Some(end)) if r > end => ' ',
            (Some(_), _) => '│',
            (None, _) => ' ',
        }
    }
}

fn with_state(words: String, state: &Option<String>) -> String {
    match state {
        Some(state) => format!("{words}  [{state}]"),
        None => words,
    }
}

/// Text safe in a Mermaid label: the characters its grammar reads as syntax
/// become entity codes (`#35;` for `#`, …).
fn mermaid_text(text: &str) -> String {
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

fn bytes_word(n: i64) -> &'static str {
    if n == 1 { "byte" } else { "bytes" }
}

impl Note {
    fn words(&self, lang: Lang) -> String {
        match self {
            Note::Created => "socket()".to_string(),
            Note::ReuseAddress(on) => format!("setsockopt(SO_REUSEADDR, {})", u8::from(*on)),
            Note::ReadTimeout(Some(d)) => {
                format!("setsockopt(SO_RCVTIMEO, {:.1} s)", d.as_secs_f64())
            }
            Note::ReadTimeout(None) => "setsockopt(SO_RCVTIMEO, 0)".to_string(),
            Note::Bound(addr) => format!("bind({addr})"),
            Note::Listening(backlog) => format!("listen({backlog})"),
            Note::Received { bytes, preview } => {
                format!("recv() = {bytes} {} {preview}", bytes_word(*bytes))
            }
            Note::SentNothing => say(
                lang,
                "send() = 0: nenhum byte, nada sai",
                "send() = 0: no bytes, nothing leaves",
            ),
            Note::EndOfStream => say(lang, "recv() = 0: FIN recebido", "recv() = 0: FIN received"),
            Note::Shutdown(how) => format!(
                "shutdown({})",
                match how {
                    Shutdown::Read => "SHUT_RD",
                    Shutdown::Write => "SHUT_WR",
                    Shutdown::Both => "SHUT_RDWR",
                }
            ),
            Note::PeerFixed(addr) => say(
                lang,
                &format!("connect({addr}): só fixa o destino, nenhum pacote sai"),
                &format!("connect({addr}): only fixes the peer, no packet leaves"),
            ),
            Note::Closed => "close()".to_string(),
            Note::Lingering(Some(state)) => format!(
                "{}: {state}",
                say(lang, "o kernel ainda guarda", "the kernel still holds")
            ),
            Note::Lingering(None) => say(
                lang,
                "o kernel esqueceu a conexão",
                "the kernel forgot the connection",
            ),
            Note::Failed { call, errno } => format!("{call}() = -1 {errno}"),
        }
    }
}

impl Message {
    fn words(&self, lang: Lang) -> String {
        match self {
            Message::Syn => "SYN  connect()".to_string(),
            Message::SynAck => "SYN-ACK".to_string(),
            Message::Ack => "ACK".to_string(),
            Message::Rst => say(lang, "RST: ninguém escuta", "RST: nobody listens"),
            Message::Accept(child) => format!(
                "accept(): {} {child}",
                say(lang, "novo socket", "new socket")
            ),
            Message::Data { bytes, preview } => {
                format!("send() {bytes} {} {preview}", bytes_word(*bytes))
            }
            Message::Fin { by_close: true } => "FIN  close()".to_string(),
            Message::Fin { by_close: false } => "FIN  shutdown(SHUT_WR)".to_string(),
        }
    }

    fn mermaid_arrow(&self) -> &'static str {
        match self {
            Message::Syn | Message::Ack | Message::Data { .. } => "->>",
            Message::SynAck => "-->>",
            Message::Accept(_) => "-->>",
            Message::Rst => "--x",
            Message::Fin { .. } => "-)",
        }
    }
}

/// One edge of the typestate diagram: a method of [`crate::Socket`], the
/// system call it makes, and the states before and after.
///
/// ```
/// use socket_lifecycle::diagram::TRANSITIONS;
/// use socket_lifecycle::StateName;
///
/// let listen = TRANSITIONS.iter().find(|t| t.method == ".listen()").unwrap();
/// assert_eq!((listen.from, listen.to), (Some(StateName::Bound), Some(StateName::Listening)));
/// assert_eq!(listen.syscall, "listen");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transition {
    /// The state the socket is in; `None`: no socket yet (`[*]`).
    pub from: Option<StateName>,
    /// The state it is in afterwards; `None`: nothing left (`[*]`).
    pub to: Option<StateName>,
    /// The method, as a program calls it.
    pub method: &'static str,
    /// The system call, as strace names it ([`crate::trace::Call::name`]).
    pub syscall: &'static str,
    /// The argument that tells this use of the call apart, e.g.
    /// `SO_REUSEADDR`; empty when there is none.
    pub detail: &'static str,
    /// Whether the call makes a new socket in `to` and leaves the old one
    /// where it was (`accept`).
    pub new_socket: bool,
}

const fn edge(
    from: Option<StateName>,
    to: Option<StateName>,
    method: &'static str,
    syscall: &'static str,
    detail: &'static str,
) -> Transition {
    Transition {
        from,
        to,
        method,
        syscall,
        detail,
        new_socket: false,
    }
}

/// The typestate diagram of [`crate::Socket`], as a table: every call and
/// the states it goes between. The tests hold every recorded event against
/// it, so it cannot drift from what the library does.
///
/// ```
/// use socket_lifecycle::diagram::TRANSITIONS;
/// use socket_lifecycle::StateName;
///
/// // Only a Listening socket accepts, and accept makes a new Connected one.
/// let accepts: Vec<_> = TRANSITIONS.iter().filter(|t| t.syscall == "accept4").collect();
/// assert!(accepts.iter().all(|t| t.from == Some(StateName::Listening)));
/// assert!(accepts.iter().any(|t| t.new_socket && t.to == Some(StateName::Connected)));
/// ```
pub const TRANSITIONS: &[Transition] = &[
    edge(
        None,
        Some(Created),
        "tcp_v4() / tcp_v6() / tcp_for()",
        "socket",
        "",
    ),
    edge(
        Some(Created),
        Some(Created),
        ".reuse_address()",
        "setsockopt",
        "SO_REUSEADDR",
    ),
    edge(Some(Created), Some(Bound), ".bind()", "bind", ""),
    edge(Some(Created), Some(Connected), ".connect()", "connect", ""),
    edge(Some(Bound), Some(Listening), ".listen()", "listen", ""),
    edge(Some(Bound), Some(Connected), ".connect()", "connect", ""),
    edge(Some(Listening), Some(Listening), ".accept()", "accept4", ""),
    Transition {
        from: Some(Listening),
        to: Some(Connected),
        method: ".accept()",
        syscall: "accept4",
        detail: "",
        new_socket: true,
    },
    edge(
        Some(Listening),
        Some(Listening),
        ".shutdown()",
        "shutdown",
        "SHUT_RDWR",
    ),
    edge(
        Some(Connected),
        Some(Connected),
        ".send() / .send_all()",
        "sendto",
        "",
    ),
    edge(Some(Connected), Some(Connected), ".recv()", "recvfrom", ""),
    edge(
        Some(Connected),
        Some(Connected),
        ".shutdown(how)",
        "shutdown",
        "",
    ),
    edge(
        Some(Connected),
        Some(Connected),
        ".set_read_timeout()",
        "setsockopt",
        "SO_RCVTIMEO",
    ),
    edge(Some(Created), Some(Closed), ".close() / drop", "close", ""),
    edge(Some(Bound), Some(Closed), ".close() / drop", "close", ""),
    edge(
        Some(Listening),
        Some(Closed),
        ".close() / drop",
        "close",
        "",
    ),
    edge(
        Some(Connected),
        Some(Closed),
        ".close() / drop",
        "close",
        "",
    ),
    edge(
        Some(Closed),
        Some(Closed),
        ".kernel_state()",
        "kernel lookup",
        "",
    ),
    edge(Some(Closed), None, "", "", ""),
];

fn state_name(state: Option<StateName>) -> &'static str {
    state.map_or("[*]", StateName::as_str)
}

/// The call of a transition as shown on the diagram: `method  syscall()`.
fn transition_label(t: &Transition, lang: Lang) -> String {
    let mut label = t.method.to_string();
    if t.new_socket {
        let _ = write!(label, " {}", say(lang, "(novo socket)", "(new socket)"));
    }
    label
}

/// The system call as a man-page reference: `bind(2)`,
/// `setsockopt(2) SO_REUSEADDR`; what is not a system call (the kernel
/// lookup after a close) stays words.
fn syscall_text(t: &Transition) -> String {
    let call = match t.syscall {
        "" => return String::new(),
        words if words.contains(' ') => words.to_string(),
        name => format!("{name}(2)"),
    };
    match t.detail {
        "" => call,
        detail => format!("{call} {detail}"),
    }
}

/// No system call: the typestate diagram as text, one line per
/// [`Transition`]: `from ──method──> to   system call`.
///
/// ```
/// use socket_lifecycle::{diagram::typestate_text, Lang};
///
/// let text = typestate_text(Lang::En);
/// assert!(text.lines().any(|l| l.starts_with("Bound") && l.contains(".listen()") && l.contains("> Listening")));
/// ```
pub fn typestate_text(lang: Lang) -> String {
    let mut out = say(
        lang,
        "Socket<S>: os estados e as chamadas entre eles\n",
        "Socket<S>: the states and the calls between them\n",
    );
    let labels: Vec<String> = TRANSITIONS
        .iter()
        .map(|t| transition_label(t, lang))
        .collect();
    let from_w = TRANSITIONS
        .iter()
        .map(|t| state_name(t.from).len())
        .max()
        .unwrap_or(0);
    let to_w = TRANSITIONS
        .iter()
        .map(|t| state_name(t.to).len())
        .max()
        .unwrap_or(0);
    let label_w = labels.iter().map(|l| l.chars().count()).max().unwrap_or(0);
    for (t, label) in TRANSITIONS.iter().zip(&labels) {
        let dashes = "─".repeat(label_w - label.chars().count() + 2);
        let line = format!(
            "{:from_w$}  ──{label}{dashes}> {:to_w$}  {}",
            state_name(t.from),
            state_name(t.to),
            syscall_text(t),
        );
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// No system call: the typestate diagram as a Mermaid `stateDiagram-v2`;
/// transitions between the same two states share one arrow.
///
/// ```
/// use socket_lifecycle::{diagram::typestate_mermaid, Lang};
///
/// let mermaid = typestate_mermaid(Lang::En);
/// assert!(mermaid.starts_with("stateDiagram-v2\n"));
/// assert!(mermaid.contains("    Bound --> Listening: .listen() — listen(2)\n"));
/// ```
pub fn typestate_mermaid(lang: Lang) -> String {
    let mut edges: Vec<(Option<StateName>, Option<StateName>, Vec<String>)> = Vec::new();
    for t in TRANSITIONS {
        let mut label = transition_label(t, lang);
        let syscall = syscall_text(t);
        if !syscall.is_empty() {
            let _ = write!(label, " — {syscall}");
        }
        match edges
            .iter_mut()
            .find(|(f, to, _)| *f == t.from && *to == t.to)
        {
            Some((_, _, labels)) => labels.push(label),
            None => edges.push((t.from, t.to, vec![label])),
        }
    }
    let mut out = String::from("stateDiagram-v2\n");
    for (from, to, labels) in edges {
        let labels: Vec<&String> = labels.iter().filter(|l| !l.is_empty()).collect();
        let head = format!("    {} --> {}", state_name(from), state_name(to));
        if labels.is_empty() {
            let _ = writeln!(out, "{head}");
        } else {
            let joined: Vec<&str> = labels.iter().map(|l| l.as_str()).collect();
            let _ = writeln!(out, "{head}: {}", mermaid_text(&joined.join(", ")));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn previews_show_text_and_escape_the_rest() {
        assert_eq!(preview(b"ola", 3), "\"ola\"");
        assert_eq!(preview("olá\n".as_bytes(), 5), "\"olá\\n\"");
        assert_eq!(preview(&[b'a', 0xc3], 2), "\"a\\xc3\"");
        assert_eq!(preview(b"abc", 40), "\"abc…\"");
        let long = "x".repeat(30);
        assert_eq!(
            preview(long.as_bytes(), 30),
            format!("\"{}…\"", "x".repeat(24))
        );
    }

    #[test]
    fn mermaid_text_escapes_its_syntax() {
        assert_eq!(mermaid_text("servidor#1"), "servidor#35;1");
        assert_eq!(mermaid_text("<port a>; b"), "#60;port a#62;#59; b");
    }

    /// The crate docs show the typestate diagram as this module draws it.
    #[test]
    fn the_crate_docs_show_the_current_typestate_diagram() {
        let crate_docs = include_str!("lib.rs");
        for line in typestate_text(Lang::En).lines().skip(1) {
            let doc_line = format!("//! {line}");
            assert!(
                crate_docs
                    .lines()
                    .any(|l| l.trim_end() == doc_line.trim_end()),
                "src/lib.rs lacks: {line}"
            );
        }
    }

    /// Every state of the library is on the diagram.
    #[test]
    fn every_state_has_a_transition() {
        for state in [Created, Bound, Listening, Connected, Closed] {
            // No wildcard: a new state fails to compile here until listed.
            match state {
                Created | Bound | Listening | Connected | Closed => {}
            }
            assert!(
                TRANSITIONS.iter().any(|t| t.to == Some(state)),
                "nothing leads to {state:?}"
            );
            assert!(
                TRANSITIONS.iter().any(|t| t.from == Some(state)),
                "nothing leaves {state:?}"
            );
        }
    }
}
