//! The full test batch: transcripts in four formats, recordings, and bad files. The bad audio
//! files go through the real decoder; the many recordings of the main test are fake ones (fast),
//! and `real_recordings_are_transcribed` runs Whisper on real ones.

use crate::corpus::{self, CPR, PHONE};
use crate::fake::{write_fake_recordings, FakeTranscriber, MAGIC};
use medlyt_batch::{
    collect, run_batch, BatchOptions, CallSettings, Failure, FailureKind, Transcriber,
    WhisperTranscriber,
};
use medlyt_core::{Role, Transcript};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Fake recordings to the fake transcriber, every other file to Whisper.
struct Mixed {
    fake: FakeTranscriber,
    real: WhisperTranscriber,
}

impl Transcriber for Mixed {
    fn settings(&self) -> String {
        format!("{} + {}", self.fake.settings(), self.real.settings())
    }

    fn transcribe(&self, path: &Path) -> Result<Transcript, Failure> {
        let head = std::fs::read(path).unwrap_or_default();
        if head.starts_with(MAGIC) {
            self.fake.transcribe(path)
        } else {
            self.real.transcribe(path)
        }
    }
}

fn models() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models")
}

fn whisper() -> WhisperTranscriber {
    let dir = models();
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let (_, threads) = medlyt_batch::thread_budget(cores, Some(1), None);
    WhisperTranscriber::new(
        &dir.join("ggml-base-q8_0.bin"),
        Some(dir.join("ggml-silero-v6.2.3.bin")),
        "auto",
        vec![Role::Employee, Role::Citizen],
        threads,
    )
    .expect("the base model and the Silero VAD model are installed in models/")
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

#[test]
fn every_good_call_is_reported_and_every_bad_one_listed() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("archive");
    let with_pii = corpus::write_transcripts(&input);
    write_fake_recordings(&input.join("rec"), 6);
    let bad = corpus::write_bad(&input);
    let inputs = collect(std::slice::from_ref(&input)).unwrap();
    assert!(inputs.len() >= 40, "only {} calls", inputs.len());
    let out = tmp.path().join("out");
    let opts = BatchOptions {
        out_dir: out.clone(),
        parallel: 1,
        settings: CallSettings {
            report_md: true,
            ..CallSettings::new()
        },
        cancel: None,
    };
    let transcriber = Mixed {
        fake: FakeTranscriber {
            delay: Duration::ZERO,
            log: None,
        },
        real: whisper(),
    };
    let result = run_batch(&inputs, &transcriber, &opts, &|_| {}).unwrap();
    assert!(result.complete);
    assert_eq!(result.records.len(), inputs.len());

    // Every bad file failed, and nothing else did.
    let failed: Vec<&str> = result
        .records
        .iter()
        .filter(|r| r.failure().is_some())
        .map(|r| r.input.as_str())
        .collect();
    assert_eq!(failed, bad.iter().map(String::as_str).collect::<Vec<_>>());
    let failures = read(&out.join("failures.jsonl"));
    assert_eq!(failures.lines().count(), bad.len());
    for line in failures.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        assert!(!v["reason"].as_str().unwrap().is_empty());
    }
    let kind_of = |rel: &str| {
        result
            .records
            .iter()
            .find(|r| r.input == rel)
            .and_then(|r| r.failure())
            .map(|f| f.kind)
    };
    assert_eq!(kind_of("bad/empty-0-bytes.wav"), Some(FailureKind::Empty));
    assert_eq!(kind_of("bad/empty.txt"), Some(FailureKind::Empty));
    assert_eq!(kind_of("bad/not-audio.wav"), Some(FailureKind::NotAudio));
    assert_eq!(kind_of("bad/scan.pdf"), Some(FailureKind::NotAudio));
    assert_eq!(kind_of("bad/broken.json"), Some(FailureKind::Transcript));
    assert_eq!(kind_of("bad/gsm.wav"), Some(FailureKind::Unsupported));

    // Every good call has its reports and a row in calls.csv.
    let csv = read(&out.join("calls.csv"));
    let good: Vec<_> = result
        .records
        .iter()
        .filter(|r| r.figures().is_some())
        .collect();
    assert_eq!(csv.lines().count(), good.len() + 1);
    for r in &good {
        let dir = out.join("calls").join(&r.name);
        let report: serde_json::Value =
            serde_json::from_str(&read(&dir.join("report.json"))).unwrap();
        assert_eq!(report["schema"], "medlyt.report");
        assert!(dir.join("report.md").is_file());
        assert!(csv.lines().any(|l| l.starts_with(&format!("{},", r.input))));
    }
    // The recordings' (redacted) transcripts are kept.
    for r in good.iter().filter(|r| r.input.starts_with("rec/")) {
        let dir = out.join("calls").join(&r.name);
        let t = Transcript::from_json(&read(&dir.join("transcript.json"))).unwrap();
        assert!(t.segments.iter().any(|s| s.text.contains("[NAME]")));
    }
    // Personal data never reaches the outputs.
    for rel in &with_pii {
        let r = result.records.iter().find(|r| &r.input == rel).unwrap();
        let report = read(&out.join("calls").join(&r.name).join("report.json"));
        assert!(
            report.contains("[CPR]") && report.contains("[PHONE]"),
            "{rel}"
        );
        assert!(r.figures().unwrap().redacted >= 2);
    }
    for (path, bytes) in corpus::tree(&out) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains(CPR) && !text.contains(PHONE),
            "{path} holds personal data"
        );
    }
    let agg: medlyt_batch::Aggregate =
        serde_json::from_str(&read(&out.join("aggregate.json"))).unwrap();
    assert_eq!((agg.calls, agg.failed), (inputs.len(), bad.len()));
    assert_eq!(agg.measures["employee_talk_share"].n, good.len());
    assert!(read(&out.join("summary.md")).contains("open-question share"));

    // A second run reuses everything; a changed file is redone; so is everything when the
    // settings change (no redaction: the personal data is then in the report).
    let again = run_batch(&inputs, &transcriber, &opts, &|_| {}).unwrap();
    assert_eq!(again.reused, inputs.len());
    let changed = input.join(&with_pii[0]);
    let text = read(&changed).replace("Mit cpr-nummer", "Mit CPR-nummer");
    std::fs::write(&changed, text).unwrap();
    let third = run_batch(&inputs, &transcriber, &opts, &|_| {}).unwrap();
    assert_eq!(third.reused, inputs.len() - 1);
    let only_text: Vec<_> = inputs
        .iter()
        .filter(|i| !i.rel.starts_with("rec/"))
        .cloned()
        .collect();
    let plain = BatchOptions {
        settings: CallSettings {
            redact: false,
            ..opts.settings.clone()
        },
        ..opts.clone()
    };
    let fourth = run_batch(&only_text, &transcriber, &plain, &|_| {}).unwrap();
    assert_eq!(fourth.reused, 0);
    let r = fourth
        .records
        .iter()
        .find(|r| r.input == with_pii[1])
        .unwrap();
    assert!(read(&out.join("calls").join(&r.name).join("report.json")).contains(CPR));
}

/// Whether the real models are here; without them (and without `MEDLYT_REQUIRE_MODELS=1`) the
/// Whisper test is skipped. A debug build skips it too: Whisper takes minutes there.
fn real_models() -> bool {
    let have = models().join("ggml-base-q8_0.bin").is_file();
    if !have && std::env::var("MEDLYT_REQUIRE_MODELS").as_deref() == Ok("1") {
        panic!("MEDLYT_REQUIRE_MODELS=1 but models/ has no ggml-base-q8_0.bin");
    }
    if !have || cfg!(debug_assertions) {
        eprintln!("skipped: needs models/ (scripts/get-models.sh) and a release build");
        return false;
    }
    true
}

#[test]
fn real_recordings_are_transcribed() {
    if !real_models() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("archive");
    let recordings = corpus::write_recordings(&input);
    let inputs = collect(&[input]).unwrap();
    let out = tmp.path().join("out");
    let opts = BatchOptions {
        out_dir: out.clone(),
        parallel: 1,
        settings: CallSettings::new(),
        cancel: None,
    };
    let result = run_batch(&inputs, &whisper(), &opts, &|_| {}).unwrap();
    assert_eq!(result.failed(), 0);
    for rel in &recordings {
        let r = result.records.iter().find(|r| &r.input == rel).unwrap();
        let dir = out.join("calls").join(&r.name);
        let t = Transcript::from_json(&read(&dir.join("transcript.json"))).unwrap();
        assert!(!t.segments.is_empty(), "{rel}: no text");
        assert!(r.figures().unwrap().duration_s > 10.0);
        assert!(read(&dir.join("report.html")).contains("<svg"));
    }
    let summary = read(&out.join("summary.html"));
    for r in &result.records {
        let link = format!("calls/{}/report.html", r.name);
        assert!(summary.contains(&link), "summary.html does not link {link}");
    }
}
