//! Process-level tests of the UDP chat (`udp_servidor`, `udp_cliente`) and
//! of the side-by-side run (`tcp_vs_udp`): the example binaries, spawned,
//! talking over loopback. Servers bind port 0 and print the port they got.

mod support;

use std::net::UdpSocket;

use std::time::{Duration, Instant};

use support::{DEADLINE, Proc, client_lines, loopback, python_address, udp_client, udp_server};

/// One client, one message, `sair`: both consoles read as the TCP chat's,
/// and both traces are UDP's (no listen, no accept, no connect).
#[test]
fn chat_end_to_end_with_sair() {
    let (mut server, addr) = udp_server();
    let mut client = udp_client(addr, &[]);

    client.send_line("ola");
    client.expect("Você: Servidor: Servidor recebeu: ola\n");
    server.expect("[+] Nova conexão estabelecida com ('127.0.0.1', ");
    server.expect(": ola\n");
    let port = client_lines(&server.stdout())[0].0;
    let who = python_address(([127, 0, 0, 1], port).into());
    assert!(server.stdout().contains(&format!(
        "[+] Nova conexão estabelecida com {who}\nCliente {who}: ola\n"
    )));

    client.send_line("sair");
    client.expect("Você: Servidor: Conexão encerrada.\n");
    client.expect("[-] Conexão encerrada\n");
    assert_eq!(client.wait_exit().code(), Some(0));
    server.expect(&format!("Cliente {who}: sair\n"));
    server.expect(&format!("[-] {who} desconectou\n"));

    // Ctrl+C: shutdown wakes the blocked recvfrom, then the socket closes.
    server.interrupt();
    server.expect("\n[*] Servidor encerrado\n");
    assert_eq!(server.wait_exit().code(), Some(0));

    let client_trace = client.stderr();
    assert!(client_trace.contains("socket(AF_INET, SOCK_DGRAM|SOCK_CLOEXEC, IPPROTO_UDP)"));
    assert!(client_trace.contains("SO_RCVTIMEO_OLD"));
    assert!(client_trace.contains("[cliente] Created → Bound: sendto("));
    let server_trace = server.stderr();
    for absent in ["listen(", "accept4(", "connect("] {
        assert!(
            !server_trace.contains(absent),
            "{absent} in:\n{server_trace}"
        );
        assert!(
            !client_trace.contains(absent),
            "{absent} in:\n{client_trace}"
        );
    }
    assert!(server_trace.contains("shutdown("), "{server_trace}");
    assert!(server_trace.contains("[servidor] Bound → Closed: close("));
}

/// Two clients at once on one server socket: each is greeted on its first
/// datagram, gets its own replies only, and leaves with `sair`.
#[test]
fn two_clients_at_once() {
    let (mut server, addr) = udp_server();
    let mut first = udp_client(addr, &[]);
    let mut second = udp_client(addr, &[]);

    first.send_line("ola do primeiro");
    first.expect("Servidor: Servidor recebeu: ola do primeiro\n");
    second.send_line("ola do segundo");
    second.expect("Servidor: Servidor recebeu: ola do segundo\n");
    first.send_line("de novo");
    first.expect("Servidor: Servidor recebeu: de novo\n");
    second.send_line("sair");
    second.expect("Servidor: Conexão encerrada.\n");
    assert_eq!(second.wait_exit().code(), Some(0));
    first.send_line("SAIR");
    first.expect("Servidor: Conexão encerrada.\n");
    assert_eq!(first.wait_exit().code(), Some(0));

    // Both left: the server printed both goodbyes.
    server.expect("desconectou\n");
    server.expect("desconectou\n");
    let console = server.stdout();
    let lines = client_lines(&console);
    let port_of = |text: &str| {
        lines
            .iter()
            .find(|(_, said)| said == text)
            .map(|(port, _)| *port)
            .unwrap_or_else(|| panic!("no {text:?} in:\n{console}"))
    };
    let (one, two) = (port_of("ola do primeiro"), port_of("ola do segundo"));
    assert_ne!(one, two, "{console}");
    assert_eq!(port_of("de novo"), one);
    assert_eq!(port_of("SAIR"), one);
    assert_eq!(port_of("sair"), two);
    for port in [one, two] {
        let who = python_address(([127, 0, 0, 1], port).into());
        assert_eq!(
            console
                .matches(&format!("[+] Nova conexão estabelecida com {who}\n"))
                .count(),
            1
        );
        assert!(console.contains(&format!("[-] {who} desconectou\n")));
    }
    assert!(!first.stdout().contains("segundo"));
    assert!(!second.stdout().contains("primeiro"));
}

/// No server: the datagram leaves, nothing comes back, and the client gives
/// up after its timeout with a clear message and exit code 1. A bound socket
/// that never reads stands where the server should be, so that not even an
/// ICMP error answers.
#[test]
fn client_gives_up_when_no_server_answers() {
    let silent = UdpSocket::bind(loopback()).unwrap();
    let addr = silent.local_addr().unwrap();
    let mut client = udp_client(addr, &["--timeout", "1"]);

    let started = Instant::now();
    client.send_line("ola");
    client.expect(&format!(
        "[-] O servidor não respondeu em 1 s (127.0.0.1:{}). Verifique se o servidor está rodando.\n",
        addr.port()
    ));
    client.expect("[-] Conexão encerrada\n");
    assert_eq!(client.wait_exit().code(), Some(1));
    let waited = started.elapsed();
    assert!(waited >= Duration::from_millis(900), "{waited:?}");
    assert!(waited < DEADLINE, "{waited:?}");

    let trace = client.stderr();
    assert!(trace.contains("\"\\1\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\", 16) = 0"));
    assert!(trace.contains("= -1 EAGAIN (Resource temporarily unavailable)"));
    assert!(trace.contains("[cliente] Bound → Closed: close("));
    // The datagram did arrive: only the answer was missing.
    let mut buf = [0u8; 16];
    silent.set_nonblocking(true).unwrap();
    assert_eq!(silent.recv(&mut buf).unwrap(), 3);
}

/// The end of standard input leaves as `sair` does.
#[test]
fn end_of_input_leaves_as_sair() {
    let (mut server, addr) = udp_server();
    let mut client = udp_client(addr, &[]);
    client.close_stdin();
    client.expect("Servidor: Conexão encerrada.\n");
    assert_eq!(client.wait_exit().code(), Some(0));
    server.expect(": sair\n");
    server.expect("desconectou\n");
}

/// A datagram longer than the server's 1024-byte buffer: the trace and a
/// warning say it was truncated, and the kept part is answered.
#[test]
fn server_reports_a_truncated_datagram() {
    let (mut server, addr) = udp_server();
    let sender = UdpSocket::bind(loopback()).unwrap();
    sender.set_read_timeout(Some(DEADLINE)).unwrap();
    sender.send_to(&[b'x'; 2000], addr).unwrap();
    let mut buf = [0u8; 4096];
    let (n, from) = sender.recv_from(&mut buf).unwrap();
    assert_eq!(from, addr);
    assert_eq!(n, "Servidor recebeu: ".len() + 1024);
    server.expect(&format!("{}\n", "x".repeat(1024)));

    server.interrupt();
    assert_eq!(server.wait_exit().code(), Some(0));
    let trace = server.stderr();
    if cfg!(target_os = "linux") {
        assert!(
            trace.contains(", 1024, MSG_TRUNC, {sa_family=AF_INET,")
                && trace.contains("[128 => 16]) = 2000"),
            "{trace}"
        );
        assert!(
            trace.contains("TRUNCATED: 1024 of 2000 bytes kept"),
            "{trace}"
        );
        assert!(trace.contains("truncated datagram from"), "{trace}");
    }
}

/// `--help` prints the usage and exits 0; a bad argument exits 2.
#[test]
fn help_and_bad_arguments() {
    for name in ["udp_servidor", "udp_cliente"] {
        let mut help = Proc::example(name, &["--help"]);
        help.expect(&format!("Usage: {name} [HOST] [PORT]"));
        assert_eq!(help.wait_exit().code(), Some(0));
        let mut bad = Proc::example(name, &["127.0.0.1", "not-a-port"]);
        assert_eq!(bad.wait_exit().code(), Some(2));
        assert!(bad.stderr().contains("PORT: invalid value 'not-a-port'"));
    }
    let mut bad = Proc::example("udp_cliente", &["--timeout", "0"]);
    assert_eq!(bad.wait_exit().code(), Some(2));
}

/// The side-by-side run, as `cargo run --example tcp_vs_udp` prints it.
/// Its output is the redacted rendering: the same on every run.
#[test]
fn tcp_vs_udp_side_by_side() {
    for lang in ["en", "pt"] {
        let mut run = Proc::example_env("tcp_vs_udp", &[], &[("SOCKET_LIFECYCLE_LANG", lang)]);
        let status = run.wait_exit();
        assert!(status.success(), "{}", run.stderr());
        insta::assert_snapshot!(format!("tcp_vs_udp_{lang}"), run.stdout());
    }
}
