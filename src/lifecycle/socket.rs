//! [`Socket<S, P>`]: a socket in state `S` speaking protocol `P`, and what
//! every state has — `close`, its label and addresses, a short `Debug`.
//! (Its descriptor, through the system's own traits, is in `unix.rs` and
//! `windows.rs`.)

use std::fmt;
use std::marker::PhantomData;
use std::net::SocketAddr;

use super::closed::Closed;
use super::core::{Core, Result};
use super::state::{Connected, Listening, Protocol, State, Tcp};
use crate::event::{StateName, Transport};

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
    pub(super) core: Core,
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
    pub(super) fn from_core(core: Core) -> Socket<S, P> {
        Socket {
            core,
            _state: PhantomData,
        }
    }

    /// The same socket in state `T`.
    pub(super) fn into_state<T: State>(self) -> Socket<T, P> {
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
            Transport::Tcp => "Socket",
            Transport::Udp => "UdpSocket",
        };
        f.debug_struct(&format!("{kind}<{}>", S::NAME.as_str()))
            .field("label", &self.core.subject.tracer.label())
            .field("fd", &self.core.fd())
            .field("local", &self.core.subject.local)
            .field("peer", &self.core.subject.peer)
            .finish()
    }
}
