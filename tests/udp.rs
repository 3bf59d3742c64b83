//! UDP lifecycles, recorded and rendered deterministically: snapshots of the
//! redacted trace (`Recorder::render_redacted`), loopback and port 0 only.
//! Every receive that could wait has a read timeout, so no test can hang.

mod support;

use std::net::SocketAddr;
use std::time::Duration;

use socket_lifecycle::{Cause, Lang, Recorder, UdpSocket, udp};
use support::{loopback, loopback_v6};

/// Longer than any loopback exchange takes; a test that waits this long has
/// failed anyway.
const PATIENCE: Duration = Duration::from_secs(5);

/// The report's protocol over datagrams: answer `Servidor recebeu: MSG` to
/// each datagram and `Conexão encerrada.` to `sair`, then close.
fn answer_until_sair(server: UdpSocket<udp::Bound>) {
    let mut buf = [0u8; 1024];
    loop {
        let got = server.recv_from(&mut buf).unwrap();
        let from = got.from.unwrap();
        let message = String::from_utf8_lossy(&buf[..got.kept]).into_owned();
        if message.eq_ignore_ascii_case("sair") {
            server
                .send_to("Conexão encerrada.".as_bytes(), from)
                .unwrap();
            break;
        }
        server
            .send_to(format!("Servidor recebeu: {message}").as_bytes(), from)
            .unwrap();
    }
    server.close().unwrap();
}

/// A chat server, not recorded, in a thread, until `sair`.
fn chat_server() -> (SocketAddr, std::thread::JoinHandle<()>) {
    let server = UdpSocket::udp_v4("servidor")
        .and_then(|s| s.bind(loopback()))
        .unwrap();
    server.set_read_timeout(Some(PATIENCE)).unwrap();
    let addr = server.local_addr().unwrap();
    (addr, std::thread::spawn(move || answer_until_sair(server)))
}

/// The server's side of the report's protocol over datagrams: socket, bind,
/// then one recvfrom/sendto per message, `sair`, close. No listen, no
/// accept: the client is known by its first datagram.
#[test]
fn udp_server_lifecycle() {
    let recorder = Recorder::new();
    let server = UdpSocket::udp_v4(recorder.tracer("servidor"))
        .and_then(|s| s.bind(loopback()))
        .unwrap();
    let addr = server.local_addr().unwrap();

    let serving = std::thread::spawn(move || answer_until_sair(server));

    // The client is not recorded: the server's story only.
    let (client, _) = UdpSocket::udp_v4("cliente")
        .unwrap()
        .send_to(b"ola", addr)
        .unwrap();
    client.set_read_timeout(Some(PATIENCE)).unwrap();
    let mut buf = [0u8; 1024];
    let got = client.recv_from(&mut buf).unwrap();
    assert_eq!(&buf[..got.kept], b"Servidor recebeu: ola");
    client.send_to(b"sair", addr).unwrap();
    let got = client.recv_from(&mut buf).unwrap();
    assert_eq!(&buf[..got.kept], "Conexão encerrada.".as_bytes());
    serving.join().unwrap();
    client.close().unwrap();

    insta::assert_snapshot!(recorder.render_redacted(Lang::En));
}

/// The client's side: socket, SO_RCVTIMEO, and a first sendto that makes
/// the kernel bind the socket (Created → Bound); then recvfrom, `sair`,
/// close — no connect, no handshake, no FIN.
#[test]
fn udp_client_lifecycle() {
    let (addr, server) = chat_server();

    let recorder = Recorder::new();
    let client = UdpSocket::udp_v4(recorder.tracer("cliente")).unwrap();
    client.set_read_timeout(Some(PATIENCE)).unwrap();
    let (client, sent) = client.send_to(b"ola", addr).unwrap();
    assert_eq!(sent, 3);
    let mut buf = [0u8; 1024];
    let got = client.recv_from(&mut buf).unwrap();
    assert_eq!(&buf[..got.kept], b"Servidor recebeu: ola");
    assert_eq!(got.from, Some(addr));
    client.send_to(b"sair", addr).unwrap();
    let got = client.recv_from(&mut buf).unwrap();
    assert_eq!(&buf[..got.kept], "Conexão encerrada.".as_bytes());
    server.join().unwrap();
    client.close().unwrap();

    insta::assert_snapshot!(recorder.render_redacted(Lang::En));
}

/// The same client with the optional connect: the peer is fixed without a
/// packet leaving, then plain send/recv.
#[test]
fn udp_connected_client_lifecycle() {
    let (addr, server) = chat_server();

    let recorder = Recorder::new();
    let client = UdpSocket::udp_v4(recorder.tracer("cliente"))
        .and_then(|s| s.connect(addr))
        .unwrap();
    assert_eq!(client.peer_addr(), Some(addr));
    client.set_read_timeout(Some(PATIENCE)).unwrap();
    let mut buf = [0u8; 1024];
    client.send(b"ola").unwrap();
    let got = client.recv(&mut buf).unwrap();
    assert_eq!(&buf[..got.kept], b"Servidor recebeu: ola");
    client.send(b"sair").unwrap();
    client.recv(&mut buf).unwrap();
    server.join().unwrap();
    client.close().unwrap();

    insta::assert_snapshot!(recorder.render_redacted(Lang::Pt));
}

/// Two sends are two receives: each recvfrom returns one whole datagram,
/// even when both are already waiting.
#[test]
fn message_boundaries_are_kept() {
    let recorder = Recorder::new();
    let server = UdpSocket::udp_v4(recorder.tracer("servidor"))
        .and_then(|s| s.bind(loopback()))
        .unwrap();
    server.set_read_timeout(Some(PATIENCE)).unwrap();
    let addr = server.local_addr().unwrap();
    let (client, _) = UdpSocket::udp_v4(recorder.tracer("cliente"))
        .unwrap()
        .send_to(b"um", addr)
        .unwrap();
    client.send_to(b"dois", addr).unwrap();

    let mut buf = [0u8; 1024];
    let first = server.recv_from(&mut buf).unwrap();
    assert_eq!(&buf[..first.kept], b"um");
    let second = server.recv_from(&mut buf).unwrap();
    assert_eq!(&buf[..second.kept], b"dois");
    assert!(!first.truncated() && !second.truncated());

    let trace = recorder.render_redacted(Lang::En);
    assert!(trace.contains("recvfrom(<fd servidor>, \"um\", 1024, MSG_TRUNC,"));
    assert!(trace.contains("recvfrom(<fd servidor>, \"dois\", 1024, MSG_TRUNC,"));
}

/// A datagram larger than the buffer: the kernel keeps what fits, returns
/// the real size (MSG_TRUNC), and the trace says it was truncated.
#[test]
fn truncated_datagram_is_reported() {
    let recorder = Recorder::new();
    let server = UdpSocket::udp_v4(recorder.tracer("servidor"))
        .and_then(|s| s.bind(loopback()))
        .unwrap();
    server.set_read_timeout(Some(PATIENCE)).unwrap();
    let addr = server.local_addr().unwrap();
    let (client, _) = UdpSocket::udp_v4(recorder.tracer("cliente"))
        .unwrap()
        .send_to(&[b'x'; 100], addr)
        .unwrap();

    let mut buf = [0u8; 10];
    let got = server.recv_from(&mut buf).unwrap();
    assert_eq!(got.kept, 10);
    assert_eq!(
        got.from.map(|a| a.port()),
        client.local_addr().map(|a| a.port())
    );
    if cfg!(any(target_os = "linux", target_os = "android")) {
        assert_eq!(got.size, 100);
        assert!(got.truncated());
    }
    server.close().unwrap();
    client.close().unwrap();

    insta::assert_snapshot!(recorder.render_redacted(Lang::En));
}

/// Nobody answers: with SO_RCVTIMEO the receive gives up with EAGAIN. The
/// datagram went to a bound socket that never reads, so no ICMP error comes
/// back either — only silence, which is all UDP can offer.
#[test]
fn receive_times_out_when_nobody_answers() {
    let silent = UdpSocket::udp_v4("mudo")
        .and_then(|s| s.bind(loopback()))
        .unwrap();
    let addr = silent.local_addr().unwrap();

    let recorder = Recorder::new();
    let client = UdpSocket::udp_v4(recorder.tracer("cliente")).unwrap();
    client
        .set_read_timeout(Some(Duration::from_millis(200)))
        .unwrap();
    let (client, _) = client.send_to(b"ola", addr).unwrap();
    let err = client.recv_from(&mut [0u8; 1024]).unwrap_err();
    assert_eq!(err.step(), "recvfrom");
    assert_eq!(err.errno_name(), Some("EAGAIN"));
    assert_eq!(err.cause(), Cause::TimedOut);
    client.close().unwrap();
    silent.close().unwrap();

    insta::assert_snapshot!(recorder.render_redacted(Lang::En));
}

/// shutdown() wakes a thread blocked in recv_from: it returns 0 bytes from
/// nobody. On an unconnected socket Linux answers ENOTCONN — the trace shows
/// it — and wakes the reader all the same (Linux: the reader's blocking is
/// read from `/proc`).
#[cfg(target_os = "linux")]
#[test]
fn shutdown_wakes_a_blocked_receive() {
    let recorder = Recorder::new();
    let server = std::sync::Arc::new(
        UdpSocket::udp_v4(recorder.tracer("servidor"))
            .and_then(|s| s.bind(loopback()))
            .unwrap(),
    );
    server.set_read_timeout(Some(PATIENCE)).unwrap();
    let (tid, told) = std::sync::mpsc::channel();
    let reader = {
        let server = std::sync::Arc::clone(&server);
        std::thread::spawn(move || {
            tid.send(support::thread_id())
                .expect("tell the thread's id");
            server
                .recv_from(&mut [0u8; 1024])
                .expect("woken by shutdown")
        })
    };
    // Shut it while the reader is blocked in recvfrom, as the kernel says.
    let tid = told.recv().expect("the reader's thread id");
    support::wait_blocked_in(tid, libc::SYS_recvfrom);
    server.shutdown().unwrap();
    let got = reader.join().unwrap();
    assert_eq!(got.from, None);
    assert_eq!(got.kept, 0);

    let trace = recorder.render_redacted(Lang::En);
    if cfg!(target_os = "linux") {
        assert!(trace.contains(
            "shutdown(<fd servidor>, SHUT_RDWR) = -1 ENOTCONN (Transport endpoint is not connected)"
        ));
        assert!(trace.contains(
            "recvfrom(<fd servidor>, \"\", 1024, MSG_TRUNC, <unfilled>, [128 => 0]) = 0"
        ));
    }
}

/// A connected UDP socket hears the ICMP "port unreachable" its datagram
/// caused: the next receive fails with ECONNREFUSED. (An unconnected one
/// would only time out.)
#[test]
fn connected_socket_hears_port_unreachable() {
    // A port the kernel just handed out and took back: nobody is on it —
    // unless another program takes it meanwhile (a UDP port cannot be held
    // without receiving on it), and then the answer is a datagram or
    // silence: try another port.
    for _ in 0..5 {
        let probe = UdpSocket::udp_v4("sonda")
            .and_then(|s| s.bind(loopback()))
            .expect("bind a UDP probe");
        let addr = probe.local_addr().expect("the probe's address");
        probe.close().expect("close the probe");

        let client = UdpSocket::udp_v4("cliente")
            .and_then(|s| s.connect(addr))
            .expect("a connected UDP socket");
        client
            .set_read_timeout(Some(Duration::from_millis(500)))
            .expect("SO_RCVTIMEO");
        client.send(b"ola").expect("send a datagram");
        match client.recv(&mut [0u8; 64]) {
            Err(err) if err.errno_name() == Some("ECONNREFUSED") => {
                assert_eq!(err.cause(), Cause::NoListener);
                return;
            }
            other => eprintln!(
                "port {} was taken meanwhile ({other:?}): another",
                addr.port()
            ),
        }
    }
    panic!("five ports in a row were taken between close and send");
}

/// IPv6 takes the same steps; the trace shows strace's sockaddr_in6 and its
/// 28-byte length.
#[test]
fn ipv6_datagrams() {
    if !support::ipv6_loopback_here() {
        return;
    }
    let recorder = Recorder::new();
    // The machine binds ::1: so must the library's IPv6 socket.
    let server = UdpSocket::udp_v6(recorder.tracer("servidor"))
        .and_then(|s| s.bind(loopback_v6()))
        .expect("an IPv6 UDP socket on ::1");
    server.set_read_timeout(Some(PATIENCE)).unwrap();
    let addr = server.local_addr().unwrap();
    let (client, _) = UdpSocket::udp_for(&addr, recorder.tracer("cliente"))
        .unwrap()
        .send_to(b"ola", addr)
        .unwrap();
    let got = server.recv_from(&mut [0u8; 16]).unwrap();
    assert_eq!(got.kept, 3);
    drop(client);
    drop(server);

    let trace = recorder.render_redacted(Lang::En);
    assert!(trace.contains("socket(AF_INET6, SOCK_DGRAM|SOCK_CLOEXEC, IPPROTO_UDP)"));
    assert!(trace.contains(
        "sendto(<fd cliente>, \"ola\", 3, MSG_NOSIGNAL, {sa_family=AF_INET6, sin6_port=htons(<port servidor>), \
         sin6_flowinfo=htonl(0), inet_pton(AF_INET6, \"::1\", &sin6_addr), sin6_scope_id=0}, 28) = 3"
    ));
    assert!(trace.contains("[128 => 28]) = 3"));
    // Dropping closes, and the close is traced.
    for label in ["cliente", "servidor"] {
        assert!(
            trace.contains(&format!("close(<fd {label}>) = 0")),
            "{label}"
        );
    }
}

/// A fixed port (the report's 8888) is part of what the program did: the
/// canonical rendering keeps it, and hides only the ports the kernel chose.
#[test]
fn fixed_ports_are_not_redacted_like_ephemeral_ones() {
    // 8888, unless this machine draws ephemeral ports from a range that
    // holds it: then the port just below the range.
    let range = std::fs::read_to_string("/proc/sys/net/ipv4/ip_local_port_range")
        .unwrap_or_else(|_| "32768 60999".to_string());
    let low: u16 = range
        .split_whitespace()
        .next()
        .and_then(|n| n.parse().ok())
        .expect("the range's low end");
    let fixed = if low > 8888 { 8888 } else { low - 1 };
    let recorder = Recorder::new();
    // A datagram needs nobody on the port: it only leaves.
    let to: SocketAddr = ([127, 0, 0, 1], fixed).into();
    let (client, _) = UdpSocket::udp_v4(recorder.tracer("cliente"))
        .and_then(|s| s.send_to(b"ola", to))
        .expect("a datagram to 127.0.0.1");
    client.close().expect("close");
    let trace = recorder.render_redacted(Lang::En);
    assert!(
        trace.contains(&format!(
            "sin_port=htons({fixed}), sin_addr=inet_addr(\"127.0.0.1\")}}, 16) = 3"
        )),
        "{trace}"
    );
    assert!(
        trace.contains(&format!("to 127.0.0.1:{fixed}, whole or not at all")),
        "{trace}"
    );
    assert!(
        trace.contains("bound it to 0.0.0.0:<port cliente>"),
        "{trace}"
    );
}

/// The states a UDP socket goes through, as values.
#[test]
fn states_mirror_the_types() {
    let socket = UdpSocket::udp_v4("x").unwrap();
    assert_eq!(socket.state(), socket_lifecycle::StateName::Created);
    let socket: UdpSocket<udp::Bound> = socket.bind(loopback()).unwrap();
    assert_eq!(socket.state(), socket_lifecycle::StateName::Bound);
    let peer = socket.local_addr().unwrap();
    let socket: UdpSocket<udp::Connected> = socket.connect(peer).unwrap();
    assert_eq!(socket.state(), socket_lifecycle::StateName::Connected);
    socket.close().unwrap();
}
