//! Frame features: MFCCs over 25 ms windows every 10 ms, and the frame energy.

use ndarray::Array2;
use realfft::RealFftPlanner;

/// Samples per second of the input.
pub const RATE: f64 = 16_000.0;
/// Samples between frames (10 ms).
pub const HOP: usize = 160;
/// Seconds between frames.
pub const FRAME_S: f64 = HOP as f64 / RATE;
const WIN: usize = 400;
const NFFT: usize = 512;
const MELS: usize = 30;
const LOW_HZ: f64 = 60.0;
const HIGH_HZ: f64 = 7_000.0;
/// Cepstral coefficients kept per frame (c1..=c19; c0, the loudness, is left out).
pub const CEPS: usize = 19;

/// Per-frame features of a whole recording.
pub struct Frames {
    /// `n x CEPS` cepstra, one row per frame.
    pub ceps: Array2<f32>,
    /// Log energy of each frame in dB (relative to full scale).
    pub energy_db: Vec<f32>,
}

impl Frames {
    /// Number of frames.
    pub fn len(&self) -> usize {
        self.energy_db.len()
    }
}

fn hz_to_mel(hz: f64) -> f64 {
    2595.0 * (1.0 + hz / 700.0).log10()
}

fn mel_to_hz(mel: f64) -> f64 {
    700.0 * (10f64.powf(mel / 2595.0) - 1.0)
}

/// Triangular mel filters as (first bin, weights) per band.
fn mel_bank() -> Vec<(usize, Vec<f32>)> {
    let lo = hz_to_mel(LOW_HZ);
    let hi = hz_to_mel(HIGH_HZ);
    let edges: Vec<f64> = (0..MELS + 2)
        .map(|i| mel_to_hz(lo + (hi - lo) * i as f64 / (MELS + 1) as f64) * NFFT as f64 / RATE)
        .collect();
    (0..MELS)
        .map(|m| {
            let (a, b, c) = (edges[m], edges[m + 1], edges[m + 2]);
            let first = a.ceil() as usize;
            let last = (c.floor() as usize).min(NFFT / 2);
            let weights = (first..=last)
                .map(|k| {
                    let k = k as f64;
                    let w = if k <= b {
                        (k - a) / (b - a)
                    } else {
                        (c - k) / (c - b)
                    };
                    w.max(0.0) as f32
                })
                .collect();
            (first, weights)
        })
        .collect()
}

/// MFCCs and energies of every frame of `samples` (16 kHz mono); a frame starts every [`HOP`]
/// samples, the last ones padded with zeros.
pub fn frames(samples: &[i16]) -> Frames {
    let n = samples.len().div_ceil(HOP);
    let mut ceps = Array2::<f32>::zeros((n, CEPS));
    let mut energy_db = Vec::with_capacity(n);
    let mut planner = RealFftPlanner::<f32>::new();
    let fft = planner.plan_fft_forward(NFFT);
    let mut input = fft.make_input_vec();
    let mut spectrum = fft.make_output_vec();
    let mut scratch = fft.make_scratch_vec();
    let window: Vec<f32> = (0..WIN)
        .map(|i| {
            (0.54 - 0.46 * (2.0 * std::f64::consts::PI * i as f64 / (WIN - 1) as f64).cos()) as f32
        })
        .collect();
    let bank = mel_bank();
    let dct: Vec<Vec<f32>> = (1..=CEPS)
        .map(|c| {
            (0..MELS)
                .map(|m| {
                    (std::f64::consts::PI * c as f64 * (m as f64 + 0.5) / MELS as f64).cos() as f32
                })
                .collect()
        })
        .collect();
    let mut logmel = vec![0f32; MELS];
    for f in 0..n {
        let start = f * HOP;
        let mut energy = 0f64;
        let mut prev = if start > 0 {
            f32::from(samples[start - 1])
        } else {
            0.0
        };
        input.iter_mut().for_each(|x| *x = 0.0);
        for i in 0..WIN {
            let s = samples.get(start + i).map_or(0.0, |&s| f32::from(s));
            energy += f64::from(s) * f64::from(s);
            input[i] = (s - 0.97 * prev) / 32768.0 * window[i];
            prev = s;
        }
        energy_db.push((10.0 * (energy / WIN as f64 / (32768.0 * 32768.0) + 1e-10).log10()) as f32);
        if fft
            .process_with_scratch(&mut input, &mut spectrum, &mut scratch)
            .is_err()
        {
            continue;
        }
        for (m, (first, weights)) in bank.iter().enumerate() {
            let e: f32 = weights
                .iter()
                .enumerate()
                .map(|(j, w)| w * spectrum.get(first + j).map_or(0.0, |c| c.norm_sqr()))
                .sum();
            logmel[m] = (e + 1e-10).ln();
        }
        for (c, row) in dct.iter().enumerate() {
            ceps[[f, c]] = row.iter().zip(&logmel).map(|(a, b)| a * b).sum();
        }
    }
    Frames { ceps, energy_db }
}

/// Subtracts the mean and divides by the standard deviation of each column, taken over `rows`.
pub fn normalise(ceps: &mut Array2<f32>, rows: &[usize]) {
    if rows.is_empty() {
        return;
    }
    for c in 0..ceps.ncols() {
        let mut col = ceps.column_mut(c);
        let n = rows.len() as f64;
        let mean = rows.iter().map(|&r| f64::from(col[r])).sum::<f64>() / n;
        let var = rows
            .iter()
            .map(|&r| (f64::from(col[r]) - mean).powi(2))
            .sum::<f64>()
            / n;
        let sd = var.sqrt().max(1e-6);
        col.mapv_inplace(|x| ((f64::from(x) - mean) / sd) as f32);
    }
}
