//! Mono recordings of real voices end to end with the neural speaker models
//! (`fixtures/real/`, made by `scripts/make-real-calls.sh --fixtures`), and what happens
//! when the speaker models are missing or corrupt.

use crate::common::{code_and_stderr, fixture, medlyt, models, whisper_lock};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// A models folder holding links to the installed Whisper and VAD models only.
fn whisper_only(models: &Path, dir: &Path) -> PathBuf {
    let out = dir.join("models");
    std::fs::create_dir_all(&out).unwrap();
    for f in ["ggml-base-q8_0.bin", "ggml-silero-v6.2.3.bin"] {
        std::os::unix::fs::symlink(models.join(f), out.join(f)).unwrap();
    }
    out
}

/// Speaker models are installed too (they come with the default models).
fn speaker_models() -> Option<PathBuf> {
    let m = models()?;
    let ok = [
        "speaker-segmentation-3.0.safetensors",
        "speaker-campplus-cn-en.safetensors",
    ]
    .iter()
    .all(|f| m.join(f).is_file());
    assert!(
        ok || std::env::var_os("MEDLYT_REQUIRE_MODELS").is_none(),
        "speaker models missing"
    );
    ok.then_some(m)
}

fn analyze(models: &Path, input: &Path, out: &Path) -> (Value, Value, String) {
    let _whisper = whisper_lock();
    let run = medlyt()
        .args(["analyze", "--quiet", "--models-dir"])
        .arg(models)
        .arg(input)
        .arg("-o")
        .arg(out)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let read = |f: &str| std::fs::read_to_string(out.join(f)).unwrap();
    (
        serde_json::from_str(&read("report.json")).unwrap(),
        serde_json::from_str(&read("transcript.json")).unwrap(),
        read("report.md"),
    )
}

fn notes(transcript: &Value) -> String {
    transcript["notes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn one_real_voice_gives_a_report_with_one_party_that_says_why() {
    let Some(m) = speaker_models() else { return };
    let dir = tempfile::tempdir().unwrap();
    let (report, transcript, md) =
        analyze(&m, &fixture("real/real-nl-mono.wav"), &dir.path().join("r"));
    assert_eq!(
        transcript["tracks"].as_array().unwrap().len(),
        1,
        "{}",
        notes(&transcript)
    );
    assert_eq!(report["parties"], 1);
    assert!(
        notes(&transcript).contains("one voice was heard"),
        "{}",
        notes(&transcript)
    );
    assert!(md.contains("Der blev kun hørt én stemme"), "{md}");
    assert!(!md.contains("| Borger |"), "{md}");
}

/// Checks that the two voices of `input` (the phone-line fixture, or a copy of it) come out
/// as two parties with the truth's talk share, and returns the transcript's notes.
fn two_voices_told_apart(models: &Path, input: &Path) -> String {
    let truth: Value = serde_json::from_str(
        &std::fs::read_to_string(fixture("real/real-nl-fish-tel.json")).unwrap(),
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (report, transcript, _) = analyze(models, input, &dir.path().join("r"));
    assert_eq!(report["parties"], 2, "{}", notes(&transcript));
    let tracks = transcript["tracks"].as_array().unwrap();
    assert_eq!(tracks.len(), 2, "{}", notes(&transcript));
    assert!(
        notes(&transcript).contains("segmentation-3.0"),
        "{}",
        notes(&transcript)
    );
    let talk: Vec<f64> = tracks
        .iter()
        .map(|t| {
            t["speech"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s["end"].as_f64().unwrap() - s["start"].as_f64().unwrap())
                .sum()
        })
        .collect();
    let found = talk[0] / (talk[0] + talk[1]);
    // Voice A is the one heard first; the truth's first utterance says whose that is.
    let first = truth["utterances"][0]["role"].as_str().unwrap().to_string();
    let want = truth["talk_share"][first.as_str()].as_f64().unwrap();
    eprintln!("talk share of the first voice: found {found:.3}, truth {want:.3}");
    assert!(
        (found - want).abs() < 0.05,
        "talk share {found:.3} vs {want:.3}"
    );
    notes(&transcript)
}

#[test]
fn two_real_voices_on_a_phone_line_are_told_apart() {
    let Some(m) = speaker_models() else { return };
    let notes = two_voices_told_apart(&m, &fixture("real/real-nl-fish-tel.wav"));
    assert!(!notes.contains("carry one signal"), "{notes}");
}

/// A stereo copy of a mono recording, as a phone or laptop that writes its one microphone to
/// both channels makes it: 16-bit PCM at 8 kHz, the right channel 3 dB lower.
fn one_microphone_on_two_channels(mono: &Path, out: &Path) {
    let decoded = medlyt_audio::decode(mono, &Default::default(), &mut |_| {}).unwrap();
    let spec = hound::WavSpec {
        channels: 2,
        sample_rate: 8000,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut w = hound::WavWriter::create(out, spec).unwrap();
    // The recording is band-limited to 3.4 kHz, so every other 16 kHz sample is its 8 kHz one.
    for &s in decoded.channels[0].iter().step_by(2) {
        w.write_sample(s).unwrap();
        w.write_sample((f32::from(s) * 0.7) as i16).unwrap();
    }
    w.finalize().unwrap();
}

#[test]
fn one_microphone_on_both_channels_is_diarized_as_a_mono_recording() {
    let Some(m) = speaker_models() else { return };
    let dir = tempfile::tempdir().unwrap();
    let stereo = dir.path().join("dual-mono.wav");
    one_microphone_on_two_channels(&fixture("real/real-nl-fish-tel.wav"), &stereo);
    let notes = two_voices_told_apart(&m, &stereo);
    assert!(notes.contains("two channels carry one signal"), "{notes}");
}

#[test]
fn missing_speaker_models_fall_back_to_signal_features_with_a_note() {
    let Some(m) = speaker_models() else { return };
    let dir = tempfile::tempdir().unwrap();
    let only = whisper_only(&m, dir.path());
    let (_, transcript, _) = analyze(
        &only,
        &fixture("real/real-nl-fish.wav"),
        &dir.path().join("r"),
    );
    assert!(
        notes(&transcript).contains("neural speaker models are not installed"),
        "{}",
        notes(&transcript)
    );
}

#[test]
fn a_corrupt_speaker_model_is_a_clear_error_before_transcribing() {
    let Some(m) = speaker_models() else { return };
    let dir = tempfile::tempdir().unwrap();
    let only = whisper_only(&m, dir.path());
    let seg = std::fs::read(m.join("speaker-segmentation-3.0.safetensors")).unwrap();
    std::fs::write(
        only.join("speaker-segmentation-3.0.safetensors"),
        &seg[..seg.len() / 3],
    )
    .unwrap();
    std::os::unix::fs::symlink(
        m.join("speaker-campplus-cn-en.safetensors"),
        only.join("speaker-campplus-cn-en.safetensors"),
    )
    .unwrap();
    let out = medlyt()
        .args(["transcribe", "--quiet", "--models-dir"])
        .arg(&only)
        .arg(fixture("real/real-nl-fish.wav"))
        .output()
        .unwrap();
    let (code, err) = code_and_stderr(&out);
    assert_eq!(code, 9, "{err}");
    assert!(
        err.contains("speaker-segmentation-3.0.safetensors") && err.contains("speaker model"),
        "{err}"
    );
}

#[test]
fn diarize_writes_rttm_that_scorers_read() {
    let Some(m) = speaker_models() else { return };
    let out = medlyt()
        .args(["diarize", "--format", "rttm", "--models-dir"])
        .arg(&m)
        .arg(fixture("real/real-nl-fish-tel.wav"))
        .output()
        .unwrap();
    let (code, err) = code_and_stderr(&out);
    assert_eq!(code, 0, "{err}");
    let text = String::from_utf8(out.stdout).unwrap();
    let turns = medlyt_diarize::rttm::parse(&text).unwrap();
    assert!(turns.len() >= 4, "{text}");
    assert_eq!(text.lines().count(), turns.len(), "{text}");
    for line in text.lines() {
        let f: Vec<&str> = line.split(' ').collect();
        assert_eq!(f.len(), 10, "{line}");
        assert_eq!(
            (f[0], f[1], f[2]),
            ("SPEAKER", "real-nl-fish-tel", "1"),
            "{line}"
        );
    }
    let mut names: Vec<&str> = turns.iter().map(|t| t.speaker.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names, ["A", "B"], "{text}");
    assert!(turns.windows(2).all(|w| w[0].start <= w[1].start), "{text}");
}
