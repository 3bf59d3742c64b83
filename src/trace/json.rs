//! The events as JSON Lines: one object per line, one line per event —
//! the one schema the recorder ([`Recorder::json_lines`]), the examples'
//! `--json FILE`, the observer's `--json FILE` and the page (`--html`)
//! write and read. Only with the crate's `json` feature (serde), so that a
//! student's build of the library does not pay for it.
//!
//! Schema version 1:
//!
//! | field | type | what |
//! |---|---|---|
//! | `version` | number | the schema's version: 1 |
//! | `seq` | number | the event's place in the whole trace |
//! | `pid` | number | the process that made the call |
//! | `thread` | string | the thread (its name, or its id) |
//! | `socket` | string | the socket's label (`servidor`, `servidor#1`, `servidor.py`) |
//! | `fd` | number or null | the descriptor used (null: `socket()` failed) |
//! | `call` | string | the system call's name (`accept4`, `write`…) |
//! | `strace` | string | the call as strace prints it, with its result |
//! | `returned` | number or null | what it returned (null: it failed) |
//! | `errno` | string or null | the error's name when it failed (`ECONNREFUSED`) |
//! | `before`, `after` | string or null | the typestate (`Created`, `Bound`, `Listening`, `Connected`, `Closed`…) |
//! | `tcp_state` | string or null | the kernel's TCP state right after the call (`LISTEN`…) |
//! | `accept_queue`, `accept_queue_limit` | number or null | a listener's queue |
//! | `kernel_after_close` | string or null | after a close: what the kernel still holds (`TIME_WAIT`, `gone`) |
//! | `local`, `peer` | string or null | the socket's addresses (`127.0.0.1:8888`) |
//! | `narration` | string | the narration, in the trace's language |
//!
//! A new field may appear in version 1; a field that changes meaning or
//! goes away makes version 2.
//!
//! ```
//! use socket_lifecycle::trace::json::{JsonEvent, VERSION};
//! use socket_lifecycle::{Lang, Recorder, Socket};
//!
//! let recorder = Recorder::new();
//! Socket::tcp_v4(recorder.tracer("cliente"))?;
//! let lines = recorder.json_lines(Lang::En);
//! let first: JsonEvent = serde_json::from_str(lines.lines().next().unwrap()).unwrap();
//! assert_eq!((first.version, first.socket.as_str(), first.call.as_str()), (VERSION, "cliente", "socket"));
//! assert_eq!(first.after.as_deref(), Some("Created"));
//! # Ok::<(), socket_lifecycle::Error>(())
//! ```

use serde::{Deserialize, Serialize};

use super::Recorder;
use crate::errno::errno_name;
use crate::event::{Call, Event, Outcome, StateName};
use crate::kernel::Lingering;
use crate::lang::Lang;

/// The schema's version.
pub const VERSION: u32 = 1;

/// One event as one line of JSON (the fields are the schema's, above).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[allow(missing_docs)] // The module's table says what each field is.
pub struct JsonEvent {
    pub version: u32,
    pub seq: u64,
    pub pid: u32,
    pub thread: String,
    pub socket: String,
    pub fd: Option<i64>,
    pub call: String,
    pub strace: String,
    pub returned: Option<i64>,
    pub errno: Option<String>,
    pub before: Option<String>,
    pub after: Option<String>,
    pub tcp_state: Option<String>,
    pub accept_queue: Option<u32>,
    pub accept_queue_limit: Option<u32>,
    pub kernel_after_close: Option<String>,
    pub local: Option<String>,
    pub peer: Option<String>,
    pub narration: String,
}

impl JsonEvent {
    /// No system call: the facts of `event`, made by process `pid`, with
    /// its narration in `lang`.
    pub fn new(event: &Event, pid: u32, lang: Lang) -> JsonEvent {
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
        let state = |s: Option<StateName>| s.map(|s| s.as_str().to_string());
        JsonEvent {
            version: VERSION,
            seq: event.seq,
            pid,
            thread: event.thread.to_string(),
            socket: event.socket.to_string(),
            fd: event.fd.and_then(descriptor),
            call: event.call.name().to_string(),
            strace: event.strace(),
            returned: event.returned(),
            errno: match event.outcome {
                Outcome::Failed(errno) => errno_name(errno).map(str::to_string),
                Outcome::Returned(_) => None,
            },
            before: state(event.before),
            after: state(event.after),
            tcp_state: event.tcp.map(|info| info.state.name().to_string()),
            accept_queue: event.tcp.and_then(|info| info.accept_queue),
            accept_queue_limit: event.tcp.and_then(|info| info.accept_queue_limit),
            kernel_after_close: after_close.map(str::to_string),
            local: event.local.map(|a| a.to_string()),
            peer: event.peer.map(|a| a.to_string()),
            narration: event.narration(lang),
        }
    }

    /// No system call: this event as one line of JSON, without its newline.
    pub fn line(&self) -> String {
        // Strings, numbers and options only: serde_json cannot fail here.
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// A descriptor as a JSON number: Unix's `int` always fits, Windows'
/// `SOCKET` (a `u64`) does in practice.
#[allow(clippy::unnecessary_fallible_conversions)] // Infallible on Unix only.
fn descriptor(fd: crate::kernel::Descriptor) -> Option<i64> {
    i64::try_from(fd).ok()
}

impl Event {
    /// No system call: this event as one JSON line of the schema in
    /// [`crate::trace::json`], made by process `pid`, narrated in `lang`.
    ///
    /// ```
    /// # use socket_lifecycle::{Lang, Recorder, Socket};
    /// let recorder = Recorder::new();
    /// Socket::tcp_v4(recorder.tracer("cliente"))?;
    /// let line = recorder.events()[0].json_line(std::process::id(), Lang::En);
    /// assert!(line.starts_with(r#"{"version":1,"#) && line.contains(r#""socket":"cliente""#));
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn json_line(&self, pid: u32, lang: Lang) -> String {
        JsonEvent::new(self, pid, lang).line()
    }
}

impl Recorder {
    /// No system call: every event kept, as JSON Lines (one line each,
    /// newline included) of the schema in [`crate::trace::json`], made by
    /// this process.
    pub fn json_lines(&self, lang: Lang) -> String {
        let pid = std::process::id();
        let mut out = String::new();
        for event in self.events() {
            out.push_str(&event.json_line(pid, lang));
            out.push('\n');
        }
        out
    }
}
