//! macOS: `socket()` takes no `SOCK_CLOEXEC` and there is no `accept4`, so
//! socket2 follows each with `fcntl(FD_CLOEXEC)`, and sets `SO_NOSIGPIPE`
//! on each new socket (macOS has no `MSG_NOSIGNAL` for a send to pass).

use super::flavor::{BSD_LEVELS, BSD_OPTIONS, Flavor, read_timeval, write_timeval};
use super::observed::Names;

/// What socket2 calls on macOS.
pub(super) const FLAVOR: Flavor = Flavor {
    cloexec_flag: false,
    nosigpipe: true,
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
        ],
        levels: BSD_LEVELS,
        options: BSD_OPTIONS,
    },
};
