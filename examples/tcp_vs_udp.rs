//! The same exchange over TCP and over UDP, traced side by side:
//!
//! ```sh
//! cargo run --example tcp_vs_udp
//! SOCKET_LIFECYCLE_LANG=pt cargo run --example tcp_vs_udp
//! ```
//!
//! In one process, on 127.0.0.1 (port 0: the kernel picks), a server and a
//! client do the report's exchange — `ola` → `Servidor recebeu: ola` — and
//! then the client sends two messages, `um` and `dois`, once over TCP and
//! once over UDP. Each transport is recorded by its own recorder; the
//! program prints, step by step, the calls each one made next to each other
//! (a `—` where one of them has no such call), then both complete traces,
//! then what the differences were — counted from the traces, not assumed:
//!
//! - what UDP skips: `listen`, `accept`, the handshake of `connect`, the
//!   FIN (no `recv` ever returns 0 for "the peer closed"), `SO_REUSEADDR`;
//! - what UDP keeps: message boundaries. The two TCP sends arrive as one
//!   `recv` of `umdois` (a byte stream); the two UDP sends are two
//!   `recvfrom`s, `um` and `dois`.
//!
//! The output is the deterministic (redacted) rendering — fd numbers and
//! kernel-chosen ports are shown as labels — so it is the same on every run
//! and a snapshot test holds it (`tests/udp_chat.rs`). With `RUST_LOG=info`
//! the plain trace is logged on standard error too.

use std::fmt::Write as _;
use std::process::ExitCode;
use std::time::Duration;

use socket_lifecycle::errno::errno_name;
use socket_lifecycle::event::{Call, Outcome, Transport};
use socket_lifecycle::kernel::AsDescriptor;
use socket_lifecycle::{Event, Lang, Recorder, Socket, TcpState, UdpSocket, kernel};

mod words;

use words::{Say, Skipped, Step};

/// The width of the TCP column.
const WIDTH: usize = 50;

/// One step of the script, and where its events start in each recorder.
struct Mark {
    step: Step,
    tcp: usize,
    udp: usize,
}

/// The two recorders and the step marks between their events.
struct Run {
    tcp: Recorder,
    udp: Recorder,
    marks: Vec<Mark>,
}

impl Run {
    fn step(&mut self, step: Step) {
        self.marks.push(Mark {
            step,
            tcp: self.tcp.events().len(),
            udp: self.udp.events().len(),
        });
    }
}

fn main() -> ExitCode {
    // Quiet unless asked: `RUST_LOG=info` also logs the plain trace on
    // standard error (tests/strace.rs holds it against strace).
    env_logger::init();
    let mut run = Run {
        tcp: Recorder::new(),
        udp: Recorder::new(),
        marks: Vec::new(),
    };
    let result = exchange(&mut run);
    print!("{}", render(&run, Lang::from_env()));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("{err}");
            ExitCode::FAILURE
        }
    }
}

/// The script, each step done over TCP, then over UDP.
fn exchange(run: &mut Run) -> Result<(), Box<dyn std::error::Error>> {
    let loopback = ([127, 0, 0, 1], 0).into();
    let mut buf = [0u8; 1024];

    run.step(Step::ServerPreparation);
    let listener = Socket::tcp_v4(run.tcp.tracer("servidor"))?
        .reuse_address(true)?
        .bind(loopback)?
        .listen(5)?;
    let tcp_server = listener.local_addr().ok_or("no TCP address")?;
    let server = UdpSocket::udp_v4(run.udp.tracer("servidor"))?.bind(loopback)?;
    let udp_server = server.local_addr().ok_or("no UDP address")?;

    run.step(Step::ClientArrives);
    let client = Socket::tcp_v4(run.tcp.tracer("cliente"))?.connect(tcp_server)?;
    let udp_client = UdpSocket::udp_v4(run.udp.tracer("cliente"))?;

    run.step(Step::ServerAccepts);
    let (conn, _) = listener.accept()?;

    run.step(Step::OlaReply);
    client.send_all(b"ola")?;
    let n = conn.recv(&mut buf)?;
    let reply = format!("Servidor recebeu: {}", String::from_utf8_lossy(&buf[..n]));
    conn.send_all(reply.as_bytes())?;
    client.recv(&mut buf)?;

    let (udp_client, _) = udp_client.send_to(b"ola", udp_server)?;
    let got = server.recv_from(&mut buf)?;
    let reply = format!(
        "Servidor recebeu: {}",
        String::from_utf8_lossy(&buf[..got.kept])
    );
    server.send_to(reply.as_bytes(), got.from.ok_or("no sender")?)?;
    udp_client.recv_from(&mut buf)?;

    run.step(Step::TwoMessages);
    client.send_all(b"um")?;
    client.send_all(b"dois")?;
    // The client is done sending: its FIN follows the bytes and pushes them
    // out at once.
    client.shutdown(std::net::Shutdown::Write)?;
    wait_for_fin(&conn);
    conn.recv(&mut buf)?;

    udp_client.send_to(b"um", udp_server)?;
    udp_client.send_to(b"dois", udp_server)?;
    server.recv_from(&mut buf)?;
    server.recv_from(&mut buf)?;

    run.step(Step::TheEnd);
    conn.recv(&mut buf)?; // 0: the client's FIN.
    conn.close()?;
    client.recv(&mut buf)?; // 0: the server's FIN.
    client.close()?;
    listener.close()?;

    udp_client.close()?;
    server.close()?;
    Ok(())
}

/// Waits (at most 2 s) until the kernel reports the connection in
/// CLOSE_WAIT: the client's FIN has arrived, and so have all the bytes sent
/// before it. The demo then reads what is queued, whatever the timing.
/// Where TCP_INFO cannot be read, it does not wait.
fn wait_for_fin(conn: &Socket<socket_lifecycle::Connected>) {
    for _ in 0..2000 {
        match kernel::tcp_info(conn.descriptor()) {
            Some(info) if info.state != TcpState::CloseWait => {
                std::thread::sleep(Duration::from_millis(1));
            }
            _ => return,
        }
    }
}

fn render(run: &Run, lang: Lang) -> String {
    let say = |say: Say| words::text_in(lang, &say);
    let tcp = run.tcp.events();
    let udp = run.udp.events();
    let mut out = String::new();
    let _ = writeln!(out, "{}\n", say(Say::SameExchange));
    for (i, mark) in run.marks.iter().enumerate() {
        let next = run.marks.get(i + 1);
        let tcp_step =
            &tcp[mark.tcp.min(tcp.len())..next.map_or(tcp.len(), |m| m.tcp.min(tcp.len()))];
        let udp_step =
            &udp[mark.udp.min(udp.len())..next.map_or(udp.len(), |m| m.udp.min(udp.len()))];
        let _ = writeln!(out, "── {}. {}", i + 1, say(Say::Step(mark.step)));
        let _ = writeln!(out, "   {:<WIDTH$} │ UDP", "TCP");
        for (left, right) in align(tcp_step, udp_step) {
            let cell = |event: Option<&Event>| event.map_or_else(|| "—".to_string(), compact);
            let _ = writeln!(out, "   {:<WIDTH$} │ {}", cell(left), cell(right));
        }
        out.push('\n');
    }
    let _ = writeln!(out, "── {}", say(Say::WholeTrace { transport: "TCP" }));
    out.push_str(&run.tcp.render_redacted(lang));
    let _ = writeln!(out, "\n── {}", say(Say::WholeTrace { transport: "UDP" }));
    out.push_str(&run.udp.render_redacted(lang));
    let _ = writeln!(out, "\n── {}", say(Say::TheDifferences));
    out.push_str(&summary(run, &tcp, &udp, lang));
    out
}

/// Pairs the events of one step: a longest common subsequence on (socket
/// without its `#n`, call name), so the same call on both sides shares a
/// row and a call only one side made gets a `—` on the other.
fn align<'a>(tcp: &'a [Event], udp: &'a [Event]) -> Vec<(Option<&'a Event>, Option<&'a Event>)> {
    let key = |event: &Event| {
        let base = event
            .socket
            .split('#')
            .next()
            .unwrap_or_default()
            .to_string();
        (base, event.call.name())
    };
    let (n, m) = (tcp.len(), udp.len());
    // lcs[i][j]: the longest common run of tcp[i..] and udp[j..].
    let mut lcs = vec![vec![0usize; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if key(&tcp[i]) == key(&udp[j]) {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut rows = Vec::new();
    while i < n || j < m {
        if i < n && j < m && key(&tcp[i]) == key(&udp[j]) {
            rows.push((Some(&tcp[i]), Some(&udp[j])));
            i += 1;
            j += 1;
        } else if i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1]) {
            rows.push((Some(&tcp[i]), None));
            i += 1;
        } else {
            rows.push((None, Some(&udp[j])));
            j += 1;
        }
    }
    rows
}

/// One event in a few words: `socket: call(…) = result`.
fn compact(event: &Event) -> String {
    let result = match event.outcome {
        Outcome::Returned(value) => value.to_string(),
        Outcome::Failed(errno) => format!("-1 {}", errno_name(errno).unwrap_or("?")),
    };
    let text = |data: &[u8]| format!("{:?}", String::from_utf8_lossy(data));
    let call = match &event.call {
        Call::Socket { transport, .. } => match transport {
            Transport::Tcp => "socket(SOCK_STREAM)".to_string(),
            Transport::Udp => "socket(SOCK_DGRAM)".to_string(),
        },
        Call::SetOption { option } => format!("setsockopt({})", option.name()),
        Call::Bind { addr } => format!("bind({addr})"),
        Call::Listen { backlog } => format!("listen({backlog}) = {result}"),
        Call::Accept { child, .. } => {
            format!("accept4() → {}", child.as_deref().unwrap_or("?"))
        }
        Call::Connect { .. } => format!("connect() = {result}"),
        Call::Send { data, .. } | Call::SendTo { data, .. } => {
            format!("sendto({}) = {result}", text(data))
        }
        Call::Recv { data, .. } | Call::RecvFrom { data, .. } => match event.outcome {
            Outcome::Returned(0) => "recvfrom() = 0".to_string(),
            _ => format!("recvfrom() = {result} {}", text(data)),
        },
        Call::Shutdown { .. } => format!("shutdown(SHUT_WR) = {result}"),
        Call::Close { .. } => "close()".to_string(),
        Call::Wait { syscall, .. } => format!("{}()", syscall.name()),
        Call::SetNonblocking => "fcntl(O_NONBLOCK)".to_string(),
        Call::TakeError { .. } => "getsockopt(SO_ERROR)".to_string(),
        Call::EpollCreate => "epoll_create1()".to_string(),
        Call::EpollAdd { .. } => "epoll_ctl()".to_string(),
        Call::KernelLookup { .. } => "kernel lookup".to_string(),
    };
    format!("{}: {call}", event.socket)
}

/// The calls TCP makes and UDP may not, by the name `made` looks for.
const SKIPPED: [(&str, Skipped); 5] = [
    ("SO_REUSEADDR", Skipped::ReuseAddress),
    ("listen", Skipped::Listen),
    ("accept4", Skipped::Accept),
    ("connect", Skipped::Connect),
    ("shutdown", Skipped::Shutdown),
];

/// What differed, counted from the two traces.
fn summary(run: &Run, tcp: &[Event], udp: &[Event], lang: Lang) -> String {
    let say = |say: Say| words::text_in(lang, &say);
    let mut out = String::new();
    let calls = Say::SystemCalls {
        tcp: tcp.len(),
        udp: udp.len(),
    };
    let _ = writeln!(out, "{}", say(calls));
    let made = |events: &[Event], name: &str| {
        events.iter().any(|e| match e.call {
            Call::SetOption { option } => option.name() == name,
            _ => e.call.name() == name,
        })
    };
    for (name, call) in SKIPPED {
        if made(tcp, name) && !made(udp, name) {
            let _ = writeln!(out, "{}", say(Say::UdpMadeNo(call)));
        }
    }
    let eofs = |events: &[Event]| {
        events
            .iter()
            .filter(|e| {
                matches!(e.call, Call::Recv { .. } | Call::RecvFrom { .. })
                    && e.outcome == Outcome::Returned(0)
            })
            .count()
    };
    let zeros = Say::RecvReturnedZero {
        tcp: eofs(tcp),
        udp: eofs(udp),
    };
    let _ = writeln!(out, "{}", say(zeros));
    // The two-message step: how many sends, how many receives with data.
    let step = run
        .marks
        .iter()
        .position(|mark| mark.step == Step::TwoMessages);
    if let Some(i) = step {
        let range = |start: usize, end: Option<usize>, len: usize| {
            start.min(len)..end.unwrap_or(len).min(len)
        };
        let next = run.marks.get(i + 1);
        let tcp_step = &tcp[range(run.marks[i].tcp, next.map(|m| m.tcp), tcp.len())];
        let udp_step = &udp[range(run.marks[i].udp, next.map(|m| m.udp), udp.len())];
        let boundaries = Say::Boundaries {
            tcp: boundaries(tcp_step),
            udp: boundaries(udp_step),
        };
        let _ = writeln!(out, "{}", say(boundaries));
    }
    out
}

/// `2 sendto → 1 recvfrom ("umdois")`.
fn boundaries(events: &[Event]) -> String {
    let sends = events
        .iter()
        .filter(|e| matches!(e.call, Call::Send { .. } | Call::SendTo { .. }))
        .count();
    let received: Vec<String> = events
        .iter()
        .filter_map(|e| match (&e.call, e.outcome) {
            (Call::Recv { data, .. } | Call::RecvFrom { data, .. }, Outcome::Returned(n))
                if n > 0 =>
            {
                Some(format!("{:?}", String::from_utf8_lossy(data)))
            }
            _ => None,
        })
        .collect();
    format!(
        "{sends} sendto → {} recvfrom ({})",
        received.len(),
        received.join(", ")
    )
}
