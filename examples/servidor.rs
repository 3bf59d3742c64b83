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
//! - Ctrl+C (SIGINT): `shutdown(SHUT_RDWR)` on the listener wakes the
//!   blocked `accept` (it fails with `EINVAL`), the server prints
//!   `\n[*] Servidor encerrado`, closes the listener and exits 0. Connected
//!   clients' sockets are closed by the kernel when the process exits, as
//!   the report's daemon threads were.
//! - A failed `bind` (e.g. the port is in use) prints `Erro: …` with the
//!   errno and a hint, and exits 1 (the report exited 0).

use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError, mpsc};
use std::time::Duration;

use socket_lifecycle::text::Decoded;
use socket_lifecycle::{Cause, Connection, Listener, Socket, TextDecoder};

mod chat;
mod words;

use words::Say;

/// What the command line asked for.
#[derive(Debug)]
struct Options {
    host: String,
    port: u16,
    backlog: i32,
    max_clients: usize,
    idle_timeout: Option<Duration>,
}

fn main() -> ExitCode {
    chat::init_trace();
    let options = match chat::parse(std::env::args().skip(1), "0.0.0.0", &FLAGS)
        .and_then(|line| line.map(options).transpose())
    {
        Ok(Some(options)) => options,
        Ok(None) => return chat::help(&Say::UsageServidor),
        Err(problem) => return chat::usage_error("servidor", &problem, &Say::UsageServidor),
    };
    serve(&options)
}

/// The flags `servidor` takes, each with a value; they may come before,
/// between or after the positional HOST and PORT.
const FLAGS: [&str; 3] = ["--backlog", "--max-clients", "--idle-timeout"];

fn options(line: chat::CommandLine) -> Result<Options, String> {
    Ok(Options {
        backlog: line.value("--backlog", 5, |t| t.parse::<u16>().ok().map(i32::from))?,
        max_clients: line.value("--max-clients", 100, |t| {
            t.parse::<usize>().ok().filter(|n| *n > 0)
        })?,
        idle_timeout: line.value("--idle-timeout", None, |t| chat::seconds(t).map(Some))?,
        host: line.host,
        port: line.port,
    })
}

/// The report's `start_server`: prepare the listener, accept until Ctrl+C.
fn serve(options: &Options) -> ExitCode {
    let listener = match open_listener(options) {
        Ok(listener) => Arc::new(listener),
        Err(problem) => {
            chat::say(format!("Erro: {problem}"));
            return ExitCode::FAILURE;
        }
    };
    match listener.local_addr() {
        Some(local) => chat::say(format!("[*] Servidor ouvindo em {local}")),
        None => chat::say(format!(
            "[*] Servidor ouvindo em {}:{}",
            options.host, options.port
        )),
    }
    chat::say("[*] Aguardando conexões...");

    let stop = Arc::new(AtomicBool::new(false));
    let handled = stop_on_ctrl_c(&listener, &stop);
    let result = accept_clients(&listener, options, &stop);
    let code = match result {
        Ok(()) => {
            chat::say("\n[*] Servidor encerrado");
            ExitCode::SUCCESS
        }
        Err(err) => {
            chat::say(format!("Erro: {err}"));
            ExitCode::FAILURE
        }
    };
    if stop.load(Ordering::SeqCst) {
        // The handler may still be tracing its shutdown(): let it finish
        // with the listener before this thread closes it and exits.
        let _ = handled.recv_timeout(Duration::from_millis(500));
    }
    // The report's `finally: server_socket.close()`. Should a second Ctrl+C
    // hold the listener right now, the last handle to go closes it instead
    // (also traced).
    match Arc::try_unwrap(listener) {
        Ok(listener) => {
            if let Err(err) = listener.close() {
                log::warn!("{err}");
            }
        }
        Err(shared) => drop(shared),
    }
    code
}

/// `socket` → `setsockopt(SO_REUSEADDR)` → `bind` → `listen`, each traced.
fn open_listener(options: &Options) -> Result<Listener, Box<dyn std::error::Error>> {
    let addr = chat::addresses(&options.host, options.port)?[0];
    let listener = Socket::tcp_for(&addr, "servidor")?
        .reuse_address(true)?
        .bind(addr)?
        .listen(options.backlog)?;
    Ok(listener)
}

/// On SIGINT: mark the server as stopping and wake the blocked `accept`
/// with `shutdown(SHUT_RDWR)` on the listener (on Linux it then fails with
/// `EINVAL`). The handler runs on a thread of the `ctrlc` crate; the
/// returned channel says when it is done with the listener.
fn stop_on_ctrl_c(listener: &Arc<Listener>, stop: &Arc<AtomicBool>) -> mpsc::Receiver<()> {
    let listener = Arc::downgrade(listener);
    let stop = Arc::clone(stop);
    let (done, handled) = mpsc::channel();
    let installed = ctrlc::set_handler(move || {
        stop.store(true, Ordering::SeqCst);
        log::info!("{}", words::text(&Say::CtrlCWakesAccept));
        if let Some(listener) = listener.upgrade() {
            // The result is in the trace; the main thread sees `stop` anyway.
            let _ = listener.shutdown();
        }
        let _ = done.send(());
    });
    if let Err(err) = installed {
        log::warn!("Ctrl+C: {err}");
    }
    handled
}

/// The report's accept loop, with at most `--max-clients` client threads.
/// Returns `Ok(())` when stopped by Ctrl+C.
fn accept_clients(
    listener: &Listener,
    options: &Options,
    stop: &AtomicBool,
) -> Result<(), socket_lifecycle::Error> {
    let slots = Arc::new(Slots::new(options.max_clients));
    loop {
        let Some(slot) = Slots::acquire(&slots, stop) else {
            return Ok(());
        };
        let (conn, peer) = match listener.accept() {
            Ok(accepted) => accepted,
            Err(_) if stop.load(Ordering::SeqCst) => return Ok(()),
            Err(err) => match err.errno() {
                // The client gave up before accept (ECONNABORTED), or a
                // signal interrupted the call: nothing is wrong here.
                Some(libc::ECONNABORTED | libc::EINTR | libc::EPROTO) => continue,
                // Out of descriptors: others may free some; wait a little.
                Some(libc::EMFILE | libc::ENFILE | libc::ENOBUFS | libc::ENOMEM) => {
                    log::warn!("{err}");
                    std::thread::sleep(Duration::from_millis(100));
                    continue;
                }
                _ => return Err(err),
            },
        };
        let idle_timeout = options.idle_timeout;
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
}

/// The report's `handle_client`: one thread per connection. Whatever happens
/// here stays here: errors are printed as the report prints them and the
/// connection is closed.
fn handle_client(conn: Connection, peer: SocketAddr, idle_timeout: Option<Duration>) {
    let who = chat::python_address(peer);
    chat::say(format!("[+] Nova conexão estabelecida com {who}"));
    if let Err(err) = converse(&conn, &who, idle_timeout) {
        chat::say(format!("Erro: {err}"));
    }
    if let Err(err) = conn.close() {
        log::warn!("{err}");
    }
    chat::say(format!("[-] {who} desconectou"));
}

fn converse(
    conn: &Connection,
    who: &str,
    idle_timeout: Option<Duration>,
) -> Result<(), socket_lifecycle::Error> {
    if let Some(timeout) = idle_timeout {
        conn.set_read_timeout(Some(timeout))?;
    }
    let mut decoder = TextDecoder::new();
    let mut buf = [0u8; 1024];
    while let Some(message) = receive_message(conn, &mut decoder, &mut buf)? {
        chat::say(format!("Cliente {who}: {message}"));
        if message.trim_end_matches(['\r', '\n']).to_lowercase() == "sair" {
            conn.send_all("Conexão encerrada.".as_bytes())?;
            return Ok(());
        }
        conn.send_all(format!("Servidor recebeu: {message}").as_bytes())?;
    }
    Ok(())
}

/// One message: what one `recv(1024)` brought, decoded — and, when it ended
/// inside a character, what the next `recv` brings too, since a message
/// cannot end there. `None`: the client closed (or was idle too long).
fn receive_message(
    conn: &Connection,
    decoder: &mut TextDecoder,
    buf: &mut [u8],
) -> Result<Option<String>, socket_lifecycle::Error> {
    let mut message = Decoded::default();
    loop {
        let n = match conn.recv(buf) {
            Ok(n) => n,
            Err(err) if err.cause() == Cause::TimedOut => {
                log::info!(
                    "[{}] {}",
                    conn.label(),
                    words::text(&Say::ClientIdleTooLong)
                );
                return Ok(None);
            }
            Err(err) => return Err(err),
        };
        if n == 0 {
            // The client closed; a character it left unfinished never will be.
            message.append(decoder.finish());
            warn_invalid(conn, &message);
            return Ok((!message.is_empty()).then(|| message.into_text()));
        }
        message.append(decoder.push(&buf[..n]));
        if !decoder.has_pending() {
            warn_invalid(conn, &message);
            return Ok(Some(message.into_text()));
        }
    }
}

fn warn_invalid(conn: &Connection, decoded: &Decoded) {
    if decoded.invalid().is_empty() {
        return;
    }
    let bytes: Vec<String> = decoded
        .invalid()
        .iter()
        .map(|seq| seq.escape_ascii().to_string())
        .collect();
    let bytes = bytes.join(" ");
    log::warn!(
        "[{}] {}",
        conn.label(),
        words::text(&Say::InvalidUtf8FromClient { bytes })
    );
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
    fn new(max: usize) -> Slots {
        Slots {
            used: Mutex::new(0),
            freed: Condvar::new(),
            max,
        }
    }

    fn used(&self) -> MutexGuard<'_, usize> {
        self.used.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Waits for a free place; `None` once `stop` is set. Checks `stop`
    /// every 100 ms while waiting.
    fn acquire(slots: &Arc<Slots>, stop: &AtomicBool) -> Option<Slot> {
        let mut used = slots.used();
        let mut told = false;
        while *used >= slots.max && !stop.load(Ordering::SeqCst) {
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
        if stop.load(Ordering::SeqCst) {
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
