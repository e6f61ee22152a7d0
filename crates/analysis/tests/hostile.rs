//! Odd and hostile transcripts never panic and give empty, finite figures.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use medlyt_analysis::{analyze, Config};
use medlyt_core::{Lang, LanguageInfo, Recording, Role, Segment, Span, Track, Transcript};

fn empty(duration: f64) -> Transcript {
    Transcript::new(
        Recording {
            source: "x".into(),
            duration,
            sample_rate: 0,
            channels: 0,
            codec: String::new(),
        },
        LanguageInfo::default(),
    )
}

fn segment(track: usize, start: f64, end: f64, text: &str) -> Segment {
    Segment {
        track,
        start,
        end,
        text: text.into(),
        probability: f32::NAN,
        words: vec![],
        loudness_dbfs: Some(f32::INFINITY),
    }
}

#[test]
fn an_empty_transcript_gives_zeros_and_warnings() {
    let a = analyze(&empty(0.0), &Config::for_lang(Lang::Da));
    assert_eq!(a.talk.employee.talk_s, 0.0);
    assert_eq!(a.talk.ratio, None);
    assert_eq!(a.escalation.curve.len(), 1);
    assert!(a.quality.warnings.len() >= 2);
}

#[test]
fn nan_reversed_and_huge_times_do_not_panic() {
    let mut t = empty(f64::NAN);
    for (id, role) in [Role::Employee, Role::Citizen, Role::Unknown]
        .into_iter()
        .enumerate()
    {
        t.tracks.push(Track {
            id,
            channel: None,
            role,
            speaker: String::new(),
            speech: vec![Span::new(f64::NAN, 1.0), Span::new(5.0, 2.0)],
        });
    }
    t.segments = vec![
        segment(0, f64::NAN, 1.0, "Hvad?"),
        segment(1, 5.0, 2.0, "klage klage klage"),
        segment(0, -5.0, 3.0, "§§§ jf. ..."),
        segment(1, 1.0, 1.0e7, "ja"),
        segment(2, 0.0, 1.0, "ukendt"),
        segment(0, 2.0, 2.5, ""),
    ];
    let a = analyze(&t, &Config::for_lang(Lang::Da));
    let json = serde_json::to_string(&a).unwrap();
    assert!(!json.is_empty());
    assert!(a.talk.employee.share.is_finite());
    assert!(a.quality.mean_word_probability.is_finite());
    assert!(a.quality.text_uncertain);
    assert!(a
        .escalation
        .curve
        .iter()
        .all(|w| (0.0..=100.0).contains(&w.level)));
}
