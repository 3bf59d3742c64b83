//! `socket-lifecycle trace -- PROGRAM [ARGS…]`: the lifecycle of any
//! program's sockets — a Python, C or Java chat, a student's server —
//! observed from outside under `ptrace`, and told by the socket-lifecycle
//! library as it tells a Rust program's: the call as strace prints it with
//! its real result, the typestate before → after, the kernel's TCP state,
//! the narration in Portuguese or English, the sequence diagram, the
//! canonical rendering and the lifecycle checks. Linux only; x86_64.
//!
//! The parts, one idea each: `cli.rs` (the command line), `spawn.rs` (the
//! child started under ptrace), `filter.rs` (the seccomp filter that picks
//! the calls that stop it), `tracer.rs` (the ptrace loop), `arch.rs`
//! and `arch/` (system calls decoded per architecture), `memory.rs` (the
//! child's memory, read with `process_vm_readv`), `descriptors.rs` (each
//! process's descriptor table, followed across dup, fork and exec),
//! `peek.rs` (the kernel's view through a duplicate of the child's
//! descriptor), `events.rs` (decoded calls → events), `output.rs` (the
//! trace, the diagram, the report, the JSON Lines of the library's one
//! schema).

#[cfg(target_os = "linux")]
mod arch;
mod cli;
#[cfg(target_os = "linux")]
mod descriptors;
#[cfg(target_os = "linux")]
mod events;
#[cfg(target_os = "linux")]
mod filter;
#[cfg(target_os = "linux")]
mod memory;
#[cfg(target_os = "linux")]
mod output;
#[cfg(target_os = "linux")]
mod peek;
#[cfg(target_os = "linux")]
mod spawn;
#[cfg(target_os = "linux")]
mod tracer;

use std::process::ExitCode;

use cli::{Command, Options, USAGE};

fn main() -> ExitCode {
    match cli::parse(std::env::args_os().skip(1)) {
        Ok(Command::Help) => {
            print!("{USAGE}");
            ExitCode::SUCCESS
        }
        Ok(Command::Version) => {
            println!("socket-lifecycle {}", env!("CARGO_PKG_VERSION"));
            ExitCode::SUCCESS
        }
        Ok(Command::Trace(options)) => match run(&options) {
            Ok(code) => ExitCode::from(code),
            Err((code, message)) => {
                eprintln!("socket-lifecycle: {message}");
                ExitCode::from(code)
            }
        },
        Err(message) => {
            eprintln!("socket-lifecycle: {message}\n\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

/// Traces the program: its exit status, or the observer's own failure
/// (126: the program could not be run, 127: not found, 125: the trace).
#[cfg(target_os = "linux")]
fn run(options: &Options) -> Result<u8, (u8, String)> {
    use socket_lifecycle::grade::Harness;

    if !arch::SUPPORTED {
        return Err((125, "this architecture is not decoded yet: x86_64 only (see observer/src/arch.rs for what another needs)".into()));
    }
    let mut output = output::Output::open(
        options.lang,
        options.redacted,
        options.output.as_deref(),
        options.json.as_deref(),
        options.html.as_deref(),
        options.svg.as_deref(),
    )
    .map_err(|e| (125, e))?;
    let name = options.program.to_string_lossy();
    let cannot_start = |e: std::io::Error| {
        let (code, why) = match e.kind() {
            std::io::ErrorKind::NotFound => (
                127,
                "not found: is it installed and on PATH? (a script runs through its interpreter: `-- python3 servidor.py`)",
            ),
            std::io::ErrorKind::PermissionDenied => (
                126,
                "not executable: `chmod +x` it, or run it through its interpreter",
            ),
            _ => (126, "it could not be started"),
        };
        (code, format!("cannot trace {name}: {e}; {why}"))
    };
    let filter = arch::filtered().and_then(|(audit, numbers)| filter::program(audit, &numbers));
    let child = spawn::traced_child(&options.program, &options.args, filter.as_deref())
        .map_err(cannot_start)?;
    spawn::ignore_terminal_signals();
    let mut observe = |recorder: &socket_lifecycle::Recorder| {
        output.keep_in(recorder);
        let ended = tracer::trace(child.pid, |event, pid| output.event(event, pid));
        let failed = child.exec_error();
        if failed.is_none() {
            output.finish(u32::try_from(child.pid.as_raw()).unwrap_or_default());
        }
        ended.map(|ended| (ended, failed))
    };
    let (ended, report) = if options.check {
        let mut ended = Err(String::new());
        let grade = Harness::new().grade_run(|recorder| ended = observe(recorder));
        (ended, Some((grade.passed(), grade.report(options.lang))))
    } else {
        (observe(&socket_lifecycle::Recorder::new()), None)
    };
    let (traced, failed) = ended.map_err(|e| (125, format!("tracing {name} failed: {e}")))?;
    if let Some(e) = failed {
        return Err(cannot_start(e));
    }
    if let Some(errno) = traced.refused {
        let why = std::io::Error::from_raw_os_error(errno);
        output.say(&format!(
            "socket-lifecycle: the kernel refused a duplicate of the program's descriptors ({why}; pidfd_getfd needs Linux 5.6 and the right to trace): the TCP states were left out, the rest is as observed\n"
        ));
    }
    let mut code = match traced.ended {
        tracer::Ended::Exited(code) => u8::try_from(code).unwrap_or(1),
        tracer::Ended::Killed(sig) => 128u8.saturating_add(sig as u8),
    };
    if let Some((passed, report)) = report {
        output.say(&report);
        if !passed && code == 0 {
            code = 1;
        }
    }
    Ok(code)
}

/// Not Linux: there is no ptrace to observe a program with.
#[cfg(not(target_os = "linux"))]
fn run(options: &Options) -> Result<u8, (u8, String)> {
    Err((
        125,
        format!(
            "cannot trace {}: tracing a program needs Linux (ptrace, pidfd_getfd); the library itself works here, the observer does not",
            options.program.to_string_lossy()
        ),
    ))
}
