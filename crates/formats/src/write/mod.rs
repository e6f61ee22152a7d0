//! Writing a transcript: one module per format behind [`TranscriptWriter`].

mod json;
mod srt;
mod txt;
mod vtt;

use crate::FormatError;
use medlyt_core::Transcript;
use std::fmt;
use std::str::FromStr;

pub use json::JsonWriter;
pub use srt::SrtWriter;
pub use txt::TxtWriter;
pub use vtt::VttWriter;

/// Writes a transcript in one format.
pub trait TranscriptWriter {
    /// The file's bytes (UTF-8 text, ending with a newline).
    fn write(&self, t: &Transcript) -> Vec<u8>;
}

/// A format medlyt writes transcripts in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OutputFormat {
    /// medlyt's transcript JSON, pretty-printed.
    Json,
    /// WebVTT with `<v.role Speaker>` voice tags, one cue per segment.
    Vtt,
    /// SubRip subtitles with `Speaker: ` before each cue's text.
    Srt,
    /// Text lines `[mm:ss] Speaker: text`.
    Txt,
}

impl OutputFormat {
    /// All formats, in the order they are documented.
    pub const ALL: [OutputFormat; 4] = [
        OutputFormat::Json,
        OutputFormat::Vtt,
        OutputFormat::Srt,
        OutputFormat::Txt,
    ];

    /// The usual file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            OutputFormat::Json => "json",
            OutputFormat::Vtt => "vtt",
            OutputFormat::Srt => "srt",
            OutputFormat::Txt => "txt",
        }
    }

    /// The writer for this format.
    pub fn writer(self) -> Box<dyn TranscriptWriter> {
        match self {
            OutputFormat::Json => Box::new(JsonWriter),
            OutputFormat::Vtt => Box::new(VttWriter),
            OutputFormat::Srt => Box::new(SrtWriter),
            OutputFormat::Txt => Box::new(TxtWriter),
        }
    }
}

impl fmt::Display for OutputFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.extension())
    }
}

impl FromStr for OutputFormat {
    type Err = FormatError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "json" => Ok(OutputFormat::Json),
            "vtt" | "webvtt" => Ok(OutputFormat::Vtt),
            "srt" | "subrip" => Ok(OutputFormat::Srt),
            "txt" | "text" => Ok(OutputFormat::Txt),
            _ => Err(FormatError::UnknownOutputFormat {
                name: s.to_string(),
            }),
        }
    }
}

/// Writes `t` in format `f`.
pub fn write_transcript(t: &Transcript, f: OutputFormat) -> Vec<u8> {
    f.writer().write(t)
}

/// The speaker label of a segment's track: its name, or its role where the name is empty.
fn speaker_of(t: &Transcript, track: usize) -> String {
    match t.tracks.get(track) {
        Some(tr) if !tr.speaker.trim().is_empty() => tr.speaker.trim().to_string(),
        Some(tr) => tr.role.to_string(),
        None => "unknown".to_string(),
    }
}

/// A segment's text on one line.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // tests may unwrap
mod tests {
    use super::*;

    #[test]
    fn parses_format_names_and_round_trips_display() {
        for f in OutputFormat::ALL {
            assert_eq!(f.to_string().parse::<OutputFormat>().unwrap(), f);
        }
        assert_eq!(
            " WebVTT ".parse::<OutputFormat>().unwrap(),
            OutputFormat::Vtt
        );
        let err = "docx".parse::<OutputFormat>().unwrap_err();
        assert!(err.to_string().contains("'docx'"), "{err}");
    }
}
