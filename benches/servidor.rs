//! `servidor`'s throughput against a minimal std::net server speaking the
//! same protocol: `cargo build --release --examples && cargo bench --bench
//! servidor`.
//!
//! Each server runs as its own process on loopback. The minimal server is
//! this bench binary itself, started again with `SOCKET_LIFECYCLE_STD_SERVER`
//! set: `std::net::TcpListener::bind` (socket, SO_REUSEADDR, bind,
//! listen(128) in one call), a thread per client, `read(1024)`, the console
//! line `Cliente ADDR: MSG` printed as the report does, `Servidor recebeu:
//! MSG` written back — no trace, no UTF-8 carry-over. `servidor` keeps its
//! default trace level (`info`: two formatted trace lines per message), and
//! runs a second time with `RUST_LOG=off`: the library's cost without the
//! trace's words.
//!
//! Every server runs twice: with its standard output and error to
//! /dev/null, where writing costs nothing, and to real files, where each
//! line is a `write` into the page cache — what a server's log costs.
//!
//! Like with like: for every server, the 50 client connections and their 50
//! threads are made before anything is timed. One sample is the time from
//! releasing the 50 threads to the last one's end: each makes 20 round
//! trips on its open connection (1,000 in all), every reply checked byte
//! for byte. The servers take turns sample by sample (so a machine that
//! gets busier slows them all alike), and each row is the median of
//! `SAMPLES` samples (51; `SOCKET_LIFECYCLE_SAMPLES=N` to change), with the
//! lowest and highest beside it.

#[path = "../tests/support/mod.rs"]
mod support;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Barrier};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

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

/// Where a server's standard output and error go.
#[derive(Clone, Copy, PartialEq)]
enum Sink {
    DevNull,
    Files,
}

/// One message and its reply, checked byte for byte.
fn exchange(conn: &mut TcpStream, message: &str, buf: &mut [u8]) {
    conn.write_all(message.as_bytes()).expect("send");
    let expected = format!("Servidor recebeu: {message}");
    let mut got = 0;
    while got < expected.len() {
        let n = conn.read(&mut buf[got..]).expect("receive");
        assert!(n > 0, "server closed");
        got += n;
    }
    assert_eq!(&buf[..got], expected.as_bytes());
}

/// The 50 clients: connected, each in its own thread, waiting to be
/// released for one sample.
struct Clients {
    start: Arc<Barrier>,
    done: Arc<Barrier>,
    stop: Arc<AtomicBool>,
    threads: Vec<JoinHandle<()>>,
}

impl Clients {
    fn connect(addr: SocketAddr) -> Clients {
        let start = Arc::new(Barrier::new(CLIENTS + 1));
        let done = Arc::new(Barrier::new(CLIENTS + 1));
        let stop = Arc::new(AtomicBool::new(false));
        let threads = (0..CLIENTS)
            .map(|i| {
                let mut conn = TcpStream::connect(addr).expect("connect");
                conn.set_nodelay(true).expect("TCP_NODELAY");
                let (start, done, stop) = (start.clone(), done.clone(), stop.clone());
                std::thread::spawn(move || {
                    let mut buf = [0u8; 1024];
                    loop {
                        start.wait();
                        if stop.load(Ordering::SeqCst) {
                            return;
                        }
                        for round in 0..ROUND_TRIPS {
                            exchange(
                                &mut conn,
                                &format!("cliente {i} mensagem {round}"),
                                &mut buf,
                            );
                        }
                        done.wait();
                    }
                })
            })
            .collect();
        Clients {
            start,
            done,
            stop,
            threads,
        }
    }

    /// One sample: the 1,000 round trips, timed.
    fn sample(&self) -> Duration {
        let began = Instant::now();
        self.start.wait();
        self.done.wait();
        began.elapsed()
    }

    fn stop(self) {
        self.stop.store(true, Ordering::SeqCst);
        self.start.wait();
        for thread in self.threads {
            thread.join().expect("a client thread");
        }
    }
}

/// A server under test: its process, its clients, its samples.
struct Server {
    name: String,
    sink: Sink,
    _process: KillOnDrop,
    clients: Clients,
    samples: Vec<Duration>,
}

/// Starts `command` on a free port with its output to `sink`, and connects
/// the clients once it answers the protocol on that port. Another program
/// may take the port between its release and the server's bind: then the
/// server exits, and it is started again on another (at most five times).
fn start(name: &str, sink: Sink, command: impl Fn(u16) -> Command) -> Server {
    for _ in 0..5 {
        let port = free_port();
        let (stdout, stderr) = match sink {
            Sink::DevNull => (Stdio::null(), Stdio::null()),
            Sink::Files => {
                let file = |stream: &str| {
                    let path = output_dir().join(format!("{name}-{port}.{stream}"));
                    Stdio::from(std::fs::File::create(&path).expect("an output file"))
                };
                (file("stdout"), file("stderr"))
            }
        };
        let mut process = KillOnDrop(
            command(port)
                .stdin(Stdio::null())
                .stdout(stdout)
                .stderr(stderr)
                .spawn()
                .expect("spawn the server"),
        );
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        let deadline = Instant::now() + support::DEADLINE;
        let mut probe = loop {
            if process.try_wait().expect("try_wait").is_some() {
                break None; // it could not bind: the port was taken
            }
            match TcpStream::connect(addr) {
                Ok(conn) => break Some(conn),
                Err(_) if Instant::now() < deadline => std::thread::yield_now(),
                Err(err) => panic!("{name} on {addr} did not come up: {err}"),
            }
        };
        if let Some(probe) = &mut probe {
            // Ours, not another program's: it speaks the protocol.
            exchange(probe, "sonda", &mut [0u8; 64]);
            return Server {
                name: name.to_string(),
                sink,
                _process: process,
                clients: Clients::connect(addr),
                samples: Vec::new(),
            };
        }
    }
    panic!("{name}: five free ports in a row were taken");
}

/// Where the servers' output files go (emptied at the start).
fn output_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("bench-servidor");
    std::fs::create_dir_all(&dir).expect("the output directory");
    dir
}

fn median(samples: &[Duration]) -> Duration {
    let mut sorted = samples.to_vec();
    sorted.sort();
    sorted[sorted.len() / 2]
}

fn millis(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    if let Some(port) = std::env::var(STD_SERVER).ok().and_then(|p| p.parse().ok()) {
        std_server(port);
        return;
    }
    // `cargo bench` passes `--bench`; nothing else is taken.
    let samples: usize = std::env::var("SOCKET_LIFECYCLE_SAMPLES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(51);
    let _ = std::fs::remove_dir_all(output_dir());
    let bench = std::env::current_exe().expect("this bench's path");
    let servidor = example_path("servidor");
    let mut servers = Vec::new();
    for sink in [Sink::DevNull, Sink::Files] {
        let std_net = |port: u16| {
            let mut command = Command::new(&bench);
            command.env(STD_SERVER, port.to_string());
            command
        };
        let traced = |level: &'static str| {
            let servidor = servidor.clone();
            move |port: u16| {
                let mut command = Command::new(&servidor);
                command
                    .args(["--max-clients", "100", "127.0.0.1", &port.to_string()])
                    .env("RUST_LOG", level);
                command
            }
        };
        servers.push(start("minimal_std_net", sink, std_net));
        servers.push(start("servidor_trace_info", sink, traced("info")));
        servers.push(start("servidor_trace_off", sink, traced("off")));
    }
    // One warm-up round, then the samples, the servers taking turns.
    for server in &servers {
        server.clients.sample();
    }
    for _ in 0..samples {
        for server in &mut servers {
            let took = server.clients.sample();
            server.samples.push(took);
        }
    }
    println!(
        "{CLIENTS} clients × {ROUND_TRIPS} round trips, connections and threads made before \
         timing; median of {samples} samples (lowest–highest); throughput against \
         minimal_std_net with the same output"
    );
    println!("| server | output | median | lowest–highest | throughput |");
    println!("|---|---|---|---|---|");
    for server in &servers {
        let baseline = servers
            .iter()
            .find(|s| s.name == "minimal_std_net" && s.sink == server.sink)
            .map(|s| median(&s.samples))
            .expect("the std server with the same output");
        let lowest = server.samples.iter().min().copied().unwrap_or_default();
        let highest = server.samples.iter().max().copied().unwrap_or_default();
        let m = median(&server.samples);
        println!(
            "| {} | {} | {:.2} ms | {:.2}–{:.2} ms | {:.2}× |",
            server.name,
            match server.sink {
                Sink::DevNull => "/dev/null",
                Sink::Files => "files",
            },
            millis(m),
            millis(lowest),
            millis(highest),
            baseline.as_secs_f64() / m.as_secs_f64()
        );
    }
    for server in servers {
        server.clients.stop();
    }
}
