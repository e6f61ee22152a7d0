//! The targets of the mono diarization work on the committed fixtures: the stereo calls mixed
//! to mono (`fixtures/calls/*-mono.wav`) and the mono calls of `fixtures/mono/`.

use medlyt_diarize::eval::{score, Truth};
use medlyt_diarize::{diarize, DiarizeOptions};
use std::path::{Path, PathBuf};

/// Measured on these fixtures: DER 0.0-6.3 %, talk-share error 0.1-4.3 pp, interruptions off
/// by at most one. Limits are a little looser than that.
const MAX_DER: f64 = 0.08;
const MAX_SHARE_ERROR_PP: f64 = 6.0;
const MAX_INTERRUPTION_DIFF: usize = 1;
const COLLAR_S: f64 = 0.25;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn check(truth_path: &Path) {
    let truth = Truth::load(truth_path).unwrap();
    let wav = truth_path.parent().unwrap().join(&truth.files.mono);
    let decoded =
        medlyt_audio::decode(&wav, &medlyt_audio::DecodeOptions::default(), &mut |_| {}).unwrap();
    let samples = medlyt_audio::mix_to_mono(&decoded);
    let d = diarize(&samples, &[], &DiarizeOptions::default());
    assert_eq!(d.speakers, 2, "{}", truth.name);
    let s = score(&d, &truth, COLLAR_S);
    assert!(
        s.der() < MAX_DER,
        "{}: DER {:.3} ({s:?})",
        truth.name,
        s.der()
    );
    assert!(
        s.share_error_pp() < MAX_SHARE_ERROR_PP,
        "{}: share error {:.1} pp",
        truth.name,
        s.share_error_pp()
    );
    assert!(
        s.true_interruptions.abs_diff(s.found_interruptions) <= MAX_INTERRUPTION_DIFF,
        "{}: interruptions {} in truth, {} found",
        truth.name,
        s.true_interruptions,
        s.found_interruptions
    );
    // The employee opens every call, so the first speaker maps to truth channel 0.
    assert_eq!(s.mapping[0], Some(0), "{}: {:?}", truth.name, s.mapping);
}

#[test]
fn mixed_stereo_calls_meet_the_targets() {
    for name in ["da-borgerservice", "da-jobcenter", "en-citizen-service"] {
        check(&root().join(format!("fixtures/calls/{name}.json")));
    }
}

#[test]
fn mono_calls_meet_the_targets() {
    for name in ["da-same-gender", "da-quiet-citizen", "da-noisy-overlap"] {
        check(&root().join(format!("fixtures/mono/{name}.json")));
    }
}

#[test]
fn scoring_a_perfect_answer_gives_no_error() {
    // The truth itself, as a diarization, scores zero: checks the scorer, not the diarizer.
    let truth = Truth::load(&root().join("fixtures/calls/da-jobcenter.json")).unwrap();
    let turns = truth
        .speaker_spans()
        .into_iter()
        .enumerate()
        .flat_map(|(s, spans)| {
            spans
                .into_iter()
                .map(move |span| medlyt_diarize::Turn { span, speaker: s })
        })
        .collect();
    let d = medlyt_diarize::Diarization {
        turns,
        overlaps: Vec::new(),
        speakers: 2,
        confidence: 1.0,
        method: "truth".into(),
    };
    let s = score(&d, &truth, COLLAR_S);
    assert!(s.der() < 1e-9, "{s:?}");
    assert!(s.share_error_pp() < 0.1, "{s:?}");
    assert_eq!(s.found_interruptions, s.true_interruptions);
}
