//! The report's chat server and client as a course assignment: the
//! reference solutions an instructor writes, and student submissions with
//! the classic mistakes — shared by the grading tests (`tests/grading.rs`)
//! and their stress run (`tests/grading_stress.rs`).
//!
//! The assignment asks for the server in two functions the harness calls:
//! `prepare` (socket, SO_REUSEADDR, bind, listen) and `serve` (accept until
//! `accept` fails, a thread per client, the protocol, close); and for the
//! client in one function given a tracer and the server's address.

// Each test binary uses the part it needs.
#![allow(dead_code)]

use std::net::SocketAddr;

use socket_lifecycle::errno::Errno;
use socket_lifecycle::grade::{Client, Harness};
use socket_lifecycle::{Connection, Listener, Socket, Tracer};

/// Three scripted clients of the report's protocol, `cliente-1` to
/// `cliente-3`, each saying `ola` and `sair` and answering the server's
/// close.
pub fn three_clients(harness: Harness) -> Harness {
    (1..=3).fold(harness, |harness, i| {
        harness.client(
            Client::new(&format!("cliente-{i}"))
                .says("ola")
                .says("sair")
                .expects_close(),
        )
    })
}

/// `recv`, made again when a signal interrupts it (`EINTR`), as every
/// program should: in the stress run, another test of the same process
/// keeps spawning processes.
pub fn recv(conn: &Connection, buf: &mut [u8]) -> socket_lifecycle::Result<usize> {
    loop {
        match conn.recv(buf) {
            Err(err) if err.posix_errno() == Some(Errno::EINTR) => {}
            other => return other,
        }
    }
}

/// `accept`, made again when a signal interrupts it.
pub fn accept(listener: &Listener) -> socket_lifecycle::Result<Connection> {
    loop {
        match listener.accept() {
            Err(err) if err.posix_errno() == Some(Errno::EINTR) => {}
            other => return other.map(|(conn, _peer)| conn),
        }
    }
}

/// The loopback address the servers listen on (port 0: the kernel picks).
fn loopback() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], 0))
}

/// The instructor's server.
pub mod reference {
    use super::*;

    pub fn prepare(tracer: Tracer) -> socket_lifecycle::Result<Listener> {
        Socket::tcp_v4(tracer)?
            .reuse_address(true)?
            .bind(loopback())?
            .listen(5)
    }

    /// The report's server: a thread per client.
    pub fn serve(listener: &Listener) {
        let mut clients = Vec::new();
        while let Ok(conn) = accept(listener) {
            clients.push(std::thread::spawn(move || handle(conn)));
        }
        for client in clients {
            let _ = client.join();
        }
    }

    /// One client: reply to each message; `sair` gets a goodbye and the
    /// connection closed; `recv` = 0 (the client closed) closes too.
    pub fn handle(conn: Connection) {
        let mut buf = [0u8; 1024];
        while let Ok(n) = recv(&conn, &mut buf) {
            if n == 0 {
                break;
            }
            let message = String::from_utf8_lossy(&buf[..n]).into_owned();
            if message.eq_ignore_ascii_case("sair") {
                let _ = conn.send_all("Conexão encerrada.".as_bytes());
                break;
            }
            if conn
                .send_all(format!("Servidor recebeu: {message}").as_bytes())
                .is_err()
            {
                break;
            }
        }
        let _ = conn.close();
    }

    /// The instructor's client: `ola`, then `sair`, reading each reply and
    /// the server's close.
    pub fn client(tracer: Tracer, server: SocketAddr) {
        let Ok(conn) = Socket::tcp_for(&server, tracer).and_then(|s| s.connect(server)) else {
            return;
        };
        let mut buf = [0u8; 1024];
        for message in ["ola", "sair"] {
            if conn.send_all(message.as_bytes()).is_err() || recv(&conn, &mut buf).is_err() {
                break;
            }
        }
        // Read the server's FIN before closing.
        while let Ok(1..) = recv(&conn, &mut buf) {}
        let _ = conn.close();
    }
}

/// A submission with two classic bugs: no SO_REUSEADDR, and reading on
/// after `recv` returned 0 (it does close in the end).
pub mod two_bugs {
    use super::*;

    pub fn prepare(tracer: Tracer) -> socket_lifecycle::Result<Listener> {
        Socket::tcp_v4(tracer)?.bind(loopback())?.listen(5)
    }

    pub fn serve(listener: &Listener) {
        while let Ok(conn) = accept(listener) {
            let mut buf = [0u8; 1024];
            let mut ends = 0;
            while let Ok(n) = recv(&conn, &mut buf) {
                if n == 0 {
                    // The bug: an end of stream taken for an empty message.
                    ends += 1;
                    if ends == 2 {
                        break;
                    }
                    continue;
                }
                let message = String::from_utf8_lossy(&buf[..n]).into_owned();
                let _ = conn.send_all(format!("Servidor recebeu: {message}").as_bytes());
            }
            let _ = conn.close();
        }
    }
}
