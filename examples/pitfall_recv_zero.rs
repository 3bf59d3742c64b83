//! Pitfall: `recv` returning 0 — and `send` of 0 bytes, which is not the
//! same thing. Run: `cargo run --example pitfall_recv_zero`
//!
//! `recv` returns 0 only when the peer has closed its side: its FIN arrived
//! and every byte before it has been read. It is the end of the stream, not
//! "no data yet": a `recv` that would have to wait for data blocks instead
//! (or fails with `EAGAIN` after a timeout). From then on every `recv`
//! returns 0 at once, so a loop that does not stop on 0 spins forever. The
//! report's server stops on it (`if not message: break`).
//!
//! The other direction is a trap of its own: the report's client sends
//! whatever line was typed, and an empty line is a `send` of 0 bytes. That
//! sends nothing at all — no segment leaves — so the server's `recv` goes
//! on waiting, and the client waits for a reply that never comes.
//!
//! Part 1: the client sends `sair` and closes; the server reads `sair`,
//! then 0, three times in a row, without waiting. Part 2: a client sends 0
//! bytes; the server, with a read timeout of 200 ms, gets nothing.

use std::error::Error;
use std::time::{Duration, Instant};

use socket_lifecycle::diagram::SequenceDiagram;
use socket_lifecycle::{Cause, Lang, Recorder, Socket};

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
    /// What the server's `recv` calls returned after the client's `sair`
    /// and close: the message, then the counts.
    pub message: Vec<u8>,
    /// The three `recv`s after the message.
    pub after_close: Vec<usize>,
    /// How long those three took together.
    pub after_close_took: Duration,
    /// What `send(b"")` returned.
    pub empty_send: usize,
    /// The cause of the failure of the server's `recv` after the empty send
    /// (a timeout: nothing arrived).
    pub after_empty_send: Option<Cause>,
}

/// Both parts, each with its own connection.
pub fn demonstrate(recorder: &Recorder) -> Result<Findings, Box<dyn Error>> {
    let listener = Socket::tcp_v4(recorder.tracer("servidor"))?
        .bind(([127, 0, 0, 1], 0).into())?
        .listen(5)?;
    let addr = listener.local_addr().ok_or("the listener has no address")?;
    let mut buf = [0u8; 1024];

    // Part 1: the end of the stream.
    let client = Socket::tcp_v4(recorder.tracer("cliente"))?.connect(addr)?;
    let (conn, _peer) = listener.accept()?;
    client.send_all(b"sair")?;
    client.close()?;
    let n = conn.recv(&mut buf)?;
    let message = buf[..n].to_vec();
    let started = Instant::now();
    let mut after_close = Vec::new();
    for _ in 0..3 {
        after_close.push(conn.recv(&mut buf)?);
    }
    let after_close_took = started.elapsed();
    conn.close()?;

    // Part 2: zero bytes sent, nothing received.
    let quiet = Socket::tcp_v4(recorder.tracer("cliente-vazio"))?.connect(addr)?;
    let (conn, _peer) = listener.accept()?;
    let empty_send = quiet.send(b"")?;
    conn.set_read_timeout(Some(Duration::from_millis(200)))?;
    let after_empty_send = conn.recv(&mut buf).err().map(|err| err.cause());
    quiet.close()?;
    conn.close()?;
    listener.close()?;

    Ok(Findings {
        message,
        after_close,
        after_close_took,
        empty_send,
        after_empty_send,
    })
}

fn main() -> Result<(), Box<dyn Error>> {
    let lang = Lang::from_env();
    let recorder = Recorder::new();
    let f = demonstrate(&recorder)?;
    look::show(&recorder, lang, false)?;
    println!();
    print!("{}", SequenceDiagram::new(&recorder.events()).text(lang));
    println!();
    let after_close = Say::RecvAfterClose {
        message: String::from_utf8_lossy(&f.message).into_owned(),
        after: f.after_close.clone(),
        millis: f.after_close_took.as_secs_f64() * 1000.0,
    };
    println!("{}", text(&after_close));
    let (sent, then) = (f.empty_send, f.after_empty_send);
    println!("{}", text(&Say::EmptySend { sent, then }));
    println!("{}", text(&Say::RecvZeroLesson));
    Ok(())
}
