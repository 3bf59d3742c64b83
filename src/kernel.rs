//! What the kernel says about a socket: its TCP state and accept queue while
//! it lives, and — after its descriptor is gone — what the kernel still
//! holds of its connection.
//!
//! Everything here *reads*; nothing changes a socket. This module is also the
//! only place with `unsafe` code, each block with its reason:
//! `getsockopt(TCP_INFO)`, `ioctl(FIONREAD)` and `fcntl(F_GETFL)`, which
//! socket2 does not wrap ([`tcp_info`]); `close(2)`, whose result the
//! standard library discards; and the buffer cast socket2's `recvfrom` needs.
//!
//! ```
//! use std::os::fd::AsRawFd;
//! use socket_lifecycle::{kernel, Socket, TcpState};
//!
//! let listener = Socket::tcp_v4("servidor")?.bind("127.0.0.1:0".parse().unwrap())?.listen(5)?;
//! if cfg!(target_os = "linux") {
//!     assert_eq!(kernel::tcp_info(listener.as_raw_fd()).map(|i| i.state), Some(TcpState::Listen));
//! }
//! # Ok::<(), socket_lifecycle::Error>(())
//! ```

mod fd;
mod proc_net;
mod sock_diag;
mod tcp_info;
mod tcp_state;

use std::net::SocketAddr;

pub(crate) use fd::{as_uninit, close};
pub(crate) use proc_net::same_endpoint;
pub use proc_net::{ProcEntry, listen_overflows, parse_proc_net_tcp, proc_state};
pub use tcp_info::{TcpInfo, tcp_info};
pub(crate) use tcp_info::{is_nonblocking, unread_bytes};
pub use tcp_state::{Lingering, TcpState};

/// What the kernel still holds of the TCP connection `local` ↔ `remote` —
/// typically after its descriptor was closed.
///
/// It asks the kernel for that one connection over a `NETLINK_SOCK_DIAG`
/// socket (what `ss` uses; no privileges needed), which costs the same however
/// many connections the machine holds. Where netlink is not available it
/// reads `/proc/net/tcp` (IPv4) or `/proc/net/tcp6` (IPv6) instead, whose
/// text the kernel writes out whole for every read: milliseconds when
/// thousands of connections linger in TIME_WAIT. Where neither exists (not
/// Linux): [`Lingering::Unknown`].
///
/// ```
/// use socket_lifecycle::kernel::{lingering_state, Lingering};
///
/// let nobody = "127.0.0.1:9".parse().unwrap();
/// let answer = lingering_state(nobody, nobody);
/// assert!(matches!(answer, Lingering::Gone | Lingering::Unknown));
/// ```
pub fn lingering_state(local: SocketAddr, remote: SocketAddr) -> Lingering {
    match sock_diag::sock_diag_state(local, remote) {
        Ok(Some(state)) => Lingering::Holds(state),
        Ok(None) => Lingering::Gone,
        Err(_) => proc_state(local, remote),
    }
}
