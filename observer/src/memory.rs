//! Reading the child's memory with `process_vm_readv`: the bytes a call
//! sent or received, the addresses and structures it pointed at. Only
//! reads: the observer never writes into the child's memory. A read that
//! fails (an address the program never mapped) gives `None`, never a
//! crash, and the event is made with what could be read.

use std::io::IoSliceMut;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};

use nix::sys::uio::{RemoteIoVec, process_vm_readv};
use nix::unistd::Pid;

/// The most bytes of one buffer kept for an event (strace's `-s 32`).
pub use socket_lifecycle::event::DATA_PREVIEW;

/// The most buffers of one `iovec` array read.
const MAX_IOVECS: usize = 64;

/// `len` bytes at `addr` in `pid`'s memory; `None` if they cannot be read
/// (a NULL or unmapped address).
pub fn bytes(pid: Pid, addr: u64, len: usize) -> Option<Vec<u8>> {
    if len == 0 {
        return Some(Vec::new());
    }
    if addr == 0 {
        return None;
    }
    let mut buf = vec![0u8; len];
    let remote = [RemoteIoVec {
        base: usize::try_from(addr).ok()?,
        len,
    }];
    let n = process_vm_readv(pid, &mut [IoSliceMut::new(&mut buf)], &remote).ok()?;
    buf.truncate(n);
    (n == len).then_some(buf)
}

/// The first [`DATA_PREVIEW`] bytes of a buffer of `len` bytes at `addr`
/// (empty when they cannot be read).
pub fn preview(pid: Pid, addr: u64, len: usize) -> Vec<u8> {
    bytes(pid, addr, len.min(DATA_PREVIEW)).unwrap_or_default()
}

/// A native-endian `u32` (a `socklen_t`, an `int`) at `addr`.
pub fn u32_at(pid: Pid, addr: u64) -> Option<u32> {
    let b = bytes(pid, addr, 4)?;
    Some(u32::from_ne_bytes([b[0], b[1], b[2], b[3]]))
}

/// A native-endian `i32` at `addr`.
pub fn i32_at(pid: Pid, addr: u64) -> Option<i32> {
    u32_at(pid, addr).map(|v| v as i32)
}

/// A native-endian `u64` at `addr`.
pub fn u64_at(pid: Pid, addr: u64) -> Option<u64> {
    let b = bytes(pid, addr, 8)?;
    let mut word = [0u8; 8];
    word.copy_from_slice(&b);
    Some(u64::from_ne_bytes(word))
}

/// A `struct sockaddr` of `len` bytes at `addr`, when it is an IPv4 or
/// IPv6 address (`sockaddr_in`, `sockaddr_in6`).
pub fn sockaddr(pid: Pid, addr: u64, len: u32) -> Option<SocketAddr> {
    let len = usize::try_from(len).ok()?.min(128);
    let b = bytes(pid, addr, len.min(28))?;
    let family = u16::from_ne_bytes([*b.first()?, *b.get(1)?]);
    let port = u16::from_be_bytes([*b.get(2)?, *b.get(3)?]);
    match i32::from(family) {
        libc::AF_INET if b.len() >= 8 => {
            let ip = Ipv4Addr::new(b[4], b[5], b[6], b[7]);
            Some(SocketAddr::V4(SocketAddrV4::new(ip, port)))
        }
        libc::AF_INET6 if b.len() >= 28 => {
            let flowinfo = u32::from_be_bytes([b[4], b[5], b[6], b[7]]);
            let mut octets = [0u8; 16];
            octets.copy_from_slice(&b[8..24]);
            let scope = u32::from_ne_bytes([b[24], b[25], b[26], b[27]]);
            let ip = Ipv6Addr::from(octets);
            Some(SocketAddr::V6(SocketAddrV6::new(ip, port, flowinfo, scope)))
        }
        _ => None,
    }
}

/// One `struct iovec`: where a buffer is and how long.
#[derive(Debug, Clone, Copy)]
pub struct IoVec {
    pub base: u64,
    pub len: usize,
}

/// The `struct iovec` array of `count` entries at `addr` (at most
/// [`MAX_IOVECS`]).
pub fn iovecs(pid: Pid, addr: u64, count: u64) -> Vec<IoVec> {
    let count = usize::try_from(count).unwrap_or(0).min(MAX_IOVECS);
    let Some(raw) = bytes(pid, addr, count * 16) else {
        return Vec::new();
    };
    raw.chunks_exact(16)
        .map(|entry| {
            let word = |at: usize| {
                let mut w = [0u8; 8];
                w.copy_from_slice(&entry[at..at + 8]);
                u64::from_ne_bytes(w)
            };
            IoVec {
                base: word(0),
                len: usize::try_from(word(8)).unwrap_or(usize::MAX),
            }
        })
        .collect()
}

/// The parts of a `struct msghdr` at `addr` that the observer reads: its
/// buffers and flags (an address or control data, as a `sendmsg` on an
/// unconnected UDP socket or a descriptor passed over it carry, is not read).
#[derive(Debug, Clone, Copy, Default)]
pub struct MsgHdr {
    pub iov: u64,
    pub iovlen: u64,
    pub flags: i32,
}

/// The `struct msghdr` at `addr` (64-bit layout: name, namelen, iov,
/// iovlen, control, controllen, flags).
pub fn msghdr(pid: Pid, addr: u64) -> Option<MsgHdr> {
    let b = bytes(pid, addr, 56)?;
    let word = |at: usize| {
        let mut w = [0u8; 8];
        w.copy_from_slice(&b[at..at + 8]);
        u64::from_ne_bytes(w)
    };
    Some(MsgHdr {
        iov: word(16),
        iovlen: word(24),
        flags: i32::from_ne_bytes([b[48], b[49], b[50], b[51]]),
    })
}

/// The `struct pollfd` array of `count` entries at `addr` (at most
/// [`MAX_IOVECS`]): each descriptor with its `events` and `revents`.
pub fn pollfds(pid: Pid, addr: u64, count: u64) -> Vec<(i32, i16, i16)> {
    let count = usize::try_from(count).unwrap_or(0).min(MAX_IOVECS);
    let Some(raw) = bytes(pid, addr, count * 8) else {
        return Vec::new();
    };
    raw.chunks_exact(8)
        .map(|e| {
            let fd = i32::from_ne_bytes([e[0], e[1], e[2], e[3]]);
            (
                fd,
                i16::from_ne_bytes([e[4], e[5]]),
                i16::from_ne_bytes([e[6], e[7]]),
            )
        })
        .collect()
}

/// The descriptors set in the `fd_set` at `addr`, below `nfds` (none for
/// a NULL set).
pub fn fd_set(pid: Pid, addr: u64, nfds: i32) -> Vec<i32> {
    let nfds = nfds.clamp(0, 1024);
    let len = usize::try_from(nfds).unwrap_or(0).div_ceil(64) * 8;
    let Some(raw) = bytes(pid, addr, len) else {
        return Vec::new();
    };
    (0..nfds)
        .filter(|fd| {
            let (byte, bit) = (*fd as usize / 8, fd % 8);
            raw.get(byte).is_some_and(|b| b >> bit & 1 == 1)
        })
        .collect()
}

/// A `struct timespec` (`unit` 1: nanoseconds) or `struct timeval`
/// (`unit` 1000: microseconds) at `addr`; `None` for NULL, no limit.
pub fn timespec(pid: Pid, addr: u64, unit: u64) -> Option<std::time::Duration> {
    let secs = u64_at(pid, addr)?;
    let fraction = u64_at(pid, addr + 8)?;
    Some(
        std::time::Duration::from_secs(secs)
            + std::time::Duration::from_nanos(fraction.saturating_mul(unit)),
    )
}

/// The program's command line, from `/proc/PID/cmdline`.
pub fn cmdline(pid: Pid) -> Vec<String> {
    std::fs::read(format!("/proc/{pid}/cmdline"))
        .map(|raw| {
            raw.split(|b| *b == 0)
                .filter(|part| !part.is_empty())
                .map(|part| String::from_utf8_lossy(part).into_owned())
                .collect()
        })
        .unwrap_or_default()
}
