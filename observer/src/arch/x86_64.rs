//! x86_64: the system call number is in `orig_rax`, the arguments in
//! `rdi`, `rsi`, `rdx`, `r10`, `r8`, `r9`, and the result in `rax`
//! (`-errno` on failure), as the kernel's entry code leaves them.

use nix::sys::ptrace;
use nix::unistd::Pid;

use super::{Stop, Sys};

/// The registers of `pid` (stopped at a system call) as a [`Stop`].
pub fn stop(pid: Pid) -> nix::Result<Stop> {
    let regs = ptrace::getregs(pid)?;
    Ok(Stop {
        sys: sys(regs.orig_rax),
        args: [regs.rdi, regs.rsi, regs.rdx, regs.r10, regs.r8, regs.r9],
        ret: regs.rax as i64,
    })
}

/// `AUDIT_ARCH_X86_64`: what a seccomp filter checks before it trusts a
/// number (a 32-bit call, `int 0x80`, has other numbers).
pub const AUDIT_ARCH: u32 = 0xC000_003E;

/// x86_64's numbers of the calls the observer follows.
const TABLE: &[(i64, Sys)] = &[
    (libc::SYS_read, Sys::Read),
    (libc::SYS_write, Sys::Write),
    (libc::SYS_readv, Sys::Readv),
    (libc::SYS_writev, Sys::Writev),
    (libc::SYS_close, Sys::Close),
    (libc::SYS_close_range, Sys::CloseRange),
    (libc::SYS_dup, Sys::Dup),
    (libc::SYS_dup2, Sys::Dup2),
    (libc::SYS_dup3, Sys::Dup3),
    (libc::SYS_fcntl, Sys::Fcntl),
    (libc::SYS_ioctl, Sys::Ioctl),
    (libc::SYS_socket, Sys::Socket),
    (libc::SYS_socketpair, Sys::SocketPair),
    (libc::SYS_connect, Sys::Connect),
    (libc::SYS_accept, Sys::Accept),
    (libc::SYS_accept4, Sys::Accept4),
    (libc::SYS_sendto, Sys::SendTo),
    (libc::SYS_recvfrom, Sys::RecvFrom),
    (libc::SYS_sendmsg, Sys::SendMsg),
    (libc::SYS_recvmsg, Sys::RecvMsg),
    (libc::SYS_shutdown, Sys::Shutdown),
    (libc::SYS_bind, Sys::Bind),
    (libc::SYS_listen, Sys::Listen),
    (libc::SYS_setsockopt, Sys::SetSockOpt),
    (libc::SYS_clone, Sys::Clone),
    (libc::SYS_clone3, Sys::Clone3),
    (libc::SYS_fork, Sys::Fork),
    (libc::SYS_vfork, Sys::VFork),
    (libc::SYS_execve, Sys::Execve),
    (libc::SYS_execveat, Sys::Execveat),
    (libc::SYS_poll, Sys::Poll),
    (libc::SYS_ppoll, Sys::Ppoll),
    (libc::SYS_select, Sys::Select),
    (libc::SYS_pselect6, Sys::Pselect6),
    (libc::SYS_epoll_wait, Sys::EpollWait),
    (libc::SYS_epoll_pwait, Sys::EpollPwait),
];

fn sys(nr: u64) -> Option<Sys> {
    let nr = i64::try_from(nr).ok()?;
    TABLE.iter().find(|(n, _)| *n == nr).map(|(_, sys)| *sys)
}

/// The numbers of the calls in `wanted`.
pub fn numbers(wanted: impl Fn(Sys) -> bool) -> Vec<u32> {
    TABLE
        .iter()
        .filter(|(_, sys)| wanted(*sys))
        .filter_map(|(nr, _)| u32::try_from(*nr).ok())
        .collect()
}
