//! Pitfall: a UTF-8 character cut in two by `recv(1024)`.
//! Run: `cargo run --example pitfall_utf8_split`
//!
//! The report decodes every `recv(1024)` on its own
//! (`client_socket.recv(1024).decode('utf-8')`). UTF-8 spends two bytes on
//! `ç` and on `ã`, so a message longer than 1024 bytes can have a character
//! whose first byte is the 1024th: the first `recv` ends in the middle of
//! it. Decoding that chunk alone fails (Python raises
//! `UnicodeDecodeError`; Rust's `String::from_utf8` returns an error, and
//! the lossy decoder shows `�`), and so does the start of the next chunk.
//!
//! Here the message is 1022 dashes and `ação`: byte 1024 is the first half
//! of `ç`. Joined, the bytes decode perfectly: the fix is to decode the
//! stream, not each chunk — carry an incomplete character over to the next
//! `recv`, as the chat examples' decoder does.

use std::error::Error;

use socket_lifecycle::{Lang, Recorder, Socket};

// tests/pitfalls.rs includes every pitfall example as a module, and so this
// shared module once for each of them.
#[allow(clippy::duplicate_mod)]
mod look;
#[allow(clippy::duplicate_mod)]
mod words;

use words::{Say, text};

/// The message: 1022 ASCII dashes, then `ação` (`ç` and `ã` take two bytes).
pub fn message() -> String {
    format!("{}ação", "-".repeat(1022))
}

/// What the demonstration saw.
#[derive(Debug)]
pub struct Findings {
    /// What each `recv(1024)` returned, in order.
    pub chunks: Vec<Vec<u8>>,
}

impl Findings {
    /// Each chunk decoded on its own, as the report does.
    pub fn decoded_one_by_one(&self) -> Vec<Result<String, std::string::FromUtf8Error>> {
        self.chunks
            .iter()
            .map(|chunk| String::from_utf8(chunk.clone()))
            .collect()
    }

    /// The chunks joined first, then decoded.
    pub fn decoded_joined(&self) -> Result<String, std::string::FromUtf8Error> {
        String::from_utf8(self.chunks.concat())
    }
}

/// Sends the message in one `send`, then reads it with `recv(1024)` until
/// the sender closes.
pub fn demonstrate(recorder: &Recorder) -> Result<Findings, Box<dyn Error>> {
    let listener = Socket::tcp_v4(recorder.tracer("servidor"))?
        .bind(([127, 0, 0, 1], 0).into())?
        .listen(5)?;
    let addr = listener.local_addr().ok_or("the listener has no address")?;
    let client = Socket::tcp_v4(recorder.tracer("cliente"))?.connect(addr)?;
    let (conn, _peer) = listener.accept()?;

    client.send_all(message().as_bytes())?;
    client.close()?;

    let mut chunks = Vec::new();
    let mut buf = [0u8; 1024];
    // Bounded: the message is 1028 bytes, so a few reads reach the end.
    for _ in 0..8 {
        let n = conn.recv(&mut buf)?;
        if n == 0 {
            break;
        }
        chunks.push(buf[..n].to_vec());
    }
    conn.close()?;
    listener.close()?;
    Ok(Findings { chunks })
}

/// The last `n` characters of `text`.
fn last_chars(text: &str, n: usize) -> String {
    let count = text.chars().count();
    text.chars().skip(count.saturating_sub(n)).collect()
}

fn main() -> Result<(), Box<dyn Error>> {
    let lang = Lang::from_env();
    let recorder = Recorder::new();
    let findings = demonstrate(&recorder)?;
    look::show(&recorder, lang, false)?;
    println!();
    let bytes = message().len();
    println!("{}", text(&Say::SplitMessage { bytes }));
    for (i, (chunk, decoded)) in findings
        .chunks
        .iter()
        .zip(findings.decoded_one_by_one())
        .enumerate()
    {
        let chunk = Say::SplitChunk {
            number: i + 1,
            bytes: chunk.len(),
            tail: last_chars(&String::from_utf8_lossy(chunk), 6),
            error: decoded.err().map(|err| err.to_string()),
        };
        println!("{}", text(&chunk));
    }
    match findings.decoded_joined() {
        Ok(joined) => {
            let tail = last_chars(&joined, 6);
            println!("{}", text(&Say::SplitJoined { tail }));
        }
        Err(err) => println!("{err}"),
    }
    println!("{}", text(&Say::SplitLesson));
    Ok(())
}
