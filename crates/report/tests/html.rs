//! The HTML report and summary: structure checked on the text, and the pages opened in headless
//! Chromium, with the counts the page drew compared with the analysis.
//!
//! Set `MEDLYT_HTML_OUT` to a folder to keep the pages and screenshots there
//! (`scripts/check-html.sh` does).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "html/browser.rs"]
mod browser;
#[path = "html/synth.rs"]
mod synth;

use medlyt_analysis::{analyze, Analysis, Config};
use medlyt_core::{Lang, Transcript};
use medlyt_questions::QuestionKind;
use medlyt_report::{report_html, summary_html, AudioRef};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn fixture() -> Analysis {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/html_fixtures/da-jobcenter.report.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn golden(name: &str) -> Analysis {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/transcripts")
        .join(format!("{name}.json"));
    let transcript = Transcript::from_json(&std::fs::read_to_string(path).unwrap()).unwrap();
    analyze(&transcript, &Config::for_lang(Lang::Da))
}

/// The folder pages are written to: `MEDLYT_HTML_OUT` (kept), or a fresh one under the temp
/// folder (removed when the test ends).
struct Out {
    dir: PathBuf,
    keep: bool,
}

impl Drop for Out {
    fn drop(&mut self) {
        if !self.keep {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

impl std::ops::Deref for Out {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.dir
    }
}

fn out_dir(test: &str) -> Out {
    let out = match std::env::var_os("MEDLYT_HTML_OUT") {
        Some(d) => Out {
            dir: PathBuf::from(d),
            keep: true,
        },
        None => Out {
            dir: std::env::temp_dir().join(format!("medlyt-html-{}-{test}", std::process::id())),
            keep: false,
        },
    };
    std::fs::create_dir_all(&out.dir).unwrap();
    out
}

fn write(dir: &Path, name: &str, html: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, html).unwrap();
    path
}

fn questions(a: &Analysis, kind: QuestionKind) -> usize {
    a.utterances
        .iter()
        .flat_map(|u| &u.sentences)
        .filter(|c| c.kind == kind)
        .count()
}

/// What the timeline must hold for `a`, in the self-check's terms.
fn expected(a: &Analysis, rows: usize) -> Vec<(&'static str, usize)> {
    vec![
        ("rows", rows),
        ("blocks", a.utterances.len()),
        ("open", questions(a, QuestionKind::Open)),
        ("closed", questions(a, QuestionKind::Closed)),
        ("leading", questions(a, QuestionKind::Leading)),
        ("interruptions", a.interruptions.events.len()),
        ("silences", a.talk.long_silences.len()),
        ("moments_marked", a.moments.len()),
        ("moments_listed", a.moments.len().min(20)),
        ("transcript", a.utterances.len()),
        ("reflections", a.listening.reflections.len()),
        (
            "transcript_listening",
            a.listening.reflections.len() + a.listening.affirmation_moves.len(),
        ),
        (
            "transcript_questions",
            a.utterances
                .iter()
                .flat_map(|u| &u.sentences)
                .filter(|c| c.kind != QuestionKind::NotQuestion)
                .count(),
        ),
    ]
}

fn assert_counts(check: &Value, a: &Analysis, rows: usize) {
    for (key, want) in expected(a, rows) {
        assert_eq!(check[key].as_u64(), Some(want as u64), "{key} in {check}");
    }
}

/// A small WAV file: one second of a quiet tone, 8 kHz mono 16-bit.
fn wav() -> Vec<u8> {
    let samples: Vec<i16> = (0..8000)
        .map(|i| ((i as f64 * 0.2).sin() * 1000.0) as i16)
        .collect();
    let data = (samples.len() * 2) as u32;
    let mut b = Vec::new();
    b.extend_from_slice(b"RIFF");
    b.extend_from_slice(&(36 + data).to_le_bytes());
    b.extend_from_slice(b"WAVEfmt ");
    b.extend_from_slice(&16u32.to_le_bytes());
    b.extend_from_slice(&1u16.to_le_bytes());
    b.extend_from_slice(&1u16.to_le_bytes());
    b.extend_from_slice(&8000u32.to_le_bytes());
    b.extend_from_slice(&16000u32.to_le_bytes());
    b.extend_from_slice(&2u16.to_le_bytes());
    b.extend_from_slice(&16u16.to_le_bytes());
    b.extend_from_slice(b"data");
    b.extend_from_slice(&data.to_le_bytes());
    for s in samples {
        b.extend_from_slice(&s.to_le_bytes());
    }
    b
}

#[test]
fn report_is_one_file_with_no_outside_assets() {
    let html = report_html(&fixture(), Lang::Da, None);
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<html lang=\"da\">"));
    for outside in [
        "src=\"http",
        "href=\"http",
        "url(http",
        "<link ",
        "src=\"//",
    ] {
        assert!(!html.contains(outside), "{outside}");
    }
    assert!(html.contains("Samtalens forløb") && html.contains("Udskrift"));
    let english = report_html(&fixture(), Lang::En, None);
    assert!(english.contains("<html lang=\"en\">") && english.contains("Transcript"));
    assert!(!english.contains("Udskrift"));
}

#[test]
fn text_from_the_call_cannot_add_markup() {
    let mut a = fixture();
    a.source = "</title><script>alert(1)</script>.wav".into();
    a.utterances[0].text = "<img src=x onerror=alert(1)>".into();
    if let Some(s) = a.utterances[0].sentences.first_mut() {
        s.sentence = "</mark><script>alert(2)</script>".into();
    }
    let html = report_html(&a, Lang::Da, None);
    assert_eq!(
        html.matches("<script>").count(),
        2,
        "only the page's own scripts"
    );
    assert!(!html.contains("<img"));
    assert!(html.contains("&lt;/title&gt;&lt;script&gt;"));
}

#[test]
fn embedded_audio_is_a_data_address_and_beside_audio_a_file_name() {
    let bytes = wav();
    let html = report_html(
        &fixture(),
        Lang::Da,
        Some(&AudioRef::embedded("call.wav", bytes)),
    );
    assert!(html.contains("src=\"data:audio/wav;base64,UklGR"));
    let html = report_html(
        &fixture(),
        Lang::Da,
        Some(&AudioRef::beside("opkald 1.wav")),
    );
    assert!(html.contains("src=\"opkald%201.wav\""));
    assert!(!report_html(&fixture(), Lang::Da, None).contains("<audio"));
}

#[test]
fn ninety_minute_call_stays_under_three_megabytes() {
    let a = synth::analysis(90.0);
    assert!(a.utterances.len() > 500, "{}", a.utterances.len());
    let html = report_html(&a, Lang::Da, None);
    assert!(html.len() < 3_000_000, "{} bytes", html.len());
    assert_eq!(html.matches("class=\"tl-row\"").count(), 6);
}

#[test]
fn fixture_report_in_chromium_draws_every_block_and_marker() {
    let Some(bin) = browser::chromium() else {
        return;
    };
    let dir = out_dir("fixture");
    let a = fixture();
    let page = write(&dir, "report.html", &report_html(&a, Lang::Da, None));
    let check = browser::selfcheck(&bin, &page);
    assert_counts(&check, &a, 1);
    assert_eq!(
        check["interruptions"].as_u64(),
        Some(2),
        "the fixture's two interruptions"
    );
    assert_eq!(check["audio"].as_u64(), Some(0));
    let size = browser::screenshot(&bin, &page, &dir.join("report.png"), 1200, 1500);
    assert!(size > 10_000, "{size} bytes");
}

#[test]
fn english_report_with_audio_beside_and_embedded_runs_without_errors() {
    let Some(bin) = browser::chromium() else {
        return;
    };
    let dir = out_dir("audio");
    std::fs::write(dir.join("call.wav"), wav()).unwrap();
    let a = golden("interruptions-backchannels-2spk");
    let beside = write(
        &dir,
        "beside.html",
        &report_html(&a, Lang::En, Some(&AudioRef::beside("call.wav"))),
    );
    let check = browser::selfcheck(&bin, &beside);
    assert_eq!(check["audio"].as_u64(), Some(1));
    assert_counts(&check, &a, 1);
    let embedded = write(
        &dir,
        "embedded.html",
        &report_html(&a, Lang::En, Some(&AudioRef::embedded("call.wav", wav()))),
    );
    assert_counts(&browser::selfcheck(&bin, &embedded), &a, 1);
}

#[test]
fn ninety_minute_report_in_chromium_draws_every_block_and_marker() {
    let Some(bin) = browser::chromium() else {
        return;
    };
    let dir = out_dir("long");
    let a = synth::analysis(90.0);
    assert!(!a.talk.long_silences.is_empty() && !a.interruptions.events.is_empty());
    let page = write(&dir, "report-90min.html", &report_html(&a, Lang::Da, None));
    let check = browser::selfcheck(&bin, &page);
    assert_counts(&check, &a, 6);
}

#[test]
fn summary_in_chromium_charts_every_call() {
    let Some(bin) = browser::chromium() else {
        return;
    };
    let dir = out_dir("summary");
    let calls: Vec<(String, Analysis)> = vec![
        ("da-jobcenter/report.html".to_string(), fixture()),
        (
            "jobcenter/report.html".to_string(),
            golden("jobcenter-escalation-da"),
        ),
        (
            "afbrydelser/report.html".to_string(),
            golden("interruptions-backchannels-2spk"),
        ),
        (
            "taleture/report.html".to_string(),
            golden("talk-turns-2spk"),
        ),
        (
            "kvalitet/report.html".to_string(),
            golden("low-quality-wrong-language"),
        ),
        ("lang/report.html".to_string(), synth::analysis(30.0)),
    ];
    let page = write(&dir, "summary.html", &summary_html(&calls, Lang::Da));
    let check = browser::selfcheck(&bin, &page);
    assert_eq!(check["calls"].as_u64(), Some(calls.len() as u64));
    assert_eq!(check["links"].as_u64(), Some(calls.len() as u64));
    assert_eq!(check["charts"].as_u64(), Some(8));
    let with_questions = calls
        .iter()
        .filter(|(_, a)| a.questions.employee.questions > 0)
        .count() as u64;
    let with_words = calls.iter().filter(|(_, a)| a.language.words > 0).count() as u64;
    let n = calls.len() as u64;
    // Chart order: own share, open share, interruptions, monologue, reply gap, silence, LIX, peak.
    let want = [n, with_questions, n, n, n, n, with_words, n];
    for key in ["dots", "bar_sums"] {
        let got: Vec<u64> = check[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_u64().unwrap())
            .collect();
        assert_eq!(got, want, "{key}");
    }
    let size = browser::screenshot(&bin, &page, &dir.join("summary.png"), 1200, 1100);
    assert!(size > 10_000, "{size} bytes");
}
