//! What the observer's tests share: the repository's own test helpers
//! (`tests/support/`: spawned programs, loopback, the strace comparer and
//! the rule that a missing tool fails in CI), and running a program under
//! the observer or under strace.

#![allow(dead_code)]

#[path = "../../../tests/support/mod.rs"]
pub mod support;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

// Each test binary uses only some of these.
#[allow(unused_imports)]
pub use support::{Proc, python3_here, require, runs, strace::compare_observed, strace_here};

/// The observer binary cargo built for these tests.
pub const OBSERVER: &str = env!("CARGO_BIN_EXE_socket-lifecycle");

/// A path in the repository (the workspace root).
pub fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(path)
}

/// A path in the observer's own test fixtures.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// A fresh file name in the temporary directory, for a log.
pub fn temp(tag: &str) -> PathBuf {
    static RUNS: AtomicUsize = AtomicUsize::new(0);
    let n = RUNS.fetch_add(1, Ordering::Relaxed);
    std::env::temp_dir().join(format!(
        "socket-lifecycle-observer-{}-{tag}-{n}",
        std::process::id()
    ))
}

/// How a program is watched.
#[derive(Debug, Clone, Copy)]
pub enum Under {
    /// `socket-lifecycle trace --lang LANG [--redacted]`.
    Observer { lang: &'static str, redacted: bool },
    /// `strace -f -yy -qq -e TRACE`, as the comparer reads it
    /// (`support::strace::TRACE`).
    Strace,
    /// `strace -f -e trace=network,close`, as a student would type it.
    StraceNetwork,
    /// Nothing: the program alone.
    Plain,
}

/// The observer, narrating in `lang`, the trace told as it happens.
pub fn observer(lang: &'static str) -> Under {
    Under::Observer {
        lang,
        redacted: false,
    }
}

/// Holds the observer's `trace` of `side` against strace's `record` of
/// another run of the same program with the same input — where only the
/// ports the kernel picked differ, so both are read with them redacted —
/// and returns how many calls agree; fails the test where they part.
pub fn agrees(side: &str, record: &str, trace: &str) -> usize {
    use socket_lifecycle::render::redact_ports;

    let agreement =
        compare_observed(&redact_ports(record), &redact_ports(trace)).unwrap_or_else(|diff| {
            panic!("{side}: {diff}\n── strace:\n{record}\n── observer:\n{trace}")
        });
    eprintln!("{side}:\n{agreement}");
    agreement.calls
}

/// A program running under the observer or strace, in its own process
/// group (as a shell starts a command: Ctrl+C goes to the group), its
/// trace going to `log`.
pub struct Watched {
    pub proc: Proc,
    pub log: PathBuf,
}

impl Watched {
    /// Starts `program` with `args` under `under`; `extra` are more of the
    /// observer's options (`--json FILE`, `--check`).
    pub fn start(
        under: Under,
        name: &str,
        program: &str,
        args: &[&str],
        extra: &[&str],
    ) -> Watched {
        use std::os::unix::process::CommandExt;

        let log = temp(name);
        let mut command = match under {
            Under::Observer { lang, redacted } => {
                let mut command = Command::new(OBSERVER);
                command.args(["trace", "--lang", lang]);
                if redacted {
                    command.arg("--redacted");
                }
                command.args(extra).arg("-o").arg(&log);
                command
            }
            Under::Strace => {
                let mut command = Command::new("strace");
                command.args(["-f", "-yy", "-qq", "-e", support::strace::TRACE, "-o"]);
                command.arg(&log).arg("--");
                command
            }
            Under::StraceNetwork => {
                let mut command = Command::new("strace");
                command.args(["-f", "-e", "trace=network,close", "-o"]);
                command.arg(&log).arg("--");
                command
            }
            Under::Plain => Command::new(program),
        };
        if let Under::Observer { .. } = under {
            command.arg("--");
        }
        if !matches!(under, Under::Plain) {
            command.arg(program);
        }
        command
            .args(args)
            .env("PYTHONIOENCODING", "utf-8")
            .process_group(0);
        Watched {
            proc: Proc::spawn(name, command),
            log,
        }
    }

    /// Ctrl+C, as a terminal sends it: SIGINT to the whole process group.
    pub fn ctrl_c(&self) {
        let group = format!("-{}", self.proc.pid());
        let status = Command::new("kill")
            .args(["-INT", "--", &group])
            .status()
            .expect("run kill");
        assert!(status.success(), "kill -INT {group}");
    }

    /// Waits for the end; the exit code and the trace (the log, removed).
    pub fn finish(mut self) -> (Option<i32>, String) {
        let status = self.proc.wait_exit();
        let trace = std::fs::read_to_string(&self.log).unwrap_or_default();
        let _ = std::fs::remove_file(&self.log);
        (status.code(), trace)
    }
}

/// What the report's conversation left: each program's console and trace.
pub struct Conversation {
    pub server_console: String,
    pub client_console: String,
    pub server: String,
    pub client: String,
    pub server_exit: Option<i32>,
}

/// The report's conversation, once the server waits for connections and
/// the client is started: the client says `ola`, then `sair`, and leaves;
/// once the server has said goodbye, Ctrl+C stops it.
pub fn converse(server: Watched, mut client: Watched) -> Conversation {
    client.proc.expect("Você: ");
    client.proc.send_line("ola");
    client.proc.expect("Servidor: Servidor recebeu: ola\n");
    client.proc.send_line("sair");
    client.proc.expect("[-] Conexão encerrada\n");
    let client_console = client.proc.stdout();
    let (client_exit, client_trace) = client.finish();
    assert_eq!(client_exit, Some(0), "{client_trace}");
    server.proc.wait_stdout(" desconectou\n");
    server.ctrl_c();
    server.proc.wait_stdout("[*] Servidor encerrado\n");
    let server_console = server.proc.stdout();
    let (server_exit, server_trace) = server.finish();
    Conversation {
        server_console,
        client_console,
        server: server_trace,
        client: client_trace,
        server_exit,
    }
}

/// A C compiler, for the C programs the tests compile; in CI it must be
/// here (`.ci/run` installs one).
pub fn cc_here() -> bool {
    require(runs("cc", &["--version"]), "cc (a C compiler)")
}

/// The lines of `text` that contain `needle`, for messages.
pub fn lines_with<'a>(text: &'a str, needle: &str) -> Vec<&'a str> {
    text.lines().filter(|line| line.contains(needle)).collect()
}

/// Asserts that `needles` appear in `text` in this order.
pub fn in_order(text: &str, needles: &[&str]) {
    let mut at = 0;
    for needle in needles {
        match text[at..].find(needle) {
            Some(found) => at += found + needle.len(),
            None => panic!("{needle:?} missing, or out of order, in:\n{text}"),
        }
    }
}
