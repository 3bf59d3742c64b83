//! What an example writes besides its trace, from its command line:
//! `--json FILE` (the events as JSON Lines), `--html FILE` (one page to step
//! through them), `--svg DIR` (the sequence and typestate diagrams as SVG
//! files), and `--color WHEN` (`always`, `never`, `auto`) for the
//! terminal's trace. An example includes it with `mod look;`.

// Each example uses the part it needs.
#![allow(dead_code)]

use std::path::PathBuf;

use socket_lifecycle::diagram::{page, pictures};
use socket_lifecycle::render::Look;
use socket_lifecycle::{Lang, Recorder};

/// For an example whose only arguments are these flags: the trace of
/// `recorder` on standard output as its terminal shows it (short and
/// coloured on a terminal; piped, the calls as strace prints them) —
/// canonical when `redacted` — then the files asked for.
pub fn show(recorder: &Recorder, lang: Lang, redacted: bool) -> Result<(), String> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let files = Files::take(&mut args)?;
    if let Some(other) = args.first() {
        return Err(format!(
            "{other}: the options are --json FILE, --html FILE, --svg DIR and --color WHEN"
        ));
    }
    let look = Look::for_stdout();
    if redacted {
        print!("{}", recorder.render_redacted_as(lang, &look));
    } else {
        print!("{}", recorder.render_terminal(lang, &look));
    }
    files.write(recorder, lang)
}

/// The files asked for.
#[derive(Debug, Default)]
pub struct Files {
    json: Option<PathBuf>,
    html: Option<PathBuf>,
    svg: Option<PathBuf>,
}

impl Files {
    /// Takes `--json FILE`, `--html FILE`, `--svg DIR` and `--color WHEN`
    /// out of `args` (each also as `--flag=VALUE`), leaving the rest; a
    /// flag without its value, or a colour choice that is not one, is an
    /// error that says so.
    pub fn take(args_out: &mut Vec<String>) -> Result<Files, String> {
        let mut files = Files::default();
        let mut rest = Vec::new();
        let mut args = std::mem::take(args_out).into_iter();
        while let Some(arg) = args.next() {
            let (flag, inline) = match arg.split_once('=') {
                Some((flag, value)) => (flag.to_string(), Some(value.to_string())),
                None => (arg.clone(), None),
            };
            if !["--json", "--html", "--svg", "--color"].contains(&flag.as_str()) {
                rest.push(arg);
                continue;
            }
            let value = inline
                .or_else(|| args.next())
                .ok_or_else(|| format!("{flag} needs a value"))?;
            match flag.as_str() {
                "--json" => files.json = Some(value.into()),
                "--html" => files.html = Some(value.into()),
                "--svg" => files.svg = Some(value.into()),
                _ => Look::choose(&value)?,
            }
        }
        *args_out = rest;
        Ok(files)
    }

    /// Writes the files asked for from `recorder`'s events, the words in
    /// `lang`; an error names the file it could not write.
    pub fn write(&self, recorder: &Recorder, lang: Lang) -> Result<(), String> {
        let events = recorder.events();
        let save = |path: &PathBuf, text: String| {
            std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
        };
        if let Some(path) = &self.json {
            save(path, recorder.json_lines(lang))?;
        }
        if let Some(path) = &self.html {
            save(path, page(&events, std::process::id(), lang))?;
        }
        if let Some(dir) = &self.svg {
            std::fs::create_dir_all(dir)
                .map_err(|e| format!("cannot make {}: {e}", dir.display()))?;
            for (name, svg) in pictures(&events, lang) {
                save(&dir.join(name), svg)?;
            }
        }
        Ok(())
    }
}
