//! Each lifecycle check, made to fail on a real program and to pass on the
//! same program corrected, with its margin note in both languages.
//!
//! `accept` before `listen` cannot be written on the typestate API — it
//! does not compile (the `compile_fail` doctest "accept before listen" in
//! `src/lifecycle.rs`); its check is for programs traced from outside, and
//! its rule is tested on a trace in `src/grade/judge.rs`.

mod support;

use std::net::Shutdown;
use std::time::{Duration, Instant};

use socket_lifecycle::grade::{Check, Finding, judge};
use socket_lifecycle::kernel::{AsDescriptor, tcp_info};
use socket_lifecycle::{Connection, Lang, Listener, Recorder, Socket, TcpState};
use support::loopback;

/// The findings of `check` in what `program` records, judged while the
/// program's sockets are still alive (the program hands them back).
fn findings<T>(check: Check, program: impl FnOnce(&Recorder) -> T) -> Vec<Finding> {
    let recorder = Recorder::new();
    let alive = program(&recorder);
    let found = judge(&recorder.events())
        .into_iter()
        .filter(|f| f.check == check)
        .collect();
    drop(alive);
    found
}

/// Asserts that the buggy program breaks `check` once, at a step whose call
/// is `at`, with a note that says `says` in each language; and that the
/// corrected program does not break it.
fn fails_then_passes<A, B>(
    check: Check,
    at: &str,
    says: (&str, &str),
    buggy: impl FnOnce(&Recorder) -> A,
    corrected: impl FnOnce(&Recorder) -> B,
) {
    let found = findings(check, buggy);
    assert_eq!(found.len(), 1, "{check:?}: {found:#?}");
    let finding = &found[0];
    assert_eq!(finding.at.call.name(), at, "{check:?}");
    assert_eq!(finding.steps.last(), Some(&finding.at));
    let (pt, en) = (finding.note(Lang::Pt), finding.note(Lang::En));
    assert!(pt.contains(says.0), "{pt}");
    assert!(en.contains(says.1), "{en}");
    let none = findings(check, corrected);
    assert!(
        none.is_empty(),
        "{check:?} on the corrected program: {none:#?}"
    );
}

fn listener(recorder: &Recorder, reuse: bool) -> Listener {
    let socket = Socket::tcp_v4(recorder.tracer("servidor")).expect("a socket");
    let socket = if reuse {
        socket.reuse_address(true).expect("SO_REUSEADDR")
    } else {
        socket
    };
    socket
        .bind(loopback())
        .and_then(|s| s.listen(5))
        .expect("a listener")
}

/// A client connected to `listener`, and the server's side of it.
fn pair(recorder: &Recorder, listener: &Listener) -> (Connection, Connection) {
    let addr = listener.local_addr().expect("an address");
    let client = Socket::tcp_v4(recorder.tracer("cliente"))
        .and_then(|s| s.connect(addr))
        .expect("a connection");
    let (conn, _) = listener.accept().expect("an accepted connection");
    (client, conn)
}

/// Waits (bounded: 2 s) until the kernel holds `conn` in `state`.
fn wait_state(conn: &Connection, state: TcpState) {
    let start = Instant::now();
    while tcp_info(conn.descriptor()).map(|i| i.state) != Some(state) {
        assert!(start.elapsed() < Duration::from_secs(2), "never {state}");
        std::thread::sleep(Duration::from_millis(1));
    }
}

#[test]
fn reuse_address_before_bind() {
    fails_then_passes(
        Check::ReuseAddressBeforeBind,
        "bind",
        ("sem SO_REUSEADDR antes", "without SO_REUSEADDR before it"),
        |recorder| listener(recorder, false).close(),
        |recorder| listener(recorder, true).close(),
    );
}

#[test]
fn every_socket_closed() {
    fails_then_passes(
        Check::EverySocketClosed,
        "socket",
        ("nunca foi fechado", "never closed"),
        // Alive when judged: the program has not closed it.
        |recorder| Socket::tcp_v4(recorder.tracer("cliente")).expect("a socket"),
        |recorder| {
            Socket::tcp_v4(recorder.tracer("cliente"))
                .expect("a socket")
                .close()
        },
    );
}

#[test]
fn end_of_stream_closed() {
    let serve = |recorder: &Recorder, reads_on: bool| {
        let listener = listener(recorder, true);
        let (client, conn) = pair(recorder, &listener);
        client.close().expect("the client closes");
        let mut buf = [0u8; 16];
        assert_eq!(conn.recv(&mut buf).expect("the end of the stream"), 0);
        if reads_on {
            // The bug: the end taken for an empty message.
            assert_eq!(conn.recv(&mut buf).expect("0 again"), 0);
        }
        conn.close().expect("a close");
        listener.close()
    };
    fails_then_passes(
        Check::EndOfStreamClosed,
        "recvfrom",
        ("pare de ler ali", "stop reading there"),
        |recorder| serve(recorder, true),
        |recorder| serve(recorder, false),
    );
}

#[test]
fn short_send_completed() {
    let send = |recorder: &Recorder, completes: bool| {
        let listener = listener(recorder, true);
        let (client, conn) = pair(recorder, &listener);
        // The reader starts draining once the short send is made, so that a
        // blocking send of the rest ends.
        let (start, started) = std::sync::mpsc::channel::<()>();
        let reader = std::thread::spawn(move || {
            let _ = started.recv();
            let mut buf = vec![0u8; 1 << 16];
            while let Ok(1..) = conn.recv(&mut buf) {}
            conn.close()
        });
        socket2::SockRef::from(&client)
            .set_nonblocking(true)
            .expect("non-blocking");
        let data = vec![b'x'; 64 << 20];
        let sent = client.send(&data).expect("a send");
        assert!(sent < data.len(), "the kernel took it all");
        start.send(()).expect("the reader waits");
        socket2::SockRef::from(&client)
            .set_nonblocking(false)
            .expect("blocking");
        if completes {
            client.send_all(&data[sent..]).expect("the rest");
        }
        client.shutdown(Shutdown::Write).expect("a FIN");
        reader.join().expect("the reader").expect("its close");
        client.close().expect("a close");
        listener.close()
    };
    fails_then_passes(
        Check::ShortSendCompleted,
        "sendto",
        ("o resto nunca foi enviado", "the rest was never sent"),
        |recorder| send(recorder, false),
        |recorder| send(recorder, true),
    );
}

#[test]
fn nothing_after_failure() {
    let write_to_a_gone_peer = |recorder: &Recorder, keeps_on: bool| {
        let listener = listener(recorder, true);
        let (client, conn) = pair(recorder, &listener);
        conn.close().expect("the server closes");
        wait_state(&client, TcpState::CloseWait);
        // The first send draws the server's RST; the next one fails for good.
        client.send(b"ainda ai?").expect("a send the kernel takes");
        wait_state(&client, TcpState::Close);
        assert!(client.send(b"ola").is_err(), "EPIPE");
        if keeps_on {
            // The bug: going on as if nothing happened.
            assert!(client.send(b"ola de novo").is_err());
        }
        client.close().expect("a close");
        listener.close()
    };
    fails_then_passes(
        Check::NothingAfterFailure,
        "sendto",
        ("só serve para close()", "good for nothing but close()"),
        |recorder| write_to_a_gone_peer(recorder, true),
        |recorder| write_to_a_gone_peer(recorder, false),
    );
}

#[test]
fn server_answers_fin() {
    let serve = |recorder: &Recorder, answers: bool| {
        let listener = listener(recorder, true);
        let (client, conn) = pair(recorder, &listener);
        client.close().expect("the client closes");
        assert_eq!(conn.recv(&mut [0u8; 16]).expect("its FIN"), 0);
        let left = if answers {
            conn.close().expect("the answer");
            None
        } else {
            // The bug: the connection is left in CLOSE_WAIT.
            Some(conn)
        };
        listener.close().expect("a close");
        left
    };
    fails_then_passes(
        Check::ServerAnswersFin,
        "recvfrom",
        ("fica em CLOSE_WAIT", "stays in CLOSE_WAIT"),
        |recorder| serve(recorder, false),
        |recorder| serve(recorder, true),
    );
}
