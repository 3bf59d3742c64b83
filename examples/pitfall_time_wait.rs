//! Pitfall: restarting a server — `SO_REUSEADDR` and `TIME_WAIT`.
//! Run: `cargo run --example pitfall_time_wait`
//!
//! The side that closes a connection first keeps it in `TIME_WAIT` for
//! 2×MSL (60 s on Linux), so that late segments of the old connection die
//! out instead of landing in a new one. When the server closes first — as
//! the report's server does after `sair` — that connection holds the
//! server's port. A restarted server then fails in `bind` with
//! `EADDRINUSE`, for a minute, although nothing runs any more.
//!
//! `SO_REUSEADDR` lets `bind` take a port that only `TIME_WAIT` connections
//! hold — on Linux, when both the old socket and the new one set it: the
//! accepted connection inherits the option from its listener. That is why
//! the report calls `setsockopt(SO_REUSEADDR, 1)` before `bind`. It never
//! lets two live servers share a port (see the test
//! `bind_on_a_port_in_use` in `tests/lifecycle.rs`).
//!
//! Three rounds, each on a fresh port from the kernel: a server serves one
//! client, closes first, and stops; then a new server binds the same port
//! at once. The option is off in both, on in the new one only, on in both.

use std::error::Error;
use std::net::SocketAddr;

use socket_lifecycle::{Lang, Recorder, Socket, TcpState};

// tests/pitfalls.rs includes every pitfall example as a module, and so this
// shared module once for each of them.
#[allow(clippy::duplicate_mod)]
mod look;
#[allow(clippy::duplicate_mod)]
mod words;

use words::{Say, text};

/// One round: whether each server set `SO_REUSEADDR`, and what followed.
#[derive(Debug)]
pub struct Round {
    /// `SO_REUSEADDR` on the first server (and so on its connection).
    pub old_reuse: bool,
    /// `SO_REUSEADDR` on the restarted server.
    pub new_reuse: bool,
    /// What the kernel held for the first server's connection after it
    /// closed (`/proc/net/tcp`).
    pub left_behind: Option<TcpState>,
    /// The restarted server's `bind`: `Ok`, or the errno's name.
    pub rebind: Result<(), String>,
}

/// One server lifetime, then a restart on the same port.
fn round(
    recorder: &Recorder,
    n: usize,
    old_reuse: bool,
    new_reuse: bool,
) -> Result<Round, Box<dyn Error>> {
    let listener = Socket::tcp_v4(recorder.tracer(&format!("servidor{n}")))?
        .reuse_address(old_reuse)?
        .bind(([127, 0, 0, 1], 0).into())?
        .listen(5)?;
    let addr: SocketAddr = listener.local_addr().ok_or("the listener has no address")?;
    let client = Socket::tcp_v4(recorder.tracer(&format!("cliente{n}")))?.connect(addr)?;
    let (conn, _peer) = listener.accept()?;
    // The server closes first: its side of the connection enters TIME_WAIT
    // once the client's FIN comes back.
    let closed = conn.close()?;
    client.recv(&mut [0u8; 16])?;
    client.close()?;
    let left_behind = closed.kernel_state();
    listener.close()?;

    let rebind = Socket::tcp_v4(recorder.tracer(&format!("reiniciado{n}")))?
        .reuse_address(new_reuse)?
        .bind(addr);
    let rebind = match rebind {
        Ok(bound) => {
            bound.close()?;
            Ok(())
        }
        Err(err) => Err(err.errno_name().unwrap_or("?").to_string()),
    };
    Ok(Round {
        old_reuse,
        new_reuse,
        left_behind,
        rebind,
    })
}

/// The three rounds.
pub fn demonstrate(recorder: &Recorder) -> Result<Vec<Round>, Box<dyn Error>> {
    Ok(vec![
        round(recorder, 1, false, false)?,
        round(recorder, 2, false, true)?,
        round(recorder, 3, true, true)?,
    ])
}

fn main() -> Result<(), Box<dyn Error>> {
    let lang = Lang::from_env();
    let recorder = Recorder::new();
    let rounds = demonstrate(&recorder)?;
    look::show(&recorder, lang, false)?;
    println!();
    for r in &rounds {
        let round = Say::TimeWaitRound {
            old_reuse: r.old_reuse,
            new_reuse: r.new_reuse,
            left_behind: r.left_behind,
            rebind: r.rebind.clone(),
        };
        println!("{}", text(&round));
    }
    println!("{}", text(&Say::TimeWaitLesson));
    Ok(())
}
