//! The instructors' chapter (`docs/*/05-*.md`) shows this file whole: a
//! course's grading test for the report's chat server, from the student's
//! submission to the grade. Here the submission is a correct one.

/// The student's `src/lib.rs`: the server in the two functions the
/// assignment asks for.
mod aluno {
    use socket_lifecycle::{Connection, Listener, Result, Socket, Tracer};

    /// socket → SO_REUSEADDR → bind → listen, every socket made from the
    /// tracer the harness hands in, so that every step is recorded.
    pub fn prepare(tracer: Tracer) -> Result<Listener> {
        Socket::tcp_v4(tracer)?
            .reuse_address(true)?
            .bind("127.0.0.1:0".parse().expect("an address"))?
            .listen(5)
    }

    /// accept until accept fails (the harness shuts the listener down at
    /// the end, as Ctrl+C would), a thread per client.
    pub fn serve(listener: &Listener) {
        let mut clients = Vec::new();
        while let Ok((conn, _peer)) = listener.accept() {
            clients.push(std::thread::spawn(move || handle(conn)));
        }
        for client in clients {
            let _ = client.join();
        }
    }

    fn handle(conn: Connection) {
        let mut buf = [0u8; 1024];
        while let Ok(n) = conn.recv(&mut buf) {
            if n == 0 {
                break;
            }
            let message = String::from_utf8_lossy(&buf[..n]).into_owned();
            let reply = if message.eq_ignore_ascii_case("sair") {
                "Conexão encerrada.".to_string()
            } else {
                format!("Servidor recebeu: {message}")
            };
            if conn.send_all(reply.as_bytes()).is_err() || reply.starts_with("Conexão") {
                break;
            }
        }
        let _ = conn.close();
    }
}

use socket_lifecycle::Lang;
use socket_lifecycle::grade::{Client, Harness};

#[test]
fn o_servidor_do_chat() {
    let grade = Harness::new()
        .together()
        .client(
            Client::new("cliente-1")
                .says("ola")
                .says("sair")
                .expects_close(),
        )
        .client(
            Client::new("cliente-2")
                .says("tudo bem?")
                .says("sair")
                .expects_close(),
        )
        .grade_server(aluno::prepare, aluno::serve);
    // For the student: every check, and under a failure what to change.
    println!("{}", grade.report(Lang::Pt));
    // For Gradescope: write it to /autograder/results/results.json there.
    let results = std::env::temp_dir().join("socket-lifecycle-results.json");
    std::fs::write(&results, grade.gradescope(Lang::Pt)).expect("results.json is written");
    assert!(grade.passed(), "{}", grade.report(Lang::Pt));
    assert_eq!(
        grade.replies("cliente-2"),
        ["Servidor recebeu: tudo bem?", "Conexão encerrada."]
    );
    // The whole trace, the same on every run, against the reference's.
    insta::assert_snapshot!(grade.canonical(Lang::Pt));
}
