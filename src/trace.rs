//! Where events go once a call has made them: the [`Tracer`] of each socket
//! sends them to the [`log`] facade and, when one is attached, to a
//! [`Recorder`] that keeps them.
//!
//! Every event goes to `log` (target `socket_lifecycle`; `info`: the trace
//! line with its narration, `debug`: the remaining facts). The library never
//! installs a logger. Sockets accepted by a recorded listener are recorded
//! too, under the listener's label and a number (`servidor#1`).
//!
//! With the crate's `json` feature, `trace::json` writes events as JSON Lines
//! of one documented, versioned schema.
//!
//! ```
//! use socket_lifecycle::{Lang, Recorder, Socket};
//!
//! let recorder = Recorder::new();
//! let socket = Socket::tcp_v4(recorder.tracer("cliente"))?;
//! let event = &recorder.events()[0];
//! assert_eq!(event.call.name(), "socket");
//! assert!(event.line(Lang::En).contains("socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_TCP)"));
//! # Ok::<(), socket_lifecycle::Error>(())
//! ```

#[cfg(feature = "json")]
pub mod json;
mod recorder;
mod tracer;

pub use recorder::{DEFAULT_CAPACITY, Recorder};
pub(crate) use tracer::current_thread;
pub use tracer::{Tracer, set_log_look};
