//! The chat programs started the way the tests need them, and their console
//! lines read: the servers on loopback and the address they print, the UDP
//! client ready for input, and clients' addresses as Python prints them.

use std::net::SocketAddr;

use super::net::free_port;
use super::process::Proc;

/// The line of `text` that starts with `prefix`, without the prefix.
pub fn line_after<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    text.lines().find_map(|line| line.strip_prefix(prefix))
}

/// Starts the Rust server on 127.0.0.1, port 0, with `extra` flags; returns
/// it and the address it printed (`[*] Servidor ouvindo em …`).
pub fn rust_server(extra: &[&str]) -> (Proc, SocketAddr) {
    rust_server_env(extra, &[])
}

/// As [`rust_server`], with these environment variables set on top.
pub fn rust_server_env(extra: &[&str], env: &[(&str, &str)]) -> (Proc, SocketAddr) {
    start_server("servidor", extra, env)
}

/// Starts `servidor_poll` (one thread, a `poll` loop) on 127.0.0.1, port
/// 0, with `extra` flags and `env`; returns it and the address it printed.
pub fn poll_server(extra: &[&str], env: &[(&str, &str)]) -> (Proc, SocketAddr) {
    start_server("servidor_poll", extra, env)
}

/// Starts `udp_servidor` on 127.0.0.1, port 0, and returns it with the
/// address it printed (`[*] Servidor ouvindo em 127.0.0.1:PORT`).
pub fn udp_server() -> (Proc, SocketAddr) {
    start_server("udp_servidor", &[], &[])
}

/// Starts the example server `name` on 127.0.0.1, port 0, with `extra`
/// flags and `env`, and waits for `[*] Aguardando conexões...`; returns it
/// and the address it printed, its standard output consumed up to there
/// ([`Proc::expect`]).
fn start_server(name: &str, extra: &[&str], env: &[(&str, &str)]) -> (Proc, SocketAddr) {
    let mut args = vec!["127.0.0.1", "0"];
    args.extend_from_slice(extra);
    let mut server = Proc::example_env(name, &args, env);
    let out = server.expect("[*] Aguardando conexões...\n");
    let addr = line_after(&out, "[*] Servidor ouvindo em ")
        .and_then(|a| a.parse().ok())
        .unwrap_or_else(|| panic!("no address printed\n{}", server.dump()));
    (server, addr)
}

/// Starts `udp_cliente` talking to `server`, with `extra` arguments, and
/// waits for its prompt.
pub fn udp_client(server: SocketAddr, extra: &[&str]) -> Proc {
    let port = server.port().to_string();
    let ip = server.ip().to_string();
    let mut args = vec![ip.as_str(), port.as_str()];
    args.extend_from_slice(extra);
    let mut client = Proc::example("udp_cliente", &args);
    client.expect(&format!("[+] Conectado ao servidor {ip}:{port}\n"));
    client.expect("[*] Digite 'sair' para encerrar\n");
    client
}

/// Starts the report's `servidor.py` on 127.0.0.1 and a free port. It prints
/// the port it was given, so the port is chosen here; should another program
/// take it in between, it fails with `Erro: …` and is started again on
/// another (at most five times).
pub fn python_server() -> (Proc, SocketAddr) {
    for _ in 0..5 {
        let port = free_port();
        let server = Proc::python("servidor.py", &["127.0.0.1", &port.to_string()]);
        let out = server.wait_until("the Python server to start or fail", |out, err| {
            out.contains("[*] Aguardando conexões...\n") || out.contains("Erro:") || !err.is_empty()
        });
        if out.contains("[*] Aguardando conexões...\n") {
            return (server, ([127, 0, 0, 1], port).into());
        }
    }
    panic!("servidor.py did not start on five free ports");
}

/// The address the server printed for its first client, as Python prints
/// it: `('127.0.0.1', 54321)`.
pub fn first_client(server: &Proc) -> String {
    let out = server.wait_stdout("[+] Nova conexão estabelecida com ");
    line_after(&out, "[+] Nova conexão estabelecida com ")
        .unwrap_or_default()
        .to_string()
}

/// An address as Python prints it, the way the servers print clients.
pub fn python_address(addr: SocketAddr) -> String {
    format!("('{}', {})", addr.ip(), addr.port())
}

/// The server's console lines `Cliente ('127.0.0.1', PORT): TEXT`, as
/// (PORT, TEXT).
pub fn client_lines(console: &str) -> Vec<(u16, String)> {
    console
        .lines()
        .filter_map(|line| {
            let rest = line.strip_prefix("Cliente ('127.0.0.1', ")?;
            let (port, text) = rest.split_once("): ")?;
            Some((port.parse().ok()?, text.to_string()))
        })
        .collect()
}
