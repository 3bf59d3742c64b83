//! What the kernel says about a socket: its TCP state and accept queue
//! while it lives, and — after its descriptor is gone — what the kernel
//! still holds of its connection; and the few facts of each system the
//! calls need (send flags, the unit of a time limit).
//!
//! Everything here *reads* or waits; nothing changes a socket. This module is also the
//! only place with `unsafe` code, each block with its reason: the calls
//! socket2 does not wrap (`getsockopt(TCP_INFO)`, `ioctl(FIONREAD)`,
//! `fcntl(F_GETFL)`, `poll`, Linux's epoll in `epoll.rs`; on Windows `WSAIoctl(SIO_TCP_INFO)`,
//! `ioctlsocket(FIONREAD)`, `WSAPoll`, the console's code pages), `close(2)` and
//! `closesocket`, whose result the standard library discards, and the
//! buffer cast socket2's `recvfrom` needs.
//!
//! One file per system, chosen when the crate is built:
//!
//! | system | file | TCP state | after close |
//! |---|---|---|---|
//! | Linux | `linux.rs`, `sock_diag.rs` | `getsockopt(TCP_INFO)`, with a listener's accept queue | sock_diag, else `/proc/net/tcp` |
//! | macOS | `macos.rs` | `getsockopt(TCP_CONNECTION_INFO)` | not asked |
//! | FreeBSD | `freebsd.rs` | `getsockopt(TCP_INFO)` | not asked |
//! | Windows | `windows.rs` | `WSAIoctl(SIO_TCP_INFO)` (Windows 10 1703+) | not asked |
//!
//! Other systems are refused at build time: this library reads the kernel
//! of these four only.
//!
//! What is not read is absent from the trace, never guessed. `unix.rs`
//! holds what the three unix systems share (a descriptor is a file
//! descriptor; `close`, `FIONREAD`, `F_GETFL`), `bsd.rs` what macOS and
//! FreeBSD share (BSD's numbering of the states), `rules.rs` how unix and
//! Windows name and do what the narration mentions.
//!
//! ```
//! use socket_lifecycle::kernel::{tcp_info, AsDescriptor};
//! use socket_lifecycle::{Socket, TcpState};
//!
//! let listener = Socket::tcp_v4("servidor")?.bind("127.0.0.1:0".parse().unwrap())?.listen(5)?;
//! if cfg!(target_os = "linux") {
//!     assert_eq!(tcp_info(listener.descriptor()).map(|i| i.state), Some(TcpState::Listen));
//! }
//! # Ok::<(), socket_lifecycle::Error>(())
//! ```

#[cfg(not(any(
    target_os = "linux",
    target_os = "android",
    target_vendor = "apple",
    target_os = "freebsd",
    windows
)))]
compile_error!("socket-lifecycle reads the kernel of Linux, macOS, FreeBSD and Windows only");

mod buffer;
mod proc_net;
mod readiness;
mod rules;
mod tcp_state;

#[cfg(unix)]
mod unix;
#[cfg(windows)]
mod windows;

#[cfg(any(target_vendor = "apple", target_os = "freebsd"))]
mod bsd;
#[cfg(any(target_os = "linux", target_os = "android"))]
mod epoll;
#[cfg(target_os = "freebsd")]
mod freebsd;
#[cfg(any(target_os = "linux", target_os = "android"))]
mod linux;
#[cfg(target_vendor = "apple")]
mod macos;
#[cfg(any(target_os = "linux", target_os = "android"))]
mod sock_diag;

pub(crate) use buffer::as_uninit;
pub(crate) use proc_net::same_endpoint;
pub use proc_net::{ProcEntry, listen_overflows, parse_proc_net_tcp, proc_state};
pub use tcp_state::{Lingering, TcpInfo, TcpState};

#[cfg(any(target_os = "linux", target_os = "android"))]
pub(crate) use epoll::{Wanted, epoll_add, epoll_create, epoll_wait};
pub(crate) use readiness::Readiness;
#[cfg(any(target_vendor = "apple", target_os = "freebsd"))]
pub(crate) use rules::BSD_RULES as RULES;
#[cfg(any(target_os = "linux", target_os = "android"))]
pub(crate) use rules::LINUX_RULES as RULES;
pub(crate) use rules::Rules;
#[cfg(windows)]
pub(crate) use rules::WINDOWS_RULES as RULES;
#[cfg(test)]
pub(crate) use rules::{LINUX_RULES, WINDOWS_RULES};

#[cfg(unix)]
pub use unix::unread_bytes;
#[cfg(unix)]
pub use unix::{AsDescriptor, Descriptor, console_utf8};
#[cfg(unix)]
pub(crate) use unix::{TIMEOUT_STEP, close, descriptor_number, is_nonblocking, poll};
#[cfg(windows)]
pub use windows::{
    AsDescriptor, Descriptor, SEND_FLAGS, console_utf8, lingering_state, tcp_info, unread_bytes,
};
#[cfg(windows)]
pub(crate) use windows::{
    DATAGRAM_RECV_FLAGS, TIMEOUT_STEP, close, descriptor_number, ephemeral_ports, is_nonblocking,
    poll,
};

#[cfg(any(target_vendor = "apple", target_os = "freebsd"))]
pub use bsd::lingering_state;
#[cfg(target_os = "freebsd")]
pub(crate) use freebsd::{DATAGRAM_RECV_FLAGS, ephemeral_ports};
#[cfg(target_os = "freebsd")]
pub use freebsd::{SEND_FLAGS, tcp_info};
#[cfg(any(target_os = "linux", target_os = "android"))]
pub(crate) use linux::{DATAGRAM_RECV_FLAGS, ephemeral_ports};
#[cfg(any(target_os = "linux", target_os = "android"))]
pub use linux::{SEND_FLAGS, lingering_state, tcp_info};
#[cfg(target_vendor = "apple")]
pub(crate) use macos::{DATAGRAM_RECV_FLAGS, ephemeral_ports};
#[cfg(target_vendor = "apple")]
pub use macos::{SEND_FLAGS, tcp_info};
