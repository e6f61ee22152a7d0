//! Measurements on decoded 16 kHz channels.

/// Power of `freq` Hz in `x` (Goertzel), normalised so a full-scale sine gives about 0.25.
pub fn goertzel(x: &[f32], freq: f64, rate: f64) -> f64 {
    let w = 2.0 * std::f64::consts::PI * freq / rate;
    let coeff = 2.0 * w.cos();
    let (mut s1, mut s2) = (0.0f64, 0.0f64);
    for &v in x {
        let s = f64::from(v) + coeff * s1 - s2;
        s2 = s1;
        s1 = s;
    }
    let power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
    power / (x.len() as f64 * x.len() as f64)
}

/// Frequency estimated from the rising zero crossings of `x`, in Hz.
pub fn zero_crossing_freq(x: &[f32], rate: f64) -> f64 {
    let crossings: Vec<usize> = x
        .windows(2)
        .enumerate()
        .filter(|(_, w)| w[0] < 0.0 && w[1] >= 0.0)
        .map(|(i, _)| i)
        .collect();
    match (crossings.first(), crossings.last()) {
        (Some(&a), Some(&b)) if crossings.len() > 2 => {
            (crossings.len() - 1) as f64 * rate / (b - a) as f64
        }
        _ => 0.0,
    }
}

/// RMS of `x` in dBFS.
pub fn rms_dbfs(x: &[f32]) -> f64 {
    let e: f64 =
        x.iter().map(|&v| f64::from(v) * f64::from(v)).sum::<f64>() / x.len().max(1) as f64;
    10.0 * e.max(1e-20).log10()
}
