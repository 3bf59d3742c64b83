//! The chapters in `docs/` hold to the code:
//!
//! - both languages have the same chapters (every relative link, to a file
//!   that exists and a heading in it, is `tests/links.rs`'s);
//! - every `cargo run --example NAME` a chapter cites is an example that a
//!   test runs;
//! - every excerpt of what the library prints is generated or checked:
//!   - a block marked `<!-- generated: NAME LANG -->` is exactly the
//!     rendering NAME ([`make_renderings`] says what each one is); run with
//!     `DOCS_UPDATE=1` to rewrite the blocks after a deliberate change, then
//!     read the diff;
//!   - a marker `<!-- checked: NAME LANG -->` after a stretch of prose
//!     checks its inline excerpts: every code span from the start of its
//!     paragraph, list item or table row (or from the previous marker) up
//!     to the marker, but for a link's text, occurs, character for
//!     character, in the rendering NAME. The marker ends a line of text (at
//!     the start of a line, Markdown would take it for a block of its own
//!     and cut the paragraph);
//!   - a fenced `text` or `mermaid` block that is not generated, or a code
//!     span that looks like trace output outside a checked stretch, fails;
//!   - a rendering that cannot be made here (strace's view of
//!     `examples/std_bind.rs` needs strace and the built example) is
//!     reported, and its block left as it is;
//! - the error guide names every errno the library hints at, and the
//!   TCP-versus-UDP table has at least ten rows.
//!
//! Every rendering is made once per test run, for real, on loopback, and
//! rendered in the library's deterministic form (`Recorder::render_redacted`,
//! `SequenceDiagram::redacted`, `render::redact_ports`), so that it reads the
//! same on every run.

use std::collections::{HashMap, VecDeque};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use socket_lifecycle::diagram::{SequenceDiagram, typestate_mermaid, typestate_text};
use socket_lifecycle::event::Transport;
use socket_lifecycle::grade::{Client, Harness};
use socket_lifecycle::render::redact_ports;
use socket_lifecycle::{Cause, Connection, Event, Lang, Listener, Recorder, Socket, TcpState};

mod assignments;
mod support;

use support::wait_state;

#[allow(dead_code)]
#[path = "../examples/lifecycle.rs"]
mod demo;

#[allow(dead_code)]
#[path = "../examples/pitfall_coalesced.rs"]
mod coalesced;

#[allow(dead_code)]
#[path = "../examples/pitfall_busy_loop.rs"]
mod busy_loop;

#[allow(dead_code)]
#[path = "../examples/pitfall_partial_send.rs"]
mod partial_send;

#[allow(dead_code)]
#[path = "../examples/pitfall_stale_readiness.rs"]
mod stale_readiness;

#[allow(dead_code)]
#[path = "../examples/pitfall_connect_so_error.rs"]
mod connect_so_error;

#[allow(dead_code)]
#[path = "../examples/threads_vs_poll.rs"]
mod threads_vs_poll;

#[allow(dead_code)]
#[path = "../examples/pitfall_edge_triggered.rs"]
mod edge_triggered;

#[allow(dead_code)]
#[path = "../examples/pitfall_utf8_split.rs"]
mod utf8_split;

#[allow(dead_code)]
#[path = "../examples/pitfall_backlog.rs"]
mod backlog;

#[allow(dead_code)]
#[path = "../examples/pitfall_time_wait.rs"]
mod time_wait;

#[allow(dead_code)]
#[path = "../examples/pitfall_broken_pipe.rs"]
mod broken_pipe;

#[allow(dead_code)]
#[path = "../examples/pitfall_recv_zero.rs"]
mod recv_zero;

#[allow(dead_code)]
#[path = "../examples/error_guide.rs"]
mod error_guide;

// The examples' own words (their summaries after the trace); each pitfall
// example above includes this module once more, privately.
#[allow(clippy::duplicate_mod)]
#[path = "../examples/words/mod.rs"]
mod words;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The pages of one language's book (its chapters, its first page, its
/// SUMMARY.md), sorted by file name.
fn pages(lang: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(root().join("docs").join(lang))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    files
}

/// The numbered chapters of one language (`01-…md`), sorted.
fn chapters(lang: &str) -> Vec<PathBuf> {
    pages(lang)
        .into_iter()
        .filter(|path| {
            path.file_name().is_some_and(|name| {
                name.to_string_lossy()
                    .starts_with(|c: char| c.is_ascii_digit())
            })
        })
        .collect()
}

fn all_docs() -> Vec<PathBuf> {
    let mut files = vec![root().join("docs/README.md")];
    files.extend(pages("en"));
    files.extend(pages("pt"));
    files
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn both_languages_have_the_same_chapters() {
    let numbers = |lang| -> Vec<String> {
        chapters(lang)
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy()[..2].to_string())
            .collect()
    };
    assert_eq!(numbers("en"), ["01", "02", "03", "04", "05", "06"]);
    assert_eq!(numbers("pt"), numbers("en"));
    // Each chapter links to its translation.
    for (en, pt) in chapters("en").iter().zip(chapters("pt")) {
        let pt_name = pt.file_name().unwrap().to_string_lossy().into_owned();
        let en_name = en.file_name().unwrap().to_string_lossy().into_owned();
        assert!(read(en).contains(&format!("../pt/{pt_name}")), "{en_name}");
        assert!(read(&pt).contains(&format!("../en/{en_name}")), "{pt_name}");
    }
}

/// The ways a test runs an example by name: its binary (`Proc::example`,
/// `run_example`, `example_path`, the chat servers' `start_server`, under
/// strace `traced`), or its code as a module (`#[path]`).
const RUNNERS: &[&str] = &[
    "example_path(\"{}\")",
    "Proc::example(\"{}\"",
    "Proc::example_env(\"{}\"",
    "run_example(\"{}\"",
    "start_server(\"{}\"",
    "traced(\"{}\"",
    "#[path = \"../examples/{}.rs\"]",
];

/// Whether the test sources `tests` run the example `name` — a call that
/// starts it, not any mention of its name (`"cliente"` is a label too).
fn runs_example(tests: &str, name: &str) -> bool {
    RUNNERS
        .iter()
        .any(|runner| tests.contains(&runner.replace("{}", name)))
}

#[test]
fn every_cited_example_is_run_by_a_test() {
    let tests: String = [root().join("tests"), root().join("tests").join("support")]
        .iter()
        .flat_map(|dir| fs::read_dir(dir).expect("tests/ and tests/support/ are readable"))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "rs"))
        .map(|path| read(&path))
        .collect();
    // A mention is not a run.
    assert!(!runs_example("let label = \"cliente\";", "cliente"));
    assert!(runs_example("Proc::example(\"cliente\", &[])", "cliente"));
    let mut cited = Vec::new();
    for doc in all_docs() {
        let text = read(&doc);
        for (at, _) in text.match_indices("--example ") {
            let name: String = text[at + 10..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            cited.push((doc.clone(), name));
        }
    }
    assert!(cited.len() >= 8, "{cited:?}");
    for (doc, name) in cited {
        assert!(
            root().join("examples").join(format!("{name}.rs")).exists(),
            "{} cites a missing example {name}",
            doc.display()
        );
        assert!(
            runs_example(&tests, &name),
            "{} cites {name}, which no test runs",
            doc.display()
        );
    }
}

// ---------------------------------------------------------------------------
// Renderings: what the chapters quote, made for real.

/// A rendering, or why it cannot be made on this machine.
type Rendered = Result<String, String>;

/// Every rendering in both languages, made once per test run. Made under
/// the lock of a `OnceLock`, so no other test of this file holds a socket
/// meanwhile (the only ones that open sockets wait for these).
fn renderings() -> &'static HashMap<(String, Lang), Rendered> {
    static ALL: OnceLock<HashMap<(String, Lang), Rendered>> = OnceLock::new();
    ALL.get_or_init(make_renderings)
}

/// The rendering `name` in `lang`; a name nobody makes is a mistake in the
/// chapter.
fn rendering(name: &str, lang: Lang) -> &'static Rendered {
    renderings()
        .get(&(name.to_string(), lang))
        .unwrap_or_else(|| panic!("no rendering named {name}"))
}

/// What each rendering is. Traces are the library's redacted rendering;
/// an excerpt keeps some of its entries (a line and its narration), in the
/// order they happened.
fn make_renderings() -> HashMap<(String, Lang), Rendered> {
    let mut out: HashMap<(String, Lang), Rendered> = HashMap::new();
    let mut put = |name: &str, lang: Lang, text: Rendered| {
        out.insert((name.to_string(), lang), text);
    };

    // First, while this process holds no socket: a spawned child inherits
    // every open descriptor until its exec, and would keep a socket's
    // connection alive past its close.
    let strace = std_bind_strace();

    // Chapter 5: the course's grading test, whole, and the report a
    // submission with two bugs gets.
    let course_test = include_str!("course_example.rs").to_string();
    let three_together = assignments::three_clients(Harness::new().together()).grade_server(
        assignments::reference::prepare,
        assignments::reference::serve,
    );
    let two_bugs_report = Harness::new()
        .client(Client::new("cliente").says("ola"))
        .grade_server(assignments::two_bugs::prepare, assignments::two_bugs::serve);

    // The demo, `cargo run --example lifecycle`.
    let demo = Recorder::new();
    demo::run(&demo).expect("the demo runs on loopback");
    let demo_events = demo.events();
    let first = |call: &str| {
        demo_events
            .iter()
            .find(|e| e.call.name() == call)
            .map(|e| e.seq)
    };
    let (first_send, first_recv) = (first("sendto"), first("recvfrom"));

    // Chapter 3's pitfalls, each example's `demonstrate`.
    let coalesced = Recorder::new();
    coalesced::demonstrate(&coalesced).expect("pitfall_coalesced");
    let split = utf8_split::demonstrate(&Recorder::new()).expect("pitfall_utf8_split");
    let burst = backlog::demonstrate(&Recorder::new()).expect("pitfall_backlog");
    let rounds = time_wait::demonstrate(&Recorder::new()).expect("pitfall_time_wait");
    let broken = Recorder::new();
    broken_pipe::demonstrate(&broken).expect("pitfall_broken_pipe");
    let zero = Recorder::new();
    recv_zero::demonstrate(&zero).expect("pitfall_recv_zero");
    let endings = recv_zero_endings();
    let closes = close_outcomes();

    // Chapter 3's second part and chapter 6: non-blocking sockets and poll.
    let busy = Recorder::with_capacity(1 << 20);
    busy_loop::demonstrate(&busy).expect("pitfall_busy_loop");
    let partial = Recorder::new();
    partial_send::demonstrate(&partial).expect("pitfall_partial_send");
    let stale = Recorder::new();
    stale_readiness::demonstrate(&stale).expect("pitfall_stale_readiness");
    let so_error = Recorder::new();
    connect_so_error::demonstrate(&so_error).expect("pitfall_connect_so_error");
    let threads = Recorder::new();
    threads_vs_poll::with_threads(&threads).expect("threads_vs_poll, threads");
    let polled = Recorder::new();
    threads_vs_poll::with_poll(&polled).expect("threads_vs_poll, poll");
    #[cfg(any(target_os = "linux", target_os = "android"))]
    let triggered = {
        let recorder = Recorder::new();
        edge_triggered::demonstrate(&recorder).expect("pitfall_edge_triggered");
        recorder
    };

    // Chapter 4: the error guide's failures.
    let guide = Recorder::new();
    let cases = error_guide::demonstrate(&guide).expect("error_guide");
    let refused = &cases
        .iter()
        .find(|c| c.error.errno_name() == Some("ECONNREFUSED"))
        .expect("the guide's refused connect")
        .error;

    let named = |event: &Event, calls: &[&str]| calls.contains(&event.call.name());
    for lang in Lang::ALL {
        put("std-bind-strace", lang, strace.clone());

        let diagram = SequenceDiagram::redacted(&demo_events);
        put("demo-sequence-text", lang, Ok(diagram.text(lang)));
        put("demo-sequence-mermaid", lang, Ok(diagram.mermaid(lang)));
        put("demo-trace", lang, Ok(demo.render_redacted(lang)));
        put(
            "demo-trace-preparation",
            lang,
            Ok(excerpt(&demo, lang, |e| {
                named(e, &["socket", "setsockopt", "bind", "listen"])
            })),
        );
        put(
            "demo-trace-communication",
            lang,
            Ok(excerpt(&demo, lang, |e| {
                named(e, &["connect", "accept4"])
                    || Some(e.seq) == first_send
                    || Some(e.seq) == first_recv
            })),
        );
        put(
            "demo-trace-close",
            lang,
            Ok(excerpt(&demo, lang, |e| {
                named(e, &["close", "kernel lookup"])
                    || (named(e, &["recvfrom"]) && e.returned() == Some(0))
            })),
        );
        put(
            "typestate-mermaid",
            lang,
            Ok(typestate_mermaid(Transport::Tcp, lang)),
        );
        put(
            "typestate-text",
            lang,
            Ok(typestate_text(Transport::Tcp, lang)),
        );

        put(
            "pitfall-coalesced-trace",
            lang,
            Ok(excerpt(&coalesced, lang, |e| {
                named(e, &["sendto", "recvfrom"])
            })),
        );
        put(
            "pitfall-utf8-split-summary",
            lang,
            Ok(utf8_split_summary(&split, lang)),
        );
        put(
            "pitfall-backlog-summary",
            lang,
            Ok(backlog_summary(&burst, lang)),
        );
        put(
            "pitfall-time-wait-summary",
            lang,
            Ok(time_wait_summary(&rounds, lang)),
        );
        put(
            "pitfall-broken-pipe-trace",
            lang,
            Ok(excerpt(&broken, lang, |e| {
                &*e.socket == "cliente" && named(e, &["sendto", "close"])
            })),
        );
        put(
            "pitfall-recv-zero-end",
            lang,
            Ok(excerpt(&zero, lang, |e| {
                &*e.socket == "servidor#1" && named(e, &["recvfrom"])
            })),
        );
        put(
            "pitfall-recv-zero-empty-send",
            lang,
            Ok(excerpt(&zero, lang, |e| {
                (&*e.socket == "cliente-vazio" && named(e, &["sendto"]))
                    || (&*e.socket == "servidor#2" && named(e, &["recvfrom"]))
            })),
        );
        put("recv-zero-endings", lang, Ok(cases_text(&endings, lang)));
        put(
            "pitfall-busy-loop-trace",
            lang,
            Ok(sections(&busy, lang, &["poll", "servidor#cliente"])),
        );
        put(
            "pitfall-partial-send-trace",
            lang,
            Ok(excerpt(&partial, lang, |e| {
                named(e, &["fcntl", "sendto", "close"])
            })),
        );
        put(
            "pitfall-stale-readiness-trace",
            lang,
            Ok(excerpt(&stale, lang, |e| named(e, &["poll", "recvfrom"]))),
        );
        put(
            "pitfall-connect-so-error-trace",
            lang,
            Ok(excerpt(&so_error, lang, |e| {
                &*e.socket == "cliente" && named(e, &["connect", "poll", "getsockopt"])
            })),
        );
        #[cfg(any(target_os = "linux", target_os = "android"))]
        put(
            "pitfall-edge-triggered-trace",
            lang,
            Ok(excerpt(&triggered, lang, |e| {
                ["epoll-borda", "servidor#2"].contains(&&*e.socket)
                    && named(e, &["epoll_ctl", "epoll_wait", "recvfrom"])
            })),
        );
        put(
            "threads-conversation",
            lang,
            Ok(sections(
                &threads,
                lang,
                &["servidor", "servidor#cliente-ana"],
            )),
        );
        put(
            "poll-conversation",
            lang,
            Ok(excerpt(&polled, lang, |e| {
                (&*e.socket == "poll" || e.socket.starts_with("servidor"))
                    && !named(e, &["socket", "bind", "listen"])
            })),
        );
        put("grade-report", lang, Ok(two_bugs_report.report(lang)));
        put("grade-canonical", lang, Ok(three_together.canonical(lang)));
        put("course-test", lang, Ok(course_test.clone()));
        put("close-outcomes", lang, Ok(cases_text(&closes, lang)));

        put(
            "error-message",
            lang,
            Ok(redact_ports(&refused.message(lang)) + "\n"),
        );
        put(
            "error-trace-line",
            lang,
            Ok(excerpt(&guide, lang, |e| {
                named(e, &["connect"]) && e.returned().is_none()
            })),
        );
    }
    out
}

/// Each event of `recorder` with its entry in the redacted rendering (the
/// trace line and, indented below it, the narration), in the order the
/// events happened. The redacted rendering groups events per socket, each
/// socket's in their order; this puts them back in the order of all.
fn redacted_entries(recorder: &Recorder, lang: Lang) -> Vec<(Event, String)> {
    let text = recorder.render_redacted(lang);
    let mut per_socket: HashMap<&str, VecDeque<String>> = HashMap::new();
    let mut label = "";
    for line in text.lines() {
        if let Some(socket) = line.strip_prefix("── ") {
            label = socket;
            continue;
        }
        let entries = per_socket.entry(label).or_default();
        match entries.back_mut() {
            Some(entry) if line.starts_with("    ") => {
                entry.push('\n');
                entry.push_str(line);
            }
            _ => entries.push_back(line.to_string()),
        }
    }
    recorder
        .events()
        .into_iter()
        .map(|event| {
            let shown = recorder.canonical_label(&event.socket);
            let entry = per_socket
                .get_mut(shown.as_str())
                .and_then(VecDeque::pop_front)
                .expect("every event has its entry in the redacted rendering");
            assert!(entry.starts_with(&format!("[{shown}] ")), "{entry}");
            (event, entry)
        })
        .collect()
}

/// The sections of the redacted rendering for the sockets `labels` (as
/// the rendering shows them), whole — for a trace whose canonical form
/// shows fewer lines than there were events (a run of EAGAINs), or whose
/// sockets' steps interleave by the scheduler's choice (threads).
fn sections(recorder: &Recorder, lang: Lang, labels: &[&str]) -> String {
    let mut out = String::new();
    let mut keep = false;
    for line in recorder.render_redacted(lang).lines() {
        if let Some(label) = line.strip_prefix("── ") {
            keep = labels.contains(&label);
            continue;
        }
        if keep {
            out.push_str(line);
            out.push('\n');
        }
    }
    assert!(!out.is_empty(), "no section named {labels:?}");
    out
}

/// The entries of the events `keep` chooses, in the order they happened.
fn excerpt(recorder: &Recorder, lang: Lang, keep: impl Fn(&Event) -> bool) -> String {
    let mut out = String::new();
    for (event, entry) in redacted_entries(recorder, lang) {
        if keep(&event) {
            out.push_str(&entry);
            out.push('\n');
        }
    }
    assert!(!out.is_empty(), "an excerpt that keeps nothing");
    out
}

/// Cases side by side, a blank line between them: each case's recorder and
/// the calls it shows.
fn cases_text(cases: &[(Recorder, Vec<u64>)], lang: Lang) -> String {
    cases
        .iter()
        .map(|(recorder, seqs)| excerpt(recorder, lang, |e| seqs.contains(&e.seq)))
        .collect::<Vec<_>>()
        .join("\n")
}

/// What `strace -e trace=socket,setsockopt,bind,listen` sees of
/// `examples/std_bind.rs` (`TcpListener::bind`), with strace's padding
/// before `= result` taken out. Not available without strace, or when the
/// example is not built (a filtered `cargo test --test docs`).
fn std_bind_strace() -> Rendered {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let example = exe
        .parent()
        .and_then(Path::parent)
        .map(|profile| profile.join("examples").join("std_bind"))
        .filter(|path| path.exists())
        .ok_or("examples/std_bind is not built (cargo build --examples)")?;
    let log = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("docs-std_bind.{}.strace", std::process::id()));
    let output = Command::new("strace")
        .args(["-e", "trace=socket,setsockopt,bind,listen", "-o"])
        .arg(&log)
        .arg(&example)
        .env("SOCKET_LIFECYCLE_LANG", "en")
        .output()
        .map_err(|e| format!("no strace here ({e})"))?;
    let text = fs::read_to_string(&log);
    let _ = fs::remove_file(&log);
    if !output.status.success() {
        return Err(format!("strace failed here: {}", output.status));
    }
    let mut out = String::new();
    for line in text.map_err(|e| e.to_string())?.lines() {
        if line.starts_with("+++") || line.starts_with("---") {
            continue;
        }
        let (call, result) = line.rsplit_once(" = ").unwrap_or((line, "?"));
        out.push_str(&format!("{} = {result}\n", call.trim_end()));
    }
    Ok(out)
}

/// `pitfall_utf8_split`'s summary: each chunk and the joined bytes, as its
/// `main` prints them.
fn utf8_split_summary(split: &utf8_split::Findings, lang: Lang) -> String {
    let last_chars = |text: &str| -> String {
        let count = text.chars().count();
        text.chars().skip(count.saturating_sub(6)).collect()
    };
    let mut lines = Vec::new();
    for (i, (chunk, decoded)) in split
        .chunks
        .iter()
        .zip(split.decoded_one_by_one())
        .enumerate()
    {
        lines.push(words::text_in(
            lang,
            &words::Say::SplitChunk {
                number: i + 1,
                bytes: chunk.len(),
                tail: last_chars(&String::from_utf8_lossy(chunk)),
                error: decoded.err().map(|err| err.to_string()),
            },
        ));
    }
    let joined = split.decoded_joined().expect("the joined bytes are UTF-8");
    let tail = last_chars(&joined);
    lines.push(words::text_in(lang, &words::Say::SplitJoined { tail }));
    lines.join("\n") + "\n"
}

/// `pitfall_backlog`'s summary as its `main` prints it, but for the line of
/// the system-wide `ListenOverflows` counter, whose numbers are the whole
/// machine's.
fn backlog_summary(f: &backlog::Findings, lang: Lang) -> String {
    let say = |say: &words::Say| words::text_in(lang, say);
    let (backlog, attempts) = (backlog::BACKLOG, backlog::ATTEMPTS);
    let mut lines = vec![
        say(&words::Say::BacklogBurst { backlog, attempts }),
        format!(
            "  ESTABLISHED: {} ({})",
            f.established,
            say(&words::Say::InAcceptQueue)
        ),
        format!(
            "  SYN_SENT:    {} ({})",
            f.waiting,
            say(&words::Say::SynDropped)
        ),
    ];
    if let (Some(waiting), Some(limit)) = f.accept_queue {
        lines.push(format!(
            "  {}",
            say(&words::Say::ServerAcceptQueue { waiting, limit })
        ));
    }
    lines.join("\n") + "\n"
}

/// `pitfall_time_wait`'s summary: one line per round.
fn time_wait_summary(rounds: &[time_wait::Round], lang: Lang) -> String {
    rounds
        .iter()
        .map(|r| {
            let round = words::Say::TimeWaitRound {
                old_reuse: r.old_reuse,
                new_reuse: r.new_reuse,
                left_behind: r.left_behind,
                rebind: r.rebind.clone(),
            };
            words::text_in(lang, &round) + "\n"
        })
        .collect()
}

/// A listener, a client connected to it and the accepted connection, all
/// recorded.
fn connected(recorder: &Recorder) -> (Listener, Connection, Connection) {
    let listener = Socket::tcp_v4(recorder.tracer("servidor"))
        .and_then(|s| s.bind(([127, 0, 0, 1], 0).into()))
        .and_then(|s| s.listen(5))
        .expect("a listener on loopback");
    let server = listener.local_addr().expect("the listener's address");
    let client = Socket::tcp_v4(recorder.tracer("cliente"))
        .and_then(|s| s.connect(server))
        .expect("a connection on loopback");
    let (accepted, _) = listener.accept().expect("the accepted connection");
    (listener, client, accepted)
}

/// The seq numbers of the events of `recorder` that `keep` chooses.
fn seqs(recorder: &Recorder, keep: impl Fn(&Event) -> bool) -> Vec<u64> {
    recorder
        .events()
        .iter()
        .filter(|e| keep(e))
        .map(|e| e.seq)
        .collect()
}

/// Three ways a `recv` returns 0, each with the call that decided it: the
/// peer's FIN; this side's own `shutdown(SHUT_RD)`; a connection that a
/// reset (RST) ended.
fn recv_zero_endings() -> Vec<(Recorder, Vec<u64>)> {
    let mut cases = Vec::new();
    let buf = &mut [0u8; 16];

    let recorder = Recorder::new();
    let (_listener, client, accepted) = connected(&recorder);
    accepted.close().expect("close");
    assert_eq!(client.recv(buf).expect("recv"), 0);
    let shown = seqs(&recorder, |e| {
        (&*e.socket == "servidor#1" && e.call.name() == "close")
            || (&*e.socket == "cliente" && e.call.name() == "recvfrom")
    });
    cases.push((recorder, shown));

    let recorder = Recorder::new();
    let (_listener, client, _accepted) = connected(&recorder);
    client.shutdown(std::net::Shutdown::Read).expect("shutdown");
    assert_eq!(client.recv(buf).expect("recv"), 0);
    let shown = seqs(&recorder, |e| {
        &*e.socket == "cliente" && ["shutdown", "recvfrom"].contains(&e.call.name())
    });
    cases.push((recorder, shown));

    // The server closes; the client, not knowing, sends: the server's
    // kernel answers with RST.
    let recorder = Recorder::new();
    let (_listener, client, accepted) = connected(&recorder);
    accepted.close().expect("close");
    wait_state(&client, TcpState::CloseWait);
    client.send(b"ainda ai?").expect("send");
    wait_state(&client, TcpState::Close);
    assert_eq!(client.recv(buf).expect("recv"), 0);
    let shown = seqs(&recorder, |e| {
        &*e.socket == "cliente" && ["sendto", "recvfrom"].contains(&e.call.name())
    });
    cases.push((recorder, shown));
    cases
}

/// What a `close` of a connection can tell: its FIN leaves first; its FIN
/// answers the peer's; unread bytes turn it into a reset (RST); another
/// descriptor still holds the socket, and nothing leaves.
fn close_outcomes() -> Vec<(Recorder, Vec<u64>)> {
    let mut cases = Vec::new();
    let closes = |recorder: &Recorder| {
        seqs(recorder, |e| {
            e.call.name() == "close" && &*e.socket != "servidor"
        })
    };

    let recorder = Recorder::new();
    let (_listener, client, accepted) = connected(&recorder);
    accepted.close().expect("close");
    assert_eq!(client.recv(&mut [0u8; 16]).expect("recv"), 0);
    client.close().expect("close");
    let shown = closes(&recorder);
    cases.push((recorder, shown));

    let recorder = Recorder::new();
    let (_listener, client, accepted) = connected(&recorder);
    client.send_all(b"abcdef").expect("send");
    // Two bytes read: the other four wait in the receive buffer, unread.
    assert_eq!(accepted.recv(&mut [0u8; 2]).expect("recv"), 2);
    accepted.close().expect("close");
    let shown = seqs(&recorder, |e| {
        &*e.socket == "servidor#1" && e.call.name() == "close"
    });
    drop(client);
    cases.push((recorder, shown));

    let recorder = Recorder::new();
    let (_listener, client, accepted) = connected(&recorder);
    let holder = support::duplicate(&accepted);
    accepted.close().expect("close");
    let shown = seqs(&recorder, |e| {
        &*e.socket == "servidor#1" && e.call.name() == "close"
    });
    drop(holder);
    wait_state(&client, TcpState::CloseWait);
    drop(client);
    cases.push((recorder, shown));
    cases
}

// ---------------------------------------------------------------------------
// Generated blocks and checked excerpts.

#[test]
fn generated_blocks_match_the_code() {
    let update = std::env::var("DOCS_UPDATE").is_ok_and(|v| v == "1");
    let mut checked = 0;
    for doc in all_docs() {
        let text = read(&doc);
        let mut out = String::new();
        let mut rest = text.as_str();
        while let Some(at) = rest.find("<!-- generated: ") {
            let (before, from_marker) = rest.split_at(at);
            out.push_str(before);
            let marker_end = from_marker.find("-->").unwrap() + 3;
            let marker = &from_marker[..marker_end];
            let mut words = marker["<!-- generated: ".len()..marker.len() - 3].split_whitespace();
            let (name, lang) = (words.next().unwrap(), words.next().unwrap());
            let lang: Lang = lang.parse().unwrap();
            let after_marker = &from_marker[marker_end..];
            // The marker, a newline, then a fenced block.
            let fence_start = after_marker.find("```").unwrap();
            assert_eq!(
                after_marker[..fence_start].trim(),
                "",
                "{}: {marker} is not followed by a block",
                doc.display()
            );
            let info_end = fence_start + after_marker[fence_start..].find('\n').unwrap() + 1;
            let close = info_end + after_marker[info_end..].find("```\n").unwrap();
            let body = &after_marker[info_end..close];
            match rendering(name, lang) {
                Ok(expected) if update => {
                    out.push_str(marker);
                    out.push_str(&after_marker[..info_end]);
                    out.push_str(expected);
                }
                Ok(expected) => {
                    assert_eq!(
                        body,
                        expected,
                        "{}: block {name} {} is stale (DOCS_UPDATE=1 rewrites it)",
                        doc.display(),
                        lang.code()
                    );
                    out.push_str(&from_marker[..marker_end + close]);
                }
                Err(why) => {
                    eprintln!("{}: block {name} not checked: {why}", doc.display());
                    out.push_str(&from_marker[..marker_end + close]);
                }
            }
            checked += 1;
            rest = &after_marker[close..];
        }
        out.push_str(rest);
        if update && out != text {
            fs::write(&doc, out).unwrap();
        }
    }
    assert!(checked >= 38, "only {checked} generated blocks");
}

/// `text` with every fenced block's lines blanked, byte for byte, so that
/// offsets still match: what is left is prose, tables and markers.
fn prose(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut fenced = false;
    for line in text.split_inclusive('\n') {
        let fence = line.trim_start().starts_with("```");
        if fenced || fence {
            for c in line.chars() {
                match c {
                    '\n' => out.push('\n'),
                    c => out.push_str(&" ".repeat(c.len_utf8())),
                }
            }
        } else {
            out.push_str(line);
        }
        if fence {
            fenced = !fenced;
        }
    }
    out
}

/// The code spans of `text` from `start` to `end`: (offset, content), the
/// content's line breaks read as spaces, as Markdown reads them. A span
/// that is a link's text (`` [`path`](…) ``) is not an excerpt.
fn code_spans(text: &str, start: usize, end: usize) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut at = start;
    while let Some(open) = text[at..end].find('`').map(|i| at + i) {
        let Some(close) = text[open + 1..end].find('`').map(|i| open + 1 + i) else {
            break;
        };
        let link_text = text[..open].ends_with('[') && text[close + 1..].starts_with("](");
        if !link_text {
            let content = text[open + 1..close]
                .split('\n')
                .map(str::trim_start)
                .collect::<Vec<_>>()
                .join(" ");
            out.push((open, content));
        }
        at = close + 1;
    }
    out
}

/// Where the paragraph, list item or table row holding `at` starts.
fn stretch_start(text: &str, at: usize) -> usize {
    let mut line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    loop {
        let line = text[line_start..].lines().next().unwrap_or("").trim_start();
        let opens_item = line.starts_with("- ") || line.starts_with('|') || line.starts_with('#');
        if opens_item || line_start == 0 {
            return line_start;
        }
        let previous = text[..line_start - 1].rfind('\n').map_or(0, |i| i + 1);
        if text[previous..line_start].trim().is_empty() {
            return line_start;
        }
        line_start = previous;
    }
}

/// The `<!-- checked: NAME LANG -->` markers of `text` (fences blanked):
/// the stretch each checks, its rendering's name and language.
fn checked_stretches(text: &str) -> Vec<(usize, usize, String, Lang)> {
    let mut out: Vec<(usize, usize, String, Lang)> = Vec::new();
    for (at, _) in text.match_indices("<!-- checked: ") {
        let end = at + text[at..].find("-->").expect("a marker ends with -->");
        let mut words = text[at + "<!-- checked: ".len()..end].split_whitespace();
        let name = words.next().expect("a rendering's name").to_string();
        let lang: Lang = words.next().expect("a language").parse().unwrap();
        let mut start = stretch_start(text, at);
        if let Some(previous) = out.last() {
            let previous_marker_end = previous.1 + text[previous.1..].find("-->").unwrap() + 3;
            start = start.max(previous_marker_end);
        }
        out.push((start, at, name, lang));
    }
    out
}

#[test]
fn checked_excerpts_occur_in_what_the_code_renders() {
    let mut excerpts = 0;
    for doc in all_docs() {
        let text = prose(&read(&doc));
        for (start, end, name, lang) in checked_stretches(&text) {
            let spans = code_spans(&text, start, end);
            assert!(
                !spans.is_empty(),
                "{}: a {name} marker with no excerpt before it",
                doc.display()
            );
            let rendered = match rendering(&name, lang) {
                Ok(rendered) => rendered,
                Err(why) => {
                    eprintln!("{}: excerpts of {name} not checked: {why}", doc.display());
                    continue;
                }
            };
            for (_, span) in spans {
                assert!(
                    rendered.contains(&span),
                    "{}: `{span}` is not in what {name} {} renders now:\n{rendered}",
                    doc.display(),
                    lang.code()
                );
                excerpts += 1;
            }
        }
    }
    assert!(excerpts >= 20, "only {excerpts} checked excerpts");
}

/// A code span that quotes the trace: a redacted value, a kernel bracket,
/// a call with its result, a state pair of the redacted form.
fn looks_like_trace(span: &str) -> bool {
    let bracket = span.starts_with('[')
        && span.ends_with(']')
        && span[1..].starts_with(|c: char| c.is_ascii_uppercase());
    bracket
        || [
            "<fd ",
            "<port ",
            "[kernel",
            "FIN_WAIT1/2",
            "LAST_ACK/",
            ") = ",
            "→",
        ]
        .iter()
        .any(|mark| span.contains(mark))
}

#[test]
fn no_excerpt_of_the_trace_is_left_unchecked() {
    for doc in all_docs() {
        let original = read(&doc);
        // Fenced blocks of output are generated.
        let mut previous = "";
        for line in original.lines() {
            let fence = line.trim_start();
            if fence == "```text" || fence == "```mermaid" {
                assert!(
                    previous.starts_with("<!-- generated: "),
                    "{}: a {fence} block that is not generated",
                    doc.display()
                );
            }
            if !line.trim().is_empty() {
                previous = line;
            }
        }
        // Inline excerpts of the trace are checked.
        let text = prose(&original);
        let stretches = checked_stretches(&text);
        for (at, span) in code_spans(&text, 0, text.len()) {
            let checked = stretches.iter().any(|(s, e, _, _)| (*s..*e).contains(&at));
            assert!(
                checked || !looks_like_trace(&span),
                "{}: `{span}` quotes the trace but no <!-- checked: … --> marker checks it",
                doc.display()
            );
        }
    }
}

#[test]
fn the_error_guide_names_every_errno_the_library_hints_at() {
    for lang in ["en", "pt"] {
        let guide = chapters(lang)
            .into_iter()
            .find(|p| p.file_name().unwrap().to_string_lossy().starts_with("04"))
            .unwrap();
        let text = read(&guide);
        for cause in Cause::ALL {
            for errno in cause.errnos() {
                let name = errno.name();
                assert!(text.contains(name), "{}: {name}", guide.display());
            }
            assert!(
                text.contains(&format!("{cause:?}")),
                "{}: {cause:?}",
                guide.display()
            );
        }
    }
}

#[test]
fn the_tcp_versus_udp_table_has_at_least_ten_rows() {
    for lang in ["en", "pt"] {
        let chapter = chapters(lang)
            .into_iter()
            .find(|p| p.file_name().unwrap().to_string_lossy().starts_with("02"))
            .unwrap();
        let text = read(&chapter);
        let rows = text
            .lines()
            .skip_while(|l| !l.starts_with("| "))
            .take_while(|l| l.starts_with('|'))
            .filter(|l| !l.starts_with("|---"))
            .count();
        // The header plus at least ten rows.
        assert!(rows > 10, "{}: {rows} rows", chapter.display());
    }
}
