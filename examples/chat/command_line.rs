//! The chat examples' command line: `[HOST] [PORT]` and flags, each with a
//! value, in any order; `--help`; and what a wrong line gets.

use std::process::ExitCode;
use std::time::Duration;

use super::{Say, say, words};

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
