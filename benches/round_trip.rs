//! What the library costs over raw socket2: `cargo bench --bench round_trip`.
//!
//! - `round_trip`: one 32-byte send and its 32-byte echo on an open
//!   connection, from a raw `socket2::Socket`, from the library's
//!   `Connection` with logging off (no logger installed, no recorder), and
//!   from a `Connection` traced into a `Recorder`. The echo side is the same
//!   raw socket2 thread for every variant, and every connection is made
//!   before timing: only the client's calls differ.
//! - `connect_accept_round_trip`: a whole short life — socket, connect,
//!   accept, one round trip, close — made inside the timed region on both
//!   sides: raw socket2 client and server against the library's client and
//!   server, logging off; then the library's client traced into a
//!   `Recorder` (its socket → close: every call's event and the kernel's
//!   reads, and after its close the sock_diag question) against the
//!   untraced library server; then both sides traced. Each server runs in
//!   a thread started before timing.
//! - `trace_line`: rendering one trace line, the words `servidor` writes to
//!   its log for every send and recv.
//!
//! Each row gives the median and the tenth percentile of `SAMPLES` samples
//! (51; `SOCKET_LIFECYCLE_SAMPLES=N` to change), with the lowest and
//! highest beside them; one sample times a batch (thousands of round trips,
//! hundreds of lifecycles) and is divided by its size. The variants of a
//! group take turns sample by sample, so a machine that gets busier slows
//! them alike; the tenth percentile stays where the median of a busy
//! machine jumps (see [`measure`]).

use std::hint::black_box;
use std::io::{Read, Write};
use std::net::SocketAddr;
use std::thread;
use std::time::{Duration, Instant};

use socket_lifecycle::{Created, Lang, Recorder, Socket, kernel};
use socket2::{Domain, Protocol, Socket as RawSocket, Type};

const MESSAGE: [u8; 32] = *b"Servidor recebeu: ola, e adeus!!";

/// A raw socket2 listener on loopback port 0.
fn raw_listener() -> (RawSocket, SocketAddr) {
    let listener = RawSocket::new(Domain::IPV4, Type::STREAM, Some(Protocol::TCP)).expect("socket");
    listener
        .bind(&SocketAddr::from(([127, 0, 0, 1], 0)).into())
        .expect("bind");
    listener.listen(128).expect("listen");
    let addr = listener
        .local_addr()
        .ok()
        .and_then(|a| a.as_socket())
        .expect("the listener's address");
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
        let n = socket.read(buf).expect("read");
        assert!(n > 0, "echo closed");
        buf = &mut buf[n..];
    }
}

fn read_exact_lib(conn: &socket_lifecycle::Connection, mut buf: &mut [u8]) {
    while !buf.is_empty() {
        let n = conn.recv(buf).expect("recv");
        assert!(n > 0, "echo closed");
        buf = &mut buf[n..];
    }
}

/// A variant under measurement: its name, one batch of work, and the time
/// per operation of each sample.
struct Variant<'a> {
    name: &'static str,
    batch: Box<dyn FnMut() + 'a>,
    per_op: Vec<Duration>,
}

impl<'a> Variant<'a> {
    fn new(name: &'static str, batch: impl FnMut() + 'a) -> Variant<'a> {
        Variant {
            name,
            batch: Box::new(batch),
            per_op: Vec::new(),
        }
    }
}

/// Times `samples` batches of `ops` operations of each variant, the
/// variants taking turns after one warm-up batch each, and prints a row per
/// variant: the median time per operation, the tenth percentile (the
/// fastest tenth of the batches), the lowest and highest, and the ratio of
/// each of the first two to the first variant's.
///
/// On a machine doing other work the batches of one variant fall into two
/// groups, a fast one and one several times slower (where the scheduler
/// put the client and server threads, what else had the processor); which
/// variant a median lands in the slow group then depends on the run. The
/// tenth percentile is the code's own cost, undisturbed.
fn measure(group: &str, ops: u32, samples: usize, variants: &mut [Variant]) {
    for variant in variants.iter_mut() {
        (variant.batch)();
    }
    for _ in 0..samples {
        for variant in variants.iter_mut() {
            let began = Instant::now();
            (variant.batch)();
            variant.per_op.push(began.elapsed() / ops);
        }
    }
    let quantile = |v: &Variant, q: f64| {
        let mut sorted = v.per_op.clone();
        sorted.sort();
        sorted[((sorted.len() - 1) as f64 * q).round() as usize]
    };
    let (base, base_fast) = (quantile(&variants[0], 0.5), quantile(&variants[0], 0.1));
    for variant in variants.iter() {
        let lowest = variant.per_op.iter().min().copied().unwrap_or_default();
        let highest = variant.per_op.iter().max().copied().unwrap_or_default();
        let (m, fast) = (quantile(variant, 0.5), quantile(variant, 0.1));
        println!(
            "| {group}/{} | {:.2} µs | {:.2} µs | {:.2}–{:.2} µs | {:.3}× | {:.3}× |",
            variant.name,
            micros(m),
            micros(fast),
            micros(lowest),
            micros(highest),
            m.as_secs_f64() / base.as_secs_f64(),
            fast.as_secs_f64() / base_fast.as_secs_f64()
        );
    }
}

fn micros(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

fn round_trip(samples: usize) {
    const OPS: u32 = 5000;
    let (listener, addr) = raw_listener();
    spawn_echo(listener);
    let raw = RawSocket::new(Domain::IPV4, Type::STREAM, Some(Protocol::TCP)).expect("socket");
    raw.connect(&addr.into()).expect("connect");
    let quiet = Socket::tcp_v4("cliente")
        .and_then(|s| s.connect(addr))
        .expect("connect");
    let recorder = Recorder::new();
    let traced = Socket::tcp_v4(recorder.tracer("cliente"))
        .and_then(|s| s.connect(addr))
        .expect("connect");
    let mut variants = [
        Variant::new("raw_socket2", || {
            let mut buf = [0u8; 32];
            for _ in 0..OPS {
                raw.send_with_flags(&MESSAGE, kernel::SEND_FLAGS)
                    .expect("send");
                read_exact_raw(&raw, &mut buf);
                black_box(&buf);
            }
        }),
        Variant::new("library_logging_off", || {
            let mut buf = [0u8; 32];
            for _ in 0..OPS {
                quiet.send(&MESSAGE).expect("send");
                read_exact_lib(&quiet, &mut buf);
                black_box(&buf);
            }
        }),
        Variant::new("library_with_recorder", || {
            let mut buf = [0u8; 32];
            for _ in 0..OPS {
                traced.send(&MESSAGE).expect("send");
                read_exact_lib(&traced, &mut buf);
                black_box(&buf);
            }
        }),
    ];
    measure("round_trip", OPS, samples, &mut variants);
}

fn connect_accept_round_trip(samples: usize) {
    const OPS: u32 = 200;
    // The servers close first after their echo, so TIME_WAIT stays on the
    // servers' side. Each variant has a server of its own, and makes at
    // most 51 × 200 connections to it: a server port whose connections
    // from one address near the ephemeral range (about 28,000 ports) makes
    // every connect search longer for a free port, which timed the port
    // search instead of the library.
    let (listener, raw_addr) = raw_listener();
    thread::spawn(move || {
        while let Ok((mut conn, _)) = listener.accept() {
            let mut buf = [0u8; 32];
            if conn.read_exact(&mut buf).is_ok() {
                let _ = conn.write_all(&buf);
            }
        }
    });
    let lib_addr = spawn_library_server(Socket::tcp_v4("servidor"));
    let lib_addr_for_recorded = spawn_library_server(Socket::tcp_v4("servidor"));
    let recorder = Recorder::new();
    let recorded_addr = spawn_library_server(Socket::tcp_v4(recorder.tracer("servidor")));
    let mut variants = [
        Variant::new("raw_socket2", || {
            let mut buf = [0u8; 32];
            for _ in 0..OPS {
                let raw = RawSocket::new(Domain::IPV4, Type::STREAM, Some(Protocol::TCP))
                    .expect("socket");
                raw.connect(&raw_addr.into()).expect("connect");
                raw.send_with_flags(&MESSAGE, kernel::SEND_FLAGS)
                    .expect("send");
                read_exact_raw(&raw, &mut buf);
                assert_eq!((&raw).read(&mut buf).expect("read"), 0);
            }
        }),
        Variant::new("library_logging_off", || {
            for _ in 0..OPS {
                library_life(Socket::tcp_v4("cliente"), lib_addr);
            }
        }),
        Variant::new("library_client_recorded", || {
            for _ in 0..OPS {
                library_life(
                    Socket::tcp_v4(recorder.tracer("cliente")),
                    lib_addr_for_recorded,
                );
            }
        }),
        Variant::new("library_both_recorded", || {
            for _ in 0..OPS {
                library_life(Socket::tcp_v4(recorder.tracer("cliente")), recorded_addr);
            }
        }),
    ];
    measure("connect_accept_round_trip", OPS, samples, &mut variants);
}

/// A library server on loopback port 0, made from `socket`: it accepts,
/// echoes one message and closes first. Returns its address.
fn spawn_library_server(socket: socket_lifecycle::Result<Socket<Created>>) -> SocketAddr {
    let listener = socket
        .and_then(|s| s.bind(([127, 0, 0, 1], 0).into()))
        .and_then(|s| s.listen(128))
        .expect("a library listener");
    let addr = listener.local_addr().expect("its address");
    thread::spawn(move || {
        while let Ok((conn, _)) = listener.accept() {
            let mut buf = [0u8; 32];
            read_exact_lib(&conn, &mut buf);
            let _ = conn.send_all(&buf);
        }
    });
    addr
}

/// The client's side of one short life through the library: connect from
/// `socket`, one round trip, the server's close read, close.
fn library_life(socket: socket_lifecycle::Result<Socket<Created>>, server: SocketAddr) {
    let mut buf = [0u8; 32];
    let conn = socket.and_then(|s| s.connect(server)).expect("connect");
    conn.send(&MESSAGE).expect("send");
    read_exact_lib(&conn, &mut buf);
    assert_eq!(conn.recv(&mut buf).expect("recv"), 0);
    conn.close().expect("close");
}

fn trace_line(samples: usize) {
    const OPS: u32 = 10_000;
    let (listener, addr) = raw_listener();
    spawn_echo(listener);
    let recorder = Recorder::new();
    let conn = Socket::tcp_v4(recorder.tracer("cliente"))
        .and_then(|s| s.connect(addr))
        .expect("connect");
    conn.send(&MESSAGE).expect("send");
    let event = recorder.events().pop().expect("the send's event");
    let mut variants = [Variant::new("send_event", || {
        for _ in 0..OPS {
            black_box(event.line(Lang::En));
        }
    })];
    measure("trace_line", OPS, samples, &mut variants);
}

fn main() {
    // `cargo bench` passes `--bench`; nothing else is taken.
    let samples: usize = std::env::var("SOCKET_LIFECYCLE_SAMPLES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(51);
    println!(
        "{samples} samples per row: median, tenth percentile, lowest–highest; ratios to the first row of its group"
    );
    println!("| what | median | p10 | lowest–highest | ratio (median) | ratio (p10) |");
    println!("|---|---|---|---|---|---|");
    round_trip(samples);
    connect_accept_round_trip(samples);
    trace_line(samples);
}
