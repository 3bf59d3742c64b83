//! Where the story goes: each event's trace line as it happens (standard
//! error, or `-o FILE`), its JSON line (`--json FILE`), and at the end the
//! canonical trace (`--redacted`), the sequence diagram and, with
//! `--check`, the lifecycle checks' report. Everything is rendered by the
//! library from the events the recorder keeps, as for a Rust program.

use std::fs::File;
use std::io::{self, LineWriter, Write};
use std::path::Path;

use nix::unistd::Pid;
use socket_lifecycle::diagram::SequenceDiagram;
use socket_lifecycle::event::Event;
use socket_lifecycle::{Lang, Recorder};

use crate::json;

/// The trace's destinations.
pub struct Output {
    lang: Lang,
    redacted: bool,
    trace: Box<dyn Write>,
    json: Option<LineWriter<File>>,
    recorder: Recorder,
}

/// `path` created for writing, or an error that names it.
fn create(path: &Path, what: &str) -> Result<LineWriter<File>, String> {
    File::create(path)
        .map(LineWriter::new)
        .map_err(|e| format!("cannot write the {what} to {}: {e}", path.display()))
}

impl Output {
    /// The destinations: `trace` (standard error when `None`), `json`.
    pub fn open(
        lang: Lang,
        redacted: bool,
        trace: Option<&Path>,
        json: Option<&Path>,
    ) -> Result<Output, String> {
        let trace: Box<dyn Write> = match trace {
            Some(path) => Box::new(create(path, "trace")?),
            None => Box::new(io::stderr()),
        };
        let json = json.map(|path| create(path, "JSON events")).transpose()?;
        Ok(Output {
            lang,
            redacted,
            trace,
            json,
            recorder: Recorder::new(),
        })
    }

    /// From now on events are kept by `recorder` (the one a grading run
    /// judges).
    pub fn keep_in(&mut self, recorder: &Recorder) {
        self.recorder = recorder.clone();
    }

    /// One event, made by process `pid`: its line now (unless the trace is
    /// redacted, which is told whole at the end), its JSON line, and kept.
    pub fn event(&mut self, event: Event, pid: Pid) {
        if !self.redacted {
            let _ = writeln!(self.trace, "{}", event.line(self.lang));
        }
        let json = self.json.is_some().then(|| event.clone());
        let seq = self.recorder.record(event);
        if let (Some(out), Some(event)) = (self.json.as_mut(), json) {
            let _ = writeln!(out, "{}", json::line(&event, seq, pid.as_raw(), self.lang));
        }
    }

    /// The end of the story: the canonical trace (when redacted) and the
    /// sequence diagram.
    pub fn finish(&mut self) {
        let events = self.recorder.events();
        let diagram = if self.redacted {
            let _ = write!(self.trace, "{}", self.recorder.render_redacted(self.lang));
            SequenceDiagram::redacted(&events)
        } else {
            SequenceDiagram::new(&events)
        };
        if !events.is_empty() {
            let _ = write!(self.trace, "\n{}", diagram.text(self.lang));
        }
        let _ = self.trace.flush();
    }

    /// Some more text at the end (the checks' report).
    pub fn say(&mut self, text: &str) {
        let _ = write!(self.trace, "\n{text}");
        let _ = self.trace.flush();
    }
}
