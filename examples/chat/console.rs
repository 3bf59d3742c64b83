//! The chat's console and keyboard: a line out as the report's `print`
//! writes it (through an outlet, for a server: see [`unblock`]), a peer's
//! text made safe to show, a prompt, a line in as the report's `input`
//! reads it (minus its traps), and addresses as Python prints them.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::{BufRead, Write as _};
use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::OnceLock;

use super::outlet::Outlet;
use super::{Say, TARGET, words};

/// Where [`say`] puts its lines once a server unblocks its console.
static CONSOLE: OnceLock<&'static Outlet> = OnceLock::new();

/// From now on, [`say`] hands its lines to `outlet` instead of writing them.
pub fn unblock(outlet: &'static Outlet) {
    let _ = CONSOLE.set(outlet);
}

/// One console line on standard output (the report's `print`): flushed at
/// once, or handed to the console's outlet.
pub fn say(text: impl std::fmt::Display) {
    if let Some(outlet) = CONSOLE.get() {
        let mut line = Vec::new();
        let _ = writeln!(line, "{text}");
        outlet.put(&line);
        return;
    }
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{text}");
    let _ = out.flush();
}

/// A peer's text as the console may show it: control characters — a
/// newline that would start a fake `[*] …` line, a carriage return, the
/// escape that starts a terminal's colour or cursor command, the C1
/// controls — written as escapes (`\n`, `\r`, `\t`, `\x1b`, `\u{9b}`),
/// everything else as it came.
pub fn printable(text: &str) -> Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return Cow::Borrowed(text);
    }
    let mut shown = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => shown.push_str("\\n"),
            '\r' => shown.push_str("\\r"),
            '\t' => shown.push_str("\\t"),
            c if c.is_control() && u32::from(c) < 0x80 => {
                let _ = write!(shown, "\\x{:02x}", u32::from(c));
            }
            c if c.is_control() => {
                let _ = write!(shown, "\\u{{{:x}}}", u32::from(c));
            }
            c => shown.push(c),
        }
    }
    Cow::Owned(shown)
}

/// How a chat server stopped, as the report's `except` clauses print it:
/// `\n[*] Servidor encerrado` after Ctrl+C (exit 0), or `Erro: …` (exit 1).
pub fn say_how_server_ended(ended: Result<(), socket_lifecycle::Error>) -> ExitCode {
    match ended {
        Ok(()) => {
            say("\n[*] Servidor encerrado");
            ExitCode::SUCCESS
        }
        Err(err) => {
            say(format!("Erro: {err}"));
            ExitCode::FAILURE
        }
    }
}

/// The prompt, without a newline, flushed so it shows before the input.
fn prompt(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = write!(out, "{text}");
    let _ = out.flush();
}

/// The next line worth sending, as the report's `input(prompt)` reads it:
/// shows `prompt`, reads a line and drops its `\n` or `\r\n`. An empty line
/// is not worth sending (zero bytes would leave the client waiting for a
/// reply that never comes), nor is one that is not UTF-8 (logged): the
/// prompt is shown again. The end of input reads as `sair`.
pub fn read_message(prompt_text: &str, input: &mut impl BufRead) -> std::io::Result<String> {
    loop {
        prompt(prompt_text);
        let mut line = Vec::new();
        if input.read_until(b'\n', &mut line)? == 0 {
            // End of input: finish the prompt's line, and leave as `sair`.
            say("");
            log::info!(target: TARGET, "{}", words::text(&Say::EndOfInput));
            return Ok("sair".to_string());
        }
        if line.last() == Some(&b'\n') {
            line.pop();
            if line.last() == Some(&b'\r') {
                line.pop();
            }
        }
        match String::from_utf8(line) {
            Ok(line) if line.is_empty() => continue,
            Ok(line) => return Ok(line),
            Err(_) => log::warn!(target: TARGET, "{}", words::text(&Say::LineNotUtf8)),
        }
    }
}

/// An address as Python prints the tuple `accept()` or `recvfrom()`
/// returns, so that the Rust and the Python consoles read alike.
pub fn python_address(addr: SocketAddr) -> String {
    match addr {
        SocketAddr::V4(v4) => format!("('{}', {})", v4.ip(), v4.port()),
        SocketAddr::V6(v6) => format!(
            "('{}', {}, {}, {})",
            v6.ip(),
            v6.port(),
            v6.flowinfo(),
            v6.scope_id()
        ),
    }
}
