//! What the kernel says about a socket: its TCP state, the names of its
//! error numbers, and — after the file descriptor is gone — what
//! `/proc/net/tcp` still holds for the connection.
//!
//! Everything here *reads*; nothing changes a socket. This module is also the
//! only place with `unsafe` code: `getsockopt(TCP_INFO)`, which socket2 does
//! not wrap, and `close(2)`, whose result the standard library discards.

use std::fmt;
use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::os::fd::RawFd;

/// A TCP connection state, as the Linux kernel numbers it (`tcp_states.h`).
///
/// `ss -tan` prints the same states with slightly different spellings
/// (`ESTAB`, `FIN-WAIT-2`); this type uses the kernel's names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TcpState {
    /// Data flows both ways: the three-way handshake is done.
    Established,
    /// A `connect()` sent its SYN and waits for the SYN-ACK.
    SynSent,
    /// A listener received a SYN and answered with a SYN-ACK.
    SynRecv,
    /// This side closed first and sent its FIN; no ACK yet.
    FinWait1,
    /// This side's FIN was acknowledged; it waits for the peer's FIN.
    FinWait2,
    /// The side that closed first waits 2×MSL so that late segments die out.
    TimeWait,
    /// No connection: a fresh or a bound socket.
    Close,
    /// The peer sent its FIN (`recv` returned 0); this side has yet to close.
    CloseWait,
    /// This side closed after the peer did; it waits for the last ACK.
    LastAck,
    /// A listening socket, queueing connections for `accept()`.
    Listen,
    /// Both sides sent a FIN at the same time.
    Closing,
}

impl TcpState {
    /// No system call: maps the kernel's number (`tcpi_state`, or the `st`
    /// column of `/proc/net/tcp`) to a state.
    pub fn from_kernel(code: u8) -> Option<TcpState> {
        Some(match code {
            1 => TcpState::Established,
            2 => TcpState::SynSent,
            3 => TcpState::SynRecv,
            4 => TcpState::FinWait1,
            5 => TcpState::FinWait2,
            6 => TcpState::TimeWait,
            7 => TcpState::Close,
            8 => TcpState::CloseWait,
            9 => TcpState::LastAck,
            10 => TcpState::Listen,
            11 => TcpState::Closing,
            _ => return None,
        })
    }

    /// No system call: the kernel's name of the state, e.g. `ESTABLISHED`.
    pub fn name(self) -> &'static str {
        match self {
            TcpState::Established => "ESTABLISHED",
            TcpState::SynSent => "SYN_SENT",
            TcpState::SynRecv => "SYN_RECV",
            TcpState::FinWait1 => "FIN_WAIT1",
            TcpState::FinWait2 => "FIN_WAIT2",
            TcpState::TimeWait => "TIME_WAIT",
            TcpState::Close => "CLOSE",
            TcpState::CloseWait => "CLOSE_WAIT",
            TcpState::LastAck => "LAST_ACK",
            TcpState::Listen => "LISTEN",
            TcpState::Closing => "CLOSING",
        }
    }
}

impl fmt::Display for TcpState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What `getsockopt(fd, IPPROTO_TCP, TCP_INFO)` reports that the trace shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TcpInfo {
    /// The connection's state (`tcpi_state`).
    pub state: TcpState,
    /// On a listening socket: connections waiting in the accept queue
    /// (`tcpi_unacked`; `ss` shows it as `Recv-Q`).
    pub accept_queue: Option<u32>,
    /// On a listening socket: the accept queue's limit, the backlog given to
    /// `listen()` as the kernel capped it (`tcpi_sacked`; `ss`: `Send-Q`).
    pub accept_queue_limit: Option<u32>,
}

/// `getsockopt(fd, IPPROTO_TCP, TCP_INFO, …)`: the kernel's view of a TCP
/// socket. `None` where the kernel has no such option (not Linux) or the call
/// failed — a state is never guessed.
#[cfg(target_os = "linux")]
pub fn tcp_info(fd: RawFd) -> Option<TcpInfo> {
    // SAFETY: `tcp_info` is a plain C struct for which all-zero bytes are a
    // valid value; `getsockopt` writes at most `len` bytes into it and updates
    // `len`. `fd` is borrowed from a live socket for the duration of the call.
    let (raw, rc) = unsafe {
        let mut raw: libc::tcp_info = std::mem::zeroed();
        let mut len = std::mem::size_of::<libc::tcp_info>() as libc::socklen_t;
        let rc = libc::getsockopt(
            fd,
            libc::IPPROTO_TCP,
            libc::TCP_INFO,
            (&mut raw as *mut libc::tcp_info).cast(),
            &mut len,
        );
        (raw, rc)
    };
    if rc != 0 {
        return None;
    }
    let state = TcpState::from_kernel(raw.tcpi_state)?;
    let listening = state == TcpState::Listen;
    Some(TcpInfo {
        state,
        accept_queue: listening.then_some(raw.tcpi_unacked),
        accept_queue_limit: listening.then_some(raw.tcpi_sacked),
    })
}

/// `getsockopt(TCP_INFO)` does not exist on this system: no state is read.
#[cfg(not(target_os = "linux"))]
pub fn tcp_info(_fd: RawFd) -> Option<TcpInfo> {
    None
}

/// `close(fd)`, returning the kernel's answer.
///
/// The standard library closes descriptors in `Drop` and throws the result
/// away; the trace must show the real one, so the library closes by hand.
/// The caller gives up `fd`: it must own it and never use it again.
pub(crate) fn close(fd: RawFd) -> io::Result<()> {
    // SAFETY: the caller owns `fd` (it came out of an `OwnedFd` whose own
    // `Drop` will never run) and does not touch it after this call, so no
    // other descriptor can be closed by mistake. On Linux the descriptor is
    // released even when close reports an error, so it is never retried.
    let rc = unsafe { libc::close(fd) };
    if rc == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

/// No system call: the symbolic name of an errno value, as strace prints it
/// (`ECONNREFUSED` for 111 on Linux). `None` for numbers this table lacks.
pub fn errno_name(code: i32) -> Option<&'static str> {
    const NAMES: &[(i32, &str)] = &[
        (libc::EPERM, "EPERM"),
        (libc::EINTR, "EINTR"),
        (libc::EBADF, "EBADF"),
        (libc::EAGAIN, "EAGAIN"),
        (libc::EACCES, "EACCES"),
        (libc::EFAULT, "EFAULT"),
        (libc::EINVAL, "EINVAL"),
        (libc::EMFILE, "EMFILE"),
        (libc::ENFILE, "ENFILE"),
        (libc::EPIPE, "EPIPE"),
        (libc::ENOTSOCK, "ENOTSOCK"),
        (libc::EMSGSIZE, "EMSGSIZE"),
        (libc::EPROTOTYPE, "EPROTOTYPE"),
        (libc::ENOPROTOOPT, "ENOPROTOOPT"),
        (libc::EPROTONOSUPPORT, "EPROTONOSUPPORT"),
        (libc::EOPNOTSUPP, "EOPNOTSUPP"),
        (libc::EAFNOSUPPORT, "EAFNOSUPPORT"),
        (libc::EADDRINUSE, "EADDRINUSE"),
        (libc::EADDRNOTAVAIL, "EADDRNOTAVAIL"),
        (libc::ENETDOWN, "ENETDOWN"),
        (libc::ENETUNREACH, "ENETUNREACH"),
        (libc::ECONNABORTED, "ECONNABORTED"),
        (libc::ECONNRESET, "ECONNRESET"),
        (libc::ENOBUFS, "ENOBUFS"),
        (libc::EISCONN, "EISCONN"),
        (libc::ENOTCONN, "ENOTCONN"),
        (libc::ETIMEDOUT, "ETIMEDOUT"),
        (libc::ECONNREFUSED, "ECONNREFUSED"),
        (libc::EHOSTUNREACH, "EHOSTUNREACH"),
        (libc::EALREADY, "EALREADY"),
        (libc::EINPROGRESS, "EINPROGRESS"),
    ];
    NAMES
        .iter()
        .find(|(number, _)| *number == code)
        .map(|(_, name)| *name)
}

/// One connection as `/proc/net/tcp` or `/proc/net/tcp6` lists it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProcEntry {
    /// The local address (`local_address` column).
    pub local: SocketAddr,
    /// The remote address (`rem_address` column).
    pub remote: SocketAddr,
    /// The state (`st` column).
    pub state: TcpState,
}

/// No system call of its own (it reads files): the state the kernel still
/// holds for the connection `local` ↔ `remote`, looked up in `/proc/net/tcp`
/// (an IPv4 socket) or `/proc/net/tcp6` (an IPv6 socket, IPv4-mapped
/// addresses included). `None` when the kernel has forgotten it, or when
/// the file cannot be read (not Linux).
///
/// The file lists every TCP socket of the machine of that family — on a
/// busy machine thousands, `TIME_WAIT` included — and the kernel writes it
/// afresh for each reading: milliseconds of kernel time. It is read a line
/// at a time and the reading stops at the connection's line, so a lookup
/// never holds the whole file in memory.
pub fn proc_state(local: SocketAddr, remote: SocketAddr) -> Option<TcpState> {
    let path = if local.is_ipv4() {
        "/proc/net/tcp"
    } else {
        "/proc/net/tcp6"
    };
    let mut file = io::BufReader::new(std::fs::File::open(path).ok()?);
    let mut line = String::new();
    loop {
        line.clear();
        match io::BufRead::read_line(&mut file, &mut line) {
            Ok(0) | Err(_) => return None,
            Ok(_) => {}
        }
        let found = parse_proc_line(&line).filter(|entry| {
            same_endpoint(entry.local, local) && same_endpoint(entry.remote, remote)
        });
        if let Some(entry) = found {
            return Some(entry.state);
        }
    }
}

/// Two endpoints are the same if ports match and addresses match, an
/// IPv4-mapped IPv6 address (`::ffff:127.0.0.1`) being equal to its IPv4 form.
fn same_endpoint(a: SocketAddr, b: SocketAddr) -> bool {
    let canonical = |ip: IpAddr| match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4),
        v4 => v4,
    };
    a.port() == b.port() && canonical(a.ip()) == canonical(b.ip())
}

/// No system call: parses the text of `/proc/net/tcp` or `/proc/net/tcp6`.
///
/// The parser is total: a line it does not understand (the header, a
/// truncated line, garbage) is skipped, never a panic.
pub fn parse_proc_net_tcp(text: &str) -> Vec<ProcEntry> {
    text.lines().filter_map(parse_proc_line).collect()
}

/// One line: `sl local_address rem_address st …`, addresses as `HEX:PORT`.
fn parse_proc_line(line: &str) -> Option<ProcEntry> {
    let mut fields = line.split_whitespace();
    let _slot = fields.next()?.strip_suffix(':')?;
    let local = parse_proc_addr(fields.next()?)?;
    let remote = parse_proc_addr(fields.next()?)?;
    let state = u8::from_str_radix(fields.next()?, 16).ok()?;
    Some(ProcEntry {
        local,
        remote,
        state: TcpState::from_kernel(state)?,
    })
}

/// `0100007F:22B8` → 127.0.0.1:8888. The kernel prints each 32-bit word of
/// the address in host byte order; the port is plain hexadecimal.
fn parse_proc_addr(field: &str) -> Option<SocketAddr> {
    let (ip_hex, port_hex) = field.split_once(':')?;
    let port = u16::from_str_radix(port_hex, 16).ok()?;
    let word = |i: usize| -> Option<[u8; 4]> {
        let hex = ip_hex.get(i * 8..i * 8 + 8)?;
        Some(u32::from_str_radix(hex, 16).ok()?.to_ne_bytes())
    };
    let ip = match ip_hex.len() {
        8 => IpAddr::V4(Ipv4Addr::from(word(0)?)),
        32 => {
            let mut octets = [0u8; 16];
            for i in 0..4 {
                octets[i * 4..i * 4 + 4].copy_from_slice(&word(i)?);
            }
            IpAddr::V6(Ipv6Addr::from(octets))
        }
        _ => return None,
    };
    Some(SocketAddr::new(ip, port))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:22B8 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 12345 1 0000000000000000 100 0 0 10 0
   1: 0100007F:22B8 0100007F:D431 06 00000000:00000000 03:00001770 00000000     0        0 0 3 0000000000000000
";

    #[test]
    fn parses_listen_and_time_wait_lines_and_skips_the_header() {
        let entries = parse_proc_net_tcp(SAMPLE);
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0].local, "127.0.0.1:8888".parse().unwrap());
        assert_eq!(entries[0].state, TcpState::Listen);
        assert_eq!(entries[1].remote, "127.0.0.1:54321".parse().unwrap());
        assert_eq!(entries[1].state, TcpState::TimeWait);
    }

    #[test]
    fn parses_ipv6_loopback() {
        let line = "   0: 00000000000000000000000001000000:22B8 00000000000000000000000000000000:0000 0A 0";
        let entries = parse_proc_net_tcp(line);
        assert_eq!(entries[0].local, "[::1]:8888".parse().unwrap());
    }

    #[test]
    fn garbage_is_skipped() {
        for text in [
            "",
            ":",
            "0: zz:zz 00:00 0A",
            "0: 0100007F:22B8",
            "\u{0}\u{ffff}",
        ] {
            assert!(parse_proc_net_tcp(text).is_empty(), "{text:?}");
        }
    }

    #[test]
    fn errno_names_match_strace() {
        assert_eq!(errno_name(libc::ECONNREFUSED), Some("ECONNREFUSED"));
        assert_eq!(errno_name(libc::EADDRINUSE), Some("EADDRINUSE"));
        assert_eq!(errno_name(-1), None);
    }
}
