//! Who speaks when in a mono call recording, from signal features alone.
//!
//! Stereo calls give one channel per party; a mono recording (a role-play on one microphone,
//! a mono archive) holds both voices in one signal. [`diarize`] splits its speech into turns
//! of up to four speakers:
//!
//! 1. speech regions come from the caller's voice activity detector, or from
//!    [`medlyt_audio::energy_vad`] when none are given;
//! 2. MFCCs (c1..c19, 25 ms every 10 ms) are normalised over the speech frames;
//! 3. 1.5 s windows every 0.25 s are described by the mean and spread of their cepstra and
//!    grouped by spherical k-means (cosine) into the requested number of speakers;
//! 4. a Gaussian mixture per speaker is trained on its frames and a Viterbi pass with a
//!    speaker-change penalty re-assigns every 10 ms frame (three rounds);
//! 5. overlapping speech is looked for where one turn follows another without a pause: the
//!    speech next to the change is louder than either speaker alone; such stretches are given
//!    to both speakers.
//!
//! The method and its limits are described in `docs/diarization.md`; [`eval`] measures it
//! against the ground truth of the scripted call fixtures.

#![deny(unsafe_code)]
#![warn(missing_docs)]

mod cluster;
pub mod eval;
mod features;
mod gmm;
pub mod neural;
mod pitch;
mod resegment;
pub mod rttm;
mod turns;

use medlyt_core::Span;
use serde::{Deserialize, Serialize};

pub use turns::{interruptions, speaker_name};

/// The most speakers [`diarize`] separates.
pub const MAX_SPEAKERS: usize = 4;

/// Speech is this many dB above the noise floor when [`diarize`] finds speech itself.
const VAD_THRESHOLD_DB: f32 = 9.0;

/// Frames less than this many dB above the noise floor carry no speaker evidence.
const QUIET_DB: f32 = 6.0;

/// Settings for [`diarize`].
#[derive(Debug, Clone, PartialEq)]
pub struct DiarizeOptions {
    /// How many speakers the recording holds (1 to [`MAX_SPEAKERS`], clamped); `None` means 2.
    pub speakers: Option<usize>,
    /// Length of a clustering window in seconds.
    pub window_s: f64,
    /// Step between clustering windows in seconds.
    pub hop_s: f64,
    /// Cost of a speaker change in the Viterbi pass, in log-likelihood units (nats); higher
    /// gives fewer, longer turns.
    pub change_penalty: f32,
    /// Turns of one speaker separated by a pause shorter than this (seconds) are joined.
    pub bridge_s: f64,
    /// Whether to look for overlapping speech.
    pub overlaps: bool,
}

impl Default for DiarizeOptions {
    fn default() -> Self {
        DiarizeOptions {
            speakers: None,
            window_s: 1.5,
            hop_s: 0.25,
            change_penalty: 40.0,
            bridge_s: 0.5,
            overlaps: true,
        }
    }
}

/// A stretch of speech by one speaker.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Turn {
    /// When, in seconds.
    pub span: Span,
    /// Speaker number, 0-based; speaker 0 is the one heard first.
    pub speaker: usize,
}

/// The result of [`diarize`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Diarization {
    /// Turns in order of their start. Turns of different speakers overlap where both speak
    /// (each such stretch is also listed in `overlaps`).
    pub turns: Vec<Turn>,
    /// Stretches where two speakers were found to speak at once.
    pub overlaps: Vec<Span>,
    /// Number of speakers with at least one turn.
    pub speakers: usize,
    /// How clearly the voices separate, 0 (not at all) to 1: half the mean cosine margin of
    /// the clustering windows between their own speaker and the nearest other.
    pub confidence: f32,
    /// A short description of how the turns were found.
    pub method: String,
}

/// Splits the speech of `samples` (16 kHz mono) into speaker turns.
///
/// `speech` are speech regions from a voice activity detector in seconds; when empty, speech is
/// found with [`medlyt_audio::energy_vad`]. Never panics; silence gives no turns.
pub fn diarize(samples: &[i16], speech: &[Span], opts: &DiarizeOptions) -> Diarization {
    let k = opts.speakers.unwrap_or(2).clamp(1, MAX_SPEAKERS);
    let regions = if speech.is_empty() {
        let levels = medlyt_audio::frame_levels(samples, 320);
        // 9 dB above the noise floor rather than the default 12 keeps more of the quieter voice.
        let params = medlyt_audio::VadParams {
            threshold_db: VAD_THRESHOLD_DB,
            ..Default::default()
        };
        medlyt_audio::energy_vad(&levels, &params)
    } else {
        medlyt_core::union(speech, 0.0)
    };
    let mut frames = features::frames(samples);
    let n = frames.len();
    let mut is_speech = vec![false; n];
    for r in &regions {
        let a = (r.start / features::FRAME_S).round().max(0.0) as usize;
        let b = ((r.end / features::FRAME_S).round().max(0.0) as usize).min(n);
        is_speech.iter_mut().take(b).skip(a).for_each(|x| *x = true);
    }
    let rows: Vec<usize> = (0..n).filter(|&i| is_speech[i]).collect();
    let method = format!(
        "mfcc windows {:.1} s/{:.2} s, spherical k-means, gmm-viterbi re-segmentation, {k} speaker(s)",
        opts.window_s, opts.hop_s
    );
    if rows.is_empty() {
        return Diarization {
            turns: Vec::new(),
            overlaps: Vec::new(),
            speakers: 0,
            confidence: 0.0,
            method,
        };
    }
    features::normalise(&mut frames.ceps, &rows);
    let len = ((opts.window_s / features::FRAME_S).round() as usize).max(10);
    let hop = ((opts.hop_s / features::FRAME_S).round() as usize).max(1);
    let f0 = pitch::log_f0(samples, n, &is_speech);
    let windows = cluster::windows(&frames.ceps, &f0, &is_speech, len, hop, len / 3);
    let clusters = cluster::kmeans(&windows, k);
    let mut labels = initial_labels(&rows, &windows, &clusters.labels);
    let after_pause: Vec<bool> = rows
        .iter()
        .enumerate()
        .map(|(i, &r)| i > 0 && r > rows[i - 1] + 1)
        .collect();
    // The noise floor: the 10th percentile of all frame levels. Speech frames less than
    // QUIET_DB above it (pauses and hangover inside speech regions) carry no speaker evidence:
    // they are left out of training and follow their neighbours in the Viterbi pass.
    let mut sorted = frames.energy_db.clone();
    sorted.sort_by(f32::total_cmp);
    let floor_db = sorted.get(sorted.len() / 10).copied().unwrap_or(-100.0);
    let noise = 10f32.powf(floor_db / 10.0);
    let quiet: Vec<bool> = rows
        .iter()
        .map(|&r| frames.energy_db[r] < floor_db + QUIET_DB)
        .collect();
    if k > 1 && windows.len() > k {
        for _round in 0..3 {
            let ll = resegment::score(&frames.ceps, &rows, &labels, &quiet, k);
            labels = resegment::viterbi(&ll, &after_pause, opts.change_penalty);
        }
    } else {
        labels.iter_mut().for_each(|l| *l = 0);
    }
    let frame_turns = turns::from_labels(&rows, &labels, opts.bridge_s);
    let (turns, overlaps) = if opts.overlaps && k > 1 {
        // Levels above the noise, so a steady noise bed does not hide a second voice.
        let mut levels = vec![f32::NAN; n];
        for &r in &rows {
            let power = 10f32.powf(frames.energy_db[r] / 10.0) - noise;
            levels[r] = 10.0 * power.max(1e-10).log10();
        }
        turns::add_overlaps(frame_turns, &levels)
    } else {
        (frame_turns, Vec::new())
    };
    let turns = turns::renumber(turns);
    let speakers = turns.iter().map(|t| t.speaker + 1).max().unwrap_or(0);
    Diarization {
        turns,
        overlaps,
        speakers,
        confidence: clusters.separation,
        method,
    }
}

/// Label of each speech frame from the window whose centre is nearest.
fn initial_labels(rows: &[usize], windows: &[cluster::Window], labels: &[usize]) -> Vec<usize> {
    if windows.is_empty() {
        return vec![0; rows.len()];
    }
    let centres: Vec<usize> = windows.iter().map(|w| (w.start + w.end) / 2).collect();
    rows.iter()
        .map(|&r| {
            let i = centres.partition_point(|&c| c < r);
            let pick = match (i.checked_sub(1), centres.get(i)) {
                (Some(p), Some(&c)) if r - centres[p] <= c - r => p,
                (Some(p), None) => p,
                _ => i.min(centres.len() - 1),
            };
            labels.get(pick).copied().unwrap_or(0)
        })
        .collect()
}

/// The speaker covering most of `start..end` seconds, if any speaker covers part of it.
pub fn assign(d: &Diarization, start: f64, end: f64) -> Option<usize> {
    let span = Span::new(start, end);
    let mut cover = [0f64; MAX_SPEAKERS];
    for t in &d.turns {
        if let Some(c) = cover.get_mut(t.speaker) {
            *c += t.span.overlap(&span);
        }
    }
    let (best, amount) = cover
        .iter()
        .copied()
        .enumerate()
        .fold((0, 0.0), |b, (s, c)| if c > b.1 { (s, c) } else { b });
    (amount > 0.0).then_some(best)
}

/// Where the speaker changes inside `start..end`: `(time, speaker from then on)` in time
/// order, starting with the speaker at `start` (or the first one heard inside the interval).
/// Overlapping stretches keep the speaker who was already talking. Empty when no turn touches
/// the interval.
pub fn split_points(d: &Diarization, start: f64, end: f64) -> Vec<(f64, usize)> {
    let mut out: Vec<(f64, usize)> = Vec::new();
    let mut inside: Vec<&Turn> = d
        .turns
        .iter()
        .filter(|t| t.span.end > start && t.span.start < end)
        .collect();
    inside.sort_by(|a, b| a.span.start.total_cmp(&b.span.start));
    let mut current: Option<(usize, f64)> = None; // speaker and the end of their turn
    for t in inside {
        let at = t.span.start.max(start);
        match current {
            Some((s, _)) if s == t.speaker => current = Some((s, t.span.end)),
            Some((_, until)) if t.span.start < until && t.span.end <= until => {}
            Some((_, until)) => {
                let at = if t.span.start < until {
                    until.min(end)
                } else {
                    at
                };
                if at < end {
                    out.push((at, t.speaker));
                }
                current = Some((t.speaker, t.span.end));
            }
            None => {
                out.push((at, t.speaker));
                current = Some((t.speaker, t.span.end));
            }
        }
    }
    out.dedup_by(|b, a| a.1 == b.1);
    out
}

/// The speaker of the first turn, usually the one who answers the call.
pub fn first_speaker(d: &Diarization) -> Option<usize> {
    d.turns
        .iter()
        .min_by(|a, b| a.span.start.total_cmp(&b.span.start))
        .map(|t| t.speaker)
}
