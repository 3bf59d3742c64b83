//! A socket's descriptor on Linux, macOS and FreeBSD, through the standard
//! traits (`AsFd`, `AsRawFd`): the only way a raw descriptor leaves a
//! [`Socket`].

use std::os::fd::{AsFd, AsRawFd, BorrowedFd, RawFd};

use super::socket::Socket;
use super::state::{Protocol, State};

impl<S: State, P: Protocol> AsFd for Socket<S, P> {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.core.socket.as_fd()
    }
}

impl<S: State, P: Protocol> AsRawFd for Socket<S, P> {
    fn as_raw_fd(&self) -> RawFd {
        self.core.fd()
    }
}
