//! One question to Linux over a netlink `sock_diag` socket, as `ss`
//! asks it: the state of the TCP connection with this exact four-tuple. No
//! privileges needed, and the answer costs the same however many
//! connections the machine holds.
//!
//! Each thread keeps its netlink socket for its next questions: making one
//! (`socket`, and the kernel's bind at the first `sendto`) cost more than
//! the question itself, about 11 µs of a close's trace. One question is
//! outstanding at a time, and its one answer is read whole; a socket that
//! failed is closed, and the next question makes a new one.

use std::cell::RefCell;
use std::io;
use std::net::{IpAddr, SocketAddr};

use super::tcp_state::TcpState;

/// `SOCK_DIAG_BY_FAMILY` from `linux/sock_diag.h` (libc does not export it).
const SOCK_DIAG_BY_FAMILY: u16 = 20;

/// One `inet_diag` request for the socket with this exact four-tuple, and
/// the `idiag_state` of the answer. `Ok(None)`: no such connection (the
/// kernel answered `ENOENT`); `Err`: netlink could not be asked.
///
/// The message is built as bytes: `struct nlmsghdr` (16 bytes), then
/// `struct inet_diag_req_v2` (56 bytes), ports and addresses in network
/// byte order, everything else in host order.
pub(super) fn sock_diag_state(
    local: SocketAddr,
    remote: SocketAddr,
) -> io::Result<Option<TcpState>> {
    let family = if local.is_ipv4() {
        libc::AF_INET
    } else {
        libc::AF_INET6
    };
    let address = |addr: SocketAddr| -> [u8; 16] {
        let mut bytes = [0u8; 16];
        match addr.ip() {
            IpAddr::V4(v4) => bytes[..4].copy_from_slice(&v4.octets()),
            IpAddr::V6(v6) => bytes = v6.octets(),
        }
        bytes
    };
    let mut request = Vec::with_capacity(72);
    request.extend_from_slice(&72u32.to_ne_bytes()); // nlmsg_len
    request.extend_from_slice(&SOCK_DIAG_BY_FAMILY.to_ne_bytes()); // nlmsg_type
    request.extend_from_slice(&(libc::NLM_F_REQUEST as u16).to_ne_bytes()); // nlmsg_flags
    request.extend_from_slice(&1u32.to_ne_bytes()); // nlmsg_seq
    request.extend_from_slice(&0u32.to_ne_bytes()); // nlmsg_pid: the kernel
    request.push(family as u8); // sdiag_family
    request.push(libc::IPPROTO_TCP as u8); // sdiag_protocol
    request.extend_from_slice(&[0, 0]); // idiag_ext, pad
    request.extend_from_slice(&u32::MAX.to_ne_bytes()); // idiag_states: all
    request.extend_from_slice(&local.port().to_be_bytes()); // idiag_sport
    request.extend_from_slice(&remote.port().to_be_bytes()); // idiag_dport
    request.extend_from_slice(&address(local)); // idiag_src
    request.extend_from_slice(&address(remote)); // idiag_dst
    request.extend_from_slice(&0u32.to_ne_bytes()); // idiag_if: any
    request.extend_from_slice(&[0xff; 8]); // idiag_cookie: INET_DIAG_NOCOOKIE

    let mut answer = [0u8; 512];
    let n = ask(&request, &mut answer)?;
    let field = |at: usize, len: usize| answer.get(at..at + len).filter(|_| at + len <= n);
    let kind = field(4, 2).map(|b| u16::from_ne_bytes([b[0], b[1]]));
    match kind {
        // The kernel falls back to a listener on the same local port when
        // the connection itself is gone: only an answer about this very
        // four-tuple counts (`idiag_sport`, `idiag_dport`, `idiag_src`,
        // `idiag_dst` of the answer's `inet_diag_msg`, from byte 20).
        Some(SOCK_DIAG_BY_FAMILY) if field(20, 36) == Some(&request[24..60]) => {
            Ok(field(17, 1).and_then(|b| TcpState::from_kernel(b[0])))
        }
        Some(SOCK_DIAG_BY_FAMILY) => Ok(None),
        Some(kind) if kind == libc::NLMSG_ERROR as u16 => {
            let errno = field(16, 4).map(|b| -i32::from_ne_bytes([b[0], b[1], b[2], b[3]]));
            match errno {
                Some(libc::ENOENT) => Ok(None),
                Some(errno) => Err(io::Error::from_raw_os_error(errno)),
                None => Err(io::Error::from(io::ErrorKind::InvalidData)),
            }
        }
        _ => Err(io::Error::from(io::ErrorKind::InvalidData)),
    }
}

thread_local! {
    /// This thread's netlink socket, kept between its questions.
    static ASKER: RefCell<Option<socket2::Socket>> = const { RefCell::new(None) };
}

/// Sends `request` over this thread's netlink socket (made at its first
/// question) and reads the answer into `answer`; returns its length. A
/// socket that failed is dropped (closed), so that an answer left unread
/// cannot be taken for the next question's. Where the thread's socket
/// cannot be used (the thread is ending), a socket of its own asks.
fn ask(request: &[u8], answer: &mut [u8]) -> io::Result<usize> {
    let asked = ASKER.try_with(|kept| {
        let Ok(mut kept) = kept.try_borrow_mut() else {
            return ask_once(&new_socket()?, request, answer);
        };
        let socket = match kept.take() {
            Some(socket) => socket,
            None => new_socket()?,
        };
        let n = ask_once(&socket, request, answer)?;
        *kept = Some(socket);
        Ok(n)
    });
    match asked {
        Ok(result) => result,
        Err(_) => ask_once(&new_socket()?, request, answer),
    }
}

/// `socket(AF_NETLINK, SOCK_DGRAM|SOCK_CLOEXEC, NETLINK_SOCK_DIAG)`.
fn new_socket() -> io::Result<socket2::Socket> {
    socket2::Socket::new(
        socket2::Domain::from(libc::AF_NETLINK),
        socket2::Type::DGRAM,
        Some(socket2::Protocol::from(libc::NETLINK_SOCK_DIAG)),
    )
}

/// One `sendto` of `request` and one `recvfrom` of its answer.
fn ask_once(socket: &socket2::Socket, request: &[u8], answer: &mut [u8]) -> io::Result<usize> {
    use std::io::Read;

    socket.send(request)?;
    let mut socket = socket;
    socket.read(answer)
}
