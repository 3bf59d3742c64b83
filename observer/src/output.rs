//! Where the story goes: each event's trace line as it happens (standard
//! error, or `-o FILE`), its JSON line (`--json FILE`), and at the end the
//! canonical trace (`--redacted`), the sequence diagram and, with
//! `--check`, the lifecycle checks' report; the page (`--html FILE`) and
//! the pictures (`--svg DIR`). Everything is rendered by the
//! library from the events the recorder keeps, as for a Rust program.

use std::fs::File;
use std::io::{self, LineWriter, Write};
use std::path::{Path, PathBuf};

use nix::unistd::Pid;
use socket_lifecycle::diagram::{SequenceDiagram, page, pictures};
use socket_lifecycle::event::Event;
use socket_lifecycle::render::Look;
use socket_lifecycle::{Lang, Recorder};

/// The trace's destinations.
pub struct Output {
    lang: Lang,
    redacted: bool,
    trace: Box<dyn Write>,
    /// How trace lines look: short and coloured on a terminal, faithful in
    /// a file or a pipe.
    look: Look,
    json: Option<LineWriter<File>>,
    /// Where the page (`--html`) and the pictures (`--svg`) go, at the end.
    html: Option<PathBuf>,
    svg: Option<PathBuf>,
    recorder: Recorder,
}

/// `path` created for writing, or an error that names it.
fn create(path: &Path, what: &str) -> Result<LineWriter<File>, String> {
    File::create(path)
        .map(LineWriter::new)
        .map_err(|e| format!("cannot write the {what} to {}: {e}", path.display()))
}

impl Output {
    /// The destinations: `trace` (standard error when `None`), `json`,
    /// and at the end `html` and `svg` (a directory).
    pub fn open(
        lang: Lang,
        redacted: bool,
        trace: Option<&Path>,
        json: Option<&Path>,
        html: Option<&Path>,
        svg: Option<&Path>,
    ) -> Result<Output, String> {
        let (trace, look): (Box<dyn Write>, Look) = match trace {
            Some(path) => (Box::new(create(path, "trace")?), Look::default()),
            None => (Box::new(io::stderr()), Look::for_stderr()),
        };
        let json = json.map(|path| create(path, "JSON events")).transpose()?;
        Ok(Output {
            lang,
            redacted,
            trace,
            look,
            json,
            html: html.map(Path::to_path_buf),
            svg: svg.map(Path::to_path_buf),
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
            let _ = writeln!(self.trace, "{}", event.terminal_line(self.lang, &self.look));
        }
        let json = self.json.is_some().then(|| event.clone());
        let seq = self.recorder.record(event);
        if let (Some(out), Some(mut event)) = (self.json.as_mut(), json) {
            event.seq = seq;
            let pid = u32::try_from(pid.as_raw()).unwrap_or_default();
            let _ = writeln!(out, "{}", event.json_line(pid, self.lang));
        }
    }

    /// The end of the story: the canonical trace (when redacted) and the
    /// sequence diagram; the page and the pictures, when asked for (made by
    /// process `pid`, the program traced). A file that cannot be written
    /// is said on the trace.
    pub fn finish(&mut self, pid: u32) {
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
        let mut files = Vec::new();
        if let Some(path) = &self.html {
            files.push((path.clone(), page(&events, pid, self.lang)));
        }
        if let Some(dir) = &self.svg {
            if let Err(e) = std::fs::create_dir_all(dir) {
                let _ = writeln!(
                    self.trace,
                    "socket-lifecycle: cannot make {}: {e}",
                    dir.display()
                );
            }
            for (name, svg) in pictures(&events, self.lang) {
                files.push((dir.join(name), svg));
            }
        }
        for (path, text) in files {
            if let Err(e) = std::fs::write(&path, text) {
                let _ = writeln!(
                    self.trace,
                    "socket-lifecycle: cannot write {}: {e}",
                    path.display()
                );
            }
        }
        let _ = self.trace.flush();
    }

    /// Some more text at the end (the checks' report).
    pub fn say(&mut self, text: &str) {
        let _ = write!(self.trace, "\n{text}");
        let _ = self.trace.flush();
    }
}
