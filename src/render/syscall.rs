//! The call of an event as this system names it, with its arguments and
//! result — one file per system, chosen when the crate is built:
//!
//! | system | file | form |
//! |---|---|---|
//! | Linux | `linux.rs` | exactly as `strace -e trace=network,close` prints it |
//! | Windows | `windows.rs` | Winsock's calls (`WSASocketW`, `accept`, `send`, `recv`, `closesocket`), with socket2's arguments |
//! | macOS | `macos.rs` | the BSD system calls, with socket2's `fcntl` and `SO_NOSIGPIPE` after `socket()` |
//! | FreeBSD | `freebsd.rs` | the BSD system calls (`accept4`, `MSG_NOSIGNAL`) |
//! | other unix | `other.rs` | the BSD system calls |
//!
//! All of them write in strace's notation (`c.rs`: quoted bytes, a
//! `sockaddr` decoded, `= result`); only on Linux is the line strace's own.
//! `bsd.rs` is what macOS, FreeBSD and the others share. `name.rs` gives
//! [`crate::event::Call::name`], the call's name on this system.

mod c;
mod name;

#[cfg(all(unix, not(any(target_os = "linux", target_os = "android"))))]
mod bsd;
#[cfg(target_os = "freebsd")]
mod freebsd;
#[cfg(any(target_os = "linux", target_os = "android"))]
mod linux;
#[cfg(target_vendor = "apple")]
mod macos;
#[cfg(all(
    unix,
    not(any(
        target_os = "linux",
        target_os = "android",
        target_vendor = "apple",
        target_os = "freebsd"
    ))
))]
mod other;
#[cfg(windows)]
mod windows;

#[cfg(target_os = "freebsd")]
pub(crate) use freebsd::call;
#[cfg(any(target_os = "linux", target_os = "android"))]
pub(crate) use linux::call;
#[cfg(target_vendor = "apple")]
pub(crate) use macos::call;
#[cfg(all(
    unix,
    not(any(
        target_os = "linux",
        target_os = "android",
        target_vendor = "apple",
        target_os = "freebsd"
    ))
))]
pub(crate) use other::call;
#[cfg(windows)]
pub(crate) use windows::call;
