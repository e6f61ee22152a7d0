//! Every fixture reads to the ground truth written next to it.

use crate::{fixture, TIME_TOLERANCE};
use medlyt_formats::{looks_like_transcript, read_transcript, ReadOptions};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Truth {
    format: String,
    speakers: Vec<String>,
    roles_default: Vec<String>,
    segments: Vec<TruthSegment>,
    times_estimated: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TruthSegment {
    speaker: String,
    start: f64,
    end: f64,
    text: String,
}

fn check(name: &str) {
    let truth_path = fixture(name).with_extension("truth.json");
    let truth: Truth =
        serde_json::from_str(&std::fs::read_to_string(&truth_path).unwrap()).unwrap();
    let path = fixture(name);
    assert!(looks_like_transcript(&path));
    let t = read_transcript(&path, &ReadOptions::default()).unwrap();

    let codec_format = t.recording.codec.rsplit('/').next().unwrap().to_string();
    if truth.format != "json" {
        assert_eq!(codec_format, truth.format, "{name}");
        assert_eq!(t.recording.source, name);
        assert_eq!((t.recording.sample_rate, t.recording.channels), (0, 0));
    }
    let speakers: Vec<&str> = t.tracks.iter().map(|tr| tr.speaker.as_str()).collect();
    assert_eq!(speakers, truth.speakers, "{name}");
    let roles: Vec<String> = t.tracks.iter().map(|tr| tr.role.to_string()).collect();
    assert_eq!(roles, truth.roles_default, "{name}");
    assert_eq!(t.segments.len(), truth.segments.len(), "{name}");
    for (got, want) in t.segments.iter().zip(&truth.segments) {
        assert_eq!(t.tracks[got.track].speaker, want.speaker, "{name}");
        assert_eq!(got.text, want.text, "{name}");
        assert!(
            (got.start - want.start).abs() < TIME_TOLERANCE,
            "{name}: {} vs {}",
            got.start,
            want.start
        );
        assert!(
            (got.end - want.end).abs() < TIME_TOLERANCE,
            "{name}: {} vs {}",
            got.end,
            want.end
        );
    }
    let estimated = t
        .notes
        .iter()
        .any(|n| n.contains("only text measures are reliable"));
    assert_eq!(estimated, truth.times_estimated, "{name}: {:?}", t.notes);
}

#[test]
fn teams_vtt_matches_its_truth() {
    check("teams-2spk-voice-tags.vtt");
}

#[test]
fn untimed_notes_match_their_truth() {
    check("notes-2spk-untimed.txt");
}

#[test]
fn timed_notes_match_their_truth() {
    check("notes-3spk-timed.txt");
}

#[test]
fn srt_matches_its_truth() {
    check("subs-2spk-role-names.srt");
}

#[test]
fn medlyt_json_matches_its_truth() {
    check("medlyt-2spk-stereo.json");
}
