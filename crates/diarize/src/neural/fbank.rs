//! Kaldi-style log mel filter bank features, as CAM++ was trained on: 25 ms povey-windowed
//! frames every 10 ms (edges snipped), DC removed, pre-emphasis 0.97, 512-point power
//! spectrum, 80 triangular mel bands from 20 Hz to 8 kHz, natural log floored at f32 epsilon,
//! no dither. Input samples are scaled to [-1, 1).

use ndarray::Array2;
use realfft::RealFftPlanner;

/// Samples per frame (25 ms at 16 kHz).
pub const FRAME: usize = 400;
/// Samples between frames (10 ms).
pub const SHIFT: usize = 160;
/// Mel bands.
pub const BANDS: usize = 80;
const FFT: usize = 512;

/// The filter bank and the plan, made once.
pub struct Fbank {
    window: Vec<f32>,
    /// Per band: first FFT bin and its weights.
    bands: Vec<(usize, Vec<f32>)>,
    fft: std::sync::Arc<dyn realfft::RealToComplex<f32>>,
}

fn mel(f: f64) -> f64 {
    1127.0 * (1.0 + f / 700.0).ln()
}

impl Default for Fbank {
    fn default() -> Self {
        Fbank::new()
    }
}

impl Fbank {
    /// The 80-band filter bank for 16 kHz audio.
    pub fn new() -> Fbank {
        let window = (0..FRAME)
            .map(|i| {
                let a = 2.0 * std::f64::consts::PI * i as f64 / (FRAME - 1) as f64;
                (0.5 - 0.5 * a.cos()).powf(0.85) as f32
            })
            .collect();
        let (lo, hi) = (mel(20.0), mel(8000.0));
        let delta = (hi - lo) / (BANDS + 1) as f64;
        let bin_hz = 16000.0 / FFT as f64;
        let bands = (0..BANDS)
            .map(|b| {
                let (left, centre, right) = (
                    lo + b as f64 * delta,
                    lo + (b + 1) as f64 * delta,
                    lo + (b + 2) as f64 * delta,
                );
                let mut first = None;
                let mut weights = Vec::new();
                for i in 0..FFT / 2 {
                    let m = mel(i as f64 * bin_hz);
                    if m > left && m < right {
                        first.get_or_insert(i);
                        let w = if m <= centre {
                            (m - left) / (centre - left)
                        } else {
                            (right - m) / (right - centre)
                        };
                        weights.push(w as f32);
                    }
                }
                (first.unwrap_or(0), weights)
            })
            .collect();
        let fft = RealFftPlanner::<f32>::new().plan_fft_forward(FFT);
        Fbank { window, bands, fft }
    }

    /// Number of frames for `n` samples.
    pub fn frames(n: usize) -> usize {
        if n < FRAME {
            0
        } else {
            1 + (n - FRAME) / SHIFT
        }
    }

    /// Features of `samples` (16 kHz): `[frames, 80]`.
    pub fn compute(&self, samples: &[f32]) -> Array2<f32> {
        let n = Fbank::frames(samples.len());
        let mut out = Array2::<f32>::zeros((n, BANDS));
        let mut buf = self.fft.make_input_vec();
        let mut spec = self.fft.make_output_vec();
        let mut power = vec![0f32; FFT / 2 + 1];
        for f in 0..n {
            let frame = &samples[f * SHIFT..f * SHIFT + FRAME];
            let mean = frame.iter().sum::<f32>() / FRAME as f32;
            buf.iter_mut().for_each(|x| *x = 0.0);
            for (i, &x) in frame.iter().enumerate() {
                buf[i] = x - mean;
            }
            for i in (1..FRAME).rev() {
                buf[i] -= 0.97 * buf[i - 1];
            }
            buf[0] -= 0.97 * buf[0];
            for (x, w) in buf.iter_mut().zip(&self.window) {
                *x *= w;
            }
            if self.fft.process(&mut buf, &mut spec).is_err() {
                continue;
            }
            for (p, c) in power.iter_mut().zip(&spec) {
                *p = c.norm_sqr();
            }
            let mut row = out.row_mut(f);
            for (b, (first, weights)) in self.bands.iter().enumerate() {
                let e: f32 = weights
                    .iter()
                    .zip(&power[*first..])
                    .map(|(w, p)| w * p)
                    .sum();
                row[b] = e.max(f32::EPSILON).ln();
            }
        }
        out
    }
}
