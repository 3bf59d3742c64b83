//! Grading by the trace: lifecycle checks that judge a recorded trace by its
//! structure, and a harness that runs a student's server (or client) with
//! scripted clients, records everything and grades it.
//!
//! - [`Check`] and [`judge`]: the rules (`SO_REUSEADDR` before `bind`, every
//!   socket closed, `recv() = 0` answered by closing, a short send
//!   completed, nothing used after a failure, `accept` only after `listen`,
//!   a server that answers its client's FIN), each [`Finding`] pointing at
//!   the step and the steps that led to it.
//! - [`Harness`]: start the server, drive it with [`Client`]s (one after
//!   another, or [`Harness::together`]), stop it, and get a [`Grade`]: the
//!   canonical trace for a snapshot, the report for the student
//!   ([`Grade::report`]) and Gradescope's `results.json`
//!   ([`Grade::gradescope`]).
//!
//! The parts: the rules and findings are data of their own
//! (`src/check.rs`, beside the events they point at, so that the words
//! that name them depend on no grading), `judge.rs` (the rules applied),
//! `report.rs` (a grade said), `harness.rs` (the run).

mod harness;
mod judge;
mod report;

pub use crate::check::{Check, Finding};
pub use harness::{Client, Grade, Harness};
pub use judge::judge;
