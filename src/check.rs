//! The lifecycle checks, as data: each [`Check`] names a rule a socket
//! program should follow, and a [`Finding`] says where a recorded trace
//! breaks one — on which socket, at which step, after which steps. Used
//! as [`crate::grade::Check`] and [`crate::grade::Finding`]; kept apart
//! from the grading so that the words naming a check (`render/words/`)
//! depend on nothing that renders.

use std::sync::Arc;

use crate::event::Event;

/// A rule of a socket's life that a recorded trace can be judged by — by
/// its structure, not its exact text.
///
/// ```
/// use socket_lifecycle::grade::Check;
///
/// assert!(Check::ALL.contains(&Check::EverySocketClosed));
/// assert_eq!(Check::EverySocketClosed.id(), "every-socket-closed");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Check {
    /// A server sets `SO_REUSEADDR` before `bind`, so that a restart finds
    /// its port free while old connections sit in `TIME_WAIT`.
    ReuseAddressBeforeBind,
    /// Every socket the program made is closed by the end: none leaked.
    EverySocketClosed,
    /// A `recv` that returned 0 (no more data will come) is answered by
    /// closing: the socket reads no more.
    EndOfStreamClosed,
    /// A `send` that took fewer bytes than offered is followed by a send of
    /// the rest.
    ShortSendCompleted,
    /// After a call that failed for good (a refused connect, a reset, a
    /// connection that is over…), the socket is only closed, never used.
    NothingAfterFailure,
    /// `accept` is called only on a socket that listens.
    AcceptAfterListen,
    /// A server's connection whose client sent its FIN answers it by
    /// closing, instead of leaving the connection in `CLOSE_WAIT`.
    ServerAnswersFin,
}

impl Check {
    /// Every check, in the order reports list them.
    pub const ALL: [Check; 7] = [
        Check::ReuseAddressBeforeBind,
        Check::EverySocketClosed,
        Check::EndOfStreamClosed,
        Check::ShortSendCompleted,
        Check::NothingAfterFailure,
        Check::AcceptAfterListen,
        Check::ServerAnswersFin,
    ];

    /// No system call: a short name that stays the same in every language,
    /// for scripts and `results.json`.
    pub fn id(self) -> &'static str {
        match self {
            Check::ReuseAddressBeforeBind => "reuse-address-before-bind",
            Check::EverySocketClosed => "every-socket-closed",
            Check::EndOfStreamClosed => "end-of-stream-closed",
            Check::ShortSendCompleted => "short-send-completed",
            Check::NothingAfterFailure => "nothing-after-failure",
            Check::AcceptAfterListen => "accept-after-listen",
            Check::ServerAnswersFin => "server-answers-fin",
        }
    }
}

/// Where a trace breaks a [`Check`]: the socket, the step the rule points
/// at, and the socket's steps up to it — what a teacher would underline.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// The rule broken.
    pub check: Check,
    /// The socket's label, as the trace shows it.
    pub socket: Arc<str>,
    /// The step the rule points at (the `bind` without `SO_REUSEADDR`, the
    /// `recv` after the end of the stream, the socket's last step…).
    pub at: Event,
    /// The socket's steps up to and including `at`, in order.
    pub steps: Vec<Event>,
}
