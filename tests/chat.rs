//! The chat, process by process: the `servidor` and `cliente` examples, and
//! the report's own `servidor.py` and `cliente.py` (transcribed in
//! `tests/fixtures/`), spawned and talking over loopback.
//!
//! The examples are the binaries `cargo test` builds next to this one (see
//! `support::example_path`). Every spawned program is killed when its test
//! ends, and every wait is bounded by `support::DEADLINE`.

mod support;

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener};
use std::time::{Duration, Instant};

use support::{
    Proc, RawClient, first_client, held_port, loopback, poll_server, python_server, rust_server,
};

/// What every client below types.
const TYPED: &str = "ola\nolá, mundo ✓\nsair\n";

/// The server's console for one client that typed [`TYPED`], as the report
/// prints it: the same for `servidor.py` and the `servidor` example.
fn expected_server_console(addr: SocketAddr, who: &str) -> String {
    format!(
        "[*] Servidor ouvindo em {addr}\n\
         [*] Aguardando conexões...\n\
         [+] Nova conexão estabelecida com {who}\n\
         Cliente {who}: ola\n\
         Cliente {who}: olá, mundo ✓\n\
         Cliente {who}: sair\n\
         [-] {who} desconectou\n"
    )
}

/// The client's console up to its last prompt, the same for both clients.
fn expected_client_console_start(addr: SocketAddr) -> String {
    format!(
        "[+] Conectado ao servidor {addr}\n\
         [*] Digite 'sair' para encerrar\n\
         Você: Servidor: Servidor recebeu: ola\n\
         Você: Servidor: Servidor recebeu: olá, mundo ✓\n\
         Você: "
    )
}

/// `cliente.py` ends without reading the server's goodbye.
const PYTHON_CLIENT_END: &str = "[-] Conexão encerrada\n";
/// The `cliente` example reads it, then closes.
const RUST_CLIENT_END: &str = "Servidor: Conexão encerrada.\n[-] Conexão encerrada\n";

/// One conversation between a server and a client, both spawned; checks
/// both consoles byte for byte, then stops the server with Ctrl+C.
fn converse(mut server: Proc, addr: SocketAddr, python_client: bool) {
    let port = addr.port().to_string();
    let mut client = if python_client {
        Proc::python("cliente.py", &["127.0.0.1", &port])
    } else {
        Proc::example("cliente", &["127.0.0.1", &port])
    };
    client.write(TYPED).unwrap();
    let (client_out, client_code) = client.finish();
    let end = if python_client {
        PYTHON_CLIENT_END
    } else {
        RUST_CLIENT_END
    };
    assert_eq!(
        client_out,
        expected_client_console_start(addr) + end,
        "{}",
        client.dump()
    );
    assert_eq!(client_code, Some(0), "{}", client.dump());

    let who = first_client(&server);
    let server_out = server.wait_stdout(" desconectou\n");
    assert_eq!(
        server_out,
        expected_server_console(addr, &who),
        "{}",
        server.dump()
    );

    server.interrupt();
    let status = server.wait_exit();
    assert_eq!(
        server.stdout(),
        expected_server_console(addr, &who) + "\n[*] Servidor encerrado\n",
        "{}",
        server.dump()
    );
    assert_eq!(status.code(), Some(0), "{}", server.dump());
}

#[test]
fn rust_server_rust_client() {
    let (server, addr) = rust_server(&[]);
    converse(server, addr, false);
}

#[test]
fn rust_server_python_client() {
    if !support::python3_here() {
        return;
    }
    let (server, addr) = rust_server(&[]);
    converse(server, addr, true);
}

/// `servidor_poll`: the same protocol and console, one thread.
#[test]
fn poll_server_rust_client() {
    let (server, addr) = poll_server(&[], &[]);
    converse(server, addr, false);
}

#[test]
fn poll_server_python_client() {
    if !support::python3_here() {
        return;
    }
    let (server, addr) = poll_server(&[], &[]);
    converse(server, addr, true);
}

#[test]
fn python_server_rust_client() {
    if !support::python3_here() {
        return;
    }
    let (server, addr) = python_server();
    converse(server, addr, false);
}

/// The report against itself: the baseline the other three pairings match.
#[test]
fn python_server_python_client() {
    if !support::python3_here() {
        return;
    }
    let (server, addr) = python_server();
    converse(server, addr, true);
}

/// A whole conversation as the two traces tell it: each side's steps, with
/// the labels `servidor`, `servidor#1` and `cliente`.
#[test]
fn a_conversation_leaves_a_trace_on_each_side() {
    let (mut server, addr) = rust_server(&[]);
    let mut client = Proc::example("cliente", &["127.0.0.1", &addr.port().to_string()]);
    client.write(TYPED).unwrap();
    let (_, code) = client.finish();
    assert_eq!(code, Some(0), "{}", client.dump());
    let client_trace = client.stderr();
    for step in [
        "[cliente] - → Created: socket(AF_INET",
        "[cliente] Created → Connected: connect(",
        "[cliente] Connected → Connected: sendto(",
        r#""Conex\303\243o encerrada.", 1024, 0, NULL, NULL) = 19"#,
        "[cliente] Connected → Closed: close(",
    ] {
        assert!(client_trace.contains(step), "{step}\n{}", client.dump());
    }

    server.wait_stdout(" desconectou\n");
    server.interrupt();
    server.wait_exit();
    let server_trace = server.stderr();
    for step in [
        "[servidor] Created → Created: setsockopt(",
        "SO_REUSEADDR, [1], 4) = 0",
        "[servidor] Created → Bound: bind(",
        "[servidor] Bound → Listening: listen(",
        "[servidor] Listening → Listening: accept4(",
        r#"[servidor#1] Connected → Connected: recvfrom("#,
        r#""Servidor recebeu: ola", 21, MSG_NOSIGNAL, NULL, 0) = 21"#,
        "[servidor#1] Connected → Closed: close(",
        "[servidor] Listening → Listening: shutdown(",
        ", SHUT_RDWR) = 0",
        "[servidor] Listening → Closed: close(",
    ] {
        assert!(server_trace.contains(step), "{step}\n{}", server.dump());
    }
}

/// Three clients connected at once, each answered on its own connection,
/// in any order of leaving.
#[test]
fn three_clients_at_once() {
    let (server, addr) = rust_server(&[]);
    let port = addr.port().to_string();
    let mut clients: Vec<Proc> = (0..3)
        .map(|_| Proc::example("cliente", &["127.0.0.1", &port]))
        .collect();
    // All three speak before any leaves: three connections at the same time.
    for (i, client) in clients.iter_mut().enumerate() {
        client.write(&format!("eu sou o {i}\n")).unwrap();
    }
    for (i, client) in clients.iter().enumerate() {
        client.wait_stdout(&format!("Servidor: Servidor recebeu: eu sou o {i}\n"));
    }
    // The server printed these before answering; its output may still be
    // on the way through the pipe.
    let out = server.wait_until("three connections", |out, _| {
        out.matches("[+] Nova conexão estabelecida com").count() == 3
    });
    assert!(!out.contains("desconectou"), "{}", server.dump());
    for label in ["[servidor#1]", "[servidor#2]", "[servidor#3]"] {
        server.wait_stderr(label);
    }
    // They leave in reverse order; each gets its own goodbye.
    for client in clients.iter_mut().rev() {
        client.write("sair\n").unwrap();
        let (out, code) = client.finish();
        assert!(out.ends_with(RUST_CLIENT_END), "{}", client.dump());
        assert_eq!(code, Some(0));
    }
    server.wait_until("three goodbyes", |out, _| {
        out.matches(" desconectou\n").count() == 3
    });
}

#[test]
fn no_server_is_reported_as_the_report_does() {
    // Held by a socket that is bound and never listens: refused, and no
    // other program can take it meanwhile.
    let (_held, port) = held_port();
    let port = port.to_string();
    let mut rust = Proc::example("cliente", &["127.0.0.1", &port]);
    let (out, code) = rust.finish();
    let expected = "[-] Servidor não encontrado. Verifique se o servidor está rodando.\n\
                    [-] Conexão encerrada\n";
    assert_eq!(out, expected, "{}", rust.dump());
    assert_eq!(code, Some(1));
    assert!(
        rust.stderr().contains("ECONNREFUSED"),
        "the trace shows the refused connect\n{}",
        rust.dump()
    );
    // The report's client prints the very same lines.
    if !support::python3_here() {
        return;
    }
    let mut python = Proc::python("cliente.py", &["127.0.0.1", &port]);
    let (python_out, _) = python.finish();
    assert_eq!(python_out, expected, "{}", python.dump());
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let taken = TcpListener::bind(loopback()).unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let mut server = Proc::example("servidor", &["127.0.0.1", &port]);
    let (out, code) = server.finish();
    assert!(
        out.starts_with("Erro: bind 127.0.0.1:"),
        "{}",
        server.dump()
    );
    assert!(out.contains("EADDRINUSE"), "{}", server.dump());
    assert_eq!(out.lines().count(), 1, "{}", server.dump());
    assert_eq!(code, Some(1), "{}", server.dump());
    assert!(!server.stderr().contains("panicked"), "{}", server.dump());
    drop(taken);
}

/// Ctrl+C: the listener is shut, which wakes the `accept` it waits in
/// (`EINVAL`), and closed (all in the trace); the report's line is printed,
/// and the server exits 0 — also while a client is connected.
#[test]
fn sigint_stops_the_server_by_waking_its_accept() {
    let (mut server, addr) = rust_server(&[]);
    let mut client = Proc::example("cliente", &["127.0.0.1", &addr.port().to_string()]);
    client.write("ola\n").unwrap();
    client.wait_stdout("Servidor: Servidor recebeu: ola\n");

    server.interrupt();
    let status = server.wait_exit();
    assert_eq!(status.code(), Some(0), "{}", server.dump());
    assert!(
        server.stdout().ends_with("\n\n[*] Servidor encerrado\n"),
        "{}",
        server.dump()
    );
    // In this order: the shutdown, the accept it woke, the close.
    let trace = server.stderr();
    let at = |what: &str| {
        trace
            .find(what)
            .unwrap_or_else(|| panic!("no {what:?} in the trace\n{}", server.dump()))
    };
    let shutdown = at("[servidor] Listening → Listening: shutdown(");
    let woken = at("SOCK_CLOEXEC) = -1 EINVAL (Invalid argument)");
    let close = at("[servidor] Listening → Closed: close(");
    assert!(shutdown < close && woken < close, "{}", server.dump());

    // The client learns it at its next exchange, says so, and exits 1.
    client.write("ainda aí?\n").unwrap();
    let (out, code) = client.finish();
    assert!(
        out.ends_with("Você: [-] O servidor encerrou a conexão\n[-] Conexão encerrada\n"),
        "{}",
        client.dump()
    );
    assert_eq!(code, Some(1), "{}", client.dump());
}

/// A server that answers once and then closes: at its next line the client
/// says the server went away, and exits 1 (the report's printed an empty
/// `Servidor: ` and went on).
#[test]
fn the_client_says_so_when_the_server_goes_away() {
    // A server that answers once, then closes the connection.
    let listener = TcpListener::bind(loopback()).unwrap();
    let addr = listener.local_addr().unwrap();
    let server = std::thread::spawn(move || {
        let (mut conn, _) = listener.accept().unwrap();
        let mut buf = [0u8; 1024];
        let n = conn.read(&mut buf).unwrap();
        assert_eq!(&buf[..n], b"ola");
        conn.write_all(b"Servidor recebeu: ola").unwrap();
    });
    let mut client = Proc::example("cliente", &["127.0.0.1", &addr.port().to_string()]);
    client.write("ola\n").unwrap();
    client.wait_stdout("Servidor: Servidor recebeu: ola\n");
    server.join().unwrap();
    client.write("de novo\n").unwrap();
    let (out, code) = client.finish();
    assert!(
        out.ends_with("Você: [-] O servidor encerrou a conexão\n[-] Conexão encerrada\n"),
        "{}",
        client.dump()
    );
    assert_eq!(code, Some(1));
}

/// `olá` sent as `ol\303` and, a moment later, `\241`: the server reads the
/// two parts in two `recv` calls (its trace shows both: the second asks for
/// just the byte `á` misses) and answers `olá` whole, never `ol�`.
#[test]
fn a_character_split_across_two_sends_reaches_the_server_whole() {
    let (server, addr) = rust_server(&[]);
    let mut raw = RawClient::connect(addr);
    raw.send(b"ol\xc3");
    server.wait_stderr(r#""ol\303", 1024, 0, NULL, NULL) = 3"#);
    raw.send(b"\xa1");
    raw.expect("Servidor recebeu: olá");
    let trace = server.wait_stderr(r#""\241", 1, 0, NULL, NULL) = 1"#);
    assert!(!trace.contains("invalid UTF-8"), "{}", server.dump());
    let who = first_client(&server);
    server.wait_stdout(&format!("Cliente {who}: olá\n"));

    raw.send(b"sair");
    raw.expect("Conexão encerrada.");
}

/// The same on the client's side: a reply cut inside `á` is printed whole.
#[test]
fn a_character_split_across_two_replies_reaches_the_client_whole() {
    let listener = TcpListener::bind(loopback()).unwrap();
    let addr = listener.local_addr().unwrap();
    let mut client = Proc::example("cliente", &["127.0.0.1", &addr.port().to_string()]);
    let (mut conn, _) = listener.accept().unwrap();
    conn.set_nodelay(true).unwrap();
    conn.set_read_timeout(Some(support::DEADLINE)).unwrap();
    client.write("olá\n").unwrap();
    let mut buf = [0u8; 1024];
    let n = conn.read(&mut buf).unwrap();
    assert_eq!(&buf[..n], "olá".as_bytes());
    conn.write_all(b"Servidor recebeu: ol\xc3").unwrap();
    client.wait_stderr(r#""Servidor recebeu: ol\303", 1024, 0, NULL, NULL) = 21"#);
    conn.write_all(b"\xa1").unwrap();
    client.wait_stdout("Você: Servidor: Servidor recebeu: olá\n");

    client.write("sair\n").unwrap();
    let n = conn.read(&mut buf).unwrap();
    assert_eq!(&buf[..n], b"sair");
    conn.write_all("Conexão encerrada.".as_bytes()).unwrap();
    drop(conn);
    let (out, code) = client.finish();
    assert!(out.ends_with(RUST_CLIENT_END), "{}", client.dump());
    assert_eq!(code, Some(0));
    assert!(
        !client.stderr().contains("invalid UTF-8"),
        "{}",
        client.dump()
    );
}

/// Bytes that are not UTF-8 are answered as U+FFFD and logged; the
/// connection goes on.
#[test]
fn invalid_utf8_is_answered_and_logged_not_fatal() {
    let (server, addr) = rust_server(&[]);
    let mut raw = RawClient::connect(addr);
    raw.send(b"\xffok");
    raw.expect("Servidor recebeu: \u{FFFD}ok");
    server.wait_stderr(r"invalid UTF-8 from the client, shown and answered as U+FFFD: \xff");
    raw.send(b"ola");
    raw.expect("Servidor recebeu: ola");
    assert!(!server.stderr().contains("panicked"), "{}", server.dump());
}

/// End of standard input leaves as `sair`; empty lines are not sent; a
/// `\r\n` ending is trimmed.
#[test]
fn end_of_input_leaves_like_sair_and_empty_lines_are_not_sent() {
    let (server, addr) = rust_server(&[]);
    let mut client = Proc::example("cliente", &["127.0.0.1", &addr.port().to_string()]);
    client.write("\n\r\nola\r\n").unwrap();
    let (out, code) = client.finish();
    assert_eq!(
        out,
        format!(
            "[+] Conectado ao servidor {addr}\n\
             [*] Digite 'sair' para encerrar\n\
             Você: Você: Você: Servidor: Servidor recebeu: ola\n\
             Você: \n\
             Servidor: Conexão encerrada.\n\
             [-] Conexão encerrada\n"
        ),
        "{}",
        client.dump()
    );
    assert_eq!(code, Some(0), "{}", client.dump());
    let trace = client.stderr();
    assert_eq!(trace.matches("sendto(").count(), 2, "{}", client.dump());
    assert!(
        trace.contains(r#""sair", 4, MSG_NOSIGNAL, NULL, 0) = 4"#),
        "{}",
        client.dump()
    );

    let who = first_client(&server);
    let out = server.wait_stdout(" desconectou\n");
    assert!(
        out.ends_with(&format!(
            "Cliente {who}: ola\nCliente {who}: sair\n[-] {who} desconectou\n"
        )),
        "{}",
        server.dump()
    );
}

/// One client's failure (a reset in the middle of the conversation) is
/// printed as the report prints errors, and the other client, connected at
/// the same time, goes on.
#[test]
fn one_clients_failure_does_not_affect_another() {
    let (server, addr) = rust_server(&[]);
    let mut steady = Proc::example("cliente", &["127.0.0.1", &addr.port().to_string()]);
    steady.write("primeiro\n").unwrap();
    steady.wait_stdout("Servidor: Servidor recebeu: primeiro\n");

    let mut rude = RawClient::connect(addr);
    rude.send(b"ola");
    rude.expect("Servidor recebeu: ola");
    // SO_LINGER 0: close sends a reset instead of a FIN.
    let rude = socket2::Socket::from(rude.0);
    rude.set_linger(Some(Duration::ZERO)).unwrap();
    drop(rude);
    server.wait_stdout("Erro: recv");
    server.wait_until("the rude client's goodbye", |out, _| {
        out.matches(" desconectou\n").count() == 1
    });
    assert!(server.stdout().contains("ECONNRESET"), "{}", server.dump());

    steady.write("segundo\nsair\n").unwrap();
    let (out, code) = steady.finish();
    assert!(
        out.ends_with(&format!(
            "Servidor: Servidor recebeu: segundo\nVocê: {RUST_CLIENT_END}"
        )),
        "{}",
        steady.dump()
    );
    assert_eq!(code, Some(0));
}

/// `--max-clients 1`: a second client is connected by the kernel (it waits
/// in the accept queue) but is served only once the first leaves. Flags come
/// after the positional arguments here.
#[test]
fn past_max_clients_new_clients_wait_their_turn() {
    let (server, addr) = rust_server(&["--max-clients", "1"]);
    let port = addr.port().to_string();
    let mut first = Proc::example("cliente", &["127.0.0.1", &port]);
    first.write("ola\n").unwrap();
    first.wait_stdout("Servidor: Servidor recebeu: ola\n");

    let mut second = Proc::example("cliente", &["127.0.0.1", &port]);
    second.wait_stdout("[+] Conectado ao servidor");
    second.write("eu espero\n").unwrap();
    server.wait_stderr("(--max-clients)");
    second.assert_stdout_stays_without("Servidor recebeu", Duration::from_millis(300));

    first.write("sair\n").unwrap();
    assert_eq!(first.finish().1, Some(0));
    second.wait_stdout("Servidor: Servidor recebeu: eu espero\n");
    second.write("sair\n").unwrap();
    assert_eq!(second.finish().1, Some(0), "{}", second.dump());
}

/// `--idle-timeout`: a traced SO_RCVTIMEO step, and a silent client is
/// disconnected. Flags come before the positional arguments here.
#[test]
fn idle_clients_are_disconnected_with_idle_timeout() {
    let server = Proc::example(
        "servidor",
        &["--idle-timeout", "0.3", "--backlog=7", "127.0.0.1", "0"],
    );
    let out = server.wait_stdout("[*] Aguardando conexões...\n");
    let addr: SocketAddr = support::line_after(&out, "[*] Servidor ouvindo em ")
        .unwrap()
        .parse()
        .unwrap();
    let mut raw = RawClient::connect(addr);
    let start = Instant::now();
    let mut buf = [0u8; 16];
    let read = raw.0.read(&mut buf);
    assert_eq!(
        read.as_ref().ok(),
        Some(&0),
        "the server closed: {read:?}\n{}",
        server.dump()
    );
    assert!(start.elapsed() >= Duration::from_millis(250));
    server.wait_stdout(" desconectou\n");
    // Standard error comes through its own pipe: wait for the line rather
    // than read what has arrived so far.
    let trace = server.wait_stderr("-1 EAGAIN");
    assert!(trace.contains(", 7) = 0"), "{}", server.dump());
    assert!(
        trace.contains(
            "SO_RCVTIMEO_OLD, \"\\0\\0\\0\\0\\0\\0\\0\\0\\340\\223\\4\\0\\0\\0\\0\\0\", 16) = 0"
        ) && trace.contains("a read that waits 300 ms without data gives up"),
        "{}",
        server.dump()
    );
    assert!(trace.contains("-1 EAGAIN"), "{}", server.dump());
    raw.0.shutdown(Shutdown::Both).ok();
}

#[test]
fn help_explains_the_command_lines() {
    let mut server = Proc::example("servidor", &["--help"]);
    let (out, code) = server.finish();
    assert_eq!(code, Some(0));
    assert!(out.starts_with("Usage: servidor [HOST] [PORT]"), "{out}");
    for flag in [
        "--backlog",
        "--max-clients",
        "--idle-timeout",
        "0.0.0.0",
        "8888",
    ] {
        assert!(out.contains(flag), "{flag}: {out}");
    }
    let mut client = Proc::example("cliente", &["127.0.0.1", "--help"]);
    let (out, code) = client.finish();
    assert_eq!(code, Some(0));
    assert!(out.starts_with("Usage: cliente [HOST] [PORT]"), "{out}");
    assert!(out.contains("127.0.0.1") && out.contains("8888"), "{out}");

    let mut wrong = Proc::example("servidor", &["--max-clients", "0"]);
    let (out, code) = wrong.finish();
    assert_eq!(code, Some(2));
    assert!(out.is_empty());
    assert!(wrong.stderr().contains("--max-clients"), "{}", wrong.dump());
}
