//! Two devices on different clocks (48000 Hz and a 44100 Hz clock running fast), fed to the
//! aligner in virtual time.

use crate::rig;
use medlyt_record::Aligner;

/// A deterministic test signal in the low speech band: tones between 150 Hz and 1.5 kHz, each swelling
/// and fading at its own pace, so no stretch repeats. `seed` picks a different mixture.
pub fn signal(t: f64, seed: u32) -> f64 {
    let mut v = 0.0;
    for k in 0..12u32 {
        let x = f64::from(k * 7 + seed * 13 + 3);
        let freq = 150.0 + (x * 271.3) % 1350.0;
        let am = 0.55 + 0.45 * (std::f64::consts::TAU * (0.31 + (x * 0.173) % 2.1) * t + x).sin();
        v += am * (std::f64::consts::TAU * freq * t + x * 1.7).sin();
    }
    v / 12.0
}

/// Feeds the aligner in 10 ms steps of virtual time: A at exactly 48 kHz, B at 44.1 kHz on a
/// clock `ppm` fast, starting `offset_s` after A; both capture the same sound. Returns the
/// aligned output (A, B) and the drift the aligner measured.
fn simulate(seconds: f64, ppm: f64, offset_s: f64, correct: bool) -> (Vec<f64>, Vec<f64>, f64) {
    let rate_b = 44_100.0 * (1.0 + ppm * 1e-6);
    let mut al = Aligner::new(48_000, 44_100, offset_s).unwrap();
    let (mut na, mut nb) = (0usize, 0usize);
    let mut out = Vec::new();
    let steps = (seconds * 100.0) as usize;
    for step in 1..=steps {
        let t = step as f64 / 100.0;
        let a: Vec<f32> = (na..(t * 48_000.0) as usize)
            .map(|k| signal(k as f64 / 48_000.0, 5) as f32)
            .collect();
        na += a.len();
        al.push_a(&a);
        let until = ((t - offset_s).max(0.0) * rate_b) as usize;
        let b: Vec<f32> = (nb..until)
            .map(|k| signal(offset_s + k as f64 / rate_b, 5) as f32)
            .collect();
        nb += b.len();
        al.push_b(&b).unwrap();
        if correct {
            al.adjust().unwrap();
        }
        al.pop(usize::MAX, &mut out);
    }
    let a = out.iter().step_by(2).map(|&x| f64::from(x)).collect();
    let b = out
        .iter()
        .skip(1)
        .step_by(2)
        .map(|&x| f64::from(x))
        .collect();
    (a, b, al.drift_ppm().unwrap_or(0.0))
}

/// Lag of B against A (and the correlation there) over one second from `at_s`.
fn lag_at(a: &[f64], b: &[f64], at_s: f64) -> (f64, isize) {
    let s = (at_s * 48_000.0) as usize;
    rig::best_correlation(&b[s..s + 48_000], &a[s..s + 48_000], 1000)
}

#[test]
fn a_drifting_clock_is_measured_and_kept_aligned() {
    let (a, b, drift) = simulate(60.0, 200.0, 0.037, true);
    assert!(a.len() > 59 * 48_000, "only {} frames", a.len());
    assert!((drift - 200.0).abs() < 10.0, "measured drift {drift} ppm");
    for at in [40.0, 58.0] {
        let (c, lag) = lag_at(&a, &b, at);
        assert!(c >= 0.99, "correlation {c} at {at} s");
        assert!(
            lag.abs() <= 48,
            "B is {lag} samples (more than 1 ms) off A at {at} s"
        );
    }
}

#[test]
fn without_correction_the_same_clocks_walk_apart() {
    // The control for the test above: the simulation does drift when nothing corrects it.
    let (a, b, _) = simulate(60.0, 200.0, 0.037, false);
    let (_, lag) = lag_at(&a, &b, 58.0);
    assert!(lag.abs() > 400, "B is only {lag} samples off A after 58 s");
}
