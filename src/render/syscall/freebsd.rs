//! FreeBSD: `socket()` and `accept4()` take `SOCK_CLOEXEC`, and sends
//! `MSG_NOSIGNAL`, as on Linux.

use super::flavor::{Flavor, rcvtimeo_decoded, sndtimeo_decoded};

/// What socket2 calls on FreeBSD.
pub(super) const FLAVOR: Flavor = Flavor {
    cloexec_flag: true,
    nosigpipe: false,
    read_timeout: rcvtimeo_decoded,
    write_timeout: sndtimeo_decoded,
};
