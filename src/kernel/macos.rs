//! What macOS tells about a socket: its TCP state,
//! `getsockopt(TCP_CONNECTION_INFO)` (macOS's `TCP_INFO` is not public). No
//! accept queue, and nothing about a closed connection: those stay absent.
//! Sends take no flag: socket2 sets `SO_NOSIGPIPE` on each socket instead.

use super::bsd::{bsd_info, tcp_option};
use super::tcp_state::TcpInfo;
use super::unix::Descriptor;

/// Send flags: none. macOS has no `MSG_NOSIGNAL`; socket2 told the socket
/// itself (`SO_NOSIGPIPE`) not to raise `SIGPIPE`, so a send to a vanished
/// peer is `EPIPE` here too.
pub const SEND_FLAGS: libc::c_int = 0;

/// Receive flags of a datagram: none (no `MSG_TRUNC` on input here: a
/// datagram cut to fit the buffer cannot be seen).
pub(crate) const DATAGRAM_RECV_FLAGS: libc::c_int = 0;

/// `getsockopt(fd, IPPROTO_TCP, TCP_CONNECTION_INFO, …)`: the connection's
/// state (`tcpi_state`, numbered as BSD does). macOS does not tell a
/// listener's accept queue. `None` when the call failed — a state is never
/// guessed.
pub fn tcp_info(fd: Descriptor) -> Option<TcpInfo> {
    // SAFETY: `tcp_connection_info` is the plain C struct that
    // `TCP_CONNECTION_INFO` fills, valid when zeroed; `fd` is borrowed from
    // a live socket for the call.
    let raw: libc::tcp_connection_info = unsafe { tcp_option(fd, libc::TCP_CONNECTION_INFO) }?;
    bsd_info(raw.tcpi_state)
}

/// macOS's default ephemeral ports (`net.inet.ip.portrange.first` and
/// `.last`): IANA's dynamic range.
pub(crate) fn ephemeral_ports() -> (u16, u16) {
    (49152, 65535)
}
