//! [`Rules`]: how a system names and does the few things a narration
//! mentions, where it differs from Linux — so that the words say what is
//! true on the system the program runs on.

/// How one system names and does what the narration, the hints and the
/// calls' results depend on: `LINUX_RULES`, `BSD_RULES` (macOS and
/// FreeBSD), `WINDOWS_RULES`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Rules {
    /// The call that makes a socket.
    pub(crate) socket: &'static str,
    /// The call that closes one.
    pub(crate) close: &'static str,
    /// The names of `shutdown`'s directions: read, write, both.
    pub(crate) shut: [&'static str; 3],
    /// The error a blocking read whose time limit (`SO_RCVTIMEO`) runs out
    /// fails with.
    pub(crate) timeout: &'static str,
    /// The error a call on a connection the peer reset fails with.
    pub(crate) reset: &'static str,
    /// `SO_REUSEADDR` lets `bind` take a port that a live socket holds —
    /// even another server's — not only one held in `TIME_WAIT`.
    pub(crate) reuse_shares_live_ports: bool,
    /// Ports below 1024 need privileges; where they do not, a refused port
    /// is one the system reserved or another socket holds exclusively.
    pub(crate) privileged_ports: bool,
    /// `shutdown` on an unconnected UDP socket answers `ENOTCONN` yet shuts
    /// it and wakes a blocked `recvfrom` (Linux); elsewhere that answer is
    /// taken at its word.
    pub(crate) unconnected_udp_shutdown_wakes: bool,
}

/// Linux.
#[cfg(any(unix, test))]
pub(crate) const LINUX_RULES: Rules = Rules {
    socket: "socket",
    close: "close",
    shut: ["SHUT_RD", "SHUT_WR", "SHUT_RDWR"],
    timeout: "EAGAIN",
    reset: "ECONNRESET",
    reuse_shares_live_ports: false,
    privileged_ports: true,
    unconnected_udp_shutdown_wakes: true,
};

/// macOS and FreeBSD: Linux's names; whether an unconnected UDP socket's
/// `shutdown` wakes a `recvfrom` despite its `ENOTCONN` is not taken for
/// granted.
#[cfg(any(target_vendor = "apple", target_os = "freebsd"))]
pub(crate) const BSD_RULES: Rules = Rules {
    unconnected_udp_shutdown_wakes: false,
    ..LINUX_RULES
};

/// Windows: Winsock's names; `SO_REUSEADDR` may take a port a live socket
/// holds (`SO_EXCLUSIVEADDRUSE` on that socket forbids it); no port needs
/// privileges, but the system reserves some.
#[cfg(any(windows, test))]
pub(crate) const WINDOWS_RULES: Rules = Rules {
    socket: "WSASocketW",
    close: "closesocket",
    shut: ["SD_RECEIVE", "SD_SEND", "SD_BOTH"],
    timeout: "WSAETIMEDOUT",
    reset: "WSAECONNRESET",
    reuse_shares_live_ports: true,
    privileged_ports: false,
    unconnected_udp_shutdown_wakes: false,
};
