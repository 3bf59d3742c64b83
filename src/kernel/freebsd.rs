//! What FreeBSD tells about a socket: its TCP state,
//! `getsockopt(TCP_INFO)` (FreeBSD's own `struct tcp_info`, numbered as BSD
//! does). No accept queue, and nothing about a closed connection: those
//! stay absent. Sends take `MSG_NOSIGNAL`, as on Linux.

use super::bsd::{bsd_info, tcp_option};
use super::tcp_state::TcpInfo;
use super::unix::Descriptor;

/// Send flags: `MSG_NOSIGNAL`, so a send to a vanished peer is an `EPIPE`
/// error, not a `SIGPIPE` that kills the program.
pub const SEND_FLAGS: libc::c_int = libc::MSG_NOSIGNAL;

/// Receive flags of a datagram: none (FreeBSD's `MSG_TRUNC` only reports,
/// through `recvmsg`; a datagram cut to fit the buffer cannot be seen).
pub(crate) const DATAGRAM_RECV_FLAGS: libc::c_int = 0;

/// `getsockopt(fd, IPPROTO_TCP, TCP_INFO, …)`: the connection's state
/// (`tcpi_state`, numbered as BSD does). FreeBSD does not tell a listener's
/// accept queue there. `None` when the call failed — a state is never
/// guessed.
pub fn tcp_info(fd: Descriptor) -> Option<TcpInfo> {
    // SAFETY: `tcp_info` is the plain C struct `TCP_INFO` fills, valid
    // when zeroed; `fd` is borrowed from a live socket for the call.
    let raw: libc::tcp_info = unsafe { tcp_option(fd, libc::TCP_INFO) }?;
    bsd_info(raw.tcpi_state)
}

/// FreeBSD's default ephemeral ports (`net.inet.ip.portrange.first` and
/// `.last`).
pub(crate) fn ephemeral_ports() -> (u16, u16) {
    (10000, 65535)
}
