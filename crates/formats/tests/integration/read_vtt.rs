//! Reading WebVTT.

use crate::{fixture, read, read_as, rows, TIME_TOLERANCE};
use medlyt_core::Role;
use medlyt_formats::{read_transcript, read_transcript_str, FormatError, InputFormat, ReadOptions};

const SHORT: &str = "WEBVTT\n\n01:02.000 --> 01:04.500\n<v Anna>Goddag og velkommen</v>\n\n\
                     01:05.000 --> 01:06.000 align:start\n<v Bo>Tak</v>\n";

#[test]
fn hours_are_optional_and_cue_settings_ignored() {
    let t = read(SHORT);
    let r = rows(&t);
    assert_eq!(r[0].0, "Anna");
    assert!((r[0].1 - 62.0).abs() < TIME_TOLERANCE && (r[0].2 - 64.5).abs() < TIME_TOLERANCE);
    assert!((r[1].1 - 65.0).abs() < TIME_TOLERANCE);
    assert!((t.recording.duration - 66.0).abs() < TIME_TOLERANCE);
    assert_eq!(t.recording.codec, "transcript/webvtt");
}

#[test]
fn tracks_have_no_channel_no_speech_and_words_cover_each_segment() {
    let t = read(SHORT);
    for tr in &t.tracks {
        assert_eq!(tr.channel, None);
        assert!(tr.speech.is_empty());
    }
    let s = &t.segments[0];
    assert_eq!(s.probability, 1.0);
    let words: Vec<&str> = s.words.iter().map(|w| w.text.as_str()).collect();
    assert_eq!(words, ["Goddag", "og", "velkommen"]);
    assert!((s.words[0].start - s.start).abs() < 1e-9);
    assert!((s.words[2].end - s.end).abs() < 1e-9);
    // "Goddag" is 6 of 17 letters, so it gets 6/17 of 2.5 s.
    assert!((s.words[0].end - (62.0 + 2.5 * 6.0 / 17.0)).abs() < 1e-9);
}

#[test]
fn first_speaker_is_employee_and_the_note_says_why() {
    let t = read(SHORT);
    assert_eq!(t.tracks[0].role, Role::Employee);
    assert_eq!(t.tracks[1].role, Role::Citizen);
    assert!(t
        .notes
        .iter()
        .any(|n| n.contains("'Anna'") && n.contains("speak first")));
}

#[test]
fn employee_option_picks_the_speaker_by_prefix() {
    let text = std::fs::read_to_string(fixture("teams-2spk-voice-tags.vtt")).unwrap();
    let t = read_as(&text, InputFormat::Vtt, "bo");
    let role = |name: &str| t.tracks.iter().find(|tr| tr.speaker == name).unwrap().role;
    assert_eq!(role("Bo Hansen"), Role::Employee);
    assert_eq!(role("Anna Jensen"), Role::Citizen);
    assert_eq!(role("unknown"), Role::Unknown);
    assert!(t.notes.iter().any(|n| n.contains("--employee")));
    assert!(t
        .notes
        .iter()
        .any(|n| n.contains("1 cues have no voice tag")));
}

#[test]
fn unknown_employee_lists_the_speakers() {
    let opts = ReadOptions {
        employee: Some("Carl".into()),
    };
    let err = read_transcript(&fixture("teams-2spk-voice-tags.vtt"), &opts).unwrap_err();
    assert!(matches!(err, FormatError::UnknownEmployee { .. }));
    let msg = err.to_string();
    assert!(
        msg.contains("'Carl'") && msg.contains("Anna Jensen, Bo Hansen"),
        "{msg}"
    );
}

#[test]
fn a_cue_with_two_voices_is_split_by_text_length() {
    let t =
        read("WEBVTT\n\n00:00:00.000 --> 00:00:03.000\n<v Anna>Hej med dig</v>\n<v Bo>Hej</v>\n");
    let r = rows(&t);
    assert_eq!(r.len(), 2);
    // "Hej med dig" is 11 of the 14 characters.
    assert!((r[0].2 - 3.0 * 11.0 / 14.0).abs() < 1e-9, "{r:?}");
    assert_eq!((r[1].0.as_str(), r[1].1), ("Bo", r[0].2));
}

#[test]
fn role_classes_written_by_medlyt_are_read_back() {
    let t = read(
        "WEBVTT\n\n00:01.000 --> 00:02.000\n<v.citizen Bo>Hej</v>\n\n\
                  00:02.000 --> 00:03.000\n<v.employee Anna>Goddag</v>\n",
    );
    assert_eq!(t.tracks[0].role, Role::Citizen);
    assert_eq!(t.tracks[1].role, Role::Employee);
    assert!(
        t.notes.iter().any(|n| n.contains("taken from the file")),
        "{:?}",
        t.notes
    );
}

#[test]
fn malformed_timestamps_name_their_line() {
    let text = "WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\n<v A>a</v>\n\n2\n00:00:03.000 --> 00:0x:04.000\n<v A>b</v>\n";
    let err = read_transcript_str(text, None, &ReadOptions::default()).unwrap_err();
    assert!(
        matches!(err, FormatError::Timestamp { line: 8, .. }),
        "{err}"
    );
    assert!(err.to_string().contains("00:0x:04.000"), "{err}");
}

#[test]
fn cue_ending_before_it_starts_is_an_error() {
    let err = read_transcript_str(
        "WEBVTT\n\n00:05.000 --> 00:04.000\n<v A>a</v>\n",
        None,
        &ReadOptions::default(),
    )
    .unwrap_err();
    assert!(
        matches!(err, FormatError::CueOrder { line: 3, .. }),
        "{err}"
    );
}

#[test]
fn header_only_and_missing_header_are_errors() {
    let opts = ReadOptions::default();
    let err = read_transcript_str("WEBVTT\n\nNOTE nothing here\n", None, &opts).unwrap_err();
    assert!(matches!(err, FormatError::NoCues), "{err}");
    let err = read_transcript_str(
        "00:01.000 --> 00:02.000\nhej\n",
        Some(InputFormat::Vtt),
        &opts,
    )
    .unwrap_err();
    assert!(matches!(err, FormatError::NoVttHeader), "{err}");
    let err = read_transcript_str("WEBVTTX\n\n", Some(InputFormat::Vtt), &opts).unwrap_err();
    assert!(matches!(err, FormatError::NoVttHeader), "{err}");
}

#[test]
fn crlf_line_ends_and_a_byte_order_mark_are_accepted() {
    let t = read("\u{feff}WEBVTT\r\n\r\n00:01.000 --> 00:02.000\r\n<v Anna>Hej</v>\r\n");
    assert_eq!(rows(&t)[0].3, "Hej");
}
