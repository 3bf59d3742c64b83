//! Windows: each call as Winsock's API names it, with the arguments
//! socket2 0.6 really passes — `WSASocketW(…, WSA_FLAG_OVERLAPPED|
//! WSA_FLAG_NO_HANDLE_INHERIT)`, `accept` (then `SetHandleInformation` to
//! keep the new socket from child processes), `send` and `recv` with no
//! flags, `SO_RCVTIMEO` as a `DWORD` of milliseconds, `shutdown(s,
//! SD_SEND)`, `closesocket`. A failure is `SOCKET_ERROR` (or
//! `INVALID_SOCKET`) and the code `WSAGetLastError()` gives.
//!
//! There is no strace on Windows: the notation is strace's, the calls are
//! Winsock's. socket2 reports a `recv` that Winsock failed with
//! `WSAESHUTDOWN` (after this side's `shutdown(SD_RECEIVE)`) as 0 bytes,
//! and so does the trace.

use windows_sys::Win32::Networking::WinSock as ws;

use super::c::{
    address, error, family, filled, how, kind, lookup, made, quote, received, returned,
};
use super::observed::{self, Names, WaitNotation, level_name, msg_flags, transfer, transfer_name};
use crate::event::{Call, Event, Outcome, SocketOption, Transfer};
use crate::render::redact::Redaction;
use crate::render::words::Words;

/// Winsock's names of its numbers.
pub(super) const NAMES: &Names = &Names {
    msg: &[
        (ws::MSG_OOB, "MSG_OOB"),
        (ws::MSG_PEEK, "MSG_PEEK"),
        (ws::MSG_DONTROUTE, "MSG_DONTROUTE"),
        (ws::MSG_WAITALL, "MSG_WAITALL"),
    ],
    levels: &[
        (ws::SOL_SOCKET, "SOL_SOCKET"),
        (ws::IPPROTO_TCP, "IPPROTO_TCP"),
        (ws::IPPROTO_IP, "IPPROTO_IP"),
        (ws::IPPROTO_IPV6, "IPPROTO_IPV6"),
    ],
    options: &[
        (ws::SOL_SOCKET, ws::SO_KEEPALIVE, "SO_KEEPALIVE"),
        (ws::SOL_SOCKET, ws::SO_BROADCAST, "SO_BROADCAST"),
        (ws::SOL_SOCKET, ws::SO_SNDBUF, "SO_SNDBUF"),
        (ws::SOL_SOCKET, ws::SO_RCVBUF, "SO_RCVBUF"),
        (ws::SOL_SOCKET, ws::SO_OOBINLINE, "SO_OOBINLINE"),
        (ws::IPPROTO_IPV6, ws::IPV6_V6ONLY, "IPV6_V6ONLY"),
    ],
};

/// No system call: the name of the call, as Winsock's API names it.
pub(crate) fn name(call: &Call) -> &'static str {
    match call {
        Call::Socket { .. } => "WSASocketW",
        Call::SetOption { .. } => "setsockopt",
        Call::Bind { .. } => "bind",
        Call::Listen { .. } => "listen",
        Call::Accept { .. } => "accept",
        Call::Connect { .. } => "connect",
        Call::Send {
            via: Transfer::SendRecv { .. },
            ..
        }
        | Call::SendTo { to: None, .. } => "send",
        Call::Send { via, .. } => transfer_name(via, true),
        Call::SendTo { .. } => "sendto",
        Call::Recv {
            via: Transfer::SendRecv { .. },
            ..
        } => "recv",
        Call::Recv { via, .. } => transfer_name(via, false),
        Call::RecvFrom { .. } => "recvfrom",
        Call::Shutdown { .. } => "shutdown",
        Call::Close { .. } => "closesocket",
        Call::SetNonblocking => "ioctlsocket",
        Call::TakeError { .. } => "getsockopt",
        // Linux's alone: never made here.
        Call::EpollCreate => "epoll_create1",
        Call::EpollAdd { .. } => "epoll_ctl",
        // No Windows program is traced: a wait here is the library's own.
        Call::Wait { .. } => "WSAPoll",
        Call::KernelLookup { .. } => "kernel lookup",
    }
}

/// The call of `event` with its arguments and result. What only a program
/// traced on Linux does (`write`, `readv`, `sendmsg`, a wait in `poll`) is
/// written as `observed.rs` writes it; no Windows program is traced.
pub(crate) fn call(event: &Event, r: &Redaction, words: &dyn Words) -> String {
    let s = || r.fd(event.fd, &event.socket);
    let call = match &event.call {
        Call::Socket {
            family: f,
            transport,
            flags,
            protocol_zero,
        } => {
            let (kind, protocol) = kind(*transport, *protocol_zero);
            // Close-on-exec is Windows' "not inherited"; a non-blocking
            // socket is made so by a later ioctlsocket, not by this call.
            let inherit = if flags.cloexec {
                "|WSA_FLAG_NO_HANDLE_INHERIT"
            } else {
                ""
            };
            format!(
                "WSASocketW({}, {kind}, {protocol}, NULL, 0, WSA_FLAG_OVERLAPPED{inherit})",
                family(*f)
            )
        }
        Call::SetOption { option } => format!("setsockopt({}, {})", s(), option_value(option)),
        Call::Bind { addr } => format!("bind({}, {})", s(), address(addr, r)),
        Call::Listen { backlog } => format!("listen({}, {backlog})", s()),
        Call::Accept { peer, addr_len, .. } => format!(
            "accept({}, {})",
            s(),
            filled(peer.as_ref(), *addr_len, event, r)
        ),
        Call::Connect { addr } => format!("connect({}, {})", s(), address(addr, r)),
        Call::Send {
            data,
            len,
            via: Transfer::SendRecv { flags },
        }
        | Call::SendTo {
            data,
            len,
            flags,
            to: None,
        } => format!(
            "send({}, {}, {len}, {})",
            s(),
            quote(data, *len),
            msg_flags(NAMES, *flags)
        ),
        Call::Send { data, len, via } => {
            transfer(NAMES, via, &s(), (data, *len), event.outcome, true)
        }
        Call::SendTo {
            data,
            len,
            flags,
            to: Some(to),
        } => format!(
            "sendto({}, {}, {len}, {}, {})",
            s(),
            quote(data, *len),
            msg_flags(NAMES, *flags),
            address(to, r)
        ),
        Call::Recv {
            data,
            capacity,
            via: Transfer::SendRecv { flags },
            ..
        } => format!(
            "recv({}, {}, {capacity}, {})",
            s(),
            received(event, data, usize::MAX),
            msg_flags(NAMES, *flags)
        ),
        Call::Recv {
            data,
            capacity,
            via,
            ..
        } => transfer(NAMES, via, &s(), (data, *capacity), event.outcome, false),
        Call::RecvFrom {
            data,
            capacity,
            from,
            addr_len,
            ..
        } => format!(
            "recvfrom({}, {}, {capacity}, 0, {})",
            s(),
            received(event, data, *capacity),
            filled(from.as_ref(), *addr_len, event, r)
        ),
        Call::Shutdown { how: h } => format!(
            "shutdown({}, {})",
            s(),
            how(*h, ["SD_RECEIVE", "SD_SEND", "SD_BOTH"])
        ),
        Call::Close { .. } => format!("closesocket({})", s()),
        Call::SetNonblocking => format!("ioctlsocket({}, FIONBIO, [1])", s()),
        Call::TakeError { pending } => {
            let pending = match pending {
                Some(0) => "0".to_string(),
                Some(code) => {
                    crate::errno::errno_name(*code).map_or_else(|| code.to_string(), str::to_string)
                }
                None => "?".to_string(),
            };
            format!(
                "getsockopt({}, SOL_SOCKET, SO_ERROR, [{pending}], [4])",
                s()
            )
        }
        Call::EpollCreate => "epoll_create1(EPOLL_CLOEXEC)".to_string(),
        Call::EpollAdd { target, edge } => {
            observed::epoll_add(&s(), &r.waited_fd(target), target, *edge)
        }
        Call::Wait {
            syscall,
            fds,
            timeout,
        } => {
            let failure =
                |code| format!("SOCKET_ERROR; WSAGetLastError() = {}", error(code, words));
            let waiter = s();
            let notation = WaitNotation {
                name: "WSAPoll",
                events: ["POLLRDNORM", "POLLWRNORM"],
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
            let result = returned(event, value, r);
            // An accepted socket is kept from child processes afterwards
            // (WSASocketW's flag did it for the others).
            let inherit = match (&event.call, made(event, value, r)) {
                (Call::Accept { flags, .. }, Some(s)) if flags.is_some_and(|f| f.cloexec) => {
                    format!(", then SetHandleInformation({s}, HANDLE_FLAG_INHERIT, 0)")
                }
                _ => String::new(),
            };
            format!("{call} = {result}{inherit}")
        }
        Outcome::Failed(code) => {
            let failed = match &event.call {
                Call::Socket { .. } | Call::Accept { .. } => "INVALID_SOCKET",
                _ => "SOCKET_ERROR",
            };
            format!(
                "{call} = {failed}; WSAGetLastError() = {}",
                error(code, words)
            )
        }
    }
}

/// An option's level, name, value and length as the call passed them: a
/// `BOOL` or `DWORD` (`SO_RCVTIMEO` and `SO_SNDTIMEO` in milliseconds, 0
/// waiting forever), a `struct linger` of two `u_short`s.
fn option_value(option: &SocketOption) -> String {
    let level = |level| level_name(NAMES, level);
    let dword = |value: u128| format!("{}, {}, [{value}], 4", level(ws::SOL_SOCKET), option.name());
    match option {
        SocketOption::ReuseAddress(on) => dword(u128::from(*on)),
        SocketOption::ReadTimeout(limit) | SocketOption::WriteTimeout(limit) => {
            dword(limit.map_or(0, |t| t.as_millis()))
        }
        SocketOption::Linger { on, seconds } => format!(
            "{}, SO_LINGER, {{l_onoff={}, l_linger={seconds}}}, 4",
            level(ws::SOL_SOCKET),
            u8::from(*on)
        ),
        SocketOption::NoDelay(on) => format!(
            "{}, TCP_NODELAY, [{}], 4",
            level(ws::IPPROTO_TCP),
            u8::from(*on)
        ),
        SocketOption::Other {
            level: at,
            name,
            value,
            len,
        } => format!(
            "{}, {}",
            level(*at),
            observed::other_option(NAMES, (*at, *name), *value, *len)
        ),
    }
}

#[cfg(test)]
mod tests {
    //! Run on Windows (under wine, by `.ci/cross`): Winsock's names and
    //! results, and Windows' own error numbers.

    use std::net::Shutdown;
    use std::sync::Arc;
    use std::time::Duration;

    use super::*;
    use crate::errno::Errno;
    use crate::event::{Family, FdFlags, Mode, StateName, Transport};
    use crate::lang::Lang;
    use crate::render::words::words;

    fn event(call: Call, outcome: Outcome) -> Event {
        Event {
            seq: 1,
            thread: Arc::from("main"),
            socket: Arc::from("cliente"),
            transport: Transport::Tcp,
            family: Family::V4,
            fd: Some(244),
            call,
            outcome,
            before: Some(StateName::Created),
            after: Some(StateName::Created),
            mode: Mode::default(),
            tcp: None,
            local: None,
            peer: None,
        }
    }

    fn line(call: Call, outcome: Outcome) -> String {
        super::call(&event(call, outcome), &Redaction::none(), words(Lang::En))
    }

    #[test]
    fn windows_calls_are_winsock_s() {
        let socket = Call::Socket {
            family: Family::V4,
            transport: Transport::Tcp,
            flags: FdFlags {
                cloexec: true,
                nonblocking: false,
            },
            protocol_zero: false,
        };
        assert_eq!(
            line(socket, Outcome::Returned(244)),
            "WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED|WSA_FLAG_NO_HANDLE_INHERIT) = 244"
        );
        let refused = Errno::ECONNREFUSED.code().map(Outcome::Failed);
        assert_eq!(refused, Some(Outcome::Failed(10061)));
        let connect = Call::Connect {
            addr: "127.0.0.1:8888".parse().unwrap(),
        };
        assert_eq!(
            line(connect, refused.unwrap()),
            "connect(244, {sa_family=AF_INET, sin_port=htons(8888), sin_addr=inet_addr(\"127.0.0.1\")}, 16) = SOCKET_ERROR; WSAGetLastError() = WSAECONNREFUSED (Connection refused)"
        );
        let timeout = Call::SetOption {
            option: SocketOption::ReadTimeout(Some(Duration::from_millis(2500))),
        };
        assert_eq!(
            line(timeout, Outcome::Returned(0)),
            "setsockopt(244, SOL_SOCKET, SO_RCVTIMEO, [2500], 4) = 0"
        );
        let shutdown = Call::Shutdown {
            how: Shutdown::Write,
        };
        assert_eq!(
            line(shutdown, Outcome::Returned(0)),
            "shutdown(244, SD_SEND) = 0"
        );
        let close = Call::Close {
            unread: None,
            before: None,
            after: None,
        };
        assert_eq!(line(close, Outcome::Returned(0)), "closesocket(244) = 0");
    }

    #[test]
    fn flags_and_options_by_winsock_s_names() {
        let send = |flags| Call::Send {
            data: b"ola".to_vec(),
            len: 3,
            via: Transfer::SendRecv { flags },
        };
        assert_eq!(
            line(send(0), Outcome::Returned(3)),
            "send(244, \"ola\", 3, 0) = 3"
        );
        assert_eq!(
            line(send(ws::MSG_OOB | 0x4000), Outcome::Returned(3)),
            "send(244, \"ola\", 3, MSG_OOB|0x4000) = 3"
        );
        let set = |option| line(Call::SetOption { option }, Outcome::Returned(0));
        assert_eq!(
            set(SocketOption::NoDelay(true)),
            "setsockopt(244, IPPROTO_TCP, TCP_NODELAY, [1], 4) = 0"
        );
        assert_eq!(
            set(SocketOption::Linger {
                on: true,
                seconds: 0
            }),
            "setsockopt(244, SOL_SOCKET, SO_LINGER, {l_onoff=1, l_linger=0}, 4) = 0"
        );
        let keepalive = SocketOption::Other {
            level: ws::SOL_SOCKET,
            name: ws::SO_KEEPALIVE,
            value: Some(1),
            len: 4,
        };
        assert_eq!(keepalive.name(), "SO_KEEPALIVE");
        assert_eq!(
            set(keepalive),
            "setsockopt(244, SOL_SOCKET, SO_KEEPALIVE, [1], 4) = 0"
        );
    }

    #[test]
    fn windows_errors_have_their_posix_meanings() {
        for (code, errno) in [
            (10035, Errno::EWOULDBLOCK),
            (10048, Errno::EADDRINUSE),
            (10053, Errno::ECONNABORTED),
            (10054, Errno::ECONNRESET),
            (10058, Errno::ESHUTDOWN),
            (10060, Errno::ETIMEDOUT),
        ] {
            assert_eq!(Errno::of(code), Some(errno), "{code}");
        }
        assert_eq!(Errno::EPIPE.code(), None);
    }

    /// The non-blocking steps by Winsock's names: `ioctlsocket(FIONBIO)`,
    /// `WSAPoll` with its own event names, a refusal read from `SO_ERROR`.
    #[test]
    fn nonblocking_steps_are_winsock_s() {
        use crate::event::{WaitCall, Waited};

        assert_eq!(
            line(Call::SetNonblocking, Outcome::Returned(0)),
            "ioctlsocket(244, FIONBIO, [1]) = 0"
        );
        let refused = Errno::ECONNREFUSED.code().expect("WSAECONNREFUSED");
        assert_eq!(
            line(
                Call::TakeError {
                    pending: Some(refused)
                },
                Outcome::Returned(0)
            ),
            "getsockopt(244, SOL_SOCKET, SO_ERROR, [WSAECONNREFUSED], [4]) = 0"
        );
        let wait = Call::Wait {
            syscall: WaitCall::Poll,
            fds: vec![Waited {
                fd: 244,
                read: true,
                readable: true,
                ..Waited::default()
            }],
            timeout: None,
        };
        assert_eq!(
            line(wait, Outcome::Returned(1)),
            "WSAPoll([{fd=244, events=POLLRDNORM}], 1, -1) = 1 ([{fd=244, revents=POLLRDNORM}])"
        );
    }
}
