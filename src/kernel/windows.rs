//! What Windows tells about a socket, through Winsock: a socket is a
//! `SOCKET` handle; its TCP state is `WSAIoctl(SIO_TCP_INFO)` (Windows 10
//! 1703 and later; where it fails — older Windows, wine — the state stays
//! absent); unread bytes are `ioctlsocket(FIONREAD)`; `closesocket` closes
//! it with its own result. No accept queue and nothing about a closed
//! connection: those stay absent. Time limits (`SO_RCVTIMEO`) are a `DWORD`
//! of milliseconds. And the console's code pages, for UTF-8 text.

use std::io;
use std::net::SocketAddr;
use std::os::windows::io::{AsRawSocket, RawSocket};
use std::time::Duration;

use windows_sys::Win32::Networking::WinSock as ws;
use windows_sys::Win32::System::Console;

use super::readiness::{Readiness, timeout_ms};
use super::tcp_state::{Lingering, TcpInfo, TcpState};

/// What names a socket to the kernel: on this system, a Winsock `SOCKET`.
pub type Descriptor = RawSocket;

/// A socket's [`Descriptor`], whatever holds it — the library's sockets,
/// socket2's, the standard library's — on every system: `as_raw_socket()`
/// here, `as_raw_fd()` on Linux, macOS and FreeBSD.
pub trait AsDescriptor {
    /// No system call: the descriptor.
    fn descriptor(&self) -> Descriptor;
}

impl<T: AsRawSocket + ?Sized> AsDescriptor for T {
    fn descriptor(&self) -> Descriptor {
        self.as_raw_socket()
    }
}

/// No system call: a `SOCKET` as the number a call returns (handles are
/// small numbers; one past `i64::MAX` is shown as that).
pub(crate) fn descriptor_number(socket: Descriptor) -> i64 {
    i64::try_from(socket).unwrap_or(i64::MAX)
}

/// Send flags: none (Windows raises no signal on a send to a vanished peer).
pub const SEND_FLAGS: i32 = 0;

/// Receive flags of a datagram: none (Windows has no `MSG_TRUNC`; a
/// datagram larger than the buffer fails with `WSAEMSGSIZE`).
pub(crate) const DATAGRAM_RECV_FLAGS: i32 = 0;

/// The smallest time limit Windows takes: `SO_RCVTIMEO` counts
/// milliseconds (socket2 drops what is below one).
pub(crate) const TIMEOUT_STEP: Duration = Duration::from_millis(1);

/// `WSAIoctl(s, SIO_TCP_INFO, &0, 4, &info, sizeof(TCP_INFO_v0), …)`: the
/// connection's state (`State`, numbered as Windows' `TCPSTATE` does).
/// Windows does not tell a listener's accept queue. `None` where the call
/// fails (before Windows 10 1703, and under wine, which answers
/// `WSAEOPNOTSUPP`) — a state is never guessed.
pub fn tcp_info(socket: Descriptor) -> Option<TcpInfo> {
    let version: u32 = 0;
    let mut info = ws::TCP_INFO_v0::default();
    let mut returned: u32 = 0;
    // SAFETY: the input is `version` (4 bytes) and the output `info`
    // (`size_of::<TCP_INFO_v0>()` bytes), both alive for the call, which is
    // synchronous (no OVERLAPPED, no completion routine) and writes at most
    // that many bytes; `socket` is borrowed from a live socket.
    let rc = unsafe {
        ws::WSAIoctl(
            socket as ws::SOCKET,
            ws::SIO_TCP_INFO,
            (&version as *const u32).cast(),
            4,
            (&mut info as *mut ws::TCP_INFO_v0).cast(),
            std::mem::size_of::<ws::TCP_INFO_v0>() as u32,
            &mut returned,
            std::ptr::null_mut(),
            None,
        )
    };
    if rc != 0 {
        return None;
    }
    Some(TcpInfo {
        state: windows_state(info.State)?,
        accept_queue: None,
        accept_queue_limit: None,
    })
}

/// No system call: the state Windows reports as `state` (`TCPSTATE`).
fn windows_state(state: ws::TCPSTATE) -> Option<TcpState> {
    Some(match state {
        ws::TCPSTATE_CLOSED => TcpState::Close,
        ws::TCPSTATE_LISTEN => TcpState::Listen,
        ws::TCPSTATE_SYN_SENT => TcpState::SynSent,
        ws::TCPSTATE_SYN_RCVD => TcpState::SynRecv,
        ws::TCPSTATE_ESTABLISHED => TcpState::Established,
        ws::TCPSTATE_FIN_WAIT_1 => TcpState::FinWait1,
        ws::TCPSTATE_FIN_WAIT_2 => TcpState::FinWait2,
        ws::TCPSTATE_CLOSE_WAIT => TcpState::CloseWait,
        ws::TCPSTATE_CLOSING => TcpState::Closing,
        ws::TCPSTATE_LAST_ACK => TcpState::LastAck,
        ws::TCPSTATE_TIME_WAIT => TcpState::TimeWait,
        _ => return None,
    })
}

/// What the kernel still holds of a closed connection: this library does
/// not ask Windows (it would take `GetTcpTable2`), so the answer is
/// [`Lingering::Unknown`], never a guess.
pub fn lingering_state(_local: SocketAddr, _remote: SocketAddr) -> Lingering {
    Lingering::Unknown
}

/// `closesocket(s)`, returning Winsock's answer.
///
/// The standard library closes sockets in `Drop` and throws the result
/// away; the trace must show the real one, so the library closes by hand.
/// The caller gives up `socket`: it must own it and never use it again.
pub(crate) fn close(socket: Descriptor) -> io::Result<()> {
    // SAFETY: the caller owns `socket` (it came out of an `OwnedSocket`
    // whose own `Drop` will never run) and does not touch it after this
    // call, so no other socket can be closed by mistake.
    let rc = unsafe { ws::closesocket(socket as ws::SOCKET) };
    if rc == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

/// `ioctlsocket(s, FIONREAD, &n)`: how many bytes wait in the socket's
/// receive buffer, read by nobody yet. `None` when Winsock does not answer.
///
/// A TCP socket closed while bytes wait unread does not end with a FIN: the
/// stack throws the bytes away and resets the connection (RST).
pub fn unread_bytes(socket: Descriptor) -> Option<usize> {
    let mut count: u32 = 0;
    // SAFETY: FIONREAD writes one `u_long` (32 bits) through the pointer,
    // which points at `count`, alive for the call; `socket` is borrowed
    // from a live socket.
    let rc = unsafe { ws::ioctlsocket(socket as ws::SOCKET, ws::FIONREAD, &mut count) };
    if rc == 0 {
        usize::try_from(count).ok()
    } else {
        None
    }
}

/// `WSAPoll(fds, nfds, timeout)`: waits until one of `fds` is ready as
/// asked, or `timeout` passes (`None`: no limit), and fills in what Winsock
/// answered for each. Returns how many were ready (0: the limit passed).
pub(crate) fn poll(
    fds: &mut [(Descriptor, Readiness)],
    timeout: Option<Duration>,
) -> io::Result<usize> {
    let mut asked: Vec<ws::WSAPOLLFD> = fds
        .iter()
        .map(|(socket, r)| ws::WSAPOLLFD {
            fd: *socket as ws::SOCKET,
            events: (if r.read { ws::POLLRDNORM } else { 0 })
                | (if r.write { ws::POLLWRNORM } else { 0 }),
            revents: 0,
        })
        .collect();
    let count =
        u32::try_from(asked.len()).map_err(|_| io::Error::from(io::ErrorKind::InvalidInput))?;
    // SAFETY: the pointer and count describe `asked`, alive and not
    // otherwise borrowed for the call; WSAPoll writes only `revents` of
    // those entries.
    let rc = unsafe { ws::WSAPoll(asked.as_mut_ptr(), count, timeout_ms(timeout)) };
    if rc < 0 {
        return Err(io::Error::last_os_error());
    }
    for ((_, r), answer) in fds.iter_mut().zip(&asked) {
        r.readable = answer.revents & ws::POLLRDNORM != 0;
        r.writable = answer.revents & ws::POLLWRNORM != 0;
        r.failed = answer.revents & (ws::POLLERR | ws::POLLNVAL) != 0;
        r.hung_up = answer.revents & ws::POLLHUP != 0;
    }
    Ok(usize::try_from(rc).unwrap_or(0))
}

/// Whether the socket is non-blocking: Windows cannot be asked, and need
/// not be — only a non-blocking socket answers `WSAEWOULDBLOCK`, and a
/// blocking one's time limit is `WSAETIMEDOUT` — so this is never read
/// here: `false`.
pub(crate) fn is_nonblocking(_socket: Descriptor) -> bool {
    false
}

/// Windows' default ephemeral ports (`netsh int ipv4 show dynamicport
/// tcp`): IANA's dynamic range.
pub(crate) fn ephemeral_ports() -> (u16, u16) {
    (49152, 65535)
}

/// `SetConsoleCP(65001)` and `SetConsoleOutputCP(65001)`: the console reads
/// and writes UTF-8, so the report's Portuguese texts (`Você: `,
/// `Conexão encerrada.`) arrive and leave whole — what a program's bytes
/// mean to the console, and to any program it starts. Where the process has
/// no console (its input and output are pipes), nothing changes.
pub fn console_utf8() {
    const UTF8: u32 = 65001;
    // SAFETY: both calls take a code page number and touch nothing of this
    // process's memory; with no console they fail, which changes nothing.
    unsafe {
        Console::SetConsoleCP(UTF8);
        Console::SetConsoleOutputCP(UTF8);
    }
}
