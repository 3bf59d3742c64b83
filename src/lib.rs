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
//! states and the calls between them, drawn by [`diagram::typestate_text`]
//! from the table [`diagram::TCP_TRANSITIONS`] that the tests hold every
//! recorded call against ([`diagram::typestate_mermaid`] gives the same as
//! Mermaid):
//!
//! ```text
#![doc = include_str!("diagram/typestate-tcp.txt")]
//! ```
//!
//! A UDP socket, [`UdpSocket<S>`], lives through the same states but
//! `Listening`, with its own calls ([`diagram::UDP_TRANSITIONS`]):
//!
//! ```text
#![doc = include_str!("diagram/typestate-udp.txt")]
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
//!   typestate before → after, the call with its real result — as strace
//!   prints it on Linux, as Winsock or the BSD kernel names it on Windows,
//!   macOS and FreeBSD ([`Event::syscall`]) — the kernel's TCP state where
//!   the system tells it, and a narration.
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
//! assert!(diagram.contains("accept(): novo socket servidor#cliente"));
//! assert!(diagram.contains("send() 3 bytes \"ola\""));
//! # Ok::<(), socket_lifecycle::Error>(())
//! ```
//!
//! ## Modules
//!
//! Data flows one way: a call makes an event, renderings read events.
//!
//! - [`lifecycle`]: the states and the transitions ([`Socket`], and
//!   [`udp`]'s [`UdpSocket`]: no `listen`, no `accept`, no handshake, no
//!   FIN; message boundaries kept); non-blocking sockets and the readiness
//!   wait ([`Poll`]; on Linux also `Epoll`). The one place a call's event
//!   is made.
//! - [`event`]: the events — the facts of each call, as pure data — and the
//!   [`Cause`] a failure's facts give.
//! - [`trace`]: where events go: the [`Tracer`] of a socket, the `log`
//!   facade, the bounded [`Recorder`].
//! - [`render`]: the call line (one file per system), the narration and
//!   the canonical
//!   (redacted) form. The narration is decided from the facts as a phrase
//!   in no language, then said by one table per language.
//! - [`diagram`]: sequence diagrams of recorded traces, and the typestate
//!   diagrams.
//! - [`grade`]: lifecycle checks that judge a trace by its structure, and a
//!   harness that grades a student's server or client.
//! - [`error`]: the one [`Error`] type, with its [`Cause`] and hint.
//! - [`kernel`]: the kernel's own view, one file per system (Linux's
//!   TCP_INFO, sock_diag and `/proc/net/tcp`; Windows' `SIO_TCP_INFO`;
//!   macOS's `TCP_CONNECTION_INFO`; FreeBSD's TCP_INFO); the only unsafe
//!   code.
//! - [`errno`]: error numbers — one table per system, read as their POSIX
//!   meanings ([`errno::Errno`]) — and the [`Cause`]s of failures.
//! - [`lang`]: the languages ([`Lang`]). Adding one is one variant there and
//!   one file of words in `render/words/`; the compiler lists every place
//!   that must name it.
//! - [`text`]: UTF-8 text out of byte chunks that may cut a character
//!   ([`TextDecoder`]).
//!
//! ## The book
//!
//! The teaching chapters — where the library comes from (a networks-course
//! report, "Trabalho 4 de Redes de Computadores", and its Python chat), the
//! lifecycle phase by phase, TCP versus UDP, pitfalls with runnable
//! demonstrations, the error guide, grading with snapshots — form a book in
//! English and one in Brazilian Portuguese. The book is not hosted
//! anywhere yet; its chapters ship in this crate's package as Markdown, and
//! docs.rs shows them among the package's files:
//!
//! - English: [Introduction: where this comes from][en], then
//!   `docs/en/01-lifecycle.md` and on, in the order of
//!   [`docs/en/SUMMARY.md`][en-summary].
//! - Português: [Introdução: de onde isto vem][pt], then
//!   `docs/pt/01-ciclo-de-vida.md` and on, in the order of
//!   [`docs/pt/SUMMARY.md`][pt-summary].
//!
//! With navigation and search: in a clone of the repository (or a copy of
//! this package's files), `mdbook build docs/book/en` (or `pt`) writes the
//! book to `book/en/` (or `book/pt/`); open its `index.html`.
//!
//! [en]: https://docs.rs/crate/socket-lifecycle/0.1.0/source/docs/en/introduction.md
//! [en-summary]: https://docs.rs/crate/socket-lifecycle/0.1.0/source/docs/en/SUMMARY.md
//! [pt]: https://docs.rs/crate/socket-lifecycle/0.1.0/source/docs/pt/introducao.md
//! [pt-summary]: https://docs.rs/crate/socket-lifecycle/0.1.0/source/docs/pt/SUMMARY.md

#![deny(missing_docs)]

mod check;
pub mod diagram;
pub mod errno;
pub mod error;
pub mod event;
pub mod grade;
pub mod kernel;
pub mod lang;
pub mod lifecycle;
pub mod render;
pub mod text;
pub mod trace;

pub use lifecycle::udp;

/// The README's examples, compiled and run as doctests so that it stays true.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

/// The book's Rust blocks, compiled and run as doctests against this crate
/// (`mdbook test` cannot link it): one item per page of each book's
/// `SUMMARY.md`, which `tests/links.rs` holds to this list.
#[cfg(doctest)]
mod book {
    #[doc = include_str!("../docs/en/introduction.md")]
    struct EnIntroduction;
    #[doc = include_str!("../docs/en/01-lifecycle.md")]
    struct En01;
    #[doc = include_str!("../docs/en/02-tcp-vs-udp.md")]
    struct En02;
    #[doc = include_str!("../docs/en/03-pitfalls.md")]
    struct En03;
    #[doc = include_str!("../docs/en/04-errors.md")]
    struct En04;
    #[doc = include_str!("../docs/en/05-instructors.md")]
    struct En05;
    #[doc = include_str!("../docs/en/06-threads-vs-poll.md")]
    struct En06;
    #[doc = include_str!("../docs/pt/introducao.md")]
    struct PtIntroducao;
    #[doc = include_str!("../docs/pt/01-ciclo-de-vida.md")]
    struct Pt01;
    #[doc = include_str!("../docs/pt/02-tcp-vs-udp.md")]
    struct Pt02;
    #[doc = include_str!("../docs/pt/03-armadilhas.md")]
    struct Pt03;
    #[doc = include_str!("../docs/pt/04-erros.md")]
    struct Pt04;
    #[doc = include_str!("../docs/pt/05-professores.md")]
    struct Pt05;
    #[doc = include_str!("../docs/pt/06-threads-ou-poll.md")]
    struct Pt06;
}

pub use errno::Cause;
pub use error::Error;
pub use event::{Event, StateName};
pub use kernel::TcpState;
pub use lang::Lang;
pub use lifecycle::{
    Bound, Closed, Connected, Connecting, Connection, Created, Interest, Listener, Listening, Poll,
    Received, Result, Socket, State, UdpSocket,
};
#[cfg(any(target_os = "linux", target_os = "android"))]
pub use lifecycle::{Epoll, Trigger};
pub use text::TextDecoder;
pub use trace::{Recorder, Tracer};
