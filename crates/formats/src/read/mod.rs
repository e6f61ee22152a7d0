//! Choosing a reader and turning bytes into a transcript.

mod srt;
mod text;
mod vtt;

use crate::FormatError;
use medlyt_core::Transcript;
use std::io::Read;
use std::path::Path;

/// The largest transcript file medlyt reads (16 MiB; an hour's call is well under 1 MiB).
pub const MAX_INPUT_BYTES: u64 = 16 * 1024 * 1024;

/// How many bytes [`looks_like_transcript`] reads to sniff a file without a known extension.
const SNIFF_BYTES: u64 = 4096;

/// Options for reading a transcript made elsewhere.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadOptions {
    /// The employee's name as it appears in the file (case-insensitive; a unique prefix such as
    /// "Anna" for "Anna Jensen" is enough). `None`: the first speaker is taken to be the employee.
    pub employee: Option<String>,
}

/// A transcript format medlyt reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputFormat {
    /// medlyt's transcript JSON (schema `medlyt.transcript`).
    Json,
    /// WebVTT, with `<v Name>` voice tags for speakers.
    Vtt,
    /// SubRip subtitles, with `Name: ` before the text for speakers.
    Srt,
    /// Plain text, one `Name: utterance` per line, optionally led by a time.
    Text,
}

impl InputFormat {
    /// The format a file's extension suggests (`.json`, `.vtt`, `.srt`, `.txt`), if any.
    pub fn from_path(path: &Path) -> Option<Self> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "json" => Some(InputFormat::Json),
            "vtt" | "webvtt" => Some(InputFormat::Vtt),
            "srt" => Some(InputFormat::Srt),
            "txt" | "text" => Some(InputFormat::Text),
            _ => None,
        }
    }

    /// The format `text` is in: content decides where it is clear (`{` starts JSON, `WEBVTT`
    /// starts WebVTT, a cue number followed by a timing line starts SRT), otherwise the hint,
    /// otherwise plain text.
    pub fn sniff(text: &str, hint: Option<InputFormat>) -> Self {
        let head = strip_bom(text).trim_start();
        if head.starts_with('{') {
            InputFormat::Json
        } else if head.starts_with("WEBVTT") {
            InputFormat::Vtt
        } else if srt::looks_like_srt(head) {
            InputFormat::Srt
        } else {
            hint.unwrap_or(InputFormat::Text)
        }
    }
}

/// Reads the transcript in `path` (medlyt JSON, WebVTT, SRT or plain text, see [`InputFormat`]).
/// `recording.source` is set to the file's name.
pub fn read_transcript(path: &Path, opts: &ReadOptions) -> Result<Transcript, FormatError> {
    let io = |source| FormatError::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let mut bytes = Vec::new();
    file.take(MAX_INPUT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        let size = std::fs::metadata(path)
            .map(|m| m.len())
            .unwrap_or(bytes.len() as u64);
        return Err(FormatError::TooLarge {
            size,
            limit: MAX_INPUT_BYTES,
        });
    }
    let text = decode_utf8(&bytes)?;
    let format = InputFormat::sniff(text, InputFormat::from_path(path));
    let mut t = read_transcript_str(text, Some(format), opts)?;
    if format != InputFormat::Json {
        if let Some(name) = path.file_name() {
            t.recording.source = name.to_string_lossy().into_owned();
        }
    }
    Ok(t)
}

/// Reads a transcript from text. `hint` is the format the caller expects (e.g. from the file's
/// extension); the content overrides it where it is clear. `recording.source` is `-` for WebVTT
/// and text input. Every format is held to the limits ([`crate::MAX_CALL_SECONDS`],
/// [`crate::MAX_LINE_BYTES`], [`crate::MAX_SEGMENTS`], [`crate::MAX_WORDS`]), and the times of
/// transcript JSON are checked: finite, not negative, ends not before starts, within the
/// recording (up to [`crate::END_SLACK_S`] past its end is cut back, with a note).
pub fn read_transcript_str(
    text: &str,
    hint: Option<InputFormat>,
    opts: &ReadOptions,
) -> Result<Transcript, FormatError> {
    if text.len() as u64 > MAX_INPUT_BYTES {
        return Err(FormatError::TooLarge {
            size: text.len() as u64,
            limit: MAX_INPUT_BYTES,
        });
    }
    let text = strip_bom(text);
    if text.trim().is_empty() {
        return Err(FormatError::Empty);
    }
    let employee = opts.employee.as_deref();
    let format = InputFormat::sniff(text, hint);
    if format != InputFormat::Json {
        crate::limits::check_lines(text)?;
    }
    let mut t = match format {
        InputFormat::Json => Transcript::from_json(text)?,
        InputFormat::Vtt => vtt::read(text, employee)?,
        InputFormat::Srt => srt::read(text, employee)?,
        InputFormat::Text => text::read(text, employee)?,
    };
    crate::limits::check_transcript(&mut t)?;
    Ok(t)
}

/// Whether `path` looks like a transcript rather than audio: a `.json`, `.vtt`, `.srt` or `.txt`
/// extension, or (for other names) a start that is JSON, WebVTT, SRT or UTF-8 text with a
/// `Name: utterance` line. Unreadable files are not transcripts.
pub fn looks_like_transcript(path: &Path) -> bool {
    if InputFormat::from_path(path).is_some() {
        return true;
    }
    let Some(text) = sniff(path, SNIFF_BYTES) else {
        return false;
    };
    let start = strip_bom(&text).trim_start();
    start.starts_with('{')
        || start.starts_with("WEBVTT")
        || srt::looks_like_srt(start)
        || text::has_speaker_line(start)
}

/// How many bytes [`transcript_by_content`] reads.
const CONTENT_SNIFF_BYTES: u64 = 64 * 1024;

/// Whether `path` is a transcript by its content, whatever its name: medlyt's transcript JSON
/// (its schema named near the start), WebVTT, SRT, or plain text of `Name: utterance` lines
/// (at most two title lines first; three speaker lines of at least two speakers). A README or
/// other note is not.
pub fn transcript_by_content(path: &Path) -> bool {
    let Some(text) = sniff(path, CONTENT_SNIFF_BYTES) else {
        return false;
    };
    let start = strip_bom(&text).trim_start();
    if start.starts_with('{') {
        return start.contains(medlyt_core::TRANSCRIPT_SCHEMA);
    }
    start.starts_with("WEBVTT") || srt::looks_like_srt(start) || text::speaker_notes(start)
}

/// The first `limit` bytes of the file as text, where they are text (no NUL byte, valid UTF-8
/// apart from a character cut at the end of the block).
fn sniff(path: &Path, limit: u64) -> Option<String> {
    let mut head = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(limit).read_to_end(&mut head))
        .ok()?;
    if head.contains(&0) {
        return None;
    }
    match std::str::from_utf8(&head) {
        Ok(t) => Some(t.to_string()),
        Err(e) if e.error_len().is_none() => {
            Some(String::from_utf8_lossy(&head[..e.valid_up_to()]).into_owned())
        }
        Err(_) => None,
    }
}

fn strip_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

fn decode_utf8(bytes: &[u8]) -> Result<&str, FormatError> {
    std::str::from_utf8(bytes).map_err(|e| {
        let offset = e.valid_up_to();
        let line = 1 + bytes[..offset].iter().filter(|&&b| b == b'\n').count();
        FormatError::NotUtf8 { offset, line }
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // tests may unwrap
mod tests {
    use super::*;

    #[test]
    fn content_beats_the_extension_hint() {
        assert_eq!(
            InputFormat::sniff("\u{feff} WEBVTT\n", Some(InputFormat::Text)),
            InputFormat::Vtt
        );
        assert_eq!(
            InputFormat::sniff("{\"a\":1}", Some(InputFormat::Vtt)),
            InputFormat::Json
        );
        assert_eq!(
            InputFormat::sniff("Anna: hej", Some(InputFormat::Vtt)),
            InputFormat::Vtt
        );
        assert_eq!(InputFormat::sniff("Anna: hej", None), InputFormat::Text);
    }

    #[test]
    fn reports_the_line_of_the_first_bad_byte() {
        let err = decode_utf8(b"Anna: hej\nBo: bl\xe5\n").unwrap_err();
        assert!(
            matches!(
                err,
                FormatError::NotUtf8 {
                    offset: 16,
                    line: 2
                }
            ),
            "{err}"
        );
    }
}
