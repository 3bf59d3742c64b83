//! A UDP socket's life as types: [`UdpSocket<S>`] where `S` is the state.
//!
//! The same machinery as TCP's ([`crate::lifecycle`]): one method per
//! system call, transitions consume the socket, a call exists only in the
//! states where it is legal, and every call traces itself. What differs is
//! the life itself: UDP has no connection, so there is no `listen`, no
//! `accept`, no handshake and no FIN. One socket talks to anyone, one
//! datagram at a time, and each datagram carries its destination (`sendto`)
//! or tells its sender (`recvfrom`). The diagram is drawn from
//! [`crate::diagram::UDP_TRANSITIONS`]:
//!
//! ```text
#![doc = include_str!("../diagram/typestate-udp.txt")]
//! ```
//!
//! # Types
//!
//! The states are the same markers as TCP's, and a UDP socket is
//! `Socket<S, Udp>` ([`UdpSocket<S>`]): what differs is which calls each
//! state has.
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

use std::net::{Shutdown, SocketAddr};
use std::time::Duration;

use super::core::{ADDR_STORAGE, Core, Result};
use super::socket::Socket;
use super::state::Udp;
use crate::errno::Errno;
use crate::event::{Call, DATA_PREVIEW, Family, StateName, Transport};
use crate::kernel;
use crate::trace::Tracer;

pub use super::state::{Bound, Connected, Created, State};

/// A UDP socket in state `S`: [`Socket`] speaking [`Udp`].
///
/// Dropping it closes it (`close(fd)`), and that close is traced like
/// [`Socket::close`].
///
/// ```
/// use socket_lifecycle::{udp, UdpSocket};
///
/// let socket: UdpSocket<udp::Bound> = UdpSocket::udp_v4("servidor")?
///     .bind("127.0.0.1:0".parse().unwrap())?;
/// # Ok::<(), socket_lifecycle::Error>(())
/// ```
pub type UdpSocket<S> = Socket<S, Udp>;

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
        Ok(Socket::from_core(Core::open(
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
    pub fn connect(mut self, addr: SocketAddr) -> Result<UdpSocket<Connected>> {
        self.core.connect(addr)?;
        Ok(self.into_state())
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
            .send_to_with_flags(data, &to.into(), kernel::SEND_FLAGS);
        if result.is_ok() {
            self.core.read_local();
        }
        let call = |_: Option<&usize>| send_call(data, Some(to));
        let sent = self
            .core
            .conclude(result, call, |n| *n as i64, StateName::Bound)?;
        Ok((self.into_state(), sent))
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
            .send_to_with_flags(data, &to.into(), kernel::SEND_FLAGS);
        let call = |_: Option<&usize>| send_call(data, Some(to));
        self.core
            .conclude(result, call, |n| *n as i64, StateName::Bound)
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
    pub fn connect(mut self, addr: SocketAddr) -> Result<UdpSocket<Connected>> {
        self.core.connect(addr)?;
        Ok(self.into_state())
    }

    /// `shutdown(fd, SHUT_RDWR)`: wakes a thread blocked in
    /// [`UdpSocket::recv_from`], which then returns 0 bytes with no sender
    /// (`from: None`), as do all later receives — so a server can stop, e.g.
    /// on Ctrl+C. No FIN is sent: there is no connection. On an unconnected
    /// socket Linux answers `ENOTCONN` and still does all of the above; that
    /// answer is in the trace, and counts as success here. On other systems
    /// `ENOTCONN` is taken at its word (macOS, for one, then does nothing):
    /// an error, and a program must wake its `recvfrom` another way.
    ///
    /// ```
    /// use socket_lifecycle::UdpSocket;
    /// let socket = UdpSocket::udp_v4("servidor")?.bind("127.0.0.1:0".parse().unwrap())?;
    /// socket.shutdown()?;
    /// assert_eq!(socket.recv_from(&mut [0u8; 16])?.from, None);
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn shutdown(&self) -> Result<()> {
        match self.core.shutdown(Shutdown::Both) {
            Err(err)
                if err.posix_errno() == Some(Errno::ENOTCONN)
                    && kernel::RULES.unconnected_udp_shutdown_wakes =>
            {
                Ok(())
            }
            other => other,
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
        let result = self.core.socket.send_with_flags(data, kernel::SEND_FLAGS);
        let call = |_: Option<&usize>| send_call(data, None);
        self.core
            .conclude(result, call, |n| *n as i64, StateName::Connected)
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
}

/// The event of a `sendto`: what was offered, and to whom.
fn send_call(data: &[u8], to: Option<SocketAddr>) -> Call {
    Call::SendTo {
        data: data[..data.len().min(DATA_PREVIEW)].to_vec(),
        len: data.len(),
        flags: kernel::SEND_FLAGS,
        to,
    }
}

/// `recvfrom(fd, buf, len, MSG_TRUNC, &addr, &addrlen)`, traced, for bound
/// and connected sockets alike.
fn receive(core: &Core, buf: &mut [u8], state: StateName) -> Result<Received> {
    let capacity = buf.len();
    let result = core
        .socket
        .recv_from_with_flags(kernel::as_uninit(buf), kernel::DATAGRAM_RECV_FLAGS)
        .map(|(returned, addr)| Received {
            // With MSG_TRUNC the kernel returns the datagram's size, which may
            // exceed what it copied; without it, what it copied.
            kept: returned.min(capacity),
            size: returned,
            from: addr.as_socket(),
        });
    let call = |got: Option<&Received>| Call::RecvFrom {
        data: got.map_or_else(Vec::new, |got| buf[..got.kept.min(DATA_PREVIEW)].to_vec()),
        capacity,
        from: got.and_then(|got| got.from),
        msg_trunc: kernel::DATAGRAM_RECV_FLAGS != 0,
        addr_len: Some(ADDR_STORAGE),
    };
    core.conclude(result, call, |got| got.size as i64, state)
}

impl<S: State> UdpSocket<S> {
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
}
