//! Whole lifecycles, recorded and rendered deterministically: each test is a
//! snapshot of the redacted trace (`Recorder::render_redacted`), so no fd
//! number or kernel-chosen port ever reaches a snapshot.

mod support;

use std::net::SocketAddr;

use socket_lifecycle::{Cause, Lang, Recorder, Socket, TcpState};
use support::{loopback, loopback_v6};

/// The server's side of the report's protocol, one client, one message and
/// `sair`; the client runs in this thread, the server in another.
#[test]
fn server_lifecycle_through_one_connection() {
    let recorder = Recorder::new();
    let listener = Socket::tcp_v4(recorder.tracer("servidor"))
        .and_then(|s| s.reuse_address(true))
        .and_then(|s| s.bind(loopback()))
        .and_then(|s| s.listen(5))
        .unwrap();
    let addr = listener.local_addr().unwrap();

    let server = std::thread::spawn(move || {
        let (conn, _peer) = listener.accept().unwrap();
        let mut buf = [0u8; 1024];
        loop {
            let n = conn.recv(&mut buf).unwrap();
            let message = String::from_utf8_lossy(&buf[..n]).into_owned();
            if n == 0 {
                break;
            }
            if message.eq_ignore_ascii_case("sair") {
                conn.send_all("Conexão encerrada.".as_bytes()).unwrap();
                break;
            }
            conn.send_all(format!("Servidor recebeu: {message}").as_bytes())
                .unwrap();
        }
        conn.close().unwrap();
        listener.close().unwrap();
    });

    // The client is not recorded: the server's story only.
    let client = Socket::tcp_v4("cliente").unwrap().connect(addr).unwrap();
    let mut buf = [0u8; 1024];
    client.send_all(b"ola").unwrap();
    let n = client.recv(&mut buf).unwrap();
    assert_eq!(&buf[..n], b"Servidor recebeu: ola");
    client.send_all(b"sair").unwrap();
    let n = client.recv(&mut buf).unwrap();
    assert_eq!(&buf[..n], "Conexão encerrada.".as_bytes());
    assert_eq!(client.recv(&mut buf).unwrap(), 0);
    server.join().unwrap();
    client.close().unwrap();

    insta::assert_snapshot!(recorder.render_redacted(Lang::En));
}

/// The client's side, against a server that is not recorded.
#[test]
fn client_lifecycle() {
    let listener = Socket::tcp_v4("servidor")
        .and_then(|s| s.bind(loopback()))
        .and_then(|s| s.listen(5))
        .unwrap();
    let addr = listener.local_addr().unwrap();
    // The server closes only when told, after the client has read its own
    // state following shutdown: the states in the snapshot do not race.
    let (may_close, wait_for_client) = std::sync::mpsc::channel::<()>();
    let server = std::thread::spawn(move || {
        let (conn, _) = listener.accept().unwrap();
        let mut buf = [0u8; 1024];
        let n = conn.recv(&mut buf).unwrap();
        assert_eq!(&buf[..n], b"ola");
        conn.send_all(b"Servidor recebeu: ola").unwrap();
        assert_eq!(conn.recv(&mut buf).unwrap(), 0);
        wait_for_client.recv().unwrap();
    });

    let recorder = Recorder::new();
    let client = Socket::tcp_v4(recorder.tracer("cliente"))
        .and_then(|s| s.connect(addr))
        .unwrap();
    client.send_all(b"ola").unwrap();
    let mut buf = [0u8; 1024];
    let n = client.recv(&mut buf).unwrap();
    assert_eq!(&buf[..n], b"Servidor recebeu: ola");
    client.shutdown(std::net::Shutdown::Write).unwrap();
    may_close.send(()).unwrap();
    server.join().unwrap();
    let n = client.recv(&mut buf).unwrap();
    assert_eq!(n, 0);
    client.close().unwrap();

    insta::assert_snapshot!(recorder.render_redacted(Lang::En));
}

/// `connect` to a port that is bound but not listening: ECONNREFUSED, then
/// the failed socket is closed.
#[test]
fn refused_connect() {
    let recorder = Recorder::new();
    // Holding the port (bound, never listening) means nobody else can take it.
    let holder = Socket::tcp_v4(recorder.tracer("sem-escuta"))
        .and_then(|s| s.bind(loopback()))
        .unwrap();
    let addr = holder.local_addr().unwrap();

    let err = Socket::tcp_v4(recorder.tracer("cliente"))
        .unwrap()
        .connect(addr)
        .unwrap_err();
    assert_eq!(err.step(), "connect");
    assert_eq!(err.errno_name(), Some("ECONNREFUSED"));
    assert_eq!(err.cause(), Cause::NoListener);
    assert_eq!(err.address(), Some(addr));
    assert!(err.message(Lang::En).contains("start the server first"));
    holder.close().unwrap();

    insta::assert_snapshot!(recorder.render_redacted(Lang::En));
}

/// `bind` to a port a live listener holds: EADDRINUSE, even with
/// SO_REUSEADDR (which only frees ports held in TIME_WAIT).
#[test]
fn bind_on_a_port_in_use() {
    let recorder = Recorder::new();
    let first = Socket::tcp_v4(recorder.tracer("primeiro"))
        .and_then(|s| s.reuse_address(true))
        .and_then(|s| s.bind(loopback()))
        .and_then(|s| s.listen(5))
        .unwrap();
    let addr = first.local_addr().unwrap();

    let err = Socket::tcp_v4(recorder.tracer("segundo"))
        .and_then(|s| s.reuse_address(true))
        .and_then(|s| s.bind(addr))
        .unwrap_err();
    assert_eq!(err.step(), "bind");
    assert_eq!(err.errno_name(), Some("EADDRINUSE"));
    assert_eq!(err.cause(), Cause::PortInUse);
    first.close().unwrap();

    insta::assert_snapshot!(recorder.render_redacted(Lang::En));
}

/// IPv6 takes the same steps; the trace shows strace's sockaddr_in6.
#[test]
fn ipv6_lifecycle() {
    if !support::ipv6_loopback_here() {
        return;
    }
    let recorder = Recorder::new();
    // The machine binds ::1: so must the library's IPv6 socket.
    let listener = Socket::tcp_v6(recorder.tracer("servidor"))
        .and_then(|s| s.bind(loopback_v6()))
        .and_then(|s| s.listen(5))
        .expect("an IPv6 listener on ::1");
    let client = Socket::tcp_v6(recorder.tracer("cliente"))
        .and_then(|s| s.connect(listener.local_addr().unwrap()))
        .unwrap();
    let (conn, peer) = listener.accept().unwrap();
    assert_eq!(Some(peer), client.local_addr());
    client.send_all(b"ola").unwrap();
    let mut buf = [0u8; 16];
    assert_eq!(conn.recv(&mut buf).unwrap(), 3);
    drop(client);
    drop(conn);
    drop(listener);

    let trace = recorder.render_redacted(Lang::En);
    for label in ["servidor", "cliente"] {
        assert!(
            trace.contains(&format!(
                "[{label}] - → Created: socket(AF_INET6, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_TCP)"
            )),
            "{trace}"
        );
    }
    assert!(trace.contains(
        "connect(<fd cliente>, {sa_family=AF_INET6, sin6_port=htons(<port servidor>), \
         sin6_flowinfo=htonl(0), inet_pton(AF_INET6, \"::1\", &sin6_addr), sin6_scope_id=0}, 28) = 0"
    ));
    // Dropping closes, and the close is traced.
    for label in ["cliente", "servidor#cliente", "servidor"] {
        assert!(
            trace.contains(&format!("close(<fd {label}>) = 0")),
            "{label}"
        );
    }
}

/// The kernel states of the demo's order of calls: LISTEN, ESTABLISHED,
/// CLOSE_WAIT on the side that got the FIN, TIME_WAIT on the side that
/// closed first.
#[test]
fn kernel_states_follow_the_fin_exchange() {
    let recorder = Recorder::new();
    let listener = Socket::tcp_v4(recorder.tracer("servidor"))
        .and_then(|s| s.bind(loopback()))
        .and_then(|s| s.listen(5))
        .unwrap();
    let client = Socket::tcp_v4(recorder.tracer("cliente"))
        .and_then(|s| s.connect(listener.local_addr().unwrap()))
        .unwrap();
    let (conn, _) = listener.accept().unwrap();
    let server_side = conn.close().unwrap();
    assert_eq!(client.recv(&mut [0u8; 8]).unwrap(), 0);
    client.close().unwrap();
    if cfg!(target_os = "linux") {
        assert_eq!(server_side.kernel_state(), Some(TcpState::TimeWait));
        let events = recorder.events();
        let state_after = |label: &str, call: &str| {
            events
                .iter()
                .filter(|e| &*e.socket == label && e.call.name() == call)
                .find_map(|e| e.tcp.map(|t| t.state))
        };
        assert_eq!(state_after("servidor", "listen"), Some(TcpState::Listen));
        assert_eq!(
            state_after("cliente", "connect"),
            Some(TcpState::Established)
        );
        assert_eq!(
            state_after("cliente", "recvfrom"),
            Some(TcpState::CloseWait)
        );
    }
}

/// The recorder is shared across threads and inherited by accepted sockets;
/// rendering it twice gives the same text, and redacting leaves nothing of
/// the run's own numbers.
#[test]
fn redacted_rendering_is_stable_and_complete() {
    let recorder = Recorder::new();
    let listener = Socket::tcp_v4(recorder.tracer("servidor"))
        .and_then(|s| s.bind(loopback()))
        .and_then(|s| s.listen(5))
        .unwrap();
    let addr = listener.local_addr().unwrap();
    let clients: Vec<_> = (0..3)
        .map(|i| {
            let recorder = recorder.clone();
            std::thread::spawn(move || {
                let c = Socket::tcp_v4(recorder.tracer(&format!("cliente{i}")))
                    .and_then(|s| s.connect(addr))
                    .unwrap();
                c.send_all(b"ola").unwrap();
                c.local_addr().unwrap()
            })
        })
        .collect();
    for _ in 0..3 {
        let (conn, _) = listener.accept().unwrap();
        let mut buf = [0u8; 8];
        assert_eq!(conn.recv(&mut buf).unwrap(), 3);
    }
    let client_addrs: Vec<_> = clients.into_iter().map(|c| c.join().unwrap()).collect();

    let once = recorder.render_redacted(Lang::Pt);
    assert_eq!(once, recorder.render_redacted(Lang::Pt));
    for addr in client_addrs.iter().chain([&addr]) {
        assert!(
            !once.contains(&addr.port().to_string()),
            "port {} leaked",
            addr.port()
        );
    }
    // Accepted sockets are named for their clients, whatever the accept order.
    for label in [
        "servidor#cliente0",
        "servidor#cliente1",
        "servidor#cliente2",
    ] {
        assert!(once.contains(&format!("── {label}\n")), "{label}");
    }
}

/// A listener whose queue is full says so when it accepts: listen(1) lets
/// the kernel finish two handshakes (it allows one more than the backlog);
/// after one accept, the other still fills the queue.
#[test]
fn a_full_accept_queue_is_narrated() {
    let recorder = Recorder::new();
    let listener = Socket::tcp_v4(recorder.tracer("servidor"))
        .and_then(|s| s.bind(loopback()))
        .and_then(|s| s.listen(1))
        .unwrap();
    let addr = listener.local_addr().unwrap();
    let _clients: Vec<_> = (0..2)
        .map(|_| Socket::tcp_v4("cliente").unwrap().connect(addr).unwrap())
        .collect();
    let (_conn, _) = listener.accept().unwrap();
    let accept = recorder
        .events()
        .into_iter()
        .find(|e| e.call.name() == "accept4")
        .unwrap();
    if cfg!(target_os = "linux") {
        let info = accept.tcp.unwrap();
        assert_eq!(
            (info.accept_queue, info.accept_queue_limit),
            (Some(1), Some(1))
        );
        assert!(
            accept
                .narration(Lang::En)
                .contains("The accept queue was full until this accept (1/1 still wait")
        );
        assert!(
            accept
                .narration(Lang::Pt)
                .contains("A fila de aceitação estava cheia até este accept (1/1 ainda esperam")
        );
    }
}

/// The two ways to ask what the kernel holds of a connection agree: the
/// netlink sock_diag request and `/proc/net/tcp`.
#[test]
fn sock_diag_and_proc_net_tcp_agree() {
    use socket_lifecycle::kernel::{lingering_state, proc_state};
    if !cfg!(target_os = "linux") {
        return;
    }
    let listener = Socket::tcp_v4("servidor")
        .and_then(|s| s.bind(loopback()))
        .and_then(|s| s.listen(5))
        .unwrap();
    let client = Socket::tcp_v4("cliente")
        .and_then(|s| s.connect(listener.local_addr().unwrap()))
        .unwrap();
    let (conn, _) = listener.accept().unwrap();
    let (local, peer) = (conn.local_addr().unwrap(), conn.peer_addr().unwrap());
    assert_eq!(
        lingering_state(local, peer).state(),
        Some(TcpState::Established)
    );
    assert_eq!(proc_state(local, peer).state(), Some(TcpState::Established));
    conn.close().unwrap();
    assert_eq!(client.recv(&mut [0u8; 4]).unwrap(), 0);
    client.close().unwrap();
    assert_eq!(
        lingering_state(local, peer).state(),
        Some(TcpState::TimeWait)
    );
    assert_eq!(proc_state(local, peer).state(), Some(TcpState::TimeWait));
    let nobody: SocketAddr = ([127, 0, 0, 1], 9).into();
    assert_eq!(lingering_state(local, nobody).state(), None);
}
