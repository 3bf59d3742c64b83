//! A message received over TCP, as text. The protocol has no framing: a
//! message is what one `recv(1024)` brought — unless it ended inside a
//! UTF-8 character, where no message can end, and then the next `recv`'s
//! bytes belong to it too ([`TextDecoder`] carries the cut character over).
//! Bytes that are not UTF-8 come out as U+FFFD, and a warning shows them.

use socket_lifecycle::text::Decoded;
use socket_lifecycle::{Connection, TextDecoder};

use super::{Say, TARGET, words};

/// The report's `recv(1024)`, with what one call left unfinished.
pub struct Incoming {
    decoder: TextDecoder,
    buf: [u8; 1024],
    /// What the warning about bytes that are not UTF-8 says (they are given
    /// escaped).
    invalid: fn(String) -> Say,
}

impl Incoming {
    /// Nothing received yet; `invalid` words the warning for bytes that are
    /// not UTF-8.
    pub fn new(invalid: fn(String) -> Say) -> Incoming {
        Incoming {
            decoder: TextDecoder::new(),
            buf: [0; 1024],
            invalid,
        }
    }

    /// The next message on `conn`. `None`: the peer closed, and nothing
    /// was left of a message.
    pub fn receive(
        &mut self,
        conn: &Connection,
    ) -> Result<Option<String>, socket_lifecycle::Error> {
        let mut message = Decoded::default();
        loop {
            let n = conn.recv(&mut self.buf)?;
            if n == 0 {
                // The peer closed; a character it left unfinished never will be.
                message.append(self.decoder.finish());
                self.warn_invalid(conn, &message);
                return Ok((!message.is_empty()).then(|| message.into_text()));
            }
            message.append(self.decoder.push(&self.buf[..n]));
            if !self.decoder.has_pending() {
                self.warn_invalid(conn, &message);
                return Ok(Some(message.into_text()));
            }
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
