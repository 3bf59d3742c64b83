//! The canonical form for snapshot tests: what a run's timing or the kernel's
//! choices change — fd numbers, ephemeral ports, FIN_WAIT1 against
//! FIN_WAIT2, LAST_ACK against gone — rendered so that it reads the same on
//! every run. Only the rendering changes; the events keep the real values.

use std::collections::{HashMap, HashSet};
use std::net::SocketAddr;
use std::sync::Arc;

use super::phrase::{self, Close};
use crate::event::{Call, Event};
use crate::kernel::{self, Descriptor, Lingering, TcpState};

/// What the deterministic rendering hides: fd numbers (shown as the owning
/// socket's label) and ephemeral ports — those in the kernel's range for
/// ports it picks itself (`/proc/sys/net/ipv4/ip_local_port_range`), shown as
/// the label of the recorded socket that got it, or as `ephemeral`.
/// (Linux's range is read from `/proc`; elsewhere the system's default.)
#[derive(Debug, Clone, Default)]
pub(crate) struct Redaction {
    active: bool,
    ports: HashMap<u16, Arc<str>>,
    ephemeral: Option<(u16, u16)>,
    /// The sockets whose close answered the peer's FIN: whether the peer's
    /// last ACK is in yet when the kernel is asked depends on timing.
    last_ack_race: HashSet<Arc<str>>,
}

impl Redaction {
    pub(crate) fn none() -> Redaction {
        Redaction::default()
    }

    /// Learns, from all events, which ports the kernel chose and for whom.
    pub(crate) fn from_events<'a>(events: impl IntoIterator<Item = &'a Event>) -> Redaction {
        let mut redaction = Redaction {
            active: true,
            ports: HashMap::new(),
            ephemeral: Some(kernel::ephemeral_ports()),
            last_ack_race: HashSet::new(),
        };
        for event in events {
            if let (Call::Close { .. }, Close::AnswersFin) = (&event.call, phrase::close(event)) {
                redaction.last_ack_race.insert(event.socket.clone());
            }
            if let (true, Some(local)) = (event.kernel_chose_port(), event.local) {
                redaction
                    .ports
                    .entry(local.port())
                    .or_insert_with(|| event.socket.clone());
            }
        }
        redaction
    }

    pub(crate) fn fd(&self, fd: Option<Descriptor>, owner: &str) -> String {
        match (self.active, fd) {
            (true, _) => format!("<fd {owner}>"),
            (false, Some(fd)) => fd.to_string(),
            (false, None) => "?".to_string(),
        }
    }

    pub(crate) fn port(&self, port: u16) -> String {
        if !self.active || port == 0 {
            return port.to_string();
        }
        match (self.ports.get(&port), self.ephemeral) {
            (Some(owner), _) => format!("<port {owner}>"),
            (None, Some((low, high))) if (low..=high).contains(&port) => {
                "<port ephemeral>".to_string()
            }
            (None, _) => port.to_string(),
        }
    }

    /// A TCP state. Whether a FIN that left is acknowledged yet (FIN_WAIT1
    /// or FIN_WAIT2) depends on timing — the peer's kernel may delay its
    /// ACK — so the deterministic rendering names both.
    pub(crate) fn state(&self, state: TcpState) -> String {
        match (self.active, state) {
            (true, TcpState::FinWait1 | TcpState::FinWait2) => "FIN_WAIT1/2".to_string(),
            _ => state.to_string(),
        }
    }

    /// What the kernel holds after `socket`'s close, `gone` and `unknown`
    /// being the language's words for those answers. After a close that
    /// answered the peer's FIN, whether the peer's last ACK is in yet
    /// (LAST_ACK, or gone) depends on timing, so the deterministic rendering
    /// names both; after any other close, the answer is what the program's
    /// calls made it.
    pub(crate) fn after_close(
        &self,
        found: Lingering,
        socket: &str,
        gone: &str,
        unknown: &str,
    ) -> String {
        let racing = self.active && self.last_ack_race.contains(socket);
        match (racing, found) {
            (true, Lingering::Holds(TcpState::LastAck) | Lingering::Gone) => {
                format!("LAST_ACK/{gone}")
            }
            (_, Lingering::Holds(state)) => self.state(state),
            (false, Lingering::Gone) => gone.to_string(),
            (_, Lingering::Unknown) => unknown.to_string(),
        }
    }

    pub(crate) fn addr(&self, addr: &SocketAddr) -> String {
        match addr {
            SocketAddr::V4(v4) => format!("{}:{}", v4.ip(), self.port(v4.port())),
            SocketAddr::V6(v6) => format!("[{}]:{}", v6.ip(), self.port(v6.port())),
        }
    }
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
/// Sorts `servidor#10` after `servidor#9`.
pub(crate) fn label_order(label: &str) -> (&str, u64) {
    match label.rsplit_once('#') {
        Some((base, n)) => (base, n.parse().unwrap_or(u64::MAX)),
        None => (label, 0),
    }
}
