//! From a packed window to Whisper's input, and from Whisper's segments back to the recording's
//! time line.

use crate::engine::RawSegment;
use crate::hallucination;
use crate::pack::Window;
use crate::speech::gate_bleed;
use crate::words::{assemble, tidy_times};
use medlyt_core::{Segment, Span, Word};

/// Seconds of recording audio in the windows.
pub(crate) fn speech_in(windows: &[Window]) -> f64 {
    windows.iter().map(Window::speech).sum()
}

/// The window's audio: its pieces laid end to end with silence between them. On a two-party
/// call, frames that only carry the other party's bleed are silenced.
pub(crate) fn window_samples(
    channels: &[&[i16]],
    levels: &[Vec<f32>],
    track: usize,
    w: &Window,
) -> Vec<f32> {
    let channel = channels[track];
    let other = levels.get(1 - track.min(1)).filter(|_| levels.len() >= 2);
    let len = (w.duration() * 16000.0).ceil() as usize;
    let mut out = vec![0.0f32; len];
    for p in &w.pieces {
        let src = (p.source * 16000.0).round() as usize;
        let dst = (p.offset * 16000.0).round() as usize;
        let n = (p.len * 16000.0).round() as usize;
        let n = n
            .min(channel.len().saturating_sub(src))
            .min(out.len().saturating_sub(dst));
        let dst_slice = &mut out[dst..dst + n];
        for (o, s) in dst_slice.iter_mut().zip(&channel[src..src + n]) {
            *o = f32::from(*s) / 32768.0;
        }
        if let Some(other) = other {
            gate_bleed(dst_slice, src, &levels[track], other);
        }
    }
    out
}

/// Splits a Whisper segment at the window's piece borders and maps it into recording time.
/// `None` when the segment is invented text.
pub(crate) fn to_segments(
    track: usize,
    seg: &RawSegment,
    w: &Window,
    channel: &[i16],
) -> Option<Vec<Segment>> {
    let mut words = assemble(&seg.tokens);
    if words.is_empty() {
        return Some(Vec::new());
    }
    let p = words.iter().map(|w| w.p).sum::<f32>() / words.len() as f32;
    if hallucination::check(&seg.text, seg.no_speech, p).is_some() {
        return None;
    }
    tidy_times(&mut words, 0.02);
    let mut out: Vec<(usize, Vec<Word>)> = Vec::new();
    for word in words {
        let piece = w.piece_at(word.start);
        let mapped = Word {
            text: word.text,
            start: round_ms(w.to_source(piece, word.start)),
            end: round_ms(w.to_source(piece, word.end)),
            probability: word.p,
        };
        match out.last_mut() {
            Some((pc, ws)) if *pc == piece => ws.push(mapped),
            _ => out.push((piece, vec![mapped])),
        }
    }
    Some(
        out.into_iter()
            .filter_map(|(_, ws)| {
                let first = ws.first()?;
                let last = ws.last()?;
                let span = Span::new(first.start, last.end);
                let text = ws
                    .iter()
                    .map(|w| w.text.as_str())
                    .collect::<Vec<_>>()
                    .join(" ");
                let probability = ws.iter().map(|w| w.probability).sum::<f32>() / ws.len() as f32;
                Some(Segment {
                    track,
                    start: span.start,
                    end: span.end,
                    text,
                    probability,
                    loudness_dbfs: medlyt_audio::loudness_dbfs(channel, span),
                    words: ws,
                })
            })
            .collect(),
    )
}

fn round_ms(t: f64) -> f64 {
    (t * 1000.0).round() / 1000.0
}
