//! Integration tests of medlyt-formats, one module per area.

#![allow(clippy::unwrap_used)] // tests may unwrap

mod fixtures;
mod hostile;
mod limits;
mod read_srt;
mod read_text;
mod read_vtt;
mod round_trip;
mod write;

use medlyt_core::Transcript;
use medlyt_formats::{read_transcript_str, InputFormat, ReadOptions};
use std::path::PathBuf;

/// The repository's `fixtures/transcripts-in` folder.
pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/transcripts-in")
        .join(name)
}

/// Reads `text` with no hint and no employee named.
pub fn read(text: &str) -> Transcript {
    read_transcript_str(text, None, &ReadOptions::default()).unwrap()
}

/// Reads `text` as the given format with the employee named.
pub fn read_as(text: &str, hint: InputFormat, employee: &str) -> Transcript {
    let opts = ReadOptions {
        employee: Some(employee.to_string()),
    };
    read_transcript_str(text, Some(hint), &opts).unwrap()
}

/// (speaker, start, end, text) of every segment.
pub fn rows(t: &Transcript) -> Vec<(String, f64, f64, String)> {
    t.segments
        .iter()
        .map(|s| {
            (
                t.tracks[s.track].speaker.clone(),
                s.start,
                s.end,
                s.text.clone(),
            )
        })
        .collect()
}

/// Times are equal to the millisecond.
pub const TIME_TOLERANCE: f64 = 0.0005;
