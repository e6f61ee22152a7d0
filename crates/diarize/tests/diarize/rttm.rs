//! A reference given as RTTM scores exactly as the same truth given as a fixture's JSON.

use medlyt_diarize::eval::{score, Truth};
use medlyt_diarize::{diarize, rttm, DiarizeOptions};
use std::path::Path;

fn fixture_truth() -> (Truth, Vec<i16>) {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/mono/da-noisy-overlap.json");
    let truth = Truth::load(&path).unwrap();
    let wav = path.parent().unwrap().join(&truth.files.mono);
    let decoded =
        medlyt_audio::decode(&wav, &medlyt_audio::DecodeOptions::default(), &mut |_| {}).unwrap();
    (truth, medlyt_audio::mix_to_mono(&decoded))
}

#[test]
fn an_rttm_reference_scores_as_the_json_truth_does() {
    let (truth, samples) = fixture_truth();
    let text: String = truth
        .utterances
        .iter()
        .map(|u| {
            format!(
                "SPEAKER call 1 {:.3} {:.3} <NA> <NA> party{} <NA> <NA>\n",
                u.start,
                u.end - u.start,
                u.channel
            )
        })
        .collect();
    let turns = rttm::parse(&text).unwrap();
    let from_rttm = Truth::from_rttm(&turns, "call", "call.wav", truth.duration);
    assert_eq!(from_rttm.speaker_count(), truth.speaker_count());
    assert_eq!(
        from_rttm.interruptions.len(),
        truth.interruptions.len(),
        "the turns' interruptions by medlyt's rule match the scripted ones"
    );
    let d = diarize(&samples, &[], &DiarizeOptions::default());
    let (a, b) = (score(&d, &truth, 0.0), score(&d, &from_rttm, 0.0));
    assert!(
        (a.der() - b.der()).abs() < 1e-3,
        "{} vs {}",
        a.der(),
        b.der()
    );
    assert!((a.share_error_pp() - b.share_error_pp()).abs() < 0.1);
    // And the found turns, written as RTTM and read back as a reference, score as a perfect
    // diarization of themselves.
    let own = rttm::parse(&rttm::write(&d, "call")).unwrap();
    let itself = Truth::from_rttm(&own, "call", "call.wav", truth.duration);
    let s = score(&d, &itself, 0.0);
    assert!(s.der() < 0.01, "DER against itself {}", s.der());
}

#[test]
fn speakers_past_z_get_a_number() {
    use medlyt_diarize::speaker_name;
    assert_eq!(speaker_name(0), "A");
    assert_eq!(speaker_name(3), "D");
    assert_eq!(speaker_name(27), "B1");
}
