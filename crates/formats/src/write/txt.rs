//! Plain text, one line per segment.

use super::{one_line, speaker_of, TranscriptWriter};
use crate::timestamp::format_short;
use medlyt_core::Transcript;

/// Writes `[mm:ss] Speaker: text` lines (`[h:mm:ss]` from an hour on), one per segment. medlyt
/// reads this back as a text transcript with the start times to the second.
#[derive(Debug, Clone, Copy, Default)]
pub struct TxtWriter;

impl TranscriptWriter for TxtWriter {
    fn write(&self, t: &Transcript) -> Vec<u8> {
        let mut out = String::new();
        for s in &t.segments {
            out.push_str(&format!(
                "[{}] {}: {}\n",
                format_short(s.start),
                speaker_of(t, s.track),
                one_line(&s.text),
            ));
        }
        out.into_bytes()
    }
}
