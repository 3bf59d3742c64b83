//! Non-blocking sockets and the readiness wait, traced: a non-blocking
//! connect finished by `poll` and `SO_ERROR`, and one thread serving two
//! clients through `poll` — each as a canonical trace, stable on every run.

mod support;

use std::time::Duration;

use socket_lifecycle::diagram::SequenceDiagram;
use socket_lifecycle::{Cause, Interest, Lang, Poll, Recorder, Socket, StateName};
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

/// One thread, one listener, two clients: every wait names the sockets it
/// asked about and the ones that were ready, and the server makes only the
/// calls that will not wait — accept on the readable listener, recv on a
/// readable connection — and meets EAGAIN when it asks once more.
#[test]
fn one_thread_serves_two_clients_through_poll() {
    let recorder = Recorder::new();
    let listener = Socket::tcp_v4(recorder.tracer("servidor"))
        .and_then(|s| s.bind(loopback()))
        .and_then(|s| s.listen(5))
        .unwrap();
    listener.set_nonblocking().unwrap();
    let addr = listener.local_addr().unwrap();
    let poll = Poll::new(recorder.tracer("poll"));
    let limit = Some(Duration::from_secs(5));

    let ana = Socket::tcp_v4(recorder.tracer("cliente-ana"))
        .and_then(|s| s.connect(addr))
        .unwrap();
    let ready = poll.wait(&[Interest::read(&listener)], limit).unwrap();
    assert!(ready[0].readable);
    let (first, _) = listener.accept().unwrap();
    first.set_nonblocking().unwrap();
    let nothing = listener.accept().unwrap_err();
    assert_eq!(nothing.cause(), Cause::WouldBlock);

    let bia = Socket::tcp_v4(recorder.tracer("cliente-bia"))
        .and_then(|s| s.connect(addr))
        .unwrap();
    let ready = poll
        .wait(&[Interest::read(&listener), Interest::read(&first)], limit)
        .unwrap();
    assert!(ready[0].readable && !ready[1].readable);
    let (second, _) = listener.accept().unwrap();
    second.set_nonblocking().unwrap();

    let mut buf = [0u8; 1024];
    for (client, name) in [(&ana, "ana"), (&bia, "bia")] {
        client.send(name.as_bytes()).unwrap();
        let ready = poll
            .wait(
                &[
                    Interest::read(&listener),
                    Interest::read(&first),
                    Interest::read(&second),
                ],
                limit,
            )
            .unwrap();
        assert_eq!(ready.iter().filter(|w| w.readable).count(), 1);
        let conn = if ready[1].readable { &first } else { &second };
        let n = conn.recv(&mut buf).unwrap();
        assert_eq!(&buf[..n], name.as_bytes());
        conn.send_all(format!("Servidor recebeu: {name}").as_bytes())
            .unwrap();
        assert_eq!(conn.recv(&mut buf).unwrap_err().cause(), Cause::WouldBlock);
        let n = client.recv(&mut buf).unwrap();
        assert_eq!(&buf[..n], format!("Servidor recebeu: {name}").as_bytes());
    }
    ana.close().unwrap();
    bia.close().unwrap();
    let ready = poll
        .wait(&[Interest::read(&first), Interest::read(&second)], limit)
        .unwrap();
    assert!(ready.iter().all(|w| w.readable), "both FINs arrived");
    for conn in [first, second] {
        assert_eq!(conn.recv(&mut buf).unwrap(), 0);
        conn.close().unwrap();
    }
    listener.close().unwrap();
    insta::assert_snapshot!("poll_two_clients_en", recorder.render_redacted(Lang::En));
    insta::assert_snapshot!("poll_two_clients_pt", recorder.render_redacted(Lang::Pt));
    insta::assert_snapshot!(
        "poll_two_clients_diagram_en",
        SequenceDiagram::redacted(&recorder.events()).text(Lang::En)
    );
}
