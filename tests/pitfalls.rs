//! The pitfalls chapter (`docs/*/03-*.md`), demonstrated: each example in
//! `examples/pitfall_*.rs` runs here as its `demonstrate` function, with
//! assertions on what it saw. (`tests/examples.rs` runs the binaries, in a
//! test binary of their own: a process spawned while a test here holds a
//! socket would inherit the descriptor until its `exec`, and keep the
//! socket open past its `close`.)

use socket_lifecycle::{Cause, Lang, Recorder, TcpState};

#[allow(dead_code)]
#[path = "../examples/pitfall_coalesced.rs"]
mod coalesced;

#[allow(dead_code)]
#[path = "../examples/pitfall_utf8_split.rs"]
mod utf8_split;

#[allow(dead_code)]
#[path = "../examples/pitfall_backlog.rs"]
mod backlog;

#[allow(dead_code)]
#[path = "../examples/pitfall_time_wait.rs"]
mod time_wait;

#[allow(dead_code)]
#[path = "../examples/pitfall_broken_pipe.rs"]
mod broken_pipe;

#[allow(dead_code)]
#[path = "../examples/pitfall_recv_zero.rs"]
mod recv_zero;

#[allow(dead_code)]
#[path = "../examples/pitfall_busy_loop.rs"]
mod busy_loop;

#[allow(dead_code)]
#[path = "../examples/pitfall_partial_send.rs"]
mod partial_send;

#[allow(dead_code)]
#[path = "../examples/pitfall_stale_readiness.rs"]
mod stale_readiness;

#[allow(dead_code)]
#[path = "../examples/pitfall_connect_so_error.rs"]
mod connect_so_error;

#[allow(dead_code)]
#[path = "../examples/pitfall_edge_triggered.rs"]
mod edge_triggered;

#[test]
fn two_messages_come_out_of_one_recv() {
    let recorder = Recorder::new();
    let findings = coalesced::demonstrate(&recorder).unwrap();
    assert_eq!(findings.first_recv, b"olatudo bem?");
    insta::assert_snapshot!("coalesced", recorder.render_redacted(Lang::En));
}

#[test]
fn recv_1024_cuts_a_utf8_character_in_two() {
    let recorder = Recorder::new();
    let findings = utf8_split::demonstrate(&recorder).unwrap();
    let sizes: Vec<usize> = findings.chunks.iter().map(Vec::len).collect();
    assert_eq!(sizes, [1024, 4]);
    // The first chunk ends with the first byte of 'ç' (0xC3 0xA7).
    assert_eq!(findings.chunks[0].last(), Some(&0xc3));
    let one_by_one = findings.decoded_one_by_one();
    let first = one_by_one[0].as_ref().unwrap_err();
    assert_eq!(first.utf8_error().valid_up_to(), 1023);
    assert_eq!(
        first.utf8_error().error_len(),
        None,
        "incomplete, not invalid"
    );
    assert!(one_by_one[1].is_err());
    // The lossy decoder hides the problem behind U+FFFD.
    assert!(String::from_utf8_lossy(&findings.chunks[0]).ends_with("a\u{fffd}"));
    // Joined, the bytes are the message.
    assert_eq!(findings.decoded_joined().unwrap(), utf8_split::message());
    insta::assert_snapshot!("utf8_split", recorder.render_redacted(Lang::En));
}

#[test]
fn a_burst_of_connects_overflows_listen_5() {
    let recorder = Recorder::new();
    let f = backlog::demonstrate(&recorder).unwrap();
    let backlog = usize::try_from(backlog::BACKLOG).unwrap();
    // Linux lets backlog + 1 finished connections wait for accept().
    assert_eq!(f.established, backlog + 1);
    assert_eq!(f.established + f.waiting, backlog::ATTEMPTS);
    assert_eq!(
        f.accept_queue,
        (Some(u32::try_from(backlog + 1).unwrap()), Some(5))
    );
    // Every dropped SYN is counted (the counter is system-wide, so other
    // programs may add to it, never take from it).
    let (before, after) = f.overflows.expect("/proc/net/netstat is readable");
    assert!(
        after - before >= u64::try_from(f.waiting).unwrap(),
        "{before} → {after} for {} dropped SYNs",
        f.waiting
    );
}

#[test]
fn so_reuseaddr_frees_a_port_held_in_time_wait() {
    let recorder = Recorder::new();
    let rounds = time_wait::demonstrate(&recorder).unwrap();
    type Seen = (bool, bool, Option<TcpState>, Result<(), String>);
    let seen: Vec<Seen> = rounds
        .into_iter()
        .map(|r| (r.old_reuse, r.new_reuse, r.left_behind, r.rebind))
        .collect();
    let in_use = || Err("EADDRINUSE".to_string());
    assert_eq!(
        seen,
        [
            (false, false, Some(TcpState::TimeWait), in_use()),
            (false, true, Some(TcpState::TimeWait), in_use()),
            (true, true, Some(TcpState::TimeWait), Ok(())),
        ]
    );
    insta::assert_snapshot!("time_wait", recorder.render_redacted(Lang::En));
}

#[test]
fn sending_to_a_closed_peer_is_epipe_not_a_signal() {
    let recorder = Recorder::new();
    let f = broken_pipe::demonstrate(&recorder).unwrap();
    assert_eq!(f.sends_before_failure, 1);
    assert_eq!(
        f.failure,
        Some(("EPIPE".to_string(), Cause::ConnectionOver))
    );
    assert!(f.message.unwrap().contains("EPIPE (Broken pipe)"));
    let trace = recorder.render_redacted(Lang::En);
    assert!(trace.contains(
        "sendto(<fd cliente>, \"ola\", 3, MSG_NOSIGNAL, NULL, 0) = -1 EPIPE (Broken pipe)"
    ));
    insta::assert_snapshot!("broken_pipe", trace);
}

#[test]
fn recv_returns_0_at_the_end_and_an_empty_send_sends_nothing() {
    let recorder = Recorder::new();
    let f = recv_zero::demonstrate(&recorder).unwrap();
    assert_eq!(f.message, b"sair");
    assert_eq!(f.after_close, [0, 0, 0]);
    // No waiting: the end of the stream was there before each of them —
    // the peer's FIN had arrived (CLOSE_WAIT) when each returned.
    let ends: Vec<Option<TcpState>> = recorder
        .events()
        .iter()
        .filter(|e| &*e.socket == "servidor#1" && e.call.name() == "recvfrom")
        .filter(|e| e.returned() == Some(0))
        .map(|e| e.tcp.map(|t| t.state))
        .collect();
    if cfg!(target_os = "linux") {
        assert_eq!(ends, [Some(TcpState::CloseWait); 3]);
    }
    assert_eq!(f.empty_send, 0);
    assert_eq!(f.after_empty_send, Some(Cause::TimedOut));
    insta::assert_snapshot!("recv_zero", recorder.render_redacted(Lang::En));
}

/// A busy loop on EAGAIN makes call after call while nothing comes; `poll`
/// makes one. The canonical trace shows the run of EAGAINs once.
#[test]
fn a_busy_loop_on_eagain_spins_where_poll_sleeps() {
    let recorder = Recorder::with_capacity(1 << 20);
    let f = busy_loop::demonstrate(&recorder).unwrap();
    assert_eq!(f.received, [b"ola".to_vec(), b"tudo bem?".to_vec()]);
    assert!(f.calls >= 1, "the loop met EAGAIN");
    assert!(f.waited >= busy_loop::DELAY);
    let polls = recorder
        .events()
        .iter()
        .filter(|e| e.call.name() == "poll")
        .count();
    assert_eq!(polls, 1, "poll waits in one call");
    let _ = std::io::Write::write_all(
        &mut std::io::stderr(),
        format!(
            "    busy loop: {} calls in {:.2?}, CPU {:?}; poll: CPU {:?}\n",
            f.calls, f.waited, f.cpu, f.poll_cpu
        )
        .as_bytes(),
    );
    insta::assert_snapshot!("busy_loop", recorder.render_redacted(Lang::En));
}

/// One non-blocking send of 16 MiB: the kernel takes part of it; a program
/// that forgets the rest delivers only that part.
#[test]
fn a_forgotten_partial_send_delivers_only_part() {
    let recorder = Recorder::new();
    let f = partial_send::demonstrate(&recorder).unwrap();
    assert!(0 < f.taken && f.taken < f.offered, "{f:?}");
    assert_eq!(f.received, f.taken);
    insta::assert_snapshot!("partial_send", recorder.render_redacted(Lang::En));
}

/// `poll` said readable; the first `recv` took everything; a second one on
/// the same answer finds nothing (EAGAIN), where a blocking socket would
/// have waited.
#[test]
fn a_stale_readiness_finds_nothing() {
    let recorder = Recorder::new();
    let f = stale_readiness::demonstrate(&recorder).unwrap();
    assert!(f.readable);
    assert_eq!(f.first, b"ola");
    assert_eq!(f.second, Some(("EAGAIN".to_string(), Cause::WouldBlock)));
    insta::assert_snapshot!("stale_readiness", recorder.render_redacted(Lang::En));
}

/// A refused non-blocking connect: `connect` says EINPROGRESS, the socket
/// turns writable, and only SO_ERROR says ECONNREFUSED.
#[test]
fn a_nonblocking_connect_fails_only_in_so_error() {
    let recorder = Recorder::new();
    let f = connect_so_error::demonstrate(&recorder).unwrap();
    assert_eq!(
        (f.connect.as_str(), f.so_error.as_str()),
        ("EINPROGRESS", "ECONNREFUSED")
    );
    assert_eq!(f.failure, Some(Cause::NoListener));
    insta::assert_snapshot!("connect_so_error", recorder.render_redacted(Lang::En));
}

/// Level-triggered epoll reports a socket with bytes left unread again;
/// edge-triggered does not, and the wait times out with the bytes there.
#[cfg(any(target_os = "linux", target_os = "android"))]
#[test]
fn edge_triggered_epoll_does_not_report_bytes_left_unread() {
    let recorder = Recorder::new();
    let [level, edge] = edge_triggered::demonstrate(&recorder).unwrap();
    let round = |second| edge_triggered::Round {
        first: 1,
        read: 1024,
        second,
        left: 976,
    };
    assert_eq!(level, round(1));
    assert_eq!(edge, round(0));
    insta::assert_snapshot!("edge_triggered", recorder.render_redacted(Lang::En));
}
