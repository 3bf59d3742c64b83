//! [`Call`]: a system call with the arguments the program gave it, and the
//! facts that belong to that kind of call alone.

use std::net::{Shutdown, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use super::names::{Family, StateName, Transport};
use crate::kernel::{Descriptor, Lingering, TcpInfo, TcpState};

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
        /// What the new descriptor was made with (the library: close-on-exec).
        flags: FdFlags,
        /// The protocol was given as 0 — the type's default, which strace
        /// prints as `IPPROTO_IP` — rather than named (`IPPROTO_TCP`).
        protocol_zero: bool,
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
    /// `accept4(fd, &addr, &len, SOCK_CLOEXEC)`, or `accept(fd, &addr, &len)`.
    Accept {
        /// The peer's address, when a connection was accepted.
        peer: Option<SocketAddr>,
        /// The label given to the accepted socket (`servidor#1`).
        child: Option<Arc<str>>,
        /// The accepted connection's TCP state, read right after.
        child_state: Option<TcpState>,
        /// What the accepted descriptor was asked to be made with (the
        /// library: close-on-exec); `None`: the call was `accept`, which
        /// takes no flags.
        flags: Option<FdFlags>,
        /// The size of the address buffer offered (the library: 128, a
        /// whole `sockaddr_storage`); `None`: no buffer (`NULL, NULL`).
        addr_len: Option<u32>,
    },
    /// `connect(fd, addr, len)`.
    Connect {
        /// The address connected to.
        addr: SocketAddr,
    },
    /// `sendto(fd, data, len, MSG_NOSIGNAL, NULL, 0)` on a TCP connection
    /// (flags `0` where the system has no `MSG_NOSIGNAL`), or the `write`,
    /// `writev` or `sendmsg` that [`Transfer`] names.
    Send {
        /// The first [`DATA_PREVIEW`] bytes offered.
        data: Vec<u8>,
        /// How many bytes were offered.
        len: usize,
        /// The system call that sent them and its own arguments — among
        /// them the flags it passed.
        via: Transfer,
    },
    /// `recvfrom(fd, buf, capacity, 0, NULL, NULL)` on a TCP connection, or
    /// the `read`, `readv` or `recvmsg` that [`Transfer`] names.
    Recv {
        /// The first [`DATA_PREVIEW`] bytes received.
        data: Vec<u8>,
        /// The size of the buffer offered to the kernel.
        capacity: usize,
        /// When a `recv` returned 0 and left the socket in `CLOSE` after
        /// this side's own FIN: what the kernel holds of the connection
        /// (`TIME_WAIT` after an orderly end). `None`: not asked.
        connection: Option<Lingering>,
        /// The system call that received them and its own arguments.
        via: Transfer,
    },
    /// `sendto(fd, data, len, MSG_NOSIGNAL, addr, addrlen)`: one UDP datagram,
    /// to `to`, or to the connected peer (`NULL, 0`) when `to` is `None`.
    SendTo {
        /// The first [`DATA_PREVIEW`] bytes offered.
        data: Vec<u8>,
        /// How many bytes were offered: the datagram's size.
        len: usize,
        /// The `MSG_…` flags passed, as this system numbers them (the
        /// library: [`crate::kernel::SEND_FLAGS`], `MSG_NOSIGNAL` where the
        /// system has it, else 0).
        flags: i32,
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
        /// The size of the buffer offered for the sender's address (the
        /// library: 128, a whole `sockaddr_storage`); `None`: no buffer
        /// (`NULL, NULL`, as a `recv` on a connected socket passes).
        addr_len: Option<u32>,
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
    /// `fcntl(fd, F_GETFL)` then `fcntl(fd, F_SETFL, flags|O_NONBLOCK)`
    /// (Windows: `ioctlsocket(s, FIONBIO, [1])`), as socket2 makes it: the
    /// socket's calls no longer wait; one that would fails with `EAGAIN`.
    /// (`F_SETFL` is left out when the flag was set already.)
    SetNonblocking,
    /// `getsockopt(fd, SOL_SOCKET, SO_ERROR, …)`: the error a non-blocking
    /// `connect` ended with, which reading also clears.
    TakeError {
        /// The error number the kernel held (as this system numbers it),
        /// 0 when the handshake succeeded; `None` when the call failed.
        pending: Option<i32>,
    },
    /// `epoll_create1(EPOLL_CLOEXEC)` (Linux): a new epoll instance, which
    /// keeps the sockets registered with it (`Epoll`, on Linux).
    EpollCreate,
    /// `epoll_ctl(epfd, EPOLL_CTL_ADD, fd, {events, data})` (Linux): a
    /// socket registered with an epoll instance, for what it is waited on.
    EpollAdd {
        /// The socket: its descriptor (also the registration's data), its
        /// label and state, and whether it is waited on to read
        /// (`EPOLLIN`) or to write (`EPOLLOUT`).
        target: Waited,
        /// `EPOLLET`: reported once when it becomes ready (edge-triggered),
        /// not at every wait while it is (level-triggered, the default).
        edge: bool,
    },
    /// `poll`, `ppoll`, `select` or `pselect6`: the program blocked until
    /// one of the descriptors was ready, or the time limit passed. A
    /// program traced from outside makes one event per socket waited on
    /// (the event's socket is among `fds`); the library's own wait
    /// ([`crate::Poll`]) makes one event for the whole wait, under the
    /// wait's own label, and names each socket in `fds`.
    Wait {
        /// The call that waited.
        syscall: WaitCall,
        /// Every descriptor waited on, this socket's among them, with what
        /// was asked and what the kernel answered.
        fds: Vec<Waited>,
        /// The time limit given; `None`: no limit.
        timeout: Option<Duration>,
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
    /// `SOL_SOCKET, SO_SNDTIMEO`: a limit on blocking sends, as
    /// [`SocketOption::ReadTimeout`] is on reads.
    WriteTimeout(Option<Duration>),
    /// `SOL_SOCKET, SO_LINGER`: what `close` does with data not yet sent.
    /// On with 0 seconds, `close` resets the connection (RST) at once.
    Linger {
        /// `l_onoff`: whether lingering is on.
        on: bool,
        /// `l_linger`: how long `close` may wait, in seconds.
        seconds: i32,
    },
    /// `IPPROTO_TCP, TCP_NODELAY`: small segments leave at once instead of
    /// waiting to be coalesced (Nagle's algorithm off).
    NoDelay(bool),
    /// Any other option, rendered by its numbers (as this system numbers
    /// them) and not narrated.
    Other {
        /// The `level` argument (`SOL_SOCKET`, `IPPROTO_TCP`, …).
        level: i32,
        /// The option's number at that level.
        name: i32,
        /// The value when it is one `int` (`len` 4), as most options are.
        value: Option<i32>,
        /// The `optlen` argument.
        len: u32,
    },
}

/// The call a program waited in for descriptors to be ready.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WaitCall {
    /// `poll(fds, nfds, timeout_ms)`.
    Poll,
    /// `ppoll(fds, nfds, timeout, sigmask, size)`.
    Ppoll,
    /// `select(nfds, readfds, writefds, exceptfds, timeout)`.
    Select,
    /// `pselect6(nfds, readfds, writefds, exceptfds, timeout, sigmask)`.
    Pselect6,
    /// `epoll_wait(epfd, events, max_events, timeout_ms)` (Linux): the wait
    /// names only the descriptors it reports ready.
    EpollWait {
        /// The room given for reports (`maxevents`).
        max_events: usize,
    },
}

impl WaitCall {
    /// No system call: the call's name, as the kernel names it.
    ///
    /// ```
    /// assert_eq!(socket_lifecycle::event::WaitCall::Pselect6.name(), "pselect6");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            WaitCall::Poll => "poll",
            WaitCall::Ppoll => "ppoll",
            WaitCall::Select => "select",
            WaitCall::Pselect6 => "pselect6",
            WaitCall::EpollWait { .. } => "epoll_wait",
        }
    }
}

/// One descriptor of a wait: what the program waited for on it, and what
/// the kernel answered (`revents`, or the sets `select` gave back).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Waited {
    /// The descriptor.
    pub fd: Descriptor,
    /// The socket's label, when the waiter knows it (the library's own
    /// waits); `None` for a program traced from outside.
    pub socket: Option<Arc<str>>,
    /// The socket's typestate, when the waiter knows it: what a ready
    /// socket may now do without waiting (accept, recv, send, finish a
    /// connect).
    pub state: Option<StateName>,
    /// Waited to read (`POLLIN`, or in `readfds`).
    pub read: bool,
    /// Waited to write (`POLLOUT`, or in `writefds`).
    pub write: bool,
    /// Ready to read now.
    pub readable: bool,
    /// Ready to write now.
    pub writable: bool,
    /// The kernel answered with an error or a hang-up (`POLLERR`,
    /// `POLLHUP`, `POLLNVAL`; the library's own waits keep `POLLHUP` apart
    /// in `hung_up`).
    pub failed: bool,
    /// The kernel answered `POLLHUP`: both directions are over (the
    /// connection was reset or refused, or both sides shut it). Only the
    /// library's own waits tell it apart from `failed`.
    pub hung_up: bool,
}

/// What a call that makes a descriptor was asked to make it with:
/// close-on-exec (`SOCK_CLOEXEC`: the descriptor closes itself at
/// `execve`; Windows: `WSA_FLAG_NO_HANDLE_INHERIT`, no child process gets
/// it) and non-blocking (`SOCK_NONBLOCK`: calls that would wait fail with
/// `EAGAIN` instead). How each system is asked is its call line's
/// business: socket2 passes `SOCK_CLOEXEC` on Linux and FreeBSD, and on
/// macOS follows the call with `fcntl(FD_CLOEXEC)`.
///
/// ```
/// use socket_lifecycle::event::FdFlags;
///
/// assert!(!FdFlags::default().cloexec);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FdFlags {
    /// Close-on-exec (`SOCK_CLOEXEC`).
    pub cloexec: bool,
    /// Non-blocking (`SOCK_NONBLOCK`).
    pub nonblocking: bool,
}

/// The system call that moved bytes on a connection: the library's own
/// `sendto`/`recvfrom`, or what a program traced from outside used — a
/// `write` that moved bytes on a socket is a send all the same, and is
/// narrated as one; only its call line differs.
///
/// ```
/// use socket_lifecycle::event::Transfer;
///
/// let library = Transfer::SendRecv { flags: socket_lifecycle::kernel::SEND_FLAGS };
/// assert_ne!(library, Transfer::ReadWrite);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Transfer {
    /// `sendto(fd, buf, len, flags, NULL, 0)` or
    /// `recvfrom(fd, buf, len, flags, NULL, NULL)` — what C's `send` and
    /// `recv` become (Windows: `send`, `recv`) — with the `MSG_…` flags
    /// passed, as this system numbers them (the library's sends:
    /// [`crate::kernel::SEND_FLAGS`]; its receives: 0).
    SendRecv {
        /// The flags argument.
        flags: i32,
    },
    /// `write(fd, buf, len)` or `read(fd, buf, len)`.
    ReadWrite,
    /// `writev(fd, iov, n)` or `readv(fd, iov, n)`: several buffers.
    Vectored {
        /// Each buffer: its first bytes (what it held or received) and size.
        buffers: Vec<Buffer>,
    },
    /// `sendmsg(fd, msg, flags)` or `recvmsg(fd, msg, flags)`, with no
    /// address and no control data.
    Message {
        /// The flags argument.
        flags: i32,
        /// Each buffer of `msg_iov`.
        buffers: Vec<Buffer>,
        /// The `msg_flags` the kernel gave back (`recvmsg`), or passed in.
        msg_flags: i32,
    },
}

/// One buffer of a vectored transfer (`struct iovec`): its first
/// [`DATA_PREVIEW`] bytes and its size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Buffer {
    /// The first bytes it held (a send) or received (a receive).
    pub data: Vec<u8>,
    /// Its size, `iov_len`.
    pub len: usize,
}
