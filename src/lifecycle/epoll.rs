//! [`Epoll`]: Linux's epoll, traced — an instance in the kernel that keeps
//! the sockets registered with it (`epoll_create1`, `epoll_ctl`) and
//! reports the ready ones (`epoll_wait`), level- or edge-triggered.

use std::collections::HashMap;
use std::io;
use std::mem::ManuallyDrop;
use std::os::fd::{AsRawFd, OwnedFd};
use std::time::Duration;

use super::core::{Result, failed, unowned_event};
use super::poll::Interest;
use crate::errno::Cause;
use crate::error::Error;
use crate::event::{Call, Event, Outcome, WaitCall, Waited};
use crate::kernel::{self, Descriptor, Wanted};
use crate::trace::Tracer;

/// How an epoll instance reports a registered socket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    /// At every wait, for as long as the socket is ready (the default, as
    /// `poll` does).
    Level,
    /// Once each time the socket *becomes* ready (`EPOLLET`): bytes left
    /// unread are not reported again until more arrive.
    Edge,
}

/// An epoll instance (Linux): sockets are registered once ([`Epoll::add`])
/// and each wait ([`Epoll::wait`]) reports only the ready ones, where
/// [`crate::Poll`] hands the kernel every socket at every wait. Each call is
/// traced under the instance's own label; it is no socket, so its events
/// have no typestate (and name TCP over IPv4, which no rendering of them
/// reads). Dropping it closes it (traced).
///
/// ```
/// use socket_lifecycle::{Epoll, Interest, Recorder, Socket, Trigger};
///
/// let recorder = Recorder::new();
/// let listener = Socket::tcp_v4(recorder.tracer("servidor"))?
///     .bind("127.0.0.1:0".parse().unwrap())?
///     .listen(5)?;
/// let mut epoll = Epoll::new(recorder.tracer("epoll"))?;
/// epoll.add(Interest::read(&listener), Trigger::Level)?;
/// let client = Socket::tcp_v4(recorder.tracer("cliente"))?.connect(listener.local_addr().unwrap())?;
/// let ready = epoll.wait(8, None)?;
/// assert_eq!(ready.len(), 1); // the listener: accept() will not wait
/// # Ok::<(), socket_lifecycle::Error>(())
/// ```
pub struct Epoll {
    /// Closed by [`Epoll::close`] or on drop, with its result traced.
    fd: ManuallyDrop<OwnedFd>,
    tracer: Tracer,
    /// Each registered socket, by its descriptor (the data epoll reports).
    registered: HashMap<Descriptor, Waited>,
    open: bool,
}

impl Epoll {
    /// `epoll_create1(EPOLL_CLOEXEC)`: a new instance, whose events carry
    /// `tracer`'s label (a `&str` label will do).
    ///
    /// ```
    /// let epoll = socket_lifecycle::Epoll::new("epoll")?;
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn new(tracer: impl Into<Tracer>) -> Result<Epoll> {
        let tracer = tracer.into();
        match kernel::epoll_create() {
            Ok(fd) => {
                let epoll = Epoll {
                    fd: ManuallyDrop::new(fd),
                    tracer,
                    registered: HashMap::new(),
                    open: true,
                };
                let returned = kernel::descriptor_number(epoll.fd.as_raw_fd());
                epoll.record(Call::EpollCreate, Outcome::Returned(returned));
                Ok(epoll)
            }
            Err(err) => {
                let event = event(&tracer, None, Call::EpollCreate, failed(&err));
                Err(fail(&tracer, event, err))
            }
        }
    }

    /// `epoll_ctl(epfd, EPOLL_CTL_ADD, fd, {events, data={u64=fd}})`: the
    /// socket of `interest` joins the instance, for what it asks, reported
    /// as `trigger` says. The instance forgets it by itself when it is
    /// closed.
    ///
    /// ```
    /// use socket_lifecycle::{Epoll, Interest, Socket, Trigger};
    /// let listener = Socket::tcp_v4("servidor")?.bind("127.0.0.1:0".parse().unwrap())?.listen(5)?;
    /// let mut epoll = Epoll::new("epoll")?;
    /// epoll.add(Interest::read(&listener), Trigger::Edge)?;
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn add(&mut self, interest: Interest<'_>, trigger: Trigger) -> Result<()> {
        let target = interest.asked();
        let edge = trigger == Trigger::Edge;
        let wanted = Wanted {
            read: target.read,
            write: target.write,
            edge,
        };
        let result = kernel::epoll_add(&self.fd, target.fd, wanted);
        let call = Call::EpollAdd {
            target: target.clone(),
            edge,
        };
        match result {
            Ok(()) => {
                self.record(call, Outcome::Returned(0));
                self.registered.insert(target.fd, target);
                Ok(())
            }
            Err(err) => {
                let event = event(&self.tracer, Some(self.fd.as_raw_fd()), call, failed(&err));
                Err(fail(&self.tracer, event, err))
            }
        }
    }

    /// `epoll_wait(epfd, events, max_events, timeout_ms)`: waits until a
    /// registered socket is ready, or `timeout` passes (`None`: no limit;
    /// whole milliseconds, rounded up). Returns the ready ones (at most
    /// `max_events`), each named as registered; none: the limit passed.
    ///
    /// ```
    /// use std::time::Duration;
    /// use socket_lifecycle::{Epoll, Interest, Socket, Trigger};
    /// let listener = Socket::tcp_v4("servidor")?.bind("127.0.0.1:0".parse().unwrap())?.listen(5)?;
    /// let mut epoll = Epoll::new("epoll")?;
    /// epoll.add(Interest::read(&listener), Trigger::Level)?;
    /// assert!(epoll.wait(8, Some(Duration::from_millis(1)))?.is_empty());
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn wait(&self, max_events: usize, timeout: Option<Duration>) -> Result<Vec<Waited>> {
        let max_events = max_events.max(1);
        let result = kernel::epoll_wait(&self.fd, max_events, timeout);
        let syscall = WaitCall::EpollWait { max_events };
        match result {
            Ok(reported) => {
                let ready: Vec<Waited> = reported
                    .into_iter()
                    .map(|r| {
                        let known = self.registered.get(&r.fd).cloned();
                        Waited {
                            readable: r.readable,
                            writable: r.writable,
                            failed: r.failed,
                            hung_up: r.hung_up,
                            ..known.unwrap_or(Waited {
                                fd: r.fd,
                                ..Waited::default()
                            })
                        }
                    })
                    .collect();
                let returned = i64::try_from(ready.len()).unwrap_or(i64::MAX);
                let call = || Call::Wait {
                    syscall,
                    fds: ready.clone(),
                    timeout,
                };
                if self.tracer.enabled() {
                    self.record(call(), Outcome::Returned(returned));
                }
                Ok(ready)
            }
            Err(err) => {
                let call = Call::Wait {
                    syscall,
                    fds: Vec::new(),
                    timeout,
                };
                let event = event(&self.tracer, Some(self.fd.as_raw_fd()), call, failed(&err));
                Err(fail(&self.tracer, event, err))
            }
        }
    }

    /// `close(epfd)`: the instance is gone, and the registrations with it;
    /// the sockets stay open. Dropping it closes it the same way.
    ///
    /// ```
    /// socket_lifecycle::Epoll::new("epoll")?.close()?;
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn close(mut self) -> Result<()> {
        self.close_now()
    }

    fn close_now(&mut self) -> Result<()> {
        self.open = false;
        let fd = self.fd.as_raw_fd();
        let result = kernel::close(fd);
        let call = Call::Close {
            unread: None,
            before: None,
            after: None,
        };
        match result {
            Ok(()) => {
                self.record(call, Outcome::Returned(0));
                Ok(())
            }
            Err(err) => Err(fail(
                &self.tracer,
                event(&self.tracer, Some(fd), call, failed(&err)),
                err,
            )),
        }
    }

    /// Emits the event of a call that succeeded, when anyone listens.
    fn record(&self, call: Call, outcome: Outcome) {
        if self.tracer.enabled() {
            let event = event(&self.tracer, Some(self.fd.as_raw_fd()), call, outcome);
            self.tracer.emit(event);
        }
    }
}

impl Drop for Epoll {
    fn drop(&mut self) {
        if self.open {
            // Nobody can receive the error from a drop; it is in the trace.
            let _ = self.close_now();
        }
    }
}

/// The event of a call on the instance `fd` labelled by `tracer`.
fn event(tracer: &Tracer, fd: Option<Descriptor>, call: Call, outcome: Outcome) -> Event {
    unowned_event(tracer, None, fd, call, outcome)
}

/// The [`Error`] of a failed call whose event is `event`; emits it.
fn fail(tracer: &Tracer, event: Event, err: io::Error) -> Error {
    let cause = event.cause().unwrap_or(Cause::Other);
    let error = Error::new(event.call.name(), tracer.label(), None, cause, err);
    if tracer.enabled() {
        tracer.emit(event);
    }
    error
}
