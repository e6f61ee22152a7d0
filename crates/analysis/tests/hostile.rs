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

#[test]
fn huge_times_keep_the_curve_small_and_the_analysis_quick() {
    let started = std::time::Instant::now();
    for huge in [1e9, 1e15, 1e300] {
        let mut t = empty(huge);
        for (id, role) in [Role::Employee, Role::Citizen].into_iter().enumerate() {
            t.tracks.push(Track {
                id,
                channel: None,
                role,
                speaker: String::new(),
                speech: vec![Span::new(0.0, huge), Span::new(huge, huge * 2.0)],
            });
        }
        t.segments = vec![
            segment(0, 0.0, 5.0, "Goddag, hvad kan jeg hjælpe med?"),
            segment(1, 6.0, huge, "Det er helt urimeligt, jeg vil klage."),
            segment(0, huge, huge + 1.0, "Det forstår jeg godt."),
        ];
        let a = analyze(&t, &Config::for_lang(Lang::Da));
        assert!(a.escalation.curve.len() <= 10_000, "{huge}");
        assert!(a.escalation.curve.iter().all(|w| w.level.is_finite()));
        assert!(!a.escalation.cues.is_empty());
    }
    assert!(started.elapsed().as_secs() < 5, "{:?}", started.elapsed());
}

#[test]
fn windows_of_the_curve_hold_their_events() {
    let mut t = Transcript::two_party("call.txt", "da", 95.0);
    t.push_text(Role::Employee, 0.0, 29.0, "Goddag.");
    // Starts exactly on the second window's edge: counted there, not in the first.
    t.push_text(
        Role::Citizen,
        30.0,
        40.0,
        "Det er urimeligt, jeg vil klage.",
    );
    t.push_text(Role::Employee, 35.0, 61.0, "Ja.");
    let a = analyze(&t, &Config::for_lang(Lang::Da));
    let c = &a.escalation.curve;
    assert_eq!(c.len(), 4);
    assert_eq!(c[0].cues, 0);
    assert!(c[1].cues >= 2, "{c:?}");
    assert!((c[1].overlap_s - 5.0).abs() < 1e-9, "{c:?}");
    assert_eq!(c[2].overlap_s, 0.0);
    assert!(c[2].overlap_s.is_sign_positive());
}
