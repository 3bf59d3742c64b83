//! Diagrams drawn from real traces, and the diagram of the library's own
//! states.
//!
//! Events are data; a diagram is one more rendering of them, like the call
//! line or the narration. Nothing here changes an event.
//!
//! - [`SequenceDiagram`]: the two sides of a recorded conversation — one
//!   column per socket (`cliente`, `servidor`, `servidor#1` — `servidor#cliente` in the canonical form), arrows for the
//!   handshake, `accept`, each `send` with its byte count and the FIN
//!   exchange — as text for the terminal ([`SequenceDiagram::text`]) and as
//!   a Mermaid `sequenceDiagram` for Markdown ([`SequenceDiagram::mermaid`])
//!   and as a standalone SVG picture ([`SequenceDiagram::svg`]).
//!   Who talks to whom is read from the events' addresses, never guessed.
//! - [`TCP_TRANSITIONS`] and [`UDP_TRANSITIONS`]: the typestate diagrams
//!   of [`crate::Socket`] and [`crate::UdpSocket`], written once as tables,
//!   rendered by [`typestate_text`], [`typestate_mermaid`]
//!   (`stateDiagram-v2`) and [`typestate_svg`].
//!
//! - `page` (the crate's `json` feature): one self-contained HTML page to
//!   step through a trace, with both diagrams.
//!
//! The parts: `sequence.rs` (the diagram of a trace), `rows.rs` (events →
//! columns and rows, no words), `text.rs`, `mermaid.rs` and `svg.rs` (the
//! rows, said in a language; `svg.rs` draws the typestate too),
//! `typestate.rs` (the tables), `pictures.rs` (the SVG files of a trace),
//! `page.rs` with its `page.css` and `page.js` (the page).
//!
//! ```
//! use socket_lifecycle::diagram::SequenceDiagram;
//! use socket_lifecycle::{Lang, Recorder, Socket};
//!
//! let recorder = Recorder::new();
//! let listener = Socket::tcp_v4(recorder.tracer("servidor"))?
//!     .bind("127.0.0.1:0".parse().unwrap())?
//!     .listen(5)?;
//! let client = Socket::tcp_v4(recorder.tracer("cliente"))?
//!     .connect(listener.local_addr().unwrap())?;
//! let (conn, _) = listener.accept()?;
//! client.send(b"ola")?;
//! conn.recv(&mut [0u8; 1024])?;
//!
//! let diagram = SequenceDiagram::redacted(&recorder.events());
//! let mermaid = diagram.mermaid(Lang::En);
//! assert!(mermaid.starts_with("sequenceDiagram\n"));
//! assert!(mermaid.contains("cliente->>servidor: SYN"));
//! assert!(mermaid.contains("cliente->>servidor_cliente: send() 3 bytes \"ola\""));
//! print!("{}", diagram.text(Lang::En));
//! # Ok::<(), socket_lifecycle::Error>(())
//! ```

mod mermaid;
#[cfg(feature = "json")]
mod page;
mod pictures;
mod rows;
mod sequence;
mod svg;
mod text;
mod typestate;

#[cfg(feature = "json")]
pub use page::page;
pub use pictures::pictures;
pub use sequence::SequenceDiagram;
pub use svg::typestate_svg;
pub use typestate::{
    TCP_TRANSITIONS, Transition, UDP_TRANSITIONS, transitions, typestate_mermaid, typestate_text,
};
