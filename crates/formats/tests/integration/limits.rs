//! The limits on transcripts, and the checks of transcript JSON's times: past a limit or
//! inconsistent is an error naming the place, never a huge allocation or a silent accept.

use medlyt_formats::{
    read_transcript_str, FormatError, Place, ReadOptions, MAX_CALL_SECONDS, MAX_LINE_BYTES,
    MAX_SEGMENTS, MAX_WORDS,
};
use serde_json::{json, Value};
use std::time::Instant;

/// A valid two-segment transcript JSON of a 60 s recording.
fn base() -> Value {
    json!({
        "schema": "medlyt.transcript",
        "version": 1,
        "recording": {"source": "x.wav", "duration": 60.0, "sample_rate": 0, "channels": 0, "codec": "text"},
        "language": {"requested": "da"},
        "tracks": [
            {"id": 0, "role": "employee", "speaker": "Anna", "speech": [{"start": 1.0, "end": 5.0}]},
            {"id": 1, "role": "citizen", "speaker": "Bo"}
        ],
        "segments": [
            {"track": 0, "start": 1.0, "end": 5.0, "text": "Goddag, det er Anna.",
             "words": [{"text": "Goddag,", "start": 1.0, "end": 2.0}]},
            {"track": 1, "start": 6.0, "end": 9.0, "text": "Hej Anna."}
        ]
    })
}

fn read(v: &Value) -> Result<medlyt_core::Transcript, FormatError> {
    read_transcript_str(&v.to_string(), None, &ReadOptions::default())
}

fn with(edit: impl FnOnce(&mut Value)) -> Result<medlyt_core::Transcript, FormatError> {
    let mut v = base();
    edit(&mut v);
    read(&v)
}

#[test]
fn a_consistent_transcript_is_read() {
    let t = read(&base()).unwrap();
    assert_eq!(t.segments.len(), 2);
}

#[test]
fn huge_times_are_errors_naming_the_limit_and_the_segment() {
    for (t, msg) in [(1e9, "segment 1"), (1e15, "segment 1")] {
        let err = with(|v| {
            v["recording"]["duration"] = json!(t);
            v["segments"][1]["start"] = json!(t - 1.0);
            v["segments"][1]["end"] = json!(t);
        })
        .unwrap_err();
        // The duration is checked first.
        assert!(
            matches!(
                err,
                FormatError::TooLong {
                    place: Place::Duration,
                    ..
                }
            ),
            "{err}"
        );
        assert!(err.to_string().contains("24 h"), "{err}");
        let err = with(|v| {
            v["segments"][1]["start"] = json!(t - 1.0);
            v["segments"][1]["end"] = json!(t);
        })
        .unwrap_err();
        assert!(err.to_string().contains(msg), "{err}");
        assert!(err.to_string().contains("24 h"), "{err}");
    }
    let err = with(|v| v["recording"]["duration"] = json!(1e300)).unwrap_err();
    assert!(err.to_string().contains("recording.duration"), "{err}");
    let err = with(|v| v["tracks"][0]["speech"][0]["end"] = json!(1e9)).unwrap_err();
    assert!(
        matches!(
            err,
            FormatError::TooLong {
                place: Place::Speech(0, 0),
                ..
            }
        ),
        "{err}"
    );
    let err = with(|v| v["segments"][0]["words"][0]["end"] = json!(1e15)).unwrap_err();
    assert!(err.to_string().contains("segment 0, word 0"), "{err}");
    // Exactly 24 h is allowed.
    assert!(with(|v| v["recording"]["duration"] = json!(MAX_CALL_SECONDS)).is_ok());
}

#[test]
fn inconsistent_times_are_errors_naming_the_segment() {
    let err = with(|v| v["segments"][1]["end"] = json!(5.5)).unwrap_err();
    assert!(
        matches!(
            err,
            FormatError::BadTime {
                place: Place::Segment(1),
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("before it starts"), "{err}");
    let err = with(|v| v["segments"][0]["start"] = json!(-2.0)).unwrap_err();
    assert!(err.to_string().contains("segment 0"), "{err}");
    assert!(err.to_string().contains("negative"), "{err}");
    let err = with(|v| v["recording"]["duration"] = json!(-1.0)).unwrap_err();
    assert!(err.to_string().contains("recording.duration"), "{err}");
    let err = with(|v| {
        v["segments"][1]["start"] = json!(70.0);
        v["segments"][1]["end"] = json!(75.0);
    })
    .unwrap_err();
    assert!(err.to_string().contains("segment 1"), "{err}");
    assert!(
        err.to_string().contains("past the end of the recording"),
        "{err}"
    );
    let err = with(|v| v["tracks"][0]["speech"][0]["start"] = json!(9.0)).unwrap_err();
    assert!(err.to_string().contains("track 0, speech span 0"), "{err}");
}

#[test]
fn times_a_little_past_the_end_are_cut_back_with_a_note() {
    let t = with(|v| {
        v["segments"][1]["end"] = json!(60.4);
        v["recording"]["duration"] = json!(60.0);
    })
    .unwrap();
    assert_eq!(t.segments[1].end, 60.0);
    assert!(
        t.notes.iter().any(|n| n.contains("cut back")),
        "{:?}",
        t.notes
    );
    // A word ending before it starts is repaired, not rejected.
    let t = with(|v| v["segments"][0]["words"][0]["end"] = json!(0.5)).unwrap();
    assert_eq!(t.segments[0].words[0].end, 1.0);
}

#[test]
fn long_texts_and_many_segments_or_words_are_errors() {
    let err =
        with(|v| v["segments"][1]["text"] = json!("a".repeat(MAX_LINE_BYTES + 1))).unwrap_err();
    assert!(
        matches!(
            err,
            FormatError::TextTooLong {
                place: Place::Segment(1),
                ..
            }
        ),
        "{err}"
    );
    let err = with(|v| {
        let seg = json!({"track": 0, "start": 1.0, "end": 1.0, "text": "a"});
        v["segments"] = Value::Array(vec![seg; MAX_SEGMENTS + 1]);
    })
    .unwrap_err();
    assert!(
        matches!(
            err,
            FormatError::TooManySegments {
                place: Place::Segment(100_000),
                ..
            }
        ),
        "{err}"
    );
    // 1001 segments of 1000 words.
    let text = "a ".repeat(1000);
    let err = with(|v| {
        let seg = json!({"track": 0, "start": 1.0, "end": 1.0, "text": text});
        v["segments"] = Value::Array(vec![seg; MAX_WORDS / 1000 + 1]);
    })
    .unwrap_err();
    assert!(err.to_string().contains("1000000 words"), "{err}");
}

#[test]
fn webvtt_and_text_past_the_limits_name_the_line() {
    let opts = ReadOptions::default();
    let vtt = "WEBVTT\n\n00:01.000 --> 00:02.000\n<v Anna>Goddag\n\n\
               10000:00:00.000 --> 10000:00:01.000\n<v Bo>Hej\n";
    let err = read_transcript_str(vtt, None, &opts).unwrap_err();
    assert!(
        matches!(
            err,
            FormatError::TooLong {
                place: Place::Line(6),
                ..
            }
        ),
        "{err}"
    );
    let srt = "1\n00:00:01,000 --> 00:00:02,000\nAnna: hej\n\n2\n1000:00:00,000 --> 1000:00:01,000\nBo: ja\n";
    let err = read_transcript_str(srt, None, &opts).unwrap_err();
    assert!(err.to_string().contains("line 6"), "{err}");
    let txt = "[00:01] Anna: hej\n[30:00:00] Bo: ja\n";
    let err = read_transcript_str(txt, None, &opts).unwrap_err();
    assert!(err.to_string().contains("line 2"), "{err}");
    assert!(err.to_string().contains("24 h"), "{err}");
    // Estimated times past 24 h (216,000 words at 2.5 words a second) name the turn's line:
    // turns of 10,000 words take 4000 s each (and 0.4 s between), so the 22nd ends past 24 h.
    let many = format!("Anna: {}\n", "ord ".repeat(10_000)).repeat(25);
    let err = read_transcript_str(&many, None, &opts).unwrap_err();
    assert!(
        matches!(
            err,
            FormatError::TooLong {
                place: Place::Line(22),
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn ten_megabyte_inputs_are_rejected_quickly() {
    let opts = ReadOptions::default();
    let started = Instant::now();
    let line = format!("Anna: {}\n", "ord ".repeat(2_600_000));
    let err = read_transcript_str(&line, None, &opts).unwrap_err();
    assert!(
        matches!(err, FormatError::LineTooLong { line: 1, .. }),
        "{err}"
    );
    let amps = format!(
        "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Anna>{}\n",
        "&".repeat(10_000_000)
    );
    let err = read_transcript_str(&amps, None, &opts).unwrap_err();
    assert!(
        matches!(err, FormatError::LineTooLong { line: 4, .. }),
        "{err}"
    );
    // A cue of many short lines is limited as a whole.
    let cue = format!(
        "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n{}",
        "<v Anna>&&&&&&&&&&&&\n".repeat(10_000)
    );
    let err = read_transcript_str(&cue, None, &opts).unwrap_err();
    assert!(
        matches!(err, FormatError::CueTooLong { line: 3, .. }),
        "{err}"
    );
    // Many cues: past the most segments, at the cue's line.
    let cues = "WEBVTT\n\n".to_string()
        + &"00:00:01.000 --> 00:00:02.000\n<v A>a\n\n".repeat(MAX_SEGMENTS + 1);
    let err = read_transcript_str(&cues, None, &opts).unwrap_err();
    assert!(
        matches!(
            err,
            FormatError::TooManySegments {
                place: Place::Line(300_003),
                ..
            }
        ),
        "{err}"
    );
    assert!(started.elapsed().as_secs() < 5, "{:?}", started.elapsed());
}
