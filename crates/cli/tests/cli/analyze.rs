//! `medlyt analyze` end to end: the stereo fixture calls against their scripted truth, and
//! transcripts from other tools.
//!
//! Stated tolerances: talk shares within 3 percentage points of the script; every scripted
//! interruption found within 1 s of its scripted start and by the right party; no interruption
//! reported at a scripted backchannel.

use crate::common::{fixture, medlyt, models, transcript_of, truth};
use serde_json::Value;

fn analyze_file(input: &std::path::Path, extra: &[&str]) -> (Value, String) {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("report");
    let _whisper = crate::common::whisper_lock();
    let mut cmd = medlyt();
    cmd.args(["analyze", "--quiet"])
        .arg(input)
        .arg("-o")
        .arg(&out)
        .args(extra);
    if let Some(m) = models() {
        cmd.arg("--models-dir").arg(m);
    }
    let run = cmd.output().expect("run");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let json = std::fs::read_to_string(out.join("report.json")).expect("report.json");
    let md = std::fs::read_to_string(out.join("report.md")).expect("report.md");
    let html = std::fs::read_to_string(out.join("report.html")).expect("report.html");
    assert!(
        html.contains("<svg") && html.contains("</html>"),
        "report.html is not a page"
    );
    (serde_json::from_str(&json).expect("json"), md)
}

fn check_against_truth(call: &str, lang: &str) {
    let Some(t) = transcript_of(&format!("{call}.wav"), lang) else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("transcript.json");
    std::fs::write(&path, t.to_string()).expect("write");
    let (report, _) = analyze_file(&path, &["--language", lang]);
    let truth = truth(call);
    for role in ["employee", "citizen"] {
        let got = report["talk"][role]["share"].as_f64().expect("share");
        let want = truth["talk_share"][role].as_f64().expect("truth share");
        eprintln!("{call} {role} talk share {got:.3}, script {want:.3}");
        assert!(
            (got - want).abs() <= 0.03,
            "{call} {role}: share {got:.3} vs {want:.3}"
        );
    }
    let events = report["interruptions"]["events"]
        .as_array()
        .expect("events");
    let scripted = truth["interruptions"].as_array().expect("interruptions");
    assert_eq!(events.len(), scripted.len(), "{call}: {events:?}");
    for s in scripted {
        let at = s["at"].as_f64().expect("at");
        let found = events.iter().any(|e| {
            e["by"] == s["by"]
                && e["of"] == s["of"]
                && (e["at"].as_f64().expect("at") - at).abs() <= 1.0
        });
        assert!(
            found,
            "{call}: scripted interruption at {at} not found in {events:?}"
        );
    }
    for b in truth["backchannels"].as_array().expect("backchannels") {
        let at = b["at"].as_f64().expect("at");
        assert!(
            !events
                .iter()
                .any(|e| (e["at"].as_f64().expect("at") - at).abs() <= 1.0),
            "{call}: backchannel at {at} counted as an interruption"
        );
    }
}

#[test]
fn danish_counter_call_against_its_script() {
    check_against_truth("da-borgerservice", "da");
}

#[test]
fn danish_jobcentre_call_against_its_script() {
    check_against_truth("da-jobcenter", "da");
}

#[test]
fn english_call_against_its_script() {
    check_against_truth("en-citizen-service", "en");
}

#[test]
fn recording_in_danish_report_out() {
    if models().is_none() {
        return;
    }
    let (report, md) = analyze_file(&fixture("calls/da-borgerservice.wav"), &[]);
    assert_eq!(report["schema"], "medlyt.report");
    assert!(md.starts_with("# Feedback på samtalen"), "{md}");
    assert!(
        md.contains("## Overblik") && md.contains("## Forslag til feedback"),
        "{md}"
    );
}

#[test]
fn teams_transcript_with_named_employee() {
    let (report, md) = analyze_file(
        &fixture("transcripts-in/teams-2spk-voice-tags.vtt"),
        &["--employee", "Anna", "--report-lang", "en"],
    );
    assert_eq!(report["schema"], "medlyt.report");
    assert!(md.contains("Feedback"), "{md}");
    let utterances = report["utterances"].as_array().expect("utterances");
    assert!(!utterances.is_empty());
}

#[test]
fn record_with_analyze_writes_the_report_when_the_session_ends() {
    let Some(models) = models() else { return };
    let _whisper = crate::common::whisper_lock();
    let dir = tempfile::tempdir().expect("temp dir");
    // The simulated device plays a WAV file in real time through the recorder's ring buffer.
    let device = format!("file:{}", fixture("calls/en-citizen-service.wav").display());
    medlyt()
        .env("MEDLYT_MODELS", &models)
        .args(["record", "--device", &device, "--duration", "4", "-o"])
        .arg(dir.path().join("session.wav"))
        .arg("--analyze")
        .arg(dir.path().join("report"))
        .assert()
        .success();
    let wav = hound::WavReader::open(dir.path().join("session.wav")).expect("wav");
    assert_eq!(wav.spec().channels, 2);
    assert!((wav.duration() as f64 / f64::from(wav.spec().sample_rate) - 4.0).abs() < 0.2);
    for f in ["report.md", "report.json", "report.html", "transcript.json"] {
        assert!(dir.path().join("report").join(f).is_file(), "{f} missing");
    }
}

#[test]
fn mono_call_report_says_how_the_voices_were_attributed() {
    let Some(t) = transcript_of("en-citizen-service-mono.wav", "en") else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("mono.json");
    std::fs::write(&path, serde_json::to_string(&t).expect("json")).expect("write");
    let (report, md) = analyze_file(&path, &[]);
    let notes: Vec<&str> = report["quality"]["notes"]
        .as_array()
        .expect("notes")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(
        notes.iter().any(|n| n.contains("confidence")),
        "no attribution confidence in {notes:?}"
    );
    assert!(
        notes.iter().any(|n| n.contains("taken as the employee")),
        "no role decision in {notes:?}"
    );
    assert!(md.contains("Sådan blev transskriptionen lavet"), "{md}");
    // The Danish report says the same in Danish.
    assert!(md.contains("blev taget som medarbejderen"), "{md}");
    assert!(md.contains("sikkerhed"), "{md}");
}

#[test]
fn english_jobcentre_call_against_its_script() {
    check_against_truth("en-jobcentre", "en");
}

/// The Danish jobcentre fixture transcript, analysed end to end: the employee's complex
/// reflection ("Jeg kan godt forstå, at du er frustreret") and the reflection-to-question ratio
/// are in every report format, each reflection with its rule and cue.
#[test]
fn a_fixture_calls_reports_show_its_reflections_and_the_ratio() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("report");
    let run = medlyt()
        .args(["analyze", "--quiet"])
        .arg(fixture("transcripts/jobcenter-escalation-da.json"))
        .arg("-o")
        .arg(&out)
        .output()
        .expect("run");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let read = |f: &str| std::fs::read_to_string(out.join(f)).expect(f);
    let report: Value = serde_json::from_str(&read("report.json")).expect("json");
    let l = &report["listening"];
    assert_eq!(l["complex"], 1);
    assert_eq!(l["reflection_to_question"], 0.25);
    assert_eq!(l["reflections"][0]["rule"], "da.reflect_complex_starter");
    let md = read("report.md");
    assert!(
        md.contains(
            "- Refleksioner pr. spørgsmål: 0,2:1 (MITI-pejlemærker: rimeligt 1,0:1, godt 2,0:1)"
        ),
        "{md}"
    );
    assert!(
        md.contains("kompleks refleksion (`da.reflect_complex_starter`"),
        "{md}"
    );
    let html = read("report.html");
    assert!(
        html.contains("class=\"mk refl\""),
        "no reflection on the timeline"
    );
    assert!(html.contains("<span class=\"chip refl\">refleksion (kompleks)</span>"));
    assert!(html.contains("da.reflect_complex_starter: jeg kan godt forstå at du + frustreret"));
}
