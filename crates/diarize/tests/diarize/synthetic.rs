//! Diarization of two synthetic "voices" (harmonic tones with different pitch and timbre,
//! pulsed like syllables) taking turns.

use medlyt_core::Span;
use medlyt_diarize::{
    assign, diarize, first_speaker, split_points, Diarization, DiarizeOptions, Turn,
};

const RATE: f64 = 16_000.0;
/// Turn boundaries may be off by this much (seconds): frame, window and hangover effects.
const BOUNDARY_TOL: f64 = 0.25;

/// A voice: `f0` Hz with harmonics whose level falls by `tilt` per harmonic, 4 Hz syllables.
fn voice(f0: f64, tilt: f64, secs: f64, phase: f64) -> Vec<f64> {
    let n = (secs * RATE) as usize;
    (0..n)
        .map(|i| {
            let t = i as f64 / RATE;
            // Slow pitch movement, like intonation.
            let f = f0 * (1.0 + 0.05 * (2.0 * std::f64::consts::PI * 0.7 * t + phase).sin());
            let mut x = 0.0;
            for h in 1..=12 {
                let hf = f * h as f64;
                if hf > 7_000.0 {
                    break;
                }
                x += tilt.powi(h - 1) * (2.0 * std::f64::consts::PI * hf * t).sin();
            }
            let syllable = 0.55 + 0.45 * (2.0 * std::f64::consts::PI * 4.0 * t + phase).sin();
            x * syllable
        })
        .collect()
}

/// A call of alternating turns `(speaker, start, end)`, voices 0 and 1, with faint noise.
fn call(turns: &[(usize, f64, f64)], total: f64) -> Vec<i16> {
    let mut out = vec![0f64; (total * RATE) as usize];
    for (k, &(s, a, b)) in turns.iter().enumerate() {
        let v = if s == 0 {
            voice(110.0, 0.8, b - a, k as f64)
        } else {
            voice(230.0, 0.5, b - a, k as f64)
        };
        let start = (a * RATE) as usize;
        for (i, x) in v.into_iter().enumerate() {
            if let Some(o) = out.get_mut(start + i) {
                *o += x;
            }
        }
    }
    let peak = out.iter().fold(0f64, |m, x| m.max(x.abs())).max(1e-9);
    let mut seed = 12345u32;
    out.iter()
        .map(|x| {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            let noise = (seed as f64 / u32::MAX as f64 - 0.5) * 0.002;
            ((x / peak * 0.5 + noise) * 32767.0) as i16
        })
        .collect()
}

const SCRIPT: [(usize, f64, f64); 6] = [
    (0, 0.5, 3.5),
    (1, 4.2, 7.0),
    (0, 7.7, 10.0),
    (1, 10.6, 13.6),
    (0, 14.2, 16.0),
    (1, 16.6, 19.0),
];

fn merged(d: &Diarization) -> Vec<Turn> {
    // Joins turns of one speaker that follow each other, so a split inside a turn is allowed.
    let mut out: Vec<Turn> = Vec::new();
    for t in &d.turns {
        match out.last_mut() {
            Some(last) if last.speaker == t.speaker => {
                last.span.end = last.span.end.max(t.span.end)
            }
            _ => out.push(*t),
        }
    }
    out
}

#[test]
fn two_alternating_voices_give_alternating_turns() {
    let samples = call(&SCRIPT, 19.8);
    let d = diarize(&samples, &[], &DiarizeOptions::default());
    assert_eq!(d.speakers, 2, "{d:?}");
    let turns = merged(&d);
    assert_eq!(turns.len(), SCRIPT.len(), "{turns:?}");
    for (found, &(s, a, b)) in turns.iter().zip(&SCRIPT) {
        // Speaker 0 is the one heard first, which is voice 0 here.
        assert_eq!(found.speaker, s, "{turns:?}");
        assert!(
            (found.span.start - a).abs() < BOUNDARY_TOL,
            "{found:?} vs {a}..{b}"
        );
        assert!(
            (found.span.end - b).abs() < BOUNDARY_TOL,
            "{found:?} vs {a}..{b}"
        );
    }
    assert_eq!(first_speaker(&d), Some(0));
    assert!(
        d.confidence > 0.0 && d.confidence <= 1.0,
        "{}",
        d.confidence
    );
}

#[test]
fn speech_regions_from_the_caller_are_used() {
    let samples = call(&SCRIPT, 19.8);
    let regions: Vec<Span> = SCRIPT.iter().map(|&(_, a, b)| Span::new(a, b)).collect();
    let d = diarize(&samples, &regions, &DiarizeOptions::default());
    let turns = merged(&d);
    assert_eq!(
        turns.iter().map(|t| t.speaker).collect::<Vec<_>>(),
        vec![0, 1, 0, 1, 0, 1]
    );
    // Nothing is found outside the given regions.
    assert!(
        d.turns
            .iter()
            .all(|t| regions.iter().any(|r| r.overlap(&t.span) > 0.0)),
        "{d:?}"
    );
}

#[test]
fn one_speaker_requested_gives_one_speaker() {
    let samples = call(&SCRIPT, 19.8);
    let opts = DiarizeOptions {
        speakers: Some(1),
        ..DiarizeOptions::default()
    };
    let d = diarize(&samples, &[], &opts);
    assert_eq!(d.speakers, 1);
    assert!(d.turns.iter().all(|t| t.speaker == 0));
    assert!(d.overlaps.is_empty());
}

#[test]
fn silence_and_empty_input_give_no_turns() {
    for samples in [Vec::new(), vec![0i16; 16_000 * 3], vec![5i16; 100]] {
        let d = diarize(&samples, &[], &DiarizeOptions::default());
        assert!(d.turns.is_empty(), "{d:?}");
        assert_eq!(d.speakers, 0);
        assert_eq!(first_speaker(&d), None);
    }
}

fn fixed() -> Diarization {
    let turn = |a, b, speaker| Turn {
        span: Span::new(a, b),
        speaker,
    };
    Diarization {
        turns: vec![
            turn(0.0, 4.0, 0),
            turn(3.0, 8.0, 1),
            turn(5.0, 5.3, 0),
            turn(9.0, 12.0, 0),
        ],
        overlaps: vec![Span::new(3.0, 4.0), Span::new(5.0, 5.3)],
        speakers: 2,
        confidence: 0.5,
        method: "fixed".into(),
    }
}

#[test]
fn assign_picks_the_speaker_covering_most() {
    let d = fixed();
    assert_eq!(assign(&d, 0.0, 3.5), Some(0));
    assert_eq!(assign(&d, 3.5, 7.0), Some(1));
    assert_eq!(assign(&d, 8.5, 9.5), Some(0));
    assert_eq!(assign(&d, 20.0, 21.0), None);
}

#[test]
fn split_points_follow_the_changes() {
    let d = fixed();
    // Speaker 1 cuts in at 3.0 but holds the floor only once speaker 0 stops at 4.0; the
    // short stretch of speaker 0 inside speaker 1's turn is no change.
    assert_eq!(
        split_points(&d, 1.0, 10.0),
        vec![(1.0, 0), (4.0, 1), (9.0, 0)]
    );
    assert_eq!(split_points(&d, 6.0, 7.0), vec![(6.0, 1)]);
    assert!(split_points(&d, 20.0, 21.0).is_empty());
}

#[test]
fn interruptions_need_a_long_overlap_and_the_first_speaker_yielding() {
    let d = fixed();
    let found = medlyt_diarize::interruptions(&d, 0.5);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!((found[0].at, found[0].by, found[0].of), (3.0, 1, 0));
    assert!(medlyt_diarize::interruptions(&d, 1.5).is_empty());
}
