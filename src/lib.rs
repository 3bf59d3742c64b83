//! # socket-lifecycle
//!
//! The life of a TCP socket, one system call at a time, as types that the
//! compiler checks and a trace that says what the program called, what the
//! kernel answered and which state the socket is in now.
//!
//! ## The story
//!
//! A networks-course report drew the lifecycle of a socket in three phases;
//! this crate makes each phase a set of typed steps:
//!
//! | phase | server | client |
//! |---|---|---|
//! | preparation | `socket()`, `setsockopt(SO_REUSEADDR)`, `bind()`, `listen()` | `socket()` |
//! | connection & communication | `accept()`, `recv()`/`send()` | `connect()`, `send()`/`recv()` |
//! | close | `close()` | `close()` |
//!
//! Each step is a method of [`Socket`], and each method is one system call.
//! The kernel does most of the work out of sight — it answers handshakes
//! once a socket listens, queues finished connections for `accept`, runs the
//! FIN exchange after `close` and keeps the side that closed first in
//! `TIME_WAIT` — so every step also reads what the kernel says (its TCP
//! state) and records it in the trace.
//!
//! ## The states
//!
//! `Socket<S>` carries its state in its type. A method exists only in the
//! states where its call is legal, so a call out of order does not compile
//! (see [`lifecycle`] for each misuse next to its compiling twin). The
//! states and the calls between them, as [`diagram::typestate_text`] draws
//! them from the table [`diagram::TRANSITIONS`]
//! ([`diagram::typestate_mermaid`] gives the same as Mermaid):
//!
//! ```text
//! [*]        ──tcp_v4() / tcp_v6() / tcp_for()──> Created    socket(2)
//! Created    ──.reuse_address()─────────────────> Created    setsockopt(2) SO_REUSEADDR
//! Created    ──.bind()──────────────────────────> Bound      bind(2)
//! Created    ──.connect()───────────────────────> Connected  connect(2)
//! Bound      ──.listen()────────────────────────> Listening  listen(2)
//! Bound      ──.connect()───────────────────────> Connected  connect(2)
//! Listening  ──.accept()────────────────────────> Listening  accept4(2)
//! Listening  ──.accept() (new socket)───────────> Connected  accept4(2)
//! Listening  ──.shutdown()──────────────────────> Listening  shutdown(2) SHUT_RDWR
//! Connected  ──.send() / .send_all()────────────> Connected  sendto(2)
//! Connected  ──.recv()──────────────────────────> Connected  recvfrom(2)
//! Connected  ──.shutdown(how)───────────────────> Connected  shutdown(2)
//! Connected  ──.set_read_timeout()──────────────> Connected  setsockopt(2) SO_RCVTIMEO
//! Created    ──.close() / drop──────────────────> Closed     close(2)
//! Bound      ──.close() / drop──────────────────> Closed     close(2)
//! Listening  ──.close() / drop──────────────────> Closed     close(2)
//! Connected  ──.close() / drop──────────────────> Closed     close(2)
//! Closed     ──.kernel_state()──────────────────> Closed     kernel lookup
//! Closed     ───────────────────────────────────> [*]
//! ```
//!
//! ## The whole lifecycle in a few lines
//!
//! ```
//! use socket_lifecycle::{Lang, Recorder, Socket};
//!
//! let recorder = Recorder::new();
//! // Preparation.
//! let listener = Socket::tcp_v4(recorder.tracer("servidor"))?
//!     .reuse_address(true)?
//!     .bind("127.0.0.1:0".parse().unwrap())?
//!     .listen(5)?;
//! let client = Socket::tcp_v4(recorder.tracer("cliente"))?;
//! // Connection and communication.
//! let client = client.connect(listener.local_addr().unwrap())?;
//! let (conn, _peer) = listener.accept()?;
//! client.send(b"ola")?;
//! let mut buf = [0u8; 1024];
//! let n = conn.recv(&mut buf)?;
//! conn.send_all(b"Servidor recebeu: ola")?;
//! # let _ = (n, client.recv(&mut buf)?);
//! // Close.
//! client.close()?;
//! conn.close()?;
//! listener.close()?;
//!
//! let trace = recorder.render_redacted(Lang::En);
//! assert!(trace.contains("listen(<fd servidor>, 5) = 0"));
//! assert!(trace.contains("sendto(<fd cliente>, \"ola\", 3, MSG_NOSIGNAL, NULL, 0) = 3"));
//! # Ok::<(), socket_lifecycle::Error>(())
//! ```
//!
//! ## Seeing what happened
//!
//! - [`Recorder::render`] prints the trace: per step, the socket, the
//!   typestate before → after, the call as strace prints it with its real
//!   result, the kernel's TCP state and a narration.
//!   [`Recorder::render_redacted`] is the same text made deterministic for
//!   snapshot tests.
//! - [`diagram::SequenceDiagram`] draws the recorded conversation — one
//!   column per socket, arrows for the handshake, the data and the FINs —
//!   as text or as Mermaid.
//! - A failed step returns an [`Error`] with the call, the errno, its
//!   [`Cause`] and a hint.
//! - Narrations and hints exist in Brazilian Portuguese and English
//!   ([`Lang`]); the environment variable `SOCKET_LIFECYCLE_LANG=pt|en`, or
//!   else `LANG`/`LC_ALL`, picks the default.
//!
//! ```
//! use socket_lifecycle::diagram::SequenceDiagram;
//! use socket_lifecycle::{Lang, Recorder, Socket};
//!
//! let recorder = Recorder::new();
//! let listener = Socket::tcp_v4(recorder.tracer("servidor"))?
//!     .bind("127.0.0.1:0".parse().unwrap())?
//!     .listen(5)?;
//! let client = Socket::tcp_v4(recorder.tracer("cliente"))?
//!     .connect(listener.local_addr().unwrap())?;
//! let (conn, _) = listener.accept()?;
//! client.send(b"ola")?;
//!
//! let diagram = SequenceDiagram::redacted(&recorder.events()).text(Lang::Pt);
//! assert!(diagram.contains("accept(): novo socket servidor#1"));
//! assert!(diagram.contains("send() 3 bytes \"ola\""));
//! # Ok::<(), socket_lifecycle::Error>(())
//! ```
//!
//! ## Modules
//!
//! - [`lifecycle`]: the states and the transitions ([`Socket`]).
//! - [`trace`]: the events, the [`Recorder`], the renderings.
//! - [`diagram`]: sequence diagrams of recorded traces, and the typestate
//!   diagram.
//! - [`error`]: the one [`Error`] type, with its [`Cause`] and hint.
//! - [`kernel`]: the kernel's own view (TCP_INFO, sock_diag and `/proc/net/tcp`, errno names).
//! - [`narration`]: the words, in Portuguese and English ([`Lang`]).
//! - [`text`]: UTF-8 text out of byte chunks that may cut a character
//!   ([`TextDecoder`]).
//! - [`udp`]: the datagram lifecycle beside TCP's ([`UdpSocket`]): no
//!   `listen`, no `accept`, no handshake, no FIN; message boundaries kept.
//!
//! The teaching chapters — the lifecycle phase by phase, TCP versus UDP,
//! pitfalls with runnable demonstrations, the error guide, grading with
//! snapshots — are in the repository's `docs/` folder, in both languages.

#![deny(missing_docs)]

pub mod diagram;
pub mod error;
pub mod kernel;
pub mod lifecycle;
pub mod narration;
pub mod text;
pub mod trace;
pub mod udp;

/// The README's examples, compiled and run as doctests so that it stays true.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

pub use error::{Cause, Error};
pub use kernel::TcpState;
pub use lifecycle::{
    Bound, Closed, Connected, Connection, Created, Listener, Listening, Result, Socket, State,
};
pub use narration::Lang;
pub use text::TextDecoder;
pub use trace::{Event, Recorder, StateName, Tracer, Transport};
pub use udp::{Received, UdpSocket};
