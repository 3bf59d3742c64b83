//! The trace as a terminal shows it, from the demo run three ways: under a
//! pseudo-terminal (`script`), short and coloured — labels, states, errors
//! and narration each in their colour; under a pseudo-terminal with
//! `NO_COLOR`, short and plain; and piped, faithful and plain (the calls
//! exactly as strace prints them, which other tests compare). The demo runs
//! `--redacted`, so that each rendering is the same on every run.

mod support;

use std::process::Command;

use support::{example_path, require, run_example, runs};

/// The demo's output under a pseudo-terminal, `extra` added to its
/// environment; escape characters shown as `␛`, the terminal's `\r\n` as
/// `\n`.
fn on_a_terminal(args: &str, extra: &[(&str, &str)]) -> Option<String> {
    if !require(runs("script", &["--version"]), "script (util-linux)") {
        return None;
    }
    let demo = example_path("lifecycle");
    let mut command = Command::new("timeout");
    command
        .args(["60", "script", "-qec"])
        .arg(format!("{} --redacted {args}", demo.display()))
        .arg("/dev/null")
        .env("SOCKET_LIFECYCLE_LANG", "en")
        .env("TERM", "xterm-256color");
    for var in ["NO_COLOR", "CLICOLOR", "CLICOLOR_FORCE", "LANG", "LC_ALL"] {
        command.env_remove(var);
    }
    command.envs(extra.iter().copied());
    let out = command.output().expect("run script");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    Some(text.replace("\r\n", "\n").replace('\u{1b}', "␛"))
}

/// The trace part of the demo's output (before the diagram).
fn trace(output: &str) -> &str {
    output.split_once("\n\n").map_or(output, |(trace, _)| trace)
}

#[test]
fn a_terminal_shows_the_trace_short_and_in_colour() {
    let Some(output) = on_a_terminal("", &[]) else {
        return;
    };
    let trace = trace(&output);
    assert!(trace.contains("␛[1m␛[36m[servidor]␛[0m"), "{trace}");
    insta::assert_snapshot!("terminal_colour", trace);
    let refused = on_a_terminal("refused", &[]).expect("script ran above");
    assert!(
        refused.contains("= ␛[1m␛[31m-1 ECONNREFUSED (Connection refused)␛[0m"),
        "a failed call's result in red: {refused}"
    );
}

#[test]
fn no_color_leaves_the_short_lines_plain() {
    let Some(output) = on_a_terminal("", &[("NO_COLOR", "1")]) else {
        return;
    };
    let trace = trace(&output);
    assert!(!trace.contains('␛'), "{trace}");
    for line in trace.lines().filter(|l| l.starts_with("    ")) {
        assert!(
            line.chars().count() <= 100,
            "wider than 100 columns: {line}"
        );
    }
    insta::assert_snapshot!("terminal_plain", trace);
    let never = on_a_terminal("--color never", &[]).expect("script ran above");
    assert_eq!(never, output, "--color never is NO_COLOR's");
}

#[test]
fn piped_the_trace_is_faithful_and_plain_unless_colour_is_forced() {
    let piped = run_example(
        "lifecycle",
        &["--redacted"],
        &[("SOCKET_LIFECYCLE_LANG", "en")],
    );
    assert!(!piped.contains('\u{1b}'));
    assert!(piped.contains("sin_port=htons(<port servidor>), sin_addr=inet_addr(\"127.0.0.1\")}"));
    let forced = run_example(
        "lifecycle",
        &["--redacted", "--color", "always"],
        &[("SOCKET_LIFECYCLE_LANG", "en")],
    );
    assert!(
        forced.contains("\u{1b}[32mBound → Listening\u{1b}[0m"),
        "{forced}"
    );
    assert!(
        forced.contains("sin_port=htons(<port servidor>)"),
        "still faithful: {forced}"
    );
}
