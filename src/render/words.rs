//! The words of each language, one file each (`words/pt.rs`, `words/en.rs`):
//! a [`Words`] table (`words/table.rs`) that says every phrase, hint and
//! term, and describes every errno.
//!
//! Each table is an exhaustive `match`: a phrase a language does not say
//! does not compile. A third language is one new file here, one variant of
//! [`Lang`], and one arm in [`words`] — the compiler points at each.

mod en;
mod pt;
mod table;

pub(crate) use table::Words;

use crate::lang::Lang;

/// The table of `lang`.
pub(crate) fn words(lang: Lang) -> &'static dyn Words {
    match lang {
        Lang::Pt => &pt::Pt,
        Lang::En => &en::En,
    }
}

#[cfg(test)]
mod tests {
    //! The tables are exhaustive by construction (a missing phrase does not
    //! compile); these check what the compiler cannot: that each language
    //! really says something of its own.

    use super::*;
    use crate::errno::{Cause, Errno, known_errnos};
    use crate::render::phrase::Hint;

    #[test]
    fn every_hint_is_said_in_each_language_and_names_its_address() {
        for cause in Cause::ALL {
            let said: Vec<String> = Lang::ALL
                .into_iter()
                .map(|lang| {
                    let addr = Some("127.0.0.1:8888".to_string());
                    words(lang).hint(&Hint { cause, addr })
                })
                .collect();
            for (i, text) in said.iter().enumerate() {
                assert!(!text.is_empty(), "{cause:?}");
                assert!(said[..i].iter().all(|other| other != text), "{cause:?}");
                let names_it = text.contains("127.0.0.1:8888");
                let needs_it = matches!(
                    cause,
                    Cause::NoListener
                        | Cause::PortInUse
                        | Cause::Permission
                        | Cause::FamilyMismatch
                        | Cause::AddressNotAvailable
                        | Cause::Unreachable
                );
                assert!(!needs_it || names_it, "{cause:?}: {text}");
            }
        }
    }

    #[test]
    fn every_errno_this_system_names_is_described_in_each_language() {
        for code in known_errnos() {
            let errno = Errno::of(code);
            assert!(errno.is_some(), "{code}");
            for lang in Lang::ALL {
                let said = errno.map(|errno| words(lang).errno(errno));
                assert!(
                    said.is_some_and(|text| !text.is_empty()),
                    "{code} in {lang:?}"
                );
            }
        }
    }
}
