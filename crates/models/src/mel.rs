//! The mel filterbank whisper.cpp stores in every model file.
//!
//! It is librosa's `filters.mel(sr=16000, n_fft=400, n_mels=N)` with its defaults (Slaney mel
//! scale, Slaney area normalisation), the same matrix as openai-whisper's `mel_filters.npz`.
//! Computed in f64 with librosa's order of operations and roundings to f32.

/// Sample rate Whisper works at.
pub const SAMPLE_RATE: u32 = 16_000;
/// FFT size Whisper uses (25 ms windows).
pub const N_FFT: usize = 400;
/// Number of frequency bins of one frame, `N_FFT / 2 + 1`.
pub const N_FREQ: usize = N_FFT / 2 + 1;

const F_SP: f64 = 200.0 / 3.0;
const MIN_LOG_HZ: f64 = 1000.0;
const MIN_LOG_MEL: f64 = MIN_LOG_HZ / F_SP;

fn log_step() -> f64 {
    6.4f64.ln() / 27.0
}

/// Hertz to Slaney mel (linear below 1 kHz, logarithmic above).
pub fn hz_to_mel(hz: f64) -> f64 {
    if hz >= MIN_LOG_HZ {
        MIN_LOG_MEL + (hz / MIN_LOG_HZ).ln() / log_step()
    } else {
        hz / F_SP
    }
}

/// Slaney mel to hertz, the inverse of [`hz_to_mel`].
pub fn mel_to_hz(mel: f64) -> f64 {
    if mel >= MIN_LOG_MEL {
        MIN_LOG_HZ * (log_step() * (mel - MIN_LOG_MEL)).exp()
    } else {
        F_SP * mel
    }
}

/// The filterbank as `n_mels` rows of [`N_FREQ`] weights, row-major.
pub fn mel_filters(n_mels: usize) -> Vec<f32> {
    let sr = f64::from(SAMPLE_RATE);
    let fft_freqs: Vec<f64> = (0..N_FREQ).map(|k| k as f64 * sr / N_FFT as f64).collect();
    let min_mel = hz_to_mel(0.0);
    let max_mel = hz_to_mel(sr / 2.0);
    let n_points = n_mels + 2;
    let step = (max_mel - min_mel) / (n_points - 1) as f64;
    let mel_f: Vec<f64> = (0..n_points)
        .map(|i| {
            // numpy.linspace: i * step + start, with the last point exact.
            let mel = if i + 1 == n_points {
                max_mel
            } else {
                i as f64 * step + min_mel
            };
            mel_to_hz(mel)
        })
        .collect();
    let mut out = Vec::with_capacity(n_mels * N_FREQ);
    for i in 0..n_mels {
        let lower_width = mel_f[i + 1] - mel_f[i];
        let upper_width = mel_f[i + 2] - mel_f[i + 1];
        let enorm = 2.0 / (mel_f[i + 2] - mel_f[i]);
        for &f in &fft_freqs {
            let lower = -(mel_f[i] - f) / lower_width;
            let upper = (mel_f[i + 2] - f) / upper_width;
            // librosa stores the triangle in f32, then scales it in f64 and stores f32 again.
            let w = lower.min(upper).max(0.0) as f32;
            out.push((f64::from(w) * enorm) as f32);
        }
    }
    out
}
