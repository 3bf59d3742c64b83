//! The states of a socket's life as types: sealed, uninhabited markers — one
//! set for TCP and UDP alike — and the protocol a socket speaks, a marker
//! too. Each marker has a runtime mirror for the trace ([`StateName`],
//! [`Transport`]).

use crate::event::{StateName, Transport};

mod sealed {
    pub trait Sealed {}
}

/// A state in a socket's life. Sealed: the five states here are all there is.
///
/// ```
/// use socket_lifecycle::{Socket, State, StateName};
///
/// fn state_of<S: State>(_: &Socket<S>) -> StateName {
///     S::NAME
/// }
/// let socket = Socket::tcp_v4("cliente")?;
/// assert_eq!(state_of(&socket), StateName::Created);
/// # Ok::<(), socket_lifecycle::Error>(())
/// ```
pub trait State: sealed::Sealed {
    /// The state's runtime mirror, for the trace.
    const NAME: StateName;
}

/// After `socket()`: an endpoint with no address yet.
///
/// ```
/// use socket_lifecycle::{Created, Socket};
///
/// let socket: Socket<Created> = Socket::tcp_v4("servidor")?;
/// # Ok::<(), socket_lifecycle::Error>(())
/// ```
#[derive(Debug)]
pub enum Created {}
/// After `bind()` (or, for UDP, a first `sendto()`): the socket owns a
/// local address.
///
/// ```
/// use socket_lifecycle::{Bound, Socket};
///
/// let bound: Socket<Bound> = Socket::tcp_v4("servidor")?.bind("127.0.0.1:0".parse().unwrap())?;
/// # Ok::<(), socket_lifecycle::Error>(())
/// ```
#[derive(Debug)]
pub enum Bound {}
/// After `listen()`: the kernel queues incoming connections for `accept()`.
/// TCP only: no method makes a UDP socket listen.
///
/// ```
/// use socket_lifecycle::{Listening, Socket};
///
/// let listener: Socket<Listening> = Socket::tcp_v4("servidor")?
///     .bind("127.0.0.1:0".parse().unwrap())?
///     .listen(5)?;
/// # Ok::<(), socket_lifecycle::Error>(())
/// ```
#[derive(Debug)]
pub enum Listening {}
/// After a non-blocking `connect()` answered `EINPROGRESS`: the kernel
/// has sent the SYN and finishes the handshake by itself. Nothing can be
/// sent or received yet; [`crate::Socket::finish_connect`] waits until the
/// socket is writable (`poll`) and reads how the handshake ended
/// (`getsockopt(SO_ERROR)`), and only then is the socket [`Connected`].
///
/// ```
/// # use socket_lifecycle::Socket;
/// # let listener = Socket::tcp_v4("servidor")?.bind("127.0.0.1:0".parse().unwrap())?.listen(5)?;
/// use socket_lifecycle::Connecting;
///
/// let connecting: Socket<Connecting> = Socket::tcp_v4("cliente")?
///     .connect_nonblocking(listener.local_addr().unwrap())?;
/// # Ok::<(), socket_lifecycle::Error>(())
/// ```
#[derive(Debug)]
pub enum Connecting {}
/// After `connect()` or `accept()`: one end of an established TCP
/// connection; for UDP, a socket whose peer `connect()` fixed.
///
/// ```
/// # use socket_lifecycle::Socket;
/// # let listener = Socket::tcp_v4("servidor")?.bind("127.0.0.1:0".parse().unwrap())?.listen(5)?;
/// use socket_lifecycle::Connected;
///
/// let client: Socket<Connected> = Socket::tcp_v4("cliente")?.connect(listener.local_addr().unwrap())?;
/// let (accepted, _peer): (Socket<Connected>, _) = listener.accept()?;
/// # Ok::<(), socket_lifecycle::Error>(())
/// ```
#[derive(Debug)]
pub enum Connected {}

impl sealed::Sealed for Created {}
impl sealed::Sealed for Bound {}
impl sealed::Sealed for Listening {}
impl sealed::Sealed for Connecting {}
impl sealed::Sealed for Connected {}
impl State for Created {
    const NAME: StateName = StateName::Created;
}
impl State for Bound {
    const NAME: StateName = StateName::Bound;
}
impl State for Listening {
    const NAME: StateName = StateName::Listening;
}
impl State for Connecting {
    const NAME: StateName = StateName::Connecting;
}
impl State for Connected {
    const NAME: StateName = StateName::Connected;
}

/// The protocol a [`crate::Socket`] speaks, as a type. Sealed: [`Tcp`] and
/// [`Udp`].
pub trait Protocol: sealed::Sealed {
    /// The protocol's runtime mirror, for the trace.
    const TRANSPORT: Transport;
}

/// TCP: a connection, a byte stream. The default protocol of
/// [`crate::Socket`].
#[derive(Debug)]
pub enum Tcp {}
/// UDP: no connection, one datagram at a time ([`crate::UdpSocket`]).
#[derive(Debug)]
pub enum Udp {}

impl sealed::Sealed for Tcp {}
impl sealed::Sealed for Udp {}
impl Protocol for Tcp {
    const TRANSPORT: Transport = Transport::Tcp;
}
impl Protocol for Udp {
    const TRANSPORT: Transport = Transport::Udp;
}
