//! Linux, macOS and FreeBSD: each call as the kernel receives it, in
//! strace's notation — on Linux exactly as `strace -e trace=network,close`
//! prints it (`tests/strace.rs` holds the two together); on macOS and
//! FreeBSD the same system calls by their names there (the C library's
//! `send` and `recv` are `sendto` and `recvfrom` on all three), with what
//! socket2 does around them. What differs per system is a `Flavor`
//! (`flavor.rs`), in the system's own file (`linux.rs`, `macos.rs`,
//! `freebsd.rs`).

use super::c::{
    address, error, family, filled, how, kind, lookup, made, quote, received, returned,
};
#[cfg(target_os = "freebsd")]
use super::freebsd::FLAVOR;
#[cfg(any(target_os = "linux", target_os = "android"))]
use super::linux::FLAVOR;
#[cfg(target_vendor = "apple")]
use super::macos::FLAVOR;
use crate::event::{Call, Event, Outcome, SocketOption};
use crate::render::redact::Redaction;
use crate::render::words::Words;

/// No system call: the name of the call as the kernel receives it.
pub(crate) fn name(call: &Call) -> &'static str {
    match call {
        Call::Socket { .. } => "socket",
        Call::SetOption { .. } => "setsockopt",
        Call::Bind { .. } => "bind",
        Call::Listen { .. } => "listen",
        Call::Accept { .. } if FLAVOR.cloexec_flag => "accept4",
        Call::Accept { .. } => "accept",
        Call::Connect { .. } => "connect",
        Call::Send { .. } | Call::SendTo { .. } => "sendto",
        Call::Recv { .. } | Call::RecvFrom { .. } => "recvfrom",
        Call::Shutdown { .. } => "shutdown",
        Call::Close { .. } => "close",
        Call::KernelLookup { .. } => "kernel lookup",
    }
}

/// The call of `event` with its arguments and result, then what socket2
/// calls right after it on this system.
pub(crate) fn call(event: &Event, r: &Redaction, words: &dyn Words) -> String {
    let fd = || r.fd(event.fd, &event.socket);
    let cloexec = |separator| if FLAVOR.cloexec_flag { separator } else { "" };
    let call = match &event.call {
        Call::Socket {
            family: f,
            transport,
        } => {
            let (kind, protocol) = kind(*transport);
            let flag = cloexec("|SOCK_CLOEXEC");
            format!("socket({}, {kind}{flag}, {protocol})", family(*f))
        }
        Call::SetOption { option } => {
            let value = match option {
                SocketOption::ReuseAddress(on) => format!("SO_REUSEADDR, [{}], 4", u8::from(*on)),
                SocketOption::ReadTimeout(limit) => {
                    (FLAVOR.read_timeout)(limit.unwrap_or_default())
                }
                SocketOption::WriteTimeout(limit) => {
                    (FLAVOR.write_timeout)(limit.unwrap_or_default())
                }
            };
            format!("setsockopt({}, SOL_SOCKET, {value})", fd())
        }
        Call::Bind { addr } => format!("bind({}, {})", fd(), address(addr, r)),
        Call::Listen { backlog } => format!("listen({}, {backlog})", fd()),
        Call::Accept { peer, .. } => format!(
            "{}({}, {}{})",
            name(&event.call),
            fd(),
            filled(peer.as_ref(), event, r),
            cloexec(", SOCK_CLOEXEC")
        ),
        Call::Connect { addr } => format!("connect({}, {})", fd(), address(addr, r)),
        Call::Send {
            data,
            len,
            msg_nosignal,
        } => format!(
            "sendto({}, {}, {len}, {}, NULL, 0)",
            fd(),
            quote(data, *len),
            send_flags(*msg_nosignal)
        ),
        Call::Recv { data, capacity, .. } => format!(
            "recvfrom({}, {}, {capacity}, 0, NULL, NULL)",
            fd(),
            received(event, data, usize::MAX)
        ),
        Call::SendTo {
            data,
            len,
            msg_nosignal,
            to,
        } => format!(
            "sendto({}, {}, {len}, {}, {})",
            fd(),
            quote(data, *len),
            send_flags(*msg_nosignal),
            to.as_ref()
                .map_or_else(|| "NULL, 0".to_string(), |to| address(to, r))
        ),
        Call::RecvFrom {
            data,
            capacity,
            from,
            msg_trunc,
        } => {
            // What the buffer holds: at most its capacity, even when
            // MSG_TRUNC (Linux) returned a larger, real size.
            let shown = received(event, data, *capacity);
            let flags = if *msg_trunc { "MSG_TRUNC" } else { "0" };
            let sender = filled(from.as_ref(), event, r);
            format!("recvfrom({}, {shown}, {capacity}, {flags}, {sender})", fd())
        }
        Call::Shutdown { how: h } => format!(
            "shutdown({}, {})",
            fd(),
            how(*h, ["SHUT_RD", "SHUT_WR", "SHUT_RDWR"])
        ),
        Call::Close { .. } => format!("close({})", fd()),
        Call::KernelLookup { .. } => return lookup(event, r, words),
    };
    match event.outcome {
        Outcome::Returned(value) => {
            let after = made(event, value, r).map(|fd| then(event, &fd));
            format!(
                "{call} = {}{}",
                returned(event, value, r),
                after.unwrap_or_default()
            )
        }
        Outcome::Failed(code) => format!("{call} = -1 {}", error(code, words)),
    }
}

/// A send's flags as the call passed them (a fact of its event).
fn send_flags(msg_nosignal: bool) -> &'static str {
    if msg_nosignal { "MSG_NOSIGNAL" } else { "0" }
}

/// What socket2 calls on the descriptor `fd` right after `socket()` or
/// `accept()` returned it, on this system: `, then fcntl(…)` and
/// `setsockopt(SO_NOSIGPIPE)` (macOS), or nothing (Linux, FreeBSD).
fn then(event: &Event, fd: &str) -> String {
    let mut after = Vec::new();
    if !FLAVOR.cloexec_flag {
        after.push(format!("fcntl({fd}, F_SETFD, FD_CLOEXEC)"));
    }
    if FLAVOR.nosigpipe && matches!(event.call, Call::Socket { .. }) {
        after.push(format!(
            "setsockopt({fd}, SOL_SOCKET, SO_NOSIGPIPE, [1], 4)"
        ));
    }
    if after.is_empty() {
        String::new()
    } else {
        format!(", then {}", after.join(", "))
    }
}
