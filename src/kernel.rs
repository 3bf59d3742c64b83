//! What the kernel says about a socket: its TCP state, the names of its
//! error numbers, and — after the file descriptor is gone — what it still
//! holds of the connection (asked over netlink's sock_diag, as `ss` does,
//! or read from `/proc/net/tcp`).
//!
//! Everything here *reads*; nothing changes a socket. This module is also the
//! only place with `unsafe` code: `getsockopt(TCP_INFO)`, which socket2 does
//! not wrap, `close(2)`, whose result the standard library discards, and
//! the buffer cast socket2's `recvfrom` needs.
//!
//! ```
//! use std::os::fd::AsRawFd;
//! use socket_lifecycle::{kernel, Socket, TcpState};
//!
//! let listener = Socket::tcp_v4("servidor")?.bind("127.0.0.1:0".parse().unwrap())?.listen(5)?;
//! if cfg!(target_os = "linux") {
//!     assert_eq!(kernel::tcp_info(listener.as_raw_fd()).map(|i| i.state), Some(TcpState::Listen));
//! }
//! assert_eq!(kernel::errno_name(libc::ECONNREFUSED), Some("ECONNREFUSED"));
//! # Ok::<(), socket_lifecycle::Error>(())
//! ```

use std::fmt;
use std::io;
use std::mem::MaybeUninit;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::os::fd::RawFd;

/// A TCP connection state, as the Linux kernel numbers it (`tcp_states.h`).
///
/// `ss -tan` prints the same states with slightly different spellings
/// (`ESTAB`, `FIN-WAIT-2`); this type uses the kernel's names.
///
/// ```
/// use socket_lifecycle::TcpState;
///
/// assert_eq!(TcpState::from_kernel(1), Some(TcpState::Established));
/// assert_eq!(TcpState::TimeWait.to_string(), "TIME_WAIT");
/// ```
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
    ///
    /// ```
    /// use socket_lifecycle::TcpState;
    ///
    /// assert_eq!(TcpState::from_kernel(10), Some(TcpState::Listen));
    /// assert_eq!(TcpState::from_kernel(0), None);
    /// ```
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
    ///
    /// ```
    /// assert_eq!(socket_lifecycle::TcpState::CloseWait.name(), "CLOSE_WAIT");
    /// ```
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
///
/// ```
/// use std::os::fd::AsRawFd;
/// use socket_lifecycle::{kernel::tcp_info, Socket, TcpState};
///
/// let listener = Socket::tcp_v4("servidor")?.bind("127.0.0.1:0".parse().unwrap())?.listen(5)?;
/// if let Some(info) = tcp_info(listener.as_raw_fd()) {
///     assert_eq!(info.state, TcpState::Listen);
///     assert_eq!((info.accept_queue, info.accept_queue_limit), (Some(0), Some(5)));
/// }
/// # Ok::<(), socket_lifecycle::Error>(())
/// ```
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
///
/// ```
/// use std::os::fd::AsRawFd;
/// use socket_lifecycle::{kernel::tcp_info, Socket, TcpState};
///
/// let socket = Socket::tcp_v4("cliente")?;
/// if let Some(info) = tcp_info(socket.as_raw_fd()) {
///     assert_eq!(info.state, TcpState::Close); // no connection yet
/// }
/// # Ok::<(), socket_lifecycle::Error>(())
/// ```
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

/// No system call: `buf` as the `&mut [MaybeUninit<u8>]` that socket2's
/// `recv*` functions take. Sound because those functions promise never to
/// write uninitialised bytes into the buffer (socket2's own `io::Read`
/// implementation makes the same cast), so `buf` stays initialised.
pub(crate) fn as_uninit(buf: &mut [u8]) -> &mut [MaybeUninit<u8>] {
    // SAFETY: `MaybeUninit<u8>` has the layout of `u8`; the slice keeps its
    // length and lifetime; the only writers are socket2's `recv*` functions,
    // which write bytes the kernel copied in, never uninitialised ones.
    unsafe { &mut *(buf as *mut [u8] as *mut [MaybeUninit<u8>]) }
}

/// No system call: the symbolic name of an errno value, as strace prints it
/// (`ECONNREFUSED` for 111 on Linux). `None` for numbers this table lacks.
///
/// ```
/// use socket_lifecycle::kernel::errno_name;
///
/// assert_eq!(errno_name(libc::EADDRINUSE), Some("EADDRINUSE"));
/// ```
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
///
/// ```
/// use socket_lifecycle::{kernel::parse_proc_net_tcp, TcpState};
///
/// let line = "   0: 0100007F:22B8 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1 1";
/// let entry = parse_proc_net_tcp(line)[0];
/// assert_eq!(entry.local, "127.0.0.1:8888".parse().unwrap());
/// assert_eq!(entry.state, TcpState::Listen);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProcEntry {
    /// The local address (`local_address` column).
    pub local: SocketAddr,
    /// The remote address (`rem_address` column).
    pub remote: SocketAddr,
    /// The state (`st` column).
    pub state: TcpState,
}

/// The state the kernel still holds for the TCP connection `local` ↔
/// `remote` — typically after its descriptor was closed — or `None` once it
/// has forgotten it.
///
/// It asks the kernel for that one connection over a `NETLINK_SOCK_DIAG`
/// socket (what `ss` uses; no privileges needed), which costs the same however
/// many connections the machine holds. Where netlink is not available it
/// reads `/proc/net/tcp` (IPv4) or `/proc/net/tcp6` (IPv6) instead, whose
/// text the kernel writes out whole for every read: milliseconds when
/// thousands of connections linger in TIME_WAIT. Not Linux: `None`.
pub fn lingering_state(local: SocketAddr, remote: SocketAddr) -> Option<TcpState> {
    match sock_diag_state(local, remote) {
        Ok(state) => state,
        Err(_) => proc_state(local, remote),
    }
}

/// `SOCK_DIAG_BY_FAMILY` from `linux/sock_diag.h` (libc does not export it).
const SOCK_DIAG_BY_FAMILY: u16 = 20;

/// One `inet_diag` request for the socket with this exact four-tuple, and
/// the `idiag_state` of the answer. `Ok(None)`: no such connection (the
/// kernel answered `ENOENT`); `Err`: netlink could not be asked.
///
/// The message is built as bytes: `struct nlmsghdr` (16 bytes), then
/// `struct inet_diag_req_v2` (56 bytes), ports and addresses in network
/// byte order, everything else in host order.
#[cfg(target_os = "linux")]
fn sock_diag_state(local: SocketAddr, remote: SocketAddr) -> io::Result<Option<TcpState>> {
    use std::io::Read;

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

    let socket = socket2::Socket::new(
        socket2::Domain::from(libc::AF_NETLINK),
        socket2::Type::DGRAM,
        Some(socket2::Protocol::from(libc::NETLINK_SOCK_DIAG)),
    )?;
    socket.send(&request)?;
    let mut answer = [0u8; 512];
    let n = (&socket).read(&mut answer)?;
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

#[cfg(not(target_os = "linux"))]
fn sock_diag_state(_local: SocketAddr, _remote: SocketAddr) -> io::Result<Option<TcpState>> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
}

/// No system call of its own (it reads a file): the state of the connection
/// `local` ↔ `remote` in `/proc/net/tcp` (IPv4) or `/proc/net/tcp6` (IPv6,
/// IPv4-mapped addresses included). `None` when it is not listed, or the file
/// cannot be read (not Linux).
///
/// It is read a line at a time and the reading stops at the connection's
/// line, so a lookup never holds the whole file in memory.
///
/// ```
/// use socket_lifecycle::{kernel::proc_state, Socket, TcpState};
///
/// let listener = Socket::tcp_v4("servidor")?.bind("127.0.0.1:0".parse().unwrap())?.listen(5)?;
/// let client = Socket::tcp_v4("cliente")?.connect(listener.local_addr().unwrap())?;
/// let (conn, peer) = listener.accept()?;
/// let local = conn.local_addr().unwrap();
/// conn.close()?;                      // the server closes first…
/// client.recv(&mut [0u8; 8])?;        // …the client reads the end of the stream…
/// client.close()?;                    // …and closes too
/// if cfg!(target_os = "linux") {
///     assert_eq!(proc_state(local, peer), Some(TcpState::TimeWait));
/// }
/// # Ok::<(), socket_lifecycle::Error>(())
/// ```
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
///
/// ```
/// use socket_lifecycle::kernel::parse_proc_net_tcp;
///
/// let text = "  sl  local_address rem_address   st
///    0: 0100007F:22B8 0100007F:D431 06 00000000:00000000";
/// let entries = parse_proc_net_tcp(text);
/// assert_eq!(entries.len(), 1); // the header is skipped
/// assert_eq!(entries[0].remote.port(), 54321);
/// ```
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

/// No system call of its own (it reads `/proc/net/netstat`): how many times,
/// since boot, a listening socket's accept queue was full when a handshake
/// completed, so the kernel dropped it (`TcpExt: ListenOverflows`, also in
/// `nstat -az TcpExtListenOverflows`). The counter is for the whole machine.
/// `None` where the file cannot be read (not Linux).
pub fn listen_overflows() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/net/netstat").ok()?;
    netstat_counter(&text, "TcpExt:", "ListenOverflows")
}

/// A counter from `/proc/net/netstat`'s text: a line of names after
/// `section`, then a line of values after it, in the same order.
fn netstat_counter(text: &str, section: &str, name: &str) -> Option<u64> {
    let mut lines = text.lines().filter(|line| line.starts_with(section));
    while let (Some(names), Some(values)) = (lines.next(), lines.next()) {
        let position = names.split_whitespace().position(|n| n == name);
        if let Some(i) = position {
            return values.split_whitespace().nth(i)?.parse().ok();
        }
    }
    None
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
    fn netstat_counters_are_read_by_name() {
        let text = "TcpExt: SyncookiesSent ListenOverflows ListenDrops\nTcpExt: 0 134 135\nIpExt: InNoRoutes\nIpExt: 7\n";
        assert_eq!(
            netstat_counter(text, "TcpExt:", "ListenOverflows"),
            Some(134)
        );
        assert_eq!(netstat_counter(text, "TcpExt:", "Nope"), None);
        assert_eq!(
            netstat_counter("TcpExt: ListenOverflows\n", "TcpExt:", "ListenOverflows"),
            None
        );
    }

    #[test]
    fn errno_names_match_strace() {
        assert_eq!(errno_name(libc::ECONNREFUSED), Some("ECONNREFUSED"));
        assert_eq!(errno_name(libc::EADDRINUSE), Some("EADDRINUSE"));
        assert_eq!(errno_name(-1), None);
    }
}
