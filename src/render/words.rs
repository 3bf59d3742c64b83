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
