//! The notation of what programs traced from outside do and the library's
//! own calls do not (or do one way only): sends and receives by
//! `write`/`read`, `writev`/`readv` and `sendmsg`/`recvmsg`, the `MSG_…`
//! flags, options other than the library's, and waits in `poll` and
//! `select` — in strace's notation, with the numbers named by the system's
//! own table ([`Names`]: each system's file has one). The calls are
//! Linux's (only there is a program traced); the other systems render
//! them alike. (A socket's and `accept4`'s `SOCK_…` flags are unix's:
//! `unix.rs` writes them.)

use std::time::Duration;

use super::c::quote;
use crate::event::{Buffer, Outcome, Transfer, WaitCall, Waited};

/// A system's names for its numbers, as its headers give them (and, on
/// Linux, as strace prints them).
pub(super) struct Names {
    /// `MSG_…` flags: each bit and its name.
    pub(super) msg: &'static [(i32, &'static str)],
    /// `setsockopt` levels: each number and its name (`SOL_SOCKET`, …).
    pub(super) levels: &'static [(i32, &'static str)],
    /// Options the library does not set: level, number, name.
    pub(super) options: &'static [(i32, i32, &'static str)],
}

/// The name of the option `name` at `level`; `"?"` for one the system's
/// table does not have.
pub(super) fn option_name(names: &Names, level: i32, name: i32) -> &'static str {
    names
        .options
        .iter()
        .find(|(l, n, _)| *l == level && *n == name)
        .map_or("?", |(_, _, text)| text)
}

/// A `setsockopt` level by its name, or its number.
pub(super) fn level_name(names: &Names, level: i32) -> String {
    names
        .levels
        .iter()
        .find(|(number, _)| *number == level)
        .map_or_else(|| level.to_string(), |(_, name)| (*name).to_string())
}

/// An option the library does not set, as the call passed it: its name
/// (or number), value and length — `SO_KEEPALIVE, [1], 4`; a value that
/// is not one `int` is `<unfilled>`.
pub(super) fn other_option(
    names: &Names,
    (level, name): (i32, i32),
    value: Option<i32>,
    len: u32,
) -> String {
    let shown = match option_name(names, level, name) {
        "?" => name.to_string(),
        known => known.to_string(),
    };
    match value {
        Some(value) => format!("{shown}, [{value}], {len}"),
        None => format!("{shown}, <unfilled>, {len}"),
    }
}

/// `MSG_…` flags by the system's names, joined by `|` (a bit it does not
/// name in hexadecimal); `0` for none.
pub(super) fn msg_flags(names: &Names, flags: i32) -> String {
    let mut shown: Vec<String> = Vec::new();
    let mut rest = flags;
    for (bit, name) in names.msg {
        if flags & bit != 0 {
            shown.push((*name).to_string());
            rest &= !bit;
        }
    }
    if rest != 0 {
        shown.push(format!("{rest:#x}"));
    }
    if shown.is_empty() {
        "0".to_string()
    } else {
        shown.join("|")
    }
}

/// The system call of a transfer: the send's (`sent`) or the receive's,
/// as the kernel names it.
pub(super) fn transfer_name(via: &Transfer, sent: bool) -> &'static str {
    let (send, receive) = match via {
        Transfer::SendRecv { .. } => ("sendto", "recvfrom"),
        Transfer::ReadWrite => ("write", "read"),
        Transfer::Vectored { .. } => ("writev", "readv"),
        Transfer::Message { .. } => ("sendmsg", "recvmsg"),
    };
    if sent { send } else { receive }
}

/// A send (`sent`: the data is what was offered, shown whole) or a
/// receive (the data is what arrived, `outcome` says how much) on a
/// connection, by the system call that made it: `sendto`, `write`,
/// `writev`, `sendmsg` and their receiving twins; its result is the
/// caller's.
pub(super) fn transfer(
    names: &Names,
    via: &Transfer,
    fd: &str,
    (data, size): (&[u8], usize),
    outcome: Outcome,
    sent: bool,
) -> String {
    let name = transfer_name(via, sent);
    let moved = match outcome {
        Outcome::Returned(n) => Some(usize::try_from(n).unwrap_or(0)),
        Outcome::Failed(_) => None,
    };
    let shown = || match (sent, moved) {
        (true, _) => quote(data, size),
        (false, Some(n)) => quote(data, n),
        (false, None) => "<unfilled>".to_string(),
    };
    match via {
        Transfer::SendRecv { flags } if sent => format!(
            "{name}({fd}, {}, {size}, {}, NULL, 0)",
            shown(),
            msg_flags(names, *flags)
        ),
        Transfer::SendRecv { flags } => format!(
            "{name}({fd}, {}, {size}, {}, NULL, NULL)",
            shown(),
            msg_flags(names, *flags)
        ),
        Transfer::ReadWrite => format!("{name}({fd}, {}, {size})", shown()),
        Transfer::Vectored { buffers } => format!(
            "{name}({fd}, {}, {})",
            iovecs(buffers, moved, sent),
            buffers.len()
        ),
        Transfer::Message {
            flags,
            buffers,
            msg_flags: returned,
        } => format!(
            "{name}({fd}, {{msg_name=NULL, msg_namelen=0, msg_iov={}, msg_iovlen={}, \
             msg_controllen=0, msg_flags={}}}, {})",
            iovecs(buffers, moved, sent),
            buffers.len(),
            msg_flags(names, *returned),
            msg_flags(names, *flags)
        ),
    }
}

/// An array of `struct iovec` as strace prints it. A send shows each
/// buffer whole; a receive shows what arrived, buffer after buffer
/// (`moved` bytes in all; `None`: nothing was filled).
fn iovecs(buffers: &[Buffer], moved: Option<usize>, sent: bool) -> String {
    let left = if sent { Some(usize::MAX) } else { moved };
    let Some(mut left) = left else {
        return "<unfilled>".to_string();
    };
    let shown: Vec<String> = buffers
        .iter()
        .map(|buffer| {
            let filled = left.min(buffer.len);
            left -= filled;
            format!(
                "{{iov_base={}, iov_len={}}}",
                quote(&buffer.data, filled),
                buffer.len
            )
        })
        .collect();
    format!("[{}]", shown.join(", "))
}

/// How one system writes a wait: the call's name (`poll`; Windows'
/// `WSAPoll`), the names of its read and write events (`POLLIN`,
/// `POLLOUT`; Windows' `POLLRDNORM`, `POLLWRNORM`), and each descriptor
/// (its number, or `<fd LABEL>` in the canonical form).
pub(super) struct WaitNotation<'a> {
    pub(super) name: &'a str,
    pub(super) events: [&'a str; 2],
    pub(super) fd: &'a dyn Fn(&Waited) -> String,
    /// The waiter's own descriptor (an epoll instance's), as shown.
    pub(super) waiter: &'a str,
}

/// At most this many descriptors of a wait are shown, then `...`, as
/// strace shows arrays (its `-s 32`).
const SHOWN: usize = 32;

/// A wait as strace prints it — `poll([{fd=3, events=POLLIN}], 1, -1) = 1
/// ([{fd=3, revents=POLLIN}])`, `select(4, [3], NULL, NULL, NULL) = 1 (in
/// [3])`, `= 0 (Timeout)` when the limit passed — with the events named
/// from what was asked (`POLLIN`, `POLLOUT`) and answered (`POLLERR` for
/// an error, `POLLHUP` for a hang-up), the first 32 descriptors of a long
/// array then `...`, and without the time left that strace adds to
/// `select` and `ppoll`. `failure` says a failed call's result.
pub(super) fn wait(
    syscall: WaitCall,
    fds: &[Waited],
    timeout: Option<Duration>,
    outcome: Outcome,
    notation: &WaitNotation,
    failure: &dyn Fn(i32) -> String,
) -> String {
    let [read_name, write_name] = notation.events;
    let events = |read: bool, write: bool, failed: bool, hung_up: bool| {
        let names: Vec<&str> = [
            (read, read_name),
            (write, write_name),
            (failed, "POLLERR"),
            (hung_up, "POLLHUP"),
        ]
        .into_iter()
        .filter_map(|(on, name)| on.then_some(name))
        .collect();
        if names.is_empty() {
            "0".to_string()
        } else {
            names.join("|")
        }
    };
    let array = |entries: Vec<String>| {
        let more = entries.len() > SHOWN;
        let mut shown: Vec<String> = entries.into_iter().take(SHOWN).collect();
        if more {
            shown.push("...".to_string());
        }
        format!("[{}]", shown.join(", "))
    };
    let timespec =
        |d: Duration| format!("{{tv_sec={}, tv_nsec={}}}", d.as_secs(), d.subsec_nanos());
    let (call, ready) = match syscall {
        WaitCall::Poll | WaitCall::Ppoll => {
            let asked: Vec<String> = fds
                .iter()
                .map(|w| {
                    let asked = events(w.read, w.write, false, false);
                    format!("{{fd={}, events={asked}}}", (notation.fd)(w))
                })
                .collect();
            let limit = match (syscall, timeout) {
                (WaitCall::Poll, None) => "-1".to_string(),
                (WaitCall::Poll, Some(d)) => d.as_millis().to_string(),
                (_, None) => "NULL, NULL, 8".to_string(),
                (_, Some(d)) => format!("{}, NULL, 8", timespec(d)),
            };
            let call = format!(
                "{}({}, {}, {limit})",
                notation.name,
                array(asked),
                fds.len()
            );
            let ready: Vec<String> = fds
                .iter()
                .filter(|w| w.readable || w.writable || w.failed || w.hung_up)
                .map(|w| {
                    let revents = events(w.readable, w.writable, w.failed, w.hung_up);
                    format!("{{fd={}, revents={revents}}}", (notation.fd)(w))
                })
                .collect();
            (call, array(ready))
        }
        WaitCall::EpollWait { max_events } => {
            let ready: Vec<String> = fds
                .iter()
                .map(|w| {
                    let events = epoll_events(w.readable, w.writable, false)
                        .into_iter()
                        .chain(w.failed.then_some("EPOLLERR"))
                        .chain(w.hung_up.then_some("EPOLLHUP"))
                        .collect::<Vec<_>>()
                        .join("|");
                    epoll_event(&events, &(notation.fd)(w))
                })
                .collect();
            let limit = timeout.map_or_else(|| "-1".to_string(), |d| d.as_millis().to_string());
            let call = format!(
                "{}({}, {}, {max_events}, {limit})",
                notation.name,
                notation.waiter,
                array(ready)
            );
            return match outcome {
                Outcome::Returned(n) => format!("{call} = {n}"),
                Outcome::Failed(code) => format!("{call} = {}", failure(code)),
            };
        }
        WaitCall::Select | WaitCall::Pselect6 => {
            let set = |pick: fn(&Waited) -> bool| {
                let fds: Vec<String> = fds
                    .iter()
                    .filter(|w| pick(w))
                    .map(|w| (notation.fd)(w))
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
                notation.name,
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
        Outcome::Failed(code) => format!("{call} = {}", failure(code)),
    }
}

/// The names of an epoll registration's or report's events: `EPOLLIN`,
/// `EPOLLOUT`, `EPOLLET`.
fn epoll_events(read: bool, write: bool, edge: bool) -> Vec<&'static str> {
    [(read, "EPOLLIN"), (write, "EPOLLOUT"), (edge, "EPOLLET")]
        .into_iter()
        .filter_map(|(on, name)| on.then_some(name))
        .collect()
}

/// `{events=EPOLLIN, data={u32=FD, u64=FD}}`: the library registers each
/// socket with its descriptor as the data.
fn epoll_event(events: &str, fd: &str) -> String {
    let events = if events.is_empty() { "0" } else { events };
    format!("{{events={events}, data={{u32={fd}, u64={fd}}}}}")
}

/// `epoll_ctl(epfd, EPOLL_CTL_ADD, fd, {events=…, data=…})`, as strace
/// prints it; `epfd` and `fd` as the rendering shows descriptors.
pub(super) fn epoll_add(epfd: &str, fd: &str, target: &Waited, edge: bool) -> String {
    let events = epoll_events(target.read, target.write, edge).join("|");
    format!(
        "epoll_ctl({epfd}, EPOLL_CTL_ADD, {fd}, {})",
        epoll_event(&events, fd)
    )
}
