//! Which [`Cause`] a failed call has, decided from the facts of its event:
//! the errno, the call, the socket's family and what the program had set or
//! shut on it.

use super::call::Call;
use super::mode::Mode;
use super::names::Family;
use super::step::{Event, Outcome};
use crate::errno::Cause;

impl Event {
    /// No system call: what the failure means, or `None` when the call
    /// succeeded.
    ///
    /// ```
    /// use socket_lifecycle::{Cause, Recorder, Socket};
    /// # let holder = Socket::tcp_v4("sem-escuta")?.bind("127.0.0.1:0".parse().unwrap())?;
    /// let recorder = Recorder::new();
    /// let refused = Socket::tcp_v4(recorder.tracer("cliente"))?.connect(holder.local_addr().unwrap());
    /// assert!(refused.is_err());
    /// let events = recorder.events();
    /// assert_eq!(events[0].cause(), None);
    /// assert_eq!(events[1].cause(), Some(Cause::NoListener));
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn cause(&self) -> Option<Cause> {
        match self.outcome {
            Outcome::Returned(_) => None,
            Outcome::Failed(errno) => Some(classify(&self.call, self.family, &self.mode, errno)),
        }
    }
}

/// The cause of `errno` from `call` on a socket of `family` in `mode`.
pub(crate) fn classify(call: &Call, family: Family, mode: &Mode, errno: i32) -> Cause {
    let other_family = call
        .address()
        .is_some_and(|addr| Family::of(&addr) != family);
    match errno {
        libc::EINVAL | libc::EAFNOSUPPORT if other_family => Cause::FamilyMismatch,
        libc::EINVAL if matches!(call, Call::Accept { .. }) => Cause::NotListening,
        libc::EINVAL => Cause::OutOfOrder,
        libc::EAFNOSUPPORT => Cause::FamilyUnsupported,
        libc::EPIPE if mode.shut_write => Cause::OwnShutdown,
        libc::EPIPE => Cause::ConnectionOver,
        // EWOULDBLOCK is EAGAIN on the systems this library runs on.
        libc::EAGAIN if mode.nonblocking => Cause::WouldBlock,
        libc::EAGAIN | libc::ETIMEDOUT => Cause::TimedOut,
        libc::ECONNREFUSED => Cause::NoListener,
        libc::EADDRINUSE => Cause::PortInUse,
        libc::EACCES | libc::EPERM => Cause::Permission,
        libc::ECONNRESET | libc::ECONNABORTED => Cause::Reset,
        libc::EISCONN => Cause::AlreadyConnected,
        libc::EBADF => Cause::BadDescriptor,
        libc::ENOTCONN => Cause::NotConnected,
        libc::EADDRNOTAVAIL => Cause::AddressNotAvailable,
        libc::ENETUNREACH | libc::EHOSTUNREACH => Cause::Unreachable,
        libc::EMFILE | libc::ENFILE => Cause::TooManyFiles,
        _ => Cause::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_cause_with_an_errno_is_reachable_from_it() {
        let v4 = "127.0.0.1:9".parse().unwrap();
        let v6 = "[::1]:9".parse().unwrap();
        let calls = [
            Call::Connect { addr: v4 },
            Call::Connect { addr: v6 },
            Call::Accept {
                peer: None,
                child: None,
                child_state: None,
                flags: None,
                addr_len: None,
            },
        ];
        let modes = [
            Mode::default(),
            Mode {
                shut_write: true,
                nonblocking: true,
                ..Mode::default()
            },
        ];
        for cause in Cause::ALL {
            let reached = cause.errnos().iter().any(|&errno| {
                calls.iter().any(|call| {
                    modes
                        .iter()
                        .any(|mode| classify(call, Family::V4, mode, errno) == cause)
                })
            });
            assert!(reached || cause.errnos().is_empty(), "{cause:?}");
        }
    }

    #[test]
    fn eagain_is_a_timeout_only_on_a_blocking_socket() {
        let call = Call::Listen { backlog: 5 };
        let blocking = Mode::default();
        let nonblocking = Mode {
            nonblocking: true,
            ..Mode::default()
        };
        assert_eq!(
            classify(&call, Family::V4, &blocking, libc::EAGAIN),
            Cause::TimedOut
        );
        assert_eq!(
            classify(&call, Family::V4, &nonblocking, libc::EAGAIN),
            Cause::WouldBlock
        );
    }
}
