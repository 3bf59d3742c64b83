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

use socket_lifecycle::text::Decoded;
use socket_lifecycle::{Cause, Connection, Socket, TextDecoder};

mod chat;
mod words;

use words::Say;

/// How the conversation ended, when not by `sair`.
enum End {
    /// The server closed or reset the connection.
    ServerGone,
    /// Anything else, printed as the report prints errors.
    Failed(Box<dyn std::error::Error>),
}

fn main() -> ExitCode {
    chat::init_trace();
    match chat::parse(std::env::args().skip(1), "127.0.0.1", &[]) {
        Ok(Some(line)) => run(&line.host, line.port),
        Ok(None) => chat::help(&Say::UsageCliente),
        Err(problem) => chat::usage_error("cliente", &problem, &Say::UsageCliente),
    }
}

/// The report's `start_client`.
fn run(host: &str, port: u16) -> ExitCode {
    let conn = match connect(host, port) {
        Ok(conn) => conn,
        Err(ConnectFailure::Refused) => {
            chat::say("[-] Servidor não encontrado. Verifique se o servidor está rodando.");
            chat::say("[-] Conexão encerrada");
            return ExitCode::FAILURE;
        }
        Err(ConnectFailure::Other(err)) => {
            chat::say(format!("Erro: {err}"));
            chat::say("[-] Conexão encerrada");
            return ExitCode::FAILURE;
        }
    };
    chat::say(format!("[+] Conectado ao servidor {host}:{port}"));
    chat::say("[*] Digite 'sair' para encerrar");

    let code = match converse(&conn) {
        Ok(()) => ExitCode::SUCCESS,
        Err(End::ServerGone) => {
            chat::say("[-] O servidor encerrou a conexão");
            ExitCode::FAILURE
        }
        Err(End::Failed(err)) => {
            chat::say(format!("Erro: {err}"));
            ExitCode::FAILURE
        }
    };
    // The report's `finally`: close, whatever happened.
    if let Err(err) = conn.close() {
        log::warn!("{err}");
    }
    chat::say("[-] Conexão encerrada");
    code
}

enum ConnectFailure {
    /// `ECONNREFUSED`: nobody listens there.
    Refused,
    Other(Box<dyn std::error::Error>),
}

/// `socket` → `connect`, each traced, to each address `host` resolves to
/// until one answers.
fn connect(host: &str, port: u16) -> Result<Connection, ConnectFailure> {
    let addrs = chat::addresses(host, port).map_err(|err| ConnectFailure::Other(err.into()))?;
    let mut last = None;
    for addr in addrs {
        match Socket::tcp_for(&addr, "cliente").and_then(|socket| socket.connect(addr)) {
            Ok(conn) => return Ok(conn),
            Err(err) => last = Some(err),
        }
    }
    Err(match last {
        Some(err) if err.cause() == Cause::NoListener => ConnectFailure::Refused,
        Some(err) => ConnectFailure::Other(err.into()),
        None => {
            let host = host.to_string();
            ConnectFailure::Other(words::text(&Say::NoAddressFound { host }).into())
        }
    })
}

/// The report's `while True` loop. `Ok(())`: left with `sair` (typed, or
/// the end of standard input).
fn converse(conn: &Connection) -> Result<(), End> {
    let mut input = std::io::stdin().lock();
    let mut decoder = TextDecoder::new();
    let mut buf = [0u8; 1024];
    loop {
        chat::prompt("Você: ");
        let message = match read_line(&mut input) {
            Ok(Some(line)) => line,
            Ok(None) => {
                // End of input: finish the prompt's line, and leave as `sair`.
                chat::say("");
                log::info!("{}", words::text(&Say::EndOfInput));
                "sair".to_string()
            }
            Err(err) if err.kind() == std::io::ErrorKind::InvalidData => {
                log::warn!("{}", words::text(&Say::LineNotUtf8));
                continue;
            }
            Err(err) => return Err(End::Failed(err.into())),
        };
        if message.is_empty() {
            continue;
        }
        conn.send_all(message.as_bytes()).map_err(gone_or_failed)?;
        let leaving = message.to_lowercase() == "sair";
        match receive_reply(conn, &mut decoder, &mut buf)? {
            Some(reply) => chat::say(format!("Servidor: {reply}")),
            // The server closed after `sair` without a word: still a goodbye.
            None if leaving => return Ok(()),
            None => return Err(End::ServerGone),
        }
        if leaving {
            return Ok(());
        }
    }
}

/// One line of standard input without its `\n` or `\r\n`; `None` at the end
/// of input; `InvalidData` when it is not UTF-8.
fn read_line(input: &mut impl std::io::BufRead) -> std::io::Result<Option<String>> {
    let mut line = Vec::new();
    if input.read_until(b'\n', &mut line)? == 0 {
        return Ok(None);
    }
    if line.last() == Some(&b'\n') {
        line.pop();
        if line.last() == Some(&b'\r') {
            line.pop();
        }
    }
    String::from_utf8(line)
        .map(Some)
        .map_err(|err| std::io::Error::new(std::io::ErrorKind::InvalidData, err))
}

/// One reply: what one `recv(1024)` brought, decoded — and, when it ended
/// inside a character, what the next `recv` brings too. `None`: the server
/// closed without replying.
fn receive_reply(
    conn: &Connection,
    decoder: &mut TextDecoder,
    buf: &mut [u8],
) -> Result<Option<String>, End> {
    let mut reply = Decoded::default();
    loop {
        let n = conn.recv(buf).map_err(gone_or_failed)?;
        if n == 0 {
            reply.append(decoder.finish());
            warn_invalid(&reply);
            return Ok((!reply.is_empty()).then(|| reply.into_text()));
        }
        reply.append(decoder.push(&buf[..n]));
        if !decoder.has_pending() {
            warn_invalid(&reply);
            return Ok(Some(reply.into_text()));
        }
    }
}

/// A failed send or receive: the server went away, or something else.
fn gone_or_failed(err: socket_lifecycle::Error) -> End {
    match err.cause() {
        Cause::Reset | Cause::BrokenPipe | Cause::NotConnected => End::ServerGone,
        _ => End::Failed(err.into()),
    }
}

fn warn_invalid(decoded: &Decoded) {
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
        "[cliente] {}",
        words::text(&Say::InvalidUtf8FromServer { bytes })
    );
}
