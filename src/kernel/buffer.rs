//! A receive buffer in the form socket2's `recvfrom` takes — no system
//! call, the same on every system.

use std::mem::MaybeUninit;

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
