//! Stage 3 of neural diarization: the chunks' local activities, relabelled with their global
//! speakers, averaged over the overlapping chunks on one frame grid (chunk edges weigh
//! less); in each frame the speakers with the highest scores are kept, as many as the
//! chunks say are talking there. Runs of frames become turns (two speakers' turns that
//! overlap are overlapped speech).

use super::chunks::{Chunk, FRAME_OFFSET, HOP};
use super::segmentation::FRAMES;
use crate::Turn;
use medlyt_core::Span;

/// Turns from clustered chunks of a recording of `len` samples.
pub fn stitch(
    chunks: &[Chunk],
    labels: &[Vec<Option<usize>>],
    speakers: usize,
    len: usize,
    min_gap_s: f64,
) -> Vec<Turn> {
    let grid = len.div_ceil(HOP).max(1);
    let mut score = vec![0f32; grid * speakers.max(1)];
    let mut count = vec![0f32; grid];
    let mut weight = vec![0f32; grid];
    let window: Vec<f32> = (0..FRAMES)
        .map(|f| {
            let x = f as f32 / (FRAMES - 1) as f32;
            (0.54 - 0.46 * (2.0 * std::f32::consts::PI * x).cos()).max(0.05)
        })
        .collect();
    for (c, chunk_labels) in chunks.iter().zip(labels) {
        let first = (c.start as f64 / HOP as f64).round() as usize;
        for (f, &w) in window.iter().enumerate() {
            let g = first + f;
            if g >= grid || c.start + f * HOP + FRAME_OFFSET >= len {
                break;
            }
            weight[g] += w;
            count[g] += w * c.count[f] as f32;
            for (l, label) in c.locals.iter().zip(chunk_labels) {
                if let (true, Some(k)) = (l.active[f], label) {
                    score[g * speakers + k] += w;
                }
            }
        }
    }
    let mut active = vec![vec![false; grid]; speakers];
    for g in 0..grid {
        if weight[g] <= 0.0 {
            continue;
        }
        let n = ((count[g] / weight[g]).round() as usize).min(speakers);
        let mut order: Vec<usize> = (0..speakers)
            .filter(|&k| score[g * speakers + k] > 0.0)
            .collect();
        order.sort_by(|&a, &b| score[g * speakers + b].total_cmp(&score[g * speakers + a]));
        for &k in order.iter().take(n) {
            active[k][g] = true;
        }
    }
    let time = |g: usize| ((g * HOP + FRAME_OFFSET) as f64 / 16_000.0).min(len as f64 / 16_000.0);
    let mut turns = Vec::new();
    for (k, frames) in active.iter_mut().enumerate() {
        bridge(frames, (min_gap_s * 16_000.0 / HOP as f64).round() as usize);
        for (a, b) in super::chunks::runs(frames) {
            turns.push(Turn {
                span: Span::new(time(a), time(b)),
                speaker: k,
            });
        }
    }
    turns.sort_by(|a, b| a.span.start.total_cmp(&b.span.start));
    turns
}

/// Fills gaps of at most `max_gap` frames inside one speaker's speech.
fn bridge(frames: &mut [bool], max_gap: usize) {
    let runs = super::chunks::runs(frames);
    for w in runs.windows(2) {
        if w[1].0 - w[0].1 <= max_gap {
            frames[w[0].1..w[1].0].iter_mut().for_each(|x| *x = true);
        }
    }
}
