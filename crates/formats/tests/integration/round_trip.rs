//! Writing a transcript and reading it back.

use crate::write::call;
use crate::{fixture, read, rows, TIME_TOLERANCE};
use medlyt_core::{Role, Transcript};
use medlyt_formats::{read_transcript, write_transcript, OutputFormat, ReadOptions};

fn same_rows(a: &Transcript, b: &Transcript) {
    let (ra, rb) = (rows(a), rows(b));
    assert_eq!(ra.len(), rb.len());
    for (x, y) in ra.iter().zip(&rb) {
        assert_eq!(x.0, y.0);
        assert_eq!(
            x.3.split_whitespace().collect::<Vec<_>>(),
            y.3.split_whitespace().collect::<Vec<_>>()
        );
        assert!((x.1 - y.1).abs() < TIME_TOLERANCE, "{x:?} vs {y:?}");
        assert!((x.2 - y.2).abs() < TIME_TOLERANCE, "{x:?} vs {y:?}");
    }
}

fn vtt_again(t: &Transcript) -> Transcript {
    read(&String::from_utf8(write_transcript(t, OutputFormat::Vtt)).unwrap())
}

#[test]
fn vtt_keeps_speakers_roles_texts_and_millisecond_times() {
    let t = call();
    let back = vtt_again(&t);
    same_rows(&t, &back);
    let roles: Vec<Role> = back.tracks.iter().map(|tr| tr.role).collect();
    assert_eq!(roles, [Role::Employee, Role::Citizen]);
}

#[test]
fn vtt_keeps_the_roles_when_the_citizen_speaks_first() {
    let mut t = call();
    t.tracks[0].role = Role::Citizen;
    t.tracks[1].role = Role::Employee;
    let back = vtt_again(&t);
    assert_eq!(back.tracks[0].role, Role::Citizen);
    assert_eq!(back.tracks[1].role, Role::Employee);
}

#[test]
fn teams_fixture_survives_vtt_twice() {
    let t = read_transcript(
        &fixture("teams-2spk-voice-tags.vtt"),
        &ReadOptions::default(),
    )
    .unwrap();
    let once = vtt_again(&t);
    same_rows(&t, &once);
    let twice = vtt_again(&once);
    same_rows(&once, &twice);
    assert_eq!(
        t.tracks.iter().map(|x| x.role).collect::<Vec<_>>(),
        twice.tracks.iter().map(|x| x.role).collect::<Vec<_>>()
    );
}

#[test]
fn txt_keeps_speakers_texts_and_starts_to_the_second() {
    let t = call();
    let back = read(&String::from_utf8(write_transcript(&t, OutputFormat::Txt)).unwrap());
    let (ra, rb) = (rows(&t), rows(&back));
    assert_eq!(ra.len(), rb.len());
    for (x, y) in ra.iter().zip(&rb) {
        assert_eq!(x.0, y.0);
        assert_eq!(
            x.3.split_whitespace().collect::<Vec<_>>(),
            y.3.split_whitespace().collect::<Vec<_>>()
        );
        assert!((x.1 - y.1).abs() <= 0.5, "{x:?} vs {y:?}");
    }
}

#[test]
fn srt_keeps_speakers_roles_texts_and_millisecond_times() {
    let mut t = call();
    t.tracks[0].role = Role::Citizen;
    t.tracks[0].speaker = "citizen".into();
    t.tracks[1].role = Role::Employee;
    t.tracks[1].speaker = "employee".into();
    let back = read(&String::from_utf8(write_transcript(&t, OutputFormat::Srt)).unwrap());
    same_rows(&t, &back);
    assert_eq!(back.recording.codec, "transcript/srt");
    assert_eq!(back.tracks[0].role, Role::Citizen);
    assert_eq!(back.tracks[1].role, Role::Employee);
}

#[test]
fn json_round_trip_is_exact() {
    let t = read_transcript(&fixture("medlyt-2spk-stereo.json"), &ReadOptions::default()).unwrap();
    let back = read(&String::from_utf8(write_transcript(&t, OutputFormat::Json)).unwrap());
    assert_eq!(back, t);
}
