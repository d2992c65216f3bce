//! What an output file holds, and how it is written into a sink.
//!
//! Every output but the manifest is rendered into a string by [`super::render`].
//! The manifest is the largest output by far (tens of megabytes at 10,000
//! calls), so it is kept as the [`Manifest`] value it is written from and
//! rendered only when written: the caller streams it into its file instead of
//! holding its text beside everything else. Its last guard (no unsafe
//! character, see [`super::unsafe_text_error`]) then runs on the bytes as they
//! are written, and a refusal is an error of the write.

use std::borrow::Cow;
use std::io;

use super::manifest::Manifest;
use super::{BuildError, Inputs};
use crate::runbook::Location;

/// The contents of an output file.
#[derive(Debug, Clone, PartialEq)]
pub enum OutputContents {
    /// A file rendered in full: batches, typed data, proposals.
    Text(String),
    /// The manifest, rendered as it is written.
    Manifest(Box<ManifestOutput>),
}

/// The manifest and what its refusal errors name.
#[derive(Debug, Clone, PartialEq)]
pub struct ManifestOutput {
    pub manifest: Manifest,
    /// The manifest's file name.
    pub(super) file: String,
    /// Where errors point when no input holds the refused character: the
    /// intent file's `[safe]`.
    pub(super) at: Location,
    /// The input files, to point a refusal at the first one holding the
    /// character.
    pub(super) inputs: Inputs,
}

/// Why an output could not be written into a sink.
#[derive(Debug, thiserror::Error)]
pub enum WriteOutputError {
    /// The sink failed.
    #[error("{0}")]
    Io(#[from] io::Error),
    /// The output may not be written: an unsafe character from an input, or
    /// a serializer failure.
    #[error(transparent)]
    Refused(#[from] Box<BuildError>),
}

impl OutputContents {
    /// Writes the whole file into `sink`. For the manifest, nothing after an
    /// unsafe character reaches `sink`, but what came before it has: the
    /// caller discards a sink whose write failed.
    pub fn write_to(&self, sink: &mut dyn io::Write) -> Result<(), WriteOutputError> {
        match self {
            OutputContents::Text(text) => Ok(sink.write_all(text.as_bytes())?),
            OutputContents::Manifest(manifest) => manifest.write_to(sink),
        }
    }

    /// The whole file as text, rendered for the manifest.
    pub fn text(&self) -> Result<Cow<'_, str>, BuildError> {
        match self {
            OutputContents::Text(text) => Ok(Cow::Borrowed(text)),
            OutputContents::Manifest(manifest) => manifest.text().map(Cow::Owned),
        }
    }
}

impl ManifestOutput {
    fn write_to(&self, sink: &mut dyn io::Write) -> Result<(), WriteOutputError> {
        let mut checked = CheckedWriter::new(sink);
        let written = self
            .manifest
            .write_json(&mut checked)
            .and_then(|()| checked.finish().map_err(serde_json::Error::io));
        let Err(error) = written else {
            return Ok(());
        };
        let refused = |message: String| {
            Box::new(BuildError::Serialize {
                at: self.at.clone(),
                file: self.file.clone(),
                message,
            })
        };
        Err(match checked.refused {
            Some(Refusal::Unsafe(c, kind)) => WriteOutputError::Refused(Box::new(
                super::unsafe_text_error(&self.at.file, &self.inputs, &self.file, c, kind),
            )),
            Some(Refusal::NotUtf8) => {
                WriteOutputError::Refused(refused("not UTF-8 text".to_owned()))
            }
            None if error.is_io() => WriteOutputError::Io(error.into()),
            None => WriteOutputError::Refused(refused(error.to_string())),
        })
    }

    fn text(&self) -> Result<String, BuildError> {
        // Sized for what a call's entry usually takes (a few KiB: its text
        // and decoded tree), so a large manifest is not copied as it grows.
        let calls: usize = self.manifest.batches.iter().map(|b| b.calls.len()).sum();
        let mut bytes = Vec::with_capacity(calls.saturating_mul(4096).saturating_add(16384));
        let unexpected = |message: String| BuildError::Serialize {
            at: self.at.clone(),
            file: self.file.clone(),
            message,
        };
        match self.write_to(&mut bytes) {
            Ok(()) => {}
            Err(WriteOutputError::Refused(error)) => return Err(*error),
            // Writing into a Vec does not fail.
            Err(WriteOutputError::Io(error)) => return Err(unexpected(error.to_string())),
        }
        // The writer checked that the bytes are UTF-8; this is one more pass.
        String::from_utf8(bytes).map_err(|e| unexpected(e.to_string()))
    }
}

/// Why [`CheckedWriter`] stopped.
#[derive(Debug, Clone, Copy)]
enum Refusal {
    Unsafe(char, &'static str),
    NotUtf8,
}

/// How many bytes [`CheckedWriter`] gathers before it checks and passes them on.
const CHECKED_CHUNK: usize = 64 * 1024;

/// A writer that passes bytes on to `sink` in chunks of about
/// [`CHECKED_CHUNK`], each checked first for an unsafe character (a raw
/// newline allowed). A character split between two chunks stays in the
/// buffer until its last byte arrives.
struct CheckedWriter<'w> {
    sink: &'w mut dyn io::Write,
    buffer: Vec<u8>,
    refused: Option<Refusal>,
}

impl<'w> CheckedWriter<'w> {
    fn new(sink: &'w mut dyn io::Write) -> Self {
        CheckedWriter {
            sink,
            buffer: Vec::with_capacity(CHECKED_CHUNK),
            refused: None,
        }
    }

    /// Checks and passes on every whole character in the buffer; the bytes
    /// of an unfinished one (at most three) stay.
    fn pass_on(&mut self) -> io::Result<()> {
        if let Some(refusal) = self.refused {
            return Err(refused(refusal));
        }
        let whole = match std::str::from_utf8(&self.buffer) {
            Ok(text) => text,
            // The buffer ends inside a character: check up to it.
            Err(e) if e.error_len().is_none() => self
                .buffer
                .get(..e.valid_up_to())
                .and_then(|bytes| std::str::from_utf8(bytes).ok())
                .unwrap_or_default(),
            Err(_) => return Err(self.refuse(Refusal::NotUtf8)),
        };
        if let Some((c, kind)) = crate::text::first_unsafe_char(whole, true) {
            return Err(self.refuse(Refusal::Unsafe(c, kind)));
        }
        let length = whole.len();
        self.sink.write_all(whole.as_bytes())?;
        self.buffer.drain(..length);
        Ok(())
    }

    /// Passes on the rest: the bytes must end on a whole character.
    fn finish(&mut self) -> io::Result<()> {
        self.pass_on()?;
        if !self.buffer.is_empty() {
            return Err(self.refuse(Refusal::NotUtf8));
        }
        self.sink.flush()
    }

    fn refuse(&mut self, refusal: Refusal) -> io::Error {
        self.refused = Some(refusal);
        refused(refusal)
    }
}

/// The error a refused write returns; the refusal itself is kept in
/// [`CheckedWriter::refused`].
fn refused(refusal: Refusal) -> io::Error {
    let message = match refusal {
        Refusal::Unsafe(..) => "an unsafe character",
        Refusal::NotUtf8 => "not UTF-8 text",
    };
    io::Error::new(io::ErrorKind::InvalidData, message)
}

impl io::Write for CheckedWriter<'_> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        if self.buffer.len() >= CHECKED_CHUNK {
            self.pass_on()?;
        }
        // Never more than the buffer holds: a long string (a large batch's
        // data) is taken in several writes rather than copied whole.
        let room = CHECKED_CHUNK.saturating_sub(self.buffer.len()).max(1);
        let taken = bytes.get(..room).unwrap_or(bytes);
        self.buffer.extend_from_slice(taken);
        Ok(taken.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        // serde_json does not flush; bytes pass on as the buffer fills and
        // at `finish`.
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write as _;

    fn written(pieces: &[&[u8]]) -> (Vec<u8>, Option<Refusal>, bool) {
        let mut sink = Vec::new();
        let mut checked = CheckedWriter::new(&mut sink);
        let mut ok = true;
        for piece in pieces {
            ok &= checked.write_all(piece).is_ok();
        }
        ok &= checked.finish().is_ok();
        let refusal = checked.refused;
        (sink, refusal, ok)
    }

    #[test]
    fn passes_text_through_whole() {
        let text = "{\n  \"name\": \"Zoë ✓\"\n}\n".repeat(10_000);
        let (sink, refusal, ok) = written(&[text.as_bytes()]);
        assert!(ok && refusal.is_none());
        assert_eq!(sink, text.as_bytes());
    }

    #[test]
    fn finds_an_unsafe_character_split_between_writes() {
        // U+202E is E2 80 AE: each split point puts part of it in each write.
        let text = "a\u{202E}b".as_bytes();
        for split in 1..text.len() {
            let (before, after) = text.split_at(split);
            let (_, refusal, ok) = written(&[before, after]);
            assert!(!ok);
            assert!(matches!(refusal, Some(Refusal::Unsafe('\u{202E}', _))));
        }
    }

    #[test]
    fn finds_an_unsafe_character_across_a_chunk_boundary() {
        let mut text = "x".repeat(CHECKED_CHUNK - 1);
        text.push('\u{200B}');
        let (sink, refusal, ok) = written(&[text.as_bytes()]);
        assert!(!ok);
        assert!(matches!(refusal, Some(Refusal::Unsafe('\u{200B}', _))));
        assert!(!sink.ends_with("\u{200B}".as_bytes()));
    }

    #[test]
    fn refuses_an_unfinished_character() {
        let (_, refusal, ok) = written(&[b"ab\xE2\x80"]);
        assert!(!ok);
        assert!(matches!(refusal, Some(Refusal::NotUtf8)));
    }
}
