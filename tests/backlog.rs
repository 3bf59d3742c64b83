//! The listen backlog, made visible: what the number in `listen(N)` does to
//! a burst of connects against `servidor`.
//!
//! The kernel's `ListenOverflows` counter is for the whole machine, so the
//! tests here take turns (one lock), and no other test binary runs at the
//! same time under `cargo test`. `cargo bench --bench backlog` measures the
//! full table (1,000 connects with listen 5, 128 and 1024, and the report's
//! Python server), which takes minutes.

mod common;

use std::net::{SocketAddr, TcpStream};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use common::rust_server;
use socket_lifecycle::kernel::listen_overflows;

/// The overflow counter is shared by every listener on the machine.
static ONE_BURST_AT_A_TIME: Mutex<()> = Mutex::new(());

/// `count` connects one after the other, each closed at once; returns how
/// many failed within `timeout` each.
fn sequential_connects(addr: SocketAddr, count: usize, timeout: Duration) -> usize {
    (0..count)
        .filter(|_| TcpStream::connect_timeout(&addr, timeout).is_err())
        .count()
}

#[test]
fn backlog_1024_takes_a_burst_of_1000_without_overflow() {
    if listen_overflows().is_none() {
        eprintln!("no /proc/net/netstat on this system: skipped");
        return;
    }
    let _turn = ONE_BURST_AT_A_TIME
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    let (server, addr) = rust_server(&["--backlog", "1024", "--max-clients", "1000"]);
    let before = listen_overflows().unwrap();
    let started = Instant::now();
    // A dropped handshake stalls a connect about a second (the SYN is sent
    // again): a 3 s limit each bounds the test without hiding one.
    let failed = sequential_connects(addr, 1000, Duration::from_secs(3));
    let took = started.elapsed();
    let overflows = listen_overflows().unwrap() - before;
    eprintln!("1000 sequential connects, listen(1024): {took:?}, {overflows} overflows");
    assert_eq!(failed, 0, "{}", server.dump());
    assert_eq!(
        overflows, 0,
        "the accept queue overflowed with --backlog 1024"
    );
}

#[test]
fn a_full_accept_queue_is_told_in_the_trace() {
    if listen_overflows().is_none() {
        eprintln!("no /proc/net/netstat on this system: skipped");
        return;
    }
    let _turn = ONE_BURST_AT_A_TIME
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    // The report's backlog, 5, and connects that do not wait for their
    // handshake: they arrive faster than accept() takes them.
    let (server, addr) = rust_server(&[]);
    let burst: Vec<socket2::Socket> = (0..64)
        .filter_map(|_| {
            let socket =
                socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).ok()?;
            socket.set_nonblocking(true).ok()?;
            let _ = socket.connect(&addr.into()); // EINPROGRESS
            Some(socket)
        })
        .collect();
    assert_eq!(burst.len(), 64);
    let trace = server.wait_stderr("The accept queue is full");
    assert!(trace.contains("accept queue 5/5"), "{trace}");
}
