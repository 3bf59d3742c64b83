//! Pitfall: what the 5 in `listen(5)` means, and a burst that overflows it.
//! Run: `cargo run --example pitfall_backlog`
//!
//! `listen(fd, 5)` does not limit the server to five clients. It sizes the
//! *accept queue*: connections whose three-way handshake the kernel has
//! already completed, waiting for the program to call `accept()`. Linux
//! lets `backlog + 1` wait (and caps the backlog at
//! `/proc/sys/net/core/somaxconn`). When the queue is full, the kernel
//! drops the next SYN without an answer — the client's `connect` keeps
//! retrying (after 1 s, 3 s, 7 s…) — and counts the drop in
//! `/proc/net/netstat`, `TcpExt: ListenOverflows`.
//!
//! Here a listener with backlog 5 never accepts, and 32 clients connect at
//! once. The clients use non-blocking sockets straight from socket2 (the
//! library's `connect` waits for the handshake to finish, which a dropped
//! SYN delays by seconds), so they are not in the trace: the listener is.
//! After a short pause, each client's TCP state is read from the kernel, and
//! so is the counter. Everything stays on 127.0.0.1, and the burst is closed
//! at the end.

use std::error::Error;

use socket_lifecycle::errno::Errno;
use socket_lifecycle::kernel::{AsDescriptor, tcp_info};
use socket_lifecycle::{Lang, Recorder, Socket, TcpState};
use socket2::{Domain, Protocol, Type};

// tests/pitfalls.rs includes every pitfall example as a module, and so this
// shared module once for each of them.
#[allow(clippy::duplicate_mod)]
mod look;
#[allow(clippy::duplicate_mod)]
mod words;

#[allow(clippy::duplicate_mod)]
mod wait;

use words::{Say, text};

/// The backlog the report uses.
pub const BACKLOG: i32 = 5;
/// How many clients connect at once.
pub const ATTEMPTS: usize = 32;

/// What the demonstration saw.
#[derive(Debug)]
pub struct Findings {
    /// Clients whose handshake completed (`ESTABLISHED`).
    pub established: usize,
    /// Clients still waiting for an answer to their SYN (`SYN_SENT`).
    pub waiting: usize,
    /// The listener's accept queue, as `TCP_INFO` reports it: waiting, limit.
    pub accept_queue: (Option<u32>, Option<u32>),
    /// `TcpExt: ListenOverflows` before and after the burst (`None` where
    /// `/proc/net/netstat` cannot be read). The counter is the whole
    /// system's: other programs can add to it too.
    pub overflows: Option<(u64, u64)>,
}

/// `TcpExt: ListenOverflows` from `/proc/net/netstat`: a line of names, then
/// a line of values.
pub fn listen_overflows() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/net/netstat").ok()?;
    let mut tcp_ext = text.lines().filter(|line| line.starts_with("TcpExt:"));
    let names = tcp_ext.next()?.split_whitespace();
    let values = tcp_ext.next()?.split_whitespace();
    names
        .zip(values)
        .find(|(name, _)| *name == "ListenOverflows")
        .and_then(|(_, value)| value.parse().ok())
}

/// Fills the accept queue of a listener that never accepts.
pub fn demonstrate(recorder: &Recorder) -> Result<Findings, Box<dyn Error>> {
    let listener = Socket::tcp_v4(recorder.tracer("servidor"))?
        .bind(([127, 0, 0, 1], 0).into())?
        .listen(BACKLOG)?;
    let addr = listener.local_addr().ok_or("the listener has no address")?;

    let before = listen_overflows();
    let mut clients = Vec::with_capacity(ATTEMPTS);
    for _ in 0..ATTEMPTS {
        let client = socket2::Socket::new(Domain::IPV4, Type::STREAM, Some(Protocol::TCP))?;
        client.set_nonblocking(true)?;
        match client.connect(&addr.into()) {
            Ok(()) => {}
            // Under way (Windows says WSAEWOULDBLOCK for the same).
            Err(err)
                if matches!(
                    err.raw_os_error().and_then(Errno::of),
                    Some(Errno::EINPROGRESS | Errno::EWOULDBLOCK)
                ) => {}
            Err(err) => return Err(err.into()),
        }
        clients.push(client);
    }
    // Handshakes on loopback take microseconds; a dropped SYN is retried
    // only after a second, into a queue still full. Once the queue holds
    // all it can (Linux: one more than the backlog), the picture stays.
    wait::accept_queue_holds(&listener, BACKLOG.unsigned_abs() + 1);
    let after = listen_overflows();

    let states: Vec<Option<TcpState>> = clients
        .iter()
        .map(|c| tcp_info(c.descriptor()).map(|info| info.state))
        .collect();
    let count = |state| states.iter().filter(|s| **s == Some(state)).count();
    let queue = tcp_info(listener.descriptor());
    drop(clients);
    listener.close()?;

    Ok(Findings {
        established: count(TcpState::Established),
        waiting: count(TcpState::SynSent),
        accept_queue: (
            queue.and_then(|q| q.accept_queue),
            queue.and_then(|q| q.accept_queue_limit),
        ),
        overflows: before.zip(after),
    })
}

fn main() -> Result<(), Box<dyn Error>> {
    let lang = Lang::from_env();
    let recorder = Recorder::new();
    let f = demonstrate(&recorder)?;
    look::show(&recorder, lang, false)?;
    println!();
    let (backlog, attempts) = (BACKLOG, ATTEMPTS);
    println!("{}", text(&Say::BacklogBurst { backlog, attempts }));
    println!(
        "  ESTABLISHED: {} ({})",
        f.established,
        text(&Say::InAcceptQueue)
    );
    println!("  SYN_SENT:    {} ({})", f.waiting, text(&Say::SynDropped));
    if let (Some(waiting), Some(limit)) = f.accept_queue {
        println!("  {}", text(&Say::ServerAcceptQueue { waiting, limit }));
    }
    match f.overflows {
        Some((before, after)) => println!(
            "  TcpExt ListenOverflows: {before} → {after} (+{})",
            after.saturating_sub(before)
        ),
        None => println!("  /proc/net/netstat: {}", text(&Say::NotReadableHere)),
    }
    println!("{}", text(&Say::BacklogLesson));
    Ok(())
}
