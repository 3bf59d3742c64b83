//! The listen backlog, made visible: what the number in `listen(N)` does to
//! a burst of connects against `servidor`.
//!
//! The kernel's `ListenOverflows` counter is for the whole machine: the
//! tests here take turns (one lock), and they prove what they claim from the
//! listener's own accept queue, as the trace read it; the counter is
//! reported beside it. `cargo bench --bench backlog` measures the
//! full table (1,000 connects with listen 5, 128 and 1024, and the report's
//! Python server), which takes minutes.

#![cfg(target_os = "linux")]

mod support;

use std::net::{SocketAddr, TcpStream};
use std::os::fd::AsRawFd;
use std::sync::Mutex;
use std::time::Instant;

use socket_lifecycle::kernel::listen_overflows;
use support::rust_server;

/// The overflow counter is shared by every listener on the machine.
static ONE_BURST_AT_A_TIME: Mutex<()> = Mutex::new(());

/// What a burst of connects saw from the clients' side.
struct Burst {
    /// Connects that failed.
    failed: usize,
    /// Connects whose SYN had to be sent again (the kernel dropped a
    /// handshake): each cost a second, however fast the machine.
    retried: usize,
}

/// `count` connects one after the other, each closed at once.
fn sequential_connects(addr: SocketAddr, count: usize) -> Burst {
    let mut burst = Burst {
        failed: 0,
        retried: 0,
    };
    for _ in 0..count {
        match TcpStream::connect(addr) {
            Ok(stream) => burst.retried += usize::from(syn_retransmitted(&stream)),
            Err(_) => burst.failed += 1,
        }
    }
    burst
}

/// Whether the kernel sent this connection's SYN more than once
/// (`tcpi_total_retrans` of TCP_INFO, read right after connect).
fn syn_retransmitted(stream: &TcpStream) -> bool {
    // SAFETY: `tcp_info` is a plain C struct for which zeroes are valid;
    // getsockopt writes at most `len` bytes into it; the descriptor is
    // borrowed from a live stream.
    let info = unsafe {
        let mut info: libc::tcp_info = std::mem::zeroed();
        let mut len = std::mem::size_of::<libc::tcp_info>() as libc::socklen_t;
        let rc = libc::getsockopt(
            stream.as_raw_fd(),
            libc::IPPROTO_TCP,
            libc::TCP_INFO,
            (&mut info as *mut libc::tcp_info).cast(),
            &mut len,
        );
        assert_eq!(rc, 0, "TCP_INFO of a connected stream");
        info
    };
    info.tcpi_total_retrans > 0
}

/// The backlog the kernel grants `listen(backlog)`: `net.core.somaxconn`
/// caps every backlog.
fn granted(backlog: u32) -> u32 {
    std::fs::read_to_string("/proc/sys/net/core/somaxconn")
        .ok()
        .and_then(|text| text.trim().parse().ok())
        .map_or(backlog, |cap: u32| backlog.min(cap))
}

/// `servidor --backlog 1024` listens with 1024 — the call as strace would
/// show it, and the limit the kernel set — and takes 1,000 connects one
/// after the other with no handshake dropped: no connect failed, none had
/// to send its SYN again, its accept queue never filled, and the machine's
/// `ListenOverflows` counter did not move.
///
/// The counter is the whole machine's: another program's listener may move
/// it. A burst that saw it move is run again (three in all at most); one
/// still burst is needed, and a real overflow of this server would move it
/// every time.
#[test]
fn backlog_1024_listens_with_1024_and_takes_1000_connects_without_a_drop() {
    if !support::require(listen_overflows().is_some(), "/proc/net/netstat") {
        return;
    }
    let _turn = ONE_BURST_AT_A_TIME
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    let (server, addr) = rust_server(&["--backlog", "1024", "--max-clients", "3000"]);
    let trace = server.wait_stderr("listen(");
    let listen = trace
        .lines()
        .find(|line| line.contains("listen("))
        .unwrap_or_default();
    let limit = granted(1024);
    assert!(
        listen.contains(&format!(", 1024) = 0  [LISTEN, accept queue 0/{limit}]")),
        "{listen}"
    );
    let mut moved = Vec::new();
    for attempt in 1..=3 {
        let before = listen_overflows().expect("ListenOverflows");
        let started = Instant::now();
        let burst = sequential_connects(addr, 1000);
        let took = started.elapsed();
        let overflows = listen_overflows().expect("ListenOverflows") - before;
        let accepted = format!("servidor#{} ", 1000 * attempt);
        let deepest = deepest_accept_queue(&server.wait_stderr(&accepted));
        eprintln!(
            "burst {attempt}: 1000 sequential connects, listen(1024): {took:?}; {} failed, \
             {} SYN retransmitted; deepest accept queue {deepest}/{limit}; ListenOverflows \
             on the machine moved by {overflows}",
            burst.failed, burst.retried
        );
        assert_eq!(burst.failed, 0, "{}", server.dump_tail(20));
        assert_eq!(burst.retried, 0, "a handshake was dropped");
        // An overflow needs a full queue, and a full queue is still at
        // least limit - 1 after the next accept.
        assert!(
            deepest + 1 < limit,
            "the accept queue filled up: {deepest}/{limit}"
        );
        if overflows == 0 {
            return;
        }
        moved.push(overflows);
    }
    panic!("ListenOverflows moved during every burst: {moved:?}");
}

/// The deepest accept queue the trace shows (`accept queue N/LIMIT`).
fn deepest_accept_queue(trace: &str) -> u32 {
    trace
        .split("accept queue ")
        .skip(1)
        .filter_map(|rest| rest.split('/').next()?.parse().ok())
        .max()
        .unwrap_or(0)
}

#[test]
fn a_full_accept_queue_is_told_in_the_trace() {
    if !support::require(listen_overflows().is_some(), "/proc/net/netstat") {
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
    let trace = server.wait_stderr("The accept queue was full");
    // Full: Linux lets one more than the backlog wait (`6/5` as well).
    let full = trace.split("accept queue ").skip(1).any(|rest| {
        rest.split_once("/5")
            .and_then(|(count, _)| count.parse::<u32>().ok())
            .is_some_and(|count| count >= 5)
    });
    assert!(full, "{trace}");
}
