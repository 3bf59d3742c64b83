//! The TCP calls, state by state: `socket`, `setsockopt(SO_REUSEADDR)`,
//! `bind`, `listen`, `accept4`, `connect` (blocking, or non-blocking and
//! finished by `poll` and `getsockopt(SO_ERROR)`), `sendto`, `recvfrom`,
//! `shutdown`, `setsockopt(SO_RCVTIMEO)`, `fcntl(O_NONBLOCK)`.

use std::io::{self, Read};
use std::net::{Shutdown, SocketAddr};
use std::time::Duration;

use super::core::{ADDR_STORAGE, CLOEXEC, Core, Result};
use super::socket::Socket;
use super::state::{Bound, Connected, Connecting, Created, Listening};
use crate::errno::{Cause, Errno};
use crate::error::Error;
use crate::event::{Call, DATA_PREVIEW, Family, SocketOption, StateName, Transfer, Transport};
use crate::kernel;
use crate::trace::Tracer;

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
        let call = |_: Option<&()>| Call::SetOption {
            option: SocketOption::ReuseAddress(on),
        };
        self.core
            .conclude(result, call, |_| 0, StateName::Created)?;
        Ok(self)
    }

    /// `bind(fd, addr, len)`: gives the socket its local address. Port 0
    /// asks the kernel for a free port; [`Socket::local_addr`] tells which
    /// (read with `getsockname`). A failure closes the socket.
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
    /// socket at `addr`. The kernel picks the local address and port. A
    /// failure closes the socket.
    ///
    /// ```no_run
    /// let conn = socket_lifecycle::Socket::tcp_v4("cliente")?
    ///     .connect("127.0.0.1:8888".parse().unwrap())?;
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn connect(mut self, addr: SocketAddr) -> Result<Socket<Connected>> {
        self.core.connect(addr)?;
        Ok(self.into_state())
    }

    /// `fcntl(fd, F_SETFL, O_RDWR|O_NONBLOCK)` (after `F_GETFL`; Windows:
    /// `ioctlsocket(FIONBIO)`), then `connect(fd, addr, len)`: the SYN
    /// leaves and the call returns at once — normally `-1 EINPROGRESS`,
    /// which here is no failure: the kernel finishes the handshake on its
    /// own while the program does something else. The socket is
    /// [`Connecting`] until [`Socket::finish_connect`]. Any other error
    /// closes the socket.
    ///
    /// ```
    /// # use socket_lifecycle::Socket;
    /// # let listener = Socket::tcp_v4("servidor")?.bind("127.0.0.1:0".parse().unwrap())?.listen(5)?;
    /// let connecting = Socket::tcp_v4("cliente")?.connect_nonblocking(listener.local_addr().unwrap())?;
    /// let client = connecting.finish_connect(None)?;
    /// client.send(b"ola")?;
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn connect_nonblocking(mut self, addr: SocketAddr) -> Result<Socket<Connecting>> {
        self.core.set_nonblocking()?;
        self.core.start_connect(addr)?;
        Ok(self.into_state())
    }
}

impl Socket<Connecting> {
    /// `poll([{fd, events=POLLOUT}], 1, timeout)` until the handshake has
    /// ended (the socket becomes writable), then `getsockopt(fd,
    /// SOL_SOCKET, SO_ERROR, …)`: how it ended. `[0]`: the socket is
    /// [`Connected`] (and stays non-blocking). A refused or failed
    /// handshake shows only here, in `SO_ERROR` — the `connect` call
    /// itself said `EINPROGRESS` — and is this step's error; so is a
    /// `timeout` that passes first (`None`: no limit). An error closes the
    /// socket.
    ///
    /// ```
    /// use socket_lifecycle::{Cause, Socket};
    /// # let holder = Socket::tcp_v4("sem-escuta")?.bind("127.0.0.1:0".parse().unwrap())?;
    /// // Bound, but nobody listens there: the kernel answers the SYN with RST.
    /// let connecting = Socket::tcp_v4("cliente")?.connect_nonblocking(holder.local_addr().unwrap())?;
    /// let err = connecting.finish_connect(None).unwrap_err();
    /// assert_eq!(err.cause(), Cause::NoListener);
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn finish_connect(self, timeout: Option<Duration>) -> Result<Socket<Connected>> {
        if !self.core.wait_writable(timeout)? {
            let err = io::Error::from(io::ErrorKind::TimedOut);
            let peer = self.core.subject.peer;
            return Err(Error::new("poll", self.label(), peer, Cause::TimedOut, err));
        }
        self.core.take_error()?;
        Ok(self.into_state())
    }
}

impl Socket<Bound> {
    /// `listen(fd, backlog)`: turns the socket into a listener. The kernel
    /// then answers handshakes by itself and keeps finished connections
    /// waiting for [`Socket::accept`] — up to the backlog (the report uses
    /// 5), which the kernel may cap (`net.core.somaxconn`); the trace shows
    /// the limit it really set. A failure closes the socket.
    ///
    /// ```
    /// let listener = socket_lifecycle::Socket::tcp_v4("servidor")?
    ///     .bind("127.0.0.1:0".parse().unwrap())?
    ///     .listen(5)?;
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn listen(self, backlog: i32) -> Result<Socket<Listening>> {
        let result = self.core.socket.listen(backlog);
        let call = |_: Option<&()>| Call::Listen { backlog };
        self.core
            .conclude(result, call, |_| 0, StateName::Listening)?;
        Ok(self.into_state())
    }

    /// `connect(fd, addr, len)` from the address this socket is bound to.
    ///
    /// ```no_run
    /// let conn = socket_lifecycle::Socket::tcp_v4("cliente")?
    ///     .bind("127.0.0.1:0".parse().unwrap())?
    ///     .connect("127.0.0.1:8888".parse().unwrap())?;
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn connect(mut self, addr: SocketAddr) -> Result<Socket<Connected>> {
        self.core.connect(addr)?;
        Ok(self.into_state())
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
        let (socket, addr) = self.core.socket.accept().map_err(|err| {
            let call = Call::Accept {
                peer: None,
                child: None,
                child_state: None,
                flags: Some(CLOEXEC),
                addr_len: Some(ADDR_STORAGE),
            };
            self.core.failure(call, err)
        })?;
        let peer = addr.as_socket();
        let tracer = self.core.subject.tracer.next_accepted();
        let child = Core::accepted(socket, tracer, self.core.subject.family, peer);
        let call = || Call::Accept {
            peer,
            child: Some(child.subject.tracer.label().into()),
            child_state: kernel::tcp_info(child.fd()).map(|info| info.state),
            flags: Some(CLOEXEC),
            addr_len: Some(ADDR_STORAGE),
        };
        self.core.record(
            call,
            kernel::descriptor_number(child.fd()),
            StateName::Listening,
        );
        match peer {
            Some(peer) => Ok((Socket::from_core(child), peer)),
            // A TCP listener's kernel always names an IP peer; should it not,
            // the connection is dropped (its close is traced) and said so.
            None => Err(Error::new(
                "accept4",
                self.label(),
                self.core.subject.local,
                Cause::Other,
                io::Error::new(io::ErrorKind::InvalidData, "the peer has no IP address"),
            )),
        }
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
        self.core.shutdown(Shutdown::Both)
    }

    /// `fcntl(fd, F_SETFL, O_RDWR|O_NONBLOCK)` (after `F_GETFL`; Windows:
    /// `ioctlsocket(FIONBIO)`): from now on [`Socket::accept`] does not wait
    /// for a client; with none in the queue it fails at once with `EAGAIN`
    /// ([`Cause::WouldBlock`]: nothing ready yet, not an error). Connections
    /// it accepts are blocking again (Linux does not pass the flag on).
    ///
    /// ```
    /// use socket_lifecycle::{Cause, Socket};
    /// let listener = Socket::tcp_v4("servidor")?.bind("127.0.0.1:0".parse().unwrap())?.listen(5)?;
    /// listener.set_nonblocking()?;
    /// assert_eq!(listener.accept().unwrap_err().cause(), Cause::WouldBlock);
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn set_nonblocking(&self) -> Result<()> {
        self.core.set_nonblocking()
    }
}

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
        let result = self.core.socket.send_with_flags(data, kernel::SEND_FLAGS);
        let call = |_: Option<&usize>| Call::Send {
            data: data[..data.len().min(DATA_PREVIEW)].to_vec(),
            len: data.len(),
            via: Transfer::SendRecv {
                flags: kernel::SEND_FLAGS,
            },
        };
        self.core
            .conclude(result, call, |n| *n as i64, StateName::Connected)
    }

    /// `sendto(…)` until every byte is taken: one traced call per
    /// [`Socket::send`], looping over partial sends and over sends a signal
    /// interrupted (`EINTR`), as the standard library's `write_all` does.
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
            match self.send(data) {
                Ok(sent) => data = &data[sent..],
                Err(err) if err.posix_errno() == Some(Errno::EINTR) => {}
                Err(err) => return Err(err),
            }
        }
        Ok(())
    }

    /// `recvfrom(fd, buf, len, 0, NULL, NULL)`: waits for bytes and copies
    /// up to `buf.len()` of them. Returns how many; 0 means no more will
    /// come — the peer closed its side (its FIN arrived), the connection
    /// ended, or this side shut its own reading — and the trace says which.
    /// TCP is a byte stream: one `recv` may hold part of a message, or
    /// several.
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
        let capacity = buf.len();
        let result = (&*self.core.socket).read(buf);
        let ended = matches!(result, Ok(0)) && capacity > 0;
        let connection = if ended && self.core.subject.tracer.enabled() {
            self.core.connection_after_end()
        } else {
            None
        };
        let call = |n: Option<&usize>| Call::Recv {
            data: n.map_or_else(Vec::new, |n| buf[..(*n).min(DATA_PREVIEW)].to_vec()),
            capacity,
            connection,
            via: Transfer::SendRecv { flags: 0 },
        };
        self.core
            .conclude(result, call, |n| *n as i64, StateName::Connected)
    }

    /// `shutdown(fd, how)`: closes one or both directions without releasing
    /// the descriptor. `Shutdown::Write` sends a FIN: the peer's `recv`
    /// returns 0 while this side can still read. `Shutdown::Read` sends
    /// nothing; this side's own `recv` then returns 0.
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
        self.core.shutdown(how)
    }

    /// `setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, …)`: a `recv` that waits
    /// longer than `timeout` fails with `EAGAIN` ([`crate::Cause::TimedOut`]);
    /// `None` waits forever, the default. The kernel counts in whole
    /// microseconds: a shorter limit is rounded up to one, and a limit of
    /// zero — which the kernel would take as "wait forever" — is refused
    /// ([`crate::Cause::ZeroTimeout`]) without a call.
    ///
    /// ```
    /// # use socket_lifecycle::Socket;
    /// # let listener = Socket::tcp_v4("servidor")?.bind("127.0.0.1:0".parse().unwrap())?.listen(5)?;
    /// use std::time::Duration;
    /// use socket_lifecycle::Cause;
    ///
    /// let client = Socket::tcp_v4("cliente")?.connect(listener.local_addr().unwrap())?;
    /// client.set_read_timeout(Some(Duration::from_millis(50)))?;
    /// let err = client.recv(&mut [0u8; 16]).unwrap_err();
    /// assert_eq!(err.cause(), Cause::TimedOut);
    /// let zero = client.set_read_timeout(Some(Duration::ZERO)).unwrap_err();
    /// assert_eq!(zero.cause(), Cause::ZeroTimeout);
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn set_read_timeout(&self, timeout: Option<Duration>) -> Result<()> {
        self.core.set_read_timeout(timeout)
    }

    /// `setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, …)`: a `send` that waits
    /// longer than `timeout` gives up ([`crate::Cause::PeerNotReading`]:
    /// `EAGAIN`, `WSAETIMEDOUT` on Windows); `None` waits forever, the
    /// default. A send waits only while the kernel's send buffer is full,
    /// and it stays full when the peer reads nothing: the bytes fill the
    /// peer's receive buffer, then this side's send buffer. A send that had
    /// handed over part of its bytes when the limit ran out returns that
    /// part; the next one fails. Rounded as [`Self::set_read_timeout`] is;
    /// a limit of zero is refused ([`crate::Cause::ZeroTimeout`]) without
    /// a call.
    ///
    /// ```
    /// # use socket_lifecycle::Socket;
    /// # let listener = Socket::tcp_v4("servidor")?.bind("127.0.0.1:0".parse().unwrap())?.listen(5)?;
    /// use std::time::Duration;
    /// use socket_lifecycle::Cause;
    ///
    /// // A peer that never reads: its connection waits, unaccepted.
    /// let client = Socket::tcp_v4("cliente")?.connect(listener.local_addr().unwrap())?;
    /// client.set_write_timeout(Some(Duration::from_millis(50)))?;
    /// let chunk = [0u8; 64 * 1024];
    /// // Bounded: the two kernels' buffers hold a few megabytes at most.
    /// let err = (0..1024).find_map(|_| client.send(&chunk).err()).unwrap();
    /// assert_eq!(err.cause(), Cause::PeerNotReading);
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn set_write_timeout(&self, timeout: Option<Duration>) -> Result<()> {
        self.core.set_write_timeout(timeout)
    }

    /// `fcntl(fd, F_SETFL, O_RDWR|O_NONBLOCK)` (after `F_GETFL`; Windows:
    /// `ioctlsocket(FIONBIO)`): from now on [`Socket::recv`] with nothing
    /// received, and [`Socket::send`] with the send buffer full, fail at
    /// once with `EAGAIN` ([`Cause::WouldBlock`]: nothing ready yet, not an
    /// error), and a `send` may take only part of what it is offered.
    ///
    /// ```
    /// # use socket_lifecycle::Socket;
    /// # let listener = Socket::tcp_v4("servidor")?.bind("127.0.0.1:0".parse().unwrap())?.listen(5)?;
    /// use socket_lifecycle::Cause;
    ///
    /// let client = Socket::tcp_v4("cliente")?.connect(listener.local_addr().unwrap())?;
    /// client.set_nonblocking()?;
    /// assert_eq!(client.recv(&mut [0u8; 16]).unwrap_err().cause(), Cause::WouldBlock);
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn set_nonblocking(&self) -> Result<()> {
        self.core.set_nonblocking()
    }
}
