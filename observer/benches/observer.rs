//! The observer beside strace on the report's Python server under load:
//! 50 clients held at once, each saying `ola` 20 times (every reply read
//! whole) and then `sair`, against `servidor.py` alone, under
//! `socket-lifecycle trace`, and under `strace -f -e trace=network,close`
//! (both writing their trace to a file). Prints the time of each run, the
//! median of each, and both slowdowns over the untraced server.
//!
//! ```sh
//! cargo bench -p socket-lifecycle-observer --bench observer
//! ```
//!
//! Not a timed test: the numbers depend on the machine and on what else
//! it runs; README.md keeps one run's.

#[cfg(target_os = "linux")]
#[path = "../tests/common/mod.rs"]
mod common;

#[cfg(target_os = "linux")]
fn main() {
    bench::main();
}

/// Elsewhere there is no observer to measure (its `main` refuses to trace).
#[cfg(not(target_os = "linux"))]
fn main() {
    eprintln!("the observer traces on Linux only: nothing to measure here");
}

/// The measurement, on Linux.
#[cfg(target_os = "linux")]
mod bench {
    use std::io::{Read, Write};
    use std::net::{SocketAddr, TcpStream};
    use std::time::{Duration, Instant};

    use super::common::{Under, Watched, repo};

    const CLIENTS: usize = 50;
    const MESSAGES: usize = 20;
    const RUNS: usize = 5;

    /// Says `message` and reads the reply of `len` bytes whole.
    fn exchange(stream: &mut TcpStream, message: &[u8], len: usize) -> std::io::Result<()> {
        stream.write_all(message)?;
        let mut reply = vec![0u8; len];
        stream.read_exact(&mut reply)
    }

    /// A client connected, after its first exchange: the server has accepted
    /// it and started its thread. Clients connect one after another, so that
    /// the report's `listen(5)` queue never overflows (an overflow costs a
    /// second-long SYN retry, which would drown what is measured).
    fn connected(server: SocketAddr) -> std::io::Result<TcpStream> {
        let mut stream = TcpStream::connect(server)?;
        stream.set_read_timeout(Some(Duration::from_secs(10)))?;
        exchange(&mut stream, b"ola", "Servidor recebeu: ola".len())?;
        Ok(stream)
    }

    /// The rest of a client's conversation: `ola` until MESSAGES in all, then
    /// `sair` and the goodbye.
    fn talk(mut stream: TcpStream) -> std::io::Result<()> {
        for _ in 1..MESSAGES {
            exchange(&mut stream, b"ola", "Servidor recebeu: ola".len())?;
        }
        exchange(&mut stream, b"sair", "Conexão encerrada.".len())
    }

    /// The time 50 clients take against `servidor.py` under `under`.
    fn run(under: Under) -> Duration {
        let port = super::common::support::free_port();
        let port_text = port.to_string();
        let script = repo("tests/fixtures/servidor.py");
        let script = script.to_string_lossy();
        let mut server = Watched::start(
            under,
            "servidor.py",
            "python3",
            &["-u", &script, "127.0.0.1", &port_text],
            &[],
        );
        server.proc.expect("[*] Aguardando conexões...\n");
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        let start = Instant::now();
        let streams: Vec<TcpStream> = (0..CLIENTS)
            .map(|_| {
                connected(addr)
                    .unwrap_or_else(|e| panic!("connect: {e}\n{}", server.proc.dump_tail(20)))
            })
            .collect();
        let clients: Vec<_> = streams
            .into_iter()
            .map(|stream| std::thread::spawn(move || talk(stream)))
            .collect();
        for client in clients {
            match client.join() {
                Ok(Ok(())) => {}
                other => panic!("a client failed: {other:?}\n{}", server.proc.dump_tail(20)),
            }
        }
        let took = start.elapsed();
        // Ctrl+C once every client's thread has ended: a process-directed
        // signal is taken by whichever thread checks first, and Python wakes
        // its main thread's accept() only when that thread takes it.
        server.proc.wait_until("every client's goodbye", |out, _| {
            out.matches(" desconectou").count() == CLIENTS
        });
        let python = match under {
            Under::Plain => server.proc.pid().to_string(),
            _ => {
                let watcher = server.proc.pid();
                let children = format!("/proc/{watcher}/task/{watcher}/children");
                std::fs::read_to_string(children)
                    .unwrap_or_default()
                    .trim()
                    .to_string()
            }
        };
        let start = Instant::now();
        while std::fs::read_dir(format!("/proc/{python}/task")).is_ok_and(|tasks| tasks.count() > 1)
            && start.elapsed() < Duration::from_secs(10)
        {
            std::thread::sleep(Duration::from_millis(5));
        }
        server.ctrl_c();
        let _ = server.finish();
        took
    }

    fn median(mut times: Vec<Duration>) -> Duration {
        times.sort();
        times[times.len() / 2]
    }

    pub fn main() {
        let modes = [
            ("servidor.py alone", Under::Plain),
            (
                "socket-lifecycle trace",
                Under::Observer {
                    lang: "en",
                    redacted: false,
                },
            ),
            ("strace -f -e trace=network,close", Under::StraceNetwork),
        ];
        let mut medians = Vec::new();
        for (name, under) in modes {
            let times: Vec<Duration> = (0..RUNS).map(|_| run(under)).collect();
            let shown: Vec<String> = times
                .iter()
                .map(|t| format!("{:.1}", t.as_secs_f64() * 1e3))
                .collect();
            let median = median(times);
            println!(
                "{name:34} runs (ms): {}  median {:.1} ms",
                shown.join(", "),
                median.as_secs_f64() * 1e3
            );
            medians.push(median);
        }
        let ratio = |i: usize| medians[i].as_secs_f64() / medians[0].as_secs_f64();
        println!(
            "\n{CLIENTS} clients × {MESSAGES} round trips + sair: slowdown over the untraced server: observer {:.2}×, strace {:.2}×",
            ratio(1),
            ratio(2)
        );
    }
}
