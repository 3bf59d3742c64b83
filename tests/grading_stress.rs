//! The grading scenarios of `tests/grading.rs`, 200 runs in a row, while in
//! the same test binary one test keeps failing a snapshot on purpose (insta
//! then writes files and may start `rustfmt`) and another keeps spawning
//! processes — the conditions that once made a close end nothing, because a
//! forked child held a copy of every socket. Every run's canonical trace
//! must equal the first's.
//!
//! Slow by design, so ignored by `cargo test`; run it with
//!
//! ```sh
//! cargo test --release --test grading_stress -- --ignored --test-threads 3
//! ```

mod assignments;

use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use assignments::{reference, three_clients, two_bugs};
use socket_lifecycle::grade::{Check, Client, Grade, Harness};
use socket_lifecycle::{Lang, UdpSocket};

/// Set when the scenarios are done: the disturbers stop then.
static DONE: AtomicBool = AtomicBool::new(false);

/// How long the disturbers run at most, should the scenarios never end.
const LIMIT: Duration = Duration::from_secs(300);

/// The five scenarios, each graded once.
fn scenarios() -> Vec<Grade> {
    vec![
        three_clients(Harness::new().together()).grade_server(reference::prepare, reference::serve),
        three_clients(Harness::new()).grade_server(reference::prepare, reference::serve),
        Harness::new().grade_client(reference::prepare, reference::serve, reference::client),
        Harness::new()
            .client(Client::new("cliente").says("ola"))
            .grade_server(two_bugs::prepare, two_bugs::serve),
        Harness::new().grade_run(|recorder| {
            let server = UdpSocket::udp_v4(recorder.tracer("servidor"))
                .and_then(|s| s.bind("127.0.0.1:0".parse().expect("an address")))
                .expect("a UDP server");
            let addr = server.local_addr().expect("its address");
            let (client, _) = UdpSocket::udp_v4(recorder.tracer("cliente"))
                .and_then(|s| s.send_to(b"ola", addr))
                .expect("a datagram");
            let mut buf = [0u8; 16];
            let got = server.recv_from(&mut buf).expect("the datagram");
            server
                .send_to(b"oi", got.from.expect("a sender"))
                .expect("a reply");
            client.recv_from(&mut buf).expect("the reply");
        }),
    ]
}

#[test]
#[ignore = "a stress run: see the module docs for the command"]
fn grading_scenarios_200_runs_in_a_row() {
    // The disturbers stop when this test ends, passed or failed.
    struct Done;
    impl Drop for Done {
        fn drop(&mut self) {
            DONE.store(true, Ordering::SeqCst);
        }
    }
    let _done = Done;
    let first: Vec<String> = scenarios().iter().map(|g| g.canonical(Lang::En)).collect();
    let mut runs = 1;
    for run in 1..200 {
        for (i, (grade, expected)) in scenarios().iter().zip(&first).enumerate() {
            let got = grade.canonical(Lang::En);
            let differs = got.lines().zip(expected.lines()).find(|(a, b)| a != b);
            assert!(
                got == *expected,
                "run {run}, scenario {i} differs: {differs:#?}"
            );
        }
        let grades = scenarios();
        let failed: Vec<Check> = grades[3].findings().iter().map(|f| f.check).collect();
        assert_eq!(
            failed,
            [Check::ReuseAddressBeforeBind, Check::EndOfStreamClosed]
        );
        assert!(grades.iter().enumerate().all(|(i, g)| i == 3 || g.passed()));
        runs += 1;
    }
    eprintln!("{runs} runs in a row, each canonical trace the same as the first");
}

#[test]
#[ignore = "runs beside the stress run"]
fn a_snapshot_fails_on_purpose_meanwhile() {
    let dir = std::env::temp_dir().join("socket-lifecycle-stress-snapshots");
    let start = Instant::now();
    let mut failed = 0;
    while !DONE.load(Ordering::SeqCst) && start.elapsed() < LIMIT {
        let outcome = std::panic::catch_unwind(|| {
            insta::with_settings!({ snapshot_path => &dir, prepend_module_to_snapshot => false }, {
                insta::assert_snapshot!("never_matches", format!("{:?}", Instant::now()));
            });
        });
        failed += usize::from(outcome.is_err());
    }
    assert!(failed > 0);
}

#[test]
#[ignore = "runs beside the stress run"]
fn processes_are_spawned_meanwhile() {
    let start = Instant::now();
    let mut spawned = 0;
    while !DONE.load(Ordering::SeqCst) && start.elapsed() < LIMIT {
        let status = Command::new("true").status().expect("true runs");
        assert!(status.success());
        spawned += 1;
    }
    assert!(spawned > 0);
}
