//! The TCP server's client threads: at most `--max-clients` at once (the
//! accept loop waits for a free place before it accepts), and each one's
//! connection within reach, so that the server's end can shut them all —
//! each thread then wakes from its `recv` or `send` and closes its own
//! connection, in the trace.

use std::net::Shutdown;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError, Weak};
use std::time::{Duration, Instant};

use socket_lifecycle::Connection;

/// The client threads' places.
pub struct Clients {
    state: Mutex<State>,
    changed: Condvar,
    max: usize,
}

#[derive(Default)]
struct State {
    used: usize,
    next: u64,
    /// The connection of each place that holds one, by the place's number.
    live: Vec<(u64, Weak<Connection>)>,
}

/// One client thread's place; dropping it frees the place.
pub struct Place {
    clients: Arc<Clients>,
    number: u64,
}

impl Clients {
    /// Room for `max` client threads.
    pub fn new(max: usize) -> Arc<Clients> {
        Arc::new(Clients {
            state: Mutex::new(State::default()),
            changed: Condvar::new(),
            max,
        })
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Waits for a free place; `None` once `stop()` says so, which is asked
    /// every 100 ms while waiting. `full` is called once if the wait
    /// begins with every place taken.
    pub fn acquire(
        clients: &Arc<Clients>,
        stop: impl Fn() -> bool,
        full: impl FnOnce(),
    ) -> Option<Place> {
        let mut state = clients.state();
        let mut full = Some(full);
        while state.used >= clients.max && !stop() {
            if let Some(full) = full.take() {
                full();
            }
            state = clients
                .changed
                .wait_timeout(state, Duration::from_millis(100))
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
        if stop() {
            return None;
        }
        state.used += 1;
        state.next += 1;
        Some(Place {
            clients: Arc::clone(clients),
            number: state.next,
        })
    }

    /// `shutdown(SHUT_RDWR)` on every client's connection (each traced):
    /// a thread blocked in `recv` wakes with 0, one blocked in `send` with
    /// `EPIPE`, and each closes its connection. Returns how many.
    pub fn shut_all(&self) -> usize {
        let live: Vec<Arc<Connection>> = self
            .state()
            .live
            .iter()
            .filter_map(|(_, conn)| conn.upgrade())
            .collect();
        for conn in &live {
            // A connection already over answers ENOTCONN: in the trace.
            let _ = conn.shutdown(Shutdown::Both);
        }
        live.len()
    }

    /// Waits until every place is free, at most `patience`; returns how
    /// many client threads are still running.
    pub fn wait_all_gone(&self, patience: Duration) -> usize {
        let start = Instant::now();
        let mut state = self.state();
        while state.used > 0 {
            let left = patience.saturating_sub(start.elapsed());
            if left.is_zero() {
                break;
            }
            state = self
                .changed
                .wait_timeout(state, left)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
        state.used
    }
}

impl Place {
    /// The place's client is on `conn`, which [`Clients::shut_all`] reaches.
    pub fn hold(&self, conn: &Arc<Connection>) {
        self.clients
            .state()
            .live
            .push((self.number, Arc::downgrade(conn)));
    }
}

impl Drop for Place {
    fn drop(&mut self) {
        let mut state = self.clients.state();
        state.used -= 1;
        state.live.retain(|(number, _)| *number != self.number);
        drop(state);
        self.clients.changed.notify_all();
    }
}
