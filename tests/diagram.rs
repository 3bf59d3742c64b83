//! Diagrams drawn from real traces: the demo's conversation as a sequence
//! diagram (text and Mermaid), and the library's typestate diagram checked
//! against what the library really does.

mod support;

use std::collections::HashSet;
use std::time::Duration;

use socket_lifecycle::diagram::{SequenceDiagram, transitions, typestate_mermaid, typestate_text};
use socket_lifecycle::errno::Errno;
use socket_lifecycle::event::Transport;
use socket_lifecycle::event::{Call, Outcome};
use socket_lifecycle::{Event, Lang, Recorder, Socket, StateName, UdpSocket};
use support::loopback;

/// The demo itself (`examples/lifecycle.rs`): its `run` makes the calls,
/// in the same order as `cargo run --example lifecycle`.
#[allow(dead_code)]
#[path = "../examples/lifecycle.rs"]
mod demo;

fn demo_events() -> Vec<Event> {
    let recorder = Recorder::new();
    demo::run(&recorder).unwrap();
    recorder.events()
}

#[test]
fn demo_sequence_diagram_as_text() {
    let diagram = SequenceDiagram::redacted(&demo_events());
    assert_eq!(
        diagram.columns(),
        ["cliente", "servidor", "servidor#cliente"]
    );
    insta::assert_snapshot!("demo_sequence_text_en", diagram.text(Lang::En));
    insta::assert_snapshot!("demo_sequence_text_pt", diagram.text(Lang::Pt));
}

#[test]
fn demo_sequence_diagram_as_mermaid() {
    let mermaid = SequenceDiagram::redacted(&demo_events()).mermaid(Lang::En);
    let parsed = parse_mermaid_sequence(&mermaid);
    assert_eq!(
        parsed.participants,
        ["cliente", "servidor", "servidor_cliente"]
    );
    // The handshake, accept, the data both ways with byte counts, the FINs.
    let has = |from: &str, arrow: &str, to: &str, text: &str| {
        parsed
            .messages
            .iter()
            .any(|m| m.0 == from && m.1 == arrow && m.2 == to && m.3.starts_with(text))
    };
    assert!(has("cliente", "->>", "servidor", "SYN"));
    assert!(has("servidor", "-->>", "cliente", "SYN-ACK"));
    assert!(has("cliente", "->>", "servidor", "ACK"));
    assert!(has(
        "servidor",
        "-->>",
        "servidor_cliente",
        "accept(): new socket servidor#cliente"
    ));
    assert!(has(
        "cliente",
        "->>",
        "servidor_cliente",
        "send() 3 bytes \"ola\""
    ));
    assert!(has("servidor_cliente", "->>", "cliente", "send() 21 bytes"));
    assert!(has("servidor_cliente", "-)", "cliente", "FIN"));
    assert!(has("cliente", "-)", "servidor_cliente", "FIN"));
    assert!(
        parsed
            .notes
            .iter()
            .any(|(over, text)| over == "cliente" && text.starts_with("recv() = 0: FIN received"))
    );
    insta::assert_snapshot!("demo_sequence_mermaid_en", mermaid);
}

/// A diagram is drawn from the events alone: the same events (or a copy)
/// draw the same text, every time; the redacted drawing keeps none of the
/// run's own ports, which the plain drawing shows.
#[test]
fn diagrams_are_drawn_from_the_events_alone() {
    let events = demo_events();
    let redacted = SequenceDiagram::redacted(&events);
    let copy = events.clone();
    for lang in [Lang::Pt, Lang::En] {
        assert_eq!(
            redacted.text(lang),
            SequenceDiagram::redacted(&copy).text(lang)
        );
        assert_eq!(
            redacted.mermaid(lang),
            SequenceDiagram::redacted(&copy).mermaid(lang)
        );
    }
    let ports: Vec<String> = events
        .iter()
        .filter_map(|e| e.local)
        .map(|addr| format!(":{}", addr.port()))
        .collect();
    let plain = SequenceDiagram::new(&events).text(Lang::En);
    let text = redacted.text(Lang::En);
    assert!(ports.iter().any(|port| plain.contains(port)), "{plain}");
    for port in &ports {
        assert!(!text.contains(port), "{port} in\n{text}");
    }
}

/// A client whose server is not recorded: the server is a column named by
/// its address, drawn as not recorded (`┆`).
#[test]
fn an_unrecorded_peer_is_a_column_of_its_own() {
    let listener = Socket::tcp_v4("servidor")
        .and_then(|s| s.bind(loopback()))
        .and_then(|s| s.listen(5))
        .unwrap();
    let recorder = Recorder::new();
    let client = Socket::tcp_v4(recorder.tracer("cliente"))
        .and_then(|s| s.connect(listener.local_addr().unwrap()))
        .unwrap();
    let (conn, _) = listener.accept().unwrap();
    client.send_all(b"ola").unwrap();
    assert_eq!(conn.recv(&mut [0u8; 16]).unwrap(), 3);
    drop(conn);
    assert_eq!(client.recv(&mut [0u8; 16]).unwrap(), 0);
    client.close().unwrap();

    let diagram = SequenceDiagram::redacted(&recorder.events());
    assert_eq!(diagram.columns(), ["cliente", "127.0.0.1:<port ephemeral>"]);
    let text = diagram.text(Lang::En);
    assert!(text.contains("127.0.0.1:<port ephemeral>  (not recorded)"));
    assert!(
        text.lines()
            .any(|l| l.contains("┆") && l.contains("send() 3 bytes"))
    );
    parse_mermaid_sequence(&diagram.mermaid(Lang::Pt));
    insta::assert_snapshot!("unrecorded_peer_text_en", text);
}

/// A refused connect: the SYN reaches the port a bound (not listening)
/// socket holds, and its kernel answers RST.
#[test]
fn a_refused_connect_is_a_syn_answered_by_rst() {
    let recorder = Recorder::new();
    let holder = Socket::tcp_v4(recorder.tracer("sem-escuta"))
        .and_then(|s| s.bind(loopback()))
        .unwrap();
    let err = Socket::tcp_v4(recorder.tracer("cliente"))
        .and_then(|s| s.connect(holder.local_addr().unwrap()))
        .unwrap_err();
    assert_eq!(err.errno_name(), Some("ECONNREFUSED"));
    holder.close().unwrap();

    let diagram = SequenceDiagram::redacted(&recorder.events());
    let mermaid = diagram.mermaid(Lang::En);
    let parsed = parse_mermaid_sequence(&mermaid);
    assert_eq!(parsed.participants, ["cliente", "sem_escuta"]);
    assert!(mermaid.contains("    cliente->>sem_escuta: SYN  connect()\n"));
    assert!(mermaid.contains("    sem_escuta--xcliente: RST: nobody listens\n"));
    assert!(mermaid.contains("    Note over cliente: connect() = -1 ECONNREFUSED"));
    insta::assert_snapshot!("refused_connect_text_pt", diagram.text(Lang::Pt));
}

#[test]
fn typestate_diagram_renderings() {
    let tcp = Transport::Tcp;
    insta::assert_snapshot!("typestate_text_en", typestate_text(tcp, Lang::En));
    insta::assert_snapshot!("typestate_text_pt", typestate_text(tcp, Lang::Pt));
    insta::assert_snapshot!("typestate_mermaid_en", mermaid_states(tcp));
    let udp = Transport::Udp;
    insta::assert_snapshot!("udp_typestate_text_pt", typestate_text(udp, Lang::Pt));
    insta::assert_snapshot!("udp_typestate_mermaid_en", mermaid_states(udp));
}

/// The typestate diagram of `transport` as Mermaid, each line checked
/// against the grammar of a `stateDiagram-v2`.
fn mermaid_states(transport: Transport) -> String {
    let mermaid = typestate_mermaid(transport, Lang::En);
    let mut lines = mermaid.lines();
    assert_eq!(lines.next(), Some("stateDiagram-v2"));
    let states = [
        "[*]",
        "Created",
        "Bound",
        "Listening",
        "Connecting",
        "Connected",
        "Closed",
    ];
    for line in lines {
        let line = line.strip_prefix("    ").expect("indented statement");
        let (edge, label) = line.split_once(": ").unwrap_or((line, ""));
        let (from, to) = edge.split_once(" --> ").expect("a transition");
        assert!(states.contains(&from) && states.contains(&to), "{line}");
        assert_safe_mermaid_text(label);
    }
    mermaid
}

/// Every successful step the library takes — in the demo, a refused
/// connect, a shutdown, a read timeout, a listener shut down — is an edge
/// of the typestate table, so the diagram cannot drift from the code.
#[test]
fn every_recorded_step_is_on_the_typestate_diagram() {
    let recorder = Recorder::new();
    demo::run(&recorder).unwrap();

    let listener = Socket::tcp_v4(recorder.tracer("l"))
        .and_then(|s| s.bind(loopback()))
        .and_then(|s| s.listen(1))
        .unwrap();
    let client = Socket::tcp_v4(recorder.tracer("c"))
        .and_then(|s| s.bind(loopback()))
        .and_then(|s| s.connect(listener.local_addr().unwrap()))
        .unwrap();
    let (conn, _) = listener.accept().unwrap();
    conn.set_read_timeout(Some(Duration::from_millis(10)))
        .unwrap();
    assert!(conn.recv(&mut [0u8; 4]).is_err());
    client.shutdown(std::net::Shutdown::Write).unwrap();
    listener.shutdown().unwrap();
    drop((client, conn, listener));
    let bound = Socket::tcp_v4(recorder.tracer("b"))
        .and_then(|s| s.bind(loopback()))
        .unwrap();
    let refused =
        Socket::tcp_v4(recorder.tracer("r")).and_then(|s| s.connect(bound.local_addr().unwrap()));
    assert!(refused.is_err());
    bound.close().unwrap();
    every_nonblocking_step(&recorder);
    every_udp_step(&recorder);

    for transport in [Transport::Tcp, Transport::Udp] {
        let table = transitions(transport);
        let edges: HashSet<(Option<StateName>, Option<StateName>, &str)> =
            table.iter().map(|t| (t.from, t.to, t.syscall)).collect();
        let mut seen = HashSet::new();
        for event in recorder.events() {
            // A failed call goes nowhere — but for UDP's shutdown, whose
            // ENOTCONN on an unconnected socket is its normal answer.
            let udp_shutdown = matches!(event.call, Call::Shutdown { .. })
                && Errno::ENOTCONN.code().map(Outcome::Failed) == Some(event.outcome);
            // A non-blocking connect's EINPROGRESS leads to Connecting.
            let connecting = event.after == Some(StateName::Connecting);
            let failed =
                matches!(event.outcome, Outcome::Failed(_)) && !udp_shutdown && !connecting;
            // A wait over several sockets, an epoll instance's calls: no
            // socket's step, no typestate.
            let no_socket = event.before.is_none() && event.after.is_none();
            if event.transport != transport || failed || no_socket {
                continue;
            }
            let step = (event.before, event.after, event.call.name());
            assert!(
                edges.contains(&step),
                "{transport:?}: {step:?} is not on the diagram"
            );
            seen.insert(step);
        }
        // And the table has nothing the library never did, but for the end.
        for t in table {
            let step = (t.from, t.to, t.syscall);
            let accepted_socket = t.new_socket;
            let end = t.to.is_none();
            assert!(
                seen.contains(&step) || accepted_socket || end,
                "{transport:?}: {step:?} was never taken"
            );
        }
    }
}

/// Every non-blocking step of a TCP socket: a connect finished by
/// `poll` and `SO_ERROR`, a listener and a connection switched, and a
/// socket closed while it still connects.
fn every_nonblocking_step(recorder: &Recorder) {
    let listener = Socket::tcp_v4(recorder.tracer("nl"))
        .and_then(|s| s.bind(loopback()))
        .and_then(|s| s.listen(2))
        .unwrap();
    listener.set_nonblocking().unwrap();
    let addr = listener.local_addr().unwrap();
    let client = Socket::tcp_v4(recorder.tracer("nc"))
        .and_then(|s| s.connect_nonblocking(addr))
        .and_then(|s| s.finish_connect(None))
        .unwrap();
    let (conn, _) = listener.accept().unwrap();
    conn.set_nonblocking().unwrap();
    let abandoned = Socket::tcp_v4(recorder.tracer("na"))
        .and_then(|s| s.connect_nonblocking(addr))
        .unwrap();
    abandoned.close().unwrap();
    drop((client, conn, listener));
}

/// Every call of a UDP socket, in each state that has it.
fn every_udp_step(recorder: &Recorder) {
    let limit = Some(Duration::from_millis(10));
    let server = UdpSocket::udp_v4(recorder.tracer("us"))
        .and_then(|s| s.bind(loopback()))
        .unwrap();
    let server_addr = server.local_addr().unwrap();
    let created = UdpSocket::udp_v4(recorder.tracer("uc")).unwrap();
    created.set_read_timeout(limit).unwrap();
    let (bound, _) = created.send_to(b"um", server_addr).unwrap();
    bound.set_read_timeout(limit).unwrap();
    let got = server.recv_from(&mut [0u8; 8]).unwrap();
    server.send_to(b"dois", got.from.unwrap()).unwrap();
    bound.recv_from(&mut [0u8; 8]).unwrap();
    let connected = bound.connect(server_addr).unwrap();
    connected.set_read_timeout(limit).unwrap();
    connected.send(b"tres").unwrap();
    let got = server.recv_from(&mut [0u8; 8]).unwrap();
    server.send_to(b"quatro", got.from.unwrap()).unwrap();
    connected.recv(&mut [0u8; 8]).unwrap();
    server.shutdown().unwrap();
    connected.close().unwrap();
    server.close().unwrap();
    let direct = UdpSocket::udp_v4(recorder.tracer("ud"))
        .and_then(|s| s.connect(server_addr))
        .unwrap();
    direct.close().unwrap();
    UdpSocket::udp_v4(recorder.tracer("ux"))
        .unwrap()
        .close()
        .unwrap();
    let bound = UdpSocket::udp_v4(recorder.tracer("ub"))
        .and_then(|s| s.bind(loopback()))
        .unwrap();
    bound.connect(server_addr).unwrap().close().unwrap();
}

/// What the Mermaid grammar of a `sequenceDiagram` accepts, checked line by
/// line: participants first, then notes and messages between declared
/// participants, with labels free of the characters the grammar reads as
/// syntax.
struct ParsedSequence {
    participants: Vec<String>,
    messages: Vec<(String, String, String, String)>,
    notes: Vec<(String, String)>,
}

fn parse_mermaid_sequence(text: &str) -> ParsedSequence {
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("sequenceDiagram"), "the diagram type");
    let mut parsed = ParsedSequence {
        participants: Vec::new(),
        messages: Vec::new(),
        notes: Vec::new(),
    };
    let declared = |parsed: &ParsedSequence, id: &str| {
        assert!(
            parsed.participants.iter().any(|p| p == id),
            "{id} used before it is declared"
        );
    };
    for line in lines {
        let line = line.strip_prefix("    ").expect("statements are indented");
        if let Some(rest) = line.strip_prefix("participant ") {
            assert!(parsed.messages.is_empty() && parsed.notes.is_empty());
            let (id, alias) = rest.split_once(" as ").expect("participant ID as ALIAS");
            assert_id(id);
            assert_safe_mermaid_text(alias);
            parsed.participants.push(id.to_string());
        } else if let Some(rest) = line.strip_prefix("Note over ") {
            let (over, text) = rest.split_once(": ").expect("Note over A: text");
            for id in over.split(',') {
                assert_id(id);
                declared(&parsed, id);
            }
            assert_safe_mermaid_text(text);
            parsed.notes.push((over.to_string(), decode(text)));
        } else {
            let (signal, text) = line.split_once(": ").expect("A->>B: text");
            let arrows = ["-->>", "->>", "--x", "-)"];
            let (from, arrow, to) = arrows
                .iter()
                .find_map(|arrow| {
                    signal
                        .split_once(arrow)
                        .map(|(from, to)| (from, *arrow, to))
                })
                .unwrap_or_else(|| panic!("no arrow in {line:?}"));
            for id in [from, to] {
                assert_id(id);
                declared(&parsed, id);
            }
            assert_safe_mermaid_text(text);
            parsed.messages.push((
                from.to_string(),
                arrow.to_string(),
                to.to_string(),
                decode(text),
            ));
        }
    }
    parsed
}

/// A participant id: a letter, then letters, digits or `_` — nothing the
/// grammar's ACTOR token stops at (`-`, `+`, `<`, `>`, `:`, `,`, `;`).
fn assert_id(id: &str) {
    let mut chars = id.chars();
    assert!(
        chars.next().is_some_and(|c| c.is_ascii_alphabetic()),
        "{id:?}"
    );
    assert!(
        chars.all(|c| c.is_ascii_alphanumeric() || c == '_'),
        "{id:?}"
    );
}

/// Label text: the grammar ends a label at `#` or `;`, and `<`/`>` would be
/// read as HTML; each may appear only as an entity code `#NN;`.
fn assert_safe_mermaid_text(text: &str) {
    assert!(!text.contains(['\n', '<', '>']), "{text:?}");
    let mut rest = text;
    while let Some(at) = rest.find(['#', ';']) {
        let entity = &rest[at..];
        let end = entity
            .find(';')
            .unwrap_or_else(|| panic!("bare # in {text:?}"));
        assert!(
            entity.starts_with('#')
                && end > 1
                && entity[1..end].bytes().all(|b| b.is_ascii_digit()),
            "{text:?} has a bare # or ;"
        );
        rest = &entity[end + 1..];
    }
}

/// Mermaid's entity codes back to characters.
fn decode(text: &str) -> String {
    text.replace("#35;", "#")
        .replace("#59;", ";")
        .replace("#60;", "<")
        .replace("#62;", ">")
}

/// A UDP exchange draws datagrams as arrows, and no handshake or FIN: there
/// is no connection to draw.
#[test]
fn a_datagram_exchange_has_no_handshake_and_no_fin() {
    use socket_lifecycle::UdpSocket;
    let recorder = Recorder::new();
    let server = UdpSocket::udp_v4(recorder.tracer("servidor"))
        .and_then(|s| s.bind(loopback()))
        .unwrap();
    let server_addr = server.local_addr().unwrap();
    let (client, _) = UdpSocket::udp_v4(recorder.tracer("cliente"))
        .and_then(|s| s.send_to(b"ola", server_addr))
        .unwrap();
    let mut buf = [0u8; 64];
    let got = server.recv_from(&mut buf).unwrap();
    server
        .send_to(b"Servidor recebeu: ola", got.from.unwrap())
        .unwrap();
    client.recv_from(&mut buf).unwrap();
    client.close().unwrap();
    server.close().unwrap();

    let text = SequenceDiagram::redacted(&recorder.events()).text(Lang::En);
    assert_eq!(
        text.matches("──>").count() + text.matches("<──").count(),
        2,
        "{text}"
    );
    for absent in ["SYN", "FIN", "ACK"] {
        assert!(!text.contains(absent), "{absent} in\n{text}");
    }
    assert!(text.contains("send() 3 bytes \"ola\""), "{text}");
}
