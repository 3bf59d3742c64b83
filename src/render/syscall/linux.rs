//! Linux: each call as `strace -e trace=network,close` prints it —
//! `listen(3, 5) = 0`,
//! `connect(3, {sa_family=AF_INET, …}, 16) = -1 ECONNREFUSED (Connection refused)`.
//!
//! The rendering is checked against strace itself (`tests/strace.rs`).
//! Only the errno's description follows the language (strace prints the C
//! library's, which follows the locale).

use std::net::Shutdown;
use std::time::Duration;

use super::c::{error, lookup, quote, received, returned, sockaddr, sockaddr_len};
use crate::event::{Call, Event, Family, Outcome, SocketOption, Transport};
use crate::render::redact::Redaction;
use crate::render::words::Words;

/// No system call: the name of the call, as strace prints it.
pub(crate) fn name(call: &Call) -> &'static str {
    match call {
        Call::Socket { .. } => "socket",
        Call::SetOption { .. } => "setsockopt",
        Call::Bind { .. } => "bind",
        Call::Listen { .. } => "listen",
        Call::Accept { .. } => "accept4",
        Call::Connect { .. } => "connect",
        Call::Send { .. } | Call::SendTo { .. } => "sendto",
        Call::Recv { .. } | Call::RecvFrom { .. } => "recvfrom",
        Call::Shutdown { .. } => "shutdown",
        Call::Close { .. } => "close",
        Call::KernelLookup { .. } => "kernel lookup",
    }
}

/// The call of `event` with its arguments and result, as strace prints it.
pub(crate) fn call(event: &Event, r: &Redaction, words: &dyn Words) -> String {
    let fd = || r.fd(event.fd, &event.socket);
    let call = match &event.call {
        Call::Socket { family, transport } => format!(
            "socket({}, {})",
            match family {
                Family::V4 => "AF_INET",
                Family::V6 => "AF_INET6",
            },
            match transport {
                Transport::Tcp => "SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_TCP",
                Transport::Udp => "SOCK_DGRAM|SOCK_CLOEXEC, IPPROTO_UDP",
            }
        ),
        Call::SetOption { option } => {
            let value = match option {
                SocketOption::ReuseAddress(on) => format!("[{}], 4", u8::from(*on)),
                SocketOption::ReadTimeout(timeout) => {
                    let value = timeval_bytes(timeout.unwrap_or_default());
                    format!("{}, {}", quote(&value, value.len()), value.len())
                }
            };
            format!(
                "setsockopt({}, SOL_SOCKET, {}, {value})",
                fd(),
                option_name(option)
            )
        }
        Call::Bind { addr } => format!(
            "bind({}, {}, {})",
            fd(),
            sockaddr(addr, r),
            sockaddr_len(addr)
        ),
        Call::Listen { backlog } => format!("listen({}, {backlog})", fd()),
        Call::Accept { peer, .. } => match peer {
            Some(peer) => format!(
                "accept4({}, {}, [128 => {}], SOCK_CLOEXEC)",
                fd(),
                sockaddr(peer, r),
                sockaddr_len(peer)
            ),
            None => format!("accept4({}, <unfilled>, [128], SOCK_CLOEXEC)", fd()),
        },
        Call::Connect { addr } => format!(
            "connect({}, {}, {})",
            fd(),
            sockaddr(addr, r),
            sockaddr_len(addr)
        ),
        Call::Send { data, len } => format!(
            "sendto({}, {}, {len}, MSG_NOSIGNAL, NULL, 0)",
            fd(),
            quote(data, *len)
        ),
        Call::Recv { data, capacity, .. } => format!(
            "recvfrom({}, {}, {capacity}, 0, NULL, NULL)",
            fd(),
            received(event, data, usize::MAX)
        ),
        Call::SendTo { data, len, to } => format!(
            "sendto({}, {}, {len}, MSG_NOSIGNAL, {})",
            fd(),
            quote(data, *len),
            match to {
                Some(to) => format!("{}, {}", sockaddr(to, r), sockaddr_len(to)),
                None => "NULL, 0".to_string(),
            }
        ),
        Call::RecvFrom {
            data,
            capacity,
            from,
            msg_trunc,
        } => {
            // strace shows what the buffer holds: at most its capacity,
            // even when MSG_TRUNC returned a larger, real size.
            let shown = received(event, data, *capacity);
            let flags = if *msg_trunc { "MSG_TRUNC" } else { "0" };
            // socket2 offers a whole sockaddr_storage (128 bytes); the
            // kernel says how much of it the sender's address took.
            let (addr, len) = match (from, event.outcome) {
                (Some(from), _) => (
                    sockaddr(from, r),
                    format!("[128 => {}]", sockaddr_len(from)),
                ),
                (None, Outcome::Returned(_)) => ("<unfilled>".to_string(), "[128 => 0]".into()),
                (None, Outcome::Failed(_)) => ("<unfilled>".to_string(), "[128]".into()),
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
        Call::KernelLookup { .. } => return lookup(event, r, words),
    };
    let result = match event.outcome {
        Outcome::Returned(value) => returned(event, value, r),
        Outcome::Failed(code) => format!("-1 {}", error(code, words)),
    };
    format!("{call} = {result}")
}

/// The option's name as strace 6.1 prints it on x86_64 Linux, where the
/// C library's `SO_RCVTIMEO` is the kernel's `SO_RCVTIMEO_OLD`.
fn option_name(option: &SocketOption) -> &'static str {
    match option {
        SocketOption::ReadTimeout(_) => "SO_RCVTIMEO_OLD",
        other => other.name(),
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
