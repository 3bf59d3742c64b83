//! Pitfall: two messages, one `recv`. Run: `cargo run --example pitfall_coalesced`
//!
//! The client sends `ola` and then `tudo bem?` — two `send` calls, two
//! messages in the programmer's head. The server calls `recv(1024)` once, as
//! the report's server does, and gets `olatudo bem?`: TCP carries a stream
//! of bytes and keeps no trace of where one `send` ended. Whatever arrived
//! by the time of the `recv` comes out together.
//!
//! The fix is framing — a delimiter (one message per line) or a length
//! before each message — so that the receiver can cut the stream back into
//! messages. The report's protocol has none.

use std::error::Error;

use socket_lifecycle::diagram::SequenceDiagram;
use socket_lifecycle::{Lang, Recorder, Socket};

// tests/pitfalls.rs includes every pitfall example as a module, and so this
// shared module once for each of them.
#[allow(clippy::duplicate_mod)]
mod look;
#[allow(clippy::duplicate_mod)]
mod words;

#[allow(clippy::duplicate_mod)]
mod wait;

use words::{Say, text};

/// The two messages, in the order they are sent.
pub const MESSAGES: [&str; 2] = ["ola", "tudo bem?"];

/// What the demonstration saw.
#[derive(Debug)]
pub struct Findings {
    /// The bytes of the server's first (and only) `recv(1024)`.
    pub first_recv: Vec<u8>,
}

/// Sends the two messages, then makes one `recv` on the other side.
pub fn demonstrate(recorder: &Recorder) -> Result<Findings, Box<dyn Error>> {
    let listener = Socket::tcp_v4(recorder.tracer("servidor"))?
        .bind(([127, 0, 0, 1], 0).into())?
        .listen(5)?;
    let addr = listener.local_addr().ok_or("the listener has no address")?;
    let client = Socket::tcp_v4(recorder.tracer("cliente"))?.connect(addr)?;
    let (conn, _peer) = listener.accept()?;

    for message in MESSAGES {
        client.send_all(message.as_bytes())?;
    }
    // Both messages wait in the server's receive buffer before it reads:
    // on loopback they are there microseconds after `send` returns, and the
    // wait makes sure of it, however busy the machine. A real network makes
    // the outcome vary: both messages, the first alone, or even part of one.
    let total = MESSAGES.iter().map(|m| m.len()).sum();
    wait::bytes_arrived(&conn, total);

    let mut buf = [0u8; 1024];
    let n = conn.recv(&mut buf)?;

    client.close()?;
    conn.close()?;
    listener.close()?;
    Ok(Findings {
        first_recv: buf[..n].to_vec(),
    })
}

fn main() -> Result<(), Box<dyn Error>> {
    let lang = Lang::from_env();
    let recorder = Recorder::new();
    let findings = demonstrate(&recorder)?;
    look::show(&recorder, lang, false)?;
    println!();
    print!("{}", SequenceDiagram::new(&recorder.events()).text(lang));
    println!();
    for message in MESSAGES {
        let sent = Say::Sent {
            message: message.to_string(),
            bytes: message.len(),
        };
        println!("{}", text(&sent));
    }
    let returned = Say::OneRecvReturned {
        received: String::from_utf8_lossy(&findings.first_recv).into_owned(),
        bytes: findings.first_recv.len(),
    };
    println!("{}", text(&returned));
    println!("{}", text(&Say::CoalescedLesson));
    Ok(())
}
