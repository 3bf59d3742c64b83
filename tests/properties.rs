//! Property tests for the pieces that parse or rewrite text: they must be
//! total (never panic) and redaction must be idempotent.

use proptest::prelude::*;
use socket_lifecycle::kernel::parse_proc_net_tcp;
use socket_lifecycle::trace::redact_ports;

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
