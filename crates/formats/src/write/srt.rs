//! SubRip subtitles.

use super::{one_line, speaker_of, TranscriptWriter};
use crate::timestamp::format_clock;
use medlyt_core::Transcript;

/// Writes SRT: one numbered cue per segment, times as `00:01:02,345`, text as `Speaker: text`.
#[derive(Debug, Clone, Copy, Default)]
pub struct SrtWriter;

impl TranscriptWriter for SrtWriter {
    fn write(&self, t: &Transcript) -> Vec<u8> {
        let mut out = String::new();
        for (i, s) in t.segments.iter().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            out.push_str(&format!(
                "{}\n{} --> {}\n{}: {}\n",
                i + 1,
                format_clock(s.start, ','),
                format_clock(s.end.max(s.start), ','),
                speaker_of(t, s.track),
                one_line(&s.text),
            ));
        }
        out.into_bytes()
    }
}
