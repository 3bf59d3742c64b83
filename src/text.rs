//! Text out of a byte stream: UTF-8 that may arrive cut anywhere.
//!
//! TCP delivers bytes, not characters. A `recv` can end in the middle of a
//! character (`á` is two bytes, `😀` four), and the rest comes with the next
//! `recv`. Decoding each `recv` on its own, as the report's
//! `recv(1024).decode('utf-8')` does, then fails or mangles the character.
//! A [`TextDecoder`] keeps the unfinished end of one chunk and puts it in
//! front of the next, so a character cut across reads comes out whole.
//!
//! ```
//! use socket_lifecycle::text::TextDecoder;
//!
//! let mut decoder = TextDecoder::new();
//! // "olá" = 6f 6c c3 a1, cut between the two bytes of "á".
//! assert_eq!(decoder.push(b"ol\xc3").text(), "ol");
//! assert_eq!(decoder.pending(), b"\xc3");
//! assert_eq!(decoder.push(b"\xa1").text(), "á");
//! assert!(decoder.finish().is_empty());
//! ```
//!
//! Bytes that can never be UTF-8 are not an error that stops the stream:
//! each invalid sequence becomes one U+FFFD (`�`) in the text and is also
//! handed back as it arrived, so the program can say what it got.
//!
//! ```
//! use socket_lifecycle::text::TextDecoder;
//!
//! let mut decoder = TextDecoder::new();
//! let decoded = decoder.push(b"a\xffb");
//! assert_eq!(decoded.text(), "a\u{FFFD}b");
//! assert_eq!(decoded.invalid(), [b"\xff".to_vec()]);
//! ```
//!
//! The invariant (for any way of cutting a byte string into chunks):
//! the texts of every [`TextDecoder::push`] followed by
//! [`TextDecoder::finish`], joined, equal `String::from_utf8_lossy` of the
//! whole string, and [`TextDecoder::pending`] never holds more than 3 bytes.

/// No system call: a UTF-8 decoder for a stream of byte chunks that carries
/// an incomplete character over to the next chunk.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextDecoder {
    /// The start of a character whose remaining bytes have not arrived yet:
    /// 0 to 3 bytes.
    pending: Vec<u8>,
}

/// No system call: what one chunk decoded to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Decoded {
    text: String,
    invalid: Vec<Vec<u8>>,
}

impl TextDecoder {
    /// No system call: a decoder with nothing pending.
    pub fn new() -> TextDecoder {
        TextDecoder::default()
    }

    /// No system call: decodes `bytes` after whatever the previous chunk left
    /// pending. Returns the complete characters; an incomplete character at
    /// the end stays pending for the next call. Never fails: an invalid
    /// sequence is replaced by U+FFFD in the text and listed in
    /// [`Decoded::invalid`].
    pub fn push(&mut self, bytes: &[u8]) -> Decoded {
        let mut input = std::mem::take(&mut self.pending);
        input.extend_from_slice(bytes);
        let mut decoded = Decoded::default();
        let mut rest = input.as_slice();
        loop {
            match std::str::from_utf8(rest) {
                Ok(text) => {
                    decoded.text.push_str(text);
                    break;
                }
                Err(err) => {
                    let (valid, after) = rest.split_at(err.valid_up_to());
                    // `valid` is valid by the error's own account.
                    if let Ok(text) = std::str::from_utf8(valid) {
                        decoded.text.push_str(text);
                    }
                    match err.error_len() {
                        // The input ended inside a character: keep its
                        // start for the next chunk.
                        None => {
                            self.pending = after.to_vec();
                            break;
                        }
                        Some(len) => {
                            let (bad, tail) = after.split_at(len);
                            decoded.invalid.push(bad.to_vec());
                            decoded.text.push(char::REPLACEMENT_CHARACTER);
                            rest = tail;
                        }
                    }
                }
            }
        }
        decoded
    }

    /// No system call: ends the stream. Bytes still pending can never become
    /// a character now: they are reported as one invalid sequence (and a
    /// U+FFFD). The decoder is empty afterwards.
    pub fn finish(&mut self) -> Decoded {
        let pending = std::mem::take(&mut self.pending);
        if pending.is_empty() {
            return Decoded::default();
        }
        Decoded {
            text: char::REPLACEMENT_CHARACTER.to_string(),
            invalid: vec![pending],
        }
    }

    /// No system call: the start of a character still waiting for its other
    /// bytes (empty when the last chunk ended on a character boundary).
    pub fn pending(&self) -> &[u8] {
        &self.pending
    }

    /// No system call: whether the last chunk ended inside a character, so
    /// that more bytes must follow.
    pub fn has_pending(&self) -> bool {
        !self.pending.is_empty()
    }
}

impl Decoded {
    /// No system call: the decoded text, with a U+FFFD for each invalid
    /// sequence.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// No system call: the decoded text, owned.
    pub fn into_text(self) -> String {
        self.text
    }

    /// No system call: each invalid sequence, as the bytes that arrived, in
    /// order.
    pub fn invalid(&self) -> &[Vec<u8>] {
        &self.invalid
    }

    /// No system call: whether nothing came out (no text, nothing invalid).
    pub fn is_empty(&self) -> bool {
        self.text.is_empty() && self.invalid.is_empty()
    }

    /// No system call: appends `other` (text and invalid sequences) to this.
    pub fn append(&mut self, other: Decoded) {
        self.text.push_str(&other.text);
        self.invalid.extend(other.invalid);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Decodes `chunks` one after the other, then finishes.
    fn decode_all(chunks: &[&[u8]]) -> Decoded {
        let mut decoder = TextDecoder::new();
        let mut all = Decoded::default();
        for chunk in chunks {
            all.append(decoder.push(chunk));
            assert!(decoder.pending().len() <= 3);
        }
        all.append(decoder.finish());
        all
    }

    #[test]
    fn a_character_cut_anywhere_comes_out_whole() {
        let text = "olá, 😀 € ñ";
        let bytes = text.as_bytes();
        for cut in 0..=bytes.len() {
            let (a, b) = bytes.split_at(cut);
            let decoded = decode_all(&[a, b]);
            assert_eq!(decoded.text(), text, "cut at {cut}");
            assert!(decoded.invalid().is_empty());
        }
    }

    #[test]
    fn a_four_byte_character_in_four_chunks() {
        let mut decoder = TextDecoder::new();
        for byte in &"😀".as_bytes()[..3] {
            assert_eq!(decoder.push(&[*byte]).text(), "");
        }
        assert_eq!(decoder.pending(), &"😀".as_bytes()[..3]);
        assert_eq!(decoder.push(&"😀".as_bytes()[3..]).text(), "😀");
        assert!(!decoder.has_pending());
    }

    #[test]
    fn pending_says_whether_a_character_waits_for_its_rest() {
        let mut decoder = TextDecoder::new();
        assert!(!decoder.has_pending());
        decoder.push(b"ol\xc3");
        assert!(decoder.has_pending());
        decoder.push(b"\xa1");
        assert!(!decoder.has_pending());
    }

    #[test]
    fn a_decoded_chunk_gives_its_text_and_says_when_it_is_empty() {
        let mut decoder = TextDecoder::new();
        assert_eq!(decoder.push("olá".as_bytes()).into_text(), "olá");
        // Nothing came out: the character is not whole yet.
        assert!(decoder.push(b"\xe2\x9c").is_empty());
        assert!(!decoder.push(b"\x93").is_empty());
        // Only text, or only invalid bytes: not empty either way.
        assert!(!decoder.push(b"a").is_empty());
        let invalid = decoder.push(b"\xff");
        assert_eq!(invalid.text(), "\u{FFFD}");
        assert!(
            !Decoded {
                text: String::new(),
                invalid: invalid.invalid().to_vec()
            }
            .is_empty()
        );
        assert!(Decoded::default().is_empty());
    }

    #[test]
    fn invalid_bytes_are_replaced_and_reported() {
        let decoded = decode_all(&[b"ok\xff\xfeok"]);
        assert_eq!(decoded.text(), "ok\u{FFFD}\u{FFFD}ok");
        assert_eq!(decoded.invalid(), [b"\xff".to_vec(), b"\xfe".to_vec()]);
    }

    #[test]
    fn a_start_byte_followed_by_no_continuation_is_invalid_not_pending() {
        let mut decoder = TextDecoder::new();
        assert_eq!(decoder.push(b"\xc3").text(), "");
        let decoded = decoder.push(b"A");
        assert_eq!(decoded.text(), "\u{FFFD}A");
        assert_eq!(decoded.invalid(), [b"\xc3".to_vec()]);
        assert!(!decoder.has_pending());
    }

    #[test]
    fn an_unfinished_character_at_the_end_of_the_stream_is_invalid() {
        let mut decoder = TextDecoder::new();
        assert_eq!(decoder.push(b"ol\xe2\x82").text(), "ol");
        let end = decoder.finish();
        assert_eq!(end.text(), "\u{FFFD}");
        assert_eq!(end.invalid(), [b"\xe2\x82".to_vec()]);
        assert!(decoder.finish().is_empty());
    }

    #[test]
    fn surrogates_and_overlong_forms_are_invalid() {
        // An encoded surrogate (U+D800) and an overlong "/".
        for bytes in [&b"\xed\xa0\x80"[..], b"\xc0\xaf", b"\xf4\x90\x80\x80"] {
            let decoded = decode_all(&[bytes]);
            assert!(!decoded.invalid().is_empty(), "{bytes:x?}");
            assert!(decoded.text().chars().all(|c| c == '\u{FFFD}'));
        }
    }

    #[test]
    fn chunked_decoding_equals_lossy_decoding_of_the_whole() {
        let samples: [&[u8]; 5] = [
            "Conexão encerrada.".as_bytes(),
            b"a\xf0\x9f\x98",
            b"\xe2\x82\xac\xe2\x82\xffx\xc3",
            b"\xf0\x9f\x98\x80\xed\xa0\x80\xc3\xa1",
            b"\x80\x80abc\xf8\xc3\xa1\xe0\x80",
        ];
        for sample in samples {
            let whole = String::from_utf8_lossy(sample);
            // Every way of cutting the sample in three.
            for i in 0..=sample.len() {
                for j in i..=sample.len() {
                    let decoded = decode_all(&[&sample[..i], &sample[i..j], &sample[j..]]);
                    assert_eq!(decoded.text(), whole, "{sample:x?} cut at {i}, {j}");
                }
            }
        }
    }
}
