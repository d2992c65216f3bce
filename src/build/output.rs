//! What an output file holds, and how it is written into a sink.
//!
//! Every output of a build is kept as the value it is written from (a
//! batch's transactions and checksum, the manifest's decoded trees, and the
//! Safe transaction whose data the typed data and proposals share) and
//! rendered only when written: the caller streams each into its file instead
//! of holding every text at once (a batch's text is three times its
//! transactions). The last guard (no unsafe character, see
//! [`super::unsafe_text_error`]) runs on the bytes as they are written, and a
//! refusal is an error of the write.
//!
//! `bundlec review` and `archive` hold every file whole: they render each
//! into [`OutputContents::Text`].

use std::borrow::Cow;
use std::io;
use std::rc::Rc;

use alloy_primitives::B256;

use super::manifest::Manifest;
use super::{BuildError, Inputs};
use crate::runbook::Location;
use crate::safe::proposal::Proposal;
use crate::safe::typed_data::SafeTxTypedData;
use crate::txbuilder::BatchFile;

/// The contents of an output file.
#[derive(Debug, Clone, PartialEq)]
pub enum OutputContents {
    /// A file rendered in full.
    Text(String),
    /// A JSON document rendered as it is written: what a build makes.
    Json(Box<JsonOutput>),
}

/// A JSON document and what its refusal errors name.
#[derive(Debug, Clone, PartialEq)]
pub struct JsonOutput {
    pub document: JsonDocument,
    /// The output's file name.
    pub(super) file: String,
    /// Where errors point when no input holds the refused character: the
    /// intent file's `[safe]`.
    pub(super) at: Location,
    /// The input files, to point a refusal at the first one holding the
    /// character (shared by every output of a build).
    pub(super) inputs: Rc<Inputs>,
}

/// The documents written as JSON, each by its own `write_json`.
#[derive(Debug, Clone, PartialEq)]
pub enum JsonDocument {
    /// A batch file, with the checksum it carries (which the manifest
    /// records too).
    Batch {
        file: BatchFile,
        checksum: B256,
    },
    Manifest(Manifest),
    TypedData(SafeTxTypedData),
    Proposal(Proposal),
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
    /// `document`, rendered as it is written into the output `file`; a
    /// refusal points into `inputs`, or at `at`.
    pub(super) fn json(
        document: JsonDocument,
        file: &str,
        at: &Location,
        inputs: &Rc<Inputs>,
    ) -> Self {
        OutputContents::Json(Box::new(JsonOutput {
            document,
            file: file.to_owned(),
            at: at.clone(),
            inputs: Rc::clone(inputs),
        }))
    }

    /// Writes the whole file into `sink`. For a JSON document, nothing after
    /// an unsafe character reaches `sink`, but what came before it has: the
    /// caller discards a sink whose write failed.
    pub fn write_to(&self, sink: &mut dyn io::Write) -> Result<(), WriteOutputError> {
        match self {
            OutputContents::Text(text) => Ok(sink.write_all(text.as_bytes())?),
            OutputContents::Json(json) => json.write_to(sink),
        }
    }

    /// The whole file as text, rendered for a JSON document.
    pub fn text(&self) -> Result<Cow<'_, str>, BuildError> {
        match self {
            OutputContents::Text(text) => Ok(Cow::Borrowed(text)),
            OutputContents::Json(json) => json.text().map(Cow::Owned),
        }
    }
}

impl JsonDocument {
    // Generic, not `dyn`: serde_json makes a write for every key, quote and
    // comma, which then reach the checking writer without a virtual call.
    fn write_json<W: io::Write>(&self, sink: W) -> Result<(), serde_json::Error> {
        match self {
            JsonDocument::Batch { file, checksum } => file.write_json(checksum, sink),
            JsonDocument::Manifest(manifest) => manifest.write_json(sink),
            JsonDocument::TypedData(typed_data) => typed_data.write_json(sink),
            JsonDocument::Proposal(proposal) => proposal.write_json(sink),
        }
    }

    /// About how many bytes the text takes, so that it is rendered into one
    /// buffer: a few KiB a call for the manifest (its text and decoded
    /// tree), two hex digits a byte of data for the others.
    fn size_hint(&self) -> usize {
        match self {
            JsonDocument::Batch { file, .. } => file.size_hint(),
            JsonDocument::Manifest(manifest) => {
                let calls: usize = manifest.batches.iter().map(|b| b.calls.len()).sum();
                calls.saturating_mul(4096).saturating_add(16384)
            }
            JsonDocument::TypedData(typed_data) => typed_data
                .message
                .data
                .len()
                .saturating_mul(2)
                .saturating_add(4096),
            JsonDocument::Proposal(proposal) => proposal
                .data
                .len()
                .saturating_mul(2)
                .saturating_add(proposal.origin.len().saturating_mul(2))
                .saturating_add(2048),
        }
    }
}

impl JsonOutput {
    fn write_to(&self, sink: &mut dyn io::Write) -> Result<(), WriteOutputError> {
        let mut checked = CheckedWriter::new(sink);
        let written = self
            .document
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
        let mut bytes = Vec::with_capacity(self.document.size_hint());
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
    fn a_proposal_is_checked_as_it_is_written() {
        use crate::safe::{Operation, SafeTx};
        use alloy_primitives::{Address, B256, U256};

        let tx = SafeTx::new(
            Address::repeat_byte(0x55),
            U256::ZERO,
            vec![0xab; 300].into(),
            Operation::Call,
            U256::from(7),
        );
        let mut proposal = Proposal::new(&tx, B256::ZERO, "pause");
        let intent = super::super::InputFile::new("pause.toml", "[bundle]\n");
        let inputs = Rc::new(Inputs {
            intent,
            deployment: None,
            abis: Default::default(),
        });
        let at = Location {
            file: "pause.toml".into(),
            line: 1,
            column: 1,
        };
        let contents = |proposal: &Proposal| {
            OutputContents::json(
                JsonDocument::Proposal(proposal.clone()),
                "pause.proposal.json",
                &at,
                &inputs,
            )
        };
        // As written, the same text as serde_json gives the value.
        let mut written = Vec::new();
        contents(&proposal).write_to(&mut written).unwrap();
        let expected = serde_json::to_string_pretty(&proposal).unwrap() + "\n";
        assert_eq!(String::from_utf8(written).unwrap(), expected);
        assert!(expected.contains(&format!("\"0x{}\"", "ab".repeat(300))));

        proposal.origin.push('\u{202E}');
        let refused = contents(&proposal).write_to(&mut std::io::sink());
        let Err(WriteOutputError::Refused(error)) = refused else {
            panic!("not refused: {refused:?}");
        };
        assert!(
            matches!(*error, BuildError::UnsafeText { ref code_point, .. } if code_point == "U+202E")
        );
    }

    #[test]
    fn refuses_an_unfinished_character() {
        let (_, refusal, ok) = written(&[b"ab\xE2\x80"]);
        assert!(!ok);
        assert!(matches!(refusal, Some(Refusal::NotUtf8)));
    }
}
