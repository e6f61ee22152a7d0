//! The language without asking: calls analysed with no `--language` come out in their own
//! language, a forced language is kept, and a call forced against a sure detection gets a
//! note on standard error. And the bundled Danish demo call's reports make no claim of
//! absence that its script contradicts.

use crate::common::{fixture, medlyt, models, wer, whisper_lock, words};
use serde_json::Value;
use std::path::Path;

/// `medlyt transcribe CALL ARGS` (CALL in fixtures/calls/, or a path under fixtures/): the
/// transcript and standard error.
fn transcribe_with(models: &Path, call: &str, args: &[&str]) -> (Value, String) {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("t.json");
    let _whisper = whisper_lock();
    let run = medlyt()
        .args(["transcribe", "--quiet", "--models-dir"])
        .arg(models)
        .args(args)
        .arg(fixture(&if call.contains('/') {
            call.to_string()
        } else {
            format!("calls/{call}")
        }))
        .arg("-o")
        .arg(&out)
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&run.stderr).into_owned();
    assert!(run.status.success(), "{call}: {stderr}");
    let text = std::fs::read_to_string(&out).expect("transcript");
    (serde_json::from_str(&text).expect("json"), stderr)
}

fn script_words(call: &str) -> Vec<String> {
    let truth: Value = serde_json::from_str(
        &std::fs::read_to_string(fixture(&format!("calls/{call}.json"))).expect("truth"),
    )
    .expect("truth json");
    let text: Vec<&str> = truth["utterances"]
        .as_array()
        .expect("utterances")
        .iter()
        .filter_map(|u| u["text"].as_str())
        .collect();
    words(&text.join(" "))
}

fn transcript_words(t: &Value) -> Vec<String> {
    let text: Vec<&str> = t["segments"]
        .as_array()
        .expect("segments")
        .iter()
        .filter_map(|s| s["text"].as_str())
        .collect();
    words(&text.join(" "))
}

#[test]
fn calls_without_a_language_flag_come_out_in_their_own_language() {
    let Some(models) = models() else { return };
    for (call, lang) in [
        ("en-citizen-service.wav", "en"),
        ("en-jobcentre-8k-mulaw.wav", "en"),
        ("da-borgerservice.wav", "da"),
        ("da-jobcenter-mono.wav", "da"),
        // A real Danish voice saying single nouns, on a phone line: on its first 6 s Whisper
        // base hears English (0.99); on its whole first window, Danish.
        ("real/real-da-words-8k.wav", "da"),
    ] {
        let (t, stderr) = transcribe_with(&models, call, &[]);
        assert_eq!(t["language"]["requested"], "da|en", "{call}");
        assert_eq!(t["language"]["detected"], lang, "{call}");
        let notes = t["notes"].to_string();
        assert!(
            notes.contains(&format!("language: {lang}")),
            "{call}: {notes}"
        );
        assert!(!stderr.contains("sounds like"), "{call}: {stderr}");
        if lang == "en" {
            let name = call.trim_end_matches(".wav").trim_end_matches("-8k-mulaw");
            let w = wer(&script_words(name), &transcript_words(&t));
            assert!(w <= 0.25, "{call}: English heard, but WER {w:.2}");
        }
    }
}

#[test]
fn a_forced_language_is_kept_and_a_sure_mismatch_is_said_on_stderr() {
    let Some(models) = models() else { return };
    let (t, stderr) = transcribe_with(&models, "en-citizen-service.wav", &["--language", "da"]);
    assert_eq!(t["language"]["requested"], "da");
    assert_eq!(t["language"]["detected"], "en");
    let note = stderr
        .lines()
        .find(|l| l.starts_with("note: the call sounds like language 'en'"))
        .unwrap_or_else(|| panic!("no language note on stderr: {stderr}"));
    assert!(note.contains("not the requested 'da'"), "{note}");
    assert_eq!(
        stderr.lines().filter(|l| l.contains("sounds like")).count(),
        1
    );
    assert!(t["notes"].to_string().contains("language: da, as asked"));

    let (t, stderr) = transcribe_with(&models, "da-borgerservice.wav", &["--language", "en"]);
    assert_eq!(t["language"]["requested"], "en");
    assert!(!stderr.contains("sounds like"), "{stderr}");
    let (t_da, _) = transcribe_with(&models, "da-borgerservice.wav", &["--language", "da"]);
    assert_ne!(transcript_words(&t), transcript_words(&t_da));
}

#[test]
fn analyze_says_on_stderr_when_the_forced_language_is_surely_wrong() {
    let Some(models) = models() else { return };
    let dir = tempfile::tempdir().expect("temp dir");
    let _whisper = whisper_lock();
    let run = medlyt()
        .args(["analyze", "--quiet", "--language", "da", "--models-dir"])
        .arg(&models)
        .arg(fixture("calls/en-jobcentre.wav"))
        .arg("-o")
        .arg(dir.path())
        .output()
        .expect("run");
    assert!(run.status.success());
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("note: the call sounds like language 'en'"),
        "{stderr}"
    );
}

/// The bundled demo call, analysed as the setup command does: its script has a greeting, the
/// employee's name, the unit, the purpose, a summary, a next step and the citizen's thanks,
/// so no report format may say any of them was missing.
#[test]
fn the_demo_report_claims_nothing_missing_that_the_script_has() {
    let Some(models) = models() else { return };
    let dir = tempfile::tempdir().expect("temp dir");
    let _whisper = whisper_lock();
    let run = medlyt()
        .args(["analyze", "--quiet", "--models-dir"])
        .arg(&models)
        .arg(fixture("calls/da-borgerservice.wav"))
        .arg("-o")
        .arg(dir.path())
        .output()
        .expect("run");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let read = |f: &str| std::fs::read_to_string(dir.path().join(f)).expect(f);
    let (md, html, json) = (read("report.md"), read("report.html"), read("report.json"));
    assert!(
        md.starts_with("# Feedback på samtalen"),
        "not a Danish report"
    );
    for claim in ["mangler", "manglede", "Ingen opsummering"] {
        assert!(!md.contains(claim), "report.md says '{claim}':\n{md}");
    }
    for claim in ["manglede", "Ingen opsummering"] {
        assert!(!html.contains(claim), "report.html says '{claim}'");
    }
    let report: Value = serde_json::from_str(&json).expect("json");
    let absent = ["incomplete_opening", "no_clear_closing"];
    for f in report["findings"].as_array().expect("findings") {
        let code = f["code"].as_str().unwrap_or_default();
        if absent.contains(&code) {
            assert_ne!(f["polarity"], "concern", "report.json: {f}");
        }
    }
}

#[test]
fn batch_says_on_stderr_which_call_sounds_like_another_language() {
    let Some(models) = models() else { return };
    let dir = tempfile::tempdir().expect("temp dir");
    let archive = dir.path().join("archive");
    std::fs::create_dir(&archive).expect("mkdir");
    std::fs::copy(
        fixture("calls/en-citizen-service.wav"),
        archive.join("call-1.wav"),
    )
    .expect("copy");
    let _whisper = whisper_lock();
    let run = medlyt()
        .args(["batch", "--quiet", "--language", "da", "--models-dir"])
        .arg(&models)
        .arg(&archive)
        .arg("-o")
        .arg(dir.path().join("out"))
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    let note = stderr
        .lines()
        .find(|l| l.starts_with("note: ") && l.contains("sounds like language 'en'"))
        .unwrap_or_else(|| panic!("no language note: {stderr}"));
    assert!(note.contains("call-1.wav"), "{note}");
}
