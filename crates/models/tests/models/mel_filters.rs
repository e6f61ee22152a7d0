//! The mel filterbank against openai-whisper's `mel_filters.npz`.
//!
//! Reference values were read once from `whisper/assets/mel_filters.npz` (openai-whisper
//! 20250625) with numpy; the full matrices matched this implementation exactly when measured.

use medlyt_models::mel::{hz_to_mel, mel_filters, mel_to_hz, N_FREQ};

/// Allowed difference to the reference (f32 values around 1e-2).
const TOL: f64 = 1e-9;

/// (row, column, value) samples of mel_80.
const MEL_80: &[(usize, usize, f64)] = &[
    (0, 1, 0.024_862_594_902_515_41),
    (0, 2, 0.0),
    (10, 10, 0.019_908_217_713_236_81),
    (10, 11, 0.004_954_374_860_972_166),
    (40, 42, 0.005_411_104_764_789_343),
    (40, 43, 0.014_735_566_452_145_576),
    (40, 44, 0.006_518_189_795_315_266),
    (79, 186, 0.000_366_741_674_952_209),
    (79, 188, 0.001_299_398_369_155_824_2),
    (79, 200, 0.0),
];

/// (row, column, value) samples of mel_128.
const MEL_128: &[(usize, usize, f64)] = &[
    (0, 1, 0.012_373_986_653_983_593),
    (10, 6, 0.011_289_183_981_716_633),
    (10, 7, 0.001_084_801_973_775_029_2),
    (40, 24, 0.040_376_365_184_783_936),
    (127, 191, 0.000_475_695_094_792_172_3),
    (127, 193, 0.002_758_648_479_357_362),
];

fn check(n_mels: usize, samples: &[(usize, usize, f64)], nonzero: usize, sum: f64) {
    let m = mel_filters(n_mels);
    assert_eq!(m.len(), n_mels * N_FREQ);
    for &(r, c, want) in samples {
        let got = m[r * N_FREQ + c];
        assert!(
            (f64::from(got) - want).abs() <= TOL,
            "mel_{n_mels}[{r},{c}] = {got}, want {want}"
        );
    }
    assert_eq!(m.iter().filter(|&&v| v != 0.0).count(), nonzero);
    let total: f64 = m.iter().map(|&v| f64::from(v)).sum();
    assert!((total - sum).abs() < 1e-6, "sum {total} vs {sum}");
}

#[test]
fn matches_reference_80() {
    check(80, MEL_80, 391, 1.999_024_092_387_117);
}

#[test]
fn matches_reference_128() {
    check(128, MEL_128, 394, 3.190_985_540_940_346_3);
}

#[test]
fn slaney_scale_round_trips() {
    for hz in [0.0, 200.0, 999.0, 1000.0, 4000.0, 8000.0] {
        assert!((mel_to_hz(hz_to_mel(hz)) - hz).abs() < 1e-9);
    }
    assert!((hz_to_mel(1000.0) - 15.0).abs() < 1e-12);
}
