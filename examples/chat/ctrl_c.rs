//! The chat servers' Ctrl+C. The report's server caught
//! `KeyboardInterrupt`, which Python raises in the blocked `accept()`; a
//! Rust program gets SIGINT on a thread of its own (the `ctrlc` crate's),
//! so the handler has to wake the blocked call itself: `shutdown()` on the
//! socket makes it return. The main thread then sees that Ctrl+C was
//! pressed, says goodbye and closes the socket.
//!
//! Where `shutdown()` does not wake the call — Windows and macOS do not
//! shut a listening socket, and Windows' `shutdown` of a UDP socket leaves
//! its `recvfrom` asleep — the main thread has not noticed Ctrl+C a moment
//! later, and the handler knocks: it connects to the listener, or sends an
//! empty datagram to the socket, from a socket labelled `ctrl+c` (traced
//! like any other), to the address [`wake_address`] gives. On Linux the
//! call wakes at once, and nobody knocks.

use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};
use std::time::Duration;

use super::{Say, TARGET, words};

/// A SIGINT handler that wakes a server blocked on its socket.
pub struct CtrlC {
    pressed: Arc<AtomicBool>,
    /// Set when the main thread saw `pressed`: its blocked call woke up.
    noticed: Arc<AtomicBool>,
    /// Says when the handler is done with the socket.
    handled: mpsc::Receiver<()>,
}

/// How long the handler waits for the main thread to notice Ctrl+C after
/// `wake` before it knocks.
const NOTICE: Duration = Duration::from_millis(300);

impl CtrlC {
    /// On SIGINT: marks Ctrl+C as pressed, logs `why`, and calls `wake` on
    /// the socket if it is still open; if the main thread has not noticed
    /// a moment later, its blocked call still sleeps, and `knock` wakes it.
    /// The handler holds the socket only while it wakes it.
    pub fn wakes<T: Send + Sync + 'static>(
        socket: &Arc<T>,
        why: Say,
        wake: impl Fn(&T) + Send + 'static,
        knock: impl Fn(&T) + Send + 'static,
    ) -> CtrlC {
        let socket = Arc::downgrade(socket);
        let pressed = Arc::new(AtomicBool::new(false));
        let noticed = Arc::new(AtomicBool::new(false));
        let (done, handled) = mpsc::channel();
        let (flag, seen) = (Arc::clone(&pressed), Arc::clone(&noticed));
        let installed = ctrlc::set_handler(move || {
            flag.store(true, Ordering::SeqCst);
            if seen.load(Ordering::SeqCst) {
                // Pressed again after the server woke up: it is stopping.
                let _ = done.send(());
                return;
            }
            log::info!(target: TARGET, "{}", words::text(&why));
            if let Some(socket) = socket.upgrade() {
                wake(&socket);
                if !noticed_within(&seen, NOTICE) {
                    log::info!(target: TARGET, "{}", words::text(&Say::CtrlCKnocks));
                    knock(&socket);
                }
            }
            let _ = done.send(());
        });
        if let Err(err) = installed {
            log::warn!(target: TARGET, "Ctrl+C: {err}");
        }
        CtrlC {
            pressed,
            noticed,
            handled,
        }
    }

    /// Whether Ctrl+C has been pressed. The main thread asks when its call
    /// returns; a yes tells the handler the call woke up.
    pub fn pressed(&self) -> bool {
        let pressed = self.pressed.load(Ordering::SeqCst);
        if pressed {
            self.noticed.store(true, Ordering::SeqCst);
        }
        pressed
    }

    /// The report's `finally: server_socket.close()`, through `close`; a
    /// failure is in the trace and logged. After Ctrl+C the handler may
    /// still be tracing its `shutdown()`: it is given half a second to
    /// finish with the socket first. Should a second Ctrl+C hold the socket
    /// even then, the last handle to go closes it instead (also traced).
    pub fn close<T, C>(
        self,
        socket: Arc<T>,
        close: impl FnOnce(T) -> Result<C, socket_lifecycle::Error>,
    ) {
        if self.pressed() {
            let _ = self.handled.recv_timeout(Duration::from_millis(500));
        }
        match Arc::try_unwrap(socket) {
            Ok(socket) => {
                if let Err(err) = close(socket) {
                    log::warn!(target: TARGET, "{err}");
                }
            }
            Err(shared) => drop(shared),
        }
    }
}

/// Where Ctrl+C's handler knocks to wake a server bound to `local`: the
/// same port, on the loopback address of its family when the server is
/// bound to every interface (`0.0.0.0`, `::`).
pub fn wake_address(mut local: SocketAddr) -> SocketAddr {
    if local.ip().is_unspecified() {
        local.set_ip(match local {
            SocketAddr::V4(_) => Ipv4Addr::LOCALHOST.into(),
            SocketAddr::V6(_) => Ipv6Addr::LOCALHOST.into(),
        });
    }
    local
}

/// Whether `noticed` is set within `limit`, looked at every 10 ms.
fn noticed_within(noticed: &AtomicBool, limit: Duration) -> bool {
    let start = std::time::Instant::now();
    while !noticed.load(Ordering::SeqCst) {
        if start.elapsed() >= limit {
            return false;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    true
}
