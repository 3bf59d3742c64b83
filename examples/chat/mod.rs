//! What the four chat examples (`servidor`, `cliente`, `udp_servidor`,
//! `udp_cliente`) share, so that each of them keeps only its own socket
//! steps: the trace's logger, the command line (`[HOST] [PORT]` and flags in
//! any order), and the console. Each example includes it with `mod chat;`
//! and, beside it, `mod words;` (`examples/words/`), whose table this
//! module's words come from; none of it makes a system call on a socket.

// Each example uses the part it needs.
#![allow(dead_code)]

use std::io::Write as _;
use std::net::{SocketAddr, ToSocketAddrs};
use std::process::ExitCode;
use std::time::Duration;

use super::words::{self, Say};

/// The lifecycle trace on standard error: env_logger at `info` unless
/// `RUST_LOG` says otherwise.
pub fn init_trace() {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).init();
}

/// What the command line gave: the positional HOST and PORT (or their
/// defaults) and the values of the flags the program takes.
pub struct CommandLine {
    pub host: String,
    pub port: u16,
    values: Vec<(&'static str, String)>,
}

/// Reads `[HOST] [PORT]` and the flags named in `flags` (each with a value,
/// `--flag VALUE` or `--flag=VALUE`), in any order. `Ok(None)`: `--help`.
pub fn parse(
    args: impl Iterator<Item = String>,
    default_host: &str,
    flags: &[&'static str],
) -> Result<Option<CommandLine>, String> {
    let mut positional = Vec::new();
    let mut values = Vec::new();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => (flag.to_string(), Some(value)),
            _ => (arg.clone(), None),
        };
        match flag.as_str() {
            "-h" | "--help" => return Ok(None),
            "--" => positional.extend(args.by_ref()),
            _ if flag.starts_with('-') && flag.len() > 1 => {
                let Some(&known) = flags.iter().find(|known| **known == flag) else {
                    return Err(words::text(&Say::UnknownOption { option: flag }));
                };
                let value = inline
                    .map(str::to_string)
                    .or_else(|| args.next())
                    .ok_or_else(|| words::text(&Say::MissingValue { flag }))?;
                values.push((known, value));
            }
            _ => positional.push(arg),
        }
    }
    let mut positional = positional.into_iter();
    let host = positional
        .next()
        .unwrap_or_else(|| default_host.to_string());
    let port = match positional.next() {
        Some(port) => port
            .parse()
            .map_err(|_| words::text(&Say::InvalidPort { value: port }))?,
        None => 8888,
    };
    if let Some(argument) = positional.next() {
        return Err(words::text(&Say::ExtraArgument { argument }));
    }
    Ok(Some(CommandLine { host, port, values }))
}

impl CommandLine {
    /// The last value given to `flag`, as `read` understands it; `default`
    /// when the flag was not given.
    pub fn value<T>(
        &self,
        flag: &str,
        default: T,
        read: impl Fn(&str) -> Option<T>,
    ) -> Result<T, String> {
        match self.values.iter().rev().find(|(name, _)| *name == flag) {
            Some((_, value)) => read(value).ok_or_else(|| {
                words::text(&Say::InvalidValue {
                    flag: flag.to_string(),
                    value: value.clone(),
                })
            }),
            None => Ok(default),
        }
    }
}

/// A positive number of seconds, fractions allowed: `0.3`, `5`.
pub fn seconds(text: &str) -> Option<Duration> {
    text.parse::<f64>()
        .ok()
        .filter(|secs| *secs > 0.0)
        .and_then(|secs| Duration::try_from_secs_f64(secs).ok())
}

/// `--help`: the usage on standard output, exit 0.
pub fn help(usage: &Say) -> ExitCode {
    say(words::text(usage));
    ExitCode::SUCCESS
}

/// A command line the program does not understand: what is wrong and the
/// usage on standard error, exit 2.
pub fn usage_error(program: &str, problem: &str, usage: &Say) -> ExitCode {
    eprintln!("{program}: {problem}\n\n{}", words::text(usage));
    ExitCode::from(2)
}

/// Every address `host` names, for `port`; an error when it names none.
pub fn addresses(host: &str, port: u16) -> std::io::Result<Vec<SocketAddr>> {
    let addrs: Vec<SocketAddr> = (host, port).to_socket_addrs()?.collect();
    if addrs.is_empty() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            words::text(&Say::NoAddressFound {
                host: host.to_string(),
            }),
        ));
    }
    Ok(addrs)
}

/// An address as Python prints the tuple `accept()` or `recvfrom()`
/// returns, so that the Rust and the Python consoles read alike.
pub fn python_address(addr: SocketAddr) -> String {
    match addr {
        SocketAddr::V4(v4) => format!("('{}', {})", v4.ip(), v4.port()),
        SocketAddr::V6(v6) => format!(
            "('{}', {}, {}, {})",
            v6.ip(),
            v6.port(),
            v6.flowinfo(),
            v6.scope_id()
        ),
    }
}

/// One console line on standard output, flushed at once (the report's
/// `print`).
pub fn say(text: impl std::fmt::Display) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{text}");
    let _ = out.flush();
}

/// The prompt, without a newline, flushed so it shows before the input.
pub fn prompt(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = write!(out, "{text}");
    let _ = out.flush();
}
