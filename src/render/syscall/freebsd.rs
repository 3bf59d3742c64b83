//! FreeBSD: `socket()` and `accept4()` take `SOCK_CLOEXEC`, and sends
//! `MSG_NOSIGNAL`, as on Linux.

use super::flavor::{BSD_LEVELS, BSD_OPTIONS, Flavor, read_timeval, write_timeval};
use super::observed::Names;

/// What socket2 calls on FreeBSD.
pub(super) const FLAVOR: Flavor = Flavor {
    cloexec_flag: true,
    nosigpipe: false,
    read_timeout: read_timeval,
    write_timeout: write_timeval,
    names: Names {
        msg: &[
            (libc::MSG_OOB, "MSG_OOB"),
            (libc::MSG_PEEK, "MSG_PEEK"),
            (libc::MSG_DONTROUTE, "MSG_DONTROUTE"),
            (libc::MSG_EOR, "MSG_EOR"),
            (libc::MSG_TRUNC, "MSG_TRUNC"),
            (libc::MSG_CTRUNC, "MSG_CTRUNC"),
            (libc::MSG_WAITALL, "MSG_WAITALL"),
            (libc::MSG_DONTWAIT, "MSG_DONTWAIT"),
            (libc::MSG_NOSIGNAL, "MSG_NOSIGNAL"),
            (libc::MSG_CMSG_CLOEXEC, "MSG_CMSG_CLOEXEC"),
        ],
        levels: BSD_LEVELS,
        options: BSD_OPTIONS,
    },
};
