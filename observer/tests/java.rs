//! A Java program under the observer: the JVM's own threads and its
//! probing sockets followed, `ServerSocket`'s IPv6 listener, `accept`,
//! and a stream's `write` and `read` told as the send and receive they
//! are. It needs a JDK (`java Eco.java` compiles the source first): where
//! there is none the test says so and does not run; in CI it fails
//! (`.ci/run` installs one).

#![cfg(target_os = "linux")]

mod common;

use common::{Watched, fixture, in_order, observer, require, runs};

#[test]
fn a_java_program_is_followed() {
    if !require(
        runs("javac", &["-version"]),
        "a JDK (javac, for `java Eco.java`)",
    ) {
        return;
    }
    let eco = fixture("Eco.java");
    let eco = eco.to_string_lossy();
    let run = Watched::start(observer("en"), "Eco.java", "java", &[&eco], &[]);
    run.proc.wait_stdout("recebeu 3\n");
    let (code, trace) = run.finish();
    assert_eq!(code, Some(0), "{trace}");
    in_order(
        &trace,
        &[
            // The JVM's own descriptors come first: the numbers may vary.
            "Bound → Listening: listen(",
            ", 5) = 0  [LISTEN, accept queue 0/5]",
            "Created → Connected: connect(",
            "{sa_family=AF_INET6",
            "Listening → Listening: accept(",
            "write(",
            "\"ola\", 3) = 3",
            "send(): 3 bytes handed to the kernel's send buffer",
            "read(",
            "\"ola\", 1024) = 3",
            "recv(): 3 bytes received",
        ],
    );
}
