//! Stage 6 of neural diarization: each turn's edges moved to where its sound starts and ends.
//! The segmentation tends to start a turn up to a few tenths of a second before the voice
//! is heard, over silence, and to end it while the last syllable still sounds. A turn's start
//! therefore moves past the quiet 10 ms frames it begins with (one with no frame that sounds
//! keeps its start), and its end on over the frames
//! that are still clearly above the recording's noise floor, but never into another
//! speaker's turn. A turn that falls quiet for a pause (0.3 s by default) inside is split
//! there: talk time is the time a voice is heard, not the time it holds the floor.
//! Overlapped speech is then read off the final turns.

use crate::Turn;
use medlyt_audio::level_quantile as quantile;
use medlyt_core::Span;

/// Samples per level frame (10 ms at 16 kHz).
const FRAME: usize = 160;
/// A frame never sounds at less than this over the noise floor (dB).
const MIN_ABOVE_FLOOR_DB: f32 = 3.0;
/// The noise floor is this quantile of the frame levels.
const FLOOR_QUANTILE: f64 = 0.1;

/// How far edges may move.
#[derive(Debug, Clone, Copy)]
pub struct EdgeParams {
    /// A frame sounds when its level is this many dB above the noise floor.
    pub above_floor_db: f32,
    /// A start moves at most this far on (seconds).
    pub trim_s: f64,
    /// An end moves at most this far on (seconds).
    pub extend_s: f64,
    /// A quiet stretch inside a turn at least this long (seconds) splits it in two; `None`
    /// keeps turns whole.
    pub pause_s: Option<f64>,
}

/// The turns with their edges at the sound; `samples` are 16 kHz.
pub fn fit_edges(samples: &[i16], turns: Vec<Turn>, p: &EdgeParams) -> Vec<Turn> {
    let levels = medlyt_audio::frame_levels(samples, FRAME);
    let Some(floor) = quantile(&levels, FLOOR_QUANTILE) else {
        return turns;
    };
    let fitted = turns
        .iter()
        .flat_map(|t| fit(t, &turns, &levels, floor, p))
        .collect();
    super::recheck::join_adjacent(fitted)
}

/// One turn with its edges at the sound. A frame sounds when it is `above_floor_db` over the
/// noise floor, or, in a noisy recording where the turn itself is not that far above it,
/// halfway between the floor and the turn's median level (but at least 3 dB over the floor).
fn fit(t: &Turn, turns: &[Turn], levels: &[f32], floor: f32, p: &EdgeParams) -> Vec<Turn> {
    let (a, b) = (
        frame_at(t.span.start),
        frame_at(t.span.end).min(levels.len()),
    );
    let Some(median) = quantile(levels.get(a..b).unwrap_or_default(), 0.5) else {
        return vec![*t];
    };
    let sounds = floor + ((median - floor) / 2.0).clamp(MIN_ABOVE_FLOOR_DB, p.above_floor_db);
    let loud = |f: usize| levels.get(f).is_some_and(|&l| l >= sounds);
    let start = (a..b)
        .find(|&f| loud(f))
        .map_or(a, |f| f.min(a + frame_at(p.trim_s)));
    let limit = extension_limit(turns, t, frame_at(p.extend_s));
    let end = (b..limit).find(|&f| !loud(f)).unwrap_or(limit);
    let fitted = Span::new(
        if start > a {
            seconds(start)
        } else {
            t.span.start
        },
        if end > b { seconds(end) } else { t.span.end },
    );
    let spans = match p.pause_s {
        Some(pause) => split_at_pauses(fitted, start.max(a), b, frame_at(pause).max(1), &loud),
        None => vec![fitted],
    };
    spans
        .into_iter()
        .map(|span| Turn {
            span,
            speaker: t.speaker,
        })
        .collect()
}

/// `span` cut where frames `from..to` hold a run of at least `pause` quiet frames.
fn split_at_pauses(
    span: Span,
    from: usize,
    to: usize,
    pause: usize,
    loud: &dyn Fn(usize) -> bool,
) -> Vec<Span> {
    let mut out = Vec::new();
    let mut start = span.start;
    let mut quiet_from = None;
    for f in from..to {
        match (loud(f), quiet_from) {
            (false, None) => quiet_from = Some(f),
            (true, Some(q)) => {
                if f - q >= pause && q > from {
                    out.push(Span::new(start, seconds(q)));
                    start = seconds(f);
                }
                quiet_from = None;
            }
            _ => {}
        }
    }
    out.push(Span::new(start, span.end));
    out
}

/// The frame an end may reach: `extend` frames on, but not past the start of another
/// speaker's turn, and not at all where another speaker already talks at the end.
fn extension_limit(turns: &[Turn], t: &Turn, extend: usize) -> usize {
    let end = t.span.end;
    let others = turns.iter().filter(|o| o.speaker != t.speaker);
    let mut limit = frame_at(end) + extend;
    for o in others {
        if o.span.start <= end && end < o.span.end {
            return frame_at(end);
        }
        if o.span.start > end {
            limit = limit.min(frame_at(o.span.start));
        }
    }
    limit
}

/// Where two or more speakers talk at once.
pub fn overlaps(turns: &[Turn]) -> Vec<Span> {
    let mut both = Vec::new();
    for (i, a) in turns.iter().enumerate() {
        for b in &turns[i + 1..] {
            let (from, to) = (a.span.start.max(b.span.start), a.span.end.min(b.span.end));
            if a.speaker != b.speaker && to > from {
                both.push(Span::new(from, to));
            }
        }
    }
    medlyt_core::union(&both, 0.0)
}

fn frame_at(secs: f64) -> usize {
    (secs.max(0.0) * 100.0).round() as usize
}

fn seconds(frame: usize) -> f64 {
    frame as f64 / 100.0
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // tests may unwrap
mod tests {
    use super::*;
    use crate::neural::test_turn as turn;

    /// Quiet noise, with a tone from `from` to `to` seconds.
    fn tone(secs: f64, from: f64, to: f64) -> Vec<i16> {
        (0..(secs * 16_000.0) as usize)
            .map(|i| {
                let t = i as f64 / 16_000.0;
                let noise = ((i * 7919) % 13) as f64 - 6.0;
                let voice = if (from..to).contains(&t) {
                    8000.0 * (t * 2.0 * std::f64::consts::PI * 220.0).sin()
                } else {
                    0.0
                };
                (voice + noise) as i16
            })
            .collect()
    }

    const P: EdgeParams = EdgeParams {
        above_floor_db: 10.0,
        trim_s: 0.3,
        extend_s: 0.2,
        pause_s: None,
    };

    #[test]
    fn a_turn_starts_where_its_sound_starts_and_ends_where_it_ends() {
        let samples = tone(4.0, 1.0, 2.5);
        let out = fit_edges(&samples, vec![turn(0.8, 2.4, 0)], &P);
        assert_eq!(out.len(), 1);
        assert!((out[0].span.start - 1.0).abs() < 0.015, "{:?}", out[0].span);
        assert!((out[0].span.end - 2.5).abs() < 0.015, "{:?}", out[0].span);
    }

    #[test]
    fn edges_move_no_further_than_allowed() {
        let samples = tone(4.0, 1.0, 3.5);
        let out = fit_edges(&samples, vec![turn(0.5, 2.0, 0)], &P);
        assert!((out[0].span.start - 0.8).abs() < 1e-9, "{:?}", out[0].span);
        assert!((out[0].span.end - 2.2).abs() < 1e-9, "{:?}", out[0].span);
    }

    #[test]
    fn an_end_never_runs_into_another_speakers_turn() {
        let samples = tone(4.0, 1.0, 3.0);
        let out = fit_edges(&samples, vec![turn(1.0, 2.0, 0), turn(2.1, 3.0, 1)], &P);
        assert!((out[0].span.end - 2.1).abs() < 1e-9, "{:?}", out);
        // Where the other speaker already talks at the end, the end stays.
        let out = fit_edges(&samples, vec![turn(1.0, 2.0, 0), turn(1.5, 3.0, 1)], &P);
        assert!((out[0].span.end - 2.0).abs() < 1e-9, "{:?}", out);
        assert_eq!(overlaps(&out), vec![Span::new(1.5, 2.0)]);
    }

    #[test]
    fn a_pause_inside_a_turn_splits_it_and_a_short_one_does_not() {
        let mut samples = tone(5.0, 1.0, 4.0);
        // 0.5 s of quiet from 2.0 s, 0.1 s from 3.0 s.
        for range in [32_000..40_000, 48_000..49_600] {
            for (i, s) in samples[range].iter_mut().enumerate() {
                *s = ((i * 7919) % 13) as i16 - 6;
            }
        }
        let p = EdgeParams {
            pause_s: Some(0.3),
            ..P
        };
        let out = fit_edges(&samples, vec![turn(1.0, 4.0, 0)], &p);
        assert_eq!(out.len(), 2, "{out:?}");
        assert!((out[0].span.end - 2.0).abs() < 0.015, "{out:?}");
        assert!((out[1].span.start - 2.5).abs() < 0.015, "{out:?}");
        assert!((out[1].span.end - 4.0).abs() < 0.015, "{out:?}");
        let whole = fit_edges(&samples, vec![turn(1.0, 4.0, 0)], &P);
        assert_eq!(whole.len(), 1, "{whole:?}");
    }

    #[test]
    fn a_turn_that_is_quiet_throughout_keeps_its_start() {
        let samples = tone(4.0, 3.0, 3.5);
        let out = fit_edges(&samples, vec![turn(1.0, 1.2, 0), turn(1.5, 2.5, 0)], &P);
        assert!((out[0].span.start - 1.0).abs() < 1e-9, "{:?}", out);
        assert!((out[1].span.start - 1.5).abs() < 1e-9, "{:?}", out);
    }
}
