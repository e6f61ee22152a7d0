//! WebVTT with voice tags.

use super::{one_line, speaker_of, TranscriptWriter};
use crate::timestamp::format_clock;
use medlyt_core::Transcript;

/// Writes WebVTT: one cue per segment, numbered from 1, with the text in a voice tag whose class
/// is the speaker's role and whose name is the speaker: `<v.employee Anna Jensen>Goddag</v>`.
/// medlyt reads the role back from the class; players show the name.
#[derive(Debug, Clone, Copy, Default)]
pub struct VttWriter;

impl TranscriptWriter for VttWriter {
    fn write(&self, t: &Transcript) -> Vec<u8> {
        let mut out = String::from("WEBVTT\n");
        for (i, s) in t.segments.iter().enumerate() {
            // A voice annotation ends at '>' and cannot hold line breaks.
            let speaker: String = speaker_of(t, s.track)
                .chars()
                .map(|c| if c == '>' || c.is_control() { ' ' } else { c })
                .collect();
            out.push_str(&format!(
                "\n{}\n{} --> {}\n<v.{} {}>{}</v>\n",
                i + 1,
                format_clock(s.start, '.'),
                format_clock(s.end.max(s.start), '.'),
                t.role_of(s),
                escape(&speaker),
                escape(&one_line(&s.text)),
            ));
        }
        out.into_bytes()
    }
}

/// Escapes the characters WebVTT text cannot hold as they are.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
