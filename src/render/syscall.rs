//! The call of an event as this system names it, with its arguments and
//! result, chosen when the crate is built:
//!
//! | system | file | form |
//! |---|---|---|
//! | Linux | `unix.rs` with `linux.rs` | exactly as `strace -e trace=network,close` prints it |
//! | macOS | `unix.rs` with `macos.rs` | the BSD system calls, with socket2's `fcntl` and `SO_NOSIGPIPE` after `socket()` |
//! | FreeBSD | `unix.rs` with `freebsd.rs` | the BSD system calls (`accept4`, `MSG_NOSIGNAL`) |
//! | Windows | `windows.rs` | Winsock's calls (`WSASocketW`, `accept`, `send`, `recv`, `closesocket`), with socket2's arguments |
//!
//! All of them write in strace's notation (`c.rs`: quoted bytes, a
//! `sockaddr` decoded, `= result`); only on Linux is the line strace's own.
//! `flavor.rs` is what differs among the unix systems; `observed.rs` the
//! notation of what only programs traced from outside do (`write`,
//! `readv`, `sendmsg`, waits, other options), with each system's names of
//! its numbers; `name.rs` gives [`crate::event::Call::name`] and
//! [`crate::event::SocketOption::name`], the names on this system.

mod c;
#[cfg(unix)]
mod flavor;
mod name;
mod observed;

#[cfg(target_os = "freebsd")]
mod freebsd;
#[cfg(any(target_os = "linux", target_os = "android"))]
mod linux;
#[cfg(target_vendor = "apple")]
mod macos;
#[cfg(unix)]
mod unix;
#[cfg(windows)]
mod windows;

#[cfg(unix)]
pub(crate) use unix::call;
#[cfg(windows)]
pub(crate) use windows::call;
