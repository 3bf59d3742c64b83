//! [`Words`]: what a language's table says — each phrase, hint and term,
//! each errno's description — and the one rule every table shares, how a
//! duration is written.

use std::time::Duration;

use crate::check::Check;
use crate::errno::Errno;
use crate::render::phrase::{Hint, Phrase, Term};

/// Everything a language says.
pub(crate) trait Words {
    /// The narration of a step.
    fn phrase(&self, phrase: &Phrase) -> String;
    /// The advice for a failure.
    fn hint(&self, hint: &Hint) -> String;
    /// A short word of a line or a diagram.
    fn term(&self, term: &Term) -> String;
    /// What an error means, as strace prints it after the name
    /// (`ECONNREFUSED (Connection refused)`), on every system (Windows'
    /// `WSAECONNREFUSED` means the same).
    fn errno(&self, errno: Errno) -> &'static str;
    /// A lifecycle check's rule, as a report lists it.
    fn check(&self, check: Check) -> String;
    /// What breaking `check` on socket `socket` means and what to change:
    /// a teacher's margin note.
    fn note(&self, check: Check, socket: &str) -> String;
    /// The decimal mark: `.` or `,`.
    fn decimal_mark(&self) -> char;

    /// A duration in the largest unit that keeps it short — `2.5 s`,
    /// `50 ms`, `1 µs` — with the language's decimal mark.
    fn duration(&self, d: Duration) -> String {
        let (value, unit) = if d >= Duration::from_secs(1) {
            (d.as_secs_f64(), "s")
        } else if d >= Duration::from_millis(1) {
            (d.as_secs_f64() * 1e3, "ms")
        } else {
            (d.as_secs_f64() * 1e6, "µs")
        };
        let text = format!("{value:.3}");
        let text = text.trim_end_matches('0').trim_end_matches('.');
        let mark = self.decimal_mark().to_string();
        format!("{} {unit}", text.replace('.', &mark))
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use crate::lang::Lang;
    use crate::render::words::words;

    #[test]
    fn durations_are_short() {
        let (en, pt) = (words(Lang::En), words(Lang::Pt));
        assert_eq!(en.duration(Duration::from_millis(2500)), "2.5 s");
        assert_eq!(pt.duration(Duration::from_millis(2500)), "2,5 s");
        assert_eq!(en.duration(Duration::from_secs(60)), "60 s");
        assert_eq!(en.duration(Duration::from_millis(50)), "50 ms");
        assert_eq!(en.duration(Duration::from_micros(1)), "1 µs");
    }
}
