//! Events: the facts of one system call on one socket, as pure data.
//!
//! An [`Event`] says which socket, which call with which arguments
//! ([`Call`]), what the kernel answered ([`Outcome`]), the typestate before
//! and after, what the program had set or shut on the socket ([`Mode`]) and
//! what the kernel said right after ([`TcpInfo`]). Facts that belong to one
//! kind of call — the state of an accepted connection, what the kernel held
//! after a close — live in that call's variant.
//!
//! Nothing here renders: the strace line, the narration in each language,
//! the redacted form and the diagrams read events (`render`, `diagram`), and
//! events never change for them. Events are made in one place, where the
//! library makes the call (`lifecycle`).
//!
//! ```
//! use socket_lifecycle::{Recorder, Socket, StateName};
//! use socket_lifecycle::event::Call;
//!
//! let recorder = Recorder::new();
//! Socket::tcp_v4(recorder.tracer("servidor"))?.bind("127.0.0.1:0".parse().unwrap())?;
//! let bind = &recorder.events()[1];
//! assert!(matches!(bind.call, Call::Bind { addr } if addr.port() == 0));
//! assert_eq!((bind.before, bind.after), (Some(StateName::Created), Some(StateName::Bound)));
//! # Ok::<(), socket_lifecycle::Error>(())
//! ```

mod call;
mod cause;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

pub use call::{Call, DATA_PREVIEW};

use crate::kernel::TcpInfo;

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

/// The kernel's answer to a call: a return value, or `-1` and an errno.
///
/// ```
/// use socket_lifecycle::event::Outcome;
/// use socket_lifecycle::{Recorder, Socket};
///
/// let recorder = Recorder::new();
/// # let holder = Socket::tcp_v4("sem-escuta")?.bind("127.0.0.1:0".parse().unwrap())?;
/// let refused = Socket::tcp_v4(recorder.tracer("cliente"))?.connect(holder.local_addr().unwrap());
/// assert!(refused.is_err());
/// let connect = &recorder.events()[1];
/// assert_eq!(connect.outcome, Outcome::Failed(libc::ECONNREFUSED));
/// # Ok::<(), socket_lifecycle::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The call succeeded and returned this value (an fd, a byte count, 0).
    Returned(i64),
    /// The call failed with this errno.
    Failed(i32),
}

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
/// assert_eq!(fresh.read_timeout, None);
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
}

/// One step of a socket's life: one system call and what followed from it.
///
/// ```
/// use socket_lifecycle::{Recorder, Socket, StateName};
///
/// let recorder = Recorder::new();
/// Socket::tcp_v4(recorder.tracer("servidor"))?.bind("127.0.0.1:0".parse().unwrap())?;
/// let bind = &recorder.events()[1];
/// assert_eq!(&*bind.socket, "servidor");
/// assert_eq!(bind.local.unwrap().ip().to_string(), "127.0.0.1");
/// # Ok::<(), socket_lifecycle::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// A number that orders all events of the process.
    pub seq: u64,
    /// The thread that made the call (its name, or its id).
    pub thread: Arc<str>,
    /// The socket's label, e.g. `servidor`, `servidor#1`, `cliente`.
    pub socket: Arc<str>,
    /// The socket's transport: TCP or UDP.
    pub transport: Transport,
    /// The socket's address family.
    pub family: Family,
    /// The socket's file descriptor; `None` when `socket()` gave none.
    pub fd: Option<i32>,
    /// The call, its arguments, and the facts that belong to it.
    pub call: Call,
    /// What the kernel answered.
    pub outcome: Outcome,
    /// The typestate before the call; `None` for `socket()`.
    pub before: Option<StateName>,
    /// The typestate after the call; `None` when `socket()` failed (there is
    /// no socket).
    pub after: Option<StateName>,
    /// What the program had set or shut on the socket before the call.
    pub mode: Mode,
    /// What `TCP_INFO` said right after the call. `None` where it cannot be
    /// read (not Linux, UDP, a closed socket) and after a send or recv that
    /// moved bytes, which cannot change the state (it is read when recv
    /// returns 0 or a call fails).
    pub tcp: Option<TcpInfo>,
    /// The socket's local address after the call, when it has one.
    pub local: Option<SocketAddr>,
    /// The socket's peer address after the call, when connected.
    pub peer: Option<SocketAddr>,
}

impl Event {
    /// No system call: the value the call returned, `None` if it failed.
    ///
    /// ```
    /// # use socket_lifecycle::{Recorder, Socket};
    /// let recorder = Recorder::new();
    /// Socket::tcp_v4(recorder.tracer("servidor"))?.bind("127.0.0.1:0".parse().unwrap())?;
    /// assert_eq!(recorder.events()[1].returned(), Some(0));
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn returned(&self) -> Option<i64> {
        match self.outcome {
            Outcome::Returned(value) => Some(value),
            Outcome::Failed(_) => None,
        }
    }

    /// No system call: whether the kernel chose this socket's local port in
    /// this call — a bind to port 0, a connect or a first `sendto` from a
    /// socket with no address — so the port is an ephemeral one.
    ///
    /// ```
    /// # use socket_lifecycle::{Recorder, Socket};
    /// let recorder = Recorder::new();
    /// Socket::tcp_v4(recorder.tracer("servidor"))?.bind("127.0.0.1:0".parse().unwrap())?;
    /// assert!(recorder.events()[1].kernel_chose_port());
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn kernel_chose_port(&self) -> bool {
        let unbound = self.before == Some(StateName::Created);
        self.returned().is_some()
            && match &self.call {
                Call::Bind { addr } => addr.port() == 0,
                Call::Connect { .. } | Call::SendTo { .. } => unbound,
                _ => false,
            }
    }
}
