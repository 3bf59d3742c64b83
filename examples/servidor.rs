//! The report's chat server, `servidor.py`, rebuilt on the library:
//!
//! ```sh
//! cargo run --example servidor                      # 0.0.0.0:8888, as the report
//! cargo run --example servidor -- 127.0.0.1 9000    # HOST PORT
//! cargo run --example servidor -- --max-clients 10 --idle-timeout 60 --send-timeout 5
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
//! - A message is bounded: at most 1027 bytes, what one `recv(1024)`
//!   returns plus the rest of a character it cut
//!   ([`socket_lifecycle::TextDecoder`]). When a `recv` ends inside a
//!   character the message cannot be complete, so the server reads again —
//!   only the 1 to 3 bytes the character misses, and only if they come
//!   within half a second. Whatever happens, each message is answered as
//!   the report answers, `Servidor recebeu: MSG`: a character whose rest
//!   never came (a message in Latin-1, say, `abc\xe2`) is answered as
//!   U+FFFD, and bytes that do not continue it begin the next message, so
//!   a `sair` after it still ends the conversation. Bytes that are not
//!   UTF-8 do not end the connection (the report's `decode` raised and
//!   dropped the client): they are shown as U+FFFD, answered, and logged
//!   as a warning with the bytes received. A stream that never completes
//!   a character (`\xe2\x82\xe2\x82…`) is answered 1 KiB at a time,
//!   its memory bounded.
//! - The protocol has no framing: a message is whatever one `recv` returned.
//!   Two messages that arrive together (TCP coalesced them) are one message
//!   to this server, as to the report's; one longer than 1024 bytes is
//!   answered in parts. Telling them apart would need a delimiter or a
//!   length on the wire, which the report's client does not send; the server
//!   does not guess.
//! - A peer's control characters (a newline that would print a fake
//!   `[*] …` line, a terminal's escape sequences) are shown escaped on the
//!   console (`\n`, `\x1b`); the reply on the wire is the message as it
//!   came.
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
//! - `--send-timeout SECS` (10 by default; `off` for none, as in the
//!   report) sets `SO_SNDTIMEO` on each connection (a traced step). A send
//!   waits only while the kernel's buffers are full, and they fill only when
//!   the client reads nothing of its replies: such a client is
//!   disconnected (`Erro: …` with `EAGAIN`) and its thread and place freed,
//!   instead of holding them forever. (A client that sends one byte every
//!   few seconds and never reads fills the buffers slowly — hundreds of
//!   kilobytes of replies — so `--idle-timeout` shorter than its pauses is
//!   what lets it go sooner.)
//! - Standard output and the trace never make a conversation wait: each
//!   line is handed to a writer thread of its stream, which writes what has
//!   gathered in one `write`. When a stream stops draining (`servidor |
//!   less`, Ctrl+S in a terminal), up to 256 KiB wait for it; lines past
//!   that are dropped and counted, and the count is said in their place
//!   (`[!] 37 console lines not shown: …`) once the stream drains again.
//! - Ctrl+C (SIGINT), SIGTERM and SIGHUP (on Windows the console's Ctrl+C
//!   and close events): `shutdown(SHUT_RDWR)` on the listener wakes the
//!   blocked `accept` (on Linux it fails with `EINVAL`). Where the system
//!   refuses to shut a listener (Windows: `WSAENOTCONN`; macOS:
//!   `ENOTCONN`) and `accept` sleeps on, the handler connects to the
//!   listener itself (a socket labelled `ctrl+c`, traced), and the
//!   connection it makes only says "stop". Then each connected client's
//!   socket is shut (`shutdown(SHUT_RDWR)`, traced), which wakes its thread
//!   to close it — every close in the trace — and, once they are done (at
//!   most 2 s), the server prints `\n[*] Servidor encerrado`, closes the
//!   listener and exits 0. The report's daemon threads were killed with the
//!   process instead, their sockets closed by the kernel, out of sight.
//! - Out of descriptors (`EMFILE`), `accept` fails while the clients wait in
//!   the queue: the server pauses before trying again, twice as long each
//!   time up to a second, and warns once every 10 s with the count, not at
//!   each failure.
//! - A failed `bind` (e.g. the port is in use) prints `Erro: …` with the
//!   errno and a hint, and exits 1 (the report exited 0).

use std::error::Error;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use socket_lifecycle::errno::Errno;
use socket_lifecycle::{Cause, Connection, Listener, Socket};

mod chat;
mod words;

use words::Say;

/// The report's `start_server`: socket → `setsockopt(SO_REUSEADDR)` → bind
/// → listen, then `accept` in a loop with a thread per client, until Ctrl+C.
fn start_server(options: &Arc<Options>) -> ExitCode {
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
    let clients = chat::Clients::new(options.max_clients);
    let mut shortage = Shortage::default();
    let ended = loop {
        // At most --max-clients client threads: wait for a free place first.
        let full = || {
            let max = options.max_clients;
            log::info!("[servidor] {}", words::text(&Say::ClientsAtMax { max }));
        };
        let Some(place) = chat::Clients::acquire(&clients, || ctrl_c.pressed(), full) else {
            break Ok(());
        };
        match accept(&listener, &ctrl_c, &mut shortage) {
            Ok(Some((conn, peer))) => {
                let conn = Arc::new(conn);
                place.hold(&conn);
                spawn_client(conn, peer, place, options);
            }
            Ok(None) => break Ok(()),
            Err(err) => break Err(err),
        }
    };
    // Each client's thread woken to close its connection, in the trace.
    let connected = clients.shut_all();
    if connected > 0 {
        log::info!(
            "[servidor] {}",
            words::text(&Say::ShutsClients { count: connected })
        );
    }
    let running = clients.wait_all_gone(Duration::from_secs(2));
    if running > 0 {
        log::warn!(
            "[servidor] {}",
            words::text(&Say::ClientsLeftRunning { count: running })
        );
    }
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
fn handle_client(conn: Arc<Connection>, peer: SocketAddr, options: &Options) {
    let who = chat::python_address(peer);
    chat::say(format!("[+] Nova conexão estabelecida com {who}"));
    let conversation = || -> Result<(), socket_lifecycle::Error> {
        if let Some(timeout) = options.idle_timeout {
            conn.set_read_timeout(Some(timeout))?;
        }
        if let Some(timeout) = options.send_timeout {
            conn.set_write_timeout(Some(timeout))?;
        }
        let mut incoming = chat::Incoming::patient(
            |bytes| Say::InvalidUtf8FromClient { bytes },
            CHARACTER_PATIENCE,
        );
        while let Some(message) = receive_message(&conn, &mut incoming)? {
            chat::say(format!("Cliente {who}: {}", chat::printable(&message)));
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
    // The report's `finally: client_socket.close()`. Should the server's
    // end hold the connection at this moment, the last handle to go closes
    // it instead (also traced).
    if let Ok(conn) = Arc::try_unwrap(conn) {
        if let Err(err) = conn.close() {
            log::warn!("{err}");
        }
    }
    chat::say(format!("[-] {who} desconectou"));
}

/// How long a message that ended inside a character waits for the rest of
/// it: a character that TCP cut is usually there already, its other bytes
/// a `recv` away.
const CHARACTER_PATIENCE: Duration = Duration::from_millis(500);

/// The report's `if __name__ == "__main__": start_server()`, with HOST,
/// PORT and the flags from the command line.
fn main() -> ExitCode {
    chat::init_unblocking();
    let code = match options(std::env::args().skip(1)) {
        Ok(Some(options)) => start_server(&Arc::new(options)),
        Ok(None) => chat::help(&Say::UsageServidor),
        Err(problem) => chat::usage_error("servidor", &problem, &Say::UsageServidor),
    };
    // What the console and the trace still hold; a stream that does not
    // drain does not keep the server from ending.
    chat::finish(Duration::from_secs(1));
    code
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
    send_timeout: Option<Duration>,
}

/// The flags `servidor` takes, each with a value; they may come before,
/// between or after the positional HOST and PORT.
const FLAGS: [&str; 4] = [
    "--backlog",
    "--max-clients",
    "--idle-timeout",
    "--send-timeout",
];

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
        send_timeout: line.value(
            "--send-timeout",
            Some(Duration::from_secs(10)),
            |t| match t {
                "off" => Some(None),
                t => chat::seconds(t).map(Some),
            },
        )?,
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
    shortage: &mut Shortage,
) -> Result<Option<(Connection, SocketAddr)>, socket_lifecycle::Error> {
    loop {
        let err = match listener.accept() {
            // Ctrl+C's own connection (or a client at the same moment):
            // the server stops, and the connection closes as it drops.
            Ok(_) if ctrl_c.pressed() => return Ok(None),
            Ok(accepted) => {
                shortage.over();
                return Ok(Some(accepted));
            }
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
                shortage.failed(&err);
            }
            _ => return Err(err),
        }
    }
}

/// `accept` failing for want of descriptors or memory, which only a client
/// that leaves can end: waited out with a pause that doubles from 100 ms
/// to 1 s, and told once every [`Shortage::TELL_EVERY`] — not a warning
/// (and a trace line) ten times a second.
#[derive(Default)]
struct Shortage {
    /// When it began, and how many failures since.
    began: Option<(Instant, u64)>,
    /// When it was last told, and the failures then.
    told: Option<(Instant, u64)>,
    pause: Duration,
}

impl Shortage {
    const TELL_EVERY: Duration = Duration::from_secs(10);
    const FIRST_PAUSE: Duration = Duration::from_millis(100);
    const LONGEST_PAUSE: Duration = Duration::from_secs(1);

    /// One more failure: told when due, then the pause.
    fn failed(&mut self, err: &socket_lifecycle::Error) {
        let now = Instant::now();
        let (began, failures) = self.began.get_or_insert((now, 0));
        *failures += 1;
        let (began, failures) = (*began, *failures);
        match self.told {
            None => {
                let error = err.to_string();
                log::warn!("[servidor] {}", words::text(&Say::AcceptShortage { error }));
                self.told = Some((now, failures));
            }
            Some((at, before)) if now.duration_since(at) >= Self::TELL_EVERY => {
                let seconds = now.duration_since(began).as_secs();
                let since = failures - before;
                log::warn!(
                    "[servidor] {}",
                    words::text(&Say::AcceptStillShort {
                        failures: since,
                        seconds
                    })
                );
                self.told = Some((now, failures));
            }
            Some(_) => {}
        }
        self.pause = (self.pause * 2).clamp(Self::FIRST_PAUSE, Self::LONGEST_PAUSE);
        std::thread::sleep(self.pause);
    }

    /// `accept` worked: a shortage, if there was one, is over, and is told.
    fn over(&mut self) {
        if let Some((began, failures)) = self.began.take() {
            let seconds = began.elapsed().as_secs_f64();
            log::info!(
                "[servidor] {}",
                words::text(&Say::AcceptRecovered { failures, seconds })
            );
            *self = Shortage::default();
        }
    }
}

/// The report's `threading.Thread(target=handle_client)`, named after the
/// connection (`servidor#1`, …); the thread holds `place` until its client
/// leaves.
fn spawn_client(
    conn: Arc<Connection>,
    peer: SocketAddr,
    place: chat::Place,
    options: &Arc<Options>,
) {
    let label = conn.label().to_string();
    let options = Arc::clone(options);
    let spawned = std::thread::Builder::new().name(label).spawn(move || {
        let _place = place;
        handle_client(conn, peer, &options);
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
