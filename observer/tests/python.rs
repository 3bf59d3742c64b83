//! The report's own programs, `servidor.py` and `cliente.py`, traced by the
//! observer through a whole conversation — `ola`, then `sair` — and the
//! server stopped with Ctrl+C: the report's three phases with the kernel's
//! states, narrated in English and in Portuguese; the same story as
//! strace's; the canonical rendering the same on every run; JSON Lines;
//! the lifecycle checks; and the exit status passed through.

#![cfg(target_os = "linux")]

mod common;

use std::sync::OnceLock;

use common::support::free_port;
use common::{
    Conversation, Under, Watched, agrees, converse, in_order, observer, python3_here, repo,
    strace_here,
};
use socket_lifecycle::render::redact_ports;

/// One conversation of the report's programs, each under `under`. The
/// server prints the port it was given, so the port is chosen here; should
/// another program take it in between, the server says `Erro: …` and is
/// started again on another (at most five times).
fn conversation(under: Under, server_extra: &[&str]) -> Conversation {
    let args = |script: &str, port: &str| {
        let script = repo(script).to_string_lossy().into_owned();
        vec![
            "-u".to_string(),
            script,
            "127.0.0.1".to_string(),
            port.to_string(),
        ]
    };
    for _ in 0..5 {
        let port = free_port().to_string();
        let server_args = args("tests/fixtures/servidor.py", &port);
        let server_args: Vec<&str> = server_args.iter().map(String::as_str).collect();
        let mut server =
            Watched::start(under, "servidor.py", "python3", &server_args, server_extra);
        let out = server
            .proc
            .wait_until("servidor.py to start or fail", |out, _| {
                out.contains("[*] Aguardando conexões...\n") || out.contains("Erro:")
            });
        if !out.contains("[*] Aguardando conexões...\n") {
            continue;
        }
        server.proc.expect("[*] Aguardando conexões...\n");
        let client_args = args("tests/fixtures/cliente.py", &port);
        let client_args: Vec<&str> = client_args.iter().map(String::as_str).collect();
        let client = Watched::start(under, "cliente.py", "python3", &client_args, &[]);
        return converse(server, client);
    }
    panic!("servidor.py did not start on five free ports");
}

/// The conversation under the observer, in English, with its events in
/// JSON too: shared by the tests that read it.
fn observed() -> &'static (Conversation, String) {
    static RUN: OnceLock<(Conversation, String)> = OnceLock::new();
    RUN.get_or_init(|| {
        let json = common::temp("events.jsonl");
        let json_arg = json.to_string_lossy().into_owned();
        let run = conversation(observer("en"), &["--json", &json_arg]);
        let events = std::fs::read_to_string(&json).unwrap_or_default();
        let _ = std::fs::remove_file(&json);
        (run, events)
    })
}

#[test]
fn the_conversation_is_told_in_the_reports_three_phases() {
    if !python3_here() {
        return;
    }
    let (run, _) = observed();
    // The programs' own consoles pass through untouched.
    assert!(
        run.server_console.contains("Cliente ('127.0.0.1', "),
        "{}",
        run.server_console
    );
    assert!(
        run.client_console
            .contains("Servidor: Servidor recebeu: ola")
    );
    // Ctrl+C reached the server as it would without the observer, and its
    // exit status is the observer's.
    assert_eq!(run.server_exit, Some(0));
    let server = &run.server;
    in_order(
        server,
        &[
            // 1. Preparation.
            "[servidor.py] - → Created: socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_IP) = 3  [CLOSE]",
            "setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0",
            "SO_REUSEADDR on: bind may take a port",
            "[servidor.py] Created → Bound: bind(3, {sa_family=AF_INET",
            "[servidor.py] Bound → Listening: listen(3, 5) = 0  [LISTEN, accept queue 0/5]",
            "listen(): listening on 127.0.0.1:",
            // 2. Connection and communication.
            "[servidor.py] Listening → Listening: accept4(3, {sa_family=AF_INET",
            "SOCK_CLOEXEC) = 4  [LISTEN, accept queue 0/5; servidor.py#1 ESTABLISHED]",
            "it is the new socket servidor.py#1",
            "[servidor.py#1] Connected → Connected: recvfrom(4, \"ola\", 1024, 0, NULL, NULL) = 3",
            "[servidor.py#1] Connected → Connected: sendto(4, \"Servidor recebeu: ola\", 21, 0, NULL, 0) = 21",
            "send(): 21 bytes handed to the kernel's send buffer",
            "recvfrom(4, \"sair\", 1024, 0, NULL, NULL) = 4",
            // 3. Close: the connection, then the listener on Ctrl+C.
            "[servidor.py#1] Connected → Closed: close(4) = 0  [kernel: ",
            "[servidor.py] Listening → Closed: close(3) = 0",
            "the listener is gone: new connections are refused",
            // The sequence diagram at the end.
            "1. preparation",
            "2. connection and communication",
            "3. close",
        ],
    );
    in_order(
        &run.client,
        &[
            "[cliente.py] - → Created: socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_IP) = 3",
            "[cliente.py] Created → Connected: connect(3, {sa_family=AF_INET",
            "= 0  [ESTABLISHED]",
            "three-way handshake (SYN → SYN-ACK → ACK) done: 127.0.0.1:",
            "sendto(3, \"ola\", 3, 0, NULL, 0) = 3",
            "recvfrom(3, \"Servidor recebeu: ola\", 1024, 0, NULL, NULL) = 21",
            "sendto(3, \"sair\", 4, 0, NULL, 0) = 4",
            "[cliente.py] Connected → Closed: close(3) = 0  [kernel: ",
            "SYN  connect()",
        ],
    );
    // The report's client closes right after sending `sair`, while the
    // server answers it: whether the answer arrived first is timing, and
    // the close says which happened — its FIN first, or a reset for the
    // answer's unread bytes.
    let close = run
        .client
        .split_once("[cliente.py] Connected → Closed: close(3) = 0")
        .and_then(|(_, after)| after.lines().nth(1))
        .unwrap_or_default();
    assert!(
        close.contains("this side closes first: its FIN leaves")
            || close.contains(
                "bytes never read: the kernel throws them away and resets the connection (RST)"
            ),
        "{close}"
    );
}

#[test]
fn the_events_are_json_lines_of_schema_version_1() {
    if !python3_here() {
        return;
    }
    let (_, json) = observed();
    let events: Vec<serde_json::Value> = json
        .lines()
        .map(|line| serde_json::from_str(line).expect("a JSON line"))
        .collect();
    assert!(events.len() >= 9, "{json}");
    assert!(events.iter().all(|e| e["version"] == 1));
    let listen = events
        .iter()
        .find(|e| e["call"] == "listen")
        .expect("a listen");
    assert_eq!(listen["socket"], "servidor.py");
    assert_eq!(listen["strace"], "listen(3, 5) = 0");
    assert_eq!(listen["tcp_state"], "LISTEN");
    assert_eq!(listen["before"], "Bound");
    assert_eq!(listen["after"], "Listening");
    assert!(
        listen["narration"]
            .as_str()
            .is_some_and(|n| n.starts_with("listen(): listening on"))
    );
    let seqs: Vec<u64> = events.iter().filter_map(|e| e["seq"].as_u64()).collect();
    assert!(seqs.windows(2).all(|w| w[0] < w[1]), "{seqs:?}");
}

#[test]
fn the_conversation_agrees_with_strace() {
    if !python3_here() || !strace_here() {
        return;
    }
    let (observed, _) = observed();
    let straced = conversation(Under::Strace, &[]);
    // Two runs of the same programs with the same input: only the ports
    // the kernel picked differ.
    for (record, trace, side) in [
        (&straced.server, &observed.server, "servidor.py"),
        (&straced.client, &observed.client, "cliente.py"),
    ] {
        let calls = agrees(side, record, trace);
        assert!(calls >= 6, "{side}: only {calls} calls");
    }
}

#[test]
fn the_canonical_conversation_is_the_same_in_20_runs() {
    if !python3_here() {
        return;
    }
    let canonical = || {
        let run = conversation(
            Under::Observer {
                lang: "pt",
                redacted: true,
            },
            &[],
        );
        format!("{}\n{}", run.server, run.client)
    };
    let first = canonical();
    for run in 2..=20 {
        let again = canonical();
        if again != first {
            let diff: Vec<String> = first
                .lines()
                .zip(again.lines())
                .filter(|(a, b)| a != b)
                .map(|(a, b)| format!("- {a}\n+ {b}"))
                .collect();
            panic!("run {run} differs from run 1:\n{}", diff.join("\n"));
        }
    }
    insta::assert_snapshot!("python_conversation_pt", first);
}

#[test]
fn a_failed_check_makes_the_exit_status_non_zero_and_says_why() {
    if !python3_here() {
        return;
    }
    // A server that binds without SO_REUSEADDR and never closes its socket.
    let script = "import socket\ns = socket.socket()\ns.bind(('127.0.0.1', 0))\ns.listen(5)\nimport os\nos._exit(0)\n";
    let run = Watched::start(
        observer("en"),
        "check",
        "python3",
        &["-c", script],
        &["--check"],
    );
    let (code, trace) = run.finish();
    assert_eq!(code, Some(1), "{trace}");
    assert!(
        trace.contains("✗ a server sets SO_REUSEADDR before bind()"),
        "{trace}"
    );
    assert!(
        trace.contains("✗ every socket is closed by the end"),
        "{trace}"
    );
    assert!(
        trace.contains("call setsockopt(SO_REUSEADDR, 1) between socket() and bind()"),
        "{trace}"
    );
    // The same program, corrected, passes.
    let fixed = "import socket\ns = socket.socket()\ns.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\ns.bind(('127.0.0.1', 0))\ns.listen(5)\ns.close()\n";
    let run = Watched::start(
        observer("pt"),
        "check-fixed",
        "python3",
        &["-c", fixed],
        &["--check"],
    );
    let (code, trace) = run.finish();
    assert_eq!(code, Some(0), "{trace}");
    assert!(!trace.contains('✗'), "{trace}");
}

#[test]
fn the_exit_status_is_the_programs() {
    if !python3_here() {
        return;
    }
    let observe =
        |args: &[&str]| Watched::start(observer("en"), "exit", args[0], &args[1..], &[]).finish();
    assert_eq!(
        observe(&["python3", "-c", "import sys; sys.exit(3)"]).0,
        Some(3)
    );
    let mut missing = Watched::start(observer("en"), "missing", "/nonexistent/servidor", &[], &[]);
    let status = missing.proc.wait_exit();
    assert_eq!(status.code(), Some(127));
    assert!(
        missing
            .proc
            .stderr()
            .contains("cannot trace /nonexistent/servidor"),
        "{}",
        missing.proc.stderr()
    );
}

#[test]
fn the_readme_excerpt_is_real_output() {
    if !python3_here() {
        return;
    }
    let readme = std::fs::read_to_string(repo("README.md")).expect("README.md");
    let (_, block) = readme
        .split_once("<!-- observer excerpt: servidor.py, en -->\n```text\n")
        .expect("the README's observer excerpt");
    let (block, _) = block.split_once("```").expect("its end");
    // The excerpt's server listened on 8888, this run's on a free port; the
    // clients' ports are the kernel's.
    let normal = |text: &str| redact_ports(&text.replace("8888", "<port>"));
    let (run, _) = observed();
    let trace = normal(&run.server);
    let lines: Vec<&str> = block.lines().collect();
    assert!(lines.len() >= 10);
    for line in lines {
        assert!(
            trace.lines().any(|real| real == normal(line)),
            "not in a real run: {line}\n── the run:\n{trace}"
        );
    }
}

#[test]
fn a_blocking_wait_on_a_socket_shows_as_such() {
    if !python3_here() {
        return;
    }
    // select() on the listener, then a receive with a time limit: Python
    // waits in poll() before its recv, once in vain and once with data.
    let script = "\
import socket, select
l = socket.socket(); l.bind(('127.0.0.1', 0)); l.listen(1)
c = socket.socket(); c.connect(l.getsockname())
select.select([l], [], [], 5)
a, _ = l.accept()
a.settimeout(0.05)
try:
    a.recv(10)
except socket.timeout:
    pass
c.send(b'ola')
a.recv(10)
c.close(); a.close(); l.close()
";
    let run = Watched::start(observer("en"), "wait", "python3", &["-c", script], &[]);
    let (code, trace) = run.finish();
    assert_eq!(code, Some(0), "{trace}");
    in_order(
        &trace,
        &[
            "[python3] Listening → Listening: pselect6(4, [3], NULL, NULL, {tv_sec=5, tv_nsec=0}, NULL) = 1 (in [3])",
            "pselect6(): the program waited until this socket had something to read (data, a connection to accept, or the peer's FIN) for at most 5 s; it can read now",
            "accept4(3, ",
            "[python3#1] Connected → Connected: poll([{fd=5, events=POLLIN}], 1, 50) = 0 (Timeout)",
            "the time limit passed first: nothing is ready",
            "poll([{fd=5, events=POLLIN}], 1, 50) = 1 ([{fd=5, revents=POLLIN}])",
            "recvfrom(5, \"ola\", 10, 0, NULL, NULL) = 3",
            "pselect6(): waited, ready",
        ],
    );
}

#[test]
fn a_udp_exchange_agrees_with_strace() {
    if !python3_here() {
        return;
    }
    let script = "\
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(('127.0.0.1', 0))
c = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
c.sendto(b'ola', s.getsockname())
data, addr = s.recvfrom(1024)
s.sendto(b'oi', addr)
c.recv(1024)
c.close(); s.close()
";
    let observed = Watched::start(observer("en"), "udp", "python3", &["-c", script], &[]).finish();
    assert_eq!(observed.0, Some(0), "{}", observed.1);
    in_order(
        &observed.1,
        &[
            "[python3] - → Created: socket(AF_INET, SOCK_DGRAM|SOCK_CLOEXEC, IPPROTO_IP) = 3",
            "[python3-2] Created → Bound: sendto(4, \"ola\", 3, 0, {sa_family=AF_INET",
            "the kernel bound it to 0.0.0.0:",
            "[python3] Bound → Bound: recvfrom(3, \"ola\", 1024, 0, {sa_family=AF_INET",
            "}, [16]) = 3",
            "recvfrom(4, \"oi\", 1024, 0, NULL, NULL) = 2",
        ],
    );
    if !strace_here() {
        return;
    }
    let straced = Watched::start(Under::Strace, "udp", "python3", &["-c", script], &[]).finish();
    let calls = agrees("udp", &straced.1, &observed.1);
    assert_eq!(calls, 9);
}
