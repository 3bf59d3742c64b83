//! The whole lifecycle in one process: `cargo run --example lifecycle`.
//!
//! A server and a client on 127.0.0.1 (port 0: the kernel picks a free
//! port) exchange one round of the report's protocol — `ola` →
//! `Servidor recebeu: ola`, then `sair` → `Conexão encerrada.` — and close.
//! Then the complete trace of both sides is printed, step by step: each
//! system call as strace shows it, the state before → after, the kernel's
//! TCP state and a narration (`SOCKET_LIFECYCLE_LANG=pt` for Portuguese).
//! After the trace comes the same story as a sequence diagram: one column
//! per socket, one arrow per segment that crossed between them.
//!
//! Options:
//! - `--mermaid` (or `SOCKET_LIFECYCLE_MERMAID=1`): also print the diagram
//!   as Mermaid text, to paste into a Markdown file in a ```` ```mermaid ````
//!   block.
//! - `--redacted`: fd numbers and kernel-chosen ports shown as labels
//!   (`<fd servidor>`, `<port cliente>`), the trace grouped per socket — the
//!   same text on every run, as the snapshot tests see it.
//!
//! - `--json FILE`: the events as JSON Lines (the schema of
//!   `src/trace/json.rs`); `--html FILE`: one page that steps through them,
//!   with both diagrams (open it in a browser, offline); `--svg DIR`: the
//!   sequence and typestate diagrams as SVG files.
//! - `--color always|never|auto`: the trace's colours (by default, on a
//!   terminal that shows them unless `NO_COLOR` is set). On a terminal the
//!   lines are short (addresses as `{127.0.0.1:8888}`, the narration
//!   wrapped at 100 columns); piped, they are as strace prints the calls.
//!
//! `cargo run --example lifecycle -- refused` shows instead what the report
//! shows in its last screenshot: a client whose server is not there, and the
//! `ECONNREFUSED` the kernel answers.
//!
//! The order of calls is fixed so that the kernel states are too: the server
//! closes first (it is the active closer, and ends in TIME_WAIT); the client
//! reads until `recv` returns 0, so it sees CLOSE_WAIT before it closes.

// tests/docs.rs and tests/diagram.rs include this example as a
// module, and this shared module with it a second time.
#[allow(clippy::duplicate_mod)]
mod look;

use std::process::ExitCode;

use socket_lifecycle::diagram::SequenceDiagram;
use socket_lifecycle::render::Look;
use socket_lifecycle::{Lang, Recorder, Socket};

const USAGE: &str = "usage: cargo run --example lifecycle [-- [refused] [--redacted] [--mermaid] \
                     [--json FILE] [--html FILE] [--svg DIR] [--color always|never|auto]]";

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let files = match look::Files::take(&mut args) {
        Ok(files) => files,
        Err(err) => {
            eprintln!("{err}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let redacted = args.iter().any(|a| a == "--redacted");
    let mermaid = args.iter().any(|a| a == "--mermaid")
        || std::env::var("SOCKET_LIFECYCLE_MERMAID").is_ok_and(|v| v == "1");
    let lang = Lang::from_env();

    let recorder = Recorder::new();
    let scenario = args.iter().find(|a| !a.starts_with("--"));
    let result = match scenario.map(String::as_str) {
        None => run(&recorder),
        Some("refused") => refused(&recorder),
        Some(_) => Err(USAGE.into()),
    };
    let events = recorder.events();
    let diagram = if redacted {
        print!("{}", recorder.render_redacted_as(lang, &Look::for_stdout()));
        SequenceDiagram::redacted(&events)
    } else {
        print!("{}", recorder.render_terminal(lang, &Look::for_stdout()));
        SequenceDiagram::new(&events)
    };
    println!();
    print!("{}", diagram.text(lang));
    if mermaid {
        println!();
        print!("{}", diagram.mermaid(lang));
    }
    if let Err(err) = files.write(&recorder, lang) {
        eprintln!("{err}");
        return ExitCode::FAILURE;
    }
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("{err}");
            ExitCode::FAILURE
        }
    }
}

/// The demo's calls, in their fixed order, traced into `recorder`.
pub fn run(recorder: &Recorder) -> Result<(), Box<dyn std::error::Error>> {
    let mut buf = [0u8; 1024];

    // 1. Preparation: socket, SO_REUSEADDR, bind, listen.
    let listener = Socket::tcp_v4(recorder.tracer("servidor"))?
        .reuse_address(true)?
        .bind(([127, 0, 0, 1], 0).into())?
        .listen(5)?;
    let server_addr = listener.local_addr().ok_or("the listener has no address")?;

    // 2. Connection and communication.
    let client = Socket::tcp_v4(recorder.tracer("cliente"))?.connect(server_addr)?;
    let (conn, _peer) = listener.accept()?;

    client.send_all(b"ola")?;
    let n = conn.recv(&mut buf)?;
    let reply = format!("Servidor recebeu: {}", String::from_utf8_lossy(&buf[..n]));
    conn.send_all(reply.as_bytes())?;
    client.recv(&mut buf)?;

    client.send_all(b"sair")?;
    conn.recv(&mut buf)?;
    conn.send_all("Conexão encerrada.".as_bytes())?;
    client.recv(&mut buf)?;

    // 3. Close: the server closes first; the client reads the end of the
    // stream (recv returns 0: the server's FIN arrived), then closes too.
    let server_side = conn.close()?;
    client.recv(&mut buf)?;
    client.close()?;
    server_side.kernel_state();
    listener.close()?;
    Ok(())
}

/// A connect where nobody listens. The port is held by a socket that is
/// bound but never listens, so no other program can take it meanwhile.
fn refused(recorder: &Recorder) -> Result<(), Box<dyn std::error::Error>> {
    let holder =
        Socket::tcp_v4(recorder.tracer("sem-servidor"))?.bind(([127, 0, 0, 1], 0).into())?;
    let addr = holder.local_addr().ok_or("the socket has no address")?;
    match Socket::tcp_v4(recorder.tracer("cliente"))?.connect(addr) {
        Ok(_) => Err("connect succeeded although nobody listens".into()),
        Err(err) => {
            println!("{err}");
            holder.close()?;
            Ok(())
        }
    }
}
