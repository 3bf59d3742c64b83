//! Pitfall: a non-blocking connect that failed, seen only through
//! `SO_ERROR`. Run: `cargo run --example pitfall_connect_so_error`
//!
//! A non-blocking `connect` sends the SYN and returns at once with
//! `EINPROGRESS`, whatever becomes of the handshake. When the socket turns
//! writable the handshake has *ended* — not necessarily well: a refused
//! connection is writable too (`poll` adds `POLLERR|POLLHUP`). Only
//! `getsockopt(SO_ERROR)` tells how it ended. A program that takes
//! "writable" for "connected" sends into a connection that never was, and
//! learns of it later, from an unrelated-looking error.
//!
//! Here a socket is bound but does not listen: the kernel answers the SYN
//! with a reset. The client's `connect` says `EINPROGRESS`, `poll` says
//! writable, and `SO_ERROR` says `ECONNREFUSED` — the library's
//! `finish_connect` reads it, and fails with it.

use std::error::Error;
use std::time::Duration;

use socket_lifecycle::errno::errno_name;
use socket_lifecycle::event::{Call, Outcome};
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
    /// What `connect` answered: the errno's name (`EINPROGRESS`), or `0`.
    pub connect: String,
    /// What `SO_ERROR` held: the errno's name, or `0`.
    pub so_error: String,
    /// The cause of `finish_connect`'s failure.
    pub failure: Option<Cause>,
}

/// A non-blocking connect to a port nobody listens on.
pub fn demonstrate(recorder: &Recorder) -> Result<Findings, Box<dyn Error>> {
    // Bound, so the port is taken and known, but not listening.
    let holder = Socket::tcp_v4(recorder.tracer("sem-escuta"))?.bind(([127, 0, 0, 1], 0).into())?;
    let addr = holder.local_addr().ok_or("the socket has no address")?;
    let connecting = Socket::tcp_v4(recorder.tracer("cliente"))?.connect_nonblocking(addr)?;
    let failure = connecting
        .finish_connect(Some(Duration::from_secs(5)))
        .err()
        .map(|err| err.cause());
    holder.close()?;
    let name = |code: i32| match code {
        0 => "0".to_string(),
        code => errno_name(code).unwrap_or("?").to_string(),
    };
    let mut connect = String::new();
    let mut so_error = String::new();
    for event in recorder.events() {
        match (&event.call, event.outcome) {
            (Call::Connect { .. }, Outcome::Failed(code)) => connect = name(code),
            (Call::Connect { .. }, Outcome::Returned(_)) => connect = name(0),
            (
                Call::TakeError {
                    pending: Some(code),
                },
                _,
            ) => so_error = name(*code),
            _ => {}
        }
    }
    Ok(Findings {
        connect,
        so_error,
        failure,
    })
}

fn main() -> Result<(), Box<dyn Error>> {
    let lang = Lang::from_env();
    let recorder = Recorder::new();
    let f = demonstrate(&recorder)?;
    look::show(&recorder, lang, false)?;
    println!();
    let (connect, so_error) = (f.connect, f.so_error);
    println!("{}", text(&Say::ConnectSoError { connect, so_error }));
    println!("{}", text(&Say::ConnectSoErrorLesson));
    Ok(())
}
