//! Linux: strace's own line. socket2 passes `SOCK_CLOEXEC` to `socket()`
//! and `accept4()`, the library `MSG_NOSIGNAL` to every send; strace 6.1
//! does not decode `SO_RCVTIMEO`, whose `struct timeval` it prints as bytes.

use std::time::Duration;

use super::c::quote;
use super::flavor::Flavor;

/// What socket2 calls on Linux, as strace shows it.
pub(super) const FLAVOR: Flavor = Flavor {
    cloexec_flag: true,
    nosigpipe: false,
    send_flags: "MSG_NOSIGNAL",
    read_timeout,
};

/// `SO_RCVTIMEO` as strace 6.1 prints it on x86_64 Linux, where the C
/// library's `SO_RCVTIMEO` is the kernel's `SO_RCVTIMEO_OLD`, and its
/// `struct timeval` as a string of bytes, e.g.
/// `"\2\0\0\0\0\0\0\0 \241\7\0\0\0\0\0"` for 2.5 s.
fn read_timeout(d: Duration) -> String {
    let secs = libc::time_t::try_from(d.as_secs()).unwrap_or(libc::time_t::MAX);
    // Below 1_000_000: fits every platform's suseconds_t.
    let micros = d.subsec_micros() as libc::suseconds_t;
    let mut bytes = secs.to_ne_bytes().to_vec();
    bytes.extend_from_slice(&micros.to_ne_bytes());
    format!(
        "SO_RCVTIMEO_OLD, {}, {}",
        quote(&bytes, bytes.len()),
        bytes.len()
    )
}
