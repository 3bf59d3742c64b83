//! Loopback only: the addresses tests bind, a port nobody holds, and a raw
//! TCP client that sends bytes exactly as given.

use std::io::{Read, Write};
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener, TcpStream};

use socket_lifecycle::TcpState;
use socket_lifecycle::kernel::{AsDescriptor, tcp_info};

use super::DEADLINE;

/// 127.0.0.1, port 0: the kernel picks the port at bind.
pub fn loopback() -> SocketAddr {
    (Ipv4Addr::LOCALHOST, 0).into()
}

/// ::1, port 0: the kernel picks the port at bind.
pub fn loopback_v6() -> SocketAddr {
    (Ipv6Addr::LOCALHOST, 0).into()
}

/// A port on 127.0.0.1 that was free a moment ago: bound with port 0 (the
/// kernel picks it) and released. For programs that cannot report the port
/// they bound, like the report's `servidor.py`; another program may take it
/// meanwhile, so its users retry on another. For "nobody listens here", use
/// [`held_port`].
pub fn free_port() -> u16 {
    let probe = TcpListener::bind(loopback()).expect("bind 127.0.0.1:0");
    probe
        .local_addr()
        .expect("the probe's local address")
        .port()
}

/// A port on 127.0.0.1 that nobody listens on, held by the returned socket:
/// bound and never listening, so a connect to it is refused and no other
/// program can take it while the socket lives.
pub fn held_port() -> (socket2::Socket, u16) {
    let socket = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None)
        .expect("a TCP socket");
    socket.bind(&loopback().into()).expect("bind 127.0.0.1:0");
    let port = socket
        .local_addr()
        .ok()
        .and_then(|a| a.as_socket())
        .expect("the held socket's address")
        .port();
    (socket, port)
}

/// Waits until the kernel holds `socket`'s connection in `state`, as
/// TCP_INFO says; fails the test after [`DEADLINE`].
pub fn wait_state(socket: &impl AsDescriptor, state: TcpState) {
    super::wait_until(&format!("the connection to be {state}"), || {
        tcp_info(socket.descriptor()).map(|i| i.state) == Some(state)
    });
}

/// A raw client on std's `TcpStream`: sends bytes exactly as given, one
/// `send` per call, and reads the server's answer with a deadline.
pub struct RawClient(pub TcpStream);

impl RawClient {
    pub fn connect(addr: SocketAddr) -> RawClient {
        let stream = TcpStream::connect(addr).unwrap_or_else(|err| panic!("connect {addr}: {err}"));
        stream.set_nodelay(true).expect("TCP_NODELAY");
        stream
            .set_read_timeout(Some(DEADLINE))
            .expect("a read timeout");
        RawClient(stream)
    }

    pub fn send(&mut self, bytes: &[u8]) {
        self.0.write_all(bytes).expect("send to the server");
    }

    /// Reads as many bytes as `expected` holds, and fails unless they are
    /// `expected`. What came after them stays for the next read: TCP may
    /// deliver two replies in one segment.
    pub fn expect(&mut self, expected: &str) {
        let mut got = Vec::new();
        let mut buf = [0u8; 1024];
        while got.len() < expected.len() {
            let want = (expected.len() - got.len()).min(buf.len());
            let n = self
                .0
                .read(&mut buf[..want])
                .unwrap_or_else(|err| panic!("reading {expected:?}: {err}"));
            assert!(n > 0, "closed after {:?}", String::from_utf8_lossy(&got));
            got.extend_from_slice(&buf[..n]);
        }
        assert_eq!(String::from_utf8_lossy(&got), expected);
    }

    /// One message and its answer, `Servidor recebeu: MSG`, byte for byte.
    pub fn exchange(&mut self, message: &str) {
        self.send(message.as_bytes());
        self.expect(&format!("Servidor recebeu: {message}"));
    }

    /// `sair`, the server's goodbye, then end-of-file: the server closed.
    pub fn leave(mut self) {
        self.send(b"sair");
        self.expect("Conexão encerrada.");
        let mut buf = [0u8; 16];
        let n = self.0.read(&mut buf).expect("read the server's close");
        assert_eq!(n, 0, "the server closes");
    }
}
