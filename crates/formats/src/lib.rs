//! Transcript input and output formats for medlyt.
//!
//! Consultants bring transcripts made elsewhere: medlyt's own transcript JSON, WebVTT files as
//! Microsoft Teams exports them (`<v Anna Jensen>` voice tags), SRT subtitles, and plain-text
//! notes with one `Name: utterance` per line. [`read_transcript`] turns any of them into a
//! [`medlyt_core::Transcript`], choosing the reader by the file's content with the extension as a
//! hint, so the analysis can run on it exactly as on a transcribed call.
//!
//! [`write_transcript`] writes a transcript as JSON, WebVTT, SRT or text, one module per format
//! behind the [`TranscriptWriter`] trait.
//!
//! The accepted formats, the role rules, the time estimates for untimed notes and the limits
//! (the longest call, line, cue; the most segments and words; see [`MAX_CALL_SECONDS`]) are
//! described in `docs/transcript-format.md`.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod build;
mod error;
mod limits;
mod read;
mod roles;
mod timestamp;
mod write;

pub use error::{FormatError, Place};
pub use limits::{END_SLACK_S, MAX_CALL_SECONDS, MAX_LINE_BYTES, MAX_SEGMENTS, MAX_WORDS};
pub use read::{
    looks_like_transcript, read_transcript, read_transcript_str, transcript_by_content,
    InputFormat, ReadOptions, MAX_INPUT_BYTES,
};
pub use write::{
    write_transcript, JsonWriter, OutputFormat, SrtWriter, TranscriptWriter, TxtWriter, VttWriter,
};
