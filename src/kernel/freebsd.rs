//! What FreeBSD tells about a socket: its TCP state,
//! `getsockopt(TCP_INFO)` (FreeBSD's own `struct tcp_info`, numbered as BSD
//! does). No accept queue, and nothing about a closed connection: those
//! stay absent. Sends take `MSG_NOSIGNAL`, as on Linux.

use std::net::SocketAddr;

use super::bsd::{bsd_state, tcp_option};
use super::tcp_state::{Lingering, TcpInfo};
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
    Some(TcpInfo {
        state: bsd_state(raw.tcpi_state)?,
        accept_queue: None,
        accept_queue_limit: None,
    })
}

/// What the kernel still holds of a closed connection: this library does
/// not ask FreeBSD (it would take the `net.inet.tcp.pcblist` sysctl), so the
/// answer is [`Lingering::Unknown`], never a guess.
pub fn lingering_state(_local: SocketAddr, _remote: SocketAddr) -> Lingering {
    Lingering::Unknown
}

/// FreeBSD's default ephemeral ports (`net.inet.ip.portrange.first` and
/// `.last`).
pub(crate) fn ephemeral_ports() -> (u16, u16) {
    (10000, 65535)
}
