//! Output that never makes the writing thread wait: lines handed to a
//! writer thread of the stream's own, through a queue bounded in bytes.
//!
//! A server's client threads print their console lines and trace lines as
//! they go. Written directly, each line waits for the stream: when a pipe or
//! a terminal stops draining (`servidor | less`, Ctrl+S, a slow `tee`),
//! every conversation stops at its next line, and so does Ctrl+C. Through an
//! [`Outlet`], a line is copied into the queue and the thread goes on; the
//! writer thread writes what has gathered with one `write` — a batch, not a
//! system call per line.
//!
//! When [`LIMIT`] bytes wait, a stream that drains slowly holds the next
//! line back until there is room, as a pipe would; a stream that has taken
//! nothing for [`STALL`] has stopped: lines are then dropped at once, and
//! counted, and the count is said on the stream, in the gap, before the
//! next line that is kept (and at the end). So a conversation waits at most
//! [`STALL`] for the console, once, when it stops.

use std::io::Write;
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

/// How many bytes may wait for a stream's writer; a line that would go past
/// it is dropped and counted. Allocated once, at the start.
pub const LIMIT: usize = 256 * 1024;

/// How long a stream may take nothing while the queue is full before it
/// counts as stopped.
pub const STALL: Duration = Duration::from_secs(1);

/// The writer writes a batch this much at a time, and notes each part as
/// progress.
const PART: usize = 16 * 1024;

/// How long the writer, woken by the first line after a quiet spell, lets
/// the lines of that moment gather before it writes them: under load, one
/// `write` then carries the lines of many conversations.
const GATHER: Duration = Duration::from_millis(1);

/// One stream's queue and its writer thread.
pub struct Outlet {
    queue: Mutex<Queue>,
    /// The writer sleeps on it while the queue is empty.
    wake: Condvar,
    /// Signalled when the writer has written a batch.
    written: Condvar,
    /// The line said in place of `n` dropped lines.
    notice: fn(u64) -> String,
}

struct Queue {
    bytes: Vec<u8>,
    /// Lines dropped since the last one kept.
    gap: u64,
    /// The writer is asleep, waiting for bytes.
    idle: bool,
    /// The writer holds a batch it has not finished writing.
    writing: bool,
    /// When the writer last finished writing a part, or took a batch.
    progress: Instant,
}

/// Where an outlet writes.
#[derive(Clone, Copy)]
pub enum Stream {
    Stdout,
    Stderr,
}

impl Outlet {
    /// An outlet for `stream`, its writer thread started; `notice` words
    /// what is said in place of dropped lines. `None` if no thread could be
    /// made (the caller then writes directly).
    pub fn start(stream: Stream, notice: fn(u64) -> String) -> Option<&'static Outlet> {
        let outlet: &'static Outlet = Box::leak(Box::new(Outlet {
            queue: Mutex::new(Queue {
                bytes: Vec::with_capacity(LIMIT),
                gap: 0,
                idle: false,
                writing: false,
                progress: Instant::now(),
            }),
            wake: Condvar::new(),
            written: Condvar::new(),
            notice,
        }));
        let name = match stream {
            Stream::Stdout => "stdout",
            Stream::Stderr => "stderr",
        };
        std::thread::Builder::new()
            .name(name.to_string())
            .spawn(move || outlet.write_all_along(stream))
            .ok()?;
        Some(outlet)
    }

    fn queue(&self) -> MutexGuard<'_, Queue> {
        // Nothing panics while holding it; a poisoned queue holds whole lines.
        self.queue.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Queues `line` (with its newline) for writing. When [`LIMIT`] bytes
    /// already wait, waits for room while the stream takes bytes, and drops
    /// and counts the line once it has taken nothing for [`STALL`].
    pub fn put(&self, line: &[u8]) {
        let mut queue = self.queue();
        while !queue.bytes.is_empty() && queue.bytes.len() + line.len() > LIMIT {
            let still = queue.progress.elapsed();
            if queue.writing && still >= STALL {
                queue.gap += 1;
                return;
            }
            let wait = STALL.saturating_sub(still).max(Duration::from_millis(1));
            queue = self
                .written
                .wait_timeout(queue, wait)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
        if queue.gap > 0 {
            let notice = (self.notice)(queue.gap);
            queue.bytes.extend_from_slice(notice.as_bytes());
            queue.gap = 0;
        }
        queue.bytes.extend_from_slice(line);
        if queue.idle {
            queue.idle = false;
            self.wake.notify_one();
        }
    }

    /// Waits until everything queued is written, at most `patience`: the
    /// end of a program. A gap not yet said is said first. Returns whether
    /// all was written (a stalled stream is left behind).
    pub fn drain(&self, patience: Duration) -> bool {
        let start = Instant::now();
        let mut queue = self.queue();
        if queue.gap > 0 {
            let notice = (self.notice)(queue.gap);
            queue.bytes.extend_from_slice(notice.as_bytes());
            queue.gap = 0;
            if queue.idle {
                queue.idle = false;
                self.wake.notify_one();
            }
        }
        while !queue.bytes.is_empty() || queue.writing {
            let left = patience.saturating_sub(start.elapsed());
            if left.is_zero() {
                return false;
            }
            queue = self
                .written
                .wait_timeout(queue, left)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
        true
    }

    /// The writer thread: takes whatever has gathered and writes it — one
    /// `write` when the stream takes it whole — for as long as the program
    /// runs. A stream that fails (closed) takes nothing more; its lines are
    /// let go.
    fn write_all_along(&self, stream: Stream) {
        let mut batch: Vec<u8> = Vec::with_capacity(LIMIT);
        let mut broken = false;
        loop {
            {
                let mut queue = self.queue();
                queue.writing = false;
                self.written.notify_all();
                if queue.bytes.is_empty() {
                    while queue.bytes.is_empty() {
                        queue.idle = true;
                        queue = self
                            .wake
                            .wait(queue)
                            .unwrap_or_else(PoisonError::into_inner);
                    }
                    queue.idle = false;
                    drop(queue);
                    std::thread::sleep(GATHER);
                    queue = self.queue();
                }
                queue.writing = true;
                queue.progress = Instant::now();
                std::mem::swap(&mut queue.bytes, &mut batch);
            }
            if !broken {
                broken = match stream {
                    Stream::Stdout => self.write_parts(&mut std::io::stdout().lock(), &batch),
                    Stream::Stderr => self.write_parts(&mut std::io::stderr().lock(), &batch),
                }
                .is_err();
            }
            batch.clear();
        }
    }

    /// `batch` into `out`, [`PART`] bytes at a time, each part noted as
    /// progress.
    fn write_parts(&self, out: &mut impl Write, batch: &[u8]) -> std::io::Result<()> {
        if batch.len() <= PART {
            out.write_all(batch)?;
        } else {
            for part in batch.chunks(PART) {
                out.write_all(part)?;
                self.queue().progress = Instant::now();
                self.written.notify_all();
            }
        }
        out.flush()
    }
}
