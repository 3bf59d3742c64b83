//! strace's notation for the calls and arguments that programs traced from
//! outside make and the library's own calls do not (or make one way only):
//! a socket's type flags, `accept` and `accept4`'s flags, sends and
//! receives by `write`/`read`, `writev`/`readv` and `sendmsg`/`recvmsg`,
//! the `MSG_…` flags, options other than the library's, and waits in
//! `poll` and `select`. `strace.rs` puts them in its lines; the quoting of
//! bytes and the wording of a failure are its own, passed in.

use std::time::Duration;

use crate::event::{Buffer, FdFlags, Outcome, SocketOption, Transfer, WaitCall, Waited};

/// How bytes are quoted: the first `n` of them, as strace shows them.
pub(super) type Quote = fn(&[u8], usize) -> String;

/// `SOCK_CLOEXEC` and `SOCK_NONBLOCK` after a socket's type, as strace
/// joins them: `|SOCK_CLOEXEC|SOCK_NONBLOCK`.
pub(super) fn type_flags(flags: FdFlags) -> String {
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
pub(super) fn accept_flags(flags: FdFlags) -> String {
    match type_flags(flags).strip_prefix('|') {
        Some(names) => names.to_string(),
        None => "0".to_string(),
    }
}

/// A send (`sent`: the data is what was offered) or a receive (the data is
/// what arrived, `outcome` says how much) on a connection, by the system
/// call that made it: `sendto`, `write`, `writev`, `sendmsg` and their
/// receiving twins.
pub(super) fn transfer(
    via: &Transfer,
    fd: &str,
    data: &[u8],
    size: usize,
    outcome: Outcome,
    sent: bool,
    quote: Quote,
) -> String {
    let (send_name, recv_name) = via.names();
    let name = if sent { send_name } else { recv_name };
    let moved = match outcome {
        Outcome::Returned(n) => Some(usize::try_from(n).unwrap_or(0)),
        Outcome::Failed(_) => None,
    };
    let shown = || match moved {
        Some(n) => quote(data, n),
        None => "<unfilled>".to_string(),
    };
    match via {
        Transfer::SendRecv { flags } if sent => format!(
            "{name}({fd}, {}, {size}, {}, NULL, 0)",
            shown(),
            msg_flags(*flags)
        ),
        Transfer::SendRecv { flags } => format!(
            "{name}({fd}, {}, {size}, {}, NULL, NULL)",
            shown(),
            msg_flags(*flags)
        ),
        Transfer::ReadWrite => format!("{name}({fd}, {}, {size})", shown()),
        Transfer::Vectored { buffers } => format!(
            "{name}({fd}, {}, {})",
            iovecs(buffers, moved, sent, quote),
            buffers.len()
        ),
        Transfer::Message {
            flags,
            buffers,
            msg_flags: returned,
        } => format!(
            "{name}({fd}, {{msg_name=NULL, msg_namelen=0, msg_iov={}, msg_iovlen={}, \
             msg_controllen=0, msg_flags={}}}, {})",
            iovecs(buffers, moved, sent, quote),
            buffers.len(),
            msg_flags(*returned),
            msg_flags(*flags)
        ),
    }
}

/// An array of `struct iovec` as strace prints it. A send shows each
/// buffer whole; a receive shows what arrived, buffer after buffer
/// (`moved` bytes in all; `None`: nothing was filled).
fn iovecs(buffers: &[Buffer], moved: Option<usize>, sent: bool, quote: Quote) -> String {
    let Some(mut left) = moved else {
        return "<unfilled>".to_string();
    };
    let shown: Vec<String> = buffers
        .iter()
        .map(|buffer| {
            let filled = if sent {
                buffer.len
            } else {
                let filled = left.min(buffer.len);
                left -= filled;
                filled
            };
            format!(
                "{{iov_base={}, iov_len={}}}",
                quote(&buffer.data, filled),
                buffer.len
            )
        })
        .collect();
    format!("[{}]", shown.join(", "))
}

/// `MSG_…` flags as strace names them, joined by `|`; `0` for none.
pub(super) fn msg_flags(flags: i32) -> String {
    const NAMES: &[(i32, &str)] = &[
        (libc::MSG_OOB, "MSG_OOB"),
        (libc::MSG_PEEK, "MSG_PEEK"),
        (libc::MSG_DONTROUTE, "MSG_DONTROUTE"),
        (libc::MSG_CTRUNC, "MSG_CTRUNC"),
        (libc::MSG_TRUNC, "MSG_TRUNC"),
        (libc::MSG_DONTWAIT, "MSG_DONTWAIT"),
        (libc::MSG_EOR, "MSG_EOR"),
        (libc::MSG_WAITALL, "MSG_WAITALL"),
        (libc::MSG_NOSIGNAL, "MSG_NOSIGNAL"),
        (libc::MSG_MORE, "MSG_MORE"),
        (libc::MSG_CMSG_CLOEXEC, "MSG_CMSG_CLOEXEC"),
    ];
    let mut names: Vec<String> = Vec::new();
    let mut rest = flags;
    for (bit, name) in NAMES {
        if flags & bit != 0 {
            names.push((*name).to_string());
            rest &= !bit;
        }
    }
    if rest != 0 {
        names.push(format!("{rest:#x}"));
    }
    if names.is_empty() {
        "0".to_string()
    } else {
        names.join("|")
    }
}

/// The value and length of an option a traced program set, as strace
/// prints them: `[1], 4`, `{l_onoff=1, l_linger=0}, 8`.
pub(super) fn option_value(option: &SocketOption) -> String {
    match option {
        SocketOption::ReuseAddress(on) | SocketOption::NoDelay(on) => {
            format!("[{}], 4", u8::from(*on))
        }
        SocketOption::Linger { on, seconds } => {
            format!("{{l_onoff={}, l_linger={seconds}}}, 8", u8::from(*on))
        }
        SocketOption::Other {
            value: Some(value),
            len,
            ..
        } => format!("[{value}], {len}"),
        SocketOption::Other { len, .. } => format!("<unfilled>, {len}"),
        SocketOption::ReadTimeout(_) | SocketOption::WriteTimeout(_) => String::new(),
    }
}

/// A wait as strace prints it — `poll([{fd=3, events=POLLIN}], 1, -1) = 1
/// ([{fd=3, revents=POLLIN}])`, `select(4, [3], NULL, NULL, NULL) = 1 (in
/// [3])`, `= 0 (Timeout)` when the limit passed — with the events named
/// from what was asked (`POLLIN`, `POLLOUT`) and answered (`POLLERR` for
/// an error or a hang-up), and without the time left that strace adds to
/// `select` and `ppoll`. `failure` says a failed call's result.
pub(super) fn wait(
    syscall: WaitCall,
    fds: &[Waited],
    timeout: Option<Duration>,
    outcome: Outcome,
    failure: &dyn Fn(i32) -> String,
) -> String {
    let events = |read: bool, write: bool, failed: bool| {
        let names: Vec<&str> = [(read, "POLLIN"), (write, "POLLOUT"), (failed, "POLLERR")]
            .into_iter()
            .filter_map(|(on, name)| on.then_some(name))
            .collect();
        if names.is_empty() {
            "0".to_string()
        } else {
            names.join("|")
        }
    };
    let timespec =
        |d: Duration| format!("{{tv_sec={}, tv_nsec={}}}", d.as_secs(), d.subsec_nanos());
    let (call, ready) = match syscall {
        WaitCall::Poll | WaitCall::Ppoll => {
            let asked: Vec<String> = fds
                .iter()
                .map(|w| format!("{{fd={}, events={}}}", w.fd, events(w.read, w.write, false)))
                .collect();
            let limit = match (syscall, timeout) {
                (WaitCall::Poll, None) => "-1".to_string(),
                (WaitCall::Poll, Some(d)) => d.as_millis().to_string(),
                (_, None) => "NULL, NULL, 8".to_string(),
                (_, Some(d)) => format!("{}, NULL, 8", timespec(d)),
            };
            let call = format!(
                "{}([{}], {}, {limit})",
                syscall.name(),
                asked.join(", "),
                fds.len()
            );
            let ready: Vec<String> = fds
                .iter()
                .filter(|w| w.readable || w.writable || w.failed)
                .map(|w| {
                    let revents = events(w.readable, w.writable, w.failed);
                    format!("{{fd={}, revents={revents}}}", w.fd)
                })
                .collect();
            (call, format!("[{}]", ready.join(", ")))
        }
        WaitCall::Select | WaitCall::Pselect6 => {
            let set = |pick: fn(&Waited) -> bool| {
                let fds: Vec<String> = fds
                    .iter()
                    .filter(|w| pick(w))
                    .map(|w| w.fd.to_string())
                    .collect();
                (!fds.is_empty()).then(|| format!("[{}]", fds.join(" ")))
            };
            let nfds = fds.iter().map(|w| w.fd).max().map_or(0, |max| max + 1);
            let limit = match (syscall, timeout) {
                (WaitCall::Select, None) => "NULL".to_string(),
                (WaitCall::Select, Some(d)) => {
                    format!("{{tv_sec={}, tv_usec={}}}", d.as_secs(), d.subsec_micros())
                }
                (_, None) => "NULL, NULL".to_string(),
                (_, Some(d)) => format!("{}, NULL", timespec(d)),
            };
            let null = || "NULL".to_string();
            let call = format!(
                "{}({nfds}, {}, {}, NULL, {limit})",
                syscall.name(),
                set(|w| w.read).unwrap_or_else(null),
                set(|w| w.write).unwrap_or_else(null)
            );
            let ready: Vec<String> = [
                set(|w| w.readable).map(|fds| format!("in {fds}")),
                set(|w| w.writable).map(|fds| format!("out {fds}")),
            ]
            .into_iter()
            .flatten()
            .collect();
            (call, ready.join(", "))
        }
    };
    match outcome {
        Outcome::Returned(0) => format!("{call} = 0 (Timeout)"),
        Outcome::Returned(n) => format!("{call} = {n} ({ready})"),
        Outcome::Failed(errno) => format!("{call} = {}", failure(errno)),
    }
}

/// The level argument of `setsockopt`, as strace names it.
pub(super) fn option_level(option: &SocketOption) -> String {
    let level = match option {
        SocketOption::NoDelay(_) => libc::IPPROTO_TCP,
        SocketOption::Other { level, .. } => *level,
        _ => libc::SOL_SOCKET,
    };
    match level {
        libc::SOL_SOCKET => "SOL_SOCKET".to_string(),
        libc::IPPROTO_TCP => "SOL_TCP".to_string(),
        libc::IPPROTO_IP => "SOL_IP".to_string(),
        libc::IPPROTO_IPV6 => "SOL_IPV6".to_string(),
        other => other.to_string(),
    }
}
