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

/// Splits a Whisper segment at the window's piece borders and at sentence ends, and maps it into
/// recording time. Parts that are invented text (known credits, repetition, silence) are dropped
/// and counted: the second value.
pub(crate) fn to_segments(
    track: usize,
    seg: &RawSegment,
    w: &Window,
    channel: &[i16],
    language: &str,
) -> (Vec<Segment>, usize) {
    let mut words = assemble(&seg.tokens);
    tidy_times(&mut words, 0.02);
    let mut parts: Vec<(usize, Vec<Word>)> = Vec::new();
    for word in words {
        let piece = w.piece_at(word.start);
        let mapped = Word {
            text: word.text,
            start: round_ms(w.to_source(piece, word.start)),
            end: round_ms(w.to_source(piece, word.end)),
            probability: word.p,
        };
        match parts.last_mut() {
            Some((pc, ws))
                if *pc == piece && !ws.last().is_some_and(|l| ends_sentence(l, &mapped)) =>
            {
                ws.push(mapped)
            }
            _ => parts.push((piece, vec![mapped])),
        }
    }
    let mut suppressed = 0;
    let mut out = Vec::new();
    for (_, ws) in parts {
        let Some(segment) = segment_of(track, ws, channel) else {
            continue;
        };
        if hallucination::check_segment(&segment, seg.no_speech, language).is_some() {
            suppressed += 1;
        } else {
            out.push(segment);
        }
    }
    (out, suppressed)
}

/// A segment of `track` made of `words` (in recording time): their text, span and mean
/// probability, and the loudness of `channel` over the span. `None` without words.
pub(crate) fn segment_of(track: usize, words: Vec<Word>, channel: &[i16]) -> Option<Segment> {
    let span = Span::new(words.first()?.start, words.last()?.end);
    let text = words
        .iter()
        .map(|w| w.text.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    let probability = words.iter().map(|w| w.probability).sum::<f32>() / words.len() as f32;
    Some(Segment {
        track,
        start: span.start,
        end: span.end,
        text,
        probability,
        loudness_dbfs: medlyt_audio::loudness_dbfs(channel, span),
        words,
    })
}

/// Pause after a sentence-final word that ends a segment even before a lower-case word.
const SENTENCE_PAUSE_S: f64 = 0.5;

/// Whether a segment ends between `word` and `next`: `word` closes a sentence (. ? ! or …) and
/// `next` opens one (a capital letter) or follows a pause. "f.eks. du" and "kl. 10" stay whole.
fn ends_sentence(word: &Word, next: &Word) -> bool {
    let closes = word
        .text
        .trim_end_matches(['"', '\'', ')', '»', '”'])
        .ends_with(['.', '?', '!', '…']);
    let opens = next
        .text
        .trim_start_matches(['"', '\'', '(', '«', '“', '-'])
        .starts_with(char::is_uppercase);
    closes && (opens || next.start - word.end >= SENTENCE_PAUSE_S)
}

fn round_ms(t: f64) -> f64 {
    (t * 1000.0).round() / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pack::Piece;
    use crate::words::Token;

    fn raw(words: &[(&str, f64)]) -> RawSegment {
        let tokens = words
            .iter()
            .map(|&(text, start)| Token {
                bytes: format!(" {text}").into_bytes(),
                start,
                end: start + 0.2,
                p: 0.9,
            })
            .collect();
        RawSegment {
            tokens,
            no_speech: 0.0,
        }
    }

    fn one_piece(len: f64) -> Window {
        Window {
            pieces: vec![Piece {
                offset: 0.0,
                source: 10.0,
                len,
            }],
        }
    }

    #[test]
    fn segments_end_at_sentence_ends_not_at_abbreviations() {
        let seg = raw(&[
            ("Hej.", 0.0),
            ("Har", 0.5),
            ("du", 0.8),
            ("f.eks.", 1.0),
            ("en", 1.3),
            ("seddel", 1.5),
            ("kl.", 1.8),
            ("10?", 2.0),
            ("ja.", 3.0),
        ]);
        let (segs, dropped) = to_segments(0, &seg, &one_piece(4.0), &[0; 16000 * 20], "da");
        assert_eq!(dropped, 0);
        let texts: Vec<&str> = segs.iter().map(|s| s.text.as_str()).collect();
        // "ja." follows "10?" after a 0.8 s pause, so it starts a segment of its own.
        assert_eq!(texts, ["Hej.", "Har du f.eks. en seddel kl. 10?", "ja."]);
        assert!((segs[1].start - 10.5).abs() < 1e-9);
    }

    #[test]
    fn invented_credits_are_dropped_but_the_rest_of_the_window_stays() {
        let seg = raw(&[
            ("Tak", 0.0),
            ("for", 0.3),
            ("i", 0.5),
            ("dag.", 0.7),
            ("Undertekster", 1.5),
            ("af", 1.9),
            ("Nicolai", 2.1),
            ("Winther", 2.4),
        ]);
        let (segs, dropped) = to_segments(1, &seg, &one_piece(3.0), &[0; 16000 * 20], "da");
        assert_eq!(dropped, 1);
        assert_eq!(segs.len(), 1);
        assert_eq!(segs[0].text, "Tak for i dag.");
        assert_eq!(segs[0].track, 1);
    }
}
