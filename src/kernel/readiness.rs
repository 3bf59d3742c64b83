//! What a readiness wait asks of the kernel and what it answers, the same
//! on every system; the wait itself (`poll`, Windows' `WSAPoll`) is in
//! `unix.rs` and `windows.rs`. No system call here.

use std::time::Duration;

/// One descriptor of a wait, and what the kernel answered for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Readiness {
    /// Asked: ready to read (`POLLIN`).
    pub(crate) read: bool,
    /// Asked: ready to write (`POLLOUT`).
    pub(crate) write: bool,
    /// Answered: readable now.
    pub(crate) readable: bool,
    /// Answered: writable now.
    pub(crate) writable: bool,
    /// Answered: an error (`POLLERR`, `POLLNVAL`).
    pub(crate) failed: bool,
    /// Answered: a hang-up (`POLLHUP`).
    pub(crate) hung_up: bool,
}

/// `poll`'s time limit: whole milliseconds, rounded up so that a short
/// limit is not taken for "do not wait"; -1: no limit.
pub(crate) fn timeout_ms(timeout: Option<Duration>) -> i32 {
    match timeout {
        None => -1,
        Some(limit) => i32::try_from(limit.as_nanos().div_ceil(1_000_000)).unwrap_or(i32::MAX),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_limit_is_whole_milliseconds_rounded_up() {
        assert_eq!(timeout_ms(None), -1);
        assert_eq!(timeout_ms(Some(Duration::ZERO)), 0);
        assert_eq!(timeout_ms(Some(Duration::from_micros(1))), 1);
        assert_eq!(timeout_ms(Some(Duration::from_millis(1500))), 1500);
        assert_eq!(timeout_ms(Some(Duration::from_secs(u64::MAX))), i32::MAX);
    }
}
