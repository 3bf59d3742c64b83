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

use crate::kernel::RULES;
use crate::lang::Lang;

/// The table of `lang`, for this system's rules (what it names `shutdown`'s
/// directions, a timeout, a reset; what `SO_REUSEADDR` allows).
pub(crate) fn words(lang: Lang) -> &'static dyn Words {
    static PT: pt::Pt = pt::Pt { rules: RULES };
    static EN: en::En = en::En { rules: RULES };
    match lang {
        Lang::Pt => &PT,
        Lang::En => &EN,
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

    /// The words follow the system's rules: Windows' names, and what its
    /// `SO_REUSEADDR` and its ports allow — in both languages.
    #[test]
    fn the_words_say_what_is_true_on_windows() {
        use std::net::Shutdown;
        use std::time::Duration;

        use crate::event::SocketOption;
        use crate::kernel::{LINUX_RULES, WINDOWS_RULES};
        use crate::render::phrase::{Close, Phrase};

        let tables = |rules| -> [Box<dyn Words>; 2] {
            [Box::new(pt::Pt { rules }), Box::new(en::En { rules })]
        };
        for (unix, windows) in tables(LINUX_RULES).iter().zip(tables(WINDOWS_RULES).iter()) {
            let timeout = Phrase::Option(SocketOption::ReadTimeout(Some(Duration::from_secs(2))));
            assert!(unix.phrase(&timeout).contains("(EAGAIN)"));
            assert!(windows.phrase(&timeout).contains("(WSAETIMEDOUT)"));
            let fin = Phrase::Shutdown {
                how: Shutdown::Write,
                fin: true,
            };
            assert!(unix.phrase(&fin).starts_with("shutdown(SHUT_WR)"));
            assert!(windows.phrase(&fin).starts_with("shutdown(SD_SEND)"));
            let reset = Phrase::Close(Close::Reset { unread: 4 });
            assert!(windows.phrase(&reset).ends_with("WSAECONNRESET"));
            let reuse = Phrase::Option(SocketOption::ReuseAddress(true));
            assert!(!unix.phrase(&reuse).contains("SO_EXCLUSIVEADDRUSE"));
            assert!(windows.phrase(&reuse).contains("SO_EXCLUSIVEADDRUSE"));
            for cause in [Cause::PortInUse, Cause::Permission] {
                let hint = Hint {
                    cause,
                    addr: Some("127.0.0.1:8888".to_string()),
                };
                assert!(!unix.hint(&hint).contains("SO_EXCLUSIVEADDRUSE"));
                assert!(windows.hint(&hint).contains("SO_EXCLUSIVEADDRUSE"));
            }
            let not_shut = Phrase::ListenerNotShut {
                errno: "WSAENOTCONN".to_string(),
            };
            assert!(windows.phrase(&not_shut).contains("(WSAENOTCONN)"));
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
