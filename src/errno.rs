//! Error numbers: their symbolic names, and the [`Cause`]s a failure can
//! have — what it means for the program, in no language.
//!
//! A leaf: which cause a failure has is decided from the facts of its event
//! ([`crate::Event::cause`]); what a cause is called and what to do about it
//! are words, in `render/words/`.
//!
//! ```
//! use socket_lifecycle::errno::errno_name;
//!
//! assert_eq!(errno_name(libc::ECONNREFUSED), Some("ECONNREFUSED"));
//! assert_eq!(errno_name(-1), None);
//! ```

/// What a failure means, decided from its errno and the facts around it
/// (the call, the socket's family and shutdowns, whether it blocks).
///
/// ```
/// use socket_lifecycle::Cause;
///
/// assert!(Cause::NoListener.errnos().contains(&libc::ECONNREFUSED));
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
    /// `EPIPE` after this program's own `shutdown(SHUT_WR)`: this side
    /// said it would send no more.
    OwnShutdown,
    /// `EPIPE` otherwise: the connection is over (it was reset, or both
    /// sides closed it), so nothing more can be sent.
    ConnectionOver,
    /// `ECONNRESET` / `ECONNABORTED`: the peer's kernel reset the connection.
    Reset,
    /// `ETIMEDOUT`, or `EAGAIN` from a socket that blocks: a time limit
    /// (`SO_RCVTIMEO`, `SO_SNDTIMEO`) ran out.
    TimedOut,
    /// `EAGAIN` from a non-blocking socket: nothing is ready yet.
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
    pub const ALL: [Cause; 20] = [
        Cause::NoListener,
        Cause::PortInUse,
        Cause::Permission,
        Cause::OwnShutdown,
        Cause::ConnectionOver,
        Cause::Reset,
        Cause::TimedOut,
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

    /// No system call: the errno values that can mean this cause (none for
    /// [`Cause::Other`] and [`Cause::ZeroTimeout`]). Some errnos mean one of
    /// several causes, as the facts decide: `EPIPE`, `EAGAIN`, `EINVAL`,
    /// `EAFNOSUPPORT`.
    ///
    /// ```
    /// use socket_lifecycle::Cause;
    ///
    /// assert_eq!(Cause::NoListener.errnos(), &[libc::ECONNREFUSED]);
    /// assert!(Cause::WouldBlock.errnos().contains(&libc::EAGAIN));
    /// ```
    pub fn errnos(self) -> &'static [i32] {
        match self {
            Cause::NoListener => &[libc::ECONNREFUSED],
            Cause::PortInUse => &[libc::EADDRINUSE],
            Cause::Permission => &[libc::EACCES, libc::EPERM],
            Cause::OwnShutdown | Cause::ConnectionOver => &[libc::EPIPE],
            Cause::Reset => &[libc::ECONNRESET, libc::ECONNABORTED],
            Cause::TimedOut => &[libc::ETIMEDOUT, libc::EAGAIN],
            Cause::WouldBlock => &[libc::EAGAIN],
            Cause::OutOfOrder | Cause::NotListening => &[libc::EINVAL],
            Cause::FamilyMismatch => &[libc::EINVAL, libc::EAFNOSUPPORT],
            Cause::FamilyUnsupported => &[libc::EAFNOSUPPORT],
            Cause::AlreadyConnected => &[libc::EISCONN],
            Cause::BadDescriptor => &[libc::EBADF],
            Cause::NotConnected => &[libc::ENOTCONN],
            Cause::AddressNotAvailable => &[libc::EADDRNOTAVAIL],
            Cause::Unreachable => &[libc::ENETUNREACH, libc::EHOSTUNREACH],
            Cause::TooManyFiles => &[libc::EMFILE, libc::ENFILE],
            Cause::ZeroTimeout | Cause::Other => &[],
        }
    }
}

/// The errno values this library names, with the names strace prints.
const NAMES: &[(i32, &str)] = &[
    (libc::EPERM, "EPERM"),
    (libc::ENOENT, "ENOENT"),
    (libc::EINTR, "EINTR"),
    (libc::EBADF, "EBADF"),
    (libc::EAGAIN, "EAGAIN"),
    (libc::ENOMEM, "ENOMEM"),
    (libc::EACCES, "EACCES"),
    (libc::EFAULT, "EFAULT"),
    (libc::EINVAL, "EINVAL"),
    (libc::ENFILE, "ENFILE"),
    (libc::EMFILE, "EMFILE"),
    (libc::EPIPE, "EPIPE"),
    (libc::EPROTO, "EPROTO"),
    (libc::ENOTSOCK, "ENOTSOCK"),
    (libc::EMSGSIZE, "EMSGSIZE"),
    (libc::EPROTOTYPE, "EPROTOTYPE"),
    (libc::ENOPROTOOPT, "ENOPROTOOPT"),
    (libc::EPROTONOSUPPORT, "EPROTONOSUPPORT"),
    (libc::EOPNOTSUPP, "EOPNOTSUPP"),
    (libc::EAFNOSUPPORT, "EAFNOSUPPORT"),
    (libc::EADDRINUSE, "EADDRINUSE"),
    (libc::EADDRNOTAVAIL, "EADDRNOTAVAIL"),
    (libc::ENETDOWN, "ENETDOWN"),
    (libc::ENETUNREACH, "ENETUNREACH"),
    (libc::ECONNABORTED, "ECONNABORTED"),
    (libc::ECONNRESET, "ECONNRESET"),
    (libc::ENOBUFS, "ENOBUFS"),
    (libc::EISCONN, "EISCONN"),
    (libc::ENOTCONN, "ENOTCONN"),
    (libc::ETIMEDOUT, "ETIMEDOUT"),
    (libc::ECONNREFUSED, "ECONNREFUSED"),
    (libc::EHOSTUNREACH, "EHOSTUNREACH"),
    (libc::EALREADY, "EALREADY"),
    (libc::EINPROGRESS, "EINPROGRESS"),
];

/// No system call: the symbolic name of an errno value, as strace prints it
/// (`ECONNREFUSED` for 111 on Linux). `None` for numbers this table lacks.
///
/// ```
/// use socket_lifecycle::errno::errno_name;
///
/// assert_eq!(errno_name(libc::EADDRINUSE), Some("EADDRINUSE"));
/// ```
pub fn errno_name(code: i32) -> Option<&'static str> {
    NAMES
        .iter()
        .find(|(number, _)| *number == code)
        .map(|(_, name)| *name)
}

/// No system call: every errno value [`errno_name`] knows, for tables that
/// must cover them all (each language describes each one).
///
/// ```
/// use socket_lifecycle::errno::{errno_name, known_errnos};
///
/// assert!(known_errnos().all(|errno| errno_name(errno).is_some()));
/// ```
pub fn known_errnos() -> impl Iterator<Item = i32> {
    NAMES.iter().map(|(number, _)| *number)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_cause_with_an_errno_has_its_name() {
        for cause in Cause::ALL {
            for &errno in cause.errnos() {
                assert!(errno_name(errno).is_some(), "{cause:?}: {errno}");
            }
        }
    }

    #[test]
    fn names_are_unique() {
        let mut names: Vec<&str> = NAMES.iter().map(|(_, name)| *name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), NAMES.len());
    }
}
