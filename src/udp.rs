//! A UDP socket's life as types: [`UdpSocket<S>`] where `S` is the state.
//!
//! The same principles as [`crate::lifecycle`]: one method per system call,
//! transitions consume the socket, a call exists only in the states where it
//! is legal, and every call traces itself. What differs is the life itself:
//! UDP has no connection, so there is no `listen`, no `accept`, no handshake
//! and no FIN. One socket talks to anyone, one datagram at a time, and each
//! datagram carries its destination (`sendto`) or tells its sender
//! (`recvfrom`).
//!
//! ```text
//!           udp_v4() / udp_v6()                      socket(…, SOCK_DGRAM, IPPROTO_UDP)
//!                  │
//!                  ▼
//!     ┌──── UdpSocket<Created> ────────┐
//!     │            │                   │ send_to()  sendto(): the kernel binds
//!     │ connect()  │ bind()            │            to an ephemeral port first
//!     │            ▼                   │
//!     │      UdpSocket<Bound> ◄────────┘            bind()
//!     │        send_to() / recv_from()              sendto(…, addr) / recvfrom(…, &addr)
//!     │            │ connect()
//!     ▼            ▼
//!   UdpSocket<Connected>                            connect(): no packet, the peer is fixed
//!     send() / recv()                               sendto(…, NULL) / recvfrom()
//!   close()  (or drop, in any state)                close(): no FIN, nothing lingers
//! ```
//!
//! # Types
//!
//! - [`Created`]: after `socket()`. Can `bind`, `connect`, or `send_to` —
//!   the first `sendto` from an unbound socket makes the kernel bind it to
//!   an ephemeral port, so that send is a transition to [`Bound`]. It cannot
//!   receive: with no port, no datagram can reach it.
//! - [`Bound`]: the socket owns a local address. Can `send_to` anyone and
//!   `recv_from` anyone, or `connect` to fix one peer.
//! - [`Connected`]: after `connect()`. Can `send` and `recv`, to and from
//!   its peer only (the kernel drops datagrams from anyone else).
//!
//! In every state [`UdpSocket::set_read_timeout`] sets `SO_RCVTIMEO` (a
//! step, not a state): a receive that waits longer fails with `EAGAIN` —
//! UDP's only way to learn that nobody answers.
//!
//! A datagram larger than the buffer given to `recv_from` is truncated by
//! the kernel, and the rest is lost. It is never cut silently here: on
//! Linux the receive passes `MSG_TRUNC`, so the call returns the datagram's
//! real size; [`Received::truncated`] says so, and the trace narrates
//! "truncated: N of M bytes kept".
//!
//! # What does not compile
//!
//! Each misuse below is shown beside the same code with the missing step,
//! which compiles. The compiler names the state, e.g. ``error[E0599]: no
//! method named `listen` found for struct `UdpSocket<Bound>` ``.
//!
//! **listen on a UDP socket** (there are no connections to queue)
//! ```compile_fail,E0599
//! # use socket_lifecycle::UdpSocket;
//! let socket = UdpSocket::udp_v4("servidor")?.bind("127.0.0.1:0".parse().unwrap())?;
//! let listener = socket.listen(5)?;
//! # Ok::<(), socket_lifecycle::Error>(())
//! ```
//! ```no_run
//! # use socket_lifecycle::UdpSocket;
//! let socket = UdpSocket::udp_v4("servidor")?.bind("127.0.0.1:0".parse().unwrap())?;
//! let got = socket.recv_from(&mut [0u8; 1024])?;
//! # Ok::<(), socket_lifecycle::Error>(())
//! ```
//!
//! **accept on a UDP socket** (a client is known by its first datagram)
//! ```compile_fail,E0599
//! # use socket_lifecycle::UdpSocket;
//! let socket = UdpSocket::udp_v4("servidor")?.bind("127.0.0.1:0".parse().unwrap())?;
//! let (conn, peer) = socket.accept()?;
//! # Ok::<(), socket_lifecycle::Error>(())
//! ```
//! ```no_run
//! # use socket_lifecycle::UdpSocket;
//! let socket = UdpSocket::udp_v4("servidor")?.bind("127.0.0.1:0".parse().unwrap())?;
//! let got = socket.recv_from(&mut [0u8; 1024])?;
//! let peer = got.from;
//! # Ok::<(), socket_lifecycle::Error>(())
//! ```
//!
//! **recv_from before bind** (no port: nothing can arrive)
//! ```compile_fail,E0599
//! # use socket_lifecycle::UdpSocket;
//! let socket = UdpSocket::udp_v4("servidor")?;
//! let got = socket.recv_from(&mut [0u8; 1024])?;
//! # Ok::<(), socket_lifecycle::Error>(())
//! ```
//! ```no_run
//! # use socket_lifecycle::UdpSocket;
//! let socket = UdpSocket::udp_v4("servidor")?.bind("127.0.0.1:0".parse().unwrap())?;
//! let got = socket.recv_from(&mut [0u8; 1024])?;
//! # Ok::<(), socket_lifecycle::Error>(())
//! ```
//!
//! **send without a destination** (only a connected socket has a peer)
//! ```compile_fail,E0599
//! # use socket_lifecycle::UdpSocket;
//! let socket = UdpSocket::udp_v4("cliente")?.bind("127.0.0.1:0".parse().unwrap())?;
//! socket.send(b"ola")?;
//! # Ok::<(), socket_lifecycle::Error>(())
//! ```
//! ```
//! # use socket_lifecycle::UdpSocket;
//! let socket = UdpSocket::udp_v4("cliente")?.bind("127.0.0.1:0".parse().unwrap())?;
//! socket.send_to(b"ola", "127.0.0.1:9".parse().unwrap())?;
//! # Ok::<(), socket_lifecycle::Error>(())
//! ```
//!
//! **send_to on a connected socket** (its peer is fixed)
//! ```compile_fail,E0599
//! # use socket_lifecycle::UdpSocket;
//! let socket = UdpSocket::udp_v4("cliente")?.connect("127.0.0.1:9".parse().unwrap())?;
//! socket.send_to(b"ola", "127.0.0.1:9".parse().unwrap())?;
//! # Ok::<(), socket_lifecycle::Error>(())
//! ```
//! ```
//! # use socket_lifecycle::UdpSocket;
//! let socket = UdpSocket::udp_v4("cliente")?.connect("127.0.0.1:9".parse().unwrap())?;
//! socket.send(b"ola")?;
//! # Ok::<(), socket_lifecycle::Error>(())
//! ```
//!
//! **bind twice**
//! ```compile_fail,E0599
//! # use socket_lifecycle::UdpSocket;
//! let addr = "127.0.0.1:0".parse().unwrap();
//! let socket = UdpSocket::udp_v4("servidor")?.bind(addr)?.bind(addr)?;
//! # Ok::<(), socket_lifecycle::Error>(())
//! ```
//! ```
//! # use socket_lifecycle::UdpSocket;
//! let addr = "127.0.0.1:0".parse().unwrap();
//! let socket = UdpSocket::udp_v4("servidor")?.bind(addr)?;
//! # Ok::<(), socket_lifecycle::Error>(())
//! ```
//!
//! **use after close**
//! ```compile_fail,E0382
//! # use socket_lifecycle::UdpSocket;
//! let socket = UdpSocket::udp_v4("cliente")?.bind("127.0.0.1:0".parse().unwrap())?;
//! socket.close()?;
//! socket.send_to(b"ola", "127.0.0.1:9".parse().unwrap())?;
//! # Ok::<(), socket_lifecycle::Error>(())
//! ```
//! ```
//! # use socket_lifecycle::UdpSocket;
//! let socket = UdpSocket::udp_v4("cliente")?.bind("127.0.0.1:0".parse().unwrap())?;
//! socket.send_to(b"ola", "127.0.0.1:9".parse().unwrap())?;
//! socket.close()?;
//! # Ok::<(), socket_lifecycle::Error>(())
//! ```
//!
//! **a UDP socket where a TCP connection is expected**
//! ```compile_fail,E0308
//! # use socket_lifecycle::{Connection, UdpSocket};
//! fn serve(conn: Connection) {}
//! serve(UdpSocket::udp_v4("cliente")?.connect("127.0.0.1:9".parse().unwrap())?);
//! # Ok::<(), socket_lifecycle::Error>(())
//! ```
//! ```
//! # use socket_lifecycle::{udp, UdpSocket};
//! fn serve(socket: UdpSocket<udp::Connected>) {}
//! serve(UdpSocket::udp_v4("cliente")?.connect("127.0.0.1:9".parse().unwrap())?);
//! # Ok::<(), socket_lifecycle::Error>(())
//! ```

use std::marker::PhantomData;
use std::net::{Shutdown, SocketAddr};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, RawFd};
use std::time::Duration;

use crate::kernel;
use crate::lifecycle::{Core, Result, SEND_FLAGS, failed, outcome_of};
use crate::trace::{Call, DATA_PREVIEW, Family, Outcome, StateName, Tracer, Transport};

mod sealed {
    pub trait Sealed {}
}

/// A state in a UDP socket's life. Sealed: the three states below are all
/// there is, and the TCP states are not among them.
pub trait State: sealed::Sealed {
    /// The state's runtime mirror, for the trace.
    const NAME: StateName;
}

/// After `socket()`: a UDP endpoint with no address yet.
#[derive(Debug)]
pub enum Created {}
/// After `bind()`, or the first `sendto()`: the socket owns a local address
/// and can exchange datagrams with anyone.
#[derive(Debug)]
pub enum Bound {}
/// After `connect()`: the peer is fixed; datagrams go to it and come from it
/// only. Nothing was exchanged to get here.
#[derive(Debug)]
pub enum Connected {}

impl sealed::Sealed for Created {}
impl sealed::Sealed for Bound {}
impl sealed::Sealed for Connected {}
impl State for Created {
    const NAME: StateName = StateName::Created;
}
impl State for Bound {
    const NAME: StateName = StateName::Bound;
}
impl State for Connected {
    const NAME: StateName = StateName::Connected;
}

/// A UDP socket in state `S`, over a [`socket2::Socket`].
///
/// Dropping it closes it (`close(fd)`), and that close is traced like
/// [`UdpSocket::close`].
#[derive(Debug)]
pub struct UdpSocket<S: State> {
    core: Core,
    _state: PhantomData<S>,
}

/// What one `recvfrom` brought: how much of the datagram the buffer kept,
/// how large it really was, and who sent it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Received {
    /// Bytes of the datagram now in the buffer.
    pub kept: usize,
    /// The datagram's real size, as `recvfrom` with `MSG_TRUNC` returns it
    /// (Linux): larger than [`Received::kept`] when the buffer was too small
    /// and the kernel cut it. Where there is no `MSG_TRUNC`, equal to `kept`.
    pub size: usize,
    /// The sender. `None` when no datagram came: a [`UdpSocket::shutdown`]
    /// woke the call up (it then returns 0 bytes from nobody).
    pub from: Option<SocketAddr>,
}

impl Received {
    /// No system call: whether the datagram was cut to fit the buffer (the
    /// rest of it is lost).
    pub fn truncated(&self) -> bool {
        self.size > self.kept
    }
}

/// Receive flags: on Linux, `MSG_TRUNC` makes `recvfrom` return a datagram's
/// real size even when the buffer was smaller, so a cut is always visible.
/// Other systems have no such input flag: there `recvfrom` returns what it
/// copied, and a cut cannot be seen.
#[cfg(any(target_os = "linux", target_os = "android"))]
const RECV_FLAGS: libc::c_int = libc::MSG_TRUNC;
#[cfg(not(any(target_os = "linux", target_os = "android")))]
const RECV_FLAGS: libc::c_int = 0;

impl UdpSocket<Created> {
    /// `socket(AF_INET, SOCK_DGRAM|SOCK_CLOEXEC, IPPROTO_UDP)`: a new IPv4 UDP
    /// socket, labelled and traced by `tracer` (a `&str` label will do).
    ///
    /// ```
    /// let socket = socket_lifecycle::UdpSocket::udp_v4("cliente")?;
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn udp_v4(tracer: impl Into<Tracer>) -> Result<UdpSocket<Created>> {
        UdpSocket::open(Family::V4, tracer.into())
    }

    /// `socket(AF_INET6, SOCK_DGRAM|SOCK_CLOEXEC, IPPROTO_UDP)`: a new IPv6
    /// UDP socket.
    ///
    /// ```
    /// let socket = socket_lifecycle::UdpSocket::udp_v6("cliente")?;
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn udp_v6(tracer: impl Into<Tracer>) -> Result<UdpSocket<Created>> {
        UdpSocket::open(Family::V6, tracer.into())
    }

    /// `socket(AF_INET or AF_INET6, SOCK_DGRAM|SOCK_CLOEXEC, IPPROTO_UDP)`: a
    /// new UDP socket of the family `addr` belongs to.
    ///
    /// ```
    /// let server = "[::1]:8888".parse().unwrap();
    /// let socket = socket_lifecycle::UdpSocket::udp_for(&server, "cliente")?;
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn udp_for(addr: &SocketAddr, tracer: impl Into<Tracer>) -> Result<UdpSocket<Created>> {
        UdpSocket::open(Family::of(addr), tracer.into())
    }

    fn open(family: Family, tracer: Tracer) -> Result<UdpSocket<Created>> {
        Ok(UdpSocket::from_core(Core::open(
            family,
            Transport::Udp,
            tracer,
        )?))
    }

    /// `bind(fd, addr, len)`: gives the socket its local address; datagrams
    /// sent there now reach it. Port 0 asks the kernel for a free port;
    /// [`UdpSocket::local_addr`] tells which.
    ///
    /// ```
    /// let socket = socket_lifecycle::UdpSocket::udp_v4("servidor")?
    ///     .bind("127.0.0.1:0".parse().unwrap())?;
    /// assert_ne!(socket.local_addr().unwrap().port(), 0);
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn bind(mut self, addr: SocketAddr) -> Result<UdpSocket<Bound>> {
        self.core.bind(addr)?;
        Ok(self.into_state())
    }

    /// `connect(fd, addr, len)`: fixes the peer. No packet leaves — UDP has
    /// no handshake — so this succeeds whether or not anyone is there. The
    /// kernel picks the local address and port.
    ///
    /// ```
    /// let socket = socket_lifecycle::UdpSocket::udp_v4("cliente")?
    ///     .connect("127.0.0.1:9".parse().unwrap())?;
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn connect(self, addr: SocketAddr) -> Result<UdpSocket<Connected>> {
        Ok(UdpSocket::from_core(self.core.connect(addr)?))
    }

    /// `sendto(fd, data, len, MSG_NOSIGNAL, addr, addrlen)` from a socket with
    /// no address: the kernel first binds it to an ephemeral port (the
    /// address a reply must come back to), so the socket comes out
    /// [`Bound`]. Returns it with the number of bytes sent: the whole
    /// datagram. A failure closes the socket.
    ///
    /// ```
    /// let (socket, sent) = socket_lifecycle::UdpSocket::udp_v4("cliente")?
    ///     .send_to(b"ola", "127.0.0.1:9".parse().unwrap())?;
    /// assert_eq!(sent, 3);
    /// assert_ne!(socket.local_addr().unwrap().port(), 0);
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn send_to(mut self, data: &[u8], to: SocketAddr) -> Result<(UdpSocket<Bound>, usize)> {
        let result = self
            .core
            .socket
            .send_to_with_flags(data, &to.into(), SEND_FLAGS);
        let call = send_call(data, Some(to));
        match result {
            Ok(sent) => {
                self.core.read_local();
                self.core.trace_with(
                    call,
                    Outcome::Returned(sent as i64),
                    StateName::Bound,
                    |event| event.ephemeral_port = true,
                );
                Ok((self.into_state(), sent))
            }
            Err(err) => {
                self.core.trace(call, failed(&err), StateName::Created);
                Err(self.core.error("sendto", Some(to), err))
            }
        }
    }
}

impl UdpSocket<Bound> {
    /// `sendto(fd, data, len, MSG_NOSIGNAL, addr, addrlen)`: one datagram to
    /// `to`, whole or not at all. Success means the kernel took it, not that
    /// anyone received it.
    ///
    /// ```
    /// let socket = socket_lifecycle::UdpSocket::udp_v4("cliente")?
    ///     .bind("127.0.0.1:0".parse().unwrap())?;
    /// assert_eq!(socket.send_to(b"ola", "127.0.0.1:9".parse().unwrap())?, 3);
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn send_to(&self, data: &[u8], to: SocketAddr) -> Result<usize> {
        let result = self
            .core
            .socket
            .send_to_with_flags(data, &to.into(), SEND_FLAGS);
        self.core.trace(
            send_call(data, Some(to)),
            outcome_of(&result, |n| *n as i64),
            StateName::Bound,
        );
        result.map_err(|err| self.core.error("sendto", Some(to), err))
    }

    /// `recvfrom(fd, buf, len, MSG_TRUNC, &addr, &addrlen)`: waits for one
    /// datagram from anyone and copies up to `buf.len()` bytes of it. Two
    /// `send_to`s are two `recv_from`s: UDP keeps message boundaries. A
    /// datagram larger than `buf` is cut, and [`Received::truncated`] says so.
    ///
    /// ```
    /// use socket_lifecycle::UdpSocket;
    /// let server = UdpSocket::udp_v4("servidor")?.bind("127.0.0.1:0".parse().unwrap())?;
    /// let (client, _) = UdpSocket::udp_v4("cliente")?
    ///     .send_to(b"ola", server.local_addr().unwrap())?;
    /// let mut buf = [0u8; 1024];
    /// let got = server.recv_from(&mut buf)?;
    /// assert_eq!(&buf[..got.kept], b"ola");
    /// // The first sendto bound the client to 0.0.0.0 (every interface); the
    /// // datagram left from 127.0.0.1, on the same port.
    /// assert_eq!(got.from.map(|a| a.port()), client.local_addr().map(|a| a.port()));
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn recv_from(&self, buf: &mut [u8]) -> Result<Received> {
        receive(&self.core, buf, StateName::Bound)
    }

    /// `connect(fd, addr, len)`: fixes the peer of a bound socket. No packet
    /// leaves.
    ///
    /// ```
    /// let socket = socket_lifecycle::UdpSocket::udp_v4("cliente")?
    ///     .bind("127.0.0.1:0".parse().unwrap())?
    ///     .connect("127.0.0.1:9".parse().unwrap())?;
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn connect(self, addr: SocketAddr) -> Result<UdpSocket<Connected>> {
        Ok(UdpSocket::from_core(self.core.connect(addr)?))
    }

    /// `shutdown(fd, SHUT_RDWR)`: wakes a thread blocked in
    /// [`UdpSocket::recv_from`], which then returns 0 bytes with no sender
    /// (`from: None`), as do all later receives — so a server can stop, e.g.
    /// on Ctrl+C. No FIN is sent: there is no connection. On an unconnected
    /// socket Linux answers `ENOTCONN` and still does all of the above; that
    /// answer is in the trace, and counts as success here.
    ///
    /// ```
    /// use socket_lifecycle::UdpSocket;
    /// let socket = UdpSocket::udp_v4("servidor")?.bind("127.0.0.1:0".parse().unwrap())?;
    /// socket.shutdown()?;
    /// assert_eq!(socket.recv_from(&mut [0u8; 16])?.from, None);
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn shutdown(&self) -> Result<()> {
        let result = self.core.socket.shutdown(Shutdown::Both);
        self.core.trace(
            Call::Shutdown {
                how: Shutdown::Both,
            },
            outcome_of(&result, |_| 0),
            StateName::Bound,
        );
        match result {
            Err(err) if err.raw_os_error() != Some(libc::ENOTCONN) => {
                Err(self.core.error("shutdown", self.core.local, err))
            }
            _ => Ok(()),
        }
    }
}

impl UdpSocket<Connected> {
    /// `sendto(fd, data, len, MSG_NOSIGNAL, NULL, 0)`: one datagram to the
    /// connected peer.
    ///
    /// ```
    /// let socket = socket_lifecycle::UdpSocket::udp_v4("cliente")?
    ///     .connect("127.0.0.1:9".parse().unwrap())?;
    /// assert_eq!(socket.send(b"ola")?, 3);
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn send(&self, data: &[u8]) -> Result<usize> {
        let result = self.core.socket.send_with_flags(data, SEND_FLAGS);
        self.core.trace(
            send_call(data, None),
            outcome_of(&result, |n| *n as i64),
            StateName::Connected,
        );
        result.map_err(|err| self.core.error("sendto", self.core.peer, err))
    }

    /// `recvfrom(fd, buf, len, MSG_TRUNC, &addr, &addrlen)`: one datagram from
    /// the connected peer (the kernel drops those from anyone else). If an
    /// earlier datagram met a closed port, this may fail with `ECONNREFUSED`:
    /// a connected UDP socket hears the ICMP "port unreachable" that came
    /// back.
    ///
    /// ```
    /// use socket_lifecycle::UdpSocket;
    /// let server = UdpSocket::udp_v4("servidor")?.bind("127.0.0.1:0".parse().unwrap())?;
    /// let client = UdpSocket::udp_v4("cliente")?.connect(server.local_addr().unwrap())?;
    /// client.send(b"ola")?;
    /// let got = server.recv_from(&mut [0u8; 16])?;
    /// server.send_to(b"oi", got.from.unwrap())?;
    /// let mut buf = [0u8; 16];
    /// let got = client.recv(&mut buf)?;
    /// assert_eq!(&buf[..got.kept], b"oi");
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn recv(&self, buf: &mut [u8]) -> Result<Received> {
        receive(&self.core, buf, StateName::Connected)
    }

    /// No system call: the peer's address, as `connect` fixed it.
    pub fn peer_addr(&self) -> Option<SocketAddr> {
        self.core.peer
    }
}

/// The event of a `sendto`: what was offered, and to whom.
fn send_call(data: &[u8], to: Option<SocketAddr>) -> Call {
    Call::SendTo {
        data: data[..data.len().min(DATA_PREVIEW)].to_vec(),
        len: data.len(),
        to,
    }
}

/// `recvfrom(fd, buf, len, MSG_TRUNC, &addr, &addrlen)`, traced, for bound
/// and connected sockets alike.
fn receive(core: &Core, buf: &mut [u8], state: StateName) -> Result<Received> {
    let capacity = buf.len();
    let result = core
        .socket
        .recv_from_with_flags(kernel::as_uninit(buf), RECV_FLAGS);
    let outcome = outcome_of(&result, |(returned, _)| *returned as i64);
    let received = result.map(|(returned, addr)| Received {
        // With MSG_TRUNC the kernel returns the datagram's size, which may
        // exceed what it copied; without it, what it copied.
        kept: returned.min(capacity),
        size: returned,
        from: addr.as_socket(),
    });
    core.trace(
        Call::RecvFrom {
            data: match &received {
                Ok(got) => buf[..got.kept.min(DATA_PREVIEW)].to_vec(),
                Err(_) => Vec::new(),
            },
            capacity,
            from: received.as_ref().ok().and_then(|got| got.from),
            msg_trunc: RECV_FLAGS != 0,
        },
        outcome,
        state,
    );
    received.map_err(|err| core.error("recvfrom", core.local, err))
}

impl<S: State> UdpSocket<S> {
    fn from_core(core: Core) -> UdpSocket<S> {
        UdpSocket {
            core,
            _state: PhantomData,
        }
    }

    fn into_state<T: State>(self) -> UdpSocket<T> {
        let mut core = self.core;
        core.state = T::NAME;
        UdpSocket::from_core(core)
    }

    /// `setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, …)`: a receive that waits
    /// longer than `timeout` fails with `EAGAIN` ([`crate::Cause::TimedOut`]);
    /// `None` waits forever, the default. With UDP this is how a client
    /// learns that no server answers: nothing else will tell it.
    ///
    /// ```
    /// use std::time::Duration;
    /// use socket_lifecycle::UdpSocket;
    /// let socket = UdpSocket::udp_v4("cliente")?.bind("127.0.0.1:0".parse().unwrap())?;
    /// socket.set_read_timeout(Some(Duration::from_millis(50)))?;
    /// let err = socket.recv_from(&mut [0u8; 16]).unwrap_err();
    /// assert_eq!(err.cause(), socket_lifecycle::Cause::TimedOut);
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn set_read_timeout(&self, timeout: Option<Duration>) -> Result<()> {
        self.core.set_read_timeout(timeout)
    }

    /// `close(fd)`: releases the descriptor and the port. There is no
    /// connection to end: no FIN leaves, nothing lingers in the kernel.
    /// Dropping a socket closes it the same way.
    ///
    /// ```
    /// let socket = socket_lifecycle::UdpSocket::udp_v4("cliente")?;
    /// socket.close()?;
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn close(self) -> Result<()> {
        let mut core = self.core;
        core.close()
            .map_err(|err| core.error("close", core.local, err))
    }

    /// No system call: the socket's label in the trace.
    pub fn label(&self) -> &str {
        self.core.tracer.label()
    }

    /// No system call: the local address, as `getsockname` reported it after
    /// `bind`, `connect` or the first `send_to`; `None` before.
    pub fn local_addr(&self) -> Option<SocketAddr> {
        self.core.local
    }

    /// No system call: the state, as a value.
    pub fn state(&self) -> StateName {
        S::NAME
    }
}

impl<S: State> AsFd for UdpSocket<S> {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.core.socket.as_fd()
    }
}

impl<S: State> AsRawFd for UdpSocket<S> {
    fn as_raw_fd(&self) -> RawFd {
        self.core.fd()
    }
}
