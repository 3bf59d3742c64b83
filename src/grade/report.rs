//! A grade, said: the text a student reads — each check passed or failed,
//! a margin note and the steps that led to each failure — and the
//! `results.json` an autograder such as Gradescope reads.

use std::fmt::Write as _;

use crate::check::{Check, Finding};
use crate::event::Event;
use crate::lang::Lang;
use crate::render::phrase::Term;
use crate::render::redact::Redaction;
use crate::render::words::words;
use crate::render::{self, term};

/// The report of `findings` on `events`, in `lang`: every check with ✓ or
/// ✗, and under each failure its note and the steps that led to it (the
/// canonical trace lines of that socket, the step pointed at marked `←`).
/// `harness` adds what the harness itself saw go wrong.
pub(crate) fn text(events: &[Event], findings: &[Finding], harness: &[Term], lang: Lang) -> String {
    let words = words(lang);
    let redaction = Redaction::from_events(events);
    let mut out = String::new();
    for check in Check::ALL {
        let failed: Vec<&Finding> = findings.iter().filter(|f| f.check == check).collect();
        let mark = if failed.is_empty() { '✓' } else { '✗' };
        let _ = writeln!(out, "{mark} {}", words.check(check));
        for finding in failed {
            note(&mut out, finding, &redaction, lang);
        }
    }
    for problem in harness {
        let _ = writeln!(out, "✗ {}", term(problem, lang));
    }
    out
}

impl Finding {
    /// No system call: what the finding means and what to change, in
    /// `lang` — the margin note a report prints under it.
    ///
    /// ```
    /// use socket_lifecycle::grade::judge;
    /// use socket_lifecycle::{Lang, Recorder, Socket};
    ///
    /// let recorder = Recorder::new();
    /// let forgotten = Socket::tcp_v4(recorder.tracer("cliente"))?;
    /// let findings = judge(&recorder.events());
    /// assert!(findings[0].note(Lang::En).starts_with("cliente: never closed"));
    /// # drop(forgotten);
    /// # Ok::<(), socket_lifecycle::Error>(())
    /// ```
    pub fn note(&self, lang: Lang) -> String {
        words(lang).note(self.check, &self.socket)
    }
}

/// One failure: its note, then the steps that led to it.
fn note(out: &mut String, finding: &Finding, redaction: &Redaction, lang: Lang) {
    let words = words(lang);
    let socket = redaction.label(&finding.socket);
    let _ = writeln!(out, "    {}", words.note(finding.check, &socket));
    let _ = writeln!(out, "    {}", term(&Term::StepsLed, lang));
    for step in &finding.steps {
        let line = render::line(step, lang, redaction, &crate::render::Look::default());
        let call = line.lines().next().unwrap_or_default();
        let here = if step.seq == finding.at.seq {
            "  ←"
        } else {
            ""
        };
        let _ = writeln!(out, "      {call}{here}");
    }
}

/// The results in Gradescope's `results.json` format: one test per check,
/// worth one point, with the report's note of each failure as its output,
/// and the whole canonical trace as the top-level output.
pub(crate) fn gradescope(
    findings: &[Finding],
    harness: &[Term],
    canonical: &str,
    lang: Lang,
) -> String {
    let words = words(lang);
    let mut tests = Vec::new();
    for check in Check::ALL {
        let notes: Vec<String> = findings
            .iter()
            .filter(|f| f.check == check)
            .map(|f| words.note(check, &f.socket))
            .collect();
        let passed = notes.is_empty();
        tests.push(format!(
            "{{\"name\": {}, \"score\": {}, \"max_score\": 1.0, \"status\": \"{}\", \"output\": {}}}",
            json_string(&words.check(check)),
            if passed { "1.0" } else { "0.0" },
            if passed { "passed" } else { "failed" },
            json_string(&notes.join("\n")),
        ));
    }
    for problem in harness {
        tests.push(format!(
            "{{\"name\": {}, \"score\": 0.0, \"max_score\": 1.0, \"status\": \"failed\", \"output\": \"\"}}",
            json_string(&term(problem, lang)),
        ));
    }
    let passed = Check::ALL.len() - count_failed(findings);
    format!(
        "{{\"score\": {passed}.0, \"output\": {}, \"tests\": [\n  {}\n]}}\n",
        json_string(canonical),
        tests.join(",\n  ")
    )
}

/// How many checks have at least one finding.
fn count_failed(findings: &[Finding]) -> usize {
    Check::ALL
        .into_iter()
        .filter(|check| findings.iter().any(|f| f.check == *check))
        .count()
}

/// `text` as a JSON string (RFC 8259): quoted, with `"`, `\` and control
/// characters escaped.
fn json_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_strings_escape_what_json_requires() {
        assert_eq!(json_string("a\"b\\c\nd\u{1}é"), r#""a\"b\\c\nd\u0001é""#);
    }
}
