//! A C server that forks a child per client (`servidor_fork.c`) and a C
//! client (`cliente.c`), compiled with the system's `cc` by the test,
//! traced by the observer through the report's conversation: the three
//! phases with every kernel state the order of calls makes certain
//! (LISTEN, ESTABLISHED, CLOSE_WAIT, TIME_WAIT), a socket followed across
//! `fork` (the parent's close of its copy sends nothing; the child's close
//! of the listener leaves it listening), `read`/`write` on a socket told
//! as the receive and send they are; the server narrated in English, the
//! client in Portuguese; the same story as strace's; and the comparer
//! shown failing on a trace that tells it wrong.

#![cfg(target_os = "linux")]

mod common;

use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

use common::support::line_after;
use common::{
    Conversation, Under, Watched, agrees, cc_here, compare_observed as compare, converse, fixture,
    in_order, observer, strace_here,
};
use socket_lifecycle::render::redact_ports;

/// `NAME.c` from the fixtures, compiled with `cc` into a temporary folder.
fn compiled(name: &str) -> PathBuf {
    let dir = common::temp("c");
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    let out = dir.join(name);
    let status = Command::new("cc")
        .arg("-o")
        .arg(&out)
        .arg(fixture(&format!("{name}.c")))
        .status()
        .expect("cc, the system's C compiler (gcc on Debian: apt-get install gcc)");
    assert!(status.success(), "cc {name}.c failed");
    out
}

/// The two programs, compiled once.
fn programs() -> &'static (PathBuf, PathBuf) {
    static PROGRAMS: OnceLock<(PathBuf, PathBuf)> = OnceLock::new();
    PROGRAMS.get_or_init(|| (compiled("servidor_fork"), compiled("cliente")))
}

/// One conversation: the server on a port the kernel picks, the client
/// says `ola` then `sair`, and Ctrl+C stops the server.
fn chat(server_under: Under, client_under: Under) -> Conversation {
    let (servidor, cliente) = programs();
    let servidor = servidor.to_string_lossy().into_owned();
    let cliente = cliente.to_string_lossy().into_owned();
    let mut server = Watched::start(
        server_under,
        "servidor_fork",
        &servidor,
        &["127.0.0.1", "0"],
        &[],
    );
    let out = server.proc.expect("[*] Aguardando conexões...\n");
    let port = line_after(&out, "[*] Servidor ouvindo em 127.0.0.1:")
        .unwrap_or_else(|| panic!("no port printed:\n{out}"))
        .to_string();
    let client = Watched::start(
        client_under,
        "cliente",
        &cliente,
        &["127.0.0.1", &port],
        &[],
    );
    let chat = converse(server, client);
    assert_eq!(chat.server_exit, Some(0), "{}", chat.server);
    chat
}

/// The conversation under the observer: the server in English, the client
/// in Portuguese.
fn observed() -> &'static Conversation {
    static RUN: OnceLock<Conversation> = OnceLock::new();
    RUN.get_or_init(|| {
        let en = observer("en");
        let pt = observer("pt");
        chat(en, pt)
    })
}

/// The same conversation under strace.
fn straced() -> &'static Conversation {
    static RUN: OnceLock<Conversation> = OnceLock::new();
    RUN.get_or_init(|| chat(Under::Strace, Under::Strace))
}

#[test]
fn the_forking_server_is_followed_across_fork() {
    if !cc_here() {
        return;
    }
    let run = observed();
    assert!(
        run.server_console.contains("Cliente ('127.0.0.1', "),
        "{}",
        run.server_console
    );
    let server = &run.server;
    // The listener's life, in the parent: the three phases.
    in_order(
        server,
        &[
            "[servidor_fork] - → Created: socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 3  [CLOSE]",
            "setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0",
            "[servidor_fork] Created → Bound: bind(3, {sa_family=AF_INET, sin_port=htons(0), sin_addr=inet_addr(\"127.0.0.1\")}, 16) = 0",
            "port 0 asked the kernel for a free port",
            "[servidor_fork] Bound → Listening: listen(3, 5) = 0  [LISTEN, accept queue 0/5]",
            "[servidor_fork] Listening → Listening: accept(3, {sa_family=AF_INET",
            "[16]) = 4  [LISTEN, accept queue 0/5; servidor_fork#1 ESTABLISHED]",
            "[servidor_fork] Listening → Closed: close(3) = 0",
            "the listener is gone",
        ],
    );
    // The parent's copy of the connection: its close sends nothing.
    in_order(
        server,
        &[
            "[servidor_fork#1] Connected → Connected: close(4) = 0  [kernel: ESTABLISHED]",
            "another descriptor (a dup, or a child process) keeps the socket open, so nothing was sent",
        ],
    );
    // The child's copy of the listener: closed, it goes on listening.
    in_order(
        server,
        &[
            "[servidor_fork] Listening → Listening: close(3) = 0  [kernel: LISTEN]",
            "still holds the listener: it goes on listening",
        ],
    );
    // The child's conversation, with read() and write(): the peer's FIN
    // (CLOSE_WAIT, certain: the client shut its side first), then the
    // close that answers it.
    in_order(
        server,
        &[
            "[servidor_fork#1] Connected → Connected: read(4, \"ola\", 1024) = 3",
            "recv(): 3 bytes received",
            "write(4, \"Servidor recebeu: ola\", 21) = 21",
            "send(): 21 bytes handed to the kernel's send buffer",
            "read(4, \"sair\", 1024) = 4",
            "write(4, \"Conex\\303\\243o encerrada.\", 19) = 19",
            "read(4, \"\", 1024) = 0  [CLOSE_WAIT]",
            "the peer closed its sending side (its FIN arrived)",
            "[servidor_fork#1] Connected → Closed: close(4) = 0  [kernel: ",
            "the peer had closed first: this side's FIN answers its FIN",
            "1. preparation",
            "2. connection and communication",
            "3. close",
        ],
    );
}

#[test]
fn the_client_ends_in_time_wait_in_portuguese() {
    if !cc_here() {
        return;
    }
    let run = observed();
    assert!(
        run.client_console.contains("Servidor: Conexão encerrada."),
        "{}",
        run.client_console
    );
    in_order(
        &run.client,
        &[
            "[cliente] - → Created: socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 3  [CLOSE]",
            "socket(): um novo ponto de comunicação TCP",
            "[cliente] Created → Connected: connect(3, {sa_family=AF_INET",
            "= 0  [ESTABLISHED]",
            "sendto(3, \"ola\", 3, 0, NULL, 0) = 3",
            "recvfrom(3, \"Servidor recebeu: ola\", 1024, 0, NULL, NULL) = 21",
            "sendto(3, \"sair\", 4, 0, NULL, 0) = 4",
            "shutdown(3, SHUT_WR) = 0",
            "shutdown(SHUT_WR): FIN enviado",
            "recvfrom(3, \"Conex\\303\\243o encerrada.\", 1024, 0, NULL, NULL) = 19",
            "recvfrom(3, \"\", 1024, 0, NULL, NULL) = 0",
            "o kernel mantém a conexão em TIME_WAIT",
            "[cliente] Connected → Closed: close(3) = 0  [kernel: TIME_WAIT]",
            "1. preparação",
            "2. conexão e comunicação",
            "3. encerramento",
        ],
    );
}

#[test]
fn the_c_programs_agree_with_strace() {
    if !cc_here() || !strace_here() {
        return;
    }
    let (observed, straced) = (observed(), straced());
    for (record, trace, side) in [
        (&straced.server, &observed.server, "servidor_fork"),
        (&straced.client, &observed.client, "cliente"),
    ] {
        let calls = agrees(side, record, trace);
        assert!(calls >= 9, "{side}: only {calls} calls");
    }
}

#[test]
fn the_comparer_fails_on_a_trace_that_tells_it_wrong() {
    if !cc_here() || !strace_here() {
        return;
    }
    let record = redact_ports(&straced().server);
    let trace = redact_ports(&observed().server);
    assert!(compare(&record, &trace).is_ok());
    let parts = |wrong: &str, says: &str| match compare(&record, wrong) {
        Ok(agreement) => panic!("a wrong trace passed: {agreement}"),
        Err(diff) => assert!(diff.contains(says), "expected {says:?} in:\n{diff}"),
    };
    // A wrong result.
    let wrong = trace.replace("read(4, \"ola\", 1024) = 3", "read(4, \"ola\", 1024) = 4");
    parts(&wrong, "read(4, \"ola\", 1024) = 4");
    // A wrong descriptor.
    parts(
        &trace.replace("listen(3, 5)", "listen(4, 5)"),
        "[servidor_fork]: the stories part at call #4",
    );
    // A call strace saw, missing: the parent's close of its copy.
    let missing: String = trace
        .lines()
        .filter(|line| !line.contains("[servidor_fork#1] Connected → Connected: close(4)"))
        .map(|line| format!("{line}\n"))
        .collect();
    parts(&missing, "[servidor_fork#1]: the stories part");
    // A call strace did not see, claimed.
    let claimed = trace.replacen(
        "[servidor_fork] Bound → Listening",
        "[servidor_fork] Bound → Bound: shutdown(3, SHUT_RDWR) = 0\n[servidor_fork] Bound → Listening",
        1,
    );
    parts(&claimed, "[servidor_fork]: the stories part at call #4");
    // Another program's story.
    parts(
        &redact_ports(&observed().client),
        "[cliente]: the stories part at call #2",
    );
}
