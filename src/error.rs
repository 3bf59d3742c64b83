//! The one error type: which step failed, on which address, the errno name,
//! and a hint a student can act on.
//!
//! ```
//! use socket_lifecycle::{Cause, Lang, Socket};
//! # let holder = Socket::tcp_v4("sem-escuta")?.bind("127.0.0.1:0".parse().unwrap())?;
//! # let addr = holder.local_addr().unwrap();
//!
//! match Socket::tcp_v4("cliente")?.connect(addr) {
//!     Ok(_) => unreachable!("nobody listens there"),
//!     Err(err) if err.cause() == Cause::NoListener => println!("{}", err.hint(Lang::Pt)),
//!     Err(err) => return Err(err),
//! }
//! # Ok::<(), socket_lifecycle::Error>(())
//! ```

use std::io;
use std::net::SocketAddr;

use crate::kernel::errno_name;
use crate::narration::{self, Lang};

/// What a failure usually means, derived from its errno (and, for
/// `EINVAL`, from the call that failed).
///
/// ```
/// use socket_lifecycle::Cause;
///
/// assert_eq!(Cause::of("connect", libc::ECONNREFUSED), Cause::NoListener);
/// assert_eq!(Cause::of("send", libc::EPIPE), Cause::BrokenPipe);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Cause {
    /// `ECONNREFUSED`: nobody listens on that address.
    NoListener,
    /// `EADDRINUSE`: another socket holds that address.
    PortInUse,
    /// `EACCES` / `EPERM`: e.g. a port below 1024 without privileges.
    Permission,
    /// `EPIPE`: a send after the peer closed.
    BrokenPipe,
    /// `ECONNRESET` / `ECONNABORTED`: the peer reset the connection.
    Reset,
    /// `ETIMEDOUT`, or `EAGAIN` after a read timeout (`SO_RCVTIMEO`).
    TimedOut,
    /// `EINVAL`: a call out of order for the kernel's view of the socket.
    OutOfOrder,
    /// `EINVAL` from `accept`: the listener was shut down (e.g. on Ctrl+C).
    NotListening,
    /// `EADDRNOTAVAIL`: the address is not one of this machine's.
    AddressNotAvailable,
    /// `ENETUNREACH` / `EHOSTUNREACH`: no route.
    Unreachable,
    /// `EMFILE` / `ENFILE`: out of file descriptors.
    TooManyFiles,
    /// `ENOTCONN`: the socket is not connected.
    NotConnected,
    /// Anything else.
    Other,
}

impl Cause {
    /// Every cause, in the order of the error guide (`docs/*/04-*.md`).
    ///
    /// ```
    /// use socket_lifecycle::{Cause, Lang};
    ///
    /// for cause in Cause::ALL {
    ///     assert!(!cause.hint(Lang::Pt).is_empty() && !cause.hint(Lang::En).is_empty());
    /// }
    /// ```
    pub const ALL: [Cause; 13] = [
        Cause::NoListener,
        Cause::PortInUse,
        Cause::Permission,
        Cause::BrokenPipe,
        Cause::Reset,
        Cause::TimedOut,
        Cause::OutOfOrder,
        Cause::NotListening,
        Cause::AddressNotAvailable,
        Cause::Unreachable,
        Cause::TooManyFiles,
        Cause::NotConnected,
        Cause::Other,
    ];

    /// No system call: the errno values that mean this cause (none for
    /// [`Cause::Other`]). `EINVAL` means [`Cause::NotListening`] from
    /// `accept`, [`Cause::OutOfOrder`] from any other call.
    ///
    /// ```
    /// use socket_lifecycle::Cause;
    ///
    /// assert_eq!(Cause::NoListener.errnos(), &[libc::ECONNREFUSED]);
    /// for cause in Cause::ALL {
    ///     let step = if cause == Cause::NotListening { "accept" } else { "connect" };
    ///     assert!(cause.errnos().iter().all(|&e| Cause::of(step, e) == cause));
    /// }
    /// ```
    pub fn errnos(self) -> &'static [i32] {
        match self {
            Cause::NoListener => &[libc::ECONNREFUSED],
            Cause::PortInUse => &[libc::EADDRINUSE],
            Cause::Permission => &[libc::EACCES, libc::EPERM],
            Cause::BrokenPipe => &[libc::EPIPE],
            Cause::Reset => &[libc::ECONNRESET, libc::ECONNABORTED],
            Cause::TimedOut => &[libc::ETIMEDOUT, libc::EAGAIN],
            Cause::OutOfOrder | Cause::NotListening => &[libc::EINVAL],
            Cause::AddressNotAvailable => &[libc::EADDRNOTAVAIL],
            Cause::Unreachable => &[libc::ENETUNREACH, libc::EHOSTUNREACH],
            Cause::TooManyFiles => &[libc::EMFILE, libc::ENFILE],
            Cause::NotConnected => &[libc::ENOTCONN],
            Cause::Other => &[],
        }
    }

    /// No system call: the one-line advice for this cause, in `lang`, with
    /// no address named.
    ///
    /// ```
    /// use socket_lifecycle::{Cause, Lang};
    ///
    /// assert!(Cause::NoListener.hint(Lang::En).contains("start the server first"));
    /// assert!(Cause::NoListener.hint(Lang::Pt).contains("inicie o servidor primeiro"));
    /// ```
    pub fn hint(self, lang: Lang) -> String {
        narration::hint(self, None, lang)
    }

    /// No system call: the cause an errno value stands for when `step`
    /// (`accept`, `connect`, … or strace's `accept4`, `sendto`, …) fails.
    ///
    /// ```
    /// use socket_lifecycle::Cause;
    ///
    /// assert_eq!(Cause::of("bind", libc::EADDRINUSE), Cause::PortInUse);
    /// assert_eq!(Cause::of("accept", libc::EINVAL), Cause::NotListening);
    /// assert_eq!(Cause::of("listen", libc::EINVAL), Cause::OutOfOrder);
    /// assert_eq!(Cause::of("close", libc::EBADF), Cause::Other);
    /// ```
    pub fn of(step: &str, errno: i32) -> Cause {
        match errno {
            libc::EINVAL if step.starts_with("accept") => Cause::NotListening,
            libc::ECONNREFUSED => Cause::NoListener,
            libc::EADDRINUSE => Cause::PortInUse,
            libc::EACCES | libc::EPERM => Cause::Permission,
            libc::EPIPE => Cause::BrokenPipe,
            libc::ECONNRESET | libc::ECONNABORTED => Cause::Reset,
            libc::ETIMEDOUT | libc::EAGAIN => Cause::TimedOut,
            libc::EINVAL => Cause::OutOfOrder,
            libc::EADDRNOTAVAIL => Cause::AddressNotAvailable,
            libc::ENETUNREACH | libc::EHOSTUNREACH => Cause::Unreachable,
            libc::EMFILE | libc::ENFILE => Cause::TooManyFiles,
            libc::ENOTCONN => Cause::NotConnected,
            _ => Cause::Other,
        }
    }
}

/// A failed step of a socket's life.
///
/// Its message names the system call, the socket, the address, the errno and
/// a hint, in the language [`Lang::current`] picks:
///
/// ```
/// use socket_lifecycle::{Cause, Socket};
///
/// // Find a port where nobody listens: bind one, then close it.
/// let probe = Socket::tcp_v4("probe")?.bind("127.0.0.1:0".parse().unwrap())?;
/// let free = probe.local_addr().unwrap();
/// probe.close()?;
///
/// let err = Socket::tcp_v4("cliente")?.connect(free).unwrap_err();
/// assert_eq!(err.step(), "connect");
/// assert_eq!(err.errno_name(), Some("ECONNREFUSED"));
/// assert_eq!(err.cause(), Cause::NoListener);
/// assert!(err.hint(socket_lifecycle::Lang::En).contains("start the server first"));
/// # Ok::<(), socket_lifecycle::Error>(())
/// ```
#[derive(Debug, thiserror::Error)]
#[error("{}", self.message(Lang::current()))]
pub struct Error {
    step: &'static str,
    socket: String,
    addr: Option<SocketAddr>,
    #[source]
    source: io::Error,
}

impl Error {
    pub(crate) fn new(
        step: &'static str,
        socket: &str,
        addr: Option<SocketAddr>,
        source: io::Error,
    ) -> Error {
        Error {
            step,
            socket: socket.to_string(),
            addr,
            source,
        }
    }

    /// No system call: the name of the call that failed (`connect`, `bind`…).
    ///
    /// ```
    /// # let holder = socket_lifecycle::Socket::tcp_v4("sem-escuta")?.bind("127.0.0.1:0".parse().unwrap())?;
    /// # let addr = holder.local_addr().unwrap();
    /// let err = socket_lifecycle::Socket::tcp_v4("cliente")?.connect(addr).unwrap_err();
    /// assert_eq!(err.step(), "connect");
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn step(&self) -> &'static str {
        self.step
    }

    /// No system call: the label of the socket that failed.
    ///
    /// ```
    /// # let holder = socket_lifecycle::Socket::tcp_v4("sem-escuta")?.bind("127.0.0.1:0".parse().unwrap())?;
    /// # let addr = holder.local_addr().unwrap();
    /// let err = socket_lifecycle::Socket::tcp_v4("cliente")?.connect(addr).unwrap_err();
    /// assert_eq!(err.socket(), "cliente");
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn socket(&self) -> &str {
        &self.socket
    }

    /// No system call: the address involved — the one bound or connected to,
    /// or the socket's own.
    ///
    /// ```
    /// # let holder = socket_lifecycle::Socket::tcp_v4("sem-escuta")?.bind("127.0.0.1:0".parse().unwrap())?;
    /// # let addr = holder.local_addr().unwrap();
    /// let err = socket_lifecycle::Socket::tcp_v4("cliente")?.connect(addr).unwrap_err();
    /// assert_eq!(err.address(), Some(addr));
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn address(&self) -> Option<SocketAddr> {
        self.addr
    }

    /// No system call: the errno value, when the kernel gave one.
    ///
    /// ```
    /// # let holder = socket_lifecycle::Socket::tcp_v4("sem-escuta")?.bind("127.0.0.1:0".parse().unwrap())?;
    /// # let addr = holder.local_addr().unwrap();
    /// let err = socket_lifecycle::Socket::tcp_v4("cliente")?.connect(addr).unwrap_err();
    /// assert_eq!(err.errno(), Some(libc::ECONNREFUSED));
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn errno(&self) -> Option<i32> {
        self.source.raw_os_error()
    }

    /// No system call: the errno's symbolic name, e.g. `ECONNREFUSED`.
    ///
    /// ```
    /// # let holder = socket_lifecycle::Socket::tcp_v4("sem-escuta")?.bind("127.0.0.1:0".parse().unwrap())?;
    /// # let addr = holder.local_addr().unwrap();
    /// let err = socket_lifecycle::Socket::tcp_v4("cliente")?.connect(addr).unwrap_err();
    /// assert_eq!(err.errno_name(), Some("ECONNREFUSED"));
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn errno_name(&self) -> Option<&'static str> {
        self.errno().and_then(errno_name)
    }

    /// No system call: what the failure usually means.
    ///
    /// ```
    /// # let holder = socket_lifecycle::Socket::tcp_v4("sem-escuta")?.bind("127.0.0.1:0".parse().unwrap())?;
    /// # let addr = holder.local_addr().unwrap();
    /// let err = socket_lifecycle::Socket::tcp_v4("cliente")?.connect(addr).unwrap_err();
    /// assert_eq!(err.cause(), socket_lifecycle::Cause::NoListener);
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn cause(&self) -> Cause {
        self.errno()
            .map_or(Cause::Other, |errno| Cause::of(self.step, errno))
    }

    /// No system call: the one-line advice, in `lang`.
    ///
    /// ```
    /// # let holder = socket_lifecycle::Socket::tcp_v4("sem-escuta")?.bind("127.0.0.1:0".parse().unwrap())?;
    /// # let addr = holder.local_addr().unwrap();
    /// let err = socket_lifecycle::Socket::tcp_v4("cliente")?.connect(addr).unwrap_err();
    /// assert!(err.hint(socket_lifecycle::Lang::Pt).starts_with("ninguém escuta em 127.0.0.1:"));
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn hint(&self, lang: Lang) -> String {
        let addr = self.addr.map(|a| a.to_string());
        narration::hint(self.cause(), addr.as_deref(), lang)
    }

    /// No system call: the underlying I/O error.
    ///
    /// ```
    /// # let holder = socket_lifecycle::Socket::tcp_v4("sem-escuta")?.bind("127.0.0.1:0".parse().unwrap())?;
    /// # let addr = holder.local_addr().unwrap();
    /// let err = socket_lifecycle::Socket::tcp_v4("cliente")?.connect(addr).unwrap_err();
    /// assert_eq!(err.io_error().kind(), std::io::ErrorKind::ConnectionRefused);
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn io_error(&self) -> &io::Error {
        &self.source
    }

    /// No system call: the whole message in `lang`, e.g.
    /// `connect 127.0.0.1:8888 (cliente) failed: ECONNREFUSED (Connection refused) — nobody is listening …`.
    ///
    /// ```
    /// # let holder = socket_lifecycle::Socket::tcp_v4("sem-escuta")?.bind("127.0.0.1:0".parse().unwrap())?;
    /// # let addr = holder.local_addr().unwrap();
    /// let err = socket_lifecycle::Socket::tcp_v4("cliente")?.connect(addr).unwrap_err();
    /// let text = err.message(socket_lifecycle::Lang::En);
    /// assert!(text.starts_with(&format!("connect {addr} (cliente) failed: ECONNREFUSED")));
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn message(&self, lang: Lang) -> String {
        let addr = self.addr.map(|a| format!(" {a}")).unwrap_or_default();
        let errno = self.errno_name().unwrap_or("error");
        let text = self.source.to_string();
        let text = text.split(" (os error").next().unwrap_or_default();
        let failed = match lang {
            Lang::Pt => "falhou",
            Lang::En => "failed",
        };
        format!(
            "{}{addr} ({}) {failed}: {errno} ({text}) — {}",
            self.step,
            self.socket,
            self.hint(lang)
        )
    }
}
