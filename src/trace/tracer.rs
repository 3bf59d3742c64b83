//! The [`Tracer`]: where one socket's events go — the `log` facade and,
//! when attached, a [`Recorder`].

use std::fmt;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};

use super::recorder::Recorder;
use crate::event::Event;
use crate::lang::Lang;
use crate::render::Look;

/// Where a socket's events go: its label, and the recorder, if any.
///
/// A plain string converts into a tracer that only logs:
/// `Socket::tcp_v4("cliente")`. Use [`Recorder::tracer`] to also record.
///
/// ```
/// use socket_lifecycle::{Recorder, Socket, Tracer};
///
/// // Only logged (through the `log` facade, if a logger is installed):
/// let logged = Socket::tcp_v4("cliente")?;
/// // Logged and recorded:
/// let recorder = Recorder::new();
/// let recorded = Socket::tcp_v4(Tracer::new("cliente", Some(recorder.clone())))?;
/// assert_eq!(recorder.events().len(), 1);
/// # Ok::<(), socket_lifecycle::Error>(())
/// ```
#[derive(Clone)]
pub struct Tracer {
    label: Arc<str>,
    recorder: Option<Recorder>,
    accepted: Arc<AtomicU32>,
}

/// The label and whether events are recorded; never the recorded events.
///
/// ```
/// let tracer = socket_lifecycle::Recorder::new().tracer("cliente");
/// assert_eq!(format!("{tracer:?}"), r#"Tracer { label: "cliente", recorded: true }"#);
/// ```
impl fmt::Debug for Tracer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tracer")
            .field("label", &self.label)
            .field("recorded", &self.recorder.is_some())
            .finish()
    }
}

impl From<&str> for Tracer {
    fn from(label: &str) -> Tracer {
        Tracer::new(label, None)
    }
}

impl Tracer {
    /// No system call: a tracer that labels a socket `label` and sends its
    /// events to `recorder` (when given) and to the `log` facade.
    ///
    /// ```
    /// use socket_lifecycle::{Recorder, Tracer};
    ///
    /// let tracer = Tracer::new("servidor", Some(Recorder::new()));
    /// assert_eq!(tracer.label(), "servidor");
    /// ```
    pub fn new(label: &str, recorder: Option<Recorder>) -> Tracer {
        Tracer {
            label: Arc::from(label),
            recorder,
            accepted: Arc::new(AtomicU32::new(0)),
        }
    }

    /// No system call: the label of the socket.
    ///
    /// ```
    /// let tracer = socket_lifecycle::Tracer::from("cliente");
    /// assert_eq!(tracer.label(), "cliente");
    /// ```
    pub fn label(&self) -> &str {
        &self.label
    }

    /// The label, shared: what each event of the socket carries.
    pub(crate) fn shared_label(&self) -> Arc<str> {
        self.label.clone()
    }

    /// The tracer of the next connection a listener accepts: `servidor#1`,
    /// `servidor#2`, … recording to the same recorder.
    pub(crate) fn next_accepted(&self) -> Tracer {
        let n = self.accepted.fetch_add(1, Ordering::Relaxed) + 1;
        Tracer::new(&format!("{}#{n}", self.label), self.recorder.clone())
    }

    /// Whether anyone listens: a recorder, or a logger at `info` level. When
    /// nobody does, the library skips building events (and the kernel reads
    /// they need) altogether.
    pub(crate) fn enabled(&self) -> bool {
        self.recorder.is_some() || log::log_enabled!(target: "socket_lifecycle", log::Level::Info)
    }

    /// Stamps, logs and records an event.
    pub(crate) fn emit(&self, mut event: Event) {
        stamp(&mut event);
        if log::log_enabled!(target: "socket_lifecycle", log::Level::Info) {
            let look = LOG_LOOK.get_or_init(Look::default);
            log::info!(target: "socket_lifecycle", "{}", event.terminal_line(Lang::current(), look));
            log::debug!(
                target: "socket_lifecycle",
                "[{}] #{} on thread {}: local {:?}, peer {:?}, mode {:?}, tcp {:?}",
                event.socket, event.seq, event.thread, event.local, event.peer, event.mode, event.tcp
            );
        }
        if let Some(recorder) = &self.recorder {
            recorder.push(event);
        }
    }
}

/// How the lines sent to `log` look: faithful and plain unless the program
/// said otherwise ([`set_log_look`]).
static LOG_LOOK: OnceLock<Look> = OnceLock::new();

/// No system call: from now on, the trace lines sent to `log` look as
/// `look` says — what a program whose logger writes them to a terminal
/// sets once, before its first socket, with the look of that terminal
/// (`Look::for_stderr()` with the crate's `color` feature). Only the first
/// call counts; without one, lines are faithful and plain
/// ([`crate::Event::line`]). Returns whether this call was the first.
///
/// ```
/// use socket_lifecycle::render::Look;
///
/// assert!(socket_lifecycle::trace::set_log_look(Look::terminal(None)));
/// assert!(!socket_lifecycle::trace::set_log_look(Look::default()));
/// ```
pub fn set_log_look(look: Look) -> bool {
    LOG_LOOK.set(look).is_ok()
}

/// Gives `event` the next number of the process-wide order of events.
fn stamp(event: &mut Event) {
    static SEQ: AtomicU64 = AtomicU64::new(1);
    event.seq = SEQ.fetch_add(1, Ordering::Relaxed);
}

/// The calling thread's name (or id), worked out once per thread.
pub(crate) fn current_thread() -> Arc<str> {
    thread_local! {
        static NAME: Arc<str> = {
            let thread = std::thread::current();
            match thread.name() {
                Some(name) => Arc::from(name),
                None => Arc::from(format!("{:?}", thread.id())),
            }
        };
    }
    NAME.with(Arc::clone)
}

impl Recorder {
    /// No system call: a tracer that labels a socket `label` and records its
    /// events here. Pass it to [`crate::Socket::tcp_v4`] and friends.
    ///
    /// ```
    /// use socket_lifecycle::{Recorder, Socket};
    ///
    /// let recorder = Recorder::new();
    /// let socket = Socket::tcp_v4(recorder.tracer("cliente"))?;
    /// assert_eq!(socket.label(), "cliente");
    /// assert_eq!(recorder.events().len(), 1);
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn tracer(&self, label: &str) -> Tracer {
        Tracer::new(label, Some(self.clone()))
    }

    /// No system call: keeps an event made elsewhere — by a program that
    /// watches another one's calls, such as the `socket-lifecycle trace`
    /// observer — numbering it after every event recorded so far, so that
    /// every rendering of this recorder (the trace, the canonical form, the
    /// diagrams, the lifecycle checks) reads it like the library's own.
    /// Returns the number it was given. Nothing is logged.
    ///
    /// ```
    /// use socket_lifecycle::event::{Call, Event, Family, Mode, Outcome, StateName, Transport};
    /// use socket_lifecycle::{Lang, Recorder};
    ///
    /// let recorder = Recorder::new();
    /// let listen = Event {
    ///     seq: 0,
    ///     thread: "4242".into(),
    ///     socket: "servidor.py".into(),
    ///     transport: Transport::Tcp,
    ///     family: Family::V4,
    ///     fd: Some(3),
    ///     call: Call::Listen { backlog: 5 },
    ///     outcome: Outcome::Returned(0),
    ///     before: Some(StateName::Bound),
    ///     after: Some(StateName::Listening),
    ///     mode: Mode::default(),
    ///     tcp: None,
    ///     local: Some("127.0.0.1:8888".parse().unwrap()),
    ///     peer: None,
    /// };
    /// let seq = recorder.record(listen);
    /// assert!(seq > 0);
    /// assert!(recorder.render(Lang::En).contains("[servidor.py] Bound → Listening: listen(3, 5) = 0"));
    /// ```
    pub fn record(&self, mut event: Event) -> u64 {
        stamp(&mut event);
        let seq = event.seq;
        self.push(event);
        seq
    }
}
