//! Stage 1 of neural diarization: 10 s chunks slid over the recording, each segmented into
//! up to three local speakers (overlaps included), and one CAM++ embedding per local
//! speaker and chunk from the frames where that speaker talks alone.

use super::fbank::FRAME;
use super::segmentation::{activity, CHUNK, FRAMES};
use super::SpeakerModels;
use ndarray::{concatenate, Array1, Array2, Axis};
use rayon::prelude::*;

/// Samples between segmentation frames.
pub const HOP: usize = 270;
/// Where a frame's 270-sample stretch starts within its 991-sample receptive field.
pub const FRAME_OFFSET: usize = 360;
/// Local speakers per chunk.
pub const LOCAL: usize = 3;
/// Most chunks segmented together (their LSTM steps share one matrix product, so the
/// recurrent weights are packed once per step for all of them).
const MAX_BATCH: usize = 32;
/// Shortest stretch of one local speaker that gets an embedding, in frames (0.25 s).
const MIN_EMBED_FRAMES: usize = 15;

/// One local speaker of one chunk.
pub struct Local {
    /// Frames (of the chunk) where this speaker is active.
    pub active: Vec<bool>,
    /// Its embedding, length-normalised, where it spoke long enough.
    pub embedding: Option<Array1<f32>>,
    /// Seconds it speaks alone in the chunk (what the embedding stands on when clean).
    pub clean_s: f64,
}

/// One segmented chunk.
pub struct Chunk {
    /// First sample.
    pub start: usize,
    /// Its local speakers (those active at all).
    pub locals: Vec<Local>,
    /// Number of active local speakers in each frame.
    pub count: Vec<u8>,
}

/// Where the chunks start: every `step` samples, and a last one ending with the recording.
pub fn starts(len: usize, step: usize) -> Vec<usize> {
    if len <= CHUNK {
        return vec![0];
    }
    let mut out: Vec<usize> = (0..)
        .map(|i| i * step)
        .take_while(|&s| s + CHUNK < len)
        .collect();
    out.push(len - CHUNK);
    out.dedup();
    out
}

/// Segments and embeds every chunk of `samples` (16 kHz). Each batch of chunks is scaled to
/// floats on its own, so memory does not grow with the recording beyond its samples.
/// At most `embed` samples of each local speaker are embedded, those nearest the chunk's
/// middle first.
pub fn analyse(
    models: &SpeakerModels,
    samples: &[i16],
    step: usize,
    embed: usize,
    onset: f32,
) -> Vec<Chunk> {
    let starts = starts(samples.len(), step.max(HOP));
    let threads = rayon::current_num_threads().max(1);
    let batch = starts.len().div_ceil(threads).clamp(1, MAX_BATCH);
    let batches: Vec<&[usize]> = starts.chunks(batch).collect();
    batches
        .par_iter()
        .flat_map_iter(|batch| {
            let padded: Vec<Vec<f32>> = batch.iter().map(|&s| chunk_of(samples, s)).collect();
            let views: Vec<&[f32]> = padded.iter().map(Vec::as_slice).collect();
            let logp = models.segmentation.run(&views);
            batch
                .iter()
                .zip(padded.iter().zip(logp))
                .map(|(&start, (audio, lp))| {
                    chunk(models, start, audio, activity(lp.view(), onset), embed)
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

fn chunk_of(samples: &[i16], start: usize) -> Vec<f32> {
    let mut c = floats(&samples[start..(start + CHUNK).min(samples.len())]);
    c.resize(CHUNK, 0.0);
    c
}

/// 16-bit samples as floats in [-1, 1).
pub fn floats(samples: &[i16]) -> Vec<f32> {
    samples.iter().map(|&s| f32::from(s) / 32768.0).collect()
}

fn chunk(
    models: &SpeakerModels,
    start: usize,
    audio: &[f32],
    act: Array2<f32>,
    embed_max: usize,
) -> Chunk {
    let count = (0..FRAMES)
        .map(|f| act.row(f).iter().filter(|&&v| v > 0.5).count() as u8)
        .collect::<Vec<u8>>();
    let mut locals = Vec::new();
    for s in 0..LOCAL {
        let active: Vec<bool> = (0..FRAMES).map(|f| act[[f, s]] > 0.5).collect();
        let n_active = active.iter().filter(|&&a| a).count();
        if n_active == 0 {
            continue;
        }
        let clean: Vec<bool> = (0..FRAMES).map(|f| active[f] && count[f] == 1).collect();
        let n_clean = clean.iter().filter(|&&a| a).count();
        let frames = if n_clean >= MIN_EMBED_FRAMES {
            &clean
        } else {
            &active
        };
        let embedding = (frames.iter().filter(|&&a| a).count() >= MIN_EMBED_FRAMES)
            .then(|| embed(models, audio, frames, embed_max))
            .flatten();
        locals.push(Local {
            active,
            embedding,
            clean_s: n_clean as f64 * HOP as f64 / 16_000.0,
        });
    }
    Chunk {
        start,
        locals,
        count,
    }
}

/// The embedding of the audio under the marked frames: each run of frames is a stretch of
/// samples with its own filter bank frames; the frames of all runs are joined, mean-normalised
/// and embedded.
fn embed(
    models: &SpeakerModels,
    audio: &[f32],
    frames: &[bool],
    max: usize,
) -> Option<Array1<f32>> {
    let mut stretches: Vec<(usize, usize)> = runs(frames)
        .into_iter()
        .map(|(a, b)| {
            (
                a * HOP + FRAME_OFFSET - HOP / 2,
                (b * HOP + FRAME_OFFSET + HOP / 2).min(audio.len()),
            )
        })
        .filter(|(from, to)| *to >= from + FRAME)
        .collect();
    let middle = audio.len() / 2;
    stretches.sort_by_key(|(from, to)| ((from + to) / 2).abs_diff(middle));
    let mut feats: Vec<Array2<f32>> = Vec::new();
    let mut total = 0usize;
    for (from, to) in stretches {
        if total + FRAME > max {
            break;
        }
        let (from, to) = if to - from > max - total {
            // Keep the part nearest the middle.
            let keep = max - total;
            let centre = middle.clamp(from + keep / 2, to - keep.div_ceil(2));
            (centre - keep / 2, centre - keep / 2 + keep)
        } else {
            (from, to)
        };
        total += to - from;
        feats.push(models.fbank.compute(&audio[from..to]));
    }
    let views: Vec<_> = feats.iter().map(|f| f.view()).collect();
    let all = concatenate(Axis(0), &views).ok()?;
    embed_feats(models, &all)
}

/// The embedding of a stretch of audio (16 kHz, [-1, 1)), length-normalised.
#[cfg(test)]
pub fn embed_samples(models: &SpeakerModels, audio: &[f32]) -> Option<Array1<f32>> {
    if audio.len() < FRAME {
        return None;
    }
    embed_feats(models, &models.fbank.compute(audio))
}

/// Filter-bank frames mean-normalised and embedded, length-normalised; `None` for under
/// 10 frames or an embedding that is not finite.
pub(super) fn embed_feats(models: &SpeakerModels, all: &Array2<f32>) -> Option<Array1<f32>> {
    if all.nrows() < 10 {
        return None;
    }
    let normed = mean_normalised(all)?;
    unit(models.embedding.embed(normed.view()))
}

/// Filter-bank frames `[frames, bands]` less each band's mean, as CAM++ takes them.
pub fn mean_normalised(feats: &Array2<f32>) -> Option<Array2<f32>> {
    let mean = feats.mean_axis(Axis(0))?;
    Some(feats - &mean.insert_axis(Axis(0)))
}

/// An embedding scaled to length 1; `None` when its length is 0 or not finite.
pub fn unit(e: Array1<f32>) -> Option<Array1<f32>> {
    let norm = e.dot(&e).sqrt();
    (norm.is_finite() && norm > 0.0).then(|| e / norm)
}

/// Runs of `true` as half-open frame ranges.
pub fn runs(v: &[bool]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, &x) in v.iter().chain(std::iter::once(&false)).enumerate() {
        match (x, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    out
}
