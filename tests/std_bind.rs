//! What `std::net::TcpListener::bind` hides (`docs/*/01-*.md`): four system
//! calls in one — read back from the kernel, and, where strace is
//! installed, seen as the kernel records them.

mod support;

use std::process::Command;

use socket_lifecycle::TcpState;
use support::example_path;

#[allow(dead_code)]
#[path = "../examples/std_bind.rs"]
mod std_bind;

#[test]
fn tcp_listener_bind_sets_so_reuseaddr_and_listens_with_backlog_128() {
    let f = std_bind::demonstrate().unwrap();
    assert!(f.reuse_address, "SO_REUSEADDR is on");
    if cfg!(target_os = "linux") {
        assert_eq!(f.state, Some(TcpState::Listen));
        // listen(fd, 128), unless the kernel caps every backlog lower.
        let cap = f.somaxconn.unwrap_or(u32::MAX);
        assert_eq!(f.backlog, Some(128.min(cap)));
    }
}

#[test]
fn strace_sees_socket_setsockopt_bind_listen() {
    if !support::strace_here() {
        return;
    }
    let log = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("std_bind.{}.strace", std::process::id()));
    let status = Command::new("strace")
        .args(["-e", "trace=socket,setsockopt,bind,listen", "-o"])
        .arg(&log)
        .arg(example_path("std_bind"))
        .env("SOCKET_LIFECYCLE_LANG", "en")
        .output()
        .unwrap()
        .status;
    assert!(status.success());
    let text = std::fs::read_to_string(&log).unwrap();
    let _ = std::fs::remove_file(&log);
    let calls: Vec<&str> = text.lines().filter(|l| !l.starts_with("+++")).collect();
    assert_eq!(calls.len(), 4, "{text}");
    assert!(
        calls[0].starts_with("socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, "),
        "{}",
        calls[0]
    );
    assert!(
        calls[1].contains(", SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0"),
        "{}",
        calls[1]
    );
    assert!(
        calls[2].starts_with("bind(")
            && calls[2].contains("sin_port=htons(0), sin_addr=inet_addr(\"127.0.0.1\")"),
        "{}",
        calls[2]
    );
    let listen = calls[3].split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        listen.starts_with("listen(") && listen.ends_with(", 128) = 0"),
        "{listen}"
    );
}
