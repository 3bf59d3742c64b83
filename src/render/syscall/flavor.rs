//! [`Flavor`]: what socket2 calls on one unix system, and how the calls
//! are shown there — each system's own is in its file (`linux.rs`,
//! `macos.rs`, `freebsd.rs`), `unix.rs` renders with it.

use std::time::Duration;

/// What socket2 calls on one unix system, and how its calls are shown.
pub(super) struct Flavor {
    /// `socket()` and `accept4()` take `SOCK_CLOEXEC`; otherwise socket2
    /// follows `socket()` and `accept()` with `fcntl(fd, F_SETFD,
    /// FD_CLOEXEC)`.
    pub(super) cloexec_flag: bool,
    /// socket2 follows `socket()` with `setsockopt(SO_NOSIGPIPE)` (Apple's
    /// systems; an accepted socket inherits it).
    pub(super) nosigpipe: bool,
    /// `SO_RCVTIMEO` and its value as the call is shown: the option's name,
    /// the `struct timeval`, its size.
    pub(super) read_timeout: fn(Duration) -> String,
    /// The same for `SO_SNDTIMEO`.
    pub(super) write_timeout: fn(Duration) -> String,
}

/// `SO_RCVTIMEO` with its `struct timeval` decoded, as the BSDs' tracers
/// show it: `SO_RCVTIMEO, {tv_sec=2, tv_usec=500000}, 16`.
#[cfg(any(target_vendor = "apple", target_os = "freebsd"))]
pub(super) fn rcvtimeo_decoded(d: Duration) -> String {
    timeval_decoded("SO_RCVTIMEO", d)
}

/// `SO_SNDTIMEO`, as [`rcvtimeo_decoded`] shows `SO_RCVTIMEO`.
#[cfg(any(target_vendor = "apple", target_os = "freebsd"))]
pub(super) fn sndtimeo_decoded(d: Duration) -> String {
    timeval_decoded("SO_SNDTIMEO", d)
}

/// `option` and its `struct timeval`, decoded.
#[cfg(any(target_vendor = "apple", target_os = "freebsd"))]
fn timeval_decoded(option: &str, d: Duration) -> String {
    format!(
        "{option}, {{tv_sec={}, tv_usec={}}}, {}",
        d.as_secs(),
        d.subsec_micros(),
        std::mem::size_of::<libc::timeval>()
    )
}
