//! What Linux, macOS and FreeBSD share: a socket is a file descriptor, and
//! the C library reads it the same way on each — `close(2)` with its own
//! result, `ioctl(FIONREAD)`, `fcntl(F_GETFL)`. Time limits
//! (`SO_RCVTIMEO`) are a `struct timeval`: whole microseconds.

use std::io;
use std::os::fd::{AsRawFd, RawFd};
use std::time::Duration;

use super::readiness::{Readiness, timeout_ms};

/// What names a socket to the kernel: on this system, a file descriptor.
pub type Descriptor = RawFd;

/// A socket's [`Descriptor`], whatever holds it — the library's sockets,
/// socket2's, the standard library's — on every system: `as_raw_fd()` here,
/// `as_raw_socket()` on Windows.
///
/// ```
/// use socket_lifecycle::kernel::{tcp_info, AsDescriptor};
/// use socket_lifecycle::Socket;
///
/// let socket = Socket::tcp_v4("cliente")?;
/// let _maybe = tcp_info(socket.descriptor());
/// # Ok::<(), socket_lifecycle::Error>(())
/// ```
pub trait AsDescriptor {
    /// No system call: the descriptor.
    fn descriptor(&self) -> Descriptor;
}

impl<T: AsRawFd + ?Sized> AsDescriptor for T {
    fn descriptor(&self) -> Descriptor {
        self.as_raw_fd()
    }
}

/// The smallest time limit the kernel takes: `struct timeval` counts
/// microseconds.
pub(crate) const TIMEOUT_STEP: Duration = Duration::from_micros(1);

/// `close(fd)`, returning the kernel's answer.
///
/// The standard library closes descriptors in `Drop` and throws the result
/// away; the trace must show the real one, so the library closes by hand.
/// The caller gives up `fd`: it must own it and never use it again.
pub(crate) fn close(fd: Descriptor) -> io::Result<()> {
    // SAFETY: the caller owns `fd` (it came out of an `OwnedFd` whose own
    // `Drop` will never run) and does not touch it after this call, so no
    // other descriptor can be closed by mistake. On Linux the descriptor is
    // released even when close reports an error, so it is never retried.
    let rc = unsafe { libc::close(fd) };
    if rc == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

/// `ioctl(fd, FIONREAD)`: how many bytes wait in the socket's receive
/// buffer, read by nobody yet. `None` when the kernel does not answer.
///
/// A TCP socket closed while bytes wait unread does not end with a FIN: the
/// kernel throws the bytes away and resets the connection (RST).
pub fn unread_bytes(fd: Descriptor) -> Option<usize> {
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
pub(crate) fn is_nonblocking(fd: Descriptor) -> bool {
    // SAFETY: F_GETFL takes no argument and only reads the descriptor's
    // flags; `fd` is borrowed from a live socket.
    let flags = unsafe { libc::fcntl(fd, libc::F_GETFL) };
    flags >= 0 && flags & libc::O_NONBLOCK != 0
}

/// `poll(fds, nfds, timeout)`: waits until one of `fds` is ready as asked,
/// or `timeout` passes (`None`: no limit), and fills in what the kernel
/// answered for each. Returns how many were ready (0: the limit passed).
pub(crate) fn poll(
    fds: &mut [(Descriptor, Readiness)],
    timeout: Option<Duration>,
) -> io::Result<usize> {
    let mut asked: Vec<libc::pollfd> = fds
        .iter()
        .map(|(fd, r)| libc::pollfd {
            fd: *fd,
            events: (if r.read { libc::POLLIN } else { 0 })
                | (if r.write { libc::POLLOUT } else { 0 }),
            revents: 0,
        })
        .collect();
    let count = libc::nfds_t::try_from(asked.len())
        .map_err(|_| io::Error::from(io::ErrorKind::InvalidInput))?;
    // SAFETY: the pointer and count describe `asked`, alive and not
    // otherwise borrowed for the call; poll writes only `revents` of those
    // entries.
    let rc = unsafe { libc::poll(asked.as_mut_ptr(), count, timeout_ms(timeout)) };
    if rc < 0 {
        return Err(io::Error::last_os_error());
    }
    for ((_, r), answer) in fds.iter_mut().zip(&asked) {
        r.readable = answer.revents & libc::POLLIN != 0;
        r.writable = answer.revents & libc::POLLOUT != 0;
        r.failed = answer.revents & (libc::POLLERR | libc::POLLNVAL) != 0;
        r.hung_up = answer.revents & libc::POLLHUP != 0;
    }
    Ok(usize::try_from(rc).unwrap_or(0))
}

/// Nothing to do here: a terminal reads and writes UTF-8 when its locale
/// says so, and the chat's texts are UTF-8 already. (On Windows this sets
/// the console's code pages.)
///
/// ```
/// socket_lifecycle::kernel::console_utf8();
/// ```
pub fn console_utf8() {}

/// No system call: a descriptor as the number a call returns.
pub(crate) fn descriptor_number(fd: Descriptor) -> i64 {
    i64::from(fd)
}
