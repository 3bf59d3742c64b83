//! Unix systems this library does not read the kernel of (neither Linux,
//! macOS nor FreeBSD): no TCP state is read, nothing is asked after a
//! close — absent, never guessed — and sends take no flag.

use std::net::SocketAddr;

use super::tcp_state::{Lingering, TcpInfo};
use super::unix::Descriptor;

/// Send flags: none.
pub const SEND_FLAGS: libc::c_int = 0;

/// Receive flags of a datagram: none.
pub(crate) const DATAGRAM_RECV_FLAGS: libc::c_int = 0;

/// The TCP state is not read on this system: always `None`.
pub fn tcp_info(_fd: Descriptor) -> Option<TcpInfo> {
    None
}

/// The kernel is not asked on this system: [`Lingering::Unknown`].
pub fn lingering_state(_local: SocketAddr, _remote: SocketAddr) -> Lingering {
    Lingering::Unknown
}

/// IANA's dynamic range, the usual default.
pub(crate) fn ephemeral_ports() -> (u16, u16) {
    (49152, 65535)
}
