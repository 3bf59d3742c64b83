//! FreeBSD: `socket()` and `accept4()` take `SOCK_CLOEXEC`, and sends
//! `MSG_NOSIGNAL`, as on Linux.

use super::bsd::{self, Flavor};
use crate::event::{Call, Event};
use crate::render::redact::Redaction;
use crate::render::words::Words;

const FREEBSD: Flavor = Flavor {
    cloexec_flag: true,
    nosigpipe: false,
    send_flags: "MSG_NOSIGNAL",
};

/// No system call: the name of the call as FreeBSD's kernel receives it.
pub(crate) fn name(call: &Call) -> &'static str {
    bsd::name(call, &FREEBSD)
}

/// The call of `event` with its arguments and result.
pub(crate) fn call(event: &Event, r: &Redaction, words: &dyn Words) -> String {
    bsd::call(event, r, words, &FREEBSD)
}
