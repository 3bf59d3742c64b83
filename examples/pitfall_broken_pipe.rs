//! Pitfall: writing to a peer that has closed — `EPIPE` and `SIGPIPE`.
//! Run: `cargo run --example pitfall_broken_pipe`
//!
//! The server accepts and closes at once. The client does not know yet and
//! sends. The first `send` succeeds: it only hands bytes to the client's
//! kernel, which delivers them; the server's kernel, with no socket left to
//! give them to, answers with a reset (RST). From then on the connection is
//! dead, and the next `send` fails with `EPIPE` ("broken pipe").
//!
//! On Linux the kernel also raises `SIGPIPE` on such a `send`, and the
//! signal's default action ends the process — silently, in a C program.
//! Rust and Python programs ignore `SIGPIPE` from the start, so they see
//! the error instead; the library also passes `MSG_NOSIGNAL` on every send
//! (see `sendto(…, MSG_NOSIGNAL, …)` in the trace), so it returns `EPIPE`
//! whatever the host program does with signals.
//!
//! The second part shows the signal itself: a short Python program (when
//! `python3` is installed) restores `SIGPIPE`'s default action and makes
//! the same mistake with a plain `send`. It dies of signal 13.

use std::error::Error;

use socket_lifecycle::diagram::SequenceDiagram;
use socket_lifecycle::{Cause, Lang, Recorder, Socket};

// tests/pitfalls.rs includes every pitfall example as a module, and so this
// shared module once for each of them.
#[allow(clippy::duplicate_mod)]
mod look;
#[allow(clippy::duplicate_mod)]
mod words;

#[allow(clippy::duplicate_mod)]
mod wait;

use words::{Say, text};

/// What the demonstration saw.
#[derive(Debug)]
pub struct Findings {
    /// How many `send`s succeeded before the first failure.
    pub sends_before_failure: usize,
    /// The failure: errno name and the library's cause.
    pub failure: Option<(String, Cause)>,
    /// The library's message for the failure, in English.
    pub message: Option<String>,
}

/// A client sends to a server that has already closed.
pub fn demonstrate(recorder: &Recorder) -> Result<Findings, Box<dyn Error>> {
    let listener = Socket::tcp_v4(recorder.tracer("servidor"))?
        .bind(([127, 0, 0, 1], 0).into())?
        .listen(5)?;
    let addr = listener.local_addr().ok_or("the listener has no address")?;
    let client = Socket::tcp_v4(recorder.tracer("cliente"))?.connect(addr)?;
    let (conn, _peer) = listener.accept()?;
    conn.close()?;
    listener.close()?;

    let mut findings = Findings {
        sends_before_failure: 0,
        failure: None,
        message: None,
    };
    // Bounded: the RST comes back within microseconds on loopback.
    for _ in 0..5 {
        match client.send(b"ola") {
            Ok(_) => findings.sends_before_failure += 1,
            Err(err) => {
                let name = err.errno_name().unwrap_or("?").to_string();
                findings.failure = Some((name, err.cause()));
                findings.message = Some(err.message(Lang::En));
                break;
            }
        }
        // The peer's kernel answers the data with a reset; the next send
        // meets it.
        wait::reset_arrived(&client);
    }
    client.close()?;
    Ok(findings)
}

/// A Python program that restores `SIGPIPE`'s default action and sends to
/// a closed peer, like a C program would: once, then again after the
/// peer's reset has arrived (`poll` for no event returns on it).
/// Everything on 127.0.0.1.
#[cfg(unix)]
pub const PYTHON_SIGPIPE: &str = "
import select, signal, socket
signal.signal(signal.SIGPIPE, signal.SIG_DFL)
server = socket.socket(); server.bind(('127.0.0.1', 0)); server.listen(5)
client = socket.create_connection(server.getsockname())
conn, _ = server.accept(); conn.close()
client.send(b'ola')
reset = select.poll(); reset.register(client, 0); reset.poll(5000)
client.send(b'ola')
print('still alive')
";

/// Runs [`PYTHON_SIGPIPE`]: `Some(signal)` it died of, `Some(0)` when it
/// lived, `None` when there is no `python3`.
#[cfg(unix)]
pub fn python_sigpipe() -> Option<i32> {
    use std::os::unix::process::ExitStatusExt;
    let output = std::process::Command::new("python3")
        .args(["-c", PYTHON_SIGPIPE])
        .output()
        .ok()?;
    Some(output.status.signal().unwrap_or(0))
}

/// Windows has no signals, hence no `SIGPIPE`: a send to a closed peer is
/// only ever an error there. Nothing to run.
#[cfg(not(unix))]
pub fn python_sigpipe() -> Option<i32> {
    None
}

fn main() -> Result<(), Box<dyn Error>> {
    let lang = Lang::from_env();
    let recorder = Recorder::new();
    let f = demonstrate(&recorder)?;
    look::show(&recorder, lang, false)?;
    println!();
    print!("{}", SequenceDiagram::new(&recorder.events()).text(lang));
    println!();
    let count = f.sends_before_failure;
    println!("{}", text(&Say::SendsBeforeError { count }));
    if let Some((errno, cause)) = &f.failure {
        println!("{errno} → {cause:?}: {}", cause.hint(lang));
    }
    let python = match python_sigpipe() {
        Some(13) => Say::PythonKilledBySigpipe,
        Some(0) => Say::PythonSurvived,
        Some(signal) => Say::PythonKilledBySignal { signal },
        None => Say::PythonNotInstalled,
    };
    println!("{}", text(&python));
    Ok(())
}
