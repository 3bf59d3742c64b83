//! The kernel's text files about TCP: `/proc/net/tcp` and `/proc/net/tcp6`
//! (every connection, one line each; the fallback when netlink cannot be
//! asked) and the counters of `/proc/net/netstat`.

use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use super::tcp_state::{Lingering, TcpState};

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

/// No system call of its own (it reads a file): the state of the connection
/// `local` ↔ `remote` in `/proc/net/tcp` (IPv4) or `/proc/net/tcp6` (IPv6,
/// IPv4-mapped addresses included): [`Lingering::Gone`] when it is not
/// listed, [`Lingering::Unknown`] when the file cannot be read (not Linux).
///
/// It is read a line at a time and the reading stops at the connection's
/// line, so a lookup never holds the whole file in memory.
///
/// ```
/// use socket_lifecycle::kernel::{proc_state, Lingering};
/// use socket_lifecycle::{Socket, TcpState};
///
/// let listener = Socket::tcp_v4("servidor")?.bind("127.0.0.1:0".parse().unwrap())?.listen(5)?;
/// let client = Socket::tcp_v4("cliente")?.connect(listener.local_addr().unwrap())?;
/// let (conn, peer) = listener.accept()?;
/// let local = conn.local_addr().unwrap();
/// conn.close()?;                      // the server closes first…
/// client.recv(&mut [0u8; 8])?;        // …the client reads the end of the stream…
/// client.close()?;                    // …and closes too
/// if cfg!(target_os = "linux") {
///     assert_eq!(proc_state(local, peer), Lingering::Holds(TcpState::TimeWait));
/// }
/// # Ok::<(), socket_lifecycle::Error>(())
/// ```
pub fn proc_state(local: SocketAddr, remote: SocketAddr) -> Lingering {
    let path = if local.is_ipv4() {
        "/proc/net/tcp"
    } else {
        "/proc/net/tcp6"
    };
    let Ok(file) = std::fs::File::open(path) else {
        return Lingering::Unknown;
    };
    let mut file = io::BufReader::new(file);
    let mut line = String::new();
    loop {
        line.clear();
        match io::BufRead::read_line(&mut file, &mut line) {
            Ok(0) | Err(_) => return Lingering::Gone,
            Ok(_) => {}
        }
        let found = parse_proc_line(&line).filter(|entry| {
            same_endpoint(entry.local, local) && same_endpoint(entry.remote, remote)
        });
        if let Some(entry) = found {
            return Lingering::Holds(entry.state);
        }
    }
}

/// Two endpoints are the same if ports match and addresses match, an
/// IPv4-mapped IPv6 address (`::ffff:127.0.0.1`) being equal to its IPv4 form.
pub(crate) fn same_endpoint(a: SocketAddr, b: SocketAddr) -> bool {
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
    fn garbage_lines_are_left_out() {
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
}
