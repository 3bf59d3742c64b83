//! The words of each language, one file each (`words/pt.rs`, `words/en.rs`):
//! a [`Words`] table that says every [`Phrase`], [`Hint`] and [`Term`],
//! and describes every errno.
//!
//! Each table is an exhaustive `match`: a phrase a language does not say
//! does not compile. A third language is one new file here, one variant of
//! [`Lang`], and one arm in [`words`] — the compiler points at each.

mod en;
mod pt;

use std::time::Duration;

use super::phrase::{Hint, Phrase, Term};
use crate::lang::Lang;

/// Everything a language says.
pub(crate) trait Words {
    /// The narration of a step.
    fn phrase(&self, phrase: &Phrase) -> String;
    /// The advice for a failure.
    fn hint(&self, hint: &Hint) -> String;
    /// A short word of a line or a diagram.
    fn term(&self, term: &Term) -> String;
    /// What an errno means, as strace prints it after the name
    /// (`ECONNREFUSED (Connection refused)`); `None` for one this table does
    /// not describe.
    fn errno(&self, errno: i32) -> Option<&'static str>;
    /// A duration, e.g. `2.5 s` or `50 ms`.
    fn duration(&self, duration: Duration) -> String;
}

/// The table of `lang`.
pub(crate) fn words(lang: Lang) -> &'static dyn Words {
    match lang {
        Lang::Pt => &pt::Pt,
        Lang::En => &en::En,
    }
}

/// A duration in the largest unit that keeps it short — `2.5 s`, `50 ms`,
/// `1 µs` — with `decimal` as the decimal mark.
fn duration(d: Duration, decimal: char) -> String {
    let (value, unit) = if d >= Duration::from_secs(1) {
        (d.as_secs_f64(), "s")
    } else if d >= Duration::from_millis(1) {
        (d.as_secs_f64() * 1e3, "ms")
    } else {
        (d.as_secs_f64() * 1e6, "µs")
    };
    let text = format!("{value:.3}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    format!("{} {unit}", text.replace('.', &decimal.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_are_short() {
        assert_eq!(duration(Duration::from_millis(2500), '.'), "2.5 s");
        assert_eq!(duration(Duration::from_millis(2500), ','), "2,5 s");
        assert_eq!(duration(Duration::from_secs(60), '.'), "60 s");
        assert_eq!(duration(Duration::from_millis(50), '.'), "50 ms");
        assert_eq!(duration(Duration::from_micros(1), '.'), "1 µs");
    }
}
