//! `servidor`'s throughput against a minimal std::net server speaking the
//! same protocol: `cargo build --release --examples && cargo bench --bench
//! servidor`.
//!
//! Both servers run as their own processes on loopback, with standard output
//! and standard error to /dev/null; `servidor` keeps its default trace level
//! (`info`: one formatted trace line per system call). The minimal server is
//! this bench binary itself, started again with `SOCKET_LIFECYCLE_STD_SERVER`
//! set: `std::net::TcpListener::bind` (socket, SO_REUSEADDR, bind,
//! listen(128) in one call), a thread per client, `read(1024)`, the console
//! line `Cliente ADDR: MSG` printed as the report does, `Servidor recebeu:
//! MSG` written back — no trace, no UTF-8 carry-over.
//!
//! A third run has `servidor` with `RUST_LOG=off`: the library's cost
//! without the trace's words.
//!
//! One iteration: 50 clients, each on its own open connection and thread,
//! make 20 round trips (1,000 in all). Compare the two `time:` lines; the
//! throughput ratio is std's time over servidor's.

#[path = "../tests/support/mod.rs"]
mod support;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group};
use support::{KillOnDrop, example_path, free_port};

const CLIENTS: usize = 50;
const ROUND_TRIPS: usize = 20;
const STD_SERVER: &str = "SOCKET_LIFECYCLE_STD_SERVER";

/// The minimal thread-per-client server, on the port in `STD_SERVER`.
fn std_server(port: u16) {
    let Ok(listener) = TcpListener::bind(("127.0.0.1", port)) else {
        std::process::exit(1);
    };
    for mut conn in listener.incoming().flatten() {
        std::thread::spawn(move || {
            let who = conn.peer_addr().map(|a| a.to_string()).unwrap_or_default();
            let mut buf = [0u8; 1024];
            while let Ok(n @ 1..) = conn.read(&mut buf) {
                let message = String::from_utf8_lossy(&buf[..n]);
                {
                    let mut out = std::io::stdout().lock();
                    let _ = writeln!(out, "Cliente {who}: {message}");
                    let _ = out.flush();
                }
                let reply = format!("Servidor recebeu: {message}");
                if conn.write_all(reply.as_bytes()).is_err() {
                    break;
                }
            }
        });
    }
}

/// Starts the server, its output to /dev/null (not `support::Proc`, whose
/// pipes the bench would pay to drain), and connects the clients once it
/// listens on `port`. The server is killed when the guard is dropped.
fn start(mut command: Command, port: u16) -> (KillOnDrop, Vec<TcpStream>) {
    let server = KillOnDrop(
        command
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn the server"),
    );
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let deadline = Instant::now() + Duration::from_secs(10);
    let first = loop {
        match TcpStream::connect(addr) {
            Ok(conn) => break conn,
            Err(_) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(20)),
            Err(err) => panic!("server on {addr} did not come up: {err}"),
        }
    };
    let mut clients = vec![first];
    while clients.len() < CLIENTS {
        clients.push(TcpStream::connect(addr).unwrap());
    }
    (server, clients)
}

/// 20 round trips on each of the 50 connections, one thread each; every
/// reply is checked byte for byte.
fn converse(clients: &mut [TcpStream]) {
    std::thread::scope(|scope| {
        for (i, conn) in clients.iter_mut().enumerate() {
            scope.spawn(move || {
                let mut buf = [0u8; 1024];
                for round in 0..ROUND_TRIPS {
                    let message = format!("cliente {i} mensagem {round}");
                    conn.write_all(message.as_bytes()).unwrap();
                    let expected = format!("Servidor recebeu: {message}");
                    let mut got = 0;
                    while got < expected.len() {
                        let n = conn.read(&mut buf[got..]).unwrap();
                        assert!(n > 0, "server closed");
                        got += n;
                    }
                    assert_eq!(&buf[..got], expected.as_bytes());
                }
            });
        }
    });
}

fn throughput(c: &mut Criterion) {
    let mut group = c.benchmark_group("servidor_50_clients_x20");
    group.sample_size(20);

    let port = free_port();
    let mut command = Command::new(std::env::current_exe().unwrap());
    command.env(STD_SERVER, port.to_string());
    let (_server, mut clients) = start(command, port);
    group.bench_function("minimal_std_net", |b| b.iter(|| converse(&mut clients)));
    drop(clients);

    let port = free_port();
    let mut command = Command::new(example_path("servidor"));
    command.args(["--max-clients", "100", "127.0.0.1", &port.to_string()]);
    let (_server, mut clients) = start(command, port);
    group.bench_function("servidor_trace_info", |b| b.iter(|| converse(&mut clients)));
    drop(clients);

    // The same server with its trace off: what the library costs without
    // the words.
    let port = free_port();
    let mut command = Command::new(example_path("servidor"));
    command
        .args(["--max-clients", "100", "127.0.0.1", &port.to_string()])
        .env("RUST_LOG", "off");
    let (_server, mut clients) = start(command, port);
    group.bench_function("servidor_trace_off", |b| b.iter(|| converse(&mut clients)));
    group.finish();
}

criterion_group!(benches, throughput);

fn main() {
    if let Some(port) = std::env::var(STD_SERVER).ok().and_then(|p| p.parse().ok()) {
        std_server(port);
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
