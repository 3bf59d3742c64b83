//! What the kernel still holds of a connection whose descriptor is gone:
//! asked over netlink's sock_diag first, read from `/proc/net/tcp` where
//! netlink cannot be asked.

use std::net::SocketAddr;

use super::proc_net::proc_state;
use super::sock_diag::sock_diag_state;
use super::tcp_state::Lingering;

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
    match sock_diag_state(local, remote) {
        Ok(Some(state)) => Lingering::Holds(state),
        Ok(None) => Lingering::Gone,
        Err(_) => proc_state(local, remote),
    }
}
