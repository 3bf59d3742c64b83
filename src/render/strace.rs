//! The call as strace prints it: `listen(3, 5) = 0`,
//! `connect(3, {sa_family=AF_INET, …}, 16) = -1 ECONNREFUSED (Connection refused)`.
//!
//! On Linux the rendering is checked against strace itself
//! (`tests/strace.rs`). Only the errno's description follows the language
//! (strace prints the C library's, which follows the locale).

use std::fmt::Write as _;
use std::net::{Shutdown, SocketAddr};
use std::time::Duration;

use super::phrase::Term;
use super::redact::Redaction;
use super::words::Words;
use crate::errno::errno_name;
use crate::event::{Call, Event, Family, Outcome, SocketOption, Transport};

/// The call of `event` with its arguments and result.
pub(crate) fn strace(event: &Event, r: &Redaction, words: &dyn Words) -> String {
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
                    format!("{}, {}", strace_bytes(&value, value.len()), value.len())
                }
            };
            format!(
                "setsockopt({}, SOL_SOCKET, {}, {value})",
                fd(),
                strace_name(option)
            )
        }
        Call::Bind { addr } => format!(
            "bind({}, {}, {})",
            fd(),
            strace_sockaddr(addr, r),
            sockaddr_len(addr)
        ),
        Call::Listen { backlog } => format!("listen({}, {backlog})", fd()),
        Call::Accept { peer, .. } => match peer {
            Some(peer) => format!(
                "accept4({}, {}, [128 => {}], SOCK_CLOEXEC)",
                fd(),
                strace_sockaddr(peer, r),
                sockaddr_len(peer)
            ),
            None => format!("accept4({}, <unfilled>, [128], SOCK_CLOEXEC)", fd()),
        },
        Call::Connect { addr } => format!(
            "connect({}, {}, {})",
            fd(),
            strace_sockaddr(addr, r),
            sockaddr_len(addr)
        ),
        Call::Send {
            data,
            len,
            msg_nosignal,
        } => format!(
            "sendto({}, {}, {len}, {}, NULL, 0)",
            fd(),
            strace_bytes(data, *len),
            send_flags(*msg_nosignal)
        ),
        Call::Recv { data, capacity, .. } => {
            let shown = match event.outcome {
                Outcome::Returned(n) => strace_bytes(data, usize::try_from(n).unwrap_or(0)),
                Outcome::Failed(_) => "<unfilled>".to_string(),
            };
            format!("recvfrom({}, {shown}, {capacity}, 0, NULL, NULL)", fd())
        }
        Call::SendTo {
            data,
            len,
            msg_nosignal,
            to,
        } => format!(
            "sendto({}, {}, {len}, {}, {})",
            fd(),
            strace_bytes(data, *len),
            send_flags(*msg_nosignal),
            match to {
                Some(to) => format!("{}, {}", strace_sockaddr(to, r), sockaddr_len(to)),
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
            let shown = match event.outcome {
                Outcome::Returned(n) => {
                    let kept = usize::try_from(n).unwrap_or(0).min(*capacity);
                    strace_bytes(data, kept)
                }
                Outcome::Failed(_) => "<unfilled>".to_string(),
            };
            let flags = if *msg_trunc { "MSG_TRUNC" } else { "0" };
            // socket2 offers a whole sockaddr_storage (128 bytes); the
            // kernel says how much of it the sender's address took.
            let (addr, len) = match (from, event.outcome) {
                (Some(from), _) => (
                    strace_sockaddr(from, r),
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
        Call::KernelLookup { .. } => {
            let lookup = words.term(&Term::KernelLookup);
            return match (event.local, event.peer) {
                (Some(local), Some(peer)) => {
                    format!("# {lookup}: {} → {}", r.addr(&local), r.addr(&peer))
                }
                _ => format!("# {lookup}"),
            };
        }
    };
    let result = match event.outcome {
        Outcome::Returned(value) => match (&event.call, event.fd) {
            (Call::Socket { .. }, _) => r.fd(Some(value as i32), &event.socket),
            (
                Call::Accept {
                    child: Some(child), ..
                },
                _,
            ) => r.fd(Some(value as i32), child),
            _ => value.to_string(),
        },
        Outcome::Failed(errno) => strace_errno(errno, words),
    };
    format!("{call} = {result}")
}

/// `-1 ECONNREFUSED (Connection refused)`, as strace prints a failure, the
/// description in the table's language.
fn strace_errno(errno: i32, words: &dyn Words) -> String {
    match (errno_name(errno), words.errno(errno)) {
        (Some(name), Some(text)) => format!("-1 {name} ({text})"),
        (Some(name), None) => format!("-1 {name}"),
        (None, _) => format!("-1 errno {errno}"),
    }
}

/// A send's flags as strace prints them: what the call passed.
fn send_flags(msg_nosignal: bool) -> &'static str {
    if msg_nosignal { "MSG_NOSIGNAL" } else { "0" }
}

/// The option's name as strace prints it: the name of the value the C
/// library passed ([`rcvtimeo_name`]).
fn strace_name(option: &SocketOption) -> &'static str {
    match option {
        SocketOption::ReadTimeout(_) => rcvtimeo_name(libc::SO_RCVTIMEO),
        other => other.name(),
    }
}

/// How strace names the option number `value` that the C library passes as
/// `SO_RCVTIMEO`. Since Linux 5.1 the kernel has two: 20, `SO_RCVTIMEO_OLD`
/// (a `timeval` of the C library's `time_t`: x86_64 and the other 64-bit
/// systems), and 66, `SO_RCVTIMEO_NEW` (a 64-bit `timeval` for 32-bit
/// systems with 64-bit time). Elsewhere it is plain `SO_RCVTIMEO`.
fn rcvtimeo_name(value: libc::c_int) -> &'static str {
    match (cfg!(any(target_os = "linux", target_os = "android")), value) {
        (true, 20) => "SO_RCVTIMEO_OLD",
        (true, 66) => "SO_RCVTIMEO_NEW",
        _ => "SO_RCVTIMEO",
    }
}

/// The size of the C socket address structure strace prints after it.
fn sockaddr_len(addr: &SocketAddr) -> usize {
    match addr {
        SocketAddr::V4(_) => 16,
        SocketAddr::V6(_) => 28,
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

/// A socket address the way strace decodes a `struct sockaddr`.
fn strace_sockaddr(addr: &SocketAddr, r: &Redaction) -> String {
    let port = r.port(addr.port());
    match addr {
        SocketAddr::V4(v4) => format!(
            "{{sa_family=AF_INET, sin_port=htons({port}), sin_addr=inet_addr(\"{}\")}}",
            v4.ip()
        ),
        SocketAddr::V6(v6) => format!(
            "{{sa_family=AF_INET6, sin6_port=htons({port}), sin6_flowinfo=htonl({}), \
             inet_pton(AF_INET6, \"{}\", &sin6_addr), sin6_scope_id={}}}",
            v6.flowinfo(),
            v6.ip(),
            v6.scope_id()
        ),
    }
}

/// Bytes as strace quotes them: printable ASCII as is, C escapes for the
/// usual controls, octal for the rest, `...` when more than the preview was
/// transferred.
fn strace_bytes(data: &[u8], transferred: usize) -> String {
    let shown = &data[..data.len().min(transferred)];
    let mut out = String::from("\"");
    for (i, &byte) in shown.iter().enumerate() {
        match byte {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\t' => out.push_str("\\t"),
            b'\r' => out.push_str("\\r"),
            0x0b => out.push_str("\\v"),
            0x0c => out.push_str("\\f"),
            0x20..=0x7e => out.push(char::from(byte)),
            _ => {
                // strace uses the shortest octal form unless a digit follows.
                let next_is_digit = shown.get(i + 1).is_some_and(u8::is_ascii_digit);
                if next_is_digit {
                    let _ = write!(out, "\\{byte:03o}");
                } else {
                    let _ = write!(out, "\\{byte:o}");
                }
            }
        }
    }
    out.push('"');
    if transferred > shown.len() {
        out.push_str("...");
    }
    out
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::event::{Mode, StateName};
    use crate::kernel::Lingering;
    use crate::lang::Lang;
    use crate::render::words::words;

    fn event(call: Call, outcome: Outcome) -> Event {
        Event {
            seq: 1,
            thread: Arc::from("main"),
            socket: Arc::from("cliente"),
            transport: Transport::Tcp,
            family: Family::V4,
            fd: Some(3),
            call,
            outcome,
            before: Some(StateName::Connected),
            after: Some(StateName::Connected),
            mode: Mode::default(),
            tcp: None,
            local: None,
            peer: None,
        }
    }

    fn line(call: Call, outcome: Outcome) -> String {
        strace(&event(call, outcome), &Redaction::none(), words(Lang::En))
    }

    fn addr(text: &str) -> SocketAddr {
        text.parse().expect("a socket address")
    }

    #[test]
    fn listen_shows_the_backlog_as_given() {
        for backlog in [5, 128, 1024, 4096, -1] {
            assert_eq!(
                line(Call::Listen { backlog }, Outcome::Returned(0)),
                format!("listen(3, {backlog}) = 0")
            );
        }
    }

    #[test]
    fn a_send_shows_the_flags_it_passed() {
        let send = |msg_nosignal| Call::Send {
            data: b"ola".to_vec(),
            len: 3,
            msg_nosignal,
        };
        assert_eq!(
            line(send(true), Outcome::Returned(3)),
            "sendto(3, \"ola\", 3, MSG_NOSIGNAL, NULL, 0) = 3"
        );
        assert_eq!(
            line(send(false), Outcome::Returned(3)),
            "sendto(3, \"ola\", 3, 0, NULL, 0) = 3"
        );
        let datagram = |msg_nosignal, to| Call::SendTo {
            data: b"ola".to_vec(),
            len: 3,
            msg_nosignal,
            to,
        };
        assert_eq!(
            line(datagram(false, None), Outcome::Returned(3)),
            "sendto(3, \"ola\", 3, 0, NULL, 0) = 3"
        );
        assert_eq!(
            line(
                datagram(true, Some(addr("127.0.0.1:8888"))),
                Outcome::Returned(3)
            ),
            "sendto(3, \"ola\", 3, MSG_NOSIGNAL, {sa_family=AF_INET, sin_port=htons(8888), \
             sin_addr=inet_addr(\"127.0.0.1\")}, 16) = 3"
        );
    }

    #[test]
    fn so_rcvtimeo_is_named_by_the_option_number_passed() {
        let linux = cfg!(any(target_os = "linux", target_os = "android"));
        assert_eq!(
            rcvtimeo_name(20),
            if linux {
                "SO_RCVTIMEO_OLD"
            } else {
                "SO_RCVTIMEO"
            }
        );
        assert_eq!(
            rcvtimeo_name(66),
            if linux {
                "SO_RCVTIMEO_NEW"
            } else {
                "SO_RCVTIMEO"
            }
        );
        assert_eq!(rcvtimeo_name(21), "SO_RCVTIMEO");
        let option = SocketOption::ReadTimeout(Some(Duration::from_millis(2500)));
        let set = line(Call::SetOption { option }, Outcome::Returned(0));
        assert!(
            set.starts_with(&format!(
                "setsockopt(3, SOL_SOCKET, {}, ",
                rcvtimeo_name(libc::SO_RCVTIMEO)
            )),
            "{set}"
        );
        if cfg!(all(target_os = "linux", target_pointer_width = "64")) {
            assert!(
                set.ends_with(", \"\\2\\0\\0\\0\\0\\0\\0\\0 \\241\\7\\0\\0\\0\\0\\0\", 16) = 0"),
                "{set}"
            );
        }
        let option = SocketOption::ReuseAddress(true);
        assert_eq!(
            line(Call::SetOption { option }, Outcome::Returned(0)),
            "setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0"
        );
        let option = SocketOption::ReuseAddress(false);
        assert!(line(Call::SetOption { option }, Outcome::Returned(0)).contains("[0], 4"));
    }

    #[test]
    fn bytes_are_quoted_as_strace_quotes_them() {
        assert_eq!(strace_bytes(b"a\"b\\c", 5), r#""a\"b\\c""#);
        assert_eq!(strace_bytes(b"\n\t\r\x0b\x0c", 5), r#""\n\t\r\v\f""#);
        // The shortest octal form, unless a digit follows.
        assert_eq!(strace_bytes(b"\x00a\x001\xff", 5), r#""\0a\0001\377""#);
        assert_eq!(strace_bytes("ã".as_bytes(), 2), r#""\303\243""#);
        assert_eq!(strace_bytes(b" ~\x7f", 3), "\" ~\\177\"");
        // More transferred than kept: `...` after the quote.
        assert_eq!(strace_bytes(b"ola", 10), r#""ola"..."#);
        assert_eq!(strace_bytes(b"ola", 2), r#""ol""#);
        assert_eq!(strace_bytes(b"", 0), r#""""#);
    }

    #[test]
    fn addresses_are_decoded_as_strace_decodes_them() {
        let none = Redaction::none();
        assert_eq!(
            strace_sockaddr(&addr("127.0.0.1:40000"), &none),
            "{sa_family=AF_INET, sin_port=htons(40000), sin_addr=inet_addr(\"127.0.0.1\")}"
        );
        assert_eq!(
            strace_sockaddr(&addr("[::1]:40000"), &none),
            "{sa_family=AF_INET6, sin6_port=htons(40000), sin6_flowinfo=htonl(0), \
             inet_pton(AF_INET6, \"::1\", &sin6_addr), sin6_scope_id=0}"
        );
        assert_eq!(sockaddr_len(&addr("127.0.0.1:1")), 16);
        assert_eq!(sockaddr_len(&addr("[::1]:1")), 28);
        let bind = Call::Bind {
            addr: addr("[::1]:0"),
        };
        assert!(line(bind, Outcome::Returned(0)).ends_with("sin6_scope_id=0}, 28) = 0"));
    }

    #[test]
    fn a_failure_shows_its_errno_and_its_description() {
        let connect = || Call::Connect {
            addr: addr("127.0.0.1:9"),
        };
        assert!(
            line(connect(), Outcome::Failed(libc::ECONNREFUSED))
                .ends_with(", 16) = -1 ECONNREFUSED (Connection refused)")
        );
        let pt = strace(
            &event(connect(), Outcome::Failed(libc::ECONNREFUSED)),
            &Redaction::none(),
            words(Lang::Pt),
        );
        assert!(
            pt.ends_with(" = -1 ECONNREFUSED (Conexão recusada)"),
            "{pt}"
        );
        assert!(line(connect(), Outcome::Failed(0)).ends_with(" = -1 errno 0"));
    }

    #[test]
    fn socket_and_accept_return_their_descriptors() {
        let socket = Call::Socket {
            family: Family::V6,
            transport: Transport::Udp,
        };
        assert_eq!(
            line(socket.clone(), Outcome::Returned(7)),
            "socket(AF_INET6, SOCK_DGRAM|SOCK_CLOEXEC, IPPROTO_UDP) = 7"
        );
        let redacted = Redaction::from_events(&[]);
        let made = event(socket, Outcome::Returned(7));
        assert!(strace(&made, &redacted, words(Lang::En)).ends_with(" = <fd cliente>"));
        let accept = Call::Accept {
            peer: Some(addr("127.0.0.1:50000")),
            child: Some(Arc::from("servidor#1")),
            child_state: None,
        };
        let accepted = event(accept, Outcome::Returned(5));
        assert!(
            strace(&accepted, &Redaction::none(), words(Lang::En))
                .ends_with("}, [128 => 16], SOCK_CLOEXEC) = 5")
        );
        assert!(
            strace(&accepted, &redacted, words(Lang::En))
                .starts_with("accept4(<fd cliente>, {sa_family=AF_INET")
        );
        assert!(strace(&accepted, &redacted, words(Lang::En)).ends_with(" = <fd servidor#1>"));
        let failed = Call::Accept {
            peer: None,
            child: None,
            child_state: None,
        };
        assert_eq!(
            line(failed, Outcome::Failed(libc::EINVAL)),
            "accept4(3, <unfilled>, [128], SOCK_CLOEXEC) = -1 EINVAL (Invalid argument)"
        );
    }

    #[test]
    fn a_receive_shows_what_the_buffer_holds() {
        let recv = |data: &[u8]| Call::Recv {
            data: data.to_vec(),
            capacity: 1024,
            connection: None,
        };
        assert_eq!(
            line(recv(b"ola"), Outcome::Returned(3)),
            "recvfrom(3, \"ola\", 1024, 0, NULL, NULL) = 3"
        );
        assert_eq!(
            line(recv(b""), Outcome::Failed(libc::EAGAIN)),
            "recvfrom(3, <unfilled>, 1024, 0, NULL, NULL) = -1 EAGAIN (Resource temporarily unavailable)"
        );
        let datagram = |from, msg_trunc| Call::RecvFrom {
            data: b"0123".to_vec(),
            capacity: 4,
            from,
            msg_trunc,
        };
        // MSG_TRUNC returned the real size, 10: the buffer holds its 4.
        assert_eq!(
            line(
                datagram(Some(addr("127.0.0.1:9")), true),
                Outcome::Returned(10)
            ),
            "recvfrom(3, \"0123\", 4, MSG_TRUNC, {sa_family=AF_INET, sin_port=htons(9), \
             sin_addr=inet_addr(\"127.0.0.1\")}, [128 => 16]) = 10"
        );
        assert_eq!(
            line(datagram(None, false), Outcome::Returned(0)),
            "recvfrom(3, \"\", 4, 0, <unfilled>, [128 => 0]) = 0"
        );
        assert_eq!(
            line(datagram(None, true), Outcome::Failed(libc::EAGAIN)),
            "recvfrom(3, <unfilled>, 4, MSG_TRUNC, <unfilled>, [128]) = -1 EAGAIN (Resource temporarily unavailable)"
        );
    }

    #[test]
    fn shutdown_close_and_a_kernel_lookup() {
        for (how, name) in [
            (Shutdown::Read, "SHUT_RD"),
            (Shutdown::Write, "SHUT_WR"),
            (Shutdown::Both, "SHUT_RDWR"),
        ] {
            assert_eq!(
                line(Call::Shutdown { how }, Outcome::Returned(0)),
                format!("shutdown(3, {name}) = 0")
            );
        }
        let close = Call::Close {
            unread: Some(0),
            before: None,
            after: None,
        };
        assert_eq!(line(close, Outcome::Returned(0)), "close(3) = 0");
        let lookup = Call::KernelLookup {
            found: Lingering::Gone,
        };
        let mut asked = event(lookup, Outcome::Returned(0));
        assert_eq!(
            strace(&asked, &Redaction::none(), words(Lang::En)),
            "# kernel lookup"
        );
        asked.local = Some(addr("127.0.0.1:1"));
        asked.peer = Some(addr("127.0.0.1:2"));
        assert_eq!(
            strace(&asked, &Redaction::none(), words(Lang::En)),
            "# kernel lookup: 127.0.0.1:1 → 127.0.0.1:2"
        );
        let mut unknown = event(Call::Listen { backlog: 1 }, Outcome::Returned(0));
        unknown.fd = None;
        assert_eq!(
            strace(&unknown, &Redaction::none(), words(Lang::En)),
            "listen(?, 1) = 0"
        );
    }
}
