//! Removing the other party's voice that bleeds faintly into a channel.

use crate::vad::bridge_and_filter;
use medlyt_core::Span;

/// Settings for [`remove_crosstalk`].
#[derive(Debug, Clone, PartialEq)]
pub struct CrosstalkParams {
    /// Length of one level frame in seconds (as given to [`crate::frame_levels`]).
    pub frame_s: f64,
    /// A frame is bleed when this channel is at least this many dB quieter than the other.
    pub bleed_db: f32,
    /// Bleed stretches shorter than this inside kept speech are kept (a breath, a word gap).
    pub bridge_s: f64,
    /// Speech left shorter than this after trimming is dropped.
    pub min_speech_s: f64,
    /// A frame is *active* when it is at least this many dB above the channel's noise floor
    /// (its 10th-percentile frame level) and not bleed.
    pub active_db: f32,
    /// A piece with less active time than this is dropped: it is the quiet pause between the
    /// other party's words, not speech of this channel's own.
    pub min_active_s: f64,
}

impl Default for CrosstalkParams {
    fn default() -> Self {
        CrosstalkParams {
            frame_s: 0.02,
            bleed_db: 15.0,
            bridge_s: 0.2,
            min_speech_s: 0.2,
            active_db: 10.0,
            min_active_s: 0.1,
        }
    }
}

/// Trims one channel's speech `spans` (seconds) to where that channel's own speaker talks.
///
/// The rule: a frame is *bleed* when `own[i] < other[i] - bleed_db`, i.e. this channel only
/// carries a faint copy of the other party, who is much louder on their own channel. Frames where
/// both channels are loud (real overlapping speech, within `bleed_db` of each other) or where this
/// channel is the louder one are kept. Inside each span, the kept frames form pieces; bleed gaps
/// shorter than `bridge_s` between pieces are kept too, and pieces shorter than `min_speech_s` are
/// dropped. A piece is dropped as well when fewer than `min_active_s` of its frames are active
/// (above the channel's noise floor by `active_db` and not bleed): such a piece is only the quiet
/// pause between the other party's words. Frames beyond the end of either level list are kept.
/// Spans come back sorted and never extend beyond the spans given.
///
/// A speaker who talks much more quietly than the other party while both talk at once is taken for
/// bleed; on separately recorded channels this is rare, and a lower `bleed_db` cannot tell them
/// apart either.
pub fn remove_crosstalk(
    spans: &[Span],
    own: &[f32],
    other: &[f32],
    params: &CrosstalkParams,
) -> Vec<Span> {
    let frame_s = params.frame_s.max(1e-6);
    let is_bleed = |i: usize| match (own.get(i), other.get(i)) {
        (Some(&o), Some(&x)) => o < x - params.bleed_db,
        _ => false,
    };
    let floor = noise_floor(own);
    let is_active =
        |i: usize| own.get(i).is_some_and(|&o| o >= floor + params.active_db) && !is_bleed(i);
    let mut out = Vec::new();
    for span in spans {
        if span.end <= span.start {
            continue;
        }
        let first = (span.start / frame_s).floor().max(0.0) as usize;
        let last = (span.end / frame_s).ceil().max(0.0) as usize;
        let mut pieces = Vec::new();
        let mut start: Option<usize> = None;
        for i in first..last {
            match (is_bleed(i), start) {
                (false, None) => start = Some(i),
                (true, Some(s)) => {
                    pieces.push(clip(s, i, frame_s, span));
                    start = None;
                }
                _ => {}
            }
        }
        if let Some(s) = start {
            pieces.push(clip(s, last, frame_s, span));
        }
        out.extend(
            bridge_and_filter(pieces, params.bridge_s, params.min_speech_s)
                .into_iter()
                .filter(|p| {
                    let first = (p.start / frame_s).floor().max(0.0) as usize;
                    let last = (p.end / frame_s).ceil().max(0.0) as usize;
                    let active = (first..last).filter(|&i| is_active(i)).count();
                    active as f64 * frame_s + 1e-9 >= params.min_active_s
                }),
        );
    }
    out.sort_by(|a, b| a.start.total_cmp(&b.start));
    out
}

/// Highest noise floor assumed, in dBFS: a channel that is loud nearly all the time has no
/// quiet frames to measure its floor from.
const MAX_FLOOR_DBFS: f32 = -45.0;

/// The 10th-percentile level of a channel's frames (its noise floor), in dBFS, at most
/// [`MAX_FLOOR_DBFS`].
fn noise_floor(levels: &[f32]) -> f32 {
    if levels.is_empty() {
        return crate::SILENCE_DBFS;
    }
    let mut sorted: Vec<f32> = levels.to_vec();
    sorted.sort_by(f32::total_cmp);
    sorted[sorted.len() / 10].min(MAX_FLOOR_DBFS)
}

/// Frames `start..end` as seconds, within `span`.
fn clip(start: usize, end: usize, frame_s: f64, span: &Span) -> Span {
    Span::new(
        (start as f64 * frame_s).max(span.start),
        (end as f64 * frame_s).min(span.end),
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::test_signal::sine;
    use crate::{energy_vad, frame_levels, VadParams};

    fn scaled(s: &[i16], gain: f64) -> Vec<i16> {
        s.iter().map(|&x| (f64::from(x) * gain) as i16).collect()
    }

    fn add(a: &[i16], b: &[i16]) -> Vec<i16> {
        a.iter().zip(b).map(|(x, y)| x.saturating_add(*y)).collect()
    }

    /// Two channels: A talks 0.5-1.5 s and 3.0-4.0 s, B talks 1.5-2.5 s and 3.5-4.5 s
    /// (overlap 3.5-4.0 s). Each channel carries the other at -25 dB as bleed.
    fn call() -> (Vec<i16>, Vec<i16>) {
        let silence = |s: f64| vec![0i16; (s * 16_000.0) as usize];
        let mut a = silence(0.5);
        a.extend(sine(220.0, 0.3, 1.0));
        a.extend(silence(1.5));
        a.extend(sine(220.0, 0.3, 1.0));
        a.extend(silence(1.0));
        let mut b = silence(1.5);
        b.extend(sine(330.0, 0.3, 1.0));
        b.extend(silence(1.0));
        b.extend(sine(330.0, 0.3, 1.0));
        b.extend(silence(0.5));
        let bleed = 10f64.powf(-25.0 / 20.0);
        (add(&a, &scaled(&b, bleed)), add(&b, &scaled(&a, bleed)))
    }

    #[test]
    fn bleed_is_removed_and_overlap_kept() {
        let (a, b) = call();
        let (la, lb) = (frame_levels(&a, 320), frame_levels(&b, 320));
        let vad = VadParams::default();
        // The energy VAD alone hears the bleed as speech on channel A.
        let raw = energy_vad(&la, &vad);
        let raw_total: f64 = raw.iter().map(Span::duration).sum();
        assert!(
            raw_total > 3.0,
            "bleed should be audible to the plain vad: {raw:?}"
        );
        let clean = remove_crosstalk(&raw, &la, &lb, &CrosstalkParams::default());
        assert_eq!(clean.len(), 2, "{clean:?}");
        let tol = 0.05 + vad.hangover_s;
        assert!(
            (clean[0].start - 0.5).abs() < 0.05 && (clean[0].end - 1.5).abs() <= tol,
            "{clean:?}"
        );
        // 3.0-4.0 s: speech, including the overlap 3.5-4.0 s where both talk.
        assert!(
            (clean[1].start - 3.0).abs() < 0.05 && (clean[1].end - 4.0).abs() <= tol,
            "{clean:?}"
        );
        // Channel B: 1.5-2.5 and 3.5-4.5, A's bleed at 0.5-1.5 and 3.0-3.5 gone.
        let rb = remove_crosstalk(
            &energy_vad(&lb, &vad),
            &lb,
            &la,
            &CrosstalkParams::default(),
        );
        assert_eq!(rb.len(), 2, "{rb:?}");
        assert!((rb[0].start - 1.5).abs() < 0.05, "{rb:?}");
        assert!(
            (rb[1].start - 3.5).abs() < 0.05 && (rb[1].end - 4.5).abs() <= tol,
            "{rb:?}"
        );
    }

    #[test]
    fn equal_levels_are_never_bleed() {
        let levels = vec![-20.0f32; 100];
        let spans = [Span::new(0.1, 1.5)];
        assert_eq!(
            remove_crosstalk(&spans, &levels, &levels, &CrosstalkParams::default()),
            spans.to_vec()
        );
    }

    #[test]
    fn short_bleed_gaps_are_bridged_and_short_pieces_dropped() {
        // 2 s at -20 dB on this channel, other at -20 dB, except frames 50..55 (0.1 s) where this
        // channel drops to -45 dB and frames 80..100 where it drops for 0.4 s.
        let mut own = vec![-20.0f32; 100];
        for l in &mut own[50..55] {
            *l = -45.0;
        }
        for l in &mut own[80..100] {
            *l = -45.0;
        }
        let other = vec![-20.0f32; 100];
        let out = remove_crosstalk(
            &[Span::new(0.0, 2.0)],
            &own,
            &other,
            &CrosstalkParams::default(),
        );
        assert_eq!(out.len(), 1, "{out:?}");
        assert!(
            (out[0].start - 0.0).abs() < 1e-9 && (out[0].end - 1.6).abs() < 1e-9,
            "{out:?}"
        );
        // A 0.1 s island of own speech inside bleed is dropped.
        let mut own = vec![-45.0f32; 100];
        for l in &mut own[30..35] {
            *l = -20.0;
        }
        let out = remove_crosstalk(
            &[Span::new(0.0, 2.0)],
            &own,
            &other,
            &CrosstalkParams::default(),
        );
        assert!(out.is_empty(), "{out:?}");
    }
}
