//! System calls decoded per architecture: the registers of a stopped
//! thread become a [`Stop`] — which call ([`Sys`], the same on every
//! architecture), its six arguments and, at the exit, its result.
//!
//! Only x86_64 is done (`arch/x86_64.rs`). Another architecture needs its
//! own file here with the same two functions: its system call numbers
//! (aarch64 and riscv64 share the generic table, which has no `accept`,
//! `dup2`, `fork`, `vfork`, `poll` or `select`: programs there make
//! `accept4`, `dup3`, `clone` and `ppoll`/`pselect6` instead), and which
//! registers hold the number, the arguments and the result (aarch64: `x8`,
//! `x0`–`x5`, `x0`, read with `PTRACE_GETREGSET`, since it has no
//! `PTRACE_GETREGS`). The structures read from memory (`sockaddr`,
//! `iovec`, `msghdr`, `clone_args`) have the same layout on every 64-bit
//! Linux; a 32-bit program on a 64-bit kernel (x86's `int 0x80`) is not
//! decoded.

#[cfg(target_arch = "x86_64")]
mod x86_64;

use nix::unistd::Pid;

/// The system calls the observer follows, by name, whatever their number
/// on this architecture.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sys {
    Read,
    Write,
    Readv,
    Writev,
    Close,
    CloseRange,
    Dup,
    Dup2,
    Dup3,
    Fcntl,
    Ioctl,
    Socket,
    SocketPair,
    Connect,
    Accept,
    Accept4,
    SendTo,
    RecvFrom,
    SendMsg,
    RecvMsg,
    Shutdown,
    Bind,
    Listen,
    SetSockOpt,
    Clone,
    Clone3,
    Fork,
    VFork,
    Execve,
    Execveat,
    Poll,
    Ppoll,
    Select,
    Pselect6,
    EpollWait,
    EpollPwait,
}

/// A thread stopped at a system call's entry or exit.
#[derive(Debug, Clone, Copy)]
pub struct Stop {
    /// The call, when it is one the observer follows.
    pub sys: Option<Sys>,
    /// Its arguments, in order.
    pub args: [u64; 6],
    /// At the exit: the raw result (`-errno` for a failure).
    pub ret: i64,
}

/// The registers of `pid`, stopped at a system call, decoded.
#[cfg(target_arch = "x86_64")]
pub fn stop(pid: Pid) -> nix::Result<Stop> {
    x86_64::stop(pid)
}

/// Not decoded on this architecture: the observer says so and stops.
#[cfg(not(target_arch = "x86_64"))]
pub fn stop(_pid: Pid) -> nix::Result<Stop> {
    Err(nix::errno::Errno::ENOSYS)
}

/// Whether this architecture is decoded.
pub const SUPPORTED: bool = cfg!(target_arch = "x86_64");

/// What a seccomp filter needs on this architecture: its `AUDIT_ARCH_…`
/// value and the numbers of the calls that must stop the child — every
/// followed call but `execve`, which the exec event reports anyway.
#[cfg(target_arch = "x86_64")]
pub fn filtered() -> Option<(u32, Vec<u32>)> {
    let numbers = x86_64::numbers(|sys| !matches!(sys, Sys::Execve | Sys::Execveat));
    Some((x86_64::AUDIT_ARCH, numbers))
}

/// No filter where calls are not decoded.
#[cfg(not(target_arch = "x86_64"))]
pub fn filtered() -> Option<(u32, Vec<u32>)> {
    None
}
