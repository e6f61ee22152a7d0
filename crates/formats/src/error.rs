use medlyt_core::TranscriptError;
use std::path::PathBuf;

/// Errors reading a transcript or naming an output format.
#[derive(Debug, thiserror::Error)]
pub enum FormatError {
    /// The file could not be read.
    #[error("failed to read {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        source: std::io::Error,
    },
    /// The file is larger than medlyt reads as a transcript.
    #[error("transcript is {size} bytes, more than the limit of {limit} bytes")]
    TooLarge {
        /// Size of the input in bytes.
        size: u64,
        /// The limit, [`crate::MAX_INPUT_BYTES`].
        limit: u64,
    },
    /// The file is empty or holds only white space.
    #[error("transcript is empty")]
    Empty,
    /// The file is not UTF-8 text.
    #[error("transcript is not UTF-8 text (invalid byte at offset {offset}, line {line}); save it as UTF-8")]
    NotUtf8 {
        /// Byte offset of the first invalid byte.
        offset: usize,
        /// Line number (from 1) of the first invalid byte.
        line: usize,
    },
    /// The file is medlyt transcript JSON, but not a valid one.
    #[error(transparent)]
    Json(#[from] TranscriptError),
    /// A plain-text transcript has no `Name: utterance` line.
    #[error(
        "no speaker lines found: expected lines like 'Anna: Goddag' (one speaker turn per line)"
    )]
    NoSpeakers,
    /// A WebVTT file has no cue with text.
    #[error("the WebVTT file has no cues with text")]
    NoCues,
    /// A WebVTT file lacks the `WEBVTT` header.
    #[error("not a WebVTT file: the first line is not 'WEBVTT'")]
    NoVttHeader,
    /// A time could not be read.
    #[error("malformed timestamp '{found}' on line {line} (expected e.g. 00:01:02.345, 01:02.345 or [00:12])")]
    Timestamp {
        /// Line number, from 1.
        line: usize,
        /// The text that was not a time.
        found: String,
    },
    /// A WebVTT cue ends before it starts.
    #[error("cue on line {line} ends ({end:.3} s) before it starts ({start:.3} s)")]
    CueOrder {
        /// Line number of the cue's timing line, from 1.
        line: usize,
        /// Start in seconds.
        start: f64,
        /// End in seconds.
        end: f64,
    },
    /// The employee named in the options is not a speaker of the transcript.
    #[error("no speaker matches employee '{name}'; the speakers are: {}", .speakers.join(", "))]
    UnknownEmployee {
        /// The name asked for.
        name: String,
        /// The speakers in the transcript.
        speakers: Vec<String>,
    },
    /// The employee name matches the start of several speakers' names.
    #[error("employee '{name}' matches several speakers: {}; give more of the name", .matches.join(", "))]
    AmbiguousEmployee {
        /// The name asked for.
        name: String,
        /// The speakers it matches.
        matches: Vec<String>,
    },
    /// An output format name medlyt does not know.
    #[error("unknown output format '{name}' (expected json, vtt, srt or txt)")]
    UnknownOutputFormat {
        /// The name given.
        name: String,
    },
}
