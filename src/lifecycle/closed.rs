//! [`Closed`]: what a closed socket leaves behind — its label and its
//! connection's addresses, to ask the kernel what it still holds.

use std::fmt;

use super::core::{Core, Step, Subject, make_event};
use crate::event::{Call, Mode, Outcome, StateName, Transport};
use crate::kernel::{self, TcpState};

/// What a closed socket leaves behind. Returned by
/// [`crate::Socket::close`].
///
/// ```
/// let socket = socket_lifecycle::Socket::tcp_v4("cliente")?;
/// let closed = socket.close()?;
/// assert_eq!(closed.label(), "cliente");
/// assert_eq!(closed.kernel_state(), None); // it never connected
/// # Ok::<(), socket_lifecycle::Error>(())
/// ```
pub struct Closed {
    subject: Subject,
}

impl Closed {
    pub(super) fn of(core: &Core) -> Closed {
        Closed {
            subject: core.subject.clone(),
        }
    }

    /// No call on this socket (the kernel is asked over a netlink sock_diag
    /// socket, or `/proc/net/tcp` is read): the state the kernel still holds
    /// for the closed TCP connection, e.g. `TIME_WAIT` on the side that
    /// closed first; `None` once it has forgotten it, where it cannot be
    /// asked, and for a socket that never connected (or speaks UDP, which
    /// has no connection). The look-up is traced.
    ///
    /// ```
    /// # use socket_lifecycle::Socket;
    /// # let listener = Socket::tcp_v4("servidor")?.bind("127.0.0.1:0".parse().unwrap())?.listen(5)?;
    /// use socket_lifecycle::TcpState;
    ///
    /// let client = Socket::tcp_v4("cliente")?.connect(listener.local_addr().unwrap())?;
    /// let (conn, _) = listener.accept()?;
    /// let closed = conn.close()?;           // this side closes first
    /// client.recv(&mut [0u8; 8])?;          // 0: the FIN arrived
    /// client.close()?;
    /// if cfg!(target_os = "linux") {
    ///     assert_eq!(closed.kernel_state(), Some(TcpState::TimeWait));
    /// }
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn kernel_state(&self) -> Option<TcpState> {
        if self.subject.transport != Transport::Tcp {
            return None;
        }
        let (local, peer) = (self.subject.local?, self.subject.peer?);
        let found = kernel::lingering_state(local, peer);
        if self.subject.tracer.enabled() {
            let step = Step {
                fd: None,
                call: Call::KernelLookup { found },
                outcome: Outcome::Returned(0),
                before: Some(StateName::Closed),
                after: Some(StateName::Closed),
                mode: Mode::default(),
                tcp: None,
            };
            self.subject.tracer.emit(make_event(&self.subject, step));
        }
        found.state()
    }

    /// No system call: the label the socket had.
    ///
    /// ```
    /// let closed = socket_lifecycle::Socket::tcp_v4("cliente")?.close()?;
    /// assert_eq!(closed.label(), "cliente");
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn label(&self) -> &str {
        self.subject.tracer.label()
    }
}

/// The label and the connection's addresses.
impl fmt::Debug for Closed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Closed")
            .field("label", &self.subject.tracer.label())
            .field("local", &self.subject.local)
            .field("peer", &self.subject.peer)
            .finish()
    }
}
