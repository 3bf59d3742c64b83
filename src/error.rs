//! The one error type: which step failed, on which address, the errno name,
//! what it means ([`Cause`]) and a hint a student can act on, in every
//! language.
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

use crate::errno::{Cause, Errno, errno_name};
use crate::lang::Lang;
use crate::render::{self, phrase::Term};

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
    cause: Cause,
    #[source]
    source: io::Error,
}

impl Error {
    /// The error of a failed `step` (a system call's name, as the trace
    /// shows it) on the socket labelled `socket`, about `addr`, whose facts
    /// gave `cause`.
    pub(crate) fn new(
        step: &'static str,
        socket: &str,
        addr: Option<SocketAddr>,
        cause: Cause,
        source: io::Error,
    ) -> Error {
        Error {
            step,
            socket: socket.to_string(),
            addr,
            cause,
            source,
        }
    }

    /// No system call: the name of the call that failed, as the trace shows
    /// it (`connect`, `bind`, `sendto`, `accept4`…).
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

    /// No system call: the error under its POSIX name, whichever system
    /// numbered it — Linux's 111 and Windows' `WSAECONNREFUSED` are both
    /// [`Errno::ECONNREFUSED`] — for a program that must tell errors apart
    /// on every system.
    ///
    /// ```
    /// # let holder = socket_lifecycle::Socket::tcp_v4("sem-escuta")?.bind("127.0.0.1:0".parse().unwrap())?;
    /// # let addr = holder.local_addr().unwrap();
    /// use socket_lifecycle::errno::Errno;
    ///
    /// let err = socket_lifecycle::Socket::tcp_v4("cliente")?.connect(addr).unwrap_err();
    /// assert_eq!(err.posix_errno(), Some(Errno::ECONNREFUSED));
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn posix_errno(&self) -> Option<Errno> {
        self.errno().and_then(Errno::of)
    }

    /// No system call: the errno's symbolic name as this system gives it,
    /// e.g. `ECONNREFUSED` (Windows: `WSAECONNREFUSED`).
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

    /// No system call: what the failure means, as the facts of the failed
    /// call decided it (see [`crate::Event::cause`]).
    ///
    /// ```
    /// # let holder = socket_lifecycle::Socket::tcp_v4("sem-escuta")?.bind("127.0.0.1:0".parse().unwrap())?;
    /// # let addr = holder.local_addr().unwrap();
    /// let err = socket_lifecycle::Socket::tcp_v4("cliente")?.connect(addr).unwrap_err();
    /// assert_eq!(err.cause(), socket_lifecycle::Cause::NoListener);
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn cause(&self) -> Cause {
        self.cause
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
        render::hint(self.cause, self.addr.map(|a| a.to_string()), lang)
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
        let errno = match (self.errno_name(), self.errno()) {
            (Some(name), Some(errno)) => match render::errno_text(errno, lang) {
                Some(text) => format!("{name} ({text}) — "),
                None => format!("{name} — "),
            },
            (None, Some(errno)) => format!("errno {errno} — "),
            (_, None) => String::new(),
        };
        format!(
            "{}{addr} ({}) {}: {errno}{}",
            self.step,
            self.socket,
            render::term(&Term::Failed, lang),
            self.hint(lang)
        )
    }
}
