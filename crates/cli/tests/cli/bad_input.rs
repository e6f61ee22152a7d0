//! Every bad input gets a clear message and its own exit code, never a panic.

mod outputs;
mod transcripts;

use crate::common::{code_and_stderr, fixture, medlyt, models, whisper_lock};
use medlyt_testkit::wav;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::time::Duration;

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
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("unknown role 'boss'"), "{err}");
}

/// Runs medlyt with `args` (and at most 60 s); (exit code, stderr).
fn run(args: &[&str]) -> (i32, String) {
    let out = medlyt()
        .args(args)
        .timeout(Duration::from_secs(60))
        .output()
        .expect("run medlyt");
    code_and_stderr(&out)
}

/// One second of a 440 Hz tone at `rate`.
fn tone(rate: u32) -> Vec<f64> {
    (0..rate)
        .map(|i| 0.3 * (2.0 * std::f64::consts::PI * 440.0 * f64::from(i) / f64::from(rate)).sin())
        .collect()
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write");
    path
}

fn text(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

#[test]
fn float_samples_that_are_not_numbers_become_silence_with_a_note() {
    let Some(models) = models() else { return };
    let dir = tempfile::tempdir().expect("temp dir");
    let mut nan = tone(44_100);
    nan[500] = f64::NAN;
    let mut inf = tone(22_050);
    inf[500] = f64::INFINITY;
    inf[600] = 7.0;
    let f32s =
        |x: &[f64]| -> Vec<u8> { x.iter().flat_map(|&v| (v as f32).to_le_bytes()).collect() };
    let f64s = |x: &[f64]| -> Vec<u8> { x.iter().flat_map(|&v| v.to_le_bytes()).collect() };
    let cases = [
        (
            write(
                dir.path(),
                "nan-f32-44k.wav",
                &wav(3, 1, 44_100, 32, &[], &f32s(&nan)),
            ),
            "1 sample was not a number and was replaced by silence",
        ),
        (
            write(
                dir.path(),
                "inf-f64-22k.wav",
                &wav(3, 1, 22_050, 64, &[], &f64s(&inf)),
            ),
            "1 sample was not a number and was replaced by silence",
        ),
        (
            write(
                dir.path(),
                "all-nan-f32-16k.wav",
                &wav(3, 1, 16_000, 32, &[], &f32s(&[f64::NAN; 16_000])),
            ),
            "16000 samples were not numbers and were replaced by silence",
        ),
    ];
    let _whisper = whisper_lock();
    for (path, note) in cases {
        let out = dir.path().join("t.json");
        let (code, err) = run(&[
            "transcribe",
            "--quiet",
            "--models-dir",
            text(&models),
            text(&path),
            "-o",
            text(&out),
        ]);
        assert_eq!(code, 0, "{}: {err}", path.display());
        assert!(!err.contains("panicked"), "{err}");
        let t: Value =
            serde_json::from_str(&std::fs::read_to_string(&out).expect("output")).expect("json");
        let notes = t["notes"].to_string();
        assert!(notes.contains(note), "{}: {notes}", path.display());
        if path.ends_with("all-nan-f32-16k.wav") {
            // Silence throughout: the no-voice note of a mono recording, no text.
            assert!(notes.contains("no voice was found"), "{notes}");
            assert_eq!(t["segments"].as_array().map(Vec::len), Some(0));
        }
    }
}

#[test]
fn sample_rates_below_1_khz_or_above_384_khz_are_exit_7() {
    let dir = tempfile::tempdir().expect("temp dir");
    for (rate, channels) in [(1, 16), (999, 1), (384_001, 2)] {
        let data = vec![0u8; usize::from(channels) * 2 * 16];
        let path = write(
            dir.path(),
            &format!("rate-{rate}.wav"),
            &wav(1, channels, rate, 16, &[], &data),
        );
        for cmd in ["transcribe", "analyze"] {
            let out_dir = dir.path().join("out");
            let (code, err) = run(&[cmd, "--quiet", text(&path), "-o", text(&out_dir)]);
            assert_eq!(code, 7, "{cmd} {rate}: {err}");
            assert!(
                err.contains(&format!(
                    "unsupported sample rate in {}: {rate} Hz",
                    path.display()
                )),
                "{err}"
            );
        }
    }
}

#[test]
fn a_chunk_running_past_the_end_of_the_file_is_exit_5() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut list = b"LIST".to_vec();
    list.extend(1_000_000_000u32.to_le_bytes());
    list.extend(b"INFO");
    let data = vec![0u8; 3200];
    let path = write(dir.path(), "list.wav", &wav(1, 1, 16_000, 16, &list, &data));
    let (code, err) = run(&["transcribe", "--quiet", text(&path)]);
    assert_eq!(code, 5, "{err}");
    assert!(err.contains("truncated audio file"), "{err}");
    assert!(
        err.contains("the 'LIST' chunk states 1000000000 bytes"),
        "{err}"
    );
}

#[test]
fn record_duration_out_of_range_is_exit_2() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("rec.wav");
    for d in ["nan", "inf", "1e20", "-5", "0", "86401", "soon"] {
        let arg = format!("--duration={d}");
        let (code, err) = run(&["record", &arg, "-o", text(&out)]);
        assert_eq!(code, 2, "{d}: {err}");
        assert!(err.contains("--duration"), "{d}: {err}");
        assert!(!err.contains("panicked"), "{d}: {err}");
    }
    assert!(!out.exists());
}

#[test]
fn beam_shard_channels_and_employee_out_of_range_are_exit_2() {
    let call = fixture("formats/pcm16-16k-stereo-440l-880r.wav");
    let call = text(&call);
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out");
    let out = text(&out);
    // A transcript's --employee names one of its speakers.
    let transcript = write(
        dir.path(),
        "call.vtt",
        b"WEBVTT\n\n00:00:00.000 --> 00:00:02.000\n<v Anna>Goddag, du taler med Anna.\n\n\
          00:00:02.500 --> 00:00:04.000\n<v Bo>Hej, jeg ringer om min sag.\n",
    );
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["transcribe", "--beam", "100000", call], "1..=16"),
        (vec!["transcribe", "--beam", "0", call], "1..=16"),
        (vec!["analyze", "--beam", "17", call], "1..=16"),
        (
            vec!["batch", "--shard", "3/3", "-o", out, call],
            "invalid shard '3/3'",
        ),
        (
            vec!["batch", "--shard", "1/0", "-o", out, call],
            "invalid shard '1/0'",
        ),
        (
            vec!["batch", "--shard", "half", "-o", out, call],
            "invalid shard 'half'",
        ),
        (
            vec!["transcribe", "--channels", "employee", call],
            "expected two roles",
        ),
        (
            vec!["transcribe", "--channels", "employee,citizen,citizen", call],
            "expected two roles",
        ),
        (
            vec!["analyze", "--channels", "boss,citizen", call],
            "unknown role 'boss'",
        ),
        (
            vec!["transcribe", "--employee", "Z", call],
            "A (heard first), B, C or D",
        ),
        (
            vec!["analyze", "--employee", "Z", call, "-o", out],
            "A (heard first), B, C or D, not 'Z'",
        ),
        (
            vec![
                "analyze",
                "--employee",
                "Nobody",
                text(&transcript),
                "-o",
                out,
            ],
            "no speaker matches employee 'Nobody'",
        ),
    ];
    for (args, needle) in cases {
        let mut args = args;
        args.insert(1, "--quiet");
        let (code, err) = run(&args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(
            err.contains(needle),
            "{args:?}: expected '{needle}' in {err}"
        );
    }
}

#[test]
fn config_values_out_of_range_are_exit_11_naming_the_key() {
    let dir = tempfile::tempdir().expect("temp dir");
    let transcript = fixture("transcripts/talk-turns-2spk.json");
    for (toml, key) in [
        (
            "[talk]\nmax_employee_share = nan\n",
            "talk.max_employee_share",
        ),
        (
            "[questions]\nmin_open_share = -0.2\n",
            "questions.min_open_share",
        ),
        (
            "[quality]\nmin_mean_probability = 1.5\n",
            "quality.min_mean_probability",
        ),
        (
            "[escalation.weights]\nanger = -3.0\n",
            "escalation.weights.anger",
        ),
        (
            "[structure]\nopening_window = 0.0\n",
            "structure.opening_window",
        ),
    ] {
        let config = write(dir.path(), "config.toml", toml.as_bytes());
        let out = dir.path().join("report");
        let (code, err) = run(&[
            "analyze",
            "--quiet",
            text(&transcript),
            "--config",
            text(&config),
            "-o",
            text(&out),
        ]);
        assert_eq!(code, 11, "{toml}: {err}");
        assert!(err.contains("invalid value in config file"), "{err}");
        assert!(err.contains(key), "{toml}: expected '{key}' in {err}");
        assert!(!out.join("report.html").exists());
    }
}

/// Makes a FIFO at `path`; false where `mkfifo` is not available.
fn mkfifo(path: &Path) -> bool {
    let made = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .is_ok_and(|s| s.success());
    if !made {
        eprintln!("skipped a FIFO: mkfifo is not available");
    }
    made
}

#[cfg(unix)]
fn is_char_device(path: &Path) -> bool {
    use std::os::unix::fs::FileTypeExt;
    std::fs::metadata(path).is_ok_and(|m| m.file_type().is_char_device())
}

#[cfg(not(unix))]
fn is_char_device(_: &Path) -> bool {
    false
}

#[test]
fn fifos_devices_and_folders_are_exit_4_without_hanging() {
    let dir = tempfile::tempdir().expect("temp dir");
    let fifo = dir.path().join("call.wav");
    let folder = dir.path().join("calls");
    std::fs::create_dir(&folder).expect("mkdir");
    let mut cases = vec![(folder, "a folder")];
    if mkfifo(&fifo) {
        cases.push((fifo, "a FIFO"));
    }
    for dev in ["/dev/zero", "/dev/null"] {
        // (Some sandboxes put a plain file there.)
        if is_char_device(Path::new(dev)) {
            cases.push((PathBuf::from(dev), "a device"));
        }
    }
    for (path, kind) in cases {
        let out = dir.path().join("out");
        for cmd in ["transcribe", "analyze"] {
            // Opening a FIFO would block until the 60 s timeout.
            let (code, err) = run(&[cmd, "--quiet", text(&path), "-o", text(&out)]);
            assert_eq!(code, 4, "{cmd} {}: {err}", path.display());
            assert!(
                err.contains(&format!("is {kind}, not a recording")),
                "{cmd} {}: {err}",
                path.display()
            );
        }
    }
}

#[test]
fn model_list_skips_a_fifo_in_the_models_folder() {
    let dir = tempfile::tempdir().expect("temp dir");
    if !mkfifo(&dir.path().join("ggml-base.bin")) || !mkfifo(&dir.path().join("manifest.json")) {
        return;
    }
    let (code, err) = run(&["model", "list", "--models-dir", text(dir.path())]);
    // Nothing but the FIFOs: no model installed.
    assert_eq!(code, 8, "{err}");
    assert!(err.contains("no Whisper model found"), "{err}");
}
