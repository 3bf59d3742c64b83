//! The report's chat client, `cliente.py`, rebuilt on the library:
//!
//! ```sh
//! cargo run --example cliente                       # 127.0.0.1:8888
//! cargo run --example cliente -- 192.168.100.163    # HOST (the report's server)
//! cargo run --example cliente -- 192.168.100.163 8888
//! cargo run --example cliente -- --help
//! ```
//!
//! Standard output carries the report's console texts, byte for byte
//! (`[+] Conectado ao servidor HOST:PORT`, `Você: `, `Servidor: REPLY`, …);
//! standard error carries the lifecycle trace of the socket labelled
//! `cliente` (env_logger: level `info` unless `RUST_LOG` says otherwise;
//! `SOCKET_LIFECYCLE_LANG=pt` for Portuguese narration).
//!
//! # The steps, as in the report
//!
//! `socket` → `connect(HOST:PORT)`, then a loop: prompt `Você: `, read a
//! line, send its bytes (no newline, no framing), `recv(1024)`, print
//! `Servidor: REPLY`. `sair` (any case) ends it; the socket is closed and
//! `[-] Conexão encerrada` printed, whatever happened. No server →
//! `[-] Servidor não encontrado. Verifique se o servidor está rodando.`
//!
//! # Where it differs from the report, and why
//!
//! - The host and port come from the command line (the report hard-coded
//!   its server's address); the defaults are `127.0.0.1 8888`.
//! - After `sair` the client reads the server's answer and prints
//!   `Servidor: Conexão encerrada.` before closing (the report closed
//!   without reading it).
//! - End of standard input (Ctrl+D, or a file piped in) leaves as `sair`
//!   does, exit code 0 (the report ended in `Erro: EOF when reading a line`).
//! - An empty line is not sent — zero bytes would leave the client waiting
//!   for a reply that never comes; the prompt is shown again. A `\r\n` line
//!   ending (a Windows console) is trimmed like `\n`.
//! - A reply cut inside a character across two `recv` calls is completed
//!   with the next `recv` ([`socket_lifecycle::TextDecoder`]), never mangled;
//!   bytes that are not UTF-8 are shown as U+FFFD and logged as a warning.
//!   As with the report, a reply is what one `recv` brought: the protocol has
//!   no framing (see `examples/servidor.rs`).
//! - If the server goes away, the client says so
//!   (`[-] O servidor encerrou a conexão`) at its next send or receive — it
//!   waits at the keyboard like the report's, so it notices then — closes
//!   and exits 1. Other failures print `Erro: …` as the report does, and exit 1.

use std::process::ExitCode;

use socket_lifecycle::{Cause, Connection, Socket};

mod chat;
mod words;

use words::Say;

/// The report's `start_client`: socket → connect, then a loop — prompt,
/// read a line, send it, `recv` the reply, print it — until `sair`; the
/// socket is closed whatever happened.
fn start_client(host: &str, port: u16) -> ExitCode {
    let conn = match connect(host, port) {
        Ok(conn) => conn,
        Err(end) => {
            let code = say_how_it_ended(Err(end));
            chat::say("[-] Conexão encerrada");
            return code;
        }
    };
    chat::say(format!("[+] Conectado ao servidor {host}:{port}"));
    chat::say("[*] Digite 'sair' para encerrar");
    let conversation = || -> Result<(), End> {
        let mut input = std::io::stdin().lock();
        let mut incoming = chat::Incoming::new(|bytes| Say::InvalidUtf8FromServer { bytes });
        loop {
            let message = chat::read_message("Você: ", &mut input)?;
            conn.send_all(message.as_bytes())?;
            let leaving = message.to_lowercase() == "sair";
            match incoming.receive(&conn)? {
                Some(reply) => chat::say(format!("Servidor: {reply}")),
                // The server closed after `sair` without a word: still a goodbye.
                None if leaving => return Ok(()),
                None => return Err(End::ServerGone),
            }
            if leaving {
                return Ok(());
            }
        }
    };
    let code = say_how_it_ended(conversation());
    // The report's `finally: client_socket.close()`.
    if let Err(err) = conn.close() {
        log::warn!("{err}");
    }
    chat::say("[-] Conexão encerrada");
    code
}

/// socket → connect, each traced, to each address HOST names until one
/// answers.
fn connect(host: &str, port: u16) -> Result<Connection, End> {
    let mut last = None;
    for addr in chat::addresses(host, port)? {
        match Socket::tcp_for(&addr, "cliente").and_then(|socket| socket.connect(addr)) {
            Ok(conn) => return Ok(conn),
            Err(err) => last = Some(err),
        }
    }
    Err(match last {
        Some(err) if err.cause() == Cause::NoListener => End::NoServer,
        Some(err) => End::Failed(err.into()),
        None => {
            let host = host.to_string();
            End::Failed(words::text(&Say::NoAddressFound { host }).into())
        }
    })
}

/// The report's `if __name__ == "__main__": start_client()`, with HOST and PORT
/// from the command line.
fn main() -> ExitCode {
    chat::init();
    match chat::parse(std::env::args().skip(1), "127.0.0.1", &[]) {
        Ok(Some(line)) => start_client(&line.host, line.port),
        Ok(None) => chat::help(&Say::UsageCliente),
        Err(problem) => chat::usage_error("cliente", &problem, &Say::UsageCliente),
    }
}

// What the report did not need, below: how a conversation can end, in
// types, and what each end prints.

/// How the client stopped, when not by `sair` (typed, or the end of
/// standard input).
enum End {
    /// `ECONNREFUSED` on connect: nobody listens there.
    NoServer,
    /// The server closed or reset the connection.
    ServerGone,
    /// Anything else, printed as the report prints errors.
    Failed(Box<dyn std::error::Error>),
}

/// A failed send or receive: the server went away, or something else.
impl From<socket_lifecycle::Error> for End {
    fn from(err: socket_lifecycle::Error) -> End {
        match err.cause() {
            Cause::Reset | Cause::ConnectionOver | Cause::NotConnected => End::ServerGone,
            _ => End::Failed(err.into()),
        }
    }
}

/// Standard input could not be read, or HOST could not be resolved.
impl From<std::io::Error> for End {
    fn from(err: std::io::Error) -> End {
        End::Failed(err.into())
    }
}

/// The report's `except` clauses: what the console says of how the client
/// stopped, and the exit code.
fn say_how_it_ended(ended: Result<(), End>) -> ExitCode {
    match ended {
        Ok(()) => return ExitCode::SUCCESS,
        Err(End::NoServer) => {
            chat::say("[-] Servidor não encontrado. Verifique se o servidor está rodando.")
        }
        Err(End::ServerGone) => chat::say("[-] O servidor encerrou a conexão"),
        Err(End::Failed(err)) => chat::say(format!("Erro: {err}")),
    }
    ExitCode::FAILURE
}
