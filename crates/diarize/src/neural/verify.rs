//! Stage 7 of neural diarization: two voices that sound alike over their whole speech are
//! one. The clustering compares embeddings of at most 3 s from one chunk each, and a single
//! voice in a reverberant room or on a phone line can spread over two groups there; over
//! several seconds of a voice's speech where it alone is heard, embeddings of one voice lie
//! far closer together than those of two.

use super::chunks::{embed_feats, floats, runs};
use super::recheck::join_adjacent;
use super::reseg::{single_voice, FRAME_S};
use super::SpeakerModels;
use crate::Turn;
use ndarray::{concatenate, Array1, Array2, Axis};
use rayon::prelude::*;

/// How the check decides.
#[derive(Debug, Clone, Copy)]
pub struct VerifyParams {
    /// Seconds of one voice's speech pooled into each embedding.
    pub block_s: f64,
    /// Most embeddings per voice (spread evenly over the call), so the time is bounded.
    pub max_blocks: usize,
    /// Two voices whose mean embeddings are at least this similar (cosine) are one.
    pub same_voice: f32,
}

/// Parts of a turn shorter than this (seconds) are left out of the embeddings.
const MIN_PART_S: f64 = 0.3;
/// A voice with too little speech alone for half a block is still compared, on all of it,
/// where it has at least this many seconds (a voice split off in a few chunks is often
/// that small).
const MIN_VOICE_S: f64 = 1.0;

/// The turns with every pair of voices at least `same_voice` alike joined into one, and the
/// similarity of each pair joined.
pub fn merge_alike(
    models: &SpeakerModels,
    samples: &[i16],
    turns: Vec<Turn>,
    speakers: usize,
    p: &VerifyParams,
) -> (Vec<Turn>, Vec<f32>) {
    if speakers < 2 {
        return (turns, Vec::new());
    }
    let end = turns.iter().map(|t| t.span.end).fold(0.0, f64::max);
    let single = single_voice(&turns, (end / FRAME_S).ceil() as usize + 1);
    let mut voices: Vec<Option<Voice>> = (0..speakers)
        .map(|k| Voice::of(models, samples, &one_voice_parts(&single, k), p))
        .collect();
    let mut label: Vec<usize> = (0..speakers).collect();
    let mut joined = Vec::new();
    while let Some((a, b, sim)) = most_alike(&voices) {
        if sim < p.same_voice {
            break;
        }
        let gone = voices[b].take();
        if let (Some(into), Some(from)) = (voices[a].as_mut(), gone) {
            into.absorb(from);
        }
        label.iter_mut().filter(|l| **l == b).for_each(|l| *l = a);
        joined.push(sim);
    }
    if joined.is_empty() {
        return (turns, joined);
    }
    let relabelled = turns
        .into_iter()
        .map(|t| Turn {
            span: t.span,
            speaker: label[t.speaker],
        })
        .collect();
    (join_adjacent(relabelled), joined)
}

/// A voice's embeddings of blocks of its speech, summed.
struct Voice {
    sum: Array1<f32>,
}

impl Voice {
    /// The voice of these parts of speech (seconds), or `None` when they are too short for
    /// one block.
    fn of(
        models: &SpeakerModels,
        samples: &[i16],
        parts: &[(f64, f64)],
        p: &VerifyParams,
    ) -> Option<Voice> {
        let blocks = spread(blocks(parts, p.block_s), p.max_blocks);
        let embedded: Vec<Array1<f32>> = blocks
            .par_iter()
            .filter_map(|b| embed_block(models, samples, b))
            .collect();
        let mut it = embedded.into_iter();
        let first = it.next()?;
        Some(Voice {
            sum: it.fold(first, |acc, e| acc + e),
        })
    }

    fn absorb(&mut self, o: Voice) {
        self.sum += &o.sum;
    }

    fn similarity(&self, o: &Voice) -> f32 {
        let (na, nb) = (self.sum.dot(&self.sum).sqrt(), o.sum.dot(&o.sum).sqrt());
        self.sum.dot(&o.sum) / (na * nb).max(1e-12)
    }
}

/// The two most alike voices and their similarity.
fn most_alike(voices: &[Option<Voice>]) -> Option<(usize, usize, f32)> {
    let mut best: Option<(usize, usize, f32)> = None;
    for (a, va) in voices.iter().enumerate() {
        for (b, vb) in voices.iter().enumerate().skip(a + 1) {
            if let (Some(va), Some(vb)) = (va, vb) {
                let s = va.similarity(vb);
                if best.is_none_or(|x| s > x.2) {
                    best = Some((a, b, s));
                }
            }
        }
    }
    best
}

/// The parts of speaker `k`'s turns where no other voice is heard, in order of time: the
/// runs of `single` (the re-segmentation's 20 ms grid of the one voice heard) that are `k`.
fn one_voice_parts(single: &[Option<usize>], k: usize) -> Vec<(f64, f64)> {
    let alone: Vec<bool> = single.iter().map(|w| *w == Some(k)).collect();
    runs(&alone)
        .into_iter()
        .map(|(a, b)| (a as f64 * FRAME_S, b as f64 * FRAME_S))
        .filter(|(a, b)| b - a >= MIN_PART_S)
        .collect()
}

/// Consecutive parts grouped into blocks of at least `block_s` seconds of speech; a last
/// block of at least half that counts too, and so does a first and only one of at least
/// [`MIN_VOICE_S`].
fn blocks(parts: &[(f64, f64)], block_s: f64) -> Vec<Vec<(f64, f64)>> {
    let mut out = Vec::new();
    let mut block = Vec::new();
    let mut have = 0.0;
    for &(a, b) in parts {
        block.push((a, b));
        have += b - a;
        if have >= block_s {
            out.push(std::mem::take(&mut block));
            have = 0.0;
        }
    }
    if have >= block_s / 2.0 || (out.is_empty() && have >= MIN_VOICE_S) {
        out.push(block);
    }
    out
}

/// At most `max` of the blocks, evenly spread.
fn spread<T>(blocks: Vec<T>, max: usize) -> Vec<T> {
    if blocks.len() <= max {
        return blocks;
    }
    let step = blocks.len() as f64 / max as f64;
    let keep: Vec<usize> = (0..max).map(|i| (i as f64 * step) as usize).collect();
    blocks
        .into_iter()
        .enumerate()
        .filter(|(i, _)| keep.binary_search(i).is_ok())
        .map(|(_, b)| b)
        .collect()
}

/// One embedding of a block's parts: each part's filter bank, joined, mean-normalised.
fn embed_block(
    models: &SpeakerModels,
    samples: &[i16],
    parts: &[(f64, f64)],
) -> Option<Array1<f32>> {
    let feats: Vec<Array2<f32>> = parts
        .iter()
        .filter_map(|&(a, b)| {
            let from = ((a * 16_000.0).max(0.0) as usize).min(samples.len());
            let to = ((b * 16_000.0) as usize).clamp(from, samples.len());
            (to >= from + 400).then(|| models.fbank.compute(&floats(&samples[from..to])))
        })
        .collect();
    let views: Vec<_> = feats.iter().map(|f| f.view()).collect();
    let all = concatenate(Axis(0), &views).ok()?;
    embed_feats(models, &all)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::neural::test_turn as turn;

    #[test]
    fn another_voice_is_cut_out_of_a_turn() {
        let turns = vec![turn(0.0, 5.0, 0), turn(2.0, 3.0, 1), turn(4.9, 6.0, 1)];
        let single = single_voice(&turns, 301);
        assert_eq!(one_voice_parts(&single, 0), vec![(0.0, 2.0), (3.0, 4.9)]);
        // 5.0..6.0 is B's alone; 4.9..5.0 is shorter than a part.
        assert_eq!(one_voice_parts(&single, 1), vec![(5.0, 6.0)]);
    }

    #[test]
    fn blocks_gather_parts_and_keep_a_last_half_block() {
        let parts = [(0.0, 4.0), (5.0, 8.0), (9.0, 12.0), (13.0, 14.0)];
        let b = blocks(&parts, 6.0);
        assert_eq!(b.len(), 2, "{b:?}");
        assert_eq!(b[0], vec![(0.0, 4.0), (5.0, 8.0)]);
        assert_eq!(b[1], vec![(9.0, 12.0), (13.0, 14.0)]);
        assert_eq!(
            blocks(&[(0.0, 0.6), (1.0, 1.6)], 6.0).len(),
            1,
            "a small voice"
        );
        assert!(blocks(&[(0.0, 0.9)], 6.0).is_empty());
        let tail = blocks(&[(0.0, 6.0), (7.0, 9.0)], 6.0);
        assert_eq!(
            tail,
            vec![vec![(0.0, 6.0)]],
            "a last part under half a block after a full one is left out"
        );
    }

    #[test]
    fn spread_keeps_an_even_sample() {
        assert_eq!(spread((0..10).collect(), 4), vec![0, 2, 5, 7]);
        assert_eq!(spread((0..3).collect(), 4), vec![0, 1, 2]);
    }
}
