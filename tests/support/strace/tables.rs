//! Which socket each descriptor number of each process points at, as
//! strace's record tells it: a socket is made by `socket()` or `accept`,
//! and every number that points at it counts — the copies `dup`, `dup2`,
//! `dup3` and `fcntl(F_DUPFD)` make, and the copies a child gets: a
//! `fork` (or a `clone` without `CLONE_FILES`) copies its parent's table,
//! a thread (`CLONE_FILES`) shares it, and an `execve` keeps only the
//! descriptors not marked close-on-exec. A closed number keeps pointing at
//! its last socket (a second `close`, a `send` after `close` belong to its
//! story) until another takes the number.
//!
//! A child's first call may come before its parent's `clone` returned in
//! the record (strace shows `clone(… <unfinished ...>`, then the child's
//! calls): its table is made from its parent's when it is first needed,
//! whichever comes first. A process whose `clone` strace did not show
//! shares the first process's table.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use super::Call;

/// Who last held a descriptor number.
#[derive(Debug, Clone, Copy)]
pub(super) enum Holder {
    /// The n-th TCP or UDP socket of the record.
    Socket(usize),
    /// The n-th netlink socket (the library's sock_diag questions).
    Netlink(usize),
    /// Anything else a `socket()` made.
    Other,
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    holder: Holder,
    cloexec: bool,
    open: bool,
}

type Table = Rc<RefCell<HashMap<i32, Entry>>>;

/// The descriptor tables of every process and thread in a record.
#[derive(Default)]
pub(super) struct Tables {
    tables: HashMap<u32, Table>,
    first: Option<Table>,
    /// Each process or thread the record shows made: who made it, and
    /// whether it shares its maker's table (`CLONE_FILES`).
    made_by: HashMap<u32, (u32, bool)>,
}

impl Tables {
    /// The tables of a record whose calls are `calls`: who made whom is
    /// read from every `clone`, `fork` and `vfork` that returned.
    pub(super) fn new(calls: &[Call]) -> Tables {
        let made_by = calls
            .iter()
            .filter(|c| matches!(c.name.as_str(), "clone" | "clone3" | "fork" | "vfork"))
            .filter_map(|c| {
                let child = u32::try_from(c.result?).ok()?;
                Some((child, (c.pid, c.text.contains("CLONE_FILES"))))
            })
            .collect();
        Tables {
            made_by,
            ..Tables::default()
        }
    }

    /// `child`, made by a `clone` that returned: its table, if its own
    /// first call has not made it already.
    pub(super) fn made(&mut self, child: u32) {
        self.table(child);
    }

    /// `pid`'s table, made now if this is its first call (or its maker's
    /// `clone` returning).
    fn table(&mut self, pid: u32) -> Table {
        if let Some(table) = self.tables.get(&pid) {
            return table.clone();
        }
        let table = match self.made_by.get(&pid).copied() {
            Some((parent, true)) => self.table(parent),
            Some((parent, false)) => Rc::new(RefCell::new(self.table(parent).borrow().clone())),
            None => self.first.get_or_insert_with(Table::default).clone(),
        };
        self.tables.insert(pid, table.clone());
        table
    }

    /// Who `fd` of `pid` points at (or last did).
    pub(super) fn holder(&mut self, pid: u32, fd: i32) -> Option<Holder> {
        self.table(pid).borrow().get(&fd).map(|entry| entry.holder)
    }

    /// `fd` of `pid` now points at `holder`.
    pub(super) fn open(&mut self, pid: u32, fd: i32, holder: Holder, cloexec: bool) {
        let entry = Entry {
            holder,
            cloexec,
            open: true,
        };
        self.table(pid).borrow_mut().insert(fd, entry);
    }

    /// `fd` of `pid` is closed; it still names its last holder.
    pub(super) fn close(&mut self, pid: u32, fd: i32) {
        if let Some(entry) = self.table(pid).borrow_mut().get_mut(&fd) {
            entry.open = false;
        }
    }

    /// `fd`'s close-on-exec mark (`fcntl(F_SETFD)`).
    pub(super) fn set_cloexec(&mut self, pid: u32, fd: i32, on: bool) {
        if let Some(entry) = self.table(pid).borrow_mut().get_mut(&fd) {
            entry.cloexec = on;
        }
    }

    /// `pid` ran `execve`: it keeps the open descriptors not marked
    /// close-on-exec, in a table of its own.
    pub(super) fn exec(&mut self, pid: u32) {
        let kept: HashMap<i32, Entry> = self
            .table(pid)
            .borrow()
            .iter()
            .filter(|(_, entry)| entry.open && !entry.cloexec)
            .map(|(fd, entry)| (*fd, *entry))
            .collect();
        self.tables.insert(pid, Rc::new(RefCell::new(kept)));
    }
}
