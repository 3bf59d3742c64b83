//! A second descriptor of the same socket, held by a test while the
//! socket's own descriptor closes: `dup` on unix, `WSADuplicateSocketW` on
//! Windows (each through the standard library).

/// Another descriptor of `socket`'s socket, closed when it drops.
#[cfg(unix)]
pub fn duplicate(socket: &impl std::os::fd::AsFd) -> std::os::fd::OwnedFd {
    socket.as_fd().try_clone_to_owned().expect("dup")
}

/// Another handle of `socket`'s socket, closed when it drops.
#[cfg(windows)]
pub fn duplicate(
    socket: &impl std::os::windows::io::AsSocket,
) -> std::os::windows::io::OwnedSocket {
    socket
        .as_socket()
        .try_clone_to_owned()
        .expect("WSADuplicateSocketW")
}
