//! A rough fundamental frequency per frame: normalised autocorrelation at 4 kHz.

use crate::features::HOP;

/// Decimation factor from 16 kHz.
const DEC: usize = 4;
/// Window in decimated samples (40 ms).
const WIN: usize = 160;
/// Lags (decimated samples) for 400 Hz down to 60 Hz.
const MIN_LAG: usize = 10;
const MAX_LAG: usize = 66;
/// A frame is voiced when its best normalised autocorrelation reaches this.
const VOICED: f32 = 0.6;

/// Log2 of the fundamental frequency of each frame in `wanted` (frame indices), `None` where
/// the frame is unvoiced.
pub fn log_f0(samples: &[i16], frames: usize, wanted: &[bool]) -> Vec<Option<f32>> {
    // Average groups of four samples: a crude low-pass and decimation to 4 kHz.
    let low: Vec<f32> = samples
        .chunks(DEC)
        .map(|c| c.iter().map(|&s| f32::from(s)).sum::<f32>() / c.len() as f32)
        .collect();
    (0..frames)
        .map(|f| {
            if !wanted.get(f).copied().unwrap_or(false) {
                return None;
            }
            let start = f * HOP / DEC;
            let x = low.get(start..start + WIN + MAX_LAG)?;
            let mut best = (0usize, 0f32);
            for lag in MIN_LAG..=MAX_LAG {
                let (mut xy, mut xx, mut yy) = (0f32, 0f32, 0f32);
                for i in 0..WIN {
                    let (a, b) = (x[i], x[i + lag]);
                    xy += a * b;
                    xx += a * a;
                    yy += b * b;
                }
                let r = xy / (xx * yy).sqrt().max(1e-6);
                if r > best.1 {
                    best = (lag, r);
                }
            }
            (best.1 >= VOICED).then(|| (4_000.0 / best.0 as f32).log2())
        })
        .collect()
}
