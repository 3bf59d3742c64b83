//! Events → rows: one column per socket, one row per step, and for each step
//! what crossed to whom — read from the events' addresses and facts, never
//! guessed. The rows hold no words: `text.rs` and `mermaid.rs` say them.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::net::{IpAddr, Shutdown, SocketAddr};
use std::sync::Arc;

use crate::errno::{Errno, errno_name};
use crate::event::{Call, Event, Outcome, SocketOption, StateName, Transport};
use crate::kernel::{Lingering, same_endpoint};
use crate::lang::Lang;
use crate::render::phrase::{self, Close, End, Phase, Term, View};
use crate::render::redact::{Redaction, label_order};
use crate::render::term;
use crate::render::words::words;

/// What happens on one socket, with nothing crossing to another.
#[derive(Debug, Clone)]
pub(super) enum Note {
    Created,
    Option(SocketOption),
    Bound(String),
    Listening(i32),
    Received {
        bytes: i64,
        preview: String,
    },
    SentNothing,
    EmptyBuffer,
    End(End),
    Shutdown(Shutdown),
    /// A UDP `connect`: the kernel notes the peer; no packet leaves.
    PeerFixed(String),
    Closed,
    /// A close that sent nothing: another descriptor holds the socket.
    HeldElsewhere,
    /// `fcntl(O_NONBLOCK)` (Windows: `ioctlsocket(FIONBIO)`): `call` is the
    /// system's name of it.
    Nonblocking(&'static str),
    /// A call on an epoll instance (`epoll_create1`, `epoll_ctl`), by name.
    Call(&'static str),
    /// A wait (`poll`, `select`) on the socket, and whether it ended ready.
    Waited {
        call: &'static str,
        ready: bool,
    },
    Lingering(Lingering),
    Failed {
        call: &'static str,
        errno: String,
    },
}

/// What crosses from one socket to another.
#[derive(Debug, Clone)]
pub(super) enum Message {
    Syn,
    SynAck,
    Ack,
    /// The RST a refused connect gets.
    Refused,
    /// The RST a close sends when bytes were left unread.
    Reset,
    Accept(Arc<str>),
    Data {
        bytes: i64,
        preview: String,
    },
    Fin {
        by_close: bool,
    },
}

/// The kernel's side of a row, shown in brackets.
#[derive(Debug, Clone)]
pub(super) enum Mark {
    /// A TCP state, already in its canonical form when redacted.
    State(String),
    /// What the kernel holds after `socket`'s close.
    AfterClose { found: Lingering, socket: Arc<str> },
}

#[derive(Debug, Clone)]
pub(super) enum Row {
    Phase(Phase),
    Note {
        col: usize,
        note: Note,
        mark: Option<Mark>,
    },
    Arrow {
        from: usize,
        to: usize,
        message: Message,
        mark: Option<Mark>,
    },
}

/// One column: a recorded socket, or an address no recorded socket owns.
#[derive(Debug, Clone)]
pub(super) struct Column {
    pub(super) label: String,
    /// The address shown in the legend: `local` or `local ⇄ peer`.
    pub(super) address: Option<String>,
    pub(super) recorded: bool,
    /// Rows where the socket's life starts and ends (`None`: before the
    /// first row, after the last).
    pub(super) start: Option<usize>,
    pub(super) end: Option<usize>,
}

/// Whether a socket bound to `bound` receives what is sent to `target`:
/// same port, and the same address or a wildcard one (`0.0.0.0`, `::`).
fn reaches(bound: SocketAddr, target: SocketAddr) -> bool {
    let canonical = |ip: IpAddr| match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4),
        v4 => v4,
    };
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
}

/// The columns and rows of `events`, addresses shown as `redaction` says,
/// and for each row the `seq` of the event it comes from (a phase's title:
/// the event that opens the phase).
pub(super) fn build(events: &[Event], redaction: &Redaction) -> (Vec<Column>, Vec<Row>, Vec<u64>) {
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
    };
    let mut phase = None;
    let mut seqs = Vec::new();
    for event in events {
        let this = Phase::of(event);
        if phase != Some(this) {
            builder.rows.push(Row::Phase(this));
            phase = Some(this);
        }
        builder.event(event);
        seqs.resize(builder.rows.len(), event.seq);
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
    // Labels as the rendering shows them (canonical ones when redacted).
    type Key = (String, u8, u64, String);
    let key = |label: &str| -> Key {
        let shown = redaction.label(label);
        let (base, kind, n, suffix) = label_order(&shown);
        (base.to_string(), kind, n, suffix.to_string())
    };
    let rank = |column: &Column| -> (u8, Key, Key) {
        let own = key(&column.label);
        let Some(f) = facts.get(column.label.as_str()) else {
            return (3, own.clone(), own);
        };
        match &f.accepted_by {
            Some(listener) => (1, key(listener), own),
            None if f.connects => (0, own.clone(), own),
            None if f.listening => (1, own.clone(), Key::default()),
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
    let columns = order
        .into_iter()
        .map(|i| Column {
            label: redaction.label(&columns[i].label),
            ..columns[i].clone()
        })
        .collect();
    (columns, rows, seqs)
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

    fn note(&mut self, col: usize, note: Note, mark: Option<Mark>) {
        self.rows.push(Row::Note { col, note, mark });
    }

    fn arrow(&mut self, from: usize, to: usize, message: Message, mark: Option<Mark>) {
        self.rows.push(Row::Arrow {
            from,
            to,
            message,
            mark,
        });
    }

    fn event(&mut self, event: &Event) {
        let me = self.column(&event.socket, true);
        let mark = event
            .tcp
            .map(|info| Mark::State(self.redaction.event_state(event, info.state)));
        let first_row = self.rows.len();
        if self.columns[me].start.is_none() {
            self.columns[me].start = Some(first_row);
        }
        if let Outcome::Failed(code) = event.outcome {
            let errno = errno_name(code).map_or_else(|| code.to_string(), str::to_string);
            let refused = Errno::of(code) == Some(Errno::ECONNREFUSED);
            if let (Call::Connect { addr }, true) = (&event.call, refused) {
                let to = self.connect_target(*addr);
                self.arrow(me, to, Message::Syn, None);
                self.arrow(to, me, Message::Refused, None);
            }
            // A non-blocking connect: the SYN left; the answer comes later.
            if let (Call::Connect { addr }, Some(StateName::Connecting)) =
                (&event.call, event.after)
            {
                let to = self.connect_target(*addr);
                self.arrow(me, to, Message::Syn, None);
            }
            let call = event.call.name();
            self.note(me, Note::Failed { call, errno }, mark);
            if event.after.is_none() {
                // A socket() that failed: there never was a socket.
                self.columns[me].end = Some(first_row);
            }
            return;
        }
        let returned = event.returned().unwrap_or(0);
        // The steps on a socket alone read the same for TCP and UDP.
        let alone = match &event.call {
            Call::Socket { .. } => Some(Note::Created),
            Call::SetOption { option } => Some(Note::Option(*option)),
            Call::Bind { .. } => {
                let local = event.local.map(|a| self.redaction.addr(&a));
                Some(Note::Bound(local.unwrap_or_default()))
            }
            Call::SetNonblocking => Some(Note::Nonblocking(event.call.name())),
            Call::EpollCreate | Call::EpollAdd { .. } => Some(Note::Call(event.call.name())),
            Call::Wait { syscall, fds, .. } => Some(Note::Waited {
                call: syscall.name(),
                // Its own readiness, or for the library's wait over several
                // sockets, whether any was ready.
                ready: fds.iter().any(|w| {
                    (Some(w.fd) == event.fd || !event.waits_on_itself())
                        && (w.readable || w.writable)
                }),
            }),
            _ => None,
        };
        if let Some(note) = alone {
            self.note(me, note, mark);
            return;
        }
        if event.transport == Transport::Udp {
            self.datagram_event(event, me, returned);
            return;
        }
        match &event.call {
            // Drawn above.
            Call::Socket { .. }
            | Call::SetOption { .. }
            | Call::SetNonblocking
            | Call::EpollCreate
            | Call::EpollAdd { .. }
            | Call::Bind { .. }
            | Call::Wait { .. } => {}
            // The connect was made: the rest of its handshake is drawn.
            Call::Connect { addr } if event.after == Some(StateName::Connecting) => {
                let to = self.connect_target(*addr);
                self.arrow(me, to, Message::Syn, mark);
            }
            // How a non-blocking connect ended: the handshake's answer.
            Call::TakeError { pending } => {
                let Some(peer) = event.peer else {
                    return;
                };
                let to = self.connect_target(peer);
                match pending {
                    Some(0) | None => {
                        self.arrow(to, me, Message::SynAck, None);
                        self.arrow(me, to, Message::Ack, mark);
                    }
                    Some(code) => {
                        self.arrow(to, me, Message::Refused, None);
                        let errno =
                            errno_name(*code).map_or_else(|| code.to_string(), str::to_string);
                        self.note(
                            me,
                            Note::Failed {
                                call: "connect",
                                errno,
                            },
                            mark,
                        );
                    }
                }
            }
            Call::Listen { backlog } => self.note(me, Note::Listening(*backlog), mark),
            Call::Connect { addr } => {
                let to = self.connect_target(*addr);
                self.arrow(me, to, Message::Syn, None);
                self.arrow(to, me, Message::SynAck, None);
                self.arrow(me, to, Message::Ack, mark);
            }
            Call::Accept {
                child, child_state, ..
            } => {
                let child = child.clone().unwrap_or_else(|| Arc::from("?"));
                let to = self.column(&child, true);
                if self.columns[to].start.is_none() {
                    self.columns[to].start = Some(self.rows.len());
                }
                let accepted = child_state.map(|s| Mark::State(self.redaction.state(s)));
                let shown = Arc::from(self.redaction.label(&child));
                self.arrow(me, to, Message::Accept(shown), accepted);
            }
            Call::Send { .. } if returned == 0 => self.note(me, Note::SentNothing, mark),
            Call::Send { data, .. } => {
                let message = Message::Data {
                    bytes: returned,
                    preview: preview(data, returned),
                };
                match self.other_end(event.local, event.peer) {
                    Some(to) => self.arrow(me, to, message, mark),
                    None => self.note(me, Note::SentNothing, mark),
                }
            }
            Call::Recv { capacity: 0, .. } => self.note(me, Note::EmptyBuffer, mark),
            Call::Recv { data, .. } if returned > 0 => {
                let note = Note::Received {
                    bytes: returned,
                    preview: preview(data, returned),
                };
                self.note(me, note, mark);
            }
            Call::Recv { connection, .. } => {
                let end = phrase::end(event, *connection);
                self.note(me, Note::End(end), mark);
            }
            Call::Shutdown { how } => {
                let sends_fin = *how != Shutdown::Read && !event.mode.shut_write;
                match (sends_fin, self.other_end(event.local, event.peer)) {
                    (true, Some(to)) => self.arrow(me, to, Message::Fin { by_close: false }, mark),
                    _ => self.note(me, Note::Shutdown(*how), mark),
                }
            }
            Call::Close { after, .. } => {
                let mark = after.map(|found| Mark::AfterClose {
                    found,
                    socket: event.socket.clone(),
                });
                let to = self.other_end(event.local, event.peer);
                let close = if self.redaction.unordered_close(event) {
                    Close::Unordered
                } else {
                    phrase::close(event)
                };
                match (close, to) {
                    (Close::First | Close::AnswersFin, Some(to)) => {
                        self.arrow(me, to, Message::Fin { by_close: true }, mark);
                    }
                    (Close::Reset { .. }, Some(to)) => self.arrow(me, to, Message::Reset, mark),
                    (Close::StillHeld { .. } | Close::ListenerStillHeld, _) => {
                        self.note(me, Note::HeldElsewhere, mark)
                    }
                    _ => self.note(me, Note::Closed, mark),
                }
                self.columns[me].end = Some(self.rows.len() - 1);
            }
            Call::KernelLookup { found } => self.note(me, Note::Lingering(*found), None),
            // Datagram calls: only UDP sockets make them (above).
            Call::SendTo { .. } | Call::RecvFrom { .. } => {}
        }
    }

    /// A step of a UDP socket: no handshake and no FIN to draw; each
    /// datagram sent is an arrow to whoever owns its destination.
    fn datagram_event(&mut self, event: &Event, me: usize, returned: i64) {
        match &event.call {
            Call::SendTo { data, to, .. } => {
                let message = Message::Data {
                    bytes: returned,
                    preview: preview(data, returned),
                };
                match to.or(event.peer) {
                    Some(to) => {
                        let to = self.connect_target(to);
                        self.arrow(me, to, message, None);
                    }
                    None => self.note(me, Note::SentNothing, None),
                }
            }
            Call::RecvFrom { data, .. } => {
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
            Call::Close { .. } => {
                self.note(me, Note::Closed, None);
                self.columns[me].end = Some(self.rows.len() - 1);
            }
            // Drawn by the caller; and no UDP socket makes TCP's calls,
            // listens, accepts or lingers.
            Call::Socket { .. }
            | Call::SetOption { .. }
            | Call::Bind { .. }
            | Call::Listen { .. }
            | Call::Accept { .. }
            | Call::Send { .. }
            | Call::Recv { .. }
            | Call::KernelLookup { .. }
            | Call::Wait { .. }
            | Call::SetNonblocking
            | Call::TakeError { .. }
            | Call::EpollCreate
            | Call::EpollAdd { .. } => {}
        }
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

fn bytes_word(n: i64) -> &'static str {
    if n == 1 { "byte" } else { "bytes" }
}

impl Note {
    /// What the note says, in `lang`.
    pub(super) fn words(&self, lang: Lang) -> String {
        match self {
            Note::Created => "socket()".to_string(),
            Note::Option(option) => {
                let value = match option {
                    SocketOption::ReuseAddress(on) => u8::from(*on).to_string(),
                    SocketOption::ReadTimeout(Some(d)) | SocketOption::WriteTimeout(Some(d)) => {
                        words(lang).duration(*d)
                    }
                    SocketOption::ReadTimeout(None) | SocketOption::WriteTimeout(None) => {
                        "0".to_string()
                    }
                    SocketOption::NoDelay(on) => u8::from(*on).to_string(),
                    SocketOption::Linger { on, seconds } => {
                        format!(
                            "{}, {}",
                            u8::from(*on),
                            words(lang).duration(std::time::Duration::from_secs(
                                u64::try_from(*seconds).unwrap_or(0)
                            ),)
                        )
                    }
                    SocketOption::Other { value, .. } => {
                        value.map_or_else(|| "…".to_string(), |v| v.to_string())
                    }
                };
                format!("setsockopt({}, {value})", option.name())
            }
            Note::Bound(addr) => format!("bind({addr})"),
            Note::Listening(backlog) => format!("listen({backlog})"),
            Note::Received { bytes, preview } => {
                format!("recv() = {bytes} {} {preview}", bytes_word(*bytes))
            }
            Note::SentNothing => term(&Term::SentNothing, lang),
            Note::EmptyBuffer => term(&Term::EmptyBuffer, lang),
            Note::End(end) => term(&Term::RecvEnd(*end), lang),
            Note::Shutdown(how) => format!(
                "shutdown({})",
                match how {
                    Shutdown::Read => "SHUT_RD",
                    Shutdown::Write => "SHUT_WR",
                    Shutdown::Both => "SHUT_RDWR",
                }
            ),
            Note::PeerFixed(addr) => term(&Term::PeerFixedOnly { addr: addr.clone() }, lang),
            Note::Closed => "close()".to_string(),
            Note::HeldElsewhere => term(&Term::HeldElsewhere, lang),
            Note::Nonblocking(call) => format!("{call}(O_NONBLOCK)"),
            Note::Call(call) => format!("{call}()"),
            Note::Waited { call, ready } => term(
                &Term::Waited {
                    call,
                    ready: *ready,
                },
                lang,
            ),
            Note::Lingering(Lingering::Holds(state)) => term(
                &Term::StillHolds {
                    state: state.to_string(),
                },
                lang,
            ),
            Note::Lingering(Lingering::Gone) => term(&Term::Forgot, lang),
            Note::Lingering(Lingering::Unknown) => term(&Term::NotAsked, lang),
            Note::Failed { call, errno } => format!("{call}() = -1 {errno}"),
        }
    }
}

impl Message {
    /// What the arrow says, in `lang`.
    pub(super) fn words(&self, lang: Lang) -> String {
        match self {
            Message::Syn => "SYN  connect()".to_string(),
            Message::SynAck => "SYN-ACK".to_string(),
            Message::Ack => "ACK".to_string(),
            Message::Refused => term(&Term::RstNobodyListens, lang),
            Message::Reset => "RST  close()".to_string(),
            Message::Accept(child) => format!("accept(): {} {child}", term(&Term::NewSocket, lang)),
            Message::Data { bytes, preview } => {
                format!("send() {bytes} {} {preview}", bytes_word(*bytes))
            }
            Message::Fin { by_close: true } => "FIN  close()".to_string(),
            Message::Fin { by_close: false } => "FIN  shutdown(SHUT_WR)".to_string(),
        }
    }
}

impl Row {
    /// What the row says in `lang`, with the kernel's mark in brackets after
    /// `gap`; empty for a phase title.
    pub(super) fn words(&self, redaction: &Redaction, lang: Lang, gap: &str) -> String {
        let (words, mark) = match self {
            Row::Phase(_) => return String::new(),
            Row::Note { note, mark, .. } => (note.words(lang), mark),
            Row::Arrow { message, mark, .. } => (message.words(lang), mark),
        };
        match mark {
            Some(mark) => format!("{words}{gap}[{}]", mark.words(redaction, lang)),
            None => words,
        }
    }
}

impl Mark {
    /// What the mark says, in `lang`: a state, or `kernel: …` after a close.
    fn words(&self, redaction: &Redaction, lang: Lang) -> String {
        match self {
            Mark::State(state) => state.clone(),
            Mark::AfterClose { found, socket } => {
                let gone = term(&Term::Gone, lang);
                let unknown = term(&Term::Unknown, lang);
                format!(
                    "{}: {}",
                    term(&Term::Kernel, lang),
                    redaction.after_close(*found, socket, &gone, &unknown)
                )
            }
        }
    }
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
}
