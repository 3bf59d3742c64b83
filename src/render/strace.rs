//! The call as strace prints it: `listen(3, 5) = 0`,
//! `connect(3, {sa_family=AF_INET, …}, 16) = -1 ECONNREFUSED (Connection refused)`.
//!
//! On Linux the rendering is checked against strace itself
//! (`tests/strace.rs`). Only the errno's description follows the language
//! (strace prints the C library's, which follows the locale).

use std::fmt::Write as _;
use std::net::{Shutdown, SocketAddr};
use std::time::Duration;

use super::observed::{self, accept_flags, msg_flags, option_level, transfer, type_flags};
use super::phrase::Term;
use super::redact::Redaction;
use super::words::Words;
use crate::errno::errno_name;
use crate::event::{Call, Event, Family, Outcome, SocketOption, Transport};

/// The call of `event` with its arguments and result.
pub(crate) fn strace(event: &Event, r: &Redaction, words: &dyn Words) -> String {
    let fd = || r.fd(event.fd, &event.socket);
    let call = match &event.call {
        Call::Socket {
            family,
            transport,
            flags,
            protocol_zero,
        } => format!(
            "socket({}, {}{}, {})",
            match family {
                Family::V4 => "AF_INET",
                Family::V6 => "AF_INET6",
            },
            match transport {
                Transport::Tcp => "SOCK_STREAM",
                Transport::Udp => "SOCK_DGRAM",
            },
            type_flags(*flags),
            match (protocol_zero, transport) {
                (true, _) => "IPPROTO_IP",
                (false, Transport::Tcp) => "IPPROTO_TCP",
                (false, Transport::Udp) => "IPPROTO_UDP",
            }
        ),
        Call::SetOption { option } => {
            let value = match option {
                SocketOption::ReuseAddress(on) => format!("[{}], 4", u8::from(*on)),
                SocketOption::ReadTimeout(timeout) | SocketOption::WriteTimeout(timeout) => {
                    let value = timeval_bytes(timeout.unwrap_or_default());
                    format!("{}, {}", strace_bytes(&value, value.len()), value.len())
                }
                other => observed::option_value(other),
            };
            format!(
                "setsockopt({}, {}, {}, {value})",
                fd(),
                option_level(option),
                strace_name(option)
            )
        }
        Call::Bind { addr } => format!(
            "bind({}, {}, {})",
            fd(),
            strace_sockaddr(addr, r),
            sockaddr_len(addr)
        ),
        Call::Listen { backlog } => format!("listen({}, {backlog})", fd()),
        Call::Accept {
            peer,
            flags,
            addr_len,
            ..
        } => {
            let addr = match (addr_len, peer) {
                (None, _) => "NULL, NULL".to_string(),
                (Some(offered), Some(peer)) => {
                    let filled = sockaddr_len(peer);
                    let len = if *offered as usize == filled {
                        format!("[{filled}]")
                    } else {
                        format!("[{offered} => {filled}]")
                    };
                    format!("{}, {len}", strace_sockaddr(peer, r))
                }
                (Some(offered), None) => format!("<unfilled>, [{offered}]"),
            };
            match flags {
                Some(flags) => format!("accept4({}, {addr}, {})", fd(), accept_flags(*flags)),
                None => format!("accept({}, {addr})", fd()),
            }
        }
        Call::Connect { addr } => format!(
            "connect({}, {}, {})",
            fd(),
            strace_sockaddr(addr, r),
            sockaddr_len(addr)
        ),
        Call::Send { data, len, via } => {
            let sent = Outcome::Returned(i64::try_from(*len).unwrap_or(i64::MAX));
            transfer(via, &fd(), data, *len, sent, true, strace_bytes)
        }
        Call::Recv {
            data,
            capacity,
            via,
            ..
        } => transfer(
            via,
            &fd(),
            data,
            *capacity,
            event.outcome,
            false,
            strace_bytes,
        ),
        Call::SendTo {
            data,
            len,
            to,
            flags,
        } => format!(
            "sendto({}, {}, {len}, {}, {})",
            fd(),
            strace_bytes(data, *len),
            msg_flags(*flags),
            match to {
                Some(to) => format!("{}, {}", strace_sockaddr(to, r), sockaddr_len(to)),
                None => "NULL, 0".to_string(),
            }
        ),
        Call::RecvFrom {
            data,
            capacity,
            from,
            msg_trunc,
            addr_len,
        } => {
            // strace shows what the buffer holds: at most its capacity,
            // even when MSG_TRUNC returned a larger, real size.
            let shown = match event.outcome {
                Outcome::Returned(n) => {
                    let kept = usize::try_from(n).unwrap_or(0).min(*capacity);
                    strace_bytes(data, kept)
                }
                Outcome::Failed(_) => "<unfilled>".to_string(),
            };
            let flags = if *msg_trunc { "MSG_TRUNC" } else { "0" };
            // The buffer offered for the sender's address (socket2: a whole
            // sockaddr_storage, 128 bytes), and how much of it the kernel
            // filled; strace shows one number when they are the same.
            let (addr, len) = match (addr_len, from, event.outcome) {
                (None, _, _) => ("NULL".to_string(), "NULL".to_string()),
                (Some(offered), Some(from), _) => {
                    let filled = sockaddr_len(from);
                    let len = if *offered as usize == filled {
                        format!("[{filled}]")
                    } else {
                        format!("[{offered} => {filled}]")
                    };
                    (strace_sockaddr(from, r), len)
                }
                (Some(offered), None, Outcome::Returned(_)) => {
                    ("<unfilled>".to_string(), format!("[{offered} => 0]"))
                }
                (Some(offered), None, Outcome::Failed(_)) => {
                    ("<unfilled>".to_string(), format!("[{offered}]"))
                }
            };
            format!(
                "recvfrom({}, {shown}, {capacity}, {flags}, {addr}, {len})",
                fd()
            )
        }
        Call::Shutdown { how } => format!(
            "shutdown({}, {})",
            fd(),
            match how {
                Shutdown::Read => "SHUT_RD",
                Shutdown::Write => "SHUT_WR",
                Shutdown::Both => "SHUT_RDWR",
            }
        ),
        Call::Close { .. } => format!("close({})", fd()),
        Call::Wait {
            syscall,
            fds,
            timeout,
        } => {
            let failure = |errno| strace_errno(errno, words);
            return observed::wait(*syscall, fds, *timeout, event.outcome, &failure);
        }
        Call::KernelLookup { .. } => {
            let lookup = words.term(&Term::KernelLookup);
            return match (event.local, event.peer) {
                (Some(local), Some(peer)) => {
                    format!("# {lookup}: {} → {}", r.addr(&local), r.addr(&peer))
                }
                _ => format!("# {lookup}"),
            };
        }
    };
    let result = match event.outcome {
        Outcome::Returned(value) => match (&event.call, event.fd) {
            (Call::Socket { .. }, _) => r.fd(Some(value as i32), &event.socket),
            (
                Call::Accept {
                    child: Some(child), ..
                },
                _,
            ) => r.fd(Some(value as i32), child),
            _ => value.to_string(),
        },
        Outcome::Failed(errno) => strace_errno(errno, words),
    };
    format!("{call} = {result}")
}

/// `-1 ECONNREFUSED (Connection refused)`, as strace prints a failure, the
/// description in the table's language.
fn strace_errno(errno: i32, words: &dyn Words) -> String {
    match (errno_name(errno), words.errno(errno)) {
        (Some(name), Some(text)) => format!("-1 {name} ({text})"),
        (Some(name), None) => format!("-1 {name}"),
        (None, _) => format!("-1 errno {errno}"),
    }
}

/// The option's name as strace 6.1 prints it on x86_64 Linux, where the
/// C library's `SO_RCVTIMEO` is the kernel's `SO_RCVTIMEO_OLD`.
fn strace_name(option: &SocketOption) -> String {
    match option {
        SocketOption::ReadTimeout(_) => "SO_RCVTIMEO_OLD".to_string(),
        SocketOption::WriteTimeout(_) => "SO_SNDTIMEO_OLD".to_string(),
        SocketOption::Other { name, .. } if option.name() == "?" => name.to_string(),
        other => other.name().to_string(),
    }
}

/// The size of the C socket address structure strace prints after it.
fn sockaddr_len(addr: &SocketAddr) -> usize {
    match addr {
        SocketAddr::V4(_) => 16,
        SocketAddr::V6(_) => 28,
    }
}

/// The bytes of the `struct timeval` given to `SO_RCVTIMEO`: strace 6.1
/// prints them as a string (it does not decode this option), e.g.
/// `"\2\0\0\0\0\0\0\0 \241\7\0\0\0\0\0"` for 2.5 s on x86_64 Linux.
fn timeval_bytes(d: Duration) -> Vec<u8> {
    let secs = libc::time_t::try_from(d.as_secs()).unwrap_or(libc::time_t::MAX);
    // Below 1_000_000: fits every platform's suseconds_t.
    let micros = d.subsec_micros() as libc::suseconds_t;
    let mut bytes = secs.to_ne_bytes().to_vec();
    bytes.extend_from_slice(&micros.to_ne_bytes());
    bytes
}

/// A socket address the way strace decodes a `struct sockaddr`.
fn strace_sockaddr(addr: &SocketAddr, r: &Redaction) -> String {
    let port = r.port(addr.port());
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
fn strace_bytes(data: &[u8], transferred: usize) -> String {
    let shown = &data[..data.len().min(transferred)];
    let mut out = String::from("\"");
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
