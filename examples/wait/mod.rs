//! Waiting for what the kernel does on its own, instead of sleeping: a
//! reset that arrives, bytes that arrive, a queue that fills. Each wait
//! ends when the kernel says so — the demonstrations then show the same
//! thing on a fast machine and on a busy one — and gives up after
//! [`PATIENCE`] where the kernel cannot be asked.
//!
//! None of these is a call on the socket that the trace records: the
//! kernel's reads (`TCP_INFO`, `FIONREAD`) look and change nothing.

// Each example uses the part it needs.
#![allow(dead_code)]

use std::time::{Duration, Instant};

use socket_lifecycle::TcpState;
use socket_lifecycle::kernel::{self, AsDescriptor};

/// The longest any wait here lasts: on loopback each event comes within
/// microseconds.
pub const PATIENCE: Duration = Duration::from_secs(5);

/// Blocks until the peer's reset (RST) has reached `socket`: its kernel
/// state becomes `CLOSE` (a FIN alone leaves it in `CLOSE_WAIT`). Where
/// the state cannot be read, does not wait.
pub fn reset_arrived(socket: &impl AsDescriptor) {
    until(|| {
        kernel::tcp_info(socket.descriptor()).is_none_or(|info| info.state == TcpState::Close)
    });
}

/// Blocks until at least `count` bytes wait unread in `socket`'s receive
/// buffer, as `ioctl(FIONREAD)` says.
pub fn bytes_arrived(socket: &impl AsDescriptor, count: usize) {
    until(|| kernel::unread_bytes(socket.descriptor()) >= Some(count));
}

/// Blocks until the listener's accept queue holds `count` connections, as
/// `TCP_INFO` says. Where it cannot be read, does not wait.
pub fn accept_queue_holds(listener: &impl AsDescriptor, count: u32) {
    until(|| {
        kernel::tcp_info(listener.descriptor())
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
