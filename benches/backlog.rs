//! The listen backlog's table: `cargo build --release --examples && cargo
//! bench --bench backlog` (several minutes: a listen(5) burst stalls).
//!
//! For each server — `servidor --backlog 5`, `128`, `1024`, and the report's
//! `servidor.py` (listen(5)) — 1,000 connects one after the other, each
//! closed at once, and the kernel's `ListenOverflows` counter read before and
//! after. An overflow means a finished handshake found the accept queue
//! full and was dropped; the client's connect then waits for its SYN to be
//! sent again, about a second later.
//!
//! This is a scenario, measured once per server with the wall clock, not a
//! micro-benchmark: criterion's repeated sampling does not fit a run that
//! takes two minutes. The machine must be otherwise idle: the counter is
//! the whole machine's.

use std::io::{BufRead, BufReader};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use socket_lifecycle::kernel::listen_overflows;

const CONNECTS: usize = 1000;

/// A server process, killed when dropped.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    let probe = TcpListener::bind("127.0.0.1:0").unwrap();
    probe.local_addr().unwrap().port()
}

fn example(name: &str) -> PathBuf {
    let mut path = std::env::current_exe().unwrap();
    path.pop();
    path.pop();
    path.push("examples");
    path.push(name);
    assert!(
        path.exists(),
        "{} is missing: run `cargo build --release --examples` first",
        path.display()
    );
    path
}

/// Starts the server and waits for its `[*] Aguardando conexões...` line.
fn start(mut command: Command) -> Server {
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    for line in lines.by_ref() {
        if line.unwrap().starts_with("[*] Aguardando") {
            break;
        }
    }
    // Keep draining its console so that it never blocks on a full pipe.
    std::thread::spawn(move || lines.for_each(drop));
    Server(child)
}

fn burst(addr: SocketAddr) -> (Duration, u64, usize) {
    let before = listen_overflows().unwrap_or(0);
    let started = Instant::now();
    let failed = (0..CONNECTS)
        .filter(|_| TcpStream::connect_timeout(&addr, Duration::from_secs(10)).is_err())
        .count();
    let took = started.elapsed();
    let overflows = listen_overflows().unwrap_or(0) - before;
    (took, overflows, failed)
}

fn main() {
    // `cargo bench` passes `--bench`; any other argument filters by name.
    let filter: Option<String> = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    if listen_overflows().is_none() {
        eprintln!("no /proc/net/netstat: this measurement needs Linux");
        return;
    }
    let fixture = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/servidor.py");
    let mut servers: Vec<(String, Command)> = Vec::new();
    for backlog in ["5", "128", "1024"] {
        let mut command = Command::new(example("servidor"));
        command
            .args(["--backlog", backlog, "--max-clients", "1000", "127.0.0.1"])
            .env("RUST_LOG", "info");
        servers.push((format!("servidor --backlog {backlog}"), command));
    }
    let mut python = Command::new("python3");
    python.arg("-u").arg(&fixture).arg("127.0.0.1");
    servers.push(("servidor.py (listen 5)".to_string(), python));

    println!("| server | connects | ListenOverflows | failed | time |");
    println!("|---|---|---|---|---|");
    for (name, mut command) in servers {
        if filter.as_ref().is_some_and(|f| !name.contains(f.as_str())) {
            continue;
        }
        let port = free_port();
        command.arg(port.to_string());
        let _server = start(command);
        let (took, overflows, failed) = burst(([127, 0, 0, 1], port).into());
        println!(
            "| {name} | {CONNECTS} | {overflows} | {failed} | {:.2} s |",
            took.as_secs_f64()
        );
    }
}
