//! The report's chat server served from one thread: non-blocking sockets
//! and a readiness loop (`poll`), instead of a thread per client.
//!
//! ```sh
//! cargo run --example servidor_poll                      # 0.0.0.0:8888, as the report
//! cargo run --example servidor_poll -- 127.0.0.1 9000    # HOST PORT
//! cargo run --example servidor_poll -- --backlog 128
//! cargo run --example servidor_poll -- --help
//! ```
//!
//! The protocol and the console texts are `servidor`'s, byte for byte
//! (`[*] Servidor ouvindo em …`, `[+] Nova conexão estabelecida com …`,
//! `Cliente ADDR: MSG`, `Servidor recebeu: MSG`, `Conexão encerrada.`,
//! `[-] ADDR desconectou`), so the report's `cliente.py` and `cliente` talk
//! to it unchanged. Standard error carries the lifecycle trace, where each
//! wait is one `poll(…)` line under the label `poll`.
//!
//! # The loop
//!
//! `socket` → `setsockopt(SO_REUSEADDR)` → `bind` → `listen`, then the
//! listener is made non-blocking (`fcntl(O_NONBLOCK)`), and one loop runs:
//!
//! 1. `poll` over the listener (to read: a connection to accept) and every
//!    client (to read; and to write while replies wait to be sent).
//! 2. The listener readable: `accept` until `EAGAIN` (nothing ready yet);
//!    each new connection is made non-blocking too.
//! 3. A client readable: one `recv(1024)` — it will not wait. A message is
//!    printed and its reply queued; `sair` queues `Conexão encerrada.` and
//!    the connection closes once that is sent; 0 bytes: the client left.
//! 4. Queued replies are sent at once, as far as the kernel takes them: a
//!    short `send` leaves the rest queued, and the client is polled for
//!    writing until its queue is empty. A client that never reads cannot
//!    stall the others: its replies wait in its own queue, and past
//!    [`QUEUE_LIMIT`] bytes it is no longer read from until it reads.
//!
//! No call here waits but `poll` itself.
//!
//! # Where it differs from `servidor`
//!
//! - No `--max-clients` and no `--idle-timeout`: a client costs a queue
//!   and a descriptor, not a thread. Out of descriptors (`EMFILE`), the
//!   listener is left out of the wait until a client leaves — a
//!   level-triggered `poll` would otherwise report it ready again and
//!   again, and the loop would spin.
//! - Ctrl+C (SIGINT): `shutdown(SHUT_RDWR)` on the listener wakes the
//!   blocked `poll` (on Linux the listener turns readable); where the
//!   system does not shut a listener, the handler connects to it. The
//!   server prints `\n[*] Servidor encerrado`, closes every socket and
//!   exits 0.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;

use socket_lifecycle::errno::Errno;
use socket_lifecycle::text::Decoded;
use socket_lifecycle::{Cause, Connection, Interest, Listener, Poll, Socket, TextDecoder};

mod chat;
mod words;

use words::Say;

/// Past this many bytes of replies waiting for a client that does not
/// read, the server stops reading that client's messages until it reads.
const QUEUE_LIMIT: usize = 64 * 1024;

/// One client of the loop: its connection, what it sent that does not end
/// a message yet, the replies the kernel has not taken yet.
struct Client {
    conn: Connection,
    who: String,
    decoder: TextDecoder,
    /// A message decoded so far, while a character is cut across `recv`s.
    pending: Decoded,
    /// Replies not yet taken by `send`.
    outbox: Vec<u8>,
    /// `sair` was answered: close once the answer is sent.
    leaving: bool,
    /// Gone (closed, or failed): dropped from the loop.
    done: bool,
}

/// The report's `start_server`, with one loop in place of the threads.
fn start_server(options: &Options) -> ExitCode {
    let prepared = || -> Result<Listener, Box<dyn std::error::Error>> {
        let addr = chat::addresses(&options.host, options.port)?[0];
        let listener = Socket::tcp_for(&addr, "servidor")?
            .reuse_address(true)?
            .bind(addr)?
            .listen(options.backlog)?;
        listener.set_nonblocking()?;
        Ok(listener)
    };
    let listener = match prepared() {
        Ok(listener) => Arc::new(listener),
        Err(err) => {
            chat::say(format!("Erro: {err}"));
            return ExitCode::FAILURE;
        }
    };
    let local = listener.local_addr().map_or_else(
        || format!("{}:{}", options.host, options.port),
        |a| a.to_string(),
    );
    chat::say(format!("[*] Servidor ouvindo em {local}"));
    chat::say("[*] Aguardando conexões...");

    let ctrl_c = chat::CtrlC::wakes(
        &listener,
        Say::CtrlCWakesPoll,
        // The result is in the trace; the loop sees Ctrl+C anyway.
        |listener: &Listener| drop(listener.shutdown()),
        connect_to_wake,
    );
    let mut clients: Vec<Client> = Vec::new();
    let ended = serve(&listener, &mut clients, &ctrl_c);
    let code = chat::say_how_server_ended(ended);
    for client in clients {
        close(client);
    }
    ctrl_c.close(listener, |listener| listener.close());
    code
}

/// The loop, until Ctrl+C or an error on the listener.
fn serve(
    listener: &Listener,
    clients: &mut Vec<Client>,
    ctrl_c: &chat::CtrlC,
) -> Result<(), socket_lifecycle::Error> {
    let poll = Poll::new("poll");
    let mut accepting = true;
    loop {
        // 1. Wait for the listener and every client, each for what it needs.
        let ready = {
            let mut interests = Vec::with_capacity(clients.len() + 1);
            if accepting {
                interests.push(Interest::read(listener));
            }
            for client in clients.iter() {
                let read = client.outbox.len() < QUEUE_LIMIT;
                interests.push(match (read, client.outbox.is_empty()) {
                    (true, true) => Interest::read(&client.conn),
                    (true, false) => Interest::read_write(&client.conn),
                    (false, _) => Interest::write(&client.conn),
                });
            }
            poll.wait(&interests, None)
        };
        let ready = match ready {
            _ if ctrl_c.pressed() => return Ok(()),
            Ok(ready) => ready,
            // A signal came (not Ctrl+C): wait again.
            Err(err) if err.posix_errno() == Some(Errno::EINTR) => continue,
            Err(err) => return Err(err),
        };
        let mut ready = ready.into_iter();
        // 2. New connections.
        if accepting && ready.next().is_some_and(|w| w.readable || w.failed) {
            accepting = accept_all(listener, clients)?;
        }
        // 3 and 4. Messages in, replies out.
        for (client, waited) in clients.iter_mut().zip(ready) {
            if waited.readable || waited.failed || waited.hung_up {
                receive(client);
            }
            if !client.done {
                flush(client);
            }
        }
        let before = clients.len();
        let (gone, kept): (Vec<Client>, Vec<Client>) =
            std::mem::take(clients).into_iter().partition(|c| c.done);
        *clients = kept;
        for client in gone {
            close(client);
        }
        // A client left: there may be a descriptor for a new one now.
        accepting |= clients.len() < before;
    }
}

/// `accept` until nothing is ready (`EAGAIN`). `false`: out of
/// descriptors, stop asking until a client leaves.
fn accept_all(
    listener: &Listener,
    clients: &mut Vec<Client>,
) -> Result<bool, socket_lifecycle::Error> {
    loop {
        let err = match listener.accept() {
            Ok((conn, peer)) => {
                welcome(conn, peer, clients);
                continue;
            }
            Err(err) => err,
        };
        match (err.cause(), err.posix_errno()) {
            (Cause::WouldBlock, _) => return Ok(true),
            // The client gave up before accept, or a signal came.
            (_, Some(Errno::ECONNABORTED | Errno::EINTR | Errno::EPROTO)) => {}
            (_, Some(Errno::EMFILE | Errno::ENFILE | Errno::ENOBUFS | Errno::ENOMEM)) => {
                let error = err.to_string();
                log::warn!("[servidor] {}", words::text(&Say::AcceptPaused { error }));
                return Ok(false);
            }
            _ => return Err(err),
        }
    }
}

/// A new client: made non-blocking and greeted as the report does.
fn welcome(conn: Connection, peer: SocketAddr, clients: &mut Vec<Client>) {
    let who = chat::python_address(peer);
    chat::say(format!("[+] Nova conexão estabelecida com {who}"));
    let mut client = Client {
        conn,
        who,
        decoder: TextDecoder::new(),
        pending: Decoded::default(),
        outbox: Vec::new(),
        leaving: false,
        done: false,
    };
    if let Err(err) = client.conn.set_nonblocking() {
        chat::say(format!("Erro: {err}"));
        client.done = true;
    }
    clients.push(client);
}

/// The report's `recv(1024)` → print → reply, for one readable client:
/// one `recv`, which will not wait.
fn receive(client: &mut Client) {
    let mut buf = [0u8; 1024];
    let n = match client.conn.recv(&mut buf) {
        Ok(n) => n,
        // Ready a moment ago, not now (the readiness went stale): no harm.
        Err(err) if err.cause() == Cause::WouldBlock => return,
        Err(err) => {
            chat::say(format!("Erro: {err}"));
            client.done = true;
            return;
        }
    };
    let message = if n == 0 {
        // The client left; a character it left unfinished never will be.
        client.done = true;
        client.decoder.finish()
    } else {
        client.decoder.push(&buf[..n])
    };
    // A recv that ended inside a character cannot end a message: the next
    // recv's bytes belong to it too.
    client.pending.append(message);
    if client.decoder.has_pending() {
        return;
    }
    let message = std::mem::take(&mut client.pending);
    if message.is_empty() {
        return;
    }
    warn_invalid(client, &message);
    let text = message.into_text();
    chat::say(format!("Cliente {}: {text}", client.who));
    if client.done {
        return;
    }
    if text.trim_end_matches(['\r', '\n']).to_lowercase() == "sair" {
        client
            .outbox
            .extend_from_slice("Conexão encerrada.".as_bytes());
        client.leaving = true;
    } else {
        client
            .outbox
            .extend_from_slice(format!("Servidor recebeu: {text}").as_bytes());
    }
}

/// Sends what waits in the client's queue, as far as the kernel takes it;
/// the rest stays queued for the next time the client is writable.
fn flush(client: &mut Client) {
    while !client.outbox.is_empty() {
        match client.conn.send(&client.outbox) {
            Ok(sent) => {
                client.outbox.drain(..sent);
            }
            Err(err) if err.cause() == Cause::WouldBlock => return,
            Err(err) if err.posix_errno() == Some(Errno::EINTR) => {}
            Err(err) => {
                chat::say(format!("Erro: {err}"));
                client.done = true;
                return;
            }
        }
    }
    if client.leaving {
        client.done = true;
    }
}

/// The report's `finally: client_socket.close()` and goodbye line.
fn close(client: Client) {
    if let Err(err) = client.conn.close() {
        log::warn!("{err}");
    }
    chat::say(format!("[-] {} desconectou", client.who));
}

/// Bytes that are not UTF-8 come out as U+FFFD, and a warning shows them.
fn warn_invalid(client: &Client, message: &Decoded) {
    if message.invalid().is_empty() {
        return;
    }
    let bytes: Vec<String> = message
        .invalid()
        .iter()
        .map(|seq| seq.escape_ascii().to_string())
        .collect();
    let say = Say::InvalidUtf8FromClient {
        bytes: bytes.join(" "),
    };
    log::warn!("[{}] {}", client.conn.label(), words::text(&say));
}

/// A connection to the listener from Ctrl+C's handler, so that a blocked
/// `poll` returns where `shutdown` does not wake it.
fn connect_to_wake(listener: &Listener) {
    let Some(addr) = listener.local_addr().map(chat::wake_address) else {
        return;
    };
    if let Err(err) = Socket::tcp_for(&addr, "ctrl+c").and_then(|s| s.connect(addr)) {
        log::warn!("{err}");
    }
}

/// What the command line asked for.
struct Options {
    host: String,
    port: u16,
    backlog: i32,
}

/// The options, from the command line; `Ok(None)`: `--help`.
fn options(args: impl Iterator<Item = String>) -> Result<Option<Options>, String> {
    let Some(line) = chat::parse(args, "0.0.0.0", &["--backlog"])? else {
        return Ok(None);
    };
    Ok(Some(Options {
        backlog: line.value("--backlog", 5, |t| t.parse::<u16>().ok().map(i32::from))?,
        host: line.host,
        port: line.port,
    }))
}

fn main() -> ExitCode {
    chat::init();
    match options(std::env::args().skip(1)) {
        Ok(Some(options)) => start_server(&options),
        Ok(None) => chat::help(&Say::UsageServidorPoll),
        Err(problem) => chat::usage_error("servidor_poll", &problem, &Say::UsageServidorPoll),
    }
}
