//! The typestate diagrams of the library's own sockets: every method, the
//! system call it makes and the states it goes between, declared once as a
//! table per protocol ([`TCP_TRANSITIONS`], [`UDP_TRANSITIONS`]) and drawn
//! as text ([`typestate_text`]) or Mermaid ([`typestate_mermaid`]).
//!
//! The tests hold every recorded event against these tables, and the crate
//! docs include the text drawn from them (`typestate-tcp.txt`,
//! `typestate-udp.txt`, checked by a test here), so the diagrams cannot
//! drift from what the library does.

use std::fmt::Write as _;

use super::mermaid::mermaid_text;
use crate::event::StateName::{self, Bound, Closed, Connected, Connecting, Created, Listening};
use crate::event::Transport;
use crate::lang::Lang;
use crate::render::phrase::Term;
use crate::render::term;

/// One edge of a typestate diagram: a method, the system call it makes, and
/// the states before and after.
///
/// ```
/// use socket_lifecycle::diagram::TCP_TRANSITIONS;
/// use socket_lifecycle::StateName;
///
/// let listen = TCP_TRANSITIONS.iter().find(|t| t.method == ".listen()").unwrap();
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
    /// The system call, as strace names it on Linux (each system's own name
    /// is [`crate::event::Call::name`]).
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

/// The typestate diagram of [`crate::Socket`] (TCP), as a table.
///
/// ```
/// use socket_lifecycle::diagram::TCP_TRANSITIONS;
/// use socket_lifecycle::StateName;
///
/// // Only a Listening socket accepts, and accept makes a new Connected one.
/// let accepts: Vec<_> = TCP_TRANSITIONS.iter().filter(|t| t.syscall == "accept4").collect();
/// assert!(accepts.iter().all(|t| t.from == Some(StateName::Listening)));
/// assert!(accepts.iter().any(|t| t.new_socket && t.to == Some(StateName::Connected)));
/// ```
pub const TCP_TRANSITIONS: &[Transition] = &[
    edge(
        None,
        Some(Created),
        "tcp_v4() / tcp_v6() / tcp_for()",
        "socket",
        "SOCK_STREAM",
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
    edge(
        Some(Created),
        Some(Created),
        ".connect_nonblocking()",
        "fcntl",
        "O_NONBLOCK",
    ),
    edge(
        Some(Created),
        Some(Connecting),
        ".connect_nonblocking()",
        "connect",
        "EINPROGRESS",
    ),
    edge(
        Some(Connecting),
        Some(Connecting),
        ".finish_connect()",
        "poll",
        "POLLOUT",
    ),
    edge(
        Some(Connecting),
        Some(Connected),
        ".finish_connect()",
        "getsockopt",
        "SO_ERROR",
    ),
    edge(Some(Bound), Some(Listening), ".listen()", "listen", ""),
    edge(Some(Bound), Some(Connected), ".connect()", "connect", ""),
    edge(Some(Listening), Some(Listening), ".accept()", "accept4", ""),
    edge(
        Some(Listening),
        Some(Listening),
        ".set_nonblocking()",
        "fcntl",
        "O_NONBLOCK",
    ),
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
        ".set_nonblocking()",
        "fcntl",
        "O_NONBLOCK",
    ),
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
    edge(
        Some(Connected),
        Some(Connected),
        ".set_write_timeout()",
        "setsockopt",
        "SO_SNDTIMEO",
    ),
    edge(Some(Created), Some(Closed), ".close() / drop", "close", ""),
    edge(Some(Bound), Some(Closed), ".close() / drop", "close", ""),
    edge(
        Some(Connecting),
        Some(Closed),
        ".close() / drop",
        "close",
        "",
    ),
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

/// The typestate diagram of [`crate::UdpSocket`], as a table: no `listen`,
/// no `accept`, and a first `send_to` that binds.
///
/// ```
/// use socket_lifecycle::diagram::UDP_TRANSITIONS;
///
/// assert!(UDP_TRANSITIONS.iter().all(|t| t.syscall != "listen" && t.syscall != "accept4"));
/// ```
pub const UDP_TRANSITIONS: &[Transition] = &[
    edge(
        None,
        Some(Created),
        "udp_v4() / udp_v6() / udp_for()",
        "socket",
        "SOCK_DGRAM",
    ),
    edge(Some(Created), Some(Bound), ".bind()", "bind", ""),
    edge(Some(Created), Some(Bound), ".send_to()", "sendto", ""),
    edge(Some(Created), Some(Connected), ".connect()", "connect", ""),
    edge(Some(Bound), Some(Bound), ".send_to()", "sendto", ""),
    edge(Some(Bound), Some(Bound), ".recv_from()", "recvfrom", ""),
    edge(Some(Bound), Some(Connected), ".connect()", "connect", ""),
    edge(
        Some(Bound),
        Some(Bound),
        ".shutdown()",
        "shutdown",
        "SHUT_RDWR",
    ),
    edge(Some(Connected), Some(Connected), ".send()", "sendto", ""),
    edge(Some(Connected), Some(Connected), ".recv()", "recvfrom", ""),
    edge(
        Some(Created),
        Some(Created),
        ".set_read_timeout()",
        "setsockopt",
        "SO_RCVTIMEO",
    ),
    edge(
        Some(Bound),
        Some(Bound),
        ".set_read_timeout()",
        "setsockopt",
        "SO_RCVTIMEO",
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
        Some(Connected),
        Some(Closed),
        ".close() / drop",
        "close",
        "",
    ),
    edge(Some(Closed), None, "", "", ""),
];

/// No system call: the table of `transport`'s sockets.
///
/// ```
/// use socket_lifecycle::diagram::{transitions, UDP_TRANSITIONS};
/// use socket_lifecycle::event::Transport;
///
/// assert_eq!(transitions(Transport::Udp), UDP_TRANSITIONS);
/// ```
pub fn transitions(transport: Transport) -> &'static [Transition] {
    match transport {
        Transport::Tcp => TCP_TRANSITIONS,
        Transport::Udp => UDP_TRANSITIONS,
    }
}

fn state_name(state: Option<StateName>) -> &'static str {
    state.map_or("[*]", StateName::as_str)
}

/// The call of a transition as shown on the diagram: the method, and
/// `(new socket)` for accept's second edge.
fn transition_label(t: &Transition, lang: Lang) -> String {
    let mut label = t.method.to_string();
    if t.new_socket {
        let _ = write!(label, " {}", term(&Term::NewSocketEdge, lang));
    }
    label
}

/// The system call as a man-page reference: `bind(2)`,
/// `setsockopt(2) SO_REUSEADDR`; what is not a system call (the kernel
/// lookup after a close) is said in `lang`.
fn syscall_text(t: &Transition, lang: Lang) -> String {
    let call = match t.syscall {
        "" => return String::new(),
        "kernel lookup" => term(&Term::KernelLookup, lang),
        name => format!("{name}(2)"),
    };
    match t.detail {
        "" => call,
        detail => format!("{call} {detail}"),
    }
}

/// No system call: the typestate diagram of `transport`'s sockets as text,
/// one line per [`Transition`]: `from ──method──> to   system call`.
///
/// ```
/// use socket_lifecycle::{diagram::typestate_text, event::Transport, Lang};
///
/// let text = typestate_text(Transport::Tcp, Lang::En);
/// assert!(text.lines().any(|l| l.starts_with("Bound") && l.contains(".listen()") && l.contains("> Listening")));
/// ```
pub fn typestate_text(transport: Transport, lang: Lang) -> String {
    let table = transitions(transport);
    let mut out = typestate_title(transport, lang);
    out.push('\n');
    let labels: Vec<String> = table.iter().map(|t| transition_label(t, lang)).collect();
    let width = |state: fn(&Transition) -> Option<StateName>| {
        table
            .iter()
            .map(|t| state_name(state(t)).len())
            .max()
            .unwrap_or(0)
    };
    let (from_w, to_w) = (width(|t| t.from), width(|t| t.to));
    let label_w = labels.iter().map(|l| l.chars().count()).max().unwrap_or(0);
    for (t, label) in table.iter().zip(&labels) {
        let dashes = "─".repeat(label_w - label.chars().count() + 2);
        let line = format!(
            "{:from_w$}  ──{label}{dashes}> {:to_w$}  {}",
            state_name(t.from),
            state_name(t.to),
            syscall_text(t, lang),
        );
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// The typestate diagram's title in `lang`.
pub(super) fn typestate_title(transport: Transport, lang: Lang) -> String {
    let udp = transport == Transport::Udp;
    term(&Term::TypestateTitle { udp }, lang)
}

/// One arrow between two states (`None`: `[*]`), with the calls it stands
/// for: `method — syscall(2) detail` each.
pub(super) type Edge = (Option<StateName>, Option<StateName>, Vec<String>);

/// The arrows of `transport`'s diagram: transitions between the same two
/// states share one, in the table's order.
pub(super) fn edges(transport: Transport, lang: Lang) -> Vec<Edge> {
    let mut edges: Vec<Edge> = Vec::new();
    for t in transitions(transport) {
        let mut label = transition_label(t, lang);
        let syscall = syscall_text(t, lang);
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
    edges
}

/// No system call: the typestate diagram of `transport`'s sockets as a
/// Mermaid `stateDiagram-v2`; transitions between the same two states share
/// one arrow.
///
/// ```
/// use socket_lifecycle::{diagram::typestate_mermaid, event::Transport, Lang};
///
/// let mermaid = typestate_mermaid(Transport::Tcp, Lang::En);
/// assert!(mermaid.starts_with("stateDiagram-v2\n"));
/// assert!(mermaid.contains("    Bound --> Listening: .listen() — listen(2)\n"));
/// ```
pub fn typestate_mermaid(transport: Transport, lang: Lang) -> String {
    let mut out = String::from("stateDiagram-v2\n");
    for (from, to, labels) in edges(transport, lang) {
        let labels: Vec<&str> = labels
            .iter()
            .map(String::as_str)
            .filter(|l| !l.is_empty())
            .collect();
        let head = format!("    {} --> {}", state_name(from), state_name(to));
        if labels.is_empty() {
            let _ = writeln!(out, "{head}");
        } else {
            let joined = mermaid_text(&labels.join(", "));
            let _ = writeln!(out, "{head}: {joined}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The crate docs include the diagrams drawn from the tables: each file
    /// must hold what the table draws today. `SOCKET_LIFECYCLE_BLESS=1`
    /// rewrites them after a deliberate change to a table.
    #[test]
    fn the_docs_show_the_current_typestate_diagrams() {
        let files = [
            (
                Transport::Tcp,
                "typestate-tcp.txt",
                include_str!("typestate-tcp.txt"),
            ),
            (
                Transport::Udp,
                "typestate-udp.txt",
                include_str!("typestate-udp.txt"),
            ),
        ];
        for (transport, name, included) in files {
            let drawn = typestate_text(transport, Lang::En);
            if drawn == included {
                continue;
            }
            let path = format!("{}/src/diagram/{name}", env!("CARGO_MANIFEST_DIR"));
            if std::env::var_os("SOCKET_LIFECYCLE_BLESS").is_some() {
                std::fs::write(&path, &drawn).expect("the diagram file is writable");
            } else {
                panic!(
                    "{path} is out of date; run `SOCKET_LIFECYCLE_BLESS=1 cargo test --lib` and review it:\n{drawn}"
                );
            }
        }
    }

    /// Every state of the library is on the TCP diagram, and every state
    /// but `Listening` and `Connecting` on the UDP one.
    #[test]
    fn every_state_has_a_transition() {
        for state in [Created, Bound, Listening, Connecting, Connected, Closed] {
            // No wildcard: a new state fails to compile here until listed.
            let udp = match state {
                Created | Bound | Connected | Closed => true,
                Listening | Connecting => false,
            };
            let tables = [(TCP_TRANSITIONS, true), (UDP_TRANSITIONS, udp)];
            for (table, expected) in tables {
                let reached = table.iter().any(|t| t.to == Some(state));
                let left = table.iter().any(|t| t.from == Some(state));
                assert_eq!((reached, left), (expected, expected), "{state:?}");
            }
        }
    }
}
