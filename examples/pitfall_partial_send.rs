//! Pitfall: a partial send that the program forgot to finish. Run:
//! `cargo run --example pitfall_partial_send`
//!
//! `send` returns how many bytes the kernel took, which may be fewer than
//! offered. A blocking `send` on a TCP socket waits until it has taken
//! everything (or fails); a non-blocking one takes what fits in the
//! buffers now — the send buffer, and what the peer's receive buffer has
//! room for — and returns. The rest is the program's to keep and send
//! again once the socket is writable; a program that drops it loses it,
//! silently: the peer gets a shorter stream, and no error says so.
//!
//! Here the client, non-blocking, offers 16 MiB in one `send` to a peer
//! that is not reading yet, then closes; the peer then reads everything
//! that came. (The peer is the standard library's socket: its reads are
//! not the lesson, and are left out of the trace.) How much the kernel
//! took depends on the buffers — on how fast the peer reads — so the
//! canonical trace shows it as `<part>`.

use std::error::Error;
use std::io::Read;

use socket_lifecycle::{Lang, Recorder, Socket};

// tests/pitfalls.rs includes every pitfall example as a module, and so this
// shared module once for each of them.
#[allow(clippy::duplicate_mod)]
mod look;
#[allow(clippy::duplicate_mod)]
mod words;

use words::{Say, text};

/// What the client offers in one `send`: more than loopback's buffers hold.
pub const OFFERED: usize = 16 << 20;

/// What the demonstration saw.
#[derive(Debug)]
pub struct Findings {
    /// Bytes offered to the one `send`.
    pub offered: usize,
    /// Bytes it took.
    pub taken: usize,
    /// Bytes the peer received before the end of the stream.
    pub received: usize,
}

/// One non-blocking `send`, then `close`, the rest forgotten.
pub fn demonstrate(recorder: &Recorder) -> Result<Findings, Box<dyn Error>> {
    let peer_listener = std::net::TcpListener::bind(("127.0.0.1", 0))?;
    let addr = peer_listener.local_addr()?;
    let client = Socket::tcp_v4(recorder.tracer("cliente"))?.connect(addr)?;
    let (mut peer, _) = peer_listener.accept()?;
    client.set_nonblocking()?;
    let data = vec![b'x'; OFFERED];
    let taken = client.send(&data)?;
    // The mistake: the other bytes are never sent.
    client.close()?;
    let mut received = Vec::new();
    peer.read_to_end(&mut received)?;
    Ok(Findings {
        offered: OFFERED,
        taken,
        received: received.len(),
    })
}

fn main() -> Result<(), Box<dyn Error>> {
    let lang = Lang::from_env();
    let recorder = Recorder::new();
    let f = demonstrate(&recorder)?;
    look::show(&recorder, lang, false)?;
    println!();
    let say = Say::PartialSend {
        offered: f.offered,
        taken: f.taken,
        received: f.received,
    };
    println!("{}", text(&say));
    println!("{}", text(&Say::PartialSendLesson));
    Ok(())
}
