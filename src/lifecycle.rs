//! A socket's life as types: [`Socket<S>`] where `S` is the state — for
//! TCP; [`UdpSocket<S>`] is the same machinery speaking UDP
//! ([`crate::udp`]).
//!
//! Each method is one system call. A transition (`bind`, `listen`,
//! `connect`, `close`) consumes the socket and returns it in its next state;
//! a call that keeps the state (`accept`, `send`, `recv`, `shutdown`) borrows
//! it. A method exists only in the states where the call is legal, so a call
//! out of order is a compile error, not a run-time `EINVAL`. The diagram
//! below is drawn from the table the library's tests hold every recorded
//! call against ([`crate::diagram::TCP_TRANSITIONS`]):
//!
//! ```text
#![doc = include_str!("diagram/typestate-tcp.txt")]
//! ```
//!
//! The parts: `state.rs` (the sealed markers), `socket.rs` (the socket type
//! and what every state has), `core.rs` (the socket under every state, and
//! the one place a call's event is made), `poll.rs` (the readiness wait),
//! `epoll.rs` (Linux's epoll), `tcp.rs` and `udp.rs` (the calls of
//! each protocol, state by state), `closed.rs` (what a closed socket leaves
//! behind), `unix.rs` and `windows.rs` (its descriptor, through each
//! system's standard traits).
//!
//! # Types
//!
//! - [`Created`]: after `socket()`. Can set `SO_REUSEADDR`, `bind`, or
//!   `connect` (the kernel then picks the local port).
//! - [`Bound`]: after `bind()`. Can `listen` or `connect`.
//! - [`Listening`] ([`Listener`]): after `listen()`. Can only `accept`.
//! - [`Connecting`]: after a non-blocking `connect()` answered
//!   `EINPROGRESS`. Can only `finish_connect` (wait until writable, read
//!   `SO_ERROR`) or close.
//! - [`Connected`] ([`Connection`]): after `connect()` or `accept()`. Can
//!   `send`, `recv`, `shutdown`.
//!
//! Non-blocking is a step, not a state: `set_nonblocking` on a listener or
//! a connection makes calls that would wait fail with `EAGAIN` ("nothing
//! ready yet"), and a [`Poll`] waits on many sockets at once for the calls
//! that will not wait.
//!
//! A failed transition closes the socket (the close is traced) and returns
//! an [`Error`](crate::Error); a failed `send` or `recv` leaves it open.
//!
//! # What does not compile
//!
//! Each misuse below is shown beside the same code with the missing step,
//! which compiles. The compiler names the state: ``error[E0599]: no method
//! named `accept` found for struct `Socket<Bound>` ``; a socket used after
//! `close` is ``error[E0382]: use of moved value``. Each `compile_fail` block
//! is tagged with the error code it should fail with; its compiling twin,
//! one step different, shows the failure is the state's, not a typo's.
//!
//! **accept before listen**
//! ```compile_fail,E0599
//! # use socket_lifecycle::Socket;
//! let bound = Socket::tcp_v4("servidor")?.bind("127.0.0.1:0".parse().unwrap())?;
//! let (conn, peer) = bound.accept()?;
//! # Ok::<(), socket_lifecycle::Error>(())
//! ```
//! ```no_run
//! # use socket_lifecycle::Socket;
//! let bound = Socket::tcp_v4("servidor")?.bind("127.0.0.1:0".parse().unwrap())?;
//! let listener = bound.listen(5)?;
//! let (conn, peer) = listener.accept()?;
//! # Ok::<(), socket_lifecycle::Error>(())
//! ```
//!
//! **listen before bind**
//! ```compile_fail,E0599
//! # use socket_lifecycle::Socket;
//! let listener = Socket::tcp_v4("servidor")?.listen(5)?;
//! # Ok::<(), socket_lifecycle::Error>(())
//! ```
//! ```
//! # use socket_lifecycle::Socket;
//! let listener = Socket::tcp_v4("servidor")?
//!     .bind("127.0.0.1:0".parse().unwrap())?
//!     .listen(5)?;
//! # Ok::<(), socket_lifecycle::Error>(())
//! ```
//!
//! **send or recv on a listener** (it only accepts; the accepted socket talks)
//! ```compile_fail,E0599
//! # use socket_lifecycle::Socket;
//! let listener = Socket::tcp_v4("servidor")?.bind("127.0.0.1:0".parse().unwrap())?.listen(5)?;
//! listener.send(b"ola")?;
//! # Ok::<(), socket_lifecycle::Error>(())
//! ```
//! ```compile_fail,E0599
//! # use socket_lifecycle::Socket;
//! let listener = Socket::tcp_v4("servidor")?.bind("127.0.0.1:0".parse().unwrap())?.listen(5)?;
//! let mut buf = [0u8; 1024];
//! listener.recv(&mut buf)?;
//! # Ok::<(), socket_lifecycle::Error>(())
//! ```
//! ```no_run
//! # use socket_lifecycle::Socket;
//! let listener = Socket::tcp_v4("servidor")?.bind("127.0.0.1:0".parse().unwrap())?.listen(5)?;
//! let (conn, _peer) = listener.accept()?;
//! conn.send(b"ola")?;
//! let mut buf = [0u8; 1024];
//! conn.recv(&mut buf)?;
//! # Ok::<(), socket_lifecycle::Error>(())
//! ```
//!
//! **bind twice**
//! ```compile_fail,E0599
//! # use socket_lifecycle::Socket;
//! let addr = "127.0.0.1:0".parse().unwrap();
//! let bound = Socket::tcp_v4("servidor")?.bind(addr)?.bind(addr)?;
//! # Ok::<(), socket_lifecycle::Error>(())
//! ```
//! ```
//! # use socket_lifecycle::Socket;
//! let addr = "127.0.0.1:0".parse().unwrap();
//! let bound = Socket::tcp_v4("servidor")?.bind(addr)?;
//! # Ok::<(), socket_lifecycle::Error>(())
//! ```
//!
//! **connect on a listener**
//! ```compile_fail,E0599
//! # use socket_lifecycle::Socket;
//! let listener = Socket::tcp_v4("servidor")?.bind("127.0.0.1:0".parse().unwrap())?.listen(5)?;
//! let conn = listener.connect("127.0.0.1:8888".parse().unwrap())?;
//! # Ok::<(), socket_lifecycle::Error>(())
//! ```
//! ```
//! # use socket_lifecycle::Socket;
//! let listener = Socket::tcp_v4("servidor")?.bind("127.0.0.1:0".parse().unwrap())?.listen(5)?;
//! let server = listener.local_addr().unwrap();
//! let conn = Socket::tcp_v4("cliente")?.connect(server)?;
//! # Ok::<(), socket_lifecycle::Error>(())
//! ```
//!
//! **use after close**
//! ```compile_fail,E0382
//! # use socket_lifecycle::Socket;
//! # let listener = Socket::tcp_v4("servidor")?.bind("127.0.0.1:0".parse().unwrap())?.listen(5)?;
//! let conn = Socket::tcp_v4("cliente")?.connect(listener.local_addr().unwrap())?;
//! conn.close()?;
//! conn.send(b"ola")?;
//! # Ok::<(), socket_lifecycle::Error>(())
//! ```
//! ```
//! # use socket_lifecycle::Socket;
//! # let listener = Socket::tcp_v4("servidor")?.bind("127.0.0.1:0".parse().unwrap())?.listen(5)?;
//! let conn = Socket::tcp_v4("cliente")?.connect(listener.local_addr().unwrap())?;
//! conn.send(b"ola")?;
//! conn.close()?;
//! # Ok::<(), socket_lifecycle::Error>(())
//! ```
//!
//! **send on a socket still connecting** (a non-blocking connect is over
//! only once `finish_connect` read `SO_ERROR`)
//! ```compile_fail,E0599
//! # use socket_lifecycle::Socket;
//! # let listener = Socket::tcp_v4("servidor")?.bind("127.0.0.1:0".parse().unwrap())?.listen(5)?;
//! let connecting = Socket::tcp_v4("cliente")?.connect_nonblocking(listener.local_addr().unwrap())?;
//! connecting.send(b"ola")?;
//! # Ok::<(), socket_lifecycle::Error>(())
//! ```
//! ```
//! # use socket_lifecycle::Socket;
//! # let listener = Socket::tcp_v4("servidor")?.bind("127.0.0.1:0".parse().unwrap())?.listen(5)?;
//! let connecting = Socket::tcp_v4("cliente")?.connect_nonblocking(listener.local_addr().unwrap())?;
//! let connected = connecting.finish_connect(None)?;
//! connected.send(b"ola")?;
//! # Ok::<(), socket_lifecycle::Error>(())
//! ```
//!
//! **waiting on a closed socket** (an [`Interest`] borrows the socket, and
//! a closed one is gone)
//! ```compile_fail,E0382
//! # use socket_lifecycle::{Interest, Poll, Socket};
//! let listener = Socket::tcp_v4("servidor")?.bind("127.0.0.1:0".parse().unwrap())?.listen(5)?;
//! listener.close()?;
//! let ready = Poll::new("poll").wait(&[Interest::read(&listener)], None)?;
//! # Ok::<(), socket_lifecycle::Error>(())
//! ```
//! ```
//! # use socket_lifecycle::{Interest, Poll, Socket};
//! # use std::time::Duration;
//! let listener = Socket::tcp_v4("servidor")?.bind("127.0.0.1:0".parse().unwrap())?.listen(5)?;
//! let ready = Poll::new("poll").wait(&[Interest::read(&listener)], Some(Duration::from_millis(1)))?;
//! listener.close()?;
//! # Ok::<(), socket_lifecycle::Error>(())
//! ```
//!
//! **SO_REUSEADDR after bind** (it must come before, or bind cannot use it)
//! ```compile_fail,E0599
//! # use socket_lifecycle::Socket;
//! let bound = Socket::tcp_v4("servidor")?.bind("127.0.0.1:0".parse().unwrap())?.reuse_address(true)?;
//! # Ok::<(), socket_lifecycle::Error>(())
//! ```
//! ```
//! # use socket_lifecycle::Socket;
//! let bound = Socket::tcp_v4("servidor")?.reuse_address(true)?.bind("127.0.0.1:0".parse().unwrap())?;
//! # Ok::<(), socket_lifecycle::Error>(())
//! ```

mod closed;
mod core;
#[cfg(any(target_os = "linux", target_os = "android"))]
mod epoll;
mod poll;
mod socket;
mod state;
mod tcp;
pub mod udp;
#[cfg(unix)]
mod unix;
#[cfg(windows)]
mod windows;

pub use self::core::Result;
pub use closed::Closed;
#[cfg(any(target_os = "linux", target_os = "android"))]
pub use epoll::{Epoll, Trigger};
pub use poll::{Interest, Poll};
pub use socket::{Connection, Listener, Socket};
pub use state::{Bound, Connected, Connecting, Created, Listening, Protocol, State, Tcp, Udp};
pub use udp::{Received, UdpSocket};
