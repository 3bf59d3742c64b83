//! The canonical form for snapshot tests: a rendering whose text depends
//! only on what the program did — not on the thread schedule, not on other
//! processes, not on timing. Only the rendering changes; the events keep the
//! real values, and the plain rendering shows them as the kernel said.
//!
//! | what varies from run to run | canonical form | why it may vary |
//! |---|---|---|
//! | fd numbers | `<fd LABEL>` | the kernel gives the lowest free number |
//! | ports the kernel picked (in its ephemeral range: Linux's read from `/proc`, elsewhere the system's default) | `<port LABEL>` (the socket that got it), `<port ephemeral>` | ephemeral ports are drawn at random |
//! | accepted sockets' labels | `servidor#cliente-2`: the listener's label and the recorded peer's (`servidor#1` by accept order only when the peer is not recorded) | which client `accept` takes first is the scheduler's choice |
//! | the accept queue's count after an `accept` | `accept queue <n>/5`, no "more wait" words | other clients' handshakes finish at any time |
//! | the order of a listener's successive `accept`s | sorted by the accepted sockets' canonical labels | which client's handshake the kernel finished first |
//! | a listener's `shutdown` and the `accept` it wakes (`EINVAL`), made on two threads | the `shutdown` first | which thread's event is stamped first |
//! | a call a signal interrupted (`EINTR`) and the program made again at once | the call made again, once | when another thread's signal (a child process ending…) came |
//! | what a non-blocking `send` took, when only part | `<part>` | how much the peer had read, so how much fitted in the buffers |
//! | a run of the same call answering `EAGAIN` on a non-blocking socket (a busy loop) | the call, once | how many times it ran before something was ready |
//! | `FIN_WAIT1` or `FIN_WAIT2` | `FIN_WAIT1/2` | when the peer's kernel acknowledges the FIN |
//! | the state right after a non-blocking `connect` | `SYN_SENT/ESTABLISHED`, or `SYN_SENT/CLOSE` when refused | whether the peer's kernel answered the SYN before the state was read |
//! | the order of a wait's descriptors | sorted by their sockets' canonical labels | an event loop lists connections in the order `accept` took them |
//! | after a close that sent the first FIN, when the peer's close is not ordered after it (another thread, another process) | `FIN_WAIT1/2/CLOSING/TIME_WAIT` | the peer's FIN may arrive before the kernel is asked |
//! | a close whose peer is not recorded at all (a program traced alone) and had not ended its side: what the close did and what the kernel holds after | the close "depends on the peer's timing"; `FIN_WAIT1/2/CLOSING/TIME_WAIT/LAST_ACK/gone` | nothing recorded orders the peer's FIN, its data or its reset with this close (the report's client closes right after its last send while the server answers it) |
//! | after a close that answered the peer's FIN | `LAST_ACK/gone` | when the peer's last ACK arrives |
//!
//! A state outside its set (a reset, a holder keeping the connection) is
//! shown as it is: something else happened, and the text says so.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::net::SocketAddr;
use std::sync::Arc;

use super::phrase::{self, Close, View};
use crate::errno::{Cause, Errno};
use crate::event::{Call, Event, Outcome, StateName, Transport, Waited};
use crate::kernel::{self, Descriptor, Lingering, TcpState, same_endpoint};

/// What a rendering hides or settles: nothing (the plain rendering), or
/// everything the table above names (the canonical one).
#[derive(Debug, Clone, Default)]
pub(crate) struct Redaction {
    active: bool,
    /// Addresses told short (`{127.0.0.1:8888}`), for a person's eyes on a
    /// terminal; never in a rendering compared with strace.
    terse: bool,
    ports: HashMap<u16, Arc<str>>,
    ephemeral: Option<(u16, u16)>,
    /// Accepted sockets' canonical labels, by their recorded labels.
    labels: HashMap<Arc<str>, String>,
    /// The sockets whose close answered the peer's FIN: whether the peer's
    /// last ACK is in yet when the kernel is asked depends on timing.
    last_ack_race: HashSet<Arc<str>>,
    /// The sockets whose close sent the first FIN while the peer's close
    /// was not ordered after it: the peer's FIN may come before the lookup.
    fin_race: HashSet<Arc<str>>,
    /// The closes (by `seq`) of connections whose peer is not recorded and
    /// had not ended its side: nothing recorded orders the peer's FIN, data
    /// or reset with them.
    unordered: HashSet<u64>,
    /// The sockets that made such a close.
    unordered_sockets: HashSet<Arc<str>>,
}

impl Redaction {
    pub(crate) fn none() -> Redaction {
        Redaction::default()
    }

    /// No redaction, and addresses told short: a terminal's view.
    pub(crate) fn terse() -> Redaction {
        Redaction {
            terse: true,
            ..Redaction::default()
        }
    }

    /// The same, addresses told short when `terse`.
    pub(crate) fn with_terse(self, terse: bool) -> Redaction {
        Redaction { terse, ..self }
    }

    /// Whether addresses are told short.
    pub(crate) fn is_terse(&self) -> bool {
        self.terse
    }

    /// Learns, from all events, which ports the kernel chose and for whom,
    /// who connected to each accepted socket, and which closes race their
    /// peer's.
    pub(crate) fn from_events(events: &[Event]) -> Redaction {
        let mut redaction = Redaction {
            active: true,
            ephemeral: Some(kernel::ephemeral_ports()),
            ..Redaction::default()
        };
        for event in events {
            if let (true, Some(local)) = (event.kernel_chose_port(), event.local) {
                redaction
                    .ports
                    .entry(local.port())
                    .or_insert_with(|| event.socket.clone());
            }
            match (&event.call, phrase::close(event)) {
                (Call::Close { .. }, Close::AnswersFin) => {
                    redaction.last_ack_race.insert(event.socket.clone());
                }
                (Call::Close { .. }, Close::First | Close::FinSentEarlier)
                    if !peer_closes_after(event, events) =>
                {
                    redaction.fin_race.insert(event.socket.clone());
                }
                _ => {}
            }
            if unordered_close(event, events) {
                redaction.unordered.insert(event.seq);
                redaction.unordered_sockets.insert(event.socket.clone());
            }
            // A match, not a let chain: the crate builds with Rust 1.85.
            let accepted = match &event.call {
                Call::Accept {
                    child: Some(child),
                    peer: Some(peer),
                    ..
                } => connected_from(*peer, events).map(|client| (child, client)),
                _ => None,
            };
            if let Some((child, client)) = accepted {
                let canonical = format!("{}#{client}", event.socket);
                redaction.labels.insert(child.clone(), canonical);
            }
        }
        redaction
    }

    /// The label a rendering shows for `label`.
    pub(crate) fn label(&self, label: &str) -> String {
        match self.labels.get(label) {
            Some(canonical) if self.active => canonical.clone(),
            _ => label.to_string(),
        }
    }

    pub(crate) fn fd(&self, fd: Option<Descriptor>, owner: &str) -> String {
        match (self.active, fd) {
            (true, _) => format!("<fd {}>", self.label(owner)),
            (false, Some(fd)) => fd.to_string(),
            (false, None) => "?".to_string(),
        }
    }

    /// A descriptor of a wait: `<fd LABEL>` in the canonical form when the
    /// wait names its socket, else its number.
    pub(crate) fn waited_fd(&self, waited: &Waited) -> String {
        match &waited.socket {
            Some(label) if self.active => self.fd(Some(waited.fd), label),
            _ => waited.fd.to_string(),
        }
    }

    /// A wait's descriptors in the order a rendering lists them: as asked,
    /// but in the canonical form by their sockets' canonical labels — an
    /// event loop lists its connections in the order `accept` took them,
    /// which the kernel decides.
    pub(crate) fn waited_order<'a>(&self, fds: &'a [Waited]) -> Cow<'a, [Waited]> {
        if !self.active {
            return Cow::Borrowed(fds);
        }
        let mut fds = fds.to_vec();
        fds.sort_by_cached_key(|w| {
            let label = w.socket.as_deref().map(|l| self.label(l));
            let label = label.unwrap_or_default();
            let (base, kind, n, suffix) = label_order(&label);
            (base.to_string(), kind, n, suffix.to_string())
        });
        Cow::Owned(fds)
    }

    pub(crate) fn port(&self, port: u16) -> String {
        if !self.active || port == 0 {
            return port.to_string();
        }
        match (self.ports.get(&port), self.ephemeral) {
            (Some(owner), _) => format!("<port {}>", self.label(owner)),
            (None, Some((low, high))) if (low..=high).contains(&port) => {
                "<port ephemeral>".to_string()
            }
            (None, _) => port.to_string(),
        }
    }

    /// A TCP state. Whether a FIN that left is acknowledged yet (FIN_WAIT1
    /// or FIN_WAIT2) depends on timing — the peer's kernel may delay its
    /// ACK — so the canonical rendering names both.
    pub(crate) fn state(&self, state: TcpState) -> String {
        match (self.active, state) {
            (true, TcpState::FinWait1 | TcpState::FinWait2) => "FIN_WAIT1/2".to_string(),
            _ => state.to_string(),
        }
    }

    /// The TCP state read right after a non-blocking `connect` returned:
    /// the handshake may still be under way, done, or refused by then.
    pub(crate) fn connecting_state(&self, state: TcpState) -> String {
        match (self.active, state) {
            (true, TcpState::SynSent | TcpState::Established) => "SYN_SENT/ESTABLISHED".to_string(),
            (true, TcpState::Close) => "SYN_SENT/CLOSE".to_string(),
            _ => self.state(state),
        }
    }

    /// The kernel's TCP state after `event`, as a rendering shows it.
    pub(crate) fn event_state(&self, event: &Event, state: TcpState) -> String {
        let connecting = matches!(event.call, Call::Connect { .. })
            && event.after == Some(StateName::Connecting);
        if connecting {
            self.connecting_state(state)
        } else {
            self.state(state)
        }
    }

    /// Whether `event` is a send on a non-blocking socket that the kernel
    /// took only part of, in the canonical form: how much fitted in the
    /// buffers depends on how fast the peer reads.
    pub(crate) fn partial_send(&self, event: &Event) -> bool {
        self.active
            && event.mode.nonblocking
            && matches!((&event.call, event.outcome),
                (Call::Send { len, .. }, Outcome::Returned(n)) if n >= 0 && (n as usize) < *len)
    }

    /// An accept queue's count, which other clients' timing moves.
    pub(crate) fn queue_count(&self, count: u32) -> String {
        if self.active {
            "<n>".to_string()
        } else {
            count.to_string()
        }
    }

    /// What the kernel holds after `socket`'s close, `gone` and `unknown`
    /// being the language's words for those answers, canonical as the
    /// table in this module's docs says.
    pub(crate) fn after_close(
        &self,
        found: Lingering,
        socket: &str,
        gone: &str,
        unknown: &str,
    ) -> String {
        let last_ack_race = self.active && self.last_ack_race.contains(socket);
        let fin_race = self.active && self.fin_race.contains(socket);
        let unordered = self.active && self.unordered_sockets.contains(socket);
        match found {
            Lingering::Holds(
                TcpState::FinWait1
                | TcpState::FinWait2
                | TcpState::Closing
                | TcpState::TimeWait
                | TcpState::LastAck
                | TcpState::Close,
            )
            | Lingering::Gone
                if unordered =>
            {
                format!("FIN_WAIT1/2/CLOSING/TIME_WAIT/LAST_ACK/{gone}")
            }
            Lingering::Holds(TcpState::LastAck) | Lingering::Gone if last_ack_race => {
                format!("LAST_ACK/{gone}")
            }
            Lingering::Holds(
                TcpState::FinWait1 | TcpState::FinWait2 | TcpState::Closing | TcpState::TimeWait,
            ) if fin_race => "FIN_WAIT1/2/CLOSING/TIME_WAIT".to_string(),
            Lingering::Holds(state) => self.state(state),
            Lingering::Gone => gone.to_string(),
            Lingering::Unknown => unknown.to_string(),
        }
    }

    /// One socket's events in the order the canonical rendering lists them:
    /// the order they happened, but for a run of successful `accept`s one
    /// after another, which is listed by the accepted sockets' canonical
    /// labels (the kernel, not the program, decides which client comes
    /// first).
    pub(crate) fn order<'a>(&self, events: Vec<&'a Event>) -> Vec<&'a Event> {
        if !self.active {
            return events;
        }
        let accepted = |e: &Event| match &e.call {
            Call::Accept {
                child: Some(child), ..
            } if e.returned().is_some() => Some(self.label(child)),
            _ => None,
        };
        // A call a signal interrupted and made again at once is the call.
        let interrupted = |e: &Event, next: Option<&&Event>| {
            matches!(e.outcome, Outcome::Failed(code) if Errno::of(code) == Some(Errno::EINTR))
                && next.is_some_and(|n| n.call.name() == e.call.name())
        };
        // A run of the same call answering "nothing ready yet" (EAGAIN on
        // a non-blocking socket), made again at once, is the call once: how
        // many times it ran before something was ready is timing's.
        let not_ready = |e: &Event| e.cause() == Some(Cause::WouldBlock);
        let repeated = |e: &Event, before: Option<&&Event>| {
            not_ready(e) && before.is_some_and(|b| not_ready(b) && b.call.name() == e.call.name())
        };
        let mut kept: Vec<&Event> = Vec::with_capacity(events.len());
        for (i, event) in events.iter().enumerate() {
            if !interrupted(event, events.get(i + 1)) && !repeated(event, kept.last()) {
                kept.push(*event);
            }
        }
        let mut events = kept;
        // The accept a shutdown wakes comes after it, whichever thread's
        // event was stamped first.
        for i in 1..events.len() {
            let woken = matches!(events[i - 1].call, Call::Accept { .. })
                && events[i - 1].cause() == Some(Cause::NotListening);
            let shutdown = matches!(events[i].call, Call::Shutdown { .. })
                && events[i].returned().is_some()
                && events[i].thread != events[i - 1].thread;
            if woken && shutdown {
                events.swap(i - 1, i);
            }
        }
        let mut start = 0;
        while start < events.len() {
            let run = events[start..]
                .iter()
                .take_while(|e| accepted(e).is_some())
                .count();
            events[start..start + run].sort_by_key(|e| accepted(e));
            start += run.max(1);
        }
        events
    }

    pub(crate) fn addr(&self, addr: &SocketAddr) -> String {
        match addr {
            SocketAddr::V4(v4) => format!("{}:{}", v4.ip(), self.port(v4.port())),
            SocketAddr::V6(v6) => format!("[{}]:{}", v6.ip(), self.port(v6.port())),
        }
    }
}

impl View for Redaction {
    fn addr(&self, addr: &SocketAddr) -> String {
        Redaction::addr(self, addr)
    }

    fn label(&self, label: &str) -> String {
        Redaction::label(self, label)
    }

    fn canonical(&self) -> bool {
        self.active
    }

    fn unordered_close(&self, event: &Event) -> bool {
        self.active && self.unordered.contains(&event.seq)
    }

    fn waited_order<'a>(&self, fds: &'a [Waited]) -> Cow<'a, [Waited]> {
        Redaction::waited_order(self, fds)
    }

    fn partial_send(&self, event: &Event) -> bool {
        Redaction::partial_send(self, event)
    }
}

/// The label of the recorded socket that connected from `peer`, if one did.
fn connected_from(peer: SocketAddr, events: &[Event]) -> Option<Arc<str>> {
    events
        .iter()
        .find(|e| {
            matches!(e.call, Call::Connect { .. })
                && (e.returned().is_some() || e.after == Some(StateName::Connecting))
                && e.local.is_some_and(|local| same_endpoint(local, peer))
        })
        .map(|e| e.socket.clone())
}

/// Whether the program's order of calls puts the close of `close`'s peer
/// after this close's lookup: the peer is recorded and closes later on the
/// same thread. Otherwise its FIN may arrive before the kernel is asked.
fn peer_closes_after(close: &Event, events: &[Event]) -> bool {
    let (Some(local), Some(peer)) = (close.local, close.peer) else {
        return false;
    };
    let peer_close = events.iter().find(|e| {
        e.socket != close.socket
            && matches!(e.call, Call::Close { .. })
            && e.local.is_some_and(|l| same_endpoint(l, peer))
            && e.peer.is_some_and(|p| same_endpoint(p, local))
    });
    peer_close.is_some_and(|e| e.thread == close.thread && e.seq > close.seq)
}

/// Whether `event` is a close whose outcome the peer's timing decides: a
/// TCP connection's (not a listener's), whose peer is not recorded and had
/// not ended its side as far as this socket saw (no `recv() = 0` before),
/// and that no other descriptor keeps open.
fn unordered_close(event: &Event, events: &[Event]) -> bool {
    let Call::Close { after, .. } = &event.call else {
        return false;
    };
    let held = matches!(phrase::close(event), Close::StillHeld { .. })
        || matches!(after, Some(Lingering::Holds(TcpState::Listen)));
    let ended = events.iter().any(|e| {
        e.socket == event.socket
            && e.seq < event.seq
            && matches!(e.call, Call::Recv { capacity, .. } if capacity > 0)
            && e.outcome == Outcome::Returned(0)
    });
    event.transport == Transport::Tcp
        && event.peer.is_some()
        && event.before != Some(StateName::Listening)
        && !held
        && !ended
        && !peer_recorded(event, events)
}

/// Whether a recorded socket is the other end of `close`'s connection.
fn peer_recorded(close: &Event, events: &[Event]) -> bool {
    close.peer.is_some_and(|peer| {
        events.iter().any(|e| {
            e.socket != close.socket && e.local.is_some_and(|local| same_endpoint(local, peer))
        })
    })
}

/// No system call: `text` with every ephemeral port replaced by `<port>` —
/// for the output of a program that is not recorded here (a spawned
/// server's console line `… ouvindo em 127.0.0.1:41234`), so that a snapshot
/// of it is stable.
///
/// A port is a run of digits after `:` or inside `htons(…)` that lies in the
/// kernel's ephemeral range (on Linux `/proc/sys/net/ipv4/ip_local_port_range`;
/// elsewhere the system's default range).
/// Fixed ports such as 8888 stay. Redacting twice changes nothing more.
///
/// ```
/// use socket_lifecycle::render::redact_ports;
/// assert_eq!(
///     redact_ports("[*] Servidor ouvindo em 127.0.0.1:41234 (não 8888)"),
///     "[*] Servidor ouvindo em 127.0.0.1:<port> (não 8888)"
/// );
/// ```
pub fn redact_ports(text: &str) -> String {
    let (low, high) = kernel::ephemeral_ports();
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(|c: char| c.is_ascii_digit()) {
        let end = rest[start..]
            .find(|c: char| !c.is_ascii_digit())
            .map_or(rest.len(), |len| start + len);
        let (before, digits) = (&rest[..start], &rest[start..end]);
        let at_port = before.ends_with(':') || before.ends_with("htons(");
        let ephemeral = digits
            .parse::<u16>()
            .is_ok_and(|p| (low..=high).contains(&p));
        out.push_str(before);
        out.push_str(if at_port && ephemeral {
            "<port>"
        } else {
            digits
        });
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// The order labels are listed in: by name; after a listener, its numbered
/// sockets in number order (`servidor#10` after `servidor#9`), then the
/// named ones by name (`servidor#cliente-1`).
pub(crate) fn label_order(label: &str) -> (&str, u8, u64, &str) {
    match label.rsplit_once('#') {
        Some((base, suffix)) => match suffix.parse() {
            Ok(n) => (base, 1, n, ""),
            Err(_) => (base, 2, 0, suffix),
        },
        None => (label, 0, 0, ""),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::event::{Family, Mode, Outcome, StateName, Transport};
    use crate::kernel::TcpInfo;

    /// A redaction that hides ports in 32768–60999 and knows `owned`.
    fn redaction(owned: &[(u16, &str)]) -> Redaction {
        Redaction {
            active: true,
            ports: owned.iter().map(|(p, l)| (*p, Arc::from(*l))).collect(),
            ephemeral: Some((32768, 60999)),
            ..Redaction::default()
        }
    }

    fn event(label: &str, call: Call, before: StateName) -> Event {
        Event {
            seq: 1,
            thread: Arc::from("main"),
            socket: Arc::from(label),
            transport: Transport::Tcp,
            family: Family::V4,
            fd: Some(3),
            call,
            outcome: Outcome::Returned(0),
            before: Some(before),
            after: Some(before),
            mode: Mode::default(),
            tcp: None,
            local: Some("127.0.0.1:40000".parse().expect("an address")),
            peer: Some("127.0.0.1:50000".parse().expect("an address")),
        }
    }

    #[test]
    fn fixed_ports_stay_and_ephemeral_ones_are_named() {
        let r = redaction(&[(40000, "servidor")]);
        assert_eq!(r.port(8888), "8888");
        assert_eq!(r.port(80), "80");
        assert_eq!(r.port(32767), "32767");
        assert_eq!(r.port(61000), "61000");
        assert_eq!(r.port(0), "0");
        assert_eq!(r.port(40000), "<port servidor>");
        assert_eq!(r.port(32768), "<port ephemeral>");
        assert_eq!(r.port(60999), "<port ephemeral>");
        // A port a recorded socket got is named even outside the range.
        assert_eq!(
            redaction(&[(8888, "servidor")]).port(8888),
            "<port servidor>"
        );
        // Inactive: the real numbers, whatever it learned.
        assert_eq!(Redaction::none().port(40000), "40000");
        let off = Redaction {
            active: false,
            ..redaction(&[(40000, "servidor")])
        };
        assert_eq!(
            (off.port(40000), off.port(50000)),
            ("40000".into(), "50000".into())
        );
        let unknown_range = Redaction {
            ephemeral: None,
            ..redaction(&[])
        };
        assert_eq!(unknown_range.port(40000), "40000");
    }

    #[test]
    fn descriptors_are_named_by_their_socket() {
        assert_eq!(redaction(&[]).fd(Some(3), "cliente"), "<fd cliente>");
        assert_eq!(redaction(&[]).fd(None, "cliente"), "<fd cliente>");
        assert_eq!(Redaction::none().fd(Some(3), "cliente"), "3");
        assert_eq!(Redaction::none().fd(None, "cliente"), "?");
    }

    #[test]
    fn addresses_keep_their_ip_and_redact_their_port() {
        let r = redaction(&[(40000, "servidor")]);
        let v4: SocketAddr = "127.0.0.1:40000".parse().expect("v4");
        let v6: SocketAddr = "[::1]:8888".parse().expect("v6");
        assert_eq!(r.addr(&v4), "127.0.0.1:<port servidor>");
        assert_eq!(r.addr(&v6), "[::1]:8888");
    }

    /// A close whose peer is not recorded, and had not ended its side, is
    /// the canonical form's "the peer's timing decides"; not once the peer
    /// is recorded, nor after its FIN was read, nor for a listener.
    #[test]
    fn a_close_whose_unrecorded_peer_decides_its_end() {
        let close = |label, before| {
            let call = Call::Close {
                unread: Some(0),
                before: None,
                after: Some(Lingering::Holds(TcpState::FinWait2)),
            };
            Event {
                seq: 9,
                ..event(label, call, before)
            }
        };
        let alone = [close("servidor#1", StateName::Connected)];
        let r = Redaction::from_events(&alone);
        assert!(r.unordered_close(&alone[0]));
        assert!(
            r.after_close(Lingering::Gone, "servidor#1", "gone", "?")
                .contains("LAST_ACK")
        );
        assert!(!Redaction::none().unordered_close(&alone[0]));
        // The peer recorded: its own close orders the story.
        let peer = Event {
            local: Some("127.0.0.1:50000".parse().expect("an address")),
            peer: Some("127.0.0.1:40000".parse().expect("an address")),
            ..event("cliente", Call::Listen { backlog: 0 }, StateName::Connected)
        };
        let both = [peer, close("servidor#1", StateName::Connected)];
        assert!(!Redaction::from_events(&both).unordered_close(&both[1]));
        // The peer's FIN read first (a recv of 0).
        let fin = Event {
            seq: 2,
            ..event(
                "servidor#1",
                Call::Recv {
                    data: Vec::new(),
                    capacity: 1024,
                    connection: None,
                    via: crate::event::Transfer::SendRecv { flags: 0 },
                },
                StateName::Connected,
            )
        };
        let ended = [fin, close("servidor#1", StateName::Connected)];
        assert!(!Redaction::from_events(&ended).unordered_close(&ended[1]));
        // A listener's close.
        let listener = [close("servidor", StateName::Listening)];
        assert!(!Redaction::from_events(&listener).unordered_close(&listener[0]));
    }

    #[test]
    fn a_fin_still_moving_is_named_as_both_states() {
        let r = redaction(&[]);
        assert_eq!(r.state(TcpState::FinWait1), "FIN_WAIT1/2");
        assert_eq!(r.state(TcpState::FinWait2), "FIN_WAIT1/2");
        assert_eq!(r.state(TcpState::TimeWait), "TIME_WAIT");
        assert_eq!(Redaction::none().state(TcpState::FinWait1), "FIN_WAIT1");
    }

    #[test]
    fn after_a_close_that_answered_a_fin_last_ack_and_gone_are_one() {
        let mut r = redaction(&[]);
        r.last_ack_race.insert(Arc::from("cliente"));
        let after = |r: &Redaction, found, socket| r.after_close(found, socket, "gone", "?");
        for found in [Lingering::Holds(TcpState::LastAck), Lingering::Gone] {
            assert_eq!(after(&r, found, "cliente"), "LAST_ACK/gone");
        }
        assert_eq!(after(&r, Lingering::Gone, "servidor"), "gone");
        assert_eq!(
            after(&r, Lingering::Holds(TcpState::LastAck), "servidor"),
            "LAST_ACK"
        );
        assert_eq!(
            after(&r, Lingering::Holds(TcpState::TimeWait), "cliente"),
            "TIME_WAIT"
        );
        assert_eq!(after(&r, Lingering::Unknown, "cliente"), "?");
        // Not redacting: what the kernel said.
        let none = Redaction::none();
        assert_eq!(after(&none, Lingering::Gone, "cliente"), "gone");
        assert_eq!(
            after(&none, Lingering::Holds(TcpState::FinWait2), "cliente"),
            "FIN_WAIT2"
        );
    }

    #[test]
    fn the_kernel_chosen_ports_and_the_racing_closes_are_learned_from_events() {
        let bind = |label: &str, port: u16| {
            let mut e = event(
                label,
                Call::Bind {
                    addr: SocketAddr::from(([127, 0, 0, 1], port)),
                },
                StateName::Created,
            );
            e.local = Some(SocketAddr::from(([127, 0, 0, 1], 40000 + port)));
            e
        };
        let close = |label: &str, state| Event {
            call: Call::Close {
                unread: Some(0),
                before: Some(TcpInfo {
                    state,
                    accept_queue: None,
                    accept_queue_limit: None,
                }),
                after: Some(Lingering::Gone),
            },
            ..event(label, Call::Listen { backlog: 0 }, StateName::Connected)
        };
        let events = [
            bind("primeiro", 0),
            bind("segundo", 0), // the same port: the first owner keeps it
            bind("fixo", 80),   // asked for: not the kernel's choice
            close("cliente", TcpState::CloseWait),
            close("servidor#1", TcpState::Established),
        ];
        let r = Redaction::from_events(&events);
        assert_eq!(r.port(40000), "<port primeiro>");
        assert_eq!(r.ports.len(), 1);
        assert!(r.last_ack_race.contains("cliente"));
        assert!(!r.last_ack_race.contains("servidor#1"));
        assert!(r.active);
    }

    #[test]
    fn the_ephemeral_range_is_the_kernels() {
        let (low, high) = kernel::ephemeral_ports();
        assert!(0 < low && low <= high, "{low}–{high}");
        let linux = cfg!(any(target_os = "linux", target_os = "android"));
        let proc = std::fs::read_to_string("/proc/sys/net/ipv4/ip_local_port_range");
        if let (true, Ok(text)) = (linux, proc) {
            assert_eq!(format!("{low}\t{high}"), text.trim());
        }
    }

    #[test]
    fn redact_ports_hides_only_ephemeral_ports_after_a_colon_or_htons() {
        let (low, high) = kernel::ephemeral_ports();
        let fixed = if low > 8888 || high < 8888 {
            8888
        } else {
            low - 1
        };
        let text = format!("127.0.0.1:{low} htons({high}) {low} x{high} :{fixed} htons({fixed})");
        assert_eq!(
            redact_ports(&text),
            format!("127.0.0.1:<port> htons(<port>) {low} x{high} :{fixed} htons({fixed})")
        );
        assert_eq!(redact_ports(""), "");
        assert_eq!(redact_ports("no digits"), "no digits");
        assert_eq!(redact_ports(":99999999"), ":99999999");
        assert_eq!(redact_ports(&format!("a:{low}")), "a:<port>");
    }

    #[test]
    fn labels_sort_by_base_then_number() {
        let mut labels = vec![
            "servidor#10",
            "servidor",
            "servidor#9",
            "cliente",
            "servidor#x",
        ];
        labels.sort_by_key(|l| label_order(l));
        assert_eq!(
            labels,
            [
                "cliente",
                "servidor",
                "servidor#9",
                "servidor#10",
                "servidor#x"
            ]
        );
        assert_eq!(label_order("a#3"), ("a", 1, 3, ""));
        assert_eq!(label_order("a"), ("a", 0, 0, ""));
        assert_eq!(label_order("a#b"), ("a", 2, 0, "b"));
    }
}
