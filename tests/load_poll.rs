//! Bounded load against `servidor_poll` (issue 16): 200 clients at once on
//! one thread, every reply checked byte for byte; and a client that never
//! reads its replies, which must not hold up the others.
//!
//! As in `tests/load.rs`, the server runs with `RUST_LOG=warn` (the trace's
//! words would be measured instead of the server) and the tests take turns.

mod support;

use std::io::{ErrorKind, Write as _};
use std::net::TcpStream;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use support::crowd::message;
use support::{
    Crowd, DEADLINE, Proc, RawClient, every_conversation_told_then_stop, poll_server, usage,
};

const QUIET: &[(&str, &str)] = &[("RUST_LOG", "warn")];

/// The tests of this file run one at a time.
fn one_at_a_time() -> MutexGuard<'static, ()> {
    static TURN: Mutex<()> = Mutex::new(());
    TURN.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A line in the test's output even when it passes: the figures measured.
fn say(line: &str) {
    let _ = writeln!(std::io::stderr(), "    {line}");
}

/// Waits until the server has greeted `count` clients in all.
fn wait_greeted(server: &Proc, count: usize) -> String {
    server.wait_until("the clients greeted", |out, _| {
        out.matches("[+] Nova conexão estabelecida com ").count() >= count
    })
}

/// 200 clients connected at once, all held by the server's one thread
/// (its thread count does not move), then 20 messages each, every answer
/// read to its last byte and compared.
#[test]
fn two_hundred_clients_at_once_on_one_thread() {
    const CLIENTS: usize = 200;
    const MESSAGES: usize = 20;
    let _turn = one_at_a_time();
    let (mut server, addr) = poll_server(&["--backlog", "256"], QUIET);
    let mut probe = RawClient::connect(addr);
    probe.exchange("sonda");
    let baseline = usage(server.pid());

    let start = Instant::now();
    let crowd = Crowd::connect(addr, CLIENTS, MESSAGES);
    wait_greeted(&server, CLIENTS + 1);
    let all_held = usage(server.pid());
    let failed = crowd.talk();
    let took = start.elapsed();
    assert_eq!(failed, 0, "clients failed\n{}", server.dump_tail(20));
    assert_eq!(
        all_held.threads, baseline.threads,
        "one thread serves them all"
    );
    probe.leave();

    every_conversation_told_then_stop(&mut server, CLIENTS, MESSAGES);

    let exchanges = CLIENTS * MESSAGES;
    say(&format!(
        "two_hundred_clients_at_once_on_one_thread: {exchanges} exchanges by {CLIENTS} \
         clients at once in {took:.2?} ({:.0}/s), none lost; server threads {} → {}; \
         VmRSS {} → {} KiB (one client, {CLIENTS} more)",
        exchanges as f64 / took.as_secs_f64(),
        baseline.threads,
        all_held.threads,
        baseline.rss_kib,
        all_held.rss_kib,
    ));
}

/// A client sends and sends and never reads: its replies fill the
/// kernel's buffers, then the server's queue for it, until the server
/// stops reading it and its own sends block. Meanwhile another client's
/// exchanges are answered as usual, one by one.
#[test]
fn a_client_that_never_reads_does_not_slow_the_others() {
    const MESSAGES: usize = 50;
    let _turn = one_at_a_time();
    let (mut server, addr) = poll_server(&[], QUIET);
    let mut talker = RawClient::connect(addr);
    talker.exchange("antes");
    let before = timed_exchanges(&mut talker, 0, MESSAGES);

    let mut hog = TcpStream::connect(addr).expect("connect");
    wait_greeted(&server, 2);
    // Sends until the send blocks: everything between the two ends is full.
    hog.set_write_timeout(Some(Duration::from_millis(200)))
        .expect("a write timeout");
    let big = "y".repeat(1000);
    let start = Instant::now();
    let mut sent = 0usize;
    loop {
        assert!(start.elapsed() < DEADLINE, "the hog's sends never blocked");
        match hog.write(big.as_bytes()) {
            Ok(n) => sent += n,
            Err(err) if matches!(err.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                break;
            }
            Err(err) => panic!("the hog's send: {err}"),
        }
    }

    let during = timed_exchanges(&mut talker, 1, MESSAGES);
    talker.leave();
    // Closed with replies unread: its kernel resets the connection, and the
    // server says so for that client alone.
    drop(hog);
    let out = server.wait_until("both goodbyes", |out, _| {
        out.matches(" desconectou\n").count() == 2
    });
    let errors: Vec<&str> = out.lines().filter(|l| l.starts_with("Erro:")).collect();
    assert!(
        errors.len() <= 1 && errors.iter().all(|l| l.contains("ECONNRESET")),
        "{}",
        server.dump_tail(20)
    );
    server.interrupt();
    assert_eq!(server.wait_exit().code(), Some(0));
    say(&format!(
        "a_client_that_never_reads_does_not_slow_the_others: the hog's sends blocked after \
         {} KiB; {MESSAGES} exchanges of another client took {before:.2?} before and \
         {during:.2?} while it was stuck",
        sent / 1024
    ));
}

/// `count` exchanges of `client` (messages of round `round`), timed.
fn timed_exchanges(client: &mut RawClient, round: usize, count: usize) -> Duration {
    let start = Instant::now();
    for m in 0..count {
        client.exchange(&message(round, m));
    }
    start.elapsed()
}
