//! The report's chat server, `servidor.py`, rebuilt on the library:
//!
//! ```sh
//! cargo run --example servidor                      # 0.0.0.0:8888, as the report
//! cargo run --example servidor -- 127.0.0.1 9000    # HOST PORT
//! cargo run --example servidor -- --max-clients 10 --idle-timeout 60
//! cargo run --example servidor -- --help
//! ```
//!
//! Standard output carries the report's console texts, byte for byte
//! (`[*] Servidor ouvindo em …`, `Cliente ADDR: MSG`, …); standard error
//! carries the lifecycle trace (env_logger: level `info` unless `RUST_LOG`
//! says otherwise; `SOCKET_LIFECYCLE_LANG=pt` for Portuguese narration).
//! The listener is labelled `servidor`, each accepted connection
//! `servidor#1`, `servidor#2`, …
//!
//! # The steps, as in the report
//!
//! `socket` → `setsockopt(SO_REUSEADDR)` → `bind(HOST:PORT)` →
//! `listen(5)`, then `accept` in a loop with one thread per client. A client
//! thread loops `recv(1024)` → prints `Cliente ADDR: MSG` → sends
//! `Servidor recebeu: MSG`; `sair` (any case) is answered with
//! `Conexão encerrada.` and the connection is closed; `recv` returning 0
//! means the client closed. Client addresses are printed the way Python
//! prints them, `('127.0.0.1', 54321)`, so both servers' consoles read alike.
//!
//! # Where it differs from the report, and why
//!
//! - `[*] Servidor ouvindo em HOST:PORT` shows the address the kernel
//!   actually bound (`getsockname`), not the one asked for: with port 0 the
//!   kernel picks a free port, and printing `0` would be untrue.
//! - A character cut across two `recv` calls is carried over
//!   ([`socket_lifecycle::TextDecoder`]): when a `recv` ends inside a
//!   character, the message cannot be complete, so the server reads again
//!   before answering. Bytes that are not UTF-8 do not end the connection
//!   (the report's `decode` raised and dropped the client): they are shown
//!   as U+FFFD, answered, and logged as a warning with the bytes received.
//! - The protocol has no framing: a message is whatever one `recv` returned.
//!   Two messages that arrive together (TCP coalesced them) are one message
//!   to this server, as to the report's; one longer than 1024 bytes is
//!   answered in parts. Telling them apart would need a delimiter or a
//!   length on the wire, which the report's client does not send; the server
//!   does not guess.
//! - `sair` followed by a line ending (`sair\r\n` from e.g. `nc`) also ends
//!   the conversation.
//! - `--max-clients N` (default 100) bounds the client threads. When N
//!   clients are connected the server stops calling `accept` until one
//!   leaves: new clients wait in the kernel's accept queue (`--backlog`,
//!   default 5, as the report) and are served in turn, never refused by the
//!   program. Their `connect` succeeds (the kernel does the handshake), so a
//!   waiting client sees its reply only once a slot frees.
//! - `--idle-timeout SECS` (off by default, as in the report) sets
//!   `SO_RCVTIMEO` on each connection (a traced step); a client silent for
//!   that long is disconnected.
//! - Ctrl+C (SIGINT; on Windows the console's Ctrl+C event):
//!   `shutdown(SHUT_RDWR)` on the listener wakes the blocked `accept` (on
//!   Linux it fails with `EINVAL`), the server prints
//!   `\n[*] Servidor encerrado`, closes the listener and exits 0. Where the
//!   system refuses to shut a listener (Windows: `WSAENOTCONN`; macOS:
//!   `ENOTCONN`) and `accept` sleeps on, the handler connects to the
//!   listener itself (a socket labelled `ctrl+c`, traced), and the
//!   connection it makes only says "stop". Connected clients' sockets are
//!   closed by the kernel when the process exits, as the report's daemon
//!   threads were.
//! - A failed `bind` (e.g. the port is in use) prints `Erro: …` with the
//!   errno and a hint, and exits 1 (the report exited 0).

use std::error::Error;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use socket_lifecycle::errno::Errno;
use socket_lifecycle::{Cause, Connection, Listener, Socket};

mod chat;
mod words;

use words::Say;

/// The report's `start_server`: socket → `setsockopt(SO_REUSEADDR)` → bind
/// → listen, then `accept` in a loop with a thread per client, until Ctrl+C.
fn start_server(options: &Options) -> ExitCode {
    let prepared = || -> Result<Listener, Box<dyn Error>> {
        let addr = chat::addresses(&options.host, options.port)?[0];
        let socket = Socket::tcp_for(&addr, "servidor")?;
        Ok(socket
            .reuse_address(true)?
            .bind(addr)?
            .listen(options.backlog)?)
    };
    let listener = match prepared() {
        Ok(listener) => Arc::new(listener),
        Err(err) => {
            chat::say(format!("Erro: {err}"));
            return ExitCode::FAILURE;
        }
    };
    let local = bound(&listener, options);
    chat::say(format!("[*] Servidor ouvindo em {local}"));
    chat::say("[*] Aguardando conexões...");

    let ctrl_c = wake_accept_on_ctrl_c(&listener);
    let slots = Slots::new(options.max_clients);
    let ended = loop {
        // At most --max-clients client threads: wait for a free slot first.
        let Some(slot) = Slots::acquire(&slots, &ctrl_c) else {
            break Ok(());
        };
        match accept(&listener, &ctrl_c) {
            Ok(Some((conn, peer))) => spawn_client(conn, peer, slot, options.idle_timeout),
            Ok(None) => break Ok(()),
            Err(err) => break Err(err),
        }
    };
    // `\n[*] Servidor encerrado` after Ctrl+C, or `Erro: …`.
    let code = chat::say_how_server_ended(ended);
    // The report's `finally: server_socket.close()`.
    ctrl_c.close(listener, |listener| listener.close());
    code
}

/// The report's `handle_client`, on the client's own thread: `recv` →
/// print → reply, until `sair` or the client closes; then `close`.
/// Whatever happens here stays here: an error is printed as the report
/// prints it, and ends this client only.
fn handle_client(conn: Connection, peer: SocketAddr, idle_timeout: Option<Duration>) {
    let who = chat::python_address(peer);
    chat::say(format!("[+] Nova conexão estabelecida com {who}"));
    let conversation = || -> Result<(), socket_lifecycle::Error> {
        if let Some(timeout) = idle_timeout {
            conn.set_read_timeout(Some(timeout))?;
        }
        let mut incoming = chat::Incoming::new(|bytes| Say::InvalidUtf8FromClient { bytes });
        while let Some(message) = receive_message(&conn, &mut incoming)? {
            chat::say(format!("Cliente {who}: {message}"));
            if message.trim_end_matches(['\r', '\n']).to_lowercase() == "sair" {
                conn.send_all("Conexão encerrada.".as_bytes())?;
                break;
            }
            conn.send_all(format!("Servidor recebeu: {message}").as_bytes())?;
        }
        Ok(())
    };
    if let Err(err) = conversation() {
        chat::say(format!("Erro: {err}"));
    }
    // The report's `finally: client_socket.close()`.
    if let Err(err) = conn.close() {
        log::warn!("{err}");
    }
    chat::say(format!("[-] {who} desconectou"));
}

/// The report's `if __name__ == "__main__": start_server()`, with HOST,
/// PORT and the flags from the command line.
fn main() -> ExitCode {
    chat::init();
    match options(std::env::args().skip(1)) {
        Ok(Some(options)) => start_server(&options),
        Ok(None) => chat::help(&Say::UsageServidor),
        Err(problem) => chat::usage_error("servidor", &problem, &Say::UsageServidor),
    }
}

// What the report did not need, below: the command line, the client
// threads and their bound, the errors of `accept` and `recv`, and Ctrl+C.

/// What the command line asked for.
#[derive(Debug)]
struct Options {
    host: String,
    port: u16,
    backlog: i32,
    max_clients: usize,
    idle_timeout: Option<Duration>,
}

/// The flags `servidor` takes, each with a value; they may come before,
/// between or after the positional HOST and PORT.
const FLAGS: [&str; 3] = ["--backlog", "--max-clients", "--idle-timeout"];

/// The options, from the command line; `Ok(None)`: `--help`.
fn options(args: impl Iterator<Item = String>) -> Result<Option<Options>, String> {
    let Some(line) = chat::parse(args, "0.0.0.0", &FLAGS)? else {
        return Ok(None);
    };
    Ok(Some(Options {
        backlog: line.value("--backlog", 5, |t| t.parse::<u16>().ok().map(i32::from))?,
        max_clients: line.value("--max-clients", 100, |t| {
            t.parse::<usize>().ok().filter(|n| *n > 0)
        })?,
        idle_timeout: line.value("--idle-timeout", None, |t| chat::seconds(t).map(Some))?,
        host: line.host,
        port: line.port,
    }))
}

/// The address the kernel bound (`getsockname`): with port 0 it picked a
/// free one, and printing `0` would be untrue. What was asked for, should
/// the kernel not say.
fn bound(listener: &Listener, options: &Options) -> String {
    match listener.local_addr() {
        Some(local) => local.to_string(),
        None => format!("{}:{}", options.host, options.port),
    }
}

/// Ctrl+C (SIGINT): `shutdown(SHUT_RDWR)` on the listener wakes the
/// blocked `accept` (on Linux it then fails with `EINVAL`). Where the
/// system refuses to shut a listener, `accept` is woken by a connection.
fn wake_accept_on_ctrl_c(listener: &Arc<Listener>) -> chat::CtrlC {
    chat::CtrlC::wakes(
        listener,
        Say::CtrlCWakesAccept,
        // The result is in the trace; the main thread sees Ctrl+C anyway.
        |listener: &Listener| drop(listener.shutdown()),
        connect_to_wake,
    )
}

/// A connection to the listener from Ctrl+C's handler, so that a blocked
/// `accept` returns.
fn connect_to_wake(listener: &Listener) {
    let Some(addr) = listener.local_addr().map(chat::wake_address) else {
        return;
    };
    // Traced under its own label; the connection closes when it drops.
    if let Err(err) = Socket::tcp_for(&addr, "ctrl+c").and_then(|s| s.connect(addr)) {
        log::warn!("{err}");
    }
}

/// The report's `accept()`, and what to do when it fails. `None`: Ctrl+C
/// stopped the server.
fn accept(
    listener: &Listener,
    ctrl_c: &chat::CtrlC,
) -> Result<Option<(Connection, SocketAddr)>, socket_lifecycle::Error> {
    loop {
        let err = match listener.accept() {
            // Ctrl+C's own connection (or a client at the same moment):
            // the server stops, and the connection closes as it drops.
            Ok(_) if ctrl_c.pressed() => return Ok(None),
            Ok(accepted) => return Ok(Some(accepted)),
            Err(_) if ctrl_c.pressed() => return Ok(None),
            Err(err) => err,
        };
        // The error under its POSIX name, on every system (Windows'
        // WSAECONNABORTED is ECONNABORTED).
        match err.posix_errno() {
            // The client gave up before accept (ECONNABORTED), or a signal
            // interrupted the call: nothing is wrong here.
            Some(Errno::ECONNABORTED | Errno::EINTR | Errno::EPROTO) => {}
            // Out of descriptors: others may free some; wait a little.
            Some(Errno::EMFILE | Errno::ENFILE | Errno::ENOBUFS | Errno::ENOMEM) => {
                log::warn!("{err}");
                std::thread::sleep(Duration::from_millis(100));
            }
            _ => return Err(err),
        }
    }
}

/// The report's `threading.Thread(target=handle_client)`, named after the
/// connection (`servidor#1`, …); the thread holds `slot` until its client
/// leaves.
fn spawn_client(conn: Connection, peer: SocketAddr, slot: Slot, idle_timeout: Option<Duration>) {
    let spawned = std::thread::Builder::new()
        .name(conn.label().to_string())
        .spawn(move || {
            let _slot = slot;
            handle_client(conn, peer, idle_timeout);
        });
    if let Err(err) = spawned {
        // The connection went down with the closure: closed and traced.
        let error = err.to_string();
        log::error!("{}", words::text(&Say::NoThreadForClient { peer, error }));
    }
}

/// The report's `recv(1024)` → `decode`: one message, or `None` when the
/// client closed — or stayed silent past `--idle-timeout`, which ends it
/// the same way.
fn receive_message(
    conn: &Connection,
    incoming: &mut chat::Incoming,
) -> Result<Option<String>, socket_lifecycle::Error> {
    match incoming.receive(conn) {
        Err(err) if err.cause() == Cause::TimedOut => {
            log::info!(
                "[{}] {}",
                conn.label(),
                words::text(&Say::ClientIdleTooLong)
            );
            Ok(None)
        }
        received => received,
    }
}

/// A count of client threads, bounded by `--max-clients`.
struct Slots {
    used: Mutex<usize>,
    freed: Condvar,
    max: usize,
}

/// One client thread's place; dropping it frees the place.
struct Slot(Arc<Slots>);

impl Slots {
    fn new(max: usize) -> Arc<Slots> {
        Arc::new(Slots {
            used: Mutex::new(0),
            freed: Condvar::new(),
            max,
        })
    }

    fn used(&self) -> MutexGuard<'_, usize> {
        self.used.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Waits for a free place; `None` once Ctrl+C is pressed. Checks for
    /// it every 100 ms while waiting.
    fn acquire(slots: &Arc<Slots>, ctrl_c: &chat::CtrlC) -> Option<Slot> {
        let mut used = slots.used();
        let mut told = false;
        while *used >= slots.max && !ctrl_c.pressed() {
            if !told {
                told = true;
                let max = slots.max;
                log::info!("[servidor] {}", words::text(&Say::ClientsAtMax { max }));
            }
            used = slots
                .freed
                .wait_timeout(used, Duration::from_millis(100))
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
        if ctrl_c.pressed() {
            return None;
        }
        *used += 1;
        Some(Slot(Arc::clone(slots)))
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        *self.0.used() -= 1;
        self.0.freed.notify_one();
    }
}
