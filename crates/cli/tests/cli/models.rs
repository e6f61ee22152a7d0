//! Model errors: none installed, corrupt, or of the wrong kind.

use crate::common::{code_and_stderr, fixture, medlyt, models};

fn transcribe_with(dir: &std::path::Path, extra: &[&str]) -> (i32, String) {
    let _whisper = crate::common::whisper_lock();
    let out = medlyt()
        .args(["transcribe", "--quiet", "--models-dir"])
        .arg(dir)
        .args(extra)
        .arg(fixture("formats/pcm16-16k-stereo-440l-880r.wav"))
        .output()
        .expect("run medlyt");
    code_and_stderr(&out)
}

#[test]
fn no_model_installed_is_exit_8_and_names_the_install_command() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (code, err) = transcribe_with(dir.path(), &[]);
    assert_eq!(code, 8, "{err}");
    assert!(err.contains("scripts/get-models.sh"), "{err}");
    assert!(err.contains("medlyt model import-ct2"), "{err}");
}

#[test]
fn corrupt_model_is_exit_9() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("ggml-base-q8_0.bin"),
        b"this is not a model",
    )
    .expect("write");
    let (code, err) = transcribe_with(dir.path(), &[]);
    assert_eq!(code, 9, "{err}");
    assert!(err.contains("ggml-base-q8_0.bin"), "{err}");
}

#[test]
fn truncated_and_wrong_kind_models_are_exit_9() {
    let Some(real) = models() else { return };
    let dir = tempfile::tempdir().expect("temp dir");
    // The first megabyte of the real model: a valid header, then the tensors run off the end.
    let bytes = std::fs::read(real.join("ggml-base-q8_0.bin")).expect("model");
    std::fs::write(dir.path().join("ggml-base-q8_0.bin"), &bytes[..1 << 20]).expect("write");
    let (code, err) = transcribe_with(dir.path(), &[]);
    assert_eq!(code, 9, "{err}");
    assert!(err.to_lowercase().contains("truncated"), "{err}");
    // A VAD model named as the Whisper model.
    let vad = real.join("ggml-silero-v6.2.3.bin");
    let (code, err) = transcribe_with(dir.path(), &["--model", vad.to_str().expect("utf-8")]);
    assert_eq!(code, 9, "{err}");
    assert!(err.to_lowercase().contains("vad"), "{err}");
}

#[test]
fn model_list_shows_installed_models_and_what_they_are_for() {
    let Some(real) = models() else { return };
    let out = medlyt()
        .args(["model", "list", "--models-dir"])
        .arg(&real)
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    assert!(text.contains("ggml-base-q8_0.bin (default)"), "{text}");
    assert!(text.contains("Whisper base (multilingual)"), "{text}");
    assert!(text.contains("Silero voice activity detection"), "{text}");
    assert!(text.contains("Danish"), "{text}");
}
