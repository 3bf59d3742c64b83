//! The canonical form for snapshot tests: what a run's timing or the kernel's
//! choices change — fd numbers, ephemeral ports, FIN_WAIT1 against
//! FIN_WAIT2, LAST_ACK against gone — rendered so that it reads the same on
//! every run. Only the rendering changes; the events keep the real values.

use std::collections::{HashMap, HashSet};
use std::net::SocketAddr;
use std::sync::Arc;

use super::phrase::{self, Close};
use crate::event::{Call, Event};
use crate::kernel::{Lingering, TcpState};

/// What the deterministic rendering hides: fd numbers (shown as the owning
/// socket's label) and ephemeral ports — those in the kernel's range for
/// ports it picks itself (`/proc/sys/net/ipv4/ip_local_port_range`), shown as
/// the label of the recorded socket that got it, or as `ephemeral`.
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
            ephemeral: Some(ephemeral_port_range()),
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

    pub(crate) fn fd(&self, fd: Option<i32>, owner: &str) -> String {
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

/// The range the kernel draws ephemeral ports from (a bind to port 0, a
/// connect from an unbound socket); Linux's default when it cannot be read.
fn ephemeral_port_range() -> (u16, u16) {
    std::fs::read_to_string("/proc/sys/net/ipv4/ip_local_port_range")
        .ok()
        .and_then(|text| {
            let mut bounds = text.split_whitespace().map(|n| n.parse::<u16>().ok());
            Some((bounds.next()??, bounds.next()??))
        })
        .unwrap_or((32768, 60999))
}

/// No system call: `text` with every ephemeral port replaced by `<port>` —
/// for the output of a program that is not recorded here (a spawned
/// server's console line `… ouvindo em 127.0.0.1:41234`), so that a snapshot
/// of it is stable.
///
/// A port is a run of digits after `:` or inside `htons(…)` that lies in the
/// kernel's ephemeral range (`/proc/sys/net/ipv4/ip_local_port_range`).
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
    let (low, high) = ephemeral_port_range();
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
            last_ack_race: HashSet::new(),
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
        let (low, high) = ephemeral_port_range();
        assert!(0 < low && low <= high, "{low}–{high}");
        if let Ok(text) = std::fs::read_to_string("/proc/sys/net/ipv4/ip_local_port_range") {
            assert_eq!(format!("{low}\t{high}"), text.trim());
        }
    }

    #[test]
    fn redact_ports_hides_only_ephemeral_ports_after_a_colon_or_htons() {
        let (low, high) = ephemeral_port_range();
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
        assert_eq!(label_order("a#3"), ("a", 3));
        assert_eq!(label_order("a"), ("a", 0));
        assert_eq!(label_order("a#b"), ("a", u64::MAX));
    }
}
