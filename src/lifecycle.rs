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
//! The parts: `state.rs` (the sealed markers), `core.rs` (the socket under
//! every state, and the one place a call's event is made), `tcp.rs` and
//! `udp.rs` (the calls of each protocol, state by state), `closed.rs` (what a
//! closed socket leaves behind).
//!
//! # Types
//!
//! - [`Created`]: after `socket()`. Can set `SO_REUSEADDR`, `bind`, or
//!   `connect` (the kernel then picks the local port).
//! - [`Bound`]: after `bind()`. Can `listen` or `connect`.
//! - [`Listening`] ([`Listener`]): after `listen()`. Can only `accept`.
//! - [`Connected`] ([`Connection`]): after `connect()` or `accept()`. Can
//!   `send`, `recv`, `shutdown`.
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
mod state;
mod tcp;
pub mod udp;

use std::fmt;
use std::marker::PhantomData;
use std::net::SocketAddr;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, RawFd};

pub use closed::Closed;
pub use core::Result;
pub use state::{Bound, Connected, Created, Listening, Protocol, State, Tcp, Udp};
pub use udp::{Received, UdpSocket};

use crate::event::StateName;
use core::Core;

/// A socket in state `S` speaking protocol `P` (TCP unless said), over a
/// [`socket2::Socket`].
///
/// Dropping it closes it (`close(fd)`), and that close is traced like
/// [`Socket::close`].
///
/// ```
/// use socket_lifecycle::{Recorder, Socket, StateName};
///
/// let recorder = Recorder::new();
/// let listener = Socket::tcp_v4(recorder.tracer("servidor"))?   // Socket<Created>
///     .bind("127.0.0.1:0".parse().unwrap())?                    // Socket<Bound>
///     .listen(5)?;                                              // Socket<Listening>
/// assert_eq!(listener.state(), StateName::Listening);
/// listener.close()?;
/// assert_eq!(recorder.events().len(), 4); // socket, bind, listen, close
/// # Ok::<(), socket_lifecycle::Error>(())
/// ```
pub struct Socket<S: State, P: Protocol = Tcp> {
    core: Core,
    _state: PhantomData<(S, P)>,
}

/// A listening socket: `Socket<Listening>`.
///
/// ```
/// use socket_lifecycle::{Listener, Socket};
///
/// let listener: Listener = Socket::tcp_v4("servidor")?.bind("127.0.0.1:0".parse().unwrap())?.listen(5)?;
/// # Ok::<(), socket_lifecycle::Error>(())
/// ```
pub type Listener = Socket<Listening>;

/// One end of a TCP connection: `Socket<Connected>`.
///
/// ```
/// use socket_lifecycle::{Connection, Socket};
/// # let listener = Socket::tcp_v4("servidor")?.bind("127.0.0.1:0".parse().unwrap())?.listen(5)?;
///
/// let client: Connection = Socket::tcp_v4("cliente")?.connect(listener.local_addr().unwrap())?;
/// # Ok::<(), socket_lifecycle::Error>(())
/// ```
pub type Connection = Socket<Connected>;

impl<S: State, P: Protocol> Socket<S, P> {
    fn from_core(core: Core) -> Socket<S, P> {
        Socket {
            core,
            _state: PhantomData,
        }
    }

    /// The same socket in state `T`.
    fn into_state<T: State>(self) -> Socket<T, P> {
        let mut core = self.core;
        core.state = T::NAME;
        Socket::from_core(core)
    }

    /// `close(fd)`: releases the descriptor. On a TCP connection the kernel
    /// then ends the connection by itself — a FIN, or a reset (RST) when
    /// bytes were left unread — and the returned [`Closed`] can ask it what
    /// it still holds. Dropping a socket closes it the same way.
    ///
    /// ```
    /// let socket = socket_lifecycle::Socket::tcp_v4("cliente")?;
    /// let closed = socket.close()?;
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn close(self) -> Result<Closed> {
        let mut core = self.core;
        core.close()?;
        Ok(Closed::of(&core))
    }

    /// No system call: the socket's label in the trace.
    ///
    /// ```
    /// let socket = socket_lifecycle::Socket::tcp_v4("cliente")?;
    /// assert_eq!(socket.label(), "cliente");
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn label(&self) -> &str {
        self.core.subject.tracer.label()
    }

    /// No system call: the local address, as `getsockname` reported it after
    /// `bind`, `connect`, `accept` or a first UDP `sendto`; `None` before.
    ///
    /// ```
    /// let socket = socket_lifecycle::Socket::tcp_v4("servidor")?;
    /// assert_eq!(socket.local_addr(), None);
    /// let bound = socket.bind("127.0.0.1:0".parse().unwrap())?;
    /// assert_ne!(bound.local_addr().unwrap().port(), 0);
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn local_addr(&self) -> Option<SocketAddr> {
        self.core.subject.local
    }

    /// No system call: the state, as a value.
    ///
    /// ```
    /// let socket = socket_lifecycle::Socket::tcp_v4("cliente")?;
    /// assert_eq!(socket.state(), socket_lifecycle::StateName::Created);
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn state(&self) -> StateName {
        S::NAME
    }
}

impl<P: Protocol> Socket<Connected, P> {
    /// No system call: the peer's address, as `connect` or `accept` gave it.
    ///
    /// ```
    /// # use socket_lifecycle::Socket;
    /// # let listener = Socket::tcp_v4("servidor")?.bind("127.0.0.1:0".parse().unwrap())?.listen(5)?;
    /// let client = Socket::tcp_v4("cliente")?.connect(listener.local_addr().unwrap())?;
    /// assert_eq!(client.peer_addr(), listener.local_addr());
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn peer_addr(&self) -> Option<SocketAddr> {
        self.core.subject.peer
    }
}

/// Short: the state, the label, the descriptor and the addresses — never
/// the recorder's events.
///
/// ```
/// let socket = socket_lifecycle::Socket::tcp_v4("cliente")?;
/// let text = format!("{socket:?}");
/// assert!(text.starts_with("Socket<Created> { label: \"cliente\", fd: "));
/// assert!(text.len() < 120);
/// # Ok::<(), socket_lifecycle::Error>(())
/// ```
impl<S: State, P: Protocol> fmt::Debug for Socket<S, P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match P::TRANSPORT {
            crate::event::Transport::Tcp => "Socket",
            crate::event::Transport::Udp => "UdpSocket",
        };
        f.debug_struct(&format!("{kind}<{}>", S::NAME.as_str()))
            .field("label", &self.core.subject.tracer.label())
            .field("fd", &self.core.fd())
            .field("local", &self.core.subject.local)
            .field("peer", &self.core.subject.peer)
            .finish()
    }
}

impl<S: State, P: Protocol> AsFd for Socket<S, P> {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.core.socket.as_fd()
    }
}

impl<S: State, P: Protocol> AsRawFd for Socket<S, P> {
    fn as_raw_fd(&self) -> RawFd {
        self.core.fd()
    }
}
