//! Pitfall: level- against edge-triggered epoll (Linux). Run:
//! `cargo run --example pitfall_edge_triggered`
//!
//! `poll`, and epoll by default, report a socket at every wait for as long
//! as it is ready: *level*-triggered. With `EPOLLET`, epoll reports it once
//! each time it *becomes* ready: *edge*-triggered, fewer reports for a
//! program that reads everything each time. A program that reads only part
//! — one `recv(1024)` of 2,000 bytes — gets no second report: the bytes
//! left wait unread, and the loop waits for news that will not come.
//!
//! Here each of two clients sends 2,000 bytes at once; the server reads
//! 1,024 of them, then waits again (100 ms at most). Registered
//! level-triggered, the socket is reported again; edge-triggered, the wait
//! times out with 976 bytes still there, which the next `recv` finds.

use std::error::Error;

use socket_lifecycle::{Lang, Recorder};

// tests/pitfalls.rs includes every pitfall example as a module, and so this
// shared module once for each of them.
#[allow(clippy::duplicate_mod)]
mod look;
#[allow(clippy::duplicate_mod)]
mod words;

use words::{Say, text};

/// What the demonstration saw, for each trigger.
#[derive(Debug, PartialEq, Eq)]
pub struct Round {
    /// Sockets the first wait reported.
    pub first: usize,
    /// Bytes the first `recv` took.
    pub read: usize,
    /// Sockets the second wait reported.
    pub second: usize,
    /// Bytes the `recv` after the second wait found.
    pub left: usize,
}

/// One round per trigger, each with its own client and connection.
#[cfg(any(target_os = "linux", target_os = "android"))]
pub fn demonstrate(recorder: &Recorder) -> Result<[Round; 2], Box<dyn Error>> {
    use std::time::Duration;

    use socket_lifecycle::{Epoll, Interest, Socket, Trigger};

    let listener = Socket::tcp_v4(recorder.tracer("servidor"))?
        .bind(([127, 0, 0, 1], 0).into())?
        .listen(5)?;
    let addr = listener.local_addr().ok_or("the listener has no address")?;
    let round = |trigger, name: &str| -> Result<Round, Box<dyn Error>> {
        let client = Socket::tcp_v4(recorder.tracer(&format!("cliente-{name}")))?.connect(addr)?;
        let (conn, _peer) = listener.accept()?;
        conn.set_nonblocking()?;
        let mut epoll = Epoll::new(recorder.tracer(&format!("epoll-{name}")))?;
        epoll.add(Interest::read(&conn), trigger)?;
        client.send_all(&[b'x'; 2000])?;
        let limit = Some(Duration::from_millis(100));
        let first = epoll.wait(8, limit)?.len();
        let mut buf = [0u8; 1024];
        let read = conn.recv(&mut buf)?;
        let second = epoll.wait(8, limit)?.len();
        let left = conn.recv(&mut buf)?;
        epoll.close()?;
        client.close()?;
        conn.close()?;
        Ok(Round {
            first,
            read,
            second,
            left,
        })
    };
    let level = round(Trigger::Level, "nivel")?;
    let edge = round(Trigger::Edge, "borda")?;
    listener.close()?;
    Ok([level, edge])
}

#[cfg(any(target_os = "linux", target_os = "android"))]
fn main() -> Result<(), Box<dyn Error>> {
    let lang = Lang::from_env();
    let recorder = Recorder::new();
    let [level, edge] = demonstrate(&recorder)?;
    look::show(&recorder, lang, false)?;
    println!();
    for (edge, r) in [(false, level), (true, edge)] {
        let say = Say::Triggered {
            edge,
            read: r.read,
            second: r.second,
            left: r.left,
        };
        println!("{}", text(&say));
    }
    println!("{}", text(&Say::TriggeredLesson));
    Ok(())
}

/// epoll is Linux's: elsewhere the example only says so.
#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn main() -> Result<(), Box<dyn Error>> {
    let _ = (Lang::from_env(), Recorder::new());
    println!("{}", text(&Say::EpollIsLinuxs));
    Ok(())
}
