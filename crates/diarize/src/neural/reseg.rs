//! Stage 5 of neural diarization: frame re-segmentation. Where one voice is heard, every
//! 0.1 s gets an embedding of the speech around it (CAM++'s frame-level output, run once
//! over each stretch of speech and pooled over a short window), each voice a centroid of
//! the embeddings now given to it, and a Viterbi pass over the steps puts the changes of
//! voice where the embeddings turn, at a cost per change. The segmentation and the 1-2 s
//! pieces of the re-check place a change between two alike voices up to a second off; this
//! pass moves it to the step where the voice changes. Overlapped speech keeps its voices.

use super::SpeakerModels;
use crate::Turn;
use medlyt_core::Span;
use ndarray::{Array1, Array2, Axis};
use rayon::prelude::*;

/// Seconds per column of CAM++'s frame-level output.
const FRAME_S: f64 = 0.02;
/// Frames per decision step (0.1 s).
const STEP: usize = 5;

/// How the frames are re-segmented.
#[derive(Debug, Clone, Copy)]
pub struct ResegParams {
    /// Seconds of speech pooled into each step's embedding (centred on the step).
    pub window_s: f64,
    /// A change of voice between steps less than `join_s` apart costs this much summed
    /// cosine similarity.
    pub penalty: f32,
    /// Each step's present voice gets this much cosine similarity extra.
    pub keep_bonus: f32,
    /// Steps closer than this (seconds) are one stretch, where a change costs `penalty`.
    pub join_s: f64,
    /// Most seconds of audio run through CAM++ at once.
    pub block_s: f64,
    /// Seconds of audio on each side of a block that CAM++ hears too.
    pub context_s: f64,
    /// A step's window stays within its island of one-voice speech: pauses of up to this
    /// many seconds bridged.
    pub island_gap_s: f64,
    /// Fewest seconds of one-voice speech in a step's window for it to be judged.
    pub min_window_s: f64,
}

/// One decision step: its first frame, the voice it has now, and its embedding.
struct Step {
    frame: usize,
    label: usize,
    embedding: Array1<f32>,
}

/// The turns, with the one-voice frames given to the voice the Viterbi pass finds;
/// `speakers` is the number of voices; `samples` are 16 kHz.
pub fn resegment(
    models: &SpeakerModels,
    samples: &[i16],
    turns: Vec<Turn>,
    speakers: usize,
    p: &ResegParams,
) -> Vec<Turn> {
    if speakers < 2 || turns.is_empty() {
        return turns;
    }
    let n = (samples.len() as f64 / 16_000.0 / FRAME_S).ceil() as usize;
    let single = single_voice(&turns, n);
    let blocks = blocks(&single, p);
    let steps: Vec<Step> = blocks
        .par_iter()
        .flat_map_iter(|&(a, b)| block_steps(models, samples, &single, a, b, p))
        .collect();
    let Some(centroids) = centroids(&steps, speakers) else {
        return turns;
    };
    let labels = viterbi(&steps, &centroids, p);
    let mut relabel: Vec<Option<usize>> = vec![None; n];
    for (st, &k) in steps.iter().zip(&labels) {
        for f in st.frame..(st.frame + STEP).min(n) {
            if single[f].is_some() {
                relabel[f] = Some(k);
            }
        }
    }
    super::recheck::join_adjacent(apply(&turns, &relabel))
}

/// For each 20 ms frame, the one voice heard there (`None` for silence or overlap).
fn single_voice(turns: &[Turn], n: usize) -> Vec<Option<usize>> {
    let mut count = vec![0u8; n];
    let mut who = vec![None; n];
    for t in turns {
        let (a, b) = frames_of(t.span, n);
        for f in a..b {
            count[f] = count[f].saturating_add(1);
            who[f] = Some(t.speaker);
        }
    }
    who.iter()
        .zip(&count)
        .map(|(&w, &c)| if c == 1 { w } else { None })
        .collect()
}

/// The frames whose centres lie in `span`.
fn frames_of(span: Span, n: usize) -> (usize, usize) {
    let first = ((span.start / FRAME_S) - 0.5).ceil().max(0.0) as usize;
    let end = ((span.end / FRAME_S) - 0.5).ceil().max(0.0) as usize;
    (first.min(n), end.min(n))
}

/// Frame ranges that CAM++ runs over: stretches of speech (gaps under a second bridged),
/// longer ones cut evenly into blocks of at most `block_s`.
fn blocks(single: &[Option<usize>], p: &ResegParams) -> Vec<(usize, usize)> {
    let gap = (1.0 / FRAME_S) as usize;
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for (f, v) in single.iter().enumerate() {
        if v.is_none() {
            continue;
        }
        match runs.last_mut() {
            Some(last) if f <= last.1 + gap => last.1 = f + 1,
            _ => runs.push((f, f + 1)),
        }
    }
    let most = ((p.block_s / FRAME_S) as usize).max(STEP);
    let mut out = Vec::new();
    for (a, b) in runs {
        let parts = (b - a).div_ceil(most);
        let len = (b - a).div_ceil(parts).div_ceil(STEP) * STEP;
        let mut x = a;
        while x < b {
            out.push((x, (x + len).min(b)));
            x += len;
        }
    }
    out
}

/// The steps of frames `a..b`: CAM++ run once over them with context, and each step's
/// embedding pooled from the one-voice frames of its window.
fn block_steps(
    models: &SpeakerModels,
    samples: &[i16],
    single: &[Option<usize>],
    a: usize,
    b: usize,
    p: &ResegParams,
) -> Vec<Step> {
    let ctx = (p.context_s / FRAME_S) as usize;
    let from = a.saturating_sub(ctx);
    let to = (b + ctx).min(single.len());
    let Some(x) = frame_output(models, samples, from, to) else {
        return Vec::new();
    };
    let frames = x.ncols().min(to - from);
    let mask: Vec<bool> = (0..frames).map(|j| single[from + j].is_some()).collect();
    let sums = PrefixStats::new(&x, &mask);
    let islands = islands(&mask, (p.island_gap_s / FRAME_S).round() as usize);
    let half = ((p.window_s / FRAME_S / 2.0) as usize).max(1);
    let least = ((p.min_window_s / FRAME_S) as usize).max(2);
    let mut out = Vec::new();
    for frame in (a..b).step_by(STEP) {
        let Some(label) = majority(&single[frame..(frame + STEP).min(b)]) else {
            continue;
        };
        let mid = frame + STEP / 2 - from;
        let anchor = (frame - from..(frame + STEP - from).min(frames))
            .filter(|&f| mask[f])
            .min_by_key(|&f| f.abs_diff(mid));
        let Some(anchor) = anchor else { continue };
        let (first, last) = islands[anchor];
        let (lo, hi) = (mid.saturating_sub(half).max(first), (mid + half).min(last));
        let Some(stats) = sums.stats(lo, hi, least) else {
            continue;
        };
        let e = models.embedding.embed_stats(&stats);
        let norm = e.dot(&e).sqrt();
        if norm.is_finite() && norm > 0.0 {
            out.push(Step {
                frame,
                label,
                embedding: e / norm,
            });
        }
    }
    out
}

/// CAM++'s frame-level output for frames `from..to` (mean-normalised filter bank of
/// that audio); `None` when it is too short.
fn frame_output(
    models: &SpeakerModels,
    samples: &[i16],
    from: usize,
    to: usize,
) -> Option<Array2<f32>> {
    let start = from * 320;
    let end = (to * 320 + 240).min(samples.len());
    if end <= start + 4000 {
        return None;
    }
    let audio: Vec<f32> = samples[start..end]
        .iter()
        .map(|&v| f32::from(v) / 32768.0)
        .collect();
    let feats = models.fbank.compute(&audio);
    let mean = feats.mean_axis(Axis(0))?;
    let normed = &feats - &mean.insert_axis(Axis(0));
    Some(models.embedding.frames(normed.view()))
}

/// For each frame, the range of its island: the run of masked frames, gaps of at most
/// `gap` frames bridged, that it lies in or next to (its own frame alone when none).
fn islands(mask: &[bool], gap: usize) -> Vec<(usize, usize)> {
    let n = mask.len();
    let mut out: Vec<(usize, usize)> = (0..n).map(|f| (f, f + 1)).collect();
    let mut start: Option<usize> = None;
    let mut last_on = 0;
    let close = |a: usize, b: usize, out: &mut Vec<(usize, usize)>| {
        for o in out.iter_mut().take(b).skip(a) {
            *o = (a, b);
        }
    };
    for f in 0..n {
        if !mask[f] {
            continue;
        }
        match start {
            Some(a) if f > last_on + gap + 1 => {
                close(a, last_on + 1, &mut out);
                start = Some(f);
            }
            None => start = Some(f),
            _ => {}
        }
        last_on = f;
    }
    if let Some(a) = start {
        close(a, last_on + 1, &mut out);
    }
    out
}

/// The voice of most of a step's frames.
fn majority(frames: &[Option<usize>]) -> Option<usize> {
    let mut counts = [0usize; crate::MAX_SPEAKERS];
    for k in frames.iter().flatten() {
        if let Some(c) = counts.get_mut(*k) {
            *c += 1;
        }
    }
    let (k, &c) = counts.iter().enumerate().max_by_key(|(_, &c)| c)?;
    (c > 0).then_some(k)
}

/// Running sums of the masked frames' channels and squares, for the mean and standard
/// deviation of any range.
struct PrefixStats {
    sum: Array2<f64>,
    squares: Array2<f64>,
    count: Vec<usize>,
}

impl PrefixStats {
    fn new(x: &Array2<f32>, mask: &[bool]) -> PrefixStats {
        let c = x.nrows();
        let n = mask.len();
        let mut sum = Array2::<f64>::zeros((n + 1, c));
        let mut squares = Array2::<f64>::zeros((n + 1, c));
        let mut count = vec![0usize; n + 1];
        for j in 0..n {
            let (prev_s, prev_q) = (sum.row(j).to_owned(), squares.row(j).to_owned());
            let col = x.column(j);
            let on = if mask[j] { 1.0 } else { 0.0 };
            let mut row_s = sum.row_mut(j + 1);
            row_s.assign(&prev_s);
            row_s.zip_mut_with(&col, |s, &v| *s += on * f64::from(v));
            let mut row_q = squares.row_mut(j + 1);
            row_q.assign(&prev_q);
            row_q.zip_mut_with(&col, |s, &v| *s += on * f64::from(v) * f64::from(v));
            count[j + 1] = count[j] + usize::from(mask[j]);
        }
        PrefixStats {
            sum,
            squares,
            count,
        }
    }

    /// Means then standard deviations of the masked frames of `lo..hi`; `None` for fewer
    /// than `least` of them.
    fn stats(&self, lo: usize, hi: usize, least: usize) -> Option<Array1<f32>> {
        let n = self.count[hi] - self.count[lo];
        if n < least.max(2) {
            return None;
        }
        let s = &self.sum.row(hi) - &self.sum.row(lo);
        let q = &self.squares.row(hi) - &self.squares.row(lo);
        let nf = n as f64;
        let mean = s.mapv(|v| v / nf);
        let std = q
            .iter()
            .zip(mean.iter())
            .map(|(&q, &m)| ((q - nf * m * m).max(0.0) / (nf - 1.0)).sqrt());
        Some(
            mean.iter()
                .map(|&m| m as f32)
                .chain(std.map(|v| v as f32))
                .collect(),
        )
    }
}

/// Each voice's centroid: the normalised mean of the step embeddings now given to it;
/// `None` when fewer than two voices have steps.
fn centroids(steps: &[Step], speakers: usize) -> Option<Vec<Option<Array1<f32>>>> {
    let dim = steps.first()?.embedding.len();
    let mut sums = vec![Array1::<f32>::zeros(dim); speakers];
    let mut counts = vec![0usize; speakers];
    for st in steps.iter().filter(|st| st.label < speakers) {
        sums[st.label] += &st.embedding;
        counts[st.label] += 1;
    }
    let out: Vec<Option<Array1<f32>>> = sums
        .into_iter()
        .zip(&counts)
        .map(|(s, &c)| {
            let norm = s.dot(&s).sqrt();
            (c >= 5 && norm > 0.0).then(|| s / norm)
        })
        .collect();
    (out.iter().flatten().count() >= 2).then_some(out)
}

/// The best voice for each step: cosine similarity to its centroid (plus `keep_bonus` for
/// the voice it has), less `penalty` for each change within a stretch.
fn viterbi(steps: &[Step], centroids: &[Option<Array1<f32>>], p: &ResegParams) -> Vec<usize> {
    let k = centroids.len();
    let join = (p.join_s / FRAME_S) as usize;
    let score = |st: &Step, j: usize| -> f32 {
        match &centroids[j] {
            Some(c) => st.embedding.dot(c) + if j == st.label { p.keep_bonus } else { 0.0 },
            None if j == st.label => 1.0,
            None => f32::NEG_INFINITY,
        }
    };
    let mut total: Vec<f32> = vec![0.0; k];
    let mut back: Vec<Vec<usize>> = Vec::with_capacity(steps.len());
    for (i, st) in steps.iter().enumerate() {
        let joined = i > 0 && st.frame <= steps[i - 1].frame + join;
        let best_prev = argmax(&total);
        let mut next = vec![0.0; k];
        let mut from = vec![0; k];
        for j in 0..k {
            let stay = total[j];
            let switch = total[best_prev] - if joined { p.penalty } else { 0.0 };
            let (v, src) = if stay >= switch {
                (stay, j)
            } else {
                (switch, best_prev)
            };
            next[j] = v + score(st, j);
            from[j] = src;
        }
        total = next;
        back.push(from);
    }
    let mut labels = vec![0; steps.len()];
    let mut j = argmax(&total);
    for i in (0..steps.len()).rev() {
        labels[i] = j;
        j = back[i][j];
    }
    labels
}

fn argmax(v: &[f32]) -> usize {
    v.iter()
        .enumerate()
        .max_by(|a, b| a.1.total_cmp(b.1))
        .map_or(0, |(i, _)| i)
}

/// Each turn cut where its one-voice frames were given to another voice.
fn apply(turns: &[Turn], relabel: &[Option<usize>]) -> Vec<Turn> {
    let n = relabel.len();
    let mut out = Vec::with_capacity(turns.len());
    for t in turns {
        let (a, b) = frames_of(t.span, n);
        let who = |f: usize| relabel[f].unwrap_or(t.speaker);
        let mut start = t.span.start;
        let mut f = a;
        while f < b {
            let k = who(f);
            let mut g = f + 1;
            while g < b && who(g) == k {
                g += 1;
            }
            let end = if g >= b {
                t.span.end
            } else {
                g as f64 * FRAME_S
            };
            out.push(Turn {
                span: Span::new(start, end),
                speaker: k,
            });
            start = end;
            f = g;
        }
        if a >= b {
            out.push(*t);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::neural::test_turn as turn;

    fn step(frame: usize, label: usize, e: [f32; 2]) -> Step {
        Step {
            frame,
            label,
            embedding: Array1::from(e.to_vec()),
        }
    }

    fn params() -> ResegParams {
        ResegParams {
            window_s: 1.0,
            penalty: 0.5,
            keep_bonus: 0.0,
            join_s: 0.5,
            block_s: 10.0,
            context_s: 1.0,
            island_gap_s: 0.1,
            min_window_s: 0.3,
        }
    }

    #[test]
    fn a_change_of_voice_moves_to_where_the_embeddings_turn() {
        // Voice 0 for 10 steps, then voice 1, but the steps say so from step 6.
        let steps: Vec<Step> = (0..20)
            .map(|i| {
                let e = if i < 6 { [1.0, 0.0] } else { [0.0, 1.0] };
                step(i * STEP, usize::from(i >= 10), e)
            })
            .collect();
        let c = vec![Some(Array1::from(vec![1.0, 0.0])), Some(Array1::from(vec![0.0, 1.0]))];
        let labels = viterbi(&steps, &c, &params());
        assert_eq!(labels.iter().position(|&k| k == 1), Some(6));
        assert!(labels[6..].iter().all(|&k| k == 1));
    }

    #[test]
    fn one_odd_step_does_not_pay_for_two_changes() {
        let steps: Vec<Step> = (0..10)
            .map(|i| step(i * STEP, 0, if i == 4 { [0.4, 0.6] } else { [1.0, 0.0] }))
            .collect();
        let c = vec![Some(Array1::from(vec![1.0, 0.0])), Some(Array1::from(vec![0.0, 1.0]))];
        assert!(viterbi(&steps, &c, &params()).iter().all(|&k| k == 0));
    }

    #[test]
    fn relabelled_frames_cut_a_turn_and_keep_its_edges() {
        let turns = [turn(0.013, 1.0, 0)];
        let mut relabel = vec![None; 50];
        for r in relabel.iter_mut().skip(30) {
            *r = Some(1);
        }
        let out = apply(&turns, &relabel);
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].span.start, 0.013);
        assert!((out[0].span.end - 0.6).abs() < 1e-9);
        assert_eq!(out[1].speaker, 1);
        assert_eq!(out[1].span.end, 1.0);
    }

    #[test]
    fn islands_bridge_short_pauses_only() {
        let mask = [true, true, false, true, false, false, false, true];
        let i = islands(&mask, 1);
        assert_eq!(i[0], (0, 4));
        assert_eq!(i[3], (0, 4));
        assert_eq!(i[7], (7, 8));
    }

    #[test]
    fn overlapped_frames_have_no_single_voice() {
        let s = single_voice(&[turn(0.0, 1.0, 0), turn(0.5, 1.5, 1)], 100);
        assert_eq!(s[10], Some(0));
        assert_eq!(s[30], None);
        assert_eq!(s[60], Some(1));
        assert_eq!(s[90], None);
    }

    #[test]
    fn pooled_statistics_match_a_direct_mean_and_deviation() {
        let x = Array2::from_shape_fn((2, 6), |(c, j)| (c * 10 + j) as f32);
        let mask = [true, true, false, true, true, true];
        let st = PrefixStats::new(&x, &mask).stats(0, 4, 2).unwrap_or_default();
        // Channel 0 over frames 0, 1, 3: mean 4/3, sample std of (0, 1, 3).
        let m = 4.0 / 3.0;
        let sd = (((0.0 - m) * (0.0 - m) + (1.0 - m) * (1.0 - m) + (3.0 - m) * (3.0 - m)) / 2.0f32).sqrt();
        assert!((st[0] - m).abs() < 1e-5);
        assert!((st[2] - sd).abs() < 1e-5);
    }
}
