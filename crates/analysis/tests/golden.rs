//! Golden transcripts: each fixture's expected figures, known by construction, sit next to it
//! as a map from JSON pointer (into the analysis JSON) to value.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use medlyt_analysis::{analyze, Config};
use medlyt_core::{Lang, Transcript};
use serde_json::Value;
use std::path::PathBuf;

/// Floats are compared with this absolute tolerance.
const TOLERANCE: f64 = 1e-9;

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/transcripts")
}

fn same(expected: &Value, actual: &Value) -> bool {
    match (expected, actual) {
        (Value::Number(e), Value::Number(a)) => match (e.as_f64(), a.as_f64()) {
            (Some(e), Some(a)) => (e - a).abs() <= TOLERANCE,
            _ => false,
        },
        (Value::Array(e), Value::Array(a)) => {
            e.len() == a.len() && e.iter().zip(a).all(|(e, a)| same(e, a))
        }
        (Value::Object(e), Value::Object(a)) => {
            e.len() == a.len() && e.iter().all(|(k, v)| a.get(k).is_some_and(|w| same(v, w)))
        }
        _ => expected == actual,
    }
}

fn check(name: &str) {
    let dir = fixtures();
    let text = std::fs::read_to_string(dir.join(format!("{name}.json"))).unwrap();
    let transcript = Transcript::from_json(&text).unwrap();
    let analysis = analyze(&transcript, &Config::for_lang(Lang::Da));
    let actual = serde_json::to_value(&analysis).unwrap();
    let expected: serde_json::Map<String, Value> = serde_json::from_str(
        &std::fs::read_to_string(dir.join(format!("{name}.expected.json"))).unwrap(),
    )
    .unwrap();
    let mut wrong = Vec::new();
    for (pointer, want) in &expected {
        match actual.pointer(pointer) {
            Some(got) if same(want, got) => {}
            got => wrong.push(format!("{pointer}: expected {want}, got {got:?}")),
        }
    }
    assert!(wrong.is_empty(), "{name}:\n{}", wrong.join("\n"));
}

#[test]
fn talk_time_turns_and_reply_gaps() {
    check("talk-turns-2spk");
}

#[test]
fn interruptions_and_backchannels() {
    check("interruptions-backchannels-2spk");
}

#[test]
fn escalation_questions_structure_and_language() {
    check("jobcenter-escalation-da");
}

#[test]
fn low_quality_text_is_flagged_and_acoustic_measures_stand() {
    check("low-quality-wrong-language");
}
