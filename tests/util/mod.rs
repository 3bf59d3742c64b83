//! Helpers shared by the integration tests that run the examples.

#![allow(dead_code)]

use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::Mutex;

/// The examples this test binary has built already.
static BUILT: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// The path of a built example, building it first if needed (`cargo test`
/// has built every example already; `cargo test --test NAME` has not).
pub fn example_binary(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("the test binary's path");
    // target/<profile>/deps/<test> → target/<profile>
    let profile_dir = exe
        .parent()
        .and_then(|deps| deps.parent())
        .expect("a target directory");
    let path = profile_dir.join("examples").join(name);
    let mut built = BUILT.lock().unwrap_or_else(|e| e.into_inner());
    if built.iter().any(|b| b == name) {
        return path;
    }
    let mut build = Command::new(env!("CARGO"));
    build.args(["build", "--quiet", "--example", name]);
    if profile_dir.ends_with("release") {
        build.arg("--release");
    }
    let status = build.status().expect("cargo runs");
    assert!(status.success(), "building example {name} failed");
    built.push(name.to_string());
    path
}

/// Runs an example with `args` and the environment variables `env` (the
/// locale variables are cleared first, so the language is only what `env`
/// says), and returns its output.
pub fn run_example(name: &str, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(example_binary(name));
    command.args(args);
    for var in [
        "SOCKET_LIFECYCLE_LANG",
        "SOCKET_LIFECYCLE_MERMAID",
        "LC_ALL",
        "LC_MESSAGES",
        "LANG",
    ] {
        command.env_remove(var);
    }
    command.envs(env.iter().copied());
    let output = command.output().expect("the example runs");
    assert!(
        output.status.success(),
        "example {name} {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// An example's standard output as text.
pub fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("UTF-8 output")
}
