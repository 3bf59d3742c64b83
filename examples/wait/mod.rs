//! Waiting for what the kernel does on its own, instead of sleeping: a
//! reset that arrives, bytes that arrive, a queue that fills. Each wait
//! ends when the kernel says so — the demonstrations then show the same
//! thing on a fast machine and on a busy one — and gives up after
//! [`PATIENCE`] where the kernel cannot be asked.
//!
//! None of these is a call on the socket that the trace records: `poll`
//! and the kernel's reads (`TCP_INFO`, `FIONREAD`) look and change nothing.

// Each example uses the part it needs.
#![allow(dead_code)]

use std::os::fd::AsRawFd;
use std::time::{Duration, Instant};

use socket_lifecycle::kernel;

/// The longest any wait here lasts: on loopback each event comes within
/// microseconds.
pub const PATIENCE: Duration = Duration::from_secs(5);

/// Blocks until the peer's reset (RST) has reached `socket`: `poll` asking
/// for no event returns only for an error or a hang-up, which the reset is
/// (a FIN alone is neither).
pub fn reset_arrived(socket: &impl AsRawFd) {
    let mut fds = [libc::pollfd {
        fd: socket.as_raw_fd(),
        events: 0,
        revents: 0,
    }];
    let millis = libc::c_int::try_from(PATIENCE.as_millis()).unwrap_or(libc::c_int::MAX);
    // SAFETY: `fds` is one valid `pollfd`, alive for the call, and the
    // count says one; the descriptor is borrowed from a live socket.
    unsafe { libc::poll(fds.as_mut_ptr(), 1, millis) };
}

/// Blocks until at least `count` bytes wait unread in `socket`'s receive
/// buffer, as `ioctl(FIONREAD)` says.
pub fn bytes_arrived(socket: &impl AsRawFd, count: usize) {
    until(|| unread(socket) >= Some(count));
}

/// Blocks until the listener's accept queue holds `count` connections, as
/// `TCP_INFO` says. Where it cannot be read, does not wait.
pub fn accept_queue_holds(listener: &impl AsRawFd, count: u32) {
    until(|| {
        kernel::tcp_info(listener.as_raw_fd())
            .and_then(|info| info.accept_queue)
            .is_none_or(|queue| queue >= count)
    });
}

/// Checks `done` until it holds, yielding the processor in between; at
/// most [`PATIENCE`].
fn until(mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() && start.elapsed() < PATIENCE {
        std::thread::yield_now();
    }
}

/// `ioctl(fd, FIONREAD)`: the bytes waiting unread.
fn unread(socket: &impl AsRawFd) -> Option<usize> {
    let mut count: libc::c_int = 0;
    // SAFETY: FIONREAD writes one `int` through the pointer, which points
    // at `count`, alive for the call; the descriptor is borrowed from a
    // live socket.
    let rc = unsafe { libc::ioctl(socket.as_raw_fd(), libc::FIONREAD, &mut count) };
    (rc == 0).then(|| usize::try_from(count).ok()).flatten()
}
