//! The command line: `socket-lifecycle trace [OPTIONS] -- PROGRAM [ARGS…]`.

use std::ffi::OsString;
use std::path::PathBuf;

use socket_lifecycle::Lang;

/// What `socket-lifecycle --help` prints.
pub const USAGE: &str = "\
socket-lifecycle trace [--lang pt|en] [--redacted] [--json FILE] [--check] [-o FILE] [--color WHEN] [--html FILE] [--svg DIR] -- PROGRAM [ARGS…]

Runs PROGRAM (Python, C, Java… any program) and tells the life of every
socket it makes, call by call: the call as strace prints it with its real
result, the socket's state before → after, the kernel's TCP state, and a
narration; then a sequence diagram. Linux only (x86_64).

Options:
  --lang pt|en   the narration's language (default: SOCKET_LIFECYCLE_LANG, else LANG)
  --redacted     print, at the end, the canonical trace (the same on every run:
                 descriptors and ephemeral ports named, not numbered) instead of
                 the lines as they happen
  --json FILE    also write every event to FILE as JSON Lines (schema version 1)
  --html FILE    at the end, write one page to step through the trace (open it in a
                 browser, offline: everything is inside)
  --svg DIR      at the end, write the sequence and typestate diagrams as SVG files
  --check        judge the trace by the lifecycle checks; a failed check makes the
                 exit status non-zero and the report says why
  -o FILE        write the trace to FILE instead of standard error
  --color WHEN   always, never or auto (the default: colour on a terminal, unless
                 NO_COLOR or CLICOLOR=0 is set; CLICOLOR_FORCE=1 colours a pipe)
  -h, --help     this text
  -V, --version  the version

The program's own input and output pass through untouched; the exit status
is the program's.

Example:
  socket-lifecycle trace -- python3 tests/fixtures/servidor.py 127.0.0.1 8888
";

/// A parsed command line.
#[derive(Debug)]
pub enum Command {
    Trace(Options),
    Help,
    Version,
}

/// The options of `trace`. Only the tracer reads them all, and it is
/// Linux's alone: elsewhere `trace` names the program and refuses.
#[derive(Debug)]
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
pub struct Options {
    pub lang: Lang,
    pub redacted: bool,
    pub json: Option<PathBuf>,
    pub html: Option<PathBuf>,
    pub svg: Option<PathBuf>,
    pub check: bool,
    pub output: Option<PathBuf>,
    pub program: OsString,
    pub args: Vec<OsString>,
}

/// Parses `args` (without the program's own name). An error says what is
/// wrong and how to write it.
pub fn parse(args: impl IntoIterator<Item = OsString>) -> Result<Command, String> {
    use lexopt::prelude::*;

    let mut parser = lexopt::Parser::from_args(args);
    match parser.next().map_err(|e| e.to_string())? {
        Some(Value(sub)) if sub == "trace" => {}
        Some(Long("help") | Short('h')) => return Ok(Command::Help),
        Some(Long("version") | Short('V')) => return Ok(Command::Version),
        Some(Value(other)) => {
            return Err(format!(
                "unknown command {:?}: the command is `trace`, as in `socket-lifecycle trace -- python3 servidor.py`",
                other.to_string_lossy()
            ));
        }
        Some(other) => {
            return Err(format!(
                "{}: the command `trace` comes first",
                other.unexpected()
            ));
        }
        None => return Err("no command: `socket-lifecycle trace -- PROGRAM [ARGS…]`".to_string()),
    }
    let mut lang = None;
    let mut redacted = false;
    let mut json = None;
    let mut html = None;
    let mut svg = None;
    let mut check = false;
    let mut output = None;
    let mut program = None;
    while let Some(arg) = parser.next().map_err(|e| e.to_string())? {
        match arg {
            Long("lang") => {
                let value = parser.value().map_err(|e| e.to_string())?;
                let code = value.to_string_lossy();
                lang = Some(
                    Lang::ALL
                        .into_iter()
                        .find(|l| l.code() == code)
                        .ok_or_else(|| format!("--lang {code}: the languages are pt and en"))?,
                );
            }
            Long("redacted") => redacted = true,
            Long("json") => json = Some(PathBuf::from(parser.value().map_err(|e| e.to_string())?)),
            Long("html") => html = Some(PathBuf::from(parser.value().map_err(|e| e.to_string())?)),
            Long("svg") => svg = Some(PathBuf::from(parser.value().map_err(|e| e.to_string())?)),
            Long("check") => check = true,
            Long("color") => {
                let when = parser.value().map_err(|e| e.to_string())?;
                socket_lifecycle::render::Look::choose(&when.to_string_lossy())?;
            }
            Short('o') | Long("output") => {
                output = Some(PathBuf::from(parser.value().map_err(|e| e.to_string())?));
            }
            Long("help") | Short('h') => return Ok(Command::Help),
            Value(value) => {
                program = Some(value);
                break;
            }
            other => {
                return Err(format!(
                    "{}: the options are --lang, --redacted, --json, --html, --svg, --check, -o and --color (see --help)",
                    other.unexpected()
                ));
            }
        }
    }
    let rest: Vec<OsString> = parser.raw_args().map_err(|e| e.to_string())?.collect();
    let (program, args) = match program {
        Some(program) => (program, rest),
        None => {
            let mut rest = rest.into_iter();
            match rest.next() {
                Some(program) => (program, rest.collect()),
                None => {
                    return Err(
                        "no program to trace: give it after `--`, e.g. `socket-lifecycle trace -- python3 servidor.py`"
                            .to_string(),
                    );
                }
            }
        }
    };
    Ok(Command::Trace(Options {
        lang: lang.unwrap_or_else(Lang::from_env),
        redacted,
        json,
        html,
        svg,
        check,
        output,
        program,
        args,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_line(line: &str) -> Result<Command, String> {
        parse(line.split(' ').map(OsString::from))
    }

    #[test]
    fn the_program_and_its_own_options_come_after_the_double_dash() {
        let Ok(Command::Trace(options)) =
            parse_line("trace --lang pt --check -- python3 -u servidor.py --lang x")
        else {
            panic!("a trace command");
        };
        assert_eq!(options.lang, Lang::Pt);
        assert!(options.check && !options.redacted);
        assert_eq!(options.program, "python3");
        assert_eq!(options.args, ["-u", "servidor.py", "--lang", "x"]);
    }

    #[test]
    fn mistakes_say_what_to_write() {
        assert!(
            parse_line("trace --lang fr -- x")
                .unwrap_err()
                .contains("pt and en")
        );
        assert!(parse_line("trace --").unwrap_err().contains("after `--`"));
        assert!(parse_line("run -- x").unwrap_err().contains("`trace`"));
    }
}
