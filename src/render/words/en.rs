//! English: every phrase, hint, term and errno description.

use std::net::Shutdown;

use super::table::Words;
use crate::check::Check;
use crate::errno::{Cause, Errno};
use crate::event::{SocketOption, StateName, Transport};
use crate::kernel::{Lingering, Rules, TcpState};
use crate::render::phrase::{
    Blocked, Close, End, Hint, PageWord, Phase, Phrase, Queue, Term, WaitOutcome,
};

/// The English table, for one system's rules.
pub(crate) struct En {
    /// What the system names `shutdown`'s directions, a timeout, a reset;
    /// what its `SO_REUSEADDR` allows.
    pub(crate) rules: Rules,
}

impl Words for En {
    fn phrase(&self, phrase: &Phrase) -> String {
        match phrase {
            Phrase::Created {
                transport: Transport::Tcp,
            } => format!(
                "{}(): a new TCP endpoint, not yet tied to any address",
                self.rules.socket
            ),
            Phrase::Created {
                transport: Transport::Udp,
            } => format!(
                "{}(): a new UDP endpoint, not yet tied to any address; UDP has no connection: each datagram carries its destination",
                self.rules.socket
            ),
            Phrase::Option(SocketOption::ReuseAddress(true)) if self.rules.reuse_shares_live_ports => "SO_REUSEADDR on: here bind may take a port another socket holds — not only one old connections hold in TIME_WAIT, but a live server's too, unless that socket set SO_EXCLUSIVEADDRUSE; two servers can then listen on one port".into(),
            Phrase::Option(SocketOption::ReuseAddress(true)) => "SO_REUSEADDR on: bind may take a port that old connections still hold in TIME_WAIT".into(),
            Phrase::Option(SocketOption::ReuseAddress(false)) => "SO_REUSEADDR off: a port that connections still hold in TIME_WAIT cannot be bound".into(),
            Phrase::Option(SocketOption::ReadTimeout(Some(limit))) => format!(
                "SO_RCVTIMEO: a read that waits {} without data gives up ({})",
                self.duration(*limit),
                self.rules.timeout
            ),
            Phrase::Option(SocketOption::ReadTimeout(None)) => "SO_RCVTIMEO: reads wait with no time limit".into(),
            Phrase::Option(SocketOption::WriteTimeout(Some(limit))) => format!(
                "SO_SNDTIMEO: a send that waits {} with the send buffer full gives up ({}); the buffer stays full when the peer reads nothing",
                self.duration(*limit),
                self.rules.timeout
            ),
            Phrase::Option(SocketOption::WriteTimeout(None)) => "SO_SNDTIMEO: sends wait with no time limit".into(),
            Phrase::Option(SocketOption::Linger { on: true, seconds: 0 }) => "SO_LINGER on, 0 s: close() will not end the connection in order: it resets it (RST) at once and drops whatever was not sent yet; there will be no TIME_WAIT".into(),
            Phrase::Option(SocketOption::Linger { on: true, seconds }) => format!(
                "SO_LINGER on, {seconds} s: close() waits up to {seconds} s for data not yet sent to leave and be acknowledged"
            ),
            Phrase::Option(SocketOption::Linger { on: false, .. }) => "SO_LINGER off: close() returns at once, and the kernel sends what is left, then the FIN, on its own".into(),
            Phrase::Option(SocketOption::NoDelay(true)) => "TCP_NODELAY on: small sends leave at once instead of being held back to be joined (Nagle's algorithm off)".into(),
            Phrase::Option(SocketOption::NoDelay(false)) => "TCP_NODELAY off: the kernel may hold small sends back to join them (Nagle's algorithm)".into(),
            Phrase::Option(option @ SocketOption::Other { .. }) => format!(
                "setsockopt(): option {} set; this trace does not explain that option",
                option.name()
            ),
            Phrase::Bound {
                local,
                port_zero: true,
            } => format!("bind(): bound to {local}; port 0 asked the kernel for a free port"),
            Phrase::Bound {
                local,
                port_zero: false,
            } => format!("bind(): bound to {local}"),
            Phrase::Listening {
                local,
                backlog,
                limit,
            } => {
                let queue = match limit {
                    Some(limit) if i64::from(*limit) == i64::from(*backlog) => {
                        format!("backlog {backlog}; Linux lets {} wait", u64::from(*limit) + 1)
                    }
                    Some(limit) => format!(
                        "backlog {backlog}, which the kernel set to {limit}; Linux lets {} wait",
                        u64::from(*limit) + 1
                    ),
                    None => format!("backlog {backlog}"),
                };
                format!(
                    "listen(): listening on {local}; the kernel completes handshakes by itself and queues ready connections for accept() ({queue})"
                )
            }
            Phrase::Accepted { peer, child, queue } => {
                let queue = match queue {
                    Queue::Quiet => String::new(),
                    Queue::Waiting { waiting, limit } => {
                        format!(". {waiting} more connection(s) wait in the queue (limit {limit})")
                    }
                    Queue::WasFull { waiting, limit } => format!(
                        ". The accept queue was full until this accept ({waiting}/{limit} still wait; Linux queues {}): meanwhile the kernel drops finished handshakes, and each dropped client retries about 1 s later; a bigger backlog in listen() avoids that",
                        u64::from(*limit) + 1
                    ),
                };
                format!(
                    "accept(): took the connection from {peer} off the queue, its three-way handshake already done by the kernel; it is the new socket {child}{queue}"
                )
            }
            Phrase::Connected { local, peer } => format!(
                "connect(): three-way handshake (SYN → SYN-ACK → ACK) done: {local} → {peer}"
            ),
            Phrase::ConnectStarted { local, peer, done: false } => format!(
                "connect() on a non-blocking socket: the SYN left ({local} → {peer}) and the call returned at once with EINPROGRESS — not a failure: the kernel finishes the handshake by itself; the socket is Connecting until it becomes writable and SO_ERROR tells how the handshake ended"
            ),
            Phrase::ConnectStarted { local, peer, done: true } => format!(
                "connect() on a non-blocking socket returned 0 at once: the handshake {local} → {peer} was over already; SO_ERROR still confirms it"
            ),
            Phrase::ConnectFinished { local, peer } => format!(
                "getsockopt(SO_ERROR) = 0: the non-blocking connect's handshake (SYN → SYN-ACK → ACK) succeeded: {local} → {peer}; the socket is Connected (and still non-blocking)"
            ),
            Phrase::ConnectFailed { errno, hint } => format!(
                "getsockopt(SO_ERROR) = {errno}: the non-blocking connect failed — the connect() call itself only said EINPROGRESS, so this is the one place the failure shows; {}",
                self.hint(hint)
            ),
            Phrase::Nonblocking => "O_NONBLOCK on: from now on a call that would wait (accept with an empty queue, recv with nothing received, send with a full buffer) returns at once with EAGAIN instead; the program waits for readiness itself (poll)".into(),
            Phrase::NotReady(blocked) => {
                let what = match blocked {
                    Blocked::Accept => "accept(): no connection waits in the queue".to_string(),
                    Blocked::Recv => "recv(): nothing has arrived".to_string(),
                    Blocked::Send => "send(): the send buffer is full; not one byte was taken".to_string(),
                    Blocked::Other(call) => format!("{call}(): nothing is ready"),
                };
                format!("{what} — EAGAIN on a non-blocking socket means \"nothing ready yet\", not a failure and not a timeout; wait for readiness (poll) and call again")
            }
            Phrase::WaitedOn { call, asked, timeout, ready, more } => {
                let asked = match asked {
                    Some(n) => format!("{n} socket(s)"),
                    None => "the sockets registered with it".to_string(),
                };
                let limit = match timeout {
                    None => "with no time limit".to_string(),
                    Some(limit) if limit.is_zero() => "without waiting (a time limit of 0)".to_string(),
                    Some(limit) => format!("for at most {}", self.duration(*limit)),
                };
                if ready.is_empty() {
                    return format!("{call}(): the program waited on {asked} {limit}; the time limit passed with none ready");
                }
                let each: Vec<String> = ready.iter().map(|r| {
                    let may = match (r.state, r.readable, r.writable, r.trouble) {
                        (_, _, _, true) => "an error or a hang-up: the next call on it says which",
                        (Some(StateName::Listening), true, _, _) => "accept() will not wait",
                        (Some(StateName::Connecting), _, true, _) => "its handshake has ended: read SO_ERROR",
                        (_, true, true, _) => "recv() and send() will not wait",
                        (_, true, false, _) => "recv() will not wait (data, or the peer's FIN)",
                        (_, false, _, _) => "send() will not wait",
                    };
                    format!("{}: {may}", r.label)
                }).collect();
                let count = ready.len() + *more;
                let more = if *more > 0 { format!("; and {more} more") } else { String::new() };
                format!(
                    "{call}(): one thread waited on {asked} at once, {limit}; {} ready — {}{more}. Those calls return at once now; the others would still wait",
                    count,
                    each.join("; ")
                )
            }
            Phrase::PeerFixed { local, peer } => format!(
                "connect() on UDP: no packet leaves, there is no handshake; the kernel only fixes the peer {peer} (send/recv now talk to it alone) and the local address {local}"
            ),
            Phrase::SentPart { offered } => format!(
                "send(): the kernel took only part of the {offered} bytes (its buffers filled; how much depends on how fast the peer reads); the rest must be sent again, once the socket is writable"
            ),
            Phrase::Sent { offered: 0, .. } => "send(): 0 bytes offered: nothing leaves".into(),
            Phrase::Sent { sent, offered } if *sent < *offered as i64 => format!(
                "send(): the kernel took only {sent} of {offered} bytes (its send buffer is full); the rest must be sent again"
            ),
            Phrase::Sent { sent, .. } => format!(
                "send(): {sent} bytes handed to the kernel's send buffer; TCP delivers them in order"
            ),
            Phrase::Received { n } => format!(
                "recv(): {n} bytes received; TCP is a byte stream, with no message boundaries"
            ),
            Phrase::EmptyBuffer => "recv() with a buffer of 0 bytes: it returns 0 and reads nothing; this 0 is not the end of the stream".into(),
            Phrase::End(End::OwnShutdown) => "recv() returned 0 because this side shut its own reading (shutdown): the 0 says nothing about the peer, and Linux still delivers bytes that arrive later".into(),
            Phrase::End(End::PeerFin) => "recv() returned 0: the peer closed its sending side (its FIN arrived); no more data will come".into(),
            Phrase::End(End::Reset) => "recv() returned 0 and the kernel holds the connection in CLOSE: it ended with a reset (RST), not in order; no more data will come".into(),
            Phrase::End(End::BothFins) => "recv() returned 0: the peer's FIN arrived after this side's (shutdown); both directions are closed and the kernel keeps the connection in TIME_WAIT".into(),
            Phrase::End(End::Unobserved) => "recv() returned 0: no more data will come (the peer closed its side, or the connection ended; this system does not show the kernel's state)".into(),
            Phrase::DatagramSent { len, to, bound } => {
                let bound = match bound {
                    Some(local) => format!(
                        "; the socket had no address: the kernel bound it to {local} (an ephemeral port)"
                    ),
                    None => String::new(),
                };
                format!(
                    "sendto(): one datagram of {len} bytes to {to}, whole or not at all; no connection, no delivery receipt{bound}"
                )
            }
            Phrase::DatagramReceived { size, from } => format!(
                "recvfrom(): one whole datagram of {size} bytes from {from}; UDP keeps message boundaries: one sendto, one recvfrom"
            ),
            Phrase::DatagramEmpty { from } => format!(
                "recvfrom(): an empty datagram from {from}; in UDP, 0 bytes is a message, not the end"
            ),
            Phrase::DatagramTruncated { kept, size, from } => format!(
                "recvfrom(): datagram from {from} TRUNCATED: {kept} of {size} bytes kept (the buffer holds {kept}); MSG_TRUNC made the kernel return the real size, and the rest is lost"
            ),
            Phrase::ReadingShut => "recvfrom() returned 0 with no sender: not a datagram, the socket was shut for reading (shutdown)".into(),
            Phrase::NoDatagram => format!(
                "no datagram arrived within the SO_RCVTIMEO limit ({}): in UDP a missing server gives no sign — no RST, no refused connection — only silence",
                self.rules.timeout
            ),
            Phrase::Shutdown {
                how: Shutdown::Write,
                fin: true,
            } => format!(
                "shutdown({}): FIN sent; this side sends no more but can still read",
                self.rules.shut[1]
            ),
            Phrase::Shutdown {
                how: Shutdown::Write,
                fin: false,
            } => format!(
                "shutdown({}): sending was shut already; nothing new leaves",
                self.rules.shut[1]
            ),
            Phrase::Shutdown {
                how: Shutdown::Read,
                ..
            } => format!(
                "shutdown({}): this side reads no more; nothing is sent to the peer (TCP has no segment for it), and recv() now returns 0 whenever nothing is queued",
                self.rules.shut[0]
            ),
            Phrase::Shutdown {
                how: Shutdown::Both,
                fin: true,
            } => format!(
                "shutdown({}): both directions shut: FIN sent, and a blocked recv() wakes up",
                self.rules.shut[2]
            ),
            Phrase::Shutdown {
                how: Shutdown::Both,
                fin: false,
            } => format!(
                "shutdown({}): both directions shut (the FIN had left already); a blocked recv() wakes up",
                self.rules.shut[2]
            ),
            Phrase::ShutdownListener => format!(
                "shutdown({}) on a listener: it stops listening, and a blocked accept() wakes up (with EINVAL on Linux)",
                self.rules.shut[2]
            ),
            Phrase::ListenerNotShut { errno } => format!(
                "shutdown() on a listener: this system does not shut a listening socket ({errno}); it goes on listening, and a blocked accept() sleeps on"
            ),
            Phrase::ShutdownDatagram if !self.rules.unconnected_udp_shutdown_wakes => "shutdown() on UDP: no FIN, there is no connection; whether it wakes a blocked recvfrom() is up to the system (Linux wakes it, even unconnected; here that is not taken for granted)".into(),
            Phrase::ShutdownDatagram => "shutdown() on UDP: no FIN, there is no connection; unconnected, Linux answers ENOTCONN, yet marks the socket and wakes a blocked recvfrom".into(),
            Phrase::Close(close) => format!("{}(): {}", self.rules.close, self.close(*close)),
            Phrase::Waited {
                call,
                read,
                write,
                timeout,
                outcome,
            } => {
                let what = match (read, write) {
                    (true, false) => "until this socket had something to read (data, a connection to accept, or the peer's FIN)",
                    (false, true) => "until it could write to this socket",
                    _ => "until it could read or write this socket",
                };
                let limit = match timeout {
                    None => String::new(),
                    Some(limit) if limit.is_zero() => " — without waiting at all (a time limit of 0)".into(),
                    Some(limit) => format!(" for at most {}", self.duration(*limit)),
                };
                let outcome = match outcome {
                    WaitOutcome::Ready { read: true, .. } => "it can read now: the next recv or accept returns at once",
                    WaitOutcome::Ready { .. } => "it can write now: the next send returns at once",
                    WaitOutcome::TimedOut => "the time limit passed first: nothing is ready",
                    WaitOutcome::OtherReady => "another descriptor was ready first; this socket is not",
                    WaitOutcome::Error => "the kernel reports an error or a hang-up on this socket: the next call on it says which",
                };
                format!("{call}(): the program waited {what}{limit}; {outcome}")
            }
            Phrase::EpollCreated => "epoll_create1(): a new epoll instance: the kernel keeps the sockets registered with it and tells which are ready, without being handed the whole list at every wait as poll() is".into(),
            Phrase::EpollAdded { socket, read, write, edge } => {
                let what = match (read, write) {
                    (true, false) => "to read",
                    (false, true) => "to write",
                    _ => "to read or write",
                };
                let trigger = if *edge {
                    "edge-triggered (EPOLLET): reported once each time it becomes ready; what is left unread is not reported again until more arrives"
                } else {
                    "level-triggered (the default): reported at every wait for as long as it is ready"
                };
                format!("epoll_ctl(EPOLL_CTL_ADD): {socket} registered, waited on {what}; {trigger}")
            }
            Phrase::Lookup(Lingering::Holds(TcpState::TimeWait)) => "after close, the kernel still keeps the connection in TIME_WAIT: the side that closes first waits 2×MSL (60 s on Linux), so that late segments of this connection are not taken for a new one's".into(),
            Phrase::Lookup(Lingering::Holds(state)) => {
                format!("after close, the kernel still keeps the connection in {state}")
            }
            Phrase::Lookup(Lingering::Gone) => "after close, the kernel has forgotten the connection".into(),
            Phrase::Lookup(Lingering::Unknown) => "the kernel cannot be asked about a closed connection on this system".into(),
            Phrase::Failed(hint) => self.hint(hint),
        }
    }

    fn hint(&self, hint: &Hint) -> String {
        let at = hint.addr.as_deref().unwrap_or("that address");
        match hint.cause {
            Cause::NoListener => format!(
                "nobody is listening on {at}: start the server first, or check host and port"
            ),
            Cause::PortInUse if self.rules.reuse_shares_live_ports => format!(
                "another socket already holds {at}: stop the other program or pick another port (here SO_REUSEADDR would let this socket share the port, even with a live server, unless that one set SO_EXCLUSIVEADDRUSE)"
            ),
            Cause::PortInUse => format!(
                "another socket already holds {at}: stop the other program or pick another port (SO_REUSEADDR only frees ports held in TIME_WAIT, not a live server)"
            ),
            Cause::Permission if !self.rules.privileged_ports => format!(
                "no permission for {at}: no port needs privileges here, but the system reserves some (netsh int ipv4 show excludedportrange protocol=tcp) and another socket may hold it with SO_EXCLUSIVEADDRUSE; pick another port, such as 8888"
            ),
            Cause::Permission => format!(
                "no permission for {at}: ports below 1024 need privileges; use a port ≥ 1024, such as 8888"
            ),
            Cause::OwnShutdown => format!(
                "this side shut its sending earlier with shutdown({}), so every send now fails: send everything before the shutdown",
                self.rules.shut[1]
            ),
            Cause::ConnectionOver => "the connection is over (it was reset, or both sides closed it): nothing more can be sent; close the socket".into(),
            Cause::Reset => "the peer's kernel reset the connection (RST): the peer closed while data it never read was waiting, or this side wrote to a connection the peer had closed; close this socket".into(),
            Cause::TimedOut => "timed out: nothing arrived within the time limit; the peer may be silent or down".into(),
            Cause::PeerNotReading => "the send waited its whole time limit (SO_SNDTIMEO) with the send buffer full: the peer has read nothing for that long, and its receive buffer is full too; close the connection — part of the bytes may have gone".into(),
            Cause::WouldBlock => "nothing is ready yet: the socket is non-blocking, so the call returns at once instead of waiting; wait until it is ready (poll) and call again".into(),
            Cause::OutOfOrder => "the kernel refuses this call in the socket's current state (EINVAL): check the order socket → bind → listen → accept, and the arguments".into(),
            Cause::NotListening => "the socket no longer listens (a shutdown ended it, as on Ctrl+C): accept() has nothing left to wait for".into(),
            Cause::FamilyMismatch => format!(
                "{at} belongs to the other address family: an IPv4 address needs an IPv4 socket (tcp_v4, AF_INET) and an IPv6 address an IPv6 one (tcp_v6, AF_INET6); tcp_for(&addr) makes the right one"
            ),
            Cause::FamilyUnsupported => "this system does not offer that address family (is IPv6 switched off?)".into(),
            Cause::AlreadyConnected => "the socket is connected already: a second connect() is refused; make a new socket for another connection".into(),
            Cause::BadDescriptor => "the descriptor is not open: something closed it behind this socket's back (another close() of the same number)".into(),
            Cause::NotConnected => "the socket is not connected: the connection never happened, or it has ended (it was reset)".into(),
            Cause::AddressNotAvailable => format!(
                "{at} does not belong to this machine: use 127.0.0.1, 0.0.0.0 or a local address"
            ),
            Cause::Unreachable => format!("there is no route to {at}: check the address and the network"),
            Cause::TooManyFiles => "too many open files: close the sockets you no longer use".into(),
            Cause::ZeroTimeout => "a time limit of zero would make the kernel wait forever: pass None for no limit, or at least 1 µs".into(),
            Cause::Other => "unexpected error: see the call's manual page (man 2) and the errno".into(),
        }
    }

    fn term(&self, term: &Term) -> String {
        match term {
            Term::AcceptQueue => "accept queue".into(),
            Term::Kernel => "kernel".into(),
            Term::Gone => "gone".into(),
            Term::Unknown => "unknown".into(),
            Term::KernelLookup => "kernel lookup".into(),
            Term::Dropped { n } => {
                format!("{n} earlier events dropped (the recorder keeps the latest ones)")
            }
            Term::Failed => "failed".into(),
            Term::Phase(Phase::Preparation) => "1. preparation".into(),
            Term::Phase(Phase::Communication) => "2. connection and communication".into(),
            Term::Phase(Phase::Close) => "3. close".into(),
            Term::NotRecorded => "(not recorded)".into(),
            Term::NewSocket => "new socket".into(),
            Term::NewSocketEdge => "(new socket)".into(),
            Term::TypestateTitle { udp: false } => {
                "Socket<S>: the states and the calls between them".into()
            }
            Term::TypestateTitle { udp: true } => {
                "UdpSocket<S>: the states and the calls between them".into()
            }
            Term::SequenceTitle => "The conversation, step by step: one socket per column".into(),
            Term::Page(PageWord::Title) => "The life of the sockets, step by step".into(),
            Term::Page(PageWord::Call) => "call".into(),
            Term::Page(PageWord::Result) => "result".into(),
            Term::Page(PageWord::State) => "state".into(),
            Term::Page(PageWord::Kernel) => "kernel".into(),
            Term::Page(PageWord::Previous) => "◀ previous".into(),
            Term::Page(PageWord::Next) => "next ▶".into(),
            Term::Page(PageWord::Keys) => "arrows ← → to step, Home and End for the first and the last".into(),
            Term::RstNobodyListens => "RST: nobody listens".into(),
            Term::SentNothing => "send() = 0: no bytes, nothing leaves".into(),
            Term::EmptyBuffer => "recv() = 0: a buffer of 0 bytes".into(),
            Term::RecvEnd(End::OwnShutdown) => "recv() = 0: this side shut its reading".into(),
            Term::RecvEnd(End::PeerFin | End::BothFins) => "recv() = 0: FIN received".into(),
            Term::RecvEnd(End::Reset) => "recv() = 0: the connection was reset".into(),
            Term::RecvEnd(End::Unobserved) => "recv() = 0: end of stream".into(),
            Term::PeerFixedOnly { addr } => {
                format!("connect({addr}): only fixes the peer, no packet leaves")
            }
            Term::StillHolds { state } => format!("the kernel still holds: {state}"),
            Term::Forgot => "the kernel forgot the connection".into(),
            Term::NotAsked => "the kernel cannot be asked".into(),
            Term::HeldElsewhere => format!("{}(): held elsewhere, nothing sent", self.rules.close),
            Term::Waited { call, ready: true } => format!("{call}(): waited, ready"),
            Term::Waited { call, ready: false } => format!("{call}(): waited, not ready"),
            Term::StepsLed => "the steps that led to it:".into(),
            Term::ServerDidNotStart(error) => format!("the server starts: {error}"),
            Term::ServerDidNotStop => "the server stops when its listener is shut down: its accept() loop must end when accept() fails".into(),
        }
    }

    fn errno(&self, errno: Errno) -> &'static str {
        match errno {
            Errno::EPERM => "Operation not permitted",
            Errno::ENOENT => "No such file or directory",
            Errno::EINTR => "Interrupted system call",
            Errno::EBADF => "Bad file descriptor",
            Errno::EAGAIN => "Resource temporarily unavailable",
            Errno::EWOULDBLOCK => "Resource temporarily unavailable",
            Errno::ENOMEM => "Cannot allocate memory",
            Errno::EACCES => "Permission denied",
            Errno::EFAULT => "Bad address",
            Errno::EINVAL => "Invalid argument",
            Errno::ENFILE => "Too many open files in system",
            Errno::EMFILE => "Too many open files",
            Errno::EPIPE => "Broken pipe",
            Errno::EPROTO => "Protocol error",
            Errno::ENOTSOCK => "Socket operation on non-socket",
            Errno::EDESTADDRREQ => "Destination address required",
            Errno::EMSGSIZE => "Message too long",
            Errno::EPROTOTYPE => "Protocol wrong type for socket",
            Errno::ENOPROTOOPT => "Protocol not available",
            Errno::EPROTONOSUPPORT => "Protocol not supported",
            Errno::ESOCKTNOSUPPORT => "Socket type not supported",
            Errno::EOPNOTSUPP => "Operation not supported",
            Errno::EPFNOSUPPORT => "Protocol family not supported",
            Errno::EAFNOSUPPORT => "Address family not supported by protocol",
            Errno::EADDRINUSE => "Address already in use",
            Errno::EADDRNOTAVAIL => "Cannot assign requested address",
            Errno::ENETDOWN => "Network is down",
            Errno::ENETUNREACH => "Network is unreachable",
            Errno::ENETRESET => "Network dropped connection on reset",
            Errno::ECONNABORTED => "Software caused connection abort",
            Errno::ECONNRESET => "Connection reset by peer",
            Errno::ENOBUFS => "No buffer space available",
            Errno::EISCONN => "Transport endpoint is already connected",
            Errno::ENOTCONN => "Transport endpoint is not connected",
            Errno::ESHUTDOWN => "Cannot send after transport endpoint shutdown",
            Errno::ETIMEDOUT => "Connection timed out",
            Errno::ECONNREFUSED => "Connection refused",
            Errno::EHOSTDOWN => "Host is down",
            Errno::EHOSTUNREACH => "No route to host",
            Errno::EALREADY => "Operation already in progress",
            Errno::EINPROGRESS => "Operation now in progress",
        }
    }

    fn check(&self, check: Check) -> String {
        match check {
            Check::ReuseAddressBeforeBind => "a server sets SO_REUSEADDR before bind()",
            Check::EverySocketClosed => "every socket is closed by the end",
            Check::EndOfStreamClosed => "recv() = 0 is answered by closing",
            Check::ShortSendCompleted => "a short send() is completed with the rest",
            Check::NothingAfterFailure => "a socket whose call failed for good is only closed",
            Check::AcceptAfterListen => "accept() only on a socket that listens",
            Check::ServerAnswersFin => "a server answers its client's FIN by closing",
        }
        .into()
    }

    fn note(&self, check: Check, socket: &str) -> String {
        match check {
            Check::ReuseAddressBeforeBind => format!(
                "{socket}: bind() without SO_REUSEADDR before it: restarted at once, the server cannot take its port while old connections sit in TIME_WAIT (EADDRINUSE); call setsockopt(SO_REUSEADDR, 1) between socket() and bind()"
            ),
            Check::EverySocketClosed => format!(
                "{socket}: never closed: its descriptor leaks, and a connection stays open until the process ends; close() it when you are done (in every path, errors too)"
            ),
            Check::EndOfStreamClosed => format!(
                "{socket}: recv() returned 0 — no more data will come — yet the socket went on being used; stop reading there and close() it"
            ),
            Check::ShortSendCompleted => format!(
                "{socket}: send() took fewer bytes than offered and the rest was never sent; loop until every byte is taken (send_all)"
            ),
            Check::NothingAfterFailure => format!(
                "{socket}: used after a call that failed for good; after such an error the socket is good for nothing but close()"
            ),
            Check::AcceptAfterListen => format!(
                "{socket}: accept() on a socket that does not listen; call bind() and listen() first"
            ),
            Check::ServerAnswersFin => format!(
                "{socket}: the client closed (recv() = 0) but the server never closed its side: the connection stays in CLOSE_WAIT; close() after recv() returns 0"
            ),
        }
    }

    fn decimal_mark(&self) -> char {
        '.'
    }
}

impl En {
    /// What a close did, after `close(): `.
    fn close(&self, close: Close) -> String {
        match close {
            Close::Unconnected => "descriptor released; the socket is gone".into(),
            Close::Epoll => "descriptor released; the epoll instance is gone, and its registrations with it (the sockets stay open)".into(),
            Close::Listener { waiting: Some(waiting @ 1..) } => format!(
                "descriptor released; the listener is gone, and the {waiting} connection(s) still waiting in its queue are reset (RST)"
            ),
            Close::Listener { .. } => "descriptor released; the listener is gone: new connections are refused".into(),
            Close::Datagram => "descriptor released; UDP has no connection to end: no FIN, nothing lingers in the kernel".into(),
            Close::StillHeld { state } => format!(
                "this descriptor is gone, but the kernel still holds the connection in {state}: another descriptor (a dup, or a child process) keeps the socket open, so nothing was sent; the FIN leaves when the last one closes"
            ),
            Close::ListenerStillHeld => "this descriptor is gone, but another one (a dup, or another process's copy after fork) still holds the listener: it goes on listening".into(),
            Close::Reset { unread } => format!(
                "descriptor released with {unread} bytes never read: the kernel throws them away and resets the connection (RST) instead of sending a FIN; the peer's next recv or send fails with {}",
                self.rules.reset
            ),
            Close::AlreadyReset => "descriptor released; the connection had already ended with a reset, so nothing is sent".into(),
            Close::First => "descriptor released; this side closes first: its FIN leaves, and the kernel waits for the peer's FIN".into(),
            Close::AnswersFin => "descriptor released; the peer had closed first: this side's FIN answers its FIN, and the kernel forgets the connection when the last ACK arrives".into(),
            Close::FinSentEarlier => "descriptor released; this side's FIN left earlier (shutdown), and the kernel finishes the connection on its own".into(),
            Close::BothFinsDone => "descriptor released; both FINs had been exchanged: the kernel keeps the connection in TIME_WAIT".into(),
            Close::Unobserved => "descriptor released; the kernel ends the connection on its own (this system does not show its state)".into(),
            Close::Unordered => "descriptor released; the peer is not in this trace and had not closed its side, so its timing decides the end: this side's FIN leaves first, or answers the peer's, or — if the peer's bytes arrive unread — the connection is reset (RST)".into(),
        }
    }
}
