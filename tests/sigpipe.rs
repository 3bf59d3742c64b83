//! A send to a vanished peer is an `EPIPE` error, not a death by SIGPIPE,
//! even in a program that left SIGPIPE at its default (Rust programs ignore
//! it at start-up, so this test restores the default first). This is its own
//! test binary, so the change of disposition touches no other test.
//! Unix only: Windows has no signals.

#![cfg(unix)]

mod support;

use socket_lifecycle::{Cause, Socket, TcpState};
use support::{loopback, wait_state};

#[test]
fn send_to_a_closed_peer_is_epipe_not_sigpipe() {
    // SAFETY: setting a signal's disposition to SIG_DFL installs no handler
    // and touches no memory; nothing else in this test binary depends on
    // SIGPIPE being ignored.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let addr = loopback();
    let listener = Socket::tcp_v4("servidor")
        .and_then(|s| s.bind(addr))
        .and_then(|s| s.listen(5))
        .unwrap();
    let client = Socket::tcp_v4("cliente")
        .and_then(|s| s.connect(listener.local_addr().unwrap()))
        .unwrap();
    let (conn, _) = listener.accept().unwrap();
    conn.close().unwrap();
    assert_eq!(client.recv(&mut [0u8; 8]).unwrap(), 0);

    // The first send after the peer's close draws its RST; once the reset
    // is in (the kernel holds CLOSE), the next meets a connection torn
    // down: EPIPE, not a signal.
    client.send(b"ola").expect("the first send is taken");
    if cfg!(target_os = "linux") {
        wait_state(&client, TcpState::Close);
    }
    let err = client
        .send(b"ola")
        .expect_err("a send after the reset fails");
    assert_eq!(err.errno_name(), Some("EPIPE"), "{err}");
    assert_eq!(err.cause(), Cause::ConnectionOver);
}
