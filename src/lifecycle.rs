//! A TCP socket's life as types: [`Socket<S>`] where `S` is the state.
//!
//! Each method is one system call. A transition (`bind`, `listen`,
//! `connect`, `close`) consumes the socket and returns it in its next state;
//! a call that keeps the state (`accept`, `send`, `recv`, `shutdown`) borrows
//! it. A method exists only in the states where the call is legal, so a call
//! out of order is a compile error, not a run-time `EINVAL`.
//!
//! ```text
//!              tcp_v4() / tcp_v6()                  socket()
//!                     │
//!                     ▼
//!     ┌──────── Socket<Created> ◄─┐ reuse_address()   setsockopt(SO_REUSEADDR)
//!     │               │           │
//!     │               ├───────────┘
//!     │ connect()     │ bind()                      bind()
//!     │               ▼
//!     │         Socket<Bound> ─────────┐
//!     │               │ listen()       │ connect()  listen()
//!     │               ▼                │
//!     │       Socket<Listening> ─ accept() ─┐       accept4()
//!     │                                │    │
//!     ▼                                ▼    ▼
//!   Socket<Connected> ◄────────────────┴────┘       connect() / accept4()
//!     send() / recv() / shutdown()                  sendto() / recvfrom() / shutdown()
//!     close()  (or drop, in any state)              close()
//! ```
//!
//! # Types
//!
//! - [`Created`]: after `socket()`. Can set `SO_REUSEADDR`, `bind`, or
//!   `connect` (the kernel then picks the local port).
//! - [`Bound`]: after `bind()`. Can `listen` or `connect`.
//! - [`Listening`] ([`Listener`]): after `listen()`. Can only `accept`.
//! - [`Connected`] ([`Connection`]): after `connect()` or `accept()`. Can
//!   `send`, `recv`, `shutdown`.
//!
//! A failed transition closes the socket (the close is traced) and returns
//! an [`Error`]; a failed `send` or `recv` leaves it open.
//!
//! # What does not compile
//!
//! Each misuse below is shown beside the same code with the missing step,
//! which compiles. The compiler names the state: ``error[E0599]: no method
//! named `accept` found for struct `Socket<Bound>` ``; a socket used after
//! `close` is ``error[E0382]: use of moved value``. Each `compile_fail` block
//! is tagged with the error code it should fail with; its compiling twin,
//! one step different, shows the failure is the state's, not a typo's.
//!
//! **accept before listen**
//! ```compile_fail,E0599
//! # use socket_lifecycle::Socket;
//! let bound = Socket::tcp_v4("servidor")?.bind("127.0.0.1:0".parse().unwrap())?;
//! let (conn, peer) = bound.accept()?;
//! # Ok::<(), socket_lifecycle::Error>(())
//! ```
//! ```no_run
//! # use socket_lifecycle::Socket;
//! let bound = Socket::tcp_v4("servidor")?.bind("127.0.0.1:0".parse().unwrap())?;
//! let listener = bound.listen(5)?;
//! let (conn, peer) = listener.accept()?;
//! # Ok::<(), socket_lifecycle::Error>(())
//! ```
//!
//! **listen before bind**
//! ```compile_fail,E0599
//! # use socket_lifecycle::Socket;
//! let listener = Socket::tcp_v4("servidor")?.listen(5)?;
//! # Ok::<(), socket_lifecycle::Error>(())
//! ```
//! ```
//! # use socket_lifecycle::Socket;
//! let listener = Socket::tcp_v4("servidor")?
//!     .bind("127.0.0.1:0".parse().unwrap())?
//!     .listen(5)?;
//! # Ok::<(), socket_lifecycle::Error>(())
//! ```
//!
//! **send or recv on a listener** (it only accepts; the accepted socket talks)
//! ```compile_fail,E0599
//! # use socket_lifecycle::Socket;
//! let listener = Socket::tcp_v4("servidor")?.bind("127.0.0.1:0".parse().unwrap())?.listen(5)?;
//! listener.send(b"ola")?;
//! # Ok::<(), socket_lifecycle::Error>(())
//! ```
//! ```compile_fail,E0599
//! # use socket_lifecycle::Socket;
//! let listener = Socket::tcp_v4("servidor")?.bind("127.0.0.1:0".parse().unwrap())?.listen(5)?;
//! let mut buf = [0u8; 1024];
//! listener.recv(&mut buf)?;
//! # Ok::<(), socket_lifecycle::Error>(())
//! ```
//! ```no_run
//! # use socket_lifecycle::Socket;
//! let listener = Socket::tcp_v4("servidor")?.bind("127.0.0.1:0".parse().unwrap())?.listen(5)?;
//! let (conn, _peer) = listener.accept()?;
//! conn.send(b"ola")?;
//! let mut buf = [0u8; 1024];
//! conn.recv(&mut buf)?;
//! # Ok::<(), socket_lifecycle::Error>(())
//! ```
//!
//! **bind twice**
//! ```compile_fail,E0599
//! # use socket_lifecycle::Socket;
//! let addr = "127.0.0.1:0".parse().unwrap();
//! let bound = Socket::tcp_v4("servidor")?.bind(addr)?.bind(addr)?;
//! # Ok::<(), socket_lifecycle::Error>(())
//! ```
//! ```
//! # use socket_lifecycle::Socket;
//! let addr = "127.0.0.1:0".parse().unwrap();
//! let bound = Socket::tcp_v4("servidor")?.bind(addr)?;
//! # Ok::<(), socket_lifecycle::Error>(())
//! ```
//!
//! **connect on a listener**
//! ```compile_fail,E0599
//! # use socket_lifecycle::Socket;
//! let listener = Socket::tcp_v4("servidor")?.bind("127.0.0.1:0".parse().unwrap())?.listen(5)?;
//! let conn = listener.connect("127.0.0.1:8888".parse().unwrap())?;
//! # Ok::<(), socket_lifecycle::Error>(())
//! ```
//! ```
//! # use socket_lifecycle::Socket;
//! let listener = Socket::tcp_v4("servidor")?.bind("127.0.0.1:0".parse().unwrap())?.listen(5)?;
//! let server = listener.local_addr().unwrap();
//! let conn = Socket::tcp_v4("cliente")?.connect(server)?;
//! # Ok::<(), socket_lifecycle::Error>(())
//! ```
//!
//! **use after close**
//! ```compile_fail,E0382
//! # use socket_lifecycle::Socket;
//! # let listener = Socket::tcp_v4("servidor")?.bind("127.0.0.1:0".parse().unwrap())?.listen(5)?;
//! let conn = Socket::tcp_v4("cliente")?.connect(listener.local_addr().unwrap())?;
//! conn.close()?;
//! conn.send(b"ola")?;
//! # Ok::<(), socket_lifecycle::Error>(())
//! ```
//! ```
//! # use socket_lifecycle::Socket;
//! # let listener = Socket::tcp_v4("servidor")?.bind("127.0.0.1:0".parse().unwrap())?.listen(5)?;
//! let conn = Socket::tcp_v4("cliente")?.connect(listener.local_addr().unwrap())?;
//! conn.send(b"ola")?;
//! conn.close()?;
//! # Ok::<(), socket_lifecycle::Error>(())
//! ```
//!
//! **SO_REUSEADDR after bind** (it must come before, or bind cannot use it)
//! ```compile_fail,E0599
//! # use socket_lifecycle::Socket;
//! let bound = Socket::tcp_v4("servidor")?.bind("127.0.0.1:0".parse().unwrap())?.reuse_address(true)?;
//! # Ok::<(), socket_lifecycle::Error>(())
//! ```
//! ```
//! # use socket_lifecycle::Socket;
//! let bound = Socket::tcp_v4("servidor")?.reuse_address(true)?.bind("127.0.0.1:0".parse().unwrap())?;
//! # Ok::<(), socket_lifecycle::Error>(())
//! ```

use std::io::Read;
use std::marker::PhantomData;
use std::mem::ManuallyDrop;
use std::net::{Shutdown, SocketAddr};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, RawFd};
use std::time::Duration;

use socket2::{Domain, Protocol, Type};

use crate::error::Error;
use crate::kernel::{self, TcpState};
use crate::trace::{Call, DATA_PREVIEW, Family, Outcome, StateName, Tracer, Transport};

mod sealed {
    pub trait Sealed {}
}

/// A state in a socket's life. Sealed: the four states below are all there is.
///
/// ```
/// use socket_lifecycle::{Socket, State, StateName};
///
/// fn state_of<S: State>(_: &Socket<S>) -> StateName {
///     S::NAME
/// }
/// let socket = Socket::tcp_v4("cliente")?;
/// assert_eq!(state_of(&socket), StateName::Created);
/// # Ok::<(), socket_lifecycle::Error>(())
/// ```
pub trait State: sealed::Sealed {
    /// The state's runtime mirror, for the trace.
    const NAME: StateName;
}

/// After `socket()`: a TCP endpoint with no address yet.
///
/// ```
/// use socket_lifecycle::{Created, Socket};
///
/// let socket: Socket<Created> = Socket::tcp_v4("servidor")?;
/// # Ok::<(), socket_lifecycle::Error>(())
/// ```
#[derive(Debug)]
pub enum Created {}
/// After `bind()`: the socket owns a local address.
///
/// ```
/// use socket_lifecycle::{Bound, Socket};
///
/// let bound: Socket<Bound> = Socket::tcp_v4("servidor")?.bind("127.0.0.1:0".parse().unwrap())?;
/// # Ok::<(), socket_lifecycle::Error>(())
/// ```
#[derive(Debug)]
pub enum Bound {}
/// After `listen()`: the kernel queues incoming connections for `accept()`.
///
/// ```
/// use socket_lifecycle::{Listening, Socket};
///
/// let listener: Socket<Listening> = Socket::tcp_v4("servidor")?
///     .bind("127.0.0.1:0".parse().unwrap())?
///     .listen(5)?;
/// # Ok::<(), socket_lifecycle::Error>(())
/// ```
#[derive(Debug)]
pub enum Listening {}
/// After `connect()` or `accept()`: one end of an established connection.
///
/// ```
/// # use socket_lifecycle::Socket;
/// # let listener = Socket::tcp_v4("servidor")?.bind("127.0.0.1:0".parse().unwrap())?.listen(5)?;
/// use socket_lifecycle::Connected;
///
/// let client: Socket<Connected> = Socket::tcp_v4("cliente")?.connect(listener.local_addr().unwrap())?;
/// let (accepted, _peer): (Socket<Connected>, _) = listener.accept()?;
/// # Ok::<(), socket_lifecycle::Error>(())
/// ```
#[derive(Debug)]
pub enum Connected {}

impl sealed::Sealed for Created {}
impl sealed::Sealed for Bound {}
impl sealed::Sealed for Listening {}
impl sealed::Sealed for Connected {}
impl State for Created {
    const NAME: StateName = StateName::Created;
}
impl State for Bound {
    const NAME: StateName = StateName::Bound;
}
impl State for Listening {
    const NAME: StateName = StateName::Listening;
}
impl State for Connected {
    const NAME: StateName = StateName::Connected;
}

/// A listening socket: `Socket<Listening>`.
///
/// ```
/// use socket_lifecycle::{Listener, Socket};
///
/// let listener: Listener = Socket::tcp_v4("servidor")?.bind("127.0.0.1:0".parse().unwrap())?.listen(5)?;
/// # Ok::<(), socket_lifecycle::Error>(())
/// ```
pub type Listener = Socket<Listening>;
/// One end of a TCP connection: `Socket<Connected>`.
///
/// ```
/// use socket_lifecycle::{Connection, Socket};
/// # let listener = Socket::tcp_v4("servidor")?.bind("127.0.0.1:0".parse().unwrap())?.listen(5)?;
///
/// let client: Connection = Socket::tcp_v4("cliente")?.connect(listener.local_addr().unwrap())?;
/// # Ok::<(), socket_lifecycle::Error>(())
/// ```
pub type Connection = Socket<Connected>;

/// A TCP socket in state `S`, over a [`socket2::Socket`].
///
/// Dropping it closes it (`close(fd)`), and that close is traced like
/// [`Socket::close`].
///
/// ```
/// use socket_lifecycle::{Recorder, Socket, StateName};
///
/// let recorder = Recorder::new();
/// let listener = Socket::tcp_v4(recorder.tracer("servidor"))?   // Socket<Created>
///     .bind("127.0.0.1:0".parse().unwrap())?                    // Socket<Bound>
///     .listen(5)?;                                              // Socket<Listening>
/// assert_eq!(listener.state(), StateName::Listening);
/// listener.close()?;
/// assert_eq!(recorder.events().len(), 4); // socket, bind, listen, close
/// # Ok::<(), socket_lifecycle::Error>(())
/// ```
#[derive(Debug)]
pub struct Socket<S: State> {
    core: Core,
    _state: PhantomData<S>,
}

/// What every state shares: the descriptor, where its events go, and the
/// addresses the kernel reported. Shared with [`crate::udp`], whose sockets
/// live, trace and close the same way.
#[derive(Debug)]
pub(crate) struct Core {
    /// Closed by [`Core::close`], never by socket2's own `Drop`, so that the
    /// trace can show close's real result.
    pub(crate) socket: ManuallyDrop<socket2::Socket>,
    pub(crate) tracer: Tracer,
    pub(crate) transport: Transport,
    pub(crate) state: StateName,
    pub(crate) local: Option<SocketAddr>,
    pub(crate) peer: Option<SocketAddr>,
    open: bool,
}

/// What a closed socket leaves behind: its label and the connection's
/// addresses, to ask the kernel what it still holds. Returned by
/// [`Socket::close`].
///
/// ```
/// let socket = socket_lifecycle::Socket::tcp_v4("cliente")?;
/// let closed = socket.close()?;
/// assert_eq!(closed.label(), "cliente");
/// assert_eq!(closed.kernel_state(), None); // it never connected
/// # Ok::<(), socket_lifecycle::Error>(())
/// ```
#[derive(Debug)]
pub struct Closed {
    tracer: Tracer,
    local: Option<SocketAddr>,
    peer: Option<SocketAddr>,
}

/// `Result` with the library's [`Error`].
///
/// ```
/// use socket_lifecycle::{Listener, Result, Socket};
///
/// fn prepare() -> Result<Listener> {
///     Socket::tcp_v4("servidor")?.reuse_address(true)?.bind("127.0.0.1:0".parse().unwrap())?.listen(5)
/// }
/// assert!(prepare().is_ok());
/// ```
pub type Result<T> = std::result::Result<T, Error>;

pub(crate) fn outcome_of<T>(result: &std::io::Result<T>, value: impl FnOnce(&T) -> i64) -> Outcome {
    match result {
        Ok(v) => Outcome::Returned(value(v)),
        Err(err) => failed(err),
    }
}

/// A failure as the kernel reported it: its errno (0 if it gave none).
pub(crate) fn failed(err: &std::io::Error) -> Outcome {
    Outcome::Failed(err.raw_os_error().unwrap_or(0))
}

impl Core {
    /// `socket(family, type, protocol)`, traced: a new socket of `transport`
    /// in state `Created`.
    pub(crate) fn open(family: Family, transport: Transport, tracer: Tracer) -> Result<Core> {
        let domain = match family {
            Family::V4 => Domain::IPV4,
            Family::V6 => Domain::IPV6,
        };
        let (kind, protocol) = match transport {
            Transport::Tcp => (Type::STREAM, Protocol::TCP),
            Transport::Udp => (Type::DGRAM, Protocol::UDP),
        };
        let call = Call::Socket { family, transport };
        let socket = match socket2::Socket::new(domain, kind, Some(protocol)) {
            Ok(socket) => socket,
            Err(err) => {
                if tracer.enabled() {
                    let mut event = tracer.event(call, failed(&err));
                    event.transport = transport;
                    tracer.emit(event);
                }
                return Err(Error::new("socket", tracer.label(), None, err));
            }
        };
        // Apple systems have no MSG_NOSIGNAL: the socket itself is told not
        // to raise SIGPIPE, so a send to a vanished peer is EPIPE there too.
        #[cfg(target_vendor = "apple")]
        if let Err(err) = socket.set_nosigpipe(true) {
            return Err(Error::new("setsockopt", tracer.label(), None, err));
        }
        let core = Core {
            socket: ManuallyDrop::new(socket),
            tracer,
            transport,
            state: StateName::Created,
            local: None,
            peer: None,
            open: true,
        };
        core.trace_with(
            call,
            Outcome::Returned(i64::from(core.fd())),
            StateName::Created,
            |event| event.before = None,
        );
        Ok(core)
    }

    pub(crate) fn fd(&self) -> RawFd {
        self.socket.as_raw_fd()
    }

    /// Emits the event of a call on this socket: the state before is the
    /// current one; for TCP, the connection state is read from the kernel
    /// after the call (UDP has none).
    pub(crate) fn trace(&self, call: Call, outcome: Outcome, after: StateName) {
        self.trace_with(call, outcome, after, |_| {});
    }

    pub(crate) fn trace_with(
        &self,
        call: Call,
        outcome: Outcome,
        after: StateName,
        complete: impl FnOnce(&mut crate::trace::Event),
    ) {
        if !self.tracer.enabled() {
            return;
        }
        let mut event = self.tracer.event(call, outcome);
        event.transport = self.transport;
        event.fd = Some(self.fd());
        event.before = Some(self.state);
        event.after = after;
        // Moving bytes does not move the TCP state: a send or recv reads it
        // only when it reports an end (recv = 0) or a failure, which saves a
        // system call per message on a busy connection.
        let moved_bytes = matches!(event.call, Call::Send { .. } | Call::Recv { .. })
            && matches!(event.outcome, Outcome::Returned(n) if n > 0);
        if self.transport == Transport::Tcp && !moved_bytes {
            event.tcp = kernel::tcp_info(self.fd());
        }
        event.local = self.local;
        event.peer = self.peer;
        complete(&mut event);
        self.tracer.emit(event);
    }

    pub(crate) fn error(
        &self,
        step: &'static str,
        addr: Option<SocketAddr>,
        err: std::io::Error,
    ) -> Error {
        Error::new(step, self.tracer.label(), addr, err)
    }

    /// `getsockname()`: the local address the kernel gave the socket.
    pub(crate) fn read_local(&mut self) {
        self.local = self.socket.local_addr().ok().and_then(|a| a.as_socket());
    }

    /// `connect()`, shared by created and bound sockets (and by UDP's).
    pub(crate) fn connect(mut self, addr: SocketAddr) -> Result<Core> {
        let unbound = self.local.is_none();
        let result = self.socket.connect(&addr.into());
        if let Err(err) = result {
            self.trace(Call::Connect { addr }, failed(&err), self.state);
            return Err(self.error("connect", Some(addr), err));
        }
        self.read_local();
        self.peer = Some(addr);
        self.trace_with(
            Call::Connect { addr },
            Outcome::Returned(0),
            StateName::Connected,
            |event| event.ephemeral_port = unbound,
        );
        self.state = StateName::Connected;
        Ok(self)
    }

    /// `bind()`, shared by TCP and UDP sockets: on success the socket is
    /// `Bound` and knows its address (`getsockname`); on failure it stays
    /// `Created`, and the caller drops (closes) it.
    pub(crate) fn bind(&mut self, addr: SocketAddr) -> Result<()> {
        if let Err(err) = self.socket.bind(&addr.into()) {
            self.trace(Call::Bind { addr }, failed(&err), StateName::Created);
            return Err(self.error("bind", Some(addr), err));
        }
        self.read_local();
        self.trace_with(
            Call::Bind { addr },
            Outcome::Returned(0),
            StateName::Bound,
            |event| event.ephemeral_port = addr.port() == 0,
        );
        self.state = StateName::Bound;
        Ok(())
    }

    /// `setsockopt(SO_RCVTIMEO)`, shared by TCP and UDP sockets; the state
    /// does not change.
    pub(crate) fn set_read_timeout(&self, timeout: Option<Duration>) -> Result<()> {
        let result = self.socket.set_read_timeout(timeout);
        self.trace(
            Call::ReadTimeout { timeout },
            outcome_of(&result, |_| 0),
            self.state,
        );
        let addr = self.peer.or(self.local);
        result.map_err(|err| self.error("setsockopt", addr, err))
    }

    /// `close(fd)`, traced, then (TCP) a question to the kernel about what
    /// it still keeps of the connection.
    pub(crate) fn close(&mut self) -> std::io::Result<()> {
        self.open = false;
        let fd = self.fd();
        let result = kernel::close(fd);
        if self.tracer.enabled() {
            let mut event = self.tracer.event(Call::Close, outcome_of(&result, |_| 0));
            event.transport = self.transport;
            event.fd = Some(fd);
            event.before = Some(self.state);
            event.after = StateName::Closed;
            event.local = self.local;
            event.peer = self.peer;
            if let (Transport::Tcp, Some(local), Some(peer)) =
                (self.transport, self.local, self.peer)
            {
                event.lingering = kernel::lingering_state(local, peer);
            }
            self.tracer.emit(event);
        }
        self.state = StateName::Closed;
        result
    }
}

impl Drop for Core {
    fn drop(&mut self) {
        if self.open {
            // Nobody can receive the error from a drop; it is in the trace.
            let _ = self.close();
        }
    }
}

impl Socket<Created> {
    /// `socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_TCP)`: a new IPv4
    /// TCP socket, labelled and traced by `tracer` (a `&str` label will do).
    ///
    /// ```
    /// let socket = socket_lifecycle::Socket::tcp_v4("cliente")?;
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn tcp_v4(tracer: impl Into<Tracer>) -> Result<Socket<Created>> {
        Socket::tcp(Family::V4, tracer.into())
    }

    /// `socket(AF_INET6, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_TCP)`: a new IPv6
    /// TCP socket.
    ///
    /// ```
    /// let socket = socket_lifecycle::Socket::tcp_v6("cliente")?;
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn tcp_v6(tracer: impl Into<Tracer>) -> Result<Socket<Created>> {
        Socket::tcp(Family::V6, tracer.into())
    }

    /// `socket(AF_INET or AF_INET6, …)`: a new TCP socket of the family that
    /// `addr` belongs to, ready to bind or connect to it.
    ///
    /// ```
    /// let addr = "[::1]:8888".parse().unwrap();
    /// let socket = socket_lifecycle::Socket::tcp_for(&addr, "cliente")?;
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn tcp_for(addr: &SocketAddr, tracer: impl Into<Tracer>) -> Result<Socket<Created>> {
        Socket::tcp(Family::of(addr), tracer.into())
    }

    fn tcp(family: Family, tracer: Tracer) -> Result<Socket<Created>> {
        Ok(Socket::from_core(Core::open(
            family,
            Transport::Tcp,
            tracer,
        )?))
    }

    /// `setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, [1], 4)`: lets `bind` take a
    /// port that old connections still hold in TIME_WAIT — what lets a
    /// server restart at once on the same port. It does not let two live
    /// servers share a port. Must come before `bind`.
    ///
    /// ```
    /// let socket = socket_lifecycle::Socket::tcp_v4("servidor")?.reuse_address(true)?;
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn reuse_address(self, on: bool) -> Result<Socket<Created>> {
        let result = self.core.socket.set_reuse_address(on);
        self.core.trace(
            Call::ReuseAddress { on },
            outcome_of(&result, |_| 0),
            StateName::Created,
        );
        match result {
            Ok(()) => Ok(self),
            Err(err) => Err(self.core.error("setsockopt", None, err)),
        }
    }

    /// `bind(fd, addr, len)`: gives the socket its local address. Port 0
    /// asks the kernel for a free port; [`Socket::local_addr`] tells which
    /// (read with `getsockname`).
    ///
    /// ```
    /// let bound = socket_lifecycle::Socket::tcp_v4("servidor")?
    ///     .bind("127.0.0.1:0".parse().unwrap())?;
    /// assert_ne!(bound.local_addr().unwrap().port(), 0);
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn bind(mut self, addr: SocketAddr) -> Result<Socket<Bound>> {
        self.core.bind(addr)?;
        Ok(self.into_state())
    }

    /// `connect(fd, addr, len)`: the three-way handshake with a listening
    /// socket at `addr`. The kernel picks the local address and port.
    ///
    /// ```no_run
    /// let conn = socket_lifecycle::Socket::tcp_v4("cliente")?
    ///     .connect("127.0.0.1:8888".parse().unwrap())?;
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn connect(self, addr: SocketAddr) -> Result<Socket<Connected>> {
        Ok(Socket::from_core(self.core.connect(addr)?))
    }
}

impl Socket<Bound> {
    /// `listen(fd, backlog)`: turns the socket into a listener. The kernel
    /// then answers handshakes by itself and keeps up to `backlog` finished
    /// connections waiting for [`Socket::accept`] (the report uses 5).
    ///
    /// ```
    /// let listener = socket_lifecycle::Socket::tcp_v4("servidor")?
    ///     .bind("127.0.0.1:0".parse().unwrap())?
    ///     .listen(5)?;
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn listen(self, backlog: i32) -> Result<Socket<Listening>> {
        let result = self.core.socket.listen(backlog);
        let after = match result {
            Ok(()) => StateName::Listening,
            Err(_) => StateName::Bound,
        };
        self.core
            .trace(Call::Listen { backlog }, outcome_of(&result, |_| 0), after);
        match result {
            Ok(()) => Ok(self.into_state()),
            Err(err) => Err(self.core.error("listen", self.core.local, err)),
        }
    }

    /// `connect(fd, addr, len)` from the address this socket is bound to.
    ///
    /// ```no_run
    /// let conn = socket_lifecycle::Socket::tcp_v4("cliente")?
    ///     .bind("127.0.0.1:0".parse().unwrap())?
    ///     .connect("127.0.0.1:8888".parse().unwrap())?;
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn connect(self, addr: SocketAddr) -> Result<Socket<Connected>> {
        Ok(Socket::from_core(self.core.connect(addr)?))
    }
}

impl Socket<Listening> {
    /// `accept4(fd, &addr, &len, SOCK_CLOEXEC)`: takes the next finished
    /// connection off the accept queue, blocking until there is one. Returns
    /// it as a new connected socket labelled `LABEL#n`, and the peer's
    /// address. The listener stays a listener.
    ///
    /// ```
    /// use socket_lifecycle::Socket;
    /// let listener = Socket::tcp_v4("servidor")?.bind("127.0.0.1:0".parse().unwrap())?.listen(5)?;
    /// let client = Socket::tcp_v4("cliente")?.connect(listener.local_addr().unwrap())?;
    /// let (conn, peer) = listener.accept()?;
    /// assert_eq!(conn.label(), "servidor#1");
    /// assert_eq!(Some(peer), client.local_addr());
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn accept(&self) -> Result<(Socket<Connected>, SocketAddr)> {
        let result = self.core.socket.accept();
        let (socket, peer) = match result {
            Ok((socket, addr)) => match addr.as_socket() {
                Some(peer) => (socket, peer),
                None => {
                    let err = std::io::Error::from_raw_os_error(libc::EAFNOSUPPORT);
                    return Err(self.core.error("accept", self.core.local, err));
                }
            },
            Err(err) => {
                self.core.trace(
                    Call::Accept {
                        peer: None,
                        child: None,
                    },
                    failed(&err),
                    StateName::Listening,
                );
                return Err(self.core.error("accept", self.core.local, err));
            }
        };
        let mut child = Core {
            socket: ManuallyDrop::new(socket),
            tracer: self.core.tracer.next_accepted(),
            transport: Transport::Tcp,
            state: StateName::Connected,
            local: None,
            peer: Some(peer),
            open: true,
        };
        child.read_local();
        let child_fd = child.fd();
        self.core.trace_with(
            Call::Accept {
                peer: Some(peer),
                child: Some(child.tracer.label().into()),
            },
            Outcome::Returned(i64::from(child_fd)),
            StateName::Listening,
            |event| event.accepted_tcp = kernel::tcp_info(child_fd).map(|info| info.state),
        );
        Ok((Socket::from_core(child), peer))
    }

    /// `shutdown(fd, SHUT_RDWR)` on the listener: on Linux, wakes a thread
    /// blocked in [`Socket::accept`] (it fails with `EINVAL`) so a server can
    /// stop, e.g. on Ctrl+C. New connections are refused from then on.
    ///
    /// ```
    /// use socket_lifecycle::Socket;
    /// let listener = Socket::tcp_v4("servidor")?.bind("127.0.0.1:0".parse().unwrap())?.listen(5)?;
    /// listener.shutdown()?;
    /// let err = listener.accept().unwrap_err();
    /// assert_eq!(err.cause(), socket_lifecycle::Cause::NotListening);
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn shutdown(&self) -> Result<()> {
        let result = self.core.socket.shutdown(Shutdown::Both);
        self.core.trace(
            Call::Shutdown {
                how: Shutdown::Both,
            },
            outcome_of(&result, |_| 0),
            StateName::Listening,
        );
        result.map_err(|err| self.core.error("shutdown", self.core.local, err))
    }
}

#[cfg(any(target_os = "linux", target_os = "android"))]
pub(crate) const SEND_FLAGS: libc::c_int = libc::MSG_NOSIGNAL;
#[cfg(not(any(target_os = "linux", target_os = "android")))]
pub(crate) const SEND_FLAGS: libc::c_int = 0;

impl Socket<Connected> {
    /// `sendto(fd, data, len, MSG_NOSIGNAL, NULL, 0)`: hands bytes to the
    /// kernel's send buffer and returns how many it took (possibly fewer
    /// than offered). `MSG_NOSIGNAL`: a send to a vanished peer is an
    /// `EPIPE` error, not a `SIGPIPE` that kills the program.
    ///
    /// ```
    /// # use socket_lifecycle::Socket;
    /// # let listener = Socket::tcp_v4("servidor")?.bind("127.0.0.1:0".parse().unwrap())?.listen(5)?;
    /// let conn = Socket::tcp_v4("cliente")?.connect(listener.local_addr().unwrap())?;
    /// assert_eq!(conn.send(b"ola")?, 3);
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn send(&self, data: &[u8]) -> Result<usize> {
        let result = self.core.socket.send_with_flags(data, SEND_FLAGS);
        // Checked here too, so an untraced send copies nothing.
        if self.core.tracer.enabled() {
            self.core.trace(
                Call::Send {
                    data: data[..data.len().min(DATA_PREVIEW)].to_vec(),
                    len: data.len(),
                },
                outcome_of(&result, |n| *n as i64),
                StateName::Connected,
            );
        }
        result.map_err(|err| self.core.error("send", self.core.peer, err))
    }

    /// `sendto(…)` until every byte is taken: one traced call per
    /// [`Socket::send`], looping over partial sends.
    ///
    /// ```
    /// # use socket_lifecycle::Socket;
    /// # let listener = Socket::tcp_v4("servidor")?.bind("127.0.0.1:0".parse().unwrap())?.listen(5)?;
    /// let conn = Socket::tcp_v4("cliente")?.connect(listener.local_addr().unwrap())?;
    /// conn.send_all("Conexão encerrada.".as_bytes())?;
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn send_all(&self, mut data: &[u8]) -> Result<()> {
        while !data.is_empty() {
            let sent = self.send(data)?;
            data = &data[sent..];
        }
        Ok(())
    }

    /// `recvfrom(fd, buf, len, 0, NULL, NULL)`: waits for bytes and copies
    /// up to `buf.len()` of them. Returns how many; 0 means the peer closed
    /// its side (its FIN arrived). TCP is a byte stream: one `recv` may hold
    /// part of a message, or several.
    ///
    /// ```
    /// # use socket_lifecycle::Socket;
    /// # let listener = Socket::tcp_v4("servidor")?.bind("127.0.0.1:0".parse().unwrap())?.listen(5)?;
    /// let client = Socket::tcp_v4("cliente")?.connect(listener.local_addr().unwrap())?;
    /// let (conn, _) = listener.accept()?;
    /// client.send(b"ola")?;
    /// let mut buf = [0u8; 1024];
    /// let n = conn.recv(&mut buf)?;
    /// assert_eq!(&buf[..n], b"ola");
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn recv(&self, buf: &mut [u8]) -> Result<usize> {
        let result = (&*self.core.socket).read(buf);
        if self.core.tracer.enabled() {
            self.core.trace(
                Call::Recv {
                    data: match &result {
                        Ok(n) => buf[..(*n).min(DATA_PREVIEW)].to_vec(),
                        Err(_) => Vec::new(),
                    },
                    capacity: buf.len(),
                },
                outcome_of(&result, |n| *n as i64),
                StateName::Connected,
            );
        }
        result.map_err(|err| self.core.error("recv", self.core.peer, err))
    }

    /// `shutdown(fd, how)`: closes one or both directions without releasing
    /// the descriptor. `Shutdown::Write` sends a FIN: the peer's `recv`
    /// returns 0 while this side can still read.
    ///
    /// ```
    /// # use socket_lifecycle::Socket;
    /// # let listener = Socket::tcp_v4("servidor")?.bind("127.0.0.1:0".parse().unwrap())?.listen(5)?;
    /// let client = Socket::tcp_v4("cliente")?.connect(listener.local_addr().unwrap())?;
    /// let (conn, _) = listener.accept()?;
    /// client.shutdown(std::net::Shutdown::Write)?;
    /// assert_eq!(conn.recv(&mut [0u8; 16])?, 0);
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn shutdown(&self, how: Shutdown) -> Result<()> {
        let result = self.core.socket.shutdown(how);
        self.core.trace(
            Call::Shutdown { how },
            outcome_of(&result, |_| 0),
            StateName::Connected,
        );
        result.map_err(|err| self.core.error("shutdown", self.core.peer, err))
    }

    /// `setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, …)`: a `recv` that waits
    /// longer than `timeout` fails with `EAGAIN` ([`crate::Cause::TimedOut`]);
    /// `None` waits forever, the default.
    ///
    /// ```
    /// # use socket_lifecycle::Socket;
    /// # let listener = Socket::tcp_v4("servidor")?.bind("127.0.0.1:0".parse().unwrap())?.listen(5)?;
    /// let client = Socket::tcp_v4("cliente")?.connect(listener.local_addr().unwrap())?;
    /// client.set_read_timeout(Some(std::time::Duration::from_millis(50)))?;
    /// let err = client.recv(&mut [0u8; 16]).unwrap_err();
    /// assert_eq!(err.cause(), socket_lifecycle::Cause::TimedOut);
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn set_read_timeout(&self, timeout: Option<Duration>) -> Result<()> {
        self.core.set_read_timeout(timeout)
    }

    /// No system call: the peer's address, as `connect` or `accept` gave it.
    ///
    /// ```
    /// # use socket_lifecycle::Socket;
    /// # let listener = Socket::tcp_v4("servidor")?.bind("127.0.0.1:0".parse().unwrap())?.listen(5)?;
    /// let client = Socket::tcp_v4("cliente")?.connect(listener.local_addr().unwrap())?;
    /// assert_eq!(client.peer_addr(), listener.local_addr());
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn peer_addr(&self) -> Option<SocketAddr> {
        self.core.peer
    }
}

impl<S: State> Socket<S> {
    fn from_core(core: Core) -> Socket<S> {
        Socket {
            core,
            _state: PhantomData,
        }
    }

    fn into_state<T: State>(self) -> Socket<T> {
        let mut core = self.core;
        core.state = T::NAME;
        Socket::from_core(core)
    }

    /// `close(fd)`: releases the descriptor. On a connection, the kernel then
    /// runs the FIN exchange by itself; the returned [`Closed`] can ask it
    /// what it still holds. Dropping a socket closes it the same way.
    ///
    /// ```
    /// let socket = socket_lifecycle::Socket::tcp_v4("cliente")?;
    /// let closed = socket.close()?;
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn close(self) -> Result<Closed> {
        let mut core = self.core;
        let result = core.close();
        let closed = Closed {
            tracer: core.tracer.clone(),
            local: core.local,
            peer: core.peer,
        };
        match result {
            Ok(()) => Ok(closed),
            Err(err) => Err(core.error("close", core.local, err)),
        }
    }

    /// No system call: the socket's label in the trace.
    ///
    /// ```
    /// let socket = socket_lifecycle::Socket::tcp_v4("cliente")?;
    /// assert_eq!(socket.label(), "cliente");
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn label(&self) -> &str {
        self.core.tracer.label()
    }

    /// No system call: the local address, as `getsockname` reported it after
    /// `bind`, `connect` or `accept`; `None` before.
    ///
    /// ```
    /// let socket = socket_lifecycle::Socket::tcp_v4("servidor")?;
    /// assert_eq!(socket.local_addr(), None);
    /// let bound = socket.bind("127.0.0.1:0".parse().unwrap())?;
    /// assert_ne!(bound.local_addr().unwrap().port(), 0);
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn local_addr(&self) -> Option<SocketAddr> {
        self.core.local
    }

    /// No system call: the state, as a value.
    ///
    /// ```
    /// let socket = socket_lifecycle::Socket::tcp_v4("cliente")?;
    /// assert_eq!(socket.state(), socket_lifecycle::StateName::Created);
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn state(&self) -> StateName {
        S::NAME
    }
}

impl<S: State> AsFd for Socket<S> {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.core.socket.as_fd()
    }
}

impl<S: State> AsRawFd for Socket<S> {
    fn as_raw_fd(&self) -> RawFd {
        self.core.fd()
    }
}

impl Closed {
    /// No call on this socket (the kernel is asked over a netlink sock_diag
    /// socket, or `/proc/net/tcp` is read): the state the kernel still holds
    /// for the closed connection, e.g. `TIME_WAIT` on the side that closed
    /// first; `None` once it has
    /// forgotten it, or for a socket that never connected. The look-up is
    /// traced.
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
        let (local, peer) = (self.local?, self.peer?);
        let state = kernel::lingering_state(local, peer);
        if self.tracer.enabled() {
            let mut event = self.tracer.event(Call::KernelLookup, Outcome::Returned(0));
            event.before = Some(StateName::Closed);
            event.after = StateName::Closed;
            event.local = Some(local);
            event.peer = Some(peer);
            event.lingering = state;
            self.tracer.emit(event);
        }
        state
    }

    /// No system call: the label the socket had.
    ///
    /// ```
    /// let closed = socket_lifecycle::Socket::tcp_v4("cliente")?.close()?;
    /// assert_eq!(closed.label(), "cliente");
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn label(&self) -> &str {
        self.tracer.label()
    }
}
