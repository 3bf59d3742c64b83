//! Linux's epoll: an instance in the kernel that keeps the sockets a
//! program registered (`epoll_create1`, `epoll_ctl`) and answers which are
//! ready (`epoll_wait`) without being handed the whole list each time.
//! The library's `Epoll` traces each call; here they are made.

use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::time::Duration;

use super::readiness::timeout_ms;
use super::unix::Descriptor;

/// `epoll_create1(EPOLL_CLOEXEC)`: a new epoll instance.
pub(crate) fn epoll_create() -> io::Result<OwnedFd> {
    // SAFETY: epoll_create1 takes a flag and returns a new descriptor or -1.
    let fd = unsafe { libc::epoll_create1(libc::EPOLL_CLOEXEC) };
    if fd < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: `fd` was just returned by the kernel, open, and owned by
    // nobody else.
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}

/// What a registration asks for: `EPOLLIN`, `EPOLLOUT`, `EPOLLET`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Wanted {
    pub(crate) read: bool,
    pub(crate) write: bool,
    pub(crate) edge: bool,
}

impl Wanted {
    fn bits(self) -> u32 {
        let mut bits = 0;
        if self.read {
            bits |= libc::EPOLLIN as u32;
        }
        if self.write {
            bits |= libc::EPOLLOUT as u32;
        }
        if self.edge {
            bits |= libc::EPOLLET as u32;
        }
        bits
    }
}

/// `epoll_ctl(epfd, EPOLL_CTL_ADD, fd, {events, data={u64=fd}})`: `fd`
/// joins the instance; the data the kernel gives back is the descriptor.
pub(crate) fn epoll_add(epoll: &OwnedFd, fd: Descriptor, wanted: Wanted) -> io::Result<()> {
    let mut event = libc::epoll_event {
        events: wanted.bits(),
        u64: u64::try_from(fd).unwrap_or(0),
    };
    // SAFETY: both descriptors are open (borrowed for the call); the event
    // is read by the kernel during the call only.
    let rc = unsafe { libc::epoll_ctl(epoll.as_raw_fd(), libc::EPOLL_CTL_ADD, fd, &mut event) };
    if rc < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// One descriptor `epoll_wait` reported: its data (the descriptor it was
/// registered with) and what is ready.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Reported {
    pub(crate) fd: Descriptor,
    pub(crate) readable: bool,
    pub(crate) writable: bool,
    pub(crate) failed: bool,
    pub(crate) hung_up: bool,
}

/// `epoll_wait(epfd, events, max, timeout)`: waits until a registered
/// descriptor is ready, or `timeout` passes (`None`: no limit); at most
/// `max` are reported.
pub(crate) fn epoll_wait(
    epoll: &OwnedFd,
    max: usize,
    timeout: Option<Duration>,
) -> io::Result<Vec<Reported>> {
    let mut events = vec![libc::epoll_event { events: 0, u64: 0 }; max.max(1)];
    let count = libc::c_int::try_from(events.len()).unwrap_or(libc::c_int::MAX);
    // SAFETY: the pointer and count describe `events`, alive and not
    // otherwise borrowed for the call; the kernel writes at most `count`.
    let rc = unsafe {
        libc::epoll_wait(
            epoll.as_raw_fd(),
            events.as_mut_ptr(),
            count,
            timeout_ms(timeout),
        )
    };
    if rc < 0 {
        return Err(io::Error::last_os_error());
    }
    let ready = usize::try_from(rc).unwrap_or(0);
    Ok(events[..ready]
        .iter()
        .map(|event| {
            let bits = event.events;
            let on = |flag: libc::c_int| bits & flag as u32 != 0;
            let data = event.u64;
            Reported {
                fd: Descriptor::try_from(data).unwrap_or(-1),
                readable: on(libc::EPOLLIN),
                writable: on(libc::EPOLLOUT),
                failed: on(libc::EPOLLERR),
                hung_up: on(libc::EPOLLHUP),
            }
        })
        .collect())
}
