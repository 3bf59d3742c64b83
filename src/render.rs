//! Renderings of events: the call as the system names it (strace's line on
//! Linux), the narration, the whole trace line — faithful, or short and
//! coloured for a terminal ([`Look`]) — and its canonical (redacted) form.
//!
//! Each rendering reads an [`Event`] and changes nothing. The narration is
//! decided in two steps: the event's facts are classified into a phrase
//! (`phrase.rs`, no language), then the language's table says it
//! (`words/`). The call part of a line (`syscall/`, one file per system) is
//! the same in every language but for the errno's description.
//!
//! ```
//! use socket_lifecycle::{Lang, Recorder, Socket};
//!
//! let recorder = Recorder::new();
//! Socket::tcp_v4(recorder.tracer("cliente"))?;
//! let event = &recorder.events()[0];
//! if cfg!(target_os = "linux") {
//!     assert!(event.syscall().starts_with("socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_TCP) = "));
//! }
//! assert!(event.narration(Lang::Pt).starts_with("socket(): um novo ponto"));
//! assert!(event.narration(Lang::En).starts_with("socket(): a new TCP endpoint"));
//! # Ok::<(), socket_lifecycle::Error>(())
//! ```

mod look;
pub(crate) mod phrase;
pub(crate) mod redact;
mod syscall;
pub(crate) mod words;

use std::fmt::Write as _;

pub use look::{Colors, Look};
pub use redact::redact_ports;

use crate::errno::{Cause, Errno};
use crate::event::{Call, Event, Outcome, StateName, Transport};
use crate::lang::Lang;
use phrase::{Hint, Term};
use redact::Redaction;
use words::{Words, words};

impl Event {
    /// No system call: the call as this system names it, with its
    /// arguments and real result — on Linux exactly as strace prints it,
    /// e.g. `listen(3, 5) = 0` or
    /// `connect(3, {…}, 16) = -1 ECONNREFUSED (Connection refused)`; on
    /// Windows Winsock's calls (`WSASocketW(…)`, `closesocket(…)`,
    /// `… = SOCKET_ERROR; WSAGetLastError() = WSAECONNREFUSED (…)`); on
    /// macOS and FreeBSD the BSD system calls (see `render/syscall/`).
    ///
    /// ```
    /// # use socket_lifecycle::{Recorder, Socket};
    /// let recorder = Recorder::new();
    /// Socket::tcp_v4(recorder.tracer("servidor"))?.bind("127.0.0.1:0".parse().unwrap())?.listen(5)?;
    /// let listen = &recorder.events()[2];
    /// assert_eq!(listen.syscall(), format!("listen({}, 5) = 0", listen.fd.unwrap()));
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn syscall(&self) -> String {
        syscall::call(self, &Redaction::none(), words(Lang::En))
    }

    /// No system call: the call as strace prints it — on Linux, where strace
    /// is. Other systems have no strace: there this is [`Event::syscall`],
    /// the system's own call.
    ///
    /// ```
    /// # use socket_lifecycle::{Recorder, Socket};
    /// let recorder = Recorder::new();
    /// Socket::tcp_v4(recorder.tracer("servidor"))?.bind("127.0.0.1:0".parse().unwrap())?.listen(5)?;
    /// let listen = &recorder.events()[2];
    /// assert_eq!(listen.strace(), listen.syscall());
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn strace(&self) -> String {
        self.syscall()
    }

    /// No system call: a one-line narration of the step in `lang`.
    ///
    /// ```
    /// # use socket_lifecycle::{Lang, Recorder, Socket};
    /// let recorder = Recorder::new();
    /// Socket::tcp_v4(recorder.tracer("cliente"))?;
    /// let socket = &recorder.events()[0];
    /// assert!(socket.narration(Lang::En).starts_with("socket(): a new TCP endpoint"));
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn narration(&self, lang: Lang) -> String {
        let none = Redaction::none();
        words(lang).phrase(&phrase::phrase(self, &none))
    }

    /// No system call: the whole trace line: socket, transition, call,
    /// kernel state, and the narration on a second, indented line.
    ///
    /// ```
    /// # use socket_lifecycle::{Lang, Recorder, Socket};
    /// let recorder = Recorder::new();
    /// Socket::tcp_v4(recorder.tracer("cliente"))?;
    /// let line = recorder.events()[0].line(Lang::En);
    /// assert!(line.starts_with("[cliente] - → Created: socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_TCP) = "));
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn line(&self, lang: Lang) -> String {
        line(self, lang, &Redaction::none(), &Look::default())
    }

    /// No system call: the trace line as `look` has it — for a terminal,
    /// short and coloured ([`Look`]); with the default look, the same as
    /// [`Event::line`].
    ///
    /// ```
    /// # use socket_lifecycle::{Lang, Recorder, Socket};
    /// use socket_lifecycle::render::{Colors, Look};
    ///
    /// let recorder = Recorder::new();
    /// Socket::tcp_v4(recorder.tracer("cliente"))?;
    /// let marks = Colors {
    ///     label: "<L>".into(), state: "<S>".into(), error: "<E>".into(),
    ///     narration: "<N>".into(), reset: "</>".into(),
    /// };
    /// let line = recorder.events()[0].terminal_line(Lang::En, &Look::terminal(Some(marks)));
    /// assert!(line.starts_with("<L>[cliente]</> <S>- → Created</>: socket(AF_INET, "));
    /// assert!(line.contains("\n    <N>socket(): a new TCP endpoint"));
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn terminal_line(&self, lang: Lang, look: &Look) -> String {
        let redaction = if look.short {
            Redaction::terse()
        } else {
            Redaction::none()
        };
        line(self, lang, &redaction, look)
    }
}

impl Cause {
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
        hint(self, None, lang)
    }
}

/// The advice for `cause`, naming `addr` when there is one.
pub(crate) fn hint(cause: Cause, addr: Option<String>, lang: Lang) -> String {
    words(lang).hint(&Hint { cause, addr })
}

/// A short word in `lang`.
pub(crate) fn term(term: &Term, lang: Lang) -> String {
    words(lang).term(term)
}

/// What this system's error number `code` means, in `lang`.
pub(crate) fn errno_text(code: i32, lang: Lang) -> Option<&'static str> {
    Errno::of(code).map(|errno| words(lang).errno(errno))
}

/// The trace line of `event`: `[label] before → after: call = result
/// [kernel]`, then the narration, indented, on the next line — as `look`
/// has it: faithful and plain, or short and coloured for a terminal.
pub(crate) fn line(event: &Event, lang: Lang, r: &Redaction, look: &Look) -> String {
    let words = words(lang);
    let state = |s: Option<StateName>| s.map_or("-", StateName::as_str);
    let label = r.label(&event.socket);
    let call = syscall::call(event, r, words);
    let kernel = kernel_note(event, r, words);
    let narration = words.phrase(&phrase::phrase(event, r));
    let mut line = String::with_capacity(label.len() + call.len() + narration.len() + 64);
    look.open(&mut line, |c| &c.label);
    line.push('[');
    line.push_str(&label);
    line.push(']');
    look.close(&mut line);
    line.push(' ');
    let states_at = line.len();
    look.open(&mut line, |c| &c.state);
    if !(look.short && event.before == event.after) {
        line.push_str(state(event.before));
        line.push_str(" → ");
    }
    line.push_str(state(event.after));
    look.close(&mut line);
    // The columns the states take (their colour takes none).
    let states = line[states_at..].chars().count() - look.escapes();
    line.push_str(": ");
    // A failed call's result, after the call's closing `) = `, in its colour.
    let result = match (&look.colors, event.outcome) {
        (Some(_), Outcome::Failed(_)) => call.rfind(") = ").map(|at| at + ") = ".len()),
        _ => None,
    };
    match result {
        Some(at) => {
            line.push_str(&call[..at]);
            look.open(&mut line, |c| &c.error);
            line.push_str(&call[at..]);
            look.close(&mut line);
        }
        None => line.push_str(&call),
    }
    if let Some(kernel) = kernel {
        // On a terminal, a note that would take the line past its width
        // goes under it, indented like the narration.
        let too_wide = || {
            let parts = [label.as_str(), &call, &kernel];
            let text: usize = parts.iter().map(|part| part.chars().count()).sum();
            text + states + 9 > Look::WIDTH
        };
        line.push_str(if look.short && too_wide() {
            "\n    ["
        } else {
            "  ["
        });
        look.open(&mut line, |c| &c.state);
        line.push_str(&kernel);
        look.close(&mut line);
        line.push(']');
    }
    if look.short {
        for part in look::wrap(&narration, Look::WIDTH - 4) {
            line.push_str("\n    ");
            look.open(&mut line, |c| &c.narration);
            line.push_str(part);
            look.close(&mut line);
        }
    } else {
        line.push_str("\n    ");
        look.open(&mut line, |c| &c.narration);
        line.push_str(&narration);
        look.close(&mut line);
    }
    line
}

/// The kernel's side of a line: TCP_INFO's state (with a listener's accept
/// queue, or the accepted connection's state) while the socket is open;
/// what the kernel still holds after a close.
fn kernel_note(event: &Event, r: &Redaction, words: &dyn Words) -> Option<String> {
    if event.transport == Transport::Udp {
        // UDP has no connection, hence no connection state to show.
        return None;
    }
    let kernel = words.term(&Term::Kernel);
    let after_close = |found| {
        let gone = words.term(&Term::Gone);
        let unknown = words.term(&Term::Unknown);
        let found = r.after_close(found, &event.socket, &gone, &unknown);
        format!("{kernel}: {found}")
    };
    match &event.call {
        Call::Close { after, .. } => return after.map(after_close),
        Call::KernelLookup { found } => return Some(after_close(*found)),
        _ => {}
    }
    let info = event.tcp?;
    let mut text = r.event_state(event, info.state);
    if let (Some(queue), Some(limit)) = (info.accept_queue, info.accept_queue_limit) {
        // Only after an accept can other clients' handshakes move the count.
        let queue = match event.call {
            Call::Accept { .. } => r.queue_count(queue),
            _ => queue.to_string(),
        };
        let _ = write!(text, ", {} {queue}/{limit}", words.term(&Term::AcceptQueue));
    }
    if let Call::Accept {
        child: Some(child),
        child_state: Some(state),
        ..
    } = &event.call
    {
        let _ = write!(text, "; {} {}", r.label(child), r.state(*state));
    }
    Some(text)
}
