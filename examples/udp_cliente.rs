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

use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use socket_lifecycle::{Cause, UdpSocket, udp};

mod chat;
mod words;

use words::Say;

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
    chat::init();
    let options = match chat::parse(std::env::args().skip(1), "127.0.0.1", &["--timeout"])
        .and_then(|line| line.map(options).transpose())
    {
        Ok(Some(options)) => options,
        Ok(None) => return chat::help(&Say::UsageUdpCliente),
        Err(problem) => return chat::usage_error("udp_cliente", &problem, &Say::UsageUdpCliente),
    };
    run(&options)
}

/// `--timeout` may come anywhere.
fn options(line: chat::CommandLine) -> Result<Options, String> {
    Ok(Options {
        timeout: line.value("--timeout", Duration::from_secs(5), chat::seconds)?,
        host: line.host,
        port: line.port,
    })
}

fn run(options: &Options) -> ExitCode {
    let (host, port) = (&options.host, options.port);
    let prepared = || -> Result<_, Box<dyn std::error::Error>> {
        let addrs = chat::addresses(host, port)?;
        // An IPv4 address first: "localhost" may name ::1 before 127.0.0.1,
        // and a datagram sent to the wrong one is answered by nobody.
        let server = *addrs
            .iter()
            .find(|addr| addr.is_ipv4())
            .unwrap_or(&addrs[0]);
        let socket = UdpSocket::udp_for(&server, "cliente")?;
        socket.set_read_timeout(Some(options.timeout))?;
        Ok((server, socket))
    };
    let (server, socket) = match prepared() {
        Ok(prepared) => prepared,
        Err(err) => {
            chat::say(format!("Erro: {err}"));
            chat::say("[-] Conexão encerrada");
            return ExitCode::FAILURE;
        }
    };
    chat::say(format!("[+] Conectado ao servidor {host}:{port}"));
    chat::say("[*] Digite 'sair' para encerrar");

    let ended = exchange(socket, server);
    let code = match ended {
        Ok(()) => ExitCode::SUCCESS,
        Err(End::Silence) => {
            chat::say(format!(
                "[-] O servidor não respondeu em {} s ({host}:{port}). Verifique se o servidor está rodando.",
                options.timeout.as_secs_f64()
            ));
            ExitCode::FAILURE
        }
        Err(End::Failed(err)) => {
            chat::say(format!("Erro: {err}"));
            ExitCode::FAILURE
        }
    };
    chat::say("[-] Conexão encerrada");
    code
}

/// The first message goes out from the fresh socket (the kernel binds it
/// then), the rest from the bound one; the socket is closed whatever
/// happened (the report's `finally`) — a failed first send has closed it
/// already, and that close is traced too.
fn exchange(socket: UdpSocket<udp::Created>, server: SocketAddr) -> Result<(), End> {
    let mut input = std::io::stdin().lock();
    let first = match chat::read_message("Você: ", &mut input) {
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
        chat::say(format!("Servidor: {reply}"));
        if message.to_lowercase() == "sair" {
            return Ok(());
        }
        message = chat::read_message("Você: ", input).map_err(|err| End::Failed(err.into()))?;
        socket.send_to(message.as_bytes(), server)?;
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
            let ignored = Say::DatagramNotFromServer { from: got.from };
            log::warn!("[cliente] {}", words::text(&ignored));
            continue;
        }
        if got.truncated() {
            let (kept, size) = (got.kept, got.size);
            log::warn!(
                "[cliente] {}",
                words::text(&Say::ReplyTruncated { kept, size })
            );
        }
        return Ok(String::from_utf8_lossy(&buf[..got.kept]).into_owned());
    }
    Err(End::Failed(words::text(&Say::TooManyStrays).into()))
}

/// `close()`; a failure is in the trace and logged, nothing more to do.
fn close<S: udp::State>(socket: UdpSocket<S>) {
    if let Err(err) = socket.close() {
        log::warn!("{err}");
    }
}
