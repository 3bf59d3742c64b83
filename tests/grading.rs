//! For instructors (`docs/*/05-*.md`): grading a student's server by its
//! trace.
//!
//! The assignment: write the report's server for one client, in two
//! functions the harness calls — `prepare` (socket, SO_REUSEADDR, bind,
//! listen) and `serve_one` (accept, the protocol, close). The harness gives
//! the student a tracer from its recorder, plays the client, and grades two
//! ways: a snapshot of the redacted trace against the reference solution's,
//! and named criteria read from the events.

mod support;

use std::net::SocketAddr;
use std::time::Duration;

use socket_lifecycle::event::{Call, Outcome, SocketOption};
use socket_lifecycle::{Event, Lang, Listener, Recorder, Socket, Tracer};
use support::loopback;

/// The reference solution, as the instructor writes it.
mod reference {
    use super::*;

    pub fn prepare(tracer: Tracer, addr: SocketAddr) -> socket_lifecycle::Result<Listener> {
        Socket::tcp_v4(tracer)?
            .reuse_address(true)?
            .bind(addr)?
            .listen(5)
    }

    pub fn serve_one(listener: &Listener) -> socket_lifecycle::Result<()> {
        let (conn, _peer) = listener.accept()?;
        let mut buf = [0u8; 1024];
        loop {
            let n = conn.recv(&mut buf)?;
            if n == 0 {
                break;
            }
            let message = String::from_utf8_lossy(&buf[..n]).into_owned();
            if message.eq_ignore_ascii_case("sair") {
                conn.send_all("Conexão encerrada.".as_bytes())?;
                break;
            }
            conn.send_all(format!("Servidor recebeu: {message}").as_bytes())?;
        }
        conn.close()?;
        Ok(())
    }
}

/// A submission with two classic bugs: no goodbye on `sair`, and reading
/// on after `recv` returned 0. It also forgets `SO_REUSEADDR`.
mod submission_with_bugs {
    use super::*;

    pub fn prepare(tracer: Tracer, addr: SocketAddr) -> socket_lifecycle::Result<Listener> {
        Socket::tcp_v4(tracer)?.bind(addr)?.listen(5)
    }

    pub fn serve_one(listener: &Listener) -> socket_lifecycle::Result<()> {
        let (conn, _peer) = listener.accept()?;
        let mut buf = [0u8; 1024];
        for _ in 0..4 {
            let n = conn.recv(&mut buf)?;
            if n == 0 {
                continue;
            }
            let message = String::from_utf8_lossy(&buf[..n]).into_owned();
            conn.send_all(format!("Servidor recebeu: {message}").as_bytes())?;
        }
        Ok(())
    }
}

type Prepare = fn(Tracer, SocketAddr) -> socket_lifecycle::Result<Listener>;
type Serve = fn(&Listener) -> socket_lifecycle::Result<()>;

/// Runs a submission against the harness's client and returns its
/// recorded trace. The client is not recorded: the grade is about the
/// student's sockets only. It closes only after the server has finished
/// (or after 300 ms of silence), so the server's kernel states do not race.
fn run(prepare: Prepare, serve_one: Serve) -> Recorder {
    let recorder = Recorder::new();
    let listener = prepare(recorder.tracer("servidor"), loopback()).unwrap();
    let addr = listener.local_addr().unwrap();
    let server = std::thread::spawn(move || {
        let result = serve_one(&listener);
        drop(listener);
        result.map_err(|e| e.to_string())
    });

    let client = Socket::tcp_v4("cliente")
        .and_then(|s| s.connect(addr))
        .unwrap();
    client
        .set_read_timeout(Some(Duration::from_millis(300)))
        .unwrap();
    let mut buf = [0u8; 1024];
    for message in ["ola", "sair"] {
        client.send_all(message.as_bytes()).unwrap();
        let _reply = client.recv(&mut buf);
    }
    // Wait for the server's FIN (recv = 0): then let the server finish
    // before closing, so that its close always comes first. A server that
    // never closes gets the client's FIN after the timeout instead.
    if let Ok(0) = client.recv(&mut buf) {
        let _ = server.join().unwrap();
        client.close().unwrap();
    } else {
        client.close().unwrap();
        let _ = server.join().unwrap();
    }
    recorder
}

/// The criteria, read from the events: each a name and whether it holds.
fn grade(events: &[Event]) -> Vec<(&'static str, bool)> {
    let of =
        |label: &str| -> Vec<&Event> { events.iter().filter(|e| &*e.socket == label).collect() };
    let (server, conn) = (of("servidor"), of("servidor#1"));
    let succeeded = |e: &Event| matches!(e.outcome, Outcome::Returned(_));
    let seq_of = |events: &[&Event], wanted: fn(&Call) -> bool| {
        events.iter().find(|e| wanted(&e.call)).map(|e| e.seq)
    };
    let reuse = seq_of(&server, |c| {
        matches!(
            c,
            Call::SetOption {
                option: SocketOption::ReuseAddress(true)
            }
        )
    });
    let bind = seq_of(&server, |c| matches!(c, Call::Bind { .. }));
    let sent = |text: &str| {
        conn.iter().any(|e| {
            succeeded(e)
                && matches!(&e.call, Call::Send { data, .. } if data.as_slice() == text.as_bytes())
        })
    };
    let is_recv = |e: &Event| matches!(e.call, Call::Recv { .. });
    let first_eof = conn
        .iter()
        .find(|e| is_recv(e) && e.outcome == Outcome::Returned(0))
        .map(|e| e.seq);
    vec![
        (
            "SO_REUSEADDR before bind",
            matches!((reuse, bind), (Some(r), Some(b)) if r < b),
        ),
        (
            "listen(5)",
            server
                .iter()
                .any(|e| matches!(e.call, Call::Listen { backlog: 5 })),
        ),
        ("replies to ola", sent("Servidor recebeu: ola")),
        ("says goodbye on sair", sent("Conexão encerrada.")),
        (
            "closes the connection",
            conn.iter()
                .any(|e| succeeded(e) && matches!(e.call, Call::Close { .. })),
        ),
        (
            "stops reading at the end of the stream",
            first_eof.is_none_or(|eof| !conn.iter().any(|e| is_recv(e) && e.seq > eof)),
        ),
    ]
}

#[test]
fn the_reference_solution_passes_and_its_trace_is_the_snapshot() {
    let recorder = run(reference::prepare, reference::serve_one);
    let grades = grade(&recorder.events());
    assert!(grades.iter().all(|(_, pass)| *pass), "{grades:?}");
    insta::assert_snapshot!("reference", recorder.render_redacted(Lang::Pt));
}

#[test]
fn a_submission_with_bugs_is_caught_by_its_trace() {
    let reference = run(reference::prepare, reference::serve_one).render_redacted(Lang::Pt);
    let recorder = run(
        submission_with_bugs::prepare,
        submission_with_bugs::serve_one,
    );
    let trace = recorder.render_redacted(Lang::Pt);
    // Against the snapshot: different, so an insta test would fail with
    // the diff for the student to read.
    assert_ne!(trace, reference);
    // Against the criteria: exactly the three bugs.
    let failed: Vec<&str> = grade(&recorder.events())
        .into_iter()
        .filter(|(_, pass)| !pass)
        .map(|(name, _)| name)
        .collect();
    assert_eq!(
        failed,
        [
            "SO_REUSEADDR before bind",
            "says goodbye on sair",
            "stops reading at the end of the stream"
        ]
    );
}
