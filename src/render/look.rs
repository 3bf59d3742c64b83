//! How a trace line looks: [`Look`] — faithful (the call exactly as strace
//! prints it, every line whole: what tests and tools compare), or short
//! for a terminal (an address as `{127.0.0.1:8888}`, a state that did not
//! change named once, the kernel's state under a call too long to share its
//! line, the narration wrapped to fit 100 columns) — and its
//! [`Colors`], if any. The library only takes escape sequences as given;
//! with the crate's `color` feature it also picks them and decides, from
//! the stream, `NO_COLOR`, `CLICOLOR` and `CLICOLOR_FORCE`, whether a
//! terminal shows them.
//!
//! ```
//! use socket_lifecycle::render::Look;
//! use socket_lifecycle::{Lang, Recorder, Socket};
//!
//! let recorder = Recorder::new();
//! let listener = Socket::tcp_v4(recorder.tracer("servidor"))?
//!     .bind("127.0.0.1:0".parse().unwrap())?;
//! let bind = &recorder.events()[1];
//! assert_eq!(bind.terminal_line(Lang::En, &Look::default()), bind.line(Lang::En));
//! let short = bind.terminal_line(Lang::En, &Look::terminal(None));
//! assert!(short.starts_with("[servidor] Created → Bound: bind("));
//! assert!(short.contains(", {127.0.0.1:0}, 16) = 0  [CLOSE]"));
//! # Ok::<(), socket_lifecycle::Error>(())
//! ```

/// How a trace line looks. The default is faithful and plain: the line
/// [`crate::Event::line`] gives.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Look {
    /// Short, for a person's eyes on a terminal: addresses without
    /// strace's `sa_family=…, sin_port=htons(…)` spelling, an unchanged
    /// typestate named once, the kernel's state under the call when the
    /// line would be wider than [`Look::WIDTH`] columns, the narration
    /// wrapped at that width. Never for a rendering compared with strace.
    pub short: bool,
    /// The colours; none when `None`.
    pub colors: Option<Colors>,
}

/// The escape sequences that open each part of a line, and the one that
/// closes them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Colors {
    /// The socket's label.
    pub label: String,
    /// The typestates and the kernel's state.
    pub state: String,
    /// A failed call's result.
    pub error: String,
    /// The narration.
    pub narration: String,
    /// Back to the terminal's own colours.
    pub reset: String,
}

impl Look {
    /// The columns a short line's narration is wrapped to.
    pub const WIDTH: usize = 100;

    /// No system call: the short look, in `colors` when given.
    pub fn terminal(colors: Option<Colors>) -> Look {
        Look {
            short: true,
            colors,
        }
    }

    /// Opens the colour `pick` chooses, when this look has colours.
    pub(crate) fn open(&self, out: &mut String, pick: fn(&Colors) -> &str) {
        if let Some(colors) = &self.colors {
            out.push_str(pick(colors));
        }
    }

    /// Closes a colour, when this look has colours.
    pub(crate) fn close(&self, out: &mut String) {
        if let Some(colors) = &self.colors {
            out.push_str(&colors.reset);
        }
    }

    /// The characters a colour adds around a part (which take no column).
    pub(crate) fn escapes(&self) -> usize {
        self.colors
            .as_ref()
            .map_or(0, |c| c.state.chars().count() + c.reset.chars().count())
    }
}

/// `text` cut at spaces into lines of at most `width` characters (a word
/// longer than that keeps a line of its own).
pub(crate) fn wrap(text: &str, width: usize) -> Vec<&str> {
    let mut lines = Vec::new();
    let mut rest = text;
    while rest.chars().count() > width {
        // Up to and including the character past the width: a space there
        // still lets the line be `width` characters long.
        let end = rest
            .char_indices()
            .nth(width)
            .map_or(rest.len(), |(at, c)| at + c.len_utf8());
        let cut = rest[..end].rfind(' ').or_else(|| rest.find(' '));
        match cut {
            Some(at) if at > 0 => {
                lines.push(&rest[..at]);
                rest = &rest[at + 1..];
            }
            _ => break,
        }
    }
    lines.push(rest);
    lines
}

#[cfg(feature = "color")]
impl Colors {
    /// No system call: the library's colours — labels bold cyan, states
    /// green, errors bold red, narration yellow — in the terminal's own
    /// palette (16 colours, which a light or a dark theme adjusts).
    pub fn standard() -> Colors {
        use anstyle::{AnsiColor, Reset, Style};
        let style = |color: AnsiColor| Style::new().fg_color(Some(color.into()));
        Colors {
            label: style(AnsiColor::Cyan).bold().render().to_string(),
            state: style(AnsiColor::Green).render().to_string(),
            error: style(AnsiColor::Red).bold().render().to_string(),
            narration: style(AnsiColor::Yellow).render().to_string(),
            reset: Reset.render().to_string(),
        }
    }
}

#[cfg(feature = "color")]
impl Look {
    /// No system call: the look for standard error — short when it is a
    /// terminal, coloured when it is one that shows colour and neither
    /// `NO_COLOR` nor `CLICOLOR=0` nor [`Look::choose`] says otherwise
    /// (`CLICOLOR_FORCE` colours even a pipe, still faithful); faithful
    /// and plain when it is piped or a file.
    pub fn for_stderr() -> Look {
        Look::for_stream(
            std::io::stderr,
            std::io::IsTerminal::is_terminal(&std::io::stderr()),
        )
    }

    /// No system call: the look for standard output, decided as
    /// [`Look::for_stderr`]'s.
    pub fn for_stdout() -> Look {
        Look::for_stream(
            std::io::stdout,
            std::io::IsTerminal::is_terminal(&std::io::stdout()),
        )
    }

    fn for_stream<S: anstream::stream::RawStream>(stream: fn() -> S, terminal: bool) -> Look {
        let colored = anstream::AutoStream::choice(&stream()) != anstream::ColorChoice::Never;
        if colored {
            // On Windows, turns the console's escape sequences on.
            drop(anstream::AutoStream::always_ansi(stream()));
        }
        Look {
            short: terminal,
            colors: colored.then(Colors::standard),
        }
    }

    /// No system call: what `--color WHEN` asks, for every look decided
    /// after it: `always`, `never` or `auto` (the default: as the stream
    /// and the environment say). An unknown word is an error that names
    /// the three.
    ///
    /// ```
    /// use socket_lifecycle::render::Look;
    ///
    /// assert!(Look::choose("sometimes").unwrap_err().contains("always, never or auto"));
    /// Look::choose("never").unwrap();
    /// assert_eq!(Look::for_stdout().colors, None);
    /// # Look::choose("auto").unwrap();
    /// ```
    pub fn choose(when: &str) -> Result<(), String> {
        let choice = match when {
            "always" => anstream::ColorChoice::Always,
            "never" => anstream::ColorChoice::Never,
            "auto" => anstream::ColorChoice::Auto,
            other => {
                return Err(format!(
                    "--color {other}: the choices are always, never or auto"
                ));
            }
        };
        choice.write_global();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_cuts_at_spaces_within_the_width() {
        assert_eq!(wrap("one two three four", 9), ["one two", "three", "four"]);
        assert_eq!(wrap("short", 9), ["short"]);
        assert_eq!(
            wrap("averyveryverylongword and", 9),
            ["averyveryverylongword", "and"]
        );
        assert_eq!(wrap("não é só isso", 6), ["não é", "só", "isso"]);
        assert_eq!(wrap("ação é", 4), ["ação", "é"]);
    }
}
