//! An English call built in code: backchannels, cues, structure and the English lexicons.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use medlyt_analysis::{analyze, Config, CueKind, MoveKind};
use medlyt_core::{Lang, Role, Transcript};

fn call(lines: &[(Role, f64, f64, &str)]) -> Transcript {
    let mut t = Transcript::two_party("english-call.txt", "en", 60.0);
    for (role, start, end, text) in lines {
        t.push_text(*role, *start, *end, text);
    }
    t
}

#[test]
fn english_lexicons_drive_the_measures() {
    use Role::{Citizen as C, Employee as E};
    let t = call(&[
        (
            E,
            0.0,
            6.0,
            "Good morning, my name is Sam from the Benefits team.",
        ),
        (
            C,
            7.0,
            15.0,
            "This is ridiculous, I will call my lawyer about it.",
        ),
        (E, 10.0, 10.5, "Right."),
        (
            E,
            16.0,
            24.0,
            "I can understand that you are upset. The next step is that I will send you a letter.",
        ),
        (C, 25.0, 27.0, "Okay, thanks for your help."),
    ]);
    let a = analyze(&t, &Config::for_lang(Lang::En));
    assert_eq!(a.interruptions.backchannels_employee, 1);
    assert_eq!(a.interruptions.events.len(), 0);
    let kinds: Vec<CueKind> = a.escalation.cues.iter().map(|c| c.kind).collect();
    assert_eq!(kinds, vec![CueKind::Anger, CueKind::Threat]);
    let moves: Vec<MoveKind> = a.escalation.moves.iter().map(|m| m.kind).collect();
    assert_eq!(moves, vec![MoveKind::Acknowledge, MoveKind::NextStep]);
    assert_eq!(a.structure.opening.parts(), 3);
    assert_eq!(
        a.structure
            .closing
            .citizen_thanks
            .as_ref()
            .map(|c| c.cue.as_str()),
        Some("thanks for your help")
    );
}
