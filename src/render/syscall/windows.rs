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
                SocketOption::ReadTimeout(timeout) => timeout.map_or(0, |t| t.as_millis()),
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
        Call::Send { data, len }
        | Call::SendTo {
            data,
            len,
            to: None,
        } => {
            format!("send({}, {}, {len}, 0)", s(), quote(data, *len))
        }
        Call::SendTo {
            data,
            len,
            to: Some(to),
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
