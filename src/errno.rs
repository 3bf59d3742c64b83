//! Error numbers: what each means in no system's numbering ([`Errno`], the
//! POSIX names), the names and numbers each system gives them (one table
//! per system), and the [`Cause`]s a failure can have — what it means for
//! the program, in no language.
//!
//! Linux, macOS and FreeBSD number their errors differently (`ECONNREFUSED`
//! is 111 on Linux, 61 on the BSDs) and Windows names them apart
//! (`WSAECONNREFUSED`, 10061): each system's table (`unix.rs`, from the C
//! library's own constants; `windows.rs`, from Winsock's) maps its numbers
//! to the one [`Errno`] the rest of the library reasons with.
//!
//! A leaf: which cause a failure has is decided from the facts of its event
//! ([`crate::Event::cause`]); what a cause is called and what to do about it
//! are words, in `render/words/`.
//!
//! ```
//! use socket_lifecycle::errno::{errno_name, Errno};
//!
//! let refused = Errno::ECONNREFUSED.code().unwrap(); // this system's number
//! assert_eq!(Errno::of(refused), Some(Errno::ECONNREFUSED));
//! let name = errno_name(refused).unwrap();
//! assert!(name == "ECONNREFUSED" || name == "WSAECONNREFUSED");
//! assert_eq!(errno_name(-1), None);
//! ```

mod cause;
mod code;
mod table;
#[cfg(unix)]
mod unix;
#[cfg(windows)]
mod windows;

pub use cause::Cause;
pub use code::Errno;
pub use table::{errno_name, known_errnos};
