//! [`Errno`]: an error number's meaning, under its POSIX name, whichever
//! system numbered it.

/// What an error number means, under its POSIX name: the same on every
/// system, whatever number and name the system gives it (Linux's 111 and
/// Windows' `WSAECONNREFUSED`, 10061, are both [`Errno::ECONNREFUSED`]).
/// [`Errno::of`] reads a number of this system; [`Errno::code`] gives it.
///
/// Two are kept apart although Linux and the BSDs give them one number:
/// `EAGAIN`, which a blocking socket also answers when `SO_RCVTIMEO` runs
/// out, and `EWOULDBLOCK`, Windows' `WSAEWOULDBLOCK`, which only a
/// non-blocking socket answers there (its timeout is `WSAETIMEDOUT`).
///
/// ```
/// use socket_lifecycle::errno::Errno;
///
/// assert_eq!(Errno::ECONNRESET.name(), "ECONNRESET");
/// if let Some(code) = Errno::EADDRINUSE.code() {
///     assert_eq!(Errno::of(code), Some(Errno::EADDRINUSE));
/// }
/// ```
#[allow(clippy::upper_case_acronyms)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Errno {
    /// Operation not permitted.
    EPERM,
    /// No such file or directory.
    ENOENT,
    /// A signal interrupted the call.
    EINTR,
    /// Not an open descriptor.
    EBADF,
    /// Try again: nothing ready on a non-blocking socket, or a time limit
    /// ran out on a blocking one (Linux, BSD).
    EAGAIN,
    /// Nothing ready on a non-blocking socket (Windows' `WSAEWOULDBLOCK`;
    /// elsewhere the number of [`Errno::EAGAIN`]).
    EWOULDBLOCK,
    /// Out of memory.
    ENOMEM,
    /// Permission denied.
    EACCES,
    /// A bad address was given to the call.
    EFAULT,
    /// Invalid argument.
    EINVAL,
    /// Too many open files in the system.
    ENFILE,
    /// Too many open files in this process.
    EMFILE,
    /// Broken pipe: writing to a connection that can take no more.
    EPIPE,
    /// Protocol error.
    EPROTO,
    /// Not a socket.
    ENOTSOCK,
    /// A destination address is required.
    EDESTADDRREQ,
    /// Message too long.
    EMSGSIZE,
    /// Protocol of the wrong type for the socket.
    EPROTOTYPE,
    /// Protocol option not available.
    ENOPROTOOPT,
    /// Protocol not supported.
    EPROTONOSUPPORT,
    /// Socket type not supported.
    ESOCKTNOSUPPORT,
    /// Operation not supported.
    EOPNOTSUPP,
    /// Protocol family not supported.
    EPFNOSUPPORT,
    /// Address family not supported.
    EAFNOSUPPORT,
    /// Address already in use.
    EADDRINUSE,
    /// The address is not this machine's.
    EADDRNOTAVAIL,
    /// The network is down.
    ENETDOWN,
    /// The network is unreachable.
    ENETUNREACH,
    /// The network dropped the connection on reset.
    ENETRESET,
    /// This side's software aborted the connection.
    ECONNABORTED,
    /// The peer reset the connection.
    ECONNRESET,
    /// No buffer space available.
    ENOBUFS,
    /// Already connected.
    EISCONN,
    /// Not connected.
    ENOTCONN,
    /// Cannot send after this side's shutdown (Windows' `WSAESHUTDOWN`).
    ESHUTDOWN,
    /// The connection timed out.
    ETIMEDOUT,
    /// The connection was refused.
    ECONNREFUSED,
    /// The host is down.
    EHOSTDOWN,
    /// No route to the host.
    EHOSTUNREACH,
    /// An operation is already in progress.
    EALREADY,
    /// The operation is now in progress.
    EINPROGRESS,
}

impl Errno {
    /// No system call: the POSIX name, e.g. `ECONNREFUSED` (what
    /// [`crate::errno::errno_name`] gives on Linux, macOS and FreeBSD;
    /// Windows prefixes it: `WSAECONNREFUSED`).
    ///
    /// ```
    /// assert_eq!(socket_lifecycle::errno::Errno::EPIPE.name(), "EPIPE");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Errno::EPERM => "EPERM",
            Errno::ENOENT => "ENOENT",
            Errno::EINTR => "EINTR",
            Errno::EBADF => "EBADF",
            Errno::EAGAIN => "EAGAIN",
            Errno::EWOULDBLOCK => "EWOULDBLOCK",
            Errno::ENOMEM => "ENOMEM",
            Errno::EACCES => "EACCES",
            Errno::EFAULT => "EFAULT",
            Errno::EINVAL => "EINVAL",
            Errno::ENFILE => "ENFILE",
            Errno::EMFILE => "EMFILE",
            Errno::EPIPE => "EPIPE",
            Errno::EPROTO => "EPROTO",
            Errno::ENOTSOCK => "ENOTSOCK",
            Errno::EDESTADDRREQ => "EDESTADDRREQ",
            Errno::EMSGSIZE => "EMSGSIZE",
            Errno::EPROTOTYPE => "EPROTOTYPE",
            Errno::ENOPROTOOPT => "ENOPROTOOPT",
            Errno::EPROTONOSUPPORT => "EPROTONOSUPPORT",
            Errno::ESOCKTNOSUPPORT => "ESOCKTNOSUPPORT",
            Errno::EOPNOTSUPP => "EOPNOTSUPP",
            Errno::EPFNOSUPPORT => "EPFNOSUPPORT",
            Errno::EAFNOSUPPORT => "EAFNOSUPPORT",
            Errno::EADDRINUSE => "EADDRINUSE",
            Errno::EADDRNOTAVAIL => "EADDRNOTAVAIL",
            Errno::ENETDOWN => "ENETDOWN",
            Errno::ENETUNREACH => "ENETUNREACH",
            Errno::ENETRESET => "ENETRESET",
            Errno::ECONNABORTED => "ECONNABORTED",
            Errno::ECONNRESET => "ECONNRESET",
            Errno::ENOBUFS => "ENOBUFS",
            Errno::EISCONN => "EISCONN",
            Errno::ENOTCONN => "ENOTCONN",
            Errno::ESHUTDOWN => "ESHUTDOWN",
            Errno::ETIMEDOUT => "ETIMEDOUT",
            Errno::ECONNREFUSED => "ECONNREFUSED",
            Errno::EHOSTDOWN => "EHOSTDOWN",
            Errno::EHOSTUNREACH => "EHOSTUNREACH",
            Errno::EALREADY => "EALREADY",
            Errno::EINPROGRESS => "EINPROGRESS",
        }
    }
}
