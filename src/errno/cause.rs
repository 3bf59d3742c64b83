//! [`Cause`]: what a failure means for the program, in no language and in
//! no system's numbering.

use super::code::Errno;

/// What a failure means, decided from its errno and the facts around it
/// (the call, the socket's family and shutdowns, whether it blocks).
///
/// ```
/// use socket_lifecycle::Cause;
///
/// use socket_lifecycle::errno::Errno;
///
/// assert!(Cause::NoListener.errnos().contains(&Errno::ECONNREFUSED));
/// assert!(Cause::ZeroTimeout.errnos().is_empty());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Cause {
    /// `ECONNREFUSED`: nobody listens on that address.
    NoListener,
    /// `EADDRINUSE`: another socket holds that address.
    PortInUse,
    /// `EACCES` / `EPERM`: e.g. a port below 1024 without privileges.
    Permission,
    /// `EPIPE` (Windows: `WSAESHUTDOWN`) after this program's own
    /// `shutdown(SHUT_WR)`: this side said it would send no more.
    OwnShutdown,
    /// `EPIPE` (`WSAESHUTDOWN`) otherwise: the connection is over (it was
    /// reset, or both sides closed it), so nothing more can be sent.
    ConnectionOver,
    /// `ECONNRESET` / `ECONNABORTED`: the peer's kernel reset the connection.
    Reset,
    /// `ETIMEDOUT`, or `EAGAIN` from a socket that blocks: a time limit
    /// (`SO_RCVTIMEO`, `SO_SNDTIMEO`) ran out (Windows answers
    /// `WSAETIMEDOUT`).
    TimedOut,
    /// `EAGAIN` from a blocking send with a time limit (`SO_SNDTIMEO`;
    /// Windows answers `WSAETIMEDOUT`): for that long the send buffer stayed
    /// full — the peer read nothing of what was sent.
    PeerNotReading,
    /// `EAGAIN` from a non-blocking socket (Windows: `WSAEWOULDBLOCK`):
    /// nothing is ready yet.
    WouldBlock,
    /// `EINVAL`: the call does not fit the kernel's view of the socket.
    OutOfOrder,
    /// `EINVAL` from `accept`: the socket no longer listens (a `shutdown`
    /// ended it, e.g. on Ctrl+C).
    NotListening,
    /// `EINVAL` / `EAFNOSUPPORT` for an address of the other family: an IPv4
    /// address given to an IPv6 socket, or the reverse.
    FamilyMismatch,
    /// `EAFNOSUPPORT` otherwise: the system does not offer this family.
    FamilyUnsupported,
    /// `EISCONN`: the socket is connected already.
    AlreadyConnected,
    /// `EBADF`: the descriptor is not open (something closed it already).
    BadDescriptor,
    /// `ENOTCONN`: the socket is not connected (never was, or no longer).
    NotConnected,
    /// `EADDRNOTAVAIL`: the address is not one of this machine's.
    AddressNotAvailable,
    /// `ENETUNREACH` / `EHOSTUNREACH`: no route.
    Unreachable,
    /// `EMFILE` / `ENFILE`: out of file descriptors.
    TooManyFiles,
    /// No errno: a time limit of zero, refused before any call (the kernel
    /// would read zero as "wait forever").
    ZeroTimeout,
    /// Anything else.
    Other,
}

impl Cause {
    /// Every cause, in the order of the error guide (`docs/*/04-*.md`).
    ///
    /// ```
    /// use socket_lifecycle::Cause;
    ///
    /// assert!(Cause::ALL.contains(&Cause::Reset));
    /// ```
    pub const ALL: [Cause; 21] = [
        Cause::NoListener,
        Cause::PortInUse,
        Cause::Permission,
        Cause::OwnShutdown,
        Cause::ConnectionOver,
        Cause::Reset,
        Cause::TimedOut,
        Cause::PeerNotReading,
        Cause::WouldBlock,
        Cause::OutOfOrder,
        Cause::NotListening,
        Cause::FamilyMismatch,
        Cause::FamilyUnsupported,
        Cause::AlreadyConnected,
        Cause::BadDescriptor,
        Cause::NotConnected,
        Cause::AddressNotAvailable,
        Cause::Unreachable,
        Cause::TooManyFiles,
        Cause::ZeroTimeout,
        Cause::Other,
    ];

    /// No system call: the errors that can mean this cause, under their
    /// POSIX names (none for [`Cause::Other`] and [`Cause::ZeroTimeout`]);
    /// each system numbers and names them its own way (Windows:
    /// `WSAECONNREFUSED` for `ECONNREFUSED`). Some mean one of several
    /// causes, as the facts decide: `EPIPE`, `ESHUTDOWN`, `EAGAIN`,
    /// `EINVAL`, `EAFNOSUPPORT`.
    ///
    /// ```
    /// use socket_lifecycle::Cause;
    /// use socket_lifecycle::errno::Errno;
    ///
    /// assert_eq!(Cause::NoListener.errnos(), &[Errno::ECONNREFUSED]);
    /// assert!(Cause::WouldBlock.errnos().contains(&Errno::EAGAIN));
    /// ```
    pub fn errnos(self) -> &'static [Errno] {
        match self {
            Cause::NoListener => &[Errno::ECONNREFUSED],
            Cause::PortInUse => &[Errno::EADDRINUSE],
            Cause::Permission => &[Errno::EACCES, Errno::EPERM],
            Cause::OwnShutdown | Cause::ConnectionOver => &[Errno::EPIPE, Errno::ESHUTDOWN],
            Cause::Reset => &[Errno::ECONNRESET, Errno::ECONNABORTED],
            Cause::TimedOut | Cause::PeerNotReading => &[Errno::ETIMEDOUT, Errno::EAGAIN],
            Cause::WouldBlock => &[Errno::EAGAIN, Errno::EWOULDBLOCK],
            Cause::OutOfOrder | Cause::NotListening => &[Errno::EINVAL],
            Cause::FamilyMismatch => &[Errno::EINVAL, Errno::EAFNOSUPPORT],
            Cause::FamilyUnsupported => &[Errno::EAFNOSUPPORT],
            Cause::AlreadyConnected => &[Errno::EISCONN],
            Cause::BadDescriptor => &[Errno::EBADF],
            Cause::NotConnected => &[Errno::ENOTCONN],
            Cause::AddressNotAvailable => &[Errno::EADDRNOTAVAIL],
            Cause::Unreachable => &[Errno::ENETUNREACH, Errno::EHOSTUNREACH],
            Cause::TooManyFiles => &[Errno::EMFILE, Errno::ENFILE],
            Cause::ZeroTimeout | Cause::Other => &[],
        }
    }
}
