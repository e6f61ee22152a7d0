//! Output paths: standard output, links, FIFOs and folders, checked before the work; inputs are
//! never overwritten; analyze's outputs are put in place together.

use crate::common::{code_and_stderr, fixture, medlyt};
use std::path::Path;

const CALL: &str = "formats/mulaw-8k-mono.wav";
/// Transcribe without models: fails with exit 8 unless an output check stops it first.
const TRANSCRIBE: [&str; 4] = ["transcribe", "--quiet", "--models-dir", "/nonexistent"];

/// Exit code and stderr of `medlyt ARGS INPUT -o OUT`.
fn run_into(args: &[&str], input: &Path, out: &Path) -> (i32, String) {
    let res = medlyt()
        .args(args)
        .arg(input)
        .arg("-o")
        .arg(out)
        .output()
        .unwrap();
    code_and_stderr(&res)
}

fn diarize_to(out: &Path) -> std::process::Output {
    medlyt()
        .args(["diarize", "--models-dir", "/nonexistent"])
        .arg(fixture(CALL))
        .arg("-o")
        .arg(out)
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap()
}

#[test]
fn dash_and_dev_stdout_stream_to_standard_output() {
    for out in ["-", "/dev/stdout"] {
        let res = diarize_to(Path::new(out));
        let (code, stderr) = code_and_stderr(&res);
        assert_eq!(code, 0, "{out}: {stderr}");
        let v: serde_json::Value = serde_json::from_slice(&res.stdout).unwrap();
        assert!(v["turns"].is_array(), "{out}");
    }
    assert!(
        Path::new("-").symlink_metadata().is_err(),
        "a file named - was written"
    );
}

#[cfg(unix)]
#[test]
fn a_link_is_written_through_and_a_dangling_one_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("target.json");
    std::fs::write(&target, "old").unwrap();
    let link = dir.path().join("link.json");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let (code, stderr) = code_and_stderr(&diarize_to(&link));
    assert_eq!(code, 0, "{stderr}");
    assert!(link.symlink_metadata().unwrap().file_type().is_symlink());
    assert!(std::fs::read_to_string(&target)
        .unwrap()
        .contains("\"turns\""));

    let dangling = dir.path().join("dangling.json");
    std::os::unix::fs::symlink(dir.path().join("missing/x.json"), &dangling).unwrap();
    let (code, stderr) = code_and_stderr(&diarize_to(&dangling));
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("refusing to replace the link"), "{stderr}");
    assert!(dangling
        .symlink_metadata()
        .unwrap()
        .file_type()
        .is_symlink());
}

#[cfg(unix)]
#[test]
fn a_fifo_is_written_through_not_replaced() {
    use std::os::unix::fs::FileTypeExt;
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("out.fifo");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success());
    if !made {
        eprintln!("skipped: mkfifo failed");
        return;
    }
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    let (code, stderr) = code_and_stderr(&diarize_to(&fifo));
    assert_eq!(code, 0, "{stderr}");
    assert!(reader.join().unwrap().contains("\"turns\""));
    assert!(fifo.symlink_metadata().unwrap().file_type().is_fifo());
}

#[test]
fn transcribe_into_an_existing_folder_fails_before_transcribing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("existing");
    std::fs::create_dir(&out).unwrap();
    let started = std::time::Instant::now();
    let (code, stderr) = run_into(&TRANSCRIBE, &fixture(CALL), &out);
    // Exit 1 (not 8, no model): the output was checked first.
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("it is a folder"), "{stderr}");
    assert!(started.elapsed().as_secs() < 10);
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(
        left.len(),
        1,
        "something was left beside the folder: {left:?}"
    );
}

#[test]
fn transcribe_refuses_to_overwrite_its_own_input() {
    let dir = tempfile::tempdir().unwrap();
    let call = dir.path().join("call.wav");
    std::fs::copy(fixture(CALL), &call).unwrap();
    let before = std::fs::read(&call).unwrap();
    let (code, stderr) = run_into(&TRANSCRIBE, &call, &call);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("it is the input"), "{stderr}");
    assert_eq!(std::fs::read(&call).unwrap(), before);
}

#[test]
fn import_ct2_refuses_its_own_input_and_a_folder_and_leaves_no_temp_file() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("ct2");
    std::fs::create_dir(&src).unwrap();
    std::fs::write(src.join("model.bin"), b"weights").unwrap();
    let (code, stderr) = run_into(&["model", "import-ct2"], &src, &src.join("model.bin"));
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("it is the input"), "{stderr}");
    assert_eq!(std::fs::read(src.join("model.bin")).unwrap(), b"weights");

    let out = dir.path().join("models");
    std::fs::create_dir(&out).unwrap();
    let (code, stderr) = run_into(&["model", "import-ct2"], &src, &out);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("it is a folder"), "{stderr}");
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["ct2", "models"], "a temporary file was left");
}

#[test]
fn embedding_a_recording_over_100_mb_is_refused_before_transcribing() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.wav");
    std::fs::copy(fixture(CALL), &big).unwrap();
    // Sparse: the size, not the disk.
    std::fs::OpenOptions::new()
        .write(true)
        .open(&big)
        .unwrap()
        .set_len(101 * 1024 * 1024)
        .unwrap();
    let out = dir.path().join("report");
    let args = [
        "analyze",
        "--embed-audio",
        "--quiet",
        "--models-dir",
        "/nonexistent",
    ];
    let (code, stderr) = run_into(&args, &big, &out);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("too large to embed"), "{stderr}");
    assert!(!out.exists(), "outputs were written");
}

#[test]
fn analyze_puts_its_outputs_in_place_together_or_not_at_all() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report");
    let analyze = |input: &Path| {
        medlyt()
            .args(["analyze"])
            .arg(input)
            .arg("-o")
            .arg(&out)
            .output()
            .unwrap()
    };
    let first = fixture("transcripts/talk-turns-2spk.json");
    let (code, stderr) = code_and_stderr(&analyze(&first));
    assert_eq!(code, 0, "{stderr}");
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    let json = std::fs::read_to_string(out.join("report.json")).unwrap();
    // report.html cannot be replaced: the run fails before writing, the old outputs stay.
    std::fs::remove_file(out.join("report.html")).unwrap();
    std::fs::create_dir(out.join("report.html")).unwrap();
    let (code, stderr) = code_and_stderr(&analyze(&fixture(
        "transcripts/jobcenter-escalation-da.json",
    )));
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("report.html"), "{stderr}");
    assert_eq!(std::fs::read_to_string(out.join("report.md")).unwrap(), md);
    assert_eq!(
        std::fs::read_to_string(out.join("report.json")).unwrap(),
        json
    );
    let names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(names.is_empty(), "temporary files left: {names:?}");
}

#[test]
fn webvtt_markup_in_the_transcript_is_text_in_report_md() {
    let dir = tempfile::tempdir().unwrap();
    let vtt = dir.path().join("call.vtt");
    std::fs::write(
        &vtt,
        "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Anna>Goddag, hvad kan jeg hjælpe med? \
         &lt;script&gt;alert(1)&lt;/script&gt;\n\n00:00:05.000 --> 00:00:09.000\n<v Bo>Jeg har \
         et spørgsmål <img src=x onerror=alert(2)> om min sag.\n\n00:00:10.000 --> \
         00:00:13.000\n<v Anna>Hvad drejer det sig om? &lt;b&gt;fed&lt;/b&gt;\n",
    )
    .unwrap();
    let out = dir.path().join("report");
    let (code, stderr) = run_into(&["analyze", "--report-lang", "en"], &vtt, &out);
    assert_eq!(code, 0, "{stderr}");
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(
        !md.contains("<script") && !md.contains("<img") && !md.contains("<b>"),
        "{md}"
    );
    assert!(
        md.contains("&lt;script&gt;") || md.contains("&lt;b&gt;"),
        "{md}"
    );
}

#[test]
fn repair_says_what_it_changed_and_never_shortens() {
    let dir = tempfile::tempdir().unwrap();
    // A cut-off recording: the header says 0 bytes; 1000 frames and half a frame follow.
    let path = dir.path().join("cut.wav");
    let mut bytes = std::fs::read(fixture("formats/pcm16-16k-stereo-440l-880r.wav")).unwrap();
    bytes.truncate(44 + 4000 + 2);
    bytes[40..44].copy_from_slice(&0u32.to_le_bytes());
    std::fs::write(&path, &bytes).unwrap();
    let res = medlyt().arg("repair").arg(&path).output().unwrap();
    let (code, stderr) = code_and_stderr(&res);
    assert_eq!(code, 0, "{stderr}");
    let said = String::from_utf8_lossy(&res.stdout);
    assert!(said.contains("header said 0 frames, now 1000"), "{said}");
    assert!(said.contains("data size 0 -> 4000 bytes"), "{said}");
    assert!(
        said.contains("2 bytes of a cut-off last frame were left"),
        "{said}"
    );
    assert_eq!(std::fs::metadata(&path).unwrap().len(), bytes.len() as u64);
    // Past 4 GiB with no room for an RF64 header: refused, unchanged (a sparse file).
    let big = dir.path().join("big.wav");
    let mut f = std::fs::File::create(&big).unwrap();
    std::io::Write::write_all(&mut f, &bytes[..44]).unwrap();
    f.set_len(4 * 1024 * 1024 * 1024 + 4096).unwrap();
    drop(f);
    let res = medlyt().arg("repair").arg(&big).output().unwrap();
    let (code, stderr) = code_and_stderr(&res);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("past 4 GiB") && stderr.contains("nothing was changed"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::metadata(&big).unwrap().len(),
        4 * 1024 * 1024 * 1024 + 4096
    );
}

#[test]
fn a_vad_model_with_nan_weights_is_exit_9() {
    let src = crate::common::root().join("models/ggml-silero-v6.2.3.bin");
    if !src.is_file() {
        eprintln!("skipped: no Silero model in models/");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("ggml-silero-v6.2.3.bin");
    let mut bytes = std::fs::read(&src).unwrap();
    // The last tensor is the final convolution's f32 bias: make it NaN.
    let n = bytes.len();
    bytes[n - 4..].copy_from_slice(&f32::NAN.to_le_bytes());
    std::fs::write(&bad, &bytes).unwrap();
    let res = medlyt()
        .args(["model", "inspect"])
        .arg(&bad)
        .output()
        .unwrap();
    let (code, _) = code_and_stderr(&res);
    let said = String::from_utf8_lossy(&res.stdout);
    assert_eq!(code, 9, "{said}");
    assert!(said.contains("not numbers (NaN or infinite)"), "{said}");
}

#[test]
fn rf64_bw64_and_rifx_are_exit_7_naming_the_format() {
    let dir = tempfile::tempdir().unwrap();
    let wav = std::fs::read(fixture("formats/pcm16-8k-mono.wav")).unwrap();
    for (magic, name) in [
        (b"RF64", "RF64 WAVE"),
        (b"BW64", "BW64 WAVE"),
        (b"RIFX", "RIFX WAVE (big-endian)"),
    ] {
        let path = dir
            .path()
            .join(format!("{}.wav", String::from_utf8_lossy(magic)));
        let mut bytes = wav.clone();
        bytes[..4].copy_from_slice(magic);
        std::fs::write(&path, bytes).unwrap();
        let res = medlyt()
            .args(["transcribe", "--quiet", "--models-dir", "/nonexistent"])
            .arg(&path)
            .output()
            .unwrap();
        let (code, stderr) = code_and_stderr(&res);
        assert_eq!(code, 7, "{name}: {stderr}");
        assert!(
            stderr.contains(name) && stderr.contains("unsupported"),
            "{stderr}"
        );
    }
}
