//! What the four chat examples (`servidor`, `cliente`, `udp_servidor`,
//! `udp_cliente`) share, so that each of them keeps only its own socket
//! steps: the trace's logger, the command line (`[HOST] [PORT]` and flags in
//! any order), the console and the keyboard (and, for a server, output that
//! never makes a thread wait), a TCP message received as text, and the
//! servers' Ctrl+C. Each example includes it with `mod chat;`
//! and, beside it, `mod words;` (`examples/words/`), whose table this
//! module's words come from. Its only system calls on a socket are the
//! `recv`s of [`Incoming`] and the `shutdown` and `close` an example hands
//! to [`CtrlC`].

// Each example uses the part it needs (and so only some of the re-exports
// below).
#![allow(dead_code, unused_imports)]

use std::net::{SocketAddr, ToSocketAddrs};

use super::words::{self, Say};

mod clients;
mod command_line;
mod console;
mod ctrl_c;
mod incoming;
mod logger;
mod outlet;

pub use clients::{Clients, Place};
pub use command_line::{CommandLine, help, parse, seconds, usage_error};
pub use console::{printable, python_address, read_message, say, say_how_server_ended};
pub use ctrl_c::{CtrlC, wake_address};
pub use incoming::Incoming;

/// Where the chat's own log lines say they come from: the program, as for
/// the lines it logs itself (`servidor`, not `servidor::chat::…`).
const TARGET: &str = env!("CARGO_CRATE_NAME");

/// The console in UTF-8 (on Windows its code pages become 65001, so the
/// report's Portuguese texts go in and out whole; elsewhere the terminal's
/// locale sees to that), and the lifecycle trace on standard error:
/// env_logger at `info` unless `RUST_LOG` says otherwise. Each line is
/// written when it is said: a client's prompt and console wait for nobody
/// but the person at the keyboard.
pub fn init() {
    socket_lifecycle::kernel::console_utf8();
    logger::install(None);
}

/// As [`init`], for a server whose threads must never wait for a stream:
/// its console and its trace go through an outlet each
/// ([`outlet::Outlet`]: a writer thread, a bounded queue, lines dropped
/// and counted when the stream stalls). [`finish`] writes what is left.
pub fn init_unblocking() {
    socket_lifecycle::kernel::console_utf8();
    let console = outlet::Outlet::start(outlet::Stream::Stdout, |lines| {
        format!("[!] {}\n", words::text(&Say::ConsoleLinesDropped { lines }))
    });
    let trace = outlet::Outlet::start(outlet::Stream::Stderr, |lines| {
        let text = words::text(&Say::TraceLinesDropped { lines });
        logger::line(log::Level::Warn, TARGET, text)
    });
    if let Some(console) = console {
        console::unblock(console);
    }
    logger::install(trace);
    OUTLETS.get_or_init(|| [console, trace]);
}

/// The outlets [`init_unblocking`] started.
static OUTLETS: std::sync::OnceLock<[Option<&'static outlet::Outlet>; 2]> =
    std::sync::OnceLock::new();

/// The end of a server that [`init_unblocking`]: what its outlets still
/// hold is written, each given at most `patience` (a stream that does not
/// drain is left behind, and the program ends all the same).
pub fn finish(patience: std::time::Duration) {
    for outlet in OUTLETS.get().into_iter().flatten().flatten() {
        outlet.drain(patience);
    }
}

/// Every address `host` names, for `port`; an error when it names none.
pub fn addresses(host: &str, port: u16) -> std::io::Result<Vec<SocketAddr>> {
    let addrs: Vec<SocketAddr> = (host, port).to_socket_addrs()?.collect();
    if addrs.is_empty() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            words::text(&Say::NoAddressFound {
                host: host.to_string(),
            }),
        ));
    }
    Ok(addrs)
}
