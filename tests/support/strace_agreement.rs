//! A trace held against strace's own record of the same program: the two
//! stories must agree socket by socket, call by call — name, descriptor,
//! arguments and result, exactly as strace prints them (runs of spaces
//! squeezed, since strace pads its columns) — and the trace may claim no
//! call strace did not see.
//!
//! strace's side is read as `strace -f -o FILE` writes it (`PID  call`),
//! and each socket is followed as the kernel does: a socket starts at
//! `socket()` (IPv4 or IPv6, TCP or UDP) or at the descriptor an `accept`
//! returns, and every descriptor that points at it counts — copies made by
//! `dup`, `dup2`, `dup3` and `fcntl(F_DUPFD)`, the copies a `fork` (or a
//! `clone` without `CLONE_FILES`) gives the child, until `close` or an
//! `execve` that closes the close-on-exec ones. Threads share their
//! process's table; a process whose `clone` strace did not show shares the
//! first process's. A call split by another thread's (`<unfinished ...>`,
//! `<... resumed>`) is joined; a call a signal interrupted, with no result
//! yet (`= ? ERESTARTSYS`), is left out: the program makes it again.
//!
//! Left out on strace's side, and only those: calls that are not a
//! socket's life (`getsockopt`, `getsockname`…: the library's own reads of
//! the kernel), calls on descriptors that are not IP sockets (files,
//! pipes, the netlink socket of a sock_diag question), and pointers (a
//! failed call's unfilled buffer, printed as an address) read as
//! `<unfilled>`. The trace's side is its lines `[label] before → after:
//! call = result  [kernel]`, one socket per label; its kernel lookups
//! (`# …`) are not calls.
//!
//! Sockets are matched whole: each socket strace saw must be one socket of
//! the trace, with the same calls in the same order, and the trace may
//! have no socket left over.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

/// The calls that make up a socket's life.
pub const LIFECYCLE_CALLS: &[&str] = &[
    "socket",
    "setsockopt",
    "bind",
    "listen",
    "accept",
    "accept4",
    "connect",
    "sendto",
    "recvfrom",
    "sendmsg",
    "recvmsg",
    "read",
    "write",
    "readv",
    "writev",
    "shutdown",
    "close",
];

/// One call as a line of text, split into what grouping needs.
#[derive(Debug, Clone)]
pub struct CallLine {
    pub name: String,
    pub fd: Option<i32>,
    pub result: Option<i64>,
    pub text: String,
}

/// `text` with runs of spaces squeezed and pointers (`0x7ffc…`) read as
/// `<unfilled>`.
fn normalize(text: &str) -> String {
    let squeezed = text
        .split(' ')
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let mut out = String::with_capacity(squeezed.len());
    let mut rest = squeezed.as_str();
    while let Some(at) = rest.find("0x") {
        let digits = rest[at + 2..]
            .find(|c: char| !c.is_ascii_hexdigit())
            .unwrap_or(rest.len() - at - 2);
        let boundary = !rest[..at].ends_with(|c: char| c.is_alphanumeric());
        out.push_str(&rest[..at]);
        if boundary && digits > 0 {
            out.push_str("<unfilled>");
        } else {
            out.push_str(&rest[at..at + 2 + digits]);
        }
        rest = &rest[at + 2 + digits..];
    }
    out.push_str(rest);
    out
}

/// A call's line: its name, first argument (a descriptor, but for
/// `socket`) and result; `None` when it is not a call.
pub fn parse_call(line: &str) -> Option<CallLine> {
    let text = normalize(line.trim());
    let (name, rest) = text.split_once('(')?;
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return None;
    }
    let fd = rest
        .split([',', ')'])
        .next()
        .and_then(|first| first.trim().parse().ok());
    let result = text
        .rsplit_once(" = ")
        .and_then(|(_, r)| r.split_whitespace().next())
        .and_then(|r| r.parse().ok());
    Some(CallLine {
        name: name.to_string(),
        fd: if name == "socket" { None } else { fd },
        result,
        text,
    })
}

/// strace's `-f -o FILE` lines as `(pid, call)`, a call split by another
/// thread's joined, interrupted calls (`= ?`) and signal or exit lines
/// left out.
fn strace_lines(record: &str) -> Vec<(i32, String)> {
    let mut unfinished: HashMap<i32, String> = HashMap::new();
    let mut lines = Vec::new();
    for line in record.lines() {
        let line = line.trim_start();
        let (pid, rest) = match line.split_once(' ') {
            Some((pid, rest)) if pid.chars().all(|c| c.is_ascii_digit()) => {
                (pid.parse().unwrap_or(0), rest.trim_start())
            }
            _ => (0, line),
        };
        if rest.starts_with("+++") || rest.starts_with("---") {
            continue;
        }
        let whole = if let Some(head) = rest.strip_suffix("<unfinished ...>") {
            // strace writes one space before `<unfinished ...>`.
            let head = head.strip_suffix(' ').unwrap_or(head);
            unfinished.insert(pid, head.to_string());
            continue;
        } else if let Some(resumed) = rest.strip_prefix("<... ") {
            let Some((_, tail)) = resumed.split_once("resumed>") else {
                continue;
            };
            format!("{}{tail}", unfinished.remove(&pid).unwrap_or_default())
        } else {
            rest.to_string()
        };
        if whole.trim_end().ends_with("= ?") || whole.contains(" = ? ") {
            continue;
        }
        lines.push((pid, whole));
    }
    lines
}

/// One descriptor: the socket it points at, and whether exec closes it.
#[derive(Clone, Copy)]
struct Entry {
    socket: usize,
    cloexec: bool,
}

type Table = Rc<RefCell<HashMap<i32, Entry>>>;

/// The sockets in strace's record, each as its calls in order, sockets
/// in the order they were made.
pub fn strace_sockets(record: &str) -> Vec<Vec<String>> {
    let mut sockets: Vec<Vec<String>> = Vec::new();
    let mut tables: HashMap<i32, Table> = HashMap::new();
    let mut first: Option<Table> = None;
    for (pid, line) in strace_lines(record) {
        let Some(call) = parse_call(&line) else {
            continue;
        };
        let table = tables
            .entry(pid)
            .or_insert_with(|| first.get_or_insert_with(Table::default).clone())
            .clone();
        let lookup = |fd: Option<i32>| fd.and_then(|fd| table.borrow().get(&fd).copied());
        let result = call.result.filter(|r| *r >= 0);
        match call.name.as_str() {
            "socket" => {
                let ip = call.text.starts_with("socket(AF_INET, ")
                    || call.text.starts_with("socket(AF_INET6, ");
                let kind = call.text.contains("SOCK_STREAM") || call.text.contains("SOCK_DGRAM");
                if let Some(fd) = result {
                    table.borrow_mut().remove(&(fd as i32));
                }
                if ip && kind {
                    sockets.push(vec![call.text.clone()]);
                    if let Some(fd) = result {
                        let entry = Entry {
                            socket: sockets.len() - 1,
                            cloexec: call.text.contains("SOCK_CLOEXEC"),
                        };
                        table.borrow_mut().insert(fd as i32, entry);
                    }
                }
            }
            "clone" | "clone3" | "fork" | "vfork" => {
                if let Some(child) = result {
                    let shared = call.text.contains("CLONE_FILES");
                    let child_table = if shared {
                        table.clone()
                    } else {
                        Rc::new(RefCell::new(table.borrow().clone()))
                    };
                    tables.insert(child as i32, child_table);
                }
            }
            "execve" | "execveat" if result.is_some() => {
                let private: HashMap<i32, Entry> = table
                    .borrow()
                    .iter()
                    .filter(|(_, entry)| !entry.cloexec)
                    .map(|(fd, entry)| (*fd, *entry))
                    .collect();
                tables.insert(pid, Rc::new(RefCell::new(private)));
            }
            "dup" | "dup2" | "dup3" | "fcntl" => {
                let copy = match call.name.as_str() {
                    "fcntl" => call.text.contains("F_DUPFD"),
                    _ => true,
                };
                if let (true, Some(new)) = (copy, result) {
                    match lookup(call.fd) {
                        Some(entry) => {
                            let cloexec = call.text.contains("CLOEXEC");
                            table
                                .borrow_mut()
                                .insert(new as i32, Entry { cloexec, ..entry });
                        }
                        None => {
                            table.borrow_mut().remove(&(new as i32));
                        }
                    }
                } else if let (true, Some(fd), Some(mut entry)) =
                    (call.text.contains("F_SETFD"), call.fd, lookup(call.fd))
                {
                    entry.cloexec = call.text.contains("FD_CLOEXEC");
                    table.borrow_mut().insert(fd, entry);
                }
            }
            name if LIFECYCLE_CALLS.contains(&name) => {
                let Some(entry) = lookup(call.fd) else {
                    continue;
                };
                sockets[entry.socket].push(call.text.clone());
                match name {
                    "accept" | "accept4" => {
                        if let Some(fd) = result {
                            sockets.push(Vec::new());
                            let entry = Entry {
                                socket: sockets.len() - 1,
                                cloexec: call.text.contains("SOCK_CLOEXEC"),
                            };
                            table.borrow_mut().insert(fd as i32, entry);
                        }
                    }
                    "close" => {
                        if let Some(fd) = call.fd {
                            table.borrow_mut().remove(&fd);
                        }
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
    sockets
}

/// The sockets in a rendered trace — lines like
/// `[servidor] Bound → Listening: listen(3, 5) = 0  [LISTEN, …]` — each
/// as its calls in order, one socket per label, in the order each label
/// first appears.
pub fn traced_sockets(trace: &str) -> Vec<Vec<String>> {
    let mut order: Vec<String> = Vec::new();
    let mut calls: HashMap<String, Vec<String>> = HashMap::new();
    for line in trace.lines() {
        let Some(rest) = line.strip_prefix('[') else {
            continue;
        };
        let Some((label, rest)) = rest.split_once("] ") else {
            continue;
        };
        let Some((_, after_arrow)) = rest.split_once(" → ") else {
            continue;
        };
        let Some((_, call)) = after_arrow.split_once(": ") else {
            continue;
        };
        let call = call.rsplit_once("  [").map_or(call, |(call, _)| call);
        if call.starts_with('#') {
            continue;
        }
        let Some(call) = parse_call(call) else {
            continue;
        };
        if !LIFECYCLE_CALLS.contains(&call.name.as_str()) {
            continue;
        }
        if !calls.contains_key(label) {
            order.push(label.to_string());
        }
        calls.entry(label.to_string()).or_default().push(call.text);
    }
    order
        .into_iter()
        .map(|label| calls.remove(&label).unwrap_or_default())
        .collect()
}

/// Holds `trace` against strace's `record`: the number of calls that
/// agree, or where the two stories part.
pub fn compare(record: &str, trace: &str) -> Result<usize, String> {
    let seen = strace_sockets(record);
    let mut claimed = traced_sockets(trace);
    if seen.len() != claimed.len() {
        return Err(format!(
            "strace saw {} sockets, the trace tells {}\n  strace: {seen:#?}\n  trace:  {claimed:#?}",
            seen.len(),
            claimed.len()
        ));
    }
    for (i, socket) in seen.iter().enumerate() {
        match claimed.iter().position(|other| other == socket) {
            Some(at) => {
                claimed.remove(at);
            }
            None => {
                // The trace's socket that starts alike and agrees longest.
                let agree = |other: &Vec<String>| {
                    other.iter().zip(socket).take_while(|(a, b)| a == b).count()
                };
                let closest = claimed.iter().max_by_key(|other| agree(other));
                return Err(format!(
                    "socket #{i} differs\n  strace: {socket:#?}\n  trace:  {closest:#?}"
                ));
            }
        }
    }
    Ok(seen.iter().map(Vec::len).sum())
}
