//! Pitfall: a busy loop on `EAGAIN`. Run:
//! `cargo run --example pitfall_busy_loop`
//!
//! On a non-blocking socket, `recv` with nothing received fails at once
//! with `EAGAIN`: "nothing ready yet". A loop that simply calls again
//! waits all the same — but running: each turn is a system call, and the
//! thread keeps a processor busy for as long as nothing comes. `poll`
//! waits for the same thing asleep: one call, which returns when the
//! socket is readable.
//!
//! Here the client sends `ola` after 50 ms, and the server spins on `recv`
//! until it comes; then the client sends `tudo bem?` after another 50 ms,
//! and the server waits in `poll`. The example counts the calls and, where
//! the system tells a thread's processor time (Linux:
//! `/proc/thread-self/schedstat`), what each wait cost. The canonical
//! trace shows the run of `EAGAIN`s as one call: how many there were is
//! timing's business.

use std::error::Error;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use socket_lifecycle::{Cause, Connection, Interest, Lang, Poll, Recorder, Socket};

// tests/pitfalls.rs includes every pitfall example as a module, and so this
// shared module once for each of them.
#[allow(clippy::duplicate_mod)]
mod look;
#[allow(clippy::duplicate_mod)]
mod words;

use words::{Say, text};

/// How long the client waits before each message.
pub const DELAY: Duration = Duration::from_millis(50);

/// What the demonstration saw.
#[derive(Debug)]
pub struct Findings {
    /// `recv` calls that answered `EAGAIN` while the server spun.
    pub calls: u64,
    /// How long the spinning lasted.
    pub waited: Duration,
    /// Processor time the spinning thread used meanwhile.
    pub cpu: Option<Duration>,
    /// Processor time the same wait cost in `poll`.
    pub poll_cpu: Option<Duration>,
    /// What the spinning `recv` and the one after `poll` received.
    pub received: [Vec<u8>; 2],
}

/// The calling thread's processor time so far, where the system tells it.
fn thread_cpu() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanos = stat.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(nanos))
}

fn spent(before: Option<Duration>) -> Option<Duration> {
    Some(thread_cpu()?.saturating_sub(before?))
}

/// Both waits on one connection, the client sending from another thread.
pub fn demonstrate(recorder: &Recorder) -> Result<Findings, Box<dyn Error>> {
    let listener = Socket::tcp_v4(recorder.tracer("servidor"))?
        .bind(([127, 0, 0, 1], 0).into())?
        .listen(5)?;
    let addr = listener.local_addr().ok_or("the listener has no address")?;
    let client = Socket::tcp_v4(recorder.tracer("cliente"))?.connect(addr)?;
    let (conn, _peer) = listener.accept()?;
    conn.set_nonblocking()?;
    let mut buf = [0u8; 1024];

    // Set once the busy loop has met its first EAGAIN: the client's delay
    // starts then, so the loop spins whatever the scheduler does.
    let spinning = AtomicBool::new(false);
    let (spun, polled) = std::thread::scope(|scope| -> Result<_, Box<dyn Error>> {
        let sender = scope.spawn(|| -> socket_lifecycle::Result<()> {
            let limit = Instant::now() + Duration::from_secs(10);
            while !spinning.load(Ordering::SeqCst) && Instant::now() < limit {
                std::thread::sleep(Duration::from_millis(1));
            }
            std::thread::sleep(DELAY);
            client.send_all(b"ola")?;
            std::thread::sleep(DELAY);
            client.send_all(b"tudo bem?")
        });
        // The busy loop.
        let (cpu, started) = (thread_cpu(), Instant::now());
        let mut calls = 0;
        let n = loop {
            match conn.recv(&mut buf) {
                Ok(n) => break n,
                Err(err) if err.cause() == Cause::WouldBlock => {
                    calls += 1;
                    spinning.store(true, Ordering::SeqCst);
                }
                Err(err) => return Err(err.into()),
            }
        };
        let spun = (calls, started.elapsed(), spent(cpu), buf[..n].to_vec());
        // The same wait, asleep in poll.
        let cpu = thread_cpu();
        let received = wait_then_recv(recorder, &conn, &mut buf)?;
        let polled = (spent(cpu), received);
        sender.join().map_err(|_| "the client thread panicked")??;
        Ok((spun, polled))
    })?;
    client.close()?;
    conn.close()?;
    listener.close()?;
    let (calls, waited, cpu, first) = spun;
    let (poll_cpu, second) = polled;
    Ok(Findings {
        calls,
        waited,
        cpu,
        poll_cpu,
        received: [first, second],
    })
}

/// `poll` until `conn` is readable, then one `recv`.
fn wait_then_recv(
    recorder: &Recorder,
    conn: &Connection,
    buf: &mut [u8],
) -> Result<Vec<u8>, Box<dyn Error>> {
    let poll = Poll::new(recorder.tracer("poll"));
    poll.wait(&[Interest::read(conn)], Some(Duration::from_secs(5)))?;
    let n = conn.recv(buf)?;
    Ok(buf[..n].to_vec())
}

fn main() -> Result<(), Box<dyn Error>> {
    let lang = Lang::from_env();
    // Room for every EAGAIN of the busy loop.
    let recorder = Recorder::with_capacity(1 << 20);
    let f = demonstrate(&recorder)?;
    // The canonical form: the run of EAGAINs as one call.
    look::show(&recorder, lang, true)?;
    println!();
    let millis = |d: Option<Duration>| d.map(|d| d.as_secs_f64() * 1000.0);
    let say = Say::BusyLoop {
        calls: f.calls,
        waited_ms: f.waited.as_secs_f64() * 1000.0,
        cpu_ms: millis(f.cpu),
        poll_cpu_ms: millis(f.poll_cpu),
    };
    println!("{}", text(&say));
    println!("{}", text(&Say::BusyLoopLesson));
    Ok(())
}
