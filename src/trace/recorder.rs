//! The [`Recorder`]: keeps the events of every socket traced through it,
//! across threads, bounded; and renders them as a whole trace.

use std::collections::VecDeque;
use std::fmt;
use std::fmt::Write as _;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use crate::event::Event;
use crate::lang::Lang;
use crate::render::{
    self, Look,
    phrase::Term,
    redact::{Redaction, label_order},
};

/// The events a [`Recorder`] keeps by default before the oldest are dropped.
///
/// ```
/// use socket_lifecycle::trace::DEFAULT_CAPACITY;
/// # use socket_lifecycle::{Recorder, Socket};
/// let recorder = Recorder::new();
/// let tracer = recorder.tracer("cliente");
/// for _ in 0..DEFAULT_CAPACITY / 2 + 1 {
///     Socket::tcp_v4(tracer.clone())?; // socket() and, on drop, close()
/// }
/// assert_eq!(recorder.events().len(), DEFAULT_CAPACITY);
/// assert_eq!(recorder.dropped(), 2);
/// # Ok::<(), socket_lifecycle::Error>(())
/// ```
pub const DEFAULT_CAPACITY: usize = 4096;

/// Keeps the events of every socket traced through it, across threads.
///
/// Cloning a recorder gives another handle to the same store. It is bounded:
/// past its capacity the oldest events are dropped and counted, so a
/// long-running server does not grow through its trace.
///
/// ```
/// use socket_lifecycle::{Recorder, Socket};
///
/// let recorder = Recorder::new();
/// let socket = Socket::tcp_v4(recorder.tracer("servidor"))?;
/// socket.close()?;
/// let text = recorder.render_redacted(socket_lifecycle::Lang::En);
/// assert!(text.contains("socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_TCP) = <fd servidor>"));
/// assert!(text.contains("close(<fd servidor>) = 0"));
/// # Ok::<(), socket_lifecycle::Error>(())
/// ```
#[derive(Clone)]
pub struct Recorder {
    store: Arc<Mutex<Store>>,
}

struct Store {
    events: VecDeque<Event>,
    capacity: usize,
    dropped: u64,
}

/// Short on purpose: the events themselves are [`Recorder::events`].
///
/// ```
/// let recorder = socket_lifecycle::Recorder::with_capacity(8);
/// assert_eq!(format!("{recorder:?}"), "Recorder { events: 0, capacity: 8, dropped: 0 }");
/// ```
impl fmt::Debug for Recorder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let store = self.store();
        f.debug_struct("Recorder")
            .field("events", &store.events.len())
            .field("capacity", &store.capacity)
            .field("dropped", &store.dropped)
            .finish()
    }
}

impl Default for Recorder {
    fn default() -> Self {
        Recorder::new()
    }
}

impl Recorder {
    /// No system call: an empty recorder holding up to [`DEFAULT_CAPACITY`]
    /// events.
    ///
    /// ```
    /// let recorder = socket_lifecycle::Recorder::new();
    /// assert!(recorder.events().is_empty());
    /// ```
    pub fn new() -> Recorder {
        Recorder::with_capacity(DEFAULT_CAPACITY)
    }

    /// No system call: an empty recorder holding up to `capacity` events
    /// (at least one).
    ///
    /// ```
    /// use socket_lifecycle::{Recorder, Socket};
    ///
    /// let recorder = Recorder::with_capacity(2);
    /// Socket::tcp_v4(recorder.tracer("cliente"))?.close()?; // socket, close…
    /// let open = Socket::tcp_v4(recorder.tracer("cliente"))?; // …and one more
    /// assert_eq!((recorder.events().len(), recorder.dropped()), (2, 1));
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn with_capacity(capacity: usize) -> Recorder {
        let capacity = capacity.max(1);
        Recorder {
            store: Arc::new(Mutex::new(Store {
                events: VecDeque::with_capacity(capacity.min(DEFAULT_CAPACITY)),
                capacity,
                dropped: 0,
            })),
        }
    }

    fn store(&self) -> MutexGuard<'_, Store> {
        // A panic in another thread while it held the lock leaves whole
        // events behind: keep using them.
        self.store.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(super) fn push(&self, event: Event) {
        let mut store = self.store();
        if store.events.len() == store.capacity {
            store.events.pop_front();
            store.dropped += 1;
        }
        store.events.push_back(event);
    }

    /// No system call: a copy of the kept events, in the order they happened.
    ///
    /// ```
    /// # use socket_lifecycle::{Recorder, Socket};
    /// let recorder = Recorder::new();
    /// Socket::tcp_v4(recorder.tracer("cliente"))?.close()?;
    /// let calls: Vec<&str> = recorder.events().iter().map(|e| e.call.name()).collect();
    /// assert_eq!(calls, ["socket", "close"]);
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn events(&self) -> Vec<Event> {
        let mut events: Vec<Event> = self.store().events.iter().cloned().collect();
        events.sort_by_key(|event| event.seq);
        events
    }

    /// No system call: how many events were dropped because the recorder was
    /// full.
    ///
    /// ```
    /// let recorder = socket_lifecycle::Recorder::new();
    /// assert_eq!(recorder.dropped(), 0);
    /// ```
    pub fn dropped(&self) -> u64 {
        self.store().dropped
    }

    /// No system call: every kept event as a trace line with its narration,
    /// in the order they happened across all sockets and threads.
    ///
    /// ```
    /// # use socket_lifecycle::{Lang, Recorder, Socket};
    /// let recorder = Recorder::new();
    /// Socket::tcp_v4(recorder.tracer("cliente"))?;
    /// let text = recorder.render(Lang::Pt);
    /// assert!(text.contains("socket(): um novo ponto de comunicação TCP"));
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn render(&self, lang: Lang) -> String {
        let mut out = self.dropped_notice(lang);
        for event in self.events() {
            out.push_str(&render::line(
                &event,
                lang,
                &Redaction::none(),
                &Look::default(),
            ));
            out.push('\n');
        }
        out
    }

    /// No system call: every kept event as [`Event::terminal_line`] has
    /// it in `look`, in the order they happened: what a program shows a
    /// person on a terminal ([`Recorder::render`] with the default look).
    ///
    /// ```
    /// # use socket_lifecycle::{Lang, Recorder, Socket};
    /// use socket_lifecycle::render::Look;
    ///
    /// let recorder = Recorder::new();
    /// Socket::tcp_v4(recorder.tracer("cliente"))?;
    /// assert_eq!(recorder.render_terminal(Lang::En, &Look::default()), recorder.render(Lang::En));
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn render_terminal(&self, lang: Lang, look: &Look) -> String {
        let mut out = self.dropped_notice(lang);
        for event in self.events() {
            out.push_str(&event.terminal_line(lang, look));
            out.push('\n');
        }
        out
    }

    /// No system call: the deterministic rendering for snapshot tests.
    ///
    /// Events are grouped per socket (sockets sorted by label, so `servidor#2`
    /// follows `servidor#1`, each socket's events in the order they happened),
    /// fd numbers are shown as `<fd LABEL>`, and ephemeral ports (in the
    /// kernel's range for ports it picks) as `<port LABEL>` when a recorded
    /// socket got it, `<port ephemeral>` otherwise. States whose timing
    /// varies are named as pairs: `FIN_WAIT1/2` and, after a close,
    /// `LAST_ACK/gone`.
    /// Rendering twice gives the same text; the redacted text has nothing
    /// left to redact.
    ///
    /// ```
    /// # use socket_lifecycle::{Lang, Recorder, Socket};
    /// let recorder = Recorder::new();
    /// Socket::tcp_v4(recorder.tracer("servidor"))?.bind("127.0.0.1:0".parse().unwrap())?;
    /// let text = recorder.render_redacted(Lang::En);
    /// assert!(text.starts_with("── servidor\n"));
    /// assert!(text.contains("bound to 127.0.0.1:<port servidor>"));
    /// assert_eq!(text, recorder.render_redacted(Lang::En));
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn render_redacted(&self, lang: Lang) -> String {
        self.render_redacted_as(lang, &Look::default())
    }

    /// No system call: [`Recorder::render_redacted`] as `look` has it —
    /// short and coloured for a terminal; with the default look, the same.
    ///
    /// ```
    /// # use socket_lifecycle::{Lang, Recorder, Socket};
    /// use socket_lifecycle::render::Look;
    ///
    /// let recorder = Recorder::new();
    /// Socket::tcp_v4(recorder.tracer("servidor"))?.bind("127.0.0.1:0".parse().unwrap())?;
    /// let short = recorder.render_redacted_as(Lang::En, &Look::terminal(None));
    /// assert!(short.contains("bind(<fd servidor>, {127.0.0.1:0}, 16) = 0"));
    /// assert!(short.contains("bound to 127.0.0.1:<port servidor>"));
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn render_redacted_as(&self, lang: Lang, look: &Look) -> String {
        let events = self.events();
        let redaction = Redaction::from_events(&events).with_terse(look.short);
        let mut labels: Vec<(String, &Arc<str>)> = events
            .iter()
            .map(|event| (redaction.label(&event.socket), &event.socket))
            .collect();
        labels.sort_by(|(a, _), (b, _)| label_order(a).cmp(&label_order(b)));
        labels.dedup();
        let mut out = self.dropped_notice(lang);
        for (shown, label) in labels {
            let _ = writeln!(out, "── {shown}");
            let own: Vec<&Event> = events.iter().filter(|e| &e.socket == label).collect();
            for event in redaction.order(own) {
                out.push_str(&render::line(event, lang, &redaction, look));
                out.push('\n');
            }
        }
        out
    }

    /// No system call: the label [`Recorder::render_redacted`] shows for the
    /// socket labelled `label` — for an accepted socket whose client is
    /// recorded too, the listener's label and the client's
    /// (`servidor#cliente-2`), whichever `accept` took it first; any other
    /// label as it is.
    ///
    /// ```
    /// # use socket_lifecycle::{Recorder, Socket};
    /// let recorder = Recorder::new();
    /// let listener = Socket::tcp_v4(recorder.tracer("servidor"))?
    ///     .bind("127.0.0.1:0".parse().unwrap())?
    ///     .listen(5)?;
    /// let client = Socket::tcp_v4(recorder.tracer("cliente-2"))?
    ///     .connect(listener.local_addr().unwrap())?;
    /// let (conn, _) = listener.accept()?;
    /// assert_eq!(conn.label(), "servidor#1");
    /// assert_eq!(recorder.canonical_label("servidor#1"), "servidor#cliente-2");
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn canonical_label(&self, label: &str) -> String {
        Redaction::from_events(&self.events()).label(label)
    }

    fn dropped_notice(&self, lang: Lang) -> String {
        match self.dropped() {
            0 => String::new(),
            n => format!("… {}\n", render::term(&Term::Dropped { n }, lang)),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::net::SocketAddr;

    use super::*;
    use crate::event::{Call, Family, Mode, Outcome, StateName, Transport};

    fn event(label: &str, seq: u64) -> Event {
        let local: SocketAddr = "127.0.0.1:8888".parse().expect("an address");
        Event {
            seq,
            thread: Arc::from("main"),
            socket: Arc::from(label),
            transport: Transport::Tcp,
            family: Family::V4,
            fd: Some(3),
            call: Call::Bind { addr: local },
            outcome: Outcome::Returned(0),
            before: Some(StateName::Created),
            after: Some(StateName::Bound),
            mode: Mode::default(),
            tcp: None,
            local: Some(local),
            peer: None,
        }
    }

    fn seqs(recorder: &Recorder) -> Vec<u64> {
        recorder.events().iter().map(|e| e.seq).collect()
    }

    #[test]
    fn a_recorder_of_capacity_zero_keeps_one_event_and_counts_the_rest() {
        let recorder = Recorder::with_capacity(0);
        for seq in 1..=1000 {
            recorder.push(event("cliente", seq));
        }
        assert_eq!(seqs(&recorder), [1000]);
        assert_eq!(recorder.dropped(), 999);
    }

    #[test]
    fn past_its_capacity_the_oldest_events_go_and_are_counted() {
        let recorder = Recorder::with_capacity(3);
        for seq in 1..=3 {
            recorder.push(event("cliente", seq));
        }
        assert_eq!((seqs(&recorder), recorder.dropped()), (vec![1, 2, 3], 0));
        for seq in 4..=10 {
            recorder.push(event("cliente", seq));
        }
        assert_eq!((seqs(&recorder), recorder.dropped()), (vec![8, 9, 10], 7));
        assert_eq!(
            format!("{recorder:?}"),
            "Recorder { events: 3, capacity: 3, dropped: 7 }"
        );
        let text = recorder.render(Lang::En);
        assert!(text.starts_with("… 7 "), "{text}");
        assert_eq!(text.lines().filter(|l| l.starts_with('[')).count(), 3);
        assert!(recorder.render_redacted(Lang::En).starts_with("… 7 "));
    }

    #[test]
    fn events_come_out_in_the_order_they_happened() {
        let recorder = Recorder::new();
        // Threads push in any order; the sequence numbers tell.
        for seq in [3, 1, 2] {
            recorder.push(event("cliente", seq));
        }
        assert_eq!(seqs(&recorder), [1, 2, 3]);
        assert_eq!(Recorder::default().events().len(), 0);
        assert_eq!(
            format!("{:?}", Recorder::new()),
            "Recorder { events: 0, capacity: 4096, dropped: 0 }"
        );
    }

    #[test]
    fn the_plain_rendering_is_in_order_and_the_redacted_one_per_socket() {
        let recorder = Recorder::new();
        for (label, seq) in [
            ("servidor#10", 1),
            ("cliente", 2),
            ("servidor#9", 3),
            ("cliente", 4),
        ] {
            recorder.push(event(label, seq));
        }
        let plain: Vec<String> = recorder
            .render(Lang::En)
            .lines()
            .filter_map(|l| Some(l.strip_prefix('[')?.split(']').next()?.to_string()))
            .collect();
        assert_eq!(plain, ["servidor#10", "cliente", "servidor#9", "cliente"]);
        let redacted = recorder.render_redacted(Lang::En);
        let headings: Vec<&str> = redacted
            .lines()
            .filter_map(|l| l.strip_prefix("── "))
            .collect();
        assert_eq!(headings, ["cliente", "servidor#9", "servidor#10"]);
        // Each socket's lines under its heading.
        let cliente = redacted
            .split("── ")
            .find(|part| part.starts_with("cliente\n"))
            .expect("cliente's part");
        assert_eq!(cliente.matches("[cliente]").count(), 2);
        assert!(redacted.contains("bind(<fd cliente>, "), "{redacted}");
        assert_eq!(redacted, recorder.render_redacted(Lang::En));
    }
}
