//! The grading harness: start a student's server (or a reference one),
//! drive it with scripted clients — one after another, or together — record
//! everything, judge the trace by the lifecycle checks, and hand back a
//! [`Grade`]: the canonical trace to compare with a snapshot, a report for
//! the student, and a Gradescope `results.json`.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::judge::judge;
use super::report;
use crate::check::Finding;
use crate::errno::Errno;
use crate::event::{Call, Event};
use crate::lang::Lang;
use crate::lifecycle::{Connection, Listener, Result, Socket};
use crate::render::phrase::Term;
use crate::trace::{Recorder, Tracer};

/// How long the harness waits for a reply, for the server to stop, and for
/// every socket to be closed, before it says what did not happen.
const PATIENCE: Duration = Duration::from_secs(2);

/// A scripted client: its label, and the messages it sends, each followed
/// by one `recv` for the reply.
///
/// ```
/// use socket_lifecycle::grade::Client;
///
/// let client = Client::new("cliente-1").says("ola").says("sair");
/// assert_eq!(client.label(), "cliente-1");
/// ```
#[derive(Debug, Clone)]
pub struct Client {
    label: String,
    messages: Vec<Vec<u8>>,
    expects_close: bool,
}

impl Client {
    /// No system call: a client labelled `label` with nothing to say yet.
    pub fn new(label: &str) -> Client {
        Client {
            label: label.to_string(),
            messages: Vec::new(),
            expects_close: false,
        }
    }

    /// No system call: the client also sends `message` (its bytes, no
    /// newline, as the report's client does), then reads one reply.
    pub fn says(mut self, message: &str) -> Client {
        self.messages.push(message.as_bytes().to_vec());
        self
    }

    /// No system call: after its last reply the client waits for the server
    /// to close (`recv` returns 0; at most two seconds) and then closes,
    /// answering the server's FIN — as the report's client does after
    /// `sair`. Without it, the client closes right after its last reply.
    pub fn expects_close(mut self) -> Client {
        self.expects_close = true;
        self
    }

    /// No system call: the client's label in the trace.
    pub fn label(&self) -> &str {
        &self.label
    }

    /// Connects, says each message and reads each reply (at most
    /// [`PATIENCE`] each), waits for the server's FIN if it
    /// [`Client::expects_close`], and closes. Returns the replies, as text.
    fn run(&self, recorder: &Recorder, server: SocketAddr) -> Result<Vec<String>> {
        let conn = Socket::tcp_for(&server, recorder.tracer(&self.label))?.connect(server)?;
        conn.set_read_timeout(Some(PATIENCE))?;
        let mut buf = [0u8; 1024];
        let mut replies = Vec::new();
        for message in &self.messages {
            conn.send_all(message)?;
            let n = recv(&conn, &mut buf)?;
            replies.push(String::from_utf8_lossy(&buf[..n]).into_owned());
            if n == 0 {
                break;
            }
        }
        if self.expects_close {
            // Read the server's FIN, so that the client's close answers it.
            while let Ok(n @ 1..) = recv(&conn, &mut buf) {
                replies.push(String::from_utf8_lossy(&buf[..n]).into_owned());
            }
        }
        conn.close()?;
        Ok(replies)
    }
}

/// `recv`, made again when a signal interrupts it (`EINTR`: another thread
/// of the test process may be spawning and reaping processes).
fn recv(conn: &Connection, buf: &mut [u8]) -> Result<usize> {
    loop {
        match conn.recv(buf) {
            Err(err) if err.posix_errno() == Some(Errno::EINTR) => {}
            other => return other,
        }
    }
}

/// A grading run. Build it with [`Harness::new`], add clients, then grade a
/// server ([`Harness::grade_server`]), a client against a reference server
/// ([`Harness::grade_client`]), or anything recorded
/// ([`Harness::grade_run`]).
///
/// ```
/// use socket_lifecycle::grade::{Client, Harness};
/// use socket_lifecycle::{Lang, Listener, Socket, Tracer};
///
/// // The student's server, in the two functions the assignment asks for.
/// fn prepare(tracer: Tracer) -> socket_lifecycle::Result<Listener> {
///     Socket::tcp_v4(tracer)?.reuse_address(true)?.bind("127.0.0.1:0".parse().unwrap())?.listen(5)
/// }
/// fn serve(listener: &Listener) {
///     while let Ok((conn, _)) = listener.accept() {
///         let mut buf = [0u8; 1024];
///         while let Ok(n) = conn.recv(&mut buf) {
///             if n == 0 || conn.send_all(&buf[..n]).is_err() {
///                 break;
///             }
///         }
///         let _ = conn.close();
///     }
/// }
///
/// let grade = Harness::new()
///     .client(Client::new("cliente").says("ola"))
///     .grade_server(prepare, serve);
/// assert!(grade.passed(), "{}", grade.report(Lang::En));
/// assert_eq!(grade.replies("cliente"), ["ola"]);
/// ```
#[derive(Debug, Default)]
pub struct Harness {
    clients: Vec<Client>,
    together: bool,
}

impl Harness {
    /// No system call: a harness with no clients, which runs clients one
    /// after another.
    pub fn new() -> Harness {
        Harness::default()
    }

    /// No system call: adds a scripted client.
    pub fn client(mut self, client: Client) -> Harness {
        self.clients.push(client);
        self
    }

    /// No system call: the clients run together, each on its own thread,
    /// instead of one after another. Their sockets are still named for
    /// them in the canonical trace, whatever order the server accepts them
    /// in.
    pub fn together(mut self) -> Harness {
        self.together = true;
        self
    }

    /// Grades a server: `prepare` makes its listener (socket, options,
    /// bind, listen — on port 0 of a loopback address) from the tracer it is
    /// given; `serve` runs on its own thread, accepting and serving until
    /// `accept` fails. When the clients are done, the harness shuts the
    /// listener down (`shutdown(SHUT_RDWR)`: the blocked `accept` fails with
    /// `EINVAL`, as on Ctrl+C), waits for `serve` to return and for every
    /// socket to be closed, then judges the trace.
    pub fn grade_server<P, S>(self, prepare: P, serve: S) -> Grade
    where
        P: FnOnce(Tracer) -> Result<Listener>,
        S: FnOnce(&Listener) + Send + 'static,
    {
        self.serve_and_drive(prepare, serve, |_, _| {})
    }

    /// Grades a client: the reference server (`prepare`, `serve`, as in
    /// [`Harness::grade_server`]) runs as `servidor`; `client` is the
    /// student's, given a tracer labelled `cliente` and the server's
    /// address. The harness's own scripted clients, if any, run after it.
    pub fn grade_client<P, S, C>(self, prepare: P, serve: S, client: C) -> Grade
    where
        P: FnOnce(Tracer) -> Result<Listener>,
        S: FnOnce(&Listener) + Send + 'static,
        C: FnOnce(Tracer, SocketAddr),
    {
        self.serve_and_drive(prepare, serve, |recorder, addr| {
            client(recorder.tracer("cliente"), addr);
        })
    }

    /// Starts the server, lets `first` talk to it, runs the scripted
    /// clients, stops the server and judges.
    fn serve_and_drive<P, S>(
        self,
        prepare: P,
        serve: S,
        first: impl FnOnce(&Recorder, SocketAddr),
    ) -> Grade
    where
        P: FnOnce(Tracer) -> Result<Listener>,
        S: FnOnce(&Listener) + Send + 'static,
    {
        let recorder = Recorder::new();
        let listener = match prepare(recorder.tracer("servidor")) {
            Ok(listener) => Arc::new(listener),
            Err(err) => {
                return Grade::new(recorder, vec![Term::ServerDidNotStart(err.to_string())]);
            }
        };
        let Some(addr) = listener.local_addr() else {
            return Grade::new(recorder, vec![Term::ServerDidNotStart(String::new())]);
        };
        let (done, stopped) = mpsc::channel();
        let serving = Arc::clone(&listener);
        std::thread::spawn(move || {
            serve(&serving);
            drop(serving);
            let _ = done.send(());
        });
        first(&recorder, addr);
        let replies = self.run_clients(&recorder, addr);
        // Wakes a blocked accept; its result is in the trace.
        let _ = listener.shutdown();
        let mut problems = Vec::new();
        if stopped.recv_timeout(PATIENCE).is_err() {
            problems.push(Term::ServerDidNotStop);
        }
        // The listener closes when the last handle goes (traced).
        drop(listener);
        Grade::new(recorder, problems).with_replies(replies)
    }

    /// Grades anything recorded: `run` makes its sockets through the
    /// recorder it is given (TCP or UDP, any number, any threads), then the
    /// harness waits for every socket to be closed and judges the trace.
    pub fn grade_run(self, run: impl FnOnce(&Recorder)) -> Grade {
        let recorder = Recorder::new();
        run(&recorder);
        Grade::new(recorder, Vec::new())
    }

    /// Runs the scripted clients against `addr`, together or in turn, and
    /// returns each one's replies.
    fn run_clients(&self, recorder: &Recorder, addr: SocketAddr) -> Vec<(String, Vec<String>)> {
        fn outcome(
            client: &Client,
            recorder: &Recorder,
            addr: SocketAddr,
        ) -> (String, Vec<String>) {
            let replies = client.run(recorder, addr).unwrap_or_default();
            (client.label.clone(), replies)
        }
        if !self.together {
            return self
                .clients
                .iter()
                .map(|c| outcome(c, recorder, addr))
                .collect();
        }
        let threads: Vec<_> = self
            .clients
            .iter()
            .cloned()
            .map(|client| {
                let recorder = recorder.clone();
                std::thread::spawn(move || outcome(&client, &recorder, addr))
            })
            .collect();
        threads
            .into_iter()
            .filter_map(|thread| thread.join().ok())
            .collect()
    }
}

/// What a grading run found: the recorded trace, the lifecycle checks'
/// findings, what the harness itself saw go wrong, and the scripted
/// clients' replies.
#[derive(Debug)]
pub struct Grade {
    recorder: Recorder,
    findings: Vec<Finding>,
    problems: Vec<Term>,
    replies: Vec<(String, Vec<String>)>,
}

impl Grade {
    /// Waits (at most [`PATIENCE`]) for every recorded socket to be closed,
    /// then judges the trace.
    fn new(recorder: Recorder, problems: Vec<Term>) -> Grade {
        let start = Instant::now();
        while !all_closed(&recorder.events()) && start.elapsed() < PATIENCE {
            std::thread::sleep(Duration::from_millis(1));
        }
        let findings = judge(&recorder.events());
        Grade {
            recorder,
            findings,
            problems,
            replies: Vec::new(),
        }
    }

    fn with_replies(mut self, replies: Vec<(String, Vec<String>)>) -> Grade {
        self.replies = replies;
        self
    }

    /// No system call: whether every check passed and the harness saw
    /// nothing go wrong.
    pub fn passed(&self) -> bool {
        self.findings.is_empty() && self.problems.is_empty()
    }

    /// No system call: the lifecycle checks' findings, in the order of
    /// [`super::Check::ALL`].
    pub fn findings(&self) -> &[Finding] {
        &self.findings
    }

    /// No system call: what the scripted client `label` received, one
    /// entry per reply.
    pub fn replies(&self, label: &str) -> Vec<String> {
        self.replies
            .iter()
            .find(|(client, _)| client == label)
            .map(|(_, replies)| replies.clone())
            .unwrap_or_default()
    }

    /// No system call: the recorder that holds the run's events.
    pub fn recorder(&self) -> &Recorder {
        &self.recorder
    }

    /// No system call: the canonical trace ([`Recorder::render_redacted`]),
    /// the same on every run of the same program: what a snapshot holds.
    pub fn canonical(&self, lang: Lang) -> String {
        self.recorder.render_redacted(lang)
    }

    /// No system call: the report for the student, in `lang`.
    pub fn report(&self, lang: Lang) -> String {
        report::text(
            &self.recorder.events(),
            &self.findings,
            &self.problems,
            lang,
        )
    }

    /// No system call: the results in Gradescope's `results.json` format,
    /// in `lang`: one test per check, worth one point each.
    pub fn gradescope(&self, lang: Lang) -> String {
        report::gradescope(&self.findings, &self.problems, &self.canonical(lang), lang)
    }
}

/// Whether every socket in `events` that was opened has been closed.
fn all_closed(events: &[Event]) -> bool {
    let mut open: Vec<&str> = Vec::new();
    for event in events {
        match &event.call {
            Call::Socket { .. } if event.returned().is_some() => open.push(&event.socket),
            Call::Accept {
                child: Some(child), ..
            } if event.returned().is_some() => open.push(child),
            Call::Close { .. } => {
                if let Some(at) = open.iter().position(|label| *label == &*event.socket) {
                    open.remove(at);
                }
            }
            _ => {}
        }
    }
    open.is_empty()
}
