//! What the kernel says about a socket of the child, asked through a
//! duplicate of the child's own descriptor: `pidfd_open` (Linux 5.3) gives
//! a handle on the process, `pidfd_getfd` (Linux 5.6) a descriptor in the
//! observer for the same open socket. Through it the library's own
//! readers work as they do for a Rust program: `TCP_INFO`'s state and
//! accept queue, the bytes left unread (`FIONREAD`), the local and peer
//! addresses.
//!
//! The duplicate lives only for the reads and is closed before the child
//! goes on, so it never keeps a connection open that the child closes.
//!
//! On a kernel older than 5.6, or where the observer may not take the
//! child's descriptors, the duplicate cannot be had: the events then carry
//! no TCP state (the narration says the state was not observed), addresses
//! come from the calls' own arguments, and what the kernel holds after a
//! `close` is still asked over sock_diag, which needs no descriptor.
//!
//! The two system calls have no wrapper in the C library nor in `nix`:
//! the only `unsafe` code of the observer besides starting the child.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};

use nix::unistd::Pid;
use socket_lifecycle::TcpState;
use socket_lifecycle::kernel::{self, TcpInfo};

/// Handles on the traced processes (`pidfd`s), opened once each.
#[derive(Default)]
pub struct Peek {
    pidfds: HashMap<Pid, Option<OwnedFd>>,
    /// Why no duplicate could be had, when the kernel refuses them all
    /// (`ENOSYS`: older than 5.6; `EPERM`: not allowed here).
    pub refused: Option<i32>,
}

/// What the kernel says about one socket.
#[derive(Debug, Clone, Copy, Default)]
pub struct Seen {
    pub tcp: Option<TcpInfo>,
    pub unread: Option<usize>,
    pub local: Option<SocketAddr>,
    pub peer: Option<SocketAddr>,
}

impl Peek {
    /// A duplicate of descriptor `fd` of process `pid`, or `None`.
    fn duplicate(&mut self, pid: Pid, fd: i32) -> Option<OwnedFd> {
        let pidfd = self
            .pidfds
            .entry(pid)
            .or_insert_with(|| pidfd_open(pid))
            .as_ref();
        let copy = pidfd
            .ok_or_else(std::io::Error::last_os_error)
            .and_then(|pidfd| pidfd_getfd(pidfd, fd).ok_or_else(std::io::Error::last_os_error));
        match copy {
            Ok(copy) => Some(copy),
            Err(e) => {
                if let Some(errno @ (libc::ENOSYS | libc::EPERM | libc::EACCES)) = e.raw_os_error()
                {
                    self.refused.get_or_insert(errno);
                }
                None
            }
        }
    }

    /// Forgets a process that has ended.
    pub fn forget(&mut self, pid: Pid) {
        self.pidfds.remove(&pid);
    }

    /// The kernel's view of descriptor `fd` of `pid`: `tcp` asks for
    /// `TCP_INFO` (and, with `unread`, `FIONREAD`), `addresses` for the
    /// local and peer addresses.
    pub fn socket(&mut self, pid: Pid, fd: i32, tcp: bool, unread: bool, addresses: bool) -> Seen {
        let Some(copy) = self.duplicate(pid, fd) else {
            return Seen::default();
        };
        let raw = copy.as_raw_fd();
        let mut seen = Seen {
            tcp: tcp.then(|| kernel::tcp_info(raw)).flatten(),
            unread: unread.then(|| kernel::unread_bytes(raw)).flatten(),
            ..Seen::default()
        };
        if addresses {
            let socket = socket2::SockRef::from(&copy);
            seen.local = socket.local_addr().ok().and_then(|a| a.as_socket());
            seen.peer = socket.peer_addr().ok().and_then(|a| a.as_socket());
        }
        seen
    }

    /// Only the TCP state of descriptor `fd` of `pid`.
    pub fn state(&mut self, pid: Pid, fd: i32) -> Option<TcpState> {
        self.socket(pid, fd, true, false, false)
            .tcp
            .map(|info| info.state)
    }
}

/// `pidfd_open(pid, 0)`: a handle on the process, or `None`.
fn pidfd_open(pid: Pid) -> Option<OwnedFd> {
    // SAFETY: pidfd_open takes a pid and a flags word, touches no memory of
    // ours, and returns a new descriptor (or -1); the descriptor is owned by
    // nothing else, so OwnedFd may take it.
    unsafe {
        let fd = libc::syscall(libc::SYS_pidfd_open, pid.as_raw(), 0);
        (fd >= 0).then(|| OwnedFd::from_raw_fd(fd as i32))
    }
}

/// `pidfd_getfd(pidfd, fd, 0)`: this process's own descriptor for the
/// child's open file `fd` (close-on-exec), or `None`.
fn pidfd_getfd(pidfd: &OwnedFd, fd: i32) -> Option<OwnedFd> {
    // SAFETY: pidfd_getfd takes two descriptors and a flags word, touches no
    // memory of ours, and returns a new descriptor (or -1) that nothing else
    // owns; `pidfd` is borrowed and open for the call.
    unsafe {
        let copy = libc::syscall(libc::SYS_pidfd_getfd, pidfd.as_raw_fd(), fd, 0);
        (copy >= 0).then(|| OwnedFd::from_raw_fd(copy as i32))
    }
}
