//! SubRip (SRT) subtitles, as medlyt and many transcription tools write them: numbered cues,
//! times as `00:01:02,345`, and the speaker as a `Name: ` before the text.
//!
//! A cue line starting with `Name:` starts that speaker's text; other lines continue the current
//! speaker, or belong to `unknown` at the start of a cue. Formatting tags such as `<i>` are dropped.

use super::text::split_speaker;
use super::vtt::{blocks, check_cue_size, clean_text, parse_timing};
use crate::build::{build, Turn};
use crate::error::Place;
use crate::limits::check_counts;
use crate::roles::UNKNOWN_SPEAKER;
use crate::FormatError;
use medlyt_core::Transcript;

/// Reads SRT text into a transcript.
pub(super) fn read(text: &str, employee: Option<&str>) -> Result<Transcript, FormatError> {
    let mut turns = Vec::new();
    for (block_start, block) in blocks(text) {
        let Some(timing) = block.iter().position(|l| l.contains("-->")) else {
            continue;
        };
        check_cue_size(block_start, &block)?;
        let line_no = block_start + timing + 1;
        let (start, end) = parse_timing(block[timing], line_no)?;
        check_counts(Place::Line(line_no), turns.len() + 1, 0)?;
        let mut pieces: Vec<(String, String)> = Vec::new();
        for line in &block[timing + 1..] {
            match (split_speaker(line), pieces.last_mut()) {
                (Some((name, said)), _) => pieces.push((name.to_string(), said.to_string())),
                (None, Some(last)) => {
                    last.1.push(' ');
                    last.1.push_str(line);
                }
                (None, None) => pieces.push((UNKNOWN_SPEAKER.to_string(), line.to_string())),
            }
        }
        let pieces: Vec<(String, String)> = pieces
            .into_iter()
            .map(|(name, said)| (name, clean_text(&said)))
            .filter(|(_, said)| !said.is_empty())
            .collect();
        let chars: usize = pieces.iter().map(|p| p.1.chars().count()).sum();
        let mut used = 0usize;
        for (speaker, said) in pieces {
            let from = start + (end - start) * used as f64 / chars.max(1) as f64;
            used += said.chars().count();
            let to = start + (end - start) * used as f64 / chars.max(1) as f64;
            turns.push(Turn {
                speaker,
                marked: None,
                start: from,
                end: to,
                text: said,
                line: line_no,
            });
        }
    }
    if turns.is_empty() {
        return Err(FormatError::NoCues);
    }
    build(turns, "transcript/srt", employee)
}

/// Whether `text` starts like SRT: a cue number, then a timing line.
pub(super) fn looks_like_srt(text: &str) -> bool {
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    let number = lines
        .next()
        .is_some_and(|l| !l.trim().is_empty() && l.trim().bytes().all(|b| b.is_ascii_digit()));
    number && lines.next().is_some_and(|l| l.contains("-->"))
}
