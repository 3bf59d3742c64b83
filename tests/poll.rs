//! Non-blocking sockets and the readiness wait, traced: a non-blocking
//! connect finished by `poll` and `SO_ERROR`, and one thread serving two
//! clients through `poll` — each as a canonical trace, stable on every run.

mod support;

#[allow(dead_code)]
#[path = "../examples/threads_vs_poll.rs"]
mod threads_vs_poll;

use std::time::Duration;

use socket_lifecycle::diagram::SequenceDiagram;
use socket_lifecycle::{Lang, Recorder, Socket, StateName};
use support::loopback;

/// A non-blocking connect: the SYN leaves, `connect` answers EINPROGRESS,
/// the socket is `Connecting` until `poll` says it is writable and
/// `SO_ERROR` reads 0.
#[test]
fn a_nonblocking_connect_is_finished_by_poll_and_so_error() {
    let recorder = Recorder::new();
    let listener = Socket::tcp_v4(recorder.tracer("servidor"))
        .and_then(|s| s.bind(loopback()))
        .and_then(|s| s.listen(5))
        .unwrap();
    let connecting = Socket::tcp_v4(recorder.tracer("cliente"))
        .and_then(|s| s.connect_nonblocking(listener.local_addr().unwrap()))
        .unwrap();
    assert_eq!(connecting.state(), StateName::Connecting);
    let client = connecting
        .finish_connect(Some(Duration::from_secs(5)))
        .unwrap();
    let (conn, _) = listener.accept().unwrap();
    client.send(b"ola").unwrap();
    let mut buf = [0u8; 16];
    assert_eq!(conn.recv(&mut buf).unwrap(), 3);
    client.close().unwrap();
    conn.close().unwrap();
    listener.close().unwrap();
    insta::assert_snapshot!("nonblocking_connect_en", recorder.render_redacted(Lang::En));
    insta::assert_snapshot!(
        "nonblocking_connect_diagram_en",
        SequenceDiagram::redacted(&recorder.events()).text(Lang::En)
    );
}

/// One thread, one listener, two clients (`examples/threads_vs_poll.rs`):
/// every wait names the sockets it asked about and the ones that were
/// ready, and the server makes only the calls that will not wait — accept
/// on the readable listener, recv on a readable connection — and meets
/// EAGAIN when it asks once more. Beside it, the same conversation with a
/// thread per client.
#[test]
fn one_thread_serves_two_clients_through_poll() {
    let recorder = Recorder::new();
    threads_vs_poll::with_poll(&recorder).unwrap();
    let events = recorder.events();
    let waits = events.iter().filter(|e| e.call.name() == "poll").count();
    assert_eq!(waits, 5, "two turns per client, one for both ends");
    let threads: std::collections::HashSet<_> = events.iter().map(|e| e.thread.clone()).collect();
    assert_eq!(threads.len(), 1, "one thread");
    insta::assert_snapshot!("poll_two_clients_en", recorder.render_redacted(Lang::En));
    insta::assert_snapshot!("poll_two_clients_pt", recorder.render_redacted(Lang::Pt));
    insta::assert_snapshot!(
        "poll_two_clients_diagram_en",
        SequenceDiagram::redacted(&events).text(Lang::En)
    );

    let recorder = Recorder::new();
    threads_vs_poll::with_threads(&recorder).unwrap();
    insta::assert_snapshot!("threads_two_clients_en", recorder.render_redacted(Lang::En));
}
