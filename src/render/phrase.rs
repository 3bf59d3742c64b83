//! The facts decide, then the words say: an event's facts are classified
//! here into a [`Phrase`] — *what happened*, in no language — and each
//! language's table (`words/`) says it.
//!
//! Where the facts do not tell, the phrase says what was observed, not what
//! probably happened: a close whose connection the kernel still holds is
//! "still held by another descriptor", never "the FIN left".

use std::borrow::Cow;
use std::net::{Shutdown, SocketAddr};

use crate::errno::{Cause, Errno, errno_name};
use crate::event::{
    Call, Event, Outcome, SocketOption, StateName, Transport, WaitCall, Waited, classify,
};
use crate::kernel::{Lingering, TcpInfo, TcpState};

/// What one step means.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Phrase {
    /// `socket()`: a new endpoint with no address.
    Created { transport: Transport },
    /// A socket option set to a value.
    Option(SocketOption),
    /// `bind()` gave the socket `local`; `port_zero`: the kernel picked the port.
    Bound { local: String, port_zero: bool },
    /// `listen()`: `backlog` asked; `limit`: the accept queue's limit as the
    /// kernel set it, where it can be read.
    Listening {
        local: String,
        backlog: i32,
        limit: Option<u32>,
    },
    /// `accept()` took `peer`'s connection off the queue as socket `child`.
    Accepted {
        peer: String,
        child: String,
        queue: Queue,
    },
    /// A TCP `connect()`: the three-way handshake is done.
    Connected { local: String, peer: String },
    /// A non-blocking `connect()`: the SYN left and the call returned at
    /// once; `done`: it returned 0 (the handshake was over already), else
    /// `EINPROGRESS`.
    ConnectStarted {
        local: String,
        peer: String,
        done: bool,
    },
    /// `getsockopt(SO_ERROR)` read 0 after a non-blocking connect: the
    /// handshake succeeded.
    ConnectFinished { local: String, peer: String },
    /// `getsockopt(SO_ERROR)` read an error: the non-blocking connect
    /// failed, with this errno (this system's name) and advice.
    ConnectFailed { errno: String, hint: Hint },
    /// `fcntl(O_NONBLOCK)`: calls that would wait fail with `EAGAIN`.
    Nonblocking,
    /// A call on a non-blocking socket found nothing ready (`EAGAIN`).
    NotReady(Blocked),
    /// A UDP `connect()`: the peer is fixed; no packet left.
    PeerFixed { local: String, peer: String },
    /// A TCP `send()` took `sent` of `offered` bytes.
    Sent { sent: i64, offered: usize },
    /// A non-blocking `send()` took part of `offered` bytes, how much left
    /// out (the canonical form: the peer's timing decides it).
    SentPart { offered: usize },
    /// A TCP `recv()` brought `n > 0` bytes.
    Received { n: i64 },
    /// A `recv()` given a buffer of 0 bytes: it returns 0 and reads nothing.
    EmptyBuffer,
    /// A TCP `recv()` returned 0: no more data, for this reason.
    End(End),
    /// A UDP datagram of `len` bytes left for `to`; `bound`: the kernel first
    /// bound the socket to this address.
    DatagramSent {
        len: usize,
        to: String,
        bound: Option<String>,
    },
    /// A whole datagram of `size` bytes arrived from `from`.
    DatagramReceived { size: usize, from: String },
    /// An empty datagram arrived from `from`.
    DatagramEmpty { from: String },
    /// A datagram of `size` bytes was cut to the buffer's `kept`.
    DatagramTruncated {
        kept: usize,
        size: usize,
        from: String,
    },
    /// A UDP `recvfrom()` returned 0 with no sender: reading was shut.
    ReadingShut,
    /// No datagram came within the receive time limit.
    NoDatagram,
    /// `shutdown()` on a TCP connection; `fin`: this call sent the FIN
    /// (false when an earlier shutdown had sent it).
    Shutdown { how: Shutdown, fin: bool },
    /// `shutdown()` on a listener: it stops, a blocked `accept()` wakes.
    ShutdownListener,
    /// `shutdown()` on a listener failed with `errno` (this system's name
    /// of `ENOTCONN`): the system does not shut a listening socket
    /// (Windows, macOS); it still listens, a blocked `accept()` sleeps on.
    ListenerNotShut { errno: String },
    /// `shutdown()` on a UDP socket.
    ShutdownDatagram,
    /// `close()`, and what it did to the connection.
    Close(Close),
    /// A wait (`poll`, `select`) with this socket among the descriptors:
    /// what it waited for, how long at most, and how it ended for it.
    Waited {
        call: &'static str,
        read: bool,
        write: bool,
        timeout: Option<std::time::Duration>,
        outcome: WaitOutcome,
    },
    /// The library's own wait over several sockets: how many were asked
    /// about, how long at most, and which were ready (at most
    /// [`READY_SHOWN`], then `more` of them).
    WaitedOn {
        call: &'static str,
        /// How many sockets the wait named; `None`: an epoll instance's,
        /// which waits on every socket registered with it.
        asked: Option<usize>,
        timeout: Option<std::time::Duration>,
        ready: Vec<ReadySocket>,
        more: usize,
    },
    /// `epoll_create1()`: a new epoll instance.
    EpollCreated,
    /// `epoll_ctl(EPOLL_CTL_ADD)`: `socket` registered, to read and/or
    /// write; `edge`: reported once per change (`EPOLLET`).
    EpollAdded {
        socket: String,
        read: bool,
        write: bool,
        edge: bool,
    },
    /// The kernel asked again, after a close.
    Lookup(Lingering),
    /// A call failed: what it means and what to do.
    Failed(Hint),
}

/// The call a non-blocking socket answered `EAGAIN` to, for what it was
/// waiting on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Blocked {
    /// `accept()`: no connection in the queue.
    Accept,
    /// `recv()`: nothing received.
    Recv,
    /// `send()`: no room in the send buffer.
    Send,
    /// Another call.
    Other(&'static str),
}

/// At most this many ready sockets are named in a wait's narration.
pub(crate) const READY_SHOWN: usize = 8;

/// One socket a wait found ready, and what it may now do without waiting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ReadySocket {
    pub label: String,
    pub state: Option<StateName>,
    pub readable: bool,
    pub writable: bool,
    /// `POLLERR` or `POLLHUP`.
    pub trouble: bool,
}

/// How a wait ended for one socket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WaitOutcome {
    /// Ready: to read, to write.
    Ready { read: bool, write: bool },
    /// The time limit passed with nothing ready.
    TimedOut,
    /// Another descriptor was ready; this one is not.
    OtherReady,
    /// An error or a hang-up is reported on this socket.
    Error,
}

/// Why a TCP `recv()` returned 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum End {
    /// This side shut its own reading (`SHUT_RD`/`SHUT_RDWR`): the 0 says
    /// nothing about the peer.
    OwnShutdown,
    /// The peer's FIN arrived: it sends no more (the kernel holds
    /// `CLOSE_WAIT`, or the state that follows it).
    PeerFin,
    /// The connection is over on this side without this side's FIN: it was
    /// reset (RST).
    Reset,
    /// This side's FIN had left (an earlier `shutdown`) and the peer's
    /// arrived: both directions are closed; the kernel keeps `TIME_WAIT`.
    BothFins,
    /// The kernel's state cannot be read here: the peer closed its side, or
    /// the connection ended.
    Unobserved,
}

/// The accept queue after an `accept()`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Queue {
    /// Nothing else waits, or the queue cannot be read.
    Quiet,
    /// `waiting` more connections wait (limit `limit`).
    Waiting { waiting: u32, limit: u32 },
    /// The queue was full until this accept took one: the kernel was
    /// dropping finished handshakes.
    WasFull { waiting: u32, limit: u32 },
}

/// What a `close()` did, as the kernel's answers before and after it show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Close {
    /// A socket with no connection to end (none was ever made, or its
    /// handshake was still under way).
    Unconnected,
    /// Not a socket: an epoll instance (an event with no typestate), and
    /// its registrations with it.
    Epoll,
    /// A listener; `waiting` connections still in its queue (where the
    /// kernel tells) are reset.
    Listener { waiting: Option<u32> },
    /// A listener's descriptor, while the kernel still holds it listening:
    /// another descriptor (a dup, another process's copy) keeps it.
    ListenerStillHeld,
    /// A UDP socket: no connection to end.
    Datagram,
    /// The kernel still holds the connection in `state`: another descriptor
    /// (a `dup`, a child process) keeps the socket open, so nothing was sent.
    StillHeld { state: TcpState },
    /// `unread` bytes were never read: the kernel discards them and resets
    /// the connection (RST) instead of sending a FIN.
    Reset { unread: usize },
    /// The connection had already been reset: nothing to send.
    AlreadyReset,
    /// This side closes first: its FIN leaves; the kernel waits for the peer's.
    First,
    /// The peer had closed first: this side's FIN answers it.
    AnswersFin,
    /// This side's FIN left earlier (a `shutdown`); the close only releases
    /// the descriptor.
    FinSentEarlier,
    /// Both FINs were exchanged before the close; the kernel keeps the
    /// connection in `TIME_WAIT`.
    BothFinsDone,
    /// The kernel's states cannot be read here: it ends the connection on
    /// its own.
    Unobserved,
    /// In the canonical form: the peer is not recorded and had not ended
    /// its side, so its timing decides whether this close sends the first
    /// FIN, answers the peer's, or resets (its data arrived unread).
    Unordered,
}

/// A failure's advice: its cause, and the address it concerns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Hint {
    pub cause: Cause,
    pub addr: Option<String>,
}

/// Short words that lines and diagrams are built from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Term {
    /// `accept queue`, before `n/limit`.
    AcceptQueue,
    /// `kernel`, before what the kernel holds after a close.
    Kernel,
    /// The kernel holds nothing of the connection any more.
    Gone,
    /// The kernel could not be asked.
    Unknown,
    /// The pseudo-call `# kernel lookup: local → peer`.
    KernelLookup,
    /// `n` earlier events were dropped by a full recorder.
    Dropped { n: u64 },
    /// `failed`, in an error message: `connect … failed: …`.
    Failed,
    /// The title of a phase of the report's diagram.
    Phase(Phase),
    /// A column for an address no recorded socket owns.
    NotRecorded,
    /// `new socket`, on an accept arrow.
    NewSocket,
    /// `(new socket)`, on the typestate diagram's accept edge.
    NewSocketEdge,
    /// The typestate diagram's title, for `Socket<S>` or its UDP twin.
    TypestateTitle { udp: bool },
    /// The sequence diagram's title.
    SequenceTitle,
    /// A word of the page a trace is stepped through on (`--html`), which
    /// only the `json` feature builds.
    #[cfg_attr(not(feature = "json"), allow(dead_code))]
    Page(PageWord),
    /// A connect answered with RST: nobody listens.
    RstNobodyListens,
    /// A send of 0 bytes: nothing leaves.
    SentNothing,
    /// A `recv()` given a buffer of 0 bytes.
    EmptyBuffer,
    /// `recv() = 0`, and why.
    RecvEnd(End),
    /// A UDP `connect()` that only fixes the peer.
    PeerFixedOnly { addr: String },
    /// What the kernel still holds after a close.
    StillHolds { state: String },
    /// The kernel forgot the connection.
    Forgot,
    /// The kernel could not be asked about the connection.
    NotAsked,
    /// A close that sent nothing: another holder keeps the socket.
    HeldElsewhere,
    /// A wait (`poll`, `select`) on a socket, in a diagram: whether it
    /// ended with the socket ready.
    Waited { call: &'static str, ready: bool },
    /// In a grade report: the steps that led to a finding.
    StepsLed,
    /// In a grade report: the server's `prepare` failed, with this error.
    ServerDidNotStart(String),
    /// In a grade report: the server's accept loop did not end when its
    /// listener was shut down.
    ServerDidNotStop,
}

/// The words of the page (`--html`): its headings and its buttons.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(not(feature = "json"), allow(dead_code))]
pub(crate) enum PageWord {
    /// The page's title.
    Title,
    /// The heading of the call, as strace prints it.
    Call,
    /// The heading of the call's result.
    Result,
    /// The heading of the typestate before → after.
    State,
    /// The heading of the kernel's TCP state.
    Kernel,
    /// The button to the previous step.
    Previous,
    /// The button to the next step.
    Next,
    /// How to step with the keyboard.
    Keys,
}

/// The three phases of the report's lifecycle diagram.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Phase {
    /// `socket`, `setsockopt`, `bind`, `listen`.
    Preparation,
    /// `connect`, `accept`, `send`, `recv`.
    Communication,
    /// `shutdown`, `close`, and what the kernel keeps afterwards.
    Close,
}

/// How a rendering shows what varies from run to run: addresses and labels
/// as they are, or in the canonical form (`render/redact.rs`).
pub(crate) trait View {
    /// An address.
    fn addr(&self, addr: &SocketAddr) -> String;
    /// A socket's label.
    fn label(&self, label: &str) -> String;
    /// Whether counts that timing moves are left out.
    fn canonical(&self) -> bool;
    /// A wait's descriptors in the order the rendering lists them.
    fn waited_order<'a>(&self, fds: &'a [Waited]) -> Cow<'a, [Waited]>;
    /// Whether this send is told as one the kernel took part of, without
    /// the count (which the peer's timing decides).
    fn partial_send(&self, event: &Event) -> bool;
    /// Whether this close is told as one whose outcome the unrecorded
    /// peer's timing decides (the canonical form's [`Close::Unordered`]).
    fn unordered_close(&self, event: &Event) -> bool;
}

/// The phrase of an event: the facts decide it; `view` says how addresses
/// and labels read.
pub(crate) fn phrase(event: &Event, view: &dyn View) -> Phrase {
    let show = |a: &SocketAddr| view.addr(a);
    let addr = |a: Option<SocketAddr>| a.as_ref().map(show).unwrap_or_default();
    // Shown only where a phrase names them: most events (every send and
    // receive) do not, and an address costs a formatting each.
    let local = || addr(event.local);
    let peer = || addr(event.peer);
    let udp = event.transport == Transport::Udp;
    let returned = match event.outcome {
        Outcome::Returned(value) => value,
        Outcome::Failed(_) => return failure(event, &show),
    };
    match &event.call {
        Call::Socket { transport, .. } => Phrase::Created {
            transport: *transport,
        },
        Call::SetOption { option } => Phrase::Option(*option),
        Call::Bind { addr } => Phrase::Bound {
            local: local(),
            port_zero: addr.port() == 0,
        },
        Call::Listen { backlog } => Phrase::Listening {
            local: local(),
            backlog: *backlog,
            limit: event.tcp.and_then(|info| info.accept_queue_limit),
        },
        Call::Accept { peer, child, .. } => Phrase::Accepted {
            peer: addr(*peer),
            child: view.label(child.as_deref().unwrap_or_default()),
            queue: if view.canonical() {
                Queue::Quiet
            } else {
                queue(event.tcp)
            },
        },
        Call::Connect { .. } if event.after == Some(StateName::Connecting) => {
            connect_started(event, &show, true)
        }
        Call::Connect { .. } if udp => Phrase::PeerFixed {
            local: local(),
            peer: peer(),
        },
        Call::Connect { .. } => Phrase::Connected {
            local: local(),
            peer: peer(),
        },
        Call::Send { len, .. } if view.partial_send(event) => Phrase::SentPart { offered: *len },
        Call::Send { len, .. } => Phrase::Sent {
            sent: returned,
            offered: *len,
        },
        Call::Recv { capacity: 0, .. } => Phrase::EmptyBuffer,
        Call::Recv { .. } if returned > 0 => Phrase::Received { n: returned },
        Call::Recv { connection, .. } => Phrase::End(end(event, *connection)),
        Call::SendTo { len, to, .. } => Phrase::DatagramSent {
            len: *len,
            to: to.as_ref().map_or_else(peer, &show),
            bound: event.kernel_chose_port().then(local),
        },
        Call::RecvFrom { from: None, .. } => Phrase::ReadingShut,
        Call::RecvFrom {
            from: Some(from),
            capacity,
            ..
        } => {
            let from = show(from);
            let size = usize::try_from(returned).unwrap_or(0);
            if size > *capacity {
                Phrase::DatagramTruncated {
                    kept: *capacity,
                    size,
                    from,
                }
            } else if size == 0 {
                Phrase::DatagramEmpty { from }
            } else {
                Phrase::DatagramReceived { size, from }
            }
        }
        Call::Shutdown { .. } if udp => Phrase::ShutdownDatagram,
        Call::Shutdown { .. } if event.before == Some(StateName::Listening) => {
            Phrase::ShutdownListener
        }
        Call::Shutdown { how } => Phrase::Shutdown {
            how: *how,
            fin: *how != Shutdown::Read && !event.mode.shut_write,
        },
        Call::Close { .. } if view.unordered_close(event) => Phrase::Close(Close::Unordered),
        Call::Close { .. } => Phrase::Close(close(event)),
        Call::SetNonblocking => Phrase::Nonblocking,
        Call::EpollCreate => Phrase::EpollCreated,
        Call::EpollAdd { target, edge } => Phrase::EpollAdded {
            socket: target
                .socket
                .as_deref()
                .map_or_else(|| target.fd.to_string(), |l| view.label(l)),
            read: target.read,
            write: target.write,
            edge: *edge,
        },
        Call::TakeError {
            pending: Some(code @ 1..),
        } => Phrase::ConnectFailed {
            errno: errno_name(*code).unwrap_or("?").to_string(),
            hint: Hint {
                cause: Errno::of(*code).map_or(Cause::Other, |errno| {
                    classify(&event.call, event.family, &event.mode, errno)
                }),
                addr: event.peer.as_ref().map(&show),
            },
        },
        Call::TakeError { .. } => Phrase::ConnectFinished {
            local: local(),
            peer: peer(),
        },
        Call::Wait {
            syscall,
            fds,
            timeout,
        } if !event.waits_on_itself() => {
            let ordered = view.waited_order(fds);
            let ready: Vec<&Waited> = ordered
                .iter()
                .filter(|w| w.readable || w.writable || w.failed || w.hung_up)
                .collect();
            let more = ready.len().saturating_sub(READY_SHOWN);
            let mut ready: Vec<ReadySocket> = ready
                .into_iter()
                .map(|w| ReadySocket {
                    label: w
                        .socket
                        .as_deref()
                        .map_or_else(|| w.fd.to_string(), |l| view.label(l)),
                    state: w.state,
                    readable: w.readable,
                    writable: w.writable,
                    trouble: w.failed || w.hung_up,
                })
                .collect();
            ready.truncate(READY_SHOWN);
            Phrase::WaitedOn {
                call: syscall.name(),
                asked: match syscall {
                    WaitCall::EpollWait { .. } => None,
                    _ => Some(fds.len()),
                },
                timeout: *timeout,
                ready,
                more,
            }
        }
        Call::Wait {
            syscall,
            fds,
            timeout,
        } => {
            let own = fds.iter().find(|w| Some(w.fd) == event.fd).cloned();
            let own = own.unwrap_or_default();
            let outcome = if own.failed || own.hung_up {
                WaitOutcome::Error
            } else if own.readable || own.writable {
                WaitOutcome::Ready {
                    read: own.readable,
                    write: own.writable,
                }
            } else if returned == 0 {
                WaitOutcome::TimedOut
            } else {
                WaitOutcome::OtherReady
            };
            Phrase::Waited {
                call: syscall.name(),
                read: own.read,
                write: own.write,
                timeout: *timeout,
                outcome,
            }
        }
        Call::KernelLookup { found } => Phrase::Lookup(*found),
    }
}

/// The phrase of a failed call: its cause and advice — except where the
/// failure is itself the lesson (UDP's silence, UDP's `shutdown`).
fn failure(event: &Event, show: &dyn Fn(&SocketAddr) -> String) -> Phrase {
    let cause = event.cause().unwrap_or(Cause::Other);
    if event.after == Some(StateName::Connecting) {
        return connect_started(event, show, false);
    }
    match (&event.call, event.transport, cause) {
        (Call::RecvFrom { .. }, _, Cause::TimedOut) => return Phrase::NoDatagram,
        (call, _, Cause::WouldBlock) => {
            return Phrase::NotReady(match call {
                Call::Accept { .. } => Blocked::Accept,
                Call::Recv { .. } | Call::RecvFrom { .. } => Blocked::Recv,
                Call::Send { .. } | Call::SendTo { .. } => Blocked::Send,
                other => Blocked::Other(other.name()),
            });
        }
        (Call::Shutdown { .. }, Transport::Udp, Cause::NotConnected) => {
            return Phrase::ShutdownDatagram;
        }
        (Call::Shutdown { .. }, Transport::Tcp, Cause::NotConnected)
            if event.before == Some(StateName::Listening) =>
        {
            let errno = match event.outcome {
                Outcome::Failed(code) => errno_name(code).unwrap_or("ENOTCONN"),
                Outcome::Returned(_) => "ENOTCONN",
            };
            return Phrase::ListenerNotShut {
                errno: errno.to_string(),
            };
        }
        _ => {}
    }
    let addr = event.call.address().or(event.local);
    Phrase::Failed(Hint {
        cause,
        addr: addr.as_ref().map(show),
    })
}

/// A non-blocking connect's start: `connect()` returned at once; `done`
/// when it returned 0.
fn connect_started(event: &Event, show: &dyn Fn(&SocketAddr) -> String, done: bool) -> Phrase {
    let addr = |a: Option<SocketAddr>| a.as_ref().map(show).unwrap_or_default();
    Phrase::ConnectStarted {
        local: addr(event.local),
        peer: addr(event.peer),
        done,
    }
}

/// Why a TCP `recv()` returned 0, from this side's shutdowns and the state
/// the kernel reported after the call.
pub(crate) fn end(event: &Event, connection: Option<Lingering>) -> End {
    if event.mode.shut_read {
        return End::OwnShutdown;
    }
    match event.tcp.map(|info| info.state) {
        None => End::Unobserved,
        Some(TcpState::Close) => match connection {
            Some(Lingering::Holds(TcpState::TimeWait)) if event.mode.shut_write => End::BothFins,
            // This side's FIN had left, and the kernel cannot be asked
            // whether both FINs or a reset ended it (not Linux).
            Some(Lingering::Unknown) => End::Unobserved,
            _ => End::Reset,
        },
        Some(_) => End::PeerFin,
    }
}

fn queue(tcp: Option<TcpInfo>) -> Queue {
    match tcp.and_then(|info| Some((info.accept_queue?, info.accept_queue_limit?))) {
        Some((waiting, limit)) if waiting >= limit && waiting > 0 => {
            Queue::WasFull { waiting, limit }
        }
        Some((waiting, limit)) if waiting > 0 => Queue::Waiting { waiting, limit },
        _ => Queue::Quiet,
    }
}

/// What a close did: decided from the kernel's answers just before (state,
/// unread bytes) and just after (what it still holds).
pub(crate) fn close(event: &Event) -> Close {
    let Call::Close {
        unread,
        before,
        after,
    } = &event.call
    else {
        return Close::Unobserved;
    };
    if event.before.is_none() {
        return Close::Epoll;
    }
    if event.transport == Transport::Udp {
        return Close::Datagram;
    }
    if event.before == Some(StateName::Listening) {
        if *after == Some(Lingering::Holds(TcpState::Listen)) {
            return Close::ListenerStillHeld;
        }
        let waiting = before.and_then(|info| info.accept_queue);
        return Close::Listener { waiting };
    }
    if event.peer.is_none() {
        return Close::Unconnected;
    }
    if let Some(Lingering::Holds(
        state @ (TcpState::Established
        | TcpState::CloseWait
        | TcpState::SynSent
        | TcpState::SynRecv),
    )) = after
    {
        return Close::StillHeld { state: *state };
    }
    let Some(state) = before.map(|info| info.state) else {
        return Close::Unobserved;
    };
    match state {
        TcpState::Close if *after == Some(Lingering::Holds(TcpState::TimeWait)) => {
            Close::BothFinsDone
        }
        // Both FINs, or a reset? Only the kernel's answer after the close
        // tells, and it cannot be asked here (not Linux).
        TcpState::Close if *after == Some(Lingering::Unknown) => Close::Unobserved,
        TcpState::Close => Close::AlreadyReset,
        TcpState::TimeWait => Close::BothFinsDone,
        _ if unread.is_some_and(|n| n > 0) => Close::Reset {
            unread: unread.unwrap_or(0),
        },
        TcpState::Established => Close::First,
        TcpState::CloseWait => Close::AnswersFin,
        TcpState::FinWait1 | TcpState::FinWait2 | TcpState::LastAck | TcpState::Closing => {
            Close::FinSentEarlier
        }
        // A handshake still under way is dropped: there is no connection yet.
        TcpState::SynSent | TcpState::SynRecv | TcpState::Listen => Close::Unconnected,
    }
}

impl Phase {
    /// The phase of an event: a `recv` that returns 0 (an end of stream)
    /// belongs to the close, an option set before `connect` or `listen` to
    /// the preparation.
    pub(crate) fn of(event: &Event) -> Phase {
        match (&event.call, event.outcome) {
            (Call::Recv { capacity, .. }, Outcome::Returned(0)) if *capacity > 0 => {
                return Phase::Close;
            }
            _ => {}
        }
        let preparing = matches!(event.before, Some(StateName::Created | StateName::Bound));
        match &event.call {
            // An option set before the socket connects or listens prepares it.
            Call::SetOption { .. } | Call::SetNonblocking if preparing => Phase::Preparation,
            Call::Socket { .. } | Call::Bind { .. } | Call::Listen { .. } => Phase::Preparation,
            Call::SetOption { .. }
            | Call::Accept { .. }
            | Call::Connect { .. }
            | Call::Send { .. }
            | Call::Recv { .. }
            | Call::SendTo { .. }
            | Call::RecvFrom { .. }
            | Call::Wait { .. }
            | Call::SetNonblocking
            | Call::TakeError { .. }
            | Call::EpollCreate
            | Call::EpollAdd { .. } => Phase::Communication,
            Call::Shutdown { .. } | Call::Close { .. } | Call::KernelLookup { .. } => Phase::Close,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::errno::Errno;
    use crate::event::{Family, Mode, Transfer};

    /// Where the kernel cannot be asked after a close (not Linux), a state
    /// of CLOSE after this side's FIN does not tell both FINs from a reset:
    /// the phrase says what was observed, no more.
    #[test]
    fn an_unknown_answer_after_close_is_not_taken_for_a_reset() {
        let event = |call: Call| Event {
            seq: 1,
            thread: Arc::from("main"),
            socket: Arc::from("cliente"),
            transport: Transport::Tcp,
            family: Family::V4,
            fd: None,
            call,
            outcome: Outcome::Returned(0),
            before: Some(StateName::Connected),
            after: Some(StateName::Connected),
            mode: Mode {
                shut_write: true,
                ..Mode::default()
            },
            tcp: Some(TcpInfo {
                state: TcpState::Close,
                accept_queue: None,
                accept_queue_limit: None,
            }),
            local: None,
            peer: "127.0.0.1:8888".parse().ok(),
        };
        let recv = event(Call::Recv {
            data: Vec::new(),
            capacity: 16,
            connection: Some(Lingering::Unknown),
            via: Transfer::SendRecv { flags: 0 },
        });
        assert_eq!(end(&recv, Some(Lingering::Unknown)), End::Unobserved);
        assert_eq!(end(&recv, Some(Lingering::Gone)), End::Reset);
        let tcp = recv.tcp;
        let close = |after| {
            let mut close = event(Call::Close {
                unread: Some(0),
                before: tcp,
                after: Some(after),
            });
            close.tcp = None;
            self::close(&close)
        };
        assert_eq!(close(Lingering::Unknown), Close::Unobserved);
        assert_eq!(close(Lingering::Gone), Close::AlreadyReset);
    }

    fn event(transport: Transport, call: Call, outcome: Outcome, before: StateName) -> Event {
        Event {
            seq: 1,
            thread: Arc::from("main"),
            socket: Arc::from("x"),
            transport,
            family: Family::V4,
            fd: Some(3),
            call,
            outcome,
            before: Some(before),
            after: Some(before),
            mode: Mode::default(),
            tcp: None,
            local: None,
            peer: None,
        }
    }

    fn said(event: &Event) -> Phrase {
        phrase(event, &crate::render::redact::Redaction::none())
    }

    fn info(state: TcpState, queue: Option<(u32, u32)>) -> TcpInfo {
        TcpInfo {
            state,
            accept_queue: queue.map(|q| q.0),
            accept_queue_limit: queue.map(|q| q.1),
        }
    }

    /// A wait is told for the socket it is the event of: ready, timed
    /// out, an error, or another descriptor ready first.
    #[test]
    fn a_wait_ends_for_each_socket_as_the_kernel_answered() {
        use crate::event::{WaitCall, Waited};
        let waited = |fd, readable, failed| Waited {
            fd,
            read: true,
            readable,
            failed,
            ..Waited::default()
        };
        let ended = |fds: Vec<Waited>, returned| {
            let call = Call::Wait {
                syscall: WaitCall::Poll,
                fds,
                timeout: None,
            };
            let wait = event(
                Transport::Tcp,
                call,
                Outcome::Returned(returned),
                StateName::Connected,
            );
            match said(&wait) {
                Phrase::Waited { outcome, read, .. } => {
                    assert!(read);
                    outcome
                }
                other => panic!("not a wait: {other:?}"),
            }
        };
        let ready = WaitOutcome::Ready {
            read: true,
            write: false,
        };
        assert_eq!(ended(vec![waited(3, true, false)], 1), ready);
        assert_eq!(
            ended(vec![waited(3, false, false)], 0),
            WaitOutcome::TimedOut
        );
        assert_eq!(
            ended(vec![waited(3, false, false), waited(4, true, false)], 1),
            WaitOutcome::OtherReady
        );
        assert_eq!(ended(vec![waited(3, true, true)], 1), WaitOutcome::Error);
    }

    /// A listener's close while the kernel still holds it listening:
    /// another descriptor keeps it.
    #[test]
    fn a_listener_held_elsewhere_goes_on_listening() {
        let close = |after| Call::Close {
            unread: None,
            before: Some(info(TcpState::Listen, Some((0, 5)))),
            after,
        };
        let held = event(
            Transport::Tcp,
            close(Some(Lingering::Holds(TcpState::Listen))),
            Outcome::Returned(0),
            StateName::Listening,
        );
        assert_eq!(said(&held), Phrase::Close(Close::ListenerStillHeld));
        let gone = event(
            Transport::Tcp,
            close(None),
            Outcome::Returned(0),
            StateName::Listening,
        );
        assert_eq!(
            said(&gone),
            Phrase::Close(Close::Listener { waiting: Some(0) })
        );
    }

    #[test]
    fn a_datagram_that_fills_the_buffer_exactly_is_whole() {
        let from: SocketAddr = "127.0.0.1:9".parse().expect("an address");
        let recv = Call::RecvFrom {
            data: b"0123".to_vec(),
            capacity: 4,
            from: Some(from),
            msg_trunc: true,
            addr_len: Some(128),
        };
        let got = |size| {
            said(&event(
                Transport::Udp,
                recv.clone(),
                Outcome::Returned(size),
                StateName::Bound,
            ))
        };
        let from = from.to_string();
        assert_eq!(
            got(4),
            Phrase::DatagramReceived {
                size: 4,
                from: from.clone()
            }
        );
        assert_eq!(
            got(5),
            Phrase::DatagramTruncated {
                kept: 4,
                size: 5,
                from: from.clone()
            }
        );
        assert_eq!(got(0), Phrase::DatagramEmpty { from });
    }

    #[test]
    fn a_shutdown_is_told_by_what_was_shut() {
        let shut = |transport, how, outcome, before| {
            said(&event(transport, Call::Shutdown { how }, outcome, before))
        };
        let ok = Outcome::Returned(0);
        let notconn = Outcome::Failed(Errno::ENOTCONN.code().unwrap_or(0));
        assert_eq!(
            shut(Transport::Udp, Shutdown::Both, ok, StateName::Bound),
            Phrase::ShutdownDatagram
        );
        assert_eq!(
            shut(Transport::Udp, Shutdown::Both, notconn, StateName::Bound),
            Phrase::ShutdownDatagram
        );
        assert_eq!(
            shut(Transport::Tcp, Shutdown::Both, ok, StateName::Listening),
            Phrase::ShutdownListener
        );
        assert_eq!(
            shut(Transport::Tcp, Shutdown::Write, ok, StateName::Connected),
            Phrase::Shutdown {
                how: Shutdown::Write,
                fin: true
            }
        );
        assert_eq!(
            shut(Transport::Tcp, Shutdown::Read, ok, StateName::Connected),
            Phrase::Shutdown {
                how: Shutdown::Read,
                fin: false
            }
        );
        // On TCP, ENOTCONN is a failure with its advice.
        assert!(matches!(
            shut(
                Transport::Tcp,
                Shutdown::Write,
                notconn,
                StateName::Connected
            ),
            Phrase::Failed(Hint {
                cause: Cause::NotConnected,
                ..
            })
        ));
    }

    #[test]
    fn a_time_wait_is_both_fins_only_after_this_sides_own() {
        let recv = Call::Recv {
            data: Vec::new(),
            capacity: 16,
            connection: Some(Lingering::Holds(TcpState::TimeWait)),
            via: Transfer::SendRecv { flags: 0 },
        };
        let mut ended = event(
            Transport::Tcp,
            recv,
            Outcome::Returned(0),
            StateName::Connected,
        );
        ended.tcp = Some(info(TcpState::Close, None));
        ended.mode.shut_write = true;
        assert_eq!(said(&ended), Phrase::End(End::BothFins));
        ended.mode.shut_write = false;
        assert_eq!(said(&ended), Phrase::End(End::Reset));
    }

    #[test]
    fn the_accept_queue_after_an_accept() {
        let queue_of = |q| queue(Some(info(TcpState::Listen, q)));
        assert_eq!(queue(None), Queue::Quiet);
        assert_eq!(queue_of(None), Queue::Quiet);
        assert_eq!(queue_of(Some((0, 5))), Queue::Quiet);
        assert_eq!(queue_of(Some((0, 0))), Queue::Quiet);
        assert_eq!(
            queue_of(Some((1, 5))),
            Queue::Waiting {
                waiting: 1,
                limit: 5
            }
        );
        assert_eq!(
            queue_of(Some((5, 5))),
            Queue::WasFull {
                waiting: 5,
                limit: 5
            }
        );
        assert_eq!(
            queue_of(Some((6, 5))),
            Queue::WasFull {
                waiting: 6,
                limit: 5
            }
        );
    }

    #[test]
    fn the_phase_of_a_step() {
        let phase =
            |call, outcome, before| Phase::of(&event(Transport::Tcp, call, outcome, before));
        let recv = |capacity| Call::Recv {
            data: Vec::new(),
            capacity,
            connection: None,
            via: Transfer::SendRecv { flags: 0 },
        };
        let (zero, connected) = (Outcome::Returned(0), StateName::Connected);
        // The end of the stream belongs to the close; an empty buffer's 0
        // does not.
        assert_eq!(phase(recv(1), zero, connected), Phase::Close);
        assert_eq!(phase(recv(0), zero, connected), Phase::Communication);
        assert_eq!(
            phase(recv(1), Outcome::Returned(1), connected),
            Phase::Communication
        );
        let option = || Call::SetOption {
            option: SocketOption::ReadTimeout(None),
        };
        assert_eq!(
            phase(option(), zero, StateName::Created),
            Phase::Preparation
        );
        assert_eq!(phase(option(), zero, StateName::Bound), Phase::Preparation);
        assert_eq!(phase(option(), zero, connected), Phase::Communication);
    }
}
