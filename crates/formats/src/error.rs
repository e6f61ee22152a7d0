use medlyt_core::TranscriptError;
use std::fmt;
use std::path::PathBuf;

/// Where in a transcript a problem is: a line of a text format, or a part of transcript JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// A line (from 1) of a WebVTT, SRT or text file.
    Line(usize),
    /// The recording's `duration` in transcript JSON.
    Duration,
    /// A segment of transcript JSON, by its index in `segments` (from 0).
    Segment(usize),
    /// A word of transcript JSON: the segment's index and the word's index in it (from 0).
    Word(usize, usize),
    /// A speech span of transcript JSON: the track's id and the span's index (from 0).
    Speech(usize, usize),
}

/// A time in seconds for a message: whole seconds, or in exponent form where that is long.
fn seconds_text(s: f64) -> String {
    if s.abs() < 1e9 {
        format!("{s:.0} s")
    } else {
        format!("{s:.3e} s")
    }
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Place::Line(n) => write!(f, "line {n}"),
            Place::Duration => write!(f, "recording.duration"),
            Place::Segment(i) => write!(f, "segment {i}"),
            Place::Word(i, k) => write!(f, "segment {i}, word {k}"),
            Place::Speech(t, k) => write!(f, "track {t}, speech span {k}"),
        }
    }
}

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
    /// A line is longer than [`crate::MAX_LINE_BYTES`].
    #[error(
        "line {line} is {bytes} bytes long, more than the limit of {limit} bytes for one line"
    )]
    LineTooLong {
        /// Line number, from 1.
        line: usize,
        /// Its length in bytes.
        bytes: usize,
        /// The limit, [`crate::MAX_LINE_BYTES`].
        limit: usize,
    },
    /// A WebVTT or SRT cue is larger than [`crate::MAX_LINE_BYTES`].
    #[error(
        "the cue on line {line} is {bytes} bytes, more than the limit of {limit} bytes for one cue"
    )]
    CueTooLong {
        /// Line number of the cue's first line, from 1.
        line: usize,
        /// Its size in bytes.
        bytes: usize,
        /// The limit, [`crate::MAX_LINE_BYTES`].
        limit: usize,
    },
    /// A segment's text in transcript JSON is longer than [`crate::MAX_LINE_BYTES`].
    #[error(
        "{place}: the text is {bytes} bytes, more than the limit of {limit} bytes for one segment"
    )]
    TextTooLong {
        /// The segment.
        place: Place,
        /// Its length in bytes.
        bytes: usize,
        /// The limit, [`crate::MAX_LINE_BYTES`].
        limit: usize,
    },
    /// A time is not finite, negative, or inconsistent with the others.
    #[error("{place}: {problem}")]
    BadTime {
        /// Where the time is.
        place: Place,
        /// What is wrong with it.
        problem: String,
    },
    /// A time lies past the longest call medlyt reads, [`crate::MAX_CALL_SECONDS`].
    #[error("{place}: the time {} is past the limit of {} h for one call", seconds_text(*.seconds), limit / 3600.0)]
    TooLong {
        /// Where the time is.
        place: Place,
        /// The time in seconds.
        seconds: f64,
        /// The limit in seconds, [`crate::MAX_CALL_SECONDS`].
        limit: f64,
    },
    /// More segments than [`crate::MAX_SEGMENTS`].
    #[error("{place}: more than the limit of {limit} segments in one transcript")]
    TooManySegments {
        /// Where the limit was passed.
        place: Place,
        /// The limit, [`crate::MAX_SEGMENTS`].
        limit: usize,
    },
    /// More words than [`crate::MAX_WORDS`].
    #[error("{place}: more than the limit of {limit} words in one transcript")]
    TooManyWords {
        /// Where the limit was passed.
        place: Place,
        /// The limit, [`crate::MAX_WORDS`].
        limit: usize,
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
