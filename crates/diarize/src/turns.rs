//! From frame labels to turns, overlapping speech, and interruptions.

use crate::features::FRAME_S;
use crate::{Diarization, Turn};
use medlyt_core::Span;
use serde::{Deserialize, Serialize};

/// Turns from the speaker label of each speech frame (`rows` are frame indices, in order).
/// Turns of one speaker with a pause shorter than `bridge_s` between them are joined.
pub fn from_labels(rows: &[usize], labels: &[usize], bridge_s: f64) -> Vec<Turn> {
    let mut out: Vec<Turn> = Vec::new();
    let mut prev_row: Option<usize> = None;
    for (&r, &l) in rows.iter().zip(labels) {
        let t0 = r as f64 * FRAME_S;
        let t1 = t0 + FRAME_S;
        match out.last_mut() {
            Some(last) if last.speaker == l && prev_row == Some(r.wrapping_sub(1)) => {
                last.span.end = t1
            }
            Some(last) if last.speaker == l && t0 - last.span.end < bridge_s => last.span.end = t1,
            _ => out.push(Turn {
                span: Span::new(t0, t1),
                speaker: l,
            }),
        }
        prev_row = Some(r);
    }
    out
}

/// Seconds of speech compared on each side of a speaker change.
const SIDE_S: f64 = 0.8;
/// How much louder (dB) than either speaker alone the speech next to a change must be.
const OVERLAP_DB: f32 = 3.0;
/// Turns shorter than this (seconds) are passed over when looking for changes.
const MIN_TURN_S: f64 = 0.3;

/// Finds overlapping speech at speaker changes and extends both turns over it.
///
/// At a change from speaker A to B inside continuous speech, the median frame level of the
/// 0.8 s before and after the change is compared with the median level of A's and B's turns
/// away from the change: two voices at once are louder than either alone. Where one side is
/// at least 3 dB louder than both, the overlap runs from the change into that side for as
/// long as the 0.3 s average level stays 1 dB above the louder single voice (0.5 to 1.5 s).
pub fn add_overlaps(turns: Vec<Turn>, energy_db: &[f32]) -> (Vec<Turn>, Vec<Span>) {
    let mut turns = turns;
    let mut overlaps = Vec::new();
    let majors = major_turns(&turns);
    let frame = |t: f64| ((t / FRAME_S).round().max(0.0) as usize).min(energy_db.len());
    let level = |a: f64, b: f64| median(&energy_db[frame(a)..frame(b).max(frame(a))]);
    for pair in majors.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        let (ia, ib) = (a.last, b.first);
        if a.speaker == b.speaker || b.span.start - a.span.end > MIN_TURN_S {
            continue;
        }
        // Overlap keeps speech continuous: no pause between the two turns.
        let (ga, gb) = (frame(a.span.end), frame(b.span.start));
        if ga < gb && energy_db[ga..gb].iter().any(|x| x.is_nan()) {
            continue;
        }
        let c = b.span.start;
        if a.span.duration() < SIDE_S + MIN_TURN_S || b.span.duration() < SIDE_S + MIN_TURN_S {
            continue;
        }
        let solo = level(a.span.start, c - SIDE_S).max(level(c + SIDE_S, b.span.end));
        let before = level(c - SIDE_S, a.span.end.min(c));
        let after = level(c, c + SIDE_S);
        let forward = after > solo + OVERLAP_DB && after >= before;
        if !forward && before <= solo + OVERLAP_DB {
            continue;
        }
        // Grow the overlap away from the change while the level stays up.
        let mut extent = 0.5;
        while extent < 1.5 {
            let next = extent + 0.1;
            let window = if forward {
                level(c + next - 0.3, c + next)
            } else {
                level(c - next, c - next + 0.3)
            };
            if window <= solo + 1.0 {
                break;
            }
            extent = next;
        }
        let span = if forward {
            Span::new(c, c + extent)
        } else {
            Span::new(c - extent, c)
        };
        turns[ia].span.end = turns[ia].span.end.max(span.end);
        turns[ib].span.start = turns[ib].span.start.min(span.start);
        overlaps.push(span);
    }
    (turns, overlaps)
}

/// A run of turns of one speaker, passing over turns shorter than [`MIN_TURN_S`].
#[derive(Clone, Copy)]
struct Major {
    speaker: usize,
    span: Span,
    /// Index of its first and last turn.
    first: usize,
    last: usize,
}

fn major_turns(turns: &[Turn]) -> Vec<Major> {
    let mut out: Vec<Major> = Vec::new();
    for (i, t) in turns.iter().enumerate() {
        if t.span.duration() < MIN_TURN_S {
            continue;
        }
        match out.last_mut() {
            Some(m) if m.speaker == t.speaker && t.span.start - m.span.end <= MIN_TURN_S => {
                m.span.end = t.span.end;
                m.last = i;
            }
            _ => out.push(Major {
                speaker: t.speaker,
                span: t.span,
                first: i,
                last: i,
            }),
        }
    }
    out
}

/// Median of the values that are not NaN (non-speech frames are NaN); -100 when none.
fn median(v: &[f32]) -> f32 {
    let mut s: Vec<f32> = v.iter().copied().filter(|x| !x.is_nan()).collect();
    if s.is_empty() {
        return -100.0;
    }
    s.sort_by(f32::total_cmp);
    s[s.len() / 2]
}

/// The name of speaker `n` (0-based), as transcripts, reports and RTTM give it: A, B, C, ...;
/// past Z the letter gets a number (B1 is the 28th).
pub fn speaker_name(n: usize) -> String {
    let letter = u8::try_from(n % 26).map_or('?', |i| char::from(b'A' + i));
    if n < 26 {
        letter.to_string()
    } else {
        format!("{letter}{}", n / 26)
    }
}

/// Sorts turns by start and numbers speakers in order of their first turn.
pub fn renumber(mut turns: Vec<Turn>) -> Vec<Turn> {
    turns.sort_by(|a, b| a.span.start.total_cmp(&b.span.start));
    let mut map: Vec<(usize, usize)> = Vec::new();
    for t in &mut turns {
        let new = match map.iter().find(|(old, _)| *old == t.speaker) {
            Some(&(_, new)) => new,
            None => {
                map.push((t.speaker, map.len()));
                map.len() - 1
            }
        };
        t.speaker = new;
    }
    turns
}

/// One speaker cutting in on another.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Interruption {
    /// When the incoming speaker started, in seconds.
    pub at: f64,
    /// Who cut in.
    pub by: usize,
    /// Who was speaking and yielded.
    pub of: usize,
}

/// Interruptions in the turns: a speaker starts while another speaks, both speak for more than
/// `min_overlap_s` seconds, and the first speaker stops first (a backchannel inside the other's
/// turn is not one).
pub fn interruptions(d: &Diarization, min_overlap_s: f64) -> Vec<Interruption> {
    // Each speaker's speech, with gaps shorter than MIN_TURN_S closed, so a turn split by a
    // short stretch given to the other speaker counts as one.
    let merged: Vec<Turn> = (0..d.speakers)
        .flat_map(|s| {
            let own: Vec<Span> = d
                .turns
                .iter()
                .filter(|t| t.speaker == s)
                .map(|t| t.span)
                .collect();
            medlyt_core::union(&own, MIN_TURN_S)
                .into_iter()
                .map(move |span| Turn { span, speaker: s })
        })
        .collect();
    let mut out = Vec::new();
    for b in &merged {
        for a in &merged {
            if a.speaker == b.speaker || !(a.span.start < b.span.start && b.span.start < a.span.end)
            {
                continue;
            }
            if a.span.end - b.span.start > min_overlap_s && b.span.end > a.span.end {
                out.push(Interruption {
                    at: b.span.start,
                    by: b.speaker,
                    of: a.speaker,
                });
            }
        }
    }
    out.sort_by(|x, y| x.at.total_cmp(&y.at));
    out
}
