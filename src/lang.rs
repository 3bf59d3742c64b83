//! The language of every word the library says: [`Lang`], and how a
//! program's environment picks it.
//!
//! This module is a leaf: it knows the languages, not their words. The words
//! are tables in `render/words/`, one file per language; a third language is
//! one more variant here and one more file there (the compiler lists every
//! place that must name it).

use std::str::FromStr;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU8, Ordering};

/// The language of narrations and hints.
///
/// Every renderer takes one explicitly ([`crate::Recorder::render`],
/// [`crate::Event::narration`], [`crate::Error::message`], the diagrams);
/// the places that cannot take one — log lines and `Error`'s `Display` — use
/// [`Lang::current`]: the language set with [`Lang::set_default`], or else
/// the one the environment asks for ([`Lang::from_env`]). The rendering of
/// a call (strace's, on Linux) is the same in every language.
///
/// ```
/// use socket_lifecycle::Lang;
///
/// assert_eq!("pt_BR.UTF-8".parse::<Lang>(), Ok(Lang::Pt));
/// assert_eq!("en".parse::<Lang>(), Ok(Lang::En));
/// assert_eq!(Lang::Pt.code(), "pt");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    /// Brazilian Portuguese, the language of the report the library rebuilds.
    Pt,
    /// English.
    En,
}

/// The language set by [`Lang::set_default`]: 0 while unset.
static CHOSEN: AtomicU8 = AtomicU8::new(0);

impl Lang {
    /// Both languages, Portuguese first.
    ///
    /// ```
    /// # use socket_lifecycle::Lang;
    /// for lang in Lang::ALL {
    ///     println!("{}", lang.code());
    /// }
    /// ```
    pub const ALL: [Lang; 2] = [Lang::Pt, Lang::En];

    /// No system call: the language the environment asks for, read once
    /// (the answer is cached for the life of the process).
    ///
    /// `SOCKET_LIFECYCLE_LANG=pt|en` wins; otherwise the first of `LC_ALL`,
    /// `LC_MESSAGES`, `LANG` that is set decides: Portuguese when it starts
    /// with `pt`, English otherwise. [`Lang::from_vars`] is the same decision
    /// over any set of variables.
    ///
    /// ```
    /// let lang = socket_lifecycle::Lang::from_env();
    /// println!("narrating in {}", lang.code());
    /// ```
    pub fn from_env() -> Lang {
        static LANG: OnceLock<Lang> = OnceLock::new();
        *LANG.get_or_init(|| Lang::from_vars(|name| std::env::var(name).ok()))
    }

    /// No system call: the decision [`Lang::from_env`] makes, over variables
    /// looked up by `var` (an empty value counts as unset).
    ///
    /// ```
    /// use socket_lifecycle::Lang;
    ///
    /// let env = |pairs: &'static [(&'static str, &'static str)]| {
    ///     move |name: &str| pairs.iter().find(|(n, _)| *n == name).map(|(_, v)| v.to_string())
    /// };
    /// assert_eq!(Lang::from_vars(env(&[("LANG", "pt_BR.UTF-8")])), Lang::Pt);
    /// assert_eq!(Lang::from_vars(env(&[("LANG", "C.UTF-8")])), Lang::En);
    /// // The library's own variable wins over the locale.
    /// assert_eq!(
    ///     Lang::from_vars(env(&[("SOCKET_LIFECYCLE_LANG", "en"), ("LC_ALL", "pt_BR.UTF-8")])),
    ///     Lang::En
    /// );
    /// assert_eq!(Lang::from_vars(env(&[])), Lang::En);
    /// ```
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Lang {
        let var = |name: &str| var(name).filter(|v| !v.is_empty());
        let chosen = var("SOCKET_LIFECYCLE_LANG")
            .or_else(|| var("LC_ALL"))
            .or_else(|| var("LC_MESSAGES"))
            .or_else(|| var("LANG"));
        chosen
            .and_then(|value| value.parse().ok())
            .unwrap_or(Lang::En)
    }

    /// No system call: sets the language of log lines and of `Error`'s
    /// `Display` for the whole process, over what the environment says.
    ///
    /// ```
    /// use socket_lifecycle::Lang;
    ///
    /// Lang::set_default(Lang::Pt);
    /// assert_eq!(Lang::current(), Lang::Pt);
    /// ```
    pub fn set_default(lang: Lang) {
        let code = match lang {
            Lang::Pt => 1,
            Lang::En => 2,
        };
        CHOSEN.store(code, Ordering::Relaxed);
    }

    /// No system call: the language set with [`Lang::set_default`], or else
    /// [`Lang::from_env`]'s.
    ///
    /// ```
    /// let lang = socket_lifecycle::Lang::current();
    /// # let _ = lang;
    /// ```
    pub fn current() -> Lang {
        match CHOSEN.load(Ordering::Relaxed) {
            1 => Lang::Pt,
            2 => Lang::En,
            _ => Lang::from_env(),
        }
    }

    /// No system call: the language's code, `pt` or `en`.
    ///
    /// ```
    /// assert_eq!(socket_lifecycle::Lang::En.code(), "en");
    /// ```
    pub fn code(self) -> &'static str {
        match self {
            Lang::Pt => "pt",
            Lang::En => "en",
        }
    }
}

/// A language name [`Lang`] does not know (neither `pt…` nor `en…`).
///
/// ```
/// assert!("fr".parse::<socket_lifecycle::Lang>().is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownLang(pub String);

impl std::fmt::Display for UnknownLang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "unknown language {:?}: use pt or en", self.0)
    }
}

impl std::error::Error for UnknownLang {}

impl FromStr for Lang {
    type Err = UnknownLang;

    /// No system call: a name that starts with a language's code: `pt`,
    /// `pt-BR`, `pt_BR.UTF-8`… are Portuguese; `en`, `en_US.UTF-8`… are
    /// English (case does not matter).
    fn from_str(text: &str) -> Result<Lang, UnknownLang> {
        let lower = text.trim().to_ascii_lowercase();
        Lang::ALL
            .into_iter()
            .find(|lang| lower.starts_with(lang.code()))
            .ok_or_else(|| UnknownLang(text.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `Lang::ALL` lists every language: the match has no wildcard, so a new
    /// language does not compile until it is named here, and the test then
    /// fails until `ALL` holds it.
    #[test]
    fn all_holds_every_language() {
        // No wildcard: a new language does not compile until it has a place
        // here, and the test then fails until `ALL` holds it.
        let place = |lang: Lang| match lang {
            Lang::Pt => 0,
            Lang::En => 1,
        };
        let mut seen = [false; 2];
        for lang in Lang::ALL {
            seen[place(lang)] = true;
            assert_eq!(lang.code().parse::<Lang>(), Ok(lang));
        }
        assert!(seen.iter().all(|&s| s), "Lang::ALL misses a language");
    }
}
