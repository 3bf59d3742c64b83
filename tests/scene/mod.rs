//! The scene of the attacks on `servidor` (`tests/hostile.rs`,
//! `tests/sturdy.rs`): a server, a well-behaved client conversing with it
//! all along, and the server's threads, descriptors and resident memory
//! taken as a baseline once both talk.
//!
//! Every attack ends the same way ([`Scene::end`]): the server never
//! panicked; its thread count (`Threads:` in `/proc/PID/status`) returns
//! exactly to what it was before the hostile clients came, after a bounded
//! wait for their threads to exit, and so do its open descriptors (the
//! entries of `/proc/PID/fd`); its resident memory (`VmRSS:`) returns to
//! that baseline within [`RSS_TOLERANCE_KIB`]; the well-behaved client
//! conversed on throughout, nothing of it lost; a newcomer is still
//! accepted and served; and Ctrl+C still stops the server with exit code 0.

// Each test binary uses the part it needs.
#![allow(dead_code)]

use std::io::Write;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::support::{
    self, DEADLINE, Proc, RawClient, Usage, line_after, rust_server_env, usage, wait_threads,
};

/// The malloc arenas the server may make: glibc's `MALLOC_ARENA_MAX`, set
/// in its environment. Left alone, glibc makes up to 8 per CPU, and the
/// memory tolerance below would grow with the machine.
pub const ARENAS: u64 = 2;

/// How far above its baseline the server's resident memory may stay once
/// every hostile client is gone and its thread has exited, in KiB: 1 MiB,
/// plus 128 KiB for each of the [`ARENAS`] malloc arenas — the same on any
/// machine.
///
/// Why: nothing the server keeps outlives a connection, but the allocator
/// does not hand every freed page back to the kernel. An arena keeps up to
/// its trim threshold (`M_TRIM_THRESHOLD`, 128 KiB) of freed memory at its
/// top; exited threads' stacks are cached, mostly released with
/// `MADV_DONTNEED`. A leak of 8 KiB per connection (a buffer, a stack)
/// would be 4 MiB after the storm's 500 connections, and grows with the
/// count; smaller per-connection leaks are for a longer soak than a test.
pub const RSS_TOLERANCE_KIB: u64 = 1024 + ARENAS * 128;

/// The well-behaved client: in its own thread, exchanges a numbered
/// message every few milliseconds, each answer checked byte for byte, until
/// told to stop; then leaves with `sair`.
pub struct Steady {
    stop: Arc<AtomicBool>,
    exchanges: Arc<AtomicUsize>,
    thread: JoinHandle<usize>,
}

impl Steady {
    /// Connects and has its first exchange before returning.
    pub fn start(addr: SocketAddr) -> Steady {
        let stop = Arc::new(AtomicBool::new(false));
        let exchanges = Arc::new(AtomicUsize::new(0));
        let (flag, count) = (Arc::clone(&stop), Arc::clone(&exchanges));
        let thread = std::thread::spawn(move || {
            let start = Instant::now();
            let mut client = RawClient::connect(addr);
            let mut n = 0;
            while n == 0 || !flag.load(Ordering::SeqCst) {
                assert!(start.elapsed() < 6 * DEADLINE, "never told to stop");
                client.exchange(&format!("steady {n}: olá ✓"));
                n += 1;
                count.store(n, Ordering::SeqCst);
                std::thread::sleep(Duration::from_millis(5));
            }
            client.leave();
            n
        });
        let start = Instant::now();
        while exchanges.load(Ordering::SeqCst) == 0 {
            assert!(!thread.is_finished(), "the steady client failed");
            assert!(start.elapsed() < DEADLINE, "no first exchange");
            std::thread::sleep(Duration::from_millis(1));
        }
        Steady {
            stop,
            exchanges,
            thread,
        }
    }

    pub fn exchanges(&self) -> usize {
        self.exchanges.load(Ordering::SeqCst)
    }

    /// Tells it to leave; returns how many exchanges it had.
    pub fn finish(self) -> usize {
        self.stop.store(true, Ordering::SeqCst);
        match self.thread.join() {
            Ok(n) => n,
            Err(panic) => std::panic::resume_unwind(panic),
        }
    }
}

/// A server, its steady client, and the baseline taken once both talk.
pub struct Scene {
    pub server: Proc,
    pub addr: SocketAddr,
    steady: Steady,
    /// The server's usage with the steady client connected, before any
    /// hostile client: the main thread (in `accept`), the Ctrl+C handler's,
    /// and the steady client's.
    baseline: Usage,
    /// Open descriptors at the baseline.
    descriptors: usize,
    exchanges_before: usize,
    started: Instant,
}

impl Scene {
    /// A server started with `--backlog 128` and then `flags`, its
    /// environment with `env` on top. The report's backlog of 5 would make
    /// any burst of more than 6 connects wait on the kernel's SYN
    /// retransmission (1 s, then 3 s): the accept queue's lesson, not the
    /// server's, and a test slower by seconds.
    pub fn new(flags: &[&str], env: &[(&str, &str)]) -> Scene {
        let mut args = vec!["--backlog", "128"];
        args.extend_from_slice(flags);
        let arenas = ARENAS.to_string();
        let mut env = env.to_vec();
        env.push(("MALLOC_ARENA_MAX", &arenas));
        let (server, addr) = rust_server_env(&args, &env);
        Scene::around(server, addr)
    }

    /// As [`Scene::new`], the server started with its descriptors limited
    /// to `limit` (the shell's `ulimit -n`, then `exec`: the same process).
    pub fn with_descriptor_limit(limit: usize, flags: &[&str]) -> Scene {
        let mut command = std::process::Command::new("sh");
        command
            .arg("-c")
            .arg(format!("ulimit -n {limit} && exec \"$0\" \"$@\""))
            .arg(support::example_path("servidor"))
            .args(["127.0.0.1", "0", "--backlog", "128"])
            .args(flags)
            .env("SOCKET_LIFECYCLE_LANG", "en")
            .env("MALLOC_ARENA_MAX", ARENAS.to_string())
            .env_remove("RUST_LOG");
        let mut server = Proc::spawn("servidor", command);
        let out = server.expect("[*] Aguardando conexões...\n");
        let addr = line_after(&out, "[*] Servidor ouvindo em ")
            .and_then(|a| a.parse().ok())
            .unwrap_or_else(|| panic!("no address printed\n{}", server.dump()));
        Scene::around(server, addr)
    }

    /// The steady client started against `server`, and the baseline taken.
    fn around(server: Proc, addr: SocketAddr) -> Scene {
        let steady = Steady::start(addr);
        let baseline = usage(server.pid());
        let descriptors = descriptors(server.pid());
        let exchanges_before = steady.exchanges();
        Scene {
            server,
            addr,
            steady,
            baseline,
            descriptors,
            exchanges_before,
            started: Instant::now(),
        }
    }

    /// The steady client's exchanges so far.
    pub fn steady_exchanges(&self) -> usize {
        self.steady.exchanges()
    }

    /// The server's threads and memory at the baseline.
    pub fn baseline(&self) -> Usage {
        self.baseline
    }

    /// The server's thread count with `extra` client threads on top of the
    /// baseline, once it is reached.
    pub fn wait_extra_threads(&self, extra: usize) -> Usage {
        wait_threads(&self.server, self.baseline.threads + extra)
    }

    /// The checks every hostile test ends with; `hostile` is how many
    /// connections the hostile part made, each of which the server must
    /// have accepted and ended.
    pub fn end(self, name: &str, hostile: usize) {
        let Scene {
            mut server,
            addr,
            steady,
            baseline,
            descriptors: descriptors_before,
            exchanges_before,
            started,
        } = self;
        // Every hostile client's thread exits; the steady client's remains.
        let after = wait_threads(&server, baseline.threads);
        // Their connections are closed, and so is all else they opened.
        let open = wait_descriptors(&server, descriptors_before);
        // The steady client goes on being served: at least one more of its
        // exchanges (every 5 ms) completes — a hostile part can be over
        // before the next one was due.
        support::wait_until("the steady client to converse", || {
            steady.exchanges() > exchanges_before
        });
        let during = steady.exchanges() - exchanges_before;
        let exchanges = steady.finish();
        wait_threads(&server, baseline.threads - 1);
        // Nothing of the steady client's conversation was lost on the way:
        // each answer was checked, and the console shows each message.
        let received = server.wait_until("the steady client's messages", |out, _| {
            out.matches(": steady ").count() == exchanges
        });
        for n in [0, exchanges - 1] {
            assert!(
                received.contains(&format!(": steady {n}: olá ✓\n")),
                "{}",
                server.dump_tail(20)
            );
        }

        let grew = after.rss_kib.saturating_sub(baseline.rss_kib);
        assert!(
            grew <= RSS_TOLERANCE_KIB,
            "VmRSS {} KiB after, {} KiB before: {grew} KiB more than the baseline\n{}",
            after.rss_kib,
            baseline.rss_kib,
            server.dump_tail(20)
        );

        // Still accepting, still serving.
        let mut newcomer = RawClient::connect(addr);
        newcomer.exchange("ainda aceita?");
        newcomer.leave();

        // Every connection (hostile + steady + newcomer) was accepted and
        // ended.
        let total = hostile + 2;
        server.wait_until("every connection to end", |out, _| {
            out.matches(" desconectou\n").count() == total
        });
        let out = server.stdout();
        assert_eq!(
            out.matches("[+] Nova conexão estabelecida com").count(),
            total,
            "{}",
            server.dump_tail(20)
        );
        assert!(!server.stderr().contains("panicked"), "{}", server.dump());

        server.interrupt();
        let status = server.wait_exit();
        assert_eq!(status.code(), Some(0), "{}", server.dump_tail(20));
        assert!(server.stdout().ends_with("\n[*] Servidor encerrado\n"));
        say(&format!(
            "{name}: {hostile} hostile connections in {:.2?}; steady client: {exchanges} \
             exchanges ({during} during); server threads {} → {} (baseline), \
             descriptors {descriptors_before} → {open}; VmRSS {} → {} KiB",
            started.elapsed(),
            baseline.threads,
            after.threads,
            baseline.rss_kib,
            after.rss_kib,
        ));
    }
}

/// A line in the test's output even when it passes (libtest captures only
/// the print macros): the measurements the issue asks to report.
pub fn say(line: &str) {
    let _ = writeln!(std::io::stderr(), "    {line}");
}

/// How many descriptors `pid` has open: the entries of `/proc/PID/fd`.
pub fn descriptors(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/fd"))
        .unwrap_or_else(|err| panic!("/proc/{pid}/fd: {err}"))
        .count()
}

/// Waits until `server` has exactly `count` descriptors open; fails the
/// test after [`DEADLINE`]. Returns the count.
pub fn wait_descriptors(server: &Proc, count: usize) -> usize {
    let start = Instant::now();
    loop {
        let open = descriptors(server.pid());
        if open == count {
            return open;
        }
        assert!(
            start.elapsed() < DEADLINE,
            "{} has {open} descriptors open, not {count}, after {DEADLINE:?}\n{}",
            server.name(),
            server.dump_tail(40)
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}
