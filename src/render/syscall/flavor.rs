//! [`Flavor`]: what socket2 calls on one unix system, and how the calls
//! are shown there — each system's own is in its file (`linux.rs`,
//! `macos.rs`, `freebsd.rs`), `unix.rs` renders with it.

use std::time::Duration;

use super::observed::Names;

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
    /// `SO_SNDTIMEO` and its value, likewise.
    pub(super) write_timeout: fn(Duration) -> String,
    /// How `setsockopt`'s level is named (`SOL_TCP` in strace's words,
    /// `IPPROTO_TCP` in the BSDs' headers), and the system's other names.
    pub(super) names: Names,
}

/// `SO_RCVTIMEO` with its `struct timeval` decoded, as the BSDs' tracers
/// show it: `SO_RCVTIMEO, {tv_sec=2, tv_usec=500000}, 16`.
#[cfg(any(target_vendor = "apple", target_os = "freebsd"))]
pub(super) fn read_timeval(d: Duration) -> String {
    timeval_decoded("SO_RCVTIMEO", d)
}

/// `SO_SNDTIMEO` with its `struct timeval` decoded, likewise.
#[cfg(any(target_vendor = "apple", target_os = "freebsd"))]
pub(super) fn write_timeval(d: Duration) -> String {
    timeval_decoded("SO_SNDTIMEO", d)
}

#[cfg(any(target_vendor = "apple", target_os = "freebsd"))]
fn timeval_decoded(option: &str, d: Duration) -> String {
    format!(
        "{option}, {{tv_sec={}, tv_usec={}}}, {}",
        d.as_secs(),
        d.subsec_micros(),
        std::mem::size_of::<libc::timeval>()
    )
}

/// The `setsockopt` levels the BSDs' headers name (`IPPROTO_…`).
#[cfg(any(target_vendor = "apple", target_os = "freebsd"))]
pub(super) const BSD_LEVELS: &[(i32, &str)] = &[
    (libc::SOL_SOCKET, "SOL_SOCKET"),
    (libc::IPPROTO_TCP, "IPPROTO_TCP"),
    (libc::IPPROTO_IP, "IPPROTO_IP"),
    (libc::IPPROTO_IPV6, "IPPROTO_IPV6"),
];

/// The options both BSDs name that the library does not set.
#[cfg(any(target_vendor = "apple", target_os = "freebsd"))]
pub(super) const BSD_OPTIONS: &[(i32, i32, &str)] = &[
    (libc::SOL_SOCKET, libc::SO_KEEPALIVE, "SO_KEEPALIVE"),
    (libc::SOL_SOCKET, libc::SO_BROADCAST, "SO_BROADCAST"),
    (libc::SOL_SOCKET, libc::SO_SNDBUF, "SO_SNDBUF"),
    (libc::SOL_SOCKET, libc::SO_RCVBUF, "SO_RCVBUF"),
    (libc::SOL_SOCKET, libc::SO_REUSEPORT, "SO_REUSEPORT"),
    (libc::SOL_SOCKET, libc::SO_OOBINLINE, "SO_OOBINLINE"),
    (libc::IPPROTO_TCP, libc::TCP_KEEPINTVL, "TCP_KEEPINTVL"),
    (libc::IPPROTO_TCP, libc::TCP_KEEPCNT, "TCP_KEEPCNT"),
];
