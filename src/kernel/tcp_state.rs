//! The kernel's answers about a TCP connection, on every system: its state
//! as Linux names it ([`TcpState`]), what it reports of a live socket
//! ([`TcpInfo`]), and what it still holds after the descriptor is gone
//! ([`Lingering`]).

use std::fmt;

/// What the kernel reports of a live TCP socket, as the trace shows it:
/// `getsockopt(TCP_INFO)` on Linux and FreeBSD,
/// `getsockopt(TCP_CONNECTION_INFO)` on macOS, `WSAIoctl(SIO_TCP_INFO)` on
/// Windows.
///
/// ```
/// use socket_lifecycle::kernel::{tcp_info, AsDescriptor};
/// use socket_lifecycle::{Socket, TcpState};
///
/// let listener = Socket::tcp_v4("servidor")?.bind("127.0.0.1:0".parse().unwrap())?.listen(5)?;
/// if let Some(info) = tcp_info(listener.descriptor()) {
///     assert_eq!(info.state, TcpState::Listen);
///     if cfg!(target_os = "linux") {
///         assert_eq!((info.accept_queue, info.accept_queue_limit), (Some(0), Some(5)));
///     }
/// }
/// # Ok::<(), socket_lifecycle::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TcpInfo {
    /// The connection's state (`tcpi_state`; Windows: `State`).
    pub state: TcpState,
    /// On a listening socket: connections waiting in the accept queue
    /// (Linux's `tcpi_unacked`; `ss` shows it as `Recv-Q`). `None` where
    /// the system does not tell.
    pub accept_queue: Option<u32>,
    /// On a listening socket: the accept queue's limit, the backlog given to
    /// `listen()` as the kernel capped it (Linux's `tcpi_sacked`; `ss`:
    /// `Send-Q`). `None` where the system does not tell.
    pub accept_queue_limit: Option<u32>,
}

/// A TCP connection state, named as the Linux kernel names it
/// (`tcp_states.h`) on every system.
///
/// `ss -tan` prints the same states with slightly different spellings
/// (`ESTAB`, `FIN-WAIT-2`), as do the BSDs' and Windows' `netstat`
/// (`FIN_WAIT_2`, `SYN_RCVD`, `CLOSED`); the states are RFC 793's, the same
/// on every system, and this type uses Linux's names for all of them.
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
    /// The side that closed first waits 2×MSL (60 s on Linux; each system
    /// sets its own), so that late segments of this connection cannot be
    /// taken for a new one's.
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
    /// No system call: maps Linux's number (`tcpi_state`, or the `st`
    /// column of `/proc/net/tcp`) to a state. (Each other system's
    /// numbering is read in that system's file of `kernel/`.)
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
    /// The kernel could not be asked: Linux without netlink `sock_diag` and
    /// without `/proc/net/tcp`, or another system (this library asks only
    /// Linux about a closed connection). Nothing is claimed.
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
