//! The events as JSON Lines (`--json FILE`): one object per line, one line
//! per event, in the order the calls ended. Schema version 1:
//!
//! | field | type | what |
//! |---|---|---|
//! | `version` | number | the schema's version: 1 |
//! | `seq` | number | the event's place in the whole trace |
//! | `pid` | number | the process that made the call |
//! | `thread` | string | the thread (its kernel id) |
//! | `socket` | string | the socket's label (`servidor.py`, `servidor.py#1`) |
//! | `fd` | number or null | the descriptor used (null: `socket()` failed) |
//! | `call` | string | the system call's name (`accept4`, `write`…) |
//! | `strace` | string | the call as strace prints it, with its result |
//! | `returned` | number or null | what it returned (null: it failed) |
//! | `errno` | string or null | the error's name when it failed (`ECONNREFUSED`) |
//! | `before`, `after` | string or null | the typestate (`Created`, `Bound`, `Listening`, `Connected`, `Closed`) |
//! | `tcp_state` | string or null | the kernel's TCP state right after the call (`LISTEN`…) |
//! | `accept_queue`, `accept_queue_limit` | number or null | a listener's queue |
//! | `kernel_after_close` | string or null | after a close: what the kernel still holds (`TIME_WAIT`, `gone`) |
//! | `local`, `peer` | string or null | the socket's addresses (`127.0.0.1:8888`) |
//! | `narration` | string | the narration, in the trace's language |
//!
//! A new field may appear in version 1; a field that changes meaning or
//! goes away makes version 2.

use serde::Serialize;
use socket_lifecycle::errno::errno_name;
use socket_lifecycle::event::{Call, Event, Outcome};
use socket_lifecycle::kernel::Lingering;
use socket_lifecycle::{Lang, StateName};

/// The schema's version.
pub const VERSION: u32 = 1;

/// One line of the file.
#[derive(Serialize)]
struct Line<'a> {
    version: u32,
    seq: u64,
    pid: i32,
    thread: &'a str,
    socket: &'a str,
    fd: Option<i32>,
    call: &'static str,
    strace: String,
    returned: Option<i64>,
    errno: Option<&'static str>,
    before: Option<&'static str>,
    after: Option<&'static str>,
    tcp_state: Option<&'static str>,
    accept_queue: Option<u32>,
    accept_queue_limit: Option<u32>,
    kernel_after_close: Option<&'static str>,
    local: Option<String>,
    peer: Option<String>,
    narration: String,
}

/// The JSON line of `event`, numbered `seq`, made by process `pid`.
pub fn line(event: &Event, seq: u64, pid: i32, lang: Lang) -> String {
    let after_close = match &event.call {
        Call::Close {
            after: Some(found), ..
        } => Some(match found {
            Lingering::Holds(state) => state.name(),
            Lingering::Gone => "gone",
            Lingering::Unknown => "unknown",
        }),
        _ => None,
    };
    let line = Line {
        version: VERSION,
        seq,
        pid,
        thread: &event.thread,
        socket: &event.socket,
        fd: event.fd,
        call: event.call.name(),
        strace: event.strace(),
        returned: event.returned(),
        errno: match event.outcome {
            Outcome::Failed(errno) => errno_name(errno),
            Outcome::Returned(_) => None,
        },
        before: event.before.map(StateName::as_str),
        after: event.after.map(StateName::as_str),
        tcp_state: event.tcp.map(|info| info.state.name()),
        accept_queue: event.tcp.and_then(|info| info.accept_queue),
        accept_queue_limit: event.tcp.and_then(|info| info.accept_queue_limit),
        kernel_after_close: after_close,
        local: event.local.map(|a| a.to_string()),
        peer: event.peer.map(|a| a.to_string()),
        narration: event.narration(lang),
    };
    serde_json::to_string(&line).unwrap_or_default()
}
