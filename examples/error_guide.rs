//! The error guide, live: each failure the library hints at that can be
//! made on loopback, made for real. Run: `cargo run --example error_guide`
//!
//! Every case prints the library's whole message — the call that failed,
//! the errno and the hint — in the language the environment asks for
//! (`SOCKET_LIFECYCLE_LANG=pt` for Portuguese). The trace of all the cases
//! comes first.
//!
//! Not made here, because they need another user, another network or
//! another limit: `EACCES` (a port below 1024 as a normal user), `ETIMEDOUT`
//! on connect (a host that never answers), `ENETUNREACH`/`EHOSTUNREACH` (no
//! route), `EMFILE` (out of file descriptors). `docs/*/04-*.md` explains
//! them; their hints are tested in `src/narration.rs`.

use std::error::Error;
use std::net::Shutdown;
use std::time::Duration;

use socket_lifecycle::{Lang, Recorder, Socket};

// tests/docs.rs includes this example as a module, and the shared modules
// with it a second time.
#[allow(clippy::duplicate_mod)]
mod look;
mod wait;

/// One failure, made for real.
#[derive(Debug)]
pub struct Case {
    /// What was done wrong, in a few words.
    pub what: &'static str,
    /// The library's error.
    pub error: socket_lifecycle::Error,
}

fn loopback() -> std::net::SocketAddr {
    ([127, 0, 0, 1], 0).into()
}

/// Makes each failure once, on 127.0.0.1, and returns them in the guide's
/// order.
pub fn demonstrate(recorder: &Recorder) -> Result<Vec<Case>, Box<dyn Error>> {
    let mut cases = Vec::new();
    let mut case = |what, result: Result<(), socket_lifecycle::Error>| match result {
        Ok(()) => Err(format!("{what}: no error")),
        Err(error) => {
            cases.push(Case { what, error });
            Ok(())
        }
    };

    // ECONNREFUSED: a port that is bound but has no listener.
    let holder = Socket::tcp_v4(recorder.tracer("sem-escuta"))?.bind(loopback())?;
    let port = holder.local_addr().ok_or("no address")?;
    case(
        "connect to a port nobody listens on",
        Socket::tcp_v4(recorder.tracer("cliente"))?
            .connect(port)
            .map(drop),
    )?;
    holder.close()?;

    // EADDRINUSE: a live listener holds the port; SO_REUSEADDR does not help.
    let server = Socket::tcp_v4(recorder.tracer("servidor"))?
        .reuse_address(true)?
        .bind(loopback())?
        .listen(5)?;
    let addr = server.local_addr().ok_or("no address")?;
    case(
        "bind to the port of a live server",
        Socket::tcp_v4(recorder.tracer("segundo"))?
            .reuse_address(true)?
            .bind(addr)
            .map(drop),
    )?;

    // EADDRNOTAVAIL: an address of no interface of this machine (192.0.2.1
    // is reserved for documentation; bind sends nothing anywhere).
    case(
        "bind to an address this machine does not have",
        Socket::tcp_v4(recorder.tracer("fora"))?
            .bind(([192, 0, 2, 1], 0).into())
            .map(drop),
    )?;

    // EPIPE: send after the peer closed (and reset the connection).
    let client = Socket::tcp_v4(recorder.tracer("cliente-epipe"))?.connect(addr)?;
    let (conn, _) = server.accept()?;
    conn.close()?;
    let mut sent = Ok(());
    for _ in 0..5 {
        sent = client.send(b"ola").map(drop);
        if sent.is_err() {
            break;
        }
        // The peer's kernel answers the data with a reset; the next send
        // meets it.
        wait::reset_arrived(&client);
    }
    case("send to a peer that closed", sent)?;
    client.close()?;

    // ECONNRESET, then ENOTCONN: the peer closes with unread data, so its
    // kernel resets the connection; the reset connection is then no
    // connection at all.
    let client = Socket::tcp_v4(recorder.tracer("cliente-reset"))?.connect(addr)?;
    let (conn, _) = server.accept()?;
    client.send_all(b"nunca lido")?;
    // The bytes wait unread in the peer's receive buffer before it closes.
    wait::bytes_arrived(&conn, "nunca lido".len());
    conn.close()?;
    case(
        "recv after the peer closed with unread data",
        client.recv(&mut [0u8; 64]).map(drop),
    )?;
    case(
        "shutdown a connection that was reset",
        client.shutdown(Shutdown::Write),
    )?;
    client.close()?;

    // EAGAIN: a read timeout expires with nothing to read.
    let client = Socket::tcp_v4(recorder.tracer("cliente-espera"))?.connect(addr)?;
    let (conn, _) = server.accept()?;
    client.set_read_timeout(Some(Duration::from_millis(100)))?;
    case(
        "recv with a timeout, and nothing arrives",
        client.recv(&mut [0u8; 64]).map(drop),
    )?;
    client.close()?;
    conn.close()?;

    // EINVAL: accept on a listener that was shut down.
    server.shutdown()?;
    case(
        "accept on a listener that was shut down",
        server.accept().map(drop),
    )?;
    server.close()?;
    Ok(cases)
}

fn main() -> Result<(), Box<dyn Error>> {
    let lang = Lang::from_env();
    let recorder = Recorder::new();
    let cases = demonstrate(&recorder)?;
    look::show(&recorder, lang, false)?;
    println!();
    for case in cases {
        println!(
            "{} → {:?}\n    {}",
            case.error.errno_name().unwrap_or("?"),
            case.error.cause(),
            case.error.message(lang)
        );
    }
    Ok(())
}
