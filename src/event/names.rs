//! What a socket is, as values: its typestate ([`StateName`], the runtime
//! mirror of the marker types), its address family and its protocol.

use std::net::SocketAddr;

/// The typestate of a socket, as a value: the runtime mirror of the marker
/// types in [`crate::lifecycle`], for printing.
///
/// ```
/// use socket_lifecycle::{Socket, StateName};
///
/// let socket = Socket::tcp_v4("cliente")?;
/// assert_eq!(socket.state(), StateName::Created);
/// # Ok::<(), socket_lifecycle::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StateName {
    /// After `socket()`: [`crate::Created`].
    Created,
    /// After `bind()`: [`crate::Bound`].
    Bound,
    /// After `listen()`: [`crate::Listening`].
    Listening,
    /// After a non-blocking `connect()` answered `EINPROGRESS`: the
    /// handshake is under way ([`crate::Connecting`]).
    Connecting,
    /// After `connect()` or `accept()`: [`crate::Connected`].
    Connected,
    /// After `close()`: the descriptor is gone.
    Closed,
}

impl StateName {
    /// No system call: the name as the trace prints it.
    ///
    /// ```
    /// assert_eq!(socket_lifecycle::StateName::Listening.as_str(), "Listening");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            StateName::Created => "Created",
            StateName::Bound => "Bound",
            StateName::Listening => "Listening",
            StateName::Connecting => "Connecting",
            StateName::Connected => "Connected",
            StateName::Closed => "Closed",
        }
    }
}

/// The address family of a socket.
///
/// ```
/// use socket_lifecycle::event::Family;
///
/// assert_eq!(Family::of(&"[::1]:8888".parse().unwrap()), Family::V6);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Family {
    /// IPv4, `AF_INET`.
    V4,
    /// IPv6, `AF_INET6`.
    V6,
}

impl Family {
    /// No system call: the family an address belongs to.
    ///
    /// ```
    /// use socket_lifecycle::event::Family;
    ///
    /// assert_eq!(Family::of(&"127.0.0.1:8888".parse().unwrap()), Family::V4);
    /// ```
    pub fn of(addr: &SocketAddr) -> Family {
        if addr.is_ipv4() {
            Family::V4
        } else {
            Family::V6
        }
    }
}

/// The transport a socket speaks: the `type` and `protocol` arguments of
/// `socket()`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Transport {
    /// TCP: `SOCK_STREAM`, `IPPROTO_TCP` — a connection, a byte stream.
    Tcp,
    /// UDP: `SOCK_DGRAM`, `IPPROTO_UDP` — no connection, one datagram at a time.
    Udp,
}
