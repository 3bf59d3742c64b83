//! Linux, macOS and FreeBSD: each call as the kernel receives it, in
//! strace's notation — on Linux exactly as `strace -e trace=network,close`
//! prints it (`tests/strace.rs` holds the two together); on macOS and
//! FreeBSD the same system calls by their names there (the C library's
//! `send` and `recv` are `sendto` and `recvfrom` on all three), with what
//! socket2 does around them. What differs per system is a `Flavor`
//! (`flavor.rs`), in the system's own file (`linux.rs`, `macos.rs`,
//! `freebsd.rs`); what only programs traced from outside do is written as
//! `observed.rs` writes it.

use super::c::{
    address, error, family, filled, how, kind, lookup, made, quote, received, returned,
};
#[cfg(target_os = "freebsd")]
use super::freebsd::FLAVOR;
#[cfg(any(target_os = "linux", target_os = "android"))]
use super::linux::FLAVOR;
#[cfg(target_vendor = "apple")]
use super::macos::FLAVOR;
use super::observed::{self, Names, WaitNotation, level_name, msg_flags, transfer, transfer_name};
use crate::event::{Call, Event, FdFlags, Outcome, SocketOption};
use crate::render::redact::Redaction;
use crate::render::words::Words;

/// This system's names of its numbers.
pub(super) const NAMES: &Names = &FLAVOR.names;

/// No system call: the name of the call as the kernel receives it.
pub(crate) fn name(call: &Call) -> &'static str {
    match call {
        Call::Socket { .. } => "socket",
        Call::SetOption { .. } => "setsockopt",
        Call::Bind { .. } => "bind",
        Call::Listen { .. } => "listen",
        Call::Accept { flags: Some(_), .. } if FLAVOR.cloexec_flag => "accept4",
        Call::Accept { .. } => "accept",
        Call::Connect { .. } => "connect",
        Call::Send { via, .. } => transfer_name(via, true),
        Call::Recv { via, .. } => transfer_name(via, false),
        Call::SendTo { .. } => "sendto",
        Call::RecvFrom { .. } => "recvfrom",
        Call::Shutdown { .. } => "shutdown",
        Call::Close { .. } => "close",
        Call::SetNonblocking => "fcntl",
        Call::TakeError { .. } => "getsockopt",
        Call::EpollCreate => "epoll_create1",
        Call::EpollAdd { .. } => "epoll_ctl",
        Call::Wait { syscall, .. } => syscall.name(),
        Call::KernelLookup { .. } => "kernel lookup",
    }
}

/// The call of `event` with its arguments and result, then what socket2
/// calls right after it on this system.
pub(crate) fn call(event: &Event, r: &Redaction, words: &dyn Words) -> String {
    let fd = || r.fd(event.fd, &event.socket);
    let call = match &event.call {
        Call::Socket {
            family: f,
            transport,
            flags,
            protocol_zero,
        } => {
            let (kind, protocol) = kind(*transport, *protocol_zero);
            let flags = type_flags(passed(*flags));
            format!("socket({}, {kind}{flags}, {protocol})", family(*f))
        }
        Call::SetOption { option } => format!(
            "setsockopt({}, {}, {})",
            fd(),
            level_name(NAMES, level(option)),
            option_value(option)
        ),
        Call::Bind { addr } => format!("bind({}, {})", fd(), address(addr, r)),
        Call::Listen { backlog } => format!("listen({}, {backlog})", fd()),
        Call::Accept {
            peer,
            flags,
            addr_len,
            ..
        } => {
            let flags = match flags {
                Some(flags) if FLAVOR.cloexec_flag => format!(", {}", accept_flags(*flags)),
                _ => String::new(),
            };
            format!(
                "{}({}, {}{flags})",
                name(&event.call),
                fd(),
                filled(peer.as_ref(), *addr_len, event, r)
            )
        }
        Call::Connect { addr } => format!("connect({}, {})", fd(), address(addr, r)),
        Call::Send { data, len, via } => {
            transfer(NAMES, via, &fd(), (data, *len), event.outcome, true)
        }
        Call::Recv {
            data,
            capacity,
            via,
            ..
        } => transfer(NAMES, via, &fd(), (data, *capacity), event.outcome, false),
        Call::SendTo {
            data,
            len,
            flags,
            to,
        } => format!(
            "sendto({}, {}, {len}, {}, {})",
            fd(),
            quote(data, *len),
            msg_flags(NAMES, *flags),
            to.as_ref()
                .map_or_else(|| "NULL, 0".to_string(), |to| address(to, r))
        ),
        Call::RecvFrom {
            data,
            capacity,
            from,
            msg_trunc,
            addr_len,
        } => {
            // What the buffer holds: at most its capacity, even when
            // MSG_TRUNC (Linux) returned a larger, real size.
            let shown = received(event, data, *capacity);
            let flags = if *msg_trunc { "MSG_TRUNC" } else { "0" };
            let sender = filled(from.as_ref(), *addr_len, event, r);
            format!("recvfrom({}, {shown}, {capacity}, {flags}, {sender})", fd())
        }
        Call::Shutdown { how: h } => format!(
            "shutdown({}, {})",
            fd(),
            how(*h, ["SHUT_RD", "SHUT_WR", "SHUT_RDWR"])
        ),
        Call::Close { .. } => format!("close({})", fd()),
        Call::SetNonblocking => return set_nonblocking(event, &fd(), words),
        Call::TakeError { pending } => format!(
            "getsockopt({}, SOL_SOCKET, SO_ERROR, [{}], [4])",
            fd(),
            pending_error(*pending)
        ),
        Call::EpollCreate => "epoll_create1(EPOLL_CLOEXEC)".to_string(),
        Call::EpollAdd { target, edge } => {
            observed::epoll_add(&fd(), &r.waited_fd(target), target, *edge)
        }
        Call::Wait {
            syscall,
            fds,
            timeout,
        } => {
            let failure = |code| format!("-1 {}", error(code, words));
            let waiter = fd();
            let notation = WaitNotation {
                name: syscall.name(),
                events: ["POLLIN", "POLLOUT"],
                fd: &|w| r.waited_fd(w),
                waiter: &waiter,
            };
            let fds = r.waited_order(fds);
            return observed::wait(*syscall, &fds, *timeout, event.outcome, &notation, &failure);
        }
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

/// socket2's non-blocking switch, as strace shows its two calls:
/// `fcntl(fd, F_GETFL) = 0x2 (flags O_RDWR)` (a socket is open for reading
/// and writing), then `fcntl(fd, F_SETFL, O_RDWR|O_NONBLOCK) = 0` — which
/// socket2 leaves out when the flag was set already.
fn set_nonblocking(event: &Event, fd: &str, words: &dyn Words) -> String {
    let get = if event.mode.nonblocking {
        format!(
            "fcntl({fd}, F_GETFL) = {:#x} (flags O_RDWR|O_NONBLOCK)",
            libc::O_RDWR | libc::O_NONBLOCK
        )
    } else {
        format!("fcntl({fd}, F_GETFL) = {:#x} (flags O_RDWR)", libc::O_RDWR)
    };
    match event.outcome {
        Outcome::Returned(_) if event.mode.nonblocking => get,
        Outcome::Returned(value) => {
            format!("{get}, then fcntl({fd}, F_SETFL, O_RDWR|O_NONBLOCK) = {value}")
        }
        Outcome::Failed(code) => format!(
            "fcntl({fd}, F_SETFL, O_RDWR|O_NONBLOCK) = -1 {}",
            error(code, words)
        ),
    }
}

/// The error `SO_ERROR` held, by its name (`ECONNREFUSED`), `0` for none,
/// `?` when the call failed.
fn pending_error(pending: Option<i32>) -> String {
    match pending {
        Some(0) => "0".to_string(),
        Some(code) => {
            crate::errno::errno_name(code).map_or_else(|| code.to_string(), str::to_string)
        }
        None => "?".to_string(),
    }
}

/// The flags a call that makes a descriptor passed itself: close-on-exec
/// only where the system takes it as a flag (elsewhere socket2 sets it with
/// `fcntl` right after: [`then`]).
fn passed(flags: FdFlags) -> FdFlags {
    FdFlags {
        cloexec: flags.cloexec && FLAVOR.cloexec_flag,
        ..flags
    }
}

/// `SOCK_CLOEXEC` and `SOCK_NONBLOCK` after a socket's type, as strace
/// joins them: `|SOCK_CLOEXEC|SOCK_NONBLOCK`.
fn type_flags(flags: FdFlags) -> String {
    let mut out = String::new();
    if flags.cloexec {
        out.push_str("|SOCK_CLOEXEC");
    }
    if flags.nonblocking {
        out.push_str("|SOCK_NONBLOCK");
    }
    out
}

/// `accept4`'s flags argument: `SOCK_CLOEXEC`, `SOCK_CLOEXEC|SOCK_NONBLOCK`, `0`.
fn accept_flags(flags: FdFlags) -> String {
    match type_flags(flags).strip_prefix('|') {
        Some(names) => names.to_string(),
        None => "0".to_string(),
    }
}

/// The level an option is set at, as this system numbers it.
fn level(option: &SocketOption) -> i32 {
    match option {
        SocketOption::NoDelay(_) => libc::IPPROTO_TCP,
        SocketOption::Other { level, .. } => *level,
        SocketOption::ReuseAddress(_)
        | SocketOption::ReadTimeout(_)
        | SocketOption::WriteTimeout(_)
        | SocketOption::Linger { .. } => libc::SOL_SOCKET,
    }
}

/// An option's name, value and length as the call passed them:
/// `SO_REUSEADDR, [1], 4`, `SO_LINGER, {l_onoff=1, l_linger=0}, 8`.
fn option_value(option: &SocketOption) -> String {
    match option {
        SocketOption::ReuseAddress(on) | SocketOption::NoDelay(on) => {
            format!("{}, [{}], 4", option.name(), u8::from(*on))
        }
        SocketOption::ReadTimeout(limit) => (FLAVOR.read_timeout)(limit.unwrap_or_default()),
        SocketOption::WriteTimeout(limit) => (FLAVOR.write_timeout)(limit.unwrap_or_default()),
        SocketOption::Linger { on, seconds } => format!(
            "SO_LINGER, {{l_onoff={}, l_linger={seconds}}}, {}",
            u8::from(*on),
            std::mem::size_of::<libc::linger>()
        ),
        SocketOption::Other {
            level,
            name,
            value,
            len,
        } => observed::other_option(NAMES, (*level, *name), *value, *len),
    }
}

/// What socket2 calls on the descriptor `fd` right after `socket()` or
/// `accept()` returned it, on this system: `, then fcntl(…)` and
/// `setsockopt(SO_NOSIGPIPE)` (macOS), or nothing (Linux, FreeBSD; and
/// for a descriptor not made close-on-exec).
fn then(event: &Event, fd: &str) -> String {
    let cloexec = match &event.call {
        Call::Socket { flags, .. } => flags.cloexec,
        Call::Accept { flags, .. } => flags.is_some_and(|flags| flags.cloexec),
        _ => false,
    };
    let mut after = Vec::new();
    if cloexec && !FLAVOR.cloexec_flag {
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
