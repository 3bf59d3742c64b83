//! Linux: strace's own line. socket2 passes `SOCK_CLOEXEC` to `socket()`
//! and `accept4()`, the library `MSG_NOSIGNAL` to every send; strace 6.1
//! does not decode `SO_RCVTIMEO` or `SO_SNDTIMEO`, whose `struct timeval`
//! it prints as bytes. The names of numbers are strace's (`SOL_TCP` where
//! the headers say `IPPROTO_TCP`).

use std::time::Duration;

use super::c::quote;
use super::flavor::Flavor;
use super::observed::Names;

/// What socket2 calls on Linux, as strace shows it.
pub(super) const FLAVOR: Flavor = Flavor {
    cloexec_flag: true,
    nosigpipe: false,
    read_timeout,
    write_timeout,
    names: Names {
        msg: &[
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
        ],
        levels: &[
            (libc::SOL_SOCKET, "SOL_SOCKET"),
            (libc::IPPROTO_TCP, "SOL_TCP"),
            (libc::IPPROTO_IP, "SOL_IP"),
            (libc::IPPROTO_IPV6, "SOL_IPV6"),
        ],
        options: &[
            (libc::SOL_SOCKET, libc::SO_KEEPALIVE, "SO_KEEPALIVE"),
            (libc::SOL_SOCKET, libc::SO_BROADCAST, "SO_BROADCAST"),
            (libc::SOL_SOCKET, libc::SO_SNDBUF, "SO_SNDBUF"),
            (libc::SOL_SOCKET, libc::SO_RCVBUF, "SO_RCVBUF"),
            (libc::SOL_SOCKET, libc::SO_REUSEPORT, "SO_REUSEPORT"),
            (libc::SOL_SOCKET, libc::SO_OOBINLINE, "SO_OOBINLINE"),
            (libc::IPPROTO_TCP, libc::TCP_KEEPIDLE, "TCP_KEEPIDLE"),
            (libc::IPPROTO_TCP, libc::TCP_KEEPINTVL, "TCP_KEEPINTVL"),
            (libc::IPPROTO_TCP, libc::TCP_KEEPCNT, "TCP_KEEPCNT"),
            (libc::IPPROTO_IPV6, libc::IPV6_V6ONLY, "IPV6_V6ONLY"),
            (libc::IPPROTO_IP, libc::IP_TOS, "IP_TOS"),
        ],
    },
};

/// `SO_RCVTIMEO` as strace 6.1 prints it: the name of the option number the
/// C library passed ([`rcvtimeo_name`]), and its `struct timeval` as a
/// string of bytes, e.g. `"\2\0\0\0\0\0\0\0 \241\7\0\0\0\0\0"` for 2.5 s
/// on x86_64.
fn read_timeout(d: Duration) -> String {
    format!("{}, {}", rcvtimeo_name(libc::SO_RCVTIMEO), timeval_bytes(d))
}

/// `SO_SNDTIMEO` likewise, named by [`sndtimeo_name`].
fn write_timeout(d: Duration) -> String {
    format!("{}, {}", sndtimeo_name(libc::SO_SNDTIMEO), timeval_bytes(d))
}

/// A `struct timeval` as strace prints what it does not decode: its bytes
/// quoted, then its size.
fn timeval_bytes(d: Duration) -> String {
    let secs = libc::time_t::try_from(d.as_secs()).unwrap_or(libc::time_t::MAX);
    // Below 1_000_000: fits every platform's suseconds_t.
    let micros = d.subsec_micros() as libc::suseconds_t;
    let mut bytes = secs.to_ne_bytes().to_vec();
    bytes.extend_from_slice(&micros.to_ne_bytes());
    format!("{}, {}", quote(&bytes, bytes.len()), bytes.len())
}

/// How strace names the option number `value` that the C library passes as
/// `SO_RCVTIMEO`. Since Linux 5.1 the kernel has two: 20, `SO_RCVTIMEO_OLD`
/// (a `timeval` of the C library's `time_t`: x86_64 and the other 64-bit
/// systems), and 66, `SO_RCVTIMEO_NEW` (a 64-bit `timeval` for 32-bit
/// systems with 64-bit time); any other number is shown as `SO_RCVTIMEO`.
pub(super) fn rcvtimeo_name(value: libc::c_int) -> &'static str {
    match value {
        20 => "SO_RCVTIMEO_OLD",
        66 => "SO_RCVTIMEO_NEW",
        _ => "SO_RCVTIMEO",
    }
}

/// The same for `SO_SNDTIMEO`: 21, `SO_SNDTIMEO_OLD`, and 67,
/// `SO_SNDTIMEO_NEW`.
pub(super) fn sndtimeo_name(value: libc::c_int) -> &'static str {
    match value {
        21 => "SO_SNDTIMEO_OLD",
        67 => "SO_SNDTIMEO_NEW",
        _ => "SO_SNDTIMEO",
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use std::net::{Shutdown, SocketAddr};
    use std::time::Duration;

    use super::super::c::{quote, sockaddr, sockaddr_len};
    use super::super::unix::call as render;
    use super::{rcvtimeo_name, sndtimeo_name};
    use crate::event::{
        Buffer, Call, Event, Family, FdFlags, Mode, Outcome, SocketOption, StateName, Transfer,
        Transport, WaitCall, Waited,
    };
    use crate::kernel::Lingering;
    use crate::lang::Lang;
    use crate::render::redact::Redaction;
    use crate::render::words::words;

    const CLOEXEC: FdFlags = FdFlags {
        cloexec: true,
        nonblocking: false,
    };

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
        render(&event(call, outcome), &Redaction::none(), words(Lang::En))
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
        let send = |flags| Call::Send {
            data: b"ola".to_vec(),
            len: 3,
            via: Transfer::SendRecv { flags },
        };
        assert_eq!(
            line(send(libc::MSG_NOSIGNAL), Outcome::Returned(3)),
            "sendto(3, \"ola\", 3, MSG_NOSIGNAL, NULL, 0) = 3"
        );
        assert_eq!(
            line(send(0), Outcome::Returned(3)),
            "sendto(3, \"ola\", 3, 0, NULL, 0) = 3"
        );
        // Several flags joined as strace joins them; a bit it does not
        // name in hexadecimal.
        assert_eq!(
            line(
                send(libc::MSG_DONTWAIT | libc::MSG_NOSIGNAL | 0x0100_0000),
                Outcome::Returned(3)
            ),
            "sendto(3, \"ola\", 3, MSG_DONTWAIT|MSG_NOSIGNAL|0x1000000, NULL, 0) = 3"
        );
        let datagram = |flags, to| Call::SendTo {
            data: b"ola".to_vec(),
            len: 3,
            flags,
            to,
        };
        assert_eq!(
            line(datagram(0, None), Outcome::Returned(3)),
            "sendto(3, \"ola\", 3, 0, NULL, 0) = 3"
        );
        assert_eq!(
            line(
                datagram(libc::MSG_NOSIGNAL, Some(addr("127.0.0.1:8888"))),
                Outcome::Returned(3)
            ),
            "sendto(3, \"ola\", 3, MSG_NOSIGNAL, {sa_family=AF_INET, sin_port=htons(8888), \
             sin_addr=inet_addr(\"127.0.0.1\")}, 16) = 3"
        );
    }

    #[test]
    fn so_rcvtimeo_and_so_sndtimeo_are_named_by_the_option_number_passed() {
        assert_eq!(rcvtimeo_name(20), "SO_RCVTIMEO_OLD");
        assert_eq!(rcvtimeo_name(66), "SO_RCVTIMEO_NEW");
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
        if cfg!(target_pointer_width = "64") {
            assert!(
                set.ends_with(", \"\\2\\0\\0\\0\\0\\0\\0\\0 \\241\\7\\0\\0\\0\\0\\0\", 16) = 0"),
                "{set}"
            );
        }
        assert_eq!(sndtimeo_name(21), "SO_SNDTIMEO_OLD");
        assert_eq!(sndtimeo_name(67), "SO_SNDTIMEO_NEW");
        let option = SocketOption::WriteTimeout(Some(Duration::from_millis(2500)));
        let set = line(Call::SetOption { option }, Outcome::Returned(0));
        assert!(
            set.starts_with(&format!(
                "setsockopt(3, SOL_SOCKET, {}, ",
                sndtimeo_name(libc::SO_SNDTIMEO)
            )),
            "{set}"
        );
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
        assert_eq!(quote(b"a\"b\\c", 5), r#""a\"b\\c""#);
        assert_eq!(quote(b"\n\t\r\x0b\x0c", 5), r#""\n\t\r\v\f""#);
        // The shortest octal form, unless a digit follows.
        assert_eq!(quote(b"\x00a\x001\xff", 5), r#""\0a\0001\377""#);
        assert_eq!(quote("ã".as_bytes(), 2), r#""\303\243""#);
        assert_eq!(quote(b" ~\x7f", 3), "\" ~\\177\"");
        // More transferred than kept: `...` after the quote.
        assert_eq!(quote(b"ola", 10), r#""ola"..."#);
        assert_eq!(quote(b"ola", 2), r#""ol""#);
        assert_eq!(quote(b"", 0), r#""""#);
    }

    #[test]
    fn addresses_are_decoded_as_strace_decodes_them() {
        let none = Redaction::none();
        assert_eq!(
            sockaddr(&addr("127.0.0.1:40000"), &none),
            "{sa_family=AF_INET, sin_port=htons(40000), sin_addr=inet_addr(\"127.0.0.1\")}"
        );
        assert_eq!(
            sockaddr(&addr("[::1]:40000"), &none),
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
        let pt = render(
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
            flags: CLOEXEC,
            protocol_zero: false,
        };
        assert_eq!(
            line(socket.clone(), Outcome::Returned(7)),
            "socket(AF_INET6, SOCK_DGRAM|SOCK_CLOEXEC, IPPROTO_UDP) = 7"
        );
        let redacted = Redaction::from_events(&[]);
        let made = event(socket, Outcome::Returned(7));
        assert!(render(&made, &redacted, words(Lang::En)).ends_with(" = <fd cliente>"));
        let accept = Call::Accept {
            peer: Some(addr("127.0.0.1:50000")),
            child: Some(Arc::from("servidor#1")),
            child_state: None,
            flags: Some(CLOEXEC),
            addr_len: Some(128),
        };
        let accepted = event(accept, Outcome::Returned(5));
        assert!(
            render(&accepted, &Redaction::none(), words(Lang::En))
                .ends_with("}, [128 => 16], SOCK_CLOEXEC) = 5")
        );
        assert!(
            render(&accepted, &redacted, words(Lang::En))
                .starts_with("accept4(<fd cliente>, {sa_family=AF_INET")
        );
        assert!(render(&accepted, &redacted, words(Lang::En)).ends_with(" = <fd servidor#1>"));
        let failed = Call::Accept {
            peer: None,
            child: None,
            child_state: None,
            flags: Some(CLOEXEC),
            addr_len: Some(128),
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
            via: Transfer::SendRecv { flags: 0 },
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
            addr_len: Some(128),
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
            render(&asked, &Redaction::none(), words(Lang::En)),
            "# kernel lookup"
        );
        asked.local = Some(addr("127.0.0.1:1"));
        asked.peer = Some(addr("127.0.0.1:2"));
        assert_eq!(
            render(&asked, &Redaction::none(), words(Lang::En)),
            "# kernel lookup: 127.0.0.1:1 → 127.0.0.1:2"
        );
        let mut unknown = event(Call::Listen { backlog: 1 }, Outcome::Returned(0));
        unknown.fd = None;
        assert_eq!(
            render(&unknown, &Redaction::none(), words(Lang::En)),
            "listen(?, 1) = 0"
        );
    }

    // What only a program traced from outside does (the observer's
    // events), as strace prints it.

    #[test]
    fn a_program_s_own_socket_and_accept_flags() {
        let socket = |flags, protocol_zero| Call::Socket {
            family: Family::V4,
            transport: Transport::Tcp,
            flags,
            protocol_zero,
        };
        let nonblocking = FdFlags {
            cloexec: true,
            nonblocking: true,
        };
        assert_eq!(
            line(socket(FdFlags::default(), true), Outcome::Returned(3)),
            "socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 3"
        );
        assert_eq!(
            line(socket(nonblocking, false), Outcome::Returned(3)),
            "socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC|SOCK_NONBLOCK, IPPROTO_TCP) = 3"
        );
        let accept = |flags, addr_len| Call::Accept {
            peer: Some(addr("127.0.0.1:50000")),
            child: None,
            child_state: None,
            flags,
            addr_len,
        };
        // A buffer the address fills exactly shows one number.
        assert_eq!(
            line(accept(None, Some(16)), Outcome::Returned(4)),
            "accept(3, {sa_family=AF_INET, sin_port=htons(50000), \
             sin_addr=inet_addr(\"127.0.0.1\")}, [16]) = 4"
        );
        assert_eq!(
            line(accept(None, None), Outcome::Returned(4)),
            "accept(3, NULL, NULL) = 4"
        );
        assert_eq!(
            line(accept(Some(FdFlags::default()), None), Outcome::Returned(4)),
            "accept4(3, NULL, NULL, 0) = 4"
        );
        assert_eq!(
            line(accept(Some(nonblocking), None), Outcome::Returned(4)),
            "accept4(3, NULL, NULL, SOCK_CLOEXEC|SOCK_NONBLOCK) = 4"
        );
    }

    #[test]
    fn reads_writes_vectors_and_messages() {
        let send = |via| Call::Send {
            data: b"ola".to_vec(),
            len: 3,
            via,
        };
        let recv = |via| Call::Recv {
            data: b"ola".to_vec(),
            capacity: 1024,
            connection: None,
            via,
        };
        assert_eq!(
            line(send(Transfer::ReadWrite), Outcome::Returned(3)),
            "write(3, \"ola\", 3) = 3"
        );
        assert_eq!(
            line(recv(Transfer::ReadWrite), Outcome::Returned(3)),
            "read(3, \"ola\", 1024) = 3"
        );
        assert_eq!(
            line(recv(Transfer::ReadWrite), Outcome::Failed(libc::EAGAIN)),
            "read(3, <unfilled>, 1024) = -1 EAGAIN (Resource temporarily unavailable)"
        );
        let two = || {
            vec![
                Buffer {
                    data: b"o".to_vec(),
                    len: 1,
                },
                Buffer {
                    data: b"la".to_vec(),
                    len: 8,
                },
            ]
        };
        assert_eq!(
            line(
                send(Transfer::Vectored { buffers: two() }),
                Outcome::Returned(3)
            ),
            "writev(3, [{iov_base=\"o\", iov_len=1}, {iov_base=\"la\"..., iov_len=8}], 2) = 3"
        );
        // A receive shows what arrived, buffer after buffer.
        assert_eq!(
            line(
                recv(Transfer::Vectored { buffers: two() }),
                Outcome::Returned(3)
            ),
            "readv(3, [{iov_base=\"o\", iov_len=1}, {iov_base=\"la\", iov_len=8}], 2) = 3"
        );
        let message = Transfer::Message {
            flags: libc::MSG_NOSIGNAL,
            buffers: two(),
            msg_flags: 0,
        };
        assert_eq!(
            line(recv(message), Outcome::Failed(libc::ECONNRESET)),
            "recvmsg(3, {msg_name=NULL, msg_namelen=0, msg_iov=<unfilled>, msg_iovlen=2, \
             msg_controllen=0, msg_flags=0}, MSG_NOSIGNAL) = -1 ECONNRESET (Connection reset by peer)"
        );
        assert_eq!(
            line(
                recv(Transfer::SendRecv {
                    flags: libc::MSG_PEEK
                }),
                Outcome::Returned(3)
            ),
            "recvfrom(3, \"ola\", 1024, MSG_PEEK, NULL, NULL) = 3"
        );
    }

    #[test]
    fn the_options_a_program_sets() {
        let set = |option| line(Call::SetOption { option }, Outcome::Returned(0));
        assert_eq!(
            set(SocketOption::NoDelay(true)),
            "setsockopt(3, SOL_TCP, TCP_NODELAY, [1], 4) = 0"
        );
        assert_eq!(
            set(SocketOption::Linger {
                on: true,
                seconds: 0
            }),
            "setsockopt(3, SOL_SOCKET, SO_LINGER, {l_onoff=1, l_linger=0}, 8) = 0"
        );
        assert!(
            set(SocketOption::WriteTimeout(Some(Duration::from_secs(1)))).starts_with(&format!(
                "setsockopt(3, SOL_SOCKET, {}, \"",
                sndtimeo_name(libc::SO_SNDTIMEO)
            ))
        );
        assert_eq!(sndtimeo_name(21), "SO_SNDTIMEO_OLD");
        assert_eq!(sndtimeo_name(67), "SO_SNDTIMEO_NEW");
        let other = |level, name, value| SocketOption::Other {
            level,
            name,
            value,
            len: 4,
        };
        let keepalive = other(libc::SOL_SOCKET, libc::SO_KEEPALIVE, Some(1));
        assert_eq!(keepalive.name(), "SO_KEEPALIVE");
        assert_eq!(
            set(keepalive),
            "setsockopt(3, SOL_SOCKET, SO_KEEPALIVE, [1], 4) = 0"
        );
        let unnamed = other(libc::IPPROTO_TCP, 9999, None);
        assert_eq!(unnamed.name(), "?");
        assert_eq!(
            set(unnamed),
            "setsockopt(3, SOL_TCP, 9999, <unfilled>, 4) = 0"
        );
        assert_eq!(
            set(other(77, 1, Some(0))),
            "setsockopt(3, 77, 1, [0], 4) = 0"
        );
    }

    #[test]
    fn waits_in_poll_and_select() {
        let waited = |fd, readable| Waited {
            fd,
            read: true,
            readable,
            ..Waited::default()
        };
        let wait = |syscall, timeout| Call::Wait {
            syscall,
            fds: vec![waited(3, true), waited(5, false)],
            timeout,
        };
        let second = Some(Duration::from_millis(1500));
        assert_eq!(
            line(wait(WaitCall::Poll, None), Outcome::Returned(1)),
            "poll([{fd=3, events=POLLIN}, {fd=5, events=POLLIN}], 2, -1) = 1 ([{fd=3, revents=POLLIN}])"
        );
        assert_eq!(
            line(wait(WaitCall::Poll, second), Outcome::Returned(0)),
            "poll([{fd=3, events=POLLIN}, {fd=5, events=POLLIN}], 2, 1500) = 0 (Timeout)"
        );
        assert_eq!(
            line(wait(WaitCall::Ppoll, second), Outcome::Returned(1)),
            "ppoll([{fd=3, events=POLLIN}, {fd=5, events=POLLIN}], 2, {tv_sec=1, tv_nsec=500000000}, NULL, 8) = 1 ([{fd=3, revents=POLLIN}])"
        );
        assert_eq!(
            line(wait(WaitCall::Select, second), Outcome::Returned(1)),
            "select(6, [3 5], NULL, NULL, {tv_sec=1, tv_usec=500000}) = 1 (in [3])"
        );
        assert_eq!(
            line(wait(WaitCall::Pselect6, None), Outcome::Failed(libc::EINTR)),
            "pselect6(6, [3 5], NULL, NULL, NULL, NULL) = -1 EINTR (Interrupted system call)"
        );
    }

    /// The library's own non-blocking steps, each as strace 6.1 printed
    /// the same calls of a Python program (`setblocking(False)`, a refused
    /// non-blocking `connect`, `select.poll`).
    #[test]
    fn nonblocking_steps_as_strace_prints_them() {
        assert_eq!(
            line(Call::SetNonblocking, Outcome::Returned(0)),
            "fcntl(3, F_GETFL) = 0x2 (flags O_RDWR), then fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0"
        );
        let refused = Call::TakeError {
            pending: Some(libc::ECONNREFUSED),
        };
        assert_eq!(
            line(refused, Outcome::Returned(0)),
            "getsockopt(3, SOL_SOCKET, SO_ERROR, [ECONNREFUSED], [4]) = 0"
        );
        let fine = Call::TakeError { pending: Some(0) };
        assert_eq!(
            line(fine, Outcome::Returned(0)),
            "getsockopt(3, SOL_SOCKET, SO_ERROR, [0], [4]) = 0"
        );
        let writable = Waited {
            fd: 3,
            write: true,
            writable: true,
            failed: true,
            hung_up: true,
            ..Waited::default()
        };
        let wait = Call::Wait {
            syscall: WaitCall::Poll,
            fds: vec![writable],
            timeout: None,
        };
        assert_eq!(
            line(wait, Outcome::Returned(1)),
            "poll([{fd=3, events=POLLOUT}], 1, -1) = 1 ([{fd=3, revents=POLLOUT|POLLERR|POLLHUP}])"
        );
    }

    /// strace shows the first 32 entries of an array, then `...`.
    #[test]
    fn a_long_wait_is_cut_after_32_descriptors() {
        let fds: Vec<Waited> = (5..45)
            .map(|fd| Waited {
                fd,
                read: true,
                write: true,
                writable: true,
                ..Waited::default()
            })
            .collect();
        let wait = Call::Wait {
            syscall: WaitCall::Poll,
            fds,
            timeout: Some(Duration::ZERO),
        };
        let shown = line(wait, Outcome::Returned(40));
        assert!(
            shown.starts_with("poll([{fd=5, events=POLLIN|POLLOUT}, {fd=6, events=POLLIN|POLLOUT}"),
            "{shown}"
        );
        assert!(
            shown.contains(
                "{fd=36, events=POLLIN|POLLOUT}, ...], 40, 0) = 40 ([{fd=5, revents=POLLOUT}"
            ),
            "{shown}"
        );
        assert!(
            shown.ends_with("{fd=36, revents=POLLOUT}, ...])"),
            "{shown}"
        );
    }

    /// epoll's calls, as strace 6.1 printed a Python program's
    /// (`select.epoll`): the instance is descriptor 6 here, the socket 5.
    #[test]
    fn epoll_as_strace_prints_it() {
        let on_instance = |call, outcome| {
            let event = Event {
                fd: Some(6),
                before: None,
                after: None,
                ..event(call, outcome)
            };
            render(&event, &Redaction::none(), words(Lang::En))
        };
        assert_eq!(
            on_instance(Call::EpollCreate, Outcome::Returned(6)),
            "epoll_create1(EPOLL_CLOEXEC) = 6"
        );
        let socket = Waited {
            fd: 5,
            read: true,
            ..Waited::default()
        };
        let add = Call::EpollAdd {
            target: socket.clone(),
            edge: true,
        };
        assert_eq!(
            on_instance(add, Outcome::Returned(0)),
            "epoll_ctl(6, EPOLL_CTL_ADD, 5, {events=EPOLLIN|EPOLLET, data={u32=5, u64=5}}) = 0"
        );
        let wait = |fds| Call::Wait {
            syscall: WaitCall::EpollWait { max_events: 1023 },
            fds,
            timeout: Some(Duration::from_millis(100)),
        };
        let ready = Waited {
            readable: true,
            ..socket
        };
        assert_eq!(
            on_instance(wait(vec![ready]), Outcome::Returned(1)),
            "epoll_wait(6, [{events=EPOLLIN, data={u32=5, u64=5}}], 1023, 100) = 1"
        );
        assert_eq!(
            on_instance(wait(Vec::new()), Outcome::Returned(0)),
            "epoll_wait(6, [], 1023, 100) = 0"
        );
    }
}
