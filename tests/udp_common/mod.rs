//! Helpers for the UDP process-level tests: spawn an example binary, wait
//! for text on its standard output with a deadline, write to its standard
//! input, and kill it when the test ends, on success or on panic alike.

// Each test uses the part of these helpers it needs.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// How long any single wait may take before the test fails. Everything here
/// happens on loopback and normally takes milliseconds.
pub const DEADLINE: Duration = Duration::from_secs(10);

/// A built example: `target/<profile>/deps/<test>` →
/// `target/<profile>/examples/NAME`. `cargo test` builds the examples before
/// it runs tests; a run filtered to one test target does not, so this fails
/// with the command to run instead.
pub fn example(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("the test binary's path");
    let profile = exe
        .parent()
        .and_then(Path::parent)
        .expect("target/<profile>/deps/<test>");
    let path = profile
        .join("examples")
        .join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    assert!(
        path.exists(),
        "{} is not built: run `cargo test` (it builds the examples) or `cargo build --examples`",
        path.display()
    );
    path
}

/// What a child wrote on one of its outputs, shared with the thread that
/// reads it.
#[derive(Default)]
struct Output {
    bytes: Mutex<(Vec<u8>, bool)>,
    grown: Condvar,
}

impl Output {
    /// Reads `from` until its end, in a thread.
    fn collect(from: impl Read + Send + 'static) -> Arc<Output> {
        let output = Arc::new(Output::default());
        let sink = Arc::clone(&output);
        std::thread::spawn(move || {
            let mut from = from;
            let mut chunk = [0u8; 4096];
            loop {
                let n = from.read(&mut chunk).unwrap_or(0);
                let mut bytes = sink.bytes.lock().unwrap();
                if n == 0 {
                    bytes.1 = true;
                    sink.grown.notify_all();
                    return;
                }
                bytes.0.extend_from_slice(&chunk[..n]);
                sink.grown.notify_all();
            }
        });
        output
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes.lock().unwrap().0).into_owned()
    }
}

/// A running example. Dropping it kills it.
pub struct Proc {
    name: String,
    child: Child,
    stdin: Option<ChildStdin>,
    stdout: Arc<Output>,
    stderr: Arc<Output>,
    /// How far [`Proc::expect`] has read standard output.
    cursor: usize,
}

/// Spawns the example `name` with `args`: pipes on all three streams, the
/// trace at level `info`, narration in English.
pub fn spawn(name: &str, args: &[&str]) -> Proc {
    spawn_command(name, &mut example_command(name, args))
}

/// The command that runs the example `name` with `args`, the trace at level
/// `info`, narration in English.
pub fn example_command(name: &str, args: &[&str]) -> Command {
    let mut command = Command::new(example(name));
    command
        .args(args)
        .env("RUST_LOG", "info")
        .env("SOCKET_LIFECYCLE_LANG", "en");
    command
}

/// Spawns `command` (an example, perhaps under another program) with pipes
/// on all three streams.
pub fn spawn_command(name: &str, command: &mut Command) -> Proc {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|err| panic!("spawning {name}: {err}"));
    let stdout = Output::collect(child.stdout.take().expect("piped stdout"));
    let stderr = Output::collect(child.stderr.take().expect("piped stderr"));
    Proc {
        name: name.to_string(),
        stdin: child.stdin.take(),
        child,
        stdout,
        stderr,
        cursor: 0,
    }
}

impl Proc {
    /// Waits until standard output, past what earlier calls consumed, holds
    /// `text`; consumes up to its end and returns what was consumed.
    pub fn expect(&mut self, text: &str) -> String {
        let started = Instant::now();
        let mut bytes = self.stdout.bytes.lock().unwrap();
        loop {
            let unread = &bytes.0[self.cursor..];
            let found = unread
                .windows(text.len())
                .position(|window| window == text.as_bytes());
            if let Some(at) = found {
                let end = at + text.len();
                let consumed = String::from_utf8_lossy(&unread[..end]).into_owned();
                self.cursor += end;
                return consumed;
            }
            let waited = started.elapsed();
            assert!(
                waited < DEADLINE && !bytes.1,
                "{}: no {text:?} on stdout{}.\nstdout:\n{}\nstderr:\n{}",
                self.name,
                if bytes.1 { " (it ended)" } else { " in time" },
                String::from_utf8_lossy(&bytes.0),
                self.stderr.text()
            );
            bytes = self
                .stdout
                .grown
                .wait_timeout(bytes, DEADLINE - waited)
                .unwrap()
                .0;
        }
    }

    /// Everything written on standard output so far.
    pub fn stdout(&self) -> String {
        self.stdout.text()
    }

    /// Everything written on standard error so far (the trace).
    pub fn stderr(&self) -> String {
        self.stderr.text()
    }

    /// Writes `line` and a newline on standard input.
    pub fn send_line(&mut self, line: &str) {
        let stdin = self.stdin.as_mut().expect("stdin still open");
        writeln!(stdin, "{line}").expect("writing to the child's stdin");
        stdin.flush().expect("flushing the child's stdin");
    }

    /// Closes standard input: the child reads its end.
    pub fn close_stdin(&mut self) {
        self.stdin = None;
    }

    /// Sends SIGINT, as Ctrl+C does.
    pub fn interrupt(&self) {
        let status = Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status()
            .expect("running kill");
        assert!(status.success(), "kill -INT {}", self.child.id());
    }

    /// Waits for the child to exit (at most [`DEADLINE`]) and for its
    /// outputs to be read to their end.
    pub fn wait(&mut self) -> ExitStatus {
        let started = Instant::now();
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                break status;
            }
            assert!(
                started.elapsed() < DEADLINE,
                "{} did not exit in time.\nstdout:\n{}\nstderr:\n{}",
                self.name,
                self.stdout(),
                self.stderr()
            );
            std::thread::sleep(Duration::from_millis(10));
        };
        for output in [&self.stdout, &self.stderr] {
            let mut bytes = output.bytes.lock().unwrap();
            while !bytes.1 && started.elapsed() < DEADLINE {
                bytes = output
                    .grown
                    .wait_timeout(bytes, Duration::from_millis(100))
                    .unwrap()
                    .0;
            }
        }
        status
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `udp_servidor` on 127.0.0.1, port 0, and returns it with the
/// address it printed (`[*] Servidor ouvindo em 127.0.0.1:PORT`).
pub fn udp_server() -> (Proc, SocketAddr) {
    let mut server = spawn("udp_servidor", &["127.0.0.1", "0"]);
    server.expect("[*] Servidor ouvindo em ");
    let rest = server.expect("\n");
    let addr = rest
        .trim()
        .parse()
        .unwrap_or_else(|_| panic!("an address, not {rest:?}"));
    server.expect("[*] Aguardando conexões...\n");
    (server, addr)
}

/// Starts `udp_cliente` talking to `server`, with `extra` arguments.
pub fn udp_client(server: SocketAddr, extra: &[&str]) -> Proc {
    let port = server.port().to_string();
    let ip = server.ip().to_string();
    let mut args = vec![ip.as_str(), port.as_str()];
    args.extend_from_slice(extra);
    let mut client = spawn("udp_cliente", &args);
    client.expect(&format!("[+] Conectado ao servidor {ip}:{port}\n"));
    client.expect("[*] Digite 'sair' para encerrar\n");
    client
}

/// An address as Python prints it, the way the servers print clients.
pub fn python_address(addr: SocketAddr) -> String {
    format!("('{}', {})", addr.ip(), addr.port())
}

/// The server's console lines `Cliente ('127.0.0.1', PORT): TEXT`, as
/// (PORT, TEXT).
pub fn client_lines(console: &str) -> Vec<(u16, String)> {
    console
        .lines()
        .filter_map(|line| {
            let rest = line.strip_prefix("Cliente ('127.0.0.1', ")?;
            let (port, text) = rest.split_once("): ")?;
            Some((port.parse().ok()?, text.to_string()))
        })
        .collect()
}
