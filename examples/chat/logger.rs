//! The trace's logger: env_logger's filter (`RUST_LOG`, `info` unless it
//! says otherwise); a trace line as the library renders it, with nothing
//! before it (the socket's label, the call, its result and the kernel's
//! state; the narration indented below — short and coloured when standard
//! error is a terminal); any other record as env_logger's line,
//! `[2026-01-31T12:00:00Z WARN servidor] …` with a message's further lines
//! indented by four spaces — written to standard error directly, or handed
//! to an [`Outlet`] that never makes the logging thread wait.

use std::cell::RefCell;
use std::fmt::Write as _;
use std::io::Write;
use std::time::{SystemTime, UNIX_EPOCH};

use super::outlet::Outlet;

/// Installs the logger; its lines go to `outlet` when given, else straight
/// to standard error.
pub fn install(outlet: Option<&'static Outlet>) {
    socket_lifecycle::trace::set_log_look(socket_lifecycle::render::Look::for_stderr());
    let mut builder =
        env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info"));
    builder.format(|buf, record| write_line(buf, record.level(), record.target(), record.args()));
    if let Some(outlet) = outlet {
        builder.target(env_logger::Target::Pipe(Box::new(IntoOutlet(outlet))));
    }
    builder.init();
}

/// One log line, as [`write_line`] writes it.
pub fn line(level: log::Level, target: &str, message: impl std::fmt::Display) -> String {
    let mut line = Vec::new();
    let _ = write_line(&mut line, level, target, message);
    String::from_utf8_lossy(&line).into_owned()
}

/// One log line, newline included: a trace line as the library rendered
/// it; any other, the header, then the message with each further line
/// indented by four spaces (as env_logger's default format).
fn write_line(
    out: &mut impl Write,
    level: log::Level,
    target: &str,
    message: impl std::fmt::Display,
) -> std::io::Result<()> {
    thread_local! {
        static TEXT: RefCell<String> = const { RefCell::new(String::new()) };
    }
    if target == "socket_lifecycle" {
        return writeln!(out, "{message}");
    }
    out.write_all(b"[")?;
    write_now(out)?;
    write!(out, " {level:<5} {target}] ")?;
    TEXT.with(|text| match text.try_borrow_mut() {
        Ok(mut text) => {
            text.clear();
            let _ = write!(text, "{message}");
            write_indented(out, &text)
        }
        Err(_) => write_indented(out, &message.to_string()),
    })?;
    out.write_all(b"\n")
}

/// `text`, each newline in it followed by four spaces.
fn write_indented(out: &mut impl Write, text: &str) -> std::io::Result<()> {
    let mut parts = text.split('\n');
    if let Some(first) = parts.next() {
        out.write_all(first.as_bytes())?;
    }
    for part in parts {
        out.write_all(b"\n    ")?;
        out.write_all(part.as_bytes())?;
    }
    Ok(())
}

/// The time now, in UTC to the second, as RFC 3339 writes it
/// (`2026-01-31T12:00:00Z`); worked out once a second per thread.
fn write_now(out: &mut impl Write) -> std::io::Result<()> {
    thread_local! {
        static LAST: RefCell<(u64, String)> = const { RefCell::new((u64::MAX, String::new())) };
    }
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    LAST.with(|last| match last.try_borrow_mut() {
        Ok(mut last) => {
            if last.0 != secs {
                *last = (secs, rfc3339(secs));
            }
            out.write_all(last.1.as_bytes())
        }
        Err(_) => out.write_all(rfc3339(secs).as_bytes()),
    })
}

/// Seconds since 1970 as `YYYY-MM-DDTHH:MM:SSZ`: the civil date of a day
/// count (Howard Hinnant's `civil_from_days`).
fn rfc3339(secs: u64) -> String {
    let (days, rest) = (secs / 86_400, secs % 86_400);
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z % 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3_600,
        rest % 3_600 / 60,
        rest % 60
    )
}

/// env_logger's pipe into an [`Outlet`]: each record arrives whole, in one
/// `write`.
struct IntoOutlet(&'static Outlet);

impl Write for IntoOutlet {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.put(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
