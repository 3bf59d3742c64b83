//! Decoded calls become the library's own [`Event`]s: at a call's entry
//! the observer keeps what only the entry shows (the bytes a send offers,
//! the address a `connect` names, what the kernel says just before a
//! `close`); at its exit it makes the event from the result, the socket's
//! typestate before and after, and what the kernel says right after — the
//! same facts the library records for a Rust program, so that every
//! rendering (strace line, narration, diagram, canonical form, checks)
//! reads them alike.
//!
//! Only IPv4 and IPv6 sockets of TCP (`SOCK_STREAM`) and UDP
//! (`SOCK_DGRAM`) are followed; a `read` or `write` on anything else (a
//! file, a pipe, a terminal) is not a socket call and is left alone.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, Shutdown, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

use nix::unistd::Pid;
use socket_lifecycle::errno::Errno;
use socket_lifecycle::event::{
    Buffer, Call, DATA_PREVIEW, Event, Family, FdFlags, Outcome, SocketOption, Transfer, Transport,
    WaitCall, Waited,
};
use socket_lifecycle::kernel::{self, Lingering, TcpInfo};
use socket_lifecycle::{StateName, TcpState};

use crate::arch::{Stop, Sys};
use crate::descriptors::{SockId, Sockets, TableRef};
use crate::memory;
use crate::peek::{Peek, Seen};

/// The thread a call was made by, and its process.
pub struct Ctx<'a> {
    /// The thread (its kernel id).
    pub tid: Pid,
    /// The process (thread group) it belongs to.
    pub pid: Pid,
    /// The process's descriptor table.
    pub table: &'a TableRef,
    /// The program's name, for the labels of the sockets it makes.
    pub program: &'a Arc<str>,
}

/// What a call's entry showed, kept for its exit.
#[derive(Debug)]
pub struct Pending {
    sys: Sys,
    args: [u64; 6],
    sock: Option<SockId>,
    before: Before,
}

/// What only the entry of a call shows.
#[derive(Debug)]
enum Before {
    Nothing,
    /// The address a `bind`, `connect` or `sendto` names.
    Address(Option<SocketAddr>),
    /// The size of the address buffer an `accept` offers.
    AddrLen(Option<u32>),
    /// The option a `setsockopt` sets.
    Option(Option<SocketOption>),
    /// The bytes a send offers: their first bytes, how many, and how.
    Sent {
        data: Vec<u8>,
        len: usize,
        via: Transfer,
        to: Option<SocketAddr>,
        flags: i32,
    },
    /// A receive's buffers (`readv`, `recvmsg`): where they are and how big.
    Buffers(Vec<memory::IoVec>, u64),
    /// What the kernel said just before a `close`.
    Close(Seen),
    /// The descriptors a wait asks about, and its time limit.
    Waiting(Vec<Waited>, Option<Duration>),
}

/// How a call ended: its arguments, what it returned, and that as an
/// outcome.
struct Exit<'a> {
    args: &'a [u64; 6],
    outcome: Outcome,
    ret: i64,
}

/// `ERESTARTSYS` … `ERESTART_RESTARTBLOCK`: a call a signal interrupted,
/// which the kernel makes again or turns into `EINTR`. It has no result yet.
const RESTART: std::ops::RangeInclusive<i64> = -516..=-512;

/// Turns the calls of the traced processes into events.
#[derive(Default)]
pub struct Events {
    pub sockets: Sockets,
    pub peek: Peek,
}

impl Events {
    /// The socket descriptor `fd` of the calling process is, if any.
    fn sock(&self, ctx: &Ctx, fd: u64) -> Option<SockId> {
        self.sockets.lookup(ctx.table, fd as i32)
    }

    /// A call's entry: what to keep for its exit, or `None` when the call
    /// is not one the observer follows.
    pub fn entry(&mut self, ctx: &Ctx, stop: &Stop) -> Option<Pending> {
        let sys = stop.sys?;
        let args = stop.args;
        let pid = ctx.tid;
        if let Some(waiting) = self.waiting(ctx, sys, &args) {
            return Some(Pending {
                sys,
                args,
                sock: None,
                before: waiting,
            });
        }
        let sock = self.sock(ctx, args[0]);
        let before = match sys {
            Sys::Socket => Before::Nothing,
            Sys::Poll | Sys::Ppoll | Sys::Select | Sys::Pselect6 => return None,
            Sys::Dup2 | Sys::Dup3 | Sys::CloseRange => Before::Nothing,
            _ if sock.is_none() => return None,
            Sys::Bind | Sys::Connect => {
                Before::Address(memory::sockaddr(pid, args[1], args[2] as u32))
            }
            Sys::Accept | Sys::Accept4 => Before::AddrLen(
                (args[1] != 0 && args[2] != 0)
                    .then(|| memory::u32_at(pid, args[2]))
                    .flatten(),
            ),
            Sys::SetSockOpt => Before::Option(option(pid, &args)),
            Sys::SendTo | Sys::Write => {
                let len = usize::try_from(args[2]).unwrap_or(0);
                let via = match sys {
                    Sys::Write => Transfer::ReadWrite,
                    _ => Transfer::SendRecv {
                        flags: args[3] as i32,
                    },
                };
                let to = (sys == Sys::SendTo && args[4] != 0)
                    .then(|| memory::sockaddr(pid, args[4], args[5] as u32))
                    .flatten();
                Before::Sent {
                    data: memory::preview(pid, args[1], len),
                    len,
                    via,
                    to,
                    flags: if sys == Sys::SendTo {
                        args[3] as i32
                    } else {
                        0
                    },
                }
            }
            Sys::Writev | Sys::SendMsg => {
                let (iov, count, flags, msg_flags) = match sys {
                    Sys::Writev => (args[1], args[2], 0, 0),
                    _ => {
                        let msg = memory::msghdr(pid, args[1]).unwrap_or_default();
                        (msg.iov, msg.iovlen, args[2] as i32, msg.flags)
                    }
                };
                let buffers: Vec<Buffer> = memory::iovecs(pid, iov, count)
                    .iter()
                    .map(|v| Buffer {
                        data: memory::preview(pid, v.base, v.len),
                        len: v.len,
                    })
                    .collect();
                let len = buffers.iter().map(|b| b.len).sum();
                let data = joined(&buffers, usize::MAX);
                let via = match sys {
                    Sys::Writev => Transfer::Vectored { buffers },
                    _ => Transfer::Message {
                        flags,
                        buffers,
                        msg_flags,
                    },
                };
                Before::Sent {
                    data,
                    len,
                    via,
                    to: None,
                    flags,
                }
            }
            Sys::RecvFrom => Before::AddrLen(
                (args[4] != 0 && args[5] != 0)
                    .then(|| memory::u32_at(pid, args[5]))
                    .flatten(),
            ),
            Sys::Readv => Before::Buffers(memory::iovecs(pid, args[1], args[2]), 0),
            Sys::RecvMsg => {
                let msg = memory::msghdr(pid, args[1]).unwrap_or_default();
                Before::Buffers(memory::iovecs(pid, msg.iov, msg.iovlen), args[1])
            }
            Sys::Close => {
                let tcp = sock.is_some_and(|s| self.sockets.all[s].transport == Transport::Tcp);
                Before::Close(self.peek.socket(ctx.pid, args[0] as i32, tcp, tcp, false))
            }
            _ => Before::Nothing,
        };
        Some(Pending {
            sys,
            args,
            sock,
            before,
        })
    }

    /// A call's exit: the events it makes — one, none, or for a wait one
    /// per socket waited on. The descriptor tables follow what the call did.
    pub fn exit(&mut self, ctx: &Ctx, pending: Pending, ret: i64) -> Vec<Event> {
        if RESTART.contains(&ret) {
            return Vec::new();
        }
        match pending.before {
            Before::Waiting(fds, timeout) => {
                self.waited(ctx, pending.sys, &pending.args, fds, timeout, ret)
            }
            _ => self.exit_call(ctx, pending, ret).into_iter().collect(),
        }
    }

    /// The exit of a call on one descriptor.
    fn exit_call(&mut self, ctx: &Ctx, pending: Pending, ret: i64) -> Option<Event> {
        let outcome = if (-4095..0).contains(&ret) {
            Outcome::Failed((-ret) as i32)
        } else {
            Outcome::Returned(ret)
        };
        let ok = matches!(outcome, Outcome::Returned(_));
        let Pending {
            sys,
            args,
            sock,
            before,
        } = pending;
        let fd = args[0] as i32;
        match sys {
            Sys::Socket => return self.socket(ctx, &args, outcome, ret),
            Sys::Dup | Sys::Dup2 | Sys::Dup3 => {
                if ok {
                    let cloexec = sys == Sys::Dup3 && args[2] as i32 & libc::O_CLOEXEC != 0;
                    match sock {
                        Some(sock) => self.sockets.open(ctx.table, ret as i32, sock, cloexec),
                        None => {
                            self.sockets.close(ctx.table, ret as i32);
                        }
                    }
                }
                return None;
            }
            Sys::CloseRange => {
                let (first, last) = (args[0] as i32, args[1].min(i32::MAX as u64) as i32);
                if ok && args[2] as i32 & libc::CLOSE_RANGE_CLOEXEC as i32 == 0 {
                    self.sockets.close_range(ctx.table, first, last);
                }
                return None;
            }
            _ => {}
        }
        let sock = sock?;
        match sys {
            Sys::Fcntl => {
                self.fcntl(ctx, sock, &args, ret);
                return None;
            }
            Sys::Ioctl => {
                if ok && args[1] == libc::FIONBIO {
                    let on = memory::i32_at(ctx.tid, args[2]).is_some_and(|v| v != 0);
                    self.sockets.all[sock].mode.nonblocking = on;
                }
                return None;
            }
            _ => {}
        }
        let state = self.sockets.all[sock].state;
        let tcp = self.sockets.all[sock].transport == Transport::Tcp;
        let (call, after) = match (sys, before) {
            (Sys::Bind, Before::Address(Some(addr))) => {
                if ok {
                    let seen = self.peek.socket(ctx.pid, fd, false, false, true);
                    self.sockets.all[sock].local = seen.local.or(Some(addr));
                }
                (Call::Bind { addr }, ok.then_some(StateName::Bound))
            }
            (Sys::Connect, Before::Address(Some(addr))) => {
                let s = &mut self.sockets.all[sock];
                s.peer = Some(addr);
                let in_progress = match outcome {
                    Outcome::Failed(code) => Errno::of(code) == Some(Errno::EINPROGRESS),
                    Outcome::Returned(_) => false,
                };
                if ok || in_progress {
                    let seen = self.peek.socket(ctx.pid, fd, false, false, true);
                    let s = &mut self.sockets.all[sock];
                    s.local = seen.local.or(s.local);
                }
                (Call::Connect { addr }, ok.then_some(StateName::Connected))
            }
            (Sys::Listen, _) => (
                Call::Listen {
                    backlog: args[1] as i32,
                },
                ok.then_some(StateName::Listening),
            ),
            (Sys::Accept | Sys::Accept4, Before::AddrLen(addr_len)) => {
                let exit = Exit {
                    args: &args,
                    outcome,
                    ret,
                };
                return Some(self.accept(ctx, sock, sys, &exit, addr_len));
            }
            (Sys::SetSockOpt, Before::Option(Some(option))) => {
                let mode = &mut self.sockets.all[sock].mode;
                match (ok, option) {
                    (true, SocketOption::ReadTimeout(limit)) => mode.read_timeout = limit,
                    (true, SocketOption::WriteTimeout(limit)) => mode.write_timeout = limit,
                    _ => {}
                }
                (Call::SetOption { option }, None)
            }
            (Sys::Shutdown, _) => {
                let how = match args[1] as i32 {
                    libc::SHUT_RD => Shutdown::Read,
                    libc::SHUT_WR => Shutdown::Write,
                    _ => Shutdown::Both,
                };
                let event = self.event(
                    ctx,
                    sock,
                    Some(fd),
                    Call::Shutdown { how },
                    outcome,
                    (state, state),
                );
                if ok {
                    let mode = &mut self.sockets.all[sock].mode;
                    mode.shut_read |= how != Shutdown::Write;
                    mode.shut_write |= how != Shutdown::Read;
                }
                return Some(event);
            }
            (
                Sys::SendTo | Sys::Write | Sys::Writev | Sys::SendMsg,
                Before::Sent {
                    data,
                    len,
                    via,
                    to,
                    flags,
                },
            ) => {
                let call = if tcp {
                    Call::Send { data, len, via }
                } else {
                    let bound = self.sockets.all[sock].local.is_none();
                    if ok && bound {
                        let seen = self.peek.socket(ctx.pid, fd, false, false, true);
                        self.sockets.all[sock].local = seen.local;
                    }
                    Call::SendTo {
                        data,
                        len,
                        to,
                        flags,
                    }
                };
                let after = (!tcp && ok && state == StateName::Created).then_some(StateName::Bound);
                (call, after)
            }
            (Sys::RecvFrom | Sys::Read | Sys::Readv | Sys::RecvMsg, before) => {
                let exit = Exit {
                    args: &args,
                    outcome,
                    ret,
                };
                (self.received(ctx, sock, sys, &exit, before), None)
            }
            (Sys::Close, Before::Close(seen)) => return self.close(ctx, sock, fd, seen, outcome),
            _ => return None,
        };
        if let Some(after) = after {
            self.sockets.all[sock].state = after;
        }
        let after = after.unwrap_or(state);
        Some(self.event(ctx, sock, Some(fd), call, outcome, (state, after)))
    }

    /// The event of `call` on `sock`, which went from `before` to `after`,
    /// with the kernel's TCP state read now — but after a send or receive
    /// that moved bytes (which cannot change it) and after a close.
    fn event(
        &mut self,
        ctx: &Ctx,
        sock: SockId,
        fd: Option<i32>,
        call: Call,
        outcome: Outcome,
        (before, after): (StateName, StateName),
    ) -> Event {
        let s = &self.sockets.all[sock];
        let moved = matches!(call, Call::Send { .. } | Call::Recv { .. })
            && matches!(outcome, Outcome::Returned(n) if n > 0);
        let reads = s.transport == Transport::Tcp && !moved && !matches!(call, Call::Close { .. });
        let tcp = match (reads, fd) {
            (true, Some(fd)) => self.peek.socket(ctx.pid, fd, true, false, false).tcp,
            _ => None,
        };
        let s = &self.sockets.all[sock];
        Event {
            seq: 0,
            thread: Arc::from(ctx.tid.to_string()),
            socket: s.label.clone(),
            transport: s.transport,
            family: s.family,
            fd,
            call,
            outcome,
            before: Some(before),
            after: Some(after),
            mode: s.mode,
            tcp,
            local: s.local,
            peer: s.peer,
        }
    }

    /// `socket(domain, type, protocol)`: a new socket, when it is an IP one
    /// of TCP or UDP.
    fn socket(&mut self, ctx: &Ctx, args: &[u64; 6], outcome: Outcome, ret: i64) -> Option<Event> {
        let family = match args[0] as i32 {
            libc::AF_INET => Family::V4,
            libc::AF_INET6 => Family::V6,
            _ => return None,
        };
        let kind = args[1] as i32;
        let protocol = args[2] as i32;
        let transport = match (kind & 0xf, protocol) {
            (libc::SOCK_STREAM, 0 | libc::IPPROTO_TCP) => Transport::Tcp,
            (libc::SOCK_DGRAM, 0 | libc::IPPROTO_UDP) => Transport::Udp,
            _ => return None,
        };
        let flags = FdFlags {
            cloexec: kind & libc::SOCK_CLOEXEC != 0,
            nonblocking: kind & libc::SOCK_NONBLOCK != 0,
        };
        let sock = self.sockets.made(ctx.program, family, transport);
        let call = Call::Socket {
            family,
            transport,
            flags,
            protocol_zero: protocol == 0,
        };
        let Outcome::Returned(_) = outcome else {
            let mut event = self.event(
                ctx,
                sock,
                None,
                call,
                outcome,
                (StateName::Created, StateName::Created),
            );
            (event.before, event.after) = (None, None);
            return Some(event);
        };
        let fd = ret as i32;
        self.sockets.open(ctx.table, fd, sock, flags.cloexec);
        self.sockets.all[sock].mode.nonblocking = flags.nonblocking;
        let mut event = self.event(
            ctx,
            sock,
            Some(fd),
            call,
            outcome,
            (StateName::Created, StateName::Created),
        );
        event.before = None;
        Some(event)
    }

    /// `accept` or `accept4`: on success, a new socket `LISTENER#n`.
    fn accept(
        &mut self,
        ctx: &Ctx,
        listener: SockId,
        sys: Sys,
        exit: &Exit,
        addr_len: Option<u32>,
    ) -> Event {
        let Exit { args, outcome, ret } = *exit;
        let fd = args[0] as i32;
        let accept_flags = args[3] as i32;
        let flags = (sys == Sys::Accept4).then_some(FdFlags {
            cloexec: accept_flags & libc::SOCK_CLOEXEC != 0,
            nonblocking: accept_flags & libc::SOCK_NONBLOCK != 0,
        });
        let addr_len = if args[1] == 0 {
            None
        } else {
            addr_len.or(Some(0))
        };
        let state = self.sockets.all[listener].state;
        let Outcome::Returned(_) = outcome else {
            let call = Call::Accept {
                peer: None,
                child: None,
                child_state: None,
                flags,
                addr_len,
            };
            return self.event(ctx, listener, Some(fd), call, outcome, (state, state));
        };
        let new_fd = ret as i32;
        let child = self.sockets.accepted(listener);
        self.sockets
            .open(ctx.table, new_fd, child, flags.is_some_and(|f| f.cloexec));
        let seen = self.peek.socket(ctx.pid, new_fd, true, false, true);
        let filled = (args[1] != 0)
            .then(|| memory::u32_at(ctx.tid, args[2]))
            .flatten()
            .and_then(|len| memory::sockaddr(ctx.tid, args[1], len));
        let c = &mut self.sockets.all[child];
        c.mode.nonblocking = flags.is_some_and(|f| f.nonblocking);
        c.local = seen.local;
        c.peer = filled.or(seen.peer);
        let call = Call::Accept {
            peer: c.peer,
            child: Some(c.label.clone()),
            child_state: seen.tcp.map(|info| info.state),
            flags,
            addr_len,
        };
        self.event(ctx, listener, Some(fd), call, outcome, (state, state))
    }

    /// A receive (`recvfrom`, `read`, `readv`, `recvmsg`): what arrived.
    fn received(&mut self, ctx: &Ctx, sock: SockId, sys: Sys, exit: &Exit, before: Before) -> Call {
        let Exit { args, outcome, ret } = *exit;
        let pid = ctx.tid;
        let n = usize::try_from(ret.max(0)).unwrap_or(0);
        let capacity = usize::try_from(args[2]).unwrap_or(0);
        let (data, capacity, via) = match (sys, &before) {
            (Sys::Readv | Sys::RecvMsg, Before::Buffers(iovecs, msg)) => {
                let mut left = n;
                let buffers: Vec<Buffer> = iovecs
                    .iter()
                    .map(|v| {
                        let filled = left.min(v.len);
                        left -= filled;
                        Buffer {
                            data: memory::preview(pid, v.base, filled),
                            len: v.len,
                        }
                    })
                    .collect();
                let capacity = buffers.iter().map(|b| b.len).sum();
                let data = joined(&buffers, n);
                let via = if sys == Sys::Readv {
                    Transfer::Vectored { buffers }
                } else {
                    let msg_flags = memory::msghdr(pid, *msg).map_or(0, |m| m.flags);
                    Transfer::Message {
                        flags: args[2] as i32,
                        buffers,
                        msg_flags,
                    }
                };
                (data, capacity, via)
            }
            (Sys::Read, _) => (
                memory::preview(pid, args[1], n),
                capacity,
                Transfer::ReadWrite,
            ),
            _ => (
                memory::preview(pid, args[1], n.min(capacity)),
                capacity,
                Transfer::SendRecv {
                    flags: args[3] as i32,
                },
            ),
        };
        let s = &self.sockets.all[sock];
        if s.transport == Transport::Udp {
            let addr_len = match before {
                Before::AddrLen(len) if sys == Sys::RecvFrom && args[4] != 0 => len.or(Some(0)),
                _ => None,
            };
            let from = addr_len
                .and_then(|_| memory::u32_at(pid, args[5]))
                .and_then(|len| memory::sockaddr(pid, args[4], len));
            return Call::RecvFrom {
                data,
                capacity,
                from,
                msg_trunc: sys == Sys::RecvFrom && args[3] as i32 & libc::MSG_TRUNC != 0,
                addr_len,
            };
        }
        // A recv of 0 after this side's own FIN, leaving the socket in
        // CLOSE: what the kernel holds of the connection.
        let ended = outcome == Outcome::Returned(0) && capacity > 0;
        let connection = match (ended && s.mode.shut_write, s.local, s.peer) {
            (true, Some(local), Some(peer)) => match self.peek.state(ctx.pid, args[0] as i32) {
                Some(TcpState::Close) => Some(kernel::lingering_state(local, peer)),
                _ => None,
            },
            _ => None,
        };
        Call::Recv {
            data,
            capacity,
            connection,
            via,
        }
    }

    /// `close(fd)`: what the kernel said before, and holds after.
    fn close(
        &mut self,
        ctx: &Ctx,
        sock: SockId,
        fd: i32,
        seen: Seen,
        outcome: Outcome,
    ) -> Option<Event> {
        let left = match self.sockets.close(ctx.table, fd) {
            Some((_, left)) => left,
            None => 0,
        };
        let s = &self.sockets.all[sock];
        let state = s.state;
        let tcp = s.transport == Transport::Tcp;
        let after = match (tcp, state, s.local, s.peer) {
            (true, StateName::Listening, Some(local), _) => {
                let any = SocketAddr::new(unspecified(&local), 0);
                match kernel::lingering_state(local, any) {
                    held @ Lingering::Holds(TcpState::Listen) => Some(held),
                    _ => None,
                }
            }
            (true, _, Some(local), Some(peer)) => {
                let first_fin = seen.unread == Some(0)
                    && seen.tcp.is_some_and(|info| {
                        matches!(
                            info.state,
                            TcpState::Established | TcpState::FinWait1 | TcpState::FinWait2
                        )
                    });
                Some(settled(first_fin, left > 0, || {
                    kernel::lingering_state(local, peer)
                }))
            }
            _ => None,
        };
        let call = Call::Close {
            unread: seen.unread,
            before: seen.tcp.map(|info: TcpInfo| info),
            after,
        };
        let closed = if left == 0 { StateName::Closed } else { state };
        let event = self.event(ctx, sock, Some(fd), call, outcome, (state, closed));
        self.sockets.all[sock].state = closed;
        Some(event)
    }

    /// A wait's entry: the descriptors it asks about (a `pollfd` array, or
    /// `select`'s sets) and its time limit, when one of them is a socket
    /// the observer follows; `None` otherwise.
    fn waiting(&self, ctx: &Ctx, sys: Sys, args: &[u64; 6]) -> Option<Before> {
        let pid = ctx.tid;
        let (fds, timeout) = match sys {
            Sys::Poll | Sys::Ppoll => {
                let fds: Vec<Waited> = memory::pollfds(pid, args[0], args[1])
                    .into_iter()
                    .map(|(fd, events, _)| Waited {
                        fd,
                        read: events & libc::POLLIN != 0,
                        write: events & libc::POLLOUT != 0,
                        ..Waited::default()
                    })
                    .collect();
                let timeout = match sys {
                    Sys::Poll => u64::try_from(args[2] as i32)
                        .ok()
                        .map(Duration::from_millis),
                    _ => memory::timespec(pid, args[2], 1),
                };
                (fds, timeout)
            }
            Sys::Select | Sys::Pselect6 => {
                let nfds = args[0] as i32;
                let read = memory::fd_set(pid, args[1], nfds);
                let write = memory::fd_set(pid, args[2], nfds);
                let fds = (0..nfds.clamp(0, 1024))
                    .filter(|fd| read.contains(fd) || write.contains(fd))
                    .map(|fd| Waited {
                        fd,
                        read: read.contains(&fd),
                        write: write.contains(&fd),
                        ..Waited::default()
                    })
                    .collect();
                let unit = if sys == Sys::Select { 1000 } else { 1 };
                (fds, memory::timespec(pid, args[4], unit))
            }
            _ => return None,
        };
        let any_socket = fds
            .iter()
            .any(|w| self.sockets.lookup(ctx.table, w.fd).is_some());
        any_socket.then_some(Before::Waiting(fds, timeout))
    }

    /// A wait's exit: what the kernel answered for each descriptor, and
    /// one event per socket waited on.
    fn waited(
        &mut self,
        ctx: &Ctx,
        sys: Sys,
        args: &[u64; 6],
        mut fds: Vec<Waited>,
        timeout: Option<Duration>,
        ret: i64,
    ) -> Vec<Event> {
        let pid = ctx.tid;
        if ret > 0 {
            match sys {
                Sys::Poll | Sys::Ppoll => {
                    let answered = memory::pollfds(pid, args[0], args[1]);
                    for (waited, (_, _, revents)) in fds.iter_mut().zip(answered) {
                        waited.readable = revents & libc::POLLIN != 0;
                        waited.writable = revents & libc::POLLOUT != 0;
                        waited.failed =
                            revents & (libc::POLLERR | libc::POLLHUP | libc::POLLNVAL) != 0;
                    }
                }
                _ => {
                    let nfds = args[0] as i32;
                    let read = memory::fd_set(pid, args[1], nfds);
                    let write = memory::fd_set(pid, args[2], nfds);
                    for waited in &mut fds {
                        waited.readable = read.contains(&waited.fd);
                        waited.writable = write.contains(&waited.fd);
                    }
                }
            }
        }
        let syscall = match sys {
            Sys::Poll => WaitCall::Poll,
            Sys::Ppoll => WaitCall::Ppoll,
            Sys::Select => WaitCall::Select,
            _ => WaitCall::Pselect6,
        };
        let outcome = if (-4095..0).contains(&ret) {
            Outcome::Failed((-ret) as i32)
        } else {
            Outcome::Returned(ret)
        };
        let mut seen: Vec<SockId> = Vec::new();
        let mut events = Vec::new();
        for waited in &fds {
            let Some(sock) = self.sockets.lookup(ctx.table, waited.fd) else {
                continue;
            };
            if seen.contains(&sock) {
                continue;
            }
            seen.push(sock);
            let call = Call::Wait {
                syscall,
                fds: fds.clone(),
                timeout,
            };
            let state = self.sockets.all[sock].state;
            events.push(self.event(ctx, sock, Some(waited.fd), call, outcome, (state, state)));
        }
        events
    }

    /// `fcntl`: a descriptor copied (`F_DUPFD`, `F_DUPFD_CLOEXEC`), its
    /// close-on-exec mark (`F_SETFD`), or its blocking (`F_SETFL`).
    fn fcntl(&mut self, ctx: &Ctx, sock: SockId, args: &[u64; 6], ret: i64) {
        if ret < 0 {
            return;
        }
        let fd = args[0] as i32;
        let arg = args[2] as i32;
        match args[1] as i32 {
            libc::F_DUPFD => self.sockets.open(ctx.table, ret as i32, sock, false),
            libc::F_DUPFD_CLOEXEC => self.sockets.open(ctx.table, ret as i32, sock, true),
            libc::F_SETFD => self
                .sockets
                .set_cloexec(ctx.table, fd, arg & libc::FD_CLOEXEC != 0),
            libc::F_SETFL => self.sockets.all[sock].mode.nonblocking = arg & libc::O_NONBLOCK != 0,
            _ => {}
        }
    }
}

/// The first [`DATA_PREVIEW`] bytes of `buffers` joined, of the `limit`
/// bytes they hold.
fn joined(buffers: &[Buffer], limit: usize) -> Vec<u8> {
    let mut data = Vec::new();
    let mut left = limit;
    for buffer in buffers {
        let take = buffer.data.len().min(left);
        data.extend_from_slice(&buffer.data[..take]);
        left -= take;
    }
    data.truncate(DATA_PREVIEW);
    data
}

/// The option `setsockopt(fd, level, name, value, len)` sets.
fn option(pid: Pid, args: &[u64; 6]) -> Option<SocketOption> {
    let (level, name, value, len) = (args[1] as i32, args[2] as i32, args[3], args[4] as u32);
    let int = || memory::i32_at(pid, value);
    let timeval = || {
        let secs = memory::u64_at(pid, value)?;
        let micros = memory::u64_at(pid, value + 8)?;
        let limit = Duration::from_secs(secs) + Duration::from_micros(micros);
        Some((!limit.is_zero()).then_some(limit))
    };
    Some(match (level, name) {
        (libc::SOL_SOCKET, libc::SO_REUSEADDR) => SocketOption::ReuseAddress(int()? != 0),
        (libc::SOL_SOCKET, libc::SO_RCVTIMEO) if len == 16 => SocketOption::ReadTimeout(timeval()?),
        (libc::SOL_SOCKET, libc::SO_SNDTIMEO) if len == 16 => {
            SocketOption::WriteTimeout(timeval()?)
        }
        (libc::SOL_SOCKET, libc::SO_LINGER) if len == 8 => SocketOption::Linger {
            on: int()? != 0,
            seconds: memory::i32_at(pid, value + 4)?,
        },
        (libc::IPPROTO_TCP, libc::TCP_NODELAY) => SocketOption::NoDelay(int()? != 0),
        _ => SocketOption::Other {
            level,
            name,
            value: if len == 4 { int() } else { None },
            len,
        },
    })
}

/// The wildcard address of `addr`'s family: a listener's "peer" for sock_diag.
fn unspecified(addr: &SocketAddr) -> IpAddr {
    match addr {
        SocketAddr::V4(_) => IpAddr::V4(Ipv4Addr::UNSPECIFIED),
        SocketAddr::V6(_) => IpAddr::V6(Ipv6Addr::UNSPECIFIED),
    }
}

/// What the kernel holds of a connection just after a close, asked again
/// (every millisecond, within a bound) while the answer may still move: a
/// connection the kernel still holds open although no traced descriptor
/// does (another process on its way to `exec` may keep it for an
/// instant), and "gone" for a close that sent the first FIN, which a
/// lookup can catch between `FIN_WAIT2` and `TIME_WAIT`. As the library
/// does for its own closes.
fn settled(first_fin: bool, held: bool, mut ask: impl FnMut() -> Lingering) -> Lingering {
    const HOLDER_GRACE: Duration = Duration::from_millis(20);
    const MOVING_GRACE: Duration = Duration::from_millis(5);
    let unsettled = |found: Lingering, waited: Duration| match found {
        Lingering::Holds(
            TcpState::Established | TcpState::CloseWait | TcpState::SynSent | TcpState::SynRecv,
        ) => !held && waited < HOLDER_GRACE,
        Lingering::Gone | Lingering::Holds(TcpState::Close) => first_fin && waited < MOVING_GRACE,
        _ => false,
    };
    let start = Instant::now();
    let mut found = ask();
    while unsettled(found, start.elapsed()) {
        std::thread::sleep(Duration::from_millis(1));
        found = ask();
    }
    found
}
