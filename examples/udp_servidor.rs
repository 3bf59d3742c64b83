//! The report's chat server over UDP: the same conversation as
//! `examples/servidor.rs`, with datagrams instead of a connection.
//!
//! ```sh
//! cargo run --example udp_servidor                     # 0.0.0.0:8888, as the report
//! cargo run --example udp_servidor -- 127.0.0.1 9000   # HOST PORT
//! cargo run --example udp_servidor -- --help
//! ```
//!
//! Standard output carries the chat's console texts (`[*] Servidor ouvindo
//! em …`, `Cliente ADDR: MSG`, …); standard error carries the lifecycle
//! trace of the socket labelled `servidor` (env_logger: level `info` unless
//! `RUST_LOG` says otherwise; `SOCKET_LIFECYCLE_LANG=pt` for Portuguese).
//!
//! # The steps
//!
//! `socket(SOCK_DGRAM)` → `bind(HOST:PORT)`, then one loop on that one
//! socket for every client: `recvfrom(1024)` → print `Cliente ADDR: MSG` →
//! `sendto(ADDR, "Servidor recebeu: MSG")`. There is no `listen`, no
//! `accept`, and no thread per client: a UDP socket receives from anyone,
//! and each datagram says who sent it.
//!
//! # Where it differs from the TCP server, and why
//!
//! - No connection, so no "new connection" event: a client is known by its
//!   first datagram (`[+] Nova conexão estabelecida com ADDR` is printed
//!   then, the TCP server's words), and its leaving by `sair` (answered with
//!   `Conexão encerrada.`, then `[-] ADDR desconectou`). A client that stops
//!   without `sair` is never noticed: nothing tells a UDP server.
//! - The server remembers at most 1024 clients; past that the one heard
//!   from least recently is forgotten (it is greeted again if it returns),
//!   so a long-running server does not grow.
//! - One datagram is one message: no message is ever split or merged (the
//!   TCP server cannot promise that). A datagram longer than 1024 bytes is
//!   cut by the kernel; the trace says `TRUNCATED: 1024 of N bytes kept`, a
//!   warning says it too, and the kept part is answered.
//! - An empty datagram is a message (0 bytes), not the end of anything: it
//!   is printed and answered like any other.
//! - No `SO_REUSEADDR`: UDP leaves no TIME_WAIT behind, so there is nothing
//!   to reuse, and on Linux the option would let two servers bind the same
//!   port and silently split the datagrams.
//! - Ctrl+C: `shutdown(SHUT_RDWR)` wakes the blocked `recvfrom` (on Linux
//!   the call itself answers `ENOTCONN` — there is no connection — and
//!   wakes it all the same); the server prints `\n[*] Servidor encerrado`,
//!   closes the socket and exits 0.
//! - A failed `bind` (e.g. the port is in use) prints `Erro: …` with the
//!   errno and a hint, and exits 1.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;

use socket_lifecycle::errno::Errno;
use socket_lifecycle::{UdpSocket, udp};

mod chat;
mod words;

use words::Say;

/// The report's buffer size: `recv(1024)`.
const BUFFER: usize = 1024;

/// How many clients the server remembers at once.
const MAX_KNOWN: usize = 1024;

fn main() -> ExitCode {
    chat::init();
    match chat::parse(std::env::args().skip(1), "0.0.0.0", &[]) {
        Ok(Some(line)) => serve(&line.host, line.port),
        Ok(None) => chat::help(&Say::UsageUdpServidor),
        Err(problem) => chat::usage_error("udp_servidor", &problem, &Say::UsageUdpServidor),
    }
}

fn serve(host: &str, port: u16) -> ExitCode {
    let socket = match open(host, port) {
        Ok(socket) => Arc::new(socket),
        Err(problem) => {
            chat::say(format!("Erro: {problem}"));
            return ExitCode::FAILURE;
        }
    };
    match socket.local_addr() {
        Some(local) => chat::say(format!("[*] Servidor ouvindo em {local}")),
        None => chat::say(format!("[*] Servidor ouvindo em {host}:{port}")),
    }
    chat::say("[*] Aguardando conexões...");

    let ctrl_c = wake_recvfrom_on_ctrl_c(&socket);
    let code = chat::say_how_server_ended(answer(&socket, &ctrl_c));
    ctrl_c.close(socket, |socket| socket.close());
    code
}

/// `socket(SOCK_DGRAM)` → `bind(HOST:PORT)`, each traced.
fn open(host: &str, port: u16) -> Result<UdpSocket<udp::Bound>, Box<dyn std::error::Error>> {
    let addr = chat::addresses(host, port)?[0];
    Ok(UdpSocket::udp_for(&addr, "servidor")?.bind(addr)?)
}

/// On SIGINT: wake the blocked `recvfrom` with `shutdown(SHUT_RDWR)`;
/// where that does not wake it (not Linux), with an empty datagram to the
/// socket.
fn wake_recvfrom_on_ctrl_c(socket: &Arc<UdpSocket<udp::Bound>>) -> chat::CtrlC {
    chat::CtrlC::wakes(
        socket,
        Say::CtrlCWakesRecvFrom,
        |socket: &UdpSocket<udp::Bound>| {
            if let Err(err) = socket.shutdown() {
                log::warn!("{err}");
            }
        },
        send_to_wake,
    )
}

/// An empty datagram from Ctrl+C's handler, so that a blocked `recvfrom`
/// returns (the loop then sees Ctrl+C and stops).
fn send_to_wake(socket: &UdpSocket<udp::Bound>) {
    let Some(addr) = socket.local_addr().map(chat::wake_address) else {
        return;
    };
    // Traced under its own label, closed when it drops.
    let knock = UdpSocket::udp_for(&addr, "ctrl+c").and_then(|s| s.send_to(b"", addr));
    if let Err(err) = knock {
        log::warn!("{err}");
    }
}

/// The loop: one datagram in, one datagram out. `Ok(())` when Ctrl+C woke
/// it (a shutdown, or the handler's own datagram).
fn answer(
    socket: &UdpSocket<udp::Bound>,
    ctrl_c: &chat::CtrlC,
) -> Result<(), socket_lifecycle::Error> {
    let mut known: VecDeque<SocketAddr> = VecDeque::new();
    let mut buf = [0u8; BUFFER];
    loop {
        let got = match socket.recv_from(&mut buf) {
            // Windows fails a datagram larger than the buffer (WSAEMSGSIZE)
            // where Linux cuts it: that datagram is lost, the server goes on.
            Err(err) if err.posix_errno() == Some(Errno::EMSGSIZE) => {
                log::warn!("{err}");
                continue;
            }
            received => received?,
        };
        let Some(from) = got.from else {
            // 0 bytes from nobody: shutdown() woke us, no datagram came.
            return Ok(());
        };
        if ctrl_c.pressed() {
            return Ok(());
        }
        let client = chat::python_address(from);
        greet(&mut known, from, &client);
        if got.truncated() {
            let (from, kept, size) = (client.clone(), got.kept, got.size);
            let truncated = Say::DatagramTruncated { from, kept, size };
            log::warn!("[servidor] {}", words::text(&truncated));
        }
        let message = String::from_utf8_lossy(&buf[..got.kept]).into_owned();
        chat::say(format!("Cliente {client}: {message}"));
        let leaving = message
            .trim_end_matches(['\r', '\n'])
            .eq_ignore_ascii_case("sair");
        let reply = if leaving {
            "Conexão encerrada.".to_string()
        } else {
            format!("Servidor recebeu: {message}")
        };
        // A reply that cannot leave concerns this client only: the server
        // goes on (the error is in the trace).
        if let Err(err) = socket.send_to(reply.as_bytes(), from) {
            log::warn!("{err}");
        }
        if leaving {
            known.retain(|addr| *addr != from);
            chat::say(format!("[-] {client} desconectou"));
        }
    }
}

/// The first datagram from an address introduces a client; the least
/// recently heard one is forgotten when the list is full.
fn greet(known: &mut VecDeque<SocketAddr>, from: SocketAddr, client: &str) {
    if let Some(i) = known.iter().position(|addr| *addr == from) {
        known.remove(i);
    } else {
        chat::say(format!("[+] Nova conexão estabelecida com {client}"));
        if known.len() == MAX_KNOWN {
            known.pop_front();
        }
    }
    known.push_back(from);
}
