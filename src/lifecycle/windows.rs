//! A socket's handle on Windows, through the standard traits (`AsSocket`,
//! `AsRawSocket`): the only way a raw `SOCKET` leaves a [`Socket`].

use std::os::windows::io::{AsRawSocket, AsSocket, BorrowedSocket, RawSocket};

use super::socket::Socket;
use super::state::{Protocol, State};

impl<S: State, P: Protocol> AsSocket for Socket<S, P> {
    fn as_socket(&self) -> BorrowedSocket<'_> {
        self.core.socket.as_socket()
    }
}

impl<S: State, P: Protocol> AsRawSocket for Socket<S, P> {
    fn as_raw_socket(&self) -> RawSocket {
        self.core.fd()
    }
}
