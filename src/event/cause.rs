//! Which [`Cause`] a failed call has, decided from the facts of its event:
//! the errno (read as its POSIX meaning, [`Errno`], whichever system
//! numbered it), the call, the socket's family and what the program had set
//! or shut on it.

use super::call::Call;
use super::mode::Mode;
use super::names::Family;
use super::step::{Event, Outcome};
use crate::errno::{Cause, Errno};

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
            Outcome::Failed(code) => Some(match Errno::of(code) {
                Some(errno) => classify(&self.call, self.family, &self.mode, errno),
                None => Cause::Other,
            }),
        }
    }
}

/// The cause of `errno` from `call` on a socket of `family` in `mode`.
pub(crate) fn classify(call: &Call, family: Family, mode: &Mode, errno: Errno) -> Cause {
    let other_family = call
        .address()
        .is_some_and(|addr| Family::of(&addr) != family);
    match errno {
        Errno::EINVAL | Errno::EAFNOSUPPORT if other_family => Cause::FamilyMismatch,
        Errno::EINVAL if matches!(call, Call::Accept { .. }) => Cause::NotListening,
        Errno::EINVAL => Cause::OutOfOrder,
        Errno::EAFNOSUPPORT => Cause::FamilyUnsupported,
        // Windows answers a send after this side's shutdown, or on a
        // connection that is over, with WSAESHUTDOWN where unix says EPIPE.
        Errno::EPIPE | Errno::ESHUTDOWN if mode.shut_write => Cause::OwnShutdown,
        Errno::EPIPE | Errno::ESHUTDOWN => Cause::ConnectionOver,
        // EWOULDBLOCK is EAGAIN's number on Linux and the BSDs: there the
        // socket's mode tells a timeout from "not ready yet". Windows keeps
        // them apart (its timeout is WSAETIMEDOUT).
        Errno::EAGAIN if mode.nonblocking => Cause::WouldBlock,
        Errno::EWOULDBLOCK => Cause::WouldBlock,
        // A blocking send gives up for time only under SO_SNDTIMEO: its
        // buffer stayed full, the peer read nothing.
        Errno::EAGAIN | Errno::ETIMEDOUT
            if matches!(call, Call::Send { .. }) && mode.write_timeout.is_some() =>
        {
            Cause::PeerNotReading
        }
        Errno::EAGAIN | Errno::ETIMEDOUT => Cause::TimedOut,
        Errno::ECONNREFUSED => Cause::NoListener,
        Errno::EADDRINUSE => Cause::PortInUse,
        Errno::EACCES | Errno::EPERM => Cause::Permission,
        Errno::ECONNRESET | Errno::ECONNABORTED => Cause::Reset,
        Errno::EISCONN => Cause::AlreadyConnected,
        Errno::EBADF => Cause::BadDescriptor,
        Errno::ENOTCONN => Cause::NotConnected,
        Errno::EADDRNOTAVAIL => Cause::AddressNotAvailable,
        Errno::ENETUNREACH | Errno::EHOSTUNREACH => Cause::Unreachable,
        Errno::EMFILE | Errno::ENFILE => Cause::TooManyFiles,
        _ => Cause::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::Transfer;

    #[test]
    fn every_cause_with_an_errno_is_reachable_from_it() {
        let v4 = "127.0.0.1:9".parse().unwrap();
        let v6 = "[::1]:9".parse().unwrap();
        let calls = [
            Call::Connect { addr: v4 },
            Call::Connect { addr: v6 },
            Call::Send {
                data: Vec::new(),
                len: 0,
                via: Transfer::SendRecv { flags: 0 },
            },
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
            Mode {
                write_timeout: Some(std::time::Duration::from_secs(1)),
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

    /// Windows' answers: its timeout is WSAETIMEDOUT, its "not ready"
    /// WSAEWOULDBLOCK whatever the mode says, its EPIPE WSAESHUTDOWN.
    #[test]
    fn windows_answers_have_the_causes_of_their_posix_names() {
        let send = Call::Send {
            data: Vec::new(),
            len: 0,
            via: Transfer::SendRecv { flags: 0 },
        };
        let shut = Mode {
            shut_write: true,
            ..Mode::default()
        };
        let fresh = Mode::default();
        let cause = |mode: &Mode, errno| classify(&send, Family::V4, mode, errno);
        assert_eq!(cause(&fresh, Errno::EWOULDBLOCK), Cause::WouldBlock);
        assert_eq!(cause(&fresh, Errno::ETIMEDOUT), Cause::TimedOut);
        assert_eq!(cause(&shut, Errno::ESHUTDOWN), Cause::OwnShutdown);
        assert_eq!(cause(&fresh, Errno::ESHUTDOWN), Cause::ConnectionOver);
        assert_eq!(cause(&fresh, Errno::ECONNABORTED), Cause::Reset);
    }

    /// A send that gives up for time under `SO_SNDTIMEO`: the peer did not
    /// read (EAGAIN here, WSAETIMEDOUT on Windows); not so a receive's, nor
    /// a non-blocking send's.
    #[test]
    fn a_send_timeout_is_a_peer_that_does_not_read() {
        let send = Call::Send {
            data: Vec::new(),
            len: 0,
            via: Transfer::SendRecv { flags: 0 },
        };
        let limited = Mode {
            write_timeout: Some(std::time::Duration::from_secs(1)),
            ..Mode::default()
        };
        let cause = |call: &Call, mode: &Mode, errno| classify(call, Family::V4, mode, errno);
        assert_eq!(cause(&send, &limited, Errno::EAGAIN), Cause::PeerNotReading);
        assert_eq!(
            cause(&send, &limited, Errno::ETIMEDOUT),
            Cause::PeerNotReading
        );
        let recv = Call::Recv {
            data: Vec::new(),
            capacity: 1024,
            connection: None,
            via: Transfer::SendRecv { flags: 0 },
        };
        assert_eq!(cause(&recv, &limited, Errno::EAGAIN), Cause::TimedOut);
        let nonblocking = Mode {
            nonblocking: true,
            ..limited
        };
        assert_eq!(cause(&send, &nonblocking, Errno::EAGAIN), Cause::WouldBlock);
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
            classify(&call, Family::V4, &blocking, Errno::EAGAIN),
            Cause::TimedOut
        );
        assert_eq!(
            classify(&call, Family::V4, &nonblocking, Errno::EAGAIN),
            Cause::WouldBlock
        );
    }
}
