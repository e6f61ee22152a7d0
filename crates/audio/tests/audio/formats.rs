//! Every supported format decodes to the expected channels, length, tones and level.

use crate::signal::{goertzel, rms_dbfs, zero_crossing_freq};
use crate::{decode, fixture};
use medlyt_audio::{mix_to_mono, open, AudioError, DecodeOptions, TARGET_RATE};

/// Level of every fixture tone: a sine of amplitude 0.5 is -9.03 dBFS RMS.
const SOURCE_DBFS: f64 = -9.03;
/// Tolerated length error for files that hold exact sample counts (PCM, G.711, FLAC, Vorbis).
const EXACT_LEN_S: f64 = 0.001;
/// MP3 adds encoder delay and frame padding the file does not state.
const MP3_LEN_S: f64 = 0.06;
/// Level tolerance for lossless input, for G.711 (the brief's "within about 1 dB") and for lossy codecs.
const PCM_DB: f64 = 0.2;
const G711_DB: f64 = 1.0;
const LOSSY_DB: f64 = 1.5;
/// Tolerated relative error of the zero-crossing frequency estimate.
const FREQ_REL: f64 = 0.01;

struct Case {
    file: &'static str,
    rate: u32,
    codec: &'static str,
    /// Tone per channel in Hz.
    tones: &'static [f64],
    len_tol_s: f64,
    level_tol_db: f64,
}

const CASES: &[Case] = &[
    Case {
        file: "pcm16-44k1-stereo-440l-880r.wav",
        rate: 44100,
        codec: "wav/pcm_s16le",
        tones: &[440.0, 880.0],
        len_tol_s: EXACT_LEN_S,
        level_tol_db: PCM_DB,
    },
    Case {
        file: "pcm16-16k-stereo-440l-880r.wav",
        rate: 16000,
        codec: "wav/pcm_s16le",
        tones: &[440.0, 880.0],
        len_tol_s: EXACT_LEN_S,
        level_tol_db: PCM_DB,
    },
    Case {
        file: "pcm16-8k-mono.wav",
        rate: 8000,
        codec: "wav/pcm_s16le",
        tones: &[440.0],
        len_tol_s: EXACT_LEN_S,
        level_tol_db: PCM_DB,
    },
    Case {
        file: "mulaw-8k-stereo.wav",
        rate: 8000,
        codec: "wav/mulaw",
        tones: &[440.0, 880.0],
        len_tol_s: EXACT_LEN_S,
        level_tol_db: G711_DB,
    },
    Case {
        file: "mulaw-8k-mono.wav",
        rate: 8000,
        codec: "wav/mulaw",
        tones: &[440.0],
        len_tol_s: EXACT_LEN_S,
        level_tol_db: G711_DB,
    },
    Case {
        file: "alaw-8k-mono.wav",
        rate: 8000,
        codec: "wav/alaw",
        tones: &[440.0],
        len_tol_s: EXACT_LEN_S,
        level_tol_db: G711_DB,
    },
    Case {
        file: "pcm24-48k-mono.wav",
        rate: 48000,
        codec: "wav/pcm_s24le",
        tones: &[440.0],
        len_tol_s: EXACT_LEN_S,
        level_tol_db: PCM_DB,
    },
    Case {
        file: "pcm32-32k-mono.wav",
        rate: 32000,
        codec: "wav/pcm_s32le",
        tones: &[440.0],
        len_tol_s: EXACT_LEN_S,
        level_tol_db: PCM_DB,
    },
    Case {
        file: "f32-22k05-mono.wav",
        rate: 22050,
        codec: "wav/pcm_f32le",
        tones: &[440.0],
        len_tol_s: EXACT_LEN_S,
        level_tol_db: PCM_DB,
    },
    Case {
        file: "pcm8-11k025-mono.wav",
        rate: 11025,
        codec: "wav/pcm_u8",
        tones: &[440.0],
        len_tol_s: EXACT_LEN_S,
        level_tol_db: PCM_DB,
    },
    Case {
        file: "pcm16ext-16k-3ch-440-880-1320.wav",
        rate: 16000,
        codec: "wav/pcm_s16le",
        tones: &[440.0, 880.0, 1320.0],
        len_tol_s: EXACT_LEN_S,
        level_tol_db: PCM_DB,
    },
    Case {
        file: "mp3-44k1-stereo.mp3",
        rate: 44100,
        codec: "mp3",
        tones: &[440.0, 880.0],
        len_tol_s: MP3_LEN_S,
        level_tol_db: LOSSY_DB,
    },
    Case {
        file: "flac-48k-stereo.flac",
        rate: 48000,
        codec: "flac",
        tones: &[440.0, 880.0],
        len_tol_s: EXACT_LEN_S,
        level_tol_db: PCM_DB,
    },
    Case {
        file: "vorbis-44k1-mono.ogg",
        rate: 44100,
        codec: "vorbis",
        tones: &[440.0],
        len_tol_s: EXACT_LEN_S,
        level_tol_db: LOSSY_DB,
    },
];

/// The steady middle of a channel (edges skipped: resampler and codec transients).
fn middle(d: &medlyt_audio::Decoded, ch: usize) -> Vec<f32> {
    let n = d.len();
    d.channel_f32(ch, n / 5..n - n / 5).unwrap()
}

#[test]
fn every_format_decodes_with_right_channels_length_tones_and_level() {
    for case in CASES {
        let path = fixture(&format!("formats/{}", case.file));
        let d = decode(&path).unwrap_or_else(|e| panic!("{}: {e}", case.file));
        let name = case.file;
        assert_eq!(d.info.sample_rate, case.rate, "{name}");
        assert_eq!(d.info.codec, case.codec, "{name}");
        assert_eq!(usize::from(d.info.channels), case.tones.len(), "{name}");
        assert_eq!(d.channels.len(), case.tones.len(), "{name}");
        assert!(
            (d.info.duration_s - 1.0).abs() <= case.len_tol_s,
            "{name}: {} s",
            d.info.duration_s
        );
        let expected_len = (d.info.duration_s * f64::from(TARGET_RATE)).round() as usize;
        assert!(
            d.channels.iter().all(|c| c.len() == expected_len),
            "{name}: channel lengths"
        );
        for (ch, &tone) in case.tones.iter().enumerate() {
            let x = middle(&d, ch);
            let f = zero_crossing_freq(&x, f64::from(TARGET_RATE));
            assert!(
                (f - tone).abs() / tone < FREQ_REL,
                "{name} ch{ch}: {f:.1} Hz, want {tone}"
            );
            // The channel's own tone dominates every other fixture tone (channel order kept).
            let own = goertzel(&x, tone, 16000.0);
            for &other in [440.0, 880.0, 1320.0].iter().filter(|&&o| o != tone) {
                let p = goertzel(&x, other, 16000.0);
                assert!(
                    own > 100.0 * p,
                    "{name} ch{ch}: {other} Hz leaks into the {tone} Hz channel"
                );
            }
            let level = rms_dbfs(&x);
            assert!(
                (level - SOURCE_DBFS).abs() <= case.level_tol_db,
                "{name} ch{ch}: {level:.2} dBFS, want {SOURCE_DBFS} ± {}",
                case.level_tol_db
            );
        }
    }
}

#[test]
fn open_reports_what_decode_finds() {
    for case in CASES {
        let path = fixture(&format!("formats/{}", case.file));
        let info = open(&path).unwrap_or_else(|e| panic!("{}: {e}", case.file));
        let d = decode(&path).unwrap();
        assert_eq!(info.sample_rate, d.info.sample_rate, "{}", case.file);
        assert_eq!(info.channels, d.info.channels, "{}", case.file);
        assert_eq!(info.codec, d.info.codec, "{}", case.file);
        assert!(
            (info.duration_s - d.info.duration_s).abs() <= case.len_tol_s,
            "{}: {} vs {}",
            case.file,
            info.duration_s,
            d.info.duration_s
        );
    }
}

#[test]
fn sixteen_khz_pcm16_is_copied_sample_for_sample() {
    let path = fixture("formats/pcm16-16k-stereo-440l-880r.wav");
    let mut r = hound::WavReader::open(&path).unwrap();
    let raw: Vec<i16> = r.samples::<i16>().map(Result::unwrap).collect();
    let d = decode(&path).unwrap();
    let left: Vec<i16> = raw.iter().step_by(2).copied().collect();
    let right: Vec<i16> = raw.iter().skip(1).step_by(2).copied().collect();
    assert_eq!(d.channels[0], left);
    assert_eq!(d.channels[1], right);
}

#[test]
fn g711_matches_the_pcm_source_closely() {
    // Same tone, same rate: mu-law and A-law decode to within G.711's noise of 16-bit PCM.
    let pcm = decode(&fixture("formats/pcm16-8k-mono.wav")).unwrap();
    for file in ["formats/mulaw-8k-mono.wav", "formats/alaw-8k-mono.wav"] {
        let g = decode(&fixture(file)).unwrap();
        assert_eq!(g.len(), pcm.len());
        let (a, b) = (
            pcm.channel_f32(0, 0..pcm.len()).unwrap(),
            g.channel_f32(0, 0..g.len()).unwrap(),
        );
        let diff: Vec<f32> = a.iter().zip(&b).map(|(x, y)| x - y).collect();
        let snr = rms_dbfs(&a) - rms_dbfs(&diff);
        assert!(snr > 30.0, "{file}: snr {snr:.1} dB");
        assert!((rms_dbfs(&b) - rms_dbfs(&a)).abs() < G711_DB, "{file}");
    }
}

#[test]
fn mono_mix_holds_both_channels() {
    let d = decode(&fixture("formats/pcm16-44k1-stereo-440l-880r.wav")).unwrap();
    let mono = mix_to_mono(&d);
    assert_eq!(mono.len(), d.len());
    let x: Vec<f32> = mono.iter().map(|&s| f32::from(s) / 32768.0).collect();
    let (p440, p880) = (goertzel(&x, 440.0, 16000.0), goertzel(&x, 880.0, 16000.0));
    // Each tone at half its level: a quarter of the power (-6 dB), within 10 %.
    let full = goertzel(&d.channel_f32(0, 0..d.len()).unwrap(), 440.0, 16000.0);
    for p in [p440, p880] {
        assert!((p / full - 0.25).abs() < 0.025, "{p} vs {full}");
    }
    let m = decode(&fixture("formats/pcm16-8k-mono.wav")).unwrap();
    assert_eq!(mix_to_mono(&m), m.channels[0]);
}

#[test]
fn f32_windows_are_clamped_and_missing_channels_are_none() {
    let d = decode(&fixture("formats/pcm16-16k-stereo-440l-880r.wav")).unwrap();
    assert_eq!(d.channel_f32(0, 100..200).unwrap().len(), 100);
    assert_eq!(d.channel_f32(1, 15_990..20_000).unwrap().len(), 10);
    assert!(d.channel_f32(1, 30_000..40_000).unwrap().is_empty());
    assert!(d.channel_f32(2, 0..10).is_none());
    let w = d.channel_f32(0, 0..16_000).unwrap();
    assert!(w.iter().all(|v| (-1.0..=1.0).contains(v)));
    assert_eq!(w[1], f32::from(d.channels[0][1]) / 32768.0);
}

#[test]
fn progress_rises_to_the_duration() {
    let mut seen = Vec::new();
    let d = medlyt_audio::decode(
        &fixture("formats/flac-48k-stereo.flac"),
        &DecodeOptions::default(),
        &mut |s| seen.push(s),
    )
    .unwrap();
    assert!(!seen.is_empty());
    assert!(seen.windows(2).all(|w| w[0] <= w[1]), "{seen:?}");
    assert!((seen.last().unwrap() - d.info.duration_s).abs() < 1e-9);
}

#[test]
fn recordings_over_the_limit_are_refused() {
    let opts = DecodeOptions {
        max_duration_s: Some(0.5),
    };
    for file in ["formats/mulaw-8k-stereo.wav", "formats/mp3-44k1-stereo.mp3"] {
        let err = medlyt_audio::decode(&fixture(file), &opts, &mut |_| {}).unwrap_err();
        assert!(
            matches!(err, AudioError::TooLong { limit_s, .. } if limit_s == 0.5),
            "{file}: {err}"
        );
        assert!(err.to_string().contains("too long"), "{err}");
    }
}
