//! Two devices on one time line: the second device is resampled to the first device's rate and
//! clock, with its drift measured from the frames each delivers and a slow correction that keeps
//! the two from walking apart.

use crate::error::RecordError;
use rubato::{FastFixedIn, PolynomialDegree, Resampler};
use std::collections::VecDeque;

/// Input frames per resampler call.
const CHUNK: usize = 256;
/// Seconds before the drift estimate starts counting (start-up bursts are left out).
const WARM_UP_S: f64 = 1.0;
/// The backlog error left after the measured drift is taken out is corrected over about this
/// many seconds. Slow on purpose: the backlog jumps with every delivery (10 ms or so of
/// audio), and a fast correction would turn that jitter into audible pitch wobble and a lag
/// that wanders within a second.
const CORRECTION_S: f64 = 5.0;
/// Seconds of frame counts the drift is fitted over before it is used (and reported): over a
/// shorter span the start-up bursts of the devices still sway it.
const FIT_MIN_S: f64 = 2.0;
/// Largest clock difference reported, as a fraction (0.5 %); real clocks are within 0.01 %.
const MAX_DRIFT: f64 = 0.005;
/// Smoothing of the backlog error per [`Aligner::adjust`] call (about 5 s at 100 calls/s).
const SMOOTHING: f64 = 0.002;

/// Aligns device B (resampled) to device A. Feed both with [`Aligner::push_a`] and
/// [`Aligner::push_b`], call [`Aligner::adjust`] now and then (every 10 ms or so), and take
/// aligned frames with [`Aligner::pop`].
pub struct Aligner {
    rate_a: f64,
    rate_b: f64,
    resampler: FastFixedIn<f32>,
    in_b: Vec<f32>,
    out_a: VecDeque<f32>,
    out_b: VecDeque<f32>,
    frames_a: u64,
    frames_b: u64,
    mark: Option<(u64, u64)>,
    fit: [f64; 6],
    target: f64,
    error: f64,
    drift: f64,
    rel: f64,
}

impl Aligner {
    /// An aligner for A at `rate_a` Hz and B at `rate_b` Hz (both mono). `start_offset_s` is how
    /// much later B's first frame was captured than A's (negative: earlier).
    pub fn new(rate_a: u32, rate_b: u32, start_offset_s: f64) -> Result<Self, RecordError> {
        let ratio = f64::from(rate_a) / f64::from(rate_b.max(1));
        let resampler =
            FastFixedIn::new(ratio, 1.02, PolynomialDegree::Septic, CHUNK, 1).map_err(|e| {
                RecordError::Resample {
                    message: e.to_string(),
                }
            })?;
        let pad = (start_offset_s.abs() * f64::from(rate_a)).round() as usize;
        let mut out_a = VecDeque::new();
        let mut out_b = VecDeque::new();
        let delay = resampler.output_delay();
        // The resampler's own delay is taken out by delaying A by as much.
        out_a.extend(std::iter::repeat_n(0.0, delay));
        if start_offset_s > 0.0 {
            out_b.extend(std::iter::repeat_n(0.0, pad));
        } else {
            out_a.extend(std::iter::repeat_n(0.0, pad));
        }
        Ok(Aligner {
            rate_a: f64::from(rate_a),
            rate_b: f64::from(rate_b),
            resampler,
            in_b: Vec::with_capacity(CHUNK * 4),
            out_a,
            out_b,
            frames_a: 0,
            frames_b: 0,
            mark: None,
            fit: [0.0; 6],
            target: -(delay as f64),
            error: 0.0,
            drift: 0.0,
            rel: 1.0,
        })
    }

    /// Appends frames of device A.
    pub fn push_a(&mut self, samples: &[f32]) {
        self.frames_a += samples.len() as u64;
        self.out_a.extend(samples);
    }

    /// Appends frames of device B; they are resampled in chunks.
    pub fn push_b(&mut self, samples: &[f32]) -> Result<(), RecordError> {
        self.frames_b += samples.len() as u64;
        self.in_b.extend_from_slice(samples);
        let mut used = 0;
        while self.in_b.len() - used >= self.resampler.input_frames_next() {
            let n = self.resampler.input_frames_next();
            let out = self
                .resampler
                .process(&[&self.in_b[used..used + n]], None)
                .map_err(|e| RecordError::Resample {
                    message: e.to_string(),
                })?;
            if let Some(ch) = out.first() {
                self.out_b.extend(ch);
            }
            used += n;
        }
        self.in_b.drain(..used);
        Ok(())
    }

    /// Measures the drift and corrects the resampling ratio: the drift measured from the frame
    /// counts is taken out, and the backlog of B against A is held where the start alignment
    /// put it by a slow proportional correction.
    /// Call it at a steady pace (every 10 ms or so).
    pub fn adjust(&mut self) -> Result<(), RecordError> {
        let seconds_a = self.frames_a as f64 / self.rate_a;
        if self.frames_b == 0 {
            return Ok(());
        }
        let ratio = self.rate_a / self.rate_b;
        let backlog =
            self.out_b.len() as f64 + self.in_b.len() as f64 * ratio - self.out_a.len() as f64;
        self.error += SMOOTHING * ((backlog - self.target) - self.error);
        if seconds_a >= WARM_UP_S && self.frames_b as f64 >= WARM_UP_S * self.rate_b {
            let (ma, mb) = *self.mark.get_or_insert((self.frames_a, self.frames_b));
            let (da, db) = (self.frames_a - ma, self.frames_b - mb);
            // Least-squares slope of B's seconds against A's: the jitter of single deliveries
            // averages out.
            let (x, y) = (da as f64 / self.rate_a, db as f64 / self.rate_b);
            let f = &mut self.fit;
            f[0] += 1.0;
            f[1] += x;
            f[2] += y;
            f[3] += x * x;
            f[4] += x * y;
            let var = f[0] * f[3] - f[1] * f[1];
            if x > FIT_MIN_S && var > 0.0 {
                let slope = (f[0] * f[4] - f[1] * f[2]) / var;
                self.drift = (slope - 1.0).clamp(-MAX_DRIFT, MAX_DRIFT);
                f[5] = 1.0;
            }
        }
        // The measured drift is taken out directly (B delivering 1 + d times as many frames is
        // resampled by 1 / (1 + d)); what is left of the backlog error is corrected slowly.
        let e = self.error / self.rate_a;
        let rel = (1.0 / (1.0 + self.drift) - e / CORRECTION_S).clamp(0.985, 1.015);
        if (rel - self.rel).abs() > 1e-9 {
            self.resampler
                .set_resample_ratio_relative(rel, true)
                .map_err(|e| RecordError::Resample {
                    message: e.to_string(),
                })?;
            self.rel = rel;
        }
        Ok(())
    }

    /// Measured drift of B's clock against A's in parts per million (positive: B runs fast);
    /// `None` until [`FIT_MIN_S`] seconds of audio have been measured after the warm-up.
    pub fn drift_ppm(&self) -> Option<f64> {
        (self.fit[5] > 0.0).then_some(self.drift * 1e6)
    }

    /// Takes up to `max` aligned frames as (A, B) pairs into `out` (interleaved A, B).
    pub fn pop(&mut self, max: usize, out: &mut Vec<f32>) -> usize {
        let n = self.out_a.len().min(self.out_b.len()).min(max);
        for _ in 0..n {
            if let (Some(a), Some(b)) = (self.out_a.pop_front(), self.out_b.pop_front()) {
                out.push(a);
                out.push(b);
            }
        }
        n
    }

    /// Frames waiting for the other device (A, B).
    pub fn pending(&self) -> (usize, usize) {
        (self.out_a.len(), self.out_b.len())
    }
}
