//! Every narration claims only what happened: each case off the happy path,
//! provoked for real over loopback, with what its trace says — and must not
//! say — in both languages.
//!
//! The kernel facts these cases rest on were measured on Linux: a `recv`
//! after this side's own `SHUT_RD` returns 0 at once and says nothing about
//! the peer; a send to a peer that closed draws an RST, after which `recv`
//! returns 0 with the socket in `CLOSE`; a close with unread bytes sends an
//! RST; a close while a `dup` holds the socket sends nothing; `listen(-1)`
//! gets the limit `net.core.somaxconn`.

mod support;

use std::net::Shutdown;
use std::time::Duration;

use socket_lifecycle::errno::Errno;
use socket_lifecycle::event::{Call, Outcome, SocketOption};
use socket_lifecycle::kernel::{AsDescriptor, tcp_info};
use socket_lifecycle::{
    Cause, Connection, Event, Lang, Listener, Recorder, Socket, TcpState, UdpSocket,
};
use support::{duplicate, loopback, loopback_v6, wait_state};

/// A listener, a client connected to it and the accepted connection, all
/// recorded.
fn connected(recorder: &Recorder) -> (Listener, Connection, Connection) {
    let listener = Socket::tcp_v4(recorder.tracer("servidor"))
        .and_then(|s| s.bind(loopback()))
        .and_then(|s| s.listen(5))
        .expect("a listener on loopback");
    let server = listener.local_addr().expect("the listener's address");
    let client = Socket::tcp_v4(recorder.tracer("cliente"))
        .and_then(|s| s.connect(server))
        .expect("a connection on loopback");
    let (accepted, _) = listener.accept().expect("the accepted connection");
    (listener, client, accepted)
}

/// The last event of `label` making `call`.
fn last(recorder: &Recorder, label: &str, call: &str) -> Event {
    recorder
        .events()
        .into_iter()
        .rev()
        .find(|e| &*e.socket == label && e.call.name() == call)
        .unwrap_or_else(|| panic!("no {call} on {label}:\n{}", recorder.render(Lang::En)))
}

/// Asserts that `event`'s narration says each of `says` and none of `never`,
/// per language: `(pt, en)` pairs.
fn narrates(event: &Event, says: &[(&str, &str)], never: &[(&str, &str)]) {
    let (pt, en) = (event.narration(Lang::Pt), event.narration(Lang::En));
    for (in_pt, in_en) in says {
        assert!(pt.contains(in_pt), "pt lacks {in_pt:?}: {pt}");
        assert!(en.contains(in_en), "en lacks {in_en:?}: {en}");
    }
    for (in_pt, in_en) in never {
        assert!(!pt.contains(in_pt), "pt claims {in_pt:?}: {pt}");
        assert!(!en.contains(in_en), "en claims {in_en:?}: {en}");
    }
}

/// The words that say a FIN came from the peer.
const PEER_FIN: (&str, &str) = ("o FIN dele chegou", "its FIN arrived");

#[test]
fn recv_after_this_sides_own_shutdown_is_not_the_peers_fin() {
    for how in [Shutdown::Read, Shutdown::Both] {
        let recorder = Recorder::new();
        let (_listener, client, _accepted) = connected(&recorder);
        client.shutdown(how).unwrap();
        assert_eq!(client.recv(&mut [0u8; 16]).unwrap(), 0);
        let recv = last(&recorder, "cliente", "recvfrom");
        narrates(
            &recv,
            &[("encerrou a própria leitura", "shut its own reading")],
            &[PEER_FIN, ("o outro lado encerrou", "the peer closed")],
        );
    }
}

#[test]
fn shutdown_read_sends_nothing_and_a_second_shutdown_write_no_new_fin() {
    let recorder = Recorder::new();
    let (_listener, client, _accepted) = connected(&recorder);
    client.shutdown(Shutdown::Read).unwrap();
    narrates(
        &last(&recorder, "cliente", "shutdown"),
        &[("nada é enviado", "nothing is sent")],
        &[("FIN enviado", "FIN sent")],
    );
    client.shutdown(Shutdown::Write).unwrap();
    narrates(
        &last(&recorder, "cliente", "shutdown"),
        &[("FIN enviado", "FIN sent")],
        &[],
    );
    client.shutdown(Shutdown::Write).unwrap();
    narrates(
        &last(&recorder, "cliente", "shutdown"),
        &[("já estava encerrado", "was shut already")],
        &[("FIN enviado", "FIN sent")],
    );
}

#[test]
fn send_after_this_sides_own_shutdown_write_blames_this_side() {
    let recorder = Recorder::new();
    let (_listener, client, _accepted) = connected(&recorder);
    client.shutdown(Shutdown::Write).unwrap();
    let err = client.send(b"ola").unwrap_err();
    assert_eq!(err.errno_name(), Some("EPIPE"));
    assert_eq!(err.cause(), Cause::OwnShutdown);
    for lang in Lang::ALL {
        assert!(!err.hint(lang).contains("outro lado já fechou"));
        assert!(!err.hint(lang).contains("peer has already closed"));
    }
    narrates(
        &last(&recorder, "cliente", "sendto"),
        &[("este lado encerrou o envio", "this side shut its sending")],
        &[("o outro lado", "the peer")],
    );
}

/// The server closes; the client, not knowing, sends: the server's kernel
/// answers with RST. The client's recv then returns 0 with the socket in
/// CLOSE, and its close sends nothing.
#[test]
fn a_reset_connection_is_told_as_a_reset_not_an_orderly_end() {
    let recorder = Recorder::new();
    let (_listener, client, accepted) = connected(&recorder);
    accepted.close().unwrap();
    wait_state(&client, TcpState::CloseWait);
    client.send(b"ainda ai?").unwrap();
    wait_state(&client, TcpState::Close);
    assert_eq!(client.recv(&mut [0u8; 16]).unwrap(), 0);
    narrates(
        &last(&recorder, "cliente", "recvfrom"),
        &[("reset (RST)", "reset (RST)")],
        &[PEER_FIN],
    );
    let err = client.shutdown(Shutdown::Write).unwrap_err();
    assert_eq!(err.cause(), Cause::NotConnected);
    client.close().unwrap();
    narrates(
        &last(&recorder, "cliente", "close"),
        &[("nada é enviado", "nothing is sent")],
        &[("responde", "answers"), ("o seu FIN sai", "its FIN leaves")],
    );
}

#[test]
fn closing_with_unread_bytes_resets_the_connection() {
    let recorder = Recorder::new();
    let (_listener, client, accepted) = connected(&recorder);
    client.send_all(b"abcdef").unwrap();
    // Two bytes read: the other four are in the receive buffer, unread.
    assert_eq!(accepted.recv(&mut [0u8; 2]).unwrap(), 2);
    accepted.close().unwrap();
    narrates(
        &last(&recorder, "servidor#1", "close"),
        &[
            ("4 bytes nunca lidos", "4 bytes never read"),
            ("RST", "RST"),
        ],
        &[("o seu FIN sai", "its FIN leaves"), ("responde", "answers")],
    );
    let err = client.recv(&mut [0u8; 16]).unwrap_err();
    assert_eq!(err.cause(), Cause::Reset);
    let diagram = socket_lifecycle::diagram::SequenceDiagram::redacted(&recorder.events());
    assert!(diagram.text(Lang::En).contains("RST  close()"));
}

#[test]
fn closing_while_a_dup_holds_the_socket_sends_nothing() {
    let recorder = Recorder::new();
    let (_listener, client, accepted) = connected(&recorder);
    let holder = duplicate(&accepted);
    accepted.close().unwrap();
    let close = last(&recorder, "servidor#1", "close");
    if cfg!(target_os = "linux") {
        narrates(
            &close,
            &[
                ("outro descritor", "another descriptor"),
                ("nada foi enviado", "nothing was sent"),
            ],
            &[
                ("o seu FIN sai", "its FIN leaves"),
                ("FIN deste lado responde", "FIN answers"),
            ],
        );
        assert_eq!(
            tcp_info(client.descriptor()).unwrap().state,
            TcpState::Established
        );
    }
    drop(holder);
    wait_state(&client, TcpState::CloseWait);
}

#[test]
fn a_read_timeout_below_a_microsecond_is_rounded_up_and_zero_is_refused() {
    let recorder = Recorder::new();
    let (_listener, client, _accepted) = connected(&recorder);
    client
        .set_read_timeout(Some(Duration::from_nanos(1)))
        .unwrap();
    let set = last(&recorder, "cliente", "setsockopt");
    assert!(matches!(
        set.call,
        Call::SetOption { option: SocketOption::ReadTimeout(Some(t)) } if t == Duration::from_micros(1)
    ));
    // struct timeval {0 s, 1 µs}, as strace prints its bytes.
    assert!(
        set.strace()
            .contains(r#""\0\0\0\0\0\0\0\0\1\0\0\0\0\0\0\0""#),
        "{}",
        set.strace()
    );
    narrates(&set, &[("1 µs", "1 µs")], &[("0 s", "0 s")]);
    let err = client.recv(&mut [0u8; 4]).unwrap_err();
    assert_eq!(err.cause(), Cause::TimedOut);

    let events = recorder.events().len();
    let err = client.set_read_timeout(Some(Duration::ZERO)).unwrap_err();
    assert_eq!((err.cause(), err.errno()), (Cause::ZeroTimeout, None));
    assert_eq!(recorder.events().len(), events, "no call, no event");
    assert!(err.message(Lang::Pt).contains("esperar para sempre"));
}

/// A peer that reads nothing: once its receive buffer and this side's send
/// buffer are full, a send under `SO_SNDTIMEO` gives up — the failure says
/// the peer did not read, not that nothing arrived.
#[test]
fn a_send_timeout_says_the_peer_did_not_read() {
    let recorder = Recorder::new();
    let (_listener, client, _accepted) = connected(&recorder);
    client
        .set_write_timeout(Some(Duration::from_millis(50)))
        .unwrap();
    let set = last(&recorder, "cliente", "setsockopt");
    assert!(set.strace().contains("SO_SNDTIMEO"), "{}", set.strace());
    narrates(
        &set,
        &[("SO_SNDTIMEO", "SO_SNDTIMEO"), ("50 ms", "50 ms")],
        &[("SO_RCVTIMEO", "SO_RCVTIMEO")],
    );
    // Bounded: the two buffers hold a few megabytes at most.
    let chunk = [b'x'; 64 * 1024];
    let err = (0..1024)
        .find_map(|_| client.send(&chunk).err())
        .expect("a send gives up once both buffers are full");
    assert_eq!(err.cause(), Cause::PeerNotReading);
    assert_eq!(err.posix_errno(), Some(Errno::EAGAIN));
    let send = last(&recorder, "cliente", "sendto");
    assert_eq!(send.mode.write_timeout, Some(Duration::from_millis(50)));
    narrates(
        &send,
        &[("não leu nada", "has read nothing")],
        &[("nada chegou", "nothing arrived")],
    );
    let zero = client.set_write_timeout(Some(Duration::ZERO)).unwrap_err();
    assert_eq!(zero.cause(), Cause::ZeroTimeout);
}

#[test]
fn listen_with_a_negative_backlog_tells_the_kernels_limit() {
    let recorder = Recorder::new();
    let listener = Socket::tcp_v4(recorder.tracer("servidor"))
        .and_then(|s| s.bind(loopback()))
        .and_then(|s| s.listen(-1))
        .unwrap();
    let listen = last(&recorder, "servidor", "listen");
    let limit = listen.tcp.and_then(|i| i.accept_queue_limit);
    if cfg!(target_os = "linux") {
        let somaxconn: u32 = std::fs::read_to_string("/proc/sys/net/core/somaxconn")
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        assert_eq!(limit, Some(somaxconn));
        narrates(
            &listen,
            &[
                (
                    &format!("ajustou para {somaxconn}"),
                    &format!("set to {somaxconn}"),
                ),
                (
                    &format!("deixa {} esperando", somaxconn + 1),
                    &format!("lets {} wait", somaxconn + 1),
                ),
            ],
            &[("-1 + 1", "-1 + 1"), ("deixa 0", "lets 0")],
        );
    }
    listener.close().unwrap();
}

#[test]
fn a_family_mismatch_is_named_as_such() {
    let recorder = Recorder::new();
    // An IPv4 address on an IPv6 socket: the kernel says EINVAL.
    let err = Socket::tcp_v6(recorder.tracer("seis"))
        .and_then(|s| s.bind(loopback()))
        .unwrap_err();
    assert_eq!(
        (err.errno_name(), err.cause()),
        (Some("EINVAL"), Cause::FamilyMismatch)
    );
    // An IPv6 address on an IPv4 socket: EAFNOSUPPORT.
    let err = Socket::tcp_v4(recorder.tracer("quatro"))
        .and_then(|s| s.connect(loopback_v6()))
        .unwrap_err();
    assert_eq!(
        (err.errno_name(), err.cause()),
        (Some("EAFNOSUPPORT"), Cause::FamilyMismatch)
    );
    for label in ["seis", "quatro"] {
        let call = if label == "seis" { "bind" } else { "connect" };
        narrates(
            &last(&recorder, label, call),
            &[("outra família", "other address family")],
            &[
                ("fora de ordem", "out of order"),
                ("confira a ordem", "check the order"),
            ],
        );
    }
}

#[test]
fn a_connect_on_a_connected_descriptor_is_eisconn() {
    let recorder = Recorder::new();
    let listener = Socket::tcp_v4("servidor")
        .and_then(|s| s.bind(loopback()))
        .and_then(|s| s.listen(5))
        .unwrap();
    let server = listener.local_addr().unwrap();
    let socket = Socket::tcp_v4(recorder.tracer("cliente")).unwrap();
    // Connected behind the library's back: the typestate still says Created.
    socket2::SockRef::from(&socket)
        .connect(&server.into())
        .unwrap();
    let err = socket.connect(server).unwrap_err();
    assert_eq!(
        (err.errno_name(), err.cause()),
        (Some("EISCONN"), Cause::AlreadyConnected)
    );
    narrates(
        &last(&recorder, "cliente", "connect"),
        &[("já está conectado", "connected already")],
        &[("inesperado", "unexpected")],
    );
}

#[test]
fn eagain_from_a_nonblocking_socket_is_not_a_timeout() {
    let recorder = Recorder::new();
    let (_listener, client, _accepted) = connected(&recorder);
    socket2::SockRef::from(&client)
        .set_nonblocking(true)
        .unwrap();
    let err = client.recv(&mut [0u8; 16]).unwrap_err();
    assert_eq!(
        (err.errno_name(), err.cause()),
        (Some("EAGAIN"), Cause::WouldBlock)
    );
    let recv = last(&recorder, "cliente", "recvfrom");
    assert!(recv.mode.nonblocking);
    narrates(
        &recv,
        &[("não bloqueante", "non-blocking")],
        &[("tempo esgotado", "timed out")],
    );
}

#[test]
fn a_short_send_is_told_as_such() {
    let recorder = Recorder::new();
    let (_listener, client, _accepted) = connected(&recorder);
    socket2::SockRef::from(&client)
        .set_nonblocking(true)
        .unwrap();
    let offered = 64 << 20;
    let sent = client.send(&vec![b'x'; offered]).unwrap();
    assert!(sent < offered, "the kernel took all {offered} bytes");
    narrates(
        &last(&recorder, "cliente", "sendto"),
        &[
            (
                &format!("só {sent} de {offered}"),
                &format!("only {sent} of {offered}"),
            ),
            ("enviado de novo", "sent again"),
        ],
        &[],
    );
}

#[test]
fn a_recv_into_an_empty_buffer_is_not_an_end_of_stream() {
    let recorder = Recorder::new();
    let (_listener, client, accepted) = connected(&recorder);
    // With no data, a zero-length recv waits for some (Linux), then takes none.
    accepted.send_all(b"x").unwrap();
    assert_eq!(client.recv(&mut []).unwrap(), 0);
    narrates(
        &last(&recorder, "cliente", "recvfrom"),
        &[
            ("buffer de 0 bytes", "buffer of 0 bytes"),
            ("não é o fim do fluxo", "is not the end of the stream"),
        ],
        &[PEER_FIN],
    );
}

#[test]
fn closing_a_listener_resets_the_connections_waiting_in_its_queue() {
    let recorder = Recorder::new();
    let listener = Socket::tcp_v4(recorder.tracer("servidor"))
        .and_then(|s| s.bind(loopback()))
        .and_then(|s| s.listen(5))
        .unwrap();
    let server = listener.local_addr().unwrap();
    let client = Socket::tcp_v4(recorder.tracer("cliente"))
        .and_then(|s| s.connect(server))
        .unwrap();
    support::wait_until("the handshake to be queued", || {
        tcp_info(listener.descriptor()).and_then(|i| i.accept_queue) == Some(1)
    });
    listener.close().unwrap();
    narrates(
        &last(&recorder, "servidor", "close"),
        &[("1 conexão(ões)", "1 connection(s)"), ("RST", "RST")],
        &[],
    );
    assert_eq!(
        client.recv(&mut [0u8; 4]).unwrap_err().cause(),
        Cause::Reset
    );
}

#[test]
fn debug_of_a_socket_is_short_whatever_its_recorder_holds() {
    let recorder = Recorder::new();
    let (_listener, client, _accepted) = connected(&recorder);
    for _ in 0..100 {
        client.send(b"x").unwrap();
    }
    let text = format!("{client:?}");
    assert!(text.len() < 200, "{} bytes: {text}", text.len());
    assert!(format!("{recorder:?}").len() < 100);
}

#[test]
fn portuguese_leaves_no_english_behind() {
    let recorder = Recorder::new();
    let (listener, client, accepted) = connected(&recorder);
    client.send_all(b"ola").unwrap();
    accepted.recv(&mut [0u8; 8]).unwrap();
    let closed = accepted.close().unwrap();
    client.recv(&mut [0u8; 8]).unwrap();
    client.close().unwrap();
    closed.kernel_state();
    listener.close().unwrap();
    let holder = Socket::tcp_v4("ocupa")
        .and_then(|s| s.bind(loopback()))
        .unwrap();
    let refused = Socket::tcp_v4(recorder.tracer("recusado"))
        .and_then(|s| s.connect(holder.local_addr().unwrap()));
    let refused = refused.unwrap_err();
    let udp = UdpSocket::udp_v4(recorder.tracer("udp"))
        .and_then(|s| s.bind(loopback()))
        .unwrap();
    udp.set_read_timeout(Some(Duration::from_millis(5)))
        .unwrap();
    assert!(udp.recv_from(&mut [0u8; 8]).is_err());

    let mut pt = recorder.render(Lang::Pt);
    pt.push_str(&recorder.render_redacted(Lang::Pt));
    pt.push_str(&refused.message(Lang::Pt));
    let diagram = socket_lifecycle::diagram::SequenceDiagram::redacted(&recorder.events());
    pt.push_str(&diagram.text(Lang::Pt));
    for english in [
        "gone",
        "kernel lookup",
        "accept queue",
        "Connection refused",
        "Resource temporarily",
        "failed",
        " the ",
        "received",
        "new socket",
        "connection &",
    ] {
        assert!(!pt.contains(english), "{english:?} in:\n{pt}");
    }
}

/// A refused connect's event, for the failure path: the outcome holds the
/// errno, and the narration is the hint.
#[test]
fn a_refused_connect_narrates_its_hint() {
    let recorder = Recorder::new();
    let holder = Socket::tcp_v4("ocupa")
        .and_then(|s| s.bind(loopback()))
        .unwrap();
    let target = holder.local_addr().unwrap();
    assert!(
        Socket::tcp_v4(recorder.tracer("cliente"))
            .and_then(|s| s.connect(target))
            .is_err()
    );
    let connect = last(&recorder, "cliente", "connect");
    let refused = Errno::ECONNREFUSED.code().unwrap();
    assert_eq!(connect.outcome, Outcome::Failed(refused));
    narrates(
        &connect,
        &[("ninguém escuta em", "nobody is listening on")],
        &[],
    );
}

/// The README shows two of these cases; its lines are what the trace says
/// (but for the descriptor numbers, which differ from run to run).
#[test]
fn the_readme_shows_these_cases_as_the_trace_tells_them() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("the README");
    let recorder = Recorder::new();
    let (_listener, client, accepted) = connected(&recorder);
    client.shutdown(Shutdown::Read).unwrap();
    client.recv(&mut [0u8; 16]).unwrap();
    client.send_all(b"abcdef").unwrap();
    accepted.recv(&mut [0u8; 2]).unwrap();
    accepted.close().unwrap();
    for (label, call) in [("cliente", "recvfrom"), ("servidor#1", "close")] {
        let line = last(&recorder, label, call).line(Lang::En);
        let (call_line, narration) = line.split_once('\n').unwrap();
        assert!(readme.contains(narration), "README lacks: {narration}");
        // `[cliente] Connected → Connected: recvfrom(` and what follows the fd.
        let (head, tail) = call_line.split_once('(').unwrap();
        let tail = tail.split_once(|c: char| !c.is_ascii_digit()).unwrap().1;
        assert!(
            readme
                .lines()
                .any(|l| l.starts_with(head) && l.ends_with(tail)),
            "README lacks: {call_line}"
        );
    }
}
