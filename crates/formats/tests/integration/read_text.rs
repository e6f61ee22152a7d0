//! Reading plain-text notes.

use crate::{read, read_as, rows, TIME_TOLERANCE};
use medlyt_core::Role;
use medlyt_formats::{read_transcript_str, FormatError, InputFormat, ReadOptions};

#[test]
fn untimed_turns_get_estimated_times_and_a_note() {
    let t = read("Anna: en to tre fire fem\nBo: ja\n");
    let r = rows(&t);
    assert!((r[0].1 - 0.0).abs() < TIME_TOLERANCE && (r[0].2 - 2.0).abs() < TIME_TOLERANCE);
    assert!((r[1].1 - 2.4).abs() < TIME_TOLERANCE && (r[1].2 - 2.8).abs() < TIME_TOLERANCE);
    assert!(t
        .notes
        .iter()
        .any(|n| n.contains("estimated") && n.contains("only text measures")));
    assert_eq!(t.recording.codec, "transcript/text");
}

#[test]
fn continuation_lines_join_the_previous_turn() {
    let t = read("Anna: Goddag\n\n  og velkommen\nBo: Tak\nfor det\n");
    let texts: Vec<String> = rows(&t).into_iter().map(|r| r.3).collect();
    assert_eq!(texts, ["Goddag og velkommen", "Tak for det"]);
}

#[test]
fn a_time_alone_on_its_line_starts_the_next_turn() {
    let t = read("[00:10]\nAnna: Goddag\n[00:14]\nBo: Tak\n");
    let r = rows(&t);
    assert!((r[0].1 - 10.0).abs() < TIME_TOLERANCE && (r[1].1 - 14.0).abs() < TIME_TOLERANCE);
    assert!(!t.notes.iter().any(|n| n.contains("only text measures")));
}

#[test]
fn employee_option_overrides_the_first_speaker_rule_for_three_speakers() {
    let t = read_as(
        "Bo: hej\nAnna: goddag\nElse: hej hej\n",
        InputFormat::Text,
        "ANNA",
    );
    let roles: Vec<Role> = t.tracks.iter().map(|tr| tr.role).collect();
    assert_eq!(roles, [Role::Citizen, Role::Employee, Role::Citizen]);
    assert!(t.notes.iter().any(|n| n.contains("2 other speakers")));
}

#[test]
fn same_name_in_other_case_is_one_speaker() {
    let t = read("Anna: a\nBO: b\nanna: c\nBo: d\n");
    assert_eq!(t.tracks.len(), 2);
    assert_eq!(t.segments.iter().filter(|s| s.track == 0).count(), 2);
}

#[test]
fn no_speaker_lines_is_an_error() {
    // A speaker line with no text at all leaves nothing to analyse.
    let err = read_transcript_str(
        "Notat: \n\n",
        Some(InputFormat::Text),
        &ReadOptions::default(),
    )
    .unwrap_err();
    assert!(matches!(err, FormatError::NoSpeakers), "{err}");
    let err = read_transcript_str(
        "Referat af et opkald.\nBorgeren var glad.\n",
        None,
        &ReadOptions::default(),
    )
    .unwrap_err();
    assert!(matches!(err, FormatError::NoSpeakers), "{err}");
    assert!(err.to_string().contains("Anna: Goddag"), "{err}");
}

#[test]
fn empty_input_is_an_error() {
    for text in ["", "  \n\t\n", "\u{feff}"] {
        let err = read_transcript_str(text, None, &ReadOptions::default()).unwrap_err();
        assert!(matches!(err, FormatError::Empty), "{text:?}: {err}");
    }
}

#[test]
fn malformed_leading_time_names_its_line() {
    let err = read_transcript_str(
        "[00:01] Anna: hej\n[00:7x] Bo: hej\n",
        None,
        &ReadOptions::default(),
    )
    .unwrap_err();
    assert!(
        matches!(err, FormatError::Timestamp { line: 2, .. }),
        "{err}"
    );
}

#[test]
fn text_is_detected_as_danish() {
    let t = read("Anna: Hej, det er Anna. Jeg kan ikke høre dig.\nBo: Nej, jeg har det godt.\n");
    assert_eq!(t.language.requested, "auto");
    assert_eq!(t.language.detected.as_deref(), Some("da"));
}
