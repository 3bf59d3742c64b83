//! A trace held against strace's record, socket by socket, from `socket()`
//! to `close()` and after: the library's trace of the same run, or the
//! observer's (`socket-lifecycle trace`) trace of another run of the same
//! program ([`Teller`]).
//!
//! strace runs the program with `-f -yy`: every process and thread is
//! followed, and every descriptor is printed with what it is
//! (`3<TCP:[127.0.0.1:8888]>`, `5<NETLINK:[…]>`, `3</etc/ld.so.cache>`; a
//! descriptor that is not open is printed bare). So each call strace saw is
//! put in the story of the socket it was made on:
//!
//! - a TCP or UDP socket's story starts at the `socket()` or `accept` that
//!   returned it and holds every call on it — from any process or thread
//!   whose descriptor points at it (`strace/tables.rs`: copies by `dup`,
//!   `fork` and threads, `execve`'s close-on-exec) — *and* every call on its
//!   number once closed (a second `close`, a `send` after `close`), until
//!   another socket gets the number; the copies themselves (`dup`,
//!   `fcntl(F_DUPFD)`, `F_SETFD`) are followed, not told;
//! - what is not the socket's own story is kept apart and counted: for the
//!   library, its own reads of the kernel, named in [`LEFT_OUT`] — but the
//!   TCP_INFO reads are used: the state a trace line shows must be the one
//!   the kernel returned, and each sock_diag question on a netlink socket
//!   (a thread keeps one for all its questions) must have its answer in the
//!   trace after a close; for the
//!   observer, which reads the kernel from outside, the program's calls it
//!   does not follow ([`FOLLOWED`] are the ones it does);
//! - calls on descriptors that are not sockets (the files the runtime opens),
//!   and calls the kernel interrupted and restarts (`= ? ERESTARTSYS`) or
//!   that never returned because the process ended, are counted and printed
//!   too.
//!
//! The trace's side: each line `[label] before → after: call = result
//! [kernel]`. A label and a descriptor are one socket, made by a `socket()`
//! of that label or by its listener's n-th `accept` (`servidor#n`) — and in
//! the observer's trace, a label's call on another descriptor is the same
//! socket's, through a copy. Its states chain; the library's follow
//! [`TCP_TRANSITIONS`] or [`UDP_TRANSITIONS`] (the observer's are a
//! program's own calls, which no table of the library's methods names).
//! The observer's waits (`poll`, `select`) are left out: strace prints the
//! time they had left, which the trace does not claim.
//!
//! Then the two must agree: the same sockets, each with the same calls —
//! name, descriptor, arguments, result, as strace prints them — in the same
//! order, but for calls that two threads (or processes) had in flight at
//! once on one socket; the same failed `socket()` calls; for the library,
//! the same kernel states and the same answers to the same number of kernel
//! questions (the observer's are its own reads, not in the record).

mod tables;

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::{Path, PathBuf};
use std::process::Command;

use socket_lifecycle::diagram::{TCP_TRANSITIONS, Transition, UDP_TRANSITIONS};
use tables::{Holder, Tables};

/// What strace is told to record: every network call, `close`, the calls
/// the library reads the kernel with, the reads and writes a program may
/// make on a socket, and what moves descriptors between numbers and
/// processes.
pub const TRACE: &str = "trace=%network,close,ioctl,fcntl,?fcntl64,read,write,readv,writev,\
                         dup,dup2,dup3,clone,?clone3,fork,vfork,execve";

/// Who told the trace, which says what can be held against the record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Teller {
    /// The library, inside the program strace ran, in the same run: its
    /// reads of the kernel are in the record ([`LEFT_OUT`]), held against
    /// the states and answers its lines show; its states follow the
    /// typestate tables.
    #[default]
    Library,
    /// The observer, from outside, in another run of the same program with
    /// the same input (ports redacted on both sides): the calls it follows
    /// ([`FOLLOWED`]) are compared; its kernel reads are its own, not in
    /// the record.
    Observer,
}

/// The calls strace sees on a TCP or UDP socket that the library makes to
/// *read* what the kernel says, not to act: the short list of what is left
/// out of a socket's story on strace's side, each with its reason. Anything
/// else strace sees on a socket must be in the trace.
pub const LEFT_OUT: [(Read, &str, &str); 5] = [
    (
        Read::TcpInfo,
        "getsockopt(…, SOL_TCP, TCP_INFO, …)",
        "the TCP state and accept queue each line shows (held against them)",
    ),
    (
        Read::SockName,
        "getsockname",
        "the local address the kernel gave, after bind, connect, accept or a first sendto",
    ),
    (
        Read::Unread,
        "ioctl(…, FIONREAD, …)",
        "the bytes left unread just before close",
    ),
    (
        Read::Flags,
        "fcntl(…, F_GETFL)",
        "whether the socket blocks, after an EAGAIN",
    ),
    (
        Read::Netlink,
        "the netlink sock_diag socket (its socket and close, and a sendto and recvfrom per question)",
        "one question per `[kernel: …]` after a close or `# kernel lookup` (answers held against them), or per recv of 0 after this side's FIN",
    ),
];

/// The calls the observer makes events of (its README section lists them
/// too); any other call a program makes on a socket is left out of the
/// observer's story, and counted.
pub const FOLLOWED: &[&str] = &[
    "socket",
    "setsockopt",
    "bind",
    "listen",
    "accept",
    "accept4",
    "connect",
    "sendto",
    "sendmsg",
    "write",
    "writev",
    "recvfrom",
    "recvmsg",
    "read",
    "readv",
    "shutdown",
    "close",
];

/// The observer's waits, left out of its trace's side.
const WAITS: &[&str] = &["poll", "ppoll", "select", "pselect6"];

/// One kind of read in [`LEFT_OUT`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Read {
    TcpInfo,
    SockName,
    Unread,
    Flags,
    Netlink,
}

/// What a comparison found when the two stories agree.
#[derive(Debug, Default)]
pub struct Agreement {
    /// Whose trace it was.
    pub teller: Teller,
    /// Sockets compared (TCP and UDP, strace's count).
    pub sockets: usize,
    /// Calls that agree.
    pub calls: usize,
    /// Kernel states on trace lines checked against a TCP_INFO read.
    pub states: usize,
    /// Kernel answers after a close checked against a netlink answer.
    pub answers: usize,
    /// How many of each read were left out.
    pub reads: BTreeMap<Read, usize>,
    /// The observer's: the program's calls on sockets it does not follow,
    /// by name.
    pub unfollowed: BTreeMap<String, usize>,
    /// The observer's: the waits its trace told, left out.
    pub waits: usize,
    /// Descriptors copied or marked (`dup`, `fcntl(F_DUPFD)`, `F_SETFD`):
    /// followed, not told.
    pub copies: usize,
    /// Calls on descriptors that are not sockets.
    pub not_sockets: usize,
    /// Calls interrupted and restarted by the kernel, or cut short by the
    /// process's end.
    pub interrupted: usize,
}

impl fmt::Display for Agreement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.teller {
            Teller::Library => writeln!(
                f,
                "{} sockets, {} calls, {} kernel states and {} kernel answers agree with strace.",
                self.sockets, self.calls, self.states, self.answers
            )?,
            Teller::Observer => writeln!(
                f,
                "{} sockets and {} calls agree with strace's record of another run.",
                self.sockets, self.calls
            )?,
        }
        writeln!(f, "Left out on strace's side, and only these:")?;
        match self.teller {
            Teller::Library => {
                for (read, call, why) in LEFT_OUT {
                    let n = self.reads.get(&read).copied().unwrap_or(0);
                    writeln!(f, "  {n:>4} × {call}: {why}")?;
                }
            }
            Teller::Observer => {
                for (name, n) in &self.unfollowed {
                    writeln!(f, "  {n:>4} × {name}: a call the observer does not follow")?;
                }
            }
        }
        writeln!(
            f,
            "  {:>4} × descriptors copied or marked (dup, fcntl(F_DUPFD), F_SETFD): followed, not told",
            self.copies
        )?;
        writeln!(
            f,
            "  {:>4} × calls on descriptors that are not sockets (files the runtime opens)",
            self.not_sockets
        )?;
        write!(
            f,
            "  {:>4} × calls interrupted and restarted by the kernel (`= ?`), or cut short by the process's end",
            self.interrupted
        )?;
        if self.teller == Teller::Observer {
            write!(
                f,
                "\nLeft out on the trace's side: {} waits (poll, select)",
                self.waits
            )?;
        }
        Ok(())
    }
}

// ── Calls as text ───────────────────────────────────────────────────────

/// One call, as strace prints it or as a trace line shows it.
#[derive(Debug, Clone, PartialEq)]
struct Call {
    /// The thread that made it (strace's side; 0 on the trace's side).
    pid: u32,
    name: String,
    /// The first argument, when it is a descriptor.
    fd: Option<i32>,
    /// What strace `-yy` says the first argument is (`TCP`, `NETLINK`,
    /// `/etc/ld.so.cache`); `None` when it printed no decoration.
    kind: Option<String>,
    /// The result, when it is a number.
    result: Option<i64>,
    /// What strace `-yy` says the returned descriptor is.
    result_kind: Option<String>,
    /// Whether the result is `?`: interrupted, or never returned.
    unfinished: bool,
    /// The call as compared: decorations removed, padding before `=` gone.
    text: String,
    /// Where the call started and where it returned, in the record.
    entry: usize,
    exit: usize,
}

impl Call {
    fn read(&self) -> Option<Read> {
        match self.name.as_str() {
            "getsockopt" if self.text.contains(", SOL_TCP, TCP_INFO, ") => Some(Read::TcpInfo),
            "getsockname" => Some(Read::SockName),
            "ioctl" if self.text.contains(", FIONREAD") => Some(Read::Unread),
            "fcntl" | "fcntl64" if self.text.contains(", F_GETFL)") => Some(Read::Flags),
            _ => None,
        }
    }

    /// The first bytes of a TCP_INFO read, as strace quoted them.
    fn tcp_info(&self) -> Option<Vec<u8>> {
        let start = self.text.find(", TCP_INFO, \"")? + ", TCP_INFO, ".len();
        unquote(&self.text[start..])
    }
}

/// The protocol part of a `-yy` decoration: `TCP` of `TCP:[…]`.
fn protocol(kind: &str) -> &str {
    kind.split(':').next().unwrap_or(kind)
}

fn is_ip_socket(kind: &str) -> bool {
    matches!(protocol(kind), "TCP" | "TCPv6" | "UDP" | "UDPv6")
}

fn is_netlink(kind: &str) -> bool {
    protocol(kind) == "NETLINK"
}

/// `name(args) = result`, its descriptor decorations taken out; from
/// strace (`pid` > 0), its bare addresses written as the trace writes them.
fn parse_call(text: &str, pid: u32, entry: usize, exit: usize) -> Option<Call> {
    let open = text.find('(')?;
    let name = &text[..open];
    if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        return None;
    }
    let rest = &text[open + 1..];
    // The first argument: a descriptor, perhaps decorated.
    let (fd, kind, after_fd) = match number_and_decoration(rest) {
        Some((digits, kind, after)) if after.starts_with([',', ')']) => {
            (digits.parse::<i32>().ok(), kind, (digits, after))
        }
        _ => (None, None, ("", rest)),
    };
    let close = closing_paren(after_fd.1)?;
    let args_tail = &after_fd.1[..close];
    let result_text = after_fd.1[close + 1..]
        .trim_start()
        .strip_prefix('=')?
        .trim();
    let (result, result_kind, result_tail, unfinished) =
        if let Some(rest) = result_text.strip_prefix('?') {
            (None, None, rest.to_string(), true)
        } else {
            match number_and_decoration(result_text) {
                Some((digits, kind, after)) => (
                    digits.parse::<i64>().ok(),
                    kind,
                    format!("{digits}{after}"),
                    false,
                ),
                None => (None, None, result_text.to_string(), false),
            }
        };
    let result_shown = if unfinished {
        format!("?{result_tail}")
    } else {
        result_tail
    };
    let args_tail = if pid > 0 {
        unfilled(args_tail)
    } else {
        args_tail.to_string()
    };
    let text = format!("{name}({}{args_tail}) = {result_shown}", after_fd.0);
    Some(Call {
        pid,
        name: name.to_string(),
        fd: if name == "socket" { None } else { fd },
        kind,
        result,
        result_kind,
        unfinished,
        text,
        entry,
        exit,
    })
}

/// The arguments with each bare address (`0x7ffc…`) written `<unfilled>`:
/// where a failed call filled nothing in, strace prints the buffer's
/// address, which no trace can know, and the trace writes `<unfilled>`.
fn unfilled(args: &str) -> String {
    args.split(", ")
        .map(|arg| {
            let (body, close) = match arg.strip_suffix(')') {
                Some(body) => (body, ")"),
                None => (arg, ""),
            };
            let address = body
                .strip_prefix("0x")
                .is_some_and(|hex| !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit()));
            if address {
                format!("<unfilled>{close}")
            } else {
                arg.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// A number (`3`, `-1`) at the start of `text`, and the `<…>` decoration
/// strace `-yy` puts after a descriptor: (digits, decoration, the rest).
fn number_and_decoration(text: &str) -> Option<(&str, Option<String>, &str)> {
    let digits_end = text
        .char_indices()
        .find(|&(i, c)| !(c.is_ascii_digit() || (i == 0 && c == '-')))
        .map_or(text.len(), |(i, _)| i);
    let digits = &text[..digits_end];
    if digits.is_empty() || digits == "-" {
        return None;
    }
    let rest = &text[digits_end..];
    let Some(inner) = rest.strip_prefix('<') else {
        return Some((digits, None, rest));
    };
    // Ends at the first `>` outside brackets: `TCP:[1.2.3.4:5->6.7.8.9:10]`.
    let mut depth = 0i32;
    for (i, c) in inner.char_indices() {
        match c {
            '[' => depth += 1,
            ']' => depth -= 1,
            '>' if depth == 0 => {
                return Some((digits, Some(inner[..i].to_string()), &inner[i + 1..]));
            }
            _ => {}
        }
    }
    None
}

/// Where the call's `)` is in `text` (which follows its `(`), strings and
/// nested brackets skipped.
fn closing_paren(text: &str) -> Option<usize> {
    let mut depth = 0i32;
    let mut in_string = false;
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        if in_string {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '(' | '[' | '{' => depth += 1,
            ')' if depth == 0 => return Some(i),
            ')' | ']' | '}' => depth -= 1,
            _ => {}
        }
    }
    None
}

/// The bytes of a string strace quoted (`"\7\0ab\n"`), up to its closing
/// quote.
fn unquote(text: &str) -> Option<Vec<u8>> {
    let mut chars = text.strip_prefix('"')?.chars().peekable();
    let mut out = Vec::new();
    while let Some(c) = chars.next() {
        match c {
            '"' => return Some(out),
            '\\' => match chars.next()? {
                'n' => out.push(b'\n'),
                't' => out.push(b'\t'),
                'r' => out.push(b'\r'),
                'v' => out.push(0x0b),
                'f' => out.push(0x0c),
                'x' => {
                    let hex: String = (0..2).filter_map(|_| chars.next()).collect();
                    out.push(u8::from_str_radix(&hex, 16).ok()?);
                }
                d @ '0'..='7' => {
                    let mut value = d.to_digit(8)?;
                    for _ in 0..2 {
                        match chars.peek().and_then(|c| c.to_digit(8)) {
                            Some(next) => {
                                value = value * 8 + next;
                                chars.next();
                            }
                            None => break,
                        }
                    }
                    out.push(u8::try_from(value).ok()?);
                }
                other => {
                    let mut buf = [0u8; 4];
                    out.extend_from_slice(other.encode_utf8(&mut buf).as_bytes());
                }
            },
            other => {
                let mut buf = [0u8; 4];
                out.extend_from_slice(other.encode_utf8(&mut buf).as_bytes());
            }
        }
    }
    None
}

// ── strace's side ───────────────────────────────────────────────────────

/// Every call in a `strace -f -o FILE` record (`PID  call`), a call split by
/// another thread's (`<unfinished ...>` … `<... name resumed>`) put back
/// together, in the order the calls returned.
fn strace_calls(record: &str) -> Result<Vec<Call>, String> {
    let mut pending: HashMap<u32, (String, usize)> = HashMap::new();
    let mut calls = Vec::new();
    for (index, line) in record.lines().enumerate() {
        let line = line.trim();
        let Some((pid, rest)) = line.split_once(char::is_whitespace) else {
            continue;
        };
        let Ok(pid) = pid.parse::<u32>() else {
            return Err(format!("not a `strace -f -o` line: {line}"));
        };
        let rest = rest.trim_start();
        if rest.starts_with("---") || rest.starts_with("+++") {
            continue;
        }
        if let Some(start) = rest.strip_suffix("<unfinished ...>") {
            pending.insert(pid, (start.to_string(), index));
            continue;
        }
        let (text, entry) = if let Some(resumed) = rest.strip_prefix("<... ") {
            let (_, after) = resumed
                .split_once(" resumed>")
                .ok_or_else(|| format!("a resumed call without its name: {line}"))?;
            let (start, entry) = pending
                .remove(&pid)
                .ok_or_else(|| format!("a resumed call that never started: {line}"))?;
            let start = start.trim_end();
            let joined = if start.ends_with(',') {
                format!("{start} {}", after.trim_start())
            } else {
                format!("{start}{}", after.trim_start())
            };
            (joined, entry)
        } else {
            (rest.to_string(), index)
        };
        let call =
            parse_call(&text, pid, entry, index).ok_or_else(|| format!("unparsed: {line}"))?;
        calls.push(call);
    }
    // Calls still in flight when the process ended never returned.
    let end = record.lines().count();
    for (pid, (start, entry)) in pending {
        if let Some(mut call) = parse_call(&format!("{}) = ?", start.trim_end()), pid, entry, end) {
            call.unfinished = true;
            calls.push(call);
        }
    }
    Ok(calls)
}

/// One TCP or UDP socket as strace saw it.
#[derive(Debug, Default)]
struct SeenSocket {
    fd: i32,
    /// Where its `socket()` or `accept4()` returned.
    made_at: usize,
    /// The calls that must be in the trace.
    calls: Vec<Call>,
    /// The library's reads on it (TCP_INFO ones are held against states).
    reads: Vec<Call>,
}

#[derive(Debug, Default)]
struct Seen {
    sockets: Vec<SeenSocket>,
    /// The sock_diag questions, in the order they were asked: each a
    /// `sendto` and its `recvfrom`, or a `socket(AF_NETLINK…)` that failed.
    netlink: Vec<Vec<Call>>,
    /// Each netlink socket's calls, from its `socket`.
    netlink_sockets: Vec<Vec<Call>>,
    failed_sockets: Vec<String>,
    reads: BTreeMap<Read, usize>,
    unfollowed: BTreeMap<String, usize>,
    copies: usize,
    not_sockets: usize,
    interrupted: usize,
}

fn seen(record: &str, teller: Teller) -> Result<Seen, String> {
    let mut seen = Seen::default();
    let calls = strace_calls(record)?;
    let mut tables = Tables::new(&calls);
    let library = teller == Teller::Library;
    for call in calls {
        if call.unfinished {
            seen.interrupted += 1;
            continue;
        }
        let (pid, returned) = (call.pid, call.result.filter(|r| *r >= 0));
        match call.name.as_str() {
            "clone" | "clone3" | "fork" | "vfork" => {
                if let Some(child) = returned.and_then(|r| u32::try_from(r).ok()) {
                    tables.made(child);
                }
                continue;
            }
            "execve" | "execveat" => {
                if returned.is_some() {
                    tables.exec(pid);
                }
                continue;
            }
            _ => {}
        }
        if call.name == "socket" {
            let cloexec = call.text.contains("SOCK_CLOEXEC");
            match (call.result, call.result_kind.as_deref()) {
                (Some(fd), Some(kind)) if is_ip_socket(kind) => {
                    let fd = i32::try_from(fd).map_err(|_| call.text.clone())?;
                    tables.open(pid, fd, Holder::Socket(seen.sockets.len()), cloexec);
                    seen.sockets.push(SeenSocket {
                        fd,
                        made_at: call.exit,
                        calls: vec![call],
                        reads: Vec::new(),
                    });
                }
                (Some(fd), Some(kind)) if library && is_netlink(kind) => {
                    let fd = i32::try_from(fd).map_err(|_| call.text.clone())?;
                    tables.open(
                        pid,
                        fd,
                        Holder::Netlink(seen.netlink_sockets.len()),
                        cloexec,
                    );
                    seen.netlink_sockets.push(vec![call]);
                }
                (Some(fd), Some(_)) if fd >= 0 => {
                    let fd = i32::try_from(fd).map_err(|_| call.text.clone())?;
                    tables.open(pid, fd, Holder::Other, cloexec);
                    seen.not_sockets += 1;
                }
                (Some(fd), None) if fd >= 0 => {
                    return Err(format!(
                        "strace did not say what socket() returned (is it run with -yy?): {}",
                        call.text
                    ));
                }
                _ if call.text.starts_with("socket(AF_NETLINK") => {
                    if library {
                        seen.netlink.push(vec![call]);
                    } else {
                        seen.not_sockets += 1;
                    }
                }
                _ => seen.failed_sockets.push(call.text),
            }
            continue;
        }
        let Some(fd) = call.fd else {
            // socketpair and the like: not the library's.
            seen.not_sockets += 1;
            continue;
        };
        let kind = call.kind.as_deref();
        if kind.is_some_and(|k| !is_ip_socket(k) && !is_netlink(k)) {
            seen.not_sockets += 1;
            continue;
        }
        let holder = tables.holder(pid, fd);
        if let Some(Holder::Socket(_)) = holder
            && moved(&call, &mut tables)
        {
            seen.copies += 1;
            continue;
        }
        match (holder, kind) {
            (Some(Holder::Socket(i)), None) => seen.sockets[i].calls.push(call),
            (Some(Holder::Socket(i)), Some(k)) if is_ip_socket(k) => {
                let child = (call.name == "accept4" || call.name == "accept")
                    .then_some((call.result, call.result_kind.clone()));
                match call.read() {
                    _ if !library && !FOLLOWED.contains(&call.name.as_str()) => {
                        *seen.unfollowed.entry(call.name.clone()).or_default() += 1;
                    }
                    Some(read) if library => {
                        *seen.reads.entry(read).or_default() += 1;
                        seen.sockets[i].reads.push(call.clone());
                    }
                    _ => seen.sockets[i].calls.push(call.clone()),
                }
                if let Some((Some(fd), Some(kind))) = child
                    && is_ip_socket(&kind)
                {
                    let new = i32::try_from(fd).map_err(|_| call.text.clone())?;
                    let cloexec = call.text.contains("SOCK_CLOEXEC");
                    tables.open(pid, new, Holder::Socket(seen.sockets.len()), cloexec);
                    seen.sockets.push(SeenSocket {
                        fd: new,
                        made_at: call.exit,
                        ..SeenSocket::default()
                    });
                }
                if call.name == "close" {
                    tables.close(pid, fd);
                }
            }
            (Some(Holder::Netlink(j)), _) if kind.is_none_or(is_netlink) => {
                seen.netlink_sockets[j].push(call);
            }
            (Some(Holder::Other), None) => seen.not_sockets += 1,
            // A traced program's own: a number no socket of this record
            // had (bash asks about 255 at start; a socket it inherited), or
            // a netlink socket.
            (None, _) if !library => seen.not_sockets += 1,
            (_, Some(k)) if !library && is_netlink(k) => seen.not_sockets += 1,
            _ => {
                return Err(format!(
                    "strace saw a call on descriptor {fd}, which no socket() or accept \
                     of this record made: {}",
                    call.text
                ));
            }
        }
    }
    for socket in &seen.netlink_sockets {
        seen.netlink.extend(questions(socket)?);
    }
    seen.netlink.sort_by_key(|question| question[0].entry);
    Ok(seen)
}

/// The sock_diag questions a netlink socket asked: its calls must be its
/// `socket`, then one or more `sendto` each followed by its `recvfrom`,
/// then perhaps its `close` (a thread's socket lives as long as the
/// thread), with the C library's `fcntl(F_GETFD)` anywhere.
fn questions(socket: &[Call]) -> Result<Vec<Vec<Call>>, String> {
    let names: Vec<&str> = socket.iter().map(|c| c.name.as_str()).collect();
    let wrong =
        || format!("a netlink socket that is not sock_diag questions: {names:?}\n{socket:#?}");
    let mut calls = socket
        .iter()
        .filter(|c| !(c.name.starts_with("fcntl") && c.text.contains(", F_GETFD)")));
    if calls.next().map(|c| c.name.as_str()) != Some("socket") {
        return Err(wrong());
    }
    let mut asked: Vec<Vec<Call>> = Vec::new();
    let mut closed = false;
    for call in calls {
        match call.name.as_str() {
            "sendto" if !closed => asked.push(vec![call.clone()]),
            "recvfrom" if !closed && asked.last().is_some_and(|q| q.len() == 1) => {
                if let Some(question) = asked.last_mut() {
                    question.push(call.clone());
                }
            }
            "close" if !closed => closed = true,
            _ => return Err(wrong()),
        }
    }
    if asked.is_empty() || asked.iter().any(|q| q.len() != 2) {
        return Err(wrong());
    }
    Ok(asked)
}

/// Whether `call` on a socket's descriptor copies it or marks it
/// (`dup`, `dup2`, `dup3`, `fcntl(F_DUPFD)`, `fcntl(F_SETFD)`), which
/// `tables` then follows.
fn moved(call: &Call, tables: &mut Tables) -> bool {
    let (Some(fd), text) = (call.fd, call.text.as_str()) else {
        return false;
    };
    let fcntl = matches!(call.name.as_str(), "fcntl" | "fcntl64");
    let copy = match call.name.as_str() {
        "dup" | "dup2" => Some(false),
        "dup3" => Some(text.contains("O_CLOEXEC")),
        _ if fcntl && text.contains(", F_DUPFD_CLOEXEC") => Some(true),
        _ if fcntl && text.contains(", F_DUPFD") => Some(false),
        _ if fcntl && text.contains(", F_SETFD") => {
            tables.set_cloexec(call.pid, fd, text.contains("FD_CLOEXEC"));
            return true;
        }
        _ => None,
    };
    let Some(cloexec) = copy else {
        return false;
    };
    let copied = call
        .result
        .and_then(|r| i32::try_from(r).ok())
        .filter(|r| *r >= 0);
    if let (Some(new), Some(holder)) = (copied, tables.holder(call.pid, fd)) {
        tables.open(call.pid, new, holder, cloexec);
    }
    true
}

/// Whether the `i`-th netlink question is asked again by the next one: the
/// library asks once more, a millisecond later, while a close's answer is
/// not settled (`src/lifecycle/core.rs`, `settled`), and tells only the
/// last answer. Again means the same thread, the same ports, and no call
/// on an IP socket by that thread in between.
fn asked_again(i: usize, seen: &Seen) -> bool {
    let story = &seen.netlink[i];
    // The same thread asking about the same ports (strace prints the same
    // request in two ways: see `request_ports`).
    let request = |story: &[Call]| {
        let sendto = story.first().filter(|c| c.name == "sendto")?;
        Some((sendto.pid, request_ports(&sendto.text)?))
    };
    let Some((pid, text)) = request(story) else {
        return false;
    };
    let Some(next) = seen.netlink[i + 1..]
        .iter()
        .find(|later| later.first().is_some_and(|c| c.pid == pid))
    else {
        return false;
    };
    let (from, to) = (story[story.len() - 1].exit, next[0].entry);
    request(next) == Some((pid, text))
        && !seen.sockets.iter().any(|socket| {
            socket
                .calls
                .iter()
                .any(|c| c.pid == pid && from < c.entry && c.entry < to)
        })
}

/// What a netlink socket asked and heard, as a trace line would name it:
/// a TCP state (`TIME_WAIT`), `gone`, or `None` when it could not tell.
fn netlink_answer(story: &[Call]) -> Result<Option<String>, String> {
    if let [socket] = story
        && socket.name == "socket"
    {
        return Ok(None); // no netlink here: the library reads /proc instead
    }
    let [request, answer] = story else {
        return Err(format!("not one sock_diag question: {story:#?}"));
    };
    let (request, answer) = (&request.text, &answer.text);
    if answer.contains("error=-ENOENT") {
        return Ok(Some("gone".to_string()));
    }
    let Some(at) = answer.find("idiag_state=TCP_") else {
        return Ok(None);
    };
    let state: String = answer[at + "idiag_state=TCP_".len()..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    // The kernel answers with a listener on the same port when the
    // connection itself is gone: only an answer about the asked ports counts.
    let asked = request_ports(request);
    let answered = (
        field_after(answer, "idiag_sport=htons("),
        field_after(answer, "idiag_dport=htons("),
    );
    match (asked, answered) {
        (Some(asked), (Some(sport), Some(dport))) if asked == (sport, dport) => Ok(Some(state)),
        (Some(_), (Some(_), Some(_))) => Ok(Some("gone".to_string())),
        _ => Ok(None),
    }
}

/// The ports a sock_diag request asks about. strace prints a socket's
/// first request undecoded, bytes 8 to 11 of its `inet_diag_req_v2` in
/// `"\x02\x06…"`, and the requests after it decoded, once it knows the
/// socket is a sock_diag one (`id={idiag_sport=htons(…), idiag_dport=…`).
fn request_ports(request: &str) -> Option<(u16, u16)> {
    if request.contains("id={idiag_sport=") {
        return Some((
            field_after(request, "idiag_sport=htons(")?,
            field_after(request, "idiag_dport=htons(")?,
        ));
    }
    let at = request.find(", \"\\x")? + 2;
    let bytes = unquote(&request[at..])?;
    let port = |i: usize| Some(u16::from_be_bytes([*bytes.get(i)?, *bytes.get(i + 1)?]));
    Some((port(8)?, port(10)?))
}

fn field_after(text: &str, prefix: &str) -> Option<u16> {
    let at = text.find(prefix)? + prefix.len();
    text[at..]
        .split(|c: char| !c.is_ascii_digit())
        .next()?
        .parse()
        .ok()
}

// ── The trace's side ────────────────────────────────────────────────────

/// One line of the trace: `[label] before → after: call = result  [note]`.
#[derive(Debug, Clone)]
struct Claim {
    label: String,
    before: String,
    after: String,
    call: Call,
    /// The kernel part, without its brackets.
    note: Option<String>,
    line: usize,
}

/// A `# kernel lookup` line: the kernel asked after a close.
#[derive(Debug, Clone)]
struct Lookup {
    label: String,
    answer: Option<String>,
}

const STATES: [&str; 6] = ["-", "Created", "Bound", "Listening", "Connected", "Closed"];

/// The trace lines of `trace`: the demo's standard output, or an example's
/// log (`[label] …`, or after env_logger's `[… INFO  socket_lifecycle] `),
/// or the observer's. Other
/// lines are ignored; so are the observer's waits, which are counted.
fn claims(trace: &str, teller: Teller) -> Result<(Vec<Claim>, Vec<Lookup>, usize), String> {
    let mut claims = Vec::new();
    let mut lookups = Vec::new();
    let mut waits = 0;
    for (line_no, line) in trace.lines().enumerate() {
        let line = match line.find(" socket_lifecycle] ") {
            Some(at) => &line[at + " socket_lifecycle] ".len()..],
            None => line,
        };
        let Some(rest) = line.strip_prefix('[') else {
            continue;
        };
        let Some((label, rest)) = rest.split_once("] ") else {
            continue;
        };
        let Some((before, rest)) = rest.split_once(" → ") else {
            continue;
        };
        let Some((after, call)) = rest.split_once(": ") else {
            continue;
        };
        if !STATES.contains(&before) || !STATES.contains(&after) {
            continue;
        }
        let (call, note) = match call.rsplit_once("  [") {
            Some((call, note)) => (call, note.strip_suffix(']').map(str::to_string)),
            None => (call, None),
        };
        let name = call.split('(').next().unwrap_or_default();
        if teller == Teller::Observer && WAITS.contains(&name) {
            waits += 1;
            continue;
        }
        if call.starts_with("# ") {
            let answer = note.as_deref().and_then(|n| n.strip_prefix("kernel: "));
            lookups.push(Lookup {
                label: label.to_string(),
                answer: answer.map(str::to_string),
            });
            continue;
        }
        let call = parse_call(call, 0, line_no, line_no)
            .ok_or_else(|| format!("trace line {}: not a call: {line}", line_no + 1))?;
        claims.push(Claim {
            label: label.to_string(),
            before: before.to_string(),
            after: after.to_string(),
            call,
            note,
            line: line_no,
        });
    }
    Ok((claims, lookups, waits))
}

/// One socket as the trace tells it: the lines of one label.
#[derive(Debug)]
struct Told {
    label: String,
    fd: i32,
    made_at: usize,
    udp: bool,
    claims: Vec<Claim>,
}

/// The trace's sockets, each checked on its own: one descriptor per label
/// (the observer's: and its copies), made by `socket()` or by the
/// listener's n-th accept, states chained (the library's: along the
/// transition tables). Also the failed `socket()` calls.
fn told(claims: &[Claim], teller: Teller) -> Result<(Vec<Told>, Vec<String>), String> {
    let mut by_label: BTreeMap<&str, Vec<&Claim>> = BTreeMap::new();
    for claim in claims {
        by_label.entry(&claim.label).or_default().push(claim);
    }
    // One socket per label and descriptor; a socket() that returns the
    // descriptor again under the same label starts the next one. In the
    // observer's trace a label's call on a descriptor new to it is on a
    // copy (dup) of the label's latest socket.
    let mut failed = Vec::new();
    let mut stories: Vec<Vec<&Claim>> = Vec::new();
    let mut current: HashMap<(&str, i32), usize> = HashMap::new();
    let mut latest: HashMap<&str, usize> = HashMap::new();
    for claim in claims {
        let label = claim.label.as_str();
        if claim.call.name == "socket" {
            match claim.call.result.and_then(|r| i32::try_from(r).ok()) {
                Some(fd) if fd >= 0 => {
                    current.insert((label, fd), stories.len());
                    latest.insert(label, stories.len());
                    stories.push(vec![claim]);
                }
                _ => failed.push(claim.call.text.clone()),
            }
            continue;
        }
        let Some(fd) = claim.call.fd else {
            return Err(format!(
                "[{label}] line {}: a call on no descriptor: {}",
                claim.line + 1,
                claim.call.text
            ));
        };
        let copy = match teller {
            Teller::Observer => latest.get(label).copied(),
            Teller::Library => None,
        };
        match current.get(&(label, fd)).copied().or(copy) {
            Some(i) => {
                current.insert((label, fd), i);
                stories[i].push(claim);
            }
            None => {
                current.insert((label, fd), stories.len());
                latest.insert(label, stories.len());
                stories.push(vec![claim]);
            }
        }
    }
    let mut told = Vec::new();
    for lines in stories {
        let first = lines[0];
        let label = first.label.as_str();
        let socket = if first.call.name == "socket" {
            Told {
                label: label.to_string(),
                fd: first
                    .call
                    .result
                    .and_then(|r| i32::try_from(r).ok())
                    .unwrap_or(-1),
                made_at: first.line,
                udp: first.call.text.contains("SOCK_DGRAM"),
                claims: lines.iter().map(|c| (*c).clone()).collect(),
            }
        } else {
            let fd = first.call.fd.unwrap_or(-1);
            Told {
                label: label.to_string(),
                fd,
                made_at: accepted_by(label, fd, &by_label)?,
                udp: false,
                claims: lines.iter().map(|c| (*c).clone()).collect(),
            }
        };
        check_states(&socket, teller)?;
        told.push(socket);
    }
    Ok((told, failed))
}

/// Where `label` (`servidor#n`, on `fd`) was made: its listener's n-th
/// `accept4` (or `accept`), which must have returned `fd`.
fn accepted_by(
    label: &str,
    fd: i32,
    by_label: &BTreeMap<&str, Vec<&Claim>>,
) -> Result<usize, String> {
    let made_by = || {
        format!(
            "[{label}] on descriptor {fd} was made by no socket() of its own and no \
             accept of its listener: a line under the wrong label?"
        )
    };
    let (listener, n) = label.rsplit_once('#').ok_or_else(made_by)?;
    let n: usize = n.parse().map_err(|_| made_by())?;
    let accepts: Vec<&&Claim> = by_label
        .get(listener)
        .ok_or_else(made_by)?
        .iter()
        .filter(|c| matches!(c.call.name.as_str(), "accept" | "accept4"))
        .filter(|c| c.call.result.is_some_and(|r| r >= 0))
        .collect();
    let accept = accepts.get(n.wrapping_sub(1)).ok_or_else(made_by)?;
    if accept.call.result != Some(i64::from(fd)) {
        return Err(format!(
            "[{label}] is on descriptor {fd}, but accept #{n} of [{listener}] returned {:?}",
            accept.call.result
        ));
    }
    Ok(accept.line)
}

/// Each line starts where the one before ended, and — in the library's
/// trace — its transition is one of the table's; a failed call leaves the
/// state as it was.
fn check_states(socket: &Told, teller: Teller) -> Result<(), String> {
    let table: &[Transition] = if socket.udp {
        UDP_TRANSITIONS
    } else {
        TCP_TRANSITIONS
    };
    let name = |s: Option<socket_lifecycle::StateName>| s.map_or("-", |s| s.as_str());
    let mut state = if socket.claims[0].call.name == "socket" {
        "-".to_string()
    } else {
        "Connected".to_string()
    };
    for claim in &socket.claims {
        let failed = claim.call.result.is_none_or(|r| r < 0);
        let allowed = teller == Teller::Observer
            || table.iter().any(|t| {
                t.syscall == claim.call.name
                    && name(t.from) == claim.before
                    && (name(t.to) == claim.after || (failed && claim.before == claim.after))
            });
        let chained = claim.before == state;
        if !allowed || !chained {
            return Err(format!(
                "[{}] {} → {} on line {}: {} ({})",
                socket.label,
                claim.before,
                claim.after,
                claim.line + 1,
                claim.call.text,
                if chained {
                    "not a transition of the table"
                } else {
                    "does not start where the line before ended"
                }
            ));
        }
        state = claim.after.clone();
    }
    Ok(())
}

// ── The comparison ──────────────────────────────────────────────────────

/// Holds the library's trace of a program against strace's record of the
/// same run.
pub fn compare(record: &str, trace: &str) -> Result<Agreement, String> {
    agree(record, trace, Teller::Library)
}

/// Holds the observer's trace of a program against strace's record of
/// another run of it, with the same input; the ports the kernel picked
/// must be redacted on both sides
/// (`socket_lifecycle::render::redact_ports`).
pub fn compare_observed(record: &str, trace: &str) -> Result<Agreement, String> {
    agree(record, trace, Teller::Observer)
}

fn agree(record: &str, trace: &str, teller: Teller) -> Result<Agreement, String> {
    let seen = seen(record, teller)?;
    let (claims, lookups, waits) = claims(trace, teller)?;
    let (told, told_failed) = told(&claims, teller)?;
    let mut agreement = Agreement {
        teller,
        sockets: seen.sockets.len(),
        reads: seen.reads.clone(),
        unfollowed: seen.unfollowed.clone(),
        waits,
        copies: seen.copies,
        not_sockets: seen.not_sockets,
        interrupted: seen.interrupted,
        ..Agreement::default()
    };
    if teller == Teller::Library {
        *agreement.reads.entry(Read::Netlink).or_default() += seen.netlink.len();
    }

    let (mut a, mut b) = (seen.failed_sockets.clone(), told_failed);
    a.sort();
    b.sort();
    if a != b {
        return Err(format!(
            "failed socket() calls differ\n  strace: {a:?}\n  trace:  {b:?}"
        ));
    }

    // The same sockets: the k-th to get descriptor N on each side.
    let seen_keys = keys(seen.sockets.iter().map(|s| (s.fd, s.made_at)));
    let told_keys = keys(told.iter().map(|t| (t.fd, t.made_at)));
    let told_by_key: HashMap<(i32, usize), &Told> = told_keys.iter().copied().zip(&told).collect();
    for (socket, key) in told.iter().zip(&told_keys) {
        if !seen_keys.contains(key) {
            return Err(format!(
                "the trace tells of [{}] on descriptor {}, a socket strace never saw: {}",
                socket.label, socket.fd, socket.claims[0].call.text
            ));
        }
    }
    for (socket, key) in seen.sockets.iter().zip(&seen_keys) {
        let told = told_by_key.get(key).copied();
        let label = told.map_or("?", |t| t.label.as_str());
        let claimed: Vec<&Claim> = told.map(|t| t.claims.iter().collect()).unwrap_or_default();
        let ordered = align(&socket.calls, &claimed).map_err(|diff| {
            format!(
                "socket on descriptor {} (#{} to get it), [{label}]: {diff}",
                socket.fd,
                key.1 + 1
            )
        })?;
        agreement.calls += ordered.len();
        if teller == Teller::Observer {
            continue; // its states are its own reads, of another run
        }
        for (call, claim) in ordered.iter().zip(&claimed) {
            agreement.states += check_state(socket, call, claim, &seen)
                .map_err(|why| format!("[{label}] line {}: {why}", claim.line + 1))?;
        }
    }

    // The kernel's answers after a close: the observer's are its own.
    if teller == Teller::Observer {
        return Ok(agreement);
    }
    let mut asked: Vec<Option<String>> = Vec::new();
    for (i, story) in seen.netlink.iter().enumerate() {
        if !asked_again(i, &seen) {
            asked.push(netlink_answer(story)?);
        }
    }
    let mut told_answers: Vec<(String, String)> = claims
        .iter()
        .filter(|c| c.call.name == "close")
        .filter_map(|c| {
            Some((
                c.label.clone(),
                c.note.as_deref()?.strip_prefix("kernel: ")?.to_string(),
            ))
        })
        .collect();
    told_answers.extend(
        lookups
            .iter()
            .filter_map(|l| Some((l.label.clone(), l.answer.clone()?))),
    );
    // A recv that returned 0 with the socket in CLOSE after this side's own
    // FIN (a shutdown of its writing) asks what the kernel holds too: its
    // narration tells the answer (both FINs, or a reset), not a note.
    for socket in &told {
        let mut fin_sent = false;
        for claim in &socket.claims {
            let text = &claim.call.text;
            if claim.call.name == "shutdown"
                && claim.call.result == Some(0)
                && !text.contains("SHUT_RD)")
            {
                fin_sent = true;
            }
            if fin_sent
                && claim.call.name == "recvfrom"
                && claim.call.result == Some(0)
                && claim.note.as_deref() == Some("CLOSE")
            {
                told_answers.push((socket.label.clone(), "?".to_string()));
            }
        }
    }
    // Answers the trace shows first; those its narration tells take what
    // is left.
    told_answers.sort_by_key(|(_, answer)| answer == "?");
    if asked.len() != told_answers.len() {
        return Err(format!(
            "strace saw {} netlink questions, the trace shows {} kernel answers (after a close, \
             or after a recv of 0 that followed this side's FIN): {told_answers:?}",
            asked.len(),
            told_answers.len()
        ));
    }
    let mut unmatched: Vec<Option<String>> = asked;
    for (label, answer) in &told_answers {
        // An answer the comparer could not read (`None`) matches any, and
        // so does one the narration tells (`?`).
        let exact = unmatched
            .iter()
            .position(|a| a.as_deref() == Some(answer.as_str()));
        let any = || match answer.as_str() {
            "?" => (!unmatched.is_empty()).then_some(0),
            _ => unmatched.iter().position(Option::is_none),
        };
        match exact.or_else(any) {
            Some(at) => {
                unmatched.remove(at);
                agreement.answers += 1;
            }
            None => {
                return Err(format!(
                    "[{label}] shows `kernel: {answer}`; the kernel's answers were {unmatched:?}"
                ));
            }
        }
    }
    Ok(agreement)
}

/// (descriptor, k): the k-th socket to get that descriptor, by where it was
/// made.
fn keys(sockets: impl Iterator<Item = (i32, usize)>) -> Vec<(i32, usize)> {
    let sockets: Vec<(i32, usize)> = sockets.collect();
    sockets
        .iter()
        .map(|&(fd, made_at)| {
            let earlier = sockets
                .iter()
                .filter(|&&(f, m)| f == fd && m < made_at)
                .count();
            (fd, earlier)
        })
        .collect()
}

/// strace's calls in the trace's order: the same calls, each where the trace
/// has it — moved only past calls of other threads that were in flight at
/// the same time on this socket. `Err` shows where the stories part.
fn align(seen: &[Call], claimed: &[&Claim]) -> Result<Vec<Call>, String> {
    let mut seen: Vec<Call> = seen.to_vec();
    let windows: Vec<(usize, usize)> = seen.iter().map(|c| window(c, &seen)).collect();
    let mut windows = windows;
    for i in 0..seen.len().max(claimed.len()) {
        let want = claimed.get(i).map(|c| c.call.text.as_str());
        if want.is_some() && seen.get(i).map(|c| c.text.as_str()) == want {
            continue;
        }
        let movable = want.and_then(|want| {
            (i + 1..seen.len()).find(|&j| {
                seen[j].text == want
                    && (i..j).all(|k| {
                        seen[k].pid != seen[j].pid
                            && windows[k].0 <= windows[j].1
                            && windows[j].0 <= windows[k].1
                    })
            })
        });
        match movable {
            Some(j) => {
                let call = seen.remove(j);
                seen.insert(i, call);
                let w = windows.remove(j);
                windows.insert(i, w);
            }
            None => return Err(difference(&seen, claimed, i)),
        }
    }
    Ok(seen)
}

/// From a call's start to its thread's next call on the socket: the time in
/// which the library may make its line.
fn window(call: &Call, story: &[Call]) -> (usize, usize) {
    let end = story
        .iter()
        .filter(|c| c.pid == call.pid && c.entry > call.exit)
        .map(|c| c.entry)
        .min()
        .unwrap_or(usize::MAX);
    (call.entry, end)
}

fn difference(seen: &[Call], claimed: &[&Claim], at: usize) -> String {
    let mark = |i: usize| if i == at { "▶" } else { " " };
    let mut text = format!("the stories part at call #{}\n  strace saw:\n", at + 1);
    for (i, call) in seen.iter().enumerate() {
        text.push_str(&format!("   {} {}\n", mark(i), call.text));
    }
    text.push_str("  the trace claims:\n");
    for (i, claim) in claimed.iter().enumerate() {
        text.push_str(&format!(
            "   {} [{}] {} → {}: {}\n",
            mark(i),
            claim.label,
            claim.before,
            claim.after,
            claim.call.text
        ));
    }
    text
}

/// The kernel state a line shows (`[ESTABLISHED]`, `[LISTEN, accept queue
/// 0/5; servidor#1 ESTABLISHED]`) is what a TCP_INFO read said right after
/// the call, on the same thread. Returns how many states were checked.
fn check_state(
    socket: &SeenSocket,
    call: &Call,
    claim: &Claim,
    seen: &Seen,
) -> Result<usize, String> {
    let Some(note) = claim.note.as_deref() else {
        return Ok(0);
    };
    if note.starts_with("kernel: ") {
        return Ok(0); // a close: held against the netlink answers
    }
    let (own, child) = match note.split_once("; ") {
        Some((own, child)) => (own, Some(child)),
        None => (note, None),
    };
    let (state, queue) = match own.split_once(", accept queue ") {
        Some((state, queue)) => (state, Some(queue)),
        None => (own, None),
    };
    // The reads this call's thread made after it and before its next call.
    let next = socket
        .calls
        .iter()
        .filter(|c| c.pid == call.pid && c.entry > call.exit)
        .map(|c| c.entry)
        .min()
        .unwrap_or(usize::MAX);
    let infos: Vec<Vec<u8>> = socket
        .reads
        .iter()
        .filter(|r| r.pid == call.pid && r.entry > call.exit && r.entry < next)
        .filter_map(Call::tcp_info)
        .collect();
    let matches = |info: &Vec<u8>| {
        let state_ok = info.first().and_then(|b| tcp_state(*b)) == Some(state);
        let queue_ok = queue.is_none_or(|q| {
            let word = |at: usize| -> Option<u32> {
                Some(u32::from_ne_bytes(info.get(at..at + 4)?.try_into().ok()?))
            };
            matches!((word(24), word(28)), (Some(n), Some(limit)) if q == format!("{n}/{limit}"))
        });
        state_ok && queue_ok
    };
    if !infos.iter().any(matches) {
        let said: Vec<Option<&str>> = infos
            .iter()
            .map(|i| i.first().and_then(|b| tcp_state(*b)))
            .collect();
        return Err(format!(
            "`{}` shows [{note}], but the kernel's TCP_INFO after it said {said:?}",
            call.text
        ));
    }
    let mut checked = 1;
    if let (Some(child), Some(fd)) = (child, call.result) {
        // `servidor#1 ESTABLISHED`: the accepted socket's first read.
        let child_state = child.rsplit(' ').next().unwrap_or(child);
        let child_socket = seen
            .sockets
            .iter()
            .find(|s| i64::from(s.fd) == fd && s.made_at == call.exit)
            .ok_or_else(|| format!("no socket strace saw accepted as {fd}"))?;
        let first = child_socket
            .reads
            .iter()
            .filter(|r| r.pid == call.pid)
            .find_map(Call::tcp_info);
        if first
            .as_ref()
            .and_then(|i| i.first())
            .and_then(|b| tcp_state(*b))
            != Some(child_state)
        {
            return Err(format!(
                "the accepted socket is shown {child_state}; the kernel said {:?}",
                first.and_then(|i| i.first().copied()).and_then(tcp_state)
            ));
        }
        checked += 1;
    }
    Ok(checked)
}

/// `tcpi_state`'s values, as the trace names them.
fn tcp_state(value: u8) -> Option<&'static str> {
    Some(match value {
        1 => "ESTABLISHED",
        2 => "SYN_SENT",
        3 => "SYN_RECV",
        4 => "FIN_WAIT1",
        5 => "FIN_WAIT2",
        6 => "TIME_WAIT",
        7 => "CLOSE",
        8 => "CLOSE_WAIT",
        9 => "LAST_ACK",
        10 => "LISTEN",
        11 => "CLOSING",
        _ => return None,
    })
}

// ── Running a program under strace ──────────────────────────────────────

/// `strace -f -yy -qq -e TRACE -o LOG PROGRAM ARGS`: the command that runs
/// `program` under strace, its record going to `log`.
pub fn command(log: &Path, program: &Path, args: &[&str]) -> Command {
    // Found on this process's PATH: the program's own may be changed.
    let strace = std::env::var_os("PATH")
        .and_then(|paths| {
            std::env::split_paths(&paths)
                .map(|dir| dir.join("strace"))
                .find(|path| path.is_file())
        })
        .unwrap_or_else(|| PathBuf::from("strace"));
    let mut command = Command::new(strace);
    command
        .args(["-f", "-yy", "-qq", "-e", TRACE, "-o"])
        .arg(log)
        .arg(program)
        .args(args);
    command
}

/// A file for a strace record, unique to this test process and `tag`.
pub fn log_path(tag: &str) -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("strace-{tag}-{}.txt", std::process::id()))
}

/// Reads and removes a strace record.
pub fn take_log(log: &Path) -> String {
    let record = std::fs::read_to_string(log)
        .unwrap_or_else(|err| panic!("the strace record {}: {err}", log.display()));
    let _ = std::fs::remove_file(log);
    record
}

/// The one process strace started: its child (`/proc/PID/task/PID/children`).
pub fn tracee(strace_pid: u32) -> u32 {
    let start = std::time::Instant::now();
    loop {
        let children =
            std::fs::read_to_string(format!("/proc/{strace_pid}/task/{strace_pid}/children"))
                .unwrap_or_default();
        if let Some(pid) = children
            .split_whitespace()
            .next()
            .and_then(|p| p.parse().ok())
        {
            return pid;
        }
        assert!(
            start.elapsed() < super::DEADLINE,
            "strace (pid {strace_pid}) started no program"
        );
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
}
