//! The error guide (`docs/*/04-*.md`), made for real: every failure that
//! can be made on loopback, with the errno, cause and hint the guide names.
//! (`tests/examples.rs` runs the example's binary.)

use socket_lifecycle::{Cause, Lang, Recorder};

#[allow(dead_code)]
#[path = "../examples/error_guide.rs"]
mod guide;

#[test]
fn each_failure_has_the_errno_cause_and_hint_the_guide_names() {
    let recorder = Recorder::new();
    let cases = guide::demonstrate(&recorder).unwrap();
    let seen: Vec<(&str, Cause)> = cases
        .iter()
        .map(|c| (c.error.errno_name().unwrap(), c.error.cause()))
        .collect();
    assert_eq!(
        seen,
        [
            ("ECONNREFUSED", Cause::NoListener),
            ("EADDRINUSE", Cause::PortInUse),
            ("EADDRNOTAVAIL", Cause::AddressNotAvailable),
            ("EPIPE", Cause::ConnectionOver),
            ("ECONNRESET", Cause::Reset),
            ("ENOTCONN", Cause::NotConnected),
            ("EAGAIN", Cause::TimedOut),
            ("EINVAL", Cause::NotListening),
        ]
    );
    let steps: Vec<&str> = cases.iter().map(|c| c.error.step()).collect();
    assert_eq!(
        steps,
        [
            "connect", "bind", "bind", "sendto", "recvfrom", "shutdown", "recvfrom", "accept4"
        ]
    );
    // The key advice of each hint, in both languages.
    let advice = [
        ("start the server first", "inicie o servidor primeiro"),
        (
            "SO_REUSEADDR only frees ports held in TIME_WAIT",
            "SO_REUSEADDR só libera",
        ),
        (
            "does not belong to this machine",
            "não pertence a esta máquina",
        ),
        (
            "nothing more can be sent; close the socket",
            "não dá para enviar mais nada; feche o socket",
        ),
        (
            "closed while data it never read was waiting",
            "fechou com dados que nunca leu",
        ),
        ("it has ended (it was reset)", "já terminou (sofreu reset)"),
        (
            "nothing arrived within the time limit",
            "nada chegou dentro do limite",
        ),
        (
            "accept() has nothing left to wait for",
            "o accept() não tem mais o que esperar",
        ),
    ];
    for (case, (en, pt)) in cases.iter().zip(advice) {
        assert!(case.error.message(Lang::En).contains(en), "{}", case.what);
        assert!(case.error.message(Lang::Pt).contains(pt), "{}", case.what);
    }
    // Every failure is in the trace too, as strace would show it.
    let trace = recorder.render_redacted(Lang::En);
    for (errno, _) in &seen {
        assert!(trace.contains(&format!("= -1 {errno} (")), "{errno}");
    }
}
