//! macOS, FreeBSD and the other unix systems: each call as the kernel
//! receives it — the names truss and dtruss show (`sendto`, `recvfrom`:
//! the C library's `send` and `recv` are those system calls there too) —
//! in strace's notation, and with what socket2 does around it on that
//! system: where `socket()` takes no `SOCK_CLOEXEC`, socket2 sets
//! `FD_CLOEXEC` with `fcntl` right after; on macOS it also sets
//! `SO_NOSIGPIPE`. What differs per system is a [`Flavor`], in the
//! system's own file.

use std::net::Shutdown;
use std::time::Duration;

use super::c::{error, lookup, quote, received, returned, sockaddr, sockaddr_len};
use crate::event::{Call, Event, Family, Outcome, SocketOption, Transport};
use crate::kernel::Descriptor;
use crate::render::redact::Redaction;
use crate::render::words::Words;

/// What socket2 calls on one BSD-like system.
pub(super) struct Flavor {
    /// `socket()` and `accept4()` take `SOCK_CLOEXEC`; otherwise socket2
    /// follows `socket()` and `accept()` with `fcntl(fd, F_SETFD,
    /// FD_CLOEXEC)`.
    pub(super) cloexec_flag: bool,
    /// socket2 follows `socket()` with `setsockopt(SO_NOSIGPIPE)` (Apple's
    /// systems; an accepted socket inherits it).
    pub(super) nosigpipe: bool,
    /// The flags of a send: `MSG_NOSIGNAL` where the system has it.
    pub(super) send_flags: &'static str,
}

/// No system call: the name of the call as the kernel receives it.
pub(super) fn name(call: &Call, flavor: &Flavor) -> &'static str {
    match call {
        Call::Socket { .. } => "socket",
        Call::SetOption { .. } => "setsockopt",
        Call::Bind { .. } => "bind",
        Call::Listen { .. } => "listen",
        Call::Accept { .. } if flavor.cloexec_flag => "accept4",
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
pub(super) fn call(event: &Event, r: &Redaction, words: &dyn Words, flavor: &Flavor) -> String {
    let fd = || r.fd(event.fd, &event.socket);
    let cloexec = if flavor.cloexec_flag {
        "|SOCK_CLOEXEC"
    } else {
        ""
    };
    let call = match &event.call {
        Call::Socket { family, transport } => format!(
            "socket({}, {}{cloexec}, {})",
            match family {
                Family::V4 => "AF_INET",
                Family::V6 => "AF_INET6",
            },
            match transport {
                Transport::Tcp => "SOCK_STREAM",
                Transport::Udp => "SOCK_DGRAM",
            },
            match transport {
                Transport::Tcp => "IPPROTO_TCP",
                Transport::Udp => "IPPROTO_UDP",
            }
        ),
        Call::SetOption { option } => {
            let value = match option {
                SocketOption::ReuseAddress(on) => format!("[{}], 4", u8::from(*on)),
                SocketOption::ReadTimeout(timeout) => timeval(timeout.unwrap_or_default()),
            };
            format!(
                "setsockopt({}, SOL_SOCKET, {}, {value})",
                fd(),
                option.name()
            )
        }
        Call::Bind { addr } => format!(
            "bind({}, {}, {})",
            fd(),
            sockaddr(addr, r),
            sockaddr_len(addr)
        ),
        Call::Listen { backlog } => format!("listen({}, {backlog})", fd()),
        Call::Accept { peer, .. } => {
            let (addr, len) = match peer {
                Some(peer) => (
                    sockaddr(peer, r),
                    format!("[128 => {}]", sockaddr_len(peer)),
                ),
                None => ("<unfilled>".to_string(), "[128]".to_string()),
            };
            let flags = if flavor.cloexec_flag {
                ", SOCK_CLOEXEC"
            } else {
                ""
            };
            format!(
                "{}({}, {addr}, {len}{flags})",
                name(&event.call, flavor),
                fd()
            )
        }
        Call::Connect { addr } => format!(
            "connect({}, {}, {})",
            fd(),
            sockaddr(addr, r),
            sockaddr_len(addr)
        ),
        Call::Send { data, len } => format!(
            "sendto({}, {}, {len}, {}, NULL, 0)",
            fd(),
            quote(data, *len),
            flavor.send_flags
        ),
        Call::Recv { data, capacity, .. } => format!(
            "recvfrom({}, {}, {capacity}, 0, NULL, NULL)",
            fd(),
            received(event, data, usize::MAX)
        ),
        Call::SendTo { data, len, to } => format!(
            "sendto({}, {}, {len}, {}, {})",
            fd(),
            quote(data, *len),
            flavor.send_flags,
            match to {
                Some(to) => format!("{}, {}", sockaddr(to, r), sockaddr_len(to)),
                None => "NULL, 0".to_string(),
            }
        ),
        Call::RecvFrom {
            data,
            capacity,
            from,
            ..
        } => {
            let shown = received(event, data, *capacity);
            let (addr, len) = match (from, event.outcome) {
                (Some(from), _) => (
                    sockaddr(from, r),
                    format!("[128 => {}]", sockaddr_len(from)),
                ),
                (None, Outcome::Returned(_)) => ("<unfilled>".to_string(), "[128 => 0]".into()),
                (None, Outcome::Failed(_)) => ("<unfilled>".to_string(), "[128]".into()),
            };
            format!("recvfrom({}, {shown}, {capacity}, 0, {addr}, {len})", fd())
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
    match event.outcome {
        Outcome::Returned(value) => {
            let result = returned(event, value, r);
            let made = Descriptor::try_from(value).ok();
            format!("{call} = {result}{}", then(event, made, r, flavor))
        }
        Outcome::Failed(code) => format!("{call} = -1 {}", error(code, words)),
    }
}

/// What socket2 calls on a new descriptor right after `socket()` or
/// `accept()` returned it, on this system: `, then fcntl(…)` and
/// `setsockopt(SO_NOSIGPIPE)`, or nothing.
fn then(event: &Event, made: Option<Descriptor>, r: &Redaction, flavor: &Flavor) -> String {
    let owner = match &event.call {
        Call::Socket { .. } => event.socket.to_string(),
        Call::Accept {
            child: Some(child), ..
        } => child.to_string(),
        _ => return String::new(),
    };
    let fd = r.fd(made, &owner);
    let mut after = Vec::new();
    if !flavor.cloexec_flag {
        after.push(format!("fcntl({fd}, F_SETFD, FD_CLOEXEC)"));
    }
    if flavor.nosigpipe && matches!(event.call, Call::Socket { .. }) {
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

/// The `struct timeval` given to `SO_RCVTIMEO`, decoded: whole seconds and
/// microseconds, and its size.
fn timeval(d: Duration) -> String {
    format!(
        "{{tv_sec={}, tv_usec={}}}, {}",
        d.as_secs(),
        d.subsec_micros(),
        std::mem::size_of::<libc::timeval>()
    )
}
