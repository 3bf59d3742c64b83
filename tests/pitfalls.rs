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
