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
mod lingering;
mod proc_net;
mod sock_diag;
mod tcp_info;
mod tcp_state;

pub(crate) use fd::{as_uninit, close};
pub use lingering::lingering_state;
pub(crate) use proc_net::same_endpoint;
pub use proc_net::{ProcEntry, listen_overflows, parse_proc_net_tcp, proc_state};
pub(crate) use tcp_info::is_nonblocking;
pub use tcp_info::{TcpInfo, tcp_info, unread_bytes};
pub use tcp_state::{Lingering, TcpState};
