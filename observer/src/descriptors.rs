//! The descriptor tables of the traced processes, followed across `dup`,
//! `fork` and `exec`: which descriptor of which process is which socket.
//!
//! A socket ([`Sock`]) lives in the kernel; descriptors point at it. A
//! `dup` (or `dup2`, `dup3`, `fcntl(F_DUPFD)`) gives it one more; a `fork`
//! copies every descriptor of the parent into the child, so both hold the
//! same sockets; threads share one table (`CLONE_FILES`); an `execve`
//! closes the descriptors marked close-on-exec (`SOCK_CLOEXEC`,
//! `O_CLOEXEC`, `FD_CLOEXEC`). A socket is followed through all of it:
//! its calls keep its label whichever descriptor and process make them,
//! and the observer knows how many descriptors still hold it.
//!
//! Labels are the ones a student recognises: the program's name for the
//! first socket it makes (`servidor.py`, `cliente`), `name-2`, `name-3`…
//! for the next ones, and `LISTENER#n` for the n-th connection a listener
//! accepts — the same on every run of the same program.

use std::cell::RefCell;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::rc::Rc;
use std::sync::Arc;

use socket_lifecycle::StateName;
use socket_lifecycle::event::{Family, Mode, Transport};

/// One socket the program made, whatever descriptors hold it.
#[derive(Debug)]
pub struct Sock {
    pub label: Arc<str>,
    pub family: Family,
    pub transport: Transport,
    pub state: StateName,
    pub mode: Mode,
    pub local: Option<SocketAddr>,
    pub peer: Option<SocketAddr>,
    /// How many connections it has accepted (for `LABEL#n`).
    pub accepted: u32,
    /// How many descriptors, in every traced process, point at it.
    pub holders: u32,
}

/// Where sockets live: an index into [`Sockets::all`].
pub type SockId = usize;

/// One descriptor's entry: which socket, and whether `execve` closes it.
#[derive(Debug, Clone, Copy)]
struct Entry {
    sock: SockId,
    cloexec: bool,
}

/// A descriptor table: shared by the threads of a process (and by
/// processes cloned with `CLONE_FILES`).
#[derive(Debug, Default, Clone)]
pub struct Table {
    entries: HashMap<i32, Entry>,
}

/// A shared handle on a table.
pub type TableRef = Rc<RefCell<Table>>;

/// Every socket seen, and how many each program made (for labels).
#[derive(Debug, Default)]
pub struct Sockets {
    pub all: Vec<Sock>,
    made: HashMap<Arc<str>, u32>,
}

impl Sockets {
    /// A new socket made by `socket()` in `program`, held by no descriptor yet.
    pub fn made(&mut self, program: &Arc<str>, family: Family, transport: Transport) -> SockId {
        let n = self.made.entry(program.clone()).or_insert(0);
        *n += 1;
        let label: Arc<str> = if *n == 1 {
            program.clone()
        } else {
            Arc::from(format!("{program}-{n}"))
        };
        self.push(label, family, transport, StateName::Created)
    }

    /// The connection `listener` accepted: `LISTENER#n`.
    pub fn accepted(&mut self, listener: SockId) -> SockId {
        let parent = &mut self.all[listener];
        parent.accepted += 1;
        let label = Arc::from(format!("{}#{}", parent.label, parent.accepted));
        let (family, transport) = (parent.family, parent.transport);
        self.push(label, family, transport, StateName::Connected)
    }

    fn push(
        &mut self,
        label: Arc<str>,
        family: Family,
        transport: Transport,
        state: StateName,
    ) -> SockId {
        self.all.push(Sock {
            label,
            family,
            transport,
            state,
            mode: Mode::default(),
            local: None,
            peer: None,
            accepted: 0,
            holders: 0,
        });
        self.all.len() - 1
    }

    /// `fd` of `table` now points at `sock`; a socket it pointed at before
    /// loses a holder (the kernel closed it silently, as `dup2` does).
    pub fn open(&mut self, table: &TableRef, fd: i32, sock: SockId, cloexec: bool) {
        let old = table
            .borrow_mut()
            .entries
            .insert(fd, Entry { sock, cloexec });
        if let Some(old) = old {
            self.release(old.sock);
        }
        self.all[sock].holders += 1;
    }

    /// `fd` of `table` is closed: the socket it pointed at, if any, with
    /// how many descriptors still hold it.
    pub fn close(&mut self, table: &TableRef, fd: i32) -> Option<(SockId, u32)> {
        let entry = table.borrow_mut().entries.remove(&fd)?;
        self.release(entry.sock);
        Some((entry.sock, self.all[entry.sock].holders))
    }

    fn release(&mut self, sock: SockId) {
        let holders = &mut self.all[sock].holders;
        *holders = holders.saturating_sub(1);
    }

    /// The socket descriptor `fd` of `table` points at.
    pub fn lookup(&self, table: &TableRef, fd: i32) -> Option<SockId> {
        table.borrow().entries.get(&fd).map(|entry| entry.sock)
    }

    /// `fd`'s close-on-exec mark, as `fcntl(F_SETFD)` set it.
    pub fn set_cloexec(&self, table: &TableRef, fd: i32, cloexec: bool) {
        if let Some(entry) = table.borrow_mut().entries.get_mut(&fd) {
            entry.cloexec = cloexec;
        }
    }

    /// A copy of `table` for a child process (`fork`): each socket gains a
    /// holder per descriptor copied.
    pub fn fork(&mut self, table: &TableRef) -> TableRef {
        let copy = table.borrow().clone();
        for entry in copy.entries.values() {
            self.all[entry.sock].holders += 1;
        }
        Rc::new(RefCell::new(copy))
    }

    /// `execve` in a process whose table is `table`: a private table
    /// without the close-on-exec descriptors (those lose their holder).
    pub fn exec(&mut self, table: TableRef) -> TableRef {
        let private = self.fork(&table);
        let closed: Vec<i32> = private
            .borrow()
            .entries
            .iter()
            .filter(|(_, entry)| entry.cloexec)
            .map(|(fd, _)| *fd)
            .collect();
        for fd in closed {
            self.close(&private, fd);
        }
        self.drop_table(table);
        private
    }

    /// A process let go of `table` (it ended, or replaced it): when no
    /// process holds it any more, its descriptors are closed.
    pub fn drop_table(&mut self, table: TableRef) {
        if let Ok(cell) = Rc::try_unwrap(table) {
            for entry in cell.into_inner().entries.values() {
                self.release(entry.sock);
            }
        }
    }

    /// The descriptors from `first` to `last` of `table` are closed
    /// (`close_range`).
    pub fn close_range(&mut self, table: &TableRef, first: i32, last: i32) {
        let fds: Vec<i32> = table
            .borrow()
            .entries
            .keys()
            .copied()
            .filter(|fd| (first..=last).contains(fd))
            .collect();
        for fd in fds {
            self.close(table, fd);
        }
    }
}

/// The name a student knows a program by, from its command line: the
/// script for an interpreter (`python3 -u servidor.py` → `servidor.py`,
/// `java Servidor` → `Servidor`), the program's own name otherwise
/// (`./servidor` → `servidor`).
pub fn program_name(cmdline: &[String]) -> Arc<str> {
    let base = |path: &str| path.rsplit('/').next().unwrap_or(path).to_string();
    let Some(first) = cmdline.first() else {
        return Arc::from("?");
    };
    let program = base(first);
    let interpreter = [
        "python", "node", "ruby", "perl", "php", "java", "bash", "sh", "lua",
    ]
    .iter()
    .any(|name| program.starts_with(name));
    if interpreter {
        let mut args = cmdline[1..].iter();
        while let Some(arg) = args.next() {
            match arg.as_str() {
                // Options whose value is the next argument.
                "-cp" | "-classpath" | "--class-path" | "-m" | "-W" | "-X" => {
                    args.next();
                }
                "-jar" => {
                    if let Some(jar) = args.next() {
                        return Arc::from(base(jar));
                    }
                }
                "-c" | "-e" => break,
                arg if arg.starts_with('-') => {}
                arg => return Arc::from(base(arg)),
            }
        }
    }
    Arc::from(program)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(line: &str) -> String {
        let parts: Vec<String> = line.split(' ').map(str::to_string).collect();
        program_name(&parts).to_string()
    }

    #[test]
    fn programs_are_named_as_a_student_knows_them() {
        assert_eq!(
            name("/usr/bin/python3 -u tests/fixtures/servidor.py 127.0.0.1 0"),
            "servidor.py"
        );
        assert_eq!(name("./servidor 8888"), "servidor");
        assert_eq!(name("java -cp . Servidor"), "Servidor");
        assert_eq!(name("java -jar chat.jar"), "chat.jar");
        assert_eq!(name("python3 -c print(1)"), "python3");
    }

    #[test]
    fn a_socket_is_followed_across_dup_fork_and_exec() {
        let mut sockets = Sockets::default();
        let parent: TableRef = TableRef::default();
        let program: Arc<str> = Arc::from("servidor");
        let listener = sockets.made(&program, Family::V4, Transport::Tcp);
        sockets.open(&parent, 3, listener, false);
        let conn = sockets.accepted(listener);
        sockets.open(&parent, 4, conn, true);
        assert_eq!(&*sockets.all[conn].label, "servidor#1");
        let child = sockets.fork(&parent);
        assert_eq!(sockets.all[conn].holders, 2);
        // The parent closes its copy: the child still holds the connection.
        assert_eq!(sockets.close(&parent, 4), Some((conn, 1)));
        sockets.open(&child, 5, conn, false); // dup
        assert_eq!(sockets.all[conn].holders, 2);
        // exec closes fd 4 (close-on-exec), keeps 5 and the listener's 3.
        let child = sockets.exec(child);
        assert_eq!(sockets.all[conn].holders, 1);
        assert_eq!(sockets.lookup(&child, 5), Some(conn));
        assert_eq!(sockets.lookup(&child, 4), None);
        assert_eq!(sockets.all[listener].holders, 2);
        sockets.drop_table(child);
        assert_eq!(sockets.all[conn].holders, 0);
        assert_eq!(sockets.all[listener].holders, 1);
    }
}
