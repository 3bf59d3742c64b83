//! The library's trace against strace's: each program below runs under
//! `strace -f -yy`, and the two stories must agree socket by socket, call
//! by call, from `socket()` to `close()` and after — names, descriptors,
//! arguments, results, kernel states and the kernel's answers after a close
//! (`support::strace` says how, and lists the library's own reads that are
//! left out; each run prints that list with its counts).
//!
//! The subjects: the demo and its refused connect, the chat on both sides
//! (IPv4 and IPv6, with Ctrl+C's `shutdown`), the UDP chat both ways and a
//! UDP client nobody answers (`EAGAIN`), the error guide (`shutdown`,
//! `EPIPE`, `ECONNRESET`, `EAGAIN`, `EINVAL`), the broken pipe pitfall and
//! `servidor --backlog 1024`. Below them, the comparer itself is shown
//! each kind of wrong trace, and must fail — the library's, and the
//! observer's (`socket-lifecycle trace`, whose own tests in
//! `observer/tests/` hold real programs against strace): sockets followed
//! across threads, `fork`, `dup` and `execve`, the calls it does not
//! follow left out.

mod support;

use std::net::{SocketAddr, UdpSocket};
use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use support::strace::{Agreement, command, compare, compare_observed, log_path, take_log, tracee};
use support::{Proc, RawClient, line_after, loopback};

/// An example running under strace.
struct Traced {
    name: String,
    proc: Proc,
    log: PathBuf,
}

/// Starts the example `name` with `args` under strace, its trace in English
/// at the examples' default level, `env` set on top.
fn traced(name: &str, args: &[&str], env: &[(&str, &str)]) -> Traced {
    static RUNS: AtomicUsize = AtomicUsize::new(0);
    let log = log_path(&format!("{name}-{}", RUNS.fetch_add(1, Ordering::Relaxed)));
    let mut strace = command(&log, &support::example_path(name), args);
    strace
        .env("SOCKET_LIFECYCLE_LANG", "en")
        .env_remove("RUST_LOG")
        .envs(env.iter().copied());
    Traced {
        name: name.to_string(),
        proc: Proc::spawn(&format!("{name} under strace"), strace),
        log,
    }
}

impl Traced {
    /// Waits for the program to end and holds its trace (standard output
    /// for the demo-like examples, the log on standard error for the chat)
    /// against strace's record; fails the test where they part.
    fn agrees(mut self) -> Agreement {
        let status = self.proc.wait_exit();
        let record = take_log(&self.log);
        let (stdout, stderr) = (self.proc.stdout(), self.proc.stderr());
        let trace = if stderr.contains(" → ") {
            stderr
        } else {
            stdout
        };
        let agreement = compare(&record, &trace).unwrap_or_else(|diff| {
            panic!(
                "{}: the trace and strace disagree: {diff}\n── strace's record:\n{record}\n── the trace:\n{trace}\n(exit: {status})",
                self.name
            )
        });
        eprintln!("{}:\n{agreement}", self.name);
        agreement
    }

    /// Ctrl+C, to the program strace runs (strace itself ignores it).
    fn interrupt(&self) {
        let pid = tracee(self.proc.pid()).to_string();
        let status = Command::new("kill")
            .args(["-INT", &pid])
            .status()
            .expect("run kill");
        assert!(status.success(), "kill -INT {pid}");
    }
}

/// Starts a chat server example under strace on `host`, port 0, and
/// returns it with the address it printed.
fn traced_server(name: &str, host: &str, extra: &[&str]) -> (Traced, SocketAddr) {
    let mut args = vec![host, "0"];
    args.extend_from_slice(extra);
    let mut server = traced(name, &args, &[]);
    let out = server.proc.expect("[*] Aguardando conexões...\n");
    let addr = line_after(&out, "[*] Servidor ouvindo em ")
        .and_then(|a| a.parse().ok())
        .unwrap_or_else(|| panic!("no address printed\n{}", server.proc.dump()));
    (server, addr)
}

/// A client example under strace, talking to `server`: `ola`, then `sair`.
fn traced_client(name: &str, server: SocketAddr) -> Traced {
    let (ip, port) = (server.ip().to_string(), server.port().to_string());
    let mut client = traced(name, &[&ip, &port], &[]);
    client.proc.expect("[*] Digite 'sair' para encerrar\n");
    client.proc.send_line("ola");
    client.proc.expect("Servidor: Servidor recebeu: ola\n");
    client.proc.send_line("sair");
    client.proc.expect("[-] Conexão encerrada\n");
    client
}

/// Runs one client's conversation against a server, both under strace; the
/// server is then stopped with Ctrl+C. Both stories must agree, and tell of
/// `sockets` (the server's, the client's).
fn chat_agrees(server: &str, client: &str, host: &str, sockets: (usize, usize)) {
    if !support::strace_here() {
        return;
    }
    let (server, addr) = traced_server(server, host, &[]);
    let client = traced_client(client, addr).agrees();
    server.proc.wait_stdout(" desconectou\n");
    server.interrupt();
    let server = server.agrees();
    assert_eq!((server.sockets, client.sockets), sockets);
}

#[test]
fn the_demo_agrees_with_strace() {
    if !support::strace_here() {
        return;
    }
    let agreement = traced("lifecycle", &[], &[]).agrees();
    // socket ×2, setsockopt, bind, listen, connect, accept4, 4 sends and
    // 4 recvs, a last recv of 0, close ×3.
    assert_eq!((agreement.sockets, agreement.calls), (3, 19));
    // FIN_WAIT… after the server's close, gone after the client's, and
    // TIME_WAIT asked later.
    assert_eq!(agreement.answers, 3);
}

#[test]
fn a_refused_connect_agrees_with_strace() {
    if !support::strace_here() {
        return;
    }
    let demo = traced("lifecycle", &["refused"], &[]);
    let agreement = demo.agrees();
    assert_eq!(agreement.sockets, 2);
}

/// The listener and one connection; the client's one socket.
#[test]
fn the_chat_agrees_with_strace_on_both_sides() {
    chat_agrees("servidor", "cliente", "127.0.0.1", (2, 1));
}

#[test]
fn the_chat_over_ipv6_agrees_with_strace() {
    if support::ipv6_loopback_here() {
        chat_agrees("servidor", "cliente", "::1", (2, 1));
    }
}

#[test]
fn the_udp_chat_agrees_with_strace_both_ways() {
    chat_agrees("udp_servidor", "udp_cliente", "127.0.0.1", (1, 1));
}

/// A UDP client whose server never answers: its receive times out
/// (`EAGAIN`), and the library asks whether the socket blocks
/// (`fcntl(F_GETFL)`) to tell a timeout from "not ready".
#[test]
fn a_udp_client_nobody_answers_agrees_with_strace() {
    if !support::strace_here() {
        return;
    }
    // A socket that is bound and never reads: the datagram is taken, and
    // no answer ever comes.
    let silent = UdpSocket::bind(loopback()).expect("bind a UDP socket on 127.0.0.1");
    let port = silent.local_addr().expect("its address").port().to_string();
    let mut client = traced(
        "udp_cliente",
        &["127.0.0.1", &port, "--timeout", "0.2"],
        &[],
    );
    client.proc.expect("[*] Digite 'sair' para encerrar\n");
    client.proc.send_line("ola");
    client.proc.expect("O servidor não respondeu em 0.2 s");
    let agreement = client.agrees();
    assert_eq!(agreement.reads.get(&support::strace::Read::Flags), Some(&1));
}

#[test]
fn the_error_guide_agrees_with_strace() {
    if !support::strace_here() {
        return;
    }
    let agreement = traced("error_guide", &[], &[]).agrees();
    assert!(agreement.sockets >= 10, "{agreement}");
}

/// TCP and UDP side by side: a `shutdown(SHUT_WR)` that sends a FIN, the
/// peer's `recv` of 0, and the same steps over UDP.
#[test]
fn tcp_vs_udp_agrees_with_strace() {
    if !support::strace_here() {
        return;
    }
    let agreement = traced("tcp_vs_udp", &[], &[("RUST_LOG", "socket_lifecycle=info")]).agrees();
    assert_eq!(agreement.sockets, 5);
}

#[test]
fn a_broken_pipe_agrees_with_strace() {
    if !support::strace_here() {
        return;
    }
    // The example also starts python3 to show SIGPIPE; strace would follow
    // it too. Without python3 on its PATH the example says so and runs only
    // its own sockets (tests/examples.rs runs the Python half).
    let agreement = traced("pitfall_broken_pipe", &[], &[("PATH", "/nonexistent")]).agrees();
    assert_eq!(agreement.sockets, 3);
}

#[test]
fn servidor_backlog_1024_agrees_with_strace() {
    if !support::strace_here() {
        return;
    }
    let (server, addr) = traced_server("servidor", "127.0.0.1", &["--backlog", "1024"]);
    let mut raw = RawClient::connect(addr);
    raw.exchange("ola");
    raw.leave();
    server.proc.wait_stdout(" desconectou\n");
    server.interrupt();
    let trace = server.proc.wait_stderr("listen(");
    let listen = trace
        .lines()
        .find(|l| l.contains("listen("))
        .unwrap_or_default()
        .to_string();
    let agreement = server.agrees();
    assert_eq!(agreement.sockets, 2);
    // What strace saw, the trace says: the backlog as given, not capped.
    assert!(listen.contains(", 1024) = 0  [LISTEN"), "{listen}");
}

// ── The comparer, shown each kind of wrong trace ────────────────────────

/// A run as strace `-f -yy` records it: a listener (3), a client (4), one
/// accepted connection (5) closed first, the library's reads and its two
/// netlink questions.
const RECORD: &str = r#"100 close(3</etc/ld.so.cache>) = 0
100 socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_TCP) = 3<TCP:[11]>
100 getsockopt(3<TCP:[11]>, SOL_TCP, TCP_INFO, "\7\0\0\0\0\0\0\1@B\17\0\0\0\0\0\30\2\0\0\0\0\0\0\0\0\0\0\0\0\0\0"..., [280]) = 0
100 bind(3<TCP:[11]>, {sa_family=AF_INET, sin_port=htons(0), sin_addr=inet_addr("127.0.0.1")}, 16) = 0
100 getsockname(3<TCP:[127.0.0.1:40000]>, {sa_family=AF_INET, sin_port=htons(40000), sin_addr=inet_addr("127.0.0.1")}, [128 => 16]) = 0
100 getsockopt(3<TCP:[127.0.0.1:40000]>, SOL_TCP, TCP_INFO, "\7\0\0\0\0\0\0\1@B\17\0\0\0\0\0\30\2\0\0\0\0\0\0\0\0\0\0\0\0\0\0"..., [280]) = 0
100 listen(3<TCP:[127.0.0.1:40000]>, 5)  = 0
100 getsockopt(3<TCP:[127.0.0.1:40000]>, SOL_TCP, TCP_INFO, "\n\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\5\0\0\0"..., [280]) = 0
100 socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_TCP) = 4<TCP:[12]>
100 getsockopt(4<TCP:[12]>, SOL_TCP, TCP_INFO, "\7\0\0\0\0\0\0\1@B\17\0\0\0\0\0\30\2\0\0\0\0\0\0\0\0\0\0\0\0\0\0"..., [280]) = 0
100 connect(4<TCP:[12]>, {sa_family=AF_INET, sin_port=htons(40000), sin_addr=inet_addr("127.0.0.1")}, 16) = 0
100 getsockname(4<TCP:[127.0.0.1:50000->127.0.0.1:40000]>, {sa_family=AF_INET, sin_port=htons(50000), sin_addr=inet_addr("127.0.0.1")}, [128 => 16]) = 0
100 getsockopt(4<TCP:[127.0.0.1:50000->127.0.0.1:40000]>, SOL_TCP, TCP_INFO, "\1\0\0\0\0\7\252\1@\r\3\0\0\0\0\0\345\177\0\0\30\2\0\0\0\0\0\0\0\0\0\0"..., [280]) = 0
100 accept4(3<TCP:[127.0.0.1:40000]>, {sa_family=AF_INET, sin_port=htons(50000), sin_addr=inet_addr("127.0.0.1")}, [128 => 16], SOCK_CLOEXEC) = 5<TCP:[127.0.0.1:40000->127.0.0.1:50000]>
100 getsockname(5<TCP:[127.0.0.1:40000->127.0.0.1:50000]>, {sa_family=AF_INET, sin_port=htons(40000), sin_addr=inet_addr("127.0.0.1")}, [128 => 16]) = 0
100 getsockopt(5<TCP:[127.0.0.1:40000->127.0.0.1:50000]>, SOL_TCP, TCP_INFO, "\1\0\0\0\0\7\252\1@\r\3\0\0\0\0\0\0\200\0\0\30\2\0\0\0\0\0\0\0\0\0\0"..., [280]) = 0
100 getsockopt(3<TCP:[127.0.0.1:40000]>, SOL_TCP, TCP_INFO, "\n\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\5\0\0\0"..., [280]) = 0
100 sendto(4<TCP:[127.0.0.1:50000->127.0.0.1:40000]>, "ola", 3, MSG_NOSIGNAL, NULL, 0) = 3
100 recvfrom(5<TCP:[127.0.0.1:40000->127.0.0.1:50000]>, "ola", 1024, 0, NULL, NULL) = 3
100 getsockopt(5<TCP:[127.0.0.1:40000->127.0.0.1:50000]>, SOL_TCP, TCP_INFO, "\1\0\0\0\0\7\252\1\340\34\3\0@\234\0\0\0\200\0\0\30\2\0\0\1\0\0\0\0\0\0\0"..., [280]) = 0
100 ioctl(5<TCP:[127.0.0.1:40000->127.0.0.1:50000]>, FIONREAD, [0]) = 0
100 close(5<TCP:[127.0.0.1:40000->127.0.0.1:50000]>) = 0
100 socket(AF_NETLINK, SOCK_DGRAM|SOCK_CLOEXEC, NETLINK_SOCK_DIAG) = 5<NETLINK:[13]>
100 sendto(5<NETLINK:[13]>, [{nlmsg_len=72, nlmsg_type=0x14 /* NLMSG_??? */, nlmsg_flags=NLM_F_REQUEST, nlmsg_seq=1, nlmsg_pid=0}, "\x02\x06\x00\x00\xff\xff\xff\xff\x9c\x40\xc3\x50\x7f\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x7f\x00\x00\x01"...], 72, 0, NULL, 0) = 72
100 recvfrom(5<NETLINK:[SOCK_DIAG:100]>, [{nlmsg_len=124, nlmsg_type=SOCK_DIAG_BY_FAMILY, nlmsg_flags=0, nlmsg_seq=1, nlmsg_pid=100}, {idiag_family=AF_INET, idiag_state=TCP_FIN_WAIT2, idiag_timer=1, idiag_retrans=0, id={idiag_sport=htons(40000), idiag_dport=htons(50000), idiag_src=inet_addr("127.0.0.1"), idiag_dst=inet_addr("127.0.0.1"), idiag_if=0, idiag_cookie=[3417, 0]}, idiag_expires=4, idiag_rqueue=0, idiag_wqueue=0, idiag_uid=0, idiag_inode=0}], 512, 0, NULL, NULL) = 124
100 fcntl(5<NETLINK:[SOCK_DIAG:100]>, F_GETFD) = 0x1 (flags FD_CLOEXEC)
100 close(5<NETLINK:[SOCK_DIAG:100]>) = 0
100 recvfrom(4<TCP:[127.0.0.1:50000->127.0.0.1:40000]>, "", 1024, 0, NULL, NULL) = 0
100 getsockopt(4<TCP:[127.0.0.1:50000->127.0.0.1:40000]>, SOL_TCP, TCP_INFO, "\10\0\0\0\0\7\252\1\340\34\3\0@\234\0\0\0\200\0\0\30\2\0\0\0\0\0\0\0\0\0\0"..., [280]) = 0
100 getsockopt(4<TCP:[127.0.0.1:50000->127.0.0.1:40000]>, SOL_TCP, TCP_INFO, "\10\0\0\0\0\7\252\1\340\34\3\0@\234\0\0\0\200\0\0\30\2\0\0\0\0\0\0\0\0\0\0"..., [280]) = 0
100 ioctl(4<TCP:[127.0.0.1:50000->127.0.0.1:40000]>, FIONREAD, [0]) = 0
100 close(4<TCP:[127.0.0.1:50000->127.0.0.1:40000]>) = 0
100 socket(AF_NETLINK, SOCK_DGRAM|SOCK_CLOEXEC, NETLINK_SOCK_DIAG) = 4<NETLINK:[14]>
100 sendto(4<NETLINK:[14]>, [{nlmsg_len=72, nlmsg_type=0x14 /* NLMSG_??? */, nlmsg_flags=NLM_F_REQUEST, nlmsg_seq=1, nlmsg_pid=0}, "\x02\x06\x00\x00\xff\xff\xff\xff\xc3\x50\x9c\x40\x7f\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x7f\x00\x00\x01"...], 72, 0, NULL, 0) = 72
100 recvfrom(4<NETLINK:[SOCK_DIAG:100]>, [{nlmsg_len=92, nlmsg_type=NLMSG_ERROR, nlmsg_flags=0, nlmsg_seq=1, nlmsg_pid=100}, {error=-ENOENT, msg=[{nlmsg_len=72, nlmsg_type=SOCK_DIAG_BY_FAMILY, nlmsg_flags=NLM_F_REQUEST, nlmsg_seq=1, nlmsg_pid=0}, {sdiag_family=AF_INET, sdiag_protocol=IPPROTO_TCP, idiag_ext=0, idiag_states=1<<TCP_ESTABLISHED|0xffffe001, id={idiag_sport=htons(50000), idiag_dport=htons(40000), idiag_src=inet_addr("127.0.0.1"), idiag_dst=inet_addr("127.0.0.1"), idiag_if=0, idiag_cookie=[4294967295, 4294967295]}}]}], 512, 0, NULL, NULL) = 92
100 close(4<NETLINK:[SOCK_DIAG:100]>) = 0
100 getsockopt(3<TCP:[127.0.0.1:40000]>, SOL_TCP, TCP_INFO, "\n\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\5\0\0\0"..., [280]) = 0
100 ioctl(3<TCP:[127.0.0.1:40000]>, FIONREAD, 0x7ffd83a8052c) = -1 EINVAL (Invalid argument)
100 close(3<TCP:[127.0.0.1:40000]>)   = 0
100 +++ exited with 0 +++
"#;

/// The same run as the library traced it (narrations left out: the
/// comparer reads only the trace lines).
const TRACE: &str = r#"[servidor] - → Created: socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_TCP) = 3  [CLOSE]
    socket(): a new TCP endpoint
[servidor] Created → Bound: bind(3, {sa_family=AF_INET, sin_port=htons(0), sin_addr=inet_addr("127.0.0.1")}, 16) = 0  [CLOSE]
[servidor] Bound → Listening: listen(3, 5) = 0  [LISTEN, accept queue 0/5]
[cliente] - → Created: socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_TCP) = 4  [CLOSE]
[cliente] Created → Connected: connect(4, {sa_family=AF_INET, sin_port=htons(40000), sin_addr=inet_addr("127.0.0.1")}, 16) = 0  [ESTABLISHED]
[servidor] Listening → Listening: accept4(3, {sa_family=AF_INET, sin_port=htons(50000), sin_addr=inet_addr("127.0.0.1")}, [128 => 16], SOCK_CLOEXEC) = 5  [LISTEN, accept queue 0/5; servidor#1 ESTABLISHED]
[cliente] Connected → Connected: sendto(4, "ola", 3, MSG_NOSIGNAL, NULL, 0) = 3
[servidor#1] Connected → Connected: recvfrom(5, "ola", 1024, 0, NULL, NULL) = 3
[servidor#1] Connected → Closed: close(5) = 0  [kernel: FIN_WAIT2]
[cliente] Connected → Connected: recvfrom(4, "", 1024, 0, NULL, NULL) = 0  [CLOSE_WAIT]
[cliente] Connected → Closed: close(4) = 0  [kernel: gone]
[servidor] Listening → Closed: close(3) = 0
"#;

/// The comparer's verdict on `record` against `trace`, which must be a
/// disagreement mentioning `says`.
fn disagrees(record: &str, trace: &str, says: &str) {
    match compare(record, trace) {
        Ok(agreement) => panic!("a wrong trace passed: {agreement}"),
        Err(diff) => assert!(diff.contains(says), "expected {says:?} in:\n{diff}"),
    }
}

/// `RECORD` with `line` inserted before the line that contains `before`.
fn record_with(line: &str, before: &str) -> String {
    let at = RECORD.find(before).expect("the anchor line");
    let at = RECORD[..at].rfind('\n').map_or(0, |i| i + 1);
    format!("{}{line}\n{}", &RECORD[..at], &RECORD[at..])
}

#[test]
fn comparer_accepts_the_same_story_and_names_what_it_left_out() {
    let agreement = compare(RECORD, TRACE).expect("the same story");
    assert_eq!(
        (agreement.sockets, agreement.calls, agreement.answers),
        (3, 12, 2)
    );
    // LISTEN ×2 (listen, accept), accept's child, CLOSE ×3, ESTABLISHED,
    // CLOSE_WAIT.
    assert_eq!(agreement.states, 8);
    use support::strace::Read;
    let reads: Vec<(Read, usize)> = agreement.reads.clone().into_iter().collect();
    assert_eq!(
        reads,
        [
            (Read::TcpInfo, 11),
            (Read::SockName, 3),
            (Read::Unread, 3),
            (Read::Netlink, 2)
        ]
    );
    assert_eq!(agreement.not_sockets, 1); // close(3</etc/ld.so.cache>)
    let printed = agreement.to_string();
    for named in [
        "TCP_INFO",
        "getsockname",
        "FIONREAD",
        "F_GETFL",
        "sock_diag",
    ] {
        assert!(printed.contains(named), "{printed}");
    }
}

#[test]
fn comparer_catches_a_call_claimed_after_close() {
    let wrong = TRACE.replace(
        "[servidor] Listening → Closed: close(3) = 0\n",
        "[servidor] Listening → Closed: close(3) = 0\n\
         [servidor] Closed → Closed: close(3) = -1 EBADF (Bad file descriptor)\n",
    );
    disagrees(RECORD, &wrong, "not a transition of the table");
    let wrong = TRACE.replace(
        "[servidor] Listening → Closed: close(3) = 0\n",
        "[cliente] Connected → Connected: sendto(4, \"ola\", 3, MSG_NOSIGNAL, NULL, 0) = 3\n\
         [servidor] Listening → Closed: close(3) = 0\n",
    );
    disagrees(RECORD, &wrong, "does not start where the line before ended");
    // Claimed with states that chain, it is a call strace never saw.
    let wrong = TRACE.replace(
        "[servidor] Listening → Closed: close(3) = 0\n",
        "[servidor] Listening → Listening: shutdown(3, SHUT_RDWR) = 0  [LISTEN, accept queue 0/5]\n\
         [servidor] Listening → Closed: close(3) = 0\n",
    );
    disagrees(RECORD, &wrong, "the stories part at call #5");
}

#[test]
fn comparer_catches_a_call_strace_saw_after_close() {
    // Every socket closed twice: the second close fails, on a number
    // nobody holds — the socket's story goes on after its close.
    let wrong = format!(
        "{}100 close(3) = -1 EBADF (Bad file descriptor)\n",
        RECORD.replace("100 +++ exited with 0 +++\n", "")
    );
    disagrees(&wrong, TRACE, "close(3) = -1 EBADF");
}

#[test]
fn comparer_catches_a_call_on_an_unknown_descriptor() {
    let wrong = TRACE.replace(
        "[cliente] Connected → Connected: sendto(4,",
        "[cliente] Connected → Connected: sendto(9,",
    );
    disagrees(RECORD, &wrong, "a line under the wrong label?");
    let wrong = TRACE.replace(
        "[servidor#1] Connected → Connected: recvfrom(5, \"ola\"",
        "[outro] - → Created: socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_TCP) = 9  [CLOSE]\n\
         [servidor#1] Connected → Connected: recvfrom(5, \"ola\"",
    );
    disagrees(RECORD, &wrong, "a socket strace never saw");
    let wrong = record_with(
        "100 shutdown(9, SHUT_WR) = -1 EBADF (Bad file descriptor)",
        "100 sendto(4<TCP",
    );
    disagrees(
        &wrong,
        TRACE,
        "which no socket() or accept of this record made",
    );
}

#[test]
fn comparer_catches_a_wrong_label() {
    let wrong = TRACE.replace(
        "[servidor#1] Connected → Connected: recvfrom(5",
        "[cliente] Connected → Connected: recvfrom(5",
    );
    disagrees(RECORD, &wrong, "a line under the wrong label?");
    let wrong = TRACE.replace("[servidor#1]", "[servidor#2]");
    disagrees(RECORD, &wrong, "a line under the wrong label?");
}

#[test]
fn comparer_catches_an_extra_netlink_socket() {
    let extra = "100 socket(AF_NETLINK, SOCK_DGRAM|SOCK_CLOEXEC, NETLINK_SOCK_DIAG) = 6<NETLINK:[15]>\n\
                 100 close(6<NETLINK:[15]>) = 0";
    let wrong = record_with(extra, "100 recvfrom(4<TCP");
    disagrees(&wrong, TRACE, "not sock_diag questions");
    // A whole question that the trace shows no answer for.
    let question: String = RECORD
        .lines()
        .skip_while(|l| !l.contains("= 4<NETLINK"))
        .take_while(|l| !l.contains("getsockopt(3<"))
        .map(|l| format!("{l}\n"))
        .collect();
    let wrong = format!("{question}{RECORD}");
    disagrees(&wrong, TRACE, "strace saw 3 netlink questions");
}

/// A thread keeps its netlink socket for its next questions: two questions
/// on one socket, never closed (the thread's socket lives as long as the
/// thread), are two answers; a question with no answer read is not one.
#[test]
fn comparer_takes_questions_on_one_kept_netlink_socket() {
    let kept: String = RECORD
        .lines()
        .filter(|l| {
            !l.contains("= 4<NETLINK")
                && !l.contains("close(4<NETLINK")
                && !l.contains("close(5<NETLINK")
        })
        .map(|l| l.replace("(4<NETLINK", "(5<NETLINK") + "\n")
        .collect();
    let agreement = compare(&kept, TRACE).expect("two questions on one socket");
    assert_eq!(agreement.answers, 2);
    let unanswered: String = kept
        .lines()
        .filter(|l| !(l.contains("recvfrom(5<NETLINK") && l.contains("NLMSG_ERROR")))
        .map(|l| format!("{l}\n"))
        .collect();
    disagrees(&unanswered, TRACE, "not sock_diag questions");
}

/// A close's answer asked again while it is not settled (the library asks
/// every millisecond for a while) is one answer; the same question after
/// another call on a socket is a second one.
#[test]
fn comparer_takes_a_question_asked_again_as_one() {
    let question: String = RECORD
        .lines()
        .skip_while(|l| !l.contains("= 4<NETLINK"))
        .take_while(|l| !l.contains("getsockopt(3<"))
        .map(|l| format!("{l}\n"))
        .collect();
    let again = RECORD.replacen(&question, &format!("{question}{question}"), 1);
    let agreement = compare(&again, TRACE).expect("one answer, asked twice");
    assert_eq!(agreement.answers, 2);
    // The same question before the close it answers is not asked again.
    let elsewhere = question.replace("= 4<", "= 6<").replace("(4<", "(6<");
    let before = record_with(
        elsewhere.trim_end(),
        "100 recvfrom(4<TCP:[127.0.0.1:50000->127.0.0.1:40000]>, \"\"",
    );
    disagrees(&before, TRACE, "strace saw 3 netlink questions");
}

#[test]
fn comparer_catches_an_extra_getpeername() {
    let wrong = record_with(
        "100 getpeername(4<TCP:[127.0.0.1:50000->127.0.0.1:40000]>, {sa_family=AF_INET, sin_port=htons(40000), sin_addr=inet_addr(\"127.0.0.1\")}, [128 => 16]) = 0",
        "100 sendto(4<TCP",
    );
    disagrees(&wrong, TRACE, "getpeername(4");
    // Nor any getsockopt but TCP_INFO.
    let wrong = record_with(
        "100 getsockopt(4<TCP:[127.0.0.1:50000->127.0.0.1:40000]>, SOL_SOCKET, SO_ERROR, [0], [4]) = 0",
        "100 sendto(4<TCP",
    );
    disagrees(&wrong, TRACE, "SO_ERROR");
}

#[test]
fn comparer_catches_a_wrong_argument_result_order_or_missing_call() {
    disagrees(
        RECORD,
        &TRACE.replace("listen(3, 5)", "listen(3, 128)"),
        "listen(3, 128)",
    );
    disagrees(
        RECORD,
        &TRACE.replace("\"ola\", 3, MSG_NOSIGNAL", "\"ola\", 3, 0"),
        "sendto(4, \"ola\", 3, 0",
    );
    disagrees(
        RECORD,
        &TRACE.replace(
            "listen(3, 5) = 0",
            "listen(3, 5) = -1 EADDRINUSE (Address already in use)",
        ),
        "the stories part",
    );
    let without_bind: String = TRACE
        .lines()
        .filter(|l| !l.contains("bind("))
        .map(|l| format!("{l}\n"))
        .collect();
    disagrees(
        RECORD,
        &without_bind,
        "does not start where the line before ended",
    );
    // Two calls of one thread, told in the other order (the states chain
    // either way): cliente's sendto and its last recvfrom.
    let mut swapped: Vec<&str> = TRACE.lines().collect();
    swapped.swap(7, 10);
    disagrees(RECORD, &swapped.join("\n"), "the stories part at call #3");
}

#[test]
fn comparer_catches_a_wrong_kernel_state_or_answer() {
    // (what the trace says, what it says instead, what the comparer says)
    let wrong = [
        (
            "= 0  [CLOSE_WAIT]",
            "= 0  [ESTABLISHED]",
            "the kernel's TCP_INFO after it said [Some(\"CLOSE_WAIT\")",
        ),
        (
            "accept queue 0/5]",
            "accept queue 0/128]",
            "accept queue 0/128",
        ),
        (
            "servidor#1 ESTABLISHED]",
            "servidor#1 SYN_RECV]",
            "the accepted socket is shown SYN_RECV",
        ),
        (
            "[kernel: FIN_WAIT2]",
            "[kernel: TIME_WAIT]",
            "shows `kernel: TIME_WAIT`",
        ),
        // A close with no kernel answer shown, though the kernel was asked.
        (
            "close(4) = 0  [kernel: gone]",
            "close(4) = 0",
            "strace saw 2 netlink questions, the trace shows 1",
        ),
    ];
    for (said, instead, says) in wrong {
        disagrees(RECORD, &TRACE.replace(said, instead), says);
    }
}

#[test]
fn comparer_catches_a_socket_the_trace_never_tells() {
    let without_client: String = TRACE
        .lines()
        .filter(|l| !l.starts_with("[cliente]"))
        .map(|l| format!("{l}\n"))
        .collect::<String>()
        .replace(
            "  [kernel: FIN_WAIT2]",
            "  [kernel: FIN_WAIT2]\n[x] Closed → Closed: # kernel lookup  [kernel: gone]",
        );
    disagrees(RECORD, &without_client, "descriptor 4");
}

/// Two threads with calls in flight on one socket at once (a Ctrl+C that
/// shuts a listener while `accept4` waits): the trace may tell them in
/// either order. One thread's calls may not be reordered.
#[test]
fn comparer_lets_calls_in_flight_at_once_be_told_in_either_order() {
    let record = r#"100 socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_TCP) = 3<TCP:[11]>
100 bind(3<TCP:[11]>, {sa_family=AF_INET, sin_port=htons(0), sin_addr=inet_addr("127.0.0.1")}, 16) = 0
100 listen(3<TCP:[127.0.0.1:40000]>, 5) = 0
100 accept4(3<TCP:[127.0.0.1:40000]>,  <unfinished ...>
101 shutdown(3<TCP:[127.0.0.1:40000]>, SHUT_RDWR) = 0
100 <... accept4 resumed>0x7ffc, [128], SOCK_CLOEXEC) = -1 EINVAL (Invalid argument)
101 getsockopt(3<TCP:[127.0.0.1:40000]>, SOL_TCP, TCP_INFO, "\7\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"..., [280]) = 0
100 getsockopt(3<TCP:[127.0.0.1:40000]>, SOL_TCP, TCP_INFO, "\7\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"..., [280]) = 0
100 close(3<TCP:[127.0.0.1:40000]>) = 0
"#;
    let lines = |middle: [&str; 2]| -> String {
        let mut trace = vec![
            r#"[servidor] - → Created: socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_TCP) = 3"#,
            r#"[servidor] Created → Bound: bind(3, {sa_family=AF_INET, sin_port=htons(0), sin_addr=inet_addr("127.0.0.1")}, 16) = 0"#,
            r#"[servidor] Bound → Listening: listen(3, 5) = 0"#,
        ];
        trace.extend(middle);
        trace.push("[servidor] Listening → Closed: close(3) = 0");
        trace.join("\n")
    };
    let shutdown = "[servidor] Listening → Listening: shutdown(3, SHUT_RDWR) = 0  [CLOSE]";
    let accept = "[servidor] Listening → Listening: accept4(3, <unfilled>, [128], SOCK_CLOEXEC) = -1 EINVAL (Invalid argument)  [CLOSE]";
    compare(record, &lines([shutdown, accept])).expect("the order strace saw");
    compare(record, &lines([accept, shutdown])).expect("the other order");
    // One thread's calls, one after the other, keep their order.
    let one_thread = r#"100 socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_TCP) = 3<TCP:[11]>
100 bind(3<TCP:[11]>, {sa_family=AF_INET, sin_port=htons(0), sin_addr=inet_addr("127.0.0.1")}, 16) = 0
100 listen(3<TCP:[127.0.0.1:40000]>, 5) = 0
100 shutdown(3<TCP:[127.0.0.1:40000]>, SHUT_RDWR) = 0
100 getsockopt(3<TCP:[127.0.0.1:40000]>, SOL_TCP, TCP_INFO, "\7\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"..., [280]) = 0
100 accept4(3<TCP:[127.0.0.1:40000]>, 0x7ffc, [128], SOCK_CLOEXEC) = -1 EINVAL (Invalid argument)
100 getsockopt(3<TCP:[127.0.0.1:40000]>, SOL_TCP, TCP_INFO, "\7\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"..., [280]) = 0
100 close(3<TCP:[127.0.0.1:40000]>) = 0
"#;
    compare(one_thread, &lines([shutdown, accept])).expect("the order strace saw");
    disagrees(
        one_thread,
        &lines([accept, shutdown]),
        "the stories part at call #4",
    );
}

#[test]
fn comparer_leaves_out_interrupted_calls_and_files_only() {
    let restarted = record_with(
        "100 listen(3<TCP:[127.0.0.1:40000]>, 5) = ? ERESTARTSYS (To be restarted if SA_RESTART is set)\n\
         100 --- SIGINT {si_signo=SIGINT, si_code=SI_USER, si_pid=1, si_uid=0} ---\n\
         100 close(7</proc/100/maps>) = 0",
        "100 listen(3<TCP",
    );
    let agreement = compare(&restarted, TRACE).expect("restarted and file calls left out");
    assert_eq!((agreement.interrupted, agreement.not_sockets), (1, 2));
    // A failed socket() is a claim like any other.
    let failed = record_with(
        "100 socket(AF_INET6, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_TCP) = -1 EAFNOSUPPORT (Address family not supported by protocol)",
        "100 listen(3<TCP",
    );
    disagrees(&failed, TRACE, "failed socket() calls differ");
}

/// A call split by another thread's (`<unfinished ...>`, `<... resumed>`)
/// is joined, without strace's separating space; a thread made with
/// `CLONE_FILES` shares its process's descriptors: a socket one thread
/// made, another closes.
#[test]
fn comparer_joins_a_call_another_thread_split() {
    let record = r#"7 socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_TCP) = 3<TCP:[11]>
7 clone3({flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM, exit_signal=0}, 88) = 8
8 socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_TCP) = 4<TCP:[12]>
7 close(4<TCP:[12]> <unfinished ...>
8 write(1</dev/pts/0>, "x", 1) = 1
7 <... close resumed>) = 0
7 close(3<TCP:[11]>) = 0
"#;
    let trace = r#"[servidor] - → Created: socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_TCP) = 3
[cliente] - → Created: socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_TCP) = 4
[cliente] Created → Closed: close(4) = 0
[servidor] Created → Closed: close(3) = 0
"#;
    let agreement = compare(record, trace).expect("the same story");
    assert_eq!((agreement.sockets, agreement.calls), (2, 4));
    assert_eq!(agreement.not_sockets, 1); // write(1</dev/pts/0>)
    // A process (no CLONE_FILES) has a table of its own: its socket is not
    // the other process's to close.
    let forked = record.replace("CLONE_FILES|", "");
    disagrees(
        &forked,
        trace,
        "which no socket() or accept of this record made: close(4) = 0",
    );
}

/// A forking server as strace records it: the child's first calls come
/// before its parent's `clone` returned; the child closes its copy of the
/// listener, the parent its copy of the connection; the parent's next
/// accept is interrupted by Ctrl+C.
const FORKED: &str = r#"100 socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 3<TCP:[11]>
100 bind(3<TCP:[11]>, {sa_family=AF_INET, sin_port=htons(0), sin_addr=inet_addr("127.0.0.1")}, 16) = 0
100 listen(3<TCP:[127.0.0.1:40000]>, 5) = 0
100 getsockname(3<TCP:[127.0.0.1:40000]>, {sa_family=AF_INET, sin_port=htons(40000), sin_addr=inet_addr("127.0.0.1")}, [16]) = 0
100 accept(3<TCP:[127.0.0.1:40000]>, {sa_family=AF_INET, sin_port=htons(50000), sin_addr=inet_addr("127.0.0.1")}, [16]) = 4<TCP:[127.0.0.1:40000->127.0.0.1:50000]>
100 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD <unfinished ...>
101 close(3<TCP:[127.0.0.1:40000]>) = 0
101 write(1<pipe:[9]>, "[+] Nova conex\303\243o", 17 <unfinished ...>
100 <... clone resumed>, child_tidptr=0x7fa346ec8a10) = 101
100 close(4<TCP:[127.0.0.1:40000->127.0.0.1:50000]>) = 0
100 accept(3<TCP:[127.0.0.1:40000]>,  <unfinished ...>
101 <... write resumed>) = 17
101 read(4<TCP:[127.0.0.1:40000->127.0.0.1:50000]>, "ola", 1024) = 3
101 write(4<TCP:[127.0.0.1:40000->127.0.0.1:50000]>, "Servidor recebeu: ola", 21) = 21
101 read(4<TCP:[127.0.0.1:40000->127.0.0.1:50000]>, "", 1024) = 0
101 close(4<TCP:[127.0.0.1:40000->127.0.0.1:50000]>) = 0
101 +++ exited with 0 +++
100 <... accept resumed>0x7ffcd0ef2f10, [16]) = ? ERESTARTSYS (To be restarted if SA_RESTART is set)
100 --- SIGINT {si_signo=SIGINT, si_code=SI_USER, si_pid=1, si_uid=0} ---
100 close(3<TCP:[127.0.0.1:40000]>) = 0
"#;

/// The observer's trace of the same program (another run: kernel states
/// it read itself, narrations left out).
const FORKED_TRACE: &str = r#"[servidor_fork] - → Created: socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 3  [CLOSE]
[servidor_fork] Created → Bound: bind(3, {sa_family=AF_INET, sin_port=htons(0), sin_addr=inet_addr("127.0.0.1")}, 16) = 0  [CLOSE]
[servidor_fork] Bound → Listening: listen(3, 5) = 0  [LISTEN, accept queue 0/5]
[servidor_fork] Listening → Listening: accept(3, {sa_family=AF_INET, sin_port=htons(50000), sin_addr=inet_addr("127.0.0.1")}, [16]) = 4  [LISTEN, accept queue 0/5; servidor_fork#1 ESTABLISHED]
[servidor_fork#1] Connected → Connected: close(4) = 0  [kernel: ESTABLISHED]
[servidor_fork] Listening → Listening: close(3) = 0  [kernel: LISTEN]
[servidor_fork#1] Connected → Connected: read(4, "ola", 1024) = 3
[servidor_fork#1] Connected → Connected: write(4, "Servidor recebeu: ola", 21) = 21
[servidor_fork#1] Connected → Connected: read(4, "", 1024) = 0  [CLOSE_WAIT]
[servidor_fork#1] Connected → Closed: close(4) = 0  [kernel: LAST_ACK]
[servidor_fork] Listening → Closed: close(3) = 0
"#;

#[test]
fn comparer_follows_a_socket_across_fork() {
    let agreement = compare_observed(FORKED, FORKED_TRACE).expect("the same story");
    assert_eq!((agreement.sockets, agreement.calls), (2, 11));
    assert_eq!(agreement.unfollowed.get("getsockname"), Some(&1));
    assert_eq!(agreement.interrupted, 1);
    let printed = agreement.to_string();
    assert!(printed.contains("getsockname: a call the observer does not follow"));
    // The observer's states are its own: not held against this record.
    assert_eq!((agreement.states, agreement.answers), (0, 0));
    // A call strace saw, missing: the parent's close of its copy.
    let missing = FORKED_TRACE.replace(
        "[servidor_fork#1] Connected → Connected: close(4) = 0  [kernel: ESTABLISHED]\n",
        "",
    );
    disagrees_observed(
        FORKED,
        &missing,
        "[servidor_fork#1]: the stories part at call #5",
    );
    // The child's close of its copy of the listener, missing.
    let missing = FORKED_TRACE.replace(
        "[servidor_fork] Listening → Listening: close(3) = 0  [kernel: LISTEN]\n",
        "",
    );
    disagrees_observed(
        FORKED,
        &missing,
        "[servidor_fork]: the stories part at call #6",
    );
    // A wrong result, a wrong descriptor, a call strace did not see.
    disagrees_observed(
        FORKED,
        &FORKED_TRACE.replace("\"ola\", 1024) = 3", "\"ola\", 1024) = 4"),
        "read(4, \"ola\", 1024) = 4",
    );
    disagrees_observed(
        FORKED,
        &FORKED_TRACE.replace("listen(3, 5)", "listen(4, 5)"),
        "[servidor_fork]: the stories part at call #3",
    );
    disagrees_observed(
        FORKED,
        &FORKED_TRACE.replace(
            "[servidor_fork] Bound → Listening",
            "[servidor_fork] Bound → Bound: shutdown(3, SHUT_RDWR) = 0\n[servidor_fork] Bound → Listening",
        ),
        "the stories part at call #3",
    );
    // States that do not chain, though no table is asked.
    disagrees_observed(
        FORKED,
        &FORKED_TRACE.replace(
            "[servidor_fork] Listening → Listening: close(3)",
            "[servidor_fork] Listening → Closed: close(3)",
        ),
        "does not start where the line before ended",
    );
    // A second client accepted on number 4 while the child still talks on
    // its own 4: the child's calls stay the first connection's, because
    // the child has a copy of the table, not its parent's.
    let accept = "100 accept(3<TCP:[127.0.0.1:40000]>, {sa_family=AF_INET, sin_port=htons(50001), \
                  sin_addr=inet_addr(\"127.0.0.1\")}, [16]) = 4<TCP:[127.0.0.1:40000->127.0.0.1:50001]>\n\
                  100 close(4<TCP:[127.0.0.1:40000->127.0.0.1:50001]>) = 0\n";
    let waiting = "100 accept(3<TCP:[127.0.0.1:40000]>,  <unfinished ...>\n";
    let two = FORKED.replace(waiting, &format!("{accept}{waiting}"));
    let child_closed = "[servidor_fork] Listening → Listening: close(3) = 0  [kernel: LISTEN]\n";
    let two_trace = FORKED_TRACE.replace(
        child_closed,
        &format!(
            "{child_closed}[servidor_fork] Listening → Listening: accept(3, {{sa_family=AF_INET, \
             sin_port=htons(50001), sin_addr=inet_addr(\"127.0.0.1\")}}, [16]) = 4\n\
             [servidor_fork#2] Connected → Closed: close(4) = 0\n"
        ),
    );
    compare_observed(&two, &two_trace).expect("each process its own table");
    // Read as a thread's (CLONE_FILES: one table), the child's calls
    // would be the second connection's.
    let threaded = two.replace("flags=CLONE_CHILD", "flags=CLONE_FILES|CLONE_CHILD");
    disagrees_observed(
        &threaded,
        &two_trace,
        "[servidor_fork#1]: the stories part at call #2",
    );
}

/// A `dup` (or `fcntl(F_DUPFD)`) makes a second number for the same
/// socket: the observer tells its calls under the socket's label; the
/// library never copies a descriptor, so its trace may not.
#[test]
fn comparer_follows_a_copy_made_by_dup() {
    let record = r#"100 socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_TCP) = 3<TCP:[11]>
100 connect(3<TCP:[11]>, {sa_family=AF_INET, sin_port=htons(40000), sin_addr=inet_addr("127.0.0.1")}, 16) = 0
100 fcntl(3<TCP:[127.0.0.1:50000->127.0.0.1:40000]>, F_DUPFD_CLOEXEC, 0) = 4<TCP:[127.0.0.1:50000->127.0.0.1:40000]>
100 dup2(3<TCP:[127.0.0.1:50000->127.0.0.1:40000]>, 7</dev/null>) = 7<TCP:[127.0.0.1:50000->127.0.0.1:40000]>
100 write(7<TCP:[127.0.0.1:50000->127.0.0.1:40000]>, "ola", 3) = 3
100 close(3<TCP:[127.0.0.1:50000->127.0.0.1:40000]>) = 0
100 close(4<TCP:[127.0.0.1:50000->127.0.0.1:40000]>) = 0
100 close(7<TCP:[127.0.0.1:50000->127.0.0.1:40000]>) = 0
"#;
    let trace = r#"[cliente] - → Created: socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_TCP) = 3
[cliente] Created → Connected: connect(3, {sa_family=AF_INET, sin_port=htons(40000), sin_addr=inet_addr("127.0.0.1")}, 16) = 0
[cliente] Connected → Connected: write(7, "ola", 3) = 3
[cliente] Connected → Connected: close(3) = 0
[cliente] Connected → Connected: close(4) = 0
[cliente] Connected → Closed: close(7) = 0
"#;
    let agreement = compare_observed(record, trace).expect("the same story");
    assert_eq!((agreement.calls, agreement.copies), (6, 2));
    // Without the copies, number 7 is no socket's.
    let uncopied: String = record
        .lines()
        .filter(|l| !l.contains("F_DUPFD") && !l.contains("dup2("))
        .map(|l| format!("{l}\n"))
        .collect();
    disagrees_observed(&uncopied, trace, "[cliente]: the stories part at call #3");
    let elsewhere = trace.replace(
        "[cliente] Connected → Connected: write(7",
        "[outro] Connected → Connected: write(7",
    );
    assert!(compare_observed(record, &elsewhere).is_err());
}

/// `execve` keeps the descriptors not marked close-on-exec: a socket
/// without `SOCK_CLOEXEC` goes on in the program the child became; one
/// with it is gone, and its number names nothing.
#[test]
fn comparer_follows_a_socket_across_exec() {
    let record = r#"100 socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 3<TCP:[11]>
100 socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_TCP) = 4<TCP:[12]>
100 fork() = 101
101 execve("/usr/bin/eco", ["eco"], 0x7ffd01584800 /* 1 var */) = 0
101 write(3<TCP:[11]>, "ola", 3) = -1 EPIPE (Broken pipe)
101 close(3<TCP:[11]>) = 0
100 close(3<TCP:[11]>) = 0
100 close(4<TCP:[12]>) = 0
"#;
    let trace = r#"[servidor] - → Created: socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 3
[outro] - → Created: socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_TCP) = 4
[servidor] Created → Created: write(3, "ola", 3) = -1 EPIPE (Broken pipe)
[servidor] Created → Created: close(3) = 0
[servidor] Created → Closed: close(3) = 0
[outro] Created → Closed: close(4) = 0
"#;
    let agreement = compare_observed(record, trace).expect("the same story");
    assert_eq!((agreement.sockets, agreement.calls), (2, 6));
    // After exec, the close-on-exec socket's number names nothing in the
    // child: a call on it there is no socket's.
    let after_exec = record.replace(
        "101 close(3<TCP:[11]>) = 0\n",
        "101 close(3<TCP:[11]>) = 0\n101 close(4) = -1 EBADF (Bad file descriptor)\n",
    );
    let agreement = compare_observed(&after_exec, trace).expect("no socket's call");
    assert_eq!(agreement.not_sockets, 1);
    // Without SOCK_CLOEXEC the socket would have gone on in the child, and
    // that close would be its own, which the trace does not tell.
    let kept = "SOCK_STREAM, IPPROTO_TCP) = 4";
    disagrees_observed(
        &after_exec.replace("SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_TCP) = 4", kept),
        &trace.replace("SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_TCP) = 4", kept),
        "[outro]: the stories part at call #3",
    );
}

/// The observer follows the calls `FOLLOWED` names: a program's other
/// calls on a socket are counted, not told (the library must tell every
/// call but its own reads); its waits are left out of its trace.
#[test]
fn comparer_leaves_out_what_the_observer_does_not_follow() {
    let getpeername = record_with(
        "100 getpeername(4<TCP:[127.0.0.1:50000->127.0.0.1:40000]>, {sa_family=AF_INET, sin_port=htons(40000), sin_addr=inet_addr(\"127.0.0.1\")}, [128 => 16]) = 0",
        "100 sendto(4<TCP",
    );
    disagrees(&getpeername, TRACE, "getpeername(4");
    let waited = TRACE.replace(
        "[servidor#1] Connected → Connected: recvfrom(5,",
        "[servidor#1] Connected → Connected: poll([{fd=5, events=POLLIN}], 1, -1) = 1 ([{fd=5, revents=POLLIN}])\n\
         [servidor#1] Connected → Connected: recvfrom(5,",
    );
    let agreement = compare_observed(&getpeername, &waited).expect("the calls it follows");
    assert_eq!(agreement.calls, 12);
    assert_eq!(agreement.waits, 1);
    // The library's reads are a program's calls like any other here.
    assert_eq!(agreement.unfollowed.get("getpeername"), Some(&1));
    assert_eq!(agreement.unfollowed.get("getsockopt"), Some(&11));
    assert_eq!(agreement.unfollowed.get("getsockname"), Some(&3));
    assert_eq!(agreement.unfollowed.get("ioctl"), Some(&3));
    // The netlink questions are a program's own sockets, not IP ones: their
    // nine calls, and the file's close.
    assert_eq!(agreement.not_sockets, 9 + 1);
    // The library's trace may show no wait: it makes none.
    disagrees(&getpeername, &waited, "a call on no descriptor");
}

fn disagrees_observed(record: &str, trace: &str, says: &str) {
    match compare_observed(record, trace) {
        Ok(agreement) => panic!("a wrong trace passed: {agreement}"),
        Err(diff) => assert!(diff.contains(says), "expected {says:?} in:\n{diff}"),
    }
}
