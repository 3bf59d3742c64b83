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
pub mod dup;
pub mod net;
pub mod proc_status;
pub mod process;

use std::time::Duration;

// One flat path for every helper (`use support::Proc;`). Like the items
// themselves, each test binary and bench uses only some of these.
#[allow(unused_imports)]
pub use self::{
    binaries::{example_path, fixture_path},
    console::{
        client_lines, first_client, line_after, python_address, python_server, rust_server,
        rust_server_env, udp_client, udp_server,
    },
    dup::duplicate,
    net::{RawClient, free_port, loopback, loopback_v6},
    proc_status::{Usage, usage, wait_threads},
    process::{KillOnDrop, Proc, run_example},
};

/// How long any single wait may take before the test fails. Everything here
/// happens on loopback and normally takes milliseconds.
pub const DEADLINE: Duration = Duration::from_secs(10);
