//! A spawned program: an example binary or one of the report's Python
//! programs, its output read into memory all along by one thread per stream
//! (so it never blocks on a full pipe), waited on with [`DEADLINE`], its
//! standard input written and closed, interrupted as Ctrl+C does, and
//! killed when the test ends — on success or on panic alike.

use std::io::{Read, Write};
use std::ops::{Deref, DerefMut};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use super::DEADLINE;
use super::binaries::{example_path, fixture_path};

/// A child process, killed (SIGKILL) and reaped when dropped; one that has
/// already been waited for is left alone.
pub struct KillOnDrop(pub Child);

impl Deref for KillOnDrop {
    type Target = Child;

    fn deref(&self) -> &Child {
        &self.0
    }
}

impl DerefMut for KillOnDrop {
    fn deref_mut(&mut self) -> &mut Child {
        &mut self.0
    }
}

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        // `Child::kill` sends nothing once a wait has seen the exit.
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// What a child printed on one stream so far.
#[derive(Default)]
struct Stream {
    bytes: Vec<u8>,
    /// The stream reached end-of-file: nothing more will come.
    ended: bool,
}

impl Stream {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes).into_owned()
    }
}

/// Both streams, filled by one reader thread each.
#[derive(Default)]
struct Captured {
    stdout: Stream,
    stderr: Stream,
}

impl Captured {
    fn ended(&self) -> bool {
        self.stdout.ended && self.stderr.ended
    }
}

#[derive(Default)]
struct Shared {
    captured: Mutex<Captured>,
    changed: Condvar,
}

impl Shared {
    /// The captured output. A reader thread cannot panic while it holds
    /// the lock, so a poisoned lock still holds whole chunks.
    fn lock(&self) -> MutexGuard<'_, Captured> {
        self.captured.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A spawned program. Dropping it kills it (SIGKILL) and reaps it.
pub struct Proc {
    name: String,
    child: KillOnDrop,
    stdin: Option<ChildStdin>,
    shared: Arc<Shared>,
    /// How far [`Proc::expect`] has consumed standard output.
    cursor: usize,
}

/// Ctrl+C as a terminal gives it to every program the tests start: SIGINT
/// at its default disposition in the child. A test run started in the
/// background by a shell without job control (`cargo test &` in a script,
/// as CI may start it) has SIGINT ignored, each child would inherit that,
/// and a program that keeps an ignored SIGINT ignored (Python does) would
/// not stop for [`Proc::interrupt`].
#[cfg(unix)]
fn default_sigint(command: &mut Command) {
    use std::os::unix::process::CommandExt;
    // SAFETY: between fork and exec the child calls only signal(2), which
    // is async-signal-safe, with SIG_DFL: no handler, nothing allocated.
    unsafe {
        command.pre_exec(|| {
            libc::signal(libc::SIGINT, libc::SIG_DFL);
            Ok(())
        });
    }
}

impl Proc {
    /// Spawns the example `name` with `args`. The trace is in English
    /// (`SOCKET_LIFECYCLE_LANG=en`) at the examples' default level (`info`),
    /// whatever the caller's environment says.
    pub fn example(name: &str, args: &[&str]) -> Proc {
        Proc::example_env(name, args, &[])
    }

    /// As [`Proc::example`], with these environment variables set on top
    /// (e.g. `("RUST_LOG", "warn")`, or `("SOCKET_LIFECYCLE_LANG", "pt")`).
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

    /// Spawns `command` (an example, perhaps under another program such as
    /// strace) with pipes on all three streams; `name` names it in failure
    /// messages.
    pub fn spawn(name: &str, mut command: Command) -> Proc {
        command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        #[cfg(unix)]
        default_sigint(&mut command);
        let mut child = command
            .spawn()
            .unwrap_or_else(|err| panic!("spawn {name}: {err}"));
        let shared = Arc::new(Shared::default());
        let stdout = child.stdout.take().expect("a piped stdout");
        collect(stdout, Arc::clone(&shared), |c| &mut c.stdout);
        let stderr = child.stderr.take().expect("a piped stderr");
        collect(stderr, Arc::clone(&shared), |c| &mut c.stderr);
        Proc {
            name: name.to_string(),
            stdin: child.stdin.take(),
            child: KillOnDrop(child),
            shared,
            cursor: 0,
        }
    }

    /// The name failure messages call it by.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Standard output so far (lossy UTF-8).
    pub fn stdout(&self) -> String {
        self.shared.lock().stdout.text()
    }

    /// Standard error so far (lossy UTF-8): the trace.
    pub fn stderr(&self) -> String {
        self.shared.lock().stderr.text()
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

    /// Waits until `found` returns a value for the output so far, and
    /// returns it. Fails the test after [`DEADLINE`], or as soon as both
    /// streams have ended without it (nothing more can come).
    fn wait_for<T>(&self, what: &str, mut found: impl FnMut(&Captured) -> Option<T>) -> T {
        let start = Instant::now();
        let mut captured = self.shared.lock();
        loop {
            if let Some(value) = found(&captured) {
                return value;
            }
            let left = DEADLINE.saturating_sub(start.elapsed());
            if left.is_zero() || captured.ended() {
                let why = if captured.ended() {
                    "its output ended"
                } else {
                    "timed out"
                };
                drop(captured);
                panic!("{}: {why} waiting for {what}\n{}", self.name, self.dump());
            }
            captured = self
                .shared
                .changed
                .wait_timeout(captured, left)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
    }

    /// Waits until `done(stdout, stderr)` holds; fails the test after
    /// [`DEADLINE`]. Returns standard output at that moment.
    pub fn wait_until(&self, what: &str, done: impl Fn(&str, &str) -> bool) -> String {
        self.wait_for(what, |captured| {
            let out = captured.stdout.text();
            done(&out, &captured.stderr.text()).then_some(out)
        })
    }

    /// Waits until standard output contains `needle`; returns all of it.
    pub fn wait_stdout(&self, needle: &str) -> String {
        self.wait_until(&format!("{needle:?} on stdout"), |out, _| {
            out.contains(needle)
        })
    }

    /// Waits until standard error contains `needle`; returns all of it.
    pub fn wait_stderr(&self, needle: &str) -> String {
        self.wait_until(&format!("{needle:?} on stderr"), |_, err| {
            err.contains(needle)
        });
        self.stderr()
    }

    /// Waits until standard output, past what earlier calls consumed, holds
    /// `text`; consumes up to its end and returns what was consumed. For
    /// conversations where the same line comes more than once.
    pub fn expect(&mut self, text: &str) -> String {
        let cursor = self.cursor;
        let what = format!("{text:?} on stdout, past what was read");
        let (end, consumed) = self.wait_for(&what, |captured| {
            let unread = &captured.stdout.bytes[cursor..];
            let at = unread
                .windows(text.len())
                .position(|window| window == text.as_bytes())?;
            let end = at + text.len();
            Some((end, String::from_utf8_lossy(&unread[..end]).into_owned()))
        });
        self.cursor += end;
        consumed
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

    /// Writes `line` and a newline on standard input; fails the test if it
    /// cannot.
    pub fn send_line(&mut self, line: &str) {
        if let Err(err) = self.write(&format!("{line}\n")) {
            panic!("{}: writing {line:?} to stdin: {err}", self.name);
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
        // The readers see end-of-file right after the exit.
        self.wait_for("its output to end", |captured| {
            captured.ended().then_some(())
        });
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

/// Runs the example `name` with `args` to its end, with standard input
/// closed, the environment variables `env` set and the locale ones cleared
/// first (so the language is only what `env` says); fails the test unless
/// it exits with success within [`DEADLINE`] and prints valid UTF-8.
/// Returns its standard output.
pub fn run_example(name: &str, args: &[&str], env: &[(&str, &str)]) -> String {
    let mut command = Command::new(example_path(name));
    command.args(args);
    for var in [
        "SOCKET_LIFECYCLE_LANG",
        "SOCKET_LIFECYCLE_MERMAID",
        "LC_ALL",
        "LC_MESSAGES",
        "LANG",
    ] {
        command.env_remove(var);
    }
    command.envs(env.iter().copied());
    let mut run = Proc::spawn(name, command);
    run.close_stdin();
    let status = run.wait_exit();
    assert!(
        status.success(),
        "example {name} {args:?} failed: {status}\n{}",
        run.dump()
    );
    let stdout = run.shared.lock().stdout.bytes.clone();
    String::from_utf8(stdout).unwrap_or_else(|err| panic!("{name}: stdout is not UTF-8: {err}"))
}

/// A thread that copies a child's stream into `shared` until end-of-file.
fn collect(
    mut stream: impl Read + Send + 'static,
    shared: Arc<Shared>,
    pick: fn(&mut Captured) -> &mut Stream,
) {
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        loop {
            let n = stream.read(&mut buf).unwrap_or(0);
            let mut captured = shared.lock();
            let into = pick(&mut captured);
            into.bytes.extend_from_slice(&buf[..n]);
            into.ended = n == 0;
            drop(captured);
            shared.changed.notify_all();
            if n == 0 {
                break;
            }
        }
    });
}
