//! What Linux tells about a socket: its TCP state and accept queue
//! (`getsockopt(TCP_INFO)`), and what it still holds of a connection whose
//! descriptor is gone (netlink's sock_diag, or `/proc/net/tcp`). Also the
//! flags Linux's calls take here: `MSG_NOSIGNAL` on every send, `MSG_TRUNC`
//! on a datagram's receive.

use std::net::SocketAddr;

use super::proc_net::proc_state;
use super::sock_diag::sock_diag_state;
use super::tcp_state::{Lingering, TcpInfo, TcpState};
use super::unix::Descriptor;

/// Send flags: `MSG_NOSIGNAL`, so a send to a vanished peer is an `EPIPE`
/// error, not a `SIGPIPE` that kills the program.
pub const SEND_FLAGS: libc::c_int = libc::MSG_NOSIGNAL;

/// Receive flags of a datagram: `MSG_TRUNC` makes `recvfrom` return the
/// datagram's real size even when the buffer was smaller, so a cut is
/// always visible.
pub(crate) const DATAGRAM_RECV_FLAGS: libc::c_int = libc::MSG_TRUNC;

/// `getsockopt(fd, IPPROTO_TCP, TCP_INFO, …)`: the kernel's view of a TCP
/// socket (`tcpi_state`; on a listener, the accept queue in `tcpi_unacked`
/// and its limit in `tcpi_sacked`). `None` when the call failed — a state
/// is never guessed.
///
/// ```
/// use socket_lifecycle::kernel::{tcp_info, AsDescriptor};
/// use socket_lifecycle::{Socket, TcpState};
///
/// let socket = Socket::tcp_v4("cliente")?;
/// if let Some(info) = tcp_info(socket.descriptor()) {
///     assert_eq!(info.state, TcpState::Close); // no connection yet
/// }
/// # Ok::<(), socket_lifecycle::Error>(())
/// ```
pub fn tcp_info(fd: Descriptor) -> Option<TcpInfo> {
    // SAFETY: `tcp_info` is a plain C struct for which all-zero bytes are a
    // valid value; `getsockopt` writes at most `len` bytes into it and updates
    // `len`. `fd` is borrowed from a live socket for the duration of the call.
    let (raw, rc) = unsafe {
        let mut raw: libc::tcp_info = std::mem::zeroed();
        let mut len = std::mem::size_of::<libc::tcp_info>() as libc::socklen_t;
        let rc = libc::getsockopt(
            fd,
            libc::IPPROTO_TCP,
            libc::TCP_INFO,
            (&mut raw as *mut libc::tcp_info).cast(),
            &mut len,
        );
        (raw, rc)
    };
    if rc != 0 {
        return None;
    }
    let state = TcpState::from_kernel(raw.tcpi_state)?;
    let listening = state == TcpState::Listen;
    Some(TcpInfo {
        state,
        accept_queue: listening.then_some(raw.tcpi_unacked),
        accept_queue_limit: listening.then_some(raw.tcpi_sacked),
    })
}

/// What the kernel still holds of the TCP connection `local` ↔ `remote` —
/// typically after its descriptor was closed.
///
/// It asks the kernel for that one connection over a `NETLINK_SOCK_DIAG`
/// socket (what `ss` uses; no privileges needed), which costs the same however
/// many connections the machine holds. Where netlink is not available it
/// reads `/proc/net/tcp` (IPv4) or `/proc/net/tcp6` (IPv6) instead, whose
/// text the kernel writes out whole for every read: milliseconds when
/// thousands of connections linger in TIME_WAIT. Where neither can be read:
/// [`Lingering::Unknown`].
///
/// ```
/// use socket_lifecycle::kernel::{lingering_state, Lingering};
///
/// let nobody = "127.0.0.1:9".parse().unwrap();
/// let answer = lingering_state(nobody, nobody);
/// assert!(matches!(answer, Lingering::Gone | Lingering::Unknown));
/// ```
pub fn lingering_state(local: SocketAddr, remote: SocketAddr) -> Lingering {
    match sock_diag_state(local, remote) {
        Ok(Some(state)) => Lingering::Holds(state),
        Ok(None) => Lingering::Gone,
        Err(_) => proc_state(local, remote),
    }
}

/// The range the kernel draws ephemeral ports from (a bind to port 0, a
/// connect from an unbound socket), as `/proc/sys/net/ipv4/ip_local_port_range`
/// says; Linux's default when it cannot be read.
pub(crate) fn ephemeral_ports() -> (u16, u16) {
    std::fs::read_to_string("/proc/sys/net/ipv4/ip_local_port_range")
        .ok()
        .and_then(|text| {
            let mut bounds = text.split_whitespace().map(|n| n.parse::<u16>().ok());
            Some((bounds.next()??, bounds.next()??))
        })
        .unwrap_or((32768, 60999))
}
