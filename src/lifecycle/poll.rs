//! [`Poll`]: the library's readiness wait — one `poll(2)` (Windows:
//! `WSAPoll`) over several sockets, traced as one event — and the
//! [`Interest`] it is asked with.

use std::time::Duration;

use super::core::{Core, Result, failed, unowned_event, wait};
use super::socket::Socket;
use super::state::{Protocol, State};
use crate::errno::Cause;
use crate::error::Error;
use crate::event::{Call, Outcome, WaitCall, Waited};
use crate::trace::Tracer;

/// One socket to wait on, and for what: to read (`POLLIN`: bytes, a
/// connection to accept, the peer's FIN), to write (`POLLOUT`: room in the
/// send buffer, a non-blocking connect's end), or both. It borrows the
/// socket, so a socket that was closed cannot be waited on.
///
/// ```
/// use socket_lifecycle::{Interest, Socket};
///
/// let listener = Socket::tcp_v4("servidor")?.bind("127.0.0.1:0".parse().unwrap())?.listen(5)?;
/// let interest = Interest::read(&listener);
/// # Ok::<(), socket_lifecycle::Error>(())
/// ```
pub struct Interest<'a> {
    core: &'a Core,
    read: bool,
    write: bool,
}

impl<'a> Interest<'a> {
    /// No system call: wait until `socket` is readable (`POLLIN`).
    ///
    /// ```
    /// # use socket_lifecycle::{Interest, Socket};
    /// let listener = Socket::tcp_v4("servidor")?.bind("127.0.0.1:0".parse().unwrap())?.listen(5)?;
    /// let interest = Interest::read(&listener);
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn read<S: State, P: Protocol>(socket: &'a Socket<S, P>) -> Interest<'a> {
        Interest::of(socket, true, false)
    }

    /// No system call: wait until `socket` is writable (`POLLOUT`).
    ///
    /// ```
    /// # use socket_lifecycle::{Interest, Socket};
    /// # let listener = Socket::tcp_v4("servidor")?.bind("127.0.0.1:0".parse().unwrap())?.listen(5)?;
    /// let client = Socket::tcp_v4("cliente")?.connect(listener.local_addr().unwrap())?;
    /// let interest = Interest::write(&client);
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn write<S: State, P: Protocol>(socket: &'a Socket<S, P>) -> Interest<'a> {
        Interest::of(socket, false, true)
    }

    /// No system call: wait until `socket` is readable or writable
    /// (`POLLIN|POLLOUT`).
    ///
    /// ```
    /// # use socket_lifecycle::{Interest, Socket};
    /// # let listener = Socket::tcp_v4("servidor")?.bind("127.0.0.1:0".parse().unwrap())?.listen(5)?;
    /// let client = Socket::tcp_v4("cliente")?.connect(listener.local_addr().unwrap())?;
    /// let interest = Interest::read_write(&client);
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn read_write<S: State, P: Protocol>(socket: &'a Socket<S, P>) -> Interest<'a> {
        Interest::of(socket, true, true)
    }

    fn of<S: State, P: Protocol>(
        socket: &'a Socket<S, P>,
        read: bool,
        write: bool,
    ) -> Interest<'a> {
        Interest {
            core: &socket.core,
            read,
            write,
        }
    }

    /// What the wait asks about this socket, named.
    pub(super) fn asked(&self) -> Waited {
        Waited {
            fd: self.core.fd(),
            socket: Some(self.core.subject.tracer.shared_label()),
            state: Some(self.core.state),
            read: self.read,
            write: self.write,
            ..Waited::default()
        }
    }
}

/// The readiness wait: `poll(fds, nfds, timeout)` (Windows: `WSAPoll`) over
/// the sockets of an event loop. One thread serves them all: it waits
/// until at least one is ready, then makes only the calls that will not
/// wait — `accept` on a readable listener, `recv` on a readable connection,
/// `send` on a writable one. Each wait is one event under the wait's own
/// label, which names every socket asked about and what the kernel
/// answered for each.
///
/// ```
/// use socket_lifecycle::{Interest, Lang, Poll, Recorder, Socket};
///
/// let recorder = Recorder::new();
/// let listener = Socket::tcp_v4(recorder.tracer("servidor"))?
///     .bind("127.0.0.1:0".parse().unwrap())?
///     .listen(5)?;
/// let client = Socket::tcp_v4(recorder.tracer("cliente"))?.connect(listener.local_addr().unwrap())?;
/// let poll = Poll::new(recorder.tracer("poll"));
/// let ready = poll.wait(&[Interest::read(&listener)], None)?;
/// assert!(ready[0].readable); // accept() will not wait now
/// let trace = recorder.render_redacted(Lang::En);
/// if cfg!(target_os = "linux") {
///     assert!(trace.contains("poll([{fd=<fd servidor>, events=POLLIN}], 1, -1) = 1 ([{fd=<fd servidor>, revents=POLLIN}])"));
/// }
/// # Ok::<(), socket_lifecycle::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Poll {
    tracer: Tracer,
}

impl Poll {
    /// No system call: a wait whose events carry `tracer`'s label (a `&str`
    /// label will do).
    ///
    /// ```
    /// let poll = socket_lifecycle::Poll::new("poll");
    /// ```
    pub fn new(tracer: impl Into<Tracer>) -> Poll {
        Poll {
            tracer: tracer.into(),
        }
    }

    /// `poll([{fd, events}, …], n, timeout_ms)`: waits until one of the
    /// sockets is ready as asked, or `timeout` passes (`None`: no limit;
    /// the kernel counts whole milliseconds, so a limit is rounded up).
    /// Returns, in the order asked, what the kernel answered for each; none
    /// ready means the limit passed.
    ///
    /// ```
    /// use std::time::Duration;
    /// use socket_lifecycle::{Interest, Poll, Socket};
    ///
    /// let listener = Socket::tcp_v4("servidor")?.bind("127.0.0.1:0".parse().unwrap())?.listen(5)?;
    /// let ready = Poll::new("poll").wait(&[Interest::read(&listener)], Some(Duration::from_millis(10)))?;
    /// assert!(!ready[0].readable); // nobody connected: the limit passed
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn wait(
        &self,
        interests: &[Interest<'_>],
        timeout: Option<Duration>,
    ) -> Result<Vec<Waited>> {
        let asked: Vec<Waited> = interests.iter().map(Interest::asked).collect();
        let (result, fds) = wait(asked, timeout);
        let first = interests.first().map(|i| &i.core.subject);
        let outcome = match &result {
            Ok(n) => Outcome::Returned(i64::try_from(*n).unwrap_or(i64::MAX)),
            Err(err) => failed(err),
        };
        let traced = self.tracer.enabled() || result.is_err();
        let event = traced.then(|| {
            let call = Call::Wait {
                syscall: WaitCall::Poll,
                fds: fds.clone(),
                timeout,
            };
            unowned_event(&self.tracer, first, None, call, outcome)
        });
        match (result, event) {
            (Ok(_), Some(event)) => {
                self.tracer.emit(event);
                Ok(fds)
            }
            (Ok(_), None) => Ok(fds),
            (Err(err), event) => {
                let cause = event
                    .as_ref()
                    .and_then(|e| e.cause())
                    .unwrap_or(Cause::Other);
                if let Some(event) = event.filter(|_| self.tracer.enabled()) {
                    self.tracer.emit(event);
                }
                Err(Error::new("poll", self.tracer.label(), None, cause, err))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use crate::{Cause, Interest, Poll, Socket};

    /// The whole non-blocking path on this system's own calls (`poll`;
    /// Windows' `WSAPoll`, `ioctlsocket(FIONBIO)`, `WSAEWOULDBLOCK`): run
    /// under wine too.
    #[test]
    fn a_wait_a_nonblocking_connect_and_nothing_ready_yet() {
        let listener = Socket::tcp_v4("servidor")
            .and_then(|s| s.bind(([127, 0, 0, 1], 0).into()))
            .and_then(|s| s.listen(5))
            .expect("a listener");
        let addr = listener.local_addr().expect("its address");
        let poll = Poll::new("poll");
        let limit = Some(Duration::from_secs(5));
        let quiet = poll
            .wait(
                &[Interest::read(&listener)],
                Some(Duration::from_millis(10)),
            )
            .expect("a wait");
        assert!(!quiet[0].readable, "nobody connected yet");
        let client = Socket::tcp_v4("cliente")
            .and_then(|s| s.connect_nonblocking(addr))
            .and_then(|s| s.finish_connect(limit))
            .expect("connected");
        let ready = poll
            .wait(&[Interest::read(&listener)], limit)
            .expect("a wait");
        assert!(ready[0].readable, "a connection to accept");
        listener.set_nonblocking().expect("non-blocking");
        let (conn, _) = listener.accept().expect("accepted");
        let again = listener.accept().map(|_| ()).map_err(|e| e.cause());
        assert_eq!(again, Err(Cause::WouldBlock));
        conn.set_nonblocking().expect("non-blocking");
        let mut buf = [0u8; 16];
        let nothing = conn.recv(&mut buf).map_err(|e| e.cause());
        assert_eq!(nothing, Err(Cause::WouldBlock));
        client.send_all(b"ola").expect("sent");
        let ready = poll.wait(&[Interest::read(&conn)], limit).expect("a wait");
        assert!(ready[0].readable, "bytes to read");
        assert_eq!(conn.recv(&mut buf).expect("received"), 3);
    }
}
