//! Property tests for the pieces that parse, decode or rewrite text: they
//! must be total (never panic), decoding in pieces must equal decoding
//! whole, and redaction must be idempotent.

use std::net::SocketAddr;

use proptest::prelude::*;
use socket_lifecycle::TextDecoder;
use socket_lifecycle::kernel::TcpState;
use socket_lifecycle::kernel::parse_proc_net_tcp;
use socket_lifecycle::render::redact_ports;

/// Decodes `bytes` cut at `cuts` (positions, in any order) the way the chat
/// does: one `push` per piece, then `finish`.
fn decode_in_pieces(bytes: &[u8], cuts: &[usize]) -> String {
    let mut cuts: Vec<usize> = cuts.iter().map(|c| c % (bytes.len() + 1)).collect();
    cuts.sort_unstable();
    let mut decoder = TextDecoder::new();
    let mut text = String::new();
    let mut start = 0;
    for cut in cuts.into_iter().chain([bytes.len()]) {
        text.push_str(decoder.push(&bytes[start..cut]).text());
        start = cut;
    }
    text.push_str(decoder.finish().text());
    text
}

/// Lines shaped like `/proc/net/tcp`'s, with arbitrary fields.
fn proc_like_line() -> impl Strategy<Value = String> {
    (
        "[0-9]{1,4}:?",
        "[0-9A-Fa-f]{0,33}:?[0-9A-Fa-f]{0,5}",
        "[0-9A-Fa-f]{0,33}:?[0-9A-Fa-f]{0,5}",
        "[0-9A-Fa-f]{0,3}",
        ".{0,40}",
    )
        .prop_map(|(sl, local, remote, st, tail)| format!("{sl} {local} {remote} {st} {tail}"))
}

/// `/proc/net/tcp`'s line for a connection (`miss` 0), or a near miss of
/// it: the slot's colon gone (1), a digit that is not hex (2), a state the
/// kernel has not (3), the line cut after the local address (4), an
/// address one digit short (5).
fn proc_line(slot: usize, local: SocketAddr, remote: SocketAddr, state: u8, miss: usize) -> String {
    // The kernel prints each IPv4 address as the u32 in memory, in hex.
    let field = |addr: SocketAddr| match addr {
        SocketAddr::V4(v4) => format!(
            "{:08X}:{:04X}",
            u32::from_ne_bytes(v4.ip().octets()),
            v4.port()
        ),
        SocketAddr::V6(_) => unreachable!("IPv4 only here"),
    };
    let (mut local, remote) = (field(local), field(remote));
    let mut colon = ":";
    let mut st = format!("{state:02X}");
    match miss {
        1 => colon = "",
        2 => local.replace_range(0..1, "G"),
        3 => st = "0C".to_string(),
        4 => return format!("{slot:4}: {local}"),
        5 => {
            local.remove(0);
        }
        _ => {}
    }
    format!(
        "{slot:4}{colon} {local} {remote} {st} 00000000:00000000 00:00000000 00000000  1000        0 12345 1"
    )
}

/// The kernel's range, read the way the library reads it.
fn ephemeral_range() -> (u16, u16) {
    let text = std::fs::read_to_string("/proc/sys/net/ipv4/ip_local_port_range")
        .unwrap_or_else(|_| "32768 60999".to_string());
    let mut bounds = text.split_whitespace().filter_map(|n| n.parse().ok());
    (
        bounds.next().unwrap_or(32768),
        bounds.next().unwrap_or(60999),
    )
}

proptest! {
    #[test]
    fn utf8_carried_over_any_split_equals_a_whole_decode(
        text in "\\PC{0,60}",
        cuts in prop::collection::vec(0usize..256, 0..8),
    ) {
        prop_assert_eq!(decode_in_pieces(text.as_bytes(), &cuts), text);
    }

    #[test]
    fn any_bytes_in_any_split_decode_as_a_whole_lossy_decode(
        bytes in prop::collection::vec(any::<u8>(), 0..80),
        cuts in prop::collection::vec(0usize..256, 0..8),
    ) {
        let whole = String::from_utf8_lossy(&bytes).into_owned();
        prop_assert_eq!(decode_in_pieces(&bytes, &cuts), whole);
    }

    #[test]
    fn proc_parser_never_panics_on_any_text(text in "\\PC{0,400}") {
        let _ = parse_proc_net_tcp(&text);
    }

    #[test]
    fn proc_parser_never_panics_on_near_misses(lines in prop::collection::vec(proc_like_line(), 0..20)) {
        let _ = parse_proc_net_tcp(&lines.join("\n"));
    }

    /// Lines as the kernel writes them, among near misses of them: the
    /// parser returns exactly the kernel's lines, each with its addresses
    /// and state, and none of the near misses.
    #[test]
    fn proc_parser_reads_exactly_the_well_formed_lines(
        lines in prop::collection::vec((0usize..6, any::<[u8; 4]>(), any::<u16>(), any::<[u8; 4]>(), any::<u16>(), 1u8..=11), 0..20),
    ) {
        let mut text = String::new();
        let mut expected = Vec::new();
        for (slot, (miss, local, lport, remote, rport, state)) in lines.into_iter().enumerate() {
            let (local, remote) = (
                SocketAddr::from((local, lport)),
                SocketAddr::from((remote, rport)),
            );
            text.push_str(&proc_line(slot, local, remote, state, miss));
            text.push('\n');
            if miss == 0 {
                expected.push((local, remote, TcpState::from_kernel(state)));
            }
        }
        let parsed: Vec<_> = parse_proc_net_tcp(&text)
            .into_iter()
            .map(|e| (e.local, e.remote, Some(e.state)))
            .collect();
        prop_assert_eq!(parsed, expected);
    }

    #[test]
    fn redaction_is_idempotent(text in "\\PC{0,200}") {
        let once = redact_ports(&text);
        prop_assert_eq!(redact_ports(&once), once);
    }

    #[test]
    fn redaction_hides_every_ephemeral_port(offset in 0u32..65536) {
        let (low, high) = ephemeral_range();
        let port = low + (offset % (u32::from(high - low) + 1)) as u16;
        let line = format!("conectado a 127.0.0.1:{port} via htons({port})");
        let redacted = redact_ports(&line);
        prop_assert!(!redacted.contains(&port.to_string()), "{}", redacted);
    }

    #[test]
    fn redaction_keeps_fixed_ports(port in 1u16..=u16::MAX) {
        let (low, high) = ephemeral_range();
        prop_assume!(!(low..=high).contains(&port));
        let line = format!("127.0.0.1:{port} htons({port})");
        prop_assert_eq!(redact_ports(&line), line);
    }
}
