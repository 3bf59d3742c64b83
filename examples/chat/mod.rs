//! What the four chat examples (`servidor`, `cliente`, `udp_servidor`,
//! `udp_cliente`) share, so that each of them keeps only its own socket
//! steps: the trace's logger, the command line (`[HOST] [PORT]` and flags in
//! any order), the console and the keyboard, a TCP message received as
//! text, and the servers' Ctrl+C. Each example includes it with `mod chat;`
//! and, beside it, `mod words;` (`examples/words/`), whose table this
//! module's words come from. Its only system calls on a socket are the
//! `recv`s of [`Incoming`] and the `shutdown` and `close` an example hands
//! to [`CtrlC`].

// Each example uses the part it needs (and so only some of the re-exports
// below).
#![allow(dead_code, unused_imports)]

use std::net::{SocketAddr, ToSocketAddrs};

use super::words::{self, Say};

mod command_line;
mod console;
mod ctrl_c;
mod incoming;

pub use command_line::{CommandLine, help, parse, seconds, usage_error};
pub use console::{python_address, read_message, say, say_how_server_ended};
pub use ctrl_c::{CtrlC, wake_address};
pub use incoming::Incoming;

/// Where the chat's own log lines say they come from: the program, as for
/// the lines it logs itself (`servidor`, not `servidor::chat::…`).
const TARGET: &str = env!("CARGO_CRATE_NAME");

/// The console in UTF-8 (on Windows its code pages become 65001, so the
/// report's Portuguese texts go in and out whole; elsewhere the terminal's
/// locale sees to that), and the lifecycle trace on standard error:
/// env_logger at `info` unless `RUST_LOG` says otherwise, each line as
/// [`write_record`] writes it, short and coloured on a terminal.
pub fn init() {
    socket_lifecycle::kernel::console_utf8();
    socket_lifecycle::trace::set_log_look(socket_lifecycle::render::Look::for_stderr());
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info"))
        .format(write_record)
        .init();
}

/// One log record, newline included: a trace line as the library rendered
/// it (the socket's label, the call, its result and the kernel's state;
/// the narration indented below), nothing before it; any other record
/// `[LEVEL target] message`.
pub fn write_record(out: &mut impl std::io::Write, record: &log::Record) -> std::io::Result<()> {
    if record.target() == "socket_lifecycle" {
        writeln!(out, "{}", record.args())
    } else {
        writeln!(
            out,
            "[{} {}] {}",
            record.level(),
            record.target(),
            record.args()
        )
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
