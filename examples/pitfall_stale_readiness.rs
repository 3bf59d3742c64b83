//! Pitfall: a readiness that went stale. Run:
//! `cargo run --example pitfall_stale_readiness`
//!
//! `poll` answers for the moment it returns: "this socket has something to
//! read *now*". A program that acts on that answer twice — a second `recv`
//! after the first took everything, or another thread reading the same
//! socket in between — asks for what is no longer there. On a blocking
//! socket that second `recv` waits, and an event loop waits with it, every
//! other client included; on a non-blocking socket it fails at once with
//! `EAGAIN`, "nothing ready yet", and the loop goes back to `poll`.
//!
//! Here the client sends `ola`; `poll` says the server's connection is
//! readable; the first `recv` takes the 3 bytes; the second, on the same
//! answer, gets `EAGAIN`.

use std::error::Error;
use std::time::Duration;

use socket_lifecycle::{Cause, Interest, Lang, Poll, Recorder, Socket};

// tests/pitfalls.rs includes every pitfall example as a module, and so this
// shared module once for each of them.
#[allow(clippy::duplicate_mod)]
mod look;
#[allow(clippy::duplicate_mod)]
mod words;

use words::{Say, text};

/// What the demonstration saw.
#[derive(Debug)]
pub struct Findings {
    /// Whether `poll` said the connection was readable.
    pub readable: bool,
    /// What the first `recv` took.
    pub first: Vec<u8>,
    /// The second `recv`'s failure, by the errno's name, and its cause.
    pub second: Option<(String, Cause)>,
}

/// One message, one `poll`, two `recv`s on its answer.
pub fn demonstrate(recorder: &Recorder) -> Result<Findings, Box<dyn Error>> {
    let listener = Socket::tcp_v4(recorder.tracer("servidor"))?
        .bind(([127, 0, 0, 1], 0).into())?
        .listen(5)?;
    let addr = listener.local_addr().ok_or("the listener has no address")?;
    let client = Socket::tcp_v4(recorder.tracer("cliente"))?.connect(addr)?;
    let (conn, _peer) = listener.accept()?;
    conn.set_nonblocking()?;
    client.send_all(b"ola")?;

    let poll = Poll::new(recorder.tracer("poll"));
    let ready = poll.wait(&[Interest::read(&conn)], Some(Duration::from_secs(5)))?;
    let mut buf = [0u8; 1024];
    let n = conn.recv(&mut buf)?;
    let first = buf[..n].to_vec();
    // The same answer, acted on again.
    let second = conn.recv(&mut buf).err().map(|err| {
        let name = err.errno_name().unwrap_or("?").to_string();
        (name, err.cause())
    });
    client.close()?;
    conn.close()?;
    listener.close()?;
    Ok(Findings {
        readable: ready.first().is_some_and(|w| w.readable),
        first,
        second,
    })
}

fn main() -> Result<(), Box<dyn Error>> {
    let lang = Lang::from_env();
    let recorder = Recorder::new();
    let f = demonstrate(&recorder)?;
    look::show(&recorder, lang, false)?;
    println!();
    let second = f.second.map_or_else(|| "-".to_string(), |(name, _)| name);
    let first = f.first.len();
    println!("{}", text(&Say::StaleReadiness { first, second }));
    println!("{}", text(&Say::StaleReadinessLesson));
    Ok(())
}
