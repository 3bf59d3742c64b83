//! The lifecycle demo as a student runs it: `cargo run --example lifecycle`,
//! in Portuguese and in English, with and without its Mermaid output.

mod support;

use support::run_example;

/// The demo's redacted output, split into the trace's call lines, its
/// narration lines, and the sequence diagram after it.
struct DemoOutput {
    calls: Vec<String>,
    narrations: Vec<String>,
    diagram: Vec<String>,
}

fn demo(env: &[(&str, &str)]) -> DemoOutput {
    let text = run_example("lifecycle", &["--redacted"], env);
    let (trace, diagram) = text.split_once("\n\n").expect("a trace, then a diagram");
    let mut out = DemoOutput {
        calls: Vec::new(),
        narrations: Vec::new(),
        diagram: diagram.lines().map(str::to_string).collect(),
    };
    for line in trace.lines() {
        match line.strip_prefix("    ") {
            Some(words) => out.narrations.push(words.to_string()),
            None => out.calls.push(line.to_string()),
        }
    }
    out
}

#[test]
fn the_demo_narrates_the_same_steps_in_both_languages() {
    let pt = demo(&[("SOCKET_LIFECYCLE_LANG", "pt")]);
    let en = demo(&[("SOCKET_LIFECYCLE_LANG", "en")]);
    // The strace renderings, states and kernel states are identical; only
    // the few words around the kernel's answers are the language's…
    let in_english = |line: &String| {
        line.replace("fila de aceitação", "accept queue")
            .replace("LAST_ACK/esquecida", "LAST_ACK/gone")
            .replace("consulta ao kernel", "kernel lookup")
    };
    let pt_calls: Vec<String> = pt.calls.iter().map(in_english).collect();
    assert_eq!(pt_calls, en.calls);
    assert!(
        pt.calls
            .iter()
            .any(|l| l.contains("listen(<fd servidor>, 5) = 0"))
    );
    // …and every step is narrated in each language, in different words.
    assert_eq!(pt.narrations.len(), en.narrations.len());
    assert_eq!(
        pt.narrations.len(),
        pt.calls.iter().filter(|l| l.starts_with('[')).count()
    );
    for (pt, en) in pt.narrations.iter().zip(&en.narrations) {
        assert!(!pt.is_empty() && !en.is_empty());
        assert_ne!(pt, en);
    }
    assert!(
        pt.narrations
            .iter()
            .any(|n| n.contains("o outro lado encerrou o envio (o FIN dele chegou)"))
    );
    assert!(
        en.narrations
            .iter()
            .any(|n| n.contains("the peer closed its sending side (its FIN arrived)"))
    );
    // The diagram has the same rows in both languages.
    assert_eq!(pt.diagram.len(), en.diagram.len());
    assert!(pt.diagram.iter().any(|l| l.ends_with("1. preparação")));
    assert!(en.diagram.iter().any(|l| l.ends_with("1. preparation")));
}

#[test]
fn the_language_follows_the_locale_by_default() {
    let pt = demo(&[("LANG", "pt_BR.UTF-8")]);
    assert!(pt.narrations[0].starts_with("socket(): um novo ponto"));
    let en = demo(&[("LANG", "C.UTF-8")]);
    assert!(en.narrations[0].starts_with("socket(): a new TCP endpoint"));
    let en = demo(&[("LC_ALL", "en_US.UTF-8"), ("LANG", "pt_BR.UTF-8")]);
    assert!(en.narrations[0].starts_with("socket(): a new TCP endpoint"));
    // The library's own variable wins over the locale.
    let pt = demo(&[("SOCKET_LIFECYCLE_LANG", "pt"), ("LC_ALL", "en_US.UTF-8")]);
    assert!(pt.narrations[0].starts_with("socket(): um novo ponto"));
}

#[test]
fn the_demo_prints_a_sequence_diagram_and_mermaid_on_request() {
    let plain = run_example("lifecycle", &[], &[]);
    assert!(plain.contains("cliente      servidor     servidor#1\n"));
    assert!(!plain.contains("sequenceDiagram"));
    for (args, env) in [
        (&["--mermaid"][..], &[][..]),
        (&[][..], &[("SOCKET_LIFECYCLE_MERMAID", "1")][..]),
    ] {
        let text = run_example("lifecycle", args, env);
        let mermaid = &text[text.find("sequenceDiagram\n").expect("Mermaid output")..];
        assert!(mermaid.contains("    participant servidor_1 as servidor#35;1\n"));
        assert!(mermaid.contains("    cliente->>servidor: SYN  connect()\n"));
    }
}
