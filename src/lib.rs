//! # socket-lifecycle
//!
//! The life of a TCP socket, one system call at a time, as types that the
//! compiler checks and a trace that says what the program called, what the
//! kernel answered and which state the socket is in now.
//!
//! The phases are those of the classic lifecycle diagram:
//!
//! | phase | server | client |
//! |---|---|---|
//! | preparation | `socket()`, `setsockopt(SO_REUSEADDR)`, `bind()`, `listen()` | `socket()` |
//! | connection & communication | `accept()`, `recv()`/`send()` | `connect()`, `send()`/`recv()` |
//! | close | `close()` | `close()` |
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
//! - [`lifecycle`]: the states and the transitions ([`Socket`]).
//! - [`trace`]: the events, the [`Recorder`], the renderings.
//! - [`error`]: the one [`Error`] type, with its [`Cause`] and hint.
//! - [`kernel`]: the kernel's own view (TCP_INFO, `/proc/net/tcp`, errno names).
//! - [`narration`]: the words, in Portuguese and English ([`Lang`]).

#![deny(missing_docs)]

pub mod diagram;
pub mod error;
pub mod kernel;
pub mod lifecycle;
pub mod narration;
pub mod trace;

pub use error::{Cause, Error};
pub use kernel::TcpState;
pub use lifecycle::{
    Bound, Closed, Connected, Connection, Created, Listener, Listening, Result, Socket, State,
};
pub use narration::Lang;
pub use trace::{Event, Recorder, StateName, Tracer};
