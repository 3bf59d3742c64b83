//! One conversation, served two ways: a thread per client (the report's
//! `servidor`) and one thread with a readiness loop (`servidor_poll`).
//! Run: `cargo run --example threads_vs_poll`
//!
//! The same two clients, `cliente-ana` and `cliente-bia`, connect one
//! after the other, each sends `ola` and reads `Servidor recebeu: ola`, and
//! both close. The example prints both servers' traces in the canonical
//! form, side by side in the chapter (`docs/*/06-*.md`):
//!
//! - [`with_threads`]: `accept` blocks until a client comes; each accepted
//!   connection gets its own thread, whose `recv` blocks until its client
//!   sends. Nothing in the trace says "wait": every call waits inside
//!   itself, each on its own thread.
//! - [`with_poll`]: the listener and every connection are non-blocking,
//!   and one thread waits for all of them in `poll`, then makes only the
//!   calls that will not wait. Each wait is a step of its own in the trace
//!   (under the label `poll`), naming the sockets and which were ready.
//!   The loop is run one turn at a time ([`turn`]) between the clients'
//!   steps, so that the story reads in order.

use std::error::Error;
use std::net::SocketAddr;
use std::time::Duration;

use socket_lifecycle::{Cause, Connection, Interest, Lang, Listener, Poll, Recorder, Socket};

/// The reply to a message, as the report's server words it.
fn reply(message: &[u8]) -> Vec<u8> {
    let mut reply = b"Servidor recebeu: ".to_vec();
    reply.extend_from_slice(message);
    reply
}

/// A listener on loopback, labelled `servidor`.
fn listen(recorder: &Recorder) -> Result<(Listener, SocketAddr), Box<dyn Error>> {
    let listener = Socket::tcp_v4(recorder.tracer("servidor"))?
        .bind(([127, 0, 0, 1], 0).into())?
        .listen(5)?;
    let addr = listener.local_addr().ok_or("the listener has no address")?;
    Ok((listener, addr))
}

/// A client's part: connect, `ola`, read the whole reply.
fn connect(
    recorder: &Recorder,
    label: &str,
    addr: SocketAddr,
) -> socket_lifecycle::Result<Connection> {
    Socket::tcp_v4(recorder.tracer(label))?.connect(addr)
}

/// Sends `ola` and reads the whole reply.
fn talk(client: &Connection) -> Result<(), Box<dyn Error>> {
    client.send_all(b"ola")?;
    let expected = reply(b"ola");
    let mut got = Vec::new();
    let mut buf = [0u8; 1024];
    while got.len() < expected.len() {
        let n = client.recv(&mut buf)?;
        if n == 0 {
            return Err("the server closed before its reply".into());
        }
        got.extend_from_slice(&buf[..n]);
    }
    if got != expected {
        return Err(format!("unexpected reply {:?}", String::from_utf8_lossy(&got)).into());
    }
    Ok(())
}

/// The conversation with a thread per client.
pub fn with_threads(recorder: &Recorder) -> Result<(), Box<dyn Error>> {
    let (listener, addr) = listen(recorder)?;
    std::thread::scope(|scope| -> Result<(), Box<dyn Error>> {
        let mut clients = Vec::new();
        let mut servers = Vec::new();
        for label in ["cliente-ana", "cliente-bia"] {
            let client = connect(recorder, label, addr)?;
            let (conn, _peer) = listener.accept()?;
            servers.push(scope.spawn(move || serve(conn)));
            talk(&client)?;
            clients.push(client);
        }
        for client in clients {
            client.close()?;
        }
        for server in servers {
            server.join().map_err(|_| "a client thread panicked")??;
        }
        Ok(())
    })?;
    listener.close()?;
    Ok(())
}

/// One client's thread: `recv` until the client closes, each message
/// answered; then `close`.
fn serve(conn: Connection) -> socket_lifecycle::Result<()> {
    let mut buf = [0u8; 1024];
    loop {
        let n = conn.recv(&mut buf)?;
        if n == 0 {
            break;
        }
        conn.send_all(&reply(&buf[..n]))?;
    }
    conn.close()?;
    Ok(())
}

/// The conversation with one thread and `poll`, the loop run one turn at
/// a time between the clients' steps.
pub fn with_poll(recorder: &Recorder) -> Result<(), Box<dyn Error>> {
    let (listener, addr) = listen(recorder)?;
    listener.set_nonblocking()?;
    let poll = Poll::new(recorder.tracer("poll"));
    let mut conns: Vec<Connection> = Vec::new();
    let mut clients = Vec::new();
    for label in ["cliente-ana", "cliente-bia"] {
        let client = connect(recorder, label, addr)?;
        turn(&poll, &listener, &mut conns)?; // accept
        client.send_all(b"ola")?;
        turn(&poll, &listener, &mut conns)?; // recv and reply
        talk_after_send(&client)?;
        clients.push(client);
    }
    for client in clients {
        client.close()?;
    }
    turn(&poll, &listener, &mut conns)?; // both ends of stream
    if !conns.is_empty() {
        return Err("a connection outlived its client".into());
    }
    listener.close()?;
    Ok(())
}

/// The client's reply, once the server's turn has sent it.
fn talk_after_send(client: &Connection) -> Result<(), Box<dyn Error>> {
    let mut buf = [0u8; 1024];
    let n = client.recv(&mut buf)?;
    if buf[..n] != reply(b"ola")[..] {
        return Err("unexpected reply".into());
    }
    Ok(())
}

/// One turn of the readiness loop: wait for the listener and every
/// connection, accept what is ready to accept, answer what is ready to
/// read, close what ended.
pub fn turn(
    poll: &Poll,
    listener: &Listener,
    conns: &mut Vec<Connection>,
) -> Result<(), Box<dyn Error>> {
    let ready = {
        let mut interests = vec![Interest::read(listener)];
        interests.extend(conns.iter().map(Interest::read));
        poll.wait(&interests, Some(Duration::from_secs(5)))?
    };
    let mut ended = Vec::new();
    for (i, (conn, waited)) in conns.iter().zip(&ready[1..]).enumerate() {
        if !(waited.readable || waited.failed || waited.hung_up) {
            continue;
        }
        let mut buf = [0u8; 1024];
        match conn.recv(&mut buf)? {
            0 => ended.push(i),
            // A short reply on a fresh connection: the send buffer is empty.
            n => conn.send_all(&reply(&buf[..n]))?,
        }
    }
    for i in ended.into_iter().rev() {
        conns.remove(i).close()?;
    }
    if ready[0].readable {
        loop {
            match listener.accept() {
                Ok((conn, _peer)) => {
                    conn.set_nonblocking()?;
                    conns.push(conn);
                }
                Err(err) if err.cause() == Cause::WouldBlock => break,
                Err(err) => return Err(err.into()),
            }
        }
    }
    Ok(())
}

fn main() -> Result<(), Box<dyn Error>> {
    let lang = Lang::from_env();
    let threads = Recorder::new();
    with_threads(&threads)?;
    let poll = Recorder::new();
    with_poll(&poll)?;
    println!("── servidor: a thread per client ──");
    print!("{}", threads.render_redacted(lang));
    println!();
    println!("── servidor_poll: one thread, poll ──");
    print!("{}", poll.render_redacted(lang));
    Ok(())
}
