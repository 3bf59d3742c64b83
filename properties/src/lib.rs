//! Nothing but a home: the property tests of the socket-lifecycle library
//! live in `tests/properties.rs` here, in a package of their own, so that
//! proptest is built for them alone and not for every example of the
//! library (`cargo run --example lifecycle` on a fresh clone).
