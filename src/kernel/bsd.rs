//! What macOS and FreeBSD share: BSD's numbering of the TCP states
//! (`netinet/tcp_fsm.h`: `TCPS_CLOSED` 0 … `TCPS_TIME_WAIT` 10, ordered
//! otherwise than Linux's), a `getsockopt` that reads one of them, and no
//! look-up after a close.

use std::net::SocketAddr;

use super::tcp_state::{Lingering, TcpInfo, TcpState};

/// What the kernel still holds of a closed connection: this library does
/// not ask macOS or FreeBSD (it would take their `net.inet.tcp.pcblist`
/// sysctls), so the answer is [`Lingering::Unknown`], never a guess.
pub fn lingering_state(_local: SocketAddr, _remote: SocketAddr) -> Lingering {
    Lingering::Unknown
}

/// No system call: what the trace shows of a BSD `tcpi_state`: the state,
/// and no accept queue (neither system tells it there).
pub(super) fn bsd_info(tcpi_state: u8) -> Option<TcpInfo> {
    Some(TcpInfo {
        state: bsd_state(tcpi_state)?,
        accept_queue: None,
        accept_queue_limit: None,
    })
}

/// No system call: the state a BSD kernel reports as `code` (`tcpi_state`).
fn bsd_state(code: u8) -> Option<TcpState> {
    Some(match code {
        0 => TcpState::Close,
        1 => TcpState::Listen,
        2 => TcpState::SynSent,
        3 => TcpState::SynRecv,
        4 => TcpState::Established,
        5 => TcpState::CloseWait,
        6 => TcpState::FinWait1,
        7 => TcpState::Closing,
        8 => TcpState::LastAck,
        9 => TcpState::FinWait2,
        10 => TcpState::TimeWait,
        _ => return None,
    })
}

/// `getsockopt(fd, IPPROTO_TCP, option, &value, &len)`: the option's value,
/// read into a `T`; `None` when the call failed.
///
/// # Safety
///
/// `T` must be the plain C struct the kernel writes for `option` (all-zero
/// bytes a valid value of it), and `fd` a live socket for the call.
pub(super) unsafe fn tcp_option<T>(fd: libc::c_int, option: libc::c_int) -> Option<T> {
    // SAFETY: by the caller's promise, zeroed bytes are a valid `T` and the
    // kernel writes at most `len` bytes of a `T` into it, updating `len`.
    unsafe {
        let mut value: T = std::mem::zeroed();
        let mut len = std::mem::size_of::<T>() as libc::socklen_t;
        let rc = libc::getsockopt(
            fd,
            libc::IPPROTO_TCP,
            option,
            (&mut value as *mut T).cast(),
            &mut len,
        );
        (rc == 0).then_some(value)
    }
}
