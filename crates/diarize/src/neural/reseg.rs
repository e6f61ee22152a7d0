//! Stage 5 of neural diarization: frame re-segmentation. Where one voice is heard, every
//! 0.1 s gets an embedding of the speech around it (CAM++'s frame-level output, run once
//! over each stretch of speech and pooled over a short window), each voice a centroid of
//! the embeddings now given to it, and a Viterbi pass over the steps puts the changes of
//! voice where the embeddings turn, at a cost per change. The segmentation and the 1-2 s
//! pieces of the re-check place a change between two alike voices up to a second off; this
//! pass moves it to the step where the voice changes. Overlapped speech keeps its voices.

use super::chunks::{floats, mean_normalised, unit};
use super::SpeakerModels;
use crate::Turn;
use medlyt_core::Span;
use ndarray::{Array1, Array2, Axis};
use rayon::prelude::*;

/// Seconds per column of CAM++'s frame-level output.
pub(super) const FRAME_S: f64 = 0.02;
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
    /// Pauses shorter than this (seconds) stay inside a block.
    pub bridge_s: f64,
    /// Seconds of audio on each side of a block that CAM++ hears too.
    pub context_s: f64,
    /// A step's window stays within its island of one-voice speech: pauses of up to this
    /// many seconds bridged.
    pub island_gap_s: f64,
    /// Fewest seconds of one-voice speech in a step's window for it to be judged.
    pub min_window_s: f64,
}

impl Default for ResegParams {
    fn default() -> Self {
        ResegParams {
            window_s: 1.5,
            penalty: 0.5,
            keep_bonus: 0.0,
            join_s: 0.5,
            block_s: 4.0,
            bridge_s: 0.3,
            context_s: 0.3,
            island_gap_s: 0.1,
            min_window_s: 0.3,
        }
    }
}

/// One decision step: its first frame and the embedding of the speech around it.
struct Step {
    frame: usize,
    embedding: Array1<f32>,
}

/// One step with the voice it has now.
struct Labelled<'a> {
    frame: usize,
    label: usize,
    embedding: &'a Array1<f32>,
}

/// What one run of CAM++ over the speech gives: the steps' embeddings, and the embedding of
/// each piece of speech asked for (pooled from the same frames; `None` when too short).
pub struct FramePass {
    frames: usize,
    steps: Vec<Step>,
    /// One per piece asked for, in order.
    pub pieces: Vec<Option<Array1<f32>>>,
}

/// Fewest frames a piece's embedding is pooled from.
const PIECE_LEAST: usize = 10;

/// What one block gives for a piece: its embedding where the piece lies in the block
/// whole, else the moments of the part that does.
enum PiecePart {
    Whole(Option<Array1<f32>>),
    Part(Moments),
}

/// What one block gives: its steps, and for each piece in it (by number) its part.
type BlockOut = (Vec<Step>, Vec<(usize, PiecePart)>);

/// Running sums of frames' channels and squares.
#[derive(Clone)]
struct Moments {
    sum: Array1<f64>,
    squares: Array1<f64>,
    count: usize,
}

/// CAM++ run once over the speech of `turns` (16 kHz `samples`), block by block: an
/// embedding for every step where one voice is heard, and one for each of `pieces`.
pub fn frame_pass(
    models: &SpeakerModels,
    samples: &[i16],
    turns: &[Turn],
    pieces: &[Span],
    p: &ResegParams,
) -> FramePass {
    let n = (samples.len() as f64 / 16_000.0 / FRAME_S).ceil() as usize;
    let single = single_voice(turns, n);
    let speech = speech_frames(turns, n);
    let piece_frames: Vec<(usize, usize)> = pieces.iter().map(|&s| frames_of(s, n)).collect();
    let done: Vec<BlockOut> = blocks(&speech, p)
        .par_iter()
        .map(|&(a, b)| block_pass(models, samples, &single, &piece_frames, a, b, p))
        .collect();
    let mut steps = Vec::new();
    let mut embedded: Vec<Option<Array1<f32>>> = vec![None; pieces.len()];
    let mut parts: Vec<(usize, Moments)> = Vec::new();
    for (block_steps, block_pieces) in done {
        steps.extend(block_steps);
        for (i, part) in block_pieces {
            match part {
                PiecePart::Whole(e) => embedded[i] = e,
                PiecePart::Part(m) => parts.push((i, m)),
            }
        }
    }
    steps.sort_by_key(|s| s.frame);
    // Pieces that two blocks share: their moments added up.
    parts.sort_by_key(|(i, _)| *i);
    for group in parts.chunk_by(|a, b| a.0 == b.0) {
        let total = group
            .iter()
            .skip(1)
            .fold(group[0].1.clone(), |acc, (_, m)| acc.add(m));
        embedded[group[0].0] = embed_moments(models, &total, PIECE_LEAST);
    }
    let pieces = embedded;
    FramePass {
        frames: n,
        steps,
        pieces,
    }
}

/// The turns, with the one-voice frames given to the voice the Viterbi pass finds;
/// `speakers` is the number of voices.
pub fn resegment(
    pass: &FramePass,
    turns: Vec<Turn>,
    speakers: usize,
    p: &ResegParams,
) -> Vec<Turn> {
    if speakers < 2 || turns.is_empty() {
        return turns;
    }
    let n = pass.frames;
    let single = single_voice(&turns, n);
    let steps: Vec<Labelled> = pass
        .steps
        .iter()
        .filter_map(|st| {
            let label = majority(&single[st.frame..(st.frame + STEP).min(n)])?;
            Some(Labelled {
                frame: st.frame,
                label,
                embedding: &st.embedding,
            })
        })
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

/// For each 20 ms frame, whether any voice is heard there.
fn speech_frames(turns: &[Turn], n: usize) -> Vec<bool> {
    let mut on = vec![false; n];
    for t in turns {
        let (a, b) = frames_of(t.span, n);
        on[a..b].iter_mut().for_each(|v| *v = true);
    }
    on
}

/// For each 20 ms frame, the one voice heard there (`None` for silence or overlap).
pub(super) fn single_voice(turns: &[Turn], n: usize) -> Vec<Option<usize>> {
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

/// Frame ranges that CAM++ runs over: stretches of speech (pauses under `bridge_s`
/// bridged), longer ones cut evenly into blocks of at most `block_s`.
fn blocks(speech: &[bool], p: &ResegParams) -> Vec<(usize, usize)> {
    let gap = (p.bridge_s / FRAME_S).round() as usize;
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for (f, &on) in speech.iter().enumerate() {
        if !on {
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

/// The steps of frames `a..b` and the moments of the pieces' frames among them: CAM++ run
/// once over them (with `context_s` on each side), and each step's embedding pooled from
/// the one-voice frames of its window.
fn block_pass(
    models: &SpeakerModels,
    samples: &[i16],
    single: &[Option<usize>],
    pieces: &[(usize, usize)],
    a: usize,
    b: usize,
    p: &ResegParams,
) -> BlockOut {
    let ctx = (p.context_s / FRAME_S).round() as usize;
    let (from, to) = (a.saturating_sub(ctx), (b + ctx).min(single.len()));
    let Some(x) = frame_output(models, samples, from, to) else {
        return (Vec::new(), Vec::new());
    };
    let frames = x.ncols().min(to - from);
    let b = b.min(from + frames);
    let mut moments = Vec::new();
    for (i, &(pa, pb)) in pieces.iter().enumerate() {
        let (lo, hi) = (pa.max(a), pb.min(b));
        if lo < hi {
            let m = Moments::of(&x, lo - from, hi - from);
            let part = if (lo, hi) == (pa, pb) {
                PiecePart::Whole(embed_moments(models, &m, PIECE_LEAST))
            } else {
                PiecePart::Part(m)
            };
            moments.push((i, part));
        }
    }
    let mask: Vec<bool> = (0..frames).map(|j| single[from + j].is_some()).collect();
    let sums = PrefixStats::new(&x, &mask);
    let islands = islands(&mask, (p.island_gap_s / FRAME_S).round() as usize);
    let half = ((p.window_s / FRAME_S / 2.0) as usize).max(1);
    let least = ((p.min_window_s / FRAME_S) as usize).max(2);
    let mut steps = Vec::new();
    for frame in (a..b).step_by(STEP) {
        let mid = frame + STEP / 2 - from;
        let anchor = (frame - from..(frame + STEP - from).min(frames))
            .filter(|&f| mask[f])
            .min_by_key(|&f| f.abs_diff(mid));
        let Some(anchor) = anchor else { continue };
        let (first, last) = islands[anchor];
        let (lo, hi) = (mid.saturating_sub(half).max(first), (mid + half).min(last));
        let Some(m) = sums.moments(lo, hi) else {
            continue;
        };
        if let Some(embedding) = embed_moments(models, &m, least) {
            steps.push(Step { frame, embedding });
        }
    }
    (steps, moments)
}

/// The length-normalised embedding of pooled frames; `None` for fewer than `least`.
fn embed_moments(models: &SpeakerModels, m: &Moments, least: usize) -> Option<Array1<f32>> {
    unit(models.embedding.embed_stats(&m.stats(least)?))
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
    let feats = models.fbank.compute(&floats(&samples[start..end]));
    let normed = mean_normalised(&feats)?;
    Some(models.embedding.frames(normed.view()))
}

/// For each frame, the range of its island: the run of masked frames, gaps of at most
/// `gap` frames bridged, that it lies in (its own frame alone when none).
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
    for f in (0..n).filter(|&f| mask[f]) {
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
        let (mut run_s, mut run_q) = (Array1::<f64>::zeros(c), Array1::<f64>::zeros(c));
        for (j, &on) in mask.iter().enumerate() {
            if on {
                for ((s, q), &v) in run_s.iter_mut().zip(run_q.iter_mut()).zip(x.column(j)) {
                    *s += f64::from(v);
                    *q += f64::from(v) * f64::from(v);
                }
            }
            sum.row_mut(j + 1).assign(&run_s);
            squares.row_mut(j + 1).assign(&run_q);
            count[j + 1] = count[j] + usize::from(on);
        }
        PrefixStats {
            sum,
            squares,
            count,
        }
    }

    /// The moments of the masked frames of `lo..hi`.
    fn moments(&self, lo: usize, hi: usize) -> Option<Moments> {
        Some(Moments {
            sum: &self.sum.row(hi) - &self.sum.row(lo),
            squares: &self.squares.row(hi) - &self.squares.row(lo),
            count: self.count.get(hi)? - self.count.get(lo)?,
        })
    }
}

impl Moments {
    /// The moments of columns `lo..hi` of `x`.
    fn of(x: &Array2<f32>, lo: usize, hi: usize) -> Moments {
        let part = x.slice(ndarray::s![.., lo..hi]);
        Moments {
            sum: part.map_axis(Axis(1), |r| r.iter().map(|&v| f64::from(v)).sum()),
            squares: part.map_axis(Axis(1), |r| {
                r.iter().map(|&v| f64::from(v) * f64::from(v)).sum()
            }),
            count: hi - lo,
        }
    }

    fn add(&self, o: &Moments) -> Moments {
        Moments {
            sum: &self.sum + &o.sum,
            squares: &self.squares + &o.squares,
            count: self.count + o.count,
        }
    }

    /// Means then standard deviations; `None` for fewer than `least` frames (or 2).
    fn stats(&self, least: usize) -> Option<Array1<f32>> {
        let n = self.count;
        if n < least.max(2) {
            return None;
        }
        let nf = n as f64;
        let mean = self.sum.mapv(|v| v / nf);
        let std = self
            .squares
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
fn centroids(steps: &[Labelled], speakers: usize) -> Option<Vec<Option<Array1<f32>>>> {
    let dim = steps.first()?.embedding.len();
    let mut sums = vec![Array1::<f32>::zeros(dim); speakers];
    let mut counts = vec![0usize; speakers];
    for st in steps.iter().filter(|st| st.label < speakers) {
        sums[st.label] += st.embedding;
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
fn viterbi(steps: &[Labelled], centroids: &[Option<Array1<f32>>], p: &ResegParams) -> Vec<usize> {
    let k = centroids.len();
    let join = (p.join_s / FRAME_S) as usize;
    let score = |st: &Labelled, j: usize| -> f32 {
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
#[allow(clippy::unwrap_used)] // tests may unwrap
mod tests {
    use super::*;
    use crate::neural::chunks::embed_samples;
    use crate::neural::test_turn as turn;
    use crate::neural::{real_fixture, test_models};

    /// A true turn that follows one of the other voice after a pause under half a second,
    /// both 1.8 s or longer.
    fn close_change(turns: &[Turn]) -> usize {
        (1..turns.len())
            .find(|&i| {
                let (a, b) = (&turns[i - 1], &turns[i]);
                let gap = b.span.start - a.span.end;
                a.speaker != b.speaker
                    && (0.05..0.5).contains(&gap)
                    && b.span.end - b.span.start >= 1.8
                    && a.span.end - a.span.start >= 1.8
            })
            .unwrap()
    }

    #[test]
    fn a_change_of_voice_placed_late_moves_back() {
        let Some(m) = test_models() else { return };
        let (samples, truth) = real_fixture("real-nl-fish-tel");
        let i = close_change(&truth);
        let start = truth[i].span.start;
        // The first voice keeps the first 0.8 s of the second voice's turn.
        let mut turns = truth.clone();
        turns[i - 1].span.end = start + 0.8;
        turns[i].span.start = start + 0.8;
        let p = ResegParams::default();
        let pass = frame_pass(&m, &samples, &turns, &[], &p);
        let out = resegment(&pass, turns, 2, &p);
        let second = out
            .iter()
            .find(|t| t.speaker == truth[i].speaker && t.span.end > start + 1.0)
            .map(|t| t.span.start)
            .unwrap();
        assert!(
            (second - start).abs() < 0.3,
            "the second voice starts at {second:.2} s, truly at {start:.2} s"
        );
    }

    #[test]
    fn a_pooled_piece_embedding_is_near_its_own_embedding() {
        let Some(m) = test_models() else { return };
        let (samples, turns) = real_fixture("real-nl-fish-tel");
        let long = turns
            .iter()
            .max_by(|a, b| (a.span.end - a.span.start).total_cmp(&(b.span.end - b.span.start)))
            .unwrap();
        let piece = Span::new(long.span.start + 0.5, long.span.start + 2.0);
        let pass = frame_pass(&m, &samples, &turns, &[piece], &ResegParams::default());
        let pooled = pass.pieces[0].clone().unwrap();
        let from = (piece.start * 16_000.0) as usize;
        let to = (piece.end * 16_000.0) as usize;
        let own = embed_samples(&m, &floats(&samples[from..to])).unwrap();
        let cos = pooled.dot(&own);
        assert!(cos > 0.8, "cosine {cos:.3}");
    }

    #[test]
    fn too_little_speech_leaves_the_turns_as_they_are() {
        let Some(m) = test_models() else { return };
        let samples = vec![0i16; 16_000];
        let turns = vec![turn(0.1, 0.25, 0), turn(0.5, 0.65, 1)];
        let p = ResegParams::default();
        let pass = frame_pass(&m, &samples, &turns, &[Span::new(0.1, 0.25)], &p);
        assert_eq!(pass.pieces, vec![None]);
        assert_eq!(resegment(&pass, turns.clone(), 2, &p), turns);
    }

    /// Steps 0.1 s apart with these labels and embeddings.
    fn labelled<'a>(labels: &[usize], embeddings: &'a [Array1<f32>]) -> Vec<Labelled<'a>> {
        labels
            .iter()
            .zip(embeddings)
            .enumerate()
            .map(|(i, (&label, embedding))| Labelled {
                frame: i * STEP,
                label,
                embedding,
            })
            .collect()
    }

    fn params() -> ResegParams {
        ResegParams {
            window_s: 1.0,
            penalty: 0.5,
            keep_bonus: 0.0,
            join_s: 0.5,
            block_s: 10.0,
            bridge_s: 0.3,
            context_s: 0.0,
            island_gap_s: 0.1,
            min_window_s: 0.3,
        }
    }

    #[test]
    fn a_change_of_voice_moves_to_where_the_embeddings_turn() {
        // Voice 0 for 10 steps, then voice 1, but the steps say so from step 6.
        let labels: Vec<usize> = (0..20).map(|i| usize::from(i >= 10)).collect();
        let e: Vec<Array1<f32>> = (0..20)
            .map(|i| {
                Array1::from(if i < 6 {
                    vec![1.0, 0.0]
                } else {
                    vec![0.0, 1.0]
                })
            })
            .collect();
        let c = vec![
            Some(Array1::from(vec![1.0, 0.0])),
            Some(Array1::from(vec![0.0, 1.0])),
        ];
        let found = viterbi(&labelled(&labels, &e), &c, &params());
        assert_eq!(found.iter().position(|&k| k == 1), Some(6));
        assert!(found[6..].iter().all(|&k| k == 1));
    }

    #[test]
    fn one_odd_step_does_not_pay_for_two_changes() {
        let e: Vec<Array1<f32>> = (0..10)
            .map(|i| {
                Array1::from(if i == 4 {
                    vec![0.4, 0.6]
                } else {
                    vec![1.0, 0.0]
                })
            })
            .collect();
        let c = vec![
            Some(Array1::from(vec![1.0, 0.0])),
            Some(Array1::from(vec![0.0, 1.0])),
        ];
        let found = viterbi(&labelled(&[0; 10], &e), &c, &params());
        assert!(found.iter().all(|&k| k == 0));
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
        let st = PrefixStats::new(&x, &mask)
            .moments(0, 4)
            .and_then(|m| m.stats(2))
            .unwrap_or_default();
        // Channel 0 over frames 0, 1, 3: mean 4/3, sample std of (0, 1, 3).
        let m = 4.0 / 3.0;
        let sd = (((0.0 - m) * (0.0 - m) + (1.0 - m) * (1.0 - m) + (3.0 - m) * (3.0 - m)) / 2.0f32)
            .sqrt();
        assert!((st[0] - m).abs() < 1e-5);
        assert!((st[2] - sd).abs() < 1e-5);
    }
}
