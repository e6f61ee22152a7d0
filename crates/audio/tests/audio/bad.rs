//! Each kind of bad input gives its own error, naming the file, from both `open` and `decode`.

use crate::{decode, fixture};
use medlyt_audio::{open, AudioError};
use std::path::Path;

fn both(path: &Path) -> (AudioError, AudioError) {
    let a = open(path).expect_err("open should fail");
    let b = decode(path).expect_err("decode should fail");
    assert_eq!(
        std::mem::discriminant(&a),
        std::mem::discriminant(&b),
        "{a} / {b}"
    );
    (a, b)
}

/// The message names the file and starts lowercase.
fn check_message(err: &AudioError, path: &Path, words: &[&str]) {
    let msg = err.to_string();
    assert!(msg.contains(&path.display().to_string()), "{msg}");
    assert!(msg.starts_with(|c: char| c.is_lowercase()), "{msg}");
    for w in words {
        assert!(msg.contains(w), "'{msg}' lacks '{w}'");
    }
}

#[test]
fn zero_byte_file_is_empty() {
    let path = fixture("bad/empty-0-bytes.wav");
    let (e, _) = both(&path);
    assert!(matches!(e, AudioError::Empty { .. }), "{e}");
    check_message(&e, &path, &["no audio"]);
}

#[test]
fn header_without_samples_is_empty() {
    let path = fixture("bad/header-only-no-samples.wav");
    let (e, _) = both(&path);
    assert!(matches!(e, AudioError::Empty { .. }), "{e}");
    check_message(&e, &path, &["no samples"]);
}

#[test]
fn cut_off_wav_is_truncated_with_both_lengths() {
    let path = fixture("bad/truncated-pcm16.wav");
    let (e, _) = both(&path);
    assert!(matches!(e, AudioError::Truncated { .. }), "{e}");
    check_message(&e, &path, &["truncated", "2.00 s", "0.30 s"]);
}

#[test]
fn text_and_random_bytes_are_not_audio() {
    for file in ["bad/not-audio.wav", "bad/random-bytes.mp3"] {
        let path = fixture(file);
        let (e, _) = both(&path);
        assert!(matches!(e, AudioError::NotAudio { .. }), "{file}: {e}");
        check_message(&e, &path, &["not an audio file"]);
    }
}

#[test]
fn compressed_wav_codecs_are_unsupported_by_name() {
    for (file, name) in [
        ("bad/ima-adpcm.wav", "ima adpcm"),
        ("bad/ms-adpcm.wav", "ms adpcm"),
        ("bad/gsm.wav", "gsm 6.10"),
    ] {
        let path = fixture(file);
        let (e, _) = both(&path);
        match &e {
            AudioError::UnsupportedCodec { codec, .. } => assert!(codec.contains(name), "{codec}"),
            other => panic!("{file}: {other}"),
        }
        check_message(&e, &path, &["unsupported codec", name]);
    }
}

#[test]
fn missing_file_and_directory() {
    let path = fixture("bad/no-such-file.wav");
    let (e, _) = both(&path);
    assert!(matches!(e, AudioError::NotFound { .. }), "{e}");
    check_message(&e, &path, &["not found"]);
    let dir = fixture("bad");
    let (e, _) = both(&dir);
    assert!(matches!(e, AudioError::NotAudio { .. }), "{e}");
}

/// Writes `bytes` as `name` in a fresh temporary folder.
fn temp_file(name: &str, bytes: &[u8]) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    (dir, path)
}

/// The 8 kHz mono PCM fixture with bytes `at..` replaced by `patch`.
fn patched_wav(at: usize, patch: &[u8]) -> Vec<u8> {
    let mut b = std::fs::read(fixture("formats/pcm16-8k-mono.wav")).unwrap();
    assert_eq!(&b[36..40], b"data", "fixture layout changed");
    b[at..at + patch.len()].copy_from_slice(patch);
    b
}

#[test]
fn absurd_header_values_are_corrupt() {
    for (what, at, patch) in [
        ("0 channels", 22, &0u16.to_le_bytes()[..]),
        ("17 channels", 22, &17u16.to_le_bytes()[..]),
        ("sample rate of 0 Hz", 24, &0u32.to_le_bytes()[..]),
        ("12 bits", 34, &12u16.to_le_bytes()[..]),
        ("block align", 32, &3u16.to_le_bytes()[..]),
        ("fmt chunk of", 16, &100_000u32.to_le_bytes()[..]),
    ] {
        let (_dir, path) = temp_file("patched.wav", &patched_wav(at, patch));
        let (e, _) = both(&path);
        assert!(matches!(e, AudioError::Corrupt { .. }), "{what}: {e}");
        check_message(&e, &path, &["corrupt", what]);
    }
}

#[test]
fn data_chunk_claiming_too_much_is_truncated() {
    let (_dir, path) = temp_file("huge.wav", &patched_wav(40, &u32::MAX.to_le_bytes()));
    let (e, _) = both(&path);
    assert!(matches!(e, AudioError::Truncated { .. }), "{e}");
}

#[test]
fn cut_off_flac_is_truncated() {
    let bytes = std::fs::read(fixture("formats/flac-48k-stereo.flac")).unwrap();
    let (_dir, path) = temp_file("cut.flac", &bytes[..bytes.len() / 2]);
    let e = decode(&path).expect_err("half a flac file");
    assert!(matches!(e, AudioError::Truncated { .. }), "{e}");
    check_message(&e, &path, &["truncated", "1.00 s"]);
}

#[test]
fn shorter_than_a_tenth_of_a_second_is_empty() {
    let bytes = patched_wav(40, &(800u32 * 2 - 2).to_le_bytes());
    // 799 samples at 8 kHz: just under 0.1 s.
    let (_dir, path) = temp_file("short.wav", &bytes[..44 + 1598]);
    let (e, _) = both(&path);
    assert!(matches!(e, AudioError::Empty { .. }), "{e}");
}
