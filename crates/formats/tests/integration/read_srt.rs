//! Reading SubRip subtitles.

use crate::{read, rows, TIME_TOLERANCE};
use medlyt_core::Role;
use medlyt_formats::{read_transcript_str, FormatError, InputFormat, ReadOptions};

const SUBS: &str =
    "1\r\n00:00:01,000 --> 00:00:03,000\r\nAnna Jensen: Goddag,\r\n<i>borgerservice</i>.\r\n\r\n\
                    2\r\n00:00:04,000 --> 00:00:05,500\r\nBo: Hej\r\n\r\n\
                    3\r\n00:00:06,000 --> 00:00:07,000\r\n(musik)\r\n";

#[test]
fn speakers_come_from_name_prefixes_and_lines_continue_them() {
    let t = read(SUBS);
    let r = rows(&t);
    assert_eq!(r.len(), 3);
    assert_eq!(
        (r[0].0.as_str(), r[0].3.as_str()),
        ("Anna Jensen", "Goddag, borgerservice.")
    );
    assert!((r[1].1 - 4.0).abs() < TIME_TOLERANCE && (r[1].2 - 5.5).abs() < TIME_TOLERANCE);
    assert_eq!(r[2].0, "unknown");
    let roles: Vec<Role> = t.tracks.iter().map(|tr| tr.role).collect();
    assert_eq!(roles, [Role::Employee, Role::Citizen, Role::Unknown]);
}

#[test]
fn srt_is_sniffed_without_a_hint_and_bad_times_name_the_line() {
    let opts = ReadOptions::default();
    let err =
        read_transcript_str("1\n00:00:01,000 --> 00:00:0x,000\nBo: a\n", None, &opts).unwrap_err();
    assert!(
        matches!(err, FormatError::Timestamp { line: 2, .. }),
        "{err}"
    );
    let err = read_transcript_str("Anna: hej\n", Some(InputFormat::Srt), &opts).unwrap_err();
    assert!(matches!(err, FormatError::NoCues), "{err}");
}
