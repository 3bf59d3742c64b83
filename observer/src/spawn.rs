//! The child, started under ptrace: `PTRACE_TRACEME` between `fork` and
//! `exec` (no root needed: a parent may trace its own child), and the
//! tracer's own answer to Ctrl+C.
//!
//! The two `unsafe` blocks here are the OS's own terms: code that runs in
//! the child between `fork` and `exec` (the standard library's
//! `pre_exec`), and changing how this process takes a signal.

use std::ffi::OsString;
use std::io;
use std::os::unix::process::CommandExt;
use std::process::Command;

use nix::sys::ptrace;
use nix::sys::signal::{SigHandler, Signal, signal};
use nix::unistd::Pid;

/// Starts `program` with `args` as a traced child: it stops right after
/// its `execve` succeeds. Its standard input, output and error are this
/// process's own, untouched. An error says why the program could not be
/// started (not found, not executable).
pub fn traced_child(program: &OsString, args: &[OsString]) -> io::Result<Pid> {
    let mut command = Command::new(program);
    command.args(args);
    // SAFETY: the closure runs in the child between fork and exec, where
    // only async-signal-safe work is allowed; it makes one system call
    // (ptrace(PTRACE_TRACEME)), allocates nothing and takes no lock.
    unsafe {
        command.pre_exec(|| ptrace::traceme().map_err(io::Error::from));
    }
    let child = command.spawn()?;
    Ok(Pid::from_raw(child.id() as i32))
}

/// From now on Ctrl+C (and Ctrl+\) leave the observer alone: the terminal
/// sends them to the whole foreground process group, so the child gets
/// them as it would without the observer, and the observer stays to tell
/// the rest of the story. Called after the child started, so that the
/// child does not inherit the ignored signals.
pub fn ignore_terminal_signals() {
    for sig in [Signal::SIGINT, Signal::SIGQUIT] {
        // SAFETY: SIG_IGN installs no handler: no code of ours runs when the
        // signal comes, so nothing can be interrupted half-way.
        let _ = unsafe { signal(sig, SigHandler::SigIgn) };
    }
}
