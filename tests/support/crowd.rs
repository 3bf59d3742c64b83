//! Many clients at once against a chat server (`servidor` or
//! `servidor_poll`): each connects, all wait until the test has seen the
//! server hold them, then each has its numbered exchanges, every answer
//! read to its last byte and compared, and leaves with `sair`.

use std::net::SocketAddr;
use std::sync::{Arc, Barrier};
use std::thread::JoinHandle;

use super::{Proc, RawClient};

/// The message client `c` sends `m`-th: numbered, with accents and a
/// check mark, 40 to 940 bytes long — always one `recv(1024)`, never `sair`.
pub fn message(c: usize, m: usize) -> String {
    let padding = "x".repeat((c * 7 + m * 13) % 900);
    format!("cliente {c:03} mensagem {m:02} olá ✓ {padding}")
}

/// `clients` connected clients, each waiting for [`Crowd::talk`].
pub struct Crowd {
    connected: Arc<Barrier>,
    clients: Vec<JoinHandle<()>>,
}

impl Crowd {
    /// Connects `clients` clients to `addr`; once let go, each makes
    /// `messages` exchanges and leaves.
    pub fn connect(addr: SocketAddr, clients: usize, messages: usize) -> Crowd {
        let connected = Arc::new(Barrier::new(clients + 1));
        let clients = (0..clients)
            .map(|c| {
                let connected = Arc::clone(&connected);
                std::thread::spawn(move || {
                    let mut client = RawClient::connect(addr);
                    connected.wait();
                    for m in 0..messages {
                        client.exchange(&message(c, m));
                    }
                    client.leave();
                })
            })
            .collect();
        Crowd { connected, clients }
    }

    /// Lets every client talk (once all are connected) and waits for the
    /// last; returns how many failed.
    pub fn talk(self) -> usize {
        self.connected.wait();
        self.clients
            .into_iter()
            .map(|client| usize::from(client.join().is_err()))
            .sum()
    }
}

/// The server's console after a [`Crowd`] of `clients` × `messages` and
/// one probe client (one message): every goodbye, every message and each
/// `sair` printed, no `Erro:`, no panic; then Ctrl+C stops it with exit 0.
pub fn every_conversation_told_then_stop(server: &mut Proc, clients: usize, messages: usize) {
    let out = server.wait_until("every goodbye on the console", |out, _| {
        out.matches(" desconectou\n").count() == clients + 1
    });
    assert_eq!(
        out.matches("\nCliente ").count(),
        2 + clients * (messages + 1),
        "the probe's message and `sair`, and each client's messages and `sair`"
    );
    assert!(!out.contains("Erro:"), "{}", server.dump_tail(20));
    assert!(!server.stderr().contains("panicked"), "{}", server.dump());
    server.interrupt();
    assert_eq!(server.wait_exit().code(), Some(0));
}
