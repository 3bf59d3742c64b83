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
/// ended.
pub fn trace(child: Pid, mut emit: impl FnMut(Event, Pid)) -> Result<Ended, String> {
    match waitpid(child, Some(WaitPidFlag::__WALL)) {
        Ok(WaitStatus::Stopped(_, Signal::SIGTRAP)) => {}
        other => {
            return Err(format!(
                "the program did not stop after exec as expected: {other:?}"
            ));
        }
    }
    let options = Options::PTRACE_O_EXITKILL
        | Options::PTRACE_O_TRACESYSGOOD
        | Options::PTRACE_O_TRACEFORK
        | Options::PTRACE_O_TRACEVFORK
        | Options::PTRACE_O_TRACECLONE
        | Options::PTRACE_O_TRACEEXEC;
    ptrace::setoptions(child, options).map_err(|e| format!("PTRACE_SETOPTIONS: {e}"))?;
    let mut events = Events::default();
    let mut threads: HashMap<Pid, Thread> = HashMap::new();
    threads.insert(
        child,
        Thread {
            pid: child,
            table: TableRef::default(),
            program: program_name(&memory::cmdline(child)),
            in_syscall: false,
            pending: None,
            clone_flags: 0,
            fresh: false,
        },
    );
    // Threads that stopped before their parent's clone was reported.
    let mut early: HashSet<Pid> = HashSet::new();
    let mut ended = Ended::Exited(0);
    resume(child, None);
    loop {
        let status = match waitpid(None, Some(WaitPidFlag::__WALL)) {
            Ok(status) => status,
            Err(Errno::EINTR) => continue,
            Err(Errno::ECHILD) => break,
            Err(e) => return Err(format!("waitpid: {e}")),
        };
        match status {
            WaitStatus::PtraceSyscall(tid) => {
                let Some(thread) = threads.get_mut(&tid) else {
                    resume(tid, None);
                    continue;
                };
                thread.in_syscall = !thread.in_syscall;
                let ctx = Ctx {
                    tid,
                    pid: thread.pid,
                    table: &thread.table,
                    program: &thread.program,
                };
                if thread.in_syscall {
                    if let Ok(stop) = arch::stop(tid) {
                        thread.clone_flags = match stop.sys {
                            Some(Sys::Clone) => stop.args[0],
                            Some(Sys::Clone3) => memory::u64_at(tid, stop.args[0]).unwrap_or(0),
                            _ => 0,
                        };
                        thread.pending = events.entry(&ctx, &stop);
                    }
                } else if let (Some(pending), Ok(stop)) = (thread.pending.take(), arch::stop(tid))
                    && let Some(event) = events.exit(&ctx, pending, stop.ret)
                {
                    emit(event, thread.pid);
                }
                resume(tid, None);
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
                                resume(new, None);
                            }
                        }
                    }
                    libc::PTRACE_EVENT_EXEC => {
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
                            threads.insert(tid, thread);
                        }
                    }
                    _ => {}
                }
                resume(tid, None);
            }
            WaitStatus::Stopped(tid, sig) => match threads.get_mut(&tid) {
                None => {
                    // A new thread, before its parent's clone is reported.
                    early.insert(tid);
                }
                Some(thread) if thread.fresh && sig == Signal::SIGSTOP => {
                    thread.fresh = false;
                    resume(tid, None);
                }
                Some(_) => {
                    // A group stop (Ctrl+Z's kind) has no signal to deliver.
                    let group_stop = matches!(
                        sig,
                        Signal::SIGSTOP | Signal::SIGTSTP | Signal::SIGTTIN | Signal::SIGTTOU
                    ) && ptrace::getsiginfo(tid) == Err(Errno::EINVAL);
                    resume(tid, (!group_stop).then_some(sig));
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
    Ok(ended)
}

/// Lets `tid` go on to its next system call stop, delivering `sig`. A
/// thread that vanished meanwhile (killed, exited) cannot be resumed;
/// its exit is reported by `waitpid`.
fn resume(tid: Pid, sig: Option<Signal>) {
    let _ = ptrace::syscall(tid, sig);
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
