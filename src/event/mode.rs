//! [`Mode`]: what the program had set or shut on a socket before a call.

use std::time::Duration;

/// What the program had set or shut on a socket before a call: the facts
/// that change what a result means (a `recv` that returns 0 after this
/// side's own `shutdown(SHUT_RD)` is not the peer's FIN; an `EAGAIN` from a
/// non-blocking socket is not a timeout).
///
/// ```
/// use socket_lifecycle::event::Mode;
///
/// let fresh = Mode::default();
/// assert!(!fresh.shut_read && !fresh.shut_write && !fresh.nonblocking);
/// assert_eq!((fresh.read_timeout, fresh.write_timeout), (None, None));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Mode {
    /// This program shut the socket's reading (`SHUT_RD` or `SHUT_RDWR`).
    pub shut_read: bool,
    /// This program shut the socket's sending (`SHUT_WR` or `SHUT_RDWR`):
    /// its FIN has left.
    pub shut_write: bool,
    /// `O_NONBLOCK` is set: calls that would wait fail with `EAGAIN`
    /// instead (learned from `fcntl(F_GETFL)` when a call says `EAGAIN`).
    pub nonblocking: bool,
    /// The receive time limit set through the library (`SO_RCVTIMEO`).
    pub read_timeout: Option<Duration>,
    /// The send time limit set through the library (`SO_SNDTIMEO`): a
    /// send that fails for time then means the peer did not read.
    pub write_timeout: Option<Duration>,
}
