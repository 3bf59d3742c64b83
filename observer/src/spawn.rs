//! The child, started under ptrace: between `fork` and `exec` it asks to
//! be traced (`PTRACE_TRACEME`; no root needed, a parent may trace its own
//! child), stops until the observer has set its options, installs the
//! seccomp filter that picks the calls that stop it (`filter.rs`), and
//! runs the program. Also the observer's own answer to Ctrl+C.
//!
//! The `unsafe` here is the OS's own terms: `fork` (sound while the
//! observer has one thread, which it has at this point), installing a
//! seccomp filter (no wrapper exists), leaving the child with `_exit`, and
//! changing how the observer takes a signal.

use std::ffi::{CString, OsString};
use std::io;
use std::os::fd::OwnedFd;
use std::os::unix::ffi::OsStrExt;

use nix::fcntl::OFlag;
use nix::sys::ptrace;
use nix::sys::signal::{SigHandler, Signal, raise, signal};
use nix::unistd::{ForkResult, Pid, execvp, fork, pipe2};

/// A traced child: its pid, and where it says why its `execve` failed.
pub struct Child {
    pub pid: Pid,
    errors: OwnedFd,
}

impl Child {
    /// Once the child has ended: why its program could not be started, if
    /// it could not (the `errno` of the failed `execve`).
    pub fn exec_error(&self) -> Option<io::Error> {
        let mut word = [0u8; 4];
        match nix::unistd::read(&self.errors, &mut word) {
            Ok(4) => Some(io::Error::from_raw_os_error(i32::from_ne_bytes(word))),
            _ => None,
        }
    }
}

/// Starts `program` with `args` as a traced child, stopped (`SIGSTOP`)
/// before its `execve` so that the observer can set its options; the
/// seccomp `filter` (if any) is installed after that stop. Its standard
/// input, output and error are the observer's own, untouched.
pub fn traced_child(
    program: &OsString,
    args: &[OsString],
    filter: Option<&[libc::sock_filter]>,
) -> io::Result<Child> {
    let argv: Vec<CString> = std::iter::once(program)
        .chain(args)
        .map(|arg| CString::new(arg.as_bytes()))
        .collect::<Result<_, _>>()
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "an argument holds a NUL byte"))?;
    let (read, write) = pipe2(OFlag::O_CLOEXEC)?;
    let fprog = filter.map(|filter| libc::sock_fprog {
        len: filter.len() as u16,
        filter: filter.as_ptr().cast_mut(),
    });
    // SAFETY: the observer has a single thread when it forks (nothing has
    // started another), so the child may run ordinary code until exec.
    match unsafe { fork() }? {
        ForkResult::Parent { child } => {
            drop(write);
            Ok(Child {
                pid: child,
                errors: read,
            })
        }
        ForkResult::Child => {
            drop(read);
            let _ = ptrace::traceme();
            let _ = raise(Signal::SIGSTOP);
            // No new privileges (a seccomp filter needs it without root): a
            // set-user-ID program runs without its owner's rights.
            if let Some(fprog) = &fprog
                && nix::sys::prctl::set_no_new_privs().is_ok()
            {
                // SAFETY: seccomp(SECCOMP_SET_MODE_FILTER, 0, prog) reads the
                // filter program that `fprog` points at, alive in this frame;
                // a failure leaves the child unfiltered, which the observer
                // notices and then stops it at every call.
                unsafe {
                    libc::syscall(
                        libc::SYS_seccomp,
                        libc::SECCOMP_SET_MODE_FILTER,
                        0,
                        fprog as *const libc::sock_fprog,
                    );
                }
            }
            let errno = match execvp(&argv[0], &argv) {
                Err(errno) => errno as i32,
                Ok(never) => match never {},
            };
            let _ = nix::unistd::write(&write, &errno.to_ne_bytes());
            // SAFETY: _exit ends the child at once, without running the
            // observer's exit handlers or flushing its buffers twice.
            unsafe { libc::_exit(127) }
        }
    }
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
