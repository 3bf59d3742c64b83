//! Grading that never flakes (`docs/*/05-*.md`): the harness runs a
//! student's server or client with scripted clients, the lifecycle checks
//! judge the recorded trace, and the canonical rendering is the same on
//! every run — whatever order threads run in.
//!
//! The stress run that holds these scenarios 200 times in a row beside a
//! failing snapshot and spawned processes is `tests/grading_stress.rs`.

mod assignments;

use std::time::Duration;

use assignments::{reference, three_clients, two_bugs};
use socket_lifecycle::grade::{Check, Client, Grade, Harness};
use socket_lifecycle::{Lang, UdpSocket};

fn threaded_server_with_three_concurrent_clients() -> Grade {
    three_clients(Harness::new().together()).grade_server(reference::prepare, reference::serve)
}

#[test]
fn a_threaded_server_with_three_concurrent_clients_passes() {
    let grade = threaded_server_with_three_concurrent_clients();
    assert!(grade.passed(), "{}", grade.report(Lang::En));
    for i in 1..=3 {
        assert_eq!(
            grade.replies(&format!("cliente-{i}")),
            ["Servidor recebeu: ola", "Conexão encerrada."]
        );
    }
    insta::assert_snapshot!("threaded_three_together", grade.canonical(Lang::Pt));
}

#[test]
fn the_canonical_trace_of_three_concurrent_clients_is_the_same_in_100_runs() {
    let first = threaded_server_with_three_concurrent_clients().canonical(Lang::En);
    for run in 1..100 {
        let again = threaded_server_with_three_concurrent_clients().canonical(Lang::En);
        assert_eq!(again, first, "run {run} differs");
    }
}

#[test]
fn sequential_clients_pass_and_name_their_sockets_alike() {
    let grade = three_clients(Harness::new()).grade_server(reference::prepare, reference::serve);
    assert!(grade.passed(), "{}", grade.report(Lang::En));
    let together = threaded_server_with_three_concurrent_clients().canonical(Lang::En);
    // In turn or together: the accepted sockets are named for their
    // clients; only the listener's queue counts and the kernel states of
    // racing closes are left out in both.
    for i in 1..=3 {
        let section = format!("── servidor#cliente-{i}\n");
        assert!(grade.canonical(Lang::En).contains(&section));
        assert!(together.contains(&section));
    }
    insta::assert_snapshot!("three_in_turn", grade.canonical(Lang::Pt));
}

#[test]
fn a_students_client_is_graded_against_the_reference_server() {
    let grade =
        Harness::new().grade_client(reference::prepare, reference::serve, reference::client);
    assert!(grade.passed(), "{}", grade.report(Lang::En));
    let canonical = grade.canonical(Lang::En);
    assert!(canonical.contains("── cliente\n") && canonical.contains("── servidor#cliente\n"));
    insta::assert_snapshot!("client_against_reference", grade.canonical(Lang::Pt));
}

#[test]
fn a_program_failing_two_checks_is_told_where_in_both_languages() {
    let grade = Harness::new()
        .client(Client::new("cliente").says("ola"))
        .grade_server(two_bugs::prepare, two_bugs::serve);
    let failed: Vec<Check> = grade.findings().iter().map(|f| f.check).collect();
    assert_eq!(
        failed,
        [Check::ReuseAddressBeforeBind, Check::EndOfStreamClosed]
    );
    let pt = grade.report(Lang::Pt);
    let en = grade.report(Lang::En);
    assert!(
        pt.contains("✗ um servidor ativa SO_REUSEADDR antes do bind()"),
        "{pt}"
    );
    assert!(
        pt.contains("servidor: bind() sem SO_REUSEADDR antes"),
        "{pt}"
    );
    assert!(en.contains("✗ recv() = 0 is answered by closing"), "{en}");
    assert!(en.contains("servidor#cliente: recv() returned 0"), "{en}");
    assert!(en.contains("✓ every socket is closed by the end"), "{en}");
    // The steps that led to it, the step pointed at marked.
    assert!(en.contains("the steps that led to it:"), "{en}");
    let marked: Vec<&str> = en.lines().filter(|l| l.ends_with('←')).collect();
    assert!(marked[0].contains("bind(<fd servidor>"), "{en}");
    assert!(
        marked[1].contains("recvfrom(<fd servidor#cliente>") && marked[1].contains(") = 0"),
        "{en}"
    );
    insta::assert_snapshot!("two_bugs_report_pt", pt);
}

#[test]
fn a_udp_exchange_is_graded_too() {
    let grade = Harness::new().grade_run(|recorder| {
        let server = UdpSocket::udp_v4(recorder.tracer("servidor"))
            .and_then(|s| s.bind("127.0.0.1:0".parse().expect("an address")))
            .expect("a UDP server on loopback");
        let addr = server.local_addr().expect("its address");
        let (client, _) = UdpSocket::udp_v4(recorder.tracer("cliente"))
            .and_then(|s| s.send_to(b"ola", addr))
            .expect("a first datagram");
        client
            .set_read_timeout(Some(Duration::from_secs(2)))
            .expect("a time limit");
        let mut buf = [0u8; 64];
        let got = server.recv_from(&mut buf).expect("the datagram");
        let from = got.from.expect("its sender");
        server
            .send_to(b"Servidor recebeu: ola", from)
            .expect("the reply");
        client.recv_from(&mut buf).expect("the reply");
        client.close().expect("a close");
        server.close().expect("a close");
    });
    assert!(grade.passed(), "{}", grade.report(Lang::En));
    insta::assert_snapshot!("udp_exchange", grade.canonical(Lang::En));
}

/// Gradescope's `results.json` (its autograder documentation): an object
/// with `tests`, each with a `name` (string), a `score` and a `max_score`
/// (numbers), an `output` (string) and a `status` (`passed` or `failed`),
/// and a top-level `score`, here the sum of the tests' scores.
#[test]
fn results_json_follows_gradescopes_format() {
    let grade = Harness::new()
        .client(Client::new("cliente").says("ola"))
        .grade_server(two_bugs::prepare, two_bugs::serve);
    for lang in Lang::ALL {
        let json: serde_json::Value =
            serde_json::from_str(&grade.gradescope(lang)).expect("results.json is JSON");
        let tests = json["tests"].as_array().expect("a tests array");
        assert_eq!(tests.len(), Check::ALL.len());
        let mut sum = 0.0;
        for test in tests {
            assert!(test["name"].is_string(), "{test}");
            assert!(test["output"].is_string(), "{test}");
            let score = test["score"].as_f64().expect("a score");
            assert_eq!(test["max_score"].as_f64(), Some(1.0));
            let status = test["status"].as_str().expect("a status");
            assert_eq!(status, if score == 1.0 { "passed" } else { "failed" });
            sum += score;
        }
        assert_eq!(json["score"].as_f64(), Some(sum));
        assert_eq!(sum, (Check::ALL.len() - 2) as f64);
        assert!(
            json["output"]
                .as_str()
                .is_some_and(|o| o.contains("── servidor"))
        );
    }
}
