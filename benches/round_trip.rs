//! What the library costs over raw socket2: `cargo bench --bench round_trip`.
//!
//! - `round_trip/*`: one 32-byte send and its 32-byte echo, on an open
//!   connection, from a raw `socket2::Socket`, from the library's
//!   `Connection` with logging off (no logger installed, no recorder), and
//!   from a `Connection` traced into a `Recorder`.
//! - `connect_accept_round_trip/*`: a whole short life: socket, connect,
//!   accept (in a server thread), one round trip, close — raw socket2 on
//!   both sides against the library on both sides (logging off).
//!
//! In `round_trip`, the echo side is the same raw socket2 thread for every
//! variant, so only the client's side differs.

use std::hint::black_box;
use std::io::{Read, Write};
use std::net::SocketAddr;
use std::thread;

use criterion::{Criterion, criterion_group, criterion_main};
use socket_lifecycle::{Recorder, Socket, kernel};
use socket2::{Domain, Protocol, Socket as RawSocket, Type};

const MESSAGE: [u8; 32] = *b"Servidor recebeu: ola, e adeus!!";

/// A raw socket2 listener on loopback port 0.
fn raw_listener() -> (RawSocket, SocketAddr) {
    let listener = RawSocket::new(Domain::IPV4, Type::STREAM, Some(Protocol::TCP)).unwrap();
    listener
        .bind(&SocketAddr::from(([127, 0, 0, 1], 0)).into())
        .unwrap();
    listener.listen(128).unwrap();
    let addr = listener.local_addr().unwrap().as_socket().unwrap();
    (listener, addr)
}

/// Echoes every connection's bytes back until it closes.
fn spawn_echo(listener: RawSocket) {
    thread::spawn(move || {
        while let Ok((mut conn, _)) = listener.accept() {
            thread::spawn(move || {
                let mut buf = [0u8; 1024];
                while let Ok(n @ 1..) = conn.read(&mut buf) {
                    if conn.write_all(&buf[..n]).is_err() {
                        break;
                    }
                }
            });
        }
    });
}

fn read_exact_raw(socket: &RawSocket, mut buf: &mut [u8]) {
    let mut socket = socket;
    while !buf.is_empty() {
        let n = socket.read(buf).unwrap();
        assert!(n > 0, "echo closed");
        buf = &mut buf[n..];
    }
}

fn read_exact_lib(conn: &socket_lifecycle::Connection, mut buf: &mut [u8]) {
    while !buf.is_empty() {
        let n = conn.recv(buf).unwrap();
        assert!(n > 0, "echo closed");
        buf = &mut buf[n..];
    }
}

fn round_trip(c: &mut Criterion) {
    let (listener, addr) = raw_listener();
    spawn_echo(listener);
    let mut group = c.benchmark_group("round_trip");
    let mut buf = [0u8; 32];

    let raw = RawSocket::new(Domain::IPV4, Type::STREAM, Some(Protocol::TCP)).unwrap();
    raw.connect(&addr.into()).unwrap();
    group.bench_function("raw_socket2", |b| {
        b.iter(|| {
            raw.send_with_flags(&MESSAGE, kernel::SEND_FLAGS).unwrap();
            read_exact_raw(&raw, &mut buf);
            black_box(&buf);
        })
    });

    let quiet = Socket::tcp_v4("cliente").unwrap().connect(addr).unwrap();
    group.bench_function("library_logging_off", |b| {
        b.iter(|| {
            quiet.send(&MESSAGE).unwrap();
            read_exact_lib(&quiet, &mut buf);
            black_box(&buf);
        })
    });

    let recorder = Recorder::new();
    let traced = Socket::tcp_v4(recorder.tracer("cliente"))
        .unwrap()
        .connect(addr)
        .unwrap();
    group.bench_function("library_with_recorder", |b| {
        b.iter(|| {
            traced.send(&MESSAGE).unwrap();
            read_exact_lib(&traced, &mut buf);
            black_box(&buf);
        })
    });
    group.finish();
}

fn connect_accept_round_trip(c: &mut Criterion) {
    let mut group = c.benchmark_group("connect_accept_round_trip");
    let mut buf = [0u8; 32];

    // The server closes first after its echo, so TIME_WAIT stays on the
    // server's side and the client's ephemeral ports do not run out.
    let (listener, addr) = raw_listener();
    thread::spawn(move || {
        while let Ok((mut conn, _)) = listener.accept() {
            let mut buf = [0u8; 32];
            if conn.read_exact(&mut buf).is_ok() {
                let _ = conn.write_all(&buf);
            }
        }
    });

    group.bench_function("raw_socket2", |b| {
        b.iter(|| {
            let raw = RawSocket::new(Domain::IPV4, Type::STREAM, Some(Protocol::TCP)).unwrap();
            raw.connect(&addr.into()).unwrap();
            raw.send_with_flags(&MESSAGE, kernel::SEND_FLAGS).unwrap();
            read_exact_raw(&raw, &mut buf);
            assert_eq!((&raw).read(&mut buf).unwrap(), 0);
        })
    });
    // The same server on the library: its accept is measured too.
    let listener = Socket::tcp_v4("servidor")
        .and_then(|s| s.bind(([127, 0, 0, 1], 0).into()))
        .and_then(|s| s.listen(128))
        .unwrap();
    let lib_addr = listener.local_addr().unwrap();
    thread::spawn(move || {
        while let Ok((conn, _)) = listener.accept() {
            let mut buf = [0u8; 32];
            read_exact_lib(&conn, &mut buf);
            let _ = conn.send_all(&buf);
        }
    });
    group.bench_function("library_logging_off", |b| {
        b.iter(|| {
            let conn = Socket::tcp_v4("cliente")
                .unwrap()
                .connect(lib_addr)
                .unwrap();
            conn.send(&MESSAGE).unwrap();
            read_exact_lib(&conn, &mut buf);
            assert_eq!(conn.recv(&mut buf).unwrap(), 0);
            conn.close().unwrap();
        })
    });
    group.finish();
}

/// What one trace line costs to render: the words `servidor` writes to its
/// log for every send and recv.
fn trace_line(c: &mut Criterion) {
    let (listener, addr) = raw_listener();
    spawn_echo(listener);
    let recorder = Recorder::new();
    let conn = Socket::tcp_v4(recorder.tracer("cliente"))
        .unwrap()
        .connect(addr)
        .unwrap();
    conn.send(&MESSAGE).unwrap();
    let event = recorder.events().pop().unwrap();
    c.bench_function("trace_line/send_event", |b| {
        b.iter(|| black_box(event.line(socket_lifecycle::Lang::En)))
    });
}

criterion_group!(benches, round_trip, connect_accept_round_trip, trace_line);
criterion_main!(benches);
