//! The chat servers' Ctrl+C. The report's server caught
//! `KeyboardInterrupt`, which Python raises in the blocked `accept()`; a
//! Rust program gets SIGINT on a thread of its own (the `ctrlc` crate's),
//! so the handler has to wake the blocked call itself: `shutdown()` on the
//! socket makes it return. The main thread then sees that Ctrl+C was
//! pressed, says goodbye and closes the socket.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};
use std::time::Duration;

use super::{Say, TARGET, words};

/// A SIGINT handler that wakes a server blocked on its socket.
pub struct CtrlC {
    pressed: Arc<AtomicBool>,
    /// Says when the handler is done with the socket.
    handled: mpsc::Receiver<()>,
}

impl CtrlC {
    /// On SIGINT: marks Ctrl+C as pressed, logs `why`, and calls `wake` on
    /// the socket if it is still open. The handler holds the socket only
    /// while it wakes it.
    pub fn wakes<T: Send + Sync + 'static>(
        socket: &Arc<T>,
        why: Say,
        wake: impl Fn(&T) + Send + 'static,
    ) -> CtrlC {
        let socket = Arc::downgrade(socket);
        let pressed = Arc::new(AtomicBool::new(false));
        let (done, handled) = mpsc::channel();
        let flag = Arc::clone(&pressed);
        let installed = ctrlc::set_handler(move || {
            flag.store(true, Ordering::SeqCst);
            log::info!(target: TARGET, "{}", words::text(&why));
            if let Some(socket) = socket.upgrade() {
                wake(&socket);
            }
            let _ = done.send(());
        });
        if let Err(err) = installed {
            log::warn!(target: TARGET, "Ctrl+C: {err}");
        }
        CtrlC { pressed, handled }
    }

    /// Whether Ctrl+C has been pressed.
    pub fn pressed(&self) -> bool {
        self.pressed.load(Ordering::SeqCst)
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
