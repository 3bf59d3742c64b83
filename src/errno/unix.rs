//! The error numbers of Linux, macOS and FreeBSD, from the C library's own
//! constants (`libc`), so that each system's numbers are its own: `ECONNREFUSED`
//! is 111 on Linux and 61 on the BSDs. The names are those strace prints.
//!
//! `EWOULDBLOCK` is the number of `EAGAIN` on these systems: it is read as
//! `EAGAIN`, and whether the socket blocks tells a timeout from "not ready".

use super::code::Errno;

/// Each error number this library names: the number, its name, its meaning.
pub(super) const TABLE: &[(i32, &str, Errno)] = &[
    (libc::EPERM, "EPERM", Errno::EPERM),
    (libc::ENOENT, "ENOENT", Errno::ENOENT),
    (libc::EINTR, "EINTR", Errno::EINTR),
    (libc::EBADF, "EBADF", Errno::EBADF),
    (libc::EAGAIN, "EAGAIN", Errno::EAGAIN),
    (libc::ENOMEM, "ENOMEM", Errno::ENOMEM),
    (libc::EACCES, "EACCES", Errno::EACCES),
    (libc::EFAULT, "EFAULT", Errno::EFAULT),
    (libc::EINVAL, "EINVAL", Errno::EINVAL),
    (libc::ENFILE, "ENFILE", Errno::ENFILE),
    (libc::EMFILE, "EMFILE", Errno::EMFILE),
    (libc::EPIPE, "EPIPE", Errno::EPIPE),
    (libc::EPROTO, "EPROTO", Errno::EPROTO),
    (libc::ENOTSOCK, "ENOTSOCK", Errno::ENOTSOCK),
    (libc::EDESTADDRREQ, "EDESTADDRREQ", Errno::EDESTADDRREQ),
    (libc::EMSGSIZE, "EMSGSIZE", Errno::EMSGSIZE),
    (libc::EPROTOTYPE, "EPROTOTYPE", Errno::EPROTOTYPE),
    (libc::ENOPROTOOPT, "ENOPROTOOPT", Errno::ENOPROTOOPT),
    (
        libc::EPROTONOSUPPORT,
        "EPROTONOSUPPORT",
        Errno::EPROTONOSUPPORT,
    ),
    (
        libc::ESOCKTNOSUPPORT,
        "ESOCKTNOSUPPORT",
        Errno::ESOCKTNOSUPPORT,
    ),
    (libc::EOPNOTSUPP, "EOPNOTSUPP", Errno::EOPNOTSUPP),
    (libc::EPFNOSUPPORT, "EPFNOSUPPORT", Errno::EPFNOSUPPORT),
    (libc::EAFNOSUPPORT, "EAFNOSUPPORT", Errno::EAFNOSUPPORT),
    (libc::EADDRINUSE, "EADDRINUSE", Errno::EADDRINUSE),
    (libc::EADDRNOTAVAIL, "EADDRNOTAVAIL", Errno::EADDRNOTAVAIL),
    (libc::ENETDOWN, "ENETDOWN", Errno::ENETDOWN),
    (libc::ENETUNREACH, "ENETUNREACH", Errno::ENETUNREACH),
    (libc::ENETRESET, "ENETRESET", Errno::ENETRESET),
    (libc::ECONNABORTED, "ECONNABORTED", Errno::ECONNABORTED),
    (libc::ECONNRESET, "ECONNRESET", Errno::ECONNRESET),
    (libc::ENOBUFS, "ENOBUFS", Errno::ENOBUFS),
    (libc::EISCONN, "EISCONN", Errno::EISCONN),
    (libc::ENOTCONN, "ENOTCONN", Errno::ENOTCONN),
    (libc::ESHUTDOWN, "ESHUTDOWN", Errno::ESHUTDOWN),
    (libc::ETIMEDOUT, "ETIMEDOUT", Errno::ETIMEDOUT),
    (libc::ECONNREFUSED, "ECONNREFUSED", Errno::ECONNREFUSED),
    (libc::EHOSTDOWN, "EHOSTDOWN", Errno::EHOSTDOWN),
    (libc::EHOSTUNREACH, "EHOSTUNREACH", Errno::EHOSTUNREACH),
    (libc::EALREADY, "EALREADY", Errno::EALREADY),
    (libc::EINPROGRESS, "EINPROGRESS", Errno::EINPROGRESS),
];
