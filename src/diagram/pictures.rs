//! The pictures of a trace as files (`--svg DIR`): their names and their
//! SVG text.

use super::sequence::SequenceDiagram;
use super::svg::typestate_svg;
use crate::event::{Event, Transport};
use crate::lang::Lang;

/// No system call: the pictures of `events` (`--svg DIR`), as file names
/// and their SVG text: `sequence.svg`, and `typestate-tcp.svg` and
/// `typestate-udp.svg` for the transports the events use.
///
/// ```
/// use socket_lifecycle::diagram::pictures;
/// use socket_lifecycle::{Lang, Recorder, Socket};
///
/// let recorder = Recorder::new();
/// Socket::tcp_v4(recorder.tracer("cliente"))?;
/// let names: Vec<String> = pictures(&recorder.events(), Lang::En).into_iter().map(|(n, _)| n).collect();
/// assert_eq!(names, ["sequence.svg", "typestate-tcp.svg"]);
/// # Ok::<(), socket_lifecycle::Error>(())
/// ```
pub fn pictures(events: &[Event], lang: Lang) -> Vec<(String, String)> {
    let mut files = vec![(
        "sequence.svg".to_string(),
        SequenceDiagram::new(events).svg(lang),
    )];
    for (transport, name) in [(Transport::Tcp, "tcp"), (Transport::Udp, "udp")] {
        if events.iter().any(|e| e.transport == transport) {
            files.push((
                format!("typestate-{name}.svg"),
                typestate_svg(transport, lang),
            ));
        }
    }
    files
}
