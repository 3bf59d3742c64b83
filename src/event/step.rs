//! [`Event`]: one step of a socket's life — one system call, its result,
//! and what followed from it — and [`Outcome`], the kernel's answer.

use std::net::SocketAddr;
use std::sync::Arc;

use super::call::Call;
use super::mode::Mode;
use super::names::{Family, StateName, Transport};
use crate::kernel::{Descriptor, TcpInfo};

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
/// let refused = socket_lifecycle::errno::Errno::ECONNREFUSED.code().unwrap();
/// assert_eq!(connect.outcome, Outcome::Failed(refused));
/// # Ok::<(), socket_lifecycle::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The call succeeded and returned this value (an fd, a byte count, 0).
    Returned(i64),
    /// The call failed with this error number, as this system numbers it
    /// (errno; Windows: `WSAGetLastError()`).
    Failed(i32),
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
    /// The socket's file descriptor (Windows: its `SOCKET` handle); `None`
    /// when `socket()` gave none.
    pub fd: Option<Descriptor>,
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
    /// What `TCP_INFO` (or the system's own: see [`crate::kernel`]) said
    /// right after the call. `None` where it cannot be read (a system that
    /// does not tell, UDP, a closed socket) and after a send or recv that
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

    /// No system call: whether this event is a wait seen from one of the
    /// sockets waited on (a program traced from outside makes one such
    /// event per socket), rather than the library's own wait over several
    /// sockets, made once under the wait's label ([`crate::Poll`]). `false`
    /// for any other call.
    ///
    /// ```
    /// use socket_lifecycle::{Interest, Poll, Recorder, Socket};
    ///
    /// let recorder = Recorder::new();
    /// let listener = Socket::tcp_v4("servidor")?.bind("127.0.0.1:0".parse().unwrap())?.listen(5)?;
    /// let wait = std::time::Duration::from_millis(1);
    /// Poll::new(recorder.tracer("poll")).wait(&[Interest::read(&listener)], Some(wait))?;
    /// assert!(!recorder.events()[0].waits_on_itself());
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn waits_on_itself(&self) -> bool {
        match &self.call {
            Call::Wait { fds, .. } => fds.iter().any(|w| Some(w.fd) == self.fd),
            _ => false,
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
