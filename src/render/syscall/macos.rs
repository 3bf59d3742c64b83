//! macOS: `socket()` takes no `SOCK_CLOEXEC` and there is no `accept4`, so
//! socket2 follows each with `fcntl(FD_CLOEXEC)`, and sets `SO_NOSIGPIPE`
//! on each new socket (macOS has no `MSG_NOSIGNAL`).

use super::bsd::{self, Flavor};
use crate::event::{Call, Event};
use crate::render::redact::Redaction;
use crate::render::words::Words;

const MACOS: Flavor = Flavor {
    cloexec_flag: false,
    nosigpipe: true,
    send_flags: "0",
};

/// No system call: the name of the call as macOS's kernel receives it.
pub(crate) fn name(call: &Call) -> &'static str {
    bsd::name(call, &MACOS)
}

/// The call of `event`, with what socket2 calls right after it.
pub(crate) fn call(event: &Event, r: &Redaction, words: &dyn Words) -> String {
    bsd::call(event, r, words, &MACOS)
}
