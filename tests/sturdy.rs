//! The attacks of issue 15 against the `servidor` example, each reproduced
//! for real over loopback, bounded in time and count, while a well-behaved
//! client converses with the same server and loses nothing:
//!
//! - a message that never completes a character (`\xe2\x82\xe2\x82…`), and
//!   a message that ends inside one (Latin-1 text) followed by `sair`;
//! - clients that never read their replies, holding every place
//!   `--max-clients` allows;
//! - a console that stops draining (standard output, and both streams);
//! - Ctrl+C and SIGTERM with clients connected: every connection's close in
//!   the trace;
//! - control characters from a peer;
//! - `accept` out of descriptors (`EMFILE`), again and again.
//!
//! Those that run in a [`Scene`] end with its checks: threads and
//! descriptors back to their baseline exactly, resident memory within the
//! stated tolerance, a newcomer served, Ctrl+C obeyed. Linux only, like
//! `tests/hostile.rs`: the accounting reads `/proc`.

#![cfg(target_os = "linux")]

mod scene;
mod support;

use std::io::{BufRead, BufReader, ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::process::{ChildStderr, ChildStdout, Command, Stdio};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use scene::{ARENAS, RSS_TOLERANCE_KIB, Scene, Steady, descriptors, say};
use support::{DEADLINE, KillOnDrop, RawClient, example_path, line_after, usage};

/// `Servidor recebeu: `, the start of every answer.
const PREFIX: &str = "Servidor recebeu: ";

/// A client that sends a character's first two bytes, `\xe2\x82`, over and
/// over — 1 MiB of them — so that every `recv(1024)` ends inside a
/// character, while it reads the answers. Each message is bounded (1024
/// bytes and the rest of a cut character, 1027 at most) and answered: the
/// 524,288 incomplete characters come back as as many U+FFFD, a kibibyte's
/// worth at a time. The server's memory stays within a few MiB of its
/// baseline all along. (Before: 16 MB of it took the server from 2.4 MB to
/// 487 MB resident, and nothing was ever answered.)
#[test]
fn endless_cut_characters_are_answered_a_kibibyte_at_a_time() {
    const PAIRS: usize = 512 * 1024;
    // Neither the trace nor the warnings (each message would list its 512
    // invalid sequences): the attack's own output is not the point.
    let scene = Scene::new(&[], &[("RUST_LOG", "off")]);
    let attacker = RawClient::connect(scene.addr);
    let mut writer = attacker.0.try_clone().unwrap();
    let writing = std::thread::spawn(move || {
        let chunk = [0xe2u8, 0x82].repeat(8 * 1024);
        for _ in 0..PAIRS * 2 / chunk.len() {
            writer.write_all(&chunk)?;
        }
        writer.shutdown(Shutdown::Write)
    });
    let mut reader = attacker.0;
    let reading = std::thread::spawn(move || {
        let mut answers = Vec::new();
        let mut buf = [0u8; 64 * 1024];
        loop {
            match reader.read(&mut buf) {
                Ok(0) => return Ok(answers),
                Ok(n) => answers.extend_from_slice(&buf[..n]),
                Err(err) => return Err(err),
            }
        }
    });
    // The server's memory, all along the attack.
    let baseline = scene.baseline().rss_kib;
    let mut peak = baseline;
    let start = Instant::now();
    while !reading.is_finished() {
        assert!(start.elapsed() < 3 * DEADLINE, "the attack never ended");
        peak = peak.max(usage(scene.server.pid()).rss_kib);
        std::thread::sleep(Duration::from_millis(5));
    }
    writing.join().unwrap().unwrap();
    let answers = String::from_utf8(reading.join().unwrap().unwrap()).unwrap();
    let parts: Vec<&str> = answers.split(PREFIX).skip(1).collect();
    assert!(answers.starts_with(PREFIX));
    assert!(
        parts
            .iter()
            .all(|part| part.chars().all(|c| c == '\u{FFFD}'))
    );
    let replaced: usize = parts.iter().map(|part| part.chars().count()).sum();
    assert_eq!(replaced, PAIRS, "one U+FFFD per incomplete character");
    // At most 1027 bytes a message: as many answers as kibibytes, or more.
    assert!(parts.len() >= PAIRS * 2 / 1027, "{} answers", parts.len());
    let grew = peak.saturating_sub(baseline);
    assert!(
        grew <= 4 * 1024,
        "VmRSS peaked at {peak} KiB during the attack, {grew} KiB over the baseline"
    );
    say(&format!(
        "endless_cut_characters: {} answers for {PAIRS} cut characters; VmRSS peak {grew} KiB over the baseline",
        parts.len()
    ));
    scene.end(
        "endless_cut_characters_are_answered_a_kibibyte_at_a_time",
        1,
    );
}

/// A message that ends inside a character — `abc` and the first byte of
/// `â`, as Latin-1 text would send `abcâ` — is answered after a moment
/// (`abc` and U+FFFD), and the `sair` that follows still ends the
/// conversation: sent while the server waits for the rest of the
/// character, its bytes do not continue it, so they begin the next
/// message. (Before: never answered, and `sair` swallowed into it.)
#[test]
fn a_message_ending_inside_a_character_does_not_swallow_sair() {
    let scene = Scene::new(&[], &[]);
    let mut latin1 = RawClient::connect(scene.addr);
    latin1.send(b"abc\xe2");
    scene
        .server
        .wait_stderr(r#""abc\342", 1024, 0, NULL, NULL) = 4"#);
    latin1.send(b"sair");
    latin1.expect("Servidor recebeu: abc\u{FFFD}");
    latin1.expect("Conexão encerrada.");
    let mut end = [0u8; 16];
    assert_eq!(latin1.0.read(&mut end).unwrap(), 0, "the server closes");
    // The console is written by its own thread, a moment after the reply.
    scene.server.wait_stdout(": abc\u{FFFD}\n");
    scene.end(
        "a_message_ending_inside_a_character_does_not_swallow_sair",
        1,
    );
}

/// `--max-clients 4` (the steady client holds one place) and
/// `--send-timeout 1`: three clients send and never read, until the
/// server, its replies filling their receive buffers and its own send
/// buffers, blocks in `send`, and they hold every place left. A fourth
/// client waits in the accept queue. After the send timeout each reader
/// that never read is disconnected (`Erro: …`, `EAGAIN`, and the trace
/// says the peer read nothing), its place freed, and the waiting client is
/// served. (Before: no send timeout, the places held forever.)
#[test]
fn clients_that_never_read_are_let_go_after_the_send_timeout() {
    const DEAF: usize = 3;
    let scene = Scene::new(&["--max-clients", "4", "--send-timeout", "1"], &[]);
    let deaf: Vec<socket2::Socket> = (0..DEAF).map(|_| deaf_client(scene.addr)).collect();
    scene.wait_extra_threads(DEAF);
    let stuffing: Vec<JoinHandle<socket2::Socket>> = deaf
        .into_iter()
        .map(|socket| std::thread::spawn(move || stuff(socket)))
        .collect();
    let deaf: Vec<socket2::Socket> = stuffing.into_iter().map(|t| t.join().unwrap()).collect();
    // Every place is taken: the next client waits in the accept queue.
    let start = Instant::now();
    let mut waiting = RawClient::connect(scene.addr);
    waiting.exchange("esperei a minha vez");
    let waited = start.elapsed();
    waiting.leave();
    let out = scene.server.wait_until("three send timeouts", |out, _| {
        out.matches("Erro: ").count() == DEAF
    });
    for line in out.lines().filter(|l| l.starts_with("Erro: ")) {
        assert!(line.contains("EAGAIN"), "{line}");
        assert!(line.contains("has read nothing"), "{line}");
    }
    // SO_SNDTIMEO on each connection: the steady client's, the three
    // that never read, the one that waited.
    let trace = scene.server.stderr();
    assert_eq!(trace.matches("SO_SNDTIMEO_OLD, ").count(), DEAF + 2);
    drop(deaf);
    say(&format!(
        "clients_that_never_read: the waiting client served after {waited:.2?}"
    ));
    scene.end(
        "clients_that_never_read_are_let_go_after_the_send_timeout",
        DEAF + 1,
    );
}

/// A client with a small receive buffer, connected.
fn deaf_client(addr: SocketAddr) -> socket2::Socket {
    let socket = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).unwrap();
    socket.set_recv_buffer_size(4096).unwrap();
    socket.connect(&addr.into()).unwrap();
    socket.set_nonblocking(true).unwrap();
    socket
}

/// Sends 1 KiB messages and reads nothing, until the server has not read
/// for 300 ms: it is blocked sending replies nobody reads. Bounded by
/// [`DEADLINE`].
fn stuff(socket: socket2::Socket) -> socket2::Socket {
    let message = [b'x'; 1024];
    let start = Instant::now();
    let mut stuck_since: Option<Instant> = None;
    loop {
        assert!(
            start.elapsed() < DEADLINE,
            "the server never stopped reading"
        );
        match socket.send(&message) {
            Ok(_) => stuck_since = None,
            Err(err) if err.kind() == ErrorKind::WouldBlock => {
                let since = *stuck_since.get_or_insert_with(Instant::now);
                if since.elapsed() >= Duration::from_millis(300) {
                    return socket;
                }
                std::thread::sleep(Duration::from_millis(1));
            }
            // The server let it go already (a slow machine): it reset the
            // connection, with this client's bytes unread.
            Err(err)
                if matches!(
                    err.kind(),
                    ErrorKind::ConnectionReset | ErrorKind::BrokenPipe
                ) =>
            {
                return socket;
            }
            Err(err) => panic!("send: {err}"),
        }
    }
}

/// A `servidor` whose standard output (and, with `stall_trace`, standard
/// error) nobody reads after its first two lines: a pipe that stopped
/// draining, as `servidor | less` or Ctrl+S in a terminal.
struct Stalled {
    child: KillOnDrop,
    addr: SocketAddr,
    stdout: Option<BufReader<ChildStdout>>,
    stderr: Option<ChildStderr>,
    /// Standard error, when it is drained.
    trace: Arc<Mutex<Vec<u8>>>,
}

impl Stalled {
    fn start(stall_trace: bool) -> Stalled {
        let mut child = KillOnDrop(
            Command::new(example_path("servidor"))
                .args(["127.0.0.1", "0", "--backlog", "128"])
                .env("SOCKET_LIFECYCLE_LANG", "en")
                .env("MALLOC_ARENA_MAX", ARENAS.to_string())
                .env_remove("RUST_LOG")
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap(),
        );
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut ready = String::new();
        while !ready.ends_with("[*] Aguardando conexões...\n") {
            assert!(stdout.read_line(&mut ready).unwrap() > 0, "{ready}");
        }
        let addr = line_after(&ready, "[*] Servidor ouvindo em ")
            .and_then(|a| a.parse().ok())
            .unwrap();
        let trace = Arc::new(Mutex::new(Vec::new()));
        let mut stderr = child.stderr.take();
        if !stall_trace && let Some(mut stream) = stderr.take() {
            let trace = Arc::clone(&trace);
            std::thread::spawn(move || {
                let mut buf = [0u8; 64 * 1024];
                while let Ok(n @ 1..) = stream.read(&mut buf) {
                    trace
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .extend_from_slice(&buf[..n]);
                }
            });
        }
        Stalled {
            child,
            addr,
            stdout: Some(stdout),
            stderr,
            trace,
        }
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Starts reading standard output again; returns what it will hold.
    fn drain_stdout(&mut self) -> Arc<Mutex<Vec<u8>>> {
        let out = Arc::new(Mutex::new(Vec::new()));
        if let Some(mut stream) = self.stdout.take() {
            let out = Arc::clone(&out);
            std::thread::spawn(move || {
                let mut buf = [0u8; 64 * 1024];
                while let Ok(n @ 1..) = stream.read(&mut buf) {
                    out.lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .extend_from_slice(&buf[..n]);
                }
            });
        }
        out
    }

    fn trace(&self) -> String {
        let trace = self.trace.lock().unwrap_or_else(PoisonError::into_inner);
        String::from_utf8_lossy(&trace).into_owned()
    }

    /// Sends `signal` (`INT`, `TERM`) and waits for the exit, at most
    /// [`DEADLINE`]: the exit code.
    fn stop(&mut self, signal: &str) -> Option<i32> {
        signal_process(self.pid(), signal);
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code();
            }
            assert!(
                start.elapsed() < DEADLINE,
                "the server did not stop on SIG{signal} with its output stalled"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

/// `kill -SIGNAL pid`.
fn signal_process(pid: u32, signal: &str) {
    let status = Command::new("kill")
        .args([&format!("-{signal}"), &pid.to_string()])
        .status()
        .unwrap();
    assert!(status.success(), "kill -{signal} {pid}");
}

/// A client that sends `count` messages of a kilobyte, each answered and
/// checked: over a megabyte of console lines.
fn flood(addr: SocketAddr, count: usize) {
    let mut flooder = RawClient::connect(addr);
    let filler = "x".repeat(1000);
    for i in 0..count {
        flooder.exchange(&format!("flood {i:04} {filler}"));
    }
    flooder.leave();
}

/// Standard output stops draining while a client floods the console with
/// a megabyte of lines: every conversation goes on (the flooder's answers
/// all come, the steady client keeps talking) — once 256 KiB wait and the
/// stream has taken nothing for a second, lines are dropped instead of
/// waited for; the threads, descriptors and memory come back to their
/// baseline; once standard output drains again the count of lines not
/// shown is said in their place; and Ctrl+C still stops the server.
/// (Before: every conversation stopped after about 48 messages, and Ctrl+C
/// waited behind them.)
#[test]
fn a_stalled_console_blocks_no_conversation() {
    let mut server = Stalled::start(false);
    let steady = Steady::start(server.addr);
    let (baseline, open) = (usage(server.pid()), descriptors(server.pid()));
    let before = steady.exchanges();
    flood(server.addr, 1000);
    let during = steady.exchanges() - before;
    assert!(during > 0, "the steady client waited through the flood");
    // The flooder's thread gone, its descriptor closed, memory back.
    let start = Instant::now();
    while usage(server.pid()).threads != baseline.threads || descriptors(server.pid()) != open {
        assert!(start.elapsed() < DEADLINE, "{}", server.trace());
        std::thread::sleep(Duration::from_millis(10));
    }
    let after = usage(server.pid());
    let grew = after.rss_kib.saturating_sub(baseline.rss_kib);
    assert!(
        grew <= RSS_TOLERANCE_KIB,
        "VmRSS {grew} KiB over the baseline"
    );

    let out = server.drain_stdout();
    let text = || {
        String::from_utf8_lossy(&out.lock().unwrap_or_else(PoisonError::into_inner)).into_owned()
    };
    // Until the stream has drained and a line is kept again (the count of
    // the dropped ones said before it), a new line may still be dropped:
    // the stream was stopped when it came.
    let start = Instant::now();
    while !text().contains("[!] ") {
        assert!(start.elapsed() < DEADLINE, "no gap said: {}", text());
        std::thread::sleep(Duration::from_millis(5));
    }
    let mut later = RawClient::connect(server.addr);
    later.exchange("depois");
    later.leave();
    let start = Instant::now();
    while !text().contains(": depois\n") {
        assert!(start.elapsed() < DEADLINE, "{}", text());
        std::thread::sleep(Duration::from_millis(5));
    }
    let shown = text();
    // Said where they were dropped: a count before the line kept after
    // them (a short line may fit where a long one did not, so there may be
    // several gaps). Every flood line is shown or counted.
    let notices: Vec<(usize, usize)> = shown
        .match_indices("[!] ")
        .filter_map(|(at, _)| {
            let line = shown[at..].lines().next()?;
            let count = line
                .strip_suffix(" console lines not shown: standard output was not draining")
                .or_else(|| {
                    line.strip_suffix(" console line not shown: standard output was not draining")
                })?;
            Some((at, count[4..].parse().ok()?))
        })
        .collect();
    assert!(
        !notices.is_empty(),
        "no notice of the dropped lines:\n{shown}"
    );
    let dropped: usize = notices.iter().map(|(_, n)| n).sum();
    let floods = shown.matches(": flood ").count();
    assert!(floods < 1000, "{floods} flood lines shown");
    assert!(
        floods + dropped >= 1000,
        "{floods} flood lines shown, {dropped} counted as not shown"
    );
    let depois = shown.find(": depois\n").unwrap_or(0);
    assert!(notices.iter().all(|(at, _)| *at < depois));
    steady.finish();
    assert_eq!(server.stop("INT"), Some(0), "{}", server.trace());
    say(&format!(
        "a_stalled_console: steady client {during} exchanges during the flood; {floods} flood lines shown, {dropped} lines not shown ({} gaps); VmRSS {} → {} KiB",
        notices.len(),
        baseline.rss_kib,
        after.rss_kib
    ));
}

/// Neither standard output nor standard error drains, and a client floods
/// both: the conversations go on, and Ctrl+C still stops the server, with
/// exit code 0 — its last lines wait at most a second for a stream that
/// will not take them. SIGTERM likewise.
#[test]
fn a_stalled_console_and_trace_block_no_shutdown() {
    for signal in ["INT", "TERM"] {
        let mut server = Stalled::start(true);
        let steady = Steady::start(server.addr);
        let before = steady.exchanges();
        flood(server.addr, 1000);
        assert!(steady.exchanges() > before, "the steady client waited");
        steady.finish();
        let start = Instant::now();
        assert_eq!(server.stop(signal), Some(0));
        let took = start.elapsed();
        drop(server.stderr.take());
        say(&format!(
            "a_stalled_console_and_trace: SIG{signal} stopped the server in {took:.2?}"
        ));
    }
}

/// Ctrl+C and SIGTERM with three clients connected — one that talked, one
/// silent, one whose replies the server is blocked sending: each client's
/// socket is shut (`shutdown(SHUT_RDWR)`), which wakes its thread, and
/// each thread closes its connection — every close in the trace, every
/// `desconectou` on the console — before `[*] Servidor encerrado`. Exit
/// code 0. (Before: SIGTERM killed the server with neither; Ctrl+C left
/// the connections to the kernel, out of the trace.)
#[test]
fn every_connection_is_closed_in_the_trace_on_ctrl_c_and_sigterm() {
    for signal in ["INT", "TERM"] {
        let (mut server, addr) = support::rust_server(&[]);
        let mut talked = RawClient::connect(addr);
        talked.exchange("ola");
        let mut silent = RawClient::connect(addr);
        let deaf = stuff(deaf_client(addr));
        server.wait_until("three clients", |out, _| {
            out.matches("[+] Nova conexão").count() == 3
        });
        signal_process(server.pid(), signal);
        let status = server.wait_exit();
        assert_eq!(status.code(), Some(0), "{}", server.dump_tail(30));
        let out = server.stdout();
        assert!(out.ends_with("\n[*] Servidor encerrado\n"), "{out}");
        let goodbye = out.find("\n[*] Servidor encerrado\n").unwrap();
        assert_eq!(out[..goodbye].matches(" desconectou\n").count(), 3, "{out}");
        let trace = server.stderr();
        for n in 1..=3 {
            let label = format!("[servidor#{n}] ");
            let shut = format!("{label}Connected → Connected: shutdown(");
            let closed = format!("{label}Connected → Closed: close(");
            assert!(trace.contains(&shut), "{shut}\n{}", server.dump_tail(40));
            assert!(
                trace.contains(&closed),
                "{closed}\n{}",
                server.dump_tail(40)
            );
        }
        assert!(trace.contains("on the 3 connected clients' sockets"));
        // The clients see the end: a FIN, or a reset where bytes they sent
        // were never read.
        let mut buf = [0u8; 16];
        assert_eq!(talked.0.read(&mut buf).unwrap(), 0);
        assert_eq!(silent.0.read(&mut buf).unwrap(), 0);
        drop(deaf);
        say(&format!(
            "SIG{signal}: three connections shut and closed, in the trace"
        ));
    }
}

/// A peer's control characters — a newline and a fake `[*] Servidor
/// encerrado`, a carriage return, a terminal's escape sequence that clears
/// the screen, a bell, a C1 control — are shown escaped on the console,
/// on the one line of its message; the answer on the wire is the message
/// as it came. (Before: they reached the console verbatim.)
#[test]
fn control_characters_from_a_peer_are_escaped_on_the_console() {
    let scene = Scene::new(&[], &[]);
    let mut sly = RawClient::connect(scene.addr);
    let message = "olá\n[*] Servidor encerrado\r\x1b[2J\x07\u{9b}fim";
    sly.exchange(message);
    let who = format!("('127.0.0.1', {})", sly.0.local_addr().unwrap().port());
    sly.leave();
    let out = scene
        .server
        .wait_stdout(&format!("[-] {who} desconectou\n"));
    let shown =
        format!("Cliente {who}: olá\\n[*] Servidor encerrado\\r\\x1b[2J\\x07\\u{{9b}}fim\n");
    assert!(out.contains(&shown), "{out}");
    assert!(!out.contains("\n[*] Servidor encerrado"), "{out}");
    assert!(!out.contains('\x1b') && !out.contains('\r'), "{out}");
    scene.end(
        "control_characters_from_a_peer_are_escaped_on_the_console",
        1,
    );
}

/// The server's descriptors limited to 32 (`ulimit -n`), and 40 clients
/// that connect and stay silent: `accept` runs out of descriptors
/// (`EMFILE`) while the rest wait in the accept queue. For the next 3 s
/// the server tries again after a pause that doubles to a second — a
/// handful of failed `accept4` lines in the trace — and warns once, not
/// ten times a second. When the silent clients leave, `accept` works
/// again, says so, and takes those still queued. (Before: a warning and a
/// trace line every 100 ms, 5 KB/s.)
#[test]
fn an_emfile_storm_is_told_once_and_paced() {
    const SILENT: usize = 40;
    let scene = Scene::with_descriptor_limit(32, &[]);
    let silent: Vec<TcpStream> = (0..SILENT)
        .map(|_| TcpStream::connect(scene.addr).unwrap())
        .collect();
    let trace = scene.server.wait_stderr("runs out of descriptors");
    let failed_before = trace.matches("= -1 EMFILE").count();
    std::thread::sleep(Duration::from_secs(3));
    let trace = scene.server.stderr();
    let failed = trace.matches("= -1 EMFILE").count() - failed_before;
    assert!(
        (1..=8).contains(&failed),
        "{failed} failed accepts in 3 s\n{}",
        scene.server.dump_tail(30)
    );
    assert_eq!(trace.matches("runs out of descriptors").count(), 1);
    drop(silent);
    scene.server.wait_stderr("accept() works again, after ");
    say(&format!(
        "an_emfile_storm: {failed} failed accepts in 3 s, one warning"
    ));
    scene.end("an_emfile_storm_is_told_once_and_paced", SILENT);
}
