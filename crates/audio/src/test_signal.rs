//! Test signals for the unit tests of this crate.

/// A sine of `amp` (0..1) at `freq` Hz for `secs` seconds at 16 kHz.
pub(crate) fn sine(freq: f64, amp: f64, secs: f64) -> Vec<i16> {
    let n = (secs * 16_000.0) as usize;
    (0..n)
        .map(|i| {
            (amp * 32767.0 * (2.0 * std::f64::consts::PI * freq * i as f64 / 16_000.0).sin()) as i16
        })
        .collect()
}
