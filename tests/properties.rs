//! Property tests for the pieces that parse, decode or rewrite text: they
//! must be total (never panic), decoding in pieces must equal decoding
//! whole, and redaction must be idempotent.

use proptest::prelude::*;
use socket_lifecycle::TextDecoder;
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
        let entries = parse_proc_net_tcp(&lines.join("\n"));
        prop_assert!(entries.len() <= lines.len());
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
    fn redaction_keeps_fixed_ports(port in 1u16..1024) {
        let line = format!("127.0.0.1:{port}");
        prop_assert_eq!(redact_ports(&line), line);
    }
}
