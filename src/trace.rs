//! Trace events, the tracer that emits them and the recorder that keeps them.
//!
//! An [`Event`] holds the facts of one system call: which socket, the call and
//! its arguments, the kernel's answer, the typestate before and after, and the
//! TCP state read from the kernel afterwards. Words come last: the strace line
//! ([`Event::strace`]), the narration ([`Event::narration`]) and the redacted
//! form used by snapshot tests ([`Recorder::render_redacted`]) are renderings
//! of the same event.
//!
//! Every event goes to the [`log`] facade (target `socket_lifecycle`; `info`:
//! the narrated step with its call, `debug`: the remaining facts). The library
//! never installs a logger. When a [`Recorder`] is attached, the event is also
//! kept there, and sockets accepted by a recorded listener are recorded too.
//!
//! ```
//! use socket_lifecycle::{Lang, Recorder, Socket};
//!
//! let recorder = Recorder::new();
//! let socket = Socket::tcp_v4(recorder.tracer("cliente"))?;
//! let event = &recorder.events()[0];
//! assert_eq!(event.call.name(), "socket");
//! assert!(event.line(Lang::En).contains("socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_TCP)"));
//! # Ok::<(), socket_lifecycle::Error>(())
//! ```

use std::collections::{HashMap, VecDeque};
use std::fmt::Write as _;
use std::net::{Shutdown, SocketAddr};
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use crate::kernel::{TcpInfo, TcpState, errno_name};
use crate::narration::{self, Lang};

/// The typestate of a socket, as a value: the runtime mirror of the marker
/// types in [`crate::lifecycle`], for printing.
///
/// ```
/// use socket_lifecycle::{Socket, StateName};
///
/// let socket = Socket::tcp_v4("cliente")?;
/// assert_eq!(socket.state(), StateName::Created);
/// # Ok::<(), socket_lifecycle::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StateName {
    /// After `socket()`: [`crate::Created`].
    Created,
    /// After `bind()`: [`crate::Bound`].
    Bound,
    /// After `listen()`: [`crate::Listening`].
    Listening,
    /// After `connect()` or `accept()`: [`crate::Connected`].
    Connected,
    /// After `close()`: the descriptor is gone.
    Closed,
}

impl StateName {
    /// No system call: the name as the trace prints it.
    ///
    /// ```
    /// assert_eq!(socket_lifecycle::StateName::Listening.as_str(), "Listening");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            StateName::Created => "Created",
            StateName::Bound => "Bound",
            StateName::Listening => "Listening",
            StateName::Connected => "Connected",
            StateName::Closed => "Closed",
        }
    }
}

/// The address family of a socket.
///
/// ```
/// use socket_lifecycle::trace::Family;
///
/// assert_eq!(Family::of(&"[::1]:8888".parse().unwrap()), Family::V6);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// IPv4, `AF_INET`.
    V4,
    /// IPv6, `AF_INET6`.
    V6,
}

impl Family {
    /// No system call: the family an address belongs to.
    ///
    /// ```
    /// use socket_lifecycle::trace::Family;
    ///
    /// assert_eq!(Family::of(&"127.0.0.1:8888".parse().unwrap()), Family::V4);
    /// ```
    pub fn of(addr: &SocketAddr) -> Family {
        if addr.is_ipv4() {
            Family::V4
        } else {
            Family::V6
        }
    }
}

/// The transport a socket speaks: the `type` and `protocol` arguments of
/// `socket()`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Transport {
    /// TCP: `SOCK_STREAM`, `IPPROTO_TCP` — a connection, a byte stream.
    #[default]
    Tcp,
    /// UDP: `SOCK_DGRAM`, `IPPROTO_UDP` — no connection, one datagram at a time.
    Udp,
}

impl Transport {
    /// No system call: the `type` and `protocol` arguments of `socket()` as
    /// strace prints them, e.g. `SOCK_DGRAM|SOCK_CLOEXEC, IPPROTO_UDP`.
    pub fn strace_args(self) -> &'static str {
        match self {
            Transport::Tcp => "SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_TCP",
            Transport::Udp => "SOCK_DGRAM|SOCK_CLOEXEC, IPPROTO_UDP",
        }
    }
}

/// At most this many bytes of sent or received data are kept in an event,
/// the same as strace shows by default (`-s 32`).
///
/// ```
/// use socket_lifecycle::trace::{Call, DATA_PREVIEW};
/// # use socket_lifecycle::{Recorder, Socket};
/// # let listener = Socket::tcp_v4("servidor")?.bind("127.0.0.1:0".parse().unwrap())?.listen(5)?;
/// let recorder = Recorder::new();
/// let client = Socket::tcp_v4(recorder.tracer("cliente"))?.connect(listener.local_addr().unwrap())?;
/// client.send_all(&[b'x'; 100])?;
/// let send = recorder.events().into_iter().find(|e| e.call.name() == "sendto").unwrap();
/// assert!(matches!(send.call, Call::Send { data, len: 100 } if data.len() == DATA_PREVIEW));
/// # Ok::<(), socket_lifecycle::Error>(())
/// ```
pub const DATA_PREVIEW: usize = 32;

/// A system call and the arguments that matter, as the program made it.
///
/// ```
/// use socket_lifecycle::trace::Call;
/// use socket_lifecycle::{Recorder, Socket};
///
/// let recorder = Recorder::new();
/// Socket::tcp_v4(recorder.tracer("servidor"))?.bind("127.0.0.1:0".parse().unwrap())?;
/// let calls: Vec<Call> = recorder.events().into_iter().map(|e| e.call).collect();
/// assert!(matches!(calls[1], Call::Bind { addr } if addr.port() == 0));
/// # Ok::<(), socket_lifecycle::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Call {
    /// `socket(AF_INET|AF_INET6, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_TCP)`, or
    /// `SOCK_DGRAM|SOCK_CLOEXEC, IPPROTO_UDP` for UDP.
    Socket {
        /// The address family asked for.
        family: Family,
        /// The transport asked for (the socket type and protocol).
        transport: Transport,
    },
    /// `setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, [on], 4)`.
    ReuseAddress {
        /// Whether the option was switched on.
        on: bool,
    },
    /// `setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, …)`: a limit on blocking reads.
    ReadTimeout {
        /// The limit; `None` blocks forever.
        timeout: Option<Duration>,
    },
    /// `bind(fd, addr, len)`.
    Bind {
        /// The address asked for (port 0: the kernel picks one).
        addr: SocketAddr,
    },
    /// `listen(fd, backlog)`.
    Listen {
        /// The backlog asked for.
        backlog: i32,
    },
    /// `accept4(fd, …, SOCK_CLOEXEC)`.
    Accept {
        /// The peer's address, when a connection was accepted.
        peer: Option<SocketAddr>,
        /// The label given to the accepted socket (`servidor#1`).
        child: Option<Arc<str>>,
    },
    /// `connect(fd, addr, len)`.
    Connect {
        /// The address connected to.
        addr: SocketAddr,
    },
    /// `sendto(fd, data, len, MSG_NOSIGNAL, NULL, 0)`.
    Send {
        /// The first [`DATA_PREVIEW`] bytes offered.
        data: Vec<u8>,
        /// How many bytes were offered.
        len: usize,
    },
    /// `recvfrom(fd, buf, capacity, 0, NULL, NULL)`.
    Recv {
        /// The first [`DATA_PREVIEW`] bytes received.
        data: Vec<u8>,
        /// The size of the buffer offered to the kernel.
        capacity: usize,
    },
    /// `sendto(fd, data, len, MSG_NOSIGNAL, addr, addrlen)`: one UDP datagram,
    /// to `to`, or to the connected peer (`NULL, 0`) when `to` is `None`.
    SendTo {
        /// The first [`DATA_PREVIEW`] bytes offered.
        data: Vec<u8>,
        /// How many bytes were offered: the datagram's size.
        len: usize,
        /// The destination given to the call; `None`: the connected peer.
        to: Option<SocketAddr>,
    },
    /// `recvfrom(fd, buf, capacity, MSG_TRUNC, &addr, [128 => len])`: one UDP
    /// datagram and its sender. With `MSG_TRUNC` (Linux) the call returns the
    /// datagram's real size even when the buffer held less.
    RecvFrom {
        /// The first [`DATA_PREVIEW`] bytes kept in the buffer.
        data: Vec<u8>,
        /// The size of the buffer offered to the kernel.
        capacity: usize,
        /// The sender, as the kernel filled it in; `None` when it filled in
        /// no address (the call failed, or a `shutdown` woke it up).
        from: Option<SocketAddr>,
        /// Whether `MSG_TRUNC` was passed (where the kernel supports it).
        msg_trunc: bool,
    },
    /// `shutdown(fd, SHUT_RD|SHUT_WR|SHUT_RDWR)`.
    Shutdown {
        /// Which direction was shut.
        how: Shutdown,
    },
    /// `close(fd)`.
    Close,
    /// Not a call on the socket: the kernel asked (over sock_diag, or in
    /// `/proc/net/tcp`) what it still holds of a closed
    /// socket's connection, to see what the kernel still holds of it.
    KernelLookup,
}

impl Call {
    /// No system call: the name of the call, as strace prints it.
    ///
    /// ```
    /// use socket_lifecycle::trace::Call;
    ///
    /// assert_eq!(Call::Listen { backlog: 5 }.name(), "listen");
    /// assert_eq!(Call::Recv { data: Vec::new(), capacity: 1024 }.name(), "recvfrom");
    /// ```
    pub fn name(&self) -> &'static str {
        match self {
            Call::Socket { .. } => "socket",
            Call::ReuseAddress { .. } | Call::ReadTimeout { .. } => "setsockopt",
            Call::Bind { .. } => "bind",
            Call::Listen { .. } => "listen",
            Call::Accept { .. } => "accept4",
            Call::Connect { .. } => "connect",
            Call::Send { .. } | Call::SendTo { .. } => "sendto",
            Call::Recv { .. } | Call::RecvFrom { .. } => "recvfrom",
            Call::Shutdown { .. } => "shutdown",
            Call::Close => "close",
            Call::KernelLookup => "kernel lookup",
        }
    }
}

/// The kernel's answer to a call: a return value, or `-1` and an errno.
///
/// ```
/// use socket_lifecycle::trace::Outcome;
/// use socket_lifecycle::{Recorder, Socket};
///
/// let recorder = Recorder::new();
/// # let holder = Socket::tcp_v4("sem-escuta")?.bind("127.0.0.1:0".parse().unwrap())?;
/// let refused = Socket::tcp_v4(recorder.tracer("cliente"))?.connect(holder.local_addr().unwrap());
/// assert!(refused.is_err());
/// let connect = &recorder.events()[1];
/// assert_eq!(connect.outcome, Outcome::Failed(libc::ECONNREFUSED));
/// # Ok::<(), socket_lifecycle::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The call succeeded and returned this value (an fd, a byte count, 0).
    Returned(i64),
    /// The call failed with this errno.
    Failed(i32),
}

/// One step of a socket's life: one system call and what followed from it.
///
/// ```
/// use socket_lifecycle::{Recorder, Socket, StateName};
///
/// let recorder = Recorder::new();
/// Socket::tcp_v4(recorder.tracer("servidor"))?.bind("127.0.0.1:0".parse().unwrap())?;
/// let bind = &recorder.events()[1];
/// assert_eq!(&*bind.socket, "servidor");
/// assert_eq!((bind.before, bind.after), (Some(StateName::Created), StateName::Bound));
/// assert_eq!(bind.local.unwrap().ip().to_string(), "127.0.0.1");
/// # Ok::<(), socket_lifecycle::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Event {
    /// A number that orders all events of the process.
    pub seq: u64,
    /// The thread that made the call (its name, or its id).
    pub thread: Arc<str>,
    /// The socket's label, e.g. `servidor`, `servidor#1`, `cliente`.
    pub socket: Arc<str>,
    /// The socket's transport: TCP or UDP.
    pub transport: Transport,
    /// The socket's file descriptor; `None` before `socket()` returned one.
    pub fd: Option<i32>,
    /// The call and its arguments.
    pub call: Call,
    /// What the kernel answered.
    pub outcome: Outcome,
    /// The typestate before the call; `None` for `socket()`.
    pub before: Option<StateName>,
    /// The typestate after the call.
    pub after: StateName,
    /// What `TCP_INFO` said right after the call; `None` where it cannot be
    /// read (not Linux, a closed socket) and after a send or recv that moved
    /// bytes, which never changes the state (it is read when recv returns 0
    /// or a call fails).
    pub tcp: Option<TcpInfo>,
    /// After `accept4()`: the TCP state of the accepted connection.
    pub accepted_tcp: Option<TcpState>,
    /// After `close()`: the state the kernel still holds for the
    /// connection; `None` when the kernel has forgotten it or was not asked.
    pub lingering: Option<TcpState>,
    /// The socket's local address after the call, when it has one.
    pub local: Option<SocketAddr>,
    /// The socket's peer address after the call, when connected.
    pub peer: Option<SocketAddr>,
    /// Whether the kernel chose the local port in this call (a bind to port
    /// 0, or a connect from an unbound socket): an ephemeral port.
    pub ephemeral_port: bool,
}

impl Event {
    /// No system call: the call as strace renders it, e.g.
    /// `listen(3, 5) = 0` or `connect(3, {…}, 16) = -1 ECONNREFUSED (Connection refused)`.
    ///
    /// ```
    /// # use socket_lifecycle::{Recorder, Socket};
    /// let recorder = Recorder::new();
    /// Socket::tcp_v4(recorder.tracer("servidor"))?.bind("127.0.0.1:0".parse().unwrap())?.listen(5)?;
    /// let listen = &recorder.events()[2];
    /// assert_eq!(listen.strace(), format!("listen({}, 5) = 0", listen.fd.unwrap()));
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn strace(&self) -> String {
        self.strace_with(&Redaction::none())
    }

    /// No system call: a one-line narration of the step in `lang`.
    ///
    /// ```
    /// # use socket_lifecycle::{Lang, Recorder, Socket};
    /// let recorder = Recorder::new();
    /// Socket::tcp_v4(recorder.tracer("cliente"))?;
    /// let socket = &recorder.events()[0];
    /// assert!(socket.narration(Lang::Pt).starts_with("socket(): um novo ponto"));
    /// assert!(socket.narration(Lang::En).starts_with("socket(): a new TCP endpoint"));
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn narration(&self, lang: Lang) -> String {
        narration::narrate(self, lang, &Redaction::none())
    }

    /// No system call: the whole trace line: socket, transition, call,
    /// kernel state and narration.
    ///
    /// ```
    /// # use socket_lifecycle::{Lang, Recorder, Socket};
    /// let recorder = Recorder::new();
    /// Socket::tcp_v4(recorder.tracer("cliente"))?;
    /// let line = recorder.events()[0].line(Lang::En);
    /// assert!(line.starts_with("[cliente] - → Created: socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_TCP) = "));
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn line(&self, lang: Lang) -> String {
        self.line_with(lang, &Redaction::none())
    }

    fn line_with(&self, lang: Lang, redaction: &Redaction) -> String {
        let before = self.before.map_or("-", StateName::as_str);
        let mut line = format!(
            "[{}] {before} → {}: {}",
            self.socket,
            self.after.as_str(),
            self.strace_with(redaction)
        );
        if let Some(kernel) = self.kernel_state(redaction) {
            let _ = write!(line, "  [{kernel}]");
        }
        let _ = write!(line, "\n    {}", narration::narrate(self, lang, redaction));
        line
    }

    /// The kernel state this event shows: TCP_INFO's while the socket is
    /// open, the kernel's lookup after close (`gone` when it has forgotten it).
    fn kernel_state(&self, redaction: &Redaction) -> Option<String> {
        if self.transport == Transport::Udp {
            // UDP has no connection, hence no connection state to show.
            return None;
        }
        if matches!(self.call, Call::Close | Call::KernelLookup) {
            if self.local.is_none() || self.peer.is_none() {
                return None;
            }
            return Some(format!("kernel: {}", redaction.after_close(self.lingering)));
        }
        let info = self.tcp?;
        let state = redaction.state(info.state);
        let mut text = match (info.accept_queue, info.accept_queue_limit) {
            (Some(queue), Some(limit)) => format!("{state}, accept queue {queue}/{limit}"),
            _ => state,
        };
        if let (
            Call::Accept {
                child: Some(child), ..
            },
            Some(state),
        ) = (&self.call, self.accepted_tcp)
        {
            let _ = write!(text, "; {child} {state}");
        }
        Some(text)
    }

    fn strace_with(&self, r: &Redaction) -> String {
        let fd = || r.fd(self.fd, &self.socket);
        let call = match &self.call {
            Call::Socket { family, transport } => format!(
                "socket({}, {})",
                match family {
                    Family::V4 => "AF_INET",
                    Family::V6 => "AF_INET6",
                },
                transport.strace_args()
            ),
            Call::ReuseAddress { on } => {
                format!(
                    "setsockopt({}, SOL_SOCKET, SO_REUSEADDR, [{}], 4)",
                    fd(),
                    u8::from(*on)
                )
            }
            Call::ReadTimeout { timeout } => {
                let value = timeval_bytes(timeout.unwrap_or_default());
                format!(
                    "setsockopt({}, SOL_SOCKET, SO_RCVTIMEO_OLD, {}, {})",
                    fd(),
                    strace_bytes(&value, value.len()),
                    value.len()
                )
            }
            Call::Bind { addr } => format!(
                "bind({}, {}, {})",
                fd(),
                strace_sockaddr(addr, r),
                sockaddr_len(addr)
            ),
            Call::Listen { backlog } => format!("listen({}, {backlog})", fd()),
            Call::Accept { peer, .. } => match peer {
                Some(peer) => format!(
                    "accept4({}, {}, [128 => {}], SOCK_CLOEXEC)",
                    fd(),
                    strace_sockaddr(peer, r),
                    sockaddr_len(peer)
                ),
                None => format!("accept4({}, <unfilled>, [128], SOCK_CLOEXEC)", fd()),
            },
            Call::Connect { addr } => format!(
                "connect({}, {}, {})",
                fd(),
                strace_sockaddr(addr, r),
                sockaddr_len(addr)
            ),
            Call::Send { data, len } => format!(
                "sendto({}, {}, {len}, MSG_NOSIGNAL, NULL, 0)",
                fd(),
                strace_bytes(data, *len)
            ),
            Call::Recv { data, capacity } => {
                let shown = match self.outcome {
                    Outcome::Returned(n) => strace_bytes(data, usize::try_from(n).unwrap_or(0)),
                    Outcome::Failed(_) => "<unfilled>".to_string(),
                };
                format!("recvfrom({}, {shown}, {capacity}, 0, NULL, NULL)", fd())
            }
            Call::SendTo { data, len, to } => format!(
                "sendto({}, {}, {len}, MSG_NOSIGNAL, {})",
                fd(),
                strace_bytes(data, *len),
                match to {
                    Some(to) => format!("{}, {}", strace_sockaddr(to, r), sockaddr_len(to)),
                    None => "NULL, 0".to_string(),
                }
            ),
            Call::RecvFrom {
                data,
                capacity,
                from,
                msg_trunc,
            } => {
                // strace shows what the buffer holds: at most its capacity,
                // even when MSG_TRUNC returned a larger, real size.
                let shown = match self.outcome {
                    Outcome::Returned(n) => {
                        let kept = usize::try_from(n).unwrap_or(0).min(*capacity);
                        strace_bytes(data, kept)
                    }
                    Outcome::Failed(_) => "<unfilled>".to_string(),
                };
                let flags = if *msg_trunc { "MSG_TRUNC" } else { "0" };
                // socket2 offers a whole sockaddr_storage (128 bytes); the
                // kernel says how much of it the sender's address took.
                let (addr, len) = match (from, self.outcome) {
                    (Some(from), _) => (
                        strace_sockaddr(from, r),
                        format!("[128 => {}]", sockaddr_len(from)),
                    ),
                    (None, Outcome::Returned(_)) => ("<unfilled>".to_string(), "[128 => 0]".into()),
                    (None, Outcome::Failed(_)) => ("<unfilled>".to_string(), "[128]".into()),
                };
                format!(
                    "recvfrom({}, {shown}, {capacity}, {flags}, {addr}, {len})",
                    fd()
                )
            }
            Call::Shutdown { how } => format!(
                "shutdown({}, {})",
                fd(),
                match how {
                    Shutdown::Read => "SHUT_RD",
                    Shutdown::Write => "SHUT_WR",
                    Shutdown::Both => "SHUT_RDWR",
                }
            ),
            Call::Close => format!("close({})", fd()),
            Call::KernelLookup => {
                return match (self.local, self.peer) {
                    (Some(local), Some(peer)) => {
                        format!("# kernel lookup: {} → {}", r.addr(&local), r.addr(&peer))
                    }
                    _ => "# kernel lookup: no connection to look up".to_string(),
                };
            }
        };
        let result = match self.outcome {
            Outcome::Returned(value) => match (&self.call, self.fd) {
                (Call::Socket { .. }, _) => r.fd(Some(value as i32), &self.socket),
                (
                    Call::Accept {
                        child: Some(child), ..
                    },
                    _,
                ) => r.fd(Some(value as i32), child),
                _ => value.to_string(),
            },
            Outcome::Failed(errno) => strace_errno(errno),
        };
        format!("{call} = {result}")
    }
}

/// `-1 ECONNREFUSED (Connection refused)`, as strace prints a failure.
fn strace_errno(errno: i32) -> String {
    let text = std::io::Error::from_raw_os_error(errno).to_string();
    let text = text.split(" (os error").next().unwrap_or_default();
    match errno_name(errno) {
        Some(name) => format!("-1 {name} ({text})"),
        None => format!("-1 errno {errno} ({text})"),
    }
}

/// The size of the C socket address structure strace prints after it.
fn sockaddr_len(addr: &SocketAddr) -> usize {
    match addr {
        SocketAddr::V4(_) => 16,
        SocketAddr::V6(_) => 28,
    }
}

/// The bytes of the `struct timeval` given to `SO_RCVTIMEO`: strace 6.1
/// prints them as a string (it does not decode this option), e.g.
/// `"\2\0\0\0\0\0\0\0 \241\7\0\0\0\0\0"` for 2.5 s on x86_64 Linux.
fn timeval_bytes(d: Duration) -> Vec<u8> {
    let secs = libc::time_t::try_from(d.as_secs()).unwrap_or(libc::time_t::MAX);
    // Below 1_000_000: fits every platform's suseconds_t.
    let micros = d.subsec_micros() as libc::suseconds_t;
    let mut bytes = secs.to_ne_bytes().to_vec();
    bytes.extend_from_slice(&micros.to_ne_bytes());
    bytes
}

/// A socket address the way strace decodes a `struct sockaddr`.
fn strace_sockaddr(addr: &SocketAddr, r: &Redaction) -> String {
    let port = r.port(addr.port());
    match addr {
        SocketAddr::V4(v4) => format!(
            "{{sa_family=AF_INET, sin_port=htons({port}), sin_addr=inet_addr(\"{}\")}}",
            v4.ip()
        ),
        SocketAddr::V6(v6) => format!(
            "{{sa_family=AF_INET6, sin6_port=htons({port}), sin6_flowinfo=htonl({}), \
             inet_pton(AF_INET6, \"{}\", &sin6_addr), sin6_scope_id={}}}",
            v6.flowinfo(),
            v6.ip(),
            v6.scope_id()
        ),
    }
}

/// Bytes as strace quotes them: printable ASCII as is, C escapes for the
/// usual controls, octal for the rest, `...` when more than the preview was
/// transferred.
fn strace_bytes(data: &[u8], transferred: usize) -> String {
    let shown = &data[..data.len().min(transferred)];
    let mut out = String::from("\"");
    for (i, &byte) in shown.iter().enumerate() {
        match byte {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\t' => out.push_str("\\t"),
            b'\r' => out.push_str("\\r"),
            0x0b => out.push_str("\\v"),
            0x0c => out.push_str("\\f"),
            0x20..=0x7e => out.push(char::from(byte)),
            _ => {
                // strace uses the shortest octal form unless a digit follows.
                let next_is_digit = shown.get(i + 1).is_some_and(u8::is_ascii_digit);
                if next_is_digit {
                    let _ = write!(out, "\\{byte:03o}");
                } else {
                    let _ = write!(out, "\\{byte:o}");
                }
            }
        }
    }
    out.push('"');
    if transferred > shown.len() {
        out.push_str("...");
    }
    out
}

/// What the deterministic rendering hides: fd numbers (shown as the owning
/// socket's label) and ephemeral ports — those in the kernel's range for
/// ports it picks itself (`/proc/sys/net/ipv4/ip_local_port_range`), shown as
/// the label of the recorded socket that got it, or as `ephemeral`.
#[derive(Debug, Default)]
pub(crate) struct Redaction {
    active: bool,
    ports: HashMap<u16, Arc<str>>,
    ephemeral: Option<(u16, u16)>,
}

impl Redaction {
    pub(crate) fn none() -> Redaction {
        Redaction::default()
    }

    /// Learns, from all events, which ports the kernel chose and for whom.
    pub(crate) fn from_events<'a>(events: impl IntoIterator<Item = &'a Event>) -> Redaction {
        let mut redaction = Redaction {
            active: true,
            ports: HashMap::new(),
            ephemeral: Some(ephemeral_port_range()),
        };
        for event in events {
            if let (true, Some(local)) = (event.ephemeral_port, event.local) {
                redaction
                    .ports
                    .entry(local.port())
                    .or_insert_with(|| event.socket.clone());
            }
        }
        redaction
    }

    pub(crate) fn fd(&self, fd: Option<i32>, owner: &str) -> String {
        match (self.active, fd) {
            (true, _) => format!("<fd {owner}>"),
            (false, Some(fd)) => fd.to_string(),
            (false, None) => "?".to_string(),
        }
    }

    pub(crate) fn port(&self, port: u16) -> String {
        if !self.active || port == 0 {
            return port.to_string();
        }
        match (self.ports.get(&port), self.ephemeral) {
            (Some(owner), _) => format!("<port {owner}>"),
            (None, Some((low, high))) if (low..=high).contains(&port) => {
                "<port ephemeral>".to_string()
            }
            (None, _) => port.to_string(),
        }
    }

    /// A TCP state. Whether a FIN that left is acknowledged yet (FIN_WAIT1
    /// or FIN_WAIT2) depends on timing — the peer's kernel may delay its
    /// ACK — so the deterministic rendering names both.
    pub(crate) fn state(&self, state: TcpState) -> String {
        match (self.active, state) {
            (true, TcpState::FinWait1 | TcpState::FinWait2) => "FIN_WAIT1/2".to_string(),
            _ => state.to_string(),
        }
    }

    /// The state the kernel holds after a close. Whether the peer's
    /// last ACK is in yet (LAST_ACK, or gone) depends on timing too, so the
    /// deterministic rendering names both.
    pub(crate) fn after_close(&self, state: Option<TcpState>) -> String {
        match (self.active, state) {
            (true, Some(TcpState::LastAck) | None) => "LAST_ACK/gone".to_string(),
            (_, Some(state)) => self.state(state),
            (false, None) => "gone".to_string(),
        }
    }

    pub(crate) fn addr(&self, addr: &SocketAddr) -> String {
        match addr {
            SocketAddr::V4(v4) => format!("{}:{}", v4.ip(), self.port(v4.port())),
            SocketAddr::V6(v6) => format!("[{}]:{}", v6.ip(), self.port(v6.port())),
        }
    }
}

/// The range the kernel draws ephemeral ports from (a bind to port 0, a
/// connect from an unbound socket); Linux's default when it cannot be read.
fn ephemeral_port_range() -> (u16, u16) {
    std::fs::read_to_string("/proc/sys/net/ipv4/ip_local_port_range")
        .ok()
        .and_then(|text| {
            let mut bounds = text.split_whitespace().map(|n| n.parse::<u16>().ok());
            Some((bounds.next()??, bounds.next()??))
        })
        .unwrap_or((32768, 60999))
}

/// No system call: `text` with every ephemeral port replaced by `<port>` —
/// for the output of a program that is not recorded here (a spawned
/// server's console line `… ouvindo em 127.0.0.1:41234`), so that a snapshot
/// of it is stable.
///
/// A port is a run of digits after `:` or inside `htons(…)` that lies in the
/// kernel's ephemeral range (`/proc/sys/net/ipv4/ip_local_port_range`).
/// Fixed ports such as 8888 stay. Redacting twice changes nothing more.
///
/// ```
/// use socket_lifecycle::trace::redact_ports;
/// assert_eq!(
///     redact_ports("[*] Servidor ouvindo em 127.0.0.1:41234 (não 8888)"),
///     "[*] Servidor ouvindo em 127.0.0.1:<port> (não 8888)"
/// );
/// ```
pub fn redact_ports(text: &str) -> String {
    let (low, high) = ephemeral_port_range();
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(|c: char| c.is_ascii_digit()) {
        let end = rest[start..]
            .find(|c: char| !c.is_ascii_digit())
            .map_or(rest.len(), |len| start + len);
        let (before, digits) = (&rest[..start], &rest[start..end]);
        let at_port = before.ends_with(':') || before.ends_with("htons(");
        let ephemeral = digits
            .parse::<u16>()
            .is_ok_and(|p| (low..=high).contains(&p));
        out.push_str(before);
        out.push_str(if at_port && ephemeral {
            "<port>"
        } else {
            digits
        });
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// The events a [`Recorder`] keeps by default before the oldest are dropped.
///
/// ```
/// use socket_lifecycle::trace::DEFAULT_CAPACITY;
/// # use socket_lifecycle::{Recorder, Socket};
/// let recorder = Recorder::new();
/// let tracer = recorder.tracer("cliente");
/// for _ in 0..DEFAULT_CAPACITY / 2 + 1 {
///     Socket::tcp_v4(tracer.clone())?; // socket() and, on drop, close()
/// }
/// assert_eq!(recorder.events().len(), DEFAULT_CAPACITY);
/// assert_eq!(recorder.dropped(), 2);
/// # Ok::<(), socket_lifecycle::Error>(())
/// ```
pub const DEFAULT_CAPACITY: usize = 4096;

/// Keeps the events of every socket traced through it, across threads.
///
/// Cloning a recorder gives another handle to the same store. It is bounded:
/// past its capacity the oldest events are dropped and counted, so a
/// long-running server does not grow through its trace.
///
/// ```
/// use socket_lifecycle::{Recorder, Socket};
///
/// let recorder = Recorder::new();
/// let socket = Socket::tcp_v4(recorder.tracer("servidor"))?;
/// socket.close()?;
/// let text = recorder.render_redacted(socket_lifecycle::Lang::En);
/// assert!(text.contains("socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_TCP) = <fd servidor>"));
/// assert!(text.contains("close(<fd servidor>) = 0"));
/// # Ok::<(), socket_lifecycle::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Recorder {
    store: Arc<Mutex<Store>>,
}

#[derive(Debug)]
struct Store {
    events: VecDeque<Event>,
    capacity: usize,
    dropped: u64,
}

impl Default for Recorder {
    fn default() -> Self {
        Recorder::new()
    }
}

impl Recorder {
    /// No system call: an empty recorder holding up to [`DEFAULT_CAPACITY`]
    /// events.
    ///
    /// ```
    /// let recorder = socket_lifecycle::Recorder::new();
    /// assert!(recorder.events().is_empty());
    /// ```
    pub fn new() -> Recorder {
        Recorder::with_capacity(DEFAULT_CAPACITY)
    }

    /// No system call: an empty recorder holding up to `capacity` events
    /// (at least one).
    ///
    /// ```
    /// use socket_lifecycle::{Recorder, Socket};
    ///
    /// let recorder = Recorder::with_capacity(2);
    /// Socket::tcp_v4(recorder.tracer("cliente"))?.close()?; // socket, close…
    /// let open = Socket::tcp_v4(recorder.tracer("cliente"))?; // …and one more
    /// assert_eq!((recorder.events().len(), recorder.dropped()), (2, 1));
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn with_capacity(capacity: usize) -> Recorder {
        let capacity = capacity.max(1);
        Recorder {
            store: Arc::new(Mutex::new(Store {
                events: VecDeque::with_capacity(capacity.min(DEFAULT_CAPACITY)),
                capacity,
                dropped: 0,
            })),
        }
    }

    /// No system call: a tracer that labels a socket `label` and records its
    /// events here. Pass it to [`crate::Socket::tcp_v4`] and friends.
    ///
    /// ```
    /// use socket_lifecycle::{Recorder, Socket};
    ///
    /// let recorder = Recorder::new();
    /// let socket = Socket::tcp_v4(recorder.tracer("cliente"))?;
    /// assert_eq!(socket.label(), "cliente");
    /// assert_eq!(recorder.events().len(), 1);
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn tracer(&self, label: &str) -> Tracer {
        Tracer::new(label, Some(self.clone()))
    }

    fn store(&self) -> MutexGuard<'_, Store> {
        // A panic in another thread while it held the lock leaves whole
        // events behind: keep using them.
        self.store.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn push(&self, event: Event) {
        let mut store = self.store();
        if store.events.len() == store.capacity {
            store.events.pop_front();
            store.dropped += 1;
        }
        store.events.push_back(event);
    }

    /// No system call: a copy of the kept events, in the order they happened.
    ///
    /// ```
    /// # use socket_lifecycle::{Recorder, Socket};
    /// let recorder = Recorder::new();
    /// Socket::tcp_v4(recorder.tracer("cliente"))?.close()?;
    /// let calls: Vec<&str> = recorder.events().iter().map(|e| e.call.name()).collect();
    /// assert_eq!(calls, ["socket", "close"]);
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn events(&self) -> Vec<Event> {
        let mut events: Vec<Event> = self.store().events.iter().cloned().collect();
        events.sort_by_key(|event| event.seq);
        events
    }

    /// No system call: how many events were dropped because the recorder was
    /// full.
    ///
    /// ```
    /// let recorder = socket_lifecycle::Recorder::new();
    /// assert_eq!(recorder.dropped(), 0);
    /// ```
    pub fn dropped(&self) -> u64 {
        self.store().dropped
    }

    /// No system call: every kept event as a trace line with its narration,
    /// in the order they happened across all sockets and threads.
    ///
    /// ```
    /// # use socket_lifecycle::{Lang, Recorder, Socket};
    /// let recorder = Recorder::new();
    /// Socket::tcp_v4(recorder.tracer("cliente"))?;
    /// let text = recorder.render(Lang::Pt);
    /// assert!(text.contains("socket(): um novo ponto de comunicação TCP"));
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn render(&self, lang: Lang) -> String {
        let mut out = self.dropped_notice(lang);
        for event in self.events() {
            out.push_str(&event.line(lang));
            out.push('\n');
        }
        out
    }

    /// No system call: the deterministic rendering for snapshot tests.
    ///
    /// Events are grouped per socket (sockets sorted by label, so `servidor#2`
    /// follows `servidor#1`, each socket's events in the order they happened),
    /// fd numbers are shown as `<fd LABEL>`, and ephemeral ports (in the
    /// kernel's range for ports it picks) as `<port LABEL>` when a recorded
    /// socket got it, `<port ephemeral>` otherwise. States whose timing
    /// varies are named as pairs: `FIN_WAIT1/2` and, after a close,
    /// `LAST_ACK/gone`.
    /// Rendering twice gives the same text; the redacted text has nothing
    /// left to redact.
    ///
    /// ```
    /// # use socket_lifecycle::{Lang, Recorder, Socket};
    /// let recorder = Recorder::new();
    /// Socket::tcp_v4(recorder.tracer("servidor"))?.bind("127.0.0.1:0".parse().unwrap())?;
    /// let text = recorder.render_redacted(Lang::En);
    /// assert!(text.starts_with("── servidor\n"));
    /// assert!(text.contains("bound to 127.0.0.1:<port servidor>"));
    /// assert_eq!(text, recorder.render_redacted(Lang::En));
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn render_redacted(&self, lang: Lang) -> String {
        let events = self.events();
        let redaction = Redaction::from_events(&events);
        let mut labels: Vec<&Arc<str>> = events.iter().map(|event| &event.socket).collect();
        labels.sort_by(|a, b| label_order(a).cmp(&label_order(b)));
        labels.dedup();
        let mut out = self.dropped_notice(lang);
        for label in labels {
            let _ = writeln!(out, "── {label}");
            for event in events.iter().filter(|event| &event.socket == label) {
                out.push_str(&event.line_with(lang, &redaction));
                out.push('\n');
            }
        }
        out
    }

    fn dropped_notice(&self, lang: Lang) -> String {
        match self.dropped() {
            0 => String::new(),
            n => format!("… {}\n", narration::dropped(n, lang)),
        }
    }
}

/// Sorts `servidor#10` after `servidor#9`.
pub(crate) fn label_order(label: &str) -> (&str, u64) {
    match label.rsplit_once('#') {
        Some((base, n)) => (base, n.parse().unwrap_or(u64::MAX)),
        None => (label, 0),
    }
}

/// Where a socket's events go: its label, and the recorder, if any.
///
/// A plain string converts into a tracer that only logs:
/// `Socket::tcp_v4("cliente")`. Use [`Recorder::tracer`] to also record.
///
/// ```
/// use socket_lifecycle::{Recorder, Socket, Tracer};
///
/// // Only logged (through the `log` facade, if a logger is installed):
/// let logged = Socket::tcp_v4("cliente")?;
/// // Logged and recorded:
/// let recorder = Recorder::new();
/// let recorded = Socket::tcp_v4(Tracer::new("cliente", Some(recorder.clone())))?;
/// assert_eq!(recorder.events().len(), 1);
/// # Ok::<(), socket_lifecycle::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Tracer {
    label: Arc<str>,
    recorder: Option<Recorder>,
    accepted: Arc<AtomicU32>,
}

impl From<&str> for Tracer {
    fn from(label: &str) -> Tracer {
        Tracer::new(label, None)
    }
}

impl Tracer {
    /// No system call: a tracer that labels a socket `label` and sends its
    /// events to `recorder` (when given) and to the `log` facade.
    ///
    /// ```
    /// use socket_lifecycle::{Recorder, Tracer};
    ///
    /// let tracer = Tracer::new("servidor", Some(Recorder::new()));
    /// assert_eq!(tracer.label(), "servidor");
    /// ```
    pub fn new(label: &str, recorder: Option<Recorder>) -> Tracer {
        Tracer {
            label: Arc::from(label),
            recorder,
            accepted: Arc::new(AtomicU32::new(0)),
        }
    }

    /// No system call: the label of the socket.
    ///
    /// ```
    /// let tracer = socket_lifecycle::Tracer::from("cliente");
    /// assert_eq!(tracer.label(), "cliente");
    /// ```
    pub fn label(&self) -> &str {
        &self.label
    }

    /// The tracer of the next connection a listener accepts: `servidor#1`,
    /// `servidor#2`, … recording to the same recorder.
    pub(crate) fn next_accepted(&self) -> Tracer {
        let n = self.accepted.fetch_add(1, Ordering::Relaxed) + 1;
        Tracer::new(&format!("{}#{n}", self.label), self.recorder.clone())
    }

    /// Whether anyone listens: a recorder, or a logger at `info` level. When
    /// nobody does, the library skips building events (and the kernel reads
    /// they need) altogether.
    pub(crate) fn enabled(&self) -> bool {
        self.recorder.is_some() || log::log_enabled!(target: "socket_lifecycle", log::Level::Info)
    }

    /// Stamps, logs and records an event.
    pub(crate) fn emit(&self, mut event: Event) {
        static SEQ: AtomicU64 = AtomicU64::new(1);
        event.seq = SEQ.fetch_add(1, Ordering::Relaxed);
        event.thread = current_thread();
        if log::log_enabled!(target: "socket_lifecycle", log::Level::Info) {
            log::info!(target: "socket_lifecycle", "{}", event.line(Lang::current()));
            log::debug!(
                target: "socket_lifecycle",
                "[{}] #{} on thread {}: local {:?}, peer {:?}, tcp {:?}, after close {:?}",
                event.socket, event.seq, event.thread, event.local, event.peer, event.tcp, event.lingering
            );
        }
        if let Some(recorder) = &self.recorder {
            recorder.push(event);
        }
    }

    /// An event for a call on this tracer's socket, to be completed by the
    /// caller.
    pub(crate) fn event(&self, call: Call, outcome: Outcome) -> Event {
        Event {
            seq: 0,
            thread: Arc::from(""),
            socket: self.label.clone(),
            transport: Transport::Tcp,
            fd: None,
            call,
            outcome,
            before: None,
            after: StateName::Created,
            tcp: None,
            accepted_tcp: None,
            lingering: None,
            local: None,
            peer: None,
            ephemeral_port: false,
        }
    }
}

/// The calling thread's name (or id), worked out once per thread.
fn current_thread() -> Arc<str> {
    thread_local! {
        static NAME: Arc<str> = {
            let thread = std::thread::current();
            match thread.name() {
                Some(name) => Arc::from(name),
                None => Arc::from(format!("{:?}", thread.id())),
            }
        };
    }
    NAME.with(Arc::clone)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_are_quoted_like_strace() {
        let text = "olá \"x\"\n\t\\".repeat(3);
        assert_eq!(
            strace_bytes(&text.as_bytes()[..DATA_PREVIEW], text.len()),
            r#""ol\303\241 \"x\"\n\t\\ol\303\241 \"x\"\n\t\\ol\303\241 \"x\"\n\t"..."#
        );
        assert_eq!(strace_bytes(b"", 0), "\"\"");
        assert_eq!(strace_bytes(&[0, b'1'], 2), "\"\\0001\"");
        // As strace 6.1 printed a sendto of these bytes.
        let controls = [11, 12, 13, 7, 8, 0x7f, 0x1b, 0, b'1'];
        assert_eq!(
            strace_bytes(&controls, controls.len()),
            r#""\v\f\r\7\10\177\33\0001""#
        );
    }

    /// An event as the library would build it, with fd 3 or 4.
    fn event(call: Call, outcome: Outcome, fd: i32) -> Event {
        let mut event = Tracer::from("x").event(call, outcome);
        event.transport = Transport::Udp;
        event.fd = Some(fd);
        event
    }

    /// The lines below are what `strace -f -e trace=network,close` (strace
    /// 6.1, x86_64 Linux) printed for the same calls made through socket2.
    #[test]
    fn udp_calls_render_as_strace_printed_them() {
        let server: SocketAddr = "127.0.0.1:49881".parse().unwrap();
        let client: SocketAddr = "127.0.0.1:48055".parse().unwrap();
        let socket = event(
            Call::Socket {
                family: Family::V4,
                transport: Transport::Udp,
            },
            Outcome::Returned(3),
            3,
        );
        assert_eq!(
            socket.strace(),
            "socket(AF_INET, SOCK_DGRAM|SOCK_CLOEXEC, IPPROTO_UDP) = 3"
        );
        let timeout = event(
            Call::ReadTimeout {
                timeout: Some(Duration::from_millis(2500)),
            },
            Outcome::Returned(0),
            4,
        );
        assert_eq!(
            timeout.strace(),
            r#"setsockopt(4, SOL_SOCKET, SO_RCVTIMEO_OLD, "\2\0\0\0\0\0\0\0 \241\7\0\0\0\0\0", 16) = 0"#
        );
        let send = event(
            Call::SendTo {
                data: b"ola".to_vec(),
                len: 3,
                to: Some(server),
            },
            Outcome::Returned(3),
            4,
        );
        assert_eq!(
            send.strace(),
            r#"sendto(4, "ola", 3, MSG_NOSIGNAL, {sa_family=AF_INET, sin_port=htons(49881), sin_addr=inet_addr("127.0.0.1")}, 16) = 3"#
        );
        let truncated = event(
            Call::RecvFrom {
                data: vec![b'x'; 10],
                capacity: 10,
                from: Some(client),
                msg_trunc: true,
            },
            Outcome::Returned(100),
            3,
        );
        assert_eq!(
            truncated.strace(),
            r#"recvfrom(3, "xxxxxxxxxx", 10, MSG_TRUNC, {sa_family=AF_INET, sin_port=htons(48055), sin_addr=inet_addr("127.0.0.1")}, [128 => 16]) = 100"#
        );
        assert!(
            truncated
                .narration(Lang::En)
                .contains("TRUNCATED: 10 of 100 bytes kept")
        );
        let connected = event(
            Call::SendTo {
                data: b"um".to_vec(),
                len: 2,
                to: None,
            },
            Outcome::Returned(2),
            4,
        );
        assert_eq!(
            connected.strace(),
            r#"sendto(4, "um", 2, MSG_NOSIGNAL, NULL, 0) = 2"#
        );
        let timed_out = event(
            Call::RecvFrom {
                data: Vec::new(),
                capacity: 10,
                from: None,
                msg_trunc: true,
            },
            Outcome::Failed(libc::EAGAIN),
            4,
        );
        assert_eq!(
            timed_out.strace(),
            "recvfrom(4, <unfilled>, 10, MSG_TRUNC, <unfilled>, [128]) = -1 EAGAIN (Resource temporarily unavailable)"
        );
    }

    #[test]
    fn labels_sort_numerically() {
        let mut labels = vec!["servidor#10", "servidor#9", "cliente", "servidor"];
        labels.sort_by_key(|label| label_order(label));
        assert_eq!(labels, ["cliente", "servidor", "servidor#9", "servidor#10"]);
    }

    #[test]
    fn recorder_is_bounded_and_counts_what_it_drops() {
        let recorder = Recorder::with_capacity(2);
        let tracer = recorder.tracer("x");
        for _ in 0..5 {
            tracer.emit(tracer.event(Call::Close, Outcome::Returned(0)));
        }
        assert_eq!(recorder.events().len(), 2);
        assert_eq!(recorder.dropped(), 3);
        assert!(
            recorder
                .render(Lang::En)
                .starts_with("… 3 earlier events dropped")
        );
    }
}
