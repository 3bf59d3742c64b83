//! What `std::net::TcpListener::bind` hides. Run: `cargo run --example std_bind`
//!
//! One call of the standard library makes four system calls: `socket`,
//! `setsockopt(SO_REUSEADDR, 1)`, `bind` and `listen(fd, 128)`. This
//! example binds a `TcpListener` and then asks the kernel what it got: the
//! `SO_REUSEADDR` option (`getsockopt`), the state (`LISTEN`) and the
//! accept queue's limit (`TCP_INFO`: the backlog, capped by
//! `/proc/sys/net/core/somaxconn`). To see the calls themselves:
//!
//! ```sh
//! cargo build --example std_bind
//! strace -e trace=network target/debug/examples/std_bind
//! ```
//!
//! The library's way spells the same four steps out, one type each:
//! `Socket::tcp_v4(…)?.reuse_address(true)?.bind(addr)?.listen(128)?`.

use std::error::Error;
use std::net::TcpListener;

use socket_lifecycle::TcpState;
use socket_lifecycle::kernel::{AsDescriptor, tcp_info};

mod words;

use words::{Say, text};

/// What the kernel says about a listener `TcpListener::bind` made.
#[derive(Debug)]
pub struct Findings {
    /// `getsockopt(SO_REUSEADDR)`.
    pub reuse_address: bool,
    /// The state, from `TCP_INFO`.
    pub state: Option<TcpState>,
    /// The accept queue's limit, from `TCP_INFO`: the backlog `listen` got.
    pub backlog: Option<u32>,
    /// `/proc/sys/net/core/somaxconn`: the kernel's cap on any backlog.
    pub somaxconn: Option<u32>,
}

/// Binds a standard listener on 127.0.0.1, port 0, and reads it back.
pub fn demonstrate() -> Result<Findings, Box<dyn Error>> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let reuse_address = socket2::SockRef::from(&listener).reuse_address()?;
    let info = tcp_info(listener.descriptor());
    let somaxconn = std::fs::read_to_string("/proc/sys/net/core/somaxconn")
        .ok()
        .and_then(|text| text.trim().parse().ok());
    Ok(Findings {
        reuse_address,
        state: info.map(|i| i.state),
        backlog: info.and_then(|i| i.accept_queue_limit),
        somaxconn,
    })
}

fn main() -> Result<(), Box<dyn Error>> {
    let f = demonstrate()?;
    println!(
        "TcpListener::bind(\"127.0.0.1:0\") — {}",
        text(&Say::WhatTheKernelGot)
    );
    println!("  socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, …)");
    println!(
        "  setsockopt(SO_REUSEADDR) → {}",
        if f.reuse_address { "1" } else { "0" }
    );
    println!("  bind(127.0.0.1:0)");
    match (f.state, f.backlog) {
        (Some(state), Some(backlog)) => println!("  listen(…) → {state}, backlog {backlog}"),
        _ => println!("  listen(…) → {}", text(&Say::TcpInfoNotReadable)),
    }
    if let Some(cap) = f.somaxconn {
        println!("  /proc/sys/net/core/somaxconn = {cap}");
    }
    println!("{}", text(&Say::StdBindLesson));
    Ok(())
}
