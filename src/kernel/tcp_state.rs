//! The TCP states as the kernel names them, and what the kernel still holds
//! of a connection after its descriptor is gone ([`Lingering`]).

use std::fmt;

/// A TCP connection state, as the Linux kernel numbers it (`tcp_states.h`).
///
/// `ss -tan` prints the same states with slightly different spellings
/// (`ESTAB`, `FIN-WAIT-2`); this type uses the kernel's names.
///
/// ```
/// use socket_lifecycle::TcpState;
///
/// assert_eq!(TcpState::from_kernel(1), Some(TcpState::Established));
/// assert_eq!(TcpState::TimeWait.to_string(), "TIME_WAIT");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TcpState {
    /// Data flows both ways: the three-way handshake is done.
    Established,
    /// A `connect()` sent its SYN and waits for the SYN-ACK.
    SynSent,
    /// A listener received a SYN and answered with a SYN-ACK.
    SynRecv,
    /// This side closed first and sent its FIN; no ACK yet.
    FinWait1,
    /// This side's FIN was acknowledged; it waits for the peer's FIN.
    FinWait2,
    /// The side that closed first waits 2×MSL (60 s on Linux), so that late
    /// segments of this connection cannot be taken for a new one's.
    TimeWait,
    /// No connection: a fresh or a bound socket.
    Close,
    /// The peer sent its FIN (`recv` returned 0); this side has yet to close.
    CloseWait,
    /// This side closed after the peer did; it waits for the last ACK.
    LastAck,
    /// A listening socket, queueing connections for `accept()`.
    Listen,
    /// Both sides sent a FIN at the same time.
    Closing,
}

impl TcpState {
    /// No system call: maps the kernel's number (`tcpi_state`, or the `st`
    /// column of `/proc/net/tcp`) to a state.
    ///
    /// ```
    /// use socket_lifecycle::TcpState;
    ///
    /// assert_eq!(TcpState::from_kernel(10), Some(TcpState::Listen));
    /// assert_eq!(TcpState::from_kernel(0), None);
    /// ```
    pub fn from_kernel(code: u8) -> Option<TcpState> {
        Some(match code {
            1 => TcpState::Established,
            2 => TcpState::SynSent,
            3 => TcpState::SynRecv,
            4 => TcpState::FinWait1,
            5 => TcpState::FinWait2,
            6 => TcpState::TimeWait,
            7 => TcpState::Close,
            8 => TcpState::CloseWait,
            9 => TcpState::LastAck,
            10 => TcpState::Listen,
            11 => TcpState::Closing,
            _ => return None,
        })
    }

    /// No system call: the kernel's name of the state, e.g. `ESTABLISHED`.
    ///
    /// ```
    /// assert_eq!(socket_lifecycle::TcpState::CloseWait.name(), "CLOSE_WAIT");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            TcpState::Established => "ESTABLISHED",
            TcpState::SynSent => "SYN_SENT",
            TcpState::SynRecv => "SYN_RECV",
            TcpState::FinWait1 => "FIN_WAIT1",
            TcpState::FinWait2 => "FIN_WAIT2",
            TcpState::TimeWait => "TIME_WAIT",
            TcpState::Close => "CLOSE",
            TcpState::CloseWait => "CLOSE_WAIT",
            TcpState::LastAck => "LAST_ACK",
            TcpState::Listen => "LISTEN",
            TcpState::Closing => "CLOSING",
        }
    }
}

impl fmt::Display for TcpState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What the kernel holds of a connection's four-tuple when asked — typically
/// after its descriptor was closed.
///
/// ```
/// use socket_lifecycle::kernel::Lingering;
/// use socket_lifecycle::TcpState;
///
/// assert_eq!(Lingering::Holds(TcpState::TimeWait).state(), Some(TcpState::TimeWait));
/// assert_eq!(Lingering::Gone.state(), None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lingering {
    /// The kernel still keeps the connection, in this state.
    Holds(TcpState),
    /// The kernel has no such connection any more.
    Gone,
    /// The kernel could not be asked (no netlink `sock_diag` and no
    /// `/proc/net/tcp`: not Linux). Nothing is claimed.
    Unknown,
}

impl Lingering {
    /// No system call: the state held, if any.
    pub fn state(self) -> Option<TcpState> {
        match self {
            Lingering::Holds(state) => Some(state),
            Lingering::Gone | Lingering::Unknown => None,
        }
    }
}
