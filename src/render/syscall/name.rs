//! [`Call::name`] and [`SocketOption::name`]: a call's and an option's
//! names as this system names them.

use super::observed::option_name;
use crate::event::{Call, SocketOption};

#[cfg(unix)]
use super::unix::{NAMES, name};
#[cfg(windows)]
use super::windows::{NAMES, name};

impl Call {
    /// No system call: the name of the call as this system names it — as
    /// strace prints it on Linux (`accept4`, `sendto`, `recvfrom`; `write`
    /// or `read` for a program traced from outside that used them), the
    /// BSD system call on macOS and FreeBSD (`accept` on macOS), Winsock's
    /// on Windows (`WSASocketW`, `accept`, `send`, `recv`, `closesocket`).
    ///
    /// ```
    /// use socket_lifecycle::event::{Call, Transfer};
    ///
    /// assert_eq!(Call::Listen { backlog: 5 }.name(), "listen");
    /// if cfg!(target_os = "linux") {
    ///     let via = Transfer::SendRecv { flags: libc::MSG_NOSIGNAL };
    ///     assert_eq!(Call::Send { data: Vec::new(), len: 0, via }.name(), "sendto");
    ///     let via = Transfer::ReadWrite;
    ///     assert_eq!(Call::Send { data: Vec::new(), len: 0, via }.name(), "write");
    /// }
    /// ```
    pub fn name(&self) -> &'static str {
        name(self)
    }
}

impl SocketOption {
    /// No system call: the option's name — the same on every system for
    /// the options the library names; for any other, the name this
    /// system's headers give its numbers (`SO_KEEPALIVE`), or `?`.
    ///
    /// ```
    /// use socket_lifecycle::event::SocketOption;
    ///
    /// assert_eq!(SocketOption::NoDelay(true).name(), "TCP_NODELAY");
    /// let unknown = SocketOption::Other { level: -1, name: -1, value: None, len: 0 };
    /// assert_eq!(unknown.name(), "?");
    /// ```
    pub fn name(&self) -> &'static str {
        match self {
            SocketOption::ReuseAddress(_) => "SO_REUSEADDR",
            SocketOption::ReadTimeout(_) => "SO_RCVTIMEO",
            SocketOption::WriteTimeout(_) => "SO_SNDTIMEO",
            SocketOption::Linger { .. } => "SO_LINGER",
            SocketOption::NoDelay(_) => "TCP_NODELAY",
            SocketOption::Other { level, name, .. } => option_name(NAMES, *level, *name),
        }
    }
}
