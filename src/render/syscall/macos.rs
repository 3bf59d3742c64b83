//! macOS: `socket()` takes no `SOCK_CLOEXEC` and there is no `accept4`, so
//! socket2 follows each with `fcntl(FD_CLOEXEC)`, and sets `SO_NOSIGPIPE`
//! on each new socket (macOS has no `MSG_NOSIGNAL`).

use super::flavor::{Flavor, rcvtimeo_decoded, sndtimeo_decoded};

/// What socket2 calls on macOS.
pub(super) const FLAVOR: Flavor = Flavor {
    cloexec_flag: false,
    nosigpipe: true,
    read_timeout: rcvtimeo_decoded,
    write_timeout: sndtimeo_decoded,
};
