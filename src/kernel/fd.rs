//! What the standard library does not give back: `close(2)`'s own result,
//! and a receive buffer in the form socket2's `recvfrom` takes.

use std::io;
use std::mem::MaybeUninit;
use std::os::fd::RawFd;

/// `close(fd)`, returning the kernel's answer.
///
/// The standard library closes descriptors in `Drop` and throws the result
/// away; the trace must show the real one, so the library closes by hand.
/// The caller gives up `fd`: it must own it and never use it again.
pub(crate) fn close(fd: RawFd) -> io::Result<()> {
    // SAFETY: the caller owns `fd` (it came out of an `OwnedFd` whose own
    // `Drop` will never run) and does not touch it after this call, so no
    // other descriptor can be closed by mistake. On Linux the descriptor is
    // released even when close reports an error, so it is never retried.
    let rc = unsafe { libc::close(fd) };
    if rc == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

/// No system call: `buf` as the `&mut [MaybeUninit<u8>]` that socket2's
/// `recv*` functions take. Sound because those functions promise never to
/// write uninitialised bytes into the buffer (socket2's own `io::Read`
/// implementation makes the same cast), so `buf` stays initialised.
pub(crate) fn as_uninit(buf: &mut [u8]) -> &mut [MaybeUninit<u8>] {
    // SAFETY: `MaybeUninit<u8>` has the layout of `u8`; the slice keeps its
    // length and lifetime; the only writers are socket2's `recv*` functions,
    // which write bytes the kernel copied in, never uninitialised ones.
    unsafe { &mut *(buf as *mut [u8] as *mut [MaybeUninit<u8>]) }
}
