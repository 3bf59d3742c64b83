//! Failures about descriptors themselves, each provoked for real in a child
//! process of its own (this test binary run again for one test), so that
//! lowering the descriptor limit or closing a descriptor behind a socket's
//! back cannot touch the sockets of other tests:
//!
//! - `socket()` failing with `EMFILE` (the limit lowered with `ulimit -n`)
//!   reaches no state: the trace shows `- → -`, and the diagram draws no
//!   lifeline;
//! - a descriptor closed behind its socket's back makes the next call fail
//!   with `EBADF`, whose hint says so.
//!
//! Unix only: the child's limit is set with the shell's `ulimit`, and the
//! descriptor closed with `close(2)`.

#![cfg(unix)]

use std::process::Command;

use socket_lifecycle::diagram::SequenceDiagram;
use socket_lifecycle::{Cause, Lang, Recorder, Socket};

/// Set in the child: run the case instead of spawning it.
const CHILD: &str = "SOCKET_LIFECYCLE_DESCRIPTOR_CHILD";

/// Runs this binary's test `name` alone in a child process, after `setup`
/// (a shell command), and requires it to pass.
fn in_child(name: &str, setup: &str) {
    let exe = std::env::current_exe().expect("the test binary's path");
    let output = Command::new("sh")
        .arg("-c")
        .arg(format!("{setup} && exec \"$0\" --exact {name} --nocapture"))
        .arg(exe)
        .env(CHILD, "1")
        .output()
        .expect("sh runs");
    assert!(
        output.status.success(),
        "{name} failed in its child:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn a_socket_call_that_fails_reaches_no_state() {
    if std::env::var_os(CHILD).is_none() {
        return in_child("a_socket_call_that_fails_reaches_no_state", "ulimit -n 24");
    }
    let recorder = Recorder::new();
    let mut open = Vec::new();
    // Bounded: the limit is 24 descriptors.
    let err = (0..64)
        .find_map(|_| match Socket::tcp_v4(recorder.tracer("s")) {
            Ok(socket) => {
                open.push(socket);
                None
            }
            Err(err) => Some(err),
        })
        .expect("socket() fails once the descriptors run out");
    assert_eq!(
        (err.step(), err.errno_name(), err.cause()),
        ("socket", Some("EMFILE"), Cause::TooManyFiles)
    );
    let failed = recorder
        .events()
        .into_iter()
        .find(|e| e.cause().is_some())
        .expect("the failed socket() is in the trace");
    assert_eq!((failed.before, failed.after, failed.fd), (None, None, None));
    assert!(
        failed
            .line(Lang::En)
            .starts_with("[s] - → -: socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_TCP) = -1 EMFILE (Too many open files)"),
        "{}",
        failed.line(Lang::En)
    );
    assert!(
        failed
            .narration(Lang::Pt)
            .contains("arquivos abertos demais")
    );
    let diagram = SequenceDiagram::redacted(&[failed]).text(Lang::En);
    assert!(diagram.contains("socket() = -1 EMFILE"), "{diagram}");
    assert!(
        !diagram.contains('┬') && !diagram.contains('┴'),
        "{diagram}"
    );
    drop(open);
}

#[test]
fn a_descriptor_closed_behind_the_sockets_back_is_ebadf() {
    if std::env::var_os(CHILD).is_none() {
        return in_child(
            "a_descriptor_closed_behind_the_sockets_back_is_ebadf",
            "true",
        );
    }
    let recorder = Recorder::new();
    let socket = Socket::tcp_v4(recorder.tracer("cliente")).unwrap();
    let fd = std::os::fd::AsRawFd::as_raw_fd(&socket);
    // SAFETY: deliberately breaks the socket's ownership of `fd` to provoke
    // EBADF. This child process runs this one test alone, so no other code
    // can be handed the number before the socket's calls below fail on it.
    assert_eq!(unsafe { libc::close(fd) }, 0);
    let err = socket.bind("127.0.0.1:0".parse().unwrap()).unwrap_err();
    assert_eq!(
        (err.errno_name(), err.cause()),
        (Some("EBADF"), Cause::BadDescriptor)
    );
    assert!(
        err.hint(Lang::En)
            .contains("closed it behind this socket's back")
    );
    assert!(err.hint(Lang::Pt).contains("algo o fechou"));
    let trace = recorder.render(Lang::En);
    assert!(
        trace.contains("= -1 EBADF (Bad file descriptor)"),
        "{trace}"
    );
}
