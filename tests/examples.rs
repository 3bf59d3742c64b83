//! The examples the chapters cite, run as a student runs them
//! (`cargo run --example …`), in both languages.
//!
//! These tests spawn processes, so they live in a test binary of their own:
//! a process spawned while another test of the same binary holds a socket
//! inherits its descriptor until `exec`, and would keep that socket open
//! past its `close` — a listener still bound, a FIN not sent.

mod support;

use support::run_example;

#[allow(dead_code)]
#[path = "../examples/pitfall_broken_pipe.rs"]
mod broken_pipe;

#[test]
fn every_pitfall_example_runs() {
    let expectations = [
        ("pitfall_coalesced", "\"olatudo bem?\" (12 bytes)"),
        ("pitfall_utf8_split", "recv #1: 1024 bytes"),
        ("pitfall_backlog", "ESTABLISHED: 6"),
        ("pitfall_time_wait", "SO_REUSEADDR=1"),
        ("pitfall_broken_pipe", "EPIPE → ConnectionOver"),
        ("pitfall_recv_zero", "[0, 0, 0]"),
        ("pitfall_busy_loop", "recv() "),
        ("pitfall_partial_send", "send() "),
        ("pitfall_stale_readiness", "EAGAIN\n"),
        ("pitfall_connect_so_error", "SO_ERROR) "),
        ("pitfall_edge_triggered", "EPOLLET"),
    ];
    for (example, expected) in expectations {
        for lang in ["pt", "en"] {
            let output = run_example(example, &[], &[("SOCKET_LIFECYCLE_LANG", lang)]);
            assert!(output.contains(expected), "{example} ({lang}):\n{output}");
        }
    }
}

#[test]
fn the_error_guide_example_runs() {
    for lang in ["pt", "en"] {
        let output = run_example("error_guide", &[], &[("SOCKET_LIFECYCLE_LANG", lang)]);
        assert!(output.contains("ECONNREFUSED → NoListener"), "{output}");
        assert!(output.contains("EINVAL → NotListening"), "{output}");
    }
}

/// The other half of `pitfall_broken_pipe`: without `MSG_NOSIGNAL`, and
/// with `SIGPIPE`'s default action, the same mistake kills the process
/// (unix only: Windows has no signals).
#[cfg(unix)]
#[test]
fn without_msg_nosignal_sigpipe_kills() {
    if !support::python3_here() {
        return;
    }
    let signal = broken_pipe::python_sigpipe().expect("python3 runs the demonstration");
    assert_eq!(signal, libc::SIGPIPE);
}

#[test]
fn std_bind_example_runs() {
    let output = run_example("std_bind", &[], &[("SOCKET_LIFECYCLE_LANG", "en")]);
    assert!(output.contains("setsockopt(SO_REUSEADDR) → 1"), "{output}");
}
