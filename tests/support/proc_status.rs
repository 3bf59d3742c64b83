//! A running process's threads and resident memory, as `/proc/PID/status`
//! reports them, and a bounded wait for its thread count to settle.

use std::time::{Duration, Instant};

use super::DEADLINE;
use super::console::line_after;
use super::process::Proc;

/// What `/proc/PID/status` says of a process's threads and memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Usage {
    /// `Threads:`
    pub threads: usize,
    /// `VmRSS:`, in KiB: the resident set.
    pub rss_kib: u64,
}

/// Reads `Threads:` and `VmRSS:` from `/proc/PID/status`.
pub fn usage(pid: u32) -> Usage {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_else(|err| panic!("/proc/{pid}/status: {err}"));
    let field = |name: &str| -> u64 {
        line_after(&status, name)
            .and_then(|value| value.split_whitespace().next())
            .and_then(|number| number.parse().ok())
            .unwrap_or_else(|| panic!("no {name} in /proc/{pid}/status:\n{status}"))
    };
    Usage {
        threads: field("Threads:") as usize,
        rss_kib: field("VmRSS:"),
    }
}

/// The calling thread's id, as `/proc/self/task/` names it.
#[cfg(target_os = "linux")]
pub fn thread_id() -> i64 {
    // SAFETY: gettid takes nothing and cannot fail.
    i64::from(unsafe { libc::gettid() })
}

/// Waits until thread `tid` of this process is blocked in the system call
/// `syscall` (`libc::SYS_recvfrom`), as `/proc/self/task/TID/syscall` says;
/// fails the test after [`DEADLINE`].
#[cfg(target_os = "linux")]
pub fn wait_blocked_in(tid: i64, syscall: i64) {
    let path = format!("/proc/self/task/{tid}/syscall");
    let start = Instant::now();
    loop {
        let now = std::fs::read_to_string(&path).unwrap_or_default();
        if now.split_whitespace().next() == Some(syscall.to_string().as_str()) {
            return;
        }
        assert!(
            start.elapsed() < DEADLINE,
            "thread {tid} never blocked in system call {syscall}: {now}"
        );
        std::thread::sleep(Duration::from_millis(1));
    }
}

/// Waits until `proc` runs exactly `threads` threads (threads that were
/// told to end take a moment to exit); fails the test after [`DEADLINE`].
/// Returns the usage at that moment.
pub fn wait_threads(proc: &Proc, threads: usize) -> Usage {
    let start = Instant::now();
    loop {
        let now = usage(proc.pid());
        if now.threads == threads {
            return now;
        }
        if start.elapsed() > DEADLINE {
            panic!(
                "{} runs {} threads, not {threads}, after {DEADLINE:?}\n{}",
                proc.name(),
                now.threads,
                proc.dump_tail(40)
            );
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}
