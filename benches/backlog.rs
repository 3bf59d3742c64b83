//! The listen backlog's table: `cargo build --release --examples && cargo
//! bench --bench backlog` (several minutes: a listen(5) burst stalls).
//!
//! For each server — `servidor --backlog 5`, `128`, `1024`, and the report's
//! `servidor.py` (listen(5)) — 1,000 connects one after the other, each
//! closed at once, and the kernel's `ListenOverflows` counter read before and
//! after. An overflow means a finished handshake found the accept queue
//! full and was dropped; the client's connect then waits for its SYN to be
//! sent again, about a second later.
//!
//! This is a scenario, measured once per server with the wall clock, not a
//! micro-benchmark: repeated sampling does not fit a run that takes two
//! minutes. The machine must be otherwise idle: the counter is
//! the whole machine's.

#[path = "../tests/support/mod.rs"]
mod support;

use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use socket_lifecycle::kernel::listen_overflows;
use support::{python_server, rust_server};

const CONNECTS: usize = 1000;

fn burst(addr: SocketAddr) -> (Duration, u64, usize) {
    let before = listen_overflows().unwrap_or(0);
    let started = Instant::now();
    let failed = (0..CONNECTS)
        .filter(|_| TcpStream::connect_timeout(&addr, Duration::from_secs(10)).is_err())
        .count();
    let took = started.elapsed();
    let overflows = listen_overflows().unwrap_or(0) - before;
    (took, overflows, failed)
}

fn main() {
    // `cargo bench` passes `--bench`; any other argument filters by name.
    let filter: Option<String> = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    if listen_overflows().is_none() {
        eprintln!("no /proc/net/netstat: this measurement needs Linux");
        return;
    }
    println!("| server | connects | ListenOverflows | failed | time |");
    println!("|---|---|---|---|---|");
    // `servidor` with each backlog, then the report's Python server (None).
    for backlog in [Some("5"), Some("128"), Some("1024"), None] {
        let name = match backlog {
            Some(backlog) => format!("servidor --backlog {backlog}"),
            None => "servidor.py (listen 5)".to_string(),
        };
        if filter.as_ref().is_some_and(|f| !name.contains(f.as_str())) {
            continue;
        }
        // Each server is killed when `_server` goes out of scope.
        let (_server, addr) = match backlog {
            Some(backlog) => rust_server(&["--backlog", backlog, "--max-clients", "1000"]),
            None => python_server(),
        };
        let (took, overflows, failed) = burst(addr);
        println!(
            "| {name} | {CONNECTS} | {overflows} | {failed} | {:.2} s |",
            took.as_secs_f64()
        );
    }
}
