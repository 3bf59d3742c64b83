//! The C notation every system's rendering shares: bytes quoted as C
//! strings, a socket address as the `struct sockaddr` it is, the
//! descriptor a call returned, the kernel look-up that is no call.

use std::fmt::Write as _;
use std::net::{Shutdown, SocketAddr};

use crate::errno::{Errno, errno_name};
use crate::event::{Call, Event, Family, Outcome, Transport};
use crate::kernel::Descriptor;
use crate::render::phrase::Term;
use crate::render::redact::Redaction;
use crate::render::words::Words;

/// `AF_INET` or `AF_INET6`.
pub(super) fn family(family: Family) -> &'static str {
    match family {
        Family::V4 => "AF_INET",
        Family::V6 => "AF_INET6",
    }
}

/// `socket()`'s type and protocol: `SOCK_STREAM` and `IPPROTO_TCP`, or
/// `SOCK_DGRAM` and `IPPROTO_UDP`; a protocol given as 0 (`zero`, the
/// type's default) is `IPPROTO_IP`, as strace names it.
pub(super) fn kind(transport: Transport, zero: bool) -> (&'static str, &'static str) {
    let (kind, protocol) = match transport {
        Transport::Tcp => ("SOCK_STREAM", "IPPROTO_TCP"),
        Transport::Udp => ("SOCK_DGRAM", "IPPROTO_UDP"),
    };
    (kind, if zero { "IPPROTO_IP" } else { protocol })
}

/// `shutdown()`'s direction, by the system's names (read, write, both).
pub(super) fn how(how: Shutdown, names: [&'static str; 3]) -> &'static str {
    match how {
        Shutdown::Read => names[0],
        Shutdown::Write => names[1],
        Shutdown::Both => names[2],
    }
}

/// An address argument and its length: `{sa_family=…}, 16`.
pub(super) fn address(addr: &SocketAddr, r: &Redaction) -> String {
    format!("{}, {}", sockaddr(addr, r), sockaddr_len(addr))
}

/// An address the kernel fills in (`accept`'s peer, `recvfrom`'s sender)
/// and its length, in and out: the buffer `offered` (socket2: a whole
/// `sockaddr_storage`, 128 bytes) and how much the address took —
/// `[128 => 16]`, or one number when they are the same; `<unfilled>` and
/// `[128]` when the call failed, `[128 => 0]` when it returned without
/// one; `NULL, NULL` when no buffer was offered.
pub(super) fn filled(
    addr: Option<&SocketAddr>,
    offered: Option<u32>,
    event: &Event,
    r: &Redaction,
) -> String {
    let Some(offered) = offered else {
        return "NULL, NULL".to_string();
    };
    match (addr, event.outcome) {
        (Some(addr), _) => {
            let took = sockaddr_len(addr);
            let len = if usize::try_from(offered) == Ok(took) {
                format!("[{took}]")
            } else {
                format!("[{offered} => {took}]")
            };
            format!("{}, {len}", sockaddr(addr, r))
        }
        (None, Outcome::Returned(_)) => format!("<unfilled>, [{offered} => 0]"),
        (None, Outcome::Failed(_)) => format!("<unfilled>, [{offered}]"),
    }
}

/// The size of the C socket address structure passed with it:
/// `sockaddr_in` (16 bytes) or `sockaddr_in6` (28), the same on every
/// system.
pub(super) fn sockaddr_len(addr: &SocketAddr) -> usize {
    match addr {
        SocketAddr::V4(_) => 16,
        SocketAddr::V6(_) => 28,
    }
}

/// A socket address the way strace decodes a `struct sockaddr` — a
/// notation that holds for every system's `sockaddr_in` and `sockaddr_in6`;
/// in a terminal's terse view, only the address and port in braces
/// (`{127.0.0.1:8888}`, `{[::1]:8888}`).
pub(super) fn sockaddr(addr: &SocketAddr, r: &Redaction) -> String {
    let port = r.port(addr.port());
    if r.is_terse() {
        return match addr {
            SocketAddr::V4(v4) => format!("{{{}:{port}}}", v4.ip()),
            SocketAddr::V6(v6) => format!("{{[{}]:{port}}}", v6.ip()),
        };
    }
    match addr {
        SocketAddr::V4(v4) => format!(
            "{{sa_family=AF_INET, sin_port=htons({port}), sin_addr=inet_addr(\"{}\")}}",
            v4.ip()
        ),
        SocketAddr::V6(v6) => format!(
            "{{sa_family=AF_INET6, sin6_port=htons({port}), sin6_flowinfo=htonl({}), \
             inet_pton(AF_INET6, \"{}\", &sin6_addr), sin6_scope_id={}}}",
            v6.flowinfo(),
            v6.ip(),
            v6.scope_id()
        ),
    }
}

/// Bytes as strace quotes them: printable ASCII as is, C escapes for the
/// usual controls, octal for the rest, `...` when more than the preview was
/// transferred.
pub(super) fn quote(data: &[u8], transferred: usize) -> String {
    let shown = &data[..data.len().min(transferred)];
    // Most bytes show as themselves: room for them, the quotes and an
    // ellipsis.
    let mut out = String::with_capacity(shown.len() + 5);
    out.push('"');
    for (i, &byte) in shown.iter().enumerate() {
        match byte {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\t' => out.push_str("\\t"),
            b'\r' => out.push_str("\\r"),
            0x0b => out.push_str("\\v"),
            0x0c => out.push_str("\\f"),
            0x20..=0x7e => out.push(char::from(byte)),
            _ => {
                // strace uses the shortest octal form unless a digit follows.
                let next_is_digit = shown.get(i + 1).is_some_and(u8::is_ascii_digit);
                if next_is_digit {
                    let _ = write!(out, "\\{byte:03o}");
                } else {
                    let _ = write!(out, "\\{byte:o}");
                }
            }
        }
    }
    out.push('"');
    if transferred > shown.len() {
        out.push_str("...");
    }
    out
}

/// What a receive's buffer holds after the call: the bytes it returned (at
/// most `capacity`), or `<unfilled>` when it failed.
pub(super) fn received(event: &Event, data: &[u8], capacity: usize) -> String {
    match event.outcome {
        Outcome::Returned(n) => quote(data, usize::try_from(n).unwrap_or(0).min(capacity)),
        Outcome::Failed(_) => "<unfilled>".to_string(),
    }
}

/// The value a successful call returned: a descriptor (`socket`, `accept`)
/// shown as the redaction wants it, or a number.
pub(super) fn returned(event: &Event, value: i64, r: &Redaction) -> String {
    if r.partial_send(event) {
        return "<part>".to_string();
    }
    made(event, value, r).unwrap_or_else(|| value.to_string())
}

/// The descriptor a successful `socket` or `accept` made, shown as the
/// redaction wants it (the calls socket2 makes on it next name it too);
/// `None` for the other calls.
pub(super) fn made(event: &Event, value: i64, r: &Redaction) -> Option<String> {
    let descriptor = Descriptor::try_from(value).ok();
    match &event.call {
        Call::Socket { .. } | Call::EpollCreate => Some(r.fd(descriptor, &event.socket)),
        Call::Accept {
            child: Some(child), ..
        } => Some(r.fd(descriptor, child)),
        _ => None,
    }
}

/// `NAME (description)` of a failure's error number — the name this
/// system gives it, the description in the table's language; `errno N`
/// for a number the table lacks.
pub(super) fn error(code: i32, words: &dyn Words) -> String {
    match (errno_name(code), Errno::of(code)) {
        (Some(name), Some(errno)) => format!("{name} ({})", words.errno(errno)),
        (Some(name), None) => name.to_string(),
        (None, _) => format!("errno {code}"),
    }
}

/// The kernel look-up after a close, which is no call on the socket:
/// `# kernel lookup: local → peer`.
pub(super) fn lookup(event: &Event, r: &Redaction, words: &dyn Words) -> String {
    let lookup = words.term(&Term::KernelLookup);
    match (event.local, event.peer) {
        (Some(local), Some(peer)) => {
            format!("# {lookup}: {} → {}", r.addr(&local), r.addr(&peer))
        }
        _ => format!("# {lookup}"),
    }
}
