//! Hostile and broken peers against the `servidor` example (issue 7), each
//! while a well-behaved client converses with the same server and loses
//! nothing: invalid UTF-8, a 64 KiB message, resets in mid-conversation,
//! clients that connect and never send (with and without
//! `--idle-timeout`), a storm of 500 connect-and-close, and more clients
//! than `--max-clients`. (`tests/sturdy.rs` has the attacks of issue 15.)
//!
//! Every test ends the same way ([`Scene::end`], in `tests/scene/`): the
//! server never panicked; its threads and descriptors return exactly to
//! their baseline and its resident memory within a stated tolerance; a
//! newcomer is still accepted and served; and Ctrl+C still stops it with
//! exit code 0.
//!
//! `tests/chat.rs` has the one-case versions of some of these (an RST
//! while another client goes on, invalid UTF-8 answered as U+FFFD, a
//! client waiting its turn past `--max-clients 1`, `--idle-timeout` in the
//! trace); here they come in numbers, mixed, and with the thread and memory
//! accounting.
//!
//! The server runs at the default log level (`info`), but for the storm
//! (see there): the trace goes to the test's pipe, drained all along by
//! `support::Proc`.

mod scene;
mod support;

use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use scene::{Scene, say};
use support::RawClient;

/// Sends `bytes` and expects the answer the server gives: its text decoded
/// with U+FFFD for what is not UTF-8 (the decoder's documented invariant:
/// the same as `String::from_utf8_lossy`).
fn exchange_bytes(client: &mut RawClient, bytes: &[u8]) {
    client.send(bytes);
    client.expect(&format!(
        "Servidor recebeu: {}",
        String::from_utf8_lossy(bytes)
    ));
}

/// The connection ends with a reset instead of a FIN: `SO_LINGER` 0, then
/// `close`.
fn reset(stream: TcpStream) {
    socket2::SockRef::from(&stream)
        .set_linger(Some(Duration::ZERO))
        .unwrap();
    drop(stream);
}

/// Invalid UTF-8 of every kind, from one client, while the steady one
/// converses: each message answered with U+FFFD in place of the bad bytes
/// and logged as a warning, the connection kept. (`tests/chat.rs` has the
/// single-byte case.)
#[test]
fn invalid_utf8() {
    let scene = Scene::new(&[], &[]);
    let mut bad = RawClient::connect(scene.addr);
    let messages: [&[u8]; 7] = [
        b"\xff\xfe",         // bytes that never appear in UTF-8
        b"\x80abc",          // a continuation byte with no start
        b"\xc0\xaf",         // an overlong '/'
        b"\xed\xa0\x80",     // a UTF-16 surrogate, encoded
        b"\xf4\x90\x80\x80", // past U+10FFFF
        b"\x00nul",          // NUL is UTF-8: passed through
        b"ok \xe2\x9c\x93",  // and a good one in between
    ];
    for message in messages {
        exchange_bytes(&mut bad, message);
    }
    // A whole recv(1024) of garbage.
    exchange_bytes(&mut bad, &[0xff; 1024]);
    // A character started and never finished: the server waits a moment
    // for the rest (a message cannot end inside a character), and gets an
    // 'x', which does not continue it: the character ends as U+FFFD, and
    // the 'x' is the next message.
    bad.send(b"abc\xe2\x9c");
    scene
        .server
        .wait_stderr(r#""abc\342\234", 1024, 0, NULL, NULL) = 5"#);
    bad.send(b"x");
    bad.expect("Servidor recebeu: abc\u{FFFD}");
    bad.expect("Servidor recebeu: x");
    bad.leave();

    // A character started, then the client's FIN: the end of the stream
    // ends the character as U+FFFD; the answer still reaches the client,
    // whose reading side is open.
    let mut cut = RawClient::connect(scene.addr);
    cut.send(b"ok\xf0\x9f");
    cut.0.shutdown(Shutdown::Write).unwrap();
    cut.expect("Servidor recebeu: ok\u{FFFD}");
    let mut rest = [0u8; 16];
    assert_eq!(cut.0.read(&mut rest).unwrap(), 0, "the server closes");

    let trace = scene.server.wait_stderr(r"U+FFFD: \xf0\x9f");
    for bytes in [r": \xff \xfe", r": \x80", r": \xc0 \xaf", r": \xe2\x9c"] {
        assert!(trace.contains(bytes), "{bytes}\n{}", scene.server.dump());
    }
    scene.end("invalid_utf8", 2);
}

/// 64 KiB in one `write`, from a client that reads the answers at the same
/// time. The protocol has no framing: the server reads it `recv(1024)` at a
/// time and answers each part, `Servidor recebeu: PART`, so the answers are
/// checked as that sequence — the parts, joined, are the message byte for
/// byte, and no character cut between two reads is mangled.
#[test]
fn a_64_kib_message() {
    const PREFIX: &str = "Servidor recebeu: ";
    const SIZE: usize = 64 * 1024;
    let scene = Scene::new(&[], &[]);

    // Two-, three- and four-byte characters fall across the 1024-byte
    // boundaries of the server's reads: the unit's 31 bytes do not divide
    // 1024, so the boundaries land all over it (checked below). No 'S', so
    // the parts can be told from the prefixes.
    let mut message = String::new();
    let unit = "olá, mundo ✓ 😀 012345678 ";
    assert_ne!(1024 % unit.len(), 0);
    while message.len() + unit.len() <= SIZE {
        message.push_str(unit);
    }
    while message.len() < SIZE {
        message.push('.');
    }
    assert_eq!(message.len(), SIZE);
    let cut = (1..SIZE / 1024).filter(|k| !message.is_char_boundary(k * 1024));
    assert!(
        cut.count() > 0,
        "no character falls across a 1024-byte boundary"
    );

    let big = RawClient::connect(scene.addr);
    let who = format!("('127.0.0.1', {})", big.0.local_addr().unwrap().port());
    let mut writer = big.0.try_clone().unwrap();
    let sent = message.clone();
    let writing = std::thread::spawn(move || writer.write_all(sent.as_bytes()));

    let mut reader = big;
    let mut answers = Vec::new();
    let mut buf = [0u8; 8192];
    let parts = loop {
        let text = String::from_utf8_lossy(&answers);
        let mut pieces = text.split(PREFIX);
        assert_eq!(pieces.next(), Some(""), "answers start with {PREFIX:?}");
        let pieces: Vec<&str> = pieces.collect();
        let joined: usize = pieces.iter().map(|p| p.len()).sum();
        if joined >= SIZE {
            assert_eq!(pieces.concat(), message);
            break pieces.len();
        }
        let n = reader.0.read(&mut buf).unwrap();
        assert!(n > 0, "closed after {} bytes", answers.len());
        answers.extend_from_slice(&buf[..n]);
    };
    writing.join().unwrap().unwrap();
    // recv(1024) at a time: many parts, fewer than 64 where a cut
    // character joined two reads.
    assert!(parts > 1 && parts <= SIZE / 1024, "{parts} answers");
    // Nothing more than those answers came.
    reader.0.set_nonblocking(true).unwrap();
    assert_eq!(
        reader.0.read(&mut buf).map_err(|e| e.kind()),
        Err(ErrorKind::WouldBlock)
    );
    reader.0.set_nonblocking(false).unwrap();
    reader.leave();

    // The console shows the same parts.
    let out = scene
        .server
        .wait_stdout(&format!("[-] {who} desconectou\n"));
    let printed: String = out
        .lines()
        .filter_map(|line| line.strip_prefix(&format!("Cliente {who}: ")))
        .filter(|part| *part != "sair")
        .collect();
    assert_eq!(printed, message);
    // A character cut between two reads was waited for: the server read on
    // past the first 1024 bytes before it answered that part.
    let sizes: Vec<usize> = out
        .lines()
        .filter_map(|line| line.strip_prefix(&format!("Cliente {who}: ")))
        .map(str::len)
        .collect();
    assert!(
        sizes.iter().any(|size| *size > 1024),
        "no part was read across a cut character: {sizes:?}"
    );
    assert!(!scene.server.stderr().contains("invalid UTF-8"));
    say(&format!("a_64_kib_message: answered in {parts} parts"));
    scene.end("a_64_kib_message", 1);
}

/// Resets (`SO_LINGER` 0, then `close`) in three places of a conversation,
/// 20 clients each: after an exchange (the server is in `recv`), right
/// after a message without reading its answer (the server may be in
/// `recv` or in `send`), and right after `connect` (before or after the
/// server's `accept`). Each ends as the report ends errors, `Erro: …`, and
/// frees its thread. (`tests/chat.rs` has the single case.)
#[test]
fn resets_in_mid_conversation() {
    const EACH: usize = 20;
    let scene = Scene::new(&[], &[]);
    for i in 0..EACH {
        let mut after_exchange = RawClient::connect(scene.addr);
        after_exchange.exchange(&format!("rude {i}"));
        reset(after_exchange.0);

        let mut unread = RawClient::connect(scene.addr);
        unread.send(format!("rude {i}, não leio a resposta").as_bytes());
        reset(unread.0);

        reset(RawClient::connect(scene.addr).0);
    }
    let out = scene
        .server
        .wait_until("every reset client to be gone", |out, _| {
            out.matches(" desconectou\n").count() == 3 * EACH
        });
    // At least the ones reset while the server waited in recv are errors.
    assert!(
        out.matches("ECONNRESET").count() >= EACH,
        "{}",
        scene.server.dump_tail(40)
    );
    scene.end("resets_in_mid_conversation", 3 * EACH);
}

/// Clients that connect and never send, with `--idle-timeout 1`: each
/// holds a thread until the timeout, then the server closes the connection
/// (the client reads end-of-file) and the thread ends — also one that sent
/// half a character, which the server waited half a second to complete,
/// then answered as U+FFFD.
#[test]
fn silent_clients_with_idle_timeout_are_let_go() {
    const SILENT: usize = 10;
    let scene = Scene::new(&["--idle-timeout", "1"], &[]);
    let start = Instant::now();
    let mut silent: Vec<RawClient> = (0..SILENT)
        .map(|_| RawClient::connect(scene.addr))
        .collect();
    silent[0].send(b"\xc3");
    scene.wait_extra_threads(SILENT);
    silent[0].expect("Servidor recebeu: \u{FFFD}");
    for client in &mut silent {
        let mut buf = [0u8; 16];
        assert_eq!(client.0.read(&mut buf).unwrap(), 0, "the server closed");
    }
    let waited = start.elapsed();
    assert!(
        waited >= Duration::from_millis(950),
        "closed after {waited:?}"
    );
    scene
        .server
        .wait_until("ten timeouts in the trace", |_, err| {
            err.matches("client silent past --idle-timeout").count() == SILENT
        });
    drop(silent);
    scene.end("silent_clients_with_idle_timeout_are_let_go", SILENT);
}

/// Clients that connect and never send, without `--idle-timeout` (the
/// report's behaviour): each holds its thread as long as it stays, and
/// nobody else waits for it — the steady client converses, and a client
/// that comes after them is accepted and served at once.
#[test]
fn silent_clients_without_idle_timeout_block_nobody() {
    const SILENT: usize = 10;
    let scene = Scene::new(&[], &[]);
    let mut silent: Vec<RawClient> = (0..SILENT)
        .map(|_| RawClient::connect(scene.addr))
        .collect();
    scene.wait_extra_threads(SILENT);

    let mut later = RawClient::connect(scene.addr);
    later.exchange("cheguei depois dos calados");
    later.leave();

    // They are kept, not dropped: nothing to read, no end-of-file. (A
    // window to see a wrong close in, not a synchronisation: the check
    // must hold whenever it runs.)
    std::thread::sleep(Duration::from_millis(300));
    for client in &mut silent {
        client.0.set_nonblocking(true).unwrap();
        let mut buf = [0u8; 16];
        assert_eq!(
            client.0.read(&mut buf).map_err(|e| e.kind()),
            Err(ErrorKind::WouldBlock)
        );
    }
    scene.wait_extra_threads(SILENT);
    // They leave (FIN): the server's recv returns 0 in each thread.
    drop(silent);
    scene.end(
        "silent_clients_without_idle_timeout_block_nobody",
        SILENT + 1,
    );
}

/// 500 connections opened and closed at once by four threads, half with a
/// FIN, half with a reset. Each is accepted and ended; the server keeps
/// accepting throughout.
///
/// The server runs with `RUST_LOG=warn`. At the default `info` level the
/// trace of each `close` looks the connection up in `/proc/net/tcp`, which
/// the kernel writes afresh for every reading, listing every TCP socket of
/// the machine (the storm's own `TIME_WAIT`s included): milliseconds of
/// kernel time per close. Measured here: 3.7–7.1 s for the storm at
/// `info`, 0.1 s at `warn`. That is the trace's cost, not the server's.
#[test]
fn a_storm_of_500_connect_and_close() {
    const THREADS: usize = 4;
    const EACH: usize = 125;
    let scene = Scene::new(&["--backlog", "512"], &[("RUST_LOG", "warn")]);
    let addr = scene.addr;
    let stormers: Vec<JoinHandle<()>> = (0..THREADS)
        .map(|t| {
            std::thread::spawn(move || {
                for i in 0..EACH {
                    let stream = TcpStream::connect(addr).unwrap();
                    if (t + i) % 2 == 0 {
                        drop(stream);
                    } else {
                        reset(stream);
                    }
                }
            })
        })
        .collect();
    for stormer in stormers {
        stormer.join().unwrap();
    }
    scene.wait_extra_threads(0);
    scene.end("a_storm_of_500_connect_and_close", THREADS * EACH);
}

/// `--max-clients 8` (the steady client holds one place) and 27 more
/// clients: 7 are served, 20 wait in the accept queue (`--backlog 32`)
/// with their message sent and no answer, and no thread is made for them.
/// As places free, the waiting are accepted and served, each answer
/// intact. (`tests/chat.rs` has the case of one waiting client.)
#[test]
fn more_clients_than_max_clients() {
    const MAX: usize = 8;
    const WAITING: usize = 20;
    let scene = Scene::new(&["--max-clients", "8", "--backlog", "32"], &[]);
    let served: Vec<RawClient> = (0..MAX - 1)
        .map(|i| {
            let mut client = RawClient::connect(scene.addr);
            client.exchange(&format!("servido {i}"));
            client
        })
        .collect();
    let mut waiting: Vec<RawClient> = (0..WAITING)
        .map(|i| {
            let mut client = RawClient::connect(scene.addr);
            client.send(format!("na fila {i}").as_bytes());
            client
        })
        .collect();
    scene.server.wait_stderr("(--max-clients)");
    // A window to see a wrong answer in, not a synchronisation: the check
    // must hold whenever it runs.
    std::thread::sleep(Duration::from_millis(300));
    for client in &mut waiting {
        client.0.set_nonblocking(true).unwrap();
        let mut buf = [0u8; 16];
        assert_eq!(
            client.0.read(&mut buf).map_err(|e| e.kind()),
            Err(ErrorKind::WouldBlock),
            "a waiting client was answered"
        );
        client.0.set_nonblocking(false).unwrap();
    }
    scene.wait_extra_threads(MAX - 1);

    for client in served {
        client.leave();
    }
    for (i, mut client) in waiting.into_iter().enumerate() {
        client.expect(&format!("Servidor recebeu: na fila {i}"));
        client.leave();
    }
    scene.end("more_clients_than_max_clients", MAX - 1 + WAITING);
}
