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

use super::c::{
    address, error, family, filled, how, kind, lookup, made, quote, received, returned,
};
use crate::event::{Call, Event, Outcome, SocketOption};
use crate::render::redact::Redaction;
use crate::render::words::Words;

/// No system call: the name of the call, as Winsock's API names it.
pub(crate) fn name(call: &Call) -> &'static str {
    match call {
        Call::Socket { .. } => "WSASocketW",
        Call::SetOption { .. } => "setsockopt",
        Call::Bind { .. } => "bind",
        Call::Listen { .. } => "listen",
        Call::Accept { .. } => "accept",
        Call::Connect { .. } => "connect",
        Call::Send { .. } | Call::SendTo { to: None, .. } => "send",
        Call::SendTo { .. } => "sendto",
        Call::Recv { .. } => "recv",
        Call::RecvFrom { .. } => "recvfrom",
        Call::Shutdown { .. } => "shutdown",
        Call::Close { .. } => "closesocket",
        Call::KernelLookup { .. } => "kernel lookup",
    }
}

/// The call of `event` with its arguments and result.
pub(crate) fn call(event: &Event, r: &Redaction, words: &dyn Words) -> String {
    let s = || r.fd(event.fd, &event.socket);
    let call = match &event.call {
        Call::Socket {
            family: f,
            transport,
        } => {
            let (kind, protocol) = kind(*transport);
            format!(
                "WSASocketW({}, {kind}, {protocol}, NULL, 0, WSA_FLAG_OVERLAPPED|WSA_FLAG_NO_HANDLE_INHERIT)",
                family(*f)
            )
        }
        Call::SetOption { option } => {
            let value = match option {
                SocketOption::ReuseAddress(on) => u128::from(*on),
                // A DWORD of milliseconds; 0 waits forever.
                SocketOption::ReadTimeout(timeout) | SocketOption::WriteTimeout(timeout) => {
                    timeout.map_or(0, |t| t.as_millis())
                }
            };
            format!(
                "setsockopt({}, SOL_SOCKET, {}, [{value}], 4)",
                s(),
                option.name()
            )
        }
        Call::Bind { addr } => format!("bind({}, {})", s(), address(addr, r)),
        Call::Listen { backlog } => format!("listen({}, {backlog})", s()),
        Call::Accept { peer, .. } => {
            format!("accept({}, {})", s(), filled(peer.as_ref(), event, r))
        }
        Call::Connect { addr } => format!("connect({}, {})", s(), address(addr, r)),
        Call::Send { data, len, .. }
        | Call::SendTo {
            data,
            len,
            to: None,
            ..
        } => {
            format!("send({}, {}, {len}, 0)", s(), quote(data, *len))
        }
        Call::SendTo {
            data,
            len,
            to: Some(to),
            ..
        } => format!(
            "sendto({}, {}, {len}, 0, {})",
            s(),
            quote(data, *len),
            address(to, r)
        ),
        Call::Recv { data, capacity, .. } => format!(
            "recv({}, {}, {capacity}, 0)",
            s(),
            received(event, data, usize::MAX)
        ),
        Call::RecvFrom {
            data,
            capacity,
            from,
            ..
        } => format!(
            "recvfrom({}, {}, {capacity}, 0, {})",
            s(),
            received(event, data, *capacity),
            filled(from.as_ref(), event, r)
        ),
        Call::Shutdown { how: h } => format!(
            "shutdown({}, {})",
            s(),
            how(*h, ["SD_RECEIVE", "SD_SEND", "SD_BOTH"])
        ),
        Call::Close { .. } => format!("closesocket({})", s()),
        Call::KernelLookup { .. } => return lookup(event, r, words),
    };
    match event.outcome {
        Outcome::Returned(value) => {
            let result = returned(event, value, r);
            // An accepted socket is kept from child processes afterwards
            // (WSASocketW's flag did it for the others).
            let inherit = match (&event.call, made(event, value, r)) {
                (Call::Accept { .. }, Some(s)) => {
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

#[cfg(test)]
mod tests {
    //! Run on Windows (under wine, by `.ci/cross`): Winsock's names and
    //! results, and Windows' own error numbers.

    use std::net::Shutdown;
    use std::sync::Arc;
    use std::time::Duration;

    use super::*;
    use crate::errno::Errno;
    use crate::event::{Family, Mode, StateName, Transport};
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
}
