//! From Whisper's text to the transcript's segments, in the recording's time.

use crate::channels::ChannelPlan;
use crate::jobs::DecodedWindows;
use crate::window::to_segments;
use medlyt_core::Segment;

/// The segments of every window, invented text removed.
pub(crate) struct Segments {
    /// In window order, not yet sorted by time.
    pub segments: Vec<Segment>,
    /// How many segments of invented text were removed.
    pub suppressed: usize,
}

/// Maps every window's segments onto the recording, in `language` (the one decoded in).
pub(crate) fn map(decoded: &DecodedWindows, channels: &ChannelPlan, language: &str) -> Segments {
    let mut out = Segments {
        segments: Vec::new(),
        suppressed: 0,
    };
    for window in &decoded.windows {
        let channel = channels.channels[window.track];
        for (part, raw) in &window.parts {
            for seg in raw {
                let (segs, dropped) = to_segments(window.track, seg, part, channel, language);
                out.segments.extend(segs);
                out.suppressed += dropped;
            }
        }
    }
    out
}

impl Segments {
    /// The note on removed text, where some was.
    pub(crate) fn note(&self) -> Option<String> {
        let suppressed = self.suppressed;
        (suppressed > 0).then(|| {
            format!(
                "{suppressed} segment(s) of text invented by the model (in silence or noise, or that it could not place in the audio) were removed"
            )
        })
    }
}
