//! [`Call::name`]: a call's name as this system names it.

use crate::event::Call;

#[cfg(unix)]
use super::unix::name;
#[cfg(windows)]
use super::windows::name;

impl Call {
    /// No system call: the name of the call as this system names it — as
    /// strace prints it on Linux (`accept4`, `sendto`, `recvfrom`), the BSD
    /// system call on macOS and FreeBSD (`accept` on macOS), Winsock's on
    /// Windows (`WSASocketW`, `accept`, `send`, `recv`, `closesocket`).
    ///
    /// ```
    /// use socket_lifecycle::event::Call;
    ///
    /// assert_eq!(Call::Listen { backlog: 5 }.name(), "listen");
    /// if cfg!(target_os = "linux") {
    ///     let send = Call::Send { data: Vec::new(), len: 0, msg_nosignal: true };
    ///     assert_eq!(send.name(), "sendto");
    /// }
    /// ```
    pub fn name(&self) -> &'static str {
        name(self)
    }
}
