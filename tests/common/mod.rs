//! Shared helpers for process-level tests: spawn an example binary or one of
//! the report's Python programs (`tests/fixtures/`), read what it prints with
//! a deadline, talk to its standard input, and kill it when the test ends —
//! on success or on panic alike.

// Each test file uses the part of these helpers it needs.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant, SystemTime};

/// How long any single wait may take before the test fails. Everything here
/// happens on loopback and normally takes milliseconds.
pub const DEADLINE: Duration = Duration::from_secs(10);

/// The path of a built example, next to the test binary:
/// `target/debug/deps/chat-…` → `target/debug/examples/NAME`.
///
/// `cargo test` (without target filters) builds the examples before running
/// any test, so they are there and current. A filtered run such as
/// `cargo test --test chat` does not build them: this fails with the command
/// to run instead of testing an old binary.
pub fn example_path(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("the test binary's path");
    let profile_dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("target/<profile>/deps/<test>");
    let path = profile_dir
        .join("examples")
        .join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    let built = std::fs::metadata(&path).and_then(|m| m.modified());
    let Ok(built) = built else {
        panic!(
            "{} is not built. `cargo test` builds the examples; a filtered run \
             (`cargo test --test chat`) does not: run `cargo build --examples` first.",
            path.display()
        );
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let newest = newest_source(&[
        root.join("examples").join(format!("{name}.rs")),
        root.join("src"),
    ]);
    assert!(
        newest <= built,
        "{} is older than its sources. `cargo test` rebuilds the examples; a \
         filtered run does not: run `cargo build --examples` first.",
        path.display()
    );
    path
}

/// The newest modification time among these files and directories' files.
fn newest_source(paths: &[PathBuf]) -> SystemTime {
    let mut newest = SystemTime::UNIX_EPOCH;
    let mut todo: Vec<PathBuf> = paths.to_vec();
    while let Some(path) = todo.pop() {
        let Ok(meta) = std::fs::metadata(&path) else {
            continue;
        };
        if meta.is_dir() {
            if let Ok(entries) = std::fs::read_dir(&path) {
                todo.extend(entries.filter_map(|e| e.ok()).map(|e| e.path()));
            }
        } else if let Ok(modified) = meta.modified() {
            newest = newest.max(modified);
        }
    }
    newest
}

/// The path of one of the report's programs, transcribed in `tests/fixtures/`.
pub fn fixture_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("fixtures")
        .join(name)
}

/// A port on 127.0.0.1 that was free a moment ago: bound with port 0 (the
/// kernel picks it) and released. For programs that cannot report the port
/// they bound, like the report's `servidor.py`, and for "nobody listens
/// here" tests.
pub fn free_port() -> u16 {
    let probe = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    probe.local_addr().expect("local address").port()
}

/// What a child printed so far, filled by one reader thread per stream.
#[derive(Default)]
struct Captured {
    stdout: Vec<u8>,
    stderr: Vec<u8>,
    /// How many of the two streams reached end-of-file.
    ended: u8,
}

struct Shared {
    captured: Mutex<Captured>,
    changed: Condvar,
}

/// A spawned program. Dropping it kills it (SIGKILL) and reaps it.
pub struct Proc {
    name: String,
    child: Child,
    stdin: Option<ChildStdin>,
    shared: Arc<Shared>,
    status: Option<ExitStatus>,
}

impl Proc {
    /// Spawns the example `name` with `args`. The trace is in English
    /// (`SOCKET_LIFECYCLE_LANG=en`) at env_logger's default level, whatever
    /// the caller's environment says.
    pub fn example(name: &str, args: &[&str]) -> Proc {
        Proc::example_env(name, args, &[])
    }

    /// As [`Proc::example`], with these environment variables set on top
    /// (e.g. `("RUST_LOG", "warn")`).
    pub fn example_env(name: &str, args: &[&str], env: &[(&str, &str)]) -> Proc {
        let mut command = Command::new(example_path(name));
        command
            .args(args)
            .env("SOCKET_LIFECYCLE_LANG", "en")
            .env_remove("RUST_LOG")
            .envs(env.iter().copied());
        Proc::spawn(name, command)
    }

    /// Spawns one of the report's Python programs, unbuffered (`-u`) so that
    /// its prints arrive as they happen, its console in UTF-8 whatever the
    /// locale.
    pub fn python(script: &str, args: &[&str]) -> Proc {
        let mut command = Command::new("python3");
        command
            .arg("-u")
            .arg(fixture_path(script))
            .args(args)
            .env("PYTHONIOENCODING", "utf-8");
        Proc::spawn(script, command)
    }

    fn spawn(name: &str, mut command: Command) -> Proc {
        command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = command
            .spawn()
            .unwrap_or_else(|err| panic!("spawn {name}: {err}"));
        let shared = Arc::new(Shared {
            captured: Mutex::new(Captured::default()),
            changed: Condvar::new(),
        });
        if let Some(stdout) = child.stdout.take() {
            collect(stdout, Arc::clone(&shared), |c| &mut c.stdout);
        }
        if let Some(stderr) = child.stderr.take() {
            collect(stderr, Arc::clone(&shared), |c| &mut c.stderr);
        }
        Proc {
            name: name.to_string(),
            stdin: child.stdin.take(),
            child,
            shared,
            status: None,
        }
    }

    /// The process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Standard output so far (lossy UTF-8).
    pub fn stdout(&self) -> String {
        let captured = self.shared.captured.lock().unwrap();
        String::from_utf8_lossy(&captured.stdout).into_owned()
    }

    /// Standard error so far (lossy UTF-8).
    pub fn stderr(&self) -> String {
        let captured = self.shared.captured.lock().unwrap();
        String::from_utf8_lossy(&captured.stderr).into_owned()
    }

    /// Both streams, for failure messages.
    pub fn dump(&self) -> String {
        format!(
            "── {} stdout:\n{}\n── {} stderr:\n{}",
            self.name,
            self.stdout(),
            self.name,
            self.stderr()
        )
    }

    /// The last `lines` lines of each stream, for failure messages when the
    /// whole output is too long to read (load tests).
    pub fn dump_tail(&self, lines: usize) -> String {
        let tail = |text: String| {
            let all: Vec<&str> = text.lines().collect();
            all[all.len().saturating_sub(lines)..].join("\n")
        };
        format!(
            "── {} stdout (last {lines} lines):\n{}\n── {} stderr (last {lines} lines):\n{}",
            self.name,
            tail(self.stdout()),
            self.name,
            tail(self.stderr())
        )
    }

    /// Waits until `done(stdout, stderr)` holds; fails the test after
    /// [`DEADLINE`]. Returns standard output at that moment.
    pub fn wait_until(&self, what: &str, done: impl Fn(&str, &str) -> bool) -> String {
        let start = Instant::now();
        let mut captured = self.shared.captured.lock().unwrap();
        loop {
            let out = String::from_utf8_lossy(&captured.stdout).into_owned();
            let err = String::from_utf8_lossy(&captured.stderr).into_owned();
            if done(&out, &err) {
                return out;
            }
            let left = DEADLINE.saturating_sub(start.elapsed());
            if left.is_zero() {
                drop(captured);
                panic!(
                    "{}: timed out waiting for {what}\n{}",
                    self.name,
                    self.dump()
                );
            }
            captured = self.shared.changed.wait_timeout(captured, left).unwrap().0;
        }
    }

    /// Waits until standard output contains `needle`; returns all of it.
    pub fn wait_stdout(&self, needle: &str) -> String {
        self.wait_until(&format!("{needle:?} on stdout"), |out, _| {
            out.contains(needle)
        })
    }

    /// Waits until standard error contains `needle`.
    pub fn wait_stderr(&self, needle: &str) -> String {
        self.wait_until(&format!("{needle:?} on stderr"), |_, err| {
            err.contains(needle)
        });
        self.stderr()
    }

    /// Asserts that standard output does not come to contain `needle` for
    /// `period`.
    pub fn assert_stdout_stays_without(&self, needle: &str, period: Duration) {
        std::thread::sleep(period);
        assert!(
            !self.stdout().contains(needle),
            "{}: {needle:?} appeared\n{}",
            self.name,
            self.dump()
        );
    }

    /// Writes `text` to standard input. The error (e.g. EPIPE once the
    /// program has exited) is returned for the test to judge.
    pub fn write(&mut self, text: &str) -> std::io::Result<()> {
        match &mut self.stdin {
            Some(stdin) => stdin
                .write_all(text.as_bytes())
                .and_then(|()| stdin.flush()),
            None => Err(std::io::Error::other("stdin already closed")),
        }
    }

    /// Closes standard input: the program reads end-of-file.
    pub fn close_stdin(&mut self) {
        self.stdin = None;
    }

    /// Sends SIGINT, as Ctrl+C in a terminal does.
    pub fn interrupt(&self) {
        let status = Command::new("kill")
            .args(["-INT", &self.pid().to_string()])
            .status()
            .expect("run kill");
        assert!(status.success(), "kill -INT {}", self.pid());
    }

    /// Waits for the program to exit; fails the test after [`DEADLINE`].
    /// Returns its status once both output streams are complete.
    pub fn wait_exit(&mut self) -> ExitStatus {
        let start = Instant::now();
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                break status;
            }
            if start.elapsed() > DEADLINE {
                panic!("{}: did not exit\n{}", self.name, self.dump());
            }
            std::thread::sleep(Duration::from_millis(5));
        };
        self.status = Some(status);
        // The readers see end-of-file right after the exit.
        let mut captured = self.shared.captured.lock().unwrap();
        while captured.ended < 2 {
            let (next, timeout) = self
                .shared
                .changed
                .wait_timeout(captured, DEADLINE)
                .unwrap();
            captured = next;
            assert!(!timeout.timed_out(), "{}: output never ended", self.name);
        }
        status
    }

    /// Standard input closed, exit awaited: the full standard output and the
    /// exit code.
    pub fn finish(&mut self) -> (String, Option<i32>) {
        self.close_stdin();
        let status = self.wait_exit();
        (self.stdout(), status.code())
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        if self.status.is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// A thread that copies a child's stream into `shared` until end-of-file.
fn collect(
    mut stream: impl Read + Send + 'static,
    shared: Arc<Shared>,
    pick: fn(&mut Captured) -> &mut Vec<u8>,
) {
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        loop {
            let n = stream.read(&mut buf).unwrap_or(0);
            let mut captured = shared.captured.lock().unwrap();
            pick(&mut captured).extend_from_slice(&buf[..n]);
            if n == 0 {
                captured.ended += 1;
            }
            drop(captured);
            shared.changed.notify_all();
            if n == 0 {
                break;
            }
        }
    });
}

/// The line of `text` that starts with `prefix`, without the prefix.
pub fn line_after<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    text.lines().find_map(|line| line.strip_prefix(prefix))
}

/// Starts the Rust server on 127.0.0.1, port 0, with `extra` flags; returns
/// it and the address it printed (`[*] Servidor ouvindo em …`).
pub fn rust_server(extra: &[&str]) -> (Proc, SocketAddr) {
    rust_server_env(extra, &[])
}

/// As [`rust_server`], with these environment variables set on top.
pub fn rust_server_env(extra: &[&str], env: &[(&str, &str)]) -> (Proc, SocketAddr) {
    let mut args = vec!["127.0.0.1", "0"];
    args.extend_from_slice(extra);
    let server = Proc::example_env("servidor", &args, env);
    let out = server.wait_stdout("[*] Aguardando conexões...\n");
    let addr = line_after(&out, "[*] Servidor ouvindo em ")
        .and_then(|a| a.parse().ok())
        .unwrap_or_else(|| panic!("no address printed\n{}", server.dump()));
    (server, addr)
}

/// Starts the report's `servidor.py` on 127.0.0.1 and a free port. It prints
/// the port it was given, so the port is chosen here; should another program
/// take it in between, it fails with `Erro: …` and is started again on
/// another (at most five times).
pub fn python_server() -> (Proc, SocketAddr) {
    for _ in 0..5 {
        let port = free_port();
        let server = Proc::python("servidor.py", &["127.0.0.1", &port.to_string()]);
        let out = server.wait_until("the Python server to start or fail", |out, err| {
            out.contains("[*] Aguardando conexões...\n") || out.contains("Erro:") || !err.is_empty()
        });
        if out.contains("[*] Aguardando conexões...\n") {
            return (server, ([127, 0, 0, 1], port).into());
        }
    }
    panic!("servidor.py did not start on five free ports");
}

/// The address the server printed for its first client, as Python prints
/// it: `('127.0.0.1', 54321)`.
pub fn first_client(server: &Proc) -> String {
    let out = server.wait_stdout("[+] Nova conexão estabelecida com ");
    line_after(&out, "[+] Nova conexão estabelecida com ")
        .unwrap_or_default()
        .to_string()
}

/// A raw client on std's `TcpStream`: sends bytes exactly as given, one
/// `send` per call, and reads the server's answer with a deadline.
pub struct RawClient(pub TcpStream);

impl RawClient {
    pub fn connect(addr: SocketAddr) -> RawClient {
        let stream = TcpStream::connect(addr).unwrap();
        stream.set_nodelay(true).unwrap();
        stream.set_read_timeout(Some(DEADLINE)).unwrap();
        RawClient(stream)
    }

    pub fn send(&mut self, bytes: &[u8]) {
        self.0.write_all(bytes).unwrap();
    }

    /// Reads until exactly `expected` has arrived (or fails).
    pub fn expect(&mut self, expected: &str) {
        let mut got = Vec::new();
        let mut buf = [0u8; 1024];
        while got.len() < expected.len() {
            let n = self.0.read(&mut buf).unwrap();
            assert!(n > 0, "closed after {:?}", String::from_utf8_lossy(&got));
            got.extend_from_slice(&buf[..n]);
        }
        assert_eq!(String::from_utf8_lossy(&got), expected);
    }

    /// One message and its answer, `Servidor recebeu: MSG`, byte for byte.
    pub fn exchange(&mut self, message: &str) {
        self.send(message.as_bytes());
        self.expect(&format!("Servidor recebeu: {message}"));
    }

    /// `sair`, the server's goodbye, then end-of-file: the server closed.
    pub fn leave(mut self) {
        self.send(b"sair");
        self.expect("Conexão encerrada.");
        let mut buf = [0u8; 16];
        assert_eq!(self.0.read(&mut buf).unwrap(), 0, "the server closes");
    }
}

/// What `/proc/PID/status` says of a process's threads and memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Usage {
    /// `Threads:`
    pub threads: usize,
    /// `VmRSS:`, in KiB: the resident set.
    pub rss_kib: u64,
}

/// Reads `Threads:` and `VmRSS:` from `/proc/PID/status`.
pub fn usage(pid: u32) -> Usage {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_else(|err| panic!("/proc/{pid}/status: {err}"));
    let field = |name: &str| -> u64 {
        line_after(&status, name)
            .and_then(|value| value.split_whitespace().next())
            .and_then(|number| number.parse().ok())
            .unwrap_or_else(|| panic!("no {name} in /proc/{pid}/status:\n{status}"))
    };
    Usage {
        threads: field("Threads:") as usize,
        rss_kib: field("VmRSS:"),
    }
}

/// Waits until `proc` runs exactly `threads` threads (threads that were
/// told to end take a moment to exit); fails the test after [`DEADLINE`].
/// Returns the usage at that moment.
pub fn wait_threads(proc: &Proc, threads: usize) -> Usage {
    let start = Instant::now();
    loop {
        let now = usage(proc.pid());
        if now.threads == threads {
            return now;
        }
        if start.elapsed() > DEADLINE {
            panic!(
                "{} runs {} threads, not {threads}, after {DEADLINE:?}\n{}",
                proc.name,
                now.threads,
                proc.dump_tail(40)
            );
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}
