//! Windows' error numbers for sockets: Winsock's `WSAE…` codes, which
//! `WSAGetLastError` gives after a call failed (10061 is `WSAECONNREFUSED`),
//! from Winsock's own constants (`windows-sys`).
//!
//! Each means what the POSIX error without `WSA` means, with these
//! differences a student meets: a time limit (`SO_RCVTIMEO`) that runs out is
//! `WSAETIMEDOUT`, never `WSAEWOULDBLOCK`, which only a non-blocking socket
//! answers; a send after this side's `shutdown(SD_SEND)` is `WSAESHUTDOWN`
//! (there is no `EPIPE`); a connection the local stack gave up on is
//! `WSAECONNABORTED`.

use windows_sys::Win32::Networking::WinSock as ws;

use super::code::Errno;

/// Each error number this library names: the number, its name, its meaning.
pub(super) const TABLE: &[(i32, &str, Errno)] = &[
    (ws::WSAEINTR, "WSAEINTR", Errno::EINTR),
    (ws::WSAEBADF, "WSAEBADF", Errno::EBADF),
    (ws::WSAEWOULDBLOCK, "WSAEWOULDBLOCK", Errno::EWOULDBLOCK),
    (ws::WSAEACCES, "WSAEACCES", Errno::EACCES),
    (ws::WSAEFAULT, "WSAEFAULT", Errno::EFAULT),
    (ws::WSAEINVAL, "WSAEINVAL", Errno::EINVAL),
    (ws::WSAEMFILE, "WSAEMFILE", Errno::EMFILE),
    (ws::WSAENOTSOCK, "WSAENOTSOCK", Errno::ENOTSOCK),
    (ws::WSAEDESTADDRREQ, "WSAEDESTADDRREQ", Errno::EDESTADDRREQ),
    (ws::WSAEMSGSIZE, "WSAEMSGSIZE", Errno::EMSGSIZE),
    (ws::WSAEPROTOTYPE, "WSAEPROTOTYPE", Errno::EPROTOTYPE),
    (ws::WSAENOPROTOOPT, "WSAENOPROTOOPT", Errno::ENOPROTOOPT),
    (
        ws::WSAEPROTONOSUPPORT,
        "WSAEPROTONOSUPPORT",
        Errno::EPROTONOSUPPORT,
    ),
    (
        ws::WSAESOCKTNOSUPPORT,
        "WSAESOCKTNOSUPPORT",
        Errno::ESOCKTNOSUPPORT,
    ),
    (ws::WSAEOPNOTSUPP, "WSAEOPNOTSUPP", Errno::EOPNOTSUPP),
    (ws::WSAEPFNOSUPPORT, "WSAEPFNOSUPPORT", Errno::EPFNOSUPPORT),
    (ws::WSAEAFNOSUPPORT, "WSAEAFNOSUPPORT", Errno::EAFNOSUPPORT),
    (ws::WSAEADDRINUSE, "WSAEADDRINUSE", Errno::EADDRINUSE),
    (
        ws::WSAEADDRNOTAVAIL,
        "WSAEADDRNOTAVAIL",
        Errno::EADDRNOTAVAIL,
    ),
    (ws::WSAENETDOWN, "WSAENETDOWN", Errno::ENETDOWN),
    (ws::WSAENETUNREACH, "WSAENETUNREACH", Errno::ENETUNREACH),
    (ws::WSAENETRESET, "WSAENETRESET", Errno::ENETRESET),
    (ws::WSAECONNABORTED, "WSAECONNABORTED", Errno::ECONNABORTED),
    (ws::WSAECONNRESET, "WSAECONNRESET", Errno::ECONNRESET),
    (ws::WSAENOBUFS, "WSAENOBUFS", Errno::ENOBUFS),
    (ws::WSAEISCONN, "WSAEISCONN", Errno::EISCONN),
    (ws::WSAENOTCONN, "WSAENOTCONN", Errno::ENOTCONN),
    (ws::WSAESHUTDOWN, "WSAESHUTDOWN", Errno::ESHUTDOWN),
    (ws::WSAETIMEDOUT, "WSAETIMEDOUT", Errno::ETIMEDOUT),
    (ws::WSAECONNREFUSED, "WSAECONNREFUSED", Errno::ECONNREFUSED),
    (ws::WSAEHOSTDOWN, "WSAEHOSTDOWN", Errno::EHOSTDOWN),
    (ws::WSAEHOSTUNREACH, "WSAEHOSTUNREACH", Errno::EHOSTUNREACH),
    (ws::WSAEALREADY, "WSAEALREADY", Errno::EALREADY),
    (ws::WSAEINPROGRESS, "WSAEINPROGRESS", Errno::EINPROGRESS),
];
