//! [`Call`]: a system call with the arguments the program gave it, and the
//! facts that belong to that kind of call alone.

use std::net::{Shutdown, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use super::names::{Family, Transport};
use crate::kernel::{Lingering, TcpInfo, TcpState};

/// At most this many bytes of sent or received data are kept in an event,
/// the same as strace shows by default (`-s 32`).
///
/// ```
/// use socket_lifecycle::event::{Call, DATA_PREVIEW};
/// # use socket_lifecycle::{Recorder, Socket};
/// # let listener = Socket::tcp_v4("servidor")?.bind("127.0.0.1:0".parse().unwrap())?.listen(5)?;
/// let recorder = Recorder::new();
/// let client = Socket::tcp_v4(recorder.tracer("cliente"))?.connect(listener.local_addr().unwrap())?;
/// client.send_all(&[b'x'; 100])?;
/// let send = recorder.events().into_iter().find(|e| e.call.name() == "sendto").unwrap();
/// assert!(matches!(send.call, Call::Send { data, len: 100, .. } if data.len() == DATA_PREVIEW));
/// # Ok::<(), socket_lifecycle::Error>(())
/// ```
pub const DATA_PREVIEW: usize = 32;

/// A system call and the arguments that matter, as the program made it,
/// with the facts only this kind of call has. The variants are named for
/// the step; what each system calls it is [`Call::name`] (on Windows:
/// `WSASocketW`, `accept`, `send`, `recv`, `closesocket`).
///
/// ```
/// use socket_lifecycle::event::Call;
/// use socket_lifecycle::{Recorder, Socket};
///
/// let recorder = Recorder::new();
/// Socket::tcp_v4(recorder.tracer("servidor"))?.bind("127.0.0.1:0".parse().unwrap())?;
/// let calls: Vec<Call> = recorder.events().into_iter().map(|e| e.call).collect();
/// assert!(matches!(calls[1], Call::Bind { addr } if addr.port() == 0));
/// # Ok::<(), socket_lifecycle::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Call {
    /// `socket(AF_INET|AF_INET6, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_TCP)`, or
    /// `SOCK_DGRAM|SOCK_CLOEXEC, IPPROTO_UDP` for UDP.
    Socket {
        /// The address family asked for.
        family: Family,
        /// The transport asked for (the socket type and protocol).
        transport: Transport,
    },
    /// `setsockopt(fd, level, name, value, len)`.
    SetOption {
        /// The option and the value given to it.
        option: SocketOption,
    },
    /// `bind(fd, addr, len)`.
    Bind {
        /// The address asked for (port 0: the kernel picks one).
        addr: SocketAddr,
    },
    /// `listen(fd, backlog)`.
    Listen {
        /// The backlog asked for (the kernel's own limit, which may differ,
        /// is in the event's `tcp`).
        backlog: i32,
    },
    /// `accept4(fd, …, SOCK_CLOEXEC)`.
    Accept {
        /// The peer's address, when a connection was accepted.
        peer: Option<SocketAddr>,
        /// The label given to the accepted socket (`servidor#1`).
        child: Option<Arc<str>>,
        /// The accepted connection's TCP state, read right after.
        child_state: Option<TcpState>,
    },
    /// `connect(fd, addr, len)`.
    Connect {
        /// The address connected to.
        addr: SocketAddr,
    },
    /// `sendto(fd, data, len, MSG_NOSIGNAL, NULL, 0)` on a TCP connection
    /// (flags `0` where the system has no `MSG_NOSIGNAL`).
    Send {
        /// The first [`DATA_PREVIEW`] bytes offered.
        data: Vec<u8>,
        /// How many bytes were offered.
        len: usize,
        /// Whether `MSG_NOSIGNAL` was passed (Linux); where it was not, the
        /// flags were 0.
        msg_nosignal: bool,
    },
    /// `recvfrom(fd, buf, capacity, 0, NULL, NULL)` on a TCP connection.
    Recv {
        /// The first [`DATA_PREVIEW`] bytes received.
        data: Vec<u8>,
        /// The size of the buffer offered to the kernel.
        capacity: usize,
        /// When a `recv` returned 0 and left the socket in `CLOSE` after
        /// this side's own FIN: what the kernel holds of the connection
        /// (`TIME_WAIT` after an orderly end). `None`: not asked.
        connection: Option<Lingering>,
    },
    /// `sendto(fd, data, len, MSG_NOSIGNAL, addr, addrlen)`: one UDP datagram,
    /// to `to`, or to the connected peer (`NULL, 0`) when `to` is `None`.
    SendTo {
        /// The first [`DATA_PREVIEW`] bytes offered.
        data: Vec<u8>,
        /// How many bytes were offered: the datagram's size.
        len: usize,
        /// Whether `MSG_NOSIGNAL` was passed (Linux); where it was not, the
        /// flags were 0.
        msg_nosignal: bool,
        /// The destination given to the call; `None`: the connected peer.
        to: Option<SocketAddr>,
    },
    /// `recvfrom(fd, buf, capacity, MSG_TRUNC, &addr, [128 => len])`: one UDP
    /// datagram and its sender. With `MSG_TRUNC` (Linux) the call returns the
    /// datagram's real size even when the buffer held less.
    RecvFrom {
        /// The first [`DATA_PREVIEW`] bytes kept in the buffer.
        data: Vec<u8>,
        /// The size of the buffer offered to the kernel.
        capacity: usize,
        /// The sender, as the kernel filled it in; `None` when it filled in
        /// no address (the call failed, or a `shutdown` woke it up).
        from: Option<SocketAddr>,
        /// Whether `MSG_TRUNC` was passed (where the kernel supports it).
        msg_trunc: bool,
    },
    /// `shutdown(fd, SHUT_RD|SHUT_WR|SHUT_RDWR)`.
    Shutdown {
        /// Which direction was shut.
        how: Shutdown,
    },
    /// `close(fd)`, with what the kernel said just before and just after.
    Close {
        /// Bytes waiting unread in the receive buffer just before
        /// (`ioctl(FIONREAD)`); `None` where it could not be read. On a TCP
        /// connection, unread bytes turn the FIN into a reset (RST).
        unread: Option<usize>,
        /// `TCP_INFO` just before the close (the state, and on a listener
        /// its accept queue); `None` for UDP or where it cannot be read.
        before: Option<TcpInfo>,
        /// What the kernel still holds of the connection just after;
        /// `None` when the socket had no connection to ask about.
        after: Option<Lingering>,
    },
    /// Not a call on the socket: the kernel asked (over sock_diag, or in
    /// `/proc/net/tcp`) what it still holds of a closed socket's connection.
    KernelLookup {
        /// The answer.
        found: Lingering,
    },
}

impl Call {
    /// No system call: the address the call names as an argument (`bind`,
    /// `connect`, `sendto` with a destination), if any.
    ///
    /// ```
    /// use socket_lifecycle::event::Call;
    ///
    /// let addr = "127.0.0.1:8888".parse().unwrap();
    /// assert_eq!(Call::Connect { addr }.address(), Some(addr));
    /// assert_eq!(Call::Listen { backlog: 5 }.address(), None);
    /// ```
    pub fn address(&self) -> Option<SocketAddr> {
        match self {
            Call::Bind { addr } | Call::Connect { addr } => Some(*addr),
            Call::SendTo { to, .. } => *to,
            _ => None,
        }
    }
}

/// A socket option a `setsockopt` sets, with its value. Adding an option is
/// one variant here, its rendering on each system (`render/syscall/`)
/// and its words in each language (`render/words/`).
///
/// ```
/// use socket_lifecycle::event::SocketOption;
///
/// assert_eq!(SocketOption::ReuseAddress(true).name(), "SO_REUSEADDR");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SocketOption {
    /// `SOL_SOCKET, SO_REUSEADDR`: whether `bind` may take a port that old
    /// connections still hold in TIME_WAIT.
    ReuseAddress(bool),
    /// `SOL_SOCKET, SO_RCVTIMEO`: a limit on blocking reads, in whole
    /// microseconds as the kernel got it; `None` (sent as zero) waits
    /// forever.
    ReadTimeout(Option<Duration>),
    /// `SOL_SOCKET, SO_SNDTIMEO`: a limit on blocking sends (a send waits
    /// while the send buffer is full, which it stays when the peer does not
    /// read), in whole microseconds as the kernel got it; `None` (sent as
    /// zero) waits forever.
    WriteTimeout(Option<Duration>),
}

impl SocketOption {
    /// No system call: the option's name, the same on every system.
    pub fn name(&self) -> &'static str {
        match self {
            SocketOption::ReuseAddress(_) => "SO_REUSEADDR",
            SocketOption::ReadTimeout(_) => "SO_RCVTIMEO",
            SocketOption::WriteTimeout(_) => "SO_SNDTIMEO",
        }
    }
}
