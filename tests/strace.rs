//! The library's trace against strace's: the lifecycle demo runs under
//! `strace -f -e trace=network,close`, and the two stories must agree call
//! for call, socket by socket.
//!
//! What is compared: every socket's calls, in order, each with its name, fd,
//! arguments and result, exactly as strace prints them (runs of spaces
//! squeezed, since strace pads its columns). Left out on strace's side, and
//! only those: the library's own *reads* of the kernel (`getsockopt(TCP_INFO)`
//! for the TCP state, `getsockname` for the local address, and the netlink
//! socket that asks what the kernel still holds after a close), and `close`
//! of descriptors that are not TCP or UDP sockets. The comparer lives in
//! `tests/support/strace_agreement.rs`, shared with the observer's tests.

mod support;

use std::process::Command;

use support::strace_agreement::compare;

fn strace_available() -> bool {
    let found = Command::new("strace").arg("-V").output().is_ok();
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "strace is missing in CI: .ci/run should have installed it"
        );
        eprintln!("strace is not installed: skipped");
    }
    found
}

/// Runs the demo under strace; returns (strace's record, the demo's stdout).
fn run_under_strace(args: &[&str], tag: &str) -> (String, String) {
    let log = std::env::temp_dir().join(format!(
        "socket-lifecycle-strace-{tag}-{}.txt",
        std::process::id()
    ));
    let output = Command::new("strace")
        .args(["-f", "-e", "trace=network,close", "-o"])
        .arg(&log)
        .arg(support::example_path("lifecycle"))
        .args(args)
        .env("SOCKET_LIFECYCLE_LANG", "en")
        .output()
        .unwrap();
    let record = std::fs::read_to_string(&log).unwrap_or_default();
    let _ = std::fs::remove_file(&log);
    assert!(
        output.status.success(),
        "the demo under strace failed: {}\n{}",
        String::from_utf8_lossy(&output.stderr),
        record
    );
    (record, String::from_utf8_lossy(&output.stdout).into_owned())
}

#[test]
fn the_demo_trace_matches_strace() {
    if !strace_available() {
        return;
    }
    let (record, trace) = run_under_strace(&[], "demo");
    let calls = compare(&record, &trace).unwrap_or_else(|diff| panic!("{diff}"));
    eprintln!("{calls} calls agree with strace");
    // socket ×2, setsockopt, bind, listen, connect, accept4, 6 sends and
    // recvs, a last recv of 0, close ×3 …
    assert!(calls >= 18, "only {calls} calls compared");
}

#[test]
fn a_refused_connect_matches_strace() {
    if !strace_available() {
        return;
    }
    let (record, trace) = run_under_strace(&["refused"], "refused");
    assert!(record.contains("= -1 ECONNREFUSED (Connection refused)"));
    compare(&record, &trace).unwrap_or_else(|diff| panic!("{diff}"));
}

// The comparer itself must catch a wrong trace: these run everywhere.

const STRACE: &str = "\
4242  socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_TCP) = 3
4242  getsockopt(3, SOL_TCP, TCP_INFO, \"\\7\\0\"..., [280]) = 0
4242  bind(3, {sa_family=AF_INET, sin_port=htons(0), sin_addr=inet_addr(\"127.0.0.1\")}, 16) = 0
4242  getsockname(3, {sa_family=AF_INET, sin_port=htons(40000), sin_addr=inet_addr(\"127.0.0.1\")}, [128 => 16]) = 0
4242  listen(3, 5)                      = 0
4242  close(3)                          = 0
4242  close(3)                          = 0
";

const LIBRARY: &str = "\
[servidor] - → Created: socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_TCP) = 3  [CLOSE]
    socket(): a new TCP endpoint
[servidor] Created → Bound: bind(3, {sa_family=AF_INET, sin_port=htons(0), sin_addr=inet_addr(\"127.0.0.1\")}, 16) = 0  [CLOSE]
[servidor] Bound → Listening: listen(3, 5) = 0  [LISTEN, accept queue 0/5]
[servidor] Listening → Closed: close(3) = 0
";

#[test]
fn comparer_accepts_the_same_story() {
    // The TCP_INFO read, getsockname and the second close (a /proc file on
    // the same fd number) are not the socket's calls.
    assert_eq!(compare(STRACE, LIBRARY), Ok(4));
}

#[test]
fn comparer_catches_a_wrong_argument() {
    let wrong = LIBRARY.replace("listen(3, 5)", "listen(3, 128)");
    assert!(compare(STRACE, &wrong).unwrap_err().contains("differs"));
}

#[test]
fn comparer_catches_a_wrong_result() {
    let wrong = LIBRARY.replace(
        "listen(3, 5) = 0",
        "listen(3, 5) = -1 EADDRINUSE (Address already in use)",
    );
    assert!(compare(STRACE, &wrong).is_err());
}

#[test]
fn comparer_catches_a_claimed_call_strace_did_not_see() {
    let extra = LIBRARY.replace(
        "[servidor] Listening → Closed",
        "[servidor] Listening → Listening: shutdown(3, SHUT_RDWR) = 0\n[servidor] Listening → Closed",
    );
    assert!(compare(STRACE, &extra).is_err());
}

#[test]
fn comparer_catches_a_missing_call_and_a_wrong_order() {
    let lines: Vec<&str> = LIBRARY.lines().collect();
    let without = |skip: &str| -> String {
        lines
            .iter()
            .filter(|line| !line.contains(skip))
            .map(|line| format!("{line}\n"))
            .collect()
    };
    assert!(compare(STRACE, &without("listen(")).is_err());
    // bind and listen swapped.
    let mut swapped = lines.clone();
    swapped.swap(2, 3);
    assert!(compare(STRACE, &swapped.join("\n")).is_err());
}

#[test]
fn comparer_joins_a_call_another_thread_split() {
    let record = "\
7  socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_TCP) = 3
7  clone3({flags=CLONE_VM|CLONE_FILES|CLONE_THREAD}, 88) = 8
7  close(3 <unfinished ...>
8  write(1, \"x\", 1) = 1
7  <... close resumed>) = 0
";
    let trace = "\
[servidor] - → Created: socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_TCP) = 3  [CLOSE]
[servidor] Created → Closed: close(3) = 0
";
    assert_eq!(compare(record, trace), Ok(2));
}
