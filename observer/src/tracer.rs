//! The ptrace loop: wait for any traced thread to stop, see why — a
//! system call's entry or exit, a new thread or process, an `execve`, a
//! signal on its way, an exit — and let it go on. Every thread of every
//! process the child starts is traced (`PTRACE_O_TRACEFORK`, `…VFORK`,
//! `…CLONE`); if the observer dies, they die too (`PTRACE_O_EXITKILL`).
//! Signals reach the program as they would without the observer: each one
//! stopped on its way is delivered when the thread goes on.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use nix::errno::Errno;
use nix::sys::ptrace::{self, Options};
use nix::sys::signal::Signal;
use nix::sys::wait::{WaitPidFlag, WaitStatus, waitpid};
use nix::unistd::Pid;
use socket_lifecycle::event::Event;

use crate::arch::{self, Sys};
use crate::descriptors::{TableRef, program_name};
use crate::events::{Ctx, Events, Pending};
use crate::memory;

/// One traced thread.
struct Thread {
    /// Its process (thread group).
    pid: Pid,
    table: TableRef,
    program: Arc<str>,
    /// Between a system call's entry stop and its exit stop.
    in_syscall: bool,
    /// What the entry of the current call kept for its exit.
    pending: Option<Pending>,
    /// The flags of the `clone` it is making, for the new thread's table.
    clone_flags: u64,
    /// Created, and its first stop (`SIGSTOP`) not seen yet.
    fresh: bool,
}

/// How the traced program ended, and what the observer could not see.
#[derive(Debug, Clone, Copy)]
pub struct Traced {
    pub ended: Ended,
    /// The errno with which the kernel refused the observer duplicates of
    /// the program's descriptors (so no TCP state could be read).
    pub refused: Option<i32>,
}

/// How the traced program ended.
#[derive(Debug, Clone, Copy)]
pub enum Ended {
    /// It exited with this status.
    Exited(i32),
    /// A signal ended it.
    Killed(Signal),
}

/// Runs the loop until every traced thread is gone; each event goes to
/// `emit` with the process that made it. Returns how the first process
/// ended. `child` is stopped (`SIGSTOP`) before its `execve`.
pub fn trace(child: Pid, mut emit: impl FnMut(Event, Pid)) -> Result<Traced, String> {
    match waitpid(child, Some(WaitPidFlag::__WALL)) {
        Ok(WaitStatus::Stopped(_, Signal::SIGSTOP)) => {}
        other => {
            return Err(format!(
                "the program did not stop before exec as expected: {other:?}"
            ));
        }
    }
    let options = Options::PTRACE_O_EXITKILL
        | Options::PTRACE_O_TRACESYSGOOD
        | Options::PTRACE_O_TRACEFORK
        | Options::PTRACE_O_TRACEVFORK
        | Options::PTRACE_O_TRACECLONE
        | Options::PTRACE_O_TRACEEXEC
        | Options::PTRACE_O_TRACESECCOMP;
    ptrace::setoptions(child, options).map_err(|e| format!("PTRACE_SETOPTIONS: {e}"))?;
    let mut events = Events::default();
    let mut threads: HashMap<Pid, Thread> = HashMap::new();
    threads.insert(
        child,
        Thread {
            pid: child,
            table: TableRef::default(),
            program: Arc::from("?"),
            in_syscall: false,
            pending: None,
            clone_flags: 0,
            fresh: false,
        },
    );
    // Threads that stopped before their parent's clone was reported.
    let mut early: HashSet<Pid> = HashSet::new();
    // Whether a seccomp filter picks the calls that stop the program
    // (learned at its first exec): then a call stops it at its entry
    // through the filter, and once more at its exit; every other call runs.
    let mut filtered = false;
    let mut first_exec = true;
    let mut ended = Ended::Exited(0);
    // Up to its execve the child makes no call the observer follows.
    resume(child, None, false);
    loop {
        let status = match waitpid(None, Some(WaitPidFlag::__WALL)) {
            Ok(status) => status,
            Err(Errno::EINTR) => continue,
            Err(Errno::ECHILD) => break,
            Err(e) => return Err(format!("waitpid: {e}")),
        };
        match status {
            WaitStatus::PtraceEvent(tid, _, libc::PTRACE_EVENT_SECCOMP) => {
                filtered = true;
                if let Some(thread) = threads.get_mut(&tid) {
                    thread.in_syscall = true;
                    entry(thread, tid, &mut events);
                }
                // On to the call's exit.
                resume(tid, None, true);
            }
            WaitStatus::PtraceSyscall(tid) => {
                let Some(thread) = threads.get_mut(&tid) else {
                    resume(tid, None, !filtered);
                    continue;
                };
                let entering = !filtered && !thread.in_syscall;
                thread.in_syscall = entering;
                if entering {
                    entry(thread, tid, &mut events);
                } else if let (Some(pending), Ok(stop)) = (thread.pending.take(), arch::stop(tid)) {
                    let ctx = Ctx {
                        tid,
                        pid: thread.pid,
                        table: &thread.table,
                        program: &thread.program,
                    };
                    for event in events.exit(&ctx, pending, stop.ret) {
                        emit(event, thread.pid);
                    }
                }
                resume(tid, None, !filtered || thread.in_syscall);
            }
            WaitStatus::PtraceEvent(tid, _, event) => {
                match event {
                    libc::PTRACE_EVENT_FORK
                    | libc::PTRACE_EVENT_VFORK
                    | libc::PTRACE_EVENT_CLONE => {
                        let new = ptrace::getevent(tid).map(|raw| Pid::from_raw(raw as i32));
                        if let (Ok(new), Some(parent)) = (new, threads.get(&tid)) {
                            let flags = if event == libc::PTRACE_EVENT_CLONE {
                                parent.clone_flags
                            } else {
                                0
                            };
                            let thread_of_parent = flags & libc::CLONE_THREAD as u64 != 0;
                            let table = if flags & libc::CLONE_FILES as u64 != 0 {
                                parent.table.clone()
                            } else {
                                events.sockets.fork(&parent.table)
                            };
                            let thread = Thread {
                                pid: if thread_of_parent { parent.pid } else { new },
                                table,
                                program: parent.program.clone(),
                                in_syscall: false,
                                pending: None,
                                clone_flags: 0,
                                fresh: !early.remove(&new),
                            };
                            let started = !thread.fresh;
                            threads.insert(new, thread);
                            if started {
                                resume(new, None, !filtered);
                            }
                        }
                    }
                    libc::PTRACE_EVENT_EXEC => {
                        if first_exec {
                            first_exec = false;
                            filtered = seccomp_filtered(tid);
                        }
                        let former = ptrace::getevent(tid)
                            .map(|raw| Pid::from_raw(raw as i32))
                            .unwrap_or(tid);
                        if let Some(mut thread) = threads.remove(&former) {
                            // The other threads of the process are gone.
                            let gone: Vec<Pid> = threads
                                .iter()
                                .filter(|(_, t)| t.pid == thread.pid)
                                .map(|(tid, _)| *tid)
                                .collect();
                            for tid in gone {
                                if let Some(t) = threads.remove(&tid) {
                                    events.sockets.drop_table(t.table);
                                }
                            }
                            let table = std::mem::take(&mut thread.table);
                            thread.table = events.sockets.exec(table);
                            thread.program = program_name(&memory::cmdline(tid));
                            thread.pid = tid;
                            // Unfiltered, the execve's exit stop comes next.
                            thread.in_syscall = !filtered;
                            threads.insert(tid, thread);
                        }
                    }
                    _ => {}
                }
                let in_syscall = threads.get(&tid).is_some_and(|t| t.in_syscall);
                resume(tid, None, !filtered || in_syscall);
            }
            WaitStatus::Stopped(tid, sig) => match threads.get_mut(&tid) {
                None => {
                    // A new thread, before its parent's clone is reported.
                    early.insert(tid);
                }
                Some(thread) if thread.fresh && sig == Signal::SIGSTOP => {
                    thread.fresh = false;
                    resume(tid, None, !filtered);
                }
                Some(thread) => {
                    // A group stop (Ctrl+Z's kind) has no signal to deliver.
                    let group_stop = matches!(
                        sig,
                        Signal::SIGSTOP | Signal::SIGTSTP | Signal::SIGTTIN | Signal::SIGTTOU
                    ) && ptrace::getsiginfo(tid) == Err(Errno::EINVAL);
                    resume(
                        tid,
                        (!group_stop).then_some(sig),
                        !filtered || thread.in_syscall,
                    );
                }
            },
            WaitStatus::Exited(tid, code) => {
                if tid == child {
                    ended = Ended::Exited(code);
                }
                gone(&mut threads, &mut events, tid);
            }
            WaitStatus::Signaled(tid, sig, _) => {
                if tid == child {
                    ended = Ended::Killed(sig);
                }
                gone(&mut threads, &mut events, tid);
            }
            _ => {}
        }
    }
    Ok(Traced {
        ended,
        refused: events.peek.refused,
    })
}

/// A call's entry: what the observer keeps of it for its exit, and the
/// flags of a `clone` (for the new thread's descriptor table).
fn entry(thread: &mut Thread, tid: Pid, events: &mut Events) {
    let Ok(stop) = arch::stop(tid) else {
        return;
    };
    thread.clone_flags = match stop.sys {
        Some(Sys::Clone) => stop.args[0],
        Some(Sys::Clone3) => memory::u64_at(tid, stop.args[0]).unwrap_or(0),
        _ => 0,
    };
    let ctx = Ctx {
        tid,
        pid: thread.pid,
        table: &thread.table,
        program: &thread.program,
    };
    thread.pending = events.entry(&ctx, &stop);
}

/// Whether a seccomp filter is installed in `pid` (`/proc/PID/status`
/// says `Seccomp: 2`).
fn seccomp_filtered(pid: Pid) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .map(|status| {
            status
                .lines()
                .any(|line| line.split_whitespace().eq(["Seccomp:", "2"]))
        })
        .unwrap_or(false)
}

/// Lets `tid` go on, delivering `sig`: to its next system call stop when
/// `at_syscalls`, else until the filter or an event stops it. A thread
/// that vanished meanwhile (killed, exited) cannot be resumed; its exit
/// is reported by `waitpid`.
fn resume(tid: Pid, sig: Option<Signal>, at_syscalls: bool) {
    let _ = if at_syscalls {
        ptrace::syscall(tid, sig)
    } else {
        ptrace::cont(tid, sig)
    };
}

/// A thread that ended: when it was its process's last, the process's
/// descriptors are let go.
fn gone(threads: &mut HashMap<Pid, Thread>, events: &mut Events, tid: Pid) {
    if let Some(thread) = threads.remove(&tid) {
        let last = !threads.values().any(|t| t.pid == thread.pid);
        if last {
            events.peek.forget(thread.pid);
        }
        events.sockets.drop_table(thread.table);
    }
}
