//! Writing each output format.

use medlyt_core::{LanguageInfo, Recording, Segment, Transcript};
use medlyt_formats::{write_transcript, OutputFormat};

/// A two-channel call as transcription produces it: speakers labelled by role.
pub fn call() -> Transcript {
    let mut t = Transcript::new(
        Recording {
            source: "call.wav".into(),
            duration: 3725.0,
            sample_rate: 8000,
            channels: 2,
            codec: "wav/mulaw".into(),
        },
        LanguageInfo {
            requested: "da".into(),
            ..Default::default()
        },
    );
    t.add_stereo_tracks();
    let seg = |track, start, end, text: &str| Segment {
        track,
        start,
        end,
        text: text.into(),
        probability: 0.9,
        words: Vec::new(),
        loudness_dbfs: None,
    };
    t.segments = vec![
        seg(0, 0.5, 2.25, "Goddag, borgerservice."),
        seg(1, 2.8, 5.0004, "Hej <3 & tak\nfor sidst"),
        seg(0, 3723.0, 3724.5, "Farvel."),
    ];
    t
}

fn text(t: &Transcript, f: OutputFormat) -> String {
    String::from_utf8(write_transcript(t, f)).unwrap()
}

#[test]
fn vtt_has_one_cue_per_segment_with_role_voice_tags() {
    let want = "WEBVTT\n\
                \n1\n00:00:00.500 --> 00:00:02.250\n<v.employee employee>Goddag, borgerservice.</v>\n\
                \n2\n00:00:02.800 --> 00:00:05.000\n<v.citizen citizen>Hej &lt;3 &amp; tak for sidst</v>\n\
                \n3\n01:02:03.000 --> 01:02:04.500\n<v.employee employee>Farvel.</v>\n";
    assert_eq!(text(&call(), OutputFormat::Vtt), want);
}

#[test]
fn srt_numbers_cues_and_uses_comma_milliseconds() {
    let want = "1\n00:00:00,500 --> 00:00:02,250\nemployee: Goddag, borgerservice.\n\
                \n2\n00:00:02,800 --> 00:00:05,000\ncitizen: Hej <3 & tak for sidst\n\
                \n3\n01:02:03,000 --> 01:02:04,500\nemployee: Farvel.\n";
    assert_eq!(text(&call(), OutputFormat::Srt), want);
}

#[test]
fn txt_has_short_times_and_speakers() {
    let want = "[00:01] employee: Goddag, borgerservice.\n\
                [00:03] citizen: Hej <3 & tak for sidst\n\
                [1:02:03] employee: Farvel.\n";
    assert_eq!(text(&call(), OutputFormat::Txt), want);
}

#[test]
fn json_is_the_transcript_and_ends_with_a_newline() {
    let t = call();
    let out = text(&t, OutputFormat::Json);
    assert!(out.ends_with("}\n"));
    assert_eq!(Transcript::from_json(&out).unwrap(), t);
}

#[test]
fn names_in_voice_tags_cannot_break_the_tag() {
    let mut t = call();
    t.tracks[1].speaker = "Bo > Hansen\n".into();
    t.tracks[0].speaker = " ".into();
    let out = text(&t, OutputFormat::Vtt);
    assert!(out.contains("<v.citizen Bo   Hansen>"), "{out}");
    assert!(out.contains("<v.employee employee>"), "{out}");
}

#[test]
fn empty_transcript_writes_headers_only() {
    let mut t = call();
    t.segments.clear();
    assert_eq!(text(&t, OutputFormat::Vtt), "WEBVTT\n");
    assert_eq!(text(&t, OutputFormat::Srt), "");
    assert_eq!(text(&t, OutputFormat::Txt), "");
}
