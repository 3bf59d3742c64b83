//! Events: the facts of one system call on one socket, as pure data.
//!
//! An [`Event`] says which socket, which call with which arguments
//! ([`Call`]), what the kernel answered ([`Outcome`]), the typestate before
//! and after, what the program had set or shut on the socket ([`Mode`]) and
//! what the kernel said right after ([`crate::kernel::TcpInfo`]). Facts that belong to one
//! kind of call — the state of an accepted connection, what the kernel held
//! after a close — live in that call's variant.
//!
//! Nothing here renders: the call line, the narration in each language,
//! the redacted form and the diagrams read events (`render`, `diagram`), and
//! events never change for them. Events are made in one place, where the
//! library makes the call (`lifecycle`).
//!
//! ```
//! use socket_lifecycle::{Recorder, Socket, StateName};
//! use socket_lifecycle::event::Call;
//!
//! let recorder = Recorder::new();
//! Socket::tcp_v4(recorder.tracer("servidor"))?.bind("127.0.0.1:0".parse().unwrap())?;
//! let bind = &recorder.events()[1];
//! assert!(matches!(bind.call, Call::Bind { addr } if addr.port() == 0));
//! assert_eq!((bind.before, bind.after), (Some(StateName::Created), Some(StateName::Bound)));
//! # Ok::<(), socket_lifecycle::Error>(())
//! ```
//!
//! The parts: `names.rs` (states, families, protocols as values),
//! `call.rs` (each call and its own facts), `mode.rs` (what the program had
//! set or shut), `step.rs` (the event), `cause.rs` (what a failure means).

mod call;
mod cause;
mod mode;
mod names;
mod step;

pub use call::{Buffer, Call, DATA_PREVIEW, FdFlags, SocketOption, Transfer, WaitCall, Waited};
pub(crate) use cause::classify;
pub use mode::Mode;
pub use names::{Family, StateName, Transport};
pub use step::{Event, Outcome};
