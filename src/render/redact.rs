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
//! | `FIN_WAIT1` or `FIN_WAIT2` | `FIN_WAIT1/2` | when the peer's kernel acknowledges the FIN |
//! | after a close that sent the first FIN, when the peer's close is not ordered after it (another thread, another process) | `FIN_WAIT1/2/CLOSING/TIME_WAIT` | the peer's FIN may arrive before the kernel is asked |
//! | after a close that answered the peer's FIN | `LAST_ACK/gone` | when the peer's last ACK arrives |
//!
//! A state outside its set (a reset, a holder keeping the connection) is
//! shown as it is: something else happened, and the text says so.

use std::collections::{HashMap, HashSet};
use std::net::SocketAddr;
use std::sync::Arc;

use super::phrase::{self, Close, View};
use crate::errno::{Cause, Errno};
use crate::event::{Call, Event, Outcome};
use crate::kernel::{self, Descriptor, Lingering, TcpState, same_endpoint};

/// What a rendering hides or settles: nothing (the plain rendering), or
/// everything the table above names (the canonical one).
#[derive(Debug, Clone, Default)]
pub(crate) struct Redaction {
    active: bool,
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
}

impl Redaction {
    pub(crate) fn none() -> Redaction {
        Redaction::default()
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
            if let Call::Accept {
                child: Some(child),
                peer: Some(peer),
                ..
            } = &event.call
                && let Some(client) = connected_from(*peer, events)
            {
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
        match found {
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
        let mut kept = Vec::with_capacity(events.len());
        for (i, event) in events.iter().enumerate() {
            if !interrupted(event, events.get(i + 1)) {
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
}

/// The label of the recorded socket that connected from `peer`, if one did.
fn connected_from(peer: SocketAddr, events: &[Event]) -> Option<Arc<str>> {
    events
        .iter()
        .find(|e| {
            matches!(e.call, Call::Connect { .. })
                && e.returned().is_some()
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
