//! The one helper module of the integration tests and the benches: spawn
//! the example binaries and the report's Python programs, read what they
//! print with a deadline, talk to them over loopback, and watch their
//! threads and memory. Each part holds one idea:
//!
//! - [`binaries`]: where the programs under test are.
//! - [`process`]: a spawned program ([`Proc`]), killed when the test ends.
//! - [`console`]: the chat programs started, and their console lines read.
//! - [`net`]: loopback addresses, a free port, a raw TCP client.
//! - [`dup`]: a second descriptor of a socket.
//! - [`proc_status`]: a process's threads and memory, from `/proc`.
//! - [`strace`]: a program run under strace, and its record held against
//!   the library's trace of the same run, or the observer's of another.
//!
//! Tests use it with `mod support;`, benches with
//! `#[path = "../tests/support/mod.rs"] mod support;`.
//!
//! The examples are not built here: [`example_path`] finds the binary cargo
//! built next to the test (or bench) binary and fails, with the command to
//! run, when it is missing or older than its sources. A plain `cargo test`
//! builds every example before it runs a test; a filtered run
//! (`cargo test --test chat`) does not, and neither does `cargo bench`:
//! run `cargo build --examples` (`--release` for benches) first. No test
//! builds an example itself: that would run cargo under cargo, which a
//! plain `cargo test` has no need of, and the check that the binary is
//! newer than its sources already keeps a filtered run from testing an old
//! one.

// Each test binary and bench uses only the part of these helpers it needs.
#![allow(dead_code)]

pub mod binaries;
pub mod console;
pub mod crowd;
pub mod dup;
pub mod net;
pub mod proc_status;
pub mod process;
pub mod strace;

use std::time::Duration;

// One flat path for every helper (`use support::Proc;`). Like the items
// themselves, each test binary and bench uses only some of these.
#[allow(unused_imports)]
pub use self::{
    binaries::{example_path, fixture_path},
    console::{
        client_lines, first_client, line_after, poll_server, python_address, python_server,
        rust_server, rust_server_env, udp_client, udp_server,
    },
    crowd::{Crowd, every_conversation_told_then_stop},
    dup::duplicate,
    net::{RawClient, free_port, held_port, loopback, loopback_v6, wait_state},
    proc_status::{Usage, usage, wait_threads},
    process::{KillOnDrop, Proc, run_example},
};
#[cfg(target_os = "linux")]
#[allow(unused_imports)]
pub use proc_status::{thread_id, wait_blocked_in};

/// How long any single wait may take before the test fails. Everything here
/// happens on loopback and normally takes milliseconds.
pub const DEADLINE: Duration = Duration::from_secs(10);

/// Waits until `done()` holds, checking every millisecond; fails the test
/// after [`DEADLINE`], naming `what` it waited for. For conditions only the
/// kernel can be asked about (a TCP state, a queue's length).
pub fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let start = std::time::Instant::now();
    while !done() {
        assert!(start.elapsed() < DEADLINE, "waited {DEADLINE:?} for {what}");
        std::thread::sleep(Duration::from_millis(1));
    }
}

/// Whether a test can run its subject, given whether what it needs is here
/// (`available`) and what that is (`what`, e.g. "strace"). In CI (`CI` set)
/// a missing need fails the test — `.ci/run` provides every one. Elsewhere
/// the test says what is missing and does not run its subject.
pub fn require(available: bool, what: &str) -> bool {
    if !available {
        assert!(
            std::env::var_os("CI").is_none(),
            "{what} is missing, and CI must provide it (.ci/run)"
        );
        eprintln!("NOT RUN: {what} is missing on this machine (CI provides it)");
    }
    available
}

/// Whether `program --version`-like `args` run: the program is installed.
pub fn runs(program: &str, args: &[&str]) -> bool {
    std::process::Command::new(program)
        .args(args)
        .output()
        .is_ok_and(|out| out.status.success())
}

/// strace, for the tests that hold the trace against it.
pub fn strace_here() -> bool {
    require(runs("strace", &["-V"]), "strace")
}

/// python3, for the report's own programs.
pub fn python3_here() -> bool {
    require(runs("python3", &["--version"]), "python3")
}

/// An IPv6 loopback (`::1`) that a socket can bind.
pub fn ipv6_loopback_here() -> bool {
    let bindable = std::net::TcpListener::bind(loopback_v6()).is_ok();
    require(bindable, "an IPv6 loopback (::1)")
}
