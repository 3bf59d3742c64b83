//! The other unix systems (NetBSD, OpenBSD, DragonFly, illumos, …): the
//! BSD calls, with `SOCK_CLOEXEC` and `accept4` as socket2 passes them on
//! most of these; sends take no flag here. Not checked on any of them.

use super::bsd::{self, Flavor};
use crate::event::{Call, Event};
use crate::render::redact::Redaction;
use crate::render::words::Words;

const OTHER: Flavor = Flavor {
    cloexec_flag: true,
    nosigpipe: false,
    send_flags: "0",
};

/// No system call: the name of the call as the kernel receives it.
pub(crate) fn name(call: &Call) -> &'static str {
    bsd::name(call, &OTHER)
}

/// The call of `event` with its arguments and result.
pub(crate) fn call(event: &Event, r: &Redaction, words: &dyn Words) -> String {
    bsd::call(event, r, words, &OTHER)
}
