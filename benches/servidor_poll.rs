//! Threads against readiness: `servidor` (a thread per client) and
//! `servidor_poll` (one thread, a `poll` loop) under 50 and 1,000 clients:
//! `cargo build --release --examples && cargo bench --bench servidor_poll`.
//!
//! Both servers run as their own processes on loopback with the trace at
//! its default level (`info`: every call's line and narration formatted and
//! written), standard output and error to /dev/null. `servidor` gets
//! `--max-clients` equal to the clients, so that none waits for a thread;
//! both get `--backlog 1024` for the burst of connects.
//!
//! For each server and each number of clients, the connections and the
//! client threads (one per connection, in this process) are made first;
//! then one sample is the time from releasing every client to the last
//! one's end, each making `ROUND_TRIPS` round trips on its connection,
//! every reply checked byte for byte. Throughput is round trips per second
//! at the median sample (of `SOCKET_LIFECYCLE_SAMPLES`, default 11); the
//! resident memory (`VmRSS`) is read with every client connected, before
//! the samples and after them.

#[path = "../tests/support/mod.rs"]
mod support;

use std::net::SocketAddr;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Barrier};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use support::{KillOnDrop, RawClient, example_path, free_port, usage};

const ROUND_TRIPS: usize = 10;

/// Every client of one run, connected, each on its own thread, waiting to
/// be released for a sample.
struct Load {
    go: Arc<Barrier>,
    stop: Arc<AtomicBool>,
    threads: Vec<JoinHandle<()>>,
}

impl Load {
    fn connect(addr: SocketAddr, clients: usize) -> Load {
        let go = Arc::new(Barrier::new(clients + 1));
        let stop = Arc::new(AtomicBool::new(false));
        let threads = (0..clients)
            .map(|c| {
                let mut client = RawClient::connect(addr);
                let (go, stop) = (Arc::clone(&go), Arc::clone(&stop));
                std::thread::Builder::new()
                    .stack_size(64 * 1024)
                    .spawn(move || {
                        loop {
                            go.wait();
                            if stop.load(Ordering::SeqCst) {
                                return;
                            }
                            for m in 0..ROUND_TRIPS {
                                client.exchange(&format!("cliente {c} mensagem {m}"));
                            }
                            go.wait();
                        }
                    })
                    .expect("a client thread")
            })
            .collect();
        Load { go, stop, threads }
    }

    /// One sample: every client's round trips, timed.
    fn sample(&self) -> Duration {
        let began = Instant::now();
        self.go.wait();
        self.go.wait();
        began.elapsed()
    }

    fn stop(self) {
        self.stop.store(true, Ordering::SeqCst);
        self.go.wait();
        for thread in self.threads {
            thread.join().expect("a client thread");
        }
    }
}

/// `example` listening on a free loopback port with `args`, its output to
/// /dev/null, once it answers the protocol. Another program may take the
/// port first: then it exits, and it is started again (at most five times).
fn start(example: &str, args: &[&str]) -> (KillOnDrop, SocketAddr) {
    let path = example_path(example);
    for _ in 0..5 {
        let port = free_port();
        let mut process = KillOnDrop(
            Command::new(&path)
                .args(args)
                .args(["127.0.0.1", &port.to_string()])
                .env("RUST_LOG", "info")
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("spawn the server"),
        );
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        let deadline = Instant::now() + support::DEADLINE;
        while process.try_wait().expect("try_wait").is_none() {
            if let Ok(stream) = std::net::TcpStream::connect(addr) {
                // Ours, not another program's: it speaks the protocol.
                let mut probe = RawClient(stream);
                probe.exchange("sonda");
                probe.leave();
                return (process, addr);
            }
            assert!(Instant::now() < deadline, "{example} did not come up");
            std::thread::sleep(Duration::from_millis(5));
        }
    }
    panic!("{example}: five free ports in a row were taken");
}

/// One server under `clients` clients: median sample and memory.
struct Row {
    server: &'static str,
    clients: usize,
    median: Duration,
    lowest: Duration,
    highest: Duration,
    rss_held_kib: u64,
    rss_after_kib: u64,
    threads: usize,
}

fn run(server: &'static str, clients: usize, samples: usize) -> Row {
    let max = clients.to_string();
    let args: Vec<&str> = match server {
        "servidor" => vec!["--backlog", "1024", "--max-clients", &max],
        _ => vec!["--backlog", "1024"],
    };
    let (process, addr) = start(server, &args);
    let load = Load::connect(addr, clients);
    // Every client greeted: its first round trip answered (the warm-up).
    load.sample();
    let held = usage(process.id());
    let mut taken: Vec<Duration> = (0..samples).map(|_| load.sample()).collect();
    let after = usage(process.id());
    load.stop();
    drop(process);
    taken.sort();
    Row {
        server,
        clients,
        median: taken[taken.len() / 2],
        lowest: taken[0],
        highest: taken[taken.len() - 1],
        rss_held_kib: held.rss_kib,
        rss_after_kib: after.rss_kib,
        threads: held.threads,
    }
}

fn main() {
    // `cargo bench` passes `--bench`; nothing else is taken.
    let samples: usize = std::env::var("SOCKET_LIFECYCLE_SAMPLES")
        .ok()
        .and_then(|n| n.parse().ok())
        .filter(|n| *n > 0)
        .unwrap_or(11);
    let mut rows = Vec::new();
    for clients in [50, 1000] {
        for server in ["servidor", "servidor_poll"] {
            rows.push(run(server, clients, samples));
        }
    }
    println!(
        "{ROUND_TRIPS} round trips per client per sample, trace at `info` to /dev/null; \
         median of {samples} samples (lowest–highest)"
    );
    println!(
        "| server | clients | threads | median | lowest–highest | round trips/s | VmRSS held → after |"
    );
    println!("|---|---|---|---|---|---|---|");
    for row in rows {
        let trips = (row.clients * ROUND_TRIPS) as f64;
        println!(
            "| {} | {} | {} | {:.1} ms | {:.1}–{:.1} ms | {:.0} | {} → {} KiB |",
            row.server,
            row.clients,
            row.threads,
            row.median.as_secs_f64() * 1000.0,
            row.lowest.as_secs_f64() * 1000.0,
            row.highest.as_secs_f64() * 1000.0,
            trips / row.median.as_secs_f64(),
            row.rss_held_kib,
            row.rss_after_kib,
        );
    }
}
