//! The report's chat client over UDP: the same conversation as
//! `examples/cliente.rs`, with datagrams instead of a connection.
//!
//! ```sh
//! cargo run --example udp_cliente                      # 127.0.0.1:8888
//! cargo run --example udp_cliente -- 192.168.100.163   # HOST
//! cargo run --example udp_cliente -- 127.0.0.1 8888 --timeout 2
//! cargo run --example udp_cliente -- --help
//! ```
//!
//! Standard output carries the chat's console texts (`Você: `,
//! `Servidor: REPLY`, …); standard error carries the lifecycle trace of the
//! socket labelled `cliente` (env_logger: level `info` unless `RUST_LOG`
//! says otherwise; `SOCKET_LIFECYCLE_LANG=pt` for Portuguese).
//!
//! # The steps
//!
//! `socket(SOCK_DGRAM)` → `setsockopt(SO_RCVTIMEO)`, then a loop: prompt
//! `Você: `, read a line, `sendto(HOST:PORT)` its bytes as one datagram,
//! `recvfrom(1024)`, print `Servidor: REPLY`. The first `sendto` is also
//! when the socket gets its address: the kernel binds it to an ephemeral
//! port so the reply can find its way back (the trace shows `Created →
//! Bound` there). `sair` (any case) is sent, its answer printed, and the
//! client stops; the socket is closed and `[-] Conexão encerrada` printed,
//! whatever happened.
//!
//! # Where it differs from the TCP client, and why
//!
//! - There is no `connect` and so no proof that a server exists:
//!   `[+] Conectado ao servidor HOST:PORT` is printed as the TCP client
//!   prints it (the chat's words), though nothing has been exchanged yet.
//! - A UDP client learns that nobody answers only by waiting: each reply is
//!   awaited at most `--timeout` seconds (default 5; `SO_RCVTIMEO`, a traced
//!   step). Then it prints `[-] O servidor não respondeu em N s (HOST:PORT).
//!   Verifique se o servidor está rodando.`, closes and exits 1.
//! - A datagram that does not come from HOST:PORT is not a reply: it is
//!   ignored, with a warning (an unconnected UDP socket receives from
//!   anyone).
//! - A reply longer than 1024 bytes is cut by the kernel; the trace and a
//!   warning say so, and the kept part is printed.
//! - An empty line is not sent (the prompt is shown again), as in the TCP
//!   client; a `\r\n` line ending is trimmed like `\n`. End of standard
//!   input (Ctrl+D, or a file piped in) leaves as `sair` does.

use std::io::Write as _;
use std::net::{SocketAddr, ToSocketAddrs};
use std::process::ExitCode;
use std::time::Duration;

use socket_lifecycle::{Cause, Lang, UdpSocket, udp};

const USAGE_PT: &str = "\
Uso: udp_cliente [HOST] [PORTA] [--timeout SEG]

O cliente de chat do relatório, sobre UDP (datagramas, sem conexão).
O console vai para a saída padrão; o rastro do ciclo de vida, para a saída
de erro (RUST_LOG=debug para mais detalhes).

  HOST            endereço do servidor (padrão 127.0.0.1)
  PORTA           porta UDP do servidor (padrão 8888)
  --timeout SEG   quanto esperar por cada resposta (padrão 5; SO_RCVTIMEO)
  -h, --help      esta ajuda

Digite 'sair' (ou Ctrl+D) para encerrar.";

const USAGE_EN: &str = "\
Usage: udp_cliente [HOST] [PORT] [--timeout SECS]

The report's chat client, over UDP (datagrams, no connection).
The console goes to standard output; the lifecycle trace to standard error
(RUST_LOG=debug for more detail).

  HOST             the server's address (default 127.0.0.1)
  PORT             the server's UDP port (default 8888)
  --timeout SECS   how long to wait for each reply (default 5; SO_RCVTIMEO)
  -h, --help       this help

Type 'sair' (or Ctrl+D) to leave.";

/// The report's buffer size: `recv(1024)`.
const BUFFER: usize = 1024;

/// At most this many stray datagrams (not from the server) are skipped
/// while waiting for one reply.
const MAX_STRAYS: usize = 8;

/// What the command line asked for.
#[derive(Debug)]
struct Options {
    host: String,
    port: u16,
    timeout: Duration,
}

/// How the conversation ended, when not by `sair`.
enum End {
    /// No reply within the timeout.
    Silence,
    /// Anything else, printed as the report prints errors.
    Failed(Box<dyn std::error::Error>),
}

impl From<socket_lifecycle::Error> for End {
    fn from(err: socket_lifecycle::Error) -> End {
        match err.cause() {
            Cause::TimedOut => End::Silence,
            _ => End::Failed(err.into()),
        }
    }
}

fn main() -> ExitCode {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).init();
    let options = match parse_args(std::env::args().skip(1)) {
        Ok(Some(options)) => options,
        Ok(None) => {
            say(words(USAGE_PT, USAGE_EN));
            return ExitCode::SUCCESS;
        }
        Err(problem) => {
            eprintln!("udp_cliente: {problem}\n\n{}", words(USAGE_PT, USAGE_EN));
            return ExitCode::from(2);
        }
    };
    run(&options)
}

/// `Ok(None)`: help was asked for. `--timeout` may come anywhere.
fn parse_args(args: impl Iterator<Item = String>) -> Result<Option<Options>, String> {
    let mut options = Options {
        host: "127.0.0.1".to_string(),
        port: 8888,
        timeout: Duration::from_secs(5),
    };
    let mut positional = Vec::new();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => (flag.to_string(), Some(value)),
            _ => (arg.clone(), None),
        };
        match flag.as_str() {
            "-h" | "--help" => return Ok(None),
            "--timeout" => {
                let text = inline
                    .map(str::to_string)
                    .or_else(|| args.next())
                    .ok_or_else(|| {
                        format!("--timeout: {}", words("falta o valor", "missing value"))
                    })?;
                options.timeout = text
                    .parse::<f64>()
                    .ok()
                    .filter(|secs| *secs > 0.0)
                    .and_then(|secs| Duration::try_from_secs_f64(secs).ok())
                    .ok_or_else(|| bad_value("--timeout", &text))?;
            }
            "--" => positional.extend(args.by_ref()),
            _ if flag.starts_with('-') && flag.len() > 1 => {
                return Err(format!(
                    "{}: {flag}",
                    words("opção desconhecida", "unknown option")
                ));
            }
            _ => positional.push(arg),
        }
    }
    let mut positional = positional.into_iter();
    if let Some(host) = positional.next() {
        options.host = host;
    }
    if let Some(port) = positional.next() {
        options.port = port.parse().map_err(|_| bad_value("PORT", &port))?;
    }
    if let Some(extra) = positional.next() {
        return Err(format!(
            "{}: {extra}",
            words("argumento a mais", "extra argument")
        ));
    }
    Ok(Some(options))
}

fn bad_value(name: &str, value: &str) -> String {
    format!(
        "{name}: {} '{value}'",
        words("valor inválido", "invalid value")
    )
}

fn run(options: &Options) -> ExitCode {
    let (host, port) = (&options.host, options.port);
    let prepared = resolve(host, port).and_then(|server| {
        let socket = UdpSocket::udp_for(&server, "cliente")?;
        socket.set_read_timeout(Some(options.timeout))?;
        Ok((server, socket))
    });
    let (server, socket) = match prepared {
        Ok(prepared) => prepared,
        Err(err) => {
            say(format!("Erro: {err}"));
            say("[-] Conexão encerrada");
            return ExitCode::FAILURE;
        }
    };
    say(format!("[+] Conectado ao servidor {host}:{port}"));
    say("[*] Digite 'sair' para encerrar");

    let ended = chat(socket, server);
    let code = match ended {
        Ok(()) => ExitCode::SUCCESS,
        Err(End::Silence) => {
            say(format!(
                "[-] O servidor não respondeu em {} s ({host}:{port}). Verifique se o servidor está rodando.",
                options.timeout.as_secs_f64()
            ));
            ExitCode::FAILURE
        }
        Err(End::Failed(err)) => {
            say(format!("Erro: {err}"));
            ExitCode::FAILURE
        }
    };
    say("[-] Conexão encerrada");
    code
}

/// The first message goes out from the fresh socket (the kernel binds it
/// then), the rest from the bound one; the socket is closed whatever
/// happened (the report's `finally`) — a failed first send has closed it
/// already, and that close is traced too.
fn chat(socket: UdpSocket<udp::Created>, server: SocketAddr) -> Result<(), End> {
    let mut input = std::io::stdin().lock();
    let first = match next_message(&mut input) {
        Ok(first) => first,
        Err(err) => {
            close(socket);
            return Err(End::Failed(err.into()));
        }
    };
    let (socket, _) = socket.send_to(first.as_bytes(), server)?;
    let ended = converse(&socket, server, first, &mut input);
    close(socket);
    ended
}

/// The server's address: the first IPv4 one `host` resolves to (the
/// server's default, 0.0.0.0, receives IPv4 only), else the first.
fn resolve(host: &str, port: u16) -> Result<SocketAddr, Box<dyn std::error::Error>> {
    let addrs: Vec<SocketAddr> = (host, port).to_socket_addrs()?.collect();
    addrs
        .iter()
        .find(|addr| addr.is_ipv4())
        .or(addrs.first())
        .copied()
        .ok_or_else(|| {
            format!(
                "{host}: {}",
                words("endereço não encontrado", "no address found")
            )
            .into()
        })
}

/// The chat loop, from the reply to `message` (already sent). `Ok(())`: left
/// with `sair`.
fn converse(
    socket: &UdpSocket<udp::Bound>,
    server: SocketAddr,
    mut message: String,
    input: &mut impl std::io::BufRead,
) -> Result<(), End> {
    let mut buf = [0u8; BUFFER];
    loop {
        let reply = receive_reply(socket, server, &mut buf)?;
        say(format!("Servidor: {reply}"));
        if message.to_lowercase() == "sair" {
            return Ok(());
        }
        message = next_message(input).map_err(|err| End::Failed(err.into()))?;
        socket.send_to(message.as_bytes(), server)?;
    }
}

/// The next line worth sending: prompts, skips empty lines and lines that
/// are not UTF-8. The end of input reads as `sair`.
fn next_message(input: &mut impl std::io::BufRead) -> std::io::Result<String> {
    loop {
        prompt("Você: ");
        let mut line = Vec::new();
        if input.read_until(b'\n', &mut line)? == 0 {
            // End of input: finish the prompt's line, and leave as `sair`.
            say("");
            log::info!(
                "{}",
                words(
                    "fim da entrada padrão: saindo como com 'sair'",
                    "end of standard input: leaving as with 'sair'",
                )
            );
            return Ok("sair".to_string());
        }
        if line.last() == Some(&b'\n') {
            line.pop();
            if line.last() == Some(&b'\r') {
                line.pop();
            }
        }
        match String::from_utf8(line) {
            Ok(line) if line.is_empty() => continue,
            Ok(line) => return Ok(line),
            Err(_) => log::warn!(
                "{}",
                words(
                    "a linha digitada não é UTF-8: não enviada",
                    "the line typed is not UTF-8: not sent",
                )
            ),
        }
    }
}

/// One reply: the next datagram from the server, as text. Datagrams from
/// anyone else are skipped (at most [`MAX_STRAYS`] of them).
fn receive_reply(
    socket: &UdpSocket<udp::Bound>,
    server: SocketAddr,
    buf: &mut [u8],
) -> Result<String, End> {
    for _ in 0..=MAX_STRAYS {
        let got = socket.recv_from(buf)?;
        if got.from != Some(server) {
            log::warn!(
                "[cliente] {} {:?}",
                words(
                    "datagrama ignorado: não veio do servidor, mas de",
                    "datagram ignored: it came not from the server but from",
                ),
                got.from
            );
            continue;
        }
        if got.truncated() {
            log::warn!(
                "[cliente] {} {} {} {} {}",
                words("resposta truncada:", "truncated reply:"),
                got.kept,
                words("de", "of"),
                got.size,
                words("bytes mantidos", "bytes kept"),
            );
        }
        return Ok(String::from_utf8_lossy(&buf[..got.kept]).into_owned());
    }
    Err(End::Failed(
        words(
            "datagramas demais de outros endereços",
            "too many datagrams from other addresses",
        )
        .into(),
    ))
}

/// `close()`; a failure is in the trace and logged, nothing more to do.
fn close<S: udp::State>(socket: UdpSocket<S>) {
    if let Err(err) = socket.close() {
        log::warn!("{err}");
    }
}

/// A console line on standard output; write errors are ignored.
fn say(text: impl std::fmt::Display) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{text}");
    let _ = out.flush();
}

/// The prompt, without a newline, flushed so it shows before the input.
fn prompt(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = write!(out, "{text}");
    let _ = out.flush();
}

/// The Portuguese or the English text, as the narration's language.
fn words(pt: &'static str, en: &'static str) -> &'static str {
    match Lang::from_env() {
        Lang::Pt => pt,
        Lang::En => en,
    }
}
