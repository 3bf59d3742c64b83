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

use std::net::Shutdown;

use super::c::{error, lookup, quote, received, returned, sockaddr, sockaddr_len};
use crate::event::{Call, Event, Family, Outcome, SocketOption, Transport};
use crate::kernel::Descriptor;
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
        Call::Socket { family, transport } => format!(
            "WSASocketW({}, {}, NULL, 0, WSA_FLAG_OVERLAPPED|WSA_FLAG_NO_HANDLE_INHERIT)",
            match family {
                Family::V4 => "AF_INET",
                Family::V6 => "AF_INET6",
            },
            match transport {
                Transport::Tcp => "SOCK_STREAM, IPPROTO_TCP",
                Transport::Udp => "SOCK_DGRAM, IPPROTO_UDP",
            }
        ),
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
        Call::Bind { addr } => format!(
            "bind({}, {}, {})",
            s(),
            sockaddr(addr, r),
            sockaddr_len(addr)
        ),
        Call::Listen { backlog } => format!("listen({}, {backlog})", s()),
        Call::Accept { peer, .. } => match peer {
            Some(peer) => format!(
                "accept({}, {}, [128 => {}])",
                s(),
                sockaddr(peer, r),
                sockaddr_len(peer)
            ),
            None => format!("accept({}, <unfilled>, [128])", s()),
        },
        Call::Connect { addr } => format!(
            "connect({}, {}, {})",
            s(),
            sockaddr(addr, r),
            sockaddr_len(addr)
        ),
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
            "sendto({}, {}, {len}, 0, {}, {})",
            s(),
            quote(data, *len),
            sockaddr(to, r),
            sockaddr_len(to)
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
            format!("recvfrom({}, {shown}, {capacity}, 0, {addr}, {len})", s())
        }
        Call::Shutdown { how } => format!(
            "shutdown({}, {})",
            s(),
            match how {
                Shutdown::Read => "SD_RECEIVE",
                Shutdown::Write => "SD_SEND",
                Shutdown::Both => "SD_BOTH",
            }
        ),
        Call::Close { .. } => format!("closesocket({})", s()),
        Call::KernelLookup { .. } => return lookup(event, r, words),
    };
    match event.outcome {
        Outcome::Returned(value) => {
            let result = returned(event, value, r);
            let inherit = match &event.call {
                Call::Accept {
                    child: Some(child), ..
                } => {
                    let made = r.fd(Descriptor::try_from(value).ok(), child);
                    format!(", then SetHandleInformation({made}, HANDLE_FLAG_INHERIT, 0)")
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
