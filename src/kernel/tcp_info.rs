//! What the kernel tells about a live socket, asked through its descriptor:
//! the TCP state and accept queue (`getsockopt(TCP_INFO)`), the bytes that
//! wait unread (`ioctl(FIONREAD)`), and whether it blocks
//! (`fcntl(F_GETFL)`). Each is a read that changes nothing; socket2 wraps
//! none of them, hence the `unsafe` blocks here.

use std::os::fd::RawFd;

use super::tcp_state::TcpState;

/// What `getsockopt(fd, IPPROTO_TCP, TCP_INFO)` reports that the trace shows.
///
/// ```
/// use std::os::fd::AsRawFd;
/// use socket_lifecycle::{kernel::tcp_info, Socket, TcpState};
///
/// let listener = Socket::tcp_v4("servidor")?.bind("127.0.0.1:0".parse().unwrap())?.listen(5)?;
/// if let Some(info) = tcp_info(listener.as_raw_fd()) {
///     assert_eq!(info.state, TcpState::Listen);
///     assert_eq!((info.accept_queue, info.accept_queue_limit), (Some(0), Some(5)));
/// }
/// # Ok::<(), socket_lifecycle::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TcpInfo {
    /// The connection's state (`tcpi_state`).
    pub state: TcpState,
    /// On a listening socket: connections waiting in the accept queue
    /// (`tcpi_unacked`; `ss` shows it as `Recv-Q`).
    pub accept_queue: Option<u32>,
    /// On a listening socket: the accept queue's limit, the backlog given to
    /// `listen()` as the kernel capped it (`tcpi_sacked`; `ss`: `Send-Q`).
    pub accept_queue_limit: Option<u32>,
}

/// `getsockopt(fd, IPPROTO_TCP, TCP_INFO, …)`: the kernel's view of a TCP
/// socket. `None` where the kernel has no such option (not Linux) or the call
/// failed — a state is never guessed.
///
/// ```
/// use std::os::fd::AsRawFd;
/// use socket_lifecycle::{kernel::tcp_info, Socket, TcpState};
///
/// let socket = Socket::tcp_v4("cliente")?;
/// if let Some(info) = tcp_info(socket.as_raw_fd()) {
///     assert_eq!(info.state, TcpState::Close); // no connection yet
/// }
/// # Ok::<(), socket_lifecycle::Error>(())
/// ```
#[cfg(target_os = "linux")]
pub fn tcp_info(fd: RawFd) -> Option<TcpInfo> {
    // SAFETY: `tcp_info` is a plain C struct for which all-zero bytes are a
    // valid value; `getsockopt` writes at most `len` bytes into it and updates
    // `len`. `fd` is borrowed from a live socket for the duration of the call.
    let (raw, rc) = unsafe {
        let mut raw: libc::tcp_info = std::mem::zeroed();
        let mut len = std::mem::size_of::<libc::tcp_info>() as libc::socklen_t;
        let rc = libc::getsockopt(
            fd,
            libc::IPPROTO_TCP,
            libc::TCP_INFO,
            (&mut raw as *mut libc::tcp_info).cast(),
            &mut len,
        );
        (raw, rc)
    };
    if rc != 0 {
        return None;
    }
    let state = TcpState::from_kernel(raw.tcpi_state)?;
    let listening = state == TcpState::Listen;
    Some(TcpInfo {
        state,
        accept_queue: listening.then_some(raw.tcpi_unacked),
        accept_queue_limit: listening.then_some(raw.tcpi_sacked),
    })
}

/// `getsockopt(TCP_INFO)` does not exist on this system: no state is read.
#[cfg(not(target_os = "linux"))]
pub fn tcp_info(_fd: RawFd) -> Option<TcpInfo> {
    None
}

/// `ioctl(fd, FIONREAD)`: how many bytes wait in the socket's receive
/// buffer, read by nobody yet. `None` when the kernel does not answer.
///
/// A TCP socket closed while bytes wait unread does not end with a FIN: the
/// kernel throws the bytes away and resets the connection (RST).
///
/// ```
/// use std::os::fd::AsRawFd;
/// use socket_lifecycle::{kernel::unread_bytes, Socket};
///
/// let socket = Socket::tcp_v4("cliente")?;
/// assert_eq!(unread_bytes(socket.as_raw_fd()), Some(0));
/// # Ok::<(), socket_lifecycle::Error>(())
/// ```
pub fn unread_bytes(fd: RawFd) -> Option<usize> {
    let mut count: libc::c_int = 0;
    // SAFETY: FIONREAD writes one `int` through the pointer, which points at
    // `count`, alive for the call; `fd` is borrowed from a live socket.
    let rc = unsafe { libc::ioctl(fd, libc::FIONREAD, &mut count) };
    if rc == 0 {
        usize::try_from(count).ok()
    } else {
        None
    }
}

/// `fcntl(fd, F_GETFL)`: whether `O_NONBLOCK` is set, i.e. calls that would
/// wait fail with `EAGAIN` instead. `false` when the kernel does not answer.
pub(crate) fn is_nonblocking(fd: RawFd) -> bool {
    // SAFETY: F_GETFL takes no argument and only reads the descriptor's
    // flags; `fd` is borrowed from a live socket.
    let flags = unsafe { libc::fcntl(fd, libc::F_GETFL) };
    flags >= 0 && flags & libc::O_NONBLOCK != 0
}
