//! A message received over TCP, as text, and bounded. The protocol has no
//! framing: a message is what one `recv(1024)` brought — unless it ended
//! inside a UTF-8 character, where no message can end. Then the rest of
//! that one character is read: only the bytes it misses (1 to 3, so a
//! message is at most [`MAX_MESSAGE`] bytes), and only if they come within
//! a moment ([`Incoming::patient`]). Bytes that do not continue the
//! character are not part of it: the character ends as U+FFFD, and those
//! bytes begin the next message. So a message that itself ends inside a
//! character (Latin-1 text, say) is answered, and does not swallow the one
//! after it (a `sair`). Bytes that are not UTF-8 come out as U+FFFD, and a
//! warning shows them.

use std::time::{Duration, Instant};

use socket_lifecycle::kernel::{self, AsDescriptor};
use socket_lifecycle::text::Decoded;
use socket_lifecycle::{Connection, TcpState, TextDecoder};

use super::{Say, TARGET, words};

/// The report's `recv(1024)`.
const RECV: usize = 1024;

/// The longest message: one `recv(1024)` and the last 3 bytes of a
/// 4-byte character it cut.
pub const MAX_MESSAGE: usize = RECV + 3;

/// The report's `recv(1024)`, with what one message left over.
pub struct Incoming {
    decoder: TextDecoder,
    buf: [u8; RECV],
    /// Bytes read past the end of the last message: the start of the next.
    leftover: Vec<u8>,
    /// How long to wait for the rest of a cut character; `None`: as long
    /// as it takes.
    patience: Option<Duration>,
    /// What the warning about bytes that are not UTF-8 says (they are given
    /// escaped).
    invalid: fn(String) -> Say,
}

impl Incoming {
    /// Nothing received yet; `invalid` words the warning for bytes that are
    /// not UTF-8. The rest of a cut character is waited for as long as it
    /// takes (a client reading its server's reply).
    pub fn new(invalid: fn(String) -> Say) -> Incoming {
        Incoming {
            decoder: TextDecoder::new(),
            buf: [0; RECV],
            leftover: Vec::new(),
            patience: None,
            invalid,
        }
    }

    /// As [`Incoming::new`], waiting at most `patience` for the rest of a
    /// cut character (a server, whose peer may never send it).
    pub fn patient(invalid: fn(String) -> Say, patience: Duration) -> Incoming {
        Incoming {
            patience: Some(patience),
            ..Incoming::new(invalid)
        }
    }

    /// The next message on `conn`. `None`: the peer closed, and nothing
    /// was left of a message.
    pub fn receive(
        &mut self,
        conn: &Connection,
    ) -> Result<Option<String>, socket_lifecycle::Error> {
        let mut message = Decoded::default();
        let start = std::mem::take(&mut self.leftover);
        if start.is_empty() {
            let n = conn.recv(&mut self.buf)?;
            if n == 0 {
                return Ok(None);
            }
            message.append(self.decoder.push(&self.buf[..n]));
        } else {
            // What the last message left (at most 3 bytes), and what has
            // arrived after it: one recv, which does not wait.
            message.append(self.decoder.push(&start));
            if kernel::unread_bytes(conn.descriptor()).unwrap_or(0) > 0 {
                let room = RECV - start.len();
                let n = conn.recv(&mut self.buf[..room])?;
                message.append(self.decoder.push(&self.buf[..n]));
            }
        }
        self.finish_character(conn, &mut message)?;
        self.warn_invalid(conn, &message);
        Ok(Some(message.into_text()))
    }

    /// When the message ends inside a character: reads the bytes the
    /// character misses, one `recv` of just that many at a time, while they
    /// come within the patience; keeps what continues it, and leaves what
    /// does not for the next message. A character still cut then ends as
    /// U+FFFD.
    fn finish_character(
        &mut self,
        conn: &Connection,
        message: &mut Decoded,
    ) -> Result<(), socket_lifecycle::Error> {
        let start = Instant::now();
        while let Some(missing) = missing(self.decoder.pending()) {
            if !self.arrives(conn, start) {
                break;
            }
            let n = conn.recv(&mut self.buf[..missing])?;
            if n == 0 {
                break;
            }
            let got = &self.buf[..n];
            let continues = got.iter().take_while(|b| *b & 0xC0 == 0x80).count();
            message.append(self.decoder.push(&got[..continues]));
            if continues < n {
                self.leftover = got[continues..].to_vec();
                break;
            }
        }
        message.append(self.decoder.finish());
        Ok(())
    }

    /// Whether bytes are there to read on `conn` (or the peer closed, which
    /// a `recv` then says), waiting for them until the patience, counted
    /// from `start`, runs out.
    fn arrives(&self, conn: &Connection, start: Instant) -> bool {
        let Some(patience) = self.patience else {
            return true;
        };
        let fd = conn.descriptor();
        loop {
            if kernel::unread_bytes(fd).unwrap_or(0) > 0 {
                return true;
            }
            // The peer's FIN: a recv returns 0 at once.
            if kernel::tcp_info(fd).is_some_and(|info| info.state != TcpState::Established) {
                return true;
            }
            if start.elapsed() >= patience {
                return false;
            }
            std::thread::sleep(Duration::from_millis(1));
        }
    }

    fn warn_invalid(&self, conn: &Connection, decoded: &Decoded) {
        if decoded.invalid().is_empty() {
            return;
        }
        let bytes: Vec<String> = decoded
            .invalid()
            .iter()
            .map(|seq| seq.escape_ascii().to_string())
            .collect();
        log::warn!(
            target: TARGET,
            "[{}] {}",
            conn.label(),
            words::text(&(self.invalid)(bytes.join(" ")))
        );
    }
}

/// How many bytes the character started by `pending` still misses, from
/// its first byte; `None` when nothing is pending.
fn missing(pending: &[u8]) -> Option<usize> {
    let first = *pending.first()?;
    let whole: usize = match first {
        0xF0.. => 4,
        0xE0.. => 3,
        _ => 2,
    };
    Some(whole.saturating_sub(pending.len()).max(1))
}
