//! This system's table read both ways: a number's name and meaning, and a
//! meaning's number.

use super::code::Errno;
#[cfg(unix)]
use super::unix::TABLE;
#[cfg(windows)]
use super::windows::TABLE;

impl Errno {
    /// No system call: what this system's error number `code` means;
    /// `None` for numbers its table lacks.
    ///
    /// ```
    /// use socket_lifecycle::errno::Errno;
    ///
    /// let code = Errno::ETIMEDOUT.code().unwrap();
    /// assert_eq!(Errno::of(code), Some(Errno::ETIMEDOUT));
    /// assert_eq!(Errno::of(-1), None);
    /// ```
    pub fn of(code: i32) -> Option<Errno> {
        TABLE
            .iter()
            .find(|(number, _, _)| *number == code)
            .map(|(_, _, errno)| *errno)
    }

    /// No system call: this system's number for the error; `None` where it
    /// has none (Windows has no `EPIPE`: it answers `WSAESHUTDOWN` or
    /// `WSAECONNRESET` instead).
    ///
    /// ```
    /// use socket_lifecycle::errno::Errno;
    ///
    /// assert!(Errno::ECONNREFUSED.code().is_some());
    /// ```
    pub fn code(self) -> Option<i32> {
        TABLE
            .iter()
            .find(|(_, _, errno)| *errno == self)
            .map(|(number, _, _)| *number)
    }
}

/// No system call: the symbolic name this system gives an error number:
/// `ECONNREFUSED` for 111 on Linux (as strace prints it) or 61 on macOS and
/// FreeBSD, `WSAECONNREFUSED` for 10061 on Windows. `None` for numbers the
/// table lacks.
///
/// ```
/// use socket_lifecycle::errno::{errno_name, Errno};
///
/// let code = Errno::EADDRINUSE.code().unwrap();
/// assert!(errno_name(code).unwrap().ends_with("EADDRINUSE"));
/// ```
pub fn errno_name(code: i32) -> Option<&'static str> {
    TABLE
        .iter()
        .find(|(number, _, _)| *number == code)
        .map(|(_, name, _)| *name)
}

/// No system call: every error number this system's table knows, for
/// tables that must cover them all.
///
/// ```
/// use socket_lifecycle::errno::{errno_name, known_errnos};
///
/// assert!(known_errnos().all(|errno| errno_name(errno).is_some()));
/// ```
pub fn known_errnos() -> impl Iterator<Item = i32> {
    TABLE.iter().map(|(number, _, _)| *number)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::errno::Cause;

    #[test]
    fn every_cause_names_errors_this_system_has_or_lacks_openly() {
        for cause in Cause::ALL {
            for &errno in cause.errnos() {
                if let Some(code) = errno.code() {
                    assert_eq!(Errno::of(code), Some(errno), "{cause:?}");
                    assert!(errno_name(code).is_some(), "{cause:?}: {code}");
                }
            }
        }
    }

    #[test]
    fn numbers_and_names_are_unique() {
        let mut numbers: Vec<i32> = TABLE.iter().map(|row| row.0).collect();
        let mut names: Vec<&str> = TABLE.iter().map(|row| row.1).collect();
        let mut meanings: Vec<&str> = TABLE.iter().map(|row| row.2.name()).collect();
        for list in [&mut names, &mut meanings] {
            list.sort_unstable();
            list.dedup();
        }
        numbers.sort_unstable();
        numbers.dedup();
        assert_eq!(numbers.len(), TABLE.len());
        assert_eq!(names.len(), TABLE.len());
        assert_eq!(meanings.len(), TABLE.len());
    }

    #[test]
    fn the_name_ends_in_the_posix_name() {
        for (_, name, errno) in TABLE {
            assert!(name.ends_with(errno.name()), "{name} / {errno:?}");
        }
    }
}
