//! Every bad input gets a clear message and its own exit code, never a panic.

use crate::common::{code_and_stderr, fixture, medlyt};

/// Runs `medlyt transcribe FILE` and returns (exit code, stderr).
fn transcribe(path: &std::path::Path) -> (i32, String) {
    let out = medlyt()
        .args(["transcribe", "--quiet"])
        .arg(path)
        .output()
        .expect("run medlyt");
    code_and_stderr(&out)
}

fn check(rel: &str, code: i32, needles: &[&str]) {
    let (got, err) = transcribe(&fixture(rel));
    assert_eq!(got, code, "{rel}: {err}");
    assert!(!err.contains("panicked"), "{rel}: {err}");
    for n in needles {
        assert!(err.contains(n), "{rel}: expected '{n}' in: {err}");
    }
}

#[test]
fn missing_file_is_exit_3() {
    check(
        "bad/does-not-exist.wav",
        3,
        &["audio file not found", "does-not-exist.wav"],
    );
}

#[test]
fn not_audio_is_exit_4() {
    check(
        "bad/not-audio.wav",
        4,
        &["not an audio file", "not-audio.wav"],
    );
    check("bad/random-bytes.mp3", 4, &["not an audio file"]);
}

#[test]
fn truncated_file_is_exit_5() {
    check(
        "bad/truncated-pcm16.wav",
        5,
        &["truncated audio file", "2.00 s", "0.30 s"],
    );
}

#[test]
fn zero_length_audio_is_exit_6() {
    check("bad/empty-0-bytes.wav", 6, &["no audio in"]);
    check("bad/header-only-no-samples.wav", 6, &["no audio in"]);
}

#[test]
fn unsupported_codec_is_exit_7() {
    check("bad/ima-adpcm.wav", 7, &["unsupported codec", "ima adpcm"]);
    check("bad/gsm.wav", 7, &["unsupported codec", "gsm"]);
    check("bad/ms-adpcm.wav", 7, &["unsupported codec", "ms adpcm"]);
}

#[test]
fn analyze_reports_missing_and_unreadable_inputs() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = medlyt()
        .args(["analyze", "--quiet", "no-such-call.wav", "-o"])
        .arg(dir.path())
        .output()
        .expect("run");
    let (code, err) = code_and_stderr(&out);
    assert_eq!(code, 3, "{err}");
    let bad = dir.path().join("notes.txt");
    std::fs::write(&bad, "\u{0}\u{1}garbage without speakers\n").expect("write");
    let out = medlyt()
        .args(["analyze", "--quiet"])
        .arg(&bad)
        .arg("-o")
        .arg(dir.path().join("out"))
        .output()
        .expect("run");
    let (code, err) = code_and_stderr(&out);
    assert_eq!(code, 4, "{err}");
    assert!(err.contains("cannot read the transcript"), "{err}");
}

#[test]
fn bad_command_line_is_exit_2() {
    let out = medlyt()
        .args(["transcribe", "--language", "xx", "call.wav"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let out = medlyt()
        .args(["transcribe", "--channels", "boss,citizen", "--quiet"])
        .arg(fixture("formats/pcm16-16k-stereo-440l-880r.wav"))
        .output()
        .expect("run");
    let (code, err) = code_and_stderr(&out);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("unknown role 'boss'"), "{err}");
}
